/* bnd-server-vote.c: the circulation vote (Umlaufverfahren) of the Lenkungskreis
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-vote"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "bnd-server-db-private.h"
#include "bnd-server-procedure.h"
#include "bnd-server-mail.h"
#include "bnd-server-vote.h"

/* Every partner organisation has one vote, cast by a seat holder (role "partner"). The carrier's
 * own organisation and those the coordination names as co-applicants are recused. Nobody sees a
 * choice before the round closes: at its deadline, or once every entitled organisation voted. */

#define MAX_QUESTION 1000

/* The server's clock (bnd-server-clock.c): deadlines and the times they are compared with. */
static gint64
now (BndServerDb *self)
{
  return bnd_server_db_now (self);
}

static void
ballot_free (BndBallot *ballot)
{
  g_free (ballot->org);
  g_free (ballot->choice);
  g_free (ballot->comment);
  g_free (ballot);
}

/* The strategy sets no quorum: more than half of the entitled organisations must take part. */
gboolean
bnd_vote_round_has_quorum (const BndVoteRound *round)
{
  return round->n_voted * 2 > round->entitled->len;
}

/* The pack's rule ("more-than-half"): with a quorum, more yes than no. What makes the statement
 * positive. */
gboolean
bnd_vote_round_is_adopted (const BndVoteRound *round)
{
  guint yes = 0, no = 0;

  for (guint i = 0; i < round->entitled->len; i++)
    {
      const BndBallot *ballot = g_ptr_array_index (round->entitled, i);

      yes += g_strcmp0 (ballot->choice, "yes") == 0;
      no += g_strcmp0 (ballot->choice, "no") == 0;
    }
  return bnd_vote_round_has_quorum (round) && yes > no;
}

void
bnd_vote_round_free (BndVoteRound *round)
{
  if (round == NULL)
    return;
  g_free (round->question);
  g_clear_pointer (&round->entitled, g_ptr_array_unref);
  g_strfreev (round->recused);
  g_free (round);
}

/* Marks the round closed for good, once: its end no longer depends on anything that changes. */
static void
close_round (BndServerDb  *self,
             const char   *uuid,
             gint64        closed)
{
  g_autoptr(BndDbStmt) stmt =
    bnd_server_db_prepare (self, "UPDATE vote_rounds SET closed = ?2 WHERE dossier = ?1 AND closed IS NULL", NULL);

  if (stmt == NULL)
    return;
  bnd_db_bind_text (stmt, 1, uuid);
  bnd_db_bind_int64 (stmt, 2, closed);
  if (bnd_db_step (stmt) != BND_DB_DONE)
    bnd_server_db_sql_error (self, NULL);
}

/**
 * bnd_server_db_load_vote_round:
 *
 * Returns: (transfer full) (nullable): the round as stored, with every choice; %NULL without an
 *   error when none was opened
 */
