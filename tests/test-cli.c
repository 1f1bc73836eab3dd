/* test-cli.c: buendnis-cli as a script would use it, on a temporary profile
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "bnd-merge.h"
#include "bnd-store.h"

typedef struct
{
  char *directory;
  char *profile;
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Result;

static void
result_clear (Result *result)
{
  g_free (result->out);
  g_free (result->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static void
run_valist (const char *profile,
            Result     *result,
            const char *first,
            va_list     ap)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("BUENDNIS_CLI");
  int wait_status;

  g_assert_nonnull (cli);
  g_ptr_array_add (args, (gpointer)cli);
  g_ptr_array_add (args, (gpointer)"--profile");
  g_ptr_array_add (args, (gpointer)profile);
  for (const char *arg = first; arg; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer)arg);
  g_ptr_array_add (args, NULL);

  g_spawn_sync (NULL, (char **)args->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &result->out, &result->err, &wait_status, &error);
  g_assert_no_error (error);
  result->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
}

static void
run_with_input (Fixture    *fixture,
                Result     *result,
                const char *first,
                ...)
{
  va_list ap;

  va_start (ap, first);
  run_valist (fixture->profile, result, first, ap);
  va_end (ap);
}

static void
run_in_profile (const char *profile,
                Result     *result,
                const char *first,
                ...)
{
  va_list ap;

  va_start (ap, first);
  run_valist (profile, result, first, ap);
  va_end (ap);
}

#define run(fixture, result, ...) run_with_input (fixture, result, __VA_ARGS__, NULL)
#define run_in(profile, result, ...) run_in_profile (profile, result, __VA_ARGS__, NULL)

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->directory = g_dir_make_tmp ("bnd-cli-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->profile = g_build_filename (fixture->directory, "profile", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", fixture->directory);

  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  g_free (fixture->directory);
  g_free (fixture->profile);
}

static char *
write_file (Fixture    *fixture,
            const char *name,
            const char *contents,
            gssize      length)
{
  char *path = g_build_filename (fixture->directory, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, length, NULL));
  return path;
}

static char *
reference_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "data", "reference-sketch.bndsketch", NULL);
}

static void
test_new_edit_show_search (Fixture       *fixture,
                           gconstpointer  data)
{
  g_auto(Result) created = { 0 };
  g_auto(Result) edited = { 0 };
  g_auto(Result) shown = { 0 };
  g_auto(Result) found = { 0 };
  g_auto(Result) listed = { 0 };
  g_auto(Result) template = { 0 };
  g_autofree char *id = NULL;

  run (fixture, &created, "new", "--title", "Pflegekräfte für Uelzen");
  g_assert_cmpint (created.status, ==, 0);
  id = g_strstrip (g_strdup (created.out));
  g_assert_true (g_uuid_string_is_valid (id));

  run (fixture, &edited, "edit", id, "--section", "need", "--text", "Die Vakanzzeit steigt – auf 352 Tage.");
  g_assert_cmpint (edited.status, ==, 0);

  run (fixture, &shown, "show", id);
  g_assert_cmpint (shown.status, ==, 0);
  g_assert_nonnull (strstr (shown.out, "Die Vakanzzeit steigt – auf 352 Tage."));

  run (fixture, &found, "search", "pflege");
  g_assert_cmpint (found.status, ==, 0);
  g_assert_nonnull (strstr (found.out, "Pflegekräfte für Uelzen"));

  run (fixture, &listed, "list", "--json");
  g_assert_cmpint (listed.status, ==, 0);
  g_assert_nonnull (strstr (listed.out, id));

  run (fixture, &template, "template", "--json");
  g_assert_cmpint (template.status, ==, 0);
  g_assert_nonnull (strstr (template.out, "\"page_limit\" : 3"));
}

/* The funding conditions of Fördergegenstand 2 are items of "show"'s to-do list, with their
 * source, until "edit --confirm" gives them; an unknown id is bad input. */
static void
test_confirm_conditions (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *reference = NULL;
  g_autofree char *fg2 = NULL;
  g_autofree char *path = NULL;
  g_autofree char *reference_file = reference_path ();
  g_auto(Result) imported = { 0 };
  g_auto(Result) before = { 0 };
  g_auto(Result) one = { 0 };
  g_auto(Result) half = { 0 };
  g_auto(Result) both = { 0 };
  g_auto(Result) after = { 0 };
  g_auto(Result) unknown = { 0 };
  g_auto(Result) not_confirmation = { 0 };
  g_autoptr(GRegex) funding = g_regex_new ("\"funding_object\": 1", 0, 0, NULL);
  const char *id = "3c1d0e8e-5b0a-4f7a-9d5e-6f2b8a4c1e01";
  const char *agreed = "Confirm: The project was agreed with the employment administration";
  const char *carrier = "Confirm: The carrier is an education provider (Bildungsträger).";

  g_assert_true (g_file_get_contents (reference_file, &reference, NULL, NULL));
  fg2 = g_regex_replace_literal (funding, reference, -1, 0, "\"funding_object\": 2", 0, NULL);
  g_assert_cmpstr (fg2, !=, reference);
  {
    g_autoptr(GRegex) uuid = g_regex_new ("\"uuid\": \"[^\"]*\"", 0, 0, NULL);
    g_autofree char *replacement = g_strdup_printf ("\"uuid\": \"%s\"", id);
    g_autofree char *with_id = g_regex_replace_literal (uuid, fg2, -1, 0, replacement, 0, NULL);

    path = write_file (fixture, "fg2.bndsketch", with_id, -1);
  }
  run (fixture, &imported, "import", path);
  g_assert_cmpint (imported.status, ==, 0);

  run (fixture, &before, "show", id);
  g_assert_cmpint (before.status, ==, 0);
  g_assert_nonnull (strstr (before.out, "  [ ] The carrier is an education provider (Bildungsträger). (fg2-bildungstraeger)"));
  g_assert_nonnull (strstr (before.out, "  [x] The project period lies within the funding period 2021–2027. (funding-period)"));
  g_assert_nonnull (strstr (before.out, agreed));
  g_assert_nonnull (strstr (before.out, carrier));
  g_assert_nonnull (strstr (before.out, "Source: Strategie, Abschnitt 4 „Handlungskonzept 2024 – 2027“, S. 30, "
                                        "Fördergegenstand 2: „Zuwendungsempfänger sind Bildungsträger.“"));

  run (fixture, &one, "edit", id, "--confirm", "fg2-bildungstraeger");
  g_assert_cmpint (one.status, ==, 0);
  run (fixture, &half, "show", id);
  g_assert_nonnull (strstr (half.out, agreed));
  g_assert_null (strstr (half.out, carrier));

  run (fixture, &both, "edit", id, "--confirm", "fg2-arbeitsverwaltung");
  g_assert_cmpint (both.status, ==, 0);
  run (fixture, &after, "show", id);
  g_assert_null (strstr (after.out, "Still to do:"));
  g_assert_nonnull (strstr (after.out, "  [x] The carrier is an education provider (Bildungsträger)."));

  run (fixture, &unknown, "edit", id, "--confirm", "fg9-nothing");
  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_nonnull (strstr (unknown.err, "fg9-nothing"));
  /* The funding period is checked from the dates, not confirmed. */
  run (fixture, &not_confirmation, "edit", id, "--confirm", "funding-period");
  g_assert_cmpint (not_confirmation.status, ==, 2);
}

