/* bnd-server-sessions.c: Lenkungskreis sessions over HTTP: planning, the agenda, outcomes, held
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-sessions"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "bnd-server-body.h"
#include "bnd-server-db-private.h"
#include "bnd-server-mail.h"
#include "bnd-server-private.h"
#include "bnd-server-procedure.h"
#include "bnd-server-submissions.h"
#include "bnd-session.h"

/* Strategy §4.1: the Lenkungskreis meets "mindestens dreimal jährlich" to discuss and decide on
 * projects. The network coordination plans a session, puts dossiers on its agenda in order and
 * records what came of each; who may do what is bnd_procedure_may_session() and
 * bnd_procedure_may_put_on_agenda() in src/core, asked here as the app and the CLI ask them.
 *
 *   GET  /sessions                            every session the account may see, with its items
 *   POST /sessions                            {"title", "date", "time"?, "place"?, "link"?}
 *   GET  /sessions/UUID
 *   POST /sessions/UUID/items                 {"dossier"}: appended to the agenda
 *   DELETE /sessions/UUID/items/DOSSIER
 *   PUT  /sessions/UUID/items/DOSSIER         {"outcome"?, "notes"?, "reason"?, "deadline"?}
 *   POST /sessions/UUID/held                  {"date"?}: today by default
 *   POST /sessions/UUID/send-agenda           e-mails the agenda to the partners' users
 *
 * An outcome that is a step of the procedure ("rating-opened", "vote-opened") takes that step
 * through bnd_server_db_take_step(), with the same check and the same refusal as
 * POST /dossiers/UUID/steps/STEP, unless the dossier is past it already (the round was opened
 * by its own call before the session's minutes were written): then it is only recorded. The
 * step and the outcome are two transactions; if the second fails, sending the outcome again
 * finds the step taken and records it.
 *
 * Each change is kept in the audit trail: of the session (a chain named "session:UUID", which
 * the API never serves as a dossier's) and, for an item, of its dossier too. Partners and the
 * coordination read every session; a carrier only sessions whose agenda holds a dossier it may
 * see, and only those items, so that nobody learns of another organisation's dossier here. */

#define MAX_TITLE 1000
#define MAX_TEXT  4000

static gint64
now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static char *
today (void)
{
  g_autoptr(GDateTime) day = g_date_time_new_now_local ();

  return g_date_time_format (day, "%Y-%m-%d");
}

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

static gboolean
has_text (const char *text)
{
  for (; text && *text; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return TRUE;
  return FALSE;
}

static gboolean
too_long (const char *text,
          glong       max)
{
  return text != NULL && g_utf8_strlen (text, -1) > max;
}

static char *
trail_of (const char *session)
{
  return g_strconcat ("session:", session, NULL);
}

/* The rules' refusal as the API's, as bnd-server-procedure.c maps a step's. */
static gboolean
may (BndSessionAction   action,
     const BndUser     *user,
     gboolean           held,
     GError           **error)
{
  g_autoptr(GError) refusal = NULL;

  if (bnd_procedure_may_session (action, user->role, held, &refusal))
    return TRUE;
  g_set_error_literal (error, BND_SERVER_ERROR,
                       refusal->code == BND_PROCEDURE_ERROR_ROLE ? BND_SERVER_ERROR_FORBIDDEN
                       : refusal->code == BND_PROCEDURE_ERROR_INPUT ? BND_SERVER_ERROR_INVALID
                       : BND_SERVER_ERROR_CONFLICT,
                       refusal->message);
  return FALSE;
}

static gboolean
fail (GError         **error,
      BndServerError   code,
      const char      *message)
{
  g_set_error_literal (error, BND_SERVER_ERROR, code, message);
  return FALSE;
}

/* The session's row: whether it exists and was held. */
static gboolean
find_session (BndServerDb  *self,
              const char   *uuid,
              gboolean     *held,
              GError      **error)
{
  g_autoptr(BndDbStmt) stmt = bnd_server_db_prepare (self, "SELECT held FROM sessions WHERE uuid = ?1", error);

  if (stmt == NULL)
    return FALSE;
  bnd_db_bind_text (stmt, 1, uuid);
  if (bnd_db_step (stmt) != BND_DB_ROW)
    return fail (error, BND_SERVER_ERROR_NOT_FOUND, _("No such session"));
  *held = !bnd_db_column_is_null (stmt, 0);
  return TRUE;
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);   /* NULL adds null */
}

