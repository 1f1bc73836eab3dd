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
#include "bnd-sketch.h"

#define FORMAT_NAME "buendnis-sketch"
#define FORMAT_VERSION 1

struct _BndSketch
{
  GObject     parent_instance;

  char       *uuid;
  char       *title;
  char       *carrier;
  char       *contact;
  char       *stage;
  char       *start;
  char       *end;
  int         funding_object;
  GHashTable *sections;               /* section id → text */
  GPtrArray  *links[BND_N_LINKS];     /* ids */
  GPtrArray  *partners;
  GArray     *costs;                  /* BndCostItem */
  double      requested;
  double      own_contribution;
  double      co_financing;
  gint64      created;
  gint64      modified;
};

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BndSketch, bnd_sketch, G_TYPE_OBJECT)
G_DEFINE_QUARK (bnd-sketch-error-quark, bnd_sketch_error)

static const char *link_names[BND_N_LINKS] = {
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

static gboolean
set_string (char       **field,
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
  set_string (&copy->uuid, self->uuid);
  set_string (&copy->title, self->title);
  set_string (&copy->carrier, self->carrier);
  set_string (&copy->contact, self->contact);
  set_string (&copy->stage, self->stage);
  set_string (&copy->start, self->start);
  set_string (&copy->end, self->end);
  copy->funding_object = self->funding_object;
  g_hash_table_iter_init (&iter, self->sections);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy->sections, g_strdup (key), g_strdup (value));
  for (guint i = 0; i < BND_N_LINKS; i++)
    for (guint j = 0; j < self->links[i]->len; j++)
      g_ptr_array_add (copy->links[i], g_strdup (g_ptr_array_index (self->links[i], j)));
  for (guint j = 0; j < self->partners->len; j++)
    g_ptr_array_add (copy->partners, g_strdup (g_ptr_array_index (self->partners, j)));
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
    if (set_string (&self->field, value ? value : ""))          \
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

  set_string (&self->uuid, uuid);
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
  set_string (&self->stage, stage);
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

  changed = set_string (&self->start, start ? start : "");
  changed |= set_string (&self->end, end ? end : "");
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

static gboolean
parse_date (const char *text,
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
 * financing adding up to the costs, the duration in order.
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
        add_issue (issues, field, g_strdup_printf (_("The section „%s“ is required."), section->title));
    }

  if (self->links[BND_LINK_GOALS]->len == 0)
    add_issue (issues, "links:goals", g_strdup (_("Link the project to at least one strategic goal.")));
  if (self->links[BND_LINK_DISTRICTS]->len == 0)
    add_issue (issues, "links:districts",
               g_strdup (_("Name the Landkreise the project serves, or mark it as landkreisübergreifend.")));

  has_start = parse_date (self->start, &start);
  has_end = parse_date (self->end, &end);
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

  return issues;
}

/* JSON */

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
    add_string_array (builder, link_names[i], self->links[i]);
  json_builder_end_object (builder);

  add_string_array (builder, "partners", self->partners);

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
  set_string (&self->uuid, uuid);

  if (!get_short_string (check, root, "$", "title", &string))
    return FALSE;
  set_string (&self->title, string);
  if (!bnd_json_get_string (check, root, "$", "stage", TRUE, &string))
    return FALSE;
  set_string (&self->stage, string);
  if (!parse_time (check, root, "created", &self->created) ||
      !parse_time (check, root, "modified", &self->modified))
    return FALSE;

  if (!(carrier = bnd_json_get_object (check, root, "$", "carrier")) ||
      !get_short_string (check, carrier, "$.carrier", "organisation", &string))
    return FALSE;
  set_string (&self->carrier, string);
  if (!get_short_string (check, carrier, "$.carrier", "contact", &string))
    return FALSE;
  set_string (&self->contact, string);

  if (!bnd_json_get_int (check, root, "$", "funding_object", 0,
                         strategy ? (int)bnd_strategy_get_funding_objects (strategy)->len : 99,
                         &self->funding_object))
    return FALSE;

  if (!(duration = bnd_json_get_object (check, root, "$", "duration")) ||
      !get_short_string (check, duration, "$.duration", "start", &string))
    return FALSE;
  set_string (&self->start, string);
  if (!get_short_string (check, duration, "$.duration", "end", &string))
    return FALSE;
  set_string (&self->end, string);

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
      if (!parse_strings (check, links, "$.links", link_names[kind], self->links[kind]))
        return FALSE;
      for (guint i = 0; strategy && i < self->links[kind]->len; i++)
        {
          const char *id = g_ptr_array_index (self->links[kind], i);
          g_autofree char *path = g_strdup_printf ("$.links.%s[%u]", link_names[kind], i);

          if (!known_link (strategy, kind, id))
            return bnd_json_check_fail (check, BND_SKETCH_ERROR_INVALID, path,
                                        _("the strategy has no “%s”"), id) != NULL;
        }
    }

  if (!parse_strings (check, root, "$", "partners", self->partners))
    return FALSE;

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
