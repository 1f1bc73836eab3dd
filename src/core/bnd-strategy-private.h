/* bnd-strategy-private.h: what the files of BndStrategy share
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bnd-json-check.h"
#include "bnd-strategy.h"

G_BEGIN_DECLS

/* The pack, as bnd-strategy.c loads it and bnd-strategy-query.c answers from it. */
struct _BndStrategy
{
  GObject            parent_instance;

  char              *origin;
  /* The pack's text as read: what a server hands its clients (bnd_strategy_get_bytes()). */
  GBytes            *bytes;
  /* Every string in the records below points into this tree. */
  JsonNode          *root;

  const char        *id;
  BndAlliance        alliance;
  BndContact         contact;
  BndFundingHistory  funding_history;
  const char        *cross_cutting_text;
  guint              page_limit;
  BndReview          review;

  GPtrArray         *districts;
  GPtrArray         *partners;
  GPtrArray         *goals;
  GPtrArray         *cross_cutting_goals;
  GPtrArray         *fields;
  GPtrArray         *topics;
  GPtrArray         *funding_objects;
  GPtrArray         *stages;
  GPtrArray         *sections;
  GPtrArray         *indicator_topics;
  GPtrArray         *occupation_groups;
  GPtrArray         *indicators;
  GPtrArray         *conditions;        /* BndCondition *, general and per funding object */
  GPtrArray         *rules;

  GHashTable        *by_id[15];
};

/* Indexes into by_id, one per list. */
enum {
  IDX_DISTRICT,
  IDX_PARTNER,
  IDX_GOAL,
  IDX_FIELD,
  IDX_TOPIC,
  IDX_FUNDING_OBJECT,
  IDX_STAGE,
  IDX_SECTION,
  IDX_INDICATOR_TOPIC,
  IDX_GROUP,
  IDX_INDICATOR,
  IDX_CROSS_CUTTING,
  IDX_CRITERION,
  IDX_CONDITION,
  IDX_RULE,
};

#define BND_STRATEGY_ID_CHARACTERS \
  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"

gboolean _bnd_strategy_parse_conditions (BndJsonCheck *check,
                                         JsonObject   *object,
                                         const char   *path,
                                         int           funding_object,
                                         GHashTable   *ids,
                                         GPtrArray    *out);
gboolean _bnd_strategy_parse_rules      (BndJsonCheck *check,
                                         JsonObject   *root,
                                         GHashTable   *ids,
                                         GPtrArray    *out);

G_END_DECLS
