/* bnd-input.c: amounts and dates as people type them, in German or as the API writes them
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-input"

#include "config.h"

#include <string.h>

#include "bnd-input.h"

/* The API takes numbers and ISO dates; a Bescheid says "120.000,50 €" and "01.03.2026". Both are
 * read here, whatever the interface language, since the documents are German either way. */

/* Whether @text is digits in groups of three after the first, joined by @separator: "120.000". */
static gboolean
is_grouped (const char *text,
            char        separator)
{
  const char *group = strchr (text, separator);
  gsize lead = group ? (gsize)(group - text) : strlen (text);

  if (group == NULL || lead == 0 || lead > 3)
    return FALSE;
  for (const char *p = text; p < group; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  while (group != NULL)
    {
      const char *next = strchr (group + 1, separator);
      gsize length = next ? (gsize)(next - group - 1) : strlen (group + 1);

      if (length != 3)
        return FALSE;
      for (gsize i = 1; i <= 3; i++)
        if (!g_ascii_isdigit (group[i]))
          return FALSE;
      group = next;
    }
  return TRUE;
}

/**
 * bnd_input_parse_amount:
 * @text: "120000", "120000.5", "120.000,50", "120 000,50", "120000,50 €"
 * @amount: (out): the amount in euros
 *
 * Reads an amount in euros. A comma is the decimal separator, as in German; then dots and spaces
 * group thousands. Without a comma, dots in groups of three are thousands ("120.000"), one dot
 * otherwise is the decimal point ("120000.5").
 *
 * Returns: whether @text is an amount above zero
 */
gboolean
bnd_input_parse_amount (const char *text,
                        double     *amount)
{
  g_autoptr(GString) plain = g_string_new (NULL);
  g_autofree char *stripped = NULL;
  char *end = NULL;
  double value;

  if (text == NULL)
    return FALSE;
  stripped = g_strstrip (g_strdup (text));
  if (g_str_has_suffix (stripped, "€"))
    {
      stripped[strlen (stripped) - strlen ("€")] = '\0';
      g_strchomp (stripped);
    }

  if (strchr (stripped, ','))
    {
      g_auto(GStrv) parts = g_strsplit (stripped, ",", -1);

      if (g_strv_length (parts) != 2 || *parts[1] == '\0')
        return FALSE;
      g_strdelimit (parts[0], " ", '.');
      if (strchr (parts[0], '.') && !is_grouped (parts[0], '.'))
        return FALSE;
      for (const char *p = parts[0]; *p; p++)
        if (*p != '.')
          g_string_append_c (plain, *p);
      g_string_append_printf (plain, ".%s", parts[1]);
    }
  else if (is_grouped (stripped, '.') || is_grouped (stripped, ' '))
    {
      for (const char *p = stripped; *p; p++)
        if (*p != '.' && *p != ' ')
          g_string_append_c (plain, *p);
    }
  else
    g_string_append (plain, stripped);

  for (const char *p = plain->str; *p; p++)
    if (!g_ascii_isdigit (*p) && *p != '.')
      return FALSE;
  value = g_ascii_strtod (plain->str, &end);
  if (plain->len == 0 || end == NULL || *end != '\0' || !(value > 0))
    return FALSE;
  *amount = value;
  return TRUE;
}

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
