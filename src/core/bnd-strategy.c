/* bnd-strategy.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-strategy"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "bnd-strategy-private.h"
#include "bnd-strategy-resources.h"

/* A strategy pack is small (a few hundred kB); anything much larger is not one. */
#define MAX_PACK_SIZE (16 * 1024 * 1024)
#define ID_CHARACTERS BND_STRATEGY_ID_CHARACTERS
#define DEFAULT_PACK_RESOURCE "/de/fachkraefteallianz_non/Buendnis/strategy/nordostniedersachsen-2024-2027.json"

G_DEFINE_FINAL_TYPE (BndStrategy, bnd_strategy, G_TYPE_OBJECT)
G_DEFINE_QUARK (bnd-strategy-error-quark, bnd_strategy_error)

typedef struct
{
  BndJsonCheck  check;
  BndStrategy  *self;
} Loader;

typedef gpointer (*ParseItemFunc) (Loader     *loader,
                                   JsonObject *object,
                                   const char *path);

static const char *partner_kinds[BND_N_PARTNER_KINDS] = {
  "chamber", "employers", "union", "employment-agency", "university", "district",
};

static void
goal_free (gpointer data)
{
  BndGoal *goal = data;

  g_clear_pointer (&goal->measures, g_ptr_array_unref);
  g_clear_pointer (&goal->examples, g_ptr_array_unref);
  g_free (goal);
}

static void
topic_free (gpointer data)
{
  BndTopic *topic = data;

  g_clear_pointer (&topic->goals, g_ptr_array_unref);
  g_free (topic);
}

static gpointer
lookup (Loader     *loader,
        guint       index,
        const char *id,
        const char *path)
{
  gpointer item = g_hash_table_lookup (loader->self->by_id[index], id);
  const char *format;

  if (item != NULL)
    return item;

  /* One whole message per kind, so that translations can agree with the noun. */
  switch (index)
    {
    case IDX_DISTRICT:
      format = _("unknown district “%s”");
      break;
    case IDX_GOAL:
      format = _("unknown goal “%s”");
      break;
    case IDX_FIELD:
      format = _("unknown field of action “%s”");
      break;
    case IDX_INDICATOR_TOPIC:
      format = _("unknown indicator topic “%s”");
      break;
    case IDX_GROUP:
      format = _("unknown occupation group “%s”");
      break;
    default:
      format = _("unknown id “%s”");
      break;
    }
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  /* Every format above takes exactly one string. */
  bnd_json_check_fail (&loader->check, BND_STRATEGY_ERROR_REFERENCE, path, format, id);
#pragma GCC diagnostic pop
  return NULL;
}

static gboolean
parse_list (Loader        *loader,
            JsonObject    *object,
            const char    *path,
            const char    *name,
            guint          index,
            ParseItemFunc  parse_item,
            GPtrArray     *out)
{
  JsonArray *array = bnd_json_get_array (&loader->check, object, path, name, TRUE, TRUE);

  if (array == NULL)
    return FALSE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *item_path = g_strdup_printf ("%s.%s[%u]", path, name, i);
      JsonNode *node = json_array_get_element (array, i);
      gpointer item;
      const char *id;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return bnd_json_check_fail (&loader->check, BND_STRATEGY_ERROR_TYPE, item_path, _("expected an object")) != NULL;

      if (!bnd_json_get_string (&loader->check, json_node_get_object (node), item_path, "id", TRUE, &id))
        return FALSE;

      /* Ids end up in PDF link names, JSON paths, URLs and command lines: keep them plain. */
      if (id[strspn (id, ID_CHARACTERS)] != 0)
        {
          g_autofree char *id_path = g_strdup_printf ("%s.id", item_path);
          return bnd_json_check_fail (&loader->check, BND_STRATEGY_ERROR_INVALID, id_path,
                       /* Translators: %s is an id from the strategy pack */
                       _("the id “%s” may contain only letters a–z and A–Z, digits, "
                         "“.”, “_” and “-”"),
                       id) != NULL;
        }

      if (g_hash_table_contains (loader->self->by_id[index], id))
        {
          g_autofree char *id_path = g_strdup_printf ("%s.id", item_path);
          return bnd_json_check_fail (&loader->check, BND_STRATEGY_ERROR_DUPLICATE, id_path,
                       _("the id “%s” is used twice"), id) != NULL;
        }

      if (!(item = parse_item (loader, json_node_get_object (node), item_path)))
        return FALSE;

      /* Every record starts with its id. */
      *(const char **)item = id;
      g_hash_table_insert (loader->self->by_id[index], (gpointer)id, item);
      g_ptr_array_add (out, item);
    }

  return TRUE;
}

