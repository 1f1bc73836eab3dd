/* bnd-server.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>

#include "bnd-pdf-renderer.h"
#include "bnd-server.h"
#include "bnd-server-attachments.h"
#include "bnd-server-config.h"
#include "bnd-server-discussion.h"
#include "bnd-server-dossier.h"
#include "bnd-server-health.h"
#include "bnd-server-portfolio.h"
#include "bnd-server-proxy.h"
#include "bnd-server-rating.h"
#include "bnd-server-statement.h"
#include "bnd-server-vote.h"
#include "bnd-sketch.h"

/* The HTTP API under /api/v1. It trusts nobody: every call but login needs a bearer token, every
 * rule is checked here, every failure is a JSON error with its 4xx status, and another
 * organisation's draft is answered as if it did not exist. */

/* The most a JSON body may ever have, whatever [server] max-json-body says: on_got_headers_cb
 * has refused anything over the configured limit already, from its Content-Length. */
#define MAX_JSON_BODY_BOUND (64 * 1024 * 1024)
#define CHANGES_PAGE    200
#define ADDRESS_LIMIT   20          /* failed logins per address and minute */

struct _BndServer
{
  GObject          parent_instance;

  SoupServer      *soup;
  BndServerDb     *db;
  BndStrategy     *strategy;
  GHashTable      *failures;        /* client address → AddressFailures */
  guint            verifying;

  /* From the configuration */
  gint64           max_json_body;
  gint64           max_pdf_body;
  gint64           max_attachment;
  GPtrArray       *trusted_proxies; /* GInetAddressMask */
};

typedef struct
{
  guint  count;          /* failed and running attempts in this minute */
  gint64 window_start;
} AddressFailures;

#define MAX_VERIFYING   8          /* password checks running at once, for all addresses */

G_DEFINE_FINAL_TYPE (BndServer, bnd_server, G_TYPE_OBJECT)

/* Answers with @node, which it takes. */
static void
send_json (SoupServerMessage *msg,
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

static void
send_pdf (SoupServerMessage *msg,
          GBytes            *pdf)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/pdf", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf));
}

static void
send_error (SoupServerMessage *msg,
            const GError      *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, bnd_server_error_code (error));
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, error->message);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  send_json (msg, bnd_server_error_status (error), g_steal_pointer (&node));
}

G_GNUC_PRINTF (3, 4) static void
fail (SoupServerMessage *msg,
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
  send_error (msg, error);
}

static JsonNode *
record_to_json (const BndRecord *record,
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
static const char *
client_address (BndServer         *self,
                SoupServerMessage *msg)
{
  const char *address = g_object_get_data (G_OBJECT (msg), "client-address");

  if (address == NULL)
    {
      address = bnd_server_proxy_find_client (self->trusted_proxies, msg);
      g_object_set_data_full (G_OBJECT (msg), "client-address", (char *)address, g_free);
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
      fail (msg, BND_SERVER_ERROR_UNAUTHORIZED, "%s", _("Sign in first: this call needs a bearer token"));
      return NULL;
    }
  if (!(user = bnd_server_db_check_token (self->db, header + strlen ("Bearer "))))
    {
      fail (msg, BND_SERVER_ERROR_UNAUTHORIZED, "%s", _("The token is unknown, expired or revoked"));
      return NULL;
    }
  g_object_set_data_full (G_OBJECT (msg), "user", g_strdup (user->name), g_free);
  return user;
}

static JsonObject *
parse_body (SoupServerMessage  *msg,
            JsonNode          **root)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (body->length > MAX_JSON_BODY_BOUND)
    {
      fail (msg, BND_SERVER_ERROR_TOO_LARGE, "%s", _("The request body is too large"));
      return NULL;
    }
  if (body->length == 0 || !g_utf8_validate (body->data, body->length, NULL) ||
      !json_parser_load_from_data (parser, body->data, body->length, &error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s", _("The body is not a JSON object"));
      return NULL;
    }
  *root = json_parser_steal_root (parser);
  return json_node_get_object (*root);
}

/* A string member, or NULL when it is missing or anything but a string. */
static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Login: the password check is slow on purpose (Argon2id) and runs on a worker thread. */

typedef struct
{
  BndServer         *self;
  SoupServerMessage *msg;
  char              *user;
  char              *password;
  char              *hash;
  char              *address;
} Login;

static void
login_free (Login *login)
{
  g_object_unref (login->self);
  g_object_unref (login->msg);
  g_free (login->user);
  sodium_memzero (login->password, strlen (login->password));
  g_free (login->password);
  g_free (login->hash);
  g_free (login->address);
  g_free (login);
}

static void
verify_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Login *login = task_data;
  /* A hash of a random password stands in for unknown users, so that they take as long. */
  static char dummy[crypto_pwhash_STRBYTES];
  static gsize dummy_ready;

  if (g_once_init_enter (&dummy_ready))
    {
      if (crypto_pwhash_str (dummy, "not a password", 14, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        dummy[0] = 0;   /* then every unknown user fails at once: still no false success */
      g_once_init_leave (&dummy_ready, 1);
    }

  g_task_return_boolean (task, crypto_pwhash_str_verify (login->hash ? login->hash : dummy, login->password,
                                                         strlen (login->password)) == 0 && login->hash != NULL);
}

static void
verified_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Login *login = g_task_get_task_data (G_TASK (result));
  BndServer *self = login->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  AddressFailures *failures = g_hash_table_lookup (self->failures, login->address);
  gboolean verified;

  self->verifying--;
  verified = g_task_propagate_boolean (G_TASK (result), NULL);
  /* A success gives back the attempt it counted against its address. */
  if (verified && failures && failures->count > 0)
    failures->count--;

  if (!verified)
    {
      bnd_server_db_login_failed (self->db, login->user);
      fail (login->msg, BND_SERVER_ERROR_UNAUTHORIZED, "%s", _("Wrong user name or password"));
    }
  else if (!(token = bnd_server_db_new_token (self->db, login->user, &error)))
    send_error (login->msg, error);
  else
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(BndUser) user = bnd_server_db_check_token (self->db, token);

      if (user == NULL)
        {
          fail (login->msg, BND_SERVER_ERROR_UNAUTHORIZED, "%s", _("Wrong user name or password"));
          soup_server_message_unpause (login->msg);
          return;
        }
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "token");
      json_builder_add_string_value (builder, token);
      json_builder_set_member_name (builder, "user");
      json_builder_add_string_value (builder, user->name);
      json_builder_set_member_name (builder, "org");
      json_builder_add_string_value (builder, user->org);
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, bnd_role_to_string (user->role));
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      g_object_set_data_full (G_OBJECT (login->msg), "user", g_strdup (user->name), g_free);
      send_json (login->msg, SOUP_STATUS_OK, g_steal_pointer (&node));
    }

  soup_server_message_unpause (login->msg);
}

