/* fuzz-common.h: what the libFuzzer targets of tests/fuzz share
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

/* libFuzzer's entry points */
int  LLVMFuzzerInitialize   (int            *argc,
                             char         ***argv);
int  LLVMFuzzerTestOneInput (const uint8_t  *data,
                             size_t          size);

void fuzz_init              (void);
void fuzz_fail              (const char     *format,
                             ...) G_GNUC_PRINTF (1, 2) G_GNUC_NORETURN;
void fuzz_check_utf8        (const char     *what,
                             const char     *text);
void fuzz_check_result      (const char     *what,
                             gboolean        ok,
                             const GError   *error);
char *fuzz_read_file        (const char     *name,
                             gsize          *length);
GPtrArray *fuzz_split       (const uint8_t  *data,
                             size_t          size,
                             guint           max_parts);

G_END_DECLS
