/* test-strategy-errors.c: broken packs give clear errors, never a crash
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "bnd-strategy.h"

#define PACK_FILE "nordostniedersachsen-2024-2027.json"

typedef void (*Mutation) (JsonObject *root);

typedef struct
{
  const char       *name;
  Mutation          mutate;
  BndStrategyError  code;
  const char       *path;      /* the JSON path the message must name */
} BrokenPack;

static JsonObject *
member_object (JsonObject *object,
               const char *list,
               guint       index)
{
  return json_array_get_object_element (json_object_get_array_member (object, list), index);
}

static void
remove_goal (JsonObject *root)
{
  /* Goal 3.4 goes; focus topic 4 still serves it. */
  json_array_remove_element (json_object_get_array_member (root, "goals"), 3);
}

static void
topic_unknown_field (JsonObject *root)
{
  json_object_set_string_member (member_object (root, "topics", 2), "field", "V");
}

static void
indicator_without_source (JsonObject *root)
{
  json_object_remove_member (member_object (root, "indicators", 5), "source");
}

static void
indicator_empty_source (JsonObject *root)
{
  json_object_set_string_member (member_object (root, "indicators", 7), "source", "  ");
}

static void
duplicate_partner (JsonObject *root)
{
  JsonObject *first = member_object (root, "partners", 0);

  json_object_set_string_member (member_object (root, "partners", 3), "id",
                                 json_object_get_string_member (first, "id"));
}

static void
wrong_format (JsonObject *root)
{
  json_object_set_string_member (root, "format", "buendnis-sketch");
}

static void
future_version (JsonObject *root)
{
  json_object_set_int_member (root, "version", 2);
}

static void
measures_not_a_list (JsonObject *root)
{
  json_object_set_string_member (member_object (root, "goals", 1), "measures", "Schule und Wirtschaft");
}

static void
no_goals (JsonObject *root)
{
  json_object_remove_member (root, "goals");
}

static void
unknown_area (JsonObject *root)
{
  json_object_set_string_member (member_object (root, "indicators", 0), "area", "hamburg");
}

static void
unknown_partner_kind (JsonObject *root)
{
  json_object_set_string_member (member_object (root, "partners", 1), "kind", "club");
}

static void
text_value (JsonObject *root)
{
  json_object_set_string_member (member_object (root, "indicators", 10), "value", "321");
}

static void
zero_page_limit (JsonObject *root)
{
  json_object_set_int_member (json_object_get_object_member (root, "sketch_template"), "page_limit", 0);
}

static void
unknown_quorum (JsonObject *root)
{
  json_object_set_string_member (json_object_get_object_member (root, "review"), "quorum", "two-thirds");
}

static void
inverted_scale (JsonObject *root)
{
  JsonObject *scale = json_object_get_object_member (json_object_get_object_member (root, "review"), "scale");

  json_object_set_int_member (scale, "min", 5);
  json_object_set_int_member (scale, "max", 1);
}

static void
empty_districts (JsonObject *root)
{
  json_object_set_array_member (root, "districts", json_array_new ());
}

static void
section_id_with_quote (JsonObject *root)
{
  /* ids go into the PDF's link attributes, where ' ended the string */
  JsonObject *template = json_object_get_object_member (root, "sketch_template");

  json_object_set_string_member (member_object (template, "sections", 1), "id", "need'x");
}

static void
partner_id_with_space (JsonObject *root)
{
  json_object_set_string_member (member_object (root, "partners", 2), "id", "ihk lw");
}

static JsonObject *
fg2_condition (JsonObject *root,
               guint       index)
{
  return member_object (member_object (root, "funding_objects", 1), "conditions", index);
}

static void
condition_unknown_kind (JsonObject *root)
{
  json_object_set_string_member (fg2_condition (root, 0), "kind", "signature");
}

static void
condition_without_source (JsonObject *root)
{
  json_object_remove_member (fg2_condition (root, 1), "source");
}

static void
condition_without_english (JsonObject *root)
{
  json_object_remove_member (json_object_get_object_member (fg2_condition (root, 0), "text"), "en");
}

