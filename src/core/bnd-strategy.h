/* bnd-strategy.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BND_STRATEGY_ERROR (bnd_strategy_error_quark ())

typedef enum
{
  BND_STRATEGY_ERROR_PARSE,      /* not JSON, or not UTF-8 */
  BND_STRATEGY_ERROR_FORMAT,     /* not a strategy pack, or an unknown version */
  BND_STRATEGY_ERROR_MISSING,    /* a required member is absent */
  BND_STRATEGY_ERROR_TYPE,       /* a member has the wrong JSON type */
  BND_STRATEGY_ERROR_INVALID,    /* a value is out of range or empty */
  BND_STRATEGY_ERROR_DUPLICATE,  /* an id occurs twice in one list */
  BND_STRATEGY_ERROR_REFERENCE,  /* an id refers to nothing */
} BndStrategyError;

typedef enum
{
  BND_PARTNER_KIND_CHAMBER,
  BND_PARTNER_KIND_EMPLOYERS,
  BND_PARTNER_KIND_UNION,
  BND_PARTNER_KIND_EMPLOYMENT_AGENCY,
  BND_PARTNER_KIND_UNIVERSITY,
  BND_PARTNER_KIND_DISTRICT,
  BND_N_PARTNER_KINDS
} BndPartnerKind;

/* Areas an indicator can describe besides a district. */
#define BND_AREA_REGION        "region"
#define BND_AREA_NIEDERSACHSEN "niedersachsen"
#define BND_AREA_GERMANY       "deutschland"

/* The records below are read-only views into a loaded BndStrategy: they and
 * every string in them live as long as the strategy that returned them.
 */

typedef struct
{
  const char *id;
  const char *name;
  const char *short_name;
} BndDistrict;

typedef struct
{
  const char        *id;
  const char        *name;
  const char        *short_name;
  BndPartnerKind     kind;
  const BndDistrict *district;   /* only for BND_PARTNER_KIND_DISTRICT */
} BndPartner;

typedef struct
{
  const char *title;
  const char *text;
  const char *url;               /* nullable */
} BndProjectExample;

typedef struct
{
  const char *id;
  const char *title;
  const char *objective;         /* nullable for cross-cutting goals */
  const char *description;
  GPtrArray  *measures;          /* const char * */
  GPtrArray  *examples;          /* BndProjectExample * */
  gboolean    cross_cutting;
} BndGoal;

typedef struct
{
  const char *id;
  const char *title;
} BndField;

typedef struct
{
  const char     *id;
  int             number;
  const BndField *field;
  const char     *title;
  const char     *text;
  GPtrArray      *goals;         /* const BndGoal * */
} BndTopic;

typedef struct
{
  const char *id;
  int         number;
  const char *title;
  const char *description;
} BndFundingObject;

typedef struct
{
  const char *id;
  const char *title;
  const char *description;
} BndRatingCriterion;

/* How the Lenkungskreis rates a long form and votes on it. */
typedef struct
{
  const char *source;
  const char *note;        /* nullable */
  int         scale_min;
  int         scale_max;
  GPtrArray  *criteria;    /* BndRatingCriterion * */
  int         vote_days;
  int         rating_days; /* the rating round's default length; 14 when the pack says none */
  const char *quorum;      /* "more-than-half" */
} BndReview;

typedef struct
{
  const char *id;
  int         step;
  const char *title;
  const char *actor;
  const char *description;
  const char *duration;          /* nullable */
} BndStage;

typedef struct
{
  const char *id;
  const char *title;        /* German: the PDF's heading */
  const char *guidance;
  gboolean    required;
  gboolean    from_fields;  /* its facts come from the sketch's fields; the text adds to them */
  const char *title_en;     /* nullable: what they say in English */
  const char *guidance_en;  /* nullable */
} BndTemplateSection;

typedef struct
{
  const char *id;
  const char *title;
  const char *section;
} BndIndicatorTopic;

typedef struct
{
  const char *id;
  const char *title;
} BndOccupationGroup;

typedef struct
{
  const char               *id;
  const char               *label;
  gboolean                  has_value;   /* FALSE: "no data" in the strategy */
  double                    value;
  const char               *unit;
  const char               *year;
  const char               *area;        /* a district id or one of BND_AREA_* */
  const BndIndicatorTopic  *topic;
  const BndOccupationGroup *group;       /* nullable */
  const char               *section;
  const char               *figure;      /* nullable */
  const char               *note;        /* nullable */
  const char               *source;
} BndIndicator;

typedef struct
{
  const char *name;
  const char *region;
  int         founded;
  const char *description;
  const char *lenkungskreis;
  const char *title;
  const char *published;
  int         period_start;
  int         period_end;
} BndAlliance;

typedef struct
{
  const char *organisation;
  const char *care_of;
  const char *street;
  const char *postcode;
  const char *city;
  const char *person;
  const char *phone;
  const char *email;
  const char *web;
} BndContact;

typedef struct
{
  const char *from;
  const char *to;
  double      budget_eur;
  int         projects;
  const char *guideline;
  const char *text;
} BndFundingHistory;

/* A text the pack gives in German and English; bnd_text_get() picks the user's. */
typedef struct
{
  const char *de;
  const char *en;
} BndText;

/* The kinds of funding condition a pack can state (FORMAT.md "conditions"). */
typedef enum
{
  BND_CONDITION_PERIOD_WITHIN,   /* the project's start and end lie within [start, end] */
  BND_CONDITION_CONFIRMATION,    /* the carrier confirms it in the sketch */
  BND_N_CONDITION_KINDS
} BndConditionKind;

