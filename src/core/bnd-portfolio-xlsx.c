/* bnd-portfolio-xlsx.c: the portfolio as a workbook that opens by double-click
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-portfolio-xlsx"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "bnd-portfolio-xlsx.h"
#include "bnd-module.h"
#include "bnd-stage.h"

/* libxlsxwriter is loaded with the first workbook rather than linked: linked, the dynamic loader
 * mapped and relocated it, minizip and OpenSSL's libcrypto at every start of the app and of every
 * buendnis-cli command (see bnd-module.c). Its functions are called through these pointers; the
 * macros below keep the calls reading as libxlsxwriter's own. The soname is Debian 12's
 * (libxlsxwriter4); test-portfolio-xlsx fails if it is wrong. */
#define XLSXWRITER_SONAME "libxlsxwriter.so.4"

#define XLSX_FUNCTIONS(X) \
  X (format_set_align) \
  X (format_set_bg_color) \
  X (format_set_bold) \
  X (format_set_bottom) \
  X (format_set_font_color) \
  X (format_set_num_format) \
  X (format_set_text_wrap) \
  X (format_set_top) \
  X (lxw_rowcol_to_cell) \
  X (lxw_strerror) \
  X (workbook_add_format) \
  X (workbook_add_worksheet) \
  X (workbook_close) \
  X (workbook_new_opt) \
  X (workbook_set_properties) \
  X (workbook_validate_sheet_name) \
  X (worksheet_autofilter) \
  X (worksheet_fit_to_pages) \
  X (worksheet_freeze_panes) \
  X (worksheet_repeat_rows) \
  X (worksheet_set_column) \
  X (worksheet_set_landscape) \
  X (worksheet_set_paper) \
  X (worksheet_set_row) \
  X (worksheet_write_datetime) \
  X (worksheet_write_formula_num) \
  X (worksheet_write_number) \
  X (worksheet_write_string) \

#define XLSX_SLOT(name) __typeof__ (name) *p_##name;
static struct
{
  XLSX_FUNCTIONS (XLSX_SLOT)
} xlsx;

#define XLSX_SYMBOL(name) { #name, (gpointer *)&xlsx.p_##name },
static const BndModuleSymbol xlsx_symbols[] = { XLSX_FUNCTIONS (XLSX_SYMBOL) };
#undef XLSX_SYMBOL

static BndModule xlsx_module = { XLSXWRITER_SONAME, xlsx_symbols, G_N_ELEMENTS (xlsx_symbols) };

/* From any thread (the portfolio is written on a worker). */
static gboolean
ensure_xlsxwriter (GError **error)
{
  const char *why = bnd_module_ensure (&xlsx_module);

  if (why != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Could not write the spreadsheet: %s"), why);
      return FALSE;
    }
  return TRUE;
}

#define format_set_align xlsx.p_format_set_align
#define format_set_bg_color xlsx.p_format_set_bg_color
#define format_set_bold xlsx.p_format_set_bold
#define format_set_bottom xlsx.p_format_set_bottom
#define format_set_font_color xlsx.p_format_set_font_color
#define format_set_num_format xlsx.p_format_set_num_format
#define format_set_text_wrap xlsx.p_format_set_text_wrap
#define format_set_top xlsx.p_format_set_top
#define lxw_rowcol_to_cell xlsx.p_lxw_rowcol_to_cell
#define lxw_strerror xlsx.p_lxw_strerror
#define workbook_add_format xlsx.p_workbook_add_format
#define workbook_add_worksheet xlsx.p_workbook_add_worksheet
#define workbook_close xlsx.p_workbook_close
#define workbook_new_opt xlsx.p_workbook_new_opt
#define workbook_set_properties xlsx.p_workbook_set_properties
#define workbook_validate_sheet_name xlsx.p_workbook_validate_sheet_name
#define worksheet_autofilter xlsx.p_worksheet_autofilter
#define worksheet_fit_to_pages xlsx.p_worksheet_fit_to_pages
#define worksheet_freeze_panes xlsx.p_worksheet_freeze_panes
#define worksheet_repeat_rows xlsx.p_worksheet_repeat_rows
#define worksheet_set_column xlsx.p_worksheet_set_column
#define worksheet_set_landscape xlsx.p_worksheet_set_landscape
#define worksheet_set_paper xlsx.p_worksheet_set_paper
#define worksheet_set_row xlsx.p_worksheet_set_row
#define worksheet_write_datetime xlsx.p_worksheet_write_datetime
#define worksheet_write_formula_num xlsx.p_worksheet_write_formula_num
#define worksheet_write_number xlsx.p_worksheet_write_number
#define worksheet_write_string xlsx.p_worksheet_write_string

