/* bnd-sketch-editor-form.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-sketch-editor"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "bnd-alliance-rule.h"
#include "bnd-citation-marks.h"
#include "bnd-field-error.h"
#include "bnd-format.h"
#include "bnd-page-util.h"
#include "bnd-sketch-editor-private.h"

/* The editor's form, built from the strategy pack's template: project data, the links to the
 * strategy, one text per section and the cost table. Every edit goes into the BndSketch;
 * bnd-sketch-editor.c saves and lays it out from there. */

static const char *link_titles[BND_N_LINKS] = {
  N_("Strategic goals"),
  N_("Cross-cutting goals"),
  N_("Fields of action"),
  N_("Focus topics"),
  N_("Landkreise"),
};


void
_bnd_sketch_editor_update_totals (BndSketchEditor *self)
{
  BndLocale locale = bnd_locale_current ();
  g_autofree char *total = bnd_format_money (bnd_sketch_get_cost_total (self->sketch), locale);
  g_autofree char *financing = bnd_format_money (bnd_sketch_get_requested (self->sketch) +
                                                 bnd_sketch_get_own_contribution (self->sketch) +
                                                 bnd_sketch_get_co_financing (self->sketch), locale);

  gtk_label_set_label (GTK_LABEL (self->total_label), total);
  gtk_label_set_label (GTK_LABEL (self->financing_label), financing);
}

/* Callbacks */


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
  /* with the hidden parts: the brackets of a citation mark are hidden, not gone */
  text = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
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

/* Tab leaves a section (accepts-tab is off); Ctrl+Tab, which GtkTextView would use to leave,
 * types the tab instead. */
static gboolean
insert_tab_cb (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));

  gtk_text_buffer_insert_interactive_at_cursor (buffer, "\t", 1, gtk_text_view_get_editable (GTK_TEXT_VIEW (widget)));
  return TRUE;
}

static void
on_section_focus_cb (GtkEventControllerFocus *controller,
                     BndSketchEditor         *self)
{
  GtkWidget *view = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  self->current_section = g_object_get_data (G_OBJECT (view), "section-id");
}

/* A section left is a section seen: if it is still empty, it is marked now. */
static void
on_section_left_cb (GtkEventControllerFocus *controller,
                    BndSketchEditor         *self)
{
  GtkWidget *view = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  g_autofree char *field = g_strdup_printf ("section:%s", (char *)g_object_get_data (G_OBJECT (view), "section-id"));

  _bnd_sketch_editor_touch (self, field);
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
  if (self->loading)
    return;
  bnd_sketch_set_funding_object (self->sketch, adw_combo_row_get_selected (row));
  /* Each Fördergegenstand has its own conditions to confirm. */
  _bnd_sketch_editor_build_conditions (self);
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
      BndCostItem item = { (char *)gtk_editable_get_text (row->label), bnd_amount_entry_get_value (row->amount) };

      g_array_append_val (items, item);
    }
  bnd_sketch_set_cost_items (self->sketch, &g_array_index (items, BndCostItem, 0), items->len);
  bnd_sketch_set_financing (self->sketch,
                            bnd_amount_entry_get_value (self->financing[0]),
                            bnd_amount_entry_get_value (self->financing[1]),
                            bnd_amount_entry_get_value (self->financing[2]));
}

static void
on_cost_changed_cb (GtkWidget       *widget,
                    BndSketchEditor *self)
{
  costs_to_sketch (self);
}

static void
on_amount_changed_cb (BndAmountEntry  *entry,
                      GParamSpec      *pspec,
                      BndSketchEditor *self)
{
  costs_to_sketch (self);
}

static void
on_date_changed_cb (BndDateEntry    *entry,
                    GParamSpec      *pspec,
                    BndSketchEditor *self)
{
  const char *start = bnd_date_entry_get_date (self->start_entry);
  const char *end = bnd_date_entry_get_date (self->end_entry);

  if (self->loading)
    return;
  /* Always ISO, as the sketch keeps days; the field shows them as the language writes them. */
  bnd_sketch_set_duration (self->sketch, start ? start : "", end ? end : "");
}

