/* bnd-cli-sync.c: signing in to a server, syncing, deciding conflicts, submitting
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-cli-sync"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "bnd-keyring.h"
#include "bnd-merge.h"
#include "bnd-sync.h"
#include "bnd-sync-url.h"

#include "bnd-cli-refused.h"
#include "bnd-cli-sync.h"

int
bnd_cli_cmd_login (BndCli *cli,
                   int     argc,
                   char  **argv)
{
  g_autofree char *user = NULL;
  g_autofree char *token_file = NULL;
  GOptionEntry entries[] = {
    { "user", 'u', 0, G_OPTION_ARG_STRING, &user, N_("Your user name on the server"), N_("NAME") },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &token_file, N_("Keep the token in FILE instead of the keyring"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  char password[1024];
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("login",
                              "URL --user NAME  (the password is read from standard input)",
                              _("Sign in to a Bündnis server."), entries, &argc, &argv, &status))
    return status;
  if (argc != 2 || user == NULL)
    return bnd_cli_bad_input (_("login needs the server's URL and --user NAME"));
  /* Passwords and tokens go over HTTPS; plain HTTP only to this computer. */
  if (!bnd_sync_url_may_carry_password (argv[1]))
    return bnd_cli_bad_input (_("“%s” is not an https:// address (plain http:// only to this computer)"), argv[1]);
  if (fgets (password, sizeof password, stdin) == NULL)
    return bnd_cli_bad_input (_("no password on standard input"));
  password[strcspn (password, "\r\n")] = 0;

  token = bnd_sync_login (argv[1], user, password, &error);
  memset (password, 0, sizeof password);
  if (token == NULL)
    return bnd_cli_failed (error);
  if (!bnd_cli_open_store (cli, &error))
    return bnd_cli_failed (error);

  if (token_file != NULL)
    {
      g_autofree char *absolute = g_canonicalize_filename (token_file, NULL);

      if (!g_file_set_contents_full (absolute, token, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error) ||
          !bnd_store_set_meta (cli->store, "token_file", absolute, &error))
        return bnd_cli_failed (error);
    }
  else if (!bnd_keyring_store_sync (argv[1], bnd_store_get_path (cli->store), token, &error) ||
           !bnd_store_set_meta (cli->store, "token_file", NULL, &error))
    {
      g_prefix_error (&error, _("the keyring cannot keep the token (use --token-file): "));
      return bnd_cli_failed (error);
    }

  {
    g_autofree char *old_url = bnd_store_get_meta (cli->store, "server_url");
    g_autofree char *old_user = bnd_store_get_meta (cli->store, "server_user");

    /* Another server or account knows nothing of what this profile synced before. */
    if (((old_url && !g_str_equal (old_url, argv[1])) || (old_user && !g_str_equal (old_user, user))) &&
        !bnd_store_reset_sync (cli->store, &error))
      return bnd_cli_failed (error);
  }
  if (!bnd_store_set_meta (cli->store, "server_url", argv[1], &error) ||
      !bnd_store_set_meta (cli->store, "server_user", user, &error))
    return bnd_cli_failed (error);
  g_print (_("Signed in to %s as %s\n"), argv[1], user);
  return EXIT_OK;
}

int
bnd_cli_cmd_logout (BndCli *cli,
                    int     argc,
                    char  **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_file = NULL;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("logout", "", _("Sign out: the server forgets the token, and so does this profile."),
                              entries, &argc, &argv, &status))
    return status;
  if (!(token = bnd_cli_read_token (cli, &url, &error)))
    return bnd_cli_failed (error);

  /* Signed out locally even when the server cannot be reached. */
  if (!bnd_sync_logout (url, token, &error))
    g_printerr ("buendnis-cli: %s\n", bnd_cli_safe (error->message));
  if ((token_file = bnd_store_get_meta (cli->store, "token_file")))
    g_unlink (token_file);
  else
    bnd_keyring_clear_sync (url, bnd_store_get_path (cli->store));
  bnd_store_set_meta (cli->store, "token_file", NULL, NULL);
  bnd_store_set_meta (cli->store, "server_url", NULL, NULL);
  bnd_store_set_meta (cli->store, "server_user", NULL, NULL);
  return EXIT_OK;
}