/* One agenda item as @user sees the dossier: a sketch sent back for changes shows as it was
 * submitted to anyone but its carrier, as GET /dossiers/UUID does. */
static void
add_item (BndServerDb     *self,
          JsonBuilder     *builder,
          const BndUser   *user,
          const BndRecord *record,
          BndDbStmt       *row)
{
  g_autofree char *submitted = NULL;
  g_autoptr(JsonNode) data = NULL;
  JsonObject *sketch, *carrier, *costs;
  const char *text = record->data;

  if (!g_str_equal (user->org, record->org) && bnd_procedure_may_edit_sketch (record->stage, NULL) &&
      (submitted = bnd_server_db_get_submitted_data (self, record->uuid)))
    text = submitted;
  data = json_from_string (text, NULL);
  sketch = data && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;
  carrier = sketch && json_object_has_member (sketch, "carrier") ? json_object_get_object_member (sketch, "carrier") : NULL;
  costs = sketch && json_object_has_member (sketch, "costs") ? json_object_get_object_member (sketch, "costs") : NULL;

  json_builder_begin_object (builder);
  add_string (builder, "dossier", record->uuid);
  json_builder_set_member_name (builder, "position");
  json_builder_add_int_value (builder, bnd_db_column_int64 (row, 1));
  add_string (builder, "title", sketch ? json_object_get_string_member_with_default (sketch, "title", "") : "");
  add_string (builder, "org", record->org);
  add_string (builder, "carrier", carrier ? json_object_get_string_member_with_default (carrier, "organisation", "")
                                          : record->org);
  add_string (builder, "stage", record->stage);
  json_builder_set_member_name (builder, "requested");
  json_builder_add_double_value (builder, costs ? json_object_get_double_member_with_default (costs, "requested", 0) : 0);
  json_builder_set_member_name (builder, "funding_object");
  json_builder_add_int_value (builder, sketch ? json_object_get_int_member_with_default (sketch, "funding_object", 0) : 0);
  add_string (builder, "outcome", bnd_db_column_text (row, 2));
  add_string (builder, "notes", bnd_db_column_text (row, 3));
  add_string (builder, "recorded_by", bnd_db_column_text (row, 4));
  json_builder_set_member_name (builder, "recorded");
  if (bnd_db_column_is_null (row, 5))
    json_builder_add_null_value (builder);
  else
    json_builder_add_int_value (builder, bnd_db_column_int64 (row, 5));
  json_builder_end_object (builder);
}