/* A title or a text from someone else must not steer the terminal: ESC, BEL, CR and the other
 * controls are shown escaped; a section's text keeps its line breaks. */
static void
test_terminal_escapes (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *title = "Rot\033[31m laut\a\rFalsch \302\233" "2J";   /* ESC, BEL, CR, C1 CSI */
  g_auto(Result) created = { 0 };
  g_auto(Result) edited = { 0 };
  g_auto(Result) listed = { 0 };
  g_auto(Result) shown = { 0 };
  g_auto(Result) found = { 0 };
  g_auto(Result) json = { 0 };
  g_autofree char *id = NULL;

  run (fixture, &created, "new", "--title", title);
  g_assert_cmpint (created.status, ==, 0);
  id = g_strstrip (g_strdup (created.out));
  run (fixture, &edited, "edit", id, "--section", "need", "--text", "Zeile eins\nZeile zwei\033]0;Titel\a");
  g_assert_cmpint (edited.status, ==, 0);

  run (fixture, &listed, "list");
  run (fixture, &shown, "show", id);
  run (fixture, &found, "search", "laut");
  for (guint i = 0; i < 3; i++)
    {
      const Result *result = (const Result *[]) { &listed, &shown, &found }[i];

      g_assert_cmpint (result->status, ==, 0);
      g_assert_null (strchr (result->out, '\033'));
      g_assert_null (strchr (result->out, '\a'));
      g_assert_null (strchr (result->out, '\r'));
      g_assert_null (strstr (result->out, "\302\233"));
      g_assert_nonnull (strstr (result->out, "Rot\\x1b[31m laut\\x07\\x0dFalsch \\u009B2J"));
    }
  g_assert_nonnull (strstr (shown.out, "Zeile eins\nZeile zwei\\x1b]0;Titel\\x07"));

  /* --json is JSON-escaped already, and stays exact. */
  run (fixture, &json, "list", "--json");
  g_assert_cmpint (json.status, ==, 0);
  g_assert_nonnull (strstr (json.out, "\\u001b[31m"));
}

static void
test_bad_input (Fixture       *fixture,
                gconstpointer  data)
{
  static const char *const cases[][4] = {
    { "frobnicate", NULL },
    { "show", NULL },
    { "show", "ffffffff", NULL },
    { "new", NULL },
    { "edit", "x", "--section", "poem" },
    { "export", "x", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Result) result = { 0 };

      run (fixture, &result, cases[i][0], cases[i][1], cases[i][2], cases[i][3]);
      g_test_message ("%s → %d %s", cases[i][0], result.status, result.err);
      g_assert_cmpint (result.status, ==, 2);
      /* one line */
      g_assert_true (g_str_has_prefix (result.err, "buendnis-cli: "));
      g_assert_cmpint (strchr (result.err, '\n') - result.err, ==, strlen (result.err) - 1);
    }
}

