/* test-input-fields.c: amounts and days typed into the sketch editor, in German and English
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <string.h>

#include "bnd-amount-entry.h"
#include "bnd-date-entry.h"
#include "bnd-i18n.h"
#include "bnd-preferences-window.h"
#include "bnd-resources.h"
#include "bnd-sketches-page.h"
#include "bnd-sync-manager.h"
#include "bnd-test-server.h"
#include "bnd-window.h"

/* Issue 13: "120.000,50" typed into a cost row gave 120,00 €, the wheel over "Beantragte
 * Förderung" changed it while the page was scrolled, and "01.03.2026" as Beginn left the to-do
 * list asking for dates. Here in the real window under Xvfb, typed into the real fields. */

#define REFERENCE_UUID "5b0c7a1e-3f4d-4c2a-9e1b-7d2f8a6c4e10"

typedef struct
{
  char            *directory;
  BndStore        *store;
  BndStrategy     *strategy;
  BndWindow       *window;
  BndSketchEditor *editor;
} Fixture;

/* The sketch the editor edits now (opening one may replace it). */
#define SKETCH(fixture) bnd_sketch_editor_get_sketch ((fixture)->editor)

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @done says so, for at most @seconds. */
static gboolean
wait_for (gboolean (*done) (Fixture *), Fixture *fixture, guint seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, timeout_cb, &timed_out);

  while (!done (fixture) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return !timed_out;
}

/* Lets the main loop run for a moment: events, layout, idle handlers. */
static void
settle (Fixture *fixture,
        guint    milliseconds)
{
  gboolean done = FALSE;
  guint id = g_timeout_add (milliseconds, timeout_cb, &done);

  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (g_main_context_find_source_by_id (NULL, id));
}

/* Scrolls the form so that @widget is in the middle of the page. */
static void
bring_into_view (Fixture   *fixture,
                 GtkWidget *widget)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  graphene_point_t point;

  /* Laid out first: a page just built has no size yet. */
  settle (fixture, 500);
  g_assert_true (gtk_widget_compute_point (widget, scrolled, &GRAPHENE_POINT_INIT (0, 0), &point));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + point.y -
                                        gtk_adjustment_get_page_size (adjustment) / 2);
  settle (fixture, 500);
}

/* A picture of the screen around @widget for the screenshots, when BUENDNIS_SHOTS names
 * a prefix. */
static void
shoot (Fixture    *fixture,
       const char *name,
       GtkWidget  *widget)
{
  const char *prefix = g_getenv ("BUENDNIS_SHOTS");
  g_autofree char *command = NULL;

  if (prefix == NULL)
    return;
  bring_into_view (fixture, widget);
  settle (fixture, 600);
  command = g_strdup_printf ("import -window root %s-%s-%s.png", prefix, name,
                             g_getenv ("LANGUAGE"));
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "reference-sketch.bndsketch", NULL);
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  BndSketchesPage *page;
  gsize length;

  /* The conventions follow the interface language (bnd_locale_current()); binding the
   * catalogue again makes gettext forget the other language's translations. */
  g_setenv ("LANGUAGE", data, TRUE);
  bnd_i18n_init ();

  fixture->directory = g_dir_make_tmp ("bnd-input-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store = bnd_store_new (fixture->directory, &error);
  g_assert_no_error (error);
  fixture->strategy = bnd_strategy_new_default (&error);
  g_assert_no_error (error);

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  sketch = bnd_sketch_new_from_data (contents, length, path, fixture->strategy, &error);
  g_assert_no_error (error);
  bnd_store_save (fixture->store, sketch, &error);
  g_assert_no_error (error);

  fixture->window = g_object_ref_sink (bnd_window_new (NULL));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 900);
  bnd_window_set_store (fixture->window, fixture->store);
  bnd_window_set_strategy (fixture->window, fixture->strategy);
  gtk_window_present (GTK_WINDOW (fixture->window));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-view", "s", "sketches");

  page = BND_SKETCHES_PAGE (bnd_window_get_view (fixture->window, "sketches"));
  fixture->editor = bnd_sketches_page_get_editor (page);
  bnd_sketches_page_open (page, REFERENCE_UUID);
  settle (fixture, 300);
  g_assert_nonnull (SKETCH (fixture));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", fixture->directory);

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->strategy);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  g_free (fixture->directory);
}

