/* bnd-server-attachments.c: the PDFs a carrier attaches to a dossier
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE   /* memmem */
#define G_LOG_DOMAIN "bnd-server-attachments"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "bnd-server-attachments.h"
#include "bnd-server-db-private.h"
#include "bnd-server-dossier.h"
#include "bnd-server-procedure.h"

#define MAX_NAME 200

/* A long form, letters of intent and a few others make a dozen files; 50 of up to 20 MB each
 * still bound one dossier at 1 GB of the database and its backups. */
#define MAX_ATTACHMENTS_PER_DOSSIER 50

static const char *kinds[] = { "long-form", "letter-of-intent", "other", NULL };

/**
 * bnd_attachment_check_frame:
 *
 * A PDF begins with "%PDF-" and ends with "%%EOF" (a cut-off upload does not). Whether poppler
 * opens it is for the helper (bnd-server-pdf-check.c): parsing it is not done in the server.
 */
gboolean
bnd_attachment_check_frame (GBytes  *pdf,
                            GError **error)
{
  gsize size;
  const char *data = g_bytes_get_data (pdf, &size);
  gsize tail = MIN (size, 1024);

  if (size < 5 || memcmp (data, "%PDF-", 5) != 0)
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_INVALID, "%s", _("The file is not a PDF"));
      return FALSE;
    }
  /* memmem: the tail of a PDF with compressed cross-references holds binary bytes, NULs too. */
  if (memmem (data + size - tail, tail, "%%EOF", 5) == NULL)
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_INVALID, "%s",
                   _("The PDF is incomplete: its end is missing; upload it again"));
      return FALSE;
    }
  return TRUE;
}

static gint64
count_attachments (BndServerDb  *self,
                   const char   *uuid,
                   GError      **error)
{
  gint64 count;

  if ((count = bnd_server_db_count (self, "SELECT count (*) FROM attachments WHERE dossier = ?1", uuid)) < 0)
    {
      bnd_server_db_sql_error (self, error);
      return -1;
    }
  if (count >= MAX_ATTACHMENTS_PER_DOSSIER)
    {
      g_autofree char *limit = g_strdup_printf ("%d", MAX_ATTACHMENTS_PER_DOSSIER);

      /* Translators: %s is a number */
      bnd_api_error_set (error, BND_SERVER_ERROR_LIMIT,
                         N_("The dossier has %s attachments, as many as it may have; no more can be added"),
                         limit, NULL);
      return -1;
    }
  return count;
}

/**
 * bnd_server_db_may_attach:
 *
 * Whether @user may attach a file named @name of @kind and @size bytes to the dossier now. Asked
 * before the file is checked, so that nobody else makes the server start a check, and again when
 * it is stored: the dossier may have moved on during the check.
 */
gboolean
bnd_server_db_may_attach (BndServerDb    *self,
                          const BndUser  *user,
                          const char     *uuid,
                          const char     *kind,
                          const char     *name,
                          gsize           size,
                          GError        **error)
{
  g_autoptr(BndServerFacts) facts = NULL;

  if (!(facts = bnd_server_db_check_step (self, user, uuid, BND_STEP_ATTACH, NULL, error)))
    return FALSE;
  if (!g_strv_contains (kinds, kind))
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_INVALID,
                   _("An attachment is a “long-form”, a “letter-of-intent” or “other”"));
      return FALSE;
    }
  if (*name == 0 || strlen (name) > MAX_NAME || strpbrk (name, "/\\") != NULL)
    {
      g_autofree char *limit = g_strdup_printf ("%d", MAX_NAME);

      /* Translators: %s is a number */
      bnd_api_error_set (error, BND_SERVER_ERROR_INVALID,
                         N_("The file name must have 1 to %s characters and no slashes"), limit, NULL);
      return FALSE;
    }
  /* The HTTP layer refuses what is over the configured limit first; this is the last guard. */
  if (size > BND_MAX_ATTACHMENT_BOUND)
    {
      g_autofree char *megabytes = g_strdup_printf ("%d", BND_MAX_ATTACHMENT_BOUND / (1024 * 1024));

      /* Translators: %s is a number */
      bnd_api_error_set (error, BND_SERVER_ERROR_TOO_LARGE, N_("An attachment may have at most %s MB"),
                         megabytes, NULL);
      return FALSE;
    }
  return count_attachments (self, uuid, error) >= 0;
}

/**
 * bnd_server_db_add_attachment:
 * @pdf: a file that bnd_attachment_check_frame() and the PDF check passed
 *
 * Stores the PDF and its audit entry in one transaction: all or nothing.
 *
 * Returns: the new attachment's id, or 0 with @error set
 */
