/* bnd-i18n.c: the locale and the message catalogue, for every program of Bündnis
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

#include "bnd-i18n.h"

/**
 * bnd_i18n_init:
 *
 * Takes the user's locale and binds our catalogue. BUENDNIS_LOCALEDIR names another folder of
 * catalogues: a build tree's `po` folder, so that the programs run uninstalled (and the tests)
 * speak German too.
 */
void
bnd_i18n_init (void)
{
  const char *localedir = g_getenv ("BUENDNIS_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir && *localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
