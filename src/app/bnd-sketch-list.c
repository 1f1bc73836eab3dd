/* bnd-sketch-list.c: the rows of the Sketches view's list
 *
 * The list is a GtkListView over a GListStore of BndSketchItem: only the rows near the screen are
 * widgets, recycled while scrolling, so that 10,000 sketches cost no more than a screenful. A
 * GtkListBox with a row (and its four action-bound buttons) per sketch grew quadratically slower.
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-sketch-list"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "bnd-format.h"
#include "bnd-page-util.h"
#include "bnd-sketch-list.h"
#include "bnd-stage.h"

struct _BndSketchItem
{
  GObject           parent_instance;

  /* The store's answer is kept whole: an item is only a pointer into it. */
  GPtrArray        *summaries;
  BndSketchSummary *summary;
};

G_DEFINE_FINAL_TYPE (BndSketchItem, bnd_sketch_item, G_TYPE_OBJECT)

/* The item now stands for another sketch, or the same sketch changed: its row shows it anew. */
static guint item_changed_signal;

static void
bnd_sketch_item_finalize (GObject *object)
{
  BndSketchItem *self = (BndSketchItem *)object;

  g_clear_pointer (&self->summaries, g_ptr_array_unref);
  G_OBJECT_CLASS (bnd_sketch_item_parent_class)->finalize (object);
}

static void
bnd_sketch_item_class_init (BndSketchItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bnd_sketch_item_finalize;
  item_changed_signal = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                      NULL, G_TYPE_NONE, 0);
}

static void
bnd_sketch_item_init (BndSketchItem *self)
{
}

const char *
bnd_sketch_item_get_uuid (BndSketchItem *self)
{
  g_return_val_if_fail (BND_IS_SKETCH_ITEM (self), NULL);
  return self->summary->uuid;
}

/**
 * bnd_sketch_item_get_title:
 *
 * Returns: the title as the list shows it ("Untitled sketch" for an empty one)
 */
const char *
bnd_sketch_item_get_title (BndSketchItem *self)
{
  g_return_val_if_fail (BND_IS_SKETCH_ITEM (self), NULL);
  return *self->summary->title ? self->summary->title : _("Untitled sketch");
}

static gboolean
summary_equal (const BndSketchSummary *a,
               const BndSketchSummary *b)
{
  return g_strcmp0 (a->uuid, b->uuid) == 0 && g_strcmp0 (a->title, b->title) == 0 &&
         g_strcmp0 (a->stage, b->stage) == 0 && a->funding_object == b->funding_object &&
         a->modified == b->modified && a->refused == b->refused;
}

/**
 * bnd_sketch_list_set_summaries:
 * @store: a #GListStore of #BndSketchItem
 * @summaries: (element-type BndSketchSummary): the store's list
 *
 * Shows @summaries in the list. GTK 4.8's list view keeps a widget for up to 200 rows around
 * the visible ones, and makes them anew for every item that an items-changed brings: a new
 * filter's answer, as new items, cost 200 rows built, bound and measured (half a second at
 * 10,000 sketches). So the items are places in the list instead: the first ones stay and take
 * the sketches now at their position (their rows show the new one where it differs, no row is
 * built), and only the difference in length is spliced at the end.
 */
void
bnd_sketch_list_set_summaries (GListStore *store,
                               GPtrArray  *summaries)
{
  GListModel *model = G_LIST_MODEL (store);
  guint n_old = g_list_model_get_n_items (model);
  guint n_kept = MIN (n_old, summaries->len);
  g_autoptr(GPtrArray) added = g_ptr_array_new_full (summaries->len - n_kept, g_object_unref);

  for (guint i = 0; i < n_kept; i++)
    {
      g_autoptr(BndSketchItem) item = g_list_model_get_item (model, i);
      BndSketchSummary *summary = g_ptr_array_index (summaries, i);
      gboolean same = summary_equal (item->summary, summary);

      /* The new answer first: the old one may go with its last item. */
      g_ptr_array_ref (summaries);
      g_ptr_array_unref (item->summaries);
      item->summaries = summaries;
      item->summary = summary;
      if (!same)
        g_signal_emit (item, item_changed_signal, 0);
    }

  for (guint i = n_kept; i < summaries->len; i++)
    {
      BndSketchItem *item = g_object_new (BND_TYPE_SKETCH_ITEM, NULL);

      item->summaries = g_ptr_array_ref (summaries);
      item->summary = g_ptr_array_index (summaries, i);
      g_ptr_array_add (added, item);
    }
  if (n_old != summaries->len)
    g_list_store_splice (store, n_kept, n_old - n_kept, added->pdata, added->len);
}

/* The row as the keyboard and the accessibility tree know it: focusable itself (a GtkBox passes
 * the focus on to its children), a list item named after the sketch. An AdwActionRow cannot be
 * that: it is a GtkListBoxRow, which takes the focus only inside a GtkListBox. */
#define BND_TYPE_SKETCH_ROW (bnd_sketch_row_get_type ())

G_DECLARE_FINAL_TYPE (BndSketchRow, bnd_sketch_row, BND, SKETCH_ROW, GtkWidget)

struct _BndSketchRow
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (BndSketchRow, bnd_sketch_row, GTK_TYPE_WIDGET)

static void
bnd_sketch_row_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))))
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (bnd_sketch_row_parent_class)->dispose (object);
}

static void
bnd_sketch_row_class_init (BndSketchRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = bnd_sketch_row_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sketchrow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LIST_ITEM);
}

static void
bnd_sketch_row_init (BndSketchRow *self)
{
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
}

