/* bnd-sketch.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-sketch"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bnd-json-check.h"
#include "bnd-sketch-private.h"


enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BndSketch, bnd_sketch, G_TYPE_OBJECT)
G_DEFINE_QUARK (bnd-sketch-error-quark, bnd_sketch_error)

const char *_bnd_sketch_link_names[BND_N_LINKS] = {
  "goals", "cross_cutting_goals", "fields", "topics", "districts",
};

static void
cost_item_clear (gpointer data)
{
  BndCostItem *item = data;

  g_clear_pointer (&item->label, g_free);
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

/* Every edit goes through here: the store and the page budget listen to "changed". */
static void
touch (BndSketch *self)
{
  self->modified = g_get_real_time () / G_USEC_PER_SEC;
  g_signal_emit (self, signals[CHANGED], 0);
}

void
_bnd_sketch_touch (BndSketch *self)
{
  touch (self);
}

gboolean
_bnd_sketch_set_string (char       **field,
                        const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
bnd_sketch_finalize (GObject *object)
{
  BndSketch *self = (BndSketch *)object;

  g_free (self->uuid);
  g_free (self->title);
  g_free (self->carrier);
  g_free (self->contact);
  g_free (self->stage);
  g_free (self->start);
  g_free (self->end);
  g_hash_table_unref (self->sections);
  for (guint i = 0; i < BND_N_LINKS; i++)
    g_ptr_array_unref (self->links[i]);
  g_ptr_array_unref (self->partners);
  g_ptr_array_unref (self->confirmations);
  g_array_unref (self->costs);

  G_OBJECT_CLASS (bnd_sketch_parent_class)->finalize (object);
}

static void
bnd_sketch_class_init (BndSketchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bnd_sketch_finalize;

  /**
   * BndSketch::changed:
   *
   * Emitted after every edit.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
bnd_sketch_init (BndSketch *self)
{
  self->uuid = g_uuid_string_random ();
  self->title = g_strdup ("");
  self->carrier = g_strdup ("");
  self->contact = g_strdup ("");
  self->stage = g_strdup ("draft");
  self->start = g_strdup ("");
  self->end = g_strdup ("");
  self->sections = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < BND_N_LINKS; i++)
    self->links[i] = g_ptr_array_new_with_free_func (g_free);
  self->partners = g_ptr_array_new_with_free_func (g_free);
  self->confirmations = g_ptr_array_new_with_free_func (g_free);
  self->costs = g_array_new (FALSE, TRUE, sizeof (BndCostItem));
  g_array_set_clear_func (self->costs, cost_item_clear);
  self->created = self->modified = g_get_real_time () / G_USEC_PER_SEC;
}

BndSketch *
bnd_sketch_new (void)
{
  return g_object_new (BND_TYPE_SKETCH, NULL);
}

/**
 * bnd_sketch_copy:
 * @self: a #BndSketch
 *
 * Returns: (transfer full): a deep copy with the same UUID
 */
BndSketch *
bnd_sketch_copy (BndSketch *self)
{
  BndSketch *copy;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (BND_IS_SKETCH (self), NULL);

  /* Field by field: a copy is never refused, whatever the sketch holds. */
  copy = bnd_sketch_new ();
  _bnd_sketch_set_string (&copy->uuid, self->uuid);
  _bnd_sketch_set_string (&copy->title, self->title);
  _bnd_sketch_set_string (&copy->carrier, self->carrier);
  _bnd_sketch_set_string (&copy->contact, self->contact);
  _bnd_sketch_set_string (&copy->stage, self->stage);
  _bnd_sketch_set_string (&copy->start, self->start);
  _bnd_sketch_set_string (&copy->end, self->end);
  copy->funding_object = self->funding_object;
  g_hash_table_iter_init (&iter, self->sections);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy->sections, g_strdup (key), g_strdup (value));
  for (guint i = 0; i < BND_N_LINKS; i++)
    for (guint j = 0; j < self->links[i]->len; j++)
      g_ptr_array_add (copy->links[i], g_strdup (g_ptr_array_index (self->links[i], j)));
  for (guint j = 0; j < self->partners->len; j++)
    g_ptr_array_add (copy->partners, g_strdup (g_ptr_array_index (self->partners, j)));
  for (guint j = 0; j < self->confirmations->len; j++)
    g_ptr_array_add (copy->confirmations, g_strdup (g_ptr_array_index (self->confirmations, j)));
  for (guint j = 0; j < self->costs->len; j++)
    {
      BndCostItem *item = &g_array_index (self->costs, BndCostItem, j);
      BndCostItem item_copy = { g_strdup (item->label), item->amount };
      g_array_append_val (copy->costs, item_copy);
    }
  copy->requested = self->requested;
  copy->own_contribution = self->own_contribution;
  copy->co_financing = self->co_financing;
  copy->created = self->created;
  copy->modified = self->modified;
  return copy;
}

#define STRING_ACCESSORS(field)                                 \
  const char *                                                  \
  bnd_sketch_get_##field (BndSketch *self)                      \
  {                                                             \
    g_return_val_if_fail (BND_IS_SKETCH (self), NULL);          \
    return self->field;                                         \
  }                                                             \
  void                                                          \
  bnd_sketch_set_##field (BndSketch  *self,                     \
                          const char *value)                    \
  {                                                             \
    g_return_if_fail (BND_IS_SKETCH (self));                    \
    if (_bnd_sketch_set_string (&self->field, value ? value : ""))          \
      touch (self);                                             \
  }