/* What GET /api/v1/portfolio answers, as an Office Open XML workbook with a sheet per view of
 * the Portfolio page: the dossiers one by one, the dossiers by stage, the goals × Landkreise
 * coverage and the sums by Fördergegenstand. Unlike the CSV, which is for scripts, it is for
 * people: headers in the interface language, names instead of ids, amounts as numbers in euros
 * and dates as dates, which the spreadsheet shows in its own conventions and can sum and sort.
 *
 * libxlsxwriter writes to a file only, so the workbook goes to a temporary file that is read
 * back and removed. */

#define MIN_WIDTH 8
#define MAX_WIDTH 50

typedef struct
{
  lxw_workbook *workbook;
  BndStrategy  *strategy;
  JsonObject   *root;
  lxw_format   *header;
  lxw_format   *header_number;   /* right-aligned, over a column of numbers */
  lxw_format   *text;
  lxw_format   *money;
  lxw_format   *money_total;
  lxw_format   *date;
  lxw_format   *count;
  lxw_format   *count_total;
  lxw_format   *count_bold;
  lxw_format   *gap;
  lxw_format   *label_total;
} Workbook;

/* A sheet being written: the widest text of each column, for the widths at the end */
typedef struct
{
  lxw_row_t row;
  lxw_col_t column;
  double    width;
} Text;

typedef struct
{
  lxw_worksheet *sheet;
  GArray        *widths;    /* double */
  GArray        *texts;     /* Text: what may wrap, for the rows' heights */
} Sheet;

static JsonObject *
object_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
array_member (JsonObject *object,
              const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static double
number_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) != G_TYPE_STRING
         ? json_node_get_double (node) : 0;
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : "";
}

static void
widen (Sheet  *sheet,
       guint   column,
       double  width)
{
  if (column >= sheet->widths->len)
    g_array_set_size (sheet->widths, column + 1);
  if (width > g_array_index (sheet->widths, double, column))
    g_array_index (sheet->widths, double, column) = width;
}

/* @numbers: a bit for each column of numbers or dates, whose header goes to the right */
static Sheet *
sheet_new (Workbook    *book,
           const char  *name,
           const char **headers,
           guint64      numbers)
{
  Sheet *sheet = g_new0 (Sheet, 1);

  /* A translation too long for a sheet's name, or with a character Excel refuses there, must
   * not cost the sheet: it gets the spreadsheet's own name ("Sheet1") instead */
  sheet->sheet = workbook_add_worksheet (book->workbook,
                                         workbook_validate_sheet_name (book->workbook, name) == LXW_NO_ERROR
                                         ? name : NULL);
  sheet->widths = g_array_new (FALSE, TRUE, sizeof (double));
  sheet->texts = g_array_new (FALSE, TRUE, sizeof (Text));
  for (guint c = 0; headers[c]; c++)
    {
      worksheet_write_string (sheet->sheet, 0, c, headers[c],
                              c < 64 && (numbers & (G_GUINT64_CONSTANT (1) << c)) ? book->header_number : book->header);
      /* A little room for the autofilter's button */
      widen (sheet, c, g_utf8_strlen (headers[c], -1) + 3);
    }
  /* The header row stays in view while scrolling, and on every printed page */
  worksheet_freeze_panes (sheet->sheet, 1, 0);
  worksheet_repeat_rows (sheet->sheet, 0, 0);
  /* Printed on A4 across, as wide as the page and as long as it takes */
  worksheet_set_paper (sheet->sheet, 9);
  worksheet_set_landscape (sheet->sheet);
  worksheet_fit_to_pages (sheet->sheet, 1, 0);
  return sheet;
}