/* The session as @user sees it; NULL (404) when @user sees none of it. */
static JsonNode *
session_to_json (BndServerDb    *self,
                 const BndUser  *user,
                 const char     *uuid,
                 GError        **error)
{
  g_autoptr(BndDbStmt) stmt =
    bnd_server_db_prepare (self, "SELECT uuid, title, date, time, place, link, held, created_by, created "
                                 "FROM sessions WHERE uuid = ?1", error);
  g_autoptr(BndDbStmt) items = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *columns[] = { "uuid", "title", "date", "time", "place", "link", "held", "created_by" };
  gboolean sees_all = user->role == BND_ROLE_COORDINATION || user->role == BND_ROLE_PARTNER;
  guint shown = 0;

  if (stmt == NULL ||
      !(items = bnd_server_db_prepare (self, "SELECT dossier, position, outcome, notes, recorded_by, recorded "
                                             "FROM session_items WHERE session = ?1 ORDER BY position", error)))
    return NULL;
  bnd_db_bind_text (stmt, 1, uuid);
  if (bnd_db_step (stmt) != BND_DB_ROW)
    {
      fail (error, BND_SERVER_ERROR_NOT_FOUND, _("No such session"));
      return NULL;
    }
  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    add_string (builder, columns[i], bnd_db_column_text (stmt, i));
  json_builder_set_member_name (builder, "created");
  json_builder_add_int_value (builder, bnd_db_column_int64 (stmt, 8));

  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  bnd_db_bind_text (items, 1, uuid);
  while (bnd_db_step (items) == BND_DB_ROW)
    {
      g_autoptr(BndRecord) record = bnd_server_db_get_record (self, bnd_db_column_text (items, 0));

      if (record == NULL || !bnd_server_db_can_see (user, record))
        continue;
      add_item (self, builder, user, record, items);
      shown++;
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  if (!sees_all && shown == 0)
    {
      fail (error, BND_SERVER_ERROR_NOT_FOUND, _("No such session"));
      return NULL;
    }
  return json_builder_get_root (builder);
}

static JsonNode *
list_sessions (BndServerDb    *self,
               const BndUser  *user,
               GError        **error)
{
  g_autoptr(BndDbStmt) stmt =
    bnd_server_db_prepare (self, "SELECT uuid FROM sessions ORDER BY date DESC, coalesce (time, '') DESC, created DESC",
                           error);
  g_autoptr(JsonArray) list = json_array_new ();
  JsonObject *root;
  JsonNode *node;

  if (stmt == NULL)
    return NULL;
  while (bnd_db_step (stmt) == BND_DB_ROW)
    {
      JsonNode *session = session_to_json (self, user, bnd_db_column_text (stmt, 0), NULL);

      if (session != NULL)
        json_array_add_element (list, session);
    }
  root = json_object_new ();
  json_object_set_array_member (root, "sessions", json_array_ref (list));
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, root);
  return node;
}

/* Audit entries: the session's own, and for an item its dossier's too. */
static gboolean
audit (BndServerDb    *self,
       const BndUser  *user,
       const char     *session,
       const char     *dossier,
       const char     *action,
       JsonObject     *detail,
       GError        **error)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *trail = trail_of (session);
  g_autofree char *text = NULL;

  json_object_set_string_member (detail, "session", session);
  if (dossier)
    json_object_set_string_member (detail, "dossier", dossier);
  json_node_set_object (node, detail);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  return bnd_server_db_append_audit (self, trail, user->name, action, text, error) &&
         (dossier == NULL || bnd_server_db_append_audit (self, dossier, user->name, action, text, error));
}

static gboolean
exec_bound (BndServerDb  *self,
            BndDbStmt *stmt,
            GError      **error)
{
  if (stmt == NULL)
    return FALSE;
  if (bnd_db_step (stmt) != BND_DB_DONE)
    return bnd_server_db_sql_error (self, error);
  return TRUE;
}

