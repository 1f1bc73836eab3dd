/* bnd-conflicts-dialog.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-conflicts-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bnd-conflicts-dialog.h"
#include "bnd-merge.h"
#include "bnd-page-util.h"

/* Every conflict side by side: your text, the server's, and a result to edit from both. Each is
 * decided on its own; the decision is an edit like any other and goes out with the next sync. */

struct _BndConflictsDialog
{
  AdwWindow    parent_instance;

  BndStore    *store;
  BndStrategy *strategy;
  GtkWidget   *content;
  GtkWidget   *stack;
  guint        n_open;
  /* The store is read and written on its worker: cancelled in dispose, so that a late answer
   * finds no dialog */
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (BndConflictsDialog, bnd_conflicts_dialog, ADW_TYPE_WINDOW)

static const char *
field_title (BndConflictsDialog *self,
             const char         *field)
{
  GPtrArray *sections = bnd_strategy_get_template_sections (self->strategy);

  if (g_str_has_prefix (field, "section:"))
    for (guint i = 0; i < sections->len; i++)
      {
        const BndTemplateSection *section = g_ptr_array_index (sections, i);
        if (g_str_equal (section->id, field + strlen ("section:")))
          return bnd_template_section_get_title (section);
      }
  if (g_str_equal (field, "title"))
    return _("Title");
  if (g_str_equal (field, "carrier"))
    return _("Carrier organisation");
  if (g_str_equal (field, "contact"))
    return _("Contact person");
  if (g_str_equal (field, "funding_object"))
    return _("Funding object (Fördergegenstand)");
  if (g_str_equal (field, "start") || g_str_equal (field, "end"))
    return _("Duration");
  if (g_str_equal (field, "partners"))
    return _("Partners");
  if (g_str_equal (field, "confirmations"))
    return _("Funding conditions");
  if (g_str_equal (field, "costs"))
    return _("Costs and financing");
  if (g_str_has_prefix (field, "links:"))
    return _("Contribution to the strategy");
  return field;
}

static GtkWidget *
text_column (const char *heading,
             const char *text,
             gboolean    editable,
             GtkWidget **view_out)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *view = gtk_text_view_new ();

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), editable);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 8);
  gtk_widget_set_size_request (view, -1, 100);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, heading, -1);
  gtk_frame_set_child (GTK_FRAME (frame), view);
  gtk_widget_set_hexpand (box, TRUE);
  gtk_box_append (GTK_BOX (box), bnd_paragraph_new (heading, "heading"));
  gtk_box_append (GTK_BOX (box), frame);
  if (view_out)
    *view_out = view;
  return box;
}

/* One decision, taken on the store's worker: the sketch and its conflicts are read there, as
 * they are now, and the decision applied in the same job. */
typedef struct
{
  char        *uuid;
  char        *field;
  char        *side;     /* "mine", "theirs" or "result" */
  char        *result;   /* the text of "result" */
  BndStrategy *strategy;
} Decision;

static void
decision_free (Decision *decision)
{
  g_free (decision->uuid);
  g_free (decision->field);
  g_free (decision->side);
  g_free (decision->result);
  g_clear_object (&decision->strategy);
  g_free (decision);
}

static gpointer
decide_job (BndStore  *store,
            gpointer   data,
            GError   **error)
{
  Decision *decision = data;
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(BndSyncState) state = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autofree char *value = NULL;
  g_autofree char *json = NULL;

  if (!(sketch = bnd_store_load (store, decision->uuid, NULL, error)) ||
      !(state = bnd_store_get_sync_state (store, decision->uuid, error)))
    return NULL;

  conflicts = bnd_conflicts_from_json (state->conflicts);
  for (guint i = 0; i < conflicts->len && value == NULL; i++)
    {
      BndConflict *conflict = g_ptr_array_index (conflicts, i);

      if (!g_str_equal (conflict->field, decision->field))
        continue;
      if (g_str_equal (decision->side, "mine"))
        value = g_strdup (conflict->mine);
      else if (g_str_equal (decision->side, "theirs"))
        value = g_strdup (conflict->theirs);
      else
        value = g_strdup (decision->result);
    }
  if (value == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, decision->field);
      return NULL;
    }
  if (!bnd_merge_resolve_with_strategy (sketch, conflicts, decision->field, value, decision->strategy, error))
    return NULL;

  json = bnd_conflicts_to_json (conflicts);
  g_free (state->conflicts);
  state->conflicts = conflicts->len ? g_steal_pointer (&json) : NULL;
  state->dirty = TRUE;
  if (!bnd_store_apply_sync (store, sketch, state, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
decided_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GtkWidget) block = user_data;
  g_autoptr(GError) error = NULL;
  gboolean done = bnd_store_call_finish (BND_STORE (object), result, &error) != NULL;
  GtkRoot *root = gtk_widget_get_root (block);
  BndConflictsDialog *self;
  GtkWidget *dialog;

  /* The dialog was closed meanwhile: the decision is stored all the same, as the job ran
   * uncancelled; there is just no block left to take away. */
  if (!BND_IS_CONFLICTS_DIALOG (root))
    return;
  self = BND_CONFLICTS_DIALOG (root);
  if (done)
    {
      gtk_box_remove (GTK_BOX (self->content), block);
      if (--self->n_open == 0)
        gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "done");
      return;
    }
  gtk_widget_set_sensitive (block, TRUE);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("The Conflict Could Not Be Resolved"), error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
