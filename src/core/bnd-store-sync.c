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
 * refused; a sync writes its whole state. Runs on the worker inside the transaction of the
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

static gpointer
get_sync_state_job (BndStore  *self,
                    gpointer   data,
                    GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  BndSyncState *state;

  if (!(stmt = _bnd_store_prepare (self, "SELECT base_revision, base_data, dirty, pending_key, pending_data, conflicts, "
                                         "deferred_change, refused FROM sync_state WHERE uuid = ?1", error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, data, -1, SQLITE_STATIC);
  state = g_new0 (BndSyncState, 1);
  state->uuid = g_strdup (data);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_autoptr(sqlite3_stmt) exists = _bnd_store_prepare (self, "SELECT 1 FROM sketches WHERE uuid = ?1", NULL);

      /* No sync state: a sketch made here and never synced is dirty; an unknown one is not. */
      if (exists != NULL)
        {
          sqlite3_bind_text (exists, 1, data, -1, SQLITE_STATIC);
          state->dirty = sqlite3_step (exists) == SQLITE_ROW;
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
  return state;
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

static gpointer
set_deferred_job (BndStore  *self,
                  gpointer   data,
                  GError   **error)
{
  Deferred *deferred = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = _bnd_store_prepare (self, "INSERT INTO sync_state (uuid, dirty, deferred_change) VALUES (?1, 1, ?2) "
                                         "ON CONFLICT (uuid) DO UPDATE SET deferred_change = ?2", error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, deferred->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, deferred->change, -1, SQLITE_STATIC);
  return _bnd_store_step_done (self, stmt, error) ? GINT_TO_POINTER (TRUE) : NULL;
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
