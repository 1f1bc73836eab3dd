/* bnd-refusal.h: a sketch whose edits the server refused, and the two ways out
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bnd-store.h"

G_BEGIN_DECLS

#define BND_REFUSAL_ERROR (bnd_refusal_error_quark ())

typedef enum
{
  BND_REFUSAL_ERROR_NOT_REFUSED,        /* the server did not refuse the sketch */
  BND_REFUSAL_ERROR_NO_SERVER_VERSION,  /* the server never had it: there is no version to take */
} BndRefusalError;

GQuark    bnd_refusal_error_quark   (void);
char     *bnd_refusal_encode        (guint         status,
                                     JsonObject   *answer);
char     *bnd_refusal_describe      (const char   *refused);
gboolean  bnd_refusal_take_server   (BndStore     *store,
                                     const char   *uuid,
                                     GError      **error);
char     *bnd_refusal_keep_as_draft (BndStore     *store,
                                     const char   *uuid,
                                     GError      **error);

G_END_DECLS