static void
handle_login (BndServer         *self,
              SoupServerMessage *msg)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GTask) task = NULL;
  JsonObject *body;
  const char *user, *password, *address;
  AddressFailures *failures;
  gint64 locked, now = g_get_real_time () / G_USEC_PER_SEC;
  Login *login;

  if (!(body = parse_body (msg, &root)))
    return;
  user = string_member (body, "user");
  password = string_member (body, "password");
  if (user == NULL || password == NULL || strlen (user) > 200 || strlen (password) > 1000)
    {
      fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s", _("Login needs “user” and “password” strings"));
      return;
    }

  address = client_address (self, msg);
  failures = g_hash_table_lookup (self->failures, address);
  if (failures && g_get_monotonic_time () - failures->window_start > 60 * G_USEC_PER_SEC)
    {
      failures->count = 0;
      failures->window_start = g_get_monotonic_time ();
    }
  if ((failures && failures->count >= ADDRESS_LIMIT) || self->verifying >= MAX_VERIFYING ||
      (locked = bnd_server_db_locked_until (self->db, user)) > now)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "60");
      fail (msg, BND_SERVER_ERROR_TOO_MANY, "%s", _("Too many failed sign-ins; wait a while and try again"));
      return;
    }

  login = g_new0 (Login, 1);
  login->self = g_object_ref (self);
  login->msg = g_object_ref (msg);
  login->user = g_strdup (user);
  login->password = g_strdup (password);
  login->hash = bnd_server_db_get_password_hash (self->db, user);
  login->address = g_strdup (address);

  /* Attempts count against the address as they start, not only once they failed, so parallel
   * guesses cannot outrun the limit. A success gives its count back. */
  if (failures == NULL)
    {
      failures = g_new0 (AddressFailures, 1);
      failures->window_start = g_get_monotonic_time ();
      g_hash_table_insert (self->failures, g_strdup (address), failures);
    }
  failures->count++;
  self->verifying++;

  soup_server_message_pause (msg);
  task = g_task_new (self, NULL, verified_cb, NULL);
  g_task_set_task_data (task, login, (GDestroyNotify)login_free);
  g_task_run_in_thread (task, verify_in_thread);
}

static void
handle_logout (BndServer         *self,
               SoupServerMessage *msg,
               const BndUser     *user)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  bnd_server_db_revoke_token (self->db, header + strlen ("Bearer "));
  json_node_take_object (node, json_object_new ());
  send_json (msg, SOUP_STATUS_OK, g_steal_pointer (&node));
}

static void
handle_changes (BndServer         *self,
                SoupServerMessage *msg,
                const BndUser     *user,
                GHashTable        *query)
{
  const char *since_text = query ? g_hash_table_lookup (query, "since") : NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  guint64 since = 0;
  gint64 last_seq;

  if (since_text != NULL && !g_ascii_string_to_unsigned (since_text, 10, 0, G_MAXINT64, &since, NULL))
    {
      fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s", _("“since” must be a sequence number"));
      return;
    }

  changes = bnd_server_db_changes (self->db, user, since, CHANGES_PAGE, &last_seq);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "changes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < changes->len; i++)
    json_builder_add_value (builder, record_to_json (g_ptr_array_index (changes, i), TRUE));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "last_seq");
  json_builder_add_int_value (builder, last_seq);
  json_builder_set_member_name (builder, "more");
  json_builder_add_boolean_value (builder, changes->len == CHANGES_PAGE);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  send_json (msg, SOUP_STATUS_OK, g_steal_pointer (&node));
}

static void
handle_get_sketch (BndServer         *self,
                   SoupServerMessage *msg,
                   const BndUser     *user,
                   const char        *uuid)
{
  g_autoptr(BndRecord) record = bnd_server_db_get_record (self->db, uuid);
  g_autoptr(JsonNode) node = NULL;

  if (record == NULL || !bnd_server_db_can_see (user, record))
    {
      fail (msg, BND_SERVER_ERROR_NOT_FOUND, "%s", _("No such sketch"));
      return;
    }
  node = record_to_json (record, TRUE);
  send_json (msg, SOUP_STATUS_OK, g_steal_pointer (&node));
}

