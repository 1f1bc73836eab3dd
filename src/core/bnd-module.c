/* bnd-module.c: libraries loaded at their first use rather than linked
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-module"

#include "config.h"

#include <gmodule.h>

#include "bnd-module.h"

/* Linked, a large library is mapped and relocated with its dependencies at every start, before
 * main(), even when the program never calls it (tests/bench/bench-startup.py). The few callers
 * that need one (poppler-glib for the app's previews, libqpdf for the PDFs, libxlsxwriter for the
 * portfolio's workbook) load it here, once (bnd_module_ensure()). */

/**
 * bnd_module_load:
 * @soname: the library's soname, e.g. "libqpdf.so.29"
 * @symbols: the functions to look up, each into its slot
 *
 * Opens @soname, fills every slot and keeps the library for the life of the process (what it
 * made may outlive any one caller). Call it once per library.
 *
 * Returns: (transfer full) (nullable): %NULL when every function was found, else why not
 */
char *
bnd_module_load (const char            *soname,
                 const BndModuleSymbol *symbols,
                 gsize                  n_symbols)
{
  /* Lazily bound, as a linked library is: resolving every symbol of libqpdf, GnuTLS and the C++
   * runtime at once cost a millisecond or two of each PDF export. */
  GModule *module = g_module_open (soname, G_MODULE_BIND_LOCAL | G_MODULE_BIND_LAZY);
  char *why;

  for (gsize i = 0; module != NULL && i < n_symbols; i++)
    if (!g_module_symbol (module, symbols[i].name, symbols[i].slot))
      g_clear_pointer (&module, g_module_close);
  if (module != NULL)
    {
      g_module_make_resident (module);
      return NULL;
    }
  why = g_strdup_printf ("%s: %s", soname, g_module_error ());
  g_warning ("%s", why);
  return why;
}

/**
 * bnd_module_ensure:
 * @module: a library with its functions, in static storage
 *
 * Loads @module with bnd_module_load() the first time it is asked, from any thread, and only
 * then.
 *
 * Returns: (nullable): %NULL when every function of @module was found, else why not
 */
const char *
bnd_module_ensure (BndModule *module)
{
  if (g_once_init_enter (&module->loaded))
    {
      module->error = bnd_module_load (module->soname, module->symbols, module->n_symbols);
      g_once_init_leave (&module->loaded, 1);
    }
  return module->error;
}
