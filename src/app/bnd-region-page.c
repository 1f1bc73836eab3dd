/* bnd-region-page.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-region-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "bnd-indicator.h"
#include "bnd-page-util.h"
#include "bnd-region-page.h"

#define MAX_YEARS 4

struct _BndRegionPage
{
  GtkWidget     parent_instance;

  /* Template widgets */
  GtkWidget    *scroller;
  GtkLabel     *title_label;
  GtkDropDown  *area_dropdown;
  GtkLabel     *groups_title;
  BndBarChart  *groups_chart;
  GtkBox       *groups_table;
  GtkWidget    *groups_table_button;
  GtkLabel     *groups_selection;
  GtkLabel     *groups_source;
  GtkLabel     *districts_title;
  BndBarChart  *districts_chart;
  GtkBox       *districts_table;
  GtkWidget    *districts_table_button;
  GtkLabel     *districts_selection;
  GtkLabel     *districts_source;
  GtkLabel     *indicators_title;
  GtkListBox   *indicator_list;

  /* Owned */
  BndStrategy  *strategy;
  GSettings    *settings;
  GPtrArray    *areas;          /* area ids in dropdown order; borrowed from the strategy */
  GHashTable   *rows;           /* indicator id → row */
  /* The table the charts draw (Table 1): the indicator topic whose values have an occupation
   * group, and its years. Found in the pack, not assumed. */
  const BndIndicatorTopic *table_topic;
  const char   *years[MAX_YEARS];
  guint         n_years;
  gboolean      filling;
};

G_DEFINE_FINAL_TYPE (BndRegionPage, bnd_region_page, GTK_TYPE_WIDGET)

static const char *comparison_areas[] = { BND_AREA_REGION, BND_AREA_NIEDERSACHSEN, BND_AREA_GERMANY };

static gboolean
is_district (BndRegionPage *self,
             const char    *area)
{
  return bnd_strategy_find_district (self->strategy, area) != NULL;
}

static gboolean
in_table (BndRegionPage      *self,
          const BndIndicator *indicator)
{
  return indicator->topic == self->table_topic && indicator->group != NULL;
}

static void
find_table (BndRegionPage *self)
{
  GPtrArray *indicators = bnd_strategy_get_indicators (self->strategy);

  self->table_topic = NULL;
  self->n_years = 0;

  for (guint i = 0; i < indicators->len; i++)
    {
      const BndIndicator *indicator = g_ptr_array_index (indicators, i);
      gboolean known = FALSE;

      if (self->table_topic == NULL && indicator->group != NULL)
        self->table_topic = indicator->topic;
      if (!in_table (self, indicator) || !is_district (self, indicator->area))
        continue;

      for (guint y = 0; y < self->n_years; y++)
        known |= g_str_equal (self->years[y], indicator->year);
      if (!known && self->n_years < MAX_YEARS)
        self->years[self->n_years++] = indicator->year;
    }
}

static const char *
total_group (BndRegionPage *self)
{
  GPtrArray *groups = bnd_strategy_get_occupation_groups (self->strategy);

  /* The first row of the table is the total over all occupations. */
  return ((const BndOccupationGroup *)g_ptr_array_index (groups, 0))->id;
}

/* Adds one category to @chart and collects the sources of its values. */
static void
add_row (BndRegionPage *self,
         BndBarChart   *chart,
         GPtrArray     *sources,
         const char    *label,
         const char    *group,
         const char    *area,
         gboolean       highlight)
{
  double values[MAX_YEARS];

  for (guint y = 0; y < self->n_years; y++)
    {
      const BndIndicator *indicator =
        bnd_strategy_find_table_value (self->strategy, self->table_topic->id, group, area, self->years[y]);
      g_autofree char *source = NULL;

      values[y] = indicator && indicator->has_value ? indicator->value : NAN;
      if (indicator == NULL)
        continue;

      source = indicator->figure ? g_strdup_printf ("%s: %s", indicator->figure, indicator->source)
                                 : g_strdup (indicator->source);
      if (!g_ptr_array_find_with_equal_func (sources, source, g_str_equal, NULL))
        g_ptr_array_add (sources, g_steal_pointer (&source));
      bnd_bar_chart_set_unit (chart, indicator->unit);
    }

  bnd_bar_chart_add_category (chart, label, values, highlight);
}

