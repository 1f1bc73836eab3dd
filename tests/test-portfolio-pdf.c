/* test-portfolio-pdf.c: the portfolio report, read back with poppler
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include "bnd-portfolio-renderer.h"
#include "bnd-test-pdf.h"
#include "bnd-test-util.h"

/* tests/data/portfolio.json: seven dossiers as GET /api/v1/portfolio answers them */
static JsonNode *
load_portfolio (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "portfolio.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static PopplerDocument *
render (BndStrategy *strategy,
        JsonNode    *portfolio)
{
  g_autoptr(GDateTime) generated = g_date_time_new_local (2026, 3, 17, 10, 0, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = bnd_portfolio_render_pdf (strategy, portfolio, generated, &error);
  PopplerDocument *document;

  g_assert_no_error (error);
  g_assert_nonnull (pdf);
  document = poppler_document_new_from_bytes (pdf, NULL, &error);
  g_assert_no_error (error);
  return document;
}

/* The document's text with every run of white space made one space, so that table rows read
 * as "Skizze eingereicht 2". */
static char *
flat_text (PopplerDocument *document)
{
  g_autofree char *text = bnd_test_pdf_text (document);
  g_autoptr(GRegex) space = g_regex_new ("\\s+", 0, 0, NULL);

  return g_regex_replace_literal (space, text, -1, 0, " ", 0, NULL);
}

static void
assert_contains (const char *text,
                 const char *expected)
{
  if (strstr (text, expected) == NULL)
    g_error ("“%s” is not in the PDF's text", expected);
}

/* The colour of the page at (@x, @y) points from its top left, rendered at 1:1. */
static void
pixel_at (PopplerPage *page,
          double       x,
          double       y,
          guint8       rgb[3])
{
  double width, height;
  cairo_surface_t *surface;
  cairo_t *cr;
  guint32 pixel;

  poppler_page_get_size (page, &width, &height);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int)ceil (width), (int)ceil (height));
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  poppler_page_render_for_printing (page, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  pixel = *(guint32 *)(void *)(cairo_image_surface_get_data (surface) +
                       (int)y * cairo_image_surface_get_stride (surface) + (int)x * 4);
  rgb[0] = (pixel >> 16) & 0xff;
  rgb[1] = (pixel >> 8) & 0xff;
  rgb[2] = pixel & 0xff;
  cairo_surface_destroy (surface);
}

typedef struct
{
  gunichar         c;
  PopplerRectangle rect;    /* from the page's top left */
} Glyph;

static int
glyph_compare (gconstpointer a,
               gconstpointer b)
{
  const Glyph *first = a, *second = b;

  return first->rect.x1 < second->rect.x1 ? -1 : first->rect.x1 > second->rect.x1;
}

/* Every character of @page where it stands */
static GArray *
page_glyphs (PopplerPage *page)
{
  g_autofree char *text = poppler_page_get_text (page);
  g_autofree PopplerRectangle *rects = NULL;
  GArray *glyphs = g_array_new (FALSE, FALSE, sizeof (Glyph));
  guint n_rects;
  const char *c = text;

  g_assert_true (poppler_page_get_text_layout (page, &rects, &n_rects));
  for (guint i = 0; i < n_rects && *c; i++, c = g_utf8_next_char (c))
    {
      Glyph glyph = { g_utf8_get_char (c), rects[i] };

      g_array_append_val (glyphs, glyph);
    }
  return glyphs;
}

/* The text between @top and @bottom, left to right, with a space where there is a gap */
static char *
line_at (GArray *glyphs,
         double  top,
         double  bottom)
{
  g_autoptr(GArray) line = g_array_new (FALSE, FALSE, sizeof (Glyph));
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < glyphs->len; i++)
    {
      Glyph *glyph = &g_array_index (glyphs, Glyph, i);
      double middle = (glyph->rect.y1 + glyph->rect.y2) / 2;

      if (middle > top && middle < bottom && !g_unichar_isspace (glyph->c))
        g_array_append_val (line, *glyph);
    }
  g_array_sort (line, glyph_compare);
  for (guint i = 0; i < line->len; i++)
    {
      Glyph *glyph = &g_array_index (line, Glyph, i);

      if (i > 0 && glyph->rect.x1 - g_array_index (line, Glyph, i - 1).rect.x2 > 1.5)
        g_string_append_c (text, ' ');
      g_string_append_unichar (text, glyph->c);
    }
  return g_string_free (text, FALSE);
}

