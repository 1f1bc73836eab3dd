/* bnd-review-page.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-review-page"

#include "config.h"

#include <glib/gi18n.h>

#include "bnd-dossier-cache.h"
#include "bnd-dossier-page.h"
#include "bnd-portfolio-page.h"
#include "bnd-review-data.h"
#include "bnd-review-page.h"
#include "bnd-sessions-page.h"
#include "bnd-stage.h"
#include "bnd-tasks-page.h"

/* The Dossiers view: the procedure from the participants' side. A sidebar leads to My tasks,
 * the portfolio and each submitted dossier; the content shows the one chosen. */

struct _BndReviewPage
{
  GtkWidget       parent_instance;

  GtkWidget      *paned;
  GtkWidget      *sidebar;
  GtkWidget      *content;
  GtkWidget      *tasks_row;
  GtkWidget      *tasks_count;
  GtkWidget      *portfolio_row;
  GtkWidget      *sessions_row;
  BndTasksPage   *tasks_page;
  BndSessionsPage *sessions_page;
  BndPortfolioPage *portfolio_page;
  BndDossierPage *dossier_page;

  BndStore       *store;
  BndStrategy    *strategy;
  BndSyncManager *sync;
  GPtrArray      *dossier_rows;
  gboolean        reloading;     /* the sidebar's rows are being replaced */

  /* Reading the profile runs on the store's worker; the pages show what they showed until it
   * is done. A reload asked for meanwhile runs once it is. */
  GCancellable   *cancellable;   /* cancelled in dispose: a late answer finds no page */
  BndReviewData  *data;          /* what was read last */
  gboolean        loading;
  gboolean        load_again;
  char           *show_when_loaded;  /* a dossier asked for before its row was there */
  int             signed_in;     /* as My tasks shows it: -1 before the first load */
};

G_DEFINE_FINAL_TYPE (BndReviewPage, bnd_review_page, GTK_TYPE_WIDGET)

static GtkWidget *
sidebar_row_new (const char *icon,
                 const char *title,
                 const char *subtitle,
                 GtkWidget  *suffix)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label = gtk_label_new (title);

  /* Dossier titles are long ("Fachkräftesicherung in der Pflege im Landkreis …"): two lines
   * show enough of them to tell them apart in the narrow sidebar, the tooltip the rest. */
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (label), 2);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_tooltip_text (row, title);
  gtk_box_append (GTK_BOX (labels), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle ? subtitle : "", -1);
  if (subtitle)
    {
      GtkWidget *detail = gtk_label_new (subtitle);

      gtk_label_set_xalign (GTK_LABEL (detail), 0);
      gtk_label_set_ellipsize (GTK_LABEL (detail), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (detail, "dim-label");
      gtk_widget_add_css_class (detail, "caption");
      gtk_box_append (GTK_BOX (labels), detail);
    }
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_widget_set_valign (labels, GTK_ALIGN_CENTER);
  if (icon)
    gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (icon));
  gtk_box_append (GTK_BOX (box), labels);
  if (suffix)
    gtk_box_append (GTK_BOX (box), suffix);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static void
on_row_selected_cb (BndReviewPage *self,
                    GtkListBoxRow *row)
{
  const char *uuid;

  if (row == NULL || self->reloading)
    return;
  if (GTK_WIDGET (row) == self->tasks_row)
    gtk_stack_set_visible_child_name (GTK_STACK (self->content), "tasks");
  else if (GTK_WIDGET (row) == self->portfolio_row)
    gtk_stack_set_visible_child_name (GTK_STACK (self->content), "portfolio");
  else if (GTK_WIDGET (row) == self->sessions_row)
    gtk_stack_set_visible_child_name (GTK_STACK (self->content), "sessions");
  else if ((uuid = g_object_get_data (G_OBJECT (row), "uuid")))
    {
      bnd_dossier_page_show (self->dossier_page, uuid);
      gtk_stack_set_visible_child_name (GTK_STACK (self->content), "dossier");
    }
}

