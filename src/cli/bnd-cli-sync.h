/* bnd-cli-sync.h: signing in, syncing and submitting
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bnd-cli.h"

G_BEGIN_DECLS

int bnd_cli_cmd_login     (BndCli  *cli,
                           int      argc,
                           char   **argv);
int bnd_cli_cmd_logout    (BndCli  *cli,
                           int      argc,
                           char   **argv);
int bnd_cli_cmd_sync      (BndCli  *cli,
                           int      argc,
                           char   **argv);
int bnd_cli_cmd_conflicts (BndCli  *cli,
                           int      argc,
                           char   **argv);
int bnd_cli_cmd_resolve   (BndCli  *cli,
                           int      argc,
                           char   **argv);
int bnd_cli_cmd_submit    (BndCli  *cli,
                           int      argc,
                           char   **argv);

G_END_DECLS
