/* bnd-server-db-pg.c: the server's statements on PostgreSQL, through libpq
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-db"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "bnd-server-db-pg.h"

/* The queries are written once, with SQLite's numbered parameters (?1, ?2, …) and SQL that both
 * databases read alike (bnd-server-db-stmt.h). Here a statement's text is rewritten to
 * PostgreSQL's $1, $2, … and run with PQexecParams() when it is first stepped: the values go
 * apart from the text, as text (integers written out) or, for files, as bytes. The rows come
 * back as text; a boolean reads as 1 or 0, bytea is unescaped when asked for.
 *
 * Statements run on the connection of the one BndServerDb that prepared them, one after the
 * other (libpq allows nothing else): a statement's whole result is fetched when it is stepped
 * first, so that the next one can run while its rows are read.
 *
 * A statement the database keeps for its next calls (bnd_pg_stmt_keep()) is prepared on the
 * connection (PQprepare()) at its next step and from then on only executed: PostgreSQL parses and
 * plans it once per connection instead of at every call, which is most of a short query's time.
 * A connection made anew (PQreset()) has another backend, which knows none of them: each is
 * prepared again there. Statements that are not kept are never prepared, so nothing named is
 * left behind on the connection when they are freed. */

/* SQLite takes up to 32766; the server's statements use a dozen at most. */
#define MAX_PARAMETERS 99

struct _BndPgStmt
{
  PGconn     *conn;
  char       *sql;        /* with $N */
  int         n_params;   /* those the SQL uses */
  int        *index;      /* ?N → $M, 0 when the SQL does not use N */
  int         n_index;
  const char **values;    /* NULL: SQL NULL */
  int        *lengths;
  int        *formats;    /* 0 text, 1 bytes */
  char      **owned;      /* the copies among @values */
  PGresult   *result;
  gboolean    executed;
  gboolean    failed;
  int         row;
  int         n_rows;
  gint64      changes;
  guchar     *unescaped;  /* the last bytea column read */
  char       *name;       /* (nullable): the prepared statement's, once kept */
  int         prepared_on; /* the backend it was prepared on (PQbackendPID()), 0 for none */
};

/* ?N → $M, outside quotes. PostgreSQL must know the type of every parameter it is sent, and a
 * number the SQL does not use has none: so the numbers used are counted anew from $1, and
 * @index maps each ?N to its $M (0 for a number the SQL does not use). */
/* The next ?N outside quotes from @p on, or NULL; @n its number, @end what follows it */
static const char *
next_parameter (const char  *p,
                int         *n,
                const char **end)
{
  char quote = 0;

  for (; *p; p++)
    {
      if (quote != 0)
        {
          if (*p == quote)
            quote = 0;
        }
      else if (*p == '\'' || *p == '"')
        quote = *p;
      else if (*p == '?' && g_ascii_isdigit (p[1]))
        {
          char *after = NULL;

          *n = (int)MIN (g_ascii_strtoull (p + 1, &after, 10), MAX_PARAMETERS);
          *end = after;
          return p;
        }
    }
  return NULL;
}

static char *
rewrite_parameters (const char  *sql,
                    int         *n_params,
                    int        **index,
                    int         *n_index)
{
  GString *out = g_string_sized_new (strlen (sql) + 8);
  gboolean used[MAX_PARAMETERS + 1] = { FALSE };
  const char *at, *end = sql;
  int highest = 0, n;

  for (const char *p = sql; (at = next_parameter (p, &n, &end)); p = end)
    {
      used[n] = TRUE;
      highest = MAX (highest, n);
    }
  *n_index = highest + 1;
  *index = g_new0 (int, *n_index);
  *n_params = 0;
  for (n = 1; n <= highest; n++)
    if (used[n])
      (*index)[n] = ++*n_params;

  for (const char *p = sql; ; p = end)
    {
      if (!(at = next_parameter (p, &n, &end)))
        {
          g_string_append (out, p);
          break;
        }
      g_string_append_len (out, p, at - p);
      g_string_append_printf (out, "$%d", (*index)[n]);
    }
  return g_string_free (out, FALSE);
}

