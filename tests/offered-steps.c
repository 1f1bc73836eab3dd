/* offered-steps.c: what the app offers on a dossier, for tests written in Python
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads a dossier as GET /dossiers/UUID answers on standard input and prints, for the role given
 * as the argument, one line per step: "STEP allowed", or "STEP shown|hidden REASON" for a step
 * not possible now (shown: the app says why; hidden: another role's step). The lines come from
 * bnd_dossier_offered_steps(), the one function the dossier page asks.
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <locale.h>

#include "bnd-dossier-steps.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GIOChannel) in = g_io_channel_unix_new (0);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) offered = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;
  BndRole role;

  setlocale (LC_ALL, "");
  if (argc != 2 || !bnd_role_from_string (argv[1], &role))
    {
      g_printerr ("usage: offered-steps ROLE < dossier.json\n");
      return 2;
    }
  if (g_io_channel_read_to_end (in, &text, &length, NULL) != G_IO_STATUS_NORMAL ||
      !json_parser_load_from_data (parser, text, length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_printerr ("offered-steps: no dossier on standard input\n");
      return 1;
    }
  offered = bnd_dossier_offered_steps (json_node_get_object (json_parser_get_root (parser)), role);
  for (guint i = 0; i < offered->len; i++)
    {
      const BndOfferedStep *step = g_ptr_array_index (offered, i);

      if (step->allowed)
        g_print ("%s allowed\n", bnd_step_to_string (step->step));
      else
        g_print ("%s %s %s\n", bnd_step_to_string (step->step), bnd_offered_step_is_shown (step) ? "shown" : "hidden",
                 step->reason);
    }
  return 0;
}
