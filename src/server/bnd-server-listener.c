/* bnd-server-listener.c: accepting connections, their cap and their timeouts
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-listener"

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "bnd-server-config.h"
#include "bnd-server-listener.h"
#include "bnd-server-stream.h"

/* SoupServer 3.2 accepts on its own listening socket, and when accept() fails with EMFILE it
 * drops its watch for good: 1,024 idle connections under the usual descriptor limit, and after
 * they have gone no client is served again. It has no connection cap and no timeouts either. So
 * the server accepts here, hands each connection to libsoup with soup_server_accept_iostream(),
 * and follows every connection through libsoup's signals:
 *
 *   accepted ──► HEADERS ──got-headers──► BODY ──got-body──► HANDLING ──wrote-headers──► WRITING
 *                   ▲                                                                      │
 *                   └── request-started (first byte) ◄── IDLE ◄── request-finished ◄───────┘
 *
 * HEADERS has header-timeout seconds from the connection's start or the next request's first
 * byte (libsoup 3.2 starts the next message of a kept-alive connection only once bytes arrive);
 * IDLE has idle-timeout seconds; BODY has body-timeout seconds and one more for every
 * body-min-rate bytes that arrive (Apache's mod_reqtimeout rule), so that a trickle cannot hold a
 * connection; WRITING ends when the client takes nothing of the answer for idle-timeout seconds.
 * HANDLING is the server's own work and has no limit here. A connection past its time is shut
 * down; libsoup sees the end of the stream and lets go of it (an idle one only through
 * BndServerStream, see bnd-server-stream.c).
 *
 * Over the cap the server stops accepting and leaves new clients in the kernel's backlog, rather
 * than accepting and closing them: a client that waits is served as soon as a connection ends,
 * while one that was closed has to notice and come back. To make that wait short, a full server
 * closes the connection that has waited longest for a request (IDLE or HEADERS) when a new one
 * is pending, as nginx reuses its idle connections; connections in the middle of a request are
 * never closed for room. So a flood of idle connections delays a real client by a fraction of a
 * second (tests/bench/bench-flood.py), and the server accepts again by itself once the flood is
 * gone. */

/* Descriptors kept free below the limit for the database and its journal, the listening socket,
 * TLS, log output and helper processes. */
#define RESERVED_DESCRIPTORS 64
/* The deadline timer looks at every connection when it fires, so it fires at most this often:
 * a connection is shut at most this much after its deadline. */
#define SWEEP_GAP_US (50 * 1000)
/* Connections accepted per wake-up, so that requests already in are not starved. */
#define ACCEPT_BATCH 32
/* After EMFILE or another failing accept(): wait, doubling from the first to the last. */
#define BACKOFF_FIRST_MS 100
#define BACKOFF_LAST_MS  1000
/* Clients waiting in the kernel to be accepted (the kernel lowers it to net.core.somaxconn).
 * When the backlog is full, the kernel drops a new client's SYN and the client tries again
 * only after 1, 3, 7, 15 s: the backlog must hold more than a flood above the cap. */
#define LISTEN_BACKLOG 4096
/* Connections shut down at once to make room, before waiting for one of them to end. */
#define MAX_EVICTING 8

/* The signals of each message the listener follows (see on_message_hook_cb()) */
typedef enum
{
  HOOK_GOT_HEADERS,
  HOOK_GOT_CHUNK,
  HOOK_GOT_BODY,
  HOOK_WROTE_HEADERS,
  HOOK_WROTE_BODY_DATA,
  N_HOOKS
} Hook;

typedef enum
{
  STATE_HEADERS,
  STATE_IDLE,
  STATE_BODY,
  STATE_HANDLING,
  STATE_WRITING,
} State;

