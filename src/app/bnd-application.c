/* bnd-application.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-application"

#include "config.h"

#include <glib/gi18n.h>

#include "bnd-application.h"
#include "bnd-resources.h"
#include "bnd-startup-profile.h"
#include "bnd-store.h"
#include "bnd-strategy.h"
#include "bnd-sync.h"
#include "bnd-window.h"

struct _BndApplication
{
  AdwApplication  parent_instance;

  /* From --strategy; NULL for the user's pack or the built-in one. */
  char           *strategy_path;
  /* From --profile; NULL for the user's data dir. */
  char           *profile;
  BndStore       *store;
  GError         *store_error;

  /* The first window's strategy pack, parsed on a thread of its own while GTK starts up
   * (bnd_application_startup()); joined when the first window needs it. */
  GThread        *preload_thread;
  BndStrategy    *preloaded;
  GError         *preload_error;
  gint64          preload_begin;  /* monotonic µs, for the start-up profile */
  gint64          preload_end;
};

G_DEFINE_FINAL_TYPE (BndApplication, bnd_application, ADW_TYPE_APPLICATION)

/* With BND_BENCH_FIRST_FRAME set (tests/bench/run.sh), report the first painted frame and the
 * start-up phases, and quit: at once, or BND_BENCH_LINGER_MS later, reporting the phases that ran
 * after the first frame (the keyring, the first sync) and letting the bench read the memory. */
static gboolean
on_bench_linger_over_cb (gpointer user_data)
{
  GtkWindow *window = user_data;

  bnd_startup_profile_print ();
  gtk_window_close (window);
  g_object_unref (window);
  return G_SOURCE_REMOVE;
}

static void
on_first_frame_cb (GdkFrameClock *clock,
                   GtkWindow     *window)
{
  const char *linger = g_getenv ("BND_BENCH_LINGER_MS");

  g_print ("first frame after %.1f ms\n", bnd_startup_profile_elapsed ());
  bnd_startup_profile_print ();
  g_signal_handlers_disconnect_by_func (clock, on_first_frame_cb, window);
  g_timeout_add (linger ? (guint)g_ascii_strtoull (linger, NULL, 10) : 0, on_bench_linger_over_cb,
                 g_object_ref (window));
}

static void
on_window_map_cb (GtkWidget *window)
{
  bnd_startup_profile_mark ("window mapped");
}

static void
on_window_realize_cb (GtkWidget *window)
{
  bnd_startup_profile_mark ("window realized");
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (on_first_frame_cb), window);
}

/* See bnd_sync_load_strategy() for which pack. */
static BndStrategy *
load_strategy (BndApplication  *self,
               GError         **error)
{
  g_autofree char *directory = self->profile ? g_strdup (self->profile) : bnd_store_default_directory ();

  return bnd_sync_load_strategy (self->strategy_path, directory, error);
}

/* The strategy pack is the one piece of the first window that needs neither GTK nor the main
 * loop, and parsing it is several milliseconds of work: on a thread it is done while the main
 * thread opens the display and loads the theme, instead of after them. */
static gpointer
preload_strategy_thread (gpointer data)
{
  BndApplication *self = data;

  self->preload_begin = g_get_monotonic_time ();
  self->preloaded = load_strategy (self, &self->preload_error);
  self->preload_end = g_get_monotonic_time ();
  return NULL;
}

/* The pack parsed since start-up, or (without one, or for later windows) parsed now. */
static BndStrategy *
take_strategy (BndApplication  *self,
               GError         **error)
{
  BndStrategy *strategy;

  if (self->preload_thread == NULL)
    return load_strategy (self, error);

  g_thread_join (g_steal_pointer (&self->preload_thread));
  bnd_startup_profile_add ("strategy pack (thread)", self->preload_begin, self->preload_end);
  strategy = g_steal_pointer (&self->preloaded);
  if (strategy == NULL)
    g_propagate_error (error, g_steal_pointer (&self->preload_error));
  return strategy;
}

