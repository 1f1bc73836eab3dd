/* bnd-goals-page.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "bnd-strategy.h"

G_BEGIN_DECLS

#define BND_TYPE_GOALS_PAGE (bnd_goals_page_get_type ())

G_DECLARE_FINAL_TYPE (BndGoalsPage, bnd_goals_page, BND, GOALS_PAGE, GtkWidget)

void        bnd_goals_page_set_strategy  (BndGoalsPage *self,
                                          BndStrategy  *strategy);
void        bnd_goals_page_show_goal     (BndGoalsPage *self,
                                          const char   *goal_id);
const char *bnd_goals_page_get_shown_goal (BndGoalsPage *self);

G_END_DECLS