/* POST /sessions */
static char *
plan_session (BndServerDb    *self,
              const BndUser  *user,
              JsonObject     *body,
              GError        **error)
{
  g_autoptr(JsonObject) detail = json_object_new ();
  g_autoptr(BndDbStmt) stmt = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *clean_title = NULL;
  const char *title = NULL, *date = NULL, *time = NULL, *place = NULL, *link = NULL;

  if (!may (BND_SESSION_PLAN, user, FALSE, error))
    return NULL;
  if (!bnd_server_body_read_string (body, "title", TRUE, &title, error) ||
      !bnd_server_body_read_string (body, "date", TRUE, &date, error) ||
      !bnd_server_body_read_string (body, "time", TRUE, &time, error) ||
      !bnd_server_body_read_string (body, "place", TRUE, &place, error) ||
      !bnd_server_body_read_string (body, "link", TRUE, &link, error))
    return NULL;
  if (!has_text (title) || too_long (title, MAX_TITLE))
    {
      fail (error, BND_SERVER_ERROR_INVALID, _("A session needs a title of at most 1000 characters"));
      return NULL;
    }
  if (!is_date (date))
    {
      fail (error, BND_SERVER_ERROR_INVALID, _("A session needs its day (YYYY-MM-DD)"));
      return NULL;
    }
  if (time && *time && !bnd_session_check_time (time))
    {
      fail (error, BND_SERVER_ERROR_INVALID, _("The time of a session is written HH:MM"));
      return NULL;
    }
  if (!has_text (place) && !has_text (link))
    {
      fail (error, BND_SERVER_ERROR_INVALID, _("A session needs a place or an online link"));
      return NULL;
    }
  if (too_long (place, MAX_TITLE) || too_long (link, MAX_TITLE))
    {
      fail (error, BND_SERVER_ERROR_INVALID, _("A place or link has at most 1000 characters"));
      return NULL;
    }
  if (has_text (link) && !g_str_has_prefix (link, "https://") && !g_str_has_prefix (link, "http://"))
    {
      fail (error, BND_SERVER_ERROR_INVALID, _("An online link starts with https://"));
      return NULL;
    }

  uuid = g_uuid_string_random ();
  clean_title = g_strstrip (g_strdup (title));
  if (!bnd_server_db_begin (self, error))
    return NULL;
  if (!(stmt = bnd_server_db_prepare (self, "INSERT INTO sessions (uuid, title, date, time, place, link, held, "
                                            "created_by, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7, ?8)",
                                      error)))
    goto failed;
  bnd_db_bind_text (stmt, 1, uuid);
  bnd_db_bind_text (stmt, 2, clean_title);
  bnd_db_bind_text (stmt, 3, date);
  bnd_db_bind_text (stmt, 4, time && *time ? time : NULL);
  bnd_db_bind_text (stmt, 5, has_text (place) ? place : NULL);
  bnd_db_bind_text (stmt, 6, has_text (link) ? link : NULL);
  bnd_db_bind_text (stmt, 7, user->name);
  bnd_db_bind_int64 (stmt, 8, now ());
  json_object_set_string_member (detail, "title", clean_title);
  json_object_set_string_member (detail, "date", date);
  if (time && *time)
    json_object_set_string_member (detail, "time", time);
  if (has_text (place))
    json_object_set_string_member (detail, "place", place);
  if (has_text (link))
    json_object_set_string_member (detail, "link", link);
  if (!exec_bound (self, stmt, error) ||
      !audit (self, user, uuid, NULL, "session-planned", detail, error) ||
      !bnd_server_db_commit (self, error))
    goto failed;
  return g_steal_pointer (&uuid);

failed:
  bnd_server_db_rollback (self);
  return NULL;
}

/* Whether @dossier is on @session's agenda. */
static gboolean
find_item (BndServerDb  *self,
           const char   *session,
           const char   *dossier,
           GError      **error)
{
  g_autoptr(BndDbStmt) stmt =
    bnd_server_db_prepare (self, "SELECT 1 FROM session_items WHERE session = ?1 AND dossier = ?2", error);

  if (stmt == NULL)
    return FALSE;
  bnd_db_bind_text (stmt, 1, session);
  bnd_db_bind_text (stmt, 2, dossier);
  if (bnd_db_step (stmt) != BND_DB_ROW)
    return fail (error, BND_SERVER_ERROR_NOT_FOUND, _("The dossier is not on this session’s agenda"));
  return TRUE;
}

