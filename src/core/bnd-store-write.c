/* bnd-store-write.c: writing a sketch: its row, its full-text entry and its sync state
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
#include "bnd-strategy-search.h"

/* Every save of the editor and every record a sync pulls comes through here, so the statements
 * are prepared once per connection and kept (see _bnd_store_cached()). */

void
_bnd_store_row_free (BndStoreRow *row)
{
  g_free (row->uuid);
  g_free (row->title);
  g_free (row->stage);
  g_free (row->data);
  g_free (row->folded_title);
  g_free (row->folded_body);
  g_free (row->reason);
  g_clear_pointer (&row->sync, bnd_sync_state_free);
  g_free (row);
}

/* Everything a write needs, taken from the sketch on the caller's thread: the worker never
 * touches the sketch object itself. @data, when given, is bnd_sketch_to_data() of @sketch,
 * which the caller had already. */
BndStoreRow *
_bnd_store_row_new (BndSketch  *sketch,
                    const char *reason,
                    const char *data)
{
  BndStoreRow *row = g_new0 (BndStoreRow, 1);
  g_autofree char *body = bnd_sketch_dup_plain_text (sketch);

  row->uuid = g_strdup (bnd_sketch_get_uuid (sketch));
  row->title = g_strdup (bnd_sketch_get_title (sketch));
  row->stage = g_strdup (bnd_sketch_get_stage (sketch));
  row->funding_object = bnd_sketch_get_funding_object (sketch);
  row->created = bnd_sketch_get_created (sketch);
  row->modified = bnd_sketch_get_modified (sketch);
  row->data = data ? g_strdup (data) : bnd_sketch_to_data (sketch, NULL);
  row->folded_title = bnd_search_fold (row->title);
  row->folded_body = bnd_search_fold (body);
  row->reason = g_strdup (reason);
  return row;
}

/**
 * _bnd_store_cached:
 *
 * Runs in a job (under db_lock). The statement stays the store's: callers bind, step and leave it; it is
 * reset here before it is handed out again, and at once by _bnd_store_done() after a write. A
 * statement left on a row would hold a read of the WAL past the next commit, and no checkpoint
 * could then reset the log.
 *
 * Returns: (transfer none) (nullable): the prepared statement for @sql, reset and unbound
 */
