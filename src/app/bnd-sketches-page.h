/* bnd-sketches-page.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "bnd-sketch-editor.h"
#include "bnd-store.h"
#include "bnd-sync-manager.h"

G_BEGIN_DECLS

#define BND_TYPE_SKETCHES_PAGE (bnd_sketches_page_get_type ())

G_DECLARE_FINAL_TYPE (BndSketchesPage, bnd_sketches_page, BND, SKETCHES_PAGE, GtkWidget)

void             bnd_sketches_page_set_context  (BndSketchesPage *self,
                                                 BndStore        *store,
                                                 BndStrategy     *strategy);
void             bnd_sketches_page_set_sync_manager (BndSketchesPage *self,
                                                    BndSyncManager  *sync);
void             bnd_sketches_page_open         (BndSketchesPage *self,
                                                 const char      *uuid);
void             bnd_sketches_page_import_file  (BndSketchesPage *self,
                                                 GFile           *file);
BndSketchEditor *bnd_sketches_page_get_editor   (BndSketchesPage *self);
gboolean         bnd_sketches_page_is_editing   (BndSketchesPage *self);
void             bnd_sketches_page_close_editor (BndSketchesPage *self);
GListModel      *bnd_sketches_page_get_list     (BndSketchesPage *self);
void             bnd_sketches_page_reload       (BndSketchesPage *self);

G_END_DECLS
