/* bnd-cli-account.c: `account`, the signed-in user's e-mail settings
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-cli-account"

#include "config.h"

#include <glib/gi18n.h>

#include "bnd-sync.h"

#include "bnd-cli-account.h"

/* account [--email A] [--language de|en] [--notifications on|off]: shows the account as GET /me
 * has it, after changing what is given through PATCH /me. The server checks the address; the
 * language and the switch are checked here too, so that a typo never reaches it. */
int
bnd_cli_cmd_account (BndCli *cli,
                     int     argc,
                     char  **argv)
{
  g_autofree char *email = NULL;
  g_autofree char *language = NULL;
  g_autofree char *notifications = NULL;
  GOptionEntry entries[] = {
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, N_("Your e-mail address for notifications (\"\" removes it)"),
      N_("ADDRESS") },
    { "language", 0, 0, G_OPTION_ARG_STRING, &language, N_("The language of your e-mail: de or en"), N_("LANGUAGE") },
    { "notifications", 0, 0, G_OPTION_ARG_STRING, &notifications, N_("E-mail notifications: on or off"),
      N_("on|off") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  JsonObject *me;
  const char *address;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("account", "[--email ADDRESS] [--language de|en] [--notifications on|off]",
                              _("Show your account on the server, and change its e-mail settings."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return bnd_cli_bad_input ("%s", _("account takes no arguments but its options"));
  if (language && !g_str_equal (language, "de") && !g_str_equal (language, "en"))
    return bnd_cli_bad_input ("%s", _("--language takes de or en"));
  if (notifications && !g_str_equal (notifications, "on") && !g_str_equal (notifications, "off"))
    return bnd_cli_bad_input ("%s", _("--notifications takes on or off"));
  if (!(token = bnd_cli_read_token (cli, &url, &error)))
    return bnd_cli_failed (error);

  if (email || language || notifications)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) body = NULL;

      json_builder_begin_object (builder);
      if (email)
        {
          json_builder_set_member_name (builder, "email");
          json_builder_add_string_value (builder, g_strstrip (email));
        }
      if (language)
        {
          json_builder_set_member_name (builder, "language");
          json_builder_add_string_value (builder, language);
        }
      if (notifications)
        {
          json_builder_set_member_name (builder, "notifications");
          json_builder_add_boolean_value (builder, g_str_equal (notifications, "on"));
        }
      json_builder_end_object (builder);
      body = json_builder_get_root (builder);
      answer = bnd_sync_call (url, token, "PATCH", "/me", body, &error);
    }
  else
    answer = bnd_sync_call (url, token, "GET", "/me", NULL, &error);
  if (answer == NULL)
    return bnd_cli_failed (error);
  if (!JSON_NODE_HOLDS_OBJECT (answer))
    return bnd_cli_bad_input ("%s", _("The server’s answer was not understood"));

  me = json_node_get_object (answer);
  address = json_object_get_string_member_with_default (me, "email", NULL);
  g_print (_("User: %s\n"), bnd_cli_safe (json_object_get_string_member_with_default (me, "user", "")));
  g_print (_("Organisation: %s\n"), bnd_cli_safe (json_object_get_string_member_with_default (me, "org", "")));
  g_print (_("Role: %s\n"), bnd_cli_safe (json_object_get_string_member_with_default (me, "role", "")));
  g_print (_("E-mail address: %s\n"), address ? bnd_cli_safe (address) : _("none"));
  g_print (_("E-mail language: %s\n"), bnd_cli_safe (json_object_get_string_member_with_default (me, "language", "")));
  g_print (_("E-mail notifications: %s\n"),
           json_object_get_boolean_member_with_default (me, "notifications", FALSE) ? _("on") : _("off"));
  return EXIT_OK;
}
