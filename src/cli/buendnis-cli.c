/* buendnis-cli.c: Bündnis from a terminal, on the same store as the application
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "buendnis-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <gio/gunixinputstream.h>
#include <libsecret/secret.h>
#include <stdio.h>
#include <string.h>

#include "bnd-pdf-renderer.h"
#include "bnd-portfolio-csv.h"
#include "bnd-portfolio-renderer.h"
#include "bnd-sketch.h"
#include "bnd-stage.h"
#include "bnd-audit.h"
#include "bnd-merge.h"
#include "bnd-store.h"
#include "bnd-sync.h"
#include "bnd-strategy.h"

/* Exit statuses: scripts can tell bad input from a sketch over the page limit. */
enum {
  EXIT_OK = 0,
  EXIT_FAILED = 1,
  EXIT_BAD_INPUT = 2,
  EXIT_OVER_LIMIT = 3,
};

typedef struct
{
  char        *profile;
  char        *strategy_path;
  BndStrategy *strategy;
  BndStore    *store;
} Cli;

typedef int (*CommandFunc) (Cli *cli, int argc, char **argv);

typedef struct
{
  const char  *name;
  const char  *args;
  const char  *summary;
  CommandFunc  func;
} Command;

G_GNUC_PRINTF (1, 2) static int
bad_input (const char *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* One line, so that scripts can show it as it is. */
  g_strdelimit (message, "\n", ' ');
  g_printerr ("buendnis-cli: %s\n", message);
  return EXIT_BAD_INPUT;
}

static int
failed (const GError *error)
{
  g_autofree char *message = g_strdup (error->message);

  g_strdelimit (message, "\n", ' ');
  g_printerr ("buendnis-cli: %s\n", message);
  return EXIT_FAILED;
}

static gboolean
open_strategy (Cli     *cli,
               GError **error)
{
  if (cli->strategy != NULL)
    return TRUE;

  if (cli->strategy_path != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (cli->strategy_path);
      cli->strategy = bnd_strategy_new_from_file (file, error);
    }
  else
    {
      g_autofree char *user_pack = g_build_filename (g_get_user_data_dir (), "buendnis", "strategy.json", NULL);

      if (g_file_test (user_pack, G_FILE_TEST_EXISTS))
        {
          g_autoptr(GFile) file = g_file_new_for_path (user_pack);
          cli->strategy = bnd_strategy_new_from_file (file, error);
        }
      else
        cli->strategy = bnd_strategy_new_default (error);
    }
  return cli->strategy != NULL;
}

static gboolean
open_store (Cli     *cli,
            GError **error)
{
  g_autofree char *directory = NULL;

  if (cli->store != NULL)
    return TRUE;
  if (!open_strategy (cli, error))
    return FALSE;

  directory = cli->profile ? g_strdup (cli->profile) : bnd_store_default_directory ();
  cli->store = bnd_store_new (directory, error);
  return cli->store != NULL;
}

/* Parses a command's options; --help prints them and ends with success. */
static gboolean
parse_options (const char    *name,
               const char    *args,
               const char    *summary,
               GOptionEntry  *entries,
               int           *argc,
               char        ***argv,
               int           *status)
{
  g_autofree char *parameter = g_strdup_printf ("%s %s", name, args);
  g_autoptr(GOptionContext) context = g_option_context_new (parameter);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *status = bad_input ("%s", error->message);
      return FALSE;
    }
  return TRUE;
}

static BndSketch *
load_sketch (Cli         *cli,
             const char  *id,
             int         *status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  BndSketch *sketch;

  if (!open_store (cli, &error))
    {
      *status = failed (error);
      return NULL;
    }
  if (!(uuid = bnd_store_resolve_id (cli->store, id, &error)))
    {
      *status = g_error_matches (error, BND_STORE_ERROR, BND_STORE_ERROR_NOT_FOUND)
                ? bad_input ("%s", error->message) : failed (error);
      return NULL;
    }
  if (!(sketch = bnd_store_load (cli->store, uuid, cli->strategy, &error)))
    *status = failed (error);
  return sketch;
}

static void
print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

/* Commands */

static int
cmd_template (Cli   *cli,
              int    argc,
              char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  GPtrArray *sections;
  int status = EXIT_OK;

  if (!parse_options ("template", "", _("Show the sections of the Projektskizze template."),
                      entries, &argc, &argv, &status))
    return status;
  if (!open_strategy (cli, &error))
    return failed (error);

  sections = bnd_strategy_get_template_sections (cli->strategy);
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "page_limit");
      json_builder_add_int_value (builder, bnd_strategy_get_page_limit (cli->strategy));
      json_builder_set_member_name (builder, "sections");
      json_builder_begin_array (builder);
      for (guint i = 0; i < sections->len; i++)
        {
          const BndTemplateSection *section = g_ptr_array_index (sections, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, section->id);
          json_builder_set_member_name (builder, "title");
          json_builder_add_string_value (builder, section->title);
          json_builder_set_member_name (builder, "guidance");
          json_builder_add_string_value (builder, section->guidance);
          json_builder_set_member_name (builder, "required");
          json_builder_add_boolean_value (builder, section->required);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      print_json (root);
      return EXIT_OK;
    }

  /* Translators: %u is the page limit */
  g_print (_("Projektskizze, at most %u pages\n\n"), bnd_strategy_get_page_limit (cli->strategy));
  for (guint i = 0; i < sections->len; i++)
    {
      const BndTemplateSection *section = g_ptr_array_index (sections, i);

      g_print ("%-22s %s%s\n%22s %s\n\n", section->id, section->title,
               section->required ? _(" (required)") : "", "", section->guidance);
    }
  return EXIT_OK;
}

static int
cmd_new (Cli   *cli,
         int    argc,
         char **argv)
{
  g_autofree char *title = NULL;
  GOptionEntry entries[] = {
    { "title", 't', 0, G_OPTION_ARG_STRING, &title, N_("The title of the sketch"), N_("TITLE") },
    { NULL }
  };
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GError) error = NULL;
  int status = EXIT_OK;

  if (!parse_options ("new", "--title TITLE", _("Create a new sketch and print its id."),
                      entries, &argc, &argv, &status))
    return status;
  if (title == NULL || *g_strstrip (title) == 0)
    return bad_input (_("new needs --title"));
  if (g_utf8_strlen (title, -1) > BND_SKETCH_MAX_SHORT_TEXT)
    return bad_input (_("the title is too long"));
  if (!open_store (cli, &error))
    return failed (error);

  sketch = bnd_sketch_new ();
  bnd_sketch_set_title (sketch, title);
  if (!bnd_store_save (cli->store, sketch, &error))
    return failed (error);

  g_print ("%s\n", bnd_sketch_get_uuid (sketch));
  return EXIT_OK;
}

static char *
format_modified (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);

  return g_date_time_format (time, "%Y-%m-%d %H:%M");
}

static int
print_list (GPtrArray *list,
            gboolean   json)
{
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < list->len; i++)
        {
          BndSketchSummary *summary = g_ptr_array_index (list, i);
          g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (summary->modified);
          g_autofree char *modified = g_date_time_format_iso8601 (time);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "uuid");
          json_builder_add_string_value (builder, summary->uuid);
          json_builder_set_member_name (builder, "title");
          json_builder_add_string_value (builder, summary->title);
          json_builder_set_member_name (builder, "stage");
          json_builder_add_string_value (builder, summary->stage);
          json_builder_set_member_name (builder, "funding_object");
          json_builder_add_int_value (builder, summary->funding_object);
          json_builder_set_member_name (builder, "modified");
          json_builder_add_string_value (builder, modified);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      print_json (root);
      return EXIT_OK;
    }

  for (guint i = 0; i < list->len; i++)
    {
      BndSketchSummary *summary = g_ptr_array_index (list, i);
      g_autofree char *modified = format_modified (summary->modified);

      g_print ("%.8s  %s  %-6s  %s\n", summary->uuid, modified, summary->stage, summary->title);
    }
  return EXIT_OK;
}

static int
cmd_list (Cli   *cli,
          int    argc,
          char **argv)
{
  gboolean json = FALSE;
  g_autofree char *goal = NULL;
  g_autofree char *district = NULL;
  g_autofree char *stage = NULL;
  int funding_object = 0;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "goal", 0, 0, G_OPTION_ARG_STRING, &goal, N_("Only sketches linked to this goal"), N_("ID") },
    { "district", 0, 0, G_OPTION_ARG_STRING, &district, N_("Only sketches for this Landkreis"), N_("ID") },
    { "stage", 0, 0, G_OPTION_ARG_STRING, &stage, N_("Only sketches at this stage"), N_("STAGE") },
    { "funding-object", 0, 0, G_OPTION_ARG_INT, &funding_object, N_("Only sketches for this Fördergegenstand"), N_("N") },
    { NULL }
  };
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  BndStoreQuery query = { 0 };
  int status = EXIT_OK;

  if (!parse_options ("list", "", _("List the sketches, newest first."), entries, &argc, &argv, &status))
    return status;
  if (!open_store (cli, &error))
    return failed (error);

  query.goal = goal;
  query.district = district;
  query.stage = stage;
  query.funding_object = funding_object;
  if (!(list = bnd_store_list (cli->store, &query, &error)))
    return failed (error);
  return print_list (list, json);
}

static int
cmd_search (Cli   *cli,
            int    argc,
            char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  BndStoreQuery query = { 0 };
  int status = EXIT_OK;

  if (!parse_options ("search", "QUERY", _("Find sketches by words in their title and text; each word may be "
                                           "the start of a longer one."), entries, &argc, &argv, &status))
    return status;
  if (argc < 2)
    return bad_input (_("search needs a query"));
  if (!open_store (cli, &error))
    return failed (error);

  text = g_strjoinv (" ", argv + 1);
  query.text = text;
  if (!(list = bnd_store_list (cli->store, &query, &error)))
    return failed (error);
  return print_list (list, json);
}

