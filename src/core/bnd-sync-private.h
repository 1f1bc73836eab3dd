/* bnd-sync-private.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "bnd-store.h"
#include "bnd-sync.h"

G_BEGIN_DECLS

/* What the parts of one sync share: bnd-sync.c (pull and push of sketches) and
 * bnd-sync-ballots.c (queued votes and ratings). */

typedef struct
{
  SoupSession *session;
  const char  *url;
  const char  *token;
} BndSyncClient;

GBytes     *_bnd_sync_send_request    (BndSyncClient  *client,
                                       const char     *method,
                                       const char     *path,
                                       const char     *content_type,
                                       GBytes         *body,
                                       GHashTable     *headers,
                                       guint          *status,
                                       GError        **error);
JsonObject *_bnd_sync_parse_answer    (GBytes         *answer,
                                       JsonNode      **root);
char       *_bnd_sync_refusal_message (guint           status,
                                       JsonObject     *object);
gboolean    _bnd_sync_refused         (GBytes         *answer,
                                       guint           status,
                                       GError        **error);
gboolean    _bnd_sync_pull_strategy   (BndSyncClient  *client,
                                       BndStore       *store,
                                       BndStrategy    *current,
                                       BndStrategy   **pulled,
                                       GError        **error);
gboolean    _bnd_sync_push_votes      (BndSyncClient  *client,
                                       BndStore       *store,
                                       const char     *user,
                                       BndSyncReport  *report,
                                       GError        **error);
gboolean    _bnd_sync_push_ratings    (BndSyncClient  *client,
                                       BndStore       *store,
                                       const char     *user,
                                       BndSyncReport  *report,
                                       GError        **error);

G_END_DECLS
