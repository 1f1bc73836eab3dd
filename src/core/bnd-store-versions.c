/* bnd-store-versions.c: the versions kept of a sketch: snapshots at pauses, exports, restores
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

static gpointer
add_version_job (BndStore  *self,
                 gpointer   data,
                 GError   **error)
{
  BndStoreRow *row = data;
  g_autoptr(sqlite3_stmt) last = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;

  /* A pause without an edit since the last snapshot adds nothing. */
  if (!(last = _bnd_store_prepare (self, "SELECT data FROM versions WHERE uuid = ?1 ORDER BY id DESC LIMIT 1", error)))
    return NULL;
  sqlite3_bind_text (last, 1, row->uuid, -1, SQLITE_STATIC);
  if (sqlite3_step (last) == SQLITE_ROW &&
      g_strcmp0 ((const char *)sqlite3_column_text (last, 0), row->data) == 0 &&
      !g_str_equal (row->reason, "restore"))
    return GINT_TO_POINTER (TRUE);

  if (_bnd_store_save_job (self, row, error) == NULL)
    return NULL;

  if (!(insert = _bnd_store_prepare (self, "INSERT INTO versions (uuid, created, reason, data) VALUES (?1, ?2, ?3, ?4)", error)))
    return NULL;
  sqlite3_bind_text (insert, 1, row->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 2, g_get_real_time () / G_USEC_PER_SEC);
  sqlite3_bind_text (insert, 3, row->reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 4, row->data, -1, SQLITE_STATIC);
  if (!_bnd_store_step_done (self, insert, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

/* The data of one version, as bnd-store.c's load job reads a sketch's */
static gpointer
load_version_job (BndStore  *self,
                  gpointer   data,
                  GError   **error)
{
  gint64 id = *(gint64 *)data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *name = NULL;

  if (!(stmt = _bnd_store_prepare (self, "SELECT data FROM versions WHERE id = ?1", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);

  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      return g_strdup ((const char *)sqlite3_column_text (stmt, 0));
    case SQLITE_DONE:
      name = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      g_set_error (error, BND_STORE_ERROR, BND_STORE_ERROR_NOT_FOUND, _("No sketch “%s”"), name);
      return NULL;
    default:
      _bnd_store_set_sql_error (self, error);
      return NULL;
    }
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

  if (!(stmt = _bnd_store_prepare (self, "SELECT id, uuid, created, reason FROM versions WHERE uuid = ?1 ORDER BY id", error)))
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
      _bnd_store_set_sql_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&list);
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

  return _bnd_store_run_sync (self, add_version_job, _bnd_store_row_new (sketch, reason, NULL),
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

  return _bnd_store_run_sync (self, list_versions_job, g_strdup (uuid), g_free, error);
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
  gint64 *id = g_new (gint64, 1);

  g_return_val_if_fail (BND_IS_STORE (self), NULL);

  *id = version_id;
  return _bnd_store_sketch_from_data (_bnd_store_run_sync (self, load_version_job, id, g_free, error), NULL, error);
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

  _bnd_store_run_async (self, BND_STORE_WRITES, add_version_job, _bnd_store_row_new (sketch, reason, NULL),
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
bnd_version_free (BndVersion *version)
{
  g_free (version->uuid);
  g_free (version->reason);
  g_free (version);
}
