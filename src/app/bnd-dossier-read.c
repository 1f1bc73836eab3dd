/* bnd-dossier-read.c: what a dossier's page shows, read from the profile on the store's worker
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-dossier-page"

#include "config.h"


#include "bnd-dossier-cache.h"
#include "bnd-dossier-page-private.h"
#include "bnd-json-check.h"
#include "bnd-pdf-preview.h"
#include "bnd-poppler.h"
#include "bnd-tasks.h"

/* A dossier's page shows a dozen cached answers and every PDF of the dossier with a thumbnail
 * of its first page. All of it is read, and the thumbnails drawn, in one job on the store's
 * worker; the page is built from what the job returns, so the window keeps drawing meanwhile.
 * A refresh after a sync only reads the fingerprint when nothing on the page changed. */

#define THUMBNAIL_WIDTH 48

typedef struct
{
  char *uuid;
  char *fingerprint;   /* of what the page shows now; NULL to read in any case */
} ReadData;

static void
read_data_free (ReadData *data)
{
  g_free (data->uuid);
  g_free (data->fingerprint);
  g_free (data);
}

void
_bnd_dossier_read_free (BndDossierRead *read)
{
  g_free (read->uuid);
  g_clear_pointer (&read->dossiers, g_ptr_array_unref);
  g_clear_pointer (&read->me, json_node_unref);
  g_clear_pointer (&read->portfolio, json_node_unref);
  g_free (read->fingerprint);
  g_clear_pointer (&read->cache, g_hash_table_unref);
  g_clear_pointer (&read->thumbnails, g_hash_table_unref);
  g_clear_pointer (&read->own_votes, g_ptr_array_unref);
  g_clear_pointer (&read->own_ratings, g_ptr_array_unref);
  g_free (read);
}

/* The first page, twice as wide as shown for a sharp picture on a HiDPI screen. */
static GdkTexture *
thumbnail_of (GBytes *pdf)
{
  PopplerDocument *document = bnd_poppler_document_new_from_bytes (pdf, NULL);
  GdkTexture *texture = NULL;

  if (document && bnd_poppler_document_get_n_pages (document) > 0)
    {
      PopplerPage *page = bnd_poppler_document_get_page (document, 0);
      double width, height;

      bnd_poppler_page_get_size (page, &width, &height);
      texture = bnd_pdf_render_page (page, 2.0 * THUMBNAIL_WIDTH / width);
      g_object_unref (page);
    }
  g_clear_object (&document);
  return texture;
}

static void
read_path (BndStore       *store,
           BndDossierRead *read,
           const char     *path,
           gboolean        pdf)
{
  GBytes *body = bnd_store_cache_get (store, path);
  GdkTexture *thumbnail;

  if (body == NULL)
    return;
  g_hash_table_insert (read->cache, g_strdup (path), body);
  if (pdf && (thumbnail = thumbnail_of (body)))
    g_hash_table_insert (read->thumbnails, g_strdup (path), thumbnail);
}

static JsonNode *
parse (BndDossierRead *read,
       const char     *path)
{
  GBytes *body = g_hash_table_lookup (read->cache, path);
  g_autoptr(JsonParser) parser = NULL;
  const char *text;
  gsize size;

  if (body == NULL)
    return NULL;
  text = g_bytes_get_data (body, &size);
  if (!bnd_json_check_limits (text, size, BND_JSON_MAX_DEPTH, NULL))
    return NULL;
  /* The body has no NUL at its end: the parser is told its size. */
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, size, NULL))
    return NULL;
  return json_parser_steal_root (parser);
}

