/* bnd-session-renderer.c: a Lenkungskreis session's agenda and minutes as PDF
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-session-renderer"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>

#include "bnd-format.h"
#include "bnd-json-check.h"
#include "bnd-pdf-layout.h"
#include "bnd-format.h"
#include "bnd-session.h"
#include "bnd-stage.h"

/* What GET /api/v1/sessions/UUID answers, on A4: the agenda that goes out before a session and
 * the minutes after it. Unlike the statement, which goes to NBank in German, these are the
 * alliance's own papers and follow the reader's language. A carrier's copy holds only its own
 * items, since the server sends it no others. */

#define MARGIN       57.0
#define WIDTH        (BND_PDF_PAGE_WIDTH - 2 * MARGIN)
#define BOTTOM       (BND_PDF_PAGE_HEIGHT - MARGIN)
#define INDENT       22.0

typedef struct
{
  BndStrategy        *strategy;
  JsonObject         *item;
  guint               number;
  BndSessionDocument  document;
} Item;

static char *
funding_object_text (BndStrategy *strategy,
                     gint64       number)
{
  GPtrArray *objects = bnd_strategy_get_funding_objects (strategy);

  for (guint i = 0; objects && i < objects->len; i++)
    {
      const BndFundingObject *object = g_ptr_array_index (objects, i);

      if (object->number == number)
        return g_strdup_printf ("%d %s", object->number, object->title);
    }
  return number > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, number) : g_strdup ("–");
}

static double
draw_item (cairo_t  *cr,
           double    y,
           gpointer  user_data)
{
  const Item *it = user_data;
  JsonObject *item = it->item;
  g_autofree char *heading = g_strdup_printf ("%u.", it->number);
  g_autofree char *amount = bnd_format_money_whole (json_object_get_double_member_with_default (item, "requested", 0), bnd_locale_current ());
  g_autofree char *funding = funding_object_text (it->strategy,
                                                  json_object_get_int_member_with_default (item, "funding_object", 0));
  g_autofree char *details = NULL;
  const char *title = json_object_get_string_member_with_default (item, "title", "");
  const char *outcome = json_object_get_string_member_with_default (item, "outcome", NULL);
  const char *notes = json_object_get_string_member_with_default (item, "notes", NULL);
  double top = y;

  details = g_strdup_printf ("%s %s\n%s %s\n%s %s\n%s %s",
                             _("Carrier:"), json_object_get_string_member_with_default (item, "carrier", ""),
                             _("Stage:"), bnd_stage_get_label (json_object_get_string_member_with_default (item, "stage", "")),
                             _("Requested:"), amount,
                             _("Fördergegenstand:"), funding);
  bnd_pdf_tag_begin (cr, "H3");
  bnd_pdf_text (cr, MARGIN, y, INDENT, heading, 11.5, TRUE);
  y += bnd_pdf_text (cr, MARGIN + INDENT, y, WIDTH - INDENT, *title ? title : _("(untitled)"), 11.5, TRUE) + 3;
  bnd_pdf_tag_end (cr, "H3");
  y += bnd_pdf_tagged_text (cr, "P", MARGIN + INDENT, y, WIDTH - INDENT, details, 9.5, FALSE) + 4;
  if (it->document == BND_SESSION_MINUTES)
    {
      g_autofree char *said = g_strdup_printf ("%s %s", _("Outcome:"),
                                               outcome ? bnd_session_outcome_label (outcome) : _("not recorded"));

      y += bnd_pdf_tagged_text (cr, "P", MARGIN + INDENT, y, WIDTH - INDENT, said, 10, TRUE) + 2;
      if (notes && *notes)
        y += bnd_pdf_tagged_text (cr, "P", MARGIN + INDENT, y, WIDTH - INDENT, notes, 10, FALSE) + 2;
    }
  return y - top + 12;
}

/* When the last outcome was recorded, 0 if none was: the minutes' date of change. */
static gint64
last_recorded (JsonArray *items)
{
  gint64 last = 0;

  for (guint i = 0; items && i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      JsonNode *recorded = item ? json_object_get_member (item, "recorded") : NULL;

      if (recorded && JSON_NODE_HOLDS_VALUE (recorded) && json_node_get_value_type (recorded) == G_TYPE_INT64)
        last = MAX (last, json_node_get_int (recorded));
    }
  return last;
}

/**
 * bnd_session_render_pdf:
 * @strategy: the pack: the alliance's name and the Fördergegenstände
 * @session: a session as GET /api/v1/sessions/UUID gives it
 *
 * Returns: (transfer full): the agenda or the minutes, in the language of the catalogue
 */
