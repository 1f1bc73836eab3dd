/* bnd-server-audit-key.c: the key that signs the audit trail's chain heads
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-audit-key"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bnd-server-audit-key.h"

/* The hash chain shows an entry changed or removed, but whoever can write server.db can also
 * recompute every hash and the head. The head's HMAC needs a key that such a person does not
 * have: it lives outside the data folder (and outside its backups), owned by root and readable
 * by the server's group only. */

G_STATIC_ASSERT (BND_AUDIT_KEY_BYTES == crypto_auth_hmacsha256_KEYBYTES);

const char *
bnd_server_audit_key_default_path (void)
{
  return SERVER_AUDIT_KEY_PATH;
}

/**
 * bnd_server_audit_key_resolve:
 * @configured: (nullable): the file named with --audit-key or in [server] audit-key
 *
 * Returns: (nullable): @configured, else the default file when it exists, else %NULL: the
 *   server then runs without signing, as before there was a key
 */
const char *
bnd_server_audit_key_resolve (const char *configured)
{
  if (configured != NULL)
    return configured;
  if (g_file_test (SERVER_AUDIT_KEY_PATH, G_FILE_TEST_EXISTS))
    return SERVER_AUDIT_KEY_PATH;
  return NULL;
}

/* Whether @path is @data or inside it, after resolving links. */
static gboolean
is_inside (const char *path,
           const char *data)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *real_dir = realpath (dir, NULL);
  g_autofree char *real_data = data ? realpath (data, NULL) : NULL;
  g_autofree char *prefix = NULL;

  if (real_dir == NULL || real_data == NULL)
    return FALSE;
  prefix = g_strconcat (real_data, G_DIR_SEPARATOR_S, NULL);
  return g_str_equal (real_dir, real_data) || g_str_has_prefix (real_dir, prefix);
}

/**
 * bnd_server_audit_key_problem:
 * @data: (nullable): the data folder
 *
 * Returns: (transfer full) (nullable): what is wrong with the key file, as one translated
 *   sentence, or %NULL
 */
char *
bnd_server_audit_key_problem (const char *path,
                              const char *data)
{
  GStatBuf info;

  if (g_stat (path, &info) != 0 || !S_ISREG (info.st_mode) || access (path, R_OK) != 0)
    /* Translators: both %s are the key file */
    return g_strdup_printf (_("audit-key: %s is missing or unreadable; create it with "
                              "buendnis-server audit-key --create %s"), path, path);
  if (info.st_size != BND_AUDIT_KEY_BYTES)
    /* Translators: %s is the key file, %d a number of bytes */
    return g_strdup_printf (_("audit-key: %s is not a key of %d bytes; create one with "
                              "buendnis-server audit-key --create FILE"), path, BND_AUDIT_KEY_BYTES);
  if (info.st_mode & S_IROTH)
    return g_strdup_printf (_("audit-key: everyone may read %s; let only root and the server's "
                              "group read it (chmod 0640)"), path);
  if (is_inside (path, data))
    /* Translators: the first %s is the key file, the second the data folder */
    return g_strdup_printf (_("audit-key: %s is inside the data folder %s, where whoever can "
                              "change the database reads it too; keep it elsewhere, such as %s"),
                            path, data, SERVER_AUDIT_KEY_PATH);
  return NULL;
}

/* 32 random bytes in a new file of mode 0640; an existing file is never replaced, as every head
 * signed with it would no longer verify. */
gboolean
bnd_server_audit_key_create (const char  *path,
                             GError     **error)
{
  guchar key[BND_AUDIT_KEY_BYTES];
  int fd;
  int saved;

  if ((fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640)) < 0)
    {
      saved = errno;
      /* Translators: the first %s is a file, the second the reason */
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Cannot create the audit key %s: %s"),
                   path, g_strerror (saved));
      return FALSE;
    }
  randombytes_buf (key, sizeof key);
  /* The umask may have taken the group's read bit away. */
  if (fchmod (fd, 0640) != 0 || write (fd, key, sizeof key) != sizeof key || fsync (fd) != 0)
    {
      saved = errno;
      sodium_memzero (key, sizeof key);
      close (fd);
      g_unlink (path);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Cannot create the audit key %s: %s"),
                   path, g_strerror (saved));
      return FALSE;
    }
  sodium_memzero (key, sizeof key);
  if (close (fd) != 0)
    {
      saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Cannot create the audit key %s: %s"),
                   path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/**
 * bnd_server_audit_key_load:
 * @data: (nullable): the data folder, which must not hold the key
 * @key: (out caller-allocates): %BND_AUDIT_KEY_BYTES bytes
 */
gboolean
bnd_server_audit_key_load (const char  *path,
                           const char  *data,
                           guchar      *key,
                           GError     **error)
{
  g_autofree char *problem = bnd_server_audit_key_problem (path, data);
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (problem != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, problem);
      return FALSE;
    }
  if (!g_file_get_contents (path, &contents, &length, error))
    return FALSE;
  if (length != BND_AUDIT_KEY_BYTES)
    {
      sodium_memzero (contents, length);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("audit-key: %s is not a key of %d bytes; create one with "
                     "buendnis-server audit-key --create FILE"), path, BND_AUDIT_KEY_BYTES);
      return FALSE;
    }
  memcpy (key, contents, BND_AUDIT_KEY_BYTES);
  sodium_memzero (contents, length);
  return TRUE;
}