static void
condition_id_twice (JsonObject *root)
{
  /* A Fördergegenstand's condition may not take a general condition's id. */
  json_object_set_string_member (fg2_condition (root, 1), "id", "funding-period");
}

static void
period_not_a_date (JsonObject *root)
{
  json_object_set_string_member (member_object (root, "conditions", 0), "end", "2027-13-01");
}

static void
period_inverted (JsonObject *root)
{
  json_object_set_string_member (member_object (root, "conditions", 0), "end", "2020-12-31");
}

static void
unknown_rule (JsonObject *root)
{
  json_object_set_string_member (member_object (root, "rules", 2), "id", "budget");
}

static void
rule_set_by_nobody (JsonObject *root)
{
  json_object_set_string_member (member_object (root, "rules", 3), "set_by", "ministry");
}

static void
strategy_rule_without_source (JsonObject *root)
{
  json_object_set_string_member (member_object (root, "rules", 0), "set_by", "strategy");
}

static const BrokenPack broken_packs[] = {
  { "missing-goal", remove_goal, BND_STRATEGY_ERROR_REFERENCE, "$.topics[3].goals[0]" },
  { "topic-unknown-field", topic_unknown_field, BND_STRATEGY_ERROR_REFERENCE, "$.topics[2].field" },
  { "indicator-without-source", indicator_without_source, BND_STRATEGY_ERROR_MISSING, "$.indicators[5].source" },
  { "indicator-empty-source", indicator_empty_source, BND_STRATEGY_ERROR_INVALID, "$.indicators[7].source" },
  { "duplicate-id", duplicate_partner, BND_STRATEGY_ERROR_DUPLICATE, "$.partners[3].id" },
  { "wrong-format", wrong_format, BND_STRATEGY_ERROR_FORMAT, "$.format" },
  { "future-version", future_version, BND_STRATEGY_ERROR_FORMAT, "$.version" },
  { "measures-not-a-list", measures_not_a_list, BND_STRATEGY_ERROR_TYPE, "$.goals[1].measures" },
  { "no-goals", no_goals, BND_STRATEGY_ERROR_MISSING, "$.goals" },
  { "unknown-area", unknown_area, BND_STRATEGY_ERROR_REFERENCE, "$.indicators[0].area" },
  { "unknown-partner-kind", unknown_partner_kind, BND_STRATEGY_ERROR_INVALID, "$.partners[1].kind" },
  { "value-as-text", text_value, BND_STRATEGY_ERROR_TYPE, "$.indicators[10].value" },
  { "zero-page-limit", zero_page_limit, BND_STRATEGY_ERROR_INVALID, "$.sketch_template.page_limit" },
  { "unknown-quorum", unknown_quorum, BND_STRATEGY_ERROR_INVALID, "$.review.quorum" },
  { "inverted-scale", inverted_scale, BND_STRATEGY_ERROR_INVALID, "$.review.scale.max" },
  { "empty-districts", empty_districts, BND_STRATEGY_ERROR_INVALID, "$.districts" },
  { "section-id-with-quote", section_id_with_quote, BND_STRATEGY_ERROR_INVALID,
    "$.sketch_template.sections[1].id" },
  { "partner-id-with-space", partner_id_with_space, BND_STRATEGY_ERROR_INVALID,
    "$.partners[2].id" },
  { "condition-unknown-kind", condition_unknown_kind, BND_STRATEGY_ERROR_INVALID,
    "$.funding_objects[1].conditions[0].kind" },
  { "condition-without-source", condition_without_source, BND_STRATEGY_ERROR_MISSING,
    "$.funding_objects[1].conditions[1].source" },
  { "condition-without-english", condition_without_english, BND_STRATEGY_ERROR_MISSING,
    "$.funding_objects[1].conditions[0].text.en" },
  { "condition-id-twice", condition_id_twice, BND_STRATEGY_ERROR_DUPLICATE,
    "$.conditions[0].id" },
  { "period-not-a-date", period_not_a_date, BND_STRATEGY_ERROR_INVALID, "$.conditions[0].end" },
  { "period-inverted", period_inverted, BND_STRATEGY_ERROR_INVALID, "$.conditions[0].end" },
  { "unknown-rule", unknown_rule, BND_STRATEGY_ERROR_INVALID, "$.rules[2].id" },
  { "rule-set-by-nobody", rule_set_by_nobody, BND_STRATEGY_ERROR_INVALID, "$.rules[3].set_by" },
  { "strategy-rule-without-source", strategy_rule_without_source, BND_STRATEGY_ERROR_MISSING,
    "$.rules[0]" },
};

