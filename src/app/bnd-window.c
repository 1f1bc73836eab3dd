/* bnd-window.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bnd-fields-page.h"
#include "bnd-goals-page.h"
#include "bnd-procedure-page.h"
#include "bnd-region-page.h"
#include "bnd-conflicts-dialog.h"
#include "bnd-preferences-window.h"
#include "bnd-review-page.h"
#include "bnd-sketches-page.h"
#include "bnd-startup-profile.h"
#include "bnd-tasks.h"
#include "bnd-sync-manager.h"
#include "bnd-strategy-search.h"
#include "bnd-window.h"
#include "bnd-window-views.h"

#define MAX_SEARCH_HITS 100

struct _BndWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkToggleButton      *search_button;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkStack             *main_stack;
  AdwViewStack         *view_stack;
  GtkStack             *search_stack;
  GtkListBox           *search_results;
  GtkLabel             *search_count_label;
  AdwStatusPage        *error_page;

  /* The views built so far (each inside its AdwBin in view_stack), NULL until first shown */
  GtkWidget            *views[BND_N_VIEWS];

  /* Owned */
  GSettings            *settings;
  BndStrategy          *strategy;
  BndStrategy          *next_strategy;    /* the server's pack, waiting for the editor to close */
  BndStore             *store;
  BndSyncManager       *sync;
  GtkButton            *sync_button;
  guint                 reminder_source;
  gulong                after_paint_handler;  /* until the first frame after mapping */
  gboolean              started;          /* the sync and reminders, after the first frame */
  AdwToast             *toast;            /* the plain toast on screen or queued, or NULL */
  gint64                toast_added;      /* monotonic µs: when the last toast was added */
};

/* libadwaita 1.2.2 can crash when a toast is dismissed while it still slides in (300 ms, 500 ms
 * when it replaces another). So the window never has two plain toasts: a message while one is
 * up goes into it, updated in place; and Esc, which dismisses the toast on screen, waits until
 * the slide is over. Nothing else in the app dismisses a toast. */
#define TOAST_SLIDE_US (600 * G_TIME_SPAN_MILLISECOND)

/* Deadlines come closer offline too: the reminders are looked at hourly as well. */
#define REMINDER_INTERVAL_S (60 * 60)

G_DEFINE_FINAL_TYPE (BndWindow, bnd_window, ADW_TYPE_APPLICATION_WINDOW)

static const char *search_actions[] = {
  [BND_SEARCH_GOAL] = "win.show-goal",
  [BND_SEARCH_MEASURE] = "win.show-goal",
  [BND_SEARCH_TOPIC] = "win.show-topic",
  [BND_SEARCH_FIELD] = "win.show-field",
  [BND_SEARCH_FUNDING_OBJECT] = "win.show-funding-object",
  [BND_SEARCH_INDICATOR] = "win.show-indicator",
  [BND_SEARCH_STAGE] = "win.show-stage",
};

static BndViewContext
view_context (BndWindow *self)
{
  return (BndViewContext) { self->strategy, self->store, self->sync, self->settings };
}

/* The view, built now if it had not been (a view never shown has nothing to update). */
static GtkWidget *
ensure_view (BndWindow *self,
             BndView    view)
{
  if (self->views[view] == NULL)
    {
      BndViewContext context = view_context (self);
      self->views[view] = bnd_view_build (self->view_stack, view, &context);
    }
  return self->views[view];
}

#define goals_page(self) BND_GOALS_PAGE (ensure_view ((self), BND_VIEW_GOALS))
#define fields_page(self) BND_FIELDS_PAGE (ensure_view ((self), BND_VIEW_FIELDS))
#define region_page(self) BND_REGION_PAGE (ensure_view ((self), BND_VIEW_REGION))
#define procedure_page(self) BND_PROCEDURE_PAGE (ensure_view ((self), BND_VIEW_PROCEDURE))
#define sketches_page(self) BND_SKETCHES_PAGE (ensure_view ((self), BND_VIEW_SKETCHES))
#define review_page(self) BND_REVIEW_PAGE (ensure_view ((self), BND_VIEW_DOSSIERS))

static void
show_view (BndWindow  *self,
           const char *name)
{
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  adw_view_stack_set_visible_child_name (self->view_stack, name);
}

