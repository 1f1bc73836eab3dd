/* bnd-portfolio-renderer.c: the portfolio of submitted dossiers as a report for the alliance
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-portfolio-renderer"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <math.h>

#include "bnd-format.h"
#include "bnd-pdf-layout.h"
#include "bnd-portfolio-renderer.h"

/* What GET /api/v1/portfolio answers, on A4 for the Lenkungskreis: the dossiers by stage, the
 * goals × Landkreise coverage with its gaps, the sums by Fördergegenstand, the dossiers one by
 * one. A German document like the statement, whatever the interface language.
 *
 * Laid out twice, like the sketch: a pass that only counts the pages, then the one that draws
 * them, so that the footer can say "Seite 1 von 2". */

#define MARGIN       57.0
#define WIDTH        (BND_PDF_PAGE_WIDTH - 2 * MARGIN)
#define BOTTOM       (BND_PDF_PAGE_HEIGHT - 72.0)
#define FOOTER_Y     (BND_PDF_PAGE_HEIGHT - 48.0)
#define SECTION_GAP  22.0

#define GOAL_WIDTH   170.0   /* the matrix's first column */
#define CELL_HEIGHT  20.0

/* The server's stages in the order of the procedure, as the documents name them. */
static const struct { const char *stage; const char *label; } stages[] = {
  { "submitted", "Skizze eingereicht" },
  { "first-assessment", "Erste Einschätzung" },
  { "long-form-requested", "Langfassung angefordert" },
  { "long-form-received", "Langfassung eingegangen" },
  { "rating", "Bewertung im Lenkungskreis" },
  { "vote", "Umlaufverfahren" },
  { "statement", "Stellungnahme erteilt" },
  { "application", "Antrag bei der NBank" },
  { "approved", "Bewilligt" },
  { "rejected", "Abgelehnt" },
  { "withdrawn", "Zurückgezogen" },
};

typedef struct
{
  BndStrategy  *strategy;
  JsonObject   *by_stage;
  JsonObject   *coverage;
  JsonObject   *by_funding;
  JsonArray    *dossiers;        /* nullable */
  double        requested;
  double        approved;
  char         *date;            /* "17.03.2026" */

  cairo_t      *cr;
  guint         page;            /* 1-based */
  guint         n_pages;         /* known in the drawing pass, 0 while counting */
  double        y;
  gboolean      in_table;        /* a "Table" structure element is open */
} Report;

static const char *
stage_label (const char *stage)
{
  for (guint i = 0; i < G_N_ELEMENTS (stages); i++)
    if (g_str_equal (stage, stages[i].stage))
      return stages[i].label;
  return stage;
}

/* The portfolio report is a German document, like the sketch: "1.234.567 €". */
static char *
whole_euros (double amount)
{
  return bnd_format_money_whole (amount, BND_LOCALE_GERMAN);
}

static JsonObject *
object_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static gint64
count_member (JsonObject *object,
              const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node && JSON_NODE_HOLDS_VALUE (node) ? (gint64)json_node_get_double (node) : 0;
}

static void
set_grey (cairo_t *cr,
          double   level)
{
  cairo_set_source_rgb (cr, level, level, level);
}

static void
draw_footer (Report *report)
{
  g_autofree char *left = g_strdup_printf ("Portfolio der eingereichten Projekte · Stand %s",
                                           report->date);
  g_autofree char *right = report->n_pages
                           ? g_strdup_printf ("Seite %u von %u", report->page, report->n_pages)
                           : g_strdup_printf ("Seite %u", report->page);

  cairo_save (report->cr);
  set_grey (report->cr, 0.45);
  cairo_set_line_width (report->cr, 0.5);
  cairo_move_to (report->cr, MARGIN, FOOTER_Y - 6);
  cairo_line_to (report->cr, MARGIN + WIDTH, FOOTER_Y - 6);
  cairo_stroke (report->cr);
  bnd_pdf_text (report->cr, MARGIN, FOOTER_Y, WIDTH * 0.7, left, 8, FALSE);
  bnd_pdf_text_aligned (report->cr, MARGIN + WIDTH * 0.7, FOOTER_Y, WIDTH * 0.3, right, 8, FALSE,
                        PANGO_ALIGN_RIGHT);
  cairo_restore (report->cr);
}

