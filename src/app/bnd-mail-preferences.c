/* bnd-mail-preferences.c: the "E-mail notifications" group of the preferences
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-mail-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "bnd-mail-preferences.h"

/* The signed-in user's e-mail settings on the server (GET and PATCH /api/v1/me): the address,
 * the language of the messages and whether to get any. Each change is saved at once; a refusal
 * is shown under the address in the user's language (the sync layer translates the server's
 * code), and the field keeps what was typed so that it can be corrected. Signed out, the group
 * says why it cannot be used. */

struct _BndMailPreferences
{
  AdwPreferencesGroup  parent_instance;

  BndSyncManager      *sync;
  GCancellable        *cancellable;
  GtkWidget           *email_row;
  GtkWidget           *error_row;
  GtkWidget           *error_label;
  GtkWidget           *language_row;
  GtkWidget           *enabled_row;
  GtkWidget           *enabled_switch;
  gboolean             loading;      /* filling in what the server has: no saving */
};

G_DEFINE_FINAL_TYPE (BndMailPreferences, bnd_mail_preferences, ADW_TYPE_PREFERENCES_GROUP)

/* The languages as their speakers name them, in the order of the combo row. */
static const char *languages[] = { "de", "en" };

static void
show_error (BndMailPreferences *self,
            const char         *message)
{
  gtk_label_set_text (GTK_LABEL (self->error_label), message ? message : "");
  gtk_widget_set_visible (self->error_row, message != NULL);
  if (message)
    gtk_widget_add_css_class (self->email_row, "error");
  else
    gtk_widget_remove_css_class (self->email_row, "error");
}

static void
fill (BndMailPreferences *self,
      JsonObject         *me)
{
  const char *email = json_object_get_string_member_with_default (me, "email", NULL);
  const char *language = json_object_get_string_member_with_default (me, "language", "de");

  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->email_row), email ? email : "");
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->language_row), g_strcmp0 (language, "en") == 0 ? 1 : 0);
  gtk_switch_set_active (GTK_SWITCH (self->enabled_switch),
                         json_object_get_boolean_member_with_default (me, "notifications", TRUE));
  self->loading = FALSE;
}

static void
answered_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(BndMailPreferences) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  if (!(answer = bnd_sync_manager_call_finish (BND_SYNC_MANAGER (object), result, &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->sync != NULL)
        show_error (self, error->message);
      return;
    }
  if (self->sync == NULL)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
  show_error (self, NULL);
  if (JSON_NODE_HOLDS_OBJECT (answer))
    fill (self, json_node_get_object (answer));
}

static void
save (BndMailPreferences *self,
      const char         *member,
      JsonNode           *value)
{
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) object = json_object_new ();

  if (self->loading || self->sync == NULL)
    {
      json_node_unref (value);
      return;
    }
  json_object_set_member (object, member, value);
  json_node_set_object (body, object);
  bnd_sync_manager_call_async (self->sync, "PATCH", "/me", body, answered_cb, g_object_ref (self));
}

static void
on_email_apply_cb (BndMailPreferences *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->email_row))));
  JsonNode *value = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (value, text);
  save (self, "email", value);
}

static void
on_language_notify_cb (BndMailPreferences *self)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->language_row));
  JsonNode *value = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (value, languages[MIN (selected, G_N_ELEMENTS (languages) - 1)]);
  save (self, "language", value);
}

static void
on_enabled_notify_cb (BndMailPreferences *self)
{
  JsonNode *value = json_node_new (JSON_NODE_VALUE);

  json_node_set_boolean (value, gtk_switch_get_active (GTK_SWITCH (self->enabled_switch)));
  save (self, "notifications", value);
}

/**
 * bnd_mail_preferences_reload:
 *
 * Reads the settings from the server when signed in; signed out, the group is insensitive and
 * says why.
 */
void
bnd_mail_preferences_reload (BndMailPreferences *self)
{
  gboolean signed_in = bnd_sync_manager_get_status (self->sync) != BND_SYNC_SIGNED_OUT &&
                       bnd_sync_manager_get_url (self->sync) != NULL;

  show_error (self, NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                         signed_in ? _("The server tells you by e-mail when a dossier of yours "
                                                       "moves on or waits for you, and reminds you of deadlines.")
                                                   : _("Sign in to choose where and in which language the server "
                                                       "e-mails you."));
  if (signed_in)
    bnd_sync_manager_call_async (self->sync, "GET", "/me", NULL, answered_cb, g_object_ref (self));
}

static void
bnd_mail_preferences_dispose (GObject *object)
{
  BndMailPreferences *self = (BndMailPreferences *)object;

  g_clear_object (&self->sync);
  G_OBJECT_CLASS (bnd_mail_preferences_parent_class)->dispose (object);
}

static void
bnd_mail_preferences_class_init (BndMailPreferencesClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = bnd_mail_preferences_dispose;
}

static void
bnd_mail_preferences_init (BndMailPreferences *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new ((const char *[]) { "Deutsch", "English", NULL });

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("E-mail Notifications"));

  self->email_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->email_row), _("E-mail address"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (self->email_row), TRUE);
  gtk_editable_set_enable_undo (GTK_EDITABLE (self->email_row), TRUE);
  g_signal_connect_swapped (self->email_row, "apply", G_CALLBACK (on_email_apply_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), self->email_row);

  /* The refusal, right under the field it is about. */
  self->error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->error_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->error_label), 0);
  gtk_widget_add_css_class (self->error_label, "error");
  gtk_widget_add_css_class (self->error_label, "caption");
  gtk_widget_set_margin_top (self->error_label, 6);
  gtk_widget_set_margin_bottom (self->error_label, 6);
  gtk_widget_set_margin_start (self->error_label, 12);
  gtk_widget_set_margin_end (self->error_label, 12);
  /* A row of the list, so that it sits under the address rather than under the whole group. */
  self->error_row = adw_preferences_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self->error_row), self->error_label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self->error_row), FALSE);
  gtk_widget_set_visible (self->error_row, FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), self->error_row);

  self->language_row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->language_row), _("Language of the messages"));
  adw_combo_row_set_model (ADW_COMBO_ROW (self->language_row), G_LIST_MODEL (names));
  g_signal_connect_swapped (self->language_row, "notify::selected", G_CALLBACK (on_language_notify_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), self->language_row);

  self->enabled_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->enabled_row), _("Send me e-mail"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->enabled_row),
                               _("Results, requests, openings of rating rounds and votes, reminders"));
  self->enabled_switch = gtk_switch_new ();
  gtk_widget_set_valign (self->enabled_switch, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->enabled_row), self->enabled_switch);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self->enabled_row), self->enabled_switch);
  g_signal_connect_swapped (self->enabled_switch, "notify::active", G_CALLBACK (on_enabled_notify_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), self->enabled_row);
}

BndMailPreferences *
bnd_mail_preferences_new (BndSyncManager *sync)
{
  BndMailPreferences *self = g_object_new (BND_TYPE_MAIL_PREFERENCES, NULL);

  self->sync = g_object_ref (sync);
  bnd_mail_preferences_reload (self);
  return self;
}
