/* bnd-cli-account.h: the signed-in user's account on the server
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bnd-cli.h"

G_BEGIN_DECLS

int bnd_cli_cmd_account (BndCli  *cli,
                         int      argc,
                         char   **argv);

G_END_DECLS
