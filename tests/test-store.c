/* test-store.c: the sqlite store in a temporary profile
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "bnd-store.h"
#include "bnd-tasks.h"

typedef struct
{
  char        *directory;
  BndStore    *store;
  BndStrategy *strategy;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->directory = g_dir_make_tmp ("bnd-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store = bnd_store_new (fixture->directory, &error);
  g_assert_no_error (error);
  fixture->strategy = bnd_strategy_new_default (&error);
  g_assert_no_error (error);
  /* Signed in, as giving a vote or rating needs an account. */
  g_assert_true (bnd_store_set_meta (fixture->store, "server_url", "https://buendnis.example", NULL));
  g_assert_true (bnd_store_set_meta (fixture->store, "server_user", "anna", NULL));
}

/* Back to the schema of step 7: without the queue of texts for the search index, all of them
 * indexed, as step 7 indexed each sketch as it was saved. */
#define SCHEMA_7 \
  "DELETE FROM sketch_text WHERE rowid IN (SELECT sketch FROM index_queue);" \
  "INSERT INTO sketch_text (rowid, title, body) SELECT sketch, title, body FROM index_queue;" \
  "DROP TABLE index_queue;"

/* Back to the schema of step 6: without the refusals of sync_state, and with votes and ratings
 * that do not know their account. */
#define SCHEMA_6 \
  SCHEMA_7 \
  "ALTER TABLE sync_state DROP COLUMN refused;" \
  "CREATE TABLE votes_6 (dossier TEXT PRIMARY KEY, choice TEXT NOT NULL, comment TEXT NOT NULL," \
  "  cast_at INTEGER NOT NULL, state TEXT NOT NULL DEFAULT 'queued', message TEXT);" \
  "INSERT INTO votes_6 SELECT dossier, choice, comment, cast_at, state, message FROM queued_votes;" \
  "DROP TABLE queued_votes; ALTER TABLE votes_6 RENAME TO queued_votes;" \
  "CREATE TABLE ratings_6 (dossier TEXT PRIMARY KEY, scores TEXT NOT NULL, comment TEXT NOT NULL," \
  "  rated_at INTEGER NOT NULL, state TEXT NOT NULL DEFAULT 'queued', message TEXT);" \
  "INSERT INTO ratings_6 SELECT dossier, scores, comment, rated_at, state, message FROM queued_ratings;" \
  "DROP TABLE queued_ratings; ALTER TABLE ratings_6 RENAME TO queued_ratings;"

static void
remove_tree (const char *directory)
{
  g_autoptr(GDir) dir = g_dir_open (directory, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (directory, name, NULL);
      g_remove (path);
    }
  g_rmdir (directory);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->strategy);
  remove_tree (fixture->directory);
  g_free (fixture->directory);
}

static BndSketch *
new_sketch (const char *title,
            const char *need)
{
  BndSketch *sketch = bnd_sketch_new ();

  bnd_sketch_set_title (sketch, title);
  if (need)
    bnd_sketch_set_section (sketch, "need", need);
  return sketch;
}

static guint
count (Fixture    *fixture,
       const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  BndStoreQuery query = { .text = text };

  list = bnd_store_list (fixture->store, &query, &error);
  g_assert_no_error (error);
  return list->len;
}