/* Without a strategy there is nothing to switch to or search. */
static void
set_views_sensitive (BndWindow *self,
                     gboolean   sensitive)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", sensitive);
  gtk_widget_set_sensitive (GTK_WIDGET (self->search_button), sensitive);
  gtk_widget_set_sensitive (GTK_WIDGET (self->switcher_title), sensitive);
  gtk_widget_set_sensitive (GTK_WIDGET (self->switcher_bar), sensitive);
}

/* The search and error pages live outside main_stack until first shown (bnd-window.ui): a page
 * in the stack is styled and realized with the window even when hidden. */
static void
show_main_page (BndWindow  *self,
                GtkWidget  *page,
                const char *name)
{
  if (gtk_widget_get_parent (page) == NULL)
    gtk_stack_add_named (self->main_stack, page, name);
  gtk_stack_set_visible_child_name (self->main_stack, name);
}

static void
update_search_results (BndWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr(GPtrArray) hits = NULL;
  g_autofree char *count = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->search_results))))
    gtk_list_box_remove (self->search_results, child);

  if (self->strategy == NULL || !gtk_search_bar_get_search_mode (self->search_bar) ||
      text[strspn (text, " \t")] == 0)
    {
      if (g_str_equal (gtk_stack_get_visible_child_name (self->main_stack), "search"))
        gtk_stack_set_visible_child_name (self->main_stack, "views");
      return;
    }

  hits = bnd_strategy_search (self->strategy, text, MAX_SEARCH_HITS);
  for (guint i = 0; i < hits->len; i++)
    {
      BndSearchHit *hit = g_ptr_array_index (hits, i);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), hit->title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), hit->detail);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), search_actions[hit->kind]);
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", hit->target);
      gtk_list_box_append (self->search_results, row);
    }

  if (hits->len == MAX_SEARCH_HITS)
    /* Translators: shown when a search finds more than can be listed */
    count = g_strdup_printf (_("The first %u results"), hits->len);
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u result", "%u results", hits->len),
                             hits->len);
  gtk_label_set_label (self->search_count_label, count);

  gtk_stack_set_visible_child_name (self->search_stack, hits->len ? "results" : "empty");
  show_main_page (self, GTK_WIDGET (self->search_stack), "search");
}

/* Callbacks */

static void
on_search_entry_search_changed_cb (BndWindow      *self,
                                   GtkSearchEntry *entry)
{
  update_search_results (self);
}

static void
on_search_entry_activate_cb (BndWindow      *self,
                             GtkSearchEntry *entry)
{
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (self->search_results, 0);

  if (first != NULL)
    g_signal_emit_by_name (first, "activate");
}

static void
on_search_entry_stop_search_cb (BndWindow      *self,
                                GtkSearchEntry *entry)
{
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

static void
on_search_results_row_activated_cb (BndWindow     *self,
                                    GtkListBoxRow *row,
                                    GtkListBox    *list)
{
  /* Rows are actionable; activation runs their action. Nothing else to do. */
}

static void
on_search_mode_changed_cb (BndWindow  *self,
                           GParamSpec *pspec,
                           GtkSearchBar *search_bar)
{
  if (gtk_search_bar_get_search_mode (search_bar))
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  update_search_results (self);
}

static void
on_view_stack_visible_child_changed_cb (BndWindow    *self,
                                        GParamSpec   *pspec,
                                        AdwViewStack *stack)
{
  const char *name = adw_view_stack_get_visible_child_name (stack);
  int view = bnd_view_from_name (name);

  if (name != NULL && self->strategy != NULL)
    {
      if (view >= 0)
        ensure_view (self, view);
      g_settings_set_string (self->settings, "last-view", name);
    }
}

static void
show_view_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  BndWindow *self = BND_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (self->strategy == NULL)
    return;

  if (adw_view_stack_get_child_by_name (self->view_stack, name) == NULL)
    {
      g_warning ("No view named “%s”", name);
      return;
    }
  show_view (self, name);
}

static void
show_goal_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  BndWindow *self = BND_WINDOW (widget);

  if (self->strategy == NULL)
    return;
  show_view (self, "goals");
  bnd_goals_page_show_goal (goals_page (self), g_variant_get_string (parameter, NULL));
}

