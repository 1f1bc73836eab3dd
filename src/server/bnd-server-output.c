/* bnd-server-output.c: the stream libsoup writes a connection's answers through
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-output"

#include "config.h"

#include <string.h>

#include "bnd-server-output.h"

/* libsoup 3.2 writes an answer's header block and its body in two writes: two TCP segments, two
 * system calls, and a client woken twice for one answer. For a short answer that was about a
 * sixth of the request's time (wrk on loopback, tests/bench/run-server.sh: 22.7k requests/s of
 * GET /api/v1/changes before, 25-31k after). So a header block that announces a body (a
 * Content-Length that is not 0, in an answer that gets one: not to a HEAD, which the listener
 * tells with bnd_server_output_set_body_follows(), nor a 204 or 304) is held here, and goes out
 * together with the body's first bytes in one writev(). libsoup writes those at once when it has
 * them, and before it finishes the request; a partial send keeps the rest, and libsoup waits for
 * the connection and writes again, so nothing is lost or reordered.
 *
 * Everything else passes at once: an interim "100 Continue", a chunked answer's headers, an
 * answer written whole (bnd_server_listener_answer_now()). A flush or close with something held
 * (which only a body that never came would leave) sends what the connection takes at once. libsoup
 * closes a chunked body from a worker thread (g_output_stream_close_async()); nothing is held
 * then, since a held block always leaves with the next write. */

/* Header blocks longer than this pass at once (libsoup's answers have a few hundred bytes). */
#define HOLD_MAX 8192

struct _BndServerOutput
{
  GOutputStream          parent_instance;

  GPollableOutputStream *base;
  gboolean               body_follows;
  GByteArray            *held;
};

static void bnd_server_output_pollable_init (GPollableOutputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BndServerOutput, bnd_server_output, G_TYPE_OUTPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM,
                                                      bnd_server_output_pollable_init))

/* Whether @data is one whole header block of a final answer that announces a body. */
static gboolean
announces_body (const char *data,
                gsize       count)
{
  static const char length[] = "\r\nContent-Length: ";
  const char *found;

  if (count < 16 || count > HOLD_MAX || memcmp (data, "HTTP/1.", 7) != 0 || data[9] == '1' ||
      memcmp (data + 9, "204", 3) == 0 || memcmp (data + 9, "304", 3) == 0 ||
      g_strstr_len (data, count, "\r\n\r\n") != data + count - 4)
    return FALSE;
  found = g_strstr_len (data, count, length);
  return found != NULL && found[sizeof length - 1] >= '1' && found[sizeof length - 1] <= '9';
}

/* Sends what is held and then @count bytes of @buffer, without waiting, in one writev(). Returns
 * how much of @buffer went out; when nothing of it did, -1 with G_IO_ERROR_WOULD_BLOCK (or what
 * failed). */
static gssize
send_held_and (BndServerOutput  *self,
               const void       *buffer,
               gsize             count,
               GError          **error)
{
  GOutputVector vectors[2] = {
    { self->held->data, self->held->len },
    { buffer, count },
  };
  gsize sent = 0;

  switch (g_pollable_output_stream_writev_nonblocking (self->base, vectors, count ? 2 : 1, &sent,
                                                       NULL, error))
    {
    case G_POLLABLE_RETURN_OK:
      break;
    case G_POLLABLE_RETURN_WOULD_BLOCK:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "would block");
      return -1;
    case G_POLLABLE_RETURN_FAILED:
    default:
      return -1;
    }

  if (sent < self->held->len)
    {
      g_byte_array_remove_range (self->held, 0, sent);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "would block");
      return -1;
    }
  sent -= self->held->len;
  g_byte_array_set_size (self->held, 0);
  if (sent == 0 && count > 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "would block");
      return -1;
    }
  return sent;
}

static gssize
bnd_server_output_write_nonblocking (GPollableOutputStream  *pollable,
                                     const void             *buffer,
                                     gsize                   count,
                                     GError                **error)
{
  BndServerOutput *self = BND_SERVER_OUTPUT (pollable);

  if (self->held->len > 0)
    return send_held_and (self, buffer, count, error);
  if (self->body_follows && announces_body (buffer, count))
    {
      g_byte_array_append (self->held, buffer, count);
      return count;
    }
  return g_pollable_output_stream_write_nonblocking (self->base, buffer, count, NULL, error);
}

