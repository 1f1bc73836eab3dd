/* bnd-audit.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The hash before a dossier's first audit entry. */
#define BND_AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

char *bnd_audit_hash (const char *prev,
                      const char *dossier,
                      gint64      n,
                      gint64      at,
                      const char *actor,
                      const char *action,
                      const char *detail);

G_END_DECLS
