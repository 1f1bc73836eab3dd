/* bnd-procedure.h: the procedure of strategy §4.1 as rules: who may take which step when
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BND_PROCEDURE_ERROR (bnd_procedure_error_quark ())

/* Why a step cannot be taken; each maps to one error code of the API (bnd-api-error.h). */
typedef enum
{
  BND_PROCEDURE_ERROR_ROLE,       /* the account's role or organisation may not take it */
  BND_PROCEDURE_ERROR_STAGE,      /* not at the dossier's stage */
  BND_PROCEDURE_ERROR_CONDITION,  /* the stage is right, but something must be true first */
  BND_PROCEDURE_ERROR_INPUT,      /* the step needs more: an outcome, a reason, an amount */
} BndProcedureError;

typedef enum
{
  BND_ROLE_CARRIER,
  BND_ROLE_PARTNER,
  BND_ROLE_COORDINATION,
  BND_ROLE_ADMIN,
  BND_N_ROLES
} BndRole;

typedef enum
{
  BND_STEP_RECORD_CONSULTATION,
  BND_STEP_SUBMIT,
  BND_STEP_START_ASSESSMENT,
  BND_STEP_ASSESS,
  BND_STEP_RECEIVE_LONG_FORM,
  BND_STEP_OPEN_RATING,
  BND_STEP_RATE,
  BND_STEP_OPEN_VOTE,
  BND_STEP_VOTE,
  BND_STEP_ISSUE_STATEMENT,
  BND_STEP_FILE_APPLICATION,
  BND_STEP_APPROVE,
  BND_STEP_REJECT,
  BND_STEP_WITHDRAW,
  BND_STEP_REOPEN,
  BND_STEP_ATTACH,
  BND_STEP_COMMENT,
  BND_STEP_RECUSE,
  BND_N_STEPS
} BndStep;

/* What is true of a dossier, as far as the rules ask, seen by one account. The server fills it
 * from its database; a client from what it synced. */
typedef struct
{
  const char *stage;             /* NULL: no dossier yet */
  const char *closed_at;         /* for a closed dossier, the stage it was closed at */
  gboolean    own_organisation;  /* the account belongs to the carrier's organisation */
  gboolean    recused;           /* the account's organisation does not rate or vote on it: recused,
                                  * not among the partners, or not entitled in the open vote */
  gboolean    has_long_form;     /* a long-form attachment is there */
  guint       n_rated;           /* organisations that have rated in the open round */
  guint       n_entitled;        /* organisations entitled to rate */
  gboolean    vote_closed;       /* the vote's deadline has passed or every entitled one voted */
  gboolean    statement_positive;
} BndDossierFacts;

/* What a step is given besides the dossier. */
typedef struct
{
  const char *outcome;     /* assess: "positive", "needs-changes" or "negative" */
  const char *reason;      /* withdraw, reopen, reject, a negative assessment, an early close */
  gboolean    has_amount;  /* approve: amount and date of the decision */
} BndStepInput;

/* What the network coordination does with a Lenkungskreis session (strategy §4.1: the
 * Lenkungskreis meets "mindestens dreimal jährlich" to discuss and decide on projects). */
typedef enum
{
  BND_SESSION_READ,            /* see sessions and their agendas (a carrier: its own items only) */
  BND_SESSION_PLAN,            /* plan a session */
  BND_SESSION_EDIT_AGENDA,     /* put dossiers on the agenda, take them off */
  BND_SESSION_RECORD_OUTCOME,  /* the outcome and notes of an item */
  BND_SESSION_MARK_HELD,
  BND_SESSION_SEND_AGENDA,     /* send the agenda to the partners by e-mail, before the session */
  BND_N_SESSION_ACTIONS
} BndSessionAction;

GQuark       bnd_procedure_error_quark  (void);

const char  *bnd_role_to_string         (BndRole                role);
gboolean     bnd_role_from_string       (const char            *text,
                                         BndRole               *role);

const char  *bnd_step_to_string         (BndStep                step);
gboolean     bnd_step_from_string       (const char            *text,
                                         BndStep               *step);
const char  *bnd_step_get_label         (BndStep                step);

gboolean     bnd_procedure_may          (BndStep                step,
                                         BndRole                role,
                                         const BndDossierFacts *facts,
                                         GError               **error);
gboolean     bnd_procedure_check        (BndStep                step,
                                         BndRole                role,
                                         const BndDossierFacts *facts,
                                         const BndStepInput    *input,
                                         GError               **error);
const char  *bnd_procedure_target       (BndStep                step,
                                         const BndDossierFacts *facts,
                                         const BndStepInput    *input);
gboolean     bnd_procedure_is_closed    (const char            *stage);
gboolean     bnd_procedure_may_edit_sketch (const char         *stage,
                                         GError               **error);
gboolean     bnd_procedure_may_session  (BndSessionAction       action,
                                         BndRole                role,
                                         gboolean               held,
                                         GError               **error);
gboolean     bnd_procedure_may_put_on_agenda (const char       *stage,
                                         GError               **error);

G_END_DECLS
