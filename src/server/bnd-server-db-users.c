/* bnd-server-db-users.c: the accounts in the server's database
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-db"

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "bnd-server-db-private.h"

/* Users, their roles and passwords, their bearer tokens, and the counting of failed sign-ins
 * that locks an account for a while; also the expiry of those failures and of the idempotency
 * answers. Passwords are checked off the main thread (bnd-server-auth.c), on the plain hash
 * string that bnd_server_db_get_password_hash() returns. */

#define TOKEN_LIFETIME_S    (30 * 24 * 3600)
#define LOCK_AFTER_FAILURES 5
#define MAX_LOCK_S          300

/* A client repeats a request with the same Idempotency-Key within minutes (a retry after a lost
 * answer) or, offline for a while, at its next sync; a week covers a laptop shut over a long
 * weekend, and no client keeps a key longer. */
#define IDEMPOTENCY_LIFETIME_S (7 * 24 * 3600)
/* Failed sign-ins count towards a lock for a day after the last one: a guesser keeps meeting
 * ever longer locks, while someone who mistyped yesterday starts afresh. */
#define FAILURE_WINDOW_S       (24 * 3600)

static const char *role_names[BND_N_ROLES] = { "carrier", "partner", "coordination", "admin" };

const char *
bnd_role_to_string (BndRole role)
{
  return role < BND_N_ROLES ? role_names[role] : "unknown";
}

gboolean
bnd_role_from_string (const char *text,
                      BndRole    *role)
{
  for (guint i = 0; i < BND_N_ROLES; i++)
    if (g_strcmp0 (text, role_names[i]) == 0)
      {
        *role = i;
        return TRUE;
      }
  return FALSE;
}

gboolean
bnd_server_db_add_user (BndServerDb  *self,
                        const char   *name,
                        const char   *org,
                        BndRole       role,
                        GError      **error)
{
  g_autoptr(sqlite3_stmt) check = bnd_server_db_prepare (self, "SELECT 1 FROM orgs WHERE id = ?1", error);
  g_autoptr(sqlite3_stmt) stmt = bnd_server_db_prepare (self, "INSERT INTO users (name, org, role) VALUES (?1, ?2, ?3)", error);

  if (check == NULL || stmt == NULL)
    return FALSE;
  sqlite3_bind_text (check, 1, org, -1, SQLITE_STATIC);
  if (sqlite3_step (check) != SQLITE_ROW)
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_NOT_FOUND, _("No organisation “%s”"), org);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, org, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, bnd_role_to_string (role), -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (self->db) == SQLITE_CONSTRAINT_PRIMARYKEY)
        {
          g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_CONFLICT, _("The user “%s” exists already"), name);
          return FALSE;
        }
      return bnd_server_db_sql_error (self, error);
    }
  return TRUE;
}

/* Argon2id through libsodium, at its interactive limits. */
gboolean
bnd_server_db_set_password (BndServerDb  *self,
                            const char   *name,
                            const char   *password,
                            GError      **error)
{
  char hash[crypto_pwhash_STRBYTES];
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (crypto_pwhash_str (hash, password, strlen (password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_INTERNAL, _("Out of memory while hashing"));
      return FALSE;
    }
  if (!(stmt = bnd_server_db_prepare (self, "UPDATE users SET password = ?2, failed = 0, locked_until = 0 WHERE name = ?1", error)))
    return FALSE;
  /* A new password is often set because the old one leaked: whoever signed in with it must not
   * keep a token for 30 days. Both in one transaction. */
  if (!bnd_server_db_begin (self, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      bnd_server_db_sql_error (self, error);
      bnd_server_db_rollback (self);
      return FALSE;
    }
  if (sqlite3_changes (self->db) == 0)
    {
      bnd_server_db_rollback (self);
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_NOT_FOUND, _("No user “%s”"), name);
      return FALSE;
    }
  if (!bnd_server_db_revoke_user_tokens (self, name, NULL, error))
    {
      bnd_server_db_rollback (self);
      return FALSE;
    }
  return bnd_server_db_commit (self, error);
}

/* Whether @name exists; sets @error with a sentence when not. */
static gboolean
user_exists (BndServerDb  *self,
             const char   *name,
             GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = bnd_server_db_prepare (self, "SELECT 1 FROM users WHERE name = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      return TRUE;
    case SQLITE_DONE:
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_NOT_FOUND, _("No user “%s”"), name);
      return FALSE;
    default:
      return bnd_server_db_sql_error (self, error);
    }
}

