/* bnd-server-login-queue.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bnd-server-throttle.h"

G_BEGIN_DECLS

typedef struct _BndLoginQueue BndLoginQueue;

/* Called with an attempt that is to be checked now, or that was pushed out of a full queue. */
typedef void (*BndLoginQueueFunc) (gpointer item,
                                   gpointer user_data);

BndLoginQueue *bnd_login_queue_new         (guint              max_running,
                                            guint              max_waiting,
                                            guint              max_per_address,
                                            BndLoginQueueFunc  start,
                                            BndLoginQueueFunc  refuse,
                                            gpointer           user_data);
void           bnd_login_queue_free        (BndLoginQueue     *queue);
guint          bnd_login_queue_count       (BndLoginQueue     *queue,
                                            const char        *address);
guint64        bnd_login_queue_get_started (BndLoginQueue     *queue);
gboolean       bnd_login_queue_push        (BndLoginQueue     *queue,
                                            const char        *address,
                                            BndLoginClass      klass,
                                            gpointer           item);
gboolean       bnd_login_queue_remove      (BndLoginQueue     *queue,
                                            gpointer           item);
void           bnd_login_queue_finish      (BndLoginQueue     *queue,
                                            const char        *address);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BndLoginQueue, bnd_login_queue_free)

G_END_DECLS
