/* bnd-server-steps.c: the procedure's steps over HTTP: what an account may do with a dossier now,
 * and doing it
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-steps"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "bnd-server-body.h"
#include "bnd-server-discussion.h"
#include "bnd-server-private.h"
#include "bnd-server-procedure.h"
#include "bnd-server-statement.h"
#include "bnd-server-submissions.h"

/* One call for every step: POST /dossiers/UUID/steps/STEP with what the step is given, checked
 * by the rules of src/core/bnd-procedure.c and kept in the audit trail. GET /dossiers/UUID/steps
 * tells the calling account which steps it may take now, and for each other one the very
 * refusal the server would give. The older calls (PUT …/assessment, POST …/vote, …/statement,
 * …/stage) take the same steps through the same check. */

/* The request's JSON object; an empty body is an empty object. */
static JsonObject *
parse_optional_body (SoupServerMessage  *msg,
                     JsonNode          **root)
{
  if (soup_server_message_get_request_body (msg)->length == 0)
    {
      *root = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (*root, json_object_new ());
      return json_node_get_object (*root);
    }
  return _bnd_server_parse_body (msg, root);
}

/**
 * _bnd_server_dossier_to_json:
 *
 * Returns: (transfer full): @record with its sketch, and the procedure as @user sees it: the
 *   facts the rules ask and the steps @user may take (as of this answer: a rating or a vote of
 *   another organisation changes them without a new revision; GET …/steps is always current)
 */
JsonNode *
_bnd_server_dossier_to_json (BndServer       *self,
                             const BndUser   *user,
                             const BndRecord *record)
{
  g_autoptr(BndServerFacts) facts = bnd_server_db_get_facts (_bnd_server_db (self), user, record->uuid, FALSE, NULL);
  g_autofree char *submitted = NULL;
  JsonNode *node;

  /* A sketch sent back for changes is the carrier's to revise: everyone else sees it as it was
   * submitted until it is submitted again. */
  if (!g_str_equal (user->org, record->org) && record->submitted &&
      bnd_procedure_may_edit_sketch (record->stage, NULL) &&
      (submitted = bnd_server_db_get_submitted_data (_bnd_server_db (self), record->uuid)))
    {
      BndRecord shown = *record;

      shown.data = submitted;
      node = _bnd_server_record_to_json (&shown, TRUE);
    }
  else
    node = _bnd_server_record_to_json (record, TRUE);

  if (facts != NULL)
    json_object_set_member (json_node_get_object (node), "procedure", bnd_server_facts_to_json (facts, user));
  return node;
}

/* The answer to a step: the dossier afterwards, without its sketch. */
static void
send_dossier (BndServer         *self,
              SoupServerMessage *msg,
              const BndUser     *user,
              const BndRecord   *record)
{
  JsonNode *node = _bnd_server_record_to_json (record, FALSE);
  g_autoptr(BndServerFacts) facts = bnd_server_db_get_facts (_bnd_server_db (self), user, record->uuid, FALSE, NULL);

  if (facts != NULL)
    json_object_set_member (json_node_get_object (node), "procedure", bnd_server_facts_to_json (facts, user));
  _bnd_server_send_json (msg, SOUP_STATUS_OK, node);
}

/* {"held", "who", "notes", "complete", "recorded_by", "recorded"}, or NULL without one. */
static JsonNode *
consultation_to_json (BndServer  *self,
                      const char *uuid)
{
  return bnd_server_db_get_consultation (_bnd_server_db (self), uuid);
}

