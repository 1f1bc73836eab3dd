/* bnd-api-error.c: the API's error codes, shared by the server that sends them and the clients
 * that show them
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bnd-api-error.h"

/* Every refusal of the server is a JSON object with a stable `error` code and a `message`. The
 * service runs untranslated (cmd_serve), so the message is the very text of its msgid: a client
 * looks it up in its own catalogue and shows it in its user's language. A message the catalogue
 * does not know (one with a value in it, or from a newer server) falls back to what its code
 * means, with the server's words as the detail. */

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
