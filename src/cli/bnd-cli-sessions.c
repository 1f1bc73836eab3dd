/* bnd-cli-sessions.c: `buendnis-cli session …`: the Lenkungskreis sessions, their agendas and
 * minutes
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-cli-sessions"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bnd-input.h"
#include "bnd-json-check.h"
#include "bnd-format.h"
#include "bnd-session.h"
#include "bnd-stage.h"
#include "bnd-sync.h"

#include "bnd-cli-sessions.h"

/* Strategy §4.1: the Lenkungskreis meets "mindestens dreimal jährlich". The network coordination
 * plans its sessions here; everyone reads them (a carrier only its own items). Each command is
 * one call of /api/v1/sessions, checked by the server against bnd_procedure_may_session();
 * a refusal is shown translated, exit status 1. Dates and times are taken as people write them
 * ("12.03.2026", "14 Uhr") and sent in ISO. The PDFs are drawn here, by the same renderer as the
 * app's, in the language of the terminal. */

/* A session's id, or the start of one among the sessions the account sees. */
static char *
resolve_session (BndCli     *cli,
                 const char *id,
                 int        *status)
{
  g_autoptr(JsonNode) list = NULL;
  JsonArray *sessions;
  char *found = NULL;

  if (g_uuid_string_is_valid (id))
    return g_ascii_strdown (id, -1);
  if (strlen (id) < 4)
    {
      *status = bnd_cli_bad_input (_("“%s”: give at least 4 characters of a session’s id"), id);
      return NULL;
    }
  if (!(list = bnd_cli_call (cli, "GET", "/sessions", NULL, status)))
    return NULL;
  sessions = bnd_json_array_of (bnd_json_as_object (list), "sessions");
  for (guint i = 0; sessions && i < json_array_get_length (sessions); i++)
    {
      const char *uuid = json_object_get_string_member_with_default (json_array_get_object_element (sessions, i),
                                                                    "uuid", "");

      if (!g_str_has_prefix (uuid, id))
        continue;
      if (found)
        {
          g_free (found);
          *status = bnd_cli_bad_input (_("“%s” is the start of more than one session’s id"), id);
          return NULL;
        }
      found = g_strdup (uuid);
    }
  if (found == NULL)
    *status = bnd_cli_bad_input (_("No session with the id “%s”"), id);
  return found;
}

static void
print_session (JsonObject *session,
               gboolean    items)
{
  g_autofree char *when = bnd_session_describe_when (session);
  const char *place = json_object_get_string_member_with_default (session, "place", NULL);
  const char *link = json_object_get_string_member_with_default (session, "link", NULL);
  const char *held = json_object_get_string_member_with_default (session, "held", NULL);
  JsonArray *list = bnd_json_array_of (session, "items");

  g_print ("%s  %s\n", bnd_cli_safe (json_object_get_string_member_with_default (session, "uuid", "")),
           bnd_cli_safe (json_object_get_string_member_with_default (session, "title", "")));
  g_print ("  %-14s %s\n", _("When:"), bnd_cli_safe (when));
  if (place)
    g_print ("  %-14s %s\n", _("Place:"), bnd_cli_safe (place));
  if (link)
    g_print ("  %-14s %s\n", _("Online:"), bnd_cli_safe (link));
  if (held)
    {
      g_autofree char *day = bnd_session_format_date (held);

      g_print ("  %-14s %s\n", _("Held on:"), bnd_cli_safe (day));
    }
  if (!items)
    {
      g_print ("  %-14s %u\n", _("Dossiers:"), list ? json_array_get_length (list) : 0);
      return;
    }
  if (list == NULL || json_array_get_length (list) == 0)
    g_print ("  %s\n", _("No dossier is on the agenda."));
  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      JsonObject *item = json_array_get_object_element (list, i);
      const char *outcome = json_object_get_string_member_with_default (item, "outcome", NULL);
      const char *notes = json_object_get_string_member_with_default (item, "notes", NULL);
      g_autofree char *amount = bnd_format_money_whole (json_object_get_double_member_with_default (item, "requested", 0), bnd_locale_current ());

      g_print ("  %u. %s  (%s)\n", i + 1, bnd_cli_safe (json_object_get_string_member_with_default (item, "title", "")),
               bnd_cli_safe (json_object_get_string_member_with_default (item, "dossier", "")));
      g_print ("     %s %s · %s %s · %s %s\n",
               _("Carrier:"), bnd_cli_safe (json_object_get_string_member_with_default (item, "carrier", "")),
               _("Stage:"), bnd_cli_safe (bnd_stage_get_label (json_object_get_string_member_with_default (item, "stage", ""))),
               _("Requested:"), amount);
      if (outcome)
        g_print ("     %s %s\n", _("Outcome:"), bnd_cli_safe (bnd_session_outcome_label (outcome)));
      if (notes && *notes)
        g_print ("     %s %s\n", _("Notes:"), bnd_cli_safe (notes));
    }
}

