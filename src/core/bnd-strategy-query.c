/* bnd-strategy-query.c: what a loaded strategy pack answers: its lists, and lookups by id
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bnd-strategy-private.h"

const char *
bnd_strategy_get_origin (BndStrategy *self)
{
  g_return_val_if_fail (BND_IS_STRATEGY (self), NULL);
  return self->origin;
}

/**
 * bnd_strategy_get_bytes:
 *
 * Returns: (transfer none): the pack's JSON text as it was read
 */
GBytes *
bnd_strategy_get_bytes (BndStrategy *self)
{
  g_return_val_if_fail (BND_IS_STRATEGY (self), NULL);
  return self->bytes;
}

const char *
bnd_strategy_get_id (BndStrategy *self)
{
  g_return_val_if_fail (BND_IS_STRATEGY (self), NULL);
  return self->id;
}

const BndAlliance *
bnd_strategy_get_alliance (BndStrategy *self)
{
  g_return_val_if_fail (BND_IS_STRATEGY (self), NULL);
  return &self->alliance;
}

const BndContact *
bnd_strategy_get_contact (BndStrategy *self)
{
  g_return_val_if_fail (BND_IS_STRATEGY (self), NULL);
  return &self->contact;
}

const BndFundingHistory *
bnd_strategy_get_funding_history (BndStrategy *self)
{
  g_return_val_if_fail (BND_IS_STRATEGY (self), NULL);
  return &self->funding_history;
}

const char *
bnd_strategy_get_cross_cutting_text (BndStrategy *self)
{
  g_return_val_if_fail (BND_IS_STRATEGY (self), NULL);
  return self->cross_cutting_text;
}

const BndReview *
bnd_strategy_get_review (BndStrategy *self)
{
  g_return_val_if_fail (BND_IS_STRATEGY (self), NULL);

  return &self->review;
}

/**
 * bnd_strategy_dup_criterion_ids:
 *
 * Returns: (transfer full): the ids of the rating criteria, in order
 */
GStrv
bnd_strategy_dup_criterion_ids (BndStrategy *self)
{
  GPtrArray *criteria;
  GStrv ids;

  g_return_val_if_fail (BND_IS_STRATEGY (self), NULL);

  criteria = self->review.criteria;
  ids = g_new0 (char *, criteria->len + 1);
  for (guint i = 0; i < criteria->len; i++)
    ids[i] = g_strdup (((const BndRatingCriterion *)g_ptr_array_index (criteria, i))->id);
  return ids;
}

guint
bnd_strategy_get_page_limit (BndStrategy *self)
{
  g_return_val_if_fail (BND_IS_STRATEGY (self), 0);
  return self->page_limit;
}

#define DEFINE_LIST_GETTER(name, field)                 \
  GPtrArray *                                           \
  bnd_strategy_get_##name (BndStrategy *self)           \
  {                                                     \
    g_return_val_if_fail (BND_IS_STRATEGY (self), NULL); \
    return self->field;                                 \
  }

DEFINE_LIST_GETTER (districts, districts)
DEFINE_LIST_GETTER (partners, partners)
DEFINE_LIST_GETTER (goals, goals)
DEFINE_LIST_GETTER (cross_cutting_goals, cross_cutting_goals)
DEFINE_LIST_GETTER (fields, fields)
DEFINE_LIST_GETTER (topics, topics)
DEFINE_LIST_GETTER (funding_objects, funding_objects)
DEFINE_LIST_GETTER (stages, stages)
DEFINE_LIST_GETTER (template_sections, sections)
DEFINE_LIST_GETTER (indicator_topics, indicator_topics)
DEFINE_LIST_GETTER (occupation_groups, occupation_groups)
DEFINE_LIST_GETTER (indicators, indicators)

const BndDistrict *
bnd_strategy_find_district (BndStrategy *self,
                            const char  *id)
{
  g_return_val_if_fail (BND_IS_STRATEGY (self), NULL);
  return id ? g_hash_table_lookup (self->by_id[IDX_DISTRICT], id) : NULL;
}

const BndPartner *
bnd_strategy_find_partner (BndStrategy *self,
                           const char  *id)
{
  g_return_val_if_fail (BND_IS_STRATEGY (self), NULL);
  return id ? g_hash_table_lookup (self->by_id[IDX_PARTNER], id) : NULL;
}

/* Finds a strategic or a cross-cutting goal. */
const BndGoal *
bnd_strategy_find_goal (BndStrategy *self,
                        const char  *id)
{
  const BndGoal *goal;

  g_return_val_if_fail (BND_IS_STRATEGY (self), NULL);

  if (id == NULL)
    return NULL;
  if ((goal = g_hash_table_lookup (self->by_id[IDX_GOAL], id)))
    return goal;
  return g_hash_table_lookup (self->by_id[IDX_CROSS_CUTTING], id);
}

const BndTopic *
bnd_strategy_find_topic (BndStrategy *self,
                         const char  *id)
{
  g_return_val_if_fail (BND_IS_STRATEGY (self), NULL);
  return id ? g_hash_table_lookup (self->by_id[IDX_TOPIC], id) : NULL;
}

const BndIndicator *
bnd_strategy_find_indicator (BndStrategy *self,
                             const char  *id)
{
  g_return_val_if_fail (BND_IS_STRATEGY (self), NULL);
  return id ? g_hash_table_lookup (self->by_id[IDX_INDICATOR], id) : NULL;
}

