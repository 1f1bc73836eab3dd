/* bnd-sync.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "bnd-api-error.h"
#include "bnd-json-check.h"
#include "bnd-merge.h"
#include "bnd-pdf-renderer.h"
#include "bnd-procedure.h"
#include "bnd-refusal.h"
#include "bnd-sync.h"
#include "bnd-sync-private.h"

/* Offline-first sync of a profile with buendnis-server: pull the changes since the last sequence
 * number, merge them three-way with local edits, then push what is dirty with If-Match and an
 * idempotency key. A push that may have reached the server is retried with the same key and the
 * same body before anything newer, so a broken connection never writes twice; a revision
 * mismatch pulls and merges again. The calls block: the command-line tool runs them directly,
 * the application on a worker thread. */

#define MAX_ROUNDS 5

G_DEFINE_QUARK (bnd-sync-error-quark, bnd_sync_error)

JsonObject *
_bnd_sync_parse_answer (GBytes    *answer,
                        JsonNode **root)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size;
  const char *data = g_bytes_get_data (answer, &size);

  /* A server is not trusted with our stack: see bnd_json_check_limits() */
  if (!bnd_json_check_limits (data, size, BND_JSON_MAX_DEPTH, NULL) ||
      !json_parser_load_from_data (parser, data, size, NULL) ||
      /* white space alone is a document without a root */
      json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  *root = json_parser_steal_root (parser);
  return json_node_get_object (*root);
}

/* What to tell the user about a refusal (@object being the answer), in their language. */
char *
_bnd_sync_refusal_message (guint       status,
                           JsonObject *object)
{
  return bnd_api_error_from_answer (status, object);
}

gboolean
_bnd_sync_refused (GBytes  *answer,
                   guint    status,
                   GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = answer ? _bnd_sync_parse_answer (answer, &root) : NULL;

  g_autofree char *message = _bnd_sync_refusal_message (status, object);

  g_set_error_literal (error, BND_SYNC_ERROR,
                       status == 401 ? BND_SYNC_ERROR_NOT_SIGNED_IN
                       : status == 404 ? BND_SYNC_ERROR_NOT_FOUND : BND_SYNC_ERROR_REFUSED,
                       message);
  return FALSE;
}

/**
 * bnd_sync_login:
 *
 * Returns: (transfer full) (nullable): the bearer token
 */
char *
bnd_sync_login (const char  *url,
                const char  *user,
                const char  *password,
                GError     **error)
{
  g_autoptr(SoupSession) session = bnd_sync_session_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GBytes) body = NULL;
  BndSyncClient client = { session, url, NULL };
  JsonObject *object;
  char *text;
  guint status;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "user");
  json_builder_add_string_value (builder, user);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  request = json_builder_get_root (builder);
  json_generator_set_root (generator, request);
  text = json_generator_to_data (generator, NULL);
  body = g_bytes_new_take (text, strlen (text));

  if (!(answer = _bnd_sync_send_request (&client, "POST", "/login", "application/json", body, NULL, &status, error)))
    return NULL;
  if (status != 200 || !(object = _bnd_sync_parse_answer (answer, &root)) ||
      !JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "token") ? json_object_get_member (object, "token")
                                                                       : json_node_new (JSON_NODE_NULL)) ||
      json_object_get_string_member_with_default (object, "token", NULL) == NULL)
    {
      _bnd_sync_refused (answer, status, error);
      return NULL;
    }
  return g_strdup (json_object_get_string_member (object, "token"));
}

gboolean
bnd_sync_logout (const char  *url,
                 const char  *token,
                 GError     **error)
{
  g_autoptr(SoupSession) session = bnd_sync_session_new ();
  g_autoptr(GBytes) body = g_bytes_new_static ("{}", 2);
  g_autoptr(GBytes) answer = NULL;
  BndSyncClient client = { session, url, token };
  guint status;

  if (!(answer = _bnd_sync_send_request (&client, "POST", "/logout", "application/json", body, NULL, &status, error)))
    return FALSE;
  return status == 200 || _bnd_sync_refused (answer, status, error);
}

static BndSketch *
sketch_from_text (const char  *text,
                  BndStrategy *strategy,
                  GError     **error)
{
  return bnd_sketch_new_from_data (text, strlen (text), "server", strategy, error);
}

