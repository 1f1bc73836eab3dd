/* bench-profile.c: a large profile, as a synced laptop of the coordination has it, and what the
 * app does with it where a person waits. For tests/bench/run.sh:
 *   bench-profile make DIR N_SKETCHES N_DOSSIERS   a profile: sketches (text as in bench-fts),
 *       the first N_DOSSIERS of them submitted (in the stages past the draft, as the sync leaves
 *       them) with the cached portfolio and dossiers a sync fetches
 *   bench-profile list DIR        the Sketches view: from a filter typed to the list painted
 *   bench-profile portfolio DIR   the portfolio: read from the cache (on the store's worker, as
 *       the Dossiers view does), built, then painted
 * list and portfolio need a display (Xvfb) and print "NAME MS" lines, medians of REPEATS.
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <stdio.h>
#include <stdlib.h>

#include "bnd-dossier-cache.h"
#include "bnd-portfolio-page.h"
#include "bnd-review-data.h"
#include "bnd-resources.h"
#include "bnd-sketches-page.h"
#include "bnd-stage.h"
#include "bnd-store.h"
#include "bnd-strategy.h"

#define REPEATS 7
#define LIST_REPEATS 3

/* As in bench-fts.c: German project texts are made of compounds, any one word in a small share
 * of the sketches. */
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

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static void
die (const GError *error)
{
  g_printerr ("%s\n", error->message);
  exit (1);
}

static void
put_json (BndStore   *store,
          const char *path,
          JsonNode   *node)
{
  char *text = json_to_string (node, FALSE);
  g_autoptr(GBytes) body = g_bytes_new_take (text, strlen (text));
  g_autoptr(GError) error = NULL;

  if (!bnd_store_cache_put (store, path, body, &error))
    die (error);
}

