/* bnd-server-copy.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean bnd_server_copy_to_postgresql (const char  *directory,
                                        const char  *url,
                                        gint64      *n_rows,
                                        GError     **error);

G_END_DECLS
