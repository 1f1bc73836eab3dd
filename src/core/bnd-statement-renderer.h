/* bnd-statement-renderer.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *org;       /* the organisation's name */
  char *choice;    /* "yes", "no", "abstain" or NULL: did not vote */
  char *comment;
} BndStatementVote;

typedef struct
{
  char       *alliance;
  char       *project;
  char       *carrier;
  char       *dossier;
  char       *question;
  gint64      opened;
  gint64      closed;
  char       *issued_by;
  gint64      issued;
  GPtrArray  *votes;      /* of BndStatementVote */
  GPtrArray  *recused;    /* of organisation names */
  guint       yes;
  guint       no;
  guint       abstain;
  gboolean    quorum;
  gboolean    adopted;
} BndStatement;

BndStatement *bnd_statement_new    (void);
void          bnd_statement_add_vote (BndStatement       *statement,
                                      const char         *org,
                                      const char         *choice,
                                      const char         *comment);
GBytes       *bnd_statement_render (const BndStatement *statement,
                                    GError            **error);
void          bnd_statement_free   (BndStatement       *statement);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BndStatement, bnd_statement_free)

G_END_DECLS
