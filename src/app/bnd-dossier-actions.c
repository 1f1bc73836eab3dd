/* bnd-dossier-actions.c: the procedure's steps on one dossier, as buttons with their dialogs
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-dossier-actions"

#include "config.h"

#include <glib/gi18n.h>

#include "bnd-alliance-rule.h"
#include "bnd-amount-entry.h"
#include "bnd-date-entry.h"
#include "bnd-dossier-actions.h"
#include "bnd-dossier-cache.h"
#include "bnd-dossier-steps.h"
#include "bnd-field-error.h"

/* What the signed-in account may do with the dossier now, asked of the procedure's rules on the
 * facts the server sent with it (bnd_dossier_offered_steps(), the function the tests hold the
 * server to). A step that is possible now is a button; one the account takes once something is
 * done first (the long form is there, the vote has closed) is shown insensitive with the reason;
 * steps of other roles and of other stages are not shown. Each step that needs more (a reason,
 * an outcome, an amount) asks for it in a dialog and goes to POST /dossiers/UUID/steps/STEP; a
 * refusal is shown on the step's row, in the user's language. Rating and voting have forms of
 * their own on the page, commenting and attaching too. */

struct _BndDossierActions
{
  AdwBin          parent_instance;

  BndSyncManager *sync;
  BndStrategy    *strategy;
  char           *uuid;
  guint           n_rated;
  guint           n_entitled;
  GHashTable     *rows;         /* step name → its AdwActionRow */
  char           *acting;       /* the step being taken */
};

G_DEFINE_FINAL_TYPE (BndDossierActions, bnd_dossier_actions, ADW_TYPE_BIN)

typedef enum
{
  ASK_NOTHING      = 0,
  ASK_REASON       = 1 << 0,
  ASK_OUTCOME      = 1 << 1,
  ASK_AMOUNT       = 1 << 2,
  ASK_CONSULTATION = 1 << 3,
  ASK_DEADLINE     = 1 << 4,
  ASK_EARLY_REASON = 1 << 5,   /* a reason when not every entitled organisation has rated */
  ASK_ORG          = 1 << 6,
} Ask;

/* The steps shown here, in the order of the procedure, and what each asks for. */
static const struct
{
  BndStep     step;
  Ask         ask;
  gboolean    destructive;
  const char *description;   /* the row's title and the dialog's text */
} actions[] = {
  { BND_STEP_RECORD_CONSULTATION, ASK_CONSULTATION, FALSE, N_("The consultation held with the carrier: the day, who took part, notes") },
  /* Submitting is done from the editor, where the sketch is revised first. */
  { BND_STEP_SUBMIT, ASK_NOTHING, FALSE, N_("Revise the sketch in the editor and submit it into this dossier") },
  { BND_STEP_START_ASSESSMENT, ASK_NOTHING, FALSE, N_("The network coordination starts assessing the sketch") },
  { BND_STEP_ASSESS, ASK_OUTCOME | ASK_REASON, FALSE, N_("Positive, needs changes or negative; the carrier reads the reason") },
  { BND_STEP_RECEIVE_LONG_FORM, ASK_NOTHING, FALSE, N_("The two weeks to the Lenkungskreis’s statement start with it") },
  { BND_STEP_OPEN_RATING, ASK_DEADLINE, FALSE, N_("The partners rate the long form until the deadline") },
  { BND_STEP_OPEN_VOTE, ASK_EARLY_REASON, FALSE, N_("The rating round closes and the partners vote") },
  { BND_STEP_ISSUE_STATEMENT, ASK_NOTHING, FALSE, N_("The statement follows from the closed vote, positive or negative by the pack’s rule") },
  { BND_STEP_FILE_APPLICATION, ASK_NOTHING, FALSE, N_("The application was filed with NBank") },
  { BND_STEP_APPROVE, ASK_AMOUNT, FALSE, N_("NBank approved the project: the amount and the date of the decision") },
  { BND_STEP_REJECT, ASK_REASON, TRUE, N_("NBank rejected the application: its reason") },
  { BND_STEP_WITHDRAW, ASK_REASON, TRUE, N_("Closes the dossier; the reason is kept in the audit trail") },
  { BND_STEP_REOPEN, ASK_REASON, FALSE, N_("Back to the stage where it was closed, with a reason") },
  { BND_STEP_RECUSE, ASK_ORG, FALSE, N_("A partner that co-applies for the project neither rates nor votes on it") },
};

