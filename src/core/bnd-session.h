/* bnd-session.h: Lenkungskreis sessions: outcomes, dates and the agenda and minutes as PDF
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bnd-procedure.h"
#include "bnd-strategy.h"

G_BEGIN_DECLS

typedef enum
{
  BND_SESSION_AGENDA,
  BND_SESSION_MINUTES,
} BndSessionDocument;

gboolean    bnd_session_outcome_is_known (const char         *outcome);
const char *bnd_session_outcome_label    (const char         *outcome);
gboolean    bnd_session_outcome_step     (const char         *outcome,
                                          BndStep            *step);
const char *bnd_session_outcome_nth      (guint               n);
char       *bnd_session_format_date      (const char         *iso_date);
gboolean    bnd_session_check_time       (const char         *text);
char       *bnd_session_describe_when    (JsonObject         *session);
GBytes     *bnd_session_render_pdf       (BndStrategy        *strategy,
                                          JsonObject         *session,
                                          BndSessionDocument  document,
                                          GError            **error);

G_END_DECLS
