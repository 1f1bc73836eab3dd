/* bnd-cli-sketches.c: the commands on the sketches in the profile: write, find, export, versions
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-cli-sketches"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>
#include <string.h>

#include "bnd-format.h"
#include "bnd-pdf-finish.h"
#include "bnd-pdf-layout.h"
#include "bnd-pdf-renderer.h"
#include "bnd-procedure.h"
#include "bnd-stage.h"

#include "bnd-cli-sketches.h"

int
bnd_cli_cmd_template (BndCli *cli,
                      int     argc,
                      char  **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  GPtrArray *sections;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("template", "", _("Show the sections of the Projektskizze template."),
                              entries, &argc, &argv, &status))
    return status;
  if (!bnd_cli_open_strategy (cli, &error))
    return bnd_cli_failed (error);

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
      bnd_cli_print_json (root);
      return EXIT_OK;
    }

  /* Translators: %u is the page limit */
  g_print (_("Projektskizze, at most %u pages\n\n"), bnd_strategy_get_page_limit (cli->strategy));
  for (guint i = 0; i < sections->len; i++)
    {
      const BndTemplateSection *section = g_ptr_array_index (sections, i);

      g_print ("%-22s %s%s\n%22s %s\n\n", section->id, bnd_template_section_get_title (section),
               section->required ? _(" (required)") : "", "", bnd_template_section_get_guidance (section));
    }
  return EXIT_OK;
}

int
bnd_cli_cmd_new (BndCli *cli,
                 int     argc,
                 char  **argv)
{
  g_autofree char *title = NULL;
  GOptionEntry entries[] = {
    { "title", 't', 0, G_OPTION_ARG_STRING, &title, N_("The title of the sketch"), N_("TITLE") },
    { NULL }
  };
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GError) error = NULL;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("new", "--title TITLE", _("Create a new sketch and print its id."),
                              entries, &argc, &argv, &status))
    return status;
  if (title == NULL || *g_strstrip (title) == 0)
    return bnd_cli_bad_input (_("new needs --title"));
  if (g_utf8_strlen (title, -1) > BND_SKETCH_MAX_SHORT_TEXT)
    return bnd_cli_bad_input (_("the title is too long"));
  if (!bnd_cli_open_store (cli, &error))
    return bnd_cli_failed (error);

  sketch = bnd_sketch_new ();
  bnd_sketch_set_title (sketch, title);
  if (!bnd_store_save (cli->store, sketch, &error))
    return bnd_cli_failed (error);

  g_print ("%s\n", bnd_sketch_get_uuid (sketch));
  return EXIT_OK;
}

static char *
format_modified (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);

  return bnd_format_date_time (time, bnd_locale_current ());
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
      bnd_cli_print_json (root);
      return EXIT_OK;
    }

  for (guint i = 0; i < list->len; i++)
    {
      BndSketchSummary *summary = g_ptr_array_index (list, i);
      g_autofree char *modified = format_modified (summary->modified);

      g_print ("%.8s  %s  %-6s  %s\n", summary->uuid, modified, bnd_cli_safe (summary->stage),
               bnd_cli_safe (summary->title));
    }
  return EXIT_OK;
}

int
bnd_cli_cmd_list (BndCli *cli,
                  int     argc,
                  char  **argv)
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

  if (!bnd_cli_parse_options ("list", "", _("List the sketches, newest first."), entries, &argc, &argv, &status))
    return status;
  if (!bnd_cli_open_store (cli, &error))
    return bnd_cli_failed (error);

  query.goal = goal;
  query.district = district;
  query.stage = stage;
  query.funding_object = funding_object;
  if (!(list = bnd_store_list (cli->store, &query, &error)))
    return bnd_cli_failed (error);
  return print_list (list, json);
}

