/* test-app-review.c: the Dossiers view against a real buendnis-server: a partner's seat votes,
 * rates and comments through the window, once with the server gone; the coordination takes a
 * dossier through the whole procedure with the Next Steps, each the one the procedure's rules offer
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "bnd-amount-entry.h"
#include "bnd-date-entry.h"
#include "bnd-dossier-actions.h"
#include "bnd-dossier-cache.h"
#include "bnd-dossier-steps.h"
#include "bnd-dossier-page.h"
#include "bnd-pdf-renderer.h"
#include "bnd-portfolio-page.h"
#include "bnd-resources.h"
#include "bnd-review-page.h"
#include "bnd-sketch-editor.h"
#include "bnd-sketches-page.h"
#include "bnd-sessions-page.h"
#include "bnd-sync.h"
#include "bnd-tasks-page.h"
#include "bnd-test-server.h"
#include "bnd-window.h"

#define SEAT_ORG    "hwk-bls"
#define VOTE_UUID   "3c5e1a7b-9d2f-4e8a-b6c4-0f1e2d3c4b5a"
#define RATING_UUID "0b8f6a2e-3c1d-4e5f-9a7b-2c4d6e8f0a1b"
#define QUEUED_TEXT "Queued: it is sent with the next sync"
#define CARRIER_ORG "lk-heidekreis"
#define STEP_UUID   "5d7e9f1a-2b3c-4d5e-8f6a-7b8c9d0e1f2a"

typedef struct
{
  BndTestServer   server;
  char           *url;
  char           *coordination;   /* tokens */
  char           *seat;
  GPtrArray      *seats;          /* one token for each organisation entitled to vote */
  char           *carrier_profile;
  char           *profile;
  BndStrategy    *strategy;
  BndStore       *store;
  BndWindow      *window;
  BndSyncManager *sync;
  GtkWidget      *review;
} Fixture;

/* One call below /api/v1 as @token; @body is JSON text or NULL. */
static JsonNode *
api (Fixture    *fixture,
     const char *token,
     const char *method,
     const char *path,
     const char *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) request = NULL;
  JsonNode *answer;

  if (body)
    {
      request = json_from_string (body, &error);
      g_assert_no_error (error);
    }
  answer = bnd_sync_call (fixture->url, token, method, path, request, &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);
  return answer;
}

static void
move (Fixture    *fixture,
      const char *uuid,
      const char *stage)
{
  g_autofree char *path = g_strdup_printf ("/dossiers/%s/stage", uuid);
  g_autofree char *body = g_strdup_printf ("{\"stage\": \"%s\"}", stage);
  g_autoptr(JsonNode) answer = api (fixture, fixture->coordination, "POST", path, body);

  (void)answer;   /* only freed: the test reads the dossier afterwards */
}

static char *
login (Fixture    *fixture,
       const char *user)
{
  g_autoptr(GError) error = NULL;
  char *token = bnd_sync_login (fixture->url, user, BND_TEST_PASSWORD, &error);

  g_assert_no_error (error);
  g_assert_nonnull (token);
  return token;
}

typedef struct
{
  const char *uuid;
  const char *title;
} Dossier;

/* The carrier submits the reference sketch under each of @dossiers, as the app does, from a
 * profile of its own. */
static void
submit_dossiers (Fixture       *fixture,
                 const Dossier *dossiers,
                 guint          n_dossiers)
{
  g_autofree char *reference = g_test_build_filename (G_TEST_DIST, "data", "reference-sketch.bndsketch",
                                                      NULL);
  g_autofree char *text = NULL;
  g_autofree char *carrier = login (fixture, "anna");
  g_autoptr(GError) error = NULL;
  g_autoptr(BndStore) store = NULL;
  gsize length;

  g_file_get_contents (reference, &text, &length, &error);
  g_assert_no_error (error);
  fixture->carrier_profile = g_dir_make_tmp ("bnd-app-review-carrier-XXXXXX", NULL);
  store = bnd_store_new (fixture->carrier_profile, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n_dossiers; i++)
    {
      g_autoptr(BndSketch) sketch = bnd_sketch_new_from_data (text, length, reference, fixture->strategy, &error);

      g_assert_no_error (error);
      bnd_sketch_set_uuid (sketch, dossiers[i].uuid);
      bnd_sketch_set_title (sketch, dossiers[i].title);
      bnd_store_save (store, sketch, &error);
      g_assert_no_error (error);
      bnd_sync_submit (store, fixture->strategy, fixture->url, carrier, dossiers[i].uuid, NULL, NULL, &error);
      g_assert_no_error (error);
    }
}

/* The carrier attaches the long form, without which it is not received. */
static void
attach_long_form (Fixture    *fixture,
                  const char *uuid)
{
  g_autofree char *reference = g_test_build_filename (G_TEST_DIST, "data", "reference-sketch.bndsketch",
                                                      NULL);
  g_autofree char *path = g_strdup_printf ("/dossiers/%s/attachments?kind=long-form&name=Langfassung.pdf", uuid);
  g_autofree char *carrier = login (fixture, "anna");
  g_autofree char *text = NULL;
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_file_get_contents (reference, &text, &length, &error);
  g_assert_no_error (error);
  sketch = bnd_sketch_new_from_data (text, length, reference, fixture->strategy, &error);
  g_assert_no_error (error);
  pdf = bnd_pdf_render (sketch, fixture->strategy, NULL, &error);
  g_assert_no_error (error);
  answer = bnd_sync_upload (fixture->url, carrier, path, "application/pdf", pdf, &error);
  g_assert_no_error (error);
}

/* Both dossiers through the procedure: one in the rating round, one in the circulation vote. */
static void
prepare_procedure (Fixture *fixture)
{
  const char *to_rating[] = { "first-assessment", "long-form-requested", "long-form-received", "rating" };
  g_autoptr(JsonNode) vote = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (to_rating); i++)
    {
      if (g_str_equal (to_rating[i], "long-form-received"))
        {
          attach_long_form (fixture, VOTE_UUID);
          attach_long_form (fixture, RATING_UUID);
        }
      move (fixture, VOTE_UUID, to_rating[i]);
      move (fixture, RATING_UUID, to_rating[i]);
    }
  /* From the rating round, closed early with a reason */
  vote = api (fixture, fixture->coordination, "POST", "/dossiers/" VOTE_UUID "/vote",
              "{\"question\": \"Befürwortet der Lenkungskreis das Projekt?\", \"reason\": \"Sitzung\"}");
}

/* Waiting, by running the main loop */

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (Fixture *fixture, gconstpointer data);