static void
table_begin (Report *report)
{
  bnd_pdf_tag_begin (report->cr, "Table");
  report->in_table = TRUE;
}

static void
table_end (Report *report)
{
  bnd_pdf_tag_end (report->cr, "Table");
  report->in_table = FALSE;
}

/* A new page when fewer than @needed points are left; returns whether it took one. A table
 * that goes on over the page break ends on this page and starts again on the next, so that the
 * footer is no part of it. */
static gboolean
room_for (Report *report,
          double  needed)
{
  if (report->y + needed <= BOTTOM)
    return FALSE;
  if (report->in_table)
    bnd_pdf_tag_end (report->cr, "Table");
  report->y = bnd_pdf_room_for (report->cr, report->y, needed, MARGIN, BOTTOM);
  report->page++;
  draw_footer (report);
  if (report->in_table)
    bnd_pdf_tag_begin (report->cr, "Table");
  return TRUE;
}

/* A section's heading, kept on one page with the first @keep points of what follows. */
static void
heading (Report     *report,
         const char *title,
         const char *intro,
         double      keep)
{
  room_for (report, 60 + keep);
  report->y += bnd_pdf_tagged_text (report->cr, "H2", MARGIN, report->y, WIDTH, title, 13, TRUE) + 4;
  if (intro)
    {
      set_grey (report->cr, 0.3);
      report->y += bnd_pdf_tagged_text (report->cr, "P", MARGIN, report->y, WIDTH, intro, 9, FALSE) + 8;
      set_grey (report->cr, 0);
    }
}

static void
rule (Report *report)
{
  report->y += 3;
  bnd_pdf_rule (report->cr, MARGIN, report->y, WIDTH);
  report->y += 4;
}

/* A paragraph across the page at the current y, and @gap below it */
static void
paragraph (Report     *report,
           const char *text,
           double      size,
           gboolean    bold,
           double      gap)
{
  report->y += bnd_pdf_tagged_text (report->cr, "P", MARGIN, report->y, WIDTH, text, size, bold) + gap;
}

static double
sum_member (JsonObject *object,
            const char *name)
{
  return object ? json_object_get_double_member_with_default (object, name, 0) : 0;
}

static gint64
n_dossiers (Report *report)
{
  g_autoptr(GList) members = json_object_get_members (report->by_stage);
  gint64 n = 0;

  for (GList *l = members; l; l = l->next)
    n += count_member (report->by_stage, l->data);
  return n;
}

static void
title_block (Report *report)
{
  const BndAlliance *alliance = bnd_strategy_get_alliance (report->strategy);
  gint64 n = n_dossiers (report);
  g_autofree char *summary = g_strdup_printf ("Stand: %s · %" G_GINT64_FORMAT " %s",
                                              report->date, n,
                                              n == 1 ? "eingereichtes Projekt"
                                                     : "eingereichte Projekte");

  paragraph (report, alliance->name, 10, FALSE, 6);
  report->y += bnd_pdf_tagged_text (report->cr, "H1", MARGIN, report->y, WIDTH,
                                    "Portfolio der eingereichten Projekte", 18, TRUE) + 8;
  paragraph (report, summary, 10.5, TRUE, 4);
  set_grey (report->cr, 0.3);
  paragraph (report,
             "Alle Projekte, deren Skizze eingereicht ist: wo sie im Verfahren stehen, welche "
             "strategischen Ziele sie in welchen Landkreisen verfolgen und welche Mittel beantragt "
             "und bewilligt sind.", 9.5, FALSE, SECTION_GAP);
  set_grey (report->cr, 0);
}

