/* bnd-server-global-audit.c: the server's own audit trail, of sign-ins and account changes
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-global-audit"

#include "config.h"

#include <json-glib/json-glib.h>

#include "bnd-server-db-private.h"
#include "bnd-server-dossier.h"
#include "bnd-server-global-audit.h"

/* What happens to accounts belongs to no dossier: users added, roles changed, passwords set,
 * sign-ins ended, users disabled and enabled, and the sign-ins of the coordination and the
 * administrators. It is one more chain in the audit table, named BND_SERVER_GLOBAL_TRAIL, which
 * no dossier's UUID can be: the same append-only triggers, hashes and signed head, so
 * `audit-verify` and `audit-sign` cover it with the dossiers' chains, and the API, which serves
 * a trail only by a dossier's UUID, never shows it. */

/**
 * bnd_server_db_append_global_audit:
 * @first_key: the first of the detail's keys, each followed by its string value, then %NULL
 *
 * Appends to the server's trail; the caller holds a transaction, so that the entry and what it
 * records are written together or not at all.
 */
gboolean
bnd_server_db_append_global_audit (BndServerDb  *self,
                                   const char   *actor,
                                   const char   *action,
                                   GError      **error,
                                   const char   *first_key,
                                   ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *detail = NULL;
  va_list args;

  json_builder_begin_object (builder);
  va_start (args, first_key);
  for (const char *key = first_key; key != NULL; key = va_arg (args, const char *))
    {
      json_builder_set_member_name (builder, key);
      json_builder_add_string_value (builder, va_arg (args, const char *));
    }
  va_end (args);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  json_generator_set_root (generator, node);
  detail = json_generator_to_data (generator, NULL);
  return bnd_server_db_append_audit (self, BND_SERVER_GLOBAL_TRAIL, actor, action, detail, error);
}

/* The server's trail, oldest first (of BndAuditEntry). */
GPtrArray *
bnd_server_db_global_audit (BndServerDb *self)
{
  return bnd_server_db_audit (self, BND_SERVER_GLOBAL_TRAIL);
}

/* Who ran an administration command: the system user, and the one behind sudo when there is
 * one. Whoever runs the commands may write the database anyway; this names them for the record,
 * it does not prove who they are. */
char *
bnd_server_command_line_actor (void)
{
  const char *sudo_user = g_getenv ("SUDO_USER");

  if (sudo_user != NULL && *sudo_user != 0 && g_strcmp0 (sudo_user, g_get_user_name ()) != 0)
    return g_strdup_printf ("%s via sudo by %s (command line)", g_get_user_name (), sudo_user);
  return g_strdup_printf ("%s (command line)", g_get_user_name ());
}
