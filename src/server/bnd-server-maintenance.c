/* bnd-server-maintenance.c: upgrading, backing up and restoring the server database
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-maintenance"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "bnd-server-db.h"
#include "bnd-server-maintenance.h"
#include "bnd-server-migrations.h"

/* Everything here works on its own sqlite connection, beside a server that may be running: the
 * server's database is in WAL mode, so a reader (the backup) never blocks its writers. */

#define BUSY_TIMEOUT_MS 5000

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, sqlite3_close_v2)

static gboolean
sql_failed (sqlite3     *db,
            const char  *path,
            GError     **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s",
               path, db ? sqlite3_errmsg (db) : g_strerror (ENOMEM));
  return FALSE;
}

static gboolean
io_failed (const char  *path,
           int          saved_errno,
           GError     **error)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s: %s",
               path, g_strerror (saved_errno));
  return FALSE;
}

static sqlite3 *
open_server_database (const char  *directory,
                      int          flags,
                      GError     **error)
{
  g_autofree char *path = g_build_filename (directory, "server.db", NULL);
  g_autofree char *url = bnd_server_db_read_url (directory);
  g_autoptr(sqlite3) db = NULL;
  int version = 0;

  if (!bnd_server_db_exists (directory, error))
    return NULL;
  if (url != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("The database of %s is a PostgreSQL database: back it up with PostgreSQL's own "
                     "tools (pg_dump, or base backups with WAL archiving for recovery to a point in "
                     "time)"), directory);
      return NULL;
    }
  if (sqlite3_open_v2 (path, &db, flags, NULL) != SQLITE_OK)
    {
      sql_failed (db, path, error);
      return NULL;
    }
  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);
  /* sqlite reads the file only now: a file that is no database fails here, with its name. */
  if (!bnd_server_schema_get_version (db, &version, error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  return g_steal_pointer (&db);
}

/**
 * bnd_server_maintenance_lock:
 * @exclusive: %TRUE for migrate, %FALSE for serve
 *
 * Locks `server.lock` in @directory: serve holds it shared for as long as it runs, migrate
 * exclusively while it upgrades. A server checks the schema only when it starts, so a migrate
 * must never change it under a running one; two migrates still wait for each other, and two
 * servers may share the folder. Waits up to the busy timeout for the other side.
 *
 * Returns: the file descriptor that holds the lock until it is closed, or -1
 */
int
bnd_server_maintenance_lock (const char  *directory,
                             gboolean     exclusive,
                             GError     **error)
{
  g_autofree char *path = g_build_filename (directory, "server.lock", NULL);
  int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      io_failed (path, errno, error);
      return -1;
    }
  for (guint waited_ms = 0;; waited_ms += 50)
    {
      if (flock (fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0)
        return fd;
      if (errno != EWOULDBLOCK || waited_ms >= BUSY_TIMEOUT_MS)
        break;
      g_usleep (50 * 1000);
    }

  if (errno != EWOULDBLOCK)
    io_failed (path, errno, error);
  else if (exclusive)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                 _("A buendnis-server is running on %s; stop it before upgrading the database"),
                 directory);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                 _("The database in %s is being upgraded by buendnis-server migrate; start the "
                   "server when it has finished"),
                 directory);
  close (fd);
  return -1;
}

/**
 * bnd_server_maintenance_migrate:
 *
 * Upgrades the database in @directory to the latest schema; @from and @to are equal when it was
 * there already. Refused while a server runs on @directory.
 */
gboolean
bnd_server_maintenance_migrate (const char  *directory,
                                int         *from,
                                int         *to,
                                GError     **error)
{
  g_autofree char *url = bnd_server_db_read_url (directory);
  g_autoptr(sqlite3) db = NULL;
  gboolean ok;
  int lock;

  if (url != NULL)
    return bnd_server_pg_migrate (directory, url, from, to, error);
  db = open_server_database (directory, SQLITE_OPEN_READWRITE, error);
  if (db == NULL || (lock = bnd_server_maintenance_lock (directory, TRUE, error)) < 0)
    return FALSE;
  ok = bnd_server_schema_migrate (db, directory, from, to, error);
  close (lock);
  return ok;
}

