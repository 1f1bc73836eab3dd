/* bnd-cli-dossier.h: the dossiers as the server keeps them
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bnd-cli.h"

G_BEGIN_DECLS

int bnd_cli_cmd_dossier (BndCli  *cli,
                         int      argc,
                         char   **argv);
int bnd_cli_cmd_assess  (BndCli  *cli,
                         int      argc,
                         char   **argv);
int bnd_cli_cmd_attach  (BndCli  *cli,
                         int      argc,
                         char   **argv);

G_END_DECLS
