/* bnd-store-profile.c: a whole profile to a file and back, to move it to another computer
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <unistd.h>

#include "bnd-store.h"
#include "bnd-store-private.h"

/* The exported file is an sqlite database with the store's schema, marked so that an import can
 * tell it from any other database: "BNDP" in the header, and the format in the meta table. */
#define PROFILE_APPLICATION_ID 0x424e4450
#define PROFILE_FORMAT         1

/* Files next to buendnis.db that belong to the profile and go with it. Nothing else in the folder
 * does: the WAL is in the snapshot already, and a token file written by "login --token-file" may
 * well lie there, but a token never leaves the computer. */
static const char *profile_files[] = { "strategy.json" };

/* Meta keys that stay behind: where this computer keeps the token, and the export's own mark. */
#define LOCAL_META_KEYS "('token_file', 'profile_format')"

/* Removes a database file and whatever sqlite made beside it: a profile file that says it is in
 * WAL mode leaves a -wal and a -shm next to the private copy of an import. */
static void
remove_partial (const char *path)
{
  static const char *suffixes[] = { "-journal", "-wal", "-shm", "" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

static gboolean
bind_step (BndStore    *self,
           const char  *sql,
           const char  *text,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = _bnd_store_prepare (self, sql, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  return _bnd_store_step_done (self, stmt, error);
}

/* Adds the profile's own files to the attached export, if there are any. */
static gboolean
export_files (BndStore  *self,
              GError   **error)
{
  g_autofree char *directory = g_path_get_dirname (self->path);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!_bnd_store_exec (self, "CREATE TABLE export.profile_files (name TEXT PRIMARY KEY, data BLOB NOT NULL);",
                        error) ||
      !(stmt = _bnd_store_prepare (self, "INSERT INTO export.profile_files (name, data) VALUES (?1, ?2)",
                                   error)))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (profile_files); i++)
    {
      g_autofree char *path = g_build_filename (directory, profile_files[i], NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GError) local_error = NULL;
      gsize length;

      if (!g_file_get_contents (path, &contents, &length, &local_error))
        {
          if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, profile_files[i], -1, SQLITE_STATIC);
      sqlite3_bind_blob (stmt, 2, contents, length, SQLITE_STATIC);
      if (!_bnd_store_step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gpointer
export_job (BndStore  *self,
            gpointer   data,
            GError   **error)
{
  const char *file = data;
  g_autofree char *directory = g_path_get_dirname (file);
  g_autofree char *base = g_path_get_basename (file);
  g_autofree char *partial = NULL;
  g_autofree char *mark = NULL;
  gboolean attached = FALSE;
  int fd;

  /* VACUUM and ATTACH need the connection outside a transaction. */
  if (self->in_batch)
    {
      g_set_error (error, BND_STORE_ERROR, BND_STORE_ERROR_SQL, "%s",
                   _("The profile cannot be exported in the middle of a sync."));
      return NULL;
    }

  /* Written next to the target and renamed over it at the end: a reader never sees half a
   * profile. Created empty with mode 0600 first, since VACUUM INTO would use the umask. */
  partial = g_strdup_printf ("%s/.%s.XXXXXX", directory, base);
  if ((fd = g_mkstemp_full (partial, O_RDWR | O_CLOEXEC, 0600)) < 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), _("Could not write %s: %s"), file,
                   g_strerror (saved_errno));
      return NULL;
    }
  close (fd);

  /* One read transaction on the store's own connection: a consistent snapshot, even while the
   * application goes on writing to the profile. */
  if (!bind_step (self, "VACUUM INTO ?1", partial, error) ||
      !bind_step (self, "ATTACH DATABASE ?1 AS export", partial, error))
    goto failed;
  attached = TRUE;

  mark = g_strdup_printf ("PRAGMA export.journal_mode = DELETE;"
                          "PRAGMA export.secure_delete = ON;"
                          "PRAGMA export.application_id = %d;"
                          /* Deferred: IMMEDIATE would also lock the profile, which the
                           * application may be writing to. */
                          "BEGIN;"
                          "DELETE FROM export.meta WHERE key IN " LOCAL_META_KEYS ";"
                          "INSERT INTO export.meta (key, value) VALUES ('profile_format', '%d');",
                          PROFILE_APPLICATION_ID, PROFILE_FORMAT);
  if (!_bnd_store_exec (self, mark, error) || !export_files (self, error) ||
      !_bnd_store_exec (self, "COMMIT;", error))
    {
      _bnd_store_exec (self, "ROLLBACK;", NULL);
      goto failed;
    }
  attached = FALSE;
  if (!_bnd_store_exec (self, "DETACH DATABASE export;", error))
    goto failed;

  /* On disk before the rename: a crash must not leave a complete name on half a profile. */
  fd = g_open (partial, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0 || fsync (fd) != 0 || g_chmod (partial, 0600) != 0 || g_rename (partial, file) != 0)
    {
      int saved_errno = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), _("Could not write %s: %s"), file,
                   g_strerror (saved_errno));
      goto failed;
    }
  close (fd);
  return GINT_TO_POINTER (TRUE);

failed:
  if (attached)
    _bnd_store_exec (self, "DETACH DATABASE export;", NULL);
  remove_partial (partial);
  return NULL;
}

