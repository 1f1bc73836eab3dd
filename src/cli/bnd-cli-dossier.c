/* bnd-cli-dossier.c: the dossiers as the server keeps them; assessing and attaching
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-cli-dossier"

#include "config.h"

#include <glib/gi18n.h>

#include "bnd-format.h"
#include "bnd-stage.h"
#include "bnd-sync.h"

#include "bnd-cli-dossier.h"
#include "bnd-cli-steps.h"

static int
cmd_dossier_list (BndCli *cli,
                  int     argc,
                  char  **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  BndStoreQuery query = { 0 };
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("dossier list", "", _("List the submitted sketches this profile has, with their stage; "
                                                    "a sync brings the dossiers you may see and their stages."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return bnd_cli_bad_input (_("dossier list takes no arguments"));
  if (!bnd_cli_open_store (cli, &error) || !(list = bnd_store_list (cli->store, &query, &error)))
    return bnd_cli_failed (error);

  json_builder_begin_array (builder);
  for (guint i = 0; i < list->len; i++)
    {
      BndSketchSummary *summary = g_ptr_array_index (list, i);
      g_autoptr(BndSketch) sketch = NULL;
      const char *organisation;

      if (g_str_equal (summary->stage, "draft") ||
          !(sketch = bnd_store_load (cli->store, summary->uuid, NULL, NULL)))
        continue;
      organisation = bnd_sketch_get_carrier (sketch);
      if (!json)
        {
          g_print ("%.8s  %-24s %s\n%10s%s\n", summary->uuid, bnd_cli_safe (bnd_stage_get_label (summary->stage)),
                   bnd_cli_safe (summary->title), "", bnd_cli_safe (organisation));
          continue;
        }
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "uuid");
      json_builder_add_string_value (builder, summary->uuid);
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, summary->title);
      json_builder_set_member_name (builder, "stage");
      json_builder_add_string_value (builder, summary->stage);
      json_builder_set_member_name (builder, "organisation");
      json_builder_add_string_value (builder, organisation);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  if (json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);
      bnd_cli_print_json (root);
    }
  return EXIT_OK;
}

/* GETs @path; with @optional, a 404 gives TRUE and no @answer ("none yet"). */
static gboolean
fetch (const char  *url,
       const char  *token,
       const char  *path,
       gboolean     optional,
       JsonNode   **answer,
       GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if ((*answer = bnd_sync_call (url, token, "GET", path, NULL, &local_error)))
    return TRUE;
  if (optional && g_error_matches (local_error, BND_SYNC_ERROR, BND_SYNC_ERROR_NOT_FOUND))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static JsonArray *
array_member (JsonNode   *node,
              const char *name)
{
  JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonNode *member = object ? json_object_get_member (object, name) : NULL;

  return member && JSON_NODE_HOLDS_ARRAY (member) ? json_node_get_array (member) : NULL;
}

/* The member @name of @object if it is an object, else NULL. */
static JsonObject *
object_member (JsonObject *object,
               const char *name)
{
  JsonNode *member = object ? json_object_get_member (object, name) : NULL;

  return member && JSON_NODE_HOLDS_OBJECT (member) ? json_node_get_object (member) : NULL;
}

/* A copy of the member @name of the object @node, or a null. */
static JsonNode *
copy_member (JsonNode   *node,
             const char *name)
{
  JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonNode *member = object ? json_object_get_member (object, name) : NULL;

  return member ? json_node_copy (member) : json_node_new (JSON_NODE_NULL);
}

static char *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);

  return time ? bnd_format_date_time (time, bnd_locale_current ()) : g_strdup ("?");
}

static const char *
outcome_label (const char *outcome)
{
  if (g_strcmp0 (outcome, "positive") == 0)
    return _("positive");
  if (g_strcmp0 (outcome, "needs-changes") == 0)
    return _("needs changes");
  if (g_strcmp0 (outcome, "negative") == 0)
    return _("negative");
  return bnd_cli_safe (outcome);   /* the server's own word: shown, but escaped */
}

