/* bnd-server-procedure.c: the procedure's rules, enforced on what the database holds
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-procedure"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bnd-server-body.h"
#include "bnd-server-db-private.h"
#include "bnd-server-discussion.h"
#include "bnd-server-mail.h"
#include "bnd-server-procedure.h"
#include "bnd-server-statement.h"
#include "bnd-server-vote.h"
#include "bnd-sketch.h"

/* Who may take which step when is decided in one place, src/core/bnd-procedure.c; this file
 * reads what the rules ask of a dossier (BndDossierFacts) from the database, asks them, turns a
 * refusal into the API's error, and takes the steps that move a dossier on: each one's stage,
 * its records and its audit entry in one transaction. Rating, voting, commenting, attaching and
 * submitting have files of their own and ask bnd_server_db_check_step() first. */

#define MAX_TEXT 4000
#define MAX_TITLE 1000

/* The server's clock (bnd-server-clock.c): deadlines and the times they are compared with. */
static gint64
now (BndServerDb *self)
{
  return bnd_server_db_now (self);
}

/* The count that @sql gives with ?1 = @a and ?2 = @b; 0 when the query fails. */
static gint64
count (BndServerDb *self,
       const char  *sql,
       const char  *a,
       const char  *b)
{
  g_autoptr(BndDbStmt) stmt = bnd_server_db_prepare (self, sql, NULL);

  if (stmt == NULL)
    return 0;
  bnd_db_bind_text (stmt, 1, a);
  bnd_db_bind_text (stmt, 2, b);
  return bnd_db_step (stmt) == BND_DB_ROW ? bnd_db_column_int64 (stmt, 0) : 0;
}

static gboolean
is_entitled (const BndVoteRound *round,
             const char         *org)
{
  for (guint i = 0; i < round->entitled->len; i++)
    if (g_str_equal (((BndBallot *)g_ptr_array_index (round->entitled, i))->org, org))
      return TRUE;
  return FALSE;
}

static void
read_rating_round (BndServerDb    *self,
                   BndServerFacts *facts)
{
  g_autoptr(BndDbStmt) stmt =
    bnd_server_db_prepare (self, "SELECT opened, deadline, coalesce (closed, 0), close_reason "
                                 "FROM rating_rounds WHERE dossier = ?1", NULL);

  if (stmt == NULL)
    return;
  bnd_db_bind_text (stmt, 1, facts->record->uuid);
  if (bnd_db_step (stmt) != BND_DB_ROW)
    return;
  facts->rating_opened = bnd_db_column_int64 (stmt, 0);
  facts->rating_deadline = bnd_db_column_int64 (stmt, 1);
  facts->rating_closed = bnd_db_column_int64 (stmt, 2);
  facts->rating_reason = g_strdup (bnd_db_column_text (stmt, 3));
}

/**
 * bnd_server_db_get_facts:
 * @new_ok: whether a dossier that does not exist yet is a dossier at no stage (the coordination
 *   records a consultation with a new id); otherwise a 404 error
 *
 * Reads what the rules ask of the dossier @uuid, as @user sees it. A dossier @user may not see
 * is a 404 error, whether it exists or not.
 */