static const char *outcomes[] = { "positive", "needs-changes", "negative" };

static GtkWidget *
find_row (BndDossierActions *self,
          const char        *step)
{
  return self->rows && step ? g_hash_table_lookup (self->rows, step) : NULL;
}

static void
show_refusal (BndDossierActions *self,
              const char        *step,
              const char        *message)
{
  GtkWidget *row = find_row (self, step);

  if (row == NULL)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", message);
      return;
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), message);
  gtk_widget_add_css_class (row, "error");
}

static void
taken_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(BndDossierActions) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *step = g_steal_pointer (&self->acting);

  gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
  /* The message is the server's refusal looked up in our catalogue (bnd_api_error_message()). */
  if (!(answer = bnd_sync_manager_call_finish (BND_SYNC_MANAGER (object), result, &error)))
    {
      show_refusal (self, step, error->message);
      return;
    }
  /* The sync that follows every call brings the dossier as it is now, and the page with it. */
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", _("Done; the dossier is being updated"));
}

static void
take (BndDossierActions *self,
      const char        *step,
      JsonObject        *body)
{
  g_autofree char *what = g_strconcat ("steps/", step, NULL);
  g_autofree char *path = bnd_dossier_cache_path (self->uuid, what);
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, body);
  g_free (self->acting);
  self->acting = g_strdup (step);
  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
  bnd_sync_manager_call_async (self->sync, "POST", path, node, taken_cb, g_object_ref (self));
}

/* Dialogs */

typedef struct
{
  BndDossierActions *self;
  GtkWidget         *dialog;
  BndStep            step;
  Ask                ask;
  GtkWidget         *outcome[3];
  GtkWidget         *reason;
  GtkWidget         *amount;
  GtkWidget         *date;
  GtkWidget         *who;
  GtkWidget         *notes;
  GtkWidget         *org;
  GtkWidget         *problem;
} Form;

static void
form_free (Form *form)
{
  g_object_unref (form->self);
  g_free (form);
}

static const char *
text_of (GtkWidget *entry)
{
  return entry ? gtk_editable_get_text (GTK_EDITABLE (entry)) : "";
}

static gboolean
has_text (const char *text)
{
  for (; text && *text; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return TRUE;
  return FALSE;
}

static GtkWidget *
add_entry (GtkWidget  *box,
           const char *label,
           const char *placeholder)
{
  GtkWidget *title = gtk_label_new (label);
  GtkWidget *entry = gtk_entry_new ();

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "heading");
  if (placeholder)
    gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), entry);
  return entry;
}

static GtkWidget *
add_field (GtkWidget  *box,
           const char *label,
           GtkWidget  *field)
{
  GtkWidget *title = gtk_label_new (label);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), field);
  /* What is wrong with a typed day or amount is said right below it, in the dialog. */
  gtk_box_append (GTK_BOX (box), bnd_field_error_label_new (field));
  return field;
}

/* A day or an amount that is typed but cannot be read keeps the step's button insensitive; the
 * field says why. */
static void
on_field_changed_cb (GtkEditable *editable,
                     Form        *form)
{
  gboolean valid = (!form->date || bnd_text_field_is_valid (BND_TEXT_FIELD (form->date))) &&
                   (!form->amount || bnd_text_field_is_valid (BND_TEXT_FIELD (form->amount)));

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (form->dialog), "take", valid);
}

