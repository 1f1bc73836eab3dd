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
#include "bnd-server-global-audit.h"
#include "bnd-server-throttle.h"

/* Users, their roles and passwords, their bearer tokens; also the expiry of tokens, of the
 * sign-in throttle's rows and of the idempotency answers. Passwords are checked off the main
 * thread (bnd-server-auth.c), on the plain hash string that bnd_server_db_get_login() returns.
 * Every change to an account goes into the server's audit trail (bnd-server-global-audit.c) in
 * the same transaction. */

#define TOKEN_LIFETIME_S    (30 * 24 * 3600)

/* A client repeats a request with the same Idempotency-Key within minutes (a retry after a lost
 * answer) or, offline for a while, at its next sync; a week covers a laptop shut over a long
 * weekend, and no client keeps a key longer. */
#define IDEMPOTENCY_LIFETIME_S (7 * 24 * 3600)

gboolean
bnd_server_db_add_user (BndServerDb  *self,
                        const char   *name,
                        const char   *org,
                        BndRole       role,
                        const char   *actor,
                        GError      **error)
{
  g_autoptr(BndDbStmt) check = bnd_server_db_prepare (self, "SELECT 1 FROM orgs WHERE id = ?1", error);
  g_autoptr(BndDbStmt) stmt = bnd_server_db_prepare (self, "INSERT INTO users (name, org, role) VALUES (?1, ?2, ?3) "
                                                                "ON CONFLICT (name) DO NOTHING", error);

  if (check == NULL || stmt == NULL)
    return FALSE;
  bnd_db_bind_text (check, 1, org);
  if (bnd_db_step (check) != BND_DB_ROW)
    {
      bnd_api_error_set (error, BND_SERVER_ERROR_NOT_FOUND, N_("No organisation “%s”"), org, NULL);
      return FALSE;
    }
  if (!bnd_server_db_begin (self, error))
    return FALSE;
  bnd_db_bind_text (stmt, 1, name);
  bnd_db_bind_text (stmt, 2, org);
  bnd_db_bind_text (stmt, 3, bnd_role_to_string (role));
  if (bnd_db_step (stmt) != BND_DB_DONE)
    {
      bnd_server_db_sql_error (self, error);
      bnd_server_db_rollback (self);
      return FALSE;
    }
  if (bnd_db_changes (stmt) == 0)
    {
      bnd_api_error_set (error, BND_SERVER_ERROR_CONFLICT, N_("The user “%s” exists already"), name, NULL);
      bnd_server_db_rollback (self);
      return FALSE;
    }
  if (!bnd_server_db_append_global_audit (self, actor, "user-added", error, "user", name, "org", org,
                                          "role", bnd_role_to_string (role), NULL))
    {
      bnd_server_db_rollback (self);
      return FALSE;
    }
  return bnd_server_db_commit (self, error);
}

/* Deletes every token of @name; the caller holds a transaction. */
static gboolean
delete_tokens (BndServerDb  *self,
               const char   *name,
               guint        *n_revoked,
               GError      **error)
{
  g_autoptr(BndDbStmt) stmt = bnd_server_db_prepare (self, "DELETE FROM tokens WHERE \"user\" = ?1", error);

  if (stmt == NULL)
    return FALSE;
  bnd_db_bind_text (stmt, 1, name);
  if (bnd_db_step (stmt) != BND_DB_DONE)
    return bnd_server_db_sql_error (self, error);
  *n_revoked = bnd_db_changes (stmt);
  return TRUE;
}

