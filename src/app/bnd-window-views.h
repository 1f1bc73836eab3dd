/* bnd-window-views.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bnd-store.h"
#include "bnd-strategy.h"
#include "bnd-sync-manager.h"

G_BEGIN_DECLS

/* The main window's views, in the order of its view switcher (and of Alt+1 … Alt+7). */
typedef enum
{
  BND_VIEW_OVERVIEW,
  BND_VIEW_GOALS,
  BND_VIEW_FIELDS,
  BND_VIEW_REGION,
  BND_VIEW_PROCEDURE,
  BND_VIEW_SKETCHES,
  BND_VIEW_DOSSIERS,
  BND_N_VIEWS
} BndView;

typedef struct
{
  BndStrategy    *strategy;
  BndStore       *store;
  BndSyncManager *sync;
  GSettings      *settings;
} BndViewContext;

const char *bnd_view_get_name     (BndView               view);
int         bnd_view_from_name    (const char           *name);
GtkWidget  *bnd_view_new          (BndView               view);
void        bnd_view_set_context  (GtkWidget            *page,
                                   BndView               view,
                                   const BndViewContext *context);
GtkWidget  *bnd_view_build        (AdwViewStack         *stack,
                                   BndView               view,
                                   const BndViewContext *context);

G_END_DECLS
