/* bnd-strategy-rules.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-strategy"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "bnd-strategy-private.h"

/* Two parts of a strategy pack that say what the app may hold a sketch or a vote to:
 *  - "conditions": the funding conditions the strategy states, in general and per
 *    Fördergegenstand, in a small vocabulary (a period the project must lie in, a confirmation
 *    the carrier gives) so that a new condition is data, not code;
 *  - "rules": for each rule the app applies that the strategy does not fix (template, criteria,
 *    scale, quorum, recusal), who set it and a note saying so. */

static const char *condition_kinds[BND_N_CONDITION_KINDS] = { "period-within", "confirmation" };

static const char *rule_ids[] = {
  BND_RULE_SKETCH_TEMPLATE, BND_RULE_RATING_CRITERIA, BND_RULE_RATING_SCALE, BND_RULE_QUORUM,
  BND_RULE_RECUSAL, NULL,
};

static gboolean
reads_german (void)
{
  /* Translators: the code of this translation's language, "de" for German. Texts of the
   * strategy pack come in German and English; this picks the one the user reads. */
  return g_str_equal (C_("pack-language", "en"), "de");
}

/**
 * bnd_text_get:
 * @text: a text of the pack in German and English
 *
 * Returns: the text in the language of the message catalogue in use: German where Bündnis
 *   speaks German, English otherwise
 */
const char *
bnd_text_get (const BndText *text)
{
  g_return_val_if_fail (text != NULL, NULL);

  return reads_german () ? text->de : text->en;
}

/**
 * bnd_template_section_get_title:
 *
 * Returns: the section's title in the user's language: German, or English where the pack
 * has it (the PDF always uses the German title)
 */
const char *
bnd_template_section_get_title (const BndTemplateSection *section)
{
  g_return_val_if_fail (section != NULL, NULL);
  return !reads_german () && section->title_en ? section->title_en : section->title;
}

/**
 * bnd_template_section_get_guidance:
 *
 * Returns: the section's guidance in the user's language, as bnd_template_section_get_title()
 */
const char *
bnd_template_section_get_guidance (const BndTemplateSection *section)
{
  g_return_val_if_fail (section != NULL, NULL);
  return !reads_german () && section->guidance_en ? section->guidance_en : section->guidance;
}

static gboolean
parse_text (BndJsonCheck *check,
            JsonObject   *object,
            const char   *path,
            const char   *name,
            BndText      *out)
{
  g_autofree char *text_path = g_strdup_printf ("%s.%s", path, name);
  JsonObject *text;

  return (text = bnd_json_get_object (check, object, path, name)) &&
         bnd_json_get_string (check, text, text_path, "de", TRUE, &out->de) &&
         bnd_json_get_string (check, text, text_path, "en", TRUE, &out->en);
}

static gboolean
parse_day (BndJsonCheck *check,
           JsonObject   *object,
           const char   *path,
           const char   *name,
           const char  **out,
           GDate        *date)
{
  unsigned year, month, day;
  char rest;

  if (!bnd_json_get_string (check, object, path, name, TRUE, out))
    return FALSE;
  if (sscanf (*out, "%4u-%2u-%2u%c", &year, &month, &day, &rest) != 3 || strlen (*out) != 10 ||
      !g_date_valid_dmy (day, month, year))
    {
      g_autofree char *day_path = g_strdup_printf ("%s.%s", path, name);
      return bnd_json_check_fail (check, BND_STRATEGY_ERROR_INVALID, day_path,
                                  /* Translators: %s is what the pack has instead of a date */
                                  _("“%s” is not a date (YYYY-MM-DD)"), *out) != NULL;
    }
  g_date_clear (date, 1);
  g_date_set_dmy (date, day, month, year);
  return TRUE;
}

/* The id of a list item: plain, and unique in @ids. */
static gboolean
parse_id (BndJsonCheck *check,
          JsonObject   *object,
          const char   *path,
          GHashTable   *ids,
          const char  **out)
{
  g_autofree char *id_path = g_strdup_printf ("%s.id", path);

  if (!bnd_json_get_string (check, object, path, "id", TRUE, out))
    return FALSE;
  if ((*out)[strspn (*out, BND_STRATEGY_ID_CHARACTERS)] != 0)
    return bnd_json_check_fail (check, BND_STRATEGY_ERROR_INVALID, id_path,
                                _("the id “%s” may contain only letters a–z and A–Z, digits, "
                                  "“.”, “_” and “-”"), *out) != NULL;
  if (g_hash_table_contains (ids, *out))
    return bnd_json_check_fail (check, BND_STRATEGY_ERROR_DUPLICATE, id_path,
                                _("the id “%s” is used twice"), *out) != NULL;
  return TRUE;
}

