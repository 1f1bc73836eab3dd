/* bnd-server-migrations.c: the server database's schema, one numbered step at a time
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-migrations"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>

#include "bnd-server-migrations.h"

/* The schema is the list of steps below, applied in order; `PRAGMA user_version` records the
 * last one applied. A step is never edited once released: a change to the schema is a new step
 * at the end. A new database runs every step, so it ends exactly like an upgraded one.
 *
 * Only `buendnis-server migrate` (and `init`, `restore`) run steps. `serve` and the other
 * commands refuse a database at another version, so that two servers never race to upgrade the
 * same file and an older binary never writes to a schema it does not know. A server checks only
 * when it starts, so `migrate` also refuses while one runs on the folder (server.lock, see
 * bnd_server_maintenance_lock). */

/* Step 1 is the schema of the first release (commit 2b19c5e), word for word. */
static const char step_1[] =
  "CREATE TABLE IF NOT EXISTS orgs (id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS users ("
  "  name TEXT PRIMARY KEY, org TEXT NOT NULL REFERENCES orgs (id),"
  "  role TEXT NOT NULL CHECK (role IN ('carrier', 'partner', 'coordination', 'admin')),"
  "  password TEXT, failed INTEGER NOT NULL DEFAULT 0, locked_until INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE IF NOT EXISTS tokens ("
  "  hash TEXT PRIMARY KEY, user TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,"
  "  expires INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS records ("
  "  uuid TEXT PRIMARY KEY, kind TEXT NOT NULL DEFAULT 'sketch', org TEXT NOT NULL,"
  "  stage TEXT NOT NULL, revision INTEGER NOT NULL, seq INTEGER NOT NULL UNIQUE,"
  "  data TEXT NOT NULL, updated_by TEXT NOT NULL, updated INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS submissions ("
  "  uuid TEXT PRIMARY KEY REFERENCES records (uuid), pdf BLOB NOT NULL, sha256 TEXT NOT NULL,"
  "  submitted_by TEXT NOT NULL, submitted INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS idempotency ("
  "  user TEXT NOT NULL, key TEXT NOT NULL, status INTEGER NOT NULL, body TEXT NOT NULL,"
  "  created INTEGER NOT NULL, PRIMARY KEY (user, key));"
  /* The audit trail: append-only (the triggers refuse changes) and hash-chained per dossier;
   * audit_head holds each chain's last entry, so a removed tail shows as well. */
  "CREATE TABLE IF NOT EXISTS audit ("
  "  dossier TEXT NOT NULL, n INTEGER NOT NULL, at INTEGER NOT NULL, actor TEXT NOT NULL,"
  "  action TEXT NOT NULL, detail TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL,"
  "  PRIMARY KEY (dossier, n));"
  "CREATE TABLE IF NOT EXISTS audit_head (dossier TEXT PRIMARY KEY, n INTEGER NOT NULL, hash TEXT NOT NULL);"
  "CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit "
  "  BEGIN SELECT RAISE (ABORT, 'the audit trail is append-only'); END;"
  "CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit "
  "  BEGIN SELECT RAISE (ABORT, 'the audit trail is append-only'); END;"
  /* The circulation vote: one round per dossier, one vote per entitled organisation. */
  "CREATE TABLE IF NOT EXISTS vote_rounds ("
  "  dossier TEXT PRIMARY KEY REFERENCES records (uuid), question TEXT NOT NULL, opened INTEGER NOT NULL,"
  "  deadline INTEGER NOT NULL, opened_by TEXT NOT NULL, closed INTEGER);"
  /* Who may vote is fixed when the round opens: a partner added later does not reopen it. */
  "CREATE TABLE IF NOT EXISTS vote_entitled ("
  "  dossier TEXT NOT NULL REFERENCES vote_rounds (dossier), org TEXT NOT NULL, PRIMARY KEY (dossier, org));"
  "CREATE TABLE IF NOT EXISTS recusals ("
  "  dossier TEXT NOT NULL, org TEXT NOT NULL REFERENCES orgs (id), PRIMARY KEY (dossier, org));"
  "CREATE TABLE IF NOT EXISTS votes ("
  "  dossier TEXT NOT NULL REFERENCES vote_rounds (dossier), org TEXT NOT NULL REFERENCES orgs (id),"
  "  choice TEXT NOT NULL CHECK (choice IN ('yes', 'no', 'abstain')), comment TEXT NOT NULL,"
  "  cast_by TEXT NOT NULL, cast_at INTEGER NOT NULL, PRIMARY KEY (dossier, org));"
  /* PDFs that carriers attach to a dossier: the long form, letters of intent, others. */
  "CREATE TABLE IF NOT EXISTS attachments ("
  "  id INTEGER PRIMARY KEY, dossier TEXT NOT NULL REFERENCES records (uuid),"
  "  kind TEXT NOT NULL CHECK (kind IN ('long-form', 'letter-of-intent', 'other')), name TEXT NOT NULL,"
  "  size INTEGER NOT NULL, sha256 TEXT NOT NULL, pdf BLOB NOT NULL, uploaded_by TEXT NOT NULL,"
  "  uploaded INTEGER NOT NULL);"
  /* The partners' ratings of a long form: one per organisation, scores as a JSON object. */
  "CREATE TABLE IF NOT EXISTS ratings ("
  "  dossier TEXT NOT NULL REFERENCES records (uuid), org TEXT NOT NULL REFERENCES orgs (id),"
  "  scores TEXT NOT NULL, comment TEXT NOT NULL, rated_by TEXT NOT NULL, rated INTEGER NOT NULL,"
  "  PRIMARY KEY (dossier, org));"
  /* The statement of the Lenkungskreis after the vote, as issued. */
  "CREATE TABLE IF NOT EXISTS statements ("
  "  dossier TEXT PRIMARY KEY REFERENCES records (uuid), pdf BLOB NOT NULL, sha256 TEXT NOT NULL,"
  "  issued_by TEXT NOT NULL, issued INTEGER NOT NULL);"
  /* The first assessment with NBank and the ministry, and its note to the carrier. */
  "CREATE TABLE IF NOT EXISTS assessments ("
  "  dossier TEXT PRIMARY KEY REFERENCES records (uuid), body TEXT NOT NULL, assessed_by TEXT NOT NULL,"
  "  assessed INTEGER NOT NULL);"
  /* The partners' thread on a dossier. */
  "CREATE TABLE IF NOT EXISTS comments ("
  "  id INTEGER PRIMARY KEY, dossier TEXT NOT NULL REFERENCES records (uuid), author TEXT NOT NULL,"
  "  org TEXT NOT NULL, text TEXT NOT NULL, posted INTEGER NOT NULL);";

