/* bnd-store-async.c: the store's calls for the application, which never waits on them
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-store"

#include "config.h"

#include "bnd-store.h"
#include "bnd-store-private.h"

/* Each call here is one job on the store's worker, queued behind whatever the application asked
 * for before (the worker takes its jobs in order, so a load after a save sees the save). A job
 * is built from the store's own sync calls: made on the worker, they run there at once. */

static gpointer
flush_job (BndStore  *self,
           gpointer   data,
           GError   **error)
{
  return GINT_TO_POINTER (TRUE);
}

/**
 * bnd_store_flush:
 * @self: a #BndStore
 *
 * Waits until every job queued so far has run: for the moment the application is about to go,
 * when what the user did last must be on disk.
 */
void
bnd_store_flush (BndStore *self)
{
  g_return_if_fail (BND_IS_STORE (self));
  _bnd_store_run_sync (self, flush_job, NULL, NULL, NULL);
}

/**
 * bnd_store_call_async:
 * @self: a #BndStore
 * @func: (scope async): runs on the store's worker; may call any of the store's sync functions.
 *   Returns non-%NULL on success, %NULL with @error set on failure
 * @data: (nullable): passed to @func, which runs while the caller waits for the callback: the
 *   caller does not touch it meanwhile
 * @data_free: (nullable): frees @data afterwards
 * @result_free: (nullable): frees @func's result if nobody takes it
 * @cancellable: (nullable): cancels only the callback's result: @func runs all the same, since
 *   it may write (see bnd_store_read_async())
 *
 * Runs several store calls as one job: nothing else reaches the store between them.
 */