/* Where the writes of applying changes go: to the store at once, or into @batch, which the
 * caller then writes in one transaction (a page of changes). */
typedef struct
{
  BndStore     *store;
  BndSyncBatch *batch;
} Writer;

/* bnd_store_apply_sync(); @data is bnd_sketch_to_data() of @sketch when the caller has it */
static gboolean
write_sync (Writer             *writer,
            BndSketch          *sketch,
            const char         *data,
            const BndSyncState *state,
            GError            **error)
{
  if (writer->batch == NULL)
    return bnd_store_apply_sync (writer->store, sketch, state, error);
  bnd_sync_batch_add_sketch (writer->batch, sketch, data, state);
  return TRUE;
}

/* bnd_store_set_deferred() */
static gboolean
write_deferred (Writer      *writer,
                const char  *uuid,
                const char  *change,
                GError     **error)
{
  if (writer->batch == NULL)
    return bnd_store_set_deferred (writer->store, uuid, change, error);
  bnd_sync_batch_add_deferred (writer->batch, uuid, change);
  return TRUE;
}

/* The server's copy of a sketch, @data of a change: checked as bnd_sketch_new_from_data()
 * checks a file, without writing the page's JSON out and parsing it again. */
static BndSketch *
sketch_from_node (JsonNode     *data,
                  BndStrategy  *strategy,
                  GError      **error)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  gsize length;

  /* The size the sketch's file would have, and its text, are checked as for a file. */
  json_generator_set_root (generator, data);
  text = json_generator_to_data (generator, &length);
  if (length > BND_SKETCH_MAX_FILE_SIZE || !g_utf8_validate (text, length, NULL))
    return sketch_from_text (text, strategy, error);
  return bnd_sketch_new_from_json (data, strategy, error);
}

/* Applies one change from the server, with the sketch's sync @state and, when it has local
 * edits or a push in flight, the stored text of its local copy (@local); one for the sketch open
 * in the editor (@busy) is kept in its sync state and applied by a later sync, once the editor
 * let go. */