/* POST /sessions/UUID/items {"dossier"} */
static gboolean
add_to_agenda (BndServerDb    *self,
               const BndUser  *user,
               const char     *session,
               JsonObject     *body,
               GError        **error)
{
  g_autoptr(JsonObject) detail = json_object_new ();
  g_autoptr(BndRecord) record = NULL;
  g_autoptr(BndDbStmt) stmt = NULL;
  g_autoptr(GError) refusal = NULL;
  const char *dossier = NULL;
  gboolean held;

  if (!find_session (self, session, &held, error) ||
      !may (BND_SESSION_EDIT_AGENDA, user, held, error) ||
      !bnd_server_body_read_string (body, "dossier", FALSE, &dossier, error) ||
      !(record = bnd_server_db_get_dossier (self, user, dossier, error)))
    return FALSE;
  if (!bnd_procedure_may_put_on_agenda (g_str_equal (record->stage, "draft") ? NULL : record->stage, &refusal))
    return fail (error, BND_SERVER_ERROR_CONFLICT, refusal->message);
  if (find_item (self, session, record->uuid, NULL))
    return fail (error, BND_SERVER_ERROR_CONFLICT, _("The dossier is on this session’s agenda already"));

  if (!(stmt = bnd_server_db_prepare (self, "INSERT INTO session_items (session, dossier, position) VALUES "
                                            "(?1, ?2, (SELECT coalesce (max (position), 0) + 1 FROM session_items "
                                            "WHERE session = ?1))", error)))
    return FALSE;
  bnd_db_bind_text (stmt, 1, session);
  bnd_db_bind_text (stmt, 2, record->uuid);
  json_object_set_string_member (detail, "stage", record->stage);
  if (!exec_bound (self, stmt, error) ||
      !audit (self, user, session, record->uuid, "session-agenda-added", detail, error))
    return FALSE;
  return TRUE;
}

/* DELETE /sessions/UUID/items/DOSSIER: the items after it move up. */
static gboolean
remove_from_agenda (BndServerDb    *self,
                    const BndUser  *user,
                    const char     *session,
                    const char     *dossier,
                    GError        **error)
{
  g_autoptr(JsonObject) detail = json_object_new ();
  g_autoptr(BndDbStmt) renumber = NULL;
  g_autoptr(BndDbStmt) stmt = NULL;
  gboolean held;

  if (!find_session (self, session, &held, error) ||
      !may (BND_SESSION_EDIT_AGENDA, user, held, error) ||
      !find_item (self, session, dossier, error))
    return FALSE;
  if (!(renumber = bnd_server_db_prepare (self, "UPDATE session_items SET position = position - 1 WHERE session = ?1 "
                                                "AND position > (SELECT position FROM session_items WHERE session = ?1 "
                                                "AND dossier = ?2)", error)))
    return FALSE;
  bnd_db_bind_text (renumber, 1, session);
  bnd_db_bind_text (renumber, 2, dossier);
  if (!exec_bound (self, renumber, error) ||
      !(stmt = bnd_server_db_prepare (self, "DELETE FROM session_items WHERE session = ?1 AND dossier = ?2", error)))
    return FALSE;
  bnd_db_bind_text (stmt, 1, session);
  bnd_db_bind_text (stmt, 2, dossier);
  if (!exec_bound (self, stmt, error) ||
      !audit (self, user, session, dossier, "session-agenda-removed", detail, error))
    return FALSE;
  return TRUE;
}

/* Whether the step an outcome names was taken already: the dossier (or, closed, where it was
 * closed) is past the stage the step leaves and the round it opens exists. */
static gboolean
step_taken (const BndServerFacts *facts,
            BndStep               step)
{
  static const char *before_rating[] = { "consultation", "submitted", "first-assessment", "changes-requested",
                                         "long-form-requested", "long-form-received", NULL };
  const char *stage = facts->facts.closed_at ? facts->facts.closed_at : facts->facts.stage;

  if (stage == NULL || g_strv_contains (before_rating, stage))
    return FALSE;
  if (step == BND_STEP_OPEN_RATING)
    return facts->rating_opened != 0;
  return facts->has_vote_round && !g_str_equal (stage, "rating");
}

