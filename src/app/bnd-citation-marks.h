/* bnd-citation-marks.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "bnd-strategy.h"

G_BEGIN_DECLS

void bnd_citation_marks_attach (GtkTextView *view,
                                BndStrategy *strategy);

G_END_DECLS
