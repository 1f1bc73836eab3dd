/* bnd-server-auth.c: signing in with its throttling, signing out, and who a token belongs to
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-auth"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>
#include <sys/socket.h>

#include "bnd-server-login-queue.h"
#include "bnd-server-private.h"
#include "bnd-server-throttle.h"

/* Signing in is a password check against an Argon2id hash, slow on purpose, on a worker thread.
 * Who may try and how often is the throttle's (bnd-server-throttle.c, in the database); when the
 * check runs is the fair queue's (bnd-server-login-queue.c, in memory). A name that does not
 * exist goes the same way as one that does, through a check against a stand-in hash, so that
 * the answers, their status codes and their timing do not tell which names exist. */

/* Attempts that may wait: all of them, and those of one address (a NAT shared by an office,
 * say). A check takes about 50 ms of one core, so the queue drains in seconds. */
#define MAX_WAITING      256
#define MAX_PER_ADDRESS  8

typedef struct
{
  BndServer         *self;
  SoupServerMessage *msg;
  char              *user;
  char              *password;
  char              *hash;
  char              *address;
  char              *bucket;
  gboolean           exists;
  BndRole            role;
  guint64            queued_at;      /* checks started before it was queued */
  GSource           *watch;          /* on the client's socket while it waits */
  guint              waiting;        /* attempts of its address in the queue, when it came */
  BndLoginClass      klass;          /* what the throttle made of it */
  gboolean           refused;        /* by the throttle, or the database failed */
  gboolean           verified;       /* the password is right */
} Login;

static void
stop_watching (Login *login)
{
  if (login->watch != NULL)
    {
      g_source_destroy (login->watch);
      g_clear_pointer (&login->watch, g_source_unref);
    }
}

static void
login_free (Login *login)
{
  stop_watching (login);
  g_object_unref (login->self);
  g_object_unref (login->msg);
  g_free (login->user);
  sodium_memzero (login->password, strlen (login->password));
  g_free (login->password);
  g_free (login->hash);
  g_free (login->address);
  g_free (login->bucket);
  g_free (login);
}

static void
too_many (SoupServerMessage *msg,
          gint64             seconds,
          const char        *message)
{
  g_autofree char *retry_after = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (seconds, 1));

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", retry_after);
  _bnd_server_fail (msg, BND_SERVER_ERROR_TOO_MANY, "%s", message);
}

static void
verify_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Login *login = task_data;
  /* A hash of a random password stands in for unknown users, so that they take as long. It is
   * made by whichever sign-in comes first, of a known name or not. */
  static char dummy[crypto_pwhash_STRBYTES];
  static gsize dummy_ready;

  if (g_once_init_enter (&dummy_ready))
    {
      char password[32];

      randombytes_buf (password, sizeof password);
      if (crypto_pwhash_str (dummy, password, sizeof password, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        dummy[0] = 0;   /* then every unknown user fails at once: still no false success */
      g_once_init_leave (&dummy_ready, 1);
    }

  g_task_return_boolean (task, crypto_pwhash_str_verify (login->hash ? login->hash : dummy, login->password,
                                                         strlen (login->password)) == 0 && login->hash != NULL);
}

static void
answer_token (Login      *login,
              const char *token)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(BndUser) user = bnd_server_db_check_token (_bnd_server_db (login->self), token);

  if (user == NULL)
    {
      _bnd_server_fail (login->msg, BND_SERVER_ERROR_UNAUTHORIZED, "%s", _("Wrong user name or password"));
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
  g_object_set_qdata_full (G_OBJECT (login->msg), _bnd_server_user_quark (), g_strdup (user->name), g_free);
  _bnd_server_send_json (login->msg, SOUP_STATUS_OK, json_builder_get_root (builder));
}

/* The check's outcome, counted by the throttle, and the answer. */
static void
record_check (BndServer         *self,
              SoupServerMessage *msg,
              gpointer           data)
{
  Login *login = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (!login->verified)
    {
      if (!bnd_server_db_login_failed (_bnd_server_db (self), login->user, login->address,
                                       login->exists ? &login->role : NULL, now, &error))
        g_warning ("could not count a failed sign-in: %s", error->message);
      _bnd_server_fail (msg, BND_SERVER_ERROR_UNAUTHORIZED, "%s", _("Wrong user name or password"));
    }
  else if (!(token = bnd_server_db_login_succeeded (_bnd_server_db (self), login->user, login->address, login->role, now,
                                                    &error)))
    _bnd_server_send_error (msg, error);
  else
    answer_token (login, token);
}

static void
verified_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Login *login = user_data;

  login->verified = g_task_propagate_boolean (G_TASK (result), NULL);
  /* The check is over: the next one may begin while this one's outcome is written. */
  bnd_login_queue_finish (login->self->logins, login->bucket);
  _bnd_server_run (login->self, login->msg, record_check, _bnd_server_resume, login, (GDestroyNotify)login_free);
}

