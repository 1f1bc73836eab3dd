/* bnd-server-alliances.c: several alliances on one service
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* An alliance is a tenant: its own strategy pack, organisations, users, dossiers, sessions and
 * audit trail. Each one keeps them in a database of its own, so that no query can reach across:
 * isolation does not hang on a WHERE clause remembered in every statement.
 *
 *   DATA/                    the service's data folder: the first alliance, served at /api/v1
 *   DATA/alliances/SLUG/     another alliance, served at /a/SLUG/api/v1: a data folder of its
 *                            own (server.db, or a "database" file naming a PostgreSQL schema
 *                            alliance_SLUG in the service's database) and strategy.json
 *
 * Every command that takes --data works on one alliance when given its folder. The folders are
 * the registry: a process that serves DATA finds an alliance added after it started on the
 * alliance's first request. */

#define G_LOG_DOMAIN "bnd-server-alliances"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "bnd-server-alliances.h"
#include "bnd-server-db-pg.h"
#include "bnd-server-db-private.h"
#include "bnd-server-global-audit.h"

#define ALLIANCES_FOLDER "alliances"
#define STRATEGY_FILE "strategy.json"
#define SLUG_MAX 32

static const char *partner_kinds[] = {
  "chamber", "employers", "union", "employment-agency", "university", "district",
};

/**
 * bnd_server_alliance_slug_is_valid:
 *
 * An alliance's short name, as it appears in addresses and folder names: 2 to 32 of a–z, 0–9
 * and "-", beginning with a letter. Nothing else, so it is safe in a path, a URL and a
 * PostgreSQL schema name alike.
 */
gboolean
bnd_server_alliance_slug_is_valid (const char *slug)
{
  gsize length;

  if (slug == NULL || !g_ascii_islower (slug[0]))
    return FALSE;
  length = strlen (slug);
  if (length < 2 || length > SLUG_MAX || slug[length - 1] == '-')
    return FALSE;
  for (const char *c = slug; *c; c++)
    if (!g_ascii_islower (*c) && !g_ascii_isdigit (*c) && *c != '-')
      return FALSE;
  return TRUE;
}

/**
 * bnd_server_alliance_folder:
 * @slug: a valid slug
 *
 * Returns: (transfer full): the data folder of the alliance @slug of the service in @data
 */
char *
bnd_server_alliance_folder (const char *data,
                            const char *slug)
{
  g_return_val_if_fail (bnd_server_alliance_slug_is_valid (slug), NULL);
  return g_build_filename (data, ALLIANCES_FOLDER, slug, NULL);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char **)a, *(const char **)b);
}

/**
 * bnd_server_alliance_list:
 *
 * Returns: (transfer full) (element-type utf8): the slugs of the alliances added to the service
 *   in @data, sorted; empty when there are none
 */
GPtrArray *
bnd_server_alliance_list (const char *data)
{
  g_autofree char *path = g_build_filename (data, ALLIANCES_FOLDER, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  GPtrArray *slugs = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)))
    {
      g_autofree char *folder = g_build_filename (path, name, NULL);

      if (bnd_server_alliance_slug_is_valid (name) && g_file_test (folder, G_FILE_TEST_IS_DIR))
        g_ptr_array_add (slugs, g_strdup (name));
    }
  g_ptr_array_sort (slugs, compare_strings);
  return slugs;
}

/**
 * bnd_server_alliance_load_strategy:
 * @folder: an alliance's data folder
 * @required: whether the folder must have a pack (every alliance but the first)
 *
 * Returns: (transfer full) (nullable): the alliance's pack, strategy.json in @folder, or the
 *   pack built in when the service's first alliance has none (set up before there were several)
 */
BndStrategy *
bnd_server_alliance_load_strategy (const char  *folder,
                                   gboolean     required,
                                   GError     **error)
{
  g_autofree char *path = g_build_filename (folder, STRATEGY_FILE, NULL);
  g_autoptr(GFile) file = NULL;

  if (!required && !g_file_test (path, G_FILE_TEST_EXISTS))
    return bnd_strategy_new_default (error);
  file = g_file_new_for_path (path);
  return bnd_strategy_new_from_file (file, error);
}

/**
 * bnd_server_alliance_add_partners:
 *
 * Makes the partners of @strategy organisations in @db: the first ones of a new alliance.
 */
gboolean
bnd_server_alliance_add_partners (BndServerDb  *db,
                                  BndStrategy  *strategy,
                                  GError      **error)
{
  GPtrArray *partners = bnd_strategy_get_partners (strategy);

  for (guint i = 0; i < partners->len; i++)
    {
      const BndPartner *partner = g_ptr_array_index (partners, i);

      if (!bnd_server_db_add_org (db, partner->id, partner->name, partner_kinds[partner->kind], error))
        return FALSE;
    }
  return TRUE;
}

/* On PostgreSQL the alliance's tables live in a schema of their own in the service's database:
 * one database to back up, replicate and recover, and a search_path that confines every
 * statement of the alliance's connections to its schema. */
