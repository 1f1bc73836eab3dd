/* bnd-region-page.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "bnd-bar-chart.h"
#include "bnd-strategy.h"

G_BEGIN_DECLS

#define BND_TYPE_REGION_PAGE (bnd_region_page_get_type ())

G_DECLARE_FINAL_TYPE (BndRegionPage, bnd_region_page, BND, REGION_PAGE, GtkWidget)

void         bnd_region_page_set_strategy     (BndRegionPage *self,
                                               BndStrategy   *strategy,
                                               GSettings     *settings);
void         bnd_region_page_set_area         (BndRegionPage *self,
                                               const char    *area);
const char  *bnd_region_page_get_area         (BndRegionPage *self);
void         bnd_region_page_show_indicator   (BndRegionPage *self,
                                               const char    *indicator_id);
BndBarChart *bnd_region_page_get_groups_chart (BndRegionPage *self);
BndBarChart *bnd_region_page_get_districts_chart (BndRegionPage *self);
GtkListBox  *bnd_region_page_get_indicator_list (BndRegionPage *self);

G_END_DECLS
