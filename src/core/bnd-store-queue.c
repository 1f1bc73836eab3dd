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
#include <string.h>

#include "bnd-store.h"
#include "bnd-store-private.h"

/* A vote or rating is given by an account: the one the profile is signed in as when it is
 * given (the meta keys server_url and server_user, which the sign-in of the app and of the
 * command-line tool write). It is kept with that account, and a sync sends it only under that
 * account: a profile may be signed in as someone else by then. Each account has its own vote
 * and rating per dossier. */

/* The account the profile is signed in as, in a job; FALSE with @error if none. */
static gboolean
current_account (BndStore   *self,
                 char      **url,
                 char      **user,
                 GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = _bnd_store_prepare (self, "SELECT u.value, n.value FROM meta u, meta n "
                                         "WHERE u.key = 'server_url' AND n.key = 'server_user'", error)))
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_text (stmt, 0) == NULL ||
      sqlite3_column_text (stmt, 1) == NULL)
    {
      g_set_error_literal (error, BND_STORE_ERROR, BND_STORE_ERROR_NO_ACCOUNT,
                           _("Sign in to the server first: a vote or rating is kept for the account that gives it"));
      return FALSE;
    }
  *url = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  *user = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
  return TRUE;
}

/* The rows of the account signed in now (?1 = 1), or all of them (?1 = 0). */
#define OWN_ONLY \
  "(?1 = 0 OR (account_url = (SELECT value FROM meta WHERE key = 'server_url') " \
  "AND account_user = (SELECT value FROM meta WHERE key = 'server_user')))"

/* Votes for the circulation vote */