typedef struct
{
  BndServerListener *listener;
  GSocketConnection *stream;       /* weak: when it is finalized, libsoup is done with it */
  GSocket           *socket;       /* the stream's */
  BndServerStream   *io;           /* weak: what libsoup reads, on @stream or on TLS on it */
  GSocketAddress    *remote;       /* libsoup answers it for each message: it finds the record */
  State              state;
  gint64             since;        /* when the state began (monotonic µs) */
  gint64             progress;     /* when an answer's byte was last written */
  guint64            received;     /* body bytes read in BODY */
  GList              link;         /* in the listener's waiting queue, if queued */
  gboolean           queued;
  gboolean           closing;
} Connection;

struct _BndServerListener
{
  SoupServer      *soup;
  GTlsCertificate *certificate;
  BndServerLimits  limits;
  guint            max_connections;  /* the cap in force */

  GSocket         *socket;           /* listening */
  GSocket         *pair[2];          /* see keep_connections_alive() */
  gboolean         close_each;       /* libsoup would not keep connections alive */
  GSource         *accept_source;
  GSource         *pending_source;   /* at the cap: fires when a client waits in the backlog */
  GSource         *backoff_source;
  guint            backoff_ms;

  GHashTable      *connections;      /* Connection *, owned */
  GQueue           waiting;          /* Connections in IDLE or HEADERS, longest waiting first */
  guint            n_closing;
  gpointer         message_class;    /* SoupServerMessage's, held for its signals */
  guint            hook_signal_ids[N_HOOKS];
  gulong           hook_ids[N_HOOKS];

  GSource         *sweep;            /* the deadline timer of all connections; see arm() */
  gint64           sweep_at;         /* when it fires (monotonic µs) */
};

/* The key under which a connection's remote address carries its record. */
static GQuark
connection_quark (void)
{
  static GQuark quark;

  if (quark == 0)
    quark = g_quark_from_static_string ("bnd-server-connection");
  return quark;
}

static void start_accepting (BndServerListener *self);

static void
destroy_source (GSource *source)
{
  g_source_destroy (source);
  g_source_unref (source);
}

static Connection *
find_connection (SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return remote ? g_object_get_qdata (G_OBJECT (remote), connection_quark ()) : NULL;
}

static void
leave_waiting (Connection *conn)
{
  if (conn->queued)
    g_queue_unlink (&conn->listener->waiting, &conn->link);
  conn->queued = FALSE;
}

/* When @conn must end, G_MAXINT64 for never. */
static gint64
deadline (const Connection *conn)
{
  const BndServerLimits *limits = &conn->listener->limits;

  switch (conn->state)
    {
    case STATE_HEADERS:
      return conn->since + limits->header_timeout * G_USEC_PER_SEC;
    case STATE_IDLE:
      return conn->since + limits->idle_timeout * G_USEC_PER_SEC;
    case STATE_BODY:
      return conn->since + limits->body_timeout * G_USEC_PER_SEC +
             (gint64)(conn->received * G_USEC_PER_SEC / MAX (limits->body_min_rate, 1));
    case STATE_WRITING:
      return conn->progress + limits->idle_timeout * G_USEC_PER_SEC;
    case STATE_HANDLING:
    default:
      return G_MAXINT64;
    }
}

/* Shuts the socket down under libsoup: its read or write ends at once, and it closes the
 * connection and drops it. Closing the descriptor itself would pull it from under libsoup's
 * watch. */
static void
shut (Connection *conn)
{
  if (conn->closing)
    return;
  conn->closing = TRUE;
  conn->listener->n_closing++;
  leave_waiting (conn);
  g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
}

static gboolean on_sweep_cb (gpointer user_data);
static void watch_pending (BndServerListener *self);

/* Makes the deadline timer fire by @at. */
static void
sweep_by (BndServerListener *self,
          gint64             at)
{
  if (self->sweep != NULL && self->sweep_at <= at)
    return;
  g_clear_pointer (&self->sweep, destroy_source);
  self->sweep_at = at;
  self->sweep = g_timeout_source_new (MAX (at - g_get_monotonic_time (), 0) / 1000 + 1);
  g_source_set_callback (self->sweep, on_sweep_cb, self, NULL);
  g_source_attach (self->sweep, g_main_context_get_thread_default ());
}

