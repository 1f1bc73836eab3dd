/* bnd-review-data.c: what the Dossiers view shows, read from the profile on the store's worker
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-review-data"

#include "config.h"

#include "bnd-dossier-cache.h"
#include "bnd-dossier-steps.h"
#include "bnd-json-check.h"
#include "bnd-review-data.h"
#include "bnd-tasks.h"

/* My tasks, the portfolio, the sessions and the sidebar's dossiers all come from the profile's
 * cache. A seat with a thousand dossiers has a thousand cached answers to look through for the
 * statements due: read on the store's worker in one job, so the window keeps drawing, and read
 * once for all the pages that show them. */

static void
statement_due_free (BndStatementDue *due)
{
  g_free (due->title);
  g_free (due->uuid);
  g_free (due);
}

static int
compare_due (gconstpointer a,
             gconstpointer b)
{
  const BndStatementDue *x = *(BndStatementDue * const *)a, *y = *(BndStatementDue * const *)b;

  return (x->due > y->due) - (x->due < y->due);
}

void
bnd_review_data_free (BndReviewData *data)
{
  g_clear_pointer (&data->dossiers, g_ptr_array_unref);
  g_clear_pointer (&data->tasks, g_ptr_array_unref);
  g_clear_pointer (&data->me, json_node_unref);
  g_clear_pointer (&data->portfolio, json_node_unref);
  g_clear_pointer (&data->sessions, json_node_unref);
  g_clear_pointer (&data->statements_due, g_ptr_array_unref);
  g_free (data);
}

/* The dossiers whose two weeks to the statement run (strategy §4.1), from each dossier's
 * procedure as the last sync cached it. */
static GPtrArray *
collect_statements_due (BndStore   *store,
                        JsonObject *portfolio)
{
  JsonArray *dossiers = bnd_json_array_of (portfolio, "dossiers");
  GPtrArray *dues = g_ptr_array_new_with_free_func ((GDestroyNotify)statement_due_free);

  for (guint i = 0; dossiers && i < json_array_get_length (dossiers); i++)
    {
      JsonObject *entry = json_array_get_object_element (dossiers, i);
      const char *uuid = entry ? json_object_get_string_member_with_default (entry, "uuid", NULL) : NULL;
      g_autofree char *path = uuid ? bnd_dossier_cache_path (uuid, "") : NULL;
      g_autoptr(JsonNode) dossier = path ? bnd_dossier_cache_get_json (store, path) : NULL;
      BndStatementDue *due;
      gint64 when;

      if (!bnd_dossier_statement_due (bnd_json_as_object (dossier), &when))
        continue;
      due = g_new0 (BndStatementDue, 1);
      due->due = when;
      due->title = g_strdup (json_object_get_string_member_with_default (entry, "title", ""));
      due->uuid = g_strdup (uuid);
      g_ptr_array_add (dues, due);
    }
  /* Stable, so that two due the same day stay in the portfolio's order. */
  g_ptr_array_sort (dues, compare_due);
  return dues;
}

/**
 * bnd_review_data_read:
 *
 * Reads what the Dossiers view shows. Call it on the store's worker (bnd_review_data_read_async())
 * or where waiting on the store does not matter (benches, tools).
 *
 * Returns: (transfer full): what was read; empty parts where the profile has none
 */
BndReviewData *
bnd_review_data_read (BndStore *store)
{
  BndReviewData *data = g_new0 (BndReviewData, 1);

  data->dossiers = bnd_dossier_cache_list_dossiers (store, NULL);
  data->tasks = bnd_tasks_collect (store, NULL);
  data->me = bnd_dossier_cache_get_json (store, "/me");
  data->portfolio = bnd_dossier_cache_get_json (store, "/portfolio");
  data->sessions = bnd_dossier_cache_get_json (store, "/sessions");
  data->statements_due = collect_statements_due (store, bnd_json_as_object (data->portfolio));
  return data;
}

static gpointer
read_job (BndStore  *store,
          gpointer   unused,
          GError   **error)
{
  return bnd_review_data_read (store);
}

void
bnd_review_data_read_async (BndStore            *store,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  bnd_store_read_async (store, read_job, NULL, NULL, (GDestroyNotify)bnd_review_data_free, cancellable,
                        callback, user_data);
}

/**
 * bnd_review_data_read_finish:
 *
 * Returns: (transfer full) (nullable): what was read, %NULL with @error set when cancelled
 */
BndReviewData *
bnd_review_data_read_finish (BndStore      *store,
                             GAsyncResult  *result,
                             GError       **error)
{
  return bnd_store_call_finish (store, result, error);
}