static void
test_malformed_imports (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *reference = reference_path ();
  g_autofree char *valid = NULL;
  g_autofree char *huge = NULL;
  g_auto(Result) before = { 0 };
  g_auto(Result) after = { 0 };
  g_auto(Result) seeded = { 0 };
  g_autoptr(GString) big = g_string_new ("{\"format\": \"buendnis-sketch\", \"version\": 1, \"title\": \"");
  gsize length;
  struct { const char *name; char *contents; const char *needle; } files[] = {
    { "empty.bndsketch", g_strdup (""), "empty" },
    { "garbage.bndsketch", g_strdup ("PK\x03\x04 this is a zip file"), "JSON" },
    { "truncated.bndsketch", NULL, "JSON" },
    { "wrong-format.bndsketch", g_strdup ("{\"format\": \"docx\", \"version\": 1}"), "$.format" },
    { "version-9.bndsketch", g_strdup ("{\"format\": \"buendnis-sketch\", \"version\": 9}"), "$.version" },
    { "unknown-section.bndsketch", NULL, "$.sections.gedicht" },
    { "wrong-type.bndsketch", NULL, "$.funding_object" },
    { "latin1.bndsketch", g_strdup ("{\"format\": \"buendnis-sketch\", \"title\": \"Gr\xfc\xdf" "e\"}"), "UTF-8" },
    { "too-large.bndsketch", NULL, "too large" },
    { "bad-uuid.bndsketch", NULL, "$.uuid" },
    { "unknown-district.bndsketch", NULL, "$.links.districts" },
    { "long-title.bndsketch", NULL, "$.title" },
    /* json-glib recurses per level: this overflowed the stack */
    { "nested.bndsketch", g_strnfill (200 * 1024, '['), "nested too deeply" },
    /* json-glib decodes an escaped lone surrogate into bytes that are not UTF-8 */
    { "lone-surrogate.bndsketch", NULL, "$.sections.need: the text contains an invalid character" },
    /* dates that the offset pushes out of GLib's years 1 to 9999 were stored as null */
    { "after-9999.bndsketch", NULL, "$.created: “9999-12-31T23:00:00-02:00” is outside the years" },
    { "before-1.bndsketch", NULL, "$.modified: “0001-01-01T00:30:00+01:00” is outside the years" },
    /* json-glib quotes the unexpected token cut to a number of bytes, mid-character */
    { "cut-message.bndsketch", g_strdup ("{\"title\": \"äääääääääääääääääääääääääääääääää\" 1}"),
      "not valid JSON: <data>:1:" },
  };

  g_assert_true (g_file_get_contents (reference, &valid, &length, NULL));

  /* Broken copies of the reference sketch */
  files[2].contents = g_strndup (valid, length / 2);
  files[5].contents = g_strdup (valid);
  {
    g_autoptr(GRegex) section = g_regex_new ("\"sustainability\"", 0, 0, NULL);
    g_autoptr(GRegex) funding = g_regex_new ("\"funding_object\": 1", 0, 0, NULL);
    g_autoptr(GRegex) uuid = g_regex_new ("\"uuid\": \"[^\"]*\"", 0, 0, NULL);
    g_autoptr(GRegex) district = g_regex_new ("\"celle\"", 0, 0, NULL);
    g_autoptr(GRegex) title = g_regex_new ("\"title\": \"[^\"]*\"", 0, 0, NULL);
    g_autoptr(GRegex) need = g_regex_new ("\"need\": \"", 0, 0, NULL);
    g_autoptr(GRegex) created = g_regex_new ("\"created\": \"[^\"]*\"", 0, 0, NULL);
    g_autoptr(GRegex) modified = g_regex_new ("\"modified\": \"[^\"]*\"", 0, 0, NULL);
    g_autofree char *long_title = NULL;
    GString *t = g_string_new ("\"title\": \"");

    g_free (files[5].contents);
    files[5].contents = g_regex_replace_literal (section, valid, -1, 0, "\"gedicht\"", 0, NULL);
    files[6].contents = g_regex_replace_literal (funding, valid, -1, 0, "\"funding_object\": \"eins\"", 0, NULL);
    files[9].contents = g_regex_replace_literal (uuid, valid, -1, 0, "\"uuid\": \"../../etc/passwd\"", 0, NULL);
    files[10].contents = g_regex_replace_literal (district, valid, -1, 0, "\"hamburg\"", 0, NULL);
    for (guint i = 0; i < 2000; i++)
      g_string_append (t, "Titel");
    g_string_append (t, "\"");
    long_title = g_string_free (t, FALSE);
    files[11].contents = g_regex_replace_literal (title, valid, -1, 0, long_title, 0, NULL);
    files[13].contents = g_regex_replace_literal (need, valid, -1, 0,
                                                  "\"need\": \"Bedarf \\udc00 und mehr", 0, NULL);
    files[14].contents = g_regex_replace_literal (created, valid, -1, 0,
                                                  "\"created\": \"9999-12-31T23:00:00-02:00\"",
                                                  0, NULL);
    files[15].contents = g_regex_replace_literal (modified, valid, -1, 0,
                                                  "\"modified\": \"0001-01-01T00:30:00+01:00\"",
                                                  0, NULL);
  }
  while (big->len < 5 * 1024 * 1024)
    g_string_append (big, "Fachkräftesicherung ");
  g_string_append (big, "\"}");
  files[8].contents = g_string_free (g_steal_pointer (&big), FALSE);

  /* One good sketch in the store, so "unchanged" means something */
  run (fixture, &seeded, "import", reference);
  g_assert_cmpint (seeded.status, ==, 0);
  run (fixture, &before, "list", "--json");

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = write_file (fixture, files[i].name, files[i].contents, -1);
      g_auto(Result) result = { 0 };
      g_auto(Result) now = { 0 };

      run (fixture, &result, "import", path);
      g_test_message ("%s → %d %s", files[i].name, result.status, result.err);
      g_assert_cmpint (result.status, ==, 2);
      g_assert_nonnull (strstr (result.err, files[i].needle));
      g_assert_true (g_utf8_validate (result.err, -1, NULL));
      g_assert_cmpint (strchr (result.err, '\n') - result.err, ==, strlen (result.err) - 1);

      /* and nothing was imported */
      run (fixture, &now, "list", "--json");
      g_assert_cmpstr (now.out, ==, before.out);
      g_free (files[i].contents);
    }

  run (fixture, &after, "show", "5b0c7a1e", "--json");
  g_assert_cmpint (after.status, ==, 0);
  huge = g_strdup (after.out);
  g_assert_nonnull (strstr (huge, "Welcome"));
}

