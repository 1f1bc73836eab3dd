/* test-window.c: the real window, driven through its actions under Xvfb
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "bnd-goals-page.h"
#include "bnd-region-page.h"
#include "bnd-resources.h"
#include "bnd-review-page.h"
#include "bnd-window.h"

typedef struct
{
  BndWindow   *window;
  BndStrategy *strategy;
} Fixture;

static void
iterate (void)
{
  /* Let the window lay out and draw what the last step changed. */
  for (guint i = 0; i < 5; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->strategy = bnd_strategy_new_default (&error);
  g_assert_no_error (error);

  fixture->window = g_object_ref_sink (bnd_window_new (NULL));
  bnd_window_set_strategy (fixture->window, fixture->strategy);
  gtk_window_present (GTK_WINDOW (fixture->window));
  iterate ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
  g_clear_object (&fixture->strategy);
  iterate ();
}

static void
activate (Fixture    *fixture,
          const char *action,
          const char *target)
{
  gboolean found;

  if (target != NULL)
    found = gtk_widget_activate_action (GTK_WIDGET (fixture->window), action, "s", target);
  else
    found = gtk_widget_activate_action (GTK_WIDGET (fixture->window), action, NULL);
  g_assert_true (found);
  iterate ();
}

/* Whether a label under @widget shows exactly @text, as the user would see it. */
static gboolean
shows_label (GtkWidget  *widget,
             const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (shows_label (child, text))
      return TRUE;
  return FALSE;
}

static void
test_every_view (Fixture       *fixture,
                 gconstpointer  data)
{
  static const char *views[] = { "overview", "goals", "fields", "region", "procedure" };
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      g_autofree char *remembered = NULL;

      activate (fixture, "win.show-view", views[i]);
      g_assert_cmpstr (bnd_window_get_visible_view (fixture->window), ==, views[i]);
      g_assert_true (gtk_widget_get_mapped (bnd_window_get_view (fixture->window, views[i])));
      remembered = g_settings_get_string (settings, "last-view");
      /* The last view is remembered for the next start. */
      g_assert_cmpstr (remembered, ==, views[i]);
    }

  activate (fixture, "win.show-view", "overview");
  g_assert_true (shows_label (GTK_WIDGET (fixture->window), "Allianz für Fachkräfte Nordostniedersachsen"));
  activate (fixture, "win.show-view", "procedure");
  g_assert_true (shows_label (GTK_WIDGET (fixture->window), "Beratungsgespräch"));
}

static void
test_goal_page (Fixture       *fixture,
                gconstpointer  data)
{
  BndGoalsPage *goals = BND_GOALS_PAGE (bnd_window_get_view (fixture->window, "goals"));

  activate (fixture, "win.show-view", "goals");
  g_assert_null (bnd_goals_page_get_shown_goal (goals));
  g_assert_true (shows_label (GTK_WIDGET (goals), "Strategic Goals"));

  activate (fixture, "win.show-goal", "3.3");
  g_assert_cmpstr (bnd_window_get_visible_view (fixture->window), ==, "goals");
  g_assert_cmpstr (bnd_goals_page_get_shown_goal (goals), ==, "3.3");
  g_assert_true (shows_label (GTK_WIDGET (goals), "Alle Fachkräftepotenziale nutzen"));
  g_assert_true (shows_label (GTK_WIDGET (goals), "Aktivierung und Mobilisierung unterschiedlicher Zielgruppen"));
  g_assert_true (shows_label (GTK_WIDGET (goals), "Qualifizierung von Menschen mit Fluchthintergrund für den regionalen Arbeitsmarkt"));
  g_assert_true (shows_label (GTK_WIDGET (goals), "Care transforms Work"));

  /* From the goal page to the focus topic that serves it */
  activate (fixture, "win.show-topic", "3");
  g_assert_cmpstr (bnd_window_get_visible_view (fixture->window), ==, "fields");

  activate (fixture, "win.show-view", "goals");
  gtk_widget_activate_action (GTK_WIDGET (goals), "goals.back", NULL);
  iterate ();
  g_assert_null (bnd_goals_page_get_shown_goal (goals));
}

#define BAR_HINT "Click a bar, or move to it with the arrow keys, to choose the figure to insert"

