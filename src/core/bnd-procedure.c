/* bnd-procedure.c: the procedure of strategy §4.1 as rules: who may take which step when
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bnd-procedure.h"

/* The rules are this one table, asked by the server before it acts, by the app before it offers
 * an action (and for the sentence that says why one is not possible yet) and by the CLI.
 *
 * Strategy §4.1: a project idea starts with a consultation and a sketch; NBank and the ministry
 * give a first assessment; "bei positiver Rückmeldung" the long form is requested; the
 * Lenkungskreis rates it and votes in a circulation procedure; "bei positiver Stellungnahme" the
 * application is filed at NBank. Where the strategy says nothing (a request for changes, a
 * withdrawal, reopening a closed dossier) the table follows what the network coordination does
 * today by e-mail: changes go back to the carrier and return into the same dossier, and every
 * step that ends or revives a dossier carries a reason for the trail. */

G_DEFINE_QUARK (bnd-procedure-error-quark, bnd_procedure_error)

#define ROLE(r) (1u << (r))
#define CARRIER ROLE (BND_ROLE_CARRIER)
#define PARTNER ROLE (BND_ROLE_PARTNER)
#define COORDINATION ROLE (BND_ROLE_COORDINATION)

/* The stage a step may start from; NEW is a dossier that does not exist yet. */
#define NEW ""

typedef enum
{
  NEEDS_NOTHING          = 0,
  NEEDS_OUTCOME          = 1 << 0,   /* and a reason unless positive */
  NEEDS_REASON           = 1 << 1,
  NEEDS_REASON_IF_EARLY  = 1 << 2,   /* closing the rating round before everyone rated */
  NEEDS_AMOUNT           = 1 << 3,
  NEEDS_LONG_FORM        = 1 << 4,
  NEEDS_NOT_RECUSED      = 1 << 5,
  NEEDS_VOTE_OPEN        = 1 << 6,
  NEEDS_VOTE_CLOSED      = 1 << 7,
  NEEDS_POSITIVE         = 1 << 8,   /* a positive statement */
  NEEDS_CLOSED_AT        = 1 << 9,
} Needs;

typedef struct
{
  const char *name;
  const char *label;
  guint       roles;      /* a carrier always only for its own organisation's dossier */
  const char *from[11];   /* NULL-terminated */
  const char *to;         /* NULL: the stage stays, or depends on the input */
  Needs       needs;
  const char *when;       /* why not at another stage */
} Rule;

#define OPEN_AFTER_SUBMISSION "submitted", "first-assessment", "changes-requested", "long-form-requested", \
                              "long-form-received", "rating", "vote", "statement", "application"

