/* bnd-sketch-editor-private.h: what the files of BndSketchEditor share
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bnd-amount-entry.h"
#include "bnd-date-entry.h"
#include "bnd-pdf-preview.h"
#include "bnd-sketch-banner.h"
#include "bnd-sketch-editor.h"

G_BEGIN_DECLS

struct _BndSketchEditor
{
  GtkWidget        parent_instance;

  /* Template widgets */
  GtkWidget       *box;
  GtkLabel        *save_label;
  GtkLabel        *budget_label;
  GtkLevelBar     *budget_bar;
  GtkRevealer     *warning_revealer;
  GtkLabel        *warning_label;
  BndSketchBanner *banner;
  GtkBox          *form_box;
  BndPdfPreview   *preview;
  GtkToggleButton *preview_button;
  GtkWidget       *title_row;

  /* Owned */
  BndSyncManager  *sync;
  BndStore        *store;
  BndStrategy     *strategy;
  BndSketch       *sketch;
  GCancellable    *cancellable;
  GHashTable      *section_views;     /* section id → GtkTextView */
  GHashTable      *section_errors;    /* section id → GtkLabel */
  GtkWidget       *issues_group;
  GtkWidget       *issues_summary;    /* "N things to do", the items inside, closed at first */
  GHashTable      *field_widgets;     /* an issue's field ("title", "section:need") → its widget */
  GHashTable      *touched;           /* fields the user has edited or left: marked when wrong */
  gboolean         show_all_errors;   /* after an attempt to submit: every wrong field marked */
  guint            issues_source;     /* the list's update after a field was left */
  GtkWidget       *conditions_group;  /* the funding conditions of the chosen Fördergegenstand */
  GPtrArray       *condition_rows;
  GPtrArray       *issue_rows;
  GPtrArray       *cost_rows;         /* CostRow */
  GtkWidget       *costs_list;
  GtkWidget       *total_label;
  GtkWidget       *financing_label;
  BndAmountEntry  *financing[3];
  BndDateEntry    *start_entry;
  BndDateEntry    *end_entry;
  const char      *current_section;   /* where "insert into sketch" goes */
  guint            save_source;
  guint            pause_source;
  guint            layout_source;
  gboolean         layout_running;
  gboolean         layout_dirty;
  gboolean         loading;           /* filling widgets from the sketch: not an edit */
  BndPageBudget    budget;
  guint            n_saves;
};

typedef struct
{
  GtkWidget      *row;
  GtkEditable    *label;
  BndAmountEntry *amount;
} CostRow;

/* bnd-sketch-editor-form.c: the form built from the template */
void       _bnd_sketch_editor_build_form     (BndSketchEditor *self);
void       _bnd_sketch_editor_update_totals  (BndSketchEditor *self);
GtkWidget *_bnd_sketch_editor_group_new      (BndSketchEditor *self,
                                              const char      *title,
                                              const char      *description);

/* bnd-sketch-editor-checks.c: the funding conditions and the "still to do" list */
void       _bnd_sketch_editor_build_conditions (BndSketchEditor *self);
void       _bnd_sketch_editor_build_issues   (BndSketchEditor *self);
void       _bnd_sketch_editor_update_issues  (BndSketchEditor *self);
void       _bnd_sketch_editor_add_field      (BndSketchEditor *self,
                                              const char      *field,
                                              GtkWidget       *widget);
void       _bnd_sketch_editor_touch          (BndSketchEditor *self,
                                              const char      *field);
void       _bnd_sketch_editor_show_all_issues (BndSketchEditor *self);

G_END_DECLS
