/* bench-pdf.c: how fast the Projektskizze renders, and the page budget after one keystroke
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "bnd-pdf-renderer.h"

#define REPEATS 50

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return values[n / 2];
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BndStrategy) strategy = NULL;
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  double render[REPEATS], budget[REPEATS];
  gint64 start;
  gsize length;

  if (argc < 2)
    {
      g_printerr ("usage: bench-pdf SKETCH.bndsketch\n");
      return 2;
    }

  if (!(strategy = bnd_strategy_new_default (&error)) ||
      !g_file_get_contents (argv[1], &contents, &length, &error) ||
      !(sketch = bnd_sketch_new_from_data (contents, length, argv[1], strategy, &error)))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  start = g_get_monotonic_time ();
  g_bytes_unref (bnd_pdf_render (sketch, strategy, NULL, NULL));
  printf ("pdf render, first in process:        %7.2f ms\n", ms_since (start));

  for (guint i = 0; i < REPEATS; i++)
    {
      start = g_get_monotonic_time ();
      g_bytes_unref (bnd_pdf_render (sketch, strategy, NULL, NULL));
      render[i] = ms_since (start);
    }
  printf ("pdf render, median of %d:            %7.2f ms  (target <= 20 ms)\n", REPEATS, median (render, REPEATS));

  /* One keystroke, then what the editor does for the budget: copy the sketch, measure. */
  for (guint i = 0; i < REPEATS; i++)
    {
      g_autofree char *text = g_strdup_printf ("%s%c", bnd_sketch_get_section (sketch, "approach"), 'a' + i % 26);
      g_autoptr(BndSketch) copy = NULL;
      BndPageBudget result;

      bnd_sketch_set_section (sketch, "approach", text);
      start = g_get_monotonic_time ();
      copy = bnd_sketch_copy (sketch);
      bnd_pdf_measure (copy, strategy, &result, NULL);
      budget[i] = ms_since (start);
      bnd_page_budget_clear (&result);
    }
  printf ("page budget after a keystroke, median: %5.2f ms  (target <= 50 ms)\n", median (budget, REPEATS));

  return 0;
}
