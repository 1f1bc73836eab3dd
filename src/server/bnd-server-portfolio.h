/* bnd-server-portfolio.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bnd-server-db.h"
#include "bnd-strategy.h"

G_BEGIN_DECLS

JsonNode *bnd_server_db_portfolio (BndServerDb   *db,
                                   const BndUser *user,
                                   BndStrategy   *strategy,
                                   GError       **error);

G_END_DECLS
