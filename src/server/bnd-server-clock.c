/* bnd-server-clock.c: the server's one clock for deadlines, reminders and the mail scheduler
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-clock"

#include "config.h"

#include <glib/gi18n.h>

#include "bnd-server-db-private.h"
#include "bnd-server-global-audit.h"

/* Deadlines (the rating round's, the vote's), the reminders before them and the mail scheduler's
 * retries read the time here: real time plus an offset kept in the database (server_clock), zero
 * unless `buendnis-server clock` set one. A test moves the clock of a running server by days
 * this way, and the server reads the offset at every look, so nothing restarts.
 *
 * Why this is safe in production: only whoever may write the server's database can set it, and
 * that person can change any deadline directly anyway; every change goes into the server's audit
 * trail; `buendnis-server clock` shows a clock that is off; and the clock does not touch what
 * protects accounts (token lifetimes, the sign-in throttle, the audit trail's times), which keep
 * reading real time. */

static gint64
read_offset (BndServerDb *self)
{
  g_autoptr(BndDbStmt) stmt = bnd_server_db_prepare (self, "SELECT seconds FROM server_clock WHERE id = 1", NULL);

  if (stmt == NULL || bnd_db_step (stmt) != BND_DB_ROW)
    return 0;
  return bnd_db_column_int64 (stmt, 0);
}

/**
 * bnd_server_db_now:
 *
 * Returns: the server's time in seconds since the epoch
 */
gint64
bnd_server_db_now (BndServerDb *self)
{
  return g_get_real_time () / G_USEC_PER_SEC + read_offset (self);
}

/**
 * bnd_server_db_get_clock:
 * @seconds: (out): how far the server's clock is ahead of real time (negative: behind)
 */
gboolean
bnd_server_db_get_clock (BndServerDb  *self,
                         gint64       *seconds,
                         GError      **error)
{
  g_autoptr(BndDbStmt) stmt = bnd_server_db_prepare (self, "SELECT seconds FROM server_clock WHERE id = 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = bnd_db_step (stmt);
  if (rc != BND_DB_ROW && rc != BND_DB_DONE)
    return bnd_server_db_sql_error (self, error);
  *seconds = rc == BND_DB_ROW ? bnd_db_column_int64 (stmt, 0) : 0;
  return TRUE;
}

/**
 * bnd_server_db_set_clock:
 * @seconds: how far the server's clock is to be ahead of real time; 0 sets it right
 *
 * Sets the offset and records it in the server's audit trail, together.
 */
gboolean
bnd_server_db_set_clock (BndServerDb  *self,
                         gint64        seconds,
                         const char   *actor,
                         GError      **error)
{
  g_autoptr(BndDbStmt) stmt =
    bnd_server_db_prepare (self, "INSERT INTO server_clock (id, seconds) VALUES (1, ?1) "
                                 "ON CONFLICT (id) DO UPDATE SET seconds = ?1", error);
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, seconds);

  if (stmt == NULL || !bnd_server_db_begin (self, error))
    return FALSE;
  bnd_db_bind_int64 (stmt, 1, seconds);
  if (bnd_db_step (stmt) != BND_DB_DONE)
    {
      bnd_server_db_sql_error (self, error);
      bnd_server_db_rollback (self);
      return FALSE;
    }
  if (!bnd_server_db_append_global_audit (self, actor, "clock-set", error, "seconds", text, NULL))
    {
      bnd_server_db_rollback (self);
      return FALSE;
    }
  return bnd_server_db_commit (self, error);
}