/* Conflicts on @id as a sync leaves them: one per field in @fields, "mine" being the sketch's. */
static void
add_conflicts (Fixture           *fixture,
               const char        *id,
               const char * const *fields)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(BndStore) store = NULL;
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GError) error = NULL;
  BndSyncState state = { 0 };

  conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify)bnd_conflict_free);
  store = bnd_store_new (fixture->profile, &error);
  g_assert_no_error (error);
  sketch = bnd_store_load (store, id, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; fields[i]; i++)
    {
      BndConflict *conflict = g_new0 (BndConflict, 1);

      conflict->field = g_strdup (fields[i]);
      conflict->mine = g_strdup ("mine");
      conflict->theirs = g_strdup ("theirs");
      g_ptr_array_add (conflicts, conflict);
    }
  state.base_revision = 3;
  state.base_data = bnd_sketch_to_data (sketch, NULL);
  state.conflicts = bnd_conflicts_to_json (conflicts);
  g_assert_true (bnd_store_apply_sync (store, sketch, &state, &error));
  g_assert_no_error (error);
  g_free (state.base_data);
  g_free (state.conflicts);
}

static void
test_resolve_validates (Fixture       *fixture,
                        gconstpointer  data)
{
  static const char * const fields[] = { "costs", "title", "section:need", NULL };
  g_autofree char *long_title = g_strnfill (BND_SKETCH_MAX_SHORT_TEXT + 1, 'x');
  g_auto(Result) created = { 0 };
  g_auto(Result) before = { 0 };
  g_auto(Result) listed = { 0 };
  g_auto(Result) empty_costs = { 0 };
  g_auto(Result) bad_costs = { 0 };
  g_auto(Result) too_long = { 0 };
  g_auto(Result) after = { 0 };
  g_auto(Result) title = { 0 };
  g_auto(Result) section = { 0 };
  g_auto(Result) shown = { 0 };
  g_auto(Result) left = { 0 };
  g_autofree char *id = NULL;

  run (fixture, &created, "new", "--title", "Pflegekräfte für Uelzen");
  g_assert_cmpint (created.status, ==, 0);
  id = g_strstrip (g_strdup (created.out));
  add_conflicts (fixture, id, fields);
  run (fixture, &before, "show", id, "--json");
  run (fixture, &listed, "conflicts");

  /* This crashed: the error path returned FALSE without an error */
  run (fixture, &empty_costs, "resolve", id, "--field", "costs", "--text", "");
  g_test_message ("empty costs → %d %s", empty_costs.status, empty_costs.err);
  g_assert_cmpint (empty_costs.status, ==, 2);
  g_assert_nonnull (strstr (empty_costs.err, "costs: expected a value in JSON"));

  run (fixture, &bad_costs, "resolve", id, "--field", "costs", "--text", "{\"items\": 5}");
  g_test_message ("bad costs → %d %s", bad_costs.status, bad_costs.err);
  g_assert_cmpint (bad_costs.status, ==, 2);
  g_assert_nonnull (strstr (bad_costs.err, "$.costs"));

  /* The limits of edit and new hold here too */
  run (fixture, &too_long, "resolve", id, "--field", "title", "--text", long_title);
  g_test_message ("long title → %d %s", too_long.status, too_long.err);
  g_assert_cmpint (too_long.status, ==, 2);
  g_assert_nonnull (strstr (too_long.err, "$.title: the text is longer than 1000 characters"));

  /* Nothing changed, and the conflicts are all still open */
  run (fixture, &after, "show", id, "--json");
  g_assert_cmpstr (after.out, ==, before.out);
  run (fixture, &left, "conflicts");
  g_assert_cmpstr (left.out, ==, listed.out);

  /* Good values still go through */
  run (fixture, &title, "resolve", id, "--field", "title", "--text", "Pflegekräfte für Celle");
  g_assert_cmpint (title.status, ==, 0);
  run (fixture, &section, "resolve", id, "--section", "need", "--text",
       "Beide Fassungen, vereint.");
  g_assert_cmpint (section.status, ==, 0);
  run (fixture, &shown, "show", id);
  g_assert_nonnull (strstr (shown.out, "Pflegekräfte für Celle"));
  g_assert_nonnull (strstr (shown.out, "Beide Fassungen, vereint."));
}

static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *reference = reference_path ();
  g_autofree char *pdf = g_build_filename (fixture->directory, "out.pdf", NULL);
  g_autofree char *file = g_build_filename (fixture->directory, "out.bndsketch", NULL);
  g_autofree char *long_pdf = g_build_filename (fixture->directory, "long.pdf", NULL);
  g_autofree char *long_text = NULL;
  g_auto(Result) imported = { 0 };
  g_auto(Result) exported = { 0 };
  g_auto(Result) saved = { 0 };
  g_auto(Result) direct = { 0 };
  g_auto(Result) edited = { 0 };
  g_auto(Result) over = { 0 };
  g_auto(Result) strict = { 0 };
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *written = NULL;
  g_autofree char *original = NULL;

  run (fixture, &imported, "import", reference);
  g_assert_cmpint (imported.status, ==, 0);

  run (fixture, &exported, "export", "5b0c7a1e", "-o", pdf);
  g_assert_cmpint (exported.status, ==, 0);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_EXISTS));

  /* The .bndsketch written back is the file that came in */
  run (fixture, &saved, "export", "5b0c7a1e", "-o", file);
  g_assert_cmpint (saved.status, ==, 0);
  g_file_get_contents (file, &written, NULL, NULL);
  g_file_get_contents (reference, &original, NULL, NULL);
  g_assert_nonnull (strstr (written, "\"uuid\" : \"5b0c7a1e-3f4d-4c2a-9e1b-7d2f8a6c4e10\""));

  run (fixture, &direct, "export-pdf", reference, pdf);
  g_assert_cmpint (direct.status, ==, 0);
  g_assert_cmpstr (direct.err, ==, "");

  /* Over the limit: written with a warning; with --strict, status 3 */
  for (guint i = 0; i < 40; i++)
    g_string_append (text, "Die Projektsteuerung tagt monatlich mit allen Partnern und berichtet dem Lenkungskreis.\n");
  long_text = g_string_free (g_steal_pointer (&text), FALSE);
  run (fixture, &edited, "edit", "5b0c7a1e", "--section", "approach", "--text", long_text);
  g_assert_cmpint (edited.status, ==, 0);

  run (fixture, &over, "export", "5b0c7a1e", "-o", long_pdf);
  g_assert_cmpint (over.status, ==, 0);
  g_assert_nonnull (strstr (over.err, "warning"));
  g_assert_true (g_file_test (long_pdf, G_FILE_TEST_EXISTS));

  g_remove (long_pdf);
  run (fixture, &strict, "export", "--strict", "5b0c7a1e", "-o", long_pdf);
  g_assert_cmpint (strict.status, ==, 3);
  g_assert_false (g_file_test (long_pdf, G_FILE_TEST_EXISTS));
}

