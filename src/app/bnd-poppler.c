/* bnd-poppler.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* poppler-glib, loaded when the first PDF is shown rather than linked. Linked, the dynamic loader
 * maps and relocates it, libpoppler (C++) and NSS with every start of the app, before main(): a
 * tenth of the start-up to the first frame (tests/bench/bench-startup.py), for PDFs that most
 * starts never show. Only the handful of functions the app calls go through here; the types and
 * the reference counting are plain GObject. */

#define G_LOG_DOMAIN "bnd-poppler"

#include "config.h"

#include <glib/gi18n.h>

#include "bnd-module.h"
#include "bnd-poppler.h"

/* The soname of poppler-glib on the platforms we build for (Debian 12: libpoppler-glib8); the
 * PDF tests fail if it is wrong. */
#define POPPLER_GLIB_SONAME "libpoppler-glib.so.8"

typedef struct
{
  PopplerDocument *(*document_new_from_bytes)  (GBytes *, const char *, GError **);
  int              (*document_get_n_pages)     (PopplerDocument *);
  PopplerPage     *(*document_get_page)        (PopplerDocument *, int);
  void             (*page_get_size)            (PopplerPage *, double *, double *);
  void             (*page_render_for_printing) (PopplerPage *, cairo_t *);
} Poppler;

static Poppler poppler;

static const BndModuleSymbol poppler_symbols[] = {
  { "poppler_document_new_from_bytes", (gpointer *)&poppler.document_new_from_bytes },
  { "poppler_document_get_n_pages", (gpointer *)&poppler.document_get_n_pages },
  { "poppler_document_get_page", (gpointer *)&poppler.document_get_page },
  { "poppler_page_get_size", (gpointer *)&poppler.page_get_size },
  { "poppler_page_render_for_printing", (gpointer *)&poppler.page_render_for_printing },
};

static BndModule poppler_module = { POPPLER_GLIB_SONAME, poppler_symbols, G_N_ELEMENTS (poppler_symbols) };

/* From any thread (the preview renders on a worker). */
static gboolean
ensure_loaded (GError **error)
{
  const char *why = bnd_module_ensure (&poppler_module);

  if (why != NULL)
    {
      /* Translators: %s is a technical reason, e.g. "libpoppler-glib.so.8: cannot open shared object file" */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("PDF files cannot be shown: %s"), why);
      return FALSE;
    }
  return TRUE;
}

/**
 * bnd_poppler_document_new_from_bytes:
 *
 * As poppler_document_new_from_bytes() without a password; loads poppler-glib on first use.
 * The other functions here take what this returned, so poppler is loaded by then.
 *
 * Returns: (transfer full) (nullable): the document
 */
PopplerDocument *
bnd_poppler_document_new_from_bytes (GBytes  *bytes,
                                     GError **error)
{
  if (!ensure_loaded (error))
    return NULL;
  return poppler.document_new_from_bytes (bytes, NULL, error);
}

int
bnd_poppler_document_get_n_pages (PopplerDocument *document)
{
  return poppler.document_get_n_pages (document);
}

PopplerPage *
bnd_poppler_document_get_page (PopplerDocument *document,
                               int              index)
{
  return poppler.document_get_page (document, index);
}

void
bnd_poppler_page_get_size (PopplerPage *page,
                           double      *width,
                           double      *height)
{
  poppler.page_get_size (page, width, height);
}

void
bnd_poppler_page_render_for_printing (PopplerPage *page,
                                      cairo_t     *cr)
{
  poppler.page_render_for_printing (page, cr);
}
