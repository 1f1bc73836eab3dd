/* bnd-cli-sketches.h: the commands on the sketches in the profile
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bnd-cli.h"

G_BEGIN_DECLS

int bnd_cli_cmd_template   (BndCli  *cli,
                            int      argc,
                            char   **argv);
int bnd_cli_cmd_new        (BndCli  *cli,
                            int      argc,
                            char   **argv);
int bnd_cli_cmd_list       (BndCli  *cli,
                            int      argc,
                            char   **argv);
int bnd_cli_cmd_search     (BndCli  *cli,
                            int      argc,
                            char   **argv);
int bnd_cli_cmd_show       (BndCli  *cli,
                            int      argc,
                            char   **argv);
int bnd_cli_cmd_edit       (BndCli  *cli,
                            int      argc,
                            char   **argv);
int bnd_cli_cmd_import     (BndCli  *cli,
                            int      argc,
                            char   **argv);
int bnd_cli_cmd_export     (BndCli  *cli,
                            int      argc,
                            char   **argv);
int bnd_cli_cmd_export_pdf (BndCli  *cli,
                            int      argc,
                            char   **argv);
int bnd_cli_cmd_pages      (BndCli  *cli,
                            int      argc,
                            char   **argv);
int bnd_cli_cmd_history    (BndCli  *cli,
                            int      argc,
                            char   **argv);
int bnd_cli_cmd_snapshot   (BndCli  *cli,
                            int      argc,
                            char   **argv);
int bnd_cli_cmd_restore    (BndCli  *cli,
                            int      argc,
                            char   **argv);

G_END_DECLS
