/* bnd-overview-page.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "bnd-strategy.h"

G_BEGIN_DECLS

#define BND_TYPE_OVERVIEW_PAGE (bnd_overview_page_get_type ())

G_DECLARE_FINAL_TYPE (BndOverviewPage, bnd_overview_page, BND, OVERVIEW_PAGE, GtkWidget)

void bnd_overview_page_set_strategy (BndOverviewPage *self,
                                     BndStrategy     *strategy);

G_END_DECLS
