/* bnd-dossier-review.c: the dossier page's rating round and circulation vote, each with its form while open
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-dossier-review"

#include "config.h"

#include <glib/gi18n.h>

#include "bnd-alliance-rule.h"
#include "bnd-dossier-cache.h"
#include "bnd-dossier-page-private.h"
#include "bnd-dossier-steps.h"
#include "bnd-format.h"
#include "bnd-json-check.h"
#include "bnd-page-util.h"
#include "bnd-tasks.h"

static const char *choices[] = { "yes", "no", "abstain" };

/* Rating */

static void
add_rating_summary (BndDossierPage *self,
                    GtkWidget      *group,
                    JsonObject     *ratings)
{
  JsonNode *node = json_object_get_member (ratings, "summary");
  JsonObject *summary = bnd_json_as_object (node);
  GPtrArray *criteria = bnd_strategy_get_review (self->strategy)->criteria;

  for (guint i = 0; summary && i < criteria->len; i++)
    {
      const BndRatingCriterion *criterion = g_ptr_array_index (criteria, i);
      JsonObject *figures = json_object_has_member (summary, criterion->id)
                            ? json_object_get_object_member (summary, criterion->id) : NULL;
      g_autofree char *text = NULL;
      g_autofree char *mean = bnd_format_decimal (figures ? json_object_get_double_member_with_default (figures, "mean", 0) : 0,
                                                  1, bnd_locale_current ());

      if (figures == NULL || json_object_get_int_member_with_default (figures, "n", 0) == 0)
        text = g_strdup (_("No ratings"));
      else
        /* Translators: mean score, lowest–highest, and how many organisations rated */
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Mean %s (%lld–%lld), %lld rating",
                                             "Mean %s (%lld–%lld), %lld ratings",
                                             json_object_get_int_member (figures, "n")),
                                mean,
                                (long long)json_object_get_int_member_with_default (figures, "min", 0),
                                (long long)json_object_get_int_member_with_default (figures, "max", 0),
                                (long long)json_object_get_int_member (figures, "n"));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), _bnd_dossier_text_row (criterion->title, text));
    }
}

static JsonObject *
own_rating (BndDossierPage *self,
            JsonObject     *ratings)
{
  JsonArray *list = bnd_json_array_of (ratings, "ratings");

  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      JsonObject *rating = json_array_get_object_element (list, i);

      if (g_strcmp0 (_bnd_dossier_string_of (rating, "org"), self->own_org) == 0)
        return rating;
    }
  return NULL;
}

/* Queuing a rating or a vote: one job on the store's worker, as the sync that takes it to the
 * server reads the queue there too. */
typedef struct
{
  gboolean  vote;
  char     *dossier;
  char     *what;      /* the choice, or the scores as JSON */
  char     *comment;
} Queued;

static void
queued_free (Queued *queued)
{
  g_free (queued->dossier);
  g_free (queued->what);
  g_free (queued->comment);
  g_free (queued);
}

static gpointer
queue_job (BndStore  *store,
           gpointer   data,
           GError   **error)
{
  Queued *queued = data;
  gboolean done = queued->vote ? bnd_store_queue_vote (store, queued->dossier, queued->what, queued->comment, error)
                               : bnd_store_queue_rating (store, queued->dossier, queued->what, queued->comment, error);

  return done ? GINT_TO_POINTER (TRUE) : NULL;
}

static void
queued_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data,
             gboolean      vote)
{
  g_autoptr(GError) error = NULL;
  gboolean done = bnd_store_call_finish (BND_STORE (object), result, &error) != NULL;
  g_autoptr(BndDossierPage) self = user_data;

  /* The page was disposed meanwhile (its cancellable goes in dispose): the vote or rating is
   * stored all the same, as the job ran uncancelled; there is just nobody left to tell. */
  if (self->cancellable == NULL)
    return;
  self->saving = FALSE;
  if (!done)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", error->message);
      return;
    }
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s",
                              vote ? _("Vote saved; it is sent with the next sync")
                                   : _("Rating saved; it is sent with the next sync"));
  bnd_sync_manager_sync_now (self->sync);
  /* Read again to show the queued vote, unless another dossier was opened meanwhile: that one */
  bnd_dossier_page_show (self, self->wanted ? self->wanted : self->uuid);
}

static void
queued_vote_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  queued_done (object, result, user_data, TRUE);
}

static void
queued_rating_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  queued_done (object, result, user_data, FALSE);
}

