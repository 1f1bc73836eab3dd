/* bnd-sketch-editor.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-sketch-editor"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "bnd-indicator.h"
#include "bnd-page-util.h"
#include "bnd-procedure.h"
#include "bnd-refusal.h"
#include "bnd-sketch-banner.h"
#include "bnd-sketch-editor.h"
#include "bnd-stage.h"
#include "bnd-sync-manager.h"
#include "bnd-version-dialog.h"
#include "bnd-window.h"

/* The Projektskizze editor. Every edit goes into the BndSketch; from there
 *  - autosave writes it to the store half a second after the last keystroke (on the store's
 *    worker thread), and keeps a version when the user pauses for half a minute;
 *  - the layout runs on a worker thread (the same code that writes the PDF) and gives the page
 *    budget and the PDF bytes that the preview shows. Typing never waits for either. */

#define SAVE_DELAY_MS      500
#define LAYOUT_DELAY_MS    150
#define PAUSE_SNAPSHOT_S   30

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
  GPtrArray       *issue_rows;
  GPtrArray       *cost_rows;         /* CostRow */
  GtkWidget       *costs_list;
  GtkWidget       *total_label;
  GtkWidget       *financing_label;
  GtkSpinButton   *financing[3];
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
  GtkWidget *row;
  GtkEditable *label;
  GtkSpinButton *amount;
} CostRow;

G_DEFINE_FINAL_TYPE (BndSketchEditor, bnd_sketch_editor, GTK_TYPE_WIDGET)

static const char *link_titles[BND_N_LINKS] = {
  N_("Strategic goals"),
  N_("Cross-cutting goals"),
  N_("Fields of action"),
  N_("Focus topics"),
  N_("Landkreise"),
};

/* Saving */

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(BndSketchEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  /* Saves outlive the editor on purpose; its widgets may be gone by now. */
  if (!bnd_store_save_finish (BND_STORE (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->save_label == NULL)
        {
          if (self->save_label == NULL)
            g_warning ("A sketch could not be saved: %s", error->message);
          return;
        }
      /* Translators: %s says why, e.g. "disk full" */
      message = g_strdup_printf (_("Not saved: %s"), error->message);
      gtk_label_set_label (self->save_label, message);
      return;
    }
  self->n_saves++;
  if (self->save_label != NULL)
    gtk_label_set_label (self->save_label, _("All changes saved"));
  if (self->sync != NULL)
    bnd_sync_manager_sync_soon (self->sync);
}

static void
save_now (BndSketchEditor *self)
{
  g_clear_handle_id (&self->save_source, g_source_remove);
  if (self->sketch == NULL || self->store == NULL)
    return;
  /* Not cancellable: a started save always finishes, even when the editor goes away. */
  bnd_store_save_async (self->store, self->sketch, NULL, save_cb, g_object_ref (self));
}

static void
save_timeout_cb (gpointer user_data)
{
  BndSketchEditor *self = user_data;

  self->save_source = 0;
  save_now (self);
}

static void
version_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* A missing version loses nothing (the sketch itself is saved), so it is only logged. */
  if (!bnd_store_add_version_finish (BND_STORE (object), result, &error))
    g_warning ("Could not keep a version: %s", error->message);
}

static void
keep_version (BndSketchEditor *self,
              const char      *reason)
{
  if (self->sketch != NULL && self->store != NULL)
    bnd_store_add_version_async (self->store, self->sketch, reason, NULL, version_cb, NULL);
}

static void
pause_timeout_cb (gpointer user_data)
{
  BndSketchEditor *self = user_data;

  self->pause_source = 0;
  keep_version (self, "pause");
}

/* Layout: page budget and preview */

typedef struct
{
  BndSketch     *sketch;
  BndStrategy   *strategy;
  GBytes        *pdf;
  BndPageBudget  budget;
} LayoutData;

static void
layout_data_free (LayoutData *data)
{
  g_clear_object (&data->sketch);
  g_clear_object (&data->strategy);
  g_clear_pointer (&data->pdf, g_bytes_unref);
  bnd_page_budget_clear (&data->budget);
  g_free (data);
}

static void
layout_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  LayoutData *data = task_data;
  GError *error = NULL;

  if (!(data->pdf = bnd_pdf_render (data->sketch, data->strategy, &data->budget, &error)))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void start_layout  (BndSketchEditor *self);
static void update_issues (BndSketchEditor *self);

static void
show_budget (BndSketchEditor     *self,
             const BndPageBudget *budget)
{
  g_autofree char *text = NULL;
  gboolean over = budget->n_pages > budget->page_limit;

  /* Translators: the page budget, "2.4 of 3 pages" */
  text = g_strdup_printf (_("%.1f of %u pages"), budget->used_pages, budget->page_limit);
  gtk_label_set_label (self->budget_label, text);
  gtk_level_bar_set_max_value (self->budget_bar, budget->page_limit);
  gtk_level_bar_set_value (self->budget_bar, MIN (budget->used_pages, (double)budget->page_limit));

  if (over)
    {
      g_autofree char *warning = NULL;

      /* Translators: "Over the 3-page limit: page 3 ends in „Vorgehen und Arbeitsplan“." */
      warning = g_strdup_printf (_("Over the %u-page limit: page %u ends in „%s“. Shorten the text to submit the sketch."),
                                 budget->page_limit, budget->page_limit,
                                 budget->overflow_title ? budget->overflow_title : "");
      gtk_label_set_label (self->warning_label, warning);
      gtk_widget_add_css_class (GTK_WIDGET (self->budget_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->budget_bar), "over-limit");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->budget_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->budget_bar), "over-limit");
    }
  gtk_revealer_set_reveal_child (self->warning_revealer, over);
}

