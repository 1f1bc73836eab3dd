/* bnd-field-error.c: a sentence at the field that was typed wrong
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-field-error"

#include "config.h"

#include "bnd-field-error.h"

/* BndAmountEntry and BndDateEntry say what is wrong in their "error" property; these put the
 * sentence where the eye is, right below the field, and mark the field itself red (libadwaita's
 * .error) and invalid for screen readers. Never a toast: a toast is gone before the user has
 * found the field it was about. */

/**
 * bnd_field_error_mark:
 * @entry: the entry or entry row typed into
 * @error: (nullable): what is wrong, %NULL once nothing is
 */
void
bnd_field_error_mark (GtkWidget  *entry,
                      const char *error)
{
  if (error)
    gtk_widget_add_css_class (entry, "error");
  else
    gtk_widget_remove_css_class (entry, "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_STATE_INVALID,
                               error ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE, -1);
}

static void
on_error_notify_cb (GObject    *field,
                    GParamSpec *pspec,
                    GtkWidget  *widget)
{
  g_autofree char *error = NULL;
  GtkWidget *label = g_object_get_data (G_OBJECT (widget), "label");

  g_object_get (field, "error", &error, NULL);
  gtk_label_set_label (GTK_LABEL (label), error ? error : "");
  gtk_widget_set_visible (widget, error != NULL);
}

static GtkWidget *
label_new (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (label, "error");
  gtk_widget_add_css_class (label, "caption");
  return label;
}

static void
follow (GtkWidget *field,
        GtkWidget *widget,
        GtkWidget *label)
{
  g_object_set_data (G_OBJECT (widget), "label", label);
  g_signal_connect_object (field, "notify::error", G_CALLBACK (on_error_notify_cb), widget, 0);
  on_error_notify_cb (G_OBJECT (field), NULL, widget);
}

/**
 * bnd_field_error_label_new:
 * @field: a widget with an "error" string property
 *
 * Returns: (transfer floating): a label that shows the error of @field and hides without one
 */
GtkWidget *
bnd_field_error_label_new (GtkWidget *field)
{
  GtkWidget *label = label_new ();

  follow (field, label, label);
  return label;
}

/**
 * bnd_field_error_row_new:
 * @field: a widget with an "error" string property, in the row above
 *
 * Returns: (transfer floating): a list row for a boxed list, right below the row of @field
 */
GtkWidget *
bnd_field_error_row_new (GtkWidget *field)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = label_new ();

  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  follow (field, row, label);
  return row;
}
