/* bnd-server-alliances.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bnd-server-db.h"
#include "bnd-strategy.h"

G_BEGIN_DECLS

gboolean     bnd_server_alliance_slug_is_valid (const char  *slug);
char        *bnd_server_alliance_folder        (const char  *data,
                                                const char  *slug);
GPtrArray   *bnd_server_alliance_list          (const char  *data);
BndStrategy *bnd_server_alliance_load_strategy (const char  *folder,
                                                gboolean     required,
                                                GError     **error);
gboolean     bnd_server_alliance_add_partners  (BndServerDb *db,
                                                BndStrategy *strategy,
                                                GError     **error);
gboolean     bnd_server_alliance_create        (const char  *data,
                                                const char  *slug,
                                                BndStrategy *strategy,
                                                GError     **error);

gboolean     bnd_server_alliance_record_added  (BndServerDb *db,
                                                const char  *actor,
                                                const char  *slug,
                                                BndStrategy *strategy,
                                                GError     **error);

G_END_DECLS