static void
queue (BndDossierPage *self,
       gboolean        vote,
       const char     *what,
       const char     *comment)
{
  Queued *queued = g_new0 (Queued, 1);

  queued->vote = vote;
  queued->dossier = g_strdup (self->uuid);
  queued->what = g_strdup (what);
  queued->comment = g_strdup (comment);
  self->saving = TRUE;
  /* Not cancellable: a vote given is kept even when the window closes while the store is busy
   * (pending jobs are flushed at quit). The page is kept until the answer. */
  bnd_store_call_async (self->store, queue_job, queued, (GDestroyNotify)queued_free, NULL, NULL,
                        vote ? queued_vote_cb : queued_rating_cb, g_object_ref (self));
}

static void
on_save_rating_clicked_cb (BndDossierPage *self)
{
  GPtrArray *criteria = bnd_strategy_get_review (self->strategy)->criteria;
  g_autoptr(JsonObject) scores = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;

  /* A second click while the first is being queued */
  if (self->saving)
    return;
  for (guint i = 0; i < criteria->len; i++)
    json_object_set_int_member (scores, ((const BndRatingCriterion *)g_ptr_array_index (criteria, i))->id,
                                gtk_spin_button_get_value_as_int (g_ptr_array_index (self->score_buttons, i)));
  json_node_set_object (node, scores);
  text = json_to_string (node, FALSE);
  queue (self, FALSE, text, gtk_editable_get_text (GTK_EDITABLE (self->rating_comment)));
}

/* What became of this profile's rating or vote, unless it was simply counted. */
static void
add_queued_state (GtkWidget  *group,
                  const char *state,
                  const char *message)
{
  GtkWidget *row;

  if (g_strcmp0 (state, "queued") == 0)
    row = _bnd_dossier_placeholder_row (_("Queued: it is sent with the next sync"));
  else if (g_strcmp0 (state, "refused") == 0)
    {
      row = _bnd_dossier_text_row (_("Not counted"), message);
      gtk_widget_add_css_class (row, "error");
    }
  else
    return;
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
}

void
_bnd_dossier_page_add_rating (BndDossierPage *self,
                              GtkWidget      *box,
                              const char     *stage,
                              gboolean        entitled)
{
  const BndReview *review = bnd_strategy_get_review (self->strategy);
  g_autoptr(JsonNode) node = _bnd_dossier_cached (self, "ratings");
  g_autoptr(JsonNode) dossier = _bnd_dossier_cached (self, "");
  BndDossierFacts facts;
  GPtrArray *queued = self->read->own_ratings;
  JsonObject *ratings = bnd_json_as_object (node);
  JsonObject *own = own_rating (self, ratings);
  JsonObject *own_scores = own && json_object_has_member (own, "scores") ? json_object_get_object_member (own, "scores") : NULL;
  BndQueuedRating *mine = NULL;
  GtkWidget *group, *button, *row;
  g_autofree char *description = NULL;

  for (guint i = 0; queued && i < queued->len; i++)
    if (g_str_equal (((BndQueuedRating *)g_ptr_array_index (queued, i))->dossier, self->uuid))
      mine = g_ptr_array_index (queued, i);

  /* Translators: the rating scale, e.g. "Each criterion from 1 to 5" */
  description = g_strdup_printf (_("Each criterion from %d to %d; other organisations' ratings are shown once the round has closed"),
                                 review->scale_min, review->scale_max);
  group = _bnd_dossier_new_group (box, _("Rating by the Partners"), description);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), bnd_alliance_rule_new (self->strategy, BND_RULE_RATING_CRITERIA));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), bnd_alliance_rule_new (self->strategy, BND_RULE_RATING_SCALE));
  if (g_str_equal (stage, "rating") && bnd_dossier_facts_from_json (bnd_json_as_object (dossier), &facts) &&
      facts.n_entitled > 0)
    {
      /* Translators: the rating round's progress, such as "3 of 13 rated" */
      g_autofree char *progress = g_strdup_printf (_("%u of %u rated"), facts.n_rated, facts.n_entitled);
      GtkWidget *progress_row = _bnd_dossier_text_row (_("Progress"), progress);

      gtk_widget_set_name (progress_row, "rating-progress");
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), progress_row);
    }

  if (ratings && json_object_get_boolean_member_with_default (ratings, "closed", FALSE))
    {
      add_rating_summary (self, group, ratings);
      return;
    }
  if (!g_str_equal (stage, "rating"))
    {
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 _bnd_dossier_placeholder_row (_("The rating round opens when the long form has been received")));
      return;
    }
  if (!entitled)
    {
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 _bnd_dossier_placeholder_row (_("The partners' seats rate; the carrier and recused organisations do not")));
      return;
    }

  g_clear_pointer (&self->score_buttons, g_ptr_array_unref);
  self->score_buttons = g_ptr_array_new ();
  for (guint i = 0; i < review->criteria->len; i++)
    {
      const BndRatingCriterion *criterion = g_ptr_array_index (review->criteria, i);
      g_autoptr(JsonNode) queued_scores = mine ? json_from_string (mine->scores, NULL) : NULL;
      JsonObject *from = bnd_json_as_object (queued_scores) ? bnd_json_as_object (queued_scores) : own_scores;
      GtkWidget *spin = gtk_spin_button_new_with_range (review->scale_min, review->scale_max, 1);

      gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin),
                                 from ? json_object_get_int_member_with_default (from, criterion->id, review->scale_min)
                                      : (review->scale_min + review->scale_max) / 2);
      gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
      bnd_spin_button_guard_scroll (GTK_SPIN_BUTTON (spin));
      row = _bnd_dossier_text_row (criterion->title, criterion->description);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
      gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, criterion->title, -1);
      g_ptr_array_add (self->score_buttons, spin);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }

  self->rating_comment = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->rating_comment), _("Comment (optional)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->rating_comment),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Comment on the rating (optional)"), -1);
  gtk_editable_set_text (GTK_EDITABLE (self->rating_comment),
                         mine ? mine->comment : own ? (_bnd_dossier_string_of (own, "comment") ? _bnd_dossier_string_of (own, "comment") : "") : "");
  gtk_widget_set_margin_top (self->rating_comment, 12);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->rating_comment);

  if (mine)
    add_queued_state (group, mine->state, mine->message);

  button = gtk_button_new_with_mnemonic (own || mine ? _("_Update Rating") : _("_Save Rating"));
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_widget_set_margin_top (button, 12);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (on_save_rating_clicked_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), button);
}

