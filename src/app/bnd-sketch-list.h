/* bnd-sketch-list.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "bnd-store.h"

G_BEGIN_DECLS

#define BND_TYPE_SKETCH_ITEM (bnd_sketch_item_get_type ())

G_DECLARE_FINAL_TYPE (BndSketchItem, bnd_sketch_item, BND, SKETCH_ITEM, GObject)

const char         *bnd_sketch_item_get_uuid      (BndSketchItem *self);
const char         *bnd_sketch_item_get_title     (BndSketchItem *self);

void                bnd_sketch_list_set_summaries (GListStore    *store,
                                                   GPtrArray     *summaries);
GtkListItemFactory *bnd_sketch_list_factory_new   (void);

G_END_DECLS
