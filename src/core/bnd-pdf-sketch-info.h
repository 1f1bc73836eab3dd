/* bnd-pdf-sketch-info.h: the document information of a sketch's PDF
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>

#include "bnd-sketch.h"
#include "bnd-strategy.h"

G_BEGIN_DECLS

void bnd_pdf_set_sketch_info (cairo_surface_t *surface,
                              BndSketch       *sketch,
                              BndStrategy     *strategy);

G_END_DECLS