static gboolean
wait_until (Fixture       *fixture,
            Condition      condition,
            gconstpointer  data,
            guint          seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, timeout_cb, &timed_out);

  while (!condition (fixture, data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return !timed_out;
}

/* The Dossiers view reads the profile on the store's worker: done reading. */
static gboolean
review_loaded (Fixture *fixture)
{
  return fixture->review == NULL || !bnd_review_page_is_loading (BND_REVIEW_PAGE (fixture->review));
}

/* A sync that started after @data (the count of syncs before) has ended, none runs, and the
 * Dossiers view shows what it brought. */
static gboolean
synced_since (Fixture       *fixture,
              gconstpointer  data)
{
  return bnd_sync_manager_get_n_syncs (fixture->sync) > GPOINTER_TO_UINT (data) &&
         !bnd_sync_manager_is_running (fixture->sync) && review_loaded (fixture);
}

/* The Sketches view's editor has a sketch open: opening waits for the store's worker. */
static gboolean
is_editing (Fixture       *fixture,
            gconstpointer  data)
{
  BndSketchesPage *sketches = BND_SKETCHES_PAGE (bnd_window_get_view (fixture->window, "sketches"));

  return bnd_sketches_page_is_editing (sketches);
}

static gboolean
is_loaded (Fixture       *fixture,
           gconstpointer  data)
{
  return review_loaded (fixture);
}

static void
wait_loaded (Fixture *fixture)
{
  g_assert_true (wait_until (fixture, is_loaded, NULL, 20));
}

static gboolean
has_status (Fixture       *fixture,
            gconstpointer  data)
{
  return bnd_sync_manager_get_status (fixture->sync) == (BndSyncStatus)GPOINTER_TO_UINT (data) &&
         !bnd_sync_manager_is_running (fixture->sync) && review_loaded (fixture);
}

/* Finding widgets as a person would: by what they say */

typedef gboolean (*Match) (GtkWidget *widget, gconstpointer data);

static GtkWidget *
find (GtkWidget     *root,
      Match          match,
      gconstpointer  data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find (child, match, data);

      if (found)
        return found;
    }
  return NULL;
}

static void
find_all (GtkWidget     *root,
          Match          match,
          gconstpointer  data,
          GPtrArray     *found)
{
  if (match (root, data))
    g_ptr_array_add (found, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    find_all (child, match, data, found);
}

static gboolean
is_type (GtkWidget     *widget,
         gconstpointer  data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (data));
}

static gboolean
is_button (GtkWidget     *widget,
           gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static gboolean
is_toggle (GtkWidget     *widget,
           gconstpointer  label)
{
  return GTK_IS_TOGGLE_BUTTON (widget) && is_button (widget, label);
}

static gboolean
is_entry (GtkWidget     *widget,
          gconstpointer  placeholder)
{
  return GTK_IS_ENTRY (widget) &&
         g_strcmp0 (gtk_entry_get_placeholder_text (GTK_ENTRY (widget)), placeholder) == 0;
}

static gboolean
is_row (GtkWidget     *widget,
        gconstpointer  title)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static gboolean
is_label (GtkWidget     *widget,
          gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static gboolean
has_class (GtkWidget     *widget,
           gconstpointer  css_class)
{
  return gtk_widget_has_css_class (widget, css_class);
}

/* A "Set by the alliance" note of the strategy pack's rule @rule_id (bnd-alliance-rule.c). */
static gboolean
is_alliance_rule (GtkWidget     *widget,
                  gconstpointer  rule_id)
{
  GtkWidget *label = gtk_widget_get_last_child (widget);

  return gtk_widget_has_css_class (widget, "alliance-rule") &&
         g_strcmp0 (gtk_widget_get_name (widget), rule_id) == 0 && gtk_widget_get_visible (widget) &&
         GTK_IS_LABEL (label) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (label)), "Set by the alliance: ");
}

static GtkWidget *
find_of_type (GtkWidget *root,
              GType      type)
{
  return find (root, is_type, GSIZE_TO_POINTER (type));
}

static GtkWidget *
dossier_page (Fixture *fixture)
{
  GtkWidget *page = find_of_type (fixture->review, BND_TYPE_DOSSIER_PAGE);

  g_assert_nonnull (page);
  return page;
}

/* The widget @match finds in the preferences group that holds @member. */
static GtkWidget *
find_in_group (GtkWidget     *member,
               Match          match,
               gconstpointer  data)
{
  GtkWidget *group = gtk_widget_get_ancestor (member, ADW_TYPE_PREFERENCES_GROUP);
  GtkWidget *found;

  g_assert_nonnull (group);
  found = find (group, match, data);
  g_assert_nonnull (found);
  return found;
}

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static GtkListBoxRow *
sidebar_row (Fixture    *fixture,
             const char *title)
{
  GtkWidget *sidebar = find (fixture->review, has_class, "navigation-sidebar");
  GtkWidget *label;

  g_assert_nonnull (sidebar);
  label = find (sidebar, is_label, title);
  g_assert_nonnull (label);
  return GTK_LIST_BOX_ROW (gtk_widget_get_ancestor (label, GTK_TYPE_LIST_BOX_ROW));
}

static void
open_dossier (Fixture    *fixture,
              const char *uuid)
{
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-dossier", "s", uuid);
  wait_loaded (fixture);
  g_assert_cmpstr (bnd_window_get_visible_view (fixture->window), ==, "dossiers");
  g_assert_cmpstr (bnd_dossier_page_get_uuid (BND_DOSSIER_PAGE (dossier_page (fixture))), ==, uuid);
}

static BndQueuedVote *
queued_vote (GPtrArray  *votes,
             const char *uuid)
{
  for (guint i = 0; i < votes->len; i++)
    if (g_str_equal (((BndQueuedVote *)g_ptr_array_index (votes, i))->dossier, uuid))
      return g_ptr_array_index (votes, i);
  return NULL;
}

/* The seat's own ballot as the server has it. */
static void
assert_ballot (Fixture    *fixture,
               const char *choice,
               const char *comment)
{
  g_autoptr(JsonNode) answer = api (fixture, fixture->seat, "GET", "/dossiers/" VOTE_UUID "/vote", NULL);
  JsonArray *ballots = json_object_get_array_member (json_node_get_object (answer), "ballots");
  JsonObject *ballot;

  g_assert_cmpuint (json_array_get_length (ballots), ==, 1);
  ballot = json_array_get_object_element (ballots, 0);
  g_assert_cmpstr (json_object_get_string_member (ballot, "org"), ==, SEAT_ORG);
  g_assert_cmpstr (json_object_get_string_member_with_default (ballot, "choice", NULL), ==, choice);
  g_assert_cmpstr (json_object_get_string_member (ballot, "comment"), ==, comment);
}

/* The tests */