/* PUT /sessions/UUID/items/DOSSIER */
static gboolean
record_outcome (BndServer      *server,
                const BndUser  *user,
                const char     *session,
                const char     *dossier,
                JsonObject     *body,
                GError        **error)
{
  BndServerDb *self = _bnd_server_db (server);
  g_autoptr(JsonObject) detail = json_object_new ();
  g_autoptr(BndDbStmt) stmt = NULL;
  const char *outcome = NULL, *notes = NULL, *reason = NULL, *deadline = NULL;
  gboolean held, took = FALSE;
  BndStep step;

  if (!find_session (self, session, &held, error) ||
      !may (BND_SESSION_RECORD_OUTCOME, user, held, error) ||
      !find_item (self, session, dossier, error) ||
      !bnd_server_body_read_string (body, "outcome", TRUE, &outcome, error) ||
      !bnd_server_body_read_string (body, "notes", TRUE, &notes, error) ||
      !bnd_server_body_read_string (body, "reason", TRUE, &reason, error) ||
      !bnd_server_body_read_string (body, "deadline", TRUE, &deadline, error))
    return FALSE;
  if (outcome == NULL && notes == NULL)
    return fail (error, BND_SERVER_ERROR_INVALID, _("Give an outcome or notes for the item"));
  if (outcome != NULL && !bnd_session_outcome_is_known (outcome))
    return fail (error, BND_SERVER_ERROR_INVALID,
                 _("The outcome is one of: discussed, rating-opened, vote-opened"));
  if (too_long (notes, MAX_TEXT))
    return fail (error, BND_SERVER_ERROR_INVALID, _("Notes have at most 4000 characters"));

  if (outcome != NULL && bnd_session_outcome_step (outcome, &step))
    {
      g_autoptr(BndServerFacts) facts = bnd_server_db_get_facts (self, user, dossier, FALSE, error);

      if (facts == NULL)
        return FALSE;
      if (!step_taken (facts, step))
        {
          g_autoptr(JsonObject) step_body = json_object_new ();
          g_autoptr(BndRecord) moved = NULL;

          if (reason)
            json_object_set_string_member (step_body, "reason", reason);
          if (deadline)
            json_object_set_string_member (step_body, "deadline", deadline);
          if (!(moved = bnd_server_db_take_step (self, user, dossier, step, step_body, server->strategy, error)))
            return FALSE;
          took = TRUE;
        }
    }

  /* The session and the item asked again inside the write: another process may have marked the
   * session held or taken the item off the agenda since the step. */
  if (!bnd_server_db_begin (self, error))
    return FALSE;
  if (!find_session (self, session, &held, error) ||
      !may (BND_SESSION_RECORD_OUTCOME, user, held, error) ||
      !find_item (self, session, dossier, error))
    goto failed;
  if (!(stmt = bnd_server_db_prepare (self, "UPDATE session_items SET outcome = coalesce (?3, outcome), "
                                            "notes = coalesce (?4, notes), recorded_by = ?5, recorded = ?6 "
                                            "WHERE session = ?1 AND dossier = ?2", error)))
    goto failed;
  bnd_db_bind_text (stmt, 1, session);
  bnd_db_bind_text (stmt, 2, dossier);
  bnd_db_bind_text (stmt, 3, outcome);
  bnd_db_bind_text (stmt, 4, notes);
  bnd_db_bind_text (stmt, 5, user->name);
  bnd_db_bind_int64 (stmt, 6, now ());
  if (outcome)
    json_object_set_string_member (detail, "outcome", outcome);
  if (notes)
    json_object_set_string_member (detail, "notes", notes);
  json_object_set_boolean_member (detail, "step_taken", took);
  if (!exec_bound (self, stmt, error) ||
      !audit (self, user, session, dossier, "session-outcome", detail, error) ||
      !bnd_server_db_commit (self, error))
    goto failed;
  return TRUE;

failed:
  bnd_server_db_rollback (self);
  return FALSE;
}

