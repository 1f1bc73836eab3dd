/* bnd-server-download.c: PDFs sent from the database, piece by piece
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server"

#include "config.h"

#include <glib/gi18n.h>

#include "bnd-server-private.h"

/* How much of a file a download reads from the database at a time: two pieces at most (one being
 * written, the next) are in memory per download. Large enough that a fast client costs few
 * database reads. */
#define DOWNLOAD_PIECE (256 * 1024)
/* How long a download keeps its read transaction open for a client that does not take the
 * piece it was sent (see bnd_server_file_reader_rest()). */
#define DOWNLOAD_REST_MS 1000

typedef struct
{
  BndServer           *self;
  BndServerFileReader *reader;
  BndServerFile       *file;
  gint64               offset;   /* of the next piece to read */
  gint64               end;      /* after the last byte to send */
  guint                rest_id;
  GError              *error;    /* of the piece a worker failed to read */
} Download;

static void
download_free (Download *download)
{
  g_clear_handle_id (&download->rest_id, g_source_remove);
  bnd_server_file_reader_free (download->reader);
  bnd_server_file_free (download->file);
  g_clear_error (&download->error);
  g_object_unref (download->self);
  g_free (download);
}

static gboolean
on_download_rest_timeout_cb (gpointer user_data)
{
  Download *download = user_data;

  download->rest_id = 0;
  bnd_server_file_reader_rest (download->reader);
  return G_SOURCE_REMOVE;
}

/* On SQLite, a client that has not taken the piece it was sent by then makes the reader let go
 * of its read transaction until it does. PostgreSQL's reader holds none (see
 * bnd_server_db_open_file()). */
static void
rest_later (Download *download)
{
  g_clear_handle_id (&download->rest_id, g_source_remove);
  if (download->self->idle_dbs == NULL)
    download->rest_id = g_timeout_add (DOWNLOAD_REST_MS, on_download_rest_timeout_cb, download);
}

/* Reads the next piece of the file into the response body. The body does not accumulate, so
 * libsoup drops each piece once it is written. */
static gboolean
append_next_piece (SoupServerMessage  *msg,
                   Download           *download,
                   GError            **error)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  gsize length = MIN (DOWNLOAD_PIECE, download->end - download->offset);
  g_autofree guint8 *buffer = NULL;

  if (length == 0)
    {
      soup_message_body_complete (body);
      return TRUE;
    }
  buffer = g_malloc (length);
  if (!bnd_server_file_reader_read (download->reader, _bnd_server_db (download->self), download->offset,
                                    buffer, length, error))
    return FALSE;
  soup_message_body_append (body, SOUP_MEMORY_TAKE, g_steal_pointer (&buffer), length);
  download->offset += length;
  return TRUE;
}

/* The status and Content-Length are out already: all that is left is to cut the connection, so
 * that the client sees a short body rather than pieces of two files. The byte appended is never
 * sent; writing it fails on the shut socket, and libsoup closes the connection. */
static void
cut_off (SoupServerMessage *msg,
         Download          *download,
         const GError      *error)
{
  g_message ("download of %s %" G_GINT64_FORMAT " cut off: %s", download->file->table,
             download->file->rowid, error->message);
  bnd_server_listener_cut (msg);
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC, "", 1);
}

/* On a worker: the next piece, while the message waits. */
static void
read_piece (BndServer         *self,
            SoupServerMessage *msg,
            gpointer           data)
{
  Download *download = data;

  append_next_piece (msg, download, &download->error);
}

/* Back on the main context, where the message goes on. */
static void
after_piece (BndServer         *self,
             SoupServerMessage *msg,
             gpointer           data)
{
  Download *download = data;

  if (download->error == NULL)
    return rest_later (download);
  cut_off (msg, download, download->error);
  g_clear_error (&download->error);
}

/* A piece went out to the client: only now is the next one read, so that a slow reader makes the
 * server wait rather than buffer. The download is the message's, which the work holds. */
static void
on_download_wrote_chunk_cb (SoupServerMessage *msg,
                            gpointer           user_data)
{
  Download *download = user_data;

  if (download->offset < download->end)
    _bnd_server_run (download->self, msg, read_piece, after_piece, download, NULL);
}

/* The one range of a Range header, clamped to the file; FALSE for none or several (RFC 9110
 * lets a server answer those with the whole file, which the clients of this API never ask for),
 * or when If-Range asks for a version this server cannot name (it sends no validators). */
static gboolean
requested_range (SoupServerMessage *msg,
                 gint64             size,
                 gint64            *start,
                 gint64            *end)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupRange *ranges = NULL;
  int n = 0;

  if (soup_message_headers_get_one (headers, "If-Range") ||
      !soup_message_headers_get_ranges (headers, size, &ranges, &n))
    return FALSE;
  if (n == 1)
    {
      *start = MAX (ranges[0].start, 0);
      *end = MIN (ranges[0].end, size - 1) + 1;
    }
  soup_message_headers_free_ranges (headers, ranges);
  return n == 1;
}

/**
 * _bnd_server_send_file:
 * @file: (transfer full): the PDF to send
 *
 * Answers with @file, streamed from the database piece by piece: at most a piece or two of it is
 * in memory per download, however many clients read it and however slowly. A single byte range
 * is answered with 206 and only those bytes, streamed the same way; one that starts past the end
 * with 416. On PostgreSQL each piece after the first is read on a worker thread while the
 * message waits (bnd-server-worker.c); the first is read by the request's own work.
 */
void
_bnd_server_send_file (BndServer         *self,
                       SoupServerMessage *msg,
                       BndServerFile     *file)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  Download *download = g_new0 (Download, 1);
  g_autoptr(GError) error = NULL;
  gboolean partial;
  gint64 start;

  download->self = g_object_ref (self);
  download->file = file;
  download->end = file->size;
  g_object_set_data_full (G_OBJECT (msg), "download", download, (GDestroyNotify)download_free);
  partial = requested_range (msg, file->size, &download->offset, &download->end);
  if (partial && download->offset >= download->end)
    {
      g_autofree char *unsatisfied = g_strdup_printf ("bytes */%" G_GINT64_FORMAT, file->size);

      soup_message_headers_replace (headers, "Content-Range", unsatisfied);
      return _bnd_server_fail (msg, BND_SERVER_ERROR_RANGE, "%s",
                               _("The requested range lies beyond the end of the file"));
    }
  start = download->offset;
  download->reader = bnd_server_db_open_file (self->db, file);
  if (!append_next_piece (msg, download, &error))
    {
      soup_message_body_truncate (soup_server_message_get_response_body (msg));
      return _bnd_server_send_error (msg, error);
    }
  rest_later (download);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  soup_message_headers_set_content_type (headers, "application/pdf", NULL);
  soup_message_headers_replace (headers, "Accept-Ranges", "bytes");
  if (partial)
    soup_message_headers_set_content_range (headers, start, download->end - 1, file->size);
  soup_message_headers_set_content_length (headers, download->end - start);
  soup_server_message_set_status (msg, partial ? SOUP_STATUS_PARTIAL_CONTENT : SOUP_STATUS_OK, NULL);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (on_download_wrote_chunk_cb), download);
}
