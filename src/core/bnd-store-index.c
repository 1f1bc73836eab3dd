/* bnd-store-index.c: the search index of the local store, written in batches
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-store"

#include "config.h"

#include <sqlite3.h>

#include "bnd-store.h"
#include "bnd-store-private.h"

/* fts5 writes a new segment of its index for every transaction that changes it, and merges
 * segments as they pile up: indexing one sketch per commit cost most of a save. So a save puts
 * the sketch's folded text into index_queue, in the save's own transaction, and the queue goes
 * into sketch_text in batches: when the worker has had nothing to do for a moment, and always
 * before a search runs, so that a search finds every saved sketch as it is now.
 *
 * A sketch's row in index_queue is the newest text to index for it: each save replaces it, and
 * indexing a sketch directly (a sync's page, _bnd_store_index_row()) removes it. */

/* How many sketches the idle worker indexes in one transaction: a job that comes meanwhile
 * waits for one batch at most. */
#define IDLE_BATCH 500

/**
 * _bnd_store_queue_row:
 *
 * Queues @row's folded text for the index. Runs in a job, inside the transaction that
 * writes the row (_bnd_store_write_row_data() gave it its rowid).
 */
gboolean
_bnd_store_queue_row (BndStore     *self,
                      BndStoreRow  *row,
                      GError      **error)
{
  sqlite3_stmt *queue;

  if (!(queue = _bnd_store_cached (self, "INSERT OR REPLACE INTO index_queue (sketch, title, body) "
                                         "VALUES (?1, ?2, ?3)", error)))
    return FALSE;
  sqlite3_bind_int64 (queue, 1, row->rowid);
  sqlite3_bind_text (queue, 2, row->folded_title, -1, SQLITE_STATIC);
  sqlite3_bind_text (queue, 3, row->folded_body, -1, SQLITE_STATIC);
  if (!_bnd_store_done (self, queue, error))
    return FALSE;
  self->unindexed = TRUE;
  return TRUE;
}

/**
 * _bnd_store_unqueue_row:
 *
 * For a row about to be indexed at once (_bnd_store_index_row()): an older text of the sketch
 * still queued would otherwise replace it in the index later. Runs in a job, inside the
 * row's transaction, before any of the transaction's writes to the index.
 */
gboolean
_bnd_store_unqueue_row (BndStore     *self,
                        BndStoreRow  *row,
                        GError      **error)
{
  sqlite3_stmt *unqueue;

  if (!(unqueue = _bnd_store_cached (self, "DELETE FROM index_queue WHERE sketch = ?1", error)))
    return FALSE;
  sqlite3_bind_int64 (unqueue, 1, row->rowid);
  return _bnd_store_done (self, unqueue, error);
}

/* Whether the queue has any rows */
static gboolean
queued (BndStore  *self,
        gboolean  *any,
        GError   **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = _bnd_store_cached (self, "SELECT EXISTS (SELECT 1 FROM index_queue)", error)))
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _bnd_store_set_sql_error (self, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  *any = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

/* Indexes the first @limit queued sketches (all for -1) in one transaction, or in a savepoint
 * inside a batch. */
static gboolean
index_some (BndStore  *self,
            int        limit,
            GError   **error)
{
  /* Set-wise: fts5 takes the rows one after the other within each statement, and writes them
   * out together at the commit. The old entry goes first (fts5 reads it from its own copy of
   * the text), then the new one, then the queue's rows. */
  static const char *steps[] = {
    "DELETE FROM sketch_text WHERE rowid IN (SELECT sketch FROM index_queue ORDER BY sketch LIMIT ?1)",
    "INSERT INTO sketch_text (rowid, title, body) SELECT sketch, title, body FROM index_queue ORDER BY sketch LIMIT ?1",
    "DELETE FROM index_queue WHERE sketch IN (SELECT sketch FROM index_queue ORDER BY sketch LIMIT ?1)",
  };
  gboolean ok = TRUE;

  if (!_bnd_store_exec (self, self->in_batch ? "SAVEPOINT index_queue;" : "BEGIN IMMEDIATE;", error))
    return FALSE;
  for (guint i = 0; ok && i < G_N_ELEMENTS (steps); i++)
    {
      sqlite3_stmt *stmt = _bnd_store_cached (self, steps[i], error);

      if ((ok = stmt != NULL))
        {
          sqlite3_bind_int (stmt, 1, limit);
          ok = _bnd_store_done (self, stmt, error);
        }
    }
  if (!ok || !_bnd_store_exec (self, self->in_batch ? "RELEASE index_queue;" : "COMMIT;", error))
    {
      _bnd_store_exec (self, self->in_batch ? "ROLLBACK TO index_queue; RELEASE index_queue;" : "ROLLBACK;",
                       NULL);
      return FALSE;
    }
  return TRUE;
}

/**
 * _bnd_store_index_queued:
 *
 * Indexes every queued sketch, also those another process (the command-line tool) queued.
 * Runs in a job, before a search.
 */
gboolean
_bnd_store_index_queued (BndStore  *self,
                         GError   **error)
{
  gboolean any;

  if (!queued (self, &any, error) || (any && !index_some (self, -1, error)))
    return FALSE;
  self->unindexed = FALSE;
  return TRUE;
}

/**
 * _bnd_store_index_idle:
 *
 * Runs on the worker when it has had no job for a moment: indexes a batch of the queue.
 */
void
_bnd_store_index_idle (BndStore *self)
{
  g_autoptr(GError) error = NULL;
  gboolean any = FALSE;

  /* On an error (another process writing for long) the queue stays as it is: the next save
   * tries again, and a search indexes it first in any case. */
  if (!queued (self, &any, &error) || (any && (!index_some (self, IDLE_BATCH, &error) ||
                                               !queued (self, &any, &error))))
    {
      g_debug ("Could not index the saved sketches yet: %s", error->message);
      any = FALSE;
    }
  self->unindexed = any;
}
