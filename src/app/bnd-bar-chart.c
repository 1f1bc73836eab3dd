/* bnd-bar-chart.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-bar-chart"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "bnd-bar-chart.h"
#include "bnd-indicator.h"

/* A horizontal grouped bar chart: one row per category (an occupation group, a Landkreis), one
 * bar per series (a year). A missing value is drawn as a dashed empty box saying "no data",
 * never as a bar of length 0: the strategy's tables have gaps and a gap is not a zero. */

#define LEGEND_HEIGHT  28
#define BAR_HEIGHT     14
#define BAR_GAP        2
#define ROW_PADDING    10
#define LABEL_MAX      320
#define VALUE_WIDTH    84
#define MISSING_WIDTH  56
#define MAX_SERIES     4

struct _BndBarChart
{
  GtkWidget  parent_instance;

  GStrv      series;
  char      *unit;
  GPtrArray *categories;     /* Category */
  int        selected;       /* category * n_series + series, or -1 */
  int        hovered;
  char      *selection_text;
};

typedef struct
{
  char     *label;
  double    values[MAX_SERIES];
  gboolean  highlight;
} Category;

enum {
  PROP_0,
  PROP_SELECTION_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (BndBarChart, bnd_bar_chart, GTK_TYPE_WIDGET)

/* Series colours from the GNOME palette: an older year light, the newest strong. */
static const GdkRGBA series_colors[MAX_SERIES] = {
  { 0.600, 0.757, 0.945, 1.0 },  /* blue 1 #99c1f1 */
  { 0.110, 0.443, 0.847, 1.0 },  /* blue 4 #1c71d8 */
  { 0.200, 0.820, 0.478, 1.0 },  /* green 3 */
  { 0.965, 0.827, 0.176, 1.0 },  /* yellow 3 */
};

static void
category_free (gpointer data)
{
  Category *category = data;

  g_free (category->label);
  g_free (category);
}

static guint
n_series (BndBarChart *self)
{
  return self->series ? g_strv_length (self->series) : 0;
}

static int
row_height (BndBarChart *self)
{
  return MAX (2 * 17, (int)n_series (self) * (BAR_HEIGHT + BAR_GAP)) + ROW_PADDING;
}

static int
label_width (BndBarChart *self,
             int          width)
{
  return MIN (LABEL_MAX, width * 2 / 5);
}

static double
max_value (BndBarChart *self)
{
  double max = 0;

  for (guint i = 0; i < self->categories->len; i++)
    {
      Category *category = g_ptr_array_index (self->categories, i);

      for (guint s = 0; s < n_series (self); s++)
        if (!isnan (category->values[s]))
          max = MAX (max, category->values[s]);
    }
  return max > 0 ? max : 1;
}

/* Where bar (category, series) is drawn for a widget @width wide; a missing value gets its box. */
static graphene_rect_t
bar_rect (BndBarChart *self,
          int          width,
          guint        category,
          guint        series)
{
  Category *c = g_ptr_array_index (self->categories, category);
  int left = label_width (self, width) + 12;
  int span = MAX (1, width - left - VALUE_WIDTH);
  double value = c->values[series];
  int y = LEGEND_HEIGHT + category * row_height (self) + ROW_PADDING / 2 + series * (BAR_HEIGHT + BAR_GAP);
  double length = isnan (value) ? MISSING_WIDTH : MAX (1.0, span * value / max_value (self));

  return GRAPHENE_RECT_INIT (left, y, length, BAR_HEIGHT);
}

static int
bar_at (BndBarChart *self,
        double       x,
        double       y)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));

  for (guint c = 0; c < self->categories->len; c++)
    for (guint s = 0; s < n_series (self); s++)
      {
        graphene_rect_t rect = bar_rect (self, width, c, s);

        /* The value text after the bar counts as part of it. */
        rect.size.width += VALUE_WIDTH;
        rect.origin.y -= BAR_GAP / 2.0;
        rect.size.height += BAR_GAP;
        if (graphene_rect_contains_point (&rect, &GRAPHENE_POINT_INIT (x, y)))
          return c * n_series (self) + s;
      }
  return -1;
}

static void
set_selected (BndBarChart *self,
              int          index)
{
  g_autofree char *text = NULL;

  self->selected = index;
  if (index >= 0 && n_series (self) > 0)
    text = bnd_bar_chart_describe_bar (self, index / n_series (self), index % n_series (self));

  if (g_strcmp0 (text, self->selection_text) != 0)
    {
      g_free (self->selection_text);
      self->selection_text = g_steal_pointer (&text);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTION_TEXT]);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
