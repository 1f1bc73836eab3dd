/* bnd-application.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BND_TYPE_APPLICATION (bnd_application_get_type ())

G_DECLARE_FINAL_TYPE (BndApplication, bnd_application, BND, APPLICATION, AdwApplication)

BndApplication *bnd_application_new (void);

G_END_DECLS
