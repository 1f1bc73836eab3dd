/* bnd-indicator.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-indicator"

#include "config.h"

#include <glib/gi18n-lib.h>
#include "bnd-indicator.h"

/**
 * bnd_indicator_format_value:
 * @indicator: an indicator
 * @locale: the conventions of the reader: the UI's, or German in a sketch, which cites the
 *   strategy as German content
 *
 * Returns: (transfer full): the value with its unit, or "no data"
 */
char *
bnd_indicator_format_value (const BndIndicator *indicator,
                            BndLocale           locale)
{
  g_autofree char *number = NULL;

  g_return_val_if_fail (indicator != NULL, NULL);

  if (!indicator->has_value)
    return g_strdup (_("no data"));

  number = bnd_format_figure (indicator->value, locale);
  if (g_str_equal (indicator->unit, "%"))
    /* Translators: a percentage; the space before % is German usage, keep or drop it as your language does */
    return g_strdup_printf (_("%s %%"), number);

  /* Translators: a value and its unit from the strategy, as in "282 Tage" */
  return g_strdup_printf (C_("value with unit", "%s %s"), number, indicator->unit);
}