/**
 * bnd_store_export_profile:
 * @self: a #BndStore
 * @file: where to write the profile
 * @error: return location for an error
 *
 * Writes the whole profile to @file, for bnd_store_import_profile() on another computer: the
 * sketches and their versions, sync state, queued votes and ratings, conflicts, the dossier
 * cache, the server's address and the user name. Not the sign-in: the token stays where it is
 * (keyring or token file), and so does the path of a token file.
 *
 * The file is a consistent snapshot even while another process writes to the profile, appears
 * only when complete (written beside it, then renamed), and is readable by its owner only.
 */
gboolean
bnd_store_export_profile (BndStore    *self,
                          const char  *file,
                          GError     **error)
{
  g_return_val_if_fail (BND_IS_STORE (self), FALSE);
  g_return_val_if_fail (file != NULL, FALSE);

  return _bnd_store_run_sync (self, export_job, g_canonicalize_filename (file, NULL), g_free, error) != NULL;
}

void
bnd_store_export_profile_async (BndStore            *self,
                                const char          *file,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (BND_IS_STORE (self));
  g_return_if_fail (file != NULL);

  _bnd_store_run_async (self, BND_STORE_READS, export_job, g_canonicalize_filename (file, NULL), g_free, NULL,
                        bnd_store_export_profile_async, cancellable, callback, user_data);
}

gboolean
bnd_store_export_profile_finish (BndStore      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_pointer (G_TASK (result), error) != NULL;
}

static gboolean
query_int (sqlite3     *db,
           const char  *sql,
           int         *value)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK || sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  *value = sqlite3_column_int (stmt, 0);
  return TRUE;
}

