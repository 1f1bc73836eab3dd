/* bnd-server-worker.c: what a request asks of PostgreSQL, off the main context
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server"

#include "config.h"

#include "bnd-server-db-private.h"
#include "bnd-server-mail.h"
#include "bnd-server-private.h"

/* libpq waits for the database's answer. On the main context, one slow query (a lock another
 * process holds, a failover, a cold disk) would hold up every request of the process: the other
 * alliances', the downloads, the sign-ins. So on PostgreSQL a request's database work runs on
 * one of a few worker threads, with a connection of its alliance's own (a PGconn serves one
 * thread at a time), taken from the alliance's pool when the work first asks for the database
 * (_bnd_server_db()) and given back when it ends. The message waits paused meanwhile: libsoup
 * reads and writes nothing of a paused message (see bnd-server-auth.c), so the worker has it to
 * itself, reads the request and sets the answer, and the main context sends it.
 *
 * What only the main context may do (the sign-in queue, the PDF checker, timers) is left to the
 * work's @then, which runs there after it. On SQLite, whose reads are local and whose writes are
 * short, the work runs in place, as it always did. */

/* Threads per alliance, and so its connections at most: the server's own work is short, and a
 * query that waits (for a lock, say) still leaves three to the alliance's other requests. Each
 * alliance has threads of its own, so that one whose database is slow or locked holds up no
 * other. Idle threads are shared between the alliances' pools (GLib's non-exclusive pools). */
#define WORKERS 4

typedef struct
{
  BndServer         *self;
  SoupServerMessage *msg;       /* (nullable) */
  BndServerWork      work;
  BndServerWork      then;      /* (nullable) */
  gpointer           data;
  GDestroyNotify     destroy;
  GMainContext      *context;   /* where @then runs */
  gboolean           aside;     /* on the server's aside thread (_bnd_server_run_aside()) */
  BndServerDb       *db;        /* the connection it took, while it runs */
  gboolean           outbox_written;
  /* The server's e-mail settings when the work was pushed: its connection writes as the
   * server's would (they are set on the main context, at the start). */
  gboolean           mail_enabled;
  char              *mail_domain;
  /* What the work left for the main context (_bnd_server_then()) */
  BndServerWork      later;
  gpointer           later_data;
  GDestroyNotify     later_destroy;
} Work;

static GPrivate current_work;   /* the Work that this worker thread runs */
static gint     pending;        /* works pushed and not finished */

static void
work_free (Work *work)
{
  if (work->destroy)
    work->destroy (work->data);
  g_clear_object (&work->msg);
  g_free (work->mail_domain);
  g_object_unref (work->self);
  g_main_context_unref (work->context);
  g_free (work);
}

/* A message written into the outbox by a worker's connection: the sender is told once the work
 * is over, on the main context, where it lives. */
static void
on_outbox_written (gpointer data)
{
  Work *work = g_private_get (&current_work);

  if (work != NULL)
    work->outbox_written = TRUE;
}

static BndServerDb *
take_db (BndServer *self,
         Work      *work)
{
  BndServerDb *db = g_async_queue_try_pop (self->idle_dbs);

  if (db == NULL)
    {
      db = bnd_server_db_open_sibling (self->db);
      db->outbox_written = on_outbox_written;
    }
  if (db->mail_enabled != work->mail_enabled || g_strcmp0 (db->mail_domain, work->mail_domain) != 0)
    bnd_server_db_set_mail (db, work->mail_enabled, work->mail_domain);
  return db;
}

/* Back to the pool, with nothing left open: a work that failed halfway through a write
 * transaction must not leave it to the next. */
static void
give_back_db (BndServer   *self,
              BndServerDb *db)
{
  if (PQstatus (db->pg) == CONNECTION_OK && bnd_server_db_in_transaction (db))
    {
      g_warning ("database: a request left a transaction open; rolled back");
      bnd_server_db_rollback (db);
    }
  g_async_queue_push (self->idle_dbs, db);
}

static gboolean
finish_work (gpointer user_data)
{
  Work *work = user_data;
  BndServerDb *db = work->self->db;

  if (work->msg != NULL)
    soup_server_message_unpause (work->msg);
  if (work->outbox_written && db->outbox_written != NULL)
    db->outbox_written (db->outbox_written_data);
  if (work->then != NULL)
    work->then (work->self, work->msg, work->data);
  if (work->later != NULL)
    {
      work->later (work->self, work->msg, work->later_data);
      if (work->later_destroy != NULL)
        work->later_destroy (work->later_data);
    }
  work_free (work);
  g_atomic_int_add (&pending, -1);
  return G_SOURCE_REMOVE;
}

/* Always through the main context's loop: g_main_context_invoke() would run it right here on
 * the worker when nobody owns the context at that moment (before the loop runs, say). */
static void
finish_later (Work *work)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, finish_work, work, NULL);
  g_source_set_static_name (source, "[buendnis-server] work done");
  g_source_attach (source, work->context);
  g_source_unref (source);
}

static void
run_work (gpointer item,
          gpointer unused)
{
  Work *work = item;

  g_private_set (&current_work, work);
  work->work (work->self, work->msg, work->data);
  g_private_set (&current_work, NULL);
  if (work->db != NULL)
    give_back_db (work->self, g_steal_pointer (&work->db));
  finish_later (work);
}

