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

  /* links:*, partners, costs: their part of the sketch's JSON */
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

static gboolean
set_field (BndSketch   *sketch,
           const char  *field,
           const char  *value,
           GError     **error)
{
  static const char *link_fields[BND_N_LINKS] = {
    "links:goals", "links:cross_cutting_goals", "links:fields", "links:topics", "links:districts",
  };

  if (g_str_has_prefix (field, "section:"))
    bnd_sketch_set_section (sketch, field + strlen ("section:"), value);
  else if (g_str_equal (field, "title"))
    bnd_sketch_set_title (sketch, value);
  else if (g_str_equal (field, "carrier"))
    bnd_sketch_set_carrier (sketch, value);
  else if (g_str_equal (field, "contact"))
    bnd_sketch_set_contact (sketch, value);
  else if (g_str_equal (field, "funding_object"))
    bnd_sketch_set_funding_object (sketch, atoi (value));
  else if (g_str_equal (field, "start"))
    bnd_sketch_set_duration (sketch, value, bnd_sketch_get_end (sketch));
  else if (g_str_equal (field, "end"))
    bnd_sketch_set_duration (sketch, bnd_sketch_get_start (sketch), value);
  else
    {
      /* Structured values go back through the sketch's own JSON reading. */
      g_autoptr(JsonNode) node = bnd_sketch_to_json (sketch);
      g_autoptr(JsonNode) parsed = NULL;
      g_autoptr(GError) parse_error = NULL;
      JsonObject *object = json_node_get_object (node);
      g_autoptr(BndSketch) updated = NULL;
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autofree char *text = NULL;
      gsize length;

      if (!bnd_json_check_limits (value, strlen (value), BND_JSON_MAX_DEPTH, error))
        return FALSE;
      if ((parsed = json_from_string (value, &parse_error)) == NULL)
        {
          if (parse_error != NULL)
            {
              /* json-glib cuts the quoted token in the middle of a character */
              g_autofree char *message = bnd_json_dup_valid_text (parse_error->message);

              g_set_error_literal (error, BND_SKETCH_ERROR, BND_SKETCH_ERROR_PARSE, message);
            }
          return FALSE;
        }
      for (guint i = 0; i < BND_N_LINKS; i++)
        if (g_str_equal (field, link_fields[i]))
          json_object_set_member (json_object_get_object_member (object, "links"),
                                  field + strlen ("links:"), g_steal_pointer (&parsed));
      if (parsed != NULL)
        json_object_set_member (object, field, g_steal_pointer (&parsed));

      json_generator_set_root (generator, node);
      text = json_generator_to_data (generator, &length);
      if (!(updated = bnd_sketch_new_from_data (text, length, field, NULL, error)))
        return FALSE;
      for (guint i = 0; i < BND_N_LINKS; i++)
        {
          GPtrArray *ids = bnd_sketch_get_links (updated, i);
          g_ptr_array_add (ids, NULL);
          bnd_sketch_set_links (sketch, i, (const char * const *)ids->pdata);
          g_ptr_array_set_size (ids, ids->len - 1);
        }
      {
        GPtrArray *partners = bnd_sketch_get_partners (updated);
        GArray *costs = bnd_sketch_get_cost_items (updated);

        g_ptr_array_add (partners, NULL);
        bnd_sketch_set_partners (sketch, (const char * const *)partners->pdata);
        g_ptr_array_set_size (partners, partners->len - 1);
        bnd_sketch_set_cost_items (sketch, (BndCostItem *)costs->data, costs->len);
        bnd_sketch_set_financing (sketch, bnd_sketch_get_requested (updated),
                                  bnd_sketch_get_own_contribution (updated),
                                  bnd_sketch_get_co_financing (updated));
      }
    }
  return TRUE;
}

static GPtrArray *
all_fields (BndSketch *a,
            BndSketch *b,
            BndSketch *c)
{
  static const char *fixed[] = {
    "title", "carrier", "contact", "funding_object", "start", "end", "partners", "costs",
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
        set_field (merged, field, t, NULL);   /* only they changed it */
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
 * bnd_merge_resolve:
 * @sketch: the merged sketch
 * @conflicts: its open conflicts; the resolved one is removed
 * @field: the conflicting field
 * @value: the value decided on: mine, theirs or a text edited from both
 *
 * Returns: %FALSE if @field has no conflict
 */
gboolean
bnd_merge_resolve (BndSketch   *sketch,
                   GPtrArray   *conflicts,
                   const char  *field,
                   const char  *value,
                   GError     **error)
{
  for (guint i = 0; i < conflicts->len; i++)
    {
      BndConflict *conflict = g_ptr_array_index (conflicts, i);

      if (!g_str_equal (conflict->field, field))
        continue;
      if (!set_field (sketch, field, value, error))
        return FALSE;
      g_ptr_array_remove_index (conflicts, i);
      return TRUE;
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("There is no conflict in “%s”"), field);
  return FALSE;
}
