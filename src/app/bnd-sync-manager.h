/* bnd-sync-manager.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "bnd-store.h"

G_BEGIN_DECLS

typedef enum
{
  BND_SYNC_SIGNED_OUT,
  BND_SYNC_SYNCING,
  BND_SYNC_SYNCED,
  BND_SYNC_WAITING,     /* edits queued, not yet on the server */
  BND_SYNC_OFFLINE,
  BND_SYNC_CONFLICTS,
  BND_SYNC_FAILED,
  BND_SYNC_REFUSED,     /* the others synced; the server refused some sketches' edits */
} BndSyncStatus;

#define BND_TYPE_SYNC_MANAGER (bnd_sync_manager_get_type ())

G_DECLARE_FINAL_TYPE (BndSyncManager, bnd_sync_manager, BND, SYNC_MANAGER, GObject)

BndSyncManager *bnd_sync_manager_new             (BndStore        *store,
                                                  BndStrategy     *strategy);
void            bnd_sync_manager_start           (BndSyncManager  *self);
void            bnd_sync_manager_set_credentials (BndSyncManager  *self,
                                                  const char      *url,
                                                  const char      *user,
                                                  const char      *token);
void            bnd_sync_manager_sign_in_async   (BndSyncManager  *self,
                                                  const char      *url,
                                                  const char      *user,
                                                  const char      *password,
                                                  GCancellable    *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer         user_data);
gboolean        bnd_sync_manager_sign_in_finish  (BndSyncManager  *self,
                                                  GAsyncResult    *result,
                                                  GError         **error);
void            bnd_sync_manager_sign_out        (BndSyncManager  *self);
void            bnd_sync_manager_sync_now        (BndSyncManager  *self);
void            bnd_sync_manager_sync_soon       (BndSyncManager  *self);
void            bnd_sync_manager_set_busy        (BndSyncManager  *self,
                                                  const char      *uuid);
BndSyncStatus   bnd_sync_manager_get_status      (BndSyncManager  *self);
const char     *bnd_sync_manager_get_status_text (BndSyncManager  *self);
const char     *bnd_sync_manager_get_url         (BndSyncManager  *self);
const char     *bnd_sync_manager_get_user        (BndSyncManager  *self);
guint           bnd_sync_manager_get_n_syncs     (BndSyncManager  *self);
gboolean        bnd_sync_manager_is_signed_in    (BndSyncManager  *self);
gboolean        bnd_sync_manager_is_running      (BndSyncManager  *self);
const char     *bnd_sync_manager_get_failure     (BndSyncManager  *self);
void            bnd_sync_manager_submit_async    (BndSyncManager  *self,
                                                  const char      *uuid,
                                                  GAsyncReadyCallback callback,
                                                  gpointer         user_data);
gboolean        bnd_sync_manager_submit_finish   (BndSyncManager  *self,
                                                  GAsyncResult    *result,
                                                  gboolean        *preview_differs,
                                                  GError         **error);
void            bnd_sync_manager_call_async      (BndSyncManager  *self,
                                                  const char      *method,
                                                  const char      *path,
                                                  JsonNode        *body,
                                                  GAsyncReadyCallback callback,
                                                  gpointer         user_data);
void            bnd_sync_manager_upload_async    (BndSyncManager  *self,
                                                  const char      *path,
                                                  const char      *content_type,
                                                  GBytes          *bytes,
                                                  GAsyncReadyCallback callback,
                                                  gpointer         user_data);
JsonNode       *bnd_sync_manager_call_finish     (BndSyncManager  *self,
                                                  GAsyncResult    *result,
                                                  GError         **error);

G_END_DECLS
