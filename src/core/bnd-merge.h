/* bnd-merge.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bnd-sketch.h"

G_BEGIN_DECLS

/* A field both sides changed differently: what each side has, kept until the user decides. */
typedef struct
{
  char *field;     /* "title", "section:need", "links:goals", "costs", … */
  char *mine;      /* the value as text (sections, title) or as JSON (lists, costs) */
  char *theirs;
} BndConflict;

BndSketch *bnd_merge_sketches   (BndSketch  *base,
                                 BndSketch  *mine,
                                 BndSketch  *theirs,
                                 GPtrArray **conflicts);
void       bnd_conflict_free    (BndConflict *conflict);
char      *bnd_conflicts_to_json (GPtrArray  *conflicts);
GPtrArray *bnd_conflicts_from_json (const char *json);
gboolean   bnd_merge_resolve    (BndSketch   *sketch,
                                 GPtrArray   *conflicts,
                                 const char  *field,
                                 const char  *value,
                                 GError     **error);
gboolean   bnd_merge_resolve_with_strategy (BndSketch    *sketch,
                                            GPtrArray    *conflicts,
                                            const char   *field,
                                            const char   *value,
                                            BndStrategy  *strategy,
                                            GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BndConflict, bnd_conflict_free)

G_END_DECLS
