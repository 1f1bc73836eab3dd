/* bnd-sketch-editor.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-sketch-editor"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "bnd-indicator.h"
#include "bnd-page-util.h"
#include "bnd-procedure.h"
#include "bnd-refusal.h"
#include "bnd-sketch-banner.h"
#include "bnd-sketch-editor-private.h"
#include "bnd-stage.h"
#include "bnd-sync-manager.h"
#include "bnd-version-dialog.h"
#include "bnd-window.h"

/* The Projektskizze editor. Every edit goes into the BndSketch; from there
 *  - autosave writes it to the store half a second after the last keystroke (on the store's
 *    worker thread), and keeps a version when the user pauses for half a minute;
 *  - the layout runs on a worker thread (the same code that writes the PDF) and gives the page
 *    budget and the PDF bytes that the preview shows. Typing never waits for either. */

#define SAVE_DELAY_MS      500
#define LAYOUT_DELAY_MS    150
#define PAUSE_SNAPSHOT_S   30


G_DEFINE_FINAL_TYPE (BndSketchEditor, bnd_sketch_editor, GTK_TYPE_WIDGET)

/* Saving */

/* A write in flight keeps the application up: quitting right after typing loses nothing. */
static void
hold_application (void)
{
  if (g_application_get_default () != NULL)
    g_application_hold (g_application_get_default ());
}

static void
release_application (void)
{
  if (g_application_get_default () != NULL)
    g_application_release (g_application_get_default ());
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(BndSketchEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  release_application ();

  /* Saves outlive the editor on purpose; its widgets may be gone by now. */
  if (!bnd_store_save_finish (BND_STORE (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->save_label == NULL)
        {
          if (self->save_label == NULL)
            g_warning ("A sketch could not be saved: %s", error->message);
          return;
        }
      /* Translators: %s says why, e.g. "disk full" */
      message = g_strdup_printf (_("Not saved: %s"), error->message);
      gtk_label_set_label (self->save_label, message);
      return;
    }
  self->n_saves++;
  if (self->save_label != NULL)
    gtk_label_set_label (self->save_label, _("All changes saved"));
  if (self->sync != NULL)
    bnd_sync_manager_sync_soon (self->sync);
}

static void
save_now (BndSketchEditor *self)
{
  g_clear_handle_id (&self->save_source, g_source_remove);
  if (self->sketch == NULL || self->store == NULL)
    return;
  /* Not cancellable: a started save always finishes, even when the editor goes away. */
  hold_application ();
  bnd_store_save_async (self->store, self->sketch, NULL, save_cb, g_object_ref (self));
}

static void
save_timeout_cb (gpointer user_data)
{
  BndSketchEditor *self = user_data;

  self->save_source = 0;
  save_now (self);
}

static void
version_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  release_application ();
  /* A missing version loses nothing (the sketch itself is saved), so it is only logged. */
  if (!bnd_store_add_version_finish (BND_STORE (object), result, &error))
    g_warning ("Could not keep a version: %s", error->message);
}

static void
keep_version (BndSketchEditor *self,
              const char      *reason)
{
  if (self->sketch == NULL || self->store == NULL)
    return;
  hold_application ();
  bnd_store_add_version_async (self->store, self->sketch, reason, NULL, version_cb, NULL);
}

static void
pause_timeout_cb (gpointer user_data)
{
  BndSketchEditor *self = user_data;

  self->pause_source = 0;
  keep_version (self, "pause");
}

/* Layout: page budget and preview */

typedef struct
{
  BndSketch     *sketch;
  BndStrategy   *strategy;
  GBytes        *pdf;
  BndPageBudget  budget;
} LayoutData;

static void
layout_data_free (LayoutData *data)
{
  g_clear_object (&data->sketch);
  g_clear_object (&data->strategy);
  g_clear_pointer (&data->pdf, g_bytes_unref);
  bnd_page_budget_clear (&data->budget);
  g_free (data);
}

static void
layout_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  LayoutData *data = task_data;
  GError *error = NULL;

  if (!(data->pdf = bnd_pdf_render (data->sketch, data->strategy, &data->budget, &error)))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void start_layout  (BndSketchEditor *self);

static void
show_budget (BndSketchEditor     *self,
             const BndPageBudget *budget)
{
  g_autofree char *text = NULL;
  g_autofree char *used = bnd_format_decimal (budget->used_pages, 1, bnd_locale_current ());
  gboolean over = budget->n_pages > budget->page_limit;

  /* Translators: the page budget, "2,4 of 3 pages"; the first number is already written as the
   * language writes decimals */
  text = g_strdup_printf (_("%s of %u pages"), used, budget->page_limit);
  gtk_label_set_label (self->budget_label, text);
  gtk_level_bar_set_max_value (self->budget_bar, budget->page_limit);
  gtk_level_bar_set_value (self->budget_bar, MIN (budget->used_pages, (double)budget->page_limit));

  if (over)
    {
      g_autofree char *warning = NULL;

      /* Translators: "Over the 3-page limit: page 3 ends in „Vorgehen und Arbeitsplan“." */
      warning = g_strdup_printf (_("Over the %u-page limit: page %u ends in „%s“. Shorten the text to submit the sketch."),
                                 budget->page_limit, budget->page_limit,
                                 budget->overflow_title ? budget->overflow_title : "");
      gtk_label_set_label (self->warning_label, warning);
      gtk_widget_add_css_class (GTK_WIDGET (self->budget_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->budget_bar), "over-limit");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->budget_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->budget_bar), "over-limit");
    }
  gtk_revealer_set_reveal_child (self->warning_revealer, over);
}

