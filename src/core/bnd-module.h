/* bnd-module.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A function of a library loaded at first use, and where its address goes */
typedef struct
{
  const char *name;
  gpointer   *slot;
} BndModuleSymbol;

char *bnd_module_load (const char            *soname,
                       const BndModuleSymbol *symbols,
                       gsize                  n_symbols);

G_END_DECLS