/* Every connection has a deadline by its state, and one timer serves them all: a state change
 * costs a comparison, where a timer of each connection would be made and dropped several times
 * a request. When it fires, it shuts the connections past their deadline and sets itself for
 * the next deadline. A deadline that moved on meanwhile (a body that kept coming, an answer that
 * was taken) only makes it fire early. */
static void
arm (Connection *conn)
{
  gint64 at = deadline (conn);

  if (at != G_MAXINT64 && !conn->closing)
    sweep_by (conn->listener, at);
}

static gboolean
on_sweep_cb (gpointer user_data)
{
  BndServerListener *self = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 next = G_MAXINT64;
  GHashTableIter iter;
  gpointer key;

  /* This source is done; the dispatch holds it until we return. */
  g_clear_pointer (&self->sweep, g_source_unref);
  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      Connection *conn = key;
      gint64 at;

      if (conn->closing)
        continue;
      if ((at = deadline (conn)) <= now)
        shut (conn);
      else
        next = MIN (next, at);
    }
  if (next != G_MAXINT64)
    sweep_by (self, MAX (next, now + SWEEP_GAP_US));
  return G_SOURCE_REMOVE;
}

static void
set_state (Connection *conn,
           State       state)
{
  if (conn->closing)
    return;
  conn->state = state;
  conn->since = conn->progress = g_get_monotonic_time ();
  conn->received = 0;
  leave_waiting (conn);
  if (state == STATE_HEADERS || state == STATE_IDLE)
    {
      g_queue_push_tail_link (&conn->listener->waiting, &conn->link);
      conn->queued = TRUE;
      watch_pending (conn->listener);
    }
  arm (conn);
}

/* Closes the connections that have waited longest for a request, if any, so that new ones can
 * come in; a few at a time, for a flood that takes every place as soon as it is free. */
static void
make_room (BndServerListener *self)
{
  GList *link = self->waiting.head;

  while (link != NULL && self->n_closing < MAX_EVICTING)
    {
      Connection *conn = link->data;

      link = link->next;
      /* Bytes in that libsoup has not read yet: a request has begun, it is not waiting. */
      if (conn->state == STATE_HEADERS && g_socket_get_available_bytes (conn->socket) > 0)
        continue;
      shut (conn);
    }
}

static gboolean
on_pending_cb (GSocket      *socket,
               GIOCondition  condition,
               gpointer      user_data)
{
  BndServerListener *self = user_data;

  /* This source is done; the dispatch holds it until we return. A connection that ends calls
   * start_accepting(), one that comes to wait calls watch_pending() again. */
  g_clear_pointer (&self->pending_source, g_source_unref);
  make_room (self);
  return G_SOURCE_REMOVE;
}

/* At the cap, room is made only once a client is pending (the listening socket is readable),
 * and only while some connection waits for a request: the watch would fire without end. */
static void
watch_pending (BndServerListener *self)
{
  if (self->socket == NULL || self->accept_source || self->pending_source || self->waiting.head == NULL ||
      g_hash_table_size (self->connections) < self->max_connections)
    return;
  self->pending_source = g_socket_create_source (self->socket, G_IO_IN, NULL);
  g_source_set_callback (self->pending_source, G_SOURCE_FUNC (on_pending_cb), self, NULL);
  g_source_attach (self->pending_source, g_main_context_get_thread_default ());
}

static void
connection_free (Connection *conn)
{
  if (conn->io)
    g_object_remove_weak_pointer (G_OBJECT (conn->io), (gpointer *)&conn->io);
  leave_waiting (conn);
  g_object_set_qdata (G_OBJECT (conn->remote), connection_quark (), NULL);
  g_object_unref (conn->remote);
  g_free (conn);
}