static double
column_width (Sheet     *sheet,
              lxw_col_t  column)
{
  return CLAMP (g_array_index (sheet->widths, double, column) + 1, MIN_WIDTH, MAX_WIDTH);
}

/* Sets the column widths from what was written, within bounds, and the height of each row
 * whose text wraps in its column: spreadsheets do not measure rows when they open a file, so
 * a long title would run into the next row. Frees @sheet. */
static void
sheet_finish (Sheet *sheet)
{
  g_autoptr(GHashTable) lines = g_hash_table_new (NULL, NULL);
  GHashTableIter iter;
  gpointer row, n;

  for (guint c = 0; c < sheet->widths->len; c++)
    worksheet_set_column (sheet->sheet, c, c, column_width (sheet, c), NULL);
  for (guint i = 0; i < sheet->texts->len; i++)
    {
      const Text *text = &g_array_index (sheet->texts, Text, i);
      /* Most letters are narrower than the "0" that a column's width counts */
      guint needed = (guint)ceil (text->width * 0.85 / (column_width (sheet, text->column) - 1));

      if (needed > GPOINTER_TO_UINT (g_hash_table_lookup (lines, GUINT_TO_POINTER (text->row))))
        g_hash_table_insert (lines, GUINT_TO_POINTER (text->row), GUINT_TO_POINTER (needed));
    }
  g_hash_table_iter_init (&iter, lines);
  while (g_hash_table_iter_next (&iter, &row, &n))
    if (GPOINTER_TO_UINT (n) > 1)
      worksheet_set_row (sheet->sheet, GPOINTER_TO_UINT (row), LXW_DEF_ROW_HEIGHT * GPOINTER_TO_UINT (n), NULL);
  g_array_unref (sheet->texts);
  g_array_unref (sheet->widths);
  g_free (sheet);
}

static void
write_text (Sheet      *sheet,
            lxw_row_t   row,
            lxw_col_t   column,
            const char *text,
            lxw_format *format)
{
  Text wraps = { row, column, g_utf8_strlen (text, -1) };

  worksheet_write_string (sheet->sheet, row, column, text, format);
  widen (sheet, column, wraps.width);
  g_array_append_val (sheet->texts, wraps);
}

/* A number is as wide as its grouped digits, plus a euro sign and the decimals for money. */
static void
widen_for_number (Sheet     *sheet,
                  lxw_col_t  column,
                  double     value,
                  gboolean   money)
{
  g_autofree char *digits = g_strdup_printf ("%.0f", fabs (value));

  widen (sheet, column, strlen (digits) * 4 / 3.0 + (money ? 5 : 1));
}

static void
write_number (Sheet      *sheet,
              lxw_row_t   row,
              lxw_col_t   column,
              double      value,
              lxw_format *format,
              gboolean    money)
{
  worksheet_write_number (sheet->sheet, row, column, value, format);
  widen_for_number (sheet, column, value, money);
}

/* A sum over the rows above: a formula, so that it follows edits, with its value stored too,
 * for viewers that do not calculate. */
static void
write_sum (Sheet      *sheet,
           lxw_row_t   row,
           lxw_col_t   column,
           double      value,
           lxw_format *format,
           gboolean    money)
{
  char first[16], last[16];
  g_autofree char *formula = NULL;

  lxw_rowcol_to_cell (first, 1, column);
  lxw_rowcol_to_cell (last, row - 1, column);
  formula = g_strdup_printf ("=SUM(%s:%s)", first, last);
  worksheet_write_formula_num (sheet->sheet, row, column, formula, format, value);
  widen_for_number (sheet, column, value, money);
}

