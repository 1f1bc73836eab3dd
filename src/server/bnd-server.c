/* bnd-server.c: the HTTP API: listening, routing, answers, body limits and the access log
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bnd-json-check.h"
#include "bnd-server-attachments.h"
#include "bnd-server-body.h"
#include "bnd-server-config.h"
#include "bnd-server-health.h"
#include "bnd-server-portfolio.h"
#include "bnd-server-mailer.h"
#include "bnd-server-private.h"
#include "bnd-server-proxy.h"

/* The HTTP API under /api/v1. It trusts nobody: every call but login needs a bearer token, every
 * rule is checked here, every failure is a JSON error with its 4xx status, and another
 * organisation's draft is answered as if it did not exist. */

/* The most a JSON body may ever have, whatever [server] max-json-body says: on_got_headers_cb
 * has refused anything over the configured limit already, from its Content-Length. */
#define MAX_JSON_BODY_BOUND (64 * 1024 * 1024)
/* The most a request without a valid token may send: a login is a few hundred bytes, and a
 * stranger's body is read into memory before anyone knows who sent it. */
#define MAX_ANONYMOUS_BODY (16 * 1024)

/* How often old idempotency answers, expired tokens and the sign-in throttle's old rows are
 * removed; an hour late is soon enough. BUENDNIS_SERVER_EXPIRE_INTERVAL (seconds) shortens it for tests. */
#define EXPIRE_INTERVAL_S 3600

/* The access log is written in batches: at most this late, and at most this much at once. */
#define ACCESS_LOG_DELAY_MS 100
#define ACCESS_LOG_BUFFER   (64 * 1024)

G_DEFINE_FINAL_TYPE (BndServer, bnd_server, G_TYPE_OBJECT)

/* Object data by quark rather than by name: a name is looked up in the quark table every time. */
G_DEFINE_QUARK (bnd-server-user, _bnd_server_user)
G_DEFINE_QUARK (bnd-server-checks-ahead, _bnd_server_checks_ahead)
static G_DEFINE_QUARK (bnd-server-start-time, start_time)
static G_DEFINE_QUARK (bnd-client-address, client_address)

/* Answers with @node, which it takes. */
void
_bnd_server_send_json (SoupServerMessage *msg,
                       guint              status,
                       JsonNode          *node)
{
  g_autoptr(JsonNode) owned = node;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  char *text;
  gsize length;

  json_generator_set_root (generator, owned);
  text = json_generator_to_data (generator, &length);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, length);
}

void
_bnd_server_send_error (SoupServerMessage *msg,
                        const GError      *error)
{
  _bnd_server_send_json (msg, bnd_server_error_status (error), bnd_api_error_to_json (error));
}

/* Refuses with a message that has values in it: the client says it in its user's language (see
 * bnd_api_error_set()). @...: the values, strings, then %NULL */
void
_bnd_server_refuse (SoupServerMessage *msg,
                    BndServerError     code,
                    const char        *msgid,
                    ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = NULL;
  const char *arg;
  va_list values;

  va_start (values, msgid);
  while ((arg = va_arg (values, const char *)) != NULL)
    g_strv_builder_add (builder, arg);
  va_end (values);
  args = g_strv_builder_end (builder);
  bnd_api_error_set_strv (&error, code, msgid, (const char * const *)args);
  _bnd_server_send_error (msg, error);
}

void
_bnd_server_fail (SoupServerMessage *msg,
                  BndServerError     code,
                  const char        *format,
                  ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  error = g_error_new_literal (BND_SERVER_ERROR, code, message);
  _bnd_server_send_error (msg, error);
}

