/* bnd-pdf-preview.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-pdf-preview"

#include "config.h"

#include <glib/gi18n.h>

#include "bnd-page-util.h"
#include "bnd-pdf-preview.h"
#include "bnd-poppler.h"

/* Shows PDF bytes page by page, rendered by poppler on a worker thread. It is given the very
 * bytes the export writes, so what the user sees is what NBank gets. */

#define MIN_ZOOM 0.5
#define MAX_ZOOM 3.0

struct _BndPdfPreview
{
  GtkWidget     parent_instance;

  GtkWidget    *box;
  GtkWidget    *scroller;
  GtkWidget    *pages_box;
  GtkWidget    *page_label;
  GtkWidget    *zoom_label;

  GBytes       *pdf;
  GPtrArray    *textures;     /* GdkTexture, one per page */
  double        zoom;
  guint         generation;   /* bumped per finished render, for tests and benchmarks */
  GCancellable *cancellable;
  gboolean      rendering;
  gboolean      dirty;        /* new bytes came while rendering */
};

G_DEFINE_FINAL_TYPE (BndPdfPreview, bnd_pdf_preview, GTK_TYPE_WIDGET)

enum {
  RENDERED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  GBytes *pdf;
  double  scale;
} RenderData;

static void
render_data_free (RenderData *data)
{
  g_bytes_unref (data->pdf);
  g_free (data);
}

/**
 * bnd_pdf_render_page:
 * @scale: pixels per PDF point
 *
 * Renders @page on white, as printed: the preview's pages and the dossier's thumbnails.
 *
 * Returns: (transfer full): the page
 */
GdkTexture *
bnd_pdf_render_page (PopplerPage *page,
                     double       scale)
{
  g_autoptr(GBytes) pixels = NULL;
  cairo_surface_t *surface;
  GdkTexture *texture;
  cairo_t *cr;
  double width, height;
  int w, h;

  bnd_poppler_page_get_size (page, &width, &height);
  w = MAX (1, (int)(width * scale + 0.5));
  h = MAX (1, (int)(height * scale + 0.5));
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  bnd_poppler_page_render_for_printing (page, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  pixels = g_bytes_new (cairo_image_surface_get_data (surface), (gsize)cairo_image_surface_get_stride (surface) * h);
  texture = gdk_memory_texture_new (w, h, GDK_MEMORY_DEFAULT, pixels, cairo_image_surface_get_stride (surface));
  cairo_surface_destroy (surface);
  return texture;
}

/* Pages are rendered at 96 dpi times the zoom and the screen's scale. */
static void
render_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  RenderData *data = task_data;
  g_autoptr(GPtrArray) textures = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  PopplerDocument *document;

  if (!(document = bnd_poppler_document_new_from_bytes (data->pdf, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (int i = 0; i < bnd_poppler_document_get_n_pages (document); i++)
    {
      PopplerPage *page = bnd_poppler_document_get_page (document, i);

      if (g_cancellable_is_cancelled (cancellable))
        {
          g_object_unref (page);
          break;
        }
      g_ptr_array_add (textures, bnd_pdf_render_page (page, data->scale));
      g_object_unref (page);
    }
  g_object_unref (document);

  g_task_return_pointer (task, g_steal_pointer (&textures), (GDestroyNotify)g_ptr_array_unref);
}

static void start_render (BndPdfPreview *self);

static void
update_labels (BndPdfPreview *self)
{
  g_autofree char *zoom = g_strdup_printf ("%d %%", (int)(self->zoom * 100 + 0.5));
  g_autofree char *pages = NULL;

  /* Translators: the number of pages in the preview */
  pages = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u page", "%u pages", self->textures->len),
                           self->textures->len);
  gtk_label_set_label (GTK_LABEL (self->zoom_label), zoom);
  gtk_label_set_label (GTK_LABEL (self->page_label), pages);
}

static void
show_textures (BndPdfPreview *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->pages_box)))
    gtk_box_remove (GTK_BOX (self->pages_box), child);

  for (guint i = 0; i < self->textures->len; i++)
    {
      GdkTexture *texture = g_ptr_array_index (self->textures, i);
      int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
      GtkWidget *picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));
      g_autofree char *label = g_strdup_printf (_("Page %u"), i + 1);

      gtk_picture_set_can_shrink (GTK_PICTURE (picture), FALSE);
      gtk_widget_set_size_request (picture, gdk_texture_get_width (texture) / scale,
                                   gdk_texture_get_height (texture) / scale);
      gtk_widget_set_halign (picture, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (picture, "preview-page");
      gtk_picture_set_alternative_text (GTK_PICTURE (picture), label);
      gtk_box_append (GTK_BOX (self->pages_box), picture);
    }
  update_labels (self);
}

