/* bnd-dossier-steps.h: the steps a client offers on a dossier, from what the server sent
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bnd-procedure.h"

G_BEGIN_DECLS

/* The Lenkungskreis's statement is due about two weeks after the long form arrived (§4.1). */
#define BND_STATEMENT_DAYS 14

typedef struct
{
  BndStep            step;
  gboolean           allowed;   /* offered now */
  BndProcedureError  code;      /* why not, when not allowed */
  char              *reason;    /* why not, translated; NULL when allowed */
} BndOfferedStep;

gboolean   bnd_dossier_facts_from_json  (JsonObject       *dossier,
                                         BndDossierFacts  *facts);
GPtrArray *bnd_dossier_offered_steps    (JsonObject       *dossier,
                                         BndRole           role);
const BndOfferedStep *bnd_offered_steps_find (GPtrArray   *offered,
                                         BndStep           step);
gboolean   bnd_offered_step_is_shown    (const BndOfferedStep *offered);
gboolean   bnd_dossier_statement_due    (JsonObject       *dossier,
                                         gint64           *due);
gboolean   bnd_statement_clock_runs     (const char       *stage);
gint64     bnd_statement_due_from       (gint64            received);
char      *bnd_statement_due_describe   (gint64            due,
                                         gint64            now,
                                         gboolean         *overdue);

G_END_DECLS
