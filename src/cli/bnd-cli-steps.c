/* bnd-cli-steps.c: the steps of the procedure that the network coordination and the carriers
 * take, and what an account may do with a dossier now
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-cli-steps"

#include "config.h"

#include <glib/gi18n.h>

#include "bnd-api-error.h"
#include "bnd-format.h"
#include "bnd-input.h"
#include "bnd-procedure.h"
#include "bnd-stage.h"
#include "bnd-sync.h"

#include "bnd-cli-steps.h"

/* Every command here is one call of POST /api/v1/dossiers/UUID/steps/STEP (or an older call of
 * the same step); the server checks it against the rules of src/core/bnd-procedure.c and refuses
 * with a sentence that is shown translated, exit status 1. What cannot be sent at all (no reason
 * where the command needs one, an amount that is none) is bad input, exit status 2. */

/* POSTs @body (a finished builder's root) to @path below the dossier, and prints the stage. */
static int
post (BndCli      *cli,
      const char  *uuid,
      const char  *what,
      JsonBuilder *builder)
{
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *path = g_strdup_printf ("/dossiers/%s/%s", uuid, what);
  JsonObject *object;
  int status = EXIT_OK;

  if (!(answer = bnd_cli_call (cli, "POST", path, builder, &status)))
    return status;
  object = JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
  if (object && json_object_has_member (object, "stage"))
    g_print (_("The dossier is now at stage “%s”\n"),
             bnd_cli_safe (bnd_stage_get_label (json_object_get_string_member_with_default (object, "stage", ""))));
  return EXIT_OK;
}

