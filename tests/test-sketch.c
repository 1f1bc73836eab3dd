/* test-sketch.c: the sketch model, its validation and the .bndsketch format
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bnd-test-util.h"

#include "bnd-merge.h"
#include "bnd-sketch.h"

static gboolean
has_issue (GPtrArray  *issues,
           const char *field)
{
  for (guint i = 0; i < issues->len; i++)
    if (g_str_equal (((BndSketchIssue *)g_ptr_array_index (issues, i))->field, field))
      return TRUE;
  return FALSE;
}

static void
test_reference_is_valid (void)
{
  g_autoptr(BndStrategy) strategy = bnd_test_load_strategy ();
  g_autoptr(BndSketch) sketch = bnd_test_load_reference (strategy);
  g_autoptr(GPtrArray) issues = bnd_sketch_validate (sketch, strategy);

  for (guint i = 0; i < issues->len; i++)
    g_test_message ("%s", ((BndSketchIssue *)g_ptr_array_index (issues, i))->message);
  g_assert_cmpuint (issues->len, ==, 0);
  g_assert_cmpfloat (bnd_sketch_get_cost_total (sketch), >, 0);
}

static void
test_round_trip (void)
{
  g_autoptr(BndStrategy) strategy = bnd_test_load_strategy ();
  g_autoptr(BndSketch) sketch = bnd_test_load_reference (strategy);
  g_autoptr(BndSketch) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  gsize length;

  first = bnd_sketch_to_data (sketch, &length);
  again = bnd_sketch_new_from_data (first, length, "again", strategy, &error);
  g_assert_no_error (error);
  second = bnd_sketch_to_data (again, NULL);
  g_assert_cmpstr (first, ==, second);
  g_assert_cmpstr (bnd_sketch_get_uuid (again), ==, bnd_sketch_get_uuid (sketch));
}

/* Dates of the years 1 to 999 are written with four digits, or they could not be read back. */
static void
test_round_trip_early_year (void)
{
  g_autoptr(BndSketch) sketch = bnd_sketch_new ();
  g_autoptr(BndSketch) again = NULL;
  g_autoptr(GDateTime) early = g_date_time_new_utc (594, 11, 2, 9, 15, 0);
  g_autoptr(GDateTime) first_day = g_date_time_new_utc (1, 1, 1, 0, 0, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;

  bnd_sketch_set_times (sketch, g_date_time_to_unix (first_day), g_date_time_to_unix (early));
  saved = bnd_sketch_to_data (sketch, NULL);
  g_assert_nonnull (strstr (saved, "\"created\" : \"0001-01-01T00:00:00Z\""));
  g_assert_nonnull (strstr (saved, "\"modified\" : \"0594-11-02T09:15:00Z\""));
  again = bnd_sketch_new_from_data (saved, strlen (saved), "again", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bnd_sketch_get_modified (again), ==, g_date_time_to_unix (early));
}

static void
test_validation_messages (void)
{
  g_autoptr(BndStrategy) strategy = bnd_test_load_strategy ();
  g_autoptr(BndSketch) sketch = bnd_test_load_reference (strategy);
  g_autoptr(GPtrArray) issues = NULL;
  BndCostItem items[] = { { (char *)"Personal", 1000 }, { (char *)"Sachkosten", 500 } };

  bnd_sketch_set_section (sketch, "need", "");
  bnd_sketch_set_duration (sketch, "2028-01-01", "2027-06-30");
  bnd_sketch_set_cost_items (sketch, items, G_N_ELEMENTS (items));
  bnd_sketch_set_financing (sketch, 1000, 200, 0);

  issues = bnd_sketch_validate (sketch, strategy);
  g_assert_true (has_issue (issues, "section:need"));
  g_assert_true (has_issue (issues, "duration"));
  g_assert_true (has_issue (issues, "financing"));
  g_assert_false (has_issue (issues, "title"));
  g_assert_cmpfloat (bnd_sketch_get_cost_total (sketch), ==, 1500);
}

/* Carrier, contact, Fördergegenstand, dates and costs are entered once, in the fields: the
 * template's sections about them only add to what the PDF states from the fields. */
static void
test_facts_entered_once (void)
{
  g_autoptr(BndStrategy) strategy = bnd_test_load_strategy ();
  g_autoptr(BndSketch) sketch = bnd_test_load_reference (strategy);
  g_autoptr(GPtrArray) complete = NULL;
  g_autoptr(GPtrArray) no_contact = NULL;
  static const char *from_fields[] = { "carrier", "funding_object", "duration", "costs" };

  for (guint i = 0; i < G_N_ELEMENTS (from_fields); i++)
    bnd_sketch_set_section (sketch, from_fields[i], "");
  complete = bnd_sketch_validate (sketch, strategy);
  for (guint i = 0; i < complete->len; i++)
    g_test_message ("%s", ((BndSketchIssue *)g_ptr_array_index (complete, i))->message);
  g_assert_cmpuint (complete->len, ==, 0);

  /* the contact person is a field of its own, and needed */
  bnd_sketch_set_contact (sketch, " ");
  no_contact = bnd_sketch_validate (sketch, strategy);
  g_assert_true (has_issue (no_contact, "contact"));
  g_assert_cmpuint (no_contact->len, ==, 1);
}

static void
test_changed_signal (void)
{
  g_autoptr(BndSketch) sketch = bnd_sketch_new ();
  guint changes = 0;

  g_signal_connect_swapped (sketch, "changed", G_CALLBACK (g_atomic_int_inc), &changes);
  bnd_sketch_set_title (sketch, "A");
  bnd_sketch_set_title (sketch, "A");     /* no change */
  bnd_sketch_set_section (sketch, "need", "Text");
  bnd_sketch_toggle_link (sketch, BND_LINK_GOALS, "3.1", TRUE);
  bnd_sketch_toggle_link (sketch, BND_LINK_GOALS, "3.1", TRUE);   /* already linked */
  g_assert_cmpuint (changes, ==, 3);
  g_assert_true (bnd_sketch_has_link (sketch, BND_LINK_GOALS, "3.1"));
}

typedef struct
{
  const char     *name;
  const char     *json;
  BndSketchError  code;
  const char     *needle;   /* a part of the message */
} Malformed;

#define VALID_TAIL "\"created\": \"2026-11-02T09:15:00Z\", \"modified\": \"2026-11-02T09:15:00Z\", " \
  "\"carrier\": {\"organisation\": \"\", \"contact\": \"\"}, \"funding_object\": 0, " \
  "\"duration\": {\"start\": \"\", \"end\": \"\"}, \"links\": {\"goals\": [], \"cross_cutting_goals\": [], " \
  "\"fields\": [], \"topics\": [], \"districts\": []}, \"partners\": [], " \
  "\"costs\": {\"items\": [], \"requested\": 0, \"own_contribution\": 0, \"co_financing\": 0}"
#define HEAD "\"format\": \"buendnis-sketch\", \"version\": 1, \"uuid\": \"5b0c7a1e-3f4d-4c2a-9e1b-7d2f8a6c4e10\", \"title\": \"T\", \"stage\": \"draft\", "

static const Malformed malformed[] = {
  { "valid", "{" HEAD "\"sections\": {}, " VALID_TAIL "}", 0, NULL },
  { "not-json", "{ \"format\": ", BND_SKETCH_ERROR_PARSE, "JSON" },
  { "wrong-format", "{\"format\": \"buendnis-strategy-pack\", \"version\": 1}", BND_SKETCH_ERROR_FORMAT, "$.format" },
  { "future-version", "{\"format\": \"buendnis-sketch\", \"version\": 7}", BND_SKETCH_ERROR_FORMAT, "$.version" },
  { "unknown-section", "{" HEAD "\"sections\": {\"poem\": \"x\"}, " VALID_TAIL "}", BND_SKETCH_ERROR_INVALID, "$.sections.poem" },
  { "section-not-string", "{" HEAD "\"sections\": {\"need\": 5}, " VALID_TAIL "}", BND_SKETCH_ERROR_INVALID, "$.sections.need" },
  { "bad-uuid", "{\"format\": \"buendnis-sketch\", \"version\": 1, \"uuid\": \"1; DROP TABLE sketches\"}", BND_SKETCH_ERROR_INVALID, "$.uuid" },
  { "unknown-goal", "{" HEAD "\"sections\": {}, \"created\": \"2026-11-02T09:15:00Z\", \"modified\": \"2026-11-02T09:15:00Z\", "
    "\"carrier\": {\"organisation\": \"\", \"contact\": \"\"}, \"funding_object\": 0, \"duration\": {\"start\": \"\", \"end\": \"\"}, "
    "\"links\": {\"goals\": [\"9.9\"]}}", BND_SKETCH_ERROR_INVALID, "$.links.goals[0]" },
  { "negative-amount", "{" HEAD "\"sections\": {}, \"created\": \"2026-11-02T09:15:00Z\", \"modified\": \"2026-11-02T09:15:00Z\", "
    "\"carrier\": {\"organisation\": \"\", \"contact\": \"\"}, \"funding_object\": 0, \"duration\": {\"start\": \"\", \"end\": \"\"}, "
    "\"links\": {\"goals\": [], \"cross_cutting_goals\": [], \"fields\": [], \"topics\": [], \"districts\": []}, \"partners\": [], "
    "\"costs\": {\"items\": [{\"label\": \"x\", \"amount\": -5}]}}", BND_SKETCH_ERROR_INVALID, "$.costs.items[0].amount" },
  { "array-root", "[1, 2]", BND_SKETCH_ERROR_FORMAT, "$" },
  { "empty", "", BND_SKETCH_ERROR_PARSE, "empty" },
  { "not-utf8", "{\"format\": \"buendnis-sketch\", \"title\": \"Stra\xdf" "e\"}", BND_SKETCH_ERROR_PARSE, "UTF-8" },
};

static void
test_malformed (void)
{
  g_autoptr(BndStrategy) strategy = bnd_test_load_strategy ();

  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BndSketch) sketch = bnd_sketch_new_from_data (malformed[i].json, strlen (malformed[i].json),
                                                              malformed[i].name, strategy, &error);

      g_test_message ("%s: %s", malformed[i].name, error ? error->message : "ok");
      if (malformed[i].needle == NULL)
        {
          g_assert_no_error (error);
          g_assert_nonnull (sketch);
          continue;
        }
      g_assert_null (sketch);
      g_assert_error (error, BND_SKETCH_ERROR, malformed[i].code);
      g_assert_nonnull (strstr (error->message, malformed[i].needle));
    }
}