static void
layout_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  BndSketchEditor *self = BND_SKETCH_EDITOR (object);
  LayoutData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("The pages could not be laid out: %s"), error->message);
      self->layout_running = FALSE;
      gtk_label_set_label (self->budget_label, message);
      return;
    }

  self->layout_running = FALSE;
  bnd_page_budget_clear (&self->budget);
  self->budget = data->budget;
  memset (&data->budget, 0, sizeof data->budget);
  show_budget (self, &self->budget);
  bnd_pdf_preview_set_pdf (self->preview, data->pdf);

  if (self->layout_dirty)
    start_layout (self);
}

static void
start_layout (BndSketchEditor *self)
{
  g_autoptr(GTask) task = NULL;
  LayoutData *data;

  g_clear_handle_id (&self->layout_source, g_source_remove);
  if (self->sketch == NULL || self->strategy == NULL)
    return;
  if (self->layout_running)
    {
      self->layout_dirty = TRUE;
      return;
    }

  self->layout_running = TRUE;
  self->layout_dirty = FALSE;
  data = g_new0 (LayoutData, 1);
  /* The worker gets its own copy: the user goes on typing into this one. */
  data->sketch = bnd_sketch_copy (self->sketch);
  data->strategy = g_object_ref (self->strategy);

  task = g_task_new (self, self->cancellable, layout_cb, NULL);
  g_task_set_source_tag (task, start_layout);
  g_task_set_task_data (task, data, (GDestroyNotify)layout_data_free);
  g_task_run_in_thread (task, layout_in_thread);
}

static void
layout_timeout_cb (gpointer user_data)
{
  BndSketchEditor *self = user_data;

  self->layout_source = 0;
  /* Validation messages follow at the layout's pace, not at every keystroke. */
  update_issues (self);
  start_layout (self);
}

/* Validation */

static void
update_issues (BndSketchEditor *self)
{
  g_autoptr(GPtrArray) issues = bnd_sketch_validate (self->sketch, self->strategy);
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < self->issue_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->issues_group),
                                  g_ptr_array_index (self->issue_rows, i));
  g_ptr_array_set_size (self->issue_rows, 0);

  g_hash_table_iter_init (&iter, self->section_errors);
  while (g_hash_table_iter_next (&iter, &key, &value))
    gtk_widget_set_visible (value, FALSE);

  for (guint i = 0; i < issues->len; i++)
    {
      BndSketchIssue *issue = g_ptr_array_index (issues, i);
      GtkWidget *row = bnd_text_row_new (issue->message, NULL);
      GtkWidget *label;

      adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->issues_group), row);
      g_ptr_array_add (self->issue_rows, row);

      if (g_str_has_prefix (issue->field, "section:") &&
          (label = g_hash_table_lookup (self->section_errors, issue->field + strlen ("section:"))))
        gtk_widget_set_visible (label, TRUE);
    }

  gtk_widget_set_visible (self->issues_group, issues->len > 0);
}

static void
update_totals (BndSketchEditor *self)
{
  g_autofree char *total = bnd_format_euros (bnd_sketch_get_cost_total (self->sketch));
  g_autofree char *financing = bnd_format_euros (bnd_sketch_get_requested (self->sketch) +
                                                 bnd_sketch_get_own_contribution (self->sketch) +
                                                 bnd_sketch_get_co_financing (self->sketch));

  gtk_label_set_label (GTK_LABEL (self->total_label), total);
  gtk_label_set_label (GTK_LABEL (self->financing_label), financing);
}

/* Callbacks */

static void
on_sketch_changed_cb (BndSketchEditor *self,
                      BndSketch       *sketch)
{
  if (self->loading)
    return;

  gtk_label_set_label (self->save_label, _("Saving…"));
  g_clear_handle_id (&self->save_source, g_source_remove);
  self->save_source = g_timeout_add_once (SAVE_DELAY_MS, save_timeout_cb, self);
  g_clear_handle_id (&self->pause_source, g_source_remove);
  self->pause_source = g_timeout_add_once (PAUSE_SNAPSHOT_S * 1000, pause_timeout_cb, self);
  if (self->layout_source == 0)
    self->layout_source = g_timeout_add_once (LAYOUT_DELAY_MS, layout_timeout_cb, self);

  update_totals (self);
}

static void
on_section_changed_cb (GtkTextBuffer   *buffer,
                       BndSketchEditor *self)
{
  const char *id = g_object_get_data (G_OBJECT (buffer), "section-id");
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  if (self->loading)
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  bnd_sketch_set_section (self->sketch, id, text);
}

static void
on_section_insert_text_cb (GtkTextBuffer   *buffer,
                           GtkTextIter     *location,
                           const char      *text,
                           int              length,
                           BndSketchEditor *self)
{
  if (gtk_text_buffer_get_char_count (buffer) + g_utf8_strlen (text, length) > BND_SKETCH_MAX_TEXT)
    {
      g_signal_stop_emission_by_name (buffer, "insert-text");
      gtk_widget_error_bell (GTK_WIDGET (self));
    }
}

static void
on_section_focus_cb (GtkEventControllerFocus *controller,
                     BndSketchEditor         *self)
{
  GtkWidget *view = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  self->current_section = g_object_get_data (G_OBJECT (view), "section-id");
}