STRING_ACCESSORS (title)
STRING_ACCESSORS (carrier)
STRING_ACCESSORS (contact)

const char *
bnd_sketch_get_uuid (BndSketch *self)
{
  g_return_val_if_fail (BND_IS_SKETCH (self), NULL);
  return self->uuid;
}

/* Changing the UUID makes another sketch (duplicate); it is not an edit. */
void
bnd_sketch_set_uuid (BndSketch  *self,
                     const char *uuid)
{
  g_return_if_fail (BND_IS_SKETCH (self));
  g_return_if_fail (uuid && g_uuid_string_is_valid (uuid));

  _bnd_sketch_set_string (&self->uuid, uuid);
}

int
bnd_sketch_get_funding_object (BndSketch *self)
{
  g_return_val_if_fail (BND_IS_SKETCH (self), 0);
  return self->funding_object;
}

/* @number: 1–3 as in the pack, or 0 for "not chosen yet" */
void
bnd_sketch_set_funding_object (BndSketch *self,
                               int        number)
{
  g_return_if_fail (BND_IS_SKETCH (self));

  if (self->funding_object != number)
    {
      self->funding_object = number;
      touch (self);
    }
}

const char *
bnd_sketch_get_stage (BndSketch *self)
{
  g_return_val_if_fail (BND_IS_SKETCH (self), NULL);
  return self->stage;
}

/* The stage is the server's to change; a sync sets it, it is not an edit. */
void
bnd_sketch_set_stage (BndSketch  *self,
                      const char *stage)
{
  g_return_if_fail (BND_IS_SKETCH (self));
  _bnd_sketch_set_string (&self->stage, stage);
}

const char *
bnd_sketch_get_start (BndSketch *self)
{
  g_return_val_if_fail (BND_IS_SKETCH (self), NULL);
  return self->start;
}

const char *
bnd_sketch_get_end (BndSketch *self)
{
  g_return_val_if_fail (BND_IS_SKETCH (self), NULL);
  return self->end;
}

/* Dates are ISO 8601 days ("2025-01-01"), or empty while unknown. */
void
bnd_sketch_set_duration (BndSketch  *self,
                         const char *start,
                         const char *end)
{
  gboolean changed;

  g_return_if_fail (BND_IS_SKETCH (self));

  changed = _bnd_sketch_set_string (&self->start, start ? start : "");
  changed |= _bnd_sketch_set_string (&self->end, end ? end : "");
  if (changed)
    touch (self);
}

/**
 * bnd_sketch_get_section:
 *
 * Returns: the section's text, "" when it has none
 */
