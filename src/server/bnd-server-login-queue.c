/* bnd-server-login-queue.c: the fair queue of password checks
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-login-queue"

#include "config.h"

#include "bnd-server-login-queue.h"

/* A password check costs a core and 64 MiB for a moment (Argon2id), so only a few run at once;
 * the others wait here, in memory (each server process has its own). Refusing at a fixed cap
 * would let a flood of wrong sign-ins take every place and turn real users away, so:
 *
 * - the waiting attempts are sorted into classes (BndLoginClass, decided by the throttle from
 *   what the database knows), and every attempt of a better class runs before any of a worse
 *   one: a flood from addresses that keep failing waits behind everyone who has not failed;
 * - within a class the addresses take turns, one attempt each, so that many attempts from one
 *   address do not crowd out a single one from another;
 * - an address has at most max_per_address attempts waiting or running; beyond that it alone is
 *   refused;
 * - only one attempt per address is in the best class at a time: an address that has not failed
 *   yet is trusted with one attempt, not with a burst;
 * - when max_waiting attempts wait, a new one pushes out the newest attempt of the address with
 *   the most waiting in a worse class, or is refused if there is none.
 *
 * Nothing here knows about HTTP: the start and refuse callbacks do the rest. */

typedef struct
{
  char          *address;
  BndLoginClass  klass;
  GQueue         items;     /* oldest first */
} Lane;

struct _BndLoginQueue
{
  guint              max_running;
  guint              max_waiting;
  guint              max_per_address;
  guint              running;
  guint              waiting;
  guint64            started;
  GHashTable        *counts;                       /* address → waiting and running */
  GHashTable        *lanes[BND_N_LOGIN_CLASSES];   /* address → Lane */
  GQueue             turns[BND_N_LOGIN_CLASSES];   /* Lane, whose turn is next first */
  GHashTable        *where;                        /* item → Lane, while it waits */
  BndLoginQueueFunc  start;
  BndLoginQueueFunc  refuse;
  gpointer           user_data;
};

static void
lane_free (Lane *lane)
{
  g_queue_clear (&lane->items);
  g_free (lane->address);
  g_free (lane);
}

static void
add_count (BndLoginQueue *self,
           const char    *address,
           int            delta)
{
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->counts, address)) + delta;

  if (count == 0)
    g_hash_table_remove (self->counts, address);
  else
    g_hash_table_insert (self->counts, g_strdup (address), GUINT_TO_POINTER (count));
}

/* Takes @item out of @lane, and the lane out of its class when it is empty. */
static void
take_out (BndLoginQueue *self,
          Lane          *lane,
          gpointer       item,
          gboolean       newest)
{
  g_autofree char *address = g_strdup (lane->address);

  if (newest)
    g_queue_pop_tail (&lane->items);
  else
    g_queue_remove (&lane->items, item);
  g_hash_table_remove (self->where, item);
  if (g_queue_is_empty (&lane->items))
    {
      g_queue_remove (&self->turns[lane->klass], lane);
      g_hash_table_remove (self->lanes[lane->klass], lane->address);
    }
  self->waiting--;
  add_count (self, address, -1);
}

/* Starts the next attempts while cores are free: the best class first, its addresses in turn. */
static void
pump (BndLoginQueue *self)
{
  while (self->running < self->max_running && self->waiting > 0)
    {
      BndLoginClass klass = 0;
      Lane *lane;
      gpointer item;

      while (g_queue_is_empty (&self->turns[klass]))
        klass++;
      lane = g_queue_pop_head (&self->turns[klass]);
      item = g_queue_pop_head (&lane->items);
      g_hash_table_remove (self->where, item);
      if (g_queue_is_empty (&lane->items))
        g_hash_table_remove (self->lanes[klass], lane->address);
      else
        g_queue_push_tail (&self->turns[klass], lane);
      self->waiting--;
      self->running++;
      self->start (item, self->user_data);
      self->started++;
    }
}

/* Pushes out the newest attempt of the address with the most waiting in the worst class that
 * is worse than @klass. */
static gboolean
push_out_worse (BndLoginQueue *self,
                BndLoginClass  klass)
{
  for (int worse = BND_N_LOGIN_CLASSES - 1; worse > (int)klass; worse--)
    {
      Lane *fullest = NULL;
      gpointer item;

      for (GList *l = self->turns[worse].head; l; l = l->next)
        {
          Lane *lane = l->data;

          if (fullest == NULL || g_queue_get_length (&lane->items) > g_queue_get_length (&fullest->items))
            fullest = lane;
        }
      if (fullest == NULL)
        continue;
      item = g_queue_peek_tail (&fullest->items);
      take_out (self, fullest, item, TRUE);
      self->refuse (item, self->user_data);
      return TRUE;
    }
  return FALSE;
}

