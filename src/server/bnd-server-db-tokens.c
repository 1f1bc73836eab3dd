/* bnd-server-db-tokens.c: who a bearer token belongs to, remembered while nobody changed anything
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-db"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "bnd-server-db-private.h"

/* Every call but login asks who its token belongs to. The answer comes from the tokens and users
 * tables, which another process changes at any time: another buendnis-server on the same
 * database signs someone out, `buendnis-server revoke-tokens`, `disable-user` or `set-role` end
 * a sign-in or change a role, and the change must count from the very next request. So what is
 * remembered counts only while the database is unchanged since (bnd_server_db_memory_valid()).
 * A token's expiry is checked against the clock on every call, as the query does. Only tokens
 * that were accepted are remembered; an unknown one is looked up every time.
 *
 * The memory is found by the token itself, not by its SHA-256 as the table is: hashing costs
 * more than the rest of a remembered check. The table's hash function is SipHash with a key of
 * this process (crypto_shorthash), so that nobody can choose tokens that fall together, and
 * tokens are compared in constant time. A token is in the process's memory anyway while its
 * request is read; the remembered ones are wiped when forgotten. */

/* Sign-ins remembered at most; past that the memory starts over. */
#define MAX_TOKENS 4096

typedef struct
{
  char    *name;
  char    *org;
  BndRole  role;
  gint64   expires;
} Remembered;

static guchar token_key[crypto_shorthash_KEYBYTES];

static guint
token_hash (gconstpointer token)
{
  guchar hash[crypto_shorthash_BYTES];
  guint value;

  crypto_shorthash (hash, token, strlen (token), token_key);
  memcpy (&value, hash, sizeof value);
  return value;
}

static gboolean
token_equal (gconstpointer a,
             gconstpointer b)
{
  size_t length = strlen (a);

  return length == strlen (b) && sodium_memcmp (a, b, length) == 0;
}

static void
token_free (char *token)
{
  sodium_memzero (token, strlen (token));
  g_free (token);
}

static void
remembered_free (Remembered *remembered)
{
  g_free (remembered->name);
  g_free (remembered->org);
  g_free (remembered);
}

void
bnd_server_db_tokens_init (BndServerDb *self)
{
  static gsize keyed;

  if (g_once_init_enter (&keyed))
    {
      crypto_shorthash_keygen (token_key);
      g_once_init_leave (&keyed, 1);
    }
  self->tokens = g_hash_table_new_full (token_hash, token_equal, (GDestroyNotify)token_free,
                                        (GDestroyNotify)remembered_free);
}

void
bnd_server_db_tokens_clear (BndServerDb *self)
{
  g_clear_pointer (&self->tokens, g_hash_table_unref);
}

/**
 * bnd_server_db_tokens_lookup:
 * @token: the bearer token
 * @now: seconds since the epoch
 * @valid: (out): whether what is found now may be remembered (bnd_server_db_tokens_remember())
 *
 * Returns: (transfer full) (nullable): the token's user if it was accepted since the database last
 *   changed and has not expired; %NULL when the tables must be asked
 */
BndUser *
bnd_server_db_tokens_lookup (BndServerDb *self,
                             const char  *token,
                             gint64       now,
                             gboolean    *valid)
{
  Remembered *remembered;
  BndUser *user;

  if (!(*valid = self->tokens != NULL && bnd_server_db_memory_valid (self)) ||
      !(remembered = g_hash_table_lookup (self->tokens, token)) ||
      remembered->expires <= now)
    return NULL;
  user = g_new0 (BndUser, 1);
  user->name = g_strdup (remembered->name);
  user->org = g_strdup (remembered->org);
  user->role = remembered->role;
  return user;
}

/* What the tables answered for @token, read after bnd_server_db_tokens_lookup() said @valid: a
 * change since would have moved data_version or the count of changes past what the memory holds. */
void
bnd_server_db_tokens_remember (BndServerDb   *self,
                               const char    *token,
                               const BndUser *user,
                               gint64         expires)
{
  Remembered *remembered = g_new0 (Remembered, 1);

  if (g_hash_table_size (self->tokens) >= MAX_TOKENS)
    g_hash_table_remove_all (self->tokens);
  remembered->name = g_strdup (user->name);
  remembered->org = g_strdup (user->org);
  remembered->role = user->role;
  remembered->expires = expires;
  g_hash_table_replace (self->tokens, g_strdup (token), remembered);
}
