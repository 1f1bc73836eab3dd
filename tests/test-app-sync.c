/* test-app-sync.c: the window's sync against a real buendnis-server that goes away and comes back
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "bnd-resources.h"
#include "bnd-sketches-page.h"
#include "bnd-sync.h"
#include "bnd-test-server.h"
#include "bnd-window.h"

/* The app's window on @store and @strategy, shown */
static BndWindow *
present_window (BndStore    *store,
                BndStrategy *strategy)
{
  BndWindow *window = g_object_ref_sink (bnd_window_new (NULL));

  bnd_window_set_store (window, store);
  bnd_window_set_strategy (window, strategy);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
wait_for_status (BndSyncManager *sync,
                 BndSyncStatus   status,
                 guint           seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, timeout_cb, &timed_out);

  while (bnd_sync_manager_get_status (sync) != status && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return !timed_out;
}

/* Runs the main loop until the editor shows a sketch other than @not_uuid (any, for NULL) and the
 * store's answers about it are shown: opening waits for the store's worker, not for the window. */
static gboolean
wait_for_open (BndSketchEditor *editor,
               BndStore        *store,
               const char      *not_uuid,
               guint            seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, timeout_cb, &timed_out);
  BndSketch *open;

  while (!((open = bnd_sketch_editor_get_sketch (editor)) &&
           g_strcmp0 (bnd_sketch_get_uuid (open), not_uuid) != 0) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  bnd_store_flush (store);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return !timed_out;
}

/* Whether the sketch list offers @action for the sketch @uuid (its row's button). */
static gboolean
offers_action (GtkWidget  *widget,
               const char *action,
               const char *uuid)
{
  if (GTK_IS_ACTIONABLE (widget) && GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    {
      GVariant *target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (widget));

      if (target && g_strcmp0 (g_variant_get_string (target, NULL), uuid) == 0)
        return TRUE;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (offers_action (child, action, uuid))
      return TRUE;
  return FALSE;
}

static void
test_offline_and_back (void)
{
  const char *server_path = g_getenv ("BUENDNIS_SERVER");
  g_autoptr(GError) error = NULL;
  g_autoptr(BndStrategy) strategy = bnd_strategy_new_default (&error);
  g_autofree char *profile = g_dir_make_tmp ("bnd-app-sync-XXXXXX", NULL);
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autoptr(BndStore) store = NULL;
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GPtrArray) waiting = NULL;
  g_autofree char *command = NULL;
  BndWindow *window;
  BndSyncManager *sync;
  BndTestServer server = { 0 };

  g_assert_nonnull (server_path);
  server.data = g_dir_make_tmp ("bnd-server-XXXXXX", NULL);
  bnd_test_server_admin (NULL, "init", "--data", server.data, NULL);
  bnd_test_server_add_user (server.data, "uta", "lk-uelzen", "carrier");
  bnd_test_server_serve (&server, 0);
  url = g_strdup_printf ("http://127.0.0.1:%u", server.port);
  token = bnd_sync_login (url, "uta", BND_TEST_PASSWORD, &error);
  g_assert_no_error (error);

  store = bnd_store_new (profile, &error);
  g_assert_no_error (error);
  window = present_window (store, strategy);
  sync = bnd_window_get_sync_manager (window);
  g_assert_nonnull (sync);

  /* Signed in: the header says synced */
  bnd_sync_manager_set_credentials (sync, url, "uta", token);
  bnd_sync_manager_sync_now (sync);
  g_assert_true (wait_for_status (sync, BND_SYNC_SYNCED, 20));
  g_assert_cmpstr (bnd_sync_manager_get_status_text (sync), ==, "Synced");

  /* The server goes away; an edit is kept and queued */
  bnd_test_server_stop (&server);
  sketch = bnd_sketch_new ();
  bnd_sketch_set_title (sketch, "Offline geschrieben");
  bnd_store_save (store, sketch, &error);
  g_assert_no_error (error);
  bnd_sync_manager_sync_now (sync);
  g_assert_true (wait_for_status (sync, BND_SYNC_OFFLINE, 20));
  g_assert_cmpstr (bnd_sync_manager_get_status_text (sync), ==, "Offline");
  waiting = bnd_store_list_unsynced (store, BND_UNSYNCED_TO_PUSH, &error);
  g_assert_cmpuint (waiting->len, ==, 1);

  /* It comes back at the same address: the app syncs by itself and says so */
  bnd_test_server_serve (&server, server.port);
  g_assert_true (wait_for_status (sync, BND_SYNC_SYNCED, 30));
  g_clear_pointer (&waiting, g_ptr_array_unref);
  waiting = bnd_store_list_unsynced (store, BND_UNSYNCED_TO_PUSH, &error);
  g_assert_cmpuint (waiting->len, ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  bnd_test_server_stop (&server);
  command = g_strdup_printf ("rm -rf '%s' '%s'", profile, server.data);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  g_free (server.data);
}

/* Runs the main loop until @sync has finished more than @n syncs. */
static gboolean
wait_for_syncs (BndSyncManager *sync,
                guint           n,
                guint           seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, timeout_cb, &timed_out);

  while (bnd_sync_manager_get_n_syncs (sync) <= n && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return !timed_out;
}

/* Signed in to another alliance on the service: the first sync brings its pack, and the window
 * drafts against it from then on; not while a sketch is open in the editor, which it would
 * close, but once it is closed. */
static void
test_alliance_pack (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BndStrategy) strategy = bnd_strategy_new_default (&error);
  g_autofree char *profile = g_dir_make_tmp ("bnd-app-sync-XXXXXX", NULL);
  g_autofree char *pack_path = NULL;
  g_autofree char *west = NULL;
  g_autofree char *pack = NULL;
  g_autofree char *served = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *command = NULL;
  g_autoptr(BndStore) store = NULL;
  g_autoptr(BndSketch) sketch = bnd_sketch_new ();
  g_auto(GStrv) halves = NULL;
  BndSketchesPage *page;
  BndWindow *window;
  BndSyncManager *sync;
  BndTestServer server = { 0 };
  guint n_syncs;

  server.data = g_dir_make_tmp ("bnd-server-XXXXXX", NULL);
  bnd_test_server_admin (NULL, "init", "--data", server.data, NULL);
  /* The built-in pack under another alliance's name */
  halves = g_strsplit (g_bytes_get_data (bnd_strategy_get_bytes (strategy), NULL),
                       "Allianz für Fachkräfte Nordostniedersachsen", 2);
  pack = g_strjoinv ("Fachkräftebündnis Süd (Test)", halves);
  pack_path = g_build_filename (server.data, "sued.json", NULL);
  g_assert_true (g_file_set_contents (pack_path, pack, -1, NULL));
  bnd_test_server_admin (NULL, "add-alliance", "--data", server.data, "--strategy", pack_path, "sued", NULL);
  west = g_build_filename (server.data, "alliances", "sued", NULL);
  bnd_test_server_add_user (west, "uta", "lk-uelzen", "carrier");
  bnd_test_server_serve (&server, 0);
  url = g_strdup_printf ("http://127.0.0.1:%u/a/sued", server.port);
  token = bnd_sync_login (url, "uta", BND_TEST_PASSWORD, &error);
  g_assert_no_error (error);

  store = bnd_store_new (profile, &error);
  g_assert_no_error (error);
  window = present_window (store, strategy);
  sync = bnd_window_get_sync_manager (window);
  g_assert_cmpstr (bnd_strategy_get_alliance (bnd_window_get_strategy (window))->name, ==,
                   "Allianz für Fachkräfte Nordostniedersachsen");

  bnd_sketch_set_title (sketch, "Offen im Editor");
  g_assert_true (bnd_store_save (store, sketch, &error));
  page = BND_SKETCHES_PAGE (bnd_window_get_view (window, "sketches"));
  bnd_sketches_page_open (page, bnd_sketch_get_uuid (sketch));
  g_assert_true (wait_for_open (bnd_sketches_page_get_editor (page), store, NULL, 20));

  bnd_sync_manager_set_credentials (sync, url, "uta", token);
  n_syncs = bnd_sync_manager_get_n_syncs (sync);
  bnd_sync_manager_sync_now (sync);
  g_assert_true (wait_for_syncs (sync, n_syncs, 20));
  g_assert_true (bnd_sketches_page_is_editing (page));
  g_assert_cmpstr (bnd_strategy_get_alliance (bnd_window_get_strategy (window))->name, ==,
                   "Allianz für Fachkräfte Nordostniedersachsen");

  bnd_sketches_page_close_editor (page);
  n_syncs = bnd_sync_manager_get_n_syncs (sync);
  bnd_sync_manager_sync_now (sync);
  g_assert_true (wait_for_syncs (sync, n_syncs, 20));
  g_assert_cmpstr (bnd_strategy_get_alliance (bnd_window_get_strategy (window))->name, ==,
                   "Fachkräftebündnis Süd (Test)");
  served = bnd_sync_strategy_path (profile);
  g_assert_true (g_file_test (served, G_FILE_TEST_EXISTS));

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  bnd_test_server_stop (&server);
  command = g_strdup_printf ("rm -rf '%s' '%s'", profile, server.data);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  g_free (server.data);
}

/* A sketch the server refuses: the header says so, the sketch's editor says why and offers the
 * way out, and keeping one's own version sends it as a new draft. */
static void
test_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BndStrategy) strategy = bnd_strategy_new_default (&error);
  g_autofree char *work = g_dir_make_tmp ("bnd-app-refused-XXXXXX", NULL);
  g_autofree char *profile = g_build_filename (work, "uta", NULL);
  g_autofree char *other = g_build_filename (work, "udo", NULL);
  g_autofree char *reference_path = g_test_build_filename (G_TEST_DIST, "data", "reference-sketch.bndsketch", NULL);
  g_autofree char *reference_data = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *udo_token = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *sha256 = NULL;
  gboolean differs = TRUE;
  g_autofree char *command = NULL;
  g_autofree char *draft_path = NULL;
  g_autoptr(BndStore) store = NULL;
  g_autoptr(BndStore) udo = NULL;
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(BndSketch) stale = NULL;
  g_autoptr(GBytes) answer = NULL;
  BndSketchesPage *page;
  BndSketchEditor *editor;
  BndSketchBanner *banner;
  BndSketch *open;
  BndWindow *window;
  BndSyncManager *sync;
  BndTestServer server = { 0 };
  BndSyncReport report;
  gsize length;
  guint status = 0;

  server.data = g_build_filename (work, "server", NULL);
  bnd_test_server_admin (NULL, "init", "--data", server.data, NULL);
  bnd_test_server_add_user (server.data, "uta", "lk-uelzen", "carrier");
  bnd_test_server_add_user (server.data, "udo", "lk-uelzen", "carrier");
  bnd_test_server_serve (&server, 0);
  url = g_strdup_printf ("http://127.0.0.1:%u", server.port);
  token = bnd_sync_login (url, "uta", BND_TEST_PASSWORD, &error);
  udo_token = bnd_sync_login (url, "udo", BND_TEST_PASSWORD, &error);
  g_assert_no_error (error);

  /* udo, a colleague, writes the sketch; uta's app has it while it is a draft */
  g_file_get_contents (reference_path, &reference_data, &length, &error);
  sketch = bnd_sketch_new_from_data (reference_data, length, reference_path, strategy, &error);
  g_assert_no_error (error);
  bnd_sketch_set_uuid (sketch, uuid);
  udo = bnd_store_new (other, &error);
  g_assert_true (bnd_store_save (udo, sketch, &error));
  g_assert_true (bnd_sync_run (udo, strategy, url, udo_token, NULL, &report, &error));

  store = bnd_store_new (profile, &error);
  g_assert_no_error (error);
  window = present_window (store, strategy);
  sync = bnd_window_get_sync_manager (window);
  bnd_sync_manager_set_credentials (sync, url, "uta", token);
  bnd_sync_manager_sync_now (sync);
  g_assert_true (wait_for_status (sync, BND_SYNC_SYNCED, 20));

  /* udo submits; uta edits her copy before the app has heard of it */
  g_assert_true (bnd_sync_submit (udo, strategy, url, udo_token, uuid, &sha256, &differs, &error));
  /* The same version renders the same bytes as the server */
  g_assert_false (differs);
  g_assert_no_error (error);
  stale = bnd_store_load (store, uuid, NULL, &error);
  g_assert_no_error (error);
  bnd_sketch_set_section (stale, "need", "Utas späte Fassung");
  g_assert_true (bnd_store_save (store, stale, &error));
  bnd_sync_manager_sync_now (sync);
  g_assert_true (wait_for_status (sync, BND_SYNC_REFUSED, 20));
  g_assert_cmpstr (bnd_sync_manager_get_status_text (sync), ==, "1 refused");

  /* The header's button opens it: read only, with the reason and the two ways out */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL);
  page = BND_SKETCHES_PAGE (bnd_window_get_view (window, "sketches"));
  editor = bnd_sketches_page_get_editor (page);
  banner = bnd_sketch_editor_get_banner (editor);
  g_assert_true (wait_for_open (editor, store, NULL, 20));
  open = bnd_sketch_editor_get_sketch (editor);
  g_assert_nonnull (open);
  g_assert_cmpstr (bnd_sketch_get_uuid (open), ==, uuid);
  g_assert_cmpstr (bnd_window_get_visible_view (window), ==, "sketches");
  g_assert_true (bnd_sketch_banner_has_choices (banner));
  g_assert_nonnull (strstr (bnd_sketch_banner_get_text (banner), "The sketch has been submitted and cannot change"));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (bnd_sketch_editor_get_section_view (editor, "need"))));

  /* Keep mine: a new draft with uta's text, which the next sync delivers */
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.keep-as-draft", NULL);
  g_assert_true (wait_for_open (editor, store, uuid, 20));
  open = bnd_sketch_editor_get_sketch (editor);
  g_assert_nonnull (open);
  g_assert_cmpstr (bnd_sketch_get_uuid (open), !=, uuid);
  g_assert_cmpstr (bnd_sketch_get_stage (open), ==, "draft");
  g_assert_cmpstr (bnd_sketch_get_section (open, "need"), ==, "Utas späte Fassung");
  g_assert_false (bnd_sketch_banner_is_shown (banner));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (bnd_sketch_editor_get_section_view (editor, "need"))));
  draft_path = g_strdup_printf ("/sketches/%s", bnd_sketch_get_uuid (open));
  gtk_widget_activate_action (GTK_WIDGET (page), "sketches.back", NULL);
  bnd_sync_manager_sync_now (sync);
  g_assert_true (wait_for_status (sync, BND_SYNC_SYNCED, 20));
  answer = bnd_sync_fetch (NULL, url, udo_token, draft_path, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);

  /* The list offers to delete her own draft, but not the submitted sketch, which belongs to a
   * dossier on the server: deleting it would only hide it here. */
  {
    g_autofree char *draft = g_path_get_basename (draft_path);
    gboolean timed_out = FALSE;
    guint id = g_timeout_add_seconds (10, timeout_cb, &timed_out);

    bnd_sketches_page_reload (page);
    while (!offers_action (GTK_WIDGET (page), "sketches.delete", draft) && !timed_out)
      g_main_context_iteration (NULL, TRUE);
    g_assert_false (timed_out);
    g_source_remove (id);
    g_assert_true (offers_action (GTK_WIDGET (page), "sketches.duplicate", uuid));
    g_assert_false (offers_action (GTK_WIDGET (page), "sketches.delete", uuid));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  bnd_test_server_stop (&server);
  command = g_strdup_printf ("rm -rf '%s'", work);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  g_free (server.data);
}