/* libsoup has let go of the connection: its descriptor is closed. */
static void
on_stream_finalized_cb (gpointer  user_data,
                        GObject  *where_the_object_was)
{
  Connection *conn = user_data;
  BndServerListener *self = conn->listener;

  if (conn->closing)
    self->n_closing--;
  g_hash_table_steal (self->connections, conn);
  connection_free (conn);
  start_accepting (self);
}

/* Callbacks of each message. They are emission hooks of SoupServerMessage's signals, added once
 * for the listener, rather than handlers connected to every message: a request would otherwise
 * make and drop five closures and handlers. A hook sees every message of the process, and takes
 * only those of its own listener's connections. */

static const char * const hook_signals[N_HOOKS] = {
  "got-headers", "got-chunk", "got-body", "wrote-headers", "wrote-body-data",
};

static gboolean
on_message_hook_cb (GSignalInvocationHint *hint,
                    guint                  n_values,
                    const GValue          *values,
                    gpointer               user_data)
{
  BndServerListener *self = user_data;
  SoupServerMessage *msg = g_value_get_object (&values[0]);
  Connection *conn = find_connection (msg);

  if (conn == NULL || conn->listener != self)
    return TRUE;
  if (hint->signal_id == self->hook_signal_ids[HOOK_GOT_HEADERS])
    {
      set_state (conn, STATE_BODY);
      /* The answer's header block may wait for its body (bnd-server-output.c); a HEAD has none */
      if (conn->io)
        bnd_server_stream_set_body_follows (conn->io, soup_server_message_get_method (msg) != SOUP_METHOD_HEAD);
    }
  else if (hint->signal_id == self->hook_signal_ids[HOOK_GOT_CHUNK])
    {
      if (conn->state == STATE_BODY)
        conn->received += g_bytes_get_size (g_value_get_boxed (&values[1]));
    }
  else if (hint->signal_id == self->hook_signal_ids[HOOK_GOT_BODY])
    set_state (conn, STATE_HANDLING);
  else if (hint->signal_id == self->hook_signal_ids[HOOK_WROTE_HEADERS])
    set_state (conn, STATE_WRITING);
  else if (hint->signal_id == self->hook_signal_ids[HOOK_WROTE_BODY_DATA])
    conn->progress = g_get_monotonic_time ();
  /* Stay for the next emission */
  return TRUE;
}

/* Callbacks of the server */

static void
on_request_started_cb (SoupServer        *soup,
                       SoupServerMessage *msg,
                       gpointer           user_data)
{
  BndServerListener *self = user_data;
  Connection *conn = find_connection (msg);

  if (conn == NULL)
    return;
  if (self->close_each)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
  if (conn->io)
    bnd_server_stream_set_request_due (conn->io, FALSE);
  set_state (conn, STATE_HEADERS);
}

static void
on_request_ended_cb (SoupServer        *soup,
                     SoupServerMessage *msg,
                     gpointer           user_data)
{
  Connection *conn = find_connection (msg);

  /* Kept alive, it waits for the next request; otherwise libsoup closes it now. */
  if (conn == NULL)
    return;
  set_state (conn, STATE_IDLE);
  if (conn->io)
    {
      bnd_server_stream_set_request_due (conn->io, TRUE);
      bnd_server_stream_set_body_follows (conn->io, FALSE);
    }
}

/* Accepting */

