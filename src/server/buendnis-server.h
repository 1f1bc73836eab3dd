/* buendnis-server.h: what the administration commands' files share
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "bnd-server-db.h"

G_BEGIN_DECLS

/* buendnis-server.c */
int          bnd_cli_usage_error       (const char     *format,
                                        ...) G_GNUC_PRINTF (1, 2);
int          bnd_cli_failed            (const GError   *error);
int          bnd_cli_read_password     (char           *password,
                                        gsize           size);
gboolean     bnd_cli_parse             (const char     *command,
                                        const char     *args,
                                        GOptionEntry   *entries,
                                        int            *argc,
                                        char         ***argv,
                                        int            *status);
BndServerDb *bnd_cli_open_for_accounts (const char     *data,
                                        const char     *config_path,
                                        char          **audit_key,
                                        GError        **error);

/* buendnis-server-accounts.c */
int bnd_cmd_add_org       (int    argc,
                           char **argv);
int bnd_cmd_add_user      (int    argc,
                           char **argv);
int bnd_cmd_set_password  (int    argc,
                           char **argv);
int bnd_cmd_revoke_tokens (int    argc,
                           char **argv);
int bnd_cmd_disable_user  (int    argc,
                           char **argv);
int bnd_cmd_enable_user   (int    argc,
                           char **argv);
int bnd_cmd_set_role      (int    argc,
                           char **argv);

/* buendnis-server-copy.c */
int bnd_cmd_add_alliance (int    argc,
                          char **argv);
int bnd_cmd_alliances    (int    argc,
                          char **argv);
int bnd_cmd_copy (int    argc,
                  char **argv);

/* buendnis-server-mail.c */
int bnd_cmd_set_mail (int    argc,
                      char **argv);
int bnd_cmd_outbox   (int    argc,
                      char **argv);
int bnd_cmd_clock    (int    argc,
                      char **argv);

G_END_DECLS
