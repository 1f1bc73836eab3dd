/* bnd-store-sync.c: how each sketch stands with the server: the sync state, held-back changes
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "bnd-store.h"
#include "bnd-store-private.h"

/* Per sketch the sync_state table keeps the revision and data both sides last agreed on (the
 * common ancestor of a three-way merge), whether there are local edits to push, a push in flight
 * with its idempotency key, open conflicts, and a server change held back while the sketch is
 * open. bnd-sync.c reads and writes it through these calls. */

/* A local edit (@sync %NULL) marks the sketch dirty, and is a new attempt at a sketch the server
 * refused; a sync writes its whole state. Runs in a job, inside the transaction of the
 * sketch's write (bnd-store.c). */
gboolean
_bnd_store_write_sync_state (BndStore            *self,
                             const char          *uuid,
                             const BndSyncState  *sync,
                             GError             **error)
{
  sqlite3_stmt *stmt;

  if (sync == NULL)
    {
      if (!(stmt = _bnd_store_cached (self, "INSERT INTO sync_state (uuid, dirty) VALUES (?1, 1) "
                                            "ON CONFLICT (uuid) DO UPDATE SET dirty = 1, refused = NULL", error)))
        return FALSE;
      sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
      return _bnd_store_done (self, stmt, error);
    }

  if (!(stmt = _bnd_store_cached (self, "INSERT OR REPLACE INTO sync_state (uuid, base_revision, base_data, dirty, "
                                        "pending_key, pending_data, conflicts, deferred_change, refused) "
                                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, sync->base_revision);
  sqlite3_bind_text (stmt, 3, sync->base_data, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 4, sync->dirty);
  sqlite3_bind_text (stmt, 5, sync->pending_key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, sync->pending_data, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, sync->conflicts, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, sync->deferred_change, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, sync->refused, -1, SQLITE_STATIC);
  return _bnd_store_done (self, stmt, error);
}

/* The sync state of @uuid, in a job. */
static BndSyncState *
read_sync_state (BndStore    *self,
                 const char  *uuid,
                 GError     **error)
{
  sqlite3_stmt *stmt;
  BndSyncState *state;

  if (!(stmt = _bnd_store_cached (self, "SELECT base_revision, base_data, dirty, pending_key, pending_data, conflicts, "
                                        "deferred_change, refused FROM sync_state WHERE uuid = ?1", error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  state = g_new0 (BndSyncState, 1);
  state->uuid = g_strdup (uuid);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_stmt *exists = _bnd_store_cached (self, "SELECT 1 FROM sketches WHERE uuid = ?1", NULL);

      /* No sync state: a sketch made here and never synced is dirty; an unknown one is not. */
      if (exists != NULL)
        {
          sqlite3_bind_text (exists, 1, uuid, -1, SQLITE_STATIC);
          state->dirty = sqlite3_step (exists) == SQLITE_ROW;
          sqlite3_reset (exists);
        }
    }
  else
    {
      state->base_revision = sqlite3_column_int64 (stmt, 0);
      state->base_data = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
      state->dirty = sqlite3_column_int (stmt, 2);
      state->pending_key = g_strdup ((const char *)sqlite3_column_text (stmt, 3));
      state->pending_data = g_strdup ((const char *)sqlite3_column_text (stmt, 4));
      state->conflicts = g_strdup ((const char *)sqlite3_column_text (stmt, 5));
      state->deferred_change = g_strdup ((const char *)sqlite3_column_text (stmt, 6));
      state->refused = g_strdup ((const char *)sqlite3_column_text (stmt, 7));
    }
  sqlite3_reset (stmt);
  return state;
}

static gpointer
get_sync_state_job (BndStore  *self,
                    gpointer   data,
                    GError   **error)
{
  return read_sync_state (self, data, error);
}

static gpointer
list_unsynced_job (BndStore  *self,
                   gpointer   data,
                   GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *list = g_ptr_array_new_with_free_func (g_free);
  static const char *queries[] = {
    /* Edits to push (a refused sketch's wait for its user) and held-back changes to apply */
    [BND_UNSYNCED_TO_PUSH] = "SELECT y.uuid FROM sync_state y JOIN sketches s ON s.uuid = y.uuid "
                             "WHERE s.deleted = 0 AND (((y.dirty OR y.pending_key IS NOT NULL) AND y.refused IS NULL) "
                             "OR y.deferred_change IS NOT NULL) ORDER BY y.uuid",
    [BND_UNSYNCED_CONFLICTS] = "SELECT y.uuid FROM sync_state y JOIN sketches s ON s.uuid = y.uuid "
                               "WHERE s.deleted = 0 AND y.conflicts IS NOT NULL AND y.conflicts != '[]' "
                               "ORDER BY y.uuid",
    [BND_UNSYNCED_REFUSED] = ("SELECT y.uuid FROM sync_state y JOIN sketches s ON s.uuid = y.uuid "
                              "WHERE s.deleted = 0 AND y.refused IS NOT NULL ORDER BY s.modified DESC, y.uuid"),
  };

  if (!(stmt = _bnd_store_prepare (self, queries[GPOINTER_TO_INT (data)], error)))
    {
      g_ptr_array_unref (list);
      return NULL;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (list, g_strdup ((const char *)sqlite3_column_text (stmt, 0)));
  return list;
}

void
bnd_sync_state_free (BndSyncState *state)
{
  g_free (state->uuid);
  g_free (state->base_data);
  g_free (state->pending_key);
  g_free (state->pending_data);
  g_free (state->conflicts);
  g_free (state->deferred_change);
  g_free (state->refused);
  g_free (state);
}

/**
 * bnd_store_get_sync_state:
 *
 * Returns: (transfer full) (nullable): the sync state of a sketch; one never synced is dirty
 *   with base revision 0
 */
BndSyncState *
bnd_store_get_sync_state (BndStore    *self,
                          const char  *uuid,
                          GError     **error)
{
  g_return_val_if_fail (BND_IS_STORE (self), NULL);
  return _bnd_store_run_sync (self, get_sync_state_job, g_strdup (uuid), g_free, error);
}

/**
 * bnd_store_apply_sync:
 * @self: a #BndStore
 * @sketch: the sketch as the sync leaves it
 * @state: its new sync state
 * @error: return location for an error
 *
 * Writes a sketch and its sync state in one transaction, without marking it as edited.
 */
gboolean
bnd_store_apply_sync (BndStore            *self,
                      BndSketch           *sketch,
                      const BndSyncState  *state,
                      GError             **error)
{
  BndSyncState *copy;

  g_return_val_if_fail (BND_IS_STORE (self), FALSE);
  g_return_val_if_fail (BND_IS_SKETCH (sketch), FALSE);

  copy = g_new0 (BndSyncState, 1);
  copy->base_revision = state->base_revision;
  copy->base_data = g_strdup (state->base_data);
  copy->dirty = state->dirty;
  copy->pending_key = g_strdup (state->pending_key);
  copy->pending_data = g_strdup (state->pending_data);
  copy->conflicts = g_strdup (state->conflicts);
  copy->deferred_change = g_strdup (state->deferred_change);
  copy->refused = g_strdup (state->refused);
  return _bnd_store_write_sketch (self, sketch, copy, error);
}

/**
 * bnd_store_list_unsynced:
 * @which: %BND_UNSYNCED_TO_PUSH for the sketches with edits to push (those the server refused
 *   wait for their user) or a server change held back, %BND_UNSYNCED_CONFLICTS for those with
 *   open conflicts, %BND_UNSYNCED_REFUSED for those the server refused, newest first
 *
 * Returns: (transfer container) (element-type utf8): their UUIDs
 */
GPtrArray *
bnd_store_list_unsynced (BndStore        *self,
                         BndUnsyncedKind  which,
                         GError         **error)
{
  g_return_val_if_fail (BND_IS_STORE (self), NULL);
  g_return_val_if_fail ((guint)which <= BND_UNSYNCED_REFUSED, NULL);
  return _bnd_store_run_sync (self, list_unsynced_job, GINT_TO_POINTER (which), NULL, error);
}

typedef struct
{
  char *uuid;
  char *change;
} Deferred;

static void
deferred_free (Deferred *deferred)
{
  g_free (deferred->uuid);
  g_free (deferred->change);
  g_free (deferred);
}

static gboolean
write_deferred (BndStore    *self,
                const char  *uuid,
                const char  *change,
                GError     **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = _bnd_store_cached (self, "INSERT INTO sync_state (uuid, dirty, deferred_change) VALUES (?1, 1, ?2) "
                                        "ON CONFLICT (uuid) DO UPDATE SET deferred_change = ?2", error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, change, -1, SQLITE_STATIC);
  return _bnd_store_done (self, stmt, error);
}

static gpointer
set_deferred_job (BndStore  *self,
                  gpointer   data,
                  GError   **error)
{
  Deferred *deferred = data;

  return write_deferred (self, deferred->uuid, deferred->change, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

/**
 * bnd_store_set_deferred:
 * @change: (nullable): a server change held back while the sketch is open, or %NULL
 *
 * Changes only that: the sketch and the rest of its sync state stay as they are, so an
 * autosave at the same moment is not undone.
 */
gboolean
bnd_store_set_deferred (BndStore    *self,
                        const char  *uuid,
                        const char  *change,
                        GError     **error)
{
  Deferred *deferred;

  g_return_val_if_fail (BND_IS_STORE (self), FALSE);

  deferred = g_new0 (Deferred, 1);
  deferred->uuid = g_strdup (uuid);
  deferred->change = g_strdup (change);
  return _bnd_store_run_sync (self, set_deferred_job, deferred, (GDestroyNotify)deferred_free, error) != NULL;
}

static gpointer
reset_sync_job (BndStore  *self,
                gpointer   data,
                GError   **error)
{
  if (!_bnd_store_exec (self, "UPDATE sync_state SET base_revision = 0, base_data = NULL, pending_key = NULL, "
                              "pending_data = NULL, deferred_change = NULL, conflicts = NULL, refused = NULL, dirty = 1;"
                              "DELETE FROM meta WHERE key = 'last_seq';", error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

/**
 * bnd_store_reset_sync:
 *
 * Forgets what a server knew of these sketches (another server or account is used now): all of
 * them will be sent there, and all of its changes fetched. Nothing local is lost.
 */
gboolean
bnd_store_reset_sync (BndStore  *self,
                      GError   **error)
{
  g_return_val_if_fail (BND_IS_STORE (self), FALSE);
  return _bnd_store_run_sync (self, reset_sync_job, NULL, NULL, error) != NULL;
}

/* A page of changes from the server, applied in one transaction (bnd-sync.c): the sketches
 * with their sync states and full-text entries, the changes held back, and the sequence number
 * the page ends with. Everything a write needs is taken on the caller's thread, as for a save. */
struct _BndSyncBatch
{
  GPtrArray *rows;       /* BndStoreRow, or Deferred for a held-back change */
  GPtrArray *kinds;      /* per entry: GINT_TO_POINTER (TRUE) for a row */
  char      *meta_key;
  char      *meta_value;
  BndStore    *store;    /* while being written: bnd_store_apply_sync_batch_begin() */
  BndStoreJob *job;
};

BndSyncBatch *
bnd_sync_batch_new (void)
{
  BndSyncBatch *batch = g_new0 (BndSyncBatch, 1);

  batch->rows = g_ptr_array_new ();
  batch->kinds = g_ptr_array_new ();
  return batch;
}

void
bnd_sync_batch_free (BndSyncBatch *batch)
{
  /* The worker may still be writing it */
  if (batch->job != NULL)
    bnd_store_apply_sync_batch_end (batch->store, batch, NULL);
  for (guint i = 0; i < batch->rows->len; i++)
    if (g_ptr_array_index (batch->kinds, i))
      _bnd_store_row_free (g_ptr_array_index (batch->rows, i));
    else
      deferred_free (g_ptr_array_index (batch->rows, i));
  g_ptr_array_unref (batch->rows);
  g_ptr_array_unref (batch->kinds);
  g_free (batch->meta_key);
  g_free (batch->meta_value);
  g_free (batch);
}

guint
bnd_sync_batch_get_length (BndSyncBatch *batch)
{
  return batch->rows->len;
}

/**
 * bnd_sync_batch_add_sketch:
 * @data: (nullable): bnd_sketch_to_data() of @sketch when the caller has it already
 *
 * Adds what bnd_store_apply_sync() would write.
 */
void
bnd_sync_batch_add_sketch (BndSyncBatch       *batch,
                           BndSketch          *sketch,
                           const char         *data,
                           const BndSyncState *state)
{
  BndStoreRow *row = _bnd_store_row_new (sketch, NULL, data);

  row->sync = g_new0 (BndSyncState, 1);
  row->sync->base_revision = state->base_revision;
  row->sync->base_data = g_strdup (state->base_data);
  row->sync->dirty = state->dirty;
  row->sync->pending_key = g_strdup (state->pending_key);
  row->sync->pending_data = g_strdup (state->pending_data);
  row->sync->conflicts = g_strdup (state->conflicts);
  row->sync->deferred_change = g_strdup (state->deferred_change);
  row->sync->refused = g_strdup (state->refused);
  g_ptr_array_add (batch->rows, row);
  g_ptr_array_add (batch->kinds, GINT_TO_POINTER (TRUE));
}

/* Adds what bnd_store_set_deferred() would write. */
void
bnd_sync_batch_add_deferred (BndSyncBatch *batch,
                             const char   *uuid,
                             const char   *change)
{
  Deferred *deferred = g_new0 (Deferred, 1);

  deferred->uuid = g_strdup (uuid);
  deferred->change = g_strdup (change);
  g_ptr_array_add (batch->rows, deferred);
  g_ptr_array_add (batch->kinds, GINT_TO_POINTER (FALSE));
}

/* Sets a meta value (such as last_seq) with the batch, as bnd_store_set_meta() would. */
void
bnd_sync_batch_set_meta (BndSyncBatch *batch,
                         const char   *key,
                         const char   *value)
{
  g_free (batch->meta_key);
  g_free (batch->meta_value);
  batch->meta_key = g_strdup (key);
  batch->meta_value = g_strdup (value);
}

static gpointer
apply_batch_job (BndStore  *self,
                 gpointer   data,
                 GError   **error)
{
  BndSyncBatch *batch = data;
  gboolean ok = TRUE;

  if (!_bnd_store_exec (self, self->in_batch ? "SAVEPOINT page;" : "BEGIN IMMEDIATE;", error))
    return NULL;
  for (guint i = 0; ok && i < batch->rows->len; i++)
    if (g_ptr_array_index (batch->kinds, i))
      ok = _bnd_store_write_row_data (self, g_ptr_array_index (batch->rows, i), error) &&
           _bnd_store_unqueue_row (self, g_ptr_array_index (batch->rows, i), error);
    else
      {
        Deferred *deferred = g_ptr_array_index (batch->rows, i);

        ok = write_deferred (self, deferred->uuid, deferred->change, error);
      }
  /* The full-text entries last, in a row: see _bnd_store_index_row() */
  for (guint i = 0; ok && i < batch->rows->len; i++)
    if (g_ptr_array_index (batch->kinds, i))
      ok = _bnd_store_index_row (self, g_ptr_array_index (batch->rows, i), error);
  if (ok && batch->meta_key != NULL)
    {
      sqlite3_stmt *stmt = _bnd_store_cached (self, batch->meta_value
                                                    ? "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)"
                                                    : "DELETE FROM meta WHERE key = ?1", error);

      if ((ok = stmt != NULL))
        {
          sqlite3_bind_text (stmt, 1, batch->meta_key, -1, SQLITE_STATIC);
          if (batch->meta_value)
            sqlite3_bind_text (stmt, 2, batch->meta_value, -1, SQLITE_STATIC);
          ok = _bnd_store_done (self, stmt, error);
        }
    }
  if (!ok || !_bnd_store_exec (self, self->in_batch ? "RELEASE page;" : "COMMIT;", error))
    {
      _bnd_store_exec (self, self->in_batch ? "ROLLBACK TO page; RELEASE page;" : "ROLLBACK;", NULL);
      return NULL;
    }
  return GINT_TO_POINTER (TRUE);
}

/**
 * bnd_store_apply_sync_batch:
 *
 * Writes all of @batch in one transaction on the store's worker: all of it or, on an error,
 * none of it.
 */
gboolean
bnd_store_apply_sync_batch (BndStore      *self,
                            BndSyncBatch  *batch,
                            GError       **error)
{
  bnd_store_apply_sync_batch_begin (self, batch);
  return bnd_store_apply_sync_batch_end (self, batch, error);
}

/**
 * bnd_store_apply_sync_batch_begin:
 *
 * bnd_store_apply_sync_batch() without waiting for it: the caller goes on (fetches the next page
 * of changes) while the worker writes. Store calls made meanwhile run after it, and @batch
 * stays untouched until bnd_store_apply_sync_batch_end().
 */
void
bnd_store_apply_sync_batch_begin (BndStore     *self,
                                  BndSyncBatch *batch)
{
  g_return_if_fail (BND_IS_STORE (self));
  g_return_if_fail (batch != NULL && batch->job == NULL);

  batch->store = g_object_ref (self);
  batch->job = _bnd_store_push (self, apply_batch_job, batch, NULL);
}

/* Waits for the write bnd_store_apply_sync_batch_begin() queued. */
gboolean
bnd_store_apply_sync_batch_end (BndStore      *self,
                                BndSyncBatch  *batch,
                                GError       **error)
{
  gboolean ok;

  g_return_val_if_fail (BND_IS_STORE (self), FALSE);
  g_return_val_if_fail (batch != NULL && batch->job != NULL, FALSE);

  ok = _bnd_store_wait (g_steal_pointer (&batch->job), error) != NULL;
  g_clear_object (&batch->store);
  return ok;
}

typedef struct
{
  GPtrArray *uuids;
  GPtrArray *states;
  GPtrArray *local_data;
} States;

static gpointer
get_sync_states_job (BndStore  *self,
                     gpointer   data,
                     GError   **error)
{
  States *states = data;

  for (guint i = 0; i < states->uuids->len; i++)
    {
      const char *uuid = g_ptr_array_index (states->uuids, i);
      BndSyncState *state = read_sync_state (self, uuid, error);
      char *local = NULL;

      if (state == NULL)
        return NULL;
      g_ptr_array_add (states->states, state);
      /* The local copy matters only when there are local edits or a push in flight. */
      if (state->dirty || state->pending_data)
        {
          sqlite3_stmt *stmt = _bnd_store_cached (self, "SELECT data FROM sketches WHERE uuid = ?1 AND deleted = 0",
                                                  error);

          if (stmt == NULL)
            return NULL;
          sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
          if (sqlite3_step (stmt) == SQLITE_ROW)
            local = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
          sqlite3_reset (stmt);
        }
      g_ptr_array_add (states->local_data, local);
    }
  return GINT_TO_POINTER (TRUE);
}

/**
 * bnd_store_get_sync_states:
 * @uuids: (element-type utf8): sketches
 * @local_data: (out) (transfer container) (element-type utf8): for each, the stored text of
 *   the local copy (as bnd_store_load() reads it) when it has local edits or a push in flight,
 *   else %NULL
 *
 * bnd_store_get_sync_state() for many sketches with one call to the store's worker.
 *
 * Returns: (transfer container) (element-type BndSyncState): their sync states, in order
 */
GPtrArray *
bnd_store_get_sync_states (BndStore    *self,
                           GPtrArray   *uuids,
                           GPtrArray  **local_data,
                           GError     **error)
{
  States states;

  g_return_val_if_fail (BND_IS_STORE (self), NULL);
  g_return_val_if_fail (uuids != NULL && local_data != NULL, NULL);

  states.uuids = uuids;
  states.states = g_ptr_array_new_with_free_func ((GDestroyNotify)bnd_sync_state_free);
  states.local_data = g_ptr_array_new_with_free_func (g_free);
  if (_bnd_store_run_sync (self, get_sync_states_job, &states, NULL, error) == NULL)
    {
      g_ptr_array_unref (states.states);
      g_ptr_array_unref (states.local_data);
      return NULL;
    }
  *local_data = states.local_data;
  return states.states;
}
