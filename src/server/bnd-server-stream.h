/* bnd-server-stream.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BND_TYPE_SERVER_STREAM (bnd_server_stream_get_type ())

G_DECLARE_FINAL_TYPE (BndServerStream, bnd_server_stream, BND, SERVER_STREAM, GIOStream)

BndServerStream *bnd_server_stream_new              (GIOStream       *base);
void             bnd_server_stream_set_request_due  (BndServerStream *self,
                                                     gboolean         due);
void             bnd_server_stream_set_body_follows (BndServerStream *self,
                                                     gboolean         body_follows);

G_END_DECLS