/* A row's widgets, made once per row on screen and filled for each sketch it shows */
typedef struct
{
  GtkWidget *focus;
  GtkWidget *row;
  GtkWidget *stage;
  GtkWidget *refused;
  GtkWidget *duplicate;
  GtkWidget *export;
  GtkWidget *delete;
} Row;

static GtkWidget *
row_button_new (const char *icon,
                const char *tooltip,
                const char *action)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  /* The uuid comes with each sketch the row shows (bind_cb()); the action takes a string */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", "");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  return button;
}

static GtkWidget *
badge_new (const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_add_css_class (label, css_class);
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  return label;
}

/* The row's title and subtitle wrap between words only. AdwActionRow's labels fall back to
 * breaking between characters, and a label that may do so learns its narrowest width by laying its
 * text out one character a line: that was three quarters of measuring a row (2.1 ms against 1 ms),
 * and GTK 4.8's list view measures every row it keeps (up to 200) whenever a filter brings other
 * sketches. A word wider than the row makes the row wider instead of being broken. */
static void
wrap_at_words (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_label_get_wrap (GTK_LABEL (widget)))
    gtk_label_set_wrap_mode (GTK_LABEL (widget), PANGO_WRAP_WORD);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    wrap_at_words (child);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item)
{
  Row *row = g_new0 (Row, 1);

  /* The row takes the keyboard focus and speaks the title; Tab goes on to its buttons. Enter
   * and a click reach the list view's "activate", which opens the sketch. */
  row->focus = g_object_new (BND_TYPE_SKETCH_ROW, NULL);
  row->row = bnd_text_row_new ("", NULL);
  gtk_widget_set_focusable (row->row, FALSE);
  wrap_at_words (row->row);
  gtk_widget_set_parent (row->row, row->focus);
  /* Where a submitted sketch stands in the procedure, at a glance */
  row->stage = badge_new ("dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row->row), row->stage);
  /* Its edits wait for a decision, which the editor offers. */
  row->refused = badge_new ("error");
  gtk_label_set_text (GTK_LABEL (row->refused), _("Not accepted by the server"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row->row), row->refused);
  row->duplicate = row_button_new ("edit-copy-symbolic", _("Duplicate"), "sketches.duplicate");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row->row), row->duplicate);
  row->export = row_button_new ("document-save-as-symbolic", _("Export as Sketch File…"), "sketches.export");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row->row), row->export);
  row->delete = row_button_new ("user-trash-symbolic", _("Delete"), "sketches.delete");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row->row), row->delete);

  g_object_set_data_full (G_OBJECT (list_item), "bnd-row", row, g_free);
  gtk_list_item_set_child (list_item, row->focus);
}

/* Fills @list_item's row with the sketch its item stands for now. */
static void
show_item (GtkListItem *list_item)
{
  Row *row = g_object_get_data (G_OBJECT (list_item), "bnd-row");
  BndSketchItem *item = gtk_list_item_get_item (list_item);
  const BndSketchSummary *summary = item->summary;
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (summary->modified);
  g_autofree char *when = bnd_format_date_time (time, bnd_locale_current ());
  g_autofree char *subtitle = NULL;
  GVariant *target = g_variant_new_string (summary->uuid);
  gboolean draft = g_strcmp0 (summary->stage, "draft") == 0;

  /* Formatted here, for the rows on screen only */
  if (summary->funding_object > 0)
    /* Translators: "Modified 25.11.2026 16:40 · Fördergegenstand 1" */
    subtitle = g_strdup_printf (_("Modified %s · Funding object %d"), when, summary->funding_object);
  else
    subtitle = g_strdup_printf (_("Modified %s"), when);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->row), bnd_sketch_item_get_title (item));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->focus), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  bnd_sketch_item_get_title (item), -1);
  /* GTK 4.8's own list item around the row is focusable for the accessibility tree but has no
   * name, and GtkListItem:accessible-label comes only with GTK 4.12: named here. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (row->focus)), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  bnd_sketch_item_get_title (item), -1);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row->row), subtitle);
  gtk_widget_set_visible (row->stage, !draft);
  if (!draft)
    gtk_label_set_text (GTK_LABEL (row->stage), bnd_stage_get_label (summary->stage));
  gtk_widget_set_visible (row->refused, summary->refused);

  g_variant_ref_sink (target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row->duplicate), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row->export), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row->delete), target);
  g_variant_unref (target);
  /* A submitted sketch is part of a dossier, which the server keeps for every partner: deleting
   * it here would only hide it on this computer. Its carrier withdraws it in the dossier
   * instead. Without the action, as the button that is not there offers nothing. */
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row->delete), draft ? "sketches.delete" : NULL);
  gtk_widget_set_visible (row->delete, draft);
}

static void
on_item_changed_cb (BndSketchItem *item,
                    GtkListItem   *list_item)
{
  if (gtk_list_item_get_item (list_item) == item)
    show_item (list_item);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item)
{
  show_item (list_item);
  /* Gone with the list item, if it is never unbound */
  g_signal_connect_object (gtk_list_item_get_item (list_item), "changed", G_CALLBACK (on_item_changed_cb),
                           list_item, 0);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item)
{
  BndSketchItem *item = gtk_list_item_get_item (list_item);

  if (item != NULL)
    g_signal_handlers_disconnect_by_func (item, on_item_changed_cb, list_item);
}

/**
 * bnd_sketch_list_factory_new:
 *
 * Returns: (transfer full): the factory of the Sketches view's rows: title, when modified, the
 *   stage and refusal badges, and the Duplicate, Export and Delete buttons (the page's
 *   `sketches.*` actions, with the sketch's uuid)
 */
GtkListItemFactory *
bnd_sketch_list_factory_new (void)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), NULL);
  return factory;
}
