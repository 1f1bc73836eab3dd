/* test-procedure-model.c: the rules of strategy §4.1 as src/core/bnd-procedure.c states them
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bnd-procedure.h"

static BndDossierFacts
at (const char *stage)
{
  return (BndDossierFacts){ .stage = stage };
}

static void
assert_refused (BndStep                step,
                BndRole                role,
                const BndDossierFacts *facts,
                const BndStepInput    *input,
                BndProcedureError      code)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (bnd_procedure_check (step, role, facts, input, &error));
  g_assert_error (error, BND_PROCEDURE_ERROR, code);
  g_assert_true (g_utf8_validate (error->message, -1, NULL) && *error->message);
}

static void
assert_allowed (BndStep                step,
                BndRole                role,
                const BndDossierFacts *facts,
                const BndStepInput    *input,
                const char            *target)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bnd_procedure_check (step, role, facts, input, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (bnd_procedure_target (step, facts, input), ==, target);
}

/* First assessment: positive → long form; needs changes → back to the carrier, into the same
 * dossier; negative → closed. Only the coordination records it, only at its stage. */
static void
test_assessment (void)
{
  BndDossierFacts facts = at ("first-assessment");
  BndStepInput positive = { .outcome = "positive" };
  BndStepInput changes = { .outcome = "needs-changes", .reason = "Kosten erläutern" };
  BndStepInput negative = { .outcome = "negative", .reason = "Nicht förderfähig" };
  BndStepInput bare_negative = { .outcome = "negative", .reason = "  \n" };
  BndStepInput unknown = { .outcome = "maybe" };
  BndDossierFacts submitted = at ("submitted");
  BndDossierFacts revising = at ("changes-requested");

  assert_allowed (BND_STEP_ASSESS, BND_ROLE_COORDINATION, &facts, &positive, "long-form-requested");
  assert_allowed (BND_STEP_ASSESS, BND_ROLE_COORDINATION, &facts, &changes, "changes-requested");
  assert_allowed (BND_STEP_ASSESS, BND_ROLE_COORDINATION, &facts, &negative, "not-recommended");
  assert_refused (BND_STEP_ASSESS, BND_ROLE_COORDINATION, &facts, &bare_negative, BND_PROCEDURE_ERROR_INPUT);
  assert_refused (BND_STEP_ASSESS, BND_ROLE_COORDINATION, &facts, &unknown, BND_PROCEDURE_ERROR_INPUT);
  assert_refused (BND_STEP_ASSESS, BND_ROLE_COORDINATION, &facts, NULL, BND_PROCEDURE_ERROR_INPUT);
  assert_refused (BND_STEP_ASSESS, BND_ROLE_PARTNER, &facts, &positive, BND_PROCEDURE_ERROR_ROLE);
  assert_refused (BND_STEP_ASSESS, BND_ROLE_COORDINATION, &submitted, &positive, BND_PROCEDURE_ERROR_STAGE);

  /* A negative assessment leaves no way on to the long form. */
  facts = at ("not-recommended");
  assert_refused (BND_STEP_RECEIVE_LONG_FORM, BND_ROLE_COORDINATION, &facts, NULL, BND_PROCEDURE_ERROR_STAGE);

  /* Changes requested: the carrier submits again, into the same dossier. */
  revising.own_organisation = TRUE;
  assert_allowed (BND_STEP_SUBMIT, BND_ROLE_CARRIER, &revising, NULL, "submitted");
  revising.own_organisation = FALSE;
  assert_refused (BND_STEP_SUBMIT, BND_ROLE_CARRIER, &revising, NULL, BND_PROCEDURE_ERROR_ROLE);
}

static void
test_long_form (void)
{
  BndDossierFacts facts = at ("long-form-requested");

  assert_refused (BND_STEP_RECEIVE_LONG_FORM, BND_ROLE_COORDINATION, &facts, NULL, BND_PROCEDURE_ERROR_CONDITION);
  facts.has_long_form = TRUE;
  assert_allowed (BND_STEP_RECEIVE_LONG_FORM, BND_ROLE_COORDINATION, &facts, NULL, "long-form-received");
}

