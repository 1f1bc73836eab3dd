/* buendnis-server-mail.c: the administration commands of e-mail and the server's clock
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "buendnis-server"

#include "config.h"

#include <glib/gi18n.h>

#include "bnd-server-global-audit.h"
#include "bnd-server-outbox.h"
#include "buendnis-server.h"

/* set-mail --data DIR [--email ADDRESS] [--language de|en] [--notifications on|off] USER */
int
bnd_cmd_set_mail (int    argc,
                  char **argv)
{
  g_autofree char *data = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *audit_key = NULL;
  g_autofree char *email = NULL;
  g_autofree char *language = NULL;
  g_autofree char *notifications = NULL;
  gboolean remove = FALSE;
  GOptionEntry entries[] = {
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data, N_("The server's data folder"), N_("DIR") },
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, N_("The user's e-mail address"), N_("ADDRESS") },
    { "remove-email", 0, 0, G_OPTION_ARG_NONE, &remove, N_("Remove the user's e-mail address"), NULL },
    { "language", 0, 0, G_OPTION_ARG_STRING, &language, N_("The language of the user's e-mail: de or en"),
      N_("LANGUAGE") },
    { "notifications", 0, 0, G_OPTION_ARG_STRING, &notifications, N_("Whether the user gets e-mail: on or off"),
      N_("on|off") },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path, N_("The configuration file"), N_("FILE") },
    { "audit-key", 0, 0, G_OPTION_ARG_FILENAME, &audit_key, N_("The key that signs the chain heads"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *actor = bnd_server_command_line_actor ();
  BndMailSettings settings = { 0 };
  BndServerDb *db;
  int enabled = -1;
  int status = 0;

  if (!bnd_cli_parse ("set-mail", "--data DIR [--email ADDRESS] [--language de|en] [--notifications on|off] USER",
                      entries, &argc, &argv, &status))
    return status;
  if (data == NULL || argc != 2)
    return bnd_cli_usage_error (_("set-mail needs --data DIR and a user name"));
  if (notifications != NULL)
    {
      if (!g_str_equal (notifications, "on") && !g_str_equal (notifications, "off"))
        return bnd_cli_usage_error (_("--notifications takes on or off"));
      enabled = g_str_equal (notifications, "on");
    }
  if (remove && email != NULL)
    return bnd_cli_usage_error (_("give either --email or --remove-email"));
  if (!(db = bnd_cli_open_for_accounts (data, config_path, &audit_key, &error)))
    return bnd_cli_failed (error);
  if ((email != NULL || remove || language != NULL || enabled >= 0) &&
      !bnd_server_db_set_mail_settings (db, argv[1], remove ? "" : email, language, enabled, actor, &error))
    status = bnd_cli_failed (error);
  else if (!bnd_server_db_get_mail_settings (db, argv[1], &settings, &error))
    status = bnd_cli_failed (error);
  else
    {
      /* Translators: a user name, an address (or "no address"), a language code and on/off */
      g_print (_("%s: %s, language %s, e-mail %s\n"), argv[1], settings.email ? settings.email : _("no address"),
               settings.language, settings.enabled ? _("on") : _("off"));
      bnd_mail_settings_clear (&settings);
    }
  bnd_server_db_free (db);
  return status;
}

static char *
format_time (gint64 when)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (when);

  return g_date_time_format (time, "%Y-%m-%d %H:%M:%S");
}