JsonNode *
_bnd_server_record_to_json (const BndRecord *record,
                            gboolean         with_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "uuid");
  json_builder_add_string_value (builder, record->uuid);
  json_builder_set_member_name (builder, "revision");
  json_builder_add_int_value (builder, record->revision);
  json_builder_set_member_name (builder, "seq");
  json_builder_add_int_value (builder, record->seq);
  json_builder_set_member_name (builder, "stage");
  json_builder_add_string_value (builder, record->stage);
  json_builder_set_member_name (builder, "org");
  json_builder_add_string_value (builder, record->org);
  if (with_data)
    {
      g_autoptr(JsonNode) data = json_from_string (record->data, NULL);

      json_builder_set_member_name (builder, "data");
      json_builder_add_value (builder, data ? g_steal_pointer (&data) : json_node_new (JSON_NODE_NULL));
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* The one address the server knows a client by: for sign-in throttling and the access log. */
const char *
_bnd_server_client_address (BndServer         *self,
                            SoupServerMessage *msg)
{
  GSocketAddress *peer = soup_server_message_get_remote_address (msg);
  const char *address;

  /* Without a trusted proxy the address is the connection's own: found once per connection,
   * kept with the connection's remote address, which every message of it holds. */
  if (self->trusted_proxies->len == 0 && peer != NULL)
    {
      if (!(address = g_object_get_qdata (G_OBJECT (peer), client_address_quark ())))
        {
          address = bnd_server_proxy_find_client (self->trusted_proxies, msg);
          g_object_set_qdata_full (G_OBJECT (peer), client_address_quark (), (char *)address, g_free);
        }
      return address;
    }
  if (!(address = g_object_get_qdata (G_OBJECT (msg), client_address_quark ())))
    {
      address = bnd_server_proxy_find_client (self->trusted_proxies, msg);
      g_object_set_qdata_full (G_OBJECT (msg), client_address_quark (), (char *)address, g_free);
    }
  return address;
}

/* The user behind the request's bearer token, or a 401 already sent. */
static BndUser *
authenticate (BndServer         *self,
              SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  BndUser *user;

  if (header == NULL || !g_str_has_prefix (header, "Bearer ") || strlen (header) > 200)
    {
      _bnd_server_fail (msg, BND_SERVER_ERROR_UNAUTHORIZED, "%s",
                        _("Sign in first: this call needs a bearer token"));
      return NULL;
    }
  if (!(user = bnd_server_db_check_token (_bnd_server_db (self), header + strlen ("Bearer "))))
    {
      _bnd_server_fail (msg, BND_SERVER_ERROR_UNAUTHORIZED, "%s",
                        _("The token is unknown, expired or revoked"));
      return NULL;
    }
  g_object_set_qdata_full (G_OBJECT (msg), _bnd_server_user_quark (), g_strdup (user->name), g_free);
  return user;
}

JsonObject *
_bnd_server_parse_body (SoupServerMessage  *msg,
                        JsonNode          **root)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  if (body->length > MAX_JSON_BODY_BOUND)
    {
      _bnd_server_fail (msg, BND_SERVER_ERROR_TOO_LARGE, "%s", _("The request body is too large"));
      return NULL;
    }
  if (!(object = bnd_server_body_parse (body->data, body->length, root, &error)))
    _bnd_server_send_error (msg, error);
  return object;
}

