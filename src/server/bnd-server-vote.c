/* bnd-server-vote.c: the circulation vote (Umlaufverfahren) of the Lenkungskreis
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-vote"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bnd-server-db-private.h"
#include "bnd-server-vote.h"

/* Every partner organisation has one vote, cast by a seat holder (role "partner"). The carrier's
 * own organisation and those the coordination names as co-applicants are recused. Nobody sees a
 * choice before the round closes: at its deadline, or once every entitled organisation voted. */

#define MAX_QUESTION 1000

static gint64
now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
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

static BndRecord *
visible_record (BndServerDb    *self,
                const BndUser  *user,
                const char     *uuid,
                GError        **error)
{
  BndRecord *record = bnd_server_db_get_record (self, uuid);

  if (record == NULL || !bnd_server_db_can_see (user, record))
    {
      g_clear_pointer (&record, bnd_record_free);
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_NOT_FOUND, _("No such dossier"));
    }
  return record;
}

/* The round as stored, with every choice; NULL without an error when none was opened. */
static BndVoteRound *
load_round (BndServerDb  *self,
            const char   *uuid,
            GError      **error)
{
  g_autoptr(sqlite3_stmt) round_stmt =
    bnd_server_db_prepare (self, "SELECT question, opened, deadline FROM vote_rounds WHERE dossier = ?1", error);
  g_autoptr(sqlite3_stmt) ballots = NULL;
  g_autoptr(sqlite3_stmt) recused = NULL;
  g_autoptr(GStrvBuilder) recused_builder = g_strv_builder_new ();
  BndVoteRound *round;

  if (round_stmt == NULL)
    return NULL;
  sqlite3_bind_text (round_stmt, 1, uuid, -1, SQLITE_STATIC);
  if (sqlite3_step (round_stmt) != SQLITE_ROW)
    return NULL;
  if (!(ballots = bnd_server_db_prepare (self, "SELECT o.id, v.choice, v.comment FROM orgs AS o "
                                               "LEFT JOIN votes AS v ON v.dossier = ?1 AND v.org = o.id "
                                               "WHERE o.kind != 'carrier' AND o.id NOT IN "
                                               "(SELECT org FROM recusals WHERE dossier = ?1) ORDER BY o.id", error)) ||
      !(recused = bnd_server_db_prepare (self, "SELECT org FROM recusals WHERE dossier = ?1 ORDER BY org", error)))
    return NULL;

  round = g_new0 (BndVoteRound, 1);
  round->question = g_strdup ((const char *)sqlite3_column_text (round_stmt, 0));
  round->opened = sqlite3_column_int64 (round_stmt, 1);
  round->deadline = sqlite3_column_int64 (round_stmt, 2);
  round->entitled = g_ptr_array_new_with_free_func ((GDestroyNotify)ballot_free);
  sqlite3_bind_text (ballots, 1, uuid, -1, SQLITE_STATIC);
  while (sqlite3_step (ballots) == SQLITE_ROW)
    {
      BndBallot *ballot = g_new0 (BndBallot, 1);

      ballot->org = g_strdup ((const char *)sqlite3_column_text (ballots, 0));
      ballot->choice = g_strdup ((const char *)sqlite3_column_text (ballots, 1));
      ballot->comment = g_strdup ((const char *)sqlite3_column_text (ballots, 2));
      if (ballot->choice)
        round->n_voted++;
      g_ptr_array_add (round->entitled, ballot);
    }
  sqlite3_bind_text (recused, 1, uuid, -1, SQLITE_STATIC);
  while (sqlite3_step (recused) == SQLITE_ROW)
    g_strv_builder_add (recused_builder, (const char *)sqlite3_column_text (recused, 0));
  round->recused = g_strv_builder_end (recused_builder);
  round->closed = now () >= round->deadline || round->n_voted == round->entitled->len;
  return round;
}