typedef struct
{
  guint   n_seen;        /* progress updates while the sync ran */
  guint64 last_done;
  guint64 total;
  gboolean in_order;     /* each more than the one before */
  char   *text;          /* the header's text at the last update */
  BndSyncManager *sync;
  guint   listed;        /* the most sketches the Sketches view listed while the sync still ran and
                          * not all had arrived (the last page may be listed before the sync ends) */
} Seen;

static void
on_list_changed_cb (GListModel *list,
                    guint       position,
                    guint       removed,
                    guint       added,
                    Seen       *seen)
{
  guint n = g_list_model_get_n_items (list);

  if (bnd_sync_manager_is_running (seen->sync) && n < 1000)
    seen->listed = MAX (seen->listed, n);
}

static void
on_progress_cb (BndSyncManager *sync,
                GParamSpec     *pspec,
                Seen           *seen)
{
  guint64 done = 0, total = 0;

  g_object_get (sync, "progress-done", &done, "progress-total", &total, NULL);
  if (total == 0)
    return;
  seen->in_order &= done > seen->last_done;
  seen->n_seen++;
  seen->last_done = done;
  seen->total = total;
  g_free (seen->text);
  seen->text = g_strdup (bnd_sync_manager_get_status_text (sync));
}

/* A first sync of many sketches: the header says how many of how many came so far, and says
 * "Synced" when all are in. The Sketches view lists the sketches that came so far. */
