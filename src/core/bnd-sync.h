/* bnd-sync.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bnd-store.h"
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define BND_SYNC_ERROR (bnd_sync_error_quark ())

typedef enum
{
  BND_SYNC_ERROR_NOT_SIGNED_IN,
  BND_SYNC_ERROR_OFFLINE,       /* the server could not be reached; nothing is lost */
  BND_SYNC_ERROR_REFUSED,       /* the server answered with an error */
  BND_SYNC_ERROR_NOT_FOUND,     /* … that it has no such thing (404) */
} BndSyncError;

typedef struct
{
  guint pulled;
  guint pushed;
  guint merged;
  guint conflicts;
  guint votes_counted;
  guint votes_refused;
  guint ratings_counted;
  guint ratings_refused;
  guint refused;          /* sketches the server refused in this sync: bnd_store_list_unsynced() */
  guint votes_held;       /* queued under another account than the one signed in: kept */
  guint ratings_held;
  gboolean strategy_changed;  /* the server's pack was another: kept at bnd_sync_strategy_path() */
} BndSyncReport;

/* @done of @total changes pulled so far */
typedef void (*BndSyncProgress) (guint64  done,
                                 guint64  total,
                                 gpointer user_data);

GQuark    bnd_sync_error_quark (void);
char     *bnd_sync_strategy_path (const char   *directory);
BndStrategy *bnd_sync_read_strategy (const char *path,
                                     GError    **error);
BndStrategy *bnd_sync_load_strategy (const char *path,
                                     const char *directory,
                                     GError    **error);
char     *bnd_sync_login       (const char     *url,
                                const char     *user,
                                const char     *password,
                                GError        **error);
gboolean  bnd_sync_logout      (const char     *url,
                                const char     *token,
                                GError        **error);
gboolean  bnd_sync_run         (BndStore       *store,
                                BndStrategy    *strategy,
                                const char     *url,
                                const char     *token,
                                const char     *busy,
                                BndSyncReport  *report,
                                GError        **error);
gboolean  bnd_sync_run_with_progress (BndStore         *store,
                                      BndStrategy      *strategy,
                                      const char       *url,
                                      const char       *token,
                                      const char       *busy,
                                      BndSyncProgress   progress,
                                      gpointer          progress_data,
                                      BndSyncReport    *report,
                                      GError          **error);
gboolean  bnd_sync_submit      (BndStore       *store,
                                BndStrategy    *strategy,
                                const char     *url,
                                const char     *token,
                                const char     *uuid,
                                char          **sha256,
                                gboolean       *preview_differs,
                                GError        **error);
SoupSession *bnd_sync_session_new (void);
GBytes   *bnd_sync_fetch       (SoupSession    *session,
                                const char     *url,
                                const char     *token,
                                const char     *path,
                                guint          *status,
                                GError        **error);
JsonNode *bnd_sync_call        (const char     *url,
                                const char     *token,
                                const char     *method,
                                const char     *path,
                                JsonNode       *body,
                                GError        **error);
JsonNode *bnd_sync_upload      (const char     *url,
                                const char     *token,
                                const char     *path,
                                const char     *content_type,
                                GBytes         *body,
                                GError        **error);

G_END_DECLS