static char *
create_schema (const char  *service_url,
               const char  *slug,
               GError     **error)
{
  g_autofree char *schema = g_strdelimit (g_strconcat ("alliance_", slug, NULL), "-", '_');
  g_autofree char *sql = NULL;
  PGconn *conn;
  gboolean ok;

  if (strstr (service_url, "options=") != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("The service's PostgreSQL address sets options of its own; an alliance's "
                     "schema cannot be added to them"));
      return NULL;
    }
  conn = PQconnectdb (service_url);
  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
                   _("The service's PostgreSQL database cannot be reached: %s"), g_strchomp (PQerrorMessage (conn)));
      PQfinish (conn);
      return NULL;
    }
  /* The slug was checked: a–z, 0–9 and "_" only, so the name needs no quoting beyond this. */
  sql = g_strdup_printf ("CREATE SCHEMA \"%s\"", schema);
  ok = bnd_pg_exec (conn, sql, error);
  PQfinish (conn);
  if (!ok)
    return NULL;
  return g_strdup_printf ("%s%soptions=-csearch_path%%3D%s", service_url,
                          strchr (service_url, '?') ? "&" : "?", schema);
}

/* Undoes a creation that failed halfway, so that it can be tried again under the same name. A
 * schema made already stays (CREATE SCHEMA refuses it then, and the message names it: a schema
 * may hold data, and only its database's administrator drops it). */
static void
remove_folder (const char *folder)
{
  static const char *files[] = { STRATEGY_FILE, "database", "server.db", "server.db-wal", "server.db-shm", "server.lock" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (folder, files[i], NULL);
      g_unlink (path);
    }
  if (g_rmdir (folder) != 0 && errno != ENOENT)
    g_warning ("%s could not be removed: %s", folder, g_strerror (errno));
}

static gboolean
fill_folder (const char   *data,
             const char   *folder,
             const char   *slug,
             BndStrategy  *strategy,
             GError      **error)
{
  g_autofree char *pack_path = g_build_filename (folder, STRATEGY_FILE, NULL);
  g_autofree char *service_url = NULL;
  GBytes *pack = bnd_strategy_get_bytes (strategy);
  BndServerDb *db;
  gboolean ok;

  if (!g_file_set_contents_full (pack_path, g_bytes_get_data (pack, NULL), g_bytes_get_size (pack),
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;
  if ((service_url = bnd_server_db_read_url (data)))
    {
      g_autofree char *url = create_schema (service_url, slug, error);

      if (url == NULL || !bnd_server_db_set_url (folder, url, error))
        return FALSE;
    }
  if (!(db = bnd_server_db_open (folder, TRUE, error)))
    return FALSE;
  ok = bnd_server_alliance_add_partners (db, strategy, error);
  bnd_server_db_free (db);
  return ok;
}

/**
 * bnd_server_alliance_create:
 * @data: the service's data folder
 * @slug: the new alliance's short name
 * @strategy: its strategy pack
 *
 * Adds the alliance @slug to the service: its folder with the pack, its database (a schema of
 * the service's PostgreSQL database, or server.db in the folder) and the pack's partners as its
 * organisations. Refused when the alliance exists.
 */
gboolean
bnd_server_alliance_create (const char   *data,
                            const char   *slug,
                            BndStrategy  *strategy,
                            GError      **error)
{
  g_autofree char *folder = NULL;
  g_autofree char *parent = NULL;
  g_autofree char *building = NULL;
  gboolean ok;

  if (!bnd_server_alliance_slug_is_valid (slug))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is no alliance name for addresses: use 2 to 32 of a–z, 0–9 and “-”, "
                     "beginning with a letter"), slug);
      return FALSE;
    }
  if (!bnd_server_db_exists (data, error))
    return FALSE;
  folder = bnd_server_alliance_folder (data, slug);
  parent = g_path_get_dirname (folder);
  /* Made under a name no request can open (no slug has a dot), and renamed when whole: a server
   * never serves an alliance halfway made. */
  building = g_strdup_printf ("%s/.new-%s", parent, slug);
  if (g_file_test (folder, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, _("The alliance “%s” exists already"), slug);
      return FALSE;
    }
  remove_folder (building);
  if (g_mkdir_with_parents (parent, 0700) != 0 || g_mkdir (building, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s: %s", building,
                   g_strerror (saved_errno));
      return FALSE;
    }
  if (!(ok = fill_folder (data, building, slug, strategy, error)))
    {
      remove_folder (building);
      return FALSE;
    }
  /* rename() refuses a folder made meanwhile under that name, as it should. */
  if (g_rename (building, folder) != 0)
    {
      int saved_errno = errno;

      remove_folder (building);
      if (saved_errno == EEXIST || saved_errno == ENOTEMPTY)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, _("The alliance “%s” exists already"), slug);
      else
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s: %s", folder,
                     g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

/**
 * bnd_server_alliance_record_added:
 * @db: the service's database (its first alliance's)
 *
 * Records in the service's audit trail that @actor added the alliance @slug.
 */
gboolean
bnd_server_alliance_record_added (BndServerDb  *db,
                                  const char   *actor,
                                  const char   *slug,
                                  BndStrategy  *strategy,
                                  GError      **error)
{
  return bnd_server_db_begin (db, error) &&
         bnd_server_db_finish (db, bnd_server_db_append_global_audit (db, actor, "alliance-added", error,
                                                                       "alliance", slug,
                                                                       "name", bnd_strategy_get_alliance (strategy)->name,
                                                                       "strategy", bnd_strategy_get_id (strategy), NULL),
                               error);
}