/* One bar of a chart: @value of @scale across @width, with its label to the right. */
static void
bar (cairo_t    *cr,
     double      x,
     double      y,
     double      width,
     double      height,
     double      value,
     double      scale,
     const char *label)
{
  double length = scale > 0 ? width * value / scale : 0;

  cairo_save (cr);
  if (length > 0)
    {
      cairo_set_source_rgb (cr, 0.20, 0.42, 0.66);
      cairo_rectangle (cr, x, y, MAX (length, 1.5), height);
      cairo_fill (cr);
    }
  if (label)
    {
      set_grey (cr, 0.25);
      bnd_pdf_text (cr, x + length + 5, y + height / 2 - 5.5, 90, label, 8.5, FALSE);
    }
  cairo_restore (cr);
}

static void
stage_section (Report *report)
{
  static const BndPdfColumn columns[] = {
    { 0, 180, PANGO_ALIGN_LEFT },
    { 180, 45, PANGO_ALIGN_RIGHT },
    { 245, WIDTH - 245, PANGO_ALIGN_LEFT },
  };
  const char *head[] = { "Verfahrensstand", "Projekte", "" };
  g_autoptr(GPtrArray) shown = g_ptr_array_new ();
  g_autoptr(GList) members = json_object_get_members (report->by_stage);
  gint64 most = 0;
  gint64 total = 0;
  g_autofree char *total_text = NULL;
  const char *total_row[3];

  /* Every stage of the procedure, empty ones too; then any a newer server knows */
  for (guint i = 0; i < G_N_ELEMENTS (stages); i++)
    g_ptr_array_add (shown, (gpointer)stages[i].stage);
  for (GList *l = members; l; l = l->next)
    if (stage_label (l->data) == l->data)
      g_ptr_array_add (shown, l->data);
  for (guint i = 0; i < shown->len; i++)
    {
      gint64 n = count_member (report->by_stage, g_ptr_array_index (shown, i));

      most = MAX (most, n);
      total += n;
    }

  heading (report, "Projekte nach Verfahrensstand", NULL, 80);
  table_begin (report);
  report->y += bnd_pdf_table_head (report->cr, MARGIN, report->y, columns, head, 3, 9.5);
  rule (report);
  for (guint i = 0; i < shown->len; i++)
    {
      const char *stage = g_ptr_array_index (shown, i);
      gint64 n = count_member (report->by_stage, stage);
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, n);
      const char *row[] = { stage_label (stage), count, "" };
      double height;

      room_for (report, 16);
      if (n == 0)
        set_grey (report->cr, 0.5);
      height = bnd_pdf_table_row (report->cr, MARGIN, report->y + 1, columns, row, 3, 9.5, FALSE);
      set_grey (report->cr, 0);
      bar (report->cr, MARGIN + columns[2].x, report->y + 2.5, columns[2].width - 30, 9, n, most,
           NULL);
      report->y += MAX (height, 12) + 4;
    }
  rule (report);
  total_text = g_strdup_printf ("%" G_GINT64_FORMAT, total);
  total_row[0] = "Gesamt";
  total_row[1] = total_text;
  total_row[2] = "";
  report->y += bnd_pdf_table_row (report->cr, MARGIN, report->y, columns, total_row, 3, 9.5, TRUE);
  table_end (report);
  report->y += SECTION_GAP;
}

static void
fill_cell (cairo_t *cr,
           double   x,
           double   y,
           double   width,
           double   height,
           gboolean gap)
{
  cairo_save (cr);
  if (gap)
    cairo_set_source_rgb (cr, 0.99, 0.84, 0.84);
  else
    cairo_set_source_rgb (cr, 0.83, 0.90, 0.97);
  /* White seams between the cells */
  cairo_rectangle (cr, x + 0.75, y + 0.75, width - 1.5, height - 1.5);
  cairo_fill (cr);
  cairo_restore (cr);
}

