/* bnd-goals-page.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-goals-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "bnd-goals-page.h"
#include "bnd-page-util.h"

struct _BndGoalsPage
{
  GtkWidget      parent_instance;

  /* Template widgets */
  AdwLeaflet    *leaflet;
  GtkListBox    *goal_list;
  GtkListBox    *cross_cutting_list;
  GtkScrolledWindow *goal_scroller;
  GtkBox        *goal_content;

  /* Owned */
  BndStrategy   *strategy;
  const BndGoal *shown_goal;
};

G_DEFINE_FINAL_TYPE (BndGoalsPage, bnd_goals_page, GTK_TYPE_WIDGET)

static char *
goal_label (const BndGoal *goal)
{
  if (goal->cross_cutting)
    /* Translators: a cross-cutting goal's title follows */
    return g_strdup_printf (_("Cross-cutting goal: %s"), goal->title);
  return g_strdup_printf ("%s %s", goal->id, goal->title);
}

static GtkWidget *
navigation_row_new (const char *title,
                    const char *subtitle,
                    const char *action,
                    const char *target)
{
  GtkWidget *row = bnd_text_row_new (title, subtitle);

  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", target);
  return row;
}

static void
fill_list (GtkListBox *list,
           GPtrArray  *goals)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))))
    gtk_list_box_remove (list, child);

  for (guint i = 0; i < goals->len; i++)
    {
      const BndGoal *goal = g_ptr_array_index (goals, i);
      g_autofree char *title = goal->cross_cutting ? g_strdup (goal->title) : goal_label (goal);
      GtkWidget *row = navigation_row_new (title, goal->objective, "win.show-goal", goal->id);

      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
      gtk_list_box_append (list, row);
    }
}

static GtkWidget *
section_new (GtkBox     *content,
             const char *title)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  gtk_box_append (GTK_BOX (box), bnd_paragraph_new (title, "heading"));
  gtk_box_append (content, box);
  return box;
}

static void
add_description (BndGoalsPage  *self,
                 const BndGoal *goal)
{
  g_auto(GStrv) paragraphs = g_strsplit (goal->description, "\n\n", -1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  for (guint i = 0; paragraphs[i]; i++)
    gtk_box_append (GTK_BOX (box), bnd_paragraph_new (paragraphs[i], NULL));
  gtk_box_append (self->goal_content, box);
}

static void
add_measures (BndGoalsPage  *self,
              const BndGoal *goal)
{
  GtkWidget *section = section_new (self->goal_content, _("Measures"));
  GtkWidget *list = bnd_boxed_list_new ();

  for (guint i = 0; i < goal->measures->len; i++)
    {
      gtk_list_box_append (GTK_LIST_BOX (list), bnd_paragraph_row_new (g_ptr_array_index (goal->measures, i)));
    }
  gtk_box_append (GTK_BOX (section), list);
}

static void
add_examples (BndGoalsPage  *self,
              const BndGoal *goal)
{
  GtkWidget *section;

  if (goal->examples->len == 0)
    return;

  section = section_new (self->goal_content,
                         g_dngettext (GETTEXT_PACKAGE, "Project example from the alliance",
                                      "Project examples from the alliance", goal->examples->len));
  for (guint i = 0; i < goal->examples->len; i++)
    {
      const BndProjectExample *example = g_ptr_array_index (goal->examples, i);
      GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

      gtk_widget_add_css_class (card, "card");
      gtk_widget_add_css_class (card, "example-card");
      gtk_box_append (GTK_BOX (card), bnd_paragraph_new (example->title, "heading"));
      gtk_box_append (GTK_BOX (card), bnd_paragraph_new (example->text, NULL));
      if (example->url != NULL)
        {
          g_autofree char *uri = g_str_has_prefix (example->url, "http") ? g_strdup (example->url)
                                   : g_strconcat ("https://", example->url, NULL);
          GtkWidget *link = gtk_link_button_new_with_label (uri, example->url);

          gtk_widget_set_halign (link, GTK_ALIGN_START);
          gtk_box_append (GTK_BOX (card), link);
        }
      gtk_box_append (GTK_BOX (section), card);
    }
}

static void
add_served_by (BndGoalsPage  *self,
               const BndGoal *goal)
{
  g_autoptr(GPtrArray) topics = bnd_strategy_dup_topics_for_goal (self->strategy, goal);
  g_autoptr(GHashTable) fields = g_hash_table_new (NULL, NULL);
  GtkWidget *section = section_new (self->goal_content, _("Served by"));
  GtkWidget *list;

  if (goal->cross_cutting)
    {
      gtk_box_append (GTK_BOX (section),
                      bnd_paragraph_new (_("A cross-cutting goal concerns every field of action."), "dim-label"));
      gtk_box_append (GTK_BOX (section),
                      bnd_paragraph_new (bnd_strategy_get_cross_cutting_text (self->strategy), NULL));
      return;
    }

  list = bnd_boxed_list_new ();
  for (guint i = 0; i < topics->len; i++)
    {
      const BndTopic *topic = g_ptr_array_index (topics, i);
      /* Translators: "Focus topic 1: Unterstützung der Betriebe …" */
      g_autofree char *title = g_strdup_printf (_("Focus topic %d: %s"), topic->number, topic->title);
      /* Translators: "Field of action I: Fachkräfte binden - Nachwuchs sichern" */
      g_autofree char *field = g_strdup_printf (_("Field of action %s: %s"), topic->field->id,
                                                topic->field->title);

      gtk_list_box_append (GTK_LIST_BOX (list), navigation_row_new (title, field, "win.show-topic", topic->id));
      g_hash_table_add (fields, (gpointer)topic->field);
    }

  if (topics->len == 0)
    {
      g_object_unref (g_object_ref_sink (list));
      gtk_box_append (GTK_BOX (section),
                      bnd_paragraph_new (_("No focus topic of the strategy names this goal."), "dim-label"));
    }
  else
    gtk_box_append (GTK_BOX (section), list);
}

static void
show_goal (BndGoalsPage  *self,
           const BndGoal *goal)
{
  g_autofree char *kicker = NULL;
  GtkAdjustment *adjustment;

  self->shown_goal = goal;
  bnd_box_remove_all (self->goal_content);

  if (goal->cross_cutting)
    kicker = g_strdup (_("Cross-cutting goal"));
  else
    /* Translators: "Strategic goal 3.1" */
    kicker = g_strdup_printf (_("Strategic goal %s"), goal->id);

  gtk_box_append (self->goal_content, bnd_paragraph_new (kicker, "dim-label"));
  gtk_box_append (self->goal_content, bnd_paragraph_new (goal->title, "title-1"));
  if (goal->objective != NULL)
    gtk_box_append (self->goal_content, bnd_paragraph_new (goal->objective, "title-4"));
  add_description (self, goal);
  add_measures (self, goal);
  add_examples (self, goal);
  add_served_by (self, goal);

  adjustment = gtk_scrolled_window_get_vadjustment (self->goal_scroller);
  gtk_adjustment_set_value (adjustment, 0);
  adw_leaflet_set_visible_child_name (self->leaflet, "goal");
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BndGoalsPage *self = BND_GOALS_PAGE (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "list");
}

static void
bnd_goals_page_dispose (GObject *object)
{
  BndGoalsPage *self = (BndGoalsPage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), BND_TYPE_GOALS_PAGE);
  self->shown_goal = NULL;
  g_clear_object (&self->strategy);

  G_OBJECT_CLASS (bnd_goals_page_parent_class)->dispose (object);
}