static gboolean
apply_remote (Writer        *writer,
              BndStrategy   *strategy,
              JsonObject    *change,
              const char    *busy,
              BndSyncState  *state,
              const char    *local,
              BndSyncReport *report,
              GError       **error)
{
  g_autoptr(BndSketch) theirs = NULL;
  g_autoptr(BndSketch) mine = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) parse_error = NULL;
  const char *uuid = json_object_get_string_member_with_default (change, "uuid", "");
  gint64 revision = json_object_get_int_member_with_default (change, "revision", 0);
  BndSyncState next = { 0 };
  JsonNode *data = json_object_get_member (change, "data");

  if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
    return TRUE;

  if (busy != NULL && g_str_equal (busy, uuid))
    {
      g_autoptr(JsonGenerator) whole = json_generator_new ();
      g_autoptr(JsonNode) node = json_node_alloc ();
      g_autofree char *deferred = NULL;

      json_node_init_object (node, change);
      json_generator_set_root (whole, node);
      deferred = json_generator_to_data (whole, NULL);
      return write_deferred (writer, uuid, deferred, error);
    }

  if (!(theirs = sketch_from_node (data, strategy, &parse_error)))
    {
      /* One record this version cannot read must not stop every later sync: it is skipped. */
      g_warning ("Skipping the server's copy of %s: %s", uuid, parse_error->message);
      return state->deferred_change == NULL || write_deferred (writer, uuid, NULL, error);
    }
  bnd_sketch_set_stage (theirs, json_object_get_string_member_with_default (change, "stage", "draft"));
  /* The local copy matters only when there are local edits or a push in flight. */
  if ((state->dirty || state->pending_data) && local != NULL)
    mine = bnd_sketch_new_from_data (local, strlen (local), NULL, NULL, NULL);
  report->pulled++;

  /* Compared and kept in the one form bnd_sketch_to_data() writes, as pushes are. */
  text = bnd_sketch_to_data (theirs, NULL);
  next.base_revision = revision;
  next.base_data = text;
  next.deferred_change = NULL;

  /* A push of ours that reached the server although its answer was lost: it is the base now. */
  if (state->pending_data && g_str_equal (state->pending_data, text))
    {
      g_autofree char *local_text = mine ? bnd_sketch_to_data (mine, NULL) : NULL;

      next.dirty = mine != NULL && g_strcmp0 (local_text, text) != 0;
      next.conflicts = state->conflicts;
      return write_sync (writer, mine ? mine : theirs, mine ? local_text : text, &next, error);
    }

  if (mine == NULL || !state->dirty)
    {
      next.dirty = FALSE;
      return write_sync (writer, theirs, text, &next, error);
    }

  if (state->base_revision == revision)
    /* Already our base; our edits wait to be pushed. A held-back copy of it is done with. */
    return state->deferred_change == NULL || write_deferred (writer, uuid, NULL, error);

  /* Both changed it: merge against the last state both agreed on. */
  {
    g_autoptr(BndSketch) base = state->base_data ? sketch_from_text (state->base_data, NULL, NULL) : NULL;
    g_autoptr(BndSketch) merged = NULL;
    g_autoptr(GPtrArray) conflicts = NULL;
    g_autoptr(GPtrArray) old = bnd_conflicts_from_json (state->conflicts);
    g_autofree char *conflicts_json = NULL;

    merged = bnd_merge_sketches (base ? base : theirs, mine, theirs, &conflicts);
    /* The stage is the server's (a submitted sketch stays submitted). */
    bnd_sketch_set_stage (merged, bnd_sketch_get_stage (theirs));
    /* Earlier open conflicts stay open unless this merge saw the field again. */
    for (guint i = 0; i < old->len; i++)
      {
        BndConflict *conflict = g_ptr_array_index (old, i);
        gboolean seen = FALSE;

        for (guint j = 0; j < conflicts->len; j++)
          seen |= g_str_equal (((BndConflict *)g_ptr_array_index (conflicts, j))->field, conflict->field);
        if (!seen)
          g_ptr_array_add (conflicts, g_ptr_array_steal_index (old, i--));
      }
    conflicts_json = bnd_conflicts_to_json (conflicts);
    next.dirty = TRUE;
    next.conflicts = conflicts->len ? conflicts_json : NULL;
    report->merged++;
    report->conflicts += conflicts->len;
    return write_sync (writer, merged, NULL, &next, error);
  }
}

/* One change, written at once: its sync state and local copy read first. */
static gboolean
apply_one (BndStore      *store,
           BndStrategy   *strategy,
           JsonObject    *change,
           BndSyncReport *report,
           GError       **error)
{
  const char *uuid = json_object_get_string_member_with_default (change, "uuid", "");
  g_autoptr(BndSyncState) state = NULL;
  g_autofree char *local = NULL;
  Writer writer = { store, NULL };

  if (!(state = bnd_store_get_sync_state (store, uuid, error)))
    return FALSE;
  if (state->dirty || state->pending_data)
    {
      g_autoptr(BndSketch) mine = bnd_store_load (store, uuid, NULL, NULL);

      local = mine ? bnd_sketch_to_data (mine, NULL) : NULL;
    }
  return apply_remote (&writer, strategy, change, NULL, state, local, report, error);
}

/* Changes held back while their sketch was open, applied now that it is not (or still kept). */
static gboolean
apply_deferred (BndStore      *store,
                BndStrategy   *strategy,
                const char    *busy,
                BndSyncReport *report,
                GError       **error)
{
  g_autoptr(GPtrArray) uuids = bnd_store_list_unsynced (store, BND_UNSYNCED_TO_PUSH, error);

  if (uuids == NULL)
    return FALSE;
  for (guint i = 0; i < uuids->len; i++)
    {
      const char *uuid = g_ptr_array_index (uuids, i);
      g_autoptr(BndSyncState) state = NULL;
      g_autoptr(JsonNode) change = NULL;

      if ((busy && g_str_equal (busy, uuid)) || !(state = bnd_store_get_sync_state (store, uuid, error)))
        {
          if (busy && g_str_equal (busy, uuid))
            continue;
          return FALSE;
        }
      if (state->deferred_change == NULL)
        continue;
      if ((change = json_from_string (state->deferred_change, NULL)) && JSON_NODE_HOLDS_OBJECT (change) &&
          !apply_one (store, strategy, json_node_get_object (change), report, error))
        return FALSE;
    }
  return TRUE;
}

