/* bnd-pdf-layout.c: what the PDF documents share: the A4 page, text, table rows, numbers
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-pdf-layout"

#include "config.h"

#include <cairo-pdf.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "bnd-pdf-finish.h"
#include "bnd-pdf-layout.h"

/* The documents (the statement of the Lenkungskreis, the portfolio) are laid out top down on
 * A4: each helper draws at a y and returns the height it used, so the caller adds it up. */

static gpointer
load_qpdf_thread (gpointer data)
{
  /* A failure is reported where the PDF is finished, by the same call. */
  bnd_pdf_finish_load (NULL);
  return NULL;
}

/**
 * bnd_pdf_prepare:
 *
 * Starts in the background, once, what a process's first PDF otherwise waits for in turn:
 * fontconfig reading its configuration and font list (pango starts that on a thread of its own
 * when the calling thread's first font map is made) and the loading of libqpdf. Call it on the
 * thread that will lay the PDF out, early, where a PDF is sure to follow (buendnis-cli's exports:
 * the strategy pack is read meanwhile); it returns at once.
 */
void
bnd_pdf_prepare (void)
{
  static gsize started = 0;

  pango_cairo_font_map_get_default ();
  if (g_once_init_enter (&started))
    {
      GThread *thread = g_thread_try_new ("bnd-pdf-prepare", load_qpdf_thread, NULL, NULL);

      /* Without the thread, the first PDF loads libqpdf itself */
      if (thread != NULL)
        g_thread_unref (thread);
      g_once_init_leave (&started, 1);
    }
}

static cairo_status_t
append_cb (void                *closure,
           const unsigned char *data,
           unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static cairo_status_t
discard_cb (void                *closure,
            const unsigned char *data,
            unsigned int         length)
{
  return CAIRO_STATUS_SUCCESS;
}

/**
 * bnd_pdf_surface_new:
 * @out: (nullable): where the PDF goes; %NULL for a measuring pass that keeps nothing
 *
 * Returns: (transfer full): an A4 PDF surface
 */
cairo_surface_t *
bnd_pdf_surface_new (GByteArray *out)
{
  return cairo_pdf_surface_create_for_stream (out ? append_cb : discard_cb, out,
                                              BND_PDF_PAGE_WIDTH, BND_PDF_PAGE_HEIGHT);
}

/**
 * bnd_pdf_set_dates:
 * @created: when the document's content came to be, in Unix time
 * @modified: when it last changed
 *
 * Dates from the document's data, not the clock: without them cairo writes the time of the
 * render, and the same input would not give the same bytes.
 */
void
bnd_pdf_set_dates (cairo_surface_t *surface,
                   gint64           created,
                   gint64           modified)
{
  g_autoptr(GDateTime) created_utc = g_date_time_new_from_unix_utc (created);
  g_autoptr(GDateTime) modified_utc = g_date_time_new_from_unix_utc (MAX (created, modified));
  g_autofree char *created_text = g_date_time_format (created_utc, "%Y-%m-%dT%H:%M:%S");
  g_autofree char *modified_text = g_date_time_format (modified_utc, "%Y-%m-%dT%H:%M:%S");

  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, created_text);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_MOD_DATE, modified_text);
}

/**
 * bnd_pdf_surface_finish:
 * @surface: a surface from bnd_pdf_surface_new(), drawn on; it is finished and destroyed here
 * @out: what the surface wrote to; it is freed here
 * @language: the document's language, "de-DE" or "en"
 *
 * Ends a document: what cairo wrote goes through bnd_pdf_finish(), which makes it sound and adds
 * its language.
 *
 * Returns: (transfer full) (nullable): the PDF
 */
GBytes *
bnd_pdf_surface_finish (cairo_surface_t  *surface,
                        GByteArray       *out,
                        const char       *language,
                        GError          **error)
{
  g_autoptr(GByteArray) written = out;
  cairo_status_t status;

  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write the PDF: %s"),
                   cairo_status_to_string (status));
      return NULL;
    }
  return bnd_pdf_finish (written->data, written->len, language, error);
}

/**
 * bnd_pdf_text_aligned:
 *
 * Draws @text (plain, not markup) with its top at @y, wrapped to @width.
 *
 * Returns: the height used
 */
double
bnd_pdf_text_aligned (cairo_t        *cr,
                      double          x,
                      double          y,
                      double          width,
                      const char     *text,
                      double          size,
                      gboolean        bold,
                      PangoAlignment  align)
{
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (BND_PDF_FONT);
  PangoLayout *layout = pango_cairo_create_layout (cr);
  int height;

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, width * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, align);
  pango_layout_set_text (layout, text, -1);
  /* Whole points: glyphs on fractional positions come out heavier in some viewers. */
  cairo_move_to (cr, x, round (y));
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_size (layout, NULL, &height);
  g_object_unref (layout);
  return height / (double)PANGO_SCALE;
}

