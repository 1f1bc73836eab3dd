/* bnd-store.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "bnd-store.h"
#include "bnd-store-private.h"
#include "bnd-strategy-search.h"

/* The local store: one sqlite database per profile, in WAL mode. All SQL runs on one worker
 * thread that owns the connection (as epiphany's history service does); the public functions
 * queue a job there and either wait for it (the _sync-style calls the command-line tool uses)
 * or return through a GTask (the _async calls the application uses). Every value reaches SQL as
 * a bound parameter. */

#define DATABASE_NAME BND_STORE_DATABASE_NAME

G_DEFINE_FINAL_TYPE (BndStore, bnd_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (bnd-store-error-quark, bnd_store_error)

typedef gpointer (*JobFunc) (BndStore  *self,
                             gpointer   data,
                             GError   **error);

typedef struct
{
  JobFunc         func;
  gpointer        data;
  GDestroyNotify  data_free;
  GDestroyNotify  result_free;

  /* Either a task (async) … */
  GTask          *task;
  /* … or a waiting caller (sync). */
  GMutex          mutex;
  GCond           cond;
  gboolean        done;
  gpointer        result;
  GError         *error;
} Job;

/* Schema migrations, in order. The database's user_version counts how many have run. */
static const char *migrations[] = {
  "CREATE TABLE sketches ("
  "  uuid TEXT PRIMARY KEY,"
  "  title TEXT NOT NULL,"
  "  stage TEXT NOT NULL,"
  "  funding_object INTEGER NOT NULL DEFAULT 0,"
  "  created INTEGER NOT NULL,"
  "  modified INTEGER NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  data TEXT NOT NULL"
  ");"
  "CREATE INDEX sketches_by_modified ON sketches (deleted, modified DESC);"
  "CREATE TABLE versions ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  uuid TEXT NOT NULL REFERENCES sketches (uuid) ON DELETE CASCADE,"
  "  created INTEGER NOT NULL,"
  "  reason TEXT NOT NULL,"
  "  data TEXT NOT NULL"
  ");"
  "CREATE INDEX versions_by_sketch ON versions (uuid, id);"
  /* Title and text are stored folded (case, accents, ß → ss) by bnd_search_fold(), and queries
   * are folded the same way, so "strasse" finds "Straße" and "Pflege" finds "Pflegekräfte". */
  /* Each sketch's text row has the sketch's rowid: updates and queries go by rowid, never by a
   * scan of the index. */
  "CREATE VIRTUAL TABLE sketch_text USING fts5 (title, body,"
  "  tokenize = 'unicode61 remove_diacritics 2');",

  /* Sync: per sketch the server revision and data both sides last agreed on (the common
   * ancestor of a three-way merge), whether there are local edits to push, the idempotency key
   * of a push in flight, and open conflicts. */
  "CREATE TABLE sync_state ("
  "  uuid TEXT PRIMARY KEY,"
  "  base_revision INTEGER NOT NULL DEFAULT 0,"
  "  base_data TEXT,"
  "  dirty INTEGER NOT NULL DEFAULT 1,"
  "  pending_key TEXT,"
  "  pending_data TEXT,"
  "  conflicts TEXT"
  ");"
  "INSERT INTO sync_state (uuid) SELECT uuid FROM sketches;"
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);",

  /* A change from the server to a sketch that is open in the editor waits here until it closes. */
  "ALTER TABLE sync_state ADD COLUMN deferred_revision INTEGER;"
  "ALTER TABLE sync_state ADD COLUMN deferred_change TEXT;",

  /* Votes in a circulation vote, cast offline as well: queued until the server has counted or
   * refused them, and kept either way so that the voter sees what became of each. */
  "CREATE TABLE queued_votes ("
  "  dossier TEXT PRIMARY KEY,"
  "  choice TEXT NOT NULL CHECK (choice IN ('yes', 'no', 'abstain')),"
  "  comment TEXT NOT NULL,"
  "  cast_at INTEGER NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'counted', 'refused')),"
  "  message TEXT"
  ");",

  /* The partners' ratings of a dossier, given offline as well: kept like the votes above. */
  "CREATE TABLE queued_ratings ("
  "  dossier TEXT PRIMARY KEY,"
  "  scores TEXT NOT NULL,"
  "  comment TEXT NOT NULL,"
  "  rated_at INTEGER NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'counted', 'refused')),"
  "  message TEXT"
  ");",

  /* What the server last told about the dossiers (assessment, thread, trail, attachments, votes,
   * ratings, portfolio), keyed by API path, so that they can be read and acted on offline. */
  "CREATE TABLE server_cache ("
  "  path TEXT PRIMARY KEY,"
  "  body BLOB NOT NULL,"
  "  fetched INTEGER NOT NULL"
  ");",

  /* A sketch the server refused for good (submitted meanwhile, not the account's to write, not
   * valid) keeps the reason here: the sync goes on with the others, and the sketch waits until
   * its user takes the server's version, keeps theirs as a new draft, or edits it again.
   *
   * Votes and ratings carry the account (server and user name) that gave them: a profile may be
   * signed in as someone else later, and nothing is ever sent under another account. The key
   * grows by the account, so that two accounts' votes on one dossier are two votes. What was
   * queued before this step was given under the account the profile is signed in as now, the
   * only one it could have been sent under until then. */
  "ALTER TABLE sync_state ADD COLUMN refused TEXT;"
  "CREATE TABLE queued_votes_7 ("
  "  dossier TEXT NOT NULL,"
  "  account_url TEXT NOT NULL,"
  "  account_user TEXT NOT NULL,"
  "  choice TEXT NOT NULL CHECK (choice IN ('yes', 'no', 'abstain')),"
  "  comment TEXT NOT NULL,"
  "  cast_at INTEGER NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'counted', 'refused')),"
  "  message TEXT,"
  "  PRIMARY KEY (dossier, account_url, account_user)"
  ");"
  "INSERT INTO queued_votes_7 SELECT dossier,"
  "  coalesce ((SELECT value FROM meta WHERE key = 'server_url'), ''),"
  "  coalesce ((SELECT value FROM meta WHERE key = 'server_user'), ''),"
  "  choice, comment, cast_at, state, message FROM queued_votes;"
  "DROP TABLE queued_votes;"
  "ALTER TABLE queued_votes_7 RENAME TO queued_votes;"
  "CREATE TABLE queued_ratings_7 ("
  "  dossier TEXT NOT NULL,"
  "  account_url TEXT NOT NULL,"
  "  account_user TEXT NOT NULL,"
  "  scores TEXT NOT NULL,"
  "  comment TEXT NOT NULL,"
  "  rated_at INTEGER NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'counted', 'refused')),"
  "  message TEXT,"
  "  PRIMARY KEY (dossier, account_url, account_user)"
  ");"
  "INSERT INTO queued_ratings_7 SELECT dossier,"
  "  coalesce ((SELECT value FROM meta WHERE key = 'server_url'), ''),"
  "  coalesce ((SELECT value FROM meta WHERE key = 'server_user'), ''),"
  "  scores, comment, rated_at, state, message FROM queued_ratings;"
  "DROP TABLE queued_ratings;"
  "ALTER TABLE queued_ratings_7 RENAME TO queued_ratings;",
};

