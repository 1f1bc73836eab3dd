/* bnd-version-dialog.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-version-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "bnd-format.h"
#include "bnd-procedure.h"
#include "bnd-text-diff.h"
#include "bnd-version-dialog.h"

/* Lists the versions of a sketch, shows one read-only with what differs from the current text
 * highlighted, and restores it. Restoring keeps the current state as a version first and makes
 * the old one a new version: nothing is ever overwritten. */

struct _BndVersionDialog
{
  AdwWindow    parent_instance;

  /* Template widgets */
  GtkListBox  *version_list;
  GtkTextView *text_view;

  /* Owned */
  BndStore    *store;
  BndStrategy *strategy;
  BndSketch   *current;
  BndSketch   *shown;
  GPtrArray   *versions;

  /* The store is read and written on its worker; the dialog shows what it showed meanwhile. */
  GCancellable *cancellable;   /* cancelled in dispose: a late answer finds no dialog */
  gint64        wanted;        /* the version last chosen, shown when it is loaded */
  gboolean      restoring;
};

enum {
  RESTORED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BndVersionDialog, bnd_version_dialog, ADW_TYPE_WINDOW)

static const char *
reason_label (const char *reason)
{
  if (g_str_equal (reason, "pause"))
    return _("While writing");
  if (g_str_equal (reason, "export"))
    return _("Exported");
  if (g_str_equal (reason, "close"))
    return _("Closed");
  if (g_str_equal (reason, "restore"))
    return _("Restored");
  if (g_str_equal (reason, "import"))
    return _("Before an import");
  if (g_str_equal (reason, "refused"))
    return _("Refused by the server");
  return _("Kept by hand");
}

/* The sketch as one text: the title and every section with its heading. */
static char *
sketch_text (BndVersionDialog *self,
             BndSketch        *sketch)
{
  GPtrArray *sections = bnd_strategy_get_template_sections (self->strategy);
  GString *text = g_string_new (bnd_sketch_get_title (sketch));

  for (guint i = 0; i < sections->len; i++)
    {
      const BndTemplateSection *section = g_ptr_array_index (sections, i);
      const char *body = bnd_sketch_get_section (sketch, section->id);

      if (*body)
        g_string_append_printf (text, "\n\n%s\n%s", bnd_template_section_get_title (section), body);
    }
  return g_string_free (text, FALSE);
}

static void
show_version (BndVersionDialog *self,
              BndSketch        *sketch)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  g_autofree char *old_text = sketch_text (self, sketch);
  g_autofree char *new_text = sketch_text (self, self->current);
  g_autoptr(GArray) changes = bnd_text_diff_changed_words (old_text, new_text);

  gtk_text_buffer_set_text (buffer, old_text, -1);
  for (guint i = 0; i < changes->len; i++)
    {
      BndTextChange *change = &g_array_index (changes, BndTextChange, i);
      GtkTextIter start, end;

      gtk_text_buffer_get_iter_at_offset (buffer, &start, g_utf8_pointer_to_offset (old_text, old_text + change->start));
      gtk_text_buffer_get_iter_at_offset (buffer, &end, g_utf8_pointer_to_offset (old_text, old_text + change->end));
      gtk_text_buffer_apply_tag_by_name (buffer, "changed", &start, &end);
    }
  g_set_object (&self->shown, sketch);
  /* A submitted sketch stays as the server keeps it: its history is shown, not restored. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "versions.restore",
                                 bnd_procedure_may_edit_sketch (bnd_sketch_get_stage (self->current), NULL));
}

/* A version as loaded on the store's worker; @sketch NULL with @error when it could not be */
typedef struct
{
  gint64     id;
  BndSketch *sketch;
  GError    *error;
} Loaded;

static void
loaded_free (Loaded *loaded)
{
  g_clear_object (&loaded->sketch);
  g_clear_error (&loaded->error);
  g_free (loaded);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Loaded, loaded_free)