GBytes *
bnd_session_render_pdf (BndStrategy         *strategy,
                        JsonObject          *session,
                        BndSessionDocument   document,
                        GError             **error)
{
  const BndAlliance *alliance = bnd_strategy_get_alliance (strategy);
  JsonArray *items = bnd_json_array_of (session, "items");
  const char *title = json_object_get_string_member_with_default (session, "title", "");
  const char *place = json_object_get_string_member_with_default (session, "place", NULL);
  const char *link = json_object_get_string_member_with_default (session, "link", NULL);
  const char *held = json_object_get_string_member_with_default (session, "held", NULL);
  const char *kind = document == BND_SESSION_MINUTES ? _("Minutes of the Lenkungskreis session")
                                                    : _("Agenda of the Lenkungskreis session");
  g_autofree char *when = NULL;
  g_autoptr(GString) where = g_string_new (NULL);
  GByteArray *bytes;
  cairo_surface_t *surface;
  cairo_t *cr;
  double y = MARGIN;

  if (json_object_get_string_member_with_default (session, "date", NULL) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s", _("The session lacks its date"));
      return NULL;
    }
  when = bnd_session_describe_when (session);
  g_string_append_printf (where, "%s %s", _("When:"), when);
  if (place && *place)
    g_string_append_printf (where, "\n%s %s", _("Place:"), place);
  if (link && *link)
    g_string_append_printf (where, "\n%s %s", _("Online:"), link);
  if (document == BND_SESSION_MINUTES)
    {
      g_autofree char *day = held ? bnd_session_format_date (held) : NULL;

      g_string_append_printf (where, "\n%s %s", _("Held on:"), day ? day : _("not yet held"));
    }

  bytes = g_byte_array_new ();
  surface = bnd_pdf_surface_new (bytes);
  cr = cairo_create (surface);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, kind);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, alliance->name);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Bündnis");
  bnd_pdf_set_dates (surface, json_object_get_int_member_with_default (session, "created", 0),
                     last_recorded (items));

  cairo_set_source_rgb (cr, 0, 0, 0);
  bnd_pdf_tag_begin (cr, "Document");
  y += bnd_pdf_tagged_text (cr, "P", MARGIN, y, WIDTH, alliance->name, 10, FALSE) + 6;
  /* The kind of paper and the session's title make one heading: "Agenda …: Spring session" */
  bnd_pdf_tag_begin (cr, "H1");
  y += bnd_pdf_text (cr, MARGIN, y, WIDTH, kind, 12, FALSE) + 2;
  y += bnd_pdf_text (cr, MARGIN, y, WIDTH, title, 18, TRUE) + 12;
  bnd_pdf_tag_end (cr, "H1");
  y += bnd_pdf_tagged_text (cr, "P", MARGIN, y, WIDTH, where->str, 10.5, FALSE) + 16;

  y += bnd_pdf_tagged_text (cr, "H2", MARGIN, y, WIDTH, _("Dossiers"), 12, TRUE) + 3;
  bnd_pdf_rule (cr, MARGIN, y, WIDTH);
  y += 8;
  if (items == NULL || json_array_get_length (items) == 0)
    y += bnd_pdf_tagged_text (cr, "P", MARGIN, y, WIDTH, _("No dossier is on the agenda."), 10.5, FALSE) + 12;
  for (guint i = 0; items && i < json_array_get_length (items); i++)
    {
      Item it = { strategy, json_array_get_object_element (items, i), i + 1, document };

      if (it.item == NULL)
        continue;
      /* Measured first, so that an item is never split over two pages. */
      y = bnd_pdf_room_for (cr, y, bnd_pdf_measure_height (draw_item, &it), MARGIN, BOTTOM);
      y += draw_item (cr, y, &it);
    }

  y = bnd_pdf_room_for (cr, y + 8, 40, MARGIN, BOTTOM);
  bnd_pdf_tagged_text (cr, "P", MARGIN, y, WIDTH,
                       _("The Lenkungskreis meets at least three times a year to discuss and decide on "
                         "projects (Regionale Strategie Nordostniedersachsen 2024–2027, §4.1)."), 8.5, FALSE);
  bnd_pdf_tag_end (cr, "Document");

  cairo_destroy (cr);
  /* In the language of the words, which is the language of the catalogue */
  return bnd_pdf_surface_finish (surface, bytes,
                                 bnd_locale_current () == BND_LOCALE_GERMAN ? "de-DE" : "en", error);
}
