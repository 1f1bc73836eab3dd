/* bnd-strategy-search.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bnd-strategy.h"

G_BEGIN_DECLS

typedef enum
{
  BND_SEARCH_GOAL,
  BND_SEARCH_MEASURE,
  BND_SEARCH_TOPIC,
  BND_SEARCH_FIELD,
  BND_SEARCH_FUNDING_OBJECT,
  BND_SEARCH_INDICATOR,
  BND_SEARCH_STAGE,
} BndSearchKind;

typedef struct
{
  BndSearchKind  kind;
  const char    *target;   /* the id of the goal, topic, field, funding object, indicator or stage */
  char          *title;
  char          *detail;
  int            score;
} BndSearchHit;

void       bnd_search_hit_free  (BndSearchHit *hit);
char      *bnd_search_fold      (const char   *text);
GPtrArray *bnd_strategy_search  (BndStrategy  *self,
                                 const char   *query,
                                 guint         max_hits);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BndSearchHit, bnd_search_hit_free)

G_END_DECLS
