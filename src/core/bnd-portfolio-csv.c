/* bnd-portfolio-csv.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-portfolio-csv"

#include "config.h"

#include <string.h>

#include "bnd-portfolio-csv.h"

/* A CSV field: quoted when it holds a comma, a quote or a line break. */
static void
append_field (GString    *csv,
              const char *text)
{
  if (strpbrk (text, ",\"\n\r") == NULL)
    {
      g_string_append (csv, text);
      return;
    }
  g_string_append_c (csv, '"');
  for (const char *c = text; *c; c++)
    {
      if (*c == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *c);
    }
  g_string_append_c (csv, '"');
}

/**
 * bnd_portfolio_to_csv:
 * @portfolio: a portfolio as GET /api/v1/portfolio answers it
 *
 * One line per dossier, for spreadsheets and scripts: fixed English column names, a dot as the
 * decimal separator whatever the locale, fields quoted as RFC 4180 has it, every line ended by
 * "\n". What `buendnis-cli portfolio --csv` prints and the Portfolio page exports.
 *
 * Returns: (transfer full): the CSV text; just the header when @portfolio holds no dossiers
 */
char *
bnd_portfolio_to_csv (JsonNode *portfolio)
{
  GString *csv = g_string_new ("uuid,title,org,stage,funding_object,requested,approved\n");
  JsonObject *object = portfolio && JSON_NODE_HOLDS_OBJECT (portfolio) ? json_node_get_object (portfolio) : NULL;
  JsonNode *member = object ? json_object_get_member (object, "dossiers") : NULL;
  JsonArray *dossiers = member && JSON_NODE_HOLDS_ARRAY (member) ? json_node_get_array (member) : NULL;

  for (guint i = 0; dossiers && i < json_array_get_length (dossiers); i++)
    {
      JsonNode *node = json_array_get_element (dossiers, i);
      JsonObject *dossier;
      char requested[G_ASCII_DTOSTR_BUF_SIZE];
      char approved[G_ASCII_DTOSTR_BUF_SIZE];

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      dossier = json_node_get_object (node);
      append_field (csv, json_object_get_string_member_with_default (dossier, "uuid", ""));
      g_string_append_c (csv, ',');
      append_field (csv, json_object_get_string_member_with_default (dossier, "title", ""));
      g_string_append_c (csv, ',');
      append_field (csv, json_object_get_string_member_with_default (dossier, "org", ""));
      g_string_append_c (csv, ',');
      append_field (csv, json_object_get_string_member_with_default (dossier, "stage", ""));
      /* For scripts, not for people: a dot and two decimals whatever the language, never
       * bnd-format.c's "120.000,50 €" (README, the portfolio). */
      g_ascii_formatd (requested, sizeof requested, "%.2f",
                       json_object_get_double_member_with_default (dossier, "requested", 0));
      g_ascii_formatd (approved, sizeof approved, "%.2f",
                       json_object_get_double_member_with_default (dossier, "approved", 0));
      g_string_append_printf (csv, ",%" G_GINT64_FORMAT ",%s,%s\n",
                              json_object_get_int_member_with_default (dossier, "funding_object", 0),
                              requested, approved);
    }
  return g_string_free (csv, FALSE);
}
