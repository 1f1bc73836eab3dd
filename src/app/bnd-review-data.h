/* bnd-review-data.h: what the Dossiers view shows, read from the profile on the store's worker
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bnd-store.h"

G_BEGIN_DECLS

/* A dossier whose two weeks to the statement run, as the portfolio lists it */
typedef struct
{
  gint64  due;
  char   *title;
  char   *uuid;
} BndStatementDue;

typedef struct
{
  GPtrArray *dossiers;        /* BndSketchSummary: the submitted sketches, newest change first */
  GPtrArray *tasks;           /* BndTask, as bnd_tasks_collect() */
  JsonNode  *me;              /* the cached answers, or NULL */
  JsonNode  *portfolio;
  JsonNode  *sessions;
  GPtrArray *statements_due;  /* BndStatementDue, soonest first */
} BndReviewData;

void           bnd_review_data_read_async  (BndStore             *store,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
BndReviewData *bnd_review_data_read_finish (BndStore             *store,
                                            GAsyncResult         *result,
                                            GError              **error);
BndReviewData *bnd_review_data_read        (BndStore             *store);
void           bnd_review_data_free        (BndReviewData        *data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BndReviewData, bnd_review_data_free)

G_END_DECLS
