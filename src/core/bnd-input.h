/* bnd-input.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char    *bnd_input_parse_date   (const char  *text);
char    *bnd_input_parse_time   (const char  *text);

G_END_DECLS
