/* bnd-preferences-window.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "bnd-mail-preferences.h"
#include "bnd-preferences-window.h"
#include "bnd-sync.h"
#include "bnd-sync-url.h"

/* The server: where it is, signing in and out, and the account's e-mail (bnd-mail-preferences.c). The password is only sent, never kept; the token
 * the server gives back goes to the keyring. */

struct _BndPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  BndSyncManager       *sync;
  GtkWidget            *url_row;
  GtkWidget            *user_row;
  GtkWidget            *password_row;
  GtkWidget            *sign_in_button;
  GtkWidget            *sign_in_error;   /* why the last sign-in failed, at the form */
  GtkWidget            *signed_in_row;
  GtkWidget            *sign_in_group;
  GtkWidget            *page;
  GtkWidget            *account_group;
  BndMailPreferences   *mail_group;
  GCancellable         *cancellable;
};

G_DEFINE_FINAL_TYPE (BndPreferencesWindow, bnd_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
update (BndPreferencesWindow *self)
{
  const char *url = bnd_sync_manager_get_url (self->sync);
  gboolean signed_in = bnd_sync_manager_get_status (self->sync) != BND_SYNC_SIGNED_OUT && url != NULL;

  gtk_widget_set_visible (self->sign_in_group, !signed_in);
  gtk_widget_set_visible (self->account_group, signed_in);
  if (signed_in)
    {
      /* Translators: "anna at https://buendnis.example" */
      g_autofree char *text = g_strdup_printf (_("%s at %s"), bnd_sync_manager_get_user (self->sync), url);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->signed_in_row), text);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->signed_in_row), bnd_sync_manager_get_status_text (self->sync));
    }
  if (self->mail_group)
    bnd_mail_preferences_reload (self->mail_group);
}

static void
show_sign_in_error (BndPreferencesWindow *self,
                    const char           *message)
{
  gtk_label_set_label (GTK_LABEL (self->sign_in_error), message ? message : "");
  gtk_widget_set_visible (self->sign_in_error, message != NULL);
  if (message)
    gtk_widget_add_css_class (self->password_row, "error");
  else
    gtk_widget_remove_css_class (self->password_row, "error");
}

static void
on_sign_in_edited_cb (BndPreferencesWindow *self)
{
  show_sign_in_error (self, NULL);
}