/* Closing the rating round before every entitled organisation rated needs a reason. */
static void
test_rating_round (void)
{
  BndDossierFacts facts = at ("rating");
  BndStepInput reason = { .reason = "Sitzung am 12.03." };

  facts.n_entitled = 13;
  facts.n_rated = 1;
  assert_refused (BND_STEP_OPEN_VOTE, BND_ROLE_COORDINATION, &facts, NULL, BND_PROCEDURE_ERROR_INPUT);
  assert_allowed (BND_STEP_OPEN_VOTE, BND_ROLE_COORDINATION, &facts, &reason, "vote");
  facts.n_rated = 13;
  assert_allowed (BND_STEP_OPEN_VOTE, BND_ROLE_COORDINATION, &facts, NULL, "vote");

  /* Partners rate; the carrier's own organisation and recused ones do not; the coordination
   * runs the round but does not rate as such. */
  assert_allowed (BND_STEP_RATE, BND_ROLE_PARTNER, &facts, NULL, "rating");
  facts.recused = TRUE;
  assert_refused (BND_STEP_RATE, BND_ROLE_PARTNER, &facts, NULL, BND_PROCEDURE_ERROR_ROLE);
  facts.recused = FALSE;
  facts.own_organisation = TRUE;
  assert_refused (BND_STEP_RATE, BND_ROLE_PARTNER, &facts, NULL, BND_PROCEDURE_ERROR_ROLE);
  assert_refused (BND_STEP_RATE, BND_ROLE_COORDINATION, &facts, NULL, BND_PROCEDURE_ERROR_ROLE);
}

/* The statement steers: positive → application; negative → closed as not endorsed. */
static void
test_statement (void)
{
  BndDossierFacts facts = at ("vote");

  assert_refused (BND_STEP_VOTE, BND_ROLE_COORDINATION, &facts, NULL, BND_PROCEDURE_ERROR_ROLE);
  assert_allowed (BND_STEP_VOTE, BND_ROLE_PARTNER, &facts, NULL, "vote");
  assert_refused (BND_STEP_ISSUE_STATEMENT, BND_ROLE_COORDINATION, &facts, NULL, BND_PROCEDURE_ERROR_CONDITION);
  facts.vote_closed = TRUE;
  assert_refused (BND_STEP_VOTE, BND_ROLE_PARTNER, &facts, NULL, BND_PROCEDURE_ERROR_CONDITION);
  assert_allowed (BND_STEP_ISSUE_STATEMENT, BND_ROLE_COORDINATION, &facts, NULL, "not-endorsed");
  facts.statement_positive = TRUE;
  assert_allowed (BND_STEP_ISSUE_STATEMENT, BND_ROLE_COORDINATION, &facts, NULL, "statement");

  facts = at ("not-endorsed");
  assert_refused (BND_STEP_FILE_APPLICATION, BND_ROLE_COORDINATION, &facts, NULL, BND_PROCEDURE_ERROR_STAGE);
  facts = at ("statement");
  facts.statement_positive = TRUE;
  assert_allowed (BND_STEP_FILE_APPLICATION, BND_ROLE_COORDINATION, &facts, NULL, "application");
  facts.statement_positive = FALSE;
  assert_refused (BND_STEP_FILE_APPLICATION, BND_ROLE_COORDINATION, &facts, NULL, BND_PROCEDURE_ERROR_CONDITION);
}

static void
test_decision (void)
{
  BndDossierFacts facts = at ("application");
  BndStepInput amount = { .has_amount = TRUE };
  BndStepInput reason = { .reason = "Mittel ausgeschöpft" };
  BndDossierFacts early = at ("rating");

  assert_allowed (BND_STEP_APPROVE, BND_ROLE_COORDINATION, &facts, &amount, "approved");
  assert_refused (BND_STEP_APPROVE, BND_ROLE_COORDINATION, &facts, NULL, BND_PROCEDURE_ERROR_INPUT);
  assert_allowed (BND_STEP_REJECT, BND_ROLE_COORDINATION, &facts, &reason, "rejected");
  assert_refused (BND_STEP_REJECT, BND_ROLE_COORDINATION, &facts, NULL, BND_PROCEDURE_ERROR_INPUT);
  assert_refused (BND_STEP_APPROVE, BND_ROLE_COORDINATION, &early, &amount, BND_PROCEDURE_ERROR_STAGE);
}

/* Withdrawal at any open stage by the carrier or the coordination, with a reason; reopening a
 * closed dossier by the coordination only, with a reason, back to where it was closed. */
