/* bnd-sketch-banner.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-sketch-banner"

#include "config.h"

#include <glib/gi18n.h>

#include "bnd-procedure.h"
#include "bnd-refusal.h"
#include "bnd-sketch-banner.h"

/* Where a sketch stands, above the editor's form: why it cannot be changed (submitted, so the
 * server keeps it as it is), that it may be changed again (the first assessment asked for
 * changes), or that the server refused its edits, with the two ways out as buttons. The buttons
 * name the editor's actions editor.take-server and editor.keep-as-draft. */

struct _BndSketchBanner
{
  GtkWidget    parent_instance;

  /* Template widgets */
  GtkWidget   *revealer;
  GtkWidget   *box;
  GtkImage    *icon;
  GtkLabel    *label;
  GtkWidget   *choices;

  char        *text;    /* what the label says, without markup: for tests */
};

G_DEFINE_FINAL_TYPE (BndSketchBanner, bnd_sketch_banner, GTK_TYPE_WIDGET)

static void
bnd_sketch_banner_dispose (GObject *object)
{
  BndSketchBanner *self = (BndSketchBanner *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), BND_TYPE_SKETCH_BANNER);
  g_clear_pointer (&self->text, g_free);

  G_OBJECT_CLASS (bnd_sketch_banner_parent_class)->dispose (object);
}

static void
bnd_sketch_banner_class_init (BndSketchBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bnd_sketch_banner_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/bnd-sketch-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, BndSketchBanner, revealer);
  gtk_widget_class_bind_template_child (widget_class, BndSketchBanner, box);
  gtk_widget_class_bind_template_child (widget_class, BndSketchBanner, icon);
  gtk_widget_class_bind_template_child (widget_class, BndSketchBanner, label);
  gtk_widget_class_bind_template_child (widget_class, BndSketchBanner, choices);
}

static void
bnd_sketch_banner_init (BndSketchBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
show (BndSketchBanner *self,
      const char      *icon,
      const char      *style,
      const char      *heading,
      const char      *text,
      gboolean         choices)
{
  g_autofree char *markup = NULL;

  g_free (self->text);
  self->text = heading ? g_strdup_printf ("%s\n%s", heading, text) : g_strdup (text);
  markup = heading ? g_markup_printf_escaped ("<b>%s</b>\n%s", heading, text) : g_markup_escape_text (text, -1);
  gtk_label_set_markup (self->label, markup);
  gtk_image_set_from_icon_name (self->icon, icon);
  gtk_widget_remove_css_class (self->box, "error");
  gtk_widget_remove_css_class (self->box, "accent");
  gtk_widget_add_css_class (self->box, style);
  gtk_widget_set_visible (self->choices, choices);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), TRUE);
}

/**
 * bnd_sketch_banner_update:
 * @stage: the sketch's stage in the profile
 * @refused: (nullable): the server's refusal of its edits (#BndSyncState.refused), or %NULL
 *
 * Shows what is to be said about a sketch at @stage, or nothing.
 */
void
bnd_sketch_banner_update (BndSketchBanner *self,
                          const char      *stage,
                          const char      *refused)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (BND_IS_SKETCH_BANNER (self));

  if (refused != NULL)
    {
      g_autofree char *reason = bnd_refusal_describe (refused);

      show (self, "dialog-warning-symbolic", "error", _("The server did not accept your edits"), reason, TRUE);
    }
  else if (!bnd_procedure_may_edit_sketch (stage, &error))
    show (self, "changes-prevent-symbolic", "accent", NULL, error->message, FALSE);
  else if (g_strcmp0 (stage, "changes-requested") == 0)
    show (self, "document-edit-symbolic", "accent", NULL,
          _("The first assessment asks for changes: revise the sketch and submit it again, into the same dossier"),
          FALSE);
  else
    {
      g_clear_pointer (&self->text, g_free);
      gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), FALSE);
    }
}

gboolean
bnd_sketch_banner_is_shown (BndSketchBanner *self)
{
  g_return_val_if_fail (BND_IS_SKETCH_BANNER (self), FALSE);
  return gtk_revealer_get_reveal_child (GTK_REVEALER (self->revealer));
}

/**
 * bnd_sketch_banner_get_text:
 *
 * Returns: (nullable): what the banner says, without markup
 */
const char *
bnd_sketch_banner_get_text (BndSketchBanner *self)
{
  g_return_val_if_fail (BND_IS_SKETCH_BANNER (self), NULL);
  return self->text;
}

gboolean
bnd_sketch_banner_has_choices (BndSketchBanner *self)
{
  g_return_val_if_fail (BND_IS_SKETCH_BANNER (self), FALSE);
  return bnd_sketch_banner_is_shown (self) && gtk_widget_get_visible (self->choices);
}
