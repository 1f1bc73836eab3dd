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