int
bnd_cli_cmd_search (BndCli *cli,
                    int     argc,
                    char  **argv)
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

  if (!bnd_cli_parse_options ("search", "QUERY", _("Find sketches by words in their title and text; each word may be "
                                                   "the start of a longer one."), entries, &argc, &argv, &status))
    return status;
  if (argc < 2)
    return bnd_cli_bad_input (_("search needs a query"));
  if (!bnd_cli_open_store (cli, &error))
    return bnd_cli_failed (error);

  text = g_strjoinv (" ", argv + 1);
  query.text = text;
  if (!(list = bnd_store_list (cli->store, &query, &error)))
    return bnd_cli_failed (error);
  return print_list (list, json);
}

/* The funding conditions of the sketch's Fördergegenstand, with the ids "edit --confirm" takes. */
static void
print_conditions (BndCli    *cli,
                  BndSketch *sketch)
{
  g_autoptr(GPtrArray) conditions = bnd_strategy_dup_conditions_for (cli->strategy,
                                                                     bnd_sketch_get_funding_object (sketch));

  if (conditions->len == 0)
    return;
  g_print ("\n%s\n", _("Funding conditions:"));
  for (guint i = 0; i < conditions->len; i++)
    {
      const BndCondition *condition = g_ptr_array_index (conditions, i);

      g_print ("  [%s] %s (%s)\n", bnd_sketch_meets_condition (sketch, condition) ? "x" : " ",
               bnd_text_get (&condition->text), condition->id);
    }
}

static void
print_sketch (BndCli    *cli,
              BndSketch *sketch)
{
  GPtrArray *sections = bnd_strategy_get_template_sections (cli->strategy);
  g_autofree char *modified = format_modified (bnd_sketch_get_modified (sketch));
  g_autoptr(GPtrArray) issues = bnd_sketch_validate (sketch, cli->strategy);
  static const char *link_labels[BND_N_LINKS] = {
    N_("Strategic goals"), N_("Cross-cutting goals"), N_("Fields of action"), N_("Focus topics"), N_("Landkreise"),
  };

  /* A sketch may come from anyone: bnd_cli_safe() keeps its words from steering the terminal. */
  g_print ("%s\n", bnd_cli_safe (bnd_sketch_get_title (sketch)));
  g_print ("%-16s %s\n", _("Id:"), bnd_sketch_get_uuid (sketch));
  g_print ("%-16s %s\n", _("Stage:"), bnd_cli_safe (bnd_stage_get_label (bnd_sketch_get_stage (sketch))));
  g_print ("%-16s %s\n", _("Modified:"), modified);
  g_print ("%-16s %s\n", _("Carrier:"), bnd_cli_safe (bnd_sketch_get_carrier (sketch)));
  g_print ("%-16s %s\n", _("Contact:"), bnd_cli_safe (bnd_sketch_get_contact (sketch)));
  g_print ("%-16s %d\n", _("Funding object:"), bnd_sketch_get_funding_object (sketch));
  g_print ("%-16s %s – %s\n", _("Duration:"), bnd_cli_safe (bnd_sketch_get_start (sketch)),
           bnd_cli_safe (bnd_sketch_get_end (sketch)));
  for (guint kind = 0; kind < BND_N_LINKS; kind++)
    {
      GPtrArray *links = bnd_sketch_get_links (sketch, kind);
      g_autoptr(GString) ids = g_string_new (NULL);

      for (guint i = 0; i < links->len; i++)
        g_string_append_printf (ids, "%s%s", i ? ", " : "", (char *)g_ptr_array_index (links, i));
      g_print ("%-16s %s\n", _(link_labels[kind]), bnd_cli_safe (ids->str));
    }

  for (guint i = 0; i < sections->len; i++)
    {
      const BndTemplateSection *section = g_ptr_array_index (sections, i);
      const char *text = bnd_sketch_get_section (sketch, section->id);

      g_print ("\n== %s [%s]\n%s\n", bnd_template_section_get_title (section), section->id, *text ? bnd_cli_safe_text (text) : _("(empty)"));
    }

  print_conditions (cli, sketch);

  if (issues->len > 0)
    {
      g_print ("\n%s\n", _("Still to do:"));
      for (guint i = 0; i < issues->len; i++)
        {
          BndSketchIssue *issue = g_ptr_array_index (issues, i);

          g_print ("  - %s\n", bnd_cli_safe (issue->message));
          if (issue->source != NULL)
            /* Translators: before where the strategy states the condition */
            g_print ("    %s %s\n", _("Source:"), bnd_cli_safe (issue->source));
        }
    }
}

