/* bnd-cli-procedure.c: stages, the audit trail, votes, ratings and the portfolio
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-cli-procedure"

#include "config.h"

#include <glib/gi18n.h>

#include "bnd-audit.h"
#include "bnd-portfolio-csv.h"
#include "bnd-portfolio-renderer.h"
#include "bnd-portfolio-xlsx.h"
#include "bnd-sync.h"

#include "bnd-cli-procedure.h"

/* What became of a vote or rating. One given under another account than the one signed in now
 * says whose it is: it is sent only under that account. */
static char *
describe_queued (BndCli     *cli,
                 const char *state,
                 const char *account_url,
                 const char *account_user)
{
  g_autofree char *url = bnd_store_get_meta (cli->store, "server_url");
  g_autofree char *user = bnd_store_get_meta (cli->store, "server_user");
  gboolean own = bnd_store_is_account (url, user, account_url, account_user);
  const char *text = g_str_equal (state, "counted") ? _("counted")
                     : g_str_equal (state, "refused") ? _("not counted")
                     : own ? _("waiting for the next sync") : NULL;

  if (text == NULL)
    /* Translators: a vote or rating kept for another account; %s is its user name, then the server */
    return g_strdup_printf (_("kept for %s on %s: it goes once that account signs in here again"),
                            account_user, account_url);
  if (!own)
    /* Translators: "counted (given as anna)" */
    return g_strdup_printf (_("%s (given as %s)"), text, account_user);
  return g_strdup (text);
}

/* The profile's votes, or one dossier's: a refused vote stays listed as not counted. */
static int
print_votes (BndCli     *cli,
             const char *only)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) votes = bnd_store_list_votes (cli->store, &error);

  if (votes == NULL)
    return bnd_cli_failed (error);
  for (guint i = 0; i < votes->len; i++)
    {
      BndQueuedVote *vote = g_ptr_array_index (votes, i);
      g_autofree char *state = describe_queued (cli, vote->state, vote->account_url, vote->account_user);

      if (only && !g_str_equal (only, vote->dossier))
        continue;
      g_print ("%.8s  %-8s %s%s%s\n", bnd_cli_safe (vote->dossier), bnd_cli_safe (vote->choice), bnd_cli_safe (state),
               vote->message ? ": " : "", bnd_cli_safe (vote->message));
    }
  return EXIT_OK;
}

