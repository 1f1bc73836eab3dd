/* bnd-format.c: money, numbers and dates as people read and type them, in German or English
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-format"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "bnd-format.h"
#include "bnd-input.h"

/* One place for the conventions, so the UI, the CSV, the PDFs, the CLI and the server's e-mail
 * write "120.000,50 €" the same way. The conventions come from an explicit BndLocale rather than
 * from LC_NUMERIC or LC_TIME: the PDF stays German in an English session, and the C library's
 * locale may be C.UTF-8 while the interface is German (as on the server). */

G_DEFINE_QUARK (bnd-format-error-quark, bnd_format_error)

/* The minus sign, not the hyphen, as the PDFs have written it so far; the parser takes both. */
#define MINUS "\342\210\222"

/* A no-break space between the amount and "€", so a label never wraps "186.000" over "€". */
#define NBSP "\302\240"

/* English month names are data, not translations: "1 Mar 2026" must not become "1 Mär 2026"
 * when LC_TIME is German and the interface English. */
static const char *const english_months[] = {
  "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

static gboolean
is_german_name (const char *name)
{
  return name[0] == 'd' && name[1] == 'e' && strchr ("_-.@", name[2]) != NULL;
}

/**
 * bnd_locale_from_language:
 * @language: (nullable): "de", "de_DE.UTF-8", "de-AT", "en", ...; %NULL for the current language
 *
 * Returns: German conventions for any German language, English ones otherwise
 */
BndLocale
bnd_locale_from_language (const char *language)
{
  if (language == NULL)
    return bnd_locale_current ();
  return is_german_name (language) ? BND_LOCALE_GERMAN : BND_LOCALE_ENGLISH;
}

/**
 * bnd_locale_current:
 *
 * Returns: the conventions of the language messages are shown in (LANGUAGE, then LC_MESSAGES), so
 *   numbers and dates follow the words around them
 */
BndLocale
bnd_locale_current (void)
{
  const char *const *names = g_get_language_names_with_category ("LC_MESSAGES");

  /* The list is in order of preference and ends with "C"; only German has a catalogue, so any
   * other language the user prefers before German means the interface shows English. */
  for (guint i = 0; names[i]; i++)
    {
      if (is_german_name (names[i]))
        return BND_LOCALE_GERMAN;
      if (g_str_has_prefix (names[i], "en") || g_str_equal (names[i], "C") || g_str_equal (names[i], "POSIX"))
        return BND_LOCALE_ENGLISH;
    }
  return BND_LOCALE_ENGLISH;
}

/**
 * bnd_locale_language:
 *
 * Returns: "de" or "en", for a server request or a file that records the language
 */
const char *
bnd_locale_language (BndLocale locale)
{
  return locale == BND_LOCALE_GERMAN ? "de" : "en";
}

/* Adds one to a string of decimal digits, in place or by growing it: "0999" → "1000". */
static void
increment_digits (GString *digits)
{
  for (gssize i = (gssize)digits->len - 1; i >= 0; i--)
    {
      if (digits->str[i] != '9')
        {
          digits->str[i]++;
          return;
        }
      digits->str[i] = '0';
    }
  g_string_prepend_c (digits, '1');
}

/**
 * bnd_format_decimal:
 * @value: any finite number
 * @decimals: digits after the decimal separator, rounded half away from zero
 *
 * Rounds as on paper: 0,005 is 0,01 and 1,005 is 1,01, although the nearest double to 1.005 lies
 * just below it. The value is written with 15 significant digits first (all a double holds
 * exactly), and that decimal string is rounded.
 *
 * Returns: (transfer full): "1.234.567,89" (German) or "1,234,567.89" (English); negative
 *   numbers start with the minus sign U+2212
 */
char *
bnd_format_decimal (double    value,
                   guint     decimals,
                   BndLocale locale)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  g_autoptr(GString) result = g_string_new (NULL);
  char buffer[G_ASCII_DTOSTR_BUF_SIZE + 64];
  char format[16];
  const char *point;
  gsize whole_length;
  gboolean negative = value < 0;
  gboolean zero = TRUE;
  double magnitude = fabs (value);
  int exponent = magnitude > 0 ? (int)floor (log10 (magnitude)) : 0;

  g_return_val_if_fail (isfinite (value), g_strdup ("?"));
  decimals = MIN (decimals, 15);

  g_snprintf (format, sizeof format, "%%.%df", CLAMP (14 - exponent, 0, 30));
  g_ascii_formatd (buffer, sizeof buffer, format, magnitude);
  point = strchr (buffer, '.');
  whole_length = point ? (gsize)(point - buffer) : strlen (buffer);

  /* The kept digits without the point, rounded by the first dropped one. */
  g_string_append_len (digits, buffer, whole_length);
  for (guint i = 0; i < decimals; i++)
    g_string_append_c (digits, point && strlen (point + 1) > i ? point[1 + i] : '0');
  if (point && strlen (point + 1) > decimals && point[1 + decimals] >= '5')
    {
      gsize before = digits->len;

      increment_digits (digits);
      whole_length += digits->len - before;
    }

  for (gsize i = 0; i < digits->len; i++)
    zero = zero && digits->str[i] == '0';
  if (negative && !zero)
    g_string_append (result, MINUS);
  for (gsize i = 0; i < whole_length; i++)
    {
      if (i > 0 && (whole_length - i) % 3 == 0)
        g_string_append_c (result, locale == BND_LOCALE_GERMAN ? '.' : ',');
      g_string_append_c (result, digits->str[i]);
    }
  if (decimals > 0)
    {
      g_string_append_c (result, locale == BND_LOCALE_GERMAN ? ',' : '.');
      g_string_append_len (result, digits->str + whole_length, decimals);
    }
  return g_string_free (g_steal_pointer (&result), FALSE);
}

