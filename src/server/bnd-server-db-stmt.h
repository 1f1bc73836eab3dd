/* bnd-server-db-stmt.h: a statement of the server's database, as the queries use it
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* The queries of the server (the procedure, votes, users, mail, …) prepare, bind, step and read
 * their statements through these calls only, never through sqlite3_*(): they are written once
 * for every storage backend (issue 15: SQLite embedded, PostgreSQL for a hosted service). What
 * only one backend has (SQLite's backups, WAL index, blob reading and migrations) stays in the
 * backend's own files.
 *
 * Parameters are numbered ?1, ?2, … in the SQL; every statement uses each number it is bound.
 * A text is read from where it lies when the statement is stepped, so it must live until then
 * (bnd_db_bind_text_copy() takes a copy). Column numbers count from 0. A statement from
 * bnd_server_db_prepare() goes back to the cache at the end of its g_autoptr() scope.
 *
 * For SQLite the calls are SQLite's, inlined; PostgreSQL's are in bnd-server-db-pg.c. */
typedef struct _BndDbStmt BndDbStmt;
typedef struct _BndPgStmt BndPgStmt;

typedef enum
{
  BND_DB_ERROR = -1,
  BND_DB_ROW = 1,
  BND_DB_DONE = 0,
} BndDbStep;

/* One of the two is set: the backend's own statement. */
struct _BndDbStmt
{
  sqlite3_stmt *lite;
  BndPgStmt    *pg;
  gpointer      owner;   /* the BndServerDb that prepared it */
};

/* bnd-server-db-pg.c */
void          bnd_pg_stmt_bind     (BndPgStmt     *stmt,
                                    int            n,
                                    const char    *value,
                                    gsize          length,
                                    gboolean       binary,
                                    gboolean       copy);
void          bnd_pg_stmt_bind_int64 (BndPgStmt   *stmt,
                                    int            n,
                                    gint64         value);
BndDbStep     bnd_pg_stmt_step     (BndPgStmt     *stmt);
const char   *bnd_pg_stmt_text     (BndPgStmt     *stmt,
                                    int            n);
gint64        bnd_pg_stmt_int64    (BndPgStmt     *stmt,
                                    int            n);
gboolean      bnd_pg_stmt_is_null  (BndPgStmt     *stmt,
                                    int            n);
gconstpointer bnd_pg_stmt_bytes    (BndPgStmt     *stmt,
                                    int            n,
                                    gsize         *size);
gint64        bnd_pg_stmt_changes  (BndPgStmt     *stmt);
void          bnd_pg_stmt_reset    (BndPgStmt     *stmt);

static inline void
bnd_db_bind_text (BndDbStmt  *stmt,
                  int         n,
                  const char *value)
{
  if (G_LIKELY (stmt->lite != NULL))
    sqlite3_bind_text (stmt->lite, n, value, -1, SQLITE_STATIC);
  else
    bnd_pg_stmt_bind (stmt->pg, n, value, 0, FALSE, FALSE);
}

static inline void
bnd_db_bind_text_copy (BndDbStmt  *stmt,
                       int         n,
                       const char *value)
{
  if (G_LIKELY (stmt->lite != NULL))
    sqlite3_bind_text (stmt->lite, n, value, -1, SQLITE_TRANSIENT);
  else
    bnd_pg_stmt_bind (stmt->pg, n, value, 0, FALSE, TRUE);
}

static inline void
bnd_db_bind_int64 (BndDbStmt *stmt,
                   int        n,
                   gint64     value)
{
  if (G_LIKELY (stmt->lite != NULL))
    sqlite3_bind_int64 (stmt->lite, n, value);
  else
    bnd_pg_stmt_bind_int64 (stmt->pg, n, value);
}

/* Integers and booleans alike: a boolean is 0 or 1 in every backend's columns. */
static inline void
bnd_db_bind_int (BndDbStmt *stmt,
                 int        n,
                 int        value)
{
  bnd_db_bind_int64 (stmt, n, value);
}

/* The bytes must live until the statement is stepped, as a text's. */
static inline void
bnd_db_bind_bytes (BndDbStmt  *stmt,
                   int         n,
                   GBytes     *bytes)
{
  gsize size;
  gconstpointer data = g_bytes_get_data (bytes, &size);

  if (G_LIKELY (stmt->lite != NULL))
    sqlite3_bind_blob64 (stmt->lite, n, data, size, SQLITE_STATIC);
  else
    bnd_pg_stmt_bind (stmt->pg, n, data, size, TRUE, FALSE);
}

/* Returns: BND_DB_ROW while there is a row to read, BND_DB_DONE after the last (or the change),
 *   BND_DB_ERROR with the database's message for bnd_server_db_sql_error() */
static inline BndDbStep
bnd_db_step (BndDbStmt *stmt)
{
  int rc;

  if (G_UNLIKELY (stmt->lite == NULL))
    return bnd_pg_stmt_step (stmt->pg);
  rc = sqlite3_step (stmt->lite);
  return rc == SQLITE_ROW ? BND_DB_ROW : rc == SQLITE_DONE ? BND_DB_DONE : BND_DB_ERROR;
}

/* Returns: (nullable): the text in column @n of the row, valid until the next step */
static inline const char *
bnd_db_column_text (BndDbStmt *stmt,
                    int        n)
{
  if (G_LIKELY (stmt->lite != NULL))
    return (const char *)sqlite3_column_text (stmt->lite, n);
  return bnd_pg_stmt_text (stmt->pg, n);
}

/* A boolean column or expression reads as 1 or 0. */
static inline gint64
bnd_db_column_int64 (BndDbStmt *stmt,
                     int        n)
{
  if (G_LIKELY (stmt->lite != NULL))
    return sqlite3_column_int64 (stmt->lite, n);
  return bnd_pg_stmt_int64 (stmt->pg, n);
}

static inline int
bnd_db_column_int (BndDbStmt *stmt,
                   int        n)
{
  return (int)bnd_db_column_int64 (stmt, n);
}

static inline gboolean
bnd_db_column_is_null (BndDbStmt *stmt,
                       int        n)
{
  if (G_LIKELY (stmt->lite != NULL))
    return sqlite3_column_type (stmt->lite, n) == SQLITE_NULL;
  return bnd_pg_stmt_is_null (stmt->pg, n);
}

/* Returns: (nullable): the bytes in column @n, valid until the next step; @size their number */
static inline gconstpointer
bnd_db_column_bytes (BndDbStmt *stmt,
                     int        n,
                     gsize     *size)
{
  if (G_UNLIKELY (stmt->lite == NULL))
    return bnd_pg_stmt_bytes (stmt->pg, n, size);
  *size = sqlite3_column_bytes (stmt->lite, n);
  return sqlite3_column_blob (stmt->lite, n);
}

/* Returns: how many rows the statement just stepped to its end inserted, changed or deleted.
 * Ask right after its step: on SQLite the count is the connection's last statement's. */
static inline gint64
bnd_db_changes (BndDbStmt *stmt)
{
  if (G_LIKELY (stmt->lite != NULL))
    return sqlite3_changes (sqlite3_db_handle (stmt->lite));
  return bnd_pg_stmt_changes (stmt->pg);
}

/* Starts the statement over, with the same values bound: for a statement run once per item. */
static inline void
bnd_db_reset (BndDbStmt *stmt)
{
  if (G_LIKELY (stmt->lite != NULL))
    sqlite3_reset (stmt->lite);
  else
    bnd_pg_stmt_reset (stmt->pg);
}

G_END_DECLS
