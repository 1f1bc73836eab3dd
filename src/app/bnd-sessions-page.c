/* bnd-sessions-page.c: the Lenkungskreis sessions, their agendas and minutes
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-sessions-page"

#include "config.h"

#include <glib/gi18n.h>

#include "bnd-date-entry.h"
#include "bnd-dossier-cache.h"
#include "bnd-field-error.h"
#include "bnd-input.h"
#include "bnd-json-check.h"
#include "bnd-procedure.h"
#include "bnd-format.h"
#include "bnd-session.h"
#include "bnd-sessions-page.h"
#include "bnd-stage.h"

/* Strategy §4.1: the Lenkungskreis meets "mindestens dreimal jährlich" to discuss and decide on
 * projects. This page lists the sessions from the last sync (GET /sessions, kept in the profile
 * so that they can be read offline) and shows one with its agenda. What it offers is what
 * bnd_procedure_may_session() allows the signed-in role: the network coordination plans, sets
 * the agenda, records outcomes and notes and marks a session held; everyone else reads. Each
 * change is one call to the server, followed by a sync that brings the session back. */

struct _BndSessionsPage
{
  GtkWidget       parent_instance;

  GtkWidget      *stack;
  GtkWidget      *list_box;      /* the "list" page's content */
  GtkWidget      *session_box;   /* the "session" page's content */

  BndStrategy    *strategy;
  BndSyncManager *sync;
  JsonNode       *sessions;      /* the cached answers */
  JsonNode       *portfolio;
  BndRole         role;
  char           *shown;         /* the session on the "session" page */
  const char     *done;          /* what to say when the call in flight succeeds, or NULL */
  gboolean        exporting;     /* a PDF is being rendered: a second export is refused */
};

G_DEFINE_FINAL_TYPE (BndSessionsPage, bnd_sessions_page, GTK_TYPE_WIDGET)

static void show_session (BndSessionsPage *self);

static void
toast (BndSessionsPage *self,
       const char      *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", message);
}

static JsonObject *
find_session (BndSessionsPage *self,
              const char      *uuid)
{
  JsonArray *list = bnd_json_array_of (bnd_json_as_object (self->sessions), "sessions");

  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      JsonObject *session = json_array_get_object_element (list, i);

      if (session && g_strcmp0 (json_object_get_string_member_with_default (session, "uuid", ""), uuid) == 0)
        return session;
    }
  return NULL;
}

static gboolean
may (BndSessionsPage  *self,
     BndSessionAction  action,
     JsonObject       *session)
{
  gboolean held = session && json_object_get_string_member_with_default (session, "held", NULL) != NULL;

  return bnd_procedure_may_session (action, self->role, held, NULL);
}

static void
clear_box (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)))
    gtk_box_remove (GTK_BOX (box), child);
}

/* Calls */

static void
called_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BndSessionsPage) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  const char *done;

  gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
  done = g_steal_pointer (&self->done);
  if (!(answer = bnd_sync_manager_call_finish (BND_SYNC_MANAGER (object), result, &error)))
    {
      g_autofree char *message = g_strdup_printf (_("Not done: %s"), error->message);

      toast (self, message);
      show_session (self);   /* back to what the last sync said, such as the outcome before */
      return;
    }
  /* A new session is shown at once; the sync brings it into the list. */
  if (self->shown == NULL)
    self->shown = g_strdup (json_object_get_string_member_with_default (bnd_json_as_object (answer), "uuid", NULL));
  toast (self, done ? _(done) : _("Done; the session is updated with this sync"));
}

