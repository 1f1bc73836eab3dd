/* bnd-statement-renderer.c: the statement of the Lenkungskreis after a circulation vote, as PDF
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <cairo-pdf.h>

#include "bnd-format.h"
#include "bnd-pdf-layout.h"
#include "bnd-statement-renderer.h"

/* One A4 page: what was asked, who voted how, the result. The document goes to NBank with the
 * application, so its labels are German whatever the interface language, like the sketch's. */

#define MARGIN       57.0
#define WIDTH        (BND_PDF_PAGE_WIDTH - 2 * MARGIN)
#define BOTTOM       (BND_PDF_PAGE_HEIGHT - MARGIN)

static void
vote_free (BndStatementVote *vote)
{
  g_free (vote->org);
  g_free (vote->choice);
  g_free (vote->comment);
  g_free (vote);
}

BndStatement *
bnd_statement_new (void)
{
  BndStatement *statement = g_new0 (BndStatement, 1);

  statement->votes = g_ptr_array_new_with_free_func ((GDestroyNotify)vote_free);
  statement->recused = g_ptr_array_new_with_free_func (g_free);
  return statement;
}

void
bnd_statement_add_vote (BndStatement *statement,
                        const char   *org,
                        const char   *choice,
                        const char   *comment)
{
  BndStatementVote *vote = g_new0 (BndStatementVote, 1);

  vote->org = g_strdup (org);
  vote->choice = g_strdup (choice);
  vote->comment = g_strdup (comment ? comment : "");
  g_ptr_array_add (statement->votes, vote);
}

void
bnd_statement_free (BndStatement *statement)
{
  if (statement == NULL)
    return;
  g_free (statement->alliance);
  g_free (statement->project);
  g_free (statement->carrier);
  g_free (statement->dossier);
  g_free (statement->question);
  g_free (statement->issued_by);
  g_ptr_array_unref (statement->votes);
  g_ptr_array_unref (statement->recused);
  g_free (statement);
}

static char *
german_date (gint64 unix_time)
{
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_local (unix_time);

  return bnd_format_date (date, BND_LOCALE_GERMAN);
}

static const char *
choice_label (const char *choice)
{
  if (g_strcmp0 (choice, "yes") == 0)
    return "Ja";
  if (g_strcmp0 (choice, "no") == 0)
    return "Nein";
  if (g_strcmp0 (choice, "abstain") == 0)
    return "Enthaltung";
  return "keine Stimme";
}

/* Organisation, vote and comment side by side, the head in bold; returns the tallest cell's
 * height. */
static double
table_row (cairo_t    *cr,
           double      y,
           const char *org,
           const char *choice,
           const char *comment,
           gboolean    head)
{
  const char *role = head ? "TH" : "TD";
  double height;

  bnd_pdf_tag_begin (cr, "TR");
  height = bnd_pdf_tagged_text (cr, role, MARGIN, y, WIDTH * 0.45, org, 10, head);
  height = MAX (height, bnd_pdf_tagged_text (cr, role, MARGIN + WIDTH * 0.47, y, WIDTH * 0.16, choice, 10, head));
  height = MAX (height, bnd_pdf_tagged_text (cr, role, MARGIN + WIDTH * 0.65, y, WIDTH * 0.35, comment,
                                             head ? 10 : 9, head));
  bnd_pdf_tag_end (cr, "TR");
  return height;
}

static double
draw_vote (cairo_t  *cr,
           double    y,
           gpointer  user_data)
{
  const BndStatementVote *vote = user_data;

  return table_row (cr, y, vote->org, choice_label (vote->choice), vote->comment, FALSE) + 3;
}

/**
 * bnd_statement_render:
 *
 * Returns: (transfer full) (nullable): the statement as a German A4 PDF
 */