static void
on_entry_changed_cb (GtkEditable     *editable,
                     BndSketchEditor *self)
{
  const char *field = g_object_get_data (G_OBJECT (editable), "field");
  const char *text = gtk_editable_get_text (editable);

  if (self->loading)
    return;

  if (g_str_equal (field, "title"))
    bnd_sketch_set_title (self->sketch, text);
  else if (g_str_equal (field, "carrier"))
    bnd_sketch_set_carrier (self->sketch, text);
  else if (g_str_equal (field, "contact"))
    bnd_sketch_set_contact (self->sketch, text);
  else if (g_str_equal (field, "start"))
    bnd_sketch_set_duration (self->sketch, text, bnd_sketch_get_end (self->sketch));
  else if (g_str_equal (field, "end"))
    bnd_sketch_set_duration (self->sketch, bnd_sketch_get_start (self->sketch), text);
  else if (g_str_equal (field, "partners"))
    {
      g_auto(GStrv) parts = g_strsplit (text, ";", -1);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) partners = NULL;

      for (guint i = 0; parts[i] && i < BND_SKETCH_MAX_COST_ITEMS; i++)
        if (*g_strstrip (parts[i]))
          g_strv_builder_add (builder, parts[i]);
      partners = g_strv_builder_end (builder);
      bnd_sketch_set_partners (self->sketch, (const char * const *)partners);
    }
}

static void
on_funding_selected_cb (AdwComboRow     *row,
                        GParamSpec      *pspec,
                        BndSketchEditor *self)
{
  if (!self->loading)
    bnd_sketch_set_funding_object (self->sketch, adw_combo_row_get_selected (row));
}

static void
on_link_toggled_cb (GtkCheckButton  *check,
                    BndSketchEditor *self)
{
  if (self->loading)
    return;
  bnd_sketch_toggle_link (self->sketch, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (check), "kind")),
                          g_object_get_data (G_OBJECT (check), "id"), gtk_check_button_get_active (check));
}

static void
costs_to_sketch (BndSketchEditor *self)
{
  g_autoptr(GArray) items = g_array_new (FALSE, TRUE, sizeof (BndCostItem));

  if (self->loading)
    return;

  for (guint i = 0; i < self->cost_rows->len; i++)
    {
      CostRow *row = g_ptr_array_index (self->cost_rows, i);
      BndCostItem item = { (char *)gtk_editable_get_text (row->label), gtk_spin_button_get_value (row->amount) };

      g_array_append_val (items, item);
    }
  bnd_sketch_set_cost_items (self->sketch, &g_array_index (items, BndCostItem, 0), items->len);
  bnd_sketch_set_financing (self->sketch,
                            gtk_spin_button_get_value (self->financing[0]),
                            gtk_spin_button_get_value (self->financing[1]),
                            gtk_spin_button_get_value (self->financing[2]));
}

static void
on_cost_changed_cb (GtkWidget       *widget,
                    BndSketchEditor *self)
{
  costs_to_sketch (self);
}

static GtkWidget *
amount_spin_new (double value)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (0, BND_SKETCH_MAX_AMOUNT, 100);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 2);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (spin, "numeric");
  return spin;
}

static void add_cost_row (BndSketchEditor *self, const char *label, double amount);

static void
on_remove_cost_clicked_cb (GtkButton       *button,
                           BndSketchEditor *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (button), "row");

  for (guint i = 0; i < self->cost_rows->len; i++)
    if (((CostRow *)g_ptr_array_index (self->cost_rows, i))->row == row)
      {
        g_ptr_array_remove_index (self->cost_rows, i);
        break;
      }
  gtk_list_box_remove (GTK_LIST_BOX (self->costs_list), row);
  costs_to_sketch (self);
}

static void
add_cost_row (BndSketchEditor *self,
              const char      *label,
              double           amount)
{
  CostRow *cost = g_new0 (CostRow, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *spin = amount_spin_new (amount);
  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");

  gtk_editable_set_text (GTK_EDITABLE (entry), label);
  gtk_entry_set_max_length (GTK_ENTRY (entry), BND_SKETCH_MAX_SHORT_TEXT);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Cost item"));
  gtk_widget_set_hexpand (entry, TRUE);
  gtk_widget_set_tooltip_text (remove, _("Remove this cost item"));
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 6);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), spin);
  gtk_box_append (GTK_BOX (box), remove);

  cost->row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (cost->row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (cost->row), FALSE);
  cost->label = GTK_EDITABLE (entry);
  cost->amount = GTK_SPIN_BUTTON (spin);
  g_object_set_data (G_OBJECT (remove), "row", cost->row);

  g_signal_connect (entry, "changed", G_CALLBACK (on_cost_changed_cb), self);
  g_signal_connect (spin, "value-changed", G_CALLBACK (on_cost_changed_cb), self);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_cost_clicked_cb), self);

  /* Before the "add" row, which stays last */
  gtk_list_box_insert (GTK_LIST_BOX (self->costs_list), cost->row, self->cost_rows->len);
  g_ptr_array_add (self->cost_rows, cost);
}

static void
on_add_cost_activated_cb (AdwActionRow    *row,
                          BndSketchEditor *self)
{
  if (self->cost_rows->len >= BND_SKETCH_MAX_COST_ITEMS)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  add_cost_row (self, "", 0);
  gtk_widget_grab_focus (GTK_WIDGET (((CostRow *)g_ptr_array_index (self->cost_rows, self->cost_rows->len - 1))->label));
  costs_to_sketch (self);
}

/* Building the form from the template */

static GtkWidget *
group_new (BndSketchEditor *self,
           const char      *title,
           const char      *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (description)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  gtk_box_append (self->form_box, group);
  return group;
}

