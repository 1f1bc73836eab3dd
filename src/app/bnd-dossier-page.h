/* bnd-dossier-page.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bnd-store.h"
#include "bnd-strategy.h"
#include "bnd-sync-manager.h"

G_BEGIN_DECLS

#define BND_TYPE_DOSSIER_PAGE (bnd_dossier_page_get_type ())

G_DECLARE_FINAL_TYPE (BndDossierPage, bnd_dossier_page, BND, DOSSIER_PAGE, GtkWidget)

GtkWidget  *bnd_dossier_page_new         (void);
void        bnd_dossier_page_set_context (BndDossierPage *self,
                                          BndStore       *store,
                                          BndStrategy    *strategy,
                                          BndSyncManager *sync);
void        bnd_dossier_page_show        (BndDossierPage *self,
                                          const char     *uuid);
void        bnd_dossier_page_refresh     (BndDossierPage *self);
const char *bnd_dossier_page_get_uuid    (BndDossierPage *self);
gboolean    bnd_dossier_page_is_loading  (BndDossierPage *self);

G_END_DECLS
