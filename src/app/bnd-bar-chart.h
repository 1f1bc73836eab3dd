/* bnd-bar-chart.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define BND_TYPE_BAR_CHART (bnd_bar_chart_get_type ())

G_DECLARE_FINAL_TYPE (BndBarChart, bnd_bar_chart, BND, BAR_CHART, GtkWidget)

GtkWidget  *bnd_bar_chart_new                (void);
void        bnd_bar_chart_set_series         (BndBarChart        *self,
                                              guint               n_series,
                                              const char * const *names);
void        bnd_bar_chart_set_unit           (BndBarChart        *self,
                                              const char         *unit);
void        bnd_bar_chart_clear              (BndBarChart        *self);
void        bnd_bar_chart_add_category       (BndBarChart        *self,
                                              const char         *label,
                                              const double       *values,
                                              gboolean            highlight);
guint       bnd_bar_chart_get_n_categories   (BndBarChart        *self);
guint       bnd_bar_chart_get_n_series       (BndBarChart        *self);
const char *bnd_bar_chart_get_category_label (BndBarChart        *self,
                                              guint               category);
double      bnd_bar_chart_get_value          (BndBarChart        *self,
                                              guint               category,
                                              guint               series);
gboolean    bnd_bar_chart_get_selected       (BndBarChart        *self,
                                              guint              *category,
                                              guint              *series);
void        bnd_bar_chart_select             (BndBarChart        *self,
                                              guint               category,
                                              guint               series);
char       *bnd_bar_chart_describe_bar       (BndBarChart        *self,
                                              guint               category,
                                              guint               series);
const char *bnd_bar_chart_get_selection_text (BndBarChart        *self);
GtkWidget  *bnd_bar_chart_table_new          (BndBarChart        *self);
GtkWidget  *bnd_figures_with_table_new       (GtkWidget          *figures,
                                              GtkWidget          *table);

G_END_DECLS
