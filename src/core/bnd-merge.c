/* bnd-merge.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-merge"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "bnd-json-check.h"
#include "bnd-merge.h"

/* Three-way merge of a sketch, field by field and section by section. A field that only one
 * side changed takes that change; a field both changed alike is fine; a field both changed
 * differently keeps "mine" in the sketch and records both values as a conflict for the user.
 * Nothing is dropped and no copy of the sketch is made. */

/* Every mergeable field as text: plain for strings, JSON for structured values. */
static char *
field_value (BndSketch  *sketch,
             const char *field)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  g_autoptr(JsonGenerator) generator = NULL;

  if (g_str_has_prefix (field, "section:"))
    return g_strdup (bnd_sketch_get_section (sketch, field + strlen ("section:")));
  if (g_str_equal (field, "title"))
    return g_strdup (bnd_sketch_get_title (sketch));
  if (g_str_equal (field, "carrier"))
    return g_strdup (bnd_sketch_get_carrier (sketch));
  if (g_str_equal (field, "contact"))
    return g_strdup (bnd_sketch_get_contact (sketch));
  if (g_str_equal (field, "funding_object"))
    return g_strdup_printf ("%d", bnd_sketch_get_funding_object (sketch));
  if (g_str_equal (field, "start"))
    return g_strdup (bnd_sketch_get_start (sketch));
  if (g_str_equal (field, "end"))
    return g_strdup (bnd_sketch_get_end (sketch));

  /* links:*, partners, confirmations, costs: their part of the sketch's JSON */
  node = bnd_sketch_to_json (sketch);
  object = json_node_get_object (node);
  generator = json_generator_new ();
  if (g_str_has_prefix (field, "links:"))
    json_generator_set_root (generator, json_object_get_member (json_object_get_object_member (object, "links"),
                                                                field + strlen ("links:")));
  else
    json_generator_set_root (generator, json_object_get_member (object, field));
  return json_generator_to_data (generator, NULL);
}