static void
find_all (GtkWidget *root,
          GType      type,
          GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    g_ptr_array_add (found, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    find_all (child, type, found);
}

/* The editor's amount fields in the order of the form: the cost items, then the requested
 * funding, the own contribution and the co-financing. */
static BndAmountEntry *
amount_field (Fixture *fixture,
              guint    index)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  find_all (GTK_WIDGET (fixture->editor), BND_TYPE_AMOUNT_ENTRY, found);
  g_assert_cmpuint (found->len, ==, bnd_sketch_get_cost_items (SKETCH (fixture))->len + 3);
  return g_ptr_array_index (found, index);
}

static BndDateEntry *
date_field (Fixture *fixture,
            guint    index)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  find_all (GTK_WIDGET (fixture->editor), BND_TYPE_DATE_ENTRY, found);
  g_assert_cmpuint (found->len, ==, 2);
  return g_ptr_array_index (found, index);
}

/* Types @text into @editable as the keyboard would, character by character, and presses Enter,
 * which takes the text as leaving the field or a pause in typing would. */
static void
type_text (GtkEditable *editable,
           const char  *text)
{
  int position = 0;

  gtk_widget_grab_focus (GTK_WIDGET (editable));
  gtk_editable_delete_text (editable, 0, -1);
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    gtk_editable_insert_text (editable, p, g_utf8_next_char (p) - p, &position);
  g_signal_emit_by_name (editable, "activate");
}

static double
cost_item (BndSketch *sketch,
           guint      index)
{
  return g_array_index (bnd_sketch_get_cost_items (sketch), BndCostItem, index).amount;
}

/* The label under a field that says what is wrong, when it is shown. */
static const char *
shown_error (GtkWidget *field)
{
  GtkWidget *row = gtk_widget_get_ancestor (field, GTK_TYPE_LIST_BOX_ROW);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  /* Below a cost item, in its own row; below a financing or date row, the next row. */
  find_all (row, GTK_TYPE_LABEL, labels);
  if (gtk_widget_get_next_sibling (row))
    find_all (gtk_widget_get_next_sibling (row), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (gtk_widget_has_css_class (label, "error") && gtk_widget_is_visible (label))
        return gtk_label_get_label (GTK_LABEL (label));
    }
  return NULL;
}

static gboolean
stored_cost_is_typed (Fixture *fixture)
{
  g_autoptr(BndSketch) stored = bnd_store_load (fixture->store, REFERENCE_UUID, NULL, NULL);

  return stored && cost_item (stored, 0) == 120000.50 && bnd_sketch_get_requested (stored) == 130000;
}