static int
bnd_application_handle_local_options (GApplication *application,
                                      GVariantDict *options)
{
  BndApplication *self = (BndApplication *)application;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("buendnis %s\n", PACKAGE_VERSION);
      return 0;
    }

  g_variant_dict_lookup (options, "strategy", "^ay", &self->strategy_path);
  g_variant_dict_lookup (options, "profile", "^ay", &self->profile);

  /* A running instance would ignore these options: with them, this process runs on its own. */
  if (self->strategy_path != NULL || self->profile != NULL)
    g_application_set_flags (application, g_application_get_flags (application) | G_APPLICATION_NON_UNIQUE);

  return G_APPLICATION_CLASS (bnd_application_parent_class)->handle_local_options (application, options);
}

static void
bnd_application_activate (GApplication *application)
{
  BndApplication *self = (BndApplication *)application;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    {
      g_autoptr(BndStrategy) strategy = NULL;
      g_autoptr(GError) error = NULL;

      gint64 begin = bnd_startup_profile_begin ();
      window = GTK_WINDOW (bnd_window_new (GTK_APPLICATION (self)));
      bnd_startup_profile_end ("window", begin);
      bnd_window_set_store (BND_WINDOW (window), self->store);
      if (g_getenv ("BND_BENCH_FIRST_FRAME"))
        {
          g_signal_connect (window, "realize", G_CALLBACK (on_window_realize_cb), NULL);
          g_signal_connect (window, "map", G_CALLBACK (on_window_map_cb), NULL);
        }

      begin = bnd_startup_profile_begin ();
      strategy = take_strategy (self, &error);
      bnd_startup_profile_end ("strategy pack", begin);
      if (strategy)
        bnd_window_set_strategy (BND_WINDOW (window), strategy);
      else
        bnd_window_show_error (BND_WINDOW (window), error);
    }

  {
    gint64 begin = bnd_startup_profile_begin ();
    gtk_window_present (window);
    bnd_startup_profile_end ("present", begin);
  }

  if (self->store_error != NULL)
    {
      /* Translators: %s says why, e.g. "disk full" */
      g_autofree char *message = g_strdup_printf (_("Sketches cannot be saved: %s"), self->store_error->message);
      bnd_window_add_toast (BND_WINDOW (window), message);
      g_clear_error (&self->store_error);
    }
}

/* Files from the file manager: .bndsketch files are imported and opened. */
static void
bnd_application_open (GApplication  *application,
                      GFile        **files,
                      int            n_files,
                      const char    *hint)
{
  GtkWindow *window;

  bnd_application_activate (application);
  window = gtk_application_get_active_window (GTK_APPLICATION (application));
  for (int i = 0; i < n_files; i++)
    bnd_window_open_file (BND_WINDOW (window), files[i]);
}

static void
on_about_cb (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  BndApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "Bündnis developers", NULL };

  adw_show_about_window (window,
                         "application-name", _("Bündnis"),
                         "application-icon", APP_ID,
                         "developer-name", _("Bündnis developers"),
                         "version", PACKAGE_VERSION,
                         "comments", _("The workbench of a regional skilled-labour alliance: "
                                       "from the strategy to funded projects."),
                         "website", "https://www.fachkraefteallianz-non.de",
                         "developers", developers,
                         /* Translators: put your names here, one per line */
                         "translator-credits", _("translator-credits"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "copyright", "© 2026 Bündnis developers",
                         NULL);
}

static void
on_help_shown_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (object), result, &error) && BND_IS_WINDOW (object))
    {
      g_debug ("Could not open the help: %s", error->message);
      /* Translators: shown when no help viewer (Yelp) is installed */
      bnd_window_add_toast (BND_WINDOW (object), _("The help could not be opened: is the help viewer (Yelp) installed?"));
    }
}

static void
on_help_cb (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       user_data)
{
  BndApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char *page = "index";
  g_autofree char *uri = NULL;

  /* The page about what the window shows: F1 in the Portfolio opens the help on the portfolio.
   * The preferences have a page of their own; another window (a PDF preview, a dialog) belongs
   * to the view of the main window it was opened from. */
  if (ADW_IS_PREFERENCES_WINDOW (window))
    page = "preferences";
  else
    {
      while (window && !BND_IS_WINDOW (window))
        window = gtk_window_get_transient_for (window);
      if (window)
        page = bnd_window_get_help_page (BND_WINDOW (window));
      else
        window = gtk_application_get_active_window (GTK_APPLICATION (self));
    }
  uri = g_strdup_printf ("help:buendnis/%s", page);
  gtk_show_uri_full (window, uri, GDK_CURRENT_TIME, NULL, on_help_shown_cb, NULL);
}