/* Gives @client to libsoup, through TLS when the server has a certificate. */
static void
take (BndServerListener *self,
      GSocket           *client)
{
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (client, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (client, NULL);
  g_autoptr(GSocketConnection) stream = NULL;
  g_autoptr(GIOStream) io = NULL;
  g_autoptr(BndServerStream) wrapped = NULL;
  g_autoptr(GError) error = NULL;
  Connection *conn;

  /* A client that is gone already has no addresses. */
  if (local == NULL || remote == NULL)
    return;
  /* As libsoup does for its own sockets: an answer's headers and body go out without waiting
   * for the client's acknowledgement of the first. */
  g_socket_set_option (client, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);

  stream = g_socket_connection_factory_create_connection (client);
  conn = g_new0 (Connection, 1);
  conn->listener = self;
  conn->stream = stream;
  conn->socket = client;
  conn->remote = g_object_ref (remote);
  conn->link.data = conn;
  g_object_set_qdata (G_OBJECT (remote), connection_quark (), conn);
  g_object_weak_ref (G_OBJECT (stream), on_stream_finalized_cb, conn);
  g_hash_table_add (self->connections, conn);
  set_state (conn, STATE_HEADERS);

  /* soup_server_accept_iostream() takes the stream as it is, so the TLS is done here, with
   * what libsoup would set for its own listener: the certificate, and no close_notify demanded
   * of clients. The handshake runs on the first read, within the header timeout. */
  if (self->certificate)
    {
      io = G_IO_STREAM (g_tls_server_connection_new (G_IO_STREAM (stream), self->certificate, &error));
      if (io == NULL)
        {
          g_warning ("cannot start TLS on a new connection: %s", error->message);
          return;
        }
      g_tls_connection_set_require_close_notify (G_TLS_CONNECTION (io), FALSE);
    }
  else
    io = G_IO_STREAM (g_object_ref (stream));
  wrapped = bnd_server_stream_new (io);
  conn->io = wrapped;
  g_object_add_weak_pointer (G_OBJECT (wrapped), (gpointer *)&conn->io);

  if (!soup_server_accept_iostream (self->soup, G_IO_STREAM (wrapped), local, remote, &error))
    g_warning ("cannot serve a new connection: %s", error->message);
}

static void
stop_accepting (BndServerListener *self)
{
  g_clear_pointer (&self->accept_source, destroy_source);
}

static gboolean
on_backoff_timeout_cb (gpointer user_data)
{
  BndServerListener *self = user_data;

  g_clear_pointer (&self->backoff_source, g_source_unref);
  start_accepting (self);
  return G_SOURCE_REMOVE;
}

/* accept() failed, with EMFILE or ENFILE most likely: the pending clients stay in the backlog
 * and are accepted once descriptors are free again. libsoup 3.2 gives up here for good. */
static void
back_off (BndServerListener *self,
          const GError      *error)
{
  if (self->backoff_ms == 0)
    g_warning ("cannot accept connections (%s); trying again in a moment", error->message);
  self->backoff_ms = self->backoff_ms ? MIN (self->backoff_ms * 2, BACKOFF_LAST_MS) : BACKOFF_FIRST_MS;
  stop_accepting (self);
  self->backoff_source = g_timeout_source_new (self->backoff_ms);
  g_source_set_callback (self->backoff_source, on_backoff_timeout_cb, self, NULL);
  g_source_attach (self->backoff_source, g_main_context_get_thread_default ());
}

static gboolean
on_incoming_cb (GSocket      *socket,
                GIOCondition  condition,
                gpointer      user_data)
{
  BndServerListener *self = user_data;

  for (guint i = 0; i < ACCEPT_BATCH; i++)
    {
      g_autoptr(GSocket) client = NULL;
      g_autoptr(GError) error = NULL;

      if (g_hash_table_size (self->connections) >= self->max_connections)
        {
          stop_accepting (self);
          watch_pending (self);
          return G_SOURCE_REMOVE;
        }
      if (!(client = g_socket_accept (socket, NULL, &error)))
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            return G_SOURCE_CONTINUE;
          back_off (self, error);
          return G_SOURCE_REMOVE;
        }
      self->backoff_ms = 0;
      take (self, client);
    }
  return G_SOURCE_CONTINUE;
}

