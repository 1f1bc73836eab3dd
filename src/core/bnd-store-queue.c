/* bnd-store-queue.c: votes and ratings given in this profile, queued until a sync delivers them
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "bnd-store.h"
#include "bnd-store-private.h"

/* Votes for the circulation vote */

static gpointer
queue_vote_job (BndStore  *self,
                gpointer   data,
                GError   **error)
{
  BndQueuedVote *vote = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = _bnd_store_prepare (self, "INSERT INTO queued_votes (dossier, choice, comment, cast_at, state, message) "
                                         "VALUES (?1, ?2, ?3, ?4, 'queued', NULL) ON CONFLICT (dossier) DO UPDATE "
                                         "SET choice = ?2, comment = ?3, cast_at = ?4, state = 'queued', message = NULL", error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, vote->dossier, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, vote->choice, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, vote->comment, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, vote->cast_at);
  return _bnd_store_step_done (self, stmt, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

/**
 * bnd_store_queue_vote:
 * @choice: "yes", "no" or "abstain"
 *
 * Keeps the vote until a sync hands it to the server; a later vote on the same dossier
 * replaces it (the server lets a vote change until the close).
 */
gboolean
bnd_store_queue_vote (BndStore    *self,
                      const char  *dossier,
                      const char  *choice,
                      const char  *comment,
                      GError     **error)
{
  BndQueuedVote *vote;

  g_return_val_if_fail (BND_IS_STORE (self), FALSE);

  vote = g_new0 (BndQueuedVote, 1);
  vote->dossier = g_strdup (dossier);
  vote->choice = g_strdup (choice);
  vote->comment = g_strdup (comment ? comment : "");
  /* Microseconds: a second vote within the same second must still count as newer. */
  vote->cast_at = g_get_real_time ();
  return _bnd_store_run_sync (self, queue_vote_job, vote, (GDestroyNotify)bnd_queued_vote_free, error) != NULL;
}

static gpointer
list_votes_job (BndStore  *self,
                gpointer   data,
                GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *votes;

  if (!(stmt = _bnd_store_prepare (self, "SELECT dossier, choice, comment, cast_at, state, message FROM queued_votes "
                                         "ORDER BY cast_at", error)))
    return NULL;
  votes = g_ptr_array_new_with_free_func ((GDestroyNotify)bnd_queued_vote_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      BndQueuedVote *vote = g_new0 (BndQueuedVote, 1);

      vote->dossier = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      vote->choice = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
      vote->comment = g_strdup ((const char *)sqlite3_column_text (stmt, 2));
      vote->cast_at = sqlite3_column_int64 (stmt, 3);
      vote->state = g_strdup ((const char *)sqlite3_column_text (stmt, 4));
      vote->message = g_strdup ((const char *)sqlite3_column_text (stmt, 5));
      g_ptr_array_add (votes, vote);
    }
  return votes;
}

/**
 * bnd_store_list_votes:
 *
 * Returns: (transfer container): every vote this profile cast, queued, counted or refused
 */
GPtrArray *
bnd_store_list_votes (BndStore  *self,
                      GError   **error)
{
  g_return_val_if_fail (BND_IS_STORE (self), NULL);
  return _bnd_store_run_sync (self, list_votes_job, NULL, NULL, error);
}

static gpointer
settle_vote_job (BndStore  *self,
                 gpointer   data,
                 GError   **error)
{
  BndQueuedVote *vote = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  /* Only the vote that was sent: one cast again meanwhile stays queued. */
  if (!(stmt = _bnd_store_prepare (self, "UPDATE queued_votes SET state = ?3, message = ?4 WHERE dossier = ?1 AND cast_at = ?2",
                                   error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, vote->dossier, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, vote->cast_at);
  sqlite3_bind_text (stmt, 3, vote->state, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, vote->message, -1, SQLITE_STATIC);
  return _bnd_store_step_done (self, stmt, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

/**
 * bnd_store_settle_vote:
 * @vote: as listed, with state set to "counted" or "refused" (and the server's message)
 */
gboolean
bnd_store_settle_vote (BndStore             *self,
                       const BndQueuedVote  *vote,
                       GError              **error)
{
  BndQueuedVote *copy;

  g_return_val_if_fail (BND_IS_STORE (self), FALSE);

  copy = g_new0 (BndQueuedVote, 1);
  copy->dossier = g_strdup (vote->dossier);
  copy->cast_at = vote->cast_at;
  copy->state = g_strdup (vote->state);
  copy->message = g_strdup (vote->message);
  return _bnd_store_run_sync (self, settle_vote_job, copy, (GDestroyNotify)bnd_queued_vote_free, error) != NULL;
}

void
bnd_queued_vote_free (BndQueuedVote *vote)
{
  if (vote == NULL)
    return;
  g_free (vote->dossier);
  g_free (vote->choice);
  g_free (vote->comment);
  g_free (vote->state);
  g_free (vote->message);
  g_free (vote);
}

/* Ratings of a dossier */

static gpointer
queue_rating_job (BndStore  *self,
                  gpointer   data,
                  GError   **error)
{
  BndQueuedRating *rating = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = _bnd_store_prepare (self, "INSERT INTO queued_ratings (dossier, scores, comment, rated_at, state, message) "
                                         "VALUES (?1, ?2, ?3, ?4, 'queued', NULL) ON CONFLICT (dossier) DO UPDATE "
                                         "SET scores = ?2, comment = ?3, rated_at = ?4, state = 'queued', message = NULL",
                                   error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, rating->dossier, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, rating->scores, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, rating->comment, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, rating->rated_at);
  return _bnd_store_step_done (self, stmt, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

/**
 * bnd_store_queue_rating:
 * @scores_json: a JSON object, criterion → score
 *
 * Keeps the rating until a sync hands it to the server; a later rating of the same dossier
 * replaces it (the server lets an organisation change its rating until the round ends).
 */
gboolean
bnd_store_queue_rating (BndStore    *self,
                        const char  *dossier,
                        const char  *scores_json,
                        const char  *comment,
                        GError     **error)
{
  BndQueuedRating *rating;

  g_return_val_if_fail (BND_IS_STORE (self), FALSE);
  g_return_val_if_fail (dossier != NULL && scores_json != NULL, FALSE);

  rating = g_new0 (BndQueuedRating, 1);
  rating->dossier = g_strdup (dossier);
  rating->scores = g_strdup (scores_json);
  rating->comment = g_strdup (comment ? comment : "");
  /* Microseconds, as for votes: a rating changed within a second is still the newer one. */
  rating->rated_at = g_get_real_time ();
  return _bnd_store_run_sync (self, queue_rating_job, rating, (GDestroyNotify)bnd_queued_rating_free, error) != NULL;
}

static gpointer
list_ratings_job (BndStore  *self,
                  gpointer   data,
                  GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *ratings;

  if (!(stmt = _bnd_store_prepare (self, "SELECT dossier, scores, comment, rated_at, state, message FROM queued_ratings "
                                         "ORDER BY rated_at", error)))
    return NULL;
  ratings = g_ptr_array_new_with_free_func ((GDestroyNotify)bnd_queued_rating_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      BndQueuedRating *rating = g_new0 (BndQueuedRating, 1);

      rating->dossier = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      rating->scores = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
      rating->comment = g_strdup ((const char *)sqlite3_column_text (stmt, 2));
      rating->rated_at = sqlite3_column_int64 (stmt, 3);
      rating->state = g_strdup ((const char *)sqlite3_column_text (stmt, 4));
      rating->message = g_strdup ((const char *)sqlite3_column_text (stmt, 5));
      g_ptr_array_add (ratings, rating);
    }
  return ratings;
}

/**
 * bnd_store_list_ratings:
 *
 * Returns: (transfer container): every rating given from this profile, queued, counted or
 *   refused, oldest first
 */
GPtrArray *
bnd_store_list_ratings (BndStore  *self,
                        GError   **error)
{
  g_return_val_if_fail (BND_IS_STORE (self), NULL);
  return _bnd_store_run_sync (self, list_ratings_job, NULL, NULL, error);
}

static gpointer
settle_rating_job (BndStore  *self,
                   gpointer   data,
                   GError   **error)
{
  BndQueuedRating *rating = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  /* Only the rating that was sent: one given again meanwhile stays queued. */
  if (!(stmt = _bnd_store_prepare (self, "UPDATE queued_ratings SET state = ?3, message = ?4 "
                                         "WHERE dossier = ?1 AND rated_at = ?2", error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, rating->dossier, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, rating->rated_at);
  sqlite3_bind_text (stmt, 3, rating->state, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, rating->message, -1, SQLITE_STATIC);
  return _bnd_store_step_done (self, stmt, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

/**
 * bnd_store_settle_rating:
 * @rating: as listed, with state set to "counted" or "refused" (and the server's message)
 */
gboolean
bnd_store_settle_rating (BndStore               *self,
                         const BndQueuedRating  *rating,
                         GError                **error)
{
  BndQueuedRating *copy;

  g_return_val_if_fail (BND_IS_STORE (self), FALSE);

  copy = g_new0 (BndQueuedRating, 1);
  copy->dossier = g_strdup (rating->dossier);
  copy->rated_at = rating->rated_at;
  copy->state = g_strdup (rating->state);
  copy->message = g_strdup (rating->message);
  return _bnd_store_run_sync (self, settle_rating_job, copy, (GDestroyNotify)bnd_queued_rating_free, error) != NULL;
}

void
bnd_queued_rating_free (BndQueuedRating *rating)
{
  if (rating == NULL)
    return;
  g_free (rating->dossier);
  g_free (rating->scores);
  g_free (rating->comment);
  g_free (rating->state);
  g_free (rating->message);
  g_free (rating);
}
