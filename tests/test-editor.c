/* test-editor.c: the sketch editor in the real window under Xvfb
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "bnd-resources.h"
#include "bnd-sketches-page.h"
#include "bnd-window.h"

#define REFERENCE_UUID "5b0c7a1e-3f4d-4c2a-9e1b-7d2f8a6c4e10"

typedef struct
{
  char            *directory;
  BndStore        *store;
  BndStrategy     *strategy;
  BndWindow       *window;
  BndSketchesPage *page;
  BndSketchEditor *editor;
  GObject         *preview;   /* weak: set to NULL when it goes */
} Fixture;

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @done says so, for at most @seconds. */
static gboolean
wait_for (gboolean (*done) (Fixture *), Fixture *fixture, guint seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, timeout_cb, &timed_out);

  while (!done (fixture) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return !timed_out;
}

/* Until the store's worker has answered everything asked so far, and the answers are shown. */
static void
settle_store (Fixture *fixture)
{
  bnd_store_flush (fixture->store);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
sketch_open (Fixture *fixture)
{
  return bnd_sketch_editor_get_sketch (fixture->editor) != NULL;
}

static guint preview_generation;

static gboolean
preview_advanced (Fixture *fixture)
{
  return bnd_pdf_preview_get_generation (bnd_sketch_editor_get_preview (fixture->editor)) > preview_generation;
}

static gboolean
budget_known (Fixture *fixture)
{
  return bnd_sketch_editor_get_budget (fixture->editor)->n_pages > 0 && preview_advanced (fixture);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "reference-sketch.bndsketch", NULL);
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  fixture->directory = g_dir_make_tmp ("bnd-editor-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store = bnd_store_new (fixture->directory, &error);
  g_assert_no_error (error);
  fixture->strategy = bnd_strategy_new_default (&error);
  g_assert_no_error (error);

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  sketch = bnd_sketch_new_from_data (contents, length, path, fixture->strategy, &error);
  g_assert_no_error (error);
  bnd_store_save (fixture->store, sketch, &error);
  g_assert_no_error (error);

  fixture->window = g_object_ref_sink (bnd_window_new (NULL));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1200, 800);
  bnd_window_set_store (fixture->window, fixture->store);
  bnd_window_set_strategy (fixture->window, fixture->strategy);
  gtk_window_present (GTK_WINDOW (fixture->window));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-view", "s", "sketches");

  fixture->page = BND_SKETCHES_PAGE (bnd_window_get_view (fixture->window, "sketches"));
  fixture->editor = bnd_sketches_page_get_editor (fixture->page);

  preview_generation = 0;
  bnd_sketches_page_open (fixture->page, REFERENCE_UUID);
  g_assert_true (wait_for (budget_known, fixture, 20));
}

static gboolean
all_gone (Fixture *fixture)
{
  return fixture->editor == NULL && fixture->preview == NULL && fixture->store == NULL;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", fixture->directory);
  BndStore *store = g_steal_pointer (&fixture->store);

  /* The editor's layout and the preview's render run on threads and hold their objects, and the
   * store's jobs hold the store: wait until all of them are gone, so that no thread is still
   * rendering (poppler, pango) when the test process exits and its libraries are torn down. */
  fixture->preview = G_OBJECT (bnd_sketch_editor_get_preview (fixture->editor));
  g_object_add_weak_pointer (fixture->preview, (gpointer *)&fixture->preview);
  g_object_add_weak_pointer (G_OBJECT (fixture->editor), (gpointer *)&fixture->editor);
  fixture->store = store;
  g_object_add_weak_pointer (G_OBJECT (store), (gpointer *)&fixture->store);

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
  g_object_unref (store);
  g_assert_true (wait_for (all_gone, fixture, 20));
  g_clear_object (&fixture->strategy);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  g_free (fixture->directory);
}

/* Types at the end of a section's text as the keyboard would (an interactive insert). */
static void
type_into (Fixture    *fixture,
           const char *section,
           const char *text)
{
  GtkTextView *view = bnd_sketch_editor_get_section_view (fixture->editor, section);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter end;

  g_assert_nonnull (view);
  gtk_widget_grab_focus (GTK_WIDGET (view));
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      char c[8] = { 0 };

      g_unichar_to_utf8 (g_utf8_get_char (p), c);
      gtk_text_buffer_insert_interactive_at_cursor (buffer, c, -1, TRUE);
    }
}