static gpointer
parse_district (Loader     *loader,
                JsonObject *object,
                const char *path)
{
  g_autofree BndDistrict *district = g_new0 (BndDistrict, 1);

  if (!bnd_json_get_string (&loader->check, object, path, "name", TRUE, &district->name) ||
      !bnd_json_get_string (&loader->check, object, path, "short_name", TRUE, &district->short_name))
    return NULL;

  return g_steal_pointer (&district);
}

static gpointer
parse_partner (Loader     *loader,
               JsonObject *object,
               const char *path)
{
  g_autofree BndPartner *partner = g_new0 (BndPartner, 1);
  const char *kind, *district;

  if (!bnd_json_get_string (&loader->check, object, path, "name", TRUE, &partner->name) ||
      !bnd_json_get_string (&loader->check, object, path, "short_name", TRUE, &partner->short_name) ||
      !bnd_json_get_string (&loader->check, object, path, "kind", TRUE, &kind) ||
      !bnd_json_get_string (&loader->check, object, path, "district", FALSE, &district))
    return NULL;

  partner->kind = BND_N_PARTNER_KINDS;
  for (guint i = 0; i < BND_N_PARTNER_KINDS; i++)
    if (g_str_equal (kind, partner_kinds[i]))
      partner->kind = i;

  if (partner->kind == BND_N_PARTNER_KINDS)
    {
      g_autofree char *kind_path = g_strdup_printf ("%s.kind", path);
      return bnd_json_check_fail (&loader->check, BND_STRATEGY_ERROR_INVALID, kind_path,
                   _("unknown kind of partner “%s”"), kind);
    }

  if (district != NULL)
    {
      g_autofree char *district_path = g_strdup_printf ("%s.district", path);

      if (!(partner->district = lookup (loader, IDX_DISTRICT, district, district_path)))
        return NULL;
    }
  else if (partner->kind == BND_PARTNER_KIND_DISTRICT)
    {
      g_autofree char *district_path = g_strdup_printf ("%s.district", path);
      return bnd_json_check_fail (&loader->check, BND_STRATEGY_ERROR_MISSING, district_path,
                   _("a Landkreis partner must name its district"));
    }

  return g_steal_pointer (&partner);
}

static gpointer
parse_example (Loader     *loader,
               JsonObject *object,
               const char *path)
{
  g_autofree BndProjectExample *example = g_new0 (BndProjectExample, 1);

  if (!bnd_json_get_string (&loader->check, object, path, "title", TRUE, &example->title) ||
      !bnd_json_get_string (&loader->check, object, path, "text", TRUE, &example->text) ||
      !bnd_json_get_string (&loader->check, object, path, "url", FALSE, &example->url))
    return NULL;

  return g_steal_pointer (&example);
}

static gpointer
parse_goal_common (Loader     *loader,
                   JsonObject *object,
                   const char *path,
                   gboolean    cross_cutting)
{
  g_autoptr(GPtrArray) examples = g_ptr_array_new_with_free_func (g_free);
  BndGoal *goal = g_new0 (BndGoal, 1);
  JsonArray *array;

  goal->cross_cutting = cross_cutting;
  goal->examples = g_ptr_array_ref (examples);

  if (!bnd_json_get_string (&loader->check, object, path, "title", TRUE, &goal->title) ||
      !bnd_json_get_string (&loader->check, object, path, "objective", !cross_cutting, &goal->objective) ||
      !bnd_json_get_string (&loader->check, object, path, "description", TRUE, &goal->description) ||
      !(goal->measures = bnd_json_get_string_list (&loader->check, object, path, "measures", TRUE)))
    goto failed;

  if (json_object_has_member (object, "examples"))
    {
      if (!(array = bnd_json_get_array (&loader->check, object, path, "examples", TRUE, FALSE)))
        goto failed;

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *item_path = g_strdup_printf ("%s.examples[%u]", path, i);
          JsonNode *node = json_array_get_element (array, i);
          gpointer example;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            {
              bnd_json_check_fail (&loader->check, BND_STRATEGY_ERROR_TYPE, item_path, _("expected an object"));
              goto failed;
            }
          if (!(example = parse_example (loader, json_node_get_object (node), item_path)))
            goto failed;
          g_ptr_array_add (examples, example);
        }
    }

  return goal;