/* Vote */

static const char *
choice_label (const char *choice)
{
  if (g_strcmp0 (choice, "yes") == 0)
    return _("Yes");
  if (g_strcmp0 (choice, "no") == 0)
    return _("No");
  return _("Abstain");
}

static void
on_cast_vote_clicked_cb (BndDossierPage *self)
{
  const char *choice = NULL;

  if (self->saving)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (choices); i++)
    if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->vote_buttons[i])))
      choice = choices[i];
  if (choice == NULL)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", _("Choose yes, no or abstain first"));
      return;
    }
  queue (self, TRUE, choice, gtk_editable_get_text (GTK_EDITABLE (self->vote_comment)));
}

static void
add_vote_result (BndDossierPage *self,
                 GtkWidget      *group,
                 JsonObject     *vote)
{
  JsonObject *result = json_object_has_member (vote, "result") ? json_object_get_object_member (vote, "result") : NULL;
  JsonArray *ballots = bnd_json_array_of (vote, "ballots");
  g_autofree char *counts = NULL;
  GtkWidget *row;

  if (result)
    {
      gboolean adopted = json_object_get_boolean_member_with_default (result, "adopted", FALSE);

      /* Translators: the tally of a closed vote */
      counts = g_strdup_printf (_("Yes %lld, no %lld, abstain %lld; %s"),
                                (long long)json_object_get_int_member_with_default (result, "yes", 0),
                                (long long)json_object_get_int_member_with_default (result, "no", 0),
                                (long long)json_object_get_int_member_with_default (result, "abstain", 0),
                                json_object_get_boolean_member_with_default (result, "quorum", FALSE)
                                ? _("quorum reached") : _("quorum not reached"));
      row = _bnd_dossier_text_row (adopted ? _("Adopted") : _("Not adopted"), counts);
      gtk_widget_add_css_class (row, adopted ? "success" : "error");
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  for (guint i = 0; ballots && i < json_array_get_length (ballots); i++)
    {
      JsonObject *ballot = json_array_get_object_element (ballots, i);
      const char *comment = _bnd_dossier_string_of (ballot, "comment");

      row = _bnd_dossier_text_row (_bnd_dossier_org_name (self, _bnd_dossier_string_of (ballot, "org")), comment && *comment ? comment : NULL);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_label_new (choice_label (_bnd_dossier_string_of (ballot, "choice"))));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
}

static void
add_vote_form (BndDossierPage      *self,
               GtkWidget           *group,
               JsonObject          *vote,
               const BndQueuedVote *mine)
{
  JsonObject *counted = bnd_dossier_cache_find_ballot (vote, self->own_org);
  const char *current = mine ? mine->choice : _bnd_dossier_string_of (counted, "choice");
  GtkWidget *choice_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *row = _bnd_dossier_text_row (_("Your organisation's vote"),
                             _("Changeable until the vote closes; nobody sees it before then"));
  GtkWidget *button;

  gtk_widget_add_css_class (choice_box, "linked");
  gtk_widget_set_valign (choice_box, GTK_ALIGN_CENTER);
  for (guint i = 0; i < G_N_ELEMENTS (choices); i++)
    {
      self->vote_buttons[i] = gtk_toggle_button_new_with_label (choice_label (choices[i]));
      if (i > 0)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (self->vote_buttons[i]), GTK_TOGGLE_BUTTON (self->vote_buttons[0]));
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->vote_buttons[i]), g_strcmp0 (current, choices[i]) == 0);
      gtk_box_append (GTK_BOX (choice_box), self->vote_buttons[i]);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), choice_box);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);

  self->vote_comment = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->vote_comment), _("Comment (optional)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->vote_comment),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Comment on the vote (optional)"), -1);
  gtk_editable_set_text (GTK_EDITABLE (self->vote_comment),
                         mine ? mine->comment : _bnd_dossier_string_of (counted, "comment") ? _bnd_dossier_string_of (counted, "comment") : "");
  gtk_widget_set_margin_top (self->vote_comment, 12);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->vote_comment);

  if (mine)
    add_queued_state (group, mine->state, mine->message);

  button = gtk_button_new_with_mnemonic (current ? _("_Change Vote") : _("_Cast Vote"));
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_widget_set_margin_top (button, 12);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (on_cast_vote_clicked_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), button);
}