/**
 * bnd_login_queue_new:
 * @max_running: how many checks run at once
 * @max_waiting: how many attempts wait, from all addresses
 * @max_per_address: how many attempts of one address wait or run
 * @start: called with each attempt when its check is to begin; call bnd_login_queue_finish()
 *   when it has ended
 * @refuse: called with an attempt that a better one pushed out of the full queue
 */
BndLoginQueue *
bnd_login_queue_new (guint              max_running,
                     guint              max_waiting,
                     guint              max_per_address,
                     BndLoginQueueFunc  start,
                     BndLoginQueueFunc  refuse,
                     gpointer           user_data)
{
  BndLoginQueue *self = g_new0 (BndLoginQueue, 1);

  self->max_running = MAX (max_running, 1);
  self->max_waiting = max_waiting;
  self->max_per_address = MAX (max_per_address, 1);
  self->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < BND_N_LOGIN_CLASSES; i++)
    {
      self->lanes[i] = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)lane_free);
      g_queue_init (&self->turns[i]);
    }
  self->where = g_hash_table_new (NULL, NULL);
  self->start = start;
  self->refuse = refuse;
  self->user_data = user_data;
  return self;
}

/* Only for an empty queue: the items are the caller's. */
void
bnd_login_queue_free (BndLoginQueue *self)
{
  if (self == NULL)
    return;
  g_warn_if_fail (self->waiting == 0);
  for (guint i = 0; i < BND_N_LOGIN_CLASSES; i++)
    {
      g_queue_clear (&self->turns[i]);
      g_hash_table_unref (self->lanes[i]);
    }
  g_hash_table_unref (self->where);
  g_hash_table_unref (self->counts);
  g_free (self);
}

/* How many attempts of @address wait or run. */
guint
bnd_login_queue_count (BndLoginQueue *self,
                       const char    *address)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->counts, address));
}

/* How many checks have started so far; inside @start, not counting the one it starts. */
guint64
bnd_login_queue_get_started (BndLoginQueue *self)
{
  return self->started;
}

/**
 * bnd_login_queue_push:
 *
 * Queues @item, and starts it at once when a core is free (@start may be called before this
 * returns).
 *
 * Returns: %FALSE when @item was refused: its address has as many attempts as it may, or the
 *   queue is full of attempts no worse than it
 */
gboolean
bnd_login_queue_push (BndLoginQueue *self,
                      const char    *address,
                      BndLoginClass  klass,
                      gpointer       item)
{
  guint count = bnd_login_queue_count (self, address);
  Lane *lane;

  g_return_val_if_fail (klass < BND_N_LOGIN_CLASSES, FALSE);
  g_return_val_if_fail (!g_hash_table_contains (self->where, item), FALSE);

  if (count >= self->max_per_address)
    return FALSE;
  if (klass == BND_LOGIN_CLASS_CLEAN && count > 0)
    klass = BND_LOGIN_CLASS_FAILED;
  if (self->waiting >= self->max_waiting && !push_out_worse (self, klass))
    return FALSE;

  if (!(lane = g_hash_table_lookup (self->lanes[klass], address)))
    {
      lane = g_new0 (Lane, 1);
      lane->address = g_strdup (address);
      lane->klass = klass;
      g_queue_init (&lane->items);
      g_hash_table_insert (self->lanes[klass], lane->address, lane);
      g_queue_push_tail (&self->turns[klass], lane);
    }
  g_queue_push_tail (&lane->items, item);
  g_hash_table_insert (self->where, item, lane);
  self->waiting++;
  add_count (self, address, 1);
  pump (self);
  return TRUE;
}

/**
 * bnd_login_queue_remove:
 *
 * Takes a waiting @item out of the queue, when its client has gone.
 *
 * Returns: %FALSE when @item was not waiting (its check runs, or it was never queued)
 */
gboolean
bnd_login_queue_remove (BndLoginQueue *self,
                        gpointer       item)
{
  Lane *lane = g_hash_table_lookup (self->where, item);

  if (lane == NULL)
    return FALSE;
  take_out (self, lane, item, FALSE);
  return TRUE;
}

/* A check that @start began has ended: the next one may run. */
void
bnd_login_queue_finish (BndLoginQueue *self,
                        const char    *address)
{
  g_return_if_fail (self->running > 0);

  self->running--;
  add_count (self, address, -1);
  pump (self);
}
