/* bnd-portfolio-page.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-portfolio-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bnd-bar-chart.h"
#include "bnd-indicator.h"
#include "bnd-json-check.h"
#include "bnd-portfolio-csv.h"
#include "bnd-page-util.h"
#include "bnd-portfolio-page.h"
#include "bnd-portfolio-renderer.h"
#include "bnd-portfolio-xlsx.h"
#include "bnd-dossier-steps.h"
#include "bnd-stage.h"

/* The portfolio of all submitted dossiers, from the last sync: totals, dossiers by stage, the
 * coverage of strategic goals × Landkreise with its gaps marked, and the money requested and
 * approved per Fördergegenstand. */

struct _BndPortfolioPage
{
  GtkWidget  parent_instance;

  GtkWidget   *stack;
  GtkWidget   *scroller;

  JsonNode    *portfolio;
  BndStrategy *strategy;
};

G_DEFINE_FINAL_TYPE (BndPortfolioPage, bnd_portfolio_page, GTK_TYPE_WIDGET)

static JsonObject *
object_of (JsonObject *object,
           const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static GtkWidget *
heading (const char *text,
         const char *description)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (box), label);
  if (description)
    {
      GtkWidget *detail = gtk_label_new (description);

      gtk_label_set_xalign (GTK_LABEL (detail), 0);
      gtk_label_set_wrap (GTK_LABEL (detail), TRUE);
      gtk_widget_add_css_class (detail, "dim-label");
      gtk_widget_add_css_class (detail, "caption");
      gtk_box_append (GTK_BOX (box), detail);
    }
  return box;
}

/* A sum as the funding chart shows it: digits grouped in the user's locale, as in "558.000 €". */
static char *
format_sum (JsonObject *portfolio,
            const char *name)
{
  return bnd_format_money_whole (json_object_get_double_member_with_default (portfolio, name, 0),
                                 bnd_locale_current ());
}

static GtkWidget *
totals_group (JsonObject *portfolio)
{
  GtkWidget *group = adw_preferences_group_new ();
  JsonNode *dossiers = json_object_get_member (portfolio, "dossiers");
  guint n = dossiers && JSON_NODE_HOLDS_ARRAY (dossiers) ? json_array_get_length (json_node_get_array (dossiers)) : 0;
  g_autofree char *count = g_strdup_printf ("%u", n);
  g_autofree char *requested = format_sum (portfolio, "requested");
  g_autofree char *approved = format_sum (portfolio, "approved");
  const char *titles[] = { _("Submitted dossiers"), _("Requested"), _("Approved") };
  const char *values[] = { count, requested, approved };

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Portfolio"));
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *label = gtk_label_new (values[i]);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), titles[i]);
      gtk_widget_add_css_class (label, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  return group;
}

static GtkWidget *
stage_chart (JsonObject *portfolio)
{
  JsonObject *by_stage = object_of (portfolio, "by_stage");
  const char *series[] = { _("Dossiers") };
  GtkWidget *chart = bnd_bar_chart_new ();
  const char *stage;

  bnd_bar_chart_set_series (BND_BAR_CHART (chart), 1, series);
  /* Every stage past the draft, so that an empty stage shows as empty. */
  for (guint i = 1; (stage = bnd_stage_get_nth (i)); i++)
    {
      double count = by_stage ? json_object_get_int_member_with_default (by_stage, stage, 0) : 0;

      bnd_bar_chart_add_category (BND_BAR_CHART (chart), bnd_stage_get_label (stage), &count, FALSE);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Dossiers by stage"), -1);
  return chart;
}

static GtkWidget *
cell_label (const char *text,
            const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, css_class);
  gtk_label_set_xalign (GTK_LABEL (label), 0.5);
  return label;
}