BndVoteRound *
bnd_server_db_load_vote_round (BndServerDb  *self,
                               const char   *uuid,
                               GError      **error)
{
  g_autoptr(BndDbStmt) round_stmt =
    bnd_server_db_prepare (self, "SELECT question, opened, deadline, closed FROM vote_rounds WHERE dossier = ?1", error);
  g_autoptr(BndDbStmt) ballots = NULL;
  g_autoptr(BndDbStmt) recused = NULL;
  g_autoptr(BndDbStmt) last_vote = NULL;
  g_autoptr(GStrvBuilder) recused_builder = g_strv_builder_new ();
  BndVoteRound *round;

  if (round_stmt == NULL)
    return NULL;
  bnd_db_bind_text (round_stmt, 1, uuid);
  if (bnd_db_step (round_stmt) != BND_DB_ROW)
    return NULL;
  if (!(ballots = bnd_server_db_prepare (self, "SELECT e.org, v.choice, v.comment FROM vote_entitled AS e "
                                               "LEFT JOIN votes AS v ON v.dossier = e.dossier AND v.org = e.org "
                                               "WHERE e.dossier = ?1 ORDER BY e.org", error)) ||
      !(recused = bnd_server_db_prepare (self, "SELECT org FROM recusals WHERE dossier = ?1 ORDER BY org", error)) ||
      !(last_vote = bnd_server_db_prepare (self, "SELECT max (cast_at) FROM votes WHERE dossier = ?1", error)))
    return NULL;

  round = g_new0 (BndVoteRound, 1);
  round->question = g_strdup (bnd_db_column_text (round_stmt, 0));
  round->opened = bnd_db_column_int64 (round_stmt, 1);
  round->deadline = bnd_db_column_int64 (round_stmt, 2);
  round->closed_at = bnd_db_column_is_null (round_stmt, 3) ? 0 : bnd_db_column_int64 (round_stmt, 3);
  round->entitled = g_ptr_array_new_with_free_func ((GDestroyNotify)ballot_free);
  bnd_db_bind_text (ballots, 1, uuid);
  while (bnd_db_step (ballots) == BND_DB_ROW)
    {
      BndBallot *ballot = g_new0 (BndBallot, 1);

      ballot->org = g_strdup (bnd_db_column_text (ballots, 0));
      ballot->choice = g_strdup (bnd_db_column_text (ballots, 1));
      ballot->comment = g_strdup (bnd_db_column_text (ballots, 2));
      if (ballot->choice)
        round->n_voted++;
      g_ptr_array_add (round->entitled, ballot);
    }
  bnd_db_bind_text (recused, 1, uuid);
  while (bnd_db_step (recused) == BND_DB_ROW)
    g_strv_builder_add (recused_builder, bnd_db_column_text (recused, 0));
  round->recused = g_strv_builder_end (recused_builder);

  if (round->closed_at == 0)
    {
      /* Closed when the last entitled organisation voted, or at the deadline. */
      bnd_db_bind_text (last_vote, 1, uuid);
      if (round->n_voted == round->entitled->len && bnd_db_step (last_vote) == BND_DB_ROW)
        /* Nobody entitled at all (every partner recused): closed as soon as it is looked at. */
        round->closed_at = bnd_db_column_is_null (last_vote, 0) ? now (self)
                           : bnd_db_column_int64 (last_vote, 0);
      else if (now (self) >= round->deadline)
        round->closed_at = round->deadline;
      if (round->closed_at != 0)
        close_round (self, uuid, round->closed_at);
    }
  round->closed = round->closed_at != 0;
  return round;
}

static gboolean
org_exists (BndServerDb *self,
            const char  *org)
{
  g_autoptr(BndDbStmt) stmt = bnd_server_db_prepare (self, "SELECT 1 FROM orgs WHERE id = ?1", NULL);

  if (stmt == NULL)
    return FALSE;
  bnd_db_bind_text (stmt, 1, org);
  return bnd_db_step (stmt) == BND_DB_ROW;
}

/* The question a vote is opened on: 1 to MAX_QUESTION bytes. */
gboolean
bnd_server_check_question (const char  *question,
                           GError     **error)
{
  if (*question == 0 || strlen (question) > MAX_QUESTION)
    {
      g_autofree char *limit = g_strdup_printf ("%d", MAX_QUESTION);

      /* Translators: %s is a number */
      bnd_api_error_set (error, BND_SERVER_ERROR_INVALID, N_("The question must have 1 to %s characters"), limit, NULL);
      return FALSE;
    }
  return TRUE;
}

/* A ballot: "yes", "no" or "abstain", with a comment of at most MAX_QUESTION bytes. */
gboolean
bnd_server_check_ballot (const char  *choice,
                         const char  *comment,
                         GError     **error)
{
  if (!g_str_equal (choice, "yes") && !g_str_equal (choice, "no") && !g_str_equal (choice, "abstain"))
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_INVALID, _("A vote is “yes”, “no” or “abstain”"));
      return FALSE;
    }
  if (strlen (comment) > MAX_QUESTION)
    {
      g_autofree char *limit = g_strdup_printf ("%d", MAX_QUESTION);

      bnd_api_error_set (error, BND_SERVER_ERROR_INVALID, N_("The comment must have at most %s characters"), limit, NULL);
      return FALSE;
    }
  return TRUE;
}

/**
 * bnd_server_vote_check_input:
 * @deadline: Unix time
 * @recused: (nullable): co-applicants, recused besides the carrier's own organisation
 *
 * Whether a round can open with @question, @deadline and @recused.
 */
gboolean
bnd_server_vote_check_input (BndServerDb        *self,
                             const char         *question,
                             gint64              deadline,
                             const char * const *recused,
                             GError            **error)
{
  if (!bnd_server_check_question (question, error))
    return FALSE;
  if (deadline <= now (self))
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_INVALID, "%s", _("The deadline must lie in the future"));
      return FALSE;
    }
  for (guint i = 0; recused && recused[i]; i++)
    if (!org_exists (self, recused[i]))
      {
        bnd_api_error_set (error, BND_SERVER_ERROR_INVALID, N_("No organisation “%s”"), recused[i], NULL);
        return FALSE;
      }
  return TRUE;
}

