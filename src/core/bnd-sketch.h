/* bnd-sketch.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bnd-strategy.h"

G_BEGIN_DECLS

#define BND_SKETCH_ERROR (bnd_sketch_error_quark ())

typedef enum
{
  BND_SKETCH_ERROR_PARSE,     /* not JSON, not UTF-8, empty */
  BND_SKETCH_ERROR_FORMAT,    /* not a sketch file, or an unknown version */
  BND_SKETCH_ERROR_INVALID,   /* a member is missing, of the wrong type or out of range */
  BND_SKETCH_ERROR_TOO_LARGE, /* absurd sizes */
} BndSketchError;

/* The links of a sketch to its strategy. */
typedef enum
{
  BND_LINK_GOALS,
  BND_LINK_CROSS_CUTTING,
  BND_LINK_FIELDS,
  BND_LINK_TOPICS,
  BND_LINK_DISTRICTS,
  BND_N_LINKS
} BndLinkKind;

/* The district link meaning "all Landkreise of the region". */
#define BND_DISTRICT_CROSS_DISTRICT "landkreisuebergreifend"

/* Limits for what a file may hold; beyond them an import is refused. */
#define BND_SKETCH_MAX_FILE_SIZE    (4 * 1024 * 1024)
#define BND_SKETCH_MAX_TEXT         100000
#define BND_SKETCH_MAX_SHORT_TEXT   1000
#define BND_SKETCH_MAX_COST_ITEMS   200
#define BND_SKETCH_MAX_AMOUNT       1e9

typedef struct
{
  char   *label;
  double  amount;
} BndCostItem;

typedef struct
{
  char *field;     /* "title", "section:need", "costs", "duration", … */
  char *message;   /* translated */
  char *source;    /* nullable: where the strategy states the condition ("condition:ID") */
} BndSketchIssue;

#define BND_TYPE_SKETCH (bnd_sketch_get_type ())

G_DECLARE_FINAL_TYPE (BndSketch, bnd_sketch, BND, SKETCH, GObject)

GQuark       bnd_sketch_error_quark          (void);
BndSketch   *bnd_sketch_new                  (void);
BndSketch   *bnd_sketch_copy                 (BndSketch     *self);
const char  *bnd_sketch_get_uuid             (BndSketch     *self);
void         bnd_sketch_set_uuid             (BndSketch     *self,
                                              const char    *uuid);
const char  *bnd_sketch_get_title            (BndSketch     *self);
void         bnd_sketch_set_title            (BndSketch     *self,
                                              const char    *title);
const char  *bnd_sketch_get_carrier          (BndSketch     *self);
void         bnd_sketch_set_carrier          (BndSketch     *self,
                                              const char    *carrier);
const char  *bnd_sketch_get_contact          (BndSketch     *self);
void         bnd_sketch_set_contact          (BndSketch     *self,
                                              const char    *contact);
int          bnd_sketch_get_funding_object   (BndSketch     *self);
void         bnd_sketch_set_funding_object   (BndSketch     *self,
                                              int            number);
const char  *bnd_sketch_get_stage            (BndSketch     *self);
void         bnd_sketch_set_stage            (BndSketch     *self,
                                              const char    *stage);
const char  *bnd_sketch_get_start            (BndSketch     *self);
const char  *bnd_sketch_get_end              (BndSketch     *self);
void         bnd_sketch_set_duration         (BndSketch     *self,
                                              const char    *start,
                                              const char    *end);
const char  *bnd_sketch_get_section          (BndSketch     *self,
                                              const char    *section_id);
void         bnd_sketch_set_section          (BndSketch     *self,
                                              const char    *section_id,
                                              const char    *text);
GStrv        bnd_sketch_dup_section_ids      (BndSketch     *self);
GPtrArray   *bnd_sketch_get_links            (BndSketch     *self,
                                              BndLinkKind    kind);
void         bnd_sketch_set_links            (BndSketch     *self,
                                              BndLinkKind    kind,
                                              const char * const *ids);
gboolean     bnd_sketch_has_link             (BndSketch     *self,
                                              BndLinkKind    kind,
                                              const char    *id);
void         bnd_sketch_toggle_link          (BndSketch     *self,
                                              BndLinkKind    kind,
                                              const char    *id,
                                              gboolean       linked);
GPtrArray   *bnd_sketch_get_partners         (BndSketch     *self);
void         bnd_sketch_set_partners         (BndSketch     *self,
                                              const char * const *partners);
GPtrArray   *bnd_sketch_get_confirmations    (BndSketch     *self);
gboolean     bnd_sketch_has_confirmation     (BndSketch     *self,
                                              const char    *id);
void         bnd_sketch_set_confirmed        (BndSketch     *self,
                                              const char    *id,
                                              gboolean       confirmed);
void         bnd_sketch_set_confirmations    (BndSketch     *self,
                                              const char * const *ids);
gboolean     bnd_sketch_meets_condition      (BndSketch     *self,
                                              const BndCondition *condition);
GArray      *bnd_sketch_get_cost_items       (BndSketch     *self);
void         bnd_sketch_set_cost_items       (BndSketch     *self,
                                              const BndCostItem *items,
                                              guint          n_items);
double       bnd_sketch_get_cost_total       (BndSketch     *self);
double       bnd_sketch_get_requested        (BndSketch     *self);
double       bnd_sketch_get_own_contribution (BndSketch     *self);
double       bnd_sketch_get_co_financing     (BndSketch     *self);
void         bnd_sketch_set_financing        (BndSketch     *self,
                                              double         requested,
                                              double         own_contribution,
                                              double         co_financing);
gint64       bnd_sketch_get_created          (BndSketch     *self);
gint64       bnd_sketch_get_modified         (BndSketch     *self);
void         bnd_sketch_set_times            (BndSketch     *self,
                                              gint64         created,
                                              gint64         modified);
GPtrArray   *bnd_sketch_validate             (BndSketch     *self,
                                              BndStrategy   *strategy);
JsonNode    *bnd_sketch_to_json              (BndSketch     *self);
char        *bnd_sketch_to_data              (BndSketch     *self,
                                              gsize         *length);
BndSketch   *bnd_sketch_new_from_json        (JsonNode      *node,
                                              BndStrategy   *strategy,
                                              GError       **error);
BndSketch   *bnd_sketch_new_from_data        (const char    *data,
                                              gsize          length,
                                              const char    *origin,
                                              BndStrategy   *strategy,
                                              GError       **error);
char        *bnd_sketch_dup_plain_text       (BndSketch     *self);
void         bnd_sketch_issue_free           (BndSketchIssue *issue);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BndSketchIssue, bnd_sketch_issue_free)

G_END_DECLS
