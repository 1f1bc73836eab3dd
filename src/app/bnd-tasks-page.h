/* bnd-tasks-page.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bnd-store.h"

G_BEGIN_DECLS

#define BND_TYPE_TASKS_PAGE (bnd_tasks_page_get_type ())

G_DECLARE_FINAL_TYPE (BndTasksPage, bnd_tasks_page, BND, TASKS_PAGE, GtkWidget)

GtkWidget *bnd_tasks_page_new    (void);
guint      bnd_tasks_page_reload (BndTasksPage *self,
                                  GPtrArray    *tasks,
                                  gboolean      signed_in);

G_END_DECLS
