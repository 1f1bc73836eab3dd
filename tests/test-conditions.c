/* test-conditions.c: the strategy pack's funding conditions as items of a sketch's "still to do"
 * list, the confirmations a sketch keeps, and how they survive a file and a merge
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "bnd-merge.h"
#include "bnd-test-util.h"

#define AGREED  "fg2-arbeitsverwaltung"
#define CARRIER "fg2-bildungstraeger"

/* The condition issues of @sketch, as "field" strings in order. */
static char *
condition_issues (BndSketch   *sketch,
                  BndStrategy *strategy)
{
  g_autoptr(GPtrArray) issues = bnd_sketch_validate (sketch, strategy);
  g_autoptr(GString) fields = g_string_new (NULL);

  for (guint i = 0; i < issues->len; i++)
    {
      BndSketchIssue *issue = g_ptr_array_index (issues, i);

      if (!g_str_has_prefix (issue->field, "condition:"))
        {
          g_assert_null (issue->source);
          continue;
        }
      g_assert_nonnull (issue->source);
      g_assert_nonnull (strstr (issue->source, "S. 30"));
      g_string_append_printf (fields, "%s%s", fields->len ? " " : "", issue->field + strlen ("condition:"));
    }
  return g_string_free (g_steal_pointer (&fields), FALSE);
}

static void
test_period (void)
{
  g_autoptr(BndStrategy) strategy = bnd_test_load_strategy ();
  g_autoptr(BndSketch) sketch = bnd_test_load_reference (strategy);
  const struct { const char *start, *end; gboolean met; } periods[] = {
    { "2026-01-01", "2027-12-31", TRUE },   /* inside, to the last day */
    { "2021-01-01", "2021-01-01", TRUE },   /* the first day */
    { "2027-01-01", "2028-12-31", FALSE },  /* partly: ends after the period */
    { "2020-07-01", "2021-06-30", FALSE },  /* partly: starts before it */
    { "2028-01-01", "2029-12-31", FALSE },  /* wholly after */
    { "2019-01-01", "2030-12-31", FALSE },  /* around it */
  };
  g_autoptr(GPtrArray) issues = NULL;
  g_autofree char *undated = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (periods); i++)
    {
      g_autofree char *fields = NULL;

      bnd_sketch_set_duration (sketch, periods[i].start, periods[i].end);
      fields = condition_issues (sketch, strategy);
      g_test_message ("%s – %s: %s", periods[i].start, periods[i].end, fields);
      g_assert_cmpstr (fields, ==, periods[i].met ? "" : "funding-period");
      g_assert_cmpint (bnd_sketch_meets_condition (sketch, bnd_strategy_find_condition (strategy, "funding-period")),
                       ==, periods[i].met);
    }

  /* The sentence names both periods and the condition; the source is the strategy's words. */
  issues = bnd_sketch_validate (sketch, strategy);
  for (guint i = 0; i < issues->len; i++)
    {
      BndSketchIssue *issue = g_ptr_array_index (issues, i);

      if (!g_str_equal (issue->field, "condition:funding-period"))
        continue;
      g_assert_nonnull (strstr (issue->message, "2019-01-01"));
      g_assert_nonnull (strstr (issue->message, "2027-12-31"));
      g_assert_nonnull (strstr (issue->message, "funding period 2021–2027"));
      g_assert_nonnull (strstr (issue->source, "Förderperiode 2021-2027"));
    }

  /* Without dates the duration's own issue speaks; the condition does not add a second. */
  bnd_sketch_set_duration (sketch, "", "2030-01-01");
  undated = condition_issues (sketch, strategy);
  g_assert_cmpstr (undated, ==, "");
}