static void
bnd_goals_page_class_init (BndGoalsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bnd_goals_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/bnd-goals-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BndGoalsPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, BndGoalsPage, goal_list);
  gtk_widget_class_bind_template_child (widget_class, BndGoalsPage, cross_cutting_list);
  gtk_widget_class_bind_template_child (widget_class, BndGoalsPage, goal_scroller);
  gtk_widget_class_bind_template_child (widget_class, BndGoalsPage, goal_content);

  gtk_widget_class_install_action (widget_class, "goals.back", NULL, back_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "goals.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace, 0, "goals.back", NULL);
}

static void
bnd_goals_page_init (BndGoalsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
bnd_goals_page_set_strategy (BndGoalsPage *self,
                             BndStrategy  *strategy)
{
  g_return_if_fail (BND_IS_GOALS_PAGE (self));
  g_return_if_fail (BND_IS_STRATEGY (strategy));

  g_set_object (&self->strategy, strategy);
  self->shown_goal = NULL;
  fill_list (self->goal_list, bnd_strategy_get_goals (strategy));
  fill_list (self->cross_cutting_list, bnd_strategy_get_cross_cutting_goals (strategy));
  adw_leaflet_set_visible_child_name (self->leaflet, "list");
}

/**
 * bnd_goals_page_show_goal:
 * @self: a #BndGoalsPage
 * @goal_id: a strategic or cross-cutting goal's id
 *
 * Opens the page of a goal.
 */
void
bnd_goals_page_show_goal (BndGoalsPage *self,
                          const char   *goal_id)
{
  const BndGoal *goal;

  g_return_if_fail (BND_IS_GOALS_PAGE (self));

  if (self->strategy == NULL || !(goal = bnd_strategy_find_goal (self->strategy, goal_id)))
    return;
  show_goal (self, goal);
}

/**
 * bnd_goals_page_get_shown_goal:
 * @self: a #BndGoalsPage
 *
 * Returns: (nullable): the id of the goal whose page is open, or %NULL when the list is shown
 */
const char *
bnd_goals_page_get_shown_goal (BndGoalsPage *self)
{
  g_return_val_if_fail (BND_IS_GOALS_PAGE (self), NULL);

  if (self->shown_goal == NULL ||
      !g_str_equal (adw_leaflet_get_visible_child_name (self->leaflet), "goal"))
    return NULL;
  return self->shown_goal->id;
}
