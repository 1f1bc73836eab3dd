/* bnd-server-tenants.c: the alliances a service serves, each on its own database
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The service's server (the front) listens; /api/v1 is its first alliance, the one in the data
 * folder itself, and /a/SLUG/api/v1 is alliance SLUG (bnd-server-alliances.c). An alliance's
 * server is made on its first request and kept: its own database connection, strategy pack,
 * mailer and expiry timer, sharing the front's listener, sign-in queue, PDF checker, limits and
 * access log. A token is looked up only in the database of the alliance its request names, so
 * an alliance's token, dossier or user is unknown at every other one's address. */

#define G_LOG_DOMAIN "bnd-server-tenants"

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#include "bnd-server-alliances.h"
#include "bnd-server-dossier.h"
#include "bnd-server-maintenance.h"
#include "bnd-server-private.h"

#define PREFIX "/a/"
/* An alliance that could not be opened (a migrate holds its folder, its database is away) is
 * tried again at a request this long after: strangers' requests must not make the server try,
 * and wait, at each one. */
#define RETRY_US (30 * G_USEC_PER_SEC)

/* An alliance being served; or, with @server NULL, one that failed to open at @failed_at. */
typedef struct
{
  BndServer   *server;
  gint64       failed_at;
} Tenant;

static void
tenant_free (Tenant *tenant)
{
  g_clear_object (&tenant->server);
  g_free (tenant);
}

/* As serve opens the service's own folder: the shared lock against migrate, the database at the
 * latest schema, the audit key, the pack. */
static BndServer *
tenant_open (BndServer   *front,
             const char  *slug,
             GError     **error)
{
  g_autofree char *folder = bnd_server_alliance_folder (front->data, slug);
  g_autoptr(BndStrategy) strategy = NULL;
  g_autoptr(BndServer) self = NULL;
  BndServerDb *db = NULL;
  int lock;

  if ((lock = bnd_server_maintenance_lock (folder, FALSE, error)) < 0)
    return NULL;
  if (!(db = bnd_server_db_open (folder, FALSE, error)) ||
      !bnd_server_db_hold_serving_lock (db, folder, error) ||
      !(strategy = bnd_server_alliance_load_strategy (folder, TRUE, error)))
    {
      g_clear_pointer (&db, bnd_server_db_free);
      close (lock);
      return NULL;
    }
  if (front->has_audit_key)
    bnd_server_db_set_audit_key (db, front->audit_key);

  /* The tenant owns its database and lock: a sign-in or an upload still under way holds the
   * tenant, and with it what it reads and writes. */
  self = g_object_new (BND_TYPE_SERVER, NULL);
  self->front = front;
  self->db = db;
  _bnd_server_workers_start (self);
  self->tenant_lock = lock;
  self->strategy = g_steal_pointer (&strategy);
  self->logins = front->logins;
  self->pdf_check = g_object_ref (front->pdf_check);
  self->trusted_proxies = g_ptr_array_ref (front->trusted_proxies);
  self->max_json_body = front->max_json_body;
  self->max_pdf_body = front->max_pdf_body;
  self->max_attachment = front->max_attachment;
  if (front->config != NULL && !bnd_server_start_mail (self, front->config, error))
    return NULL;
  _bnd_server_start_expiry (self);
  g_message ("Serving the alliance %s", slug);
  return g_steal_pointer (&self);
}

/**
 * bnd_server_serve_alliances:
 * @data: the service's data folder
 * @config: (nullable): the configuration the tenants' mailers follow, outliving @self
 * @audit_key: (nullable): the key that signs every alliance's chain heads
 *
 * Serves the alliances in @data's alliances folder at /a/SLUG/ besides the first one.
 */