/* A day from the API ("2026-03-01") as a date cell; nothing when it is no day. */
static void
write_iso_date (Workbook   *book,
                Sheet      *sheet,
                lxw_row_t   row,
                lxw_col_t   column,
                const char *iso)
{
  int year, month, day;
  char rest;
  lxw_datetime when = { 0 };

  if (iso == NULL || sscanf (iso, "%4d-%2d-%2d%c", &year, &month, &day, &rest) != 3 ||
      !g_date_valid_dmy (day, month, year) || year < 1900)
    return;
  when.year = year;
  when.month = month;
  when.day = day;
  worksheet_write_datetime (sheet->sheet, row, column, &when, book->date);
  widen (sheet, column, 11);
}

static void
write_unix_date (Workbook   *book,
                 Sheet      *sheet,
                 lxw_row_t   row,
                 lxw_col_t   column,
                 gint64      unix_time)
{
  g_autoptr(GDateTime) time = unix_time > 0 ? g_date_time_new_from_unix_local (unix_time) : NULL;
  g_autofree char *iso = time ? g_date_time_format (time, "%Y-%m-%d") : NULL;

  write_iso_date (book, sheet, row, column, iso);
}

static const char *
partner_name (Workbook   *book,
              const char *id)
{
  const BndPartner *partner = bnd_strategy_find_partner (book->strategy, id);

  return partner ? partner->name : id;
}

static const char *
district_name (Workbook   *book,
               const char *id)
{
  const BndDistrict *district = bnd_strategy_find_district (book->strategy, id);

  return district ? district->short_name : id;
}

/* "1 Fachkräftegewinnung …", or the bare number a newer pack may know */
static char *
funding_label (Workbook *book,
               gint64    number)
{
  GPtrArray *objects = bnd_strategy_get_funding_objects (book->strategy);

  for (guint i = 0; i < objects->len; i++)
    {
      const BndFundingObject *object = g_ptr_array_index (objects, i);

      if (object->number == number)
        return g_strdup_printf ("%d %s", object->number, object->title);
    }
  return number > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, number) : g_strdup ("");
}

static void
dossiers_sheet (Workbook *book)
{
  const char *headers[] = {
    _("Title"), _("Carrier"), _("Stage"), _("Funding object (Fördergegenstand)"), _("Landkreise"),
    _("Requested"), _("Approved"), _("Submitted"), _("Project start"), _("Project end"), NULL,
  };
  /* Translators: the name of a spreadsheet's sheet, at most 31 characters */
  Sheet *sheet = sheet_new (book, _("Dossiers"), headers, 0x3e0);
  JsonArray *dossiers = array_member (book->root, "dossiers");
  guint n = dossiers ? json_array_get_length (dossiers) : 0;
  lxw_row_t row = 1;
  double requested = 0, approved = 0;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (dossiers, i);
      JsonObject *dossier = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonArray *districts = array_member (dossier, "districts");
      g_autoptr(GString) names = g_string_new (NULL);
      g_autofree char *funding = NULL;

      if (dossier == NULL)
        continue;
      for (guint d = 0; districts && d < json_array_get_length (districts); d++)
        {
          const char *id = json_array_get_string_element (districts, d);

          if (id)
            g_string_append_printf (names, "%s%s", names->len ? ", " : "", district_name (book, id));
        }
      funding = funding_label (book, (gint64)number_member (dossier, "funding_object"));
      write_text (sheet, row, 0, string_member (dossier, "title"), book->text);
      write_text (sheet, row, 1, partner_name (book, string_member (dossier, "org")), book->text);
      write_text (sheet, row, 2, bnd_stage_get_label (string_member (dossier, "stage")), book->text);
      write_text (sheet, row, 3, funding, book->text);
      write_text (sheet, row, 4, names->str, book->text);
      write_number (sheet, row, 5, number_member (dossier, "requested"), book->money, TRUE);
      write_number (sheet, row, 6, number_member (dossier, "approved"), book->money, TRUE);
      write_unix_date (book, sheet, row, 7, (gint64)number_member (dossier, "submitted"));
      write_iso_date (book, sheet, row, 8, string_member (dossier, "start"));
      write_iso_date (book, sheet, row, 9, string_member (dossier, "end"));
      requested += number_member (dossier, "requested");
      approved += number_member (dossier, "approved");
      row++;
    }
  if (row > 1)
    {
      worksheet_autofilter (sheet->sheet, 0, 0, row - 1, 9);
      write_text (sheet, row, 0, _("Total"), book->label_total);
      write_sum (sheet, row, 5, requested, book->money_total, TRUE);
      write_sum (sheet, row, 6, approved, book->money_total, TRUE);
    }
  sheet_finish (sheet);
}

