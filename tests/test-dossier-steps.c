/* test-dossier-steps.c: what a client offers on a dossier from the facts the server sent, and
 * the two weeks from the long form to the statement
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "bnd-dossier-steps.h"

#define DAY (24 * 60 * 60)

static JsonObject *
dossier (const char *procedure)
{
  g_autofree char *text = g_strdup_printf ("{\"uuid\": \"x\", \"procedure\": %s}", procedure);
  g_autoptr(JsonNode) node = json_from_string (text, NULL);

  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

static void
test_facts (void)
{
  g_autoptr(JsonObject) object = dossier ("{\"stage\": \"rating\", \"closed_at\": null, \"own_organisation\": false, "
                                          "\"recused\": true, \"has_long_form\": true, \"rated\": 3, "
                                          "\"entitled\": 13, \"vote_closed\": false, \"statement_positive\": false}");
  g_autoptr(JsonObject) draft = dossier ("{\"stage\": \"draft\"}");
  g_autoptr(JsonObject) none = json_object_new ();
  BndDossierFacts facts;

  g_assert_true (bnd_dossier_facts_from_json (object, &facts));
  g_assert_cmpstr (facts.stage, ==, "rating");
  g_assert_null (facts.closed_at);
  g_assert_false (facts.own_organisation);
  g_assert_true (facts.recused);
  g_assert_true (facts.has_long_form);
  g_assert_cmpuint (facts.n_rated, ==, 3);
  g_assert_cmpuint (facts.n_entitled, ==, 13);
  /* A draft is no dossier yet; an answer without the facts offers nothing */
  g_assert_true (bnd_dossier_facts_from_json (draft, &facts));
  g_assert_null (facts.stage);
  g_assert_false (bnd_dossier_facts_from_json (none, &facts));
  g_assert_false (bnd_dossier_facts_from_json (NULL, &facts));
}

static void
test_offered (void)
{
  g_autoptr(JsonObject) waiting = dossier ("{\"stage\": \"long-form-requested\", \"has_long_form\": false}");
  g_autoptr(JsonObject) vote = dossier ("{\"stage\": \"vote\", \"recused\": false, \"vote_closed\": false}");
  g_autoptr(GPtrArray) coordination = bnd_dossier_offered_steps (waiting, BND_ROLE_COORDINATION);
  g_autoptr(GPtrArray) partner = bnd_dossier_offered_steps (vote, BND_ROLE_PARTNER);
  g_autoptr(GPtrArray) nothing = bnd_dossier_offered_steps (NULL, BND_ROLE_COORDINATION);
  const BndOfferedStep *step;

  g_assert_cmpuint (coordination->len, ==, BND_N_STEPS);
  /* Not possible yet, with the reason */
  step = bnd_offered_steps_find (coordination, BND_STEP_RECEIVE_LONG_FORM);
  g_assert_false (step->allowed);
  g_assert_cmpint (step->code, ==, BND_PROCEDURE_ERROR_CONDITION);
  g_assert_cmpstr (step->reason, ==, "The long form is received once a long-form attachment is there");
  g_assert_true (bnd_offered_step_is_shown (step));
  g_assert_true (bnd_offered_steps_find (coordination, BND_STEP_WITHDRAW)->allowed);
  /* Another role's step is not shown at all */
  step = bnd_offered_steps_find (coordination, BND_STEP_VOTE);
  g_assert_false (step->allowed);
  g_assert_false (bnd_offered_step_is_shown (step));
  /* The coordination never votes; a partner's seat does while the vote is open */
  g_assert_true (bnd_offered_steps_find (partner, BND_STEP_VOTE)->allowed);
  g_assert_false (bnd_offered_steps_find (partner, BND_STEP_ISSUE_STATEMENT)->allowed);
  for (guint i = 0; i < nothing->len; i++)
    g_assert_false (((BndOfferedStep *)g_ptr_array_index (nothing, i))->allowed);
}

static void
test_clock (void)
{
  gint64 received = 1796000000;   /* 2026-11-30 */
  g_autofree char *text = g_strdup_printf ("{\"stage\": \"rating\", \"long_form_received\": %lld}", (long long)received);
  g_autoptr(JsonObject) rating = dossier (text);
  g_autoptr(JsonObject) statement = dossier ("{\"stage\": \"statement\", \"long_form_received\": 1796000000}");
  g_autoptr(JsonObject) never = dossier ("{\"stage\": \"rating\", \"long_form_received\": null}");
  g_autofree char *left = NULL;
  g_autofree char *late = NULL;
  gboolean overdue = TRUE;
  gint64 due;

  g_assert_true (bnd_dossier_statement_due (rating, &due));
  g_assert_cmpint (due, ==, received + 14 * DAY);
  /* After the statement, and without a receipt, the clock does not run */
  g_assert_false (bnd_dossier_statement_due (statement, &due));
  g_assert_false (bnd_dossier_statement_due (never, &due));

  left = bnd_statement_due_describe (received + 14 * DAY, received + 9 * DAY, &overdue);
  g_assert_false (overdue);
  g_assert_true (g_str_has_prefix (left, "Statement due by "));
  g_assert_true (g_str_has_suffix (left, " — 5 days left"));
  late = bnd_statement_due_describe (received + 14 * DAY, received + 16 * DAY + 60, &overdue);
  g_assert_true (overdue);
  g_assert_true (g_str_has_suffix (late, " — 2 days overdue"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dossier-steps/facts", test_facts);
  g_test_add_func ("/dossier-steps/offered", test_offered);
  g_test_add_func ("/dossier-steps/clock", test_clock);

  return g_test_run ();
}
