/* bnd-strategy-private.h: what the files of BndStrategy share
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bnd-json-check.h"
#include "bnd-strategy.h"

G_BEGIN_DECLS

#define BND_STRATEGY_ID_CHARACTERS \
  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"

gboolean _bnd_strategy_parse_conditions (BndJsonCheck *check,
                                         JsonObject   *object,
                                         const char   *path,
                                         int           funding_object,
                                         GHashTable   *ids,
                                         GPtrArray    *out);
gboolean _bnd_strategy_parse_rules      (BndJsonCheck *check,
                                         JsonObject   *root,
                                         GHashTable   *ids,
                                         GPtrArray    *out);

G_END_DECLS
