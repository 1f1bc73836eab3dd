/* bnd-server-audit-key.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* crypto_auth_hmacsha256_KEYBYTES, without making every includer include sodium.h */
#define BND_AUDIT_KEY_BYTES 32

const char *bnd_server_audit_key_default_path (void);
const char *bnd_server_audit_key_resolve      (const char  *configured);
char       *bnd_server_audit_key_problem      (const char  *path,
                                               const char  *data);
gboolean    bnd_server_audit_key_create       (const char  *path,
                                               GError     **error);
gboolean    bnd_server_audit_key_load         (const char  *path,
                                               const char  *data,
                                               guchar      *key,
                                               GError     **error);

G_END_DECLS
