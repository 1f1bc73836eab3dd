/* bnd-test-server.h: a real buendnis-server on loopback, for the UI tests
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BND_TEST_PASSWORD "geheim-12345"

typedef struct
{
  char  *data;
  GPid   pid;
  guint  port;
} BndTestServer;

void bnd_test_server_admin    (const char    *input,
                               ...) G_GNUC_NULL_TERMINATED;
void bnd_test_server_add_user (const char    *data,
                               const char    *name,
                               const char    *org,
                               const char    *role);
void bnd_test_server_serve    (BndTestServer *server,
                               guint          port);
void bnd_test_server_stop     (BndTestServer *server);

G_END_DECLS
