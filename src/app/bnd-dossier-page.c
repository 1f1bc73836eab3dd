/* bnd-dossier-page.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-dossier-page"

#include "config.h"

#include <glib/gi18n.h>
#include <poppler.h>

#include "bnd-dossier-actions.h"
#include "bnd-dossier-cache.h"
#include "bnd-json-check.h"
#include "bnd-alliance-rule.h"
#include "bnd-dossier-page.h"
#include "bnd-pdf-preview.h"
#include "bnd-stage.h"
#include "bnd-tasks.h"

/* One dossier as the partners see it: where it stands, the first assessment, its documents with
 * thumbnails, the rating round and the circulation vote (each with its form while open), the
 * thread and the audit trail. Everything is read from the profile's cache, so it works offline;
 * ratings and votes are queued in the profile and reach the server with the next sync. */

#define THUMBNAIL_WIDTH 48

struct _BndDossierPage
{
  GtkWidget       parent_instance;

  GtkWidget      *scroller;
  double          scroll_to;     /* where to scroll once the page shown again is tall enough */

  BndStore       *store;
  BndStrategy    *strategy;
  BndSyncManager *sync;
  char           *uuid;
  char           *own_org;
  char           *role;
  char           *carrier;     /* the carrier's organisation, if the portfolio tells */
  char           *fingerprint; /* of what the page shows, see bnd_dossier_page_refresh() */

  /* The open forms */
  GPtrArray      *score_buttons;   /* GtkSpinButton, one per criterion */
  GtkWidget      *rating_comment;
  GtkWidget      *vote_buttons[3];
  GtkWidget      *vote_comment;
  GtkWidget      *comment_entry;
};

G_DEFINE_FINAL_TYPE (BndDossierPage, bnd_dossier_page, GTK_TYPE_WIDGET)

static const char *choices[] = { "yes", "no", "abstain" };

static JsonNode *
cached (BndDossierPage *self,
        const char     *what)
{
  g_autofree char *path = bnd_dossier_cache_path (self->uuid, what);

  return bnd_dossier_cache_get_json (self->store, path);
}

static const char *
string_of (JsonObject *object,
           const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

static gboolean
array_has_string (JsonArray  *array,
                  const char *text)
{
  for (guint i = 0; array && i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), text) == 0)
      return TRUE;
  return FALSE;
}

/* An organisation by the short name the pack gives it, or as the server knows it. */
static const char *
org_name (BndDossierPage *self,
          const char     *org)
{
  const BndPartner *partner = bnd_strategy_find_partner (self->strategy, org);

  return partner ? partner->short_name : org ? org : "";
}

static char *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);

  return time ? g_date_time_format (time, "%Y-%m-%d %H:%M") : g_strdup ("");
}

static GtkWidget *
text_row (const char *title,
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

static GtkWidget *
placeholder_row (const char *text)
{
  GtkWidget *row = text_row (text, NULL);

  gtk_widget_add_css_class (row, "dim-label");
  return row;
}

static GtkWidget *
new_group (GtkWidget  *box,
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
  g_autoptr(JsonNode) vote = cached (self, "vote");
  JsonArray *recused = bnd_json_array_of (bnd_json_as_object (vote), "recused");
  g_autofree char *line = self->carrier ? g_strdup_printf ("%s · %s", bnd_stage_get_label (summary->stage),
                                                          org_name (self, self->carrier))
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
        g_string_append_printf (names, "%s%s", i ? ", " : "", org_name (self, json_array_get_string_element (recused, i)));
      /* Translators: organisations with a conflict of interest, who neither rate nor vote */
      text = g_strdup_printf (_("Recused: %s"), names->str);
      label = gtk_label_new (text);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "warning");
      gtk_box_append (GTK_BOX (box), label);
    }
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
  const char *text = string_of (assessment, text_member);
  const char *date = string_of (assessment, date_member);
  g_autofree char *subtitle = NULL;

  if (text == NULL && date == NULL)
    return;
  subtitle = date ? g_strdup_printf ("%s (%s)", text ? text : "", date) : g_strdup (text);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), text_row (title, subtitle));
}