/* Step 2: indexes for the lookups by dossier and by user. The primary keys (dossier, org) of
 * ratings, votes, recusals and vote_entitled and (dossier, n) of audit already serve theirs.
 * tokens (user) serves the ON DELETE CASCADE from users, which otherwise scans every token. */
static const char step_2[] =
  "CREATE INDEX IF NOT EXISTS attachments_dossier ON attachments (dossier, id);"
  "CREATE INDEX IF NOT EXISTS comments_dossier ON comments (dossier, id);"
  "CREATE INDEX IF NOT EXISTS tokens_user ON tokens (user);";

/* Step 3: an administrator can disable a user (disable-user): no sign-in, no token, until
 * enable-user. */
static const char step_3[] =
  "ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;";

/* Step 4: when an account last failed to sign in, so that its failures expire after a day (see
 * bnd_server_db_expire()), and an index for expiring idempotency answers by age. */
static const char step_4[] =
  "ALTER TABLE users ADD COLUMN failed_at INTEGER NOT NULL DEFAULT 0;"
  "CREATE INDEX IF NOT EXISTS idempotency_created ON idempotency (created);";

/* Step 5: each rating's salt. The audit trail records a rating as the SHA-256 of salt, scores and
 * comment: every partner reads the trail during the round, and without the salt the few possible
 * scores could be tried one by one. */
static const char step_5[] =
  "ALTER TABLE ratings ADD COLUMN salt TEXT NOT NULL DEFAULT '';";

/* Step 6: each chain head's HMAC-SHA256 under the audit key (NULL when no key was configured),
 * so that a chain rewritten consistently, hashes and head included, no longer verifies. */