static void
test_budget_and_preview (Fixture       *fixture,
                         gconstpointer  data)
{
  const BndPageBudget *budget = bnd_sketch_editor_get_budget (fixture->editor);
  BndPdfPreview *preview = bnd_sketch_editor_get_preview (fixture->editor);
  double before = budget->used_pages;
  guint i;

  /* The reference sketch fits, and the preview shows its pages */
  g_assert_cmpuint (budget->n_pages, ==, 3);
  g_assert_cmpfloat (before, <, 3.0);
  g_assert_false (bnd_sketch_editor_is_warning_shown (fixture->editor));
  g_assert_cmpuint (bnd_pdf_preview_get_n_pages (preview), ==, 3);

  /* Typing a paragraph moves the budget bar and re-renders the preview */
  preview_generation = bnd_pdf_preview_get_generation (preview);
  type_into (fixture, "approach", "\nZusätzlich werden zwei Fachtage zur Fachkräftesicherung mit allen Partnern durchgeführt.");
  g_assert_true (wait_for (preview_advanced, fixture, 20));
  g_assert_cmpfloat (budget->used_pages, >, before);
  g_assert_false (bnd_sketch_editor_is_warning_shown (fixture->editor));

  /* Past the limit: the warning appears and names the section where page 3 ends */
  for (i = 0; i < 10 && budget->n_pages <= 3; i++)
    {
      preview_generation = bnd_pdf_preview_get_generation (preview);
      type_into (fixture, "approach", "\nDie Projektsteuerung tagt monatlich mit allen Partnern und berichtet dem "
                                      "Lenkungskreis über Fortschritte, Hindernisse und notwendige Anpassungen.");
      g_assert_true (wait_for (preview_advanced, fixture, 20));
    }
  g_assert_cmpuint (budget->n_pages, >, 3);
  g_assert_true (bnd_sketch_editor_is_warning_shown (fixture->editor));
  g_assert_nonnull (budget->overflow_title);
  g_assert_cmpuint (bnd_pdf_preview_get_n_pages (preview), ==, budget->n_pages);
}

static gboolean
saved (Fixture *fixture)
{
  g_autoptr(BndSketch) stored = bnd_store_load (fixture->store, REFERENCE_UUID, NULL, NULL);

  return stored && g_str_has_suffix (bnd_sketch_get_section (stored, "sustainability"), "Ende gut, alles gut.");
}

static void
test_autosave (Fixture       *fixture,
               gconstpointer  data)
{
  /* Saved with no save action; that it happens within a second is the kill test's business
   * (tests/test-kill.sh), as a timed assertion here would flake on a busy machine. */
  type_into (fixture, "sustainability", " Ende gut, alles gut.");
  g_assert_true (wait_for (saved, fixture, 10));
}

static gboolean
rendered_at_zoom (Fixture *fixture)
{
  BndPdfPreview *preview = bnd_sketch_editor_get_preview (fixture->editor);
  GdkTexture *page = bnd_pdf_preview_get_page (preview, 0);

  return preview_advanced (fixture) && page && gdk_texture_get_width (page) > 700;
}

/* Mean difference per channel over 4×4 blocks (@block 4) or single pixels (@block 1), and the
 * share of values more than 64 apart. */
static void
compare_textures (GdkTexture *a_texture,
                  GdkTexture *b_texture,
                  int         block,
                  double     *mean,
                  double     *far_share)
{
  int width = MIN (gdk_texture_get_width (a_texture), gdk_texture_get_width (b_texture));
  int height = MIN (gdk_texture_get_height (a_texture), gdk_texture_get_height (b_texture));
  int a_stride = gdk_texture_get_width (a_texture) * 4;
  int b_stride = gdk_texture_get_width (b_texture) * 4;
  g_autofree guchar *a = g_malloc ((gsize)a_stride * gdk_texture_get_height (a_texture));
  g_autofree guchar *b = g_malloc ((gsize)b_stride * gdk_texture_get_height (b_texture));
  guint64 total = 0, far = 0, count = 0;

  gdk_texture_download (a_texture, a, a_stride);
  gdk_texture_download (b_texture, b, b_stride);

  for (int by = 0; by + block <= height; by += block)
    for (int bx = 0; bx + block <= width; bx += block)
      for (int c = 0; c < 3; c++)
        {
          int sum_a = 0, sum_b = 0, difference;

          for (int y = by; y < by + block; y++)
            for (int x = bx; x < bx + block; x++)
              {
                sum_a += a[(gsize)y * a_stride + x * 4 + c];
                sum_b += b[(gsize)y * b_stride + x * 4 + c];
              }
          difference = abs (sum_a - sum_b) / (block * block);
          total += difference;
          far += difference > 64;
          count++;
        }

  *mean = (double)total / count;
  *far_share = (double)far / count;
}

