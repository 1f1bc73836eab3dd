/* bnd-server-statement.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bnd-server-db.h"
#include "bnd-server-vote.h"

G_BEGIN_DECLS

char   *bnd_server_db_write_statement (BndServerDb   *db,
                                       const BndUser *user,
                                       const BndRecord *record,
                                       const BndVoteRound *round,
                                       const char    *alliance,
                                       const char    *stage,
                                       gboolean      *positive,
                                       GError       **error);
BndServerFile *bnd_server_db_get_statement (BndServerDb *db,
                                       const BndUser *user,
                                       const char    *uuid,
                                       GError       **error);

G_END_DECLS
