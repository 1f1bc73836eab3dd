/* bnd-citation-marks.c: citations in a section's text shown as marks, not as markup
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "bnd-citation-marks.h"

/* A section cites a strategy figure as "[^indicator-id]", which the PDF prints as a footnote
 * with the figure's source. In the editor the brackets and caret are hidden and the id is
 * shown as a small raised mark; hovering it tells the figure and its source. The text itself
 * stays as it is: the marks are tags, so what is saved, synced and merged does not change.
 *
 * A deletion that breaks a citation (one bracket gone) shows the rest as plain text again,
 * since it is no longer a citation for the PDF either. */

#define SYNTAX_TAG "citation-syntax"
#define MARK_TAG   "citation-mark"

/* Tags the citations of the whole buffer afresh: a section holds at most a few pages, so
 * this is cheap enough for every change, and it cannot miss a citation that an edit far
 * away joined or split. */
static void
mark_citations (GtkTextBuffer *buffer,
                BndStrategy   *strategy)
{
  g_autofree char *text = NULL;
  GtkTextIter start, end;
  const char *p;
  const char *counted;   /* the text up to here is @offset characters long */
  glong offset = 0;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag_by_name (buffer, SYNTAX_TAG, &start, &end);
  gtk_text_buffer_remove_tag_by_name (buffer, MARK_TAG, &start, &end);

  text = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
  counted = text;
  for (p = text; (p = strstr (p, "[^")) != NULL;)
    {
      const char *id = p + 2;
      const char *close = id;
      GtkTextIter open_at, id_at, close_at, after;

      /* the ids of the pack: letters, digits, dashes and underscores */
      while (g_ascii_isalnum (*close) || *close == '-' || *close == '_' || *close == '.')
        close++;
      /* Only what the PDF turns into a footnote is a mark: an id the strategy does not have is
       * printed as it stands, so it stays visible here too. */
      if (*close != ']' || close == id)
        {
          p = id;
          continue;
        }
      {
        g_autofree char *cited = g_strndup (id, close - id);

        if (bnd_strategy_find_indicator (strategy, cited) == NULL)
          {
            p = close;
            continue;
          }
      }

      /* counted on from the last citation, not from the start each time; "[^" and the id are ASCII */
      offset += g_utf8_pointer_to_offset (counted, p);
      counted = p;
      gtk_text_buffer_get_iter_at_offset (buffer, &open_at, offset);
      gtk_text_buffer_get_iter_at_offset (buffer, &id_at, offset + 2);
      gtk_text_buffer_get_iter_at_offset (buffer, &close_at, offset + (close - p));
      after = close_at;
      gtk_text_iter_forward_char (&after);
      gtk_text_buffer_apply_tag_by_name (buffer, SYNTAX_TAG, &open_at, &id_at);
      gtk_text_buffer_apply_tag_by_name (buffer, MARK_TAG, &id_at, &close_at);
      gtk_text_buffer_apply_tag_by_name (buffer, SYNTAX_TAG, &close_at, &after);
      p = close + 1;
    }
}

/* The id under the pointer, if it is in a citation mark. */
static char *
citation_at (GtkTextView *view,
             int          x,
             int          y)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextTag *mark = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), MARK_TAG);
  GtkTextIter iter, start, end;
  int bx, by;

  gtk_text_view_window_to_buffer_coords (view, GTK_TEXT_WINDOW_WIDGET, x, y, &bx, &by);
  if (!gtk_text_view_get_iter_at_location (view, &iter, bx, by) || !gtk_text_iter_has_tag (&iter, mark))
    return NULL;
  start = end = iter;
  if (!gtk_text_iter_starts_tag (&start, mark))
    gtk_text_iter_backward_to_tag_toggle (&start, mark);
  gtk_text_iter_forward_to_tag_toggle (&end, mark);
  return gtk_text_iter_get_text (&start, &end);
}

static gboolean
on_query_tooltip_cb (GtkWidget  *widget,
                     int         x,
                     int         y,
                     gboolean    keyboard_mode,
                     GtkTooltip *tooltip,
                     gpointer    user_data)
{
  BndStrategy *strategy = user_data;
  g_autofree char *id = keyboard_mode ? NULL : citation_at (GTK_TEXT_VIEW (widget), x, y);
  const BndIndicator *indicator;
  g_autofree char *text = NULL;

  if (id == NULL)
    return FALSE;
  if ((indicator = bnd_strategy_find_indicator (strategy, id)) != NULL)
    /* Translators: a cited figure and where it comes from; the PDF prints the source as a footnote */
    text = g_strdup_printf (_("Citation: %s (%s)\nSource: %s"), indicator->label, indicator->year, indicator->source);
  else
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/**
 * bnd_citation_marks_attach:
 * @view: a section's text view
 * @strategy: the strategy whose figures are cited
 *
 * Shows the citations in @view as marks, now and after every change.
 */
void
bnd_citation_marks_attach (GtkTextView *view,
                           BndStrategy *strategy)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);

  g_return_if_fail (GTK_IS_TEXT_VIEW (view));
  g_return_if_fail (BND_IS_STRATEGY (strategy));

  gtk_text_buffer_create_tag (buffer, SYNTAX_TAG, "invisible", TRUE, NULL);
  gtk_text_buffer_create_tag (buffer, MARK_TAG,
                              "scale", PANGO_SCALE_SMALL,
                              "rise", 4 * PANGO_SCALE,
                              "weight", PANGO_WEIGHT_BOLD,
                              "foreground-rgba", &(GdkRGBA) { 0.21, 0.52, 0.89, 1.0 },
                              "background-rgba", &(GdkRGBA) { 0.21, 0.52, 0.89, 0.16 },
                              NULL);
  /* the buffer keeps the strategy it marks against for as long as it lives */
  g_object_set_data_full (G_OBJECT (buffer), "bnd-citation-strategy", g_object_ref (strategy), g_object_unref);
  g_signal_connect (buffer, "changed", G_CALLBACK (mark_citations), strategy);
  g_signal_connect_object (view, "query-tooltip", G_CALLBACK (on_query_tooltip_cb), strategy, 0);
  gtk_widget_set_has_tooltip (GTK_WIDGET (view), TRUE);
  mark_citations (buffer, strategy);
}
