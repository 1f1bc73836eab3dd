/* bnd-window.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bnd-store.h"
#include "bnd-sync-manager.h"
#include "bnd-strategy.h"

G_BEGIN_DECLS

#define BND_TYPE_WINDOW (bnd_window_get_type ())

G_DECLARE_FINAL_TYPE (BndWindow, bnd_window, BND, WINDOW, AdwApplicationWindow)

BndWindow   *bnd_window_new              (GtkApplication *application);
void         bnd_window_set_strategy     (BndWindow      *self,
                                          BndStrategy    *strategy);
BndStrategy *bnd_window_get_strategy     (BndWindow      *self);
void         bnd_window_show_error       (BndWindow      *self,
                                          const GError   *error);
const char  *bnd_window_get_visible_view (BndWindow      *self);
const char  *bnd_window_get_help_page   (BndWindow      *self);
void         bnd_window_set_search_text  (BndWindow      *self,
                                          const char     *text);
GtkListBox  *bnd_window_get_search_results (BndWindow    *self);
void         bnd_window_show_toast       (BndWindow      *self,
                                          AdwToast       *toast);
void         bnd_window_set_store        (BndWindow      *self,
                                          BndStore       *store);
void         bnd_window_open_file        (BndWindow      *self,
                                          GFile          *file);
void         bnd_window_add_toast        (BndWindow      *self,
                                          const char     *message);
BndSyncManager *bnd_window_get_sync_manager (BndWindow   *self);
GtkWidget   *bnd_window_get_view         (BndWindow      *self,
                                          const char     *name);

G_END_DECLS