void
_bnd_dossier_page_add_vote (BndDossierPage *self,
                            GtkWidget      *box)
{
  g_autoptr(JsonNode) node = _bnd_dossier_cached (self, "vote");
  GPtrArray *queued = self->read->own_votes;
  JsonObject *vote = bnd_json_as_object (node);
  GtkWidget *group = _bnd_dossier_new_group (box, _("Circulation Vote"), NULL);
  BndQueuedVote *mine = NULL;
  g_autofree char *deadline = NULL;
  g_autofree char *turnout = NULL;
  gboolean closed;

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), bnd_alliance_rule_new (self->strategy, BND_RULE_QUORUM));
  for (guint i = 0; queued && i < queued->len; i++)
    if (g_str_equal (((BndQueuedVote *)g_ptr_array_index (queued, i))->dossier, self->uuid))
      mine = g_ptr_array_index (queued, i);

  if (vote == NULL)
    {
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), _bnd_dossier_placeholder_row (_("No vote has been opened")));
      if (mine)
        add_queued_state (group, mine->state, mine->message);
      return;
    }

  closed = json_object_get_boolean_member_with_default (vote, "closed", FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), _bnd_dossier_text_row (_("Question"), _bnd_dossier_string_of (vote, "question")));
  deadline = _bnd_dossier_format_time (json_object_get_int_member_with_default (vote, "deadline", 0));
  {
    BndTask task = { .deadline = json_object_get_int_member_with_default (vote, "deadline", 0) };
    g_autofree char *due = closed ? g_strdup (_("Closed")) : bnd_task_describe_due (&task, g_get_real_time () / G_USEC_PER_SEC);
    g_autofree char *text = g_strdup_printf ("%s (%s)", deadline, due ? due : "");

    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), _bnd_dossier_text_row (_("Deadline"), text));
  }
  turnout = g_strdup_printf (_("%lld of %lld organisations have voted"),
                             (long long)json_object_get_int_member_with_default (vote, "voted", 0),
                             (long long)json_object_get_int_member_with_default (vote, "entitled", 0));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), _bnd_dossier_text_row (_("Participation"), turnout));

  if (closed)
    {
      add_vote_result (self, group, vote);
      if (mine && g_str_equal (mine->state, "refused"))
        add_queued_state (group, mine->state, mine->message);
    }
  else if (self->may_vote && bnd_dossier_cache_find_ballot (vote, self->own_org))
    add_vote_form (self, group, vote, mine);
  else if (mine)
    add_queued_state (group, mine->state, mine->message);
}