static void
stages_sheet (Workbook *book)
{
  const char *headers[] = { _("Stage"), _("Dossiers"), NULL };
  /* Translators: the name of a spreadsheet's sheet, at most 31 characters */
  Sheet *sheet = sheet_new (book, _("By Stage"), headers, 0x2);
  JsonObject *by_stage = object_member (book->root, "by_stage");
  g_autoptr(GList) members = by_stage ? json_object_get_members (by_stage) : NULL;
  g_autoptr(GPtrArray) shown = g_ptr_array_new ();
  lxw_row_t row = 1;
  double total = 0;

  /* Every stage past the draft, empty ones too, as the Portfolio page shows them; then any a
   * newer server knows */
  for (guint i = 1; bnd_stage_get_nth (i); i++)
    g_ptr_array_add (shown, (gpointer)bnd_stage_get_nth (i));
  for (GList *l = members; l; l = l->next)
    if (!g_ptr_array_find_with_equal_func (shown, l->data, g_str_equal, NULL))
      g_ptr_array_add (shown, l->data);

  for (guint i = 0; i < shown->len; i++, row++)
    {
      const char *stage = g_ptr_array_index (shown, i);
      double n = number_member (by_stage, stage);

      write_text (sheet, row, 0, bnd_stage_get_label (stage), book->text);
      write_number (sheet, row, 1, n, book->count, FALSE);
      total += n;
    }
  write_text (sheet, row, 0, _("Total"), book->label_total);
  write_sum (sheet, row, 1, total, book->count_total, FALSE);
  sheet_finish (sheet);
}

static void
coverage_sheet (Workbook *book)
{
  GPtrArray *districts = bnd_strategy_get_districts (book->strategy);
  JsonObject *coverage = object_member (book->root, "coverage");
  g_autoptr(GList) goals = coverage ? json_object_get_members (coverage) : NULL;
  g_autoptr(GPtrArray) headers = g_ptr_array_new ();
  lxw_row_t row = 1;
  Sheet *sheet;

  g_ptr_array_add (headers, _("Strategic goal"));
  for (guint d = 0; d < districts->len; d++)
    g_ptr_array_add (headers, (gpointer)((const BndDistrict *)g_ptr_array_index (districts, d))->short_name);
  g_ptr_array_add (headers, _("Total"));
  g_ptr_array_add (headers, NULL);
  /* Translators: the name of a spreadsheet's sheet, at most 31 characters */
  sheet = sheet_new (book, _("Coverage"), (const char **)headers->pdata, ~G_GUINT64_CONSTANT (1));

  for (GList *l = goals; l; l = l->next, row++)
    {
      const BndGoal *goal = bnd_strategy_find_goal (book->strategy, l->data);
      JsonObject *counts = object_member (coverage, l->data);
      g_autofree char *label = g_strdup_printf ("%s %s", (const char *)l->data, goal ? goal->title : "");
      char first[16], last[16];
      g_autofree char *formula = NULL;
      double total = 0;

      write_text (sheet, row, 0, label, book->text);
      for (guint d = 0; d < districts->len; d++)
        {
          const BndDistrict *district = g_ptr_array_index (districts, d);
          double n = number_member (counts, district->id);

          /* A gap, where no dossier pursues the goal yet, in red as on the page */
          write_number (sheet, row, d + 1, n, n > 0 ? book->count : book->gap, FALSE);
          total += n;
        }
      lxw_rowcol_to_cell (first, row, 1);
      lxw_rowcol_to_cell (last, row, districts->len);
      formula = g_strdup_printf ("=SUM(%s:%s)", first, last);
      worksheet_write_formula_num (sheet->sheet, row, districts->len + 1, formula, book->count_bold, total);
    }
  sheet_finish (sheet);
}