static void
check_sidebar_tasks_and_portfolio (Fixture *fixture)
{
  GtkWidget *sidebar = find (fixture->review, has_class, "navigation-sidebar");
  GtkWidget *count = find (sidebar, has_class, "task-count");
  GtkWidget *tasks = find_of_type (fixture->review, BND_TYPE_TASKS_PAGE);
  GtkWidget *portfolio = find_of_type (fixture->review, BND_TYPE_PORTFOLIO_PAGE);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GPtrArray) task_rows = g_ptr_array_new ();
  GtkListBoxRow *portfolio_row = sidebar_row (fixture, "Portfolio");
  GtkWidget *totals, *stack;
  gboolean has_vote = FALSE, has_rating = FALSE;

  /* Both submitted dossiers are in the sidebar */
  for (GtkWidget *row = gtk_widget_get_first_child (sidebar); row; row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && g_object_get_data (G_OBJECT (row), "uuid"))
      g_ptr_array_add (rows, row);
  g_assert_cmpuint (rows->len, ==, 2);
  for (guint i = 0; i < rows->len; i++)
    {
      const char *uuid = g_object_get_data (G_OBJECT (g_ptr_array_index (rows, i)), "uuid");

      has_vote |= g_str_equal (uuid, VOTE_UUID);
      has_rating |= g_str_equal (uuid, RATING_UUID);
    }
  g_assert_true (has_vote && has_rating);
  g_assert_cmpstr (g_object_get_data (G_OBJECT (sidebar_row (fixture, "Welcome & Stay")), "uuid"), ==,
                   VOTE_UUID);

  /* My tasks: vote on the one, rate the other */
  g_assert_nonnull (count);
  g_assert_true (gtk_widget_get_visible (count));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (count)), ==, "2");
  g_assert_nonnull (tasks);
  find_all (tasks, is_row, "Welcome & Stay", task_rows);
  find_all (tasks, is_row, "Pflege-Campus Uelzen", task_rows);
  g_assert_cmpuint (task_rows->len, ==, 2);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (g_ptr_array_index (task_rows, 0))), ==,
                   "win.show-dossier");

  /* The portfolio is there for a partner's seat, with both dossiers */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (portfolio_row)));
  gtk_list_box_select_row (GTK_LIST_BOX (sidebar), portfolio_row);
  g_assert_true (gtk_widget_get_child_visible (portfolio));
  stack = gtk_widget_get_first_child (portfolio);
  g_assert_false (ADW_IS_STATUS_PAGE (gtk_stack_get_visible_child (GTK_STACK (stack))));
  totals = find (portfolio, is_row, "Submitted dossiers");
  g_assert_nonnull (totals);
  g_assert_nonnull (find (totals, is_label, "2"));
  /* The spreadsheet for people next to the CSV for scripts, which says what it is for */
  g_assert_nonnull (find (portfolio, is_button, "Export _Spreadsheet…"));
  g_assert_true (g_str_has_prefix (gtk_widget_get_tooltip_text (find (portfolio, is_button, "Export _CSV…")),
                                   "One line per dossier for scripts"));
}

static void
check_vote (Fixture *fixture)
{
  GtkListBoxRow *row = sidebar_row (fixture, "Welcome & Stay");
  g_autoptr(GPtrArray) votes = NULL;
  GtkWidget *yes, *comment, *count;
  guint syncs;

  /* Chosen from the sidebar */
  gtk_list_box_select_row (GTK_LIST_BOX (gtk_widget_get_parent (GTK_WIDGET (row))), row);
  wait_loaded (fixture);
  g_assert_cmpstr (bnd_dossier_page_get_uuid (BND_DOSSIER_PAGE (dossier_page (fixture))), ==, VOTE_UUID);
  yes = find (dossier_page (fixture), is_toggle, "Yes");
  g_assert_nonnull (yes);
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (yes)));
  click (yes);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (yes)));
  comment = find_in_group (yes, is_entry, "Comment (optional)");
  /* The quorum is the alliance's rule, not the strategy's, and the vote says so */
  g_assert_nonnull (find_in_group (yes, is_alliance_rule, BND_RULE_QUORUM));
  gtk_editable_set_text (GTK_EDITABLE (comment), "Gute Sache");
  syncs = bnd_sync_manager_get_n_syncs (fixture->sync);
  click (find_in_group (yes, is_button, "_Cast Vote"));
  wait_loaded (fixture);

  /* Queued at once, whatever the network does, unless the sync the click started was quicker
   * than the page; then the sync hands it over */
  votes = bnd_store_list_votes (fixture->store, NULL);
  g_assert_nonnull (queued_vote (votes, VOTE_UUID));
  if (!g_str_equal (queued_vote (votes, VOTE_UUID)->state, "counted"))
    g_assert_nonnull (find (dossier_page (fixture), is_row, QUEUED_TEXT));
  g_clear_pointer (&votes, g_ptr_array_unref);
  g_assert_true (wait_until (fixture, synced_since, GUINT_TO_POINTER (syncs), 20));
  g_assert_cmpint (bnd_sync_manager_get_status (fixture->sync), ==, BND_SYNC_SYNCED);
  assert_ballot (fixture, "yes", "Gute Sache");
  votes = bnd_store_list_votes (fixture->store, NULL);
  g_assert_nonnull (queued_vote (votes, VOTE_UUID));
  g_assert_cmpstr (queued_vote (votes, VOTE_UUID)->state, ==, "counted");

  /* The page, shown again after the sync, has the counted vote; the task is done */
  yes = find (dossier_page (fixture), is_toggle, "Yes");
  g_assert_nonnull (yes);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (yes)));
  g_assert_nonnull (find_in_group (yes, is_button, "_Change Vote"));
  g_assert_null (find (dossier_page (fixture), is_row, QUEUED_TEXT));
  count = find (fixture->review, has_class, "task-count");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (count)), ==, "1");
}

static void
check_rating (Fixture *fixture)
{
  GPtrArray *criteria = bnd_strategy_get_review (fixture->strategy)->criteria;
  g_autoptr(GPtrArray) spins = g_ptr_array_new ();
  g_autoptr(GPtrArray) queued = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonArray *ratings;
  JsonObject *rating, *scores;
  GtkWidget *comment, *count;
  guint syncs;

  /* Opened as a task row would */
  open_dossier (fixture, RATING_UUID);
  find_all (dossier_page (fixture), is_type, GSIZE_TO_POINTER (GTK_TYPE_SPIN_BUTTON), spins);
  g_assert_cmpuint (spins->len, ==, criteria->len);
  for (guint i = 0; i < spins->len; i++)
    gtk_spin_button_set_value (g_ptr_array_index (spins, i), 5 - i % 5);
  comment = find_in_group (g_ptr_array_index (spins, 0), is_entry, "Comment (optional)");
  /* So are the criteria and the scale */
  g_assert_nonnull (find_in_group (g_ptr_array_index (spins, 0), is_alliance_rule, BND_RULE_RATING_CRITERIA));
  g_assert_nonnull (find_in_group (g_ptr_array_index (spins, 0), is_alliance_rule, BND_RULE_RATING_SCALE));
  gtk_editable_set_text (GTK_EDITABLE (comment), "Solide geplant");
  syncs = bnd_sync_manager_get_n_syncs (fixture->sync);
  click (find_in_group (g_ptr_array_index (spins, 0), is_button, "_Save Rating"));
  wait_loaded (fixture);

  queued = bnd_store_list_ratings (fixture->store, NULL);
  g_assert_cmpuint (queued->len, ==, 1);
  if (!g_str_equal (((BndQueuedRating *)g_ptr_array_index (queued, 0))->state, "counted"))
    g_assert_nonnull (find (dossier_page (fixture), is_row, QUEUED_TEXT));
  g_assert_true (wait_until (fixture, synced_since, GUINT_TO_POINTER (syncs), 20));
  g_assert_cmpint (bnd_sync_manager_get_status (fixture->sync), ==, BND_SYNC_SYNCED);
  answer = api (fixture, fixture->seat, "GET", "/dossiers/" RATING_UUID "/ratings", NULL);
  ratings = json_object_get_array_member (json_node_get_object (answer), "ratings");
  g_assert_cmpuint (json_array_get_length (ratings), ==, 1);
  rating = json_array_get_object_element (ratings, 0);
  g_assert_cmpstr (json_object_get_string_member (rating, "org"), ==, SEAT_ORG);
  g_assert_cmpstr (json_object_get_string_member (rating, "comment"), ==, "Solide geplant");
  scores = json_object_get_object_member (rating, "scores");
  g_assert_cmpuint (json_object_get_size (scores), ==, criteria->len);
  for (guint i = 0; i < criteria->len; i++)
    {
      const BndRatingCriterion *criterion = g_ptr_array_index (criteria, i);

      g_assert_cmpint (json_object_get_int_member (scores, criterion->id), ==, 5 - i % 5);
    }

  /* Shown again: the scores stay, the button updates, no task is left */
  g_ptr_array_set_size (spins, 0);
  find_all (dossier_page (fixture), is_type, GSIZE_TO_POINTER (GTK_TYPE_SPIN_BUTTON), spins);
  g_assert_cmpuint (spins->len, ==, criteria->len);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (g_ptr_array_index (spins, 0)), ==, 5);
  g_assert_nonnull (find_in_group (g_ptr_array_index (spins, 0), is_button, "_Update Rating"));
  g_assert_null (find (dossier_page (fixture), is_row, QUEUED_TEXT));
  count = find (fixture->review, has_class, "task-count");
  g_assert_false (gtk_widget_get_visible (count));
}