static void
test_amount_german (Fixture       *fixture,
                    gconstpointer  data)
{
  BndAmountEntry *first = amount_field (fixture, 0);
  BndAmountEntry *requested = amount_field (fixture, bnd_sketch_get_cost_items (SKETCH (fixture))->len);
  GtkEditable *text = bnd_text_field_get_editable (BND_TEXT_FIELD (first));

  /* Shown as German writes money, grouped */
  g_assert_cmpstr (gtk_editable_get_text (text), ==, "148.000,00\302\240€");

  type_text (text, "120.000,50");
  g_assert_cmpfloat (cost_item (SKETCH (fixture), 0), ==, 120000.50);
  type_text (text, "120.000");
  g_assert_cmpfloat (cost_item (SKETCH (fixture), 0), ==, 120000);
  type_text (text, "120.000,50");
  type_text (bnd_text_field_get_editable (BND_TEXT_FIELD (requested)), "130.000 €");
  g_assert_cmpfloat (bnd_sketch_get_requested (SKETCH (fixture)), ==, 130000);
  g_assert_true (wait_for (stored_cost_is_typed, fixture, 10));

  /* Leaving the field writes it back as read: "120.000,50 €" */
  gtk_widget_grab_focus (GTK_WIDGET (bnd_text_field_get_editable (BND_TEXT_FIELD (requested))));
  g_assert_cmpstr (gtk_editable_get_text (text), ==, "120.000,50\302\240€");
  g_assert_null (shown_error (GTK_WIDGET (first)));
  shoot (fixture, "cost-table", GTK_WIDGET (amount_field (fixture, bnd_sketch_get_cost_items (SKETCH (fixture))->len)));

  /* Garbage, and an English amount in German: refused at the field, the value kept. */
  for (const char *const *bad = (const char *const[]){ "zwölf", "120,000.50", "120000.50", "12,345", NULL }; *bad; bad++)
    {
      type_text (text, *bad);
      g_assert_cmpfloat (cost_item (SKETCH (fixture), 0), ==, 120000.50);
      g_assert_nonnull (bnd_text_field_get_error (BND_TEXT_FIELD (first)));
      g_assert_cmpstr (shown_error (GTK_WIDGET (first)), ==, bnd_text_field_get_error (BND_TEXT_FIELD (first)));
      /* In German, with German quotes */
      g_assert_true (g_str_has_prefix (shown_error (GTK_WIDGET (first)), "„"));
      g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (text), "error"));
    }
  shoot (fixture, "amount-error", GTK_WIDGET (first));
  settle (fixture, 1500);
  {
    g_autoptr(BndSketch) stored = bnd_store_load (fixture->store, REFERENCE_UUID, NULL, NULL);

    g_assert_cmpfloat (cost_item (stored, 0), ==, 120000.50);
  }

  /* Typed right, the error goes at once */
  type_text (text, "98.000,00");
  g_assert_cmpfloat (cost_item (SKETCH (fixture), 0), ==, 98000);
  g_assert_null (bnd_text_field_get_error (BND_TEXT_FIELD (first)));
  g_assert_null (shown_error (GTK_WIDGET (first)));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (text), "error"));
}

static void
test_amount_english (Fixture       *fixture,
                     gconstpointer  data)
{
  BndAmountEntry *first = amount_field (fixture, 0);
  GtkEditable *text = bnd_text_field_get_editable (BND_TEXT_FIELD (first));

  g_assert_cmpstr (gtk_editable_get_text (text), ==, "€148,000.00");
  type_text (text, "120,000.50");
  g_assert_cmpfloat (cost_item (SKETCH (fixture), 0), ==, 120000.50);
  type_text (text, "120,000");
  g_assert_cmpfloat (cost_item (SKETCH (fixture), 0), ==, 120000);
  gtk_widget_grab_focus (GTK_WIDGET (bnd_text_field_get_editable (BND_TEXT_FIELD (amount_field (fixture, 1)))));
  g_assert_cmpstr (gtk_editable_get_text (text), ==, "€120,000.00");
  shoot (fixture, "cost-table", GTK_WIDGET (amount_field (fixture, bnd_sketch_get_cost_items (SKETCH (fixture))->len)));
  type_text (text, "120.000,50");
  g_assert_cmpfloat (cost_item (SKETCH (fixture), 0), ==, 120000);
  g_assert_nonnull (strstr (shown_error (GTK_WIDGET (first)), "is not an amount"));
  shoot (fixture, "amount-error", GTK_WIDGET (first));
}

static gboolean
duration_todo (Fixture *fixture)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  find_all (GTK_WIDGET (fixture->editor), ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);

      if (g_str_equal (gtk_widget_get_name (row), "duration") && gtk_widget_is_visible (row))
        return TRUE;
    }
  return FALSE;
}

static gboolean no_duration_todo (Fixture *fixture) { return !duration_todo (fixture); }

static gboolean
stored_start (Fixture *fixture)
{
  g_autoptr(BndSketch) stored = bnd_store_load (fixture->store, REFERENCE_UUID, NULL, NULL);

  return stored && g_str_equal (bnd_sketch_get_start (stored), "2026-03-01");
}

