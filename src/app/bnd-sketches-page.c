/* bnd-sketches-page.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-sketches-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "bnd-page-util.h"
#include "bnd-procedure.h"
#include "bnd-sketch-list.h"
#include "bnd-sketches-page.h"
#include "bnd-sketches-page-private.h"
#include "bnd-sync-manager.h"
#include "bnd-window.h"

G_DEFINE_FINAL_TYPE (BndSketchesPage, bnd_sketches_page, GTK_TYPE_WIDGET)

void
_bnd_sketches_page_toast (BndSketchesPage *self,
                          AdwToast        *toast)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (BND_IS_WINDOW (root))
    bnd_window_show_toast (BND_WINDOW (root), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

void
_bnd_sketches_page_show_error (BndSketchesPage *self,
                               const char      *heading,
                               const char      *message)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading, message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Operations: each waits for the store's worker without holding up the window. While one runs, the
 * list's buttons do nothing (a second click would duplicate or import twice); the application
 * stays up until a write is answered, so that quitting loses nothing. */

gboolean
_bnd_sketches_page_begin (BndSketchesPage *self)
{
  GApplication *application = g_application_get_default ();

  if (self->store == NULL || self->disposed)
    return FALSE;
  self->running++;
  if (application != NULL)
    g_application_hold (application);
  g_object_ref (self);
  return TRUE;
}