static gboolean
entry_is_clear (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *entry = find (dossier_page (fixture), is_entry, "Write a comment…");

  return synced_since (fixture, data) && entry && gtk_widget_is_sensitive (entry) &&
         *gtk_editable_get_text (GTK_EDITABLE (entry)) == '\0';
}

static void
check_comment (Fixture *fixture)
{
  const char *text = "Wie wird die Stelle nach 2028 finanziert?";
  g_autoptr(JsonNode) answer = NULL;
  JsonArray *comments;
  JsonObject *comment;
  GtkWidget *entry;
  guint syncs;

  open_dossier (fixture, RATING_UUID);
  entry = find (dossier_page (fixture), is_entry, "Write a comment…");
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  syncs = bnd_sync_manager_get_n_syncs (fixture->sync);
  click (find_in_group (entry, is_button, "_Post"));

  /* Posted, then synced: the entry is empty again and the thread shows it */
  g_assert_true (wait_until (fixture, entry_is_clear, GUINT_TO_POINTER (syncs), 20));
  answer = api (fixture, fixture->seat, "GET", "/dossiers/" RATING_UUID "/comments", NULL);
  comments = json_object_get_array_member (json_node_get_object (answer), "comments");
  g_assert_cmpuint (json_array_get_length (comments), ==, 1);
  comment = json_array_get_object_element (comments, 0);
  g_assert_cmpstr (json_object_get_string_member (comment, "text"), ==, text);
  g_assert_cmpstr (json_object_get_string_member (comment, "org"), ==, SEAT_ORG);
  g_assert_nonnull (find (dossier_page (fixture), is_row, text));
}

static void
check_offline_vote (Fixture *fixture)
{
  g_autoptr(GPtrArray) votes = NULL;
  BndQueuedVote *vote;
  GtkWidget *no, *comment;
  guint syncs;

  /* The server goes away; the seat changes its vote on the train */
  bnd_test_server_stop (&fixture->server);
  open_dossier (fixture, VOTE_UUID);
  no = find (dossier_page (fixture), is_toggle, "No");
  g_assert_nonnull (no);
  click (no);
  comment = find_in_group (no, is_entry, "Comment (optional)");
  gtk_editable_set_text (GTK_EDITABLE (comment), "Im Zug geändert");
  syncs = bnd_sync_manager_get_n_syncs (fixture->sync);
  click (find_in_group (no, is_button, "_Change Vote"));
  wait_loaded (fixture);

  g_assert_nonnull (find (dossier_page (fixture), is_row, QUEUED_TEXT));
  votes = bnd_store_list_votes (fixture->store, NULL);
  vote = queued_vote (votes, VOTE_UUID);
  g_assert_nonnull (vote);
  g_assert_cmpstr (vote->state, ==, "queued");
  g_assert_cmpstr (vote->choice, ==, "no");
  g_assert_cmpstr (vote->comment, ==, "Im Zug geändert");

  /* The sync finds nobody: still queued, and the page still says so */
  g_assert_true (wait_until (fixture, synced_since, GUINT_TO_POINTER (syncs), 20));
  g_assert_cmpint (bnd_sync_manager_get_status (fixture->sync), ==, BND_SYNC_OFFLINE);
  g_assert_nonnull (find (dossier_page (fixture), is_row, QUEUED_TEXT));
  no = find (dossier_page (fixture), is_toggle, "No");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (no)));

  /* Back at the same address with the same data: the next sync counts it */
  bnd_test_server_serve (&fixture->server, fixture->server.port);
  bnd_sync_manager_sync_now (fixture->sync);
  g_assert_true (wait_until (fixture, has_status, GUINT_TO_POINTER (BND_SYNC_SYNCED), 20));
  assert_ballot (fixture, "no", "Im Zug geändert");
  g_clear_pointer (&votes, g_ptr_array_unref);
  votes = bnd_store_list_votes (fixture->store, NULL);
  g_assert_cmpstr (queued_vote (votes, VOTE_UUID)->state, ==, "counted");
  g_assert_null (find (dossier_page (fixture), is_row, QUEUED_TEXT));
}

/* The server, with the carrier and the coordination */

static void
setup (Fixture *fixture)
{
  const char *server_path = g_getenv ("BUENDNIS_SERVER");
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (server_path);
  fixture->strategy = bnd_strategy_new_default (&error);
  g_assert_no_error (error);
  fixture->server.data = g_dir_make_tmp ("bnd-server-XXXXXX", NULL);
  bnd_test_server_admin (NULL, "init", "--data", fixture->server.data, NULL);
  bnd_test_server_add_user (fixture->server.data, "anna", CARRIER_ORG, "carrier");
  bnd_test_server_add_user (fixture->server.data, "clara", "ihk-lw", "coordination");
}

static void
start (Fixture *fixture)
{
  bnd_test_server_serve (&fixture->server, 0);
  fixture->url = g_strdup_printf ("http://127.0.0.1:%u", fixture->server.port);
  fixture->coordination = login (fixture, "clara");
}

/* @user signs a new window in and syncs. */
static void
open_window (Fixture    *fixture,
             const char *user,
             const char *token)
{
  g_autoptr(GError) error = NULL;

  fixture->profile = g_dir_make_tmp ("bnd-app-review-XXXXXX", NULL);
  fixture->store = bnd_store_new (fixture->profile, &error);
  g_assert_no_error (error);
  fixture->window = g_object_ref_sink (bnd_window_new (NULL));
  bnd_window_set_store (fixture->window, fixture->store);
  bnd_window_set_strategy (fixture->window, fixture->strategy);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1200, 900);
  gtk_window_present (GTK_WINDOW (fixture->window));
  fixture->sync = bnd_window_get_sync_manager (fixture->window);
  fixture->review = bnd_window_get_view (fixture->window, "dossiers");
  g_assert_true (BND_IS_REVIEW_PAGE (fixture->review));
  bnd_sync_manager_set_credentials (fixture->sync, fixture->url, user, token);
  bnd_sync_manager_sync_now (fixture->sync);
  g_assert_true (wait_until (fixture, has_status, GUINT_TO_POINTER (BND_SYNC_SYNCED), 20));
}

static void
teardown (Fixture *fixture)
{
  g_autofree char *command = NULL;

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_object_unref (fixture->window);
  bnd_test_server_stop (&fixture->server);
  command = g_strdup_printf ("rm -rf '%s' '%s' '%s'", fixture->profile, fixture->carrier_profile,
                             fixture->server.data);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  g_free (fixture->server.data);
  g_free (fixture->url);
  g_free (fixture->coordination);
  g_free (fixture->seat);
  g_clear_pointer (&fixture->seats, g_ptr_array_unref);
  g_free (fixture->profile);
  g_free (fixture->carrier_profile);
  g_object_unref (fixture->store);
  g_object_unref (fixture->strategy);
}

