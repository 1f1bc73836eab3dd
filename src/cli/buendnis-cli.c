/* buendnis-cli.c: Bündnis from a terminal, on the same store as the application
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "buendnis-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "bnd-cli.h"
#include "bnd-cli-account.h"
#include "bnd-cli-dossier.h"
#include "bnd-cli-procedure.h"
#include "bnd-cli-profile.h"
#include "bnd-cli-refused.h"
#include "bnd-cli-sessions.h"
#include "bnd-cli-sketches.h"
#include "bnd-cli-steps.h"
#include "bnd-cli-sync.h"
#include "bnd-i18n.h"

/* A command lives in bnd-cli-<group>.c and gets the arguments from its name on. */
typedef int (*BndCliCommandFunc) (BndCli *cli, int argc, char **argv);

typedef struct
{
  const char        *name;
  const char        *args;
  const char        *summary;
  BndCliCommandFunc  func;
} BndCliCommand;

static const BndCliCommand commands[] = {
  { "template", "[--json]", N_("Show the sections of the Projektskizze template"),
    bnd_cli_cmd_template },
  { "new", "--title TITLE", N_("Create a sketch"), bnd_cli_cmd_new },
  { "list", "[--json]", N_("List the sketches"), bnd_cli_cmd_list },
  { "show", "ID [--json]", N_("Show a sketch"), bnd_cli_cmd_show },
  { "edit", "ID --section S (--text T | --file F) | --confirm ID", N_("Change a section, or confirm a funding condition"), bnd_cli_cmd_edit },
  { "search", "QUERY", N_("Find sketches"), bnd_cli_cmd_search },
  { "import", "FILE.bndsketch", N_("Import a sketch file"), bnd_cli_cmd_import },
  { "export", "ID -o FILE.pdf|FILE.bndsketch [--strict]", N_("Export a sketch"),
    bnd_cli_cmd_export },
  { "export-pdf", "FILE.bndsketch OUT.pdf [--strict]", N_("Render a sketch file to PDF"),
    bnd_cli_cmd_export_pdf },
  { "pages", "ID|FILE.bndsketch", N_("Show the page budget"), bnd_cli_cmd_pages },
  { "history", "ID", N_("List the versions of a sketch"), bnd_cli_cmd_history },
  { "snapshot", "ID", N_("Keep the current state as a version"), bnd_cli_cmd_snapshot },
  { "restore", "ID --version N", N_("Make an earlier version current again"), bnd_cli_cmd_restore },
  { "login", "URL --user NAME [--token-file F]", N_("Sign in to a server"), bnd_cli_cmd_login },
  { "logout", "", N_("Sign out"), bnd_cli_cmd_logout },
  { "sync", "", N_("Exchange changes with the server"), bnd_cli_cmd_sync },
  { "conflicts", "", N_("List the conflicts"), bnd_cli_cmd_conflicts },
  { "resolve", "ID --section S (--take mine|theirs | --text T)", N_("Decide a conflict"),
    bnd_cli_cmd_resolve },
  { "refused", "", N_("List the sketches whose edits the server refused"), bnd_cli_cmd_refused },
  { "resolve-refused", "ID --take-server|--keep-as-draft", N_("Take the server’s version, or keep yours as a new draft"),
    bnd_cli_cmd_resolve_refused },
  { "submit", "ID", N_("Submit a sketch to the network coordination"), bnd_cli_cmd_submit },
  { "stage", "ID STAGE [--comment T] [--amount EUR --date D]", N_("Move a dossier on (network coordination)"),
    bnd_cli_cmd_stage },
  { "audit", "[verify] ID", N_("Show a dossier's audit trail, or check it"), bnd_cli_cmd_audit },
  { "vote", "ID yes|no|abstain [--comment T]", N_("Vote in a circulation vote, offline too"),
    bnd_cli_cmd_vote },
  { "votes", "", N_("List your votes and whether they were counted"), bnd_cli_cmd_votes },
  { "dossier", "list|show|steps|submissions|diff ID [--json]",
    N_("List the dossiers, or show one, its steps or submissions as the server has them"), bnd_cli_cmd_dossier },
  { "consultation", "ID|new --date D [--org O --title T]", N_("Record a consultation (network coordination)"),
    bnd_cli_cmd_consultation },
  { "start-assessment", "ID", N_("Start the first assessment (network coordination)"), bnd_cli_cmd_start_assessment },
  { "assess", "ID positive|needs-changes|negative [--reason T]",
    N_("Record the first assessment (network coordination)"), bnd_cli_cmd_assess },
  { "receive-long-form", "ID", N_("Record the long form as received (network coordination)"),
    bnd_cli_cmd_receive_long_form },
  { "open-rating", "ID [--deadline D]", N_("Open the rating round (network coordination)"), bnd_cli_cmd_open_rating },
  { "open-vote", "ID [--reason T]", N_("Close the rating round, open the vote (network coordination)"),
    bnd_cli_cmd_open_vote },
  { "recuse", "ID ORG", N_("Recuse a co-applicant (network coordination)"), bnd_cli_cmd_recuse },
  { "comment", "ID TEXT", N_("Write in a dossier's thread"), bnd_cli_cmd_comment },
  { "statement", "ID", N_("Issue the statement from the closed vote (network coordination)"), bnd_cli_cmd_statement },
  { "application", "ID", N_("Record the application at NBank"), bnd_cli_cmd_application },
  { "approve", "ID --amount EUR --date D", N_("Record NBank's approval (network coordination)"), bnd_cli_cmd_approve },
  { "reject", "ID --reason T", N_("Record NBank's rejection (network coordination)"), bnd_cli_cmd_reject },
  { "withdraw", "ID --reason T", N_("Withdraw an open dossier"), bnd_cli_cmd_withdraw },
  { "reopen", "ID --reason T", N_("Reopen a closed dossier (network coordination)"), bnd_cli_cmd_reopen },
  { "attach", "ID FILE.pdf [--kind K] [--name N]", N_("Attach a PDF to a dossier (carrier)"),
    bnd_cli_cmd_attach },
  { "rate", "ID CRITERION=SCORE... [--comment T]", N_("Rate a dossier in the rating round, offline too"),
    bnd_cli_cmd_rate },
  { "ratings", "[--json]", N_("List your ratings and whether they were counted"),
    bnd_cli_cmd_ratings },
  { "portfolio", "[--csv | --pdf FILE | --xlsx FILE]", N_("Show the portfolio of submitted dossiers"),
    bnd_cli_cmd_portfolio },
  { "account", "[--email A] [--language de|en] [--notifications on|off]",
    N_("Show your account, and change its e-mail settings"), bnd_cli_cmd_account },
  { "session", "new|list|show|add|remove|outcome|held|agenda-pdf|minutes-pdf …",
    N_("Plan Lenkungskreis sessions, their agendas and minutes"), bnd_cli_cmd_session },
  { "profile", "export|import FILE", N_("Move the whole profile to another computer, without the sign-in"),
    bnd_cli_cmd_profile },
};

