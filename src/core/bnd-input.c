/* bnd-input.c: dates and times as people type them, in German or as the API writes them
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-input"

#include "config.h"

#include <string.h>

#include "bnd-input.h"

/* The API takes ISO dates; a Bescheid says "01.03.2026". Both are read here, whatever the
 * interface language, since the documents are German either way. Amounts are read in the user's
 * language by bnd_format_parse_amount(), where "120,000" means different things. */

/**
 * bnd_input_parse_date:
 * @text: "2026-03-01", "01.03.2026" or "1.3.2026"
 *
 * Returns: (transfer full) (nullable): the day as YYYY-MM-DD, or %NULL when @text is no real day
 */
char *
bnd_input_parse_date (const char *text)
{
  g_auto(GStrv) parts = NULL;
  guint64 day, month, year;
  gboolean german;

  if (text == NULL)
    return NULL;
  german = strchr (text, '.') != NULL;
  parts = g_strsplit (text, german ? "." : "-", -1);
  if (g_strv_length (parts) != 3 ||
      !g_ascii_string_to_unsigned (parts[german ? 0 : 2], 10, 1, 31, &day, NULL) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 1, 12, &month, NULL) ||
      !g_ascii_string_to_unsigned (parts[german ? 2 : 0], 10, 1000, 9999, &year, NULL) ||
      strlen (parts[german ? 2 : 0]) != 4 ||
      !g_date_valid_dmy (day, month, year))
    return NULL;
  return g_strdup_printf ("%04u-%02u-%02u", (guint)year, (guint)month, (guint)day);
}

/**
 * bnd_input_parse_time:
 * @text: a time of day: "14:30", "14.30", "9:00", "14" or "14 Uhr"
 *
 * Returns: (transfer full) (nullable): the time as HH:MM, or %NULL when @text is none
 */
char *
bnd_input_parse_time (const char *text)
{
  g_autofree char *copy = NULL;
  g_auto(GStrv) parts = NULL;
  guint64 hour, minute = 0;

  if (text == NULL)
    return NULL;
  copy = g_strstrip (g_strdup (text));
  if (g_str_has_suffix (copy, "Uhr"))
    {
      copy[strlen (copy) - 3] = '\0';
      g_strstrip (copy);
    }
  parts = g_strsplit_set (copy, ":.", -1);
  if (g_strv_length (parts) < 1 || g_strv_length (parts) > 2 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 0, 23, &hour, NULL) || strlen (parts[0]) > 2 ||
      (parts[1] && (strlen (parts[1]) != 2 || !g_ascii_string_to_unsigned (parts[1], 10, 0, 59, &minute, NULL))))
    return NULL;
  return g_strdup_printf ("%02u:%02u", (guint)hour, (guint)minute);
}
