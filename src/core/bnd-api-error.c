/* bnd-api-error.c: the API's error codes, shared by the server that sends them and the clients
 * that show them
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "bnd-api-error.h"
#include "bnd-json-check.h"

/* Every refusal of the server is a JSON object with a stable `error` code and a `message`. The
 * service runs untranslated (cmd_serve), so the message is the very text of its msgid: a client
 * looks it up in its own catalogue and shows it in its user's language. A message with values in
 * it comes with its `msgid` and the `args` put into it, which the client puts into its own
 * translation. A message the catalogue does not know (from a newer server, say) falls back to
 * what its code means, with the server's words as the detail. */

/* At most this many values in one message; more is not a message of ours. */
#define MAX_ARGS 8
/* … and each of them at most this long (a title, a name, a list of a few items). */
#define MAX_ARG_LENGTH 1024

typedef struct
{
  char  *msgid;
  char **args;
} BndServerErrorPrivate;

static void
bnd_server_error_private_init (BndServerErrorPrivate *priv)
{
}

static void
bnd_server_error_private_copy (const BndServerErrorPrivate *src,
                               BndServerErrorPrivate       *dest)
{
  dest->msgid = g_strdup (src->msgid);
  dest->args = g_strdupv (src->args);
}

static void
bnd_server_error_private_clear (BndServerErrorPrivate *priv)
{
  g_clear_pointer (&priv->msgid, g_free);
  g_clear_pointer (&priv->args, g_strfreev);
}

G_DEFINE_EXTENDED_ERROR (BndServerError, bnd_server_error)

