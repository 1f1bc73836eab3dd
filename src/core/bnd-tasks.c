/* bnd-tasks.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-tasks"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "bnd-dossier-cache.h"
#include "bnd-dossier-steps.h"
#include "bnd-json-check.h"
#include "bnd-tasks.h"

/* What waits for the signed-in person, worked out from the profile alone: the sketches' stages
 * and the server's answers cached at the last sync (who is signed in, assessments, threads,
 * ratings, votes), plus the votes queued here. So My tasks and the reminders work offline. */

#define DAY (24 * 60 * 60)

typedef struct
{
  const char *role;
  const char *org;
  JsonNode   *portfolio;
} Who;

void
bnd_task_free (BndTask *task)
{
  g_free (task->dossier);
  g_free (task->title);
  g_free (task);
}

/* The carrier's organisation, from the portfolio; a carrier cannot read the portfolio, and
 * sees only its own organisation's dossiers anyway. */
static gboolean
is_own_dossier (const Who  *who,
                const char *dossier)
{
  if (who->portfolio == NULL)
    return g_strcmp0 (who->role, "partner") != 0 && g_strcmp0 (who->role, "coordination") != 0;
  return g_strcmp0 (bnd_dossier_cache_find_carrier (who->portfolio, dossier), who->org) == 0;
}

/* Entitled and not voted yet: the own ballot is listed, with no choice. */
static gboolean
own_ballot_is_open (JsonObject *vote,
                    const char *org)
{
  JsonObject *ballot = bnd_dossier_cache_find_ballot (vote, org);
  JsonNode *choice = ballot ? json_object_get_member (ballot, "choice") : NULL;

  return ballot && (choice == NULL || JSON_NODE_HOLDS_NULL (choice));
}

static JsonNode *
cached (BndStore   *store,
        const char *dossier,
        const char *what)
{
  g_autofree char *path = bnd_dossier_cache_path (dossier, what);

  return bnd_dossier_cache_get_json (store, path);
}

static gboolean
vote_is_queued (GPtrArray  *votes,
                const char *dossier)
{
  for (guint i = 0; votes && i < votes->len; i++)
    {
      BndQueuedVote *vote = g_ptr_array_index (votes, i);

      if (g_str_equal (vote->dossier, dossier) && g_str_equal (vote->state, "queued"))
        return TRUE;
    }
  return FALSE;
}

static void
add_task (GPtrArray              *tasks,
          BndTaskKind             kind,
          const BndSketchSummary *dossier,
          gint64                  deadline,
          guint                   count)
{
  BndTask *task = g_new0 (BndTask, 1);

  task->kind = kind;
  task->dossier = g_strdup (dossier->uuid);
  task->title = g_strdup (dossier->title && *dossier->title ? dossier->title : _("Untitled Sketch"));
  task->deadline = deadline;
  task->count = count;
  g_ptr_array_add (tasks, task);
}

static guint
count_new_comments (BndStore   *store,
                    const Who  *who,
                    const char *dossier)
{
  g_autoptr(JsonNode) comments = cached (store, dossier, "comments");
  JsonArray *list = bnd_json_array_of (bnd_json_as_object (comments), "comments");
  g_autofree char *key = g_strconcat ("comments-read:", dossier, NULL);
  g_autofree char *read = bnd_store_get_meta (store, key);
  gint64 last_read = read ? g_ascii_strtoll (read, NULL, 10) : 0;
  guint count = 0;

  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      JsonObject *comment = json_array_get_object_element (list, i);

      if (comment && json_object_get_int_member_with_default (comment, "id", 0) > last_read &&
          g_strcmp0 (json_object_get_string_member_with_default (comment, "org", NULL), who->org) != 0)
        count++;
    }
  return count;
}

/* The partner's tasks: rate while the round is open, vote while the vote is. */
static void
collect_partner_tasks (BndStore               *store,
                       const Who              *who,
                       const BndSketchSummary *dossier,
                       GPtrArray              *votes,
                       GPtrArray              *tasks)
{
  if (g_str_equal (dossier->stage, "rating"))
    {
      g_autoptr(JsonNode) ratings = cached (store, dossier->uuid, "ratings");
      JsonArray *list = bnd_json_array_of (bnd_json_as_object (ratings), "ratings");
      gboolean rated = FALSE;

      for (guint i = 0; list && i < json_array_get_length (list); i++)
        {
          JsonObject *rating = json_array_get_object_element (list, i);

          rated |= rating && g_strcmp0 (json_object_get_string_member_with_default (rating, "org", NULL), who->org) == 0;
        }
      if (!rated)
        add_task (tasks, BND_TASK_RATE, dossier, 0, 0);
    }

  if (g_str_equal (dossier->stage, "vote"))
    {
      g_autoptr(JsonNode) node = cached (store, dossier->uuid, "vote");
      JsonObject *vote = bnd_json_as_object (node);

      if (vote && !json_object_get_boolean_member_with_default (vote, "closed", FALSE) &&
          own_ballot_is_open (vote, who->org) && !vote_is_queued (votes, dossier->uuid))
        add_task (tasks, BND_TASK_VOTE, dossier, json_object_get_int_member_with_default (vote, "deadline", 0), 0);
    }
}