/* Where a field lives in the sketch's JSON: @member of @parent (NULL for the root). */
static gboolean
field_location (const char  *field,
                const char **parent,
                const char **member)
{
  static const struct { const char *field, *parent, *member; } plain[] = {
    { "title", NULL, "title" },
    { "carrier", "carrier", "organisation" },
    { "contact", "carrier", "contact" },
    { "funding_object", NULL, "funding_object" },
    { "start", "duration", "start" },
    { "end", "duration", "end" },
    { "partners", NULL, "partners" },
    { "confirmations", NULL, "confirmations" },
    { "costs", NULL, "costs" },
    { "links:goals", "links", "goals" },
    { "links:cross_cutting_goals", "links", "cross_cutting_goals" },
    { "links:fields", "links", "fields" },
    { "links:topics", "links", "topics" },
    { "links:districts", "links", "districts" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (plain); i++)
    if (g_str_equal (field, plain[i].field))
      {
        *parent = plain[i].parent;
        *member = plain[i].member;
        return TRUE;
      }
  if (g_str_has_prefix (field, "section:"))
    {
      *parent = "sections";
      *member = field + strlen ("section:");
      return **member != 0;
    }
  return FALSE;
}

/* @value as the JSON node of @field: text for sections and plain strings, a number for the
 * funding object, and JSON for links, partners, confirmations and costs. */
static JsonNode *
field_node (const char  *field,
            const char  *value,
            GError     **error)
{
  g_autoptr(GError) parse_error = NULL;
  JsonNode *parsed;

  if (g_str_has_prefix (field, "section:") || g_str_equal (field, "title") ||
      g_str_equal (field, "carrier") || g_str_equal (field, "contact") ||
      g_str_equal (field, "start") || g_str_equal (field, "end"))
    return json_node_init_string (json_node_alloc (), value);

  if (g_str_equal (field, "funding_object"))
    {
      gint64 number;

      if (!g_ascii_string_to_signed (value, 10, 0, G_MAXINT, &number, NULL))
        {
          g_set_error (error, BND_SKETCH_ERROR, BND_SKETCH_ERROR_INVALID,
                       /* Translators: %s is what was given instead of a number */
                       _("funding_object: “%s” is not a whole number (0 or more)"), value);
          return NULL;
        }
      return json_node_init_int (json_node_alloc (), number);
    }

  if (!bnd_json_check_limits (value, strlen (value), BND_JSON_MAX_DEPTH, error))
    {
      g_prefix_error (error, "%s: ", field);
      return NULL;
    }
  if ((parsed = json_from_string (value, &parse_error)) == NULL)
    {
      /* json-glib cuts the quoted token in the middle of a character, and says nothing at all
       * about an empty text */
      g_autofree char *message = NULL;

      message = bnd_json_dup_valid_text (parse_error ? parse_error->message : NULL);

      g_set_error (error, BND_SKETCH_ERROR, BND_SKETCH_ERROR_PARSE,
                   /* Translators: the first %s is a field such as costs, the second why */
                   _("%s: expected a value in JSON: %s"), field,
                   *message ? message : _("the text is empty"));
      return NULL;
    }
  return parsed;
}

/* Sets @field of @sketch to @value through the sketch's own JSON reading, so that a resolved
 * value meets every check an import or an edit meets: lengths, ranges, known sections and
 * links. Nothing changes unless all of it passes. */
static gboolean
set_field (BndSketch    *sketch,
           BndStrategy  *strategy,
           const char   *field,
           const char   *value,
           GError      **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(BndSketch) updated = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autofree char *text = NULL;
  const char *parent, *member;
  JsonObject *object;
  gsize length;

  if (!field_location (field, &parent, &member))
    {
      g_set_error (error, BND_SKETCH_ERROR, BND_SKETCH_ERROR_INVALID,
                   _("There is no field “%s” in a sketch"), field);
      return FALSE;
    }
  if (!(parsed = field_node (field, value, error)))
    return FALSE;

  node = bnd_sketch_to_json (sketch);
  object = json_node_get_object (node);
  if (parent != NULL)
    object = json_object_get_object_member (object, parent);
  json_object_set_member (object, member, g_steal_pointer (&parsed));

  generator = json_generator_new ();
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);
  if (!(updated = bnd_sketch_new_from_data (text, length, field, strategy, error)))
    return FALSE;

  /* Take the one field over; everything else in @updated is @sketch unchanged. */
  if (g_str_has_prefix (field, "section:"))
    bnd_sketch_set_section (sketch, member, bnd_sketch_get_section (updated, member));
  else if (g_str_equal (field, "title"))
    bnd_sketch_set_title (sketch, bnd_sketch_get_title (updated));
  else if (g_str_equal (field, "carrier"))
    bnd_sketch_set_carrier (sketch, bnd_sketch_get_carrier (updated));
  else if (g_str_equal (field, "contact"))
    bnd_sketch_set_contact (sketch, bnd_sketch_get_contact (updated));
  else if (g_str_equal (field, "funding_object"))
    bnd_sketch_set_funding_object (sketch, bnd_sketch_get_funding_object (updated));
  else if (g_str_equal (field, "start") || g_str_equal (field, "end"))
    bnd_sketch_set_duration (sketch, bnd_sketch_get_start (updated), bnd_sketch_get_end (updated));
  else if (g_str_equal (field, "partners"))
    {
      GPtrArray *partners = bnd_sketch_get_partners (updated);

      g_ptr_array_add (partners, NULL);
      bnd_sketch_set_partners (sketch, (const char * const *)partners->pdata);
      g_ptr_array_set_size (partners, partners->len - 1);
    }
  else if (g_str_equal (field, "confirmations"))
    {
      GPtrArray *ids = bnd_sketch_get_confirmations (updated);

      g_ptr_array_add (ids, NULL);
      bnd_sketch_set_confirmations (sketch, (const char * const *)ids->pdata);
      g_ptr_array_set_size (ids, ids->len - 1);
    }
  else if (g_str_equal (field, "costs"))
    {
      GArray *costs = bnd_sketch_get_cost_items (updated);

      bnd_sketch_set_cost_items (sketch, &g_array_index (costs, BndCostItem, 0), costs->len);
      bnd_sketch_set_financing (sketch, bnd_sketch_get_requested (updated),
                                bnd_sketch_get_own_contribution (updated),
                                bnd_sketch_get_co_financing (updated));
    }
  else
    for (guint i = 0; i < BND_N_LINKS; i++)
      {
        GPtrArray *ids = bnd_sketch_get_links (updated, i);

        g_ptr_array_add (ids, NULL);
        bnd_sketch_set_links (sketch, i, (const char * const *)ids->pdata);
        g_ptr_array_set_size (ids, ids->len - 1);
      }
  return TRUE;
}

