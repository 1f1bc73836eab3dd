/* bnd-sketch-editor-checks.c
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

#include "bnd-page-util.h"
#include "bnd-sketch-editor-private.h"

/* What the editor checks: the funding conditions of the chosen Fördergegenstand, as rows the
 * carrier ticks (confirmations) or sees met (the project period), and the "still to do" list of
 * bnd_sketch_validate(), where every unmet condition is an item with its source. */

static void
on_confirmation_toggled_cb (GtkCheckButton  *check,
                            BndSketchEditor *self)
{
  if (self->loading)
    return;
  bnd_sketch_set_confirmed (self->sketch, g_object_get_data (G_OBJECT (check), "condition-id"),
                            gtk_check_button_get_active (check));
}

/* A condition the app checks itself shows whether it is met. */
static void
update_condition_status (BndSketchEditor *self)
{
  for (guint i = 0; i < self->condition_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->condition_rows, i);
      const BndCondition *condition = g_object_get_data (G_OBJECT (row), "condition");
      GtkImage *icon = g_object_get_data (G_OBJECT (row), "status");
      gboolean met;

      if (icon == NULL)
        continue;
      met = bnd_sketch_meets_condition (self->sketch, condition);
      gtk_image_set_from_icon_name (icon, met ? "emblem-ok-symbolic" : "dialog-warning-symbolic");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      met ? _("Met") : _("Not met"), -1);
    }
}

static gboolean
is_condition_field (gpointer key,
                    gpointer value,
                    gpointer user_data)
{
  return g_str_has_prefix (key, "condition:");
}

/**
 * _bnd_sketch_editor_build_conditions:
 *
 * Fills the "Funding conditions" group for the sketch's Fördergegenstand: the general
 * conditions and its own, each with the strategy's source.
 */
void
_bnd_sketch_editor_build_conditions (BndSketchEditor *self)
{
  int funding = bnd_sketch_get_funding_object (self->sketch);
  g_autoptr(GPtrArray) conditions = bnd_strategy_dup_conditions_for (self->strategy, funding);
  gboolean loading = self->loading;

  self->loading = TRUE;
  for (guint i = 0; i < self->condition_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->conditions_group),
                                  g_ptr_array_index (self->condition_rows, i));
  g_ptr_array_set_size (self->condition_rows, 0);
  g_hash_table_foreach_remove (self->field_widgets, is_condition_field, NULL);

  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->conditions_group),
                                         funding > 0
                                         ? _("What the strategy asks of every project and of the chosen "
                                             "Fördergegenstand. Confirm what applies to this project.")
                                         : _("What the strategy asks of every project. Choose a "
                                             "Fördergegenstand to see its own conditions."));

  for (guint i = 0; i < conditions->len; i++)
    {
      const BndCondition *condition = g_ptr_array_index (conditions, i);
      GtkWidget *row = bnd_text_row_new (bnd_text_get (&condition->text), condition->source);

      gtk_widget_set_name (row, condition->id);
      g_object_set_data (G_OBJECT (row), "condition", (gpointer)condition);
      if (condition->kind == BND_CONDITION_CONFIRMATION)
        {
          GtkWidget *check = gtk_check_button_new ();

          gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                       bnd_sketch_has_confirmation (self->sketch, condition->id));
          g_object_set_data (G_OBJECT (check), "condition-id", (gpointer)condition->id);
          gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), -1);
          g_signal_connect (check, "toggled", G_CALLBACK (on_confirmation_toggled_cb), self);
          gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
        }
      else
        {
          /* Checked from the sketch's own data, such as the project period. */
          GtkWidget *icon = gtk_image_new ();

          gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
          g_object_set_data (G_OBJECT (row), "status", icon);
        }
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->conditions_group), row);
      g_ptr_array_add (self->condition_rows, row);
      {
        g_autofree char *field = g_strdup_printf ("condition:%s", condition->id);
        _bnd_sketch_editor_add_field (self, field, row);
      }
    }

  gtk_widget_set_visible (self->conditions_group, conditions->len > 0);
  update_condition_status (self);
  self->loading = loading;
}

/**
 * _bnd_sketch_editor_add_field:
 *
 * Names the widget where the field of an issue is entered, so that the issue leads there.
 */
void
_bnd_sketch_editor_add_field (BndSketchEditor *self,
                              const char      *field,
                              GtkWidget       *widget)
{
  g_hash_table_insert (self->field_widgets, g_strdup (field), widget);
}

static gboolean
update_issues_cb (gpointer data)
{
  BndSketchEditor *self = data;

  self->issues_source = 0;
  if (self->sketch != NULL)
    _bnd_sketch_editor_update_issues (self);
  return G_SOURCE_REMOVE;
}

/**
 * _bnd_sketch_editor_touch:
 *
 * The user has edited or left @field: from now on it is marked when it is wrong. A new sketch
 * is not red all over before anyone typed.
 */
