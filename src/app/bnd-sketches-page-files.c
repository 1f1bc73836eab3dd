/* bnd-sketches-page-files.c: the Sketches view's sketch files, imported and exported
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-sketches-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "bnd-procedure.h"
#include "bnd-sketches-page-private.h"

/* Files are read and written with GIO's async calls, the store through its worker: the window
 * never waits on either. */

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
on_import_response_cb (GtkNativeDialog *dialog,
                       int              response,
                       BndSketchesPage *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))))
    bnd_sketches_page_import_file (self, file);
  g_object_unref (dialog);
}

static GtkFileFilter *
sketch_filter_new (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Bündnis sketches"));
  gtk_file_filter_add_mime_type (filter, "application/x-buendnis-sketch");
  gtk_file_filter_add_suffix (filter, "bndsketch");
  return filter;
}

void
_bnd_sketches_page_import_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  g_autoptr(GtkFileFilter) filter = sketch_filter_new ();
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Import a Sketch"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_import_response_cb), widget, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
export_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  BndSketchesPage *self = op->self;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      if (!self->disposed)
        _bnd_sketches_page_show_error (self, _("The Sketch Could Not Be Exported"), error->message);
    }
  else if (!self->disposed)
    _bnd_sketches_page_toast (self, adw_toast_new (_("Sketch file saved")));
  _bnd_sketches_page_end (self);
}

static void
export_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  BndSketchesPage *self = op->self;
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  GFile *file;
  char *data;
  gsize length;

  if (!(sketch = bnd_store_load_finish (BND_STORE (object), result, &error)) ||
      !(data = bnd_sketch_to_data (sketch, &length)))
    {
      if (!self->disposed && !is_cancelled (error))
        _bnd_sketches_page_show_error (self, _("The Sketch Could Not Be Exported"), error ? error->message : "");
      _bnd_sketches_page_end (self);
      return;
    }
  bytes = g_bytes_new_take (data, length);
  file = op->file;
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                                       export_written_cb, g_steal_pointer (&op));
}

static void
on_export_response_cb (GtkNativeDialog *dialog,
                       int              response,
                       BndSketchesPage *self)
{
  const char *uuid = g_object_get_data (G_OBJECT (dialog), "uuid");
  g_autoptr(GFile) file = NULL;
  Op *op;

  /* Not refused while something else runs: the file is chosen, and the worker takes the load
   * after whatever came first. */
  if (response == GTK_RESPONSE_ACCEPT && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) &&
      _bnd_sketches_page_begin (self))
    {
      op = _bnd_sketches_page_op_new (self, uuid);
      op->file = g_steal_pointer (&file);
      bnd_store_load_async (self->store, uuid, NULL, self->reads, export_loaded_cb, op);
    }
  g_object_unref (dialog);
}

void
_bnd_sketches_page_export_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  g_autoptr(GtkFileFilter) filter = sketch_filter_new ();
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Export the Sketch File"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), _("Projektskizze.bndsketch"));
  g_object_set_data_full (G_OBJECT (dialog), "uuid", g_variant_dup_string (parameter, NULL), g_free);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_export_response_cb), widget, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

typedef struct
{
  GBytes      *contents;
  char        *name;
  BndStrategy *strategy;
} ImportData;

static void
import_data_free (ImportData *data)
{
  g_clear_pointer (&data->contents, g_bytes_unref);
  g_free (data->name);
  g_clear_object (&data->strategy);
  g_free (data);
}

/* On the store's worker, as one job: nothing else writes the sketch between the look at the one
 * it replaces and the save. */
static gpointer
import_job (BndStore  *store,
            gpointer   user_data,
            GError   **error)
{
  ImportData *data = user_data;
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(BndSketch) existing = NULL;
  gsize length;
  const char *contents = g_bytes_get_data (data->contents, &length);

  if (!(sketch = bnd_sketch_new_from_data (contents, length, data->name, data->strategy, error)))
    return NULL;

  /* A newer copy of a sketch we have replaces it; the state it replaces stays as a version. A
   * submitted one stays as the server keeps it. */
  existing = bnd_store_load (store, bnd_sketch_get_uuid (sketch), NULL, NULL);
  if ((existing && !bnd_procedure_may_edit_sketch (bnd_sketch_get_stage (existing), error)) ||
      (existing && !bnd_store_add_version (store, existing, "import", error)) ||
      !bnd_store_save (store, sketch, error))
    return NULL;
  return g_strdup (bnd_sketch_get_uuid (sketch));
}

static void
imported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  BndSketchesPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = bnd_store_call_finish (BND_STORE (object), result, &error);

  if (self->disposed)
    ;
  else if (uuid == NULL)
    _bnd_sketches_page_show_error (self, _("The Sketch Could Not Be Imported"), error->message);
  else
    {
      _bnd_sketches_page_toast (self, adw_toast_new (_("Sketch imported")));
      _bnd_sketches_page_load_and_show (self, uuid);
      return;
    }
  _bnd_sketches_page_end (self);
}

static void
import_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  BndSketchesPage *self = op->self;
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length;
  ImportData *data;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &length, NULL, &error) ||
      self->disposed)
    {
      if (!self->disposed && !is_cancelled (error))
        _bnd_sketches_page_show_error (self, _("The Sketch Could Not Be Imported"), error->message);
      g_free (contents);
      _bnd_sketches_page_end (self);
      return;
    }

  data = g_new0 (ImportData, 1);
  data->contents = g_bytes_new_take (contents, length);
  data->name = g_steal_pointer (&op->name);
  data->strategy = g_object_ref (self->strategy);
  bnd_store_call_async (self->store, import_job, data, (GDestroyNotify)import_data_free, g_free, NULL,
                        imported_cb, self);
}

static void
import_info_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  BndSketchesPage *self = op->self;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  GFile *file;

  if (!(info = g_file_query_info_finish (G_FILE (object), result, &error)) ||
      g_file_info_get_size (info) > BND_SKETCH_MAX_FILE_SIZE || self->disposed)
    {
      if (self->disposed || is_cancelled (error))
        ;
      else if (info != NULL)
        _bnd_sketches_page_show_error (self, _("The Sketch Could Not Be Imported"), _("The file is too large for a sketch."));
      else
        _bnd_sketches_page_show_error (self, _("The Sketch Could Not Be Imported"), error->message);
      _bnd_sketches_page_end (self);
      return;
    }
  file = op->file;
  g_file_load_contents_async (file, self->reads, import_read_cb, g_steal_pointer (&op));
}

/**
 * bnd_sketches_page_import_file:
 * @self: a #BndSketchesPage
 * @file: a `.bndsketch` file
 *
 * Checks the whole file first; a file with any problem imports nothing and says why. The sketch
 * opens once it is stored.
 */
void
bnd_sketches_page_import_file (BndSketchesPage *self,
                               GFile           *file)
{
  Op *op;

  g_return_if_fail (BND_IS_SKETCHES_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  /* Not refused while something else runs: the file is chosen, and the worker takes the import
   * after whatever came first. */
  if (!_bnd_sketches_page_begin (self))
    return;

  op = _bnd_sketches_page_op_new (self, NULL);
  op->file = g_object_ref (file);
  op->name = g_file_get_parse_name (file);
  g_file_query_info_async (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT,
                           self->reads, import_info_cb, op);
}