static void check_partner_steps (Fixture *fixture);

static void
test_review (void)
{
  const Dossier dossiers[] = { { VOTE_UUID, "Welcome & Stay" }, { RATING_UUID, "Pflege-Campus Uelzen" } };
  Fixture fixture = { 0 };

  setup (&fixture);
  bnd_test_server_add_user (fixture.server.data, "seat-" SEAT_ORG, SEAT_ORG, "partner");
  start (&fixture);
  fixture.seat = login (&fixture, "seat-" SEAT_ORG);
  submit_dossiers (&fixture, dossiers, G_N_ELEMENTS (dossiers));
  prepare_procedure (&fixture);

  /* The partner's seat signs the window in */
  open_window (&fixture, "seat-" SEAT_ORG, fixture.seat);

  check_sidebar_tasks_and_portfolio (&fixture);
  check_partner_steps (&fixture);
  check_vote (&fixture);
  check_rating (&fixture);
  check_comment (&fixture);
  check_offline_vote (&fixture);

  teardown (&fixture);
}

/* The coordination's Next Steps */

static GtkWidget *
next_step (Fixture *fixture)
{
  return find_of_type (dossier_page (fixture), BND_TYPE_DOSSIER_ACTIONS);
}

static gboolean
is_step_button (GtkWidget     *widget,
                gconstpointer  step)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_widget_get_name (widget), step) == 0;
}

/* The page's Next Steps that can be taken now, by step name: "open-vote withdraw " */
static char *
shown_steps (Fixture *fixture)
{
  GtkWidget *actions = next_step (fixture);
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint step = 0; step < BND_N_STEPS; step++)
    {
      GtkWidget *button = actions ? find (actions, is_step_button, bnd_step_to_string (step)) : NULL;

      if (button && gtk_widget_is_sensitive (button))
        g_string_append_printf (names, "%s ", bnd_step_to_string (step));
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

/* What bnd_dossier_offered_steps() allows on the dossier as the profile cached it, among the
 * steps that have a button (rating, voting, commenting and attaching have forms of their own;
 * "submit" opens the editor). */
static char *
offered_steps (Fixture    *fixture,
               const char *uuid,
               BndRole     role)
{
  g_autofree char *path = g_strdup_printf ("/dossiers/%s", uuid);
  g_autoptr(JsonNode) dossier = bnd_dossier_cache_get_json (fixture->store, path);
  g_autoptr(GPtrArray) offered = NULL;
  g_autoptr(GString) names = g_string_new (NULL);

  g_assert_nonnull (dossier);
  offered = bnd_dossier_offered_steps (json_node_get_object (dossier), role);
  for (guint i = 0; i < offered->len; i++)
    {
      const BndOfferedStep *step = g_ptr_array_index (offered, i);

      if (step->allowed && step->step != BND_STEP_RATE && step->step != BND_STEP_VOTE &&
          step->step != BND_STEP_COMMENT && step->step != BND_STEP_ATTACH)
        g_string_append_printf (names, "%s ", bnd_step_to_string (step->step));
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static void
assert_offered (Fixture    *fixture,
                const char *uuid,
                BndRole     role,
                const char *expected)
{
  g_autofree char *shown = shown_steps (fixture);
  g_autofree char *offered = offered_steps (fixture, uuid, role);

  g_assert_cmpstr (shown, ==, offered);
  if (expected)
    g_assert_cmpstr (shown, ==, expected);
}

static gboolean
is_named (GtkWidget     *widget,
          gconstpointer  name)
{
  return g_strcmp0 (gtk_widget_get_name (widget), name) == 0;
}

static const char *
subtitle_of (GtkWidget  *root,
             const char *title)
{
  GtkWidget *row = find (root, is_row, title);

  g_assert_nonnull (row);
  g_assert_true (ADW_IS_ACTION_ROW (row));
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

/* The dialog a step's button opened */
static AdwMessageDialog *
step_dialog (void)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  g_assert_not_reached ();
}

/* The entry under the heading @title in @dialog */
static void
type_into (AdwMessageDialog *dialog,
           const char       *title,
           const char       *text)
{
  GtkWidget *heading = find (GTK_WIDGET (dialog), is_label, title);
  GtkWidget *entry;

  g_assert_nonnull (heading);
  entry = gtk_widget_get_next_sibling (heading);
  /* Days and amounts have fields of their own, read in the interface language */
  if (BND_IS_TEXT_FIELD (entry))
    entry = GTK_WIDGET (bnd_text_field_get_editable (BND_TEXT_FIELD (entry)));
  g_assert_true (GTK_IS_ENTRY (entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
}

typedef struct
{
  guint       syncs;
  const char *stage;
} Step;

/* The sync after a step has ended, and the page shows the dossier at @stage. */
static gboolean
step_done (Fixture       *fixture,
           gconstpointer  data)
{
  const Step *step = data;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) dossier = NULL;
  JsonObject *procedure;

  if (!synced_since (fixture, GUINT_TO_POINTER (step->syncs)))
    return FALSE;
  path = g_strdup_printf ("/dossiers/%s", STEP_UUID);
  dossier = bnd_dossier_cache_get_json (fixture->store, path);
  procedure = dossier ? json_object_get_object_member (json_node_get_object (dossier), "procedure") : NULL;
  return procedure && g_strcmp0 (json_object_get_string_member (procedure, "stage"), step->stage) == 0;
}

/* Clicks the button of @step: the dialog it opens */
static AdwMessageDialog *
open_step (Fixture    *fixture,
           const char *step)
{
  GtkWidget *actions = next_step (fixture);
  GtkWidget *button;

  g_assert_nonnull (actions);
  button = find (actions, is_step_button, step);
  g_assert_nonnull (button);
  click (button);
  return step_dialog ();
}

/* Takes the step of @dialog; once its call and the sync after it are done, the dossier is at
 * @stage. */
static void
take_step (Fixture          *fixture,
           AdwMessageDialog *dialog,
           const char       *stage)
{
  Step step = { bnd_sync_manager_get_n_syncs (fixture->sync), stage };

  adw_message_dialog_response (dialog, "take");
  g_assert_true (wait_until (fixture, step_done, &step, 20));
  g_assert_cmpint (bnd_sync_manager_get_status (fixture->sync), ==, BND_SYNC_SYNCED);
}

/* The dossier's stage as the server has it */
static void
assert_stage (Fixture    *fixture,
              const char *stage)
{
  g_autoptr(JsonNode) answer = api (fixture, fixture->coordination, "GET", "/sketches/" STEP_UUID, NULL);

  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer), "stage"), ==, stage);
}

static JsonNode *
audit (Fixture *fixture)
{
  return api (fixture, fixture->coordination, "GET", "/dossiers/" STEP_UUID "/audit", NULL);
}

/* The detail of the last entry in @trail for @action */
static JsonObject *
audit_detail (JsonNode   *trail,
              const char *action)
{
  JsonArray *entries = json_object_get_array_member (json_node_get_object (trail), "entries");
  JsonObject *detail = NULL;

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);

      if (g_str_equal (json_object_get_string_member (entry, "action"), action))
        detail = json_object_get_object_member (entry, "detail");
    }
  g_assert_nonnull (detail);
  return detail;
}

