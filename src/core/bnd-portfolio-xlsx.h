/* bnd-portfolio-xlsx.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bnd-format.h"
#include "bnd-strategy.h"

G_BEGIN_DECLS

GBytes *bnd_portfolio_to_xlsx (BndStrategy  *strategy,
                               JsonNode     *portfolio,
                               GDateTime    *generated,
                               BndLocale     locale,
                               GError      **error);

G_END_DECLS
