/* bnd-server-db-statements.c: the server database's prepared statements, kept for the next call
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-db"

#include "config.h"

#include "bnd-server-db-private.h"

/* Preparing a statement parses and plans its SQL, which cost more than running it for most of
 * the server's calls: the same few hundred statements, each with bound values. So a connection
 * keeps what it prepared (on PostgreSQL prepared on the connection from its second use on, see
 * bnd-server-db-pg.c). bnd_server_db_prepare() lends a kept statement for the SQL text, and
 * the end of the borrower's scope (g_autoptr (BndDbStmt), or bnd_server_db_release()) gives it
 * back reset and with its bindings cleared: it holds no lock, no read transaction and no pointer
 * to the caller's strings while it waits, so that a COMMIT, a ROLLBACK or a schema step never
 * trips over it. A statement that is lent out is never lent twice: a nested use of the same SQL
 * (a function that calls itself, say) gets a statement of its own, and only one is kept.
 *
 * The cleanup of g_autoptr (BndDbStmt) only has the statement, so the database it belongs to
 * is looked up in a table of the open databases. A statement that is not lent out by a database
 * in that table (lent before the database was closed) is finalized. */

/* The server has a few hundred fixed SQL texts; a bound keeps a mistake that builds SQL from
 * values from growing the cache without end. */
#define MAX_KEPT 512

static GMutex     databases_lock;
static GHashTable *databases;   /* the open BndServerDb */

static void
stmt_free (BndDbStmt *stmt)
{
  if (stmt->lite != NULL)
    sqlite3_finalize (stmt->lite);
  bnd_pg_stmt_free (stmt->pg);
  g_free (stmt);
}

void
bnd_server_db_statements_init (BndServerDb *self)
{
  self->kept = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)stmt_free);
  self->lent = g_hash_table_new_full (NULL, NULL, NULL, g_free);

  g_mutex_lock (&databases_lock);
  if (databases == NULL)
    databases = g_hash_table_new (NULL, NULL);
  g_hash_table_add (databases, self);
  g_mutex_unlock (&databases_lock);

  /* The shared read transaction of a turn is SQLite's (see bnd_server_db_begin_request()). */
  if (self->db != NULL &&
      (sqlite3_prepare_v3 (self->db, "BEGIN", -1, SQLITE_PREPARE_PERSISTENT, &self->begin_read, NULL) != SQLITE_OK ||
       sqlite3_prepare_v3 (self->db, "COMMIT", -1, SQLITE_PREPARE_PERSISTENT, &self->end_read, NULL) != SQLITE_OK))
    g_warning ("database: %s", sqlite3_errmsg (self->db));
}

/* Finalizes what is kept, before the connection closes. A statement still lent out stays with its
 * borrower, who finalizes it (sqlite3_close_v2() waits for that). */
void
bnd_server_db_statements_clear (BndServerDb *self)
{
  bnd_server_db_end_read (self);
  if (self->turn_source != NULL)
    {
      g_source_destroy (self->turn_source);
      g_clear_pointer (&self->turn_source, g_source_unref);
    }
  if (self->kept == NULL)
    return;
  g_mutex_lock (&databases_lock);
  g_hash_table_remove (databases, self);
  g_mutex_unlock (&databases_lock);
  g_clear_pointer (&self->kept, g_hash_table_unref);
  g_clear_pointer (&self->lent, g_hash_table_unref);
  g_clear_pointer (&self->begin_read, sqlite3_finalize);
  g_clear_pointer (&self->end_read, sqlite3_finalize);
}

/**
 * bnd_server_db_end_read:
 *
 * Ends the read transaction of bnd_server_db_begin_request(), if one is open.
 */
void
bnd_server_db_end_read (BndServerDb *self)
{
  if (!self->reading)
    return;
  self->reading = FALSE;
  self->memory_checked = FALSE;
  /* A failed statement may have ended it already. */
  if (sqlite3_get_autocommit (self->db))
    return;
  if (sqlite3_step (self->end_read) != SQLITE_DONE)
    g_warning ("database: %s", sqlite3_errmsg (self->db));
  sqlite3_reset (self->end_read);
}

/* A source that is never ready: its prepare() runs as each turn of the main loop begins, before
 * the loop waits, and ends the read transaction that the last turn's requests shared. */
typedef struct
{
  GSource      source;
  BndServerDb *db;
} TurnSource;

static gboolean
turn_prepare (GSource *source,
              gint    *timeout)
{
  BndServerDb *self = ((TurnSource *)source)->db;

  if (!self->in_request)
    bnd_server_db_end_read (self);
  *timeout = -1;
  return FALSE;
}

