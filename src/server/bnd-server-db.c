/* bnd-server-db.c
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
#include <sodium.h>
#include <string.h>

#include "bnd-server-db-private.h"
#include "bnd-server-migrations.h"

/* The server's own database: organisations and the synced records; the accounts, their tokens
 * and sign-in failures are in bnd-server-db-users.c. Every value reaches SQL as a bound
 * parameter. The server is single-threaded around it (one SoupServer on one main context); only
 * password hashing runs elsewhere, on plain strings. */


int
bnd_server_error_status (const GError *error)
{
  return error->domain == BND_SERVER_ERROR ? bnd_api_error_status (error->code) : 500;
}

const char *
bnd_server_error_code (const GError *error)
{
  return error->domain == BND_SERVER_ERROR ? bnd_api_error_name (error->code) : "internal";
}

/* The details go to the log, not to whoever asked. */
gboolean
bnd_server_db_sql_error (BndServerDb  *self,
                         GError      **error)
{
  g_warning ("database: %s", self->pg ? PQerrorMessage (self->pg) : sqlite3_errmsg (self->db));
  g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_INTERNAL, "%s", _("The server's database failed"));
  return FALSE;
}

/* A new database gets every schema step; any other is left to the schema check. */
static gboolean
create_if_empty (BndServerDb  *self,
                 const char   *directory,
                 GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int version = 0;

  if (sqlite3_prepare_v2 (self->db, "SELECT count (*) FROM sqlite_master", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error_literal (error, BND_SERVER_SCHEMA_ERROR, BND_SERVER_SCHEMA_ERROR_FAILED,
                           sqlite3_errmsg (self->db));
      return FALSE;
    }
  if (sqlite3_column_int (stmt, 0) > 0)
    return TRUE;
  /* A statement still reading the schema would keep the steps from dropping a table. */
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (!bnd_server_schema_get_version (self->db, &version, error))
    return FALSE;
  return version != 0 || bnd_server_schema_migrate (self->db, directory, NULL, NULL, error);
}

/**
 * bnd_server_db_exists:
 *
 * Whether @directory holds a server.db; the error says how to make one. For every command that
 * needs an existing database, so that they all say it the same way.
 */
gboolean
bnd_server_db_exists (const char  *directory,
                      GError     **error)
{
  g_autofree char *path = g_build_filename (directory, "server.db", NULL);
  g_autofree char *url = bnd_server_db_read_url (directory);

  if (url != NULL || g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               _("No server database in %s; run “buendnis-server init --data %s” first"),
               directory, directory);
  return FALSE;
}

/**
 * bnd_server_db_open:
 * @directory: the data folder
 * @create: whether to make the database when there is none
 *
 * Opens the data folder's database: server.db in it, or the PostgreSQL database that its file
 * "database" names (bnd_server_db_set_url()).
 *
 * Returns: (transfer full): the database, at the latest schema
 */
BndServerDb *
bnd_server_db_open (const char  *directory,
                    gboolean     create,
                    GError     **error)
{
  g_autofree char *path = g_build_filename (directory, "server.db", NULL);
  g_autofree char *url = bnd_server_db_read_url (directory);
  g_autoptr(GError) local_error = NULL;
  BndServerDb *self;

  if (url != NULL)
    {
      if (!(self = bnd_server_db_open_pg (directory, url, create, error)))
        return NULL;
      bnd_server_db_statements_init (self);
      bnd_server_db_memory_init (self);
      bnd_server_db_tokens_init (self);
      return self;
    }
  if (!create && !bnd_server_db_exists (directory, error))
    return NULL;
  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s: %s", directory, g_strerror (saved_errno));
      return NULL;
    }

  self = g_new0 (BndServerDb, 1);
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", path, sqlite3_errmsg (self->db));
      bnd_server_db_free (self);
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 5000);

  /* Only a new, empty database is set up here; any other is upgraded by `migrate` alone, and
   * refused at another schema before anything is written to it (see bnd-server-migrations.c). */
  if ((create && !create_if_empty (self, directory, &local_error)) ||
      !bnd_server_schema_check (self->db, directory, &local_error))
    {
      /* Such as "file is not a database": say which file. */
      if (g_error_matches (local_error, BND_SERVER_SCHEMA_ERROR, BND_SERVER_SCHEMA_ERROR_FAILED))
        g_prefix_error (&local_error, "%s: ", path);
      g_propagate_error (error, g_steal_pointer (&local_error));
      bnd_server_db_free (self);
      return NULL;
    }
  /* synchronous=FULL: in WAL mode every commit is flushed (fsync of the WAL) before it returns,
   * so a vote or a submission the server has answered survives a power cut; NORMAL would only
   * survive a killed process. A commit costs one fsync more: the server writes little. */
  if (sqlite3_exec (self->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
                    NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", path, sqlite3_errmsg (self->db));
      bnd_server_db_free (self);
      return NULL;
    }
  bnd_server_db_statements_init (self);
  bnd_server_db_memory_init (self);
  bnd_server_db_tokens_init (self);
  return self;
}

