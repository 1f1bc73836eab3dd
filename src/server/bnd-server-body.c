/* bnd-server-body.c: what the JSON request bodies must hold, read without the HTTP message
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-body"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bnd-json-check.h"
#include "bnd-server-body.h"
#include "bnd-server-db.h"

/* Every body a client sends goes through here before a handler acts on it, so that the checks
 * are the same for every request and the fuzzer in tests/fuzz reaches them without a server.
 * What a body says is checked against the database (who may, in which stage) afterwards, by the
 * bnd_server_db_*() functions and their bnd_server_check_*() helpers. */

/**
 * bnd_server_body_parse:
 * @root: (out): the parsed document, which owns the object returned
 *
 * Returns: (transfer none): the body as a JSON object, or %NULL with a BND_SERVER_ERROR
 */
JsonObject *
bnd_server_body_parse (const char  *data,
                       gsize        length,
                       JsonNode   **root,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  BndJsonCheck check = {
    .origin = "body",
    .domain = BND_SERVER_ERROR,
    .codes = { BND_SERVER_ERROR_BAD_REQUEST, BND_SERVER_ERROR_BAD_REQUEST, BND_SERVER_ERROR_BAD_REQUEST },
    .error = error,
  };

  /* The depth first: json-glib recurses per level, and a body of nested brackets would
   * overflow the stack of the one thread that serves everyone. */
  if (length == 0 || !g_utf8_validate (data, length, NULL) ||
      !bnd_json_check_limits (data, length, BND_JSON_MAX_DEPTH, NULL) ||
      !json_parser_load_from_data (parser, data, length, NULL) ||
      /* white space alone is a document without a root */
      json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, BND_SERVER_ERROR, BND_SERVER_ERROR_BAD_REQUEST,
                           _("The body is not a JSON object"));
      return NULL;
    }
  /* A body of valid UTF-8 can still decode to strings that are not: json-glib turns an escaped
   * lone surrogate ("\udc00") into bytes no client can read back once it is stored. */
  if (!bnd_json_check_strings (&check, json_parser_get_root (parser), "$"))
    return NULL;
  *root = json_parser_steal_root (parser);
  return json_node_get_object (*root);
}

/**
 * bnd_server_body_read_sketch:
 *
 * A sketch as PUT /sketches/UUID sends it, checked as an import of the file would be.
 *
 * Returns: (transfer full): the sketch, or %NULL with a BND_SERVER_ERROR
 */
BndSketch *
bnd_server_body_read_sketch (const char   *data,
                             gsize         length,
                             BndStrategy  *strategy,
                             GError      **error)
{
  g_autoptr(GError) sketch_error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  BndSketch *sketch;

  if (length > 0 && !g_utf8_validate (data, length, NULL))
    {
      g_set_error_literal (error, BND_SERVER_ERROR, BND_SERVER_ERROR_BAD_REQUEST, _("The body is not UTF-8"));
      return NULL;
    }
  /* Not JSON at all is the client's mistake (400); JSON that is no sketch, the user's (422). */
  if (length == 0 || !bnd_json_check_limits (data, length, BND_JSON_MAX_DEPTH, NULL) ||
      !json_parser_load_from_data (parser, data, length, NULL))
    {
      g_set_error_literal (error, BND_SERVER_ERROR, BND_SERVER_ERROR_BAD_REQUEST, _("The body is not JSON"));
      return NULL;
    }
  if (!(sketch = bnd_sketch_new_from_data (data, length, "body", strategy, &sketch_error)))
    {
      g_set_error_literal (error, BND_SERVER_ERROR, BND_SERVER_ERROR_INVALID, sketch_error->message);
      return NULL;
    }
  return sketch;
}

/**
 * bnd_server_body_read_string:
 * @optional: whether the member may be missing; @out is then left as it is
 *
 * Returns: %FALSE with a BND_SERVER_ERROR when @name is missing or not a string
 */
