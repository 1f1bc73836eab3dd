/* bnd-test-util.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bnd-test-util.h"

/* The built-in strategy pack; the test fails if it does not load. */
BndStrategy *
bnd_test_load_strategy (void)
{
  g_autoptr(GError) error = NULL;
  BndStrategy *strategy = bnd_strategy_new_default (&error);

  g_assert_no_error (error);
  return strategy;
}

/* tests/data/reference-sketch.bndsketch, checked against @strategy. */
BndSketch *
bnd_test_load_reference (BndStrategy *strategy)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "reference-sketch.bndsketch", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize length;
  BndSketch *sketch;

  g_file_get_contents (path, &data, &length, &error);
  g_assert_no_error (error);
  sketch = bnd_sketch_new_from_data (data, length, path, strategy, &error);
  g_assert_no_error (error);
  return sketch;
}