void
bnd_server_db_free (BndServerDb *self)
{
  if (self == NULL)
    return;
  bnd_server_db_tokens_clear (self);
  bnd_server_db_memory_clear (self);
  bnd_server_db_statements_clear (self);
  g_clear_pointer (&self->db, sqlite3_close_v2);
  g_clear_pointer (&self->pg, PQfinish);
  g_free (self->pg_url);
  sodium_memzero (self->audit_key, sizeof self->audit_key);
  sodium_memzero (self->throttle_secret, sizeof self->throttle_secret);
  g_free (self->mail_domain);
  g_free (self);
}

/* Whether its calls wait on another process, maybe another machine: PostgreSQL's. */
gboolean
bnd_server_db_is_remote (BndServerDb *self)
{
  return self->pg != NULL;
}

gboolean
bnd_server_db_add_org (BndServerDb  *self,
                       const char   *id,
                       const char   *name,
                       const char   *kind,
                       GError      **error)
{
  g_autoptr(BndDbStmt) stmt = bnd_server_db_prepare (self, "INSERT INTO orgs (id, name, kind) VALUES (?1, ?2, ?3) "
                                                "ON CONFLICT (id) DO UPDATE SET name = ?2, kind = ?3", error);

  if (stmt == NULL)
    return FALSE;
  bnd_db_bind_text (stmt, 1, id);
  bnd_db_bind_text (stmt, 2, name);
  bnd_db_bind_text (stmt, 3, kind);
  if (bnd_db_step (stmt) != BND_DB_DONE)
    return bnd_server_db_sql_error (self, error);
  return TRUE;
}

/* What record_from_row() reads, in its order. */
#define RECORD_COLUMNS "uuid, org, stage, revision, seq, data, closed_at, " \
                       "EXISTS (SELECT 1 FROM submissions AS s WHERE s.uuid = records.uuid)"

static BndRecord *
record_from_row (BndDbStmt *stmt)
{
  BndRecord *record = g_new0 (BndRecord, 1);

  record->uuid = g_strdup (bnd_db_column_text (stmt, 0));
  record->org = g_strdup (bnd_db_column_text (stmt, 1));
  record->stage = g_strdup (bnd_db_column_text (stmt, 2));
  record->revision = bnd_db_column_int64 (stmt, 3);
  record->seq = bnd_db_column_int64 (stmt, 4);
  record->data = g_strdup (bnd_db_column_text (stmt, 5));
  record->closed_at = g_strdup (bnd_db_column_text (stmt, 6));
  record->submitted = bnd_db_column_int (stmt, 7) != 0;
  return record;
}

