/* test-strategy-search.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bnd-strategy-search.h"

static BndStrategy *
load_default (void)
{
  g_autoptr(GError) error = NULL;
  BndStrategy *strategy = bnd_strategy_new_default (&error);

  g_assert_no_error (error);
  return strategy;
}

static gboolean
has_hit (GPtrArray     *hits,
         BndSearchKind  kind,
         const char    *target)
{
  for (guint i = 0; i < hits->len; i++)
    {
      BndSearchHit *hit = g_ptr_array_index (hits, i);

      if (hit->kind == kind && g_str_equal (hit->target, target))
        return TRUE;
    }
  return FALSE;
}

static void
test_fold (void)
{
  g_autofree char *umlaut = bnd_search_fold ("Lüchow-Dannenberg");
  g_autofree char *sharp_s = bnd_search_fold ("Straße");

  g_assert_cmpstr (umlaut, ==, "luchow-dannenberg");
  g_assert_cmpstr (sharp_s, ==, "strasse");
}

/* The folding of the whole text at once, as it was before ASCII took a short cut. */
static char *
fold_whole (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);
  g_autofree char *decomposed = g_utf8_normalize (folded, -1, G_NORMALIZE_NFKD);
  GString *out = g_string_new (NULL);

  for (const char *p = decomposed; *p; p = g_utf8_next_char (p))
    if (g_unichar_type (g_utf8_get_char (p)) != G_UNICODE_NON_SPACING_MARK)
      g_string_append_unichar (out, g_utf8_get_char (p));
  return g_string_free (out, FALSE);
}

/* Combining marks after ASCII letters, ligatures, full-width and Roman numerals, Greek, the
 * capital sharp s, umlauts and marks after them, mixed with ASCII in every order: folded as the
 * whole text would be. */
static void
test_fold_runs (void)
{
  static const char *pieces[] = {
    "A", "z", " ", "-", "e\xcc\x81", "\xcc\x88", "\xc3\x9f", "\xe1\xba\x9e", "\xef\xac\x81",
    "\xef\xbc\xa1", "\xe2\x85\xa0", "\xce\xa3", "\xcf\x82", "\xc3\x85", "\xc4\xb0", "\xe2\x84\xab",
    "\xc3\x9c", "1", "\n", "\xc3\xa4", "\xc3\xb6", "\xc3\xbc", "\xc3\x84", "\xc3\x96", "\xcd\x85",
    "\xcc\xa3",
  };
  GRand *rand = g_rand_new_with_seed (11);

  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *fast = NULL;
      g_autofree char *whole = NULL;
      guint n = g_rand_int_range (rand, 1, 12);

      for (guint j = 0; j < n; j++)
        g_string_append (text, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
      fast = bnd_search_fold (text->str);
      whole = fold_whole (text->str);
      g_assert_cmpstr (fast, ==, whole);
    }
  g_rand_free (rand);
}

static void
test_goal_by_title (void)
{
  g_autoptr(BndStrategy) strategy = load_default ();
  g_autoptr(GPtrArray) hits = bnd_strategy_search (strategy, "work-life", 50);

  g_assert_cmpuint (hits->len, >=, 1);
  g_assert_cmpint (((BndSearchHit *)g_ptr_array_index (hits, 0))->kind, ==, BND_SEARCH_GOAL);
  g_assert_cmpstr (((BndSearchHit *)g_ptr_array_index (hits, 0))->target, ==, "3.4");
}

static void
test_measure (void)
{
  g_autoptr(BndStrategy) strategy = load_default ();
  /* A measure of goal 3.2, matched without its capital letters */
  g_autoptr(GPtrArray) hits = bnd_strategy_search (strategy, "duales studium stärken", 50);

  g_assert_true (has_hit (hits, BND_SEARCH_MEASURE, "3.2"));
}

static void
test_topic_and_funding_object (void)
{
  g_autoptr(BndStrategy) strategy = load_default ();
  g_autoptr(GPtrArray) topics = bnd_strategy_search (strategy, "Stillen Reserve", 50);
  g_autoptr(GPtrArray) objects = bnd_strategy_search (strategy, "Strukturprojekte", 50);

  g_assert_true (has_hit (topics, BND_SEARCH_TOPIC, "3"));
  g_assert_true (has_hit (objects, BND_SEARCH_FUNDING_OBJECT, "1"));
}

static void
test_indicator_without_accents (void)
{
  g_autoptr(BndStrategy) strategy = load_default ();
  /* Typed without umlaut, all words must match: Table 1 cells of Lüchow-Dannenberg */
  g_autoptr(GPtrArray) hits = bnd_strategy_search (strategy, "luchow verkaufsberufe", 50);

  g_assert_cmpuint (hits->len, ==, 2);
  g_assert_true (has_hit (hits, BND_SEARCH_INDICATOR, "vakanz-62-luechow-dannenberg-2020"));
  g_assert_true (has_hit (hits, BND_SEARCH_INDICATOR, "vakanz-62-luechow-dannenberg-2023"));
}

static void
test_nothing (void)
{
  g_autoptr(BndStrategy) strategy = load_default ();
  g_autoptr(GPtrArray) blank = bnd_strategy_search (strategy, "   ", 50);
  g_autoptr(GPtrArray) nonsense = bnd_strategy_search (strategy, "xyzzyquux", 50);
  g_autoptr(GPtrArray) limited = bnd_strategy_search (strategy, "e", 5);

  g_assert_cmpuint (blank->len, ==, 0);
  g_assert_cmpuint (nonsense->len, ==, 0);
  g_assert_cmpuint (limited->len, ==, 5);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/search/fold", test_fold);
  g_test_add_func ("/search/fold-runs", test_fold_runs);
  g_test_add_func ("/search/goal-by-title", test_goal_by_title);
  g_test_add_func ("/search/measure", test_measure);
  g_test_add_func ("/search/topic-and-funding-object", test_topic_and_funding_object);
  g_test_add_func ("/search/indicator-without-accents", test_indicator_without_accents);
  g_test_add_func ("/search/nothing", test_nothing);

  return g_test_run ();
}
