/* bnd-server-copy.c: an installation's SQLite database moved into PostgreSQL
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-copy"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "bnd-server-copy.h"
#include "bnd-server-db-pg.h"
#include "bnd-server-migrations.h"

/* Every row of every table, in one PostgreSQL transaction: the target has all of it or none.
 * Values go as they are stored (integers and text as text, files as bytes), so every hash of
 * the audit trail, every checksum and every token's hash stays what it was, and the trail
 * verifies on the copy as on the original. The sign-in throttle's secret is the original's, so
 * that its rows still count. Identity columns go on after the highest id copied.
 *
 * The tables in an order their foreign keys allow. A table of the source missing here would be
 * left behind: a source with a table not named here is refused (copy_tables_known()). */
static const char *tables[] = {
  "orgs", "users", "tokens", "records", "idempotency", "audit", "audit_head", "vote_rounds",
  "vote_entitled", "recusals", "votes", "attachments", "ratings", "assessments", "comments",
  "login_throttle", "login_known", "login_secret", "submissions", "statements", "consultations",
  "rating_rounds", "sessions", "session_items", "outbox", "mail_reminders", "server_clock",
};

static const char *identities[] = { "attachments", "comments", "outbox" };

static gboolean
pg_failed (PGresult  *result,
           GError   **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "PostgreSQL: %s",
               g_strchomp (PQresultErrorMessage (result)));
  PQclear (result);
  return FALSE;
}

static gboolean
lite_failed (sqlite3  *db,
             GError  **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "SQLite: %s", sqlite3_errmsg (db));
  return FALSE;
}

/* Whether the source's schema has exactly the tables above (SQLite's own aside). */
static gboolean
copy_tables_known (sqlite3  *db,
                   GError  **error)
{
  g_autoptr(GString) unknown = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                              "ORDER BY name", -1, &stmt, NULL) != SQLITE_OK)
    return lite_failed (db, error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *)sqlite3_column_text (stmt, 0);
      gboolean known = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
        known = known || g_str_equal (tables[i], name);
      if (!known)
        g_string_append_printf (unknown, "%s%s", unknown->len ? ", " : "", name);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return lite_failed (db, error);
  if (unknown->len == 0)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("The database has tables this copy does not know: %s"),
               unknown->str);
  return FALSE;
}

static gint64
count_pg (PGconn     *conn,
          const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM %s", table);
  PGresult *result = PQexec (conn, sql);
  gint64 n = -1;

  if (PQresultStatus (result) == PGRES_TUPLES_OK && PQntuples (result) == 1)
    n = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  PQclear (result);
  return n;
}

/* Copies @table's rows; *@n_rows counts them. */
static gboolean
copy_table (sqlite3     *source,
            PGconn      *target,
            const char  *table,
            gint64      *n_rows,
            GError     **error)
{
  g_autofree char *select = g_strdup_printf ("SELECT * FROM %s", table);
  g_autoptr(GString) insert = g_string_new (NULL);
  g_autofree char *name = g_strdup_printf ("copy_%s", table);
  g_autofree const char **values = NULL;
  g_autofree int *lengths = NULL;
  g_autofree int *formats = NULL;
  g_auto(GStrv) texts = NULL;
  sqlite3_stmt *stmt = NULL;
  PGresult *result;
  int columns, rc;

  if (sqlite3_prepare_v2 (source, select, -1, &stmt, NULL) != SQLITE_OK)
    return lite_failed (source, error);
  columns = sqlite3_column_count (stmt);
  g_string_append_printf (insert, "INSERT INTO %s (", table);
  for (int i = 0; i < columns; i++)
    g_string_append_printf (insert, "%s\"%s\"", i ? ", " : "", sqlite3_column_name (stmt, i));
  g_string_append (insert, ") VALUES (");
  for (int i = 0; i < columns; i++)
    g_string_append_printf (insert, "%s$%d", i ? ", " : "", i + 1);
  g_string_append (insert, ")");
  result = PQprepare (target, name, insert->str, columns, NULL);
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    {
      sqlite3_finalize (stmt);
      return pg_failed (result, error);
    }
  PQclear (result);

  values = g_new0 (const char *, columns);
  lengths = g_new0 (int, columns);
  formats = g_new0 (int, columns);
  texts = g_new0 (char *, columns + 1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (int i = 0; i < columns; i++)
        {
          g_clear_pointer (&texts[i], g_free);
          formats[i] = 0;
          lengths[i] = 0;
          switch (sqlite3_column_type (stmt, i))
            {
            case SQLITE_NULL:
              values[i] = NULL;
              break;
            case SQLITE_INTEGER:
              values[i] = texts[i] = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64)sqlite3_column_int64 (stmt, i));
              break;
            case SQLITE_BLOB:
              /* Empty bytes are bytes, not NULL. */
              values[i] = sqlite3_column_blob (stmt, i) ? sqlite3_column_blob (stmt, i) : "";
              lengths[i] = sqlite3_column_bytes (stmt, i);
              formats[i] = 1;
              break;
            case SQLITE_FLOAT:
            case SQLITE_TEXT:
            default:
              values[i] = (const char *)sqlite3_column_text (stmt, i);
              break;
            }
        }
      result = PQexecPrepared (target, name, columns, values, lengths, formats, 0);
      if (PQresultStatus (result) != PGRES_COMMAND_OK)
        {
          sqlite3_finalize (stmt);
          pg_failed (result, error);
          g_prefix_error (error, "%s: ", table);
          return FALSE;
        }
      PQclear (result);
      (*n_rows)++;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return lite_failed (source, error);
  return TRUE;
}

