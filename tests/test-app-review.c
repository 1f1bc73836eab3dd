/* test-app-review.c: the Dossiers view against a real buendnis-server: a partner's seat votes,
 * rates and comments through the window, once with the server gone
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/wait.h>
#include <string.h>

#include "bnd-dossier-page.h"
#include "bnd-portfolio-page.h"
#include "bnd-resources.h"
#include "bnd-review-page.h"
#include "bnd-sync.h"
#include "bnd-tasks-page.h"
#include "bnd-window.h"

#define PASSWORD    "geheim-12345"
#define SEAT_ORG    "hwk-bls"
#define VOTE_UUID   "3c5e1a7b-9d2f-4e8a-b6c4-0f1e2d3c4b5a"
#define RATING_UUID "0b8f6a2e-3c1d-4e5f-9a7b-2c4d6e8f0a1b"
#define QUEUED_TEXT "Queued: it is sent with the next sync"

typedef struct
{
  char  *data;
  GPid   pid;
  guint  port;
} Server;

typedef struct
{
  Server          server;
  char           *url;
  char           *coordination;   /* tokens */
  char           *seat;
  char           *carrier_profile;
  char           *profile;
  BndStrategy    *strategy;
  BndStore       *store;
  BndWindow      *window;
  BndSyncManager *sync;
  GtkWidget      *review;
} Fixture;

/* The server */

static void
admin (const char *server,
       const char *input,
       ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  va_list ap;

  g_ptr_array_add (args, (gpointer)server);
  va_start (ap, input);
  for (const char *arg = va_arg (ap, const char *); arg; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer)arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  process = g_subprocess_newv ((const char * const *)args->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));
}

static void
add_user (const char *data,
          const char *name,
          const char *org,
          const char *role)
{
  const char *server = g_getenv ("BUENDNIS_SERVER");

  admin (server, NULL, "add-user", "--data", data, "--org", org, "--role", role, name, NULL);
  admin (server, PASSWORD "\n", "set-password", "--data", data, name, NULL);
}