static GtkWidget *
entry_row_new (BndSketchEditor *self,
               GtkWidget       *group,
               const char      *title,
               const char      *field,
               const char      *value)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), value);
  /* The same limits as a sketch file, so that what is saved can always be read back. */
  if (GTK_IS_TEXT (gtk_editable_get_delegate (GTK_EDITABLE (row))))
    gtk_text_set_max_length (GTK_TEXT (gtk_editable_get_delegate (GTK_EDITABLE (row))), BND_SKETCH_MAX_SHORT_TEXT);
  g_object_set_data (G_OBJECT (row), "field", (gpointer)field);
  g_signal_connect (row, "changed", G_CALLBACK (on_entry_changed_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return row;
}

static void
add_link_row (BndSketchEditor *self,
              GtkWidget       *expander,
              BndLinkKind      kind,
              const char      *id,
              const char      *title)
{
  GtkWidget *row = bnd_text_row_new (title, NULL);
  GtkWidget *check = gtk_check_button_new ();

  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), bnd_sketch_has_link (self->sketch, kind, id));
  g_object_set_data (G_OBJECT (check), "kind", GUINT_TO_POINTER (kind));
  g_object_set_data_full (G_OBJECT (check), "id", g_strdup (id), g_free);
  g_signal_connect (check, "toggled", G_CALLBACK (on_link_toggled_cb), self);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
}

static void
build_links (BndSketchEditor *self)
{
  GtkWidget *group = group_new (self, _("Contribution to the strategy"),
                                _("What the project contributes to the alliance's strategy: the "
                                  "table „Beitrag zur Strategie“ in the PDF."));

  for (guint kind = 0; kind < BND_N_LINKS; kind++)
    {
      GtkWidget *expander = adw_expander_row_new ();
      GPtrArray *items = NULL;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), _(link_titles[kind]));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), expander);

      switch (kind)
        {
        case BND_LINK_GOALS:
          items = bnd_strategy_get_goals (self->strategy);
          for (guint i = 0; i < items->len; i++)
            {
              const BndGoal *goal = g_ptr_array_index (items, i);
              g_autofree char *title = g_strdup_printf ("%s %s", goal->id, goal->title);
              add_link_row (self, expander, kind, goal->id, title);
            }
          break;
        case BND_LINK_CROSS_CUTTING:
          items = bnd_strategy_get_cross_cutting_goals (self->strategy);
          for (guint i = 0; i < items->len; i++)
            {
              const BndGoal *goal = g_ptr_array_index (items, i);
              add_link_row (self, expander, kind, goal->id, goal->title);
            }
          break;
        case BND_LINK_FIELDS:
          items = bnd_strategy_get_fields (self->strategy);
          for (guint i = 0; i < items->len; i++)
            {
              const BndField *field = g_ptr_array_index (items, i);
              g_autofree char *title = g_strdup_printf ("%s %s", field->id, field->title);
              add_link_row (self, expander, kind, field->id, title);
            }
          break;
        case BND_LINK_TOPICS:
          items = bnd_strategy_get_topics (self->strategy);
          for (guint i = 0; i < items->len; i++)
            {
              const BndTopic *topic = g_ptr_array_index (items, i);
              g_autofree char *title = g_strdup_printf ("%d %s", topic->number, topic->title);
              add_link_row (self, expander, kind, topic->id, title);
            }
          break;
        case BND_LINK_DISTRICTS:
          items = bnd_strategy_get_districts (self->strategy);
          for (guint i = 0; i < items->len; i++)
            {
              const BndDistrict *district = g_ptr_array_index (items, i);
              add_link_row (self, expander, kind, district->id, district->name);
            }
          add_link_row (self, expander, kind, BND_DISTRICT_CROSS_DISTRICT, _("All Landkreise (landkreisübergreifend)"));
          break;
        case BND_N_LINKS:
        default:
          g_assert_not_reached ();
        }
    }
}

static void
build_section (BndSketchEditor          *self,
               const BndTemplateSection *section)
{
  g_autofree char *title = section->required ? g_strdup (section->title)
                                             : g_strdup_printf (_("%s (optional)"), section->title);
  GtkWidget *group = group_new (self, title, section->guidance);
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *view = gtk_text_view_new ();
  GtkWidget *error = gtk_label_new (_("This section is required."));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkEventController *focus = gtk_event_controller_focus_new ();

  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 10);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 10);
  gtk_widget_set_size_request (view, -1, 90);
  gtk_widget_add_css_class (view, "section-text");
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, section->title, -1);
  gtk_text_buffer_set_text (buffer, bnd_sketch_get_section (self->sketch, section->id), -1);
  g_object_set_data (G_OBJECT (buffer), "section-id", (gpointer)section->id);
  g_object_set_data (G_OBJECT (view), "section-id", (gpointer)section->id);
  g_signal_connect (buffer, "changed", G_CALLBACK (on_section_changed_cb), self);
  g_signal_connect (buffer, "insert-text", G_CALLBACK (on_section_insert_text_cb), self);
  g_signal_connect (focus, "enter", G_CALLBACK (on_section_focus_cb), self);
  gtk_widget_add_controller (view, focus);

  gtk_frame_set_child (GTK_FRAME (frame), view);
  gtk_widget_add_css_class (frame, "view");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), frame);

  gtk_label_set_xalign (GTK_LABEL (error), 0);
  gtk_widget_add_css_class (error, "error");
  gtk_widget_add_css_class (error, "caption");
  gtk_widget_set_visible (error, FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), error);

  g_hash_table_insert (self->section_views, (gpointer)section->id, view);
  g_hash_table_insert (self->section_errors, (gpointer)section->id, error);
}

