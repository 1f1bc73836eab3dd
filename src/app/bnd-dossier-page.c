/* bnd-dossier-page.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-dossier-page"

#include "config.h"

#include <glib/gi18n.h>

#include "bnd-dossier-actions.h"
#include "bnd-dossier-cache.h"
#include "bnd-dossier-steps.h"
#include "bnd-format.h"
#include "bnd-json-check.h"
#include "bnd-dossier-page-private.h"
#include "bnd-stage.h"

/* One dossier as the signed-in account sees it: where it stands and, once the long form is
 * in, by when the statement is due; the steps the account may take now (bnd-dossier-actions.c);
 * the rating round and the circulation vote, each with its form while open
 * (bnd-dossier-review.c); the first assessment; the documents and every submission
 * (bnd-dossier-documents.c); the thread and the audit trail. Everything is read from the
 * profile's cache, so it works offline; ratings and votes are queued in the profile and reach the
 * server with the next sync. */

G_DEFINE_FINAL_TYPE (BndDossierPage, bnd_dossier_page, GTK_TYPE_WIDGET)


const char *
_bnd_dossier_string_of (JsonObject *object,
                        const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

gboolean
_bnd_dossier_array_has_string (JsonArray  *array,
                               const char *text)
{
  for (guint i = 0; array && i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), text) == 0)
      return TRUE;
  return FALSE;
}

/* An organisation by the short name the pack gives it, or as the server knows it. */
const char *
_bnd_dossier_org_name (BndDossierPage *self,
                       const char     *org)
{
  const BndPartner *partner = bnd_strategy_find_partner (self->strategy, org);

  return partner ? partner->short_name : org ? org : "";
}

char *
_bnd_dossier_format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);

  return time ? bnd_format_date_time (time, bnd_locale_current ()) : g_strdup ("");
}

GtkWidget *
_bnd_dossier_text_row (const char *title,
                       const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle && *subtitle)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
    }
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  return row;
}

GtkWidget *
_bnd_dossier_placeholder_row (const char *text)
{
  GtkWidget *row = _bnd_dossier_text_row (text, NULL);

  gtk_widget_add_css_class (row, "dim-label");
  return row;
}

GtkWidget *
_bnd_dossier_new_group (GtkWidget  *box,
                        const char *title,
                        const char *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (description)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  gtk_box_append (GTK_BOX (box), group);
  return group;
}

/* Header */

static void
add_header (BndDossierPage   *self,
            GtkWidget        *page,
            BndSketchSummary *summary)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  g_autoptr(JsonNode) vote = _bnd_dossier_cached (self, "vote");
  JsonArray *recused = bnd_json_array_of (bnd_json_as_object (vote), "recused");
  g_autofree char *line = self->carrier ? g_strdup_printf ("%s · %s", bnd_stage_get_label (summary->stage),
                                                          _bnd_dossier_org_name (self, self->carrier))
                                        : g_strdup (bnd_stage_get_label (summary->stage));
  GtkWidget *title = gtk_label_new (summary->title && *summary->title ? summary->title : _("Untitled Sketch"));
  GtkWidget *subtitle = gtk_label_new (line);

  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "title-1");
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_box_append (GTK_BOX (page), box);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), subtitle);

  if (recused && json_array_get_length (recused) > 0)
    {
      g_autoptr(GString) names = g_string_new (NULL);
      g_autofree char *text = NULL;
      GtkWidget *label;

      for (guint i = 0; i < json_array_get_length (recused); i++)
        g_string_append_printf (names, "%s%s", i ? ", " : "", _bnd_dossier_org_name (self, json_array_get_string_element (recused, i)));
      /* Translators: organisations with a conflict of interest, who neither rate nor vote */
      text = g_strdup_printf (_("Recused: %s"), names->str);
      label = gtk_label_new (text);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "warning");
      gtk_box_append (GTK_BOX (box), label);
    }
}

/* The two weeks from the long form's receipt to the statement (strategy §4.1) */

