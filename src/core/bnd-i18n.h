/* bnd-i18n.h: the locale and the message catalogue, for every program of Bündnis
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void bnd_i18n_init (void);

G_END_DECLS