gboolean
bnd_server_body_read_string (JsonObject   *body,
                             const char   *name,
                             gboolean      optional,
                             const char  **out,
                             GError      **error)
{
  JsonNode *node = json_object_get_member (body, name);

  if (node == NULL && optional)
    return TRUE;
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      /* Translators: %s is the name of a member of the request, such as “comment” */
      bnd_api_error_set (error, BND_SERVER_ERROR_BAD_REQUEST, N_("“%s” must be a string"), name, NULL);
      return FALSE;
    }
  *out = json_node_get_string (node);
  return TRUE;
}

/**
 * bnd_server_body_read_opening:
 * @vote_days: how long the vote runs when the body names no deadline
 * @now: the server's time (bnd_server_db_now())
 * @question: (out): borrowed from @body
 * @deadline: (out): Unix time
 * @recused: (out) (transfer full): the organisations recused besides the carrier's
 *
 * POST /dossiers/UUID/vote {"question", "deadline"? (ISO 8601), "recused"? [org, …]}
 */
gboolean
bnd_server_body_read_opening (JsonObject   *body,
                              guint         vote_days,
                              gint64        now,
                              const char  **question,
                              gint64       *deadline,
                              GStrv        *recused,
                              GError      **error)
{
  g_autoptr(GStrvBuilder) orgs = g_strv_builder_new ();
  g_autoptr(GDateTime) when = NULL;
  JsonNode *node;

  if (!bnd_server_body_read_string (body, "question", FALSE, question, error))
    return FALSE;
  if ((node = json_object_get_member (body, "deadline")) != NULL)
    {
      const char *text = NULL;

      if (!bnd_server_body_read_string (body, "deadline", FALSE, &text, NULL) ||
          !(when = g_date_time_new_from_iso8601 (text, NULL)))
        {
          g_set_error_literal (error, BND_SERVER_ERROR, BND_SERVER_ERROR_BAD_REQUEST,
                               _("“deadline” must be a date and time such as 2026-12-09T12:00:00Z"));
          return FALSE;
        }
    }
  else
    {
      g_autoptr(GDateTime) today = g_date_time_new_from_unix_utc (now);

      when = g_date_time_add_days (today, vote_days);
    }
  if ((node = json_object_get_member (body, "recused")) != NULL)
    {
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

      for (guint i = 0; array && i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
            array = NULL;
          else
            g_strv_builder_add (orgs, json_node_get_string (element));
        }
      if (array == NULL)
        {
          g_set_error_literal (error, BND_SERVER_ERROR, BND_SERVER_ERROR_BAD_REQUEST,
                               _("“recused” must be a list of organisation ids"));
          return FALSE;
        }
    }
  *deadline = g_date_time_to_unix (when);
  *recused = g_strv_builder_end (orgs);
  return TRUE;
}

/**
 * bnd_server_body_read_rating:
 * @scores: (out): borrowed from @body
 * @comment: (out): borrowed from @body, "" when there is none
 *
 * POST /dossiers/UUID/ratings {"scores": {criterion: number, …}, "comment"?}
 */
gboolean
bnd_server_body_read_rating (JsonObject   *body,
                             JsonObject  **scores,
                             const char  **comment,
                             GError      **error)
{
  JsonNode *node = json_object_get_member (body, "scores");

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, BND_SERVER_ERROR, BND_SERVER_ERROR_BAD_REQUEST, _("“scores” must be an object"));
      return FALSE;
    }
  *scores = json_node_get_object (node);
  *comment = "";
  return bnd_server_body_read_string (body, "comment", TRUE, comment, error);
}

/**
 * bnd_server_body_read_stage:
 * @stage: (out): borrowed from @body
 *
 * POST /dossiers/UUID/stage {"stage", "comment"?, …}: the stage to reach, and a comment for the
 * trail. What the step that leads there needs besides (an amount and a date, a reason) is the
 * procedure's to check (bnd_server_db_take_step()).
 */
gboolean
bnd_server_body_read_stage (JsonObject   *body,
                            const char  **stage,
                            GError      **error)
{
  const char *comment = NULL;

  return bnd_server_body_read_string (body, "stage", FALSE, stage, error) &&
         bnd_server_body_read_string (body, "comment", TRUE, &comment, error);
}
