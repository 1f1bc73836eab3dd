/* bnd-server-outbox.c: the messages waiting to be sent, in the server's database
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-outbox"

#include "config.h"

#include "bnd-server-db-private.h"
#include "bnd-server-outbox.h"

/* A row is written 'pending' with its Message-ID, in the transaction of the event it tells of.
 * The sender (bnd-server-mailer.c) of any server process claims one row at a time: 'sending',
 * committed before a byte goes to the mail server, then 'sent' after the server took it, or
 * 'pending' again with a later next_attempt_at, or 'failed' after the last attempt.
 *
 * A claim is a lease: while a row is 'sending', next_attempt_at is when the claim runs out (the
 * sender's SMTP timeout and a margin). Several processes share one outbox, so a row 'sending' is
 * left alone until then: another process may be in the middle of sending it. Once the lease has
 * run out, its sender stopped or died with it in flight, and it is claimed again before any
 * other, with the same Message-ID. So every message is sent at least once, and only one that was
 * in flight when its sender ended can arrive twice. */

#define COLUMNS "id, message_id, \"user\", address, kind, dossier, subject, body, created, state, attempts, " \
                "next_attempt_at, error"

gboolean
bnd_server_outbox_add (BndServerDb  *self,
                       const char   *user,
                       const char   *address,
                       const char   *kind,
                       const char   *dossier,
                       const char   *subject,
                       const char   *body,
                       GError      **error)
{
  g_autoptr(BndDbStmt) stmt =
    bnd_server_db_prepare (self, "INSERT INTO outbox (message_id, \"user\", address, kind, dossier, subject, body, "
                                 "created, state, attempts, next_attempt_at) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending', 0, ?8)", error);
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *message_id = g_strdup_printf ("<%s@%s>", uuid,
                                                 self->mail_domain ? self->mail_domain : "buendnis.invalid");

  if (stmt == NULL)
    return FALSE;
  bnd_db_bind_text (stmt, 1, message_id);
  bnd_db_bind_text (stmt, 2, user);
  bnd_db_bind_text (stmt, 3, address);
  bnd_db_bind_text (stmt, 4, kind);
  bnd_db_bind_text (stmt, 5, dossier);
  bnd_db_bind_text (stmt, 6, subject);
  bnd_db_bind_text (stmt, 7, body);
  bnd_db_bind_int64 (stmt, 8, bnd_server_db_now (self));
  if (bnd_db_step (stmt) != BND_DB_DONE)
    return bnd_server_db_sql_error (self, error);
  if (self->outbox_written)
    self->outbox_written (self->outbox_written_data);
  return TRUE;
}

static BndOutboxRow *
read_row (BndDbStmt *stmt)
{
  BndOutboxRow *row = g_new0 (BndOutboxRow, 1);

  row->id = bnd_db_column_int64 (stmt, 0);
  row->message_id = g_strdup (bnd_db_column_text (stmt, 1));
  row->user = g_strdup (bnd_db_column_text (stmt, 2));
  row->address = g_strdup (bnd_db_column_text (stmt, 3));
  row->kind = g_strdup (bnd_db_column_text (stmt, 4));
  row->dossier = g_strdup (bnd_db_column_text (stmt, 5));
  row->subject = g_strdup (bnd_db_column_text (stmt, 6));
  row->body = g_strdup (bnd_db_column_text (stmt, 7));
  row->created = bnd_db_column_int64 (stmt, 8);
  row->state = g_strdup (bnd_db_column_text (stmt, 9));
  row->attempts = bnd_db_column_int (stmt, 10);
  row->next_attempt_at = bnd_db_column_int64 (stmt, 11);
  row->error = g_strdup (bnd_db_column_text (stmt, 12));
  return row;
}

/**
 * bnd_server_outbox_list:
 * @all: with the sent ones too
 *
 * Returns: (transfer full) (element-type BndOutboxRow): the rows not sent yet (pending, sending,
 *   failed), oldest first
 */
