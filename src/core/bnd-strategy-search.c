/* bnd-strategy-search.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-strategy-search"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "bnd-indicator.h"
#include "bnd-strategy-search.h"

typedef struct
{
  GStrv      terms;
  GPtrArray *hits;
} Search;

void
bnd_search_hit_free (BndSearchHit *hit)
{
  g_free (hit->title);
  g_free (hit->detail);
  g_free (hit);
}

/**
 * bnd_search_fold:
 * @text: UTF-8 text
 *
 * Folds @text for matching: case-insensitive, accents dropped and ß as ss, so that
 * "Luchow" finds "Lüchow" and "strasse" finds "Straße".
 *
 * Returns: (transfer full): the folded text
 */
/* Casefold, decompose and drop the marks: the whole of the folding, for a run of non-ASCII text. */
static void
fold_slowly (GString    *out,
             const char *text,
             gssize      length)
{
  g_autofree char *folded = g_utf8_casefold (text, length);
  g_autofree char *decomposed = g_utf8_normalize (folded, -1, G_NORMALIZE_NFKD);

  for (const char *p = decomposed; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_type (c) != G_UNICODE_NON_SPACING_MARK)
        g_string_append_unichar (out, c);
    }
}

/* German umlauts and ß, the most frequent letters outside ASCII in our texts, take a short cut
 * as well: each is a starter that the slow way folds to ASCII on its own (ä → a, ß → ss), so a
 * run can be cut before and after it. */
static const char *
fold_german (const char *p)
{
  if ((guchar)p[0] != 0xc3)
    return NULL;
  switch ((guchar)p[1])
    {
    case 0x84: case 0xa4:   /* Ä ä */
      return "a";
    case 0x96: case 0xb6:   /* Ö ö */
      return "o";
    case 0x9c: case 0xbc:   /* Ü ü */
      return "u";
    case 0x9f:              /* ß */
      return "ss";
    default:
      return NULL;
    }
}

char *
bnd_search_fold (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));
  const char *p = text;

  /* Every sketch is folded when it is saved, so this is hot. ASCII folds to its lower case, and
   * an ASCII character starts a new unit for decomposition and case folding alike: the runs of
   * other characters between them are folded the slow way on their own, with the same result as
   * folding the whole text at once. */
  while (*p)
    {
      const char *run = p;

      while (*p && (guchar)*p < 0x80)
        p++;
      if (p > run)
        {
          gsize start = out->len;

          g_string_append_len (out, run, p - run);
          for (gsize i = start; i < out->len; i++)
            out->str[i] = g_ascii_tolower (out->str[i]);
        }
      for (run = p; *p && (guchar)*p >= 0x80;)
        {
          const char *ascii = fold_german (p);

          if (ascii == NULL)
            {
              p++;
              continue;
            }
          if (p > run)
            fold_slowly (out, run, p - run);
          g_string_append (out, ascii);
          p += 2;
          run = p;
        }
      if (p > run)
        fold_slowly (out, run, p - run);
    }

  return g_string_free (out, FALSE);
}

static int
compare_hits (gconstpointer a,
              gconstpointer b)
{
  const BndSearchHit *hit_a = *(BndSearchHit * const *)a;
  const BndSearchHit *hit_b = *(BndSearchHit * const *)b;

  return hit_b->score - hit_a->score;
}

static gboolean
matches_all (Search     *search,
             const char *folded)
{
  for (guint i = 0; search->terms[i]; i++)
    if (!strstr (folded, search->terms[i]))
      return FALSE;
  return TRUE;
}

/* Adds a hit when every term occurs in the title or the body; a hit on the title ranks higher. */
static void
consider (Search        *search,
          BndSearchKind  kind,
          const char    *target,
          const char    *title,
          const char    *body,
          char          *detail)
{
  g_autofree char *folded_title = bnd_search_fold (title);
  g_autofree char *owned_detail = detail;
  BndSearchHit *hit;
  int score;

  if (matches_all (search, folded_title))
    score = 2;
  else
    {
      g_autofree char *all = g_strconcat (title, "\n", body ? body : "", "\n", detail, NULL);
      g_autofree char *folded_all = bnd_search_fold (all);

      if (!matches_all (search, folded_all))
        return;
      score = 1;
    }

  hit = g_new0 (BndSearchHit, 1);
  hit->kind = kind;
  hit->target = target;
  hit->title = g_strdup (title);
  hit->detail = g_steal_pointer (&owned_detail);
  hit->score = score;
  g_ptr_array_add (search->hits, hit);
}

