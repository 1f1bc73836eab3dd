/* bnd-server-throttle.c: the sign-in throttle's rules and its state in the server database
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-throttle"

#include "config.h"

#include <gio/gio.h>
#include <sodium.h>
#include <string.h>

#include "bnd-server-db-private.h"
#include "bnd-server-global-audit.h"
#include "bnd-server-throttle.h"

/* Three counters, each kept for a user name as typed (normalised) whether or not the account
 * exists, so that no answer tells which names exist:
 *
 * - the address (an IPv6 client by its /64, the smallest network one usually gets): at most
 *   ADDRESS_LIMIT failures a minute, whatever names it tries; then 429 until the minute is over.
 *   This bounds guessing from one place, and costs an office behind one NAT address little.
 * - the name from the address: PAIR_FREE failures, then 429 for PAIR_FIRST_BLOCK_S, doubling with
 *   each further failure up to PAIR_MAX_BLOCK_S; forgotten at the next sign-in from there, or
 *   PAIR_MEMORY_S after the last failure (PAIR_SHORT_MEMORY_S when it was never held back, so
 *   that a flood of ever new names leaves rows for an hour, not a day). Someone who mistypes is
 *   slowed down only where they type.
 * - the name from anywhere: ACCOUNT_ATTACK failures within an hour mark the account as under
 *   attack. That never refuses a sign-in by itself: a lock per account would let anyone lock out
 *   anyone whose name they know, from any address. It only weighs on addresses that failed for
 *   this very account and where it never signed in: their checks wait behind everyone else's
 *   (BND_LOGIN_CLASS_SUSPECT), and they get one free failure instead of PAIR_FREE. An address
 *   without failures for the account, or one the account signed in from within KNOWN_S, is
 *   treated as if there were no attack.
 *
 * So an attacker with many addresses gets a handful of guesses per address and day; the owner
 * of the account, from their own address, is never refused because of anyone else. Whether an
 * address failed recently (RECENT_S) orders the queue of password checks, so that a flood from
 * many addresses waits behind real users (bnd-server-login-queue.c). */

#define ADDRESS_LIMIT        20
#define ADDRESS_WINDOW_S     60
#define RECENT_S             (15 * 60)
#define PAIR_FREE            5
#define PAIR_FIRST_BLOCK_S   30
#define PAIR_MAX_BLOCK_S     (15 * 60)
#define PAIR_MEMORY_S        (24 * 3600)
#define PAIR_SHORT_MEMORY_S  3600
#define ACCOUNT_ATTACK       10
#define ACCOUNT_WINDOW_S     3600
#define KNOWN_S              (90 * 24 * 3600)

typedef struct
{
  gint64 failures;
  gint64 window_start;
  gint64 last_failed;
  gint64 blocked_until;
} Row;

/**
 * bnd_throttle_normalize_user:
 *
 * The name as the throttle counts it: NFKC, case-folded, without surrounding white space, so
 * that "Anna", "anna " and "ａｎｎａ" share one counter. Sign-in itself compares names exactly.
 *
 * Returns: (transfer full): the name to count under
 */
char *
bnd_throttle_normalize_user (const char *typed)
{
  g_autofree char *normal = g_utf8_normalize (typed, -1, G_NORMALIZE_ALL_COMPOSE);
  g_autofree char *folded = g_utf8_casefold (normal ? normal : typed, -1);

  return g_strdup (g_strstrip (folded));
}

/**
 * bnd_throttle_address_bucket:
 *
 * An IPv4 address counts alone; an IPv6 address by its /64, of which anyone gets plenty of
 * addresses.
 *
 * Returns: (transfer full): the address as the throttle counts it
 */
char *
bnd_throttle_address_bucket (const char *address)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);
  g_autoptr(GInetAddress) network = NULL;
  guint8 bytes[16] = { 0 };
  g_autofree char *text = NULL;

  if (inet == NULL || g_inet_address_get_family (inet) != G_SOCKET_FAMILY_IPV6)
    return g_strdup (address);
  memcpy (bytes, g_inet_address_to_bytes (inet), 8);
  network = g_inet_address_new_from_bytes (bytes, G_SOCKET_FAMILY_IPV6);
  text = g_inet_address_to_string (network);
  return g_strconcat (text, "/64", NULL);
}