/* A step with nothing but an optional comment for the trail, or a reason. */
static int
simple_step (BndCli      *cli,
             int          argc,
             char       **argv,
             const char  *step,
             const char  *summary,
             gboolean     needs_reason)
{
  g_autofree char *comment = NULL;
  g_autofree char *reason = NULL;
  GOptionEntry entries[] = {
    { "comment", 0, 0, G_OPTION_ARG_STRING, &comment, N_("A note for the audit trail"), N_("TEXT") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why, for the audit trail and the carrier"), N_("TEXT") },
    { NULL }
  };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *uuid = NULL;
  g_autofree char *what = g_strconcat ("steps/", step, NULL);
  g_autofree char *args = g_strdup (needs_reason ? "ID --reason TEXT" : "ID [--comment TEXT]");
  int status = EXIT_OK;

  if (!bnd_cli_parse_options (step, args, summary, entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bnd_cli_bad_input (_("%s needs one dossier id"), step);
  if (needs_reason && (reason == NULL || *g_strstrip (reason) == '\0'))
    return bnd_cli_bad_input (_("%s needs a reason: --reason TEXT"), step);
  if (!(uuid = bnd_cli_resolve_dossier (cli, argv[1], &status)))
    return status;
  json_builder_begin_object (builder);
  bnd_cli_add_string (builder, "comment", comment);
  bnd_cli_add_string (builder, "reason", reason);
  json_builder_end_object (builder);
  return post (cli, uuid, what, builder);
}

int
bnd_cli_cmd_start_assessment (BndCli *cli,
                              int     argc,
                              char  **argv)
{
  return simple_step (cli, argc, argv, "start-assessment",
                      _("Start the first assessment with NBank and the ministry (network coordination)."), FALSE);
}

int
bnd_cli_cmd_receive_long_form (BndCli *cli,
                               int     argc,
                               char  **argv)
{
  return simple_step (cli, argc, argv, "receive-long-form",
                      _("Record that the long form was received; it must be attached (network coordination)."), FALSE);
}

int
bnd_cli_cmd_application (BndCli *cli,
                         int     argc,
                         char  **argv)
{
  return simple_step (cli, argc, argv, "file-application",
                      _("Record that the application was filed at NBank, after a positive statement."), FALSE);
}

int
bnd_cli_cmd_reject (BndCli *cli,
                    int     argc,
                    char  **argv)
{
  return simple_step (cli, argc, argv, "reject", _("Record NBank's rejection, with its reason (network coordination)."),
                      TRUE);
}

int
bnd_cli_cmd_withdraw (BndCli *cli,
                      int     argc,
                      char  **argv)
{
  return simple_step (cli, argc, argv, "withdraw",
                      _("Withdraw an open dossier, with a reason (its carrier or the network coordination)."), TRUE);
}

int
bnd_cli_cmd_reopen (BndCli *cli,
                    int     argc,
                    char  **argv)
{
  return simple_step (cli, argc, argv, "reopen",
                      _("Reopen a closed dossier that was not approved, back to where it was closed, with a reason "
                        "(network coordination)."), TRUE);
}

/* A deadline as typed: a day (German or ISO: the server takes its end) or an ISO date and time. */
static char *
parse_deadline (const char *text)
{
  g_autoptr(GDateTime) parsed = NULL;
  char *day = bnd_input_parse_date (text);

  if (day != NULL)
    return day;
  if ((parsed = g_date_time_new_from_iso8601 (text, NULL)))
    return g_date_time_format_iso8601 (parsed);
  return NULL;
}

int
bnd_cli_cmd_open_rating (BndCli *cli,
                         int     argc,
                         char  **argv)
{
  g_autofree char *deadline = NULL;
  g_autofree char *comment = NULL;
  GOptionEntry entries[] = {
    { "deadline", 0, 0, G_OPTION_ARG_STRING, &deadline, N_("When the round ends (the pack's time by default)"),
      N_("DATE") },
    { "comment", 0, 0, G_OPTION_ARG_STRING, &comment, N_("A note for the audit trail"), N_("TEXT") },
    { NULL }
  };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *uuid = NULL;
  g_autofree char *when = NULL;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("open-rating", "ID [--deadline DATE]",
                              _("Open the Lenkungskreis's rating round on a dossier whose long form was received "
                                "(network coordination)."), entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bnd_cli_bad_input (_("%s needs one dossier id"), "open-rating");
  if (deadline && !(when = parse_deadline (deadline)))
    return bnd_cli_bad_input (_("“%s” is no date; write it as 01.03.2026 or 2026-03-01"), deadline);
  if (!(uuid = bnd_cli_resolve_dossier (cli, argv[1], &status)))
    return status;
  json_builder_begin_object (builder);
  bnd_cli_add_string (builder, "deadline", when);
  bnd_cli_add_string (builder, "comment", comment);
  json_builder_end_object (builder);
  return post (cli, uuid, "steps/open-rating", builder);
}

int
bnd_cli_cmd_open_vote (BndCli *cli,
                       int     argc,
                       char  **argv)
{
  g_autofree char *reason = NULL;
  g_autofree char *question = NULL;
  g_autofree char *deadline = NULL;
  g_auto(GStrv) recused = NULL;
  GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
      N_("Why the round closes before every entitled organisation rated"), N_("TEXT") },
    { "question", 0, 0, G_OPTION_ARG_STRING, &question, N_("The question of the vote (the server's by default)"),
      N_("TEXT") },
    { "deadline", 0, 0, G_OPTION_ARG_STRING, &deadline, N_("When the vote ends (the pack's time by default)"),
      N_("DATE") },
    { "recuse", 0, 0, G_OPTION_ARG_STRING_ARRAY, &recused, N_("A co-applicant that does not vote; may be repeated"),
      N_("ORG") },
    { NULL }
  };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *uuid = NULL;
  g_autofree char *when = NULL;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("open-vote", "ID [--reason TEXT]",
                              _("Close the rating round and open the circulation vote (network coordination)."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bnd_cli_bad_input (_("%s needs one dossier id"), "open-vote");
  if (deadline && !(when = parse_deadline (deadline)))
    return bnd_cli_bad_input (_("“%s” is no date; write it as 01.03.2026 or 2026-03-01"), deadline);
  if (!(uuid = bnd_cli_resolve_dossier (cli, argv[1], &status)))
    return status;
  json_builder_begin_object (builder);
  bnd_cli_add_string (builder, "reason", reason);
  bnd_cli_add_string (builder, "question", question);
  bnd_cli_add_string (builder, "deadline", when);
  if (recused)
    {
      json_builder_set_member_name (builder, "recused");
      json_builder_begin_array (builder);
      for (guint i = 0; recused[i]; i++)
        json_builder_add_string_value (builder, recused[i]);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  return post (cli, uuid, "steps/open-vote", builder);
}

int
bnd_cli_cmd_approve (BndCli *cli,
                     int     argc,
                     char  **argv)
{
  g_autofree char *amount_text = NULL;
  g_autofree char *date_text = NULL;
  g_autofree char *comment = NULL;
  GOptionEntry entries[] = {
    { "amount", 0, 0, G_OPTION_ARG_STRING, &amount_text, N_("The approved amount in euros, such as 120,000.50"),
      N_("EUR") },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date_text, N_("The date of the Bescheid, such as 01.03.2026"), N_("DATE") },
    { "comment", 0, 0, G_OPTION_ARG_STRING, &comment, N_("A note for the audit trail"), N_("TEXT") },
    { NULL }
  };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *uuid = NULL;
  g_autofree char *date = NULL;
  g_autoptr(GError) amount_error = NULL;
  double amount = 0;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("approve", "ID --amount EUR --date DATE",
                              _("Record NBank's approval with its amount and date (network coordination)."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bnd_cli_bad_input (_("%s needs one dossier id"), "approve");
  /* Typed as the user's language writes amounts, like in the app: "120,000" is 120 thousand in
   * English and refused as ambiguous in German, never silently 120. */
  if (amount_text == NULL)
    return bnd_cli_bad_input (_("approve needs the approved amount in euros, such as --amount 120,000.50"));
  if (!bnd_format_parse_amount (amount_text, bnd_locale_current (), &amount, &amount_error))
    return bnd_cli_bad_input ("%s", amount_error->message);
  if (!(amount > 0))
    return bnd_cli_bad_input (_("approve needs the approved amount in euros, such as --amount 120,000.50"));
  if (!(date = bnd_input_parse_date (date_text)))
    return bnd_cli_bad_input (_("approve needs the date of the Bescheid, such as --date 01.03.2026"));
  if (!(uuid = bnd_cli_resolve_dossier (cli, argv[1], &status)))
    return status;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "amount");
  json_builder_add_double_value (builder, amount);
  bnd_cli_add_string (builder, "date", date);
  bnd_cli_add_string (builder, "comment", comment);
  json_builder_end_object (builder);
  return post (cli, uuid, "steps/approve", builder);
}

/* consultation ID|new --date D [--who W] [--notes N] [--org ORG --title T] */
int
bnd_cli_cmd_consultation (BndCli *cli,
                          int     argc,
                          char  **argv)
{
  g_autofree char *date_text = NULL;
  g_autofree char *who = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *org = NULL;
  g_autofree char *title = NULL;
  GOptionEntry entries[] = {
    { "date", 0, 0, G_OPTION_ARG_STRING, &date_text, N_("The day it was held, such as 01.03.2026"), N_("DATE") },
    { "who", 0, 0, G_OPTION_ARG_STRING, &who, N_("Who took part"), N_("NAMES") },
    { "notes", 0, 0, G_OPTION_ARG_STRING, &notes, N_("What was discussed"), N_("TEXT") },
    { "org", 0, 0, G_OPTION_ARG_STRING, &org, N_("For a new dossier: the carrier's organisation"), N_("ORG") },
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, N_("For a new dossier: the project idea's title"), N_("TITLE") },
    { NULL }
  };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *date = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  gboolean start;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("consultation", "ID|new --date DATE [--who NAMES] [--notes TEXT] [--org ORG --title TITLE]",
                              _("Record a dossier's consultation, or start a new dossier with one (network coordination)."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bnd_cli_bad_input (_("consultation needs a dossier id, or “new”"));
  if (!(date = bnd_input_parse_date (date_text)))
    return bnd_cli_bad_input (_("consultation needs the day it was held, such as --date 01.03.2026"));
  start = g_str_equal (argv[1], "new");
  if (start && (org == NULL || title == NULL))
    return bnd_cli_bad_input (_("a new dossier needs the carrier's organisation and the title: --org ORG --title TITLE"));
  if (start)
    uuid = g_uuid_string_random ();
  else if (!(uuid = bnd_cli_resolve_dossier (cli, argv[1], &status)))
    return status;
  if (!(token = bnd_cli_read_token (cli, &url, &error)))
    return bnd_cli_failed (error);

  json_builder_begin_object (builder);
  bnd_cli_add_string (builder, "date", date);
  bnd_cli_add_string (builder, "who", who);
  bnd_cli_add_string (builder, "notes", notes);
  bnd_cli_add_string (builder, "org", org);
  bnd_cli_add_string (builder, "title", title);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  path = g_strdup_printf ("/dossiers/%s/consultation", uuid);
  if (!(answer = bnd_sync_call (url, token, "POST", path, body, &error)))
    return bnd_cli_failed (error);
  /* Translators: the dossier's id */
  g_print (_("The consultation of dossier %s is recorded\n"), uuid);
  return EXIT_OK;
}

int
bnd_cli_cmd_recuse (BndCli *cli,
                    int     argc,
                    char  **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *uuid = NULL;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("recuse", "ID ORG",
                              _("Record that a partner organisation co-applies: it neither rates nor votes (network "
                                "coordination)."), entries, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return bnd_cli_bad_input (_("recuse needs a dossier id and an organisation id"));
  if (!(uuid = bnd_cli_resolve_dossier (cli, argv[1], &status)))
    return status;
  json_builder_begin_object (builder);
  bnd_cli_add_string (builder, "org", argv[2]);
  json_builder_end_object (builder);
  status = post (cli, uuid, "recusals", builder);
  if (status == EXIT_OK)
    /* Translators: an organisation's id */
    g_print (_("%s is recused\n"), bnd_cli_safe (argv[2]));
  return status;
}

int
bnd_cli_cmd_comment (BndCli *cli,
                     int     argc,
                     char  **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *uuid = NULL;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("comment", "ID TEXT", _("Write in a dossier's thread."), entries, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return bnd_cli_bad_input (_("comment needs a dossier id and the text"));
  if (!(uuid = bnd_cli_resolve_dossier (cli, argv[1], &status)))
    return status;
  json_builder_begin_object (builder);
  bnd_cli_add_string (builder, "text", argv[2]);
  json_builder_end_object (builder);
  status = post (cli, uuid, "comments", builder);
  if (status == EXIT_OK)
    g_print ("%s\n", _("The comment is posted"));
  return status;
}

int
bnd_cli_cmd_statement (BndCli *cli,
                       int     argc,
                       char  **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *uuid = NULL;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("statement", "ID",
                              _("Issue the Lenkungskreis's statement from the closed vote: positive or negative by the "
                                "pack's rule (network coordination)."), entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bnd_cli_bad_input (_("%s needs one dossier id"), "statement");
  if (!(uuid = bnd_cli_resolve_dossier (cli, argv[1], &status)))
    return status;
  json_builder_begin_object (builder);
  json_builder_end_object (builder);
  return post (cli, uuid, "steps/issue-statement", builder);
}

/* dossier steps ID [--json]: what the account may do now, and why not the rest */
int
bnd_cli_cmd_dossier_steps (BndCli *cli,
                           int     argc,
                           char  **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *path = NULL;
  JsonObject *object;
  JsonArray *steps;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("dossier steps", "ID", _("Show which steps of the procedure you may take on a dossier now, "
                                                       "and why not the others."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bnd_cli_bad_input (_("dossier steps needs one dossier id"));
  if (!(uuid = bnd_cli_resolve_dossier (cli, argv[1], &status)))
    return status;
  path = g_strdup_printf ("/dossiers/%s/steps", uuid);
  if (!(answer = bnd_cli_call (cli, "GET", path, NULL, &status)))
    return status;
  if (json)
    {
      bnd_cli_print_json (answer);
      return EXIT_OK;
    }

  object = json_node_get_object (answer);
  steps = json_object_get_array_member (object, "steps");
  g_print ("%-16s %s\n", _("Stage:"),
           bnd_cli_safe (bnd_stage_get_label (json_object_get_string_member_with_default (object, "stage", ""))));
  for (int allowed = 1; allowed >= 0; allowed--)
    {
      g_print ("%s\n", allowed ? _("You may now:") : _("Not now:"));
      for (guint i = 0; steps && i < json_array_get_length (steps); i++)
        {
          JsonObject *entry = json_array_get_object_element (steps, i);
          const char *name = json_object_get_string_member_with_default (entry, "step", "");
          const char *why = json_object_get_string_member_with_default (entry, allowed ? "needs" : "reason", NULL);
          g_autofree char *said = why ? bnd_api_error_message (0, allowed ? "invalid"
                                                               : json_object_get_string_member_with_default (entry, "error", NULL),
                                                               why) : NULL;
          BndStep step;

          if (json_object_get_boolean_member_with_default (entry, "allowed", FALSE) != allowed)
            continue;
          g_print ("  %-20s %s", bnd_cli_safe (name),
                   bnd_step_from_string (name, &step) ? bnd_step_get_label (step) : "");
          /* Translators: after a step, what it needs, or why it is not possible now */
          if (said && allowed)
            g_print (_(" (needs: %s)"), bnd_cli_safe (said));
          else if (said)
            g_print (_(": %s"), bnd_cli_safe (said));
          g_print ("\n");
        }
    }
  return EXIT_OK;
}

/* dossier submissions ID: every submission, numbered, with its SHA-256 */
int
bnd_cli_cmd_dossier_submissions (BndCli *cli,
                                 int     argc,
                                 char  **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *path = NULL;
  JsonArray *list;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("dossier submissions", "ID", _("List every submission of a dossier with its SHA-256."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bnd_cli_bad_input (_("dossier submissions needs one dossier id"));
  if (!(uuid = bnd_cli_resolve_dossier (cli, argv[1], &status)))
    return status;
  path = g_strdup_printf ("/dossiers/%s/submissions", uuid);
  if (!(answer = bnd_cli_call (cli, "GET", path, NULL, &status)))
    return status;
  if (json)
    {
      bnd_cli_print_json (answer);
      return EXIT_OK;
    }
  list = json_object_get_array_member (json_node_get_object (answer), "submissions");
  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      JsonObject *entry = json_array_get_object_element (list, i);
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (json_object_get_int_member_with_default (entry, "submitted", 0));
      g_autofree char *when = at ? bnd_format_date_time (at, bnd_locale_current ()) : g_strdup ("?");

      g_print ("%3" G_GINT64_FORMAT "  %s  %-12s %s\n", json_object_get_int_member_with_default (entry, "n", 0), when,
               bnd_cli_safe (json_object_get_string_member_with_default (entry, "submitted_by", "")),
               bnd_cli_safe (json_object_get_string_member_with_default (entry, "sha256", "")));
    }
  return EXIT_OK;
}

/* dossier diff ID [--from N] [--to M]: what changed from one submission to another */
int
bnd_cli_cmd_dossier_diff (BndCli *cli,
                          int     argc,
                          char  **argv)
{
  int from = 0;
  int to = 0;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_INT, &from, N_("The earlier submission (the one before the later by default)"), N_("N") },
    { "to", 0, 0, G_OPTION_ARG_INT, &to, N_("The later submission (the latest by default)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GString) path = NULL;
  g_autofree char *uuid = NULL;
  JsonArray *changes;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("dossier diff", "ID [--from N] [--to M]",
                              _("Show what changed in the sketch from one submission of a dossier to another."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bnd_cli_bad_input (_("dossier diff needs one dossier id"));
  if (from < 0 || to < 0)
    return bnd_cli_bad_input (_("a submission's number is 1 or more"));
  if (!(uuid = bnd_cli_resolve_dossier (cli, argv[1], &status)))
    return status;
  path = g_string_new (NULL);
  g_string_printf (path, "/dossiers/%s/submissions/diff?", uuid);
  if (from > 0)
    g_string_append_printf (path, "from=%d&", from);
  if (to > 0)
    g_string_append_printf (path, "to=%d", to);
  if (!(answer = bnd_cli_call (cli, "GET", path->str, NULL, &status)))
    return status;
  if (json)
    {
      bnd_cli_print_json (answer);
      return EXIT_OK;
    }
  /* Translators: the numbers of two submissions of a dossier */
  g_print (_("From submission %lld to %lld:\n"),
           (long long)json_object_get_int_member_with_default (json_node_get_object (answer), "from", 0),
           (long long)json_object_get_int_member_with_default (json_node_get_object (answer), "to", 0));
  changes = json_object_get_array_member (json_node_get_object (answer), "changes");
  if (changes == NULL || json_array_get_length (changes) == 0)
    g_print ("  %s\n", _("no change in the text"));
  for (guint i = 0; changes && i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      const char *sides[] = { "removed", "added" };

      g_print ("%s\n", bnd_cli_safe (json_object_get_string_member_with_default (change, "label", "")));
      for (guint s = 0; s < G_N_ELEMENTS (sides); s++)
        {
          JsonArray *runs = json_object_get_array_member (change, sides[s]);

          for (guint r = 0; runs && r < json_array_get_length (runs); r++)
            g_print ("  %c %s\n", s == 0 ? '-' : '+', bnd_cli_safe (json_array_get_string_element (runs, r)));
        }
    }
  return EXIT_OK;
}