static void
add_assessment (BndDossierPage *self,
                GtkWidget      *box)
{
  g_autoptr(JsonNode) node = cached (self, "assessment");
  JsonObject *assessment = bnd_json_as_object (node);
  GtkWidget *group = new_group (box, _("First Assessment"), NULL);
  GtkWidget *row;

  if (assessment == NULL)
    {
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), placeholder_row (_("Not recorded yet")));
      return;
    }
  row = text_row (_("Outcome"), outcome_label (string_of (assessment, "outcome")));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  add_input_row (group, _("NBank"), assessment, "nbank", "nbank_date");
  add_input_row (group, _("Ministry"), assessment, "ministry", "ministry_date");
  if (string_of (assessment, "note"))
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                               text_row (_("Note to the Carrier"), string_of (assessment, "note")));
}

/* Documents */

static GtkWidget *
thumbnail_new (GBytes *pdf)
{
  PopplerDocument *document = poppler_document_new_from_bytes (pdf, NULL, NULL);
  GtkWidget *picture = gtk_picture_new ();

  gtk_widget_set_size_request (picture, THUMBNAIL_WIDTH, THUMBNAIL_WIDTH * 297 / 210);
  gtk_widget_set_valign (picture, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (picture, "thumbnail");
  if (document && poppler_document_get_n_pages (document) > 0)
    {
      PopplerPage *page = poppler_document_get_page (document, 0);
      double width, height;
      g_autoptr(GdkTexture) texture = NULL;

      poppler_page_get_size (page, &width, &height);
      texture = bnd_pdf_render_page (page, 2.0 * THUMBNAIL_WIDTH / width);
      gtk_picture_set_paintable (GTK_PICTURE (picture), GDK_PAINTABLE (texture));
      g_object_unref (page);
    }
  g_clear_object (&document);
  return picture;
}

static void
on_document_activated_cb (AdwActionRow *row,
                          gpointer      user_data)
{
  GBytes *pdf = g_object_get_data (G_OBJECT (row), "pdf");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (row));
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *preview = bnd_pdf_preview_new ();

  gtk_window_set_title (GTK_WINDOW (window), adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 800);
  gtk_widget_set_vexpand (preview, TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), preview);
  adw_window_set_content (ADW_WINDOW (window), box);
  bnd_pdf_preview_set_pdf (BND_PDF_PREVIEW (preview), pdf);
  gtk_window_present (GTK_WINDOW (window));
}

static void
add_document_row (GtkWidget  *group,
                  GBytes     *pdf,
                  const char *title,
                  const char *subtitle)
{
  GtkWidget *row = text_row (title, subtitle);
  GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

  adw_action_row_add_prefix (ADW_ACTION_ROW (row), thumbnail_new (pdf));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "pdf", g_bytes_ref (pdf), (GDestroyNotify)g_bytes_unref);
  g_signal_connect (row, "activated", G_CALLBACK (on_document_activated_cb), NULL);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
}

static const char *
kind_label (const char *kind)
{
  if (g_strcmp0 (kind, "long-form") == 0)
    return _("Long form");
  if (g_strcmp0 (kind, "letter-of-intent") == 0)
    return _("Letter of intent");
  return _("Other document");
}

/* The carrier's own dossier: the carrier adds the long form and letters of intent. */
static gboolean
carries_dossier (BndDossierPage *self)
{
  if (self->carrier)
    return g_strcmp0 (self->carrier, self->own_org) == 0;
  return g_strcmp0 (self->role, "carrier") == 0;
}

static GtkWidget *
attach_button_new (void)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  GtkWidget *button = gtk_menu_button_new ();

  g_menu_append (menu, _("Long Form…"), "dossier.attach::long-form");
  g_menu_append (menu, _("Letter of Intent…"), "dossier.attach::letter-of-intent");
  g_menu_append (menu, _("Other Document…"), "dossier.attach::other");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_menu_button_set_label (GTK_MENU_BUTTON (button), _("Add PDF"));
  gtk_widget_add_css_class (button, "flat");
  return button;
}