static void
print_usage (void)
{
  g_print ("%s\n\n", _("Usage: buendnis-cli [--profile DIR] [--strategy FILE] COMMAND [OPTIONS…]"));
  g_print ("%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_print ("  %-17s %-44s %s\n", commands[i].name, commands[i].args, _(commands[i].summary));
  g_print ("\n%s\n", _("“buendnis-cli COMMAND --help” describes a command. Exit status: 0 done, 1 failed, "
                       "2 bad input, 3 over the page limit with --strict."));
}

int
main (int   argc,
      char *argv[])
{
  BndCli cli = { 0 };
  int status = EXIT_BAD_INPUT;
  int first = 1;

  bnd_i18n_init ();

  /* Options before the command apply to all commands. */
  while (first < argc && argv[first][0] == '-')
    {
      if (g_str_equal (argv[first], "--help") || g_str_equal (argv[first], "-h"))
        {
          print_usage ();
          return EXIT_OK;
        }
      if (g_str_equal (argv[first], "--version"))
        {
          g_print ("buendnis-cli %s\n", PACKAGE_VERSION);
          return EXIT_OK;
        }
      if ((g_str_equal (argv[first], "--profile") || g_str_equal (argv[first], "--strategy")) && first + 1 < argc)
        {
          char **target = g_str_equal (argv[first], "--profile") ? &cli.profile : &cli.strategy_path;
          g_free (*target);
          *target = g_strdup (argv[first + 1]);
          first += 2;
          continue;
        }
      if (g_str_has_prefix (argv[first], "--profile=") || g_str_has_prefix (argv[first], "--strategy="))
        {
          char **target = g_str_has_prefix (argv[first], "--profile=") ? &cli.profile : &cli.strategy_path;
          g_free (*target);
          *target = g_strdup (strchr (argv[first], '=') + 1);
          first++;
          continue;
        }
      return bnd_cli_bad_input (_("unknown option %s; see buendnis-cli --help"), argv[first]);
    }

  if (first >= argc)
    {
      print_usage ();
      return EXIT_BAD_INPUT;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[first], commands[i].name))
      {
        status = commands[i].func (&cli, argc - first, argv + first);
        goto done;
      }

  status = bnd_cli_bad_input (_("unknown command “%s”; see buendnis-cli --help"), argv[first]);

done:
  g_clear_object (&cli.store);
  g_clear_object (&cli.strategy);
  g_free (cli.profile);
  g_free (cli.strategy_path);
  return status;
}
