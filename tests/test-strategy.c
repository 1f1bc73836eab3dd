/* test-strategy.c: the built-in pack against the printed strategy
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "bnd-indicator.h"
#include "bnd-strategy.h"

/* Table 1 of the strategy (§2.2), copied as printed: vacancy times in days, "x" = no data.
 * Columns: Celle, Harburg, Lüchow-Dannenberg, Lüneburg, Heidekreis, Uelzen; each 2020, 2023. */
static const struct
{
  const char *group;
  const char *cells[12];
} table1[] = {
  { "0",  { "266", "321", "182", "320", "98", "179", "145", "225", "225", "352", "154", "176" } },
  { "25", { "225", "374", "211", "398", "x", "x", "187", "255", "249", "396", "x", "160" } },
  { "26", { "404", "337", "202", "362", "x", "x", "165", "299", "x", "378", "x", "203" } },
  { "32", { "x", "x", "x", "623", "x", "x", "x", "x", "x", "x", "x", "x" } },
  { "34", { "x", "x", "207", "510", "x", "x", "x", "x", "x", "x", "x", "x" } },
  { "51", { "788", "723", "177", "268", "x", "x", "x", "275", "559", "655", "x", "x" } },
  { "52", { "x", "x", "175", "249", "x", "x", "x", "x", "x", "349", "x", "x" } },
  { "62", { "142", "118", "219", "227", "x", "x", "193", "174", "131", "205", "x", "162" } },
  { "81", { "260", "352", "x", "283", "x", "x", "205", "214", "192", "354", "x", "234" } },
  { "82", { "295", "x", "213", "326", "x", "x", "x", "x", "x", "x", "x", "x" } },
};

static const char *table1_districts[] = {
  "celle", "harburg", "luechow-dannenberg", "lueneburg", "heidekreis", "uelzen",
};

static BndStrategy *
load_default (void)
{
  g_autoptr(GError) error = NULL;
  BndStrategy *strategy = bnd_strategy_new_default (&error);

  g_assert_no_error (error);
  g_assert_nonnull (strategy);
  return strategy;
}

static void
test_counts (void)
{
  g_autoptr(BndStrategy) strategy = load_default ();
  const BndAlliance *alliance = bnd_strategy_get_alliance (strategy);
  GPtrArray *partners = bnd_strategy_get_partners (strategy);
  guint kinds[BND_N_PARTNER_KINDS] = { 0 };

  g_assert_cmpuint (partners->len, ==, 14);
  g_assert_cmpuint (bnd_strategy_get_districts (strategy)->len, ==, 6);
  g_assert_cmpuint (bnd_strategy_get_goals (strategy)->len, ==, 7);
  g_assert_cmpuint (bnd_strategy_get_cross_cutting_goals (strategy)->len, ==, 2);
  g_assert_cmpuint (bnd_strategy_get_fields (strategy)->len, ==, 4);
  g_assert_cmpuint (bnd_strategy_get_topics (strategy)->len, ==, 7);
  g_assert_cmpuint (bnd_strategy_get_funding_objects (strategy)->len, ==, 3);
  g_assert_cmpuint (bnd_strategy_get_page_limit (strategy), ==, 3);
  g_assert_cmpuint (bnd_strategy_get_review (strategy)->criteria->len, ==, 5);
  g_assert_cmpint (bnd_strategy_get_review (strategy)->scale_min, ==, 1);
  g_assert_cmpint (bnd_strategy_get_review (strategy)->scale_max, ==, 5);
  /* "innerhalb von ca. zwei Wochen", §4.1 */
  g_assert_cmpint (bnd_strategy_get_review (strategy)->vote_days, ==, 14);

  g_assert_cmpstr (alliance->name, ==, "Allianz für Fachkräfte Nordostniedersachsen");
  g_assert_cmpint (alliance->period_start, ==, 2024);
  g_assert_cmpint (alliance->period_end, ==, 2027);

  for (guint i = 0; i < partners->len; i++)
    kinds[((BndPartner *)g_ptr_array_index (partners, i))->kind]++;
  g_assert_cmpuint (kinds[BND_PARTNER_KIND_CHAMBER], ==, 2);
  g_assert_cmpuint (kinds[BND_PARTNER_KIND_EMPLOYERS], ==, 1);
  g_assert_cmpuint (kinds[BND_PARTNER_KIND_UNION], ==, 1);
  g_assert_cmpuint (kinds[BND_PARTNER_KIND_EMPLOYMENT_AGENCY], ==, 2);
  g_assert_cmpuint (kinds[BND_PARTNER_KIND_UNIVERSITY], ==, 2);
  g_assert_cmpuint (kinds[BND_PARTNER_KIND_DISTRICT], ==, 6);
}