/**
 * bnd_format_figure:
 * @value: a figure from the strategy or a statistic
 *
 * Shows as many decimals as the figure has, at most two: "6.980.000", "2,4", "2,43".
 *
 * Returns: (transfer full): the figure with grouped digits
 */
char *
bnd_format_figure (double    value,
                   BndLocale locale)
{
  char *text = bnd_format_decimal (value, 2, locale);
  char *end = text + strlen (text);

  while (end[-1] == '0')
    *--end = '\0';
  if (end[-1] == ',' || end[-1] == '.')
    *--end = '\0';
  return text;
}

static char *
format_currency (double    amount,
                 guint     decimals,
                 BndLocale locale)
{
  g_autofree char *number = bnd_format_decimal (amount, decimals, locale);

  if (locale == BND_LOCALE_GERMAN)
    return g_strconcat (number, NBSP "€", NULL);
  /* English puts the sign before the symbol: "−€120.00". */
  if (g_str_has_prefix (number, MINUS))
    return g_strconcat (MINUS "€", number + strlen (MINUS), NULL);
  return g_strconcat ("€", number, NULL);
}

/**
 * bnd_format_money:
 *
 * Returns: (transfer full): "120.000,50 €" (German, with a no-break space) or "€120,000.50"
 */
char *
bnd_format_money (double    amount,
                  BndLocale locale)
{
  return format_currency (amount, 2, locale);
}

/**
 * bnd_format_money_whole:
 *
 * Whole euros, for overviews and charts where cents are noise.
 *
 * Returns: (transfer full): "186.000 €" or "€186,000"
 */
char *
bnd_format_money_whole (double    amount,
                  BndLocale locale)
{
  return format_currency (amount, 0, locale);
}

/**
 * bnd_format_date:
 * @date: the day, in the time zone it is meant in
 *
 * English dates name the month ("1 Mar 2026"): "03/01/2026" is the 3rd of January to a British
 * reader and the 1st of March to an American one, and Bündnis is read by both next to German
 * colleagues who write "01.03.2026".
 *
 * Returns: (transfer full): "01.03.2026" or "1 Mar 2026"
 */
char *
bnd_format_date (GDateTime *date,
                 BndLocale  locale)
{
  g_return_val_if_fail (date != NULL, NULL);

  if (locale == BND_LOCALE_GERMAN)
    return g_strdup_printf ("%02d.%02d.%04d", g_date_time_get_day_of_month (date),
                            g_date_time_get_month (date), g_date_time_get_year (date));
  return g_strdup_printf ("%d %s %04d", g_date_time_get_day_of_month (date),
                          english_months[g_date_time_get_month (date) - 1], g_date_time_get_year (date));
}

/**
 * bnd_format_iso_date:
 * @iso: (nullable): "2026-03-01", as the API and the database write days
 *
 * Returns: (transfer full) (nullable): the day as bnd_format_date() writes it, %NULL when @iso is
 *   no day
 */
char *
bnd_format_iso_date (const char *iso,
                     BndLocale   locale)
{
  g_autoptr(GDateTime) date = NULL;
  guint64 year, month, day;
  g_auto(GStrv) parts = NULL;

  if (iso == NULL || strlen (iso) != 10)
    return NULL;
  parts = g_strsplit (iso, "-", -1);
  if (g_strv_length (parts) != 3 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 1, 9999, &year, NULL) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 1, 12, &month, NULL) ||
      !g_ascii_string_to_unsigned (parts[2], 10, 1, 31, &day, NULL) ||
      !g_date_valid_dmy (day, month, year))
    return NULL;
  date = g_date_time_new_utc (year, month, day, 0, 0, 0);
  return bnd_format_date (date, locale);
}

