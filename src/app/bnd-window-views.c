/* bnd-window-views.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The main window builds a view when it is first shown (or first asked for), not at start-up:
 * the first frame then holds the header bar and the one view the user had open last, rather
 * than seven views to construct, style and measure. This file knows how each view is made and
 * given what it shows; bnd-window.c decides when. */

#define G_LOG_DOMAIN "bnd-window-views"

#include "config.h"

#include "bnd-fields-page.h"
#include "bnd-goals-page.h"
#include "bnd-overview-page.h"
#include "bnd-procedure-page.h"
#include "bnd-region-page.h"
#include "bnd-review-page.h"
#include "bnd-sketches-page.h"
#include "bnd-startup-profile.h"
#include "bnd-window-views.h"

static const char *names[BND_N_VIEWS] = {
  [BND_VIEW_OVERVIEW] = "overview",
  [BND_VIEW_GOALS] = "goals",
  [BND_VIEW_FIELDS] = "fields",
  [BND_VIEW_REGION] = "region",
  [BND_VIEW_PROCEDURE] = "procedure",
  [BND_VIEW_SKETCHES] = "sketches",
  [BND_VIEW_DOSSIERS] = "dossiers",
};

const char *
bnd_view_get_name (BndView view)
{
  g_return_val_if_fail (view < BND_N_VIEWS, NULL);
  return names[view];
}

/* Returns: the view called @name, or -1 */
int
bnd_view_from_name (const char *name)
{
  for (guint i = 0; name != NULL && i < BND_N_VIEWS; i++)
    if (g_str_equal (names[i], name))
      return i;
  return -1;
}

GtkWidget *
bnd_view_new (BndView view)
{
  GType type;

  switch (view)
    {
    case BND_VIEW_OVERVIEW:
      type = BND_TYPE_OVERVIEW_PAGE;
      break;
    case BND_VIEW_GOALS:
      type = BND_TYPE_GOALS_PAGE;
      break;
    case BND_VIEW_FIELDS:
      type = BND_TYPE_FIELDS_PAGE;
      break;
    case BND_VIEW_REGION:
      type = BND_TYPE_REGION_PAGE;
      break;
    case BND_VIEW_PROCEDURE:
      type = BND_TYPE_PROCEDURE_PAGE;
      break;
    case BND_VIEW_SKETCHES:
      type = BND_TYPE_SKETCHES_PAGE;
      break;
    case BND_VIEW_DOSSIERS:
      type = BND_TYPE_REVIEW_PAGE;
      break;
    case BND_N_VIEWS:
    default:
      g_return_val_if_reached (NULL);
    }
  return g_object_new (type, NULL);
}

/**
 * bnd_view_set_context:
 * @page: a page from bnd_view_new()
 * @view: which view @page is
 * @context: what the window has: the strategy (not %NULL), the store and the sync (%NULL
 *   without a store) and the window's settings
 *
 * Hands @page what it shows, when it is built and whenever the strategy changes.
 */
void
bnd_view_set_context (GtkWidget            *page,
                      BndView               view,
                      const BndViewContext *context)
{
  g_return_if_fail (GTK_IS_WIDGET (page));
  g_return_if_fail (BND_IS_STRATEGY (context->strategy));

  switch (view)
    {
    case BND_VIEW_OVERVIEW:
      bnd_overview_page_set_strategy (BND_OVERVIEW_PAGE (page), context->strategy);
      break;
    case BND_VIEW_GOALS:
      bnd_goals_page_set_strategy (BND_GOALS_PAGE (page), context->strategy);
      break;
    case BND_VIEW_FIELDS:
      bnd_fields_page_set_strategy (BND_FIELDS_PAGE (page), context->strategy);
      break;
    case BND_VIEW_REGION:
      bnd_region_page_set_strategy (BND_REGION_PAGE (page), context->strategy, context->settings);
      break;
    case BND_VIEW_PROCEDURE:
      bnd_procedure_page_set_strategy (BND_PROCEDURE_PAGE (page), context->strategy);
      break;
    case BND_VIEW_SKETCHES:
      bnd_sketches_page_set_context (BND_SKETCHES_PAGE (page), context->store, context->strategy);
      bnd_sketches_page_set_sync_manager (BND_SKETCHES_PAGE (page), context->sync);
      break;
    case BND_VIEW_DOSSIERS:
      bnd_review_page_set_context (BND_REVIEW_PAGE (page), context->store, context->strategy, context->sync);
      break;
    case BND_N_VIEWS:
    default:
      g_return_if_reached ();
    }
}

/**
 * bnd_view_build:
 * @stack: the window's view stack, with an empty AdwBin as each view's page
 * @view: the view to build
 * @context: what the window has; its strategy may still be %NULL
 *
 * Returns: (transfer none): the view, in its place in @stack
 */
GtkWidget *
bnd_view_build (AdwViewStack         *stack,
                BndView               view,
                const BndViewContext *context)
{
  gint64 begin = bnd_startup_profile_begin ();
  GtkWidget *bin = adw_view_stack_get_child_by_name (stack, names[view]);
  GtkWidget *page = bnd_view_new (view);

  adw_bin_set_child (ADW_BIN (bin), page);
  if (context->strategy != NULL)
    bnd_view_set_context (page, view, context);
  if (bnd_startup_profile_enabled ())
    {
      g_autofree char *phase = g_strdup_printf ("view %s", names[view]);
      bnd_startup_profile_end (phase, begin);
    }
  return page;
}
