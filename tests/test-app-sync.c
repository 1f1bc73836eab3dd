/* test-app-sync.c: the window's sync against a real buendnis-server that goes away and comes back
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "bnd-resources.h"
#include "bnd-sync.h"
#include "bnd-test-server.h"
#include "bnd-window.h"

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
  BndTestServer server = { 0 };

  g_assert_nonnull (server_path);
  server.data = g_dir_make_tmp ("bnd-server-XXXXXX", NULL);
  bnd_test_server_admin (NULL, "init", "--data", server.data, NULL);
  bnd_test_server_add_user (server.data, "uta", "lk-uelzen", "carrier");
  bnd_test_server_serve (&server, 0);
  url = g_strdup_printf ("http://127.0.0.1:%u", server.port);
  token = bnd_sync_login (url, "uta", BND_TEST_PASSWORD, &error);
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
  bnd_test_server_stop (&server);
  sketch = bnd_sketch_new ();
  bnd_sketch_set_title (sketch, "Offline geschrieben");
  bnd_store_save (store, sketch, &error);
  g_assert_no_error (error);
  bnd_sync_manager_sync_now (sync);
  g_assert_true (wait_for_status (sync, BND_SYNC_OFFLINE, 20));
  g_assert_cmpstr (bnd_sync_manager_get_status_text (sync), ==, "Offline");
  waiting = bnd_store_list_unsynced (store, BND_UNSYNCED_TO_PUSH, &error);
  g_assert_cmpuint (waiting->len, ==, 1);

  /* It comes back at the same address: the app syncs by itself and says so */
  bnd_test_server_serve (&server, server.port);
  g_assert_true (wait_for_status (sync, BND_SYNC_SYNCED, 30));
  g_clear_pointer (&waiting, g_ptr_array_unref);
  waiting = bnd_store_list_unsynced (store, BND_UNSYNCED_TO_PUSH, &error);
  g_assert_cmpuint (waiting->len, ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  bnd_test_server_stop (&server);
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