static const char step_6[] =
  "ALTER TABLE audit_head ADD COLUMN signature TEXT;";

/* Step 7: the sign-in throttle, in the database so that several server processes agree (see
 * bnd-server-throttle.c). Rows are found by a keyed hash of what they count (an address, a user
 * name as typed, or both), never by the typed text itself: a password typed into the name field
 * must not sit in the database. The key is made here, once per database, so that every process
 * computes the same hashes. login_known remembers where each account signed in, tokens_expires
 * serves the removal of expired tokens. users.failed, failed_at and locked_until of steps 1 and 4
 * are no longer used. */
static const char step_7[] =
  "CREATE TABLE IF NOT EXISTS login_throttle ("
  "  key TEXT PRIMARY KEY, failures INTEGER NOT NULL, window_start INTEGER NOT NULL,"
  "  last_failed INTEGER NOT NULL, blocked_until INTEGER NOT NULL, expires INTEGER NOT NULL);"
  "CREATE INDEX IF NOT EXISTS login_throttle_expires ON login_throttle (expires);"
  "CREATE TABLE IF NOT EXISTS login_known (key TEXT PRIMARY KEY, expires INTEGER NOT NULL);"
  "CREATE INDEX IF NOT EXISTS login_known_expires ON login_known (expires);"
  "CREATE TABLE IF NOT EXISTS login_secret (id INTEGER PRIMARY KEY CHECK (id = 1), secret BLOB NOT NULL);"
  "INSERT OR IGNORE INTO login_secret (id, secret) VALUES (1, randomblob (32));"
  "CREATE INDEX IF NOT EXISTS tokens_expires ON tokens (expires);";

/* Step 8: the procedure's rules (bnd-procedure.c) need more than the stage.
 * - records.closed_at: the stage a closed dossier was closed at, where reopening returns it;
 *   for those closed before, read off the audit trail.
 * - submissions: every submission of a dossier, numbered, with the sketch as submitted: a sketch
 *   sent back for changes is submitted again into the same dossier. The rows of the one
 *   submission each dossier had so far become number 1, the sketch as stored then (a submitted
 *   sketch could not change).
 * - statements: numbered as well (a reopened dossier's Lenkungskreis may vote again), with
 *   whether the statement is positive, read for the existing ones off their audit entry.
 * - consultations: the consultation of §4.1, one per dossier; a submission without one starts
 *   one that the coordination completes.
 * - rating_rounds: when the rating round opened, its deadline, and when and why it closed. */
static const char step_8[] =
  "ALTER TABLE records ADD COLUMN closed_at TEXT;"
  /* Where the dossiers closed so far were closed: a rejection at the application, a withdrawal
   * at the last stage the trail moved it to. */
  "UPDATE records SET closed_at = 'application' WHERE stage = 'rejected';"
  "UPDATE records SET closed_at = (SELECT a.action FROM audit AS a WHERE a.dossier = records.uuid AND a.action IN "
  "  ('submitted', 'first-assessment', 'long-form-requested', 'long-form-received', 'rating', 'vote', 'statement',"
  "   'application') ORDER BY a.n DESC LIMIT 1) WHERE stage = 'withdrawn';"
  "CREATE TABLE submissions_8 ("
  "  uuid TEXT NOT NULL REFERENCES records (uuid), n INTEGER NOT NULL, pdf BLOB NOT NULL,"
  "  sha256 TEXT NOT NULL, submitted_by TEXT NOT NULL, submitted INTEGER NOT NULL, data TEXT NOT NULL,"
  "  PRIMARY KEY (uuid, n));"
  "INSERT INTO submissions_8 (uuid, n, pdf, sha256, submitted_by, submitted, data) "
  "  SELECT s.uuid, 1, s.pdf, s.sha256, s.submitted_by, s.submitted, "
  "  coalesce ((SELECT r.data FROM records AS r WHERE r.uuid = s.uuid), '') FROM submissions AS s ORDER BY s.rowid;"
  "DROP TABLE submissions;"
  "ALTER TABLE submissions_8 RENAME TO submissions;"
  "CREATE TABLE statements_8 ("
  "  dossier TEXT NOT NULL REFERENCES records (uuid), n INTEGER NOT NULL, pdf BLOB NOT NULL,"
  "  sha256 TEXT NOT NULL, issued_by TEXT NOT NULL, issued INTEGER NOT NULL, positive INTEGER NOT NULL,"
  "  PRIMARY KEY (dossier, n));"
  "INSERT INTO statements_8 (dossier, n, pdf, sha256, issued_by, issued, positive) "
  "  SELECT s.dossier, 1, s.pdf, s.sha256, s.issued_by, s.issued, "
  "  coalesce ((SELECT json_extract (a.detail, '$.adopted') FROM audit AS a WHERE a.dossier = s.dossier "
  "             AND a.action = 'statement' ORDER BY a.n DESC LIMIT 1), 0) FROM statements AS s ORDER BY s.rowid;"
  "DROP TABLE statements;"
  "ALTER TABLE statements_8 RENAME TO statements;"
  "CREATE TABLE IF NOT EXISTS consultations ("
  "  dossier TEXT PRIMARY KEY REFERENCES records (uuid), held TEXT, participants TEXT NOT NULL,"
  "  notes TEXT NOT NULL, complete INTEGER NOT NULL, recorded_by TEXT NOT NULL, recorded INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS rating_rounds ("
  "  dossier TEXT PRIMARY KEY REFERENCES records (uuid), opened INTEGER NOT NULL, deadline INTEGER NOT NULL,"
  "  opened_by TEXT NOT NULL, closed INTEGER, close_reason TEXT);";

