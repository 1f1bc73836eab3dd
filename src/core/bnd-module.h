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

/* A library loaded at first use: what to load, and how its one load went */
typedef struct
{
  const char            *soname;
  const BndModuleSymbol *symbols;
  gsize                  n_symbols;
  gsize                  loaded;    /* private: for g_once_init_enter() */
  char                  *error;     /* private: why it could not be loaded, or NULL */
} BndModule;

char       *bnd_module_load   (const char            *soname,
                               const BndModuleSymbol *symbols,
                               gsize                  n_symbols);
const char *bnd_module_ensure (BndModule             *module);

G_END_DECLS
