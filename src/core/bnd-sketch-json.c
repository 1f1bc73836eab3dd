/* bnd-sketch-json.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-sketch"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "bnd-json-check.h"
#include "bnd-sketch-private.h"

/* The `.bndsketch` file format: writing a sketch and reading one back, with every check an
 * import needs (data/buendnis-sketch.schema.json describes the same format). */

#define FORMAT_NAME "buendnis-sketch"
#define FORMAT_VERSION 1

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

static char *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_time);

  /* Four digits for the year, which %Y does not pad: "594-11-02" is no ISO 8601 date, and a
   * sketch saved with it could not be loaded again. */
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02dZ",
                          g_date_time_get_year (time), g_date_time_get_month (time),
                          g_date_time_get_day_of_month (time), g_date_time_get_hour (time),
                          g_date_time_get_minute (time), g_date_time_get_second (time));
}

static void
add_string_array (JsonBuilder *builder,
                  const char  *name,
                  GPtrArray   *strings)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < strings->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (strings, i));
  json_builder_end_array (builder);
}

/**
 * bnd_sketch_to_json:
 *
 * Returns: (transfer full): the sketch in the `.bndsketch` format
 */
JsonNode *
bnd_sketch_to_json (BndSketch *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autofree char *created = NULL;
  g_autofree char *modified = NULL;
  g_auto(GStrv) ids = NULL;

  g_return_val_if_fail (BND_IS_SKETCH (self), NULL);

  created = format_time (self->created);
  modified = format_time (self->modified);
  ids = bnd_sketch_dup_section_ids (self);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, FORMAT_NAME);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, FORMAT_VERSION);
  json_builder_set_member_name (builder, "uuid");
  json_builder_add_string_value (builder, self->uuid);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, self->title);
  json_builder_set_member_name (builder, "stage");
  json_builder_add_string_value (builder, self->stage);
  json_builder_set_member_name (builder, "created");
  json_builder_add_string_value (builder, created);
  json_builder_set_member_name (builder, "modified");
  json_builder_add_string_value (builder, modified);

  json_builder_set_member_name (builder, "carrier");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "organisation");
  json_builder_add_string_value (builder, self->carrier);
  json_builder_set_member_name (builder, "contact");
  json_builder_add_string_value (builder, self->contact);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "funding_object");
  json_builder_add_int_value (builder, self->funding_object);

  json_builder_set_member_name (builder, "duration");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "start");
  json_builder_add_string_value (builder, self->start);
  json_builder_set_member_name (builder, "end");
  json_builder_add_string_value (builder, self->end);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "sections");
  json_builder_begin_object (builder);
  for (guint i = 0; ids[i]; i++)
    {
      json_builder_set_member_name (builder, ids[i]);
      json_builder_add_string_value (builder, bnd_sketch_get_section (self, ids[i]));
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "links");
  json_builder_begin_object (builder);
  for (guint i = 0; i < BND_N_LINKS; i++)
    add_string_array (builder, _bnd_sketch_link_names[i], self->links[i]);
  json_builder_end_object (builder);

  add_string_array (builder, "partners", self->partners);
  add_string_array (builder, "confirmations", self->confirmations);

  json_builder_set_member_name (builder, "costs");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->costs->len; i++)
    {
      BndCostItem *item = &g_array_index (self->costs, BndCostItem, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "label");
      json_builder_add_string_value (builder, item->label);
      json_builder_set_member_name (builder, "amount");
      json_builder_add_double_value (builder, item->amount);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "requested");
  json_builder_add_double_value (builder, self->requested);
  json_builder_set_member_name (builder, "own_contribution");
  json_builder_add_double_value (builder, self->own_contribution);
  json_builder_set_member_name (builder, "co_financing");
  json_builder_add_double_value (builder, self->co_financing);
  json_builder_end_object (builder);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * bnd_sketch_to_data:
 * @self: a #BndSketch
 * @length: (out) (optional): the length of the text
 *
 * Returns: (transfer full): the sketch as `.bndsketch` text, pretty-printed
 */