BndServerFacts *
bnd_server_db_get_facts (BndServerDb    *self,
                         const BndUser  *user,
                         const char     *uuid,
                         gboolean        new_ok,
                         GError        **error)
{
  g_autoptr(BndServerFacts) facts = g_new0 (BndServerFacts, 1);
  g_autoptr(BndVoteRound) round = NULL;
  BndDossierFacts *f = &facts->facts;
  BndRecord *record;

  if (!(record = bnd_server_db_get_record (self, uuid)) && new_ok)
    return g_steal_pointer (&facts);
  if (record == NULL || !bnd_server_db_can_see (user, record))
    {
      g_clear_pointer (&record, bnd_record_free);
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_NOT_FOUND, "%s", _("No such dossier"));
      return NULL;
    }
  facts->record = record;

  /* A draft is no dossier yet: the rules know it as the start. */
  f->stage = g_str_equal (record->stage, "draft") ? NULL : record->stage;
  f->closed_at = record->closed_at;
  f->own_organisation = g_str_equal (user->org, record->org);
  f->has_long_form = count (self, "SELECT count (*) FROM attachments WHERE dossier = ?1 AND kind = 'long-form'",
                            uuid, NULL) > 0;
  /* Who rates: every partner organisation but the carrier's own and the recused ones. */
  f->n_entitled = count (self, "SELECT count (*) FROM orgs WHERE kind != 'carrier' AND id != ?2 AND id NOT IN "
                               "(SELECT org FROM recusals WHERE dossier = ?1)", uuid, record->org);
  f->n_rated = count (self, "SELECT count (*) FROM ratings AS r JOIN orgs AS o ON o.id = r.org "
                            "WHERE r.dossier = ?1 AND o.kind != 'carrier' AND r.org != ?2 AND r.org NOT IN "
                            "(SELECT org FROM recusals WHERE dossier = ?1)", uuid, record->org);
  read_rating_round (self, facts);
  /* The two weeks to the statement (strategy §4.1) run from here; the trail keeps when. */
  facts->long_form_received = count (self, "SELECT coalesce (max (at), 0) FROM audit "
                                           "WHERE dossier = ?1 AND action = 'long-form-received'", uuid, NULL);

  round = bnd_server_db_load_vote_round (self, uuid, NULL);
  facts->has_vote_round = round != NULL;
  f->vote_closed = round != NULL && round->closed;
  /* Once a vote is open, who votes is fixed: the organisations entitled when it opened. */
  if (round != NULL)
    f->recused = !is_entitled (round, user->org);
  else
    f->recused = count (self, "SELECT count (*) FROM recusals WHERE dossier = ?1 AND org = ?2",
                        uuid, user->org) > 0 ||
                 count (self, "SELECT count (*) FROM orgs WHERE id = ?1 AND kind != 'carrier'",
                        user->org, NULL) == 0;
  /* At the vote, what the statement will say; after it, what it said. */
  if (g_strcmp0 (f->stage, "vote") == 0)
    f->statement_positive = round != NULL && round->closed && bnd_vote_round_is_adopted (round);
  else
    f->statement_positive = count (self, "SELECT positive FROM statements WHERE dossier = ?1 "
                                         "ORDER BY n DESC LIMIT 1", uuid, NULL) != 0;
  return g_steal_pointer (&facts);
}

void
bnd_server_facts_free (BndServerFacts *facts)
{
  if (facts == NULL)
    return;
  g_clear_pointer (&facts->record, bnd_record_free);
  g_free (facts->rating_reason);
  g_free (facts);
}

/* The stages before a round: a rating or vote refused there waits in the client's queue
 * (conflict); after the round it is not counted, for good (closed). */
static gboolean
is_before (const char *stage,
           BndStep     step)
{
  static const char *before_rating[] = { "consultation", "submitted", "first-assessment", "changes-requested",
                                         "long-form-requested", "long-form-received", NULL };

  return stage == NULL || g_strv_contains (before_rating, stage) ||
         (step == BND_STEP_VOTE && g_str_equal (stage, "rating"));
}

/* The procedure's refusal as the API's: ROLE is 403, STAGE and CONDITION 409, INPUT 422; a
 * rating or vote after its round is "closed", so that a client stops sending it. */
static gboolean
refuse (const BndServerFacts *facts,
        BndStep               step,
        const GError         *refusal,
        GError              **error)
{
  BndServerError code = BND_SERVER_ERROR_CONFLICT;
  const char *message = refusal->message;

  switch ((BndProcedureError)refusal->code)
    {
    case BND_PROCEDURE_ERROR_ROLE:
      code = BND_SERVER_ERROR_FORBIDDEN;
      break;
    case BND_PROCEDURE_ERROR_STAGE:
      if (step == BND_STEP_RATE && !is_before (facts->facts.stage, step))
        {
          code = BND_SERVER_ERROR_CLOSED;
          message = _("Ratings are given while the dossier is at the rating stage; "
                      "this rating was not counted");
        }
      else if (step == BND_STEP_VOTE && !is_before (facts->facts.stage, step))
        {
          code = BND_SERVER_ERROR_CLOSED;
          message = _("The dossier has left the circulation vote; this vote was not counted");
        }
      break;
    case BND_PROCEDURE_ERROR_CONDITION:
      if (step == BND_STEP_VOTE && facts->facts.vote_closed)
        {
          code = BND_SERVER_ERROR_CLOSED;
          message = _("The vote closed; this vote was not counted");
        }
      break;
    case BND_PROCEDURE_ERROR_INPUT:
      code = BND_SERVER_ERROR_INVALID;
      break;
    default:
      break;
    }
  g_set_error_literal (error, BND_SERVER_ERROR, code, message);
  return FALSE;
}

/**
 * bnd_server_facts_may:
 *
 * Whether @user may take @step now, leaving aside what it is given: what GET …/steps answers.
 * The refusal is the one the server gives when the step is tried.
 */
gboolean
bnd_server_facts_may (const BndServerFacts  *facts,
                      const BndUser         *user,
                      BndStep                step,
                      GError               **error)
{
  g_autoptr(GError) refusal = NULL;

  if (bnd_procedure_may (step, user->role, &facts->facts, &refusal))
    return TRUE;
  return refuse (facts, step, refusal, error);
}

