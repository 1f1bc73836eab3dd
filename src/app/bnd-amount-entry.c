/* bnd-amount-entry.c: an amount in euros, typed as the user's language writes it
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-amount-entry"

#include "config.h"

#include <glib/gi18n.h>

#include "bnd-amount-entry.h"
#include "bnd-field-error.h"
#include "bnd-format.h"
#include "bnd-sketch.h"

/* A text entry rather than a GtkSpinButton: a spin button changes its value under the mouse
 * wheel while the page is scrolled past it, and reads "120.000,50" as 120. Here the text is read
 * by bnd_format_parse_amount() in the conventions of the interface language; what it refuses
 * keeps the last good value and says why at the field (the "error" property, shown once the
 * field is left or Enter is pressed, so that nobody is told off halfway through typing). An
 * entry does not take the wheel, so the page scrolls over it. */

struct _BndAmountEntry
{
  GtkWidget  parent_instance;

  GtkWidget *entry;
  double     value;
  double     pending;      /* what the text says, until it becomes the value */
  gboolean   required;
  gboolean   formatting;   /* writing the text ourselves: not typing */
  char      *problem;      /* why the text is no amount; NULL when it is one */
  char      *error;        /* the problem as shown at the field */
  guint      check_source; /* shows the problem after a pause in typing */
};