/* GET /dossiers/UUID: the dossier with its procedure, consultation and first assessment. */
void
_bnd_server_handle_dossier (BndServer         *self,
                            SoupServerMessage *msg,
                            const BndUser     *user,
                            const char        *uuid)
{
  BndServerDb *db = _bnd_server_db (self);
  g_autoptr(BndRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *assessment = NULL;
  JsonNode *node;
  JsonNode *consultation;
  JsonObject *object;

  if (!(record = bnd_server_db_get_dossier (db, user, uuid, &error)))
    return _bnd_server_send_error (msg, error);
  node = _bnd_server_dossier_to_json (self, user, record);
  object = json_node_get_object (node);
  json_object_set_string_member (object, "closed_at", record->closed_at);
  consultation = consultation_to_json (self, uuid);
  json_object_set_member (object, "consultation", consultation ? consultation : json_node_new (JSON_NODE_NULL));
  assessment = bnd_server_db_get_assessment (db, user, uuid, NULL);
  json_object_set_member (object, "assessment",
                          assessment ? json_from_string (assessment, NULL) : json_node_new (JSON_NODE_NULL));
  json_object_set_int_member (object, "submissions",
                              bnd_server_db_count_submissions (db, uuid));
  _bnd_server_send_json (msg, SOUP_STATUS_OK, node);
}

/* GET /dossiers/UUID/steps */
void
_bnd_server_handle_steps (BndServer         *self,
                          SoupServerMessage *msg,
                          const BndUser     *user,
                          const char        *uuid)
{
  g_autoptr(BndServerFacts) facts = NULL;
  g_autoptr(GError) error = NULL;

  if (!(facts = bnd_server_db_get_facts (_bnd_server_db (self), user, uuid, FALSE, &error)))
    return _bnd_server_send_error (msg, error);
  _bnd_server_send_json (msg, SOUP_STATUS_OK, bnd_server_facts_to_json (facts, user));
}

/* Takes @step with @body; answers with the dossier afterwards. */
static void
take_step (BndServer         *self,
           SoupServerMessage *msg,
           const BndUser     *user,
           const char        *uuid,
           BndStep            step,
           JsonObject        *body)
{
  g_autoptr(BndRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  if (!(record = bnd_server_db_take_step (_bnd_server_db (self), user, uuid, step, body, self->strategy, &error)))
    return _bnd_server_send_error (msg, error);
  send_dossier (self, msg, user, record);
}

/* POST /dossiers/UUID/steps/STEP: the steps with a body of their own (a PDF, scores, a vote) go
 * to their calls, the others to bnd_server_db_take_step(). */
void
_bnd_server_handle_take_step (BndServer         *self,
                              SoupServerMessage *msg,
                              const BndUser     *user,
                              const char        *uuid,
                              const char        *name,
                              GHashTable        *query)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *body;
  BndStep step;

  if (!bnd_step_from_string (name, &step))
    return _bnd_server_fail (msg, BND_SERVER_ERROR_NOT_FOUND, "%s", _("No such step of the procedure"));
  if (step == BND_STEP_SUBMIT)
    return _bnd_server_handle_submit (self, msg, user, uuid);
  if (step == BND_STEP_ATTACH)
    return _bnd_server_handle_add_attachment (self, msg, user, uuid, query);
  if (step == BND_STEP_RATE)
    return _bnd_server_handle_rate (self, msg, user, uuid);
  if (step == BND_STEP_VOTE)
    return _bnd_server_handle_cast_vote (self, msg, user, uuid);
  if (step == BND_STEP_COMMENT)
    return _bnd_server_handle_comments (self, msg, user, uuid, TRUE);
  if (step == BND_STEP_RECUSE)
    return _bnd_server_handle_recuse (self, msg, user, uuid);
  if (!(body = parse_optional_body (msg, &root)))
    return;
  take_step (self, msg, user, uuid, step, body);
}

/* The step that leads to @stage, for POST /stage; -1 for none. */
static int
step_to (const char *stage)
{
  static const struct { const char *stage; BndStep step; } steps[] = {
    { "consultation", BND_STEP_RECORD_CONSULTATION },
    { "submitted", BND_STEP_SUBMIT },
    { "first-assessment", BND_STEP_START_ASSESSMENT },
    { "long-form-requested", BND_STEP_ASSESS },
    { "changes-requested", BND_STEP_ASSESS },
    { "not-recommended", BND_STEP_ASSESS },
    { "long-form-received", BND_STEP_RECEIVE_LONG_FORM },
    { "rating", BND_STEP_OPEN_RATING },
    { "vote", BND_STEP_OPEN_VOTE },
    { "statement", BND_STEP_ISSUE_STATEMENT },
    { "not-endorsed", BND_STEP_ISSUE_STATEMENT },
    { "application", BND_STEP_FILE_APPLICATION },
    { "approved", BND_STEP_APPROVE },
    { "rejected", BND_STEP_REJECT },
    { "withdrawn", BND_STEP_WITHDRAW },
  };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (g_str_equal (stage, steps[i].stage))
      return steps[i].step;
  return -1;
}

/* POST /dossiers/UUID/stage {"stage", "comment"?, "reason"?, "amount"?, "date"?}: the older call
 * that names the stage to reach; it takes the step that leads there. Moving to the long form
 * records a positive first assessment, to the changes or to not recommended the outcome
 * with the comment as its reason; the comment is the reason of a step that needs one. */
void
_bnd_server_handle_move_stage (BndServer         *self,
                               SoupServerMessage *msg,
                               const BndUser     *user,
                               const char        *uuid)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *body;
  const char *stage;
  const char *comment;
  int step;

  if (!(body = _bnd_server_parse_body (msg, &root)))
    return;
  if (!bnd_server_body_read_stage (body, &stage, &error))
    return _bnd_server_send_error (msg, error);
  if ((step = step_to (stage)) < 0)
    return _bnd_server_refuse (msg, BND_SERVER_ERROR_INVALID, N_("“%s” is not a stage of the procedure"), stage, NULL);
  if ((comment = _bnd_server_string_member (body, "comment")) && !json_object_has_member (body, "reason"))
    json_object_set_string_member (body, "reason", comment);
  if (step == BND_STEP_ASSESS && !json_object_has_member (body, "outcome"))
    json_object_set_string_member (body, "outcome",
                                   g_str_equal (stage, "long-form-requested") ? "positive"
                                   : g_str_equal (stage, "changes-requested") ? "needs-changes" : "negative");
  take_step (self, msg, user, uuid, step, body);
}

