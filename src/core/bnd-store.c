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

/* The local store: one sqlite database per profile, in WAL mode. Its SQL runs as jobs, one at a
 * time, in the order they came, on one worker thread (as epiphany's history service does): the
 * _async calls the application uses return through a GTask, and the window never waits. A
 * synchronous call (the command-line tool, a sync's pages) waits for its job anyway: when the
 * worker has nothing queued, the job runs on the caller's own thread under the same lock, which
 * spares the two thread switches that cost a small write as much again as the write itself.
 * Every value reaches SQL as a bound parameter. */

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
  BndStoreAccess  access;     /* a job that only reads is skipped once its task is cancelled */
  /* … or a waiting caller (sync). */
  GMutex          mutex;
  GCond           cond;
  gboolean        done;
  gpointer        result;
  GError         *error;
} Job;

/* Queued last by finalize: the worker runs what came before it and ends. */
static Job stop_job;
/* Queued after a job ran on its caller's thread while the worker slept without a timeout: wakes
 * it to do the idle work that job left (index, checkpoint). */
static Job wake_job;

/* How long the worker waits without a job before it does what can wait: put the sketches saved
 * meanwhile into the search index (bnd-store-index.c), so that saves that follow each other
 * closely are indexed together, and copy the WAL back into the database. */
#define IDLE_MS 100

/* A commit appends the pages it changed to the WAL; copying them back into the database (a
 * checkpoint) costs two fsyncs and reads all of it again. SQLite does it in the commit that
 * takes the WAL past 1,000 pages (4 MiB), some 100 saves of a sketch. Here the worker does it
 * when idle, and a commit only past CHECKPOINT_PAGES: a run of many saves does not stop for a
 * checkpoint every 100 saves, and rewrites the pages it changes again and again only once. */
#define IDLE_CHECKPOINT_PAGES 1000
#define CHECKPOINT_PAGES 10000

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

/* Set on the thread that runs a job while it does: a store call made from inside a job
 * (bnd-store-async.c builds its calls from the sync ones) runs at once instead of queueing behind
 * itself. */
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

/* BND_STORE_DELAY_MS, a test hook (README): a slow disk, for every job alike. */
static void
delay (BndStore *self)
{
  if (self->delay_ms > 0)
    g_usleep (self->delay_ms * 1000);
}

/* Runs on the thread that holds db_lock; what it leaves for later is done when idle. */
static gpointer
run_locked (BndStore  *self,
            JobFunc    func,
            gpointer   data,
            GError   **error)
{
  gpointer outer = g_private_get (&running_job);   /* a job of another store, calling this one */
  gpointer result;

  delay (self);
  g_private_set (&running_job, self);
  result = func (self, data, error);
  g_private_set (&running_job, outer);
  self->last_job_end = g_get_monotonic_time ();
  return result;
}


static void
run_job (BndStore *self,
         Job      *job)
{
  GError *error = NULL;
  gpointer result = NULL;
  gboolean cancelled;

  /* A cancelled write runs all the same (the caller may be gone, the edit must not be): only
   * its result is dropped, and the callback hears G_IO_ERROR_CANCELLED. */
  if (!(cancelled = job->task && job->access == BND_STORE_READS &&
                    g_task_return_error_if_cancelled (job->task)))
    {
      g_mutex_lock (&self->db_lock);
      result = run_locked (self, job->func, job->data, &error);
      g_mutex_unlock (&self->db_lock);
    }
  /* Counted off before the result goes out: a caller that calls again at once may then run its
   * call on its own thread. */
  g_atomic_int_add (&self->queued, -1);

  if (cancelled)
    {
      release_task (g_steal_pointer (&job->task));
      job_free (job);
      return;
    }

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

/* What waits for the worker to be idle: indexing first (it adds to the WAL), then copying the
 * WAL back. Runs under db_lock, and only when no job, on any thread, ran for IDLE_MS. */
static void
idle_work (BndStore *self)
{
  /* A job on another thread may have begun a batch since the worker looked */
  if (g_get_monotonic_time () - self->last_job_end < IDLE_MS * 1000 || self->in_batch || self->db == NULL)
    return;
  if (self->unindexed)
    _bnd_store_index_idle (self);
  else
    {
      /* Passive: what another process is reading stays; a later checkpoint copies it. */
      sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
      self->checkpoint_due = FALSE;
    }
}

/* The store's one worker thread: runs the jobs in the order they came and, when none comes for
 * a while, indexes what was saved meanwhile. */
static gpointer
worker_thread (gpointer data)
{
  BndStore *self = data;

  for (;;)
    {
      gboolean work_waits;
      Job *job;

      g_mutex_lock (&self->db_lock);
      work_waits = (self->unindexed || self->checkpoint_due) && !self->in_batch && self->db != NULL;
      self->worker_asleep = !work_waits;
      g_mutex_unlock (&self->db_lock);

      if (work_waits)
        {
          if ((job = g_async_queue_timeout_pop (self->jobs, IDLE_MS * 1000)) == NULL)
            {
              g_mutex_lock (&self->db_lock);
              idle_work (self);
              g_mutex_unlock (&self->db_lock);
              continue;
            }
        }
      else
        job = g_async_queue_pop (self->jobs);

      if (job == &stop_job)
        return NULL;
      if (job != &wake_job)
        run_job (self, job);
    }
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

/* Waits for a job queued on the worker: the second half of run_sync(). */
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

static void
queue (BndStore *self,
       Job      *job)
{
  g_atomic_int_inc (&self->queued);
  g_async_queue_push (self->jobs, job);
}

/* Runs @func after every job queued before it, and waits for it. */
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

  /* Nothing queued: run it here, under the lock the worker takes for each job */
  if (g_atomic_int_get (&self->queued) == 0)
    {
      if (g_mutex_trylock (&self->db_lock))
        {
          if (g_atomic_int_get (&self->queued) == 0)
            {
              gpointer result = run_locked (self, func, data, error);

              /* The worker sleeps and would not do what this job left for when idle */
              if ((self->unindexed || self->checkpoint_due) && self->worker_asleep)
                {
                  self->worker_asleep = FALSE;
                  g_async_queue_push (self->jobs, &wake_job);
                }
              g_mutex_unlock (&self->db_lock);
              if (data_free)
                data_free (data);
              return result;
            }
          g_mutex_unlock (&self->db_lock);
        }
    }

  job = job_new (func, data, data_free, NULL);
  queue (self, job);
  return wait_for_job (job, error);
}

static void
run_async (BndStore            *self,
           BndStoreAccess       access,
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

  job->access = access;
  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, source_tag);
  queue (self, job);
}

