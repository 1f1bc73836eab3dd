/* bnd-cli-profile.c: moving a profile to another computer
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-cli-profile"

#include "config.h"

#include <glib/gi18n.h>

#include "bnd-cli-profile.h"

/* Moving a profile to another computer: everything but the sign-in. */

static int
cmd_profile_export (BndCli *cli,
                    int     argc,
                    char  **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autofree char *file = NULL;
  g_autofree char *database = NULL;
  int status = EXIT_OK;
  guint count;

  if (!bnd_cli_parse_options ("profile export", "FILE",
                              _("Write the whole profile to FILE, to import it on another computer. The sign-in is not "
                                "part of it."), entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bnd_cli_bad_input (_("profile export needs the file to write"));
  if (!bnd_cli_open_store (cli, &error))
    return bnd_cli_failed (error);

  /* Renaming the export over the profile's own database would lose the profile. */
  file = g_canonicalize_filename (argv[1], NULL);
  database = g_canonicalize_filename (bnd_store_get_path (cli->store), NULL);
  if (g_str_has_prefix (file, database))
    return bnd_cli_bad_input (_("%s is the profile's own database; export to another file"),
                              argv[1]);

  count = bnd_store_count (cli->store, NULL);
  if (!bnd_store_export_profile (cli->store, argv[1], &error))
    return bnd_cli_failed (error);
  /* Translators: %u sketches, %s the file written */
  g_print (g_dngettext (GETTEXT_PACKAGE, "Exported the profile with %u sketch to %s; the sign-in stays here.\n",
                        "Exported the profile with %u sketches to %s; the sign-in stays here.\n", count),
           count, argv[1]);
  return EXIT_OK;
}

static int
cmd_profile_import (BndCli *cli,
                    int     argc,
                    char  **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *user = NULL;
  int status = EXIT_OK;
  guint count;

  if (!bnd_cli_parse_options ("profile import", "FILE",
                              _("Fill an empty profile with one written by “profile export”. Sign in again afterwards."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bnd_cli_bad_input (_("profile import needs the file written by “profile export”"));

  /* The file is checked before the profile is even opened: a wrong file leaves nothing behind. */
  if (!bnd_store_check_profile_file (argv[1], &error))
    {
      if (g_error_matches (error, BND_STORE_ERROR, BND_STORE_ERROR_OPEN))
        return bnd_cli_failed (error);
      return bnd_cli_bad_input ("%s", error->message);
    }
  if (!bnd_cli_open_store (cli, &error))
    return bnd_cli_failed (error);
  if (!bnd_store_import_profile (cli->store, argv[1], &error))
    {
      if (g_error_matches (error, BND_STORE_ERROR, BND_STORE_ERROR_NOT_EMPTY) ||
          g_error_matches (error, BND_STORE_ERROR, BND_STORE_ERROR_NOT_PROFILE) ||
          g_error_matches (error, BND_STORE_ERROR, BND_STORE_ERROR_CORRUPT) ||
          g_error_matches (error, BND_STORE_ERROR, BND_STORE_ERROR_TOO_NEW))
        return bnd_cli_bad_input ("%s", error->message);
      return bnd_cli_failed (error);
    }

  count = bnd_store_count (cli->store, NULL);
  /* Translators: %u sketches */
  g_print (g_dngettext (GETTEXT_PACKAGE, "Imported the profile with %u sketch.\n",
                        "Imported the profile with %u sketches.\n", count), count);
  url = bnd_store_get_meta (cli->store, "server_url");
  user = bnd_store_get_meta (cli->store, "server_user");
  if (url != NULL)
    /* Translators: the command to sign in again, with the server's URL and the user name */
    g_print (_("Sign in again to sync: buendnis-cli login %s --user %s\n"), url, user ? user : "NAME");
  return EXIT_OK;
}

int
bnd_cli_cmd_profile (BndCli *cli,
                     int     argc,
                     char  **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "export"))
    return cmd_profile_export (cli, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "import"))
    return cmd_profile_import (cli, argc - 1, argv + 1);
  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      g_print ("%s\n  buendnis-cli profile export FILE\n  buendnis-cli profile import FILE\n",
               _("Move the whole profile to another computer (without the sign-in):"));
      return EXIT_OK;
    }
  return bnd_cli_bad_input (_("profile needs export or import"));
}