static void
header_func (GtkListBoxRow *row,
             GtkListBoxRow *before,
             gpointer       user_data)
{
  GtkWidget *header = NULL;

  /* One heading over the dossiers, below My tasks and the portfolio. */
  if (g_object_get_data (G_OBJECT (row), "uuid") && (before == NULL || !g_object_get_data (G_OBJECT (before), "uuid")))
    {
      header = gtk_label_new (_("Dossiers"));
      gtk_label_set_xalign (GTK_LABEL (header), 0);
      gtk_widget_add_css_class (header, "heading");
      gtk_widget_add_css_class (header, "dim-label");
      gtk_widget_set_margin_top (header, 12);
      gtk_widget_set_margin_start (header, 12);
      gtk_widget_set_margin_bottom (header, 6);
    }
  gtk_list_box_row_set_header (row, header);
}

static void
reload_tasks (BndReviewPage *self)
{
  g_autofree char *count = NULL;
  gboolean signed_in = self->sync != NULL && bnd_sync_manager_is_signed_in (self->sync);
  guint n_tasks;

  self->signed_in = signed_in;
  n_tasks = bnd_tasks_page_reload (self->tasks_page, self->data ? self->data->tasks : NULL, signed_in);
  count = g_strdup_printf ("%u", n_tasks);
  gtk_label_set_text (GTK_LABEL (self->tasks_count), count);
  gtk_widget_set_visible (self->tasks_count, n_tasks > 0);
}

/* Enter on a sidebar row opens what it shows and takes the keyboard there: Tab from a row would
 * walk on through the sidebar, choosing each row on its way. */
static void
on_row_activated_cb (BndReviewPage *self,
                     GtkListBoxRow *row)
{
  gtk_list_box_select_row (GTK_LIST_BOX (self->sidebar), row);
  gtk_widget_child_focus (self->content, GTK_DIR_TAB_FORWARD);
}

/* The sync manager says what it is doing many times a sync; My tasks only changes when signing
 * in or out. */
static void
on_sync_status_cb (BndReviewPage *self)
{
  gboolean signed_in = self->sync != NULL && bnd_sync_manager_is_signed_in (self->sync);

  if (self->data && self->signed_in != signed_in)
    reload_tasks (self);
}

/* Shows what was read: the sidebar's dossiers, My tasks, the portfolio and the sessions. */
static void
show_data (BndReviewPage *self)
{
  BndReviewData *data = self->data;
  g_autofree char *shown = NULL;
  GtkListBoxRow *selected;

  selected = gtk_list_box_get_selected_row (GTK_LIST_BOX (self->sidebar));
  shown = g_strdup (selected ? g_object_get_data (G_OBJECT (selected), "uuid") : NULL);
  if (self->show_when_loaded)
    {
      g_free (shown);
      shown = g_steal_pointer (&self->show_when_loaded);
    }

  self->reloading = TRUE;
  for (guint i = 0; i < self->dossier_rows->len; i++)
    gtk_list_box_remove (GTK_LIST_BOX (self->sidebar), g_ptr_array_index (self->dossier_rows, i));
  g_ptr_array_set_size (self->dossier_rows, 0);

  for (guint i = 0; data->dossiers && i < data->dossiers->len; i++)
    {
      BndSketchSummary *dossier = g_ptr_array_index (data->dossiers, i);
      GtkWidget *row = sidebar_row_new (NULL, dossier->title && *dossier->title ? dossier->title : _("Untitled Sketch"),
                                        bnd_stage_get_label (dossier->stage), NULL);

      g_object_set_data_full (G_OBJECT (row), "uuid", g_strdup (dossier->uuid), g_free);
      g_ptr_array_add (self->dossier_rows, row);
      gtk_list_box_append (GTK_LIST_BOX (self->sidebar), row);
      if (g_strcmp0 (shown, dossier->uuid) == 0)
        gtk_list_box_select_row (GTK_LIST_BOX (self->sidebar), GTK_LIST_BOX_ROW (row));
    }
  self->reloading = FALSE;

  reload_tasks (self);
  gtk_widget_set_visible (self->portfolio_row, bnd_portfolio_page_reload (self->portfolio_page, data, self->strategy));
  gtk_widget_set_visible (self->sessions_row,
                          bnd_sessions_page_reload (self->sessions_page, data, self->strategy, self->sync));

  selected = gtk_list_box_get_selected_row (GTK_LIST_BOX (self->sidebar));
  if (shown && selected && g_strcmp0 (shown, bnd_dossier_page_get_uuid (self->dossier_page)) == 0)
    bnd_dossier_page_refresh (self->dossier_page);
  else if (shown && selected)
    on_row_selected_cb (self, selected);
  else if (selected == NULL)
    gtk_list_box_select_row (GTK_LIST_BOX (self->sidebar), GTK_LIST_BOX_ROW (self->tasks_row));
}