failed:
  goal_free (goal);
  return NULL;
}

static gpointer
parse_goal (Loader     *loader,
            JsonObject *object,
            const char *path)
{
  return parse_goal_common (loader, object, path, FALSE);
}

static gpointer
parse_cross_cutting_goal (Loader     *loader,
                          JsonObject *object,
                          const char *path)
{
  return parse_goal_common (loader, object, path, TRUE);
}

static gpointer
parse_field (Loader     *loader,
             JsonObject *object,
             const char *path)
{
  g_autofree BndField *field = g_new0 (BndField, 1);

  if (!bnd_json_get_string (&loader->check, object, path, "title", TRUE, &field->title))
    return NULL;

  return g_steal_pointer (&field);
}

static gpointer
parse_topic (Loader     *loader,
             JsonObject *object,
             const char *path)
{
  BndTopic *topic = g_new0 (BndTopic, 1);
  g_autoptr(GPtrArray) goal_ids = NULL;
  g_autofree char *field_path = g_strdup_printf ("%s.field", path);
  const char *field;

  topic->goals = g_ptr_array_new ();

  if (!bnd_json_get_int (&loader->check, object, path, "number", 1, 999, &topic->number) ||
      !bnd_json_get_string (&loader->check, object, path, "field", TRUE, &field) ||
      !(topic->field = lookup (loader, IDX_FIELD, field, field_path)) ||
      !bnd_json_get_string (&loader->check, object, path, "title", TRUE, &topic->title) ||
      !bnd_json_get_string (&loader->check, object, path, "text", TRUE, &topic->text) ||
      !(goal_ids = bnd_json_get_string_list (&loader->check, object, path, "goals", TRUE)))
    goto failed;

  for (guint i = 0; i < goal_ids->len; i++)
    {
      g_autofree char *goal_path = g_strdup_printf ("%s.goals[%u]", path, i);
      gpointer goal = lookup (loader, IDX_GOAL, g_ptr_array_index (goal_ids, i), goal_path);

      if (goal == NULL)
        goto failed;
      g_ptr_array_add (topic->goals, goal);
    }

  return topic;

failed:
  topic_free (topic);
  return NULL;
}

static gpointer
parse_funding_object (Loader     *loader,
                      JsonObject *object,
                      const char *path)
{
  g_autofree BndFundingObject *funding_object = g_new0 (BndFundingObject, 1);

  if (!bnd_json_get_int (&loader->check, object, path, "number", 1, 99, &funding_object->number) ||
      !bnd_json_get_string (&loader->check, object, path, "title", TRUE, &funding_object->title) ||
      !bnd_json_get_string (&loader->check, object, path, "description", TRUE, &funding_object->description) ||
      !_bnd_strategy_parse_conditions (&loader->check, object, path, funding_object->number,
                                       loader->self->by_id[IDX_CONDITION], loader->self->conditions))
    return NULL;

  return g_steal_pointer (&funding_object);
}

static gpointer
parse_stage (Loader     *loader,
             JsonObject *object,
             const char *path)
{
  g_autofree BndStage *stage = g_new0 (BndStage, 1);

  if (!bnd_json_get_int (&loader->check, object, path, "step", 1, 99, &stage->step) ||
      !bnd_json_get_string (&loader->check, object, path, "title", TRUE, &stage->title) ||
      !bnd_json_get_string (&loader->check, object, path, "actor", TRUE, &stage->actor) ||
      !bnd_json_get_string (&loader->check, object, path, "description", TRUE, &stage->description) ||
      !bnd_json_get_string (&loader->check, object, path, "duration", FALSE, &stage->duration))
    return NULL;

  return g_steal_pointer (&stage);
}

static gpointer
parse_criterion (Loader     *loader,
                 JsonObject *object,
                 const char *path)
{
  g_autofree BndRatingCriterion *criterion = g_new0 (BndRatingCriterion, 1);

  if (!bnd_json_get_string (&loader->check, object, path, "title", TRUE, &criterion->title) ||
      !bnd_json_get_string (&loader->check, object, path, "description", TRUE, &criterion->description))
    return NULL;

  return g_steal_pointer (&criterion);
}