/* Starts the server on @port (0: any) and keeps the port it got. */
static void
serve (Server *server,
       guint   port)
{
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", port);
  const char *argv[] = { g_getenv ("BUENDNIS_SERVER"), "serve", "--data", server->data, "--listen", listen, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) channel = NULL;
  g_autofree char *line = NULL;
  int out;

  g_spawn_async_with_pipes (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &server->pid, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  channel = g_io_channel_unix_new (out);
  g_io_channel_set_close_on_unref (channel, TRUE);
  g_io_channel_read_line (channel, &line, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  server->port = g_ascii_strtoull (strrchr (line, ' ') + 1, NULL, 10);
  g_assert_cmpuint (server->port, >, 0);
}

static void
stop (Server *server)
{
  kill (server->pid, SIGTERM);
  waitpid (server->pid, NULL, 0);
  g_spawn_close_pid (server->pid);
  server->pid = 0;
}

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
}

static char *
login (Fixture    *fixture,
       const char *user)
{
  g_autoptr(GError) error = NULL;
  char *token = bnd_sync_login (fixture->url, user, PASSWORD, &error);

  g_assert_no_error (error);
  g_assert_nonnull (token);
  return token;
}

/* The carrier submits the reference sketch twice, as the app does, from a profile of its own. */
static void
submit_dossiers (Fixture *fixture)
{
  g_autofree char *reference = g_test_build_filename (G_TEST_DIST, "data", "reference-sketch.bndsketch",
                                                      NULL);
  g_autofree char *text = NULL;
  g_autofree char *carrier = login (fixture, "anna");
  g_autoptr(GError) error = NULL;
  g_autoptr(BndStore) store = NULL;
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(BndSketch) second = NULL;
  const char *uuids[] = { VOTE_UUID, RATING_UUID };
  gsize length;

  g_file_get_contents (reference, &text, &length, &error);
  g_assert_no_error (error);
  sketch = bnd_sketch_new_from_data (text, length, reference, fixture->strategy, &error);
  g_assert_no_error (error);
  bnd_sketch_set_uuid (sketch, VOTE_UUID);
  bnd_sketch_set_title (sketch, "Welcome & Stay");
  second = bnd_sketch_copy (sketch);
  bnd_sketch_set_uuid (second, RATING_UUID);
  bnd_sketch_set_title (second, "Pflege-Campus Uelzen");

  fixture->carrier_profile = g_dir_make_tmp ("bnd-app-review-carrier-XXXXXX", NULL);
  store = bnd_store_new (fixture->carrier_profile, &error);
  g_assert_no_error (error);
  bnd_store_save (store, sketch, &error);
  g_assert_no_error (error);
  bnd_store_save (store, second, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (uuids); i++)
    {
      bnd_sync_submit (store, fixture->strategy, fixture->url, carrier, uuids[i], NULL, &error);
      g_assert_no_error (error);
    }
}

/* Both dossiers through the procedure: one in the rating round, one in the circulation vote. */
static void
prepare_procedure (Fixture *fixture)
{
  const char *to_rating[] = { "first-assessment", "long-form-requested", "long-form-received", "rating" };
  g_autoptr(JsonNode) vote = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (to_rating); i++)
    {
      move (fixture, VOTE_UUID, to_rating[i]);
      move (fixture, RATING_UUID, to_rating[i]);
    }
  move (fixture, VOTE_UUID, "vote");
  vote = api (fixture, fixture->coordination, "POST", "/dossiers/" VOTE_UUID "/vote",
              "{\"question\": \"Befürwortet der Lenkungskreis das Projekt?\"}");
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

/* A sync that started after @data (the count of syncs before) has ended, and none runs. */
static gboolean
synced_since (Fixture       *fixture,
              gconstpointer  data)
{
  return bnd_sync_manager_get_n_syncs (fixture->sync) > GPOINTER_TO_UINT (data) &&
         !bnd_sync_manager_is_running (fixture->sync);
}

static gboolean
has_status (Fixture       *fixture,
            gconstpointer  data)
{
  return bnd_sync_manager_get_status (fixture->sync) == (BndSyncStatus)GPOINTER_TO_UINT (data) &&
         !bnd_sync_manager_is_running (fixture->sync);
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
  g_assert_cmpstr (bnd_dossier_page_get_uuid (BND_DOSSIER_PAGE (dossier_page (fixture))), ==, VOTE_UUID);
  yes = find (dossier_page (fixture), is_toggle, "Yes");
  g_assert_nonnull (yes);
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (yes)));
  click (yes);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (yes)));
  comment = find_in_group (yes, is_entry, "Comment (optional)");
  gtk_editable_set_text (GTK_EDITABLE (comment), "Gute Sache");
  syncs = bnd_sync_manager_get_n_syncs (fixture->sync);
  click (find_in_group (yes, is_button, "_Cast Vote"));

  /* Queued at once, whatever the network does; then the sync hands it over */
  g_assert_nonnull (find (dossier_page (fixture), is_row, QUEUED_TEXT));
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
  gtk_editable_set_text (GTK_EDITABLE (comment), "Solide geplant");
  syncs = bnd_sync_manager_get_n_syncs (fixture->sync);
  click (find_in_group (g_ptr_array_index (spins, 0), is_button, "_Save Rating"));

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
  stop (&fixture->server);
  open_dossier (fixture, VOTE_UUID);
  no = find (dossier_page (fixture), is_toggle, "No");
  g_assert_nonnull (no);
  click (no);
  comment = find_in_group (no, is_entry, "Comment (optional)");
  gtk_editable_set_text (GTK_EDITABLE (comment), "Im Zug geändert");
  syncs = bnd_sync_manager_get_n_syncs (fixture->sync);
  click (find_in_group (no, is_button, "_Change Vote"));

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
  serve (&fixture->server, fixture->server.port);
  bnd_sync_manager_sync_now (fixture->sync);
  g_assert_true (wait_until (fixture, has_status, GUINT_TO_POINTER (BND_SYNC_SYNCED), 20));
  assert_ballot (fixture, "no", "Im Zug geändert");
  g_clear_pointer (&votes, g_ptr_array_unref);
  votes = bnd_store_list_votes (fixture->store, NULL);
  g_assert_cmpstr (queued_vote (votes, VOTE_UUID)->state, ==, "counted");
  g_assert_null (find (dossier_page (fixture), is_row, QUEUED_TEXT));
}