/**
 * bnd_throttle_decide:
 * @in_flight: the address's attempts waiting or being checked now, which count as failures until
 *   they are known, so that parallel guesses cannot outrun the limit
 * @klass: (out): the attempt's place in the queue, when it may go ahead
 *
 * Returns: 0 when the attempt may go ahead, else the seconds to wait (for Retry-After)
 */
gint64
bnd_throttle_decide (const BndThrottleState *state,
                     gint64                  now,
                     guint                   in_flight,
                     BndLoginClass          *klass)
{
  gboolean under_attack = state->account_failures >= ACCOUNT_ATTACK;

  if (state->address_failures + in_flight >= ADDRESS_LIMIT)
    return MAX (1, state->address_window_end - now);
  if (state->pair_blocked_until > now)
    return state->pair_blocked_until - now;

  if (state->pair_failures > 0 && under_attack && !state->known)
    *klass = BND_LOGIN_CLASS_SUSPECT;
  else if (state->pair_failures == 0 &&
           (state->known || state->address_last_failed == 0 || state->address_last_failed <= now - RECENT_S))
    *klass = BND_LOGIN_CLASS_CLEAN;
  else
    *klass = BND_LOGIN_CLASS_FAILED;
  return 0;
}

/* The key of a row: a keyed BLAKE2b of what it counts, under the database's own secret (schema
 * step 7), so that the table holds no typed name and no address. */
static gboolean
load_secret (BndServerDb  *self,
             GError      **error)
{
  g_autoptr(BndDbStmt) stmt = NULL;
  gconstpointer secret;
  gsize size;

  if (self->has_throttle_secret)
    return TRUE;
  if (!(stmt = bnd_server_db_prepare (self, "SELECT secret FROM login_secret WHERE id = 1", error)))
    return FALSE;
  if (bnd_db_step (stmt) != BND_DB_ROW ||
      !(secret = bnd_db_column_bytes (stmt, 0, &size)) || size != sizeof self->throttle_secret)
    return bnd_server_db_sql_error (self, error);
  memcpy (self->throttle_secret, secret, sizeof self->throttle_secret);
  self->has_throttle_secret = TRUE;
  return TRUE;
}

static char *
row_key (BndServerDb *self,
         const char  *kind,
         const char  *user,
         const char  *bucket)
{
  g_autoptr(GString) text = g_string_new (kind);
  guchar hash[16];
  char hex[sizeof hash * 2 + 1];

  /* NUL between the parts: neither a name nor an address contains one. */
  g_string_append_c (text, 0);
  g_string_append (text, user ? user : "");
  g_string_append_c (text, 0);
  g_string_append (text, bucket ? bucket : "");
  crypto_generichash (hash, sizeof hash, (const guchar *)text->str, text->len,
                      self->throttle_secret, sizeof self->throttle_secret);
  return g_strdup (sodium_bin2hex (hex, sizeof hex, hash, sizeof hash));
}

static gboolean
read_row (BndServerDb  *self,
          const char   *key,
          Row          *row,
          GError      **error)
{
  g_autoptr(BndDbStmt) stmt =
    bnd_server_db_prepare (self, "SELECT failures, window_start, last_failed, blocked_until "
                                 "FROM login_throttle WHERE key = ?1", error);

  memset (row, 0, sizeof *row);
  if (stmt == NULL)
    return FALSE;
  bnd_db_bind_text (stmt, 1, key);
  switch (bnd_db_step (stmt))
    {
    case BND_DB_ROW:
      row->failures = bnd_db_column_int64 (stmt, 0);
      row->window_start = bnd_db_column_int64 (stmt, 1);
      row->last_failed = bnd_db_column_int64 (stmt, 2);
      row->blocked_until = bnd_db_column_int64 (stmt, 3);
      return TRUE;
    case BND_DB_DONE:
      return TRUE;
    case BND_DB_ERROR:
    default:
      return bnd_server_db_sql_error (self, error);
    }
}