int
bnd_cli_cmd_sync (BndCli *cli,
                  int     argc,
                  char  **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  BndSyncReport report;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("sync", "", _("Exchange changes with the server."), entries, &argc, &argv, &status))
    return status;
  if (!(token = bnd_cli_read_token (cli, &url, &error)))
    return bnd_cli_failed (error);
  if (!bnd_sync_run (cli->store, cli->strategy, url, token, NULL, &report, &error))
    return bnd_cli_failed (error);

  /* Translators: a summary after syncing */
  g_print (_("pulled %u, merged %u, pushed %u, conflicts %u\n"), report.pulled, report.merged, report.pushed,
           report.conflicts);
  if (report.votes_counted + report.votes_refused > 0)
    g_print (_("votes counted %u, not counted %u (see “buendnis-cli votes”)\n"), report.votes_counted,
             report.votes_refused);
  if (report.ratings_counted + report.ratings_refused > 0)
    g_print (_("ratings counted %u, not counted %u (see “buendnis-cli ratings”)\n"), report.ratings_counted,
             report.ratings_refused);
  if (report.votes_held + report.ratings_held > 0)
    g_print (_("votes %u and ratings %u given under another account are kept until it signs in here again "
               "(see “buendnis-cli votes” and “buendnis-cli ratings”)\n"), report.votes_held, report.ratings_held);

  /* The others arrived, so the sync did what it could: success, and a word on each refused
   * sketch (this time or earlier) that waits for its user. */
  {
    g_autoptr(GPtrArray) refused = bnd_store_list_unsynced (cli->store, BND_UNSYNCED_REFUSED, NULL);

    if (refused && refused->len > 0)
      {
        g_printerr (g_dngettext (GETTEXT_PACKAGE,
                                 "buendnis-cli: the server refused the edits of %u sketch; they stay on this computer "
                                 "until you decide with “buendnis-cli resolve-refused ID --take-server|--keep-as-draft”:\n",
                                 "buendnis-cli: the server refused the edits of %u sketches; they stay on this computer "
                                 "until you decide with “buendnis-cli resolve-refused ID --take-server|--keep-as-draft”:\n",
                                 refused->len), refused->len);
        bnd_cli_print_refused (cli, stderr);
      }
  }
  return EXIT_OK;
}

int
bnd_cli_cmd_conflicts (BndCli *cli,
                       int     argc,
                       char  **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) uuids = NULL;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("conflicts", "", _("List the edits that clash with the server's, both sides kept."),
                              entries, &argc, &argv, &status))
    return status;
  if (!bnd_cli_open_store (cli, &error) ||
      !(uuids = bnd_store_list_unsynced (cli->store, BND_UNSYNCED_CONFLICTS, &error)))
    return bnd_cli_failed (error);

  for (guint i = 0; i < uuids->len; i++)
    {
      g_autoptr(BndSyncState) state = bnd_store_get_sync_state (cli->store, g_ptr_array_index (uuids, i), NULL);
      g_autoptr(GPtrArray) conflicts = bnd_conflicts_from_json (state ? state->conflicts : NULL);

      for (guint j = 0; j < conflicts->len; j++)
        {
          BndConflict *conflict = g_ptr_array_index (conflicts, j);

          g_print ("%.8s\t%s\n  %s %s\n  %s %s\n", (char *)g_ptr_array_index (uuids, i), bnd_cli_safe (conflict->field),
                   _("mine:"), bnd_cli_safe (conflict->mine), _("theirs:"), bnd_cli_safe (conflict->theirs));
        }
    }
  return EXIT_OK;
}

