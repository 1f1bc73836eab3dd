/* bnd-server-health.c: whether the database still answers, for GET /healthz
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-health"

#include "config.h"

#include <sqlite3.h>

#include "bnd-server-db-private.h"
#include "bnd-server-health.h"

/**
 * bnd_server_db_ping:
 *
 * Asks the database for one row of a real table. "SELECT 1" would not do: it answers without
 * touching the database at all. Reading the users table takes a read transaction and needs the
 * schema, so a locked, overwritten or unreadable database fails. It cannot see a server.db that
 * was deleted under the open connection: sqlite goes on reading the unlinked file.
 *
 * Returns: whether the database answered
 */
gboolean
bnd_server_db_ping (BndServerDb *self)
{
  g_autoptr(BndDbStmt) statement = NULL;
  g_autoptr(GError) error = NULL;

  if (!(statement = bnd_server_db_prepare (self, "SELECT 1 FROM users LIMIT 1", &error)) ||
      (bnd_db_step (statement) == BND_DB_ERROR && !bnd_server_db_sql_error (self, &error)))
    {
      g_warning ("health check: %s", error->message);
      return FALSE;
    }
  return TRUE;
}