/**
 * bnd_server_facts_check:
 * @input: (nullable): what the step is given
 *
 * Whether @user may take @step now with @input; the error is the API's.
 */
gboolean
bnd_server_facts_check (const BndServerFacts  *facts,
                        const BndUser         *user,
                        BndStep                step,
                        const BndStepInput    *input,
                        GError               **error)
{
  g_autoptr(GError) refusal = NULL;

  if (bnd_procedure_check (step, user->role, &facts->facts, input, &refusal))
    return TRUE;
  return refuse (facts, step, refusal, error);
}

/**
 * bnd_server_db_check_step:
 *
 * Reads the dossier and asks the rules whether @user may take @step with @input.
 *
 * Returns: (transfer full) (nullable): the facts read, or %NULL with the API's error
 */
BndServerFacts *
bnd_server_db_check_step (BndServerDb         *self,
                          const BndUser       *user,
                          const char          *uuid,
                          BndStep              step,
                          const BndStepInput  *input,
                          GError             **error)
{
  g_autoptr(BndServerFacts) facts = NULL;

  if (!(facts = bnd_server_db_get_facts (self, user, uuid, step == BND_STEP_RECORD_CONSULTATION, error)) ||
      !bnd_server_facts_check (facts, user, step, input, error))
    return NULL;
  return g_steal_pointer (&facts);
}

/**
 * bnd_server_db_move_dossier:
 * @target: the stage bnd_procedure_target() gave
 *
 * Moves the dossier to @target; a closed dossier remembers where it was closed, and a reopened
 * one forgets it. The caller holds a transaction and writes the audit entry.
 */
gboolean
bnd_server_db_move_dossier (BndServerDb      *self,
                            const BndUser    *user,
                            const BndRecord  *record,
                            const char       *target,
                            GError          **error)
{
  g_autoptr(BndDbStmt) stmt = NULL;
  const char *closed_at = bnd_procedure_is_closed (target) ? record->stage : NULL;

  if (!bnd_server_db_write_stage (self, user, record->uuid, target, error))
    return FALSE;
  if (!(stmt = bnd_server_db_prepare (self, "UPDATE records SET closed_at = ?2 WHERE uuid = ?1", error)))
    return FALSE;
  bnd_db_bind_text (stmt, 1, record->uuid);
  bnd_db_bind_text (stmt, 2, closed_at);   /* NULL binds NULL */
  if (bnd_db_step (stmt) != BND_DB_DONE)
    return bnd_server_db_sql_error (self, error);
  return TRUE;
}

/* Input */

/* The string member @name of @body, NULL when missing; a member of another type is a 400. */
static gboolean
get_string (JsonObject  *body,
            const char  *name,
            const char **value,
            GError     **error)
{
  *value = NULL;
  return bnd_server_body_read_string (body, name, TRUE, value, error);
}

/* The string member @name of @body, or NULL. */
static const char *
string_or_null (JsonObject *body,
                  const char *name)
{
  JsonNode *node = json_object_get_member (body, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* A text of at most @max characters, or missing. */
static gboolean
check_text (const char  *name,
            const char  *text,
            gsize        max,
            GError     **error)
{
  if (text != NULL && g_utf8_strlen (text, -1) > (glong)max)
    {
      g_autofree char *limit = g_strdup_printf ("%u", (guint)max);

      bnd_api_error_set (error, BND_SERVER_ERROR_INVALID,
                         N_("“%s” must be a text of at most %s characters"), name, limit, NULL);
      return FALSE;
    }
  return TRUE;
}

/* Whether @text says anything: blanks say nothing. */
static gboolean
has_text (const char *text)
{
  for (; text && *text; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return TRUE;
  return FALSE;
}

/* YYYY-MM-DD, a real day. */
static gboolean
is_date (const char *text)
{
  g_autofree char *iso = NULL;
  g_autoptr(GDateTime) parsed = NULL;

  if (text == NULL || strlen (text) != 10)
    return FALSE;
  iso = g_strconcat (text, "T00:00:00Z", NULL);
  return (parsed = g_date_time_new_from_iso8601 (iso, NULL)) != NULL;
}

/**
 * parse_deadline:
 * @text: ISO 8601, a date and time ("2026-12-09T12:00:00Z") or a day ("2026-12-09": its end, UTC)
 *
 * Returns: Unix time, or 0 with @error set (400: the request was not understood)
 */
static gint64
parse_deadline (const char  *text,
                GError     **error)
{
  g_autoptr(GDateTime) parsed = NULL;

  if (is_date (text))
    {
      g_autofree char *iso = g_strconcat (text, "T23:59:59Z", NULL);
      parsed = g_date_time_new_from_iso8601 (iso, NULL);
    }
  else if (text != NULL)
    parsed = g_date_time_new_from_iso8601 (text, NULL);
  if (parsed == NULL)
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_BAD_REQUEST, "%s",
                   _("“deadline” must be a date and time such as 2026-12-09T12:00:00Z"));
      return 0;
    }
  return g_date_time_to_unix (parsed);
}

/* The approved amount in euros: a number above 0, at most the limit of a sketch's sums. */
static gboolean
get_amount (JsonObject *body,
            double     *amount)
{
  JsonNode *node = json_object_get_member (body, "amount");

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_INT64 && json_node_get_value_type (node) != G_TYPE_DOUBLE))
    return FALSE;
  *amount = json_node_get_double (node);
  return *amount > 0 && *amount <= BND_SKETCH_MAX_AMOUNT;
}