/* The rating criteria, scale, vote duration and quorum rule of the Lenkungskreis. */
static gboolean
parse_review (Loader     *loader,
              JsonObject *root)
{
  BndReview *review = &loader->self->review;
  JsonObject *object, *scale;

  if (!(object = bnd_json_get_object (&loader->check, root, "$", "review")) ||
      !bnd_json_get_string (&loader->check, object, "$.review", "source", TRUE, &review->source) ||
      !bnd_json_get_string (&loader->check, object, "$.review", "note", FALSE, &review->note) ||
      !(scale = bnd_json_get_object (&loader->check, object, "$.review", "scale")) ||
      !bnd_json_get_int (&loader->check, scale, "$.review.scale", "min", 0, 9, &review->scale_min) ||
      !bnd_json_get_int (&loader->check, scale, "$.review.scale", "max", review->scale_min + 1, 10, &review->scale_max) ||
      !parse_list (loader, object, "$.review", "criteria", IDX_CRITERION, parse_criterion, review->criteria) ||
      !bnd_json_get_int (&loader->check, object, "$.review", "vote_days", 1, 90, &review->vote_days) ||
      !bnd_json_get_string (&loader->check, object, "$.review", "quorum", TRUE, &review->quorum))
    return FALSE;
  /* Optional: "Rückmeldung … innerhalb von ca. zwei Wochen" (strategy §4.1). */
  review->rating_days = 14;
  if (json_object_has_member (object, "rating_days") &&
      !bnd_json_get_int (&loader->check, object, "$.review", "rating_days", 1, 90, &review->rating_days))
    return FALSE;

  if (!g_str_equal (review->quorum, "more-than-half"))
    return bnd_json_check_fail (&loader->check, BND_STRATEGY_ERROR_INVALID, "$.review.quorum",
                                _("unknown quorum rule “%s”; the only one is “more-than-half”"),
                                review->quorum) != NULL;
  return TRUE;
}

static gpointer
parse_section (Loader     *loader,
               JsonObject *object,
               const char *path)
{
  g_autofree BndTemplateSection *section = g_new0 (BndTemplateSection, 1);

  if (!bnd_json_get_string (&loader->check, object, path, "title", TRUE, &section->title) ||
      !bnd_json_get_string (&loader->check, object, path, "guidance", TRUE, &section->guidance) ||
      !bnd_json_get_boolean (&loader->check, object, path, "required", &section->required))
    return NULL;

  /* The facts of such a section (carrier, Fördergegenstand, dates, costs) are entered once, in
   * the sketch's fields, and the PDF states them from there: its text only adds to them. */
  if (json_object_has_member (object, "from_fields") &&
      !bnd_json_get_boolean (&loader->check, object, path, "from_fields", &section->from_fields))
    return NULL;

  /* The sketch is written in German (its title and guidance are the template's); an English
   * UI shows what they say in English where the pack has it. */
  if (json_object_has_member (object, "en"))
    {
      g_autofree char *en_path = g_strdup_printf ("%s.en", path);
      JsonObject *en = bnd_json_get_object (&loader->check, object, path, "en");

      if (en == NULL ||
          !bnd_json_get_string (&loader->check, en, en_path, "title", TRUE, &section->title_en) ||
          !bnd_json_get_string (&loader->check, en, en_path, "guidance", TRUE, &section->guidance_en))
        return NULL;
    }

  return g_steal_pointer (&section);
}

static gpointer
parse_indicator_topic (Loader     *loader,
                       JsonObject *object,
                       const char *path)
{
  g_autofree BndIndicatorTopic *topic = g_new0 (BndIndicatorTopic, 1);

  if (!bnd_json_get_string (&loader->check, object, path, "title", TRUE, &topic->title) ||
      !bnd_json_get_string (&loader->check, object, path, "section", TRUE, &topic->section))
    return NULL;

  return g_steal_pointer (&topic);
}

