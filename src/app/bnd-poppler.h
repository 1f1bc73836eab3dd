/* bnd-poppler.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <poppler.h>

G_BEGIN_DECLS

PopplerDocument *bnd_poppler_document_new_from_bytes  (GBytes           *bytes,
                                                       GError          **error);
int              bnd_poppler_document_get_n_pages     (PopplerDocument  *document);
PopplerPage     *bnd_poppler_document_get_page        (PopplerDocument  *document,
                                                       int               index);
void             bnd_poppler_page_get_size            (PopplerPage      *page,
                                                       double           *width,
                                                       double           *height);
void             bnd_poppler_page_render_for_printing (PopplerPage      *page,
                                                       cairo_t          *cr);

G_END_DECLS