/* The "recused" member: organisation ids, or missing. */
static gboolean
get_recused (JsonObject  *body,
             GStrv       *recused,
             GError     **error)
{
  JsonNode *node = json_object_get_member (body, "recused");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (node != NULL)
    {
      array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
      for (guint i = 0; array && i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
            array = NULL;
          else
            g_strv_builder_add (builder, json_node_get_string (element));
        }
      if (array == NULL)
        {
          g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_BAD_REQUEST, "%s",
                       _("“recused” must be a list of organisation ids"));
          return FALSE;
        }
    }
  *recused = g_strv_builder_end (builder);
  return TRUE;
}

static char *
sketch_title (const BndRecord *record)
{
  g_autoptr(JsonNode) data = record ? json_from_string (record->data, NULL) : NULL;
  JsonObject *object = data && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;

  return g_strdup (object ? json_object_get_string_member_with_default (object, "title", "") : "");
}

static char *
org_name (BndServerDb *self,
          const char  *org)
{
  g_autoptr(BndDbStmt) stmt = bnd_server_db_prepare (self, "SELECT name FROM orgs WHERE id = ?1", NULL);

  if (stmt == NULL)
    return NULL;
  bnd_db_bind_text (stmt, 1, org);
  return bnd_db_step (stmt) == BND_DB_ROW ? g_strdup (bnd_db_column_text (stmt, 0)) : NULL;
}

static char *
to_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_node_set_object (node, object);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/* Effects of the steps, inside the transaction */

/* A dossier the coordination starts with its consultation, before any sketch: the carrier's
 * organisation finds it in its sync and writes its sketch into it (bnd_procedure_may_edit_sketch()). */
static gboolean
create_dossier (BndServerDb    *self,
                const BndUser  *user,
                const char     *uuid,
                const char     *org,
                const char     *title,
                GError        **error)
{
  g_autoptr(BndSketch) sketch = bnd_sketch_new ();
  g_autoptr(BndDbStmt) stmt = NULL;
  g_autofree char *name = org_name (self, org);
  g_autofree char *data = NULL;

  bnd_sketch_set_uuid (sketch, uuid);
  bnd_sketch_set_title (sketch, title);
  bnd_sketch_set_carrier (sketch, name ? name : org);
  data = bnd_sketch_to_data (sketch, NULL);
  if (!(stmt = bnd_server_db_prepare (self, "INSERT INTO records (uuid, org, stage, revision, seq, data, "
                                            "updated_by, updated) "
                                            "VALUES (?1, ?2, 'consultation', 1, ?3, ?4, ?5, ?6)", error)))
    return FALSE;
  bnd_db_bind_text (stmt, 1, uuid);
  bnd_db_bind_text (stmt, 2, org);
  bnd_db_bind_int64 (stmt, 3, bnd_server_db_next_seq (self));
  bnd_db_bind_text (stmt, 4, data);
  bnd_db_bind_text (stmt, 5, user->name);
  bnd_db_bind_int64 (stmt, 6, now (self));
  if (bnd_db_step (stmt) != BND_DB_DONE)
    return bnd_server_db_sql_error (self, error);
  return TRUE;
}

/**
 * bnd_server_db_write_consultation:
 * @held: (nullable): the day it was held; %NULL for one a submission started, which the
 *   coordination completes
 *
 * The caller holds a transaction and writes the audit entry.
 */
