/* fuzz-strategy.c: the strategy pack loader, and a sketch rendered under each pack that loads
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-fuzz"

#include "config.h"

#include <string.h>

#include "bnd-pdf-renderer.h"
#include "bnd-sketch.h"
#include "bnd-strategy-search.h"
#include "fuzz-common.h"

/* The input is a pack, as `buendnis --strategy FILE` or $XDG_DATA_HOME/buendnis/strategy.json
 * would bring it. A pack that loads must answer every lookup by its own ids, and a sketch that
 * uses its sections and links must load under it and render: the ids and texts of the pack
 * reach the PDF's text and its tags. */

static char *reference;
static gsize reference_length;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  reference = fuzz_read_file ("tests/data/reference-sketch.bndsketch", &reference_length);
  return 0;
}

/* Every record of the strategy starts with its id. */
static const char *
id_at (GPtrArray *list,
       guint      i)
{
  return *(const char **)g_ptr_array_index (list, i);
}

static void
check_lookups (BndStrategy *strategy)
{
  GPtrArray *goals = bnd_strategy_get_goals (strategy);
  GPtrArray *topics = bnd_strategy_get_topics (strategy);
  GPtrArray *indicators = bnd_strategy_get_indicators (strategy);
  GPtrArray *districts = bnd_strategy_get_districts (strategy);
  GPtrArray *partners = bnd_strategy_get_partners (strategy);
  g_autoptr(GPtrArray) hits = NULL;
  g_auto(GStrv) criteria = NULL;

  for (guint i = 0; i < goals->len; i++)
    {
      g_autoptr(GPtrArray) served = NULL;

      if (bnd_strategy_find_goal (strategy, id_at (goals, i)) == NULL)
        fuzz_fail ("goal %s is not found by its id", id_at (goals, i));
      served = bnd_strategy_dup_topics_for_goal (strategy, g_ptr_array_index (goals, i));
    }
  for (guint i = 0; i < topics->len; i++)
    if (bnd_strategy_find_topic (strategy, id_at (topics, i)) == NULL)
      fuzz_fail ("topic %s is not found by its id", id_at (topics, i));
  for (guint i = 0; i < districts->len; i++)
    {
      if (bnd_strategy_find_district (strategy, id_at (districts, i)) == NULL)
        fuzz_fail ("district %s is not found by its id", id_at (districts, i));
      fuzz_check_utf8 ("an area's name", bnd_strategy_get_area_name (strategy, id_at (districts, i)));
    }
  for (guint i = 0; i < partners->len; i++)
    if (bnd_strategy_find_partner (strategy, id_at (partners, i)) == NULL)
      fuzz_fail ("partner %s is not found by its id", id_at (partners, i));
  for (guint i = 0; i < indicators->len; i++)
    {
      const BndIndicator *indicator = g_ptr_array_index (indicators, i);

      if (bnd_strategy_find_indicator (strategy, indicator->id) == NULL)
        fuzz_fail ("indicator %s is not found by its id", indicator->id);
      if (indicator->group != NULL)
        bnd_strategy_find_table_value (strategy, indicator->topic->id, indicator->group->id,
                                       indicator->area, indicator->year);
      fuzz_check_utf8 ("an area's name", bnd_strategy_get_area_name (strategy, indicator->area));
    }
  criteria = bnd_strategy_dup_criterion_ids (strategy);

  /* The search folds every text of the pack. */
  hits = bnd_strategy_search (strategy, "fachkräfte", 20);
  for (guint i = 0; i < hits->len; i++)
    {
      BndSearchHit *hit = g_ptr_array_index (hits, i);

      fuzz_check_utf8 ("a search hit's title", hit->title);
    }
}

/* A sketch that fills every section of the template and links the first ids of each list,
 * with characters that mean something in PDF, XML and tag attributes. */