/* The coordination moves a dossier on; the server checks who may. */
int
bnd_cli_cmd_stage (BndCli *cli,
                   int     argc,
                   char  **argv)
{
  g_autofree char *comment = NULL;
  g_autofree char *date = NULL;
  double amount = 0;
  GOptionEntry entries[] = {
    { "comment", 0, 0, G_OPTION_ARG_STRING, &comment, N_("Why, for the audit trail"), N_("TEXT") },
    { "amount", 0, 0, G_OPTION_ARG_DOUBLE, &amount, N_("The approved amount in euros"), N_("EUR") },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date, N_("The date of the decision"), N_("YYYY-MM-DD") },
    { NULL }
  };
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  BndSyncReport report;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("stage", "ID STAGE", _("Move a dossier to the next stage of the procedure (network coordination)."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return bnd_cli_bad_input (_("stage needs a sketch id and a stage"));
  if (!(sketch = bnd_cli_load_sketch (cli, argv[1], &status)))
    return status;
  if (!(token = bnd_cli_read_token (cli, &url, &error)))
    return bnd_cli_failed (error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "stage");
  json_builder_add_string_value (builder, argv[2]);
  if (comment)
    {
      json_builder_set_member_name (builder, "comment");
      json_builder_add_string_value (builder, comment);
    }
  if (amount > 0)
    {
      json_builder_set_member_name (builder, "amount");
      json_builder_add_double_value (builder, amount);
    }
  if (date)
    {
      json_builder_set_member_name (builder, "date");
      json_builder_add_string_value (builder, date);
    }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  path = g_strdup_printf ("/dossiers/%s/stage", bnd_sketch_get_uuid (sketch));
  if (!(answer = bnd_sync_call (url, token, "POST", path, body, &error)))
    return bnd_cli_failed (error);
  /* The new stage reaches the local copy the way every change does. */
  if (!bnd_sync_run (cli->store, cli->strategy, url, token, NULL, &report, &error))
    return bnd_cli_failed (error);
  g_print (_("The dossier is now at stage “%s”\n"),
           json_object_get_string_member_with_default (json_node_get_object (answer), "stage", ""));
  return EXIT_OK;
}

/* Recomputes the chain the server sent: an entry changed after it was written no longer
 * matches its hash, and a removed one breaks the link to the next. */
static int
verify_audit (const char *uuid,
              JsonArray  *entries)
{
  g_autofree char *prev = g_strdup (BND_AUDIT_GENESIS);
  guint problems = 0;
  guint n = entries ? json_array_get_length (entries) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      gint64 number = json_object_get_int_member_with_default (entry, "n", 0);
      const char *hash = json_object_get_string_member_with_default (entry, "hash", "");
      g_autofree char *expected = bnd_audit_hash (json_object_get_string_member_with_default (entry, "prev", ""), uuid,
                                                  number, json_object_get_int_member_with_default (entry, "at", 0),
                                                  json_object_get_string_member_with_default (entry, "actor", ""),
                                                  json_object_get_string_member_with_default (entry, "action", ""),
                                                  json_object_get_string_member_with_default (entry, "detail_text", ""));

      if (number != (gint64)i + 1)
        {
          g_print (_("entry %u is missing\n"), i + 1);
          problems++;
        }
      if (g_strcmp0 (json_object_get_string_member_with_default (entry, "prev", ""), prev) != 0)
        {
          g_print (_("entry %lld does not follow the entry before it\n"), (long long)number);
          problems++;
        }
      if (g_strcmp0 (expected, hash) != 0)
        {
          g_print (_("entry %lld was altered\n"), (long long)number);
          problems++;
        }
      g_free (prev);
      prev = g_strdup (hash);
    }
  if (problems > 0)
    return EXIT_FAILED;
  g_print (g_dngettext (GETTEXT_PACKAGE, "The audit trail holds: %u entry checked\n",
                        "The audit trail holds: %u entries checked\n", n), n);
  return EXIT_OK;
}

/* The dossier's audit trail as the server keeps it, oldest first. */
int
bnd_cli_cmd_audit (BndCli *cli,
                   int     argc,
                   char  **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  JsonArray *entries_array;
  gboolean verify;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("audit", "[verify] ID", _("Show a dossier's audit trail, or check its chain of hashes."),
                              entries, &argc, &argv, &status))
    return status;
  verify = argc == 3 && g_str_equal (argv[1], "verify");
  if (argc != 2 && !verify)
    return bnd_cli_bad_input (_("audit needs one sketch id"));
  if (!(sketch = bnd_cli_load_sketch (cli, argv[argc - 1], &status)))
    return status;
  if (!(token = bnd_cli_read_token (cli, &url, &error)))
    return bnd_cli_failed (error);
  path = g_strdup_printf ("/dossiers/%s/audit", bnd_sketch_get_uuid (sketch));
  if (!(answer = bnd_sync_call (url, token, "GET", path, NULL, &error)))
    return bnd_cli_failed (error);

  entries_array = json_object_get_array_member (json_node_get_object (answer), "entries");
  if (verify)
    return verify_audit (bnd_sketch_get_uuid (sketch), entries_array);
  for (guint i = 0; entries_array && i < json_array_get_length (entries_array); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries_array, i);
      JsonNode *detail = json_object_get_member (entry, "detail");
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (json_object_get_int_member_with_default (entry, "at", 0));
      g_autofree char *when = at ? g_date_time_format (at, "%Y-%m-%d %H:%M") : g_strdup ("?");
      const char *note = detail && JSON_NODE_HOLDS_OBJECT (detail)
                         ? json_object_get_string_member_with_default (json_node_get_object (detail), "comment", "")
                         : "";

      g_print ("%3" G_GINT64_FORMAT "  %s  %-20s %-12s %s\n", json_object_get_int_member_with_default (entry, "n", 0),
               when, bnd_cli_safe (json_object_get_string_member_with_default (entry, "action", "")),
               bnd_cli_safe (json_object_get_string_member_with_default (entry, "actor", "")), bnd_cli_safe (note));
    }
  return EXIT_OK;
}