static void
test_date_german (Fixture       *fixture,
                  gconstpointer  data)
{
  BndDateEntry *start = date_field (fixture, 0);
  GtkEditable *text = bnd_text_field_get_editable (BND_TEXT_FIELD (start));
  GtkWidget *button = bnd_date_entry_get_button (start);
  GtkWidget *calendar;
  g_autoptr(GDateTime) april = g_date_time_new_local (2026, 4, 15, 12, 0, 0);

  /* The sketch keeps ISO; the field shows the German day */
  g_assert_cmpstr (bnd_sketch_get_start (SKETCH (fixture)), ==, "2026-01-01");
  g_assert_cmpstr (gtk_editable_get_text (text), ==, "01.01.2026");

  /* No start, once the emptied field is left: the to-do list asks for the dates */
  type_text (text, "");
  g_assert_cmpstr (bnd_sketch_get_start (SKETCH (fixture)), ==, "");
  g_assert_true (wait_for (duration_todo, fixture, 10));

  /* "01.03.2026" is a day: stored as ISO, and the list no longer asks */
  type_text (text, "01.03.2026");
  g_assert_cmpstr (bnd_sketch_get_start (SKETCH (fixture)), ==, "2026-03-01");
  g_assert_true (wait_for (no_duration_todo, fixture, 10));
  g_assert_true (wait_for (stored_start, fixture, 10));

  /* A two-digit year is refused at the field and the day kept */
  type_text (text, "1.3.26");
  g_assert_cmpstr (bnd_sketch_get_start (SKETCH (fixture)), ==, "2026-03-01");
  g_assert_nonnull (bnd_text_field_get_error (BND_TEXT_FIELD (start)));
  g_assert_cmpstr (shown_error (GTK_WIDGET (start)), ==, bnd_text_field_get_error (BND_TEXT_FIELD (start)));
  g_assert_nonnull (strstr (shown_error (GTK_WIDGET (start)), "ist kein Datum"));
  g_assert_true (wait_for (no_duration_todo, fixture, 10));
  shoot (fixture, "date-error", GTK_WIDGET (start));

  /* The calendar opens at the field's day, or today; a picked day goes into the field. */
  type_text (text, "01.03.2026");
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  calendar = gtk_popover_get_child (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button)));
  g_assert_true (GTK_IS_CALENDAR (calendar));
  settle (fixture, 200);
  {
    g_autoptr(GDateTime) shown = gtk_calendar_get_date (GTK_CALENDAR (calendar));

    g_assert_cmpint (g_date_time_get_month (shown), ==, 3);
    g_assert_cmpint (g_date_time_get_day_of_month (shown), ==, 1);
  }
  shoot (fixture, "date-picker", GTK_WIDGET (start));
  gtk_calendar_select_day (GTK_CALENDAR (calendar), april);
  g_signal_emit_by_name (calendar, "day-selected");
  g_assert_cmpstr (bnd_sketch_get_start (SKETCH (fixture)), ==, "2026-04-15");
  g_assert_cmpstr (gtk_editable_get_text (text), ==, "15.04.2026");
  g_assert_null (bnd_text_field_get_error (BND_TEXT_FIELD (start)));
  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
  settle (fixture, 200);
}

static void
test_date_english (Fixture       *fixture,
                   gconstpointer  data)
{
  BndDateEntry *start = date_field (fixture, 0);
  GtkEditable *text = bnd_text_field_get_editable (BND_TEXT_FIELD (start));

  /* ISO in English: no reader takes it for another day */
  g_assert_cmpstr (gtk_editable_get_text (text), ==, "2026-01-01");
  type_text (text, "01.03.2026");
  g_assert_cmpstr (bnd_sketch_get_start (SKETCH (fixture)), ==, "2026-03-01");
  type_text (text, "03/01/2026");
  g_assert_cmpstr (bnd_sketch_get_start (SKETCH (fixture)), ==, "2026-03-01");
  g_assert_nonnull (strstr (shown_error (GTK_WIDGET (start)), "is not a date"));
  shoot (fixture, "date-error", GTK_WIDGET (start));

  if (g_getenv ("BUENDNIS_SHOTS"))
    {
      GtkWidget *button = bnd_date_entry_get_button (start);

      type_text (text, "2026-03-01");
      gtk_menu_button_popup (GTK_MENU_BUTTON (button));
      shoot (fixture, "date-picker", GTK_WIDGET (start));
      gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
      settle (fixture, 200);
    }
}

