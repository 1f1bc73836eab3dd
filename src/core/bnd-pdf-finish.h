/* bnd-pdf-finish.h: cairo's PDF made sound, with its language, by libqpdf
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean bnd_pdf_finish_load (GError       **error);
GBytes  *bnd_pdf_finish      (const guint8  *data,
                              gsize          length,
                              const char    *language,
                              GError       **error);

G_END_DECLS