static void start_reading (BndReviewPage *self);

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  BndReviewData *data = bnd_review_data_read_finish (BND_STORE (object), result, &error);
  BndReviewPage *self = user_data;

  /* Cancelled in dispose: @self is gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  if (data != NULL)
    {
      g_clear_pointer (&self->data, bnd_review_data_free);
      self->data = data;
      show_data (self);
    }
  else
    g_warning ("Could not read the dossiers: %s", error->message);
  if (self->load_again)
    start_reading (self);
}

static void
start_reading (BndReviewPage *self)
{
  self->load_again = FALSE;
  self->loading = TRUE;
  bnd_review_data_read_async (self->store, self->cancellable, read_cb, self);
}

/**
 * bnd_review_page_reload:
 *
 * Reads the dossiers, tasks and portfolio from the profile again, keeping what is shown. The
 * reading runs on the store's worker; the view shows what it showed until it is done.
 */
void
bnd_review_page_reload (BndReviewPage *self)
{
  g_return_if_fail (BND_IS_REVIEW_PAGE (self));

  if (self->store == NULL)
    return;
  if (self->loading)
    self->load_again = TRUE;
  else
    start_reading (self);
}

/**
 * bnd_review_page_is_loading:
 *
 * Returns: whether the view or the dossier it shows is still being read from the profile
 */
gboolean
bnd_review_page_is_loading (BndReviewPage *self)
{
  g_return_val_if_fail (BND_IS_REVIEW_PAGE (self), FALSE);
  return self->loading || bnd_dossier_page_is_loading (self->dossier_page);
}

void
bnd_review_page_show_dossier (BndReviewPage *self,
                              const char    *uuid)
{
  g_return_if_fail (BND_IS_REVIEW_PAGE (self));

  for (guint i = 0; i < self->dossier_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->dossier_rows, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "uuid"), uuid) == 0)
        {
          gtk_list_box_select_row (GTK_LIST_BOX (self->sidebar), GTK_LIST_BOX_ROW (row));
          return;
        }
    }
  /* A task or link to a dossier the sidebar is still being read for */
  if (self->loading)
    {
      g_free (self->show_when_loaded);
      self->show_when_loaded = g_strdup (uuid);
    }
}

/* "tasks", "portfolio" or "sessions" */
void
bnd_review_page_show_section (BndReviewPage *self,
                              const char    *section)
{
  g_return_if_fail (BND_IS_REVIEW_PAGE (self));

  gtk_list_box_select_row (GTK_LIST_BOX (self->sidebar),
                           GTK_LIST_BOX_ROW (g_strcmp0 (section, "portfolio") == 0 ? self->portfolio_row
                                             : g_strcmp0 (section, "sessions") == 0 ? self->sessions_row
                                             : self->tasks_row));
}

void
bnd_review_page_set_context (BndReviewPage  *self,
                             BndStore       *store,
                             BndStrategy    *strategy,
                             BndSyncManager *sync)
{
  g_return_if_fail (BND_IS_REVIEW_PAGE (self));

  g_set_object (&self->store, store);
  g_set_object (&self->strategy, strategy);
  if (self->sync != sync && sync != NULL)
    /* Signing in or out changes what My tasks says before any sync has run. */
    g_signal_connect_object (sync, "notify::status-text", G_CALLBACK (on_sync_status_cb), self, G_CONNECT_SWAPPED);
  g_set_object (&self->sync, sync);
  bnd_dossier_page_set_context (self->dossier_page, store, strategy, sync);
  bnd_review_page_reload (self);
}

