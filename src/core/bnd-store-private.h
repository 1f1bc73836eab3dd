/* bnd-store-private.h: what the files of the store share
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "bnd-store.h"

G_BEGIN_DECLS

#define BND_STORE_DATABASE_NAME "buendnis.db"

struct _BndStore
{
  GObject      parent_instance;

  char        *path;
  GThread     *worker;
  GAsyncQueue *jobs;        /* for the worker, in order */
  gint         queued;      /* jobs queued or running on the worker (atomic) */
  GMutex       db_lock;     /* held by the thread that runs a job or the idle work */
  sqlite3     *db;          /* touched only under db_lock */
  gint64       last_job_end; /* under db_lock: when the last job ended (monotonic) */
  gboolean     worker_asleep; /* under db_lock: the worker waits for a job without a timeout */
  gboolean     in_batch;    /* inside bnd_store_begin_batch(): writes share one transaction */
  gboolean     unindexed;   /* index_queue may have rows (bnd-store-index.c) */
  gboolean     checkpoint_due; /* the WAL is long enough to copy back when idle */
  guint        delay_ms;    /* BND_STORE_DELAY_MS: each job waits this long first (a test hook) */
  GHashTable  *statements;  /* SQL text → prepared statement, under db_lock: _bnd_store_cached() */
};

/* One sketch to write (bnd-store-write.c) */
typedef struct
{
  char   *uuid;
  char   *title;
  char   *stage;
  int     funding_object;
  gint64  created;
  gint64  modified;
  char   *data;
  char   *folded_title;
  char   *folded_body;
  char   *reason;
  gint64  rowid;      /* the sketch's, once written */
  /* Writes from a sync carry the sync state; local edits only mark the sketch as dirty. */
  BndSyncState *sync;
} BndStoreRow;

/* A job runs under the store's db_lock, the only way to touch self->db: on its worker thread, or
 * on the thread of a synchronous call when nothing is queued (bnd-store.c). */
typedef gpointer (*BndStoreJobFunc) (BndStore  *self,
                                     gpointer   data,
                                     GError   **error);

/* A job queued with _bnd_store_push() */
typedef struct _BndStoreJob BndStoreJob;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

gboolean      _bnd_store_exec_db        (sqlite3              *db,
                                         const char           *sql,
                                         GError              **error);
gboolean      _bnd_store_exec           (BndStore             *self,
                                         const char           *sql,
                                         GError              **error);
sqlite3_stmt *_bnd_store_prepare        (BndStore             *self,
                                         const char           *sql,
                                         GError              **error);
gboolean      _bnd_store_step_done      (BndStore             *self,
                                         sqlite3_stmt         *stmt,
                                         GError              **error);
gboolean      _bnd_store_set_sql_error  (BndStore             *self,
                                         GError              **error);
gboolean      _bnd_store_migrate        (sqlite3              *db,
                                         int                   version,
                                         GError              **error);
int           _bnd_store_schema_version (void);
gpointer      _bnd_store_run_sync       (BndStore             *self,
                                         BndStoreJobFunc       func,
                                         gpointer              data,
                                         GDestroyNotify        data_free,
                                         GError              **error);
gboolean      _bnd_store_write_sketch   (BndStore             *self,
                                         BndSketch            *sketch,
                                         BndSyncState         *sync,
                                         GError              **error);
gboolean      _bnd_store_write_sync_state (BndStore           *self,
                                         const char           *uuid,
                                         const BndSyncState   *sync,
                                         GError              **error);
BndStoreRow  *_bnd_store_row_new        (BndSketch            *sketch,
                                         const char           *reason,
                                         const char           *data);
void          _bnd_store_row_free       (BndStoreRow          *row);
sqlite3_stmt *_bnd_store_cached         (BndStore             *self,
                                         const char           *sql,
                                         GError              **error);
gboolean      _bnd_store_done           (BndStore             *self,
                                         sqlite3_stmt         *stmt,
                                         GError              **error);
gboolean      _bnd_store_write_row_data (BndStore             *self,
                                         BndStoreRow          *row,
                                         GError              **error);
gboolean      _bnd_store_index_row      (BndStore             *self,
                                         BndStoreRow          *row,
                                         GError              **error);
gboolean      _bnd_store_queue_row      (BndStore             *self,
                                         BndStoreRow          *row,
                                         GError              **error);
gboolean      _bnd_store_unqueue_row    (BndStore             *self,
                                         BndStoreRow          *row,
                                         GError              **error);
gboolean      _bnd_store_index_queued   (BndStore             *self,
                                         GError              **error);
void          _bnd_store_index_idle     (BndStore             *self);
gpointer      _bnd_store_save_job       (BndStore             *self,
                                         gpointer              data,
                                         GError              **error);
BndSketch    *_bnd_store_sketch_from_data (char             *data,
                                         BndStrategy          *strategy,
                                         GError              **error);
BndStoreJob  *_bnd_store_push           (BndStore             *self,
                                         BndStoreJobFunc       func,
                                         gpointer              data,
                                         GDestroyNotify        data_free);
gpointer      _bnd_store_wait           (BndStoreJob          *job,
                                         GError              **error);
/* What an async job does to the store: whether it may be skipped once its caller cancelled */
typedef enum
{
  BND_STORE_READS,    /* skipped when cancelled before it ran: nobody wants its answer */
  BND_STORE_WRITES,   /* always runs: a cancelled caller loses only the callback's result */
} BndStoreAccess;

void          _bnd_store_run_async      (BndStore             *self,
                                         BndStoreAccess        access,
                                         BndStoreJobFunc       func,
                                         gpointer              data,
                                         GDestroyNotify        data_free,
                                         GDestroyNotify        result_free,
                                         gpointer              source_tag,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);

/* A BndStoreQuery of its own, for a job (bnd_store_list(), bnd_store_list_async()) */
typedef struct
{
  char *text;
  char *stage;
  char *goal;
  char *district;
  int   funding_object;
} BndStoreQueryCopy;

BndStoreQueryCopy *_bnd_store_query_copy (const BndStoreQuery *query);
void               _bnd_store_query_free (BndStoreQueryCopy   *query);
gpointer           _bnd_store_list_job   (BndStore            *self,
                                          gpointer             data,
                                          GError             **error);

G_END_DECLS