void
_bnd_sketch_editor_touch (BndSketchEditor *self,
                          const char      *field)
{
  if (self->loading || g_hash_table_contains (self->touched, field))
    return;
  g_hash_table_add (self->touched, g_strdup (field));
  /* Not now: this runs while the focus moves, perhaps onto an item of the list, which an update
   * would replace under it. */
  if (self->issues_source == 0)
    self->issues_source = g_idle_add (update_issues_cb, self);
}

/* Goes to the field of an issue: an expander of links opens, the field takes the focus and
 * the form scrolls to it. */
static void
on_issue_activated_cb (AdwActionRow    *row,
                       BndSketchEditor *self)
{
  const char *field = gtk_widget_get_name (GTK_WIDGET (row));
  GtkWidget *widget = g_hash_table_lookup (self->field_widgets, field);

  GtkWidget *scroller, *shown;
  double y = 0;

  if (widget == NULL)
    return;
  if (ADW_IS_EXPANDER_ROW (widget))
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (widget), TRUE);
  gtk_widget_grab_focus (widget);

  /* The focus alone scrolls just far enough to show the field at the bottom edge; a section's
   * field goes to the top with its heading and guidance, which say what to write. */
  scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  shown = GTK_IS_TEXT_VIEW (widget) ? gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_GROUP) : widget;
  if (scroller != NULL && shown != NULL &&
      gtk_widget_translate_coordinates (shown, gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller)),
                                        0, 0, NULL, &y))
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)),
                              MAX (0, y - 12));
}

/**
 * _bnd_sketch_editor_show_all_issues:
 *
 * After an attempt to submit: every wrong field is marked and the list is open.
 */
void
_bnd_sketch_editor_show_all_issues (BndSketchEditor *self)
{
  self->show_all_errors = TRUE;
  _bnd_sketch_editor_update_issues (self);
  if (self->issues_summary != NULL)
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self->issues_summary), TRUE);
}

void
_bnd_sketch_editor_update_issues (BndSketchEditor *self)
{
  g_autoptr(GPtrArray) issues = bnd_sketch_validate (self->sketch, self->strategy);
  g_autofree char *summary = NULL;
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < self->issue_rows->len; i++)
    adw_expander_row_remove (ADW_EXPANDER_ROW (self->issues_summary), g_ptr_array_index (self->issue_rows, i));
  g_ptr_array_set_size (self->issue_rows, 0);

  g_hash_table_iter_init (&iter, self->section_errors);
  while (g_hash_table_iter_next (&iter, &key, &value))
    gtk_widget_set_visible (value, FALSE);

  for (guint i = 0; i < issues->len; i++)
    {
      BndSketchIssue *issue = g_ptr_array_index (issues, i);
      /* An unmet funding condition names where the strategy states it. */
      GtkWidget *row = bnd_text_row_new (issue->message, issue->source);
      GtkWidget *label;

      adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
      gtk_widget_set_name (row, issue->field);
      if (g_hash_table_contains (self->field_widgets, issue->field))
        {
          GtkWidget *go = gtk_image_new_from_icon_name ("go-next-symbolic");

          gtk_accessible_update_property (GTK_ACCESSIBLE (go), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Go to the field"), -1);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), go);
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          g_signal_connect (row, "activated", G_CALLBACK (on_issue_activated_cb), self);
        }
      adw_expander_row_add_row (ADW_EXPANDER_ROW (self->issues_summary), row);
      g_ptr_array_add (self->issue_rows, row);

      if ((self->show_all_errors || g_hash_table_contains (self->touched, issue->field)) &&
          g_str_has_prefix (issue->field, "section:") &&
          (label = g_hash_table_lookup (self->section_errors, issue->field + strlen ("section:"))))
        gtk_widget_set_visible (label, TRUE);
    }

  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u thing to do before submitting",
                                          "%u things to do before submitting", issues->len),
                             issues->len);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->issues_summary), summary);
  /* libadwaita 1.2 names only the expander's inner header; the row that takes the focus too. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->issues_summary), GTK_ACCESSIBLE_PROPERTY_LABEL, summary, -1);
  gtk_widget_set_visible (self->issues_group, issues->len > 0);
  update_condition_status (self);
}

/**
 * _bnd_sketch_editor_build_issues:
 *
 * The "still to do" list: one line saying how much is left, which opens to the items, each
 * leading to its field. Closed at first, so that a new sketch opens at its title and not
 * under a wall of warnings.
 */
void
_bnd_sketch_editor_build_issues (BndSketchEditor *self)
{
  self->issues_group = _bnd_sketch_editor_group_new (self, NULL, NULL);
  self->issues_summary = adw_expander_row_new ();
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self->issues_summary),
                                 _("Each item leads to its field"));
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (self->issues_summary),
                               gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->issues_group), self->issues_summary);
}
