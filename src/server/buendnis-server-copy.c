/* buendnis-server-copy.c: buendnis-server copy, an installation moved into PostgreSQL
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <unistd.h>

#include "bnd-server-copy.h"
#include "bnd-server-dossier.h"
#include "bnd-server-maintenance.h"
#include "buendnis-server.h"

/* copy --from sqlite:DIR --to postgresql://… --data NEWDIR
 *
 * Copies DIR's server.db (only read) into an empty PostgreSQL database, then makes NEWDIR a data
 * folder that names it and verifies the audit trail there. DIR stays as it was, to go back to.
 * Refused while a server runs on DIR: what it wrote after the copy began would be left behind. */
int
bnd_cmd_copy (int    argc,
              char **argv)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *data = NULL;
  GOptionEntry entries[] = {
    { "from", 'f', 0, G_OPTION_ARG_STRING, &from, N_("The data folder to copy, as sqlite:DIR"), N_("sqlite:DIR") },
    { "to", 't', 0, G_OPTION_ARG_STRING, &to, N_("The PostgreSQL database to copy into, empty"), N_("URI") },
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data, N_("The new data folder, which names that database"), N_("DIR") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *named = NULL;
  g_autofree char *count = NULL;
  gboolean copied;
  BndServerDb *db;
  int lock;
  guint n_checked = 0;
  gint64 n_rows = 0;
  int status = 0;

  if (!bnd_cli_parse ("copy", "--from sqlite:DIR --to postgresql://… --data NEWDIR", entries, &argc, &argv, &status))
    return status;
  if (from == NULL || to == NULL || data == NULL || argc != 1)
    return bnd_cli_usage_error (_("copy needs --from sqlite:DIR, --to postgresql://… and --data NEWDIR"));
  if (!g_str_has_prefix (from, "sqlite:"))
    return bnd_cli_usage_error (_("copy reads a folder's SQLite database: --from sqlite:DIR"));
  if ((named = bnd_server_db_read_url (data)) != NULL || bnd_server_db_exists (data, NULL))
    return bnd_cli_usage_error (_("%s has a database already; give copy a new data folder"), data);

  /* Held as migrate holds it: no server runs on the folder while it is copied. */
  if ((lock = bnd_server_maintenance_lock (from + strlen ("sqlite:"), TRUE, &error)) < 0)
    return bnd_cli_failed (error);
  copied = bnd_server_copy_to_postgresql (from + strlen ("sqlite:"), to, &n_rows, &error);
  close (lock);
  /* Only a database that holds the copy is named by the new folder. */
  if (!copied || !bnd_server_db_set_url (data, to, &error))
    return bnd_cli_failed (error);
  count = g_strdup_printf ("%" G_GINT64_FORMAT, n_rows);
  /* Translators: the first %s is a number of rows, the others are folders */
  g_print (_("Copied %s rows from %s into the PostgreSQL database of %s\n"), count, from + strlen ("sqlite:"), data);

  if (!(db = bnd_server_db_open (data, FALSE, &error)))
    return bnd_cli_failed (error);
  problems = bnd_server_db_verify_audit (db, &n_checked);
  bnd_server_db_free (db);
  for (guint i = 0; i < problems->len; i++)
    g_print ("%s\n", (const char *)g_ptr_array_index (problems, i));
  if (problems->len > 0)
    return 1;
  g_print (g_dngettext (GETTEXT_PACKAGE, "The audit trail holds: %u entry checked\n",
                        "The audit trail holds: %u entries checked\n", n_checked), n_checked);
  return 0;
}