/* The hash is read only when the check begins, so that a password set while the attempt waited
 * counts. */
static void
read_hash (BndServer         *self,
           SoupServerMessage *msg,
           gpointer           data)
{
  Login *login = data;

  login->exists = bnd_server_db_get_login (_bnd_server_db (self), login->user, &login->hash, &login->role);
}

static void
verify (BndServer         *self,
        SoupServerMessage *msg,
        gpointer           data)
{
  Login *login = data;
  g_autoptr(GTask) task = g_task_new (self, NULL, verified_cb, login);

  /* Still waiting, whatever read_hash()'s work did with the message. */
  soup_server_message_pause (msg);
  g_task_set_task_data (task, login, NULL);
  g_task_run_in_thread (task, verify_in_thread);
}

/* The queue's turn for @item: the check begins. */
static void
start_check (gpointer item,
             gpointer user_data)
{
  Login *login = item;
  /* The alliance's server the attempt came to: the queue is the service's, shared by all. */
  BndServer *self = login->self;
  guint64 ahead = bnd_login_queue_get_started (self->logins) - login->queued_at;

  stop_watching (login);
  /* For the access log: how many checks were served before this one while it waited. */
  g_object_set_qdata (G_OBJECT (login->msg), _bnd_server_checks_ahead_quark (),
                      GUINT_TO_POINTER ((guint)MIN (ahead, G_MAXUINT - 1) + 1));
  _bnd_server_run (self, login->msg, read_hash, verify, login, NULL);
}

/* A better attempt took the place of @item in the full queue. */
static void
refuse_check (gpointer item,
              gpointer user_data)
{
  Login *login = item;

  too_many (login->msg, 1, _("Too many sign-ins are waiting; try again in a moment"));
  soup_server_message_unpause (login->msg);
  login_free (login);
}

/* Something happened on the socket of a client whose attempt waits. libsoup reads nothing
 * from a paused message's connection and tells nothing when the client leaves, so the end of
 * the stream is looked for here: a client that gave up (a timeout, a closed app) takes no
 * check from the others. Anything else it sent (a pipelined request; through TLS, any record)
 * is left to libsoup, and the attempt waits on. */
static gboolean
on_login_socket_cb (GSocket      *socket,
                    GIOCondition  condition,
                    gpointer      user_data)
{
  Login *login = user_data;
  char byte;
  gssize got = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);

  if (got < 0 && (errno == EAGAIN || errno == EINTR) && !(condition & (G_IO_HUP | G_IO_ERR)))
    return G_SOURCE_CONTINUE;
  /* This source ends here either way. */
  g_clear_pointer (&login->watch, g_source_unref);
  if (got > 0)
    return G_SOURCE_REMOVE;
  if (bnd_login_queue_remove (login->self->logins, login))
    {
      soup_server_message_unpause (login->msg);
      login_free (login);
    }
  return G_SOURCE_REMOVE;
}

/* Watches the client's socket while the attempt waits in the queue. */
static void
watch_client (Login *login)
{
  GSocket *socket = bnd_server_listener_get_socket (login->msg);

  if (socket == NULL)
    return;
  login->watch = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (login->watch, G_SOURCE_FUNC (on_login_socket_cb), login, NULL);
  g_source_attach (login->watch, NULL);
}

BndLoginQueue *
_bnd_server_login_queue_new (BndServer *self)
{
  /* As many checks at once as there are cores: more would only share them. */
  return bnd_login_queue_new (g_get_num_processors (), MAX_WAITING, MAX_PER_ADDRESS,
                              start_check, refuse_check, self);
}

/* What the throttle says of the attempt, from its rows of the user and the address. */
static void
read_throttle (BndServer         *self,
               SoupServerMessage *msg,
               gpointer           data)
{
  Login *login = data;
  g_autoptr(GError) error = NULL;
  BndThrottleState state;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 wait;

  login->klass = BND_LOGIN_CLASS_FAILED;
  login->refused = TRUE;
  if (!bnd_server_db_throttle_read (_bnd_server_db (self), login->user, login->address, now, &state, &error))
    return _bnd_server_send_error (msg, error);
  if ((wait = bnd_throttle_decide (&state, now, login->waiting, &login->klass)) > 0)
    return too_many (msg, wait, _("Too many failed sign-ins; wait a while and try again"));
  login->refused = FALSE;
}

