/* test-app-sync.c: the window's sync against a real buendnis-server that goes away and comes back
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/wait.h>
#include <string.h>

#include "bnd-resources.h"
#include "bnd-sync.h"
#include "bnd-window.h"

#define PASSWORD "geheim-12345"

typedef struct
{
  char  *data;
  GPid   pid;
  guint  port;
} Server;

static void
admin (const char *server,
       const char *input,
       ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  va_list ap;

  g_ptr_array_add (args, (gpointer)server);
  va_start (ap, input);
  for (const char *arg = va_arg (ap, const char *); arg; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer)arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  process = g_subprocess_newv ((const char * const *)args->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));
}

/* Starts the server on @port (0: any) and returns the port it got. */
static void
serve (Server *server,
       guint   port)
{
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", port);
  const char *argv[] = { g_getenv ("BUENDNIS_SERVER"), "serve", "--data", server->data, "--listen", listen, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) channel = NULL;
  g_autofree char *line = NULL;
  int out;

  g_spawn_async_with_pipes (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &server->pid, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  channel = g_io_channel_unix_new (out);
  g_io_channel_set_close_on_unref (channel, TRUE);
  g_io_channel_read_line (channel, &line, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  server->port = g_ascii_strtoull (strrchr (line, ' ') + 1, NULL, 10);
  g_assert_cmpuint (server->port, >, 0);
}

static void
stop (Server *server)
{
  kill (server->pid, SIGTERM);
  waitpid (server->pid, NULL, 0);
  g_spawn_close_pid (server->pid);
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
wait_for_status (BndSyncManager *sync,
                 BndSyncStatus   status,
                 guint           seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, timeout_cb, &timed_out);

  while (bnd_sync_manager_get_status (sync) != status && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return !timed_out;
}

static void
test_offline_and_back (void)
{
  const char *server_path = g_getenv ("BUENDNIS_SERVER");
  g_autoptr(GError) error = NULL;
  g_autoptr(BndStrategy) strategy = bnd_strategy_new_default (&error);
  g_autofree char *profile = g_dir_make_tmp ("bnd-app-sync-XXXXXX", NULL);
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autoptr(BndStore) store = NULL;
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GPtrArray) waiting = NULL;
  g_autofree char *command = NULL;
  BndWindow *window;
  BndSyncManager *sync;
  Server server = { 0 };

  g_assert_nonnull (server_path);
  server.data = g_dir_make_tmp ("bnd-server-XXXXXX", NULL);
  admin (server_path, NULL, "init", "--data", server.data, NULL);
  admin (server_path, NULL, "add-user", "--data", server.data, "--org", "lk-uelzen", "--role", "carrier", "uta", NULL);
  admin (server_path, PASSWORD "\n", "set-password", "--data", server.data, "uta", NULL);
  serve (&server, 0);
  url = g_strdup_printf ("http://127.0.0.1:%u", server.port);
  token = bnd_sync_login (url, "uta", PASSWORD, &error);
  g_assert_no_error (error);

  store = bnd_store_new (profile, &error);
  g_assert_no_error (error);
  window = g_object_ref_sink (bnd_window_new (NULL));
  bnd_window_set_store (window, store);
  bnd_window_set_strategy (window, strategy);
  gtk_window_present (GTK_WINDOW (window));
  sync = bnd_window_get_sync_manager (window);
  g_assert_nonnull (sync);

  /* Signed in: the header says synced */
  bnd_sync_manager_set_credentials (sync, url, "uta", token);
  bnd_sync_manager_sync_now (sync);
  g_assert_true (wait_for_status (sync, BND_SYNC_SYNCED, 20));
  g_assert_cmpstr (bnd_sync_manager_get_status_text (sync), ==, "Synced");

  /* The server goes away; an edit is kept and queued */
  stop (&server);
  sketch = bnd_sketch_new ();
  bnd_sketch_set_title (sketch, "Offline geschrieben");
  bnd_store_save (store, sketch, &error);
  g_assert_no_error (error);
  bnd_sync_manager_sync_now (sync);
  g_assert_true (wait_for_status (sync, BND_SYNC_OFFLINE, 20));
  g_assert_cmpstr (bnd_sync_manager_get_status_text (sync), ==, "Offline");
  waiting = bnd_store_list_unsynced (store, FALSE, &error);
  g_assert_cmpuint (waiting->len, ==, 1);

  /* It comes back at the same address: the app syncs by itself and says so */
  serve (&server, server.port);
  g_assert_true (wait_for_status (sync, BND_SYNC_SYNCED, 30));
  g_clear_pointer (&waiting, g_ptr_array_unref);
  waiting = bnd_store_list_unsynced (store, FALSE, &error);
  g_assert_cmpuint (waiting->len, ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  stop (&server);
  command = g_strdup_printf ("rm -rf '%s' '%s'", profile, server.data);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  g_free (server.data);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  bnd_register_resource ();

  g_test_add_func ("/app-sync/offline-and-back", test_offline_and_back);

  return g_test_run ();
}
