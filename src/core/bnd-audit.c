/* bnd-audit.c: the hash that chains a dossier's audit entries, shared by the server that writes
 * them and the clients that check them
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "bnd-audit.h"

/**
 * bnd_audit_hash:
 * @prev: the previous entry's hash, or %BND_AUDIT_GENESIS
 *
 * Every field goes in with its length, so that no two entries hash the same text.
 *
 * Returns: (transfer full): SHA-256, hex
 */
char *
bnd_audit_hash (const char *prev,
                const char *dossier,
                gint64      n,
                gint64      at,
                const char *actor,
                const char *action,
                const char *detail)
{
  g_autofree char *text = g_strdup_printf ("%s|%s|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT "|%zu:%s|%zu:%s|%zu:%s",
                                           prev, dossier, n, at, strlen (actor), actor,
                                           strlen (action), action, strlen (detail), detail);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}