static GtkWidget *
amount_entry_new (const char *label,
                  double      value)
{
  GtkWidget *entry = bnd_amount_entry_new (label);

  /* A new cost item starts empty rather than at "0,00 €", which looks already filled in. */
  if (value != 0)
    bnd_amount_entry_set_value (BND_AMOUNT_ENTRY (entry), value);
  return entry;
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
  GtkWidget *column = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *field = amount_entry_new (_("Amount of the cost item"), amount);
  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  GtkWidget *error = bnd_field_error_label_new (field);

  gtk_editable_set_text (GTK_EDITABLE (entry), label);
  gtk_entry_set_max_length (GTK_ENTRY (entry), BND_SKETCH_MAX_SHORT_TEXT);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Cost item"));
  gtk_widget_set_hexpand (entry, TRUE);
  gtk_widget_set_tooltip_text (remove, _("Remove this cost item"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Cost item"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove this cost item"), -1);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_margin_top (column, 6);
  gtk_widget_set_margin_bottom (column, 6);
  gtk_widget_set_margin_start (column, 12);
  gtk_widget_set_margin_end (column, 6);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), field);
  gtk_box_append (GTK_BOX (box), remove);
  gtk_box_append (GTK_BOX (column), box);
  /* Under the row's own fields, the sentence saying what is wrong with the amount. */
  gtk_box_append (GTK_BOX (column), error);

  cost->row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (cost->row), column);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (cost->row), FALSE);
  cost->label = GTK_EDITABLE (entry);
  cost->amount = BND_AMOUNT_ENTRY (field);
  g_object_set_data (G_OBJECT (remove), "row", cost->row);

  g_signal_connect (entry, "changed", G_CALLBACK (on_cost_changed_cb), self);
  g_signal_connect (field, "notify::value", G_CALLBACK (on_amount_changed_cb), self);
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

GtkWidget *
_bnd_sketch_editor_group_new (BndSketchEditor *self,
                              const char      *title,
                              const char      *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  if (title)
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
  _bnd_sketch_editor_add_field (self, g_str_equal (field, "start") ? "duration" : field, row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return row;
}

static BndDateEntry *
date_row_new (BndSketchEditor *self,
              GtkWidget       *group,
              const char      *title,
              const char      *field,
              const char      *value)
{
  GtkWidget *row = bnd_text_row_new (title, NULL);
  GtkWidget *entry = bnd_date_entry_new (title);

  bnd_date_entry_set_date (BND_DATE_ENTRY (entry), *value ? value : NULL);
  g_signal_connect (entry, "notify::date", G_CALLBACK (on_date_changed_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), entry);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), entry);
  if (field)
    _bnd_sketch_editor_add_field (self, field, entry);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  /* Into the group's list, right below the row: the group would put a plain row under the list. */
  gtk_list_box_insert (GTK_LIST_BOX (gtk_widget_get_parent (row)), bnd_field_error_row_new (entry),
                       gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)) + 1);
  return BND_DATE_ENTRY (entry);
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
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
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
  GtkWidget *group = _bnd_sketch_editor_group_new (self, _("Contribution to the strategy"),
                                _("What the project contributes to the alliance's strategy: the "
                                  "table „Beitrag zur Strategie“ in the PDF."));

  for (guint kind = 0; kind < BND_N_LINKS; kind++)
    {
      GtkWidget *expander = adw_expander_row_new ();
      GPtrArray *items = NULL;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), _(link_titles[kind]));
      gtk_accessible_update_property (GTK_ACCESSIBLE (expander), GTK_ACCESSIBLE_PROPERTY_LABEL, _(link_titles[kind]), -1);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), expander);
      if (kind == BND_LINK_GOALS)
        _bnd_sketch_editor_add_field (self, "links:goals", expander);
      else if (kind == BND_LINK_DISTRICTS)
        _bnd_sketch_editor_add_field (self, "links:districts", expander);

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
  const char *name = bnd_template_section_get_title (section);
  g_autofree char *title = section->required ? g_strdup (name) : g_strdup_printf (_("%s (optional)"), name);
  /* Its facts are entered once, in the fields above: the text only adds to them. */
  g_autofree char *description = section->from_fields
    ? g_strdup_printf ("%s\n%s", _("The PDF states the facts of this section from the fields above. "
                                   "Write here only what they do not say."),
                       bnd_template_section_get_guidance (section))
    : g_strdup (bnd_template_section_get_guidance (section));
  GtkWidget *group = _bnd_sketch_editor_group_new (self, title, description);
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *view = gtk_text_view_new ();
  GtkWidget *error = gtk_label_new (_("This section is required."));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkEventController *focus = gtk_event_controller_focus_new ();
  GtkEventController *keys = gtk_shortcut_controller_new ();

  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 10);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 10);
  gtk_widget_set_size_request (view, -1, 90);
  gtk_widget_add_css_class (view, "section-text");
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Tab, GDK_CONTROL_MASK),
                                                          gtk_callback_action_new (insert_tab_cb, NULL, NULL)));
  gtk_widget_add_controller (view, keys);
  gtk_widget_set_tooltip_text (view, _("Tab moves to the next field; Ctrl+Tab types a tab"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  bnd_template_section_get_guidance (section) ? bnd_template_section_get_guidance (section) : "",
                                  -1);
  gtk_text_buffer_set_text (buffer, bnd_sketch_get_section (self->sketch, section->id), -1);
  g_object_set_data (G_OBJECT (buffer), "section-id", (gpointer)section->id);
  g_object_set_data (G_OBJECT (view), "section-id", (gpointer)section->id);
  bnd_citation_marks_attach (GTK_TEXT_VIEW (view), self->strategy);
  g_signal_connect (buffer, "changed", G_CALLBACK (on_section_changed_cb), self);
  g_signal_connect (buffer, "insert-text", G_CALLBACK (on_section_insert_text_cb), self);
  g_signal_connect (focus, "enter", G_CALLBACK (on_section_focus_cb), self);
  g_signal_connect (focus, "leave", G_CALLBACK (on_section_left_cb), self);
  gtk_widget_add_controller (view, focus);

  gtk_frame_set_child (GTK_FRAME (frame), view);
  gtk_widget_add_css_class (frame, "view");
  gtk_widget_add_css_class (frame, "section-frame");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), frame);

  gtk_label_set_xalign (GTK_LABEL (error), 0);
  gtk_widget_add_css_class (error, "error");
  gtk_widget_add_css_class (error, "caption");
  gtk_widget_set_visible (error, FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), error);

  g_hash_table_insert (self->section_views, (gpointer)section->id, view);
  {
    g_autofree char *field = g_strdup_printf ("section:%s", section->id);
    _bnd_sketch_editor_add_field (self, field, view);
  }
  g_hash_table_insert (self->section_errors, (gpointer)section->id, error);
}

