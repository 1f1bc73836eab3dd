/* bnd-server-dossier.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bnd-server-db.h"

G_BEGIN_DECLS

typedef struct
{
  gint64  n;
  gint64  at;
  char   *actor;
  char   *action;
  char   *detail;   /* JSON object, as hashed */
  char   *prev;
  char   *hash;
} BndAuditEntry;

GPtrArray *bnd_server_db_audit          (BndServerDb   *db,
                                         const char    *uuid);
GPtrArray *bnd_server_db_verify_audit   (BndServerDb   *db,
                                         guint         *n_checked);
gboolean   bnd_server_db_sign_audit_heads (BndServerDb *db,
                                         guint         *n_signed,
                                         GError       **error);
void       bnd_server_db_set_audit_key  (BndServerDb   *db,
                                         const guchar  *key);
gboolean   bnd_server_db_has_audit_key  (BndServerDb   *db);
void       bnd_audit_entry_free         (BndAuditEntry *entry);

G_END_DECLS
