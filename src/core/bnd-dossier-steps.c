/* bnd-dossier-steps.c: the steps a client offers on a dossier, from what the server sent
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-dossier-steps"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bnd-dossier-steps.h"
#include "bnd-format.h"
#include "bnd-json-check.h"

/* The server sends, with every dossier, the facts its rules ask ("procedure", see
 * bnd_server_facts_to_json()). A client asks the same rules (bnd_procedure_may()) on those facts,
 * so the app and the CLI offer exactly the steps the server would take, and say why not the
 * others in the same words, translated here rather than by the server. Everything reads the
 * dossier as GET /dossiers/UUID (or the sync's change) gives it. */

#define DAY (24 * 60 * 60)

static JsonObject *
procedure_of (JsonObject *dossier)
{
  JsonNode *node = dossier ? json_object_get_member (dossier, "procedure") : NULL;

  return bnd_json_as_object (node);
}

static const char *
string_or_null (JsonObject *object,
                const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

static gboolean
boolean_of (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
         json_node_get_boolean (node);
}

static gint64
int_of (JsonObject *object,
        const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64
         ? json_node_get_int (node) : 0;
}

/**
 * bnd_dossier_facts_from_json:
 * @dossier: (nullable): a dossier as the server gives it, with its "procedure"
 * @facts: (out): filled; its strings point into @dossier
 *
 * Returns: whether @dossier came with the facts (a draft and an older server's answer do not)
 */
gboolean
bnd_dossier_facts_from_json (JsonObject      *dossier,
                             BndDossierFacts *facts)
{
  JsonObject *procedure = procedure_of (dossier);

  memset (facts, 0, sizeof *facts);
  if (procedure == NULL)
    return FALSE;
  facts->stage = string_or_null (procedure, "stage");
  if (g_strcmp0 (facts->stage, "draft") == 0)
    facts->stage = NULL;
  facts->closed_at = string_or_null (procedure, "closed_at");
  facts->own_organisation = boolean_of (procedure, "own_organisation");
  facts->recused = boolean_of (procedure, "recused");
  facts->has_long_form = boolean_of (procedure, "has_long_form");
  facts->n_rated = (guint)CLAMP (int_of (procedure, "rated"), 0, G_MAXUINT);
  facts->n_entitled = (guint)CLAMP (int_of (procedure, "entitled"), 0, G_MAXUINT);
  facts->vote_closed = boolean_of (procedure, "vote_closed");
  facts->statement_positive = boolean_of (procedure, "statement_positive");
  return TRUE;
}

static void
offered_step_free (BndOfferedStep *offered)
{
  g_free (offered->reason);
  g_free (offered);
}

/**
 * bnd_dossier_offered_steps:
 * @dossier: (nullable): a dossier as the server gives it
 * @role: the signed-in account's role
 *
 * What the app offers on @dossier: every step of the procedure, whether @role may take it now,
 * and if not, why. A client offers the allowed ones and no other; the tests hold the server to
 * taking each allowed one and refusing each other.
 *
 * Returns: (transfer container) (element-type BndOfferedStep): one entry per step, in the
 *   order of #BndStep; all refused when @dossier has no facts
 */
GPtrArray *
bnd_dossier_offered_steps (JsonObject *dossier,
                           BndRole     role)
{
  GPtrArray *offered = g_ptr_array_new_with_free_func ((GDestroyNotify)offered_step_free);
  BndDossierFacts facts;
  gboolean known = bnd_dossier_facts_from_json (dossier, &facts);

  for (guint i = 0; i < BND_N_STEPS; i++)
    {
      BndOfferedStep *step = g_new0 (BndOfferedStep, 1);
      g_autoptr(GError) refusal = NULL;

      step->step = i;
      if (!known)
        {
          step->code = BND_PROCEDURE_ERROR_STAGE;
          step->reason = g_strdup (_("The dossier has not been synced yet"));
        }
      else if (!(step->allowed = bnd_procedure_may (i, role, &facts, &refusal)))
        {
          step->code = refusal->code;
          step->reason = g_strdup (refusal->message);
        }
      g_ptr_array_add (offered, step);
    }
  return offered;
}

/**
 * bnd_offered_steps_find:
 *
 * Returns: (nullable): the entry of @step in what bnd_dossier_offered_steps() gave
 */
const BndOfferedStep *
bnd_offered_steps_find (GPtrArray *offered,
                        BndStep    step)
{
  for (guint i = 0; offered && i < offered->len; i++)
    if (((BndOfferedStep *)g_ptr_array_index (offered, i))->step == step)
      return g_ptr_array_index (offered, i);
  return NULL;
}

/**
 * bnd_offered_step_is_shown:
 *
 * Whether the step is the account's at all: it may take it now, or at another stage, or once
 * something is done first. A step refused for the account's role or organisation is not (a
 * seat whose organisation carries the project does not rate it), and a client does not show it.
 * The app's Next Steps show fewer still: those possible now and those that wait only for
 * something to be done (%BND_PROCEDURE_ERROR_CONDITION), with the reason.
 */
gboolean
bnd_offered_step_is_shown (const BndOfferedStep *offered)
{
  return offered != NULL && (offered->allowed || offered->code != BND_PROCEDURE_ERROR_ROLE);
}

/**
 * bnd_dossier_statement_due:
 * @due: (out): when the statement is due, Unix time
 *
 * The two-week clock of strategy §4.1: from the long form's receipt to the Lenkungskreis's
 * statement. It runs while the dossier is between the two.
 *
 * Returns: whether the clock runs for @dossier
 */
gboolean
bnd_dossier_statement_due (JsonObject *dossier,
                           gint64     *due)
{
  JsonObject *procedure = procedure_of (dossier);
  gint64 received;

  *due = 0;
  if (procedure == NULL || !bnd_statement_clock_runs (string_or_null (procedure, "stage")) ||
      (received = int_of (procedure, "long_form_received")) <= 0)
    return FALSE;
  *due = bnd_statement_due_from (received);
  return TRUE;
}

/**
 * bnd_statement_clock_runs:
 * @stage: (nullable): a dossier's stage
 *
 * Whether the two-week clock runs at @stage: between the long form's receipt and the
 * statement. The app shows the clock and the server reminds of it (bnd-server-mail.c) by
 * this one rule.
 */
gboolean
bnd_statement_clock_runs (const char *stage)
{
  static const char *running[] = { "long-form-received", "rating", "vote", NULL };

  return stage != NULL && g_strv_contains (running, stage);
}

/**
 * bnd_statement_due_from:
 * @received: when the long form was received, Unix time
 *
 * Returns: when the statement is due, %BND_STATEMENT_DAYS days later
 */
gint64
bnd_statement_due_from (gint64 received)
{
  return received + BND_STATEMENT_DAYS * DAY;
}

/**
 * bnd_statement_due_describe:
 * @overdue: (out) (optional): whether the day it was due has passed
 *
 * Returns: (transfer full): "Statement due by 17.12.2026 — 5 days left", or how long it is overdue
 */
char *
bnd_statement_due_describe (gint64    due,
                            gint64    now,
                            gboolean *overdue)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (due);
  g_autofree char *date = time ? bnd_format_date (time, bnd_locale_current ()) : g_strdup ("");
  gint64 days;

  if (overdue)
    *overdue = due < now;
  if (due < now)
    {
      days = MAX ((now - due) / DAY, 1);
      /* Translators: the Lenkungskreis's statement, due two weeks after the long form arrived */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Statement was due by %s — %d day overdue",
                                           "Statement was due by %s — %d days overdue", (gulong)days),
                              date, (int)days);
    }
  days = (due - now + DAY - 1) / DAY;
  /* Translators: the Lenkungskreis's statement, due two weeks after the long form arrived */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Statement due by %s — %d day left",
                                       "Statement due by %s — %d days left", (gulong)days),
                          date, (int)days);
}