static GdkTexture *
rasterise (Fixture    *fixture,
           const char *program,
           const char *pdf_path,
           const char *name)
{
  g_autofree char *prefix = g_build_filename (fixture->directory, name, NULL);
  g_autofree char *command = g_strdup_printf ("%s -r 96 -png -f 1 -l 1 '%s' '%s'", program, pdf_path, prefix);
  g_autofree char *png = g_strdup_printf ("%s-1.png", prefix);
  g_autoptr(GError) error = NULL;
  GdkTexture *texture;
  int status;

  g_spawn_command_line_sync (command, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  texture = gdk_texture_new_from_filename (png, &error);
  g_assert_no_error (error);
  return texture;
}

static void
test_preview_pixels (Fixture       *fixture,
                     gconstpointer  data)
{
  BndPdfPreview *preview = bnd_sketch_editor_get_preview (fixture->editor);
  g_autofree char *pdf_path = g_build_filename (fixture->directory, "export.pdf", NULL);
  g_autoptr(GBytes) exported = NULL;
  g_autoptr(GdkTexture) splash = NULL;
  g_autoptr(GdkTexture) cairo = NULL;
  g_autoptr(GError) error = NULL;
  GdkTexture *page;
  double mean, far;

  /* 100 % is 96 dpi: compare with pdftoppm at the same resolution */
  preview_generation = bnd_pdf_preview_get_generation (preview);
  bnd_pdf_preview_set_zoom (preview, 1.0);
  g_assert_true (wait_for (rendered_at_zoom, fixture, 20));

  /* The preview holds exactly the bytes an export writes */
  exported = bnd_pdf_render (bnd_sketch_editor_get_sketch (fixture->editor), fixture->strategy, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (exported, bnd_pdf_preview_get_pdf (preview)));
  g_file_set_contents (pdf_path, g_bytes_get_data (exported, NULL), g_bytes_get_size (exported), &error);
  g_assert_no_error (error);

  page = bnd_pdf_preview_get_page (preview, 0);
  splash = rasterise (fixture, "pdftoppm", pdf_path, "splash");
  cairo = rasterise (fixture, "pdftocairo", pdf_path, "cairo");
  g_assert_cmpint (abs (gdk_texture_get_width (page) - gdk_texture_get_width (splash)), <=, 1);
  g_assert_cmpint (abs (gdk_texture_get_height (page) - gdk_texture_get_height (splash)), <=, 1);

  /* poppler's cairo rasteriser, as in the preview: the same pixels */
  compare_textures (page, cairo, 1, &mean, &far);
  g_test_message ("preview vs pdftocairo: mean %.3f, far %.4f %%", mean, 100 * far);
  g_assert_cmpfloat (mean, <, 0.5);
  g_assert_cmpfloat (far, <, 0.0005);

  /* pdftoppm rasterises with Splash, which anti-aliases glyph edges its own way (pdftoppm and
   * pdftocairo differ by about 3.3 per channel in 4×4 blocks on this page): compared in blocks,
   * the same page stays within that, while another page or stale text does not. */
  compare_textures (page, splash, 4, &mean, &far);
  g_test_message ("preview vs pdftoppm, 4×4 blocks: mean %.3f, far %.4f %%", mean, 100 * far);
  g_assert_cmpfloat (mean, <, 5.0);
  g_assert_cmpfloat (far, <, 0.003);
}

/* Reopens the reference sketch at @stage, as a sync would leave it. */
static void
reopen_at_stage (Fixture    *fixture,
                 const char *stage)
{
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GError) error = NULL;
  BndSyncState state = { .base_revision = 2 };

  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "sketches.back", NULL);
  sketch = bnd_store_load (fixture->store, REFERENCE_UUID, NULL, &error);
  g_assert_no_error (error);
  bnd_sketch_set_stage (sketch, stage);
  g_assert_true (bnd_store_apply_sync (fixture->store, sketch, &state, &error));
  bnd_sketches_page_open (fixture->page, REFERENCE_UUID);
  /* Opening waits for the store's worker without holding up the window */
  g_assert_true (wait_for (sketch_open, fixture, 10));
  settle_store (fixture);
  g_assert_cmpstr (bnd_sketch_get_stage (bnd_sketch_editor_get_sketch (fixture->editor)), ==, stage);
}

