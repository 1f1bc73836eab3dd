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

/* An alliance being served; or, with @server NULL, one being opened (@waiting) or that failed to
 * open at @failed_at. */
typedef struct
{
  BndServer   *server;
  gint64       failed_at;
  GPtrArray   *waiting;    /* (nullable): the requests (Waiting) while it is being opened */
} Tenant;

/* A request to an alliance that is being opened, paused until it is. */
typedef struct
{
  SoupServerMessage *msg;
  char              *rest;
  GHashTable        *query;
} Waiting;

/* What the opening thread opened, for the main context to serve. */
typedef struct
{
  BndServer   *front;
  char        *slug;
  int          lock;
  BndServerDb *db;
  BndServerDb *mail_db;   /* PostgreSQL: the mailer's, when e-mail is on */
  BndStrategy *strategy;
} Opening;

static void
waiting_free (Waiting *waiting)
{
  g_object_unref (waiting->msg);
  g_free (waiting->rest);
  g_clear_pointer (&waiting->query, g_hash_table_unref);
  g_free (waiting);
}

static void
tenant_free (Tenant *tenant)
{
  g_clear_object (&tenant->server);
  g_clear_pointer (&tenant->waiting, g_ptr_array_unref);
  g_free (tenant);
}

static void
opening_free (Opening *opening)
{
  g_object_unref (opening->front);
  g_free (opening->slug);
  if (opening->lock >= 0)
    close (opening->lock);
  g_clear_pointer (&opening->db, bnd_server_db_free);
  g_clear_pointer (&opening->mail_db, bnd_server_db_free);
  g_clear_object (&opening->strategy);
  g_free (opening);
}

/* As serve opens the service's own folder: the shared lock against migrate, the database at the
 * latest schema, the audit key, the pack; and on PostgreSQL the mail scheduler's connection. In a
 * thread: connecting can take long (a database away, a host that does not answer), and the main
 * context serves the others meanwhile. What it reads of the front is set before serving. */
static void
open_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  Opening *opening = data;
  g_autofree char *folder = bnd_server_alliance_folder (opening->front->data, opening->slug);
  GError *error = NULL;

  if ((opening->lock = bnd_server_maintenance_lock (folder, FALSE, &error)) < 0 ||
      !(opening->db = bnd_server_db_open (folder, FALSE, &error)) ||
      !bnd_server_db_hold_serving_lock (opening->db, folder, &error) ||
      !(opening->strategy = bnd_server_alliance_load_strategy (folder, TRUE, &error)))
    return g_task_return_error (task, error);
  if (opening->front->has_audit_key)
    bnd_server_db_set_audit_key (opening->db, opening->front->audit_key);
  if (bnd_server_db_is_remote (opening->db) && opening->front->config != NULL &&
      opening->front->config->mail_enabled)
    opening->mail_db = bnd_server_db_open_sibling (opening->db);
  g_task_return_boolean (task, TRUE);
}

/* On the main context: the alliance's server, with what the thread opened, its audit key, its
 * mailer and expiry timer. */
static BndServer *
tenant_start (Opening  *opening,
              GError  **error)
{
  BndServer *front = opening->front;
  g_autoptr(BndServer) self = NULL;

  /* The tenant owns its database and lock: a sign-in or an upload still under way holds the
   * tenant, and with it what it reads and writes. */
  self = g_object_new (BND_TYPE_SERVER, NULL);
  self->front = front;
  self->db = g_steal_pointer (&opening->db);
  _bnd_server_workers_start (self);
  self->tenant_lock = opening->lock;
  opening->lock = -1;
  self->strategy = g_steal_pointer (&opening->strategy);
  self->mail_db = g_steal_pointer (&opening->mail_db);
  self->logins = front->logins;
  self->pdf_check = g_object_ref (front->pdf_check);
  self->trusted_proxies = g_ptr_array_ref (front->trusted_proxies);
  self->max_json_body = front->max_json_body;
  self->max_pdf_body = front->max_pdf_body;
  self->max_attachment = front->max_attachment;
  if (front->config != NULL && !bnd_server_start_mail (self, front->config, error))
    return NULL;
  _bnd_server_start_expiry (self);
  g_message ("Serving the alliance %s", opening->slug);
  return g_steal_pointer (&self);
}

/* The requests that waited go on, to the alliance or to a 404. */
static void
on_opened_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Opening *opening = g_task_get_task_data (G_TASK (result));
  Tenant *tenant = g_hash_table_lookup (opening->front->tenants, opening->slug);
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&tenant->waiting);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) || !(tenant->server = tenant_start (opening, &error)))
    {
      tenant->failed_at = g_get_monotonic_time ();
      g_warning ("The alliance %s cannot be served: %s", opening->slug, error->message);
    }
  for (guint i = 0; i < waiting->len; i++)
    {
      Waiting *request = g_ptr_array_index (waiting, i);

      /* Unpaused first: the alliance's handler may pause it again. */
      soup_server_message_unpause (request->msg);
      if (tenant->server == NULL)
        _bnd_server_fail (request->msg, BND_SERVER_ERROR_NOT_FOUND, "%s", _("No such alliance on this server"));
      else
        _bnd_server_handle_api (tenant->server, request->msg, request->rest, request->query);
    }
}