static void
uploaded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(BndDossierPage) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!(answer = bnd_sync_manager_call_finish (BND_SYNC_MANAGER (object), result, &error)))
    message = g_strdup_printf (_("The document was not added: %s"), error->message);
  else
    message = g_strdup (_("Document added; it shows after this sync"));
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", message);
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BndDossierPage) self = user_data;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (G_FILE (object));
  g_autofree char *escaped = g_uri_escape_string (name, NULL, FALSE);
  g_autofree char *path = NULL;
  const char *kind = g_object_get_data (object, "kind");

  if (!(pdf = g_file_load_bytes_finish (G_FILE (object), result, NULL, &error)))
    {
      g_autofree char *message = g_strdup_printf (_("The document was not added: %s"), error->message);

      gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", message);
      return;
    }
  /* The server checks that it is a PDF and not too large, and says so in a translated message. */
  path = g_strdup_printf ("/dossiers/%s/attachments?kind=%s&name=%s", self->uuid, kind, escaped);
  bnd_sync_manager_upload_async (self->sync, path, "application/pdf", pdf, uploaded_cb, g_object_ref (self));
}

static void
on_attach_response_cb (GtkNativeDialog *dialog,
                       int              response,
                       BndDossierPage  *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))))
    {
      g_object_set_data_full (G_OBJECT (file), "kind", g_strdup (g_object_get_data (G_OBJECT (dialog), "kind")), g_free);
      g_file_load_bytes_async (file, NULL, loaded_cb, g_object_ref (self));
    }
  g_object_unref (dialog);
}

static void
attach_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BndDossierPage *self = BND_DOSSIER_PAGE (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Add a PDF to the Dossier"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Add"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_object_set_data_full (G_OBJECT (dialog), "kind", g_variant_dup_string (parameter, NULL), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_attach_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
add_documents (BndDossierPage *self,
               GtkWidget      *box)
{
  g_autoptr(JsonNode) node = cached (self, "attachments");
  g_autofree char *statement_path = bnd_dossier_cache_path (self->uuid, "statement");
  g_autoptr(GBytes) statement = bnd_store_cache_get (self->store, statement_path);
  g_autofree char *sketch_path = bnd_dossier_cache_sketch_path (self->uuid);
  g_autoptr(GBytes) sketch = bnd_store_cache_get (self->store, sketch_path);
  JsonArray *attachments = bnd_json_array_of (bnd_json_as_object (node), "attachments");
  GtkWidget *group = new_group (box, _("Documents"), NULL);
  guint shown = 0;

  if (carries_dossier (self))
    adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), attach_button_new ());

  if (sketch)
    {
      add_document_row (group, sketch, _("Project sketch"), _("As submitted to the network coordination"));
      shown++;
    }
  if (statement)
    {
      add_document_row (group, statement, _("Statement of the Lenkungskreis"), _("Issued after the circulation vote"));
      shown++;
    }
  for (guint i = 0; attachments && i < json_array_get_length (attachments); i++)
    {
      JsonObject *attachment = json_array_get_object_element (attachments, i);
      g_autofree char *path = NULL;
      g_autofree char *size = NULL;
      g_autofree char *when = NULL;
      g_autofree char *subtitle = NULL;
      g_autoptr(GBytes) pdf = NULL;

      if (attachment == NULL)
        continue;
      path = bnd_dossier_cache_attachment_path (self->uuid, attachment);
      if (!(pdf = bnd_store_cache_get (self->store, path)))
        continue;
      size = g_format_size (json_object_get_int_member_with_default (attachment, "size", 0));
      when = format_time (json_object_get_int_member_with_default (attachment, "uploaded", 0));
      /* Translators: kind of document · size · who uploaded it · when */
      subtitle = g_strdup_printf (_("%s · %s · %s · %s"), kind_label (string_of (attachment, "kind")), size,
                                  string_of (attachment, "uploaded_by") ? string_of (attachment, "uploaded_by") : "",
                                  when);
      add_document_row (group, pdf, string_of (attachment, "name") ? string_of (attachment, "name") : "", subtitle);
      shown++;
    }
  if (shown == 0)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), placeholder_row (_("No documents yet")));
}

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

      if (figures == NULL || json_object_get_int_member_with_default (figures, "n", 0) == 0)
        text = g_strdup (_("No ratings"));
      else
        /* Translators: mean score, lowest–highest, and how many organisations rated */
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Mean %.1f (%lld–%lld), %lld rating",
                                             "Mean %.1f (%lld–%lld), %lld ratings",
                                             json_object_get_int_member (figures, "n")),
                                json_object_get_double_member_with_default (figures, "mean", 0),
                                (long long)json_object_get_int_member_with_default (figures, "min", 0),
                                (long long)json_object_get_int_member_with_default (figures, "max", 0),
                                (long long)json_object_get_int_member (figures, "n"));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), text_row (criterion->title, text));
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

      if (g_strcmp0 (string_of (rating, "org"), self->own_org) == 0)
        return rating;
    }
  return NULL;
}

