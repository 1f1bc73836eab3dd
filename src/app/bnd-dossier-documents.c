/* bnd-dossier-documents.c: the dossier page's documents: the sketch as submitted, each submission and what changed, the statement, attachments
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-dossier-documents"

#include "config.h"

#include <glib/gi18n.h>
#include <poppler.h>
#include <string.h>

#include "bnd-dossier-cache.h"
#include "bnd-dossier-page-private.h"
#include "bnd-json-check.h"
#include "bnd-pdf-preview.h"

#define THUMBNAIL_WIDTH 48

/* Documents */

/* The thumbnail bnd-dossier-read.c drew on the store's worker */
static GtkWidget *
thumbnail_new (GdkTexture *texture)
{
  GtkWidget *picture = gtk_picture_new ();

  gtk_widget_set_size_request (picture, THUMBNAIL_WIDTH, THUMBNAIL_WIDTH * 297 / 210);
  gtk_widget_set_valign (picture, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (picture, "thumbnail");
  if (texture)
    gtk_picture_set_paintable (GTK_PICTURE (picture), GDK_PAINTABLE (texture));
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
  GtkEventController *keys = gtk_shortcut_controller_new ();

  gtk_window_set_title (GTK_WINDOW (window), adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  /* Esc and Ctrl+W close it like any other dialog of the app (Ctrl+W through the app's accels). */
  gtk_window_set_application (GTK_WINDOW (window), gtk_window_get_application (GTK_WINDOW (root)));
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (keys), GTK_SHORTCUT_SCOPE_MANAGED);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_named_action_new ("window.close")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_w, GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (window, keys);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 800);
  gtk_widget_set_vexpand (preview, TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), preview);
  adw_window_set_content (ADW_WINDOW (window), box);
  bnd_pdf_preview_set_pdf (BND_PDF_PREVIEW (preview), pdf);
  gtk_window_present (GTK_WINDOW (window));
}

static void
add_document_row (BndDossierPage *self,
                  GtkWidget      *group,
                  const char     *path,
                  GBytes         *pdf,
                  const char     *title,
                  const char     *subtitle)
{
  GtkWidget *row = _bnd_dossier_text_row (title, subtitle);
  GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

  adw_action_row_add_prefix (ADW_ACTION_ROW (row), thumbnail_new (_bnd_dossier_thumbnail (self, path)));
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

void
_bnd_dossier_page_attach_action (GtkWidget  *widget,
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

void
_bnd_dossier_page_add_documents (BndDossierPage *self,
                                 GtkWidget      *box)
{
  g_autoptr(JsonNode) node = _bnd_dossier_cached (self, "attachments");
  g_autofree char *statement_path = bnd_dossier_cache_path (self->uuid, "statement");
  g_autoptr(GBytes) statement = _bnd_dossier_cached_bytes (self, statement_path);
  g_autofree char *sketch_path = bnd_dossier_cache_sketch_path (self->uuid);
  g_autoptr(GBytes) sketch = _bnd_dossier_cached_bytes (self, sketch_path);
  JsonArray *attachments = bnd_json_array_of (bnd_json_as_object (node), "attachments");
  GtkWidget *group = _bnd_dossier_new_group (box, _("Documents"), NULL);
  guint shown = 0;

  if (carries_dossier (self))
    adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), attach_button_new ());

  if (sketch)
    {
      add_document_row (self, group, sketch_path, sketch, _("Project sketch"), _("As submitted to the network coordination"));
      shown++;
    }
  if (statement)
    {
      add_document_row (self, group, statement_path, statement, _("Statement of the Lenkungskreis"), _("Issued after the circulation vote"));
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
      if (!(pdf = _bnd_dossier_cached_bytes (self, path)))
        continue;
      size = g_format_size (json_object_get_int_member_with_default (attachment, "size", 0));
      when = _bnd_dossier_format_time (json_object_get_int_member_with_default (attachment, "uploaded", 0));
      /* Translators: kind of document · size · who uploaded it · when */
      subtitle = g_strdup_printf (_("%s · %s · %s · %s"), kind_label (_bnd_dossier_string_of (attachment, "kind")), size,
                                  _bnd_dossier_string_of (attachment, "uploaded_by") ? _bnd_dossier_string_of (attachment, "uploaded_by") : "",
                                  when);
      add_document_row (self, group, path, pdf, _bnd_dossier_string_of (attachment, "name") ? _bnd_dossier_string_of (attachment, "name") : "", subtitle);
      shown++;
    }
  if (shown == 0)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), _bnd_dossier_placeholder_row (_("No documents yet")));
}

/* Submissions */

/* @text with the words of @runs marked: removed ones struck through, added ones underlined. */
static char *
mark_runs (const char *text,
           JsonArray  *runs,
           gboolean    added)
{
  g_autoptr(GString) marked = g_string_new (NULL);
  const char *rest = text ? text : "";

  for (guint i = 0; runs && i < json_array_get_length (runs); i++)
    {
      const char *run = json_array_get_string_element (runs, i);
      const char *at = run && *run ? strstr (rest, run) : NULL;
      g_autofree char *before = NULL;
      g_autofree char *escaped = NULL;

      if (at == NULL)
        continue;
      before = g_markup_escape_text (rest, at - rest);
      escaped = g_markup_escape_text (run, -1);
      g_string_append (marked, before);
      /* Light backgrounds in libadwaita's success and error colours: readable in both styles. */
      g_string_append_printf (marked, added ? "<span underline=\"single\" bgcolor=\"#2ec27e\" bgalpha=\"30%%\">%s</span>"
                                            : "<span strikethrough=\"true\" bgcolor=\"#e01b24\" bgalpha=\"25%%\">%s</span>",
                              escaped);
      rest = at + strlen (run);
    }
  {
    g_autofree char *escaped = g_markup_escape_text (rest, -1);

    g_string_append (marked, escaped);
  }
  return g_string_free (g_steal_pointer (&marked), FALSE);
}

