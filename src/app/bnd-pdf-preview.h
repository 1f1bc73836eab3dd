/* bnd-pdf-preview.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>
#include <poppler.h>

G_BEGIN_DECLS

#define BND_TYPE_PDF_PREVIEW (bnd_pdf_preview_get_type ())

G_DECLARE_FINAL_TYPE (BndPdfPreview, bnd_pdf_preview, BND, PDF_PREVIEW, GtkWidget)

GdkTexture *bnd_pdf_render_page           (PopplerPage   *page,
                                           double         scale);
GtkWidget  *bnd_pdf_preview_new           (void);
void        bnd_pdf_preview_set_pdf       (BndPdfPreview *self,
                                           GBytes        *pdf);
GBytes     *bnd_pdf_preview_get_pdf       (BndPdfPreview *self);
guint       bnd_pdf_preview_get_n_pages   (BndPdfPreview *self);
GdkTexture *bnd_pdf_preview_get_page      (BndPdfPreview *self,
                                           guint          index);
double      bnd_pdf_preview_get_zoom      (BndPdfPreview *self);
void        bnd_pdf_preview_set_zoom      (BndPdfPreview *self,
                                           double         zoom);
guint       bnd_pdf_preview_get_generation (BndPdfPreview *self);

G_END_DECLS