static void
print_sketch (Cli       *cli,
              BndSketch *sketch)
{
  GPtrArray *sections = bnd_strategy_get_template_sections (cli->strategy);
  g_autofree char *modified = format_modified (bnd_sketch_get_modified (sketch));
  g_autoptr(GPtrArray) issues = bnd_sketch_validate (sketch, cli->strategy);
  static const char *link_labels[BND_N_LINKS] = {
    N_("Strategic goals"), N_("Cross-cutting goals"), N_("Fields of action"), N_("Focus topics"), N_("Landkreise"),
  };

  g_print ("%s\n", bnd_sketch_get_title (sketch));
  g_print ("%-16s %s\n", _("Id:"), bnd_sketch_get_uuid (sketch));
  g_print ("%-16s %s\n", _("Stage:"), bnd_stage_get_label (bnd_sketch_get_stage (sketch)));
  g_print ("%-16s %s\n", _("Modified:"), modified);
  g_print ("%-16s %s\n", _("Carrier:"), bnd_sketch_get_carrier (sketch));
  g_print ("%-16s %s\n", _("Contact:"), bnd_sketch_get_contact (sketch));
  g_print ("%-16s %d\n", _("Funding object:"), bnd_sketch_get_funding_object (sketch));
  g_print ("%-16s %s – %s\n", _("Duration:"), bnd_sketch_get_start (sketch), bnd_sketch_get_end (sketch));
  for (guint kind = 0; kind < BND_N_LINKS; kind++)
    {
      GPtrArray *links = bnd_sketch_get_links (sketch, kind);
      g_autoptr(GString) ids = g_string_new (NULL);

      for (guint i = 0; i < links->len; i++)
        g_string_append_printf (ids, "%s%s", i ? ", " : "", (char *)g_ptr_array_index (links, i));
      g_print ("%-16s %s\n", _(link_labels[kind]), ids->str);
    }

  for (guint i = 0; i < sections->len; i++)
    {
      const BndTemplateSection *section = g_ptr_array_index (sections, i);
      const char *text = bnd_sketch_get_section (sketch, section->id);

      g_print ("\n== %s [%s]\n%s\n", section->title, section->id, *text ? text : _("(empty)"));
    }

  if (issues->len > 0)
    {
      g_print ("\n%s\n", _("Still to do:"));
      for (guint i = 0; i < issues->len; i++)
        g_print ("  - %s\n", ((BndSketchIssue *)g_ptr_array_index (issues, i))->message);
    }
}

static int
cmd_show (Cli   *cli,
          int    argc,
          char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the sketch as a .bndsketch document"), NULL },
    { NULL }
  };
  g_autoptr(BndSketch) sketch = NULL;
  int status = EXIT_OK;

  if (!parse_options ("show", "ID", _("Show a sketch. ID may be the start of its id."),
                      entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bad_input (_("show needs one sketch id"));
  if (!(sketch = load_sketch (cli, argv[1], &status)))
    return status;

  if (json)
    {
      g_autofree char *data = bnd_sketch_to_data (sketch, NULL);
      g_print ("%s\n", data);
    }
  else
    print_sketch (cli, sketch);
  return EXIT_OK;
}

static gboolean
known_section (Cli        *cli,
               const char *id)
{
  GPtrArray *sections = bnd_strategy_get_template_sections (cli->strategy);

  for (guint i = 0; i < sections->len; i++)
    if (g_str_equal (((BndTemplateSection *)g_ptr_array_index (sections, i))->id, id))
      return TRUE;
  return FALSE;
}

static int
cmd_edit (Cli   *cli,
          int    argc,
          char **argv)
{
  g_autofree char *section = NULL;
  g_autofree char *text = NULL;
  g_autofree char *file = NULL;
  GOptionEntry entries[] = {
    { "section", 's', 0, G_OPTION_ARG_STRING, &section, N_("The template section to change"), N_("SECTION") },
    { "text", 't', 0, G_OPTION_ARG_STRING, &text, N_("The new text of the section"), N_("TEXT") },
    { "file", 'f', 0, G_OPTION_ARG_FILENAME, &file, N_("Read the new text from FILE (- for standard input)"), N_("FILE") },
    { NULL }
  };
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  int status = EXIT_OK;

  if (!parse_options ("edit", "ID --section SECTION (--text TEXT | --file FILE)",
                      _("Replace the text of one section of a sketch."), entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bad_input (_("edit needs one sketch id"));
  if (section == NULL)
    return bad_input (_("edit needs --section; see “buendnis-cli template” for the ids"));
  if ((text == NULL) == (file == NULL))
    return bad_input (_("edit needs either --text or --file"));
  if (!open_strategy (cli, &error))
    return failed (error);
  if (!known_section (cli, section))
    return bad_input (_("the template has no section “%s”; see “buendnis-cli template”"), section);

  if (file != NULL)
    {
      gsize length;

      if (g_str_equal (file, "-"))
        {
          g_autoptr(GInputStream) in = g_unix_input_stream_new (0, FALSE);
          g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

          /* Read all of standard input, then end it with a NUL before closing the buffer. */
          if (g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_NONE, NULL, &error) < 0 ||
              g_output_stream_write (out, "", 1, NULL, &error) < 0 ||
              !g_output_stream_close (out, NULL, &error))
            return failed (error);
          length = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)) - 1;
          contents = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
        }
      else if (!g_file_get_contents (file, &contents, &length, &error))
        return bad_input ("%s", error->message);

      if (!g_utf8_validate (contents, length, NULL) || strlen (contents) != length)
        return bad_input (_("%s is not UTF-8 text"), file);
      text = g_steal_pointer (&contents);
    }

  if (g_utf8_strlen (text, -1) > BND_SKETCH_MAX_TEXT)
    return bad_input (_("the text is longer than %d characters"), BND_SKETCH_MAX_TEXT);

  if (!(sketch = load_sketch (cli, argv[1], &status)))
    return status;
  bnd_sketch_set_section (sketch, section, text);
  if (!bnd_store_save (cli->store, sketch, &error))
    return failed (error);
  return EXIT_OK;
}

static BndSketch *
read_sketch_file (Cli         *cli,
                  const char  *path,
                  int         *status)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  BndSketch *sketch;

  if (!open_strategy (cli, &error))
    {
      *status = failed (error);
      return NULL;
    }

  /* Refuse absurd files before reading them into memory. */
  if (!(info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                  G_FILE_QUERY_INFO_NONE, NULL, &error)))
    {
      *status = bad_input ("%s: %s", path, error->message);
      return NULL;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      *status = bad_input (_("%s: not a file"), path);
      return NULL;
    }
  if (g_file_info_get_size (info) > BND_SKETCH_MAX_FILE_SIZE)
    {
      *status = bad_input (_("%s: the file is too large for a sketch"), path);
      return NULL;
    }

  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, &error))
    {
      *status = bad_input ("%s: %s", path, error->message);
      return NULL;
    }

  if (!(sketch = bnd_sketch_new_from_data (contents, length, path, cli->strategy, &error)))
    {
      /* Messages from the JSON checks already name the file. */
      if (g_str_has_prefix (error->message, path))
        *status = bad_input ("%s", error->message);
      else
        *status = bad_input ("%s: %s", path, error->message);
    }
  return sketch;
}