static gboolean
set_db_error (sqlite3  *db,
              GError  **error)
{
  g_set_error (error, BND_STORE_ERROR, BND_STORE_ERROR_SQL, _("Database error: %s"), sqlite3_errmsg (db));
  return FALSE;
}

static gboolean
set_sql_error (BndStore  *self,
               GError   **error)
{
  return set_db_error (self->db, error);
}

static gboolean
exec_db (sqlite3     *db,
         const char  *sql,
         GError     **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return set_db_error (db, error);
  return TRUE;
}

static gboolean
exec (BndStore    *self,
      const char  *sql,
      GError     **error)
{
  return exec_db (self->db, sql, error);
}

static sqlite3_stmt *
prepare (BndStore    *self,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sql_error (self, error);
      return NULL;
    }
  return stmt;
}

static void
job_free (Job *job)
{
  if (job->data_free)
    job->data_free (job->data);
  g_mutex_clear (&job->mutex);
  g_cond_clear (&job->cond);
  g_free (job);
}

/* Set on the worker while it runs a job: a store call made from inside a job (bnd-store-async.c
 * builds its calls from the sync ones) runs at once instead of queueing behind itself. */
static GPrivate running_job = G_PRIVATE_INIT (NULL);

/* A task's last reference may be the store's; dropping it on the worker would finalize the store
 * there, and the store cannot shut its own worker down from inside. So the task goes back to
 * the thread that made it to be released. */
static gboolean
release_task_cb (gpointer data)
{
  g_object_unref (data);
  return G_SOURCE_REMOVE;
}

static void
release_task (GTask *task)
{
  g_main_context_invoke (g_task_get_context (task), release_task_cb, task);
}

