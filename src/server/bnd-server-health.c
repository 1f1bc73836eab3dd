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
 * reading the file, so a database that was deleted, truncated or overwritten would still look
 * healthy. Reading the users table reads the schema and a page of the file.
 *
 * Returns: whether the database answered
 */
gboolean
bnd_server_db_ping (BndServerDb *self)
{
  g_autoptr(sqlite3_stmt) statement = NULL;
  int status;

  if (!(statement = bnd_server_db_prepare (self, "SELECT 1 FROM users LIMIT 1", NULL)))
    return FALSE;
  if ((status = sqlite3_step (statement)) != SQLITE_ROW && status != SQLITE_DONE)
    {
      g_warning ("health check: %s", sqlite3_errstr (status));
      return FALSE;
    }
  return TRUE;
}
