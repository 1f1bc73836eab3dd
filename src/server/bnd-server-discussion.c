/* bnd-server-discussion.c: what is said about a dossier: the first assessment and the thread
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-discussion"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bnd-server-db-private.h"
#include "bnd-server-discussion.h"
#include "bnd-server-procedure.h"

#define MAX_TEXT 4000

/* A dossier's thread is sent and shown whole on every visit; 500 comments of up to 4000
 * characters are 2 MB, far more than any real discussion of one sketch, and a client that
 * posts in a loop cannot make the dossier unreadable or the database grow without end. */
#define MAX_COMMENTS_PER_DOSSIER 500

/* A member that must be a string of at most MAX_TEXT characters, or missing when @optional. */
static gboolean
text_member (JsonObject  *object,
             const char  *name,
             gboolean     optional,
             JsonBuilder *builder,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL && optional)
    return TRUE;
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
      strlen (json_node_get_string (node)) > MAX_TEXT)
    {
      g_autofree char *limit = g_strdup_printf ("%d", MAX_TEXT);

      /* Translators: the first %s is the name of a field, the second a number */
      bnd_api_error_set (error, BND_SERVER_ERROR_INVALID,
                         N_("“%s” must be a text of at most %s characters"), name, limit, NULL);
      return FALSE;
    }
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, json_node_get_string (node));
  return TRUE;
}

static gboolean
date_member (JsonObject  *object,
             const char  *name,
             JsonBuilder *builder,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *iso = NULL;

  if (node == NULL)
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
      strlen (json_node_get_string (node)) == 10)
    iso = g_strconcat (json_node_get_string (node), "T00:00:00Z", NULL);
  if (iso == NULL || !(date = g_date_time_new_from_iso8601 (iso, NULL)))
    {
      bnd_api_error_set (error, BND_SERVER_ERROR_INVALID, N_("“%s” must be a date (YYYY-MM-DD)"), name, NULL);
      return FALSE;
    }
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, json_node_get_string (node));
  return TRUE;
}

/**
 * bnd_server_check_assessment:
 * @assessment: outcome ("positive", "needs-changes", "negative"), reason, nbank, nbank_date,
 *   ministry, ministry_date and the note to the carrier
 *
 * The assessment as it is stored, once its members are checked; whether the outcome needs a
 * reason is the procedure's to check (bnd_procedure_check()).
 *
 * Returns: (transfer full): the assessment as it is stored, JSON, or %NULL with a
 *   BND_SERVER_ERROR
 */
char *
bnd_server_check_assessment (JsonObject  *assessment,
                             GError     **error)
{
  static const char *outcomes[] = { "positive", "needs-changes", "negative", NULL };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) node = NULL;
  JsonNode *outcome = json_object_get_member (assessment, "outcome");

  if (outcome == NULL || !JSON_NODE_HOLDS_VALUE (outcome) || json_node_get_value_type (outcome) != G_TYPE_STRING ||
      !g_strv_contains (outcomes, json_node_get_string (outcome)))
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_INVALID, "%s",
                   _("The outcome is “positive”, “needs-changes” or “negative”"));
      return NULL;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "outcome");
  json_builder_add_string_value (builder, json_node_get_string (outcome));
  if (!text_member (assessment, "reason", TRUE, builder, error) ||
      !text_member (assessment, "nbank", TRUE, builder, error) ||
      !date_member (assessment, "nbank_date", builder, error) ||
      !text_member (assessment, "ministry", TRUE, builder, error) ||
      !date_member (assessment, "ministry_date", builder, error) ||
      !text_member (assessment, "note", TRUE, builder, error))
    return NULL;
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/**
 * bnd_server_db_write_assessment:
 * @body: from bnd_server_check_assessment()
 *
 * Stores the first assessment with its audit entry; recording it again (after the carrier
 * resubmitted, or a reopening) replaces it, and each version stays in the audit trail. The
 * caller holds a transaction.
 */
gboolean
bnd_server_db_write_assessment (BndServerDb    *self,
                                const BndUser  *user,
                                const char     *uuid,
                                const char     *body,
                                GError        **error)
{
  g_autoptr(BndDbStmt) stmt = NULL;

  if (!(stmt = bnd_server_db_prepare (self, "INSERT INTO assessments (dossier, body, assessed_by, assessed) "
                                            "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (dossier) DO UPDATE "
                                            "SET body = ?2, assessed_by = ?3, assessed = ?4", error)))
    return FALSE;
  bnd_db_bind_text (stmt, 1, uuid);
  bnd_db_bind_text (stmt, 2, body);
  bnd_db_bind_text (stmt, 3, user->name);
  bnd_db_bind_int64 (stmt, 4, g_get_real_time () / G_USEC_PER_SEC);
  if (bnd_db_step (stmt) != BND_DB_DONE)
    return bnd_server_db_sql_error (self, error);
  return bnd_server_db_append_audit (self, uuid, user->name, "assessment", body, error);
}