static void
handle_put_sketch (BndServer         *self,
                   SoupServerMessage *msg,
                   const BndUser     *user,
                   const char        *uuid)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *if_match = soup_message_headers_get_one (headers, "If-Match");
  const char *key = soup_message_headers_get_one (headers, "Idempotency-Key");
  g_autofree char *replay = NULL;
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(BndRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *stored = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *plain = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autofree char *scoped_key = NULL;
  guint64 base;
  int status;

  /* "If-Match: 3" or "If-Match: \"3\"": the revision the client edited, 0 for a new sketch */
  plain = g_strdup (if_match ? if_match : "");
  g_strdelimit (plain, "\"", ' ');
  g_strstrip (plain);
  if (!g_ascii_string_to_unsigned (plain, 10, 0, G_MAXINT64, &base, NULL))
    {
      fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s", _("Writes need If-Match with the base revision (0 for new)"));
      return;
    }

  if (key != NULL && (strlen (key) == 0 || strlen (key) > 100))
    {
      fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s", _("The Idempotency-Key must have 1 to 100 characters"));
      return;
    }
  /* A retry of a write that was done: the same answer again, nothing written twice. */
  /* A key counts for one sketch: the same key for another sketch is another request. */
  scoped_key = key ? g_strdup_printf ("%s:%s", uuid, key) : NULL;
  if (scoped_key != NULL && (replay = bnd_server_db_get_idempotent (self->db, user->name, scoped_key, &status)))
    {
      soup_server_message_set_status (msg, status, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, replay, strlen (replay));
      return;
    }

  if (body->length > self->max_json_body)
    {
      fail (msg, BND_SERVER_ERROR_TOO_LARGE, "%s", _("The request body is too large"));
      return;
    }
  if (body->length == 0 || !g_utf8_validate (body->data, body->length, NULL) ||
      !(parsed = json_from_string (body->data, NULL)))
    {
      if (body->length > 0 && !g_utf8_validate (body->data, body->length, NULL))
        fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s", _("The body is not UTF-8"));
      else
        fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s", _("The body is not JSON"));
      return;
    }
  if (!(sketch = bnd_sketch_new_from_data (body->data, body->length, "body", self->strategy, &error)))
    {
      fail (msg, BND_SERVER_ERROR_INVALID, "%s", error->message);
      return;
    }
  if (!g_str_equal (bnd_sketch_get_uuid (sketch), uuid))
    {
      fail (msg, BND_SERVER_ERROR_INVALID, "%s", _("The sketch's uuid differs from the address"));
      return;
    }

  stored = bnd_sketch_to_data (sketch, NULL);
  if (!(record = bnd_server_db_put_record (self->db, user, uuid, base, stored, &error)))
    {
      send_error (msg, error);
      return;
    }

  node = record_to_json (record, FALSE);
  json_generator_set_root (generator, node);
  answer = json_generator_to_data (generator, NULL);
  if (scoped_key != NULL)
    bnd_server_db_put_idempotent (self->db, user->name, scoped_key, SOUP_STATUS_OK, answer);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, answer, strlen (answer));
}

/* The official sketch is the PDF the server renders from the stored revision: the client's
 * upload must be exactly those bytes, so what the carrier saw is what was submitted. */
static void
handle_submit (BndServer         *self,
               SoupServerMessage *msg,
               const BndUser     *user,
               const char        *uuid)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(BndRecord) record = bnd_server_db_get_record (self->db, uuid);
  g_autoptr(BndRecord) submitted = NULL;
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GPtrArray) issues = NULL;
  g_autoptr(GBytes) upload = NULL;
  g_autoptr(GBytes) rendered = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *sha256 = NULL;
  BndPageBudget budget = { 0 };

  if (body->length > self->max_pdf_body)
    {
      fail (msg, BND_SERVER_ERROR_TOO_LARGE, "%s", _("The PDF is too large"));
      return;
    }
  if (body->length < 5 || memcmp (body->data, "%PDF-", 5) != 0)
    {
      fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s", _("The body is not a PDF"));
      return;
    }
  if (record == NULL || !bnd_server_db_can_see (user, record))
    {
      fail (msg, BND_SERVER_ERROR_NOT_FOUND, "%s", _("No such sketch"));
      return;
    }
  /* Who may submit, before any rendering work is done for them. */
  if (user->role != BND_ROLE_CARRIER || !g_str_equal (record->org, user->org))
    {
      fail (msg, BND_SERVER_ERROR_FORBIDDEN, "%s", _("Only a carrier of the sketch's organisation submits it"));
      return;
    }
  if (!g_str_equal (record->stage, "draft"))
    {
      fail (msg, BND_SERVER_ERROR_CONFLICT, "%s", _("The sketch was submitted already"));
      return;
    }
  if (!(sketch = bnd_sketch_new_from_data (record->data, strlen (record->data), "record", self->strategy, &error)))
    {
      send_error (msg, error);
      return;
    }

  issues = bnd_sketch_validate (sketch, self->strategy);
  if (issues->len > 0)
    {
      fail (msg, BND_SERVER_ERROR_INVALID, _("The sketch is not complete: %s"),
            ((BndSketchIssue *)g_ptr_array_index (issues, 0))->message);
      return;
    }
  if (!(rendered = bnd_pdf_render (sketch, self->strategy, &budget, &error)))
    {
      fail (msg, BND_SERVER_ERROR_INTERNAL, "%s", error->message);
      return;
    }
  if (budget.n_pages > budget.page_limit)
    {
      fail (msg, BND_SERVER_ERROR_INVALID, _("The sketch has %u pages; at most %u are allowed"),
            budget.n_pages, budget.page_limit);
      bnd_page_budget_clear (&budget);
      return;
    }
  bnd_page_budget_clear (&budget);

  upload = g_bytes_new (body->data, body->length);
  if (!g_bytes_equal (upload, rendered))
    {
      fail (msg, BND_SERVER_ERROR_INVALID, "%s",
            _("The PDF is not the one this revision of the sketch gives; sync first, then submit"));
      return;
    }

  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, upload);
  if (!bnd_server_db_submit (self->db, user, uuid, upload, sha256, &submitted, &error))
    {
      send_error (msg, error);
      return;
    }

  node = record_to_json (submitted, FALSE);
  json_object_set_string_member (json_node_get_object (node), "sha256", sha256);
  send_json (msg, SOUP_STATUS_OK, g_steal_pointer (&node));
}

static void
handle_get_pdf (BndServer         *self,
                SoupServerMessage *msg,
                const BndUser     *user,
                const char        *uuid)
{
  g_autoptr(BndRecord) record = bnd_server_db_get_record (self->db, uuid);
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *by = NULL;

  if (record == NULL || !bnd_server_db_can_see (user, record) ||
      !bnd_server_db_get_submission (self->db, uuid, &pdf, &sha256, &by))
    {
      fail (msg, BND_SERVER_ERROR_NOT_FOUND, "%s", _("No submitted PDF for this sketch"));
      return;
    }
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "X-Buendnis-SHA256", sha256);
  send_pdf (msg, pdf);
}

/* POST /dossiers/UUID/stage {"stage", "comment"?, "amount"?, "date"?}: the coordination moves a
 * dossier on; everything sent is kept in the audit trail. */
/* GET /dossiers/UUID/vote: the round; choices only once it has closed, except the caller's own
 * organisation's, so that nothing can be read off the answer before the close. */
