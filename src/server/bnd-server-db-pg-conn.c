/* bnd-server-db-pg-conn.c: the server's database on PostgreSQL: where it is, opening it, and its
 * write transactions
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-db"

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "bnd-server-db-private.h"
#include "bnd-server-migrations.h"

/* A data folder keeps its database in server.db (SQLite), or names a PostgreSQL database in its
 * file "database": one line, a libpq connection URI (postgresql://…). `buendnis-server init
 * --database URI` writes it; every command that opens the folder then opens that database, so
 * that add-user, migrate, audit-verify and the rest need no option of their own. The file is
 * the folder owner's alone (0600): a URI may carry a password.
 *
 * Several server processes, on one machine or several, share one PostgreSQL database, each with
 * a data folder of its own that names it. Writers take one advisory lock per transaction (one per
 * alliance's schema, BND_PG_WRITE_LOCK), as
 * SQLite's BEGIN IMMEDIATE does: the audit chain's head and the changes' sequence number are
 * read and written by one writer at a time, and a check and its write see the same rows. */

#define DATABASE_FILE "database"
/* READ COMMITTED whatever the role's default: each statement after the lock sees every commit
 * before it, as SQLite's BEGIN IMMEDIATE does. */
#define WRITE_BEGIN "BEGIN ISOLATION LEVEL READ COMMITTED; " BND_PG_WRITE_LOCK

/* Held shared by every serving process for as long as it runs, exclusively by migrate: the
 * PostgreSQL form of server.lock in a data folder (bnd_server_maintenance_lock()), for servers
 * whose folders differ. */
#define SERVING_LOCK "4243000003"

static gboolean
is_postgresql_uri (const char *text)
{
  return g_str_has_prefix (text, "postgresql://") || g_str_has_prefix (text, "postgres://");
}

/**
 * bnd_server_db_read_url:
 *
 * Returns: (transfer full) (nullable): the PostgreSQL URI that @directory names, or %NULL
 */
char *
bnd_server_db_read_url (const char *directory)
{
  g_autofree char *path = g_build_filename (directory, DATABASE_FILE, NULL);
  g_autofree char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  g_strstrip (text);
  return is_postgresql_uri (text) ? g_steal_pointer (&text) : NULL;
}

/**
 * bnd_server_db_set_url:
 * @url: a libpq connection URI, postgresql://…
 *
 * Makes @directory's database the PostgreSQL database @url names.
 */
gboolean
bnd_server_db_set_url (const char  *directory,
                       const char  *url,
                       GError     **error)
{
  g_autofree char *path = g_build_filename (directory, DATABASE_FILE, NULL);
  g_autofree char *line = g_strconcat (url, "\n", NULL);

  if (!is_postgresql_uri (url))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is no PostgreSQL address; it begins with postgresql://"), url);
      return FALSE;
    }
  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s: %s", directory,
                   g_strerror (saved_errno));
      return FALSE;
    }
  return g_file_set_contents_full (path, line, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/* PostgreSQL's notices (a table that exists already, say) are for the log's debug level. */
static void
on_notice (void       *data,
           const char *message)
{
  g_debug ("PostgreSQL: %s", message);
}

/* A connection to @url that gives up after ten seconds unless @url sets connect_timeout itself:
 * libpq would wait as long as the system does, minutes for a host that does not answer. The
 * array's entry before the address is overridden by the address's own. */
static PGconn *
connect_pg (const char *url)
{
  const char *keywords[] = { "connect_timeout", "dbname", NULL };
  const char *values[] = { "10", url, NULL };

  return PQconnectdbParams (keywords, values, 1);
}

/**
 * bnd_server_db_open_pg:
 * @directory: the data folder that names the database, for messages
 * @create: whether to make the schema of an empty database
 *
 * Returns: (transfer full) (nullable): the connection at the latest schema, without its
 *   statement cache yet
 */
BndServerDb *
bnd_server_db_open_pg (const char  *directory,
                       const char  *url,
                       gboolean     create,
                       GError     **error)
{
  BndServerDb *self = g_new0 (BndServerDb, 1);
  int version = 0;

  self->pg = connect_pg (url);
  self->pg_url = g_strdup (url);
  if (self->pg == NULL || PQstatus (self->pg) != CONNECTION_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
                   _("The PostgreSQL database of %s cannot be reached: %s"), directory,
                   self->pg ? g_strchomp (PQerrorMessage (self->pg)) : "out of memory");
      bnd_server_db_free (self);
      return NULL;
    }
  PQsetNoticeProcessor (self->pg, on_notice, NULL);
  if (!bnd_server_pg_connection_check (self->pg, directory, error) ||
      !bnd_server_pg_schema_get_version (self->pg, &version, error) ||
      (create && version == 0 && !bnd_server_pg_schema_migrate (self->pg, directory, NULL, &version, error)) ||
      !bnd_server_schema_check_version (directory, version, error))
    {
      bnd_server_db_free (self);
      return NULL;
    }
  return self;
}

