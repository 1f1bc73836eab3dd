/* bnd-indicator.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bnd-format.h"
#include "bnd-strategy.h"

G_BEGIN_DECLS

const char *bnd_indicator_unit         (const char         *unit,
                                        BndLocale           locale);
char       *bnd_indicator_format_value (const BndIndicator *indicator,
                                        BndLocale           locale);

G_END_DECLS