/* The consultation, the rating round's progress and the submissions, from GET /dossiers/UUID. */
static void
print_procedure (JsonNode *dossier)
{
  JsonObject *object = dossier && JSON_NODE_HOLDS_OBJECT (dossier) ? json_node_get_object (dossier) : NULL;
  JsonObject *consultation = object_member (object, "consultation");
  JsonObject *procedure = object_member (object, "procedure");
  JsonObject *round = object_member (procedure, "rating_round");

  if (object == NULL)
    return;
  if (consultation && json_object_get_boolean_member_with_default (consultation, "complete", FALSE))
    g_print ("%-16s %s (%s) %s\n", _("Consultation:"),
             bnd_cli_safe (json_object_get_string_member_with_default (consultation, "date", "")),
             bnd_cli_safe (json_object_get_string_member_with_default (consultation, "who", "")),
             bnd_cli_safe (json_object_get_string_member_with_default (consultation, "notes", "")));
  else if (consultation)
    g_print ("%-16s %s\n", _("Consultation:"), _("started by the submission, not completed yet"));
  if (round)
    {
      g_autofree char *deadline = format_time (json_object_get_int_member_with_default (round, "deadline", 0));

      g_print ("%-16s ", _("Rating round:"));
      /* Translators: how many of the entitled organisations rated, and the round's deadline */
      g_print (_("%lld of %lld rated, until %s\n"),
               (long long)json_object_get_int_member_with_default (procedure, "rated", 0),
               (long long)json_object_get_int_member_with_default (procedure, "entitled", 0), deadline);
    }
  g_print ("%-16s %lld\n", _("Submissions:"), (long long)json_object_get_int_member_with_default (object, "submissions", 0));
}