static int
cmd_import (Cli   *cli,
            int    argc,
            char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(BndSketch) existing = NULL;
  g_autoptr(GError) error = NULL;
  int status = EXIT_OK;

  if (!parse_options ("import", "FILE.bndsketch", _("Import a sketch file. Everything is checked first; a "
                                                    "file with any problem imports nothing."),
                      entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bad_input (_("import needs one file"));
  if (!(sketch = read_sketch_file (cli, argv[1], &status)))
    return status;
  if (!open_store (cli, &error))
    return failed (error);

  /* A newer copy of a sketch we have replaces it, and the state it replaces stays as a version. */
  existing = bnd_store_load (cli->store, bnd_sketch_get_uuid (sketch), cli->strategy, NULL);
  if (existing != NULL && !bnd_store_add_version (cli->store, existing, "import", &error))
    return failed (error);
  if (!bnd_store_save (cli->store, sketch, &error))
    return failed (error);

  g_print ("%s\n", bnd_sketch_get_uuid (sketch));
  return EXIT_OK;
}

/* Writes the PDF unless it is over the limit and @strict; warns when over the limit. */
static int
write_pdf (Cli        *cli,
           BndSketch  *sketch,
           const char *output,
           gboolean    strict)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  BndPageBudget budget = { 0 };
  int status = EXIT_OK;

  if (!(pdf = bnd_pdf_render (sketch, cli->strategy, &budget, &error)))
    return failed (error);

  if (budget.n_pages > budget.page_limit)
    {
      /* Translators: "3.6 pages, more than the 3 allowed; page 3 ends in „Vorgehen und Arbeitsplan“" */
      g_printerr (_("buendnis-cli: warning: the sketch has %.1f pages, more than the %u allowed; page %u ends in „%s“\n"),
                  budget.used_pages, budget.page_limit, budget.page_limit,
                  budget.overflow_title ? budget.overflow_title : "");
      if (strict)
        {
          bnd_page_budget_clear (&budget);
          return EXIT_OVER_LIMIT;
        }
    }
  bnd_page_budget_clear (&budget);

  if (!g_file_set_contents (output, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error))
    return failed (error);
  return status;
}

static int
cmd_export (Cli   *cli,
            int    argc,
            char **argv)
{
  g_autofree char *output = NULL;
  gboolean strict = FALSE;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write to FILE: .pdf or .bndsketch"), N_("FILE") },
    { "strict", 0, 0, G_OPTION_ARG_NONE, &strict, N_("Fail with status 3 when the PDF is over the page limit"), NULL },
    { NULL }
  };
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GError) error = NULL;
  int status = EXIT_OK;

  if (!parse_options ("export", "ID -o FILE.pdf|FILE.bndsketch", _("Export a sketch as PDF or as a sketch file."),
                      entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bad_input (_("export needs one sketch id"));
  if (output == NULL)
    return bad_input (_("export needs -o FILE.pdf or -o FILE.bndsketch"));
  if (!g_str_has_suffix (output, ".pdf") && !g_str_has_suffix (output, ".bndsketch"))
    return bad_input (_("%s: the file name must end in .pdf or .bndsketch"), output);
  if (!(sketch = load_sketch (cli, argv[1], &status)))
    return status;

  if (g_str_has_suffix (output, ".bndsketch"))
    {
      gsize length;
      g_autofree char *data = bnd_sketch_to_data (sketch, &length);

      if (!g_file_set_contents (output, data, length, &error))
        return failed (error);
      return EXIT_OK;
    }

  status = write_pdf (cli, sketch, output, strict);
  /* An export is a moment worth keeping in the history. */
  if (status == EXIT_OK && !bnd_store_add_version (cli->store, sketch, "export", &error))
    return failed (error);
  return status;
}

static int
cmd_export_pdf (Cli   *cli,
                int    argc,
                char **argv)
{
  gboolean strict = FALSE;
  GOptionEntry entries[] = {
    { "strict", 0, 0, G_OPTION_ARG_NONE, &strict, N_("Fail with status 3 when the PDF is over the page limit"), NULL },
    { NULL }
  };
  g_autoptr(BndSketch) sketch = NULL;
  int status = EXIT_OK;

  if (!parse_options ("export-pdf", "FILE.bndsketch OUT.pdf", _("Render a sketch file to PDF without the store."),
                      entries, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return bad_input (_("export-pdf needs a sketch file and an output file"));
  if (!(sketch = read_sketch_file (cli, argv[1], &status)))
    return status;
  return write_pdf (cli, sketch, argv[2], strict);
}

static int
cmd_pages (Cli   *cli,
           int    argc,
           char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GError) error = NULL;
  BndPageBudget budget = { 0 };
  int status = EXIT_OK;

  if (!parse_options ("pages", "ID|FILE.bndsketch", _("Show how many of the allowed pages a sketch fills."),
                      entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bad_input (_("pages needs a sketch id or file"));

  sketch = g_str_has_suffix (argv[1], ".bndsketch") ? read_sketch_file (cli, argv[1], &status)
                                                    : load_sketch (cli, argv[1], &status);
  if (sketch == NULL)
    return status;
  if (!bnd_pdf_measure (sketch, cli->strategy, &budget, &error))
    return failed (error);

  /* Translators: the page budget, "2.4 of 3 pages" */
  g_print (_("%.1f of %u pages\n"), budget.used_pages, budget.page_limit);
  if (budget.overflow_title != NULL)
    g_print (_("Page %u ends in „%s“.\n"), budget.page_limit, budget.overflow_title);
  status = budget.n_pages > budget.page_limit ? EXIT_OVER_LIMIT : EXIT_OK;
  bnd_page_budget_clear (&budget);
  return status;
}

static int
cmd_history (Cli   *cli,
             int    argc,
             char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GError) error = NULL;
  int status = EXIT_OK;

  if (!parse_options ("history", "ID", _("List the versions of a sketch."), entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bad_input (_("history needs one sketch id"));
  if (!(sketch = load_sketch (cli, argv[1], &status)))
    return status;
  if (!(versions = bnd_store_list_versions (cli->store, bnd_sketch_get_uuid (sketch), &error)))
    return failed (error);

  for (guint i = 0; i < versions->len; i++)
    {
      BndVersion *version = g_ptr_array_index (versions, i);
      g_autofree char *created = format_modified (version->created);

      g_print ("%" G_GINT64_FORMAT "\t%s\t%s\n", version->id, created, version->reason);
    }
  return EXIT_OK;
}

static int
cmd_snapshot (Cli   *cli,
              int    argc,
              char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GError) error = NULL;
  int status = EXIT_OK;

  if (!parse_options ("snapshot", "ID", _("Keep the current state of a sketch as a version."),
                      entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bad_input (_("snapshot needs one sketch id"));
  if (!(sketch = load_sketch (cli, argv[1], &status)))
    return status;
  if (!bnd_store_add_version (cli->store, sketch, "snapshot", &error))
    return failed (error);
  return EXIT_OK;
}

static int
cmd_restore (Cli   *cli,
             int    argc,
             char **argv)
{
  gint64 version_id = 0;
  GOptionEntry entries[] = {
    { "version", 'v', 0, G_OPTION_ARG_INT64, &version_id, N_("The version to restore (see history)"), N_("N") },
    { NULL }
  };
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(BndSketch) old = NULL;
  g_autoptr(GError) error = NULL;
  int status = EXIT_OK;

  if (!parse_options ("restore", "ID --version N",
                      _("Make an earlier version current again. The current state stays in the history."),
                      entries, &argc, &argv, &status))
    return status;
  if (argc != 2 || version_id <= 0)
    return bad_input (_("restore needs a sketch id and --version N"));
  if (!(sketch = load_sketch (cli, argv[1], &status)))
    return status;
  if (!(old = bnd_store_load_version (cli->store, version_id, &error)))
    return bad_input ("%s", error->message);
  if (!g_str_equal (bnd_sketch_get_uuid (old), bnd_sketch_get_uuid (sketch)))
    return bad_input (_("version %lld belongs to another sketch"), (long long)version_id);

  /* Nothing is overwritten: the current state is kept, then the old one becomes a new version. */
  if (!bnd_store_add_version (cli->store, sketch, "snapshot", &error))
    return failed (error);
  bnd_sketch_set_times (old, bnd_sketch_get_created (sketch), g_get_real_time () / G_USEC_PER_SEC);
  if (!bnd_store_add_version (cli->store, old, "restore", &error))
    return failed (error);
  return EXIT_OK;
}

/* Sign-in: the token goes to the desktop keyring, or to a file where there is none. */

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    "de.fachkraefteallianz_non.Buendnis.Token", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "profile", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

static char *
read_token (Cli     *cli,
            char   **url,
            GError **error)
{
  g_autofree char *token_file = NULL;
  char *token = NULL;

  if (!open_store (cli, error))
    return NULL;
  *url = bnd_store_get_meta (cli->store, "server_url");
  if (*url == NULL)
    {
      g_set_error (error, BND_SYNC_ERROR, BND_SYNC_ERROR_NOT_SIGNED_IN, "%s",
                   _("not signed in; use “buendnis-cli login URL --user NAME” first"));
      return NULL;
    }

  if ((token_file = bnd_store_get_meta (cli->store, "token_file")))
    {
      if (!g_file_get_contents (token_file, &token, NULL, error))
        return NULL;
      return g_strstrip (token);
    }

  token = secret_password_lookup_sync (token_schema (), NULL, error, "server", *url,
                                       "profile", bnd_store_get_path (cli->store), NULL);
  if (token == NULL && error && *error == NULL)
    g_set_error (error, BND_SYNC_ERROR, BND_SYNC_ERROR_NOT_SIGNED_IN, "%s", _("no token in the keyring; sign in again"));
  return token;
}

static int
cmd_login (Cli   *cli,
           int    argc,
           char **argv)
{
  g_autofree char *user = NULL;
  g_autofree char *token_file = NULL;
  GOptionEntry entries[] = {
    { "user", 'u', 0, G_OPTION_ARG_STRING, &user, N_("Your user name on the server"), N_("NAME") },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &token_file, N_("Keep the token in FILE instead of the keyring"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  char password[1024];
  int status = EXIT_OK;

  if (!parse_options ("login", "URL --user NAME  (the password is read from standard input)",
                      _("Sign in to a Bündnis server."), entries, &argc, &argv, &status))
    return status;
  if (argc != 2 || user == NULL)
    return bad_input (_("login needs the server's URL and --user NAME"));
  /* Passwords and tokens go over HTTPS; plain HTTP only to this computer. */
  if (!g_str_has_prefix (argv[1], "https://") && !g_str_has_prefix (argv[1], "http://127.0.0.1") &&
      !g_str_has_prefix (argv[1], "http://localhost") && !g_str_has_prefix (argv[1], "http://[::1]"))
    return bad_input (_("“%s” is not an https:// address (plain http:// only to this computer)"), argv[1]);
  if (fgets (password, sizeof password, stdin) == NULL)
    return bad_input (_("no password on standard input"));
  password[strcspn (password, "\r\n")] = 0;

  token = bnd_sync_login (argv[1], user, password, &error);
  memset (password, 0, sizeof password);
  if (token == NULL)
    return failed (error);
  if (!open_store (cli, &error))
    return failed (error);

  if (token_file != NULL)
    {
      g_autofree char *absolute = g_canonicalize_filename (token_file, NULL);

      if (!g_file_set_contents_full (absolute, token, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error) ||
          !bnd_store_set_meta (cli->store, "token_file", absolute, &error))
        return failed (error);
    }
  else if (!secret_password_store_sync (token_schema (), SECRET_COLLECTION_DEFAULT, "Bündnis", token, NULL, &error,
                                        "server", argv[1], "profile", bnd_store_get_path (cli->store), NULL) ||
           !bnd_store_set_meta (cli->store, "token_file", NULL, &error))
    {
      g_prefix_error (&error, _("the keyring cannot keep the token (use --token-file): "));
      return failed (error);
    }

  {
    g_autofree char *old_url = bnd_store_get_meta (cli->store, "server_url");
    g_autofree char *old_user = bnd_store_get_meta (cli->store, "server_user");

    /* Another server or account knows nothing of what this profile synced before. */
    if (((old_url && !g_str_equal (old_url, argv[1])) || (old_user && !g_str_equal (old_user, user))) &&
        !bnd_store_reset_sync (cli->store, &error))
      return failed (error);
  }
  if (!bnd_store_set_meta (cli->store, "server_url", argv[1], &error) ||
      !bnd_store_set_meta (cli->store, "server_user", user, &error))
    return failed (error);
  g_print (_("Signed in to %s as %s\n"), argv[1], user);
  return EXIT_OK;
}

static int
cmd_logout (Cli   *cli,
            int    argc,
            char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_file = NULL;
  int status = EXIT_OK;

  if (!parse_options ("logout", "", _("Sign out: the server forgets the token, and so does this profile."),
                      entries, &argc, &argv, &status))
    return status;
  if (!(token = read_token (cli, &url, &error)))
    return failed (error);

  /* Signed out locally even when the server cannot be reached. */
  if (!bnd_sync_logout (url, token, &error))
    g_printerr ("buendnis-cli: %s\n", error->message);
  if ((token_file = bnd_store_get_meta (cli->store, "token_file")))
    g_unlink (token_file);
  else
    secret_password_clear_sync (token_schema (), NULL, NULL, "server", url,
                                "profile", bnd_store_get_path (cli->store), NULL);
  bnd_store_set_meta (cli->store, "token_file", NULL, NULL);
  bnd_store_set_meta (cli->store, "server_url", NULL, NULL);
  bnd_store_set_meta (cli->store, "server_user", NULL, NULL);
  return EXIT_OK;
}

static int
cmd_sync (Cli   *cli,
          int    argc,
          char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  BndSyncReport report;
  int status = EXIT_OK;

  if (!parse_options ("sync", "", _("Exchange changes with the server."), entries, &argc, &argv, &status))
    return status;
  if (!(token = read_token (cli, &url, &error)))
    return failed (error);
  if (!bnd_sync_run (cli->store, cli->strategy, url, token, NULL, &report, &error))
    return failed (error);

  /* Translators: a summary after syncing */
  g_print (_("pulled %u, merged %u, pushed %u, conflicts %u\n"), report.pulled, report.merged, report.pushed,
           report.conflicts);
  if (report.votes_counted + report.votes_refused > 0)
    g_print (_("votes counted %u, not counted %u (see “buendnis-cli votes”)\n"), report.votes_counted,
             report.votes_refused);
  if (report.ratings_counted + report.ratings_refused > 0)
    g_print (_("ratings counted %u, not counted %u (see “buendnis-cli ratings”)\n"), report.ratings_counted,
             report.ratings_refused);
  return EXIT_OK;
}

static int
cmd_conflicts (Cli   *cli,
               int    argc,
               char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) uuids = NULL;
  int status = EXIT_OK;

  if (!parse_options ("conflicts", "", _("List the edits that clash with the server's, both sides kept."),
                      entries, &argc, &argv, &status))
    return status;
  if (!open_store (cli, &error) || !(uuids = bnd_store_list_unsynced (cli->store, TRUE, &error)))
    return failed (error);

  for (guint i = 0; i < uuids->len; i++)
    {
      g_autoptr(BndSyncState) state = bnd_store_get_sync_state (cli->store, g_ptr_array_index (uuids, i), NULL);
      g_autoptr(GPtrArray) conflicts = bnd_conflicts_from_json (state ? state->conflicts : NULL);

      for (guint j = 0; j < conflicts->len; j++)
        {
          BndConflict *conflict = g_ptr_array_index (conflicts, j);

          g_print ("%.8s\t%s\n  %s %s\n  %s %s\n", (char *)g_ptr_array_index (uuids, i), conflict->field,
                   _("mine:"), conflict->mine, _("theirs:"), conflict->theirs);
        }
    }
  return EXIT_OK;
}

static int
cmd_resolve (Cli   *cli,
             int    argc,
             char **argv)
{
  g_autofree char *section = NULL;
  g_autofree char *field = NULL;
  g_autofree char *take = NULL;
  g_autofree char *text = NULL;
  GOptionEntry entries[] = {
    { "section", 's', 0, G_OPTION_ARG_STRING, &section, N_("The section in conflict"), N_("SECTION") },
    { "field", 0, 0, G_OPTION_ARG_STRING, &field, N_("Another field in conflict, as “conflicts” lists it"), N_("FIELD") },
    { "take", 0, 0, G_OPTION_ARG_STRING, &take, N_("mine or theirs"), N_("SIDE") },
    { "text", 't', 0, G_OPTION_ARG_STRING, &text, N_("The text edited from both"), N_("TEXT") },
    { NULL }
  };
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(BndSyncState) state = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *json = NULL;
  const char *value = NULL;
  int status = EXIT_OK;

  if (!parse_options ("resolve", "ID --section S (--take mine|theirs | --text T)",
                      _("Decide a conflict: keep your text, take the server's, or give one edited from both."),
                      entries, &argc, &argv, &status))
    return status;
  if (argc != 2 || (section == NULL) == (field == NULL))
    return bad_input (_("resolve needs a sketch id and --section S (or --field F)"));
  if ((take == NULL) == (text == NULL) || (take && !g_str_equal (take, "mine") && !g_str_equal (take, "theirs")))
    return bad_input (_("resolve needs --take mine, --take theirs or --text T"));
  if (!(sketch = load_sketch (cli, argv[1], &status)))
    return status;
  if (!(state = bnd_store_get_sync_state (cli->store, bnd_sketch_get_uuid (sketch), &error)))
    return failed (error);

  name = section ? g_strdup_printf ("section:%s", section) : g_strdup (field);
  conflicts = bnd_conflicts_from_json (state->conflicts);
  for (guint i = 0; i < conflicts->len && value == NULL; i++)
    {
      BndConflict *conflict = g_ptr_array_index (conflicts, i);

      if (g_str_equal (conflict->field, name))
        value = text ? text : g_str_equal (take, "mine") ? conflict->mine : conflict->theirs;
    }
  if (value == NULL)
    return bad_input (_("there is no conflict in “%s”"), name);

  {
    g_autofree char *chosen = g_strdup (value);

    if (!bnd_merge_resolve (sketch, conflicts, name, chosen, &error))
      return bad_input ("%s", error->message);
  }

  /* Decided: the result is a local edit that goes out with the next sync. */
  json = bnd_conflicts_to_json (conflicts);
  g_free (state->conflicts);
  state->conflicts = conflicts->len ? g_steal_pointer (&json) : NULL;
  state->dirty = TRUE;
  if (!bnd_store_apply_sync (cli->store, sketch, state, &error))
    return failed (error);
  return EXIT_OK;
}

static int
cmd_submit (Cli   *cli,
            int    argc,
            char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *sha256 = NULL;
  int status = EXIT_OK;

  if (!parse_options ("submit", "ID", _("Submit a sketch to the network coordination: the server keeps its exact PDF."),
                      entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bad_input (_("submit needs one sketch id"));
  if (!(sketch = load_sketch (cli, argv[1], &status)))
    return status;
  if (!(token = read_token (cli, &url, &error)))
    return failed (error);
  if (!bnd_sync_submit (cli->store, cli->strategy, url, token, bnd_sketch_get_uuid (sketch), &sha256, &error))
    return failed (error);
  g_print (_("Submitted; the PDF's SHA-256 is %s\n"), sha256);
  return EXIT_OK;
}

/* The profile's votes, or one dossier's: a refused vote stays listed as not counted. */
static int
print_votes (Cli        *cli,
             const char *only)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) votes = bnd_store_list_votes (cli->store, &error);

  if (votes == NULL)
    return failed (error);
  for (guint i = 0; i < votes->len; i++)
    {
      BndQueuedVote *vote = g_ptr_array_index (votes, i);
      const char *state = g_str_equal (vote->state, "counted") ? _("counted")
                          : g_str_equal (vote->state, "refused") ? _("not counted")
                          : _("waiting for the next sync");

      if (only && !g_str_equal (only, vote->dossier))
        continue;
      g_print ("%.8s  %-8s %s%s%s\n", vote->dossier, vote->choice, state,
               vote->message ? ": " : "", vote->message ? vote->message : "");
    }
  return EXIT_OK;
}

/* The coordination moves a dossier on; the server checks who may. */
static int
cmd_stage (Cli   *cli,
           int    argc,
           char **argv)
{
  g_autofree char *comment = NULL;
  g_autofree char *date = NULL;
  double amount = 0;
  GOptionEntry entries[] = {
    { "comment", 0, 0, G_OPTION_ARG_STRING, &comment, N_("Why, for the audit trail"), N_("TEXT") },
    { "amount", 0, 0, G_OPTION_ARG_DOUBLE, &amount, N_("The approved amount in euros"), N_("EUR") },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date, N_("The date of the decision"), N_("YYYY-MM-DD") },
    { NULL }
  };
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  BndSyncReport report;
  int status = EXIT_OK;

  if (!parse_options ("stage", "ID STAGE", _("Move a dossier to the next stage of the procedure (network coordination)."),
                      entries, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return bad_input (_("stage needs a sketch id and a stage"));
  if (!(sketch = load_sketch (cli, argv[1], &status)))
    return status;
  if (!(token = read_token (cli, &url, &error)))
    return failed (error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "stage");
  json_builder_add_string_value (builder, argv[2]);
  if (comment)
    {
      json_builder_set_member_name (builder, "comment");
      json_builder_add_string_value (builder, comment);
    }
  if (amount > 0)
    {
      json_builder_set_member_name (builder, "amount");
      json_builder_add_double_value (builder, amount);
    }
  if (date)
    {
      json_builder_set_member_name (builder, "date");
      json_builder_add_string_value (builder, date);
    }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  path = g_strdup_printf ("/dossiers/%s/stage", bnd_sketch_get_uuid (sketch));
  if (!(answer = bnd_sync_call (url, token, "POST", path, body, &error)))
    return failed (error);
  /* The new stage reaches the local copy the way every change does. */
  if (!bnd_sync_run (cli->store, cli->strategy, url, token, NULL, &report, &error))
    return failed (error);
  g_print (_("The dossier is now at stage “%s”\n"),
           json_object_get_string_member_with_default (json_node_get_object (answer), "stage", ""));
  return EXIT_OK;
}

/* Recomputes the chain the server sent: an entry changed after it was written no longer
 * matches its hash, and a removed one breaks the link to the next. */
static int
verify_audit (const char *uuid,
              JsonArray  *entries)
{
  g_autofree char *prev = g_strdup (BND_AUDIT_GENESIS);
  guint problems = 0;
  guint n = entries ? json_array_get_length (entries) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      gint64 number = json_object_get_int_member_with_default (entry, "n", 0);
      const char *hash = json_object_get_string_member_with_default (entry, "hash", "");
      g_autofree char *expected = bnd_audit_hash (json_object_get_string_member_with_default (entry, "prev", ""), uuid,
                                                  number, json_object_get_int_member_with_default (entry, "at", 0),
                                                  json_object_get_string_member_with_default (entry, "actor", ""),
                                                  json_object_get_string_member_with_default (entry, "action", ""),
                                                  json_object_get_string_member_with_default (entry, "detail_text", ""));

      if (number != (gint64)i + 1)
        {
          g_print (_("entry %u is missing\n"), i + 1);
          problems++;
        }
      if (g_strcmp0 (json_object_get_string_member_with_default (entry, "prev", ""), prev) != 0)
        {
          g_print (_("entry %lld does not follow the entry before it\n"), (long long)number);
          problems++;
        }
      if (g_strcmp0 (expected, hash) != 0)
        {
          g_print (_("entry %lld was altered\n"), (long long)number);
          problems++;
        }
      g_free (prev);
      prev = g_strdup (hash);
    }
  if (problems > 0)
    return EXIT_FAILED;
  g_print (g_dngettext (GETTEXT_PACKAGE, "The audit trail holds: %u entry checked\n",
                        "The audit trail holds: %u entries checked\n", n), n);
  return EXIT_OK;
}

/* The dossier's audit trail as the server keeps it, oldest first. */
static int
cmd_audit (Cli   *cli,
           int    argc,
           char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  JsonArray *entries_array;
  gboolean verify;
  int status = EXIT_OK;

  if (!parse_options ("audit", "[verify] ID", _("Show a dossier's audit trail, or check its chain of hashes."),
                      entries, &argc, &argv, &status))
    return status;
  verify = argc == 3 && g_str_equal (argv[1], "verify");
  if (argc != 2 && !verify)
    return bad_input (_("audit needs one sketch id"));
  if (!(sketch = load_sketch (cli, argv[argc - 1], &status)))
    return status;
  if (!(token = read_token (cli, &url, &error)))
    return failed (error);
  path = g_strdup_printf ("/dossiers/%s/audit", bnd_sketch_get_uuid (sketch));
  if (!(answer = bnd_sync_call (url, token, "GET", path, NULL, &error)))
    return failed (error);

  entries_array = json_object_get_array_member (json_node_get_object (answer), "entries");
  if (verify)
    return verify_audit (bnd_sketch_get_uuid (sketch), entries_array);
  for (guint i = 0; entries_array && i < json_array_get_length (entries_array); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries_array, i);
      JsonNode *detail = json_object_get_member (entry, "detail");
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (json_object_get_int_member_with_default (entry, "at", 0));
      g_autofree char *when = at ? g_date_time_format (at, "%Y-%m-%d %H:%M") : g_strdup ("?");
      const char *note = detail && JSON_NODE_HOLDS_OBJECT (detail)
                         ? json_object_get_string_member_with_default (json_node_get_object (detail), "comment", "")
                         : "";

      g_print ("%3" G_GINT64_FORMAT "  %s  %-20s %-12s %s\n", json_object_get_int_member_with_default (entry, "n", 0),
               when, json_object_get_string_member_with_default (entry, "action", ""),
               json_object_get_string_member_with_default (entry, "actor", ""), note);
    }
  return EXIT_OK;
}

/* A vote is kept in the profile first, so that it can be cast on the road; a sync delivers it. */
static int
cmd_vote (Cli   *cli,
          int    argc,
          char **argv)
{
  g_autofree char *comment = NULL;
  GOptionEntry entries[] = {
    { "comment", 0, 0, G_OPTION_ARG_STRING, &comment, N_("A comment with the vote"), N_("TEXT") },
    { NULL }
  };
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  BndSyncReport report;
  int status = EXIT_OK;

  if (!parse_options ("vote", "ID yes|no|abstain", _("Vote on a dossier in the circulation vote; offline, the vote waits for the next sync."),
                      entries, &argc, &argv, &status))
    return status;
  if (argc != 3 || (!g_str_equal (argv[2], "yes") && !g_str_equal (argv[2], "no") && !g_str_equal (argv[2], "abstain")))
    return bad_input (_("vote needs a sketch id and yes, no or abstain"));
  if (!(sketch = load_sketch (cli, argv[1], &status)))
    return status;
  if (!bnd_store_queue_vote (cli->store, bnd_sketch_get_uuid (sketch), argv[2], comment, &error))
    return failed (error);

  if (!(token = read_token (cli, &url, &error)) ||
      !bnd_sync_run (cli->store, cli->strategy, url, token, NULL, &report, &error))
    {
      if (g_error_matches (error, BND_SYNC_ERROR, BND_SYNC_ERROR_OFFLINE))
        {
          g_print ("%s\n", _("The vote is kept and goes to the server with the next sync"));
          return EXIT_OK;
        }
      return failed (error);
    }
  return print_votes (cli, bnd_sketch_get_uuid (sketch));
}

static int
cmd_votes (Cli   *cli,
           int    argc,
           char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  int status = EXIT_OK;

  if (!parse_options ("votes", "", _("List the votes cast from this profile and what became of them."),
                      entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return bad_input (_("votes takes no arguments"));
  if (!open_store (cli, &error))
    return failed (error);
  return print_votes (cli, NULL);
}

/* Dossiers: the submitted sketches, the procedure on the server */

/* A dossier's id from the command line: a whole UUID as it is (the profile need not have synced
 * it), or the start of the id of a sketch in the profile. */
static char *
resolve_dossier (Cli         *cli,
                 const char  *id,
                 int         *status)
{
  g_autoptr(GError) error = NULL;
  char *uuid;

  if (!open_store (cli, &error))
    {
      *status = failed (error);
      return NULL;
    }
  if (g_uuid_string_is_valid (id))
    return g_ascii_strdown (id, -1);
  if (!(uuid = bnd_store_resolve_id (cli->store, id, &error)))
    *status = g_error_matches (error, BND_STORE_ERROR, BND_STORE_ERROR_NOT_FOUND)
              ? bad_input ("%s", error->message) : failed (error);
  return uuid;
}

static int
cmd_dossier_list (Cli   *cli,
                  int    argc,
                  char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  BndStoreQuery query = { 0 };
  int status = EXIT_OK;

  if (!parse_options ("dossier list", "", _("List the submitted sketches this profile has, with their stage; "
                                            "a sync brings the dossiers you may see and their stages."),
                      entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return bad_input (_("dossier list takes no arguments"));
  if (!open_store (cli, &error) || !(list = bnd_store_list (cli->store, &query, &error)))
    return failed (error);

  json_builder_begin_array (builder);
  for (guint i = 0; i < list->len; i++)
    {
      BndSketchSummary *summary = g_ptr_array_index (list, i);
      g_autoptr(BndSketch) sketch = NULL;
      const char *organisation;

      if (g_str_equal (summary->stage, "draft") ||
          !(sketch = bnd_store_load (cli->store, summary->uuid, NULL, NULL)))
        continue;
      organisation = bnd_sketch_get_carrier (sketch);
      if (!json)
        {
          g_print ("%.8s  %-24s %s\n%10s%s\n", summary->uuid, bnd_stage_get_label (summary->stage), summary->title,
                   "", organisation);
          continue;
        }
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "uuid");
      json_builder_add_string_value (builder, summary->uuid);
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, summary->title);
      json_builder_set_member_name (builder, "stage");
      json_builder_add_string_value (builder, summary->stage);
      json_builder_set_member_name (builder, "organisation");
      json_builder_add_string_value (builder, organisation);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  if (json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);
      print_json (root);
    }
  return EXIT_OK;
}

/* GETs @path; with @optional, a 404 gives TRUE and no @answer ("none yet"). */
static gboolean
fetch (const char  *url,
       const char  *token,
       const char  *path,
       gboolean     optional,
       JsonNode   **answer,
       GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if ((*answer = bnd_sync_call (url, token, "GET", path, NULL, &local_error)))
    return TRUE;
  if (optional && g_error_matches (local_error, BND_SYNC_ERROR, BND_SYNC_ERROR_NOT_FOUND))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static JsonArray *
array_member (JsonNode   *node,
              const char *name)
{
  JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonNode *member = object ? json_object_get_member (object, name) : NULL;

  return member && JSON_NODE_HOLDS_ARRAY (member) ? json_node_get_array (member) : NULL;
}

/* The member @name of @object if it is an object, else NULL. */
static JsonObject *
object_member (JsonObject *object,
               const char *name)
{
  JsonNode *member = object ? json_object_get_member (object, name) : NULL;

  return member && JSON_NODE_HOLDS_OBJECT (member) ? json_node_get_object (member) : NULL;
}

/* A copy of the member @name of the object @node, or a null. */
static JsonNode *
copy_member (JsonNode   *node,
             const char *name)
{
  JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonNode *member = object ? json_object_get_member (object, name) : NULL;

  return member ? json_node_copy (member) : json_node_new (JSON_NODE_NULL);
}

static char *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);

  return time ? g_date_time_format (time, "%Y-%m-%d %H:%M") : g_strdup ("?");
}

static const char *
outcome_label (const char *outcome)
{
  if (g_strcmp0 (outcome, "positive") == 0)
    return _("positive");
  if (g_strcmp0 (outcome, "needs-changes") == 0)
    return _("needs changes");
  if (g_strcmp0 (outcome, "negative") == 0)
    return _("negative");
  return outcome;
}

/* The strategy pack's rating criteria, by id; none if the pack cannot be read. */
static GStrv
criterion_ids (Cli *cli)
{
  g_autoptr(GError) error = NULL;

  if (!open_strategy (cli, &error))
    return g_new0 (char *, 1);
  return bnd_strategy_dup_criterion_ids (cli->strategy);
}

/* "strategic-goals 4, feasibility 3, …" in the order of the criteria. */
static char *
format_scores (JsonObject         *scores,
               const char * const *criteria)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; scores && criteria[i]; i++)
    if (json_object_has_member (scores, criteria[i]))
      g_string_append_printf (text, "%s%s %" G_GINT64_FORMAT, text->len ? ", " : "", criteria[i],
                              json_object_get_int_member (scores, criteria[i]));
  return g_string_free (text, FALSE);
}

static void
print_dossier (Cli        *cli,
               JsonObject *record,
               JsonNode   *assessment,
               JsonNode   *attachments,
               JsonNode   *comments,
               GPtrArray  *recusals,
               JsonNode   *vote,
               JsonNode   *ratings)
{
  JsonObject *sketch = object_member (record, "data");
  JsonArray *list;

  g_print ("%s\n", sketch ? json_object_get_string_member_with_default (sketch, "title", "") : "");
  g_print ("%-16s %s\n", _("Id:"), json_object_get_string_member_with_default (record, "uuid", ""));
  g_print ("%-16s %s\n", _("Stage:"),
           bnd_stage_get_label (json_object_get_string_member_with_default (record, "stage", "")));
  g_print ("%-16s %s\n", _("Organisation:"), json_object_get_string_member_with_default (record, "org", ""));

  if (assessment && JSON_NODE_HOLDS_OBJECT (assessment))
    {
      JsonObject *object = json_node_get_object (assessment);

      g_print ("%-16s %s\n", _("Assessment:"),
               outcome_label (json_object_get_string_member_with_default (object, "outcome", "")));
      if (json_object_has_member (object, "nbank"))
        g_print ("  %-14s %s %s\n", _("NBank:"), json_object_get_string_member_with_default (object, "nbank", ""),
                 json_object_get_string_member_with_default (object, "nbank_date", ""));
      if (json_object_has_member (object, "ministry"))
        g_print ("  %-14s %s %s\n", _("Ministry:"), json_object_get_string_member_with_default (object, "ministry", ""),
                 json_object_get_string_member_with_default (object, "ministry_date", ""));
      if (json_object_has_member (object, "note"))
        g_print ("  %-14s %s\n", _("Note:"), json_object_get_string_member_with_default (object, "note", ""));
    }
  else
    g_print ("%-16s %s\n", _("Assessment:"), _("none yet"));

  list = array_member (attachments, "attachments");
  if (list && json_array_get_length (list))
    g_print ("%s\n", _("Attachments:"));
  else
    g_print ("%-16s %s\n", _("Attachments:"), _("none"));
  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      JsonObject *attachment = json_array_get_object_element (list, i);
      g_autofree char *size = g_format_size (json_object_get_int_member_with_default (attachment, "size", 0));

      g_print ("  %3" G_GINT64_FORMAT "  %-16s %s (%s, %s)\n",
               json_object_get_int_member_with_default (attachment, "id", 0),
               json_object_get_string_member_with_default (attachment, "kind", ""),
               json_object_get_string_member_with_default (attachment, "name", ""), size,
               json_object_get_string_member_with_default (attachment, "uploaded_by", ""));
    }

  list = array_member (comments, "comments");
  if (list && json_array_get_length (list))
    g_print ("%s\n", _("Comments:"));
  else
    g_print ("%-16s %s\n", _("Comments:"), _("none"));
  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      JsonObject *comment = json_array_get_object_element (list, i);
      g_autofree char *when = format_time (json_object_get_int_member_with_default (comment, "posted", 0));
      g_autofree char *text = g_strdup (json_object_get_string_member_with_default (comment, "text", ""));

      g_strdelimit (text, "\n", ' ');
      g_print ("  %s  %s (%s): %s\n", when, json_object_get_string_member_with_default (comment, "author", ""),
               json_object_get_string_member_with_default (comment, "org", ""), text);
    }

  g_ptr_array_add (recusals, NULL);
  {
    g_autofree char *joined = g_strjoinv (", ", (char **)recusals->pdata);

    g_print ("%-16s %s\n", _("Recusals:"), *joined ? joined : _("none"));
  }
  g_ptr_array_remove_index (recusals, recusals->len - 1);

  if (vote && JSON_NODE_HOLDS_OBJECT (vote))
    {
      JsonObject *object = json_node_get_object (vote);
      JsonObject *result = object_member (object, "result");

      if (result)
        {
          /* Translators: the result of a closed circulation vote */
          long long yes = json_object_get_int_member_with_default (result, "yes", 0);
          long long no = json_object_get_int_member_with_default (result, "no", 0);
          long long abstain = json_object_get_int_member_with_default (result, "abstain", 0);
          g_autofree char *counts = g_strdup_printf (_("%lld yes, %lld no, %lld abstain"), yes, no, abstain);

          g_print ("%-16s %s; %s\n", _("Vote:"), counts,
                   json_object_get_boolean_member_with_default (result, "adopted", FALSE) ? _("adopted")
                   : json_object_get_boolean_member_with_default (result, "quorum", FALSE) ? _("not adopted")
                   : _("not adopted, no quorum"));
        }
      else
        {
          g_autofree char *deadline = format_time (json_object_get_int_member_with_default (object, "deadline", 0));

          g_print ("%-16s ", _("Vote:"));
          /* Translators: an open circulation vote: its deadline, then how many organisations voted */
          g_print (_("open until %s; %lld of %lld organisations voted\n"), deadline,
                   (long long)json_object_get_int_member_with_default (object, "voted", 0),
                   (long long)json_object_get_int_member_with_default (object, "entitled", 0));
        }
    }
  else
    g_print ("%-16s %s\n", _("Vote:"), _("not opened"));

  if (ratings && JSON_NODE_HOLDS_OBJECT (ratings))
    {
      JsonObject *object = json_node_get_object (ratings);
      JsonObject *summary = object_member (object, "summary");
      g_auto(GStrv) criteria = criterion_ids (cli);

      list = array_member (ratings, "ratings");
      if (summary)
        {
          guint n = list ? json_array_get_length (list) : 0;

          g_print ("%-16s ", _("Ratings:"));
          g_print (g_dngettext (GETTEXT_PACKAGE, "%u rating; mean (lowest–highest)\n",
                                "%u ratings; mean (lowest–highest)\n", n), n);
          for (guint i = 0; criteria[i] && n > 0; i++)
            {
              JsonObject *criterion = object_member (summary, criteria[i]);

              if (criterion)
                g_print ("  %-22s %.1f (%" G_GINT64_FORMAT "–%" G_GINT64_FORMAT ")\n", criteria[i],
                         json_object_get_double_member_with_default (criterion, "mean", 0),
                         json_object_get_int_member_with_default (criterion, "min", 0),
                         json_object_get_int_member_with_default (criterion, "max", 0));
            }
        }
      else if (list && json_array_get_length (list) > 0)
        {
          g_autofree char *text = format_scores (object_member (json_array_get_object_element (list, 0), "scores"),
                                                     (const char * const *)criteria);

          g_print ("%-16s ", _("Ratings:"));
          /* Translators: during the rating round only the own organisation's rating is shown */
          g_print (_("your organisation's: %s\n"), text);
        }
      else
        g_print ("%-16s %s\n", _("Ratings:"), _("none shown before the rating round ends"));
    }
}

static int
cmd_dossier_show (Cli   *cli,
                  int    argc,
                  char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autoptr(JsonNode) record = NULL;
  g_autoptr(JsonNode) assessment = NULL;
  g_autoptr(JsonNode) attachments = NULL;
  g_autoptr(JsonNode) comments = NULL;
  g_autoptr(JsonNode) audit = NULL;
  g_autoptr(JsonNode) vote = NULL;
  g_autoptr(JsonNode) ratings = NULL;
  g_autoptr(GPtrArray) recusals = g_ptr_array_new ();
  g_autofree char *sketch_path = NULL;
  g_autofree char *dossier_path = NULL;
  g_autofree char *assessment_path = NULL;
  g_autofree char *attachments_path = NULL;
  g_autofree char *comments_path = NULL;
  g_autofree char *audit_path = NULL;
  g_autofree char *vote_path = NULL;
  g_autofree char *ratings_path = NULL;
  JsonArray *entries_array;
  int status = EXIT_OK;

  if (!parse_options ("dossier show", "ID", _("Show a dossier as the server has it: stage, first assessment, "
                                              "attachments, comments, recusals, vote and ratings."),
                      entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bad_input (_("dossier show needs one dossier id"));
  if (!(uuid = resolve_dossier (cli, argv[1], &status)))
    return status;
  if (!(token = read_token (cli, &url, &error)))
    return failed (error);

  sketch_path = g_strdup_printf ("/sketches/%s", uuid);
  dossier_path = g_strdup_printf ("/dossiers/%s", uuid);
  assessment_path = g_strconcat (dossier_path, "/assessment", NULL);
  attachments_path = g_strconcat (dossier_path, "/attachments", NULL);
  comments_path = g_strconcat (dossier_path, "/comments", NULL);
  audit_path = g_strconcat (dossier_path, "/audit", NULL);
  vote_path = g_strconcat (dossier_path, "/vote", NULL);
  ratings_path = g_strconcat (dossier_path, "/ratings", NULL);
  if (!fetch (url, token, sketch_path, FALSE, &record, &error) ||
      !fetch (url, token, assessment_path, TRUE, &assessment, &error) ||
      !fetch (url, token, attachments_path, FALSE, &attachments, &error) ||
      !fetch (url, token, comments_path, FALSE, &comments, &error) ||
      !fetch (url, token, audit_path, FALSE, &audit, &error) ||
      !fetch (url, token, vote_path, TRUE, &vote, &error) ||
      !fetch (url, token, ratings_path, FALSE, &ratings, &error))
    return failed (error);

  /* Recusals are in the audit trail, for everyone who sees the dossier. */
  entries_array = array_member (audit, "entries");
  for (guint i = 0; entries_array && i < json_array_get_length (entries_array); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries_array, i);
      JsonNode *detail = json_object_get_member (entry, "detail");

      if (g_strcmp0 (json_object_get_string_member_with_default (entry, "action", NULL), "recused") == 0 &&
          detail && JSON_NODE_HOLDS_OBJECT (detail))
        g_ptr_array_add (recusals, (char *)json_object_get_string_member_with_default (json_node_get_object (detail),
                                                                                       "org", ""));
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      JsonObject *object = json_node_get_object (record);
      JsonObject *data = object_member (object, "data");

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "uuid");
      json_builder_add_string_value (builder, uuid);
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, data ? json_object_get_string_member_with_default (data, "title", "") : "");
      json_builder_set_member_name (builder, "stage");
      json_builder_add_string_value (builder, json_object_get_string_member_with_default (object, "stage", ""));
      json_builder_set_member_name (builder, "org");
      json_builder_add_string_value (builder, json_object_get_string_member_with_default (object, "org", ""));
      json_builder_set_member_name (builder, "assessment");
      json_builder_add_value (builder, assessment ? json_node_copy (assessment) : json_node_new (JSON_NODE_NULL));
      json_builder_set_member_name (builder, "attachments");
      json_builder_add_value (builder, copy_member (attachments, "attachments"));
      json_builder_set_member_name (builder, "comments");
      json_builder_add_value (builder, copy_member (comments, "comments"));
      json_builder_set_member_name (builder, "recusals");
      json_builder_begin_array (builder);
      for (guint i = 0; i < recusals->len; i++)
        json_builder_add_string_value (builder, g_ptr_array_index (recusals, i));
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "vote");
      json_builder_add_value (builder, vote ? json_node_copy (vote) : json_node_new (JSON_NODE_NULL));
      json_builder_set_member_name (builder, "ratings");
      json_builder_add_value (builder, json_node_copy (ratings));
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      print_json (root);
      return EXIT_OK;
    }

  print_dossier (cli, json_node_get_object (record), assessment, attachments, comments, recusals, vote, ratings);
  return EXIT_OK;
}

static int
cmd_dossier (Cli   *cli,
             int    argc,
             char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "list"))
    return cmd_dossier_list (cli, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "show"))
    return cmd_dossier_show (cli, argc - 1, argv + 1);
  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      g_print ("%s\n  buendnis-cli dossier list [--json]\n  buendnis-cli dossier show ID [--json]\n",
               _("List the dossiers in this profile, or show one as the server has it:"));
      return EXIT_OK;
    }
  return bad_input (_("dossier needs list or show"));
}