gboolean
bnd_server_db_write_consultation (BndServerDb    *self,
                                  const BndUser  *user,
                                  const char     *uuid,
                                  const char     *held,
                                  const char     *who,
                                  const char     *notes,
                                  GError        **error)
{
  g_autoptr(BndDbStmt) stmt =
    bnd_server_db_prepare (self, "INSERT INTO consultations (dossier, held, participants, notes, complete, "
                                 "recorded_by, recorded) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                                 "ON CONFLICT (dossier) DO UPDATE SET held = ?2, participants = ?3, notes = ?4, "
                                 "complete = ?5, recorded_by = ?6, recorded = ?7", error);

  if (stmt == NULL)
    return FALSE;
  bnd_db_bind_text (stmt, 1, uuid);
  bnd_db_bind_text (stmt, 2, held);
  bnd_db_bind_text (stmt, 3, who ? who : "");
  bnd_db_bind_text (stmt, 4, notes ? notes : "");
  bnd_db_bind_int (stmt, 5, held != NULL);
  bnd_db_bind_text (stmt, 6, user->name);
  bnd_db_bind_int64 (stmt, 7, now (self));
  if (bnd_db_step (stmt) != BND_DB_DONE)
    return bnd_server_db_sql_error (self, error);
  return TRUE;
}

/**
 * bnd_server_db_get_consultation:
 *
 * Returns: (transfer full) (nullable): {"date", "who", "notes", "complete", "recorded_by",
 *   "recorded"}; "date" is null for one a submission started that the coordination has not
 *   completed yet
 */
JsonNode *
bnd_server_db_get_consultation (BndServerDb *self,
                                const char  *uuid)
{
  g_autoptr(BndDbStmt) stmt =
    bnd_server_db_prepare (self, "SELECT held, participants, notes, complete, recorded_by, recorded "
                                 "FROM consultations WHERE dossier = ?1", NULL);
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (stmt == NULL)
    return NULL;
  bnd_db_bind_text (stmt, 1, uuid);
  if (bnd_db_step (stmt) != BND_DB_ROW)
    return NULL;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "date");
  json_builder_add_string_value (builder, bnd_db_column_text (stmt, 0));
  json_builder_set_member_name (builder, "who");
  json_builder_add_string_value (builder, bnd_db_column_text (stmt, 1));
  json_builder_set_member_name (builder, "notes");
  json_builder_add_string_value (builder, bnd_db_column_text (stmt, 2));
  json_builder_set_member_name (builder, "complete");
  json_builder_add_boolean_value (builder, bnd_db_column_int (stmt, 3) != 0);
  json_builder_set_member_name (builder, "recorded_by");
  json_builder_add_string_value (builder, bnd_db_column_text (stmt, 4));
  json_builder_set_member_name (builder, "recorded");
  json_builder_add_int_value (builder, bnd_db_column_int64 (stmt, 5));
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static gboolean
open_rating_round (BndServerDb    *self,
                   const BndUser  *user,
                   const char     *uuid,
                   gint64          deadline,
                   GError        **error)
{
  g_autoptr(BndDbStmt) stmt =
    bnd_server_db_prepare (self, "INSERT INTO rating_rounds (dossier, opened, deadline, opened_by, closed, close_reason) "
                                 "VALUES (?1, ?2, ?3, ?4, NULL, NULL) ON CONFLICT (dossier) DO UPDATE "
                                 "SET opened = ?2, deadline = ?3, opened_by = ?4, closed = NULL, close_reason = NULL", error);

  if (stmt == NULL)
    return FALSE;
  bnd_db_bind_text (stmt, 1, uuid);
  bnd_db_bind_int64 (stmt, 2, now (self));
  bnd_db_bind_int64 (stmt, 3, deadline);
  bnd_db_bind_text (stmt, 4, user->name);
  if (bnd_db_step (stmt) != BND_DB_DONE)
    return bnd_server_db_sql_error (self, error);
  return TRUE;
}

static gboolean
close_rating_round (BndServerDb  *self,
                    const char   *uuid,
                    const char   *reason,
                    GError      **error)
{
  g_autoptr(BndDbStmt) stmt =
    bnd_server_db_prepare (self, "UPDATE rating_rounds SET closed = ?2, close_reason = ?3 WHERE dossier = ?1 "
                                 "AND closed IS NULL", error);

  if (stmt == NULL)
    return FALSE;
  bnd_db_bind_text (stmt, 1, uuid);
  bnd_db_bind_int64 (stmt, 2, now (self));
  bnd_db_bind_text (stmt, 3, reason);
  if (bnd_db_step (stmt) != BND_DB_DONE)
    return bnd_server_db_sql_error (self, error);
  return TRUE;
}

/* The question of the circulation vote, in German whatever the client's language: it goes into
 * the German statement. */
static char *
default_question (const BndRecord *record)
{
  g_autofree char *title = sketch_title (record);

  return g_strdup_printf ("Gibt der Lenkungskreis eine positive Stellungnahme zu „%s“ ab?", title);
}

/* A reopened dossier at the vote whose round has closed: the Lenkungskreis votes again, on the
 * same question, for the pack's time. The closed round's result stays in its statement and the
 * audit trail. */