static void
layout_cb (GtkWidget    *owner,
           GAsyncResult *result,
           gpointer      user_data)
{
  BndSketchEditor *self = BND_SKETCH_EDITOR (owner);
  LayoutData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) || self == NULL)
    {
      if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("The pages could not be laid out: %s"), error->message);
      self->layout_running = FALSE;
      gtk_label_set_label (self->budget_label, message);
      return;
    }

  self->layout_running = FALSE;
  bnd_page_budget_clear (&self->budget);
  self->budget = data->budget;
  memset (&data->budget, 0, sizeof data->budget);
  show_budget (self, &self->budget);
  bnd_pdf_preview_set_pdf (self->preview, data->pdf);

  if (self->layout_dirty)
    start_layout (self);
}

static void
start_layout (BndSketchEditor *self)
{
  g_autoptr(GTask) task = NULL;
  LayoutData *data;

  g_clear_handle_id (&self->layout_source, g_source_remove);
  if (self->sketch == NULL || self->strategy == NULL)
    return;
  if (self->layout_running)
    {
      self->layout_dirty = TRUE;
      return;
    }

  self->layout_running = TRUE;
  self->layout_dirty = FALSE;
  data = g_new0 (LayoutData, 1);
  /* The worker gets its own copy: the user goes on typing into this one. */
  data->sketch = bnd_sketch_copy (self->sketch);
  data->strategy = g_object_ref (self->strategy);

  task = bnd_widget_task_new (GTK_WIDGET (self), self->cancellable, layout_cb, NULL);
  g_task_set_source_tag (task, start_layout);
  g_task_set_task_data (task, data, (GDestroyNotify)layout_data_free);
  g_task_run_in_thread (task, layout_in_thread);
}

static void
layout_timeout_cb (gpointer user_data)
{
  BndSketchEditor *self = user_data;

  self->layout_source = 0;
  /* Validation messages follow at the layout's pace, not at every keystroke. */
  _bnd_sketch_editor_update_issues (self);
  start_layout (self);
}

/* Callbacks */

static void
on_sketch_changed_cb (BndSketchEditor *self,
                      BndSketch       *sketch)
{
  if (self->loading)
    return;

  gtk_label_set_label (self->save_label, _("Saving…"));
  g_clear_handle_id (&self->save_source, g_source_remove);
  self->save_source = g_timeout_add_once (SAVE_DELAY_MS, save_timeout_cb, self);
  g_clear_handle_id (&self->pause_source, g_source_remove);
  self->pause_source = g_timeout_add_once (PAUSE_SNAPSHOT_S * 1000, pause_timeout_cb, self);
  if (self->layout_source == 0)
    self->layout_source = g_timeout_add_once (LAYOUT_DELAY_MS, layout_timeout_cb, self);

  _bnd_sketch_editor_update_totals (self);
}

/* Actions */

static void
export_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(BndSketchEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("Could not export the PDF: %s"), error->message);
      if (BND_IS_WINDOW (root))
        bnd_window_add_toast (BND_WINDOW (root), message);
      return;
    }
  if (BND_IS_WINDOW (root))
    bnd_window_add_toast (BND_WINDOW (root), _("PDF exported"));
  keep_version (self, "export");
}

