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

static void
set_qpdf_error (qpdf_data   qpdf,
                GError    **error)
{
  qpdf_error failure = qpdf_get_error (qpdf);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write the PDF: %s"),
               failure ? qpdf_get_error_full_text (qpdf, failure) : "qpdf");
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
  qpdf_data qpdf = qpdf_init ();
  GBytes *finished = NULL;
  qpdf_oh root;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (language != NULL, NULL);

  /* The repair of cairo's cross-reference table is expected and warns; nothing of it goes to
   * stderr. Errors are checked after each step. */
  qpdf_silence_errors (qpdf);
  qpdf_set_suppress_warnings (qpdf, QPDF_TRUE);

  if (qpdf_read_memory (qpdf, "cairo.pdf", (const char *)data, length, NULL) & QPDF_ERRORS)
    goto fail;

  root = qpdf_get_root (qpdf);
  qpdf_oh_replace_key (qpdf, root, "/Lang", qpdf_oh_new_unicode_string (qpdf, language));
  qpdf_oh_replace_key (qpdf, root, "/MarkInfo", qpdf_oh_parse (qpdf, "<< /Marked true >>"));
  if (qpdf_has_error (qpdf))
    goto fail;

  if (qpdf_init_write_memory (qpdf) & QPDF_ERRORS)
    goto fail;
  qpdf_set_deterministic_ID (qpdf, QPDF_TRUE);
  if (qpdf_write (qpdf) & QPDF_ERRORS)
    goto fail;

  finished = g_bytes_new (qpdf_get_buffer (qpdf), qpdf_get_buffer_length (qpdf));
  qpdf_cleanup (&qpdf);
  return finished;

fail:
  set_qpdf_error (qpdf, error);
  qpdf_cleanup (&qpdf);
  return NULL;
}
