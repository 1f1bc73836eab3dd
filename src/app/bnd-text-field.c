/* bnd-text-field.c: a value typed as text, read when the typing pauses or the field is left
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-text-field"

#include "config.h"

#include "bnd-field-error.h"
#include "bnd-text-field.h"

/* What amounts and days have in common (BndAmountEntry, BndDateEntry): the text is read with
 * every character into a pending value, which becomes the value only when the typing pauses,
 * Enter is pressed or the field is left. Typed character by character, "120,000.50" passes
 * through "120,0", which German reads as 120: a value that followed each character would end as
 * 120 under an error. What the text cannot be is said at the field (the "error" property) at
 * those same moments, so nobody is told off halfway through typing, and a shown error follows
 * every character, so it goes as soon as the text is right. A bad text keeps the last good
 * value. The subclass reads, accepts and formats; it may add widgets after the entry. */

typedef struct
{
  GtkWidget *entry;
  gboolean   required;
  gboolean   formatting;   /* writing the text ourselves: not typing */
  char      *problem;      /* why the text is no value; NULL when it is one */
  char      *error;        /* the problem as shown at the field */
  guint      check_source; /* shows the problem after a pause in typing */
} BndTextFieldPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (BndTextField, bnd_text_field, GTK_TYPE_WIDGET)

