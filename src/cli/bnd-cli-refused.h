/* bnd-cli-refused.h: the sketches whose edits the server refused, and the way out
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdio.h>

#include "bnd-cli.h"

G_BEGIN_DECLS

guint bnd_cli_print_refused       (BndCli  *cli,
                                   FILE    *out);
int   bnd_cli_cmd_refused         (BndCli  *cli,
                                   int      argc,
                                   char   **argv);
int   bnd_cli_cmd_resolve_refused (BndCli  *cli,
                                   int      argc,
                                   char   **argv);

G_END_DECLS