/* Goals down, Landkreise across; a cell without any dossier is a gap and is marked as one. */
static GtkWidget *
coverage_grid (JsonObject  *portfolio,
               BndStrategy *strategy)
{
  JsonObject *coverage = object_of (portfolio, "coverage");
  GPtrArray *goals = bnd_strategy_get_goals (strategy);
  GPtrArray *districts = bnd_strategy_get_districts (strategy);
  GtkWidget *grid = gtk_grid_new ();
  /* Every Landkreis column as wide as the widest, whatever the length of its name. */
  g_autoptr(GtkSizeGroup) columns = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);
  guint row = 1;

  gtk_grid_set_column_spacing (GTK_GRID (grid), 4);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_widget_add_css_class (grid, "coverage");
  for (guint d = 0; d < districts->len; d++)
    {
      const BndDistrict *district = g_ptr_array_index (districts, d);
      GtkWidget *label = cell_label (district->short_name, "caption-heading");

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 8);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
      gtk_widget_set_valign (label, GTK_ALIGN_END);
      gtk_size_group_add_widget (columns, label);
      gtk_grid_attach (GTK_GRID (grid), label, d + 1, 0, 1, 1);
    }
  for (guint g = 0; g < goals->len; g++)
    {
      const BndGoal *goal = g_ptr_array_index (goals, g);
      JsonObject *counts = object_of (coverage, goal->id);
      g_autofree char *title = g_strdup_printf ("%s %s", goal->id, goal->title);
      GtkWidget *label;

      if (counts == NULL)
        continue;
      label = gtk_label_new (title);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      /* Two lines, then an ellipsis; the tooltip has the whole title. */
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_lines (GTK_LABEL (label), 2);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_set_tooltip_text (label, title);
      gtk_grid_attach (GTK_GRID (grid), label, 0, row, 1, 1);
      for (guint d = 0; d < districts->len; d++)
        {
          const BndDistrict *district = g_ptr_array_index (districts, d);
          gint64 n = json_object_get_int_member_with_default (counts, district->id, 0);
          g_autofree char *text = g_strdup_printf ("%lld", (long long)n);
          g_autofree char *description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s in %s: %lld dossier",
                                                                       "%s in %s: %lld dossiers", n),
                                                          goal->id, district->short_name, (long long)n);
          GtkWidget *cell = cell_label (n ? text : "–", n ? "covered" : "gap");

          gtk_widget_set_size_request (cell, 64, -1);
          gtk_size_group_add_widget (columns, cell);
          gtk_widget_set_tooltip_text (cell, description);
          gtk_accessible_update_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
          gtk_grid_attach (GTK_GRID (grid), cell, d + 1, row, 1, 1);
        }
      row++;
    }
  return grid;
}

/* The coverage as a list that the keyboard walks a goal at a time: a row per goal that says its
 * count in every Landkreis, gaps by name. */
static GtkWidget *
coverage_list (JsonObject  *portfolio,
               BndStrategy *strategy)
{
  JsonObject *coverage = object_of (portfolio, "coverage");
  GPtrArray *goals = bnd_strategy_get_goals (strategy);
  GPtrArray *districts = bnd_strategy_get_districts (strategy);
  GtkWidget *list = bnd_boxed_list_new ();

  for (guint g = 0; g < goals->len; g++)
    {
      const BndGoal *goal = g_ptr_array_index (goals, g);
      JsonObject *counts = object_of (coverage, goal->id);
      g_autofree char *title = g_strdup_printf ("%s %s", goal->id, goal->title);
      g_autoptr(GString) figures = g_string_new (NULL);
      GtkWidget *row;

      if (counts == NULL)
        continue;
      for (guint d = 0; d < districts->len; d++)
        {
          const BndDistrict *district = g_ptr_array_index (districts, d);
          gint64 n = json_object_get_int_member_with_default (counts, district->id, 0);

          if (figures->len > 0)
            g_string_append (figures, " · ");
          if (n == 0)
            /* Translators: a Landkreis where no dossier covers a goal, as in "Celle: gap" */
            g_string_append_printf (figures, _("%s: gap"), district->short_name);
          else
            g_string_append_printf (figures, "%s: %lld", district->short_name, (long long)n);
        }
      row = bnd_text_row_new (title, figures->str);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, figures->str, -1);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  return list;
}

static GtkWidget *
funding_chart (JsonObject  *portfolio,
               BndStrategy *strategy)
{
  JsonObject *by_funding = object_of (portfolio, "by_funding_object");
  GPtrArray *objects = bnd_strategy_get_funding_objects (strategy);
  const char *series[] = { _("Requested"), _("Approved") };
  GtkWidget *chart = bnd_bar_chart_new ();

  bnd_bar_chart_set_series (BND_BAR_CHART (chart), 2, series);
  bnd_bar_chart_set_unit (BND_BAR_CHART (chart), "€");
  for (guint f = 0; f < objects->len; f++)
    {
      const BndFundingObject *object = g_ptr_array_index (objects, f);
      g_autofree char *key = g_strdup_printf ("%d", object->number);
      JsonObject *sums = object_of (by_funding, key);
      double values[2] = {
        sums ? json_object_get_double_member_with_default (sums, "requested", 0) : 0,
        sums ? json_object_get_double_member_with_default (sums, "approved", 0) : 0,
      };
      /* Translators: a Fördergegenstand with its number of dossiers */
      g_autofree char *label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s (%lld dossier)", "%s (%lld dossiers)",
                                                             sums ? json_object_get_int_member_with_default (sums, "count", 0) : 0),
                                                object->title,
                                                (long long)(sums ? json_object_get_int_member_with_default (sums, "count", 0) : 0));

      bnd_bar_chart_add_category (BND_BAR_CHART (chart), label, values, FALSE);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Requested and approved funding by Fördergegenstand"), -1);
  return chart;
}