int
bnd_cli_cmd_show (BndCli *cli,
                  int     argc,
                  char  **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the sketch as a .bndsketch document"), NULL },
    { NULL }
  };
  g_autoptr(BndSketch) sketch = NULL;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("show", "ID", _("Show a sketch. ID may be the start of its id."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bnd_cli_bad_input (_("show needs one sketch id"));
  if (!(sketch = bnd_cli_load_sketch (cli, argv[1], &status)))
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
known_section (BndCli     *cli,
               const char *id)
{
  GPtrArray *sections = bnd_strategy_get_template_sections (cli->strategy);

  for (guint i = 0; i < sections->len; i++)
    if (g_str_equal (((BndTemplateSection *)g_ptr_array_index (sections, i))->id, id))
      return TRUE;
  return FALSE;
}

/* "edit ID --confirm ID": what a carrier ticks in the editor's funding conditions. */
static int
confirm_conditions (BndCli     *cli,
                    const char *uuid,
                    GStrv       confirm,
                    GStrv       unconfirm)
{
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GError) error = NULL;
  GStrv lists[] = { confirm, unconfirm };
  int status = EXIT_OK;

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; lists[l] && lists[l][i]; i++)
      {
        const BndCondition *condition = bnd_strategy_find_condition (cli->strategy, lists[l][i]);

        if (condition == NULL || condition->kind != BND_CONDITION_CONFIRMATION)
          return bnd_cli_bad_input (_("the strategy has no condition “%s” to confirm; "
                                      "“buendnis-cli show ID” lists them"),
                                    bnd_cli_safe (lists[l][i]));
      }

  if (!(sketch = bnd_cli_load_editable_sketch (cli, uuid, &status)))
    return status;
  for (guint i = 0; confirm && confirm[i]; i++)
    bnd_sketch_set_confirmed (sketch, confirm[i], TRUE);
  for (guint i = 0; unconfirm && unconfirm[i]; i++)
    bnd_sketch_set_confirmed (sketch, unconfirm[i], FALSE);
  if (!bnd_store_save (cli->store, sketch, &error))
    return bnd_cli_failed (error);
  return EXIT_OK;
}

int
bnd_cli_cmd_edit (BndCli *cli,
                  int     argc,
                  char  **argv)
{
  g_autofree char *section = NULL;
  g_autofree char *text = NULL;
  g_autofree char *file = NULL;
  g_auto(GStrv) confirm = NULL;
  g_auto(GStrv) unconfirm = NULL;
  GOptionEntry entries[] = {
    { "section", 's', 0, G_OPTION_ARG_STRING, &section, N_("The template section to change"), N_("SECTION") },
    { "confirm", 0, 0, G_OPTION_ARG_STRING_ARRAY, &confirm,
      N_("Confirm a funding condition (its id as “show” lists it); may be repeated"), N_("ID") },
    { "unconfirm", 0, 0, G_OPTION_ARG_STRING_ARRAY, &unconfirm,
      N_("Take a confirmation back; may be repeated"), N_("ID") },
    { "text", 't', 0, G_OPTION_ARG_STRING, &text, N_("The new text of the section"), N_("TEXT") },
    { "file", 'f', 0, G_OPTION_ARG_FILENAME, &file, N_("Read the new text from FILE (- for standard input)"), N_("FILE") },
    { NULL }
  };
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("edit", "ID (--section SECTION (--text TEXT | --file FILE) | --confirm ID …)",
                              _("Replace the text of one section of a sketch, or confirm its funding conditions."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bnd_cli_bad_input (_("edit needs one sketch id"));
  if (!bnd_cli_open_strategy (cli, &error))
    return bnd_cli_failed (error);
  if (section == NULL && (confirm != NULL || unconfirm != NULL))
    return confirm_conditions (cli, argv[1], confirm, unconfirm);
  if (section == NULL)
    return bnd_cli_bad_input (_("edit needs --section; see “buendnis-cli template” for the ids"));
  if ((text == NULL) == (file == NULL))
    return bnd_cli_bad_input (_("edit needs either --text or --file"));
  if (confirm != NULL || unconfirm != NULL)
    return bnd_cli_bad_input (_("edit changes a section or confirmations, not both at once"));
  if (!known_section (cli, section))
    return bnd_cli_bad_input (_("the template has no section “%s”; see “buendnis-cli template”"),
                              section);

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
            return bnd_cli_failed (error);
          length = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)) - 1;
          contents = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
        }
      else if (!g_file_get_contents (file, &contents, &length, &error))
        return bnd_cli_bad_input ("%s", error->message);

      if (!g_utf8_validate (contents, length, NULL) || strlen (contents) != length)
        return bnd_cli_bad_input (_("%s is not UTF-8 text"), file);
      text = g_steal_pointer (&contents);
    }

  if (g_utf8_strlen (text, -1) > BND_SKETCH_MAX_TEXT)
    return bnd_cli_bad_input (_("the text is longer than %d characters"), BND_SKETCH_MAX_TEXT);

  if (!(sketch = bnd_cli_load_editable_sketch (cli, argv[1], &status)))
    return status;
  bnd_sketch_set_section (sketch, section, text);
  if (!bnd_store_save (cli->store, sketch, &error))
    return bnd_cli_failed (error);
  return EXIT_OK;
}