/* POST /sessions/UUID/held {"date"?} */
static gboolean
mark_held (BndServerDb    *self,
           const BndUser  *user,
           const char     *session,
           JsonObject     *body,
           GError        **error)
{
  g_autoptr(JsonObject) detail = json_object_new ();
  g_autoptr(BndDbStmt) stmt = NULL;
  g_autofree char *day = today ();
  const char *date = NULL;
  gboolean held;

  if (!find_session (self, session, &held, error) ||
      !may (BND_SESSION_MARK_HELD, user, held, error) ||
      !bnd_server_body_read_string (body, "date", TRUE, &date, error))
    return FALSE;
  if (date == NULL)
    date = day;
  if (!is_date (date))
    return fail (error, BND_SERVER_ERROR_INVALID, _("The day a session was held is written YYYY-MM-DD"));
  if (strcmp (date, day) > 0)
    return fail (error, BND_SERVER_ERROR_INVALID, _("A session is marked as held once it has taken place"));

  if (!(stmt = bnd_server_db_prepare (self, "UPDATE sessions SET held = ?2 WHERE uuid = ?1", error)))
    return FALSE;
  bnd_db_bind_text (stmt, 1, session);
  bnd_db_bind_text (stmt, 2, date);
  json_object_set_string_member (detail, "date", date);
  if (!exec_bound (self, stmt, error) ||
      !audit (self, user, session, NULL, "session-held", detail, error))
    return FALSE;
  return TRUE;
}

/* POST /sessions/UUID/send-agenda: the agenda as the partners see it, by e-mail to every user
 * of a partner organisation who takes e-mail (bnd-server-mail.c), written to the outbox in the
 * same transaction as its audit entry. A carrier is told of its own dossier's steps, not of the
 * agenda, which names other organisations' dossiers. */
static gboolean
send_agenda (BndServerDb    *self,
             const BndUser  *user,
             const char     *session,
             GError        **error)
{
  g_autoptr(JsonObject) detail = json_object_new ();
  g_autoptr(GStrvBuilder) titles = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  JsonArray *items;
  const char *place;
  gboolean held;

  if (!find_session (self, session, &held, error) ||
      !may (BND_SESSION_SEND_AGENDA, user, held, error))
    return FALSE;
  if (!self->mail_enabled)
    return fail (error, BND_SERVER_ERROR_CONFLICT, _("This server sends no e-mail; its administrator can set it up"));
  if (!(node = session_to_json (self, user, session, error)))
    return FALSE;
  object = json_node_get_object (node);
  items = json_object_get_array_member (object, "items");
  if (items == NULL || json_array_get_length (items) == 0)
    return fail (error, BND_SERVER_ERROR_CONFLICT, _("The agenda is empty: put dossiers on it first"));
  for (guint i = 0; i < json_array_get_length (items); i++)
    g_strv_builder_add (titles, json_object_get_string_member_with_default (json_array_get_object_element (items, i),
                                                                            "title", ""));
  list = g_strv_builder_end (titles);
  place = json_object_get_string_member_with_default (object, "place", NULL);
  if (place == NULL || *place == '\0')
    place = json_object_get_string_member_with_default (object, "link", NULL);

  json_object_set_int_member (detail, "items", g_strv_length (list));
  if (!bnd_server_mail_enqueue_session_agenda (self, session,
                                               json_object_get_string_member_with_default (object, "date", ""),
                                               place, (const char * const *)list, error) ||
      !audit (self, user, session, NULL, "session-agenda-sent", detail, error))
    return FALSE;
  return TRUE;
}

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

static void
send_session (BndServer         *self,
              SoupServerMessage *msg,
              const BndUser     *user,
              const char        *uuid,
              guint              status)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = session_to_json (_bnd_server_db (self), user, uuid, &error);

  if (node == NULL)
    return _bnd_server_send_error (msg, error);
  _bnd_server_send_json (msg, status, node);
}

