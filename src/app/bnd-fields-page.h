/* bnd-fields-page.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "bnd-strategy.h"

G_BEGIN_DECLS

typedef enum
{
  BND_FIELDS_ITEM_FIELD,
  BND_FIELDS_ITEM_TOPIC,
  BND_FIELDS_ITEM_FUNDING_OBJECT,
} BndFieldsItem;

#define BND_TYPE_FIELDS_PAGE (bnd_fields_page_get_type ())

G_DECLARE_FINAL_TYPE (BndFieldsPage, bnd_fields_page, BND, FIELDS_PAGE, GtkWidget)

void       bnd_fields_page_set_strategy (BndFieldsPage *self,
                                         BndStrategy   *strategy);
GtkWidget *bnd_fields_page_reveal       (BndFieldsPage *self,
                                         BndFieldsItem  kind,
                                         const char    *id);

G_END_DECLS
