/* bnd-sync-url.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean bnd_sync_url_may_carry_password (const char *url);

G_END_DECLS