/* PUT /dossiers/UUID/assessment: the step "assess"; answers with the assessment as stored. */
void
_bnd_server_handle_record_assessment (BndServer         *self,
                                      SoupServerMessage *msg,
                                      const BndUser     *user,
                                      const char        *uuid)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(BndRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *assessment = NULL;
  JsonObject *body;

  if (!(body = _bnd_server_parse_body (msg, &root)))
    return;
  if (!(record = bnd_server_db_take_step (_bnd_server_db (self), user, uuid, BND_STEP_ASSESS, body, self->strategy,
                                          &error)) ||
      !(assessment = bnd_server_db_get_assessment (_bnd_server_db (self), user, uuid, &error)))
    return _bnd_server_send_error (msg, error);
  _bnd_server_send_json (msg, SOUP_STATUS_OK, json_from_string (assessment, NULL));
}

/* POST /dossiers/UUID/statement: the step "issue-statement"; answers with the PDF's SHA-256 and
 * the stage it led to. */
void
_bnd_server_handle_issue_statement (BndServer         *self,
                                    SoupServerMessage *msg,
                                    const BndUser     *user,
                                    const char        *uuid)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(BndRecord) record = NULL;
  g_autoptr(BndServerFile) pdf = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (!(record = bnd_server_db_take_step (_bnd_server_db (self), user, uuid, BND_STEP_ISSUE_STATEMENT, body, self->strategy,
                                          &error)) ||
      !(pdf = bnd_server_db_get_statement (_bnd_server_db (self), user, uuid, &error)))
    return _bnd_server_send_error (msg, error);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sha256");
  json_builder_add_string_value (builder, pdf->sha256);
  json_builder_set_member_name (builder, "stage");
  json_builder_add_string_value (builder, record->stage);
  json_builder_end_object (builder);
  _bnd_server_send_json (msg, SOUP_STATUS_OK, json_builder_get_root (builder));
}

/* POST /dossiers/UUID/vote {"question"?, "deadline"?, "recused"?}: in the rating round, the step
 * "open-vote" (which closes the round); at the vote, opens the round of a dossier moved there
 * without one. Answers with the round. */
void
_bnd_server_handle_open_vote (BndServer         *self,
                              SoupServerMessage *msg,
                              const BndUser     *user,
                              const char        *uuid)
{
  BndServerDb *db = _bnd_server_db (self);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BndRecord) record = NULL;
  g_auto(GStrv) recused = NULL;
  JsonObject *body;
  const char *question;
  gint64 deadline;

  if (!(body = _bnd_server_parse_body (msg, &root)))
    return;
  if (!bnd_server_body_read_string (body, "question", FALSE, &question, &error))
    return _bnd_server_send_error (msg, error);
  if (!(record = bnd_server_db_get_dossier (db, user, uuid, &error)))
    return _bnd_server_send_error (msg, error);
  if (!g_str_equal (record->stage, "vote"))
    {
      g_autoptr(BndRecord) moved = NULL;

      if (!(moved = bnd_server_db_take_step (db, user, uuid, BND_STEP_OPEN_VOTE, body, self->strategy,
                                             &error)))
        return _bnd_server_send_error (msg, error);
      return _bnd_server_handle_get_vote (self, msg, user, uuid);
    }

  if (!bnd_server_body_read_opening (body, bnd_strategy_get_review (self->strategy)->vote_days,
                                     bnd_server_db_now (db), &question,
                                     &deadline, &recused, &error))
    return _bnd_server_send_error (msg, error);
  if (!bnd_server_db_open_vote (db, user, uuid, question, deadline,
                                (const char * const *)recused, &error))
    return _bnd_server_send_error (msg, error);
  _bnd_server_handle_get_vote (self, msg, user, uuid);
}

