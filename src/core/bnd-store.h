/* bnd-store.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bnd-sketch.h"

G_BEGIN_DECLS

#define BND_STORE_ERROR (bnd_store_error_quark ())

typedef enum
{
  BND_STORE_ERROR_OPEN,
  BND_STORE_ERROR_SQL,
  BND_STORE_ERROR_NOT_FOUND,
  BND_STORE_ERROR_TOO_NEW,
  BND_STORE_ERROR_CORRUPT,
  BND_STORE_ERROR_NOT_PROFILE,
  BND_STORE_ERROR_NOT_EMPTY,
  BND_STORE_ERROR_NO_ACCOUNT,   /* a vote or rating needs the account that gives it */
} BndStoreError;

typedef struct
{
  char    *uuid;
  char    *title;
  char    *stage;
  int      funding_object;
  gint64   modified;
  gboolean refused;   /* the server refused its edits: see BndSyncState.refused */
} BndSketchSummary;

typedef struct
{
  gint64  id;
  char   *uuid;
  gint64  created;
  char   *reason;      /* "pause", "export", "close", "restore", "import" */
} BndVersion;

/* How a sketch stands with the server. */
typedef struct
{
  char    *uuid;
  gint64   base_revision;   /* the server revision both sides last agreed on, 0 if never */
  char    *base_data;       /* that revision's .bndsketch text: the common ancestor */
  gboolean dirty;           /* local edits not yet on the server */
  char    *pending_key;     /* a push that may have reached the server: its idempotency key … */
  char    *pending_data;    /* … and what it sent */
  char    *conflicts;       /* JSON of BndConflict, or NULL */
  char    *deferred_change; /* a server change held back while the sketch was open, or NULL */
  char    *refused;         /* the server's refusal of its edits for good, or NULL: bnd-refusal.h */
} BndSyncState;

/* Writes of a sync, gathered to go to the store in one transaction: bnd_store_apply_sync_batch() */
typedef struct _BndSyncBatch BndSyncBatch;

BndSyncBatch *bnd_sync_batch_new          (void);
void          bnd_sync_batch_free         (BndSyncBatch        *batch);
guint         bnd_sync_batch_get_length   (BndSyncBatch        *batch);
void          bnd_sync_batch_add_sketch   (BndSyncBatch        *batch,
                                           BndSketch           *sketch,
                                           const char          *data,
                                           const BndSyncState  *state);
void          bnd_sync_batch_add_deferred (BndSyncBatch        *batch,
                                           const char          *uuid,
                                           const char          *change);
void          bnd_sync_batch_set_meta     (BndSyncBatch        *batch,
                                           const char          *key,
                                           const char          *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BndSyncBatch, bnd_sync_batch_free)

/* Which sketches bnd_store_list_unsynced() lists. FALSE and TRUE are the first two, as the
 * gboolean it took before. */
typedef enum
{
  BND_UNSYNCED_TO_PUSH,
  BND_UNSYNCED_CONFLICTS,
  BND_UNSYNCED_REFUSED,
} BndUnsyncedKind;

/* What the sketch list shows: every member is optional (NULL or 0 for "any"). */
typedef struct
{
  const char *text;            /* full-text, each word as a prefix */
  const char *stage;
  const char *goal;
  const char *district;
  int         funding_object;
} BndStoreQuery;

#define BND_TYPE_STORE (bnd_store_get_type ())

G_DECLARE_FINAL_TYPE (BndStore, bnd_store, BND, STORE, GObject)

GQuark      bnd_store_error_quark        (void);
char       *bnd_store_default_directory  (void);
char       *bnd_store_get_directory      (BndStore             *self);
BndStore   *bnd_store_new                (const char           *directory,
                                          GError              **error);
const char *bnd_store_get_path           (BndStore             *self);
gboolean    bnd_store_save               (BndStore             *self,
                                          BndSketch            *sketch,
                                          GError              **error);
BndSketch  *bnd_store_load               (BndStore             *self,
                                          const char           *uuid,
                                          BndStrategy          *strategy,
                                          GError              **error);