static gboolean
renew_vote_round (BndServerDb       *self,
                  const BndUser     *user,
                  const BndRecord   *record,
                  const BndReview   *review,
                  GError           **error)
{
  g_autoptr(BndVoteRound) round = bnd_server_db_load_vote_round (self, record->uuid, NULL);
  g_autofree char *question = NULL;

  if (round != NULL && !round->closed)
    return TRUE;
  question = round ? g_strdup (round->question) : default_question (record);
  return (round == NULL || bnd_server_db_remove_vote_round (self, record->uuid, error)) &&
         bnd_server_db_insert_vote_round (self, user, record, question,
                                          now (self) + (gint64)review->vote_days * 86400, NULL, error);
}

static BndRecord *
take_step (BndServerDb    *self,
           const BndUser  *user,
           const char     *uuid,
           BndStep         step,
           JsonObject     *body,
           BndStrategy    *strategy,
           GError        **error)
{
  const BndReview *review = bnd_strategy_get_review (strategy);
  g_autoptr(BndServerFacts) facts = NULL;
  g_autoptr(JsonObject) detail = json_object_new ();
  g_autoptr(BndVoteRound) round = NULL;
  g_autofree char *assessment = NULL;
  g_autofree char *question = NULL;
  g_autofree char *text = NULL;
  g_autofree char *sha256 = NULL;
  g_auto(GStrv) recused = NULL;
  BndStepInput input = { 0 };
  const char *comment, *date, *who, *notes, *org, *title, *deadline_text, *question_text, *note;
  const char *from, *target, *action;
  gint64 deadline = 0;
  double amount = 0;
  gboolean positive;

  if (step == BND_STEP_SUBMIT || step == BND_STEP_RATE || step == BND_STEP_VOTE || step == BND_STEP_ATTACH ||
      step == BND_STEP_COMMENT || step == BND_STEP_RECUSE)
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_BAD_REQUEST, "%s",
                   _("This step has a call of its own"));
      return NULL;
    }
  if (!(facts = bnd_server_db_get_facts (self, user, uuid, step == BND_STEP_RECORD_CONSULTATION, error)))
    return NULL;

  if (!get_string (body, "outcome", &input.outcome, error) ||
      !get_string (body, "reason", &input.reason, error) ||
      !get_string (body, "comment", &comment, error) ||
      !get_string (body, "date", &date, error) ||
      !get_string (body, "who", &who, error) ||
      !get_string (body, "notes", &notes, error) ||
      !get_string (body, "org", &org, error) ||
      !get_string (body, "title", &title, error) ||
      !get_string (body, "deadline", &deadline_text, error) ||
      !get_string (body, "question", &question_text, error) ||
      !get_recused (body, &recused, error))
    return NULL;
  if (deadline_text != NULL && (step == BND_STEP_OPEN_RATING || step == BND_STEP_OPEN_VOTE) &&
      !(deadline = parse_deadline (deadline_text, error)))
    return NULL;
  /* The note to the carrier is the reason of a request for changes or a negative outcome, unless
   * a reason of its own is given; a note that is no text is the assessment's to refuse. */
  note = string_or_null (body, "note");
  if (step == BND_STEP_ASSESS && input.reason == NULL)
    input.reason = note;
  input.has_amount = get_amount (body, &amount) && is_date (date);

  if (!bnd_server_facts_check (facts, user, step, &input, error))
    return NULL;

  /* What the step is given beyond what the rules ask. */
  if (!check_text ("reason", input.reason, MAX_TEXT, error) ||
      !check_text ("comment", comment, MAX_TEXT, error) ||
      !check_text ("who", who, MAX_TEXT, error) ||
      !check_text ("notes", notes, MAX_TEXT, error))
    return NULL;
  if (step == BND_STEP_RECORD_CONSULTATION)
    {
      if (!is_date (date))
        {
          g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_INVALID, "%s",
                       _("A consultation needs the day it was held (YYYY-MM-DD)"));
          return NULL;
        }
      if (facts->record == NULL &&
          (org == NULL || !has_text (title) || g_utf8_strlen (title, -1) > MAX_TITLE))
        {
          g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_INVALID, "%s",
                       _("A dossier that starts with its consultation needs the carrier’s organisation "
                         "and the project’s title"));
          return NULL;
        }
      if (facts->record == NULL && count (self, "SELECT count (*) FROM orgs WHERE id = ?1", org, NULL) == 0)
        {
          bnd_api_error_set (error, BND_SERVER_ERROR_INVALID, N_("No organisation “%s”"), org, NULL);
          return NULL;
        }
    }
  else if (step == BND_STEP_ASSESS && !(assessment = bnd_server_check_assessment (body, error)))
    return NULL;
  else if (step == BND_STEP_OPEN_RATING)
    {
      if (deadline == 0)
        deadline = now (self) + (gint64)review->rating_days * 86400;
      if (deadline <= now (self))
        {
          g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_INVALID, "%s",
                       _("The deadline must lie in the future"));
          return NULL;
        }
    }
  else if (step == BND_STEP_OPEN_VOTE)
    {
      if (deadline == 0)
        deadline = now (self) + (gint64)review->vote_days * 86400;
      question = question_text ? g_strdup (question_text) : default_question (facts->record);
      if (!bnd_server_vote_check_input (self, question, deadline, (const char * const *)recused, error))
        return NULL;
    }
  else if (step == BND_STEP_ISSUE_STATEMENT && !(round = bnd_server_db_load_vote_round (self, uuid, NULL)))
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_CONFLICT, "%s",
                   _("The statement is issued once the circulation vote has closed"));
      return NULL;
    }

  /* The trail keeps what the step was given. */
  from = facts->record ? facts->record->stage : NULL;
  target = bnd_procedure_target (step, &facts->facts, &input);
  json_object_set_string_member (detail, "step", bnd_step_to_string (step));
  if (from != NULL)
    json_object_set_string_member (detail, "from", from);
  if (input.outcome)
    json_object_set_string_member (detail, "outcome", input.outcome);
  if (input.reason)
    json_object_set_string_member (detail, "reason", input.reason);
  if (comment)
    json_object_set_string_member (detail, "comment", comment);
  if (step == BND_STEP_APPROVE)
    {
      json_object_set_double_member (detail, "amount", amount);
      json_object_set_string_member (detail, "date", date);
    }
  if (step == BND_STEP_RECORD_CONSULTATION)
    {
      json_object_set_string_member (detail, "date", date);
      json_object_set_string_member (detail, "who", who ? who : "");
      json_object_set_string_member (detail, "notes", notes ? notes : "");
      if (facts->record == NULL)
        {
          json_object_set_string_member (detail, "org", org);
          json_object_set_string_member (detail, "title", title);
        }
    }
  if (deadline != 0)
    json_object_set_int_member (detail, "deadline", deadline);
  if (step == BND_STEP_OPEN_VOTE)
    {
      json_object_set_int_member (detail, "rated", facts->facts.n_rated);
      json_object_set_int_member (detail, "entitled", facts->facts.n_entitled);
    }
  if (step == BND_STEP_REOPEN)
    json_object_set_string_member (detail, "to", target);

  if (step == BND_STEP_RECORD_CONSULTATION &&
      ((facts->record == NULL && !create_dossier (self, user, uuid, org, title, error)) ||
       !bnd_server_db_write_consultation (self, user, uuid, date, who, notes, error)))
    return NULL;
  if (step == BND_STEP_ASSESS && !bnd_server_db_write_assessment (self, user, uuid, assessment, error))
    return NULL;
  if (step == BND_STEP_OPEN_RATING && !open_rating_round (self, user, uuid, deadline, error))
    return NULL;
  /* A round left over from before a reopening makes way for the new one. */
  if (step == BND_STEP_OPEN_VOTE &&
      (!close_rating_round (self, uuid, input.reason, error) ||
       (facts->has_vote_round && !bnd_server_db_remove_vote_round (self, uuid, error))))
    return NULL;
  if (step == BND_STEP_ISSUE_STATEMENT &&
      !(sha256 = bnd_server_db_write_statement (self, user, facts->record, round,
                                                bnd_strategy_get_alliance (strategy)->name, target,
                                                &positive, error)))
    return NULL;

  /* The move, and its entry: named after the stage reached, as every move of the trail. */
  if (facts->record != NULL && g_strcmp0 (target, from) != 0 &&
      !bnd_server_db_move_dossier (self, user, facts->record, target, error))
    return NULL;
  action = step == BND_STEP_RECORD_CONSULTATION ? "consultation"
           : step == BND_STEP_REOPEN ? "reopened"
           : step == BND_STEP_ISSUE_STATEMENT ? NULL   /* its own entry says it */
           : target;
  text = to_text (detail);
  if (action != NULL && !bnd_server_db_append_audit (self, uuid, user->name, action, text, error))
    return NULL;

  /* What follows the move. */
  if (step == BND_STEP_OPEN_VOTE &&
      !bnd_server_db_insert_vote_round (self, user, facts->record, question, deadline,
                                        (const char * const *)recused, error))
    return NULL;
  if (step == BND_STEP_REOPEN && g_str_equal (target, "vote") &&
      !renew_vote_round (self, user, facts->record, review, error))
    return NULL;
  /* Who is told, in the same transaction: a step rolled back tells nobody. */
  if (!bnd_server_mail_enqueue_step (self, user, facts->record, step, target, input.reason, deadline, error))
    return NULL;

  return bnd_server_db_get_record (self, uuid);
}


