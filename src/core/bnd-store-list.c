/* bnd-store-list.c: listing and searching the sketches of the local store
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-store"

#include "config.h"

#include <sqlite3.h>

#include "bnd-store.h"
#include "bnd-store-private.h"
#include "bnd-strategy-search.h"

void
_bnd_store_query_free (BndStoreQueryCopy *query)
{
  g_free (query->text);
  g_free (query->stage);
  g_free (query->goal);
  g_free (query->district);
  g_free (query);
}

/* "Pflege kräfte" → "pflege"* "krafte"*: each word a quoted prefix, so no user input is read as
 * FTS5 syntax. */
static char *
fts_query (const char *text)
{
  g_autofree char *folded = NULL;
  g_auto(GStrv) words = NULL;
  GString *query;

  if (text == NULL)
    return NULL;

  folded = bnd_search_fold (text);
  words = g_strsplit_set (folded, " \t\n\"'()*:^+-,.;!?", -1);
  query = g_string_new (NULL);
  for (guint i = 0; words[i]; i++)
    if (*words[i])
      g_string_append_printf (query, "%s\"%s\"*", query->len ? " " : "", words[i]);

  if (query->len == 0)
    {
      g_string_free (query, TRUE);
      return NULL;
    }
  return g_string_free (query, FALSE);
}

static void
summary_free_cb (gpointer data)
{
  bnd_sketch_summary_free (data);
}

#define FILTERS \
  "AND (?2 IS NULL OR s.stage = ?2) " \
  "AND (?3 IS NULL OR EXISTS (SELECT 1 FROM json_each (s.data, '$.links.goals') WHERE value = ?3)) " \
  "AND (?4 IS NULL OR EXISTS (SELECT 1 FROM json_each (s.data, '$.links.districts') WHERE value = ?4)) " \
  "AND (?5 = 0 OR s.funding_object = ?5) " \
  "ORDER BY s.modified DESC, s.title"

/* Whether the server refused the sketch's edits (bnd-store-sync.c) */
#define REFUSED \
  "EXISTS (SELECT 1 FROM sync_state y WHERE y.uuid = s.uuid AND y.refused IS NOT NULL)"


gpointer
_bnd_store_list_job (BndStore  *self,
                     gpointer   data,
                     GError   **error)
{
  BndStoreQueryCopy *query = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (summary_free_cb);
  g_autofree char *match = fts_query (query->text);
  int rc;

  /* What was saved a moment ago is found too: the queued sketches go into the index first. */
  if (match && !_bnd_store_index_queued (self, error))
    return NULL;

  /* With words to find, the full-text index leads (few rows); without, the index on modified. */
  if (!(stmt = _bnd_store_prepare (self, match
                        ? "SELECT s.uuid, s.title, s.stage, s.funding_object, s.modified, " REFUSED " "
                          "FROM sketch_text t JOIN sketches s ON s.rowid = t.rowid "
                          "WHERE sketch_text MATCH ?1 AND s.deleted = 0 " FILTERS
                        : "SELECT s.uuid, s.title, s.stage, s.funding_object, s.modified, " REFUSED " "
                          "FROM sketches s WHERE ?1 IS NULL AND s.deleted = 0 " FILTERS, error)))
    return NULL;

  if (match)
    sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
  if (query->stage)
    sqlite3_bind_text (stmt, 2, query->stage, -1, SQLITE_STATIC);
  if (query->goal)
    sqlite3_bind_text (stmt, 3, query->goal, -1, SQLITE_STATIC);
  if (query->district)
    sqlite3_bind_text (stmt, 4, query->district, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 5, query->funding_object);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BndSketchSummary *summary = g_new0 (BndSketchSummary, 1);

      summary->uuid = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      summary->title = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
      summary->stage = g_strdup ((const char *)sqlite3_column_text (stmt, 2));
      summary->funding_object = sqlite3_column_int (stmt, 3);
      summary->modified = sqlite3_column_int64 (stmt, 4);
      summary->refused = sqlite3_column_int (stmt, 5);
      g_ptr_array_add (list, summary);
    }
  if (rc != SQLITE_DONE)
    {
      _bnd_store_set_sql_error (self, error);
      return NULL;
    }

  return g_steal_pointer (&list);
}

BndStoreQueryCopy *
_bnd_store_query_copy (const BndStoreQuery *query)
{
  BndStoreQueryCopy *copy = g_new0 (BndStoreQueryCopy, 1);

  if (query != NULL)
    {
      copy->text = g_strdup (query->text);
      copy->stage = g_strdup (query->stage);
      copy->goal = g_strdup (query->goal);
      copy->district = g_strdup (query->district);
      copy->funding_object = query->funding_object;
    }
  return copy;
}

/**
 * bnd_store_list:
 * @self: a #BndStore
 * @query: (nullable): what to list; %NULL for every sketch
 * @error: return location for an error
 *
 * Returns: (transfer container) (element-type BndSketchSummary): the sketches, newest first
 */
GPtrArray *
bnd_store_list (BndStore             *self,
                const BndStoreQuery  *query,
                GError              **error)
{
  g_return_val_if_fail (BND_IS_STORE (self), NULL);

  return _bnd_store_run_sync (self, _bnd_store_list_job, _bnd_store_query_copy (query),
                              (GDestroyNotify)_bnd_store_query_free, error);
}

void
bnd_sketch_summary_free (BndSketchSummary *summary)
{
  g_free (summary->uuid);
  g_free (summary->title);
  g_free (summary->stage);
  g_free (summary);
}
