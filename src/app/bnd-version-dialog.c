/* bnd-version-dialog.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-version-dialog"

#include "config.h"

#include <glib/gi18n.h>

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

static void
on_version_list_row_selected_cb (BndVersionDialog *self,
                                 GtkListBoxRow    *row,
                                 GtkListBox       *list)
{
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GError) error = NULL;
  BndVersion *version;

  if (row == NULL)
    return;

  version = g_ptr_array_index (self->versions, gtk_list_box_row_get_index (row));
  if (!(sketch = bnd_store_load_version (self->store, version->id, &error)))
    {
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), error->message, -1);
      return;
    }
  show_version (self, sketch);
}

static void
restore_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  BndVersionDialog *self = BND_VERSION_DIALOG (widget);
  g_autoptr(BndSketch) restored = NULL;
  g_autoptr(GError) error = NULL;

  if (self->shown == NULL)
    return;

  restored = bnd_sketch_copy (self->shown);
  /* The content comes back, not the stage it was at then: that is the server's. */
  bnd_sketch_set_stage (restored, bnd_sketch_get_stage (self->current));
  bnd_sketch_set_times (restored, bnd_sketch_get_created (self->current), g_get_real_time () / G_USEC_PER_SEC);
  if (!bnd_store_add_version (self->store, self->current, "close", &error) ||
      !bnd_store_add_version (self->store, restored, "restore", &error))
    {
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), error->message, -1);
      return;
    }

  g_signal_emit (self, signals[RESTORED], 0, restored);
  gtk_window_close (GTK_WINDOW (self));
}

static void
bnd_version_dialog_dispose (GObject *object)
{
  BndVersionDialog *self = (BndVersionDialog *)object;

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

  gtk_text_buffer_create_tag (gtk_text_view_get_buffer (self->text_view), "changed",
                              "background", "rgba(246, 211, 45, 0.45)", NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "versions.restore", FALSE);
}

BndVersionDialog *
bnd_version_dialog_new (GtkWindow   *parent,
                        BndStore    *store,
                        BndStrategy *strategy,
                        BndSketch   *current)
{
  BndVersionDialog *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (BND_IS_STORE (store), NULL);
  g_return_val_if_fail (BND_IS_SKETCH (current), NULL);

  self = g_object_new (BND_TYPE_VERSION_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->strategy = g_object_ref (strategy);
  self->current = g_object_ref (current);

  if (!(self->versions = bnd_store_list_versions (store, bnd_sketch_get_uuid (current), &error)))
    {
      self->versions = g_ptr_array_new ();
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), error->message, -1);
    }

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
      g_autofree char *when = g_date_time_format (time, "%x %X");
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), when);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), reason_label (version->reason));
      gtk_list_box_append (self->version_list, row);
    }

  if (self->versions->len == 0)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view),
                              _("No earlier versions yet. Bündnis keeps one when you pause writing, "
                                "export the sketch or close it."), -1);
  return self;
}