static void
set_sources (GtkLabel  *label,
             GPtrArray *sources)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < sources->len; i++)
    {
      if (i == 0)
        /* Translators: the source of a chart's figures */
        g_string_append_printf (text, _("Source: %s"), (char *)g_ptr_array_index (sources, i));
      else
        g_string_append_printf (text, "\n%s", (char *)g_ptr_array_index (sources, i));
    }
  gtk_label_set_label (label, text->str);
}

static void
fill_charts (BndRegionPage *self,
             const char    *area)
{
  GPtrArray *groups = bnd_strategy_get_occupation_groups (self->strategy);
  GPtrArray *districts = bnd_strategy_get_districts (self->strategy);
  g_autoptr(GPtrArray) groups_sources = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) districts_sources = g_ptr_array_new_with_free_func (g_free);
  const char *area_name = bnd_strategy_get_area_name (self->strategy, area);
  g_autofree char *groups_title = NULL;
  g_autofree char *districts_title = NULL;

  bnd_bar_chart_set_series (self->groups_chart, self->n_years, (const char * const *)self->years);
  bnd_bar_chart_set_series (self->districts_chart, self->n_years, (const char * const *)self->years);

  if (is_district (self, area))
    {
      /* Translators: a chart title; %s is a Landkreis */
      groups_title = g_strdup_printf (_("Vacancy times by occupation group in %s, in days"), area_name);
      for (guint i = 0; i < groups->len; i++)
        {
          const BndOccupationGroup *group = g_ptr_array_index (groups, i);

          add_row (self, self->groups_chart, groups_sources, group->title, group->id, area, i == 0);
        }

      /* Translators: a chart title; %s is a Landkreis */
      districts_title = g_strdup_printf (_("%s compared with the other Landkreise: all occupations, in days"),
                                         area_name);
    }
  else
    {
      groups_title = g_strdup_printf (_("Average vacancy time in %s, Lower Saxony and Germany, in days"),
                                      area_name);
      for (guint i = 0; i < G_N_ELEMENTS (comparison_areas); i++)
        add_row (self, self->groups_chart, groups_sources,
                 bnd_strategy_get_area_name (self->strategy, comparison_areas[i]),
                 total_group (self), comparison_areas[i], i == 0);

      districts_title = g_strdup (_("Vacancy times in the Landkreise: all occupations, in days"));
    }

  for (guint i = 0; i < districts->len; i++)
    {
      const BndDistrict *district = g_ptr_array_index (districts, i);

      add_row (self, self->districts_chart, districts_sources, district->short_name,
               total_group (self), district->id, g_str_equal (district->id, area));
    }

  gtk_label_set_label (self->groups_title, groups_title);
  gtk_label_set_label (self->districts_title, districts_title);
  /* The same figures as text, behind each chart's "Show as Table" */
  bnd_box_remove_all (self->groups_table);
  gtk_box_append (self->groups_table, bnd_bar_chart_table_new (self->groups_chart));
  bnd_box_remove_all (self->districts_table);
  gtk_box_append (self->districts_table, bnd_bar_chart_table_new (self->districts_chart));
  set_sources (self->groups_source, groups_sources);
  set_sources (self->districts_source, districts_sources);
}

static GtkWidget *
indicator_row_new (BndRegionPage      *self,
                   const BndIndicator *indicator)
{
  g_autofree char *value = bnd_indicator_format_value (indicator, bnd_locale_current ());
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autofree char *source = NULL;
  GtkWidget *row, *label;

  /* The parts are data, joined with the same separator as everywhere; only "Source:" is text. */
  if (!is_district (self, indicator->area))
    g_string_append_printf (subtitle, "%s · ", bnd_strategy_get_area_name (self->strategy, indicator->area));
  g_string_append (subtitle, indicator->year);
  if (indicator->note)
    g_string_append_printf (subtitle, " · %s", indicator->note);
  /* Translators: the source of a figure */
  source = g_strdup_printf (_("Source: %s"), indicator->source);
  g_string_append_printf (subtitle, " · %s", source);

  row = bnd_text_row_new (indicator->label, subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  gtk_widget_set_tooltip_text (row, indicator->source);
  gtk_widget_set_focusable (row, TRUE);

  label = gtk_label_new (value);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_add_css_class (label, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);

  if (indicator->has_value)
    {
      GtkWidget *insert = gtk_button_new_from_icon_name ("insert-text-symbolic");

      gtk_widget_set_tooltip_text (insert, _("Insert into the Open Sketch, with Its Source"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (insert),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Insert into the Open Sketch, with Its Source"),
                                      -1);
      gtk_widget_set_valign (insert, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (insert, "flat");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (insert), "win.insert-indicator");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (insert), "s", indicator->id);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), insert);
    }
  return row;
}