/* Prints the answer: the session afterwards. */
static int
show_answer (JsonNode *answer,
             gboolean  json)
{
  if (json)
    bnd_cli_print_json (answer);
  else
    print_session (bnd_json_as_object (answer), TRUE);
  return EXIT_OK;
}

static int
cmd_new (BndCli  *cli,
         int      argc,
         char   **argv)
{
  g_autofree char *title = NULL, *date_text = NULL, *time_text = NULL, *place = NULL, *link = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, N_("What the session is called"), N_("TEXT") },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date_text, N_("Its day, as 12.03.2026 or 2026-03-12"), N_("DATE") },
    { "time", 0, 0, G_OPTION_ARG_STRING, &time_text, N_("Its time of day, as 14:00"), N_("TIME") },
    { "place", 0, 0, G_OPTION_ARG_STRING, &place, N_("Where it meets"), N_("TEXT") },
    { "link", 0, 0, G_OPTION_ARG_STRING, &link, N_("Its online link"), N_("URL") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *date = NULL;
  g_autofree char *time = NULL;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("session new", "--title T --date D [--time HH:MM] (--place P | --link URL)",
                              _("Plan a Lenkungskreis session (network coordination)."), entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return bnd_cli_bad_input (_("session new takes no other arguments"));
  if (title == NULL || *g_strstrip (title) == '\0')
    return bnd_cli_bad_input (_("session new needs a title: --title TEXT"));
  if (!(date = bnd_input_parse_date (date_text)))
    return bnd_cli_bad_input (_("session new needs its day: --date 12.03.2026"));
  if (time_text && !(time = bnd_input_parse_time (time_text)))
    return bnd_cli_bad_input (_("“%s” is no time of day; write it as 14:00"), time_text);
  if (place == NULL && link == NULL)
    return bnd_cli_bad_input (_("session new needs a place or an online link: --place TEXT or --link URL"));
  json_builder_begin_object (builder);
  bnd_cli_add_string (builder, "title", title);
  bnd_cli_add_string (builder, "date", date);
  bnd_cli_add_string (builder, "time", time);
  bnd_cli_add_string (builder, "place", place);
  bnd_cli_add_string (builder, "link", link);
  json_builder_end_object (builder);
  if (!(answer = bnd_cli_call (cli, "POST", "/sessions", builder, &status)))
    return status;
  return show_answer (answer, json);
}

static int
cmd_list (BndCli  *cli,
          int      argc,
          char   **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(JsonNode) answer = NULL;
  JsonArray *sessions;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("session list", "[--json]", _("List the Lenkungskreis sessions you may see."),
                              entries, &argc, &argv, &status))
    return status;
  if (!(answer = bnd_cli_call (cli, "GET", "/sessions", NULL, &status)))
    return status;
  if (json)
    {
      bnd_cli_print_json (answer);
      return EXIT_OK;
    }
  sessions = bnd_json_array_of (bnd_json_as_object (answer), "sessions");
  if (sessions == NULL || json_array_get_length (sessions) == 0)
    g_print ("%s\n", _("No sessions"));
  for (guint i = 0; sessions && i < json_array_get_length (sessions); i++)
    print_session (json_array_get_object_element (sessions, i), FALSE);
  return EXIT_OK;
}