static void
toast (BndSketchEditor *self,
       const char      *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (BND_IS_WINDOW (root))
    bnd_window_add_toast (BND_WINDOW (root), message);
}

static void
render_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  LayoutData *data = task_data;
  GError *error = NULL;
  GBytes *pdf;

  if (!(pdf = bnd_pdf_render (data->sketch, data->strategy, NULL, &error)))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pdf, (GDestroyNotify)g_bytes_unref);
}

static void
export_rendered_cb (GtkWidget    *owner,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GFile) file = user_data;
  BndSketchEditor *self = BND_SKETCH_EDITOR (owner);
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;

  if (!(pdf = g_task_propagate_pointer (G_TASK (result), &error)) || self == NULL)
    {
      g_autofree char *message = NULL;

      if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("Could not export the PDF: %s"), error->message);
      toast (self, message);
      return;
    }
  g_file_replace_contents_bytes_async (file, pdf, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       self->cancellable, export_written_cb, g_object_ref (self));
}

static void
on_export_response_cb (GtkNativeDialog *dialog,
                       int              response,
                       BndSketchEditor *self)
{
  BndSketch *sketch = g_object_get_data (G_OBJECT (dialog), "sketch");
  g_autoptr(GFile) file = NULL;
  g_autoptr(GTask) task = NULL;
  LayoutData *data;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))))
    {
      /* The same renderer and the same sketch give the same bytes as the preview; rendered on a
       * worker, as the preview is. */
      data = g_new0 (LayoutData, 1);
      data->sketch = g_object_ref (sketch);
      data->strategy = g_object_ref (self->strategy);
      task = bnd_widget_task_new (GTK_WIDGET (self), self->cancellable, export_rendered_cb, g_steal_pointer (&file));
      g_task_set_source_tag (task, on_export_response_cb);
      g_task_set_task_data (task, data, (GDestroyNotify)layout_data_free);
      g_task_run_in_thread (task, render_in_thread);
    }
  g_object_unref (dialog);
}