/* Applies the changes of one page (@changes, JSON objects) from @from on, up to the first whose
 * sketch came before in it (never, from our server: each record is in the feed once), with one
 * call to the store for their sync states, into @batch, which @last_seq (when not NULL) joins.
 *
 * Returns: the index of the first change not applied, or 0 with @error set */
static guint
apply_page (BndStore      *store,
            BndStrategy   *strategy,
            GPtrArray     *changes,
            guint          from,
            const char    *busy,
            const char    *last_seq,
            BndSyncBatch  *batch,
            BndSyncReport *report,
            GError       **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) uuids = g_ptr_array_new ();
  g_autoptr(GPtrArray) states = NULL;
  g_autoptr(GPtrArray) local = NULL;
  Writer writer = { store, batch };
  guint end;

  for (end = from; end < changes->len; end++)
    {
      const char *uuid = json_object_get_string_member_with_default (g_ptr_array_index (changes, end), "uuid", "");

      if (!g_hash_table_add (seen, (gpointer)uuid))
        break;
      g_ptr_array_add (uuids, (gpointer)uuid);
    }
  if (!(states = bnd_store_get_sync_states (store, uuids, &local, error)))
    return 0;
  for (guint i = from; i < end; i++)
    if (!apply_remote (&writer, strategy, g_ptr_array_index (changes, i), busy, g_ptr_array_index (states, i - from),
                       g_ptr_array_index (local, i - from), report, error))
      return 0;
  if (end == changes->len && last_seq != NULL)
    bnd_sync_batch_set_meta (batch, "last_seq", last_seq);
  return end;
}

/* Waits for the page the store is writing, if any. */
static gboolean
finish_writing (BndStore      *store,
                BndSyncBatch **writing,
                GError       **error)
{
  g_autoptr(BndSyncBatch) batch = g_steal_pointer (writing);

  return batch == NULL || bnd_store_apply_sync_batch_end (store, batch, error);
}

static gboolean
pull (BndSyncClient    *client,
      BndStore         *store,
      BndStrategy      *strategy,
      const char       *busy,
      BndSyncProgress   progress,
      gpointer          progress_data,
      BndSyncReport    *report,
      GError          **error)
{
  g_autofree char *since_text = bnd_store_get_meta (store, "last_seq");
  gint64 since = since_text ? g_ascii_strtoll (since_text, NULL, 10) : 0;
  gboolean more = TRUE;
  guint64 done = 0;
  /* The page the store writes while the next one is fetched and read (freed, it is waited for) */
  g_autoptr(BndSyncBatch) writing = NULL;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/changes?since=%" G_GINT64_FORMAT, since);
      g_autoptr(GBytes) answer = NULL;
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(GPtrArray) objects = g_ptr_array_new ();
      g_autofree char *last = NULL;
      JsonObject *object;
      JsonArray *changes;
      guint status;
      guint next = 0;
      gint64 previous = since;

      if (!(answer = _bnd_sync_send_request (client, "GET", path, NULL, NULL, NULL, &status, error)))
        return FALSE;
      if (status != 200 || !(object = _bnd_sync_parse_answer (answer, &root)) ||
          !(changes = json_object_get_array_member (object, "changes")))
        return _bnd_sync_refused (answer, status, error);

      for (guint i = 0; i < json_array_get_length (changes); i++)
        if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (changes, i)))
          g_ptr_array_add (objects, json_array_get_object_element (changes, i));
      since = json_object_get_int_member_with_default (object, "last_seq", since);
      more = json_object_get_boolean_member_with_default (object, "more", FALSE);
      last = g_strdup_printf ("%" G_GINT64_FORMAT, since);

      /* A page is applied in one transaction, and so is its sequence number; the sync states
       * it is applied to are read once the page before is written. An idle poll (nothing new,
       * the same sequence number) writes nothing. */
      while (next < objects->len)
        {
          g_autoptr(BndSyncBatch) batch = bnd_sync_batch_new ();

          if (!finish_writing (store, &writing, error) ||
              (next = apply_page (store, strategy, objects, next, busy, last, batch, report, error)) == 0)
            return FALSE;
          bnd_store_apply_sync_batch_begin (store, batch);
          writing = g_steal_pointer (&batch);
        }
      if (objects->len == 0 && since != previous &&
          (!finish_writing (store, &writing, error) || !bnd_store_set_meta (store, "last_seq", last, error)))
        return FALSE;

      done += json_array_get_length (changes);
      /* How many changes are still to come after this page, on a server that says so */
      if (progress != NULL && more && json_object_has_member (object, "remaining"))
        {
          gint64 remaining = json_object_get_int_member_with_default (object, "remaining", 0);

          progress (done, done + MAX (remaining, 0), progress_data);
        }
    }
  if (!finish_writing (store, &writing, error))
    return FALSE;
  if (progress != NULL && done > 0)
    progress (done, done, progress_data);
  return TRUE;
}