/* Drops the reference _bnd_sketches_page_begin() took: @self may be gone afterwards. */
void
_bnd_sketches_page_end (BndSketchesPage *self)
{
  GApplication *application = g_application_get_default ();
  g_autofree char *pending = NULL;

  g_assert (self->running > 0);
  self->running--;
  if (self->running == 0 && !self->disposed && self->pending_open &&
      (self->sync == NULL || !bnd_sync_manager_is_running (self->sync)))
    {
      pending = g_steal_pointer (&self->pending_open);
      bnd_sketches_page_open (self, pending);
    }
  if (application != NULL)
    g_application_release (application);
  g_object_unref (self);
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

Op *
_bnd_sketches_page_op_new (BndSketchesPage *self,
                           const char      *uuid)
{
  Op *op = g_new0 (Op, 1);

  op->self = self;
  op->uuid = g_strdup (uuid);
  return op;
}

void
_bnd_sketches_page_op_free (Op *op)
{
  g_free (op->uuid);
  g_free (op->name);
  g_clear_object (&op->file);
  g_clear_object (&op->sketch);
  g_free (op);
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  BndSketchesPage *self = user_data;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  gboolean filtered;

  if (!(list = bnd_store_list_finish (BND_STORE (object), result, &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _bnd_sketches_page_show_error (self, _("The Sketches Could Not Be Listed"), error->message);
      return;
    }

  bnd_sketch_list_set_summaries (self->sketches, list);

  filtered = *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) ||
             gtk_drop_down_get_selected (self->goal_filter) > 0 ||
             gtk_drop_down_get_selected (self->district_filter) > 0 ||
             gtk_drop_down_get_selected (self->funding_filter) > 0;
  gtk_stack_set_visible_child_name (self->list_stack, list->len ? "list" : filtered ? "no-match" : "empty");
}

/**
 * bnd_sketches_page_reload:
 *
 * Lists the sketches again with the current search and filters.
 */
void
bnd_sketches_page_reload (BndSketchesPage *self)
{
  BndStoreQuery query = { 0 };
  guint goal, district;

  g_return_if_fail (BND_IS_SKETCHES_PAGE (self));

  if (self->store == NULL)
    return;

  goal = gtk_drop_down_get_selected (self->goal_filter);
  district = gtk_drop_down_get_selected (self->district_filter);
  query.text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  query.goal = goal < self->goal_ids->len ? g_ptr_array_index (self->goal_ids, goal) : NULL;
  query.district = district < self->district_ids->len ? g_ptr_array_index (self->district_ids, district) : NULL;
  query.funding_object = gtk_drop_down_get_selected (self->funding_filter);
  if (query.funding_object == (int)GTK_INVALID_LIST_POSITION)
    query.funding_object = 0;

  /* Only the newest query's answer counts. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  bnd_store_list_async (self->store, &query, self->cancellable, list_cb, self);
}

/* Callbacks */

static void
on_filter_changed_cb (BndSketchesPage *self)
{
  bnd_sketches_page_reload (self);
}

static void
on_sketch_activated_cb (BndSketchesPage *self,
                        guint            position)
{
  g_autoptr(BndSketchItem) item = g_list_model_get_item (G_LIST_MODEL (self->sketches), position);

  if (item != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "sketches.open", "s", bnd_sketch_item_get_uuid (item));
}

static void
on_leaflet_visible_child_changed_cb (BndSketchesPage *self)
{
  /* The leaflet loses its pages in dispose: nothing to close or list then */
  if (self->disposed)
    return;
  if (g_str_equal (adw_leaflet_get_visible_child_name (self->leaflet), "list"))
    {
      if (self->editor != NULL)
        bnd_sketch_editor_close (self->editor);
      bnd_sketches_page_reload (self);
    }
}

static void
new_saved_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  BndSketchesPage *self = op->self;
  g_autoptr(GError) error = NULL;

  if (!bnd_store_save_finish (BND_STORE (object), result, &error))
    {
      if (!self->disposed)
        _bnd_sketches_page_show_error (self, _("The Sketch Could Not Be Created"), error->message);
    }
  else if (!self->disposed)
    {
      /* Opened only once it is saved: the editor's own saves come after. */
      _bnd_sketches_page_load_and_show (self, op->uuid);
      return;
    }
  _bnd_sketches_page_end (self);
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  BndSketchesPage *self = BND_SKETCHES_PAGE (widget);
  g_autoptr(BndSketch) sketch = NULL;

  if (self->running > 0 || !_bnd_sketches_page_begin (self))
    return;

  sketch = bnd_sketch_new ();
  bnd_store_save_async (self->store, sketch, NULL, new_saved_cb, _bnd_sketches_page_op_new (self, bnd_sketch_get_uuid (sketch)));
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  bnd_sketches_page_open (BND_SKETCHES_PAGE (widget), g_variant_get_string (parameter, NULL));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  bnd_sketches_page_close_editor (BND_SKETCHES_PAGE (widget));
}

typedef struct
{
  char        *uuid;
  BndStrategy *strategy;
  char        *title_format;
} DuplicateData;

static void
duplicate_data_free (DuplicateData *data)
{
  g_free (data->uuid);
  g_clear_object (&data->strategy);
  g_free (data->title_format);
  g_free (data);
}

/* On the store's worker, as one job: the copy is the sketch as stored when it is made. */
static gpointer
duplicate_job (BndStore  *store,
               gpointer   user_data,
               GError   **error)
{
  DuplicateData *data = user_data;
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(BndSketch) copy = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autoptr(GString) title = g_string_new (data->title_format);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (!(sketch = bnd_store_load (store, data->uuid, data->strategy, error)))
    return NULL;

  copy = bnd_sketch_copy (sketch);
  bnd_sketch_set_uuid (copy, uuid);
  /* A copy of a submitted sketch is a new draft of its own. */
  bnd_sketch_set_stage (copy, "draft");
  /* The translated "%s (copy)", filled in here where the title is known */
  g_string_replace (title, "%s", bnd_sketch_get_title (sketch), 1);
  bnd_sketch_set_title (copy, title->str);
  bnd_sketch_set_times (copy, now, now);
  if (!bnd_store_save (store, copy, error))
    return NULL;
  return g_steal_pointer (&uuid);
}

static void
duplicated_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  BndSketchesPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = bnd_store_call_finish (BND_STORE (object), result, &error);

  if (!self->disposed)
    {
      if (uuid == NULL)
        _bnd_sketches_page_show_error (self, _("The Sketch Could Not Be Duplicated"), error->message);
      else
        bnd_sketches_page_reload (self);
    }
  _bnd_sketches_page_end (self);
}

static void
duplicate_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  BndSketchesPage *self = BND_SKETCHES_PAGE (widget);
  DuplicateData *data;

  if (self->running > 0 || !_bnd_sketches_page_begin (self))
    return;

  data = g_new0 (DuplicateData, 1);
  data->uuid = g_variant_dup_string (parameter, NULL);
  data->strategy = g_object_ref (self->strategy);
  /* Translators: the title of a duplicated sketch */
  data->title_format = g_strdup (_("%s (copy)"));
  bnd_store_call_async (self->store, duplicate_job, data, (GDestroyNotify)duplicate_data_free, g_free, NULL,
                        duplicated_cb, self);
}