static void
test_withdraw_and_reopen (void)
{
  BndStepInput reason = { .reason = "Träger hat zurückgezogen" };
  BndDossierFacts facts = at ("rating");
  BndDossierFacts closed = at ("withdrawn");
  BndDossierFacts approved = at ("approved");

  facts.own_organisation = TRUE;
  assert_allowed (BND_STEP_WITHDRAW, BND_ROLE_CARRIER, &facts, &reason, "withdrawn");
  assert_refused (BND_STEP_WITHDRAW, BND_ROLE_CARRIER, &facts, NULL, BND_PROCEDURE_ERROR_INPUT);
  facts.own_organisation = FALSE;
  assert_refused (BND_STEP_WITHDRAW, BND_ROLE_CARRIER, &facts, &reason, BND_PROCEDURE_ERROR_ROLE);
  assert_refused (BND_STEP_WITHDRAW, BND_ROLE_PARTNER, &facts, &reason, BND_PROCEDURE_ERROR_ROLE);
  assert_allowed (BND_STEP_WITHDRAW, BND_ROLE_COORDINATION, &facts, &reason, "withdrawn");
  assert_refused (BND_STEP_WITHDRAW, BND_ROLE_COORDINATION, &closed, &reason, BND_PROCEDURE_ERROR_STAGE);

  closed.closed_at = "rating";
  assert_allowed (BND_STEP_REOPEN, BND_ROLE_COORDINATION, &closed, &reason, "rating");
  assert_refused (BND_STEP_REOPEN, BND_ROLE_COORDINATION, &closed, NULL, BND_PROCEDURE_ERROR_INPUT);
  closed.own_organisation = TRUE;
  assert_refused (BND_STEP_REOPEN, BND_ROLE_CARRIER, &closed, &reason, BND_PROCEDURE_ERROR_ROLE);
  closed.closed_at = NULL;
  assert_refused (BND_STEP_REOPEN, BND_ROLE_COORDINATION, &closed, &reason, BND_PROCEDURE_ERROR_CONDITION);
  approved.closed_at = "application";
  assert_refused (BND_STEP_REOPEN, BND_ROLE_COORDINATION, &approved, &reason, BND_PROCEDURE_ERROR_STAGE);
}

/* A dossier starts with its consultation or with a carrier's first submission. */
static void
test_start (void)
{
  BndDossierFacts none = at (NULL);
  BndDossierFacts consulted = at ("consultation");

  assert_allowed (BND_STEP_RECORD_CONSULTATION, BND_ROLE_COORDINATION, &none, NULL, "consultation");
  assert_allowed (BND_STEP_SUBMIT, BND_ROLE_CARRIER, &none, NULL, "submitted");
  assert_refused (BND_STEP_SUBMIT, BND_ROLE_PARTNER, &none, NULL, BND_PROCEDURE_ERROR_ROLE);
  consulted.own_organisation = TRUE;
  assert_allowed (BND_STEP_SUBMIT, BND_ROLE_CARRIER, &consulted, NULL, "submitted");
  assert_refused (BND_STEP_START_ASSESSMENT, BND_ROLE_COORDINATION, &consulted, NULL, BND_PROCEDURE_ERROR_STAGE);
}

/* Recusals before any rating can be seen, so that one never changes a known result. */
static void
test_recusal (void)
{
  BndDossierFacts rating = at ("rating");
  BndDossierFacts vote = at ("vote");

  assert_allowed (BND_STEP_RECUSE, BND_ROLE_COORDINATION, &rating, NULL, "rating");
  assert_refused (BND_STEP_RECUSE, BND_ROLE_COORDINATION, &vote, NULL, BND_PROCEDURE_ERROR_STAGE);
  assert_refused (BND_STEP_RECUSE, BND_ROLE_PARTNER, &rating, NULL, BND_PROCEDURE_ERROR_ROLE);

}

/* Every step has a name that reads back, a label, and no role outside the table may take it:
 * the administrator manages accounts, not dossiers. */