static void
build_costs (BndSketchEditor *self)
{
  GtkWidget *group = group_new (self, _("Costs and financing"),
                                _("The cost items and how they are paid for. The financing must add up to the costs."));
  static const char *financing_titles[] = {
    N_("Requested funding"), N_("Own contribution"), N_("Co-financing"),
  };
  double financing[] = {
    bnd_sketch_get_requested (self->sketch),
    bnd_sketch_get_own_contribution (self->sketch),
    bnd_sketch_get_co_financing (self->sketch),
  };
  GArray *items = bnd_sketch_get_cost_items (self->sketch);
  GtkWidget *add, *row, *list;

  self->costs_list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->costs_list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->costs_list, "boxed-list");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->costs_list);

  add = bnd_text_row_new (_("Add a Cost Item"), NULL);
  adw_action_row_add_prefix (ADW_ACTION_ROW (add), gtk_image_new_from_icon_name ("list-add-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (add), TRUE);
  g_signal_connect (add, "activated", G_CALLBACK (on_add_cost_activated_cb), self);
  gtk_list_box_append (GTK_LIST_BOX (self->costs_list), add);

  for (guint i = 0; i < items->len; i++)
    {
      BndCostItem *item = &g_array_index (items, BndCostItem, i);
      add_cost_row (self, item->label, item->amount);
    }

  list = bnd_boxed_list_new ();
  gtk_widget_set_margin_top (list, 12);
  row = bnd_text_row_new (_("Total costs"), NULL);
  self->total_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->total_label, "heading");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), self->total_label);
  gtk_list_box_append (GTK_LIST_BOX (list), row);

  for (guint i = 0; i < G_N_ELEMENTS (financing_titles); i++)
    {
      GtkWidget *spin = amount_spin_new (financing[i]);

      row = bnd_text_row_new (_(financing_titles[i]), NULL);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
      g_signal_connect (spin, "value-changed", G_CALLBACK (on_cost_changed_cb), self);
      self->financing[i] = GTK_SPIN_BUTTON (spin);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }

  row = bnd_text_row_new (_("Financing total"), NULL);
  self->financing_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->financing_label, "heading");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), self->financing_label);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), list);
}

static void
build_form (BndSketchEditor *self)
{
  GPtrArray *sections = bnd_strategy_get_template_sections (self->strategy);
  GPtrArray *objects = bnd_strategy_get_funding_objects (self->strategy);
  GPtrArray *partners = bnd_sketch_get_partners (self->sketch);
  g_autoptr(GtkStringList) funding = gtk_string_list_new (NULL);
  g_autoptr(GString) partner_text = g_string_new (NULL);
  GtkWidget *group, *combo;

  self->loading = TRUE;
  bnd_box_remove_all (self->form_box);
  g_hash_table_remove_all (self->section_views);
  g_hash_table_remove_all (self->section_errors);
  g_ptr_array_set_size (self->issue_rows, 0);
  g_ptr_array_set_size (self->cost_rows, 0);
  self->current_section = NULL;

  self->issues_group = group_new (self, _("Still to do before submitting"), NULL);

  group = group_new (self, _("Project"), NULL);
  self->title_row = entry_row_new (self, group, _("Title"), "title", bnd_sketch_get_title (self->sketch));
  entry_row_new (self, group, _("Carrier organisation"), "carrier", bnd_sketch_get_carrier (self->sketch));
  entry_row_new (self, group, _("Contact person"), "contact", bnd_sketch_get_contact (self->sketch));

  gtk_string_list_append (funding, _("Not chosen yet"));
  for (guint i = 0; i < objects->len; i++)
    {
      const BndFundingObject *object = g_ptr_array_index (objects, i);
      g_autofree char *title = g_strdup_printf ("%d: %s", object->number, object->title);
      gtk_string_list_append (funding, title);
    }
  combo = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (combo), _("Funding object (Fördergegenstand)"));
  adw_combo_row_set_model (ADW_COMBO_ROW (combo), G_LIST_MODEL (funding));
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), bnd_sketch_get_funding_object (self->sketch));
  g_signal_connect (combo, "notify::selected", G_CALLBACK (on_funding_selected_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), combo);

  entry_row_new (self, group, _("Start (YYYY-MM-DD)"), "start", bnd_sketch_get_start (self->sketch));
  entry_row_new (self, group, _("End (YYYY-MM-DD)"), "end", bnd_sketch_get_end (self->sketch));
  for (guint i = 0; i < partners->len; i++)
    g_string_append_printf (partner_text, "%s%s", i ? "; " : "", (char *)g_ptr_array_index (partners, i));
  entry_row_new (self, group, _("Partners, separated by ;"), "partners", partner_text->str);

  build_links (self);

  for (guint i = 0; i < sections->len; i++)
    {
      const BndTemplateSection *section = g_ptr_array_index (sections, i);

      build_section (self, section);
      if (g_str_equal (section->id, "costs"))
        build_costs (self);
    }
  if (self->costs_list == NULL)
    build_costs (self);

  self->loading = FALSE;
  update_issues (self);
  update_totals (self);
}

/* Actions */

static void
export_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(BndSketchEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("Could not export the PDF: %s"), error->message);
      if (BND_IS_WINDOW (root))
        bnd_window_add_toast (BND_WINDOW (root), message);
      return;
    }
  if (BND_IS_WINDOW (root))
    bnd_window_add_toast (BND_WINDOW (root), _("PDF exported"));
  keep_version (self, "export");
}

static void
toast (BndSketchEditor *self,
       const char      *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (BND_IS_WINDOW (root))
    bnd_window_add_toast (BND_WINDOW (root), message);
}