static BndSketch *
read_sketch_file (BndCli      *cli,
                  const char  *path,
                  int         *status)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  BndSketch *sketch;

  if (!bnd_cli_open_strategy (cli, &error))
    {
      *status = bnd_cli_failed (error);
      return NULL;
    }

  /* Refuse absurd files before reading them into memory. */
  if (!(info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                  G_FILE_QUERY_INFO_NONE, NULL, &error)))
    {
      *status = bnd_cli_bad_input ("%s: %s", path, error->message);
      return NULL;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      *status = bnd_cli_bad_input (_("%s: not a file"), path);
      return NULL;
    }
  if (g_file_info_get_size (info) > BND_SKETCH_MAX_FILE_SIZE)
    {
      *status = bnd_cli_bad_input (_("%s: the file is too large for a sketch"), path);
      return NULL;
    }

  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, &error))
    {
      *status = bnd_cli_bad_input ("%s: %s", path, error->message);
      return NULL;
    }

  if (!(sketch = bnd_sketch_new_from_data (contents, length, path, cli->strategy, &error)))
    {
      /* Messages from the JSON checks already name the file. */
      if (g_str_has_prefix (error->message, path))
        *status = bnd_cli_bad_input ("%s", error->message);
      else
        *status = bnd_cli_bad_input ("%s: %s", path, error->message);
    }
  return sketch;
}

