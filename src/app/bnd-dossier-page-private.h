/* bnd-dossier-page-private.h: what the dossier page's parts share
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "bnd-dossier-page.h"
#include "bnd-store.h"
#include "bnd-strategy.h"
#include "bnd-sync-manager.h"

G_BEGIN_DECLS

/* What the page shows, read on the store's worker (bnd-dossier-read.c) */
typedef struct
{
  char             *uuid;
  GPtrArray        *dossiers;     /* BndSketchSummary */
  BndSketchSummary *summary;      /* the dossier's, in @dossiers; NULL if the profile has none */
  char             *fingerprint;
  gboolean          unchanged;    /* the fingerprint asked about: nothing else was read */
  JsonNode         *me;
  JsonNode         *portfolio;
  GHashTable       *cache;        /* path → GBytes, the cached answers and PDFs */
  GHashTable       *thumbnails;   /* path → GdkTexture, of each PDF's first page */
  GPtrArray        *own_votes;    /* BndQueuedVote */
  GPtrArray        *own_ratings;  /* BndQueuedRating */
} BndDossierRead;

struct _BndDossierPage
{
  GtkWidget       parent_instance;

  GtkWidget      *scroller;
  double          scroll_to;     /* where to scroll once the page shown again is tall enough */

  BndStore       *store;
  BndStrategy    *strategy;
  BndSyncManager *sync;
  char           *uuid;          /* the dossier shown */
  char           *own_org;
  char           *role;
  char           *carrier;     /* the carrier's organisation, if the portfolio tells */
  char           *fingerprint; /* of what the page shows, see bnd_dossier_page_refresh() */
  gboolean        may_vote;    /* the rules let the account vote now */

  /* Reading runs on the store's worker; the page shows what it showed until it is done. */
  GCancellable   *cancellable;   /* cancelled in dispose: a late answer finds no page */
  BndDossierRead *read;          /* what the page shows */
  char           *wanted;        /* the dossier to show once the read in flight is done */
  gboolean        reading;
  gboolean        read_again;    /* a show or refresh asked for during the read */
  gboolean        force;         /* build the page even if the fingerprint is the same */
  gboolean        saving;        /* a rating or vote is being queued */

  /* The open forms */
  GPtrArray      *score_buttons;   /* GtkSpinButton, one per criterion */
  GtkWidget      *rating_comment;
  GtkWidget      *vote_buttons[3];
  GtkWidget      *vote_comment;
  GtkWidget      *comment_entry;
};

void        _bnd_dossier_read_async      (BndStore            *store,
                                          const char          *uuid,
                                          const char          *fingerprint,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
BndDossierRead *_bnd_dossier_read_finish (BndStore           *store,
                                          GAsyncResult       *result,
                                          GError            **error);
void        _bnd_dossier_read_free       (BndDossierRead *read);
void        _bnd_dossier_mark_read_async (BndStore       *store,
                                          const char     *uuid);
JsonNode   *_bnd_dossier_cached          (BndDossierPage *self,
                                         const char     *what);
GBytes     *_bnd_dossier_cached_bytes    (BndDossierPage *self,
                                         const char     *path);
GdkTexture *_bnd_dossier_thumbnail       (BndDossierPage *self,
                                         const char     *path);
const char *_bnd_dossier_string_of       (JsonObject     *object,
                                         const char     *name);
gboolean    _bnd_dossier_array_has_string (JsonArray     *array,
                                         const char     *text);
const char *_bnd_dossier_org_name        (BndDossierPage *self,
                                         const char     *org);
char       *_bnd_dossier_format_time     (gint64          unix_time);
GtkWidget  *_bnd_dossier_text_row        (const char     *title,
                                         const char     *subtitle);
GtkWidget  *_bnd_dossier_placeholder_row (const char     *text);
GtkWidget  *_bnd_dossier_new_group       (GtkWidget      *box,
                                         const char     *title,
                                         const char     *description);

void        _bnd_dossier_page_add_documents   (BndDossierPage *self,
                                               GtkWidget      *box);
void        _bnd_dossier_page_add_submissions (BndDossierPage *self,
                                               GtkWidget      *box);
void        _bnd_dossier_page_attach_action   (GtkWidget      *widget,
                                               const char     *action_name,
                                               GVariant       *parameter);
void        _bnd_dossier_page_add_rating      (BndDossierPage *self,
                                               GtkWidget      *box,
                                               const char     *stage,
                                               gboolean        entitled);
void        _bnd_dossier_page_add_vote        (BndDossierPage *self,
                                               GtkWidget      *box);

G_END_DECLS