/* A string member, or NULL when it is missing or anything but a string. */
const char *
_bnd_server_string_member (JsonObject *object,
                           const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Everything under /api/v1 but login, for a signed-in @user. */
static void
route (BndServer         *self,
       SoupServerMessage *msg,
       const BndUser     *user,
       const char        *path,
       GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  g_auto(GStrv) parts = NULL;
  guint n;

  if (g_str_equal (path, "/api/v1/logout") && g_str_equal (method, "POST"))
    return _bnd_server_handle_logout (self, msg, user);
  if (g_str_equal (path, "/api/v1/changes") && g_str_equal (method, "GET"))
    return _bnd_server_handle_changes (self, msg, user, query);
  if (g_str_equal (path, "/api/v1/me") && g_str_equal (method, "GET"))
    return _bnd_server_handle_me (self, msg, user);
  if (g_str_equal (path, "/api/v1/me") && g_str_equal (method, "PATCH"))
    return _bnd_server_handle_patch_me (self, msg, user);
  if (g_str_equal (path, "/api/v1/strategy") && g_str_equal (method, "GET"))
    return _bnd_server_handle_strategy (self, msg);

  if (g_str_equal (path, "/api/v1/portfolio") && g_str_equal (method, "GET"))
    {
      g_autoptr(GError) error = NULL;
      JsonNode *portfolio = bnd_server_db_portfolio (_bnd_server_db (self), user, self->strategy, &error);

      if (portfolio == NULL)
        return _bnd_server_send_error (msg, error);
      return _bnd_server_send_json (msg, SOUP_STATUS_OK, portfolio);
    }

  parts = g_strsplit (path, "/", -1);
  n = g_strv_length (parts);
  /* "", "api", "v1", "sessions" [, uuid [, "items" [, dossier] | "held"]] */
  if (n >= 4 && g_str_equal (parts[3], "sessions"))
    return _bnd_server_handle_sessions (self, msg, user, (const char * const *)parts + 4);
  /* "", "api", "v1", "sketches", uuid [, "submit" | "pdf"] */
  /* UUIDs in lower case only, so that one sketch has one address. */
  if ((n == 5 || n == 6) && g_str_equal (parts[3], "sketches") && g_uuid_string_is_valid (parts[4]) &&
      strspn (parts[4], "0123456789abcdef-") == strlen (parts[4]))
    {
      const char *uuid = parts[4];

      if (n == 5 && g_str_equal (method, "GET"))
        return _bnd_server_handle_get_sketch (self, msg, user, uuid);
      if (n == 5 && g_str_equal (method, "PUT"))
        return _bnd_server_handle_put_sketch (self, msg, user, uuid);
      if (n == 6 && g_str_equal (parts[5], "submit") && g_str_equal (method, "POST"))
        return _bnd_server_handle_submit (self, msg, user, uuid);
      if (n == 6 && g_str_equal (parts[5], "pdf") && g_str_equal (method, "GET"))
        return _bnd_server_handle_get_pdf (self, msg, user, uuid);
    }

  /* "", "api", "v1", "dossiers", uuid [, "stage" | "steps" | "audit" | "vote" | "rating" | "ratings"
   * | "recusals" | "consultation" | "attachments" [, id] | "submissions" [, n | "diff"] | "steps", step] */
  if (n == 5 && g_str_equal (parts[3], "dossiers") && g_uuid_string_is_valid (parts[4]) &&
      strspn (parts[4], "0123456789abcdef-") == strlen (parts[4]) && g_str_equal (method, "GET"))
    return _bnd_server_handle_dossier (self, msg, user, parts[4]);
  if (n == 7 && g_str_equal (parts[3], "dossiers") && g_uuid_string_is_valid (parts[4]) &&
      strspn (parts[4], "0123456789abcdef-") == strlen (parts[4]))
    {
      if (g_str_equal (parts[5], "attachments") && g_str_equal (method, "GET"))
        return _bnd_server_handle_get_attachment (self, msg, user, parts[4], parts[6]);
      if (g_str_equal (parts[5], "submissions") && g_str_equal (method, "GET"))
        return _bnd_server_handle_submission (self, msg, user, parts[4], parts[6], query);
      if (g_str_equal (parts[5], "steps") && g_str_equal (method, "POST"))
        return _bnd_server_handle_take_step (self, msg, user, parts[4], parts[6], query);
    }
  if (n == 6 && g_str_equal (parts[3], "dossiers") && g_uuid_string_is_valid (parts[4]) &&
      strspn (parts[4], "0123456789abcdef-") == strlen (parts[4]))
    {
      if (g_str_equal (parts[5], "steps") && g_str_equal (method, "GET"))
        return _bnd_server_handle_steps (self, msg, user, parts[4]);
      if (g_str_equal (parts[5], "consultation") && (g_str_equal (method, "GET") || g_str_equal (method, "POST")))
        return _bnd_server_handle_consultation (self, msg, user, parts[4], g_str_equal (method, "POST"));
      if (g_str_equal (parts[5], "submissions") && g_str_equal (method, "GET"))
        return _bnd_server_handle_submissions (self, msg, user, parts[4]);
      if (g_str_equal (parts[5], "statement") && (g_str_equal (method, "GET") || g_str_equal (method, "POST")))
        return _bnd_server_handle_statement (self, msg, user, parts[4],
                                             g_str_equal (method, "POST"));
      if (g_str_equal (parts[5], "assessment") && (g_str_equal (method, "GET") || g_str_equal (method, "PUT")))
        return _bnd_server_handle_assessment (self, msg, user, parts[4],
                                              g_str_equal (method, "PUT"));
      if (g_str_equal (parts[5], "comments") && (g_str_equal (method, "GET") || g_str_equal (method, "POST")))
        return _bnd_server_handle_comments (self, msg, user, parts[4],
                                            g_str_equal (method, "POST"));
      if (g_str_equal (parts[5], "ratings") && g_str_equal (method, "GET"))
        return _bnd_server_handle_get_ratings (self, msg, user, parts[4]);
      if (g_str_equal (parts[5], "rating") && g_str_equal (method, "PUT"))
        return _bnd_server_handle_rate (self, msg, user, parts[4]);
      if (g_str_equal (parts[5], "recusals") && g_str_equal (method, "POST"))
        return _bnd_server_handle_recuse (self, msg, user, parts[4]);
      if (g_str_equal (parts[5], "attachments") && g_str_equal (method, "POST"))
        return _bnd_server_handle_add_attachment (self, msg, user, parts[4], query);
      if (g_str_equal (parts[5], "attachments") && g_str_equal (method, "GET"))
        return _bnd_server_handle_list_attachments (self, msg, user, parts[4]);
      if (g_str_equal (parts[5], "stage") && g_str_equal (method, "POST"))
        return _bnd_server_handle_move_stage (self, msg, user, parts[4]);
      if (g_str_equal (parts[5], "audit") && g_str_equal (method, "GET"))
        return _bnd_server_handle_audit (self, msg, user, parts[4]);
      if (g_str_equal (parts[5], "vote") && g_str_equal (method, "GET"))
        return _bnd_server_handle_get_vote (self, msg, user, parts[4]);
      if (g_str_equal (parts[5], "vote") && g_str_equal (method, "POST"))
        return _bnd_server_handle_open_vote (self, msg, user, parts[4]);
      if (g_str_equal (parts[5], "vote") && g_str_equal (method, "PUT"))
        return _bnd_server_handle_cast_vote (self, msg, user, parts[4]);
    }

  _bnd_server_fail (msg, BND_SERVER_ERROR_NOT_FOUND, "%s", _("No such resource"));
}

typedef struct
{
  char       *path;
  GHashTable *query;   /* (nullable) */
} Call;

static void
call_free (Call *call)
{
  g_free (call->path);
  g_clear_pointer (&call->query, g_hash_table_unref);
  g_free (call);
}

/* Everything but login needs a signed-in user, before anything about the path is told. The token
 * check and what the handler reads share one read transaction; a write ends it first. */
static void
answer_call (BndServer         *self,
             SoupServerMessage *msg,
             gpointer           data)
{
  Call *call = data;
  BndServerDb *db = _bnd_server_db (self);
  g_autoptr(BndUser) user = NULL;

  bnd_server_db_begin_request (db);
  if ((user = authenticate (self, msg)))
    route (self, msg, user, call->path, call->query);
  bnd_server_db_end_request (db);
}

void
_bnd_server_handle_api (BndServer         *self,
                        SoupServerMessage *msg,
                        const char        *path,
                        GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  Call *call;

  if (g_str_equal (path, "/api/v1/login"))
    {
      if (!g_str_equal (method, "POST"))
        _bnd_server_fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s", _("Use POST to sign in"));
      else
        _bnd_server_handle_login (self, msg);
      return;
    }

  call = g_new0 (Call, 1);
  call->path = g_strdup (path);
  call->query = query ? g_hash_table_ref (query) : NULL;
  _bnd_server_run (self, msg, answer_call, NULL, call, (GDestroyNotify)call_free);
}

static void
handle_api (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  _bnd_server_handle_api (user_data, msg, path, query);
}

static void
health_answered (BndServer         *self,
                 SoupServerMessage *msg,
                 gpointer           data)
{
  self->health_asked = FALSE;
}

static void
answer_health (BndServer         *self,
               SoupServerMessage *msg,
               gpointer           data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean healthy = bnd_server_db_ping (_bnd_server_db (self));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, healthy ? "ok" : "unavailable");
  if (healthy)
    {
      json_builder_set_member_name (builder, "version");
      json_builder_add_string_value (builder, PACKAGE_VERSION);
    }
  json_builder_end_object (builder);
  _bnd_server_send_json (msg, healthy ? SOUP_STATUS_OK : SOUP_STATUS_SERVICE_UNAVAILABLE,
                         json_builder_get_root (builder));
}

