/* bnd-version-dialog.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bnd-store.h"

G_BEGIN_DECLS

#define BND_TYPE_VERSION_DIALOG (bnd_version_dialog_get_type ())

G_DECLARE_FINAL_TYPE (BndVersionDialog, bnd_version_dialog, BND, VERSION_DIALOG, AdwWindow)

BndVersionDialog *bnd_version_dialog_new (GtkWindow   *parent,
                                          BndStore    *store,
                                          BndStrategy *strategy,
                                          BndSketch   *current);

G_END_DECLS
