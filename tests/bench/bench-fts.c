/* bench-fts.c: full-text search over 10,000 sketches in a temporary store
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "bnd-store.h"

#define N_SKETCHES 10000
#define REPEATS 30

/* Sketch text from a vocabulary of compounds, as German project texts are made of them: any one
 * word occurs in a small share of the sketches, as in real use. */
static const char *heads[] = {
  "Fachkräfte", "Pflege", "Logistik", "Ausbildungs", "Weiterbildungs", "Digital", "Willkommens", "Berufs",
  "Handwerks", "Mittelstands", "Gründungs", "Teilzeit", "Kinderbetreuungs", "Integrations", "Qualifizierungs",
  "Arbeitsmarkt", "Regional", "Unternehmens", "Netzwerk", "Standort",
};
static const char *tails[] = {
  "sicherung", "kräfte", "netzwerk", "strategie", "angebot", "beratung", "konzept", "zentrum", "bündnis",
  "programm", "initiative", "plattform", "management", "kultur", "förderung", "orientierung", "agentur",
  "messe", "werkstatt", "straße", "bedarf", "projekt", "stelle", "ausschuss", "kompass",
};
static const char *places[] = { "Heidekreis", "Lüneburg", "Uelzen", "Celle", "Harburg", "Lüchow-Dannenberg" };

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BndStore) store = NULL;
  g_autofree char *directory = g_dir_make_tmp ("bnd-bench-XXXXXX", NULL);
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", directory);
  static const char *queries[] = { "Pflegekräfte", "Willkommenskultur Uelzen", "pflegestrasse", "Netzwerkkompass", "xyzzy" };
  double times[REPEATS];
  GRand *rand = g_rand_new_with_seed (4711);
  gint64 start;

  if (!(store = bnd_store_new (directory, &error)))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_SKETCHES; i++)
    {
      g_autoptr(BndSketch) sketch = bnd_sketch_new ();
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *title = g_strdup_printf ("Projekt %u %s", i, places[g_rand_int_range (rand, 0, G_N_ELEMENTS (places))]);

      /* 40 distinct compounds among common words, about 300 words in all */
      for (guint w = 0; w < 40; w++)
        g_string_append_printf (text, "%s%s und die Region bei der Umsetzung mit den Partnern ",
                                heads[g_rand_int_range (rand, 0, G_N_ELEMENTS (heads))],
                                tails[g_rand_int_range (rand, 0, G_N_ELEMENTS (tails))]);
      bnd_sketch_set_title (sketch, title);
      bnd_sketch_set_section (sketch, "need", text->str);
      if (!bnd_store_save (store, sketch, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
    }
  printf ("stored %d sketches, one bnd_store_save each: %7.0f ms  (target <= 2000 ms)\n", N_SKETCHES,
          (g_get_monotonic_time () - start) / 1000.0);

  /* The saves queue their texts for the index (bnd-store-index.c), and the first search indexes
   * what the idle worker has not: here all of it, as the saves came without a pause. */
  {
    BndStoreQuery query = { .text = queries[0] };
    g_autoptr(GPtrArray) list = NULL;

    start = g_get_monotonic_time ();
    list = bnd_store_list (store, &query, &error);
    printf ("first search after them (indexes the %d queued): %7.0f ms\n", N_SKETCHES,
            (g_get_monotonic_time () - start) / 1000.0);
  }

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      BndStoreQuery query = { .text = queries[q] };
      guint hits = 0;

      for (guint i = 0; i < REPEATS; i++)
        {
          g_autoptr(GPtrArray) list = NULL;

          start = g_get_monotonic_time ();
          list = bnd_store_list (store, &query, &error);
          times[i] = (g_get_monotonic_time () - start) / 1000.0;
          hits = list ? list->len : 0;
        }
      qsort (times, REPEATS, sizeof (double), compare_doubles);
      printf ("fts \"%s\": %5u hits, median %7.2f ms  (target <= 10 ms)\n", queries[q], hits, times[REPEATS / 2]);
    }

  g_rand_free (rand);
  g_clear_object (&store);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  return 0;
}