static void
test_region_chart (Fixture       *fixture,
                   gconstpointer  data)
{
  BndRegionPage *region = BND_REGION_PAGE (bnd_window_get_view (fixture->window, "region"));
  BndBarChart *groups = bnd_region_page_get_groups_chart (region);
  BndBarChart *districts = bnd_region_page_get_districts_chart (region);
  guint category, series;

  activate (fixture, "win.show-view", "region");

  /* The whole region: 195 → 282 days, 144 in Niedersachsen, 148 nationwide */
  bnd_region_page_set_area (region, "region");
  iterate ();
  g_assert_cmpuint (bnd_bar_chart_get_n_categories (groups), ==, 3);
  g_assert_cmpfloat (bnd_bar_chart_get_value (groups, 0, 0), ==, 195);
  g_assert_cmpfloat (bnd_bar_chart_get_value (groups, 0, 1), ==, 282);
  g_assert_cmpfloat (bnd_bar_chart_get_value (groups, 1, 1), ==, 144);
  g_assert_cmpfloat (bnd_bar_chart_get_value (groups, 2, 1), ==, 148);
  g_assert_true (isnan (bnd_bar_chart_get_value (groups, 1, 0)));
  /* Until a bar is chosen, the page says how to choose the figure to insert */
  g_assert_true (shows_label (GTK_WIDGET (region), BAR_HINT));

  /* Pick Celle as a user would, in the drop-down */
  bnd_region_page_set_area (region, "celle");
  iterate ();
  g_assert_cmpstr (bnd_region_page_get_area (region), ==, "celle");
  g_assert_cmpuint (bnd_bar_chart_get_n_series (groups), ==, 2);
  g_assert_cmpuint (bnd_bar_chart_get_n_categories (groups), ==, 10);
  g_assert_cmpstr (bnd_bar_chart_get_category_label (groups, 0), ==, "Insgesamt");
  g_assert_cmpfloat (bnd_bar_chart_get_value (groups, 0, 0), ==, 266);
  g_assert_cmpfloat (bnd_bar_chart_get_value (groups, 0, 1), ==, 321);
  g_assert_cmpfloat (bnd_bar_chart_get_value (groups, 5, 0), ==, 788);
  /* 32 Hoch- und Tiefbauberufe: "x" in both years is missing, not 0 */
  g_assert_true (isnan (bnd_bar_chart_get_value (groups, 3, 0)));
  g_assert_true (isnan (bnd_bar_chart_get_value (groups, 3, 1)));

  /* Celle among the six Landkreise, all occupations */
  g_assert_cmpuint (bnd_bar_chart_get_n_categories (districts), ==, 6);
  g_assert_cmpstr (bnd_bar_chart_get_category_label (districts, 0), ==, "Celle");
  g_assert_cmpfloat (bnd_bar_chart_get_value (districts, 5, 1), ==, 176);

  /* Selecting a bar tells its value */
  bnd_bar_chart_select (groups, 1, 1);
  g_assert_cmpstr (bnd_bar_chart_get_selection_text (groups), ==,
                   "Maschinen- und Fahrzeugtechnikberufe, 2023: 374 days");
  /* The strategy's unit in the interface language */
  g_assert_true (shows_label (GTK_WIDGET (region), "Maschinen- und Fahrzeugtechnikberufe, 2023: 374 days"));
  g_assert_false (shows_label (GTK_WIDGET (region), BAR_HINT));
  bnd_bar_chart_select (groups, 3, 0);
  g_assert_cmpstr (bnd_bar_chart_get_selection_text (groups), ==,
                   "Hoch- und Tiefbauberufe, 2020: no data");

  /* Every figure shows its source */
  g_assert_true (gtk_list_box_get_row_at_index (bnd_region_page_get_indicator_list (region), 0) != NULL);

  /* An indicator opens its Landkreis with its bar selected */
  activate (fixture, "win.show-indicator", "vakanz-51-heidekreis-2023");
  g_assert_cmpstr (bnd_region_page_get_area (region), ==, "heidekreis");
  g_assert_true (bnd_bar_chart_get_selected (groups, &category, &series));
  g_assert_cmpuint (category, ==, 5);
  g_assert_cmpuint (series, ==, 1);
  g_assert_cmpfloat (bnd_bar_chart_get_value (groups, category, series), ==, 655);
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  BndGoalsPage *goals = BND_GOALS_PAGE (bnd_window_get_view (fixture->window, "goals"));
  GtkListBox *results = bnd_window_get_search_results (fixture->window);
  GtkListBoxRow *first;

  activate (fixture, "win.search", NULL);
  bnd_window_set_search_text (fixture->window, "Welcome Center");
  iterate ();
  g_assert_cmpstr (bnd_window_get_visible_view (fixture->window), ==, "search");

  first = gtk_list_box_get_row_at_index (results, 0);
  g_assert_nonnull (first);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (first)), ==,
                   "Goal 3.1: Fachkräfte gewinnen und binden");

  /* Activating a result jumps to its page and ends the search */
  g_signal_emit_by_name (first, "activate");
  iterate ();
  g_assert_cmpstr (bnd_window_get_visible_view (fixture->window), ==, "goals");
  g_assert_cmpstr (bnd_goals_page_get_shown_goal (goals), ==, "3.1");

  /* An indicator result opens the Region view */
  bnd_window_set_search_text (fixture->window, "Uelzen Verkaufsberufe 2023");
  iterate ();
  first = gtk_list_box_get_row_at_index (results, 0);
  g_assert_nonnull (first);
  g_assert_null (gtk_list_box_get_row_at_index (results, 1));
  g_signal_emit_by_name (first, "activate");
  iterate ();
  g_assert_cmpstr (bnd_window_get_visible_view (fixture->window), ==, "region");

  /* Nothing found */
  bnd_window_set_search_text (fixture->window, "xyzzyquux");
  iterate ();
  g_assert_null (gtk_list_box_get_row_at_index (results, 0));
}