static void
handle_get_vote (BndServer         *self,
                 SoupServerMessage *msg,
                 const BndUser     *user,
                 const char        *uuid)
{
  g_autoptr(BndVoteRound) round = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint yes = 0, no = 0, abstain = 0;
  gboolean quorum;

  if (!(round = bnd_server_db_get_vote (self->db, user, uuid, &error)))
    return send_error (msg, error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "question");
  json_builder_add_string_value (builder, round->question);
  json_builder_set_member_name (builder, "opened");
  json_builder_add_int_value (builder, round->opened);
  json_builder_set_member_name (builder, "deadline");
  json_builder_add_int_value (builder, round->deadline);
  json_builder_set_member_name (builder, "closed");
  json_builder_add_boolean_value (builder, round->closed);
  json_builder_set_member_name (builder, "entitled");
  json_builder_add_int_value (builder, round->entitled->len);
  json_builder_set_member_name (builder, "voted");
  json_builder_add_int_value (builder, round->n_voted);
  json_builder_set_member_name (builder, "own_org");
  json_builder_add_string_value (builder, user->org);
  json_builder_set_member_name (builder, "recused");
  json_builder_begin_array (builder);
  for (guint i = 0; round->recused[i]; i++)
    json_builder_add_string_value (builder, round->recused[i]);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "ballots");
  json_builder_begin_array (builder);
  for (guint i = 0; i < round->entitled->len; i++)
    {
      BndBallot *ballot = g_ptr_array_index (round->entitled, i);

      yes += g_strcmp0 (ballot->choice, "yes") == 0;
      no += g_strcmp0 (ballot->choice, "no") == 0;
      abstain += g_strcmp0 (ballot->choice, "abstain") == 0;
      if (!round->closed && !g_str_equal (ballot->org, user->org))
        continue;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "org");
      json_builder_add_string_value (builder, ballot->org);
      json_builder_set_member_name (builder, "choice");
      if (ballot->choice)
        json_builder_add_string_value (builder, ballot->choice);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "comment");
      json_builder_add_string_value (builder, ballot->comment ? ballot->comment : "");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  quorum = bnd_vote_round_has_quorum (round);
  if (round->closed)
    {
      json_builder_set_member_name (builder, "result");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "yes");
      json_builder_add_int_value (builder, yes);
      json_builder_set_member_name (builder, "no");
      json_builder_add_int_value (builder, no);
      json_builder_set_member_name (builder, "abstain");
      json_builder_add_int_value (builder, abstain);
      json_builder_set_member_name (builder, "quorum");
      json_builder_add_boolean_value (builder, quorum);
      json_builder_set_member_name (builder, "adopted");
      json_builder_add_boolean_value (builder, quorum && yes > no);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  send_json (msg, SOUP_STATUS_OK, json_builder_get_root (builder));
}

/* POST /dossiers/UUID/vote {"question", "deadline"? (ISO 8601), "recused"? [org, …]} */
static void
handle_open_vote (BndServer         *self,
                  SoupServerMessage *msg,
                  const BndUser     *user,
                  const char        *uuid)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) recused = g_strv_builder_new ();
  g_auto(GStrv) recused_orgs = NULL;
  g_autoptr(GDateTime) deadline = NULL;
  JsonObject *body;
  JsonNode *node;
  const char *question;

  if (!(body = parse_body (msg, &root)))
    return;
  if (!(question = string_member (body, "question")))
    return fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s", _("“question” must be a string"));
  if ((node = json_object_get_member (body, "deadline")) != NULL)
    {
      const char *text = string_member (body, "deadline");

      if (text == NULL || !(deadline = g_date_time_new_from_iso8601 (text, NULL)))
        return fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s",
                     _("“deadline” must be a date and time such as 2026-12-09T12:00:00Z"));
    }
  else
    {
      g_autoptr(GDateTime) today = g_date_time_new_now_utc ();
      deadline = g_date_time_add_days (today, bnd_strategy_get_review (self->strategy)->vote_days);
    }
  if ((node = json_object_get_member (body, "recused")) != NULL)
    {
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

      for (guint i = 0; array && i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
            array = NULL;
          else
            g_strv_builder_add (recused, json_node_get_string (element));
        }
      if (array == NULL)
        return fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s", _("“recused” must be a list of organisation ids"));
    }
  recused_orgs = g_strv_builder_end (recused);
  if (!bnd_server_db_open_vote (self->db, user, uuid, question, g_date_time_to_unix (deadline),
                                (const char * const *)recused_orgs, &error))
    return send_error (msg, error);
  handle_get_vote (self, msg, user, uuid);
}

/* PUT /dossiers/UUID/vote {"choice": "yes" | "no" | "abstain", "comment"?} */
static void
handle_cast_vote (BndServer         *self,
                  SoupServerMessage *msg,
                  const BndUser     *user,
                  const char        *uuid)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *body;
  const char *choice;
  const char *comment = "";

  if (!(body = parse_body (msg, &root)))
    return;
  if (!(choice = string_member (body, "choice")))
    return fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s", _("“choice” must be a string"));
  if (json_object_has_member (body, "comment") && !(comment = string_member (body, "comment")))
    return fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s", _("“comment” must be a string"));
  if (!bnd_server_db_cast_vote (self->db, user, uuid, choice, comment, &error))
    return send_error (msg, error);
  handle_get_vote (self, msg, user, uuid);
}

/* POST /dossiers/UUID/attachments?kind=K&name=N with the PDF as the body */
static void
handle_add_attachment (BndServer         *self,
                       SoupServerMessage *msg,
                       const BndUser     *user,
                       const char        *uuid,
                       GHashTable        *query)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *kind = query ? g_hash_table_lookup (query, "kind") : NULL;
  const char *name = query ? g_hash_table_lookup (query, "name") : NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gint64 id;

  if (kind == NULL || name == NULL || !g_utf8_validate (name, -1, NULL))
    return fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s", _("Name the attachment with ?kind=…&name=…"));
  if (body->length > self->max_attachment)
    return fail (msg, BND_SERVER_ERROR_TOO_LARGE, _("An attachment may have at most %d MB"),
                 (int)(self->max_attachment / (1024 * 1024)));
  pdf = soup_message_body_flatten (body);
  if (!(id = bnd_server_db_add_attachment (self->db, user, uuid, kind, name, pdf, &error)))
    return send_error (msg, error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, id);
  json_builder_end_object (builder);
  send_json (msg, SOUP_STATUS_OK, json_builder_get_root (builder));
}