static void
signed_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(BndPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (self->sign_in_button == NULL)
    return;
  gtk_widget_set_sensitive (self->sign_in_button, TRUE);
  if (!bnd_sync_manager_sign_in_finish (BND_SYNC_MANAGER (object), result, &error))
    {
      /* The server's refusal in the user's language (bnd_api_error_from_answer()), at the form
       * and in full: a toast cuts a long sentence off and is gone before it is read. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_sign_in_error (self, error->message);
      return;
    }
  show_sign_in_error (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  update (self);
}

static void
on_sign_in_clicked_cb (BndPreferencesWindow *self)
{
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->url_row));

  /* Passwords and tokens go over HTTPS; plain HTTP only to this computer (a local server),
   * which the toast leaves unsaid: it is for developers, and a toast has room for one idea. */
  if (!bnd_sync_url_may_carry_password (url))
    {
      show_sign_in_error (self, _("Use an https:// address without “name@”"));
      return;
    }
  gtk_widget_set_sensitive (self->sign_in_button, FALSE);
  bnd_sync_manager_sign_in_async (self->sync, url, gtk_editable_get_text (GTK_EDITABLE (self->user_row)),
                                  gtk_editable_get_text (GTK_EDITABLE (self->password_row)), self->cancellable,
                                  signed_in_cb, g_object_ref (self));
}

static void
on_sign_out_clicked_cb (BndPreferencesWindow *self)
{
  bnd_sync_manager_sign_out (self->sync);
  update (self);
}

static void
bnd_preferences_window_dispose (GObject *object)
{
  BndPreferencesWindow *self = (BndPreferencesWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->sync);
  self->sign_in_button = NULL;

  G_OBJECT_CLASS (bnd_preferences_window_parent_class)->dispose (object);
}

static void
bnd_preferences_window_class_init (BndPreferencesWindowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = bnd_preferences_window_dispose;
}

static void
bnd_preferences_window_init (BndPreferencesWindow *self)
{
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *button_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *sign_out;

  self->cancellable = g_cancellable_new ();
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page), _("Server"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (page), "network-server-symbolic");

  self->sign_in_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->sign_in_group), _("Sign In"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->sign_in_group),
                                         _("Sketches are synced with the alliance's server and submitted there. "
                                           "Everything also works offline. On a service shared by several "
                                           "alliances, your alliance's address ends in /a/ and its short name."));
  self->url_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->url_row), _("Server address"));
  self->user_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->user_row), _("User name"));
  self->password_row = adw_password_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->password_row), _("Password"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->sign_in_group), self->url_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->sign_in_group), self->user_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->sign_in_group), self->password_row);
  self->sign_in_error = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->sign_in_error), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->sign_in_error), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (self->sign_in_error), 0);
  gtk_widget_set_margin_top (self->sign_in_error, 12);
  gtk_widget_add_css_class (self->sign_in_error, "error");
  gtk_widget_set_visible (self->sign_in_error, FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->sign_in_group), self->sign_in_error);
  g_signal_connect_swapped (self->url_row, "changed", G_CALLBACK (on_sign_in_edited_cb), self);
  g_signal_connect_swapped (self->user_row, "changed", G_CALLBACK (on_sign_in_edited_cb), self);
  g_signal_connect_swapped (self->password_row, "changed", G_CALLBACK (on_sign_in_edited_cb), self);
  self->sign_in_button = gtk_button_new_with_mnemonic (_("_Sign In"));
  gtk_widget_add_css_class (self->sign_in_button, "suggested-action");
  gtk_widget_add_css_class (self->sign_in_button, "pill");
  gtk_widget_set_halign (self->sign_in_button, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (self->sign_in_button, 12);
  g_signal_connect_swapped (self->sign_in_button, "clicked", G_CALLBACK (on_sign_in_clicked_cb), self);
  g_signal_connect_swapped (self->password_row, "entry-activated", G_CALLBACK (on_sign_in_clicked_cb), self);
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (self->password_row), FALSE);
  gtk_box_append (GTK_BOX (button_box), self->sign_in_button);
  gtk_widget_set_halign (button_box, GTK_ALIGN_CENTER);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->sign_in_group), button_box);

  self->account_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->account_group), _("Signed In"));
  self->signed_in_row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->signed_in_row), FALSE);
  sign_out = gtk_button_new_with_mnemonic (_("Sign _Out"));
  gtk_widget_set_valign (sign_out, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (sign_out, "destructive-action");
  g_signal_connect_swapped (sign_out, "clicked", G_CALLBACK (on_sign_out_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->signed_in_row), sign_out);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->account_group), self->signed_in_row);

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (self->sign_in_group));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (self->account_group));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (page));
  self->page = page;
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 640);
  adw_preferences_window_set_search_enabled (ADW_PREFERENCES_WINDOW (self), FALSE);
}

BndPreferencesWindow *
bnd_preferences_window_new (GtkWindow      *parent,
                            BndSyncManager *sync)
{
  /* A window of the application, so that its shortcuts work here too: F1 opens the help on
   * the preferences. It goes with the main window, which would otherwise leave the application
   * running with the preferences alone. */
  BndPreferencesWindow *self = g_object_new (BND_TYPE_PREFERENCES_WINDOW, "transient-for", parent, "modal", TRUE,
                                             "application", parent ? gtk_window_get_application (parent) : NULL,
                                             "destroy-with-parent", TRUE, NULL);

  self->sync = g_object_ref (sync);
  self->mail_group = bnd_mail_preferences_new (sync);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page), ADW_PREFERENCES_GROUP (self->mail_group));
  if (bnd_sync_manager_get_url (sync))
    gtk_editable_set_text (GTK_EDITABLE (self->url_row), bnd_sync_manager_get_url (sync));
  if (bnd_sync_manager_get_user (sync))
    gtk_editable_set_text (GTK_EDITABLE (self->user_row), bnd_sync_manager_get_user (sync));
  update (self);
  return self;
}