static void
bnd_review_page_dispose (GObject *object)
{
  BndReviewPage *self = (BndReviewPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->paned, gtk_widget_unparent);
  g_clear_object (&self->store);
  g_clear_pointer (&self->data, bnd_review_data_free);
  g_clear_pointer (&self->show_when_loaded, g_free);
  g_clear_object (&self->strategy);
  g_clear_object (&self->sync);
  g_clear_pointer (&self->dossier_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (bnd_review_page_parent_class)->dispose (object);
}

static void
bnd_review_page_class_init (BndReviewPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = bnd_review_page_dispose;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
bnd_review_page_init (BndReviewPage *self)
{
  GtkWidget *scroller = gtk_scrolled_window_new ();

  self->cancellable = g_cancellable_new ();
  self->signed_in = -1;
  self->dossier_rows = g_ptr_array_new ();
  self->paned = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->paned), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Dossiers and the chosen one"), -1);
  gtk_widget_set_parent (self->paned, GTK_WIDGET (self));

  self->sidebar = gtk_list_box_new ();
  gtk_widget_add_css_class (self->sidebar, "navigation-sidebar");
  gtk_list_box_set_header_func (GTK_LIST_BOX (self->sidebar), header_func, NULL, NULL);
  g_signal_connect_swapped (self->sidebar, "row-selected", G_CALLBACK (on_row_selected_cb), self);
  g_signal_connect_swapped (self->sidebar, "row-activated", G_CALLBACK (on_row_activated_cb), self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sidebar), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Dossiers"), -1);

  self->tasks_count = gtk_label_new ("0");
  gtk_widget_add_css_class (self->tasks_count, "task-count");
  gtk_widget_set_valign (self->tasks_count, GTK_ALIGN_CENTER);
  self->tasks_row = sidebar_row_new ("checkbox-checked-symbolic", _("My Tasks"), NULL, self->tasks_count);
  gtk_list_box_append (GTK_LIST_BOX (self->sidebar), self->tasks_row);
  self->portfolio_row = sidebar_row_new ("view-grid-symbolic", _("Portfolio"), NULL, NULL);
  gtk_list_box_append (GTK_LIST_BOX (self->sidebar), self->portfolio_row);
  self->sessions_row = sidebar_row_new ("x-office-calendar-symbolic", _("Lenkungskreis Sessions"), NULL, NULL);
  gtk_widget_set_visible (self->sessions_row, FALSE);
  gtk_list_box_append (GTK_LIST_BOX (self->sidebar), self->sessions_row);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), self->sidebar);
  gtk_widget_set_size_request (scroller, 240, -1);
  gtk_paned_set_start_child (GTK_PANED (self->paned), scroller);
  gtk_paned_set_resize_start_child (GTK_PANED (self->paned), FALSE);
  gtk_paned_set_shrink_start_child (GTK_PANED (self->paned), FALSE);
  gtk_paned_set_position (GTK_PANED (self->paned), 260);

  self->content = gtk_stack_new ();
  gtk_stack_set_transition_type (GTK_STACK (self->content), GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  self->tasks_page = BND_TASKS_PAGE (bnd_tasks_page_new ());
  self->portfolio_page = BND_PORTFOLIO_PAGE (bnd_portfolio_page_new ());
  self->dossier_page = BND_DOSSIER_PAGE (bnd_dossier_page_new ());
  self->sessions_page = BND_SESSIONS_PAGE (bnd_sessions_page_new ());
  gtk_stack_add_named (GTK_STACK (self->content), GTK_WIDGET (self->tasks_page), "tasks");
  gtk_stack_add_named (GTK_STACK (self->content), GTK_WIDGET (self->portfolio_page), "portfolio");
  gtk_stack_add_named (GTK_STACK (self->content), GTK_WIDGET (self->dossier_page), "dossier");
  gtk_stack_add_named (GTK_STACK (self->content), GTK_WIDGET (self->sessions_page), "sessions");
  gtk_paned_set_end_child (GTK_PANED (self->paned), self->content);
  gtk_paned_set_shrink_end_child (GTK_PANED (self->paned), FALSE);
}

/**
 * bnd_review_page_get_help_page:
 *
 * Returns: the id of the help page about what the view shows now: the portfolio, the
 *   Lenkungskreis sessions, or the dossiers and tasks
 */
const char *
bnd_review_page_get_help_page (BndReviewPage *self)
{
  const char *shown;

  g_return_val_if_fail (BND_IS_REVIEW_PAGE (self), NULL);

  shown = gtk_stack_get_visible_child_name (GTK_STACK (self->content));
  if (g_strcmp0 (shown, "portfolio") == 0)
    return "portfolio";
  if (g_strcmp0 (shown, "sessions") == 0)
    return "sessions";
  return "dossiers";
}
