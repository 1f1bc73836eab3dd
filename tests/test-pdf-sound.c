/* test-pdf-sound.c: every kind of PDF Bündnis writes is sound, tagged and says its language
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "bnd-pdf-renderer.h"
#include "bnd-portfolio-renderer.h"
#include "bnd-session.h"
#include "bnd-statement-renderer.h"
#include "bnd-test-util.h"

/* The five kinds (the sketch, the statement, a session's agenda and minutes, the portfolio
 * report), each rendered twice from the same input, then judged by the tools an archive or a
 * screen reader's user would meet: `qpdf --check` finds no damage and warns of nothing (cairo
 * 1.16 alone leaves a dangling cross-reference entry once a page holds a link), `pdfinfo` says
 * "Tagged: yes", `pdfinfo -struct` shows headings (and tables where the document has them), the
 * catalog has /Lang, and both renders, a second apart, are the same bytes. BND_TEST_PDF_DIR keeps
 * the files. */

typedef GBytes *(*RenderFunc) (BndStrategy *strategy);

typedef struct
{
  const char *name;
  RenderFunc  render;
  const char *language;
  gboolean    has_table;
} Kind;

/* Runs @argv on the PDF at @path (its last argument); returns what it printed to stdout, and
 * to stderr in @err. */
static char *
run (const char * const  *argv,
     int                 *status,
     char               **err)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, err, status,
                &error);
  g_assert_no_error (error);
  return out;
}

static GBytes *
render_sketch (BndStrategy *strategy)
{
  g_autoptr(BndSketch) sketch = bnd_test_load_reference (strategy);
  g_autoptr(GError) error = NULL;
  GBytes *pdf = bnd_pdf_render (sketch, strategy, NULL, &error);

  g_assert_no_error (error);
  return pdf;
}

static GBytes *
render_statement (BndStrategy *strategy)
{
  g_autoptr(BndStatement) statement = bnd_statement_new ();
  g_autoptr(GError) error = NULL;
  GBytes *pdf;

  statement->alliance = g_strdup (bnd_strategy_get_alliance (strategy)->name);
  statement->project = g_strdup ("Welcome & Stay");
  statement->carrier = g_strdup ("Landkreis Heidekreis");
  statement->dossier = g_strdup ("3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f");
  statement->question = g_strdup ("Befürwortet der Lenkungskreis das Projekt?");
  statement->issued_by = g_strdup ("koordination");
  statement->opened = 1772352000;
  statement->closed = 1772956800;
  statement->issued = 1773043200;
  bnd_statement_add_vote (statement, "Landkreis Celle", "yes", "Passt zur Strategie.");
  bnd_statement_add_vote (statement, "Landkreis Harburg", "abstain", NULL);
  bnd_statement_add_vote (statement, "IHK Lüneburg-Wolfsburg", "no", "Zu teuer.");
  g_ptr_array_add (statement->recused, g_strdup ("Landkreis Heidekreis"));
  statement->yes = 1;
  statement->no = 1;
  statement->abstain = 1;
  statement->quorum = TRUE;
  statement->adopted = FALSE;
  pdf = bnd_statement_render (statement, &error);
  g_assert_no_error (error);
  return pdf;
}

static GBytes *
render_session (BndStrategy        *strategy,
                BndSessionDocument  document)
{
  g_autoptr(JsonNode) session = json_from_string (
    "{\"title\": \"Frühjahrssitzung\", \"date\": \"2026-03-12\", \"time\": \"14:00\","
    " \"place\": \"Kreishaus Lüneburg\", \"held\": \"2026-03-12\", \"created\": 1771000000,"
    " \"items\": [{\"title\": \"Welcome & Stay\", \"carrier\": \"Landkreis Heidekreis\","
    "              \"stage\": \"vote\", \"requested\": 120000.5, \"funding_object\": 2,"
    "              \"outcome\": \"endorsed\", \"notes\": \"Einstimmig.\", \"recorded\": 1773330000},"
    "             {\"title\": \"Pflege vor Ort\", \"carrier\": \"Landkreis Celle\","
    "              \"stage\": \"rating\", \"requested\": 80000, \"funding_object\": 1}]}", NULL);
  g_autoptr(GError) error = NULL;
  GBytes *pdf;

  g_assert_nonnull (session);
  pdf = bnd_session_render_pdf (strategy, json_node_get_object (session), document, &error);
  g_assert_no_error (error);
  return pdf;
}

static GBytes *
render_agenda (BndStrategy *strategy)
{
  return render_session (strategy, BND_SESSION_AGENDA);
}

static GBytes *
render_minutes (BndStrategy *strategy)
{
  return render_session (strategy, BND_SESSION_MINUTES);
}

/* The agenda for a reader whose interface speaks German: the document says de-DE. */
static GBytes *
render_german_agenda (BndStrategy *strategy)
{
  GBytes *pdf;

  g_setenv ("LANGUAGE", "de", TRUE);
  pdf = render_session (strategy, BND_SESSION_AGENDA);
  g_setenv ("LANGUAGE", "C", TRUE);
  return pdf;
}

static GBytes *
render_portfolio (BndStrategy *strategy)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "portfolio.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GDateTime) generated = g_date_time_new_utc (2026, 3, 17, 10, 0, 0);
  g_autoptr(GError) error = NULL;
  GBytes *pdf;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  pdf = bnd_portfolio_render_pdf (strategy, json_parser_get_root (parser), generated, &error);
  g_assert_no_error (error);
  return pdf;
}