static void
test_review (void)
{
  const char *server_path = g_getenv ("BUENDNIS_SERVER");
  g_autoptr(GError) error = NULL;
  g_autofree char *command = NULL;
  Fixture fixture = { 0 };

  g_assert_nonnull (server_path);
  fixture.strategy = bnd_strategy_new_default (&error);
  g_assert_no_error (error);

  fixture.server.data = g_dir_make_tmp ("bnd-server-XXXXXX", NULL);
  admin (server_path, NULL, "init", "--data", fixture.server.data, NULL);
  add_user (fixture.server.data, "anna", "lk-heidekreis", "carrier");
  add_user (fixture.server.data, "clara", "ihk-lw", "coordination");
  add_user (fixture.server.data, "seat-" SEAT_ORG, SEAT_ORG, "partner");
  serve (&fixture.server, 0);
  fixture.url = g_strdup_printf ("http://127.0.0.1:%u", fixture.server.port);
  fixture.coordination = login (&fixture, "clara");
  fixture.seat = login (&fixture, "seat-" SEAT_ORG);
  submit_dossiers (&fixture);
  prepare_procedure (&fixture);

  /* The partner's seat signs the window in and syncs */
  fixture.profile = g_dir_make_tmp ("bnd-app-review-XXXXXX", NULL);
  fixture.store = bnd_store_new (fixture.profile, &error);
  g_assert_no_error (error);
  fixture.window = g_object_ref_sink (bnd_window_new (NULL));
  bnd_window_set_store (fixture.window, fixture.store);
  bnd_window_set_strategy (fixture.window, fixture.strategy);
  gtk_window_set_default_size (GTK_WINDOW (fixture.window), 1200, 900);
  gtk_window_present (GTK_WINDOW (fixture.window));
  fixture.sync = bnd_window_get_sync_manager (fixture.window);
  fixture.review = bnd_window_get_view (fixture.window, "dossiers");
  g_assert_true (BND_IS_REVIEW_PAGE (fixture.review));
  bnd_sync_manager_set_credentials (fixture.sync, fixture.url, "seat-" SEAT_ORG, fixture.seat);
  bnd_sync_manager_sync_now (fixture.sync);
  g_assert_true (wait_until (&fixture, has_status, GUINT_TO_POINTER (BND_SYNC_SYNCED), 20));

  check_sidebar_tasks_and_portfolio (&fixture);
  check_vote (&fixture);
  check_rating (&fixture);
  check_comment (&fixture);
  check_offline_vote (&fixture);

  gtk_window_destroy (GTK_WINDOW (fixture.window));
  g_object_unref (fixture.window);
  stop (&fixture.server);
  command = g_strdup_printf ("rm -rf '%s' '%s' '%s'", fixture.profile, fixture.carrier_profile,
                             fixture.server.data);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  g_free (fixture.server.data);
  g_free (fixture.url);
  g_free (fixture.coordination);
  g_free (fixture.seat);
  g_free (fixture.profile);
  g_free (fixture.carrier_profile);
  g_object_unref (fixture.store);
  g_object_unref (fixture.strategy);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  bnd_register_resource ();

  g_test_add_func ("/app-review/vote-rate-comment-offline", test_review);

  return g_test_run ();
}