/* GET /healthz, for a load balancer or monitoring: no token, and nothing in the answer that a
 * stranger should not know (no counts, no names). */
static void
handle_healthz (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  BndServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);

  if (!g_str_equal (path, "/healthz"))
    return _bnd_server_fail (msg, BND_SERVER_ERROR_NOT_FOUND, "%s", _("No such resource"));
  if (!g_str_equal (method, "GET") && !g_str_equal (method, "HEAD"))
    return _bnd_server_fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s",
                             _("Use GET to ask for the server's health"));
  /* A database that has not answered the last check is not healthy: checks do not pile up. */
  if (self->health_asked)
    return _bnd_server_fail (msg, BND_SERVER_ERROR_BUSY, "%s",
                             _("The database has not answered the last health check yet"));
  self->health_asked = TRUE;
  _bnd_server_run_aside (self, msg, answer_health, health_answered, NULL, NULL);
}

static void
handle_other (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  _bnd_server_fail (msg, BND_SERVER_ERROR_NOT_FOUND, "%s", _("No such resource"));
}

static void log_request (BndServer         *self,
                         SoupServerMessage *msg);

typedef struct
{
  BndServer *front;
  gboolean   refused;
} EarlyCheck;

/* Whether the sender of a body larger than a login's is signed in. */
static void
check_sender (BndServer         *self,
              SoupServerMessage *msg,
              gpointer           data)
{
  EarlyCheck *check = data;
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  g_autoptr(BndUser) user = header && g_str_has_prefix (header, "Bearer ") && strlen (header) <= 200
                            ? bnd_server_db_check_token (_bnd_server_db (self), header + strlen ("Bearer ")) : NULL;

  if (user == NULL)
    _bnd_server_fail (msg, BND_SERVER_ERROR_UNAUTHORIZED, "%s",
                      _("Sign in first: this call needs a bearer token"));
  check->refused = user == NULL;
}