static void
on_save_rating_clicked_cb (BndDossierPage *self)
{
  GPtrArray *criteria = bnd_strategy_get_review (self->strategy)->criteria;
  g_autoptr(JsonObject) scores = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *toast_target = GTK_WIDGET (self);

  for (guint i = 0; i < criteria->len; i++)
    json_object_set_int_member (scores, ((const BndRatingCriterion *)g_ptr_array_index (criteria, i))->id,
                                gtk_spin_button_get_value_as_int (g_ptr_array_index (self->score_buttons, i)));
  json_node_set_object (node, scores);
  text = json_to_string (node, FALSE);
  if (!bnd_store_queue_rating (self->store, self->uuid, text,
                               gtk_editable_get_text (GTK_EDITABLE (self->rating_comment)), &error))
    {
      gtk_widget_activate_action (toast_target, "win.toast", "s", error->message);
      return;
    }
  gtk_widget_activate_action (toast_target, "win.toast", "s", _("Rating saved; it is sent with the next sync"));
  bnd_sync_manager_sync_now (self->sync);
  bnd_dossier_page_show (self, self->uuid);
}

/* What became of this profile's rating or vote, unless it was simply counted. */
static void
add_queued_state (GtkWidget  *group,
                  const char *state,
                  const char *message)
{
  GtkWidget *row;

  if (g_strcmp0 (state, "queued") == 0)
    row = placeholder_row (_("Queued: it is sent with the next sync"));
  else if (g_strcmp0 (state, "refused") == 0)
    {
      row = text_row (_("Not counted"), message);
      gtk_widget_add_css_class (row, "error");
    }
  else
    return;
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
}