static double
matrix_head (Report    *report,
             GPtrArray *districts,
             double     cell_width)
{
  double height;

  bnd_pdf_tag_begin (report->cr, "TR");
  height = bnd_pdf_tagged_text (report->cr, "TH", MARGIN, report->y, GOAL_WIDTH - 6,
                                "Strategisches Ziel", 8, TRUE);
  for (guint d = 0; d < districts->len; d++)
    {
      const BndDistrict *district = g_ptr_array_index (districts, d);
      double x = MARGIN + GOAL_WIDTH + d * cell_width;
      double used;

      bnd_pdf_tag_begin (report->cr, "TH");
      used = bnd_pdf_text_aligned (report->cr, x, report->y, cell_width, district->short_name, 8,
                                   TRUE, PANGO_ALIGN_CENTER);
      bnd_pdf_tag_end (report->cr, "TH");
      height = MAX (height, used);
    }
  bnd_pdf_tag_end (report->cr, "TR");
  return height + 4;
}

static double
goal_row_height (cairo_t  *cr,
                 double    y,
                 gpointer  user_data)
{
  return bnd_pdf_text (cr, MARGIN, y, GOAL_WIDTH - 8, user_data, 8.5, FALSE);
}

static void
coverage_section (Report *report)
{
  GPtrArray *districts = bnd_strategy_get_districts (report->strategy);
  g_autoptr(GList) goals = json_object_get_members (report->coverage);
  double cell_width = (WIDTH - GOAL_WIDTH) / MAX (districts->len, 1);
  g_autoptr(GString) empty_goals = g_string_new (NULL);
  g_autoptr(GString) empty_districts = g_string_new (NULL);
  g_autofree char *gaps_text = NULL;
  guint n_cells = 0, n_gaps = 0;

  heading (report, "Abdeckung: strategische Ziele und Landkreise",
           "Zahl der Projekte je strategischem Ziel und Landkreis. Rot hinterlegte Felder sind "
           "Lücken: Dort verfolgt noch kein eingereichtes Projekt das Ziel.", 100);
  table_begin (report);
  report->y += matrix_head (report, districts, cell_width);

  for (GList *l = goals; l; l = l->next)
    {
      const BndGoal *goal = bnd_strategy_find_goal (report->strategy, l->data);
      JsonObject *row = object_member (report->coverage, l->data);
      g_autofree char *label = g_strdup_printf ("%s %s", (const char *)l->data,
                                                goal ? goal->title : "");
      double label_height = bnd_pdf_measure_height (goal_row_height, label);
      double height = MAX (CELL_HEIGHT, label_height + 6);
      gint64 row_total = 0;

      if (room_for (report, height))
        report->y += matrix_head (report, districts, cell_width);
      bnd_pdf_tag_begin (report->cr, "TR");
      bnd_pdf_tagged_text (report->cr, "TH", MARGIN, report->y + (height - label_height) / 2,
                           GOAL_WIDTH - 8, label, 8.5, FALSE);
      for (guint d = 0; d < districts->len; d++)
        {
          const BndDistrict *district = g_ptr_array_index (districts, d);
          gint64 n = count_member (row, district->id);
          double x = MARGIN + GOAL_WIDTH + d * cell_width;
          g_autofree char *count = n > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, n)
                                         : g_strdup ("–");

          bnd_pdf_tag_begin (report->cr, "TD");
          fill_cell (report->cr, x, report->y, cell_width, height, n == 0);
          cairo_save (report->cr);
          if (n == 0)
            cairo_set_source_rgb (report->cr, 0.62, 0.16, 0.16);
          bnd_pdf_text_aligned (report->cr, x, report->y + height / 2 - 6, cell_width, count, 9.5,
                                n > 0, PANGO_ALIGN_CENTER);
          cairo_restore (report->cr);
          bnd_pdf_tag_end (report->cr, "TD");
          n_cells++;
          n_gaps += n == 0;
          row_total += n;
        }
      if (row_total == 0)
        g_string_append_printf (empty_goals, "%s%s", empty_goals->len ? ", " : "",
                                (const char *)l->data);
      bnd_pdf_tag_end (report->cr, "TR");
      report->y += height;
    }
  table_end (report);

  for (guint d = 0; d < districts->len; d++)
    {
      const BndDistrict *district = g_ptr_array_index (districts, d);
      gint64 column_total = 0;

      for (GList *l = goals; l; l = l->next)
        column_total += count_member (object_member (report->coverage, l->data), district->id);
      if (column_total == 0)
        g_string_append_printf (empty_districts, "%s%s", empty_districts->len ? ", " : "",
                                district->name);
    }

  /* The legend and what the gaps come to */
  room_for (report, 60);
  report->y += 8;
  bnd_pdf_tag_begin (report->cr, "P");
  fill_cell (report->cr, MARGIN, report->y, 18, 12, TRUE);
  bnd_pdf_text (report->cr, MARGIN + 24, report->y, 140, "Lücke: noch kein Projekt", 8.5, FALSE);
  fill_cell (report->cr, MARGIN + 170, report->y, 18, 12, FALSE);
  report->y += bnd_pdf_text (report->cr, MARGIN + 194, report->y, WIDTH - 194,
                             "abgedeckt, mit Zahl der Projekte", 8.5, FALSE) + 8;
  bnd_pdf_tag_end (report->cr, "P");
  gaps_text = g_strdup_printf ("%u von %u Feldern sind Lücken.", n_gaps, n_cells);
  paragraph (report, gaps_text, 9.5, TRUE, 2);
  if (empty_goals->len)
    {
      g_autofree char *text = g_strdup_printf ("Ziele ohne Projekt: %s", empty_goals->str);

      paragraph (report, text, 9.5, FALSE, 2);
    }
  if (empty_districts->len)
    {
      g_autofree char *text = g_strdup_printf ("Landkreise ohne Projekt: %s", empty_districts->str);

      paragraph (report, text, 9.5, FALSE, 2);
    }
  report->y += SECTION_GAP;
}

