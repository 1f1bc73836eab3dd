/* bnd-pdf-renderer.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-pdf-renderer"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "bnd-format.h"
#include "bnd-pdf-layout.h"
#include "bnd-pdf-renderer.h"
#include "bnd-pdf-sketch-info.h"

/* The Projektskizze as a PDF: A4, cairo + pango, laid out line by line so that the page budget,
 * the preview and the export all come from this one piece of code.
 *
 * The sketch is a German document for the alliance and NBank, so its fixed labels ("Seite",
 * "Beitrag zur Strategie") are German whatever language the user interface speaks.
 *
 * Layout runs twice: a measuring pass that counts pages (the page budget needs no more), then a
 * drawing pass that knows the page count for "Seite 1 von 3". Both passes run the same code on
 * the same kind of surface, so they agree to the point; the drawing pass takes the measuring
 * pass's layouts as they were laid out (make_layout()). */

#define PAGE_WIDTH     BND_PDF_PAGE_WIDTH
#define PAGE_HEIGHT    BND_PDF_PAGE_HEIGHT
#define MARGIN_LEFT    57.0
#define MARGIN_RIGHT   57.0
#define MARGIN_TOP     72.0
#define MARGIN_BOTTOM  62.0
#define CONTENT_WIDTH  (PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT)

#define FONT_FAMILY    BND_PDF_FONT
#define BODY_SIZE      10.0
#define NOTE_SIZE      7.5
#define TABLE_SIZE     8.5
#define HEADING_SIZE   11.0
#define CELL_PADDING   2.5
#define PARAGRAPH_GAP  3.0
#define NOTE_GAP       2.0

typedef struct
{
  BndSketch     *sketch;
  BndStrategy   *strategy;
  cairo_t       *cr;
  cairo_surface_t *surface;
  gboolean       draw;
  guint          total_pages;     /* known in the drawing pass */

  guint          page;            /* 1-based */
  double         y;               /* where the next line goes */
  GPtrArray     *notes;           /* the footnotes of this page: PangoLayout * */
  GPtrArray     *open_tags;       /* the structure elements open now, outermost first: roles */
  double         notes_height;
  guint          note_number;
  const char    *section_id;      /* what is being laid out now */
  const char    *section_title;

  BndPageBudget *budget;

  GPtrArray     *kept;            /* measuring pass: every layout made, in order */
  GPtrArray     *reuse;           /* drawing pass: those layouts, taken in the same order */
  guint          next_reuse;
} Flow;

/* A citation in a section: "[^indicator-id]" becomes a footnote with the indicator's source. */
typedef struct
{
  guint       start;              /* byte range of the footnote number in the laid-out text */
  guint       end;
  char       *note;
} Citation;

void
bnd_page_budget_clear (BndPageBudget *budget)
{
  g_clear_pointer (&budget->overflow_section, g_free);
  g_clear_pointer (&budget->overflow_title, g_free);
  budget->n_pages = 0;
  budget->used_pages = 0;
}

/* The sketch is the official document and German whatever the interface: "12.500,00 €". */
static char *
euros (double amount)
{
  return bnd_format_money (amount, BND_LOCALE_GERMAN);
}