/* A submitted sketch is shown read only, and the editor says why; when the first assessment asks
 * for changes, it may be edited again. */
static void
test_stages (Fixture       *fixture,
             gconstpointer  data)
{
  BndSketchBanner *banner = bnd_sketch_editor_get_banner (fixture->editor);
  GtkWidget *need = NULL;

  /* A draft: nothing to say */
  g_assert_false (bnd_sketch_banner_is_shown (banner));
  need = GTK_WIDGET (bnd_sketch_editor_get_section_view (fixture->editor, "need"));
  g_assert_true (gtk_widget_is_sensitive (need));

  reopen_at_stage (fixture, "submitted");
  need = GTK_WIDGET (bnd_sketch_editor_get_section_view (fixture->editor, "need"));
  g_assert_true (bnd_sketch_banner_is_shown (banner));
  g_assert_false (bnd_sketch_banner_has_choices (banner));
  g_assert_nonnull (strstr (bnd_sketch_banner_get_text (banner), "has been submitted"));
  g_assert_nonnull (strstr (bnd_sketch_banner_get_text (banner), "first assessment asks for changes"));
  g_assert_false (gtk_widget_is_sensitive (need));

  reopen_at_stage (fixture, "changes-requested");
  need = GTK_WIDGET (bnd_sketch_editor_get_section_view (fixture->editor, "need"));
  g_assert_true (bnd_sketch_banner_is_shown (banner));
  g_assert_false (bnd_sketch_banner_has_choices (banner));
  g_assert_nonnull (strstr (bnd_sketch_banner_get_text (banner), "submit it again"));
  g_assert_true (gtk_widget_is_sensitive (need));

  reopen_at_stage (fixture, "withdrawn");
  g_assert_nonnull (strstr (bnd_sketch_banner_get_text (banner), "closed"));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (bnd_sketch_editor_get_section_view (fixture->editor, "need"))));
}

/* The widget named @name under @root (depth first), or NULL. */
static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_type (GtkWidget *root,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Whether the "still to do" list shows an item for @condition. */
static gboolean
todo_shown (Fixture    *fixture,
            const char *condition)
{
  g_autofree char *field = g_strdup_printf ("condition:%s", condition);
  GtkWidget *row = find_named (GTK_WIDGET (fixture->editor), field);

  return row != NULL && gtk_widget_get_visible (row) &&
         gtk_widget_get_visible (gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP));
}

static gboolean both_todo (Fixture *f) { return todo_shown (f, "fg2-arbeitsverwaltung") && todo_shown (f, "fg2-bildungstraeger"); }
static gboolean one_todo (Fixture *f) { return todo_shown (f, "fg2-arbeitsverwaltung") && !todo_shown (f, "fg2-bildungstraeger"); }
static gboolean no_todo (Fixture *f) { return !todo_shown (f, "fg2-arbeitsverwaltung") && !todo_shown (f, "fg2-bildungstraeger"); }
static gboolean period_todo (Fixture *f) { return todo_shown (f, "funding-period"); }
static gboolean no_period_todo (Fixture *f) { return !todo_shown (f, "funding-period"); }

static gboolean
confirmations_saved (Fixture *fixture)
{
  g_autoptr(BndSketch) stored = bnd_store_load (fixture->store, REFERENCE_UUID, NULL, NULL);

  return stored && bnd_sketch_get_funding_object (stored) == 2 &&
         bnd_sketch_has_confirmation (stored, "fg2-arbeitsverwaltung") &&
         bnd_sketch_has_confirmation (stored, "fg2-bildungstraeger");
}

/* Choosing Fördergegenstand 2 shows its two confirmations with their source, and the to-do list
 * an item for each; ticking them in the editor clears the items, and they are saved. The
 * template's sections say they were set by the alliance. */