char *
bnd_sketch_to_data (BndSketch *self,
                    gsize     *length)
{
  g_autoptr(JsonNode) node = bnd_sketch_to_json (self);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  return json_generator_to_data (generator, length);
}

static gboolean
parse_time (BndJsonCheck *check,
            JsonObject   *object,
            const char   *name,
            gint64       *out)
{
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *path = g_strdup_printf ("$.%s", name);
  const char *text;

  if (!bnd_json_get_string (check, object, "$", name, TRUE, &text))
    return FALSE;
  if (!(time = g_date_time_new_from_iso8601 (text, NULL)))
    return bnd_json_check_fail (check, BND_SKETCH_ERROR_INVALID, path,
                                _("“%s” is not a date and time"), text) != NULL;
  *out = g_date_time_to_unix (time);
  /* The offset can push a date past 9999-12-31 or before 0001-01-01 in UTC, where GLib has no
   * date: it would be written back as null and the sketch could not be loaded again. */
  if (!(utc = g_date_time_new_from_unix_utc (*out)))
    return bnd_json_check_fail (check, BND_SKETCH_ERROR_INVALID, path,
                                /* Translators: %s is a date and time as written in the file */
                                _("“%s” is outside the years 1 to 9999 in UTC"), text) != NULL;
  return TRUE;
}

static gboolean
check_length (BndJsonCheck *check,
              const char   *path,
              const char   *text,
              gsize         max)
{
  if (text != NULL && g_utf8_strlen (text, -1) > (glong)max)
    return bnd_json_check_fail (check, BND_SKETCH_ERROR_TOO_LARGE, path,
                                _("the text is longer than %zu characters"), (size_t)max) != NULL;
  return TRUE;
}

static gboolean
get_short_string (BndJsonCheck  *check,
                  JsonObject    *object,
                  const char    *path,
                  const char    *name,
                  const char   **out)
{
  g_autofree char *member_path = g_strdup_printf ("%s.%s", path, name);
  JsonNode *node = bnd_json_get_member (check, object, path, name, TRUE);

  /* Unlike the strategy's texts these may be empty while the sketch is a draft. */
  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return bnd_json_check_fail (check, BND_SKETCH_ERROR_INVALID, member_path, _("expected a string")) != NULL;
  *out = json_node_get_string (node);
  return check_length (check, member_path, *out, BND_SKETCH_MAX_SHORT_TEXT);
}

static gboolean
known_link (BndStrategy *strategy,
            BndLinkKind  kind,
            const char  *id)
{
  GPtrArray *list = NULL;

  switch (kind)
    {
    case BND_LINK_GOALS:
      list = bnd_strategy_get_goals (strategy);
      break;
    case BND_LINK_CROSS_CUTTING:
      list = bnd_strategy_get_cross_cutting_goals (strategy);
      break;
    case BND_LINK_FIELDS:
      list = bnd_strategy_get_fields (strategy);
      break;
    case BND_LINK_TOPICS:
      list = bnd_strategy_get_topics (strategy);
      break;
    case BND_LINK_DISTRICTS:
      if (g_str_equal (id, BND_DISTRICT_CROSS_DISTRICT))
        return TRUE;
      list = bnd_strategy_get_districts (strategy);
      break;
    case BND_N_LINKS:
    default:
      g_assert_not_reached ();
    }

  /* Every record of the strategy starts with its id. */
  for (guint i = 0; i < list->len; i++)
    if (g_str_equal (*(const char **)g_ptr_array_index (list, i), id))
      return TRUE;
  return FALSE;
}

