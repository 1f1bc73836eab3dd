/* bnd-dossier-cache.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-dossier-cache"

#include "config.h"

#include <glib/gi18n.h>

#include "bnd-dossier-cache.h"
#include "bnd-json-check.h"
#include "bnd-sync.h"

/* The dossier views, My tasks and the reminders read what the server last said, so that the
 * partners can read, rate and vote on the train. After each sync this fetches it again: who is
 * signed in, the portfolio and, for every submitted sketch, its assessment, thread, trail,
 * attachments, ratings and vote. Attachments and statements never change once stored, so each
 * is fetched once. */

/* "": the dossier itself, with its procedure (the facts the rules ask, see bnd-dossier-steps.c),
 * consultation and number of submissions. */
static const char *dossier_parts[] = {
  "", "submissions", "assessment", "comments", "audit", "attachments", "ratings", "vote",
};

/* Stages at which the Lenkungskreis statement exists. */
static const char *statement_stages[] = {
  "statement", "application", "approved", "rejected", NULL,
};

char *
bnd_dossier_cache_path (const char *dossier,
                        const char *what)
{
  if (*what == 0)
    return g_strdup_printf ("/dossiers/%s", dossier);
  return g_strdup_printf ("/dossiers/%s/%s", dossier, what);
}

/* The path of the PDF that was submitted for @dossier. */
char *
bnd_dossier_cache_sketch_path (const char *dossier)
{
  return g_strdup_printf ("/sketches/%s/pdf", dossier);
}

/* The path of the PDF of the @n-th submission of @dossier. */
char *
bnd_dossier_cache_submission_path (const char *dossier,
                                   gint64      n)
{
  return g_strdup_printf ("/dossiers/%s/submissions/%lld", dossier, (long long)n);
}

/* The path of the PDF of @attachment, an entry of the dossier's attachment list. */
char *
bnd_dossier_cache_attachment_path (const char *dossier,
                                   JsonObject *attachment)
{
  return g_strdup_printf ("/dossiers/%s/attachments/%lld", dossier,
                          (long long)json_object_get_int_member_with_default (attachment, "id", 0));
}

/* Fetches @path into the cache. A 403 or 404 (no assessment yet, not allowed to see the
 * portfolio) is not a failure: the cache keeps what it had. */
static gboolean
refresh_one (SoupSession  *session,
             BndStore     *store,
             const char   *url,
             const char   *token,
             const char   *path,
             gboolean      once,
             GError      **error)
{
  g_autoptr(GBytes) kept = NULL;
  g_autoptr(GBytes) body = NULL;
  guint status = 0;

  if (once && (kept = bnd_store_cache_get (store, path)))
    return TRUE;
  if (!(body = bnd_sync_fetch (session, url, token, path, &status, error)))
    return FALSE;
  if (status == 401)
    {
      g_set_error (error, BND_SYNC_ERROR, BND_SYNC_ERROR_NOT_SIGNED_IN, _("The server no longer knows this sign-in"));
      return FALSE;
    }
  if (status != 200)
    return TRUE;
  return bnd_store_cache_put (store, path, body, error);
}

/**
 * bnd_dossier_cache_list_dossiers:
 *
 * Returns: (transfer container) (element-type BndSketchSummary): the submitted sketches in the
 *   profile, newest change first
 */
GPtrArray *
bnd_dossier_cache_list_dossiers (BndStore  *store,
                                 GError   **error)
{
  BndStoreQuery query = { 0 };
  g_autoptr(GPtrArray) sketches = bnd_store_list (store, &query, error);
  GPtrArray *dossiers;

  if (sketches == NULL)
    return NULL;
  dossiers = g_ptr_array_new_with_free_func ((GDestroyNotify)bnd_sketch_summary_free);
  /* From the end, so that taking one out moves none of those still to come. */
  for (guint i = sketches->len; i-- > 0;)
    {
      BndSketchSummary *summary = g_ptr_array_index (sketches, i);

      if (summary->stage && !g_str_equal (summary->stage, "draft"))
        g_ptr_array_insert (dossiers, 0, g_ptr_array_steal_index (sketches, i));
    }
  return dossiers;
}