static void
test_goals (void)
{
  g_autoptr(BndStrategy) strategy = load_default ();
  GPtrArray *goals = bnd_strategy_get_goals (strategy);
  static const char *titles[] = {
    "Fachkräfte gewinnen und binden",
    "Duale Berufsausbildung stärken und qualitativ weiterentwickeln",
    "Alle Fachkräftepotenziale nutzen",
    "Work-Life-Balance unterstützen",
    "Qualifizierungsangebote entwickeln und lebenslanges Lernen unterstützen",
    "Standortattraktivität steigern und besser vermarkten",
    "Attraktive, zukunftsgerechte und gute Arbeit begünstigen und ausbauen",
  };
  /* Bullets per goal as printed in chapter 3. */
  static const guint measures[] = { 8, 11, 10, 4, 7, 9, 6 };

  for (guint i = 0; i < goals->len; i++)
    {
      const BndGoal *goal = g_ptr_array_index (goals, i);
      g_autofree char *id = g_strdup_printf ("3.%u", i + 1);
      g_autoptr(GPtrArray) topics = bnd_strategy_dup_topics_for_goal (strategy, goal);

      g_assert_cmpstr (goal->id, ==, id);
      g_assert_cmpstr (goal->title, ==, titles[i]);
      g_assert_nonnull (goal->objective);
      g_assert_cmpuint (goal->measures->len, ==, measures[i]);
      g_assert_cmpuint (goal->examples->len, >=, 1);
      /* Every goal is served by at least one focus topic of §4.2. */
      g_assert_cmpuint (topics->len, >=, 1);
    }

  g_assert_cmpstr (((BndGoal *)g_ptr_array_index (goals, 0))->objective, ==,
                   "Unterstützung der Betriebe bei der Rekrutierung und Bindung qualifizierter Beschäftigter");
  g_assert_nonnull (bnd_strategy_find_goal (strategy, "digitalisierung"));
  g_assert_nonnull (bnd_strategy_find_goal (strategy, "strukturwandel"));
  g_assert_true (bnd_strategy_find_goal (strategy, "digitalisierung")->cross_cutting);
}

static void
test_fields_topics (void)
{
  g_autoptr(BndStrategy) strategy = load_default ();
  GPtrArray *topics = bnd_strategy_get_topics (strategy);
  GPtrArray *objects = bnd_strategy_get_funding_objects (strategy);
  /* §4.2: topics 1–2 in field I, 3–4 in II, 5 in III, 6–7 in IV */
  static const char *fields[] = { "I", "I", "II", "II", "III", "IV", "IV" };
  static const char *object_titles[] = {
    "Strukturprojekte", "Arbeitslosenprojekte", "Berufliche Weiterbildungsprojekte",
  };

  for (guint i = 0; i < topics->len; i++)
    {
      const BndTopic *topic = g_ptr_array_index (topics, i);

      g_assert_cmpint (topic->number, ==, i + 1);
      g_assert_cmpstr (topic->field->id, ==, fields[i]);
    }
  g_assert_cmpstr (((BndField *)g_ptr_array_index (bnd_strategy_get_fields (strategy), 1))->title, ==,
                   "Neue Potenziale erschließen");

  for (guint i = 0; i < objects->len; i++)
    g_assert_cmpstr (((BndFundingObject *)g_ptr_array_index (objects, i))->title, ==, object_titles[i]);
}

