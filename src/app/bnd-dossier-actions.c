/* bnd-dossier-actions.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-dossier-actions"

#include "config.h"

#include <glib/gi18n.h>

#include "bnd-alliance-rule.h"
#include "bnd-dossier-actions.h"
#include "bnd-dossier-cache.h"
#include "bnd-stage.h"

/* The network coordination's next step on a dossier, as one form: record the first assessment,
 * move the dossier on with a comment for the record, open the circulation vote, issue the
 * statement, record NBank's decision. The server checks every step; this only offers the one
 * that fits the stage. The answer arrives with the sync that follows each call. */

struct _BndDossierActions
{
  AdwBin          parent_instance;

  BndSyncManager *sync;
  char           *uuid;
  GtkWidget      *group;
  GtkWidget      *outcome;
  GtkWidget      *recused;     /* the partner to recuse, or NULL past the rating round */
  GPtrArray      *partner_ids;
  GtkWidget      *entries[5];
  guint           n_entries;
};

G_DEFINE_FINAL_TYPE (BndDossierActions, bnd_dossier_actions, ADW_TYPE_BIN)

static const char *outcomes[] = { "positive", "needs-changes", "negative" };

static void
toast (BndDossierActions *self,
       const char        *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", message);
}

static void
called_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BndDossierActions) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
  if (!(answer = bnd_sync_manager_call_finish (BND_SYNC_MANAGER (object), result, &error)))
    {
      g_autofree char *message = g_strdup_printf (_("Not done: %s"), error->message);

      toast (self, message);
      return;
    }
  toast (self, _("Done; the dossier is updated with this sync"));
}

static void
call (BndDossierActions *self,
      const char        *method,
      const char        *what,
      JsonObject        *body)
{
  g_autofree char *path = bnd_dossier_cache_path (self->uuid, what);
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, body);
  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
  bnd_sync_manager_call_async (self->sync, method, path, node, called_cb, g_object_ref (self));
}

static const char *
entry_text (BndDossierActions *self,
            guint              i)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->entries[i]));
}

/* Optional members are left out when empty, so that the server does not see "" as a date. */
static void
set_if_given (JsonObject *body,
              const char *name,
              const char *text)
{
  if (text && *text)
    json_object_set_string_member (body, name, text);
}

static GtkWidget *
add_entry (BndDossierActions *self,
           const char        *title,
           const char        *text)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (text)
    gtk_editable_set_text (GTK_EDITABLE (row), text);
  g_assert (self->n_entries < G_N_ELEMENTS (self->entries));
  self->entries[self->n_entries++] = row;
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), row);
  return row;
}

static GtkWidget *
add_button (BndDossierActions *self,
            const char        *label,
            GCallback          callback,
            gboolean           suggested)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  if (suggested)
    gtk_widget_add_css_class (button, "suggested-action");
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_widget_set_margin_top (button, 12);
  g_signal_connect_swapped (button, "clicked", callback, self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), button);
  return button;
}

static void
on_assess_clicked_cb (BndDossierActions *self)
{
  JsonObject *body = json_object_new ();

  json_object_set_string_member (body, "outcome", outcomes[adw_combo_row_get_selected (ADW_COMBO_ROW (self->outcome))]);
  set_if_given (body, "nbank", entry_text (self, 0));
  set_if_given (body, "nbank_date", entry_text (self, 1));
  set_if_given (body, "ministry", entry_text (self, 2));
  set_if_given (body, "ministry_date", entry_text (self, 3));
  set_if_given (body, "note", entry_text (self, 4));
  call (self, "PUT", "assessment", body);
}

static void
on_move_clicked_cb (GtkButton         *button,
                    BndDossierActions *self)
{
  JsonObject *body = json_object_new ();

  json_object_set_string_member (body, "stage", g_object_get_data (G_OBJECT (button), "stage"));
  set_if_given (body, "comment", entry_text (self, 0));
  call (self, "POST", "stage", body);
}

static void
on_open_vote_clicked_cb (BndDossierActions *self)
{
  JsonObject *body = json_object_new ();

  json_object_set_string_member (body, "question", entry_text (self, 0));
  call (self, "POST", "vote", body);
}

static void
on_issue_statement_clicked_cb (BndDossierActions *self)
{
  call (self, "POST", "statement", json_object_new ());
}