static void
start_accepting (BndServerListener *self)
{
  if (self->socket == NULL || self->accept_source || self->backoff_source ||
      g_hash_table_size (self->connections) >= self->max_connections)
    return;
  g_clear_pointer (&self->pending_source, destroy_source);
  self->accept_source = g_socket_create_source (self->socket, G_IO_IN, NULL);
  g_source_set_callback (self->accept_source, G_SOURCE_FUNC (on_incoming_cb), self, NULL);
  g_source_attach (self->accept_source, g_main_context_get_thread_default ());
}

/* SoupServer 3.2 keeps a connection open after an answer only while it has a listener of its
 * own (request_finished() checks its list of listeners); with none, it closes every connection
 * after one answer and without saying "Connection: close". A listener that can never accept
 * anything fills the list: one end of a connected socket pair, which libsoup takes for a socket
 * already connected and does not watch. Should that be refused, every answer says
 * "Connection: close", which is slower but correct. */
static void
keep_connections_alive (BndServerListener *self)
{
  g_autoptr(GError) error = NULL;
  int fds[2];

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      self->close_each = TRUE;
      return;
    }
  self->pair[0] = g_socket_new_from_fd (fds[0], NULL);
  self->pair[1] = g_socket_new_from_fd (fds[1], NULL);
  if (self->pair[0] == NULL || self->pair[1] == NULL ||
      !soup_server_listen_socket (self->soup, self->pair[0], 0, &error))
    {
      g_debug ("connections are closed after each answer: %s", error ? error->message : "no socket");
      self->close_each = TRUE;
    }
}

/* Raises the soft limit on descriptors as far as @wanted, where the hard limit allows;
 * returns the limit in force. Only as far as needed: helper processes inherit it. */
static guint
raise_descriptor_limit (guint wanted)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    return 1024;
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < wanted && limit.rlim_cur < limit.rlim_max)
    {
      struct rlimit raised = { MIN (limit.rlim_max, (rlim_t)wanted), limit.rlim_max };

      /* Raising the soft limit up to the hard one needs no privilege. */
      if (setrlimit (RLIMIT_NOFILE, &raised) == 0)
        limit = raised;
    }
  return limit.rlim_cur == RLIM_INFINITY ? G_MAXUINT : (guint)MIN (limit.rlim_cur, G_MAXUINT);
}

static void
update_cap (BndServerListener *self)
{
  guint wanted = self->limits.max_connections;
  guint limit = raise_descriptor_limit (wanted > G_MAXUINT - RESERVED_DESCRIPTORS ? G_MAXUINT
                                                                                  : wanted + RESERVED_DESCRIPTORS);
  guint room = limit > 2 * RESERVED_DESCRIPTORS ? limit - RESERVED_DESCRIPTORS : MAX (limit / 2, 1);

  self->max_connections = MIN (wanted, room);
  if (self->max_connections < wanted)
    g_message ("max-connections is %u, but the limit of %u file descriptors leaves room for %u "
               "connections: raise LimitNOFILE= (ulimit -n)", wanted, limit, self->max_connections);
}

/* Public API */

/**
 * bnd_server_listener_new:
 * @soup: the server that answers the connections
 * @certificate: (nullable): for HTTPS
 */
BndServerListener *
bnd_server_listener_new (SoupServer      *soup,
                         GTlsCertificate *certificate)
{
  BndServerListener *self = g_new0 (BndServerListener, 1);

  self->soup = g_object_ref (soup);
  self->certificate = certificate ? g_object_ref (certificate) : NULL;
  self->limits = (BndServerLimits) {
    BND_SERVER_DEFAULT_MAX_CONNECTIONS, BND_SERVER_DEFAULT_IDLE_TIMEOUT, BND_SERVER_DEFAULT_HEADER_TIMEOUT,
    BND_SERVER_DEFAULT_BODY_TIMEOUT, BND_SERVER_DEFAULT_BODY_MIN_RATE,
  };
  self->connections = g_hash_table_new (NULL, NULL);
  g_queue_init (&self->waiting);
  /* The signals exist once the class does. */
  self->message_class = g_type_class_ref (SOUP_TYPE_SERVER_MESSAGE);
  for (guint i = 0; i < N_HOOKS; i++)
    {
      self->hook_signal_ids[i] = g_signal_lookup (hook_signals[i], SOUP_TYPE_SERVER_MESSAGE);
      self->hook_ids[i] = g_signal_add_emission_hook (self->hook_signal_ids[i], 0, on_message_hook_cb, self, NULL);
    }
  g_signal_connect (soup, "request-started", G_CALLBACK (on_request_started_cb), self);
  g_signal_connect (soup, "request-finished", G_CALLBACK (on_request_ended_cb), self);
  g_signal_connect (soup, "request-aborted", G_CALLBACK (on_request_ended_cb), self);
  return self;
}