static void
test_error_and_recovery (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static ("{ \"format\": 1 }", 15);
  g_autoptr(BndStrategy) broken = bnd_strategy_new_from_bytes (bytes, "broken.json", &error);

  g_assert_null (broken);
  bnd_window_show_error (fixture->window, error);
  iterate ();
  g_assert_cmpstr (bnd_window_get_visible_view (fixture->window), ==, "error");
  g_assert_true (shows_label (GTK_WIDGET (fixture->window), "broken.json: $.format: expected a string"));

  /* A parser's message as it is, also where it looks like markup */
  {
    g_autoptr(GError) unparsable = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                                        "<data>:2:0: Parse error & more");

    bnd_window_show_error (fixture->window, unparsable);
    iterate ();
    g_assert_true (shows_label (GTK_WIDGET (fixture->window), "<data>:2:0: Parse error & more"));
  }

  /* Views cannot be reached without a strategy */
  activate (fixture, "win.show-view", "goals");
  g_assert_cmpstr (bnd_window_get_visible_view (fixture->window), ==, "error");

  activate (fixture, "win.load-builtin", NULL);
  g_assert_cmpstr (bnd_window_get_visible_view (fixture->window), !=, "error");
  activate (fixture, "win.show-view", "goals");
  g_assert_cmpstr (bnd_window_get_visible_view (fixture->window), ==, "goals");
}


/* F1 and the menu's Help open the help page of what the window shows: each view's page exists
 * in help/C (a page id nobody wrote would open Yelp on "page not found"). */
static void
assert_help_page (Fixture    *fixture,
                  const char *expected)
{
  const char *page = bnd_window_get_help_page (fixture->window);
  g_autofree char *file = g_strconcat (page, ".page", NULL);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "help", "C", file, NULL);

  g_assert_cmpstr (page, ==, expected);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

static void
test_help_pages (Fixture       *fixture,
                 gconstpointer  data)
{
  static const char *views[] = { "overview", "goals", "fields", "region", "procedure", "sketches", "dossiers" };
  BndReviewPage *review;

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      activate (fixture, "win.show-view", views[i]);
      assert_help_page (fixture, views[i]);
    }

  /* Inside the Dossiers view: the portfolio and the sessions have pages of their own */
  review = BND_REVIEW_PAGE (bnd_window_get_view (fixture->window, "dossiers"));
  bnd_review_page_show_section (review, "portfolio");
  iterate ();
  assert_help_page (fixture, "portfolio");
  bnd_review_page_show_section (review, "sessions");
  iterate ();
  assert_help_page (fixture, "sessions");
  bnd_review_page_show_section (review, "tasks");
  iterate ();
  assert_help_page (fixture, "dossiers");

  bnd_window_set_search_text (fixture->window, "Pflege");
  iterate ();
  assert_help_page (fixture, "search");
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  bnd_register_resource ();

  g_test_add ("/window/every-view", Fixture, NULL, fixture_set_up, test_every_view, fixture_tear_down);
  g_test_add ("/window/goal-page", Fixture, NULL, fixture_set_up, test_goal_page, fixture_tear_down);
  g_test_add ("/window/region-chart", Fixture, NULL, fixture_set_up, test_region_chart, fixture_tear_down);
  g_test_add ("/window/search", Fixture, NULL, fixture_set_up, test_search, fixture_tear_down);
  g_test_add ("/window/help-pages", Fixture, NULL, fixture_set_up, test_help_pages, fixture_tear_down);
  g_test_add ("/window/error-and-recovery", Fixture, NULL, fixture_set_up, test_error_and_recovery, fixture_tear_down);

  return g_test_run ();
}