static gpointer
parse_occupation_group (Loader     *loader,
                        JsonObject *object,
                        const char *path)
{
  g_autofree BndOccupationGroup *group = g_new0 (BndOccupationGroup, 1);

  if (!bnd_json_get_string (&loader->check, object, path, "title", TRUE, &group->title))
    return NULL;

  return g_steal_pointer (&group);
}

static gboolean
is_area (BndStrategy *self,
         const char  *area)
{
  return g_str_equal (area, BND_AREA_REGION) ||
         g_str_equal (area, BND_AREA_NIEDERSACHSEN) ||
         g_str_equal (area, BND_AREA_GERMANY) ||
         g_hash_table_contains (self->by_id[IDX_DISTRICT], area);
}

static gpointer
parse_indicator (Loader     *loader,
                 JsonObject *object,
                 const char *path)
{
  g_autofree BndIndicator *indicator = g_new0 (BndIndicator, 1);
  g_autofree char *topic_path = g_strdup_printf ("%s.topic", path);
  g_autofree char *group_path = g_strdup_printf ("%s.group", path);
  const char *topic, *group;
  JsonNode *value;

  if (!bnd_json_get_string (&loader->check, object, path, "label", TRUE, &indicator->label) ||
      !(value = bnd_json_get_member (&loader->check, object, path, "value", TRUE)))
    return NULL;

  /* null is how a pack says "no data" (an "x" in the strategy's tables); it is never 0. */
  indicator->has_value = !JSON_NODE_HOLDS_NULL (value);
  if (indicator->has_value &&
      !bnd_json_get_number (&loader->check, object, path, "value", -G_MAXDOUBLE, G_MAXDOUBLE, &indicator->value))
    return NULL;

  if (!bnd_json_get_string (&loader->check, object, path, "unit", TRUE, &indicator->unit) ||
      !bnd_json_get_string (&loader->check, object, path, "year", TRUE, &indicator->year) ||
      !bnd_json_get_string (&loader->check, object, path, "area", TRUE, &indicator->area) ||
      !bnd_json_get_string (&loader->check, object, path, "topic", TRUE, &topic) ||
      !(indicator->topic = lookup (loader, IDX_INDICATOR_TOPIC, topic, topic_path)) ||
      !bnd_json_get_string (&loader->check, object, path, "group", FALSE, &group) ||
      (group && !(indicator->group = lookup (loader, IDX_GROUP, group, group_path))) ||
      !bnd_json_get_string (&loader->check, object, path, "section", TRUE, &indicator->section) ||
      !bnd_json_get_string (&loader->check, object, path, "figure", FALSE, &indicator->figure) ||
      !bnd_json_get_string (&loader->check, object, path, "note", FALSE, &indicator->note) ||
      !bnd_json_get_string (&loader->check, object, path, "source", TRUE, &indicator->source))
    return NULL;

  if (!is_area (loader->self, indicator->area))
    {
      g_autofree char *area_path = g_strdup_printf ("%s.area", path);
      return bnd_json_check_fail (&loader->check, BND_STRATEGY_ERROR_REFERENCE, area_path, _("unknown area “%s”"),
                   indicator->area);
    }

  return g_steal_pointer (&indicator);
}