static void
test_save_load (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(BndSketch) sketch = new_sketch ("Fachkräfte für die Lüneburger Heide", "Bedarf: groß");
  g_autoptr(BndSketch) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *resolved = NULL;

  bnd_store_save (fixture->store, sketch, &error);
  g_assert_no_error (error);

  loaded = bnd_store_load (fixture->store, bnd_sketch_get_uuid (sketch), fixture->strategy, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bnd_sketch_get_title (loaded), ==, "Fachkräfte für die Lüneburger Heide");
  g_assert_cmpstr (bnd_sketch_get_section (loaded, "need"), ==, "Bedarf: groß");

  prefix = g_strndup (bnd_sketch_get_uuid (sketch), 8);
  resolved = bnd_store_resolve_id (fixture->store, prefix, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (resolved, ==, bnd_sketch_get_uuid (sketch));

  g_clear_object (&loaded);
  loaded = bnd_store_load (fixture->store, "00000000-0000-4000-8000-000000000000", NULL, &error);
  g_assert_error (error, BND_STORE_ERROR, BND_STORE_ERROR_NOT_FOUND);
  g_assert_null (loaded);
}

static void
test_full_text (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(BndSketch) care = new_sketch ("Pflegekräfte gewinnen", "Ausländische Pflegefachkräfte in Uelzen");
  g_autoptr(BndSketch) road = new_sketch ("Logistik", "Lieferverkehr auf der Straße im Heidekreis");
  g_autoptr(GError) error = NULL;

  bnd_store_save (fixture->store, care, &error);
  g_assert_no_error (error);
  bnd_store_save (fixture->store, road, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (count (fixture, "Pflege"), ==, 1);          /* prefix of Pflegekräfte */
  g_assert_cmpuint (count (fixture, "pflegekrafte"), ==, 1);    /* umlaut folded */
  g_assert_cmpuint (count (fixture, "auslandische uelzen"), ==, 1);
  g_assert_cmpuint (count (fixture, "strasse"), ==, 1);         /* ß as ss */
  g_assert_cmpuint (count (fixture, "Straße"), ==, 1);
  g_assert_cmpuint (count (fixture, "Pflege Straße"), ==, 0);   /* all words must match */
  g_assert_cmpuint (count (fixture, "\"' OR 1=1; --"), ==, 0);  /* query syntax is never user input */
  g_assert_cmpuint (count (fixture, NULL), ==, 2);

  /* A later edit replaces the indexed text */
  bnd_sketch_set_section (road, "need", "Bahn");
  bnd_store_save (fixture->store, road, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count (fixture, "strasse"), ==, 0);
}

/* Rows of the search index's queue (bnd-store-index.c), read from outside */
static int
queued_texts (Fixture *fixture)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int n;

  g_assert_cmpint (sqlite3_open (bnd_store_get_path (fixture->store), &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM index_queue", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

/* A save indexes its text later, in a batch: a search right after it finds it all the same, by
 * its new words and not by its old ones, also when another process (a second store on the same
 * profile, as the command-line tool is) saved it. */
static void
test_search_at_once (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(BndSketch) sketch = new_sketch ("Willkommenskultur in Celle", "Sprachkurse für Pflegekräfte");
  g_autoptr(BndSketch) other = new_sketch ("Handwerk", "Gesellen aus dem Ausland");
  g_autoptr(BndStore) second = NULL;
  g_autoptr(GError) error = NULL;

  bnd_store_save (fixture->store, sketch, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count (fixture, "Willkommenskultur"), ==, 1);
  g_assert_cmpuint (count (fixture, "sprachkurse pflege"), ==, 1);

  /* Renamed and saved: found by the new title at once, no longer by the old one */
  bnd_sketch_set_title (sketch, "Zuwanderung nach Uelzen");
  bnd_store_save (fixture->store, sketch, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count (fixture, "Zuwanderung"), ==, 1);
  g_assert_cmpuint (count (fixture, "Uelzen"), ==, 1);
  g_assert_cmpuint (count (fixture, "Willkommenskultur"), ==, 0);
  g_assert_cmpuint (count (fixture, "Celle"), ==, 0);

  /* Twice in a row before any search: the newer text counts */
  bnd_sketch_set_title (sketch, "Fachkräfte für Lüneburg");
  bnd_store_save (fixture->store, sketch, &error);
  g_assert_no_error (error);
  bnd_sketch_set_title (sketch, "Fachkräfte für Harburg");
  bnd_store_save (fixture->store, sketch, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count (fixture, "Harburg"), ==, 1);
  g_assert_cmpuint (count (fixture, "Luneburg"), ==, 0);
  g_assert_cmpuint (count (fixture, "Zuwanderung"), ==, 0);

  /* Saved by another process: its queue is in the profile's database, and the search here
   * indexes it first */
  second = bnd_store_new (fixture->directory, &error);
  g_assert_no_error (error);
  bnd_store_save (second, other, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count (fixture, "Gesellen"), ==, 1);

  /* Left alone for a moment, the worker indexes what is queued without a search */
  bnd_sketch_set_section (other, "need", "Meisterschulen");
  bnd_store_save (fixture->store, other, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 100 && queued_texts (fixture) > 0; i++)
    g_usleep (50 * 1000);
  g_assert_cmpint (queued_texts (fixture), ==, 0);
  g_assert_cmpuint (count (fixture, "Meisterschulen"), ==, 1);
  g_assert_cmpuint (count (fixture, "Gesellen"), ==, 0);

  /* A sync's page indexes its sketches at once: a local text still queued for one of them is
   * older, and must not come back over it later */
  {
    g_autoptr(BndSyncBatch) batch = bnd_sync_batch_new ();
    g_autoptr(BndSketch) theirs = bnd_sketch_copy (other);
    BndSyncState state = { .base_revision = 2 };

    bnd_sketch_set_section (other, "need", "Berufsschulen");
    bnd_store_save (fixture->store, other, &error);
    g_assert_no_error (error);
    bnd_sketch_set_section (theirs, "need", "Ausbildungsmessen");
    bnd_sync_batch_add_sketch (batch, theirs, NULL, &state);
    bnd_store_apply_sync_batch (fixture->store, batch, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (count (fixture, "Ausbildungsmessen"), ==, 1);
    g_assert_cmpuint (count (fixture, "Berufsschulen"), ==, 0);
  }
}

static void
on_saved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  guint *saved = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (bnd_store_save_finish (BND_STORE (source), result, &error));
  g_assert_no_error (error);
  (*saved)++;
}

static void
on_cancelled_save_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_false (bnd_store_save_finish (BND_STORE (source), result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  *done = TRUE;
}

static void
on_cancelled_read_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_null (bnd_store_call_finish (BND_STORE (source), result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  *done = TRUE;
}

static gpointer
count_runs_job (BndStore  *store,
                gpointer   data,
                GError   **error)
{
  g_atomic_int_inc ((gint *)data);
  return GINT_TO_POINTER (TRUE);
}

/* A caller that goes away cancels what it waits for: a read is then not even run, but a write
 * is never lost; only its callback hears of the cancellation. */
static void
test_cancelled_write (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(BndSketch) sketch = new_sketch ("Abgebrochen und doch gesichert", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(BndSketch) loaded = NULL;
  g_autoptr(GError) error = NULL;
  gboolean saved = FALSE, read = FALSE;
  gint runs = 0;

  g_cancellable_cancel (cancellable);
  bnd_store_save_async (fixture->store, sketch, cancellable, on_cancelled_save_cb, &saved);
  bnd_store_read_async (fixture->store, count_runs_job, &runs, NULL, NULL, cancellable, on_cancelled_read_cb,
                        &read);
  while (!saved || !read)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (runs, ==, 0);

  loaded = bnd_store_load (fixture->store, bnd_sketch_get_uuid (sketch), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bnd_sketch_get_title (loaded), ==, "Abgebrochen und doch gesichert");
}

/* A save run on the caller's thread (nothing queued) while the worker sleeps with nothing to do:
 * the worker is woken, and indexes it once idle without a search. */
static void
test_idle_index_after_inline_save (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(BndSketch) sketch = new_sketch ("Ausbildungsmesse", NULL);
  g_autoptr(GError) error = NULL;

  for (guint round = 0; round < 2; round++)
    {
      g_assert_true (bnd_store_save (fixture->store, sketch, &error));
      g_assert_no_error (error);
      g_assert_cmpint (queued_texts (fixture), ==, 1);
      for (guint i = 0; i < 100 && queued_texts (fixture) > 0; i++)
        g_usleep (50 * 1000);
      g_assert_cmpint (queued_texts (fixture), ==, 0);
      /* Long enough past IDLE_MS for the worker to wait without a timeout again */
      g_usleep (500 * 1000);
      bnd_sketch_set_title (sketch, "Berufsmesse");
    }
}

typedef struct
{
  BndStore *store;
  guint     saved;
} Saver;

/* Another thread's synchronous saves, beside the main thread's queued ones */
static gpointer
save_from_thread (gpointer data)
{
  Saver *saver = data;
  g_autoptr(BndSketch) sketch = new_sketch ("Zweiter Faden 0", NULL);

  for (guint i = 1; i <= 50; i++)
    {
      g_autofree char *title = g_strdup_printf ("Zweiter Faden %u", i);
      g_autoptr(GError) error = NULL;

      bnd_sketch_set_title (sketch, title);
      if (bnd_store_save (saver->store, sketch, &error))
        saver->saved++;
    }
  return g_strdup (bnd_sketch_get_uuid (sketch));
}

/* A synchronous call runs on its caller's thread when nothing is queued (bnd-store.c), but never
 * before what was queued ahead of it: a load right after queued saves reads the last of them,
 * and the saves' callbacks still come. Another thread saving all the while loses nothing. */
static void
test_sync_after_async (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(BndSketch) sketch = new_sketch ("Fassung 0", NULL);
  g_autoptr(BndSketch) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BndSketch) other = NULL;
  g_autofree char *other_uuid = NULL;
  Saver saver = { fixture->store, 0 };
  GThread *thread;
  guint saved = 0;

  thread = g_thread_new ("saver", save_from_thread, &saver);
  for (guint i = 1; i <= 50; i++)
    {
      g_autofree char *title = g_strdup_printf ("Fassung %u", i);

      bnd_sketch_set_title (sketch, title);
      bnd_store_save_async (fixture->store, sketch, NULL, on_saved_cb, &saved);
    }
  loaded = bnd_store_load (fixture->store, bnd_sketch_get_uuid (sketch), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bnd_sketch_get_title (loaded), ==, "Fassung 50");
  while (saved < 50)
    g_main_context_iteration (NULL, TRUE);
  other_uuid = g_thread_join (thread);
  g_assert_cmpuint (saver.saved, ==, 50);
  other = bnd_store_load (fixture->store, other_uuid, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bnd_sketch_get_title (other), ==, "Zweiter Faden 50");

  /* Then nothing is queued, and the next calls run here, in order as well */
  bnd_sketch_set_title (sketch, "Fassung 51");
  g_assert_true (bnd_store_save (fixture->store, sketch, &error));
  g_assert_no_error (error);
  g_clear_object (&loaded);
  loaded = bnd_store_load (fixture->store, bnd_sketch_get_uuid (sketch), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bnd_sketch_get_title (loaded), ==, "Fassung 51");
  g_assert_cmpuint (count (fixture, "Fassung"), ==, 1);
  g_assert_cmpuint (count (fixture, "Faden"), ==, 1);
}

/* A profile of step 7 (before the queue of the search index) with sketches in it: found by
 * search after the migration, and so is what is saved after it. */
static void
test_upgrade_search (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(BndSketch) care = new_sketch ("Pflegekräfte gewinnen", "Ausländische Pflegefachkräfte in Uelzen");
  g_autoptr(BndSketch) road = new_sketch ("Logistik", "Lieferverkehr auf der Straße im Heidekreis");
  g_autoptr(BndSketch) later = new_sketch ("Kinderbetreuung", "Randzeiten in Celle");
  g_autofree char *path = g_build_filename (fixture->directory, "buendnis.db", NULL);
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  bnd_store_save (fixture->store, care, &error);
  g_assert_no_error (error);
  bnd_store_save (fixture->store, road, &error);
  g_assert_no_error (error);
  g_clear_object (&fixture->store);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, SCHEMA_7 "PRAGMA user_version = 7", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  fixture->store = bnd_store_new (fixture->directory, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count (fixture, "Pflege"), ==, 1);
  g_assert_cmpuint (count (fixture, "strasse heidekreis"), ==, 1);
  g_assert_cmpuint (count (fixture, NULL), ==, 2);

  bnd_store_save (fixture->store, later, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count (fixture, "Randzeiten"), ==, 1);
  bnd_sketch_set_section (road, "need", "Bahn");
  bnd_store_save (fixture->store, road, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count (fixture, "strasse"), ==, 0);
  g_assert_cmpuint (count (fixture, "Bahn"), ==, 1);
}

static void
test_filters (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(BndSketch) a = new_sketch ("A", NULL);
  g_autoptr(BndSketch) b = new_sketch ("B", NULL);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  BndStoreQuery by_goal = { .goal = "3.2" };
  BndStoreQuery by_district = { .district = "celle" };
  BndStoreQuery by_object = { .funding_object = 3 };

  bnd_sketch_toggle_link (a, BND_LINK_GOALS, "3.2", TRUE);
  bnd_sketch_toggle_link (b, BND_LINK_DISTRICTS, "celle", TRUE);
  bnd_sketch_set_funding_object (b, 3);
  bnd_store_save (fixture->store, a, &error);
  bnd_store_save (fixture->store, b, &error);
  g_assert_no_error (error);

  list = bnd_store_list (fixture->store, &by_goal, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((BndSketchSummary *)g_ptr_array_index (list, 0))->title, ==, "A");
  g_clear_pointer (&list, g_ptr_array_unref);

  list = bnd_store_list (fixture->store, &by_district, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((BndSketchSummary *)g_ptr_array_index (list, 0))->title, ==, "B");
  g_clear_pointer (&list, g_ptr_array_unref);

  list = bnd_store_list (fixture->store, &by_object, &error);
  g_assert_cmpuint (list->len, ==, 1);
}

static void
test_delete_undo (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(BndSketch) sketch = new_sketch ("Weg damit", NULL);
  g_autoptr(GError) error = NULL;

  bnd_store_save (fixture->store, sketch, &error);
  g_assert_cmpuint (bnd_store_count (fixture->store, &error), ==, 1);
  bnd_store_set_deleted (fixture->store, bnd_sketch_get_uuid (sketch), TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bnd_store_count (fixture->store, &error), ==, 0);
  bnd_store_set_deleted (fixture->store, bnd_sketch_get_uuid (sketch), FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bnd_store_count (fixture->store, &error), ==, 1);
}

static void
test_versions (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(BndSketch) sketch = new_sketch ("Versionen", "Erste Fassung");
  g_autoptr(BndSketch) old = NULL;
  g_autoptr(BndSketch) current = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GError) error = NULL;
  gint64 first;

  /* edit, snapshot, edit, restore */
  bnd_store_add_version (fixture->store, sketch, "pause", &error);
  g_assert_no_error (error);
  /* the same state again adds nothing */
  bnd_store_add_version (fixture->store, sketch, "pause", &error);
  bnd_sketch_set_section (sketch, "need", "Zweite Fassung");
  bnd_store_add_version (fixture->store, sketch, "pause", &error);
  g_assert_no_error (error);

  versions = bnd_store_list_versions (fixture->store, bnd_sketch_get_uuid (sketch), &error);
  g_assert_cmpuint (versions->len, ==, 2);
  first = ((BndVersion *)g_ptr_array_index (versions, 0))->id;

  old = bnd_store_load_version (fixture->store, first, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bnd_sketch_get_section (old, "need"), ==, "Erste Fassung");
  bnd_store_add_version (fixture->store, old, "restore", &error);
  g_assert_no_error (error);

  /* both versions remain, and the restored text is current */
  g_clear_pointer (&versions, g_ptr_array_unref);
  versions = bnd_store_list_versions (fixture->store, bnd_sketch_get_uuid (sketch), &error);
  g_assert_cmpuint (versions->len, ==, 3);
  current = bnd_store_load (fixture->store, bnd_sketch_get_uuid (sketch), NULL, &error);
  g_assert_cmpstr (bnd_sketch_get_section (current, "need"), ==, "Erste Fassung");
  g_clear_object (&old);
  old = bnd_store_load_version (fixture->store, ((BndVersion *)g_ptr_array_index (versions, 1))->id, &error);
  g_assert_cmpstr (bnd_sketch_get_section (old, "need"), ==, "Zweite Fassung");
}

static void
test_schema (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BndStore) again = NULL;
  sqlite3 *db;
  char *mode = NULL;

  g_assert_cmpint (sqlite3_open (bnd_store_get_path (fixture->store), &db), ==, SQLITE_OK);
  sqlite3_exec (db, "PRAGMA journal_mode", NULL, NULL, NULL);
  {
    sqlite3_stmt *stmt;
    sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    mode = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
  }
  g_assert_cmpstr (mode, ==, "wal");
  g_free (mode);

  /* A database from a newer Bündnis is refused, not damaged. */
  sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL);
  sqlite3_close (db);
  g_clear_object (&fixture->store);

  again = bnd_store_new (fixture->directory, &error);
  g_assert_error (error, BND_STORE_ERROR, BND_STORE_ERROR_TOO_NEW);
  g_assert_null (again);
}

static BndQueuedRating *
find_rating (GPtrArray  *ratings,
             const char *dossier)
{
  for (guint i = 0; i < ratings->len; i++)
    if (g_str_equal (((BndQueuedRating *)g_ptr_array_index (ratings, i))->dossier, dossier))
      return g_ptr_array_index (ratings, i);
  return NULL;
}

static void
test_queued_ratings (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *first = "4d5e6f70-8192-4a3b-9c4d-5e6f708192a3";
  const char *second = "7a2b4c6d-8e0f-4a1b-9c3d-5e7f9a1b3c5d";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ratings = NULL;
  g_autoptr(BndStore) again = NULL;
  BndQueuedRating *rating;
  gint64 sent_at;

  bnd_store_queue_rating (fixture->store, first, "{\"feasibility\": 2}", NULL, &error);
  g_assert_no_error (error);
  bnd_store_queue_rating (fixture->store, second, "{\"feasibility\": 5}", "gut", &error);
  g_assert_no_error (error);
  /* Rated again while queued: the newer rating replaces the first. */
  bnd_store_queue_rating (fixture->store, first, "{\"feasibility\": 3}", "überarbeitet", &error);
  g_assert_no_error (error);

  ratings = bnd_store_list_ratings (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ratings->len, ==, 2);
  rating = find_rating (ratings, first);
  g_assert_nonnull (rating);
  g_assert_cmpstr (rating->scores, ==, "{\"feasibility\": 3}");
  g_assert_cmpstr (rating->comment, ==, "überarbeitet");
  g_assert_cmpstr (rating->state, ==, "queued");
  g_assert_null (rating->message);
  g_assert_cmpstr (find_rating (ratings, second)->comment, ==, "gut");
  /* Oldest first. */
  g_assert_cmpstr (((BndQueuedRating *)g_ptr_array_index (ratings, 0))->dossier, ==, second);

  /* A refusal is kept with the server's reason. */
  rating = find_rating (ratings, second);
  g_free (rating->state);
  rating->state = g_strdup ("refused");
  rating->message = g_strdup ("The rating round has ended");
  bnd_store_settle_rating (fixture->store, rating, &error);
  g_assert_no_error (error);

  /* Settling the rating that was sent leaves one given again meanwhile queued. */
  rating = find_rating (ratings, first);
  sent_at = rating->rated_at;
  bnd_store_queue_rating (fixture->store, first, "{\"feasibility\": 4}", "", &error);
  g_assert_no_error (error);
  g_free (rating->state);
  rating->state = g_strdup ("counted");
  bnd_store_settle_rating (fixture->store, rating, &error);
  g_assert_no_error (error);

  /* And all of it outlives the store. */
  g_clear_pointer (&ratings, g_ptr_array_unref);
  g_clear_object (&fixture->store);
  again = bnd_store_new (fixture->directory, &error);
  g_assert_no_error (error);
  ratings = bnd_store_list_ratings (again, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ratings->len, ==, 2);
  rating = find_rating (ratings, second);
  g_assert_cmpstr (rating->state, ==, "refused");
  g_assert_cmpstr (rating->message, ==, "The rating round has ended");
  rating = find_rating (ratings, first);
  g_assert_cmpstr (rating->state, ==, "queued");
  g_assert_cmpstr (rating->scores, ==, "{\"feasibility\": 4}");
  g_assert_cmpint (rating->rated_at, >, sent_at);

  /* Settled, a rating given again is queued anew. */
  g_free (rating->state);
  rating->state = g_strdup ("counted");
  bnd_store_settle_rating (again, rating, &error);
  g_assert_no_error (error);
  bnd_store_queue_rating (again, second, "{\"feasibility\": 1}", "", &error);
  g_assert_no_error (error);
  g_clear_pointer (&ratings, g_ptr_array_unref);
  ratings = bnd_store_list_ratings (again, &error);
  g_assert_cmpstr (find_rating (ratings, first)->state, ==, "counted");
  g_assert_cmpstr (find_rating (ratings, second)->state, ==, "queued");
  g_assert_null (find_rating (ratings, second)->message);
}

/* A profile from before queued ratings (and the server cache) gains them, and keeps its queued votes. */
static void
test_upgrade_ratings (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) votes = NULL;
  g_autoptr(GPtrArray) ratings = NULL;
  g_autoptr(BndStore) again = NULL;
  g_autofree char *path = g_build_filename (fixture->directory, "buendnis.db", NULL);
  sqlite3 *db;

  bnd_store_queue_vote (fixture->store, "4d5e6f70-8192-4a3b-9c4d-5e6f708192a3", "yes", "", &error);
  g_assert_no_error (error);
  g_clear_object (&fixture->store);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, SCHEMA_6 "DROP TABLE queued_ratings; DROP TABLE server_cache; PRAGMA user_version = 4",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  again = bnd_store_new (fixture->directory, &error);
  g_assert_no_error (error);
  votes = bnd_store_list_votes (again, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (votes->len, ==, 1);
  ratings = bnd_store_list_ratings (again, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ratings->len, ==, 0);
  bnd_store_queue_rating (again, "4d5e6f70-8192-4a3b-9c4d-5e6f708192a3", "{}", "", &error);
  g_assert_no_error (error);
}


static BndQueuedVote *
find_vote (GPtrArray  *votes,
           const char *user)
{
  for (guint i = 0; i < votes->len; i++)
    if (g_str_equal (((BndQueuedVote *)g_ptr_array_index (votes, i))->account_user, user))
      return g_ptr_array_index (votes, i);
  return NULL;
}

/* A vote or rating is kept with the account that gave it; each account has its own. */
static void
test_accounts (Fixture       *fixture,
               gconstpointer  data)
{
  const char *dossier = "4d5e6f70-8192-4a3b-9c4d-5e6f708192a3";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) votes = NULL;
  g_autoptr(GPtrArray) own = NULL;
  g_autoptr(GPtrArray) ratings = NULL;
  BndQueuedVote *vote;

  bnd_store_queue_vote (fixture->store, dossier, "yes", "", &error);
  g_assert_no_error (error);
  bnd_store_queue_rating (fixture->store, dossier, "{}", "", &error);
  g_assert_no_error (error);

  /* Signed in as someone else, on the same profile: a second vote, not a replacement. */
  g_assert_true (bnd_store_set_meta (fixture->store, "server_user", "ben", NULL));
  bnd_store_queue_vote (fixture->store, dossier, "no", "", &error);
  g_assert_no_error (error);
  votes = bnd_store_list_votes (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (votes->len, ==, 2);
  vote = find_vote (votes, "anna");
  g_assert_cmpstr (vote->choice, ==, "yes");
  g_assert_cmpstr (vote->account_url, ==, "https://buendnis.example");
  g_assert_cmpstr (find_vote (votes, "ben")->choice, ==, "no");
  own = bnd_store_list_own_votes (fixture->store, &error);
  g_assert_cmpuint (own->len, ==, 1);
  g_assert_cmpstr (((BndQueuedVote *)g_ptr_array_index (own, 0))->account_user, ==, "ben");
  ratings = bnd_store_list_own_ratings (fixture->store, &error);
  g_assert_cmpuint (ratings->len, ==, 0);

  /* Settling anna's vote leaves ben's queued. */
  g_free (vote->state);
  vote->state = g_strdup ("counted");
  bnd_store_settle_vote (fixture->store, vote, &error);
  g_assert_no_error (error);
  g_clear_pointer (&votes, g_ptr_array_unref);
  votes = bnd_store_list_votes (fixture->store, &error);
  g_assert_cmpstr (find_vote (votes, "anna")->state, ==, "counted");
  g_assert_cmpstr (find_vote (votes, "ben")->state, ==, "queued");

  /* Signed out: nobody gives a vote. */
  g_assert_true (bnd_store_set_meta (fixture->store, "server_user", NULL, NULL));
  g_assert_false (bnd_store_queue_vote (fixture->store, dossier, "abstain", "", &error));
  g_assert_error (error, BND_STORE_ERROR, BND_STORE_ERROR_NO_ACCOUNT);
  g_clear_error (&error);
  g_assert_false (bnd_store_queue_rating (fixture->store, dossier, "{}", "", &error));
  g_assert_error (error, BND_STORE_ERROR, BND_STORE_ERROR_NO_ACCOUNT);
  g_clear_pointer (&own, g_ptr_array_unref);
  own = bnd_store_list_own_votes (fixture->store, &error);
  g_assert_cmpuint (own->len, ==, 0);

  g_assert_true (bnd_store_is_account ("https://b.example/", "anna", "https://b.example", "anna"));
  g_assert_false (bnd_store_is_account ("https://b.example", "anna", "https://b.example", "ben"));
  g_assert_false (bnd_store_is_account ("https://b.example", "anna", "https://c.example", "anna"));
  g_assert_false (bnd_store_is_account ("https://b.example", NULL, "https://b.example", "anna"));
}

/* A profile from before accounts: what was queued was given by the account signed in then. */
static void
test_upgrade_accounts (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) votes = NULL;
  g_autoptr(GPtrArray) ratings = NULL;
  g_autoptr(BndStore) again = NULL;
  g_autoptr(BndSketch) sketch = bnd_sketch_new ();
  g_autoptr(BndSyncState) state = NULL;
  g_autofree char *path = g_build_filename (fixture->directory, "buendnis.db", NULL);
  sqlite3 *db;

  bnd_store_queue_vote (fixture->store, "4d5e6f70-8192-4a3b-9c4d-5e6f708192a3", "yes", "", &error);
  g_assert_no_error (error);
  bnd_store_queue_rating (fixture->store, "4d5e6f70-8192-4a3b-9c4d-5e6f708192a3", "{}", "gut", &error);
  g_assert_no_error (error);
  bnd_store_save (fixture->store, sketch, &error);
  g_assert_no_error (error);
  g_clear_object (&fixture->store);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, SCHEMA_6 "PRAGMA user_version = 6", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  again = bnd_store_new (fixture->directory, &error);
  g_assert_no_error (error);
  votes = bnd_store_list_votes (again, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (votes->len, ==, 1);
  g_assert_cmpstr (((BndQueuedVote *)g_ptr_array_index (votes, 0))->account_user, ==, "anna");
  g_assert_cmpstr (((BndQueuedVote *)g_ptr_array_index (votes, 0))->account_url, ==, "https://buendnis.example");
  ratings = bnd_store_list_own_ratings (again, &error);
  g_assert_cmpuint (ratings->len, ==, 1);
  g_assert_cmpstr (((BndQueuedRating *)g_ptr_array_index (ratings, 0))->comment, ==, "gut");
  state = bnd_store_get_sync_state (again, bnd_sketch_get_uuid (sketch), &error);
  g_assert_no_error (error);
  g_assert_true (state->dirty);
  g_assert_null (state->refused);
}

/* A sketch the server refused keeps the reason, waits (it is not pushed) until an edit, and
 * the list says so. */
static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BndSketch) sketch = bnd_sketch_new ();
  g_autoptr(BndSyncState) state = NULL;
  g_autoptr(GPtrArray) push = NULL;
  g_autoptr(GPtrArray) refused = NULL;
  g_autoptr(GPtrArray) list = NULL;
  const char *uuid = bnd_sketch_get_uuid (sketch);
  BndSyncState mark = { 0 };

  bnd_sketch_set_title (sketch, "Abgelehnt");
  mark.dirty = TRUE;
  mark.refused = (char *)"{\"status\": 409, \"error\": \"conflict\", \"message\": \"No\"}";
  g_assert_true (bnd_store_apply_sync (fixture->store, sketch, &mark, &error));

  state = bnd_store_get_sync_state (fixture->store, uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (state->refused, ==, mark.refused);
  push = bnd_store_list_unsynced (fixture->store, BND_UNSYNCED_TO_PUSH, &error);
  g_assert_cmpuint (push->len, ==, 0);
  refused = bnd_store_list_unsynced (fixture->store, BND_UNSYNCED_REFUSED, &error);
  g_assert_cmpuint (refused->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (refused, 0), ==, uuid);
  list = bnd_store_list (fixture->store, &(BndStoreQuery){ 0 }, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_true (((BndSketchSummary *)g_ptr_array_index (list, 0))->refused);

  /* An edit is a new attempt. */
  bnd_sketch_set_title (sketch, "Überarbeitet");
  g_assert_true (bnd_store_save (fixture->store, sketch, &error));
  g_clear_pointer (&state, bnd_sync_state_free);
  state = bnd_store_get_sync_state (fixture->store, uuid, &error);
  g_assert_null (state->refused);
  g_assert_true (state->dirty);
  g_clear_pointer (&push, g_ptr_array_unref);
  push = bnd_store_list_unsynced (fixture->store, BND_UNSYNCED_TO_PUSH, &error);
  g_assert_cmpuint (push->len, ==, 1);
}


static void
cache_json (BndStore   *store,
            const char *path,
            const char *json)
{
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
  g_autoptr(GError) error = NULL;

  bnd_store_cache_put (store, path, body, &error);
  g_assert_no_error (error);
}

/* The server's answers are kept per path; from them and the queued votes, My tasks and the
 * reminders are worked out offline: a new request once, then 3 days and 1 day before. */
static void
test_tasks_and_reminders (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BndSketch) sketch = new_sketch ("Welcome & Stay", NULL);
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GBytes) missing = NULL;
  g_autofree char *vote_path = NULL;
  g_autofree char *vote = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 deadline = now + 10 * 24 * 3600;
  const char *uuid;

  bnd_sketch_set_stage (sketch, "vote");
  bnd_store_save (fixture->store, sketch, &error);
  g_assert_no_error (error);
  uuid = bnd_sketch_get_uuid (sketch);

  /* Nobody signed in yet: nothing to do. */
  tasks = bnd_tasks_collect (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 0);
  g_clear_pointer (&tasks, g_ptr_array_unref);
  missing = bnd_store_cache_get (fixture->store, "/nothing");
  g_assert_null (missing);

  cache_json (fixture->store, "/me", "{\"user\": \"seat\", \"org\": \"hwk-bls\", \"role\": \"partner\"}");
  vote_path = g_strdup_printf ("/dossiers/%s/vote", uuid);
  vote = g_strdup_printf ("{\"closed\": false, \"deadline\": %lld, \"entitled\": 12, \"voted\": 3, "
                          "\"ballots\": [{\"org\": \"hwk-bls\", \"choice\": null}]}", (long long)deadline);
  cache_json (fixture->store, vote_path, vote);

  tasks = bnd_tasks_collect (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 1);
  g_assert_cmpint (((BndTask *)g_ptr_array_index (tasks, 0))->kind, ==, BND_TASK_VOTE);
  g_assert_cmpint (bnd_task_days_left (g_ptr_array_index (tasks, 0), now), ==, 10);

  /* New: reminded once, and not again the same day. */
  due = bnd_tasks_take_reminders (fixture->store, tasks, now);
  g_assert_cmpuint (due->len, ==, 1);
  g_clear_pointer (&due, g_ptr_array_unref);
  due = bnd_tasks_take_reminders (fixture->store, tasks, now + 3600);
  g_assert_cmpuint (due->len, ==, 0);
  g_clear_pointer (&due, g_ptr_array_unref);
  /* Three days before, once; one day before, once; after the deadline, never. */
  due = bnd_tasks_take_reminders (fixture->store, tasks, deadline - 3 * 24 * 3600 + 60);
  g_assert_cmpuint (due->len, ==, 1);
  g_clear_pointer (&due, g_ptr_array_unref);
  due = bnd_tasks_take_reminders (fixture->store, tasks, deadline - 2 * 24 * 3600);
  g_assert_cmpuint (due->len, ==, 0);
  g_clear_pointer (&due, g_ptr_array_unref);
  due = bnd_tasks_take_reminders (fixture->store, tasks, deadline - 3600);
  g_assert_cmpuint (due->len, ==, 1);
  g_clear_pointer (&due, g_ptr_array_unref);
  due = bnd_tasks_take_reminders (fixture->store, tasks, deadline + 60);
  g_assert_cmpuint (due->len, ==, 0);
  g_clear_pointer (&due, g_ptr_array_unref);

  /* A vote cast offline takes the task away before any sync. */
  bnd_store_queue_vote (fixture->store, uuid, "yes", "", &error);
  g_assert_no_error (error);
  g_clear_pointer (&tasks, g_ptr_array_unref);
  tasks = bnd_tasks_collect (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 0);
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Exported;

static void
on_export_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Exported *exported = user_data;

  exported->ok = bnd_store_export_profile_finish (BND_STORE (source), result, &exported->error);
  exported->done = TRUE;
}

/* The application's way: the export runs on the store's worker and reports back. */
static void
test_profile_export_async (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(BndSketch) sketch = new_sketch ("Pflegekräfte gewinnen", "Ausländische Pflegefachkräfte");
  g_autofree char *file = g_build_filename (fixture->directory, "moved.bndprofile", NULL);
  g_autofree char *target = g_build_filename (fixture->directory, "target", NULL);
  g_autofree char *copy = g_build_filename (fixture->directory, "copy", NULL);
  g_autoptr(BndStore) moved = NULL;
  g_autoptr(BndStore) other = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  Exported exported = { 0 };
  sqlite3 *db = NULL;

  bnd_store_save (fixture->store, sketch, &error);
  g_assert_no_error (error);

  bnd_store_export_profile_async (fixture->store, file, NULL, on_export_done_cb, &exported);
  while (!exported.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (exported.error);
  g_assert_true (exported.ok);
  g_assert_true (bnd_store_check_profile_file (file, &error));
  g_assert_no_error (error);

  moved = bnd_store_new (target, &error);
  g_assert_no_error (error);
  g_assert_true (bnd_store_import_profile (moved, file, &error));
  g_assert_no_error (error);
  list = bnd_store_list (moved, &(BndStoreQuery) { .text = "pflegefachkrafte" }, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);

  /* A table the import does not know (a migration that forgot it) stops the import. */
  g_assert_cmpint (sqlite3_open (file, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE mystery (x);", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  other = bnd_store_new (copy, &error);
  g_assert_no_error (error);
  g_assert_false (bnd_store_import_profile (other, file, &error));
  g_assert_error (error, BND_STORE_ERROR, BND_STORE_ERROR_SQL);
  g_assert_cmpuint (bnd_store_count (other, NULL), ==, 0);
  g_clear_error (&error);

  /* A profile file is anyone's: a trigger or a view in it, which the migration of its copy or
   * the import's reads would run, stops the import before either. */
  for (guint i = 0; i < 2; i++)
    {
      static const char *hostile[] = {
        "CREATE TRIGGER evil AFTER INSERT ON meta BEGIN DELETE FROM sketches; END;",
        "CREATE VIEW evil AS SELECT * FROM sketches;",
      };

      g_assert_true (bnd_store_export_profile (fixture->store, file, &error));
      g_assert_no_error (error);
      g_assert_cmpint (sqlite3_open (file, &db), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db, hostile[i], NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_close (db);
      g_assert_false (bnd_store_check_profile_file (file, &error));
      g_assert_error (error, BND_STORE_ERROR, BND_STORE_ERROR_NOT_PROFILE);
      g_clear_error (&error);
      g_assert_false (bnd_store_import_profile (other, file, &error));
      g_assert_error (error, BND_STORE_ERROR, BND_STORE_ERROR_NOT_PROFILE);
      g_clear_error (&error);
      g_assert_cmpuint (bnd_store_count (other, NULL), ==, 0);
    }

  g_clear_object (&moved);
  g_clear_object (&other);
  remove_tree (target);
  remove_tree (copy);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/save-load", Fixture, NULL, fixture_set_up, test_save_load, fixture_tear_down);
  g_test_add ("/store/full-text", Fixture, NULL, fixture_set_up, test_full_text, fixture_tear_down);
  g_test_add ("/store/search-at-once", Fixture, NULL, fixture_set_up, test_search_at_once, fixture_tear_down);
  g_test_add ("/store/upgrade-search", Fixture, NULL, fixture_set_up, test_upgrade_search, fixture_tear_down);
  g_test_add ("/store/filters", Fixture, NULL, fixture_set_up, test_filters, fixture_tear_down);
  g_test_add ("/store/delete-undo", Fixture, NULL, fixture_set_up, test_delete_undo, fixture_tear_down);
  g_test_add ("/store/versions", Fixture, NULL, fixture_set_up, test_versions, fixture_tear_down);
  g_test_add ("/store/schema", Fixture, NULL, fixture_set_up, test_schema, fixture_tear_down);
  g_test_add ("/store/queued-ratings", Fixture, NULL, fixture_set_up, test_queued_ratings, fixture_tear_down);
  g_test_add ("/store/upgrade-ratings", Fixture, NULL, fixture_set_up, test_upgrade_ratings, fixture_tear_down);
  g_test_add ("/store/accounts", Fixture, NULL, fixture_set_up, test_accounts, fixture_tear_down);
  g_test_add ("/store/upgrade-accounts", Fixture, NULL, fixture_set_up, test_upgrade_accounts, fixture_tear_down);
  g_test_add ("/store/refused", Fixture, NULL, fixture_set_up, test_refused, fixture_tear_down);
  g_test_add ("/store/tasks-and-reminders", Fixture, NULL, fixture_set_up, test_tasks_and_reminders, fixture_tear_down);
  g_test_add ("/store/cancelled-write", Fixture, NULL, fixture_set_up, test_cancelled_write, fixture_tear_down);
  g_test_add ("/store/idle-index-after-inline-save", Fixture, NULL, fixture_set_up, test_idle_index_after_inline_save,
              fixture_tear_down);
  g_test_add ("/store/sync-after-async", Fixture, NULL, fixture_set_up, test_sync_after_async,
              fixture_tear_down);
  g_test_add ("/store/profile-export-async", Fixture, NULL, fixture_set_up, test_profile_export_async,
              fixture_tear_down);

  return g_test_run ();
}