BndRecord *
bnd_server_db_get_record (BndServerDb *self,
                          const char  *uuid)
{
  g_autoptr(BndDbStmt) stmt =
    bnd_server_db_prepare (self, "SELECT " RECORD_COLUMNS " FROM records WHERE uuid = ?1", NULL);

  if (stmt == NULL)
    return NULL;
  bnd_db_bind_text (stmt, 1, uuid);
  return bnd_db_step (stmt) == BND_DB_ROW ? record_from_row (stmt) : NULL;
}

/**
 * bnd_server_db_can_see:
 *
 * Drafts are seen by their own organisation only; a dossier the coordination started with a
 * consultation also by the coordination; a submitted sketch also by the partners' seats.
 */
gboolean
bnd_server_db_can_see (const BndUser   *user,
                       const BndRecord *record)
{
  if (g_str_equal (user->org, record->org))
    return TRUE;
  if (user->role == BND_ROLE_COORDINATION)
    return !g_str_equal (record->stage, "draft");
  return user->role == BND_ROLE_PARTNER && record->submitted;
}

/**
 * bnd_server_db_get_dossier:
 *
 * The record, if @user may see it; otherwise a 404 error, whether it exists or not, so that
 * nobody learns of another organisation's draft.
 */
BndRecord *
bnd_server_db_get_dossier (BndServerDb    *self,
                           const BndUser  *user,
                           const char     *uuid,
                           GError        **error)
{
  BndRecord *record = bnd_server_db_get_record (self, uuid);

  if (record == NULL || !bnd_server_db_can_see (user, record))
    {
      g_clear_pointer (&record, bnd_record_free);
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_NOT_FOUND, _("No such dossier"));
    }
  return record;
}

/* Writers take the lock as they begin, so that two of them never fail each other at COMMIT. */
gboolean
bnd_server_db_begin (BndServerDb  *self,
                     GError      **error)
{
  if (self->pg != NULL)
    return bnd_server_db_pg_begin (self, error);
  bnd_server_db_end_read (self);
  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return bnd_server_db_sql_error (self, error);
  return TRUE;
}

