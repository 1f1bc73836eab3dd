/* test-pdf.c: the Projektskizze PDF, read back with poppler
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bnd-test-util.h"

#include <string.h>

#include "bnd-pdf-renderer.h"
#include "bnd-test-pdf.h"

static void
test_reference_pdf (void)
{
  g_autoptr(BndStrategy) strategy = bnd_test_load_strategy ();
  g_autoptr(BndSketch) sketch = bnd_test_load_reference (strategy);
  g_autoptr(PopplerDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *text = NULL;
  g_autofree char *title = NULL;
  g_autofree char *author = NULL;
  PopplerIndexIter *outline;
  BndPageBudget budget = { 0 };
  guint n_outline = 0, n_sections = 0;
  static const char *expected[] = {
    "Projektskizze", "Beitrag zur Strategie", "Ausgangslage und Bedarf", "„", "“", "–", "€", "ß", "ä", "ö", "ü",
    "Fachkräftesicherungsstrategie", "Arbeitsmarktintegrationsmaßnahmen",
    "Berufsorientierungsveranstaltungen", "Willkommenskulturentwicklungskonzept",
    "Statistik der Bundesagentur für Arbeit (2024)", "Seite 1 von",
  };

  pdf = bnd_pdf_render (sketch, strategy, &budget, &error);
  g_assert_no_error (error);

  document = poppler_document_new_from_bytes (pdf, NULL, &error);
  g_assert_no_error (error);

  /* The page count is what the page budget said, and within the limit */
  g_assert_cmpint (poppler_document_get_n_pages (document), ==, budget.n_pages);
  g_assert_cmpuint (budget.n_pages, <=, bnd_strategy_get_page_limit (strategy));
  g_assert_null (budget.overflow_section);

  /* The text comes back, German typography included */
  text = bnd_test_pdf_text (document);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      if (strstr (text, expected[i]) == NULL)
        g_error ("“%s” is not in the PDF's text", expected[i]);
    }

  /* Title and author */
  title = poppler_document_get_title (document);
  author = poppler_document_get_author (document);
  g_assert_cmpstr (title, ==, bnd_sketch_get_title (sketch));
  g_assert_cmpstr (author, ==, bnd_sketch_get_carrier (sketch));

  /* Every font is embedded */
  g_assert_cmpuint (bnd_test_pdf_assert_fonts_embedded (document), >=, 1);

  /* One outline entry per section, plus the strategy table */
  for (guint i = 0; i < bnd_strategy_get_template_sections (strategy)->len; i++)
    if (*bnd_sketch_get_section (sketch, ((BndTemplateSection *)g_ptr_array_index (bnd_strategy_get_template_sections (strategy), i))->id))
      n_sections++;
  outline = poppler_index_iter_new (document);
  g_assert_nonnull (outline);
  do
    n_outline++;
  while (poppler_index_iter_next (outline));
  poppler_index_iter_free (outline);
  g_assert_cmpuint (n_outline, ==, n_sections + 1);

  /* The strategy table links to the sections */
  {
    g_autoptr(PopplerPage) page = poppler_document_get_page (document, 0);
    GList *links = poppler_page_get_link_mapping (page);
    guint n_links = 0;

    for (GList *l = links; l; l = l->next)
      {
        PopplerLinkMapping *mapping = l->data;
        if (mapping->action->type == POPPLER_ACTION_GOTO_DEST)
          n_links++;
      }
    poppler_page_free_link_mapping (links);
    g_assert_cmpuint (n_links, >=, 3);
  }

  bnd_page_budget_clear (&budget);
}

static void
test_deterministic (void)
{
  g_autoptr(BndStrategy) strategy = bnd_test_load_strategy ();
  g_autoptr(BndSketch) sketch = bnd_test_load_reference (strategy);
  g_autoptr(GBytes) first = bnd_pdf_render (sketch, strategy, NULL, NULL);
  g_autoptr(GBytes) second = bnd_pdf_render (sketch, strategy, NULL, NULL);

  /* The preview shows the bytes the export writes: the same sketch gives the same bytes. */
  g_assert_nonnull (first);
  g_assert_true (g_bytes_equal (first, second));
}