static void
render_cb (GtkWidget    *owner,
           GAsyncResult *result,
           gpointer      user_data)
{
  BndPdfPreview *self = BND_PDF_PREVIEW (owner);
  g_autoptr(GPtrArray) textures = NULL;
  g_autoptr(GError) error = NULL;

  /* Taken here in any case: the textures go on the main thread, with the preview or without */
  textures = g_task_propagate_pointer (G_TASK (result), &error);
  if (self == NULL)
    return;
  self->rendering = FALSE;
  if (textures == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not render the preview: %s", error->message);
      return;
    }

  g_clear_pointer (&self->textures, g_ptr_array_unref);
  self->textures = g_steal_pointer (&textures);
  self->generation++;
  show_textures (self);
  g_signal_emit (self, signals[RENDERED], 0);

  if (self->dirty)
    start_render (self);
}

static void
start_render (BndPdfPreview *self)
{
  g_autoptr(GTask) task = NULL;
  RenderData *data;

  if (self->pdf == NULL)
    return;
  if (self->rendering)
    {
      /* One render at a time; the newest bytes follow when this one is done. */
      self->dirty = TRUE;
      return;
    }

  self->dirty = FALSE;
  self->rendering = TRUE;
  data = g_new0 (RenderData, 1);
  data->pdf = g_bytes_ref (self->pdf);
  data->scale = self->zoom * 96.0 / 72.0 * gtk_widget_get_scale_factor (GTK_WIDGET (self));

  task = bnd_widget_task_new (GTK_WIDGET (self), self->cancellable, render_cb, NULL);
  g_task_set_source_tag (task, start_render);
  g_task_set_task_data (task, data, (GDestroyNotify)render_data_free);
  g_task_run_in_thread (task, render_in_thread);
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BndPdfPreview *self = BND_PDF_PREVIEW (widget);

  if (g_str_equal (action_name, "preview.zoom-in"))
    bnd_pdf_preview_set_zoom (self, self->zoom * 1.25);
  else if (g_str_equal (action_name, "preview.zoom-out"))
    bnd_pdf_preview_set_zoom (self, self->zoom / 1.25);
  else
    bnd_pdf_preview_set_zoom (self, 1.0);
}

static void
page_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BndPdfPreview *self = BND_PDF_PREVIEW (widget);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller));
  double value = gtk_adjustment_get_value (adjustment);
  double target = g_str_equal (action_name, "preview.next-page") ? G_MAXDOUBLE : -1;
  double y = 0;

  /* Scroll to the start of the next (or previous) page. */
  for (GtkWidget *page = gtk_widget_get_first_child (self->pages_box); page; page = gtk_widget_get_next_sibling (page))
    {
      graphene_point_t point;

      if (!gtk_widget_compute_point (page, self->pages_box, &GRAPHENE_POINT_INIT (0, 0), &point))
        continue;
      y = point.y;
      if (target == G_MAXDOUBLE && y > value + 1)
        {
          target = y;
          break;
        }
      if (target != G_MAXDOUBLE && y < value - 1)
        target = y;
    }

  if (target != G_MAXDOUBLE && target >= 0)
    gtk_adjustment_set_value (adjustment, target);
}

static void
bnd_pdf_preview_dispose (GObject *object)
{
  BndPdfPreview *self = (BndPdfPreview *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pdf, g_bytes_unref);
  g_clear_pointer (&self->textures, g_ptr_array_unref);

  G_OBJECT_CLASS (bnd_pdf_preview_parent_class)->dispose (object);
}