sqlite3_stmt *
_bnd_store_cached (BndStore    *self,
                   const char  *sql,
                   GError     **error)
{
  sqlite3_stmt *stmt;

  if (self->statements == NULL)
    self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                              (GDestroyNotify)sqlite3_finalize);
  /* Keyed by the text's address: callers pass string literals. */
  if ((stmt = g_hash_table_lookup (self->statements, sql)) != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      _bnd_store_set_sql_error (self, error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  g_hash_table_insert (self->statements, (gpointer)sql, stmt);
  return stmt;
}

/* Steps a cached statement that writes, and resets it. */
gboolean
_bnd_store_done (BndStore      *self,
                 sqlite3_stmt  *stmt,
                 GError       **error)
{
  gboolean ok = sqlite3_step (stmt) == SQLITE_DONE || _bnd_store_set_sql_error (self, error);

  sqlite3_reset (stmt);
  return ok;
}

/**
 * _bnd_store_write_row_data:
 *
 * Writes @row's sketch and its sync state (a local edit without one), and keeps the sketch's
 * rowid in @row for _bnd_store_index_row(). Runs in a job, inside a transaction the caller
 * holds.
 */
gboolean
_bnd_store_write_row_data (BndStore     *self,
                           BndStoreRow  *row,
                           GError      **error)
{
  sqlite3_stmt *upsert;

  if (!(upsert = _bnd_store_cached (self,
                                    "INSERT INTO sketches (uuid, title, stage, funding_object, created, modified, data) "
                                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                                    "ON CONFLICT (uuid) DO UPDATE SET title = ?2, stage = ?3, funding_object = ?4, "
                                    "modified = ?6, data = ?7, deleted = 0 RETURNING rowid", error)))
    return FALSE;

  sqlite3_bind_text (upsert, 1, row->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (upsert, 2, row->title, -1, SQLITE_STATIC);
  sqlite3_bind_text (upsert, 3, row->stage, -1, SQLITE_STATIC);
  sqlite3_bind_int (upsert, 4, row->funding_object);
  sqlite3_bind_int64 (upsert, 5, row->created);
  sqlite3_bind_int64 (upsert, 6, row->modified);
  sqlite3_bind_text (upsert, 7, row->data, -1, SQLITE_STATIC);
  if (sqlite3_step (upsert) != SQLITE_ROW)
    {
      _bnd_store_set_sql_error (self, error);
      sqlite3_reset (upsert);
      return FALSE;
    }
  row->rowid = sqlite3_column_int64 (upsert, 0);
  sqlite3_reset (upsert);
  return _bnd_store_write_sync_state (self, row->uuid, row->sync, error);
}

/**
 * _bnd_store_index_row:
 *
 * Replaces the full-text entry of @row, written by _bnd_store_write_row_data(), at once: for a
 * sync's page, many rows in one transaction (a single save queues its row instead, see
 * bnd-store-index.c; the page takes its rows out of the queue with _bnd_store_unqueue_row()
 * first). fts5 writes what it gathered in memory out to the database before any
 * other statement of the transaction, so a batch indexes its rows one after the other, after
 * all else: then they go out together.
 */
gboolean
_bnd_store_index_row (BndStore     *self,
                      BndStoreRow  *row,
                      GError      **error)
{
  sqlite3_stmt *unindex, *index;

  if (!(unindex = _bnd_store_cached (self, "DELETE FROM sketch_text WHERE rowid = ?1", error)) ||
      !(index = _bnd_store_cached (self, "INSERT INTO sketch_text (rowid, title, body) VALUES (?1, ?2, ?3)",
                                   error)))
    return FALSE;
  sqlite3_bind_int64 (unindex, 1, row->rowid);
  sqlite3_bind_int64 (index, 1, row->rowid);
  sqlite3_bind_text (index, 2, row->folded_title, -1, SQLITE_STATIC);
  sqlite3_bind_text (index, 3, row->folded_body, -1, SQLITE_STATIC);
  return _bnd_store_done (self, unindex, error) && _bnd_store_done (self, index, error);
}

/* BEGIN, COMMIT and the like, prepared once: every save has them */
static gboolean
exec_cached (BndStore    *self,
             const char  *sql,
             GError     **error)
{
  sqlite3_stmt *stmt = _bnd_store_cached (self, sql, error);

  return stmt != NULL && _bnd_store_done (self, stmt, error);
}

/* Saves one row (BndStoreRow) in a transaction of its own, or in a savepoint inside a batch. Its
 * text goes into the search index with the next batch (bnd-store-index.c). */
gpointer
_bnd_store_save_job (BndStore  *self,
                     gpointer   data,
                     GError   **error)
{
  BndStoreRow *row = data;

  if (!exec_cached (self, self->in_batch ? "SAVEPOINT save" : "BEGIN IMMEDIATE", error))
    return NULL;
  if (!_bnd_store_write_row_data (self, row, error) || !_bnd_store_queue_row (self, row, error) ||
      !exec_cached (self, self->in_batch ? "RELEASE save" : "COMMIT", error))
    {
      _bnd_store_exec (self, self->in_batch ? "ROLLBACK TO save; RELEASE save;" : "ROLLBACK;", NULL);
      return NULL;
    }
  return GINT_TO_POINTER (TRUE);
}

/* For bnd-store-sync.c: writes @sketch with @sync (taken) as its whole sync state, in one transaction. */
gboolean
_bnd_store_write_sketch (BndStore      *self,
                         BndSketch     *sketch,
                         BndSyncState  *sync,
                         GError       **error)
{
  BndStoreRow *row = _bnd_store_row_new (sketch, NULL, NULL);

  row->sync = sync;
  return _bnd_store_run_sync (self, _bnd_store_save_job, row, (GDestroyNotify)_bnd_store_row_free, error) != NULL;
}