/* Step 9: the Lenkungskreis sessions (strategy §4.1) and the dossiers on their agendas, in
 * order, with what came of each. */
static const char step_9[] =
  "CREATE TABLE IF NOT EXISTS sessions ("
  "  uuid TEXT PRIMARY KEY, title TEXT NOT NULL, date TEXT NOT NULL, time TEXT, place TEXT, link TEXT,"
  "  held TEXT, created_by TEXT NOT NULL, created INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS session_items ("
  "  session TEXT NOT NULL REFERENCES sessions (uuid), dossier TEXT NOT NULL REFERENCES records (uuid),"
  "  position INTEGER NOT NULL, outcome TEXT, notes TEXT NOT NULL DEFAULT '', recorded_by TEXT,"
  "  recorded INTEGER, PRIMARY KEY (session, dossier));";

/* Step 10: e-mail (bnd-server-mail.c, bnd-server-mailer.c).
 * - users: an address, the language of their messages ('de' or 'en') and whether they want any.
 * - outbox: every message, written in the transaction of the event that causes it, with the
 *   Message-ID it keeps through every attempt; state 'sending' marks the one in flight, so that
 *   after a crash only that one is sent again.
 * - mail_reminders: the reminders before a deadline sent so far, one row per round (a rating
 *   round, a vote, or the statement's two-week clock of strategy §4.1), deadline and distance in
 *   days (0: the one notice that the statement is overdue), so that a restart never sends one
 *   twice.
 * - server_clock: the offset of the server's clock from real time (buendnis-server clock), for
 *   deadlines, reminders and the scheduler. */
static const char step_10[] =
  "ALTER TABLE users ADD COLUMN email TEXT;"
  "ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'de' CHECK (language IN ('de', 'en'));"
  "ALTER TABLE users ADD COLUMN mail_enabled INTEGER NOT NULL DEFAULT 1;"
  "CREATE TABLE IF NOT EXISTS outbox ("
  "  id INTEGER PRIMARY KEY, message_id TEXT NOT NULL UNIQUE, user TEXT NOT NULL, address TEXT NOT NULL,"
  "  kind TEXT NOT NULL, dossier TEXT, subject TEXT NOT NULL, body TEXT NOT NULL, created INTEGER NOT NULL,"
  "  state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed')),"
  "  attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, sent_at INTEGER, error TEXT);"
  "CREATE INDEX IF NOT EXISTS outbox_due ON outbox (state, next_attempt_at);"
  "CREATE TABLE IF NOT EXISTS mail_reminders ("
  "  dossier TEXT NOT NULL, round TEXT NOT NULL CHECK (round IN ('rating', 'vote', 'statement')),"
  "  deadline INTEGER NOT NULL,"
  "  days INTEGER NOT NULL, sent INTEGER NOT NULL, PRIMARY KEY (dossier, round, deadline, days));"
  "CREATE TABLE IF NOT EXISTS server_clock (id INTEGER PRIMARY KEY CHECK (id = 1), seconds INTEGER NOT NULL);";