static guint
audit_length (Fixture *fixture)
{
  g_autoptr(JsonNode) trail = audit (fixture);

  return json_array_get_length (json_object_get_array_member (json_node_get_object (trail), "entries"));
}

/* The row of @step in the Next Steps, and what it says below its title */
static const char *
step_subtitle (Fixture    *fixture,
               const char *step)
{
  GtkWidget *button = find (next_step (fixture), is_step_button, step);
  GtkWidget *row;

  g_assert_nonnull (button);
  row = gtk_widget_get_ancestor (button, ADW_TYPE_ACTION_ROW);
  g_assert_nonnull (row);
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

/* A refusal the dialog's own check gives: said on the step's row, nothing sent. */
static void
assert_refused_here (Fixture          *fixture,
                     AdwMessageDialog *dialog,
                     const char       *step,
                     const char       *message)
{
  guint syncs = bnd_sync_manager_get_n_syncs (fixture->sync);
  guint entries = audit_length (fixture);
  GtkWidget *row;

  adw_message_dialog_response (dialog, "take");
  row = gtk_widget_get_ancestor (find (next_step (fixture), is_step_button, step), ADW_TYPE_ACTION_ROW);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, message);
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  g_assert_cmpuint (bnd_sync_manager_get_n_syncs (fixture->sync), ==, syncs);
  g_assert_false (bnd_sync_manager_is_running (fixture->sync));
  g_assert_cmpuint (audit_length (fixture), ==, entries);
}

/* A partner's seat takes no step of the coordination: no Next Steps, as the rules say; the
 * rating round shows how many rated. */
static void
check_partner_steps (Fixture *fixture)
{
  GtkWidget *progress;

  open_dossier (fixture, RATING_UUID);
  assert_offered (fixture, RATING_UUID, BND_ROLE_PARTNER, "");
  g_assert_null (next_step (fixture));
  progress = find (dossier_page (fixture), is_named, "rating-progress");
  g_assert_nonnull (progress);
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (progress)), "0 of "));
  g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (ADW_ACTION_ROW (progress)), " rated"));
  open_dossier (fixture, VOTE_UUID);
  assert_offered (fixture, VOTE_UUID, BND_ROLE_PARTNER, "");
  g_assert_null (next_step (fixture));
}

static void
check_assessment (Fixture *fixture)
{
  AdwMessageDialog *dialog;
  g_autoptr(JsonNode) answer = NULL;

  /* A freshly submitted dossier */
  open_dossier (fixture, STEP_UUID);
  assert_offered (fixture, STEP_UUID, BND_ROLE_COORDINATION,
                  "record-consultation start-assessment withdraw recuse ");
  take_step (fixture, open_step (fixture, "start-assessment"), "first-assessment");
  assert_stage (fixture, "first-assessment");
  assert_offered (fixture, STEP_UUID, BND_ROLE_COORDINATION, "record-consultation assess withdraw recuse ");

  /* Needs changes without a reason for the carrier: refused where the user acted */
  dialog = open_step (fixture, "assess");
  {
    g_autoptr(GPtrArray) choices = g_ptr_array_new ();

    find_all (GTK_WIDGET (dialog), is_type, GSIZE_TO_POINTER (GTK_TYPE_CHECK_BUTTON), choices);
    g_assert_cmpuint (choices->len, ==, 3);
    g_assert_cmpstr (gtk_widget_get_name (g_ptr_array_index (choices, 1)), ==, "needs-changes");
    gtk_check_button_set_active (g_ptr_array_index (choices, 1), TRUE);
  }
  assert_refused_here (fixture, dialog, "assess",
                       "A negative assessment or a request for changes needs a reason for the carrier");

  /* Positive: the long form is requested */
  dialog = open_step (fixture, "assess");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (find (GTK_WIDGET (dialog), is_named, "positive")), TRUE);
  take_step (fixture, dialog, "long-form-requested");
  answer = api (fixture, fixture->coordination, "GET", "/dossiers/" STEP_UUID "/assessment", NULL);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (answer), "outcome"), ==, "positive");
  g_assert_cmpstr (subtitle_of (dossier_page (fixture), "Outcome"), ==, "Positive");
}

static void
check_long_form_and_rating (Fixture *fixture)
{
  AdwMessageDialog *dialog;
  GtkWidget *button;
  Step step;

  /* Not possible yet, and why: the long form is not there */
  button = find (next_step (fixture), is_step_button, "receive-long-form");
  g_assert_nonnull (button);
  g_assert_false (gtk_widget_is_sensitive (button));
  g_assert_cmpstr (step_subtitle (fixture, "receive-long-form"), ==,
                   "The long form is received once a long-form attachment is there");
  assert_offered (fixture, STEP_UUID, BND_ROLE_COORDINATION, "withdraw recuse ");

  /* The carrier attaches it; the next sync offers the step */
  attach_long_form (fixture, STEP_UUID);
  step.syncs = bnd_sync_manager_get_n_syncs (fixture->sync);
  step.stage = "long-form-requested";
  bnd_sync_manager_sync_now (fixture->sync);
  g_assert_true (wait_until (fixture, step_done, &step, 20));
  assert_offered (fixture, STEP_UUID, BND_ROLE_COORDINATION, "receive-long-form withdraw recuse ");
  take_step (fixture, open_step (fixture, "receive-long-form"), "long-form-received");

  /* The two weeks to the statement run from here */
  {
    GtkWidget *clock = find (dossier_page (fixture), is_named, "statement-due");

    g_assert_nonnull (clock);
    g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (clock)), "Statement due by "));
    g_assert_true (g_str_has_suffix (gtk_label_get_text (GTK_LABEL (clock)), " — 14 days left"));
    g_assert_false (gtk_widget_has_css_class (clock, "overdue"));
  }

  /* A deadline that is no day is refused in the dialog */
  dialog = open_step (fixture, "open-rating");
  type_into (dialog, "Deadline (empty: the pack’s default)", "bald");
  assert_refused_here (fixture, dialog, "open-rating",
                       "“bald” is not a date. Write it like 2026-03-01: a four-digit year, month and day.");
  take_step (fixture, open_step (fixture, "open-rating"), "rating");
  assert_stage (fixture, "rating");
}

static void
check_open_vote (Fixture *fixture)
{
  g_autofree char *rated = g_strdup_printf ("0 of %u rated", fixture->seats->len);
  AdwMessageDialog *dialog;
  g_autoptr(JsonNode) trail = NULL;

  /* Recusing the carrier's own organisation is the alliance's rule; where it is recorded says so */
  g_assert_nonnull (find (dossier_page (fixture), is_alliance_rule, BND_RULE_RECUSAL));

  /* The round closes early: the dialog says how many rated, and a reason is needed */
  g_assert_cmpstr (step_subtitle (fixture, "open-vote"), ==, rated);
  dialog = open_step (fixture, "open-vote");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), rated));
  assert_refused_here (fixture, dialog, "open-vote",
                       "Not every entitled organisation has rated yet: closing the round early needs a reason");
  dialog = open_step (fixture, "open-vote");
  type_into (dialog, "Reason", "Sitzung des Lenkungskreises am 12.03.");
  take_step (fixture, dialog, "vote");
  trail = audit (fixture);
  g_assert_cmpstr (json_object_get_string_member (audit_detail (trail, "vote"), "reason"), ==,
                   "Sitzung des Lenkungskreises am 12.03.");

  /* The coordination does not vote, though its organisation has a seat: no Yes, No, Abstain */
  g_assert_null (find (dossier_page (fixture), is_toggle, "Yes"));
  /* The statement waits for the vote's close, and says so */
  g_assert_false (gtk_widget_is_sensitive (find (next_step (fixture), is_step_button, "issue-statement")));
  g_assert_cmpstr (step_subtitle (fixture, "issue-statement"), ==,
                   "The statement is issued once the circulation vote has closed");
  assert_offered (fixture, STEP_UUID, BND_ROLE_COORDINATION, "withdraw ");
}