static int
make_profile (const char *directory,
              guint       n_sketches,
              guint       n_dossiers)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BndStrategy) strategy = bnd_strategy_new_default (&error);
  g_autoptr(BndStore) store = NULL;
  g_autoptr(JsonBuilder) dossiers = json_builder_new ();
  g_autoptr(GHashTable) by_stage = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) coverage = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  double requested_sum = 0, approved_sum = 0, by_fo[4][3] = { { 0 } };
  GPtrArray *districts, *goals;
  guint n_stages = 0;
  GRand *rand = g_rand_new_with_seed (4711);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 start = g_get_monotonic_time ();

  if (strategy == NULL || !(store = bnd_store_new (directory, &error)))
    die (error);
  districts = bnd_strategy_get_districts (strategy);
  goals = bnd_strategy_get_goals (strategy);
  while (bnd_stage_get_nth (n_stages + 1))
    n_stages++;

  json_builder_begin_array (dossiers);
  /* Pages of 500 in one transaction each, as the sync applies them */
  for (guint i = 0; i < n_sketches; i++)
    {
      g_autoptr(BndSketch) sketch = bnd_sketch_new ();
      g_autoptr(GString) text = g_string_new (NULL);
      const BndDistrict *district = g_ptr_array_index (districts, g_rand_int_range (rand, 0, districts->len));
      const BndGoal *goal = g_ptr_array_index (goals, g_rand_int_range (rand, 0, goals->len));
      g_autofree char *title = g_strdup_printf ("Projekt %u %s", i, district->short_name);
      int funding_object = g_rand_int_range (rand, 1, 4);
      BndSyncState state = { 0 };
      g_autofree char *data = NULL;

      if (i % 500 == 0 && !bnd_store_begin_batch (store, &error))
        die (error);
      for (guint w = 0; w < 40; w++)
        g_string_append_printf (text, "%s%s und die Region bei der Umsetzung mit den Partnern ",
                                heads[g_rand_int_range (rand, 0, G_N_ELEMENTS (heads))],
                                tails[g_rand_int_range (rand, 0, G_N_ELEMENTS (tails))]);
      bnd_sketch_set_title (sketch, title);
      bnd_sketch_set_section (sketch, "need", text->str);
      bnd_sketch_set_funding_object (sketch, funding_object);
      if (i < n_dossiers)
        {
          const char *stage = bnd_stage_get_nth (1 + i % n_stages);
          g_autofree char *key = g_strdup_printf ("%s\n%s", goal->id, district->id);
          g_autoptr(JsonBuilder) dossier = json_builder_new ();
          g_autoptr(JsonNode) node = NULL;
          g_autofree char *path = bnd_dossier_cache_path (bnd_sketch_get_uuid (sketch), "");
          double requested = 50000 + g_rand_int_range (rand, 0, 400) * 1000;
          double approved = g_str_equal (stage, "approved") ? requested : 0;

          bnd_sketch_set_stage (sketch, stage);
          g_hash_table_insert (by_stage, (gpointer)stage,
                               GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (by_stage, stage)) + 1));
          g_hash_table_insert (coverage, g_steal_pointer (&key),
                               GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (coverage, key)) + 1));
          requested_sum += requested;
          approved_sum += approved;
          by_fo[funding_object][0]++;
          by_fo[funding_object][1] += requested;
          by_fo[funding_object][2] += approved;

          json_builder_begin_object (dossiers);
          json_builder_set_member_name (dossiers, "uuid");
          json_builder_add_string_value (dossiers, bnd_sketch_get_uuid (sketch));
          json_builder_set_member_name (dossiers, "title");
          json_builder_add_string_value (dossiers, title);
          json_builder_set_member_name (dossiers, "org");
          json_builder_add_string_value (dossiers, "lk-uelzen");
          json_builder_set_member_name (dossiers, "stage");
          json_builder_add_string_value (dossiers, stage);
          json_builder_set_member_name (dossiers, "funding_object");
          json_builder_add_int_value (dossiers, funding_object);
          json_builder_set_member_name (dossiers, "requested");
          json_builder_add_double_value (dossiers, requested);
          json_builder_set_member_name (dossiers, "approved");
          json_builder_add_double_value (dossiers, approved);
          json_builder_end_object (dossiers);

          /* The dossier as a sync caches it: its procedure, with the statement clock running */
          json_builder_begin_object (dossier);
          json_builder_set_member_name (dossier, "uuid");
          json_builder_add_string_value (dossier, bnd_sketch_get_uuid (sketch));
          json_builder_set_member_name (dossier, "procedure");
          json_builder_begin_object (dossier);
          json_builder_set_member_name (dossier, "stage");
          json_builder_add_string_value (dossier, stage);
          json_builder_set_member_name (dossier, "long_form_received");
          json_builder_add_int_value (dossier, now - g_rand_int_range (rand, 0, 30) * 24 * 3600);
          json_builder_end_object (dossier);
          json_builder_end_object (dossier);
          node = json_builder_get_root (dossier);
          put_json (store, path, node);
        }

      /* Synced: the server's revision is the local one, nothing to push */
      data = bnd_sketch_to_data (sketch, NULL);
      state.uuid = (char *)bnd_sketch_get_uuid (sketch);
      state.base_revision = 1;
      state.base_data = data;
      if (!bnd_store_apply_sync (store, sketch, &state, &error))
        die (error);
      if ((i % 500 == 499 || i == n_sketches - 1) && !bnd_store_end_batch (store, &error))
        die (error);
    }
  json_builder_end_array (dossiers);

  /* The portfolio as GET /portfolio answers it */
  {
    g_autoptr(JsonBuilder) portfolio = json_builder_new ();
    g_autoptr(JsonNode) root = NULL;
    g_autoptr(JsonNode) list = json_builder_get_root (dossiers);
    const char *stage;

    json_builder_begin_object (portfolio);
    json_builder_set_member_name (portfolio, "by_stage");
    json_builder_begin_object (portfolio);
    for (guint s = 1; (stage = bnd_stage_get_nth (s)); s++)
      {
        json_builder_set_member_name (portfolio, stage);
        json_builder_add_int_value (portfolio, GPOINTER_TO_UINT (g_hash_table_lookup (by_stage, stage)));
      }
    json_builder_end_object (portfolio);
    json_builder_set_member_name (portfolio, "coverage");
    json_builder_begin_object (portfolio);
    for (guint g = 0; g < goals->len; g++)
      {
        const BndGoal *goal = g_ptr_array_index (goals, g);

        json_builder_set_member_name (portfolio, goal->id);
        json_builder_begin_object (portfolio);
        for (guint d = 0; d < districts->len; d++)
          {
            const BndDistrict *district = g_ptr_array_index (districts, d);
            g_autofree char *key = g_strdup_printf ("%s\n%s", goal->id, district->id);

            json_builder_set_member_name (portfolio, district->id);
            json_builder_add_int_value (portfolio, GPOINTER_TO_UINT (g_hash_table_lookup (coverage, key)));
          }
        json_builder_end_object (portfolio);
      }
    json_builder_end_object (portfolio);
    json_builder_set_member_name (portfolio, "by_funding_object");
    json_builder_begin_object (portfolio);
    for (guint f = 1; f < 4; f++)
      {
        g_autofree char *name = g_strdup_printf ("%u", f);

        json_builder_set_member_name (portfolio, name);
        json_builder_begin_object (portfolio);
        json_builder_set_member_name (portfolio, "count");
        json_builder_add_int_value (portfolio, by_fo[f][0]);
        json_builder_set_member_name (portfolio, "requested");
        json_builder_add_double_value (portfolio, by_fo[f][1]);
        json_builder_set_member_name (portfolio, "approved");
        json_builder_add_double_value (portfolio, by_fo[f][2]);
        json_builder_end_object (portfolio);
      }
    json_builder_end_object (portfolio);
    json_builder_set_member_name (portfolio, "requested");
    json_builder_add_double_value (portfolio, requested_sum);
    json_builder_set_member_name (portfolio, "approved");
    json_builder_add_double_value (portfolio, approved_sum);
    json_builder_set_member_name (portfolio, "dossiers");
    json_builder_add_value (portfolio, g_steal_pointer (&list));
    json_builder_end_object (portfolio);
    root = json_builder_get_root (portfolio);
    put_json (store, "/portfolio", root);
  }

  g_rand_free (rand);
  printf ("made a profile of %u sketches, %u dossiers in %.0f ms\n", n_sketches, n_dossiers,
          (g_get_monotonic_time () - start) / 1000.0);
  return 0;
}