static GtkWidget *
add_date (Form       *form,
          GtkWidget  *box,
          const char *label)
{
  GtkWidget *field = bnd_date_entry_new (label);

  g_signal_connect (bnd_text_field_get_editable (BND_TEXT_FIELD (field)), "changed",
                    G_CALLBACK (on_field_changed_cb), form);
  return add_field (box, label, field);
}

/* What the form says, as the step's body; NULL with @problem set when something is missing. */
static JsonObject *
read_form (Form        *form,
           const char **problem)
{
  g_autoptr(JsonObject) body = json_object_new ();
  const char *reason = text_of (form->reason);
  const char *outcome = NULL;

  *problem = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    if (form->outcome[i] && gtk_check_button_get_active (GTK_CHECK_BUTTON (form->outcome[i])))
      outcome = outcomes[i];
  if (form->ask & ASK_OUTCOME)
    {
      if (outcome == NULL)
        return *problem = _("Choose the outcome"), NULL;
      json_object_set_string_member (body, "outcome", outcome);
      if (!g_str_equal (outcome, "positive") && !has_text (reason))
        return *problem = _("A negative assessment or a request for changes needs a reason for the carrier"), NULL;
    }
  else if ((form->ask & ASK_REASON) && !has_text (reason))
    return *problem = _("This step needs a reason, which the audit trail keeps"), NULL;
  else if ((form->ask & ASK_EARLY_REASON) && form->self->n_rated < form->self->n_entitled && !has_text (reason))
    return *problem = _("Not every entitled organisation has rated yet: closing the round early needs a reason"), NULL;
  if (has_text (reason))
    json_object_set_string_member (body, "reason", reason);

  if (form->ask & ASK_AMOUNT)
    {
      const char *date = NULL;
      double amount;

      /* What was typed last, even without a pause or leaving the field; what is no amount or
       * day is said at the field, and on the step's row once the dialog is gone. */
      if (!bnd_text_field_check (BND_TEXT_FIELD (form->amount)))
        return *problem = bnd_text_field_get_error (BND_TEXT_FIELD (form->amount)), NULL;
      if (!bnd_text_field_check (BND_TEXT_FIELD (form->date)))
        return *problem = bnd_text_field_get_error (BND_TEXT_FIELD (form->date)), NULL;
      amount = bnd_amount_entry_get_value (BND_AMOUNT_ENTRY (form->amount));
      date = bnd_date_entry_get_date (BND_DATE_ENTRY (form->date));

      if (!(amount > 0))
        return *problem = _("Enter the approved amount in euros"), NULL;
      if (date == NULL)
        return *problem = _("Enter the date of the decision"), NULL;
      json_object_set_double_member (body, "amount", amount);
      json_object_set_string_member (body, "date", date);
    }
  if (form->ask & (ASK_CONSULTATION | ASK_DEADLINE))
    {
      /* Typed days are read as the user writes them and sent as ISO; a typo keeps the step's
       * button insensitive, so the server never sees one. */
      const char *date = NULL;

      if (!bnd_text_field_check (BND_TEXT_FIELD (form->date)))
        return *problem = bnd_text_field_get_error (BND_TEXT_FIELD (form->date)), NULL;
      date = bnd_date_entry_get_date (BND_DATE_ENTRY (form->date));
      if (date == NULL && (form->ask & ASK_CONSULTATION))
        return *problem = _("Enter the day of the consultation"), NULL;
      if (date)
        json_object_set_string_member (body, (form->ask & ASK_CONSULTATION) ? "date" : "deadline", date);
    }
  if (form->ask & ASK_CONSULTATION)
    {
      if (has_text (text_of (form->who)))
        json_object_set_string_member (body, "who", text_of (form->who));
      if (has_text (text_of (form->notes)))
        json_object_set_string_member (body, "notes", text_of (form->notes));
    }
  if (form->ask & ASK_ORG)
    {
      GPtrArray *partners = bnd_strategy_get_partners (form->self->strategy);
      guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (form->org));

      if (selected >= partners->len)
        return *problem = _("Choose the organisation"), NULL;
      json_object_set_string_member (body, "org", ((const BndPartner *)g_ptr_array_index (partners, selected))->id);
    }
  return g_steal_pointer (&body);
}