static gboolean
parse_header (Loader     *loader,
              JsonObject *root)
{
  BndStrategy *self = loader->self;
  JsonObject *alliance, *period, *contact, *history, *template;
  const char *format;
  double budget;
  int version;

  if (!bnd_json_get_string (&loader->check, root, "$", "format", TRUE, &format))
    return FALSE;
  if (!g_str_equal (format, "buendnis-strategy-pack"))
    return bnd_json_check_fail (&loader->check, BND_STRATEGY_ERROR_FORMAT, "$.format",
                 _("this is not a strategy pack (format “%s”)"), format) != NULL;
  if (!bnd_json_get_int (&loader->check, root, "$", "version", 0, G_MAXINT, &version))
    return FALSE;
  if (version != 1)
    return bnd_json_check_fail (&loader->check, BND_STRATEGY_ERROR_FORMAT, "$.version",
                 _("version %d is not supported; this version of Bündnis reads version 1"),
                 version) != NULL;

  if (!bnd_json_get_string (&loader->check, root, "$", "id", TRUE, &self->id) ||
      !bnd_json_get_string (&loader->check, root, "$", "title", TRUE, &self->alliance.title) ||
      !bnd_json_get_string (&loader->check, root, "$", "published", TRUE, &self->alliance.published) ||
      !(alliance = bnd_json_get_object (&loader->check, root, "$", "alliance")) ||
      !bnd_json_get_string (&loader->check, alliance, "$.alliance", "name", TRUE, &self->alliance.name) ||
      !bnd_json_get_string (&loader->check, alliance, "$.alliance", "region", TRUE, &self->alliance.region) ||
      !bnd_json_get_int (&loader->check, alliance, "$.alliance", "founded", 1900, 2200, &self->alliance.founded) ||
      !bnd_json_get_string (&loader->check, alliance, "$.alliance", "description", TRUE, &self->alliance.description) ||
      !bnd_json_get_string (&loader->check, alliance, "$.alliance", "lenkungskreis", TRUE, &self->alliance.lenkungskreis) ||
      !(period = bnd_json_get_object (&loader->check, root, "$", "period")) ||
      !bnd_json_get_int (&loader->check, period, "$.period", "start", 1900, 2200, &self->alliance.period_start) ||
      !bnd_json_get_int (&loader->check, period, "$.period", "end", self->alliance.period_start, 2200, &self->alliance.period_end))
    return FALSE;

  if (!(contact = bnd_json_get_object (&loader->check, root, "$", "contact")) ||
      !bnd_json_get_string (&loader->check, contact, "$.contact", "organisation", TRUE, &self->contact.organisation) ||
      !bnd_json_get_string (&loader->check, contact, "$.contact", "care_of", FALSE, &self->contact.care_of) ||
      !bnd_json_get_string (&loader->check, contact, "$.contact", "street", TRUE, &self->contact.street) ||
      !bnd_json_get_string (&loader->check, contact, "$.contact", "postcode", TRUE, &self->contact.postcode) ||
      !bnd_json_get_string (&loader->check, contact, "$.contact", "city", TRUE, &self->contact.city) ||
      !bnd_json_get_string (&loader->check, contact, "$.contact", "person", TRUE, &self->contact.person) ||
      !bnd_json_get_string (&loader->check, contact, "$.contact", "phone", TRUE, &self->contact.phone) ||
      !bnd_json_get_string (&loader->check, contact, "$.contact", "email", TRUE, &self->contact.email) ||
      !bnd_json_get_string (&loader->check, contact, "$.contact", "web", TRUE, &self->contact.web))
    return FALSE;

  if (!(history = bnd_json_get_object (&loader->check, root, "$", "funding_history")) ||
      !bnd_json_get_string (&loader->check, history, "$.funding_history", "from", TRUE, &self->funding_history.from) ||
      !bnd_json_get_string (&loader->check, history, "$.funding_history", "to", TRUE, &self->funding_history.to) ||
      !bnd_json_get_number (&loader->check, history, "$.funding_history", "budget_eur", 0, 1e12, &budget) ||
      !bnd_json_get_int (&loader->check, history, "$.funding_history", "projects", 0, 100000, &self->funding_history.projects) ||
      !bnd_json_get_string (&loader->check, history, "$.funding_history", "guideline", TRUE, &self->funding_history.guideline) ||
      !bnd_json_get_string (&loader->check, history, "$.funding_history", "text", TRUE, &self->funding_history.text))
    return FALSE;
  self->funding_history.budget_eur = budget;

  if (!bnd_json_get_string (&loader->check, root, "$", "cross_cutting_text", TRUE, &self->cross_cutting_text))
    return FALSE;

  if (!(template = bnd_json_get_object (&loader->check, root, "$", "sketch_template")) ||
      !bnd_json_get_int (&loader->check, template, "$.sketch_template", "page_limit", 1, 100, &version) ||
      !parse_list (loader, template, "$.sketch_template", "sections", IDX_SECTION,
                   parse_section, self->sections))
    return FALSE;
  self->page_limit = version;

  return TRUE;
}

