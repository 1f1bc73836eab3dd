/* bnd-server-output.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BND_TYPE_SERVER_OUTPUT (bnd_server_output_get_type ())

G_DECLARE_FINAL_TYPE (BndServerOutput, bnd_server_output, BND, SERVER_OUTPUT, GOutputStream)

BndServerOutput *bnd_server_output_new              (GOutputStream   *base);
void             bnd_server_output_set_body_follows (BndServerOutput *self,
                                                     gboolean         body_follows);

G_END_DECLS