static void
fill_indicators (BndRegionPage *self,
                 const char    *area)
{
  GPtrArray *indicators = bnd_strategy_get_indicators (self->strategy);
  gboolean whole_region = !is_district (self, area);
  g_autofree char *title = NULL;
  GtkWidget *child;

  g_hash_table_remove_all (self->rows);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->indicator_list))))
    gtk_list_box_remove (self->indicator_list, child);

  for (guint i = 0; i < indicators->len; i++)
    {
      const BndIndicator *indicator = g_ptr_array_index (indicators, i);
      gboolean shown = whole_region ? !is_district (self, indicator->area)
                                    : g_str_equal (indicator->area, area);
      GtkWidget *row;

      /* Table values are in the charts above. */
      if (!shown || in_table (self, indicator))
        continue;

      row = indicator_row_new (self, indicator);
      gtk_list_box_append (self->indicator_list, row);
      g_hash_table_insert (self->rows, (gpointer)indicator->id, row);
    }

  if (whole_region)
    title = g_strdup (_("More figures for the whole region from the strategy"));
  else
    /* Translators: %s is a Landkreis */
    title = g_strdup_printf (_("More figures for %s from the strategy"),
                             bnd_strategy_get_area_name (self->strategy, area));
  gtk_label_set_label (self->indicators_title, title);
}

static void
update (BndRegionPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->area_dropdown);
  const char *area;

  if (self->strategy == NULL || selected >= self->areas->len)
    return;

  area = g_ptr_array_index (self->areas, selected);
  gtk_label_set_label (self->title_label, selected == 0 ? _("The Whole Region")
                                                        : bnd_strategy_get_area_name (self->strategy, area));
  /* A pack without a table of values per group has no charts, but its figures are listed. */
  if (self->table_topic != NULL)
    fill_charts (self, area);
  fill_indicators (self, area);

  if (self->settings != NULL && !self->filling)
    g_settings_set_string (self->settings, "region-area", area);
}

/* The indicator behind the selected bar of the occupation-group chart. */
static const BndIndicator *
selected_indicator (BndRegionPage *self)
{
  GPtrArray *groups = bnd_strategy_get_occupation_groups (self->strategy);
  const char *area = bnd_region_page_get_area (self);
  guint category, series;

  if (self->strategy == NULL || !bnd_bar_chart_get_selected (self->groups_chart, &category, &series))
    return NULL;

  if (is_district (self, area))
    return category < groups->len
           ? bnd_strategy_find_table_value (self->strategy, self->table_topic->id,
                                            ((BndOccupationGroup *)g_ptr_array_index (groups, category))->id,
                                            area, self->years[series])
           : NULL;
  return category < G_N_ELEMENTS (comparison_areas)
         ? bnd_strategy_find_table_value (self->strategy, self->table_topic->id, total_group (self),
                                          comparison_areas[category], self->years[series])
         : NULL;
}

static void
insert_selected_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  BndRegionPage *self = BND_REGION_PAGE (widget);
  const BndIndicator *indicator = selected_indicator (self);

  if (indicator != NULL && indicator->has_value)
    gtk_widget_activate_action (widget, "win.insert-indicator", "s", indicator->id);
}

/* Until a bar is chosen, the place of the selection says how to choose one: "Insert into
 * Sketch" stays unavailable until then, and a greyed-out button alone does not say why. */
static gboolean
selection_to_hint (GBinding     *binding,
                   const GValue *from,
                   GValue       *to,
                   gpointer      user_data)
{
  const char *selection = g_value_get_string (from);

  g_value_set_string (to, selection && *selection
                            ? selection
                            : _("Click a bar, or move to it with the arrow keys, to choose the figure to insert"));
  return TRUE;
}