static GPtrArray *
conflicts_on (const char * const *fields)
{
  GPtrArray *conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify)bnd_conflict_free);

  for (guint i = 0; fields[i]; i++)
    {
      BndConflict *conflict = g_new0 (BndConflict, 1);

      conflict->field = g_strdup (fields[i]);
      conflict->mine = g_strdup ("");
      conflict->theirs = g_strdup ("");
      g_ptr_array_add (conflicts, conflict);
    }
  return conflicts;
}

static void
test_resolve_validates (void)
{
  static const char * const fields[] = {
    "costs", "title", "funding_object", "section:need", "section:gedicht", "links:goals",
    "partners", "start", "links:poems", NULL,
  };
  static const struct { const char *field, *value, *needle; } refused[] = {
    { "costs", "", "the text is empty" },
    { "costs", "[1, 2", "expected a value in JSON" },
    { "costs", "{\"items\": []}", "$.costs" },
    { "title", NULL, "$.title: the text is longer than 1000 characters" },
    { "funding_object", "42", "$.funding_object: 42 is out of range" },
    { "funding_object", "-1", "not a whole number" },
    { "funding_object", "eins", "not a whole number" },
    { "section:gedicht", "Reime", "$.sections.gedicht" },
    { "links:goals", "[\"9.9\"]", "$.links.goals[0]" },
    { "partners", "\"ihk\"", "$.partners" },
    { "links:poems", "[]", "There is no field “links:poems”" },
    { "costs", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
      "costs: The data is nested too deeply" },
    /* bytes that are not text, as a command line can give them: the message stays UTF-8 */
    { "2027-02-0\xff\xff" "end", "x", "must be UTF-8 text" },
    { "section:need", "Text \xff", "must be UTF-8 text" },
  };
  g_autoptr(BndStrategy) strategy = bnd_test_load_strategy ();
  g_autoptr(BndSketch) sketch = bnd_test_load_reference (strategy);
  g_autoptr(GPtrArray) conflicts = conflicts_on (fields);
  g_autofree char *long_title = g_strnfill (BND_SKETCH_MAX_SHORT_TEXT + 1, 'x');
  g_autofree char *before = bnd_sketch_to_data (sketch, NULL);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      const char *value = refused[i].value ? refused[i].value : long_title;
      /* the test's output must stay UTF-8 (TAP): invalid bytes are shown escaped */
      g_autofree char *field = g_strescape (refused[i].field, "→");
      g_autofree char *escaped = g_strescape (value, "→");
      g_autofree char *shown = g_strndup (escaped, 40);
      gboolean resolved = bnd_merge_resolve_with_strategy (sketch, conflicts, refused[i].field,
                                                           value, strategy, &error);

      g_test_message ("%s = %s → %s", field, shown,
                      error ? error->message : "(no error)");
      g_assert_false (resolved);
      /* every refusal says why */
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, refused[i].needle));
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_clear_error (&error);
    }

  /* Nothing changed and nothing was resolved */
  after = bnd_sketch_to_data (sketch, NULL);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (conflicts->len, ==, g_strv_length ((char **)fields));

  /* Without a strategy only the file format's limits hold */
  g_assert_false (bnd_merge_resolve (sketch, conflicts, "title", long_title, &error));
  g_assert_error (error, BND_SKETCH_ERROR, BND_SKETCH_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* Good values go through and close their conflict */
  g_assert_true (bnd_merge_resolve_with_strategy (sketch, conflicts, "funding_object", "2",
                                                  strategy, &error));
  g_assert_no_error (error);
  g_assert_cmpint (bnd_sketch_get_funding_object (sketch), ==, 2);
  g_assert_true (bnd_merge_resolve_with_strategy (sketch, conflicts, "costs",
                                                  "{\"items\": [{\"label\": \"Personal\", "
                                                  "\"amount\": 1000}], \"requested\": 800, "
                                                  "\"own_contribution\": 200, \"co_financing\": 0}",
                                                  strategy, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (bnd_sketch_get_cost_total (sketch), ==, 1000);
  g_assert_true (bnd_merge_resolve_with_strategy (sketch, conflicts, "section:need", "Beides.",
                                                  strategy, &error));
  g_assert_cmpstr (bnd_sketch_get_section (sketch, "need"), ==, "Beides.");
  g_assert_true (bnd_merge_resolve_with_strategy (sketch, conflicts, "start", "2027-01",
                                                  strategy, &error));
  g_assert_cmpstr (bnd_sketch_get_start (sketch), ==, "2027-01");
  g_assert_cmpuint (conflicts->len, ==, g_strv_length ((char **)fields) - 4);

  /* A field without a conflict */
  g_assert_false (bnd_merge_resolve_with_strategy (sketch, conflicts, "start", "2027-02",
                                                   strategy, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sketch/reference-is-valid", test_reference_is_valid);
  g_test_add_func ("/sketch/round-trip", test_round_trip);
  g_test_add_func ("/sketch/round-trip-early-year", test_round_trip_early_year);
  g_test_add_func ("/sketch/validation", test_validation_messages);
  g_test_add_func ("/sketch/facts-entered-once", test_facts_entered_once);
  g_test_add_func ("/sketch/changed", test_changed_signal);
  g_test_add_func ("/sketch/malformed", test_malformed);
  g_test_add_func ("/merge/resolve-validates", test_resolve_validates);

  return g_test_run ();
}