static gboolean
parse_condition (BndJsonCheck *check,
                 JsonObject   *object,
                 const char   *path,
                 BndCondition *condition)
{
  g_autofree char *kind_path = g_strdup_printf ("%s.kind", path);
  const char *kind;
  guint i;

  if (!bnd_json_get_string (check, object, path, "kind", TRUE, &kind))
    return FALSE;
  for (i = 0; i < BND_N_CONDITION_KINDS && !g_str_equal (kind, condition_kinds[i]); i++)
    ;
  if (i == BND_N_CONDITION_KINDS)
    return bnd_json_check_fail (check, BND_STRATEGY_ERROR_INVALID, kind_path,
                                /* Translators: %s is a kind of condition in the strategy pack */
                                _("unknown kind of condition “%s”; the kinds are “period-within” "
                                  "and “confirmation”"), kind) != NULL;
  condition->kind = i;

  if (!parse_text (check, object, path, "text", &condition->text) ||
      !bnd_json_get_string (check, object, path, "source", TRUE, &condition->source))
    return FALSE;

  if (condition->kind == BND_CONDITION_PERIOD_WITHIN)
    {
      GDate start, end;

      if (!parse_day (check, object, path, "start", &condition->start, &start) ||
          !parse_day (check, object, path, "end", &condition->end, &end))
        return FALSE;
      if (g_date_compare (&end, &start) < 0)
        {
          g_autofree char *end_path = g_strdup_printf ("%s.end", path);
          return bnd_json_check_fail (check, BND_STRATEGY_ERROR_INVALID, end_path,
                                      _("the period ends before it starts")) != NULL;
        }
    }
  return TRUE;
}

/**
 * _bnd_strategy_parse_conditions:
 * @object: the pack's root or one of its funding_objects[]
 * @funding_object: 0 for the root's general conditions, else the Fördergegenstand's number
 * @ids: the condition ids so far, across all lists
 * @out: (element-type BndCondition): where the conditions go
 *
 * The optional "conditions" list of @object.
 */
gboolean
_bnd_strategy_parse_conditions (BndJsonCheck *check,
                                JsonObject   *object,
                                const char   *path,
                                int           funding_object,
                                GHashTable   *ids,
                                GPtrArray    *out)
{
  JsonArray *array;

  if (!json_object_has_member (object, "conditions"))
    return TRUE;
  if (!(array = bnd_json_get_array (check, object, path, "conditions", TRUE, FALSE)))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *item_path = g_strdup_printf ("%s.conditions[%u]", path, i);
      g_autofree BndCondition *condition = g_new0 (BndCondition, 1);
      JsonNode *node = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return bnd_json_check_fail (check, BND_STRATEGY_ERROR_TYPE, item_path,
                                    _("expected an object")) != NULL;
      if (!parse_id (check, json_node_get_object (node), item_path, ids, &condition->id) ||
          !parse_condition (check, json_node_get_object (node), item_path, condition))
        return FALSE;
      condition->funding_object = funding_object;
      g_hash_table_insert (ids, (gpointer)condition->id, condition);
      g_ptr_array_add (out, g_steal_pointer (&condition));
    }
  return TRUE;
}

/**
 * _bnd_strategy_parse_rules:
 * @root: the pack's root
 * @ids: the rule ids so far
 * @out: (element-type BndRule): where the rules go
 *
 * The optional "rules" list: which of the rules the app applies the strategy fixes, and which
 * the alliance set where the strategy is silent.
 */
gboolean
_bnd_strategy_parse_rules (BndJsonCheck *check,
                           JsonObject   *root,
                           GHashTable   *ids,
                           GPtrArray    *out)
{
  JsonArray *array;

  if (!json_object_has_member (root, "rules"))
    return TRUE;
  if (!(array = bnd_json_get_array (check, root, "$", "rules", TRUE, FALSE)))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("$.rules[%u]", i);
      g_autofree BndRule *rule = g_new0 (BndRule, 1);
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      const char *set_by;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return bnd_json_check_fail (check, BND_STRATEGY_ERROR_TYPE, path,
                                    _("expected an object")) != NULL;
      object = json_node_get_object (node);
      if (!parse_id (check, object, path, ids, &rule->id))
        return FALSE;
      if (!g_strv_contains ((const char * const *)rule_ids, rule->id))
        {
          g_autofree char *id_path = g_strdup_printf ("%s.id", path);
          return bnd_json_check_fail (check, BND_STRATEGY_ERROR_INVALID, id_path,
                                      /* Translators: %s is an id; the list is of ids, keep them */
                                      _("unknown rule “%s”; the rules are “sketch-template”, "
                                        "“rating-criteria”, “rating-scale”, “quorum” and "
                                        "“recusal”"), rule->id) != NULL;
        }

      if (!bnd_json_get_string (check, object, path, "set_by", TRUE, &set_by) ||
          !parse_text (check, object, path, "note", &rule->note) ||
          !bnd_json_get_string (check, object, path, "source", FALSE, &rule->source))
        return FALSE;
      if (g_str_equal (set_by, "alliance"))
        rule->set_by = BND_SET_BY_ALLIANCE;
      else if (g_str_equal (set_by, "strategy"))
        rule->set_by = BND_SET_BY_STRATEGY;
      else
        {
          g_autofree char *set_by_path = g_strdup_printf ("%s.set_by", path);
          return bnd_json_check_fail (check, BND_STRATEGY_ERROR_INVALID, set_by_path,
                                      _("“%s” is neither “strategy” nor “alliance”"),
                                      set_by) != NULL;
        }
      /* A rule the strategy fixes says where; one the alliance set has no place to cite. */
      if (rule->set_by == BND_SET_BY_STRATEGY && rule->source == NULL)
        return bnd_json_check_fail (check, BND_STRATEGY_ERROR_MISSING, path,
                                    _("a rule set by the strategy needs its “source”")) != NULL;

      g_hash_table_insert (ids, (gpointer)rule->id, rule);
      g_ptr_array_add (out, g_steal_pointer (&rule));
    }
  return TRUE;
}
