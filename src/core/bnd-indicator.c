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

/* The strategy's units are German, like the strategy; an English reader gets them in English
 * ("321 days", not "321 Tage"). Data rather than translations, as the month names in
 * bnd-format.c: the German is the source. A unit not listed stays as the pack writes it. */
static const struct
{
  const char *german;
  const char *english;
} units[] = {
  { "Tage", "days" }, { "Jahre", "years" }, { "Personen", "people" }, { "Übernachtungen", "overnight stays" },
  { "Stellen", "jobs" }, { "Rang", "rank" }, { "Betriebe", "businesses" },
};

/**
 * bnd_indicator_unit:
 * @unit: (nullable): a unit as the strategy writes it, "Tage"
 *
 * Returns: (nullable): @unit for a reader of @locale
 */
const char *
bnd_indicator_unit (const char *unit,
                    BndLocale   locale)
{
  if (unit == NULL || locale == BND_LOCALE_GERMAN)
    return unit;
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (g_str_equal (unit, units[i].german))
      return units[i].english;
  return unit;
}

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
  return g_strdup_printf (C_("value with unit", "%s %s"), number, bnd_indicator_unit (indicator->unit, locale));
}
