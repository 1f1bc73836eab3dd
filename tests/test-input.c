/* test-input.c: amounts and dates typed in German or as the API writes them
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bnd-input.h"

static void
test_amount (void)
{
  static const struct { const char *text; double amount; } good[] = {
    { "120000", 120000 }, { "120000.5", 120000.5 }, { "120.000,50", 120000.5 }, { "120000,50", 120000.5 },
    { "120 000,50", 120000.5 }, { "120.000", 120000 }, { "1.234.567,89 €", 1234567.89 }, { " 186000 ", 186000 },
    { "0,5", 0.5 },
  };
  static const char *bad[] = { "", "viel", "0", "-5", "12,5,0", "120.00,5", "1.2.3", "12a", "120,", "€", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      double amount = 0;

      g_assert_true (bnd_input_parse_amount (good[i].text, &amount));
      g_assert_cmpfloat_with_epsilon (amount, good[i].amount, 1e-9);
    }
  for (guint i = 0; bad[i]; i++)
    {
      double amount = -1;

      g_assert_false (bnd_input_parse_amount (bad[i], &amount));
      g_assert_cmpfloat (amount, ==, -1);
    }
  g_assert_false (bnd_input_parse_amount (NULL, &(double){ 0 }));
}

static void
test_date (void)
{
  static const struct { const char *text; const char *iso; } good[] = {
    { "2026-03-01", "2026-03-01" }, { "01.03.2026", "2026-03-01" }, { "1.3.2026", "2026-03-01" },
    { "29.02.2028", "2028-02-29" },
  };
  static const char *bad[] = { "", "morgen", "29.02.2026", "2026-13-01", "01.03.26", "1.3.2026.", "2026/03/01",
                               "32.01.2026", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *iso = bnd_input_parse_date (good[i].text);

      g_assert_cmpstr (iso, ==, good[i].iso);
    }
  for (guint i = 0; bad[i]; i++)
    g_assert_null (bnd_input_parse_date (bad[i]));
}

static void
test_time (void)
{
  static const struct { const char *text; const char *hhmm; } good[] = {
    { "14:00", "14:00" }, { "9:30", "09:30" }, { "14.15", "14:15" }, { "14", "14:00" }, { "14 Uhr", "14:00" },
    { " 8:05 ", "08:05" }, { "0:00", "00:00" }, { "23:59", "23:59" },
  };
  static const char *bad[] = { "", "Uhr", "24:00", "12:60", "12:5", "1:2:3", "abends", "-1:00", "123:00", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *hhmm = bnd_input_parse_time (good[i].text);

      g_assert_cmpstr (hhmm, ==, good[i].hhmm);
    }
  for (guint i = 0; bad[i]; i++)
    g_assert_null (bnd_input_parse_time (bad[i]));
  g_assert_null (bnd_input_parse_time (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/input/amount", test_amount);
  g_test_add_func ("/input/date", test_date);
  g_test_add_func ("/input/time", test_time);
  return g_test_run ();
}