static void
print_dossier (BndCli     *cli,
               JsonObject *record,
               JsonNode   *dossier,
               JsonNode   *assessment,
               JsonNode   *attachments,
               JsonNode   *comments,
               GPtrArray  *recusals,
               JsonNode   *vote,
               JsonNode   *ratings)
{
  JsonObject *sketch = object_member (record, "data");
  JsonArray *list;

  /* Everything here comes from the server: bnd_cli_safe() keeps it from steering the terminal. */
  g_print ("%s\n", bnd_cli_safe (sketch ? json_object_get_string_member_with_default (sketch, "title", "") : ""));
  g_print ("%-16s %s\n", _("Id:"), bnd_cli_safe (json_object_get_string_member_with_default (record, "uuid", "")));
  g_print ("%-16s %s\n", _("Stage:"),
           bnd_cli_safe (bnd_stage_get_label (json_object_get_string_member_with_default (record, "stage", ""))));
  g_print ("%-16s %s\n", _("Organisation:"),
           bnd_cli_safe (json_object_get_string_member_with_default (record, "org", "")));
  print_procedure (dossier);

  if (assessment && JSON_NODE_HOLDS_OBJECT (assessment))
    {
      JsonObject *object = json_node_get_object (assessment);

      g_print ("%-16s %s\n", _("Assessment:"),
               outcome_label (json_object_get_string_member_with_default (object, "outcome", "")));
      if (json_object_has_member (object, "nbank"))
        g_print ("  %-14s %s %s\n", _("NBank:"),
                 bnd_cli_safe (json_object_get_string_member_with_default (object, "nbank", "")),
                 bnd_cli_safe (json_object_get_string_member_with_default (object, "nbank_date", "")));
      if (json_object_has_member (object, "ministry"))
        g_print ("  %-14s %s %s\n", _("Ministry:"),
                 bnd_cli_safe (json_object_get_string_member_with_default (object, "ministry", "")),
                 bnd_cli_safe (json_object_get_string_member_with_default (object, "ministry_date", "")));
      if (json_object_has_member (object, "note"))
        g_print ("  %-14s %s\n", _("Note:"),
                 bnd_cli_safe (json_object_get_string_member_with_default (object, "note", "")));
      if (json_object_has_member (object, "reason"))
        g_print ("  %-14s %s\n", _("Reason:"),
                 bnd_cli_safe (json_object_get_string_member_with_default (object, "reason", "")));
    }
  else
    g_print ("%-16s %s\n", _("Assessment:"), _("none yet"));

  list = array_member (attachments, "attachments");
  if (list && json_array_get_length (list))
    g_print ("%s\n", _("Attachments:"));
  else
    g_print ("%-16s %s\n", _("Attachments:"), _("none"));
  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      JsonObject *attachment = json_array_get_object_element (list, i);
      g_autofree char *size = g_format_size (json_object_get_int_member_with_default (attachment, "size", 0));

      g_print ("  %3" G_GINT64_FORMAT "  %-16s %s (%s, %s)\n",
               json_object_get_int_member_with_default (attachment, "id", 0),
               bnd_cli_safe (json_object_get_string_member_with_default (attachment, "kind", "")),
               bnd_cli_safe (json_object_get_string_member_with_default (attachment, "name", "")), size,
               bnd_cli_safe (json_object_get_string_member_with_default (attachment, "uploaded_by", "")));
    }

  list = array_member (comments, "comments");
  if (list && json_array_get_length (list))
    g_print ("%s\n", _("Comments:"));
  else
    g_print ("%-16s %s\n", _("Comments:"), _("none"));
  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      JsonObject *comment = json_array_get_object_element (list, i);
      g_autofree char *when = format_time (json_object_get_int_member_with_default (comment, "posted", 0));
      g_autofree char *text = g_strdup (json_object_get_string_member_with_default (comment, "text", ""));

      g_strdelimit (text, "\n", ' ');
      g_print ("  %s  %s (%s): %s\n", when,
               bnd_cli_safe (json_object_get_string_member_with_default (comment, "author", "")),
               bnd_cli_safe (json_object_get_string_member_with_default (comment, "org", "")), bnd_cli_safe (text));
    }

  g_ptr_array_add (recusals, NULL);
  {
    g_autofree char *joined = g_strjoinv (", ", (char **)recusals->pdata);

    g_print ("%-16s %s\n", _("Recusals:"), *joined ? bnd_cli_safe (joined) : _("none"));
  }
  g_ptr_array_remove_index (recusals, recusals->len - 1);

  if (vote && JSON_NODE_HOLDS_OBJECT (vote))
    {
      JsonObject *object = json_node_get_object (vote);
      JsonObject *result = object_member (object, "result");

      if (result)
        {
          /* Translators: the result of a closed circulation vote */
          long long yes = json_object_get_int_member_with_default (result, "yes", 0);
          long long no = json_object_get_int_member_with_default (result, "no", 0);
          long long abstain = json_object_get_int_member_with_default (result, "abstain", 0);
          g_autofree char *counts = g_strdup_printf (_("%lld yes, %lld no, %lld abstain"), yes, no, abstain);

          g_print ("%-16s %s; %s\n", _("Vote:"), counts,
                   json_object_get_boolean_member_with_default (result, "adopted", FALSE) ? _("adopted")
                   : json_object_get_boolean_member_with_default (result, "quorum", FALSE) ? _("not adopted")
                   : _("not adopted, no quorum"));
        }
      else
        {
          g_autofree char *deadline = format_time (json_object_get_int_member_with_default (object, "deadline", 0));

          g_print ("%-16s ", _("Vote:"));
          /* Translators: an open circulation vote: its deadline, then how many organisations voted */
          g_print (_("open until %s; %lld of %lld organisations voted\n"), deadline,
                   (long long)json_object_get_int_member_with_default (object, "voted", 0),
                   (long long)json_object_get_int_member_with_default (object, "entitled", 0));
        }
    }
  else
    g_print ("%-16s %s\n", _("Vote:"), _("not opened"));

  if (ratings && JSON_NODE_HOLDS_OBJECT (ratings))
    {
      JsonObject *object = json_node_get_object (ratings);
      JsonObject *summary = object_member (object, "summary");
      g_auto(GStrv) criteria = bnd_cli_dup_criterion_ids (cli);

      list = array_member (ratings, "ratings");
      if (summary)
        {
          guint n = list ? json_array_get_length (list) : 0;

          g_print ("%-16s ", _("Ratings:"));
          g_print (g_dngettext (GETTEXT_PACKAGE, "%u rating; mean (lowest–highest)\n",
                                "%u ratings; mean (lowest–highest)\n", n), n);
          for (guint i = 0; criteria[i] && n > 0; i++)
            {
              JsonObject *criterion = object_member (summary, criteria[i]);

              if (criterion)
                g_print ("  %-22s %.1f (%" G_GINT64_FORMAT "–%" G_GINT64_FORMAT ")\n", criteria[i],
                         json_object_get_double_member_with_default (criterion, "mean", 0),
                         json_object_get_int_member_with_default (criterion, "min", 0),
                         json_object_get_int_member_with_default (criterion, "max", 0));
            }
        }
      else if (list && json_array_get_length (list) > 0)
        {
          g_autofree char *text = bnd_cli_format_scores (object_member (json_array_get_object_element (list, 0), "scores"),
                                                             (const char * const *)criteria);

          g_print ("%-16s ", _("Ratings:"));
          /* Translators: during the rating round only the own organisation's rating is shown */
          g_print (_("your organisation's: %s\n"), text);
        }
      else
        g_print ("%-16s %s\n", _("Ratings:"), _("none shown before the rating round ends"));
    }
}

