/* test-format.c: money, numbers and dates written and read in German and English
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bnd-format.h"
#include "bnd-i18n.h"

#include <string.h>

#define DE BND_LOCALE_GERMAN
#define EN BND_LOCALE_ENGLISH
#define NBSP "\302\240"
#define MINUS "\342\210\222"

static void
test_locale (void)
{
  g_assert_cmpint (bnd_locale_from_language ("de"), ==, DE);
  g_assert_cmpint (bnd_locale_from_language ("de_DE.UTF-8"), ==, DE);
  g_assert_cmpint (bnd_locale_from_language ("de-AT"), ==, DE);
  g_assert_cmpint (bnd_locale_from_language ("en"), ==, EN);
  g_assert_cmpint (bnd_locale_from_language ("en_GB"), ==, EN);
  g_assert_cmpint (bnd_locale_from_language ("dexx"), ==, EN);
  g_assert_cmpint (bnd_locale_from_language ("C"), ==, EN);
  g_assert_cmpstr (bnd_locale_language (DE), ==, "de");
  g_assert_cmpstr (bnd_locale_language (EN), ==, "en");
  /* main() asks for German messages. */
  g_assert_cmpint (bnd_locale_current (), ==, DE);
  g_assert_cmpint (bnd_locale_from_language (NULL), ==, DE);
}

