/* bnd-test-pdf.c: reading a PDF back with poppler, for the tests of the renderers
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bnd-test-pdf.h"

/* All text of the document, with lines joined and words that the layout hyphenated put back
 * together, so that a long compound is found whole. */
char *
bnd_test_pdf_text (PopplerDocument *document)
{
  GString *text = g_string_new (NULL);
  g_autoptr(GRegex) hyphen = g_regex_new ("([[:alpha:]])[-‐]\\n([[:lower:]])", 0, 0, NULL);
  g_autofree char *joined = NULL;

  for (int i = 0; i < poppler_document_get_n_pages (document); i++)
    {
      g_autoptr(PopplerPage) page = poppler_document_get_page (document, i);
      g_autofree char *page_text = poppler_page_get_text (page);

      g_string_append_printf (text, "%s\n", page_text);
    }

  joined = g_regex_replace (hyphen, text->str, -1, 0, "\\1\\2", 0, NULL);
  g_string_free (text, TRUE);
  return g_strdelimit (g_steal_pointer (&joined), "\n", ' ');
}

/* Fails unless every font of the document is embedded; returns how many there are. */
guint
bnd_test_pdf_assert_fonts_embedded (PopplerDocument *document)
{
  g_autoptr(PopplerFontInfo) fonts = poppler_font_info_new (document);
  PopplerFontsIter *font_iter = NULL;
  guint n_fonts = 0;

  while (poppler_font_info_scan (fonts, 20, &font_iter))
    {
      do
        {
          g_test_message ("font %s embedded %d", poppler_fonts_iter_get_name (font_iter),
                          poppler_fonts_iter_is_embedded (font_iter));
          g_assert_true (poppler_fonts_iter_is_embedded (font_iter));
          n_fonts++;
        }
      while (poppler_fonts_iter_next (font_iter));
      poppler_fonts_iter_free (font_iter);
      font_iter = NULL;
    }
  return n_fonts;
}