static void
show_in_fields_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  BndWindow *self = BND_WINDOW (widget);
  BndFieldsItem kind;

  if (self->strategy == NULL)
    return;

  if (g_str_equal (action_name, "win.show-topic"))
    kind = BND_FIELDS_ITEM_TOPIC;
  else if (g_str_equal (action_name, "win.show-field"))
    kind = BND_FIELDS_ITEM_FIELD;
  else
    kind = BND_FIELDS_ITEM_FUNDING_OBJECT;

  show_view (self, "fields");
  bnd_fields_page_reveal (fields_page (self), kind, g_variant_get_string (parameter, NULL));
}

static void
show_indicator_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  BndWindow *self = BND_WINDOW (widget);

  if (self->strategy == NULL)
    return;
  show_view (self, "region");
  bnd_region_page_show_indicator (region_page (self), g_variant_get_string (parameter, NULL));
}

static void
show_stage_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  BndWindow *self = BND_WINDOW (widget);

  if (self->strategy == NULL)
    return;
  show_view (self, "procedure");
  bnd_procedure_page_reveal (procedure_page (self), g_variant_get_string (parameter, NULL));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BndWindow *self = BND_WINDOW (widget);

  if (self->strategy == NULL)
    return;
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
load_builtin_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  BndWindow *self = BND_WINDOW (widget);
  g_autoptr(BndStrategy) strategy = NULL;
  g_autoptr(GError) error = NULL;

  if ((strategy = bnd_strategy_new_default (&error)))
    {
      bnd_window_set_strategy (self, strategy);
      bnd_window_add_toast (self, _("Showing the built-in strategy"));
    }
  else
    bnd_window_show_error (self, error);
}

/* The keyboard shortcuts: built the first time they are asked for, not with every window. */
static void
show_help_overlay_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (widget);
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (window);

  if (overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_PATH "/ui/help-overlay.ui");

      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_application_window_set_help_overlay (window, overlay);
    }
  gtk_window_present (GTK_WINDOW (overlay));
}

static void
preferences_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  BndWindow *self = BND_WINDOW (widget);

  if (self->sync != NULL)
    gtk_window_present (GTK_WINDOW (bnd_preferences_window_new (GTK_WINDOW (self), self->sync)));
}

/* The header's sync button: sign in, decide conflicts, open a sketch the server refused, or sync
 * now, whichever is due. */
static void
refused_listed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(BndWindow) self = user_data;
  g_autoptr(GPtrArray) refused = bnd_store_list_unsynced_finish (BND_STORE (object), result, NULL);

  /* The window went away while the worker looked */
  if (self->store == NULL || self->sync == NULL)
    return;
  if (refused != NULL && refused->len > 0)
    {
      show_view (self, "sketches");
      bnd_sketches_page_open (sketches_page (self), g_ptr_array_index (refused, 0));
    }
  else
    bnd_sync_manager_sync_now (self->sync);
}

static void
sync_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BndWindow *self = BND_WINDOW (widget);

  if (self->sync == NULL)
    return;
  switch (bnd_sync_manager_get_status (self->sync))
    {
    case BND_SYNC_SIGNED_OUT:
      preferences_action (widget, NULL, NULL);
      break;
    case BND_SYNC_CONFLICTS:
      /* The editor lets go first, so that a decision is not overwritten by its next save. */
      if (self->views[BND_VIEW_SKETCHES])
        bnd_sketches_page_close_editor (sketches_page (self));
      {
        BndConflictsDialog *dialog = bnd_conflicts_dialog_new (GTK_WINDOW (self), self->store, self->strategy);

        /* Decisions are edits: they go out with a sync once the dialog closes. */
        g_signal_connect_object (dialog, "close-request", G_CALLBACK (bnd_sync_manager_sync_soon), self->sync,
                                 G_CONNECT_SWAPPED);
        gtk_window_present (GTK_WINDOW (dialog));
      }
      break;
    case BND_SYNC_REFUSED:
      /* The sketch the server refused says why, and offers the way out (refused_listed_cb()). */
      bnd_store_list_unsynced_async (self->store, BND_UNSYNCED_REFUSED, NULL, refused_listed_cb, g_object_ref (self));
      break;
    case BND_SYNC_SYNCING:
    case BND_SYNC_SYNCED:
    case BND_SYNC_WAITING:
    case BND_SYNC_OFFLINE:
    case BND_SYNC_FAILED:
    default:
      bnd_sync_manager_sync_now (self->sync);
      break;
    }
}

