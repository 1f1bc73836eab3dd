/* buendnis-server-alliances.c: add-alliance and alliances, the service administrator's commands
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

#include "bnd-server-alliances.h"
#include "bnd-server-global-audit.h"
#include "buendnis-server.h"

/* The service's administrator is whoever runs these on the server's machine: adding an alliance
 * makes a database (a schema on PostgreSQL), which is the operator's business and nothing the
 * HTTP API should be able to do. */

/* The first coordination account of a new alliance: its password from standard input, so that
 * it appears neither in the process list nor in the shell's history. */
static gboolean
add_coordinator (const char  *folder,
                 const char  *user,
                 const char  *org,
                 const char  *email,
                 const char  *password,
                 GError     **error)
{
  g_autofree char *actor = bnd_server_command_line_actor ();
  g_autofree char *audit_key = NULL;
  g_autoptr(BndServerDb) db = bnd_cli_open_for_accounts (folder, NULL, &audit_key, error);

  return db != NULL &&
         bnd_server_db_add_user (db, user, org, BND_ROLE_COORDINATION, actor, error) &&
         bnd_server_db_set_password (db, user, password, actor, error) &&
         (email == NULL || bnd_server_db_set_mail_settings (db, user, email, NULL, -1, actor, error));
}

/* The service's own audit trail (that of its first alliance's folder) records who added which
 * alliance, signed with the service's audit key as every other entry. */
static gboolean
audit_alliance (const char   *data,
                const char   *slug,
                BndStrategy  *strategy,
                GError      **error)
{
  g_autofree char *actor = bnd_server_command_line_actor ();
  g_autofree char *audit_key = NULL;
  g_autoptr(BndServerDb) db = bnd_cli_open_for_accounts (data, NULL, &audit_key, error);

  return db != NULL && bnd_server_alliance_record_added (db, actor, slug, strategy, error);
}

int
bnd_cmd_add_alliance (int    argc,
                      char **argv)
{
  g_autofree char *data = NULL;
  g_autofree char *pack_path = NULL;
  g_autofree char *coordinator = NULL;
  g_autofree char *org = NULL;
  g_autofree char *email = NULL;
  GOptionEntry entries[] = {
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data, N_("The service's data folder"), N_("DIR") },
    { "strategy", 's', 0, G_OPTION_ARG_FILENAME, &pack_path, N_("The alliance's strategy pack"), N_("FILE") },
    { "coordinator", 0, 0, G_OPTION_ARG_STRING, &coordinator,
      N_("The user name of its first coordination account (the password is read from standard input)"), N_("USER") },
    { "org", 'o', 0, G_OPTION_ARG_STRING, &org, N_("The coordinator's organisation, a partner of the pack"), N_("ORG") },
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, N_("The coordinator's e-mail address"), N_("ADDRESS") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(BndStrategy) strategy = NULL;
  g_autoptr(GFile) pack = NULL;
  g_autofree char *folder = NULL;
  char password[1024] = "";
  int status = 0;

  if (!bnd_cli_parse ("add-alliance", "--data DIR --strategy FILE [--coordinator USER --org ORG] SLUG",
                      entries, &argc, &argv, &status))
    return status;
  if (data == NULL || pack_path == NULL || argc != 2)
    return bnd_cli_usage_error ("%s", _("add-alliance needs --data DIR, --strategy FILE and the alliance’s short name"));
  if (!bnd_server_alliance_slug_is_valid (argv[1]))
    return bnd_cli_usage_error (_("“%s” is no alliance name for addresses: use 2 to 32 of a–z, 0–9 and “-”, "
                                  "beginning with a letter"), argv[1]);
  if ((coordinator == NULL) != (org == NULL))
    return bnd_cli_usage_error ("%s", _("--coordinator and --org go together"));
  if (email != NULL && !bnd_mail_address_is_valid (email))
    return bnd_cli_usage_error (_("“%s” is no e-mail address; write it as name@example.org"), email);

  /* Everything is checked before anything is made: a new alliance without its coordinator
   * would need a second command to be usable. */
  pack = g_file_new_for_commandline_arg (pack_path);
  if (!(strategy = bnd_strategy_new_from_file (pack, &error)))
    return bnd_cli_failed (error);
  if (org != NULL && bnd_strategy_find_partner (strategy, org) == NULL)
    return bnd_cli_usage_error (_("“%s” is no partner in the strategy pack"), org);
  if (coordinator != NULL && (status = bnd_cli_read_password (password, sizeof password)) != 0)
    return status;

  if (!bnd_server_alliance_create (data, argv[1], strategy, &error) ||
      !audit_alliance (data, argv[1], strategy, &error))
    status = bnd_cli_failed (error);
  folder = bnd_server_alliance_folder (data, argv[1]);
  if (status == 0 && coordinator != NULL &&
      !add_coordinator (folder, coordinator, org, email, password, &error))
    {
      g_prefix_error (&error, _("The alliance was added, but not its coordinator (add it with "
                                "“buendnis-server add-user --data %s”): "), folder);
      status = bnd_cli_failed (error);
    }
  sodium_memzero (password, sizeof password);
  if (status == 0)
    g_print (_("Added the alliance “%s” (%s): its address is the server’s followed by /a/%s, its data folder %s\n"),
             argv[1], bnd_strategy_get_alliance (strategy)->name, argv[1], folder);
  return status;
}

int
bnd_cmd_alliances (int    argc,
                   char **argv)
{
  g_autofree char *data = NULL;
  GOptionEntry entries[] = {
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data, N_("The service's data folder"), N_("DIR") },
    { NULL }
  };
  g_autoptr(GPtrArray) slugs = NULL;
  int status = 0;

  if (!bnd_cli_parse ("alliances", "--data DIR", entries, &argc, &argv, &status))
    return status;
  if (data == NULL || argc != 1)
    return bnd_cli_usage_error ("%s", _("alliances needs --data DIR"));

  slugs = bnd_server_alliance_list (data);
  for (guint i = 0; i < slugs->len; i++)
    {
      const char *slug = g_ptr_array_index (slugs, i);
      g_autofree char *folder = bnd_server_alliance_folder (data, slug);
      g_autoptr(GError) error = NULL;
      g_autoptr(BndStrategy) strategy = bnd_server_alliance_load_strategy (folder, TRUE, &error);

      /* One broken pack must not hide the others. */
      g_print ("%s\t%s\t%s\n", slug, strategy ? bnd_strategy_get_alliance (strategy)->name : error->message, folder);
    }
  if (slugs->len == 0)
    g_print (_("No alliances besides the one in %s\n"), data);
  return 0;
}