static void
call (BndSessionsPage *self,
      const char      *method,
      const char      *path,
      JsonObject      *body)
{
  g_autoptr(JsonNode) node = NULL;

  if (body)
    {
      node = json_node_new (JSON_NODE_OBJECT);
      json_node_set_object (node, body);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
  bnd_sync_manager_call_async (self->sync, method, path, node, called_cb, g_object_ref (self));
}

static void
set_if_given (JsonObject *body,
              const char *name,
              const char *text)
{
  if (text && *text)
    json_object_set_string_member (body, name, text);
}

/* Planning a session */

static const char *
entry_text (GtkWidget *box,
            const char *name)
{
  return gtk_editable_get_text (GTK_EDITABLE (g_object_get_data (G_OBJECT (box), name)));
}

static void
on_plan_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     BndSessionsPage  *self)
{
  GtkWidget *box = adw_message_dialog_get_extra_child (dialog);
  g_autoptr(JsonObject) body = json_object_new ();
  BndDateEntry *day = g_object_get_data (G_OBJECT (box), "date");
  const char *date = NULL;
  g_autofree char *time = NULL;
  const char *time_text;

  if (!g_str_equal (response, "plan"))
    return;
  if (!bnd_text_field_check (BND_TEXT_FIELD (day)))
    return toast (self, bnd_text_field_get_error (BND_TEXT_FIELD (day)));
  date = bnd_date_entry_get_date (day);
  /* Days and times as people write them, ISO for the server; the day field says what is wrong
   * with a typed day and keeps the button insensitive until it is right. */
  if (date == NULL)
    return toast (self, _("Not done: the session needs a day"));
  time_text = entry_text (box, "time");
  if (*time_text && !(time = bnd_input_parse_time (time_text)))
    return toast (self, _("Not done: the time is written as 14:00"));
  g_clear_pointer (&self->shown, g_free);
  set_if_given (body, "title", entry_text (box, "title"));
  json_object_set_string_member (body, "date", date);
  set_if_given (body, "time", time);
  set_if_given (body, "place", entry_text (box, "place"));
  set_if_given (body, "link", entry_text (box, "link"));
  call (self, "POST", "/sessions", body);
}

static void
on_plan_day_changed_cb (GtkEditable *editable,
                        GtkWidget   *day)
{
  adw_message_dialog_set_response_enabled (g_object_get_data (G_OBJECT (day), "dialog"), "plan",
                                           bnd_text_field_is_valid (BND_TEXT_FIELD (day)));
}

static void
on_plan_clicked_cb (BndSessionsPage *self)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                              _("Plan a Lenkungskreis Session"),
                                              _("The Lenkungskreis meets at least three times a year "
                                                "(strategy §4.1). Give a place, an online link or both."));
  GtkWidget *list = gtk_list_box_new ();
  const char *names[] = { "title", "date", "time", "place", "link" };
  const char *titles[] = { _("Title"), _("Day"), _("Time (14:00)"), _("Place"), _("Online link") };

  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GtkWidget *row;

      if (g_str_equal (names[i], "date"))
        {
          GtkWidget *day = bnd_date_entry_new (titles[i]);

          row = adw_action_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), titles[i]);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), day);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), day);
          g_object_set_data (G_OBJECT (day), "dialog", dialog);
          g_signal_connect (bnd_text_field_get_editable (BND_TEXT_FIELD (day)), "changed",
                            G_CALLBACK (on_plan_day_changed_cb), day);
          gtk_list_box_append (GTK_LIST_BOX (list), row);
          gtk_list_box_append (GTK_LIST_BOX (list), bnd_field_error_row_new (day));
          g_object_set_data (G_OBJECT (list), names[i], day);
          continue;
        }
      row = adw_entry_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), titles[i]);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
      g_object_set_data (G_OBJECT (list), names[i], row);
    }
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "plan", _("_Plan"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "plan", ADW_RESPONSE_SUGGESTED);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_plan_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The agenda */

static void
on_add_clicked_cb (GtkWidget       *button,
                   BndSessionsPage *self)
{
  GtkDropDown *choice = g_object_get_data (G_OBJECT (button), "choice");
  GPtrArray *ids = g_object_get_data (G_OBJECT (button), "ids");
  guint selected = gtk_drop_down_get_selected (choice);
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *path = g_strdup_printf ("/sessions/%s/items", self->shown);

  if (ids == NULL || selected >= ids->len)
    return;
  json_object_set_string_member (body, "dossier", g_ptr_array_index (ids, selected));
  call (self, "POST", path, body);
}