/* New requests once, and each deadline 3 days and 1 day before, as desktop notifications. */
/* What the store's worker found due (take_reminders_job()), already marked as reminded, and the
 * application that sends them: held until then, so that nothing marked goes unsent. */
typedef struct
{
  GApplication *application;
  GPtrArray    *tasks;   /* BndTask */
  GPtrArray    *due;     /* borrowed from tasks */
  gint64        now;
} Reminders;

static void
reminders_free (Reminders *reminders)
{
  g_clear_pointer (&reminders->due, g_ptr_array_unref);
  g_clear_pointer (&reminders->tasks, g_ptr_array_unref);
  g_application_release (reminders->application);
  g_object_unref (reminders->application);
  g_free (reminders);
}

/* On the store's worker: one job, so that what is marked as reminded is what was found */
static gpointer
take_reminders_job (BndStore  *store,
                    gpointer   data,
                    GError   **error)
{
  Reminders *reminders = data;

  if (!(reminders->tasks = bnd_tasks_collect (store, error)))
    return NULL;
  reminders->due = bnd_tasks_take_reminders (store, reminders->tasks, reminders->now);
  return GINT_TO_POINTER (TRUE);
}

static void
reminders_taken_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Reminders *reminders = user_data;
  g_autoptr(GError) error = NULL;

  if (!bnd_store_call_finish (BND_STORE (source), result, &error))
    {
      g_debug ("No reminders: %s", error ? error->message : "?");
      reminders_free (reminders);
      return;
    }
  for (guint i = 0; i < reminders->due->len; i++)
    {
      BndTask *task = g_ptr_array_index (reminders->due, i);
      g_autoptr(GNotification) notification = g_notification_new (task->title);
      g_autofree char *what = bnd_task_describe (task);
      g_autofree char *when = bnd_task_describe_due (task, reminders->now);
      g_autofree char *body = when ? g_strdup_printf ("%s (%s)", what, when) : g_strdup (what);
      g_autofree char *id = g_strdup_printf ("task-%d-%s", task->kind, task->dossier);

      g_notification_set_body (notification, body);
      g_notification_set_default_action_and_target (notification, "app.show-dossier", "s", task->dossier);
      if (task->deadline != 0)
        g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
      g_application_send_notification (reminders->application, id, notification);
    }
  reminders_free (reminders);
}

/* The tasks due now, as notifications: found on the store's worker, the window never waits.
 * What is found is marked as reminded: only with an application to send it through. */
static void
send_reminders (BndWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  Reminders *reminders;

  if (self->store == NULL || application == NULL)
    return;
  reminders = g_new0 (Reminders, 1);
  reminders->application = g_object_ref (G_APPLICATION (application));
  g_application_hold (reminders->application);
  reminders->now = g_get_real_time () / G_USEC_PER_SEC;
  /* The job fills @reminders, which the callback then owns */
  bnd_store_call_async (self->store, take_reminders_job, reminders, NULL, NULL, NULL, reminders_taken_cb,
                        reminders);
}

static gboolean
reminder_cb (gpointer user_data)
{
  send_reminders (user_data);
  return G_SOURCE_CONTINUE;
}

/* What the first frame does not show waits until it is painted: the reminders (a store query and
 * notifications over D-Bus), then the sync (the token from the keyring, the network monitor, the
 * first sync). The reminders still come from what the profile knows before any sync: a deadline
 * may be near while offline. */
static void
start_background (BndWindow *self)
{
  gint64 begin;

  if (self->started || self->strategy == NULL)
    return;
  self->started = TRUE;

  begin = bnd_startup_profile_begin ();
  send_reminders (self);
  if (self->reminder_source == 0)
    self->reminder_source = g_timeout_add_seconds (REMINDER_INTERVAL_S, reminder_cb, self);
  bnd_startup_profile_end ("reminders", begin);

  if (self->sync != NULL)
    {
      begin = bnd_startup_profile_begin ();
      bnd_sync_manager_start (self->sync);
      bnd_startup_profile_end ("sync start: keyring, network", begin);
    }
}

static void
on_frame_clock_after_paint_cb (GdkFrameClock *clock,
                               BndWindow     *self)
{
  g_clear_signal_handler (&self->after_paint_handler, clock);
  start_background (self);
}

static void
schedule_start (BndWindow *self)
{
  if (self->started || self->strategy == NULL || self->after_paint_handler != 0 ||
      !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  self->after_paint_handler = g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "after-paint",
                                                G_CALLBACK (on_frame_clock_after_paint_cb), self);
}