/* Where @needle stands on @page: the rectangle of its first character, or fails */
static PopplerRectangle
find_on_page (PopplerPage *page,
              const char  *needle,
              guint        nth)
{
  g_autofree char *text = poppler_page_get_text (page);
  g_autoptr(GArray) glyphs = page_glyphs (page);
  const char *at = text;

  for (guint i = 0; (at = strstr (at, needle)) != NULL; i++, at++)
    if (i == nth)
      return g_array_index (glyphs, Glyph, g_utf8_pointer_to_offset (text, at)).rect;
  g_error ("“%s” is not on the page", needle);
}

/* The text of the table row on page @n that begins with @label, cell after cell, or NULL */
static char *
row_text (PopplerDocument *document,
          int              n,
          const char      *label)
{
  g_autoptr(PopplerPage) page = poppler_document_get_page (document, n);
  g_autofree char *text = poppler_page_get_text (page);
  g_autoptr(GArray) glyphs = page_glyphs (page);

  for (const char *at = text; (at = strstr (at, label)) != NULL; at++)
    {
      guint offset = g_utf8_pointer_to_offset (text, at);
      PopplerRectangle rect = g_array_index (glyphs, Glyph, offset).rect;
      g_autofree char *line = line_at (glyphs, rect.y1, rect.y2);

      /* The label where a row begins, not somewhere in a sentence */
      if (g_str_has_prefix (line, label))
        return g_steal_pointer (&line);
    }
  return NULL;
}