/**
 * bnd_server_db_insert_vote_round:
 *
 * Opens the round on @record, as checked by bnd_server_vote_check_input(), with its audit entry;
 * the caller holds a transaction. The carrier's organisation and @recused are recused; every
 * other partner organisation, as they are now, is entitled.
 */
gboolean
bnd_server_db_insert_vote_round (BndServerDb        *self,
                                 const BndUser      *user,
                                 const BndRecord    *record,
                                 const char         *question,
                                 gint64              deadline,
                                 const char * const *recused,
                                 GError            **error)
{
  g_autoptr(BndDbStmt) insert = NULL;
  g_autoptr(BndDbStmt) entitled = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *detail = NULL;

  if (!(insert = bnd_server_db_prepare (self, "INSERT INTO vote_rounds (dossier, question, opened, deadline, opened_by) "
                                              "VALUES (?1, ?2, ?3, ?4, ?5)", error)))
    return FALSE;
  bnd_db_bind_text (insert, 1, record->uuid);
  bnd_db_bind_text (insert, 2, question);
  bnd_db_bind_int64 (insert, 3, now (self));
  bnd_db_bind_int64 (insert, 4, deadline);
  bnd_db_bind_text (insert, 5, user->name);
  if (bnd_db_step (insert) != BND_DB_DONE)
    return bnd_server_db_sql_error (self, error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "recused");
  json_builder_begin_array (builder);
  for (int i = -1; i < 0 || (recused && recused[i]); i++)
    {
      const char *org = i < 0 ? record->org : recused[i];
      g_autoptr(BndDbStmt) recuse = bnd_server_db_prepare (self, "INSERT INTO recusals (dossier, org) VALUES (?1, ?2) "
                                                                    "ON CONFLICT DO NOTHING", error);
      if (recuse == NULL)
        return FALSE;
      bnd_db_bind_text (recuse, 1, record->uuid);
      bnd_db_bind_text (recuse, 2, org);
      if (bnd_db_step (recuse) != BND_DB_DONE)
        return bnd_server_db_sql_error (self, error);
      json_builder_add_string_value (builder, org);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "deadline");
  json_builder_add_int_value (builder, deadline);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  json_generator_set_root (generator, node);
  detail = json_generator_to_data (generator, NULL);

  /* The partner organisations that are not recused, as they are now. */
  if (!(entitled = bnd_server_db_prepare (self, "INSERT INTO vote_entitled (dossier, org) SELECT ?1, id FROM orgs "
                                                "WHERE kind != 'carrier' AND id NOT IN "
                                                "(SELECT org FROM recusals WHERE dossier = ?1)", error)))
    return FALSE;
  bnd_db_bind_text (entitled, 1, record->uuid);
  if (bnd_db_step (entitled) != BND_DB_DONE)
    return bnd_server_db_sql_error (self, error);
  return bnd_server_db_append_audit (self, record->uuid, user->name, "vote-opened", detail, error) &&
         bnd_server_mail_enqueue_vote_opened (self, user, record, deadline, error);
}

/**
 * bnd_server_db_remove_vote_round:
 *
 * Removes a closed round, so that the Lenkungskreis can vote on a reopened dossier again; its
 * result stays in the statement issued from it and in the audit trail. The caller holds a
 * transaction.
 */
gboolean
bnd_server_db_remove_vote_round (BndServerDb  *self,
                                 const char   *uuid,
                                 GError      **error)
{
  static const char *tables[] = { "votes", "vote_entitled", "vote_rounds" };

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE dossier = ?1", tables[i]);
      g_autoptr(BndDbStmt) stmt = bnd_server_db_prepare (self, sql, error);

      if (stmt == NULL)
        return FALSE;
      bnd_db_bind_text (stmt, 1, uuid);
      if (bnd_db_step (stmt) != BND_DB_DONE)
        return bnd_server_db_sql_error (self, error);
    }
  return TRUE;
}

