/* bnd-server-rating.c: the partners' ratings of a dossier in the Lenkungskreis
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-rating"

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "bnd-server-db-private.h"
#include "bnd-server-dossier.h"
#include "bnd-server-procedure.h"
#include "bnd-server-rating.h"

/* The rating round is the dossier's "rating" stage: each partner organisation rates once (its
 * seats may change the rating) until the coordination closes the round by opening the vote.
 * Before that, an organisation sees only its own rating. The carrier's organisation and recused
 * co-applicants do not rate. Who may rate when is the procedure's rule (bnd-procedure.c). */

#define MAX_COMMENT 2000

/* The organisation is one of the partners (not an external carrier). */
static gboolean
is_partner_org (BndServerDb *self,
                const char  *org)
{
  g_autoptr(BndDbStmt) stmt = bnd_server_db_prepare (self, "SELECT 1 FROM orgs WHERE id = ?1 AND kind != 'carrier'", NULL);

  if (stmt == NULL)
    return FALSE;
  bnd_db_bind_text (stmt, 1, org);
  return bnd_db_step (stmt) == BND_DB_ROW;
}

/* 16 random bytes, hex. */
static char *
rating_salt (void)
{
  guchar random[16];
  char hex[sizeof random * 2 + 1];

  randombytes_buf (random, sizeof random);
  return g_strdup (sodium_bin2hex (hex, sizeof hex, random, sizeof random));
}

/* The audit entry of a rating: the organisation and the SHA-256 of salt, scores and comment.
 * Everyone who sees the dossier reads its trail, also while the round is open and the rating is
 * still the organisation's own; the salt (kept in the rating's row) makes the hash useless for
 * trying the few possible scores, and still lets an administrator match the entry to the row. */
static char *
rating_detail (const char *org,
               const char *salt,
               const char *scores,
               const char *comment)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = g_strdup_printf ("%s|%zu:%s|%zu:%s", salt, strlen (scores), scores,
                                           strlen (comment), comment);
  g_autofree char *sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "org");
  json_builder_add_string_value (builder, org);
  json_builder_set_member_name (builder, "sha256");
  json_builder_add_string_value (builder, sha256);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/**
 * bnd_server_db_recuse:
 *
 * The coordination records that @org co-applies for the project: it neither rates nor votes.
 */
