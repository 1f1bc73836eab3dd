/* bnd-indicator.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bnd-strategy.h"

G_BEGIN_DECLS

char *bnd_format_number          (double              value);
char *bnd_indicator_format_value (const BndIndicator *indicator);

G_END_DECLS
