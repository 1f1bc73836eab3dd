/* bnd-json-check.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define BND_JSON_ERROR (bnd_json_error_quark ())

/* The deepest nesting our formats need is about 5; 64 leaves room and keeps json-glib, which
 * recurses once per level, far from the end of the stack. */
#define BND_JSON_MAX_DEPTH 64

typedef enum
{
  BND_JSON_ERROR_TOO_DEEP,
  BND_JSON_ERROR_SECOND_VALUE,
  BND_JSON_ERROR_SURROGATE,
  BND_JSON_ERROR_ESCAPE,
  BND_JSON_ERROR_CHARACTER,
} BndJsonError;

typedef enum
{
  BND_JSON_MISSING,
  BND_JSON_TYPE,
  BND_JSON_INVALID,
  BND_JSON_N_PROBLEMS
} BndJsonProblem;

typedef struct
{
  const char  *origin;                       /* the file name in messages */
  GQuark       domain;                       /* the caller's error domain … */
  int          codes[BND_JSON_N_PROBLEMS];   /* … and its code for each problem */
  GError     **error;
} BndJsonCheck;

GQuark      bnd_json_error_quark (void);
gboolean    bnd_json_check_limits (const char  *data,
                                   gsize        length,
                                   guint        max_depth,
                                   GError     **error);
gboolean    bnd_json_check_strings (BndJsonCheck *check,
                                    JsonNode     *node,
                                    const char   *path);
char       *bnd_json_dup_valid_text (const char  *text);

gpointer    bnd_json_check_fail (BndJsonCheck *check,
                                 int           code,
                                 const char   *path,
                                 const char   *format,
                                 ...) G_GNUC_PRINTF (4, 5);
JsonNode *bnd_json_get_member (BndJsonCheck *check,
                               JsonObject   *object,
                               const char   *path,
                               const char   *name,
                               gboolean     required);
gboolean bnd_json_get_string (BndJsonCheck *check,
                              JsonObject   *object,
                              const char   *path,
                              const char   *name,
                              gboolean     required,
                              const char   **out);
gboolean bnd_json_get_number (BndJsonCheck *check,
                              JsonObject   *object,
                              const char   *path,
                              const char   *name,
                              double       min,
                              double       max,
                              double       *out);
gboolean bnd_json_get_int (BndJsonCheck *check,
                           JsonObject   *object,
                           const char   *path,
                           const char   *name,
                           int          min,
                           int          max,
                           int          *out);
gboolean bnd_json_get_boolean (BndJsonCheck *check,
                               JsonObject   *object,
                               const char   *path,
                               const char   *name,
                               gboolean     *out);
JsonObject *bnd_json_get_object (BndJsonCheck *check,
                                 JsonObject   *object,
                                 const char   *path,
                                 const char   *name);
JsonArray *bnd_json_get_array (BndJsonCheck *check,
                               JsonObject   *object,
                               const char   *path,
                               const char   *name,
                               gboolean     required,
                               gboolean     non_empty);
GPtrArray *bnd_json_get_string_list (BndJsonCheck *check,
                                     JsonObject   *object,
                                     const char   *path,
                                     const char   *name,
                                     gboolean     required);

JsonObject *bnd_json_as_object (JsonNode   *node);
JsonArray  *bnd_json_array_of  (JsonObject *object,
                                const char *name);

G_END_DECLS
