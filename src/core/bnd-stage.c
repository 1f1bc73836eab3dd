/* bnd-stage.c: what the stages of a sketch's way through the procedure are called
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "bnd-stage.h"

/* The server's stage names (strategy §4.1), as people say them. */
static const struct { const char *stage; const char *label; } labels[] = {
  { "draft", N_("Draft") },
  { "submitted", N_("Sketch submitted") },
  { "first-assessment", N_("First assessment") },
  { "long-form-requested", N_("Long form requested") },
  { "long-form-received", N_("Long form received") },
  { "rating", N_("Rating in the Lenkungskreis") },
  { "vote", N_("Circulation vote") },
  { "statement", N_("Statement issued") },
  { "application", N_("Application filed at NBank") },
  { "approved", N_("Approved") },
  { "rejected", N_("Rejected") },
  { "withdrawn", N_("Withdrawn") },
};

/**
 * bnd_stage_get_label:
 *
 * Returns: the translated name, or @stage itself when a newer server knows a stage this
 *   version does not
 */
const char *
bnd_stage_get_label (const char *stage)
{
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (stage, labels[i].stage) == 0)
      return _(labels[i].label);
  return stage;
}

/**
 * bnd_stage_get_nth:
 *
 * The stages in the order of the procedure, from 0 (the draft); %NULL past the last.
 */
const char *
bnd_stage_get_nth (guint n)
{
  return n < G_N_ELEMENTS (labels) ? labels[n].stage : NULL;
}