static void
export_pdf_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  BndSketchEditor *self = BND_SKETCH_EDITOR (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;

  if (self->sketch == NULL)
    return;

  dialog = gtk_file_chooser_native_new (_("Export the Sketch as PDF"),
                                        GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  name = g_strdup_printf ("%s.pdf", *bnd_sketch_get_title (self->sketch) ? bnd_sketch_get_title (self->sketch)
                                                                         : _("Projektskizze"));
  g_strdelimit (name, "/\\:", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  /* The sketch as it is now: the dialog may outlive the editor's hold on it. */
  g_object_set_data_full (G_OBJECT (dialog), "sketch", bnd_sketch_copy (self->sketch), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_version_restored_cb (BndVersionDialog *dialog,
                        BndSketch        *restored,
                        BndSketchEditor  *self)
{
  bnd_sketch_editor_set_sketch (self, restored);
}

static void
history_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  BndSketchEditor *self = BND_SKETCH_EDITOR (widget);
  BndVersionDialog *dialog;

  if (self->sketch == NULL)
    return;

  /* The history should include what is on screen now. */
  save_now (self);
  dialog = bnd_version_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), self->store, self->strategy,
                                   self->sketch);
  g_signal_connect_object (dialog, "restored", G_CALLBACK (on_version_restored_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
submitted_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GtkWidget) root = user_data;
  g_autoptr(GError) error = NULL;
  gboolean differs = FALSE;

  if (!bnd_sync_manager_submit_finish (BND_SYNC_MANAGER (object), result, &differs, &error))
    {
      /* Translators: %s says why */
      g_autofree char *message = g_strdup_printf (_("The sketch was not submitted: %s"), error->message);
      if (BND_IS_WINDOW (root))
        bnd_window_add_toast (BND_WINDOW (root), message);
      return;
    }
  /* The server's render is the official PDF; a server a version ahead renders other bytes. */
  if (BND_IS_WINDOW (root))
    bnd_window_add_toast (BND_WINDOW (root),
                          differs ? _("Submitted. The official PDF differs from your preview: the server renders with a newer version")
                                  : _("Submitted to the network coordination"));
}

static void
on_submit_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       BndSketchEditor  *self)
{
  g_autofree char *uuid = NULL;
  GtkRoot *root;

  if (!g_str_equal (response, "submit") || self->sketch == NULL || self->sync == NULL)
    return;

  /* Closed first: saved, and no longer open while the sync brings back the submitted stage. */
  uuid = g_strdup (bnd_sketch_get_uuid (self->sketch));
  root = gtk_widget_get_root (GTK_WIDGET (self));
  gtk_widget_activate_action (GTK_WIDGET (self), "sketches.back", NULL);
  bnd_sync_manager_submit_async (self->sync, uuid, submitted_cb, g_object_ref (root));
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BndSketchEditor *self = BND_SKETCH_EDITOR (widget);
  g_autoptr(GPtrArray) issues = NULL;
  GtkWidget *dialog;

  if (self->sketch == NULL)
    return;

  issues = bnd_sketch_validate (self->sketch, self->strategy);
  if (issues->len > 0)
    _bnd_sketch_editor_show_all_issues (self);
  if (issues->len > 0 || self->budget.n_pages > self->budget.page_limit)
    {
      toast (self, issues->len > 0 ? ((BndSketchIssue *)g_ptr_array_index (issues, 0))->message
                                   : _("The sketch is over the page limit"));
      return;
    }
  if (self->sync == NULL || !bnd_sync_manager_is_signed_in (self->sync))
    {
      toast (self, _("Sign in to the alliance's server first (Preferences)"));
      return;
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   _("Submit to the Network Coordination?"),
                                   _("The server keeps the exact PDF of this sketch as the official Projektskizze. "
                                     "After that the sketch cannot be changed."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "submit", _("_Submit"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "submit", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_submit_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The two ways out of a refusal (bnd-refusal.h), as one job on the store's worker; the editor
 * then shows the sketch that results. */
static gpointer
keep_as_draft_job (BndStore  *store,
                   gpointer   uuid,
                   GError   **error)
{
  return bnd_refusal_keep_as_draft (store, uuid, error);
}

static gpointer
take_server_job (BndStore  *store,
                 gpointer   uuid,
                 GError   **error)
{
  return bnd_refusal_take_server (store, uuid, error) ? g_strdup (uuid) : NULL;
}

typedef struct
{
  BndSketchEditor *self;
  char            *uuid;
  gboolean         keep_as_draft;
} Resolve;

static void
resolved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Resolve *resolve = user_data;
  BndSketchEditor *self = resolve->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = bnd_store_call_finish (BND_STORE (object), result, &error);

  if (uuid == NULL)
    toast (self, error->message);
  else if (resolve->keep_as_draft)
    toast (self, _("Your version is kept as a new draft; it goes to the server with the next sync"));
  else
    toast (self, _("The server’s version is back; your edits are kept in the version history"));
  gtk_widget_activate_action (GTK_WIDGET (self), "sketches.open", "s", uuid ? uuid : resolve->uuid);
  g_object_unref (resolve->self);
  g_free (resolve->uuid);
  g_free (resolve);
}

static void
resolve_refusal (BndSketchEditor *self,
                 gboolean         keep_as_draft)
{
  Resolve *resolve;

  if (self->sketch == NULL || self->store == NULL)
    return;

  /* Let go first: the sketch is no longer open while it changes underneath, and the sync that
   * closing asks for sends the new draft. Closing queues its saves on the worker ahead of this. */
  resolve = g_new0 (Resolve, 1);
  resolve->self = g_object_ref (self);
  resolve->uuid = g_strdup (bnd_sketch_get_uuid (self->sketch));
  resolve->keep_as_draft = keep_as_draft;
  bnd_sketch_editor_close (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.take-server", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.keep-as-draft", FALSE);
  bnd_store_call_async (self->store, keep_as_draft ? keep_as_draft_job : take_server_job,
                        g_strdup (resolve->uuid), g_free, g_free, NULL, resolved_cb, resolve);
}

static void
take_server_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  resolve_refusal (BND_SKETCH_EDITOR (widget), FALSE);
}

static void
keep_as_draft_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  resolve_refusal (BND_SKETCH_EDITOR (widget), TRUE);
}

static void
toggle_preview_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  BndSketchEditor *self = BND_SKETCH_EDITOR (widget);

  gtk_toggle_button_set_active (self->preview_button, !gtk_toggle_button_get_active (self->preview_button));
}

static void
sync_state_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(BndSketch) sketch = user_data;
  g_autoptr(BndSyncState) state = NULL;
  g_autoptr(GError) error = NULL;
  BndSketchEditor *self;
  const char *refused;
  gboolean editable;

  state = bnd_store_get_sync_state_finish (BND_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* The editor may have moved on to another sketch meanwhile. */
  self = g_object_get_data (G_OBJECT (sketch), "bnd-sketch-editor");
  if (self == NULL || self->sketch != sketch)
    return;

  refused = state ? state->refused : NULL;
  editable = bnd_procedure_may_edit_sketch (bnd_sketch_get_stage (sketch), NULL);
  bnd_sketch_banner_update (self->banner, bnd_sketch_get_stage (sketch), refused);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.submit", editable && refused == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.take-server", refused != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.keep-as-draft", refused != NULL);
}

static void
bnd_sketch_editor_dispose (GObject *object)
{
  BndSketchEditor *self = (BndSketchEditor *)object;

  bnd_sketch_editor_close (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->issues_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), BND_TYPE_SKETCH_EDITOR);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->sync);
  g_clear_object (&self->store);
  g_clear_object (&self->strategy);
  g_clear_pointer (&self->section_views, g_hash_table_unref);
  g_clear_pointer (&self->section_errors, g_hash_table_unref);
  g_clear_pointer (&self->issue_rows, g_ptr_array_unref);
  g_clear_pointer (&self->condition_rows, g_ptr_array_unref);
  g_clear_pointer (&self->cost_rows, g_ptr_array_unref);
  g_clear_pointer (&self->field_widgets, g_hash_table_unref);
  g_clear_pointer (&self->touched, g_hash_table_unref);
  bnd_page_budget_clear (&self->budget);

  G_OBJECT_CLASS (bnd_sketch_editor_parent_class)->dispose (object);
}