static void
on_groups_selection_changed_cb (BndRegionPage *self)
{
  const BndIndicator *indicator = selected_indicator (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "region.insert-selected",
                                 indicator != NULL && indicator->has_value);
  /* the hint in place of a selection reads as a hint, not as a chosen figure */
  if (indicator != NULL)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->groups_selection), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->groups_selection), "caption-heading");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->groups_selection), "caption-heading");
      gtk_widget_add_css_class (GTK_WIDGET (self->groups_selection), "dim-label");
    }
}

/* Callbacks */

static void
on_area_dropdown_selected_changed_cb (BndRegionPage *self,
                                      GParamSpec    *pspec,
                                      GtkDropDown   *dropdown)
{
  /* While set_strategy() fills the drop-down it updates once, at the end. */
  if (!self->filling)
    update (self);
}

static void
bnd_region_page_dispose (GObject *object)
{
  BndRegionPage *self = (BndRegionPage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), BND_TYPE_REGION_PAGE);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->areas, g_ptr_array_unref);
  g_clear_object (&self->settings);
  g_clear_object (&self->strategy);

  G_OBJECT_CLASS (bnd_region_page_parent_class)->dispose (object);
}

static void
bnd_region_page_class_init (BndRegionPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bnd_region_page_dispose;

  g_type_ensure (BND_TYPE_BAR_CHART);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/bnd-region-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BndRegionPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, BndRegionPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, BndRegionPage, area_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BndRegionPage, groups_title);
  gtk_widget_class_bind_template_child (widget_class, BndRegionPage, groups_chart);
  gtk_widget_class_bind_template_child (widget_class, BndRegionPage, groups_table);
  gtk_widget_class_bind_template_child (widget_class, BndRegionPage, groups_table_button);
  gtk_widget_class_bind_template_child (widget_class, BndRegionPage, districts_table);
  gtk_widget_class_bind_template_child (widget_class, BndRegionPage, districts_table_button);
  gtk_widget_class_bind_template_child (widget_class, BndRegionPage, groups_selection);
  gtk_widget_class_bind_template_child (widget_class, BndRegionPage, groups_source);
  gtk_widget_class_bind_template_child (widget_class, BndRegionPage, districts_title);
  gtk_widget_class_bind_template_child (widget_class, BndRegionPage, districts_chart);
  gtk_widget_class_bind_template_child (widget_class, BndRegionPage, districts_selection);
  gtk_widget_class_bind_template_child (widget_class, BndRegionPage, districts_source);
  gtk_widget_class_bind_template_child (widget_class, BndRegionPage, indicators_title);
  gtk_widget_class_bind_template_child (widget_class, BndRegionPage, indicator_list);
  gtk_widget_class_bind_template_callback (widget_class, on_area_dropdown_selected_changed_cb);
  gtk_widget_class_install_action (widget_class, "region.insert-selected", NULL, insert_selected_action);
}