static gboolean
org_exists (BndServerDb *self,
            const char  *org)
{
  g_autoptr(sqlite3_stmt) stmt = bnd_server_db_prepare (self, "SELECT 1 FROM orgs WHERE id = ?1", NULL);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, org, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

/**
 * bnd_server_db_open_vote:
 * @deadline: Unix time, in the future
 * @recused: (nullable): co-applicants, recused besides the carrier's own organisation
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
  g_autoptr(BndRecord) record = NULL;
  g_autoptr(BndVoteRound) existing = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(GString) detail = NULL;
  g_autoptr(GError) load_error = NULL;

  if (!(record = visible_record (self, user, uuid, error)))
    return FALSE;
  if (user->role != BND_ROLE_COORDINATION)
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_FORBIDDEN, _("Only the network coordination opens a vote"));
      return FALSE;
    }
  if (!g_str_equal (record->stage, "vote"))
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_CONFLICT,
                   _("A vote opens when the dossier is at the stage of the circulation vote"));
      return FALSE;
    }
  if ((existing = load_round (self, uuid, &load_error)) || load_error)
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_CONFLICT, _("A vote on this dossier was opened already"));
      return FALSE;
    }
  if (*question == 0 || strlen (question) > MAX_QUESTION)
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_INVALID, _("The question must have 1 to %d characters"), MAX_QUESTION);
      return FALSE;
    }
  if (deadline <= now ())
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_INVALID, _("The deadline must lie in the future"));
      return FALSE;
    }
  for (guint i = 0; recused && recused[i]; i++)
    if (!org_exists (self, recused[i]))
      {
        g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_INVALID, _("No organisation “%s”"), recused[i]);
        return FALSE;
      }

  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return bnd_server_db_sql_error (self, error);
  if (!(insert = bnd_server_db_prepare (self, "INSERT INTO vote_rounds (dossier, question, opened, deadline, opened_by) "
                                              "VALUES (?1, ?2, ?3, ?4, ?5)", error)))
    goto failed;
  sqlite3_bind_text (insert, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 2, question, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 3, now ());
  sqlite3_bind_int64 (insert, 4, deadline);
  sqlite3_bind_text (insert, 5, user->name, -1, SQLITE_STATIC);
  if (sqlite3_step (insert) != SQLITE_DONE)
    goto sql_failed;

  detail = g_string_new ("{\"recused\":[");
  for (int i = -1; i < 0 || (recused && recused[i]); i++)
    {
      const char *org = i < 0 ? record->org : recused[i];
      g_autoptr(sqlite3_stmt) recuse = bnd_server_db_prepare (self, "INSERT OR IGNORE INTO recusals (dossier, org) "
                                                                    "VALUES (?1, ?2)", error);
      if (recuse == NULL)
        goto failed;
      sqlite3_bind_text (recuse, 1, uuid, -1, SQLITE_STATIC);
      sqlite3_bind_text (recuse, 2, org, -1, SQLITE_STATIC);
      if (sqlite3_step (recuse) != SQLITE_DONE)
        goto sql_failed;
      /* Organisation ids are checked to exist, and were made by the administrator. */
      g_string_append_printf (detail, "%s\"%s\"", i < 0 ? "" : ",", org);
    }
  g_string_append_printf (detail, "],\"deadline\":%" G_GINT64_FORMAT "}", deadline);
  if (!bnd_server_db_append_audit (self, uuid, user->name, "vote-opened", detail->str, error))
    goto failed;
  if (sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    goto sql_failed;
  return TRUE;

sql_failed:
  bnd_server_db_sql_error (self, error);
failed:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

gboolean
bnd_server_db_cast_vote (BndServerDb    *self,
                         const BndUser  *user,
                         const char     *uuid,
                         const char     *choice,
                         const char     *comment,
                         GError        **error)
{
  g_autoptr(BndRecord) record = NULL;
  g_autoptr(BndVoteRound) round = NULL;
  g_autoptr(sqlite3_stmt) upsert = NULL;
  gboolean entitled = FALSE;

  if (!(record = visible_record (self, user, uuid, error)))
    return FALSE;
  if (user->role != BND_ROLE_PARTNER)
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_FORBIDDEN,
                   _("Only a partner's seat in the Lenkungskreis votes"));
      return FALSE;
    }
  if (!(round = load_round (self, uuid, error)))
    {
      if (error && *error == NULL)
        g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_CONFLICT, _("No vote is open on this dossier"));
      return FALSE;
    }
  if (g_strv_contains ((const char * const *)round->recused, user->org))
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_FORBIDDEN,
                   _("Your organisation is recused from this dossier and does not vote"));
      return FALSE;
    }
  for (guint i = 0; i < round->entitled->len; i++)
    entitled |= g_str_equal (((BndBallot *)g_ptr_array_index (round->entitled, i))->org, user->org);
  if (!entitled)
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_FORBIDDEN, _("Your organisation has no vote in the Lenkungskreis"));
      return FALSE;
    }
  if (round->closed)
    {
      g_autoptr(GDateTime) deadline = g_date_time_new_from_unix_local (MIN (round->deadline, now ()));
      g_autofree char *when = g_date_time_format (deadline, "%Y-%m-%d %H:%M");

      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_CONFLICT,
                   _("The vote closed on %s; this vote was not counted"), when);
      return FALSE;
    }
  if (!g_str_equal (choice, "yes") && !g_str_equal (choice, "no") && !g_str_equal (choice, "abstain"))
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_INVALID, _("A vote is “yes”, “no” or “abstain”"));
      return FALSE;
    }
  if (strlen (comment) > MAX_QUESTION)
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_INVALID, _("The comment must have at most %d characters"), MAX_QUESTION);
      return FALSE;
    }

  if (!(upsert = bnd_server_db_prepare (self, "INSERT INTO votes (dossier, org, choice, comment, cast_by, cast_at) "
                                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (dossier, org) DO UPDATE "
                                              "SET choice = ?3, comment = ?4, cast_by = ?5, cast_at = ?6", error)))
    return FALSE;
  sqlite3_bind_text (upsert, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (upsert, 2, user->org, -1, SQLITE_STATIC);
  sqlite3_bind_text (upsert, 3, choice, -1, SQLITE_STATIC);
  sqlite3_bind_text (upsert, 4, comment, -1, SQLITE_STATIC);
  sqlite3_bind_text (upsert, 5, user->name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (upsert, 6, now ());
  if (sqlite3_step (upsert) != SQLITE_DONE)
    return bnd_server_db_sql_error (self, error);
  return TRUE;
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

  if (!(record = visible_record (self, user, uuid, error)))
    return NULL;
  if (!(round = load_round (self, uuid, error)) && error && *error == NULL)
    g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_NOT_FOUND, _("No vote was opened on this dossier"));
  return round;
}