static void
build_costs (BndSketchEditor *self)
{
  GtkWidget *group = _bnd_sketch_editor_group_new (self, _("Costs and financing"),
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
  _bnd_sketch_editor_add_field (self, "costs", add);

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
      GtkWidget *field = amount_entry_new (_(financing_titles[i]), financing[i]);

      row = bnd_text_row_new (_(financing_titles[i]), NULL);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), field);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), field);
      g_signal_connect (field, "notify::value", G_CALLBACK (on_amount_changed_cb), self);
      self->financing[i] = BND_AMOUNT_ENTRY (field);
      if (i == 0)
        _bnd_sketch_editor_add_field (self, "financing", field);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
      gtk_list_box_append (GTK_LIST_BOX (list), bnd_field_error_row_new (field));
    }

  row = bnd_text_row_new (_("Financing total"), NULL);
  self->financing_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->financing_label, "heading");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), self->financing_label);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), list);
}

void
_bnd_sketch_editor_build_form (BndSketchEditor *self)
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
  g_ptr_array_set_size (self->condition_rows, 0);
  g_ptr_array_set_size (self->cost_rows, 0);
  g_hash_table_remove_all (self->field_widgets);
  self->current_section = NULL;

  _bnd_sketch_editor_build_issues (self);

  group = _bnd_sketch_editor_group_new (self, _("Project"), NULL);
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
  _bnd_sketch_editor_add_field (self, "funding_object", combo);

  self->start_entry = date_row_new (self, group, _("Start"), "duration", bnd_sketch_get_start (self->sketch));
  self->end_entry = date_row_new (self, group, _("End"), NULL, bnd_sketch_get_end (self->sketch));
  for (guint i = 0; i < partners->len; i++)
    g_string_append_printf (partner_text, "%s%s", i ? "; " : "", (char *)g_ptr_array_index (partners, i));
  entry_row_new (self, group, _("Partners, separated by ;"), "partners", partner_text->str);

  self->conditions_group = _bnd_sketch_editor_group_new (self, _("Funding conditions"), NULL);
  _bnd_sketch_editor_build_conditions (self);

  build_links (self);

  /* The template's sections are the alliance's, not the strategy's: say so before them. */
  gtk_box_append (self->form_box, bnd_alliance_rule_new (self->strategy, BND_RULE_SKETCH_TEMPLATE));

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
  _bnd_sketch_editor_update_issues (self);
  _bnd_sketch_editor_update_totals (self);
}