/**
 * bnd_server_db_take_step:
 * @body: what the step is given: reason, comment, outcome (and the rest of the first
 *   assessment), amount and date, deadline, question and recused, or date, who, notes (and
 *   for a new dossier org and title) of a consultation
 * @strategy: the pack: the rating round's and the vote's time, the alliance's name
 *
 * Takes one of the steps that move a dossier on (not rating, voting, commenting, attaching or
 * submitting, which have their own calls) if the rules allow it: its effect, the new stage and
 * the audit entry with what it was given, all or nothing.
 *
 * Returns: (transfer full): the dossier afterwards, or %NULL with the API's error
 */
BndRecord *
bnd_server_db_take_step (BndServerDb    *self,
                         const BndUser  *user,
                         const char     *uuid,
                         BndStep         step,
                         JsonObject     *body,
                         BndStrategy    *strategy,
                         GError        **error)
{
  g_autoptr(BndRecord) record = NULL;

  /* The facts are read, the rules asked and the step written in one write transaction: no
   * other request, of this server process or another, moves the dossier in between. */
  if (!bnd_server_db_begin (self, error))
    return NULL;
  record = take_step (self, user, uuid, step, body, strategy, error);
  if (!bnd_server_db_finish (self, record != NULL, error))
    return NULL;
  return g_steal_pointer (&record);
}