/* What became of one sketch's push */
typedef enum
{
  PUSH_DONE,
  PUSH_STALE,      /* someone else wrote first: pull, merge and push again */
  PUSH_REFUSED,    /* the server will not take it: marked on the sketch, the others go on */
} PushOutcome;

/* Whether an answer with @status is about the server or the way to it rather than about this
 * one record: then the sync stops, and everything stays as it is for the next. */
static gboolean
stops_the_sync (guint status)
{
  return status == 401 || status == 408 || status == 429 || status >= 500;
}

/* Keeps the server's refusal of the sketch's edits on it, with its reason (which
 * bnd_refusal_describe() says in the reader's language): its edits stay, and it waits for its user
 * (bnd-refusal.h) rather than go out with every sync. The request was answered, so nothing of it
 * is pending any more. */
static gboolean
mark_refused (BndStore      *store,
              BndSketch     *sketch,
              BndSyncState  *state,
              guint          status,
              JsonObject    *object,
              GError       **error)
{
  g_autofree char *reason = bnd_refusal_encode (status, object);
  BndSyncState next = *state;

  g_debug ("The server refused %s (HTTP %u): %s", state->uuid, status, reason);
  next.pending_key = NULL;
  next.pending_data = NULL;
  next.dirty = TRUE;
  /* Moot now: the server's side is the base, which taking the server's version restores. */
  next.conflicts = NULL;
  next.refused = reason;
  return bnd_store_apply_sync (store, sketch, &next, error);
}

/* Sends @data as the next revision after the state's base.
 *
 * Returns: FALSE with @error set only when the sync must stop (offline, signed out, the server
 *   in trouble); a refusal of this sketch is an @outcome */
static gboolean
push_one (BndSyncClient  *client,
          BndStore       *store,
          BndSketch      *sketch,
          BndSyncState   *state,
          const char     *data,
          const char     *key,
          PushOutcome    *outcome,
          GError        **error)
{
  g_autoptr(GHashTable) headers = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autofree char *path = g_strdup_printf ("/sketches/%s", state->uuid);
  g_autoptr(GBytes) body = g_bytes_new (data, strlen (data));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  guint status;
  BndSyncState next = { 0 };
  g_autofree char *local = NULL;

  g_hash_table_insert (headers, (gpointer)"If-Match", g_strdup_printf ("%" G_GINT64_FORMAT, state->base_revision));
  g_hash_table_insert (headers, (gpointer)"Idempotency-Key", g_strdup (key));

  if (!(answer = _bnd_sync_send_request (client, "PUT", path, "application/json", body, headers, &status, error)))
    return FALSE;
  if (status == 412)
    {
      *outcome = PUSH_STALE;
      return TRUE;
    }
  if (stops_the_sync (status))
    return _bnd_sync_refused (answer, status, error);
  if (status != 200)
    {
      /* Submitted meanwhile (409), not the account's to write (403, 404), not valid (400,
       * 413, 422): the same edits would be refused again, so they are not sent again. */
      *outcome = PUSH_REFUSED;
      return mark_refused (store, sketch, state, status, _bnd_sync_parse_answer (answer, &root), error);
    }
  /* Written, but no answer to read: the write is kept pending and sent again next time. */
  if (!(object = _bnd_sync_parse_answer (answer, &root)))
    return _bnd_sync_refused (answer, status, error);

  local = bnd_sketch_to_data (sketch, NULL);
  next.base_revision = json_object_get_int_member_with_default (object, "revision", 0);
  next.base_data = (char *)data;
  next.dirty = !g_str_equal (local, data);
  next.conflicts = state->conflicts;
  *outcome = PUSH_DONE;
  return bnd_store_apply_sync (store, sketch, &next, error);
}