static void
test_funding_history (void)
{
  g_autoptr(BndStrategy) strategy = load_default ();
  const BndFundingHistory *history = bnd_strategy_get_funding_history (strategy);
  const BndContact *contact = bnd_strategy_get_contact (strategy);

  g_assert_cmpfloat (history->budget_eur, ==, 3850000);
  g_assert_cmpint (history->projects, ==, 30);
  g_assert_cmpstr (history->from, ==, "2015-09");
  g_assert_cmpstr (history->to, ==, "2021-08");
  g_assert_cmpstr (contact->person, ==, "Christoph Lenz");
  g_assert_cmpstr (contact->email, ==, "christoph.lenz@ihklw.de");
}

static void
test_table1 (void)
{
  g_autoptr(BndStrategy) strategy = load_default ();
  static const char *years[] = { "2020", "2023" };
  guint cells = 0, missing = 0;

  for (guint row = 0; row < G_N_ELEMENTS (table1); row++)
    for (guint col = 0; col < 12; col++)
      {
        const char *printed = table1[row].cells[col];
        const BndIndicator *indicator =
          bnd_strategy_find_table_value (strategy, "vakanzzeit", table1[row].group,
                                         table1_districts[col / 2], years[col % 2]);

        g_assert_nonnull (indicator);
        g_assert_cmpstr (indicator->unit, ==, "Tage");
        g_assert_cmpstr (indicator->figure, ==, "Tabelle 1");
        if (g_str_equal (printed, "x"))
          {
            /* "x" is no data, never zero */
            g_assert_false (indicator->has_value);
            missing++;
          }
        else
          {
            g_assert_true (indicator->has_value);
            g_assert_cmpfloat (indicator->value, ==, g_ascii_strtod (printed, NULL));
          }
        cells++;
      }

  g_assert_cmpuint (cells, ==, 120);
  g_assert_cmpuint (missing, ==, 58);
}

static void
test_regional_averages (void)
{
  g_autoptr(BndStrategy) strategy = load_default ();
  const struct { const char *area, *year; double days; } expected[] = {
    { BND_AREA_REGION, "2020", 195 },
    { BND_AREA_REGION, "2023", 282 },
    { BND_AREA_NIEDERSACHSEN, "2023", 144 },
    { BND_AREA_GERMANY, "2023", 148 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const BndIndicator *indicator =
        bnd_strategy_find_table_value (strategy, "vakanzzeit", "0", expected[i].area, expected[i].year);

      g_assert_nonnull (indicator);
      g_assert_true (indicator->has_value);
      g_assert_cmpfloat (indicator->value, ==, expected[i].days);
    }
}

/* A few figures of §2.1–2.6, each with its footnote. */
static void
test_chapter2_figures (void)
{
  g_autoptr(BndStrategy) strategy = load_default ();
  GPtrArray *indicators = bnd_strategy_get_indicators (strategy);
  const struct { const char *area; double value; const char *unit; const char *source_start; } expected[] = {
    { "luechow-dannenberg", 10.32, "%", "LSN (2024): Absolvierende" },     /* §2.2 school leavers */
    { "heidekreis", 13.2, "%", "Bundesagentur für Arbeit (2024): Tabellen" }, /* §2.3 unplaced applicants */
    { BND_AREA_NIEDERSACHSEN, 26.7, "%", "Bertelsmann Stiftung (2022)" },  /* §2.2 childcare */
    { "heidekreis", 22.8, "%", "Landesamt für Statistik Niedersachsen (2024): Bruttowertschöpfung" }, /* §2.4 */
  };

  for (guint e = 0; e < G_N_ELEMENTS (expected); e++)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < indicators->len && !found; i++)
        {
          const BndIndicator *indicator = g_ptr_array_index (indicators, i);

          found = indicator->has_value &&
                  fabs (indicator->value - expected[e].value) < 1e-9 &&
                  g_str_equal (indicator->area, expected[e].area) &&
                  g_str_equal (indicator->unit, expected[e].unit) &&
                  g_str_has_prefix (indicator->source, expected[e].source_start);
        }
      g_assert_true (found);
    }
}

