/* bnd-portfolio-page.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bnd-review-data.h"
#include "bnd-strategy.h"

G_BEGIN_DECLS

#define BND_TYPE_PORTFOLIO_PAGE (bnd_portfolio_page_get_type ())

G_DECLARE_FINAL_TYPE (BndPortfolioPage, bnd_portfolio_page, BND, PORTFOLIO_PAGE, GtkWidget)

GtkWidget *bnd_portfolio_page_new    (void);
gboolean   bnd_portfolio_page_reload (BndPortfolioPage    *self,
                                      const BndReviewData *data,
                                      BndStrategy         *strategy);

G_END_DECLS