enum {
  PROP_0,
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
show_error (BndTextField *self,
            const char   *error)
{
  BndTextFieldPrivate *priv = bnd_text_field_get_instance_private (self);

  if (g_strcmp0 (error, priv->error) == 0)
    return;
  g_free (priv->error);
  priv->error = g_strdup (error);
  bnd_field_error_mark (priv->entry, error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
check_cb (gpointer data)
{
  BndTextField *self = data;
  BndTextFieldPrivate *priv = bnd_text_field_get_instance_private (self);

  priv->check_source = 0;
  bnd_text_field_check (self);
}

static void
read_text (BndTextField *self)
{
  BndTextFieldPrivate *priv = bnd_text_field_get_instance_private (self);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (priv->entry));

  g_free (priv->problem);
  priv->problem = BND_TEXT_FIELD_GET_CLASS (self)->read (self, text, is_blank (text), priv->required);

  g_clear_handle_id (&priv->check_source, g_source_remove);
  if (priv->error && priv->problem == NULL)
    show_error (self, NULL);
  priv->check_source = g_timeout_add_once (1000, check_cb, self);
}

/* Callbacks */

static void
on_entry_changed_cb (GtkEditable  *editable,
                     BndTextField *self)
{
  BndTextFieldPrivate *priv = bnd_text_field_get_instance_private (self);

  if (!priv->formatting)
    read_text (self);
}

static void
on_entry_activate_cb (GtkEntry     *entry,
                      BndTextField *self)
{
  bnd_text_field_check (self);
}

static void
on_focus_leave_cb (GtkEventControllerFocus *controller,
                   BndTextField            *self)
{
  BndTextFieldPrivate *priv = bnd_text_field_get_instance_private (self);

  /* Left with a good value: written as it is read everywhere else ("120.000,50 €", "01.03.2026"). */
  if (bnd_text_field_check (self) && !is_blank (gtk_editable_get_text (GTK_EDITABLE (priv->entry))))
    bnd_text_field_show_value (self);
}

static gboolean
bnd_text_field_grab_focus (GtkWidget *widget)
{
  BndTextFieldPrivate *priv = bnd_text_field_get_instance_private (BND_TEXT_FIELD (widget));

  return gtk_widget_grab_focus (priv->entry);
}

static void
bnd_text_field_dispose (GObject *object)
{
  BndTextFieldPrivate *priv = bnd_text_field_get_instance_private (BND_TEXT_FIELD (object));

  g_clear_handle_id (&priv->check_source, g_source_remove);
  g_clear_pointer (&priv->entry, gtk_widget_unparent);

  G_OBJECT_CLASS (bnd_text_field_parent_class)->dispose (object);
}

static void
bnd_text_field_finalize (GObject *object)
{
  BndTextFieldPrivate *priv = bnd_text_field_get_instance_private (BND_TEXT_FIELD (object));

  g_free (priv->problem);
  g_free (priv->error);

  G_OBJECT_CLASS (bnd_text_field_parent_class)->finalize (object);
}

static void
bnd_text_field_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  BndTextFieldPrivate *priv = bnd_text_field_get_instance_private (BND_TEXT_FIELD (object));

  switch (prop_id)
    {
    case PROP_ERROR:
      g_value_set_string (value, priv->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bnd_text_field_class_init (BndTextFieldClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bnd_text_field_dispose;
  object_class->finalize = bnd_text_field_finalize;
  object_class->get_property = bnd_text_field_get_property;
  widget_class->grab_focus = bnd_text_field_grab_focus;

  /**
   * BndTextField:error:
   *
   * The sentence shown at the field, %NULL while there is none.
   */
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL,
                                                G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A box, so that a subclass may put a button beside the entry. */
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
}

static void
bnd_text_field_init (BndTextField *self)
{
  BndTextFieldPrivate *priv = bnd_text_field_get_instance_private (self);
  GtkEventController *focus = gtk_event_controller_focus_new ();

  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
  priv->entry = gtk_entry_new ();
  gtk_widget_add_css_class (priv->entry, "numeric");
  gtk_widget_set_parent (priv->entry, GTK_WIDGET (self));
  g_signal_connect (priv->entry, "changed", G_CALLBACK (on_entry_changed_cb), self);
  g_signal_connect (priv->entry, "activate", G_CALLBACK (on_entry_activate_cb), self);
  g_signal_connect (focus, "leave", G_CALLBACK (on_focus_leave_cb), self);
  gtk_widget_add_controller (priv->entry, focus);
}

/**
 * bnd_text_field_get_editable:
 *
 * Returns: (transfer none): the text field, for its look, its accessible name and tests
 */
GtkEditable *
bnd_text_field_get_editable (BndTextField *self)
{
  BndTextFieldPrivate *priv = bnd_text_field_get_instance_private (self);

  g_return_val_if_fail (BND_IS_TEXT_FIELD (self), NULL);

  return GTK_EDITABLE (priv->entry);
}

/**
 * bnd_text_field_set_required:
 *
 * Whether an empty field is an error ("Please enter an amount") rather than empty or 0.
 */
void
bnd_text_field_set_required (BndTextField *self,
                             gboolean      required)
{
  BndTextFieldPrivate *priv = bnd_text_field_get_instance_private (self);

  g_return_if_fail (BND_IS_TEXT_FIELD (self));

  priv->required = required;
  read_text (self);
  /* Said once the field is left or Enter pressed, not to a field nobody has touched yet. */
  g_clear_handle_id (&priv->check_source, g_source_remove);
}

/**
 * bnd_text_field_get_error:
 *
 * Returns: (nullable): the sentence shown at the field, %NULL while there is none
 */
const char *
bnd_text_field_get_error (BndTextField *self)
{
  BndTextFieldPrivate *priv = bnd_text_field_get_instance_private (self);

  g_return_val_if_fail (BND_IS_TEXT_FIELD (self), NULL);

  return priv->error;
}

/**
 * bnd_text_field_is_valid:
 *
 * Returns: whether the text is good, shown or not; for a dialog's button
 */
gboolean
bnd_text_field_is_valid (BndTextField *self)
{
  BndTextFieldPrivate *priv = bnd_text_field_get_instance_private (self);

  g_return_val_if_fail (BND_IS_TEXT_FIELD (self), FALSE);

  return priv->problem == NULL;
}

/**
 * bnd_text_field_check:
 *
 * What leaving the field does: the text becomes the value, or the field says why it cannot.
 *
 * Returns: whether the text is good (or empty, when that is allowed)
 */
gboolean
bnd_text_field_check (BndTextField *self)
{
  BndTextFieldPrivate *priv = bnd_text_field_get_instance_private (self);

  g_return_val_if_fail (BND_IS_TEXT_FIELD (self), FALSE);

  g_clear_handle_id (&priv->check_source, g_source_remove);
  show_error (self, priv->problem);
  if (priv->problem == NULL)
    BND_TEXT_FIELD_GET_CLASS (self)->accept (self);
  return priv->problem == NULL;
}

/**
 * bnd_text_field_show_value:
 *
 * Makes the pending value the value and writes it into the entry as the field formats it, with
 * no error: for a value from the sketch rather than typing, and for a field left with a good one.
 */
void
bnd_text_field_show_value (BndTextField *self)
{
  BndTextFieldPrivate *priv = bnd_text_field_get_instance_private (self);
  g_autofree char *text = NULL;

  g_return_if_fail (BND_IS_TEXT_FIELD (self));

  g_clear_pointer (&priv->problem, g_free);
  g_clear_handle_id (&priv->check_source, g_source_remove);
  show_error (self, NULL);
  BND_TEXT_FIELD_GET_CLASS (self)->accept (self);
  text = BND_TEXT_FIELD_GET_CLASS (self)->format (self);
  priv->formatting = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (priv->entry), text);
  priv->formatting = FALSE;
}