static char *
write_pdf (const char *name,
           GBytes     *pdf)
{
  const char *keep = g_getenv ("BND_TEST_PDF_DIR");
  g_autofree char *file = g_strdup_printf ("%s.pdf", name);
  g_autofree char *dir = keep ? g_strdup (keep) : g_dir_make_tmp ("bnd-pdf-sound-XXXXXX", NULL);
  char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (dir);
  g_file_set_contents (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error);
  g_assert_no_error (error);
  return path;
}

static void
remove_pdf (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_getenv ("BND_TEST_PDF_DIR"))
    return;
  g_unlink (path);
  g_rmdir (dir);
}

/* The catalog as qpdf shows it: the trailer names it, "/Root 1 0 R". */
static char *
catalog (const char *path)
{
  const char *trailer_argv[] = { "qpdf", "--show-object=trailer", path, NULL };
  g_autofree char *trailer = run (trailer_argv, NULL, NULL);
  g_autoptr(GRegex) root = g_regex_new ("/Root (\\d+) (\\d+) R", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *number = NULL;
  g_autofree char *generation = NULL;
  g_autofree char *which = NULL;
  const char *argv[] = { "qpdf", NULL, path, NULL };

  if (!g_regex_match (root, trailer, 0, &match))
    g_error ("no /Root in the trailer: %s", trailer);
  number = g_match_info_fetch (match, 1);
  generation = g_match_info_fetch (match, 2);
  which = g_strdup_printf ("--show-object=%s,%s", number, generation);
  argv[1] = which;
  return run (argv, NULL, NULL);
}

static void
test_kind (gconstpointer data)
{
  const Kind *kind = data;
  g_autoptr(BndStrategy) strategy = bnd_test_load_strategy ();
  g_autoptr(GBytes) pdf = kind->render (strategy);
  g_autoptr(GBytes) again = NULL;
  g_autofree char *path = write_pdf (kind->name, pdf);
  const char *check_argv[] = { "qpdf", "--check", path, NULL };
  const char *info_argv[] = { "pdfinfo", path, NULL };
  const char *struct_argv[] = { "pdfinfo", "-struct", path, NULL };
  g_autofree char *check_out = NULL, *check_err = NULL;
  g_autofree char *info = NULL, *structure = NULL, *struct_err = NULL, *root = NULL;
  g_autofree char *lang = g_strdup_printf ("/Lang (%s)", kind->language);
  g_autoptr(GError) error = NULL;
  int status = -1;

  /* Sound: no damage, no warning, exit status 0 */
  check_out = run (check_argv, &status, &check_err);
  if (!g_spawn_check_wait_status (status, &error) || strstr (check_out, "WARNING") ||
      strstr (check_err, "WARNING") || !strstr (check_out, "No syntax or stream encoding errors"))
    g_error ("qpdf --check %s: %s%s", kind->name, check_out, check_err);

  /* Tagged, with headings, and tables where the document has them */
  info = run (info_argv, NULL, NULL);
  g_assert_nonnull (strstr (info, "Tagged:"));
  if (!g_regex_match_simple ("^Tagged:\\s+yes$", info, G_REGEX_MULTILINE, 0))
    g_error ("%s is not tagged:\n%s", kind->name, info);
  /* poppler complains of a structure tree without one root element, or of a wrong type */
  structure = run (struct_argv, NULL, &struct_err);
  if (*struct_err)
    g_error ("pdfinfo -struct %s: %s", kind->name, struct_err);
  if (!g_regex_match_simple ("^Document\\b", structure, G_REGEX_MULTILINE, 0))
    g_error ("%s has no Document at the root of its structure:\n%s", kind->name, structure);
  if (!g_regex_match_simple ("^\\s*H1\\b", structure, G_REGEX_MULTILINE, 0) ||
      !g_regex_match_simple ("^\\s*P\\b", structure, G_REGEX_MULTILINE, 0))
    g_error ("%s has no H1 or P in its structure:\n%s", kind->name, structure);
  if (kind->has_table &&
      !(g_regex_match_simple ("^\\s*Table\\b", structure, G_REGEX_MULTILINE, 0) &&
        g_regex_match_simple ("^\\s*TR\\b", structure, G_REGEX_MULTILINE, 0) &&
        g_regex_match_simple ("^\\s*TD\\b", structure, G_REGEX_MULTILINE, 0)))
    g_error ("%s has no table in its structure:\n%s", kind->name, structure);

  /* The language, and /MarkInfo that says the tags are meant */
  root = catalog (path);
  if (!strstr (root, lang) || !strstr (root, "/MarkInfo << /Marked true >>"))
    g_error ("the catalog of %s lacks %s or /MarkInfo: %s", kind->name, lang, root);

  /* The same input gives the same bytes, /ID included, a second later too: no date of the
   * clock may slip into the file. */
  g_usleep (G_USEC_PER_SEC + G_USEC_PER_SEC / 10);
  again = kind->render (strategy);
  g_assert_true (g_bytes_equal (pdf, again));

  remove_pdf (path);
}

int
main (int   argc,
      char *argv[])
{
  /* The session's papers follow the interface language: English here (LANGUAGE=C). */
  static const Kind kinds[] = {
    { "sketch", render_sketch, "de-DE", TRUE },
    { "statement", render_statement, "de-DE", TRUE },
    { "agenda", render_agenda, "en", FALSE },
    { "minutes", render_minutes, "en", FALSE },
    { "agenda-de", render_german_agenda, "de-DE", FALSE },
    { "portfolio", render_portfolio, "de-DE", TRUE },
  };

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *name = g_strdup_printf ("/pdf-sound/%s", kinds[i].name);

      g_test_add_data_func (name, &kinds[i], test_kind);
    }
  return g_test_run ();
}
