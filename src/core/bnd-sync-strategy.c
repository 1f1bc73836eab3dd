/* bnd-sync-strategy.c: the alliance's strategy pack, as its server serves it
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A server serves one alliance's pack (GET /api/v1/strategy); the server checks every sketch
 * against it, so the app and the CLI must draft against the same one. Each sync asks for it with
 * the checksum of the pack in use (the server's ETag is that checksum); a new one is checked,
 * kept beside the store as served-strategy.json and used from then on: for the rest of this sync,
 * and by the app and the CLI when they open the store (bnd_sync_strategy_path()). It has a name of
 * its own: without --profile the store's folder is the user's data folder, where strategy.json is
 * a pack the user placed, which a server must not overwrite. */

#define G_LOG_DOMAIN "bnd-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bnd-sync-private.h"

#define SERVED_FILE "served-strategy.json"
#define PLACED_FILE "strategy.json"

/**
 * bnd_sync_strategy_path:
 * @directory: a store's folder
 *
 * Returns: (transfer full): where the pack of the server the store syncs with is kept
 */
char *
bnd_sync_strategy_path (const char *directory)
{
  return g_build_filename (directory, SERVED_FILE, NULL);
}

/**
 * _bnd_sync_pull_strategy:
 * @current: the pack in use
 * @pulled: (out) (transfer full): the server's pack when it is another, else %NULL
 *
 * A server that serves no pack (one from before there were several alliances) leaves the pack
 * in use as it is.
 */
gboolean
_bnd_sync_pull_strategy (BndSyncClient  *client,
                         BndStore       *store,
                         BndStrategy    *current,
                         BndStrategy   **pulled,
                         GError        **error)
{
  g_autoptr(GHashTable) headers = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autofree char *sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bnd_strategy_get_bytes (current));
  g_autofree char *directory = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(BndStrategy) strategy = NULL;
  guint status = 0;

  *pulled = NULL;
  g_hash_table_insert (headers, (char *)"If-None-Match", g_strdup_printf ("\"%s\"", sum));
  if (!(answer = _bnd_sync_send_request (client, "GET", "/strategy", NULL, NULL, headers, &status, error)))
    return FALSE;
  if (status == SOUP_STATUS_NOT_MODIFIED || status == SOUP_STATUS_NOT_FOUND)
    return TRUE;
  if (status != SOUP_STATUS_OK)
    return _bnd_sync_refused (answer, status, error);

  /* Checked as any pack is: a broken one is reported, never drafted against. */
  if (!(strategy = bnd_strategy_new_from_bytes (answer, _("the server’s strategy pack"), &local_error)))
    {
      g_set_error (error, BND_SYNC_ERROR, BND_SYNC_ERROR_REFUSED,
                   _("The server’s strategy pack cannot be used: %s"), local_error->message);
      return FALSE;
    }
  directory = bnd_store_get_directory (store);
  path = bnd_sync_strategy_path (directory);
  if (!g_file_set_contents_full (path, g_bytes_get_data (answer, NULL), g_bytes_get_size (answer),
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;
  *pulled = g_steal_pointer (&strategy);
  return TRUE;
}

/**
 * bnd_sync_load_strategy:
 * @path: (nullable): a pack named on the command line
 * @directory: the store's folder
 *
 * The pack to draft against: the one named on the command line; else the one the store's server
 * served last (its alliance's); else one the user placed in their data folder; else the one
 * built in. A broken pack is reported, never silently replaced, so whoever placed it learns why.
 *
 * Returns: (transfer full) (nullable): the strategy
 */
BndStrategy *
bnd_sync_load_strategy (const char  *path,
                        const char  *directory,
                        GError     **error)
{
  g_autofree char *served = NULL;
  g_autofree char *placed = NULL;

  if (path != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
      return bnd_strategy_new_from_file (file, error);
    }
  served = bnd_sync_strategy_path (directory);
  if (g_file_test (served, G_FILE_TEST_EXISTS))
    return bnd_sync_read_strategy (served, error);
  placed = g_build_filename (g_get_user_data_dir (), "buendnis", PLACED_FILE, NULL);
  if (g_file_test (placed, G_FILE_TEST_EXISTS))
    return bnd_sync_read_strategy (placed, error);
  return bnd_strategy_new_default (error);
}

/**
 * bnd_sync_read_strategy:
 * @path: a pack's file
 *
 * Reads the file as it is, without GIO's VFS (whose modules start threads of their own in a
 * command-line tool's short life).
 *
 * Returns: (transfer full) (nullable): the strategy
 */
BndStrategy *
bnd_sync_read_strategy (const char  *path,
                        GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  bytes = g_bytes_new_take (contents, length);
  return bnd_strategy_new_from_bytes (bytes, path, error);
}