/* The exports differ only in what they write and what they say about it. */
typedef struct
{
  const char *dialog_title;
  const char *filter_name;
  const char *mime_type;
  const char *file_name;
  const char *done;
  GBytes    *(*render)      (BndStrategy  *strategy,
                             JsonNode     *portfolio,
                             GError      **error);
} ExportFormat;

/* One export on its way: rendered on a worker, then written to @file */
typedef struct
{
  BndPortfolioPage   *self;
  const ExportFormat *format;
  BndStrategy        *strategy;
  JsonNode           *portfolio;
  GFile              *file;
} Export;

static void
export_free (Export *job)
{
  g_clear_object (&job->self);
  g_clear_object (&job->strategy);
  g_clear_pointer (&job->portfolio, json_node_unref);
  g_clear_object (&job->file);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Export, export_free)

/* The report as the alliance files it: the same renderer as `buendnis-cli portfolio --pdf`. */
static GBytes *
render_pdf (BndStrategy  *strategy,
            JsonNode     *portfolio,
            GError      **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return bnd_portfolio_render_pdf (strategy, portfolio, now, error);
}

/* The workbook for people: the same bytes as `buendnis-cli portfolio --xlsx`. */
static GBytes *
render_xlsx (BndStrategy  *strategy,
             JsonNode     *portfolio,
             GError      **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return bnd_portfolio_to_xlsx (strategy, portfolio, now, bnd_locale_current (), error);
}

/* One line per dossier for scripts: the same text as `buendnis-cli portfolio --csv`. */
static GBytes *
render_csv (BndStrategy  *strategy,
            JsonNode     *portfolio,
            GError      **error)
{
  char *csv = bnd_portfolio_to_csv (portfolio);

  return g_bytes_new_take (csv, strlen (csv));
}

static const ExportFormat pdf_format = {
  N_("Export the Portfolio as PDF"), N_("PDF documents"), "application/pdf", "Portfolio.pdf",
  N_("Portfolio report exported"), render_pdf,
};

static const ExportFormat csv_format = {
  N_("Export the Portfolio as CSV"), N_("CSV files"), "text/csv", "Portfolio.csv",
  N_("Portfolio exported as CSV"), render_csv,
};

static const ExportFormat xlsx_format = {
  N_("Export the Portfolio as a Spreadsheet"), N_("Spreadsheets (.xlsx)"),
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", N_("Portfolio.xlsx"),
  N_("Portfolio exported as a spreadsheet"), render_xlsx,
};

static void
show_export_result (BndPortfolioPage   *self,
                    const ExportFormat *format,
                    const GError       *error)
{
  g_autofree char *message = NULL;

  if (error && format == &csv_format)
    message = g_strdup_printf (_("Could not export the CSV: %s"), error->message);
  else if (error && format == &xlsx_format)
    message = g_strdup_printf (_("Could not export the spreadsheet: %s"), error->message);
  else if (error)
    message = g_strdup_printf (_("Could not export the PDF: %s"), error->message);
  else
    message = g_strdup (_(format->done));
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", message);
}

static void
export_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Export) job = user_data;
  g_autoptr(GError) error = NULL;

  g_file_replace_contents_finish (G_FILE (object), result, NULL, &error);
  show_export_result (job->self, job->format, error);
}

/* On a worker: the strategy and the portfolio node are not changed once loaded, and the job
 * holds its own references to them, so a reload of the page meanwhile does not matter. */
static void
render_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Export *job = task_data;
  GError *error = NULL;
  GBytes *bytes = job->format->render (job->strategy, job->portfolio, &error);

  if (bytes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify)g_bytes_unref);
}

static void
export_rendered_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Export *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_task_propagate_pointer (G_TASK (result), &error);
  Export *written;

  if (bytes == NULL)
    {
      show_export_result (job->self, job->format, error);
      return;
    }
  written = g_new0 (Export, 1);
  written->self = g_object_ref (job->self);
  written->format = job->format;
  g_file_replace_contents_bytes_async (job->file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                                       export_written_cb, written);
}

