/* bnd-pdf-finish.c: cairo's PDF made sound, with its language, by libqpdf
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-pdf-finish"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <qpdf/qpdf-c.h>

#include "bnd-module.h"
#include "bnd-pdf-finish.h"

/* Every PDF Bündnis writes passes through here once, in memory, on its way out of cairo.
 *
 * cairo 1.16 writes a cross-reference entry for an object it never writes as soon as a page
 * holds a link: poppler repairs that silently, `qpdf --check` calls the file damaged, and
 * archiving validators may refuse it. qpdf reads the file, repairing the table as it goes, and
 * writes it anew with a sound page tree and cross-reference table. On the way it adds to the
 * catalog what cairo 1.16 cannot write: the document's language (/Lang), which screen readers
 * need to pick a voice, and /MarkInfo, which says that the structure tags cairo wrote are to be
 * trusted.
 *
 * The output must stay byte-identical for the same input: the server re-renders a submitted
 * sketch, and the preview is the export. So the file's /ID is derived from its content
 * (qpdf_set_deterministic_ID) instead of the clock and a random number. */

/* libqpdf is loaded with the first PDF rather than linked: linked, the dynamic loader maps and
 * relocates it, libstdc++'s users and GnuTLS with every start of every program here, which is a
 * noticeable part of the app's start-up to its first frame (tests/bench/bench-startup.py). The
 * soname is Debian 12's (libqpdf29); the PDF tests fail if it is wrong. */
#define QPDF_SONAME "libqpdf.so.29"

/* The few functions used, typed from qpdf-c.h */
static struct
{
  __typeof__ (qpdf_init) *init;
  __typeof__ (qpdf_cleanup) *cleanup;
  __typeof__ (qpdf_silence_errors) *silence_errors;
  __typeof__ (qpdf_set_suppress_warnings) *set_suppress_warnings;
  __typeof__ (qpdf_read_memory) *read_memory;
  __typeof__ (qpdf_get_root) *get_root;
  __typeof__ (qpdf_oh_replace_key) *oh_replace_key;
  __typeof__ (qpdf_oh_new_unicode_string) *oh_new_unicode_string;
  __typeof__ (qpdf_oh_parse) *oh_parse;
  __typeof__ (qpdf_has_error) *has_error;
  __typeof__ (qpdf_get_error) *get_error;
  __typeof__ (qpdf_get_error_full_text) *get_error_full_text;
  __typeof__ (qpdf_init_write_memory) *init_write_memory;
  __typeof__ (qpdf_set_deterministic_ID) *set_deterministic_ID;
  __typeof__ (qpdf_write) *write;
  __typeof__ (qpdf_get_buffer) *get_buffer;
  __typeof__ (qpdf_get_buffer_length) *get_buffer_length;
} qpdf_fn;

static const BndModuleSymbol qpdf_symbols[] = {
  { "qpdf_init", (gpointer *)&qpdf_fn.init },
  { "qpdf_cleanup", (gpointer *)&qpdf_fn.cleanup },
  { "qpdf_silence_errors", (gpointer *)&qpdf_fn.silence_errors },
  { "qpdf_set_suppress_warnings", (gpointer *)&qpdf_fn.set_suppress_warnings },
  { "qpdf_read_memory", (gpointer *)&qpdf_fn.read_memory },
  { "qpdf_get_root", (gpointer *)&qpdf_fn.get_root },
  { "qpdf_oh_replace_key", (gpointer *)&qpdf_fn.oh_replace_key },
  { "qpdf_oh_new_unicode_string", (gpointer *)&qpdf_fn.oh_new_unicode_string },
  { "qpdf_oh_parse", (gpointer *)&qpdf_fn.oh_parse },
  { "qpdf_has_error", (gpointer *)&qpdf_fn.has_error },
  { "qpdf_get_error", (gpointer *)&qpdf_fn.get_error },
  { "qpdf_get_error_full_text", (gpointer *)&qpdf_fn.get_error_full_text },
  { "qpdf_init_write_memory", (gpointer *)&qpdf_fn.init_write_memory },
  { "qpdf_set_deterministic_ID", (gpointer *)&qpdf_fn.set_deterministic_ID },
  { "qpdf_write", (gpointer *)&qpdf_fn.write },
  { "qpdf_get_buffer", (gpointer *)&qpdf_fn.get_buffer },
  { "qpdf_get_buffer_length", (gpointer *)&qpdf_fn.get_buffer_length },
};

static BndModule qpdf_module = { QPDF_SONAME, qpdf_symbols, G_N_ELEMENTS (qpdf_symbols) };

/**
 * bnd_pdf_finish_load:
 *
 * Loads libqpdf, once, from any thread (the PDFs are rendered on workers): what the first
 * bnd_pdf_finish() of a process would wait for. bnd_pdf_prepare() calls it on a thread of its
 * own while the first PDF is laid out.
 *
 * Returns: whether libqpdf and every function used is there
 */
gboolean
bnd_pdf_finish_load (GError **error)
{
  const char *why = bnd_module_ensure (&qpdf_module);

  if (why != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Could not write the PDF: %s"), why);
      return FALSE;
    }
  return TRUE;
}

static void
set_qpdf_error (qpdf_data   qpdf,
                GError    **error)
{
  qpdf_error failure = qpdf_fn.get_error (qpdf);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write the PDF: %s"),
               failure ? qpdf_fn.get_error_full_text (qpdf, failure) : "qpdf");
}

/**
 * bnd_pdf_finish:
 * @data: (array length=length): a PDF as cairo wrote it
 * @language: the document's language as a BCP 47 tag, "de-DE" or "en"
 *
 * Returns: (transfer full) (nullable): the PDF, rewritten by qpdf with /Lang and /MarkInfo in
 *   its catalog; the same input always gives the same bytes
 */
GBytes *
bnd_pdf_finish (const guint8  *data,
                gsize          length,
                const char    *language,
                GError       **error)
{
  qpdf_data qpdf;
  GBytes *finished = NULL;
  qpdf_oh root;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (language != NULL, NULL);

  if (!bnd_pdf_finish_load (error))
    return NULL;
  qpdf = qpdf_fn.init ();

  /* The repair of cairo's cross-reference table is expected and warns; nothing of it goes to
   * stderr. Errors are checked after each step. */
  qpdf_fn.silence_errors (qpdf);
  qpdf_fn.set_suppress_warnings (qpdf, QPDF_TRUE);

  if (qpdf_fn.read_memory (qpdf, "cairo.pdf", (const char *)data, length, NULL) & QPDF_ERRORS)
    goto fail;

  root = qpdf_fn.get_root (qpdf);
  qpdf_fn.oh_replace_key (qpdf, root, "/Lang", qpdf_fn.oh_new_unicode_string (qpdf, language));
  qpdf_fn.oh_replace_key (qpdf, root, "/MarkInfo", qpdf_fn.oh_parse (qpdf, "<< /Marked true >>"));
  if (qpdf_fn.has_error (qpdf))
    goto fail;

  if (qpdf_fn.init_write_memory (qpdf) & QPDF_ERRORS)
    goto fail;
  qpdf_fn.set_deterministic_ID (qpdf, QPDF_TRUE);
  if (qpdf_fn.write (qpdf) & QPDF_ERRORS)
    goto fail;

  finished = g_bytes_new (qpdf_fn.get_buffer (qpdf), qpdf_fn.get_buffer_length (qpdf));
  qpdf_fn.cleanup (&qpdf);
  return finished;

fail:
  set_qpdf_error (qpdf, error);
  qpdf_fn.cleanup (&qpdf);
  return NULL;
}
