/* bnd-api-error.h: the API's error codes, shared by the server that sends them and the clients
 * that show them
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The codes of the server's GError domain (BND_SERVER_ERROR). Each maps to one HTTP status and
 * one stable `error` string of the API (README, "Error codes"); never renumber or rename one,
 * since clients of older versions read them. */
typedef enum
{
  BND_SERVER_ERROR_BAD_REQUEST,      /* 400 */
  BND_SERVER_ERROR_UNAUTHORIZED,     /* 401 */
  BND_SERVER_ERROR_FORBIDDEN,        /* 403 */
  BND_SERVER_ERROR_NOT_FOUND,        /* 404 */
  BND_SERVER_ERROR_CONFLICT,         /* 409 */
  BND_SERVER_ERROR_PRECONDITION,     /* 412 */
  BND_SERVER_ERROR_TOO_LARGE,        /* 413 */
  BND_SERVER_ERROR_INVALID,          /* 422 */
  BND_SERVER_ERROR_TOO_MANY,         /* 429 */
  BND_SERVER_ERROR_INTERNAL,         /* 500 */
  BND_SERVER_ERROR_CLOSED,           /* 409: a vote or rating after its round, for good */
  BND_SERVER_ERROR_LIMIT,            /* 409: a dossier has as many comments or files as it may */
  BND_SERVER_ERROR_PDF_CHECK,        /* 422: checking an uploaded PDF ran out of time or memory, or crashed */
  BND_SERVER_ERROR_BUSY,             /* 503: too many uploads being checked; Retry-After says when to try */
  BND_SERVER_ERROR_RANGE,            /* 416: a download's byte range starts past the file's end */
  BND_SERVER_N_ERRORS
} BndServerError;

/* The server's GError domain. An error of it may carry its message's msgid and the values put
 * into it (bnd_api_error_set()), so that a client can say it in its user's language. */
#define BND_SERVER_ERROR (bnd_server_error_quark ())
GQuark       bnd_server_error_quark (void);

void         bnd_api_error_set      (GError        **error,
                                     BndServerError  code,
                                     const char     *msgid,
                                     ...) G_GNUC_NULL_TERMINATED;
void         bnd_api_error_set_strv (GError            **error,
                                     BndServerError      code,
                                     const char         *msgid,
                                     const char * const *args);
const char  *bnd_api_error_get_msgid (const GError  *error);
const char * const *bnd_api_error_get_args (const GError *error);

guint        bnd_api_error_status   (BndServerError  code);
const char  *bnd_api_error_name     (BndServerError  code);
const char  *bnd_api_error_describe (const char     *name);
char        *bnd_api_error_message  (guint           status,
                                     const char     *name,
                                     const char     *message);
char        *bnd_api_error_from_answer (guint       status,
                                        JsonObject *answer);
JsonNode    *bnd_api_error_to_json  (const GError   *error);

G_END_DECLS
