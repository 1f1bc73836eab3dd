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
  { "consultation", N_("Consultation") },
  { "submitted", N_("Sketch submitted") },
  { "first-assessment", N_("First assessment") },
  { "changes-requested", N_("Changes requested") },
  { "long-form-requested", N_("Long form requested") },
  { "long-form-received", N_("Long form received") },
  { "rating", N_("Rating in the Lenkungskreis") },
  { "vote", N_("Circulation vote") },
  { "statement", N_("Statement issued") },
  { "application", N_("Application filed at NBank") },
  { "approved", N_("Approved") },
  { "rejected", N_("Rejected") },
  { "withdrawn", N_("Withdrawn") },
  { "not-recommended", N_("Not recommended") },
  { "not-endorsed", N_("Not endorsed") },
};

/* The stages after submission, in the order of the procedure (strategy §4.1). A draft is the
 * idea and its consultation; "submitted" is set by the carrier's submission. The coordination
 * moves a dossier one stage on, or ends it: withdrawn at any time, approved or rejected once the
 * application is filed. The server enforces this order; clients show it. */
static const char *steps[] = {
  "submitted", "first-assessment", "long-form-requested", "long-form-received",
  "rating", "vote", "statement", "application",
};
static const char *endings[] = { "approved", "rejected", "withdrawn", "not-recommended", "not-endorsed", NULL };

/* The position of @stage among the steps, or -1 for a draft, an ending or an unknown stage. */
int
bnd_stage_get_step (const char *stage)
{
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (g_strcmp0 (stage, steps[i]) == 0)
      return i;
  return -1;
}

/* The stage a plain move leads to from @stage, or NULL past the last step. */
const char *
bnd_stage_get_next (const char *stage)
{
  int step = bnd_stage_get_step (stage);

  return step >= 0 && step + 1 < (int)G_N_ELEMENTS (steps) ? steps[step + 1] : NULL;
}

gboolean
bnd_stage_is_ending (const char *stage)
{
  return g_strv_contains (endings, stage ? stage : "");
}

gboolean
bnd_stage_is_known (const char *stage)
{
  return bnd_stage_get_step (stage) >= 0 || bnd_stage_is_ending (stage);
}

/**
 * bnd_stage_compare:
 *
 * Where @stage stands against @reference in the procedure: negative before it, 0 at it,
 * positive after it. A draft comes before every stage, an ending after every one.
 */
int
bnd_stage_compare (const char *stage,
                   const char *reference)
{
  int a = bnd_stage_is_ending (stage) ? (int)G_N_ELEMENTS (steps) : bnd_stage_get_step (stage);
  int b = bnd_stage_is_ending (reference) ? (int)G_N_ELEMENTS (steps) : bnd_stage_get_step (reference);

  return a - b;
}

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