/**
 * bnd_dossier_cache_refresh:
 *
 * Brings the cached dossier data up to date. Run it in a thread: it makes a few calls per dossier.
 */
gboolean
bnd_dossier_cache_refresh (BndStore    *store,
                           const char  *url,
                           const char  *token,
                           GError     **error)
{
  g_autoptr(SoupSession) session = bnd_sync_session_new ();
  g_autoptr(GPtrArray) dossiers = NULL;

  if (!refresh_one (session, store, url, token, "/me", FALSE, error) ||
      !refresh_one (session, store, url, token, "/portfolio", FALSE, error) ||
      /* The Lenkungskreis sessions this account sees, for the app's Sessions view offline. */
      !refresh_one (session, store, url, token, "/sessions", FALSE, error) ||
      !(dossiers = bnd_dossier_cache_list_dossiers (store, error)))
    return FALSE;

  for (guint i = 0; i < dossiers->len; i++)
    {
      BndSketchSummary *dossier = g_ptr_array_index (dossiers, i);
      g_autofree char *attachments_path = bnd_dossier_cache_path (dossier->uuid, "attachments");
      g_autoptr(JsonNode) attachments = NULL;
      JsonArray *list = NULL;

      for (guint p = 0; p < G_N_ELEMENTS (dossier_parts); p++)
        {
          g_autofree char *path = bnd_dossier_cache_path (dossier->uuid, dossier_parts[p]);

          if (!refresh_one (session, store, url, token, path, FALSE, error))
            return FALSE;
        }

      attachments = bnd_dossier_cache_get_json (store, attachments_path);
      if (attachments && JSON_NODE_HOLDS_OBJECT (attachments) &&
          json_object_has_member (json_node_get_object (attachments), "attachments"))
        list = json_object_get_array_member (json_node_get_object (attachments), "attachments");
      for (guint a = 0; list && a < json_array_get_length (list); a++)
        {
          JsonObject *attachment = json_array_get_object_element (list, a);
          g_autofree char *path = NULL;

          if (attachment == NULL)
            continue;
          path = bnd_dossier_cache_attachment_path (dossier->uuid, attachment);
          if (!refresh_one (session, store, url, token, path, TRUE, error))
            return FALSE;
        }

      /* Each submission's PDF, kept as it was (a resubmission adds one, replacing none), and what
       * changed between the last two. */
      {
        g_autofree char *submissions_path = bnd_dossier_cache_path (dossier->uuid, "submissions");
        g_autoptr(JsonNode) submissions = bnd_dossier_cache_get_json (store, submissions_path);
        JsonArray *numbered = bnd_json_array_of (bnd_json_as_object (submissions), "submissions");
        guint n = numbered ? json_array_get_length (numbered) : 0;

        for (guint s = 0; s < n; s++)
          {
            JsonObject *submission = json_array_get_object_element (numbered, s);
            g_autofree char *path = NULL;

            if (submission == NULL)
              continue;
            path = bnd_dossier_cache_submission_path (dossier->uuid,
                                                      json_object_get_int_member_with_default (submission, "n", 0));
            if (!refresh_one (session, store, url, token, path, TRUE, error))
              return FALSE;
          }
        if (n >= 2)
          {
            g_autofree char *path = bnd_dossier_cache_path (dossier->uuid, "submissions/diff");

            if (!refresh_one (session, store, url, token, path, FALSE, error))
              return FALSE;
          }
      }

      /* The sketch as submitted: a submission is never replaced. */
      {
        g_autofree char *path = bnd_dossier_cache_sketch_path (dossier->uuid);

        if (!refresh_one (session, store, url, token, path, TRUE, error))
          return FALSE;
      }

      if (g_strv_contains (statement_stages, dossier->stage))
        {
          g_autofree char *path = bnd_dossier_cache_path (dossier->uuid, "statement");

          if (!refresh_one (session, store, url, token, path, TRUE, error))
            return FALSE;
        }
    }
  return TRUE;
}

/**
 * bnd_dossier_cache_find_carrier:
 * @portfolio: (nullable): the cached "/portfolio"
 *
 * Returns: (nullable): the organisation that carries @dossier, as the portfolio lists it
 */
