/* bnd-server-auth.c: signing in with its throttling, signing out, and who a token belongs to
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-auth"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>

#include "bnd-server-private.h"

#define ADDRESS_LIMIT   20          /* failed logins per address and minute */
#define ADDRESS_WINDOW  (60 * G_USEC_PER_SEC)
#define MAX_VERIFYING   8           /* password checks running at once, for all addresses */

typedef struct
{
  guint  count;          /* failed and running attempts in this minute */
  gint64 window_start;
} AddressFailures;

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
      _bnd_server_fail (login->msg, BND_SERVER_ERROR_UNAUTHORIZED, "%s",
                        _("Wrong user name or password"));
    }
  else if (!(token = bnd_server_db_new_token (self->db, login->user, &error)))
    _bnd_server_send_error (login->msg, error);
  else
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(BndUser) user = bnd_server_db_check_token (self->db, token);

      if (user == NULL)
        {
          _bnd_server_fail (login->msg, BND_SERVER_ERROR_UNAUTHORIZED, "%s",
                            _("Wrong user name or password"));
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
      _bnd_server_send_json (login->msg, SOUP_STATUS_OK, g_steal_pointer (&node));
    }

  soup_server_message_unpause (login->msg);
}

void
_bnd_server_handle_login (BndServer         *self,
                          SoupServerMessage *msg)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GTask) task = NULL;
  JsonObject *body;
  const char *user, *password, *address;
  AddressFailures *failures;
  gint64 locked, now = g_get_real_time () / G_USEC_PER_SEC;
  Login *login;

  if (!(body = _bnd_server_parse_body (msg, &root)))
    return;
  user = _bnd_server_string_member (body, "user");
  password = _bnd_server_string_member (body, "password");
  if (user == NULL || password == NULL || strlen (user) > 200 || strlen (password) > 1000)
    {
      _bnd_server_fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s",
                        _("Login needs “user” and “password” strings"));
      return;
    }

  address = _bnd_server_client_address (self, msg);
  failures = g_hash_table_lookup (self->failures, address);
  if (failures && g_get_monotonic_time () - failures->window_start > ADDRESS_WINDOW)
    {
      failures->count = 0;
      failures->window_start = g_get_monotonic_time ();
    }
  if ((failures && failures->count >= ADDRESS_LIMIT) || self->verifying >= MAX_VERIFYING ||
      (locked = bnd_server_db_locked_until (self->db, user)) > now)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "60");
      _bnd_server_fail (msg, BND_SERVER_ERROR_TOO_MANY, "%s",
                        _("Too many failed sign-ins; wait a while and try again"));
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

static gboolean
address_window_over (gpointer key,
                     gpointer value,
                     gpointer user_data)
{
  AddressFailures *failures = value;

  return *(gint64 *)user_data - failures->window_start > ADDRESS_WINDOW;
}

/* An address whose minute is over counts from zero again anyway: drop it, so that the table
 * does not grow with every address that ever failed to sign in. */
void
_bnd_server_expire_address_failures (BndServer *self)
{
  gint64 now = g_get_monotonic_time ();

  g_hash_table_foreach_remove (self->failures, address_window_over, &now);
}

void
_bnd_server_handle_logout (BndServer         *self,
                           SoupServerMessage *msg,
                           const BndUser     *user)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  bnd_server_db_revoke_token (self->db, header + strlen ("Bearer "));
  json_node_take_object (node, json_object_new ());
  _bnd_server_send_json (msg, SOUP_STATUS_OK, g_steal_pointer (&node));
}

/* GET /me: who the token belongs to, so that a client shows each person their own tasks. */
void
_bnd_server_handle_me (SoupServerMessage *msg,
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
  _bnd_server_send_json (msg, SOUP_STATUS_OK, json_builder_get_root (builder));
}