static void
on_decision_clicked_cb (GtkButton         *button,
                        BndDossierActions *self)
{
  const char *stage = g_object_get_data (G_OBJECT (button), "stage");
  JsonObject *body = json_object_new ();

  json_object_set_string_member (body, "stage", stage);
  if (g_str_equal (stage, "approved"))
    {
      /* The amount as typed, in euros; the server refuses what is not a positive number. */
      g_autofree char *amount = g_strdelimit (g_strdup (entry_text (self, 0)), ",", '.');
      char *end = NULL;
      double value = g_ascii_strtod (amount, &end);

      if (*amount == 0 || (end && *end))
        {
          json_object_unref (body);
          toast (self, _("Enter the approved amount in euros, e.g. 186000"));
          return;
        }
      json_object_set_double_member (body, "amount", value);
      json_object_set_string_member (body, "date", entry_text (self, 1));
    }
  set_if_given (body, "comment", entry_text (self, 2));
  call (self, "POST", "stage", body);
}

static void
add_move (BndDossierActions *self,
          const char        *to)
{
  g_autofree char *label = g_strdup_printf (_("Move to “%s”"), bnd_stage_get_label (to));
  GtkWidget *button;

  add_entry (self, _("Comment for the record"), NULL);
  button = gtk_button_new_with_label (label);
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_widget_set_margin_top (button, 12);
  g_object_set_data_full (G_OBJECT (button), "stage", g_strdup (to), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_move_clicked_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), button);
}

static void
add_assessment_form (BndDossierActions *self)
{
  const char *labels[] = { _("Positive"), _("Needs changes"), _("Negative"), NULL };
  g_autoptr(GtkStringList) model = gtk_string_list_new (labels);

  self->outcome = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->outcome), _("Outcome"));
  adw_combo_row_set_model (ADW_COMBO_ROW (self->outcome), G_LIST_MODEL (model));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), self->outcome);
  add_entry (self, _("Input from NBank"), NULL);
  add_entry (self, _("NBank's date (YYYY-MM-DD)"), NULL);
  add_entry (self, _("Input from the ministry"), NULL);
  add_entry (self, _("Ministry's date (YYYY-MM-DD)"), NULL);
  add_entry (self, _("Note to the carrier"), NULL);
  add_button (self, _("_Record Assessment"), G_CALLBACK (on_assess_clicked_cb), TRUE);
}

static void
add_decision_form (BndDossierActions *self)
{
  const char *stages[] = { "approved", "rejected" };
  const char *labels[] = { N_("Record _Approval"), N_("Record _Rejection") };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  add_entry (self, _("Approved amount in euros"), NULL);
  add_entry (self, _("Date of the Bescheid (YYYY-MM-DD)"), NULL);
  add_entry (self, _("Comment for the record"), NULL);
  gtk_widget_set_halign (box, GTK_ALIGN_END);
  gtk_widget_set_margin_top (box, 12);
  for (guint i = 0; i < G_N_ELEMENTS (stages); i++)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_(labels[i]));

      gtk_widget_add_css_class (button, i == 0 ? "suggested-action" : "destructive-action");
      g_object_set_data (G_OBJECT (button), "stage", (gpointer)stages[i]);
      g_signal_connect (button, "clicked", G_CALLBACK (on_decision_clicked_cb), self);
      gtk_box_append (GTK_BOX (box), button);
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), box);
}

static void
on_recuse_clicked_cb (BndDossierActions *self)
{
  JsonObject *body = json_object_new ();
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->recused));

  json_object_set_string_member (body, "org", g_ptr_array_index (self->partner_ids, selected));
  call (self, "POST", "recusals", body);
}

/* A co-applicant is recused before any rating can be seen (the server holds to that too). */
static GtkWidget *
recusal_group_new (BndDossierActions *self,
                   BndStrategy       *strategy)
{
  GPtrArray *partners = bnd_strategy_get_partners (strategy);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("Record _Recusal"));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Conflict of Interest"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("A partner that co-applies for the project neither rates nor votes on it"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), bnd_alliance_rule_new (strategy, BND_RULE_RECUSAL));
  self->partner_ids = g_ptr_array_new ();
  for (guint i = 0; i < partners->len; i++)
    {
      const BndPartner *partner = g_ptr_array_index (partners, i);

      gtk_string_list_append (names, partner->short_name);
      g_ptr_array_add (self->partner_ids, (gpointer)partner->id);
    }
  self->recused = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->recused), _("Organisation"));
  adw_combo_row_set_model (ADW_COMBO_ROW (self->recused), G_LIST_MODEL (names));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->recused);
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_widget_set_margin_top (button, 12);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (on_recuse_clicked_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), button);
  return group;
}