static void
bnd_pdf_preview_class_init (BndPdfPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bnd_pdf_preview_dispose;

  signals[RENDERED] = g_signal_new ("rendered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "pdfpreview");
  gtk_widget_class_install_action (widget_class, "preview.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "preview.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "preview.zoom-reset", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "preview.next-page", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "preview.previous-page", NULL, page_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "preview.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "preview.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "preview.zoom-reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "preview.next-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "preview.previous-page", NULL);
}

static GtkWidget *
tool_button_new (const char *icon,
                 const char *action,
                 const char *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  gtk_widget_add_css_class (button, "flat");
  return button;
}

static void
bnd_pdf_preview_init (BndPdfPreview *self)
{
  GtkWidget *toolbar;

  self->zoom = 0.6;
  self->textures = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();

  /* A small widget whose parts are fixed: built here rather than from a template. */
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  toolbar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  gtk_widget_add_css_class (toolbar, "toolbar");
  gtk_box_append (GTK_BOX (toolbar), tool_button_new ("go-up-symbolic", "preview.previous-page",
                                                      _("Previous Page (Page Up)")));
  gtk_box_append (GTK_BOX (toolbar), tool_button_new ("go-down-symbolic", "preview.next-page",
                                                      _("Next Page (Page Down)")));
  self->page_label = gtk_label_new (NULL);
  gtk_widget_set_hexpand (self->page_label, TRUE);
  gtk_box_append (GTK_BOX (toolbar), self->page_label);
  gtk_box_append (GTK_BOX (toolbar), tool_button_new ("zoom-out-symbolic", "preview.zoom-out", _("Zoom Out (Ctrl+−)")));
  self->zoom_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->zoom_label, "numeric");
  gtk_box_append (GTK_BOX (toolbar), self->zoom_label);
  gtk_box_append (GTK_BOX (toolbar), tool_button_new ("zoom-in-symbolic", "preview.zoom-in", _("Zoom In (Ctrl++)")));
  gtk_box_append (GTK_BOX (self->box), toolbar);

  self->pages_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (self->pages_box, 12);
  gtk_widget_set_margin_bottom (self->pages_box, 12);
  gtk_widget_set_margin_start (self->pages_box, 12);
  gtk_widget_set_margin_end (self->pages_box, 12);
  self->scroller = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (self->scroller, TRUE);
  gtk_widget_add_css_class (self->scroller, "preview-background");
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), self->pages_box);
  gtk_box_append (GTK_BOX (self->box), self->scroller);

  update_labels (self);
}

GtkWidget *
bnd_pdf_preview_new (void)
{
  return g_object_new (BND_TYPE_PDF_PREVIEW, NULL);
}

/**
 * bnd_pdf_preview_set_pdf:
 * @self: a #BndPdfPreview
 * @pdf: the bytes of a PDF
 *
 * Shows @pdf once it is rendered; the previous pages stay until then.
 */
void
bnd_pdf_preview_set_pdf (BndPdfPreview *self,
                         GBytes        *pdf)
{
  g_return_if_fail (BND_IS_PDF_PREVIEW (self));
  g_return_if_fail (pdf != NULL);

  if (self->pdf && g_bytes_equal (self->pdf, pdf))
    return;
  g_clear_pointer (&self->pdf, g_bytes_unref);
  self->pdf = g_bytes_ref (pdf);
  start_render (self);
}

GBytes *
bnd_pdf_preview_get_pdf (BndPdfPreview *self)
{
  g_return_val_if_fail (BND_IS_PDF_PREVIEW (self), NULL);
  return self->pdf;
}

guint
bnd_pdf_preview_get_n_pages (BndPdfPreview *self)
{
  g_return_val_if_fail (BND_IS_PDF_PREVIEW (self), 0);
  return self->textures->len;
}

/**
 * bnd_pdf_preview_get_page:
 *
 * Returns: (transfer none) (nullable): the rendered page
 */
GdkTexture *
bnd_pdf_preview_get_page (BndPdfPreview *self,
                          guint          index)
{
  g_return_val_if_fail (BND_IS_PDF_PREVIEW (self), NULL);
  return index < self->textures->len ? g_ptr_array_index (self->textures, index) : NULL;
}

double
bnd_pdf_preview_get_zoom (BndPdfPreview *self)
{
  g_return_val_if_fail (BND_IS_PDF_PREVIEW (self), 1);
  return self->zoom;
}

void
bnd_pdf_preview_set_zoom (BndPdfPreview *self,
                          double         zoom)
{
  g_return_if_fail (BND_IS_PDF_PREVIEW (self));

  zoom = CLAMP (zoom, MIN_ZOOM, MAX_ZOOM);
  if (zoom == self->zoom)
    return;
  self->zoom = zoom;
  update_labels (self);
  start_render (self);
}

guint
bnd_pdf_preview_get_generation (BndPdfPreview *self)
{
  g_return_val_if_fail (BND_IS_PDF_PREVIEW (self), 0);
  return self->generation;
}
