/* bnd-sketch-banner.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define BND_TYPE_SKETCH_BANNER (bnd_sketch_banner_get_type ())

G_DECLARE_FINAL_TYPE (BndSketchBanner, bnd_sketch_banner, BND, SKETCH_BANNER, GtkWidget)

void         bnd_sketch_banner_update      (BndSketchBanner *self,
                                            const char      *stage,
                                            const char      *refused);
gboolean     bnd_sketch_banner_is_shown    (BndSketchBanner *self);
const char  *bnd_sketch_banner_get_text    (BndSketchBanner *self);
gboolean     bnd_sketch_banner_has_choices (BndSketchBanner *self);

G_END_DECLS