static void
on_remove_clicked_cb (GtkWidget       *button,
                      BndSessionsPage *self)
{
  g_autofree char *path = g_strdup_printf ("/sessions/%s/items/%s", self->shown,
                                           (const char *)g_object_get_data (G_OBJECT (button), "dossier"));

  call (self, "DELETE", path, NULL);
}

static void
record_outcome (BndSessionsPage *self,
                const char      *dossier,
                const char      *outcome,
                const char      *reason)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *path = g_strdup_printf ("/sessions/%s/items/%s", self->shown, dossier);

  json_object_set_string_member (body, "outcome", outcome);
  set_if_given (body, "reason", reason);
  call (self, "PUT", path, body);
}

static void
on_vote_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     BndSessionsPage  *self)
{
  GtkWidget *entry = adw_message_dialog_get_extra_child (dialog);

  if (!g_str_equal (response, "open"))
    return show_session (self);
  record_outcome (self, g_object_get_data (G_OBJECT (dialog), "dossier"), "vote-opened",
                  gtk_editable_get_text (GTK_EDITABLE (entry)));
}

/* Opening the vote closes the rating round; before every entitled organisation rated, the
 * procedure asks why (bnd_procedure_check()), so the reason is asked here, once. */
static void
ask_vote_reason (BndSessionsPage *self,
                 const char      *dossier)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                              _("Open the Circulation Vote?"),
                                              _("This closes the dossier’s rating round. If not every entitled "
                                                "organisation has rated yet, give the reason for the audit trail."));
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "open", _("_Open Vote"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "open", ADW_RESPONSE_SUGGESTED);
  g_object_set_data_full (G_OBJECT (dialog), "dossier", g_strdup (dossier), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_vote_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_outcome_selected_cb (GtkDropDown     *choice,
                        GParamSpec      *pspec,
                        BndSessionsPage *self)
{
  guint selected = gtk_drop_down_get_selected (choice);
  const char *outcome = selected > 0 ? bnd_session_outcome_nth (selected - 1) : NULL;
  const char *dossier = g_object_get_data (G_OBJECT (choice), "dossier");

  if (outcome == NULL || g_object_get_data (G_OBJECT (choice), "filling"))
    return;
  if (g_str_equal (outcome, "vote-opened"))
    return ask_vote_reason (self, dossier);
  record_outcome (self, dossier, outcome, NULL);
}

static void
on_notes_applied_cb (AdwEntryRow     *row,
                     BndSessionsPage *self)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *path = g_strdup_printf ("/sessions/%s/items/%s", self->shown,
                                           (const char *)g_object_get_data (G_OBJECT (row), "dossier"));

  json_object_set_string_member (body, "notes", gtk_editable_get_text (GTK_EDITABLE (row)));
  call (self, "PUT", path, body);
}

static void
on_held_clicked_cb (BndSessionsPage *self)
{
  g_autofree char *path = g_strdup_printf ("/sessions/%s/held", self->shown);

  call (self, "POST", path, NULL);
}

static void
on_send_agenda_clicked_cb (BndSessionsPage *self)
{
  g_autofree char *path = g_strdup_printf ("/sessions/%s/send-agenda", self->shown);

  self->done = N_("The agenda goes out by e-mail to the partners");
  call (self, "POST", path, NULL);
}

/* Exports: the same renderer as `buendnis-cli session agenda-pdf | minutes-pdf`. */

static void
export_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(BndSessionsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not export the PDF: %s"), error->message);

      return toast (self, message);
    }
  toast (self, _("PDF exported"));
}