static void
count_outcome (PushOutcome    outcome,
               BndSyncReport *report,
               gboolean      *stale)
{
  if (outcome == PUSH_DONE)
    report->pushed++;
  else if (outcome == PUSH_REFUSED)
    report->refused++;
  else
    *stale = TRUE;
}

/* Pushes every sketch with edits. One the server refuses, or one someone else wrote first (left
 * for the next round, after a pull), never keeps the others from going out. */
static gboolean
push (BndSyncClient  *client,
      BndStore       *store,
      const char     *busy,
      BndSyncReport  *report,
      gboolean       *stale,
      GError        **error)
{
  g_autoptr(GPtrArray) uuids = bnd_store_list_unsynced (store, BND_UNSYNCED_TO_PUSH, error);

  if (uuids == NULL)
    return FALSE;

  for (guint i = 0; i < uuids->len; i++)
    {
      const char *uuid = g_ptr_array_index (uuids, i);
      g_autoptr(BndSyncState) state = bnd_store_get_sync_state (store, uuid, error);
      g_autoptr(BndSketch) sketch = NULL;
      g_autofree char *data = NULL;
      g_autofree char *key = NULL;
      BndSyncState pending;
      PushOutcome outcome;

      if (state == NULL || !(sketch = bnd_store_load (store, uuid, NULL, error)))
        return FALSE;
      /* Open conflicts are decided by the user before anything goes out, and so is a refusal;
       * a sketch open in the editor, or with a server change still held back, waits for the
       * next sync. Conflicts with a sketch that was submitted meanwhile cannot be decided (it
       * no longer changes): its edits go, to be refused, and it gets the way out of a refusal. */
      if ((state->conflicts != NULL && bnd_procedure_may_edit_sketch (bnd_sketch_get_stage (sketch), NULL)) ||
          state->refused != NULL || state->deferred_change != NULL || (busy && g_str_equal (busy, uuid)))
        continue;

      /* A push that may have gone through: the same body with the same key first. */
      if (state->pending_key != NULL && state->pending_data != NULL)
        {
          if (!push_one (client, store, sketch, state, state->pending_data, state->pending_key, &outcome, error))
            return FALSE;
          count_outcome (outcome, report, stale);
          if (outcome != PUSH_DONE)
            continue;
          g_clear_pointer (&state, bnd_sync_state_free);
          if (!(state = bnd_store_get_sync_state (store, uuid, error)))
            return FALSE;
          if (!state->dirty)
            continue;
        }

      /* Remember the key and body before sending, so that a retry is the same request. */
      data = bnd_sketch_to_data (sketch, NULL);
      key = g_uuid_string_random ();
      pending = *state;
      pending.pending_key = key;
      pending.pending_data = data;
      if (!bnd_store_apply_sync (store, sketch, &pending, error))
        return FALSE;

      if (!push_one (client, store, sketch, state, data, key, &outcome, error))
        return FALSE;
      count_outcome (outcome, report, stale);
    }
  return TRUE;
}

/**
 * bnd_sync_run:
 * @store: the local profile
 * @strategy: the strategy sketches follow
 * @url: the server, e.g. "https://buendnis.example"
 * @token: a bearer token from bnd_sync_login()
 * @busy: (nullable): the UUID of a sketch open in an editor: its server changes wait
 * @report: (out caller-allocates): what was done
 * @error: return location for a #BndSyncError
 *
 * Pulls, merges and pushes until the profile and the server agree (or a conflict waits for the
 * user). Interrupted at any point, it loses nothing and duplicates nothing on the next run.
 *
 * A sketch the server refuses keeps the reason (#BndSyncState.refused) and its edits, and the
 * others go on; it waits for its user (bnd-refusal.h). Queued votes and ratings go only under
 * the account that gave them: the profile's server_user on @url.
 *
 * Returns: %FALSE with @error when the sync had to stop (offline, signed out, the server in
 *   trouble); records the server refused are counted in @report, not an error
 */
