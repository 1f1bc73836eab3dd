/* bnd-refusal.c: a sketch whose edits the server refused, and the two ways out
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-refusal"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "bnd-api-error.h"
#include "bnd-refusal.h"

/* When the server refuses a sketch's edits for good (it was submitted meanwhile, say), the sync
 * keeps the edits and the reason on the sketch and goes on with the others (bnd-sync.c). The
 * sketch then waits for its user, who either takes the server's version (the edits stay in the
 * sketch's history) or keeps their version as a new draft with a new id, which the next sync
 * sends like any new sketch. The app's editor and the command-line tool offer the same two. */

G_DEFINE_QUARK (bnd-refusal-error-quark, bnd_refusal_error)

/**
 * bnd_refusal_encode:
 * @status: the HTTP status of the server's answer
 * @answer: (nullable): the answer's JSON object
 *
 * The refusal as the store keeps it (#BndSyncState.refused): the server's own words, so that
 * bnd_refusal_describe() can say them in the language of whoever reads them later, which need
 * not be the language of the sync that met the refusal. Only what bnd_api_error_from_answer()
 * reads is kept, and it checks it again when it is read.
 *
 * Returns: (transfer full): a JSON object
 */
char *
bnd_refusal_encode (guint       status,
                    JsonObject *answer)
{
  static const char * const kept[] = { "error", "message", "msgid", "args" };
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);

  json_object_set_int_member (object, "status", status);
  /* Not the server's answer at all (a proxy's error page, say): the status tells. */
  for (guint i = 0; answer && i < G_N_ELEMENTS (kept); i++)
    if (json_object_has_member (answer, kept[i]))
      json_object_set_member (object, kept[i], json_node_copy (json_object_get_member (answer, kept[i])));
  json_node_set_object (root, object);
  return json_to_string (root, FALSE);
}

/**
 * bnd_refusal_describe:
 * @refused: (nullable): a #BndSyncState.refused
 *
 * Returns: (transfer full) (nullable): why the server refused the edits, in the user's language
 */
char *
bnd_refusal_describe (const char *refused)
{
  g_autoptr(JsonNode) node = refused ? json_from_string (refused, NULL) : NULL;
  JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

  if (refused == NULL)
    return NULL;
  if (object == NULL)
    return g_strdup (refused);
  return bnd_api_error_from_answer (json_object_get_int_member_with_default (object, "status", 0), object);
}

static BndSyncState *
get_refused_state (BndStore    *store,
                   const char  *uuid,
                   GError     **error)
{
  g_autoptr(BndSyncState) state = bnd_store_get_sync_state (store, uuid, error);

  if (state == NULL)
    return NULL;
  if (state->refused == NULL)
    {
      g_set_error_literal (error, BND_REFUSAL_ERROR, BND_REFUSAL_ERROR_NOT_REFUSED,
                           _("The server has not refused this sketch’s edits"));
      return NULL;
    }
  return g_steal_pointer (&state);
}

/* Makes the server's version (the base both sides last agreed on) the local one, with nothing
 * left to push. */
static gboolean
reset_to_base (BndStore      *store,
               BndSyncState  *state,
               GError       **error)
{
  g_autoptr(BndSketch) theirs = NULL;
  BndSyncState next = *state;

  if (!(theirs = bnd_sketch_new_from_data (state->base_data, strlen (state->base_data), "server", NULL, error)))
    return FALSE;
  next.dirty = FALSE;
  next.pending_key = NULL;
  next.pending_data = NULL;
  next.conflicts = NULL;
  next.refused = NULL;
  return bnd_store_apply_sync (store, theirs, &next, error);
}

/**
 * bnd_refusal_take_server:
 * @uuid: a sketch the server refused
 *
 * Gives up the sketch's refused edits for the server's version. The edits are kept in the
 * sketch's history (a version with the reason "refused").
 */
gboolean
bnd_refusal_take_server (BndStore    *store,
                         const char  *uuid,
                         GError     **error)
{
  g_autoptr(BndSyncState) state = NULL;
  g_autoptr(BndSketch) mine = NULL;

  g_return_val_if_fail (BND_IS_STORE (store), FALSE);

  if (!(state = get_refused_state (store, uuid, error)))
    return FALSE;
  if (state->base_data == NULL)
    {
      g_set_error_literal (error, BND_REFUSAL_ERROR, BND_REFUSAL_ERROR_NO_SERVER_VERSION,
                           _("The server has no version of this sketch; keep yours as a new draft instead"));
      return FALSE;
    }
  if (!(mine = bnd_store_load (store, uuid, NULL, error)) ||
      !bnd_store_add_version (store, mine, "refused", error))
    return FALSE;
  return reset_to_base (store, state, error);
}

/**
 * bnd_refusal_keep_as_draft:
 * @uuid: a sketch the server refused
 *
 * Keeps the sketch's refused edits as a new draft with a new id, which the next sync sends as a
 * new sketch; the sketch itself goes back to the server's version (or, if the server never had
 * it, makes way for the draft).
 *
 * Returns: (transfer full) (nullable): the new draft's UUID
 */
char *
bnd_refusal_keep_as_draft (BndStore    *store,
                           const char  *uuid,
                           GError     **error)
{
  g_autoptr(BndSyncState) state = NULL;
  g_autoptr(BndSketch) mine = NULL;
  g_autoptr(BndSketch) draft = NULL;
  g_autofree char *new_uuid = g_uuid_string_random ();
  g_autofree char *title = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_val_if_fail (BND_IS_STORE (store), NULL);

  if (!(state = get_refused_state (store, uuid, error)) ||
      !(mine = bnd_store_load (store, uuid, NULL, error)))
    return NULL;

  draft = bnd_sketch_copy (mine);
  bnd_sketch_set_uuid (draft, new_uuid);
  bnd_sketch_set_stage (draft, "draft");
  /* Translators: the title of a duplicated sketch */
  title = g_strdup_printf (_("%s (copy)"), bnd_sketch_get_title (mine));
  bnd_sketch_set_title (draft, title);
  bnd_sketch_set_times (draft, now, now);
  if (!bnd_store_save (store, draft, error))
    return NULL;

  if (state->base_data != NULL ? !reset_to_base (store, state, error)
                               : !bnd_store_set_deleted (store, uuid, TRUE, error))
    return NULL;
  return g_steal_pointer (&new_uuid);
}