/* One export on its way: rendered on a worker (a PDF takes a while), then written to @file */
typedef struct
{
  BndStrategy        *strategy;
  JsonNode           *session;   /* holds the session: a sync may replace the page's sessions meanwhile */
  BndSessionDocument  document;
  GFile              *file;
} Export;

static void
export_free (Export *job)
{
  g_clear_object (&job->strategy);
  g_clear_pointer (&job->session, json_node_unref);
  g_clear_object (&job->file);
  g_free (job);
}

static void
render_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Export *job = task_data;
  GError *error = NULL;
  GBytes *bytes = bnd_session_render_pdf (job->strategy, json_node_get_object (job->session), job->document, &error);

  if (bytes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify)g_bytes_unref);
}

static void
export_rendered_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(BndSessionsPage) self = user_data;
  Export *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_task_propagate_pointer (G_TASK (result), &error);

  self->exporting = FALSE;
  if (bytes == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not export the PDF: %s"), error->message);

      return toast (self, message);
    }
  g_file_replace_contents_bytes_async (job->file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                                       export_written_cb, g_object_ref (self));
}

static void
on_export_response_cb (GtkNativeDialog *dialog,
                       int              response,
                       BndSessionsPage *self)
{
  BndSessionDocument document = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "document"));
  JsonObject *session = find_session (self, self->shown);
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT && session && !self->exporting &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))))
    {
      g_autoptr(GTask) task = g_task_new (NULL, NULL, export_rendered_cb, g_object_ref (self));
      g_autoptr(JsonNode) shown = json_node_new (JSON_NODE_OBJECT);
      g_autofree char *text = NULL;
      Export *job = g_new0 (Export, 1);

      job->strategy = g_object_ref (self->strategy);
      /* The thread gets its own copy: json-glib's reference counts are not for two threads, and
       * a reload replaces the page's sessions meanwhile. */
      json_node_set_object (shown, session);
      text = json_to_string (shown, FALSE);
      job->session = json_from_string (text, NULL);
      job->document = document;
      job->file = g_steal_pointer (&file);
      self->exporting = TRUE;
      g_task_set_source_tag (task, on_export_response_cb);
      g_task_set_task_data (task, job, (GDestroyNotify)export_free);
      g_task_run_in_thread (task, render_in_thread);
    }
  g_object_unref (dialog);
}

static void
export (BndSessionsPage    *self,
        BndSessionDocument  document)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *dialog;

  /* One export at a time: said before a file is chosen, not ignored after */
  if (self->exporting)
    {
      toast (self, _("The last export is still being written"));
      return;
    }
  dialog = gtk_file_chooser_native_new (document == BND_SESSION_MINUTES ? _("Export the Minutes") : _("Export the Agenda"),
                                        GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  /* Translators: file names of the exported agenda and minutes */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog),
                                     document == BND_SESSION_MINUTES ? _("Minutes.pdf") : _("Agenda.pdf"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_object_set_data (G_OBJECT (dialog), "document", GINT_TO_POINTER (document));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_export_agenda_clicked_cb (BndSessionsPage *self)
{
  export (self, BND_SESSION_AGENDA);
}

static void
on_export_minutes_clicked_cb (BndSessionsPage *self)
{
  export (self, BND_SESSION_MINUTES);
}

static void
on_back_clicked_cb (BndSessionsPage *self)
{
  g_clear_pointer (&self->shown, g_free);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "list");
}

/* Building the pages */

static GtkWidget *
button (const char *label,
        GCallback   callback,
        gpointer    data)
{
  GtkWidget *widget = gtk_button_new_with_mnemonic (label);

  g_signal_connect_swapped (widget, "clicked", callback, data);
  return widget;
}

static char *
item_subtitle (JsonObject *item)
{
  g_autofree char *amount = bnd_format_money_whole (json_object_get_double_member_with_default (item, "requested", 0), bnd_locale_current ());

  /* Translators: an agenda item's carrier, stage and requested amount */
  return g_strdup_printf (_("%s · %s · %s requested"),
                          json_object_get_string_member_with_default (item, "carrier", ""),
                          bnd_stage_get_label (json_object_get_string_member_with_default (item, "stage", "")),
                          amount);
}