/* Display benches */

static gboolean painted;

static void
on_after_paint_cb (GdkFrameClock *clock,
                   gpointer       user_data)
{
  painted = TRUE;
}

/* Iterates until the window has painted a frame after now. */
static void
wait_for_paint (GtkWidget *window)
{
  painted = FALSE;
  gtk_widget_queue_draw (window);
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
}

static GtkWidget *
window_new (GtkWidget *child)
{
  GtkWidget *window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  gtk_window_set_child (GTK_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (on_after_paint_cb), NULL);
  return window;
}

/* From the filter's text to the list showing its sketches, painted. The entry's typing delay
 * (GtkSearchEntry waits 150 ms for more keys) is set to 0: it is not the app's work. */
static double
filter_ms (GtkWidget       *window,
           BndSketchesPage *page,
           GtkEditable     *entry,
           BndStore        *store,
           const char      *text)
{
  BndStoreQuery query = { .text = text };
  g_autoptr(GPtrArray) expected = bnd_store_list (store, &query, NULL);
  GListModel *list = bnd_sketches_page_get_list (page);
  gint64 start = g_get_monotonic_time ();

  gtk_editable_set_text (entry, text);
  while (g_list_model_get_n_items (list) != expected->len)
    g_main_context_iteration (NULL, TRUE);
  wait_for_paint (window);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static GtkWidget *
find_search_entry (GtkWidget *widget)
{
  if (GTK_IS_SEARCH_ENTRY (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_search_entry (child);
      if (found)
        return found;
    }
  return NULL;
}

static int
bench_list (BndStore    *store,
            BndStrategy *strategy)
{
  /* Words in a small share of the sketches each, fewer, none; one after the other as a person
   * types them, then the whole list again */
  static const char *filters[] = { "Pflegekräfte", "Willkommenskultur Uelzen", "Netzwerkkompass", "xyzzy" };
  BndSketchesPage *page = g_object_new (BND_TYPE_SKETCHES_PAGE, NULL);
  GtkWidget *window = window_new (GTK_WIDGET (page));
  GtkEditable *entry = GTK_EDITABLE (find_search_entry (GTK_WIDGET (page)));
  double filter[LIST_REPEATS * G_N_ELEMENTS (filters)];
  guint n = 0;
  double first, clear;
  gint64 start;

  gtk_search_entry_set_search_delay (GTK_SEARCH_ENTRY (entry), 0);
  wait_for_paint (window);
  /* The view opens with the first filter typed already, then the others one after the other;
   * the whole list last, as it may take long (run.sh stops it) */
  gtk_editable_set_text (entry, filters[0]);
  start = g_get_monotonic_time ();
  bnd_sketches_page_set_context (page, store, strategy);
  filter_ms (window, page, entry, store, filters[0]);
  first = (g_get_monotonic_time () - start) / 1000.0;
  printf ("list-first %.1f\n", first);
  fflush (stdout);

  for (guint r = 0; r < LIST_REPEATS; r++)
    for (guint i = 0; i < G_N_ELEMENTS (filters); i++, n++)
      {
        filter[n] = filter_ms (window, page, entry, store, filters[(i + 1) % G_N_ELEMENTS (filters)]);
        g_printerr ("  \"%s\": %.1f ms\n", filters[(i + 1) % G_N_ELEMENTS (filters)], filter[n]);
      }
  printf ("list-filter %.1f\n", median (filter, n));
  fflush (stdout);
  clear = filter_ms (window, page, entry, store, "");
  printf ("list-clear %.1f\n", clear);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

static void
on_read_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(BndReviewData **)user_data = bnd_review_data_read_finish (BND_STORE (object), result, NULL);
}

static int
bench_portfolio (BndStore    *store,
                 BndStrategy *strategy)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *window = window_new (box);
  double read[REPEATS], build[REPEATS], total[REPEATS];

  wait_for_paint (window);
  for (guint r = 0; r < REPEATS; r++)
    {
      GtkWidget *page = bnd_portfolio_page_new ();
      gint64 start = g_get_monotonic_time ();
      g_autoptr(BndReviewData) data = NULL;

      /* As the Dossiers view does it: read on the store's worker, then built */
      gtk_widget_set_vexpand (page, TRUE);
      bnd_review_data_read_async (store, NULL, on_read_cb, &data);
      while (data == NULL)
        g_main_context_iteration (NULL, TRUE);
      read[r] = (g_get_monotonic_time () - start) / 1000.0;
      if (!bnd_portfolio_page_reload (BND_PORTFOLIO_PAGE (page), data, strategy))
        {
          g_printerr ("no portfolio in the profile\n");
          return 1;
        }
      build[r] = (g_get_monotonic_time () - start) / 1000.0;
      gtk_box_append (GTK_BOX (box), page);
      wait_for_paint (window);
      total[r] = (g_get_monotonic_time () - start) / 1000.0;
      gtk_box_remove (GTK_BOX (box), page);
    }
  printf ("portfolio-read %.1f\n", median (read, REPEATS));
  printf ("portfolio-build %.1f\n", median (build, REPEATS));
  printf ("portfolio-total %.1f\n", median (total, REPEATS));
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BndStrategy) strategy = NULL;
  g_autoptr(BndStore) store = NULL;

  if (argc == 5 && g_str_equal (argv[1], "make"))
    return make_profile (argv[2], atoi (argv[3]), atoi (argv[4]));
  if (argc != 3)
    {
      g_printerr ("usage: bench-profile make DIR N_SKETCHES N_DOSSIERS | list DIR | portfolio DIR\n");
      return 2;
    }

  gtk_init ();
  adw_init ();
  bnd_register_resource ();
  if (!(strategy = bnd_strategy_new_default (&error)) || !(store = bnd_store_new (argv[2], &error)))
    die (error);
  if (g_str_equal (argv[1], "list"))
    return bench_list (store, strategy);
  if (g_str_equal (argv[1], "portfolio"))
    return bench_portfolio (store, strategy);
  return 2;
}
