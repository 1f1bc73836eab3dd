/* bnd-store-migrations.c: the local store's schema, step by step
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-store"

#include "config.h"

#include <sqlite3.h>

#include "bnd-store-private.h"

/* Schema migrations, in order. The database's user_version counts how many have run. */
static const char *migrations[] = {
  "CREATE TABLE sketches ("
  "  uuid TEXT PRIMARY KEY,"
  "  title TEXT NOT NULL,"
  "  stage TEXT NOT NULL,"
  "  funding_object INTEGER NOT NULL DEFAULT 0,"
  "  created INTEGER NOT NULL,"
  "  modified INTEGER NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  data TEXT NOT NULL"
  ");"
  "CREATE INDEX sketches_by_modified ON sketches (deleted, modified DESC);"
  "CREATE TABLE versions ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  uuid TEXT NOT NULL REFERENCES sketches (uuid) ON DELETE CASCADE,"
  "  created INTEGER NOT NULL,"
  "  reason TEXT NOT NULL,"
  "  data TEXT NOT NULL"
  ");"
  "CREATE INDEX versions_by_sketch ON versions (uuid, id);"
  /* Title and text are stored folded (case, accents, ß → ss) by bnd_search_fold(), and queries
   * are folded the same way, so "strasse" finds "Straße" and "Pflege" finds "Pflegekräfte". */
  /* Each sketch's text row has the sketch's rowid: updates and queries go by rowid, never by a
   * scan of the index. */
  "CREATE VIRTUAL TABLE sketch_text USING fts5 (title, body,"
  "  tokenize = 'unicode61 remove_diacritics 2');",

  /* Sync: per sketch the server revision and data both sides last agreed on (the common
   * ancestor of a three-way merge), whether there are local edits to push, the idempotency key
   * of a push in flight, and open conflicts. */
  "CREATE TABLE sync_state ("
  "  uuid TEXT PRIMARY KEY,"
  "  base_revision INTEGER NOT NULL DEFAULT 0,"
  "  base_data TEXT,"
  "  dirty INTEGER NOT NULL DEFAULT 1,"
  "  pending_key TEXT,"
  "  pending_data TEXT,"
  "  conflicts TEXT"
  ");"
  "INSERT INTO sync_state (uuid) SELECT uuid FROM sketches;"
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);",

  /* A change from the server to a sketch that is open in the editor waits here until it closes. */
  "ALTER TABLE sync_state ADD COLUMN deferred_revision INTEGER;"
  "ALTER TABLE sync_state ADD COLUMN deferred_change TEXT;",

  /* Votes in a circulation vote, cast offline as well: queued until the server has counted or
   * refused them, and kept either way so that the voter sees what became of each. */
  "CREATE TABLE queued_votes ("
  "  dossier TEXT PRIMARY KEY,"
  "  choice TEXT NOT NULL CHECK (choice IN ('yes', 'no', 'abstain')),"
  "  comment TEXT NOT NULL,"
  "  cast_at INTEGER NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'counted', 'refused')),"
  "  message TEXT"
  ");",

  /* The partners' ratings of a dossier, given offline as well: kept like the votes above. */
  "CREATE TABLE queued_ratings ("
  "  dossier TEXT PRIMARY KEY,"
  "  scores TEXT NOT NULL,"
  "  comment TEXT NOT NULL,"
  "  rated_at INTEGER NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'counted', 'refused')),"
  "  message TEXT"
  ");",

  /* What the server last told about the dossiers (assessment, thread, trail, attachments, votes,
   * ratings, portfolio), keyed by API path, so that they can be read and acted on offline. */
  "CREATE TABLE server_cache ("
  "  path TEXT PRIMARY KEY,"
  "  body BLOB NOT NULL,"
  "  fetched INTEGER NOT NULL"
  ");",

  /* A sketch the server refused for good (submitted meanwhile, not the account's to write, not
   * valid) keeps the reason here: the sync goes on with the others, and the sketch waits until
   * its user takes the server's version, keeps theirs as a new draft, or edits it again.
   *
   * Votes and ratings carry the account (server and user name) that gave them: a profile may be
   * signed in as someone else later, and nothing is ever sent under another account. The key
   * grows by the account, so that two accounts' votes on one dossier are two votes. What was
   * queued before this step was given under the account the profile is signed in as now, the
   * only one it could have been sent under until then. */
  "ALTER TABLE sync_state ADD COLUMN refused TEXT;"
  "CREATE TABLE queued_votes_7 ("
  "  dossier TEXT NOT NULL,"
  "  account_url TEXT NOT NULL,"
  "  account_user TEXT NOT NULL,"
  "  choice TEXT NOT NULL CHECK (choice IN ('yes', 'no', 'abstain')),"
  "  comment TEXT NOT NULL,"
  "  cast_at INTEGER NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'counted', 'refused')),"
  "  message TEXT,"
  "  PRIMARY KEY (dossier, account_url, account_user)"
  ");"
  "INSERT INTO queued_votes_7 SELECT dossier,"
  "  coalesce ((SELECT value FROM meta WHERE key = 'server_url'), ''),"
  "  coalesce ((SELECT value FROM meta WHERE key = 'server_user'), ''),"
  "  choice, comment, cast_at, state, message FROM queued_votes;"
  "DROP TABLE queued_votes;"
  "ALTER TABLE queued_votes_7 RENAME TO queued_votes;"
  "CREATE TABLE queued_ratings_7 ("
  "  dossier TEXT NOT NULL,"
  "  account_url TEXT NOT NULL,"
  "  account_user TEXT NOT NULL,"
  "  scores TEXT NOT NULL,"
  "  comment TEXT NOT NULL,"
  "  rated_at INTEGER NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'counted', 'refused')),"
  "  message TEXT,"
  "  PRIMARY KEY (dossier, account_url, account_user)"
  ");"
  "INSERT INTO queued_ratings_7 SELECT dossier,"
  "  coalesce ((SELECT value FROM meta WHERE key = 'server_url'), ''),"
  "  coalesce ((SELECT value FROM meta WHERE key = 'server_user'), ''),"
  "  scores, comment, rated_at, state, message FROM queued_ratings;"
  "DROP TABLE queued_ratings;"
  "ALTER TABLE queued_ratings_7 RENAME TO queued_ratings;",

  /* The folded text of saved sketches on the way into sketch_text: indexed in batches, and always
   * before a search (bnd-store-index.c). sketch is the sketch's rowid. */
  "CREATE TABLE index_queue ("
  "  sketch INTEGER PRIMARY KEY,"
  "  title TEXT NOT NULL,"
  "  body TEXT NOT NULL"
  ");",
};

/* Runs the migrations after @version, each in its own transaction: on the store at open, and
 * on the copy of an older profile being imported, so that both end up with the same schema. */
gboolean
_bnd_store_migrate (sqlite3  *db,
                    int       version,
                    GError  **error)
{
  for (int i = version; i < (int)G_N_ELEMENTS (migrations); i++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d;", i + 1);

      if (!_bnd_store_exec_db (db, "BEGIN IMMEDIATE;", error))
        return FALSE;
      if (!_bnd_store_exec_db (db, migrations[i], error) || !_bnd_store_exec_db (db, bump, error))
        {
          _bnd_store_exec_db (db, "ROLLBACK;", NULL);
          return FALSE;
        }
      if (!_bnd_store_exec_db (db, "COMMIT;", error))
        return FALSE;
    }
  return TRUE;
}

int
_bnd_store_schema_version (void)
{
  return G_N_ELEMENTS (migrations);
}