/**
 * bnd_format_date_time:
 * @date_time: the moment, already in the time zone it is shown in
 *
 * Both languages use the 24-hour clock, as the documents it sits next to do.
 *
 * Returns: (transfer full): "01.03.2026, 14:30" or "1 Mar 2026, 14:30"
 */
char *
bnd_format_date_time (GDateTime *date_time,
                      BndLocale  locale)
{
  g_autofree char *date = NULL;

  g_return_val_if_fail (date_time != NULL, NULL);
  date = bnd_format_date (date_time, locale);
  return g_strdup_printf ("%s, %02d:%02d", date, g_date_time_get_hour (date_time),
                          g_date_time_get_minute (date_time));
}

/**
 * bnd_format_days_left:
 * @days: days until a deadline; 0 is today, below 0 it has passed
 *
 * English is the source language, so it needs no catalogue; German comes from the catalogue,
 * so a process that writes German for someone else switches to it first, as bnd-server-mail.c
 * does.
 *
 * Returns: (transfer full): "noch 5 Tage", "heute fällig", "2 Tage überfällig" or the English
 */
char *
bnd_format_days_left (gint64    days,
                      BndLocale locale)
{
  gboolean german = locale == BND_LOCALE_GERMAN;
  guint n = (guint)MIN (days < 0 ? -days : days, G_MAXUINT);

  /* Each format is a literal or comes from g_dngettext(), so the compiler checks the arguments. */
  if (days == 0)
    return g_strdup (german ? _("due today") : "due today");
  if (days > 0)
    return g_strdup_printf (german ? g_dngettext (GETTEXT_PACKAGE, "%u day left", "%u days left", n)
                                   : (n == 1 ? "%u day left" : "%u days left"), n);
  return g_strdup_printf (german ? g_dngettext (GETTEXT_PACKAGE, "%u day overdue", "%u days overdue", n)
                                 : (n == 1 ? "%u day overdue" : "%u days overdue"), n);
}

