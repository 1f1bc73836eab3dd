/* bnd-server-listener.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct
{
  guint max_connections;  /* before the descriptor limit lowers it */
  guint idle_timeout;     /* seconds */
  guint header_timeout;   /* seconds */
  guint body_timeout;     /* seconds */
  guint body_min_rate;    /* bytes per second */
} BndServerLimits;

typedef struct _BndServerListener BndServerListener;

BndServerListener *bnd_server_listener_new                 (SoupServer             *soup,
                                                            GTlsCertificate        *certificate);
void               bnd_server_listener_free                (BndServerListener      *self);
void               bnd_server_listener_close               (BndServerListener      *self);
void               bnd_server_listener_set_limits          (BndServerListener      *self,
                                                            const BndServerLimits  *limits);
gboolean           bnd_server_listener_listen              (BndServerListener      *self,
                                                            GInetSocketAddress     *address,
                                                            guint                  *port,
                                                            GError                **error);

gboolean           bnd_server_listener_answer_now          (SoupServerMessage      *msg);
void               bnd_server_listener_cut                 (SoupServerMessage      *msg);
GSocket           *bnd_server_listener_get_socket          (SoupServerMessage      *msg);

G_END_DECLS