static void
on_dialog_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       Form             *form)
{
  const char *problem = NULL;
  JsonObject *body;

  if (!g_str_equal (response, "take"))
    return;
  if (!(body = read_form (form, &problem)))
    {
      /* Said on the step's row too, where the user looks once the dialog is gone. */
      show_refusal (form->self, bnd_step_to_string (form->step), problem);
      return;
    }
  take (form->self, bnd_step_to_string (form->step), body);
}

static void
on_step_clicked_cb (GtkButton         *button,
                    BndDossierActions *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "action"));
  Form *form = g_new0 (Form, 1);
  GtkWidget *dialog, *box;
  g_autofree char *body = NULL;

  if (actions[index].step == BND_STEP_SUBMIT)
    {
      g_free (form);
      gtk_widget_activate_action (GTK_WIDGET (self), "win.open-sketch", "s", self->uuid);
      return;
    }
  form->self = g_object_ref (self);
  form->step = actions[index].step;
  form->ask = actions[index].ask;

  if ((form->ask & ASK_EARLY_REASON) && self->n_rated < self->n_entitled)
    /* Translators: how many of the entitled organisations rated before the round is closed */
    body = g_strdup_printf (_("%s. %u of %u rated: closing the round early needs a reason, which the audit trail keeps."),
                            _(actions[index].description), self->n_rated, self->n_entitled);
  else if (form->ask & ASK_EARLY_REASON)
    body = g_strdup_printf (_("%s. %u of %u rated."), _(actions[index].description), self->n_rated, self->n_entitled);
  else
    body = g_strdup (_(actions[index].description));

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   bnd_step_get_label (form->step), body);
  form->dialog = dialog;
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  if (form->ask & ASK_OUTCOME)
    {
      const char *labels[] = { N_("Positive: request the long form"), N_("Needs changes: back to the carrier"),
                               N_("Negative: not recommended") };

      for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
        {
          form->outcome[i] = gtk_check_button_new_with_label (_(labels[i]));
          gtk_widget_set_name (form->outcome[i], outcomes[i]);
          if (i > 0)
            gtk_check_button_set_group (GTK_CHECK_BUTTON (form->outcome[i]), GTK_CHECK_BUTTON (form->outcome[0]));
          gtk_box_append (GTK_BOX (box), form->outcome[i]);
        }
    }
  if (form->ask & ASK_CONSULTATION)
    {
      form->date = add_date (form, box, _("Day of the consultation"));
      form->who = add_entry (box, _("Who took part"), NULL);
      form->notes = add_entry (box, _("Notes"), NULL);
    }
  if (form->ask & ASK_DEADLINE)
    form->date = add_date (form, box, _("Deadline (empty: the pack’s default)"));
  if (form->ask & ASK_AMOUNT)
    {
      form->amount = add_field (box, _("Approved amount in euros"), bnd_amount_entry_new (_("Approved amount in euros")));
      g_signal_connect (bnd_text_field_get_editable (BND_TEXT_FIELD (form->amount)), "changed",
                        G_CALLBACK (on_field_changed_cb), form);
      form->date = add_date (form, box, _("Date of the decision"));
    }
  if (form->ask & ASK_ORG)
    {
      GPtrArray *partners = bnd_strategy_get_partners (self->strategy);
      g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

      for (guint i = 0; i < partners->len; i++)
        gtk_string_list_append (names, ((const BndPartner *)g_ptr_array_index (partners, i))->short_name);
      form->org = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (form->org), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Organisation"), -1);
      gtk_box_append (GTK_BOX (box), form->org);
    }
  if (form->ask & (ASK_REASON | ASK_EARLY_REASON))
    form->reason = add_entry (box, (form->ask & ASK_OUTCOME) ? _("Reason for the carrier") : _("Reason"), NULL);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "take", bnd_step_get_label (form->step), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "take",
                                              actions[index].destructive ? ADW_RESPONSE_DESTRUCTIVE
                                                                         : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "take");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_dialog_response_cb), form,
                         (GClosureNotify)(void (*) (void))form_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * bnd_dossier_actions_new:
 * @dossier: (nullable): the dossier as cached, with the procedure the server sent
 * @role: the signed-in account's role
 *
 * Returns: (nullable): the steps @role may take on @dossier now, or is about to; %NULL when
 *   there is none to show
 */
