/* bnd-alliance-rule.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-alliance-rule"

#include "config.h"

#include <glib/gi18n.h>

#include "bnd-alliance-rule.h"

/* Where the app applies a rule that the strategy does not fix (the template's sections, the
 * rating criteria and scale, the quorum, recusal), it says so with the pack's note: users should
 * know which rules the alliance can change itself and which the strategy lays down. */

/**
 * bnd_alliance_rule_dup_text:
 * @strategy: the strategy pack in use
 * @rule_id: one of the BND_RULE_* ids
 *
 * Returns: (transfer full) (nullable): "Set by the alliance: <note>" in the user's language, or
 *   %NULL when the pack says the strategy fixes the rule, or says nothing of it
 */
char *
bnd_alliance_rule_dup_text (BndStrategy *strategy,
                            const char  *rule_id)
{
  const BndRule *rule;

  g_return_val_if_fail (BND_IS_STRATEGY (strategy), NULL);
  g_return_val_if_fail (rule_id != NULL, NULL);

  rule = bnd_strategy_find_rule (strategy, rule_id);
  if (rule == NULL || rule->set_by != BND_SET_BY_ALLIANCE)
    return NULL;
  /* Translators: %s is the strategy pack's note, such as „The rating scale was set by the
   * alliance; the strategy names none.“ */
  return g_strdup_printf (_("Set by the alliance: %s"), bnd_text_get (&rule->note));
}

/**
 * bnd_alliance_rule_new:
 * @strategy: the strategy pack in use
 * @rule_id: one of the BND_RULE_* ids
 *
 * A small note to place where the rule is used: an info icon and the text of
 * bnd_alliance_rule_dup_text(). It stays hidden when the rule is not set by the alliance, so
 * callers can always add it.
 *
 * Returns: (transfer floating): the note
 */
GtkWidget *
bnd_alliance_rule_new (BndStrategy *strategy,
                       const char  *rule_id)
{
  g_autofree char *text = bnd_alliance_rule_dup_text (strategy, rule_id);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-information-symbolic");
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_add_css_class (box, "dim-label");
  gtk_widget_add_css_class (box, "caption");
  gtk_widget_add_css_class (box, "alliance-rule");
  gtk_widget_set_name (box, rule_id);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_visible (box, text != NULL);
  return box;
}