gboolean
bnd_sync_run (BndStore       *store,
              BndStrategy    *strategy,
              const char     *url,
              const char     *token,
              const char     *busy,
              BndSyncReport  *report,
              GError        **error)
{
  return bnd_sync_run_with_progress (store, strategy, url, token, busy, NULL, NULL, report, error);
}

/**
 * bnd_sync_run_with_progress:
 * @progress: (nullable): called on this thread after each page of changes pulled while the
 *   server says how many are still to come (a long first sync), and once when all are in
 * @progress_data: its data
 *
 * bnd_sync_run(), telling how far a long pull got.
 */
gboolean
bnd_sync_run_with_progress (BndStore         *store,
                            BndStrategy      *strategy,
                            const char       *url,
                            const char       *token,
                            const char       *busy,
                            BndSyncProgress   progress,
                            gpointer          progress_data,
                            BndSyncReport    *report,
                            GError          **error)
{
  g_autoptr(SoupSession) session = bnd_sync_session_new ();
  g_autoptr(BndStrategy) pulled = NULL;
  g_autofree char *user = NULL;
  BndSyncClient client = { session, url, token };

  g_return_val_if_fail (BND_IS_STORE (store), FALSE);

  memset (report, 0, sizeof *report);
  user = bnd_store_get_meta (store, "server_user");
  for (guint round = 0; round < MAX_ROUNDS; round++)
    {
      gboolean stale = FALSE;

      if (!apply_deferred (store, strategy, busy, report, error))
        return FALSE;
      /* The pack before the first pull: what is pulled and pushed is checked against the
       * server's. */
      if (round == 0 && !_bnd_sync_pull_strategy (&client, store, strategy, &pulled, error))
        return FALSE;
      if (round == 0 && pulled != NULL)
        {
          strategy = pulled;
          report->strategy_changed = TRUE;
        }
      if (!pull (&client, store, strategy, busy, progress, progress_data, report, error) ||
          !push (&client, store, busy, report, &stale, error))
        return FALSE;
      if (!stale)
        break;
    }
  return _bnd_sync_push_votes (&client, store, user, report, error) && _bnd_sync_push_ratings (&client, store, user, report, error);
}

/**
 * bnd_sync_submit:
 * @sha256: (out) (optional): the checksum of the official PDF the server recorded
 * @preview_differs: (out) (optional): whether the official PDF, the server's own render, has
 *   other bytes than ours: the server renders with another version
 *
 * Syncs, then submits the PDF of the sketch's synced revision, with that revision in If-Match
 * so that the server refuses if the sketch changed meanwhile.
 */
gboolean
bnd_sync_submit (BndStore     *store,
                 BndStrategy  *strategy,
                 const char   *url,
                 const char   *token,
                 const char   *uuid,
                 char        **sha256,
                 gboolean     *preview_differs,
                 GError      **error)
{
  g_autoptr(SoupSession) session = bnd_sync_session_new ();
  g_autoptr(GHashTable) headers = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(BndSyncState) state = NULL;
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(BndStrategy) served = NULL;
  g_autofree char *path = g_strdup_printf ("/sketches/%s/submit", uuid);
  BndSyncClient client = { session, url, token };
  BndSyncReport report;
  JsonObject *object;
  guint status;

  if (!bnd_sync_run (store, strategy, url, token, NULL, &report, error))
    return FALSE;
  /* The sync brought the server's pack: the PDF is rendered against it, as the server renders. */
  if (report.strategy_changed)
    {
      g_autofree char *directory = bnd_store_get_directory (store);

      if (!(served = bnd_sync_load_strategy (NULL, directory, error)))
        return FALSE;
      strategy = served;
    }
  if (!(state = bnd_store_get_sync_state (store, uuid, error)))
    return FALSE;
  if (state->refused != NULL)
    {
      g_autofree char *reason = bnd_refusal_describe (state->refused);

      /* Translators: %s is the server's reason, such as "The sketch has been submitted and cannot change" */
      g_set_error (error, BND_SYNC_ERROR, BND_SYNC_ERROR_REFUSED, _("The server refused the sketch's edits: %s"),
                   reason);
      return FALSE;
    }
  if (state->conflicts != NULL || state->dirty || state->base_data == NULL)
    {
      g_set_error (error, BND_SYNC_ERROR, BND_SYNC_ERROR_REFUSED, "%s",
                   _("The sketch has unresolved conflicts or unsynced edits; resolve and sync first"));
      return FALSE;
    }

  /* The server's copy of this revision, rendered as the server will render it. */
  if (!(sketch = sketch_from_text (state->base_data, strategy, error)) ||
      !(pdf = bnd_pdf_render (sketch, strategy, NULL, error)))
    return FALSE;
  g_hash_table_insert (headers, (gpointer)"If-Match", g_strdup_printf ("%" G_GINT64_FORMAT, state->base_revision));
  if (!(answer = _bnd_sync_send_request (&client, "POST", path, "application/pdf", pdf, headers, &status, error)))
    return FALSE;
  if (status != 200 || !(object = _bnd_sync_parse_answer (answer, &root)))
    return _bnd_sync_refused (answer, status, error);
  if (sha256)
    *sha256 = g_strdup (json_object_get_string_member_with_default (object, "sha256", ""));
  /* An older server refused a PDF that was not its own render, and says nothing of it. */
  if (preview_differs)
    *preview_differs = json_object_get_boolean_member_with_default (object, "preview_differs", FALSE);
  /* The new stage comes back with the next pull. */
  return bnd_sync_run (store, strategy, url, token, NULL, &report, error);
}