static void
run (BndServer         *self,
     SoupServerMessage *msg,
     BndServerWork      work,
     BndServerWork      then,
     gpointer           data,
     GDestroyNotify     destroy,
     gboolean           aside)
{
  Work *item;

  if (self->idle_dbs == NULL)
    {
      work (self, msg, data);
      if (then != NULL)
        then (self, msg, data);
      if (destroy != NULL)
        destroy (data);
      return;
    }

  item = g_new0 (Work, 1);
  item->self = g_object_ref (self);
  item->msg = msg ? g_object_ref (msg) : NULL;
  item->work = work;
  item->then = then;
  item->data = data;
  item->destroy = destroy;
  item->context = g_main_context_ref_thread_default ();
  item->mail_enabled = self->db->mail_enabled;
  item->mail_domain = g_strdup (self->db->mail_domain);
  item->aside = aside;
  if (msg != NULL)
    soup_server_message_pause (msg);
  g_atomic_int_inc (&pending);
  g_thread_pool_push (aside ? self->aside : self->workers, item, NULL);
}

/**
 * _bnd_server_run:
 * @msg: (nullable): the request the work answers
 * @work: what uses the database; it may read @msg's request and set its answer (status, headers,
 *   body), and nothing else of libsoup's
 * @then: (nullable): what comes after, on the main context
 * @destroy: (nullable): frees @data after both
 *
 * Runs @work and then @then: in place on SQLite; on PostgreSQL @work on a worker thread, with
 * @msg paused until it is over.
 */
void
_bnd_server_run (BndServer         *self,
                 SoupServerMessage *msg,
                 BndServerWork      work,
                 BndServerWork      then,
                 gpointer           data,
                 GDestroyNotify     destroy)
{
  run (self, msg, work, then, data, destroy, FALSE);
}

/**
 * _bnd_server_run_aside:
 *
 * As _bnd_server_run(), for a work that must not wait behind the alliance's requests, however
 * many of them wait for the database: the health check, which tells a load balancer whether the
 * database answers, not whether a lock is held. It runs on a thread of its own, with a
 * connection of its own; such works take their turns.
 */
void
_bnd_server_run_aside (BndServer         *self,
                       SoupServerMessage *msg,
                       BndServerWork      work,
                       BndServerWork      then,
                       gpointer           data,
                       GDestroyNotify     destroy)
{
  run (self, msg, work, then, data, destroy, TRUE);
}

/**
 * _bnd_server_then:
 * @then: what only the main context may do: start a sign-in check, a PDF check, a timer
 * @destroy: (nullable): frees @data after it
 *
 * Within a work of _bnd_server_run() on a worker thread, has @then run on the main context once
 * the work is over, with the work's message; anywhere else, runs it now. A work leaves one such
 * thing at most.
 */
void
_bnd_server_then (BndServer         *self,
                  SoupServerMessage *msg,
                  BndServerWork      then,
                  gpointer           data,
                  GDestroyNotify     destroy)
{
  Work *work = g_private_get (&current_work);

  if (work == NULL)
    {
      then (self, msg, data);
      if (destroy != NULL)
        destroy (data);
      return;
    }
  g_return_if_fail (work->later == NULL && work->self == self && work->msg == msg);
  work->later = then;
  work->later_data = data;
  work->later_destroy = destroy;
}

/**
 * _bnd_server_resume:
 *
 * The @then of a work for a message its caller had paused (a sign-in or an upload that waited
 * for a check): it goes on, on SQLite too.
 */
void
_bnd_server_resume (BndServer         *self,
                    SoupServerMessage *msg,
                    gpointer           data)
{
  soup_server_message_unpause (msg);
}

/**
 * _bnd_server_db:
 *
 * Returns: (transfer none): the connection to use here: in a work of _bnd_server_run() on a
 *   worker thread, the work's own; elsewhere the server's
 */
BndServerDb *
_bnd_server_db (BndServer *self)
{
  Work *work = g_private_get (&current_work);

  if (work == NULL)
    return self->db;
  /* A work is one alliance's: its server is the one it asks. */
  g_return_val_if_fail (work->self == self, self->db);
  if (work->aside)
    {
      /* Only the aside thread uses it. */
      if (self->aside_db == NULL)
        self->aside_db = bnd_server_db_open_sibling (self->db);
      return self->aside_db;
    }
  if (work->db == NULL)
    work->db = take_db (self, work);
  return work->db;
}

/**
 * _bnd_server_workers_start:
 *
 * Gives @self a pool of connections when its database is PostgreSQL's: from now on its requests'
 * database work runs on the worker threads.
 */
void
_bnd_server_workers_start (BndServer *self)
{
  if (self->idle_dbs != NULL || !bnd_server_db_is_remote (self->db))
    return;
  self->idle_dbs = g_async_queue_new_full ((GDestroyNotify)bnd_server_db_free);
  self->workers = g_thread_pool_new (run_work, NULL, WORKERS, FALSE, NULL);
  self->aside = g_thread_pool_new (run_work, NULL, 1, FALSE, NULL);
}

/**
 * _bnd_server_workers_stop:
 *
 * Closes @self's pool. No work of it runs any longer: each holds @self.
 */
void
_bnd_server_workers_stop (BndServer *self)
{
  if (self->workers != NULL)
    g_thread_pool_free (g_steal_pointer (&self->workers), FALSE, TRUE);
  if (self->aside != NULL)
    g_thread_pool_free (g_steal_pointer (&self->aside), FALSE, TRUE);
  g_clear_pointer (&self->idle_dbs, g_async_queue_unref);
  g_clear_pointer (&self->aside_db, bnd_server_db_free);
}

/**
 * bnd_server_finish_works:
 *
 * At the end of serve: waits until every work pushed has ended and its answer has been set,
 * serving the main context meanwhile.
 */
void
bnd_server_finish_works (void)
{
  while (g_atomic_int_get (&pending) > 0)
    g_main_context_iteration (NULL, TRUE);
  /* What the last ones left: their messages' unpausing, the writing of their answers. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}
