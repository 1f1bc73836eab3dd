/* bnd-pdf-sketch-info.c: the document information of a sketch's PDF
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-pdf-sketch-info"

#include "config.h"

#include <cairo-pdf.h>

#include "bnd-pdf-sketch-info.h"

/**
 * bnd_pdf_set_sketch_info:
 * @surface: the PDF surface of a sketch's drawing pass
 *
 * The document information of a sketch's PDF (title, author, subject, keywords, creator, dates),
 * all from the sketch and its strategy, none from the clock or the build.
 */
void
bnd_pdf_set_sketch_info (cairo_surface_t *surface,
                         BndSketch       *sketch,
                         BndStrategy     *strategy)
{
  g_autoptr(GDateTime) created = g_date_time_new_from_unix_utc (bnd_sketch_get_created (sketch));
  g_autoptr(GDateTime) modified = g_date_time_new_from_unix_utc (bnd_sketch_get_modified (sketch));
  g_autofree char *created_text = g_date_time_format (created, "%Y-%m-%dT%H:%M:%S");
  g_autofree char *modified_text = g_date_time_format (modified, "%Y-%m-%dT%H:%M:%S");
  g_autofree char *subject = g_strdup_printf ("Projektskizze – %s", bnd_strategy_get_alliance (strategy)->name);
  g_autoptr(GString) keywords = g_string_new ("Projektskizze");
  GPtrArray *goals = bnd_sketch_get_links (sketch, BND_LINK_GOALS);

  for (guint i = 0; i < goals->len; i++)
    {
      const BndGoal *goal = bnd_strategy_find_goal (strategy, g_ptr_array_index (goals, i));
      if (goal)
        g_string_append_printf (keywords, ", %s", goal->title);
    }

  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, bnd_sketch_get_title (sketch));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, bnd_sketch_get_carrier (sketch));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT, subject);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_KEYWORDS, keywords->str);
  /* No version here: the server re-renders a submitted sketch and compares the bytes. */
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Bündnis");
  /* Dates from the sketch, not the clock: the same sketch always gives the same bytes, so the
   * preview shows exactly what the export writes. */
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, created_text);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_MOD_DATE, modified_text);
}
