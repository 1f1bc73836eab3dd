/* bnd-server-procedure.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bnd-server-db.h"
#include "bnd-strategy.h"

G_BEGIN_DECLS

/* A dossier as the rules see it for one account, read from the database. */
typedef struct
{
  BndRecord       *record;           /* NULL: no dossier yet */
  BndDossierFacts  facts;            /* its strings point into record */
  gint64           rating_opened;    /* the rating round; 0 when none was opened */
  gint64           rating_deadline;
  gint64           rating_closed;    /* 0 while it runs */
  char            *rating_reason;    /* why it was closed early, or NULL */
  gboolean         has_vote_round;
  gint64           long_form_received;  /* when the long form was last received; 0 if never */
} BndServerFacts;

BndServerFacts *bnd_server_db_get_facts    (BndServerDb           *db,
                                            const BndUser         *user,
                                            const char            *uuid,
                                            gboolean               new_ok,
                                            GError               **error);
gboolean        bnd_server_facts_check     (const BndServerFacts  *facts,
                                            const BndUser         *user,
                                            BndStep                step,
                                            const BndStepInput    *input,
                                            GError               **error);
gboolean        bnd_server_facts_may       (const BndServerFacts  *facts,
                                            const BndUser         *user,
                                            BndStep                step,
                                            GError               **error);
BndServerFacts *bnd_server_db_check_step   (BndServerDb           *db,
                                            const BndUser         *user,
                                            const char            *uuid,
                                            BndStep                step,
                                            const BndStepInput    *input,
                                            GError               **error);
BndRecord      *bnd_server_db_take_step    (BndServerDb           *db,
                                            const BndUser         *user,
                                            const char            *uuid,
                                            BndStep                step,
                                            JsonObject            *body,
                                            BndStrategy           *strategy,
                                            GError               **error);
gboolean        bnd_server_db_move_dossier (BndServerDb           *db,
                                            const BndUser         *user,
                                            const BndRecord       *record,
                                            const char            *target,
                                            GError               **error);
gboolean        bnd_server_db_write_consultation (BndServerDb     *db,
                                            const BndUser         *user,
                                            const char            *uuid,
                                            const char            *held,
                                            const char            *who,
                                            const char            *notes,
                                            GError               **error);
JsonNode       *bnd_server_db_get_consultation (BndServerDb      *db,
                                            const char            *uuid);
JsonNode       *bnd_server_facts_to_json   (const BndServerFacts  *facts,
                                            const BndUser         *user);
void            bnd_server_facts_free      (BndServerFacts        *facts);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BndServerFacts, bnd_server_facts_free)

G_END_DECLS
