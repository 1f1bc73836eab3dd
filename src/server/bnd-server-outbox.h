/* bnd-server-outbox.h
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
  gint64  id;
  char   *message_id;
  char   *user;
  char   *address;
  char   *kind;
  char   *dossier;     /* (nullable) */
  char   *subject;
  char   *body;
  gint64  created;
  char   *state;       /* pending, sending, sent, failed */
  int     attempts;
  gint64  next_attempt_at; /* while 'sending': when the claim runs out */
  char   *error;       /* (nullable): the last attempt's */
} BndOutboxRow;

gboolean      bnd_server_outbox_add          (BndServerDb   *db,
                                              const char    *user,
                                              const char    *address,
                                              const char    *kind,
                                              const char    *dossier,
                                              const char    *subject,
                                              const char    *body,
                                              GError       **error);
GPtrArray    *bnd_server_outbox_list         (BndServerDb   *db,
                                              gboolean       all,
                                              GError       **error);
BndOutboxRow *bnd_server_outbox_claim        (BndServerDb   *db,
                                              gint64         now,
                                              gint64         lease_until,
                                              GError       **error);
gboolean      bnd_server_outbox_sent         (BndServerDb   *db,
                                              gint64         id,
                                              gint64         now,
                                              GError       **error);
gboolean      bnd_server_outbox_failed       (BndServerDb   *db,
                                              gint64         id,
                                              int            attempts,
                                              const char    *reason,
                                              gint64         retry_at,
                                              gboolean       give_up,
                                              GError       **error);
void          bnd_outbox_row_free            (BndOutboxRow  *row);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BndOutboxRow, bnd_outbox_row_free)

G_END_DECLS