gint64
bnd_server_db_add_attachment (BndServerDb    *self,
                              const BndUser  *user,
                              const char     *uuid,
                              const char     *kind,
                              const char     *name,
                              GBytes         *pdf,
                              GError        **error)
{
  g_autoptr(BndDbStmt) insert = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) node = NULL;
  gint64 id;

  if (!bnd_attachment_check_frame (pdf, error))
    return 0;

  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf);
  if (!bnd_server_db_begin (self, error))
    return 0;
  /* Again inside the transaction (the caller asked before the PDF check): two uploads may have
   * passed that together, or the dossier moved on since, through this process or another. */
  if (!bnd_server_db_may_attach (self, user, uuid, kind, name, g_bytes_get_size (pdf), error))
    goto failed;
  if (!(insert = bnd_server_db_prepare (self, "INSERT INTO attachments (dossier, kind, name, size, sha256, pdf, "
                                              "uploaded_by, uploaded) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                                              "RETURNING id", error)))
    goto failed;
  bnd_db_bind_text (insert, 1, uuid);
  bnd_db_bind_text (insert, 2, kind);
  bnd_db_bind_text (insert, 3, name);
  bnd_db_bind_int64 (insert, 4, g_bytes_get_size (pdf));
  bnd_db_bind_text (insert, 5, sha256);
  bnd_db_bind_bytes (insert, 6, pdf);
  bnd_db_bind_text (insert, 7, user->name);
  bnd_db_bind_int64 (insert, 8, g_get_real_time () / G_USEC_PER_SEC);
  if (bnd_db_step (insert) != BND_DB_ROW)
    {
      bnd_server_db_sql_error (self, error);
      goto failed;
    }
  id = bnd_db_column_int64 (insert, 0);
  g_clear_pointer (&insert, bnd_server_db_release);

  /* The name is the user's text: it goes through the JSON generator, not a format string. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, id);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, kind);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "sha256");
  json_builder_add_string_value (builder, sha256);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  json_generator_set_root (generator, node);
  detail = json_generator_to_data (generator, NULL);
  if (!bnd_server_db_append_audit (self, uuid, user->name, "attachment-added", detail, error))
    goto failed;
  if (!bnd_server_db_commit (self, error))
    goto failed;
  return id;

failed:
  bnd_server_db_rollback (self);
  return 0;
}

GPtrArray *
bnd_server_db_list_attachments (BndServerDb    *self,
                                const BndUser  *user,
                                const char     *uuid,
                                GError        **error)
{
  g_autoptr(BndRecord) record = NULL;
  g_autoptr(BndDbStmt) stmt = NULL;
  GPtrArray *attachments;

  if (!(record = bnd_server_db_get_dossier (self, user, uuid, error)) ||
      !(stmt = bnd_server_db_prepare (self, "SELECT id, kind, name, size, sha256, uploaded_by, uploaded "
                                            "FROM attachments WHERE dossier = ?1 ORDER BY id", error)))
    return NULL;
  bnd_db_bind_text (stmt, 1, uuid);
  attachments = g_ptr_array_new_with_free_func ((GDestroyNotify)bnd_attachment_free);
  while (bnd_db_step (stmt) == BND_DB_ROW)
    {
      BndAttachment *attachment = g_new0 (BndAttachment, 1);

      attachment->id = bnd_db_column_int64 (stmt, 0);
      attachment->kind = g_strdup (bnd_db_column_text (stmt, 1));
      attachment->name = g_strdup (bnd_db_column_text (stmt, 2));
      attachment->size = bnd_db_column_int64 (stmt, 3);
      attachment->sha256 = g_strdup (bnd_db_column_text (stmt, 4));
      attachment->uploaded_by = g_strdup (bnd_db_column_text (stmt, 5));
      attachment->uploaded = bnd_db_column_int64 (stmt, 6);
      g_ptr_array_add (attachments, attachment);
    }
  return attachments;
}

BndServerFile *
bnd_server_db_get_attachment (BndServerDb    *self,
                              const BndUser  *user,
                              const char     *uuid,
                              gint64          id,
                              GError        **error)
{
  g_autoptr(BndRecord) record = NULL;
  BndServerFile *file;

  if (!(record = bnd_server_db_get_dossier (self, user, uuid, error)))
    return NULL;
  if (!(file = bnd_server_db_find_file (self, "attachments", "dossier = ?1 AND id = ?2", uuid, id)))
    g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_NOT_FOUND, _("No such attachment"));
  return file;
}

void
bnd_attachment_free (BndAttachment *attachment)
{
  if (attachment == NULL)
    return;
  g_free (attachment->kind);
  g_free (attachment->name);
  g_free (attachment->sha256);
  g_free (attachment->uploaded_by);
  g_free (attachment);
}