static int
cmd_dossier_show (BndCli *cli,
                  int     argc,
                  char  **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autoptr(JsonNode) record = NULL;
  g_autoptr(JsonNode) dossier = NULL;
  g_autoptr(JsonNode) assessment = NULL;
  g_autoptr(JsonNode) attachments = NULL;
  g_autoptr(JsonNode) comments = NULL;
  g_autoptr(JsonNode) audit = NULL;
  g_autoptr(JsonNode) vote = NULL;
  g_autoptr(JsonNode) ratings = NULL;
  g_autoptr(GPtrArray) recusals = g_ptr_array_new ();
  g_autofree char *sketch_path = NULL;
  g_autofree char *dossier_path = NULL;
  g_autofree char *assessment_path = NULL;
  g_autofree char *attachments_path = NULL;
  g_autofree char *comments_path = NULL;
  g_autofree char *audit_path = NULL;
  g_autofree char *vote_path = NULL;
  g_autofree char *ratings_path = NULL;
  JsonArray *entries_array;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("dossier show", "ID", _("Show a dossier as the server has it: stage, first assessment, "
                                                      "attachments, comments, recusals, vote and ratings."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bnd_cli_bad_input (_("dossier show needs one dossier id"));
  if (!(uuid = bnd_cli_resolve_dossier (cli, argv[1], &status)))
    return status;
  if (!(token = bnd_cli_read_token (cli, &url, &error)))
    return bnd_cli_failed (error);

  sketch_path = g_strdup_printf ("/sketches/%s", uuid);
  dossier_path = g_strdup_printf ("/dossiers/%s", uuid);
  assessment_path = g_strconcat (dossier_path, "/assessment", NULL);
  attachments_path = g_strconcat (dossier_path, "/attachments", NULL);
  comments_path = g_strconcat (dossier_path, "/comments", NULL);
  audit_path = g_strconcat (dossier_path, "/audit", NULL);
  vote_path = g_strconcat (dossier_path, "/vote", NULL);
  ratings_path = g_strconcat (dossier_path, "/ratings", NULL);
  if (!fetch (url, token, sketch_path, FALSE, &record, &error) ||
      !fetch (url, token, dossier_path, TRUE, &dossier, &error) ||
      !fetch (url, token, assessment_path, TRUE, &assessment, &error) ||
      !fetch (url, token, attachments_path, FALSE, &attachments, &error) ||
      !fetch (url, token, comments_path, FALSE, &comments, &error) ||
      !fetch (url, token, audit_path, FALSE, &audit, &error) ||
      !fetch (url, token, vote_path, TRUE, &vote, &error) ||
      !fetch (url, token, ratings_path, FALSE, &ratings, &error))
    return bnd_cli_failed (error);

  /* Recusals are in the audit trail, for everyone who sees the dossier. */
  entries_array = array_member (audit, "entries");
  for (guint i = 0; entries_array && i < json_array_get_length (entries_array); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries_array, i);
      JsonNode *detail = json_object_get_member (entry, "detail");

      if (g_strcmp0 (json_object_get_string_member_with_default (entry, "action", NULL), "recused") == 0 &&
          detail && JSON_NODE_HOLDS_OBJECT (detail))
        g_ptr_array_add (recusals, (char *)json_object_get_string_member_with_default (json_node_get_object (detail),
                                                                                       "org", ""));
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      JsonObject *object = json_node_get_object (record);
      JsonObject *data = object_member (object, "data");

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "uuid");
      json_builder_add_string_value (builder, uuid);
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, data ? json_object_get_string_member_with_default (data, "title", "") : "");
      json_builder_set_member_name (builder, "stage");
      json_builder_add_string_value (builder, json_object_get_string_member_with_default (object, "stage", ""));
      json_builder_set_member_name (builder, "org");
      json_builder_add_string_value (builder, json_object_get_string_member_with_default (object, "org", ""));
      json_builder_set_member_name (builder, "consultation");
      json_builder_add_value (builder, copy_member (dossier, "consultation"));
      json_builder_set_member_name (builder, "procedure");
      json_builder_add_value (builder, copy_member (dossier, "procedure"));
      json_builder_set_member_name (builder, "submissions");
      json_builder_add_value (builder, copy_member (dossier, "submissions"));
      json_builder_set_member_name (builder, "assessment");
      json_builder_add_value (builder, assessment ? json_node_copy (assessment) : json_node_new (JSON_NODE_NULL));
      json_builder_set_member_name (builder, "attachments");
      json_builder_add_value (builder, copy_member (attachments, "attachments"));
      json_builder_set_member_name (builder, "comments");
      json_builder_add_value (builder, copy_member (comments, "comments"));
      json_builder_set_member_name (builder, "recusals");
      json_builder_begin_array (builder);
      for (guint i = 0; i < recusals->len; i++)
        json_builder_add_string_value (builder, g_ptr_array_index (recusals, i));
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "vote");
      json_builder_add_value (builder, vote ? json_node_copy (vote) : json_node_new (JSON_NODE_NULL));
      json_builder_set_member_name (builder, "ratings");
      json_builder_add_value (builder, json_node_copy (ratings));
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      bnd_cli_print_json (root);
      return EXIT_OK;
    }

  print_dossier (cli, json_node_get_object (record), dossier, assessment, attachments, comments, recusals, vote, ratings);
  return EXIT_OK;
}

