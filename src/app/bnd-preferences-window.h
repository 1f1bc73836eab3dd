/* bnd-preferences-window.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bnd-sync-manager.h"

G_BEGIN_DECLS

#define BND_TYPE_PREFERENCES_WINDOW (bnd_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (BndPreferencesWindow, bnd_preferences_window, BND, PREFERENCES_WINDOW, AdwPreferencesWindow)

BndPreferencesWindow *bnd_preferences_window_new (GtkWindow      *parent,
                                                  BndSyncManager *sync);

G_END_DECLS