static void
test_history_restore (Fixture       *fixture,
                      gconstpointer  data)
{
  g_auto(Result) created = { 0 };
  g_auto(Result) r1 = { 0 };
  g_auto(Result) r2 = { 0 };
  g_auto(Result) r3 = { 0 };
  g_auto(Result) history = { 0 };
  g_auto(Result) restored = { 0 };
  g_auto(Result) shown = { 0 };
  g_auto(Result) history_after = { 0 };
  g_auto(GStrv) lines = NULL;
  g_autofree char *id = NULL;
  g_autofree char *first_version = NULL;

  run (fixture, &created, "new", "--title", "Versionen");
  id = g_strstrip (g_strdup (created.out));

  /* edit, snapshot, edit, restore */
  run (fixture, &r1, "edit", id, "--section", "need", "--text", "Erste Fassung");
  run (fixture, &r2, "snapshot", id);
  g_assert_cmpint (r2.status, ==, 0);
  run (fixture, &r3, "edit", id, "--section", "need", "--text", "Zweite Fassung");

  run (fixture, &history, "history", id);
  lines = g_strsplit (g_strstrip (history.out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1);
  first_version = g_strndup (lines[0], strcspn (lines[0], "\t"));

  run (fixture, &restored, "restore", id, "--version", first_version);
  g_assert_cmpint (restored.status, ==, 0);

  run (fixture, &shown, "show", id);
  g_assert_nonnull (strstr (shown.out, "Erste Fassung"));
  g_assert_null (strstr (shown.out, "Zweite Fassung"));

  /* both versions remain: the first, the second kept on restore, and the restored one */
  run (fixture, &history_after, "history", id);
  g_strfreev (lines);
  lines = g_strsplit (g_strstrip (history_after.out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
}

#define TOKEN "bnd-secret-token-4711-do-not-export"

/* The same output from both profiles, command by command. */
static void
assert_same (const char *source,
             const char *target,
             const char *first,
             ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_auto(Result) before = { 0 };
  g_auto(Result) after = { 0 };
  va_list ap;

  va_start (ap, first);
  for (const char *arg = first; arg; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer)arg);
  va_end (ap);
  while (args->len < 4)
    g_ptr_array_add (args, NULL);

  run_in (source, &before, g_ptr_array_index (args, 0), g_ptr_array_index (args, 1), g_ptr_array_index (args, 2),
          g_ptr_array_index (args, 3));
  run_in (target, &after, g_ptr_array_index (args, 0), g_ptr_array_index (args, 1), g_ptr_array_index (args, 2),
          g_ptr_array_index (args, 3));
  g_test_message ("%s %s: %d / %d", first, args->len > 1 && args->pdata[1] ? (char *)args->pdata[1] : "",
                  before.status, after.status);
  g_assert_cmpint (before.status, ==, 0);
  g_assert_cmpint (after.status, ==, 0);
  g_assert_cmpstr (after.out, ==, before.out);
}

#define same(source, target, ...) assert_same (source, target, __VA_ARGS__, NULL)

static gboolean
contains (const char *haystack,
          gsize       length,
          const char *needle)
{
  gsize needle_length = strlen (needle);

  /* The file is binary: no string function would look past its first NUL. */
  for (gsize i = 0; i + needle_length <= length; i++)
    if (memcmp (haystack + i, needle, needle_length) == 0)
      return TRUE;
  return FALSE;
}

/* A profile with what a user has after a while: sketches, versions, a vote and a rating waiting
 * for the next sync and one refused, a conflict, the dossier cache, a server and a token file. */
static void
fill_profile (Fixture  *fixture,
              char    **first_id,
              char    **third_id)
{
  g_autofree char *reference = reference_path ();
  g_autofree char *token_file = g_build_filename (fixture->profile, "token", NULL);
  g_autofree char *pack = g_build_filename (fixture->profile, "strategy.json", NULL);
  g_auto(Result) created = { 0 };
  g_auto(Result) third = { 0 };
  g_auto(Result) edited = { 0 };
  g_auto(Result) snapshot = { 0 };
  g_auto(Result) again = { 0 };
  g_auto(Result) imported = { 0 };
  g_auto(Result) voted = { 0 };
  g_auto(Result) rated = { 0 };
  g_autoptr(BndStore) store = NULL;
  g_autoptr(BndStrategy) strategy = NULL;
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify)bnd_conflict_free);
  g_autoptr(GPtrArray) votes = NULL;
  g_autoptr(GBytes) cached = g_bytes_new_static ("{\"stage\": \"assessment\"}", 23);
  g_autoptr(GError) error = NULL;
  BndConflict *conflict;
  BndSyncState state = { 0 };

  run (fixture, &created, "new", "--title", "Pflegekräfte für Uelzen");
  g_assert_cmpint (created.status, ==, 0);
  *first_id = g_strstrip (g_strdup (created.out));
  run (fixture, &edited, "edit", *first_id, "--section", "need", "--text", "Erste Fassung");
  run (fixture, &snapshot, "snapshot", *first_id);
  g_assert_cmpint (snapshot.status, ==, 0);
  run (fixture, &again, "edit", *first_id, "--section", "need", "--text", "Zweite Fassung");
  g_assert_cmpint (again.status, ==, 0);
  run (fixture, &imported, "import", reference);
  g_assert_cmpint (imported.status, ==, 0);
  run (fixture, &third, "new", "--title", "Sprachkurse in Celle");
  *third_id = g_strstrip (g_strdup (third.out));

  /* Signed in with a token file in the profile folder itself; the server is not there. */
  g_assert_true (g_file_set_contents (token_file, TOKEN, -1, NULL));
  g_assert_true (g_file_set_contents (pack, "{\"note\": \"the user's own strategy pack\"}", -1, NULL));
  store = bnd_store_new (fixture->profile, &error);
  g_assert_no_error (error);
  strategy = bnd_strategy_new_default (&error);
  g_assert_no_error (error);
  g_assert_true (bnd_store_set_meta (store, "server_url", "http://127.0.0.1:9", NULL));
  g_assert_true (bnd_store_set_meta (store, "server_user", "anna", NULL));
  g_assert_true (bnd_store_set_meta (store, "token_file", token_file, NULL));
  g_assert_true (bnd_store_set_meta (store, "last_seq", "42", NULL));
  g_assert_true (bnd_store_cache_put (store, "/dossiers/5b0c7a1e-3f4d-4c2a-9e1b-7d2f8a6c4e10", cached, NULL));

  /* A conflict on the third sketch, as a sync leaves it */
  sketch = bnd_store_load (store, *third_id, strategy, &error);
  g_assert_no_error (error);
  conflict = g_new0 (BndConflict, 1);
  conflict->field = g_strdup ("section:need");
  conflict->mine = g_strdup ("Unsere Fassung");
  conflict->theirs = g_strdup ("Die Fassung des Servers");
  g_ptr_array_add (conflicts, conflict);
  state.base_revision = 3;
  state.base_data = bnd_sketch_to_data (sketch, NULL);
  state.conflicts = bnd_conflicts_to_json (conflicts);
  g_assert_true (bnd_store_apply_sync (store, sketch, &state, &error));
  g_assert_no_error (error);
  g_free (state.base_data);
  g_free (state.conflicts);

  /* A vote refused by the server earlier */
  g_assert_true (bnd_store_queue_vote (store, *third_id, "no", "zu teuer", NULL));
  votes = bnd_store_list_votes (store, NULL);
  g_assert_cmpuint (votes->len, ==, 1);
  {
    BndQueuedVote *vote = g_ptr_array_index (votes, 0);

    g_free (vote->state);
    vote->state = g_strdup ("refused");
    vote->message = g_strdup ("the vote has closed");
    g_assert_true (bnd_store_settle_vote (store, vote, NULL));
  }
  g_clear_object (&store);

  /* Cast offline: kept until the next sync */
  run (fixture, &voted, "vote", *first_id, "yes", "--comment", "dringend");
  g_test_message ("vote: %d %s%s", voted.status, voted.out, voted.err);
  g_assert_cmpint (voted.status, ==, 0);
  run (fixture, &rated, "rate", "5b0c7a1e", "strategic-goals=4", "regional-relevance=5", "feasibility=4",
       "sustainability=3", "appropriate-cost=4", "--comment", "gut");
  g_test_message ("rate: %d %s%s", rated.status, rated.out, rated.err);
  g_assert_cmpint (rated.status, ==, 0);
}