static void
xdotool (const char *arguments)
{
  g_autofree char *command = g_strconcat ("xdotool ", arguments, NULL);
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static GtkAdjustment *watched;
static double watched_from;

static gboolean
page_moved (Fixture *fixture)
{
  return gtk_adjustment_get_value (watched) != watched_from;
}

/* Clicks the wheel over @widget with xdotool, as a mouse would on the X server, and waits for
 * @adjustment to move (at most a few seconds: the machine may be busy). */
static void
wheel_over (Fixture       *fixture,
            GtkWidget     *widget,
            GtkAdjustment *adjustment)
{
  GtkNative *native = gtk_widget_get_native (widget);
  gulong xid = gdk_x11_surface_get_xid (gtk_native_get_surface (native));
  g_autofree char *move = NULL;
  graphene_point_t point;
  double dx, dy;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native),
                                           &GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.0,
                                                                 gtk_widget_get_height (widget) / 2.0),
                                           &point));
  gtk_native_get_surface_transform (native, &dx, &dy);
  /* The pointer arrives first, so that the window knows it is over the field. */
  move = g_strdup_printf ("mousemove --window %lu %d %d", xid, (int)(point.x + dx), (int)(point.y + dy));
  xdotool (move);
  settle (fixture, 300);
  watched = adjustment;
  watched_from = gtk_adjustment_get_value (adjustment);
  xdotool ("click --repeat 3 --delay 50 5");
  wait_for (page_moved, fixture, 5);
  settle (fixture, 300);
}

/* The wheel over "Beantragte Förderung" scrolls the page and leaves the amount alone. That the
 * page moved shows the wheel did arrive over the field. */
static void
test_wheel (Fixture       *fixture,
            gconstpointer  data)
{
  BndAmountEntry *requested = amount_field (fixture, bnd_sketch_get_cost_items (SKETCH (fixture))->len);
  GtkWidget *scrolled = gtk_widget_get_ancestor (GTK_WIDGET (requested), GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  double value = bnd_sketch_get_requested (SKETCH (fixture));
  double before;

  if (!GDK_IS_X11_DISPLAY (gtk_widget_get_display (GTK_WIDGET (requested))))
    {
      g_test_skip ("the wheel is clicked with xdotool, on X11");
      return;
    }

  /* Brought into the middle of the page, as scrolling to it would, and not focused. */
  gtk_widget_grab_focus (GTK_WIDGET (bnd_text_field_get_editable (BND_TEXT_FIELD (amount_field (fixture, 0)))));
  settle (fixture, 500);
  bring_into_view (fixture, GTK_WIDGET (requested));
  g_assert_false (gtk_widget_has_focus (GTK_WIDGET (bnd_text_field_get_editable (BND_TEXT_FIELD (requested)))));
  before = gtk_adjustment_get_value (adjustment);
  g_assert_cmpfloat (before, <, gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));

  wheel_over (fixture, GTK_WIDGET (requested), adjustment);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), >, before);
  g_assert_cmpfloat (bnd_sketch_get_requested (SKETCH (fixture)), ==, value);
  g_assert_cmpfloat (bnd_amount_entry_get_value (requested), ==, value);
}

static GtkWidget *
find_text_row (GtkWidget  *root,
               const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  find_all (root, ADW_TYPE_PREFERENCES_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title) == 0)
      return g_ptr_array_index (rows, i);
  return NULL;
}

static GtkWidget *preferences;
static GtkWidget *shown_sign_in_error;

static gboolean
sign_in_refused (Fixture *fixture)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  find_all (preferences, GTK_TYPE_LABEL, labels);
  shown_sign_in_error = NULL;
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (labels, i), "error") &&
        gtk_widget_is_visible (g_ptr_array_index (labels, i)))
      shown_sign_in_error = g_ptr_array_index (labels, i);
  return shown_sign_in_error != NULL;
}

/* A wrong password: the server's refusal in German at the sign-in form, whole, without an HTTP
 * status, instead of "Der Server hat abgelehnt: 401 Wrong user name or p…" in a toast. */
