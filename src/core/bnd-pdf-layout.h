/* bnd-pdf-layout.h: what the PDF documents share: the A4 page, text, table rows, numbers
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <glib.h>
#include <pango/pango.h>

G_BEGIN_DECLS

#define BND_PDF_PAGE_WIDTH   595.276   /* A4 in points */
#define BND_PDF_PAGE_HEIGHT  841.890
#define BND_PDF_FONT         "Liberation Sans"

/* One cell of a table row: where it stands from the row's left edge, and how wide it is. */
typedef struct
{
  double          x;
  double          width;
  PangoAlignment  align;
} BndPdfColumn;

/* Draws something at @y and returns the height it took. */
typedef double (*BndPdfDrawFunc) (cairo_t  *cr,
                                  double    y,
                                  gpointer  user_data);

void             bnd_pdf_prepare        (void);
cairo_surface_t *bnd_pdf_surface_new    (GByteArray          *out);
void             bnd_pdf_set_dates      (cairo_surface_t     *surface,
                                         gint64               created,
                                         gint64               modified);
GBytes          *bnd_pdf_surface_finish (cairo_surface_t     *surface,
                                         GByteArray          *out,
                                         const char          *language,
                                         GError             **error);
double           bnd_pdf_text           (cairo_t             *cr,
                                         double               x,
                                         double               y,
                                         double               width,
                                         const char          *text,
                                         double               size,
                                         gboolean             bold);
double           bnd_pdf_text_aligned   (cairo_t             *cr,
                                         double               x,
                                         double               y,
                                         double               width,
                                         const char          *text,
                                         double               size,
                                         gboolean             bold,
                                         PangoAlignment       align);
void             bnd_pdf_tag_begin      (cairo_t             *cr,
                                         const char          *role);
void             bnd_pdf_tag_end        (cairo_t             *cr,
                                         const char          *role);
double           bnd_pdf_tagged_text    (cairo_t             *cr,
                                         const char          *role,
                                         double               x,
                                         double               y,
                                         double               width,
                                         const char          *text,
                                         double               size,
                                         gboolean             bold);
double           bnd_pdf_table_head     (cairo_t             *cr,
                                         double               x,
                                         double               y,
                                         const BndPdfColumn  *columns,
                                         const char * const  *cells,
                                         guint                n_cells,
                                         double               size);
double           bnd_pdf_table_row      (cairo_t             *cr,
                                         double               x,
                                         double               y,
                                         const BndPdfColumn  *columns,
                                         const char * const  *cells,
                                         guint                n_cells,
                                         double               size,
                                         gboolean             bold);
void             bnd_pdf_rule           (cairo_t             *cr,
                                         double               x,
                                         double               y,
                                         double               width);
double           bnd_pdf_measure_height (BndPdfDrawFunc       draw,
                                         gpointer             user_data);
double           bnd_pdf_room_for       (cairo_t             *cr,
                                         double               y,
                                         double               needed,
                                         double               top,
                                         double               bottom);

G_END_DECLS