/* For the other files of the store (bnd-store-private.h) */

gboolean
_bnd_store_exec_db (sqlite3     *db,
                    const char  *sql,
                    GError     **error)
{
  return exec_db (db, sql, error);
}

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

  queue (self, job);
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
                      BndStoreAccess       access,
                      BndStoreJobFunc      func,
                      gpointer             data,
                      GDestroyNotify       data_free,
                      GDestroyNotify       result_free,
                      gpointer             source_tag,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  run_async (self, access, func, data, data_free, result_free, source_tag, cancellable, callback, user_data);
}

/* Jobs: each runs under db_lock, on the worker or on a synchronous caller's thread. */

/* After each commit, with the number of pages in the WAL: see CHECKPOINT_PAGES. */
static int
wal_hook_cb (gpointer     data,
             sqlite3     *db,
             const char  *name,
             int          pages)
{
  BndStore *self = data;

  if (pages >= CHECKPOINT_PAGES)
    sqlite3_wal_checkpoint_v2 (db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
  else if (pages >= IDLE_CHECKPOINT_PAGES)
    self->checkpoint_due = TRUE;
  return SQLITE_OK;
}

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

  /* WAL: a committed edit survives the app being killed; synchronous=NORMAL keeps commits cheap.
   * When the WAL starts over, its file is cut back only past 48 MiB, a little more than
   * CHECKPOINT_PAGES fill: a long run of writes then rewrites the same file instead of growing
   * it anew after every checkpoint (allocating and zeroing its blocks cost a quarter of a save). */
  if (!exec (self, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;"
                   "PRAGMA journal_size_limit = 50331648;", error))
    return NULL;
  /* In place of SQLite's checkpoint at 1,000 pages */
  sqlite3_wal_hook (self->db, wal_hook_cb, self);

  if (!(stmt = prepare (self, "PRAGMA user_version", NULL)) || sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, BND_STORE_ERROR, BND_STORE_ERROR_CORRUPT,
                   _("The database %s is not a Bündnis store: %s"), self->path, sqlite3_errmsg (self->db));
      return NULL;
    }
  version = sqlite3_column_int (stmt, 0);
  /* Done with: a statement still running keeps a migration from dropping a table. */
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (version > _bnd_store_schema_version ())
    {
      g_set_error (error, BND_STORE_ERROR, BND_STORE_ERROR_TOO_NEW,
                   _("The database %s was written by a newer version of Bündnis."), self->path);
      return NULL;
    }

  if (!_bnd_store_migrate (self->db, version, error))
    return NULL;

  /* Saved before a kill and not indexed yet: the worker indexes them when it is idle. */
  self->unindexed = TRUE;
  return GINT_TO_POINTER (TRUE);
}

static gpointer
close_job (BndStore  *self,
           gpointer   data,
           GError   **error)
{
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->db, sqlite3_close_v2);
  self->unindexed = FALSE;
  self->checkpoint_due = FALSE;
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
  const char *uuid = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *text;

  if (!(stmt = prepare (self, "SELECT data FROM sketches WHERE uuid = ?1 AND deleted = 0", error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);

  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      text = (const char *)sqlite3_column_text (stmt, 0);
      return g_strdup (text);
    case SQLITE_DONE:
      g_set_error (error, BND_STORE_ERROR, BND_STORE_ERROR_NOT_FOUND, _("No sketch “%s”"), uuid);
      return NULL;
    default:
      set_sql_error (self, error);
      return NULL;
    }
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
      g_async_queue_push (self->jobs, &stop_job);
      g_thread_join (self->worker);
    }
  g_clear_pointer (&self->jobs, g_async_queue_unref);
  g_mutex_clear (&self->db_lock);
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
  g_mutex_init (&self->db_lock);
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
 * bnd_store_get_directory:
 *
 * Returns: (transfer full): the folder the store keeps its files in
 */
char *
bnd_store_get_directory (BndStore *self)
{
  g_return_val_if_fail (BND_IS_STORE (self), NULL);
  return g_path_get_dirname (self->path);
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
  self->jobs = g_async_queue_new ();
  self->worker = g_thread_try_new ("bnd-store", worker_thread, self, error);
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

/* Parses what a load job read (bnd-store-versions.c too); takes @data */
BndSketch *
_bnd_store_sketch_from_data (char         *data,
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

  return _bnd_store_sketch_from_data (run_sync (self, load_job, g_strdup (uuid), g_free, error), strategy, error);
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

  run_async (self, BND_STORE_WRITES, _bnd_store_save_job, _bnd_store_row_new (sketch, NULL, NULL),
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