/* The commands that name a session (and a dossier): show, add, remove, outcome, held, the PDFs. */
static int
cmd_show (BndCli  *cli,
          int      argc,
          char   **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *path = NULL;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("session show", "ID [--json]", _("Show a session with its agenda."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bnd_cli_bad_input (_("session show needs one session id"));
  if (!(uuid = resolve_session (cli, argv[1], &status)))
    return status;
  path = g_strdup_printf ("/sessions/%s", uuid);
  if (!(answer = bnd_cli_call (cli, "GET", path, NULL, &status)))
    return status;
  return show_answer (answer, json);
}

static int
cmd_add_remove (BndCli    *cli,
                int        argc,
                char     **argv,
                gboolean   add)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *dossier = NULL;
  g_autofree char *path = NULL;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options (add ? "session add" : "session remove", "ID DOSSIER",
                              add ? _("Put a submitted, open dossier at the end of a session’s agenda (network coordination).")
                                  : _("Take a dossier off a session’s agenda (network coordination)."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return bnd_cli_bad_input (_("give a session id and a dossier id"));
  if (!(uuid = resolve_session (cli, argv[1], &status)) ||
      !(dossier = bnd_cli_resolve_dossier (cli, argv[2], &status)))
    return status;
  if (add)
    {
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      bnd_cli_add_string (builder, "dossier", dossier);
      json_builder_end_object (builder);
      path = g_strdup_printf ("/sessions/%s/items", uuid);
    }
  else
    path = g_strdup_printf ("/sessions/%s/items/%s", uuid, dossier);
  if (!(answer = bnd_cli_call (cli, add ? "POST" : "DELETE", path, builder, &status)))
    return status;
  return show_answer (answer, json);
}

static int
cmd_outcome (BndCli  *cli,
             int      argc,
             char   **argv)
{
  g_autofree char *notes = NULL, *reason = NULL, *deadline_text = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "notes", 0, 0, G_OPTION_ARG_STRING, &notes, N_("Notes for the minutes"), N_("TEXT") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why the rating round closes early (vote-opened)"), N_("TEXT") },
    { "deadline", 0, 0, G_OPTION_ARG_STRING, &deadline_text, N_("The round’s deadline (rating-opened, vote-opened)"),
      N_("DATE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *dossier = NULL;
  g_autofree char *path = NULL;
  g_autofree char *deadline = NULL;
  const char *outcome = NULL;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("session outcome", "ID DOSSIER [discussed|rating-opened|vote-opened] [--notes T]",
                              _("Record what came of a dossier at a session (network coordination). rating-opened and "
                                "vote-opened take that step of the procedure unless it was taken already."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 3 && argc != 4)
    return bnd_cli_bad_input (_("give a session id, a dossier id and an outcome or --notes"));
  outcome = argc == 4 ? argv[3] : NULL;
  if (outcome && !bnd_session_outcome_is_known (outcome))
    return bnd_cli_bad_input (_("the outcome is one of: discussed, rating-opened, vote-opened"));
  if (outcome == NULL && notes == NULL)
    return bnd_cli_bad_input (_("give an outcome or --notes"));
  if (deadline_text && !(deadline = bnd_input_parse_date (deadline_text)))
    return bnd_cli_bad_input (_("“%s” is no day; write it as 12.03.2026"), deadline_text);
  if (!(uuid = resolve_session (cli, argv[1], &status)) ||
      !(dossier = bnd_cli_resolve_dossier (cli, argv[2], &status)))
    return status;
  json_builder_begin_object (builder);
  bnd_cli_add_string (builder, "outcome", outcome);
  bnd_cli_add_string (builder, "notes", notes);
  bnd_cli_add_string (builder, "reason", reason);
  bnd_cli_add_string (builder, "deadline", deadline);
  json_builder_end_object (builder);
  path = g_strdup_printf ("/sessions/%s/items/%s", uuid, dossier);
  if (!(answer = bnd_cli_call (cli, "PUT", path, builder, &status)))
    return status;
  return show_answer (answer, json);
}

static int
cmd_held (BndCli  *cli,
          int      argc,
          char   **argv)
{
  g_autofree char *date_text = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "date", 0, 0, G_OPTION_ARG_STRING, &date_text, N_("The day it was held (today by default)"), N_("DATE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *date = NULL;
  g_autofree char *path = NULL;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("session held", "ID [--date D]",
                              _("Mark a session as held; its agenda stays as it was (network coordination)."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bnd_cli_bad_input (_("session held needs one session id"));
  if (date_text && !(date = bnd_input_parse_date (date_text)))
    return bnd_cli_bad_input (_("“%s” is no day; write it as 12.03.2026"), date_text);
  if (!(uuid = resolve_session (cli, argv[1], &status)))
    return status;
  json_builder_begin_object (builder);
  bnd_cli_add_string (builder, "date", date);
  json_builder_end_object (builder);
  path = g_strdup_printf ("/sessions/%s/held", uuid);
  if (!(answer = bnd_cli_call (cli, "POST", path, builder, &status)))
    return status;
  return show_answer (answer, json);
}

static int
cmd_send_agenda (BndCli  *cli,
                 int      argc,
                 char   **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *path = NULL;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("session send-agenda", "ID",
                              _("E-mail the agenda to the partners' users before the session (network coordination)."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bnd_cli_bad_input (_("session send-agenda needs one session id"));
  if (!(uuid = resolve_session (cli, argv[1], &status)))
    return status;
  path = g_strdup_printf ("/sessions/%s/send-agenda", uuid);
  if (!(answer = bnd_cli_call (cli, "POST", path, NULL, &status)))
    return status;
  if (!json)
    g_print ("%s\n", _("The agenda goes out by e-mail to the partners' users."));
  return show_answer (answer, json);
}

static int
cmd_pdf (BndCli             *cli,
         int                 argc,
         char              **argv,
         BndSessionDocument  document)
{
  g_autofree char *output = NULL;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Where to write the PDF"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *path = NULL;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options (document == BND_SESSION_MINUTES ? "session minutes-pdf" : "session agenda-pdf", "ID -o FILE",
                              document == BND_SESSION_MINUTES ? _("Write a session’s minutes as PDF.")
                                                              : _("Write a session’s agenda as PDF."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 2 || output == NULL)
    return bnd_cli_bad_input (_("give a session id and -o FILE"));
  if (!bnd_cli_open_strategy (cli, &error))
    return bnd_cli_failed (error);
  if (!(uuid = resolve_session (cli, argv[1], &status)))
    return status;
  path = g_strdup_printf ("/sessions/%s", uuid);
  if (!(answer = bnd_cli_call (cli, "GET", path, NULL, &status)))
    return status;
  if (!(pdf = bnd_session_render_pdf (cli->strategy, bnd_json_as_object (answer), document, &error)) ||
      !g_file_set_contents (output, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error))
    return bnd_cli_failed (error);
  return EXIT_OK;
}

int
bnd_cli_cmd_session (BndCli *cli,
                     int     argc,
                     char  **argv)
{
  const char *sub = argc >= 2 ? argv[1] : "";

  if (g_str_equal (sub, "new"))
    return cmd_new (cli, argc - 1, argv + 1);
  if (g_str_equal (sub, "list"))
    return cmd_list (cli, argc - 1, argv + 1);
  if (g_str_equal (sub, "show"))
    return cmd_show (cli, argc - 1, argv + 1);
  if (g_str_equal (sub, "add") || g_str_equal (sub, "remove"))
    return cmd_add_remove (cli, argc - 1, argv + 1, g_str_equal (sub, "add"));
  if (g_str_equal (sub, "outcome"))
    return cmd_outcome (cli, argc - 1, argv + 1);
  if (g_str_equal (sub, "held"))
    return cmd_held (cli, argc - 1, argv + 1);
  if (g_str_equal (sub, "send-agenda"))
    return cmd_send_agenda (cli, argc - 1, argv + 1);
  if (g_str_equal (sub, "agenda-pdf"))
    return cmd_pdf (cli, argc - 1, argv + 1, BND_SESSION_AGENDA);
  if (g_str_equal (sub, "minutes-pdf"))
    return cmd_pdf (cli, argc - 1, argv + 1, BND_SESSION_MINUTES);
  if (g_str_equal (sub, "--help") || g_str_equal (sub, "-h"))
    {
      g_print ("%s\n"
               "  buendnis-cli session new --title T --date D [--time HH:MM] (--place P | --link URL)\n"
               "  buendnis-cli session list [--json]\n"
               "  buendnis-cli session show ID [--json]\n"
               "  buendnis-cli session add ID DOSSIER\n"
               "  buendnis-cli session remove ID DOSSIER\n"
               "  buendnis-cli session outcome ID DOSSIER [discussed|rating-opened|vote-opened] [--notes T]\n"
               "                               [--reason T] [--deadline D]\n"
               "  buendnis-cli session held ID [--date D]\n"
               "  buendnis-cli session send-agenda ID\n"
               "  buendnis-cli session agenda-pdf ID -o FILE\n"
               "  buendnis-cli session minutes-pdf ID -o FILE\n",
               _("Lenkungskreis sessions (strategy §4.1): the network coordination plans them, sets the agenda "
                 "and records outcomes; everyone reads them, a carrier only its own dossiers:"));
      return EXIT_OK;
    }
  return bnd_cli_bad_input (_("session needs new, list, show, add, remove, outcome, held, send-agenda, agenda-pdf or minutes-pdf"));
}