static void
search_goals (Search    *search,
              GPtrArray *goals)
{
  for (guint i = 0; i < goals->len; i++)
    {
      const BndGoal *goal = g_ptr_array_index (goals, i);
      g_autoptr(GString) body = g_string_new (goal->description);
      g_autofree char *label = NULL;

      if (goal->objective != NULL)
        g_string_append_printf (body, "\n%s", goal->objective);
      for (guint j = 0; j < goal->examples->len; j++)
        {
          const BndProjectExample *example = g_ptr_array_index (goal->examples, j);
          g_string_append_printf (body, "\n%s\n%s", example->title, example->text);
        }

      if (goal->cross_cutting)
        label = g_strdup_printf (_("Cross-cutting goal: %s"), goal->title);
      else
        /* Translators: "Goal 3.1: Fachkräfte gewinnen und binden" */
        label = g_strdup_printf (_("Goal %s: %s"), goal->id, goal->title);

      consider (search, BND_SEARCH_GOAL, goal->id, label, body->str,
                g_strdup (goal->objective ? goal->objective : _("Cross-cutting goal")));

      for (guint j = 0; j < goal->measures->len; j++)
        consider (search, BND_SEARCH_MEASURE, goal->id, g_ptr_array_index (goal->measures, j),
                  NULL, g_strdup_printf (_("Measure of %s"), label));
    }
}

/**
 * bnd_strategy_search:
 * @self: a #BndStrategy
 * @query: words to find, all of them, in any case and with or without accents
 * @max_hits: the most hits to return
 *
 * Searches goals, measures, focus topics, fields of action, funding objects, procedure stages
 * and indicators.
 *
 * Returns: (transfer container) (element-type BndSearchHit): the hits, best first
 */
GPtrArray *
bnd_strategy_search (BndStrategy *self,
                     const char  *query,
                     guint        max_hits)
{
  g_autofree char *folded_query = NULL;
  GPtrArray *list;
  Search search;

  g_return_val_if_fail (BND_IS_STRATEGY (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  search.hits = g_ptr_array_new_with_free_func ((GDestroyNotify)bnd_search_hit_free);
  folded_query = bnd_search_fold (query);
  search.terms = g_strsplit_set (g_strstrip (folded_query), " \t\n", -1);

  /* Drop the empty words that runs of spaces leave behind. */
  for (guint i = 0, j = 0; ; i++)
    {
      if (search.terms[i] == NULL || *search.terms[i])
        search.terms[j++] = search.terms[i];
      else
        g_free (search.terms[i]);
      if (search.terms[i] == NULL)
        break;
    }

  if (search.terms[0] == NULL)
    {
      g_strfreev (search.terms);
      return search.hits;
    }

  search_goals (&search, bnd_strategy_get_goals (self));
  search_goals (&search, bnd_strategy_get_cross_cutting_goals (self));

  list = bnd_strategy_get_topics (self);
  for (guint i = 0; i < list->len; i++)
    {
      const BndTopic *topic = g_ptr_array_index (list, i);
      /* Translators: "Focus topic 3: Alle Fachkräftepotenziale nutzen" */
      g_autofree char *label = g_strdup_printf (_("Focus topic %d: %s"), topic->number, topic->title);

      consider (&search, BND_SEARCH_TOPIC, topic->id, label, topic->text,
                g_strdup_printf (_("Field of action %s: %s"), topic->field->id, topic->field->title));
    }

  list = bnd_strategy_get_fields (self);
  for (guint i = 0; i < list->len; i++)
    {
      const BndField *field = g_ptr_array_index (list, i);
      g_autofree char *label = g_strdup_printf (_("Field of action %s: %s"), field->id, field->title);

      consider (&search, BND_SEARCH_FIELD, field->id, label, NULL, g_strdup (_("Field of action")));
    }

  list = bnd_strategy_get_funding_objects (self);
  for (guint i = 0; i < list->len; i++)
    {
      const BndFundingObject *object = g_ptr_array_index (list, i);
      /* Translators: "Funding object 1: Strukturprojekte" (Fördergegenstand) */
      g_autofree char *label = g_strdup_printf (_("Funding object %d: %s"), object->number, object->title);

      consider (&search, BND_SEARCH_FUNDING_OBJECT, object->id, label, object->description,
                g_strdup (_("Funding object (Fördergegenstand)")));
    }

  list = bnd_strategy_get_stages (self);
  for (guint i = 0; i < list->len; i++)
    {
      const BndStage *stage = g_ptr_array_index (list, i);

      consider (&search, BND_SEARCH_STAGE, stage->id, stage->title, stage->description,
                /* Translators: "Procedure, step 1 · Netzwerkkoordination" */
                g_strdup_printf (_("Procedure, step %d · %s"), stage->step, stage->actor));
    }

  list = bnd_strategy_get_indicators (self);
  for (guint i = 0; i < list->len; i++)
    {
      const BndIndicator *indicator = g_ptr_array_index (list, i);
      g_autofree char *value = bnd_indicator_format_value (indicator, bnd_locale_current ());
      const char *area = bnd_strategy_get_area_name (self, indicator->area);
      g_autofree char *body = g_strconcat (indicator->topic->title, "\n",
                                           indicator->group ? indicator->group->title : "", NULL);

      consider (&search, BND_SEARCH_INDICATOR, indicator->id, indicator->label, body,
                /* Translators: an indicator's area, year and value: "Celle · 2023 · 321 Tage" */
                g_strdup_printf (_("%s · %s · %s"), area, indicator->year, value));
    }

  g_strfreev (search.terms);

  /* Title hits first; the sort is stable, so each kind keeps the strategy's own order. */
  g_ptr_array_sort (search.hits, compare_hits);
  if (search.hits->len > max_hits)
    g_ptr_array_set_size (search.hits, max_hits);

  return search.hits;
}