static gboolean
is_uuid (const char *text)
{
  return g_uuid_string_is_valid (text) && strspn (text, "0123456789abcdef-") == strlen (text);
}

/**
 * _bnd_server_handle_sessions:
 * @parts: the path below /api/v1/sessions, split at "/"
 */
void
_bnd_server_handle_sessions (BndServer          *self,
                             SoupServerMessage  *msg,
                             const BndUser      *user,
                             const char * const *parts)
{
  BndServerDb *db = _bnd_server_db (self);
  const char *method = soup_server_message_get_method (msg);
  guint n = g_strv_length ((char **)parts);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *body = NULL;
  gboolean ok;

  if (n == 0 && g_str_equal (method, "GET"))
    {
      JsonNode *list = list_sessions (db, user, &error);

      if (list == NULL)
        return _bnd_server_send_error (msg, error);
      return _bnd_server_send_json (msg, SOUP_STATUS_OK, list);
    }
  if (n == 0 && g_str_equal (method, "POST"))
    {
      g_autofree char *uuid = NULL;

      if (!(body = _bnd_server_parse_body (msg, &root)))
        return;
      if (!(uuid = plan_session (db, user, body, &error)))
        return _bnd_server_send_error (msg, error);
      return send_session (self, msg, user, uuid, SOUP_STATUS_OK);
    }
  if (n == 0 || !is_uuid (parts[0]))
    return _bnd_server_fail (msg, BND_SERVER_ERROR_NOT_FOUND, "%s", _("No such resource"));

  if (n == 1 && g_str_equal (method, "GET"))
    return send_session (self, msg, user, parts[0], SOUP_STATUS_OK);
  /* Each change of a session checks and writes in one write transaction, so that another server
   * process cannot change the session between its checks and its write. Recording an outcome
   * may take a step of the procedure (a transaction of its own) first, taken once; it asks
   * again in its own write (record_outcome()). */
  if (n == 2 && g_str_equal (parts[1], "items") && g_str_equal (method, "POST"))
    {
      if (!(body = _bnd_server_parse_body (msg, &root)))
        return;
      ok = bnd_server_db_begin (db, &error) &&
           bnd_server_db_finish (db, add_to_agenda (db, user, parts[0], body, &error), &error);
    }
  else if (n == 3 && g_str_equal (parts[1], "items") && is_uuid (parts[2]) && g_str_equal (method, "DELETE"))
    ok = bnd_server_db_begin (db, &error) &&
         bnd_server_db_finish (db, remove_from_agenda (db, user, parts[0], parts[2], &error), &error);
  else if (n == 3 && g_str_equal (parts[1], "items") && is_uuid (parts[2]) && g_str_equal (method, "PUT"))
    {
      if (!(body = _bnd_server_parse_body (msg, &root)))
        return;
      ok = record_outcome (self, user, parts[0], parts[2], body, &error);
    }
  else if (n == 2 && g_str_equal (parts[1], "held") && g_str_equal (method, "POST"))
    {
      if (!(body = parse_optional_body (msg, &root)))
        return;
      ok = bnd_server_db_begin (db, &error) &&
           bnd_server_db_finish (db, mark_held (db, user, parts[0], body, &error), &error);
    }
  else if (n == 2 && g_str_equal (parts[1], "send-agenda") && g_str_equal (method, "POST"))
    ok = bnd_server_db_begin (db, &error) &&
         bnd_server_db_finish (db, send_agenda (db, user, parts[0], &error), &error);
  else
    return _bnd_server_fail (msg, BND_SERVER_ERROR_NOT_FOUND, "%s", _("No such resource"));

  if (!ok)
    return _bnd_server_send_error (msg, error);
  send_session (self, msg, user, parts[0], SOUP_STATUS_OK);
}
