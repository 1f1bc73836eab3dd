/* test-cli.c: buendnis-cli as a script would use it, on a temporary profile
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

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
run_with_input (Fixture    *fixture,
                Result     *result,
                const char *first,
                ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("BUENDNIS_CLI");
  va_list ap;
  int wait_status;

  g_assert_nonnull (cli);
  g_ptr_array_add (args, (gpointer)cli);
  g_ptr_array_add (args, (gpointer)"--profile");
  g_ptr_array_add (args, fixture->profile);
  va_start (ap, first);
  for (const char *arg = first; arg; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer)arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  g_spawn_sync (NULL, (char **)args->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &result->out, &result->err, &wait_status, &error);
  g_assert_no_error (error);
  result->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
}

#define run(fixture, result, ...) run_with_input (fixture, result, __VA_ARGS__, NULL)

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/new-edit-show-search", Fixture, NULL, fixture_set_up, test_new_edit_show_search, fixture_tear_down);
  g_test_add ("/cli/bad-input", Fixture, NULL, fixture_set_up, test_bad_input, fixture_tear_down);
  g_test_add ("/cli/malformed-imports", Fixture, NULL, fixture_set_up, test_malformed_imports, fixture_tear_down);
  g_test_add ("/cli/export", Fixture, NULL, fixture_set_up, test_export, fixture_tear_down);
  g_test_add ("/cli/history-restore", Fixture, NULL, fixture_set_up, test_history_restore, fixture_tear_down);

  return g_test_run ();
}