static void
test_every_indicator_has_source (void)
{
  g_autoptr(BndStrategy) strategy = load_default ();
  GPtrArray *indicators = bnd_strategy_get_indicators (strategy);

  g_assert_cmpuint (indicators->len, >, 120);
  for (guint i = 0; i < indicators->len; i++)
    {
      const BndIndicator *indicator = g_ptr_array_index (indicators, i);

      g_assert_nonnull (indicator->source);
      g_assert_cmpuint (strlen (indicator->source), >, 10);
      g_assert_nonnull (indicator->unit);
      g_assert_nonnull (indicator->year);
    }
}

static void
test_template (void)
{
  g_autoptr(BndStrategy) strategy = load_default ();
  GPtrArray *sections = bnd_strategy_get_template_sections (strategy);
  GPtrArray *stages = bnd_strategy_get_stages (strategy);

  g_assert_cmpuint (sections->len, >=, 10);
  for (guint i = 0; i < sections->len; i++)
    {
      const BndTemplateSection *section = g_ptr_array_index (sections, i);

      g_assert_nonnull (section->guidance);
      /* English means English: every section says in English what it asks for, and the
       * German stays for the PDF (the tests run with LANGUAGE=C) */
      g_assert_nonnull (section->title_en);
      g_assert_nonnull (section->guidance_en);
      g_assert_cmpstr (bnd_template_section_get_title (section), ==, section->title_en);
      g_assert_cmpstr (bnd_template_section_get_guidance (section), ==, section->guidance_en);
      if (g_str_equal (section->id, "need"))
        {
          g_assert_cmpstr (section->title, ==, "Ausgangslage und Bedarf");
          g_assert_cmpstr (section->title_en, ==, "Starting point and need");
        }
    }

  /* §4.1: a three-step procedure, in order */
  g_assert_cmpuint (stages->len, >=, 3);
  g_assert_cmpint (((BndStage *)g_ptr_array_index (stages, 0))->step, ==, 1);
  g_assert_cmpint (((BndStage *)g_ptr_array_index (stages, stages->len - 1))->step, ==, 3);
  for (guint i = 1; i < stages->len; i++)
    g_assert_cmpint (((BndStage *)g_ptr_array_index (stages, i - 1))->step, <=,
                     ((BndStage *)g_ptr_array_index (stages, i))->step);
}

/* The funding conditions of §4 and the rules the strategy leaves to the alliance: data in the
 * pack, each condition citing the strategy's own words. */
