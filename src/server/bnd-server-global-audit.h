/* bnd-server-global-audit.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bnd-server-db.h"

G_BEGIN_DECLS

/* The chain's name in the audit table, where the dossiers' chains are named by their UUIDs. */
#define BND_SERVER_GLOBAL_TRAIL "server"

gboolean   bnd_server_db_append_global_audit (BndServerDb  *db,
                                              const char   *actor,
                                              const char   *action,
                                              GError      **error,
                                              const char   *first_key,
                                              ...) G_GNUC_NULL_TERMINATED;
GPtrArray *bnd_server_db_global_audit        (BndServerDb  *db);
char      *bnd_server_command_line_actor     (void);

G_END_DECLS