/**
 * bnd_server_db_open_sibling:
 * @self: a server's connection to PostgreSQL
 *
 * Another connection to @self's database, for a worker thread (bnd-server-worker.c): it signs
 * chain heads with @self's audit key, holds the serving lock when @self does, and keeps its own
 * statements (the worker gives it the e-mail settings). It
 * is returned even when the database cannot be reached now: like a lost connection, it connects
 * again at its next use (bnd_server_db_pg_ensure()), and until then its calls fail.
 *
 * Returns: (transfer full): the connection
 */
BndServerDb *
bnd_server_db_open_sibling (BndServerDb *self)
{
  BndServerDb *sibling = g_new0 (BndServerDb, 1);
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (self->pg != NULL, NULL);

  sibling->pg = connect_pg (self->pg_url);
  sibling->pg_url = g_strdup (self->pg_url);
  PQsetNoticeProcessor (sibling->pg, on_notice, NULL);
  /* Each of a serving process's connections holds the serving lock: a migrate must wait for
   * the last of them, whichever was lost and connected again (bnd_server_db_pg_ensure()). */
  sibling->pg_serving = self->pg_serving;
  if (PQstatus (sibling->pg) != CONNECTION_OK)
    g_warning ("database: %s", g_strchomp (PQerrorMessage (sibling->pg)));
  else if (!bnd_server_pg_connection_check (sibling->pg, "", &error) ||
           (sibling->pg_serving && !bnd_server_db_hold_serving_lock (sibling, "", &error)))
    g_warning ("database: %s", error->message);
  sibling->has_audit_key = self->has_audit_key;
  memcpy (sibling->audit_key, self->audit_key, sizeof sibling->audit_key);
  bnd_server_db_statements_init (sibling);
  bnd_server_db_memory_init (sibling);
  bnd_server_db_tokens_init (sibling);
  return sibling;
}

/* Texts go as UTF-8, and the database must keep them so: another encoding would change them. */
gboolean
bnd_server_pg_connection_check (PGconn      *conn,
                                const char  *directory,
                                GError     **error)
{
  const char *encoding = PQparameterStatus (conn, "server_encoding");

  if (PQsetClientEncoding (conn, "UTF8") == 0 && g_strcmp0 (encoding, "UTF8") == 0)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               _("The PostgreSQL database of %s is not in UTF-8 (but %s); create it with ENCODING 'UTF8'"),
               directory, encoding ? encoding : "?");
  return FALSE;
}

/**
 * bnd_server_db_pg_ensure:
 *
 * Connects again when the connection was lost (the database restarted, a failover, an idle
 * connection dropped): the statements keep their PGconn, which PQreset() reuses. A serving
 * process takes its serving lock again. A transaction under way when it was lost is gone; its
 * caller sees the failure.
 */
void
bnd_server_db_pg_ensure (BndServerDb *self)
{
  g_autoptr(GError) error = NULL;

  if (self->pg == NULL || PQstatus (self->pg) != CONNECTION_BAD)
    return;
  g_message ("The connection to PostgreSQL was lost; connecting again");
  PQreset (self->pg);
  if (PQstatus (self->pg) != CONNECTION_OK)
    return;
  if (!bnd_server_pg_connection_check (self->pg, "", &error) ||
      (self->pg_serving && !bnd_server_db_hold_serving_lock (self, "", &error)))
    g_warning ("database: %s", error->message);
}

gboolean
bnd_server_db_pg_begin (BndServerDb  *self,
                        GError      **error)
{
  bnd_server_db_pg_ensure (self);
  /* A write transaction is never nested: PostgreSQL would only warn, and the inner COMMIT would
   * end the outer transaction. */
  if (PQtransactionStatus (self->pg) != PQTRANS_IDLE)
    {
      g_warning ("database: a write transaction began inside another");
      return bnd_server_db_sql_error (self, error);
    }
  if (bnd_pg_exec (self->pg, WRITE_BEGIN, NULL))
    return TRUE;
  /* BEGIN went through but the lock did not (a statement timeout, say): end what it began. */
  if (PQtransactionStatus (self->pg) != PQTRANS_IDLE)
    bnd_pg_exec (self->pg, "ROLLBACK", NULL);
  return bnd_server_db_sql_error (self, error);
}

/* A transaction in which a statement failed ends in a rollback even when asked to commit:
 * PostgreSQL then answers "ROLLBACK", which is a failure here. */
