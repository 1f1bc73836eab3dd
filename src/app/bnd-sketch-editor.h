/* bnd-sketch-editor.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "bnd-pdf-preview.h"
#include "bnd-pdf-renderer.h"
#include "bnd-sketch-banner.h"
#include "bnd-store.h"
#include "bnd-sync-manager.h"

G_BEGIN_DECLS

#define BND_TYPE_SKETCH_EDITOR (bnd_sketch_editor_get_type ())

G_DECLARE_FINAL_TYPE (BndSketchEditor, bnd_sketch_editor, BND, SKETCH_EDITOR, GtkWidget)

void                 bnd_sketch_editor_set_context     (BndSketchEditor *self,
                                                        BndStore        *store,
                                                        BndStrategy     *strategy);
void                 bnd_sketch_editor_set_sync_manager (BndSketchEditor *self,
                                                        BndSyncManager  *sync);
void                 bnd_sketch_editor_set_sketch      (BndSketchEditor *self,
                                                        BndSketch       *sketch);
BndSketch           *bnd_sketch_editor_get_sketch      (BndSketchEditor *self);
void                 bnd_sketch_editor_close           (BndSketchEditor *self);
gboolean             bnd_sketch_editor_insert_citation (BndSketchEditor *self,
                                                        const BndIndicator *indicator,
                                                        char           **section_title);
GtkTextView         *bnd_sketch_editor_get_section_view (BndSketchEditor *self,
                                                        const char      *section_id);
GtkWidget           *bnd_sketch_editor_get_issues_summary (BndSketchEditor *self);
gboolean             bnd_sketch_editor_marks_section   (BndSketchEditor *self,
                                                        const char      *section_id);
const BndPageBudget *bnd_sketch_editor_get_budget      (BndSketchEditor *self);
BndPdfPreview       *bnd_sketch_editor_get_preview     (BndSketchEditor *self);
gboolean             bnd_sketch_editor_is_warning_shown (BndSketchEditor *self);
guint                bnd_sketch_editor_get_n_saves     (BndSketchEditor *self);
BndSketchBanner     *bnd_sketch_editor_get_banner      (BndSketchEditor *self);

G_END_DECLS