static void
add_clock (BndDossierPage *self,
           GtkWidget      *box,
           JsonObject     *dossier)
{
  g_autofree char *text = NULL;
  GtkWidget *label;
  gboolean overdue;
  gint64 due;

  if (!bnd_dossier_statement_due (dossier, &due))
    return;
  text = bnd_statement_due_describe (due, g_get_real_time () / G_USEC_PER_SEC, &overdue);
  label = gtk_label_new (text);
  gtk_widget_set_name (label, "statement-due");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_add_css_class (label, overdue ? "overdue" : "dim-label");
  gtk_box_append (GTK_BOX (box), label);
}

/* First assessment */

static const char *
outcome_label (const char *outcome)
{
  if (g_strcmp0 (outcome, "positive") == 0)
    return _("Positive");
  if (g_strcmp0 (outcome, "needs-changes") == 0)
    return _("Needs changes");
  if (g_strcmp0 (outcome, "negative") == 0)
    return _("Negative");
  return outcome;
}

static void
add_input_row (GtkWidget  *group,
               const char *title,
               JsonObject *assessment,
               const char *text_member,
               const char *date_member)
{
  const char *text = _bnd_dossier_string_of (assessment, text_member);
  const char *date = _bnd_dossier_string_of (assessment, date_member);
  g_autofree char *subtitle = NULL;

  if (text == NULL && date == NULL)
    return;
  subtitle = date ? g_strdup_printf ("%s (%s)", text ? text : "", date) : g_strdup (text);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), _bnd_dossier_text_row (title, subtitle));
}

static void
add_assessment (BndDossierPage *self,
                GtkWidget      *box)
{
  g_autoptr(JsonNode) node = _bnd_dossier_cached (self, "assessment");
  JsonObject *assessment = bnd_json_as_object (node);
  GtkWidget *group = _bnd_dossier_new_group (box, _("First Assessment"), NULL);
  GtkWidget *row;

  if (assessment == NULL)
    {
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), _bnd_dossier_placeholder_row (_("Not recorded yet")));
      return;
    }
  row = _bnd_dossier_text_row (_("Outcome"), outcome_label (_bnd_dossier_string_of (assessment, "outcome")));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  add_input_row (group, _("NBank"), assessment, "nbank", "nbank_date");
  add_input_row (group, _("Ministry"), assessment, "ministry", "ministry_date");
  if (_bnd_dossier_string_of (assessment, "note"))
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                               _bnd_dossier_text_row (_("Note to the Carrier"), _bnd_dossier_string_of (assessment, "note")));
}

/* Thread */

static void
post_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(BndDossierPage) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  if (!(answer = bnd_sync_manager_call_finish (BND_SYNC_MANAGER (object), result, &error)))
    {
      g_autofree char *text = g_strdup_printf (_("The comment was not posted: %s"), error->message);

      gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", text);
      if (self->comment_entry)
        gtk_widget_set_sensitive (self->comment_entry, TRUE);
      return;
    }
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", _("Comment posted"));
  if (self->comment_entry)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->comment_entry), "");
      gtk_widget_set_sensitive (self->comment_entry, TRUE);
    }
}

static void
on_post_comment_cb (BndDossierPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->comment_entry));
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *path = bnd_dossier_cache_path (self->uuid, "comments");

  if (text[strspn (text, " \t\n")] == 0)
    return;
  json_object_set_string_member (object, "text", text);
  json_node_set_object (body, object);
  gtk_widget_set_sensitive (self->comment_entry, FALSE);
  bnd_sync_manager_call_async (self->sync, "POST", path, body, post_cb, g_object_ref (self));
}

static void
add_thread (BndDossierPage *self,
            GtkWidget      *box)
{
  g_autoptr(JsonNode) node = _bnd_dossier_cached (self, "comments");
  JsonArray *comments = bnd_json_array_of (bnd_json_as_object (node), "comments");
  GtkWidget *group = _bnd_dossier_new_group (box, _("Discussion"), _("Visible to the coordination, the partners and the carrier"));
  GtkWidget *button;

  for (guint i = 0; comments && i < json_array_get_length (comments); i++)
    {
      JsonObject *comment = json_array_get_object_element (comments, i);
      g_autofree char *when = _bnd_dossier_format_time (json_object_get_int_member_with_default (comment, "posted", 0));
      g_autofree char *author = g_strdup_printf ("%s, %s · %s", _bnd_dossier_string_of (comment, "author") ? _bnd_dossier_string_of (comment, "author") : "",
                                                 _bnd_dossier_org_name (self, _bnd_dossier_string_of (comment, "org")), when);
      GtkWidget *row = _bnd_dossier_text_row (_bnd_dossier_string_of (comment, "text") ? _bnd_dossier_string_of (comment, "text") : "", author);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  if (comments == NULL || json_array_get_length (comments) == 0)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), _bnd_dossier_placeholder_row (_("No comments yet")));

  self->comment_entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->comment_entry), _("Write a comment…"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->comment_entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Comment"), -1);
  gtk_widget_set_margin_top (self->comment_entry, 12);
  g_signal_connect_swapped (self->comment_entry, "activate", G_CALLBACK (on_post_comment_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->comment_entry);
  button = gtk_button_new_with_mnemonic (_("_Post"));
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_widget_set_margin_top (button, 6);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (on_post_comment_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), button);
}