/* libsoup would read the whole body before answering; the listener answers now. */
static void
answer_early (BndServer         *self,
              SoupServerMessage *msg,
              gpointer           data)
{
  EarlyCheck *check = data;

  if (check->refused && bnd_server_listener_answer_now (msg))
    log_request (check->front, msg);
}

/* Refuse an oversized body from its headers, and answer at once, before reading it. */
static void
refuse_early (SoupServerMessage *msg,
              gpointer           user_data)
{
  BndServer *front = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  goffset length = soup_message_headers_get_content_length (headers);
  GUri *uri = soup_server_message_get_uri (msg);
  const char *path = uri ? g_uri_get_path (uri) : "";
  /* The alliance whose tokens count: an unknown one's requests end at its handler. */
  gboolean opening;
  BndServer *self = _bnd_server_for_path (front, path, &path, &opening);
  goffset limit = g_str_has_suffix (path, "/submit") ? front->max_pdf_body
                  : g_str_has_suffix (path, "/attachments") ? front->max_attachment
                  : g_str_equal (path, "/api/v1/login") ? MAX_ANONYMOUS_BODY
                  : front->max_json_body;
  EarlyCheck check = { front, TRUE };

  /* A body without a length could grow without end before any handler sees it. */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED)
    _bnd_server_fail (msg, BND_SERVER_ERROR_TOO_LARGE, "%s",
                      _("Send the body with a Content-Length"));
  else if (length > limit)
    _bnd_server_fail (msg, BND_SERVER_ERROR_TOO_LARGE, "%s", _("The request body is too large"));
  /* Only someone signed in may make the server read more than a login's worth: the connection
   * cap times this is what strangers can make it hold. */
  else if (length > MAX_ANONYMOUS_BODY && self == NULL && opening)
    {
      /* Its first seconds after the start: nobody can have signed in to it yet. */
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "1");
      _bnd_server_fail (msg, BND_SERVER_ERROR_BUSY, "%s", _("The alliance is starting up on the server; try again in a moment"));
    }
  else if (length > MAX_ANONYMOUS_BODY && self == NULL)
    _bnd_server_fail (msg, BND_SERVER_ERROR_NOT_FOUND, "%s", _("No such alliance on this server"));
  /* The body waits unread while the token is looked up (libsoup lets got-headers pause). */
  else if (length > MAX_ANONYMOUS_BODY)
    return _bnd_server_run (self, msg, check_sender, answer_early, g_memdup2 (&check, sizeof check), g_free);
  else
    check.refused = FALSE;
  answer_early (front, msg, &check);
}

/* Runs after libsoup's own handler of the headers, which was connected before request-started
 * (one handler rather than two: each costs a closure per request). */
static void
on_got_headers_cb (SoupServerMessage *msg,
                   gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  /* refuse_early() may hand the message to a worker thread (on PostgreSQL): after it, nothing
   * here may touch it. */
  if (soup_server_message_get_status (msg) == 0)
    return refuse_early (msg, user_data);

  /* libsoup refuses some requests itself (an address that climbs out with "..", for one) with a
   * bare 400: give those the API's JSON error body too, and answer before any body is read. */
  if (soup_server_message_get_status (msg) == SOUP_STATUS_BAD_REQUEST &&
      soup_server_message_get_response_body (msg)->length == 0)
    _bnd_server_fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s", _("The request is malformed"));
  if ((soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED ||
       soup_message_headers_get_content_length (headers) > 0) &&
      bnd_server_listener_answer_now (msg))
    log_request (user_data, msg);
}

