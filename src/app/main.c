/* main.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "bnd-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BndApplication) app = NULL;

  /* For tests/bench: the start-up time is measured from here to the first painted frame. */
  bnd_application_mark_start ();

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = bnd_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