int
bnd_cli_cmd_import (BndCli *cli,
                    int     argc,
                    char  **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(BndSketch) existing = NULL;
  g_autoptr(GError) error = NULL;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("import", "FILE.bndsketch", _("Import a sketch file. Everything is checked first; a "
                                                            "file with any problem imports nothing."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bnd_cli_bad_input (_("import needs one file"));
  if (!(sketch = read_sketch_file (cli, argv[1], &status)))
    return status;
  if (!bnd_cli_open_store (cli, &error))
    return bnd_cli_failed (error);

  /* A newer copy of a sketch we have replaces it, and the state it replaces stays as a version. */
  existing = bnd_store_load (cli->store, bnd_sketch_get_uuid (sketch), cli->strategy, NULL);
  if (existing != NULL && !bnd_procedure_may_edit_sketch (bnd_sketch_get_stage (existing), &error))
    return bnd_cli_bad_input (_("“%s” cannot be changed: %s"), bnd_sketch_get_title (existing), error->message);
  if (existing != NULL && !bnd_store_add_version (cli->store, existing, "import", &error))
    return bnd_cli_failed (error);
  if (!bnd_store_save (cli->store, sketch, &error))
    return bnd_cli_failed (error);

  g_print ("%s\n", bnd_sketch_get_uuid (sketch));
  return EXIT_OK;
}

/* Writes the PDF unless it is over the limit and @strict; warns when over the limit. */
static int
write_pdf (BndCli     *cli,
           BndSketch  *sketch,
           const char *output,
           gboolean    strict)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  BndPageBudget budget = { 0 };
  int status = EXIT_OK;

  if (!(pdf = bnd_pdf_render (sketch, cli->strategy, &budget, &error)))
    return bnd_cli_failed (error);

  if (budget.n_pages > budget.page_limit)
    {
      g_autofree char *used = bnd_format_decimal (budget.used_pages, 1, bnd_locale_current ());

      /* Translators: "3,6 pages, more than the 3 allowed; page 3 ends in „Vorgehen und Arbeitsplan“" */
      g_printerr (_("buendnis-cli: warning: the sketch has %s pages, more than the %u allowed; page %u ends in „%s“\n"),
                  used, budget.page_limit, budget.page_limit,
                  bnd_cli_safe (budget.overflow_title));
      if (strict)
        {
          bnd_page_budget_clear (&budget);
          return EXIT_OVER_LIMIT;
        }
    }
  bnd_page_budget_clear (&budget);

  if (!g_file_set_contents (output, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error))
    return bnd_cli_failed (error);
  return status;
}

int
bnd_cli_cmd_export (BndCli *cli,
                    int     argc,
                    char  **argv)
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

  if (!bnd_cli_parse_options ("export", "ID -o FILE.pdf|FILE.bndsketch", _("Export a sketch as PDF or as a sketch file."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bnd_cli_bad_input (_("export needs one sketch id"));
  if (output == NULL)
    return bnd_cli_bad_input (_("export needs -o FILE.pdf or -o FILE.bndsketch"));
  if (!g_str_has_suffix (output, ".pdf") && !g_str_has_suffix (output, ".bndsketch"))
    return bnd_cli_bad_input (_("%s: the file name must end in .pdf or .bndsketch"), output);
  if (g_str_has_suffix (output, ".pdf"))
    bnd_pdf_prepare ();
  if (!(sketch = bnd_cli_load_sketch (cli, argv[1], &status)))
    {
      /* What bnd_pdf_prepare() started ends before the process does */
      bnd_pdf_finish_load (NULL);
      return status;
    }

  if (g_str_has_suffix (output, ".bndsketch"))
    {
      gsize length;
      g_autofree char *data = bnd_sketch_to_data (sketch, &length);

      if (!g_file_set_contents (output, data, length, &error))
        return bnd_cli_failed (error);
      return EXIT_OK;
    }

  status = write_pdf (cli, sketch, output, strict);
  /* An export is a moment worth keeping in the history. */
  if (status == EXIT_OK && !bnd_store_add_version (cli->store, sketch, "export", &error))
    return bnd_cli_failed (error);
  return status;
}

int
bnd_cli_cmd_export_pdf (BndCli *cli,
                        int     argc,
                        char  **argv)
{
  gboolean strict = FALSE;
  GOptionEntry entries[] = {
    { "strict", 0, 0, G_OPTION_ARG_NONE, &strict, N_("Fail with status 3 when the PDF is over the page limit"), NULL },
    { NULL }
  };
  g_autoptr(BndSketch) sketch = NULL;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("export-pdf", "FILE.bndsketch OUT.pdf", _("Render a sketch file to PDF without the store."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return bnd_cli_bad_input (_("export-pdf needs a sketch file and an output file"));
  bnd_pdf_prepare ();
  if ((sketch = read_sketch_file (cli, argv[1], &status)))
    status = write_pdf (cli, sketch, argv[2], strict);
  /* What bnd_pdf_prepare() started ends before the process does, also when the file was refused */
  bnd_pdf_finish_load (NULL);
  return status;
}

int
bnd_cli_cmd_pages (BndCli *cli,
                   int     argc,
                   char  **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GError) error = NULL;
  BndPageBudget budget = { 0 };
  g_autofree char *used = NULL;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("pages", "ID|FILE.bndsketch", _("Show how many of the allowed pages a sketch fills."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bnd_cli_bad_input (_("pages needs a sketch id or file"));

  sketch = g_str_has_suffix (argv[1], ".bndsketch") ? read_sketch_file (cli, argv[1], &status)
                                                    : bnd_cli_load_sketch (cli, argv[1], &status);
  if (sketch == NULL)
    return status;
  if (!bnd_pdf_measure (sketch, cli->strategy, &budget, &error))
    return bnd_cli_failed (error);

  used = bnd_format_decimal (budget.used_pages, 1, bnd_locale_current ());
  /* Translators: the page budget, "2,4 of 3 pages" */
  g_print (_("%s of %u pages\n"), used, budget.page_limit);
  if (budget.overflow_title != NULL)
    g_print (_("Page %u ends in „%s“.\n"), budget.page_limit, bnd_cli_safe (budget.overflow_title));
  status = budget.n_pages > budget.page_limit ? EXIT_OVER_LIMIT : EXIT_OK;
  bnd_page_budget_clear (&budget);
  return status;
}

int
bnd_cli_cmd_history (BndCli *cli,
                     int     argc,
                     char  **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GError) error = NULL;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("history", "ID", _("List the versions of a sketch."), entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bnd_cli_bad_input (_("history needs one sketch id"));
  if (!(sketch = bnd_cli_load_sketch (cli, argv[1], &status)))
    return status;
  if (!(versions = bnd_store_list_versions (cli->store, bnd_sketch_get_uuid (sketch), &error)))
    return bnd_cli_failed (error);

  for (guint i = 0; i < versions->len; i++)
    {
      BndVersion *version = g_ptr_array_index (versions, i);
      g_autofree char *created = format_modified (version->created);

      g_print ("%" G_GINT64_FORMAT "\t%s\t%s\n", version->id, created, bnd_cli_safe (version->reason));
    }
  return EXIT_OK;
}

int
bnd_cli_cmd_snapshot (BndCli *cli,
                      int     argc,
                      char  **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GError) error = NULL;
  int status = EXIT_OK;

  if (!bnd_cli_parse_options ("snapshot", "ID",
                              _("Keep the current state of a sketch as a version."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return bnd_cli_bad_input (_("snapshot needs one sketch id"));
  if (!(sketch = bnd_cli_load_sketch (cli, argv[1], &status)))
    return status;
  if (!bnd_store_add_version (cli->store, sketch, "snapshot", &error))
    return bnd_cli_failed (error);
  return EXIT_OK;
}

int
bnd_cli_cmd_restore (BndCli *cli,
                     int     argc,
                     char  **argv)
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

  if (!bnd_cli_parse_options ("restore", "ID --version N",
                              _("Make an earlier version current again. The current state stays in the history."),
                              entries, &argc, &argv, &status))
    return status;
  if (argc != 2 || version_id <= 0)
    return bnd_cli_bad_input (_("restore needs a sketch id and --version N"));
  if (!(sketch = bnd_cli_load_editable_sketch (cli, argv[1], &status)))
    return status;
  if (!(old = bnd_store_load_version (cli->store, version_id, &error)))
    return bnd_cli_bad_input ("%s", error->message);
  if (!g_str_equal (bnd_sketch_get_uuid (old), bnd_sketch_get_uuid (sketch)))
    return bnd_cli_bad_input (_("version %lld belongs to another sketch"), (long long)version_id);

  /* Nothing is overwritten: the current state is kept, then the old one becomes a new version.
   * The content comes back, not the stage it was at then: that is the server's. */
  if (!bnd_store_add_version (cli->store, sketch, "snapshot", &error))
    return bnd_cli_failed (error);
  bnd_sketch_set_stage (old, bnd_sketch_get_stage (sketch));
  bnd_sketch_set_times (old, bnd_sketch_get_created (sketch), g_get_real_time () / G_USEC_PER_SEC);
  if (!bnd_store_add_version (cli->store, old, "restore", &error))
    return bnd_cli_failed (error);
  return EXIT_OK;
}