static void
show_dossier_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  BndWindow *self = BND_WINDOW (widget);

  show_view (self, "dossiers");
  bnd_review_page_show_dossier (review_page (self), g_variant_get_string (parameter, NULL));
}

/* A sketch in the editor: the carrier revises one the first assessment sent back. */
static void
open_sketch_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  BndWindow *self = BND_WINDOW (widget);

  show_view (self, "sketches");
  bnd_sketches_page_open (sketches_page (self), g_variant_get_string (parameter, NULL));
}

static void
on_toast_dismissed_cb (BndWindow *self,
                       AdwToast  *toast)
{
  if (self->toast == toast)
    g_clear_object (&self->toast);
}

/* Esc dismisses the toast on screen (AdwToastOverlay's binding): not while it slides in. */
static gboolean
on_overlay_key_pressed_cb (BndWindow       *self,
                           guint            keyval,
                           guint            keycode,
                           GdkModifierType  state)
{
  return keyval == GDK_KEY_Escape && g_get_monotonic_time () - self->toast_added < TOAST_SLIDE_US &&
         !gtk_search_bar_get_search_mode (self->search_bar);
}

static void
toast_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  bnd_window_add_toast (BND_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void take_next_strategy (BndWindow *self);

static void
on_synced_cb (BndWindow      *self,
              BndSyncManager *sync)
{
  const char *failure = bnd_sync_manager_get_failure (sync);

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_button), failure ? failure : _("Sync with the Server"));
  /* A view not built yet lists what the store has when it is. */
  if (self->views[BND_VIEW_SKETCHES] && !bnd_sketches_page_is_editing (sketches_page (self)))
    bnd_sketches_page_reload (sketches_page (self));
  if (self->views[BND_VIEW_DOSSIERS])
    bnd_review_page_reload (review_page (self));
  send_reminders (self);
  take_next_strategy (self);
}

/* The server's alliance drafts against a pack of its own: every view follows it, since the
 * server checks each sketch against that pack. Not under the hands of someone writing, though:
 * the views would close the editor; the pack waits until it is closed (the next sync looks). */
static void
take_next_strategy (BndWindow *self)
{
  g_autoptr(BndStrategy) strategy = NULL;
  g_autofree char *message = NULL;

  if (self->next_strategy == NULL ||
      (self->views[BND_VIEW_SKETCHES] && bnd_sketches_page_is_editing (sketches_page (self))))
    return;
  strategy = g_steal_pointer (&self->next_strategy);
  bnd_window_set_strategy (self, strategy);
  message = g_strdup_printf (_("Drafting against the strategy of %s, as the server asks"),
                             bnd_strategy_get_alliance (strategy)->name);
  bnd_window_add_toast (self, message);
}

static void
on_strategy_changed_cb (BndWindow      *self,
                        BndStrategy    *strategy,
                        BndSyncManager *sync)
{
  g_set_object (&self->next_strategy, strategy);
  take_next_strategy (self);
}

/* Ctrl+N and Ctrl+O work from every view: they lead to the Sketches view. */
static void
sketch_file_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  BndWindow *self = BND_WINDOW (widget);

  if (self->strategy == NULL)
    return;
  show_view (self, "sketches");
  gtk_widget_activate_action (GTK_WIDGET (sketches_page (self)),
                              g_str_equal (action_name, "win.new-sketch") ? "sketches.new" : "sketches.import",
                              NULL);
}

/* "Insert into sketch" in the Region view: the figure goes into the open sketch with its citation. */
static void
insert_indicator_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  BndWindow *self = BND_WINDOW (widget);
  const BndIndicator *indicator;
  g_autofree char *section = NULL;
  g_autofree char *message = NULL;

  if (self->strategy == NULL ||
      !(indicator = bnd_strategy_find_indicator (self->strategy, g_variant_get_string (parameter, NULL))))
    return;

  /* Sketches never shown have no sketch open. */
  if (!self->views[BND_VIEW_SKETCHES] ||
      !bnd_sketch_editor_insert_citation (bnd_sketches_page_get_editor (sketches_page (self)), indicator, &section))
    {
      bnd_window_add_toast (self, _("Open a sketch first: the figure goes into the section you last wrote in"));
      return;
    }

  /* Translators: %s is a section of the sketch */
  message = g_strdup_printf (_("Inserted into „%s“ with its source"), section ? section : "");
  bnd_window_add_toast (self, message);
}

