/* bnd-server-db-tokens.c: who a bearer token belongs to, remembered while nobody changed anything
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-db"

#include "config.h"

#include "bnd-server-db-private.h"

/* Every call but login asks who its token belongs to. The answer comes from the tokens and users
 * tables, which another process changes at any time: another buendnis-server on the same
 * database signs someone out, `buendnis-server revoke-tokens`, `disable-user` or `set-role` end
 * a sign-in or change a role, and the change must count from the very next request. So what is
 * remembered counts only while the database is unchanged since:
 *
 *  - PRAGMA data_version changes whenever another connection, of this process or any other,
 *    has committed;
 *  - sqlite3_total_changes64() changes whenever this connection has written a row (a sign-out,
 *    a sign-in, any write).
 *
 * Either one moved: everything remembered is forgotten, and the tables are asked again. A token's
 * expiry is checked against the clock on every call, as the query does. Only tokens that were
 * accepted are remembered; an unknown one is looked up every time. */

/* Sign-ins remembered at most; past that the memory starts over. */
#define MAX_TOKENS 4096

typedef struct
{
  char    *name;
  char    *org;
  BndRole  role;
  gint64   expires;
} Remembered;

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
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)remembered_free);
  if (sqlite3_prepare_v3 (self->db, "PRAGMA data_version", -1, SQLITE_PREPARE_PERSISTENT,
                          &self->data_version, NULL) != SQLITE_OK)
    g_warning ("database: %s", sqlite3_errmsg (self->db));
  self->tokens_version = -1;
}

void
bnd_server_db_tokens_clear (BndServerDb *self)
{
  g_clear_pointer (&self->tokens, g_hash_table_unref);
  g_clear_pointer (&self->data_version, sqlite3_finalize);
}

/* Forgets everything when the database changed since it was remembered; FALSE when it cannot
 * tell, and then nothing is remembered. */
static gboolean
still_valid (BndServerDb *self)
{
  gint64 version, changes;

  if (self->tokens == NULL || self->data_version == NULL)
    return FALSE;
  if (sqlite3_step (self->data_version) != SQLITE_ROW)
    {
      sqlite3_reset (self->data_version);
      g_hash_table_remove_all (self->tokens);
      self->tokens_version = -1;
      return FALSE;
    }
  version = sqlite3_column_int64 (self->data_version, 0);
  sqlite3_reset (self->data_version);
  changes = sqlite3_total_changes64 (self->db);
  if (version != self->tokens_version || changes != self->tokens_changes)
    {
      g_hash_table_remove_all (self->tokens);
      self->tokens_version = version;
      self->tokens_changes = changes;
    }
  return TRUE;
}

/**
 * bnd_server_db_tokens_lookup:
 * @hash: the token's hash
 * @now: seconds since the epoch
 * @valid: (out): whether what is found now may be remembered (bnd_server_db_tokens_remember())
 *
 * Returns: (transfer full) (nullable): the token's user if it was accepted since the database last
 *   changed and has not expired; %NULL when the tables must be asked
 */
BndUser *
bnd_server_db_tokens_lookup (BndServerDb *self,
                             const char  *hash,
                             gint64       now,
                             gboolean    *valid)
{
  Remembered *remembered;
  BndUser *user;

  if (!(*valid = still_valid (self)) ||
      !(remembered = g_hash_table_lookup (self->tokens, hash)) ||
      remembered->expires <= now)
    return NULL;
  user = g_new0 (BndUser, 1);
  user->name = g_strdup (remembered->name);
  user->org = g_strdup (remembered->org);
  user->role = remembered->role;
  return user;
}

/* What the tables answered for @hash, read after bnd_server_db_tokens_lookup() said @valid: a
 * change since would have moved data_version or the count of changes past what the memory holds. */
void
bnd_server_db_tokens_remember (BndServerDb   *self,
                               const char    *hash,
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
  g_hash_table_replace (self->tokens, g_strdup (hash), remembered);
}
