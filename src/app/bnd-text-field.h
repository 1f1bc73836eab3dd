/* bnd-text-field.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define BND_TYPE_TEXT_FIELD (bnd_text_field_get_type ())

G_DECLARE_DERIVABLE_TYPE (BndTextField, bnd_text_field, BND, TEXT_FIELD, GtkWidget)

struct _BndTextFieldClass
{
  GtkWidgetClass parent_class;

  /* Reads @text (blank: only white space) into the field's pending value. Returns the problem
   * to show, or NULL when the text is good. */
  char *(*read)   (BndTextField *self,
                   const char   *text,
                   gboolean      blank,
                   gboolean      required);
  /* The pending value becomes the field's value. */
  void  (*accept) (BndTextField *self);
  /* The value as the field writes it (the language's way: "120.000,50 €", "01.03.2026"). */
  char *(*format) (BndTextField *self);
};

GtkEditable *bnd_text_field_get_editable    (BndTextField *self);
void         bnd_text_field_set_required    (BndTextField *self,
                                             gboolean      required);
const char  *bnd_text_field_get_error       (BndTextField *self);
gboolean     bnd_text_field_is_valid        (BndTextField *self);
gboolean     bnd_text_field_check           (BndTextField *self);
void         bnd_text_field_show_value      (BndTextField *self);

G_END_DECLS