decide (GtkButton          *button,
        BndConflictsDialog *self)
{
  GtkWidget *block = g_object_get_data (G_OBJECT (button), "block");
  GtkTextView *result = g_object_get_data (G_OBJECT (block), "result");
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (result);
  Decision *decision = g_new0 (Decision, 1);
  GtkTextIter start, end;

  decision->uuid = g_strdup (g_object_get_data (G_OBJECT (block), "uuid"));
  decision->field = g_strdup (g_object_get_data (G_OBJECT (block), "field"));
  decision->side = g_strdup (g_object_get_data (G_OBJECT (button), "side"));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  decision->result = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  decision->strategy = g_object_ref (self->strategy);
  /* One decision at a time for a conflict: its buttons wait for the store */
  gtk_widget_set_sensitive (block, FALSE);
  /* Not cancellable: a decision taken is kept even when the dialog is closed while the store is
   * busy (pending jobs are flushed at quit). */
  bnd_store_call_async (self->store, decide_job, decision, (GDestroyNotify)decision_free, NULL, NULL,
                        decided_cb, g_object_ref (block));
}

static GtkWidget *
decision_button_new (BndConflictsDialog *self,
                     GtkWidget          *block,
                     const char         *label,
                     const char         *side)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  g_object_set_data (G_OBJECT (button), "block", block);
  g_object_set_data (G_OBJECT (button), "side", (gpointer)side);
  g_signal_connect (button, "clicked", G_CALLBACK (decide), self);
  return button;
}

static void
add_conflict (BndConflictsDialog *self,
              BndSketch          *sketch,
              const BndConflict  *conflict)
{
  GtkWidget *block = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *sides = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *result = NULL;
  GtkWidget *use;
  g_autofree char *heading = NULL;

  /* Translators: "Welcome & Stay – Kurzbeschreibung" */
  heading = g_strdup_printf (_("%s – %s"), bnd_sketch_get_title (sketch), field_title (self, conflict->field));
  gtk_widget_add_css_class (block, "card");
  gtk_widget_add_css_class (block, "conflict-card");
  g_object_set_data_full (G_OBJECT (block), "uuid", g_strdup (bnd_sketch_get_uuid (sketch)), g_free);
  g_object_set_data_full (G_OBJECT (block), "field", g_strdup (conflict->field), g_free);

  gtk_box_append (GTK_BOX (block), bnd_paragraph_new (heading, "title-4"));
  gtk_box_append (GTK_BOX (sides), text_column (_("Yours"), conflict->mine, FALSE, NULL));
  gtk_box_append (GTK_BOX (sides), text_column (_("On the server"), conflict->theirs, FALSE, NULL));
  gtk_box_append (GTK_BOX (block), sides);
  gtk_box_append (GTK_BOX (block), text_column (_("Result, edited from both"), conflict->mine, TRUE, &result));
  g_object_set_data (G_OBJECT (block), "result", result);

  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (buttons), decision_button_new (self, block, _("Keep _Yours"), "mine"));
  gtk_box_append (GTK_BOX (buttons), decision_button_new (self, block, _("Take the _Server's"), "theirs"));
  use = decision_button_new (self, block, _("_Use the Result"), "result");
  gtk_widget_add_css_class (use, "suggested-action");
  gtk_box_append (GTK_BOX (buttons), use);
  gtk_box_append (GTK_BOX (block), buttons);

  gtk_box_append (GTK_BOX (self->content), block);
  self->n_open++;
}

static void
bnd_conflicts_dialog_dispose (GObject *object)
{
  BndConflictsDialog *self = (BndConflictsDialog *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->strategy);

  G_OBJECT_CLASS (bnd_conflicts_dialog_parent_class)->dispose (object);
}