static void
on_export_response_cb (GtkNativeDialog *dialog,
                       int              response,
                       BndSketchEditor *self)
{
  BndSketch *sketch = g_object_get_data (G_OBJECT (dialog), "sketch");
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))))
    {
      /* The same renderer and the same sketch give the same bytes as the preview. */
      if (!(pdf = bnd_pdf_render (sketch, self->strategy, NULL, &error)))
        {
          g_autofree char *message = g_strdup_printf (_("Could not export the PDF: %s"), error->message);
          toast (self, message);
        }
      else
        g_file_replace_contents_bytes_async (file, pdf, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                             self->cancellable, export_written_cb, g_object_ref (self));
    }
  g_object_unref (dialog);
}

static void
export_pdf_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  BndSketchEditor *self = BND_SKETCH_EDITOR (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;

  if (self->sketch == NULL)
    return;

  dialog = gtk_file_chooser_native_new (_("Export the Sketch as PDF"),
                                        GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  name = g_strdup_printf ("%s.pdf", *bnd_sketch_get_title (self->sketch) ? bnd_sketch_get_title (self->sketch)
                                                                         : _("Projektskizze"));
  g_strdelimit (name, "/\\:", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  /* The sketch as it is now: the dialog may outlive the editor's hold on it. */
  g_object_set_data_full (G_OBJECT (dialog), "sketch", bnd_sketch_copy (self->sketch), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_version_restored_cb (BndVersionDialog *dialog,
                        BndSketch        *restored,
                        BndSketchEditor  *self)
{
  bnd_sketch_editor_set_sketch (self, restored);
}

static void
history_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  BndSketchEditor *self = BND_SKETCH_EDITOR (widget);
  BndVersionDialog *dialog;

  if (self->sketch == NULL)
    return;

  /* The history should include what is on screen now. */
  save_now (self);
  dialog = bnd_version_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), self->store, self->strategy,
                                   self->sketch);
  g_signal_connect_object (dialog, "restored", G_CALLBACK (on_version_restored_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
submitted_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GtkWidget) root = user_data;
  g_autoptr(GError) error = NULL;

  if (!bnd_sync_manager_submit_finish (BND_SYNC_MANAGER (object), result, &error))
    {
      /* Translators: %s says why */
      g_autofree char *message = g_strdup_printf (_("The sketch was not submitted: %s"), error->message);
      if (BND_IS_WINDOW (root))
        bnd_window_add_toast (BND_WINDOW (root), message);
      return;
    }
  if (BND_IS_WINDOW (root))
    bnd_window_add_toast (BND_WINDOW (root), _("Submitted to the network coordination"));
}

static void
on_submit_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       BndSketchEditor  *self)
{
  g_autofree char *uuid = NULL;
  GtkRoot *root;

  if (!g_str_equal (response, "submit") || self->sketch == NULL || self->sync == NULL)
    return;

  /* Closed first: saved, and no longer open while the sync brings back the submitted stage. */
  uuid = g_strdup (bnd_sketch_get_uuid (self->sketch));
  root = gtk_widget_get_root (GTK_WIDGET (self));
  gtk_widget_activate_action (GTK_WIDGET (self), "sketches.back", NULL);
  bnd_sync_manager_submit_async (self->sync, uuid, submitted_cb, g_object_ref (root));
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BndSketchEditor *self = BND_SKETCH_EDITOR (widget);
  g_autoptr(GPtrArray) issues = NULL;
  GtkWidget *dialog;

  if (self->sketch == NULL)
    return;

  issues = bnd_sketch_validate (self->sketch, self->strategy);
  if (issues->len > 0 || self->budget.n_pages > self->budget.page_limit)
    {
      toast (self, issues->len > 0 ? ((BndSketchIssue *)g_ptr_array_index (issues, 0))->message
                                   : _("The sketch is over the page limit"));
      return;
    }
  if (self->sync == NULL || !bnd_sync_manager_is_signed_in (self->sync))
    {
      toast (self, _("Sign in to the alliance's server first (Preferences)"));
      return;
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   _("Submit to the Network Coordination?"),
                                   _("The server keeps the exact PDF of this sketch as the official Projektskizze. "
                                     "After that the sketch cannot be changed."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "submit", _("_Submit"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "submit", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_submit_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The two ways out of a refusal (bnd-refusal.h); the editor then shows the sketch that results. */
static void
resolve_refusal (BndSketchEditor *self,
                 gboolean         keep_as_draft)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *draft = NULL;

  if (self->sketch == NULL || self->store == NULL)
    return;

  /* Let go first: the sketch is no longer open while it changes underneath, and the sync that
   * closing asks for sends the new draft. */
  uuid = g_strdup (bnd_sketch_get_uuid (self->sketch));
  bnd_sketch_editor_close (self);
  if (keep_as_draft ? !(draft = bnd_refusal_keep_as_draft (self->store, uuid, &error))
                    : !bnd_refusal_take_server (self->store, uuid, &error))
    toast (self, error->message);
  else if (keep_as_draft)
    toast (self, _("Your version is kept as a new draft; it goes to the server with the next sync"));
  else
    toast (self, _("The server’s version is back; your edits are kept in the version history"));
  gtk_widget_activate_action (GTK_WIDGET (self), "sketches.open", "s", draft ? draft : uuid);
}

static void
take_server_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  resolve_refusal (BND_SKETCH_EDITOR (widget), FALSE);
}

static void
keep_as_draft_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  resolve_refusal (BND_SKETCH_EDITOR (widget), TRUE);
}

static void
toggle_preview_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  BndSketchEditor *self = BND_SKETCH_EDITOR (widget);

  gtk_toggle_button_set_active (self->preview_button, !gtk_toggle_button_get_active (self->preview_button));
}

static void
bnd_sketch_editor_dispose (GObject *object)
{
  BndSketchEditor *self = (BndSketchEditor *)object;

  bnd_sketch_editor_close (self);
  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), BND_TYPE_SKETCH_EDITOR);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->sync);
  g_clear_object (&self->store);
  g_clear_object (&self->strategy);
  g_clear_pointer (&self->section_views, g_hash_table_unref);
  g_clear_pointer (&self->section_errors, g_hash_table_unref);
  g_clear_pointer (&self->issue_rows, g_ptr_array_unref);
  g_clear_pointer (&self->cost_rows, g_ptr_array_unref);
  bnd_page_budget_clear (&self->budget);

  G_OBJECT_CLASS (bnd_sketch_editor_parent_class)->dispose (object);
}