/* Returns: (transfer full): the assessment, JSON; a 404 error when none was recorded */
char *
bnd_server_db_get_assessment (BndServerDb    *self,
                              const BndUser  *user,
                              const char     *uuid,
                              GError        **error)
{
  g_autoptr(BndRecord) record = NULL;
  g_autoptr(BndDbStmt) stmt = NULL;

  if (!(record = bnd_server_db_get_dossier (self, user, uuid, error)) ||
      !(stmt = bnd_server_db_prepare (self, "SELECT body FROM assessments WHERE dossier = ?1", error)))
    return NULL;
  bnd_db_bind_text (stmt, 1, uuid);
  if (bnd_db_step (stmt) != BND_DB_ROW)
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_NOT_FOUND, _("No first assessment was recorded yet"));
      return NULL;
    }
  return g_strdup (bnd_db_column_text (stmt, 0));
}

/* {"id": …, "org": …, "sha256": …} for the audit trail. */
static char *
comment_detail (gint64      id,
                const char *org,
                const char *text)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, id);
  json_builder_set_member_name (builder, "org");
  json_builder_add_string_value (builder, org);
  json_builder_set_member_name (builder, "sha256");
  json_builder_add_string_value (builder, sha256);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/* A comment's text: not blank, and not longer than MAX_TEXT. */
gboolean
bnd_server_check_comment (const char  *text,
                          GError     **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  if (*stripped == 0 || strlen (text) > MAX_TEXT)
    {
      g_autofree char *limit = g_strdup_printf ("%d", MAX_TEXT);

      /* Translators: %s is a number */
      bnd_api_error_set (error, BND_SERVER_ERROR_INVALID, N_("A comment must have 1 to %s characters"), limit, NULL);
      return FALSE;
    }
  return TRUE;
}

/* Returns: the comment's id, or 0 with @error set */
gint64
bnd_server_db_add_comment (BndServerDb    *self,
                           const BndUser  *user,
                           const char     *uuid,
                           const char     *text,
                           GError        **error)
{
  g_autoptr(BndServerFacts) facts = NULL;
  g_autoptr(BndDbStmt) stmt = NULL;
  g_autofree char *detail = NULL;
  gint64 count;
  gint64 id;

  /* Checked, counted and inserted in one write transaction: no other request, of this server
   * process or another, comes between. */
  if (!bnd_server_db_begin (self, error))
    return 0;
  if (!(facts = bnd_server_db_check_step (self, user, uuid, BND_STEP_COMMENT, NULL, error)) ||
      !bnd_server_check_comment (text, error))
    goto failed;
  if ((count = bnd_server_db_count (self, "SELECT count (*) FROM comments WHERE dossier = ?1", uuid)) < 0)
    {
      bnd_server_db_sql_error (self, error);
      goto failed;
    }
  if (count >= MAX_COMMENTS_PER_DOSSIER)
    {
      g_autofree char *limit = g_strdup_printf ("%d", MAX_COMMENTS_PER_DOSSIER);

      /* Translators: %s is a number */
      bnd_api_error_set (error, BND_SERVER_ERROR_LIMIT,
                         N_("The dossier has %s comments, as many as it may have; no more can be added"),
                         limit, NULL);
      goto failed;
    }
  if (!(stmt = bnd_server_db_prepare (self, "INSERT INTO comments (dossier, author, org, text, posted) "
                                            "VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id", error)))
    goto failed;
  bnd_db_bind_text (stmt, 1, uuid);
  bnd_db_bind_text (stmt, 2, user->name);
  bnd_db_bind_text (stmt, 3, user->org);
  bnd_db_bind_text (stmt, 4, text);
  bnd_db_bind_int64 (stmt, 5, g_get_real_time () / G_USEC_PER_SEC);
  if (bnd_db_step (stmt) != BND_DB_ROW)
    {
      bnd_server_db_sql_error (self, error);
      goto failed;
    }
  id = bnd_db_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, bnd_server_db_release);
  /* The thread is readable by the same people as the trail: the entry names the comment and
   * holds its hash, so that a comment changed in the database later shows. */
  detail = comment_detail (id, user->org, text);
  if (!bnd_server_db_append_audit (self, uuid, user->name, "commented", detail, error) ||
      !bnd_server_db_commit (self, error))
    goto failed;
  return id;

failed:
  bnd_server_db_rollback (self);
  return 0;
}

/* Returns: (transfer full): {"comments": [{id, author, org, text, posted}, …]}, oldest first */
JsonNode *
bnd_server_db_list_comments (BndServerDb    *self,
                             const BndUser  *user,
                             const char     *uuid,
                             GError        **error)
{
  g_autoptr(BndRecord) record = NULL;
  g_autoptr(BndDbStmt) stmt = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (!(record = bnd_server_db_get_dossier (self, user, uuid, error)) ||
      !(stmt = bnd_server_db_prepare (self, "SELECT id, author, org, text, posted FROM comments WHERE dossier = ?1 "
                                            "ORDER BY id", error)))
    return NULL;
  bnd_db_bind_text (stmt, 1, uuid);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "comments");
  json_builder_begin_array (builder);
  while (bnd_db_step (stmt) == BND_DB_ROW)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, bnd_db_column_int64 (stmt, 0));
      json_builder_set_member_name (builder, "author");
      json_builder_add_string_value (builder, bnd_db_column_text (stmt, 1));
      json_builder_set_member_name (builder, "org");
      json_builder_add_string_value (builder, bnd_db_column_text (stmt, 2));
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, bnd_db_column_text (stmt, 3));
      json_builder_set_member_name (builder, "posted");
      json_builder_add_int_value (builder, bnd_db_column_int64 (stmt, 4));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