static void
bnd_sketch_editor_class_init (BndSketchEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bnd_sketch_editor_dispose;

  g_type_ensure (BND_TYPE_PDF_PREVIEW);
  g_type_ensure (BND_TYPE_SKETCH_BANNER);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/bnd-sketch-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, BndSketchEditor, box);
  gtk_widget_class_bind_template_child (widget_class, BndSketchEditor, save_label);
  gtk_widget_class_bind_template_child (widget_class, BndSketchEditor, budget_label);
  gtk_widget_class_bind_template_child (widget_class, BndSketchEditor, budget_bar);
  gtk_widget_class_bind_template_child (widget_class, BndSketchEditor, warning_revealer);
  gtk_widget_class_bind_template_child (widget_class, BndSketchEditor, warning_label);
  gtk_widget_class_bind_template_child (widget_class, BndSketchEditor, banner);
  gtk_widget_class_bind_template_child (widget_class, BndSketchEditor, form_box);
  gtk_widget_class_bind_template_child (widget_class, BndSketchEditor, preview);
  gtk_widget_class_bind_template_child (widget_class, BndSketchEditor, preview_button);

  gtk_widget_class_install_action (widget_class, "editor.export-pdf", NULL, export_pdf_action);
  gtk_widget_class_install_action (widget_class, "editor.history", NULL, history_action);
  gtk_widget_class_install_action (widget_class, "editor.toggle-preview", NULL, toggle_preview_action);
  gtk_widget_class_install_action (widget_class, "editor.submit", NULL, submit_action);
  gtk_widget_class_install_action (widget_class, "editor.take-server", NULL, take_server_action);
  gtk_widget_class_install_action (widget_class, "editor.keep-as-draft", NULL, keep_as_draft_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "editor.export-pdf", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "editor.toggle-preview", NULL);
}

