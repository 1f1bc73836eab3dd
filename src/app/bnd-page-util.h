/* bnd-page-util.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

GtkWidget *bnd_paragraph_new            (const char    *text,
                                         const char    *css_class);
GtkWidget *bnd_paragraph_row_new        (const char    *text);
GtkWidget *bnd_text_row_new             (const char    *title,
                                         const char    *subtitle);
GtkWidget *bnd_boxed_list_new           (void);
void       bnd_box_remove_all           (GtkBox        *box);
void       bnd_spin_button_guard_scroll (GtkSpinButton *spin);

typedef void (*BndWidgetTaskCallback) (GtkWidget    *owner,
                                       GAsyncResult *result,
                                       gpointer      user_data);

GTask     *bnd_widget_task_new          (GtkWidget             *owner,
                                         GCancellable          *cancellable,
                                         BndWidgetTaskCallback  callback,
                                         gpointer               user_data);

G_END_DECLS