/* Is @db (the file @file) a profile this version can import? Returns its schema version. */
static gboolean
check_profile_db (sqlite3     *db,
                  const char  *file,
                  int         *version,
                  GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *display = g_filename_display_name (file);
  int application_id = 0;
  int format = 0;

  /* Any file opens; the first read tells whether it is a database at all, and a cut-off copy
   * already fails there. */
  if (!query_int (db, "PRAGMA application_id", &application_id) &&
      (sqlite3_errcode (db) == SQLITE_CORRUPT || sqlite3_errcode (db) == SQLITE_IOERR_SHORT_READ))
    {
      g_set_error (error, BND_STORE_ERROR, BND_STORE_ERROR_CORRUPT, _("The profile %s is damaged: %s"),
                   display, sqlite3_errmsg (db));
      return FALSE;
    }
  if (application_id != PROFILE_APPLICATION_ID)
    {
      g_set_error (error, BND_STORE_ERROR, BND_STORE_ERROR_NOT_PROFILE,
                   _("%s is not a Bündnis profile (see “buendnis-cli profile export”)"), display);
      return FALSE;
    }

  if (sqlite3_prepare_v2 (db, "PRAGMA integrity_check (1)", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW || g_strcmp0 ((const char *)sqlite3_column_text (stmt, 0), "ok") != 0)
    {
      g_set_error (error, BND_STORE_ERROR, BND_STORE_ERROR_CORRUPT, _("The profile %s is damaged: %s"),
                   display,
                   stmt && sqlite3_column_text (stmt, 0) ? (const char *)sqlite3_column_text (stmt, 0)
                                                         : sqlite3_errmsg (db));
      return FALSE;
    }

  if (!query_int (db, "PRAGMA user_version", version) ||
      !query_int (db, "SELECT CAST (value AS INTEGER) FROM meta WHERE key = 'profile_format'", &format) ||
      *version < 1)
    {
      g_set_error (error, BND_STORE_ERROR, BND_STORE_ERROR_NOT_PROFILE,
                   _("%s is not a Bündnis profile (see “buendnis-cli profile export”)"), display);
      return FALSE;
    }

  /* The store's schema has no triggers and no views, and its one virtual table is the fts5 index.
   * Anything else came from someone else's hands and would run its SQL in the migration of the
   * copy or in the import's reads. */
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (sqlite3_prepare_v2 (db,
                          "SELECT count (*) FROM sqlite_schema "
                          "WHERE type IN ('trigger', 'view') "
                          "  OR (sql LIKE 'CREATE VIRTUAL TABLE%' AND (name != 'sketch_text' OR "
                          "      sql NOT LIKE 'CREATE VIRTUAL TABLE sketch_text USING fts5 (%'))",
                          -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_int (stmt, 0) != 0)
    {
      g_set_error (error, BND_STORE_ERROR, BND_STORE_ERROR_NOT_PROFILE,
                   _("%s is not a Bündnis profile (see “buendnis-cli profile export”)"), display);
      return FALSE;
    }

  if (*version > (int)_bnd_store_schema_version () || format > PROFILE_FORMAT)
    {
      g_set_error (error, BND_STORE_ERROR, BND_STORE_ERROR_TOO_NEW,
                   _("The profile %s comes from a newer version of Bündnis; update Bündnis to import it."),
                   display);
      return FALSE;
    }
  return TRUE;
}

/* Opens a profile file that may come from anyone: defensive, so that its SQL cannot write to
 * the schema or corrupt the file on purpose, and without trusting its schema to call functions. */
static sqlite3 *
open_profile_file (const char  *file,
                   const char  *path,
                   int          flags,
                   GError     **error)
{
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (path, &db, flags, NULL) != SQLITE_OK ||
      sqlite3_db_config (db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL) != SQLITE_OK ||
      sqlite3_db_config (db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL) != SQLITE_OK)
    {
      g_autofree char *display = g_filename_display_name (file);
      g_set_error (error, BND_STORE_ERROR, BND_STORE_ERROR_OPEN, _("Could not open the database %s: %s"),
                   display, db ? sqlite3_errmsg (db) : "");
      sqlite3_close_v2 (db);
      return NULL;
    }
  return db;
}

/**
 * bnd_store_check_profile_file:
 * @file: a file written by bnd_store_export_profile()
 * @error: return location for an error: %G_IO_ERROR_NOT_FOUND, or %BND_STORE_ERROR_NOT_PROFILE,
 *   %BND_STORE_ERROR_CORRUPT or %BND_STORE_ERROR_TOO_NEW
 *
 * Checks, read-only and without a store, that @file can be imported: an sqlite database, intact,
 * marked as a Bündnis profile, and not from a newer version. Blocks: for the command-line tool,
 * before it opens the profile to import into.
 */
gboolean
bnd_store_check_profile_file (const char  *file,
                              GError     **error)
{
  sqlite3 *db = NULL;
  gboolean ok;
  int version;

  g_return_val_if_fail (file != NULL, FALSE);

  if (!g_file_test (file, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *display = g_filename_display_name (file);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("There is no file %s"), display);
      return FALSE;
    }

  if (!(db = open_profile_file (file, file, SQLITE_OPEN_READONLY, error)))
    return FALSE;
  ok = check_profile_db (db, file, &version, error);
  sqlite3_close_v2 (db);
  return ok;
}

/* A private copy of the profile file, checked and brought to our schema by the normal
 * migrations: the file itself is never changed, and the store's tables and the copy's match. */
static char *
prepare_import (const char  *file,
                char       **directory,
                GError     **error)
{
  g_autoptr(GFile) source = g_file_new_for_path (file);
  g_autoptr(GFile) target = NULL;
  g_autofree char *copy = NULL;
  sqlite3 *db = NULL;
  gboolean ok;
  int version;

  if (!(*directory = g_dir_make_tmp ("buendnis-import-XXXXXX", error)))
    return NULL;
  copy = g_build_filename (*directory, BND_STORE_DATABASE_NAME, NULL);
  target = g_file_new_for_path (copy);
  if (!g_file_copy (source, target, G_FILE_COPY_NONE, NULL, NULL, NULL, error))
    return NULL;

  if (!(db = open_profile_file (file, copy, SQLITE_OPEN_READWRITE, error)))
    return NULL;
  ok = check_profile_db (db, file, &version, error) && _bnd_store_migrate (db, version, error);
  sqlite3_close_v2 (db);
  return ok ? g_steal_pointer (&copy) : NULL;
}

/* The tables an import copies as they are. Both sides have the same schema (the copy was
 * migrated), so "SELECT *" lines up. */
static const char *copied_tables[] = {
  "versions", "sync_state", "queued_votes", "queued_ratings", "server_cache",
};

/* Every table of a migrated copy must be handled here: a migration that adds a table without
 * adding it to the import would otherwise lose it on the way to another computer. */
static gboolean
check_import_tables (BndStore  *self,
                     GError   **error)
{
  static const char *handled[] = { "sketches", "sketch_text", "index_queue", "meta", "profile_files" };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int result;

  if (!(stmt = _bnd_store_prepare (self, "SELECT name FROM import.sqlite_schema WHERE type = 'table' "
                                         "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'sketch_text_%'",
                                   error)))
    return FALSE;
  while ((result = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *)sqlite3_column_text (stmt, 0);

      if (!g_strv_contains (handled, name) && !g_strv_contains (copied_tables, name))
        {
          g_set_error (error, BND_STORE_ERROR, BND_STORE_ERROR_SQL, _("Cannot import the table %s"), name);
          return FALSE;
        }
    }
  return result == SQLITE_DONE ? TRUE : _bnd_store_set_sql_error (self, error);
}

/* Writes the profile's own files that came with the import, unless the folder has them already. */
static gboolean
import_files (BndStore  *self,
              GError   **error)
{
  g_autofree char *directory = g_path_get_dirname (self->path);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int result;

  if (!(stmt = _bnd_store_prepare (self, "SELECT name, data FROM import.profile_files", error)))
    return FALSE;
  while ((result = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *)sqlite3_column_text (stmt, 0);
      g_autofree char *path = NULL;

      /* Only names we know: a name from the file must not pick a path. */
      if (name == NULL || !g_strv_contains (profile_files, name))
        continue;
      path = g_build_filename (directory, name, NULL);
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        continue;
      if (!g_file_set_contents_full (path, sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1),
                                     G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
        return FALSE;
    }
  /* A read that fails half-way must not pass for a profile without its files. */
  return result == SQLITE_DONE ? TRUE : _bnd_store_set_sql_error (self, error);
}

static gboolean
copy_import (BndStore  *self,
             GError   **error)
{
  int used = 0;

  {
    g_autoptr(sqlite3_stmt) stmt = NULL;

    if (!(stmt = _bnd_store_prepare (self, "SELECT (SELECT count(*) FROM main.sketches)"
                                           " + (SELECT count(*) FROM main.versions)"
                                           " + (SELECT count(*) FROM main.queued_votes)"
                                           " + (SELECT count(*) FROM main.queued_ratings)", error)))
      return FALSE;
    if (sqlite3_step (stmt) != SQLITE_ROW)
      return _bnd_store_set_sql_error (self, error);
    used = sqlite3_column_int (stmt, 0);
  }
  if (used > 0)
    {
      g_autofree char *directory = g_path_get_dirname (self->path);

      g_set_error (error, BND_STORE_ERROR, BND_STORE_ERROR_NOT_EMPTY,
                   _("The profile %s is not empty; a profile can only be imported into an empty one."),
                   directory);
      return FALSE;
    }

  if (!check_import_tables (self, error))
    return FALSE;

  /* An empty profile may still know a server (signed in, nothing synced yet): the imported
   * profile's server, cache and sync state take its place. */
  if (!_bnd_store_exec (self,
                        "DELETE FROM main.sync_state; DELETE FROM main.meta; DELETE FROM main.server_cache;"
                        "DELETE FROM main.sketch_text; DELETE FROM main.index_queue; DELETE FROM main.sketches;"
                        "INSERT INTO main.sketches SELECT * FROM import.sketches;"
                        /* The search index goes by the sketch's rowid, which may differ here, and so
                         * do the texts still queued for it (bnd-store-index.c). */
                        "INSERT INTO main.sketch_text (rowid, title, body) "
                        "  SELECT m.rowid, t.title, t.body FROM import.sketch_text AS t"
                        "  JOIN import.sketches AS s ON s.rowid = t.rowid"
                        "  JOIN main.sketches AS m ON m.uuid = s.uuid;"
                        "INSERT INTO main.index_queue (sketch, title, body) "
                        "  SELECT m.rowid, q.title, q.body FROM import.index_queue AS q"
                        "  JOIN import.sketches AS s ON s.rowid = q.sketch"
                        "  JOIN main.sketches AS m ON m.uuid = s.uuid;"
                        "INSERT INTO main.meta SELECT * FROM import.meta WHERE key NOT IN " LOCAL_META_KEYS ";",
                        error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (copied_tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("INSERT INTO main.%s SELECT * FROM import.%s;",
                                              copied_tables[i], copied_tables[i]);

      if (!_bnd_store_exec (self, sql, error))
        return FALSE;
    }
  return TRUE;
}

static gpointer
import_job (BndStore  *self,
            gpointer   data,
            GError   **error)
{
  const char *file = data;
  g_autofree char *directory = NULL;
  g_autofree char *copy = NULL;
  gboolean ok = FALSE;

  if (self->in_batch)
    {
      g_set_error (error, BND_STORE_ERROR, BND_STORE_ERROR_SQL, "%s",
                   _("A profile cannot be imported in the middle of a sync."));
      return NULL;
    }

  if ((copy = prepare_import (file, &directory, error)) &&
      bind_step (self, "ATTACH DATABASE ?1 AS import", copy, error))
    {
      /* One transaction: the check that the profile is empty and the copy, or nothing. */
      if (_bnd_store_exec (self, "BEGIN IMMEDIATE;", error))
        {
          if (copy_import (self, error) && _bnd_store_exec (self, "COMMIT;", error))
            ok = self->unindexed = TRUE;
          else
            _bnd_store_exec (self, "ROLLBACK;", NULL);
        }
      /* After the commit: a file that cannot be written does not undo the sketches. */
      if (ok && !import_files (self, error))
        ok = FALSE;
      _bnd_store_exec (self, "DETACH DATABASE import;", NULL);
    }

  if (directory != NULL)
    {
      g_autofree char *path = g_build_filename (directory, BND_STORE_DATABASE_NAME, NULL);

      remove_partial (path);
      g_rmdir (directory);
    }
  return ok ? GINT_TO_POINTER (TRUE) : NULL;
}

/**
 * bnd_store_import_profile:
 * @self: an empty #BndStore
 * @file: a file written by bnd_store_export_profile(), here or by an older version
 * @error: return location for an error: as bnd_store_check_profile_file(), or
 *   %BND_STORE_ERROR_NOT_EMPTY
 *
 * Fills an empty profile (no sketches, versions, votes or ratings) with the exported one. The
 * sign-in is not part of it: sign in again to sync. A profile that is not empty is left alone.
 */
gboolean
bnd_store_import_profile (BndStore    *self,
                          const char  *file,
                          GError     **error)
{
  g_return_val_if_fail (BND_IS_STORE (self), FALSE);
  g_return_val_if_fail (file != NULL, FALSE);

  return _bnd_store_run_sync (self, import_job, g_canonicalize_filename (file, NULL), g_free, error) != NULL;
}