static gboolean
parse_strings (BndJsonCheck  *check,
               JsonObject    *object,
               const char    *path,
               const char    *name,
               GPtrArray     *out)
{
  g_autofree char *member_path = g_strdup_printf ("%s.%s", path, name);
  JsonArray *array = bnd_json_get_array (check, object, path, name, TRUE, FALSE);

  if (array == NULL)
    return FALSE;
  if (json_array_get_length (array) > BND_SKETCH_MAX_COST_ITEMS)
    return bnd_json_check_fail (check, BND_SKETCH_ERROR_TOO_LARGE, member_path,
                                _("the list has more than %d entries"), BND_SKETCH_MAX_COST_ITEMS) != NULL;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *item_path = g_strdup_printf ("%s[%u]", member_path, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        return bnd_json_check_fail (check, BND_SKETCH_ERROR_INVALID, item_path, _("expected a string")) != NULL;
      if (!check_length (check, item_path, json_node_get_string (node), BND_SKETCH_MAX_SHORT_TEXT))
        return FALSE;
      g_ptr_array_add (out, g_strdup (json_node_get_string (node)));
    }
  return TRUE;
}

static gboolean
parse_sketch (BndJsonCheck *check,
              BndSketch    *self,
              JsonObject   *root,
              BndStrategy  *strategy)
{
  JsonObject *carrier, *duration, *sections, *links, *costs;
  const char *format, *uuid, *string;
  g_autoptr(GList) members = NULL;
  JsonArray *items;
  int version;

  if (!bnd_json_get_string (check, root, "$", "format", TRUE, &format))
    return FALSE;
  if (!g_str_equal (format, FORMAT_NAME))
    return bnd_json_check_fail (check, BND_SKETCH_ERROR_FORMAT, "$.format",
                                _("this is not a Bündnis sketch (format “%s”)"), format) != NULL;
  if (!bnd_json_get_int (check, root, "$", "version", 0, G_MAXINT, &version))
    return FALSE;
  if (version != FORMAT_VERSION)
    return bnd_json_check_fail (check, BND_SKETCH_ERROR_FORMAT, "$.version",
                                _("version %d is not supported; this version of Bündnis reads version 1"),
                                version) != NULL;

  if (!bnd_json_get_string (check, root, "$", "uuid", TRUE, &uuid))
    return FALSE;
  if (!g_uuid_string_is_valid (uuid))
    return bnd_json_check_fail (check, BND_SKETCH_ERROR_INVALID, "$.uuid", _("“%s” is not a UUID"), uuid) != NULL;
  _bnd_sketch_set_string (&self->uuid, uuid);

  if (!get_short_string (check, root, "$", "title", &string))
    return FALSE;
  _bnd_sketch_set_string (&self->title, string);
  if (!bnd_json_get_string (check, root, "$", "stage", TRUE, &string))
    return FALSE;
  _bnd_sketch_set_string (&self->stage, string);
  if (!parse_time (check, root, "created", &self->created) ||
      !parse_time (check, root, "modified", &self->modified))
    return FALSE;

  if (!(carrier = bnd_json_get_object (check, root, "$", "carrier")) ||
      !get_short_string (check, carrier, "$.carrier", "organisation", &string))
    return FALSE;
  _bnd_sketch_set_string (&self->carrier, string);
  if (!get_short_string (check, carrier, "$.carrier", "contact", &string))
    return FALSE;
  _bnd_sketch_set_string (&self->contact, string);

  if (!bnd_json_get_int (check, root, "$", "funding_object", 0,
                         strategy ? (int)bnd_strategy_get_funding_objects (strategy)->len : 99,
                         &self->funding_object))
    return FALSE;

  if (!(duration = bnd_json_get_object (check, root, "$", "duration")) ||
      !get_short_string (check, duration, "$.duration", "start", &string))
    return FALSE;
  _bnd_sketch_set_string (&self->start, string);
  if (!get_short_string (check, duration, "$.duration", "end", &string))
    return FALSE;
  _bnd_sketch_set_string (&self->end, string);

  if (!(sections = bnd_json_get_object (check, root, "$", "sections")))
    return FALSE;
  members = json_object_get_members (sections);
  for (GList *l = members; l; l = l->next)
    {
      const char *id = l->data;
      g_autofree char *path = g_strdup_printf ("$.sections.%s", id);
      JsonNode *node = json_object_get_member (sections, id);
      gboolean known = strategy == NULL;

      for (guint i = 0; !known && i < bnd_strategy_get_template_sections (strategy)->len; i++)
        known = g_str_equal (((BndTemplateSection *)g_ptr_array_index (bnd_strategy_get_template_sections (strategy), i))->id, id);
      if (!known)
        return bnd_json_check_fail (check, BND_SKETCH_ERROR_INVALID, path,
                                    _("the template has no section “%s”"), id) != NULL;
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        return bnd_json_check_fail (check, BND_SKETCH_ERROR_INVALID, path, _("expected a string")) != NULL;
      if (!check_length (check, path, json_node_get_string (node), BND_SKETCH_MAX_TEXT))
        return FALSE;
      if (*json_node_get_string (node))
        g_hash_table_replace (self->sections, g_strdup (id), g_strdup (json_node_get_string (node)));
    }

  if (!(links = bnd_json_get_object (check, root, "$", "links")))
    return FALSE;
  for (guint kind = 0; kind < BND_N_LINKS; kind++)
    {
      if (!parse_strings (check, links, "$.links", _bnd_sketch_link_names[kind], self->links[kind]))
        return FALSE;
      for (guint i = 0; strategy && i < self->links[kind]->len; i++)
        {
          const char *id = g_ptr_array_index (self->links[kind], i);
          g_autofree char *path = g_strdup_printf ("$.links.%s[%u]", _bnd_sketch_link_names[kind], i);

          if (!known_link (strategy, kind, id))
            return bnd_json_check_fail (check, BND_SKETCH_ERROR_INVALID, path,
                                        _("the strategy has no “%s”"), id) != NULL;
        }
    }

  if (!parse_strings (check, root, "$", "partners", self->partners))
    return FALSE;

  /* Optional: files from before the funding conditions have none. Ids the strategy does not
   * know are kept, not refused: a newer pack may drop a condition, and the sketch must still
   * open; they meet no condition. */
  if (json_object_has_member (root, "confirmations"))
    {
      GPtrArray *ids = self->confirmations;

      if (!parse_strings (check, root, "$", "confirmations", ids))
        return FALSE;
      for (guint i = 0; i < ids->len; i++)
        if (*(char *)g_ptr_array_index (ids, i) == 0)
          {
            g_autofree char *path = g_strdup_printf ("$.confirmations[%u]", i);
            return bnd_json_check_fail (check, BND_SKETCH_ERROR_INVALID, path,
                                        _("expected the id of a condition")) != NULL;
          }
      /* Sorted and each once, as bnd_sketch_set_confirmations() keeps them; not through it,
       * since loading is no edit. */
      g_ptr_array_sort (ids, compare_strings);
      for (guint i = 1; i < ids->len; )
        if (g_str_equal (g_ptr_array_index (ids, i - 1), g_ptr_array_index (ids, i)))
          g_ptr_array_remove_index (ids, i);
        else
          i++;
    }

  if (!(costs = bnd_json_get_object (check, root, "$", "costs")) ||
      !(items = bnd_json_get_array (check, costs, "$.costs", "items", TRUE, FALSE)))
    return FALSE;
  if (json_array_get_length (items) > BND_SKETCH_MAX_COST_ITEMS)
    return bnd_json_check_fail (check, BND_SKETCH_ERROR_TOO_LARGE, "$.costs.items",
                                _("the list has more than %d entries"), BND_SKETCH_MAX_COST_ITEMS) != NULL;
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      g_autofree char *path = g_strdup_printf ("$.costs.items[%u]", i);
      JsonNode *node = json_array_get_element (items, i);
      BndCostItem item = { NULL, 0 };
      const char *label;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return bnd_json_check_fail (check, BND_SKETCH_ERROR_INVALID, path, _("expected an object")) != NULL;
      if (!get_short_string (check, json_node_get_object (node), path, "label", &label) ||
          !bnd_json_get_number (check, json_node_get_object (node), path, "amount", 0,
                                BND_SKETCH_MAX_AMOUNT, &item.amount))
        return FALSE;
      item.label = g_strdup (label);
      g_array_append_val (self->costs, item);
    }

  return bnd_json_get_number (check, costs, "$.costs", "requested", 0, BND_SKETCH_MAX_AMOUNT, &self->requested) &&
         bnd_json_get_number (check, costs, "$.costs", "own_contribution", 0, BND_SKETCH_MAX_AMOUNT,
                              &self->own_contribution) &&
         bnd_json_get_number (check, costs, "$.costs", "co_financing", 0, BND_SKETCH_MAX_AMOUNT,
                              &self->co_financing);
}