static gboolean
all_digits (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

/* Whether @text is digits grouped by @separator: 1 to 3 digits, then groups of exactly three. */
static gboolean
is_grouped (const char *text,
            char        separator)
{
  g_auto(GStrv) groups = g_strsplit (text, (char[]){ separator, '\0' }, -1);

  if (g_strv_length (groups) < 2 || !all_digits (groups[0]) || strlen (groups[0]) > 3)
    return FALSE;
  for (guint i = 1; groups[i]; i++)
    if (strlen (groups[i]) != 3 || !all_digits (groups[i]))
      return FALSE;
  return TRUE;
}

static gboolean
fail_amount (GError     **error,
             const char  *text,
             BndLocale    locale)
{
  g_autofree char *example = bnd_format_decimal (120000.5, 2, locale);

  if (locale == BND_LOCALE_GERMAN)
    g_set_error (error, BND_FORMAT_ERROR, BND_FORMAT_ERROR_INVALID,
                 _("“%s” is not an amount. Write it like %s, with dots between thousands and a comma before the cents."),
                 text, example);
  else
    g_set_error (error, BND_FORMAT_ERROR, BND_FORMAT_ERROR_INVALID,
                 _("“%s” is not an amount. Write it like %s, with commas between thousands and a point before the cents."),
                 text, example);
  return FALSE;
}

/**
 * bnd_format_parse_amount:
 * @text: what was typed: "120.000,50", "120000,50", "120.000,50 €" (German) or "120,000.50",
 *   "120000.50", "€120,000.50" (English); a leading "-" is kept for the caller to judge
 * @amount: (out): the amount, set only on success
 *
 * Reads an amount in the conventions of @locale and refuses whatever another reader could take
 * for a different value: "120000.50" in German (a dot only groups thousands there), "120.000" in
 * English (three digits after the point are no cents), groups not of three digits, several
 * decimal separators. Nothing is rounded: more than two decimals are refused.
 *
 * Returns: whether @text is an amount; otherwise @error says how to write one
 */
gboolean
bnd_format_parse_amount (const char  *text,
                         BndLocale    locale,
                         double      *amount,
                         GError     **error)
{
  static const char *const spaces[] = { NBSP, "\342\200\257", "\t" };
  char separator = locale == BND_LOCALE_GERMAN ? ',' : '.';
  char grouping = locale == BND_LOCALE_GERMAN ? '.' : ',';
  g_autofree char *copy = NULL;
  g_autoptr(GString) plain = g_string_new (NULL);
  g_auto(GStrv) parts = NULL;
  g_autofree char *example = NULL;
  const char *number;
  gboolean negative = FALSE;
  gsize whole_digits = 0;
  double value;

  g_return_val_if_fail (amount != NULL, FALSE);

  /* Spaces typed or pasted from a Bescheid, including the no-break ones bnd_format_money writes. */
  copy = g_strdup (text ? text : "");
  for (guint i = 0; i < G_N_ELEMENTS (spaces); i++)
    {
      g_auto(GStrv) pieces = g_strsplit (copy, spaces[i], -1);

      g_free (copy);
      copy = g_strjoinv (" ", pieces);
    }
  g_strstrip (copy);
  if (g_str_has_prefix (copy, "-") || g_str_has_prefix (copy, MINUS))
    {
      gsize sign = copy[0] == '-' ? 1 : strlen (MINUS);

      negative = TRUE;
      memmove (copy, copy + sign, strlen (copy) - sign + 1);
      g_strchug (copy);
    }
  if (g_str_has_suffix (copy, "€"))
    copy[strlen (copy) - strlen ("€")] = '\0';
  else if (g_str_has_prefix (copy, "€"))
    memmove (copy, copy + strlen ("€"), strlen (copy) - strlen ("€") + 1);
  g_strstrip (copy);

  if (*copy == '\0')
    {
      example = bnd_format_decimal (120000.5, 2, locale);
      g_set_error (error, BND_FORMAT_ERROR, BND_FORMAT_ERROR_EMPTY,
                   _("Please enter an amount, for example %s."), example);
      return FALSE;
    }

  parts = g_strsplit (copy, (char[]){ separator, '\0' }, -1);
  if (g_strv_length (parts) > 2 || *parts[0] == '\0')
    return fail_amount (error, text, locale);

  number = parts[0];
  if (strchr (number, grouping) && strchr (number, ' '))
    return fail_amount (error, text, locale);
  if (strchr (number, grouping) || strchr (number, ' '))
    {
      if (!is_grouped (number, strchr (number, ' ') ? ' ' : grouping))
        return fail_amount (error, text, locale);
    }
  else if (!all_digits (number))
    return fail_amount (error, text, locale);
  for (const char *p = number; *p; p++)
    if (g_ascii_isdigit (*p))
      {
        g_string_append_c (plain, *p);
        whole_digits++;
      }

  if (parts[1] != NULL)
    {
      if (!all_digits (parts[1]))
        return fail_amount (error, text, locale);
      if (strlen (parts[1]) > 2)
        {
          example = bnd_format_decimal (120000.5, 2, locale);
          if (locale == BND_LOCALE_GERMAN)
            g_set_error (error, BND_FORMAT_ERROR, BND_FORMAT_ERROR_PRECISION,
                         _("“%s” has more than two digits after the comma. Write euros and cents like %s."),
                         text, example);
          else
            g_set_error (error, BND_FORMAT_ERROR, BND_FORMAT_ERROR_PRECISION,
                         _("“%s” has more than two digits after the decimal point. Write euros and cents like %s."),
                         text, example);
          return FALSE;
        }
      g_string_append_printf (plain, ".%s", parts[1]);
    }

  /* A double holds 15 digits exactly; anything longer would silently change. */
  if (whole_digits > 13)
    {
      g_set_error (error, BND_FORMAT_ERROR, BND_FORMAT_ERROR_INVALID,
                   _("“%s” is too large for an amount."), text);
      return FALSE;
    }

  value = g_ascii_strtod (plain->str, NULL);
  *amount = negative ? -value : value;
  return TRUE;
}

/**
 * bnd_format_parse_date:
 * @text: "01.03.2026" or "1.3.2026" (day, month, year), or ISO "2026-03-01", in either locale
 *
 * The dotted form is read in English too: no English convention writes the month first with
 * dots. Slashes are refused, since "03/01/2026" means two different days.
 *
 * Returns: (transfer full) (nullable): the day as YYYY-MM-DD, or %NULL with @error saying how to
 *   write one
 */
char *
bnd_format_parse_date (const char  *text,
                       BndLocale    locale,
                       GError     **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (text ? text : ""));
  const char *example = locale == BND_LOCALE_GERMAN ? "01.03.2026" : "2026-03-01";
  char *iso;

  if (*copy == '\0')
    {
      g_set_error (error, BND_FORMAT_ERROR, BND_FORMAT_ERROR_EMPTY,
                   _("Please enter a date, for example %s."), example);
      return NULL;
    }
  iso = bnd_input_parse_date (copy);
  if (iso != NULL)
    return iso;
  if (locale == BND_LOCALE_GERMAN)
    g_set_error (error, BND_FORMAT_ERROR, BND_FORMAT_ERROR_INVALID,
                 _("“%s” is not a date. Write it like %s: day, month and a four-digit year."),
                 text, example);
  else
    g_set_error (error, BND_FORMAT_ERROR, BND_FORMAT_ERROR_INVALID,
                 _("“%s” is not a date. Write it like %s: a four-digit year, month and day."),
                 text, example);
  return NULL;
}