void
bnd_server_listener_free (BndServerListener *self)
{
  GHashTableIter iter;
  gpointer conn;

  if (self == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->soup, self);
  for (guint i = 0; i < N_HOOKS; i++)
    g_signal_remove_emission_hook (self->hook_signal_ids[i], self->hook_ids[i]);
  g_type_class_unref (self->message_class);
  g_clear_pointer (&self->accept_source, destroy_source);
  g_clear_pointer (&self->pending_source, destroy_source);
  g_clear_pointer (&self->backoff_source, destroy_source);
  g_clear_pointer (&self->sweep, destroy_source);

  /* The connections libsoup still has go with it; only the records go here. */
  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, &conn, NULL))
    {
      g_object_weak_unref (G_OBJECT (((Connection *)conn)->stream), on_stream_finalized_cb, conn);
      connection_free (conn);
    }
  g_hash_table_unref (self->connections);

  if (self->socket)
    g_socket_close (self->socket, NULL);
  g_clear_object (&self->socket);
  g_clear_object (&self->pair[0]);
  g_clear_object (&self->pair[1]);
  g_clear_object (&self->certificate);
  g_clear_object (&self->soup);
  g_free (self);
}

/**
 * bnd_server_listener_close:
 *
 * Stops listening, at the end: the system refuses new clients (a load balancer tries another
 * process), while the connections there are go on.
 */
void
bnd_server_listener_close (BndServerListener *self)
{
  g_clear_pointer (&self->accept_source, destroy_source);
  g_clear_pointer (&self->pending_source, destroy_source);
  g_clear_pointer (&self->backoff_source, destroy_source);
  if (self->socket)
    g_socket_close (self->socket, NULL);
  g_clear_object (&self->socket);
}

/**
 * bnd_server_listener_set_limits:
 *
 * Takes the cap and the timeouts; call it before listening.
 */
void
bnd_server_listener_set_limits (BndServerListener     *self,
                                const BndServerLimits *limits)
{
  self->limits = *limits;
  self->limits.max_connections = MAX (limits->max_connections, 1);
  self->limits.body_min_rate = MAX (limits->body_min_rate, 1);
}

/**
 * bnd_server_listener_listen:
 * @address: where to listen; an IPv6 address takes IPv6 connections only, as libsoup did
 * @port: (out) (optional): the port it got, for port 0
 */
gboolean
bnd_server_listener_listen (BndServerListener   *self,
                            GInetSocketAddress  *address,
                            guint               *port,
                            GError             **error)
{
  GSocketFamily family = g_socket_address_get_family (G_SOCKET_ADDRESS (address));
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) local = NULL;

  g_return_val_if_fail (self->socket == NULL, FALSE);

  if (!(socket = g_socket_new (family, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error)))
    return FALSE;
  if (family == G_SOCKET_FAMILY_IPV6)
    g_socket_set_option (socket, IPPROTO_IPV6, IPV6_V6ONLY, TRUE, NULL);
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  g_socket_set_blocking (socket, FALSE);
  if (!g_socket_bind (socket, G_SOCKET_ADDRESS (address), TRUE, error) ||
      !g_socket_listen (socket, error) ||
      !(local = g_socket_get_local_address (socket, error)))
    return FALSE;
  if (port)
    *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));

  update_cap (self);
  keep_connections_alive (self);
  self->socket = g_steal_pointer (&socket);
  start_accepting (self);
  return TRUE;
}