update_accessible_label (BndBarChart *self)
{
  GString *summary = g_string_new (NULL);

  for (guint c = 0; c < self->categories->len; c++)
    for (guint s = 0; s < n_series (self); s++)
      {
        g_autofree char *bar = bnd_bar_chart_describe_bar (self, c, s);
        g_string_append_printf (summary, "%s%s", summary->len ? "; " : "", bar);
      }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, summary->str, -1);
  g_string_free (summary, TRUE);
}

static void
set_source_color (cairo_t       *cr,
                  const GdkRGBA *color,
                  double         alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

static void
draw_text (BndBarChart *self,
           cairo_t     *cr,
           const char  *text,
           double       x,
           double       y,
           int          width,
           int          max_lines,
           gboolean     bold)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoAttrList *attrs = pango_attr_list_new ();
  int text_height;

  pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
  if (bold)
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_layout_set_attributes (layout, attrs);
  pango_layout_set_width (layout, width * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_height (layout, -max_lines);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_get_pixel_size (layout, NULL, &text_height);

  /* y is the vertical centre */
  cairo_move_to (cr, x, y - text_height / 2.0);
  pango_cairo_show_layout (cr, layout);

  pango_attr_list_unref (attrs);
  g_object_unref (layout);
}

/* The value after a bar, digits grouped in the user's locale ("558.000 €" in German), with the
 * unit when it fits beside the number ("%", "€") and without it when it does not ("Übernachtungen"):
 * the selection text and the tooltip always have it. */
static char *
format_bar_value (BndBarChart *self,
                  double       value)
{
  g_autofree char *number = bnd_format_figure (value, bnd_locale_current ());
  g_autofree char *with_unit = NULL;
  PangoLayout *layout;
  PangoAttrList *attrs;
  int text_width;

  if (self->unit == NULL || *self->unit == '\0')
    return g_steal_pointer (&number);

  /* Translators: a value and its unit from the strategy, as in "282 Tage" */
  with_unit = g_strdup_printf (C_("value with unit", "%s %s"), number, self->unit);
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), with_unit);
  attrs = pango_attr_list_new ();
  /* Measured as the selected bar's bold text, so that selecting a bar does not drop its unit. */
  pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
  pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_layout_set_attributes (layout, attrs);
  pango_layout_get_pixel_size (layout, &text_width, NULL);
  pango_attr_list_unref (attrs);
  g_object_unref (layout);

  return text_width <= VALUE_WIDTH - 6 ? g_steal_pointer (&with_unit) : g_steal_pointer (&number);
}

static void
bnd_bar_chart_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  BndBarChart *self = BND_BAR_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int label_w = label_width (self, width);
  GdkRGBA fg;
  cairo_t *cr;
  double x = 0;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  /* Legend */
  for (guint s = 0; s < n_series (self); s++)
    {
      PangoLayout *layout = gtk_widget_create_pango_layout (widget, self->series[s]);
      int text_width;

      set_source_color (cr, &series_colors[s], 1);
      cairo_rectangle (cr, x, 8, 12, 12);
      cairo_fill (cr);
      pango_layout_get_pixel_size (layout, &text_width, NULL);
      set_source_color (cr, &fg, 1);
      draw_text (self, cr, self->series[s], x + 18, 14, text_width + 20, 1, FALSE);
      x += 18 + text_width + 24;
      g_object_unref (layout);
    }

  for (guint c = 0; c < self->categories->len; c++)
    {
      Category *category = g_ptr_array_index (self->categories, c);
      int row_y = LEGEND_HEIGHT + c * row_height (self);

      if (category->highlight)
        {
          set_source_color (cr, &series_colors[1], 0.12);
          cairo_rectangle (cr, 0, row_y, width, row_height (self));
          cairo_fill (cr);
        }

      set_source_color (cr, &fg, 1);
      draw_text (self, cr, category->label, 4, row_y + row_height (self) / 2.0, label_w, 2,
                 category->highlight);

      for (guint s = 0; s < n_series (self); s++)
        {
          graphene_rect_t rect = bar_rect (self, width, c, s);
          int index = c * n_series (self) + s;
          double value = category->values[s];
          g_autofree char *value_text = NULL;

          if (isnan (value))
            {
              static const double dashes[] = { 3, 2 };

              set_source_color (cr, &fg, 0.45);
              cairo_set_line_width (cr, 1);
              cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
              cairo_rectangle (cr, rect.origin.x + 0.5, rect.origin.y + 0.5,
                               rect.size.width - 1, rect.size.height - 1);
              cairo_stroke (cr);
              cairo_set_dash (cr, NULL, 0, 0);
              value_text = g_strdup (_("no data"));
              set_source_color (cr, &fg, 0.6);
            }
          else
            {
              set_source_color (cr, &series_colors[s], 1);
              cairo_rectangle (cr, rect.origin.x, rect.origin.y, rect.size.width, rect.size.height);
              cairo_fill (cr);
              value_text = format_bar_value (self, value);
              set_source_color (cr, &fg, 0.85);
            }

          draw_text (self, cr, value_text, rect.origin.x + rect.size.width + 6,
                     rect.origin.y + rect.size.height / 2.0, VALUE_WIDTH - 6, 1,
                     index == self->selected);

          if (index == self->selected || index == self->hovered)
            {
              set_source_color (cr, &fg, index == self->selected ? 0.9 : 0.4);
              cairo_set_line_width (cr, 2);
              cairo_rectangle (cr, rect.origin.x - 1, rect.origin.y - 1,
                               rect.size.width + 2, rect.size.height + 2);
              cairo_stroke (cr);
            }
        }
    }

  cairo_destroy (cr);
}