static gboolean
load_root (Loader     *loader,
           JsonObject *root)
{
  BndStrategy *self = loader->self;

  return parse_header (loader, root) &&
         parse_list (loader, root, "$", "districts", IDX_DISTRICT, parse_district, self->districts) &&
         parse_list (loader, root, "$", "partners", IDX_PARTNER, parse_partner, self->partners) &&
         parse_list (loader, root, "$", "goals", IDX_GOAL, parse_goal, self->goals) &&
         parse_list (loader, root, "$", "cross_cutting_goals", IDX_CROSS_CUTTING,
                     parse_cross_cutting_goal, self->cross_cutting_goals) &&
         parse_list (loader, root, "$", "fields", IDX_FIELD, parse_field, self->fields) &&
         parse_list (loader, root, "$", "topics", IDX_TOPIC, parse_topic, self->topics) &&
         parse_list (loader, root, "$", "funding_objects", IDX_FUNDING_OBJECT,
                     parse_funding_object, self->funding_objects) &&
         parse_list (loader, root, "$", "procedure", IDX_STAGE, parse_stage, self->stages) &&
         parse_review (loader, root) &&
         parse_list (loader, root, "$", "indicator_topics", IDX_INDICATOR_TOPIC,
                     parse_indicator_topic, self->indicator_topics) &&
         parse_list (loader, root, "$", "occupation_groups", IDX_GROUP,
                     parse_occupation_group, self->occupation_groups) &&
         parse_list (loader, root, "$", "indicators", IDX_INDICATOR, parse_indicator,
                     self->indicators) &&
         _bnd_strategy_parse_conditions (&loader->check, root, "$", 0,
                                         self->by_id[IDX_CONDITION], self->conditions) &&
         _bnd_strategy_parse_rules (&loader->check, root, self->by_id[IDX_RULE], self->rules);
}

static void
bnd_strategy_finalize (GObject *object)
{
  BndStrategy *self = (BndStrategy *)object;

  for (guint i = 0; i < G_N_ELEMENTS (self->by_id); i++)
    g_clear_pointer (&self->by_id[i], g_hash_table_unref);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->districts, g_ptr_array_unref);
  g_clear_pointer (&self->partners, g_ptr_array_unref);
  g_clear_pointer (&self->goals, g_ptr_array_unref);
  g_clear_pointer (&self->cross_cutting_goals, g_ptr_array_unref);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_pointer (&self->topics, g_ptr_array_unref);
  g_clear_pointer (&self->funding_objects, g_ptr_array_unref);
  g_clear_pointer (&self->stages, g_ptr_array_unref);
  g_clear_pointer (&self->review.criteria, g_ptr_array_unref);
  g_clear_pointer (&self->sections, g_ptr_array_unref);
  g_clear_pointer (&self->indicator_topics, g_ptr_array_unref);
  g_clear_pointer (&self->occupation_groups, g_ptr_array_unref);
  g_clear_pointer (&self->indicators, g_ptr_array_unref);
  g_clear_pointer (&self->conditions, g_ptr_array_unref);
  g_clear_pointer (&self->rules, g_ptr_array_unref);
  g_clear_pointer (&self->root, json_node_unref);
  g_clear_pointer (&self->origin, g_free);

  G_OBJECT_CLASS (bnd_strategy_parent_class)->finalize (object);
}

static void
bnd_strategy_class_init (BndStrategyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bnd_strategy_finalize;
}

static void
bnd_strategy_init (BndStrategy *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->by_id); i++)
    self->by_id[i] = g_hash_table_new (g_str_hash, g_str_equal);

  self->districts = g_ptr_array_new_with_free_func (g_free);
  self->partners = g_ptr_array_new_with_free_func (g_free);
  self->goals = g_ptr_array_new_with_free_func (goal_free);
  self->cross_cutting_goals = g_ptr_array_new_with_free_func (goal_free);
  self->fields = g_ptr_array_new_with_free_func (g_free);
  self->topics = g_ptr_array_new_with_free_func (topic_free);
  self->funding_objects = g_ptr_array_new_with_free_func (g_free);
  self->stages = g_ptr_array_new_with_free_func (g_free);
  self->review.criteria = g_ptr_array_new_with_free_func (g_free);
  self->sections = g_ptr_array_new_with_free_func (g_free);
  self->indicator_topics = g_ptr_array_new_with_free_func (g_free);
  self->occupation_groups = g_ptr_array_new_with_free_func (g_free);
  self->indicators = g_ptr_array_new_with_free_func (g_free);
  self->conditions = g_ptr_array_new_with_free_func (g_free);
  self->rules = g_ptr_array_new_with_free_func (g_free);
}