void
bnd_server_serve_alliances (BndServer             *self,
                            const char            *data,
                            const BndServerConfig *config,
                            const guchar          *audit_key)
{
  g_return_if_fail (BND_IS_SERVER (self));
  g_return_if_fail (self->front == NULL);

  g_free (self->data);
  self->data = g_strdup (data);
  self->config = config;
  self->has_audit_key = audit_key != NULL;
  if (audit_key != NULL)
    memcpy (self->audit_key, audit_key, sizeof self->audit_key);
  if (self->tenants == NULL)
    self->tenants = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)tenant_free);
}

void
_bnd_server_tenants_free (BndServer *self)
{
  g_clear_pointer (&self->tenants, g_hash_table_unref);
}

/**
 * _bnd_server_for_path:
 * @path: a request's path
 * @rest: (out): @path below the alliance's prefix
 *
 * Returns: (nullable) (transfer none): the server of the alliance @path is for: @self for
 *   anything outside /a/, the alliance's for /a/SLUG/…, or %NULL when there is no such alliance
 *   or it cannot be opened now (said in the log)
 */
BndServer *
_bnd_server_for_path (BndServer   *self,
                      const char  *path,
                      const char **rest)
{
  g_autofree char *slug = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;
  const char *end;
  Tenant *tenant;

  *rest = path;
  if (!g_str_has_prefix (path, PREFIX))
    return self;
  if (self->tenants == NULL)
    return NULL;
  end = strchr (path + strlen (PREFIX), '/');
  slug = end ? g_strndup (path + strlen (PREFIX), end - path - strlen (PREFIX)) : g_strdup (path + strlen (PREFIX));
  if (!bnd_server_alliance_slug_is_valid (slug))
    return NULL;
  *rest = end ? end : "";
  tenant = g_hash_table_lookup (self->tenants, slug);
  if (tenant != NULL && (tenant->server != NULL || g_get_monotonic_time () - tenant->failed_at < RETRY_US))
    return tenant->server;

  /* Added after this process started, or not asked for before: its folder says whether it is. */
  folder = bnd_server_alliance_folder (self->data, slug);
  if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
    return NULL;
  if (tenant == NULL)
    {
      tenant = g_new0 (Tenant, 1);
      g_hash_table_insert (self->tenants, g_strdup (slug), tenant);
    }
  if (!(tenant->server = tenant_open (self, slug, &error)))
    {
      tenant->failed_at = g_get_monotonic_time ();
      g_warning ("The alliance %s cannot be served: %s", slug, error->message);
    }
  return tenant->server;
}

/* Everything below /a/: an alliance's API, or 404 without a word about which alliances exist
 * beyond "not this one". */
void
_bnd_server_handle_alliance (SoupServer        *server,
                             SoupServerMessage *msg,
                             const char        *path,
                             GHashTable        *query,
                             gpointer           user_data)
{
  const char *rest;
  BndServer *self = _bnd_server_for_path (user_data, path, &rest);

  if (self == NULL)
    return _bnd_server_fail (msg, BND_SERVER_ERROR_NOT_FOUND, "%s", _("No such alliance on this server"));
  if (!g_str_has_prefix (rest, "/api/v1/") && !g_str_equal (rest, "/api/v1"))
    return _bnd_server_fail (msg, BND_SERVER_ERROR_NOT_FOUND, "%s", _("No such resource"));
  _bnd_server_handle_api (self, msg, rest, query);
}

/* GET /strategy: the alliance's strategy pack as it was given, so that the app and the CLI draft
 * against the pack the server checks against. Its ETag lets a client that has it skip it. */
void
_bnd_server_handle_strategy (BndServer         *self,
                             SoupServerMessage *msg)
{
  GBytes *pack = bnd_strategy_get_bytes (self->strategy);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *wanted;

  if (self->strategy_etag == NULL)
    {
      g_autofree char *sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pack);
      self->strategy_etag = g_strdup_printf ("\"%s\"", sum);
    }
  soup_message_headers_replace (headers, "ETag", self->strategy_etag);
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  wanted = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "If-None-Match");
  if (g_strcmp0 (wanted, self->strategy_etag) == 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (pack, NULL), g_bytes_get_size (pack));
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}