static void
test_conditions (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkWidget *editor = GTK_WIDGET (fixture->editor);
  GtkWidget *combo = find_type (editor, ADW_TYPE_COMBO_ROW);
  GtkWidget *agreed, *carrier, *period, *note, *label;
  BndSketch *sketch = bnd_sketch_editor_get_sketch (fixture->editor);

  /* Fördergegenstand 1: no confirmations, nothing to do */
  g_assert_nonnull (combo);
  g_assert_null (find_named (editor, "fg2-bildungstraeger"));
  g_assert_true (no_todo (fixture));
  period = find_named (editor, "funding-period");
  g_assert_nonnull (period);

  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), 2);
  agreed = find_named (editor, "fg2-arbeitsverwaltung");
  carrier = find_named (editor, "fg2-bildungstraeger");
  g_assert_nonnull (agreed);
  g_assert_nonnull (carrier);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (carrier)), ==,
                   "The carrier is an education provider (Bildungsträger).");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (carrier)),
                            "„Zuwendungsempfänger sind Bildungsträger.“"));
  g_assert_true (wait_for (both_todo, fixture, 10));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (find_named (editor, "condition:fg2-bildungstraeger"))),
                            "S. 30"));

  /* Ticking a confirmation, as a click on its row does, clears its item. */
  adw_action_row_activate (ADW_ACTION_ROW (carrier));
  g_assert_true (wait_for (one_todo, fixture, 10));
  adw_action_row_activate (ADW_ACTION_ROW (agreed));
  g_assert_true (wait_for (no_todo, fixture, 10));
  g_assert_true (wait_for (confirmations_saved, fixture, 10));

  /* The project period is checked from the dates. */
  bnd_sketch_set_duration (sketch, "2027-01-01", "2028-12-31");
  g_assert_true (wait_for (period_todo, fixture, 10));
  bnd_sketch_set_duration (sketch, "2026-01-01", "2027-12-31");
  g_assert_true (wait_for (no_period_todo, fixture, 10));

  /* Set by the alliance, not by the strategy */
  note = find_named (editor, "sketch-template");
  g_assert_nonnull (note);
  g_assert_true (gtk_widget_get_visible (note));
  label = find_type (note, GTK_TYPE_LABEL);
  g_assert_true (g_str_has_prefix (gtk_label_get_label (GTK_LABEL (label)), "Set by the alliance: "));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (label)), "were set by the alliance"));
}

/* The tag named @tag_name covers the character at @offset of @section's text. */
static gboolean
tagged_at (Fixture    *fixture,
           const char *section,
           int         offset,
           const char *tag_name)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (bnd_sketch_editor_get_section_view (fixture->editor, section));
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), tag_name);
  GtkTextIter iter;

  g_assert_nonnull (tag);
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, offset);
  return gtk_text_iter_has_tag (&iter, tag);
}

static void
test_citation_marks (Fixture       *fixture,
                     gconstpointer  data)
{
  static const char *marker = "[^vakanz-81-heidekreis-2023]";
  GtkTextView *view = bnd_sketch_editor_get_section_view (fixture->editor, "need");
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  g_autofree char *text = NULL;
  GtkTextIter start, end;
  const char *found;
  int at;

  /* Insert into Sketch, as the Region view does, where the user was writing */
  type_into (fixture, "need", " ");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.insert-indicator", "s",
                              "vakanz-81-heidekreis-2023");
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
  g_assert_nonnull ((found = strstr (text, marker)));
  at = g_utf8_pointer_to_offset (text, found);

  /* What is saved stays the citation the PDF turns into a footnote */
  g_assert_nonnull (strstr (bnd_sketch_get_section (bnd_sketch_editor_get_sketch (fixture->editor), "need"), marker));

  /* Shown as a mark: caret and brackets hidden, the id marked */
  g_assert_true (tagged_at (fixture, "need", at, "citation-syntax"));
  g_assert_true (tagged_at (fixture, "need", at + 1, "citation-syntax"));
  g_assert_true (tagged_at (fixture, "need", at + 2, "citation-mark"));
  g_assert_false (tagged_at (fixture, "need", at + 2, "citation-syntax"));
  g_assert_true (tagged_at (fixture, "need", at + (int)strlen (marker) - 1, "citation-syntax"));
  g_assert_false (tagged_at (fixture, "need", at - 1, "citation-mark"));

  /* An id the strategy does not have stays visible, as the PDF prints it */
  {
    g_autofree char *all = NULL;
    const char *unknown;

    type_into (fixture, "need", " [^gibt-es-nicht] ");
    gtk_text_buffer_get_bounds (buffer, &start, &end);
    all = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
    g_assert_nonnull ((unknown = strstr (all, "[^gibt-es-nicht]")));
    g_assert_false (tagged_at (fixture, "need", g_utf8_pointer_to_offset (all, unknown), "citation-syntax"));
    g_assert_false (tagged_at (fixture, "need", g_utf8_pointer_to_offset (all, unknown) + 2, "citation-mark"));
  }

  /* Without its closing bracket it is no citation, and shows as the plain text it is */
  gtk_text_buffer_get_iter_at_offset (buffer, &start, at + (int)strlen (marker) - 1);
  end = start;
  gtk_text_iter_forward_char (&end);
  gtk_text_buffer_delete (buffer, &start, &end);
  g_assert_false (tagged_at (fixture, "need", at, "citation-syntax"));
  g_assert_false (tagged_at (fixture, "need", at + 2, "citation-mark"));
}

