/* bnd-fields-page.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-fields-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "bnd-fields-page.h"
#include "bnd-page-util.h"

struct _BndFieldsPage
{
  GtkWidget   parent_instance;

  /* Template widgets */
  GtkWidget  *scroller;
  GtkBox     *content;

  /* Owned: "kind:id" → the widget that shows it */
  GHashTable *widgets;
};

G_DEFINE_FINAL_TYPE (BndFieldsPage, bnd_fields_page, GTK_TYPE_WIDGET)

static void
remember (BndFieldsPage *self,
          BndFieldsItem  kind,
          const char    *id,
          GtkWidget     *widget)
{
  g_hash_table_insert (self->widgets, g_strdup_printf ("%d:%s", kind, id), widget);
}

static GtkWidget *
text_child_new (const char *text)
{
  return bnd_paragraph_row_new (text);
}

static GtkWidget *
goal_link_row_new (const BndGoal *goal)
{
  g_autofree char *title = NULL;
  GtkWidget *row;

  /* Translators: "Serves strategic goal 3.1: Fachkräfte gewinnen und binden" */
  title = g_strdup_printf (_("Serves strategic goal %s: %s"), goal->id, goal->title);
  row = bnd_text_row_new (title, NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.show-goal");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", goal->id);
  return row;
}

static void
add_fields (BndFieldsPage *self,
            BndStrategy   *strategy)
{
  GPtrArray *fields = bnd_strategy_get_fields (strategy);
  GPtrArray *topics = bnd_strategy_get_topics (strategy);

  gtk_box_append (self->content, bnd_paragraph_new (_("Fields of Action and Focus Topics"), "title-2"));

  for (guint i = 0; i < fields->len; i++)
    {
      const BndField *field = g_ptr_array_index (fields, i);
      g_autofree char *title = NULL;
      GtkWidget *group = adw_preferences_group_new ();

      /* Translators: "Field of action II" */
      title = g_strdup_printf (_("Field of action %s"), field->id);
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), field->title);
      remember (self, BND_FIELDS_ITEM_FIELD, field->id, group);

      for (guint j = 0; j < topics->len; j++)
        {
          const BndTopic *topic = g_ptr_array_index (topics, j);
          g_autofree char *topic_title = NULL;
          GtkWidget *row;

          if (topic->field != field)
            continue;

          topic_title = g_strdup_printf ("%d  %s", topic->number, topic->title);
          row = adw_expander_row_new ();
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), topic_title);
          /* libadwaita 1.2 names only the expander's inner header; the row that takes the focus
           * says the same. */
          gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, topic_title, -1);
          if (topic->goals->len > 0)
            {
              const BndGoal *goal = g_ptr_array_index (topic->goals, 0);
              g_autofree char *serves = g_strdup_printf (_("Serves strategic goal %s: %s"), goal->id, goal->title);

              adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), serves);
            }
          adw_expander_row_add_row (ADW_EXPANDER_ROW (row), text_child_new (topic->text));
          for (guint k = 0; k < topic->goals->len; k++)
            adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                                      goal_link_row_new (g_ptr_array_index (topic->goals, k)));
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
          remember (self, BND_FIELDS_ITEM_TOPIC, topic->id, row);
        }

      gtk_box_append (self->content, group);
    }
}

static void
add_cross_cutting (BndFieldsPage *self,
                   BndStrategy   *strategy)
{
  GPtrArray *goals = bnd_strategy_get_cross_cutting_goals (strategy);
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *text = bnd_paragraph_new (bnd_strategy_get_cross_cutting_text (strategy), NULL);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Cross-cutting goals"));
  gtk_widget_set_margin_bottom (text, 12);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), text);

  for (guint i = 0; i < goals->len; i++)
    {
      const BndGoal *goal = g_ptr_array_index (goals, i);
      GtkWidget *row = bnd_text_row_new (goal->title, NULL);

      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.show-goal");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", goal->id);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }

  gtk_box_append (self->content, group);
}

static void
add_funding_objects (BndFieldsPage *self,
                     BndStrategy   *strategy)
{
  GPtrArray *objects = bnd_strategy_get_funding_objects (strategy);
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Funding objects (Fördergegenstände)"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Every project needs a strong regional reference and must "
                                           "contribute to the regional skilled-labour strategy."));

  for (guint i = 0; i < objects->len; i++)
    {
      const BndFundingObject *object = g_ptr_array_index (objects, i);
      g_autofree char *title = NULL;
      GtkWidget *row = adw_expander_row_new ();

      /* Translators: "Funding object 1: Strukturprojekte" */
      title = g_strdup_printf (_("Funding object %d: %s"), object->number, object->title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), text_child_new (object->description));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      remember (self, BND_FIELDS_ITEM_FUNDING_OBJECT, object->id, row);
    }

  gtk_box_append (self->content, group);
}

static void
bnd_fields_page_dispose (GObject *object)
{
  BndFieldsPage *self = (BndFieldsPage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), BND_TYPE_FIELDS_PAGE);
  g_clear_pointer (&self->widgets, g_hash_table_unref);

  G_OBJECT_CLASS (bnd_fields_page_parent_class)->dispose (object);
}

static void
bnd_fields_page_class_init (BndFieldsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bnd_fields_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/bnd-fields-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BndFieldsPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, BndFieldsPage, content);
}

static void
bnd_fields_page_init (BndFieldsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->widgets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

void
bnd_fields_page_set_strategy (BndFieldsPage *self,
                              BndStrategy   *strategy)
{
  g_return_if_fail (BND_IS_FIELDS_PAGE (self));
  g_return_if_fail (BND_IS_STRATEGY (strategy));

  g_hash_table_remove_all (self->widgets);
  bnd_box_remove_all (self->content);
  add_fields (self, strategy);
  add_cross_cutting (self, strategy);
  add_funding_objects (self, strategy);
}

/**
 * bnd_fields_page_reveal:
 * @self: a #BndFieldsPage
 * @kind: what @id names
 * @id: the id of a field, focus topic or funding object
 *
 * Scrolls to the item, opens it and gives it the keyboard focus.
 *
 * Returns: (transfer none) (nullable): the widget showing the item
 */
GtkWidget *
bnd_fields_page_reveal (BndFieldsPage *self,
                        BndFieldsItem  kind,
                        const char    *id)
{
  g_autofree char *key = NULL;
  GtkWidget *widget;

  g_return_val_if_fail (BND_IS_FIELDS_PAGE (self), NULL);

  key = g_strdup_printf ("%d:%s", kind, id);
  if (!(widget = g_hash_table_lookup (self->widgets, key)))
    return NULL;

  if (ADW_IS_EXPANDER_ROW (widget))
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (widget), TRUE);

  /* The viewport scrolls to the focused widget. */
  gtk_widget_grab_focus (widget);
  return widget;
}
