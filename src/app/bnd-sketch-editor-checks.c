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
    }

  gtk_widget_set_visible (self->conditions_group, conditions->len > 0);
  update_condition_status (self);
  self->loading = loading;
}

void
_bnd_sketch_editor_update_issues (BndSketchEditor *self)
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
      /* An unmet funding condition names where the strategy states it. */
      GtkWidget *row = bnd_text_row_new (issue->message, issue->source);
      GtkWidget *label;

      adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
      gtk_widget_set_name (row, issue->field);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->issues_group), row);
      g_ptr_array_add (self->issue_rows, row);

      if (g_str_has_prefix (issue->field, "section:") &&
          (label = g_hash_table_lookup (self->section_errors, issue->field + strlen ("section:"))))
        gtk_widget_set_visible (label, TRUE);
    }

  gtk_widget_set_visible (self->issues_group, issues->len > 0);
  update_condition_status (self);
}