static void
bnd_sketch_editor_class_init (BndSketchEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bnd_sketch_editor_dispose;

  g_type_ensure (BND_TYPE_PDF_PREVIEW);
  g_type_ensure (BND_TYPE_SKETCH_BANNER);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/bnd-sketch-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, BndSketchEditor, box);
  gtk_widget_class_bind_template_child (widget_class, BndSketchEditor, save_label);
  gtk_widget_class_bind_template_child (widget_class, BndSketchEditor, budget_label);
  gtk_widget_class_bind_template_child (widget_class, BndSketchEditor, budget_bar);
  gtk_widget_class_bind_template_child (widget_class, BndSketchEditor, warning_revealer);
  gtk_widget_class_bind_template_child (widget_class, BndSketchEditor, warning_label);
  gtk_widget_class_bind_template_child (widget_class, BndSketchEditor, banner);
  gtk_widget_class_bind_template_child (widget_class, BndSketchEditor, form_box);
  gtk_widget_class_bind_template_child (widget_class, BndSketchEditor, preview);
  gtk_widget_class_bind_template_child (widget_class, BndSketchEditor, preview_button);

  gtk_widget_class_install_action (widget_class, "editor.export-pdf", NULL, export_pdf_action);
  gtk_widget_class_install_action (widget_class, "editor.history", NULL, history_action);
  gtk_widget_class_install_action (widget_class, "editor.toggle-preview", NULL, toggle_preview_action);
  gtk_widget_class_install_action (widget_class, "editor.submit", NULL, submit_action);
  gtk_widget_class_install_action (widget_class, "editor.take-server", NULL, take_server_action);
  gtk_widget_class_install_action (widget_class, "editor.keep-as-draft", NULL, keep_as_draft_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "editor.export-pdf", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "editor.toggle-preview", NULL);
}

static void
bnd_sketch_editor_init (BndSketchEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->section_views = g_hash_table_new (g_str_hash, g_str_equal);
  self->section_errors = g_hash_table_new (g_str_hash, g_str_equal);
  self->issue_rows = g_ptr_array_new ();
  self->cost_rows = g_ptr_array_new_with_free_func (g_free);
}

void
bnd_sketch_editor_set_context (BndSketchEditor *self,
                               BndStore        *store,
                               BndStrategy     *strategy)
{
  g_return_if_fail (BND_IS_SKETCH_EDITOR (self));

  g_set_object (&self->store, store);
  g_set_object (&self->strategy, strategy);
}

/**
 * bnd_sketch_editor_set_sketch:
 * @self: a #BndSketchEditor
 * @sketch: the sketch to edit
 *
 * Shows @sketch in the form. Whatever was open before is saved first.
 */
void
bnd_sketch_editor_set_sketch (BndSketchEditor *self,
                              BndSketch       *sketch)
{
  gboolean editable;

  g_return_if_fail (BND_IS_SKETCH_EDITOR (self));
  g_return_if_fail (BND_IS_SKETCH (sketch));
  g_return_if_fail (self->strategy != NULL);

  if (self->sketch != sketch)
    bnd_sketch_editor_close (self);

  g_set_object (&self->sketch, sketch);
  g_signal_connect_object (sketch, "changed", G_CALLBACK (on_sketch_changed_cb), self, G_CONNECT_SWAPPED);
  /* While it is open, server changes to it wait (they would race with autosave). */
  if (self->sync != NULL)
    bnd_sync_manager_set_busy (self->sync, bnd_sketch_get_uuid (sketch));
  self->costs_list = NULL;
  build_form (self);
  gtk_label_set_label (self->save_label, _("All changes saved"));
  start_layout (self);

  /* A submitted sketch is the official one: shown, not changed, until the first assessment asks
   * for changes (bnd_procedure_may_edit_sketch()). One whose edits the server refused waits for
   * its user's decision; the banner says why and offers the way out. */
  {
    g_autoptr(BndSyncState) state = NULL;
    const char *refused;

    /* A short wait on the store's worker, as the sketch's own load just was. */
    if (self->store != NULL)
      state = bnd_store_get_sync_state (self->store, bnd_sketch_get_uuid (sketch), NULL);
    refused = state ? state->refused : NULL;

    editable = bnd_procedure_may_edit_sketch (bnd_sketch_get_stage (sketch), NULL);
    bnd_sketch_banner_update (self->banner, bnd_sketch_get_stage (sketch), refused);
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.submit", editable && refused == NULL);
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.take-server", refused != NULL);
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.keep-as-draft", refused != NULL);
  }
  gtk_widget_set_sensitive (GTK_WIDGET (self->form_box), editable);
  if (!editable)
    {
      /* Translators: %s is the stage, such as "First assessment" */
      g_autofree char *label = g_strdup_printf (_("%s: read only"), bnd_stage_get_label (bnd_sketch_get_stage (sketch)));
      gtk_label_set_label (self->save_label, label);
    }

  /* A new sketch starts with its title. */
  if (*bnd_sketch_get_title (sketch) == 0)
    gtk_widget_grab_focus (self->title_row);
}