static void
on_export_response_cb (GtkNativeDialog  *dialog,
                       int               response,
                       BndPortfolioPage *self)
{
  const ExportFormat *format = g_object_get_data (G_OBJECT (dialog), "export-format");
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) &&
      self->portfolio != NULL)
    {
      g_autoptr(GTask) task = g_task_new (NULL, NULL, export_rendered_cb, NULL);
      Export *job = g_new0 (Export, 1);

      job->self = g_object_ref (self);
      job->format = format;
      job->strategy = g_object_ref (self->strategy);
      job->portfolio = json_node_ref (self->portfolio);
      job->file = g_steal_pointer (&file);
      g_task_set_source_tag (task, on_export_response_cb);
      g_task_set_task_data (task, job, (GDestroyNotify)export_free);
      g_task_run_in_thread (task, render_in_thread);
    }
  g_object_unref (dialog);
}

static void
choose_file_and_export (BndPortfolioPage   *self,
                        const ExportFormat *format)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_(format->dialog_title),
                                        GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _(format->filter_name));
  gtk_file_filter_add_mime_type (filter, format->mime_type);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), _(format->file_name));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_object_set_data (G_OBJECT (dialog), "export-format", (gpointer)format);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_export_pdf_clicked_cb (BndPortfolioPage *self)
{
  choose_file_and_export (self, &pdf_format);
}

static void
on_export_csv_clicked_cb (BndPortfolioPage *self)
{
  choose_file_and_export (self, &csv_format);
}

static void
on_export_xlsx_clicked_cb (BndPortfolioPage *self)
{
  choose_file_and_export (self, &xlsx_format);
}

static GtkWidget *
export_buttons (BndPortfolioPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *pdf = gtk_button_new_with_mnemonic (_("_Export PDF…"));
  GtkWidget *xlsx = gtk_button_new_with_mnemonic (_("Export _Spreadsheet…"));
  GtkWidget *csv = gtk_button_new_with_mnemonic (_("Export _CSV…"));

  gtk_widget_add_css_class (pdf, "flat");
  gtk_widget_add_css_class (xlsx, "flat");
  gtk_widget_add_css_class (csv, "flat");
  gtk_widget_set_tooltip_text (xlsx, _("A workbook for Excel or LibreOffice: a sheet per view, amounts and dates "
                                       "as numbers and dates, headers in the interface language"));
  gtk_widget_set_tooltip_text (csv, _("One line per dossier for scripts: English column names, ids, a dot "
                                      "as the decimal separator"));
  g_signal_connect_swapped (pdf, "clicked", G_CALLBACK (on_export_pdf_clicked_cb), self);
  g_signal_connect_swapped (xlsx, "clicked", G_CALLBACK (on_export_xlsx_clicked_cb), self);
  g_signal_connect_swapped (csv, "clicked", G_CALLBACK (on_export_csv_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), pdf);
  gtk_box_append (GTK_BOX (box), xlsx);
  gtk_box_append (GTK_BOX (box), csv);
  return box;
}

/* How many of the statements due the portfolio lists before a "show all" row: the soonest and
 * the overdue ones are what the coordination acts on; a seat with a thousand dossiers has a few
 * hundred due, more than anyone reads in an overview. */
#define DUE_SHOWN 10

static GtkWidget *
statement_due_row (const BndStatementDue *due,
                   gint64                 now)
{
  gboolean overdue;
  g_autofree char *text = bnd_statement_due_describe (due->due, now, &overdue);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (text);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), due->title);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 36);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_add_css_class (label, overdue ? "overdue" : "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.show-dossier");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", due->uuid);
  return row;
}

/* "Show all": the rest of the statements due, built only when asked for. */
static void
on_show_all_due_activated_cb (AdwActionRow *more,
                              GtkWidget    *group)
{
  GPtrArray *dues = g_object_get_data (G_OBJECT (group), "statements-due");
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (more));
  for (guint i = DUE_SHOWN; dues && i < dues->len; i++)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), statement_due_row (g_ptr_array_index (dues, i), now));
}

/* The dossiers whose two weeks to the statement run (strategy §4.1), soonest first, overdue in
 * red, as bnd-review-data.c read them. NULL when there is none. */
