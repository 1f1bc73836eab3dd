/* bnd-indicator.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-indicator"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>

#include "bnd-indicator.h"

/**
 * bnd_format_number:
 * @value: a number from the strategy
 *
 * Formats @value as the strategy prints it: at most two decimals, no trailing zeros,
 * digits grouped, in the user's locale ("6.980.000" and "2,43" in German).
 *
 * Returns: (transfer full): the text
 */
char *
bnd_format_number (double value)
{
  char buffer[64];
  int decimals = 0;

  /* Strategy figures carry at most two decimals; show exactly as many as they have. */
  if (fabs (value - round (value)) > 0.0005)
    decimals = fabs (value * 10 - round (value * 10)) > 0.005 ? 2 : 1;

  g_snprintf (buffer, sizeof buffer, "%'.*f", decimals, value);
  return g_strdup (buffer);
}

/**
 * bnd_indicator_format_value:
 * @indicator: an indicator
 *
 * Returns: (transfer full): the value with its unit, or "no data"
 */
char *
bnd_indicator_format_value (const BndIndicator *indicator)
{
  g_autofree char *number = NULL;

  g_return_val_if_fail (indicator != NULL, NULL);

  if (!indicator->has_value)
    return g_strdup (_("no data"));

  number = bnd_format_number (indicator->value);
  if (g_str_equal (indicator->unit, "%"))
    /* Translators: a percentage; the space before % is German usage, keep or drop it as your language does */
    return g_strdup_printf (_("%s %%"), number);

  /* Translators: a value and its unit from the strategy, as in "282 Tage" */
  return g_strdup_printf (C_("value with unit", "%s %s"), number, indicator->unit);
}