static void
on_request_started_cb (SoupServer        *server,
                       SoupServerMessage *msg,
                       gpointer           user_data)
{
  g_object_set_qdata_full (G_OBJECT (msg), start_time_quark (),
                           g_memdup2 (&(gint64){ g_get_monotonic_time () }, sizeof (gint64)), g_free);
  g_signal_connect_after (msg, "got-headers", G_CALLBACK (on_got_headers_cb), user_data);
}

/* @text as a JSON string: quotes, backslashes and control characters escaped, anything that is
 * not UTF-8 replaced, as a JSON parser needs it. */
static void
append_json_string (GString    *out,
                    const char *text)
{
  g_autofree char *valid = NULL;
  const char *c;

  /* Most are plain ASCII with nothing to escape: in one piece. */
  for (c = text; *c && (guchar)*c >= 0x20 && (guchar)*c < 0x80 && *c != '"' && *c != '\\'; c++)
    ;
  if (*c == '\0')
    {
      g_string_append_c (out, '"');
      g_string_append_len (out, text, c - text);
      g_string_append_c (out, '"');
      return;
    }
  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);
  g_string_append_c (out, '"');
  for (c = text; *c; c++)
    {
      if (*c == '"' || *c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, *c);
        }
      else if ((guchar)*c < 0x20)
        g_string_append_printf (out, "\\u%04x", (guint)(guchar)*c);
      else
        g_string_append_c (out, *c);
    }
  g_string_append_c (out, '"');
}

/* printf would cost more than the rest of the line. */
static void
append_number (GString *out,
               guint64  number)
{
  char digits[24];
  guint i = sizeof digits;

  do
    digits[--i] = '0' + number % 10;
  while ((number /= 10) > 0);
  g_string_append_len (out, digits + i, sizeof digits - i);
}

static gboolean
on_access_log_flush_cb (gpointer user_data)
{
  BndServer *self = user_data;

  self->access_log_flush_id = 0;
  bnd_server_flush_log (self);
  return G_SOURCE_REMOVE;
}

/**
 * bnd_server_flush_log:
 *
 * Writes out the access log's lines that wait (see log_request()). The server does so itself
 * within ACCESS_LOG_DELAY_MS; call it once more before the process exits.
 */
void
bnd_server_flush_log (BndServer *self)
{
  const char *next;
  gsize left;

  g_return_if_fail (BND_IS_SERVER (self));

  g_clear_handle_id (&self->access_log_flush_id, g_source_remove);
  if (self->access_log->len == 0)
    return;
  /* In one write, past stdio: fwrite would copy the lines again and write them 4 KiB at a time.
   * What else went to stdout (the address it listens on) goes first. A log that cannot be
   * written (a reader gone) loses its lines, not the server. */
  fflush (stdout);
  for (next = self->access_log->str, left = self->access_log->len; left > 0;)
    {
      gssize n = write (STDOUT_FILENO, next, left);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      next += n;
      left -= n;
    }
  g_string_truncate (self->access_log, 0);
}

/* One JSON line per request on stdout: journald and log tools read it as it is. A write for
 * every request would cost as much as a short request itself, so the lines are gathered and
 * written together: ACCESS_LOG_DELAY_MS after the first of them, when ACCESS_LOG_BUFFER bytes
 * wait, and when the server stops. Written by hand rather than through a JSON tree, for the same
 * reason; the members are those of a json-glib object: method, path, status, remote, user, ms
 * and, for a sign-in, checks_ahead. */