static void
test_conditions_and_rules (void)
{
  g_autoptr(BndStrategy) strategy = load_default ();
  g_autoptr(GPtrArray) fg1 = bnd_strategy_dup_conditions_for (strategy, 1);
  g_autoptr(GPtrArray) fg2 = bnd_strategy_dup_conditions_for (strategy, 2);
  g_autoptr(GPtrArray) none = bnd_strategy_dup_conditions_for (strategy, 0);
  const BndCondition *period = bnd_strategy_find_condition (strategy, "funding-period");
  const BndCondition *agreed = bnd_strategy_find_condition (strategy, "fg2-arbeitsverwaltung");
  const BndCondition *carrier = bnd_strategy_find_condition (strategy, "fg2-bildungstraeger");
  const char *rules[] = { BND_RULE_SKETCH_TEMPLATE, BND_RULE_RATING_CRITERIA,
                          BND_RULE_RATING_SCALE, BND_RULE_QUORUM, BND_RULE_RECUSAL };

  /* „… auch in der Förderperiode 2021-2027 …“ (§4, p. 30) */
  g_assert_nonnull (period);
  g_assert_cmpint (period->kind, ==, BND_CONDITION_PERIOD_WITHIN);
  g_assert_cmpint (period->funding_object, ==, 0);
  g_assert_cmpstr (period->start, ==, "2021-01-01");
  g_assert_cmpstr (period->end, ==, "2027-12-31");
  g_assert_nonnull (strstr (period->source, "Förderperiode 2021-2027"));

  /* Fördergegenstand 2: agreed with the Arbeitsverwaltung beforehand, carried by a Bildungsträger */
  g_assert_nonnull (agreed);
  g_assert_cmpint (agreed->kind, ==, BND_CONDITION_CONFIRMATION);
  g_assert_cmpint (agreed->funding_object, ==, 2);
  g_assert_nonnull (strstr (agreed->source, "die vorab mit der Arbeitsverwaltung abgestimmt werden"));
  g_assert_nonnull (carrier);
  g_assert_cmpint (carrier->funding_object, ==, 2);
  g_assert_nonnull (strstr (carrier->source, "Zuwendungsempfänger sind Bildungsträger."));
  g_assert_nonnull (strstr (carrier->source, "S. 30"));
  g_assert_cmpstr (carrier->text.de, ==, "Der Projektträger ist ein Bildungsträger.");
  g_assert_nonnull (carrier->text.en);

  g_assert_cmpuint (none->len, ==, 1);
  g_assert_cmpuint (fg1->len, ==, 1);
  g_assert_true (g_ptr_array_index (fg1, 0) == period);
  g_assert_cmpuint (fg2->len, ==, 3);
  g_assert_true (g_ptr_array_index (fg2, 0) == period);
  g_assert_true (g_ptr_array_index (fg2, 1) == agreed);
  g_assert_true (g_ptr_array_index (fg2, 2) == carrier);

  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      const BndRule *rule = bnd_strategy_find_rule (strategy, rules[i]);

      g_assert_nonnull (rule);
      g_assert_cmpint (rule->set_by, ==, BND_SET_BY_ALLIANCE);
      g_assert_nonnull (strstr (rule->note.de, "Allianz"));
      g_assert_nonnull (strstr (rule->note.en, "alliance"));
    }
  g_assert_cmpuint (bnd_strategy_get_rules (strategy)->len, ==, G_N_ELEMENTS (rules));
}

static void
test_format_value (void)
{
  g_autoptr(BndStrategy) strategy = load_default ();
  const BndIndicator *missing = bnd_strategy_find_table_value (strategy, "vakanzzeit", "32", "celle", "2020");
  const BndIndicator *days = bnd_strategy_find_table_value (strategy, "vakanzzeit", "0", "celle", "2023");
  g_autofree char *missing_text = bnd_indicator_format_value (missing);
  g_autofree char *days_text = bnd_indicator_format_value (days);
  g_autofree char *decimal = bnd_format_number (2.43);
  g_autofree char *whole = bnd_format_number (282);

  g_assert_cmpstr (missing_text, ==, "no data");
  g_assert_cmpstr (days_text, ==, "321 Tage");
  g_assert_cmpstr (decimal, ==, "2.43");
  g_assert_cmpstr (whole, ==, "282");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/strategy/counts", test_counts);
  g_test_add_func ("/strategy/goals", test_goals);
  g_test_add_func ("/strategy/fields-topics", test_fields_topics);
  g_test_add_func ("/strategy/funding-history", test_funding_history);
  g_test_add_func ("/strategy/table1", test_table1);
  g_test_add_func ("/strategy/regional-averages", test_regional_averages);
  g_test_add_func ("/strategy/chapter2-figures", test_chapter2_figures);
  g_test_add_func ("/strategy/sources", test_every_indicator_has_source);
  g_test_add_func ("/strategy/template", test_template);
  g_test_add_func ("/strategy/format-value", test_format_value);
  g_test_add_func ("/strategy/conditions-and-rules", test_conditions_and_rules);

  return g_test_run ();
}
