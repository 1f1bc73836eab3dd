/* bnd-page-util.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-page-util"

#include "config.h"

#include <math.h>

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

static gboolean
on_guarded_scroll_cb (GtkEventControllerScroll *controller,
                      double                    dx,
                      double                    dy,
                      gpointer                  user_data)
{
  GtkWidget *spin = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkRoot *root = gtk_widget_get_root (spin);
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  GtkWidget *scrolled;
  GtkAdjustment *adjustment;

  if (focus != NULL && (focus == spin || gtk_widget_is_ancestor (focus, spin)))
    return GDK_EVENT_PROPAGATE;
  /* The page scrolls by the step GtkScrolledWindow takes for a wheel click. */
  if ((scrolled = gtk_widget_get_ancestor (spin, GTK_TYPE_SCROLLED_WINDOW)))
    {
      adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) +
                                            dy * pow (gtk_adjustment_get_page_size (adjustment), 2.0 / 3.0));
    }
  return GDK_EVENT_STOP;
}

/**
 * bnd_spin_button_guard_scroll:
 *
 * A spin button changes its value under the mouse wheel even while the page is scrolled past
 * it. Guarded, the wheel changes the value only while the button has the keyboard focus; else
 * it scrolls the page, as over any other row.
 */
void
bnd_spin_button_guard_scroll (GtkSpinButton *spin)
{
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);

  /* Before the spin button's own controller, which works in the bubble phase. */
  gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_guarded_scroll_cb), NULL);
  gtk_widget_add_controller (GTK_WIDGET (spin), scroll);
}

/* What bnd_widget_task_new() keeps until its callback: the widget, weakly */
typedef struct
{
  GWeakRef              owner;
  BndWidgetTaskCallback callback;
  gpointer              user_data;
} WidgetTask;

static void
widget_task_done_cb (GObject      *unused,
                     GAsyncResult *result,
                     gpointer      data)
{
  WidgetTask *widget_task = data;
  g_autoptr(GtkWidget) owner = g_weak_ref_get (&widget_task->owner);

  widget_task->callback (owner, result, widget_task->user_data);
  g_weak_ref_clear (&widget_task->owner);
  g_free (widget_task);
}

/**
 * bnd_widget_task_new:
 * @owner: the widget the task works for
 * @callback: called on the main context with @owner, or %NULL if it is gone by then
 *
 * A task for g_task_run_in_thread() on behalf of a widget. GTask would hold the widget as its
 * source object, and a task whose worker lets go of it last (its callback already ran) would
 * finalize the widget on the worker, off GTK's thread: a crash some time later. Here the task
 * has no source object and holds the widget weakly; nothing of GTK may go into its task data.
 *
 * Returns: (transfer full): the task
 */
GTask *
bnd_widget_task_new (GtkWidget             *owner,
                     GCancellable          *cancellable,
                     BndWidgetTaskCallback  callback,
                     gpointer               user_data)
{
  WidgetTask *widget_task = g_new0 (WidgetTask, 1);

  g_weak_ref_init (&widget_task->owner, owner);
  widget_task->callback = callback;
  widget_task->user_data = user_data;
  return g_task_new (NULL, cancellable, widget_task_done_cb, widget_task);
}