const char *
bnd_dossier_cache_find_carrier (JsonNode   *portfolio,
                                const char *dossier)
{
  JsonArray *dossiers = bnd_json_array_of (bnd_json_as_object (portfolio), "dossiers");

  for (guint i = 0; dossiers && i < json_array_get_length (dossiers); i++)
    {
      JsonObject *entry = json_array_get_object_element (dossiers, i);

      if (entry && g_strcmp0 (json_object_get_string_member_with_default (entry, "uuid", NULL), dossier) == 0)
        return json_object_get_string_member_with_default (entry, "org", NULL);
    }
  return NULL;
}

/**
 * bnd_dossier_cache_find_ballot:
 * @vote: (nullable): a dossier's cached vote
 *
 * Before the close the server lists only the asking organisation's ballot, and only if that
 * organisation is entitled; its choice is null until it has voted.
 *
 * Returns: (nullable): the ballot of @org
 */
JsonObject *
bnd_dossier_cache_find_ballot (JsonObject *vote,
                               const char *org)
{
  JsonArray *ballots = bnd_json_array_of (vote, "ballots");

  for (guint i = 0; ballots && i < json_array_get_length (ballots); i++)
    {
      JsonObject *ballot = json_array_get_object_element (ballots, i);

      if (ballot && g_strcmp0 (json_object_get_string_member_with_default (ballot, "org", NULL), org) == 0)
        return ballot;
    }
  return NULL;
}

static void
add_cached (GChecksum  *checksum,
            BndStore   *store,
            const char *dossier,
            const char *part)
{
  g_autofree char *path = bnd_dossier_cache_path (dossier, part);
  g_autoptr(GBytes) body = bnd_store_cache_get (store, path);

  g_checksum_update (checksum, (const guchar *)"|", 1);
  if (body)
    g_checksum_update (checksum, g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

/**
 * bnd_dossier_cache_fingerprint:
 * @stage: the dossier's stage in the profile
 *
 * Changes whenever anything a dossier's page shows changes: its stage, the server's answers
 * about it, and what became of the votes and ratings queued for it. A page that is shown again
 * after a sync only needs building anew when this changed.
 *
 * Returns: (transfer full): the fingerprint
 */
char *
bnd_dossier_cache_fingerprint (BndStore   *store,
                               const char *dossier,
                               const char *stage)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GPtrArray) votes = bnd_store_list_own_votes (store, NULL);
  g_autoptr(GPtrArray) ratings = bnd_store_list_own_ratings (store, NULL);

  g_checksum_update (checksum, (const guchar *)(stage ? stage : ""), -1);
  for (guint p = 0; p < G_N_ELEMENTS (dossier_parts); p++)
    add_cached (checksum, store, dossier, dossier_parts[p]);
  add_cached (checksum, store, dossier, "statement");
  add_cached (checksum, store, dossier, "submissions/diff");
  for (guint i = 0; votes && i < votes->len; i++)
    {
      BndQueuedVote *vote = g_ptr_array_index (votes, i);

      if (g_str_equal (vote->dossier, dossier))
        g_checksum_update (checksum, (const guchar *)vote->state, -1);
    }
  for (guint i = 0; ratings && i < ratings->len; i++)
    {
      BndQueuedRating *rating = g_ptr_array_index (ratings, i);

      if (g_str_equal (rating->dossier, dossier))
        g_checksum_update (checksum, (const guchar *)rating->state, -1);
    }
  return g_strdup (g_checksum_get_string (checksum));
}

/**
 * bnd_dossier_cache_get_json:
 *
 * Returns: (transfer full) (nullable): the cached answer for @path, if there is one and it is JSON
 */
JsonNode *
bnd_dossier_cache_get_json (BndStore   *store,
                            const char *path)
{
  g_autoptr(GBytes) body = bnd_store_cache_get (store, path);
  g_autoptr(JsonParser) parser = NULL;
  const char *data;
  gsize size;

  if (body == NULL)
    return NULL;
  data = g_bytes_get_data (body, &size);
  if (!bnd_json_check_limits (data, size, BND_JSON_MAX_DEPTH, NULL))
    return NULL;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, size, NULL))
    return NULL;
  return json_parser_steal_root (parser);
}