static void
run_job_cb (gpointer data,
            gpointer user_data)
{
  Job *job = data;
  BndStore *self = user_data;
  GError *error = NULL;
  gpointer result;

  /* BND_STORE_DELAY_MS, a test hook (README): a slow disk, for every job alike. */
  if (self->delay_ms > 0)
    g_usleep (self->delay_ms * 1000);

  if (job->task && g_task_return_error_if_cancelled (job->task))
    {
      release_task (g_steal_pointer (&job->task));
      job_free (job);
      return;
    }

  g_private_set (&running_job, self);
  result = job->func (self, job->data, &error);
  g_private_set (&running_job, NULL);

  if (job->task != NULL)
    {
      if (error != NULL)
        g_task_return_error (job->task, error);
      else
        g_task_return_pointer (job->task, result, job->result_free);
      release_task (g_steal_pointer (&job->task));
      job_free (job);
      return;
    }

  g_mutex_lock (&job->mutex);
  job->result = result;
  job->error = error;
  job->done = TRUE;
  g_cond_signal (&job->cond);
  g_mutex_unlock (&job->mutex);
}

static Job *
job_new (JobFunc        func,
         gpointer       data,
         GDestroyNotify data_free,
         GDestroyNotify result_free)
{
  Job *job = g_new0 (Job, 1);

  job->func = func;
  job->data = data;
  job->data_free = data_free;
  job->result_free = result_free;
  g_mutex_init (&job->mutex);
  g_cond_init (&job->cond);
  return job;
}

/* Waits for a job queued with g_thread_pool_push(): the second half of run_sync(). */
static gpointer
wait_for_job (Job     *job,
              GError **error)
{
  gpointer result;

  g_mutex_lock (&job->mutex);
  while (!job->done)
    g_cond_wait (&job->cond, &job->mutex);
  g_mutex_unlock (&job->mutex);

  result = job->result;
  if (job->error)
    g_propagate_error (error, job->error);
  job_free (job);
  return result;
}

/* Runs @func on the worker and waits for it. */
static gpointer
run_sync (BndStore        *self,
          JobFunc          func,
          gpointer         data,
          GDestroyNotify   data_free,
          GError         **error)
{
  Job *job;

  /* A store call made inside a job runs at once instead of queueing behind itself */
  if (g_private_get (&running_job) == self)
    {
      gpointer result = func (self, data, error);

      if (data_free)
        data_free (data);
      return result;
    }

  job = job_new (func, data, data_free, NULL);
  g_thread_pool_push (self->worker, job, NULL);
  return wait_for_job (job, error);
}

static void
run_async (BndStore            *self,
           JobFunc              func,
           gpointer             data,
           GDestroyNotify       data_free,
           GDestroyNotify       result_free,
           gpointer             source_tag,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  Job *job = job_new (func, data, data_free, result_free);

  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, source_tag);
  g_thread_pool_push (self->worker, job, NULL);
}

/* Runs the migrations after @version, each in its own transaction: on the store at open, and
 * on the copy of an older profile being imported, so that both end up with the same schema. */
static gboolean
migrate (sqlite3  *db,
         int       version,
         GError  **error)
{
  for (int i = version; i < (int)G_N_ELEMENTS (migrations); i++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d;", i + 1);

      if (!exec_db (db, "BEGIN IMMEDIATE;", error))
        return FALSE;
      if (!exec_db (db, migrations[i], error) || !exec_db (db, bump, error))
        {
          exec_db (db, "ROLLBACK;", NULL);
          return FALSE;
        }
      if (!exec_db (db, "COMMIT;", error))
        return FALSE;
    }
  return TRUE;
}

/* For the other files of the store (bnd-store-private.h) */

gboolean
_bnd_store_exec (BndStore    *self,
                 const char  *sql,
                 GError     **error)
{
  return exec (self, sql, error);
}

sqlite3_stmt *
_bnd_store_prepare (BndStore    *self,
                    const char  *sql,
                    GError     **error)
{
  return prepare (self, sql, error);
}

gboolean
_bnd_store_step_done (BndStore      *self,
                      sqlite3_stmt  *stmt,
                      GError       **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_sql_error (self, error);
  return TRUE;
}

gboolean
_bnd_store_set_sql_error (BndStore  *self,
                          GError   **error)
{
  return set_sql_error (self, error);
}

gboolean
_bnd_store_migrate (sqlite3  *db,
                    int       version,
                    GError  **error)
{
  return migrate (db, version, error);
}

int
_bnd_store_schema_version (void)
{
  return G_N_ELEMENTS (migrations);
}

gpointer
_bnd_store_run_sync (BndStore         *self,
                     BndStoreJobFunc   func,
                     gpointer          data,
                     GDestroyNotify    data_free,
                     GError          **error)
{
  return run_sync (self, func, data, data_free, error);
}

/* Queues @func on the worker, to be waited for with _bnd_store_wait(): the caller goes on
 * meanwhile. Jobs run in the order they were queued. */