static void
test_funding_objects (void)
{
  g_autoptr(BndStrategy) strategy = bnd_test_load_strategy ();
  g_autoptr(BndSketch) sketch = bnd_test_load_reference (strategy);
  g_autoptr(GPtrArray) issues = NULL;
  g_autofree char *fg1 = NULL, *fg2 = NULL, *one = NULL, *both = NULL, *fg3 = NULL, *back = NULL;

  g_assert_cmpint (bnd_sketch_get_funding_object (sketch), ==, 1);
  fg1 = condition_issues (sketch, strategy);
  g_assert_cmpstr (fg1, ==, "");

  /* Fördergegenstand 2 asks for both confirmations. */
  bnd_sketch_set_funding_object (sketch, 2);
  fg2 = condition_issues (sketch, strategy);
  g_assert_cmpstr (fg2, ==, AGREED " " CARRIER);
  issues = bnd_sketch_validate (sketch, strategy);
  g_assert_cmpuint (issues->len, ==, 2);
  g_assert_nonnull (strstr (((BndSketchIssue *)g_ptr_array_index (issues, 1))->message,
                            "The carrier is an education provider (Bildungsträger)."));
  g_assert_nonnull (strstr (((BndSketchIssue *)g_ptr_array_index (issues, 1))->source,
                            "„Zuwendungsempfänger sind Bildungsträger.“"));
  g_assert_nonnull (strstr (((BndSketchIssue *)g_ptr_array_index (issues, 0))->source,
                            "vorab mit der Arbeitsverwaltung abgestimmt"));

  bnd_sketch_set_confirmed (sketch, CARRIER, TRUE);
  one = condition_issues (sketch, strategy);
  g_assert_cmpstr (one, ==, AGREED);
  bnd_sketch_set_confirmed (sketch, AGREED, TRUE);
  both = condition_issues (sketch, strategy);
  g_assert_cmpstr (both, ==, "");
  g_clear_pointer (&issues, g_ptr_array_unref);
  issues = bnd_sketch_validate (sketch, strategy);
  g_assert_cmpuint (issues->len, ==, 0);

  /* Confirmations of another Fördergegenstand do not matter to this one … */
  bnd_sketch_set_funding_object (sketch, 3);
  fg3 = condition_issues (sketch, strategy);
  g_assert_cmpstr (fg3, ==, "");
  /* … and taking one back brings its item back. */
  bnd_sketch_set_funding_object (sketch, 2);
  bnd_sketch_set_confirmed (sketch, AGREED, FALSE);
  back = condition_issues (sketch, strategy);
  g_assert_cmpstr (back, ==, AGREED);
}

static void
on_changed_cb (BndSketch *sketch,
               guint     *n_changes)
{
  (*n_changes)++;
}

static void
test_confirmations_edit (void)
{
  g_autoptr(BndSketch) sketch = bnd_sketch_new ();
  GPtrArray *ids = bnd_sketch_get_confirmations (sketch);
  const char *unsorted[] = { "b", "a", "b", NULL };
  guint n_changes = 0;

  g_signal_connect (sketch, "changed", G_CALLBACK (on_changed_cb), &n_changes);
  bnd_sketch_set_confirmed (sketch, "b", TRUE);
  bnd_sketch_set_confirmed (sketch, "a", TRUE);
  bnd_sketch_set_confirmed (sketch, "a", TRUE);      /* no change */
  g_assert_cmpuint (n_changes, ==, 2);
  ids = bnd_sketch_get_confirmations (sketch);
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (ids, 0), ==, "a");
  g_assert_cmpstr (g_ptr_array_index (ids, 1), ==, "b");

  bnd_sketch_set_confirmations (sketch, unsorted);   /* the same set */
  g_assert_cmpuint (n_changes, ==, 2);
  bnd_sketch_set_confirmed (sketch, "a", FALSE);
  g_assert_cmpuint (n_changes, ==, 3);
  g_assert_false (bnd_sketch_has_confirmation (sketch, "a"));
  g_assert_true (bnd_sketch_has_confirmation (sketch, "b"));
  bnd_sketch_set_confirmations (sketch, NULL);
  g_assert_cmpuint (n_changes, ==, 4);
  g_assert_cmpuint (bnd_sketch_get_confirmations (sketch)->len, ==, 0);
}