static const struct
{
  guint       status;
  const char *name;
  const char *description;
} errors[] = {
  [BND_SERVER_ERROR_BAD_REQUEST] = { 400, "bad-request", N_("The server could not read the request") },
  [BND_SERVER_ERROR_UNAUTHORIZED] = { 401, "unauthorized", N_("The server did not accept the sign-in") },
  [BND_SERVER_ERROR_FORBIDDEN] = { 403, "forbidden", N_("Your account may not do this") },
  [BND_SERVER_ERROR_NOT_FOUND] = { 404, "not-found", N_("The server does not know this item") },
  [BND_SERVER_ERROR_CONFLICT] = { 409, "conflict", N_("This conflicts with the state on the server") },
  [BND_SERVER_ERROR_PRECONDITION] = { 412, "revision-mismatch", N_("Someone else changed this in the meantime") },
  [BND_SERVER_ERROR_TOO_LARGE] = { 413, "too-large", N_("This is larger than the server accepts") },
  [BND_SERVER_ERROR_INVALID] = { 422, "invalid", N_("The server did not accept the content") },
  [BND_SERVER_ERROR_TOO_MANY] = { 429, "too-many-attempts", N_("Too many attempts; wait a while and try again") },
  [BND_SERVER_ERROR_INTERNAL] = { 500, "internal", N_("The server ran into a problem of its own") },
  [BND_SERVER_ERROR_CLOSED] = { 409, "closed", N_("The round is closed") },
  [BND_SERVER_ERROR_LIMIT] = { 409, "limit-reached", N_("The dossier has as many of these as it may") },
  [BND_SERVER_ERROR_PDF_CHECK] = { 422, "pdf-check-failed", N_("The server could not check the PDF file in time") },
  [BND_SERVER_ERROR_BUSY] = { 503, "busy", N_("The server is busy checking other files; try again in a minute") },
  [BND_SERVER_ERROR_RANGE] = { 416, "range-not-satisfiable", N_("The requested part of the file does not exist") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (errors) == BND_SERVER_N_ERRORS);

guint
bnd_api_error_status (BndServerError code)
{
  return (guint)code < G_N_ELEMENTS (errors) ? errors[code].status : 500;
}

/**
 * bnd_api_error_name:
 *
 * Returns: the `error` string of @code in the API
 */
const char *
bnd_api_error_name (BndServerError code)
{
  return (guint)code < G_N_ELEMENTS (errors) ? errors[code].name : "internal";
}

static int
lookup (const char *name)
{
  for (guint i = 0; name && i < G_N_ELEMENTS (errors); i++)
    if (g_str_equal (errors[i].name, name))
      return i;
  return -1;
}

/**
 * bnd_api_error_describe:
 * @name: an `error` string of the API
 *
 * Returns: (nullable): what @name means, in the user's language; %NULL for a code this
 *   version does not know
 */
const char *
bnd_api_error_describe (const char *name)
{
  int i = lookup (name);

  return i >= 0 ? _(errors[i].description) : NULL;
}

/**
 * bnd_api_error_message:
 * @status: the HTTP status of the answer
 * @name: (nullable): its `error` string
 * @message: (nullable): its `message`, valid UTF-8
 *
 * Returns: (transfer full): what to tell the user about a refusal, in their language
 */
char *
bnd_api_error_message (guint       status,
                       const char *name,
                       const char *message)
{
  int i = lookup (name);
  const char *description = i >= 0 ? _(errors[i].description) : NULL;

  if (message != NULL && *message != '\0')
    {
      const char *translated = _(message);

      /* The catalogue knows the message, or the user reads English anyway (then even the
       * description is its msgid). */
      if (translated != message || description == NULL || description == errors[i].description)
        return g_strdup (translated);
      /* Translators: what a refusal of the server means, then the server's own words (in
       * English), e.g. "The server did not accept the content (title is too long)" */
      return g_strdup_printf (_("%s (%s)"), description, message);
    }
  if (description != NULL)
    return g_strdup (description);
  /* Not our server's answer at all: a proxy's error page, say. */
  /* Translators: %u is an HTTP status such as 502 */
  return g_strdup_printf (_("The server could not answer (HTTP status %u)"), status);
}

/* @format with @args put in for its “%s” and “%1$s”: NULL when it asks for anything else, or for
 * a value that is not there (a translation that does not fit its msgid). */
static char *
fill_in (const char         *format,
         const char * const *args)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint n_args = args ? g_strv_length ((char **)args) : 0;
  guint next = 0;

  for (const char *p = format; *p != '\0'; p++)
    {
      guint index;

      if (*p != '%')
        {
          g_string_append_c (out, *p);
          continue;
        }
      p++;
      if (*p == '%')
        {
          g_string_append_c (out, '%');
          continue;
        }
      if (*p >= '1' && *p <= '9' && p[1] == '$')
        {
          index = *p - '1';
          p += 2;
        }
      else
        index = next++;
      if (*p != 's' || index >= n_args)
        return NULL;
      g_string_append (out, args[index]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * bnd_api_error_set:
 * @error: (out) (optional): where to put the error
 * @code: its code
 * @msgid: the message, untranslated (N_()), with “%s” for each value
 * @...: the values, strings, then %NULL
 *
 * Sets a #BND_SERVER_ERROR whose message is @msgid in the current language with the values put
 * in, and which keeps @msgid and the values for bnd_api_error_to_json(): a client says it in
 * its own user's language.
 */
void
bnd_api_error_set (GError         **error,
                   BndServerError   code,
                   const char      *msgid,
                   ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) args = NULL;
  const char *arg;
  va_list values;

  va_start (values, msgid);
  while ((arg = va_arg (values, const char *)) != NULL)
    g_strv_builder_add (builder, arg);
  va_end (values);
  args = g_strv_builder_end (builder);
  bnd_api_error_set_strv (error, code, msgid, (const char * const *)args);
}

/**
 * bnd_api_error_set_strv:
 * @args: the values
 *
 * bnd_api_error_set() with the values in an array.
 */
void
bnd_api_error_set_strv (GError             **error,
                        BndServerError       code,
                        const char          *msgid,
                        const char * const  *args)
{
  g_autofree char *message = NULL;
  BndServerErrorPrivate *priv;
  GError *new_error;

  if (error == NULL)
    return;
  if (!(message = fill_in (_(msgid), args)))
    message = fill_in (msgid, args);
  g_return_if_fail (message != NULL);
  new_error = g_error_new_literal (BND_SERVER_ERROR, code, message);
  priv = bnd_server_error_get_private (new_error);
  priv->msgid = g_strdup (msgid);
  priv->args = g_strdupv ((char **)args);
  g_propagate_error (error, new_error);
}

/**
 * bnd_api_error_get_msgid:
 *
 * Returns: (nullable): the untranslated message of an error set by bnd_api_error_set()
 */
const char *
bnd_api_error_get_msgid (const GError *error)
{
  return error->domain == BND_SERVER_ERROR ? bnd_server_error_get_private (error)->msgid : NULL;
}

/**
 * bnd_api_error_get_args:
 *
 * Returns: (nullable): the values put into the message of an error set by bnd_api_error_set()
 */
const char * const *
bnd_api_error_get_args (const GError *error)
{
  return error->domain == BND_SERVER_ERROR ?
         (const char * const *)bnd_server_error_get_private (error)->args : NULL;
}

/**
 * bnd_api_error_to_json:
 *
 * Returns: (transfer full): the API's answer for @error: its `error` code, its `message`, and for
 *   a message with values in it, the `msgid` and the `args`
 */
JsonNode *
bnd_api_error_to_json (const GError *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *msgid = bnd_api_error_get_msgid (error);
  const char * const *args = bnd_api_error_get_args (error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, error->domain == BND_SERVER_ERROR ?
                                 bnd_api_error_name (error->code) : "internal");
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, error->message);
  if (msgid != NULL)
    {
      json_builder_set_member_name (builder, "msgid");
      json_builder_add_string_value (builder, msgid);
      json_builder_set_member_name (builder, "args");
      json_builder_begin_array (builder);
      for (guint i = 0; args && args[i]; i++)
        json_builder_add_string_value (builder, args[i]);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* A value the server put into a message, in the user's language where it is one of our own
 * messages (the first thing missing from a sketch, say) and as it is otherwise (a title). */
static const char *
translate_arg (const char *arg)
{
  /* gettext ("") is the catalogue's header */
  return *arg != '\0' ? _(arg) : arg;
}

/**
 * bnd_api_error_from_answer:
 * @status: the HTTP status of the answer
 * @answer: (nullable): the answer's JSON object, not trusted
 *
 * Returns: (transfer full): what to tell the user about a refusal, in their language
 */
char *
bnd_api_error_from_answer (guint       status,
                           JsonObject *answer)
{
  const char *name = NULL, *msgid = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  JsonNode *node;

  if (answer != NULL)
    {
      if ((node = json_object_get_member (answer, "error")) && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_STRING)
        name = json_node_get_string (node);
      /* The server's words may be shown as they are, so they must at least be UTF-8. */
      if ((node = json_object_get_member (answer, "message")) && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_STRING)
        message = bnd_json_dup_valid_text (json_node_get_string (node));
      if ((node = json_object_get_member (answer, "msgid")) && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_STRING &&
          g_utf8_validate (json_node_get_string (node), -1, NULL))
        msgid = json_node_get_string (node);
      if (msgid != NULL && (node = json_object_get_member (answer, "args")) && JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);

          for (guint i = 0; msgid && i < json_array_get_length (array); i++)
            {
              JsonNode *element = json_array_get_element (array, i);
              const char *arg;

              if (i >= MAX_ARGS || !JSON_NODE_HOLDS_VALUE (element) ||
                  json_node_get_value_type (element) != G_TYPE_STRING ||
                  strlen (arg = json_node_get_string (element)) > MAX_ARG_LENGTH ||
                  !g_utf8_validate (arg, -1, NULL))
                msgid = NULL;
              else
                g_ptr_array_add (args, g_strdup (translate_arg (arg)));
            }
        }
    }

  /* A message with values, whose msgid this version knows: said in the user's language. */
  if (msgid != NULL && _(msgid) != msgid)
    {
      g_autofree char *filled = NULL;

      g_ptr_array_add (args, NULL);
      if ((filled = fill_in (_(msgid), (const char * const *)args->pdata)))
        return g_steal_pointer (&filled);
    }
  return bnd_api_error_message (status, name, message);
}