static const char *
funding_title (Report     *report,
               const char *number)
{
  GPtrArray *objects = bnd_strategy_get_funding_objects (report->strategy);

  for (guint i = 0; i < objects->len; i++)
    {
      const BndFundingObject *object = g_ptr_array_index (objects, i);
      g_autofree char *key = g_strdup_printf ("%d", object->number);

      if (g_str_equal (key, number))
        return object->title;
    }
  return "";
}

static const BndPdfColumn money_columns[] = {
  { 0, 205, PANGO_ALIGN_LEFT },
  { 205, 55, PANGO_ALIGN_RIGHT },
  { 265, 105, PANGO_ALIGN_RIGHT },
  { 376, WIDTH - 376, PANGO_ALIGN_RIGHT },
};

static void
funding_section (Report *report)
{
  const char *head[] = { "Fördergegenstand", "Projekte", "Beantragt", "Bewilligt" };
  g_autoptr(GList) members = json_object_get_members (report->by_funding);
  g_autofree char *n_text = g_strdup_printf ("%" G_GINT64_FORMAT, n_dossiers (report));
  g_autofree char *requested = whole_euros (report->requested);
  g_autofree char *approved = whole_euros (report->approved);
  const char *total_row[] = { "Alle Projekte", n_text, requested, approved };
  double scale = MAX (report->requested, report->approved);
  double bar_width = WIDTH - 90 - 100;

  heading (report, "Mittel nach Fördergegenstand",
           "Beantragt: die beantragte Förderung aller eingereichten Projekte. Bewilligt: die "
           "Summen der Bewilligungsbescheide.", 80);
  table_begin (report);
  report->y += bnd_pdf_table_head (report->cr, MARGIN, report->y, money_columns, head, 4, 9.5);
  rule (report);
  for (GList *l = members; l; l = l->next)
    {
      JsonObject *sums = object_member (report->by_funding, l->data);
      g_autofree char *label = g_strdup_printf ("%s %s", (const char *)l->data,
                                                funding_title (report, l->data));
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, count_member (sums, "count"));
      g_autofree char *row_requested = whole_euros (sum_member (sums, "requested"));
      g_autofree char *row_approved = whole_euros (sum_member (sums, "approved"));
      const char *row[] = { label, count, row_requested, row_approved };

      room_for (report, 16);
      report->y += bnd_pdf_table_row (report->cr, MARGIN, report->y, money_columns, row, 4, 9.5,
                                      FALSE) + 5;
    }
  rule (report);
  report->y += bnd_pdf_table_row (report->cr, MARGIN, report->y, money_columns, total_row, 4, 9.5,
                                  TRUE);
  table_end (report);
  report->y += SECTION_GAP;

  /* Requested against approved, as two bars on one scale */
  heading (report, "Beantragt und bewilligt insgesamt", NULL, 50);
  bnd_pdf_tag_begin (report->cr, "P");
  bnd_pdf_text (report->cr, MARGIN, report->y, 85, "Beantragt", 9.5, FALSE);
  bar (report->cr, MARGIN + 90, report->y + 1, bar_width, 11, report->requested, scale, requested);
  bnd_pdf_tag_end (report->cr, "P");
  report->y += 18;
  bnd_pdf_tag_begin (report->cr, "P");
  bnd_pdf_text (report->cr, MARGIN, report->y, 85, "Bewilligt", 9.5, FALSE);
  bar (report->cr, MARGIN + 90, report->y + 1, bar_width, 11, report->approved, scale, approved);
  bnd_pdf_tag_end (report->cr, "P");
  report->y += 18 + SECTION_GAP;
}

