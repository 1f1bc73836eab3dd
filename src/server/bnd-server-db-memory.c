/* bnd-server-db-memory.c: what the server remembers between requests, and when it forgets it
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-db"

#include "config.h"

#include "bnd-server-db-private.h"

/* Two answers are remembered: whose a token is (bnd-server-db-tokens.c), and that nothing an
 * organisation's role may see changed after a sequence number (below). Both come from tables
 * that another process changes at any time: another buendnis-server on the same database, an
 * admin command, a client's write through the other server. What is remembered counts only while
 * the database is unchanged since:
 *
 *  - PRAGMA data_version changes whenever another connection, of this process or any other,
 *    has committed;
 *  - sqlite3_total_changes64() changes whenever this connection has written a row (a sign-out,
 *    a sign-in, any write).
 *
 * Either one moved: everything remembered is forgotten, and the tables are asked again.
 *
 * Within a request's read transaction (bnd_server_db_begin_request()) no other connection's
 * commit can show, so data_version is asked once per transaction (which the requests of one turn
 * of the main loop share): a second question in the same transaction only looks at this
 * connection's own count of changes. */

/* Organisations whose "nothing new" is remembered at most; past that the memory starts over. */
#define MAX_ORGS 4096

typedef struct
{
  /* Per role: no change visible to it after this sequence number; G_MAXINT64 when not known */
  gint64 none_after[BND_N_ROLES];
} Quiet;

void
bnd_server_db_memory_init (BndServerDb *self)
{
  self->quiet = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->memory_version = -1;
  /* PostgreSQL has no data_version: nothing is remembered there, every request asks the tables
   * (a version row that every write bumps would bring it back). */
  if (self->db == NULL)
    return;
  if (sqlite3_prepare_v3 (self->db, "PRAGMA data_version", -1, SQLITE_PREPARE_PERSISTENT,
                          &self->data_version, NULL) != SQLITE_OK)
    g_warning ("database: %s", sqlite3_errmsg (self->db));
}

void
bnd_server_db_memory_clear (BndServerDb *self)
{
  g_clear_pointer (&self->quiet, g_hash_table_unref);
  g_clear_pointer (&self->data_version, sqlite3_finalize);
}

static void
forget (BndServerDb *self)
{
  if (self->tokens != NULL)
    g_hash_table_remove_all (self->tokens);
  if (self->quiet != NULL)
    g_hash_table_remove_all (self->quiet);
}

/**
 * bnd_server_db_memory_valid:
 *
 * Forgets everything remembered when the database changed since it was remembered.
 *
 * Returns: whether what is remembered counts, and what is read now may be remembered; %FALSE when
 *   it cannot tell, and then nothing is remembered
 */
gboolean
bnd_server_db_memory_valid (BndServerDb *self)
{
  gint64 version, changes;

  if (self->data_version == NULL)
    return FALSE;
  /* A request's read transaction left open for the next request is not for anything else. */
  if (self->reading && !self->in_request)
    bnd_server_db_end_read (self);
  changes = sqlite3_total_changes64 (self->db);
  /* Asked already in this read transaction: only this connection could have changed anything. */
  if (self->memory_checked && self->reading && !sqlite3_get_autocommit (self->db))
    {
      if (changes != self->memory_changes)
        {
          forget (self);
          self->memory_changes = changes;
        }
      return TRUE;
    }
  if (sqlite3_step (self->data_version) != SQLITE_ROW)
    {
      sqlite3_reset (self->data_version);
      forget (self);
      self->memory_version = -1;
      self->memory_checked = FALSE;
      return FALSE;
    }
  version = sqlite3_column_int64 (self->data_version, 0);
  sqlite3_reset (self->data_version);
  if (version != self->memory_version || changes != self->memory_changes)
    {
      forget (self);
      self->memory_version = version;
      self->memory_changes = changes;
    }
  self->memory_checked = self->reading && !sqlite3_get_autocommit (self->db);
  return TRUE;
}

/**
 * bnd_server_db_quiet_since:
 *
 * Returns: %TRUE when it is remembered that nothing @user's organisation and role may see
 *   changed after @since (bnd_server_db_changes() would list nothing); %FALSE when the table
 *   must be asked
 */
gboolean
bnd_server_db_quiet_since (BndServerDb   *self,
                           const BndUser *user,
                           gint64         since)
{
  Quiet *quiet;

  if (user->role >= BND_N_ROLES || !bnd_server_db_memory_valid (self) ||
      !(quiet = g_hash_table_lookup (self->quiet, user->org)))
    return FALSE;
  return quiet->none_after[user->role] <= since;
}

/* What the records table answered: nothing @user's organisation and role may see changed after
 * @seq. Read after bnd_server_db_memory_valid() said so, in the same read transaction. */
void
bnd_server_db_quiet_remember (BndServerDb   *self,
                              const BndUser *user,
                              gint64         seq)
{
  Quiet *quiet;

  if (user->role >= BND_N_ROLES || self->quiet == NULL)
    return;
  if (!(quiet = g_hash_table_lookup (self->quiet, user->org)))
    {
      if (g_hash_table_size (self->quiet) >= MAX_ORGS)
        g_hash_table_remove_all (self->quiet);
      quiet = g_new (Quiet, 1);
      for (guint i = 0; i < BND_N_ROLES; i++)
        quiet->none_after[i] = G_MAXINT64;
      g_hash_table_insert (self->quiet, g_strdup (user->org), quiet);
    }
  quiet->none_after[user->role] = MIN (quiet->none_after[user->role], seq);
}