static gboolean
bnd_window_close_request (GtkWindow *window)
{
  BndWindow *self = BND_WINDOW (window);
  int width, height;

  /* Whatever is being typed is saved before the window goes. */
  if (self->views[BND_VIEW_SKETCHES])
    bnd_sketches_page_close_editor (sketches_page (self));

  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (!gtk_window_is_maximized (window))
    {
      g_settings_set_int (self->settings, "window-width", MAX (width, 360));
      g_settings_set_int (self->settings, "window-height", MAX (height, 294));
    }
  g_settings_apply (self->settings);

  return GTK_WINDOW_CLASS (bnd_window_parent_class)->close_request (window);
}

static void
bnd_window_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (bnd_window_parent_class)->map (widget);
  schedule_start (BND_WINDOW (widget));
}

static void
bnd_window_unrealize (GtkWidget *widget)
{
  BndWindow *self = BND_WINDOW (widget);

  g_clear_signal_handler (&self->after_paint_handler, gtk_widget_get_frame_clock (widget));
  GTK_WIDGET_CLASS (bnd_window_parent_class)->unrealize (widget);
}

static void
bnd_window_dispose (GObject *object)
{
  BndWindow *self = (BndWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), BND_TYPE_WINDOW);
  /* They went with the view stack */
  memset (self->views, 0, sizeof self->views);
  g_clear_object (&self->strategy);
  g_clear_object (&self->next_strategy);
  g_clear_object (&self->sync);
  g_clear_handle_id (&self->reminder_source, g_source_remove);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->toast);

  G_OBJECT_CLASS (bnd_window_parent_class)->dispose (object);
}

static void
bnd_window_class_init (BndWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = bnd_window_dispose;
  widget_class->map = bnd_window_map;
  widget_class->unrealize = bnd_window_unrealize;
  window_class->close_request = bnd_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/bnd-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BndWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BndWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, BndWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, BndWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, BndWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, BndWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BndWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, BndWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, BndWindow, search_stack);
  gtk_widget_class_bind_template_child (widget_class, BndWindow, search_results);
  gtk_widget_class_bind_template_child (widget_class, BndWindow, search_count_label);
  gtk_widget_class_bind_template_child (widget_class, BndWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, BndWindow, sync_button);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_entry_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_results_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_view_stack_visible_child_changed_cb);

  gtk_widget_class_install_action (widget_class, "win.show-view", "s", show_view_action);
  gtk_widget_class_install_action (widget_class, "win.show-goal", "s", show_goal_action);
  gtk_widget_class_install_action (widget_class, "win.show-topic", "s", show_in_fields_action);
  gtk_widget_class_install_action (widget_class, "win.show-field", "s", show_in_fields_action);
  gtk_widget_class_install_action (widget_class, "win.show-funding-object", "s", show_in_fields_action);
  gtk_widget_class_install_action (widget_class, "win.show-indicator", "s", show_indicator_action);
  gtk_widget_class_install_action (widget_class, "win.show-stage", "s", show_stage_action);
  gtk_widget_class_install_action (widget_class, "win.show-dossier", "s", show_dossier_action);
  gtk_widget_class_install_action (widget_class, "win.open-sketch", "s", open_sketch_action);
  gtk_widget_class_install_action (widget_class, "win.toast", "s", toast_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.load-builtin", NULL, load_builtin_action);
  gtk_widget_class_install_action (widget_class, "win.insert-indicator", "s", insert_indicator_action);
  gtk_widget_class_install_action (widget_class, "win.new-sketch", NULL, sketch_file_action);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_action);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, show_help_overlay_action);
  gtk_widget_class_install_action (widget_class, "win.sync", NULL, sync_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, GDK_CONTROL_MASK, "win.preferences", NULL);
  gtk_widget_class_install_action (widget_class, "win.import-sketch", NULL, sketch_file_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-sketch", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.import-sketch", NULL);

  for (guint i = 0; i < BND_N_VIEWS; i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                         "win.show-view", "s", bnd_view_get_name (i));
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
}