/* Activates the item of the "still to do" list for @field, as a click would. */
static gboolean
find_and_activate_issue (GtkWidget  *widget,
                         const char *field)
{
  if (ADW_IS_ACTION_ROW (widget) && g_strcmp0 (gtk_widget_get_name (widget), field) == 0)
    {
      g_signal_emit_by_name (widget, "activated");
      return TRUE;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (find_and_activate_issue (child, field))
      return TRUE;
  return FALSE;
}

static gboolean
new_sketch_open (Fixture *fixture)
{
  BndSketch *sketch = bnd_sketch_editor_get_sketch (fixture->editor);

  return sketch != NULL && g_strcmp0 (bnd_sketch_get_uuid (sketch), REFERENCE_UUID) != 0;
}

static void
test_first_minute (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWidget *summary, *title_row, *focus;
  GtkTextView *need, *objectives;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (fixture->editor));

  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "sketches.new", NULL);
  g_assert_true (wait_for (new_sketch_open, fixture, 10));
  need = bnd_sketch_editor_get_section_view (fixture->editor, "need");
  objectives = bnd_sketch_editor_get_section_view (fixture->editor, "objectives");

  /* It opens at its title, under one line saying how much is left, not a wall of warnings */
  summary = bnd_sketch_editor_get_issues_summary (fixture->editor);
  g_assert_true (gtk_widget_get_visible (summary));
  g_assert_false (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (summary)));
  g_assert_true (g_str_has_suffix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (summary)),
                                   "things to do before submitting"));
  focus = gtk_root_get_focus (root);
  title_row = gtk_widget_get_ancestor (focus, ADW_TYPE_ENTRY_ROW);
  g_assert_nonnull (title_row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (title_row)), ==, "Title");

  /* Nothing is marked before anyone typed; a section left empty is marked when left */
  g_assert_false (bnd_sketch_editor_marks_section (fixture->editor, "need"));
  gtk_widget_grab_focus (GTK_WIDGET (need));
  g_assert_false (bnd_sketch_editor_marks_section (fixture->editor, "need"));
  gtk_widget_grab_focus (title_row);
  /* the list follows once the focus has moved */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (bnd_sketch_editor_marks_section (fixture->editor, "need"));
  g_assert_false (bnd_sketch_editor_marks_section (fixture->editor, "objectives"));

  /* An item leads to its field */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (summary), TRUE);
  g_assert_true (find_and_activate_issue (summary, "section:objectives"));
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (objectives)));

  /* Trying to submit marks everything and opens the list */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (summary), FALSE);
  gtk_widget_activate_action (GTK_WIDGET (fixture->editor), "editor.submit", NULL);
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (summary)));
  g_assert_true (bnd_sketch_editor_marks_section (fixture->editor, "target_groups"));
  g_assert_true (bnd_sketch_editor_marks_section (fixture->editor, "summary"));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  bnd_register_resource ();

  g_test_add ("/editor/budget-and-preview", Fixture, NULL, fixture_set_up, test_budget_and_preview, fixture_tear_down);
  g_test_add ("/editor/autosave", Fixture, NULL, fixture_set_up, test_autosave, fixture_tear_down);
  g_test_add ("/editor/preview-pixels", Fixture, NULL, fixture_set_up, test_preview_pixels, fixture_tear_down);
  g_test_add ("/editor/stages", Fixture, NULL, fixture_set_up, test_stages, fixture_tear_down);
  g_test_add ("/editor/citation-marks", Fixture, NULL, fixture_set_up, test_citation_marks, fixture_tear_down);
  g_test_add ("/editor/first-minute", Fixture, NULL, fixture_set_up, test_first_minute, fixture_tear_down);
  g_test_add ("/editor/conditions", Fixture, NULL, fixture_set_up, test_conditions, fixture_tear_down);

  return g_test_run ();
}
