/* bnd-server.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "bnd-server-config.h"
#include "bnd-server-db.h"
#include "bnd-strategy.h"

G_BEGIN_DECLS

#define BND_TYPE_SERVER (bnd_server_get_type ())

G_DECLARE_FINAL_TYPE (BndServer, bnd_server, BND, SERVER, GObject)

BndServer *bnd_server_new        (BndServerDb           *db,
                                  BndStrategy           *strategy,
                                  GTlsCertificate       *certificate);
void       bnd_server_set_config (BndServer             *self,
                                  const BndServerConfig *config);
gboolean   bnd_server_start_mail (BndServer             *self,
                                  const BndServerConfig *config,
                                  GError               **error);
void       bnd_server_serve_alliances (BndServer        *self,
                                       const char       *data,
                                       const BndServerConfig *config,
                                       const guchar     *audit_key);
void       bnd_server_flush_log  (BndServer             *self);
void       bnd_server_stop_listening (BndServer           *self);
void       bnd_server_finish_works (void);
gboolean   bnd_server_listen     (BndServer             *self,
                                  GInetSocketAddress    *address,
                                  guint                 *port,
                                  GError               **error);

G_END_DECLS