static void
collect_coordination_tasks (BndStore               *store,
                            const BndSketchSummary *dossier,
                            GPtrArray              *tasks)
{
  g_autoptr(JsonNode) node = cached (store, dossier->uuid, "");
  gint64 due = 0;

  /* The two weeks from the long form's receipt to the statement (strategy §4.1) are the
   * deadline of whatever leads there. */
  bnd_dossier_statement_due (bnd_json_as_object (node), &due);
  if (g_str_equal (dossier->stage, "submitted"))
    add_task (tasks, BND_TASK_ASSESS, dossier, 0, 0);
  else if (g_str_equal (dossier->stage, "first-assessment"))
    {
      g_autoptr(JsonNode) assessment = cached (store, dossier->uuid, "assessment");

      if (assessment == NULL)
        add_task (tasks, BND_TASK_ASSESS, dossier, 0, 0);
    }
  else if (g_str_equal (dossier->stage, "vote"))
    {
      g_autoptr(JsonNode) vote_node = cached (store, dossier->uuid, "vote");
      JsonObject *vote = bnd_json_as_object (vote_node);

      /* No vote cached until the coordination opens one */
      if (vote && json_object_get_boolean_member_with_default (vote, "closed", FALSE))
        add_task (tasks, BND_TASK_STATEMENT, dossier, due, 0);
      else if (due != 0)
        add_task (tasks, BND_TASK_STATEMENT_CLOCK, dossier, due, 0);
    }
  else if (due != 0)
    add_task (tasks, BND_TASK_STATEMENT_CLOCK, dossier, due, 0);
}

static void
collect_carrier_tasks (BndStore               *store,
                       const BndSketchSummary *dossier,
                       GPtrArray              *tasks)
{
  if (g_str_equal (dossier->stage, "long-form-requested"))
    add_task (tasks, BND_TASK_LONG_FORM, dossier, 0, 0);
  else if (g_str_equal (dossier->stage, "changes-requested"))
    add_task (tasks, BND_TASK_REVISE, dossier, 0, 0);
}

static int
compare_tasks (gconstpointer a,
               gconstpointer b)
{
  const BndTask *x = *(const BndTask **)a;
  const BndTask *y = *(const BndTask **)b;

  /* Those with a deadline first, soonest first; then in the order of the procedure. */
  if ((x->deadline != 0) != (y->deadline != 0))
    return x->deadline != 0 ? -1 : 1;
  if (x->deadline != y->deadline)
    return x->deadline < y->deadline ? -1 : 1;
  if (x->kind != y->kind)
    return x->kind < y->kind ? -1 : 1;
  return g_strcmp0 (x->title, y->title);
}

/**
 * bnd_tasks_collect:
 *
 * Returns: (transfer container) (element-type BndTask): what waits for the person signed in at
 *   the last sync, deadlines first; empty if nobody has signed in yet
 */
GPtrArray *
bnd_tasks_collect (BndStore  *store,
                   GError   **error)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify)bnd_task_free);
  g_autoptr(GPtrArray) dossiers = NULL;
  g_autoptr(GPtrArray) votes = NULL;
  g_autoptr(JsonNode) me = bnd_dossier_cache_get_json (store, "/me");
  g_autoptr(JsonNode) portfolio = bnd_dossier_cache_get_json (store, "/portfolio");
  Who who = { 0 };

  if (bnd_json_as_object (me) == NULL)
    return g_steal_pointer (&tasks);
  who.role = json_object_get_string_member_with_default (bnd_json_as_object (me), "role", "");
  who.org = json_object_get_string_member_with_default (bnd_json_as_object (me), "org", "");
  who.portfolio = bnd_json_as_object (portfolio) ? portfolio : NULL;

  if (!(dossiers = bnd_dossier_cache_list_dossiers (store, error)) ||
      !(votes = bnd_store_list_own_votes (store, error)))
    return NULL;

  for (guint i = 0; i < dossiers->len; i++)
    {
      BndSketchSummary *dossier = g_ptr_array_index (dossiers, i);
      gboolean own = is_own_dossier (&who, dossier->uuid);
      guint comments;

      if (own)
        collect_carrier_tasks (store, dossier, tasks);
      if (g_str_equal (who.role, "coordination"))
        collect_coordination_tasks (store, dossier, tasks);
      if (g_str_equal (who.role, "partner") && !own)
        collect_partner_tasks (store, &who, dossier, votes, tasks);
      if ((comments = count_new_comments (store, &who, dossier->uuid)) > 0)
        add_task (tasks, BND_TASK_COMMENTS, dossier, 0, comments);
    }
  g_ptr_array_sort (tasks, compare_tasks);
  return g_steal_pointer (&tasks);
}