/* Argon2id through libsodium, at its interactive limits. */
gboolean
bnd_server_db_set_password (BndServerDb  *self,
                            const char   *name,
                            const char   *password,
                            const char   *actor,
                            GError      **error)
{
  char hash[crypto_pwhash_STRBYTES];
  g_autoptr(BndDbStmt) stmt = NULL;
  g_autofree char *revoked = NULL;
  guint n_revoked = 0;

  if (crypto_pwhash_str (hash, password, strlen (password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_INTERNAL, _("Out of memory while hashing"));
      return FALSE;
    }
  if (!(stmt = bnd_server_db_prepare (self, "UPDATE users SET password = ?2 WHERE name = ?1", error)))
    return FALSE;
  /* A new password is often set because the old one leaked: whoever signed in with it must not
   * keep a token for 30 days. Both in one transaction. */
  if (!bnd_server_db_begin (self, error))
    return FALSE;
  bnd_db_bind_text (stmt, 1, name);
  bnd_db_bind_text_copy (stmt, 2, hash);
  if (bnd_db_step (stmt) != BND_DB_DONE)
    {
      bnd_server_db_sql_error (self, error);
      bnd_server_db_rollback (self);
      return FALSE;
    }
  if (bnd_db_changes (stmt) == 0)
    {
      bnd_server_db_rollback (self);
      bnd_api_error_set (error, BND_SERVER_ERROR_NOT_FOUND, N_("No user “%s”"), name, NULL);
      return FALSE;
    }
  if (!delete_tokens (self, name, &n_revoked, error) ||
      !bnd_server_db_append_global_audit (self, actor, "password-set", error, "user", name,
                                          "tokens_revoked", (revoked = g_strdup_printf ("%u", n_revoked)), NULL))
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
  g_autoptr(BndDbStmt) stmt = bnd_server_db_prepare (self, "SELECT 1 FROM users WHERE name = ?1", error);

  if (stmt == NULL)
    return FALSE;
  bnd_db_bind_text (stmt, 1, name);
  switch (bnd_db_step (stmt))
    {
    case BND_DB_ROW:
      return TRUE;
    case BND_DB_DONE:
      bnd_api_error_set (error, BND_SERVER_ERROR_NOT_FOUND, N_("No user “%s”"), name, NULL);
      return FALSE;
    case BND_DB_ERROR:
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
                                  const char   *actor,
                                  guint        *n_revoked,
                                  GError      **error)
{
  g_autofree char *count = NULL;
  guint n = 0;

  if (!user_exists (self, name, error) || !bnd_server_db_begin (self, error))
    return FALSE;
  if (!delete_tokens (self, name, &n, error) ||
      !bnd_server_db_append_global_audit (self, actor, "tokens-revoked", error, "user", name,
                                          "tokens_revoked", (count = g_strdup_printf ("%u", n)), NULL) ||
      !bnd_server_db_commit (self, error))
    {
      bnd_server_db_rollback (self);
      return FALSE;
    }
  if (n_revoked)
    *n_revoked = n;
  return TRUE;
}

/* A disabled user cannot sign in, and its tokens are refused (bnd_server_db_check_token); they
 * are also revoked, so that enabling the user again does not bring old sign-ins back. */
gboolean
bnd_server_db_set_disabled (BndServerDb  *self,
                            const char   *name,
                            gboolean      disabled,
                            const char   *actor,
                            GError      **error)
{
  g_autoptr(BndDbStmt) stmt = bnd_server_db_prepare (self, "UPDATE users SET disabled = ?2 WHERE name = ?1", error);
  g_autofree char *count = NULL;
  guint n_revoked = 0;

  if (stmt == NULL || !user_exists (self, name, error) || !bnd_server_db_begin (self, error))
    return FALSE;
  bnd_db_bind_text (stmt, 1, name);
  bnd_db_bind_int (stmt, 2, disabled ? 1 : 0);
  if (bnd_db_step (stmt) != BND_DB_DONE)
    {
      bnd_server_db_sql_error (self, error);
      bnd_server_db_rollback (self);
      return FALSE;
    }
  if ((disabled && !delete_tokens (self, name, &n_revoked, error)) ||
      !bnd_server_db_append_global_audit (self, actor, disabled ? "user-disabled" : "user-enabled", error,
                                          "user", name,
                                          "tokens_revoked", (count = g_strdup_printf ("%u", n_revoked)), NULL))
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
                        const char   *actor,
                        GError      **error)
{
  g_autoptr(BndDbStmt) before = bnd_server_db_prepare (self, "SELECT role FROM users WHERE name = ?1", error);
  g_autoptr(BndDbStmt) stmt = bnd_server_db_prepare (self, "UPDATE users SET role = ?2 WHERE name = ?1", error);
  g_autofree char *old_role = NULL;

  if (before == NULL || stmt == NULL || !user_exists (self, name, error) || !bnd_server_db_begin (self, error))
    return FALSE;
  bnd_db_bind_text (before, 1, name);
  bnd_db_bind_text (stmt, 1, name);
  bnd_db_bind_text (stmt, 2, bnd_role_to_string (role));
  if (bnd_db_step (before) != BND_DB_ROW || bnd_db_step (stmt) != BND_DB_DONE)
    {
      bnd_server_db_sql_error (self, error);
      bnd_server_db_rollback (self);
      return FALSE;
    }
  old_role = g_strdup (bnd_db_column_text (before, 0));
  if (!bnd_server_db_append_global_audit (self, actor, "role-changed", error, "user", name,
                                          "from", old_role, "to", bnd_role_to_string (role), NULL))
    {
      bnd_server_db_rollback (self);
      return FALSE;
    }
  return bnd_server_db_commit (self, error);
}

/**
 * bnd_server_db_get_login:
 * @hash: (out) (transfer full): the password's hash
 * @role: (out): the user's role
 *
 * Returns: whether @name may sign in: %FALSE for an unknown user, and also for a disabled one or
 *   one without a password, so that their sign-in is checked against the stand-in hash, takes as
 *   long and answers the same 401 as a wrong password: it does not tell who exists or is disabled.
 */
gboolean
bnd_server_db_get_login (BndServerDb  *self,
                         const char   *name,
                         char        **hash,
                         BndRole      *role)
{
  g_autoptr(BndDbStmt) stmt =
    bnd_server_db_prepare (self, "SELECT password, role FROM users WHERE name = ?1 AND disabled = 0 "
                                 "AND password IS NOT NULL", NULL);

  *hash = NULL;
  if (stmt == NULL)
    return FALSE;
  bnd_db_bind_text (stmt, 1, name);
  if (bnd_db_step (stmt) != BND_DB_ROW ||
      !bnd_role_from_string (bnd_db_column_text (stmt, 1), role))
    return FALSE;
  *hash = g_strdup (bnd_db_column_text (stmt, 0));
  return TRUE;
}

static char *
hash_token (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

/* hash_token() into @hex, without allocating: for the token check of every request. */
static void
hash_token_into (const char *token,
                 char        hex[crypto_hash_sha256_BYTES * 2 + 1])
{
  guchar digest[crypto_hash_sha256_BYTES];

  crypto_hash_sha256 (digest, (const guchar *)token, strlen (token));
  sodium_bin2hex (hex, crypto_hash_sha256_BYTES * 2 + 1, digest, sizeof digest);
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
  g_autoptr(BndDbStmt) stmt = bnd_server_db_prepare (self, "INSERT INTO tokens (hash, \"user\", expires) VALUES (?1, ?2, ?3)", error);

  if (stmt == NULL)
    return NULL;

  randombytes_buf (random, sizeof random);
  token = g_base64_encode (random, sizeof random);
  g_strdelimit (token, "+", '-');
  g_strdelimit (token, "/", '_');
  hash = hash_token (token);

  bnd_db_bind_text (stmt, 1, hash);
  bnd_db_bind_text (stmt, 2, name);
  bnd_db_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC + TOKEN_LIFETIME_S);
  if (bnd_db_step (stmt) != BND_DB_DONE)
    {
      bnd_server_db_sql_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&token);
}

/* Who @token belongs to, if it has not expired and the user is not disabled; remembered while the
 * database is unchanged (bnd-server-db-tokens.c). */
BndUser *
bnd_server_db_check_token (BndServerDb *self,
                           const char  *token)
{
  char hash[crypto_hash_sha256_BYTES * 2 + 1];
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(BndDbStmt) stmt = NULL;
  gboolean valid;
  BndUser *user;

  if ((user = bnd_server_db_tokens_lookup (self, token, now, &valid)))
    return user;
  hash_token_into (token, hash);
  if (!(stmt = bnd_server_db_prepare (self, "SELECT u.name, u.org, u.role, t.expires FROM tokens t "
                                      "JOIN users u ON u.name = t.\"user\" "
                                      "WHERE t.hash = ?1 AND t.expires > ?2 AND u.disabled = 0", NULL)))
    return NULL;
  bnd_db_bind_text (stmt, 1, hash);
  bnd_db_bind_int64 (stmt, 2, now);
  if (bnd_db_step (stmt) != BND_DB_ROW)
    return NULL;

  user = g_new0 (BndUser, 1);
  user->name = g_strdup (bnd_db_column_text (stmt, 0));
  user->org = g_strdup (bnd_db_column_text (stmt, 1));
  if (!bnd_role_from_string (bnd_db_column_text (stmt, 2), &user->role))
    {
      bnd_user_free (user);
      return NULL;
    }
  if (valid)
    bnd_server_db_tokens_remember (self, token, user, bnd_db_column_int64 (stmt, 3));
  return user;
}

gboolean
bnd_server_db_revoke_token (BndServerDb *self,
                            const char  *token)
{
  g_autofree char *hash = hash_token (token);
  g_autoptr(BndDbStmt) stmt = bnd_server_db_prepare (self, "DELETE FROM tokens WHERE hash = ?1", NULL);

  if (stmt == NULL)
    return FALSE;
  bnd_db_bind_text (stmt, 1, hash);
  return bnd_db_step (stmt) == BND_DB_DONE && bnd_db_changes (stmt) > 0;
}

/**
 * bnd_server_db_expire:
 * @now: the time in seconds since the epoch, given so that tests can move it
 *
 * Removes the idempotency answers older than IDEMPOTENCY_LIFETIME_S, the tokens that have
 * expired (they are refused anyway; kept, they would pile up with every sign-in) and the sign-in
 * throttle's rows that have run out.
 */
gboolean
bnd_server_db_expire (BndServerDb  *self,
                      gint64        now,
                      GError      **error)
{
  g_autoptr(BndDbStmt) answers =
    bnd_server_db_prepare (self, "DELETE FROM idempotency WHERE created < ?1", error);
  g_autoptr(BndDbStmt) tokens = NULL;
  gint64 n_answers;

  if (answers == NULL ||
      !(tokens = bnd_server_db_prepare (self, "DELETE FROM tokens WHERE expires <= ?1", error)))
    return FALSE;
  bnd_db_bind_int64 (answers, 1, now - IDEMPOTENCY_LIFETIME_S);
  if (bnd_db_step (answers) != BND_DB_DONE)
    return bnd_server_db_sql_error (self, error);
  n_answers = bnd_db_changes (answers);
  bnd_db_bind_int64 (tokens, 1, now);
  if (bnd_db_step (tokens) != BND_DB_DONE)
    return bnd_server_db_sql_error (self, error);
  if (n_answers > 0 || bnd_db_changes (tokens) > 0)
    g_debug ("expired %" G_GINT64_FORMAT " idempotency answers and %" G_GINT64_FORMAT " tokens",
             n_answers, bnd_db_changes (tokens));
  return bnd_server_db_throttle_expire (self, now, error);
}

void
bnd_user_free (BndUser *user)
{
  g_free (user->name);
  g_free (user->org);
  g_free (user);
}

/* E-mail settings */

/**
 * bnd_mail_address_is_valid:
 *
 * Whether @address looks like an address a mail server takes: one @, a local part and a domain
 * with a dot, no spaces, no angle brackets or line breaks (it goes into SMTP commands and a
 * header), at most 254 bytes. Not a full RFC 5321 parser: quoted local parts are refused.
 */
gboolean
bnd_mail_address_is_valid (const char *address)
{
  const char *at;
  const char *domain;

  if (address == NULL || *address == 0 || strlen (address) > 254 || !g_utf8_validate (address, -1, NULL))
    return FALSE;
  for (const char *c = address; *c; c++)
    if (g_ascii_iscntrl (*c) || *c == ' ' || strchr ("<>()[]\\,;:\"", *c))
      return FALSE;
  at = strchr (address, '@');
  if (at == NULL || at == address || strchr (at + 1, '@') != NULL || at - address > 64)
    return FALSE;
  domain = at + 1;
  return *domain != 0 && *domain != '.' && strchr (domain, '.') != NULL && !g_str_has_suffix (domain, ".") &&
         strstr (domain, "..") == NULL && address[0] != '.' && at[-1] != '.';
}

void
bnd_mail_settings_clear (BndMailSettings *settings)
{
  g_clear_pointer (&settings->email, g_free);
  g_clear_pointer (&settings->language, g_free);
}

gboolean
bnd_server_db_get_mail_settings (BndServerDb     *self,
                                 const char      *name,
                                 BndMailSettings *settings,
                                 GError         **error)
{
  g_autoptr(BndDbStmt) stmt =
    bnd_server_db_prepare (self, "SELECT email, language, mail_enabled FROM users WHERE name = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bnd_db_bind_text (stmt, 1, name);
  if ((rc = bnd_db_step (stmt)) != BND_DB_ROW)
    {
      if (rc == BND_DB_DONE)
        bnd_api_error_set (error, BND_SERVER_ERROR_NOT_FOUND, N_("No user “%s”"), name, NULL);
      else
        bnd_server_db_sql_error (self, error);
      return FALSE;
    }
  settings->email = g_strdup (bnd_db_column_text (stmt, 0));
  settings->language = g_strdup (bnd_db_column_text (stmt, 1));
  settings->enabled = bnd_db_column_int (stmt, 2) != 0;
  return TRUE;
}

/**
 * bnd_server_db_set_mail_settings:
 * @email: (nullable): the new address, "" to remove it, %NULL to keep it
 * @language: (nullable): "de" or "en", %NULL to keep it
 * @enabled: 1 or 0, -1 to keep it
 *
 * Changes what is given, checked, with its entry in the server's audit trail (the address
 * itself is not written there: the trail is kept for years, an address is personal data).
 */
gboolean
bnd_server_db_set_mail_settings (BndServerDb  *self,
                                 const char   *name,
                                 const char   *email,
                                 const char   *language,
                                 int           enabled,
                                 const char   *actor,
                                 GError      **error)
{
  g_autoptr(BndDbStmt) stmt = NULL;

  if (email != NULL && *email != 0 && !bnd_mail_address_is_valid (email))
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_INVALID, "%s",
                   _("The e-mail address is not valid; write it as name@example.org"));
      return FALSE;
    }
  if (language != NULL && !g_str_equal (language, "de") && !g_str_equal (language, "en"))
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_INVALID, "%s",
                   _("The language of e-mail must be de (German) or en (English)"));
      return FALSE;
    }
  if (!(stmt = bnd_server_db_prepare (self, "UPDATE users SET email = CASE WHEN CAST (?2 AS TEXT) IS NULL THEN email "
                                            "WHEN ?2 = '' THEN NULL ELSE ?2 END, "
                                            "language = coalesce (?3, language), "
                                            "mail_enabled = CASE WHEN ?4 < 0 THEN mail_enabled ELSE ?4 END "
                                            "WHERE name = ?1", error)) ||
      !bnd_server_db_begin (self, error))
    return FALSE;
  bnd_db_bind_text (stmt, 1, name);
  bnd_db_bind_text (stmt, 2, email);
  bnd_db_bind_text (stmt, 3, language);
  bnd_db_bind_int (stmt, 4, enabled);
  if (bnd_db_step (stmt) != BND_DB_DONE)
    {
      bnd_server_db_sql_error (self, error);
      goto failed;
    }
  if (bnd_db_changes (stmt) == 0)
    {
      bnd_api_error_set (error, BND_SERVER_ERROR_NOT_FOUND, N_("No user “%s”"), name, NULL);
      goto failed;
    }
  if (!bnd_server_db_append_global_audit (self, actor, "mail-settings", error, "user", name,
                                          "email", email == NULL ? "kept" : *email ? "changed" : "removed",
                                          "language", language ? language : "kept",
                                          "enabled", enabled < 0 ? "kept" : enabled ? "true" : "false", NULL))
    goto failed;
  return bnd_server_db_commit (self, error);

failed:
  bnd_server_db_rollback (self);
  return FALSE;
}