static gpointer
read_job (BndStore  *store,
          gpointer   user_data,
          GError   **error)
{
  static const char *parts[] = {
    "", "submissions", "submissions/diff", "assessment", "comments", "audit", "attachments", "ratings", "vote",
    "statement",
  };
  ReadData *data = user_data;
  BndDossierRead *read = g_new0 (BndDossierRead, 1);
  g_autoptr(JsonNode) attachments = NULL;
  g_autoptr(JsonNode) submissions = NULL;
  JsonArray *list;

  read->uuid = g_strdup (data->uuid);
  read->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_bytes_unref);
  read->thumbnails = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  if (!(read->dossiers = bnd_dossier_cache_list_dossiers (store, NULL)))
    return read;
  for (guint i = 0; i < read->dossiers->len; i++)
    if (g_str_equal (((BndSketchSummary *)g_ptr_array_index (read->dossiers, i))->uuid, data->uuid))
      read->summary = g_ptr_array_index (read->dossiers, i);
  if (read->summary == NULL)
    return read;
  read->fingerprint = bnd_dossier_cache_fingerprint (store, data->uuid, read->summary->stage);
  if (g_strcmp0 (read->fingerprint, data->fingerprint) == 0)
    {
      read->unchanged = TRUE;
      return read;
    }

  read->me = bnd_dossier_cache_get_json (store, "/me");
  read->portfolio = bnd_dossier_cache_get_json (store, "/portfolio");
  read->own_votes = bnd_store_list_own_votes (store, NULL);
  read->own_ratings = bnd_store_list_own_ratings (store, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      g_autofree char *path = bnd_dossier_cache_path (data->uuid, parts[i]);

      read_path (store, read, path, g_str_equal (parts[i], "statement"));
    }
  {
    g_autofree char *path = bnd_dossier_cache_sketch_path (data->uuid);

    read_path (store, read, path, TRUE);
  }
  {
    g_autofree char *path = bnd_dossier_cache_path (data->uuid, "attachments");

    attachments = parse (read, path);
  }
  list = bnd_json_array_of (bnd_json_as_object (attachments), "attachments");
  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      JsonObject *attachment = json_array_get_object_element (list, i);
      g_autofree char *path = attachment ? bnd_dossier_cache_attachment_path (data->uuid, attachment) : NULL;

      if (path)
        read_path (store, read, path, TRUE);
    }
  {
    g_autofree char *path = bnd_dossier_cache_path (data->uuid, "submissions");

    submissions = parse (read, path);
  }
  list = bnd_json_array_of (bnd_json_as_object (submissions), "submissions");
  /* One submission is shown as the sketch under Documents. */
  for (guint i = 0; list && json_array_get_length (list) > 1 && i < json_array_get_length (list); i++)
    {
      JsonObject *submission = json_array_get_object_element (list, i);
      g_autofree char *path = NULL;

      if (submission == NULL)
        continue;
      path = bnd_dossier_cache_submission_path (data->uuid,
                                                json_object_get_int_member_with_default (submission, "n", 0));
      read_path (store, read, path, TRUE);
    }
  return read;
}

static gpointer
mark_read_job (BndStore  *store,
               gpointer   data,
               GError   **error)
{
  bnd_tasks_mark_comments_read (store, data);
  return GINT_TO_POINTER (TRUE);
}

/*
 * _bnd_dossier_mark_read_async:
 *
 * The page shows the dossier's thread: what it shows is read. Only once it is shown, not when
 * a read is thrown away because another dossier was asked for meanwhile.
 */
void
_bnd_dossier_mark_read_async (BndStore   *store,
                              const char *uuid)
{
  bnd_store_call_async (store, mark_read_job, g_strdup (uuid), g_free, NULL, NULL, NULL, NULL);
}

/*
 * _bnd_dossier_read_async:
 * @fingerprint: (nullable): of what is shown now: when it has not changed, the job stops there
 *   and says so (BndDossierRead.unchanged)
 */
void
_bnd_dossier_read_async (BndStore            *store,
                         const char          *uuid,
                         const char          *fingerprint,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  ReadData *data = g_new0 (ReadData, 1);

  data->uuid = g_strdup (uuid);
  data->fingerprint = g_strdup (fingerprint);
  bnd_store_read_async (store, read_job, data, (GDestroyNotify)read_data_free,
                        (GDestroyNotify)_bnd_dossier_read_free, cancellable, callback, user_data);
}

BndDossierRead *
_bnd_dossier_read_finish (BndStore      *store,
                          GAsyncResult  *result,
                          GError       **error)
{
  return bnd_store_call_finish (store, result, error);
}

/* The part @what of the dossier shown, as read (see bnd_dossier_cache_path()). */
JsonNode *
_bnd_dossier_cached (BndDossierPage *self,
                     const char     *what)
{
  g_autofree char *path = NULL;

  if (self->read == NULL)
    return NULL;
  path = bnd_dossier_cache_path (self->read->uuid, what);
  return parse (self->read, path);
}

/* The cached answer for @path as read, e.g. a PDF; the job read every one the page shows. */
GBytes *
_bnd_dossier_cached_bytes (BndDossierPage *self,
                           const char     *path)
{
  GBytes *body = self->read ? g_hash_table_lookup (self->read->cache, path) : NULL;

  return body ? g_bytes_ref (body) : NULL;
}

GdkTexture *
_bnd_dossier_thumbnail (BndDossierPage *self,
                        const char     *path)
{
  return self->read ? g_hash_table_lookup (self->read->thumbnails, path) : NULL;
}