static GtkWidget *
outcome_choice (BndSessionsPage *self,
                JsonObject      *item)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  const char *outcome = json_object_get_string_member_with_default (item, "outcome", NULL);
  const char *name;
  GtkWidget *choice;
  guint selected = 0;

  g_ptr_array_add (labels, (gpointer)_("No outcome yet"));
  for (guint i = 0; (name = bnd_session_outcome_nth (i)); i++)
    {
      g_ptr_array_add (labels, (gpointer)bnd_session_outcome_label (name));
      if (g_strcmp0 (outcome, name) == 0)
        selected = i + 1;
    }
  g_ptr_array_add (labels, NULL);
  choice = gtk_drop_down_new_from_strings ((const char * const *)labels->pdata);
  gtk_widget_set_valign (choice, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (choice), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Outcome"), -1);
  g_object_set_data_full (G_OBJECT (choice), "dossier",
                          g_strdup (json_object_get_string_member_with_default (item, "dossier", "")), g_free);
  g_object_set_data (G_OBJECT (choice), "filling", GINT_TO_POINTER (TRUE));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (choice), selected);
  g_object_set_data (G_OBJECT (choice), "filling", NULL);
  g_signal_connect_object (choice, "notify::selected", G_CALLBACK (on_outcome_selected_cb), self, 0);
  return choice;
}

static GtkWidget *
agenda_group (BndSessionsPage *self,
              JsonObject      *session)
{
  GtkWidget *group = adw_preferences_group_new ();
  JsonArray *items = bnd_json_array_of (session, "items");
  gboolean edit = may (self, BND_SESSION_EDIT_AGENDA, session);
  gboolean record = may (self, BND_SESSION_RECORD_OUTCOME, session);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Agenda"));
  if (items == NULL || json_array_get_length (items) == 0)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), _("No dossier is on the agenda."));
  for (guint i = 0; items && i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      const char *dossier = json_object_get_string_member_with_default (item, "dossier", "");
      const char *outcome = json_object_get_string_member_with_default (item, "outcome", NULL);
      const char *notes = json_object_get_string_member_with_default (item, "notes", "");
      g_autofree char *title = g_markup_printf_escaped ("%u. %s", i + 1,
                                                        json_object_get_string_member_with_default (item, "title", ""));
      g_autofree char *subtitle = item_subtitle (item);
      g_autofree char *escaped = g_markup_escape_text (subtitle, -1);
      GtkWidget *row;

      /* Nothing to unfold for a reader when the item has no notes. */
      if (!record && !edit && *notes == '\0')
        {
          GtkWidget *label = gtk_label_new (outcome ? bnd_session_outcome_label (outcome) : "");

          row = adw_action_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
          gtk_widget_add_css_class (label, "dim-label");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
          continue;
        }
      row = adw_expander_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), escaped);
      if (record)
        adw_expander_row_add_action (ADW_EXPANDER_ROW (row), outcome_choice (self, item));
      else
        {
          GtkWidget *label = gtk_label_new (outcome ? bnd_session_outcome_label (outcome) : "");

          gtk_widget_add_css_class (label, "dim-label");
          adw_expander_row_add_action (ADW_EXPANDER_ROW (row), label);
        }
      if (record)
        {
          GtkWidget *entry = adw_entry_row_new ();

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), _("Notes for the minutes"));
          gtk_editable_set_text (GTK_EDITABLE (entry), notes);
          adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (entry), TRUE);
          g_object_set_data_full (G_OBJECT (entry), "dossier", g_strdup (dossier), g_free);
          g_signal_connect_object (entry, "apply", G_CALLBACK (on_notes_applied_cb), self, 0);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (row), entry);
        }
      else if (*notes)
        {
          GtkWidget *note = adw_action_row_new ();
          g_autofree char *text = g_markup_escape_text (notes, -1);

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (note), _("Notes"));
          adw_action_row_set_subtitle (ADW_ACTION_ROW (note), text);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (row), note);
        }
      if (edit)
        {
          GtkWidget *remove = gtk_button_new_with_mnemonic (_("_Remove from Agenda"));
          GtkWidget *holder = adw_action_row_new ();

          gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (remove, "destructive-action");
          g_object_set_data_full (G_OBJECT (remove), "dossier", g_strdup (dossier), g_free);
          g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_clicked_cb), self, 0);
          adw_action_row_add_suffix (ADW_ACTION_ROW (holder), remove);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (row), holder);
        }
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  return group;
}