static gboolean
turn_dispatch (GSource     *source,
               GSourceFunc  callback,
               gpointer     user_data)
{
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs turn_funcs = { turn_prepare, NULL, turn_dispatch, NULL, NULL, NULL };

/**
 * bnd_server_db_begin_request:
 *
 * Opens a read transaction for what one request reads: the token check and the handler's reads
 * see one snapshot of the database and take its lock once, rather than once per statement. It
 * ends before anything is written (bnd_server_db_prepare() of a statement that writes,
 * bnd_server_db_begin()), so that every write goes on in a transaction of its own as before.
 *
 * The requests that one turn of the main loop serves share it while nothing has been committed
 * since it began, by any connection of any process (bnd-server-db-wal.c): then it sees what a
 * transaction of their own would, and the WAL's read lock (two fcntl() calls, a tenth of a short
 * request's time under load) is taken once for all of them. It ends when the next turn begins, so
 * that it never holds back a checkpoint while the server waits, and before anything but a
 * request reads or writes. Nothing waits on it: in WAL mode readers never block a writer of
 * another connection, nor it them.
 */
void
bnd_server_db_begin_request (BndServerDb *self)
{
  /* PostgreSQL's reads take no lock to share. */
  if (self->db == NULL)
    return;
  if (self->turn_source == NULL)
    {
      self->turn_source = g_source_new (&turn_funcs, sizeof (TurnSource));
      ((TurnSource *)self->turn_source)->db = self;
      g_source_set_static_name (self->turn_source, "[buendnis-server] main loop turns");
      g_source_attach (self->turn_source, g_main_context_get_thread_default ());
    }
  self->in_request = TRUE;
  if (self->reading && self->read_marked && !sqlite3_get_autocommit (self->db) &&
      bnd_server_db_wal_unchanged (self, self->read_mark))
    return;
  bnd_server_db_end_read (self);
  if (self->begin_read == NULL || !sqlite3_get_autocommit (self->db))
    return;
  /* The mark before the snapshot (the transaction's first read): a commit between the two only
   * makes the next request begin a transaction of its own. */
  self->read_marked = bnd_server_db_wal_mark (self, self->read_mark);
  self->reading = sqlite3_step (self->begin_read) == SQLITE_DONE;
  sqlite3_reset (self->begin_read);
}

/**
 * bnd_server_db_end_request:
 *
 * The request's handler has returned: its read transaction stays for the other requests of this
 * turn of the main loop (see bnd_server_db_begin_request()).
 */
void
bnd_server_db_end_request (BndServerDb *self)
{
  self->in_request = FALSE;
}

BndDbStmt *
bnd_server_db_prepare (BndServerDb  *self,
                       const char   *sql,
                       GError      **error)
{
  BndDbStmt *stmt = NULL;
  char *key = NULL;

  bnd_server_db_pg_ensure (self);
  if (self->kept != NULL && g_hash_table_steal_extended (self->kept, sql, (gpointer *)&key, (gpointer *)&stmt))
    g_hash_table_insert (self->lent, stmt, key);
  else
    {
      stmt = g_new0 (BndDbStmt, 1);
      stmt->owner = self;
      if (self->pg != NULL)
        stmt->pg = bnd_pg_stmt_new (self->pg, sql);
      else if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt->lite, NULL) != SQLITE_OK ||
               stmt->lite == NULL)
        {
          g_free (stmt);
          return bnd_server_db_sql_error (self, error), NULL;
        }
      if (self->lent != NULL)
        g_hash_table_insert (self->lent, stmt, g_strdup (sql));
    }

  /* A write goes into a transaction of its own, as if the request's reads had not begun one;
   * anything but a request reads as if there were none. */
  if (self->reading && (!self->in_request || !sqlite3_stmt_readonly (stmt->lite)))
    bnd_server_db_end_read (self);
  return stmt;
}

/**
 * bnd_server_db_release:
 *
 * Gives back a statement that bnd_server_db_prepare() lent, for the next call with its SQL;
 * finalizes any other. The cleanup of g_autoptr (BndDbStmt).
 */
void
bnd_server_db_release (BndDbStmt *stmt)
{
  BndServerDb *self;
  char *key = NULL;

  if (stmt == NULL)
    return;
  g_mutex_lock (&databases_lock);
  self = databases && g_hash_table_contains (databases, stmt->owner) ? stmt->owner : NULL;
  g_mutex_unlock (&databases_lock);
  if (self == NULL || !g_hash_table_steal_extended (self->lent, stmt, NULL, (gpointer *)&key))
    {
      stmt_free (stmt);
      return;
    }

  if (stmt->lite != NULL)
    {
      sqlite3_reset (stmt->lite);
      sqlite3_clear_bindings (stmt->lite);
    }
  else
    bnd_pg_stmt_clear (stmt->pg);
  if (g_hash_table_contains (self->kept, key) || g_hash_table_size (self->kept) >= MAX_KEPT)
    {
      stmt_free (stmt);
      g_free (key);
      return;
    }
  if (stmt->pg != NULL)
    bnd_pg_stmt_keep (stmt->pg);
  g_hash_table_insert (self->kept, key, stmt);
}