static void
on_undo_delete_clicked_cb (AdwToast        *undo,
                           BndSketchesPage *self)
{
  g_autoptr(GVariant) uuid = g_variant_ref_sink (g_variant_new_string (g_object_get_data (G_OBJECT (undo), "uuid")));

  gtk_widget_activate_action_variant (GTK_WIDGET (self), "sketches.undelete", uuid);
}

static void
deleted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  BndSketchesPage *self = op->self;
  g_autoptr(GError) error = NULL;
  AdwToast *undo;

  if (!bnd_store_set_deleted_finish (BND_STORE (object), result, &error))
    {
      if (!self->disposed)
        _bnd_sketches_page_show_error (self, _("The Sketch Could Not Be Deleted"), error->message);
      _bnd_sketches_page_end (self);
      return;
    }

  if (!self->disposed)
    {
      undo = adw_toast_new (_("Sketch deleted"));
      adw_toast_set_button_label (undo, _("_Undo"));
      /* The toast lives above this page, where the page's own actions cannot be reached. */
      g_object_set_data_full (G_OBJECT (undo), "uuid", g_steal_pointer (&op->uuid), g_free);
      g_signal_connect_object (undo, "button-clicked", G_CALLBACK (on_undo_delete_clicked_cb), self, 0);
      _bnd_sketches_page_toast (self, undo);
      bnd_sketches_page_reload (self);
    }
  _bnd_sketches_page_end (self);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BndSketchesPage *self = BND_SKETCHES_PAGE (widget);
  const char *uuid = g_variant_get_string (parameter, NULL);

  if (self->running > 0 || !_bnd_sketches_page_begin (self))
    return;

  bnd_store_set_deleted_async (self->store, uuid, TRUE, NULL, deleted_cb, _bnd_sketches_page_op_new (self, uuid));
}

static void
undeleted_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  BndSketchesPage *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bnd_store_set_deleted_finish (BND_STORE (object), result, &error) && !self->disposed)
    _bnd_sketches_page_show_error (self, _("The Sketch Could Not Be Restored"), error->message);
  if (!self->disposed)
    bnd_sketches_page_reload (self);
  _bnd_sketches_page_end (self);
}

static void
undelete_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  BndSketchesPage *self = BND_SKETCHES_PAGE (widget);

  /* Never refused while something else runs: the worker takes it after the delete it undoes. */
  if (!_bnd_sketches_page_begin (self))
    return;
  bnd_store_set_deleted_async (self->store, g_variant_get_string (parameter, NULL), FALSE, NULL, undeleted_cb,
                               self);
}