static void
test_budget_over_limit (void)
{
  g_autoptr(BndStrategy) strategy = bnd_test_load_strategy ();
  g_autoptr(BndSketch) sketch = bnd_test_load_reference (strategy);
  g_autoptr(GString) long_text = g_string_new (bnd_sketch_get_section (sketch, "approach"));
  g_autoptr(GError) error = NULL;
  BndPageBudget before = { 0 }, after = { 0 };

  g_assert_true (bnd_pdf_measure (sketch, strategy, &before, &error));
  g_assert_cmpfloat (before.used_pages, >, 2.0);
  g_assert_cmpfloat (before.used_pages, <=, 3.0);

  for (guint i = 0; i < 12; i++)
    g_string_append (long_text, "\nDie Projektsteuerung tagt monatlich mit allen Partnern und berichtet dem Lenkungskreis "
                                "über Fortschritte, Hindernisse und notwendige Anpassungen des Arbeitsplans.");
  bnd_sketch_set_section (sketch, "approach", long_text->str);

  g_assert_true (bnd_pdf_measure (sketch, strategy, &after, &error));
  g_assert_cmpfloat (after.used_pages, >, before.used_pages);
  g_assert_cmpuint (after.n_pages, >, 3);
  /* It names the section where the third page ends */
  g_assert_nonnull (after.overflow_section);
  g_test_message ("page 3 ends in %s", after.overflow_section);

  bnd_page_budget_clear (&before);
  bnd_page_budget_clear (&after);
}

static void
test_quote_in_id (void)
{
  g_autoptr(BndStrategy) strategy = bnd_test_load_strategy ();
  g_autoptr(BndSketch) sketch = bnd_test_load_reference (strategy);
  GPtrArray *sections = bnd_strategy_get_template_sections (strategy);
  BndTemplateSection *section = g_ptr_array_index (sections, 0);
  static const char *hostile = "it's";
  g_autofree char *dest_name = g_strdup_printf ("section-%s", hostile);
  g_autofree char *named = NULL;
  g_autoptr(PopplerDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  PopplerDest *dest;

  /* The pack loader refuses such ids; this is the renderer's own defence. Cairo reads an
   * unescaped ' as the end of the attribute, and rendering crashed. */
  bnd_sketch_set_section (sketch, hostile, bnd_sketch_get_section (sketch, section->id));
  section->id = hostile;

  pdf = bnd_pdf_render (sketch, strategy, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pdf);

  document = poppler_document_new_from_bytes (pdf, NULL, &error);
  g_assert_no_error (error);
  /* poppler takes a named destination in its own encoding of the bytes */
  named = poppler_named_dest_from_bytestring ((const guint8 *)dest_name, strlen (dest_name));
  dest = poppler_document_find_dest (document, named);
  g_assert_nonnull (dest);
  poppler_dest_free (dest);

  /* A backslash is escaped too. (Cairo 1.16 then writes it unescaped into the PDF's name
   * tree, where it is lost, so only the rendering is checked here.) */
  bnd_sketch_set_section (sketch, "back\\slash", bnd_sketch_get_section (sketch, section->id));
  section->id = "back\\slash";
  g_clear_pointer (&pdf, g_bytes_unref);
  pdf = bnd_pdf_render (sketch, strategy, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pdf);
}

/* The confirmations a carrier gave for its Fördergegenstand are a line of the title block, in
 * the pack's German; a sketch without any has no such line. */
static void
test_confirmations (void)
{
  g_autoptr(BndStrategy) strategy = bnd_test_load_strategy ();
  g_autoptr(BndSketch) sketch = bnd_test_load_reference (strategy);
  g_autoptr(PopplerDocument) document = NULL;
  g_autoptr(PopplerDocument) without = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autofree char *text = NULL;
  g_autofree char *plain_text = NULL;
  g_autofree char *flat = NULL;
  BndPageBudget budget = { 0 };

  plain = bnd_pdf_render (sketch, strategy, &budget, &error);
  g_assert_no_error (error);
  bnd_page_budget_clear (&budget);
  without = poppler_document_new_from_bytes (plain, NULL, &error);
  g_assert_no_error (error);
  plain_text = bnd_test_pdf_text (without);
  g_assert_null (strstr (plain_text, "Bestätigt"));

  bnd_sketch_set_funding_object (sketch, 2);
  bnd_sketch_set_confirmed (sketch, "fg2-bildungstraeger", TRUE);
  bnd_sketch_set_confirmed (sketch, "fg2-arbeitsverwaltung", TRUE);
  pdf = bnd_pdf_render (sketch, strategy, &budget, &error);
  g_assert_no_error (error);
  bnd_page_budget_clear (&budget);
  document = poppler_document_new_from_bytes (pdf, NULL, &error);
  g_assert_no_error (error);
  text = bnd_test_pdf_text (document);
  flat = g_strdelimit (g_strdup (text), "\n", ' ');
  g_assert_nonnull (strstr (flat, "Bestätigt"));
  g_assert_nonnull (strstr (flat, "Der Projektträger ist ein Bildungsträger."));
  g_assert_nonnull (strstr (flat, "vorab mit der Arbeitsverwaltung"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pdf/reference", test_reference_pdf);
  g_test_add_func ("/pdf/deterministic", test_deterministic);
  g_test_add_func ("/pdf/budget-over-limit", test_budget_over_limit);
  g_test_add_func ("/pdf/quote-in-id", test_quote_in_id);
  g_test_add_func ("/pdf/confirmations", test_confirmations);

  return g_test_run ();
}
