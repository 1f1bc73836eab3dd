/* bnd-conflicts-dialog.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bnd-store.h"

G_BEGIN_DECLS

#define BND_TYPE_CONFLICTS_DIALOG (bnd_conflicts_dialog_get_type ())

G_DECLARE_FINAL_TYPE (BndConflictsDialog, bnd_conflicts_dialog, BND, CONFLICTS_DIALOG, AdwWindow)

BndConflictsDialog *bnd_conflicts_dialog_new (GtkWindow   *parent,
                                              BndStore    *store,
                                              BndStrategy *strategy);
guint               bnd_conflicts_dialog_get_n_open (BndConflictsDialog *self);

G_END_DECLS