static const char *steps[] = { step_1, step_2, step_3, step_4, step_5, step_6, step_7, step_8, step_9,
                               step_10 };

G_DEFINE_QUARK (bnd-server-schema-error-quark, bnd_server_schema_error)

int
bnd_server_schema_latest (void)
{
  return G_N_ELEMENTS (steps);
}

gboolean
bnd_server_schema_get_version (sqlite3  *db,
                               int      *version,
                               GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error_literal (error, BND_SERVER_SCHEMA_ERROR, BND_SERVER_SCHEMA_ERROR_FAILED,
                           sqlite3_errmsg (db));
      return FALSE;
    }
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *version = sqlite3_column_int (stmt, 0);
  else
    g_set_error_literal (error, BND_SERVER_SCHEMA_ERROR, BND_SERVER_SCHEMA_ERROR_FAILED,
                         sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
  return rc == SQLITE_ROW;
}

static gboolean
refuse_newer (const char  *directory,
              int          version,
              GError     **error)
{
  g_set_error (error, BND_SERVER_SCHEMA_ERROR, BND_SERVER_SCHEMA_ERROR_NEWER,
               /* Translators: the first %d is the database's schema, the second the newest known */
               _("The database in %s has schema %d, made by a newer buendnis-server (this one "
                 "knows up to schema %d); install that version"),
               directory, version, bnd_server_schema_latest ());
  return FALSE;
}

/**
 * bnd_server_schema_check:
 *
 * Succeeds when @db is at the latest schema; otherwise the error says what to run.
 */
gboolean
bnd_server_schema_check (sqlite3     *db,
                         const char  *directory,
                         GError     **error)
{
  int version = 0;

  return bnd_server_schema_get_version (db, &version, error) &&
         bnd_server_schema_check_version (directory, version, error);
}

/**
 * bnd_server_schema_check_version:
 * @directory: the data folder, named in the message
 * @version: the schema the database has
 *
 * Succeeds when @version is the latest schema; otherwise the error says what to run. For every
 * backend.
 */
gboolean
bnd_server_schema_check_version (const char  *directory,
                                 int          version,
                                 GError     **error)
{
  if (version > bnd_server_schema_latest ())
    return refuse_newer (directory, version, error);
  if (version < bnd_server_schema_latest ())
    {
      g_set_error (error, BND_SERVER_SCHEMA_ERROR, BND_SERVER_SCHEMA_ERROR_OLDER,
                   /* Translators: %d are schema versions, the last %s is the data folder again */
                   _("The database in %s has schema %d, this buendnis-server needs schema %d; "
                     "stop the server and run “buendnis-server migrate --data %s” first"),
                   directory, version, bnd_server_schema_latest (), directory);
      return FALSE;
    }
  return TRUE;
}

static gboolean
exec_or_error (sqlite3     *db,
               const char  *sql,
               GError     **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) == SQLITE_OK)
    return TRUE;
  g_set_error_literal (error, BND_SERVER_SCHEMA_ERROR, BND_SERVER_SCHEMA_ERROR_FAILED,
                       sqlite3_errmsg (db));
  return FALSE;
}

/**
 * bnd_server_schema_migrate:
 * @from: (out) (optional): the version found
 * @to: (out) (optional): the version left
 *
 * Applies the missing steps, each in its own exclusive transaction that also sets
 * `user_version`, so a failed step leaves the database at the step before. A second migrate
 * running at the same time waits for the lock (up to the connection's busy timeout) and then
 * finds the step done.
 */