/* Into the queue of password checks, unless the throttle refused it. */
static void
queue_login (BndServer         *self,
             SoupServerMessage *msg,
             gpointer           data)
{
  Login *login = data;

  if (login->refused)
    return login_free (login);
  login->queued_at = bnd_login_queue_get_started (self->logins);
  soup_server_message_pause (msg);
  watch_client (login);
  if (!bnd_login_queue_push (self->logins, login->bucket, login->klass, login))
    {
      too_many (msg, 1, _("Too many sign-ins from your address are waiting; try again in a moment"));
      soup_server_message_unpause (msg);
      login_free (login);
    }
}

void
_bnd_server_handle_login (BndServer         *self,
                          SoupServerMessage *msg)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *body;
  const char *user, *password, *address;
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
  login = g_new0 (Login, 1);
  login->self = g_object_ref (self);
  login->msg = g_object_ref (msg);
  login->user = g_strdup (user);
  login->password = g_strdup (password);
  login->address = g_strdup (address);
  login->bucket = bnd_throttle_address_bucket (address);
  login->waiting = bnd_login_queue_count (self->logins, login->bucket);
  _bnd_server_run (self, msg, read_throttle, queue_login, login, NULL);
}

/* PATCH /me takes the e-mail settings and nothing else: a client that sends "role" must learn
 * that it was not taken. */
static void
check_me_member (JsonObject  *object,
                 const char  *name,
                 JsonNode    *node,
                 gpointer     data)
{
  GError **error = data;

  if (*error == NULL && !g_str_equal (name, "email") && !g_str_equal (name, "language") &&
      !g_str_equal (name, "notifications"))
    g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_INVALID, "%s",
                 _("Only “email”, “language” and “notifications” can be changed here"));
}

void
_bnd_server_handle_logout (BndServer         *self,
                           SoupServerMessage *msg,
                           const BndUser     *user)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  bnd_server_db_revoke_token (_bnd_server_db (self), header + strlen ("Bearer "));
  json_node_take_object (node, json_object_new ());
  _bnd_server_send_json (msg, SOUP_STATUS_OK, g_steal_pointer (&node));
}

/* GET /me: who the token belongs to, so that a client shows each person their own tasks, and
 * their e-mail settings: {"user", "org", "role", "email" (or null), "language", "notifications"}. */
void
_bnd_server_handle_me (BndServer         *self,
                       SoupServerMessage *msg,
                       const BndUser     *user)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  BndMailSettings settings = { 0 };

  if (!bnd_server_db_get_mail_settings (_bnd_server_db (self), user->name, &settings, &error))
    return _bnd_server_send_error (msg, error);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "user");
  json_builder_add_string_value (builder, user->name);
  json_builder_set_member_name (builder, "org");
  json_builder_add_string_value (builder, user->org);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, bnd_role_to_string (user->role));
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, settings.email);
  json_builder_set_member_name (builder, "language");
  json_builder_add_string_value (builder, settings.language);
  json_builder_set_member_name (builder, "notifications");
  json_builder_add_boolean_value (builder, settings.enabled);
  json_builder_end_object (builder);
  bnd_mail_settings_clear (&settings);
  _bnd_server_send_json (msg, SOUP_STATUS_OK, json_builder_get_root (builder));
}

/* PATCH /me {"email"? (a string, "" or null to remove it), "language"? ("de" or "en"),
 * "notifications"? (a boolean)}: each user changes their own e-mail settings, and nothing else
 * of their account; the answer is GET /me's. */
void
_bnd_server_handle_patch_me (BndServer         *self,
                             SoupServerMessage *msg,
                             const BndUser     *user)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  const char *email = NULL;
  const char *language = NULL;
  int enabled = -1;
  JsonObject *body;
  JsonNode *node;

  if (!(body = _bnd_server_parse_body (msg, &root)))
    return;
  json_object_foreach_member (body, check_me_member, &error);
  if (error != NULL)
    return _bnd_server_send_error (msg, error);
  if ((node = json_object_get_member (body, "email")) != NULL)
    {
      if (JSON_NODE_HOLDS_NULL (node))
        email = "";
      else if (!(email = _bnd_server_string_member (body, "email")))
        return _bnd_server_fail (msg, BND_SERVER_ERROR_INVALID, "%s",
                                 _("The e-mail address is not valid; write it as name@example.org"));
    }
  if (json_object_has_member (body, "language") && !(language = _bnd_server_string_member (body, "language")))
    return _bnd_server_fail (msg, BND_SERVER_ERROR_INVALID, "%s",
                             _("The language of e-mail must be de (German) or en (English)"));
  if ((node = json_object_get_member (body, "notifications")) != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        return _bnd_server_fail (msg, BND_SERVER_ERROR_INVALID, "%s",
                                 _("“notifications” must be true or false"));
      enabled = json_node_get_boolean (node);
    }
  if (!bnd_server_db_set_mail_settings (_bnd_server_db (self), user->name, email, language, enabled, user->name, &error))
    return _bnd_server_send_error (msg, error);
  _bnd_server_handle_me (self, msg, user);
}