/* Whole days left, rounded up: 0 once the deadline has passed. */
int
bnd_task_days_left (const BndTask *task,
                    gint64         now)
{
  if (task->deadline == 0)
    return -1;
  if (task->deadline <= now)
    return 0;
  return (int)((task->deadline - now + DAY - 1) / DAY);
}

char *
bnd_task_describe (const BndTask *task)
{
  switch (task->kind)
    {
    case BND_TASK_REVISE:
      return g_strdup (_("The first assessment asks for changes: revise the sketch and submit it again"));
    case BND_TASK_LONG_FORM:
      return g_strdup (_("Upload the long form: the network coordination requested it"));
    case BND_TASK_ASSESS:
      return g_strdup (_("Record the first assessment"));
    case BND_TASK_STATEMENT:
      return g_strdup (_("Issue the statement: the vote has closed"));
    case BND_TASK_STATEMENT_CLOCK:
      return g_strdup (_("Bring the dossier to the Lenkungskreis’s statement: it is due two weeks after the long form"));
    case BND_TASK_RATE:
      return g_strdup (_("Rate the long form for your organisation"));
    case BND_TASK_VOTE:
      return g_strdup (_("Vote in the circulation procedure"));
    case BND_TASK_COMMENTS:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new comment", "%u new comments", task->count),
                              task->count);
    default:
      g_return_val_if_reached (NULL);
    }
}

/* "3 days left", "Due today" … or NULL without a deadline. */
char *
bnd_task_describe_due (const BndTask *task,
                       gint64         now)
{
  int days = bnd_task_days_left (task, now);

  if (days < 0)
    return NULL;
  if (days == 0)
    return g_strdup (_("The deadline has passed"));
  if (task->deadline - now < DAY)
    return g_strdup (_("Ends within a day"));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day left", "%d days left", days), days);
}

/* Whether @key is new, marking it as done. */
static gboolean
take_mark (BndStore   *store,
           const char *key)
{
  g_autofree char *seen = bnd_store_get_meta (store, key);

  if (seen != NULL)
    return FALSE;
  return bnd_store_set_meta (store, key, "1", NULL);
}

/**
 * bnd_tasks_take_reminders:
 * @tasks: from bnd_tasks_collect()
 *
 * The tasks to notify about now: each new request once, and each deadline once when 3 days and
 * once when 1 day are left. What is returned is marked in the profile, so it is not repeated.
 *
 * Returns: (transfer container) (element-type BndTask): borrowed from @tasks
 */
GPtrArray *
bnd_tasks_take_reminders (BndStore  *store,
                          GPtrArray *tasks,
                          gint64     now)
{
  GPtrArray *due = g_ptr_array_new ();

  for (guint i = 0; i < tasks->len; i++)
    {
      BndTask *task = g_ptr_array_index (tasks, i);
      g_autofree char *base = task->kind == BND_TASK_COMMENTS
                              ? g_strdup_printf ("reminded:%d:%s:%u", task->kind, task->dossier, task->count)
                              : g_strdup_printf ("reminded:%d:%s", task->kind, task->dossier);
      g_autofree char *key = NULL;
      gint64 left = task->deadline - now;

      if (task->deadline != 0 && left > 0 && left <= DAY)
        key = g_strconcat (base, ":1", NULL);
      else if (task->deadline != 0 && left > 0 && left <= 3 * DAY)
        key = g_strconcat (base, ":3", NULL);
      else if (task->deadline == 0 || left > 0)
        key = g_strdup (base);

      /* The later marks imply the earlier ones: a task first seen a day before its deadline
       * is reminded once, not three times. */
      if (key && take_mark (store, key))
        {
          g_autofree char *three = g_strconcat (base, ":3", NULL);

          bnd_store_set_meta (store, base, "1", NULL);
          if (g_str_has_suffix (key, ":1"))
            bnd_store_set_meta (store, three, "1", NULL);
          g_ptr_array_add (due, task);
        }
    }
  return due;
}

/* The thread of @dossier has been read: its comments are no longer new. */
void
bnd_tasks_mark_comments_read (BndStore   *store,
                              const char *dossier)
{
  g_autoptr(JsonNode) comments = cached (store, dossier, "comments");
  JsonArray *list = bnd_json_array_of (bnd_json_as_object (comments), "comments");
  g_autofree char *key = g_strconcat ("comments-read:", dossier, NULL);
  g_autofree char *value = NULL;
  gint64 last = 0;

  for (guint i = 0; list && i < json_array_get_length (list); i++)
    last = MAX (last, json_object_get_int_member_with_default (json_array_get_object_element (list, i), "id", 0));
  value = g_strdup_printf ("%" G_GINT64_FORMAT, last);
  bnd_store_set_meta (store, key, value, NULL);
}
