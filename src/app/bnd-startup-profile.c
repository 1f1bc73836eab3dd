/* bnd-startup-profile.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Where the start-up time goes, for tests/bench/run.sh: with BND_BENCH_FIRST_FRAME set, named
 * phases (strategy pack, store, each view, keyring, ...) are collected and printed as
 * "phase NAME at START ms took N ms" lines, those before the first frame when it is painted and
 * those after it when the app quits. Without the variable every call is a cheap no-op, so the
 * hooks can stay in the code. */

#define G_LOG_DOMAIN "bnd-startup-profile"

#include "config.h"

#include "bnd-startup-profile.h"

typedef struct
{
  char   *name;
  gint64  begin;  /* monotonic µs */
  gint64  end;
} Phase;

static gint64 start_time;
static gboolean enabled;
static GArray *phases;      /* of Phase, in the order they ended */
static guint n_printed;

static void
clear_phase (gpointer data)
{
  g_free (((Phase *)data)->name);
}

/**
 * bnd_startup_profile_init:
 *
 * Call first thing in main(): the times are measured from here.
 */
void
bnd_startup_profile_init (void)
{
  start_time = g_get_monotonic_time ();
  enabled = g_getenv ("BND_BENCH_FIRST_FRAME") != NULL;
  if (enabled && phases == NULL)
    {
      phases = g_array_new (FALSE, TRUE, sizeof (Phase));
      g_array_set_clear_func (phases, clear_phase);
    }
}

gboolean
bnd_startup_profile_enabled (void)
{
  return enabled;
}

/**
 * bnd_startup_profile_begin:
 *
 * Returns: the time to hand to bnd_startup_profile_end(), 0 when not profiling
 */
gint64
bnd_startup_profile_begin (void)
{
  return enabled ? g_get_monotonic_time () : 0;
}

void
bnd_startup_profile_end (const char *phase,
                         gint64      begin)
{
  Phase entry;

  if (!enabled)
    return;
  entry.name = g_strdup (phase);
  entry.begin = begin;
  entry.end = g_get_monotonic_time ();
  g_array_append_val (phases, entry);
}

/* A phase timed elsewhere, e.g. on another thread (call this from the main thread). */
void
bnd_startup_profile_add (const char *phase,
                         gint64      begin,
                         gint64      end)
{
  Phase entry;

  if (!enabled)
    return;
  entry.name = g_strdup (phase);
  entry.begin = begin;
  entry.end = end;
  g_array_append_val (phases, entry);
}

/* A moment rather than a span: "window mapped", "first sync started". */
void
bnd_startup_profile_mark (const char *event)
{
  if (enabled)
    bnd_startup_profile_end (event, g_get_monotonic_time ());
}

/* Milliseconds since bnd_startup_profile_init(). */
double
bnd_startup_profile_elapsed (void)
{
  return (g_get_monotonic_time () - start_time) / 1000.0;
}

/**
 * bnd_startup_profile_print:
 *
 * Prints the phases that ended since the last call, in the order they began.
 */
void
bnd_startup_profile_print (void)
{
  g_autoptr(GPtrArray) fresh = g_ptr_array_new ();

  if (!enabled)
    return;
  for (guint i = n_printed; i < phases->len; i++)
    g_ptr_array_add (fresh, &g_array_index (phases, Phase, i));
  n_printed = phases->len;

  /* Stable for equal starts: an enclosing phase ends later, so it stays after the phases it holds */
  for (guint i = 1; i < fresh->len; i++)
    for (guint j = i; j > 0 && ((Phase *)fresh->pdata[j - 1])->begin > ((Phase *)fresh->pdata[j])->begin; j--)
      {
        gpointer swap = fresh->pdata[j];
        fresh->pdata[j] = fresh->pdata[j - 1];
        fresh->pdata[j - 1] = swap;
      }

  for (guint i = 0; i < fresh->len; i++)
    {
      Phase *phase = fresh->pdata[i];

      g_print ("phase %-28s at %7.1f ms took %6.1f ms\n", phase->name,
               (phase->begin - start_time) / 1000.0, (phase->end - phase->begin) / 1000.0);
    }
}