void
bnd_store_call_async (BndStore            *self,
                      BndStoreCallFunc     func,
                      gpointer             data,
                      GDestroyNotify       data_free,
                      GDestroyNotify       result_free,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_return_if_fail (BND_IS_STORE (self));
  g_return_if_fail (func != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  _bnd_store_run_async (self, BND_STORE_WRITES, func, data, data_free, result_free, bnd_store_call_async, cancellable,
                        callback, user_data);
}

/**
 * bnd_store_read_async:
 *
 * As bnd_store_call_async(), for a @func that only reads: cancelled before it ran, it does not
 * run at all (a view left before its data came, a filter typed over).
 *
 * Finish it with bnd_store_call_finish().
 */
void
bnd_store_read_async (BndStore            *self,
                      BndStoreCallFunc     func,
                      gpointer             data,
                      GDestroyNotify       data_free,
                      GDestroyNotify       result_free,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_return_if_fail (BND_IS_STORE (self));
  g_return_if_fail (func != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  _bnd_store_run_async (self, BND_STORE_READS, func, data, data_free, result_free, bnd_store_call_async,
                        cancellable, callback, user_data);
}

/**
 * bnd_store_call_finish:
 *
 * Returns: (transfer full) (nullable): what the function returned
 */
gpointer
bnd_store_call_finish (BndStore      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Listing: the same job as bnd_store_list() */

void
bnd_store_list_async (BndStore            *self,
                      const BndStoreQuery *query,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_return_if_fail (BND_IS_STORE (self));

  _bnd_store_run_async (self, BND_STORE_READS, _bnd_store_list_job, _bnd_store_query_copy (query),
                        (GDestroyNotify)_bnd_store_query_free, (GDestroyNotify)g_ptr_array_unref,
                        bnd_store_list_async, cancellable, callback, user_data);
}

/**
 * bnd_store_list_finish:
 *
 * Returns: (transfer container) (element-type BndSketchSummary): the sketches
 */
GPtrArray *
bnd_store_list_finish (BndStore      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Loading */

typedef struct
{
  char        *uuid;
  BndStrategy *strategy;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->uuid);
  g_clear_object (&data->strategy);
  g_free (data);
}

static gpointer
load_job (BndStore  *self,
          gpointer   data,
          GError   **error)
{
  LoadData *load = data;

  return bnd_store_load (self, load->uuid, load->strategy, error);
}

/**
 * bnd_store_load_async:
 * @self: a #BndStore
 * @uuid: a sketch's UUID
 * @strategy: (nullable): the strategy to check it against; only read meanwhile
 *
 * Loads a sketch as bnd_store_load() does.
 */
void
bnd_store_load_async (BndStore            *self,
                      const char          *uuid,
                      BndStrategy         *strategy,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  LoadData *data;

  g_return_if_fail (BND_IS_STORE (self));
  g_return_if_fail (uuid != NULL);

  data = g_new0 (LoadData, 1);
  data->uuid = g_strdup (uuid);
  data->strategy = strategy ? g_object_ref (strategy) : NULL;
  _bnd_store_run_async (self, BND_STORE_READS, load_job, data, (GDestroyNotify)load_data_free, g_object_unref,
                        bnd_store_load_async, cancellable, callback, user_data);
}

/**
 * bnd_store_load_finish:
 *
 * Returns: (transfer full) (nullable): the sketch
 */
BndSketch *
bnd_store_load_finish (BndStore      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The bin */

typedef struct
{
  char     *uuid;
  gboolean  deleted;
} DeletedData;

static void
deleted_data_free (DeletedData *data)
{
  g_free (data->uuid);
  g_free (data);
}

static gpointer
set_deleted_job (BndStore  *self,
                 gpointer   data,
                 GError   **error)
{
  DeletedData *deleted = data;

  return bnd_store_set_deleted (self, deleted->uuid, deleted->deleted, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

/**
 * bnd_store_set_deleted_async:
 *
 * Moves a sketch to or from the bin, as bnd_store_set_deleted() does.
 */
void
bnd_store_set_deleted_async (BndStore            *self,
                             const char          *uuid,
                             gboolean             deleted,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  DeletedData *data;

  g_return_if_fail (BND_IS_STORE (self));
  g_return_if_fail (uuid != NULL);

  data = g_new0 (DeletedData, 1);
  data->uuid = g_strdup (uuid);
  data->deleted = deleted;
  _bnd_store_run_async (self, BND_STORE_WRITES, set_deleted_job, data, (GDestroyNotify)deleted_data_free, NULL,
                        bnd_store_set_deleted_async, cancellable, callback, user_data);
}

gboolean
bnd_store_set_deleted_finish (BndStore      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_pointer (G_TASK (result), error) != NULL;
}

/* Sync state */

static gpointer
get_sync_state_job (BndStore  *self,
                    gpointer   data,
                    GError   **error)
{
  return bnd_store_get_sync_state (self, data, error);
}

/**
 * bnd_store_get_sync_state_async:
 *
 * Reads how a sketch stands with the server, as bnd_store_get_sync_state() does.
 */
void
bnd_store_get_sync_state_async (BndStore            *self,
                                const char          *uuid,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (BND_IS_STORE (self));
  g_return_if_fail (uuid != NULL);

  _bnd_store_run_async (self, BND_STORE_READS, get_sync_state_job, g_strdup (uuid), g_free, (GDestroyNotify)bnd_sync_state_free,
                        bnd_store_get_sync_state_async, cancellable, callback, user_data);
}

/**
 * bnd_store_get_sync_state_finish:
 *
 * Returns: (transfer full) (nullable): the state, %NULL with @error set if there is none
 */
BndSyncState *
bnd_store_get_sync_state_finish (BndStore      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gpointer
list_unsynced_job (BndStore  *self,
                   gpointer   data,
                   GError   **error)
{
  return bnd_store_list_unsynced (self, GPOINTER_TO_INT (data), error);
}

void
bnd_store_list_unsynced_async (BndStore            *self,
                               BndUnsyncedKind      which,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (BND_IS_STORE (self));

  _bnd_store_run_async (self, BND_STORE_READS, list_unsynced_job, GINT_TO_POINTER (which), NULL, (GDestroyNotify)g_ptr_array_unref,
                        bnd_store_list_unsynced_async, cancellable, callback, user_data);
}

/**
 * bnd_store_list_unsynced_finish:
 *
 * Returns: (transfer container) (element-type utf8): the UUIDs, as bnd_store_list_unsynced()
 */
GPtrArray *
bnd_store_list_unsynced_finish (BndStore      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