static void
check_statement (Fixture *fixture)
{
  g_autoptr(JsonNode) answer = NULL;
  Step step;

  /* Every entitled organisation votes: that closes the round */
  for (guint i = 0; i < fixture->seats->len; i++)
    {
      g_autoptr(JsonNode) cast = api (fixture, g_ptr_array_index (fixture->seats, i), "PUT",
                                      "/dossiers/" STEP_UUID "/vote", "{\"choice\": \"yes\"}");

      (void)cast;
    }
  answer = api (fixture, fixture->coordination, "GET", "/dossiers/" STEP_UUID "/vote", NULL);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (answer), "closed"));

  step.syncs = bnd_sync_manager_get_n_syncs (fixture->sync);
  step.stage = "vote";
  bnd_sync_manager_sync_now (fixture->sync);
  g_assert_true (wait_until (fixture, step_done, &step, 20));
  assert_offered (fixture, STEP_UUID, BND_ROLE_COORDINATION, "issue-statement withdraw ");
  take_step (fixture, open_step (fixture, "issue-statement"), "statement");
  assert_stage (fixture, "statement");
}

static void
check_decision (Fixture *fixture)
{
  AdwMessageDialog *dialog;
  g_autoptr(JsonNode) trail = NULL;
  JsonObject *detail;

  assert_offered (fixture, STEP_UUID, BND_ROLE_COORDINATION, "file-application withdraw ");
  take_step (fixture, open_step (fixture, "file-application"), "application");
  assert_offered (fixture, STEP_UUID, BND_ROLE_COORDINATION, "approve reject withdraw ");

  /* An amount that is none: refused in the dialog, nothing goes to the server */
  dialog = open_step (fixture, "approve");
  type_into (dialog, "Approved amount in euros", "viel");
  type_into (dialog, "Date of the decision", "04.05.2026");
  assert_refused_here (fixture, dialog, "approve",
                       "“viel” is not an amount. Write it like 120,000.50, with commas between thousands and a point before the cents.");

  /* As the interface language writes it (English here; "186.000,50" in German), and the day as
   * a German writes it, which any language reads */
  dialog = open_step (fixture, "approve");
  type_into (dialog, "Approved amount in euros", "186,000.50");
  type_into (dialog, "Date of the decision", "04.05.2026");
  take_step (fixture, dialog, "approved");
  assert_stage (fixture, "approved");
  trail = audit (fixture);
  detail = audit_detail (trail, "approved");
  g_assert_cmpfloat (json_object_get_double_member (detail, "amount"), ==, 186000.5);
  g_assert_cmpstr (json_object_get_string_member (detail, "date"), ==, "2026-05-04");
  /* Approved is where the procedure ends: nothing more to take */
  g_assert_null (next_step (fixture));
}

static void
test_coordination (void)
{
  const Dossier dossier = { STEP_UUID, "Welcome & Stay" };
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *partners;
  Fixture fixture = { 0 };

  /* A seat for every partner organisation but the carrier's own, which is recused */
  setup (&fixture);
  partners = bnd_strategy_get_partners (fixture.strategy);
  for (guint i = 0; i < partners->len; i++)
    {
      const BndPartner *partner = g_ptr_array_index (partners, i);

      if (g_str_equal (partner->id, CARRIER_ORG))
        continue;
      g_ptr_array_add (names, g_strconcat ("seat-", partner->id, NULL));
      bnd_test_server_add_user (fixture.server.data, g_ptr_array_index (names, names->len - 1), partner->id, "partner");
    }
  g_assert_cmpuint (names->len, >, 1);
  start (&fixture);
  fixture.seats = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < names->len; i++)
    g_ptr_array_add (fixture.seats, login (&fixture, g_ptr_array_index (names, i)));
  submit_dossiers (&fixture, &dossier, 1);

  /* The coordination signs the window in and takes the dossier through the procedure */
  open_window (&fixture, "clara", fixture.coordination);
  check_assessment (&fixture);
  check_long_form_and_rating (&fixture);
  check_open_vote (&fixture);
  check_statement (&fixture);
  check_decision (&fixture);

  teardown (&fixture);
}

/* The carrier resubmits */

static gboolean
saved_since (Fixture       *fixture,
             gconstpointer  data)
{
  GtkWidget *sketches = bnd_window_get_view (fixture->window, "sketches");

  return bnd_sketch_editor_get_n_saves (bnd_sketches_page_get_editor (BND_SKETCHES_PAGE (sketches))) >
         GPOINTER_TO_UINT (data);
}

static gboolean
has_submissions (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(JsonNode) list = NULL;

  if (bnd_sync_manager_is_running (fixture->sync))
    return FALSE;
  list = bnd_dossier_cache_get_json (fixture->store, "/dossiers/" STEP_UUID "/submissions");
  return list && json_array_get_length (json_object_get_array_member (json_node_get_object (list), "submissions")) ==
                 GPOINTER_TO_UINT (data);
}