double
bnd_pdf_text (cairo_t    *cr,
              double      x,
              double      y,
              double      width,
              const char *text,
              double      size,
              gboolean    bold)
{
  return bnd_pdf_text_aligned (cr, x, y, width, text, size, bold, PANGO_ALIGN_LEFT);
}

/* Structure tags: what a screen reader, a reflowing viewer or an archive validator reads the
 * page by. The roles are the standard ones of PDF (H1…H3, P, L, LI, Lbl, LBody, Table, TR, TH,
 * TD) under one "Document" that holds the whole; cairo writes the structure tree from them and
 * marks the content drawn in between. Tags drawn on a measuring surface are recorded and thrown
 * away with it. */

/**
 * bnd_pdf_tag_begin:
 * @role: a standard structure type, "H1", "P", "Table", …
 *
 * Opens a structure element; close it with bnd_pdf_tag_end() and the same @role.
 */
void
bnd_pdf_tag_begin (cairo_t    *cr,
                   const char *role)
{
  cairo_tag_begin (cr, role, "");
}

void
bnd_pdf_tag_end (cairo_t    *cr,
                 const char *role)
{
  cairo_tag_end (cr, role);
}

/**
 * bnd_pdf_tagged_text:
 * @role: the structure type of @text: "H1", "P", "TD", …
 *
 * bnd_pdf_text() in a structure element of its own.
 *
 * Returns: the height used
 */
double
bnd_pdf_tagged_text (cairo_t    *cr,
                     const char *role,
                     double      x,
                     double      y,
                     double      width,
                     const char *text,
                     double      size,
                     gboolean    bold)
{
  double height;

  bnd_pdf_tag_begin (cr, role);
  height = bnd_pdf_text (cr, x, y, width, text, size, bold);
  bnd_pdf_tag_end (cr, role);
  return height;
}

static double
tagged_row (cairo_t            *cr,
            const char         *role,
            double              x,
            double              y,
            const BndPdfColumn *columns,
            const char * const *cells,
            guint               n_cells,
            double              size,
            gboolean            bold)
{
  double height = 0;

  bnd_pdf_tag_begin (cr, "TR");
  for (guint i = 0; i < n_cells; i++)
    {
      bnd_pdf_tag_begin (cr, role);
      height = MAX (height, bnd_pdf_text_aligned (cr, x + columns[i].x, y, columns[i].width, cells[i],
                                                  size, bold, columns[i].align));
      bnd_pdf_tag_end (cr, role);
    }
  bnd_pdf_tag_end (cr, "TR");
  return height;
}

/**
 * bnd_pdf_table_head:
 * @columns: (array length=n_cells): where each cell goes, from @x
 * @cells: (array length=n_cells): the column heads
 *
 * A table's head row, in bold, tagged as header cells; draw it inside a "Table" element.
 *
 * Returns: the height of the tallest cell
 */
double
bnd_pdf_table_head (cairo_t            *cr,
                    double              x,
                    double              y,
                    const BndPdfColumn *columns,
                    const char * const *cells,
                    guint               n_cells,
                    double              size)
{
  return tagged_row (cr, "TH", x, y, columns, cells, n_cells, size, TRUE);
}

/**
 * bnd_pdf_table_row:
 * @columns: (array length=n_cells): where each cell goes, from @x
 * @cells: (array length=n_cells): the cells' text
 *
 * A table's row of data cells; draw it inside a "Table" element.
 *
 * Returns: the height of the tallest cell
 */
double
bnd_pdf_table_row (cairo_t            *cr,
                   double              x,
                   double              y,
                   const BndPdfColumn *columns,
                   const char * const *cells,
                   guint               n_cells,
                   double              size,
                   gboolean            bold)
{
  return tagged_row (cr, "TD", x, y, columns, cells, n_cells, size, bold);
}

/* A thin line under a table's head. */
void
bnd_pdf_rule (cairo_t *cr,
              double   x,
              double   y,
              double   width)
{
  cairo_set_line_width (cr, 0.6);
  cairo_move_to (cr, x, y);
  cairo_line_to (cr, x + width, y);
  cairo_stroke (cr);
}

/**
 * bnd_pdf_measure_height:
 *
 * Runs @draw on a scratch surface, so that something can be kept whole on one page.
 *
 * Returns: the height @draw says it used
 */
double
bnd_pdf_measure_height (BndPdfDrawFunc draw,
                        gpointer       user_data)
{
  cairo_surface_t *scratch = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cairo_t *cr = cairo_create (scratch);
  double height = draw (cr, 0, user_data);

  cairo_destroy (cr);
  cairo_surface_destroy (scratch);
  return height;
}

/**
 * bnd_pdf_room_for:
 *
 * Starts a new page when fewer than @needed points are left above @bottom.
 *
 * Returns: where to go on: @y, or @top of the new page
 */
double
bnd_pdf_room_for (cairo_t *cr,
                  double   y,
                  double   needed,
                  double   top,
                  double   bottom)
{
  if (y + needed <= bottom)
    return y;
  cairo_show_page (cr);
  return top;
}