gboolean
bnd_server_db_pg_commit (BndServerDb  *self,
                         GError      **error)
{
  PGresult *result;
  gboolean ok;

  if (PQtransactionStatus (self->pg) != PQTRANS_INTRANS && PQtransactionStatus (self->pg) != PQTRANS_INERROR)
    return bnd_server_db_sql_error (self, error);
  result = PQexec (self->pg, "COMMIT");
  ok = PQresultStatus (result) == PGRES_COMMAND_OK && g_str_equal (PQcmdStatus (result), "COMMIT");

  PQclear (result);
  return ok || bnd_server_db_sql_error (self, error);
}

/**
 * bnd_server_pg_file_read:
 *
 * Reads @length bytes at @offset of @file, from the row version it was found in (its ctid, with
 * its checksum): a row changed since is another version, and the read fails rather than mix
 * two files. The pdf columns are stored uncompressed (schema), so a piece is read without the
 * rest of the file.
 */
gboolean
bnd_server_pg_file_read (PGconn               *conn,
                         const BndServerFile  *file,
                         gint64                offset,
                         void                 *buffer,
                         gsize                 length,
                         GError              **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT substring (pdf FROM $2 FOR $3) FROM %s "
                                          "WHERE ctid = $1::tid AND sha256 = $4", file->table);
  g_autofree char *from = g_strdup_printf ("%" G_GINT64_FORMAT, offset + 1);
  g_autofree char *count = g_strdup_printf ("%" G_GSIZE_FORMAT, length);
  const char *values[4] = { file->tid, from, count, file->sha256 };
  PGresult *result;
  gboolean found;

  /* The piece comes back as bytes (result format 1), not as escaped text. */
  result = PQexecParams (conn, sql, 4, NULL, values, NULL, NULL, 1);
  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    {
      g_warning ("database: %s", PQresultErrorMessage (result));
      PQclear (result);
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_INTERNAL, "%s", _("The server's database failed"));
      return FALSE;
    }
  found = PQntuples (result) == 1 && (gsize)PQgetlength (result, 0, 0) == length;
  if (found)
    memcpy (buffer, PQgetvalue (result, 0, 0), length);
  PQclear (result);
  if (!found)
    g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_CONFLICT, "%s",
                 _("The file changed or was removed while it was read"));
  return found;
}

static gboolean
try_lock (PGconn      *conn,
          const char  *sql,
          gboolean    *taken,
          GError     **error)
{
  PGresult *result = PQexec (conn, sql);
  gboolean ok = PQresultStatus (result) == PGRES_TUPLES_OK && PQntuples (result) == 1;

  if (ok)
    *taken = g_str_equal (PQgetvalue (result, 0, 0), "t");
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "PostgreSQL: %s", g_strchomp (PQresultErrorMessage (result)));
  PQclear (result);
  return ok;
}

/**
 * bnd_server_db_hold_serving_lock:
 *
 * For serve: on PostgreSQL, holds the serving lock shared until the connection closes, so that
 * no migrate changes the schema under this server (on SQLite, server.lock in the folder does).
 */
gboolean
bnd_server_db_hold_serving_lock (BndServerDb  *self,
                                 const char   *directory,
                                 GError      **error)
{
  gboolean taken = FALSE;

  if (self->pg == NULL)
    return TRUE;
  if (!try_lock (self->pg, "SELECT pg_try_advisory_lock_shared (" SERVING_LOCK ")", &taken, error))
    return FALSE;
  if (!taken)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                 _("The database in %s is being upgraded by buendnis-server migrate; start the "
                   "server when it has finished"), directory);
  self->pg_serving = taken;
  return taken;
}

/**
 * bnd_server_pg_migrate:
 *
 * buendnis-server migrate on a folder whose database is PostgreSQL's: refused while any server
 * runs on the database, through whichever folder.
 */
gboolean
bnd_server_pg_migrate (const char  *directory,
                       const char  *url,
                       int         *from,
                       int         *to,
                       GError     **error)
{
  PGconn *conn = PQconnectdb (url);
  gboolean taken = FALSE;
  gboolean ok = FALSE;

  if (PQstatus (conn) != CONNECTION_OK)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
                 _("The PostgreSQL database of %s cannot be reached: %s"), directory,
                 g_strchomp (PQerrorMessage (conn)));
  else if (try_lock (conn, "SELECT pg_try_advisory_lock (" SERVING_LOCK ")", &taken, error) && !taken)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                 _("A buendnis-server is running on %s; stop it before upgrading the database"), directory);
  else if (taken && bnd_server_pg_connection_check (conn, directory, error))
    {
      PQsetNoticeProcessor (conn, on_notice, NULL);
      ok = bnd_server_pg_schema_migrate (conn, directory, from, to, error);
    }
  PQfinish (conn);
  return ok;
}