const char *
bnd_sketch_get_section (BndSketch  *self,
                        const char *section_id)
{
  const char *text;

  g_return_val_if_fail (BND_IS_SKETCH (self), NULL);

  text = g_hash_table_lookup (self->sections, section_id);
  return text ? text : "";
}

void
bnd_sketch_set_section (BndSketch  *self,
                        const char *section_id,
                        const char *text)
{
  g_return_if_fail (BND_IS_SKETCH (self));
  g_return_if_fail (section_id != NULL);

  if (g_strcmp0 (bnd_sketch_get_section (self, section_id), text ? text : "") == 0)
    return;

  if (text == NULL || *text == 0)
    g_hash_table_remove (self->sections, section_id);
  else
    g_hash_table_replace (self->sections, g_strdup (section_id), g_strdup (text));
  touch (self);
}

/**
 * bnd_sketch_dup_section_ids:
 *
 * Returns: (transfer full): the ids of the sections that have text, sorted
 */
GStrv
bnd_sketch_dup_section_ids (BndSketch *self)
{
  g_autofree const char **keys = NULL;
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv ids;
  guint n;

  g_return_val_if_fail (BND_IS_SKETCH (self), NULL);

  keys = (const char **)g_hash_table_get_keys_as_array (self->sections, &n);
  qsort (keys, n, sizeof (char *), compare_strings);
  for (guint i = 0; i < n; i++)
    g_strv_builder_add (builder, keys[i]);
  ids = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return ids;
}

/**
 * bnd_sketch_get_links:
 *
 * Returns: (transfer none) (element-type utf8): the linked ids of @kind
 */
GPtrArray *
bnd_sketch_get_links (BndSketch   *self,
                      BndLinkKind  kind)
{
  g_return_val_if_fail (BND_IS_SKETCH (self), NULL);
  g_return_val_if_fail (kind < BND_N_LINKS, NULL);

  return self->links[kind];
}

static void
replace_strings (GPtrArray          *array,
                 const char * const *strings)
{
  g_ptr_array_set_size (array, 0);
  for (guint i = 0; strings && strings[i]; i++)
    g_ptr_array_add (array, g_strdup (strings[i]));
}

static gboolean
strings_equal (GPtrArray          *array,
               const char * const *strings)
{
  guint n = strings ? g_strv_length ((char **)strings) : 0;

  if (array->len != n)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (!g_str_equal (g_ptr_array_index (array, i), strings[i]))
      return FALSE;
  return TRUE;
}

void
bnd_sketch_set_links (BndSketch          *self,
                      BndLinkKind         kind,
                      const char * const *ids)
{
  g_return_if_fail (BND_IS_SKETCH (self));
  g_return_if_fail (kind < BND_N_LINKS);

  if (strings_equal (self->links[kind], ids))
    return;
  replace_strings (self->links[kind], ids);
  touch (self);
}

gboolean
bnd_sketch_has_link (BndSketch   *self,
                     BndLinkKind  kind,
                     const char  *id)
{
  g_return_val_if_fail (BND_IS_SKETCH (self), FALSE);
  g_return_val_if_fail (kind < BND_N_LINKS, FALSE);

  return g_ptr_array_find_with_equal_func (self->links[kind], id, g_str_equal, NULL);
}

void
bnd_sketch_toggle_link (BndSketch   *self,
                        BndLinkKind  kind,
                        const char  *id,
                        gboolean     linked)
{
  guint index;

  g_return_if_fail (BND_IS_SKETCH (self));
  g_return_if_fail (kind < BND_N_LINKS);

  if (g_ptr_array_find_with_equal_func (self->links[kind], id, g_str_equal, &index) == linked)
    return;
  if (linked)
    g_ptr_array_add (self->links[kind], g_strdup (id));
  else
    g_ptr_array_remove_index (self->links[kind], index);
  touch (self);
}

GPtrArray *
bnd_sketch_get_partners (BndSketch *self)
{
  g_return_val_if_fail (BND_IS_SKETCH (self), NULL);
  return self->partners;
}

void
bnd_sketch_set_partners (BndSketch          *self,
                         const char * const *partners)
{
  g_return_if_fail (BND_IS_SKETCH (self));

  if (strings_equal (self->partners, partners))
    return;
  replace_strings (self->partners, partners);
  touch (self);
}