static JsonNode *
call (const char  *url,
      const char  *token,
      const char  *method,
      const char  *path,
      const char  *content_type,
      GBytes      *request,
      GError     **error)
{
  g_autoptr(SoupSession) session = bnd_sync_session_new ();
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonNode) root = NULL;
  BndSyncClient client = { session, url, token };
  guint status;

  if (!(answer = _bnd_sync_send_request (&client, method, path, content_type, request, NULL, &status, error)))
    return NULL;
  if (status != 200 || !_bnd_sync_parse_answer (answer, &root))
    {
      _bnd_sync_refused (answer, status, error);
      return NULL;
    }
  return g_steal_pointer (&root);
}

/**
 * bnd_sync_fetch:
 * @status: (out): the HTTP status
 *
 * One GET for what is not JSON, such as an attachment's PDF, or to tell a 404 from a failure.
 *
 * Returns: (transfer full) (nullable): the answer's body whatever its status, or %NULL with
 *   @error set if the server could not be reached
 */
GBytes *
bnd_sync_fetch (SoupSession  *session,
                const char   *url,
                const char   *token,
                const char   *path,
                guint        *status,
                GError      **error)
{
  g_autoptr(SoupSession) own = session ? g_object_ref (session) : bnd_sync_session_new ();
  BndSyncClient client = { own, url, token };

  return _bnd_sync_send_request (&client, "GET", path, NULL, NULL, NULL, status, error);
}

/**
 * bnd_sync_call:
 * @path: below /api/v1, such as "/dossiers/UUID/audit"
 * @body: (nullable): sent as JSON
 *
 * One JSON call to the server, for what is not synced: moving a dossier, reading its trail.
 * A 404 is %BND_SYNC_ERROR_NOT_FOUND, so that a caller can tell "none yet" from a failure.
 *
 * Returns: (transfer full) (nullable): the answer's JSON object
 */
JsonNode *
bnd_sync_call (const char  *url,
               const char  *token,
               const char  *method,
               const char  *path,
               JsonNode    *body,
               GError     **error)
{
  g_autoptr(GBytes) request = NULL;

  if (body)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      gsize length;
      char *text;

      json_generator_set_root (generator, body);
      text = json_generator_to_data (generator, &length);
      request = g_bytes_new_take (text, length);
    }
  return call (url, token, method, path, "application/json", request, error);
}

/**
 * bnd_sync_upload:
 * @path: below /api/v1, with its query, such as "/dossiers/UUID/attachments?kind=other&name=a.pdf"
 * @content_type: such as "application/pdf"
 * @body: the file's bytes
 *
 * POSTs a file as the request's body, as bnd_sync_call() does JSON.
 *
 * Returns: (transfer full) (nullable): the answer's JSON object
 */
JsonNode *
bnd_sync_upload (const char  *url,
                 const char  *token,
                 const char  *path,
                 const char  *content_type,
                 GBytes      *body,
                 GError     **error)
{
  return call (url, token, "POST", path, content_type, body, error);
}