static void
bnd_bar_chart_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  BndBarChart *self = BND_BAR_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 280;
      *natural = 640;
    }
  else
    *minimum = *natural = LEGEND_HEIGHT + self->categories->len * row_height (self);
}

/* Callbacks */

static void
on_motion_cb (GtkEventControllerMotion *controller,
              double                    x,
              double                    y,
              BndBarChart              *self)
{
  int index = bar_at (self, x, y);

  if (index != self->hovered)
    {
      self->hovered = index;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
on_leave_cb (GtkEventControllerMotion *controller,
             BndBarChart              *self)
{
  self->hovered = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_pressed_cb (GtkGestureClick *gesture,
               int              n_press,
               double           x,
               double           y,
               BndBarChart     *self)
{
  int index = bar_at (self, x, y);

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (index >= 0)
    set_selected (self, index);
}

static gboolean
on_key_pressed_cb (GtkEventControllerKey *controller,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   BndBarChart           *self)
{
  int count = self->categories->len * n_series (self);
  int index = self->selected;

  if (count == 0)
    return GDK_EVENT_PROPAGATE;

  switch (keyval)
    {
    case GDK_KEY_Right:
    case GDK_KEY_Down:
      index = index < 0 ? 0 : MIN (index + 1, count - 1);
      break;
    case GDK_KEY_Left:
    case GDK_KEY_Up:
      index = index < 0 ? 0 : MAX (index - 1, 0);
      break;
    case GDK_KEY_Home:
      index = 0;
      break;
    case GDK_KEY_End:
      index = count - 1;
      break;
    default:
      return GDK_EVENT_PROPAGATE;
    }

  set_selected (self, index);
  return GDK_EVENT_STOP;
}

static gboolean
on_query_tooltip_cb (GtkWidget   *widget,
                     int          x,
                     int          y,
                     gboolean     keyboard_mode,
                     GtkTooltip  *tooltip,
                     BndBarChart *self)
{
  int index = keyboard_mode ? self->selected : bar_at (self, x, y);
  g_autofree char *text = NULL;

  if (index < 0 || n_series (self) == 0)
    return FALSE;

  text = bnd_bar_chart_describe_bar (self, index / n_series (self), index % n_series (self));
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
bnd_bar_chart_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  BndBarChart *self = BND_BAR_CHART (object);

  switch (prop_id)
    {
    case PROP_SELECTION_TEXT:
      g_value_set_string (value, self->selection_text);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bnd_bar_chart_finalize (GObject *object)
{
  BndBarChart *self = (BndBarChart *)object;

  g_clear_pointer (&self->series, g_strfreev);
  g_clear_pointer (&self->unit, g_free);
  g_clear_pointer (&self->categories, g_ptr_array_unref);
  g_clear_pointer (&self->selection_text, g_free);

  G_OBJECT_CLASS (bnd_bar_chart_parent_class)->finalize (object);
}

static void
bnd_bar_chart_class_init (BndBarChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = bnd_bar_chart_finalize;
  object_class->get_property = bnd_bar_chart_get_property;
  widget_class->snapshot = bnd_bar_chart_snapshot;
  widget_class->measure = bnd_bar_chart_measure;

  properties[PROP_SELECTION_TEXT] =
    g_param_spec_string ("selection-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "barchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
bnd_bar_chart_init (BndBarChart *self)
{
  GtkEventController *controller;

  self->categories = g_ptr_array_new_with_free_func (category_free);
  self->selected = -1;
  self->hovered = -1;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip_cb), self);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (on_motion_cb), self);
  g_signal_connect (controller, "leave", G_CALLBACK (on_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  g_signal_connect (controller, "pressed", G_CALLBACK (on_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

GtkWidget *
bnd_bar_chart_new (void)
{
  return g_object_new (BND_TYPE_BAR_CHART, NULL);
}

/**
 * bnd_bar_chart_set_series:
 * @self: a #BndBarChart
 * @n_series: how many bars each category has, at most 4
 * @names: the series' names for the legend, such as the years
 *
 * Sets the series and removes all categories.
 */
void
bnd_bar_chart_set_series (BndBarChart        *self,
                          guint               n,
                          const char * const *names)
{
  g_return_if_fail (BND_IS_BAR_CHART (self));
  g_return_if_fail (n <= MAX_SERIES);

  g_strfreev (self->series);
  self->series = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    self->series[i] = g_strdup (names[i]);
  bnd_bar_chart_clear (self);
}

/**
 * bnd_bar_chart_set_unit:
 * @self: a #BndBarChart
 * @unit: the unit of the values, as in "Tage"
 */
void
bnd_bar_chart_set_unit (BndBarChart *self,
                        const char  *unit)
{
  g_return_if_fail (BND_IS_BAR_CHART (self));

  g_free (self->unit);
  self->unit = g_strdup (bnd_indicator_unit (unit, bnd_locale_current ()));
}

void
bnd_bar_chart_clear (BndBarChart *self)
{
  g_return_if_fail (BND_IS_BAR_CHART (self));

  g_ptr_array_set_size (self->categories, 0);
  self->hovered = -1;
  set_selected (self, -1);
  update_accessible_label (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/**
 * bnd_bar_chart_add_category:
 * @self: a #BndBarChart
 * @label: the category's name
 * @values: (array): one value per series; NAN where there is no data
 * @highlight: whether to stress this category, as the chosen Landkreis among all
 */
void
bnd_bar_chart_add_category (BndBarChart  *self,
                            const char   *label,
                            const double *values,
                            gboolean      highlight)
{
  Category *category;

  g_return_if_fail (BND_IS_BAR_CHART (self));

  category = g_new0 (Category, 1);
  category->label = g_strdup (label);
  category->highlight = highlight;
  for (guint s = 0; s < n_series (self); s++)
    category->values[s] = values[s];
  g_ptr_array_add (self->categories, category);

  update_accessible_label (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
bnd_bar_chart_get_n_categories (BndBarChart *self)
{
  g_return_val_if_fail (BND_IS_BAR_CHART (self), 0);
  return self->categories->len;
}

guint
bnd_bar_chart_get_n_series (BndBarChart *self)
{
  g_return_val_if_fail (BND_IS_BAR_CHART (self), 0);
  return n_series (self);
}

const char *
bnd_bar_chart_get_category_label (BndBarChart *self,
                                  guint        category)
{
  g_return_val_if_fail (BND_IS_BAR_CHART (self), NULL);
  g_return_val_if_fail (category < self->categories->len, NULL);

  return ((Category *)g_ptr_array_index (self->categories, category))->label;
}

/**
 * bnd_bar_chart_get_value:
 *
 * Returns: the value, or NAN where there is no data
 */
double
bnd_bar_chart_get_value (BndBarChart *self,
                         guint        category,
                         guint        series)
{
  g_return_val_if_fail (BND_IS_BAR_CHART (self), NAN);
  g_return_val_if_fail (category < self->categories->len, NAN);
  g_return_val_if_fail (series < n_series (self), NAN);

  return ((Category *)g_ptr_array_index (self->categories, category))->values[series];
}

gboolean
bnd_bar_chart_get_selected (BndBarChart *self,
                            guint       *category,
                            guint       *series)
{
  g_return_val_if_fail (BND_IS_BAR_CHART (self), FALSE);

  if (self->selected < 0)
    return FALSE;
  if (category)
    *category = self->selected / n_series (self);
  if (series)
    *series = self->selected % n_series (self);
  return TRUE;
}

void
bnd_bar_chart_select (BndBarChart *self,
                      guint        category,
                      guint        series)
{
  g_return_if_fail (BND_IS_BAR_CHART (self));
  g_return_if_fail (category < self->categories->len);
  g_return_if_fail (series < n_series (self));

  set_selected (self, category * n_series (self) + series);
}

/**
 * bnd_bar_chart_describe_bar:
 *
 * Returns: (transfer full): the bar as a sentence, as in "Celle, 2023: 321 Tage"
 */
char *
bnd_bar_chart_describe_bar (BndBarChart *self,
                            guint        category,
                            guint        series)
{
  double value = bnd_bar_chart_get_value (self, category, series);
  const char *label = bnd_bar_chart_get_category_label (self, category);
  g_autofree char *number = NULL;

  if (isnan (value))
    /* Translators: a bar of a chart without data: "Celle, 2020: no data" */
    return g_strdup_printf (_("%s, %s: no data"), label, self->series[series]);

  number = bnd_format_figure (value, bnd_locale_current ());
  /* Translators: a bar of a chart: "Celle, 2023: 321 Tage" */
  return g_strdup_printf (_("%s, %s: %s %s"), label, self->series[series], number,
                          self->unit ? self->unit : "");
}

/**
 * bnd_bar_chart_get_selection_text:
 *
 * Returns: (nullable): the selected bar described, or %NULL
 */
const char *
bnd_bar_chart_get_selection_text (BndBarChart *self)
{
  g_return_val_if_fail (BND_IS_BAR_CHART (self), NULL);
  return self->selection_text;
}

/**
 * bnd_bar_chart_table_new:
 * @self: a #BndBarChart
 *
 * The chart's figures as a table of labels: a row per category, a column per series. What the
 * bars show, for the keyboard (each cell takes the focus, as selectable text does) and for
 * screen readers (each cell is named as the bar is described: "Celle, 2023: 321 Tage").
 *
 * Returns: (transfer floating): a #GtkGrid
 */
GtkWidget *
bnd_bar_chart_table_new (BndBarChart *self)
{
  GtkWidget *grid;

  g_return_val_if_fail (BND_IS_BAR_CHART (self), NULL);

  grid = g_object_new (GTK_TYPE_GRID, "accessible-role", GTK_ACCESSIBLE_ROLE_TABLE, NULL);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_widget_add_css_class (grid, "chart-table");
  for (guint s = 0; s < n_series (self); s++)
    {
      GtkWidget *header = gtk_label_new (self->series[s]);

      gtk_label_set_xalign (GTK_LABEL (header), 1);
      gtk_widget_add_css_class (header, "heading");
      gtk_grid_attach (GTK_GRID (grid), header, s + 1, 0, 1, 1);
    }
  for (guint c = 0; c < self->categories->len; c++)
    {
      const Category *category = g_ptr_array_index (self->categories, c);
      GtkWidget *label = gtk_label_new (category->label);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_set_hexpand (label, TRUE);
      if (category->highlight)
        gtk_widget_add_css_class (label, "heading");
      gtk_grid_attach (GTK_GRID (grid), label, 0, c + 1, 1, 1);
      for (guint s = 0; s < n_series (self); s++)
        {
          double value = category->values[s];
          g_autofree char *number = isnan (value) ? g_strdup ("–") : bnd_format_figure (value, bnd_locale_current ());
          g_autofree char *described = bnd_bar_chart_describe_bar (self, c, s);
          GtkWidget *cell = gtk_label_new (number);

          gtk_label_set_xalign (GTK_LABEL (cell), 1);
          gtk_label_set_selectable (GTK_LABEL (cell), TRUE);
          gtk_widget_add_css_class (cell, "numeric");
          gtk_accessible_update_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_LABEL, described, -1);
          gtk_grid_attach (GTK_GRID (grid), cell, s + 1, c + 1, 1, 1);
        }
    }
  return grid;
}

/**
 * bnd_figures_with_table_new:
 * @figures: a chart, or a matrix, of figures
 * @table: the same figures as text
 *
 * @figures with a "Show as Table" toggle below it that shows @table in its place.
 *
 * Returns: (transfer floating): a vertical #GtkBox
 */
GtkWidget *
bnd_figures_with_table_new (GtkWidget *figures,
                            GtkWidget *table)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *toggle = gtk_toggle_button_new_with_mnemonic (_("Show as _Table"));

  gtk_widget_set_halign (toggle, GTK_ALIGN_START);
  gtk_widget_add_css_class (toggle, "flat");
  gtk_widget_set_tooltip_text (toggle, _("The chart’s figures as a table of text, for the keyboard and screen readers"));
  gtk_box_append (GTK_BOX (box), figures);
  gtk_box_append (GTK_BOX (box), table);
  gtk_box_append (GTK_BOX (box), toggle);
  g_object_bind_property (toggle, "active", table, "visible", G_BINDING_SYNC_CREATE);
  g_object_bind_property (toggle, "active", figures, "visible", G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  return box;
}