int
bnd_cli_cmd_resolve (BndCli *cli,
                     int     argc,
                     char  **argv)
{
  g_autofree char *section = NULL;
  g_autofree char *field = NULL;
  g_autofree char *take = NULL;
  g_autofree char *text = NULL;
  GOptionEntry entries[] = {
    { "section", 's', 0, G_OPTION_ARG_STRING, &section, N_("The section in conflict"), N_("SECTION") },
    { "field", 0, 0, G_OPTION_ARG_STRING, &field, N_("Another field in conflict, as “conflicts” lists it"), N_("FIELD") },
    { "take", 0, 0, G_OPTION_ARG_STRING, &take, N_("mine or theirs"), N_("SIDE") },
    { "text", 't', 0, G_OPTION_ARG_STRING, &text, N_("The text edited from both"), N_("TEXT") },
    { NULL }
  };
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(BndSyncState) state = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *json = NULL;
  const char *value = NULL;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("resolve", "ID --section S (--take mine|theirs | --text T)",
                              _("Decide a conflict: keep your text, take the server's, or give one edited from both."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 2 || (section == NULL) == (field == NULL))
    return bnd_cli_bad_input (_("resolve needs a sketch id and --section S (or --field F)"));
  if ((take == NULL) == (text == NULL) || (take && !g_str_equal (take, "mine") && !g_str_equal (take, "theirs")))
    return bnd_cli_bad_input (_("resolve needs --take mine, --take theirs or --text T"));
  if (!(sketch = bnd_cli_load_editable_sketch (cli, argv[1], &status)))
    return status;
  if (!(state = bnd_store_get_sync_state (cli->store, bnd_sketch_get_uuid (sketch), &error)))
    return bnd_cli_failed (error);

  name = section ? g_strdup_printf ("section:%s", section) : g_strdup (field);
  conflicts = bnd_conflicts_from_json (state->conflicts);
  for (guint i = 0; i < conflicts->len && value == NULL; i++)
    {
      BndConflict *conflict = g_ptr_array_index (conflicts, i);

      if (g_str_equal (conflict->field, name))
        value = text ? text : g_str_equal (take, "mine") ? conflict->mine : conflict->theirs;
    }
  if (value == NULL)
    return bnd_cli_bad_input (_("there is no conflict in “%s”"), name);

  {
    g_autofree char *chosen = g_strdup (value);

    /* The same checks as an import: sections, links and the funding object against the pack. */
    if (!bnd_cli_open_strategy (cli, &error))
      return bnd_cli_failed (error);
    if (!bnd_merge_resolve_with_strategy (sketch, conflicts, name, chosen, cli->strategy, &error))
      return bnd_cli_bad_input ("%s", error->message);
  }

  /* Decided: the result is a local edit that goes out with the next sync. */
  json = bnd_conflicts_to_json (conflicts);
  g_free (state->conflicts);
  state->conflicts = conflicts->len ? g_steal_pointer (&json) : NULL;
  state->dirty = TRUE;
  if (!bnd_store_apply_sync (cli->store, sketch, state, &error))
    return bnd_cli_failed (error);
  return EXIT_OK;
}

int
bnd_cli_cmd_submit (BndCli *cli,
                    int     argc,
                    char  **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *sha256 = NULL;
  gboolean differs = FALSE;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("submit", "ID", _("Submit a sketch to the network coordination: the server keeps its exact PDF."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bnd_cli_bad_input (_("submit needs one sketch id"));
  if (!(sketch = bnd_cli_load_sketch (cli, argv[1], &status)))
    return status;
  if (!(token = bnd_cli_read_token (cli, &url, &error)))
    return bnd_cli_failed (error);
  if (!bnd_sync_submit (cli->store, cli->strategy, url, token, bnd_sketch_get_uuid (sketch), &sha256,
                        &differs, &error))
    return bnd_cli_failed (error);
  g_print (_("Submitted; the PDF's SHA-256 is %s\n"), bnd_cli_safe (sha256));
  if (differs)
    g_print ("%s\n", _("The official PDF differs from your preview: the server renders with a newer version"));
  return EXIT_OK;
}