int
bnd_cli_cmd_dossier (BndCli *cli,
                     int     argc,
                     char  **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "list"))
    return cmd_dossier_list (cli, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "show"))
    return cmd_dossier_show (cli, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "steps"))
    return bnd_cli_cmd_dossier_steps (cli, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "submissions"))
    return bnd_cli_cmd_dossier_submissions (cli, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "diff"))
    return bnd_cli_cmd_dossier_diff (cli, argc - 1, argv + 1);
  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      g_print ("%s\n  buendnis-cli dossier list [--json]\n  buendnis-cli dossier show ID [--json]\n"
               "  buendnis-cli dossier steps ID [--json]\n  buendnis-cli dossier submissions ID [--json]\n"
               "  buendnis-cli dossier diff ID [--from N] [--to M] [--json]\n",
               _("List the dossiers in this profile, or show one, its steps or its submissions as the server has "
                 "them:"));
      return EXIT_OK;
    }
  return bnd_cli_bad_input (_("dossier needs list, show, steps, submissions or diff"));
}

/* The coordination records the first assessment; the server checks who may and when. */
int
bnd_cli_cmd_assess (BndCli *cli,
                    int     argc,
                    char  **argv)
{
  g_autofree char *nbank = NULL;
  g_autofree char *nbank_date = NULL;
  g_autofree char *ministry = NULL;
  g_autofree char *ministry_date = NULL;
  g_autofree char *note = NULL;
  g_autofree char *reason = NULL;
  GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
      N_("Why changes are needed or the outcome is negative, for the carrier"), N_("TEXT") },
    { "nbank", 0, 0, G_OPTION_ARG_STRING, &nbank, N_("What NBank said"), N_("TEXT") },
    { "nbank-date", 0, 0, G_OPTION_ARG_STRING, &nbank_date, N_("When NBank said it"), N_("YYYY-MM-DD") },
    { "ministry", 0, 0, G_OPTION_ARG_STRING, &ministry, N_("What the ministry said"), N_("TEXT") },
    { "ministry-date", 0, 0, G_OPTION_ARG_STRING, &ministry_date, N_("When the ministry said it"), N_("YYYY-MM-DD") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, N_("A note the carrier reads"), N_("TEXT") },
    { NULL }
  };
  const char *members[][2] = {
    { "nbank", NULL }, { "nbank_date", NULL }, { "ministry", NULL }, { "ministry_date", NULL }, { "note", NULL },
    { "reason", NULL },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("assess", "ID positive|needs-changes|negative",
                              _("Record the first assessment with NBank and the ministry (network coordination)."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 3 || (!g_str_equal (argv[2], "positive") && !g_str_equal (argv[2], "needs-changes") &&
                    !g_str_equal (argv[2], "negative")))
    return bnd_cli_bad_input (
      _("assess needs a dossier id and positive, needs-changes or negative"));
  if (!g_str_equal (argv[2], "positive") && (reason == NULL || *g_strstrip (reason) == '\0') &&
      (note == NULL || *g_strstrip (note) == '\0'))
    return bnd_cli_bad_input (_("assess %s needs a reason for the carrier: --reason TEXT"), argv[2]);
  if (!(uuid = bnd_cli_resolve_dossier (cli, argv[1], &status)))
    return status;
  if (!(token = bnd_cli_read_token (cli, &url, &error)))
    return bnd_cli_failed (error);

  members[0][1] = nbank;
  members[1][1] = nbank_date;
  members[2][1] = ministry;
  members[3][1] = ministry_date;
  members[4][1] = note;
  members[5][1] = reason;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "outcome");
  json_builder_add_string_value (builder, argv[2]);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    if (members[i][1] != NULL)
      {
        json_builder_set_member_name (builder, members[i][0]);
        json_builder_add_string_value (builder, members[i][1]);
      }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  path = g_strdup_printf ("/dossiers/%s/assessment", uuid);
  if (!(answer = bnd_sync_call (url, token, "PUT", path, body, &error)))
    return bnd_cli_failed (error);
  g_print (_("The first assessment is recorded: %s\n"),
           outcome_label (json_object_get_string_member_with_default (json_node_get_object (answer), "outcome", "")));
  return EXIT_OK;
}