/* Audit trail */

static char *
action_label (const char *action)
{
  static const struct { const char *action; const char *label; } labels[] = {
    { "submitted", N_("Sketch submitted") },
    { "attachment-added", N_("Document added") },
    { "assessment", N_("First assessment recorded") },
    { "recused", N_("Organisation recused") },
    { "vote-opened", N_("Circulation vote opened") },
    { "vote-cast", N_("Vote cast") },
    { "statement", N_("Statement issued") },
    { "session-agenda-added", N_("Put on the agenda of a Lenkungskreis session") },
    { "session-agenda-removed", N_("Taken off the agenda of a Lenkungskreis session") },
    { "session-outcome", N_("Outcome of a Lenkungskreis session recorded") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (labels[i].action, action) == 0)
      return g_strdup (_(labels[i].label));
  /* Every other entry is a move to the stage of that name. */
  return g_strdup_printf (_("Moved to “%s”"), bnd_stage_get_label (action));
}

static void
add_timeline (BndDossierPage *self,
              GtkWidget      *box)
{
  g_autoptr(JsonNode) node = _bnd_dossier_cached (self, "audit");
  JsonArray *entries = bnd_json_array_of (bnd_json_as_object (node), "entries");
  GtkWidget *group = _bnd_dossier_new_group (box, _("Timeline"), _("Every step on record, hash-chained on the server"));

  for (guint i = 0; entries && i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      JsonObject *detail = json_object_has_member (entry, "detail") ? bnd_json_as_object (json_object_get_member (entry, "detail")) : NULL;
      g_autofree char *title = action_label (_bnd_dossier_string_of (entry, "action"));
      g_autofree char *when = _bnd_dossier_format_time (json_object_get_int_member_with_default (entry, "at", 0));
      const char *comment = _bnd_dossier_string_of (detail, "comment");
      g_autofree char *subtitle = comment && *comment
                                  ? g_strdup_printf ("%s · %s\n%s", when, _bnd_dossier_string_of (entry, "actor"), comment)
                                  : g_strdup_printf ("%s · %s", when, _bnd_dossier_string_of (entry, "actor"));

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), _bnd_dossier_text_row (title, subtitle));
    }
  if (entries == NULL)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), _bnd_dossier_placeholder_row (_("Not synced yet")));
}