static gboolean
open_vote (BndServerDb        *self,
           const BndUser      *user,
           const char         *uuid,
           const char         *question,
           gint64              deadline,
           const char * const *recused,
           GError            **error)
{
  g_autoptr(BndRecord) record = NULL;

  if (!(record = bnd_server_db_get_dossier (self, user, uuid, error)))
    return FALSE;
  if (user->role != BND_ROLE_COORDINATION)
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_FORBIDDEN, "%s",
                   _("Only the network coordination takes this step"));
      return FALSE;
    }
  if (!g_str_equal (record->stage, "vote"))
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_CONFLICT, "%s",
                   _("The circulation vote opens when the rating round closes"));
      return FALSE;
    }
  if (bnd_server_db_count (self, "SELECT count (*) FROM vote_rounds WHERE dossier = ?1", uuid) != 0)
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_CONFLICT, "%s", _("A vote on this dossier was opened already"));
      return FALSE;
    }
  return bnd_server_vote_check_input (self, question, deadline, recused, error) &&
         bnd_server_db_insert_vote_round (self, user, record, question, deadline, recused, error);
}

/**
 * bnd_server_db_open_vote:
 * @deadline: Unix time, in the future
 * @recused: (nullable): co-applicants, recused besides the carrier's own organisation
 *
 * Opens the round on a dossier that is at the stage of the vote without one: a dossier moved
 * there before the step to the vote opened its round as well. Otherwise the step "open-vote"
 * (bnd_server_db_take_step()) opens it.
 */
gboolean
bnd_server_db_open_vote (BndServerDb        *self,
                         const BndUser      *user,
                         const char         *uuid,
                         const char         *question,
                         gint64              deadline,
                         const char * const *recused,
                         GError            **error)
{
  /* Checked inside the round's write transaction: no other server process opens one between. */
  return bnd_server_db_begin (self, error) &&
         bnd_server_db_finish (self, open_vote (self, user, uuid, question, deadline, recused, error), error);
}

static gboolean
cast_vote (BndServerDb    *self,
           const BndUser  *user,
           const char     *uuid,
           const char     *choice,
           const char     *comment,
           GError        **error)
{
  g_autoptr(BndServerFacts) facts = NULL;
  g_autoptr(BndDbStmt) upsert = NULL;
  g_autofree char *detail = NULL;

  /* Who votes, when, and whether the round still runs: the procedure's rules. */
  if (!(facts = bnd_server_db_check_step (self, user, uuid, BND_STEP_VOTE, NULL, error)))
    return FALSE;
  if (!facts->has_vote_round)
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_CONFLICT, "%s", _("No vote is open on this dossier"));
      return FALSE;
    }
  if (!bnd_server_check_ballot (choice, comment, error))
    return FALSE;

  if (!(upsert = bnd_server_db_prepare (self, "INSERT INTO votes (dossier, org, choice, comment, cast_by, cast_at) "
                                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (dossier, org) DO UPDATE "
                                              "SET choice = ?3, comment = ?4, cast_by = ?5, cast_at = ?6", error)))
    return FALSE;
  bnd_db_bind_text (upsert, 1, uuid);
  bnd_db_bind_text (upsert, 2, user->org);
  bnd_db_bind_text (upsert, 3, choice);
  bnd_db_bind_text (upsert, 4, comment);
  bnd_db_bind_text (upsert, 5, user->name);
  bnd_db_bind_int64 (upsert, 6, now (self));
  /* The trail records who voted for which organisation, never the choice: that stays secret
   * until the close. */
  detail = bnd_audit_detail_string ("org", user->org);
  if (bnd_db_step (upsert) != BND_DB_DONE)
    return bnd_server_db_sql_error (self, error);
  return bnd_server_db_append_audit (self, uuid, user->name, "vote-cast", detail, error);
}

gboolean
bnd_server_db_cast_vote (BndServerDb    *self,
                         const BndUser  *user,
                         const char     *uuid,
                         const char     *choice,
                         const char     *comment,
                         GError        **error)
{
  /* The rules are asked inside the vote's write transaction: no other server process closes the
   * round, or takes this organisation's vote, between the check and the write. */
  return bnd_server_db_begin (self, error) &&
         bnd_server_db_finish (self, cast_vote (self, user, uuid, choice, comment, error), error);
}

/**
 * bnd_server_db_get_vote:
 *
 * Returns: (transfer full): the round with every choice; the caller hides what may not be shown
 *   yet. A 404 error when no vote was opened.
 */
BndVoteRound *
bnd_server_db_get_vote (BndServerDb    *self,
                        const BndUser  *user,
                        const char     *uuid,
                        GError        **error)
{
  g_autoptr(BndRecord) record = NULL;
  BndVoteRound *round;

  if (!(record = bnd_server_db_get_dossier (self, user, uuid, error)))
    return NULL;
  if (!(round = bnd_server_db_load_vote_round (self, uuid, error)) && error && *error == NULL)
    g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_NOT_FOUND, _("No vote was opened on this dossier"));
  return round;
}