/* outbox --data DIR [--all] */
int
bnd_cmd_outbox (int    argc,
                char **argv)
{
  g_autofree char *data = NULL;
  gboolean all = FALSE;
  GOptionEntry entries[] = {
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data, N_("The server's data folder"), N_("DIR") },
    { "all", 'a', 0, G_OPTION_ARG_NONE, &all, N_("List the messages sent as well"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  BndServerDb *db;
  guint n_failed = 0;
  int status = 0;

  if (!bnd_cli_parse ("outbox", "--data DIR [--all]", entries, &argc, &argv, &status))
    return status;
  if (data == NULL || argc != 1)
    return bnd_cli_usage_error (_("outbox needs --data DIR"));
  if (!(db = bnd_server_db_open (data, FALSE, &error)))
    return bnd_cli_failed (error);
  if (!(rows = bnd_server_outbox_list (db, all, &error)))
    {
      bnd_server_db_free (db);
      return bnd_cli_failed (error);
    }
  for (guint i = 0; i < rows->len; i++)
    {
      BndOutboxRow *row = g_ptr_array_index (rows, i);
      g_autofree char *created = format_time (row->created);
      g_autofree char *next = format_time (row->next_attempt_at);

      n_failed += g_str_equal (row->state, "failed");
      /* The state and kind stay as the database has them: scripts read them. */
      g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\t%s\n", row->id, row->state, row->kind, row->address,
               row->message_id, row->subject);
      /* Translators: when a message was written, how often it was tried, and when next */
      g_print (_("\twritten %s, %d attempts, next %s\n"), created, row->attempts,
               g_str_equal (row->state, "pending") ? next : "–");
      if (row->error)
        g_print (_("\tlast error: %s\n"), row->error);
    }
  g_print (g_dngettext (GETTEXT_PACKAGE, "%u message listed, %u failed for good\n",
                        "%u messages listed, %u failed for good\n", rows->len),
           rows->len, n_failed);
  bnd_server_db_free (db);
  return 0;
}

/* clock --data DIR [--offset SECONDS | --reset] */
int
bnd_cmd_clock (int    argc,
               char **argv)
{
  g_autofree char *data = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *audit_key = NULL;
  g_autofree char *offset_text = NULL;
  gboolean reset = FALSE;
  GOptionEntry entries[] = {
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data, N_("The server's data folder"), N_("DIR") },
    { "offset", 0, 0, G_OPTION_ARG_STRING, &offset_text,
      N_("Put the server's clock this many seconds ahead of real time (negative: behind)"), N_("SECONDS") },
    { "reset", 0, 0, G_OPTION_ARG_NONE, &reset, N_("Set the server's clock to real time again"), NULL },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path, N_("The configuration file"), N_("FILE") },
    { "audit-key", 0, 0, G_OPTION_ARG_FILENAME, &audit_key, N_("The key that signs the chain heads"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *actor = bnd_server_command_line_actor ();
  g_autofree char *shown = NULL;
  BndServerDb *db;
  gint64 offset = 0;
  int status = 0;

  if (!bnd_cli_parse ("clock", "--data DIR [--offset SECONDS | --reset]", entries, &argc, &argv, &status))
    return status;
  if (data == NULL || argc != 1 || (offset_text != NULL && reset))
    return bnd_cli_usage_error (_("clock needs --data DIR, and at most one of --offset and --reset"));
  if (offset_text != NULL &&
      !g_ascii_string_to_signed (offset_text, 10, -100LL * 365 * 86400, 100LL * 365 * 86400, &offset, NULL))
    return bnd_cli_usage_error (_("--offset takes a whole number of seconds"));
  if (!(db = bnd_cli_open_for_accounts (data, config_path, &audit_key, &error)))
    return bnd_cli_failed (error);
  if ((offset_text != NULL || reset) && !bnd_server_db_set_clock (db, reset ? 0 : offset, actor, &error))
    status = bnd_cli_failed (error);
  else if (!bnd_server_db_get_clock (db, &offset, &error))
    status = bnd_cli_failed (error);
  else
    {
      shown = format_time (bnd_server_db_now (db));
      if (offset == 0)
        g_print (_("The server's clock is real time: %s\n"), shown);
      else
        {
          g_autofree char *seconds = g_strdup_printf ("%+" G_GINT64_FORMAT, offset);

          /* Translators: the offset in seconds, such as +3600, and the server's time */
          g_print (_("The server's clock is %s seconds off real time: %s\n"), seconds, shown);
        }
    }
  bnd_server_db_free (db);
  return status;
}