static void
bnd_conflicts_dialog_class_init (BndConflictsDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = bnd_conflicts_dialog_dispose;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
bnd_conflicts_dialog_init (BndConflictsDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *done = adw_status_page_new ();
  GtkWidget *spinner = gtk_spinner_new ();

  gtk_window_set_title (GTK_WINDOW (self), _("Conflicts"));
  gtk_window_set_default_size (GTK_WINDOW (self), 900, 680);
  self->content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_widget_set_margin_top (self->content, 18);
  gtk_widget_set_margin_bottom (self->content, 18);
  gtk_widget_set_margin_start (self->content, 12);
  gtk_widget_set_margin_end (self->content, 12);
  gtk_box_append (GTK_BOX (self->content),
                  bnd_paragraph_new (_("These sections were changed here and on the server. Both texts are "
                                       "kept until you decide."), "dim-label"));
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 1000);
  adw_clamp_set_child (ADW_CLAMP (clamp), self->content);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (done), "emblem-ok-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (done), _("No Conflicts"));
  adw_status_page_set_description (ADW_STATUS_PAGE (done), _("The decisions go to the server with the next sync."));

  self->stack = gtk_stack_new ();
  gtk_widget_set_vexpand (self->stack, TRUE);
  gtk_stack_add_named (GTK_STACK (self->stack), scroller, "conflicts");
  gtk_stack_add_named (GTK_STACK (self->stack), done, "done");
  /* While the conflicts are read from the store */
  gtk_spinner_start (GTK_SPINNER (spinner));
  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_widget_set_halign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (spinner, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spinner), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reading the conflicts"), -1);
  gtk_stack_add_named (GTK_STACK (self->stack), spinner, "loading");
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "loading");
  self->cancellable = g_cancellable_new ();

  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), self->stack);
  adw_window_set_content (ADW_WINDOW (self), box);
}

/* The sketches in conflict, each with its conflicts, as read on the store's worker */
typedef struct
{
  BndSketch *sketch;
  GPtrArray *conflicts;
} Conflicted;

static void
conflicted_free (Conflicted *conflicted)
{
  g_clear_object (&conflicted->sketch);
  g_clear_pointer (&conflicted->conflicts, g_ptr_array_unref);
  g_free (conflicted);
}

static gpointer
read_job (BndStore  *store,
          gpointer   data,
          GError   **error)
{
  g_autoptr(GPtrArray) uuids = bnd_store_list_unsynced (store, BND_UNSYNCED_CONFLICTS, NULL);
  GPtrArray *read = g_ptr_array_new_with_free_func ((GDestroyNotify)conflicted_free);

  for (guint i = 0; uuids && i < uuids->len; i++)
    {
      g_autoptr(BndSyncState) state = bnd_store_get_sync_state (store, g_ptr_array_index (uuids, i), NULL);
      Conflicted *conflicted = g_new0 (Conflicted, 1);

      conflicted->sketch = bnd_store_load (store, g_ptr_array_index (uuids, i), NULL, NULL);
      conflicted->conflicts = bnd_conflicts_from_json (state ? state->conflicts : NULL);
      g_ptr_array_add (read, conflicted);
    }
  return read;
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GPtrArray) read = bnd_store_call_finish (BND_STORE (object), result, NULL);
  BndConflictsDialog *self = user_data;

  /* Cancelled in dispose: @self is gone. */
  if (read == NULL)
    return;
  for (guint i = 0; i < read->len; i++)
    {
      Conflicted *conflicted = g_ptr_array_index (read, i);

      for (guint j = 0; conflicted->sketch && j < conflicted->conflicts->len; j++)
        add_conflict (self, conflicted->sketch, g_ptr_array_index (conflicted->conflicts, j));
    }
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), self->n_open ? "conflicts" : "done");
}

/**
 * bnd_conflicts_dialog_new:
 *
 * The dialog opens at once with a spinner; the conflicts are read on the store's worker.
 */
BndConflictsDialog *
bnd_conflicts_dialog_new (GtkWindow   *parent,
                          BndStore    *store,
                          BndStrategy *strategy)
{
  BndConflictsDialog *self = g_object_new (BND_TYPE_CONFLICTS_DIALOG, "transient-for", parent, "modal", TRUE, NULL);

  self->store = g_object_ref (store);
  self->strategy = g_object_ref (strategy);
  bnd_store_read_async (store, read_job, NULL, NULL, (GDestroyNotify)g_ptr_array_unref, self->cancellable,
                        read_cb, self);
  return self;
}

guint
bnd_conflicts_dialog_get_n_open (BndConflictsDialog *self)
{
  g_return_val_if_fail (BND_IS_CONFLICTS_DIALOG (self), 0);
  return self->n_open;
}
