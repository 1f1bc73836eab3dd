/* bnd-field-error.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void       bnd_field_error_mark      (GtkWidget *entry,
                                      const char *error);
GtkWidget *bnd_field_error_label_new (GtkWidget *field);
GtkWidget *bnd_field_error_row_new   (GtkWidget *field);

G_END_DECLS
