/* bnd-procedure-page.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "bnd-strategy.h"

G_BEGIN_DECLS

#define BND_TYPE_PROCEDURE_PAGE (bnd_procedure_page_get_type ())

G_DECLARE_FINAL_TYPE (BndProcedurePage, bnd_procedure_page, BND, PROCEDURE_PAGE, GtkWidget)

void       bnd_procedure_page_set_strategy (BndProcedurePage *self,
                                            BndStrategy      *strategy);
GtkWidget *bnd_procedure_page_reveal       (BndProcedurePage *self,
                                            const char       *stage_id);

G_END_DECLS
