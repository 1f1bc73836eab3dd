/* bench-minimal-window.c: the smallest libadwaita window (an AdwApplicationWindow with a header
 * bar), as the yardstick for the app's start-up time and resident memory
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>

static gint64 start_time;

/* The same phase lines as the app's (src/app/bnd-startup-profile.c), for comparing them */
static void
print_phase (const char *name,
             gint64      begin)
{
  g_print ("phase %-28s at %7.1f ms took %6.1f ms\n", name, (begin - start_time) / 1000.0,
           (g_get_monotonic_time () - begin) / 1000.0);
}

/* As BND_BENCH_FIRST_FRAME in src/app/bnd-application.c: report the first painted frame, then
 * close the window at once, or BND_BENCH_LINGER_MS later (for the resident memory). */
static gboolean
close_cb (gpointer window)
{
  gtk_window_close (window);
  return G_SOURCE_REMOVE;
}

static void
on_first_frame_cb (GdkFrameClock *clock,
                   GtkWindow     *window)
{
  const char *linger = g_getenv ("BND_BENCH_LINGER_MS");

  g_print ("first frame after %.1f ms\n", (g_get_monotonic_time () - start_time) / 1000.0);
  g_signal_handlers_disconnect_by_func (clock, on_first_frame_cb, window);
  g_timeout_add (linger ? (guint)g_ascii_strtoull (linger, NULL, 10) : 0, close_cb, window);
}

static void
on_window_map_cb (GtkWidget *window)
{
  print_phase ("window mapped", g_get_monotonic_time ());
}

static void
on_window_realize_cb (GtkWidget *window)
{
  print_phase ("window realized", g_get_monotonic_time ());
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (on_first_frame_cb), window);
}

static void
on_activate_cb (GtkApplication *app)
{
  gint64 begin = g_get_monotonic_time ();
  GtkWidget *window;
  GtkWidget *box;

  print_phase ("gtk and adwaita start-up", start_time);
  window = adw_application_window_new (app);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_window_set_title (GTK_WINDOW (window), "Minimal");
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);  /* the app's default size */
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  g_signal_connect (window, "realize", G_CALLBACK (on_window_realize_cb), NULL);
  g_signal_connect (window, "map", G_CALLBACK (on_window_map_cb), NULL);
  print_phase ("window", begin);
  begin = g_get_monotonic_time ();
  gtk_window_present (GTK_WINDOW (window));
  print_phase ("present", begin);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;

  start_time = g_get_monotonic_time ();
  app = adw_application_new ("org.example.BenchMinimalWindow", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
