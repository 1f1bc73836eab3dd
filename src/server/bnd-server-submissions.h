/* bnd-server-submissions.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bnd-server-db.h"
#include "bnd-strategy.h"

G_BEGIN_DECLS

gboolean  bnd_server_db_submit           (BndServerDb     *db,
                                          const BndUser   *user,
                                          const char      *uuid,
                                          gint64           revision,
                                          GBytes          *pdf,
                                          const char      *sha256,
                                          gboolean         preview_differs,
                                          BndRecord      **record,
                                          GError         **error);
gboolean  bnd_server_db_get_submission   (BndServerDb     *db,
                                          const char      *uuid,
                                          gint64           n,
                                          BndServerFile  **pdf,
                                          char           **submitted_by);
char     *bnd_server_db_get_submitted_data (BndServerDb   *db,
                                          const char      *uuid);
gint64    bnd_server_db_count_submissions (BndServerDb    *db,
                                          const char      *uuid);
JsonNode *bnd_server_db_list_submissions (BndServerDb     *db,
                                          const BndUser   *user,
                                          const char      *uuid,
                                          GError         **error);
JsonNode *bnd_server_db_diff_submissions (BndServerDb     *db,
                                          const BndUser   *user,
                                          const char      *uuid,
                                          gint64           from,
                                          gint64           to,
                                          BndStrategy     *strategy,
                                          GError         **error);

G_END_DECLS
