/* bnd-server-stream.c: the stream libsoup reads a connection through
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-stream"

#include "config.h"

#include "bnd-server-output.h"
#include "bnd-server-stream.h"

/* libsoup 3.2 loses a kept-alive connection that ends before the first byte of its next request:
 * it finishes the message it has prepared for that request, which has no completion handler yet,
 * and nothing closes the connection. Every client that closes an idle connection leaves a
 * descriptor behind for good (libsoup 3.3 fixed it), and a connection the server shuts for its
 * idle timeout or to make room stays too. Only a request that has begun is cleaned up.
 *
 * So libsoup reads through this stream, which passes everything on, but where the connection
 * ends (or fails) at the start of a request it first gives one byte that begins no valid request.
 * libsoup starts the request, finds it malformed, and closes the connection. The listener says
 * when a request is due and when libsoup has begun it (bnd_server_stream_set_request_due()), so
 * that the byte never lands inside a request, say a pipelined one libsoup had read ahead.
 * Answers are written through BndServerOutput (bnd-server-output.c). */

#define NO_REQUEST 'X'

/* The input: a GInputStream that libsoup polls. Private to this file. */

#define BND_TYPE_SERVER_INPUT (bnd_server_input_get_type ())

G_DECLARE_FINAL_TYPE (BndServerInput, bnd_server_input, BND, SERVER_INPUT, GInputStream)

struct _BndServerInput
{
  GInputStream          parent_instance;

  GPollableInputStream *base;
  gboolean              at_request_start;
  gboolean              ended;             /* the byte was given: only the end is left */
};

static void bnd_server_input_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BndServerInput, bnd_server_input, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      bnd_server_input_pollable_init))

/* What a read of the base returned (@n, @error), as libsoup should see it. */
static gssize
pass_on (BndServerInput  *self,
         gssize           n,
         void            *buffer,
         gsize            count,
         GError         **error)
{
  if (n > 0)
    self->at_request_start = FALSE;
  else if (self->at_request_start && count > 0 &&
           !(n < 0 && error && g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)))
    {
      g_clear_error (error);
      ((char *)buffer)[0] = NO_REQUEST;
      self->at_request_start = FALSE;
      self->ended = TRUE;
      return 1;
    }
  return n;
}

static gssize
bnd_server_input_read_nonblocking (GPollableInputStream  *pollable,
                                   void                  *buffer,
                                   gsize                  count,
                                   GError               **error)
{
  BndServerInput *self = BND_SERVER_INPUT (pollable);
  g_autoptr(GError) local_error = NULL;
  gssize n;

  if (self->ended)
    return 0;
  n = g_pollable_input_stream_read_nonblocking (self->base, buffer, count, NULL, &local_error);
  n = pass_on (self, n, buffer, count, &local_error);
  if (local_error)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return n;
}

static gssize
bnd_server_input_read (GInputStream  *stream,
                       void          *buffer,
                       gsize          count,
                       GCancellable  *cancellable,
                       GError       **error)
{
  BndServerInput *self = BND_SERVER_INPUT (stream);
  g_autoptr(GError) local_error = NULL;
  gssize n;

  if (self->ended)
    return 0;
  n = g_input_stream_read (G_INPUT_STREAM (self->base), buffer, count, cancellable, &local_error);
  n = pass_on (self, n, buffer, count, &local_error);
  if (local_error)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return n;
}

static gboolean
bnd_server_input_can_poll (GPollableInputStream *pollable)
{
  return TRUE;
}

static gboolean
bnd_server_input_is_readable (GPollableInputStream *pollable)
{
  BndServerInput *self = BND_SERVER_INPUT (pollable);

  return self->ended || g_pollable_input_stream_is_readable (self->base);
}

static GSource *
bnd_server_input_create_source (GPollableInputStream *pollable,
                                GCancellable         *cancellable)
{
  BndServerInput *self = BND_SERVER_INPUT (pollable);
  g_autoptr(GSource) base = NULL;

  /* Until the end, the base's own source: it is ready when this stream is, and a wrapper around
   * it would be made for every read that waits. */
  if (!self->ended)
    return g_pollable_input_stream_create_source (self->base, cancellable);
  base = g_timeout_source_new (0);
  return g_pollable_source_new_full (pollable, base, cancellable);
}

/* The base stream is closed with the connection (bnd_server_stream_close). */
static gboolean
bnd_server_input_close (GInputStream  *stream,
                        GCancellable  *cancellable,
                        GError       **error)
{
  return TRUE;
}