/* A vote is kept in the profile first, so that it can be cast on the road; a sync delivers it. */
int
bnd_cli_cmd_vote (BndCli *cli,
                  int     argc,
                  char  **argv)
{
  g_autofree char *comment = NULL;
  GOptionEntry entries[] = {
    { "comment", 0, 0, G_OPTION_ARG_STRING, &comment, N_("A comment with the vote"), N_("TEXT") },
    { NULL }
  };
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  BndSyncReport report;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("vote", "ID yes|no|abstain", _("Vote on a dossier in the circulation vote; offline, the vote waits for the next sync."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 3 || (!g_str_equal (argv[2], "yes") && !g_str_equal (argv[2], "no") && !g_str_equal (argv[2], "abstain")))
    return bnd_cli_bad_input (_("vote needs a sketch id and yes, no or abstain"));
  if (!(sketch = bnd_cli_load_sketch (cli, argv[1], &status)))
    return status;
  if (!bnd_store_queue_vote (cli->store, bnd_sketch_get_uuid (sketch), argv[2], comment, &error))
    return bnd_cli_failed (error);

  if (!(token = bnd_cli_read_token (cli, &url, &error)) ||
      !bnd_sync_run (cli->store, cli->strategy, url, token, NULL, &report, &error))
    {
      if (g_error_matches (error, BND_SYNC_ERROR, BND_SYNC_ERROR_OFFLINE))
        {
          g_print ("%s\n", _("The vote is kept and goes to the server with the next sync"));
          return EXIT_OK;
        }
      return bnd_cli_failed (error);
    }
  return print_votes (cli, bnd_sketch_get_uuid (sketch));
}

int
bnd_cli_cmd_votes (BndCli *cli,
                   int     argc,
                   char  **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("votes", "", _("List the votes cast from this profile and what became of them."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return bnd_cli_bad_input (_("votes takes no arguments"));
  if (!bnd_cli_open_store (cli, &error))
    return bnd_cli_failed (error);
  return print_votes (cli, NULL);
}

/* The profile's ratings, or one dossier's: a refused rating stays listed as not counted. */
static int
print_ratings (BndCli     *cli,
               const char *only,
               gboolean    json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ratings = bnd_store_list_ratings (cli->store, &error);
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (ratings == NULL)
    return bnd_cli_failed (error);
  json_builder_begin_array (builder);
  for (guint i = 0; i < ratings->len; i++)
    {
      BndQueuedRating *rating = g_ptr_array_index (ratings, i);
      g_autoptr(JsonNode) scores = json_from_string (rating->scores, NULL);
      g_autofree char *state = describe_queued (cli, rating->state, rating->account_url, rating->account_user);

      if (only && !g_str_equal (only, rating->dossier))
        continue;
      if (json)
        {
          g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (rating->rated_at / G_USEC_PER_SEC);
          g_autofree char *rated = g_date_time_format_iso8601 (time);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "dossier");
          json_builder_add_string_value (builder, rating->dossier);
          json_builder_set_member_name (builder, "scores");
          json_builder_add_value (builder, scores ? g_steal_pointer (&scores) : json_node_new (JSON_NODE_NULL));
          json_builder_set_member_name (builder, "comment");
          json_builder_add_string_value (builder, rating->comment);
          json_builder_set_member_name (builder, "rated");
          json_builder_add_string_value (builder, rated);
          json_builder_set_member_name (builder, "state");
          json_builder_add_string_value (builder, rating->state);
          json_builder_set_member_name (builder, "account_url");
          json_builder_add_string_value (builder, rating->account_url);
          json_builder_set_member_name (builder, "account_user");
          json_builder_add_string_value (builder, rating->account_user);
          json_builder_set_member_name (builder, "message");
          if (rating->message)
            json_builder_add_string_value (builder, rating->message);
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
          continue;
        }
      {
        g_auto(GStrv) criteria = bnd_cli_dup_criterion_ids (cli);
        g_autofree char *text = bnd_cli_format_scores (scores && JSON_NODE_HOLDS_OBJECT (scores)
                                                       ? json_node_get_object (scores) : NULL,
                                                       (const char * const *)criteria);

        g_print ("%.8s  %s%s%s\n          %s\n", bnd_cli_safe (rating->dossier), bnd_cli_safe (state),
                 rating->message ? ": " : "",
                 bnd_cli_safe (rating->message), bnd_cli_safe (text));
      }
    }
  json_builder_end_array (builder);
  if (json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);
      bnd_cli_print_json (root);
    }
  return EXIT_OK;
}

/* A rating is kept in the profile first, like a vote, and a sync delivers it. */
int
bnd_cli_cmd_rate (BndCli *cli,
                  int     argc,
                  char  **argv)
{
  g_auto(GStrv) criteria = bnd_cli_dup_criterion_ids (cli);
  const BndReview *review = cli->strategy ? bnd_strategy_get_review (cli->strategy) : NULL;
  g_autofree char *comment = NULL;
  GOptionEntry entries[] = {
    { "comment", 0, 0, G_OPTION_ARG_STRING, &comment, N_("A comment with the rating"), N_("TEXT") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) scores = NULL;
  g_autoptr(GHashTable) given = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *uuid = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *scores_json = NULL;
  g_autofree char *names = g_strjoinv (", ", (char **)criteria);
  BndSyncReport report;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("rate", "ID CRITERION=SCORE…",
                              _("Rate a dossier in the rating round, each criterion from 1 to 5; offline, the rating "
                                "waits for the next sync."), entries, &argc, &argv, &status))
    return status;
  if (argc < 2)
    return bnd_cli_bad_input (_("rate needs a dossier id and a score for each criterion: %s"),
                              names);
  for (int i = 2; i < argc; i++)
    {
      g_auto(GStrv) pair = g_strsplit (argv[i], "=", 2);
      gint64 score;

      if (g_strv_length (pair) != 2 || !g_strv_contains ((const char * const *)criteria, pair[0]))
        return bnd_cli_bad_input (_("unknown criterion “%s”; the criteria are %s"), pair[0], names);
      if (!g_ascii_string_to_signed (pair[1], 10, review->scale_min, review->scale_max, &score, NULL))
        return bnd_cli_bad_input (_("a score is a whole number from %d to %d, not “%s”"), review->scale_min, review->scale_max,
                                  pair[1]);
      if (g_hash_table_contains (given, pair[0]))
        return bnd_cli_bad_input (_("“%s” is rated twice"), pair[0]);
      g_hash_table_insert (given, (gpointer)g_intern_string (pair[0]), GINT_TO_POINTER ((int)score));
    }
  json_builder_begin_object (builder);
  for (guint i = 0; criteria[i]; i++)
    {
      if (!g_hash_table_contains (given, criteria[i]))
        return bnd_cli_bad_input (_("rate needs a dossier id and a score for each criterion: %s"),
                                  names);
      json_builder_set_member_name (builder, criteria[i]);
      json_builder_add_int_value (builder, GPOINTER_TO_INT (g_hash_table_lookup (given, criteria[i])));
    }
  json_builder_end_object (builder);
  scores = json_builder_get_root (builder);
  json_generator_set_root (generator, scores);
  scores_json = json_generator_to_data (generator, NULL);

  if (!(uuid = bnd_cli_resolve_dossier (cli, argv[1], &status)))
    return status;
  if (!bnd_store_queue_rating (cli->store, uuid, scores_json, comment, &error))
    return bnd_cli_failed (error);
  if (!(token = bnd_cli_read_token (cli, &url, &error)) ||
      !bnd_sync_run (cli->store, cli->strategy, url, token, NULL, &report, &error))
    {
      if (g_error_matches (error, BND_SYNC_ERROR, BND_SYNC_ERROR_OFFLINE))
        {
          g_print ("%s\n", _("The rating is kept and goes to the server with the next sync"));
          return EXIT_OK;
        }
      return bnd_cli_failed (error);
    }
  return print_ratings (cli, uuid, FALSE);
}

int
bnd_cli_cmd_ratings (BndCli *cli,
                     int     argc,
                     char  **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("ratings", "", _("List the ratings given from this profile and what became of them."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return bnd_cli_bad_input (_("ratings takes no arguments"));
  if (!bnd_cli_open_store (cli, &error))
    return bnd_cli_failed (error);
  return print_ratings (cli, NULL, json);
}

int
bnd_cli_cmd_portfolio (BndCli *cli,
                       int     argc,
                       char  **argv)
{
  gboolean csv = FALSE;
  g_autofree char *pdf_path = NULL;
  g_autofree char *xlsx_path = NULL;
  GOptionEntry entries[] = {
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, N_("One line per dossier, as CSV"), NULL },
    { "pdf", 0, 0, G_OPTION_ARG_FILENAME, &pdf_path, N_("Write the portfolio report to FILE as PDF"), N_("FILE") },
    { "xlsx", 0, 0, G_OPTION_ARG_FILENAME, &xlsx_path,
      N_("Write the portfolio to FILE as a spreadsheet (.xlsx) in the interface language"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *csv_text = NULL;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("portfolio", "[--csv | --pdf FILE | --xlsx FILE]", _("Show all submitted dossiers: by stage, coverage and sums."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return bnd_cli_bad_input (_("portfolio takes no arguments"));
  if (csv + (pdf_path != NULL) + (xlsx_path != NULL) > 1)
    return bnd_cli_bad_input (_("portfolio takes either --csv, --pdf or --xlsx"));
  if ((pdf_path || xlsx_path) && !bnd_cli_open_strategy (cli, &error))
    return bnd_cli_failed (error);
  if (!(token = bnd_cli_read_token (cli, &url, &error)))
    return bnd_cli_failed (error);
  if (!(answer = bnd_sync_call (url, token, "GET", "/portfolio", NULL, &error)))
    return bnd_cli_failed (error);

  if (pdf_path)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autoptr(GBytes) pdf = bnd_portfolio_render_pdf (cli->strategy, answer, now, &error);

      if (pdf == NULL ||
          !g_file_set_contents (pdf_path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error))
        return bnd_cli_failed (error);
      return EXIT_OK;
    }

  if (xlsx_path)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autoptr(GBytes) xlsx = bnd_portfolio_to_xlsx (cli->strategy, answer, now, bnd_locale_current (), &error);

      if (xlsx == NULL ||
          !g_file_set_contents (xlsx_path, g_bytes_get_data (xlsx, NULL), g_bytes_get_size (xlsx), &error))
        return bnd_cli_failed (error);
      return EXIT_OK;
    }

  if (!csv)
    {
      g_autofree char *text = NULL;

      generator = json_generator_new ();
      json_generator_set_pretty (generator, TRUE);
      json_generator_set_root (generator, answer);
      text = json_generator_to_data (generator, NULL);
      g_print ("%s\n", text);
      return EXIT_OK;
    }

  csv_text = bnd_portfolio_to_csv (answer);
  g_print ("%s", csv_text);
  return EXIT_OK;
}
