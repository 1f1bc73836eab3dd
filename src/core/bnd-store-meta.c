/* bnd-store-meta.c: what a profile keeps besides sketches: settings and the server's answers
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "bnd-store.h"
#include "bnd-store-private.h"

typedef struct
{
  char *key;
  char *value;
} Meta;

static void
meta_free (Meta *meta)
{
  g_free (meta->key);
  g_free (meta->value);
  g_free (meta);
}

static gpointer
get_meta_job (BndStore  *self,
              gpointer   data,
              GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = _bnd_store_prepare (self, "SELECT value FROM meta WHERE key = ?1", error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, ((Meta *)data)->key, -1, SQLITE_STATIC);
  /* Wrapped, so that a missing key is not a failure. */
  return g_strdup_printf ("=%s", sqlite3_step (stmt) == SQLITE_ROW ? (const char *)sqlite3_column_text (stmt, 0) : "");
}

static gpointer
set_meta_job (BndStore  *self,
              gpointer   data,
              GError   **error)
{
  Meta *meta = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = _bnd_store_prepare (self, meta->value ? "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)"
                                                     : "DELETE FROM meta WHERE key = ?1", error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, meta->key, -1, SQLITE_STATIC);
  if (meta->value)
    sqlite3_bind_text (stmt, 2, meta->value, -1, SQLITE_STATIC);
  return _bnd_store_step_done (self, stmt, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

typedef struct
{
  char   *path;
  GBytes *body;
} CacheEntry;

static void
cache_entry_free (CacheEntry *entry)
{
  g_free (entry->path);
  g_clear_pointer (&entry->body, g_bytes_unref);
  g_free (entry);
}

static gpointer
cache_put_job (BndStore  *self,
               gpointer   data,
               GError   **error)
{
  CacheEntry *entry = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gsize size;
  gconstpointer bytes = g_bytes_get_data (entry->body, &size);

  if (!(stmt = _bnd_store_prepare (self, "INSERT OR REPLACE INTO server_cache (path, body, fetched) VALUES (?1, ?2, ?3)", error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, entry->path, -1, SQLITE_STATIC);
  sqlite3_bind_blob64 (stmt, 2, size ? bytes : "", size, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
  return _bnd_store_step_done (self, stmt, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static gpointer
cache_get_job (BndStore  *self,
               gpointer   data,
               GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = _bnd_store_prepare (self, "SELECT body FROM server_cache WHERE path = ?1", error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, data, -1, SQLITE_STATIC);
  /* An empty GBytes stands for "not cached", so that a miss is not a failure. */
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return g_bytes_new (NULL, 0);
  return g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
}

/**
 * bnd_store_cache_put:
 * @path: the server's API path, e.g. "/dossiers/UUID/comments"
 * @body: what the server answered
 *
 * Keeps a server answer so that it can be shown offline.
 */
gboolean
bnd_store_cache_put (BndStore    *self,
                     const char  *path,
                     GBytes      *body,
                     GError     **error)
{
  CacheEntry *entry;

  g_return_val_if_fail (BND_IS_STORE (self), FALSE);

  entry = g_new0 (CacheEntry, 1);
  entry->path = g_strdup (path);
  entry->body = g_bytes_ref (body);
  return _bnd_store_run_sync (self, cache_put_job, entry, (GDestroyNotify)cache_entry_free, error) != NULL;
}

/**
 * bnd_store_cache_get:
 *
 * Returns: (transfer full) (nullable): the answer last kept for @path, or %NULL if there is none
 */
GBytes *
bnd_store_cache_get (BndStore   *self,
                     const char *path)
{
  g_autoptr(GBytes) body = NULL;

  g_return_val_if_fail (BND_IS_STORE (self), NULL);

  body = _bnd_store_run_sync (self, cache_get_job, g_strdup (path), g_free, NULL);
  if (body == NULL || g_bytes_get_size (body) == 0)
    return NULL;
  return g_steal_pointer (&body);
}

/**
 * bnd_store_get_meta:
 *
 * Returns: (transfer full) (nullable): the value, %NULL when unset
 */
char *
bnd_store_get_meta (BndStore   *self,
                    const char *key)
{
  Meta *meta;
  g_autofree char *wrapped = NULL;

  g_return_val_if_fail (BND_IS_STORE (self), NULL);

  meta = g_new0 (Meta, 1);
  meta->key = g_strdup (key);
  wrapped = _bnd_store_run_sync (self, get_meta_job, meta, (GDestroyNotify)meta_free, NULL);
  return wrapped && wrapped[1] ? g_strdup (wrapped + 1) : NULL;
}

gboolean
bnd_store_set_meta (BndStore    *self,
                    const char  *key,
                    const char  *value,
                    GError     **error)
{
  Meta *meta;

  g_return_val_if_fail (BND_IS_STORE (self), FALSE);

  meta = g_new0 (Meta, 1);
  meta->key = g_strdup (key);
  meta->value = g_strdup (value);
  return _bnd_store_run_sync (self, set_meta_job, meta, (GDestroyNotify)meta_free, error) != NULL;
}
