/* bnd-server-maintenance.h: upgrading, backing up and restoring the server database
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  bnd_server_maintenance_migrate (const char  *directory,
                                          int         *from,
                                          int         *to,
                                          GError     **error);
char     *bnd_server_maintenance_backup  (const char  *directory,
                                          const char  *destination,
                                          guint        keep,
                                          GPtrArray   *removed,
                                          GError     **error);
gboolean  bnd_server_maintenance_restore (const char  *source,
                                          const char  *directory,
                                          int         *from,
                                          int         *to,
                                          GError     **error);
int       bnd_server_maintenance_lock    (const char  *directory,
                                          gboolean     exclusive,
                                          GError     **error);

G_END_DECLS
