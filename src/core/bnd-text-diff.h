/* bnd-text-diff.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gsize start;      /* byte offsets into the old text */
  gsize end;
} BndTextChange;

GArray *bnd_text_diff_changed_words (const char *old_text,
                                     const char *new_text);

G_END_DECLS
