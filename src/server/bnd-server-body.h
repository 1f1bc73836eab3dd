/* bnd-server-body.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bnd-sketch.h"

G_BEGIN_DECLS

JsonObject *bnd_server_body_parse          (const char   *data,
                                            gsize         length,
                                            JsonNode    **root,
                                            GError      **error);
BndSketch  *bnd_server_body_read_sketch    (const char   *data,
                                            gsize         length,
                                            BndStrategy  *strategy,
                                            GError      **error);
gboolean    bnd_server_body_read_string    (JsonObject   *body,
                                            const char   *name,
                                            gboolean      optional,
                                            const char  **out,
                                            GError      **error);
gboolean    bnd_server_body_read_opening   (JsonObject   *body,
                                            guint         vote_days,
                                            gint64        now,
                                            const char  **question,
                                            gint64       *deadline,
                                            GStrv        *recused,
                                            GError      **error);
gboolean    bnd_server_body_read_rating    (JsonObject   *body,
                                            JsonObject  **scores,
                                            const char  **comment,
                                            GError      **error);
gboolean    bnd_server_body_read_stage     (JsonObject   *body,
                                            const char  **stage,
                                            GError      **error);

G_END_DECLS