/* The open, submitted dossiers of the last sync that are not on @session's agenda yet. */
static GtkWidget *
add_group (BndSessionsPage *self,
           JsonObject      *session)
{
  JsonArray *dossiers = bnd_json_array_of (bnd_json_as_object (self->portfolio), "dossiers");
  JsonArray *items = bnd_json_array_of (session, "items");
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *choice, *add;

  for (guint i = 0; dossiers && i < json_array_get_length (dossiers); i++)
    {
      JsonObject *dossier = json_array_get_object_element (dossiers, i);
      const char *uuid = json_object_get_string_member_with_default (dossier, "uuid", "");
      gboolean listed = FALSE;

      for (guint j = 0; items && j < json_array_get_length (items); j++)
        listed |= g_strcmp0 (json_object_get_string_member_with_default (json_array_get_object_element (items, j),
                                                                          "dossier", ""), uuid) == 0;
      if (listed || !bnd_procedure_may_put_on_agenda (json_object_get_string_member_with_default (dossier, "stage", NULL),
                                                      NULL))
        continue;
      g_ptr_array_add (ids, g_strdup (uuid));
      g_ptr_array_add (labels, g_strdup (json_object_get_string_member_with_default (dossier, "title", "")));
    }
  g_ptr_array_add (labels, NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Put on the agenda"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  if (ids->len == 0)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Every open, submitted dossier is on the agenda"));
      g_ptr_array_unref (ids);
      return group;
    }
  choice = gtk_drop_down_new_from_strings ((const char * const *)labels->pdata);
  gtk_widget_set_valign (choice, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (choice, 260, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (choice), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Dossier to add"), -1);
  add = gtk_button_new_with_mnemonic (_("_Add"));
  gtk_widget_set_valign (add, GTK_ALIGN_CENTER);
  g_object_set_data (G_OBJECT (add), "choice", choice);
  g_object_set_data_full (G_OBJECT (add), "ids", ids, (GDestroyNotify)g_ptr_array_unref);
  g_signal_connect_object (add, "clicked", G_CALLBACK (on_add_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), choice);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), add);
  return group;
}

