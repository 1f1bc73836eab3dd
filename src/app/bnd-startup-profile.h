/* bnd-startup-profile.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void     bnd_startup_profile_init    (void);
gboolean bnd_startup_profile_enabled (void);
gint64   bnd_startup_profile_begin   (void);
void     bnd_startup_profile_end     (const char *phase,
                                      gint64      begin);
void     bnd_startup_profile_add     (const char *phase,
                                      gint64      begin,
                                      gint64      end);
void     bnd_startup_profile_mark    (const char *event);
double   bnd_startup_profile_elapsed (void);
void     bnd_startup_profile_print   (void);

G_END_DECLS