gboolean
bnd_server_db_recuse (BndServerDb    *self,
                      const BndUser  *user,
                      const char     *uuid,
                      const char     *org,
                      GError        **error)
{
  g_autoptr(BndServerFacts) facts = NULL;
  g_autoptr(BndDbStmt) stmt = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *detail = NULL;

  /* Checked in the write transaction, so that no other server process moves the dossier on
   * between the check and the write (as in every writer below). */
  if (!bnd_server_db_begin (self, error))
    return FALSE;
  /* Not once ratings or votes could be seen: a recusal must never change a known result. */
  if (!(facts = bnd_server_db_check_step (self, user, uuid, BND_STEP_RECUSE, NULL, error)))
    goto failed;
  if (!is_partner_org (self, org))
    {
      bnd_api_error_set (error, BND_SERVER_ERROR_INVALID, N_("“%s” is not a partner organisation"), org, NULL);
      goto failed;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "org");
  json_builder_add_string_value (builder, org);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  json_generator_set_root (generator, node);
  detail = json_generator_to_data (generator, NULL);

  if (!(stmt = bnd_server_db_prepare (self, "INSERT INTO recusals (dossier, org) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                                      error)))
    goto failed;
  bnd_db_bind_text (stmt, 1, uuid);
  bnd_db_bind_text (stmt, 2, org);
  if (bnd_db_step (stmt) != BND_DB_DONE)
    {
      bnd_server_db_sql_error (self, error);
      goto failed;
    }
  /* A rating the organisation gave before it was recused no longer counts. */
  g_clear_pointer (&stmt, bnd_server_db_release);
  if (!(stmt = bnd_server_db_prepare (self, "DELETE FROM ratings WHERE dossier = ?1 AND org = ?2", error)))
    goto failed;
  bnd_db_bind_text (stmt, 1, uuid);
  bnd_db_bind_text (stmt, 2, org);
  if (bnd_db_step (stmt) != BND_DB_DONE)
    {
      bnd_server_db_sql_error (self, error);
      goto failed;
    }
  if (!bnd_server_db_append_audit (self, uuid, user->name, "recused", detail, error))
    goto failed;
  if (!bnd_server_db_commit (self, error))
    goto failed;
  return TRUE;

failed:
  bnd_server_db_rollback (self);
  return FALSE;
}

/**
 * bnd_server_check_rating:
 * @review: the strategy pack's criteria and scale
 * @scores: every criterion of @review with a whole number on its scale, and nothing else
 * @comment: at most MAX_COMMENT bytes
 *
 * Returns: (transfer full): the scores as they are stored, JSON, or %NULL with a
 *   BND_SERVER_ERROR
 */
char *
bnd_server_check_rating (const BndReview  *review,
                         JsonObject       *scores,
                         const char       *comment,
                         GError          **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *low = NULL, *high = NULL;

  if (json_object_get_size (scores) != review->criteria->len)
    goto bad_scores;
  json_builder_begin_object (builder);
  for (guint i = 0; i < review->criteria->len; i++)
    {
      const char *id = ((const BndRatingCriterion *)g_ptr_array_index (review->criteria, i))->id;
      JsonNode *score = json_object_get_member (scores, id);

      if (score == NULL || !JSON_NODE_HOLDS_VALUE (score) || json_node_get_value_type (score) != G_TYPE_INT64 ||
          json_node_get_int (score) < review->scale_min || json_node_get_int (score) > review->scale_max)
        goto bad_scores;
      json_builder_set_member_name (builder, id);
      json_builder_add_int_value (builder, json_node_get_int (score));
    }
  json_builder_end_object (builder);
  if (strlen (comment) > MAX_COMMENT)
    {
      g_autofree char *limit = g_strdup_printf ("%d", MAX_COMMENT);

      /* Translators: %s is a number */
      bnd_api_error_set (error, BND_SERVER_ERROR_INVALID, N_("The comment must have at most %s characters"), limit, NULL);
      return NULL;
    }
  node = json_builder_get_root (builder);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);

bad_scores:
  for (guint i = 0; i < review->criteria->len; i++)
    g_string_append_printf (names, "%s%s", i ? ", " : "",
                            ((const BndRatingCriterion *)g_ptr_array_index (review->criteria, i))->id);
  low = g_strdup_printf ("%d", review->scale_min);
  high = g_strdup_printf ("%d", review->scale_max);
  /* Translators: the first %s lists the criteria, the other two are numbers */
  bnd_api_error_set (error, BND_SERVER_ERROR_INVALID,
                     N_("Give each criterion (%s) a whole number from %s to %s"), names->str, low, high, NULL);
  return NULL;
}

/**
 * bnd_server_db_rate:
 * @review: the strategy pack's criteria and scale
 * @scores: every criterion of @review with a whole number on its scale, and nothing else
 */
gboolean
bnd_server_db_rate (BndServerDb    *self,
                    const BndUser  *user,
                    const char     *uuid,
                    const BndReview *review,
                    JsonObject     *scores,
                    const char     *comment,
                    GError        **error)
{
  g_autoptr(BndServerFacts) facts = NULL;
  g_autoptr(BndDbStmt) stmt = NULL;
  g_autofree char *text = NULL;
  g_autofree char *salt = NULL;
  g_autofree char *detail = NULL;

  if (!bnd_server_db_begin (self, error))
    return FALSE;
  if (!(facts = bnd_server_db_check_step (self, user, uuid, BND_STEP_RATE, NULL, error)) ||
      !(text = bnd_server_check_rating (review, scores, comment, error)))
    goto failed;

  salt = rating_salt ();
  detail = rating_detail (user->org, salt, text, comment);
  if (!(stmt = bnd_server_db_prepare (self, "INSERT INTO ratings (dossier, org, scores, comment, rated_by, rated, salt) "
                                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (dossier, org) DO UPDATE "
                                            "SET scores = ?3, comment = ?4, rated_by = ?5, rated = ?6, salt = ?7", error)))
    goto failed;
  bnd_db_bind_text (stmt, 1, uuid);
  bnd_db_bind_text (stmt, 2, user->org);
  bnd_db_bind_text (stmt, 3, text);
  bnd_db_bind_text (stmt, 4, comment);
  bnd_db_bind_text (stmt, 5, user->name);
  bnd_db_bind_int64 (stmt, 6, g_get_real_time () / G_USEC_PER_SEC);
  bnd_db_bind_text (stmt, 7, salt);
  if (bnd_db_step (stmt) != BND_DB_DONE)
    {
      bnd_server_db_sql_error (self, error);
      goto failed;
    }
  if (!bnd_server_db_append_audit (self, uuid, user->name, "rated", detail, error) ||
      !bnd_server_db_commit (self, error))
    goto failed;
  return TRUE;

failed:
  bnd_server_db_rollback (self);
  return FALSE;
}

/* Stages past the rating round, for dossiers rated before rounds were recorded (schema 8). */
static const char *past_rating[] = { "vote", "statement", "application", "approved", "rejected", "not-endorsed", NULL };

/**
 * bnd_server_db_list_ratings:
 * @closed: (out): whether the round is over (the coordination closed it by opening the vote)
 *
 * Returns: (transfer container): every rating once the round is over; before, only the
 *   caller's own organisation's
 */
GPtrArray *
bnd_server_db_list_ratings (BndServerDb    *self,
                            const BndUser  *user,
                            const char     *uuid,
                            gboolean       *closed,
                            GError        **error)
{
  g_autoptr(BndServerFacts) facts = NULL;
  g_autoptr(BndDbStmt) stmt = NULL;
  GPtrArray *ratings;

  if (!(facts = bnd_server_db_get_facts (self, user, uuid, FALSE, error)))
    return NULL;
  /* A dossier withdrawn during its round keeps its ratings with their organisations. */
  *closed = facts->rating_closed != 0 ||
            (facts->rating_opened == 0 && g_strv_contains (past_rating, facts->record->stage));
  if (!(stmt = bnd_server_db_prepare (self, "SELECT org, scores, comment, rated_by FROM ratings WHERE dossier = ?1 "
                                            "AND (?2 OR org = ?3) ORDER BY org", error)))
    return NULL;
  bnd_db_bind_text (stmt, 1, uuid);
  bnd_db_bind_int (stmt, 2, *closed);
  bnd_db_bind_text (stmt, 3, user->org);
  ratings = g_ptr_array_new_with_free_func ((GDestroyNotify)bnd_rating_free);
  while (bnd_db_step (stmt) == BND_DB_ROW)
    {
      BndRating *rating = g_new0 (BndRating, 1);

      rating->org = g_strdup (bnd_db_column_text (stmt, 0));
      rating->scores = g_strdup (bnd_db_column_text (stmt, 1));
      rating->comment = g_strdup (bnd_db_column_text (stmt, 2));
      rating->rated_by = g_strdup (bnd_db_column_text (stmt, 3));
      g_ptr_array_add (ratings, rating);
    }
  return ratings;
}

void
bnd_rating_free (BndRating *rating)
{
  if (rating == NULL)
    return;
  g_free (rating->org);
  g_free (rating->scores);
  g_free (rating->comment);
  g_free (rating->rated_by);
  g_free (rating);
}
