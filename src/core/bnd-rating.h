/* bnd-rating.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BND_RATING_MIN 1
#define BND_RATING_MAX 5

const char * const *bnd_rating_get_criteria (void);

G_END_DECLS