/* Returns: whether there is a step to offer at @stage */
static gboolean
fill (BndDossierActions *self,
      BndStrategy       *strategy,
      const char        *title,
      const char        *stage,
      JsonObject        *vote,
      gboolean           assessed)
{
  if (g_str_equal (stage, "first-assessment") && !assessed)
    add_assessment_form (self);
  else if (g_str_equal (stage, "vote") && vote == NULL)
    {
      int days = bnd_strategy_get_review (strategy)->vote_days;
      /* In German whatever the interface language: the question goes into the statement. */
      g_autofree char *question = g_strdup_printf ("Gibt der Lenkungskreis eine positive Stellungnahme zu „%s“ ab?", title);
      g_autofree char *description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                   "The vote closes in %d day, or once every entitled organisation has voted",
                                                                   "The vote closes in %d days, or once every entitled organisation has voted",
                                                                   days), days);

      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->group), description);
      add_entry (self, _("Question"), question);
      add_button (self, _("_Open Vote"), G_CALLBACK (on_open_vote_clicked_cb), TRUE);
    }
  else if (g_str_equal (stage, "vote") && json_object_get_boolean_member_with_default (vote, "closed", FALSE))
    add_button (self, _("_Issue Statement"), G_CALLBACK (on_issue_statement_clicked_cb), TRUE);
  else if (g_str_equal (stage, "application"))
    add_decision_form (self);
  else if (bnd_stage_get_next (stage) && !g_str_equal (stage, "vote"))
    add_move (self, bnd_stage_get_next (stage));
  else
    return FALSE;   /* decided, withdrawn, or a vote still running: the statement needs its close */
  return TRUE;
}

/**
 * bnd_dossier_actions_new:
 * @vote: (nullable): the dossier's vote, as cached
 * @assessed: whether the first assessment is recorded
 *
 * Returns: (nullable): the form for the coordination's next step, or %NULL at a stage where
 *   there is none (the dossier was decided or withdrawn, or a vote is running)
 */
GtkWidget *
bnd_dossier_actions_new (BndSyncManager *sync,
                         BndStrategy    *strategy,
                         const char     *uuid,
                         const char     *title,
                         const char     *stage,
                         JsonObject     *vote,
                         gboolean        assessed)
{
  BndDossierActions *self = g_object_new (BND_TYPE_DOSSIER_ACTIONS, NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  gboolean offered;

  self->sync = g_object_ref (sync);
  self->uuid = g_strdup (uuid);
  offered = fill (self, strategy, title, stage, vote, assessed);
  if (offered)
    gtk_box_append (GTK_BOX (box), self->group);
  else
    g_object_unref (g_object_ref_sink (self->group));
  if (bnd_stage_compare (stage, "submitted") >= 0 && bnd_stage_compare (stage, "rating") <= 0)
    {
      gtk_box_append (GTK_BOX (box), recusal_group_new (self, strategy));
      offered = TRUE;
    }
  if (!offered)
    {
      g_object_unref (g_object_ref_sink (box));
      g_object_unref (g_object_ref_sink (self));
      return NULL;
    }
  adw_bin_set_child (ADW_BIN (self), box);
  return GTK_WIDGET (self);
}

static void
bnd_dossier_actions_dispose (GObject *object)
{
  BndDossierActions *self = (BndDossierActions *)object;

  g_clear_object (&self->sync);
  g_clear_pointer (&self->uuid, g_free);
  g_clear_pointer (&self->partner_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (bnd_dossier_actions_parent_class)->dispose (object);
}

static void
bnd_dossier_actions_class_init (BndDossierActionsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = bnd_dossier_actions_dispose;
}

static void
bnd_dossier_actions_init (BndDossierActions *self)
{
  self->group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->group), _("Next Step"));
}
