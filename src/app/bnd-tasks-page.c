/* bnd-tasks-page.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-tasks-page"

#include "config.h"

#include <glib/gi18n.h>

#include "bnd-tasks-page.h"
#include "bnd-dossier-steps.h"
#include "bnd-tasks.h"

/* My tasks: what waits for the signed-in person, soonest deadline first. A row opens its
 * dossier. */

#define URGENT_DAYS 3

struct _BndTasksPage
{
  GtkWidget  parent_instance;

  GtkWidget *stack;
  GtkWidget *group;
  GtkWidget *status;
  GPtrArray *rows;
};

G_DEFINE_FINAL_TYPE (BndTasksPage, bnd_tasks_page, GTK_TYPE_WIDGET)

static GtkWidget *
task_row_new (const BndTask *task,
              gint64         now)
{
  g_autofree char *what = bnd_task_describe (task);
  gboolean statement = (task->kind == BND_TASK_STATEMENT || task->kind == BND_TASK_STATEMENT_CLOCK) && task->deadline;
  /* The statement's two weeks say the day, as the dossier does. */
  g_autofree char *due = statement ? bnd_statement_due_describe (task->deadline, now, NULL)
                                   : bnd_task_describe_due (task, now);
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), task->title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), what);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  if (due)
    {
      GtkWidget *label = gtk_label_new (due);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
      if (task->deadline <= now)
        gtk_widget_add_css_class (label, "overdue");
      else if (bnd_task_days_left (task, now) <= URGENT_DAYS)
        gtk_widget_add_css_class (label, "warning");
      else
        gtk_widget_add_css_class (label, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.show-dossier");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", task->dossier);
  return row;
}

/**
 * bnd_tasks_page_reload:
 *
 * @tasks: (nullable) (element-type BndTask): as bnd_tasks_collect() found them, on the store's
 *   worker (bnd-review-data.c)
 *
 * Returns: how many tasks wait
 */
guint
bnd_tasks_page_reload (BndTasksPage *self,
                       GPtrArray    *tasks,
                       gboolean      signed_in)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_val_if_fail (BND_IS_TASKS_PAGE (self), 0);

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->group), g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  for (guint i = 0; tasks && i < tasks->len; i++)
    {
      GtkWidget *row = task_row_new (g_ptr_array_index (tasks, i), now);

      g_ptr_array_add (self->rows, row);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), row);
    }
  /* Signed out, "nothing waits" would be a guess: the tasks come from the server. */
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack),
                                    self->rows->len ? "tasks" : signed_in ? "empty" : "signed-out");
  return self->rows->len;
}

static void
bnd_tasks_page_dispose (GObject *object)
{
  BndTasksPage *self = (BndTasksPage *)object;

  g_clear_pointer (&self->stack, gtk_widget_unparent);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (bnd_tasks_page_parent_class)->dispose (object);
}

static void
bnd_tasks_page_class_init (BndTasksPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = bnd_tasks_page_dispose;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
bnd_tasks_page_init (BndTasksPage *self)
{
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *signed_out, *button;

  self->rows = g_ptr_array_new ();
  self->stack = gtk_stack_new ();
  gtk_widget_set_parent (self->stack, GTK_WIDGET (self));

  self->group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->group), _("My Tasks"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->group),
                                         _("From the last sync; reminders come 3 days and 1 day before a deadline"));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (self->group));
  gtk_stack_add_named (GTK_STACK (self->stack), page, "tasks");

  self->status = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->status), "object-select-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (self->status), _("Nothing Waits for You"));
  adw_status_page_set_description (ADW_STATUS_PAGE (self->status),
                                   _("Sketches to revise, ratings and votes due and new comments appear here after a sync"));
  gtk_stack_add_named (GTK_STACK (self->stack), self->status, "empty");

  signed_out = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (signed_out), "system-users-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (signed_out), _("Sign In to See Your Tasks"));
  adw_status_page_set_description (ADW_STATUS_PAGE (signed_out),
                                   _("Dossiers, ratings, votes and deadlines come from the alliance’s server. "
                                     "Sign in with the account the network coordination gave you."));
  button = gtk_button_new_with_mnemonic (_("_Sign In…"));
  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "pill");
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.preferences");
  adw_status_page_set_child (ADW_STATUS_PAGE (signed_out), button);
  gtk_stack_add_named (GTK_STACK (self->stack), signed_out, "signed-out");
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "signed-out");
}

GtkWidget *
bnd_tasks_page_new (void)
{
  return g_object_new (BND_TYPE_TASKS_PAGE, NULL);
}