/* The coordination records the first assessment; the server checks who may and when. */
static int
cmd_assess (Cli   *cli,
            int    argc,
            char **argv)
{
  g_autofree char *nbank = NULL;
  g_autofree char *nbank_date = NULL;
  g_autofree char *ministry = NULL;
  g_autofree char *ministry_date = NULL;
  g_autofree char *note = NULL;
  GOptionEntry entries[] = {
    { "nbank", 0, 0, G_OPTION_ARG_STRING, &nbank, N_("What NBank said"), N_("TEXT") },
    { "nbank-date", 0, 0, G_OPTION_ARG_STRING, &nbank_date, N_("When NBank said it"), N_("YYYY-MM-DD") },
    { "ministry", 0, 0, G_OPTION_ARG_STRING, &ministry, N_("What the ministry said"), N_("TEXT") },
    { "ministry-date", 0, 0, G_OPTION_ARG_STRING, &ministry_date, N_("When the ministry said it"), N_("YYYY-MM-DD") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, N_("A note the carrier reads"), N_("TEXT") },
    { NULL }
  };
  const char *members[][2] = {
    { "nbank", NULL }, { "nbank_date", NULL }, { "ministry", NULL }, { "ministry_date", NULL }, { "note", NULL },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  int status = EXIT_OK;

  if (!parse_options ("assess", "ID positive|needs-changes|negative",
                      _("Record the first assessment with NBank and the ministry (network coordination)."),
                      entries, &argc, &argv, &status))
    return status;
  if (argc != 3 || (!g_str_equal (argv[2], "positive") && !g_str_equal (argv[2], "needs-changes") &&
                    !g_str_equal (argv[2], "negative")))
    return bad_input (_("assess needs a dossier id and positive, needs-changes or negative"));
  if (!(uuid = resolve_dossier (cli, argv[1], &status)))
    return status;
  if (!(token = read_token (cli, &url, &error)))
    return failed (error);

  members[0][1] = nbank;
  members[1][1] = nbank_date;
  members[2][1] = ministry;
  members[3][1] = ministry_date;
  members[4][1] = note;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "outcome");
  json_builder_add_string_value (builder, argv[2]);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    if (members[i][1] != NULL)
      {
        json_builder_set_member_name (builder, members[i][0]);
        json_builder_add_string_value (builder, members[i][1]);
      }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  path = g_strdup_printf ("/dossiers/%s/assessment", uuid);
  if (!(answer = bnd_sync_call (url, token, "PUT", path, body, &error)))
    return failed (error);
  g_print (_("The first assessment is recorded: %s\n"),
           outcome_label (json_object_get_string_member_with_default (json_node_get_object (answer), "outcome", "")));
  return EXIT_OK;
}

