/* bnd-dossier-cache.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bnd-store.h"

G_BEGIN_DECLS

gboolean   bnd_dossier_cache_refresh        (BndStore    *store,
                                             const char  *url,
                                             const char  *token,
                                             GError     **error);
JsonNode  *bnd_dossier_cache_get_json       (BndStore    *store,
                                             const char  *path);
GPtrArray *bnd_dossier_cache_list_dossiers  (BndStore    *store,
                                             GError     **error);
const char *bnd_dossier_cache_find_carrier (JsonNode  *portfolio,
                                            const char *dossier);
char      *bnd_dossier_cache_sketch_path     (const char *dossier);
char      *bnd_dossier_cache_submission_path (const char *dossier,
                                              gint64      n);
char      *bnd_dossier_cache_attachment_path (const char *dossier,
                                              JsonObject *attachment);
JsonObject *bnd_dossier_cache_find_ballot (JsonObject *vote,
                                           const char *org);
char      *bnd_dossier_cache_fingerprint (BndStore  *store,
                                          const char *dossier,
                                          const char *stage);
char      *bnd_dossier_cache_path           (const char  *dossier,
                                             const char  *what);

G_END_DECLS