/* GET /dossiers/UUID/attachments */
static void
handle_list_attachments (BndServer         *self,
                         SoupServerMessage *msg,
                         const BndUser     *user,
                         const char        *uuid)
{
  g_autoptr(GPtrArray) attachments = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (!(attachments = bnd_server_db_list_attachments (self->db, user, uuid, &error)))
    return send_error (msg, error);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "attachments");
  json_builder_begin_array (builder);
  for (guint i = 0; i < attachments->len; i++)
    {
      BndAttachment *attachment = g_ptr_array_index (attachments, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, attachment->id);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, attachment->kind);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, attachment->name);
      json_builder_set_member_name (builder, "size");
      json_builder_add_int_value (builder, attachment->size);
      json_builder_set_member_name (builder, "sha256");
      json_builder_add_string_value (builder, attachment->sha256);
      json_builder_set_member_name (builder, "uploaded_by");
      json_builder_add_string_value (builder, attachment->uploaded_by);
      json_builder_set_member_name (builder, "uploaded");
      json_builder_add_int_value (builder, attachment->uploaded);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  send_json (msg, SOUP_STATUS_OK, json_builder_get_root (builder));
}

/* GET /dossiers/UUID/attachments/ID */
static void
handle_get_attachment (BndServer         *self,
                       SoupServerMessage *msg,
                       const BndUser     *user,
                       const char        *uuid,
                       const char        *id_text)
{
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  guint64 id = 0;

  if (!g_ascii_string_to_unsigned (id_text, 10, 1, G_MAXINT64, &id, NULL))
    return fail (msg, BND_SERVER_ERROR_NOT_FOUND, "%s", _("No such attachment"));
  if (!(pdf = bnd_server_db_get_attachment (self->db, user, uuid, (gint64)id, &error)))
    return send_error (msg, error);
  send_pdf (msg, pdf);
}

/* GET /dossiers/UUID/ratings: the own organisation's rating during the round; afterwards all of
 * them and, per criterion, the mean, lowest and highest score. "own_org" tells a client which
 * rating is its own. */
static void
handle_get_ratings (BndServer         *self,
                    SoupServerMessage *msg,
                    const BndUser     *user,
                    const char        *uuid)
{
  GPtrArray *criteria = bnd_strategy_get_review (self->strategy)->criteria;
  g_autoptr(GPtrArray) ratings = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean closed;

  if (!(ratings = bnd_server_db_list_ratings (self->db, user, uuid, &closed, &error)))
    return send_error (msg, error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "closed");
  json_builder_add_boolean_value (builder, closed);
  json_builder_set_member_name (builder, "own_org");
  json_builder_add_string_value (builder, user->org);
  json_builder_set_member_name (builder, "criteria");
  json_builder_begin_array (builder);
  for (guint c = 0; c < criteria->len; c++)
    json_builder_add_string_value (builder, ((const BndRatingCriterion *)g_ptr_array_index (criteria, c))->id);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "ratings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < ratings->len; i++)
    {
      BndRating *rating = g_ptr_array_index (ratings, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "org");
      json_builder_add_string_value (builder, rating->org);
      json_builder_set_member_name (builder, "scores");
      json_builder_add_value (builder, json_from_string (rating->scores, NULL));
      json_builder_set_member_name (builder, "comment");
      json_builder_add_string_value (builder, rating->comment);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (closed)
    {
      json_builder_set_member_name (builder, "summary");
      json_builder_begin_object (builder);
      for (guint c = 0; c < criteria->len; c++)
        {
          const char *id = ((const BndRatingCriterion *)g_ptr_array_index (criteria, c))->id;
          gint64 sum = 0, low = G_MAXINT64, high = 0;
          guint n = 0;

          for (guint i = 0; i < ratings->len; i++)
            {
              g_autoptr(JsonNode) scores = json_from_string (((BndRating *)g_ptr_array_index (ratings, i))->scores, NULL);
              JsonObject *object = scores && JSON_NODE_HOLDS_OBJECT (scores) ? json_node_get_object (scores) : NULL;
              gint64 score;

              /* A rating given under an earlier pack may lack a criterion. */
              if (object == NULL || !json_object_has_member (object, id))
                continue;
              score = json_object_get_int_member (object, id);
              n++;
              sum += score;
              low = MIN (low, score);
              high = MAX (high, score);
            }
          json_builder_set_member_name (builder, id);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "n");
          json_builder_add_int_value (builder, n);
          if (n > 0)
            {
              json_builder_set_member_name (builder, "mean");
              json_builder_add_double_value (builder, (double)sum / n);
              json_builder_set_member_name (builder, "min");
              json_builder_add_int_value (builder, low);
              json_builder_set_member_name (builder, "max");
              json_builder_add_int_value (builder, high);
            }
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  send_json (msg, SOUP_STATUS_OK, json_builder_get_root (builder));
}

/* PUT /dossiers/UUID/rating {"scores": {criterion: 1…5, …}, "comment"?} */
static void
handle_rate (BndServer         *self,
             SoupServerMessage *msg,
             const BndUser     *user,
             const char        *uuid)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *body;
  JsonNode *scores;
  const char *comment = "";

  if (!(body = parse_body (msg, &root)))
    return;
  scores = json_object_get_member (body, "scores");
  if (scores == NULL || !JSON_NODE_HOLDS_OBJECT (scores))
    return fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s", _("“scores” must be an object"));
  if (json_object_has_member (body, "comment") && !(comment = string_member (body, "comment")))
    return fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s", _("“comment” must be a string"));
  if (!bnd_server_db_rate (self->db, user, uuid, bnd_strategy_get_review (self->strategy),
                           json_node_get_object (scores), comment, &error))
    return send_error (msg, error);
  handle_get_ratings (self, msg, user, uuid);
}

/* POST /dossiers/UUID/recusals {"org"} */
static void
handle_recuse (BndServer         *self,
               SoupServerMessage *msg,
               const BndUser     *user,
               const char        *uuid)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *body;
  const char *org;

  if (!(body = parse_body (msg, &root)))
    return;
  if (!(org = string_member (body, "org")))
    return fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s", _("“org” must be a string"));
  if (!bnd_server_db_recuse (self->db, user, uuid, org, &error))
    return send_error (msg, error);
  send_json (msg, SOUP_STATUS_OK, json_from_string ("{}", NULL));
}