/**
 * bnd_server_listener_answer_now:
 * @msg: a message whose status and body were set from its headers (in got-headers)
 *
 * Sends @msg's answer before its body has been read, and ends the connection after it.
 * libsoup 3.2 reads a request's whole body before it answers, even when a got-headers handler
 * has refused it (only "Expect: 100-continue" changes that), so a refused upload or a login of
 * a megabyte would be read first. Here the answer goes out at once, the socket's sending side
 * is shut (the client reads the answer and the end), and libsoup reads on and drops the body
 * under the body timeout, which is what keeps a client that sends the whole body anyway from
 * being reset before it reads the answer. libsoup's own answer then fails on the shut socket
 * and the connection ends.
 *
 * Returns: whether the answer went out here; if not, libsoup sends it as usual
 */
gboolean
bnd_server_listener_answer_now (SoupServerMessage *msg)
{
  Connection *conn = find_connection (msg);
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  guint status = soup_server_message_get_status (msg);
  const char *reason = soup_server_message_get_reason_phrase (msg);
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GString) answer = NULL;
  SoupMessageHeadersIter iter;
  const char *name, *value;
  GOutputStream *output;
  gsize written = 0;

  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  if (conn == NULL || conn->io == NULL || conn->closing || status == 0 ||
      (soup_message_headers_get_expectations (request) & SOUP_EXPECTATION_CONTINUE))
    return FALSE;

  content = soup_message_body_flatten (body);
  answer = g_string_new (NULL);
  g_string_append_printf (answer, "HTTP/1.1 %u %s\r\n", status, reason ? reason : soup_status_get_phrase (status));
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (g_ascii_strcasecmp (name, "Content-Length") != 0 && g_ascii_strcasecmp (name, "Connection") != 0)
      g_string_append_printf (answer, "%s: %s\r\n", name, value);
  if (!soup_message_headers_get_one (headers, "Date"))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *date = soup_date_time_to_string (now, SOUP_DATE_HTTP);

      g_string_append_printf (answer, "Date: %s\r\n", date);
    }
  g_string_append_printf (answer, "Content-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n",
                          g_bytes_get_size (content));
  g_string_append_len (answer, g_bytes_get_data (content, NULL), g_bytes_get_size (content));

  /* A few hundred bytes into an empty send buffer: one write takes them. Whatever does not go
   * out now is not waited for; the client sees the connection end. */
  output = g_io_stream_get_output_stream (G_IO_STREAM (conn->io));
  while (written < answer->len)
    {
      gssize n = g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (output),
                                                             answer->str + written, answer->len - written,
                                                             NULL, NULL);
      if (n <= 0)
        break;
      written += n;
    }
  g_socket_shutdown (conn->socket, FALSE, TRUE, NULL);
  soup_message_headers_replace (headers, "Connection", "close");
  return TRUE;
}

/**
 * bnd_server_listener_cut:
 *
 * Ends @msg's connection at once, as when a streamed answer cannot go on: the client sees a
 * short body rather than a wrong one.
 */
void
bnd_server_listener_cut (SoupServerMessage *msg)
{
  Connection *conn = find_connection (msg);

  if (conn)
    shut (conn);
}

/**
 * bnd_server_listener_get_socket:
 *
 * soup_server_message_get_socket() is %NULL for a connection handed over as a stream.
 *
 * Returns: (transfer none) (nullable): the TCP socket of @msg's connection
 */
GSocket *
bnd_server_listener_get_socket (SoupServerMessage *msg)
{
  Connection *conn = find_connection (msg);

  return conn ? conn->socket : NULL;
}