static void
show_session (BndSessionsPage *self)
{
  JsonObject *session = find_session (self, self->shown);
  g_autofree char *when = NULL;
  g_autoptr(GString) where = g_string_new (NULL);
  const char *place, *link, *held;
  GtkWidget *header, *title, *detail, *buttons, *actions;

  clear_box (self->session_box);
  if (session == NULL)
    return;
  when = bnd_session_describe_when (session);
  place = json_object_get_string_member_with_default (session, "place", NULL);
  link = json_object_get_string_member_with_default (session, "link", NULL);
  held = json_object_get_string_member_with_default (session, "held", NULL);
  g_string_append (where, when);
  if (place)
    g_string_append_printf (where, "\n%s %s", _("Place:"), place);
  if (link)
    g_string_append_printf (where, "\n%s %s", _("Online:"), link);
  if (held)
    {
      g_autofree char *day = bnd_session_format_date (held);

      g_string_append_printf (where, "\n%s %s", _("Held on:"), day);
    }

  header = button (_("_Back to Sessions"), G_CALLBACK (on_back_clicked_cb), self);
  gtk_widget_add_css_class (header, "flat");
  gtk_widget_set_halign (header, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (self->session_box), header);

  title = gtk_label_new (json_object_get_string_member_with_default (session, "title", ""));
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_add_css_class (title, "title-2");
  gtk_box_append (GTK_BOX (self->session_box), title);
  detail = gtk_label_new (where->str);
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_wrap (GTK_LABEL (detail), TRUE);
  gtk_label_set_selectable (GTK_LABEL (detail), TRUE);
  gtk_box_append (GTK_BOX (self->session_box), detail);

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (buttons), button (_("Export _Agenda…"), G_CALLBACK (on_export_agenda_clicked_cb), self));
  gtk_box_append (GTK_BOX (buttons), button (_("Export _Minutes…"), G_CALLBACK (on_export_minutes_clicked_cb), self));
  gtk_box_append (GTK_BOX (self->session_box), buttons);
  /* The coordination's actions in a row of their own: four German labels side by side are
   * wider than the page's column. */
  if (may (self, BND_SESSION_SEND_AGENDA, session) || may (self, BND_SESSION_MARK_HELD, session))
    {
      actions = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      if (may (self, BND_SESSION_SEND_AGENDA, session))
        gtk_box_append (GTK_BOX (actions), button (_("_Send Agenda"), G_CALLBACK (on_send_agenda_clicked_cb), self));
      if (may (self, BND_SESSION_MARK_HELD, session))
        gtk_box_append (GTK_BOX (actions), button (_("Mark as _Held"), G_CALLBACK (on_held_clicked_cb), self));
      gtk_box_append (GTK_BOX (self->session_box), actions);
    }

  gtk_box_append (GTK_BOX (self->session_box), agenda_group (self, session));
  if (may (self, BND_SESSION_EDIT_AGENDA, session))
    gtk_box_append (GTK_BOX (self->session_box), add_group (self, session));
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "session");
}

static void
on_session_activated_cb (AdwActionRow    *row,
                         BndSessionsPage *self)
{
  g_free (self->shown);
  self->shown = g_strdup (g_object_get_data (G_OBJECT (row), "uuid"));
  show_session (self);
}

static void
fill_list (BndSessionsPage *self)
{
  JsonArray *list = bnd_json_array_of (bnd_json_as_object (self->sessions), "sessions");
  GtkWidget *group = adw_preferences_group_new ();

  clear_box (self->list_box);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Lenkungskreis Sessions"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("The Lenkungskreis meets at least three times a year to discuss and decide "
                                           "on projects (strategy §4.1)"));
  if (may (self, BND_SESSION_PLAN, NULL))
    {
      GtkWidget *plan = button (_("_Plan Session…"), G_CALLBACK (on_plan_clicked_cb), self);

      gtk_widget_set_valign (plan, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (plan, "suggested-action");
      adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), plan);
    }
  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      JsonObject *session = json_array_get_object_element (list, i);
      g_autofree char *when = bnd_session_describe_when (session);
      g_autofree char *title = g_markup_escape_text (json_object_get_string_member_with_default (session, "title", ""), -1);
      JsonArray *items = bnd_json_array_of (session, "items");
      guint n = items ? json_array_get_length (items) : 0;
      /* Translators: a session's day, and how many dossiers are on its agenda */
      g_autofree char *subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u dossier", "%s · %u dossiers", n),
                                                   when, n);
      g_autofree char *escaped = g_markup_escape_text (subtitle, -1);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
      if (json_object_get_string_member_with_default (session, "held", NULL))
        {
          GtkWidget *held = gtk_label_new (_("Held"));

          gtk_widget_add_css_class (held, "dim-label");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), held);
        }
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "uuid",
                              g_strdup (json_object_get_string_member_with_default (session, "uuid", "")), g_free);
      g_signal_connect_object (row, "activated", G_CALLBACK (on_session_activated_cb), self, 0);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  if (list == NULL || json_array_get_length (list) == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No sessions yet"));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  gtk_box_append (GTK_BOX (self->list_box), group);
}

