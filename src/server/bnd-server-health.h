/* bnd-server-health.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bnd-server-db.h"

G_BEGIN_DECLS

gboolean bnd_server_db_ping (BndServerDb *db);

G_END_DECLS
