/* bnd-server-db-private.h: what the server database's modules share
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bnd-server-audit-key.h"
#include "bnd-server-db.h"
#include "bnd-server-db-stmt.h"
#include "bnd-server-db-pg.h"

G_BEGIN_DECLS

/* The WAL index header that bnd-server-db-wal.c compares */
#define BND_SERVER_DB_WAL_MARK 48

struct _BndServerDb
{
  sqlite3  *db;        /* the SQLite backend's connection, or NULL */
  PGconn   *pg;        /* PostgreSQL's (bnd-server-db-pg.c), or NULL */
  char     *pg_url;    /* where it goes: downloads open connections of their own */
  gboolean  pg_serving; /* holds the serving lock (bnd_server_db_hold_serving_lock()) */
  gboolean  has_audit_key;
  guchar    audit_key[BND_AUDIT_KEY_BYTES];
  gboolean  has_throttle_secret;
  guchar    throttle_secret[32];  /* login_secret: keys the sign-in throttle's rows */

  /* E-mail (bnd-server-mail.c): whether events write messages into the outbox at all, the
   * right-hand side of their Message-IDs, and who to tell that a message was written. */
  gboolean  mail_enabled;
  char     *mail_domain;
  void    (*outbox_written) (gpointer data);
  gpointer  outbox_written_data;

  /* Prepared statements (bnd-server-db-statements.c) */
  GHashTable *kept;   /* SQL text → BndDbStmt, reset, for the next call */
  GHashTable *lent;   /* BndDbStmt → its SQL text, in a caller's hands */
  sqlite3_stmt *begin_read;  /* a request's reads: see bnd_server_db_begin_request() */
  sqlite3_stmt *end_read;
  gboolean      reading;     /* that read transaction is open */
  gboolean      in_request;  /* between bnd_server_db_begin_request() and _end_request() */
  GSource      *turn_source; /* ends it as each turn of the main loop begins */
  gboolean      read_marked; /* read_mark holds the WAL index's header from before it began */
  guint8        read_mark[BND_SERVER_DB_WAL_MARK];
  const volatile guint8 *wal_index;  /* bnd-server-db-wal.c */

  /* What is remembered while the database is unchanged (bnd-server-db-memory.c) */
  sqlite3_stmt *data_version;
  gint64        memory_version;   /* PRAGMA data_version, when it was remembered */
  gint64        memory_changes;   /* sqlite3_total_changes64 (), then */
  gboolean      memory_checked;   /* data_version asked in this request's read transaction */
  GHashTable   *tokens;           /* accepted token → what the tables said (bnd-server-db-tokens.c) */
  GHashTable   *quiet;            /* organisation → per role, nothing visible changed after */
};

/* bnd-server-db-statements.c: a statement of bnd_server_db_prepare() goes back to the cache at
 * the end of its scope, reset; any other is finalized. */
void          bnd_server_db_release   (BndDbStmt    *stmt);
void          bnd_server_db_statements_init  (BndServerDb *self);
void          bnd_server_db_statements_clear (BndServerDb *self);
void          bnd_server_db_end_read         (BndServerDb *self);

/* bnd-server-db-wal.c */
gboolean      bnd_server_db_wal_mark      (BndServerDb  *self,
                                           guint8        mark[BND_SERVER_DB_WAL_MARK]);
gboolean      bnd_server_db_wal_unchanged (BndServerDb  *self,
                                           const guint8  mark[BND_SERVER_DB_WAL_MARK]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BndDbStmt, bnd_server_db_release)
/* SQLite's own statements, in the SQLite backend's files (opening, migrations, file reading) */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* bnd-server-db-memory.c */
void          bnd_server_db_memory_init     (BndServerDb   *self);
void          bnd_server_db_memory_clear    (BndServerDb   *self);
gboolean      bnd_server_db_memory_valid    (BndServerDb   *self);
gboolean      bnd_server_db_quiet_since     (BndServerDb   *self,
                                             const BndUser *user,
                                             gint64         since);
void          bnd_server_db_quiet_remember  (BndServerDb   *self,
                                             const BndUser *user,
                                             gint64         seq);

/* bnd-server-db-tokens.c */
void          bnd_server_db_tokens_init     (BndServerDb   *self);
void          bnd_server_db_tokens_clear    (BndServerDb   *self);
BndUser      *bnd_server_db_tokens_lookup   (BndServerDb   *self,
                                             const char    *token,
                                             gint64         now,
                                             gboolean      *valid);
void          bnd_server_db_tokens_remember (BndServerDb   *self,
                                             const char    *token,
                                             const BndUser *user,
                                             gint64         expires);

/* bnd-server-db-pg-conn.c */
BndServerDb  *bnd_server_db_open_pg   (const char   *directory,
                                       const char   *url,
                                       gboolean      create,
                                       GError      **error);
gboolean      bnd_server_pg_connection_check (PGconn *conn,
                                       const char   *directory,
                                       GError      **error);
void          bnd_server_db_pg_ensure (BndServerDb  *self);
gboolean      bnd_server_db_pg_begin  (BndServerDb  *self,
                                       GError      **error);
gboolean      bnd_server_db_pg_commit (BndServerDb  *self,
                                       GError      **error);
gboolean      bnd_server_pg_file_read (PGconn               *conn,
                                       const BndServerFile  *file,
                                       gint64                offset,
                                       void                 *buffer,
                                       gsize                 length,
                                       GError              **error);

gboolean      bnd_server_db_sql_error (BndServerDb  *self,
                                       GError      **error);
BndDbStmt    *bnd_server_db_prepare   (BndServerDb  *self,
                                       const char   *sql,
                                       GError      **error);
gint64        bnd_server_db_next_seq  (BndServerDb  *self);
gboolean      bnd_server_db_begin     (BndServerDb  *self,
                                       GError      **error);
gboolean      bnd_server_db_commit    (BndServerDb  *self,
                                       GError      **error);
void          bnd_server_db_rollback  (BndServerDb  *self);
gboolean      bnd_server_db_in_transaction (BndServerDb *self);
gboolean      bnd_server_db_finish    (BndServerDb  *self,
                                       gboolean      ok,
                                       GError      **error);
gboolean      bnd_server_db_append_audit (BndServerDb *self,
                                       const char   *dossier,
                                       const char   *actor,
                                       const char   *action,
                                       const char   *detail,
                                       GError      **error);
gboolean      bnd_server_db_write_stage  (BndServerDb *self,
                                       const BndUser *user,
                                       const char   *uuid,
                                       const char   *stage,
                                       GError      **error);
char         *bnd_audit_detail_string (const char *key,
                                       const char *value);
gint64        bnd_server_db_count     (BndServerDb  *self,
                                       const char   *sql,
                                       const char   *key);

G_END_DECLS