/* What a client shows and asks the rules with */

/**
 * bnd_server_facts_to_json:
 *
 * Returns: (transfer full): the facts as the API gives them: what the rules ask, the rating
 *   round, the steps @user may take now and why not the others
 */
JsonNode *
bnd_server_facts_to_json (const BndServerFacts *facts,
                          const BndUser        *user)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const BndDossierFacts *f = &facts->facts;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "stage");
  json_builder_add_string_value (builder, facts->record ? facts->record->stage : NULL);
  json_builder_set_member_name (builder, "closed_at");
  json_builder_add_string_value (builder, f->closed_at);
  json_builder_set_member_name (builder, "own_organisation");
  json_builder_add_boolean_value (builder, f->own_organisation);
  json_builder_set_member_name (builder, "recused");
  json_builder_add_boolean_value (builder, f->recused);
  json_builder_set_member_name (builder, "has_long_form");
  json_builder_add_boolean_value (builder, f->has_long_form);
  json_builder_set_member_name (builder, "rated");
  json_builder_add_int_value (builder, f->n_rated);
  json_builder_set_member_name (builder, "entitled");
  json_builder_add_int_value (builder, f->n_entitled);
  json_builder_set_member_name (builder, "vote_closed");
  json_builder_add_boolean_value (builder, f->vote_closed);
  json_builder_set_member_name (builder, "statement_positive");
  json_builder_add_boolean_value (builder, f->statement_positive);
  json_builder_set_member_name (builder, "long_form_received");
  if (facts->long_form_received != 0)
    json_builder_add_int_value (builder, facts->long_form_received);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "rating_round");
  if (facts->rating_opened != 0)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "opened");
      json_builder_add_int_value (builder, facts->rating_opened);
      json_builder_set_member_name (builder, "deadline");
      json_builder_add_int_value (builder, facts->rating_deadline);
      json_builder_set_member_name (builder, "closed");
      if (facts->rating_closed != 0)
        json_builder_add_int_value (builder, facts->rating_closed);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "close_reason");
      json_builder_add_string_value (builder, facts->rating_reason);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "steps");
  json_builder_begin_array (builder);
  for (guint i = 0; i < BND_N_STEPS; i++)
    {
      g_autoptr(GError) refusal = NULL;
      gboolean allowed = bnd_server_facts_may (facts, user, i, &refusal);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "step");
      json_builder_add_string_value (builder, bnd_step_to_string (i));
      json_builder_set_member_name (builder, "allowed");
      json_builder_add_boolean_value (builder, allowed);
      if (!allowed)
        {
          /* Untranslated, like every message of the server: the client looks it up. */
          json_builder_set_member_name (builder, "reason");
          json_builder_add_string_value (builder, refusal->message);
          json_builder_set_member_name (builder, "error");
          json_builder_add_string_value (builder, bnd_server_error_code (refusal));
        }
      else if (!bnd_server_facts_check (facts, user, i, NULL, &refusal))
        {
          /* Allowed, with more than nothing: a reason, an outcome, an amount. */
          json_builder_set_member_name (builder, "needs");
          json_builder_add_string_value (builder, refusal->message);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