static PangoLayout *
new_layout (Flow       *flow,
            const char *text,
            double      size,
            gboolean    bold,
            double      width)
{
  PangoLayout *layout = pango_cairo_create_layout (flow->cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (FONT_FAMILY);

  pango_font_description_set_size (font, size * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, width * PANGO_SCALE);
  /* Long German compounds break inside the word, with a hyphen, rather than overflow. */
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

/* What a layout was made from, to tell that the drawing pass asks for the same one */
#define LAYOUT_KEY "bnd-pdf-layout-key"

/* The drawing pass asks for the layouts of the measuring pass in the same order (the same code
 * runs, but for the header and footer, which are made apart), and takes them already laid out:
 * shaping every paragraph twice was a fifth of an export. They are not updated to the drawing
 * pass's cairo context: it has the measuring pass's surface options and transformation at the
 * same point of the same code, and an update would only mark each layout changed. Once a layout
 * differs from the one asked for, the rest are made anew. */
static PangoLayout *
make_layout (Flow       *flow,
             const char *text,
             double      size,
             gboolean    bold,
             double      width)
{
  g_autofree char *key = NULL;
  PangoLayout *layout;

  if (flow->kept == NULL && flow->reuse == NULL)
    return new_layout (flow, text, size, bold, width);

  key = g_strdup_printf ("%g %d %g %s", size, bold, width, text);
  if (flow->reuse != NULL && flow->next_reuse < flow->reuse->len)
    {
      layout = g_ptr_array_index (flow->reuse, flow->next_reuse);
      if (g_strcmp0 (g_object_get_data (G_OBJECT (layout), LAYOUT_KEY), key) == 0)
        {
          flow->next_reuse++;
          return g_object_ref (layout);
        }
      flow->reuse = NULL;
    }

  layout = new_layout (flow, text, size, bold, width);
  if (flow->kept != NULL)
    {
      g_object_set_data_full (G_OBJECT (layout), LAYOUT_KEY, g_steal_pointer (&key), g_free);
      g_ptr_array_add (flow->kept, g_object_ref (layout));
    }
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int height;

  pango_layout_get_size (layout, NULL, &height);
  return (double)height / PANGO_SCALE;
}

static double
page_bottom (Flow *flow)
{
  return PAGE_HEIGHT - MARGIN_BOTTOM - flow->notes_height;
}

static void
draw_header_footer (Flow *flow)
{
  const BndAlliance *alliance = bnd_strategy_get_alliance (flow->strategy);
  const char *left = alliance->name;
  g_autofree char *page = g_strdup_printf ("Seite %u von %u", flow->page, flow->total_pages);
  g_autoptr(PangoLayout) left_layout = new_layout (flow, left, 8, FALSE, CONTENT_WIDTH * 0.45);
  g_autoptr(PangoLayout) right_layout = new_layout (flow, bnd_sketch_get_title (flow->sketch), 8, TRUE,
                                                    CONTENT_WIDTH * 0.53);
  g_autoptr(PangoLayout) page_layout = new_layout (flow, page, 8, FALSE, CONTENT_WIDTH);

  cairo_save (flow->cr);
  cairo_set_source_rgb (flow->cr, 0.35, 0.35, 0.35);

  pango_layout_set_ellipsize (left_layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_ellipsize (right_layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (right_layout, PANGO_ALIGN_RIGHT);
  cairo_move_to (flow->cr, MARGIN_LEFT, 40);
  pango_cairo_show_layout (flow->cr, left_layout);
  cairo_move_to (flow->cr, MARGIN_LEFT + CONTENT_WIDTH * 0.47, 40);
  pango_cairo_show_layout (flow->cr, right_layout);

  cairo_set_line_width (flow->cr, 0.5);
  cairo_move_to (flow->cr, MARGIN_LEFT, 56);
  cairo_line_to (flow->cr, PAGE_WIDTH - MARGIN_RIGHT, 56);
  cairo_stroke (flow->cr);

  pango_layout_set_alignment (page_layout, PANGO_ALIGN_CENTER);
  cairo_move_to (flow->cr, MARGIN_LEFT, PAGE_HEIGHT - 40);
  pango_cairo_show_layout (flow->cr, page_layout);
  cairo_restore (flow->cr);
}

/* Structure tags, in the drawing pass only: the measuring pass keeps nothing. */
static void
tag_begin (Flow       *flow,
           const char *role)
{
  if (!flow->draw)
    return;
  bnd_pdf_tag_begin (flow->cr, role);
  g_ptr_array_add (flow->open_tags, (gpointer)role);
}

static void
tag_end (Flow       *flow,
         const char *role)
{
  if (!flow->draw)
    return;
  g_assert (flow->open_tags->len > 0 &&
            g_str_equal (g_ptr_array_index (flow->open_tags, flow->open_tags->len - 1), role));
  bnd_pdf_tag_end (flow->cr, role);
  g_ptr_array_set_size (flow->open_tags, flow->open_tags->len - 1);
}

/* A page break inside a paragraph, list or table: what is open ends on this page (all but the
 * Document), so that the footnotes, header and footer drawn now are not read as part of it,
 * and opens again on the next. */
static void
end_open_tags (Flow *flow)
{
  for (guint i = flow->open_tags->len; i > 1; i--)
    bnd_pdf_tag_end (flow->cr, g_ptr_array_index (flow->open_tags, i - 1));
}

static void
reopen_tags (Flow *flow)
{
  for (guint i = 1; i < flow->open_tags->len; i++)
    bnd_pdf_tag_begin (flow->cr, g_ptr_array_index (flow->open_tags, i));
}

static void
draw_notes (Flow *flow)
{
  double y = PAGE_HEIGHT - MARGIN_BOTTOM - flow->notes_height + NOTE_GAP * 2;

  if (flow->notes->len == 0)
    return;

  cairo_save (flow->cr);
  cairo_set_line_width (flow->cr, 0.5);
  cairo_move_to (flow->cr, MARGIN_LEFT, y);
  cairo_line_to (flow->cr, MARGIN_LEFT + CONTENT_WIDTH / 3, y);
  cairo_stroke (flow->cr);
  y += NOTE_GAP * 2;

  for (guint i = 0; i < flow->notes->len; i++)
    {
      PangoLayout *note = g_ptr_array_index (flow->notes, i);

      bnd_pdf_tag_begin (flow->cr, "Note");
      cairo_move_to (flow->cr, MARGIN_LEFT, y);
      pango_cairo_show_layout (flow->cr, note);
      bnd_pdf_tag_end (flow->cr, "Note");
      y += layout_height (note) + NOTE_GAP;
    }
  cairo_restore (flow->cr);
}

static void
finish_page (Flow *flow)
{
  if (flow->draw)
    {
      end_open_tags (flow);
      draw_notes (flow);
      draw_header_footer (flow);
      cairo_show_page (flow->cr);
    }
  g_ptr_array_set_size (flow->notes, 0);
  flow->notes_height = 0;
}

static void
new_page (Flow *flow)
{
  finish_page (flow);
  if (flow->draw)
    reopen_tags (flow);
  flow->page++;
  flow->y = MARGIN_TOP;

  /* The budget names the section in which the last allowed page ends. */
  if (flow->page == flow->budget->page_limit + 1 && flow->budget->overflow_section == NULL)
    {
      flow->budget->overflow_section = g_strdup (flow->section_id);
      flow->budget->overflow_title = g_strdup (flow->section_title);
    }
}

static void
ensure_space (Flow   *flow,
              double  height)
{
  /* Something taller than a page goes on a fresh page and runs over; it cannot be split. */
  if (flow->y + height > page_bottom (flow) && flow->y > MARGIN_TOP)
    new_page (flow);
}

static double
note_space (Flow        *flow,
            PangoLayout *note)
{
  return layout_height (note) + NOTE_GAP + (flow->notes->len == 0 ? NOTE_GAP * 4 : 0);
}

/* Places @layout line by line from the current position, breaking pages between lines and
 * moving each line's footnotes onto the page where the line lands. */
static void
place_lines (Flow        *flow,
             PangoLayout *layout,
             double       x,
             GArray      *citations)
{
  PangoLayoutIter *iter = pango_layout_get_iter (layout);

  do
    {
      PangoLayoutLine *line = pango_layout_iter_get_line_readonly (iter);
      g_autoptr(GPtrArray) line_notes = g_ptr_array_new_with_free_func (g_object_unref);
      PangoRectangle logical;
      double line_height, baseline, extra = 0;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      line_height = (double)logical.height / PANGO_SCALE;
      baseline = (double)(pango_layout_iter_get_baseline (iter) - logical.y) / PANGO_SCALE;

      for (guint i = 0; citations && i < citations->len; i++)
        {
          Citation *citation = &g_array_index (citations, Citation, i);

          if (citation->start >= (guint)line->start_index &&
              citation->start < (guint)(line->start_index + line->length))
            {
              PangoLayout *note = make_layout (flow, citation->note, NOTE_SIZE, FALSE, CONTENT_WIDTH);

              extra += note_space (flow, note);
              g_ptr_array_add (line_notes, note);
            }
        }

      ensure_space (flow, line_height + extra);

      for (guint i = 0; i < line_notes->len; i++)
        {
          PangoLayout *note = g_ptr_array_index (line_notes, i);

          flow->notes_height += note_space (flow, note);
          g_ptr_array_add (flow->notes, g_object_ref (note));
        }

      if (flow->draw)
        {
          cairo_move_to (flow->cr, x, flow->y + baseline);
          pango_cairo_show_layout_line (flow->cr, line);
        }
      flow->y += line_height;
    }
  while (pango_layout_iter_next_line (iter));

  pango_layout_iter_free (iter);
}

static void
citation_clear (gpointer data)
{
  Citation *citation = data;

  g_free (citation->note);
}

/* Turns "[^id]" markers into superscript footnote numbers. */
static PangoLayout *
make_paragraph (Flow        *flow,
                const char  *text,
                double       width,
                GArray     **citations_out)
{
  g_autoptr(GString) shown = g_string_new (NULL);
  g_autoptr(GArray) citations = g_array_new (FALSE, TRUE, sizeof (Citation));
  PangoAttrList *attrs = pango_attr_list_new ();
  PangoLayout *layout;
  const char *p = text;

  g_array_set_clear_func (citations, citation_clear);

  while (*p)
    {
      const char *open = strstr (p, "[^");
      const char *close = open ? strchr (open, ']') : NULL;
      g_autofree char *id = NULL;
      const BndIndicator *indicator = NULL;

      if (open && close)
        {
          id = g_strndup (open + 2, close - open - 2);
          indicator = bnd_strategy_find_indicator (flow->strategy, id);
        }

      if (indicator == NULL)
        {
          /* Not a citation: copy up to and including the "[^" and go on. */
          gsize n = open ? (gsize)(open - p) + 2 : strlen (p);

          g_string_append_len (shown, p, n);
          p += n;
          continue;
        }

      g_string_append_len (shown, p, open - p);
      {
        Citation citation;
        PangoAttribute *rise, *scale;
        g_autofree char *number = g_strdup_printf ("%u", ++flow->note_number);

        citation.start = shown->len;
        g_string_append (shown, number);
        citation.end = shown->len;
        citation.note = g_strdup_printf ("%s %s%s%s", number, indicator->figure ? indicator->figure : "",
                                         indicator->figure ? ": " : "", indicator->source);

        rise = pango_attr_rise_new (3 * PANGO_SCALE);
        scale = pango_attr_scale_new (0.7);
        rise->start_index = scale->start_index = citation.start;
        rise->end_index = scale->end_index = citation.end;
        pango_attr_list_insert (attrs, rise);
        pango_attr_list_insert (attrs, scale);
        g_array_append_val (citations, citation);
      }
      p = close + 1;
    }

  layout = make_layout (flow, shown->str, BODY_SIZE, FALSE, width);
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  *citations_out = g_steal_pointer (&citations);
  return layout;
}

/* A section's text: a paragraph a line, and lines that start with "- " or "• " as the items of
 * a list. */
static void
paragraphs (Flow       *flow,
            const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  gboolean in_list = FALSE;

  for (guint i = 0; lines[i]; i++)
    {
      g_autoptr(PangoLayout) layout = NULL;
      g_autoptr(PangoLayout) bullet = NULL;
      g_autoptr(GArray) citations = NULL;
      const char *line = g_strstrip (lines[i]);
      gboolean is_bullet = g_str_has_prefix (line, "- ") || g_str_has_prefix (line, "• ");
      double indent = is_bullet ? 14 : 0;

      if (*line == 0)
        continue;
      if (in_list != is_bullet)
        {
          if (in_list)
            tag_end (flow, "L");
          else
            tag_begin (flow, "L");
          in_list = is_bullet;
        }
      if (is_bullet)
        line += g_str_has_prefix (line, "- ") ? 2 : strlen ("• ");

      layout = make_paragraph (flow, line, CONTENT_WIDTH - indent, &citations);
      if (is_bullet)
        {
          double first_line;

          bullet = make_layout (flow, "•", BODY_SIZE, FALSE, indent);
          first_line = layout_height (bullet);
          ensure_space (flow, first_line);
          tag_begin (flow, "LI");
          tag_begin (flow, "Lbl");
          if (flow->draw)
            {
              cairo_move_to (flow->cr, MARGIN_LEFT + 3, flow->y);
              pango_cairo_show_layout (flow->cr, bullet);
            }
          tag_end (flow, "Lbl");
        }
      tag_begin (flow, is_bullet ? "LBody" : "P");
      place_lines (flow, layout, MARGIN_LEFT + indent, citations);
      tag_end (flow, is_bullet ? "LBody" : "P");
      if (is_bullet)
        tag_end (flow, "LI");
      flow->y += PARAGRAPH_GAP;
    }
  if (in_list)
    tag_end (flow, "L");
}

static char *
section_dest (const char *id)
{
  return g_strdup_printf ("section-%s", id);
}

/* "name='VALUE'" for cairo_tag_begin() and outlines: inside the quotes cairo reads \' and \\ as
 * escapes, and an unescaped ' ends the string and puts the surface into an error state. The pack
 * loader allows only safe ids, but the renderer must not depend on that. */
static char *
tag_attribute (const char *name,
               const char *value)
{
  GString *attribute = g_string_new (name);

  g_string_append (attribute, "='");
  for (const char *p = value; *p; p++)
    {
      if (*p == '\'' || *p == '\\')
        g_string_append_c (attribute, '\\');
      g_string_append_c (attribute, *p);
    }
  g_string_append_c (attribute, '\'');
  return g_string_free (attribute, FALSE);
}

static void
heading (Flow       *flow,
         const char *id,
         const char *title)
{
  g_autoptr(PangoLayout) layout = make_layout (flow, title, HEADING_SIZE, TRUE, CONTENT_WIDTH);
  double height = layout_height (layout);

  flow->section_id = id;
  flow->section_title = title;

  /* Keep a heading with at least two lines of its text. */
  flow->y += 6;
  ensure_space (flow, height + 2 * BODY_SIZE * 1.3);

  if (flow->draw)
    {
      g_autofree char *dest = section_dest (id);
      g_autofree char *attributes = tag_attribute ("name", dest);
      g_autofree char *link = tag_attribute ("dest", dest);

      bnd_pdf_tag_begin (flow->cr, "H2");
      cairo_tag_begin (flow->cr, CAIRO_TAG_DEST, attributes);
      cairo_move_to (flow->cr, MARGIN_LEFT, flow->y);
      pango_cairo_show_layout (flow->cr, layout);
      cairo_tag_end (flow->cr, CAIRO_TAG_DEST);
      bnd_pdf_tag_end (flow->cr, "H2");
      cairo_pdf_surface_add_outline (flow->surface, CAIRO_PDF_OUTLINE_ROOT, title, link, 0);
    }
  flow->y += height + 2;
}

typedef struct
{
  const char *label;
  char       *value;
  const char *link;      /* section id the row points to, or NULL */
  gboolean    strong;
} Row;

static void
row_clear (gpointer data)
{
  g_free (((Row *)data)->value);
}

static void
add_row (GArray     *rows,
         const char *label,
         char       *value,
         const char *link,
         gboolean    strong)
{
  Row row = { label, value, link, strong };

  g_array_append_val (rows, row);
}

/* A two-column table with a label column; rows are never split across pages. */
static void
table (Flow     *flow,
       GArray   *rows,
       double    label_share,
       gboolean  right_align_values)
{
  double label_width = CONTENT_WIDTH * label_share;
  double value_width = CONTENT_WIDTH - label_width;

  tag_begin (flow, "Table");
  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = &g_array_index (rows, Row, i);
      g_autoptr(PangoLayout) label = make_layout (flow, row->label, TABLE_SIZE, TRUE, label_width - 10);
      g_autoptr(PangoLayout) value = make_layout (flow, row->value, TABLE_SIZE, row->strong, value_width - 10);
      double height = MAX (layout_height (label), layout_height (value)) + 2 * CELL_PADDING;

      if (right_align_values)
        pango_layout_set_alignment (value, PANGO_ALIGN_RIGHT);

      ensure_space (flow, height);
      if (flow->draw)
        {
          cairo_save (flow->cr);
          if (i % 2 == 0)
            {
              cairo_set_source_rgb (flow->cr, 0.94, 0.95, 0.97);
              cairo_rectangle (flow->cr, MARGIN_LEFT, flow->y, CONTENT_WIDTH, height);
              cairo_fill (flow->cr);
            }
          cairo_set_source_rgb (flow->cr, 0, 0, 0);
          /* The label heads its row */
          bnd_pdf_tag_begin (flow->cr, "TR");
          bnd_pdf_tag_begin (flow->cr, "TH");
          cairo_move_to (flow->cr, MARGIN_LEFT + 5, flow->y + CELL_PADDING);
          pango_cairo_show_layout (flow->cr, label);
          bnd_pdf_tag_end (flow->cr, "TH");
          bnd_pdf_tag_begin (flow->cr, "TD");

          if (row->link != NULL)
            {
              g_autofree char *dest = section_dest (row->link);
              g_autofree char *attributes = tag_attribute ("dest", dest);

              cairo_tag_begin (flow->cr, CAIRO_TAG_LINK, attributes);
              cairo_set_source_rgb (flow->cr, 0.10, 0.30, 0.60);
            }
          cairo_move_to (flow->cr, MARGIN_LEFT + label_width + 5, flow->y + CELL_PADDING);
          pango_cairo_show_layout (flow->cr, value);
          if (row->link != NULL)
            cairo_tag_end (flow->cr, CAIRO_TAG_LINK);
          bnd_pdf_tag_end (flow->cr, "TD");
          bnd_pdf_tag_end (flow->cr, "TR");
          cairo_restore (flow->cr);
        }
      flow->y += height;
    }
  tag_end (flow, "Table");
  flow->y += PARAGRAPH_GAP * 2;
}

static char *
join_titles (Flow        *flow,
             BndLinkKind  kind)
{
  GPtrArray *ids = bnd_sketch_get_links (flow->sketch, kind);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      g_autofree char *item = NULL;

      switch (kind)
        {
        case BND_LINK_GOALS:
        case BND_LINK_CROSS_CUTTING:
          {
            const BndGoal *goal = bnd_strategy_find_goal (flow->strategy, id);
            item = goal == NULL ? g_strdup (id)
                   : goal->cross_cutting ? g_strdup (goal->title)
                   : g_strdup_printf ("%s %s", goal->id, goal->title);
          }
          break;
        case BND_LINK_FIELDS:
          {
            GPtrArray *fields = bnd_strategy_get_fields (flow->strategy);
            for (guint f = 0; f < fields->len && item == NULL; f++)
              {
                const BndField *field = g_ptr_array_index (fields, f);
                if (g_str_equal (field->id, id))
                  item = g_strdup_printf ("%s %s", field->id, field->title);
              }
          }
          break;
        case BND_LINK_TOPICS:
          {
            const BndTopic *topic = bnd_strategy_find_topic (flow->strategy, id);
            item = topic ? g_strdup_printf ("%d %s", topic->number, topic->title) : NULL;
          }
          break;
        case BND_LINK_DISTRICTS:
          {
            const BndDistrict *district = bnd_strategy_find_district (flow->strategy, id);
            item = g_strdup (district ? district->name
                             : g_str_equal (id, BND_DISTRICT_CROSS_DISTRICT) ? "landkreisübergreifend" : id);
          }
          break;
        case BND_N_LINKS:
        default:
          g_assert_not_reached ();
        }

      g_string_append_printf (text, "%s%s", text->len ? "\n" : "", item ? item : id);
    }

  return g_strdup (text->len ? text->str : "–");
}

/* The id of template section @id if the PDF shows it: tables link only to what exists. */
static const char *
find_section (Flow       *flow,
              const char *id)
{
  GPtrArray *sections = bnd_strategy_get_template_sections (flow->strategy);

  /* Empty sections are left out of the PDF, and so are links to them. */
  if (*bnd_sketch_get_section (flow->sketch, id) == 0)
    return NULL;

  for (guint i = 0; i < sections->len; i++)
    {
      const BndTemplateSection *section = g_ptr_array_index (sections, i);
      if (g_str_equal (section->id, id))
        return section->id;
    }
  return NULL;
}

static char *
format_date (const char *iso)
{
  unsigned year, month, day;

  if (iso == NULL || sscanf (iso, "%4u-%2u-%2u", &year, &month, &day) != 3)
    return g_strdup (iso && *iso ? iso : "–");
  return g_strdup_printf ("%02u.%02u.%04u", day, month, year);
}

/* The funding conditions of the sketch's Fördergegenstand that the carrier confirmed, one a
 * line in the pack's German, or NULL when it confirmed none. */
static char *
confirmed_conditions (Flow *flow)
{
  g_autoptr(GPtrArray) conditions = bnd_strategy_dup_conditions_for (flow->strategy,
                                                                     bnd_sketch_get_funding_object (flow->sketch));
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < conditions->len; i++)
    {
      const BndCondition *condition = g_ptr_array_index (conditions, i);

      if (condition->kind == BND_CONDITION_CONFIRMATION &&
          bnd_sketch_has_confirmation (flow->sketch, condition->id))
        g_string_append_printf (text, "%s%s", text->len ? "\n" : "", condition->text.de);
    }
  return text->len ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

static void
title_block (Flow *flow)
{
  const char *title = bnd_sketch_get_title (flow->sketch);
  g_autoptr(PangoLayout) kicker = make_layout (flow, "Projektskizze", 9, TRUE, CONTENT_WIDTH);
  g_autoptr(PangoLayout) layout = make_layout (flow, *title ? title : "Ohne Titel", 17, TRUE, CONTENT_WIDTH);
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (Row));
  GPtrArray *objects = bnd_strategy_get_funding_objects (flow->strategy);
  int funding = bnd_sketch_get_funding_object (flow->sketch);
  g_autofree char *start = format_date (bnd_sketch_get_start (flow->sketch));
  g_autofree char *end = format_date (bnd_sketch_get_end (flow->sketch));
  g_autofree char *partners = NULL;
  g_autofree char *confirmed = NULL;
  GPtrArray *partner_list = bnd_sketch_get_partners (flow->sketch);

  g_array_set_clear_func (rows, row_clear);

  flow->section_id = "title";
  flow->section_title = "Projektskizze";

  /* "Projektskizze" over the title: together the document's heading */
  tag_begin (flow, "H1");
  if (flow->draw)
    {
      cairo_save (flow->cr);
      cairo_set_source_rgb (flow->cr, 0.10, 0.30, 0.60);
      cairo_move_to (flow->cr, MARGIN_LEFT, flow->y);
      pango_cairo_show_layout (flow->cr, kicker);
      cairo_restore (flow->cr);
    }
  flow->y += layout_height (kicker) + 2;
  place_lines (flow, layout, MARGIN_LEFT, NULL);
  tag_end (flow, "H1");
  flow->y += 8;

  {
    GString *list = g_string_new (NULL);
    for (guint i = 0; i < partner_list->len; i++)
      g_string_append_printf (list, "%s%s", i ? "\n" : "", (char *)g_ptr_array_index (partner_list, i));
    partners = g_string_free (list, FALSE);
  }

  add_row (rows, "Projektträger", g_strdup (*bnd_sketch_get_carrier (flow->sketch) ? bnd_sketch_get_carrier (flow->sketch) : "–"), NULL, FALSE);
  add_row (rows, "Ansprechperson", g_strdup (*bnd_sketch_get_contact (flow->sketch) ? bnd_sketch_get_contact (flow->sketch) : "–"), NULL, FALSE);
  if (funding >= 1 && funding <= (int)objects->len)
    {
      const BndFundingObject *object = g_ptr_array_index (objects, funding - 1);
      add_row (rows, "Fördergegenstand", g_strdup_printf ("%d: %s", object->number, object->title), NULL, FALSE);
    }
  else
    add_row (rows, "Fördergegenstand", g_strdup ("–"), NULL, FALSE);
  add_row (rows, "Laufzeit", g_strdup_printf ("%s – %s", start, end), NULL, FALSE);
  if ((confirmed = confirmed_conditions (flow)) != NULL)
    add_row (rows, "Bestätigt", g_steal_pointer (&confirmed), NULL, FALSE);
  if (*partners)
    add_row (rows, "Kooperationspartner", g_steal_pointer (&partners), NULL, FALSE);
  table (flow, rows, 0.3, FALSE);
}

static void
strategy_table (Flow *flow)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (Row));
  const char *contribution = find_section (flow, "strategy_contribution");
  const char *regional = find_section (flow, "regional_reference");

  g_array_set_clear_func (rows, row_clear);

  heading (flow, "strategy", "Beitrag zur Strategie");
  add_row (rows, "Strategische Ziele", join_titles (flow, BND_LINK_GOALS), contribution, FALSE);
  add_row (rows, "Handlungsfelder", join_titles (flow, BND_LINK_FIELDS), contribution, FALSE);
  add_row (rows, "Thematische Schwerpunkte", join_titles (flow, BND_LINK_TOPICS), contribution, FALSE);
  add_row (rows, "Querschnittsziele", join_titles (flow, BND_LINK_CROSS_CUTTING), contribution, FALSE);
  add_row (rows, "Landkreise", join_titles (flow, BND_LINK_DISTRICTS), regional, FALSE);
  table (flow, rows, 0.3, FALSE);
}