static void
funding_sheet (Workbook *book)
{
  const char *headers[] = { _("Funding object (Fördergegenstand)"), _("Dossiers"), _("Requested"), _("Approved"), NULL };
  /* Translators: the name of a spreadsheet's sheet, at most 31 characters */
  Sheet *sheet = sheet_new (book, _("Funding"), headers, 0xe);
  JsonObject *by_funding = object_member (book->root, "by_funding_object");
  g_autoptr(GList) members = by_funding ? json_object_get_members (by_funding) : NULL;
  lxw_row_t row = 1;
  double count = 0, requested = 0, approved = 0;

  for (GList *l = members; l; l = l->next, row++)
    {
      JsonObject *sums = object_member (by_funding, l->data);
      g_autofree char *label = funding_label (book, g_ascii_strtoll (l->data, NULL, 10));

      write_text (sheet, row, 0, label, book->text);
      write_number (sheet, row, 1, number_member (sums, "count"), book->count, FALSE);
      write_number (sheet, row, 2, number_member (sums, "requested"), book->money, TRUE);
      write_number (sheet, row, 3, number_member (sums, "approved"), book->money, TRUE);
      count += number_member (sums, "count");
      requested += number_member (sums, "requested");
      approved += number_member (sums, "approved");
    }
  write_text (sheet, row, 0, _("Total"), book->label_total);
  write_sum (sheet, row, 1, count, book->count_total, FALSE);
  write_sum (sheet, row, 2, requested, book->money_total, TRUE);
  write_sum (sheet, row, 3, approved, book->money_total, TRUE);
  sheet_finish (sheet);
}

static lxw_format *
add_format (Workbook   *book,
            const char *number_format,
            gboolean    bold)
{
  lxw_format *format = workbook_add_format (book->workbook);

  if (number_format)
    format_set_num_format (format, number_format);
  if (bold)
    format_set_bold (format);
  format_set_align (format, LXW_ALIGN_VERTICAL_TOP);
  return format;
}