static void
bnd_window_init (BndWindow *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();
  gint64 begin = bnd_startup_profile_begin ();

  gtk_widget_init_template (GTK_WIDGET (self));
  bnd_startup_profile_end ("window template", begin);

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (on_overlay_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->toast_overlay), keys);

  self->settings = g_settings_new (APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  if (g_str_equal (PROFILE, "development"))
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  g_object_bind_property (self->search_button, "active",
                          self->search_bar, "search-mode-enabled",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->search_bar, "notify::search-mode-enabled",
                           G_CALLBACK (on_search_mode_changed_cb), self, G_CONNECT_SWAPPED);

  set_views_sensitive (self, FALSE);
}

BndWindow *
bnd_window_new (GtkApplication *application)
{
  return g_object_new (BND_TYPE_WINDOW, "application", application, NULL);
}

/**
 * bnd_window_set_strategy:
 * @self: a #BndWindow
 * @strategy: the strategy to show
 *
 * Fills every view from @strategy and shows the view the user had open last.
 */
void
bnd_window_set_strategy (BndWindow   *self,
                         BndStrategy *strategy)
{
  g_autofree char *last_view = NULL;
  BndViewContext context;
  int view;

  g_return_if_fail (BND_IS_WINDOW (self));
  g_return_if_fail (BND_IS_STRATEGY (strategy));

  g_set_object (&self->strategy, strategy);

  if (self->store != NULL && self->sync == NULL)
    {
      self->sync = bnd_sync_manager_new (self->store, strategy);
      g_object_bind_property (self->sync, "status-text", self->sync_button, "label", G_BINDING_SYNC_CREATE);
      g_signal_connect_object (self->sync, "synced", G_CALLBACK (on_synced_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->sync, "strategy-changed", G_CALLBACK (on_strategy_changed_cb), self,
                               G_CONNECT_SWAPPED);
      if (self->started)
        bnd_sync_manager_start (self->sync);
    }
  context = view_context (self);
  for (guint i = 0; i < BND_N_VIEWS; i++)
    if (self->views[i] != NULL)
      bnd_view_set_context (self->views[i], i, &context);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_button), self->sync != NULL);
  if (self->started)
    send_reminders (self);
  else
    schedule_start (self);

  /* Only the view on screen is built now: the others when they are first shown. */
  last_view = g_settings_get_string (self->settings, "last-view");
  adw_view_stack_set_visible_child_name (self->view_stack, last_view);
  view = bnd_view_from_name (adw_view_stack_get_visible_child_name (self->view_stack));
  if (view >= 0)
    ensure_view (self, view);
  gtk_stack_set_visible_child_name (self->main_stack, "views");
  set_views_sensitive (self, TRUE);
}

BndStrategy *
bnd_window_get_strategy (BndWindow *self)
{
  g_return_val_if_fail (BND_IS_WINDOW (self), NULL);
  return self->strategy;
}

/**
 * bnd_window_show_error:
 * @self: a #BndWindow
 * @error: why the strategy could not be loaded
 *
 * Shows @error in place of the views, with a way back to the built-in strategy.
 */