static void
test_profile_move (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *target = g_build_filename (fixture->directory, "laptop", NULL);
  g_autofree char *file = g_build_filename (fixture->directory, "profile.bndprofile", NULL);
  g_autofree char *token_file = g_build_filename (fixture->profile, "token", NULL);
  g_autofree char *first_id = NULL;
  g_autofree char *third_id = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *pack = NULL;
  g_autofree char *moved_pack = NULL;
  g_autofree char *moved_pack_path = g_build_filename (target, "strategy.json", NULL);
  g_autofree char *moved_token = g_build_filename (target, "token", NULL);
  g_autofree char *source_pack = g_build_filename (fixture->profile, "strategy.json", NULL);
  g_autoptr(BndStore) store = NULL;
  g_autoptr(GBytes) cached = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Result) exported = { 0 };
  g_auto(Result) imported = { 0 };
  g_auto(Result) conflicts = { 0 };
  g_auto(Result) votes = { 0 };
  g_auto(Result) ratings = { 0 };
  gsize length;
  GStatBuf buf;

  fill_profile (fixture, &first_id, &third_id);

  run (fixture, &exported, "profile", "export", file);
  g_test_message ("export: %d %s%s", exported.status, exported.out, exported.err);
  g_assert_cmpint (exported.status, ==, 0);
  g_assert_cmpint (g_stat (file, &buf), ==, 0);
  g_assert_cmpint (buf.st_mode & 0777, ==, 0600);

  /* Neither the token nor where it is kept */
  g_assert_true (g_file_get_contents (file, &contents, &length, NULL));
  g_assert_false (contains (contents, length, TOKEN));
  g_assert_false (contains (contents, length, token_file));
  g_assert_true (contains (contents, length, "Zweite Fassung"));

  run_in (target, &imported, "profile", "import", file);
  g_test_message ("import: %d %s%s", imported.status, imported.out, imported.err);
  g_assert_cmpint (imported.status, ==, 0);
  g_assert_nonnull (strstr (imported.out, "3 sketches"));
  g_assert_nonnull (strstr (imported.out, "login http://127.0.0.1:9 --user anna"));

  same (fixture->profile, target, "list");
  same (fixture->profile, target, "list", "--json");
  same (fixture->profile, target, "search", "pflege");
  same (fixture->profile, target, "show", first_id, "--json");
  same (fixture->profile, target, "show", "5b0c7a1e", "--json");
  same (fixture->profile, target, "show", third_id);
  same (fixture->profile, target, "history", first_id);
  same (fixture->profile, target, "history", "5b0c7a1e");
  same (fixture->profile, target, "votes");
  same (fixture->profile, target, "ratings");
  same (fixture->profile, target, "ratings", "--json");
  same (fixture->profile, target, "conflicts");
  same (fixture->profile, target, "dossier", "list", "--json");

  /* and they show what was put in */
  run_in (target, &conflicts, "conflicts");
  g_assert_nonnull (strstr (conflicts.out, "Die Fassung des Servers"));
  run_in (target, &votes, "votes");
  g_assert_nonnull (strstr (votes.out, "waiting for the next sync"));
  g_assert_nonnull (strstr (votes.out, "not counted: the vote has closed"));
  run_in (target, &ratings, "ratings");
  g_assert_nonnull (strstr (ratings.out, "5b0c7a1e"));

  /* The server and sync state came along, the sign-in did not */
  store = bnd_store_new (target, &error);
  g_assert_no_error (error);
  {
    g_autofree char *url = bnd_store_get_meta (store, "server_url");
    g_autofree char *user = bnd_store_get_meta (store, "server_user");
    g_autofree char *seq = bnd_store_get_meta (store, "last_seq");
    g_autofree char *stored_token_file = bnd_store_get_meta (store, "token_file");
    g_autofree char *format = bnd_store_get_meta (store, "profile_format");

    g_assert_cmpstr (url, ==, "http://127.0.0.1:9");
    g_assert_cmpstr (user, ==, "anna");
    g_assert_cmpstr (seq, ==, "42");
    g_assert_null (stored_token_file);
    g_assert_null (format);
  }
  cached = bnd_store_cache_get (store, "/dossiers/5b0c7a1e-3f4d-4c2a-9e1b-7d2f8a6c4e10");
  g_assert_nonnull (cached);
  {
    g_autoptr(BndSyncState) state = bnd_store_get_sync_state (store, third_id, NULL);

    g_assert_nonnull (state);
    g_assert_cmpint (state->base_revision, ==, 3);
  }
  g_clear_object (&store);
  g_assert_false (g_file_test (moved_token, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (moved_pack_path, &moved_pack, NULL, NULL));
  g_assert_true (g_file_get_contents (source_pack, &pack, NULL, NULL));
  g_assert_cmpstr (moved_pack, ==, pack);
}