static void
bnd_server_input_finalize (GObject *object)
{
  BndServerInput *self = BND_SERVER_INPUT (object);

  g_clear_object (&self->base);

  G_OBJECT_CLASS (bnd_server_input_parent_class)->finalize (object);
}

static void
bnd_server_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = bnd_server_input_can_poll;
  iface->is_readable = bnd_server_input_is_readable;
  iface->create_source = bnd_server_input_create_source;
  iface->read_nonblocking = bnd_server_input_read_nonblocking;
}

static void
bnd_server_input_class_init (BndServerInputClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bnd_server_input_finalize;
  G_INPUT_STREAM_CLASS (klass)->read_fn = bnd_server_input_read;
  G_INPUT_STREAM_CLASS (klass)->close_fn = bnd_server_input_close;
}

static void
bnd_server_input_init (BndServerInput *self)
{
  self->at_request_start = TRUE;
}

/* The stream */

struct _BndServerStream
{
  GIOStream       parent_instance;

  GIOStream       *base;
  BndServerInput  *input;
  BndServerOutput *output;
};

G_DEFINE_FINAL_TYPE (BndServerStream, bnd_server_stream, G_TYPE_IO_STREAM)

static GInputStream *
bnd_server_stream_get_input_stream (GIOStream *stream)
{
  return G_INPUT_STREAM (BND_SERVER_STREAM (stream)->input);
}

static GOutputStream *
bnd_server_stream_get_output_stream (GIOStream *stream)
{
  return G_OUTPUT_STREAM (BND_SERVER_STREAM (stream)->output);
}

static gboolean
bnd_server_stream_close (GIOStream     *stream,
                         GCancellable  *cancellable,
                         GError       **error)
{
  BndServerStream *self = BND_SERVER_STREAM (stream);

  /* Sends what the output holds, if the connection takes it now, and closes the base's output */
  g_output_stream_close (G_OUTPUT_STREAM (self->output), NULL, NULL);
  return g_io_stream_close (self->base, cancellable, error);
}

static void
bnd_server_stream_finalize (GObject *object)
{
  BndServerStream *self = BND_SERVER_STREAM (object);

  g_clear_object (&self->input);
  g_clear_object (&self->output);
  g_clear_object (&self->base);

  G_OBJECT_CLASS (bnd_server_stream_parent_class)->finalize (object);
}

static void
bnd_server_stream_class_init (BndServerStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bnd_server_stream_finalize;
  G_IO_STREAM_CLASS (klass)->get_input_stream = bnd_server_stream_get_input_stream;
  G_IO_STREAM_CLASS (klass)->get_output_stream = bnd_server_stream_get_output_stream;
  G_IO_STREAM_CLASS (klass)->close_fn = bnd_server_stream_close;
}

static void
bnd_server_stream_init (BndServerStream *self)
{
}

/**
 * bnd_server_stream_new:
 * @base: the connection, plain or TLS; its input must be pollable
 */
BndServerStream *
bnd_server_stream_new (GIOStream *base)
{
  BndServerStream *self = g_object_new (BND_TYPE_SERVER_STREAM, NULL);

  self->base = g_object_ref (base);
  self->input = g_object_new (BND_TYPE_SERVER_INPUT, NULL);
  self->input->base = G_POLLABLE_INPUT_STREAM (g_object_ref (g_io_stream_get_input_stream (base)));
  self->output = bnd_server_output_new (g_io_stream_get_output_stream (base));
  return self;
}

/**
 * bnd_server_stream_set_request_due:
 * @due: %TRUE once an answer has gone out on a kept-alive connection, %FALSE once libsoup has
 *   begun the next request
 *
 * While a request is due and none of it has come, an end of the stream first gives the one
 * byte that makes libsoup close the connection.
 */
void
bnd_server_stream_set_request_due (BndServerStream *self,
                                   gboolean         due)
{
  g_return_if_fail (BND_IS_SERVER_STREAM (self));

  self->input->at_request_start = due;
}

/**
 * bnd_server_stream_set_body_follows:
 * @body_follows: whether the answer to the request under way gets a body (see
 *   bnd-server-output.c)
 */
void
bnd_server_stream_set_body_follows (BndServerStream *self,
                                    gboolean         body_follows)
{
  g_return_if_fail (BND_IS_SERVER_STREAM (self));

  bnd_server_output_set_body_follows (self->output, body_follows);
}