static void
test_sign_in_error (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BndStrategy) strategy = bnd_strategy_new_default (&error);
  g_autofree char *profile = g_dir_make_tmp ("bnd-input-XXXXXX", NULL);
  g_autofree char *url = NULL;
  g_autofree char *remove = NULL;
  g_autoptr(BndStore) store = bnd_store_new (profile, &error);
  g_autoptr(BndSyncManager) sync = bnd_sync_manager_new (store, strategy);
  BndTestServer server = { 0 };
  Fixture fixture = { 0 };
  const char *text;

  g_setenv ("LANGUAGE", "de", TRUE);
  bnd_i18n_init ();
  server.data = g_dir_make_tmp ("bnd-server-XXXXXX", NULL);
  bnd_test_server_admin (NULL, "init", "--data", server.data, NULL);
  bnd_test_server_add_user (server.data, "anna", "lk-heidekreis", "carrier");
  bnd_test_server_serve (&server, 0);
  url = g_strdup_printf ("http://127.0.0.1:%u", server.port);

  preferences = g_object_ref_sink (GTK_WIDGET (bnd_preferences_window_new (NULL, sync)));
  gtk_window_present (GTK_WINDOW (preferences));
  g_assert_false (sign_in_refused (&fixture));
  gtk_editable_set_text (GTK_EDITABLE (find_text_row (preferences, "Serveradresse")), url);
  gtk_editable_set_text (GTK_EDITABLE (find_text_row (preferences, "Benutzername")), "anna");
  gtk_editable_set_text (GTK_EDITABLE (find_text_row (preferences, "Passwort")), "falsch-12345");
  g_signal_emit_by_name (find_text_row (preferences, "Passwort"), "entry-activated");
  g_assert_true (wait_for (sign_in_refused, &fixture, 20));

  text = gtk_label_get_label (GTK_LABEL (shown_sign_in_error));
  g_assert_cmpstr (text, ==, "Falscher Benutzername oder falsches Passwort");
  g_assert_null (strstr (text, "401"));
  g_assert_true (gtk_label_get_wrap (GTK_LABEL (shown_sign_in_error)));
  g_assert_cmpint (gtk_label_get_ellipsize (GTK_LABEL (shown_sign_in_error)), ==, PANGO_ELLIPSIZE_NONE);
  if (g_getenv ("BUENDNIS_SHOTS"))
    {
      g_autofree char *command = g_strdup_printf ("import -window root %s-sign-in-error-de.png",
                                                  g_getenv ("BUENDNIS_SHOTS"));

      settle (&fixture, 600);
      g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
    }

  /* Typing again takes the error away */
  gtk_editable_set_text (GTK_EDITABLE (find_text_row (preferences, "Passwort")), BND_TEST_PASSWORD);
  g_assert_false (sign_in_refused (&fixture));

  gtk_window_destroy (GTK_WINDOW (preferences));
  g_clear_object (&preferences);
  bnd_test_server_stop (&server);
  remove = g_strdup_printf ("rm -rf '%s' '%s'", profile, server.data);
  g_spawn_command_line_sync (remove, NULL, NULL, NULL, NULL);
  g_free (server.data);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  /* The build tree's catalogue (BUENDNIS_LOCALEDIR), so that the German errors are German; after
   * gtk_test_init(), which sets a locale of its own. LANGUAGE only counts outside the C locale. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  bnd_i18n_init ();
  adw_init ();
  bnd_register_resource ();

  g_test_add ("/input/amount-german", Fixture, "de", fixture_set_up, test_amount_german, fixture_tear_down);
  g_test_add ("/input/amount-english", Fixture, "en", fixture_set_up, test_amount_english, fixture_tear_down);
  g_test_add ("/input/date-german", Fixture, "de", fixture_set_up, test_date_german, fixture_tear_down);
  g_test_add ("/input/date-english", Fixture, "en", fixture_set_up, test_date_english, fixture_tear_down);
  g_test_add ("/input/wheel", Fixture, "de", fixture_set_up, test_wheel, fixture_tear_down);
  g_test_add_func ("/input/sign-in-error", test_sign_in_error);

  return g_test_run ();
}
