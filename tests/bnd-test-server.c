/* bnd-test-server.c: a real buendnis-server on loopback, for the UI tests
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "bnd-test-server.h"

/* Runs `buendnis-server ARGS…` ($BUENDNIS_SERVER) with @input on its standard input; it must
 * succeed. */
void
bnd_test_server_admin (const char *input,
                       ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  va_list ap;

  g_ptr_array_add (args, (gpointer)g_getenv ("BUENDNIS_SERVER"));
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

void
bnd_test_server_add_user (const char *data,
                          const char *name,
                          const char *org,
                          const char *role)
{
  bnd_test_server_admin (NULL, "add-user", "--data", data, "--org", org, "--role", role, name, NULL);
  bnd_test_server_admin (BND_TEST_PASSWORD "\n", "set-password", "--data", data, name, NULL);
}

/* A test that fails aborts: the server goes with it, rather than hold the test's output open
 * until the harness times out. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* Starts the server on @port (0: any) and keeps the port it got. */
void
bnd_test_server_serve (BndTestServer *server,
                       guint          port)
{
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", port);
  const char *argv[] = { g_getenv ("BUENDNIS_SERVER"), "serve", "--data", server->data, "--listen", listen, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) channel = NULL;
  g_autofree char *line = NULL;
  int out;

  g_spawn_async_with_pipes (NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, die_with_parent, NULL, &server->pid,
                            NULL, &out, NULL, &error);
  g_assert_no_error (error);
  channel = g_io_channel_unix_new (out);
  g_io_channel_set_close_on_unref (channel, TRUE);
  g_io_channel_read_line (channel, &line, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  server->port = g_ascii_strtoull (strrchr (line, ' ') + 1, NULL, 10);
  g_assert_cmpuint (server->port, >, 0);
}

void
bnd_test_server_stop (BndTestServer *server)
{
  kill (server->pid, SIGTERM);
  waitpid (server->pid, NULL, 0);
  g_spawn_close_pid (server->pid);
  server->pid = 0;
}
