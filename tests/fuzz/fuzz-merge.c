/* fuzz-merge.c: the three-way merge of a sketch and the resolution of its conflicts
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-fuzz"

#include "config.h"

#include <string.h>

#include "bnd-merge.h"
#include "fuzz-common.h"

/* The input is NUL-separated: the base, mine and theirs as .bndsketch text, then pairs of a
 * field and the value a user decides on ("title\0Neuer Titel\0costs\0{…}"), as `buendnis-cli
 * resolve --field F --text V` or the app's conflict dialog would send them.
 *
 * The merge must take every change only one side made, keep "mine" and record a conflict where
 * both changed a field differently, and give a sketch that loads. Resolving a conflict with either
 * side's value always works; any other value either works and leaves a loadable sketch, or fails
 * with a readable error and leaves the sketch as it was. */

#define MAX_RESOLUTIONS 8

static BndStrategy *strategy;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;

  fuzz_init ();
  if (!(strategy = bnd_strategy_new_default (&error)))
    fuzz_fail ("the default strategy does not load: %s", error->message);
  return 0;
}

static BndSketch *
load (const char *text,
      const char *origin)
{
  g_autoptr(GError) error = NULL;
  BndSketch *sketch = bnd_sketch_new_from_data (text, strlen (text), origin, strategy, &error);

  fuzz_check_result ("bnd_sketch_new_from_data", sketch != NULL, error);
  return sketch;
}

/* The sketch as saved; it must load again under the strategy. */
static char *
check_loadable (const char *what,
                BndSketch  *sketch)
{
  g_autoptr(BndSketch) again = NULL;
  g_autoptr(GError) error = NULL;
  char *saved = bnd_sketch_to_data (sketch, NULL);

  if (!(again = bnd_sketch_new_from_data (saved, strlen (saved), what, strategy, &error)))
    fuzz_fail ("%s does not load: %s\n%s", what, error->message, saved);
  return saved;
}

/* A field's value as JSON text, read from the saved sketch: @parent's @member ("" for a
 * section the sketch does not have). */
static char *
member_text (JsonNode   *sketch,
             const char *parent,
             const char *member)
{
  JsonObject *object = json_node_get_object (sketch);
  JsonNode *node;

  if (parent != NULL)
    object = json_object_get_object_member (object, parent);
  node = json_object_get_member (object, member);
  return node ? json_to_string (node, FALSE) : g_strdup ("\"\"");
}

static gboolean
has_conflict (GPtrArray  *conflicts,
              const char *field)
{
  for (guint i = 0; i < conflicts->len; i++)
    if (g_str_equal (((BndConflict *)g_ptr_array_index (conflicts, i))->field, field))
      return TRUE;
  return FALSE;
}

/* Field by field: a change only one side made is taken, a field both changed differently keeps
 * mine and is a conflict, and nothing else is a conflict. */
static void
check_merge (BndSketch *base,
             BndSketch *mine,
             BndSketch *theirs,
             BndSketch *merged,
             GPtrArray *conflicts)
{
  static const struct { const char *field, *parent, *member; } fields[] = {
    { "title", NULL, "title" },
    { "carrier", "carrier", "organisation" },
    { "contact", "carrier", "contact" },
    { "funding_object", NULL, "funding_object" },
    { "start", "duration", "start" },
    { "end", "duration", "end" },
    { "partners", NULL, "partners" },
    { "costs", NULL, "costs" },
    { "links:goals", "links", "goals" },
    { "links:cross_cutting_goals", "links", "cross_cutting_goals" },
    { "links:fields", "links", "fields" },
    { "links:topics", "links", "topics" },
    { "links:districts", "links", "districts" },
  };
  BndSketch *sketches[] = { base, mine, theirs, merged };
  JsonNode *json[4] = { NULL };
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
  guint n_conflicts = 0;

  for (guint s = 0; s < G_N_ELEMENTS (sketches); s++)
    {
      g_auto(GStrv) ids = bnd_sketch_dup_section_ids (sketches[s]);

      json[s] = bnd_sketch_to_json (sketches[s]);
      for (guint i = 0; ids[i]; i++)
        if (!g_ptr_array_find_with_equal_func (all, ids[i], g_str_equal, NULL))
          g_ptr_array_add (all, g_strdup (ids[i]));
    }

  for (guint i = 0; i < G_N_ELEMENTS (fields) + all->len; i++)
    {
      gboolean section = i >= G_N_ELEMENTS (fields);
      g_autofree char *field = section ? g_strdup_printf ("section:%s", (char *)g_ptr_array_index (all, i - G_N_ELEMENTS (fields)))
                                       : g_strdup (fields[i].field);
      const char *parent = section ? "sections" : fields[i].parent;
      const char *member = section ? field + strlen ("section:") : fields[i].member;
      g_autofree char *b = member_text (json[0], parent, member);
      g_autofree char *m = member_text (json[1], parent, member);
      g_autofree char *t = member_text (json[2], parent, member);
      g_autofree char *r = member_text (json[3], parent, member);
      const char *expected = g_str_equal (m, b) ? t : m;
      gboolean conflict = !g_str_equal (m, b) && !g_str_equal (t, b) && !g_str_equal (m, t);

      if (!g_str_equal (r, expected))
        fuzz_fail ("the merge has %s = %s; base %s, mine %s, theirs %s", field, r, b, m, t);
      if (conflict != has_conflict (conflicts, field))
        fuzz_fail ("the merge %s a conflict in %s; base %s, mine %s, theirs %s",
                   conflict ? "misses" : "reports", field, b, m, t);
      n_conflicts += conflict;
    }
  for (guint s = 0; s < G_N_ELEMENTS (json); s++)
    json_node_unref (json[s]);
  if (n_conflicts != conflicts->len)
    fuzz_fail ("the merge reports %u conflicts, not %u", conflicts->len, n_conflicts);
}