static GPtrArray *
all_fields (BndSketch *a,
            BndSketch *b,
            BndSketch *c)
{
  static const char *fixed[] = {
    "title", "carrier", "contact", "funding_object", "start", "end", "partners", "confirmations",
    "costs",
    "links:goals", "links:cross_cutting_goals", "links:fields", "links:topics", "links:districts",
  };
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
  BndSketch *sketches[] = { a, b, c };

  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    g_ptr_array_add (fields, g_strdup (fixed[i]));
  for (guint s = 0; s < G_N_ELEMENTS (sketches); s++)
    {
      g_auto(GStrv) ids = bnd_sketch_dup_section_ids (sketches[s]);

      for (guint i = 0; ids[i]; i++)
        {
          g_autofree char *field = g_strdup_printf ("section:%s", ids[i]);
          if (!g_ptr_array_find_with_equal_func (fields, field, g_str_equal, NULL))
            g_ptr_array_add (fields, g_steal_pointer (&field));
        }
    }
  return fields;
}

void
bnd_conflict_free (BndConflict *conflict)
{
  g_free (conflict->field);
  g_free (conflict->mine);
  g_free (conflict->theirs);
  g_free (conflict);
}

/**
 * bnd_merge_sketches:
 * @base: the common ancestor, the last state both sides agreed on
 * @mine: the local sketch
 * @theirs: the server's sketch
 * @conflicts: (out) (transfer container) (element-type BndConflict): fields both changed
 *
 * Returns: (transfer full): the merged sketch, with "mine" where there are conflicts
 */
BndSketch *
bnd_merge_sketches (BndSketch  *base,
                    BndSketch  *mine,
                    BndSketch  *theirs,
                    GPtrArray **conflicts)
{
  g_autoptr(GPtrArray) fields = all_fields (base, mine, theirs);
  BndSketch *merged = bnd_sketch_copy (mine);

  *conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify)bnd_conflict_free);

  for (guint i = 0; i < fields->len; i++)
    {
      const char *field = g_ptr_array_index (fields, i);
      g_autofree char *b = field_value (base, field);
      g_autofree char *m = field_value (mine, field);
      g_autofree char *t = field_value (theirs, field);

      if (g_str_equal (m, t) || g_str_equal (t, b))
        continue;                       /* nothing to take from theirs */
      if (g_str_equal (m, b))
        set_field (merged, NULL, field, t, NULL);   /* only they changed it */
      else
        {
          BndConflict *conflict = g_new0 (BndConflict, 1);

          conflict->field = g_strdup (field);
          conflict->mine = g_steal_pointer (&m);
          conflict->theirs = g_steal_pointer (&t);
          g_ptr_array_add (*conflicts, conflict);
        }
    }

  bnd_sketch_set_times (merged, bnd_sketch_get_created (mine),
                        MAX (bnd_sketch_get_modified (mine), bnd_sketch_get_modified (theirs)));
  return merged;
}