static void
add_formats (Workbook  *book,
             BndLocale  locale)
{
  /* The codes are the file's, not the reader's: "#,##0.00" is shown as "120.000,50" in a German
   * spreadsheet. Only where the symbol goes and how a date reads follow the interface. */
  const char *money = locale == BND_LOCALE_GERMAN ? "#,##0.00 \"€\"" : "\"€\"#,##0.00";
  const char *date = locale == BND_LOCALE_GERMAN ? "dd.mm.yyyy" : "d mmm yyyy";

  book->header = add_format (book, NULL, TRUE);
  format_set_bottom (book->header, LXW_BORDER_THIN);
  format_set_bg_color (book->header, 0xE8EEF5);
  book->header_number = add_format (book, NULL, TRUE);
  format_set_bottom (book->header_number, LXW_BORDER_THIN);
  format_set_bg_color (book->header_number, 0xE8EEF5);
  format_set_align (book->header_number, LXW_ALIGN_RIGHT);
  book->text = add_format (book, NULL, FALSE);
  format_set_text_wrap (book->text);
  book->money = add_format (book, money, FALSE);
  book->money_total = add_format (book, money, TRUE);
  format_set_top (book->money_total, LXW_BORDER_THIN);
  book->date = add_format (book, date, FALSE);
  book->count = add_format (book, "0", FALSE);
  book->count_total = add_format (book, "0", TRUE);
  format_set_top (book->count_total, LXW_BORDER_THIN);
  book->count_bold = add_format (book, "0", TRUE);
  book->gap = add_format (book, "0", FALSE);
  format_set_bg_color (book->gap, 0xFCD6D6);
  format_set_font_color (book->gap, 0x9E2929);
  book->label_total = add_format (book, NULL, TRUE);
  format_set_top (book->label_total, LXW_BORDER_THIN);
}

/**
 * bnd_portfolio_to_xlsx:
 * @strategy: the strategy pack, for the names of goals, Landkreise, partners and
 *   Fördergegenstände
 * @portfolio: what GET /api/v1/portfolio answered
 * @generated: when, for the workbook's properties
 * @locale: the conventions of the interface, for where the euro sign goes and how dates read
 *
 * The portfolio as an .xlsx workbook with a sheet per view: dossiers, by stage, coverage and
 * funding. Headers come in the interface language (gettext), amounts are numbers in a euro
 * format, dates are date cells, and each sheet's header row is frozen.
 *
 * Returns: (transfer full): the workbook's bytes, or %NULL with @error set
 */
GBytes *
bnd_portfolio_to_xlsx (BndStrategy  *strategy,
                       JsonNode     *portfolio,
                       GDateTime    *generated,
                       BndLocale     locale,
                       GError      **error)
{
  const BndAlliance *alliance = bnd_strategy_get_alliance (strategy);
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *title = NULL;
  lxw_workbook_options options = { .tmpdir = (char *)g_get_tmp_dir () };
  lxw_doc_properties properties = { 0 };
  Workbook book = { 0 };
  lxw_error status;
  gsize length;
  int fd;

  g_return_val_if_fail (BND_IS_STRATEGY (strategy), NULL);
  g_return_val_if_fail (generated != NULL, NULL);

  book.root = portfolio && JSON_NODE_HOLDS_OBJECT (portfolio) ? json_node_get_object (portfolio) : NULL;
  if (book.root == NULL || !object_member (book.root, "by_stage") || !object_member (book.root, "coverage") ||
      !object_member (book.root, "by_funding_object"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The portfolio lacks its stages, coverage or Fördergegenstände"));
      return NULL;
    }

  if (!ensure_xlsxwriter (error) ||
      (fd = g_file_open_tmp ("buendnis-portfolio-XXXXXX.xlsx", &path, error)) < 0)
    return NULL;
  close (fd);

  if (!(book.workbook = workbook_new_opt (path, &options)))
    {
      g_unlink (path);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not start the spreadsheet"));
      return NULL;
    }
  book.strategy = strategy;
  add_formats (&book, locale);

  title = g_strdup_printf (_("Portfolio of the submitted dossiers – %s"), alliance->name);
  properties.title = title;
  properties.author = (char *)alliance->name;
  properties.created = g_date_time_to_unix (generated);
  workbook_set_properties (book.workbook, &properties);

  dossiers_sheet (&book);
  stages_sheet (&book);
  coverage_sheet (&book);
  funding_sheet (&book);

  status = workbook_close (book.workbook);
  if (status != LXW_NO_ERROR)
    {
      g_unlink (path);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write the spreadsheet: %s"),
                   lxw_strerror (status));
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &length, error))
    {
      g_unlink (path);
      return NULL;
    }
  g_unlink (path);
  return g_bytes_new_take (g_steal_pointer (&contents), length);
}