GBytes *
bnd_statement_render (const BndStatement  *statement,
                      GError             **error)
{
  GByteArray *bytes = g_byte_array_new ();
  cairo_surface_t *surface = bnd_pdf_surface_new (bytes);
  cairo_t *cr = cairo_create (surface);
  g_autofree char *opened = german_date (statement->opened);
  g_autofree char *closed = german_date (statement->closed);
  g_autofree char *issued = german_date (statement->issued);
  g_autofree char *period = g_strdup_printf ("Umlaufverfahren vom %s bis %s", opened, closed);
  g_autofree char *project = g_strdup_printf ("Projekt: %s\nTräger: %s\nDossier: %s",
                                              statement->project, statement->carrier, statement->dossier);
  g_autofree char *result = NULL;
  g_autofree char *footer = g_strdup_printf ("Ausgestellt am %s durch die Netzwerkkoordination (%s).",
                                             issued, statement->issued_by);
  double y = MARGIN;

  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, "Stellungnahme des Lenkungskreises");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT, statement->project);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, statement->alliance);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Bündnis");
  bnd_pdf_set_dates (surface, statement->issued, statement->issued);

  cairo_set_source_rgb (cr, 0, 0, 0);
  bnd_pdf_tag_begin (cr, "Document");
  y += bnd_pdf_tagged_text (cr, "P", MARGIN, y, WIDTH, statement->alliance, 10, FALSE) + 6;
  y += bnd_pdf_tagged_text (cr, "H1", MARGIN, y, WIDTH, "Stellungnahme des Lenkungskreises", 18, TRUE) + 14;
  y += bnd_pdf_tagged_text (cr, "P", MARGIN, y, WIDTH, project, 10.5, FALSE) + 12;
  y += bnd_pdf_tagged_text (cr, "P", MARGIN, y, WIDTH, period, 10.5, TRUE) + 4;
  y += bnd_pdf_tagged_text (cr, "P", MARGIN, y, WIDTH, statement->question, 10.5, FALSE) + 14;

  /* The votes, one row per entitled organisation */
  bnd_pdf_tag_begin (cr, "Table");
  y += table_row (cr, y, "Organisation", "Stimme", "Kommentar", TRUE) + 3;
  bnd_pdf_rule (cr, MARGIN, y, WIDTH);
  y += 4;
  for (guint i = 0; i < statement->votes->len; i++)
    {
      BndStatementVote *vote = g_ptr_array_index (statement->votes, i);

      /* Measured first on a scratch surface, so that a row is never split over two pages. */
      y = bnd_pdf_room_for (cr, y, bnd_pdf_measure_height (draw_vote, vote), MARGIN, BOTTOM);
      y += draw_vote (cr, y, vote);
    }
  bnd_pdf_tag_end (cr, "Table");
  y += 8;

  if (statement->recused->len > 0)
    {
      g_autoptr(GString) recused = g_string_new ("Wegen Befangenheit nicht stimmberechtigt: ");

      for (guint i = 0; i < statement->recused->len; i++)
        g_string_append_printf (recused, "%s%s", i ? ", " : "", (const char *)g_ptr_array_index (statement->recused, i));
      y = bnd_pdf_room_for (cr, y, 40, MARGIN, BOTTOM);
      y += bnd_pdf_tagged_text (cr, "P", MARGIN, y, WIDTH, recused->str, 10, FALSE) + 10;
    }

  result = g_strdup_printf ("Ergebnis: %u Ja, %u Nein, %u Enthaltungen von %u stimmberechtigten Organisationen. "
                            "Beschlussfähig: %s (mehr als die Hälfte hat abgestimmt).",
                            statement->yes, statement->no, statement->abstain, statement->votes->len,
                            statement->quorum ? "ja" : "nein");
  y = bnd_pdf_room_for (cr, y, 110, MARGIN, BOTTOM);
  y += bnd_pdf_tagged_text (cr, "P", MARGIN, y, WIDTH, result, 10.5, FALSE) + 8;
  y += bnd_pdf_tagged_text (cr, "P", MARGIN, y, WIDTH,
                             statement->adopted ? "Der Lenkungskreis befürwortet das Projekt."
                                                : "Der Lenkungskreis befürwortet das Projekt nicht.",
                             12, TRUE) + 24;
  bnd_pdf_tagged_text (cr, "P", MARGIN, y, WIDTH, footer, 9, FALSE);

  bnd_pdf_tag_end (cr, "Document");
  cairo_destroy (cr);
  return bnd_pdf_surface_finish (surface, bytes, "de-DE", error);
}