char *
bnd_conflicts_to_json (GPtrArray *conflicts)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; conflicts && i < conflicts->len; i++)
    {
      BndConflict *conflict = g_ptr_array_index (conflicts, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "field");
      json_builder_add_string_value (builder, conflict->field);
      json_builder_set_member_name (builder, "mine");
      json_builder_add_string_value (builder, conflict->mine);
      json_builder_set_member_name (builder, "theirs");
      json_builder_add_string_value (builder, conflict->theirs);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

GPtrArray *
bnd_conflicts_from_json (const char *json)
{
  GPtrArray *conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify)bnd_conflict_free);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;

  if (json && bnd_json_check_limits (json, strlen (json), BND_JSON_MAX_DEPTH, NULL))
    root = json_from_string (json, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return conflicts;
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object;
      BndConflict *conflict;

      if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i)))
        continue;
      object = json_array_get_object_element (array, i);
      conflict = g_new0 (BndConflict, 1);

      conflict->field = g_strdup (json_object_get_string_member_with_default (object, "field", ""));
      conflict->mine = g_strdup (json_object_get_string_member_with_default (object, "mine", ""));
      conflict->theirs = g_strdup (json_object_get_string_member_with_default (object, "theirs", ""));
      g_ptr_array_add (conflicts, conflict);
    }
  return conflicts;
}

/**
 * bnd_merge_resolve_with_strategy:
 * @sketch: the merged sketch
 * @conflicts: its open conflicts; the resolved one is removed
 * @field: the conflicting field
 * @value: the value decided on: mine, theirs or a text edited from both
 * @strategy: (nullable): the strategy the sketch follows, to check sections, links and the
 *   funding object against; without it only the limits of the file format apply
 * @error: return location for an error
 *
 * The value goes through the same checks as a sketch file: a title of more than
 * %BND_SKETCH_MAX_SHORT_TEXT characters, a funding object the strategy does not have or costs
 * that are not JSON are refused, and @sketch is left as it was.
 *
 * Returns: %FALSE with @error set if @field has no conflict or @value is not valid for it
 */
gboolean
bnd_merge_resolve_with_strategy (BndSketch    *sketch,
                                 GPtrArray    *conflicts,
                                 const char   *field,
                                 const char   *value,
                                 BndStrategy  *strategy,
                                 GError      **error)
{
  g_return_val_if_fail (BND_IS_SKETCH (sketch), FALSE);
  g_return_val_if_fail (conflicts != NULL, FALSE);
  g_return_val_if_fail (field != NULL && value != NULL, FALSE);
  g_return_val_if_fail (strategy == NULL || BND_IS_STRATEGY (strategy), FALSE);

  /* Both come from the command line or the conflict dialog: bytes that are not text would end
   * up in the sketch, or cut the error message that quotes them. */
  if (!g_utf8_validate (field, -1, NULL) || !g_utf8_validate (value, -1, NULL))
    {
      g_set_error_literal (error, BND_SKETCH_ERROR, BND_SKETCH_ERROR_PARSE,
                           _("The field and the value must be UTF-8 text"));
      return FALSE;
    }

  for (guint i = 0; i < conflicts->len; i++)
    {
      BndConflict *conflict = g_ptr_array_index (conflicts, i);

      if (!g_str_equal (conflict->field, field))
        continue;
      if (!set_field (sketch, strategy, field, value, error))
        return FALSE;
      g_ptr_array_remove_index (conflicts, i);
      return TRUE;
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("There is no conflict in “%s”"), field);
  return FALSE;
}

/**
 * bnd_merge_resolve:
 *
 * bnd_merge_resolve_with_strategy() without a strategy.
 */
gboolean
bnd_merge_resolve (BndSketch   *sketch,
                   GPtrArray   *conflicts,
                   const char  *field,
                   const char  *value,
                   GError     **error)
{
  return bnd_merge_resolve_with_strategy (sketch, conflicts, field, value, NULL, error);
}
