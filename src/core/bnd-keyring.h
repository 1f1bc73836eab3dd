/* bnd-keyring.h: the sign-in token in the desktop keyring, through libsecret loaded at first use
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean  bnd_keyring_store_sync    (const char           *server,
                                     const char           *profile,
                                     const char           *token,
                                     GError              **error);
char     *bnd_keyring_lookup_sync   (const char           *server,
                                     const char           *profile,
                                     GError              **error);
void      bnd_keyring_clear_sync    (const char           *server,
                                     const char           *profile);
void      bnd_keyring_store         (const char           *server,
                                     const char           *profile,
                                     const char           *token);
void      bnd_keyring_lookup        (const char           *server,
                                     const char           *profile,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
char     *bnd_keyring_lookup_finish (GAsyncResult         *result,
                                     GError              **error);
void      bnd_keyring_clear         (const char           *server,
                                     const char           *profile);

G_END_DECLS