GtkWidget *
bnd_dossier_actions_new (BndSyncManager *sync,
                         BndStrategy    *strategy,
                         const char     *uuid,
                         JsonObject     *dossier,
                         BndRole         role)
{
  BndDossierActions *self;
  g_autoptr(GPtrArray) offered = bnd_dossier_offered_steps (dossier, role);
  BndDossierFacts facts;
  GtkWidget *group;
  guint shown = 0;

  self = g_object_new (BND_TYPE_DOSSIER_ACTIONS, NULL);
  self->sync = g_object_ref (sync);
  self->strategy = g_object_ref (strategy);
  self->uuid = g_strdup (uuid);
  bnd_dossier_facts_from_json (dossier, &facts);
  self->n_rated = facts.n_rated;
  self->n_entitled = facts.n_entitled;

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Next Steps"));
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      const BndOfferedStep *step = bnd_offered_steps_find (offered, actions[i].step);
      GtkWidget *row, *button;

      /* Shown: possible now, or once something is done first. Steps of another stage would
       * only be a long list of what is not possible. */
      if (!step->allowed && step->code != BND_PROCEDURE_ERROR_CONDITION)
        continue;
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(actions[i].description));
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      if (!step->allowed)
        /* Not possible yet: why, in a sentence the user can act on. */
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), step->reason);
      else if (step->step == BND_STEP_OPEN_VOTE)
        {
          /* Translators: the rating round's progress */
          g_autofree char *rated = g_strdup_printf (_("%u of %u rated"), facts.n_rated, facts.n_entitled);

          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), rated);
        }
      button = gtk_button_new_with_label (step->step == BND_STEP_SUBMIT ? _("Revise Sketch")
                                                                        : bnd_step_get_label (step->step));
      gtk_widget_set_name (button, bnd_step_to_string (step->step));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_sensitive (button, step->allowed);
      /* The steps that move the dossier on stand out; recording a recusal is on the side. */
      if (step->allowed && actions[i].destructive)
        gtk_widget_add_css_class (button, "destructive-action");
      else if (step->allowed && step->step != BND_STEP_RECUSE)
        gtk_widget_add_css_class (button, "suggested-action");
      g_object_set_data (G_OBJECT (button), "action", GUINT_TO_POINTER (i));
      g_signal_connect (button, "clicked", G_CALLBACK (on_step_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      g_hash_table_insert (self->rows, g_strdup (bnd_step_to_string (step->step)), row);
      /* Recusing the carrier's own organisation is a rule the alliance set, not the strategy. */
      if (step->step == BND_STEP_RECUSE)
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                   bnd_alliance_rule_new (self->strategy, BND_RULE_RECUSAL));
      shown++;
    }
  if (shown == 0)
    {
      g_object_unref (g_object_ref_sink (group));
      g_object_unref (g_object_ref_sink (self));
      return NULL;
    }
  adw_bin_set_child (ADW_BIN (self), group);
  return GTK_WIDGET (self);
}

static void
bnd_dossier_actions_dispose (GObject *object)
{
  BndDossierActions *self = (BndDossierActions *)object;

  g_clear_object (&self->sync);
  g_clear_object (&self->strategy);
  g_clear_pointer (&self->uuid, g_free);
  g_clear_pointer (&self->acting, g_free);
  g_clear_pointer (&self->rows, g_hash_table_unref);

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
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
