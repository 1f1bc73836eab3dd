/* bnd-cli-refused.c: the sketches whose edits the server refused, and the way out
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-cli-refused"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "bnd-refusal.h"

#include "bnd-cli-refused.h"

/* A sketch the server refused does not stop a sync (bnd_sync_run() goes on with the others);
 * its edits stay in the profile until the user takes the server's version or keeps theirs as a
 * new draft. "sync" names them every time, "refused" lists them, "resolve-refused" decides. */

/**
 * bnd_cli_print_refused:
 * @out: stdout or stderr
 *
 * One line per sketch the server refused: its short id, its title and the server's reason.
 *
 * Returns: how many there are
 */
guint
bnd_cli_print_refused (BndCli *cli,
                       FILE   *out)
{
  g_autoptr(GPtrArray) uuids = bnd_store_list_unsynced (cli->store, BND_UNSYNCED_REFUSED, NULL);

  for (guint i = 0; uuids && i < uuids->len; i++)
    {
      const char *uuid = g_ptr_array_index (uuids, i);
      g_autoptr(BndSyncState) state = bnd_store_get_sync_state (cli->store, uuid, NULL);
      g_autoptr(BndSketch) sketch = bnd_store_load (cli->store, uuid, NULL, NULL);
      g_autofree char *reason = NULL;

      if (state == NULL || state->refused == NULL)
        continue;
      reason = bnd_refusal_describe (state->refused);
      fprintf (out, "  %.8s  %s: %s\n", uuid, bnd_cli_safe (sketch ? bnd_sketch_get_title (sketch) : ""),
               bnd_cli_safe (reason));
    }
  return uuids ? uuids->len : 0;
}

int
bnd_cli_cmd_refused (BndCli *cli,
                     int     argc,
                     char  **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("refused", "", _("List the sketches whose edits the server refused, with its reasons."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return bnd_cli_bad_input (_("refused takes no arguments"));
  if (!bnd_cli_open_store (cli, &error))
    return bnd_cli_failed (error);
  bnd_cli_print_refused (cli, stdout);
  return EXIT_OK;
}

int
bnd_cli_cmd_resolve_refused (BndCli *cli,
                             int     argc,
                             char  **argv)
{
  gboolean take_server = FALSE;
  gboolean keep_as_draft = FALSE;
  GOptionEntry entries[] = {
    { "take-server", 0, 0, G_OPTION_ARG_NONE, &take_server,
      N_("Take the server’s version; your edits stay in the sketch’s history"), NULL },
    { "keep-as-draft", 0, 0, G_OPTION_ARG_NONE, &keep_as_draft,
      N_("Keep your version as a new draft with a new id, sent with the next sync"), NULL },
    { NULL }
  };
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *draft = NULL;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("resolve-refused", "ID --take-server|--keep-as-draft",
                              _("Decide what becomes of a sketch whose edits the server refused."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 2 || take_server == keep_as_draft)
    return bnd_cli_bad_input (_("resolve-refused needs a sketch id and either --take-server or --keep-as-draft"));
  if (!(sketch = bnd_cli_load_sketch (cli, argv[1], &status)))
    return status;

  if (take_server ? !bnd_refusal_take_server (cli->store, bnd_sketch_get_uuid (sketch), &error)
                  : !(draft = bnd_refusal_keep_as_draft (cli->store, bnd_sketch_get_uuid (sketch), &error)))
    return error->domain == BND_REFUSAL_ERROR ? bnd_cli_bad_input ("%s", error->message) : bnd_cli_failed (error);

  /* The new draft's id, as "new" and "import" print theirs */
  if (draft != NULL)
    g_print ("%s\n", draft);
  return EXIT_OK;
}