static GtkWidget *
change_row_new (JsonObject *change)
{
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  const char *titles[] = { N_("Before"), N_("Now") };
  const char *texts[] = { _bnd_dossier_string_of (change, "old"), _bnd_dossier_string_of (change, "new") };
  const char *runs[] = { "removed", "added" };

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _bnd_dossier_string_of (change, "label") ?: "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _bnd_dossier_string_of (change, "label") ?: "", -1);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 12);
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      g_autofree char *marked = mark_runs (texts[i], bnd_json_array_of (change, runs[i]), i == 1);
      GtkWidget *heading = gtk_label_new (_(titles[i]));
      GtkWidget *text = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_widget_add_css_class (heading, "caption-heading");
      gtk_label_set_markup (GTK_LABEL (text), marked);
      gtk_label_set_xalign (GTK_LABEL (text), 0);
      gtk_label_set_wrap (GTK_LABEL (text), TRUE);
      gtk_label_set_selectable (GTK_LABEL (text), TRUE);
      gtk_box_append (GTK_BOX (box), heading);
      gtk_box_append (GTK_BOX (box), text);
    }
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), box);
  return row;
}

/* Every submission of the sketch into this dossier (a resubmission after a request for changes
 * goes into the same one), each with its date, SHA-256 and PDF, and what changed from the one
 * before the last to the last. */
void
_bnd_dossier_page_add_submissions (BndDossierPage *self,
                                   GtkWidget      *box)
{
  g_autoptr(JsonNode) node = _bnd_dossier_cached (self, "submissions");
  g_autoptr(JsonNode) diff = _bnd_dossier_cached (self, "submissions/diff");
  JsonArray *submissions = bnd_json_array_of (bnd_json_as_object (node), "submissions");
  JsonArray *changes = bnd_json_array_of (bnd_json_as_object (diff), "changes");
  GtkWidget *group;
  guint n = submissions ? json_array_get_length (submissions) : 0;

  /* One submission is the sketch under Documents already. */
  if (n < 2)
    return;
  group = _bnd_dossier_new_group (box, _("Submissions"),
                                  _("Each submission is kept with its PDF; the sketch was revised after a request for changes"));
  gtk_widget_set_name (group, "submissions");
  for (guint i = 0; i < n; i++)
    {
      JsonObject *submission = json_array_get_object_element (submissions, i);
      gint64 number = submission ? json_object_get_int_member_with_default (submission, "n", 0) : 0;
      g_autofree char *path = bnd_dossier_cache_submission_path (self->uuid, number);
      g_autoptr(GBytes) pdf = _bnd_dossier_cached_bytes (self, path);
      g_autofree char *when = NULL;
      g_autofree char *sha = NULL;
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;

      if (submission == NULL)
        continue;
      when = _bnd_dossier_format_time (json_object_get_int_member_with_default (submission, "submitted", 0));
      sha = g_strndup (_bnd_dossier_string_of (submission, "sha256") ?: "", 12);
      /* Translators: the number of a submission of the sketch into its dossier */
      title = g_strdup_printf (_("Submission %lld"), (long long)number);
      /* Translators: when · by whom · the start of the PDF's SHA-256 */
      subtitle = g_strdup_printf (_("%s · %s · SHA-256 %s…"), when,
                                  _bnd_dossier_string_of (submission, "submitted_by") ?: "", sha);
      if (pdf)
        add_document_row (self, group, path, pdf, title, subtitle);
      else
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), _bnd_dossier_text_row (title, subtitle));
    }
  if (diff == NULL)
    return;
  {
    g_autofree char *heading = g_strdup_printf (_("Changed from submission %lld to %lld"),
                                                (long long)json_object_get_int_member_with_default (bnd_json_as_object (diff), "from", 0),
                                                (long long)json_object_get_int_member_with_default (bnd_json_as_object (diff), "to", 0));
    GtkWidget *changed = _bnd_dossier_new_group (box, heading,
                                                 changes && json_array_get_length (changes)
                                                 ? _("Removed words are struck through, added ones underlined")
                                                 : NULL);

    gtk_widget_set_name (changed, "submission-changes");
    for (guint i = 0; changes && i < json_array_get_length (changes); i++)
      if (json_array_get_object_element (changes, i))
        {
          GtkWidget *row = change_row_new (json_array_get_object_element (changes, i));

          /* The first change open, so that the page says at once what the revision did. */
          adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), i == 0);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (changed), row);
        }
    if (changes == NULL || json_array_get_length (changes) == 0)
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (changed),
                                 _bnd_dossier_placeholder_row (_("The two submissions do not differ")));
  }
}