static void
add_rating (BndDossierPage *self,
            GtkWidget      *box,
            const char     *stage,
            gboolean        entitled)
{
  const BndReview *review = bnd_strategy_get_review (self->strategy);
  g_autoptr(JsonNode) node = cached (self, "ratings");
  g_autoptr(GPtrArray) queued = bnd_store_list_own_ratings (self->store, NULL);
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
  group = new_group (box, _("Rating by the Partners"), description);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), bnd_alliance_rule_new (self->strategy, BND_RULE_RATING_CRITERIA));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), bnd_alliance_rule_new (self->strategy, BND_RULE_RATING_SCALE));

  if (ratings && json_object_get_boolean_member_with_default (ratings, "closed", FALSE))
    {
      add_rating_summary (self, group, ratings);
      return;
    }
  if (!g_str_equal (stage, "rating"))
    {
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 placeholder_row (_("The rating round opens when the long form has been received")));
      return;
    }
  if (!entitled)
    {
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 placeholder_row (_("The partners' seats rate; the carrier and recused organisations do not")));
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
      row = text_row (criterion->title, criterion->description);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
      gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, criterion->title, -1);
      g_ptr_array_add (self->score_buttons, spin);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }

  self->rating_comment = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->rating_comment), _("Comment (optional)"));
  gtk_editable_set_text (GTK_EDITABLE (self->rating_comment),
                         mine ? mine->comment : own ? (string_of (own, "comment") ? string_of (own, "comment") : "") : "");
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
  g_autoptr(GError) error = NULL;
  const char *choice = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (choices); i++)
    if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->vote_buttons[i])))
      choice = choices[i];
  if (choice == NULL)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", _("Choose yes, no or abstain first"));
      return;
    }
  if (!bnd_store_queue_vote (self->store, self->uuid, choice,
                             gtk_editable_get_text (GTK_EDITABLE (self->vote_comment)), &error))
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", error->message);
      return;
    }
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", _("Vote saved; it is sent with the next sync"));
  bnd_sync_manager_sync_now (self->sync);
  bnd_dossier_page_show (self, self->uuid);
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
      row = text_row (adopted ? _("Adopted") : _("Not adopted"), counts);
      gtk_widget_add_css_class (row, adopted ? "success" : "error");
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  for (guint i = 0; ballots && i < json_array_get_length (ballots); i++)
    {
      JsonObject *ballot = json_array_get_object_element (ballots, i);
      const char *comment = string_of (ballot, "comment");

      row = text_row (org_name (self, string_of (ballot, "org")), comment && *comment ? comment : NULL);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_label_new (choice_label (string_of (ballot, "choice"))));
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
  const char *current = mine ? mine->choice : string_of (counted, "choice");
  GtkWidget *choice_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *row = text_row (_("Your organisation's vote"),
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
  gtk_editable_set_text (GTK_EDITABLE (self->vote_comment),
                         mine ? mine->comment : string_of (counted, "comment") ? string_of (counted, "comment") : "");
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

static void
add_vote (BndDossierPage *self,
          GtkWidget      *box)
{
  g_autoptr(JsonNode) node = cached (self, "vote");
  g_autoptr(GPtrArray) queued = bnd_store_list_own_votes (self->store, NULL);
  JsonObject *vote = bnd_json_as_object (node);
  GtkWidget *group = new_group (box, _("Circulation Vote"), NULL);
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
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), placeholder_row (_("No vote has been opened")));
      if (mine)
        add_queued_state (group, mine->state, mine->message);
      return;
    }

  closed = json_object_get_boolean_member_with_default (vote, "closed", FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), text_row (_("Question"), string_of (vote, "question")));
  deadline = format_time (json_object_get_int_member_with_default (vote, "deadline", 0));
  {
    BndTask task = { .deadline = json_object_get_int_member_with_default (vote, "deadline", 0) };
    g_autofree char *due = closed ? g_strdup (_("Closed")) : bnd_task_describe_due (&task, g_get_real_time () / G_USEC_PER_SEC);
    g_autofree char *text = g_strdup_printf ("%s (%s)", deadline, due ? due : "");

    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), text_row (_("Deadline"), text));
  }
  turnout = g_strdup_printf (_("%lld of %lld organisations have voted"),
                             (long long)json_object_get_int_member_with_default (vote, "voted", 0),
                             (long long)json_object_get_int_member_with_default (vote, "entitled", 0));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), text_row (_("Participation"), turnout));

  if (closed)
    {
      add_vote_result (self, group, vote);
      if (mine && g_str_equal (mine->state, "refused"))
        add_queued_state (group, mine->state, mine->message);
    }
  else if (bnd_dossier_cache_find_ballot (vote, self->own_org))
    add_vote_form (self, group, vote, mine);
  else if (mine)
    add_queued_state (group, mine->state, mine->message);
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
  g_autoptr(JsonNode) node = cached (self, "comments");
  JsonArray *comments = bnd_json_array_of (bnd_json_as_object (node), "comments");
  GtkWidget *group = new_group (box, _("Discussion"), _("Visible to the coordination, the partners and the carrier"));
  GtkWidget *button;

  for (guint i = 0; comments && i < json_array_get_length (comments); i++)
    {
      JsonObject *comment = json_array_get_object_element (comments, i);
      g_autofree char *when = format_time (json_object_get_int_member_with_default (comment, "posted", 0));
      g_autofree char *author = g_strdup_printf ("%s, %s · %s", string_of (comment, "author") ? string_of (comment, "author") : "",
                                                 org_name (self, string_of (comment, "org")), when);
      GtkWidget *row = text_row (string_of (comment, "text") ? string_of (comment, "text") : "", author);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  if (comments == NULL || json_array_get_length (comments) == 0)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), placeholder_row (_("No comments yet")));

  self->comment_entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->comment_entry), _("Write a comment…"));
  gtk_widget_set_margin_top (self->comment_entry, 12);
  g_signal_connect_swapped (self->comment_entry, "activate", G_CALLBACK (on_post_comment_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->comment_entry);
  button = gtk_button_new_with_mnemonic (_("_Post"));
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_widget_set_margin_top (button, 6);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (on_post_comment_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), button);

  bnd_tasks_mark_comments_read (self->store, self->uuid);
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
  g_autoptr(JsonNode) node = cached (self, "audit");
  JsonArray *entries = bnd_json_array_of (bnd_json_as_object (node), "entries");
  GtkWidget *group = new_group (box, _("Timeline"), _("Every step on record, hash-chained on the server"));

  for (guint i = 0; entries && i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      JsonObject *detail = json_object_has_member (entry, "detail") ? bnd_json_as_object (json_object_get_member (entry, "detail")) : NULL;
      g_autofree char *title = action_label (string_of (entry, "action"));
      g_autofree char *when = format_time (json_object_get_int_member_with_default (entry, "at", 0));
      const char *comment = string_of (detail, "comment");
      g_autofree char *subtitle = comment && *comment
                                  ? g_strdup_printf ("%s · %s\n%s", when, string_of (entry, "actor"), comment)
                                  : g_strdup_printf ("%s · %s", when, string_of (entry, "actor"));

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), text_row (title, subtitle));
    }
  if (entries == NULL)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), placeholder_row (_("Not synced yet")));
}

