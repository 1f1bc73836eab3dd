/* bnd-server-portfolio.c: all submitted dossiers at a glance, against the strategy
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-portfolio"

#include "config.h"

#include <glib/gi18n.h>

#include "bnd-server-db-private.h"
#include "bnd-server-portfolio.h"

/* Every dossier past its draft: by stage, as a goals × Landkreise coverage matrix (zeros
 * included, so the gaps show), by Fördergegenstand with requested and approved sums. */

static double
approved_amount (BndServerDb *self,
                 const char  *uuid)
{
  g_autoptr(BndDbStmt) stmt =
    bnd_server_db_prepare (self, "SELECT detail FROM audit WHERE dossier = ?1 AND action = 'approved' "
                                 "ORDER BY n DESC LIMIT 1", NULL);
  g_autoptr(JsonNode) detail = NULL;

  if (stmt == NULL)
    return 0;
  bnd_db_bind_text (stmt, 1, uuid);
  if (bnd_db_step (stmt) != BND_DB_ROW ||
      !(detail = json_from_string (bnd_db_column_text (stmt, 0), NULL)) ||
      !JSON_NODE_HOLDS_OBJECT (detail))
    return 0;
  return json_object_get_double_member_with_default (json_node_get_object (detail), "amount", 0);
}

static JsonArray *
array_member (JsonObject *object,
              const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static JsonObject *
object_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* The strings of @array (nullable) as a new array of their own */
static JsonArray *
string_array_copy (JsonArray *array)
{
  JsonArray *copy = json_array_new ();

  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        json_array_add_string_element (copy, json_node_get_string (node));
    }
  return copy;
}

static void
add_to (JsonObject *counts,
        const char *key,
        double      amount)
{
  json_object_set_double_member (counts, key, json_object_get_double_member_with_default (counts, key, 0) + amount);
}

