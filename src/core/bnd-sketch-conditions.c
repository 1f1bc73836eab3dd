/* bnd-sketch-conditions.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-sketch"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "bnd-sketch-private.h"

/* A sketch against the funding conditions of its strategy pack (bnd-strategy-rules.c): the
 * confirmations its carrier gave, and which conditions of its Fördergegenstand are unmet.
 * Each unmet one is an item of the "still to do" list, and like the others it keeps the sketch
 * from being submitted (data/strategy/FORMAT.md says why). */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

/**
 * bnd_sketch_get_confirmations:
 *
 * Returns: (transfer none) (element-type utf8): the ids of the conditions the carrier
 *   confirmed, sorted
 */
GPtrArray *
bnd_sketch_get_confirmations (BndSketch *self)
{
  g_return_val_if_fail (BND_IS_SKETCH (self), NULL);
  return self->confirmations;
}

gboolean
bnd_sketch_has_confirmation (BndSketch  *self,
                             const char *id)
{
  g_return_val_if_fail (BND_IS_SKETCH (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return g_ptr_array_find_with_equal_func (self->confirmations, id, g_str_equal, NULL);
}

/**
 * bnd_sketch_set_confirmed:
 * @id: a condition's id
 * @confirmed: whether the carrier confirms it
 *
 * Gives or takes back one confirmation.
 */
void
bnd_sketch_set_confirmed (BndSketch  *self,
                          const char *id,
                          gboolean    confirmed)
{
  guint index;

  g_return_if_fail (BND_IS_SKETCH (self));
  g_return_if_fail (id != NULL && *id);

  if (g_ptr_array_find_with_equal_func (self->confirmations, id, g_str_equal, &index) == confirmed)
    return;
  if (confirmed)
    {
      g_ptr_array_add (self->confirmations, g_strdup (id));
      g_ptr_array_sort (self->confirmations, compare_strings);
    }
  else
    g_ptr_array_remove_index (self->confirmations, index);
  _bnd_sketch_touch (self);
}

/**
 * bnd_sketch_set_confirmations:
 * @ids: (nullable) (array zero-terminated=1): the confirmed condition ids
 *
 * Replaces all confirmations; sorted, each once, so that two sketches with the same
 * confirmations write the same file.
 */
void
bnd_sketch_set_confirmations (BndSketch          *self,
                              const char * const *ids)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new_with_free_func (g_free);
  gboolean same;

  g_return_if_fail (BND_IS_SKETCH (self));

  for (guint i = 0; ids && ids[i]; i++)
    if (*ids[i] && !g_ptr_array_find_with_equal_func (sorted, ids[i], g_str_equal, NULL))
      g_ptr_array_add (sorted, g_strdup (ids[i]));
  g_ptr_array_sort (sorted, compare_strings);

  same = sorted->len == self->confirmations->len;
  for (guint i = 0; same && i < sorted->len; i++)
    same = g_str_equal (g_ptr_array_index (sorted, i), g_ptr_array_index (self->confirmations, i));
  if (same)
    return;

  g_ptr_array_unref (self->confirmations);
  self->confirmations = g_steal_pointer (&sorted);
  _bnd_sketch_touch (self);
}

/**
 * bnd_sketch_meets_condition:
 * @condition: a condition of the sketch's strategy
 *
 * A period-within condition is met when both dates of the project lie in its period; while a
 * date is missing or not a date it is not judged here (the duration's own issue says so). A
 * confirmation is met when the carrier gave it.
 *
 * Returns: whether the sketch meets @condition
 */
gboolean
bnd_sketch_meets_condition (BndSketch          *self,
                            const BndCondition *condition)
{
  GDate start, end, first, last;

  g_return_val_if_fail (BND_IS_SKETCH (self), FALSE);
  g_return_val_if_fail (condition != NULL, FALSE);

  switch (condition->kind)
    {
    case BND_CONDITION_PERIOD_WITHIN:
      if (!_bnd_sketch_parse_date (self->start, &start) || !_bnd_sketch_parse_date (self->end, &end) ||
          !_bnd_sketch_parse_date (condition->start, &first) ||
          !_bnd_sketch_parse_date (condition->end, &last))
        return TRUE;
      return g_date_compare (&start, &first) >= 0 && g_date_compare (&start, &last) <= 0 &&
             g_date_compare (&end, &first) >= 0 && g_date_compare (&end, &last) <= 0;
    case BND_CONDITION_CONFIRMATION:
      return bnd_sketch_has_confirmation (self, condition->id);
    case BND_N_CONDITION_KINDS:
    default:
      g_return_val_if_reached (FALSE);
    }
}

static char *
condition_message (BndSketch          *self,
                   const BndCondition *condition)
{
  switch (condition->kind)
    {
    case BND_CONDITION_PERIOD_WITHIN:
      /* Translators: the dates are YYYY-MM-DD; the last %s is the condition, such as „The project
       * period lies within the funding period 2021–2027.“ */
      return g_strdup_printf (_("The project runs from %s to %s, outside %s to %s: %s"),
                              self->start, self->end, condition->start, condition->end,
                              bnd_text_get (&condition->text));
    case BND_CONDITION_CONFIRMATION:
      /* Translators: %s is the condition, such as „The carrier is an education provider
       * (Bildungsträger).“ */
      return g_strdup_printf (_("Confirm: %s"), bnd_text_get (&condition->text));
    case BND_N_CONDITION_KINDS:
    default:
      g_return_val_if_reached (NULL);
    }
}

/* The issues of bnd_sketch_validate() for the conditions: one per unmet condition of the
 * sketch's Fördergegenstand and of every project, as "condition:ID" with its source. */
void
_bnd_sketch_add_condition_issues (BndSketch   *self,
                                  BndStrategy *strategy,
                                  GPtrArray   *issues)
{
  g_autoptr(GPtrArray) conditions = bnd_strategy_dup_conditions_for (strategy, self->funding_object);

  for (guint i = 0; i < conditions->len; i++)
    {
      const BndCondition *condition = g_ptr_array_index (conditions, i);
      BndSketchIssue *issue;

      if (bnd_sketch_meets_condition (self, condition))
        continue;
      issue = g_new0 (BndSketchIssue, 1);
      issue->field = g_strdup_printf ("condition:%s", condition->id);
      issue->message = condition_message (self, condition);
      issue->source = g_strdup (condition->source);
      g_ptr_array_add (issues, issue);
    }
}