/* The carrier attaches a PDF; the server checks that it is one, and its size. */
int
bnd_cli_cmd_attach (BndCli *cli,
                    int     argc,
                    char  **argv)
{
  static const char *kinds[] = { "long-form", "letter-of-intent", "other", NULL };
  g_autofree char *kind = NULL;
  g_autofree char *name = NULL;
  GOptionEntry entries[] = {
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind, N_("long-form, letter-of-intent or other (the default)"), N_("KIND") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The name the partners see (the file's name by default)"),
      N_("NAME") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  g_autofree char *escaped = NULL;
  char *contents = NULL;
  gsize length;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("attach", "ID FILE.pdf", _("Attach a PDF to a dossier, such as the long form (carrier)."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return bnd_cli_bad_input (_("attach needs a dossier id and a PDF file"));
  if (kind == NULL)
    kind = g_strdup ("other");
  if (!g_strv_contains (kinds, kind))
    return bnd_cli_bad_input (_("an attachment is a long-form, a letter-of-intent or other, not “%s”"), kind);
  if (!g_file_get_contents (argv[2], &contents, &length, &error))
    {
      if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return bnd_cli_bad_input (_("there is no file “%s”"), argv[2]);
      return bnd_cli_failed (error);
    }
  pdf = g_bytes_new_take (contents, length);
  if (name == NULL)
    name = g_path_get_basename (argv[2]);
  if (!(uuid = bnd_cli_resolve_dossier (cli, argv[1], &status)))
    return status;
  if (!(token = bnd_cli_read_token (cli, &url, &error)))
    return bnd_cli_failed (error);

  escaped = g_uri_escape_string (name, NULL, FALSE);
  path = g_strdup_printf ("/dossiers/%s/attachments?kind=%s&name=%s", uuid, kind, escaped);
  if (!(answer = bnd_sync_upload (url, token, path, "application/pdf", pdf, &error)))
    return bnd_cli_failed (error);
  /* Translators: the file's name, then the attachment's number on the server */
  g_print (_("Attached “%s” as attachment %lld\n"), bnd_cli_safe (name),
           (long long)json_object_get_int_member_with_default (json_node_get_object (answer), "id", 0));
  return EXIT_OK;
}
