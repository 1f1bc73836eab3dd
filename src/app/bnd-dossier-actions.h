/* bnd-dossier-actions.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "bnd-procedure.h"
#include "bnd-strategy.h"
#include "bnd-sync-manager.h"

G_BEGIN_DECLS

#define BND_TYPE_DOSSIER_ACTIONS (bnd_dossier_actions_get_type ())

G_DECLARE_FINAL_TYPE (BndDossierActions, bnd_dossier_actions, BND, DOSSIER_ACTIONS, AdwBin)

GtkWidget *bnd_dossier_actions_new (BndSyncManager *sync,
                                    BndStrategy    *strategy,
                                    const char     *uuid,
                                    JsonObject     *dossier,
                                    BndRole         role);

G_END_DECLS
