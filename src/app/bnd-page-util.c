/* bnd-page-util.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-page-util"

#include "config.h"

#include "bnd-page-util.h"

/* The views are built from the strategy pack: the number of goals, measures and rows is data,
 * so these pieces are made in code while each view's frame comes from its .ui template. */

/**
 * bnd_paragraph_new:
 * @text: plain text (not markup) from the strategy
 * @css_class: (nullable): a style class such as "title-1" or "dim-label"
 *
 * Returns: (transfer floating): a left-aligned, wrapping, selectable label
 */
GtkWidget *
bnd_paragraph_new (const char *text,
                   const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_focusable (label, FALSE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);

  return label;
}

/**
 * bnd_paragraph_row_new:
 * @text: plain text
 *
 * A paragraph as a row of a boxed list. The row takes the focus as its neighbours do, so it
 * carries the text as its accessible name: a screen reader says what the row says.
 *
 * Returns: (transfer floating): a #GtkListBoxRow
 */
GtkWidget *
bnd_paragraph_row_new (const char *text)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = bnd_paragraph_new (text, NULL);

  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  return row;
}

/**
 * bnd_text_row_new:
 * @title: plain text
 * @subtitle: (nullable): plain text
 *
 * Returns: (transfer floating): an #AdwActionRow that shows long text in full
 */
GtkWidget *
bnd_text_row_new (const char *title,
                  const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  return row;
}

/**
 * bnd_boxed_list_new:
 *
 * Returns: (transfer floating): an empty #GtkListBox in the boxed-list style
 */
GtkWidget *
bnd_boxed_list_new (void)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");

  return list;
}

void
bnd_box_remove_all (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))))
    gtk_box_remove (box, child);
}
