/* bnd-server-proxy.h: which client a request comes from, behind trusted reverse proxies
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

char *bnd_server_proxy_find_client (GPtrArray         *trusted_proxies,
                                    SoupServerMessage *msg);

G_END_DECLS