static void
cost_table (Flow *flow)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (Row));
  GArray *items = bnd_sketch_get_cost_items (flow->sketch);
  double financing = bnd_sketch_get_requested (flow->sketch) + bnd_sketch_get_own_contribution (flow->sketch) +
                     bnd_sketch_get_co_financing (flow->sketch);

  if (items->len == 0)
    return;

  g_array_set_clear_func (rows, row_clear);
  for (guint i = 0; i < items->len; i++)
    {
      BndCostItem *item = &g_array_index (items, BndCostItem, i);
      add_row (rows, item->label, euros (item->amount), NULL, FALSE);
    }
  add_row (rows, "Gesamtkosten", euros (bnd_sketch_get_cost_total (flow->sketch)), NULL, TRUE);
  add_row (rows, "Beantragte Förderung", euros (bnd_sketch_get_requested (flow->sketch)), NULL, FALSE);
  add_row (rows, "Eigenanteil", euros (bnd_sketch_get_own_contribution (flow->sketch)), NULL, FALSE);
  add_row (rows, "Kofinanzierung", euros (bnd_sketch_get_co_financing (flow->sketch)), NULL, FALSE);
  add_row (rows, "Finanzierung gesamt", euros (financing), NULL, TRUE);
  table (flow, rows, 0.6, TRUE);
}

