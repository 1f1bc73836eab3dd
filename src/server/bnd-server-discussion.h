/* bnd-server-discussion.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bnd-server-db.h"

G_BEGIN_DECLS

char      *bnd_server_check_assessment (JsonObject  *assessment,
                                        GError     **error);
gboolean   bnd_server_check_comment    (const char  *text,
                                        GError     **error);
gboolean   bnd_server_db_write_assessment (BndServerDb *db,
                                        const BndUser *user,
                                        const char    *uuid,
                                        const char    *body,
                                        GError       **error);
char      *bnd_server_db_get_assessment (BndServerDb  *db,
                                        const BndUser *user,
                                        const char    *uuid,
                                        GError       **error);
gint64     bnd_server_db_add_comment   (BndServerDb   *db,
                                        const BndUser *user,
                                        const char    *uuid,
                                        const char    *text,
                                        GError       **error);
JsonNode  *bnd_server_db_list_comments (BndServerDb   *db,
                                        const BndUser *user,
                                        const char    *uuid,
                                        GError       **error);

G_END_DECLS
