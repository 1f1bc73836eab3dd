/* bnd-sessions-page.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bnd-review-data.h"
#include "bnd-strategy.h"
#include "bnd-sync-manager.h"

G_BEGIN_DECLS

#define BND_TYPE_SESSIONS_PAGE (bnd_sessions_page_get_type ())

G_DECLARE_FINAL_TYPE (BndSessionsPage, bnd_sessions_page, BND, SESSIONS_PAGE, GtkWidget)

GtkWidget *bnd_sessions_page_new    (void);
gboolean   bnd_sessions_page_reload (BndSessionsPage *self,
                                     const BndReviewData *data,
                                     BndStrategy     *strategy,
                                     BndSyncManager  *sync);
void       bnd_sessions_page_show   (BndSessionsPage *self,
                                     const char      *uuid);

G_END_DECLS
