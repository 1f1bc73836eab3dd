/* bnd-test-util.h: what several core tests load
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bnd-sketch.h"

G_BEGIN_DECLS

BndStrategy *bnd_test_load_strategy  (void);
BndSketch   *bnd_test_load_reference (BndStrategy *strategy);

G_END_DECLS