static void
test_table (void)
{
  for (guint i = 0; i < BND_N_STEPS; i++)
    {
      BndStep step;

      g_assert_true (bnd_step_from_string (bnd_step_to_string (i), &step));
      g_assert_cmpint (step, ==, i);
      g_assert_cmpstr (bnd_step_get_label (i), !=, "");
      for (guint s = 0; s < 16; s++)
        {
          static const char *stages[] = { NULL, "consultation", "submitted", "first-assessment", "changes-requested",
                                          "long-form-requested", "long-form-received", "rating", "vote", "statement",
                                          "application", "approved", "rejected", "withdrawn", "not-recommended",
                                          "not-endorsed" };
          BndDossierFacts facts = at (stages[s]);
          g_autoptr(GError) error = NULL;

          facts.own_organisation = TRUE;
          g_assert_false (bnd_procedure_may (i, BND_ROLE_ADMIN, &facts, &error));
          g_assert_error (error, BND_PROCEDURE_ERROR, BND_PROCEDURE_ERROR_ROLE);
        }
    }
  g_assert_false (bnd_step_from_string ("fly", &(BndStep){ 0 }));
}

/* Lenkungskreis sessions: the coordination alone changes them; a held session's agenda stays. */
static void
test_sessions (void)
{
  static const char *open_stages[] = { "submitted", "first-assessment", "changes-requested", "long-form-requested",
                                       "long-form-received", "rating", "vote", "statement", "application", NULL };
  static const char *not_on_agenda[] = { "draft", "consultation", "not-recommended", "not-endorsed", "approved",
                                         "rejected", "withdrawn", NULL };
  g_autoptr(GError) error = NULL;

  for (BndRole role = 0; role < BND_N_ROLES; role++)
    {
      g_assert_true (bnd_procedure_may_session (BND_SESSION_READ, role, TRUE, NULL));
      for (BndSessionAction action = BND_SESSION_PLAN; action < BND_N_SESSION_ACTIONS; action++)
        g_assert_true (bnd_procedure_may_session (action, role, FALSE, NULL) == (role == BND_ROLE_COORDINATION));
    }
  g_assert_false (bnd_procedure_may_session (BND_SESSION_PLAN, BND_ROLE_PARTNER, FALSE, &error));
  g_assert_error (error, BND_PROCEDURE_ERROR, BND_PROCEDURE_ERROR_ROLE);
  g_clear_error (&error);
  g_assert_false (bnd_procedure_may_session (BND_SESSION_EDIT_AGENDA, BND_ROLE_COORDINATION, TRUE, &error));
  g_assert_error (error, BND_PROCEDURE_ERROR, BND_PROCEDURE_ERROR_STAGE);
  g_clear_error (&error);
  g_assert_false (bnd_procedure_may_session (BND_SESSION_MARK_HELD, BND_ROLE_COORDINATION, TRUE, NULL));
  g_assert_false (bnd_procedure_may_session (BND_SESSION_SEND_AGENDA, BND_ROLE_COORDINATION, TRUE, &error));
  g_assert_error (error, BND_PROCEDURE_ERROR, BND_PROCEDURE_ERROR_STAGE);
  g_clear_error (&error);
  g_assert_true (bnd_procedure_may_session (BND_SESSION_RECORD_OUTCOME, BND_ROLE_COORDINATION, TRUE, NULL));

  for (guint i = 0; open_stages[i]; i++)
    g_assert_true (bnd_procedure_may_put_on_agenda (open_stages[i], NULL));
  for (guint i = 0; not_on_agenda[i]; i++)
    {
      g_assert_false (bnd_procedure_may_put_on_agenda (not_on_agenda[i], &error));
      g_assert_error (error, BND_PROCEDURE_ERROR, BND_PROCEDURE_ERROR_STAGE);
      g_clear_error (&error);
    }
  g_assert_false (bnd_procedure_may_put_on_agenda (NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/procedure/start", test_start);
  g_test_add_func ("/procedure/assessment", test_assessment);
  g_test_add_func ("/procedure/long-form", test_long_form);
  g_test_add_func ("/procedure/rating-round", test_rating_round);
  g_test_add_func ("/procedure/statement", test_statement);
  g_test_add_func ("/procedure/decision", test_decision);
  g_test_add_func ("/procedure/withdraw-and-reopen", test_withdraw_and_reopen);
  g_test_add_func ("/procedure/recusal", test_recusal);
  g_test_add_func ("/procedure/table", test_table);
  g_test_add_func ("/procedure/sessions", test_sessions);
  return g_test_run ();
}