BndStoreJob *
_bnd_store_push (BndStore         *self,
                 BndStoreJobFunc   func,
                 gpointer          data,
                 GDestroyNotify    data_free)
{
  Job *job = job_new (func, data, data_free, NULL);

  g_thread_pool_push (self->worker, job, NULL);
  return (BndStoreJob *)job;
}

gpointer
_bnd_store_wait (BndStoreJob  *job,
                 GError      **error)
{
  return wait_for_job ((Job *)job, error);
}

void
_bnd_store_run_async (BndStore            *self,
                      BndStoreJobFunc      func,
                      gpointer             data,
                      GDestroyNotify       data_free,
                      GDestroyNotify       result_free,
                      gpointer             source_tag,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  run_async (self, func, data, data_free, result_free, source_tag, cancellable, callback, user_data);
}

/* Jobs: each runs on the worker thread. */

static gpointer
open_job (BndStore  *self,
          gpointer   data,
          GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int version;

  if (sqlite3_open_v2 (self->path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    {
      g_set_error (error, BND_STORE_ERROR, BND_STORE_ERROR_OPEN, _("Could not open the database %s: %s"),
                   self->path, self->db ? sqlite3_errmsg (self->db) : "");
      g_clear_pointer (&self->db, sqlite3_close_v2);
      return NULL;
    }

  /* Another process (the app and the command-line tool) may be writing: wait a little. */
  sqlite3_busy_timeout (self->db, 5000);

  /* WAL: a committed edit survives the app being killed; synchronous=NORMAL keeps commits cheap. */
  if (!exec (self, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;", error))
    return NULL;

  if (!(stmt = prepare (self, "PRAGMA user_version", NULL)) || sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, BND_STORE_ERROR, BND_STORE_ERROR_CORRUPT,
                   _("The database %s is not a Bündnis store: %s"), self->path, sqlite3_errmsg (self->db));
      return NULL;
    }
  version = sqlite3_column_int (stmt, 0);
  /* Done with: a statement still running keeps a migration from dropping a table. */
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (version > (int)G_N_ELEMENTS (migrations))
    {
      g_set_error (error, BND_STORE_ERROR, BND_STORE_ERROR_TOO_NEW,
                   _("The database %s was written by a newer version of Bündnis."), self->path);
      return NULL;
    }

  return migrate (self->db, version, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static gpointer
close_job (BndStore  *self,
           gpointer   data,
           GError   **error)
{
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->db, sqlite3_close_v2);
  return GINT_TO_POINTER (TRUE);
}

static gboolean
step_done (BndStore      *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  return _bnd_store_step_done (self, stmt, error);
}

/* Many writes in one transaction (a page of changes from the server): far fewer commits. */
static gpointer
batch_job (BndStore  *self,
           gpointer   data,
           GError   **error)
{
  gboolean begin = GPOINTER_TO_INT (data);

  if (begin == self->in_batch)
    return GINT_TO_POINTER (TRUE);
  if (!exec (self, begin ? "BEGIN IMMEDIATE;" : "COMMIT;", error))
    {
      if (!begin)
        exec (self, "ROLLBACK;", NULL);
      self->in_batch = FALSE;
      return NULL;
    }
  self->in_batch = begin;
  return GINT_TO_POINTER (TRUE);
}

static gpointer
load_job (BndStore  *self,
          gpointer   data,
          GError   **error)
{
  const char *sql = data;   /* "uuid" or "#version-id" */
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *text;

  if (sql[0] == '#')
    {
      if (!(stmt = prepare (self, "SELECT data FROM versions WHERE id = ?1", error)))
        return NULL;
      sqlite3_bind_int64 (stmt, 1, g_ascii_strtoll (sql + 1, NULL, 10));
    }
  else
    {
      if (!(stmt = prepare (self, "SELECT data FROM sketches WHERE uuid = ?1 AND deleted = 0", error)))
        return NULL;
      sqlite3_bind_text (stmt, 1, sql, -1, SQLITE_STATIC);
    }

  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      text = (const char *)sqlite3_column_text (stmt, 0);
      return g_strdup (text);
    case SQLITE_DONE:
      g_set_error (error, BND_STORE_ERROR, BND_STORE_ERROR_NOT_FOUND, _("No sketch “%s”"),
                   sql[0] == '#' ? sql + 1 : sql);
      return NULL;
    default:
      set_sql_error (self, error);
      return NULL;
    }
}

void
_bnd_store_query_free (BndStoreQueryCopy *query)
{
  g_free (query->text);
  g_free (query->stage);
  g_free (query->goal);
  g_free (query->district);
  g_free (query);
}

/* "Pflege kräfte" → "pflege"* "krafte"*: each word a quoted prefix, so no user input is read as
 * FTS5 syntax. */
static char *
fts_query (const char *text)
{
  g_autofree char *folded = NULL;
  g_auto(GStrv) words = NULL;
  GString *query;

  if (text == NULL)
    return NULL;

  folded = bnd_search_fold (text);
  words = g_strsplit_set (folded, " \t\n\"'()*:^+-,.;!?", -1);
  query = g_string_new (NULL);
  for (guint i = 0; words[i]; i++)
    if (*words[i])
      g_string_append_printf (query, "%s\"%s\"*", query->len ? " " : "", words[i]);

  if (query->len == 0)
    {
      g_string_free (query, TRUE);
      return NULL;
    }
  return g_string_free (query, FALSE);
}

static void
summary_free_cb (gpointer data)
{
  bnd_sketch_summary_free (data);
}

#define FILTERS \
  "AND (?2 IS NULL OR s.stage = ?2) " \
  "AND (?3 IS NULL OR EXISTS (SELECT 1 FROM json_each (s.data, '$.links.goals') WHERE value = ?3)) " \
  "AND (?4 IS NULL OR EXISTS (SELECT 1 FROM json_each (s.data, '$.links.districts') WHERE value = ?4)) " \
  "AND (?5 = 0 OR s.funding_object = ?5) " \
  "ORDER BY s.modified DESC, s.title"

/* Whether the server refused the sketch's edits (bnd-store-sync.c) */
#define REFUSED \
  "EXISTS (SELECT 1 FROM sync_state y WHERE y.uuid = s.uuid AND y.refused IS NOT NULL)"

gpointer
_bnd_store_list_job (BndStore  *self,
                     gpointer   data,
                     GError   **error)
{
  BndStoreQueryCopy *query = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (summary_free_cb);
  g_autofree char *match = fts_query (query->text);
  int rc;

  /* With words to find, the full-text index leads (few rows); without, the index on modified. */
  if (!(stmt = prepare (self, match
                        ? "SELECT s.uuid, s.title, s.stage, s.funding_object, s.modified, " REFUSED " "
                          "FROM sketch_text t JOIN sketches s ON s.rowid = t.rowid "
                          "WHERE sketch_text MATCH ?1 AND s.deleted = 0 " FILTERS
                        : "SELECT s.uuid, s.title, s.stage, s.funding_object, s.modified, " REFUSED " "
                          "FROM sketches s WHERE ?1 IS NULL AND s.deleted = 0 " FILTERS, error)))
    return NULL;

  if (match)
    sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
  if (query->stage)
    sqlite3_bind_text (stmt, 2, query->stage, -1, SQLITE_STATIC);
  if (query->goal)
    sqlite3_bind_text (stmt, 3, query->goal, -1, SQLITE_STATIC);
  if (query->district)
    sqlite3_bind_text (stmt, 4, query->district, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 5, query->funding_object);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BndSketchSummary *summary = g_new0 (BndSketchSummary, 1);

      summary->uuid = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      summary->title = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
      summary->stage = g_strdup ((const char *)sqlite3_column_text (stmt, 2));
      summary->funding_object = sqlite3_column_int (stmt, 3);
      summary->modified = sqlite3_column_int64 (stmt, 4);
      summary->refused = sqlite3_column_int (stmt, 5);
      g_ptr_array_add (list, summary);
    }
  if (rc != SQLITE_DONE)
    {
      set_sql_error (self, error);
      return NULL;
    }

  return g_steal_pointer (&list);
}

static gpointer
resolve_job (BndStore  *self,
             gpointer   data,
             GError   **error)
{
  const char *prefix = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *found = NULL;
  g_autofree char *pattern = NULL;
  int rc, n = 0;

  /* GLOB with the prefix as a bound value; its own wildcards are escaped by refusing them. */
  if (strpbrk (prefix, "*?[]") != NULL || *prefix == 0)
    {
      g_set_error (error, BND_STORE_ERROR, BND_STORE_ERROR_NOT_FOUND, _("No sketch “%s”"), prefix);
      return NULL;
    }
  pattern = g_strconcat (prefix, "*", NULL);
  if (!(stmt = prepare (self, "SELECT uuid FROM sketches WHERE deleted = 0 AND uuid GLOB ?1 LIMIT 2", error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, pattern, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      n++;
      g_free (found);
      found = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
    }
  if (rc != SQLITE_DONE)
    {
      set_sql_error (self, error);
      return NULL;
    }
  if (n != 1)
    {
      g_set_error (error, BND_STORE_ERROR, BND_STORE_ERROR_NOT_FOUND,
                   n == 0 ? _("No sketch “%s”") : _("“%s” names more than one sketch; give more of the id"),
                   prefix);
      return NULL;
    }
  return g_steal_pointer (&found);
}

typedef struct
{
  char     *uuid;
  gboolean  deleted;
} DeleteData;

static void
delete_data_free (DeleteData *data)
{
  g_free (data->uuid);
  g_free (data);
}

static gpointer
set_deleted_job (BndStore  *self,
                 gpointer   data,
                 GError   **error)
{
  DeleteData *delete = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = prepare (self, "UPDATE sketches SET deleted = ?2 WHERE uuid = ?1", error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, delete->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, delete->deleted);
  if (!step_done (self, stmt, error))
    return NULL;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, BND_STORE_ERROR, BND_STORE_ERROR_NOT_FOUND, _("No sketch “%s”"), delete->uuid);
      return NULL;
    }
  return GINT_TO_POINTER (TRUE);
}

static gpointer
add_version_job (BndStore  *self,
                 gpointer   data,
                 GError   **error)
{
  BndStoreRow *row = data;
  g_autoptr(sqlite3_stmt) last = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;

  /* A pause without an edit since the last snapshot adds nothing. */
  if (!(last = prepare (self, "SELECT data FROM versions WHERE uuid = ?1 ORDER BY id DESC LIMIT 1", error)))
    return NULL;
  sqlite3_bind_text (last, 1, row->uuid, -1, SQLITE_STATIC);
  if (sqlite3_step (last) == SQLITE_ROW &&
      g_strcmp0 ((const char *)sqlite3_column_text (last, 0), row->data) == 0 &&
      !g_str_equal (row->reason, "restore"))
    return GINT_TO_POINTER (TRUE);

  if (_bnd_store_save_job (self, row, error) == NULL)
    return NULL;

  if (!(insert = prepare (self, "INSERT INTO versions (uuid, created, reason, data) VALUES (?1, ?2, ?3, ?4)", error)))
    return NULL;
  sqlite3_bind_text (insert, 1, row->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 2, g_get_real_time () / G_USEC_PER_SEC);
  sqlite3_bind_text (insert, 3, row->reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 4, row->data, -1, SQLITE_STATIC);
  if (!step_done (self, insert, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
version_free_cb (gpointer data)
{
  bnd_version_free (data);
}

static gpointer
list_versions_job (BndStore  *self,
                   gpointer   data,
                   GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (version_free_cb);
  int rc;

  if (!(stmt = prepare (self, "SELECT id, uuid, created, reason FROM versions WHERE uuid = ?1 ORDER BY id", error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, data, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BndVersion *version = g_new0 (BndVersion, 1);

      version->id = sqlite3_column_int64 (stmt, 0);
      version->uuid = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
      version->created = sqlite3_column_int64 (stmt, 2);
      version->reason = g_strdup ((const char *)sqlite3_column_text (stmt, 3));
      g_ptr_array_add (list, version);
    }
  if (rc != SQLITE_DONE)
    {
      set_sql_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

static gpointer
count_job (BndStore  *self,
           gpointer   data,
           GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = prepare (self, "SELECT count(*) FROM sketches WHERE deleted = 0", error)))
    return NULL;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      set_sql_error (self, error);
      return NULL;
    }
  /* Offset by one so that zero sketches is not a NULL (failure) result. */
  return GSIZE_TO_POINTER ((gsize)sqlite3_column_int64 (stmt, 0) + 1);
}

/* GObject */

static void
bnd_store_finalize (GObject *object)
{
  BndStore *self = (BndStore *)object;

  if (self->worker != NULL)
    {
      if (self->db != NULL)
        run_sync (self, close_job, NULL, NULL, NULL);
      /* Waits for queued jobs: nothing in the queue is lost. */
      g_thread_pool_free (self->worker, FALSE, TRUE);
    }
  g_free (self->path);

  G_OBJECT_CLASS (bnd_store_parent_class)->finalize (object);
}

static void
bnd_store_class_init (BndStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bnd_store_finalize;
}

static void
bnd_store_init (BndStore *self)
{
}

/**
 * bnd_store_default_directory:
 *
 * Returns: (transfer full): the user's profile directory, `$XDG_DATA_HOME/buendnis`
 */
char *
bnd_store_default_directory (void)
{
  return g_build_filename (g_get_user_data_dir (), "buendnis", NULL);
}

/**
 * bnd_store_new:
 * @directory: the profile directory, created when missing
 * @error: return location for a #BndStoreError
 *
 * Opens (or creates) the store of a profile and brings its schema up to date.
 *
 * Returns: (transfer full) (nullable): the store
 */
BndStore *
bnd_store_new (const char  *directory,
               GError     **error)
{
  g_autoptr(BndStore) self = NULL;

  g_return_val_if_fail (directory != NULL, NULL);

  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create the folder %s: %s"), directory, g_strerror (saved_errno));
      return NULL;
    }

  self = g_object_new (BND_TYPE_STORE, NULL);
  self->path = g_build_filename (directory, DATABASE_NAME, NULL);
  if (g_getenv ("BND_STORE_DELAY_MS") != NULL)
    self->delay_ms = g_ascii_strtoull (g_getenv ("BND_STORE_DELAY_MS"), NULL, 10);
  self->worker = g_thread_pool_new (run_job_cb, self, 1, TRUE, error);
  if (self->worker == NULL)
    return NULL;

  if (run_sync (self, open_job, NULL, NULL, error) == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

const char *
bnd_store_get_path (BndStore *self)
{
  g_return_val_if_fail (BND_IS_STORE (self), NULL);
  return self->path;
}

gboolean
bnd_store_save (BndStore   *self,
                BndSketch  *sketch,
                GError    **error)
{
  g_return_val_if_fail (BND_IS_STORE (self), FALSE);
  g_return_val_if_fail (BND_IS_SKETCH (sketch), FALSE);

  return run_sync (self, _bnd_store_save_job, _bnd_store_row_new (sketch, NULL, NULL),
                   (GDestroyNotify)_bnd_store_row_free, error) != NULL;
}

static BndSketch *
sketch_from_data (char         *data,
                  BndStrategy  *strategy,
                  GError      **error)
{
  g_autofree char *owned = data;
  BndSketch *sketch;

  if (owned == NULL)
    return NULL;

  sketch = bnd_sketch_new_from_data (owned, strlen (owned), NULL, strategy, error);
  if (sketch == NULL)
    g_prefix_error (error, _("A stored sketch is damaged: "));
  return sketch;
}

/**
 * bnd_store_load:
 * @self: a #BndStore
 * @uuid: a sketch's UUID
 * @strategy: (nullable): the strategy to check it against
 * @error: return location for an error; %BND_STORE_ERROR_NOT_FOUND if there is no such sketch
 *
 * Returns: (transfer full) (nullable): the sketch
 */
BndSketch *
bnd_store_load (BndStore     *self,
                const char   *uuid,
                BndStrategy  *strategy,
                GError      **error)
{
  g_return_val_if_fail (BND_IS_STORE (self), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);

  return sketch_from_data (run_sync (self, load_job, g_strdup (uuid), g_free, error), strategy, error);
}

BndStoreQueryCopy *
_bnd_store_query_copy (const BndStoreQuery *query)
{
  BndStoreQueryCopy *copy = g_new0 (BndStoreQueryCopy, 1);

  if (query != NULL)
    {
      copy->text = g_strdup (query->text);
      copy->stage = g_strdup (query->stage);
      copy->goal = g_strdup (query->goal);
      copy->district = g_strdup (query->district);
      copy->funding_object = query->funding_object;
    }
  return copy;
}

/**
 * bnd_store_list:
 * @self: a #BndStore
 * @query: (nullable): what to list; %NULL for every sketch
 * @error: return location for an error
 *
 * Returns: (transfer container) (element-type BndSketchSummary): the sketches, newest first
 */
GPtrArray *
bnd_store_list (BndStore             *self,
                const BndStoreQuery  *query,
                GError              **error)
{
  g_return_val_if_fail (BND_IS_STORE (self), NULL);

  return run_sync (self, _bnd_store_list_job, _bnd_store_query_copy (query), (GDestroyNotify)_bnd_store_query_free,
                   error);
}

/**
 * bnd_store_resolve_id:
 * @self: a #BndStore
 * @prefix: the start of a sketch's UUID, as the command line accepts it
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the full UUID of the one sketch it names
 */
char *
bnd_store_resolve_id (BndStore    *self,
                      const char  *prefix,
                      GError     **error)
{
  g_return_val_if_fail (BND_IS_STORE (self), NULL);
  g_return_val_if_fail (prefix != NULL, NULL);

  return run_sync (self, resolve_job, g_strdup (prefix), g_free, error);
}

/**
 * bnd_store_set_deleted:
 *
 * Moves a sketch to or from the bin: deleting keeps the row, so it can be undone.
 */
gboolean
bnd_store_set_deleted (BndStore    *self,
                       const char  *uuid,
                       gboolean     deleted,
                       GError     **error)
{
  DeleteData *data;

  g_return_val_if_fail (BND_IS_STORE (self), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);

  data = g_new0 (DeleteData, 1);
  data->uuid = g_strdup (uuid);
  data->deleted = deleted;
  return run_sync (self, set_deleted_job, data, (GDestroyNotify)delete_data_free, error) != NULL;
}

/**
 * bnd_store_add_version:
 * @self: a #BndStore
 * @sketch: the sketch as it is now
 * @reason: why: "pause", "export", "close", "restore", "refused"
 * @error: return location for an error
 *
 * Saves @sketch and keeps this state as a version. Nothing earlier is changed.
 */
gboolean
bnd_store_add_version (BndStore    *self,
                       BndSketch   *sketch,
                       const char  *reason,
                       GError     **error)
{
  g_return_val_if_fail (BND_IS_STORE (self), FALSE);
  g_return_val_if_fail (BND_IS_SKETCH (sketch), FALSE);
  g_return_val_if_fail (reason != NULL, FALSE);

  return run_sync (self, add_version_job, _bnd_store_row_new (sketch, reason, NULL),
                   (GDestroyNotify)_bnd_store_row_free, error) != NULL;
}

/**
 * bnd_store_list_versions:
 *
 * Returns: (transfer container) (element-type BndVersion): the versions of a sketch, oldest first
 */
GPtrArray *
bnd_store_list_versions (BndStore    *self,
                         const char  *uuid,
                         GError     **error)
{
  g_return_val_if_fail (BND_IS_STORE (self), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);

  return run_sync (self, list_versions_job, g_strdup (uuid), g_free, error);
}

/**
 * bnd_store_load_version:
 *
 * Returns: (transfer full) (nullable): the sketch as it was in that version
 */
BndSketch *
bnd_store_load_version (BndStore  *self,
                        gint64     version_id,
                        GError   **error)
{
  g_return_val_if_fail (BND_IS_STORE (self), NULL);

  return sketch_from_data (run_sync (self, load_job, g_strdup_printf ("#%" G_GINT64_FORMAT, version_id),
                                     g_free, error), NULL, error);
}

guint
bnd_store_count (BndStore  *self,
                 GError   **error)
{
  gpointer result;

  g_return_val_if_fail (BND_IS_STORE (self), 0);

  result = run_sync (self, count_job, NULL, NULL, error);
  return result ? GPOINTER_TO_SIZE (result) - 1 : 0;
}

void
bnd_store_save_async (BndStore            *self,
                      BndSketch           *sketch,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_return_if_fail (BND_IS_STORE (self));
  g_return_if_fail (BND_IS_SKETCH (sketch));

  run_async (self, _bnd_store_save_job, _bnd_store_row_new (sketch, NULL, NULL),
             (GDestroyNotify)_bnd_store_row_free, NULL,
             bnd_store_save_async, cancellable, callback, user_data);
}

gboolean
bnd_store_save_finish (BndStore      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_pointer (G_TASK (result), error) != NULL;
}

void
bnd_store_add_version_async (BndStore            *self,
                             BndSketch           *sketch,
                             const char          *reason,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (BND_IS_STORE (self));
  g_return_if_fail (BND_IS_SKETCH (sketch));

  run_async (self, add_version_job, _bnd_store_row_new (sketch, reason, NULL),
             (GDestroyNotify)_bnd_store_row_free, NULL,
             bnd_store_add_version_async, cancellable, callback, user_data);
}

gboolean
bnd_store_add_version_finish (BndStore      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_pointer (G_TASK (result), error) != NULL;
}

void
bnd_sketch_summary_free (BndSketchSummary *summary)
{
  g_free (summary->uuid);
  g_free (summary->title);
  g_free (summary->stage);
  g_free (summary);
}

void
bnd_version_free (BndVersion *version)
{
  g_free (version->uuid);
  g_free (version->reason);
  g_free (version);
}

/**
 * bnd_store_begin_batch:
 *
 * Until bnd_store_end_batch(), writes share one transaction. For one thread's series of writes,
 * such as a sync applying a page of changes; a failed write in it is undone alone.
 */
gboolean
bnd_store_begin_batch (BndStore  *self,
                       GError   **error)
{
  g_return_val_if_fail (BND_IS_STORE (self), FALSE);
  return run_sync (self, batch_job, GINT_TO_POINTER (TRUE), NULL, error) != NULL;
}

gboolean
bnd_store_end_batch (BndStore  *self,
                     GError   **error)
{
  g_return_val_if_fail (BND_IS_STORE (self), FALSE);
  return run_sync (self, batch_job, GINT_TO_POINTER (FALSE), NULL, error) != NULL;
}