G_DEFINE_FINAL_TYPE (BndAmountEntry, bnd_amount_entry, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_VALUE,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
is_blank (const char *text)
{
  for (; *text; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

static void
show_error (BndAmountEntry *self,
            const char     *error)
{
  if (g_strcmp0 (error, self->error) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (error);
  bnd_field_error_mark (self->entry, error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
write_text (BndAmountEntry *self)
{
  g_autofree char *text = bnd_format_money (self->value, bnd_locale_current ());

  self->formatting = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
  self->formatting = FALSE;
}

static void
check_cb (gpointer data)
{
  BndAmountEntry *self = data;

  self->check_source = 0;
  bnd_amount_entry_check (self);
}

static void
change_value (BndAmountEntry *self,
              double          value)
{
  if (value == self->value)
    return;
  self->value = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
}

/* Reads the text as it is typed. The value changes only when the typing pauses, Enter is
 * pressed or the field is left (bnd_amount_entry_check()): typed character by character,
 * "120,000.50" passes through "120,0", which German reads as 120, and a value that followed each
 * character would end as 120 under an error. A shown error follows every character, so it goes
 * as soon as the text is right. */
static void
read_text (BndAmountEntry *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  BndLocale locale = bnd_locale_current ();
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->problem, g_free);
  self->pending = 0;
  /* An emptied field is 0, once it is left or the typing pauses. */
  if (!is_blank (text) || self->required)
    {
      if (!bnd_format_parse_amount (text, locale, &self->pending, &error))
        self->problem = g_strdup (error->message);
      else if (self->pending < 0)
        self->problem = g_strdup (_("An amount cannot be negative."));
      else if (self->pending > BND_SKETCH_MAX_AMOUNT)
        {
          g_autofree char *largest = bnd_format_money (BND_SKETCH_MAX_AMOUNT, locale);

          /* Translators: the amount as typed, and the largest amount a sketch takes */
          self->problem = g_strdup_printf (_("“%s” is more than the largest possible amount, %s."), text, largest);
        }
    }

  g_clear_handle_id (&self->check_source, g_source_remove);
  if (self->error && self->problem == NULL)
    show_error (self, NULL);
  self->check_source = g_timeout_add_once (1000, check_cb, self);
}

/* Callbacks */

static void
on_entry_changed_cb (GtkEditable    *editable,
                     BndAmountEntry *self)
{
  if (!self->formatting)
    read_text (self);
}

static void
on_entry_activate_cb (GtkEntry       *entry,
                      BndAmountEntry *self)
{
  bnd_amount_entry_check (self);
}

static void
on_focus_leave_cb (GtkEventControllerFocus *controller,
                   BndAmountEntry          *self)
{
  /* Left with a good amount: written as it is read everywhere else, "120.000,50 €". */
  if (bnd_amount_entry_check (self) && !is_blank (gtk_editable_get_text (GTK_EDITABLE (self->entry))))
    write_text (self);
}

static gboolean
bnd_amount_entry_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (BND_AMOUNT_ENTRY (widget)->entry);
}

static void
bnd_amount_entry_dispose (GObject *object)
{
  BndAmountEntry *self = (BndAmountEntry *)object;

  g_clear_handle_id (&self->check_source, g_source_remove);
  g_clear_pointer (&self->entry, gtk_widget_unparent);

  G_OBJECT_CLASS (bnd_amount_entry_parent_class)->dispose (object);
}

static void
bnd_amount_entry_finalize (GObject *object)
{
  BndAmountEntry *self = (BndAmountEntry *)object;

  g_free (self->problem);
  g_free (self->error);

  G_OBJECT_CLASS (bnd_amount_entry_parent_class)->finalize (object);
}

static void
bnd_amount_entry_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  BndAmountEntry *self = BND_AMOUNT_ENTRY (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      g_value_set_double (value, self->value);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bnd_amount_entry_class_init (BndAmountEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bnd_amount_entry_dispose;
  object_class->finalize = bnd_amount_entry_finalize;
  object_class->get_property = bnd_amount_entry_get_property;

  properties[PROP_VALUE] = g_param_spec_double ("value", NULL, NULL, 0, G_MAXDOUBLE, 0,
                                                G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL,
                                                G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  widget_class->grab_focus = bnd_amount_entry_grab_focus;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
bnd_amount_entry_init (BndAmountEntry *self)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();
  g_autofree char *example = bnd_format_money (0, bnd_locale_current ());

  self->entry = gtk_entry_new ();
  gtk_widget_set_parent (self->entry, GTK_WIDGET (self));
  gtk_entry_set_alignment (GTK_ENTRY (self->entry), 1);
  gtk_entry_set_input_purpose (GTK_ENTRY (self->entry), GTK_INPUT_PURPOSE_NUMBER);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->entry), example);
  gtk_editable_set_width_chars (GTK_EDITABLE (self->entry), 14);
  gtk_widget_add_css_class (self->entry, "numeric");
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
  g_signal_connect (self->entry, "changed", G_CALLBACK (on_entry_changed_cb), self);
  g_signal_connect (self->entry, "activate", G_CALLBACK (on_entry_activate_cb), self);
  g_signal_connect (focus, "leave", G_CALLBACK (on_focus_leave_cb), self);
  gtk_widget_add_controller (self->entry, focus);
}

/**
 * bnd_amount_entry_new:
 * @label: what the amount is, for screen readers
 *
 * Returns: an empty field, worth 0 until something is typed
 */
GtkWidget *
bnd_amount_entry_new (const char *label)
{
  BndAmountEntry *self = g_object_new (BND_TYPE_AMOUNT_ENTRY, NULL);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  return GTK_WIDGET (self);
}

double
bnd_amount_entry_get_value (BndAmountEntry *self)
{
  g_return_val_if_fail (BND_IS_AMOUNT_ENTRY (self), 0);

  return self->value;
}

/**
 * bnd_amount_entry_set_value:
 *
 * Shows @value as the language writes it, with no error: a value from the sketch, not typing.
 */
void
bnd_amount_entry_set_value (BndAmountEntry *self,
                            double          value)
{
  g_return_if_fail (BND_IS_AMOUNT_ENTRY (self));

  g_clear_pointer (&self->problem, g_free);
  g_clear_handle_id (&self->check_source, g_source_remove);
  show_error (self, NULL);
  self->pending = value;
  change_value (self, value);
  write_text (self);
}

/**
 * bnd_amount_entry_set_required:
 *
 * Whether an empty field is an error ("Please enter an amount") rather than 0.
 */
void
bnd_amount_entry_set_required (BndAmountEntry *self,
                               gboolean        required)
{
  g_return_if_fail (BND_IS_AMOUNT_ENTRY (self));

  self->required = required;
  read_text (self);
  /* Said once the field is left or Enter pressed, not to a field nobody has touched yet. */
  g_clear_handle_id (&self->check_source, g_source_remove);
}

/**
 * bnd_amount_entry_get_error:
 *
 * Returns: (nullable): the sentence shown at the field, %NULL while there is none
 */
const char *
bnd_amount_entry_get_error (BndAmountEntry *self)
{
  g_return_val_if_fail (BND_IS_AMOUNT_ENTRY (self), NULL);

  return self->error;
}

/**
 * bnd_amount_entry_check:
 *
 * What leaving the field does: the text becomes the value, or the field says why it cannot.
 *
 * Returns: whether the text is an amount
 */
gboolean
bnd_amount_entry_check (BndAmountEntry *self)
{
  g_return_val_if_fail (BND_IS_AMOUNT_ENTRY (self), FALSE);

  g_clear_handle_id (&self->check_source, g_source_remove);
  show_error (self, self->problem);
  if (self->problem == NULL)
    change_value (self, self->pending);
  return self->problem == NULL;
}

/**
 * bnd_amount_entry_is_valid:
 *
 * Returns: whether the text is good, shown or not; for a dialog's button
 */
gboolean
bnd_amount_entry_is_valid (BndAmountEntry *self)
{
  g_return_val_if_fail (BND_IS_AMOUNT_ENTRY (self), FALSE);

  return self->problem == NULL;
}

/**
 * bnd_amount_entry_get_editable:
 *
 * Returns: (transfer none): the text field, for typing into it in tests
 */
GtkEditable *
bnd_amount_entry_get_editable (BndAmountEntry *self)
{
  g_return_val_if_fail (BND_IS_AMOUNT_ENTRY (self), NULL);

  return GTK_EDITABLE (self->entry);
}
