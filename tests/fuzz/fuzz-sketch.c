/* fuzz-sketch.c: the .bndsketch loader, as an import from a file or a server body reaches it
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-fuzz"

#include "config.h"

#include <string.h>

#include "bnd-pdf-renderer.h"
#include "bnd-sketch.h"
#include "fuzz-common.h"

/* The input is a file: it is read once without a strategy (only the format's limits) and once
 * against the default pack (sections and links must exist), as the CLI's import does. What
 * loads must save, load again and save to the same text; its checks and its PDF must work. */

static BndStrategy *strategy;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;

  fuzz_init ();
  if (!(strategy = bnd_strategy_new_default (&error)))
    fuzz_fail ("the default strategy does not load: %s", error->message);
  return 0;
}

static void
check_loaded (BndSketch   *sketch,
              BndStrategy *with)
{
  g_autoptr(BndSketch) again = NULL;
  g_autoptr(BndSketch) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *saved_again = NULL;
  g_autofree char *saved_copy = NULL;
  g_autofree char *plain = NULL;
  gsize length;

  saved = bnd_sketch_to_data (sketch, &length);
  fuzz_check_utf8 ("the saved sketch", saved);
  again = bnd_sketch_new_from_data (saved, length, "saved", with, &error);
  if (again == NULL)
    fuzz_fail ("a sketch that loaded does not load once saved: %s\n%s", error->message, saved);
  saved_again = bnd_sketch_to_data (again, NULL);
  if (!g_str_equal (saved, saved_again))
    fuzz_fail ("saved, loaded and saved again, the sketch changed:\n%s\n---\n%s", saved, saved_again);

  copy = bnd_sketch_copy (sketch);
  saved_copy = bnd_sketch_to_data (copy, NULL);
  if (!g_str_equal (saved, saved_copy))
    fuzz_fail ("a copy of the sketch differs:\n%s\n---\n%s", saved, saved_copy);

  plain = bnd_sketch_dup_plain_text (sketch);
  fuzz_check_utf8 ("the sketch's plain text", plain);

  if (with != NULL)
    {
      g_autoptr(GPtrArray) issues = bnd_sketch_validate (sketch, with);
      g_autoptr(GBytes) pdf = NULL;
      BndPageBudget budget = { 0 };

      for (guint i = 0; i < issues->len; i++)
        {
          BndSketchIssue *issue = g_ptr_array_index (issues, i);

          fuzz_check_utf8 ("an issue's field", issue->field);
          fuzz_check_utf8 ("an issue's message", issue->message);
        }

      pdf = bnd_pdf_render (sketch, with, &budget, &error);
      fuzz_check_result ("bnd_pdf_render", pdf != NULL, error);
      if (pdf != NULL && (g_bytes_get_size (pdf) < 5 || memcmp (g_bytes_get_data (pdf, NULL), "%PDF-", 5) != 0))
        fuzz_fail ("the rendered sketch is not a PDF");
      if (budget.overflow_title != NULL)
        fuzz_check_utf8 ("the overflow title", budget.overflow_title);
      bnd_page_budget_clear (&budget);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  BndStrategy *strategies[] = { NULL, strategy };

  for (guint i = 0; i < G_N_ELEMENTS (strategies); i++)
    {
      g_autoptr(BndSketch) sketch = NULL;
      g_autoptr(GError) error = NULL;

      sketch = bnd_sketch_new_from_data ((const char *)data, size, "fuzz.bndsketch", strategies[i], &error);
      fuzz_check_result ("bnd_sketch_new_from_data", sketch != NULL, error);
      if (sketch != NULL)
        check_loaded (sketch, strategies[i]);
    }
  return 0;
}