/* The first row of a pragma that answers in text, such as integrity_check or journal_mode. */
static char *
pragma_text (sqlite3     *db,
             const char  *path,
             const char  *pragma,
             GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  if (sqlite3_prepare_v2 (db, pragma, -1, &stmt, NULL) != SQLITE_OK)
    {
      sql_failed (db, path, error);
      return NULL;
    }
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  else
    sql_failed (db, path, error);
  sqlite3_finalize (stmt);
  return text;
}

static gboolean
check_integrity (sqlite3     *db,
                 const char  *path,
                 GError     **error)
{
  g_autofree char *result = pragma_text (db, path, "PRAGMA integrity_check", error);

  if (result == NULL)
    return FALSE;
  if (!g_str_equal (result, "ok"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   /* Translators: the first %s is a file, the second sqlite's first finding */
                   _("%s fails sqlite's integrity check: %s"), path, result);
      return FALSE;
    }
  return TRUE;
}

/* sqlite's online backup, in a single step: the copy is one read transaction on @source, so it
 * is a consistent snapshot, and a WAL-mode source keeps taking writes meanwhile. (Copying in
 * several steps would start over after every write of the server's, and might never end.) */
static gboolean
copy_database (sqlite3     *source,
               const char  *path,
               const char  *journal_mode,
               GError     **error)
{
  g_autoptr(sqlite3) dest = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *pragma = NULL;
  sqlite3_backup *backup;
  int rc;

  if (sqlite3_open_v2 (path, &dest, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    return sql_failed (dest, path, error);
  if (!(backup = sqlite3_backup_init (dest, "main", source, "main")))
    return sql_failed (dest, path, error);
  /* Busy only while another connection holds an exclusive lock, such as a migrate. */
  for (guint waited_ms = 0;; waited_ms += 50)
    {
      rc = sqlite3_backup_step (backup, -1);
      if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || waited_ms >= BUSY_TIMEOUT_MS)
        break;
      g_usleep (50 * 1000);
    }
  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", path, sqlite3_errstr (rc));
      return FALSE;
    }
  g_clear_pointer (&dest, sqlite3_close_v2);

  /* The copied header carries the source's WAL mode; a connection opened afterwards sees it and
   * can switch the copy to the mode wanted (DELETE: one self-contained file). */
  if (sqlite3_open_v2 (path, &dest, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    return sql_failed (dest, path, error);
  pragma = g_strdup_printf ("PRAGMA journal_mode = %s", journal_mode);
  if (!(mode = pragma_text (dest, path, pragma, error)))
    return FALSE;
  if (g_ascii_strcasecmp (mode, journal_mode) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: journal_mode %s", path, mode);
      return FALSE;
    }
  return check_integrity (dest, path, error);
}

static gboolean
sync_path (const char  *path,
           gboolean     directory,
           GError     **error)
{
  int fd = open (path, directory ? O_RDONLY | O_DIRECTORY : O_RDONLY);
  int saved_errno;

  if (fd < 0 || fsync (fd) != 0)
    {
      saved_errno = errno;
      if (fd >= 0)
        close (fd);
      return io_failed (path, saved_errno, error);
    }
  close (fd);
  return TRUE;
}

static void
remove_database_files (const char *path)
{
  static const char *suffixes[] = { "", "-journal", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
}

/* buendnis-YYYYMMDD-HHMMSS.db; a second backup within the same second gets -2, -3, … which
 * compare_backup_names () puts after the first. */
static char *
new_backup_name (const char *directory)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");

  for (guint n = 1;; n++)
    {
      g_autofree char *name = n == 1 ? g_strdup_printf ("buendnis-%s.db", stamp)
                                     : g_strdup_printf ("buendnis-%s-%u.db", stamp, n);
      char *path = g_build_filename (directory, name, NULL);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        return path;
      g_free (path);
    }
}

/* The n of buendnis-YYYYMMDD-HHMMSS-n.db, 1 without it. */
static guint64
backup_number (const char *name)
{
  static const char stamp[] = "buendnis-YYYYMMDD-HHMMSS";

  return name[sizeof stamp - 1] == '-' ? g_ascii_strtoull (name + sizeof stamp, NULL, 10) : 1;
}

static int
compare_backup_names (gconstpointer a,
                      gconstpointer b)
{
  const char *name_a = *(const char * const *)a;
  const char *name_b = *(const char * const *)b;
  static const char stamp[] = "buendnis-YYYYMMDD-HHMMSS";
  int order = strncmp (name_a, name_b, sizeof stamp - 1);
  guint64 n_a, n_b;

  if (order != 0)
    return order;
  /* Within one second by number, not by text: -10 came after -9. */
  n_a = backup_number (name_a);
  n_b = backup_number (name_b);
  return (n_a > n_b) - (n_a < n_b);
}

/* Only names that new_backup_name () makes: a copy an administrator put beside them under
 * another name (buendnis-before-upgrade.db) is never pruned. */
static gboolean
is_backup_name (const char *name)
{
  static const char pattern[] = "buendnis-########-######";
  const char *rest = name + strlen (pattern);

  if (strlen (name) < strlen (pattern) + 3)
    return FALSE;
  for (guint i = 0; pattern[i]; i++)
    if (pattern[i] == '#' ? !g_ascii_isdigit (name[i]) : name[i] != pattern[i])
      return FALSE;
  if (*rest == '-')
    for (rest++; g_ascii_isdigit (*rest); rest++)
      ;
  return g_str_equal (rest, ".db");
}

static gboolean
prune_backups (const char  *directory,
               guint        keep,
               GPtrArray   *removed,
               GError     **error)
{
  g_autoptr(GDir) dir = g_dir_open (directory, 0, error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)))
    if (is_backup_name (name))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_backup_names);

  for (guint i = 0; i + keep < names->len; i++)
    {
      g_autofree char *path = g_build_filename (directory, g_ptr_array_index (names, i), NULL);

      if (g_unlink (path) != 0)
        return io_failed (path, errno, error);
      if (removed)
        g_ptr_array_add (removed, g_steal_pointer (&path));
    }
  return TRUE;
}

