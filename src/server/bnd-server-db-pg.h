/* bnd-server-db-pg.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libpq-fe.h>

#include "bnd-server-db-stmt.h"

G_BEGIN_DECLS

/* The lock every writer takes first in its transaction, as SQLite's BEGIN IMMEDIATE: one per
 * schema, so that each alliance's writers (bnd-server-alliances.c) wait only for each other. */
#define BND_PG_WRITE_LOCK "SELECT pg_advisory_xact_lock (4243, hashtext (current_schema ()))"

BndPgStmt  *bnd_pg_stmt_new   (PGconn      *conn,
                               const char  *sql);
void        bnd_pg_stmt_clear (BndPgStmt   *stmt);
void        bnd_pg_stmt_free  (BndPgStmt   *stmt);
void        bnd_pg_stmt_keep  (BndPgStmt   *stmt);
const char *bnd_pg_stmt_error (BndPgStmt   *stmt);
gboolean    bnd_pg_exec       (PGconn      *conn,
                               const char  *sql,
                               GError     **error);

G_END_DECLS