static void
log_request (BndServer         *self,
             SoupServerMessage *msg)
{
  GString *out = self->access_log;
  gint64 *start = g_object_get_qdata (G_OBJECT (msg), start_time_quark ());
  const char *user = g_object_get_qdata (G_OBJECT (msg), _bnd_server_user_quark ());
  gpointer checks_ahead = g_object_get_qdata (G_OBJECT (msg), _bnd_server_checks_ahead_quark ());
  GUri *uri = soup_server_message_get_uri (msg);
  gint64 us = start ? MAX (g_get_monotonic_time () - *start, 0) : 0;

  g_string_append (out, "{\"method\":");
  append_json_string (out, soup_server_message_get_method (msg));
  g_string_append (out, ",\"path\":");
  append_json_string (out, uri ? g_uri_get_path (uri) : "");
  g_string_append (out, ",\"status\":");
  append_number (out, soup_server_message_get_status (msg));
  g_string_append (out, ",\"remote\":");
  append_json_string (out, _bnd_server_client_address (self, msg));
  g_string_append (out, ",\"user\":");
  append_json_string (out, user ? user : "");
  /* Milliseconds with three decimals, as "%.3f" of us / 1000.0 gives them: whole microseconds
   * need no rounding. */
  g_string_append (out, ",\"ms\":");
  append_number (out, us / 1000);
  g_string_append_c (out, '.');
  g_string_append_c (out, '0' + us / 100 % 10);
  g_string_append_c (out, '0' + us / 10 % 10);
  g_string_append_c (out, '0' + us % 10);
  /* A sign-in: how many password checks were served while it waited (bnd-server-auth.c). */
  if (checks_ahead)
    {
      g_string_append (out, ",\"checks_ahead\":");
      append_number (out, GPOINTER_TO_UINT (checks_ahead) - 1);
    }
  g_string_append (out, "}\n");

  if (out->len >= ACCESS_LOG_BUFFER)
    bnd_server_flush_log (self);
  else if (self->access_log_flush_id == 0)
    self->access_log_flush_id = g_timeout_add (ACCESS_LOG_DELAY_MS, on_access_log_flush_cb, self);
}

static void
on_request_finished_cb (SoupServer        *server,
                        SoupServerMessage *msg,
                        gpointer           user_data)
{
  log_request (user_data, msg);
}

static void
expired (BndServer         *self,
         SoupServerMessage *msg,
         gpointer           data)
{
  self->expiring = FALSE;
}

static void
expire (BndServer         *self,
        SoupServerMessage *msg,
        gpointer           data)
{
  g_autoptr(GError) error = NULL;

  if (!bnd_server_db_expire (_bnd_server_db (self), g_get_real_time () / G_USEC_PER_SEC, &error))
    g_warning ("could not remove expired rows: %s", error->message);
}

static gboolean
on_expire_timeout_cb (gpointer user_data)
{
  BndServer *self = user_data;

  /* A run that still waits for the database is not joined by another. */
  if (!self->expiring)
    {
      self->expiring = TRUE;
      _bnd_server_run (self, NULL, expire, expired, NULL, NULL);
    }
  return G_SOURCE_CONTINUE;
}

static void
bnd_server_finalize (GObject *object)
{
  BndServer *self = (BndServer *)object;

  /* The tenants first: their requests and sign-ins go through the front's listener and queue. */
  _bnd_server_tenants_free (self);
  bnd_server_flush_log (self);
  g_string_free (self->access_log, TRUE);
  g_clear_handle_id (&self->expire_id, g_source_remove);
  g_clear_pointer (&self->mailer, bnd_mailer_stop);
  g_clear_pointer (&self->listener, bnd_server_listener_free);
  g_clear_object (&self->soup);
  g_clear_object (&self->strategy);
  if (self->front == NULL)
    g_clear_pointer (&self->logins, bnd_login_queue_free);
  g_clear_object (&self->pdf_check);
  g_clear_pointer (&self->trusted_proxies, g_ptr_array_unref);
  g_clear_pointer (&self->data, g_free);
  sodium_memzero (self->audit_key, sizeof self->audit_key);
  _bnd_server_workers_stop (self);
  g_clear_pointer (&self->mail_db, bnd_server_db_free);
  if (self->front != NULL)
    {
      g_clear_pointer (&self->db, bnd_server_db_free);
      close (self->tenant_lock);
    }

  G_OBJECT_CLASS (bnd_server_parent_class)->finalize (object);
}

static void
bnd_server_class_init (BndServerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bnd_server_finalize;
}

static void
bnd_server_init (BndServer *self)
{
  self->access_log = g_string_sized_new (ACCESS_LOG_BUFFER + 1024);
  self->max_json_body = BND_SERVER_DEFAULT_MAX_JSON_BODY;
  self->max_pdf_body = BND_SERVER_DEFAULT_MAX_PDF_BODY;
  self->max_attachment = BND_MAX_ATTACHMENT;
}

/* Once now, for a server that was stopped for a while, then on the timer. */
void
_bnd_server_start_expiry (BndServer *self)
{
  const char *interval = g_getenv ("BUENDNIS_SERVER_EXPIRE_INTERVAL");
  guint64 seconds = 0;

  if (interval == NULL || !g_ascii_string_to_unsigned (interval, 10, 1, G_MAXUINT, &seconds, NULL))
    seconds = EXPIRE_INTERVAL_S;
  on_expire_timeout_cb (self);
  self->expire_id = g_timeout_add_seconds ((guint)seconds, on_expire_timeout_cb, self);
}