static void
bnd_sketches_page_dispose (GObject *object)
{
  BndSketchesPage *self = (BndSketchesPage *)object;

  /* Operations still running finish their writes, but show nothing. */
  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->reads);
  g_clear_handle_id (&self->progress_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), BND_TYPE_SKETCHES_PAGE);
  /* Not a template child (built when first needed): gone with the leaflet that owned it */
  self->editor = NULL;
  g_clear_object (&self->cancellable);
  g_clear_object (&self->reads);
  g_clear_object (&self->store);
  g_clear_object (&self->sketches);
  g_clear_object (&self->strategy);
  g_clear_pointer (&self->goal_ids, g_ptr_array_unref);
  g_clear_pointer (&self->district_ids, g_ptr_array_unref);
  g_clear_pointer (&self->pending_open, g_free);
  g_clear_object (&self->sync);

  G_OBJECT_CLASS (bnd_sketches_page_parent_class)->dispose (object);
}

static void
bnd_sketches_page_class_init (BndSketchesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bnd_sketches_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/bnd-sketches-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BndSketchesPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, BndSketchesPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BndSketchesPage, goal_filter);
  gtk_widget_class_bind_template_child (widget_class, BndSketchesPage, district_filter);
  gtk_widget_class_bind_template_child (widget_class, BndSketchesPage, funding_filter);
  gtk_widget_class_bind_template_child (widget_class, BndSketchesPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, BndSketchesPage, sketch_list);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sketch_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_leaflet_visible_child_changed_cb);

  gtk_widget_class_install_action (widget_class, "sketches.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "sketches.open", "s", open_action);
  gtk_widget_class_install_action (widget_class, "sketches.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "sketches.duplicate", "s", duplicate_action);
  gtk_widget_class_install_action (widget_class, "sketches.delete", "s", delete_action);
  gtk_widget_class_install_action (widget_class, "sketches.undelete", "s", undelete_action);
  gtk_widget_class_install_action (widget_class, "sketches.import", NULL, _bnd_sketches_page_import_action);
  gtk_widget_class_install_action (widget_class, "sketches.export", "s", _bnd_sketches_page_export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "sketches.back", NULL);
}

static void
bnd_sketches_page_init (BndSketchesPage *self)
{
  g_autoptr(GtkListItemFactory) factory = bnd_sketch_list_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->sketches = g_list_store_new (BND_TYPE_SKETCH_ITEM);
  gtk_list_view_set_model (self->sketch_list,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->sketches)))));
  gtk_list_view_set_factory (self->sketch_list, factory);
  self->goal_ids = g_ptr_array_new ();
  self->district_ids = g_ptr_array_new ();
  self->reads = g_cancellable_new ();
}

/**
 * bnd_sketches_page_set_context:
 * @self: a #BndSketchesPage
 * @store: (nullable): the local store, %NULL when it could not be opened
 * @strategy: the strategy the sketches follow
 */