/**
 * bnd_server_db_revoke_user_tokens:
 * @n_revoked: (out) (optional): how many tokens were revoked
 *
 * Ends every sign-in of @name at once: each of its tokens is 401 on its next request.
 */
gboolean
bnd_server_db_revoke_user_tokens (BndServerDb  *self,
                                  const char   *name,
                                  guint        *n_revoked,
                                  GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!user_exists (self, name, error) ||
      !(stmt = bnd_server_db_prepare (self, "DELETE FROM tokens WHERE user = ?1", error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return bnd_server_db_sql_error (self, error);
  if (n_revoked)
    *n_revoked = sqlite3_changes (self->db);
  return TRUE;
}

/* A disabled user cannot sign in, and its tokens are refused (bnd_server_db_check_token); they
 * are also revoked, so that enabling the user again does not bring old sign-ins back. */
gboolean
bnd_server_db_set_disabled (BndServerDb  *self,
                            const char   *name,
                            gboolean      disabled,
                            GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = bnd_server_db_prepare (self, "UPDATE users SET disabled = ?2 WHERE name = ?1", error);

  if (stmt == NULL || !user_exists (self, name, error) || !bnd_server_db_begin (self, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, disabled ? 1 : 0);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      bnd_server_db_sql_error (self, error);
      bnd_server_db_rollback (self);
      return FALSE;
    }
  if (disabled && !bnd_server_db_revoke_user_tokens (self, name, NULL, error))
    {
      bnd_server_db_rollback (self);
      return FALSE;
    }
  return bnd_server_db_commit (self, error);
}

/* The role is read with each token (bnd_server_db_check_token), so it applies from the next
 * request on, without signing in again. */
gboolean
bnd_server_db_set_role (BndServerDb  *self,
                        const char   *name,
                        BndRole       role,
                        GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = bnd_server_db_prepare (self, "UPDATE users SET role = ?2 WHERE name = ?1", error);

  if (stmt == NULL || !user_exists (self, name, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, bnd_role_to_string (role), -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return bnd_server_db_sql_error (self, error);
  return TRUE;
}

char *
bnd_server_db_get_password_hash (BndServerDb *self,
                                 const char  *name)
{
  /* A disabled user has no hash here, like an unknown one: its login takes as long and answers
   * the same 401 as a wrong password, so that it does not tell who is disabled. */
  g_autoptr(sqlite3_stmt) stmt =
    bnd_server_db_prepare (self, "SELECT password FROM users WHERE name = ?1 AND disabled = 0", NULL);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return NULL;
  return g_strdup ((const char *)sqlite3_column_text (stmt, 0));
}

gint64
bnd_server_db_locked_until (BndServerDb *self,
                            const char  *name)
{
  g_autoptr(sqlite3_stmt) stmt = bnd_server_db_prepare (self, "SELECT locked_until FROM users WHERE name = ?1", NULL);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
}

/* After a few failures, each further one locks the account for twice as long, up to 5 minutes. */
void
bnd_server_db_login_failed (BndServerDb *self,
                            const char  *name)
{
  g_autoptr(sqlite3_stmt) stmt =
    bnd_server_db_prepare (self, "UPDATE users SET failed = failed + 1, failed_at = ?3, locked_until = CASE WHEN failed + 1 >= ?2 "
                   "THEN ?3 + min (?4, 1 << min (failed + 1 - ?2, 8)) ELSE locked_until END WHERE name = ?1", NULL);

  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, LOCK_AFTER_FAILURES);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
  sqlite3_bind_int (stmt, 4, MAX_LOCK_S);
  sqlite3_step (stmt);
}

static char *
hash_token (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

/* A random bearer token; only its hash is stored. */
char *
bnd_server_db_new_token (BndServerDb  *self,
                         const char   *name,
                         GError      **error)
{
  guchar random[32];
  g_autofree char *token = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(sqlite3_stmt) reset = bnd_server_db_prepare (self, "UPDATE users SET failed = 0, locked_until = 0 WHERE name = ?1", error);
  g_autoptr(sqlite3_stmt) stmt = bnd_server_db_prepare (self, "INSERT INTO tokens (hash, user, expires) VALUES (?1, ?2, ?3)", error);

  if (reset == NULL || stmt == NULL)
    return NULL;

  randombytes_buf (random, sizeof random);
  token = g_base64_encode (random, sizeof random);
  g_strdelimit (token, "+", '-');
  g_strdelimit (token, "/", '_');
  hash = hash_token (token);

  sqlite3_bind_text (reset, 1, name, -1, SQLITE_STATIC);
  sqlite3_step (reset);
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC + TOKEN_LIFETIME_S);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      bnd_server_db_sql_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&token);
}

BndUser *
bnd_server_db_check_token (BndServerDb *self,
                           const char  *token)
{
  g_autofree char *hash = hash_token (token);
  g_autoptr(sqlite3_stmt) stmt =
    bnd_server_db_prepare (self, "SELECT u.name, u.org, u.role FROM tokens t JOIN users u ON u.name = t.user "
                   "WHERE t.hash = ?1 AND t.expires > ?2 AND u.disabled = 0", NULL);
  BndUser *user;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time () / G_USEC_PER_SEC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  user = g_new0 (BndUser, 1);
  user->name = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  user->org = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
  if (!bnd_role_from_string ((const char *)sqlite3_column_text (stmt, 2), &user->role))
    {
      bnd_user_free (user);
      return NULL;
    }
  return user;
}

gboolean
bnd_server_db_revoke_token (BndServerDb *self,
                            const char  *token)
{
  g_autofree char *hash = hash_token (token);
  g_autoptr(sqlite3_stmt) stmt = bnd_server_db_prepare (self, "DELETE FROM tokens WHERE hash = ?1", NULL);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_DONE && sqlite3_changes (self->db) > 0;
}

/**
 * bnd_server_db_expire:
 * @now: the time in seconds since the epoch, given so that tests can move it
 *
 * Removes the idempotency answers older than IDEMPOTENCY_LIFETIME_S and forgets the sign-in
 * failures of accounts that have not failed for FAILURE_WINDOW_S and are not locked.
 */
gboolean
bnd_server_db_expire (BndServerDb  *self,
                      gint64        now,
                      GError      **error)
{
  g_autoptr(sqlite3_stmt) answers =
    bnd_server_db_prepare (self, "DELETE FROM idempotency WHERE created < ?1", error);
  g_autoptr(sqlite3_stmt) failures = NULL;
  int answers_removed;

  if (answers == NULL ||
      !(failures = bnd_server_db_prepare (self, "UPDATE users SET failed = 0, locked_until = 0 "
                                                "WHERE failed > 0 AND failed_at < ?1 AND locked_until <= ?2", error)))
    return FALSE;
  sqlite3_bind_int64 (answers, 1, now - IDEMPOTENCY_LIFETIME_S);
  if (sqlite3_step (answers) != SQLITE_DONE)
    return bnd_server_db_sql_error (self, error);
  answers_removed = sqlite3_changes (self->db);
  sqlite3_bind_int64 (failures, 1, now - FAILURE_WINDOW_S);
  sqlite3_bind_int64 (failures, 2, now);
  if (sqlite3_step (failures) != SQLITE_DONE)
    return bnd_server_db_sql_error (self, error);
  if (answers_removed > 0 || sqlite3_changes (self->db) > 0)
    g_debug ("expired %d idempotency answers and the failures of %d accounts",
             answers_removed, sqlite3_changes (self->db));
  return TRUE;
}

void
bnd_user_free (BndUser *user)
{
  g_free (user->name);
  g_free (user->org);
  g_free (user);
}