/**
 * bnd_server_new:
 * @db: the server database, owned by the caller and outliving the server
 * @strategy: the strategy sketches are checked against
 * @certificate: (nullable): for HTTPS
 */
BndServer *
bnd_server_new (BndServerDb     *db,
                BndStrategy     *strategy,
                GTlsCertificate *certificate)
{
  BndServer *self = g_object_new (BND_TYPE_SERVER, NULL);

  self->db = db;
  _bnd_server_workers_start (self);
  self->strategy = g_object_ref (strategy);
  self->logins = _bnd_server_login_queue_new (self);
  self->trusted_proxies = g_ptr_array_new_with_free_func (g_object_unref);
  self->pdf_check = bnd_server_pdf_check_new ();
  self->soup = soup_server_new ("server-header", "buendnis-server", NULL);
  self->listener = bnd_server_listener_new (self->soup, certificate);
  soup_server_add_handler (self->soup, "/api/v1", handle_api, self, NULL);
  soup_server_add_handler (self->soup, "/a", _bnd_server_handle_alliance, self, NULL);
  soup_server_add_handler (self->soup, "/healthz", handle_healthz, self, NULL);
  soup_server_add_handler (self->soup, NULL, handle_other, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (on_request_started_cb), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (on_request_finished_cb), self);

  _bnd_server_start_expiry (self);
  return self;
}

/**
 * bnd_server_set_config:
 * @config: a configuration that bnd_server_config_check() found fine
 *
 * Takes the body limits, the connection cap, the timeouts and the trusted proxies from @config.
 * Call it before listening.
 */
void
bnd_server_set_config (BndServer             *self,
                       const BndServerConfig *config)
{
  g_return_if_fail (BND_IS_SERVER (self));

  self->max_json_body = CLAMP (config->max_json_body, 1, MAX_JSON_BODY_BOUND);
  self->max_pdf_body = CLAMP (config->max_pdf_body, 1, BND_MAX_ATTACHMENT_BOUND);
  self->max_attachment = CLAMP (config->max_attachment, 1, BND_MAX_ATTACHMENT_BOUND);
  bnd_server_pdf_check_set_limits (self->pdf_check, CLAMP (config->pdf_check_timeout, 1, 600),
                                   CLAMP (config->pdf_check_memory, 64, 16 * 1024));
  bnd_server_listener_set_limits (self->listener, &(BndServerLimits) {
    .max_connections = config->max_connections,
    .idle_timeout = config->idle_timeout,
    .header_timeout = config->header_timeout,
    .body_timeout = config->body_timeout,
    .body_min_rate = config->body_min_rate,
  });
  g_ptr_array_set_size (self->trusted_proxies, 0);
  for (guint i = 0; config->trusted_proxies[i]; i++)
    {
      const char *proxy = config->trusted_proxies[i];
      GInetAddressMask *mask = g_inet_address_mask_new_from_string (proxy, NULL);

      /* bnd_server_config_check() has reported what does not parse. */
      if (mask != NULL)
        g_ptr_array_add (self->trusted_proxies, mask);
    }
}

/**
 * bnd_server_start_mail:
 * @config: a configuration that bnd_server_config_check() found fine
 *
 * Starts the mail scheduler when [mail] enabled is true (bnd-server-mailer.c); otherwise events
 * write no messages.
 */
gboolean
bnd_server_start_mail (BndServer             *self,
                       const BndServerConfig *config,
                       GError               **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (BND_IS_SERVER (self), FALSE);

  g_clear_pointer (&self->mailer, bnd_mailer_stop);
  self->mailer = bnd_mailer_start (self->db, g_steal_pointer (&self->mail_db), config, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/**
 * bnd_server_stop_listening:
 *
 * At the end of serve: no new clients; the requests under way are answered
 * (bnd_server_finish_works()).
 */
void
bnd_server_stop_listening (BndServer *self)
{
  g_return_if_fail (BND_IS_SERVER (self));

  bnd_server_listener_close (self->listener);
}

/**
 * bnd_server_listen:
 * @port: (out) (optional): the port it got, for port 0
 *
 * Listens on @address; see bnd-server-listener.c for how connections are accepted.
 */
gboolean
bnd_server_listen (BndServer           *self,
                   GInetSocketAddress  *address,
                   guint               *port,
                   GError             **error)
{
  return bnd_server_listener_listen (self->listener, address, port, error);
}