static void
test_number (void)
{
  static const struct { double value; guint decimals; const char *de; const char *en; } cases[] = {
    { 0, 2, "0,00", "0.00" },
    { 0.005, 2, "0,01", "0.01" },
    { 0.004, 2, "0,00", "0.00" },
    { 1.005, 2, "1,01", "1.01" },           /* the double lies just below 1.005 */
    { 2.675, 2, "2,68", "2.68" },
    { 999.995, 2, "1.000,00", "1,000.00" }, /* the carry reaches a new group */
    { -0.005, 2, MINUS "0,01", MINUS "0.01" },
    { -0.004, 2, "0,00", "0.00" },          /* no "−0,00" */
    { -1234.5, 2, MINUS "1.234,50", MINUS "1,234.50" },
    { 120000.5, 2, "120.000,50", "120,000.50" },
    { 1234567.891, 2, "1.234.567,89", "1,234,567.89" },
    { 9876543210123.45, 2, "9.876.543.210.123,45", "9,876,543,210,123.45" },
    { 1e15, 0, "1.000.000.000.000.000", "1,000,000,000,000,000" },
    { 186000.49, 0, "186.000", "186,000" },
    { 186000.5, 0, "186.001", "186,001" },
    { 999, 0, "999", "999" },
    { 1000, 0, "1.000", "1,000" },
    { 3.14159, 3, "3,142", "3.142" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *de = bnd_format_decimal (cases[i].value, cases[i].decimals, DE);
      g_autofree char *en = bnd_format_decimal (cases[i].value, cases[i].decimals, EN);

      g_assert_cmpstr (de, ==, cases[i].de);
      g_assert_cmpstr (en, ==, cases[i].en);
    }
}

static void
test_figure (void)
{
  static const struct { double value; const char *de; const char *en; } cases[] = {
    { 6980000, "6.980.000", "6,980,000" }, { 2.4, "2,4", "2.4" }, { 2.43, "2,43", "2.43" },
    { 2.435, "2,44", "2.44" }, { 100.001, "100", "100" }, { 0, "0", "0" }, { -0.5, MINUS "0,5", MINUS "0.5" },
    { -0.001, "0", "0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *de = bnd_format_figure (cases[i].value, DE);
      g_autofree char *en = bnd_format_figure (cases[i].value, EN);

      g_assert_cmpstr (de, ==, cases[i].de);
      g_assert_cmpstr (en, ==, cases[i].en);
    }
}

static void
test_money (void)
{
  static const struct { double value; const char *de; const char *en; const char *de_whole; const char *en_whole; } cases[] = {
    { 120000.5, "120.000,50" NBSP "€", "€120,000.50", "120.001" NBSP "€", "€120,001" },
    { 186000, "186.000,00" NBSP "€", "€186,000.00", "186.000" NBSP "€", "€186,000" },
    { 0.005, "0,01" NBSP "€", "€0.01", "0" NBSP "€", "€0" },
    { -2500.75, MINUS "2.500,75" NBSP "€", MINUS "€2,500.75", MINUS "2.501" NBSP "€", MINUS "€2,501" },
    { 3850000, "3.850.000,00" NBSP "€", "€3,850,000.00", "3.850.000" NBSP "€", "€3,850,000" },
    /* What the sketch's and the portfolio's PDFs wrote before they used this module. */
    { 310000, "310.000,00" NBSP "€", "€310,000.00", "310.000" NBSP "€", "€310,000" },
    { 1234.5, "1.234,50" NBSP "€", "€1,234.50", "1.235" NBSP "€", "€1,235" },
    { 999.5, "999,50" NBSP "€", "€999.50", "1.000" NBSP "€", "€1,000" },
    { 0, "0,00" NBSP "€", "€0.00", "0" NBSP "€", "€0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *de = bnd_format_money (cases[i].value, DE);
      g_autofree char *en = bnd_format_money (cases[i].value, EN);
      g_autofree char *de_whole = bnd_format_money_whole (cases[i].value, DE);
      g_autofree char *en_whole = bnd_format_money_whole (cases[i].value, EN);

      g_assert_cmpstr (de, ==, cases[i].de);
      g_assert_cmpstr (en, ==, cases[i].en);
      g_assert_cmpstr (de_whole, ==, cases[i].de_whole);
      g_assert_cmpstr (en_whole, ==, cases[i].en_whole);
    }
}

static void
test_date (void)
{
  g_autoptr(GDateTime) moment = g_date_time_new_utc (2026, 3, 1, 7, 5, 0);
  g_autoptr(GDateTime) december = g_date_time_new_utc (2026, 12, 24, 23, 59, 0);
  g_autofree char *de = bnd_format_date (moment, DE);
  g_autofree char *en = bnd_format_date (moment, EN);
  g_autofree char *de_time = bnd_format_date_time (moment, DE);
  g_autofree char *en_time = bnd_format_date_time (december, EN);
  g_autofree char *iso_de = bnd_format_iso_date ("2026-03-01", DE);
  g_autofree char *iso_en = bnd_format_iso_date ("2028-02-29", EN);

  g_assert_cmpstr (de, ==, "01.03.2026");
  g_assert_cmpstr (en, ==, "1 Mar 2026");
  g_assert_cmpstr (de_time, ==, "01.03.2026, 07:05");
  g_assert_cmpstr (en_time, ==, "24 Dec 2026, 23:59");
  g_assert_cmpstr (iso_de, ==, "01.03.2026");
  g_assert_cmpstr (iso_en, ==, "29 Feb 2028");
  for (const char *const *bad = (const char *const[]){ "2026-02-29", "2026-13-01", "01.03.2026", "2026-3-1", "", NULL };
       *bad; bad++)
    g_assert_null (bnd_format_iso_date (*bad, DE));
  g_assert_null (bnd_format_iso_date (NULL, EN));
}

static void
test_days_left (void)
{
  static const struct { gint64 days; const char *de; const char *en; } cases[] = {
    { 5, "noch 5 Tage", "5 days left" },
    { 1, "noch 1 Tag", "1 day left" },
    { 0, "heute fällig", "due today" },
    { -1, "1 Tag überfällig", "1 day overdue" },
    { -12, "12 Tage überfällig", "12 days overdue" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *de = bnd_format_days_left (cases[i].days, DE);
      /* English although the process's messages are German: the caller asked for English. */
      g_autofree char *en = bnd_format_days_left (cases[i].days, EN);

      g_assert_cmpstr (de, ==, cases[i].de);
      g_assert_cmpstr (en, ==, cases[i].en);
    }
}

static void
test_parse_amount (void)
{
  static const struct { const char *text; BndLocale locale; double amount; } good[] = {
    { "120.000,50", DE, 120000.5 }, { "120000,50", DE, 120000.5 }, { "120.000", DE, 120000 },
    { "120 000,50", DE, 120000.5 }, { "120.000,50 €", DE, 120000.5 }, { "120.000,50" NBSP "€", DE, 120000.5 },
    { "1.234.567,89", DE, 1234567.89 }, { " 186000 ", DE, 186000 }, { "0,5", DE, 0.5 }, { "-2.500,75", DE, -2500.75 }, { MINUS "2.500,75", DE, -2500.75 },
    { "0", DE, 0 }, { "9.999.999.999.999,99", DE, 9999999999999.99 },
    { "120,000.50", EN, 120000.5 }, { "120000.50", EN, 120000.5 }, { "120,000", EN, 120000 },
    { "€120,000.50", EN, 120000.5 }, { MINUS "€2,500.75", EN, -2500.75 }, { "-€2,500.75", EN, -2500.75 }, { "0.5", EN, 0.5 }, { "120 000.50", EN, 120000.5 },
  };
  static const struct { const char *text; BndLocale locale; BndFormatError code; } bad[] = {
    { "", DE, BND_FORMAT_ERROR_EMPTY }, { "  € ", EN, BND_FORMAT_ERROR_EMPTY }, { NULL, DE, BND_FORMAT_ERROR_EMPTY },
    { "120.00,5", DE, BND_FORMAT_ERROR_INVALID }, { "1.2.3", DE, BND_FORMAT_ERROR_INVALID },
    { "12,5.0", DE, BND_FORMAT_ERROR_INVALID }, { "120000.50", DE, BND_FORMAT_ERROR_INVALID },
    { "12.0000", DE, BND_FORMAT_ERROR_INVALID }, { "1234.567", DE, BND_FORMAT_ERROR_INVALID },
    { ".500", DE, BND_FORMAT_ERROR_INVALID }, { "120,", DE, BND_FORMAT_ERROR_INVALID },
    { ",50", DE, BND_FORMAT_ERROR_INVALID }, { "12,5,0", DE, BND_FORMAT_ERROR_INVALID },
    { "1.000 000", DE, BND_FORMAT_ERROR_INVALID }, { "viel", DE, BND_FORMAT_ERROR_INVALID },
    { "12a", DE, BND_FORMAT_ERROR_INVALID }, { "--5", DE, BND_FORMAT_ERROR_INVALID },
    { "1e5", EN, BND_FORMAT_ERROR_INVALID }, { "120,00.5", EN, BND_FORMAT_ERROR_INVALID },
    { "1.2.3", EN, BND_FORMAT_ERROR_INVALID }, { "12.5,0", EN, BND_FORMAT_ERROR_INVALID },
    { "120,5", EN, BND_FORMAT_ERROR_INVALID }, { "120.000,50", EN, BND_FORMAT_ERROR_INVALID },
    { "12,0000", EN, BND_FORMAT_ERROR_INVALID },
    { "120,000", DE, BND_FORMAT_ERROR_PRECISION }, { "0,005", DE, BND_FORMAT_ERROR_PRECISION },
    { "120.000", EN, BND_FORMAT_ERROR_PRECISION }, { "1.005", EN, BND_FORMAT_ERROR_PRECISION },
    { "99.999.999.999.999", DE, BND_FORMAT_ERROR_INVALID },
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      double amount = -1;

      g_test_message ("%s", good[i].text);
      g_assert_true (bnd_format_parse_amount (good[i].text, good[i].locale, &amount, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat_with_epsilon (amount, good[i].amount, 1e-9);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      double amount = -1;

      g_test_message ("%s", bad[i].text);
      g_assert_false (bnd_format_parse_amount (bad[i].text, bad[i].locale, &amount, &error));
      g_assert_error (error, BND_FORMAT_ERROR, (int)bad[i].code);
      g_assert_cmpfloat (amount, ==, -1);
      /* A German sentence (the messages are German here) with an example in the field's form. */
      g_assert_true (g_str_has_suffix (error->message, "."));
      if (bad[i].code != BND_FORMAT_ERROR_INVALID || !strstr (error->message, "zu groß"))
        g_assert_nonnull (strstr (error->message, bad[i].locale == DE ? "120.000,50" : "120,000.50"));
      if (bad[i].code != BND_FORMAT_ERROR_EMPTY)
        {
          g_autofree char *quoted = g_strdup_printf ("„%s“", bad[i].text);

          g_assert_nonnull (strstr (error->message, quoted));
        }
    }
}

static void
test_parse_amount_round_trip (void)
{
  static const double values[] = { 0.01, 1.005, 120000.5, 9999999.99, -2500.75, 1234567.89 };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    for (BndLocale locale = EN; locale <= DE; locale++)
      {
        g_autofree char *money = bnd_format_money (values[i], locale);
        g_autofree char *expected = bnd_format_decimal (values[i], 2, EN);
        g_autofree char *again = NULL;
        double amount = 0;

        g_assert_true (bnd_format_parse_amount (money, locale, &amount, NULL));
        again = bnd_format_decimal (amount, 2, EN);
        g_assert_cmpstr (again, ==, expected);
      }
}

static void
test_parse_date (void)
{
  static const struct { const char *text; BndLocale locale; const char *iso; } good[] = {
    { "01.03.2026", DE, "2026-03-01" }, { "1.3.2026", DE, "2026-03-01" }, { " 2026-03-01 ", DE, "2026-03-01" },
    { "2026-03-01", EN, "2026-03-01" }, { "29.02.2028", EN, "2028-02-29" },
    /* From issue 13: a Beginn and the day of a first assessment, typed in German. */
    { "15.01.2026", DE, "2026-01-15" }, { "15.01.2026", EN, "2026-01-15" }, { "2026-01-15", DE, "2026-01-15" },
  };
  static const struct { const char *text; BndLocale locale; BndFormatError code; } bad[] = {
    { "", DE, BND_FORMAT_ERROR_EMPTY }, { NULL, EN, BND_FORMAT_ERROR_EMPTY },
    { "29.02.2026", DE, BND_FORMAT_ERROR_INVALID }, { "01.03.26", DE, BND_FORMAT_ERROR_INVALID },
    { "03/01/2026", EN, BND_FORMAT_ERROR_INVALID }, { "2026-13-01", EN, BND_FORMAT_ERROR_INVALID },
    { "morgen", DE, BND_FORMAT_ERROR_INVALID }, { "1.3.2026.", DE, BND_FORMAT_ERROR_INVALID },
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *iso = bnd_format_parse_date (good[i].text, good[i].locale, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (iso, ==, good[i].iso);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *iso = bnd_format_parse_date (bad[i].text, bad[i].locale, &error);

      g_assert_null (iso);
      g_assert_error (error, BND_FORMAT_ERROR, (int)bad[i].code);
      g_assert_nonnull (strstr (error->message, bad[i].locale == DE ? "01.03.2026" : "2026-03-01"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *localedir = NULL;

  g_test_init (&argc, &argv, NULL);
  /* German messages from the build tree's catalogue; gettext ignores LANGUAGE in the plain C locale. */
  localedir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  g_setenv ("BUENDNIS_LOCALEDIR", localedir, TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "de", TRUE);
  bnd_i18n_init ();

  g_test_add_func ("/format/locale", test_locale);
  g_test_add_func ("/format/number", test_number);
  g_test_add_func ("/format/figure", test_figure);
  g_test_add_func ("/format/money", test_money);
  g_test_add_func ("/format/date", test_date);
  g_test_add_func ("/format/days-left", test_days_left);
  g_test_add_func ("/format/parse-amount", test_parse_amount);
  g_test_add_func ("/format/parse-amount-round-trip", test_parse_amount_round_trip);
  g_test_add_func ("/format/parse-date", test_parse_date);
  return g_test_run ();
}
