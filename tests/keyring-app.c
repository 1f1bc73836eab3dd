/* keyring-app.c: the app's sync manager and the desktop keyring, driven by tests/test-keyring.py
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "bnd-keyring.h"
#include "bnd-strategy.h"
#include "bnd-sync-manager.h"

/* Usage: keyring-app PROFILE URL USER PASSWORD, on the bus of a running Secret Service, with a
 * profile signed in through buendnis-cli (its token in the keyring). Prints one line per step
 * that held ("started", "signed-out", "signed-in TOKEN") and stops at the first that did not. */

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
wait_for_status (BndSyncManager *sync,
                 BndSyncStatus   status)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (20, timeout_cb, &timed_out);

  while (bnd_sync_manager_get_status (sync) != status && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return !timed_out;
}

typedef struct
{
  gboolean  done;
  char     *token;
  GError   *error;
} Lookup;

static void
on_looked_up_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Lookup *lookup = user_data;

  lookup->token = bnd_keyring_lookup_finish (result, &lookup->error);
  lookup->done = TRUE;
}

/* Asks the keyring, as the app does at start, until it holds a token (or none, for !@present):
 * what the sync manager stored or cleared goes without a callback. */
static char *
wait_for_keyring (const char *url,
                  const char *profile,
                  gboolean    present)
{
  for (guint attempt = 0; attempt < 100; attempt++)
    {
      Lookup lookup = { FALSE, NULL, NULL };
      gboolean slept = FALSE;

      bnd_keyring_lookup (url, profile, on_looked_up_cb, &lookup);
      while (!lookup.done)
        g_main_context_iteration (NULL, TRUE);
      /* A keyring that fails is not one that holds no token */
      if (lookup.error != NULL)
        {
          g_printerr ("keyring-app: %s\n", lookup.error->message);
          g_error_free (lookup.error);
          return NULL;
        }
      if ((lookup.token != NULL) == present)
        return lookup.token ? lookup.token : g_strdup ("");
      g_free (lookup.token);
      g_timeout_add (100, timeout_cb, &slept);
      while (!slept)
        g_main_context_iteration (NULL, TRUE);
    }
  return NULL;
}

static void
on_signed_in_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  *(gboolean *)user_data = TRUE;
  if (!bnd_sync_manager_sign_in_finish (BND_SYNC_MANAGER (object), result, &error))
    g_printerr ("keyring-app: %s\n", error->message);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BndStore) store = NULL;
  g_autoptr(BndStrategy) strategy = NULL;
  g_autoptr(BndSyncManager) sync = NULL;
  g_autofree char *cleared = NULL;
  g_autofree char *stored = NULL;
  gboolean signed_in = FALSE;

  if (argc != 5)
    {
      g_printerr ("usage: keyring-app PROFILE URL USER PASSWORD\n");
      return 2;
    }
  if (!(store = bnd_store_new (argv[1], &error)) || !(strategy = bnd_strategy_new_default (&error)))
    {
      g_printerr ("keyring-app: %s\n", error->message);
      return 1;
    }

  /* As at the app's start: the profile's sign-in, the token from the keyring, a sync */
  sync = bnd_sync_manager_new (store, strategy);
  bnd_sync_manager_start (sync);
  if (!wait_for_status (sync, BND_SYNC_SYNCED))
    return 1;
  g_print ("started\n");

  bnd_sync_manager_sign_out (sync);
  if (!(cleared = wait_for_keyring (argv[2], bnd_store_get_path (store), FALSE)))
    return 1;
  g_print ("signed-out\n");

  bnd_sync_manager_sign_in_async (sync, argv[2], argv[3], argv[4], NULL, on_signed_in_cb, &signed_in);
  while (!signed_in)
    g_main_context_iteration (NULL, TRUE);
  if (!wait_for_status (sync, BND_SYNC_SYNCED) ||
      !(stored = wait_for_keyring (argv[2], bnd_store_get_path (store), TRUE)))
    return 1;
  g_print ("signed-in %s\n", stored);
  return 0;
}