static void
on_quit_cb (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       user_data)
{
  BndApplication *self = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Closing each window lets it save its state first. */
  for (GList *iter = windows; iter; iter = iter->next)
    gtk_window_close (iter->data);
}

/* A reminder's notification was clicked: its dossier in the window. */
static void
on_show_dossier_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  BndApplication *self = user_data;
  GtkWindow *window;

  g_application_activate (G_APPLICATION (self));
  if ((window = gtk_application_get_active_window (GTK_APPLICATION (self))))
    gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.show-dossier", parameter);
}

static const GActionEntry app_actions[] = {
  { "about", on_about_cb },
  { "help", on_help_cb },
  { "quit", on_quit_cb },
  { "show-dossier", on_show_dossier_cb, "s" },
};

static void
bnd_application_startup (GApplication *application)
{
  BndApplication *self = (BndApplication *)application;
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *help_accels[] = { "F1", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *shortcuts_accels[] = { "<Control>question", NULL };

  gint64 begin = bnd_startup_profile_begin ();

  bnd_register_resource ();
  bnd_startup_profile_end ("resources", begin);

  /* Before GTK's start-up, so that the two overlap; strategy_path is known by now
   * (handle_local_options runs first). */
  self->preload_thread = g_thread_new ("bnd-strategy", preload_strategy_thread, self);

  begin = bnd_startup_profile_begin ();
  G_APPLICATION_CLASS (bnd_application_parent_class)->startup (application);
  bnd_startup_profile_end ("gtk and adwaita start-up", begin);

  /* The store opens here, once, so every window shares it; without one the strategy views still
   * work and the sketches say why they cannot be saved. */
  {
    g_autofree char *directory = self->profile ? g_strdup (self->profile) : bnd_store_default_directory ();
    begin = bnd_startup_profile_begin ();
    self->store = bnd_store_new (directory, &self->store_error);
    bnd_startup_profile_end ("store open", begin);
  }

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.help", help_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
  /* GTK would give it these if the window's shortcuts were where it loads them with each window */
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay", shortcuts_accels);
}

/* Every job that holds the application while it runs is done by now; one queued without that
 * (a save started while the last window closed) still reaches the disk before the process goes. */
static void
bnd_application_shutdown (GApplication *application)
{
  BndApplication *self = BND_APPLICATION (application);

  if (self->store != NULL)
    bnd_store_flush (self->store);

  /* A service that never opened a window */
  if (self->preload_thread != NULL)
    g_thread_join (g_steal_pointer (&self->preload_thread));
  g_clear_object (&self->preloaded);
  g_clear_error (&self->preload_error);

  G_APPLICATION_CLASS (bnd_application_parent_class)->shutdown (application);
}

static void
bnd_application_finalize (GObject *object)
{
  BndApplication *self = (BndApplication *)object;

  g_clear_pointer (&self->strategy_path, g_free);
  g_clear_pointer (&self->profile, g_free);
  g_clear_object (&self->store);
  g_clear_error (&self->store_error);

  G_OBJECT_CLASS (bnd_application_parent_class)->finalize (object);
}

static void
bnd_application_class_init (BndApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = bnd_application_finalize;
  app_class->activate = bnd_application_activate;
  app_class->open = bnd_application_open;
  app_class->startup = bnd_application_startup;
  app_class->shutdown = bnd_application_shutdown;
  app_class->handle_local_options = bnd_application_handle_local_options;
}

static void
bnd_application_init (BndApplication *self)
{
  static const GOptionEntry options[] = {
    { "strategy", 's', 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Use the strategy pack in FILE instead of the built-in one"), N_("FILE") },
    { "profile", 'p', 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Keep sketches in DIR instead of the user's data folder"), N_("DIR") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and quit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Bündnis — the strategy of a skilled-labour alliance and its projects"));
}

BndApplication *
bnd_application_new (void)
{
  return g_object_new (BND_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_PATH,
                       NULL);
}
