/* bnd-pdf-renderer.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bnd-sketch.h"
#include "bnd-strategy.h"

G_BEGIN_DECLS

/* What the layout of a sketch came to: the page budget. */
typedef struct
{
  guint   n_pages;
  double  used_pages;            /* 2.4 means two full pages and 40 % of the third */
  guint   page_limit;
  char   *overflow_section;      /* the section id in which the last allowed page ends, or NULL */
  char   *overflow_title;        /* its title */
} BndPageBudget;

void    bnd_page_budget_clear   (BndPageBudget  *budget);
GBytes *bnd_pdf_render          (BndSketch      *sketch,
                                 BndStrategy    *strategy,
                                 BndPageBudget  *budget,
                                 GError        **error);
gboolean bnd_pdf_measure        (BndSketch      *sketch,
                                 BndStrategy    *strategy,
                                 BndPageBudget  *budget,
                                 GError        **error);

G_END_DECLS
