/* bnd-amount-entry.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "bnd-text-field.h"

G_BEGIN_DECLS

#define BND_TYPE_AMOUNT_ENTRY (bnd_amount_entry_get_type ())

G_DECLARE_FINAL_TYPE (BndAmountEntry, bnd_amount_entry, BND, AMOUNT_ENTRY, BndTextField)

GtkWidget *bnd_amount_entry_new       (const char     *label);
double     bnd_amount_entry_get_value (BndAmountEntry *self);
void       bnd_amount_entry_set_value (BndAmountEntry *self,
                                       double          value);

G_END_DECLS