static void
start_opening (BndServer  *front,
               const char *slug,
               Tenant     *tenant)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, on_opened_cb, NULL);
  Opening *opening = g_new0 (Opening, 1);

  opening->front = g_object_ref (front);
  opening->slug = g_strdup (slug);
  opening->lock = -1;
  tenant->waiting = g_ptr_array_new_with_free_func ((GDestroyNotify)waiting_free);
  g_task_set_task_data (task, opening, (GDestroyNotify)opening_free);
  g_task_run_in_thread (task, open_thread);
}

void
_bnd_server_tenants_free (BndServer *self)
{
  g_clear_pointer (&self->tenants, g_hash_table_unref);
}

/* The tenant of /a/SLUG/… (@rest: the path below it), its opening begun when it is neither
 * served nor being opened nor failed lately; %NULL when there is no such alliance. */
static Tenant *
find_tenant (BndServer   *self,
             const char  *path,
             const char **rest)
{
  g_autofree char *slug = NULL;
  g_autofree char *folder = NULL;
  const char *end;
  Tenant *tenant;

  if (self->tenants == NULL || !g_str_has_prefix (path, PREFIX))
    return NULL;
  end = strchr (path + strlen (PREFIX), '/');
  slug = end ? g_strndup (path + strlen (PREFIX), end - path - strlen (PREFIX)) : g_strdup (path + strlen (PREFIX));
  if (!bnd_server_alliance_slug_is_valid (slug))
    return NULL;
  *rest = end ? end : "";
  tenant = g_hash_table_lookup (self->tenants, slug);
  if (tenant != NULL && (tenant->server != NULL || tenant->waiting != NULL ||
                         g_get_monotonic_time () - tenant->failed_at < RETRY_US))
    return tenant;

  /* Added after this process started, or failed before: its folder says whether it is. */
  folder = bnd_server_alliance_folder (self->data, slug);
  if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
    return NULL;
  if (tenant == NULL)
    {
      tenant = g_new0 (Tenant, 1);
      g_hash_table_insert (self->tenants, g_strdup (slug), tenant);
    }
  start_opening (self, slug, tenant);
  return tenant;
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
  g_autoptr(GPtrArray) alliances = NULL;

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

  /* Each is opened now, in the background, rather than at its first request. */
  alliances = bnd_server_alliance_list (data);
  for (guint i = 0; i < alliances->len; i++)
    {
      g_autofree char *path = g_strconcat (PREFIX, g_ptr_array_index (alliances, i), "/", NULL);
      const char *rest;

      find_tenant (self, path, &rest);
    }
}

/**
 * _bnd_server_for_path:
 * @path: a request's path
 * @rest: (out): @path below the alliance's prefix
 * @opening: (out): whether the alliance exists and is being opened
 *
 * Returns: (nullable) (transfer none): the server of the alliance @path is for: @self for
 *   anything outside /a/, the alliance's for /a/SLUG/…, or %NULL when there is no such alliance
 *   or it is not served now (being opened, or failed to open, said in the log)
 */
BndServer *
_bnd_server_for_path (BndServer   *self,
                      const char  *path,
                      const char **rest,
                      gboolean    *opening)
{
  Tenant *tenant;

  *rest = path;
  *opening = FALSE;
  if (!g_str_has_prefix (path, PREFIX))
    return self;
  if (!(tenant = find_tenant (self, path, rest)))
    return NULL;
  *opening = tenant->waiting != NULL;
  return tenant->server;
}

/* Everything below /a/: an alliance's API, or 404 without a word about which alliances exist
 * beyond "not this one". A request to an alliance being opened waits for it. */
void
_bnd_server_handle_alliance (SoupServer        *server,
                             SoupServerMessage *msg,
                             const char        *path,
                             GHashTable        *query,
                             gpointer           user_data)
{
  const char *rest = path;
  Tenant *tenant = find_tenant (user_data, path, &rest);
  Waiting *waiting;

  if (tenant == NULL || (tenant->server == NULL && tenant->waiting == NULL))
    return _bnd_server_fail (msg, BND_SERVER_ERROR_NOT_FOUND, "%s", _("No such alliance on this server"));
  if (!g_str_has_prefix (rest, "/api/v1/") && !g_str_equal (rest, "/api/v1"))
    return _bnd_server_fail (msg, BND_SERVER_ERROR_NOT_FOUND, "%s", _("No such resource"));
  if (tenant->server != NULL)
    return _bnd_server_handle_api (tenant->server, msg, rest, query);

  waiting = g_new0 (Waiting, 1);
  waiting->msg = g_object_ref (msg);
  waiting->rest = g_strdup (rest);
  waiting->query = query ? g_hash_table_ref (query) : NULL;
  g_ptr_array_add (tenant->waiting, waiting);
  soup_server_message_pause (msg);
}

/* GET /strategy: the alliance's strategy pack as it was given, so that the app and the CLI draft
 * against the pack the server checks against. Its ETag lets a client that has it skip it. */
void
_bnd_server_handle_strategy (BndServer         *self,
                             SoupServerMessage *msg)
{
  GBytes *pack = bnd_strategy_get_bytes (self->strategy);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  /* Made at each call (a tenth of a millisecond): on PostgreSQL calls run on several threads. */
  g_autofree char *sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pack);
  g_autofree char *etag = g_strdup_printf ("\"%s\"", sum);
  const char *wanted;

  soup_message_headers_replace (headers, "ETag", etag);
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  wanted = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "If-None-Match");
  if (g_strcmp0 (wanted, etag) == 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (pack, NULL), g_bytes_get_size (pack));
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}
