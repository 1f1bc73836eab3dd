/* bnd-server-pdf-check.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* At most this many helpers run at once, and this many more uploads wait for one; beyond
 * that an upload is refused with 503 "busy". */
#define BND_PDF_CHECK_MAX_RUNNING 2
#define BND_PDF_CHECK_MAX_WAITING 8

#define BND_TYPE_SERVER_PDF_CHECK (bnd_server_pdf_check_get_type ())

G_DECLARE_FINAL_TYPE (BndServerPdfCheck, bnd_server_pdf_check, BND, SERVER_PDF_CHECK, GObject)

const char        *bnd_server_pdf_check_get_helper (void);
BndServerPdfCheck *bnd_server_pdf_check_new        (void);
void               bnd_server_pdf_check_set_limits (BndServerPdfCheck    *self,
                                                    guint                 timeout_s,
                                                    guint                 memory_mib);
void               bnd_server_pdf_check_run_async  (BndServerPdfCheck    *self,
                                                    GBytes               *pdf,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean           bnd_server_pdf_check_run_finish (BndServerPdfCheck    *self,
                                                    GAsyncResult         *result,
                                                    guint                *n_pages,
                                                    GError              **error);

G_END_DECLS
