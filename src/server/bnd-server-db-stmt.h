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
 * With SQLite alone a statement is SQLite's own, and these calls are SQLite's, inlined. */
typedef struct _BndDbStmt BndDbStmt;

typedef enum
{
  BND_DB_ERROR = -1,
  BND_DB_ROW = 1,
  BND_DB_DONE = 0,
} BndDbStep;

#define BND_DB_SQLITE(stmt) ((sqlite3_stmt *)(stmt))

static inline void
bnd_db_bind_text (BndDbStmt  *stmt,
                  int         n,
                  const char *value)
{
  sqlite3_bind_text (BND_DB_SQLITE (stmt), n, value, -1, SQLITE_STATIC);
}

static inline void
bnd_db_bind_text_copy (BndDbStmt  *stmt,
                       int         n,
                       const char *value)
{
  sqlite3_bind_text (BND_DB_SQLITE (stmt), n, value, -1, SQLITE_TRANSIENT);
}

static inline void
bnd_db_bind_int64 (BndDbStmt *stmt,
                   int        n,
                   gint64     value)
{
  sqlite3_bind_int64 (BND_DB_SQLITE (stmt), n, value);
}

/* Integers and booleans alike: a boolean is 0 or 1 in every backend's columns. */
static inline void
bnd_db_bind_int (BndDbStmt *stmt,
                 int        n,
                 int        value)
{
  sqlite3_bind_int (BND_DB_SQLITE (stmt), n, value);
}

/* @data must live until the statement is stepped, as a text's. */
static inline void
bnd_db_bind_bytes (BndDbStmt  *stmt,
                   int         n,
                   GBytes     *bytes)
{
  gsize size;
  gconstpointer data = g_bytes_get_data (bytes, &size);

  sqlite3_bind_blob64 (BND_DB_SQLITE (stmt), n, data, size, SQLITE_STATIC);
}

/* Returns: BND_DB_ROW while there is a row to read, BND_DB_DONE after the last (or the change),
 *   BND_DB_ERROR with the database's message for bnd_server_db_sql_error() */
static inline BndDbStep
bnd_db_step (BndDbStmt *stmt)
{
  int rc = sqlite3_step (BND_DB_SQLITE (stmt));

  return rc == SQLITE_ROW ? BND_DB_ROW : rc == SQLITE_DONE ? BND_DB_DONE : BND_DB_ERROR;
}

/* Returns: (nullable): the text in column @n of the row, valid until the next step */
static inline const char *
bnd_db_column_text (BndDbStmt *stmt,
                    int        n)
{
  return (const char *)sqlite3_column_text (BND_DB_SQLITE (stmt), n);
}

static inline gint64
bnd_db_column_int64 (BndDbStmt *stmt,
                     int        n)
{
  return sqlite3_column_int64 (BND_DB_SQLITE (stmt), n);
}

static inline int
bnd_db_column_int (BndDbStmt *stmt,
                   int        n)
{
  return sqlite3_column_int (BND_DB_SQLITE (stmt), n);
}

static inline gboolean
bnd_db_column_is_null (BndDbStmt *stmt,
                       int        n)
{
  return sqlite3_column_type (BND_DB_SQLITE (stmt), n) == SQLITE_NULL;
}

/* Returns: (nullable): the bytes in column @n, valid until the next step; @size their number */
static inline gconstpointer
bnd_db_column_bytes (BndDbStmt *stmt,
                     int        n,
                     gsize     *size)
{
  *size = sqlite3_column_bytes (BND_DB_SQLITE (stmt), n);
  return sqlite3_column_blob (BND_DB_SQLITE (stmt), n);
}

/* Returns: how many rows the statement, stepped to its end, inserted, changed or deleted */
static inline gint64
bnd_db_changes (BndDbStmt *stmt)
{
  return sqlite3_changes (sqlite3_db_handle (BND_DB_SQLITE (stmt)));
}

/* Starts the statement over, with the same values bound: for a statement run once per item. */
static inline void
bnd_db_reset (BndDbStmt *stmt)
{
  sqlite3_reset (BND_DB_SQLITE (stmt));
}

G_END_DECLS
