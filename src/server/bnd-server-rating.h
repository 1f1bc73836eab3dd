/* bnd-server-rating.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bnd-server-db.h"
#include "bnd-strategy.h"

G_BEGIN_DECLS

typedef struct
{
  char *org;
  char *scores;    /* JSON object: criterion → 1…5 */
  char *comment;
  char *rated_by;
} BndRating;

char               *bnd_server_check_rating        (const BndReview *review,
                                                    JsonObject    *scores,
                                                    const char    *comment,
                                                    GError       **error);
gboolean            bnd_server_db_recuse           (BndServerDb   *db,
                                                    const BndUser *user,
                                                    const char    *uuid,
                                                    const char    *org,
                                                    GError       **error);
gboolean            bnd_server_db_rate             (BndServerDb   *db,
                                                    const BndUser *user,
                                                    const char    *uuid,
                                                    const BndReview *review,
                                                    JsonObject    *scores,
                                                    const char    *comment,
                                                    GError       **error);
GPtrArray          *bnd_server_db_list_ratings     (BndServerDb   *db,
                                                    const BndUser *user,
                                                    const char    *uuid,
                                                    gboolean      *closed,
                                                    GError       **error);
void                bnd_rating_free                (BndRating     *rating);

G_END_DECLS