static void
check_resolution (BndSketch   *merged,
                  GPtrArray   *conflicts,
                  const char  *field,
                  const char  *value,
                  gboolean     must_work)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = bnd_sketch_to_data (merged, NULL);
  g_autofree char *after = NULL;
  g_autofree char *saved = NULL;
  guint open = conflicts->len;
  gboolean ok;

  ok = bnd_merge_resolve_with_strategy (merged, conflicts, field, value, strategy, &error);
  fuzz_check_result ("bnd_merge_resolve_with_strategy", ok, error);
  if (!ok)
    {
      if (must_work)
        fuzz_fail ("resolving %s with one side's own value failed: %s", field, error->message);
      after = bnd_sketch_to_data (merged, NULL);
      if (!g_str_equal (before, after) || conflicts->len != open)
        fuzz_fail ("a resolution of %s that failed changed the sketch or its conflicts", field);
      return;
    }
  if (conflicts->len != open - 1)
    fuzz_fail ("resolving %s did not close exactly one conflict", field);
  saved = check_loadable ("the resolved sketch", merged);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) parts = fuzz_split (data, size, 3 + 2 * MAX_RESOLUTIONS);
  g_autoptr(BndSketch) base = NULL;
  g_autoptr(BndSketch) mine = NULL;
  g_autoptr(BndSketch) theirs = NULL;
  g_autoptr(BndSketch) merged = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GPtrArray) reread = NULL;
  g_autofree char *conflicts_json = NULL;
  g_autofree char *reread_json = NULL;
  g_autofree char *saved = NULL;

  if (parts->len < 3 ||
      !(base = load (g_ptr_array_index (parts, 0), "base")) ||
      !(mine = load (g_ptr_array_index (parts, 1), "mine")) ||
      !(theirs = load (g_ptr_array_index (parts, 2), "theirs")))
    return 0;

  merged = bnd_merge_sketches (base, mine, theirs, &conflicts);
  saved = check_loadable ("the merged sketch", merged);
  check_merge (base, mine, theirs, merged, conflicts);
  if (!g_str_equal (bnd_sketch_get_uuid (merged), bnd_sketch_get_uuid (mine)))
    fuzz_fail ("the merge changed the uuid");

  /* The conflicts as the store keeps them, and back. */
  conflicts_json = bnd_conflicts_to_json (conflicts);
  fuzz_check_utf8 ("the conflicts as JSON", conflicts_json);
  reread = bnd_conflicts_from_json (conflicts_json);
  reread_json = bnd_conflicts_to_json (reread);
  if (!g_str_equal (conflicts_json, reread_json))
    fuzz_fail ("the conflicts changed on their way through JSON:\n%s\n---\n%s", conflicts_json, reread_json);

  /* Each side's value resolves its conflict, on a copy of the merge. */
  for (guint i = 0; i < conflicts->len; i++)
    {
      BndConflict *conflict = g_ptr_array_index (conflicts, i);
      g_autoptr(BndSketch) copy = bnd_sketch_copy (merged);
      g_autoptr(GPtrArray) open = bnd_conflicts_from_json (conflicts_json);
      g_autoptr(BndSketch) copy2 = bnd_sketch_copy (merged);
      g_autoptr(GPtrArray) open2 = bnd_conflicts_from_json (conflicts_json);

      fuzz_check_utf8 ("a conflict's field", conflict->field);
      fuzz_check_utf8 ("a conflict's own value", conflict->mine);
      fuzz_check_utf8 ("a conflict's other value", conflict->theirs);
      check_resolution (copy, open, conflict->field, conflict->theirs, TRUE);
      check_resolution (copy2, open2, conflict->field, conflict->mine, TRUE);
    }

  /* Then what the input decides, in order; a field without a conflict is an error too. */
  for (guint i = 3; i + 1 < parts->len; i += 2)
    check_resolution (merged, conflicts, g_ptr_array_index (parts, i), g_ptr_array_index (parts, i + 1), FALSE);
  return 0;
}