void
bnd_sketches_page_set_context (BndSketchesPage *self,
                               BndStore        *store,
                               BndStrategy     *strategy)
{
  g_autoptr(GtkStringList) goals = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) districts = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) objects = gtk_string_list_new (NULL);
  GPtrArray *list;

  g_return_if_fail (BND_IS_SKETCHES_PAGE (self));
  g_return_if_fail (BND_IS_STRATEGY (strategy));

  bnd_sketches_page_close_editor (self);
  g_set_object (&self->store, store);
  g_set_object (&self->strategy, strategy);
  if (self->editor != NULL)
    bnd_sketch_editor_set_context (self->editor, store, strategy);

  g_ptr_array_set_size (self->goal_ids, 0);
  g_ptr_array_add (self->goal_ids, NULL);
  gtk_string_list_append (goals, _("All goals"));
  list = bnd_strategy_get_goals (strategy);
  for (guint i = 0; i < list->len; i++)
    {
      const BndGoal *goal = g_ptr_array_index (list, i);
      g_autofree char *title = g_strdup_printf ("%s %s", goal->id, goal->title);

      g_ptr_array_add (self->goal_ids, (gpointer)goal->id);
      gtk_string_list_append (goals, title);
    }

  g_ptr_array_set_size (self->district_ids, 0);
  g_ptr_array_add (self->district_ids, NULL);
  gtk_string_list_append (districts, _("All Landkreise"));
  list = bnd_strategy_get_districts (strategy);
  for (guint i = 0; i < list->len; i++)
    {
      const BndDistrict *district = g_ptr_array_index (list, i);

      g_ptr_array_add (self->district_ids, (gpointer)district->id);
      gtk_string_list_append (districts, district->short_name);
    }
  g_ptr_array_add (self->district_ids, (gpointer)BND_DISTRICT_CROSS_DISTRICT);
  gtk_string_list_append (districts, _("Landkreisübergreifend"));

  gtk_string_list_append (objects, _("All funding objects"));
  list = bnd_strategy_get_funding_objects (strategy);
  for (guint i = 0; i < list->len; i++)
    {
      const BndFundingObject *object = g_ptr_array_index (list, i);
      g_autofree char *title = g_strdup_printf ("%d %s", object->number, object->title);
      gtk_string_list_append (objects, title);
    }

  gtk_drop_down_set_model (self->goal_filter, G_LIST_MODEL (goals));
  gtk_drop_down_set_model (self->district_filter, G_LIST_MODEL (districts));
  gtk_drop_down_set_model (self->funding_filter, G_LIST_MODEL (objects));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sketches.new", store != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sketches.import", store != NULL);
  bnd_sketches_page_reload (self);
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  BndSketchesPage *self = user_data;
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GError) error = NULL;

  sketch = bnd_store_load_finish (BND_STORE (object), result, &error);
  if (!self->disposed)
    {
      if (sketch == NULL)
        {
          if (!is_cancelled (error))
            _bnd_sketches_page_show_error (self, _("The Sketch Could Not Be Opened"), error->message);
        }
      else
        {
          /* Shown first, so that the editor can put the focus into the form. */
          BndSketchEditor *editor = bnd_sketches_page_get_editor (self);

          adw_leaflet_set_visible_child_name (self->leaflet, "editor");
          bnd_sketch_editor_set_sketch (editor, sketch);
        }
    }
  _bnd_sketches_page_end (self);
}

/* The last step of an operation (_bnd_sketches_page_begin()): loads the sketch and shows it in
 * the editor. */
void
_bnd_sketches_page_load_and_show (BndSketchesPage *self,
                                  const char      *uuid)
{
  /* A running sync may be writing this very sketch: the editor takes it once the sync is done. */
  if (self->sync != NULL && bnd_sync_manager_is_running (self->sync))
    {
      g_free (self->pending_open);
      self->pending_open = g_strdup (uuid);
      _bnd_sketches_page_end (self);
      return;
    }
  bnd_store_load_async (self->store, uuid, self->strategy, self->reads, loaded_cb, self);
}

/**
 * bnd_sketches_page_open:
 * @self: a #BndSketchesPage
 * @uuid: the sketch to edit
 *
 * Opens the sketch in the editor once the store has it loaded; while a sync or another
 * operation runs, once that is done.
 */
void
bnd_sketches_page_open (BndSketchesPage *self,
                        const char      *uuid)
{
  g_return_if_fail (BND_IS_SKETCHES_PAGE (self));

  if (self->store == NULL)
    return;

  if (self->running > 0 || (self->sync != NULL && bnd_sync_manager_is_running (self->sync)))
    {
      g_free (self->pending_open);
      self->pending_open = g_strdup (uuid);
      return;
    }
  if (_bnd_sketches_page_begin (self))
    _bnd_sketches_page_load_and_show (self, uuid);
}

/**
 * bnd_sketches_page_get_editor:
 *
 * The editor is built here, when a sketch is first opened (or the editor first asked for), not
 * with the page: its form, preview and banner are a good part of what the first frame would
 * otherwise build, lay out and shape without showing it.
 *
 * Returns: (transfer none): the page's sketch editor
 */
