/* bnd-amount-entry.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define BND_TYPE_AMOUNT_ENTRY (bnd_amount_entry_get_type ())

G_DECLARE_FINAL_TYPE (BndAmountEntry, bnd_amount_entry, BND, AMOUNT_ENTRY, GtkWidget)

GtkWidget   *bnd_amount_entry_new          (const char     *label);
double       bnd_amount_entry_get_value    (BndAmountEntry *self);
void         bnd_amount_entry_set_value    (BndAmountEntry *self,
                                            double          value);
void         bnd_amount_entry_set_required (BndAmountEntry *self,
                                            gboolean        required);
const char  *bnd_amount_entry_get_error    (BndAmountEntry *self);
gboolean     bnd_amount_entry_is_valid     (BndAmountEntry *self);
gboolean     bnd_amount_entry_check        (BndAmountEntry *self);
GtkEditable *bnd_amount_entry_get_editable (BndAmountEntry *self);

G_END_DECLS
