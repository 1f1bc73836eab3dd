/* bnd-cli-steps.h: the steps of the procedure, and what an account may do with a dossier now
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bnd-cli.h"

G_BEGIN_DECLS

int bnd_cli_cmd_start_assessment (BndCli  *cli,
                                 int      argc,
                                 char   **argv);
int bnd_cli_cmd_receive_long_form (BndCli  *cli,
                                  int      argc,
                                  char   **argv);
int bnd_cli_cmd_application (BndCli  *cli,
                            int      argc,
                            char   **argv);
int bnd_cli_cmd_reject (BndCli  *cli,
                       int      argc,
                       char   **argv);
int bnd_cli_cmd_withdraw (BndCli  *cli,
                         int      argc,
                         char   **argv);
int bnd_cli_cmd_reopen (BndCli  *cli,
                       int      argc,
                       char   **argv);
int bnd_cli_cmd_open_rating (BndCli  *cli,
                            int      argc,
                            char   **argv);
int bnd_cli_cmd_open_vote (BndCli  *cli,
                          int      argc,
                          char   **argv);
int bnd_cli_cmd_approve (BndCli  *cli,
                        int      argc,
                        char   **argv);
int bnd_cli_cmd_consultation (BndCli  *cli,
                             int      argc,
                             char   **argv);
int bnd_cli_cmd_recuse (BndCli  *cli,
                       int      argc,
                       char   **argv);
int bnd_cli_cmd_comment (BndCli  *cli,
                        int      argc,
                        char   **argv);
int bnd_cli_cmd_statement (BndCli  *cli,
                          int      argc,
                          char   **argv);
int bnd_cli_cmd_dossier_steps (BndCli  *cli,
                              int      argc,
                              char   **argv);
int bnd_cli_cmd_dossier_submissions (BndCli  *cli,
                                    int      argc,
                                    char   **argv);
int bnd_cli_cmd_dossier_diff (BndCli  *cli,
                             int      argc,
                             char   **argv);

G_END_DECLS