static void
lay_out (Flow *flow)
{
  GPtrArray *sections = bnd_strategy_get_template_sections (flow->strategy);

  flow->page = 1;
  flow->y = MARGIN_TOP;
  flow->note_number = 0;

  title_block (flow);
  strategy_table (flow);

  for (guint i = 0; i < sections->len; i++)
    {
      const BndTemplateSection *section = g_ptr_array_index (sections, i);
      const char *text = bnd_sketch_get_section (flow->sketch, section->id);
      gboolean has_costs = g_str_equal (section->id, "costs") &&
                           bnd_sketch_get_cost_items (flow->sketch)->len > 0;

      if (*text == 0 && !has_costs)
        continue;

      heading (flow, section->id, section->title);
      paragraphs (flow, text);
      if (g_str_equal (section->id, "costs"))
        cost_table (flow);
    }

  finish_page (flow);
}

static gboolean
run_pass (BndSketch      *sketch,
          BndStrategy    *strategy,
          BndPageBudget  *budget,
          gboolean        draw,
          guint           total_pages,
          GPtrArray      *kept,
          GPtrArray      *reuse,
          GBytes        **out,
          GError        **error)
{
  Flow flow = { 0 };
  GByteArray *written = draw ? g_byte_array_new () : NULL;
  cairo_status_t status = CAIRO_STATUS_SUCCESS;

  flow.sketch = sketch;
  flow.strategy = strategy;
  flow.draw = draw;
  flow.total_pages = total_pages;
  flow.budget = budget;
  flow.kept = kept;
  flow.reuse = reuse;
  flow.notes = g_ptr_array_new_with_free_func (g_object_unref);
  flow.open_tags = g_ptr_array_new ();
  flow.surface = bnd_pdf_surface_new (written);
  if (draw)
    bnd_pdf_set_sketch_info (flow.surface, sketch, strategy);
  flow.cr = cairo_create (flow.surface);

  tag_begin (&flow, "Document");
  lay_out (&flow);
  tag_end (&flow, "Document");

  budget->n_pages = flow.page;
  budget->used_pages = (flow.page - 1) +
                       CLAMP ((flow.y - MARGIN_TOP) / (PAGE_HEIGHT - MARGIN_BOTTOM - MARGIN_TOP), 0.0, 1.0);

  cairo_destroy (flow.cr);
  g_ptr_array_unref (flow.notes);
  g_ptr_array_unref (flow.open_tags);

  if (draw)
    /* The sketch goes to NBank in German, whatever the interface language. */
    return (*out = bnd_pdf_surface_finish (flow.surface, written, "de-DE", error)) != NULL;

  cairo_surface_finish (flow.surface);
  status = cairo_surface_status (flow.surface);
  cairo_surface_destroy (flow.surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write the PDF: %s"),
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

/**
 * bnd_pdf_measure:
 * @sketch: a sketch
 * @strategy: the strategy it follows
 * @budget: (out caller-allocates): where the page budget goes; clear it with
 *   bnd_page_budget_clear()
 * @error: return location for an error
 *
 * Lays the sketch out as bnd_pdf_render() would, without drawing: the page budget.
 *
 * Returns: %TRUE on success
 */
gboolean
bnd_pdf_measure (BndSketch      *sketch,
                 BndStrategy    *strategy,
                 BndPageBudget  *budget,
                 GError        **error)
{
  g_return_val_if_fail (BND_IS_SKETCH (sketch), FALSE);
  g_return_val_if_fail (BND_IS_STRATEGY (strategy), FALSE);
  g_return_val_if_fail (budget != NULL, FALSE);

  memset (budget, 0, sizeof *budget);
  budget->page_limit = bnd_strategy_get_page_limit (strategy);
  return run_pass (sketch, strategy, budget, FALSE, 0, NULL, NULL, NULL, error);
}

/**
 * bnd_pdf_render:
 * @sketch: a sketch
 * @strategy: the strategy it follows
 * @budget: (out caller-allocates) (optional): the page budget of what was written
 * @error: return location for an error
 *
 * Renders the Projektskizze: the same sketch always gives the same bytes.
 *
 * Returns: (transfer full) (nullable): the PDF
 */
GBytes *
bnd_pdf_render (BndSketch      *sketch,
                BndStrategy    *strategy,
                BndPageBudget  *budget,
                GError        **error)
{
  g_autoptr(GPtrArray) layouts = g_ptr_array_new_with_free_func (g_object_unref);
  GBytes *out = NULL;
  BndPageBudget local = { 0 };
  BndPageBudget *measured = budget ? budget : &local;
  guint pages;

  g_return_val_if_fail (BND_IS_SKETCH (sketch), NULL);
  g_return_val_if_fail (BND_IS_STRATEGY (strategy), NULL);

  memset (measured, 0, sizeof *measured);
  measured->page_limit = bnd_strategy_get_page_limit (strategy);
  if (!run_pass (sketch, strategy, measured, FALSE, 0, layouts, NULL, NULL, error))
    return NULL;

  pages = measured->n_pages;
  bnd_page_budget_clear (measured);
  measured->page_limit = bnd_strategy_get_page_limit (strategy);
  if (!run_pass (sketch, strategy, measured, TRUE, pages, NULL, layouts, &out, error))
    {
      bnd_page_budget_clear (&local);
      return NULL;
    }

  bnd_page_budget_clear (&local);
  return out;
}