gboolean
bnd_server_schema_migrate (sqlite3     *db,
                           const char  *directory,
                           int         *from,
                           int         *to,
                           GError     **error)
{
  int version = 0;
  int found = -1;

  if (!bnd_server_schema_get_version (db, &version, error))
    return FALSE;
  if (version > bnd_server_schema_latest ())
    return refuse_newer (directory, version, error);

  for (int step = version + 1; step <= bnd_server_schema_latest (); step++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", step);
      int current = 0;

      if (!exec_or_error (db, "BEGIN EXCLUSIVE", error))
        goto failed_outside;
      /* Read again under the lock: another migrate may have been first. */
      if (!bnd_server_schema_get_version (db, &current, error))
        goto failed;
      if (found < 0)
        found = current;
      if (current >= step)
        {
          exec_or_error (db, "ROLLBACK", NULL);
          version = current;
          continue;
        }
      g_debug ("applying schema step %d", step);
      if (!exec_or_error (db, steps[step - 1], error) ||
          !exec_or_error (db, set_version, error) ||
          !exec_or_error (db, "COMMIT", error))
        goto failed;
      version = step;
    }

  if (from)
    *from = found < 0 ? version : found;
  if (to)
    *to = version;
  return TRUE;

failed:
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
failed_outside:
  g_prefix_error (error, _("Upgrading the database in %s failed; it is left at schema %d: "),
                  directory, version);
  return FALSE;
}

/**
 * bnd_server_schema_find_foreign:
 * @name: (out) (transfer full) (nullable): the first trigger, view or virtual table in @db that
 *   the steps above do not make, word for word; %NULL when there is none
 *
 * A restored file is run by the server: a trigger of someone else's there would act on every
 * write (copy each new token elsewhere, say), and a view on every read. The steps make two
 * triggers and nothing else of the kind, so anything beyond them is refused.
 *
 * Returns: %FALSE only when sqlite failed
 */
gboolean
bnd_server_schema_find_foreign (sqlite3     *db,
                                char       **name,
                                GError     **error)
{
  sqlite3 *reference = NULL;
  sqlite3_stmt *found = NULL;
  sqlite3_stmt *ours = NULL;
  gboolean ok = FALSE;
  int rc;

  *name = NULL;
  if (sqlite3_open_v2 (":memory:", &reference, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    {
      g_set_error_literal (error, BND_SERVER_SCHEMA_ERROR, BND_SERVER_SCHEMA_ERROR_FAILED,
                           reference ? sqlite3_errmsg (reference) : g_strerror (ENOMEM));
      goto out;
    }
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (!exec_or_error (reference, steps[i], error))
      goto out;

  if (sqlite3_prepare_v2 (db,
                          "SELECT type, name, sql FROM sqlite_schema "
                          "WHERE type IN ('trigger', 'view') OR sql LIKE 'CREATE VIRTUAL TABLE%'",
                          -1, &found, NULL) != SQLITE_OK)
    {
      g_set_error_literal (error, BND_SERVER_SCHEMA_ERROR, BND_SERVER_SCHEMA_ERROR_FAILED,
                           sqlite3_errmsg (db));
      goto out;
    }
  if (sqlite3_prepare_v2 (reference, "SELECT 1 FROM sqlite_schema WHERE type = ?1 AND name = ?2 "
                                     "AND sql = ?3",
                          -1, &ours, NULL) != SQLITE_OK)
    {
      g_set_error_literal (error, BND_SERVER_SCHEMA_ERROR, BND_SERVER_SCHEMA_ERROR_FAILED,
                           sqlite3_errmsg (reference));
      goto out;
    }
  while ((rc = sqlite3_step (found)) == SQLITE_ROW)
    {
      sqlite3_reset (ours);
      for (int column = 0; column < 3; column++)
        sqlite3_bind_value (ours, column + 1, sqlite3_column_value (found, column));
      if (sqlite3_step (ours) != SQLITE_ROW)
        {
          *name = g_strdup ((const char *)sqlite3_column_text (found, 1));
          break;
        }
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      g_set_error_literal (error, BND_SERVER_SCHEMA_ERROR, BND_SERVER_SCHEMA_ERROR_FAILED,
                           sqlite3_errmsg (db));
      goto out;
    }
  ok = TRUE;

out:
  sqlite3_finalize (ours);
  sqlite3_finalize (found);
  sqlite3_close_v2 (reference);
  return ok;
}