/**
 * bnd_dossier_page_show:
 *
 * Shows the dossier of the submitted sketch @uuid, as the profile knows it.
 */
void
bnd_dossier_page_show (BndDossierPage *self,
                       const char     *uuid)
{
  g_autoptr(GPtrArray) dossiers = NULL;
  g_autoptr(JsonNode) me = NULL;
  g_autoptr(JsonNode) vote = NULL;
  g_autoptr(JsonNode) portfolio = NULL;
  g_autofree char *new_uuid = g_strdup (uuid);
  g_autofree char *typed_comment = NULL;
  g_autofree char *typed_vote = NULL;
  g_autofree char *typed_rating = NULL;
  BndSketchSummary *summary = NULL;
  GtkWidget *clamp, *box;
  gboolean entitled;

  g_return_if_fail (BND_IS_DOSSIER_PAGE (self));

  /* A sync shows the same dossier again: what is being typed, and where the page was scrolled
   * to, survive it. */
  self->scroll_to = 0;
  if (g_strcmp0 (self->uuid, uuid) == 0)
    {
      self->scroll_to = gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller)));
      typed_comment = self->comment_entry ? g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->comment_entry))) : NULL;
      typed_vote = self->vote_comment ? g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->vote_comment))) : NULL;
      typed_rating = self->rating_comment ? g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->rating_comment))) : NULL;
    }
  /* @uuid may be self->uuid itself (a form shows its page again): only self->uuid is read below. */
  g_free (self->uuid);
  self->uuid = g_steal_pointer (&new_uuid);
  self->comment_entry = NULL;
  self->vote_comment = NULL;
  self->rating_comment = NULL;
  if (self->store == NULL || !(dossiers = bnd_dossier_cache_list_dossiers (self->store, NULL)))
    return;
  for (guint i = 0; i < dossiers->len; i++)
    if (g_str_equal (((BndSketchSummary *)g_ptr_array_index (dossiers, i))->uuid, self->uuid))
      summary = g_ptr_array_index (dossiers, i);
  if (summary == NULL)
    return;

  me = bnd_dossier_cache_get_json (self->store, "/me");
  g_free (self->own_org);
  g_free (self->role);
  self->own_org = g_strdup (string_of (bnd_json_as_object (me), "org"));
  self->role = g_strdup (string_of (bnd_json_as_object (me), "role"));
  g_free (self->fingerprint);
  self->fingerprint = bnd_dossier_cache_fingerprint (self->store, self->uuid, summary->stage);
  portfolio = bnd_dossier_cache_get_json (self->store, "/portfolio");
  g_free (self->carrier);
  self->carrier = g_strdup (bnd_dossier_cache_find_carrier (portfolio, self->uuid));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  gtk_widget_set_margin_top (box, 24);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  add_header (self, box, summary);

  vote = cached (self, "vote");
  if (g_strcmp0 (self->role, "coordination") == 0)
    {
      g_autoptr(JsonNode) assessment = cached (self, "assessment");
      GtkWidget *actions = bnd_dossier_actions_new (self->sync, self->strategy, self->uuid, summary->title, summary->stage,
                                                    bnd_json_as_object (vote), assessment != NULL);

      if (actions)
        gtk_box_append (GTK_BOX (box), actions);
    }

  /* Entitled to rate: a partner's seat whose organisation neither carries the project nor is
   * recused (the server decides; this only spares a form that would be refused). */
  entitled = g_strcmp0 (self->role, "partner") == 0 &&
             g_strcmp0 (self->carrier, self->own_org) != 0 &&
             !array_has_string (bnd_json_array_of (bnd_json_as_object (vote), "recused"), self->own_org);
  /* What is to be done first: the open vote or rating round, once the dossier has got there. */
  if (g_str_equal (summary->stage, "vote") || bnd_json_as_object (vote))
    add_vote (self, box);
  if (g_str_equal (summary->stage, "rating") || g_str_equal (summary->stage, "vote") || bnd_json_as_object (vote))
    add_rating (self, box, summary->stage, entitled);
  add_assessment (self, box);
  add_documents (self, box);
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