/* POST /dossiers/UUID/statement: issue the statement from the closed vote.
 * GET: the statement's PDF. */
static void
handle_statement (BndServer         *self,
                  SoupServerMessage *msg,
                  const BndUser     *user,
                  const char        *uuid,
                  gboolean           issue)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;

  if (issue)
    {
      g_autofree char *sha256 = bnd_server_db_issue_statement (self->db, user, uuid,
                                                               bnd_strategy_get_alliance (self->strategy)->name, &error);
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      if (sha256 == NULL)
        return send_error (msg, error);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "sha256");
      json_builder_add_string_value (builder, sha256);
      json_builder_end_object (builder);
      return send_json (msg, SOUP_STATUS_OK, json_builder_get_root (builder));
    }

  if (!(pdf = bnd_server_db_get_statement (self->db, user, uuid, &error)))
    return send_error (msg, error);
  send_pdf (msg, pdf);
}

/* GET or PUT /dossiers/UUID/assessment */
static void
handle_assessment (BndServer         *self,
                   SoupServerMessage *msg,
                   const BndUser     *user,
                   const char        *uuid,
                   gboolean           record)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *assessment = NULL;
  JsonObject *body;

  if (record)
    {
      if (!(body = parse_body (msg, &root)))
        return;
      assessment = bnd_server_db_assess (self->db, user, uuid, body, &error);
    }
  else
    assessment = bnd_server_db_get_assessment (self->db, user, uuid, &error);
  if (assessment == NULL)
    return send_error (msg, error);
  answer = json_from_string (assessment, NULL);
  send_json (msg, SOUP_STATUS_OK, g_steal_pointer (&answer));
}

/* GET or POST /dossiers/UUID/comments */
static void
handle_comments (BndServer         *self,
                 SoupServerMessage *msg,
                 const BndUser     *user,
                 const char        *uuid,
                 gboolean           post)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *list;
  JsonObject *body;
  const char *text;

  if (post)
    {
      if (!(body = parse_body (msg, &root)))
        return;
      if (!(text = string_member (body, "text")))
        return fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s", _("“text” must be a string"));
      if (!bnd_server_db_add_comment (self->db, user, uuid, text, &error))
        return send_error (msg, error);
    }
  if (!(list = bnd_server_db_list_comments (self->db, user, uuid, &error)))
    return send_error (msg, error);
  send_json (msg, SOUP_STATUS_OK, list);
}

static void
handle_move_stage (BndServer         *self,
                   SoupServerMessage *msg,
                   const BndUser     *user,
                   const char        *uuid)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(BndRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;
  JsonObject *body;
  const char *stage;
  JsonNode *comment;

  if (!(body = parse_body (msg, &root)))
    return;
  if (!(stage = string_member (body, "stage")))
    return fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s", _("“stage” must be a string"));
  comment = json_object_get_member (body, "comment");
  if (comment != NULL && string_member (body, "comment") == NULL)
    return fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s", _("“comment” must be a string"));
  if (g_str_equal (stage, "approved"))
    {
      JsonNode *amount = json_object_get_member (body, "amount");
      const char *date = string_member (body, "date");
      g_autoptr(GDateTime) parsed = NULL;
      g_autofree char *iso = date ? g_strconcat (date, "T00:00:00Z", NULL) : NULL;

      if (amount == NULL || !JSON_NODE_HOLDS_VALUE (amount) ||
          (json_node_get_value_type (amount) != G_TYPE_INT64 && json_node_get_value_type (amount) != G_TYPE_DOUBLE) ||
          json_node_get_double (amount) <= 0 || json_node_get_double (amount) > 1e9)
        return fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s", _("An approval needs the approved amount in euros"));
      if (iso == NULL || strlen (date) != 10 || !(parsed = g_date_time_new_from_iso8601 (iso, NULL)))
        return fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s", _("An approval needs the date of the decision (YYYY-MM-DD)"));
    }

  json_generator_set_root (generator, root);
  detail = json_generator_to_data (generator, NULL);
  if (!bnd_server_db_move_stage (self->db, user, uuid, stage, detail, &record, &error))
    return send_error (msg, error);
  send_json (msg, SOUP_STATUS_OK, record_to_json (record, FALSE));
}

/* GET /dossiers/UUID/audit: the trail, for whoever may see the dossier. */
static void
handle_audit (BndServer         *self,
              SoupServerMessage *msg,
              const BndUser     *user,
              const char        *uuid)
{
  g_autoptr(BndRecord) record = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;

  if (!(record = bnd_server_db_get_dossier (self->db, user, uuid, &error)))
    return send_error (msg, error);

  entries = bnd_server_db_audit (self->db, uuid);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  for (guint i = 0; i < entries->len; i++)
    {
      BndAuditEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(JsonNode) detail = json_from_string (entry->detail, NULL);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "n");
      json_builder_add_int_value (builder, entry->n);
      json_builder_set_member_name (builder, "at");
      json_builder_add_int_value (builder, entry->at);
      json_builder_set_member_name (builder, "actor");
      json_builder_add_string_value (builder, entry->actor);
      json_builder_set_member_name (builder, "action");
      json_builder_add_string_value (builder, entry->action);
      json_builder_set_member_name (builder, "detail");
      json_builder_add_value (builder, detail ? g_steal_pointer (&detail) : json_node_new (JSON_NODE_NULL));
      /* The detail exactly as hashed, and the chain, so that a client can check it too. */
      json_builder_set_member_name (builder, "detail_text");
      json_builder_add_string_value (builder, entry->detail);
      json_builder_set_member_name (builder, "prev");
      json_builder_add_string_value (builder, entry->prev);
      json_builder_set_member_name (builder, "hash");
      json_builder_add_string_value (builder, entry->hash);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  send_json (msg, SOUP_STATUS_OK, json_builder_get_root (builder));
}

/* GET /me: who the token belongs to, so that a client shows each person their own tasks. */
static void
handle_me (SoupServerMessage *msg,
           const BndUser     *user)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "user");
  json_builder_add_string_value (builder, user->name);
  json_builder_set_member_name (builder, "org");
  json_builder_add_string_value (builder, user->org);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, bnd_role_to_string (user->role));
  json_builder_end_object (builder);
  send_json (msg, SOUP_STATUS_OK, json_builder_get_root (builder));
}