static GtkWidget *
statements_due_group (GPtrArray *dues)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  GtkWidget *group;

  if (dues == NULL || dues->len == 0)
    return NULL;

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Statements Due"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Strategy §4.1: the Lenkungskreis gives its statement about two weeks after the long form"));
  for (guint i = 0; i < dues->len && i < DUE_SHOWN; i++)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), statement_due_row (g_ptr_array_index (dues, i), now));
  if (dues->len > DUE_SHOWN)
    {
      GtkWidget *more = adw_action_row_new ();
      g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Show All %u Statement Due",
                                                             "Show All %u Statements Due", dues->len),
                                                dues->len);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (more), title);
      adw_action_row_add_suffix (ADW_ACTION_ROW (more), gtk_image_new_from_icon_name ("go-down-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (more), TRUE);
      g_object_set_data_full (G_OBJECT (group), "statements-due", g_ptr_array_ref (dues),
                              (GDestroyNotify)g_ptr_array_unref);
      g_signal_connect (more, "activated", G_CALLBACK (on_show_all_due_activated_cb), group);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), more);
    }
  return group;
}

/**
 * bnd_portfolio_page_reload:
 *
 * @data: what bnd_review_data_read_async() read from the profile
 *
 * Shows the portfolio @data holds; the reading was done on the store's worker.
 *
 * Returns: whether the profile holds a portfolio (the coordination's and partners' seats)
 */
gboolean
bnd_portfolio_page_reload (BndPortfolioPage    *self,
                           const BndReviewData *data,
                           BndStrategy         *strategy)
{
  JsonNode *node = data ? data->portfolio : NULL;
  JsonObject *portfolio = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  GtkWidget *clamp, *box;

  g_return_val_if_fail (BND_IS_PORTFOLIO_PAGE (self), FALSE);

  if (portfolio == NULL || strategy == NULL)
    {
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
      return FALSE;
    }

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (box, 24);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  {
    GtkWidget *group = totals_group (portfolio);

    adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), export_buttons (self));
    gtk_box_append (GTK_BOX (box), group);
  }
  g_clear_pointer (&self->portfolio, json_node_unref);
  self->portfolio = json_node_ref (node);
  g_set_object (&self->strategy, strategy);
  {
    GtkWidget *due = statements_due_group (data->statements_due);

    if (due)
      gtk_box_append (GTK_BOX (box), due);
  }
  gtk_box_append (GTK_BOX (box), heading (_("Dossiers by Stage"), NULL));
  {
    GtkWidget *chart = stage_chart (portfolio);

    gtk_box_append (GTK_BOX (box), bnd_figures_with_table_new (chart, bnd_bar_chart_table_new (BND_BAR_CHART (chart))));
  }
  gtk_box_append (GTK_BOX (box), heading (_("Coverage of Goals and Landkreise"),
                                          _("Dossiers per strategic goal and Landkreis; red cells are gaps no dossier covers yet")));
  gtk_box_append (GTK_BOX (box), bnd_figures_with_table_new (coverage_grid (portfolio, strategy),
                                                             coverage_list (portfolio, strategy)));
  gtk_box_append (GTK_BOX (box), heading (_("Funding by Fördergegenstand"), _("Requested and approved sums")));
  {
    GtkWidget *chart = funding_chart (portfolio, strategy);

    gtk_box_append (GTK_BOX (box), bnd_figures_with_table_new (chart, bnd_bar_chart_table_new (BND_BAR_CHART (chart))));
  }

  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 860);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), clamp);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "portfolio");
  return TRUE;
}

static void
bnd_portfolio_page_dispose (GObject *object)
{
  BndPortfolioPage *self = (BndPortfolioPage *)object;

  g_clear_pointer (&self->stack, gtk_widget_unparent);
  g_clear_pointer (&self->portfolio, json_node_unref);
  g_clear_object (&self->strategy);

  G_OBJECT_CLASS (bnd_portfolio_page_parent_class)->dispose (object);
}

static void
bnd_portfolio_page_class_init (BndPortfolioPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = bnd_portfolio_page_dispose;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
bnd_portfolio_page_init (BndPortfolioPage *self)
{
  GtkWidget *status = adw_status_page_new ();

  self->stack = gtk_stack_new ();
  gtk_widget_set_parent (self->stack, GTK_WIDGET (self));
  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_stack_add_named (GTK_STACK (self->stack), self->scroller, "portfolio");

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "view-grid-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), _("No Portfolio Yet"));
  adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                   _("The network coordination and the partners' seats see the portfolio after a sync"));
  gtk_stack_add_named (GTK_STACK (self->stack), status, "empty");
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
}

GtkWidget *
bnd_portfolio_page_new (void)
{
  return g_object_new (BND_TYPE_PORTFOLIO_PAGE, NULL);
}
