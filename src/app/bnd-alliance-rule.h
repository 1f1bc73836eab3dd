/* bnd-alliance-rule.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "bnd-strategy.h"

G_BEGIN_DECLS

GtkWidget *bnd_alliance_rule_new      (BndStrategy *strategy,
                                       const char  *rule_id);
char      *bnd_alliance_rule_dup_text (BndStrategy *strategy,
                                       const char  *rule_id);

G_END_DECLS