static void
handle_api (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  BndServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(BndUser) user = NULL;
  g_auto(GStrv) parts = NULL;
  guint n;

  if (g_str_equal (path, "/api/v1/login"))
    {
      if (!g_str_equal (method, "POST"))
        fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s", _("Use POST to sign in"));
      else
        handle_login (self, msg);
      return;
    }

  /* Everything else needs a signed-in user, before anything about the path is told. */
  if (!(user = authenticate (self, msg)))
    return;

  if (g_str_equal (path, "/api/v1/logout") && g_str_equal (method, "POST"))
    return handle_logout (self, msg, user);
  if (g_str_equal (path, "/api/v1/changes") && g_str_equal (method, "GET"))
    return handle_changes (self, msg, user, query);
  if (g_str_equal (path, "/api/v1/me") && g_str_equal (method, "GET"))
    return handle_me (msg, user);

  if (g_str_equal (path, "/api/v1/portfolio") && g_str_equal (method, "GET"))
    {
      g_autoptr(GError) error = NULL;
      JsonNode *portfolio = bnd_server_db_portfolio (self->db, user, self->strategy, &error);

      if (portfolio == NULL)
        return send_error (msg, error);
      return send_json (msg, SOUP_STATUS_OK, portfolio);
    }

  parts = g_strsplit (path, "/", -1);
  n = g_strv_length (parts);
  /* "", "api", "v1", "sketches", uuid [, "submit" | "pdf"] */
  /* UUIDs in lower case only, so that one sketch has one address. */
  if ((n == 5 || n == 6) && g_str_equal (parts[3], "sketches") && g_uuid_string_is_valid (parts[4]) &&
      strspn (parts[4], "0123456789abcdef-") == strlen (parts[4]))
    {
      const char *uuid = parts[4];

      if (n == 5 && g_str_equal (method, "GET"))
        return handle_get_sketch (self, msg, user, uuid);
      if (n == 5 && g_str_equal (method, "PUT"))
        return handle_put_sketch (self, msg, user, uuid);
      if (n == 6 && g_str_equal (parts[5], "submit") && g_str_equal (method, "POST"))
        return handle_submit (self, msg, user, uuid);
      if (n == 6 && g_str_equal (parts[5], "pdf") && g_str_equal (method, "GET"))
        return handle_get_pdf (self, msg, user, uuid);
    }

  /* "", "api", "v1", "dossiers", uuid, "stage" | "audit" | "vote" | "rating" | "ratings" | "recusals"
   * | "attachments" [, id] */
  if (n == 7 && g_str_equal (parts[3], "dossiers") && g_uuid_string_is_valid (parts[4]) &&
      strspn (parts[4], "0123456789abcdef-") == strlen (parts[4]) &&
      g_str_equal (parts[5], "attachments") && g_str_equal (method, "GET"))
    return handle_get_attachment (self, msg, user, parts[4], parts[6]);
  if (n == 6 && g_str_equal (parts[3], "dossiers") && g_uuid_string_is_valid (parts[4]) &&
      strspn (parts[4], "0123456789abcdef-") == strlen (parts[4]))
    {
      if (g_str_equal (parts[5], "statement") && (g_str_equal (method, "GET") || g_str_equal (method, "POST")))
        return handle_statement (self, msg, user, parts[4], g_str_equal (method, "POST"));
      if (g_str_equal (parts[5], "assessment") && (g_str_equal (method, "GET") || g_str_equal (method, "PUT")))
        return handle_assessment (self, msg, user, parts[4], g_str_equal (method, "PUT"));
      if (g_str_equal (parts[5], "comments") && (g_str_equal (method, "GET") || g_str_equal (method, "POST")))
        return handle_comments (self, msg, user, parts[4], g_str_equal (method, "POST"));
      if (g_str_equal (parts[5], "ratings") && g_str_equal (method, "GET"))
        return handle_get_ratings (self, msg, user, parts[4]);
      if (g_str_equal (parts[5], "rating") && g_str_equal (method, "PUT"))
        return handle_rate (self, msg, user, parts[4]);
      if (g_str_equal (parts[5], "recusals") && g_str_equal (method, "POST"))
        return handle_recuse (self, msg, user, parts[4]);
      if (g_str_equal (parts[5], "attachments") && g_str_equal (method, "POST"))
        return handle_add_attachment (self, msg, user, parts[4], query);
      if (g_str_equal (parts[5], "attachments") && g_str_equal (method, "GET"))
        return handle_list_attachments (self, msg, user, parts[4]);
      if (g_str_equal (parts[5], "stage") && g_str_equal (method, "POST"))
        return handle_move_stage (self, msg, user, parts[4]);
      if (g_str_equal (parts[5], "audit") && g_str_equal (method, "GET"))
        return handle_audit (self, msg, user, parts[4]);
      if (g_str_equal (parts[5], "vote") && g_str_equal (method, "GET"))
        return handle_get_vote (self, msg, user, parts[4]);
      if (g_str_equal (parts[5], "vote") && g_str_equal (method, "POST"))
        return handle_open_vote (self, msg, user, parts[4]);
      if (g_str_equal (parts[5], "vote") && g_str_equal (method, "PUT"))
        return handle_cast_vote (self, msg, user, parts[4]);
    }

  fail (msg, BND_SERVER_ERROR_NOT_FOUND, "%s", _("No such resource"));
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
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean healthy;

  if (!g_str_equal (path, "/healthz"))
    return fail (msg, BND_SERVER_ERROR_NOT_FOUND, "%s", _("No such resource"));
  if (!g_str_equal (method, "GET") && !g_str_equal (method, "HEAD"))
    return fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s",
                 _("Use GET to ask for the server's health"));

  healthy = bnd_server_db_ping (self->db);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, healthy ? "ok" : "unavailable");
  if (healthy)
    {
      json_builder_set_member_name (builder, "version");
      json_builder_add_string_value (builder, PACKAGE_VERSION);
    }
  json_builder_end_object (builder);
  send_json (msg, healthy ? SOUP_STATUS_OK : SOUP_STATUS_SERVICE_UNAVAILABLE,
             json_builder_get_root (builder));
}