gboolean
bnd_server_db_commit (BndServerDb  *self,
                      GError      **error)
{
  if (self->pg != NULL)
    return bnd_server_db_pg_commit (self, error);
  if (sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    return bnd_server_db_sql_error (self, error);
  return TRUE;
}

void
bnd_server_db_rollback (BndServerDb *self)
{
  if (self->pg != NULL)
    bnd_pg_exec (self->pg, "ROLLBACK", NULL);
  else
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Whether a write transaction of the caller's is open (a request's shared reads are none). */
gboolean
bnd_server_db_in_transaction (BndServerDb *self)
{
  if (self->pg != NULL)
    return PQtransactionStatus (self->pg) != PQTRANS_IDLE;
  return !sqlite3_get_autocommit (self->db) && !self->reading;
}

/**
 * bnd_server_db_finish:
 * @ok: whether the work inside the transaction succeeded (@error set if not)
 *
 * Ends the write transaction of bnd_server_db_begin(): commits it after work that succeeded,
 * rolls it back otherwise. So that a step's checks and its writes see the same database, a
 * writer begins before it checks, and ends with `bnd_server_db_finish (db, work (…), error)`.
 *
 * Returns: whether the work was committed
 */
gboolean
bnd_server_db_finish (BndServerDb  *self,
                      gboolean      ok,
                      GError      **error)
{
  if (ok && bnd_server_db_commit (self, error))
    return TRUE;
  bnd_server_db_rollback (self);
  return FALSE;
}

gint64
bnd_server_db_next_seq (BndServerDb *self)
{
  g_autoptr(BndDbStmt) stmt = bnd_server_db_prepare (self, "SELECT coalesce (max (seq), 0) + 1 FROM records", NULL);

  return stmt && bnd_db_step (stmt) == BND_DB_ROW ? bnd_db_column_int64 (stmt, 0) : 1;
}

/**
 * bnd_server_db_put_record:
 * @base_revision: the revision the client edited, 0 for a new record
 *
 * Writes a draft of the user's organisation if @base_revision is the current one. Call it inside
 * a write transaction (bnd_server_db_begin()): the check and the write must see the same record
 * (another server process on the same database could write in between: both writes on one base
 * would be taken, the first lost), and the sequence number must be the next one.
 *
 * Returns: (transfer full) (nullable): the record as stored
 */
BndRecord *
bnd_server_db_put_record (BndServerDb    *self,
                          const BndUser  *user,
                          const char     *uuid,
                          gint64          base_revision,
                          const char     *data,
                          GError        **error)
{
  g_autoptr(BndRecord) current = NULL;
  g_autoptr(BndDbStmt) stmt = NULL;
  gint64 seq;

  if (user->role != BND_ROLE_CARRIER)
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_FORBIDDEN, _("Only project carriers write sketches"));
      return NULL;
    }
  current = bnd_server_db_get_record (self, uuid);
  if (current != NULL && !bnd_server_db_can_see (user, current))
    {
      /* Another organisation's draft: as if it did not exist. */
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_NOT_FOUND, _("No such sketch"));
      return NULL;
    }
  if (current != NULL && !g_str_equal (current->org, user->org))
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_FORBIDDEN, _("This sketch belongs to another organisation"));
      return NULL;
    }
  /* A draft, a dossier started with a consultation, a sketch sent back for changes. */
  if (current != NULL && !bnd_procedure_may_edit_sketch (current->stage, NULL))
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_CONFLICT, _("The sketch has been submitted and cannot change"));
      return NULL;
    }
  if ((current ? current->revision : 0) != base_revision)
    {
      g_autofree char *revision = g_strdup_printf ("%lld", (long long)(current ? current->revision : 0));
      g_autofree char *base = g_strdup_printf ("%lld", (long long)base_revision);

      /* Translators: both %s are numbers */
      bnd_api_error_set (error, BND_SERVER_ERROR_PRECONDITION,
                         N_("The sketch changed on the server (revision %s, not %s)"), revision, base, NULL);
      return NULL;
    }

  seq = bnd_server_db_next_seq (self);
  if (!(stmt = bnd_server_db_prepare (self, "INSERT INTO records (uuid, org, stage, revision, seq, data, updated_by, updated) "
                              "VALUES (?1, ?2, 'draft', ?3, ?4, ?5, ?6, ?7) "
                              "ON CONFLICT (uuid) DO UPDATE SET revision = ?3, seq = ?4, data = ?5, updated_by = ?6, updated = ?7",
                        error)))
    return NULL;
  bnd_db_bind_text (stmt, 1, uuid);
  bnd_db_bind_text (stmt, 2, user->org);
  bnd_db_bind_int64 (stmt, 3, base_revision + 1);
  bnd_db_bind_int64 (stmt, 4, seq);
  bnd_db_bind_text (stmt, 5, data);
  bnd_db_bind_text (stmt, 6, user->name);
  bnd_db_bind_int64 (stmt, 7, g_get_real_time () / G_USEC_PER_SEC);
  if (bnd_db_step (stmt) != BND_DB_DONE)
    {
      bnd_server_db_sql_error (self, error);
      return NULL;
    }
  return bnd_server_db_get_record (self, uuid);
}

/**
 * bnd_server_db_find_file:
 * @table: "attachments", "submissions" or "statements", never a user's text
 * @where: the condition on @key (?1) and @id (?2), never a user's text
 *
 * Finds the PDF in @table's "pdf" column without reading it.
 *
 * Returns: (transfer full) (nullable): where it is, its size and checksum, or %NULL when there is none
 */
