/* bnd-server-vote.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bnd-server-db.h"

G_BEGIN_DECLS


typedef struct
{
  char      *org;
  char      *choice;    /* NULL: not voted */
  char      *comment;
} BndBallot;

typedef struct
{
  char      *question;
  gint64     opened;
  gint64     deadline;
  gint64     closed_at; /* 0 while open */
  gboolean   closed;
  GPtrArray *entitled;  /* of BndBallot, one per organisation that may vote */
  GStrv      recused;
  guint      n_voted;
} BndVoteRound;

gboolean      bnd_server_check_question (const char      *question,
                                         GError         **error);
gboolean      bnd_server_check_ballot   (const char      *choice,
                                         const char      *comment,
                                         GError         **error);
gboolean      bnd_server_vote_check_input (BndServerDb    *db,
                                       const char         *question,
                                       gint64              deadline,
                                       const char * const *recused,
                                       GError            **error);
gboolean      bnd_server_db_insert_vote_round (BndServerDb *db,
                                       const BndUser      *user,
                                       const BndRecord    *record,
                                       const char         *question,
                                       gint64              deadline,
                                       const char * const *recused,
                                       GError            **error);
gboolean      bnd_server_db_remove_vote_round (BndServerDb *db,
                                       const char         *uuid,
                                       GError            **error);
BndVoteRound *bnd_server_db_load_vote_round (BndServerDb  *db,
                                       const char         *uuid,
                                       GError            **error);
gboolean      bnd_server_db_open_vote (BndServerDb        *db,
                                       const BndUser      *user,
                                       const char         *uuid,
                                       const char         *question,
                                       gint64              deadline,
                                       const char * const *recused,
                                       GError            **error);
gboolean      bnd_server_db_cast_vote (BndServerDb        *db,
                                       const BndUser      *user,
                                       const char         *uuid,
                                       const char         *choice,
                                       const char         *comment,
                                       GError            **error);
BndVoteRound *bnd_server_db_get_vote  (BndServerDb        *db,
                                       const BndUser      *user,
                                       const char         *uuid,
                                       GError            **error);
gboolean      bnd_vote_round_has_quorum (const BndVoteRound *round);
gboolean      bnd_vote_round_is_adopted (const BndVoteRound *round);
void          bnd_vote_round_free     (BndVoteRound       *round);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BndVoteRound, bnd_vote_round_free)

G_END_DECLS