static void
test_carrier (void)
{
  const Dossier dossier = { STEP_UUID, "Welcome & Stay" };
  const char *added = "Der Finanzplan ist jetzt nach Jahren aufgeschlüsselt.";
  Fixture fixture = { 0 };
  g_autofree char *carrier = NULL;
  g_autoptr(JsonNode) assessed = NULL;
  BndSketchesPage *sketches;
  BndSketchEditor *editor;
  GtkWidget *text_view, *group;
  GtkTextBuffer *buffer;
  GtkTextIter end;
  guint saves;

  setup (&fixture);
  start (&fixture);
  submit_dossiers (&fixture, &dossier, 1);
  move (&fixture, STEP_UUID, "first-assessment");
  assessed = api (&fixture, fixture.coordination, "POST", "/dossiers/" STEP_UUID "/steps/assess",
                  "{\"outcome\": \"needs-changes\", \"reason\": \"Bitte den Finanzplan erläutern.\"}");
  carrier = login (&fixture, "anna");

  /* The carrier's own dossier, sent back: revise the sketch, or withdraw it */
  open_window (&fixture, "anna", carrier);
  open_dossier (&fixture, STEP_UUID);
  assert_offered (&fixture, STEP_UUID, BND_ROLE_CARRIER, "submit withdraw ");
  g_assert_null (find (dossier_page (&fixture), is_named, "submissions"));

  /* "Revise Sketch" opens it in the editor, where it can be changed */
  click (find (next_step (&fixture), is_step_button, "submit"));
  g_assert_cmpstr (bnd_window_get_visible_view (fixture.window), ==, "sketches");
  sketches = BND_SKETCHES_PAGE (bnd_window_get_view (fixture.window, "sketches"));
  g_assert_true (wait_until (&fixture, is_editing, NULL, 20));
  bnd_store_flush (fixture.store);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  editor = bnd_sketches_page_get_editor (sketches);
  text_view = find_of_type (GTK_WIDGET (editor), GTK_TYPE_TEXT_VIEW);
  g_assert_nonnull (text_view);
  g_assert_true (gtk_widget_is_sensitive (text_view));
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (text_view));
  gtk_text_buffer_get_end_iter (buffer, &end);
  saves = bnd_sketch_editor_get_n_saves (editor);
  gtk_text_buffer_insert (buffer, &end, " ", -1);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, added, -1);
  g_assert_true (wait_until (&fixture, saved_since, GUINT_TO_POINTER (saves), 20));

  /* Submitted again, into the same dossier */
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.submit", NULL);
  adw_message_dialog_response (step_dialog (), "submit");
  g_assert_true (wait_until (&fixture, has_submissions, GUINT_TO_POINTER (2), 30));
  assert_stage (&fixture, "submitted");

  /* The dossier lists both submissions and what changed */
  open_dossier (&fixture, STEP_UUID);
  group = find (dossier_page (&fixture), is_named, "submissions");
  g_assert_nonnull (group);
  g_assert_nonnull (find (group, is_row, "Submission 1"));
  g_assert_nonnull (find (group, is_row, "Submission 2"));
  group = find (dossier_page (&fixture), is_named, "submission-changes");
  g_assert_nonnull (group);
  g_assert_true (ADW_IS_PREFERENCES_GROUP (group));
  g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (group)), ==,
                   "Changed from submission 1 to 2");
  {
    g_autoptr(GPtrArray) labels = g_ptr_array_new ();
    gboolean shown = FALSE;

    find_all (group, is_type, GSIZE_TO_POINTER (GTK_TYPE_LABEL), labels);
    for (guint i = 0; i < labels->len; i++)
      shown |= strstr (gtk_label_get_text (g_ptr_array_index (labels, i)), added) != NULL;
    g_assert_true (shown);
  }
  /* Submitted: nothing more for the carrier to revise */
  assert_offered (&fixture, STEP_UUID, BND_ROLE_CARRIER, "withdraw ");

  teardown (&fixture);
}

/* The first item of the session at @data (its path) has the outcome "discussed" on the server. */
static gboolean
has_outcome (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(JsonNode) session = api (fixture, fixture->coordination, "GET", data, NULL);
  JsonArray *items = json_object_get_array_member (json_node_get_object (session), "items");
  JsonObject *item = items && json_array_get_length (items) ? json_array_get_object_element (items, 0) : NULL;

  return item && g_strcmp0 (json_object_get_string_member_with_default (item, "outcome", NULL), "discussed") == 0;
}

static GtkWidget *
sessions_page (Fixture    *fixture,
               const char *uuid)
{
  GtkWidget *page;

  bnd_review_page_show_section (BND_REVIEW_PAGE (fixture->review), "sessions");
  page = find_of_type (fixture->review, BND_TYPE_SESSIONS_PAGE);
  g_assert_nonnull (page);
  g_assert_true (gtk_widget_get_mapped (page));
  if (uuid)
    bnd_sessions_page_show (BND_SESSIONS_PAGE (page), uuid);
  return page;
}

/* Lenkungskreis sessions: the coordination is offered planning, the agenda, outcomes and marking
 * the session held, and an outcome chosen in the app reaches the server; a partner's seat reads
 * the same session, exports it, and is offered none of the rest (bnd_procedure_may_session()). */
static void
test_sessions (void)
{
  const Dossier dossier = { VOTE_UUID, "Welcome & Stay" };
  Fixture fixture = { 0 };
  g_autoptr(JsonNode) session = NULL;
  g_autoptr(JsonNode) added = NULL;
  g_autofree char *path = NULL;
  g_autofree char *items = NULL;
  g_autofree char *command = NULL;
  const char *uuid;
  GtkWidget *page;

  setup (&fixture);
  bnd_test_server_add_user (fixture.server.data, "seat-" SEAT_ORG, SEAT_ORG, "partner");
  start (&fixture);
  fixture.seat = login (&fixture, "seat-" SEAT_ORG);
  submit_dossiers (&fixture, &dossier, 1);
  session = api (&fixture, fixture.coordination, "POST", "/sessions",
                 "{\"title\": \"1. Lenkungskreissitzung 2026\", \"date\": \"2026-03-12\", \"place\": \"Lüneburg\"}");
  uuid = json_object_get_string_member (json_node_get_object (session), "uuid");
  path = g_strdup_printf ("/sessions/%s", uuid);
  items = g_strdup_printf ("/sessions/%s/items", uuid);
  added = api (&fixture, fixture.coordination, "POST", items, "{\"dossier\": \"" VOTE_UUID "\"}");

  /* The coordination */
  open_window (&fixture, "clara", fixture.coordination);
  page = sessions_page (&fixture, NULL);
  g_assert_nonnull (find (page, is_row, "1. Lenkungskreissitzung 2026"));
  g_assert_nonnull (find (page, is_button, "_Plan Session…"));
  page = sessions_page (&fixture, uuid);
  g_assert_nonnull (find (page, is_button, "Export _Agenda…"));
  g_assert_nonnull (find (page, is_button, "Export _Minutes…"));
  g_assert_nonnull (find (page, is_button, "Mark as _Held"));
  g_assert_nonnull (find (page, is_button, "_Send Agenda"));
  g_assert_nonnull (find (page, is_button, "_Remove from Agenda"));
  g_assert_nonnull (find (page, is_row, "Put on the agenda"));
  g_assert_nonnull (find (page, is_row, "1. Welcome &amp; Stay"));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (find_of_type (page, GTK_TYPE_DROP_DOWN)), 1);   /* Discussed */
  g_assert_true (wait_until (&fixture, has_outcome, path, 20));

  /* A partner's seat, in a window of its own */
  gtk_window_destroy (GTK_WINDOW (fixture.window));
  g_clear_object (&fixture.window);
  g_clear_object (&fixture.store);
  command = g_strdup_printf ("rm -rf '%s'", fixture.profile);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  g_clear_pointer (&fixture.profile, g_free);
  open_window (&fixture, "seat-" SEAT_ORG, fixture.seat);
  page = sessions_page (&fixture, NULL);
  g_assert_nonnull (find (page, is_row, "1. Lenkungskreissitzung 2026"));
  g_assert_null (find (page, is_button, "_Plan Session…"));
  page = sessions_page (&fixture, uuid);
  g_assert_nonnull (find (page, is_button, "Export _Agenda…"));
  g_assert_null (find (page, is_button, "Mark as _Held"));
  g_assert_null (find (page, is_button, "_Send Agenda"));
  g_assert_null (find (page, is_button, "_Remove from Agenda"));
  g_assert_null (find (page, is_row, "Put on the agenda"));
  g_assert_null (find_of_type (page, GTK_TYPE_DROP_DOWN));
  g_assert_nonnull (find (page, is_label, "Discussed"));

  teardown (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Everything happens at once: no frame has to be waited for, and libadwaita 1.2 cannot free a
   * toast or row whose animation still runs (it crashes when that animation ends). */
  bnd_register_resource ();

  g_test_add_func ("/app-review/vote-rate-comment-offline", test_review);
  g_test_add_func ("/app-review/coordination-next-step", test_coordination);
  g_test_add_func ("/app-review/carrier-resubmits", test_carrier);
  g_test_add_func ("/app-review/sessions", test_sessions);

  return g_test_run ();
}
