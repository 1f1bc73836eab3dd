/* bnd-review-page.h
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

#define BND_TYPE_REVIEW_PAGE (bnd_review_page_get_type ())

G_DECLARE_FINAL_TYPE (BndReviewPage, bnd_review_page, BND, REVIEW_PAGE, GtkWidget)

void bnd_review_page_set_context  (BndReviewPage  *self,
                                   BndStore       *store,
                                   BndStrategy    *strategy,
                                   BndSyncManager *sync);
void bnd_review_page_reload       (BndReviewPage  *self);
gboolean bnd_review_page_is_loading (BndReviewPage *self);
const char *bnd_review_page_get_help_page (BndReviewPage *self);
void bnd_review_page_show_dossier (BndReviewPage  *self,
                                   const char     *uuid);
void bnd_review_page_show_section (BndReviewPage  *self,
                                   const char     *section);

G_END_DECLS
