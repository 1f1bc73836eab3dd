/* bnd-server-statement.c: the statement of the Lenkungskreis, issued from a closed vote
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-statement"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "bnd-server-db-private.h"
#include "bnd-server-statement.h"
#include "bnd-server-vote.h"
#include "bnd-statement-renderer.h"

static char *
org_name (BndServerDb *self,
          const char  *org)
{
  g_autoptr(BndDbStmt) stmt = bnd_server_db_prepare (self, "SELECT name FROM orgs WHERE id = ?1", NULL);

  if (stmt == NULL)
    return g_strdup (org);
  bnd_db_bind_text (stmt, 1, org);
  return g_strdup (bnd_db_step (stmt) == BND_DB_ROW ? bnd_db_column_text (stmt, 0) : org);
}

static BndStatement *
statement_from_round (BndServerDb        *self,
                      const BndRecord    *record,
                      const BndVoteRound *round,
                      const BndUser      *user,
                      const char         *alliance)
{
  BndStatement *statement = bnd_statement_new ();
  g_autoptr(JsonNode) data = json_from_string (record->data, NULL);
  JsonObject *sketch = data && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;
  JsonObject *carrier = sketch && json_object_has_member (sketch, "carrier")
                        ? json_object_get_object_member (sketch, "carrier") : NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  statement->alliance = g_strdup (alliance);
  statement->project = g_strdup (sketch ? json_object_get_string_member_with_default (sketch, "title", "") : "");
  statement->carrier = carrier ? g_strdup (json_object_get_string_member_with_default (carrier, "organisation", ""))
                               : org_name (self, record->org);
  statement->dossier = g_strdup (record->uuid);
  statement->question = g_strdup (round->question);
  statement->opened = round->opened;
  statement->closed = round->closed_at;
  statement->issued_by = g_strdup (user->name);
  statement->issued = now;
  for (guint i = 0; i < round->entitled->len; i++)
    {
      BndBallot *ballot = g_ptr_array_index (round->entitled, i);
      g_autofree char *name = org_name (self, ballot->org);

      bnd_statement_add_vote (statement, name, ballot->choice, ballot->comment);
      statement->yes += g_strcmp0 (ballot->choice, "yes") == 0;
      statement->no += g_strcmp0 (ballot->choice, "no") == 0;
      statement->abstain += g_strcmp0 (ballot->choice, "abstain") == 0;
    }
  for (guint i = 0; round->recused[i]; i++)
    g_ptr_array_add (statement->recused, org_name (self, round->recused[i]));
  statement->quorum = bnd_vote_round_has_quorum (round);
  statement->adopted = statement->quorum && statement->yes > statement->no;
  return statement;
}

/**
 * bnd_server_db_write_statement:
 * @round: the closed vote
 * @positive: (out): whether the Lenkungskreis endorses the project (the pack's rule)
 *
 * Renders the statement from @round and stores it with its audit entry, as the next of the
 * dossier's statements; the caller holds a transaction and moves the dossier on.
 *
 * Returns: (transfer full): the PDF's SHA-256, or %NULL with @error set
 */
char *
bnd_server_db_write_statement (BndServerDb         *self,
                               const BndUser       *user,
                               const BndRecord     *record,
                               const BndVoteRound  *round,
                               const char          *alliance,
                               const char          *stage,
                               gboolean            *positive,
                               GError             **error)
{
  g_autoptr(BndStatement) statement = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(BndDbStmt) insert = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *detail = NULL;

  statement = statement_from_round (self, record, round, user, alliance);
  if (!(pdf = bnd_statement_render (statement, error)))
    return NULL;
  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf);
  *positive = statement->adopted;
  detail = g_strdup_printf ("{\"sha256\":\"%s\",\"yes\":%u,\"no\":%u,\"abstain\":%u,\"quorum\":%s,\"adopted\":%s,"
                            "\"stage\":\"%s\"}",
                            sha256, statement->yes, statement->no, statement->abstain,
                            statement->quorum ? "true" : "false", statement->adopted ? "true" : "false", stage);

  if (!(insert = bnd_server_db_prepare (self, "INSERT INTO statements (dossier, n, pdf, sha256, issued_by, issued, positive) "
                                              "VALUES (?1, (SELECT coalesce (max (n), 0) + 1 FROM statements WHERE dossier = ?1), "
                                              "?2, ?3, ?4, ?5, ?6)", error)))
    return NULL;
  bnd_db_bind_text (insert, 1, record->uuid);
  bnd_db_bind_bytes (insert, 2, pdf);
  bnd_db_bind_text (insert, 3, sha256);
  bnd_db_bind_text (insert, 4, user->name);
  bnd_db_bind_int64 (insert, 5, statement->issued);
  bnd_db_bind_int (insert, 6, statement->adopted);
  if (bnd_db_step (insert) != BND_DB_DONE)
    {
      bnd_server_db_sql_error (self, error);
      return NULL;
    }
  if (!bnd_server_db_append_audit (self, record->uuid, user->name, "statement", detail, error))
    return NULL;
  return g_steal_pointer (&sha256);
}

BndServerFile *
bnd_server_db_get_statement (BndServerDb    *self,
                             const BndUser  *user,
                             const char     *uuid,
                             GError        **error)
{
  g_autoptr(BndRecord) record = NULL;
  BndServerFile *file;

  if (!(record = bnd_server_db_get_dossier (self, user, uuid, error)))
    return NULL;
  if (!(file = bnd_server_db_find_file (self, "statements", "dossier = ?1 AND ?2 = 0 ORDER BY n DESC LIMIT 1",
                                       uuid, 0)))
    g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_NOT_FOUND, _("No statement was issued for this dossier"));
  return file;
}