static gpointer
queue_vote_job (BndStore  *self,
                gpointer   data,
                GError   **error)
{
  BndQueuedVote *vote = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!current_account (self, &vote->account_url, &vote->account_user, error))
    return NULL;
  if (!(stmt = _bnd_store_prepare (self, "INSERT INTO queued_votes (dossier, account_url, account_user, choice, comment, "
                                         "cast_at, state, message) VALUES (?1, ?5, ?6, ?2, ?3, ?4, 'queued', NULL) "
                                         "ON CONFLICT (dossier, account_url, account_user) DO UPDATE "
                                         "SET choice = ?2, comment = ?3, cast_at = ?4, state = 'queued', message = NULL",
                                   error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, vote->dossier, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, vote->choice, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, vote->comment, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, vote->cast_at);
  sqlite3_bind_text (stmt, 5, vote->account_url, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, vote->account_user, -1, SQLITE_STATIC);
  return _bnd_store_step_done (self, stmt, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

/**
 * bnd_store_queue_vote:
 * @choice: "yes", "no" or "abstain"
 *
 * Keeps the vote, for the account the profile is signed in as, until a sync hands it to the
 * server under that account; a later vote of the account on the same dossier replaces it (the
 * server lets a vote change until the close). Without an account signed in it is refused with
 * %BND_STORE_ERROR_NO_ACCOUNT.
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

  if (!(stmt = _bnd_store_prepare (self, "SELECT dossier, choice, comment, cast_at, state, message, account_url, "
                                         "account_user FROM queued_votes WHERE " OWN_ONLY " ORDER BY cast_at", error)))
    return NULL;
  sqlite3_bind_int (stmt, 1, GPOINTER_TO_INT (data));
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
      vote->account_url = g_strdup ((const char *)sqlite3_column_text (stmt, 6));
      vote->account_user = g_strdup ((const char *)sqlite3_column_text (stmt, 7));
      g_ptr_array_add (votes, vote);
    }
  return votes;
}

/**
 * bnd_store_list_votes:
 *
 * Returns: (transfer container): every vote cast in this profile, by any account, queued,
 *   counted or refused
 */
GPtrArray *
bnd_store_list_votes (BndStore  *self,
                      GError   **error)
{
  g_return_val_if_fail (BND_IS_STORE (self), NULL);
  return _bnd_store_run_sync (self, list_votes_job, GINT_TO_POINTER (FALSE), NULL, error);
}

/**
 * bnd_store_list_own_votes:
 *
 * Returns: (transfer container): the votes of the account the profile is signed in as now
 */
GPtrArray *
bnd_store_list_own_votes (BndStore  *self,
                          GError   **error)
{
  g_return_val_if_fail (BND_IS_STORE (self), NULL);
  return _bnd_store_run_sync (self, list_votes_job, GINT_TO_POINTER (TRUE), NULL, error);
}

static gpointer
settle_vote_job (BndStore  *self,
                 gpointer   data,
                 GError   **error)
{
  BndQueuedVote *vote = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  /* Only the vote that was sent: one cast again meanwhile stays queued. */
  if (!(stmt = _bnd_store_prepare (self, "UPDATE queued_votes SET state = ?3, message = ?4 WHERE dossier = ?1 "
                                         "AND cast_at = ?2 AND account_url = ?5 AND account_user = ?6", error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, vote->dossier, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, vote->cast_at);
  sqlite3_bind_text (stmt, 3, vote->state, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, vote->message, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, vote->account_url, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, vote->account_user, -1, SQLITE_STATIC);
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
  copy->account_url = g_strdup (vote->account_url);
  copy->account_user = g_strdup (vote->account_user);
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
  g_free (vote->account_url);
  g_free (vote->account_user);
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

  if (!current_account (self, &rating->account_url, &rating->account_user, error))
    return NULL;
  if (!(stmt = _bnd_store_prepare (self, "INSERT INTO queued_ratings (dossier, account_url, account_user, scores, comment, "
                                         "rated_at, state, message) VALUES (?1, ?5, ?6, ?2, ?3, ?4, 'queued', NULL) "
                                         "ON CONFLICT (dossier, account_url, account_user) DO UPDATE "
                                         "SET scores = ?2, comment = ?3, rated_at = ?4, state = 'queued', message = NULL",
                                   error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, rating->dossier, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, rating->scores, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, rating->comment, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, rating->rated_at);
  sqlite3_bind_text (stmt, 5, rating->account_url, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, rating->account_user, -1, SQLITE_STATIC);
  return _bnd_store_step_done (self, stmt, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

/**
 * bnd_store_queue_rating:
 * @scores_json: a JSON object, criterion → score
 *
 * Keeps the rating for the account signed in, as bnd_store_queue_vote() does a vote; a later
 * rating of the account of the same dossier replaces it (the server lets an organisation change
 * its rating until the round ends).
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

  if (!(stmt = _bnd_store_prepare (self, "SELECT dossier, scores, comment, rated_at, state, message, account_url, "
                                         "account_user FROM queued_ratings WHERE " OWN_ONLY " ORDER BY rated_at", error)))
    return NULL;
  sqlite3_bind_int (stmt, 1, GPOINTER_TO_INT (data));
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
      rating->account_url = g_strdup ((const char *)sqlite3_column_text (stmt, 6));
      rating->account_user = g_strdup ((const char *)sqlite3_column_text (stmt, 7));
      g_ptr_array_add (ratings, rating);
    }
  return ratings;
}

/**
 * bnd_store_list_ratings:
 *
 * Returns: (transfer container): every rating given in this profile, by any account, queued,
 *   counted or refused, oldest first
 */
GPtrArray *
bnd_store_list_ratings (BndStore  *self,
                        GError   **error)
{
  g_return_val_if_fail (BND_IS_STORE (self), NULL);
  return _bnd_store_run_sync (self, list_ratings_job, GINT_TO_POINTER (FALSE), NULL, error);
}

/**
 * bnd_store_list_own_ratings:
 *
 * Returns: (transfer container): the ratings of the account the profile is signed in as now
 */
GPtrArray *
bnd_store_list_own_ratings (BndStore  *self,
                            GError   **error)
{
  g_return_val_if_fail (BND_IS_STORE (self), NULL);
  return _bnd_store_run_sync (self, list_ratings_job, GINT_TO_POINTER (TRUE), NULL, error);
}

static gpointer
settle_rating_job (BndStore  *self,
                   gpointer   data,
                   GError   **error)
{
  BndQueuedRating *rating = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  /* Only the rating that was sent: one given again meanwhile stays queued. */
  if (!(stmt = _bnd_store_prepare (self, "UPDATE queued_ratings SET state = ?3, message = ?4 WHERE dossier = ?1 "
                                         "AND rated_at = ?2 AND account_url = ?5 AND account_user = ?6", error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, rating->dossier, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, rating->rated_at);
  sqlite3_bind_text (stmt, 3, rating->state, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, rating->message, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, rating->account_url, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, rating->account_user, -1, SQLITE_STATIC);
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
  copy->account_url = g_strdup (rating->account_url);
  copy->account_user = g_strdup (rating->account_user);
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
  g_free (rating->account_url);
  g_free (rating->account_user);
  g_free (rating->scores);
  g_free (rating->comment);
  g_free (rating->state);
  g_free (rating->message);
  g_free (rating);
}

/* The length of @url without slashes at its end */
static gsize
url_length (const char *url)
{
  gsize length = strlen (url);

  while (length > 0 && url[length - 1] == '/')
    length--;
  return length;
}

/**
 * bnd_store_is_account:
 * @url: (nullable): a server, as the sign-in gave it
 * @user: (nullable): a user name there
 * @account_url: (nullable): the server a vote or rating was given on
 * @account_user: (nullable): and the user who gave it
 *
 * Whether the two are one account; a slash at the end of an address does not count.
 */
gboolean
bnd_store_is_account (const char *url,
                      const char *user,
                      const char *account_url,
                      const char *account_user)
{
  if (url == NULL || user == NULL || account_url == NULL || account_user == NULL ||
      !g_str_equal (user, account_user))
    return FALSE;
  return url_length (url) == url_length (account_url) && strncmp (url, account_url, url_length (url)) == 0;
}
