/* bnd-sketches-page-private.h: what the files of the Sketches view share
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bnd-sketches-page.h"
#include "bnd-sync-manager.h"

G_BEGIN_DECLS

struct _BndSketchesPage
{
  GtkWidget        parent_instance;

  /* Template widgets */
  AdwLeaflet      *leaflet;
  GtkSearchEntry  *search_entry;
  GtkDropDown     *goal_filter;
  GtkDropDown     *district_filter;
  GtkDropDown     *funding_filter;
  GtkStack        *list_stack;
  GtkListView     *sketch_list;
  BndSketchEditor *editor;          /* NULL until a sketch is first opened */

  /* Owned */
  BndStore        *store;
  GListStore      *sketches;         /* of BndSketchItem: what the list shows */
  BndStrategy     *strategy;
  GCancellable    *cancellable;      /* of the running list query */
  GPtrArray       *goal_ids;         /* NULL first: "all" */
  GPtrArray       *district_ids;
  BndSyncManager  *sync;
  char            *pending_open;     /* opened while a sync or another operation ran: opens after */
  GCancellable    *reads;            /* of loads for opening and exporting */
  guint            running;          /* operations on the store not yet answered */
  guint            progress_source;  /* the list's next reload during a long first sync */
  gint64           progress_reloaded; /* and its last one, monotonic time */
  gboolean         disposed;
};

/* What an operation (_bnd_sketches_page_begin()) carries from one step to the next. */
typedef struct
{
  BndSketchesPage *self;
  char            *uuid;
  char            *name;
  GFile           *file;
  BndSketch       *sketch;
} Op;

void     _bnd_sketches_page_toast          (BndSketchesPage *self,
                                            AdwToast        *toast);
void     _bnd_sketches_page_show_error     (BndSketchesPage *self,
                                            const char      *heading,
                                            const char      *message);
gboolean _bnd_sketches_page_begin          (BndSketchesPage *self);
void     _bnd_sketches_page_end            (BndSketchesPage *self);
void     _bnd_sketches_page_load_and_show  (BndSketchesPage *self,
                                            const char      *uuid);
Op      *_bnd_sketches_page_op_new         (BndSketchesPage *self,
                                            const char      *uuid);
void     _bnd_sketches_page_op_free        (Op              *op);

/* bnd-sketches-page-files.c: sketch files in and out */
void     _bnd_sketches_page_import_action  (GtkWidget       *widget,
                                            const char      *action_name,
                                            GVariant        *parameter);
void     _bnd_sketches_page_export_action  (GtkWidget       *widget,
                                            const char      *action_name,
                                            GVariant        *parameter);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Op, _bnd_sketches_page_op_free)

G_END_DECLS