static GBytes *
load_pack_bytes (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "strategy", PACK_FILE, NULL);
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static void
assert_error (GBytes           *bytes,
              BndStrategyError  code,
              const char       *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BndStrategy) strategy = bnd_strategy_new_from_bytes (bytes, "broken.json", &error);
  g_autofree char *expected_prefix = g_strdup_printf ("broken.json: %s: ", path);

  g_assert_null (strategy);
  g_assert_error (error, BND_STRATEGY_ERROR, code);
  g_test_message ("%s", error->message);
  /* The message names the file, the JSON path and then the problem. */
  g_assert_true (g_str_has_prefix (error->message, expected_prefix));
  g_assert_cmpuint (strlen (error->message), >, strlen (expected_prefix) + 5);
}

static void
test_broken_pack (gconstpointer data)
{
  const BrokenPack *broken = data;
  g_autoptr(GBytes) original = load_pack_bytes ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  JsonNode *root;
  char *text;
  gsize length;

  json_parser_load_from_data (parser, g_bytes_get_data (original, NULL), g_bytes_get_size (original), &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  broken->mutate (json_node_get_object (root));

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  bytes = g_bytes_new_take (text, length);

  assert_error (bytes, broken->code, broken->path);
}

static void
test_unchanged_pack_loads (void)
{
  g_autoptr(GBytes) bytes = load_pack_bytes ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BndStrategy) strategy = bnd_strategy_new_from_bytes (bytes, "good.json", &error);

  g_assert_no_error (error);
  g_assert_nonnull (strategy);
}

static void
test_not_json (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("{ \"format\": \"buendnis-strategy-pack\", ", 38);

  assert_error (bytes, BND_STRATEGY_ERROR_PARSE, "$");
}

static void
test_not_utf8 (void)
{
  static const char latin1[] = "{ \"format\": \"Fachkr\xe4""fte\" }";
  g_autoptr(GBytes) bytes = g_bytes_new_static (latin1, sizeof latin1 - 1);

  assert_error (bytes, BND_STRATEGY_ERROR_PARSE, "$");
}

static void
test_not_an_object (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("[1, 2, 3]", 9);

  assert_error (bytes, BND_STRATEGY_ERROR_FORMAT, "$");
}

static void
test_empty_file (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("", 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(BndStrategy) strategy = bnd_strategy_new_from_bytes (bytes, "empty.json", &error);

  g_assert_null (strategy);
  g_assert_error (error, BND_STRATEGY_ERROR, BND_STRATEGY_ERROR_PARSE);
}

static void
test_missing_file (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent/strategy.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(BndStrategy) strategy = bnd_strategy_new_from_file (file, &error);

  g_assert_null (strategy);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_prefix (error->message, "/nonexistent/strategy.json: "));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/strategy-errors/unchanged", test_unchanged_pack_loads);
  for (guint i = 0; i < G_N_ELEMENTS (broken_packs); i++)
    {
      g_autofree char *path = g_strdup_printf ("/strategy-errors/%s", broken_packs[i].name);
      g_test_add_data_func (path, &broken_packs[i], test_broken_pack);
    }
  g_test_add_func ("/strategy-errors/not-json", test_not_json);
  g_test_add_func ("/strategy-errors/not-utf8", test_not_utf8);
  g_test_add_func ("/strategy-errors/not-an-object", test_not_an_object);
  g_test_add_func ("/strategy-errors/empty-file", test_empty_file);
  g_test_add_func ("/strategy-errors/missing-file", test_missing_file);

  return g_test_run ();
}
