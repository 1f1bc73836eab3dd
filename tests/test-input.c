/* test-input.c: dates and times typed in German or as the API writes them (amounts: test-format.c)
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bnd-input.h"

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
  g_test_add_func ("/input/date", test_date);
  g_test_add_func ("/input/time", test_time);
  return g_test_run ();
}