static gpointer
load_version_job (BndStore  *store,
                  gpointer   data,
                  GError   **error)
{
  Loaded *loaded = g_new0 (Loaded, 1);

  loaded->id = *(gint64 *)data;
  loaded->sketch = bnd_store_load_version (store, loaded->id, &loaded->error);
  return loaded;
}

static void
version_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Loaded) loaded = bnd_store_call_finish (BND_STORE (object), result, &error);
  BndVersionDialog *self = user_data;

  /* Cancelled in dispose: @self is gone. */
  if (loaded == NULL)
    return;
  /* Another version chosen meanwhile: that one is on its way. */
  if (loaded->id != self->wanted)
    return;
  if (loaded->sketch == NULL)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), loaded->error->message, -1);
  else
    show_version (self, loaded->sketch);
}

static void
on_version_list_row_selected_cb (BndVersionDialog *self,
                                 GtkListBoxRow    *row,
                                 GtkListBox       *list)
{
  BndVersion *version;
  gint64 *id;

  if (row == NULL)
    return;

  version = g_ptr_array_index (self->versions, gtk_list_box_row_get_index (row));
  self->wanted = version->id;
  id = g_new (gint64, 1);
  *id = version->id;
  bnd_store_read_async (self->store, load_version_job, id, g_free, (GDestroyNotify)loaded_free, self->cancellable,
                        version_loaded_cb, self);
}

/* Restoring: both versions kept in one job, copies of the sketches that the worker alone uses */
typedef struct
{
  BndSketch *current;
  BndSketch *restored;
} Restore;

static void
restore_free (Restore *restore)
{
  g_clear_object (&restore->current);
  g_clear_object (&restore->restored);
  g_free (restore);
}

static gpointer
restore_job (BndStore  *store,
             gpointer   data,
             GError   **error)
{
  Restore *restore = data;

  if (!bnd_store_add_version (store, restore->current, "close", error) ||
      !bnd_store_add_version (store, restore->restored, "restore", error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
restored_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean done = bnd_store_call_finish (BND_STORE (object), result, &error) != NULL;
  g_autoptr(BndVersionDialog) self = user_data;
  g_autoptr(BndSketch) restored = NULL;
  /* Its cancellable goes in dispose: the dialog was destroyed anyway (the app quit) while the
   * store kept the versions; close_request() keeps it open otherwise. */
  gboolean closed = self->cancellable == NULL;

  self->restoring = FALSE;
  if (!done)
    {
      if (!closed)
        gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), error->message, -1);
      return;
    }
  if (closed)
    return;
  restored = g_object_steal_data (G_OBJECT (self), "restored");
  g_signal_emit (self, signals[RESTORED], 0, restored);
  gtk_window_close (GTK_WINDOW (self));
}

static void
restore_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  BndVersionDialog *self = BND_VERSION_DIALOG (widget);
  BndSketch *restored;
  Restore *restore;

  /* Nothing chosen yet, or a second click while the first is being kept */
  if (self->shown == NULL || self->restoring)
    return;

  restored = bnd_sketch_copy (self->shown);
  /* The content comes back, not the stage it was at then: that is the server's. */
  bnd_sketch_set_stage (restored, bnd_sketch_get_stage (self->current));
  bnd_sketch_set_times (restored, bnd_sketch_get_created (self->current), g_get_real_time () / G_USEC_PER_SEC);
  g_object_set_data_full (G_OBJECT (self), "restored", restored, g_object_unref);
  restore = g_new0 (Restore, 1);
  restore->current = bnd_sketch_copy (self->current);
  restore->restored = bnd_sketch_copy (restored);
  self->restoring = TRUE;
  /* Not cancellable, and the dialog kept until the answer: see restored_cb() */
  bnd_store_call_async (self->store, restore_job, restore, (GDestroyNotify)restore_free, NULL, NULL,
                        restored_cb, g_object_ref (self));
}

/* A restore being kept closes the dialog itself once it is stored and the editor has it: closed
 * before, the editor would keep the old text and write it back over the restore. */