static gssize
bnd_server_output_write (GOutputStream  *stream,
                         const void     *buffer,
                         gsize           count,
                         GCancellable   *cancellable,
                         GError        **error)
{
  BndServerOutput *self = BND_SERVER_OUTPUT (stream);

  /* A blocking write (libsoup makes none on a server connection) waits for what is held first. */
  if (self->held->len > 0)
    {
      if (!g_output_stream_write_all (G_OUTPUT_STREAM (self->base), self->held->data, self->held->len,
                                      NULL, cancellable, error))
        return -1;
      g_byte_array_set_size (self->held, 0);
    }
  return g_output_stream_write (G_OUTPUT_STREAM (self->base), buffer, count, cancellable, error);
}

/* What is held goes out if the connection takes it now; what it does not take stays, ahead of
 * the next write. */
static gboolean
bnd_server_output_flush (GOutputStream  *stream,
                         GCancellable   *cancellable,
                         GError        **error)
{
  BndServerOutput *self = BND_SERVER_OUTPUT (stream);
  g_autoptr(GError) local_error = NULL;

  if (self->held->len == 0 || send_held_and (self, NULL, 0, &local_error) >= 0 ||
      g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static gboolean
bnd_server_output_close (GOutputStream  *stream,
                         GCancellable   *cancellable,
                         GError        **error)
{
  BndServerOutput *self = BND_SERVER_OUTPUT (stream);

  if (self->held->len > 0)
    send_held_and (self, NULL, 0, NULL);
  return g_output_stream_close (G_OUTPUT_STREAM (self->base), cancellable, error);
}

static gboolean
bnd_server_output_can_poll (GPollableOutputStream *pollable)
{
  return TRUE;
}

static gboolean
bnd_server_output_is_writable (GPollableOutputStream *pollable)
{
  BndServerOutput *self = BND_SERVER_OUTPUT (pollable);

  return g_pollable_output_stream_is_writable (self->base);
}

/* The base's own source, as for the input (bnd-server-stream.c): this stream can be written
 * whenever the base can, and a wrapper would be made for every write that waits. */
static GSource *
bnd_server_output_create_source (GPollableOutputStream *pollable,
                                 GCancellable          *cancellable)
{
  return g_pollable_output_stream_create_source (BND_SERVER_OUTPUT (pollable)->base, cancellable);
}

static void
bnd_server_output_finalize (GObject *object)
{
  BndServerOutput *self = BND_SERVER_OUTPUT (object);

  g_byte_array_unref (self->held);
  g_clear_object (&self->base);

  G_OBJECT_CLASS (bnd_server_output_parent_class)->finalize (object);
}

static void
bnd_server_output_pollable_init (GPollableOutputStreamInterface *iface)
{
  iface->can_poll = bnd_server_output_can_poll;
  iface->is_writable = bnd_server_output_is_writable;
  iface->create_source = bnd_server_output_create_source;
  iface->write_nonblocking = bnd_server_output_write_nonblocking;
}

static void
bnd_server_output_class_init (BndServerOutputClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bnd_server_output_finalize;
  G_OUTPUT_STREAM_CLASS (klass)->write_fn = bnd_server_output_write;
  G_OUTPUT_STREAM_CLASS (klass)->flush = bnd_server_output_flush;
  G_OUTPUT_STREAM_CLASS (klass)->close_fn = bnd_server_output_close;
}

static void
bnd_server_output_init (BndServerOutput *self)
{
  self->held = g_byte_array_new ();
}

/**
 * bnd_server_output_set_body_follows:
 * @body_follows: whether the answer being written gets a body; %FALSE between requests and for
 *   a HEAD request
 */
void
bnd_server_output_set_body_follows (BndServerOutput *self,
                                    gboolean         body_follows)
{
  g_return_if_fail (BND_IS_SERVER_OUTPUT (self));

  self->body_follows = body_follows;
}

/**
 * bnd_server_output_new:
 * @base: a connection's output; it must be pollable
 */
BndServerOutput *
bnd_server_output_new (GOutputStream *base)
{
  BndServerOutput *self;

  g_return_val_if_fail (G_IS_POLLABLE_OUTPUT_STREAM (base), NULL);

  self = g_object_new (BND_TYPE_SERVER_OUTPUT, NULL);
  self->base = G_POLLABLE_OUTPUT_STREAM (g_object_ref (base));
  return self;
}
