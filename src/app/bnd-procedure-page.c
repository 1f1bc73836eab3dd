/* bnd-procedure-page.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-procedure-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "bnd-page-util.h"
#include "bnd-procedure-page.h"

struct _BndProcedurePage
{
  GtkWidget   parent_instance;

  /* Template widgets */
  GtkWidget  *scroller;
  GtkBox     *content;

  /* Owned: stage id → its timeline entry */
  GHashTable *entries;
};

G_DEFINE_FINAL_TYPE (BndProcedurePage, bnd_procedure_page, GTK_TYPE_WIDGET)

/* One entry of the timeline: a numbered dot with the line to the next entry, then the text. */
static GtkWidget *
entry_new (const BndStage *stage,
           guint           number,
           gboolean        last)
{
  g_autofree char *badge_text = g_strdup_printf ("%u", number);
  g_autofree char *actor = NULL;
  GtkWidget *entry = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *rail = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *badge = gtk_label_new (badge_text);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);

  gtk_widget_add_css_class (entry, "timeline-entry");
  gtk_widget_set_focusable (entry, TRUE);
  gtk_widget_add_css_class (badge, "timeline-badge");
  gtk_widget_set_halign (badge, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (line, "timeline-line");
  gtk_widget_set_halign (line, GTK_ALIGN_CENTER);
  gtk_widget_set_vexpand (line, TRUE);
  gtk_widget_set_visible (line, !last);
  gtk_box_append (GTK_BOX (rail), badge);
  gtk_box_append (GTK_BOX (rail), line);

  /* Translators: who does what at a stage of the procedure, e.g. "Who: Netzwerkkoordination" */
  actor = g_strdup_printf (_("Who: %s"), stage->actor);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_set_margin_bottom (text, last ? 0 : 18);
  gtk_box_append (GTK_BOX (text), bnd_paragraph_new (stage->title, "heading"));
  gtk_box_append (GTK_BOX (text), bnd_paragraph_new (actor, "caption-heading"));
  gtk_box_append (GTK_BOX (text), bnd_paragraph_new (stage->description, NULL));
  if (stage->duration != NULL)
    {
      /* Translators: how long a stage takes, e.g. "Duration: ca. zwei Wochen" */
      g_autofree char *duration = g_strdup_printf (_("Duration: %s"), stage->duration);
      GtkWidget *label = bnd_paragraph_new (duration, "timeline-duration");

      gtk_widget_set_halign (label, GTK_ALIGN_START);
      gtk_box_append (GTK_BOX (text), label);
    }

  gtk_box_append (GTK_BOX (entry), rail);
  gtk_box_append (GTK_BOX (entry), text);
  return entry;
}

static void
bnd_procedure_page_dispose (GObject *object)
{
  BndProcedurePage *self = (BndProcedurePage *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), BND_TYPE_PROCEDURE_PAGE);
  g_clear_pointer (&self->entries, g_hash_table_unref);

  G_OBJECT_CLASS (bnd_procedure_page_parent_class)->dispose (object);
}

static void
bnd_procedure_page_class_init (BndProcedurePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bnd_procedure_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/bnd-procedure-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BndProcedurePage, scroller);
  gtk_widget_class_bind_template_child (widget_class, BndProcedurePage, content);
}

static void
bnd_procedure_page_init (BndProcedurePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->entries = g_hash_table_new (g_str_hash, g_str_equal);
}

void
bnd_procedure_page_set_strategy (BndProcedurePage *self,
                                 BndStrategy      *strategy)
{
  GPtrArray *stages;
  GtkWidget *timeline = NULL;
  int step = 0;

  g_return_if_fail (BND_IS_PROCEDURE_PAGE (self));
  g_return_if_fail (BND_IS_STRATEGY (strategy));

  g_hash_table_remove_all (self->entries);
  bnd_box_remove_all (self->content);
  stages = bnd_strategy_get_stages (strategy);

  gtk_box_append (self->content, bnd_paragraph_new (_("From the Idea to the Funding Decision"), "title-2"));
  gtk_box_append (self->content,
                  bnd_paragraph_new (_("Project ideas go through a procedure in three steps. The network "
                                       "coordination at the chamber guides carriers through all of them."),
                                     "dim-label"));

  for (guint i = 0; i < stages->len; i++)
    {
      const BndStage *stage = g_ptr_array_index (stages, i);
      const BndStage *next = i + 1 < stages->len ? g_ptr_array_index (stages, i + 1) : NULL;
      GtkWidget *entry;

      if (stage->step != step)
        {
          g_autofree char *heading = NULL;

          step = stage->step;
          /* Translators: a step of the funding procedure, "Step 1" */
          heading = g_strdup_printf (_("Step %d"), step);
          gtk_box_append (self->content, bnd_paragraph_new (heading, "title-4"));
          timeline = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
          gtk_widget_add_css_class (timeline, "card");
          gtk_widget_add_css_class (timeline, "timeline");
          gtk_box_append (self->content, timeline);
        }

      entry = entry_new (stage, i + 1, next == NULL || next->step != step);
      gtk_box_append (GTK_BOX (timeline), entry);
      g_hash_table_insert (self->entries, (gpointer)stage->id, entry);
    }
}

/**
 * bnd_procedure_page_reveal:
 * @self: a #BndProcedurePage
 * @stage_id: a procedure stage's id
 *
 * Scrolls to a stage and focuses it.
 *
 * Returns: (transfer none) (nullable): the stage's timeline entry
 */
GtkWidget *
bnd_procedure_page_reveal (BndProcedurePage *self,
                           const char       *stage_id)
{
  GtkWidget *entry;

  g_return_val_if_fail (BND_IS_PROCEDURE_PAGE (self), NULL);

  if ((entry = g_hash_table_lookup (self->entries, stage_id)))
    gtk_widget_grab_focus (entry);
  return entry;
}
