/* bnd-date-entry.c: a day, typed as the user's language writes it or picked from a calendar
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-date-entry"

#include "config.h"

#include <glib/gi18n.h>

#include "bnd-date-entry.h"
#include "bnd-format.h"

/* The text is read by bnd_format_parse_date(): "01.03.2026" and ISO in either language. The
 * "date" property is always ISO (or NULL while the field is empty), which is what sketches and
 * the API keep, so "01.03.2026" is never stored as typed and the server never sees it. A typo
 * keeps the last good day and is shown at the field once it is left (BndTextField). The
 * button beside the entry opens a calendar; picking a day writes it into the entry, so both
 * ways go through the same reading. */

struct _BndDateEntry
{
  BndTextField parent_instance;

  GtkWidget   *button;
  GtkWidget   *calendar;
  char        *date;         /* ISO; NULL when empty */
  char        *pending;      /* what the text says, until it becomes the date */
  gboolean     showing;      /* setting the calendar to the entry's day: not picking */
};

G_DEFINE_FINAL_TYPE (BndDateEntry, bnd_date_entry, BND_TYPE_TEXT_FIELD)

enum {
  PROP_0,
  PROP_DATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* German readers get "01.03.2026"; English ones the ISO day, which nobody reads as another
 * day, as bnd_format_parse_date() explains. */
static char *
format_day (const char *iso)
{
  if (iso == NULL)
    return g_strdup ("");
  if (bnd_locale_current () == BND_LOCALE_GERMAN)
    return bnd_format_iso_date (iso, BND_LOCALE_GERMAN);
  return g_strdup (iso);
}

static char *
bnd_date_entry_read (BndTextField *field,
                     const char   *text,
                     gboolean      blank,
                     gboolean      required)
{
  BndDateEntry *self = BND_DATE_ENTRY (field);
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->pending, g_free);
  /* An emptied field has no day, once it is left or the typing pauses. */
  if (blank && !required)
    return NULL;
  if (!(self->pending = bnd_format_parse_date (stripped, bnd_locale_current (), &error)))
    return g_strdup (error->message);
  return NULL;
}

static void
bnd_date_entry_accept (BndTextField *field)
{
  BndDateEntry *self = BND_DATE_ENTRY (field);

  if (g_strcmp0 (self->pending, self->date) == 0)
    return;
  g_free (self->date);
  self->date = g_strdup (self->pending);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATE]);
}

static char *
bnd_date_entry_format (BndTextField *field)
{
  return format_day (BND_DATE_ENTRY (field)->date);
}

/* Callbacks */

static void
on_popover_show_cb (GtkWidget    *popover,
                    BndDateEntry *self)
{
  g_autoptr(GDateTime) day = NULL;

  if (self->date)
    {
      g_autofree char *midday = g_strconcat (self->date, "T12:00:00", NULL);
      g_autoptr(GTimeZone) local = g_time_zone_new_local ();

      day = g_date_time_new_from_iso8601 (midday, local);
    }
  if (day == NULL)
    day = g_date_time_new_now_local ();
  self->showing = TRUE;
  gtk_calendar_select_day (GTK_CALENDAR (self->calendar), day);
  self->showing = FALSE;
  gtk_widget_grab_focus (self->calendar);
}

static void
on_day_selected_cb (GtkCalendar  *calendar,
                    BndDateEntry *self)
{
  g_autoptr(GDateTime) day = gtk_calendar_get_date (calendar);
  g_autofree char *iso = NULL;
  g_autofree char *text = NULL;

  if (self->showing)
    return;
  iso = g_date_time_format (day, "%Y-%m-%d");
  text = format_day (iso);
  /* Through the entry, as if typed, so that the reading is the same. */
  gtk_editable_set_text (bnd_text_field_get_editable (BND_TEXT_FIELD (self)), text);
  bnd_text_field_check (BND_TEXT_FIELD (self));
}

static void
on_calendar_released_cb (GtkGestureClick *gesture,
                         int              n_press,
                         double           x,
                         double           y,
                         BndDateEntry    *self)
{
  /* A click picks the day; the arrow keys move through days and Enter or Esc closes. */
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->button));
}

static gboolean
on_calendar_key_pressed_cb (GtkEventControllerKey *controller,
                            guint                  keyval,
                            guint                  keycode,
                            GdkModifierType        state,
                            BndDateEntry          *self)
{
  if (keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
    return FALSE;
  on_day_selected_cb (GTK_CALENDAR (self->calendar), self);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->button));
  return TRUE;
}

static void
bnd_date_entry_dispose (GObject *object)
{
  BndDateEntry *self = (BndDateEntry *)object;

  g_clear_pointer (&self->button, gtk_widget_unparent);

  G_OBJECT_CLASS (bnd_date_entry_parent_class)->dispose (object);
}