static gboolean
write_row (BndServerDb  *self,
           const char   *key,
           const Row    *row,
           gint64        expires,
           GError      **error)
{
  g_autoptr(BndDbStmt) stmt =
    bnd_server_db_prepare (self, "INSERT INTO login_throttle "
                                 "(key, failures, window_start, last_failed, blocked_until, expires) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (key) DO UPDATE "
                                 "SET failures = ?2, window_start = ?3, last_failed = ?4, blocked_until = ?5, "
                                 "expires = ?6", error);

  if (stmt == NULL)
    return FALSE;
  bnd_db_bind_text (stmt, 1, key);
  bnd_db_bind_int64 (stmt, 2, row->failures);
  bnd_db_bind_int64 (stmt, 3, row->window_start);
  bnd_db_bind_int64 (stmt, 4, row->last_failed);
  bnd_db_bind_int64 (stmt, 5, row->blocked_until);
  bnd_db_bind_int64 (stmt, 6, expires);
  if (bnd_db_step (stmt) != BND_DB_DONE)
    return bnd_server_db_sql_error (self, error);
  return TRUE;
}

static gboolean
read_known (BndServerDb  *self,
            const char   *key,
            gint64        now,
            gboolean     *known,
            GError      **error)
{
  g_autoptr(BndDbStmt) stmt =
    bnd_server_db_prepare (self, "SELECT 1 FROM login_known WHERE key = ?1 AND expires > ?2", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bnd_db_bind_text (stmt, 1, key);
  bnd_db_bind_int64 (stmt, 2, now);
  rc = bnd_db_step (stmt);
  if (rc != BND_DB_ROW && rc != BND_DB_DONE)
    return bnd_server_db_sql_error (self, error);
  *known = rc == BND_DB_ROW;
  return TRUE;
}

static gint64
pair_memory (const Row *pair)
{
  return pair->blocked_until > 0 ? PAIR_MEMORY_S : PAIR_SHORT_MEMORY_S;
}

/* A window or memory that has run out counts as if it had never been. */
static void
forget_old (Row    *address,
            Row    *pair,
            Row    *account,
            gint64  now)
{
  if (now >= address->window_start + ADDRESS_WINDOW_S)
    {
      address->failures = 0;
      address->blocked_until = 0;
    }
  if (address->last_failed <= now - RECENT_S)
    address->last_failed = 0;
  if (now >= pair->last_failed + pair_memory (pair))
    memset (pair, 0, sizeof *pair);
  if (now >= account->window_start + ACCOUNT_WINDOW_S)
    memset (account, 0, sizeof *account);
}

/**
 * bnd_server_db_throttle_read:
 * @typed: the user name as typed
 * @client: the client's address
 */
gboolean
bnd_server_db_throttle_read (BndServerDb       *self,
                             const char        *typed,
                             const char        *client,
                             gint64             now,
                             BndThrottleState  *state,
                             GError           **error)
{
  g_autofree char *user = bnd_throttle_normalize_user (typed);
  g_autofree char *bucket = bnd_throttle_address_bucket (client);
  g_autofree char *address_key = NULL;
  g_autofree char *pair_key = NULL;
  g_autofree char *account_key = NULL;
  g_autofree char *known_key = NULL;
  Row address, pair, account;

  memset (state, 0, sizeof *state);
  if (!load_secret (self, error))
    return FALSE;
  address_key = row_key (self, "address", NULL, bucket);
  pair_key = row_key (self, "pair", user, bucket);
  account_key = row_key (self, "account", user, NULL);
  known_key = row_key (self, "known", user, bucket);
  if (!read_row (self, address_key, &address, error) || !read_row (self, pair_key, &pair, error) ||
      !read_row (self, account_key, &account, error) ||
      !read_known (self, known_key, now, &state->known, error))
    return FALSE;
  forget_old (&address, &pair, &account, now);

  state->address_failures = address.failures;
  state->address_window_end = address.window_start + ADDRESS_WINDOW_S;
  state->address_last_failed = address.last_failed;
  state->pair_failures = pair.failures;
  state->pair_blocked_until = pair.blocked_until;
  state->account_failures = account.failures;
  return TRUE;
}

/* Counts a failed sign-in of @user from @bucket; @attack_began tells whether this failure put the
 * account under attack. The caller holds a transaction, so that two server processes never
 * count over each other. */
static gboolean
count_failure (BndServerDb  *self,
                               const char   *user,
                               const char   *bucket,
                               gint64        now,
                               gboolean     *attack_began,
                               GError      **error)
{
  g_autofree char *address_key = NULL;
  g_autofree char *pair_key = NULL;
  g_autofree char *account_key = NULL;
  g_autofree char *known_key = NULL;
  gboolean known = FALSE;
  gint64 free_failures;
  Row address, pair, account;

  *attack_began = FALSE;
  if (!load_secret (self, error))
    return FALSE;
  address_key = row_key (self, "address", NULL, bucket);
  pair_key = row_key (self, "pair", user, bucket);
  account_key = row_key (self, "account", user, NULL);
  known_key = row_key (self, "known", user, bucket);
  if (!read_row (self, address_key, &address, error) || !read_row (self, pair_key, &pair, error) ||
      !read_row (self, account_key, &account, error) || !read_known (self, known_key, now, &known, error))
    return FALSE;
  forget_old (&address, &pair, &account, now);

  if (address.failures == 0)
    address.window_start = now;
  address.failures++;
  address.last_failed = now;
  if (address.failures >= ADDRESS_LIMIT)
    address.blocked_until = address.window_start + ADDRESS_WINDOW_S;

  if (account.failures == 0)
    account.window_start = now;
  account.failures++;
  account.last_failed = now;
  *attack_began = account.failures == ACCOUNT_ATTACK;

  free_failures = account.failures >= ACCOUNT_ATTACK && !known ? 1 : PAIR_FREE;
  if (pair.failures == 0)
    pair.window_start = now;
  pair.failures++;
  pair.last_failed = now;
  if (pair.failures >= free_failures)
    pair.blocked_until = now + MIN (PAIR_MAX_BLOCK_S,
                                    (gint64)PAIR_FIRST_BLOCK_S << MIN (pair.failures - free_failures, 10));

  return write_row (self, address_key, &address,
                    MAX (address.window_start + ADDRESS_WINDOW_S, now + RECENT_S), error) &&
         write_row (self, pair_key, &pair, MAX (now + pair_memory (&pair), pair.blocked_until), error) &&
         write_row (self, account_key, &account, account.window_start + ACCOUNT_WINDOW_S, error);
}

/* A sign-in of @user from @bucket worked: its failures there are forgotten, and the address is
 * one the account is known at for KNOWN_S. The address's and the account's counts stay: a
 * success of one name does not pardon the guesses at others. The caller holds a transaction. */
static gboolean
count_success (BndServerDb  *self,
                                  const char   *user,
                                  const char   *bucket,
                                  gint64        now,
                                  GError      **error)
{
  g_autoptr(BndDbStmt) forget =
    bnd_server_db_prepare (self, "DELETE FROM login_throttle WHERE key = ?1", error);
  g_autoptr(BndDbStmt) remember = NULL;
  g_autofree char *pair_key = NULL;
  g_autofree char *known_key = NULL;

  if (forget == NULL || !load_secret (self, error) ||
      !(remember = bnd_server_db_prepare (self, "INSERT INTO login_known (key, expires) VALUES (?1, ?2) "
                                                "ON CONFLICT (key) DO UPDATE SET expires = ?2", error)))
    return FALSE;
  pair_key = row_key (self, "pair", user, bucket);
  known_key = row_key (self, "known", user, bucket);
  bnd_db_bind_text (forget, 1, pair_key);
  bnd_db_bind_text (remember, 1, known_key);
  bnd_db_bind_int64 (remember, 2, now + KNOWN_S);
  if (bnd_db_step (forget) != BND_DB_DONE || bnd_db_step (remember) != BND_DB_DONE)
    return bnd_server_db_sql_error (self, error);
  return TRUE;
}

/* Whose sign-ins go into the server's audit trail: those who steer the procedure and the
 * administrators. */
static gboolean
is_privileged (BndRole role)
{
  return role == BND_ROLE_COORDINATION || role == BND_ROLE_ADMIN;
}

/**
 * bnd_server_db_login_failed:
 * @user: the user name as typed
 * @address: the client's address
 * @role: (nullable): the account's role, %NULL when there is no such account (or it may not
 *   sign in)
 *
 * Counts a failed sign-in. Failures are not written to the audit trail one by one: anyone could
 * make an append-only trail grow without end with them (the access log has each). A coordination
 * or administrator account that comes under attack gets one entry per attack instead.
 */
gboolean
bnd_server_db_login_failed (BndServerDb    *self,
                            const char     *user,
                            const char     *address,
                            const BndRole  *role,
                            gint64          now,
                            GError        **error)
{
  g_autofree char *normal = bnd_throttle_normalize_user (user);
  g_autofree char *bucket = bnd_throttle_address_bucket (address);
  gboolean attack_began = FALSE;

  if (!bnd_server_db_begin (self, error))
    return FALSE;
  if (!count_failure (self, normal, bucket, now, &attack_began, error) ||
      (attack_began && role != NULL && is_privileged (*role) &&
       !bnd_server_db_append_global_audit (self, "-", "sign-ins-failing", error, "user", user,
                                           "role", bnd_role_to_string (*role),
                                           "failures", G_STRINGIFY (ACCOUNT_ATTACK), "within", "1 h",
                                           "address", address, NULL)) ||
      !bnd_server_db_commit (self, error))
    {
      bnd_server_db_rollback (self);
      return FALSE;
    }
  return TRUE;
}

/**
 * bnd_server_db_login_succeeded:
 * @user: the account's name
 *
 * Signs @user in: a new token, the throttle told, and for the coordination and administrators
 * an entry in the server's audit trail, all in one transaction.
 *
 * Returns: (transfer full) (nullable): the token
 */
char *
bnd_server_db_login_succeeded (BndServerDb  *self,
                               const char   *user,
                               const char   *address,
                               BndRole       role,
                               gint64        now,
                               GError      **error)
{
  g_autofree char *normal = bnd_throttle_normalize_user (user);
  g_autofree char *bucket = bnd_throttle_address_bucket (address);
  g_autofree char *token = NULL;

  if (!bnd_server_db_begin (self, error))
    return NULL;
  if (!(token = bnd_server_db_new_token (self, user, error)) ||
      !count_success (self, normal, bucket, now, error) ||
      (is_privileged (role) &&
       !bnd_server_db_append_global_audit (self, user, "signed-in", error, "role", bnd_role_to_string (role),
                                           "address", address, NULL)) ||
      !bnd_server_db_commit (self, error))
    {
      bnd_server_db_rollback (self);
      return NULL;
    }
  return g_steal_pointer (&token);
}

/* Removes the rows whose windows and memories have all run out. */
gboolean
bnd_server_db_throttle_expire (BndServerDb  *self,
                               gint64        now,
                               GError      **error)
{
  g_autoptr(BndDbStmt) throttle =
    bnd_server_db_prepare (self, "DELETE FROM login_throttle WHERE expires <= ?1", error);
  g_autoptr(BndDbStmt) known = NULL;
  gint64 n_throttle;

  if (throttle == NULL ||
      !(known = bnd_server_db_prepare (self, "DELETE FROM login_known WHERE expires <= ?1", error)))
    return FALSE;
  bnd_db_bind_int64 (throttle, 1, now);
  bnd_db_bind_int64 (known, 1, now);
  if (bnd_db_step (throttle) != BND_DB_DONE)
    return bnd_server_db_sql_error (self, error);
  n_throttle = bnd_db_changes (throttle);
  if (bnd_db_step (known) != BND_DB_DONE)
    return bnd_server_db_sql_error (self, error);
  if (n_throttle > 0 || bnd_db_changes (known) > 0)
    g_debug ("expired %" G_GINT64_FORMAT " throttle rows and %" G_GINT64_FORMAT " known addresses",
             n_throttle, bnd_db_changes (known));
  return TRUE;
}