/**
 * bnd_server_copy_to_postgresql:
 * @directory: a data folder with server.db, at the latest schema (migrate first)
 * @url: a PostgreSQL database without Bündnis's tables, or with them and no rows
 * @n_rows: (out): how many rows were copied
 *
 * Copies every row of @directory's database into @url's, in one transaction, then compares
 * every table's count. The source is only read.
 */
gboolean
bnd_server_copy_to_postgresql (const char  *directory,
                               const char  *url,
                               gint64      *n_rows,
                               GError     **error)
{
  g_autofree char *path = g_build_filename (directory, "server.db", NULL);
  sqlite3 *source = NULL;
  PGconn *target = NULL;
  g_autofree char *where = NULL;
  gboolean ok = FALSE;
  int version = 0;

  *n_rows = 0;
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("No server.db in %s"), directory);
      return FALSE;
    }
  if (sqlite3_open_v2 (path, &source, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      lite_failed (source, error);
      goto out;
    }
  sqlite3_busy_timeout (source, 5000);
  if (!bnd_server_schema_check (source, directory, error) || !copy_tables_known (source, error))
    goto out;

  target = PQconnectdb (url);
  if (PQstatus (target) != CONNECTION_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, _("PostgreSQL cannot be reached: %s"),
                   g_strchomp (PQerrorMessage (target)));
      goto out;
    }
  /* Named in messages by its name, not by its address (which may carry a password) */
  where = g_strdup_printf ("“%s”", PQdb (target));
  if (!bnd_server_pg_schema_get_version (target, &version, error) ||
      (version == 0 && !bnd_server_pg_schema_migrate (target, where, NULL, &version, error)) ||
      !bnd_server_schema_check_version (where, version, error))
    goto out;

  /* One read transaction on the source, one write transaction on the target. */
  if (sqlite3_exec (source, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    {
      lite_failed (source, error);
      goto out;
    }
  if (!bnd_pg_exec (target, "BEGIN; " BND_PG_WRITE_LOCK, error))
    goto out;
  if (count_pg (target, "orgs") != 0 || count_pg (target, "records") != 0 || count_pg (target, "users") != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("The PostgreSQL database holds data already; copy fills only an empty one"));
      goto rollback;
    }
  /* The migration made a secret of its own; the original's keys the throttle's rows. */
  if (!bnd_pg_exec (target, "DELETE FROM login_secret", error))
    goto rollback;
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (!copy_table (source, target, tables[i], n_rows, error))
      goto rollback;
  for (guint i = 0; i < G_N_ELEMENTS (identities); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT setval (pg_get_serial_sequence ('%s', 'id'), "
                                              "coalesce (max (id), 0) + 1, false) FROM %s",
                                              identities[i], identities[i]);

      if (!bnd_pg_exec (target, sql, error))
        goto rollback;
    }
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM %s", tables[i]);
      sqlite3_stmt *stmt = NULL;
      gint64 before = -1;

      if (sqlite3_prepare_v2 (source, sql, -1, &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
        before = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
      if (before < 0 || before != count_pg (target, tables[i]))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The copy of %s does not count as many rows"),
                       tables[i]);
          goto rollback;
        }
    }
  ok = bnd_pg_exec (target, "COMMIT", error);
  goto out;

rollback:
  bnd_pg_exec (target, "ROLLBACK", NULL);
out:
  if (source != NULL)
    sqlite3_close_v2 (source);
  if (target != NULL)
    PQfinish (target);
  return ok;
}