static gboolean
is_same_file (const char *a,
              const char *b)
{
  GStatBuf info_a, info_b;

  return g_stat (a, &info_a) == 0 && g_stat (b, &info_b) == 0 &&
         info_a.st_dev == info_b.st_dev && info_a.st_ino == info_b.st_ino;
}

/**
 * bnd_server_maintenance_backup:
 * @destination: a file, or an existing folder to write `buendnis-YYYYMMDD-HHMMSS.db` into
 * @keep: in a folder, how many `buendnis-*.db` to keep (the newest); 0 keeps all
 * @removed: (nullable) (element-type filename): gets the backups pruned
 *
 * Copies the database in @directory while a server may keep writing to it. The copy is checked
 * and synced under a temporary name and then renamed, so a backup file is complete or absent.
 *
 * Returns: (transfer full): the file written
 */
char *
bnd_server_maintenance_backup (const char  *directory,
                               const char  *destination,
                               guint        keep,
                               GPtrArray   *removed,
                               GError     **error)
{
  /* Read-write only so that, when no server is running, closing this last connection removes
   * the -wal and -shm files it opened (a read-only one leaves them, owned by whoever ran the
   * backup); the backup API itself only reads the source. */
  g_autoptr(sqlite3) source = open_server_database (directory, SQLITE_OPEN_READWRITE, error);
  gboolean into_folder = g_file_test (destination, G_FILE_TEST_IS_DIR);
  g_autofree char *target = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *base = NULL;
  g_autofree char *temp = NULL;
  int fd;

  if (source == NULL)
    return NULL;
  if (!into_folder && is_same_file (destination, sqlite3_db_filename (source, "main")))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("%s is the server's database itself; back it up to another file or a folder"),
                   destination);
      return NULL;
    }
  target = into_folder ? new_backup_name (destination) : g_strdup (destination);
  folder = g_path_get_dirname (target);
  base = g_path_get_basename (target);

  /* Hidden, and not matching buendnis-*.db, so that pruning never takes a half-written copy. */
  temp = g_strdup_printf ("%s/.%s.XXXXXX", folder, base);
  if ((fd = g_mkstemp_full (temp, O_RDWR | O_CLOEXEC, 0600)) < 0)
    {
      io_failed (temp, errno, error);
      return NULL;
    }
  close (fd);

  if (!copy_database (source, temp, "DELETE", error) ||
      !sync_path (temp, FALSE, error))
    goto failed;
  if (g_rename (temp, target) != 0)
    {
      io_failed (target, errno, error);
      goto failed;
    }
  if (!sync_path (folder, TRUE, error))
    return NULL;

  if (into_folder && keep > 0 && !prune_backups (destination, keep, removed, error))
    return NULL;
  return g_steal_pointer (&target);

failed:
  remove_database_files (temp);
  return NULL;
}

