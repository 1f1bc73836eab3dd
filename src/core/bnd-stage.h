/* bnd-stage.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *bnd_stage_get_label (const char *stage);
const char *bnd_stage_get_nth   (guint       n);

G_END_DECLS