static const Rule rules[] = {
  [BND_STEP_RECORD_CONSULTATION] = {
    "record-consultation", N_("Record consultation"), COORDINATION,
    { NEW, "consultation", "submitted", "first-assessment", "changes-requested" }, "consultation",
    NEEDS_NOTHING, N_("A consultation is recorded before the first assessment is done") },
  [BND_STEP_SUBMIT] = {
    "submit", N_("Submit sketch"), CARRIER,
    { NEW, "consultation", "changes-requested" }, "submitted",
    NEEDS_NOTHING, N_("A sketch is submitted after its consultation, or again when changes were requested") },
  [BND_STEP_START_ASSESSMENT] = {
    "start-assessment", N_("Start first assessment"), COORDINATION,
    { "submitted" }, "first-assessment",
    NEEDS_NOTHING, N_("The first assessment starts once the sketch is submitted") },
  [BND_STEP_ASSESS] = {
    "assess", N_("Record first assessment"), COORDINATION,
    { "first-assessment" }, NULL,
    NEEDS_OUTCOME, N_("The first assessment is recorded while the dossier is at that stage") },
  [BND_STEP_RECEIVE_LONG_FORM] = {
    "receive-long-form", N_("Long form received"), COORDINATION,
    { "long-form-requested" }, "long-form-received",
    NEEDS_LONG_FORM, N_("The long form is received once it was requested") },
  [BND_STEP_OPEN_RATING] = {
    "open-rating", N_("Open rating round"), COORDINATION,
    { "long-form-received" }, "rating",
    NEEDS_NOTHING, N_("The rating round opens once the long form is received") },
  [BND_STEP_RATE] = {
    "rate", N_("Rate"), PARTNER,
    { "rating" }, NULL,
    NEEDS_NOT_RECUSED, N_("Ratings are given while the rating round is open") },
  [BND_STEP_OPEN_VOTE] = {
    "open-vote", N_("Close rating round and open vote"), COORDINATION,
    { "rating" }, "vote",
    NEEDS_REASON_IF_EARLY, N_("The circulation vote opens when the rating round closes") },
  [BND_STEP_VOTE] = {
    "vote", N_("Vote"), PARTNER,
    { "vote" }, NULL,
    NEEDS_NOT_RECUSED | NEEDS_VOTE_OPEN, N_("Votes are cast while the circulation vote is open") },
  [BND_STEP_ISSUE_STATEMENT] = {
    "issue-statement", N_("Issue statement"), COORDINATION,
    { "vote" }, NULL,
    NEEDS_VOTE_CLOSED, N_("The statement is issued from the circulation vote") },
  [BND_STEP_FILE_APPLICATION] = {
    "file-application", N_("Application filed"), COORDINATION | CARRIER,
    { "statement" }, "application",
    NEEDS_POSITIVE, N_("The application is filed after the Lenkungskreis's statement") },
  [BND_STEP_APPROVE] = {
    "approve", N_("Record approval"), COORDINATION,
    { "application" }, "approved",
    NEEDS_AMOUNT, N_("NBank's decision is recorded once the application is filed") },
  [BND_STEP_REJECT] = {
    "reject", N_("Record rejection"), COORDINATION,
    { "application" }, "rejected",
    NEEDS_REASON, N_("NBank's decision is recorded once the application is filed") },
  [BND_STEP_WITHDRAW] = {
    "withdraw", N_("Withdraw"), COORDINATION | CARRIER,
    { "consultation", OPEN_AFTER_SUBMISSION }, "withdrawn",
    NEEDS_REASON, N_("Only an open dossier can be withdrawn") },
  [BND_STEP_REOPEN] = {
    "reopen", N_("Reopen"), COORDINATION,
    { "not-recommended", "not-endorsed", "rejected", "withdrawn" }, NULL,
    NEEDS_REASON | NEEDS_CLOSED_AT, N_("Only a closed dossier that was not approved can be reopened") },
  [BND_STEP_ATTACH] = {
    "attach", N_("Attach file"), CARRIER,
    { OPEN_AFTER_SUBMISSION }, NULL,
    NEEDS_NOTHING, N_("Files are attached between submission and decision") },
  [BND_STEP_COMMENT] = {
    "comment", N_("Comment"), CARRIER | PARTNER | COORDINATION,
    { OPEN_AFTER_SUBMISSION }, NULL,
    NEEDS_NOTHING, N_("Comments are written while the dossier is open") },
  /* A co-applicant neither rates nor votes; recorded before any rating can be seen, so that a
   * recusal never changes a known result. */
  [BND_STEP_RECUSE] = {
    "recuse", N_("Record recusal"), COORDINATION,
    { "submitted", "first-assessment", "changes-requested", "long-form-requested", "long-form-received", "rating" },
    NULL, NEEDS_NOTHING, N_("Recusals are recorded before the rating round ends") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (rules) == BND_N_STEPS);

static const char *role_names[] = { "carrier", "partner", "coordination", "admin" };

G_STATIC_ASSERT (G_N_ELEMENTS (role_names) == BND_N_ROLES);

/* Where the procedure ends; each but "approved" can be reopened. */
static const char *closed_stages[] = { "not-recommended", "not-endorsed", "approved", "rejected", "withdrawn", NULL };


const char *
bnd_role_to_string (BndRole role)
{
  return (guint)role < BND_N_ROLES ? role_names[role] : "unknown";
}

gboolean
bnd_role_from_string (const char *text,
                      BndRole    *role)
{
  for (guint i = 0; i < BND_N_ROLES; i++)
    if (g_strcmp0 (text, role_names[i]) == 0)
      {
        *role = i;
        return TRUE;
      }
  return FALSE;
}

/**
 * bnd_step_to_string:
 *
 * Returns: the step's name in the API and on the command line, such as "receive-long-form"
 */
const char *
bnd_step_to_string (BndStep step)
{
  return (guint)step < BND_N_STEPS ? rules[step].name : "unknown";
}

gboolean
bnd_step_from_string (const char *text,
                      BndStep    *step)
{
  for (guint i = 0; i < BND_N_STEPS; i++)
    if (g_strcmp0 (text, rules[i].name) == 0)
      {
        *step = i;
        return TRUE;
      }
  return FALSE;
}

/**
 * bnd_step_get_label:
 *
 * Returns: what a button that takes @step says, translated
 */
const char *
bnd_step_get_label (BndStep step)
{
  return (guint)step < BND_N_STEPS ? _(rules[step].label) : "";
}

gboolean
bnd_procedure_is_closed (const char *stage)
{
  return stage != NULL && g_strv_contains (closed_stages, stage);
}

static const char *
role_refusal (guint roles)
{
  if (roles == COORDINATION)
    return _("Only the network coordination takes this step");
  if (roles == (COORDINATION | CARRIER))
    return _("Only the carrier’s organisation or the network coordination takes this step");
  if (roles == CARRIER)
    return _("Only the carrier’s organisation takes this step");
  if (roles == PARTNER)
    return _("Only the partner organisations of the Lenkungskreis take this step");
  return _("Your account does not take part in this dossier");
}

static gboolean
refuse (GError            **error,
        BndProcedureError   code,
        const char         *message)
{
  g_set_error_literal (error, BND_PROCEDURE_ERROR, code, message);
  return FALSE;
}

/**
 * bnd_procedure_may:
 * @facts: the dossier as seen by the account
 * @error: why not, in a sentence the user can act on
 *
 * Whether an account with @role may take @step now, leaving aside what the step is given (an
 * outcome, a reason): what a client asks before it offers the step.
 */
gboolean
bnd_procedure_may (BndStep                step,
                   BndRole                role,
                   const BndDossierFacts *facts,
                   GError               **error)
{
  const Rule *rule;
  const char *stage;
  gboolean at_stage = FALSE;

  g_return_val_if_fail ((guint)step < BND_N_STEPS, FALSE);
  g_return_val_if_fail (facts != NULL, FALSE);

  rule = &rules[step];
  stage = facts->stage ? facts->stage : NEW;

  if ((guint)role >= BND_N_ROLES || !(rule->roles & ROLE (role)) ||
      /* A carrier acts for its own organisation's dossiers only; the coordination for all. */
      (role == BND_ROLE_CARRIER && facts->stage != NULL && !facts->own_organisation))
    return refuse (error, BND_PROCEDURE_ERROR_ROLE, role_refusal (rule->roles));

  for (guint i = 0; i < G_N_ELEMENTS (rule->from) && rule->from[i]; i++)
    at_stage |= g_str_equal (rule->from[i], stage);
  if (!at_stage)
    return refuse (error, BND_PROCEDURE_ERROR_STAGE, _(rule->when));

  if ((rule->needs & NEEDS_LONG_FORM) && !facts->has_long_form)
    return refuse (error, BND_PROCEDURE_ERROR_CONDITION,
                   _("The long form is received once a long-form attachment is there"));
  /* Who rates and votes is a matter of the organisation, like a role: refused as one. */
  if ((rule->needs & NEEDS_NOT_RECUSED) && (facts->recused || facts->own_organisation))
    return refuse (error, BND_PROCEDURE_ERROR_ROLE,
                   _("Your organisation does not rate or vote on this dossier: it carries the project or is recused"));
  if ((rule->needs & NEEDS_VOTE_OPEN) && facts->vote_closed)
    return refuse (error, BND_PROCEDURE_ERROR_CONDITION, _("The circulation vote has closed"));
  if ((rule->needs & NEEDS_VOTE_CLOSED) && !facts->vote_closed)
    return refuse (error, BND_PROCEDURE_ERROR_CONDITION,
                   _("The statement is issued once the circulation vote has closed"));
  if ((rule->needs & NEEDS_POSITIVE) && !facts->statement_positive)
    return refuse (error, BND_PROCEDURE_ERROR_CONDITION,
                   _("An application follows only a positive statement of the Lenkungskreis"));
  if ((rule->needs & NEEDS_CLOSED_AT) && (facts->closed_at == NULL || bnd_procedure_is_closed (facts->closed_at)))
    return refuse (error, BND_PROCEDURE_ERROR_CONDITION,
                   _("It is not known at which stage the dossier was closed"));
  return TRUE;
}

/* Whether @text says anything: a reason of blanks is no reason. */
static gboolean
has_text (const char *text)
{
  for (; text && *text; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return TRUE;
  return FALSE;
}

/**
 * bnd_procedure_check:
 * @input: (nullable): what the step is given
 *
 * Whether @role may take @step now with @input: what the server asks before it acts.
 */
gboolean
bnd_procedure_check (BndStep                step,
                     BndRole                role,
                     const BndDossierFacts *facts,
                     const BndStepInput    *input,
                     GError               **error)
{
  static const BndStepInput nothing = { 0 };
  Needs needs;

  if (!bnd_procedure_may (step, role, facts, error))
    return FALSE;

  input = input ? input : &nothing;
  needs = rules[step].needs;
  if (needs & NEEDS_OUTCOME)
    {
      if (!g_strv_contains ((const char *[]){ "positive", "needs-changes", "negative", NULL },
                            input->outcome ? input->outcome : ""))
        return refuse (error, BND_PROCEDURE_ERROR_INPUT,
                       _("The first assessment needs an outcome: positive, needs changes or negative"));
      if (!g_str_equal (input->outcome, "positive") && !has_text (input->reason))
        return refuse (error, BND_PROCEDURE_ERROR_INPUT,
                       _("A negative assessment or a request for changes needs a reason for the carrier"));
    }
  if ((needs & NEEDS_REASON) && !has_text (input->reason))
    return refuse (error, BND_PROCEDURE_ERROR_INPUT, _("This step needs a reason, which the audit trail keeps"));
  if ((needs & NEEDS_REASON_IF_EARLY) && facts->n_rated < facts->n_entitled && !has_text (input->reason))
    return refuse (error, BND_PROCEDURE_ERROR_INPUT,
                   _("Not every entitled organisation has rated yet: closing the round early needs a reason"));
  if ((needs & NEEDS_AMOUNT) && !input->has_amount)
    return refuse (error, BND_PROCEDURE_ERROR_INPUT,
                   _("An approval needs the approved amount and the date of the decision"));
  return TRUE;
}

/**
 * bnd_procedure_target:
 *
 * Returns: the stage the dossier is at after @step (which bnd_procedure_check() allowed)
 */
const char *
bnd_procedure_target (BndStep                step,
                      const BndDossierFacts *facts,
                      const BndStepInput    *input)
{
  g_return_val_if_fail ((guint)step < BND_N_STEPS, NULL);

  /* A consultation the coordination completes after the submission leaves the stage. */
  if (step == BND_STEP_RECORD_CONSULTATION)
    return facts->stage ? facts->stage : "consultation";
  if (step == BND_STEP_ASSESS)
    return input == NULL ? NULL
           : g_strcmp0 (input->outcome, "positive") == 0 ? "long-form-requested"
           : g_strcmp0 (input->outcome, "needs-changes") == 0 ? "changes-requested"
           : "not-recommended";
  if (step == BND_STEP_ISSUE_STATEMENT)
    return facts->statement_positive ? "statement" : "not-endorsed";
  if (step == BND_STEP_REOPEN)
    return facts->closed_at;
  return rules[step].to ? rules[step].to : facts->stage;
}

/**
 * bnd_procedure_may_edit_sketch:
 * @stage: (nullable): the sketch's stage in the profile, "draft" for one never submitted
 * @error: why not, in a sentence the user can act on (%BND_PROCEDURE_ERROR_STAGE)
 *
 * Whether the carrier may change a sketch at @stage: where it may be submitted, that is before
 * its first submission and again when the first assessment asked for changes. After that the
 * sketch is the one the server keeps with its PDF, and a change could only be refused.
 */
gboolean
bnd_procedure_may_edit_sketch (const char  *stage,
                               GError     **error)
{
  BndDossierFacts facts = { 0 };

  facts.stage = stage == NULL || g_str_equal (stage, "draft") ? NULL : stage;
  facts.own_organisation = TRUE;
  if (bnd_procedure_may (BND_STEP_SUBMIT, BND_ROLE_CARRIER, &facts, NULL))
    return TRUE;
  if (bnd_procedure_is_closed (stage))
    return refuse (error, BND_PROCEDURE_ERROR_STAGE,
                   _("The dossier is closed: the sketch stays as it was submitted"));
  return refuse (error, BND_PROCEDURE_ERROR_STAGE,
                 _("The sketch has been submitted and stays as the server keeps it; it can be changed again "
                   "if the first assessment asks for changes"));
}

/* Lenkungskreis sessions */

/**
 * bnd_procedure_may_session:
 * @held: whether the session was marked as held
 * @error: why not (%BND_PROCEDURE_ERROR_ROLE, or %BND_PROCEDURE_ERROR_STAGE for a held session)
 *
 * Whether @role may take @action on a session. Strategy §4.1 has the Lenkungskreis meet
 * "mindestens dreimal jährlich"; the network coordination prepares and minutes its sessions, so
 * it alone plans them, sets the agenda and records outcomes. Everyone reads: the partners every
 * session, a carrier the sessions that discuss its own dossiers (the server filters the items).
 * Once held, the agenda is what was discussed and stays; outcomes and notes are still written
 * afterwards, as minutes are.
 */
gboolean
bnd_procedure_may_session (BndSessionAction   action,
                           BndRole            role,
                           gboolean           held,
                           GError           **error)
{
  g_return_val_if_fail ((guint)action < BND_N_SESSION_ACTIONS, FALSE);

  if (action == BND_SESSION_READ)
    return TRUE;
  if (role != BND_ROLE_COORDINATION)
    return refuse (error, BND_PROCEDURE_ERROR_ROLE,
                   _("Only the network coordination plans Lenkungskreis sessions and keeps their minutes"));
  if (held && (action == BND_SESSION_EDIT_AGENDA || action == BND_SESSION_MARK_HELD))
    return refuse (error, BND_PROCEDURE_ERROR_STAGE,
                   _("The session was held: its agenda stays as it was discussed"));
  if (held && action == BND_SESSION_SEND_AGENDA)
    return refuse (error, BND_PROCEDURE_ERROR_STAGE,
                   _("The session was held: its agenda is sent before it takes place"));
  return TRUE;
}

/**
 * bnd_procedure_may_put_on_agenda:
 * @stage: (nullable): the dossier's stage, %NULL or "draft" for one never submitted
 *
 * Whether a dossier at @stage may go on a session's agenda: a submitted one that is still open.
 * A draft is not the Lenkungskreis's to see, and a closed dossier has nothing left to decide
 * until it is reopened.
 */
gboolean
bnd_procedure_may_put_on_agenda (const char  *stage,
                                 GError     **error)
{
  static const char *open_stages[] = { OPEN_AFTER_SUBMISSION, NULL };

  if (stage != NULL && g_strv_contains (open_stages, stage))
    return TRUE;
  if (bnd_procedure_is_closed (stage))
    return refuse (error, BND_PROCEDURE_ERROR_STAGE,
                   _("The dossier is closed: it goes on an agenda again only once it is reopened"));
  return refuse (error, BND_PROCEDURE_ERROR_STAGE,
                 _("Only submitted dossiers go on the agenda of a Lenkungskreis session"));
}