typedef struct
{
  const char       *id;
  BndConditionKind  kind;
  int               funding_object;  /* its Fördergegenstand's number; 0: every one */
  BndText           text;            /* the condition as a statement */
  const char       *source;          /* where the strategy says so */
  const char       *start;           /* period-within: ISO 8601 days */
  const char       *end;
} BndCondition;

/* Who fixed a rule that the app applies: the strategy itself, or the alliance where the
 * strategy is silent (FORMAT.md "rules"). */
typedef enum
{
  BND_SET_BY_STRATEGY,
  BND_SET_BY_ALLIANCE,
} BndSetBy;

#define BND_RULE_SKETCH_TEMPLATE  "sketch-template"
#define BND_RULE_RATING_CRITERIA  "rating-criteria"
#define BND_RULE_RATING_SCALE     "rating-scale"
#define BND_RULE_QUORUM           "quorum"
#define BND_RULE_RECUSAL          "recusal"

typedef struct
{
  const char *id;
  BndSetBy    set_by;
  BndText     note;
  const char *source;   /* nullable; required when set by the strategy */
} BndRule;

#define BND_TYPE_STRATEGY (bnd_strategy_get_type ())

G_DECLARE_FINAL_TYPE (BndStrategy, bnd_strategy, BND, STRATEGY, GObject)

GQuark                    bnd_strategy_error_quark           (void);
BndStrategy              *bnd_strategy_new_from_bytes        (GBytes       *bytes,
                                                              const char   *origin,
                                                              GError      **error);
BndStrategy              *bnd_strategy_new_from_file         (GFile        *file,
                                                              GError      **error);
BndStrategy              *bnd_strategy_new_default           (GError      **error);
const char               *bnd_strategy_get_origin            (BndStrategy  *self);
GBytes                   *bnd_strategy_get_bytes             (BndStrategy  *self);
const char               *bnd_strategy_get_id                (BndStrategy  *self);
const BndAlliance        *bnd_strategy_get_alliance          (BndStrategy  *self);
const BndContact         *bnd_strategy_get_contact           (BndStrategy  *self);
const BndFundingHistory  *bnd_strategy_get_funding_history   (BndStrategy  *self);
const char               *bnd_strategy_get_cross_cutting_text(BndStrategy  *self);
guint                     bnd_strategy_get_page_limit        (BndStrategy  *self);
const BndReview          *bnd_strategy_get_review            (BndStrategy  *self);
GStrv                     bnd_strategy_dup_criterion_ids     (BndStrategy  *self);
GPtrArray                *bnd_strategy_get_districts         (BndStrategy  *self);
GPtrArray                *bnd_strategy_get_partners          (BndStrategy  *self);
GPtrArray                *bnd_strategy_get_goals             (BndStrategy  *self);
GPtrArray                *bnd_strategy_get_cross_cutting_goals (BndStrategy *self);
GPtrArray                *bnd_strategy_get_fields            (BndStrategy  *self);
GPtrArray                *bnd_strategy_get_topics            (BndStrategy  *self);
GPtrArray                *bnd_strategy_get_funding_objects   (BndStrategy  *self);
GPtrArray                *bnd_strategy_get_stages            (BndStrategy  *self);
GPtrArray                *bnd_strategy_get_template_sections (BndStrategy  *self);
GPtrArray                *bnd_strategy_get_indicator_topics  (BndStrategy  *self);
GPtrArray                *bnd_strategy_get_occupation_groups (BndStrategy  *self);
GPtrArray                *bnd_strategy_get_indicators        (BndStrategy  *self);
const BndDistrict        *bnd_strategy_find_district         (BndStrategy  *self,
                                                              const char   *id);
const BndPartner         *bnd_strategy_find_partner          (BndStrategy  *self,
                                                              const char   *id);
const BndGoal            *bnd_strategy_find_goal             (BndStrategy  *self,
                                                              const char   *id);
const BndTopic           *bnd_strategy_find_topic            (BndStrategy  *self,
                                                              const char   *id);
const BndIndicator       *bnd_strategy_find_indicator        (BndStrategy  *self,
                                                              const char   *id);
const BndIndicator       *bnd_strategy_find_table_value      (BndStrategy  *self,
                                                              const char   *topic_id,
                                                              const char   *group_id,
                                                              const char   *area,
                                                              const char   *year);
GPtrArray                *bnd_strategy_dup_topics_for_goal   (BndStrategy  *self,
                                                              const BndGoal *goal);
const char               *bnd_strategy_get_area_name         (BndStrategy  *self,
                                                              const char   *area);

GPtrArray                *bnd_strategy_get_conditions        (BndStrategy  *self);
GPtrArray                *bnd_strategy_dup_conditions_for    (BndStrategy  *self,
                                                              int           funding_object);
const BndCondition       *bnd_strategy_find_condition        (BndStrategy  *self,
                                                              const char   *id);
GPtrArray                *bnd_strategy_get_rules             (BndStrategy  *self);
const BndRule            *bnd_strategy_find_rule             (BndStrategy  *self,
                                                              const char   *id);
const char               *bnd_text_get                       (const BndText *text);
const char               *bnd_template_section_get_title     (const BndTemplateSection *section);
const char               *bnd_template_section_get_guidance  (const BndTemplateSection *section);

G_END_DECLS
