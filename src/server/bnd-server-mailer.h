/* bnd-server-mailer.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bnd-server-config.h"
#include "bnd-server-db.h"

G_BEGIN_DECLS

typedef struct _BndMailer BndMailer;

BndMailer *bnd_mailer_start (BndServerDb           *db,
                             BndServerDb           *own,
                             const BndServerConfig *config,
                             GError               **error);
void       bnd_mailer_stop  (BndMailer             *mailer);
GBytes    *bnd_mailer_build_message (const char    *from,
                             const char            *to,
                             const char            *subject,
                             const char            *body,
                             const char            *message_id,
                             const char            *kind,
                             const char            *dossier,
                             gint64                 created);

G_END_DECLS