static BndSketch *
new_from_json (JsonNode     *node,
               const char   *origin,
               BndStrategy  *strategy,
               GError      **error)
{
  g_autoptr(BndSketch) self = bnd_sketch_new ();
  BndJsonCheck check = {
    .origin = origin,
    .domain = BND_SKETCH_ERROR,
    .codes = { BND_SKETCH_ERROR_INVALID, BND_SKETCH_ERROR_INVALID, BND_SKETCH_ERROR_INVALID },
    .error = error,
  };

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return bnd_json_check_fail (&check, BND_SKETCH_ERROR_FORMAT, "$", _("expected an object"));

  if (!bnd_json_check_strings (&check, node, "$"))
    return NULL;

  if (!parse_sketch (&check, self, json_node_get_object (node), strategy))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * bnd_sketch_new_from_json:
 * @node: a `.bndsketch` document
 * @strategy: (nullable): the strategy whose section ids and links the sketch must use
 * @error: return location for a #BndSketchError
 *
 * Returns: (transfer full) (nullable): the sketch, or %NULL with @error set
 */
BndSketch *
bnd_sketch_new_from_json (JsonNode     *node,
                          BndStrategy  *strategy,
                          GError      **error)
{
  return new_from_json (node, "sketch", strategy, error);
}

/**
 * bnd_sketch_new_from_data:
 * @data: the text of a `.bndsketch` file
 * @length: its length in bytes
 * @origin: (nullable): the file name, for messages
 * @strategy: (nullable): the strategy to check section ids and links against
 * @error: return location for a #BndSketchError naming the JSON path and the problem
 *
 * Reads a sketch file and checks all of it: format and version, every member's type, section
 * ids against the template, links against the strategy, UTF-8 and sizes.
 *
 * Returns: (transfer full) (nullable): the sketch, or %NULL with @error set
 */
BndSketch *
bnd_sketch_new_from_data (const char   *data,
                          gsize         length,
                          const char   *origin,
                          BndStrategy  *strategy,
                          GError      **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) parse_error = NULL;
  const char *end;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length == 0)
    {
      g_set_error (error, BND_SKETCH_ERROR, BND_SKETCH_ERROR_PARSE, _("The file is empty."));
      return NULL;
    }
  if (length > BND_SKETCH_MAX_FILE_SIZE)
    {
      g_set_error (error, BND_SKETCH_ERROR, BND_SKETCH_ERROR_TOO_LARGE,
                   _("The file is too large for a sketch (%zu bytes; at most %d)."),
                   (size_t)length, BND_SKETCH_MAX_FILE_SIZE);
      return NULL;
    }
  if (!g_utf8_validate (data, length, &end))
    {
      g_set_error (error, BND_SKETCH_ERROR, BND_SKETCH_ERROR_PARSE,
                   _("The file is not valid UTF-8 text (at byte %zu)."), (size_t)(end - data));
      return NULL;
    }

  if (!bnd_json_check_limits (data, length, BND_JSON_MAX_DEPTH, &parse_error))
    {
      g_set_error_literal (error, BND_SKETCH_ERROR, BND_SKETCH_ERROR_PARSE, parse_error->message);
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &parse_error))
    {
      g_autofree char *message = bnd_json_dup_valid_text (parse_error->message);

      g_set_error (error, BND_SKETCH_ERROR, BND_SKETCH_ERROR_PARSE,
                   _("The file is not valid JSON: %s"), message);
      return NULL;
    }

  return new_from_json (json_parser_get_root (parser), origin ? origin : "sketch", strategy, error);
}