/* Builds the page from @read (taking it), which bnd-dossier-read.c read on the store's worker. */
static void
build (BndDossierPage *self,
       BndDossierRead *read)
{
  JsonNode *me = read->me;
  g_autoptr(JsonNode) vote = NULL;
  g_autoptr(JsonNode) dossier = NULL;
  g_autoptr(GPtrArray) offered = NULL;
  BndDossierFacts facts;
  BndRole role;
  g_autofree char *typed_comment = NULL;
  g_autofree char *typed_vote = NULL;
  g_autofree char *typed_rating = NULL;
  BndSketchSummary *summary = read->summary;
  GtkWidget *clamp, *box;
  gboolean entitled;

  /* A sync shows the same dossier again: what is being typed, and where the page was scrolled
   * to, survive it. */
  self->scroll_to = 0;
  if (self->read && g_str_equal (self->read->uuid, read->uuid))
    {
      self->scroll_to = gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller)));
      typed_comment = self->comment_entry ? g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->comment_entry))) : NULL;
      typed_vote = self->vote_comment ? g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->vote_comment))) : NULL;
      typed_rating = self->rating_comment ? g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->rating_comment))) : NULL;
    }
  g_clear_pointer (&self->read, _bnd_dossier_read_free);
  self->read = read;
  g_free (self->uuid);
  self->uuid = g_strdup (read->uuid);
  self->comment_entry = NULL;
  self->vote_comment = NULL;
  self->rating_comment = NULL;

  g_free (self->own_org);
  g_free (self->role);
  self->own_org = g_strdup (_bnd_dossier_string_of (bnd_json_as_object (me), "org"));
  self->role = g_strdup (_bnd_dossier_string_of (bnd_json_as_object (me), "role"));
  g_free (self->fingerprint);
  self->fingerprint = g_strdup (read->fingerprint);
  g_free (self->carrier);
  self->carrier = g_strdup (bnd_dossier_cache_find_carrier (read->portfolio, read->uuid));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  gtk_widget_set_margin_top (box, 24);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  add_header (self, box, summary);

  vote = _bnd_dossier_cached (self, "vote");
  dossier = _bnd_dossier_cached (self, "");
  if (!bnd_role_from_string (self->role, &role))
    role = BND_N_ROLES;
  offered = bnd_dossier_offered_steps (bnd_json_as_object (dossier), role);
  add_clock (self, box, bnd_json_as_object (dossier));
  {
    GtkWidget *actions = bnd_dossier_actions_new (self->sync, self->strategy, self->uuid,
                                                  bnd_json_as_object (dossier), role);

    if (actions)
      gtk_box_append (GTK_BOX (box), actions);
  }

  /* Entitled to rate and vote: what the rules say on the facts the server sent. Before the
   * first sync that brought them, a partner's seat whose organisation neither carries the
   * project nor is recused (the server decides; this only spares a form that would be refused). */
  if (bnd_dossier_facts_from_json (bnd_json_as_object (dossier), &facts))
    {
      /* The rating form for a seat that rates at this dossier's rating stage (a refusal for its
       * role or organisation hides it); the vote form only while it may vote. */
      entitled = bnd_offered_step_is_shown (bnd_offered_steps_find (offered, BND_STEP_RATE));
      self->may_vote = bnd_offered_steps_find (offered, BND_STEP_VOTE)->allowed;
    }
  else
    {
      entitled = g_strcmp0 (self->role, "partner") == 0 &&
                 g_strcmp0 (self->carrier, self->own_org) != 0 &&
                 !_bnd_dossier_array_has_string (bnd_json_array_of (bnd_json_as_object (vote), "recused"), self->own_org);
      self->may_vote = entitled;
    }
  /* What is to be done first: the open vote or rating round, once the dossier has got there. */
  if (g_str_equal (summary->stage, "vote") || bnd_json_as_object (vote))
    _bnd_dossier_page_add_vote (self, box);
  if (g_str_equal (summary->stage, "rating") || g_str_equal (summary->stage, "vote") || bnd_json_as_object (vote))
    _bnd_dossier_page_add_rating (self, box, summary->stage, entitled);
  add_assessment (self, box);
  _bnd_dossier_page_add_documents (self, box);
  _bnd_dossier_page_add_submissions (self, box);
  add_thread (self, box);
  add_timeline (self, box);

  if (typed_comment && *typed_comment && self->comment_entry)
    gtk_editable_set_text (GTK_EDITABLE (self->comment_entry), typed_comment);
  if (typed_vote && *typed_vote && self->vote_comment)
    gtk_editable_set_text (GTK_EDITABLE (self->vote_comment), typed_vote);
  if (typed_rating && *typed_rating && self->rating_comment)
    gtk_editable_set_text (GTK_EDITABLE (self->rating_comment), typed_rating);

  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 760);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), clamp);
}

static void start_reading (BndDossierPage *self);

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  BndDossierRead *read = _bnd_dossier_read_finish (BND_STORE (object), result, &error);
  BndDossierPage *self = user_data;

  /* Cancelled in dispose: @self is gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->reading = FALSE;
  if (read == NULL)
    g_warning ("Could not read the dossier: %s", error->message);
  /* Another dossier asked for meanwhile, or the profile without this one: nothing changes. */
  else if (self->read_again || g_strcmp0 (read->uuid, self->wanted) != 0 || read->summary == NULL || read->unchanged)
    _bnd_dossier_read_free (read);
  else
    {
      self->force = FALSE;
      _bnd_dossier_mark_read_async (self->store, read->uuid);
      build (self, read);
    }
  if (self->read_again)
    start_reading (self);
}