GArray *
bnd_sketch_get_cost_items (BndSketch *self)
{
  g_return_val_if_fail (BND_IS_SKETCH (self), NULL);
  return self->costs;
}

void
bnd_sketch_set_cost_items (BndSketch         *self,
                           const BndCostItem *items,
                           guint              n_items)
{
  gboolean same;

  g_return_if_fail (BND_IS_SKETCH (self));

  same = self->costs->len == n_items;
  for (guint i = 0; same && i < n_items; i++)
    {
      BndCostItem *item = &g_array_index (self->costs, BndCostItem, i);
      same = g_strcmp0 (item->label, items[i].label) == 0 && item->amount == items[i].amount;
    }
  if (same)
    return;

  g_array_set_size (self->costs, 0);
  for (guint i = 0; i < n_items; i++)
    {
      BndCostItem item = { g_strdup (items[i].label ? items[i].label : ""), items[i].amount };
      g_array_append_val (self->costs, item);
    }
  touch (self);
}

double
bnd_sketch_get_cost_total (BndSketch *self)
{
  double total = 0;

  g_return_val_if_fail (BND_IS_SKETCH (self), 0);

  for (guint i = 0; i < self->costs->len; i++)
    total += g_array_index (self->costs, BndCostItem, i).amount;
  return total;
}

double
bnd_sketch_get_requested (BndSketch *self)
{
  g_return_val_if_fail (BND_IS_SKETCH (self), 0);
  return self->requested;
}

double
bnd_sketch_get_own_contribution (BndSketch *self)
{
  g_return_val_if_fail (BND_IS_SKETCH (self), 0);
  return self->own_contribution;
}

double
bnd_sketch_get_co_financing (BndSketch *self)
{
  g_return_val_if_fail (BND_IS_SKETCH (self), 0);
  return self->co_financing;
}

void
bnd_sketch_set_financing (BndSketch *self,
                          double     requested,
                          double     own_contribution,
                          double     co_financing)
{
  g_return_if_fail (BND_IS_SKETCH (self));

  if (self->requested == requested && self->own_contribution == own_contribution &&
      self->co_financing == co_financing)
    return;
  self->requested = requested;
  self->own_contribution = own_contribution;
  self->co_financing = co_financing;
  touch (self);
}

gint64
bnd_sketch_get_created (BndSketch *self)
{
  g_return_val_if_fail (BND_IS_SKETCH (self), 0);
  return self->created;
}

gint64
bnd_sketch_get_modified (BndSketch *self)
{
  g_return_val_if_fail (BND_IS_SKETCH (self), 0);
  return self->modified;
}

/* For loading and duplicating: not an edit, so no "changed". */
void
bnd_sketch_set_times (BndSketch *self,
                      gint64     created,
                      gint64     modified)
{
  g_return_if_fail (BND_IS_SKETCH (self));

  self->created = created;
  self->modified = modified;
}

/* Validation */

void
bnd_sketch_issue_free (BndSketchIssue *issue)
{
  g_free (issue->field);
  g_free (issue->message);
  g_free (issue->source);
  g_free (issue);
}

static void
add_issue (GPtrArray  *issues,
           const char *field,
           char       *message)
{
  BndSketchIssue *issue = g_new0 (BndSketchIssue, 1);

  issue->field = g_strdup (field);
  issue->message = message;
  g_ptr_array_add (issues, issue);
}

gboolean
_bnd_sketch_parse_date (const char *text,
                        GDate      *date)
{
  unsigned year, month, day;
  char end;

  g_date_clear (date, 1);
  if (text == NULL || sscanf (text, "%4u-%2u-%2u%c", &year, &month, &day, &end) != 3)
    return FALSE;
  if (!g_date_valid_dmy (day, month, year))
    return FALSE;
  g_date_set_dmy (date, day, month, year);
  return TRUE;
}

static gboolean
is_blank (const char *text)
{
  return text == NULL || text[strspn (text, " \t\r\n")] == 0;
}