/* The carrier attaches a PDF; the server checks that it is one, and its size. */
static int
cmd_attach (Cli   *cli,
            int    argc,
            char **argv)
{
  static const char *kinds[] = { "long-form", "letter-of-intent", "other", NULL };
  g_autofree char *kind = NULL;
  g_autofree char *name = NULL;
  GOptionEntry entries[] = {
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind, N_("long-form, letter-of-intent or other (the default)"), N_("KIND") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The name the partners see (the file's name by default)"),
      N_("NAME") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  g_autofree char *escaped = NULL;
  char *contents = NULL;
  gsize length;
  int status = EXIT_OK;

  if (!parse_options ("attach", "ID FILE.pdf", _("Attach a PDF to a dossier, such as the long form (carrier)."),
                      entries, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return bad_input (_("attach needs a dossier id and a PDF file"));
  if (kind == NULL)
    kind = g_strdup ("other");
  if (!g_strv_contains (kinds, kind))
    return bad_input (_("an attachment is a long-form, a letter-of-intent or other, not “%s”"), kind);
  if (!g_file_get_contents (argv[2], &contents, &length, &error))
    {
      if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return bad_input (_("there is no file “%s”"), argv[2]);
      return failed (error);
    }
  pdf = g_bytes_new_take (contents, length);
  if (name == NULL)
    name = g_path_get_basename (argv[2]);
  if (!(uuid = resolve_dossier (cli, argv[1], &status)))
    return status;
  if (!(token = read_token (cli, &url, &error)))
    return failed (error);

  escaped = g_uri_escape_string (name, NULL, FALSE);
  path = g_strdup_printf ("/dossiers/%s/attachments?kind=%s&name=%s", uuid, kind, escaped);
  if (!(answer = bnd_sync_upload (url, token, path, "application/pdf", pdf, &error)))
    return failed (error);
  /* Translators: the file's name, then the attachment's number on the server */
  g_print (_("Attached “%s” as attachment %lld\n"), name,
           (long long)json_object_get_int_member_with_default (json_node_get_object (answer), "id", 0));
  return EXIT_OK;
}

/* The profile's ratings, or one dossier's: a refused rating stays listed as not counted. */
static int
print_ratings (Cli        *cli,
               const char *only,
               gboolean    json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ratings = bnd_store_list_ratings (cli->store, &error);
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (ratings == NULL)
    return failed (error);
  json_builder_begin_array (builder);
  for (guint i = 0; i < ratings->len; i++)
    {
      BndQueuedRating *rating = g_ptr_array_index (ratings, i);
      g_autoptr(JsonNode) scores = json_from_string (rating->scores, NULL);
      const char *state = g_str_equal (rating->state, "counted") ? _("counted")
                          : g_str_equal (rating->state, "refused") ? _("not counted")
                          : _("waiting for the next sync");

      if (only && !g_str_equal (only, rating->dossier))
        continue;
      if (json)
        {
          g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (rating->rated_at / G_USEC_PER_SEC);
          g_autofree char *rated = g_date_time_format_iso8601 (time);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "dossier");
          json_builder_add_string_value (builder, rating->dossier);
          json_builder_set_member_name (builder, "scores");
          json_builder_add_value (builder, scores ? g_steal_pointer (&scores) : json_node_new (JSON_NODE_NULL));
          json_builder_set_member_name (builder, "comment");
          json_builder_add_string_value (builder, rating->comment);
          json_builder_set_member_name (builder, "rated");
          json_builder_add_string_value (builder, rated);
          json_builder_set_member_name (builder, "state");
          json_builder_add_string_value (builder, rating->state);
          json_builder_set_member_name (builder, "message");
          if (rating->message)
            json_builder_add_string_value (builder, rating->message);
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
          continue;
        }
      {
        g_auto(GStrv) criteria = criterion_ids (cli);
        g_autofree char *text = format_scores (scores && JSON_NODE_HOLDS_OBJECT (scores)
                                               ? json_node_get_object (scores) : NULL,
                                               (const char * const *)criteria);

        g_print ("%.8s  %s%s%s\n          %s\n", rating->dossier, state, rating->message ? ": " : "",
                 rating->message ? rating->message : "", text);
      }
    }
  json_builder_end_array (builder);
  if (json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);
      print_json (root);
    }
  return EXIT_OK;
}

/* A rating is kept in the profile first, like a vote, and a sync delivers it. */
static int
cmd_rate (Cli   *cli,
          int    argc,
          char **argv)
{
  g_auto(GStrv) criteria = criterion_ids (cli);
  const BndReview *review = cli->strategy ? bnd_strategy_get_review (cli->strategy) : NULL;
  g_autofree char *comment = NULL;
  GOptionEntry entries[] = {
    { "comment", 0, 0, G_OPTION_ARG_STRING, &comment, N_("A comment with the rating"), N_("TEXT") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) scores = NULL;
  g_autoptr(GHashTable) given = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *uuid = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *scores_json = NULL;
  g_autofree char *names = g_strjoinv (", ", (char **)criteria);
  BndSyncReport report;
  int status = EXIT_OK;

  if (!parse_options ("rate", "ID CRITERION=SCORE…",
                      _("Rate a dossier in the rating round, each criterion from 1 to 5; offline, the rating "
                        "waits for the next sync."), entries, &argc, &argv, &status))
    return status;
  if (argc < 2)
    return bad_input (_("rate needs a dossier id and a score for each criterion: %s"), names);
  for (int i = 2; i < argc; i++)
    {
      g_auto(GStrv) pair = g_strsplit (argv[i], "=", 2);
      gint64 score;

      if (g_strv_length (pair) != 2 || !g_strv_contains ((const char * const *)criteria, pair[0]))
        return bad_input (_("unknown criterion “%s”; the criteria are %s"), pair[0], names);
      if (!g_ascii_string_to_signed (pair[1], 10, review->scale_min, review->scale_max, &score, NULL))
        return bad_input (_("a score is a whole number from %d to %d, not “%s”"), review->scale_min, review->scale_max,
                          pair[1]);
      if (g_hash_table_contains (given, pair[0]))
        return bad_input (_("“%s” is rated twice"), pair[0]);
      g_hash_table_insert (given, (gpointer)g_intern_string (pair[0]), GINT_TO_POINTER ((int)score));
    }
  json_builder_begin_object (builder);
  for (guint i = 0; criteria[i]; i++)
    {
      if (!g_hash_table_contains (given, criteria[i]))
        return bad_input (_("rate needs a dossier id and a score for each criterion: %s"), names);
      json_builder_set_member_name (builder, criteria[i]);
      json_builder_add_int_value (builder, GPOINTER_TO_INT (g_hash_table_lookup (given, criteria[i])));
    }
  json_builder_end_object (builder);
  scores = json_builder_get_root (builder);
  json_generator_set_root (generator, scores);
  scores_json = json_generator_to_data (generator, NULL);

  if (!(uuid = resolve_dossier (cli, argv[1], &status)))
    return status;
  if (!bnd_store_queue_rating (cli->store, uuid, scores_json, comment, &error))
    return failed (error);
  if (!(token = read_token (cli, &url, &error)) ||
      !bnd_sync_run (cli->store, cli->strategy, url, token, NULL, &report, &error))
    {
      if (g_error_matches (error, BND_SYNC_ERROR, BND_SYNC_ERROR_OFFLINE))
        {
          g_print ("%s\n", _("The rating is kept and goes to the server with the next sync"));
          return EXIT_OK;
        }
      return failed (error);
    }
  return print_ratings (cli, uuid, FALSE);
}

static int
cmd_ratings (Cli   *cli,
             int    argc,
             char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  int status = EXIT_OK;

  if (!parse_options ("ratings", "", _("List the ratings given from this profile and what became of them."),
                      entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return bad_input (_("ratings takes no arguments"));
  if (!open_store (cli, &error))
    return failed (error);
  return print_ratings (cli, NULL, json);
}

static int
cmd_portfolio (Cli   *cli,
               int    argc,
               char **argv)
{
  gboolean csv = FALSE;
  g_autofree char *pdf_path = NULL;
  GOptionEntry entries[] = {
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, N_("One line per dossier, as CSV"), NULL },
    { "pdf", 0, 0, G_OPTION_ARG_FILENAME, &pdf_path, N_("Write the portfolio report to FILE as PDF"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *csv_text = NULL;
  int status = EXIT_OK;

  if (!parse_options ("portfolio", "[--csv | --pdf FILE]", _("Show all submitted dossiers: by stage, coverage and sums."),
                      entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return bad_input (_("portfolio takes no arguments"));
  if (csv && pdf_path)
    return bad_input (_("portfolio takes either --csv or --pdf"));
  if (pdf_path && !open_strategy (cli, &error))
    return failed (error);
  if (!(token = read_token (cli, &url, &error)))
    return failed (error);
  if (!(answer = bnd_sync_call (url, token, "GET", "/portfolio", NULL, &error)))
    return failed (error);

  if (pdf_path)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autoptr(GBytes) pdf = bnd_portfolio_render_pdf (cli->strategy, answer, now, &error);

      if (pdf == NULL ||
          !g_file_set_contents (pdf_path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error))
        return failed (error);
      return EXIT_OK;
    }

  if (!csv)
    {
      g_autofree char *text = NULL;

      generator = json_generator_new ();
      json_generator_set_pretty (generator, TRUE);
      json_generator_set_root (generator, answer);
      text = json_generator_to_data (generator, NULL);
      g_print ("%s\n", text);
      return EXIT_OK;
    }

  csv_text = bnd_portfolio_to_csv (answer);
  g_print ("%s", csv_text);
  return EXIT_OK;
}

/* Moving a profile to another computer: everything but the sign-in. */

static int
cmd_profile_export (Cli   *cli,
                    int    argc,
                    char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autofree char *file = NULL;
  g_autofree char *database = NULL;
  int status = EXIT_OK;
  guint count;

  if (!parse_options ("profile export", "FILE",
                      _("Write the whole profile to FILE, to import it on another computer. The sign-in is not "
                        "part of it."), entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bad_input (_("profile export needs the file to write"));
  if (!open_store (cli, &error))
    return failed (error);

  /* Renaming the export over the profile's own database would lose the profile. */
  file = g_canonicalize_filename (argv[1], NULL);
  database = g_canonicalize_filename (bnd_store_get_path (cli->store), NULL);
  if (g_str_has_prefix (file, database))
    return bad_input (_("%s is the profile's own database; export to another file"), argv[1]);

  count = bnd_store_count (cli->store, NULL);
  if (!bnd_store_export_profile (cli->store, argv[1], &error))
    return failed (error);
  /* Translators: %u sketches, %s the file written */
  g_print (g_dngettext (GETTEXT_PACKAGE, "Exported the profile with %u sketch to %s; the sign-in stays here.\n",
                        "Exported the profile with %u sketches to %s; the sign-in stays here.\n", count),
           count, argv[1]);
  return EXIT_OK;
}

static int
cmd_profile_import (Cli   *cli,
                    int    argc,
                    char **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *user = NULL;
  int status = EXIT_OK;
  guint count;

  if (!parse_options ("profile import", "FILE",
                      _("Fill an empty profile with one written by “profile export”. Sign in again afterwards."),
                      entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bad_input (_("profile import needs the file written by “profile export”"));

  /* The file is checked before the profile is even opened: a wrong file leaves nothing behind. */
  if (!bnd_store_check_profile_file (argv[1], &error))
    {
      if (g_error_matches (error, BND_STORE_ERROR, BND_STORE_ERROR_OPEN))
        return failed (error);
      return bad_input ("%s", error->message);
    }
  if (!open_store (cli, &error))
    return failed (error);
  if (!bnd_store_import_profile (cli->store, argv[1], &error))
    {
      if (g_error_matches (error, BND_STORE_ERROR, BND_STORE_ERROR_NOT_EMPTY) ||
          g_error_matches (error, BND_STORE_ERROR, BND_STORE_ERROR_NOT_PROFILE) ||
          g_error_matches (error, BND_STORE_ERROR, BND_STORE_ERROR_CORRUPT) ||
          g_error_matches (error, BND_STORE_ERROR, BND_STORE_ERROR_TOO_NEW))
        return bad_input ("%s", error->message);
      return failed (error);
    }

  count = bnd_store_count (cli->store, NULL);
  /* Translators: %u sketches */
  g_print (g_dngettext (GETTEXT_PACKAGE, "Imported the profile with %u sketch.\n",
                        "Imported the profile with %u sketches.\n", count), count);
  url = bnd_store_get_meta (cli->store, "server_url");
  user = bnd_store_get_meta (cli->store, "server_user");
  if (url != NULL)
    /* Translators: the command to sign in again, with the server's URL and the user name */
    g_print (_("Sign in again to sync: buendnis-cli login %s --user %s\n"), url, user ? user : "NAME");
  return EXIT_OK;
}

static int
cmd_profile (Cli   *cli,
             int    argc,
             char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "export"))
    return cmd_profile_export (cli, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "import"))
    return cmd_profile_import (cli, argc - 1, argv + 1);
  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      g_print ("%s\n  buendnis-cli profile export FILE\n  buendnis-cli profile import FILE\n",
               _("Move the whole profile to another computer (without the sign-in):"));
      return EXIT_OK;
    }
  return bad_input (_("profile needs export or import"));
}

static const Command commands[] = {
  { "template", "[--json]", N_("Show the sections of the Projektskizze template"), cmd_template },
  { "new", "--title TITLE", N_("Create a sketch"), cmd_new },
  { "list", "[--json]", N_("List the sketches"), cmd_list },
  { "show", "ID [--json]", N_("Show a sketch"), cmd_show },
  { "edit", "ID --section S (--text T | --file F)", N_("Change a section"), cmd_edit },
  { "search", "QUERY", N_("Find sketches"), cmd_search },
  { "import", "FILE.bndsketch", N_("Import a sketch file"), cmd_import },
  { "export", "ID -o FILE.pdf|FILE.bndsketch [--strict]", N_("Export a sketch"), cmd_export },
  { "export-pdf", "FILE.bndsketch OUT.pdf [--strict]", N_("Render a sketch file to PDF"), cmd_export_pdf },
  { "pages", "ID|FILE.bndsketch", N_("Show the page budget"), cmd_pages },
  { "history", "ID", N_("List the versions of a sketch"), cmd_history },
  { "snapshot", "ID", N_("Keep the current state as a version"), cmd_snapshot },
  { "restore", "ID --version N", N_("Make an earlier version current again"), cmd_restore },
  { "login", "URL --user NAME [--token-file F]", N_("Sign in to a server"), cmd_login },
  { "logout", "", N_("Sign out"), cmd_logout },
  { "sync", "", N_("Exchange changes with the server"), cmd_sync },
  { "conflicts", "", N_("List the conflicts"), cmd_conflicts },
  { "resolve", "ID --section S (--take mine|theirs | --text T)", N_("Decide a conflict"), cmd_resolve },
  { "submit", "ID", N_("Submit a sketch to the network coordination"), cmd_submit },
  { "stage", "ID STAGE [--comment T] [--amount EUR --date D]", N_("Move a dossier on (network coordination)"), cmd_stage },
  { "audit", "[verify] ID", N_("Show a dossier's audit trail, or check it"), cmd_audit },
  { "vote", "ID yes|no|abstain [--comment T]", N_("Vote in a circulation vote, offline too"), cmd_vote },
  { "votes", "", N_("List your votes and whether they were counted"), cmd_votes },
  { "dossier", "list|show ID [--json]", N_("List the dossiers, or show one as the server has it"), cmd_dossier },
  { "assess", "ID positive|needs-changes|negative", N_("Record the first assessment (network coordination)"),
    cmd_assess },
  { "attach", "ID FILE.pdf [--kind K] [--name N]", N_("Attach a PDF to a dossier (carrier)"), cmd_attach },
  { "rate", "ID CRITERION=SCORE... [--comment T]", N_("Rate a dossier in the rating round, offline too"), cmd_rate },
  { "ratings", "[--json]", N_("List your ratings and whether they were counted"), cmd_ratings },
  { "portfolio", "[--csv | --pdf FILE]", N_("Show the portfolio of submitted dossiers"), cmd_portfolio },
  { "profile", "export|import FILE", N_("Move the whole profile to another computer, without the sign-in"),
    cmd_profile },
};

static void
print_usage (void)
{
  g_print ("%s\n\n", _("Usage: buendnis-cli [--profile DIR] [--strategy FILE] COMMAND [OPTIONS…]"));
  g_print ("%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_print ("  %-12s %-44s %s\n", commands[i].name, commands[i].args, _(commands[i].summary));
  g_print ("\n%s\n", _("“buendnis-cli COMMAND --help” describes a command. Exit status: 0 done, 1 failed, "
                       "2 bad input, 3 over the page limit with --strict."));
}

int
main (int   argc,
      char *argv[])
{
  Cli cli = { 0 };
  int status = EXIT_BAD_INPUT;
  int first = 1;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Options before the command apply to all commands. */
  while (first < argc && argv[first][0] == '-')
    {
      if (g_str_equal (argv[first], "--help") || g_str_equal (argv[first], "-h"))
        {
          print_usage ();
          return EXIT_OK;
        }
      if (g_str_equal (argv[first], "--version"))
        {
          g_print ("buendnis-cli %s\n", PACKAGE_VERSION);
          return EXIT_OK;
        }
      if ((g_str_equal (argv[first], "--profile") || g_str_equal (argv[first], "--strategy")) && first + 1 < argc)
        {
          char **target = g_str_equal (argv[first], "--profile") ? &cli.profile : &cli.strategy_path;
          g_free (*target);
          *target = g_strdup (argv[first + 1]);
          first += 2;
          continue;
        }
      if (g_str_has_prefix (argv[first], "--profile=") || g_str_has_prefix (argv[first], "--strategy="))
        {
          char **target = g_str_has_prefix (argv[first], "--profile=") ? &cli.profile : &cli.strategy_path;
          g_free (*target);
          *target = g_strdup (strchr (argv[first], '=') + 1);
          first++;
          continue;
        }
      return bad_input (_("unknown option %s; see buendnis-cli --help"), argv[first]);
    }

  if (first >= argc)
    {
      print_usage ();
      return EXIT_BAD_INPUT;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[first], commands[i].name))
      {
        status = commands[i].func (&cli, argc - first, argv + first);
        goto done;
      }

  status = bad_input (_("unknown command “%s”; see buendnis-cli --help"), argv[first]);

done:
  g_clear_object (&cli.store);
  g_clear_object (&cli.strategy);
  g_free (cli.profile);
  g_free (cli.strategy_path);
  return status;
}