static void
start_reading (BndDossierPage *self)
{
  gboolean same = self->read && g_strcmp0 (self->read->uuid, self->wanted) == 0;

  self->read_again = FALSE;
  self->reading = TRUE;
  _bnd_dossier_read_async (self->store, self->wanted, same && !self->force ? self->fingerprint : NULL,
                           self->cancellable, read_cb, self);
}

static void
read_soon (BndDossierPage *self)
{
  if (self->store == NULL || self->wanted == NULL)
    return;
  if (self->reading)
    self->read_again = TRUE;
  else
    start_reading (self);
}

/**
 * bnd_dossier_page_show:
 *
 * Shows the dossier of the submitted sketch @uuid, as the profile knows it. It is read on the
 * store's worker; the page shows what it showed until then.
 */
void
bnd_dossier_page_show (BndDossierPage *self,
                       const char     *uuid)
{
  g_return_if_fail (BND_IS_DOSSIER_PAGE (self));

  /* @uuid may be self->wanted itself */
  if (uuid != self->wanted)
    {
      g_free (self->wanted);
      self->wanted = g_strdup (uuid);
    }
  self->force = TRUE;
  read_soon (self);
}

/**
 * bnd_dossier_page_refresh:
 *
 * Shows the dossier again after a sync, but only if something on it changed: a page built
 * anew loses what is being typed into its forms.
 */
void
bnd_dossier_page_refresh (BndDossierPage *self)
{
  g_return_if_fail (BND_IS_DOSSIER_PAGE (self));

  read_soon (self);
}

gboolean
bnd_dossier_page_is_loading (BndDossierPage *self)
{
  g_return_val_if_fail (BND_IS_DOSSIER_PAGE (self), FALSE);
  return self->reading || self->saving;
}

const char *
bnd_dossier_page_get_uuid (BndDossierPage *self)
{
  g_return_val_if_fail (BND_IS_DOSSIER_PAGE (self), NULL);
  return self->uuid;
}

void
bnd_dossier_page_set_context (BndDossierPage *self,
                              BndStore       *store,
                              BndStrategy    *strategy,
                              BndSyncManager *sync)
{
  g_return_if_fail (BND_IS_DOSSIER_PAGE (self));

  g_set_object (&self->store, store);
  g_set_object (&self->strategy, strategy);
  g_set_object (&self->sync, sync);
}

static void
bnd_dossier_page_dispose (GObject *object)
{
  BndDossierPage *self = (BndDossierPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->read, _bnd_dossier_read_free);
  g_clear_pointer (&self->scroller, gtk_widget_unparent);
  g_clear_object (&self->store);
  g_clear_object (&self->strategy);
  g_clear_object (&self->sync);
  g_clear_pointer (&self->uuid, g_free);
  g_clear_pointer (&self->wanted, g_free);
  g_clear_pointer (&self->own_org, g_free);
  g_clear_pointer (&self->role, g_free);
  g_clear_pointer (&self->carrier, g_free);
  g_clear_pointer (&self->fingerprint, g_free);
  g_clear_pointer (&self->score_buttons, g_ptr_array_unref);

  G_OBJECT_CLASS (bnd_dossier_page_parent_class)->dispose (object);
}

static void
bnd_dossier_page_class_init (BndDossierPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bnd_dossier_page_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_install_action (widget_class, "dossier.attach", "s", _bnd_dossier_page_attach_action);
}

static void
on_vadjustment_changed_cb (GtkAdjustment  *adjustment,
                           BndDossierPage *self)
{
  if (self->scroll_to > 0 &&
      gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment) >= self->scroll_to)
    {
      gtk_adjustment_set_value (adjustment, self->scroll_to);
      self->scroll_to = 0;
    }
}

static void
bnd_dossier_page_init (BndDossierPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));
  g_signal_connect (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller)), "changed",
                    G_CALLBACK (on_vadjustment_changed_cb), self);
}

GtkWidget *
bnd_dossier_page_new (void)
{
  return g_object_new (BND_TYPE_DOSSIER_PAGE, NULL);
}