/**
 * bnd_sketch_validate:
 * @self: a #BndSketch
 * @strategy: the strategy whose template the sketch follows
 *
 * Checks what a sketch needs before it can be submitted: every required section, the
 * financing adding up to the costs, the duration in order, and the funding conditions of the
 * strategy pack for its Fördergegenstand (bnd-sketch-conditions.c).
 *
 * Returns: (transfer container) (element-type BndSketchIssue): the issues, empty when none
 */
GPtrArray *
bnd_sketch_validate (BndSketch   *self,
                     BndStrategy *strategy)
{
  GPtrArray *issues = g_ptr_array_new_with_free_func ((GDestroyNotify)bnd_sketch_issue_free);
  GPtrArray *sections;
  GDate start, end;
  gboolean has_start, has_end;
  double total, financing;

  g_return_val_if_fail (BND_IS_SKETCH (self), issues);
  g_return_val_if_fail (BND_IS_STRATEGY (strategy), issues);

  if (is_blank (self->title))
    add_issue (issues, "title", g_strdup (_("The sketch needs a title.")));
  if (is_blank (self->carrier))
    add_issue (issues, "carrier", g_strdup (_("Name the organisation that carries the project.")));
  if (self->funding_object == 0)
    add_issue (issues, "funding_object", g_strdup (_("Choose a funding object (Fördergegenstand).")));

  sections = bnd_strategy_get_template_sections (strategy);
  for (guint i = 0; i < sections->len; i++)
    {
      const BndTemplateSection *section = g_ptr_array_index (sections, i);
      g_autofree char *field = g_strdup_printf ("section:%s", section->id);

      if (section->required && is_blank (bnd_sketch_get_section (self, section->id)))
        /* Translators: %s is a section of the sketch template, such as „Ausgangslage und Bedarf“ */
        add_issue (issues, field, g_strdup_printf (_("The section „%s“ is required."),
                                                   bnd_template_section_get_title (section)));
    }

  if (self->links[BND_LINK_GOALS]->len == 0)
    add_issue (issues, "links:goals", g_strdup (_("Link the project to at least one strategic goal.")));
  if (self->links[BND_LINK_DISTRICTS]->len == 0)
    add_issue (issues, "links:districts",
               g_strdup (_("Name the Landkreise the project serves, or mark it as landkreisübergreifend.")));

  has_start = _bnd_sketch_parse_date (self->start, &start);
  has_end = _bnd_sketch_parse_date (self->end, &end);
  if (!has_start || !has_end)
    add_issue (issues, "duration", g_strdup (_("Give the start and the end of the project as dates.")));
  else if (g_date_compare (&end, &start) < 0)
    add_issue (issues, "duration", g_strdup (_("The project ends before it starts.")));

  total = bnd_sketch_get_cost_total (self);
  financing = self->requested + self->own_contribution + self->co_financing;
  if (self->costs->len == 0 || total <= 0)
    add_issue (issues, "costs", g_strdup (_("Add the cost items of the project.")));
  else if (fabs (total - financing) >= 0.005)
    {
      g_autofree char *costs = g_strdup_printf ("%.2f", total);
      g_autofree char *financed = g_strdup_printf ("%.2f", financing);

      /* Translators: both are amounts in euros */
      add_issue (issues, "financing",
                 g_strdup_printf (_("The financing (%s €) does not add up to the costs (%s €)."),
                                  financed, costs));
    }

  _bnd_sketch_add_condition_issues (self, strategy, issues);

  return issues;
}

/**
 * bnd_sketch_dup_plain_text:
 *
 * Returns: (transfer full): the title and all section texts, for the full-text index
 */
char *
bnd_sketch_dup_plain_text (BndSketch *self)
{
  g_auto(GStrv) ids = NULL;
  GString *text;

  g_return_val_if_fail (BND_IS_SKETCH (self), NULL);

  ids = bnd_sketch_dup_section_ids (self);
  text = g_string_new (self->carrier);
  for (guint i = 0; ids[i]; i++)
    g_string_append_printf (text, "\n%s", bnd_sketch_get_section (self, ids[i]));
  return g_string_free (text, FALSE);
}