BndSketch *
bnd_sketch_editor_get_sketch (BndSketchEditor *self)
{
  g_return_val_if_fail (BND_IS_SKETCH_EDITOR (self), NULL);
  return self->sketch;
}

/**
 * bnd_sketch_editor_close:
 * @self: a #BndSketchEditor
 *
 * Saves what is pending, keeps a version and lets go of the sketch.
 */
void
bnd_sketch_editor_close (BndSketchEditor *self)
{
  g_return_if_fail (BND_IS_SKETCH_EDITOR (self));

  if (self->sketch == NULL)
    return;

  /* Synchronous on purpose: the window or the app may be about to go, and this is the last
   * chance to write what was typed (a short wait on the store's worker). */
  if (self->save_source != 0 || self->pause_source != 0)
    {
      g_autoptr(GError) error = NULL;

      g_clear_handle_id (&self->save_source, g_source_remove);
      if (self->store != NULL &&
          (!bnd_store_save (self->store, self->sketch, &error) ||
           !bnd_store_add_version (self->store, self->sketch, "close", &error)))
        g_critical ("The sketch could not be saved on closing: %s", error->message);
    }
  g_clear_handle_id (&self->pause_source, g_source_remove);
  g_clear_handle_id (&self->layout_source, g_source_remove);
  g_signal_handlers_disconnect_by_data (self->sketch, self);
  g_clear_object (&self->sketch);
  if (self->sync != NULL)
    {
      bnd_sync_manager_set_busy (self->sync, NULL);
      bnd_sync_manager_sync_soon (self->sync);
    }
}

/**
 * bnd_sketch_editor_set_sync_manager:
 * @sync: (nullable): the window's sync, told about saves and the open sketch
 */
void
bnd_sketch_editor_set_sync_manager (BndSketchEditor *self,
                                    BndSyncManager  *sync)
{
  g_return_if_fail (BND_IS_SKETCH_EDITOR (self));
  g_set_object (&self->sync, sync);
}

/**
 * bnd_sketch_editor_insert_citation:
 * @self: a #BndSketchEditor
 * @indicator: a figure from the strategy
 * @section_title: (out) (optional): the title of the section it went into
 *
 * Puts the figure with its citation into the section the user was last writing in (or the
 * starting situation), at the cursor. The PDF prints the source as a footnote.
 *
 * Returns: %TRUE if there was an open sketch to insert into
 */
gboolean
bnd_sketch_editor_insert_citation (BndSketchEditor     *self,
                                   const BndIndicator  *indicator,
                                   char               **section_title)
{
  g_autofree char *value = NULL;
  g_autofree char *text = NULL;
  GtkTextView *view;
  GtkTextBuffer *buffer;
  const char *section;

  g_return_val_if_fail (BND_IS_SKETCH_EDITOR (self), FALSE);

  if (self->sketch == NULL)
    return FALSE;

  section = self->current_section ? self->current_section : "need";
  if (!(view = g_hash_table_lookup (self->section_views, section)))
    return FALSE;

  value = bnd_indicator_format_value (indicator);
  /* Strategy figures are German content, cited as such: "Vakanzzeit … (Celle, 2023): 321 Tage" */
  text = g_strdup_printf ("%s (%s, %s): %s[^%s] ", indicator->label,
                          bnd_strategy_get_area_name (self->strategy, indicator->area),
                          indicator->year, value, indicator->id);
  buffer = gtk_text_view_get_buffer (view);
  gtk_text_buffer_insert_at_cursor (buffer, text, -1);

  if (section_title != NULL)
    {
      GPtrArray *sections = bnd_strategy_get_template_sections (self->strategy);
      *section_title = NULL;
      for (guint i = 0; i < sections->len; i++)
        if (g_str_equal (((BndTemplateSection *)g_ptr_array_index (sections, i))->id, section))
          *section_title = g_strdup (((BndTemplateSection *)g_ptr_array_index (sections, i))->title);
    }
  return TRUE;
}

/**
 * bnd_sketch_editor_get_section_view:
 *
 * Returns: (transfer none) (nullable): the text view of a section
 */
GtkTextView *
bnd_sketch_editor_get_section_view (BndSketchEditor *self,
                                    const char      *section_id)
{
  g_return_val_if_fail (BND_IS_SKETCH_EDITOR (self), NULL);
  return g_hash_table_lookup (self->section_views, section_id);
}

const BndPageBudget *
bnd_sketch_editor_get_budget (BndSketchEditor *self)
{
  g_return_val_if_fail (BND_IS_SKETCH_EDITOR (self), NULL);
  return &self->budget;
}

BndPdfPreview *
bnd_sketch_editor_get_preview (BndSketchEditor *self)
{
  g_return_val_if_fail (BND_IS_SKETCH_EDITOR (self), NULL);
  return self->preview;
}

gboolean
bnd_sketch_editor_is_warning_shown (BndSketchEditor *self)
{
  g_return_val_if_fail (BND_IS_SKETCH_EDITOR (self), FALSE);
  return gtk_revealer_get_reveal_child (self->warning_revealer);
}

guint
bnd_sketch_editor_get_n_saves (BndSketchEditor *self)
{
  g_return_val_if_fail (BND_IS_SKETCH_EDITOR (self), 0);
  return self->n_saves;
}

BndSketchBanner *
bnd_sketch_editor_get_banner (BndSketchEditor *self)
{
  g_return_val_if_fail (BND_IS_SKETCH_EDITOR (self), NULL);
  return self->banner;
}