/**
 * bnd_strategy_new_from_bytes:
 * @bytes: the pack's JSON text
 * @origin: a name for the pack in error messages, usually its file name
 * @error: return location for a #BndStrategyError naming @origin, the JSON path and the problem
 *
 * Parses and validates a strategy pack.
 *
 * Returns: (transfer full) (nullable): the strategy, or %NULL with @error set
 */
BndStrategy *
bnd_strategy_new_from_bytes (GBytes      *bytes,
                             const char  *origin,
                             GError     **error)
{
  g_autoptr(BndStrategy) self = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) parse_error = NULL;
  const char *data, *end;
  gsize size;
  Loader loader;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (origin != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (BND_TYPE_STRATEGY, NULL);
  self->origin = g_strdup (origin);
  self->bytes = g_bytes_ref (bytes);
  loader.self = self;
  loader.check.origin = self->origin;
  loader.check.domain = BND_STRATEGY_ERROR;
  loader.check.codes[BND_JSON_MISSING] = BND_STRATEGY_ERROR_MISSING;
  loader.check.codes[BND_JSON_TYPE] = BND_STRATEGY_ERROR_TYPE;
  loader.check.codes[BND_JSON_INVALID] = BND_STRATEGY_ERROR_INVALID;
  loader.check.error = error;

  data = g_bytes_get_data (bytes, &size);
  if (size > MAX_PACK_SIZE)
    return bnd_json_check_fail (&loader.check, BND_STRATEGY_ERROR_PARSE, "$",
                 _("the file is too large for a strategy pack (%zu bytes)"), (size_t)size);
  if (size == 0)
    return bnd_json_check_fail (&loader.check, BND_STRATEGY_ERROR_PARSE, "$", _("the file is empty"));
  if (!g_utf8_validate (data, size, &end))
    return bnd_json_check_fail (&loader.check, BND_STRATEGY_ERROR_PARSE, "$",
                 _("the file is not valid UTF-8 text (at byte %zu)"),
                 (size_t)(end - data));

  if (!bnd_json_check_limits (data, size, BND_JSON_MAX_DEPTH, &parse_error))
    return bnd_json_check_fail (&loader.check, BND_STRATEGY_ERROR_PARSE, "$", "%s",
                                parse_error->message);

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, size, &parse_error))
    {
      g_autofree char *message = bnd_json_dup_valid_text (parse_error->message);

      return bnd_json_check_fail (&loader.check, BND_STRATEGY_ERROR_PARSE, "$",
                                  _("not valid JSON: %s"), message);
    }

  self->root = json_parser_steal_root (parser);
  if (self->root == NULL || !JSON_NODE_HOLDS_OBJECT (self->root))
    return bnd_json_check_fail (&loader.check, BND_STRATEGY_ERROR_FORMAT, "$", _("expected an object"));

  if (!bnd_json_check_strings (&loader.check, self->root, "$"))
    return NULL;

  if (!load_root (&loader, json_node_get_object (self->root)))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * bnd_strategy_new_from_file:
 * @file: a strategy pack
 * @error: return location for an error
 *
 * Reads @file and calls bnd_strategy_new_from_bytes(). Reading is synchronous: packs are small.
 *
 * Returns: (transfer full) (nullable): the strategy, or %NULL with @error set
 */
BndStrategy *
bnd_strategy_new_from_file (GFile   *file,
                            GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  name = g_file_get_parse_name (file);
  if (!(bytes = g_file_load_bytes (file, NULL, NULL, error)))
    {
      g_prefix_error (error, "%s: ", name);
      return NULL;
    }

  return bnd_strategy_new_from_bytes (bytes, name, error);
}

/**
 * bnd_strategy_new_default:
 * @error: return location for an error
 *
 * Loads the strategy pack built into Bündnis.
 *
 * Returns: (transfer full) (nullable): the strategy
 */
BndStrategy *
bnd_strategy_new_default (GError **error)
{
  g_autoptr(GBytes) bytes = NULL;

  /* Asking the generated getter, not the global registry, keeps the resource linked in from
   * this static library. */
  if (!(bytes = g_resource_lookup_data (bnd_strategy_pack_get_resource (), DEFAULT_PACK_RESOURCE, 0, error)))
    return NULL;

  return bnd_strategy_new_from_bytes (bytes, "resource://" DEFAULT_PACK_RESOURCE, error);
}
