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
#include "bnd-format.h"
#include "bnd-sketch.h"

/* A text entry rather than a GtkSpinButton: a spin button changes its value under the mouse
 * wheel while the page is scrolled past it, and reads "120.000,50" as 120. Here the text is read
 * by bnd_format_parse_amount() in the conventions of the interface language, when the typing
 * pauses or the field is left (BndTextField); what it refuses keeps the last good value and says
 * why at the field. An entry does not take the wheel, so the page scrolls over it. */

struct _BndAmountEntry
{
  BndTextField parent_instance;

  double       value;
  double       pending;      /* what the text says, until it becomes the value */
};

G_DEFINE_FINAL_TYPE (BndAmountEntry, bnd_amount_entry, BND_TYPE_TEXT_FIELD)

enum {
  PROP_0,
  PROP_VALUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
bnd_amount_entry_read (BndTextField *field,
                       const char   *text,
                       gboolean      blank,
                       gboolean      required)
{
  BndAmountEntry *self = BND_AMOUNT_ENTRY (field);
  BndLocale locale = bnd_locale_current ();
  g_autoptr(GError) error = NULL;

  self->pending = 0;
  /* An emptied field is 0, once it is left or the typing pauses. */
  if (blank && !required)
    return NULL;
  if (!bnd_format_parse_amount (text, locale, &self->pending, &error))
    return g_strdup (error->message);
  if (self->pending < 0)
    return g_strdup (_("An amount cannot be negative."));
  if (self->pending > BND_SKETCH_MAX_AMOUNT)
    {
      g_autofree char *largest = bnd_format_money (BND_SKETCH_MAX_AMOUNT, locale);

      /* Translators: the amount as typed, and the largest amount a sketch takes */
      return g_strdup_printf (_("“%s” is more than the largest possible amount, %s."), text, largest);
    }
  return NULL;
}

static void
bnd_amount_entry_accept (BndTextField *field)
{
  BndAmountEntry *self = BND_AMOUNT_ENTRY (field);

  if (self->pending == self->value)
    return;
  self->value = self->pending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
}

static char *
bnd_amount_entry_format (BndTextField *field)
{
  return bnd_format_money (BND_AMOUNT_ENTRY (field)->value, bnd_locale_current ());
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
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bnd_amount_entry_class_init (BndAmountEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  BndTextFieldClass *field_class = BND_TEXT_FIELD_CLASS (klass);

  object_class->get_property = bnd_amount_entry_get_property;
  field_class->read = bnd_amount_entry_read;
  field_class->accept = bnd_amount_entry_accept;
  field_class->format = bnd_amount_entry_format;

  properties[PROP_VALUE] = g_param_spec_double ("value", NULL, NULL, 0, G_MAXDOUBLE, 0,
                                                G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bnd_amount_entry_init (BndAmountEntry *self)
{
  GtkEntry *entry = GTK_ENTRY (bnd_text_field_get_editable (BND_TEXT_FIELD (self)));
  g_autofree char *example = bnd_format_money (0, bnd_locale_current ());

  gtk_entry_set_alignment (entry, 1);
  gtk_entry_set_input_purpose (entry, GTK_INPUT_PURPOSE_NUMBER);
  gtk_entry_set_placeholder_text (entry, example);
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), 14);
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

  gtk_accessible_update_property (GTK_ACCESSIBLE (bnd_text_field_get_editable (BND_TEXT_FIELD (self))),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
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

  self->pending = value;
  bnd_text_field_show_value (BND_TEXT_FIELD (self));
}
