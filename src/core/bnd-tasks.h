/* bnd-tasks.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bnd-store.h"

G_BEGIN_DECLS

typedef enum
{
  BND_TASK_REVISE,        /* the carrier: the first assessment asks for changes */
  BND_TASK_LONG_FORM,     /* the carrier: the long form is requested */
  BND_TASK_ASSESS,        /* the coordination: a sketch waits for its first assessment */
  BND_TASK_STATEMENT,     /* the coordination: a vote closed, the statement is due */
  BND_TASK_STATEMENT_CLOCK, /* the coordination: the two weeks to the statement run */
  BND_TASK_RATE,          /* a partner's seat: the rating round is open */
  BND_TASK_VOTE,          /* a partner's seat: the circulation vote is open */
  BND_TASK_COMMENTS,      /* anyone: others wrote in the thread since it was last read */
} BndTaskKind;

typedef struct
{
  BndTaskKind  kind;
  char        *dossier;
  char        *title;
  gint64       deadline;    /* Unix time, 0 if the task has none */
  guint        count;       /* new comments */
} BndTask;

GPtrArray *bnd_tasks_collect           (BndStore       *store,
                                        GError        **error);
int        bnd_task_days_left          (const BndTask  *task,
                                        gint64          now);
char      *bnd_task_describe           (const BndTask  *task);
char      *bnd_task_describe_due       (const BndTask  *task,
                                        gint64          now);
GPtrArray *bnd_tasks_take_reminders    (BndStore       *store,
                                        GPtrArray      *tasks,
                                        gint64          now);
void       bnd_tasks_mark_comments_read (BndStore      *store,
                                        const char     *dossier);
void       bnd_task_free               (BndTask        *task);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BndTask, bnd_task_free)

G_END_DECLS
