/* bnd-test-pdf.h: reading a PDF back with poppler, for the tests of the renderers
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <poppler.h>

G_BEGIN_DECLS

/* poppler-glib 22.12 declares no autoptr cleanups of its own */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerDocument, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerPage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PopplerFontInfo, poppler_font_info_free)

char  *bnd_test_pdf_text                  (PopplerDocument *document);
guint  bnd_test_pdf_assert_fonts_embedded (PopplerDocument *document);

G_END_DECLS
