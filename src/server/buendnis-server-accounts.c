/* buendnis-server-accounts.c: the administration commands of organisations and accounts:
 * add-org, add-user, set-password, revoke-tokens, disable-user, enable-user, set-role
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "buendnis-server"

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "bnd-server-global-audit.h"
#include "buendnis-server.h"

int
bnd_cmd_add_org (int    argc,
                 char **argv)
{
  g_autofree char *data = NULL;
  g_autofree char *name = NULL;
  g_autofree char *kind = NULL;
  GOptionEntry entries[] = {
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data, N_("The server's data folder"), N_("DIR") },
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name, N_("The organisation's name"), N_("NAME") },
    { "kind", 'k', 0, G_OPTION_ARG_STRING, &kind, N_("Its kind (default: carrier)"), N_("KIND") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  BndServerDb *db;
  int status = 0;

  if (!bnd_cli_parse ("add-org", "--data DIR --name NAME ID", entries, &argc, &argv, &status))
    return status;
  if (data == NULL || name == NULL || argc != 2)
    return bnd_cli_usage_error ("%s", _("add-org needs --data DIR, --name NAME and an id"));
  if (!(db = bnd_server_db_open (data, FALSE, &error)))
    return bnd_cli_failed (error);
  if (!bnd_server_db_add_org (db, argv[1], name, kind ? kind : "carrier", &error))
    status = bnd_cli_failed (error);
  bnd_server_db_free (db);
  return status;
}

int
bnd_cmd_add_user (int    argc,
                  char **argv)
{
  g_autofree char *data = NULL;
  g_autofree char *org = NULL;
  g_autofree char *role_name = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *audit_key = NULL;
  g_autofree char *email = NULL;
  g_autofree char *language = NULL;
  GOptionEntry entries[] = {
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data, N_("The server's data folder"), N_("DIR") },
    { "org", 'o', 0, G_OPTION_ARG_STRING, &org, N_("The user's organisation"), N_("ORG") },
    { "role", 'r', 0, G_OPTION_ARG_STRING, &role_name, N_("carrier, partner, coordination or admin"), N_("ROLE") },
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, N_("The user's e-mail address, for notifications"), N_("ADDRESS") },
    { "language", 0, 0, G_OPTION_ARG_STRING, &language, N_("The language of the user's e-mail: de (default) or en"),
      N_("LANGUAGE") },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path, N_("The configuration file"), N_("FILE") },
    { "audit-key", 0, 0, G_OPTION_ARG_FILENAME, &audit_key, N_("The key that signs the chain heads"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *actor = bnd_server_command_line_actor ();
  BndServerDb *db;
  BndRole role;
  int status = 0;

  if (!bnd_cli_parse ("add-user", "--data DIR --org ORG --role ROLE USER", entries, &argc, &argv, &status))
    return status;
  if (data == NULL || org == NULL || role_name == NULL || argc != 2)
    return bnd_cli_usage_error ("%s", _("add-user needs --data DIR, --org ORG, --role ROLE and a user name"));
  if (!bnd_role_from_string (role_name, &role))
    return bnd_cli_usage_error (_("unknown role “%s”: carrier, partner, coordination or admin"), role_name);
  /* Checked before the user is added: a typo must not leave an account without its address. */
  if (email != NULL && !bnd_mail_address_is_valid (email))
    return bnd_cli_usage_error (_("“%s” is no e-mail address; write it as name@example.org"), email);
  if (language != NULL && !g_str_equal (language, "de") && !g_str_equal (language, "en"))
    return bnd_cli_usage_error (_("unknown language “%s”: de or en"), language);
  if (!(db = bnd_cli_open_for_accounts (data, config_path, &audit_key, &error)))
    return bnd_cli_failed (error);
  if (!bnd_server_db_add_user (db, argv[1], org, role, actor, &error) ||
      ((email != NULL || language != NULL) &&
       !bnd_server_db_set_mail_settings (db, argv[1], email, language, -1, actor, &error)))
    status = bnd_cli_failed (error);
  bnd_server_db_free (db);
  return status;
}

/**
 * bnd_cli_read_password:
 *
 * Reads a new password, one line of standard input: never an argument, which the process list
 * and the shell's history would show.
 *
 * Returns: 0, or the exit status of a usage error said already
 */
int
bnd_cli_read_password (char  *password,
                       gsize  size)
{
  if (fgets (password, (int)size, stdin) == NULL)
    return bnd_cli_usage_error ("%s", _("no password on standard input"));
  password[strcspn (password, "\r\n")] = 0;
  if (strlen (password) < 8)
    return bnd_cli_usage_error ("%s", _("the password needs at least 8 characters"));
  return 0;
}

