/* bnd-sync-ballots.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-sync"

#include "config.h"

#include <json-glib/json-glib.h>

#include "bnd-sync.h"
#include "bnd-sync-private.h"

/* The last part of a sync: the votes and ratings queued in the profile (offline, or while the
 * sketches did not yet agree) handed to the server, each once, under the account that gave it. */

/* The JSON object a GET of @path answers, or NULL: to check whether a lost answer had counted. */
static JsonObject *
get_object (BndSyncClient  *client,
            const char     *path,
            JsonNode      **root)
{
  g_autoptr(GBytes) answer = NULL;
  guint status;

  if (!(answer = _bnd_sync_send_request (client, "GET", path, NULL, NULL, NULL, &status, NULL)) || status != 200)
    return NULL;
  return _bnd_sync_parse_answer (answer, root);
}

static JsonObject *
element_object (JsonArray *array,
                guint      index)
{
  JsonNode *element = json_array_get_element (array, index);

  return JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
}

/* Whether the server holds @vote as the own organisation's ballot. */
static gboolean
vote_was_counted (BndSyncClient *client,
                  const char    *path,
                  gconstpointer  item)
{
  const BndQueuedVote *vote = item;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = get_object (client, path, &root);
  JsonArray *ballots;

  if (object == NULL || !json_object_has_member (object, "ballots") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "ballots")))
    return FALSE;
  ballots = json_object_get_array_member (object, "ballots");
  /* Before the close only the own organisation's ballot is listed; after it, all of them, so
   * this only answers yes for a ballot equal in choice and comment. */
  for (guint i = 0; i < json_array_get_length (ballots); i++)
    {
      JsonObject *ballot = element_object (ballots, i);

      if (ballot && g_strcmp0 (json_object_get_string_member_with_default (ballot, "choice", NULL), vote->choice) == 0 &&
          g_strcmp0 (json_object_get_string_member_with_default (ballot, "comment", NULL), vote->comment) == 0 &&
          json_object_has_member (object, "own_org") &&
          g_strcmp0 (json_object_get_string_member_with_default (object, "own_org", NULL),
                     json_object_get_string_member_with_default (ballot, "org", "")) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The same criteria with the same whole numbers. */
static gboolean
same_scores (JsonObject *a,
             JsonObject *b)
{
  g_autoptr(GList) members = json_object_get_members (a);

  if (json_object_get_size (a) != json_object_get_size (b))
    return FALSE;
  for (GList *l = members; l; l = l->next)
    {
      JsonNode *mine = json_object_get_member (a, l->data);
      JsonNode *theirs = json_object_get_member (b, l->data);

      if (theirs == NULL || !JSON_NODE_HOLDS_VALUE (mine) || !JSON_NODE_HOLDS_VALUE (theirs) ||
          json_node_get_value_type (mine) != G_TYPE_INT64 || json_node_get_value_type (theirs) != G_TYPE_INT64 ||
          json_node_get_int (mine) != json_node_get_int (theirs))
        return FALSE;
    }
  return TRUE;
}

/* Whether the server holds @rating as the own organisation's. */
static gboolean
rating_was_counted (BndSyncClient *client,
                    const char    *path,
                    gconstpointer  item)
{
  const BndQueuedRating *rating = item;
  g_autofree char *list_path = g_strconcat (path, "s", NULL);   /* …/rating → …/ratings */
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) scores = json_from_string (rating->scores, NULL);
  JsonObject *object = get_object (client, list_path, &root);
  const char *own_org = object ? json_object_get_string_member_with_default (object, "own_org", NULL) : NULL;
  JsonArray *ratings;

  if (own_org == NULL || scores == NULL || !JSON_NODE_HOLDS_OBJECT (scores) ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "ratings")))
    return FALSE;
  ratings = json_object_get_array_member (object, "ratings");
  for (guint i = 0; i < json_array_get_length (ratings); i++)
    {
      JsonObject *given = element_object (ratings, i);
      JsonNode *given_scores = given ? json_object_get_member (given, "scores") : NULL;

      if (given && g_strcmp0 (json_object_get_string_member_with_default (given, "org", NULL), own_org) == 0 &&
          g_strcmp0 (json_object_get_string_member_with_default (given, "comment", NULL), rating->comment) == 0 &&
          given_scores && JSON_NODE_HOLDS_OBJECT (given_scores) &&
          same_scores (json_node_get_object (scores), json_node_get_object (given_scores)))
        return TRUE;
    }
  return FALSE;
}

typedef gboolean (*CountedFunc) (BndSyncClient *client,
                                 const char    *path,
                                 gconstpointer  item);

/* Hands one queued vote or rating (@item) to the server with PUT @path. The server counts it or
 * refuses it for good (forbidden, unknown, invalid, closed); a round that closed may still have
 * counted it if only the answer was lost, which @was_counted asks. Anything else (no round open
 * yet, too many requests) leaves it queued: @state stays NULL. Offline, a 5xx or a lost sign-in
 * stop the sync with @error; it stays queued then too.
 *
 * Returns: FALSE with @error set when the sync must stop */