/* GET /dossiers/UUID/consultation; POST: the step "record-consultation" {"date", "who"?,
 * "notes"?, and for a dossier that starts here "org" and "title"}. */
void
_bnd_server_handle_consultation (BndServer         *self,
                                 SoupServerMessage *msg,
                                 const BndUser     *user,
                                 const char        *uuid,
                                 gboolean           record)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(BndRecord) dossier = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *body;
  JsonNode *consultation;

  if (record)
    {
      if (!(body = _bnd_server_parse_body (msg, &root)))
        return;
      if (!(dossier = bnd_server_db_take_step (_bnd_server_db (self), user, uuid, BND_STEP_RECORD_CONSULTATION, body,
                                               self->strategy, &error)))
        return _bnd_server_send_error (msg, error);
    }
  else if (!(dossier = bnd_server_db_get_dossier (_bnd_server_db (self), user, uuid, &error)))
    return _bnd_server_send_error (msg, error);
  if (!(consultation = consultation_to_json (self, uuid)))
    return _bnd_server_fail (msg, BND_SERVER_ERROR_NOT_FOUND, "%s",
                             _("No consultation was recorded for this dossier"));
  _bnd_server_send_json (msg, SOUP_STATUS_OK, consultation);
}

/* GET /dossiers/UUID/submissions */
void
_bnd_server_handle_submissions (BndServer         *self,
                                SoupServerMessage *msg,
                                const BndUser     *user,
                                const char        *uuid)
{
  g_autoptr(GError) error = NULL;
  JsonNode *list;

  if (!(list = bnd_server_db_list_submissions (_bnd_server_db (self), user, uuid, &error)))
    return _bnd_server_send_error (msg, error);
  _bnd_server_send_json (msg, SOUP_STATUS_OK, list);
}

/* GET /dossiers/UUID/submissions/N: the PDF; …/submissions/diff?from=N&to=M: what changed. */
void
_bnd_server_handle_submission (BndServer         *self,
                               SoupServerMessage *msg,
                               const BndUser     *user,
                               const char        *uuid,
                               const char        *which,
                               GHashTable        *query)
{
  BndServerDb *db = _bnd_server_db (self);
  g_autoptr(BndRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *by = NULL;
  BndServerFile *pdf = NULL;
  guint64 n = 0;

  if (!(record = bnd_server_db_get_dossier (db, user, uuid, &error)))
    return _bnd_server_send_error (msg, error);
  if (g_str_equal (which, "diff"))
    {
      const char *from_text = query ? g_hash_table_lookup (query, "from") : NULL;
      const char *to_text = query ? g_hash_table_lookup (query, "to") : NULL;
      guint64 from = 0, to = 0;
      JsonNode *diff;

      if ((from_text && !g_ascii_string_to_unsigned (from_text, 10, 1, G_MAXINT32, &from, NULL)) ||
          (to_text && !g_ascii_string_to_unsigned (to_text, 10, 1, G_MAXINT32, &to, NULL)))
        return _bnd_server_fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s",
                                 _("“from” and “to” must be numbers of submissions"));
      if (!(diff = bnd_server_db_diff_submissions (db, user, uuid, from, to, self->strategy, &error)))
        return _bnd_server_send_error (msg, error);
      return _bnd_server_send_json (msg, SOUP_STATUS_OK, diff);
    }
  if (!g_ascii_string_to_unsigned (which, 10, 1, G_MAXINT32, &n, NULL) ||
      !bnd_server_db_get_submission (db, uuid, n, &pdf, &by))
    return _bnd_server_fail (msg, BND_SERVER_ERROR_NOT_FOUND, "%s", _("No such submission"));
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "X-Buendnis-SHA256",
                                pdf->sha256);
  _bnd_server_send_file (self, msg, pdf);
}
