/* bnd-format.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The conventions numbers and dates are written in; not the language of the surrounding words. */
typedef enum
{
  BND_LOCALE_ENGLISH,
  BND_LOCALE_GERMAN,
} BndLocale;

#define BND_FORMAT_ERROR (bnd_format_error_quark ())

typedef enum
{
  BND_FORMAT_ERROR_EMPTY,
  BND_FORMAT_ERROR_INVALID,
  BND_FORMAT_ERROR_PRECISION,
} BndFormatError;

GQuark     bnd_format_error_quark      (void);

BndLocale  bnd_locale_from_language    (const char  *language);
BndLocale  bnd_locale_current          (void);
const char *bnd_locale_language         (BndLocale    locale);

char      *bnd_format_decimal          (double       value,
                                        guint        decimals,
                                        BndLocale    locale);
char      *bnd_format_figure           (double       value,
                                        BndLocale    locale);
char      *bnd_format_money            (double       amount,
                                        BndLocale    locale);
char      *bnd_format_money_whole      (double       amount,
                                        BndLocale    locale);
char      *bnd_format_date             (GDateTime   *date,
                                        BndLocale    locale);
char      *bnd_format_iso_date         (const char  *iso,
                                        BndLocale    locale);
char      *bnd_format_date_time        (GDateTime   *date_time,
                                        BndLocale    locale);
char      *bnd_format_days_left        (gint64       days,
                                        BndLocale    locale);

gboolean   bnd_format_parse_amount     (const char  *text,
                                        BndLocale    locale,
                                        double      *amount,
                                        GError     **error);
char      *bnd_format_parse_date       (const char  *text,
                                        BndLocale    locale,
                                        GError     **error);

G_END_DECLS