/* A Bündnis server database: sound, with the organisations and the audit trail, at a schema
 * this program knows. */
static gboolean
check_server_database (sqlite3     *db,
                       const char  *path,
                       int         *version,
                       GError     **error)
{
  g_autofree char *integrity = NULL;
  g_autofree char *foreign = NULL;
  sqlite3_stmt *stmt = NULL;
  int n_tables = 0;

  if (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    integrity = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  else
    integrity = g_strdup (sqlite3_errmsg (db));
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (!g_str_equal (integrity, "ok") || !bnd_server_schema_get_version (db, version, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   /* Translators: the first %s is a file, the second sqlite's reason */
                   _("%s is not a Bündnis server database: %s"), path, integrity);
      return FALSE;
    }
  if (sqlite3_prepare_v2 (db, "SELECT count (*) FROM sqlite_master "
                              "WHERE type = 'table' AND name IN ('orgs', 'audit')",
                          -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    n_tables = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  if (n_tables != 2 || *version < 1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s is not a Bündnis server database: it has no organisations and no audit "
                     "trail"), path);
      return FALSE;
    }
  if (!bnd_server_schema_find_foreign (db, &foreign, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  if (foreign != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   /* Translators: the first %s is a file, the second the name of an sqlite
                    * trigger or view */
                   _("%s is not a Bündnis server database: it holds the trigger or view “%s”, "
                     "which buendnis-server does not make"), path, foreign);
      return FALSE;
    }
  if (*version > bnd_server_schema_latest ())
    {
      g_set_error (error, BND_SERVER_SCHEMA_ERROR, BND_SERVER_SCHEMA_ERROR_NEWER,
                   _("%s has schema %d, made by a newer buendnis-server (this one knows up to "
                     "schema %d); install that version"),
                   path, *version, bnd_server_schema_latest ());
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_empty_folder (const char  *directory,
                 gboolean    *exists,
                 GError     **error)
{
  g_autoptr(GDir) dir = NULL;

  *exists = g_file_test (directory, G_FILE_TEST_EXISTS);
  if (!*exists)
    return TRUE;
  if (!(dir = g_dir_open (directory, 0, error)))
    return FALSE;
  if (g_dir_read_name (dir) != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("%s is not empty; restore into a new or empty folder, so that nothing is "
                     "overwritten"),
                   directory);
      return FALSE;
    }
  return TRUE;
}

/**
 * bnd_server_maintenance_restore:
 * @from: (out): the schema of @source
 * @to: (out): the schema restored, after upgrading
 *
 * Copies the backup @source into @directory, which must be new or empty, and upgrades it to the
 * latest schema. Nothing is left behind when it fails.
 */
gboolean
bnd_server_maintenance_restore (const char  *source,
                                const char  *directory,
                                int         *from,
                                int         *to,
                                GError     **error)
{
  g_autoptr(sqlite3) backup = NULL;
  g_autoptr(sqlite3) db = NULL;
  g_autofree char *target = g_build_filename (directory, "server.db", NULL);
  gboolean existed = FALSE;
  int fd;

  if (!is_empty_folder (directory, &existed, error))
    return FALSE;
  if (!g_file_test (source, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("No file %s"), source);
      return FALSE;
    }
  /* Read-only, and without the create flag: a mistyped name must not become an empty database. */
  if (sqlite3_open_v2 (source, &backup, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    return sql_failed (backup, source, error);
  /* Until check_server_database () has seen it, the file's schema is anyone's. */
  sqlite3_db_config (backup, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
  sqlite3_db_config (backup, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
  sqlite3_busy_timeout (backup, BUSY_TIMEOUT_MS);
  if (!check_server_database (backup, source, from, error))
    return FALSE;

  if (!existed && g_mkdir_with_parents (directory, 0700) != 0)
    return io_failed (directory, errno, error);
  if ((fd = g_open (target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
    return io_failed (target, errno, error);
  close (fd);

  if (!copy_database (backup, target, "WAL", error))
    goto failed;
  if (sqlite3_open_v2 (target, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    {
      sql_failed (db, target, error);
      goto failed;
    }
  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);
  if (!bnd_server_schema_migrate (db, directory, NULL, to, error))
    goto failed;
  return TRUE;

failed:
  g_clear_pointer (&db, sqlite3_close_v2);
  remove_database_files (target);
  if (!existed)
    g_rmdir (directory);
  return FALSE;
}