static const char *
partner_name (Report     *report,
              const char *id)
{
  const BndPartner *partner = bnd_strategy_find_partner (report->strategy, id);

  return partner ? partner->short_name : id ? id : "";
}

static const BndPdfColumn dossier_columns[] = {
  { 0, 190, PANGO_ALIGN_LEFT },
  { 196, 105, PANGO_ALIGN_LEFT },
  { 307, 100, PANGO_ALIGN_LEFT },
  { 407, WIDTH - 407, PANGO_ALIGN_RIGHT },
};

static double
dossier_row (cairo_t  *cr,
             double    y,
             gpointer  user_data)
{
  return bnd_pdf_table_row (cr, MARGIN, y, dossier_columns, user_data, 4, 9, FALSE) + 4;
}

static void
dossier_section (Report *report)
{
  const BndPdfColumn *columns = dossier_columns;
  const char *head[] = { "Projekt", "Träger", "Stand", "Beantragt" };

  if (report->dossiers == NULL || json_array_get_length (report->dossiers) == 0)
    return;

  heading (report, "Die Projekte im Einzelnen", NULL, 40);
  table_begin (report);
  report->y += bnd_pdf_table_head (report->cr, MARGIN, report->y, columns, head, 4, 9);
  rule (report);
  for (guint i = 0; i < json_array_get_length (report->dossiers); i++)
    {
      JsonNode *node = json_array_get_element (report->dossiers, i);
      JsonObject *dossier = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      g_autofree char *requested = NULL;
      const char *row[4];

      if (dossier == NULL)
        continue;
      requested = whole_euros (sum_member (dossier, "requested"));
      row[0] = json_object_get_string_member_with_default (dossier, "title", "");
      row[1] = partner_name (report,
                             json_object_get_string_member_with_default (dossier, "org", NULL));
      row[2] = stage_label (json_object_get_string_member_with_default (dossier, "stage", ""));
      row[3] = requested;
      /* Measured first, so that a row is never split over two pages */
      if (room_for (report, bnd_pdf_measure_height (dossier_row, row)))
        {
          report->y += bnd_pdf_table_head (report->cr, MARGIN, report->y, columns, head, 4, 9);
          rule (report);
        }
      report->y += dossier_row (report->cr, report->y, row);
    }
  table_end (report);
}

