/* bnd-server-mail.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bnd-procedure.h"
#include "bnd-server-db.h"

G_BEGIN_DECLS

/* How many days before a deadline the reminders go out. */
#define BND_MAIL_REMINDER_EARLY 3
#define BND_MAIL_REMINDER_LATE  1

void     bnd_server_mail_init_languages        (void);
void     bnd_server_db_set_mail                (BndServerDb         *db,
                                                gboolean             enabled,
                                                const char          *domain);
gboolean bnd_server_mail_enqueue_step          (BndServerDb         *db,
                                                const BndUser       *actor,
                                                const BndRecord     *record,
                                                BndStep              step,
                                                const char          *target,
                                                const char          *reason,
                                                gint64               deadline,
                                                GError             **error);
gboolean bnd_server_mail_enqueue_vote_opened   (BndServerDb         *db,
                                                const BndUser       *actor,
                                                const BndRecord     *record,
                                                gint64               deadline,
                                                GError             **error);
gboolean bnd_server_mail_enqueue_session_agenda (BndServerDb        *db,
                                                const char          *session,
                                                const char          *date,
                                                const char          *place,
                                                const char * const  *titles,
                                                GError             **error);
gboolean bnd_server_mail_send_reminders        (BndServerDb         *db,
                                                guint               *n_enqueued,
                                                GError             **error);

G_END_DECLS
