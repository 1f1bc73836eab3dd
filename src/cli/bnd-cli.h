/* bnd-cli.h: what the commands of buendnis-cli share
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bnd-sketch.h"
#include "bnd-store.h"
#include "bnd-strategy.h"

G_BEGIN_DECLS

/* Exit statuses: scripts can tell bad input from a sketch over the page limit. */
enum {
  EXIT_OK = 0,
  EXIT_FAILED = 1,
  EXIT_BAD_INPUT = 2,
  EXIT_OVER_LIMIT = 3,
};

/* What a run of buendnis-cli has open; the store and the strategy pack open on first use. */
typedef struct
{
  char        *profile;
  char        *strategy_path;
  BndStrategy *strategy;
  BndStore    *store;
} BndCli;

char               *bnd_cli_escape            (const char          *text,
                                               gboolean             multiline);
const char         *bnd_cli_safe              (const char          *text);
const char         *bnd_cli_safe_text         (const char          *text);
int                 bnd_cli_bad_input         (const char          *format,
                                               ...) G_GNUC_PRINTF (1, 2);
int                 bnd_cli_failed            (const GError        *error);
gboolean            bnd_cli_open_strategy     (BndCli              *cli,
                                               GError             **error);
gboolean            bnd_cli_open_store        (BndCli              *cli,
                                               GError             **error);
gboolean            bnd_cli_parse_options     (const char          *name,
                                               const char          *args,
                                               const char          *summary,
                                               GOptionEntry        *entries,
                                               int                 *argc,
                                               char              ***argv,
                                               int                 *status);
BndSketch          *bnd_cli_load_sketch       (BndCli              *cli,
                                               const char          *id,
                                               int                 *status);
BndSketch          *bnd_cli_load_editable_sketch (BndCli           *cli,
                                               const char          *id,
                                               int                 *status);
void                bnd_cli_print_json        (JsonNode            *node);
char               *bnd_cli_read_token        (BndCli              *cli,
                                               char               **url,
                                               GError             **error);
JsonNode           *bnd_cli_call              (BndCli              *cli,
                                               const char          *method,
                                               const char          *path,
                                               JsonBuilder         *body,
                                               int                 *status);
void                bnd_cli_add_string        (JsonBuilder         *builder,
                                               const char          *name,
                                               const char          *value);
char               *bnd_cli_resolve_dossier   (BndCli              *cli,
                                               const char          *id,
                                               int                 *status);
GStrv               bnd_cli_dup_criterion_ids (BndCli              *cli);
char               *bnd_cli_format_scores     (JsonObject          *scores,
                                               const char * const  *criteria);

G_END_DECLS