/**
 * bnd_strategy_find_table_value:
 * @self: a #BndStrategy
 * @topic_id: an indicator topic such as "vakanzzeit"
 * @group_id: (nullable): an occupation group, or %NULL for indicators without one
 * @area: a district id or one of the BND_AREA_* names
 * @year: the year as written in the pack
 *
 * Finds the indicator for one cell of a table such as the strategy's Table 1.
 *
 * Returns: (nullable): the indicator, which may say "no data", or %NULL if the pack has none
 */
const BndIndicator *
bnd_strategy_find_table_value (BndStrategy *self,
                               const char  *topic_id,
                               const char  *group_id,
                               const char  *area,
                               const char  *year)
{
  g_return_val_if_fail (BND_IS_STRATEGY (self), NULL);

  for (guint i = 0; i < self->indicators->len; i++)
    {
      const BndIndicator *indicator = g_ptr_array_index (self->indicators, i);

      if (g_str_equal (indicator->topic->id, topic_id) &&
          g_strcmp0 (indicator->group ? indicator->group->id : NULL, group_id) == 0 &&
          g_str_equal (indicator->area, area) &&
          g_str_equal (indicator->year, year))
        return indicator;
    }

  return NULL;
}

/**
 * bnd_strategy_dup_topics_for_goal:
 * @self: a #BndStrategy
 * @goal: a goal of @self
 *
 * Returns: (transfer container) (element-type BndTopic): the focus topics that serve @goal
 */
GPtrArray *
bnd_strategy_dup_topics_for_goal (BndStrategy   *self,
                                  const BndGoal *goal)
{
  GPtrArray *topics = g_ptr_array_new ();

  g_return_val_if_fail (BND_IS_STRATEGY (self), topics);

  for (guint i = 0; i < self->topics->len; i++)
    {
      BndTopic *topic = g_ptr_array_index (self->topics, i);

      if (g_ptr_array_find (topic->goals, goal, NULL))
        g_ptr_array_add (topics, topic);
    }

  return topics;
}

/**
 * bnd_strategy_get_area_name:
 * @self: a #BndStrategy
 * @area: a district id or one of the BND_AREA_* names
 *
 * Returns: the area's name for display
 */
const char *
bnd_strategy_get_area_name (BndStrategy *self,
                            const char  *area)
{
  const BndDistrict *district;

  g_return_val_if_fail (BND_IS_STRATEGY (self), NULL);

  if ((district = bnd_strategy_find_district (self, area)))
    return district->short_name;
  if (g_strcmp0 (area, BND_AREA_REGION) == 0)
    return self->alliance.region;
  if (g_strcmp0 (area, BND_AREA_NIEDERSACHSEN) == 0)
    return _("Lower Saxony");
  if (g_strcmp0 (area, BND_AREA_GERMANY) == 0)
    return _("Germany");
  return area;
}

/**
 * bnd_strategy_get_conditions:
 *
 * Returns: (transfer none) (element-type BndCondition): every funding condition of the pack
 */
GPtrArray *
bnd_strategy_get_conditions (BndStrategy *self)
{
  g_return_val_if_fail (BND_IS_STRATEGY (self), NULL);
  return self->conditions;
}

/**
 * bnd_strategy_dup_conditions_for:
 * @funding_object: a Fördergegenstand's number, or 0 while none is chosen
 *
 * Returns: (transfer container) (element-type BndCondition): the conditions a project of
 *   @funding_object must meet: the general ones first, then its own
 */
GPtrArray *
bnd_strategy_dup_conditions_for (BndStrategy *self,
                                 int          funding_object)
{
  GPtrArray *conditions = g_ptr_array_new ();

  g_return_val_if_fail (BND_IS_STRATEGY (self), conditions);

  for (guint i = 0; i < self->conditions->len; i++)
    if (((BndCondition *)g_ptr_array_index (self->conditions, i))->funding_object == 0)
      g_ptr_array_add (conditions, g_ptr_array_index (self->conditions, i));
  for (guint i = 0; funding_object > 0 && i < self->conditions->len; i++)
    if (((BndCondition *)g_ptr_array_index (self->conditions, i))->funding_object == funding_object)
      g_ptr_array_add (conditions, g_ptr_array_index (self->conditions, i));
  return conditions;
}

const BndCondition *
bnd_strategy_find_condition (BndStrategy *self,
                             const char  *id)
{
  g_return_val_if_fail (BND_IS_STRATEGY (self), NULL);
  return g_hash_table_lookup (self->by_id[IDX_CONDITION], id);
}

/**
 * bnd_strategy_get_rules:
 *
 * Returns: (transfer none) (element-type BndRule): the rules and who set them
 */
GPtrArray *
bnd_strategy_get_rules (BndStrategy *self)
{
  g_return_val_if_fail (BND_IS_STRATEGY (self), NULL);
  return self->rules;
}

/**
 * bnd_strategy_find_rule:
 * @id: one of the BND_RULE_* ids
 *
 * Returns: (nullable): the rule, or %NULL when the pack does not say who set it
 */
const BndRule *
bnd_strategy_find_rule (BndStrategy *self,
                        const char  *id)
{
  g_return_val_if_fail (BND_IS_STRATEGY (self), NULL);
  return g_hash_table_lookup (self->by_id[IDX_RULE], id);
}
