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
#include "bnd-i18n.h"
#include "bnd-startup-profile.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BndApplication) app = NULL;

  /* For tests/bench: the start-up time is measured from here to the first painted frame. */
  bnd_startup_profile_init ();

  {
    gint64 begin = bnd_startup_profile_begin ();
    bnd_i18n_init ();
    bnd_startup_profile_end ("i18n", begin);
  }

  app = bnd_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
