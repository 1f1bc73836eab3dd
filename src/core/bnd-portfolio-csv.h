/* bnd-portfolio-csv.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

char *bnd_portfolio_to_csv (JsonNode *portfolio);

G_END_DECLS