BndServerFile *
bnd_server_db_find_file (BndServerDb *self,
                         const char  *table,
                         const char  *where,
                         const char  *key,
                         gint64       id)
{
  /* PostgreSQL has no rowid: a row version's ctid finds the row again, and changes with it. */
  g_autofree char *sql = g_strdup_printf (self->pg ? "SELECT 0, length (pdf), sha256, ctid::text FROM %s WHERE %s"
                                                   : "SELECT rowid, length (pdf), sha256 FROM %s WHERE %s", table, where);
  g_autoptr(BndDbStmt) stmt = bnd_server_db_prepare (self, sql, NULL);
  BndServerFile *file;

  if (stmt == NULL)
    return NULL;
  bnd_db_bind_text (stmt, 1, key);
  bnd_db_bind_int64 (stmt, 2, id);
  if (bnd_db_step (stmt) != BND_DB_ROW)
    return NULL;
  file = g_new0 (BndServerFile, 1);
  file->table = table;
  file->rowid = bnd_db_column_int64 (stmt, 0);
  file->size = bnd_db_column_int64 (stmt, 1);
  file->sha256 = g_strdup (bnd_db_column_text (stmt, 2));
  file->tid = self->pg ? g_strdup (bnd_db_column_text (stmt, 3)) : NULL;
  return file;
}

struct _BndServerFileReader
{
  char          *path;
  sqlite3       *db;      /* its own read-only connection, open while it reads */
  sqlite3_blob  *blob;
  BndServerFile  file;
  gboolean       remote;  /* PostgreSQL: each piece is a statement of the caller's connection */
};

/**
 * bnd_server_db_open_file:
 *
 * A reader of @file. It reads on a connection of its own through one BLOB handle, which holds a
 * read transaction: on the server's connection that would keep the server's writes from
 * committing, and on a connection shared by all downloads one slow client would hold every
 * download to an old snapshot. So a download sees one consistent version of the file while it
 * reads, and never mixes two. bnd_server_file_reader_rest() closes the handle and the connection
 * when the client makes the download wait, so that a stalled client holds no transaction, no
 * file descriptor and no page cache.
 *
 * On PostgreSQL a piece is one statement on the connection the caller reads with (on a worker
 * thread, the worker's): each names the row version the file was found in (its ctid, with its
 * checksum), so no transaction needs to last from one piece to the next, and nothing rests.
 *
 * Returns: (transfer full): the reader
 */
BndServerFileReader *
bnd_server_db_open_file (BndServerDb         *self,
                         const BndServerFile *file)
{
  BndServerFileReader *reader = g_new0 (BndServerFileReader, 1);

  reader->path = self->db ? g_strdup (sqlite3_db_filename (self->db, "main")) : NULL;
  reader->remote = self->pg != NULL;
  reader->file.tid = g_strdup (file->tid);
  reader->file.table = file->table;
  reader->file.rowid = file->rowid;
  reader->file.size = file->size;
  reader->file.sha256 = g_strdup (file->sha256);
  return reader;
}

/* Opens the connection and the BLOB handle; then checks, in the handle's read transaction, that
 * the row is still the file that was found. */
static gboolean
reader_open (BndServerFileReader  *reader,
             GError              **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT 1 FROM %s WHERE rowid = ?1 AND sha256 = ?2", reader->file.table);
  g_autoptr(sqlite3_stmt) check = NULL;
  int rc;

  /* A small page cache: the pieces pass through it once. */
  if (sqlite3_open_v2 (reader->path, &reader->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      sqlite3_busy_timeout (reader->db, 5000) != SQLITE_OK ||
      sqlite3_exec (reader->db, "PRAGMA cache_size = -256", NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (reader->db, sql, -1, &check, NULL) != SQLITE_OK)
    {
      g_warning ("database: %s", reader->db ? sqlite3_errmsg (reader->db) : "out of memory");
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_INTERNAL, "%s", _("The server's database failed"));
      return FALSE;
    }
  rc = sqlite3_blob_open (reader->db, "main", reader->file.table, "pdf", reader->file.rowid, 0, &reader->blob);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (check, 1, reader->file.rowid);
      sqlite3_bind_text (check, 2, reader->file.sha256, -1, SQLITE_STATIC);
      if (sqlite3_step (check) == SQLITE_ROW)
        return TRUE;
    }
  /* No such row any more, or another file in it */
  g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_CONFLICT, "%s",
               _("The file changed or was removed while it was read"));
  return FALSE;
}