static gboolean
bnd_version_dialog_close_request (GtkWindow *window)
{
  BndVersionDialog *self = BND_VERSION_DIALOG (window);
  GtkWindowClass *parent_class = GTK_WINDOW_CLASS (bnd_version_dialog_parent_class);

  if (self->restoring)
    return TRUE;
  return parent_class->close_request ? parent_class->close_request (window) : FALSE;
}

static void
bnd_version_dialog_dispose (GObject *object)
{
  BndVersionDialog *self = (BndVersionDialog *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->strategy);
  g_clear_object (&self->current);
  g_clear_object (&self->shown);
  g_clear_pointer (&self->versions, g_ptr_array_unref);

  G_OBJECT_CLASS (bnd_version_dialog_parent_class)->dispose (object);
}

static void
bnd_version_dialog_class_init (BndVersionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bnd_version_dialog_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = bnd_version_dialog_close_request;

  /**
   * BndVersionDialog::restored:
   * @sketch: the sketch as restored, saved in the store
   */
  signals[RESTORED] = g_signal_new ("restored", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, BND_TYPE_SKETCH);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/bnd-version-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BndVersionDialog, version_list);
  gtk_widget_class_bind_template_child (widget_class, BndVersionDialog, text_view);
  gtk_widget_class_bind_template_callback (widget_class, on_version_list_row_selected_cb);
  gtk_widget_class_install_action (widget_class, "versions.restore", NULL, restore_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
bnd_version_dialog_init (BndVersionDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->versions = g_ptr_array_new ();

  gtk_text_buffer_create_tag (gtk_text_view_get_buffer (self->text_view), "changed",
                              "background", "rgba(246, 211, 45, 0.45)", NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "versions.restore", FALSE);
}

static gpointer
list_versions_job (BndStore  *store,
                   gpointer   data,
                   GError   **error)
{
  return bnd_store_list_versions (store, data, error);
}

static void
versions_listed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *versions = bnd_store_call_finish (BND_STORE (object), result, &error);
  BndVersionDialog *self = user_data;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (versions == NULL)
    {
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), error->message, -1);
      return;
    }
  g_clear_pointer (&self->versions, g_ptr_array_unref);
  self->versions = versions;

  /* Newest first, as people look for a recent state; rows and array share the order. */
  for (guint i = 0; i < self->versions->len / 2; i++)
    {
      gpointer swap = self->versions->pdata[i];
      self->versions->pdata[i] = self->versions->pdata[self->versions->len - 1 - i];
      self->versions->pdata[self->versions->len - 1 - i] = swap;
    }
  for (guint i = 0; i < self->versions->len; i++)
    {
      BndVersion *version = g_ptr_array_index (self->versions, i);
      g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (version->created);
      g_autofree char *when = bnd_format_date_time (time, bnd_locale_current ());
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), when);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), reason_label (version->reason));
      gtk_list_box_append (self->version_list, row);
    }

  if (self->versions->len == 0)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view),
                              _("No earlier versions yet. Bündnis keeps one when you pause writing, "
                                "export the sketch or close it."), -1);
}

BndVersionDialog *
bnd_version_dialog_new (GtkWindow   *parent,
                        BndStore    *store,
                        BndStrategy *strategy,
                        BndSketch   *current)
{
  BndVersionDialog *self;

  g_return_val_if_fail (BND_IS_STORE (store), NULL);
  g_return_val_if_fail (BND_IS_SKETCH (current), NULL);

  self = g_object_new (BND_TYPE_VERSION_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->strategy = g_object_ref (strategy);
  self->current = g_object_ref (current);
  /* Listed on the store's worker: the dialog opens at once, its rows come a moment later. */
  bnd_store_read_async (store, list_versions_job, g_strdup (bnd_sketch_get_uuid (current)), g_free,
                        (GDestroyNotify)g_ptr_array_unref, self->cancellable, versions_listed_cb, self);
  return self;
}