BndPgStmt *
bnd_pg_stmt_new (PGconn     *conn,
                 const char *sql)
{
  BndPgStmt *stmt = g_new0 (BndPgStmt, 1);

  stmt->conn = conn;
  stmt->sql = rewrite_parameters (sql, &stmt->n_params, &stmt->index, &stmt->n_index);
  stmt->values = g_new0 (const char *, MAX (stmt->n_params, 1));
  stmt->lengths = g_new0 (int, MAX (stmt->n_params, 1));
  stmt->formats = g_new0 (int, MAX (stmt->n_params, 1));
  stmt->owned = g_new0 (char *, MAX (stmt->n_params, 1));
  return stmt;
}

static void
clear_result (BndPgStmt *stmt)
{
  g_clear_pointer (&stmt->result, PQclear);
  g_clear_pointer (&stmt->unescaped, PQfreemem);
  stmt->executed = FALSE;
  stmt->failed = FALSE;
  stmt->row = -1;
  stmt->n_rows = 0;
  stmt->changes = 0;
}

/* Forgets the result and the values bound, keeping the statement for the next use. */
void
bnd_pg_stmt_clear (BndPgStmt *stmt)
{
  clear_result (stmt);
  for (int i = 0; i < stmt->n_params; i++)
    {
      g_clear_pointer (&stmt->owned[i], g_free);
      stmt->values[i] = NULL;
      stmt->lengths[i] = 0;
      stmt->formats[i] = 0;
    }
}

void
bnd_pg_stmt_free (BndPgStmt *stmt)
{
  if (stmt == NULL)
    return;
  bnd_pg_stmt_clear (stmt);
  g_free (stmt->sql);
  g_free (stmt->index);
  g_free (stmt->values);
  g_free (stmt->lengths);
  g_free (stmt->formats);
  g_free (stmt->owned);
  g_free (stmt->name);
  g_free (stmt);
}

/**
 * bnd_pg_stmt_keep:
 *
 * The database keeps @stmt for its next calls on the same connection: prepare it there.
 */
void
bnd_pg_stmt_keep (BndPgStmt *stmt)
{
  static gint counter;

  if (stmt->name == NULL)
    stmt->name = g_strdup_printf ("bnd%d", g_atomic_int_add (&counter, 1));
}

/* Runs @stmt with its values: prepared when it is kept, else in one go. */
static PGresult *
execute (BndPgStmt *stmt)
{
  int backend;

  if (stmt->name == NULL)
    return PQexecParams (stmt->conn, stmt->sql, stmt->n_params, NULL, stmt->values, stmt->lengths,
                         stmt->formats, 0);
  backend = PQbackendPID (stmt->conn);
  if (stmt->prepared_on != backend)
    {
      PGresult *prepared = PQprepare (stmt->conn, stmt->name, stmt->sql, stmt->n_params, NULL);

      if (PQresultStatus (prepared) != PGRES_COMMAND_OK)
        return prepared;
      PQclear (prepared);
      stmt->prepared_on = backend;
    }
  return PQexecPrepared (stmt->conn, stmt->name, stmt->n_params, stmt->values, stmt->lengths, stmt->formats, 0);
}

void
bnd_pg_stmt_reset (BndPgStmt *stmt)
{
  clear_result (stmt);
}

/* Like sqlite3_bind_*(): a number the SQL does not have is ignored. */
void
bnd_pg_stmt_bind (BndPgStmt  *stmt,
                  int         n,
                  const char *value,
                  gsize       length,
                  gboolean    binary,
                  gboolean    copy)
{
  int i = n > 0 && n < stmt->n_index ? stmt->index[n] - 1 : -1;

  if (i < 0)
    return;
  clear_result (stmt);
  g_clear_pointer (&stmt->owned[i], g_free);
  if (copy && value != NULL)
    value = stmt->owned[i] = binary ? g_memdup2 (value, length) : g_strdup (value);
  stmt->values[i] = value;
  stmt->lengths[i] = binary ? (int)length : 0;
  stmt->formats[i] = binary ? 1 : 0;
  /* libpq takes a NULL pointer as SQL NULL: empty bytes are bytes still. */
  if (binary && value == NULL)
    stmt->values[i] = "";
}

