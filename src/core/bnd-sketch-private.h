/* bnd-sketch-private.h: what the files of BndSketch share
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bnd-sketch.h"

G_BEGIN_DECLS

struct _BndSketch
{
  GObject     parent_instance;

  char       *uuid;
  char       *title;
  char       *carrier;
  char       *contact;
  char       *stage;
  char       *start;
  char       *end;
  int         funding_object;
  GHashTable *sections;               /* section id → text */
  GPtrArray  *links[BND_N_LINKS];     /* ids */
  GPtrArray  *partners;
  GPtrArray  *confirmations;          /* condition ids, sorted */
  GArray     *costs;                  /* BndCostItem */
  double      requested;
  double      own_contribution;
  double      co_financing;
  gint64      created;
  gint64      modified;
};

extern const char *_bnd_sketch_link_names[BND_N_LINKS];

void     _bnd_sketch_add_condition_issues (BndSketch   *self,
                                          BndStrategy *strategy,
                                          GPtrArray   *issues);
void     _bnd_sketch_touch       (BndSketch  *self);
gboolean _bnd_sketch_parse_date (const char *text,
                                 GDate      *date);
gboolean _bnd_sketch_set_string (char       **field,
                                 const char  *value);

G_END_DECLS