GPtrArray *
bnd_server_outbox_list (BndServerDb  *self,
                        gboolean      all,
                        GError      **error)
{
  g_autoptr(BndDbStmt) stmt =
    bnd_server_db_prepare (self, all ? "SELECT " COLUMNS " FROM outbox ORDER BY id"
                                     : "SELECT " COLUMNS " FROM outbox WHERE state != 'sent' ORDER BY id", error);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)bnd_outbox_row_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = bnd_db_step (stmt)) == BND_DB_ROW)
    g_ptr_array_add (rows, read_row (stmt));
  if (rc != BND_DB_DONE)
    {
      bnd_server_db_sql_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/**
 * bnd_server_outbox_claim:
 * @now: the server's time
 * @lease_until: until when the claim holds, by the server's clock: longer than sending can take
 *
 * Takes the next row to send: one left 'sending' by a sender that ended, whose lease has run out,
 * first, then the oldest pending one that is due. It is marked 'sending' until @lease_until with
 * one more attempt, committed, before it is returned.
 *
 * Returns: (transfer full) (nullable): the row, or %NULL when none is due (or on an error)
 */
BndOutboxRow *
bnd_server_outbox_claim (BndServerDb  *self,
                         gint64        now,
                         gint64        lease_until,
                         GError      **error)
{
  g_autoptr(BndDbStmt) find =
    bnd_server_db_prepare (self, "SELECT " COLUMNS " FROM outbox WHERE state IN ('sending', 'pending') "
                                 "AND next_attempt_at <= ?1 "
                                 "ORDER BY state = 'sending' DESC, next_attempt_at, id LIMIT 1", error);
  g_autoptr(BndDbStmt) mark =
    bnd_server_db_prepare (self, "UPDATE outbox SET state = 'sending', attempts = attempts + 1, next_attempt_at = ?2 "
                                 "WHERE id = ?1", error);
  g_autoptr(BndOutboxRow) row = NULL;
  int rc;

  if (find == NULL || mark == NULL || !bnd_server_db_begin (self, error))
    return NULL;
  bnd_db_bind_int64 (find, 1, now);
  if ((rc = bnd_db_step (find)) == BND_DB_ROW)
    row = read_row (find);
  else if (rc != BND_DB_DONE)
    {
      bnd_server_db_sql_error (self, error);
      goto failed;
    }
  if (row == NULL)
    {
      bnd_server_db_rollback (self);
      return NULL;
    }
  bnd_db_bind_int64 (mark, 1, row->id);
  bnd_db_bind_int64 (mark, 2, lease_until);
  if (bnd_db_step (mark) != BND_DB_DONE)
    {
      bnd_server_db_sql_error (self, error);
      goto failed;
    }
  if (!bnd_server_db_commit (self, error))
    goto failed;
  row->attempts++;
  g_free (row->state);
  row->state = g_strdup ("sending");
  row->next_attempt_at = lease_until;
  return g_steal_pointer (&row);

failed:
  bnd_server_db_rollback (self);
  return NULL;
}

gboolean
bnd_server_outbox_sent (BndServerDb  *self,
                        gint64        id,
                        gint64        now,
                        GError      **error)
{
  g_autoptr(BndDbStmt) stmt =
    bnd_server_db_prepare (self, "UPDATE outbox SET state = 'sent', sent_at = ?2, error = NULL WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  bnd_db_bind_int64 (stmt, 1, id);
  bnd_db_bind_int64 (stmt, 2, now);
  if (bnd_db_step (stmt) != BND_DB_DONE)
    return bnd_server_db_sql_error (self, error);
  return TRUE;
}

/**
 * bnd_server_outbox_failed:
 * @retry_at: when to try again, by the server's clock
 * @give_up: whether that was the last attempt: the row stays 'failed' with @reason
 *
 * @attempts: the claim's count of attempts
 *
 * Only the row as this claim left it changes: should the lease have run out and another process
 * have claimed it again (one attempt more) or sent it meanwhile, that is not undone.
 */
gboolean
bnd_server_outbox_failed (BndServerDb  *self,
                          gint64        id,
                          int           attempts,
                          const char   *reason,
                          gint64        retry_at,
                          gboolean      give_up,
                          GError      **error)
{
  g_autoptr(BndDbStmt) stmt =
    bnd_server_db_prepare (self, "UPDATE outbox SET state = ?2, next_attempt_at = ?3, error = ?4 "
                                 "WHERE id = ?1 AND state = 'sending' AND attempts = ?5",
                           error);

  if (stmt == NULL)
    return FALSE;
  bnd_db_bind_int64 (stmt, 1, id);
  bnd_db_bind_text (stmt, 2, give_up ? "failed" : "pending");
  bnd_db_bind_int64 (stmt, 3, retry_at);
  bnd_db_bind_text (stmt, 4, reason);
  bnd_db_bind_int (stmt, 5, attempts);
  if (bnd_db_step (stmt) != BND_DB_DONE)
    return bnd_server_db_sql_error (self, error);
  return TRUE;
}

void
bnd_outbox_row_free (BndOutboxRow *row)
{
  if (row == NULL)
    return;
  g_free (row->message_id);
  g_free (row->user);
  g_free (row->address);
  g_free (row->kind);
  g_free (row->dossier);
  g_free (row->subject);
  g_free (row->body);
  g_free (row->state);
  g_free (row->error);
  g_free (row);
}