static void
assert_row (PopplerDocument *document,
            int              n,
            const char      *label,
            const char      *expected)
{
  g_autofree char *text = row_text (document, n, label);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_report (void)
{
  g_autoptr(BndStrategy) strategy = bnd_test_load_strategy ();
  g_autoptr(JsonNode) portfolio = load_portfolio ();
  g_autoptr(PopplerDocument) document = render (strategy, portfolio);
  g_autofree char *text = flat_text (document);
  g_autofree char *title = poppler_document_get_title (document);
  g_autofree char *author = poppler_document_get_author (document);
  static const char *expected[] = {
    "Portfolio der eingereichten Projekte", "Stand: 17.03.2026 · 7 eingereichte Projekte",
    /* the matrix: goals, Landkreise, the gaps */
    "3.1 Fachkräfte gewinnen und binden", "3.4 Work-Life-Balance unterstützen", "Heidekreis",
    "Uelzen", "Lücke: noch kein Projekt", "35 von 42 Feldern sind Lücken.",
    "Ziele ohne Projekt: 3.2, 3.4, 3.7",
    "Landkreise ohne Projekt: Landkreis Harburg",
    "Seite 1 von 2", "Seite 2 von 2",
  };
  /* Table rows as page, first words, the whole row */
  static const struct { int page; const char *label; const char *row; } rows[] = {
    /* the stages with their counts, empty ones too, and the total */
    { 0, "Skizze eingereicht", "Skizze eingereicht 2" },
    { 0, "Erste Einschätzung", "Erste Einschätzung 1" },
    { 0, "Langfassung angefordert", "Langfassung angefordert 0" },
    { 0, "Bewertung im Lenkungskreis", "Bewertung im Lenkungskreis 1" },
    { 0, "Umlaufverfahren", "Umlaufverfahren 1" },
    { 0, "Bewilligt", "Bewilligt 2" },
    { 0, "Zurückgezogen", "Zurückgezogen 0" },
    { 0, "Gesamt", "Gesamt 7" },
    /* the coverage counts, "–" in the gaps */
    { 0, "3.1 Fachkräfte", "3.1 Fachkräfte gewinnen und binden 1 – – – 2 –" },
    { 0, "3.4 Work-Life", "3.4 Work-Life-Balance unterstützen – – – – – –" },
    /* by Fördergegenstand, and the sums in German form */
    { 1, "1 Strukturprojekte", "1 Strukturprojekte 4 426.500 € 120.000 €" },
    { 1, "2 Arbeitslosenprojekte", "2 Arbeitslosenprojekte 1 198.067 € 198.067 €" },
    { 1, "3 Berufliche", "3 Berufliche Weiterbildungsprojekte 2 610.000 € 0 €" },
    { 1, "Alle Projekte", "Alle Projekte 7 1.234.567 € 318.067 €" },
    /* the dossiers one by one, with the partner's and the stage's names */
    { 1, "Pflegeperspektiven", "Pflegeperspektiven Heidekreis LK Heidekreis Bewilligt 186.000 €" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    assert_contains (text, expected[i]);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    assert_row (document, rows[i].page, rows[i].label, rows[i].row);
  g_assert_null (strstr (text, "newer-stage"));

  g_assert_cmpint (poppler_document_get_n_pages (document), ==, 2);
  g_assert_true (g_str_has_prefix (title, "Portfolio der eingereichten Projekte"));
  g_assert_cmpstr (author, ==, "Allianz für Fachkräfte Nordostniedersachsen");
  g_assert_cmpuint (bnd_test_pdf_assert_fonts_embedded (document), >=, 2);

  /* A gap is filled light red, a covered cell not: 3.4 × Celle is empty, 3.1 × Celle is not */
  {
    g_autoptr(PopplerPage) page = poppler_document_get_page (document, 0);
    PopplerRectangle column = find_on_page (page, "Celle", 0);
    PopplerRectangle gap_row = find_on_page (page, "Work-Life-Balance", 0);
    PopplerRectangle covered_row = find_on_page (page, "Fachkräfte gewinnen", 0);
    guint8 gap[3], covered[3];

    /* Beside the cell's text, which stands in its middle */
    pixel_at (page, column.x1 - 2, (gap_row.y1 + gap_row.y2) / 2, gap);
    pixel_at (page, column.x1 - 2, (covered_row.y1 + covered_row.y2) / 2, covered);
    g_test_message ("gap %u,%u,%u covered %u,%u,%u", gap[0], gap[1], gap[2],
                    covered[0], covered[1], covered[2]);
    g_assert_cmpuint (gap[0], >, 230);
    g_assert_cmpuint (gap[0], >, gap[2] + 20);
    g_assert_cmpuint (covered[2], >, covered[0] + 20);
  }
}

/* Stages a newer server knows are shown by their name; many dossiers run over several pages. */
static void
test_long (void)
{
  g_autoptr(BndStrategy) strategy = bnd_test_load_strategy ();
  g_autoptr(JsonNode) portfolio = load_portfolio ();
  JsonObject *root = json_node_get_object (portfolio);
  JsonArray *dossiers = json_object_get_array_member (root, "dossiers");
  g_autoptr(PopplerDocument) document = NULL;
  g_autofree char *text = NULL;
  g_autofree char *last = NULL;
  int n_pages;

  json_object_set_int_member (json_object_get_object_member (root, "by_stage"), "newer-stage", 3);
  for (guint i = 0; i < 80; i++)
    {
      JsonObject *dossier = json_object_new ();

      json_object_set_string_member (dossier, "title", i == 79 ? "Das letzte Projekt der Liste"
                                                                : "Ein weiteres Projekt");
      json_object_set_string_member (dossier, "org", "ihk-lw");
      json_object_set_string_member (dossier, "stage", "submitted");
      json_object_set_double_member (dossier, "requested", 1000 * i);
      json_array_add_object_element (dossiers, dossier);
    }
  document = render (strategy, portfolio);
  text = flat_text (document);
  n_pages = poppler_document_get_n_pages (document);
  last = g_strdup_printf ("Seite %d von %d", n_pages, n_pages);

  g_assert_cmpint (n_pages, >, 2);
  assert_row (document, 0, "newer-stage", "newer-stage 3");
  assert_row (document, 0, "Gesamt", "Gesamt 10");
  assert_row (document, n_pages - 1, "Das letzte Projekt",
              "Das letzte Projekt der Liste IHK Lüneburg-Wolfsburg Skizze eingereicht 79.000 €");
  /* The table's head again on each page it runs on to */
  assert_row (document, n_pages - 1, "Projekt", "Projekt Träger Stand Beantragt");
  assert_contains (text, last);
}

static void
test_not_a_portfolio (void)
{
  g_autoptr(BndStrategy) strategy = bnd_test_load_strategy ();
  g_autoptr(GDateTime) generated = g_date_time_new_now_local ();
  g_autoptr(JsonNode) list = json_from_string ("[]", NULL);
  g_autoptr(JsonNode) partial = json_from_string ("{\"by_stage\": {}, \"coverage\": {}}", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;

  pdf = bnd_portfolio_render_pdf (strategy, list, generated, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_null (pdf);
  g_clear_error (&error);
  pdf = bnd_portfolio_render_pdf (strategy, partial, generated, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_null (pdf);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/portfolio-pdf/report", test_report);
  g_test_add_func ("/portfolio-pdf/long", test_long);
  g_test_add_func ("/portfolio-pdf/not-a-portfolio", test_not_a_portfolio);

  return g_test_run ();
}