static void
bnd_sketch_editor_init (BndSketchEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->section_views = g_hash_table_new (g_str_hash, g_str_equal);
  self->section_errors = g_hash_table_new (g_str_hash, g_str_equal);
  self->issue_rows = g_ptr_array_new ();
  self->condition_rows = g_ptr_array_new ();
  self->cost_rows = g_ptr_array_new_with_free_func (g_free);
  self->field_widgets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->touched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

void
bnd_sketch_editor_set_context (BndSketchEditor *self,
                               BndStore        *store,
                               BndStrategy     *strategy)
{
  g_return_if_fail (BND_IS_SKETCH_EDITOR (self));

  g_set_object (&self->store, store);
  g_set_object (&self->strategy, strategy);
}

/**
 * bnd_sketch_editor_set_sketch:
 * @self: a #BndSketchEditor
 * @sketch: the sketch to edit
 *
 * Shows @sketch in the form. Whatever was open before is saved first.
 */
void
bnd_sketch_editor_set_sketch (BndSketchEditor *self,
                              BndSketch       *sketch)
{
  gboolean editable;

  g_return_if_fail (BND_IS_SKETCH_EDITOR (self));
  g_return_if_fail (BND_IS_SKETCH (sketch));
  g_return_if_fail (self->strategy != NULL);

  if (self->sketch != sketch)
    bnd_sketch_editor_close (self);

  g_set_object (&self->sketch, sketch);
  g_signal_connect_object (sketch, "changed", G_CALLBACK (on_sketch_changed_cb), self, G_CONNECT_SWAPPED);
  /* For sync_state_cb(): which editor shows it, if any */
  g_object_set_data (G_OBJECT (sketch), "bnd-sketch-editor", self);
  /* While it is open, server changes to it wait (they would race with autosave). */
  if (self->sync != NULL)
    bnd_sync_manager_set_busy (self->sync, bnd_sketch_get_uuid (sketch));
  self->costs_list = NULL;
  /* another sketch starts unmarked again */
  g_hash_table_remove_all (self->touched);
  self->show_all_errors = FALSE;
  _bnd_sketch_editor_build_form (self);
  gtk_label_set_label (self->save_label, _("All changes saved"));
  start_layout (self);

  /* A submitted sketch is the official one: shown, not changed, until the first assessment asks
   * for changes (bnd_procedure_may_edit_sketch()). One whose edits the server refused waits for
   * its user's decision; the banner says why and offers the way out, once the store has said
   * (show_refusal()). Until then it is not offered for submission. */
  editable = bnd_procedure_may_edit_sketch (bnd_sketch_get_stage (sketch), NULL);
  bnd_sketch_banner_update (self->banner, bnd_sketch_get_stage (sketch), NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.submit", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.take-server", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.keep-as-draft", FALSE);
  if (self->store != NULL)
    bnd_store_get_sync_state_async (self->store, bnd_sketch_get_uuid (sketch), self->cancellable,
                                    sync_state_cb, g_object_ref (sketch));
  gtk_widget_set_sensitive (GTK_WIDGET (self->form_box), editable);
  if (!editable)
    {
      /* Translators: %s is the stage, such as "First assessment" */
      g_autofree char *label = g_strdup_printf (_("%s: read only"), bnd_stage_get_label (bnd_sketch_get_stage (sketch)));
      gtk_label_set_label (self->save_label, label);
    }

  /* A new sketch starts with its title. */
  if (*bnd_sketch_get_title (sketch) == 0)
    gtk_widget_grab_focus (self->title_row);
}

BndSketch *
bnd_sketch_editor_get_sketch (BndSketchEditor *self)
{
  g_return_val_if_fail (BND_IS_SKETCH_EDITOR (self), NULL);
  return self->sketch;
}

/**
 * bnd_sketch_editor_close:
 * @self: a #BndSketchEditor
 *
 * Saves what is pending, keeps a version and lets go of the sketch.
 */
void
bnd_sketch_editor_close (BndSketchEditor *self)
{
  g_return_if_fail (BND_IS_SKETCH_EDITOR (self));

  if (self->sketch == NULL)
    return;

  /* The last chance to write what was typed. Both writes take the sketch as it is now and go
   * to the store's worker ahead of anything asked for later (opening this sketch again reads
   * them); the application stays up until they are written. */
  if (self->save_source != 0 || self->pause_source != 0)
    {
      g_clear_handle_id (&self->save_source, g_source_remove);
      save_now (self);
      keep_version (self, "close");
    }
  g_clear_handle_id (&self->pause_source, g_source_remove);
  g_clear_handle_id (&self->layout_source, g_source_remove);
  g_signal_handlers_disconnect_by_data (self->sketch, self);
  g_object_set_data (G_OBJECT (self->sketch), "bnd-sketch-editor", NULL);
  g_clear_object (&self->sketch);
  if (self->sync != NULL)
    {
      bnd_sync_manager_set_busy (self->sync, NULL);
      bnd_sync_manager_sync_soon (self->sync);
    }
}

/**
 * bnd_sketch_editor_set_sync_manager:
 * @sync: (nullable): the window's sync, told about saves and the open sketch
 */
void
bnd_sketch_editor_set_sync_manager (BndSketchEditor *self,
                                    BndSyncManager  *sync)
{
  g_return_if_fail (BND_IS_SKETCH_EDITOR (self));
  g_set_object (&self->sync, sync);
}

/**
 * bnd_sketch_editor_insert_citation:
 * @self: a #BndSketchEditor
 * @indicator: a figure from the strategy
 * @section_title: (out) (optional): the title of the section it went into
 *
 * Puts the figure with its citation into the section the user was last writing in (or the
 * starting situation), at the cursor. The PDF prints the source as a footnote.
 *
 * Returns: %TRUE if there was an open sketch to insert into
 */
gboolean
bnd_sketch_editor_insert_citation (BndSketchEditor     *self,
                                   const BndIndicator  *indicator,
                                   char               **section_title)
{
  g_autofree char *value = NULL;
  g_autofree char *text = NULL;
  GtkTextView *view;
  GtkTextBuffer *buffer;
  const char *section;

  g_return_val_if_fail (BND_IS_SKETCH_EDITOR (self), FALSE);

  if (self->sketch == NULL)
    return FALSE;

  section = self->current_section ? self->current_section : "need";
  if (!(view = g_hash_table_lookup (self->section_views, section)))
    return FALSE;

  value = bnd_indicator_format_value (indicator, BND_LOCALE_GERMAN);
  /* Strategy figures are German content, cited as such: "Vakanzzeit … (Celle, 2023): 321 Tage" */
  text = g_strdup_printf ("%s (%s, %s): %s[^%s] ", indicator->label,
                          bnd_strategy_get_area_name (self->strategy, indicator->area),
                          indicator->year, value, indicator->id);
  buffer = gtk_text_view_get_buffer (view);
  gtk_text_buffer_insert_at_cursor (buffer, text, -1);

  if (section_title != NULL)
    {
      GPtrArray *sections = bnd_strategy_get_template_sections (self->strategy);
      *section_title = NULL;
      for (guint i = 0; i < sections->len; i++)
        if (g_str_equal (((BndTemplateSection *)g_ptr_array_index (sections, i))->id, section))
          *section_title = g_strdup (bnd_template_section_get_title (g_ptr_array_index (sections, i)));
    }
  return TRUE;
}

/**
 * bnd_sketch_editor_get_section_view:
 *
 * Returns: (transfer none) (nullable): the text view of a section
 */
GtkTextView *
bnd_sketch_editor_get_section_view (BndSketchEditor *self,
                                    const char      *section_id)
{
  g_return_val_if_fail (BND_IS_SKETCH_EDITOR (self), NULL);
  return g_hash_table_lookup (self->section_views, section_id);
}

/**
 * bnd_sketch_editor_get_issues_summary:
 *
 * Returns: (transfer none): the row that says how much is left to do, with the items inside
 */
GtkWidget *
bnd_sketch_editor_get_issues_summary (BndSketchEditor *self)
{
  g_return_val_if_fail (BND_IS_SKETCH_EDITOR (self), NULL);
  return self->issues_summary;
}

/**
 * bnd_sketch_editor_marks_section:
 *
 * Returns: whether the section is marked as still to be written
 */
gboolean
bnd_sketch_editor_marks_section (BndSketchEditor *self,
                                 const char      *section_id)
{
  GtkWidget *error;

  g_return_val_if_fail (BND_IS_SKETCH_EDITOR (self), FALSE);
  error = g_hash_table_lookup (self->section_errors, section_id);
  return error != NULL && gtk_widget_get_visible (error);
}

const BndPageBudget *
bnd_sketch_editor_get_budget (BndSketchEditor *self)
{
  g_return_val_if_fail (BND_IS_SKETCH_EDITOR (self), NULL);
  return &self->budget;
}

BndPdfPreview *
bnd_sketch_editor_get_preview (BndSketchEditor *self)
{
  g_return_val_if_fail (BND_IS_SKETCH_EDITOR (self), NULL);
  return self->preview;
}

gboolean
bnd_sketch_editor_is_warning_shown (BndSketchEditor *self)
{
  g_return_val_if_fail (BND_IS_SKETCH_EDITOR (self), FALSE);
  return gtk_revealer_get_reveal_child (self->warning_revealer);
}

guint
bnd_sketch_editor_get_n_saves (BndSketchEditor *self)
{
  g_return_val_if_fail (BND_IS_SKETCH_EDITOR (self), 0);
  return self->n_saves;
}

BndSketchBanner *
bnd_sketch_editor_get_banner (BndSketchEditor *self)
{
  g_return_val_if_fail (BND_IS_SKETCH_EDITOR (self), NULL);
  return self->banner;
}