static void
assert_one_line (const Result *result,
                 const char   *needle)
{
  g_test_message ("→ %d %s", result->status, result->err);
  g_assert_cmpint (result->status, ==, 2);
  g_assert_true (g_str_has_prefix (result->err, "buendnis-cli: "));
  g_assert_cmpint (strchr (result->err, '\n') - result->err, ==, strlen (result->err) - 1);
  g_assert_nonnull (strstr (result->err, needle));
}

static void
set_user_version (const char *file,
                  const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (file, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
test_profile_import_refused (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *file = g_build_filename (fixture->directory, "profile.bndprofile", NULL);
  g_autofree char *newer = g_build_filename (fixture->directory, "newer.bndprofile", NULL);
  g_autofree char *older = g_build_filename (fixture->directory, "older.bndprofile", NULL);
  g_autofree char *database = g_build_filename (fixture->profile, "buendnis.db", NULL);
  g_autofree char *untouched = g_build_filename (fixture->directory, "untouched", NULL);
  g_autofree char *migrated = g_build_filename (fixture->directory, "migrated", NULL);
  g_autofree char *text = write_file (fixture, "notes.txt", "Einkaufsliste: Milch, Brot\n", -1);
  g_autofree char *contents = NULL;
  g_autofree char *reference = reference_path ();
  g_autofree char *target_id = NULL;
  g_auto(Result) created = { 0 };
  g_auto(Result) own = { 0 };
  g_auto(Result) exported = { 0 };
  g_auto(Result) before = { 0 };
  g_auto(Result) again = { 0 };
  g_auto(Result) after = { 0 };
  g_auto(Result) history_before = { 0 };
  g_auto(Result) history_after = { 0 };
  g_auto(Result) missing = { 0 };
  g_auto(Result) not_profile = { 0 };
  g_auto(Result) plain_store = { 0 };
  g_auto(Result) too_new = { 0 };
  g_auto(Result) truncated = { 0 };
  g_auto(Result) from_older = { 0 };
  g_auto(Result) listed = { 0 };
  g_auto(Result) no_file = { 0 };
  gsize length;

  run (fixture, &created, "import", reference);
  g_assert_cmpint (created.status, ==, 0);
  run (fixture, &exported, "profile", "export", file);
  g_assert_cmpint (exported.status, ==, 0);

  /* Into a profile that is not empty: refused, nothing changed */
  run (fixture, &own, "new", "--title", "Noch eine Skizze");
  target_id = g_strstrip (g_strdup (own.out));
  run (fixture, &before, "list", "--json");
  run (fixture, &history_before, "history", "5b0c7a1e");
  run (fixture, &again, "profile", "import", file);
  assert_one_line (&again, "not empty");
  run (fixture, &after, "list", "--json");
  g_assert_cmpstr (after.out, ==, before.out);
  run (fixture, &history_after, "history", "5b0c7a1e");
  g_assert_cmpstr (history_after.out, ==, history_before.out);

  /* Files that are no profile: refused before the profile is even created */
  run_in (untouched, &missing, "profile", "import", "/nonexistent/profile.bndprofile");
  assert_one_line (&missing, "no file");
  run_in (untouched, &not_profile, "profile", "import", text);
  assert_one_line (&not_profile, "not a Bündnis profile");
  run_in (untouched, &plain_store, "profile", "import", database);
  assert_one_line (&plain_store, "not a Bündnis profile");

  g_assert_true (g_file_get_contents (file, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (newer, contents, length, NULL));
  set_user_version (newer, "PRAGMA user_version = 99;");
  run_in (untouched, &too_new, "profile", "import", newer);
  assert_one_line (&too_new, "newer version");

  g_assert_true (g_file_set_contents (newer, contents, length / 2, NULL));
  run_in (untouched, &truncated, "profile", "import", newer);
  assert_one_line (&truncated, "damaged");
  g_assert_false (g_file_test (untouched, G_FILE_TEST_EXISTS));

  run (fixture, &no_file, "profile", "import");
  assert_one_line (&no_file, "profile import");

  /* From an older version (before the dossier cache): migrated on the way in */
  g_assert_true (g_file_set_contents (older, contents, length, NULL));
  set_user_version (older, "DELETE FROM sketch_text WHERE rowid IN (SELECT sketch FROM index_queue);"
                           "INSERT INTO sketch_text (rowid, title, body) SELECT sketch, title, body FROM index_queue;"
                           "DROP TABLE index_queue;"
                           "DROP TABLE server_cache; ALTER TABLE sync_state DROP COLUMN refused;"
                           "CREATE TABLE votes_5 (dossier TEXT PRIMARY KEY, choice TEXT NOT NULL, comment TEXT NOT NULL,"
                           "  cast_at INTEGER NOT NULL, state TEXT NOT NULL DEFAULT 'queued', message TEXT);"
                           "DROP TABLE queued_votes; ALTER TABLE votes_5 RENAME TO queued_votes;"
                           "CREATE TABLE ratings_5 (dossier TEXT PRIMARY KEY, scores TEXT NOT NULL, comment TEXT NOT NULL,"
                           "  rated_at INTEGER NOT NULL, state TEXT NOT NULL DEFAULT 'queued', message TEXT);"
                           "DROP TABLE queued_ratings; ALTER TABLE ratings_5 RENAME TO queued_ratings;"
                           "PRAGMA user_version = 5;");
  run_in (migrated, &from_older, "profile", "import", older);
  g_test_message ("older → %d %s%s", from_older.status, from_older.out, from_older.err);
  g_assert_cmpint (from_older.status, ==, 0);
  run_in (migrated, &listed, "show", "5b0c7a1e");
  g_assert_cmpint (listed.status, ==, 0);
  g_assert_nonnull (strstr (listed.out, "Welcome"));
}

/* The application has the profile open and is in the middle of writing: the export is the
 * state before, and does not wait for the write to finish. */
static void
test_profile_export_while_open (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *file = g_build_filename (fixture->directory, "profile.bndprofile", NULL);
  g_autofree char *target = g_build_filename (fixture->directory, "laptop", NULL);
  g_autofree char *reference = reference_path ();
  g_autoptr(BndStore) store = NULL;
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Result) created = { 0 };
  g_auto(Result) exported = { 0 };
  g_auto(Result) imported = { 0 };
  g_auto(Result) listed = { 0 };

  run (fixture, &created, "import", reference);
  g_assert_cmpint (created.status, ==, 0);

  store = bnd_store_new (fixture->profile, &error);
  g_assert_no_error (error);
  sketch = bnd_sketch_new ();
  bnd_sketch_set_title (sketch, "Noch nicht gespeichert");
  g_assert_true (bnd_store_begin_batch (store, NULL));
  g_assert_true (bnd_store_save (store, sketch, NULL));

  run (fixture, &exported, "profile", "export", file);
  g_test_message ("export: %d %s%s", exported.status, exported.out, exported.err);
  g_assert_cmpint (exported.status, ==, 0);
  g_assert_true (bnd_store_end_batch (store, NULL));

  run_in (target, &imported, "profile", "import", file);
  g_assert_cmpint (imported.status, ==, 0);
  run_in (target, &listed, "list");
  g_assert_nonnull (strstr (listed.out, "Welcome"));
  g_assert_null (strstr (listed.out, "Noch nicht gespeichert"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/new-edit-show-search", Fixture, NULL, fixture_set_up, test_new_edit_show_search, fixture_tear_down);
  g_test_add ("/cli/terminal-escapes", Fixture, NULL, fixture_set_up, test_terminal_escapes, fixture_tear_down);
  g_test_add ("/cli/confirm-conditions", Fixture, NULL, fixture_set_up, test_confirm_conditions, fixture_tear_down);
  g_test_add ("/cli/bad-input", Fixture, NULL, fixture_set_up, test_bad_input, fixture_tear_down);
  g_test_add ("/cli/malformed-imports", Fixture, NULL, fixture_set_up, test_malformed_imports, fixture_tear_down);
  g_test_add ("/cli/resolve-validates", Fixture, NULL, fixture_set_up, test_resolve_validates,
              fixture_tear_down);
  g_test_add ("/cli/export", Fixture, NULL, fixture_set_up, test_export, fixture_tear_down);
  g_test_add ("/cli/history-restore", Fixture, NULL, fixture_set_up, test_history_restore, fixture_tear_down);
  g_test_add ("/cli/profile-move", Fixture, NULL, fixture_set_up, test_profile_move, fixture_tear_down);
  g_test_add ("/cli/profile-import-refused", Fixture, NULL, fixture_set_up, test_profile_import_refused,
              fixture_tear_down);
  g_test_add ("/cli/profile-export-while-open", Fixture, NULL, fixture_set_up, test_profile_export_while_open,
              fixture_tear_down);

  return g_test_run ();
}