BndSketchEditor *
bnd_sketches_page_get_editor (BndSketchesPage *self)
{
  AdwLeafletPage *page;

  g_return_val_if_fail (BND_IS_SKETCHES_PAGE (self), NULL);

  if (self->editor == NULL)
    {
      self->editor = g_object_new (BND_TYPE_SKETCH_EDITOR, NULL);
      if (self->strategy != NULL)
        bnd_sketch_editor_set_context (self->editor, self->store, self->strategy);
      bnd_sketch_editor_set_sync_manager (self->editor, self->sync);
      /* The leaflet owns it; self->editor is gone with the page's template. */
      page = adw_leaflet_append (self->leaflet, GTK_WIDGET (self->editor));
      adw_leaflet_page_set_name (page, "editor");
    }
  return self->editor;
}

gboolean
bnd_sketches_page_is_editing (BndSketchesPage *self)
{
  g_return_val_if_fail (BND_IS_SKETCHES_PAGE (self), FALSE);
  return self->editor != NULL && bnd_sketch_editor_get_sketch (self->editor) != NULL;
}

/**
 * bnd_sketches_page_close_editor:
 *
 * Saves and closes the open sketch, if any, and shows the list.
 */
void
bnd_sketches_page_close_editor (BndSketchesPage *self)
{
  g_return_if_fail (BND_IS_SKETCHES_PAGE (self));

  if (self->editor != NULL)
    bnd_sketch_editor_close (self->editor);
  adw_leaflet_set_visible_child_name (self->leaflet, "list");
}

/**
 * bnd_sketches_page_get_list:
 *
 * Returns: (transfer none): the listed sketches, a #GListModel of #BndSketchItem
 */
GListModel *
bnd_sketches_page_get_list (BndSketchesPage *self)
{
  g_return_val_if_fail (BND_IS_SKETCHES_PAGE (self), NULL);
  return G_LIST_MODEL (self->sketches);
}

static gboolean
progress_reload_cb (gpointer user_data)
{
  BndSketchesPage *self = user_data;

  self->progress_source = 0;
  self->progress_reloaded = g_get_monotonic_time ();
  if (!bnd_sketches_page_is_editing (self))
    bnd_sketches_page_reload (self);
  return G_SOURCE_REMOVE;
}

/* A long first sync brings its sketches page by page: the list shows them as they come, rather
 * than "No Sketches Yet" until the end (the window reloads it then). Not more than once a
 * second: with 10,000 sketches each listing takes a moment of the store's worker. The list
 * query waits on the worker behind the pages written so far. */
static void
on_sync_progress_cb (BndSketchesPage *self)
{
  gint64 wait = self->progress_reloaded + G_USEC_PER_SEC - g_get_monotonic_time ();

  /* A page kept alive by an operation still running must not start a timer after dispose */
  if (self->progress_source != 0 || self->disposed)
    return;
  if (wait <= 0)
    progress_reload_cb (self);
  else
    self->progress_source = g_timeout_add ((guint)(wait / 1000) + 1, progress_reload_cb, self);
}

static void
on_synced_cb (BndSketchesPage *self,
              BndSyncManager  *sync)
{
  g_autofree char *uuid = g_steal_pointer (&self->pending_open);

  if (uuid != NULL)
    bnd_sketches_page_open (self, uuid);
}

/**
 * bnd_sketches_page_set_sync_manager:
 * @sync: (nullable): the window's sync
 */
void
bnd_sketches_page_set_sync_manager (BndSketchesPage *self,
                                    BndSyncManager  *sync)
{
  g_return_if_fail (BND_IS_SKETCHES_PAGE (self));

  if (self->sync == sync)
    return;
  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_data (self->sync, self);
  g_set_object (&self->sync, sync);
  if (self->editor != NULL)
    bnd_sketch_editor_set_sync_manager (self->editor, sync);
  if (sync != NULL)
    {
      g_signal_connect_object (sync, "synced", G_CALLBACK (on_synced_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (sync, "notify::progress-done", G_CALLBACK (on_sync_progress_cb), self,
                               G_CONNECT_SWAPPED);
    }
}
