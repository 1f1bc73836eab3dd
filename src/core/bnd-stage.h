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
int         bnd_stage_get_step  (const char *stage);
const char *bnd_stage_get_next  (const char *stage);
gboolean    bnd_stage_is_ending (const char *stage);
gboolean    bnd_stage_is_known  (const char *stage);
int         bnd_stage_compare   (const char *stage,
                                 const char *reference);

G_END_DECLS