static void
bnd_date_entry_finalize (GObject *object)
{
  BndDateEntry *self = (BndDateEntry *)object;

  g_free (self->date);
  g_free (self->pending);

  G_OBJECT_CLASS (bnd_date_entry_parent_class)->finalize (object);
}

static void
bnd_date_entry_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  BndDateEntry *self = BND_DATE_ENTRY (object);

  switch (prop_id)
    {
    case PROP_DATE:
      g_value_set_string (value, self->date);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bnd_date_entry_class_init (BndDateEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  BndTextFieldClass *field_class = BND_TEXT_FIELD_CLASS (klass);

  object_class->dispose = bnd_date_entry_dispose;
  object_class->finalize = bnd_date_entry_finalize;
  object_class->get_property = bnd_date_entry_get_property;
  field_class->read = bnd_date_entry_read;
  field_class->accept = bnd_date_entry_accept;
  field_class->format = bnd_date_entry_format;

  properties[PROP_DATE] = g_param_spec_string ("date", NULL, NULL, NULL,
                                               G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                               G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bnd_date_entry_init (BndDateEntry *self)
{
  GtkWidget *entry = GTK_WIDGET (bnd_text_field_get_editable (BND_TEXT_FIELD (self)));
  GtkEventController *key = gtk_event_controller_key_new ();
  GtkGesture *click = gtk_gesture_click_new ();
  GtkWidget *popover = gtk_popover_new ();

  gtk_widget_add_css_class (GTK_WIDGET (self), "linked");
  /* The form of the language as a hint, not a translation: German dates are TT.MM.JJJJ. */
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry),
                                  bnd_locale_current () == BND_LOCALE_GERMAN ? "TT.MM.JJJJ" : "YYYY-MM-DD");
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), 11);
  gtk_widget_set_hexpand (entry, TRUE);

  self->calendar = gtk_calendar_new ();
  g_signal_connect (self->calendar, "day-selected", G_CALLBACK (on_day_selected_cb), self);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "released", G_CALLBACK (on_calendar_released_cb), self);
  gtk_widget_add_controller (self->calendar, GTK_EVENT_CONTROLLER (click));
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_calendar_key_pressed_cb), self);
  gtk_widget_add_controller (self->calendar, key);
  gtk_popover_set_child (GTK_POPOVER (popover), self->calendar);
  g_signal_connect (popover, "show", G_CALLBACK (on_popover_show_cb), self);

  self->button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (self->button), "x-office-calendar-symbolic");
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->button), popover);
  gtk_widget_set_tooltip_text (self->button, _("Choose a Day"));
  gtk_widget_set_parent (self->button, GTK_WIDGET (self));
}

/**
 * bnd_date_entry_new:
 * @label: what the day is, for screen readers
 *
 * Returns: an empty field
 */
GtkWidget *
bnd_date_entry_new (const char *label)
{
  BndDateEntry *self = g_object_new (BND_TYPE_DATE_ENTRY, NULL);
  /* Translators: the accessible name of the calendar button beside a date field */
  g_autofree char *choose = g_strdup_printf (_("Choose a day: %s"), label);

  gtk_accessible_update_property (GTK_ACCESSIBLE (bnd_text_field_get_editable (BND_TEXT_FIELD (self))),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL, choose, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->calendar), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  return GTK_WIDGET (self);
}

/**
 * bnd_date_entry_get_date:
 *
 * Returns: (nullable): the day as YYYY-MM-DD, %NULL while the field is empty; a typo keeps the
 *   last good day
 */
const char *
bnd_date_entry_get_date (BndDateEntry *self)
{
  g_return_val_if_fail (BND_IS_DATE_ENTRY (self), NULL);

  return self->date;
}

/**
 * bnd_date_entry_set_date:
 * @iso: (nullable): a day as YYYY-MM-DD; anything else shows as it is, with its error
 */
void
bnd_date_entry_set_date (BndDateEntry *self,
                         const char   *iso)
{
  g_autofree char *text = NULL;

  g_return_if_fail (BND_IS_DATE_ENTRY (self));

  text = iso ? format_day (iso) : NULL;
  /* A sketch from an older version may hold a day not in ISO: shown as it is, and explained. */
  gtk_editable_set_text (bnd_text_field_get_editable (BND_TEXT_FIELD (self)), text ? text : iso ? iso : "");
  bnd_text_field_check (BND_TEXT_FIELD (self));
}

/**
 * bnd_date_entry_get_button:
 *
 * Returns: (transfer none): the GtkMenuButton that opens the calendar
 */
GtkWidget *
bnd_date_entry_get_button (BndDateEntry *self)
{
  g_return_val_if_fail (BND_IS_DATE_ENTRY (self), NULL);

  return self->button;
}