static void
test_round_trip (void)
{
  g_autoptr(BndStrategy) strategy = bnd_test_load_strategy ();
  g_autoptr(BndSketch) sketch = bnd_test_load_reference (strategy);
  g_autoptr(BndSketch) loaded = NULL;
  g_autoptr(BndSketch) old = NULL;
  g_autoptr(BndSketch) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *again = NULL;
  g_autofree char *old_data = NULL;
  GPtrArray *ids;
  gint64 modified;

  bnd_sketch_set_funding_object (sketch, 2);
  bnd_sketch_set_confirmed (sketch, CARRIER, TRUE);
  bnd_sketch_set_confirmed (sketch, AGREED, TRUE);
  bnd_sketch_set_times (sketch, bnd_sketch_get_created (sketch), 1767225600);
  data = bnd_sketch_to_data (sketch, NULL);
  g_assert_nonnull (strstr (data, "\"confirmations\" : [\n    \"" AGREED "\",\n    \"" CARRIER "\"\n  ]"));

  loaded = bnd_sketch_new_from_data (data, strlen (data), "test", strategy, &error);
  g_assert_no_error (error);
  ids = bnd_sketch_get_confirmations (loaded);
  g_assert_cmpuint (ids->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (ids, 0), ==, AGREED);
  /* Loading is not an edit. */
  modified = bnd_sketch_get_modified (loaded);
  g_assert_cmpint (modified, ==, 1767225600);
  again = bnd_sketch_to_data (loaded, NULL);
  g_assert_cmpstr (again, ==, data);
  copy = bnd_sketch_copy (loaded);
  g_assert_true (bnd_sketch_has_confirmation (copy, CARRIER));

  /* A file from before the conditions has none and still loads. */
  old = bnd_test_load_reference (strategy);
  old_data = bnd_sketch_to_data (old, NULL);
  {
    g_autoptr(JsonNode) node = json_from_string (old_data, NULL);
    g_autoptr(BndSketch) without = NULL;

    json_object_remove_member (json_node_get_object (node), "confirmations");
    without = bnd_sketch_new_from_json (node, strategy, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (bnd_sketch_get_confirmations (without)->len, ==, 0);

    /* Not a list, or an empty id: refused with the path. */
    json_object_set_string_member (json_node_get_object (node), "confirmations", CARRIER);
    g_assert_null (bnd_sketch_new_from_json (node, strategy, &error));
    g_assert_nonnull (strstr (error->message, "$.confirmations"));
    g_clear_error (&error);
  }
}

static void
test_merge (void)
{
  g_autoptr(BndStrategy) strategy = bnd_test_load_strategy ();
  g_autoptr(BndSketch) base = bnd_test_load_reference (strategy);
  g_autoptr(BndSketch) mine = NULL;
  g_autoptr(BndSketch) theirs = NULL;
  g_autoptr(BndSketch) merged = NULL;
  g_autoptr(BndSketch) both = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  BndConflict *conflict;

  bnd_sketch_set_funding_object (base, 2);
  mine = bnd_sketch_copy (base);
  theirs = bnd_sketch_copy (base);

  /* Only they confirmed: merged takes it. */
  bnd_sketch_set_confirmed (theirs, CARRIER, TRUE);
  merged = bnd_merge_sketches (base, mine, theirs, &conflicts);
  g_assert_cmpuint (conflicts->len, ==, 0);
  g_assert_true (bnd_sketch_has_confirmation (merged, CARRIER));
  g_clear_pointer (&conflicts, g_ptr_array_unref);

  /* Both confirmed the same: no conflict. */
  bnd_sketch_set_confirmed (mine, CARRIER, TRUE);
  both = bnd_merge_sketches (base, mine, theirs, &conflicts);
  g_assert_cmpuint (conflicts->len, ==, 0);
  g_clear_pointer (&conflicts, g_ptr_array_unref);

  /* Each side confirmed something else: a conflict on "confirmations", mine kept until resolved. */
  bnd_sketch_set_confirmed (mine, AGREED, TRUE);
  bnd_sketch_set_confirmed (mine, CARRIER, FALSE);
  g_clear_object (&merged);
  merged = bnd_merge_sketches (base, mine, theirs, &conflicts);
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict = g_ptr_array_index (conflicts, 0);
  g_assert_cmpstr (conflict->field, ==, "confirmations");
  g_assert_cmpuint (bnd_sketch_get_confirmations (merged)->len, ==, 1);
  g_assert_true (bnd_sketch_has_confirmation (merged, AGREED));
  g_assert_false (bnd_merge_resolve_with_strategy (merged, conflicts, "confirmations", "[\"\"]",
                                                   strategy, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_true (bnd_merge_resolve_with_strategy (merged, conflicts, "confirmations",
                                                  "[\"" AGREED "\"]", strategy, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 0);
  g_assert_true (bnd_sketch_has_confirmation (merged, AGREED));
  g_assert_false (bnd_sketch_has_confirmation (merged, CARRIER));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/conditions/period", test_period);
  g_test_add_func ("/conditions/funding-objects", test_funding_objects);
  g_test_add_func ("/conditions/confirmations-edit", test_confirmations_edit);
  g_test_add_func ("/conditions/round-trip", test_round_trip);
  g_test_add_func ("/conditions/merge", test_merge);

  return g_test_run ();
}