void
bnd_window_show_error (BndWindow    *self,
                       const GError *error)
{
  g_autofree char *description = NULL;

  g_return_if_fail (BND_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  g_clear_object (&self->strategy);
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  /* The page reads its description as markup; a parser's message may quote "<data>" */
  description = g_markup_escape_text (error->message, -1);
  adw_status_page_set_description (self->error_page, description);
  show_main_page (self, GTK_WIDGET (self->error_page), "error");
  set_views_sensitive (self, FALSE);
}

const char *
bnd_window_get_visible_view (BndWindow *self)
{
  g_return_val_if_fail (BND_IS_WINDOW (self), NULL);

  if (!g_str_equal (gtk_stack_get_visible_child_name (self->main_stack), "views"))
    return gtk_stack_get_visible_child_name (self->main_stack);
  return adw_view_stack_get_visible_child_name (self->view_stack);
}

/**
 * bnd_window_get_help_page:
 *
 * Which page of the help (help/C/PAGE.page) is about what the window shows now: the view, the
 * sketch editor when a sketch is open, the portfolio or the sessions inside the Dossiers view,
 * the search. F1 and the menu's Help open it.
 *
 * Returns: a page id, "index" when the window shows no view
 */
const char *
bnd_window_get_help_page (BndWindow *self)
{
  const char *view;

  g_return_val_if_fail (BND_IS_WINDOW (self), NULL);

  view = bnd_window_get_visible_view (self);
  if (g_strcmp0 (view, "search") == 0)
    return "search";
  if (self->strategy == NULL || !g_str_equal (gtk_stack_get_visible_child_name (self->main_stack), "views"))
    return "index";
  if (g_strcmp0 (view, "sketches") == 0)
    return bnd_sketches_page_is_editing (sketches_page (self)) ? "sketch-editor" : "sketches";
  if (g_strcmp0 (view, "dossiers") == 0)
    return bnd_review_page_get_help_page (review_page (self));
  /* The other views' names are their pages' ids */
  return view ? view : "index";
}

void
bnd_window_set_search_text (BndWindow  *self,
                            const char *text)
{
  g_return_if_fail (BND_IS_WINDOW (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  /* Search immediately rather than after the entry's typing delay. */
  update_search_results (self);
}

GtkListBox *
bnd_window_get_search_results (BndWindow *self)
{
  g_return_val_if_fail (BND_IS_WINDOW (self), NULL);
  return self->search_results;
}

/**
 * bnd_window_get_view:
 * @self: a #BndWindow
 * @name: a view's name: "overview", "goals", "fields", "region", "procedure", "sketches" or
 *   "dossiers"
 *
 * Builds the view if it has not been shown yet.
 *
 * Returns: (transfer none) (nullable): the view's page
 */
GtkWidget *
bnd_window_get_view (BndWindow  *self,
                     const char *name)
{
  int view;

  g_return_val_if_fail (BND_IS_WINDOW (self), NULL);

  view = bnd_view_from_name (name);
  return view >= 0 ? ensure_view (self, view) : NULL;
}

/**
 * bnd_window_add_toast:
 * @self: a #BndWindow
 * @message: a translated message for the user
 */
void
bnd_window_add_toast (BndWindow  *self,
                      const char *message)
{
  /* A toast's title is markup in libadwaita 1.2; messages are plain text (a server's, say). */
  g_autofree char *title = g_markup_escape_text (message, -1);

  g_return_if_fail (BND_IS_WINDOW (self));

  if (self->toast != NULL)
    {
      adw_toast_set_title (self->toast, title);
      return;
    }
  self->toast = adw_toast_new (title);
  g_signal_connect_object (self->toast, "dismissed", G_CALLBACK (on_toast_dismissed_cb), self, G_CONNECT_SWAPPED);
  self->toast_added = g_get_monotonic_time ();
  adw_toast_overlay_add_toast (self->toast_overlay, g_object_ref (self->toast));
}

/**
 * bnd_window_show_toast:
 * @self: a #BndWindow
 * @toast: (transfer full): a toast, with an undo button for example
 */
void
bnd_window_show_toast (BndWindow *self,
                       AdwToast  *toast)
{
  g_return_if_fail (BND_IS_WINDOW (self));
  /* One with a button (Undo) queues behind a plain one on screen: adding never dismisses. */
  self->toast_added = g_get_monotonic_time ();
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * bnd_window_set_store:
 * @self: a #BndWindow
 * @store: (nullable): the local store of sketches
 *
 * Call before bnd_window_set_strategy().
 */
void
bnd_window_set_store (BndWindow *self,
                      BndStore  *store)
{
  g_return_if_fail (BND_IS_WINDOW (self));
  g_set_object (&self->store, store);
  if (self->strategy != NULL && self->views[BND_VIEW_SKETCHES])
    bnd_sketches_page_set_context (sketches_page (self), store, self->strategy);
}

/**
 * bnd_window_open_file:
 * @self: a #BndWindow
 * @file: a `.bndsketch` file to import and open
 */
void
bnd_window_open_file (BndWindow *self,
                      GFile     *file)
{
  g_return_if_fail (BND_IS_WINDOW (self));

  if (self->strategy == NULL)
    return;
  show_view (self, "sketches");
  bnd_sketches_page_import_file (sketches_page (self), file);
}

/**
 * bnd_window_get_sync_manager:
 *
 * Whoever asks for the sync gets it started (see start_background()), first frame or not.
 *
 * Returns: (transfer none) (nullable): the window's sync, %NULL without a store
 */
BndSyncManager *
bnd_window_get_sync_manager (BndWindow *self)
{
  g_return_val_if_fail (BND_IS_WINDOW (self), NULL);
  start_background (self);
  return self->sync;
}
