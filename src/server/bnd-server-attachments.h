/* bnd-server-attachments.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bnd-server-db.h"

G_BEGIN_DECLS

/* The default of [server] max-attachment, and the most it may be set to. */
#define BND_MAX_ATTACHMENT       (20 * 1024 * 1024)
#define BND_MAX_ATTACHMENT_BOUND (256 * 1024 * 1024)

typedef struct
{
  gint64  id;
  char   *kind;
  char   *name;
  gint64  size;
  char   *sha256;
  char   *uploaded_by;
  gint64  uploaded;
} BndAttachment;

gboolean   bnd_attachment_check_frame     (GBytes        *pdf,
                                           GError       **error);
gboolean   bnd_server_db_may_attach       (BndServerDb   *db,
                                           const BndUser *user,
                                           const char    *uuid,
                                           const char    *kind,
                                           const char    *name,
                                           gsize          size,
                                           GError       **error);
gint64     bnd_server_db_add_attachment   (BndServerDb   *db,
                                           const BndUser *user,
                                           const char    *uuid,
                                           const char    *kind,
                                           const char    *name,
                                           GBytes        *pdf,
                                           GError       **error);
GPtrArray *bnd_server_db_list_attachments (BndServerDb   *db,
                                           const BndUser *user,
                                           const char    *uuid,
                                           GError       **error);
BndServerFile *bnd_server_db_get_attachment (BndServerDb *db,
                                           const BndUser *user,
                                           const char    *uuid,
                                           gint64         id,
                                           GError       **error);
void       bnd_attachment_free            (BndAttachment *attachment);

G_END_DECLS