/**
 * bnd_sessions_page_reload:
 *
 * @data: what bnd_review_data_read_async() read from the profile
 *
 * Shows the sessions @data holds, keeping the one shown.
 *
 * Returns: whether the profile holds sessions (it does once signed in and synced)
 */
gboolean
bnd_sessions_page_reload (BndSessionsPage *self,
                          const BndReviewData *data,
                          BndStrategy     *strategy,
                          BndSyncManager  *sync)
{
  JsonObject *me = data ? bnd_json_as_object (data->me) : NULL;
  const char *role;

  g_return_val_if_fail (BND_IS_SESSIONS_PAGE (self), FALSE);

  g_set_object (&self->strategy, strategy);
  g_set_object (&self->sync, sync);
  g_clear_pointer (&self->sessions, json_node_unref);
  g_clear_pointer (&self->portfolio, json_node_unref);
  if (data == NULL || data->sessions == NULL)
    return FALSE;
  self->sessions = json_node_ref (data->sessions);
  self->portfolio = data->portfolio ? json_node_ref (data->portfolio) : NULL;
  role = me ? json_object_get_string_member_with_default (me, "role", NULL) : NULL;
  if (!role || !bnd_role_from_string (role, &self->role))
    self->role = BND_ROLE_CARRIER;

  fill_list (self);
  if (self->shown && find_session (self, self->shown))
    show_session (self);
  else
    gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "list");
  return TRUE;
}

/* Shows the session @uuid, as far as the last sync has it. */
void
bnd_sessions_page_show (BndSessionsPage *self,
                        const char      *uuid)
{
  g_return_if_fail (BND_IS_SESSIONS_PAGE (self));

  g_free (self->shown);
  self->shown = g_strdup (uuid);
  show_session (self);
}

static GtkWidget *
scrolled_column (GtkWidget **box)
{
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();

  *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (*box, 24);
  gtk_widget_set_margin_bottom (*box, 24);
  gtk_widget_set_margin_start (*box, 12);
  gtk_widget_set_margin_end (*box, 12);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 860);
  adw_clamp_set_child (ADW_CLAMP (clamp), *box);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  return scroller;
}

static void
bnd_sessions_page_dispose (GObject *object)
{
  BndSessionsPage *self = (BndSessionsPage *)object;

  g_clear_pointer (&self->stack, gtk_widget_unparent);
  g_clear_object (&self->strategy);
  g_clear_object (&self->sync);
  g_clear_pointer (&self->sessions, json_node_unref);
  g_clear_pointer (&self->portfolio, json_node_unref);

  G_OBJECT_CLASS (bnd_sessions_page_parent_class)->dispose (object);
}

static void
bnd_sessions_page_finalize (GObject *object)
{
  BndSessionsPage *self = (BndSessionsPage *)object;

  g_free (self->shown);

  G_OBJECT_CLASS (bnd_sessions_page_parent_class)->finalize (object);
}

static void
bnd_sessions_page_class_init (BndSessionsPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = bnd_sessions_page_dispose;
  G_OBJECT_CLASS (klass)->finalize = bnd_sessions_page_finalize;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
bnd_sessions_page_init (BndSessionsPage *self)
{
  self->role = BND_ROLE_CARRIER;
  self->stack = gtk_stack_new ();
  gtk_widget_set_parent (self->stack, GTK_WIDGET (self));
  gtk_stack_add_named (GTK_STACK (self->stack), scrolled_column (&self->list_box), "list");
  gtk_stack_add_named (GTK_STACK (self->stack), scrolled_column (&self->session_box), "session");
}

GtkWidget *
bnd_sessions_page_new (void)
{
  return g_object_new (BND_TYPE_SESSIONS_PAGE, NULL);
}
