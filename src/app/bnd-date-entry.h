/* bnd-date-entry.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "bnd-text-field.h"

G_BEGIN_DECLS

#define BND_TYPE_DATE_ENTRY (bnd_date_entry_get_type ())

G_DECLARE_FINAL_TYPE (BndDateEntry, bnd_date_entry, BND, DATE_ENTRY, BndTextField)

GtkWidget  *bnd_date_entry_new        (const char   *label);
const char *bnd_date_entry_get_date   (BndDateEntry *self);
void        bnd_date_entry_set_date   (BndDateEntry *self,
                                       const char   *iso);
GtkWidget  *bnd_date_entry_get_button (BndDateEntry *self);

G_END_DECLS