/* Lays out the whole report on @surface; returns the number of pages. */
static guint
lay_out (Report          *report,
         cairo_surface_t *surface)
{
  report->cr = cairo_create (surface);
  bnd_pdf_tag_begin (report->cr, "Document");
  report->page = 1;
  report->y = MARGIN;
  draw_footer (report);

  title_block (report);
  stage_section (report);
  coverage_section (report);
  funding_section (report);
  dossier_section (report);

  bnd_pdf_tag_end (report->cr, "Document");
  cairo_destroy (report->cr);
  report->cr = NULL;
  return report->page;
}

/**
 * bnd_portfolio_render_pdf:
 * @strategy: the strategy pack, for the titles of goals, Landkreise and Fördergegenstände
 * @portfolio: what GET /api/v1/portfolio answered
 * @generated: the date the report gives as its "Stand"
 *
 * Returns: (transfer full): the report as an A4 PDF, or %NULL with @error set when
 *   @portfolio is not in the form the server gives
 */
GBytes *
bnd_portfolio_render_pdf (BndStrategy  *strategy,
                          JsonNode     *portfolio,
                          GDateTime    *generated,
                          GError      **error)
{
  const BndAlliance *alliance = bnd_strategy_get_alliance (strategy);
  JsonObject *root = portfolio && JSON_NODE_HOLDS_OBJECT (portfolio)
                     ? json_node_get_object (portfolio) : NULL;
  JsonNode *dossiers = root ? json_object_get_member (root, "dossiers") : NULL;
  g_autofree char *date = bnd_format_date (generated, BND_LOCALE_GERMAN);
  g_autofree char *created = g_date_time_format (generated, "%Y-%m-%dT%H:%M:%S");
  g_autofree char *title = g_strdup_printf ("Portfolio der eingereichten Projekte – %s",
                                            alliance->name);
  g_autoptr(GByteArray) bytes = NULL;
  cairo_surface_t *surface;
  Report report = { 0 };

  g_return_val_if_fail (BND_IS_STRATEGY (strategy), NULL);
  g_return_val_if_fail (generated != NULL, NULL);

  if (root == NULL ||
      !(report.by_stage = object_member (root, "by_stage")) ||
      !(report.coverage = object_member (root, "coverage")) ||
      !(report.by_funding = object_member (root, "by_funding_object")))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The portfolio lacks its stages, coverage or Fördergegenstände"));
      return NULL;
    }
  report.strategy = strategy;
  report.dossiers = dossiers && JSON_NODE_HOLDS_ARRAY (dossiers)
                    ? json_node_get_array (dossiers) : NULL;
  report.requested = json_object_get_double_member_with_default (root, "requested", 0);
  report.approved = json_object_get_double_member_with_default (root, "approved", 0);
  report.date = date;

  /* Counting the pages … */
  surface = bnd_pdf_surface_new (NULL);
  report.n_pages = 0;
  report.n_pages = lay_out (&report, surface);
  cairo_surface_destroy (surface);

  /* … then drawing them */
  bytes = g_byte_array_new ();
  surface = bnd_pdf_surface_new (bytes);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, alliance->name);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT,
                                  "Eingereichte Projekte nach Verfahrensstand, strategischen "
                                  "Zielen, Landkreisen und Fördergegenständen");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Bündnis");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, created);
  lay_out (&report, surface);
  return bnd_pdf_surface_finish (surface, g_steal_pointer (&bytes), "de-DE", error);
}