static void
handle_other (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  fail (msg, BND_SERVER_ERROR_NOT_FOUND, "%s", _("No such resource"));
}

/* Refuse an oversized body from its headers, before reading it. */
static void
on_got_headers_cb (SoupServerMessage *msg,
                   gpointer           user_data)
{
  BndServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  goffset length = soup_message_headers_get_content_length (headers);

  GUri *uri = soup_server_message_get_uri (msg);
  const char *path = uri ? g_uri_get_path (uri) : "";
  goffset limit = g_str_has_suffix (path, "/submit") ? self->max_pdf_body
                  : g_str_has_suffix (path, "/attachments") ? self->max_attachment
                  : self->max_json_body;

  /* A body without a length could grow without end before any handler sees it. */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED)
    fail (msg, BND_SERVER_ERROR_TOO_LARGE, "%s", _("Send the body with a Content-Length"));
  else if (length > limit)
    fail (msg, BND_SERVER_ERROR_TOO_LARGE, "%s", _("The request body is too large"));
  /* Only someone signed in may make the server read a body bigger than a JSON request. */
  else if (length > self->max_json_body)
    {
      const char *header = soup_message_headers_get_one (headers, "Authorization");
      g_autoptr(BndUser) user = header && g_str_has_prefix (header, "Bearer ") && strlen (header) <= 200
                                ? bnd_server_db_check_token (self->db, header + strlen ("Bearer ")) : NULL;

      if (user == NULL)
        fail (msg, BND_SERVER_ERROR_UNAUTHORIZED, "%s", _("Sign in first: this call needs a bearer token"));
    }
}

/* libsoup refuses some requests itself (an address that climbs out with "..", for one) with a
 * bare 400: give those the API's JSON error body too. */
static void
on_got_headers_after_cb (SoupServerMessage *msg,
                         gpointer           user_data)
{
  if (soup_server_message_get_status (msg) == SOUP_STATUS_BAD_REQUEST &&
      soup_server_message_get_response_body (msg)->length == 0)
    fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s", _("The request is malformed"));
}

static void
on_request_started_cb (SoupServer        *server,
                       SoupServerMessage *msg,
                       gpointer           user_data)
{
  g_object_set_data (G_OBJECT (msg), "started", GINT_TO_POINTER (1));
  g_object_set_data_full (G_OBJECT (msg), "start-time", g_memdup2 (&(gint64){ g_get_monotonic_time () }, sizeof (gint64)), g_free);
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers_cb), user_data);
  g_signal_connect_after (msg, "got-headers", G_CALLBACK (on_got_headers_after_cb), NULL);
}

/* One JSON line per request on stdout: journald and log tools read it as it is. */
static void
on_request_finished_cb (SoupServer        *server,
                        SoupServerMessage *msg,
                        gpointer           user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *line = NULL;
  gint64 *start = g_object_get_data (G_OBJECT (msg), "start-time");
  const char *user = g_object_get_data (G_OBJECT (msg), "user");
  GUri *uri = soup_server_message_get_uri (msg);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, soup_server_message_get_method (msg));
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, uri ? g_uri_get_path (uri) : "");
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, soup_server_message_get_status (msg));
  json_builder_set_member_name (builder, "remote");
  json_builder_add_string_value (builder, client_address (user_data, msg));
  json_builder_set_member_name (builder, "user");
  json_builder_add_string_value (builder, user ? user : "");
  json_builder_set_member_name (builder, "ms");
  json_builder_add_double_value (builder, start ? (g_get_monotonic_time () - *start) / 1000.0 : 0);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  json_generator_set_root (generator, node);
  line = json_generator_to_data (generator, NULL);
  g_print ("%s\n", line);
}

static void
bnd_server_finalize (GObject *object)
{
  BndServer *self = (BndServer *)object;

  g_clear_object (&self->soup);
  g_clear_object (&self->strategy);
  g_clear_pointer (&self->failures, g_hash_table_unref);
  g_clear_pointer (&self->trusted_proxies, g_ptr_array_unref);

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
  self->failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->max_json_body = BND_SERVER_DEFAULT_MAX_JSON_BODY;
  self->max_pdf_body = BND_SERVER_DEFAULT_MAX_PDF_BODY;
  self->max_attachment = BND_MAX_ATTACHMENT;
  self->trusted_proxies = g_ptr_array_new_with_free_func (g_object_unref);
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
  self->strategy = g_object_ref (strategy);
  self->soup = soup_server_new ("server-header", "buendnis-server", "tls-certificate", certificate, NULL);
  soup_server_add_handler (self->soup, "/api/v1", handle_api, self, NULL);
  soup_server_add_handler (self->soup, "/healthz", handle_healthz, self, NULL);
  soup_server_add_handler (self->soup, NULL, handle_other, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (on_request_started_cb), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (on_request_finished_cb), self);
  return self;
}

/**
 * bnd_server_set_config:
 * @config: a configuration that bnd_server_config_check() found fine
 *
 * Takes the body limits and the trusted proxies from @config. Call it before listening.
 */
void
bnd_server_set_config (BndServer             *self,
                       const BndServerConfig *config)
{
  g_return_if_fail (BND_IS_SERVER (self));

  self->max_json_body = CLAMP (config->max_json_body, 1, MAX_JSON_BODY_BOUND);
  self->max_pdf_body = CLAMP (config->max_pdf_body, 1, BND_MAX_ATTACHMENT_BOUND);
  self->max_attachment = CLAMP (config->max_attachment, 1, BND_MAX_ATTACHMENT_BOUND);
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

gboolean
bnd_server_listen (BndServer           *self,
                   GInetSocketAddress  *address,
                   guint               *port,
                   GError             **error)
{
  SoupServerListenOptions options = soup_server_is_https (self->soup) ? SOUP_SERVER_LISTEN_HTTPS : 0;
  g_autoptr(GSList) uris = NULL;

  if (!soup_server_listen (self->soup, G_SOCKET_ADDRESS (address), options, error))
    return FALSE;

  uris = soup_server_get_uris (self->soup);
  if (port && uris)
    *port = g_uri_get_port (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify)g_uri_unref);
  return TRUE;
}