GPtrArray  *bnd_store_list               (BndStore             *self,
                                          const BndStoreQuery  *query,
                                          GError              **error);
char       *bnd_store_resolve_id         (BndStore             *self,
                                          const char           *prefix,
                                          GError              **error);
gboolean    bnd_store_set_deleted        (BndStore             *self,
                                          const char           *uuid,
                                          gboolean              deleted,
                                          GError              **error);
gboolean    bnd_store_add_version        (BndStore             *self,
                                          BndSketch            *sketch,
                                          const char           *reason,
                                          GError              **error);
GPtrArray  *bnd_store_list_versions      (BndStore             *self,
                                          const char           *uuid,
                                          GError              **error);
BndSketch  *bnd_store_load_version       (BndStore             *self,
                                          gint64                version_id,
                                          GError              **error);
guint       bnd_store_count              (BndStore             *self,
                                          GError              **error);

void        bnd_store_save_async         (BndStore             *self,
                                          BndSketch            *sketch,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean    bnd_store_save_finish        (BndStore             *self,
                                          GAsyncResult         *result,
                                          GError              **error);
void        bnd_store_add_version_async  (BndStore             *self,
                                          BndSketch            *sketch,
                                          const char           *reason,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean    bnd_store_add_version_finish (BndStore             *self,
                                          GAsyncResult         *result,
                                          GError              **error);

BndSyncState *bnd_store_get_sync_state  (BndStore             *self,
                                          const char           *uuid,
                                          GError              **error);
gboolean    bnd_store_apply_sync         (BndStore             *self,
                                          BndSketch            *sketch,
                                          const BndSyncState   *state,
                                          GError              **error);
GPtrArray  *bnd_store_list_unsynced      (BndStore             *self,
                                          BndUnsyncedKind       which,
                                          GError              **error);
char       *bnd_store_get_meta           (BndStore             *self,
                                          const char           *key);
gboolean    bnd_store_set_meta           (BndStore             *self,
                                          const char           *key,
                                          const char           *value,
                                          GError              **error);
gboolean    bnd_store_cache_put          (BndStore             *self,
                                          const char           *path,
                                          GBytes               *body,
                                          GError              **error);
GBytes     *bnd_store_cache_get          (BndStore             *self,
                                          const char           *path);
gboolean    bnd_store_set_deferred       (BndStore             *self,
                                          const char           *uuid,
                                          const char           *change,
                                          GError              **error);
GPtrArray  *bnd_store_get_sync_states    (BndStore             *self,
                                          GPtrArray            *uuids,
                                          GPtrArray           **local_data,
                                          GError              **error);
gboolean    bnd_store_apply_sync_batch   (BndStore             *self,
                                          BndSyncBatch         *batch,
                                          GError              **error);
void        bnd_store_apply_sync_batch_begin (BndStore         *self,
                                          BndSyncBatch         *batch);
gboolean    bnd_store_apply_sync_batch_end (BndStore           *self,
                                          BndSyncBatch         *batch,
                                          GError              **error);
gboolean    bnd_store_reset_sync         (BndStore             *self,
                                          GError              **error);
gboolean    bnd_store_begin_batch        (BndStore             *self,
                                          GError              **error);
gboolean    bnd_store_end_batch          (BndStore             *self,
                                          GError              **error);
typedef struct
{
  char   *dossier;
  char   *account_url;   /* the account that cast it: the server … */
  char   *account_user;  /* … and the user name there */
  char   *choice;
  char   *comment;
  gint64  cast_at;   /* microseconds */
  char   *state;     /* "queued", "counted" or "refused" */
  char   *message;   /* the server's reason for a refusal */
} BndQueuedVote;

gboolean    bnd_store_queue_vote         (BndStore             *self,
                                          const char           *dossier,
                                          const char           *choice,
                                          const char           *comment,
                                          GError              **error);
GPtrArray  *bnd_store_list_votes         (BndStore             *self,
                                          GError              **error);
GPtrArray  *bnd_store_list_own_votes     (BndStore             *self,
                                          GError              **error);
gboolean    bnd_store_settle_vote        (BndStore             *self,
                                          const BndQueuedVote  *vote,
                                          GError              **error);
void        bnd_queued_vote_free         (BndQueuedVote        *vote);

typedef struct
{
  char   *dossier;
  char   *account_url;   /* the account that gave it, as for votes */
  char   *account_user;
  char   *scores;    /* JSON object: criterion → score */
  char   *comment;
  gint64  rated_at;  /* microseconds */
  char   *state;     /* "queued", "counted" or "refused" */
  char   *message;   /* the server's reason for a refusal */
} BndQueuedRating;

gboolean    bnd_store_queue_rating       (BndStore               *self,
                                          const char             *dossier,
                                          const char             *scores_json,
                                          const char             *comment,
                                          GError                **error);
GPtrArray  *bnd_store_list_ratings       (BndStore               *self,
                                          GError                **error);
GPtrArray  *bnd_store_list_own_ratings   (BndStore               *self,
                                          GError                **error);
gboolean    bnd_store_settle_rating      (BndStore               *self,
                                          const BndQueuedRating  *rating,
                                          GError                **error);
void        bnd_queued_rating_free       (BndQueuedRating        *rating);
gboolean    bnd_store_is_account         (const char             *url,
                                          const char             *user,
                                          const char             *account_url,
                                          const char             *account_user);

gboolean    bnd_store_export_profile        (BndStore             *self,
                                             const char           *file,
                                             GError              **error);
void        bnd_store_export_profile_async  (BndStore             *self,
                                             const char           *file,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean    bnd_store_export_profile_finish (BndStore             *self,
                                             GAsyncResult         *result,
                                             GError              **error);
gboolean    bnd_store_check_profile_file    (const char           *file,
                                             GError              **error);
gboolean    bnd_store_import_profile        (BndStore             *self,
                                             const char           *file,
                                             GError              **error);

/* bnd-store-async.c: what the application calls, never waiting on the store's worker */
typedef gpointer (*BndStoreCallFunc) (BndStore  *store,
                                      gpointer   data,
                                      GError   **error);

void          bnd_store_call_async            (BndStore             *self,
                                               BndStoreCallFunc      func,
                                               gpointer              data,
                                               GDestroyNotify        data_free,
                                               GDestroyNotify        result_free,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
void          bnd_store_read_async            (BndStore             *self,
                                               BndStoreCallFunc      func,
                                               gpointer              data,
                                               GDestroyNotify        data_free,
                                               GDestroyNotify        result_free,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gpointer      bnd_store_call_finish           (BndStore             *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void          bnd_store_flush                 (BndStore             *self);
void          bnd_store_list_async            (BndStore             *self,
                                               const BndStoreQuery  *query,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GPtrArray    *bnd_store_list_finish           (BndStore             *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void          bnd_store_load_async            (BndStore             *self,
                                               const char           *uuid,
                                               BndStrategy          *strategy,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
BndSketch    *bnd_store_load_finish           (BndStore             *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void          bnd_store_set_deleted_async     (BndStore             *self,
                                               const char           *uuid,
                                               gboolean              deleted,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean      bnd_store_set_deleted_finish    (BndStore             *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void          bnd_store_get_sync_state_async  (BndStore             *self,
                                               const char           *uuid,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
BndSyncState *bnd_store_get_sync_state_finish (BndStore             *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void          bnd_store_list_unsynced_async   (BndStore             *self,
                                               BndUnsyncedKind       which,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GPtrArray    *bnd_store_list_unsynced_finish  (BndStore             *self,
                                               GAsyncResult         *result,
                                               GError              **error);

void        bnd_sync_state_free          (BndSyncState         *state);
void        bnd_sketch_summary_free      (BndSketchSummary     *summary);
void        bnd_version_free             (BndVersion           *version);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BndSyncState, bnd_sync_state_free)

G_END_DECLS
