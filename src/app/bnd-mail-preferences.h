/* bnd-mail-preferences.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bnd-sync-manager.h"

G_BEGIN_DECLS

#define BND_TYPE_MAIL_PREFERENCES (bnd_mail_preferences_get_type ())

G_DECLARE_FINAL_TYPE (BndMailPreferences, bnd_mail_preferences, BND, MAIL_PREFERENCES, AdwPreferencesGroup)

BndMailPreferences *bnd_mail_preferences_new    (BndSyncManager     *sync);
void                bnd_mail_preferences_reload (BndMailPreferences *self);

G_END_DECLS