/**
 * bnd_server_file_reader_read:
 *
 * Reads @length bytes at @offset into @buffer; on PostgreSQL through @db (see
 * bnd_server_db_open_file()).
 *
 * Returns: %FALSE with @error set when the file is gone or changed, or the read failed
 */
gboolean
bnd_server_file_reader_read (BndServerFileReader  *reader,
                             BndServerDb          *db,
                             gint64                offset,
                             void                 *buffer,
                             gsize                 length,
                             GError              **error)
{
  int rc;

  g_return_val_if_fail (offset >= 0 && length <= G_MAXINT && offset + (gint64)length <= reader->file.size, FALSE);

  if (reader->remote)
    {
      bnd_server_db_pg_ensure (db);
      return bnd_server_pg_file_read (db->pg, &reader->file, offset, buffer, length, error);
    }

  if (reader->blob == NULL && !reader_open (reader, error))
    {
      bnd_server_file_reader_rest (reader);
      return FALSE;
    }
  if ((rc = sqlite3_blob_read (reader->blob, buffer, (int)length, (int)offset)) != SQLITE_OK)
    {
      g_warning ("database: %s", sqlite3_errstr (rc));
      bnd_server_file_reader_rest (reader);
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_INTERNAL, "%s", _("The server's database failed"));
      return FALSE;
    }
  return TRUE;
}

/* Closes the BLOB handle and the connection; the next read opens them again. Reading on through
 * one handle is cheap, while a new handle walks the row's overflow pages up to the offset: so
 * they stay open while the client keeps up. */
void
bnd_server_file_reader_rest (BndServerFileReader *reader)
{
  g_clear_pointer (&reader->blob, sqlite3_blob_close);
  g_clear_pointer (&reader->db, sqlite3_close_v2);
}

void
bnd_server_file_reader_free (BndServerFileReader *reader)
{
  if (reader == NULL)
    return;
  bnd_server_file_reader_rest (reader);
  g_free (reader->path);
  g_free (reader->file.sha256);
  g_free (reader->file.tid);
  g_free (reader);
}

/* The changes @user (?2 the organisation, ?3 the role) may see after sequence number ?1: the
 * own organisation's records, every dossier past the draft for the coordination, the submitted
 * ones for the partners. */
#define VISIBLE_CHANGES \
  "seq > ?1 AND (org = ?2 OR (?3 = 'coordination' AND stage != 'draft') OR " \
  "(?3 = 'partner' AND EXISTS (SELECT 1 FROM submissions AS s WHERE s.uuid = records.uuid)))"

/**
 * bnd_server_db_changes:
 *
 * Returns: (transfer container) (element-type BndRecord): what @user may see that changed after
 *   @since, in sequence order, at most @limit
 */
GPtrArray *
bnd_server_db_changes (BndServerDb   *self,
                       const BndUser *user,
                       gint64         since,
                       guint          limit,
                       gint64        *last_seq)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify)bnd_record_free);
  g_autoptr(BndDbStmt) stmt = NULL;
  gboolean remember;
  int status;

  *last_seq = since;
  /* Most polls find nothing new: the answer of an earlier poll says so while nothing changed. */
  if (bnd_server_db_quiet_since (self, user, since))
    return list;
  remember = bnd_server_db_memory_valid (self);
  if (!(stmt = bnd_server_db_prepare (self, "SELECT " RECORD_COLUMNS " FROM records WHERE " VISIBLE_CHANGES
                                      " ORDER BY seq LIMIT ?4", NULL)))
    return list;
  bnd_db_bind_int64 (stmt, 1, since);
  bnd_db_bind_text (stmt, 2, user->org);
  bnd_db_bind_text (stmt, 3, bnd_role_to_string (user->role));
  bnd_db_bind_int (stmt, 4, limit);
  while ((status = bnd_db_step (stmt)) == BND_DB_ROW)
    {
      BndRecord *record = record_from_row (stmt);
      *last_seq = record->seq;
      g_ptr_array_add (list, record);
    }
  /* Fewer than asked for: nothing visible changed after the last one. */
  if (remember && status == BND_DB_DONE && list->len < limit)
    bnd_server_db_quiet_remember (self, user, *last_seq);
  return list;
}