/**
 * bnd_dossier_page_refresh:
 *
 * Shows the dossier again after a sync, but only if something on it changed: a page built
 * anew loses what is being typed into its forms.
 */
void
bnd_dossier_page_refresh (BndDossierPage *self)
{
  g_autoptr(GPtrArray) dossiers = NULL;
  g_autofree char *fingerprint = NULL;

  g_return_if_fail (BND_IS_DOSSIER_PAGE (self));

  if (self->uuid == NULL || self->store == NULL || !(dossiers = bnd_dossier_cache_list_dossiers (self->store, NULL)))
    return;
  for (guint i = 0; i < dossiers->len; i++)
    {
      BndSketchSummary *summary = g_ptr_array_index (dossiers, i);

      if (g_str_equal (summary->uuid, self->uuid))
        fingerprint = bnd_dossier_cache_fingerprint (self->store, self->uuid, summary->stage);
    }
  if (g_strcmp0 (fingerprint, self->fingerprint) != 0)
    bnd_dossier_page_show (self, self->uuid);
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

  g_clear_pointer (&self->scroller, gtk_widget_unparent);
  g_clear_object (&self->store);
  g_clear_object (&self->strategy);
  g_clear_object (&self->sync);
  g_clear_pointer (&self->uuid, g_free);
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
  gtk_widget_class_install_action (widget_class, "dossier.attach", "s", attach_action);
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