static void
test_first_sync_progress (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BndStrategy) strategy = bnd_strategy_new_default (&error);
  g_autofree char *work = g_dir_make_tmp ("bnd-app-first-XXXXXX", NULL);
  g_autofree char *profile = g_build_filename (work, "uta", NULL);
  g_autofree char *database = NULL;
  g_autofree char *reference_path = g_test_build_filename (G_TEST_DIST, "data", "reference-sketch.bndsketch", NULL);
  g_autofree char *reference_data = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *command = NULL;
  g_autoptr(BndStore) store = NULL;
  g_autoptr(BndSketch) sketch = NULL;
  BndTestServer server = { 0 };
  Seen seen = { .in_order = TRUE };
  BndWindow *window;
  BndSyncManager *sync;
  GListModel *list;
  sqlite3 *db = NULL;
  sqlite3_stmt *insert = NULL;
  gsize length;
  guint64 total = 1;

  server.data = g_build_filename (work, "server", NULL);
  bnd_test_server_admin (NULL, "init", "--data", server.data, NULL);
  bnd_test_server_add_user (server.data, "uta", "lk-uelzen", "carrier");

  /* 1,000 sketches of her organisation on the server: five pages of changes */
  g_file_get_contents (reference_path, &reference_data, &length, &error);
  g_assert_no_error (error);
  sketch = bnd_sketch_new_from_data (reference_data, length, reference_path, strategy, &error);
  g_assert_no_error (error);
  database = g_build_filename (server.data, "server.db", NULL);
  g_assert_cmpint (sqlite3_open (database, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO records (uuid, org, stage, revision, seq, data, updated_by, "
                                           "updated) VALUES (?1, 'lk-uelzen', 'draft', 1, ?2, ?3, 'uta', 0)",
                                       -1, &insert, NULL), ==, SQLITE_OK);
  for (guint i = 1; i <= 1000; i++)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *title = g_strdup_printf ("Projekt %u", i);
      g_autofree char *data = NULL;

      bnd_sketch_set_uuid (sketch, uuid);
      bnd_sketch_set_title (sketch, title);
      data = bnd_sketch_to_data (sketch, NULL);
      sqlite3_bind_text (insert, 1, uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (insert, 2, i);
      sqlite3_bind_text (insert, 3, data, -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (insert), ==, SQLITE_DONE);
      sqlite3_reset (insert);
    }
  sqlite3_finalize (insert);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  bnd_test_server_serve (&server, 0);
  url = g_strdup_printf ("http://127.0.0.1:%u", server.port);
  token = bnd_sync_login (url, "uta", BND_TEST_PASSWORD, &error);
  g_assert_no_error (error);

  store = bnd_store_new (profile, &error);
  g_assert_no_error (error);
  window = present_window (store, strategy);
  sync = bnd_window_get_sync_manager (window);
  g_signal_connect (sync, "notify::progress-done", G_CALLBACK (on_progress_cb), &seen);
  seen.sync = sync;
  list = bnd_sketches_page_get_list (BND_SKETCHES_PAGE (bnd_window_get_view (window, "sketches")));
  g_signal_connect (list, "items-changed", G_CALLBACK (on_list_changed_cb), &seen);

  bnd_sync_manager_set_credentials (sync, url, "uta", token);
  bnd_sync_manager_sync_now (sync);
  g_assert_true (wait_for_status (sync, BND_SYNC_SYNCED, 60));

  /* While it ran: how far, of all 1,000, in the header's words (bnd_format_figure()) */
  g_test_message ("%u updates, the last: %s", seen.n_seen, seen.text);
  g_assert_cmpuint (seen.n_seen, >, 0);
  g_assert_true (seen.in_order);
  g_assert_cmpuint (seen.total, ==, 1000);
  g_assert_cmpuint (seen.last_done % 200, ==, 0);
  g_assert_cmpuint (seen.last_done, <, 1000);
  {
    g_autofree char *expected = g_strdup_printf ("%u of 1,000", (guint)seen.last_done);

    g_assert_cmpstr (seen.text, ==, expected);
  }
  /* The list did not wait for the end: it showed the pages that were in */
  g_test_message ("listed %u sketches while the sync ran", seen.listed);
  g_assert_cmpuint (seen.listed, >=, 200);

  /* Done: the progress is gone, and all arrived */
  g_object_get (sync, "progress-total", &total, NULL);
  g_assert_cmpuint (total, ==, 0);
  g_assert_cmpstr (bnd_sync_manager_get_status_text (sync), ==, "Synced");
  g_assert_cmpuint (bnd_store_count (store, NULL), ==, 1000);

  /* and all of them once the window reloaded it at the end */
  {
    gint64 until = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

    while (g_list_model_get_n_items (list) != 1000 && g_get_monotonic_time () < until)
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
  }
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1000);
  g_signal_handlers_disconnect_by_data (sync, &seen);
  g_signal_handlers_disconnect_by_data (list, &seen);
  g_free (seen.text);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  bnd_test_server_stop (&server);
  command = g_strdup_printf ("rm -rf '%s'", work);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  g_free (server.data);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  bnd_register_resource ();

  g_test_add_func ("/app-sync/offline-and-back", test_offline_and_back);
  g_test_add_func ("/app-sync/refused", test_refused);
  g_test_add_func ("/app-sync/alliance-pack", test_alliance_pack);
  g_test_add_func ("/app-sync/first-sync-progress", test_first_sync_progress);

  return g_test_run ();
}