void
bnd_pg_stmt_bind_int64 (BndPgStmt *stmt,
                        int        n,
                        gint64     value)
{
  int i = n > 0 && n < stmt->n_index ? stmt->index[n] - 1 : -1;

  if (i < 0)
    return;
  clear_result (stmt);
  g_free (stmt->owned[i]);
  stmt->owned[i] = g_strdup_printf ("%" G_GINT64_FORMAT, value);
  stmt->values[i] = stmt->owned[i];
  stmt->lengths[i] = 0;
  stmt->formats[i] = 0;
}

BndDbStep
bnd_pg_stmt_step (BndPgStmt *stmt)
{
  if (!stmt->executed)
    {
      ExecStatusType status;

      stmt->executed = TRUE;
      stmt->row = -1;
      stmt->result = execute (stmt);
      status = PQresultStatus (stmt->result);
      if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
        {
          stmt->failed = TRUE;
          /* The statement, never its values: which query failed is for the log. */
          g_warning ("database: %s in: %s", g_strchomp (PQresultErrorMessage (stmt->result)), stmt->sql);
          return BND_DB_ERROR;
        }
      stmt->n_rows = status == PGRES_TUPLES_OK ? PQntuples (stmt->result) : 0;
      stmt->changes = g_ascii_strtoll (PQcmdTuples (stmt->result), NULL, 10);
    }
  if (stmt->failed)
    return BND_DB_ERROR;
  if (stmt->row + 1 < stmt->n_rows)
    {
      stmt->row++;
      g_clear_pointer (&stmt->unescaped, PQfreemem);
      return BND_DB_ROW;
    }
  stmt->row = stmt->n_rows;
  return BND_DB_DONE;
}

static gboolean
has_value (BndPgStmt *stmt,
           int        n)
{
  return stmt->result != NULL && stmt->row >= 0 && stmt->row < stmt->n_rows && n >= 0 &&
         n < PQnfields (stmt->result) && !PQgetisnull (stmt->result, stmt->row, n);
}

const char *
bnd_pg_stmt_text (BndPgStmt *stmt,
                  int        n)
{
  return has_value (stmt, n) ? PQgetvalue (stmt->result, stmt->row, n) : NULL;
}

gint64
bnd_pg_stmt_int64 (BndPgStmt *stmt,
                   int        n)
{
  const char *text = bnd_pg_stmt_text (stmt, n);

  if (text == NULL)
    return 0;
  /* A boolean, as SQLite gives it: 1 or 0 */
  if (g_str_equal (text, "t"))
    return 1;
  if (g_str_equal (text, "f"))
    return 0;
  return g_ascii_strtoll (text, NULL, 10);
}

gboolean
bnd_pg_stmt_is_null (BndPgStmt *stmt,
                     int        n)
{
  return !has_value (stmt, n);
}

gconstpointer
bnd_pg_stmt_bytes (BndPgStmt *stmt,
                   int        n,
                   gsize     *size)
{
  size_t length = 0;

  *size = 0;
  if (!has_value (stmt, n))
    return NULL;
  g_clear_pointer (&stmt->unescaped, PQfreemem);
  if (!(stmt->unescaped = PQunescapeBytea ((const guchar *)PQgetvalue (stmt->result, stmt->row, n), &length)))
    return NULL;
  *size = length;
  return stmt->unescaped;
}

gint64
bnd_pg_stmt_changes (BndPgStmt *stmt)
{
  return stmt->changes;
}

/* The message of the statement that failed last, or of the connection */
const char *
bnd_pg_stmt_error (BndPgStmt *stmt)
{
  return stmt->failed && stmt->result ? PQresultErrorMessage (stmt->result) : PQerrorMessage (stmt->conn);
}

/**
 * bnd_pg_exec:
 * @sql: statements without parameters, such as BEGIN or a schema step
 *
 * Returns: whether they ran; @error says why not
 */
gboolean
bnd_pg_exec (PGconn      *conn,
             const char  *sql,
             GError     **error)
{
  PGresult *result = PQexec (conn, sql);
  ExecStatusType status = PQresultStatus (result);
  gboolean ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;

  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "PostgreSQL: %s", g_strchomp (PQresultErrorMessage (result)));
  PQclear (result);
  return ok;
}