int
bnd_cmd_set_password (int    argc,
                      char **argv)
{
  g_autofree char *data = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *audit_key = NULL;
  GOptionEntry entries[] = {
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data, N_("The server's data folder"), N_("DIR") },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path, N_("The configuration file"), N_("FILE") },
    { "audit-key", 0, 0, G_OPTION_ARG_FILENAME, &audit_key, N_("The key that signs the chain heads"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *actor = bnd_server_command_line_actor ();
  char password[1024];
  BndServerDb *db;
  int status = 0;

  if (!bnd_cli_parse ("set-password", "--data DIR USER  (the password is read from standard input)",
                      entries, &argc, &argv, &status))
    return status;
  if (data == NULL || argc != 2)
    return bnd_cli_usage_error ("%s", _("set-password needs --data DIR and a user name"));

  if ((status = bnd_cli_read_password (password, sizeof password)) != 0)
    return status;

  if (!(db = bnd_cli_open_for_accounts (data, config_path, &audit_key, &error)))
    return bnd_cli_failed (error);
  if (!bnd_server_db_set_password (db, argv[1], password, actor, &error))
    status = bnd_cli_failed (error);
  sodium_memzero (password, sizeof password);
  bnd_server_db_free (db);
  return status;
}

/* revoke-tokens, disable-user, enable-user: --data DIR USER. */
static int
manage_user (const char  *command,
             int          argc,
             char       **argv)
{
  g_autofree char *data = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *audit_key = NULL;
  GOptionEntry entries[] = {
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data, N_("The server's data folder"), N_("DIR") },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path, N_("The configuration file"), N_("FILE") },
    { "audit-key", 0, 0, G_OPTION_ARG_FILENAME, &audit_key, N_("The key that signs the chain heads"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *actor = bnd_server_command_line_actor ();
  BndServerDb *db;
  guint n_revoked = 0;
  int status = 0;

  if (!bnd_cli_parse (command, "--data DIR USER", entries, &argc, &argv, &status))
    return status;
  if (data == NULL || argc != 2)
    /* Translators: %s is a command, such as revoke-tokens */
    return bnd_cli_usage_error (_("%s needs --data DIR and a user name"), command);
  if (!(db = bnd_cli_open_for_accounts (data, config_path, &audit_key, &error)))
    return bnd_cli_failed (error);

  if (g_str_equal (command, "revoke-tokens") &&
      bnd_server_db_revoke_user_tokens (db, argv[1], actor, &n_revoked, &error))
    g_print (g_dngettext (GETTEXT_PACKAGE, "Revoked %u sign-in of %s\n", "Revoked %u sign-ins of %s\n",
                          n_revoked), n_revoked, argv[1]);
  else if (g_str_equal (command, "disable-user") && bnd_server_db_set_disabled (db, argv[1], TRUE, actor, &error))
    g_print (_("%s can no longer sign in, and every sign-in of theirs has ended\n"), argv[1]);
  else if (g_str_equal (command, "enable-user") && bnd_server_db_set_disabled (db, argv[1], FALSE, actor, &error))
    g_print (_("%s can sign in again\n"), argv[1]);

  if (error)
    status = bnd_cli_failed (error);
  bnd_server_db_free (db);
  return status;
}

int
bnd_cmd_revoke_tokens (int    argc,
                       char **argv)
{
  return manage_user ("revoke-tokens", argc, argv);
}

int
bnd_cmd_disable_user (int    argc,
                      char **argv)
{
  return manage_user ("disable-user", argc, argv);
}

int
bnd_cmd_enable_user (int    argc,
                     char **argv)
{
  return manage_user ("enable-user", argc, argv);
}

int
bnd_cmd_set_role (int    argc,
                  char **argv)
{
  g_autofree char *data = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *audit_key = NULL;
  GOptionEntry entries[] = {
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data, N_("The server's data folder"), N_("DIR") },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path, N_("The configuration file"), N_("FILE") },
    { "audit-key", 0, 0, G_OPTION_ARG_FILENAME, &audit_key, N_("The key that signs the chain heads"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *actor = bnd_server_command_line_actor ();
  BndServerDb *db;
  BndRole role;
  int status = 0;

  if (!bnd_cli_parse ("set-role", "--data DIR USER ROLE", entries, &argc, &argv, &status))
    return status;
  if (data == NULL || argc != 3)
    return bnd_cli_usage_error ("%s", _("set-role needs --data DIR, a user name and a role"));
  if (!bnd_role_from_string (argv[2], &role))
    return bnd_cli_usage_error (_("unknown role “%s”: carrier, partner, coordination or admin"), argv[2]);
  if (!(db = bnd_cli_open_for_accounts (data, config_path, &audit_key, &error)))
    return bnd_cli_failed (error);
  if (bnd_server_db_set_role (db, argv[1], role, actor, &error))
    /* Translators: the first %s is a user, the second a role */
    g_print (_("%s now has the role %s, from their next request on\n"), argv[1], argv[2]);
  else
    status = bnd_cli_failed (error);
  bnd_server_db_free (db);
  return status;
}
