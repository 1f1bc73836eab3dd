/* test-app-mail.c: the preferences' E-mail Notifications group against a real buendnis-server:
 * it shows the account's settings, saves each change, and shows a refusal under the address
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "bnd-mail-preferences.h"
#include "bnd-resources.h"
#include "bnd-strategy.h"
#include "bnd-sync.h"
#include "bnd-test-server.h"

typedef struct
{
  BndTestServer   server;
  char           *url;
  char           *token;
  char           *profile;
  BndStore       *store;
  BndSyncManager *sync;
  GtkWidget      *window;
  GtkWidget      *group;
} Fixture;

typedef gboolean (*Condition) (Fixture *fixture, gconstpointer data);

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

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

static GtkWidget *
find (GtkWidget *root,
      GType      type,
      const char *title)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) &&
      (title == NULL || (ADW_IS_PREFERENCES_ROW (root) &&
                         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find (child, type, title);

      if (found)
        return found;
    }
  return NULL;
}

/* What the server has for anna now */
static JsonNode *
me (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  JsonNode *answer = bnd_sync_call (fixture->url, fixture->token, "GET", "/me", NULL, &error);

  g_assert_no_error (error);
  return answer;
}

static gboolean
synced (Fixture       *fixture,
        gconstpointer  data)
{
  return bnd_sync_manager_get_status (fixture->sync) == BND_SYNC_SYNCED && !bnd_sync_manager_is_running (fixture->sync);
}

static gboolean
shows_address (Fixture       *fixture,
               gconstpointer  data)
{
  return g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (find (fixture->group, ADW_TYPE_ENTRY_ROW, "E-mail address"))),
                    data) == 0 && gtk_widget_get_sensitive (fixture->group);
}

static gboolean
shows_refusal (Fixture       *fixture,
               gconstpointer  data)
{
  return gtk_widget_has_css_class (find (fixture->group, ADW_TYPE_ENTRY_ROW, "E-mail address"), "error");
}

static gboolean
shows_no_refusal (Fixture       *fixture,
                  gconstpointer  data)
{
  return !shows_refusal (fixture, data);
}

static gboolean
server_has (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(JsonNode) node = me (fixture);
  JsonObject *object = json_node_get_object (node);
  g_autofree char *line = g_strdup_printf ("%s %s %s", json_object_get_string_member_with_default (object, "email", "-"),
                                           json_object_get_string_member (object, "language"),
                                           json_object_get_boolean_member (object, "notifications") ? "on" : "off");

  return g_str_equal (line, data);
}

/* The refusal's text, from the row under the address */
static const char *
refusal_text (Fixture *fixture)
{
  GtkWidget *entry = find (fixture->group, ADW_TYPE_ENTRY_ROW, "E-mail address");
  GtkWidget *next = gtk_widget_get_next_sibling (entry);
  GtkWidget *label = next ? find (next, GTK_TYPE_LABEL, NULL) : NULL;

  g_assert_nonnull (label);
  g_assert_true (gtk_widget_get_visible (next));
  return gtk_label_get_text (GTK_LABEL (label));
}

static void
test_mail_preferences (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BndStrategy) strategy = bnd_strategy_new_default (&error);
  Fixture fixture = { 0 };
  GtkWidget *entry, *combo, *toggle;

  fixture.server.data = g_dir_make_tmp ("bnd-server-XXXXXX", NULL);
  bnd_test_server_admin (NULL, "init", "--data", fixture.server.data, NULL);
  bnd_test_server_add_user (fixture.server.data, "anna", "lk-heidekreis", "carrier");
  bnd_test_server_admin (NULL, "set-mail", "--data", fixture.server.data, "--email", "anna@lk-heidekreis.example",
                         "anna", NULL);
  bnd_test_server_serve (&fixture.server, 0);
  fixture.url = g_strdup_printf ("http://127.0.0.1:%u", fixture.server.port);
  fixture.token = bnd_sync_login (fixture.url, "anna", BND_TEST_PASSWORD, &error);
  g_assert_no_error (error);

  fixture.profile = g_dir_make_tmp ("bnd-app-mail-XXXXXX", NULL);
  fixture.store = bnd_store_new (fixture.profile, &error);
  g_assert_no_error (error);
  fixture.sync = bnd_sync_manager_new (fixture.store, strategy);
  bnd_sync_manager_set_credentials (fixture.sync, fixture.url, "anna", fixture.token);
  bnd_sync_manager_sync_now (fixture.sync);
  g_assert_true (wait_until (&fixture, synced, NULL, 20));
  fixture.group = GTK_WIDGET (bnd_mail_preferences_new (fixture.sync));
  fixture.window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (fixture.window), fixture.group);
  gtk_window_present (GTK_WINDOW (fixture.window));

  /* What the server has is shown */
  g_assert_true (wait_until (&fixture, shows_address, "anna@lk-heidekreis.example", 20));
  entry = find (fixture.group, ADW_TYPE_ENTRY_ROW, "E-mail address");
  combo = find (fixture.group, ADW_TYPE_COMBO_ROW, "Language of the messages");
  toggle = find (fixture.group, GTK_TYPE_SWITCH, NULL);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (combo)), ==, 0);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (toggle)));

  /* An address that is none is refused under the field, and the server keeps the old one */
  gtk_editable_set_text (GTK_EDITABLE (entry), "anna@heidekreis");
  g_signal_emit_by_name (entry, "apply");
  g_assert_true (wait_until (&fixture, shows_refusal, NULL, 20));
  g_assert_cmpstr (refusal_text (&fixture), ==, "The e-mail address is not valid; write it as name@example.org");
  g_assert_true (server_has (&fixture, "anna@lk-heidekreis.example de on"));

  /* Each change is saved at once */
  gtk_editable_set_text (GTK_EDITABLE (entry), "anna@example.org");
  g_signal_emit_by_name (entry, "apply");
  g_assert_true (wait_until (&fixture, server_has, "anna@example.org de on", 20));
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), 1);
  g_assert_true (wait_until (&fixture, server_has, "anna@example.org en on", 20));
  gtk_switch_set_active (GTK_SWITCH (toggle), FALSE);
  g_assert_true (wait_until (&fixture, server_has, "anna@example.org en off", 20));
  g_assert_true (wait_until (&fixture, shows_no_refusal, NULL, 20));

  /* Signed out, the group cannot be used and says why */
  bnd_sync_manager_sign_out (fixture.sync);
  bnd_mail_preferences_reload (BND_MAIL_PREFERENCES (fixture.group));
  g_assert_false (gtk_widget_get_sensitive (fixture.group));
  g_assert_cmpstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (fixture.group)), ==,
                   "Sign in to choose where and in which language the server e-mails you.");

  gtk_window_destroy (GTK_WINDOW (fixture.window));
  g_object_unref (fixture.sync);
  g_object_unref (fixture.store);
  bnd_test_server_stop (&fixture.server);
  g_free (fixture.url);
  g_free (fixture.token);
  g_free (fixture.profile);
  g_free (fixture.server.data);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Animations stay on here, as people have them: the app must not dismiss a toast while it
   * slides in, which libadwaita 1.2.2 does not survive (bnd_window_add_toast()). */
  bnd_register_resource ();
  g_test_add_func ("/app-mail/preferences", test_mail_preferences);
  return g_test_run ();
}
