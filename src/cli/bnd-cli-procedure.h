/* bnd-cli-procedure.h: stages, the audit trail, votes, ratings and the portfolio
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bnd-cli.h"

G_BEGIN_DECLS

int bnd_cli_cmd_stage     (BndCli  *cli,
                           int      argc,
                           char   **argv);
int bnd_cli_cmd_audit     (BndCli  *cli,
                           int      argc,
                           char   **argv);
int bnd_cli_cmd_vote      (BndCli  *cli,
                           int      argc,
                           char   **argv);
int bnd_cli_cmd_votes     (BndCli  *cli,
                           int      argc,
                           char   **argv);
int bnd_cli_cmd_rate      (BndCli  *cli,
                           int      argc,
                           char   **argv);
int bnd_cli_cmd_ratings   (BndCli  *cli,
                           int      argc,
                           char   **argv);
int bnd_cli_cmd_portfolio (BndCli  *cli,
                           int      argc,
                           char   **argv);

G_END_DECLS