JsonNode *
bnd_server_db_portfolio (BndServerDb    *self,
                         const BndUser  *user,
                         BndStrategy    *strategy,
                         GError        **error)
{
  GPtrArray *goals = bnd_strategy_get_goals (strategy);
  GPtrArray *districts = bnd_strategy_get_districts (strategy);
  GPtrArray *funding_objects = bnd_strategy_get_funding_objects (strategy);
  g_autoptr(BndDbStmt) stmt = NULL;
  g_autoptr(JsonObject) by_stage = json_object_new ();
  g_autoptr(JsonObject) coverage = json_object_new ();
  g_autoptr(JsonObject) by_funding = json_object_new ();
  g_autoptr(JsonArray) dossiers = json_array_new ();
  JsonObject *root = json_object_new ();
  JsonNode *node;
  double requested_total = 0, approved_total = 0;

  if (user->role != BND_ROLE_COORDINATION && user->role != BND_ROLE_PARTNER)
    {
      json_object_unref (root);
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_FORBIDDEN,
                   _("The portfolio is for the network coordination and the partners"));
      return NULL;
    }

  for (guint g = 0; g < goals->len; g++)
    {
      const BndGoal *goal = g_ptr_array_index (goals, g);
      JsonObject *row = json_object_new ();

      if (goal->cross_cutting)
        {
          json_object_unref (row);
          continue;
        }
      for (guint d = 0; d < districts->len; d++)
        json_object_set_int_member (row, ((const BndDistrict *)g_ptr_array_index (districts, d))->id, 0);
      json_object_set_object_member (coverage, goal->id, row);
    }
  for (guint f = 0; f < funding_objects->len; f++)
    {
      const BndFundingObject *object = g_ptr_array_index (funding_objects, f);
      JsonObject *sums = json_object_new ();
      g_autofree char *key = g_strdup_printf ("%d", object->number);

      json_object_set_int_member (sums, "count", 0);
      json_object_set_double_member (sums, "requested", 0);
      json_object_set_double_member (sums, "approved", 0);
      json_object_set_object_member (by_funding, key, sums);
    }

  if (!(stmt = bnd_server_db_prepare (self, "SELECT uuid, org, stage, data, (SELECT min (s.submitted) FROM "
                                            "submissions AS s WHERE s.uuid = records.uuid) FROM records "
                                            "WHERE EXISTS (SELECT 1 FROM submissions AS s WHERE s.uuid = records.uuid) "
                                            "ORDER BY uuid", error)))
    {
      json_object_unref (root);
      return NULL;
    }
  while (bnd_db_step (stmt) == BND_DB_ROW)
    {
      const char *uuid = bnd_db_column_text (stmt, 0);
      const char *stage = bnd_db_column_text (stmt, 2);
      g_autoptr(JsonNode) data = json_from_string (bnd_db_column_text (stmt, 3), NULL);
      JsonObject *sketch = data && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;
      JsonObject *links = object_member (sketch, "links");
      JsonObject *costs = object_member (sketch, "costs");
      JsonObject *duration = object_member (sketch, "duration");
      JsonArray *sketch_goals = array_member (links, "goals");
      JsonArray *sketch_districts = array_member (links, "districts");
      double requested = costs ? json_object_get_double_member_with_default (costs, "requested", 0) : 0;
      double approved = g_str_equal (stage, "approved") ? approved_amount (self, uuid) : 0;
      gint64 funding = sketch ? json_object_get_int_member_with_default (sketch, "funding_object", 0) : 0;
      g_autofree char *funding_key = g_strdup_printf ("%" G_GINT64_FORMAT, funding);
      JsonObject *sums = json_object_has_member (by_funding, funding_key)
                         ? json_object_get_object_member (by_funding, funding_key) : NULL;
      JsonObject *entry = json_object_new ();

      json_object_set_int_member (by_stage, stage, json_object_get_int_member_with_default (by_stage, stage, 0) + 1);
      for (guint g = 0; sketch_goals && g < json_array_get_length (sketch_goals); g++)
        {
          const char *goal = json_array_get_string_element (sketch_goals, g);
          JsonObject *row = goal && json_object_has_member (coverage, goal) ? json_object_get_object_member (coverage, goal) : NULL;

          for (guint d = 0; row && sketch_districts && d < json_array_get_length (sketch_districts); d++)
            {
              const char *district = json_array_get_string_element (sketch_districts, d);

              if (district && json_object_has_member (row, district))
                json_object_set_int_member (row, district, json_object_get_int_member (row, district) + 1);
            }
        }
      if (sums)
        {
          json_object_set_int_member (sums, "count", json_object_get_int_member (sums, "count") + 1);
          add_to (sums, "requested", requested);
          add_to (sums, "approved", approved);
        }
      requested_total += requested;
      approved_total += approved;

      json_object_set_string_member (entry, "uuid", uuid);
      json_object_set_string_member (entry, "title", sketch ? json_object_get_string_member_with_default (sketch, "title", "") : "");
      json_object_set_string_member (entry, "org", bnd_db_column_text (stmt, 1));
      json_object_set_string_member (entry, "stage", stage);
      json_object_set_int_member (entry, "funding_object", funding);
      json_object_set_double_member (entry, "requested", requested);
      json_object_set_double_member (entry, "approved", approved);
      /* For the spreadsheet's date and Landkreis columns: when it was first submitted, the
       * project's duration as the sketch gives it, and where it works */
      json_object_set_int_member (entry, "submitted", bnd_db_column_int64 (stmt, 4));
      json_object_set_string_member (entry, "start",
                                     duration ? json_object_get_string_member_with_default (duration, "start", "") : "");
      json_object_set_string_member (entry, "end",
                                     duration ? json_object_get_string_member_with_default (duration, "end", "") : "");
      json_object_set_array_member (entry, "districts", string_array_copy (sketch_districts));
      json_array_add_object_element (dossiers, entry);
    }

  json_object_set_object_member (root, "by_stage", json_object_ref (by_stage));
  json_object_set_object_member (root, "coverage", json_object_ref (coverage));
  json_object_set_object_member (root, "by_funding_object", json_object_ref (by_funding));
  json_object_set_double_member (root, "requested", requested_total);
  json_object_set_double_member (root, "approved", approved_total);
  json_object_set_array_member (root, "dossiers", json_array_ref (dossiers));
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, root);
  return node;
}