static gboolean
deliver (BndSyncClient  *client,
         const char     *path,
         JsonNode       *body,
         CountedFunc     was_counted,
         gconstpointer   item,
         const char    **state,
         char          **message,
         GError        **error)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GBytes) request = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  const char *code;
  guint status;
  char *text;
  gsize length;

  *state = NULL;
  *message = NULL;
  json_generator_set_root (generator, body);
  text = json_generator_to_data (generator, &length);
  request = g_bytes_new_take (text, length);

  if (!(answer = _bnd_sync_send_request (client, "PUT", path, "application/json", request, NULL, &status, error)))
    return FALSE;
  if (status == 401 || status >= 500)
    return _bnd_sync_refused (answer, status, error);
  object = status == 200 ? NULL : _bnd_sync_parse_answer (answer, &root);
  code = object ? json_object_get_string_member_with_default (object, "error", "") : "";

  if (status == 200 || (g_str_equal (code, "closed") && was_counted (client, path, item)))
    *state = "counted";
  else if (status == 403 || status == 404 || status == 422 || g_str_equal (code, "closed"))
    {
      *state = "refused";
      *message = _bnd_sync_refusal_message (status, object);
    }
  return TRUE;
}

/* Queued votes go to the server once the sketches agree; either way the profile keeps each with
 * what became of it. Only the votes of @user, the account signed in now, go: another account's
 * stay queued until it signs in again. */
gboolean
_bnd_sync_push_votes (BndSyncClient  *client,
                      BndStore       *store,
                      const char     *user,
                      BndSyncReport  *report,
                      GError        **error)
{
  g_autoptr(GPtrArray) votes = bnd_store_list_votes (store, error);

  if (votes == NULL)
    return FALSE;
  for (guint i = 0; i < votes->len; i++)
    {
      BndQueuedVote *vote = g_ptr_array_index (votes, i);
      g_autoptr(JsonBuilder) builder = NULL;
      g_autoptr(JsonNode) body = NULL;
      g_autofree char *path = NULL;
      const char *state;

      if (!g_str_equal (vote->state, "queued"))
        continue;
      if (!bnd_store_is_account (client->url, user, vote->account_url, vote->account_user))
        {
          report->votes_held++;
          continue;
        }

      builder = json_builder_new ();
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "choice");
      json_builder_add_string_value (builder, vote->choice);
      json_builder_set_member_name (builder, "comment");
      json_builder_add_string_value (builder, vote->comment);
      json_builder_end_object (builder);
      body = json_builder_get_root (builder);
      path = g_strdup_printf ("/dossiers/%s/vote", vote->dossier);

      g_clear_pointer (&vote->message, g_free);
      if (!deliver (client, path, body, vote_was_counted, vote, &state, &vote->message, error))
        return FALSE;
      if (state == NULL)
        continue;
      g_free (vote->state);
      vote->state = g_strdup (state);
      if (g_str_equal (state, "counted"))
        report->votes_counted++;
      else
        report->votes_refused++;
      if (!bnd_store_settle_vote (store, vote, error))
        return FALSE;
    }
  return TRUE;
}

/* Queued ratings, after the votes and just like them. */
gboolean
_bnd_sync_push_ratings (BndSyncClient  *client,
                        BndStore       *store,
                        const char     *user,
                        BndSyncReport  *report,
                        GError        **error)
{
  g_autoptr(GPtrArray) ratings = bnd_store_list_ratings (store, error);

  if (ratings == NULL)
    return FALSE;
  for (guint i = 0; i < ratings->len; i++)
    {
      BndQueuedRating *rating = g_ptr_array_index (ratings, i);
      g_autoptr(JsonNode) scores = NULL;
      g_autoptr(JsonBuilder) builder = NULL;
      g_autoptr(JsonNode) body = NULL;
      g_autofree char *path = NULL;
      const char *state;

      if (!g_str_equal (rating->state, "queued"))
        continue;
      if (!bnd_store_is_account (client->url, user, rating->account_url, rating->account_user))
        {
          report->ratings_held++;
          continue;
        }

      /* The server decides on the scores; a text that is no JSON object goes as an empty one. */
      scores = json_from_string (rating->scores, NULL);
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "scores");
      if (scores && JSON_NODE_HOLDS_OBJECT (scores))
        json_builder_add_value (builder, g_steal_pointer (&scores));
      else
        {
          json_builder_begin_object (builder);
          json_builder_end_object (builder);
        }
      json_builder_set_member_name (builder, "comment");
      json_builder_add_string_value (builder, rating->comment);
      json_builder_end_object (builder);
      body = json_builder_get_root (builder);
      path = g_strdup_printf ("/dossiers/%s/rating", rating->dossier);

      g_clear_pointer (&rating->message, g_free);
      if (!deliver (client, path, body, rating_was_counted, rating, &state, &rating->message, error))
        return FALSE;
      if (state == NULL)
        continue;
      g_free (rating->state);
      rating->state = g_strdup (state);
      if (g_str_equal (state, "counted"))
        report->ratings_counted++;
      else
        report->ratings_refused++;
      if (!bnd_store_settle_rating (store, rating, error))
        return FALSE;
    }
  return TRUE;
}
