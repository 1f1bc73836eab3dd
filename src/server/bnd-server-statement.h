/* bnd-server-statement.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bnd-server-db.h"

G_BEGIN_DECLS

char   *bnd_server_db_issue_statement (BndServerDb   *db,
                                       const BndUser *user,
                                       const char    *uuid,
                                       const char    *alliance,
                                       GError       **error);
BndServerFile *bnd_server_db_get_statement (BndServerDb *db,
                                       const BndUser *user,
                                       const char    *uuid,
                                       GError       **error);

G_END_DECLS