static void
bnd_region_page_init (BndRegionPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->areas = g_ptr_array_new ();
  self->rows = g_hash_table_new (g_str_hash, g_str_equal);

  g_object_bind_property_full (self->groups_chart, "selection-text", self->groups_selection, "label",
                               G_BINDING_SYNC_CREATE, selection_to_hint, NULL, NULL, NULL);
  /* A chart or its table, one at a time */
  g_object_bind_property (self->groups_table_button, "active", self->groups_chart, "visible",
                          G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  g_object_bind_property (self->districts_table_button, "active", self->districts_chart, "visible",
                          G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  g_object_bind_property (self->districts_chart, "selection-text", self->districts_selection, "label",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->groups_chart, "notify::selection-text",
                           G_CALLBACK (on_groups_selection_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "region.insert-selected", FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->groups_selection), "caption-heading");
  gtk_widget_add_css_class (GTK_WIDGET (self->groups_selection), "dim-label");
}

/**
 * bnd_region_page_set_strategy:
 * @self: a #BndRegionPage
 * @strategy: the strategy whose indicators to show
 * @settings: (nullable): where the chosen area is remembered
 */
void
bnd_region_page_set_strategy (BndRegionPage *self,
                              BndStrategy   *strategy,
                              GSettings     *settings)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *remembered = NULL;
  GPtrArray *districts;

  g_return_if_fail (BND_IS_REGION_PAGE (self));
  g_return_if_fail (BND_IS_STRATEGY (strategy));

  g_set_object (&self->strategy, strategy);
  g_set_object (&self->settings, settings);
  /* Rows point into the previous strategy: they go before anything else. */
  g_hash_table_remove_all (self->rows);
  find_table (self);

  districts = bnd_strategy_get_districts (strategy);
  g_ptr_array_set_size (self->areas, 0);
  g_ptr_array_add (self->areas, (gpointer)BND_AREA_REGION);
  gtk_string_list_append (names, _("Whole region"));
  for (guint i = 0; i < districts->len; i++)
    {
      const BndDistrict *district = g_ptr_array_index (districts, i);

      g_ptr_array_add (self->areas, (gpointer)district->id);
      gtk_string_list_append (names, district->short_name);
    }

  self->filling = TRUE;
  gtk_drop_down_set_model (self->area_dropdown, G_LIST_MODEL (names));
  remembered = settings ? g_settings_get_string (settings, "region-area") : NULL;
  bnd_region_page_set_area (self, remembered ? remembered : BND_AREA_REGION);
  update (self);
  self->filling = FALSE;
}

/**
 * bnd_region_page_set_area:
 * @self: a #BndRegionPage
 * @area: a district id, or "region" for the whole region
 *
 * Shows the figures of @area. An unknown area shows the whole region.
 */
void
bnd_region_page_set_area (BndRegionPage *self,
                          const char    *area)
{
  guint index = 0;

  g_return_if_fail (BND_IS_REGION_PAGE (self));

  for (guint i = 0; i < self->areas->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->areas, i), area) == 0)
      index = i;

  gtk_drop_down_set_selected (self->area_dropdown, index);
}

const char *
bnd_region_page_get_area (BndRegionPage *self)
{
  guint selected;

  g_return_val_if_fail (BND_IS_REGION_PAGE (self), NULL);

  selected = gtk_drop_down_get_selected (self->area_dropdown);
  return selected < self->areas->len ? g_ptr_array_index (self->areas, selected) : NULL;
}

/**
 * bnd_region_page_show_indicator:
 * @self: a #BndRegionPage
 * @indicator_id: an indicator's id
 *
 * Shows the indicator's area and selects its bar, or focuses its row.
 */
void
bnd_region_page_show_indicator (BndRegionPage *self,
                                const char    *indicator_id)
{
  const BndIndicator *indicator;
  GtkWidget *row;

  g_return_if_fail (BND_IS_REGION_PAGE (self));

  if (self->strategy == NULL || !(indicator = bnd_strategy_find_indicator (self->strategy, indicator_id)))
    return;

  bnd_region_page_set_area (self, is_district (self, indicator->area) ? indicator->area : BND_AREA_REGION);

  if (in_table (self, indicator))
    {
      GPtrArray *groups = bnd_strategy_get_occupation_groups (self->strategy);
      guint category = 0, series = 0;

      for (guint y = 0; y < self->n_years; y++)
        if (g_str_equal (self->years[y], indicator->year))
          series = y;

      if (is_district (self, indicator->area))
        g_ptr_array_find (groups, indicator->group, &category);
      else
        for (guint i = 0; i < G_N_ELEMENTS (comparison_areas); i++)
          if (g_str_equal (comparison_areas[i], indicator->area))
            category = i;

      bnd_bar_chart_select (self->groups_chart, category, series);
      gtk_widget_grab_focus (GTK_WIDGET (self->groups_chart));
    }
  else if ((row = g_hash_table_lookup (self->rows, indicator->id)))
    gtk_widget_grab_focus (row);
}

BndBarChart *
bnd_region_page_get_groups_chart (BndRegionPage *self)
{
  g_return_val_if_fail (BND_IS_REGION_PAGE (self), NULL);
  return self->groups_chart;
}

BndBarChart *
bnd_region_page_get_districts_chart (BndRegionPage *self)
{
  g_return_val_if_fail (BND_IS_REGION_PAGE (self), NULL);
  return self->districts_chart;
}

GtkListBox *
bnd_region_page_get_indicator_list (BndRegionPage *self)
{
  g_return_val_if_fail (BND_IS_REGION_PAGE (self), NULL);
  return self->indicator_list;
}
