/* bnd-server-db.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <sqlite3.h>

#include "bnd-api-error.h"
#include "bnd-procedure.h"

G_BEGIN_DECLS

typedef struct
{
  char    *name;
  char    *org;
  BndRole  role;
} BndUser;

typedef struct
{
  char     *uuid;
  char     *org;
  char     *stage;
  gint64    revision;
  gint64    seq;
  char     *data;
  char     *closed_at;   /* for a closed dossier, the stage it was closed at */
  gboolean  submitted;   /* a submission exists: the partners see it from then on */
} BndRecord;

typedef struct _BndServerDb BndServerDb;

/* A stored PDF, found but not read: downloads stream it in pieces through a
 * BndServerFileReader rather than copying it whole into memory. */
typedef struct
{
  const char *table;     /* "attachments", "submissions" or "statements": a fixed name */
  gint64      rowid;
  gint64      size;
  char       *sha256;    /* of the file as found; a read refuses a row that changed since */
  char       *tid;       /* PostgreSQL: the row version's ctid, where rowid is SQLite's */
} BndServerFile;

typedef struct _BndServerFileReader BndServerFileReader;

int          bnd_server_error_status    (const GError *error);
const char  *bnd_server_error_code      (const GError *error);

gboolean     bnd_server_db_exists       (const char   *directory,
                                         GError      **error);
char        *bnd_server_db_read_url     (const char   *directory);
gboolean     bnd_server_db_hold_serving_lock (BndServerDb *db,
                                         const char   *directory,
                                         GError      **error);
gboolean     bnd_server_pg_migrate      (const char   *directory,
                                         const char   *url,
                                         int          *from,
                                         int          *to,
                                         GError      **error);
gboolean     bnd_server_db_set_url      (const char   *directory,
                                         const char   *url,
                                         GError      **error);
BndServerDb *bnd_server_db_open         (const char   *directory,
                                         gboolean      create,
                                         GError      **error);
void         bnd_server_db_free         (BndServerDb  *db);
gboolean     bnd_server_db_is_remote    (BndServerDb  *db);
BndServerDb *bnd_server_db_open_sibling (BndServerDb *db);
void         bnd_server_db_begin_request (BndServerDb *db);
void         bnd_server_db_end_request  (BndServerDb  *db);
gboolean     bnd_server_db_add_org      (BndServerDb  *db,
                                         const char   *id,
                                         const char   *name,
                                         const char   *kind,
                                         GError      **error);
gboolean     bnd_server_db_add_user     (BndServerDb  *db,
                                         const char   *name,
                                         const char   *org,
                                         BndRole       role,
                                         const char   *actor,
                                         GError      **error);
gboolean     bnd_server_db_set_password (BndServerDb  *db,
                                         const char   *name,
                                         const char   *password,
                                         const char   *actor,
                                         GError      **error);
gboolean     bnd_server_db_revoke_user_tokens (BndServerDb *db,
                                         const char   *name,
                                         const char   *actor,
                                         guint        *n_revoked,
                                         GError      **error);
gboolean     bnd_server_db_set_disabled (BndServerDb  *db,
                                         const char   *name,
                                         gboolean      disabled,
                                         const char   *actor,
                                         GError      **error);
gboolean     bnd_server_db_set_role     (BndServerDb  *db,
                                         const char   *name,
                                         BndRole       role,
                                         const char   *actor,
                                         GError      **error);
gboolean     bnd_server_db_get_login    (BndServerDb  *db,
                                         const char   *name,
                                         char        **hash,
                                         BndRole      *role);
char        *bnd_server_db_new_token    (BndServerDb  *db,
                                         const char   *name,
                                         GError      **error);
BndUser     *bnd_server_db_check_token  (BndServerDb  *db,
                                         const char   *token);
gboolean     bnd_server_db_revoke_token (BndServerDb  *db,
                                         const char   *token);
BndRecord   *bnd_server_db_get_record   (BndServerDb  *db,
                                         const char   *uuid);
BndRecord   *bnd_server_db_put_record   (BndServerDb  *db,
                                         const BndUser *user,
                                         const char   *uuid,
                                         gint64        base_revision,
                                         const char   *data,
                                         GError      **error);
GPtrArray   *bnd_server_db_changes      (BndServerDb  *db,
                                         const BndUser *user,
                                         gint64        since,
                                         guint         limit,
                                         gint64       *last_seq);
gint64       bnd_server_db_count_changes (BndServerDb *db,
                                         const BndUser *user,
                                         gint64        since);
BndRecord   *bnd_server_db_get_dossier  (BndServerDb  *db,
                                         const BndUser *user,
                                         const char   *uuid,
                                         GError      **error);
gboolean     bnd_server_db_can_see      (const BndUser *user,
                                         const BndRecord *record);
char        *bnd_server_db_get_idempotent (BndServerDb *db,
                                         const char   *user,
                                         const char   *key,
                                         int          *status);
gboolean     bnd_server_db_put_idempotent (BndServerDb *db,
                                         const char   *user,
                                         const char   *key,
                                         int           status,
                                         const char   *body,
                                         GError      **error);
gboolean     bnd_server_db_expire       (BndServerDb  *db,
                                         gint64        now,
                                         GError      **error);
BndServerFile *bnd_server_db_find_file  (BndServerDb  *db,
                                         const char   *table,
                                         const char   *where,
                                         const char   *key,
                                         gint64        id);
BndServerFileReader *bnd_server_db_open_file (BndServerDb *db,
                                         const BndServerFile *file);
gboolean     bnd_server_file_reader_read (BndServerFileReader *reader,
                                         BndServerDb  *db,
                                         gint64        offset,
                                         void         *buffer,
                                         gsize         length,
                                         GError      **error);
void         bnd_server_file_reader_rest (BndServerFileReader *reader);
void         bnd_server_file_reader_free (BndServerFileReader *reader);
/* bnd-server-clock.c: the one clock of deadlines, reminders and the mail scheduler */
gint64       bnd_server_db_now          (BndServerDb  *db);
gboolean     bnd_server_db_get_clock    (BndServerDb  *db,
                                         gint64       *seconds,
                                         GError      **error);
gboolean     bnd_server_db_set_clock    (BndServerDb  *db,
                                         gint64        seconds,
                                         const char   *actor,
                                         GError      **error);

/* bnd-server-db-users.c: a user's e-mail settings */
typedef struct
{
  char     *email;       /* (nullable) */
  char     *language;    /* "de" or "en" */
  gboolean  enabled;     /* whether the user wants e-mail at all */
} BndMailSettings;

gboolean     bnd_mail_address_is_valid  (const char   *address);
gboolean     bnd_server_db_get_mail_settings (BndServerDb *db,
                                         const char   *name,
                                         BndMailSettings *settings,
                                         GError      **error);
gboolean     bnd_server_db_set_mail_settings (BndServerDb *db,
                                         const char   *name,
                                         const char   *email,
                                         const char   *language,
                                         int           enabled,
                                         const char   *actor,
                                         GError      **error);
void         bnd_mail_settings_clear    (BndMailSettings *settings);

void         bnd_user_free              (BndUser      *user);
void         bnd_record_free            (BndRecord    *record);
void         bnd_server_file_free       (BndServerFile *file);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BndUser, bnd_user_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BndRecord, bnd_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BndServerFile, bnd_server_file_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BndServerDb, bnd_server_db_free)

G_END_DECLS