/**
 * bnd_server_db_count_changes:
 *
 * Returns: how many of the changes bnd_server_db_changes() would list for @user after @since
 *   there are, or -1 if the database fails
 */
gint64
bnd_server_db_count_changes (BndServerDb   *self,
                             const BndUser *user,
                             gint64         since)
{
  g_autoptr(BndDbStmt) stmt =
    bnd_server_db_prepare (self, "SELECT count (*) FROM records WHERE " VISIBLE_CHANGES, NULL);

  if (stmt == NULL)
    return -1;
  bnd_db_bind_int64 (stmt, 1, since);
  bnd_db_bind_text (stmt, 2, user->org);
  bnd_db_bind_text (stmt, 3, bnd_role_to_string (user->role));
  return bnd_db_step (stmt) == BND_DB_ROW ? bnd_db_column_int64 (stmt, 0) : -1;
}

char *
bnd_server_db_get_idempotent (BndServerDb *self,
                              const char  *user,
                              const char  *key,
                              int         *status)
{
  g_autoptr(BndDbStmt) stmt =
    bnd_server_db_prepare (self, "SELECT status, body FROM idempotency WHERE \"user\" = ?1 AND key = ?2", NULL);

  if (stmt == NULL)
    return NULL;
  bnd_db_bind_text (stmt, 1, user);
  bnd_db_bind_text (stmt, 2, key);
  if (bnd_db_step (stmt) != BND_DB_ROW)
    return NULL;
  *status = bnd_db_column_int (stmt, 0);
  return g_strdup (bnd_db_column_text (stmt, 1));
}

/* Inside the write transaction of the write it answers (bnd-server-sync.c). */
gboolean
bnd_server_db_put_idempotent (BndServerDb  *self,
                              const char   *user,
                              const char   *key,
                              int           status,
                              const char   *body,
                              GError      **error)
{
  g_autoptr(BndDbStmt) stmt =
    bnd_server_db_prepare (self, "INSERT INTO idempotency (\"user\", key, status, body, created) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (\"user\", key) "
                                 "DO UPDATE SET status = ?3, body = ?4, created = ?5", error);

  if (stmt == NULL)
    return FALSE;
  bnd_db_bind_text (stmt, 1, user);
  bnd_db_bind_text (stmt, 2, key);
  bnd_db_bind_int (stmt, 3, status);
  bnd_db_bind_text (stmt, 4, body);
  bnd_db_bind_int64 (stmt, 5, g_get_real_time () / G_USEC_PER_SEC);
  if (bnd_db_step (stmt) != BND_DB_DONE)
    return bnd_server_db_sql_error (self, error);
  return TRUE;
}

/* The count that @sql (SELECT count (*) … ?1) gives for @key; -1 when the query fails. */
gint64
bnd_server_db_count (BndServerDb *self,
                     const char  *sql,
                     const char  *key)
{
  g_autoptr(BndDbStmt) stmt = bnd_server_db_prepare (self, sql, NULL);

  if (stmt == NULL)
    return -1;
  bnd_db_bind_text (stmt, 1, key);
  return bnd_db_step (stmt) == BND_DB_ROW ? bnd_db_column_int64 (stmt, 0) : -1;
}

void
bnd_server_file_free (BndServerFile *file)
{
  if (file == NULL)
    return;
  g_free (file->sha256);
  g_free (file->tid);
  g_free (file);
}

void
bnd_record_free (BndRecord *record)
{
  g_free (record->uuid);
  g_free (record->org);
  g_free (record->stage);
  g_free (record->data);
  g_free (record->closed_at);
  g_free (record);
}