static BndSketch *
sketch_for (BndStrategy *strategy)
{
  GPtrArray *sections = bnd_strategy_get_template_sections (strategy);
  GPtrArray *lists[BND_N_LINKS] = {
    [BND_LINK_GOALS] = bnd_strategy_get_goals (strategy),
    [BND_LINK_CROSS_CUTTING] = bnd_strategy_get_cross_cutting_goals (strategy),
    [BND_LINK_FIELDS] = bnd_strategy_get_fields (strategy),
    [BND_LINK_TOPICS] = bnd_strategy_get_topics (strategy),
    [BND_LINK_DISTRICTS] = bnd_strategy_get_districts (strategy),
  };
  GPtrArray *partners = bnd_strategy_get_partners (strategy);
  const char *partner_ids[3] = { NULL };
  BndCostItem costs[] = { { (char *)"Personal <&> ('x')", 12000 }, { (char *)"Sachkosten", 800.5 } };
  BndSketch *sketch = bnd_sketch_new ();

  /* The same input gives the same sketch. */
  bnd_sketch_set_uuid (sketch, "5d0c4d7e-4a8b-4c5e-9f3e-2b7a1d9c6e01");
  bnd_sketch_set_times (sketch, 1735689600, 1735689600);
  bnd_sketch_set_title (sketch, "Ein Titel (mit) <Klammern> & \\ 'Zeichen' \"x\"");
  bnd_sketch_set_carrier (sketch, "Träger e.V.");
  bnd_sketch_set_contact (sketch, "Frau Beispiel");
  bnd_sketch_set_funding_object (sketch, bnd_strategy_get_funding_objects (strategy)->len > 0);
  bnd_sketch_set_duration (sketch, "2025-01-01", "2026-12-31");
  for (guint i = 0; i < sections->len; i++)
    {
      const BndTemplateSection *section = g_ptr_array_index (sections, i);
      g_autofree char *text = g_strdup_printf ("%s\n\n%s (%%s) \\) ]] >> </a>", section->title, section->guidance);

      bnd_sketch_set_section (sketch, section->id, text);
    }
  for (guint kind = 0; kind < BND_N_LINKS; kind++)
    {
      const char *ids[3] = { NULL };

      for (guint i = 0; i < MIN (2, lists[kind]->len); i++)
        ids[i] = id_at (lists[kind], i);
      bnd_sketch_set_links (sketch, kind, ids);
    }
  for (guint i = 0; i < MIN (2, partners->len); i++)
    partner_ids[i] = id_at (partners, i);
  bnd_sketch_set_partners (sketch, partner_ids);
  bnd_sketch_set_cost_items (sketch, costs, G_N_ELEMENTS (costs));
  bnd_sketch_set_financing (sketch, 10000, 2800.5, 0);
  return sketch;
}

static void
render (BndSketch   *sketch,
        BndStrategy *strategy)
{
  g_autoptr(GPtrArray) issues = bnd_sketch_validate (sketch, strategy);
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  BndPageBudget budget = { 0 };

  for (guint i = 0; i < issues->len; i++)
    fuzz_check_utf8 ("an issue's message", ((BndSketchIssue *)g_ptr_array_index (issues, i))->message);

  pdf = bnd_pdf_render (sketch, strategy, &budget, &error);
  fuzz_check_result ("bnd_pdf_render", pdf != NULL, error);
  if (pdf != NULL && (g_bytes_get_size (pdf) < 5 || memcmp (g_bytes_get_data (pdf, NULL), "%PDF-", 5) != 0))
    fuzz_fail ("the rendered sketch is not a PDF");
  if (pdf != NULL && budget.page_limit != bnd_strategy_get_page_limit (strategy))
    fuzz_fail ("the page budget has another limit than the strategy");
  if (budget.overflow_title != NULL)
    fuzz_check_utf8 ("the overflow title", budget.overflow_title);
  bnd_page_budget_clear (&budget);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(BndStrategy) strategy = NULL;
  g_autoptr(BndSketch) made = NULL;
  g_autoptr(BndSketch) loaded = NULL;
  g_autoptr(BndSketch) reference_sketch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;
  gsize length;

  strategy = bnd_strategy_new_from_bytes (bytes, "fuzz.json", &error);
  fuzz_check_result ("bnd_strategy_new_from_bytes", strategy != NULL, error);
  if (strategy == NULL)
    return 0;

  check_lookups (strategy);

  /* A sketch made of the pack's own ids loads under it … */
  made = sketch_for (strategy);
  saved = bnd_sketch_to_data (made, &length);
  if (!(loaded = bnd_sketch_new_from_data (saved, length, "made", strategy, &error)))
    fuzz_fail ("a sketch of the pack's own sections and links does not load under it: %s", error->message);
  render (loaded, strategy);

  /* … and so does the reference sketch where the pack has its sections and links. */
  g_clear_error (&error);
  reference_sketch = bnd_sketch_new_from_data (reference, reference_length, "reference", strategy, &error);
  fuzz_check_result ("bnd_sketch_new_from_data", reference_sketch != NULL, error);
  if (reference_sketch != NULL)
    render (reference_sketch, strategy);
  return 0;
}
