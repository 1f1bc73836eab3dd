/* bnd-rating.c: what the partners rate a dossier on, shared by the server and its clients
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-rating"

#include "config.h"

#include "bnd-rating.h"

/* The criteria the strategy's procedure names for the partners' assessment (§4.1 asks all
 * partners to rate the long form, without fixing criteria; these follow its goals). */
static const char * const criteria[] = {
  "strategic-goals", "regional-relevance", "feasibility", "sustainability", "appropriate-cost", NULL,
};

/**
 * bnd_rating_get_criteria:
 *
 * Returns: (transfer none): the criteria, each rated from %BND_RATING_MIN to %BND_RATING_MAX
 */
const char * const *
bnd_rating_get_criteria (void)
{
  return criteria;
}
