/* bnd-server-mail.c: the notifications the procedure's events write into the outbox
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-mail"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <stdio.h>

#include "bnd-dossier-steps.h"
#include "bnd-format.h"
#include "bnd-server-db-private.h"
#include "bnd-server-mail.h"
#include "bnd-server-outbox.h"
#include "bnd-stage.h"

/* Each event that concerns someone writes one message per recipient into the outbox, in the
 * transaction of the event itself: a step that is rolled back leaves no message, and a step
 * that is committed cannot lose its message (bnd-server-mailer.c sends them). The message is
 * written out completely here, subject and body in the recipient's language, so that every
 * attempt sends the same text under the same Message-ID.
 *
 * Who is told: the users of the organisations concerned who have an address, want e-mail and
 * are not disabled; never the administrators' accounts (they have no part in the procedure),
 * never the account that took the step (it knows). A draft is no dossier: nothing about it is
 * ever sent, to anyone.
 *
 * Languages: the server runs with LC_MESSAGES=C so that the API's messages stay untranslated
 * (buendnis-server.c). A message for a German reader is written with this thread's locale set
 * to C.UTF-8 (uselocale(), so no other thread notices) and LANGUAGE=de in the environment, which
 * gettext reads only for a locale other than "C": the server's own catalogue gives the German
 * text, and an English reader gets the msgids. */

#define TIME_ZONE "Europe/Berlin"

typedef enum
{
  MAIL_ASSESSED,
  MAIL_RATING_OPENED,
  MAIL_VOTE_OPENED,
  MAIL_RATING_REMINDER,
  MAIL_VOTE_REMINDER,
  MAIL_STATEMENT,
  MAIL_APPROVED,
  MAIL_REJECTED,
  MAIL_WITHDRAWN,
  MAIL_REOPENED,
  MAIL_SESSION_AGENDA,
  MAIL_STATEMENT_REMINDER,
  MAIL_STATEMENT_OVERDUE,
} MailKind;

static const char *kind_names[] = {
  "assessment", "rating-opened", "vote-opened", "rating-reminder", "vote-reminder", "statement",
  "approved", "rejected", "withdrawn", "reopened", "session-agenda", "statement-reminder",
  "statement-overdue",
};

typedef struct
{
  MailKind            kind;
  const char         *dossier;   /* (nullable): the session's id for an agenda */
  const char         *title;
  const char         *stage;     /* the stage reached */
  const char         *reason;    /* (nullable) */
  gint64              deadline;  /* 0: none */
  int                 days;      /* a reminder's days left */
  const char         *date;      /* an agenda's day, YYYY-MM-DD */
  const char         *place;
  const char * const *titles;    /* an agenda's dossiers */
} Notice;

/* Languages */

static locale_t german;

/**
 * bnd_server_mail_init_languages:
 *
 * Readies writing German messages; `serve` calls it once, after it set LC_MESSAGES to C and
 * before it starts serving. Without it every message is written in English.
 */
void
bnd_server_mail_init_languages (void)
{
  /* Read by gettext only where the locale is not "C": in the thread that writes a German
   * message, and nowhere else in a server whose LC_MESSAGES is C. */
  g_setenv ("LANGUAGE", "de", TRUE);
  german = newlocale (LC_MESSAGES_MASK, "C.UTF-8", (locale_t)0);
  if (german == (locale_t)0)
    g_warning ("The locale C.UTF-8 is missing: e-mail is written in English only");
}

static locale_t
enter_language (const char *language)
{
  if (g_strcmp0 (language, "de") == 0 && german != (locale_t)0)
    return uselocale (german);
  return (locale_t)0;
}

static void
leave_language (locale_t previous)
{
  if (previous != (locale_t)0)
    uselocale (previous);
}

/* A deadline as its reader writes it, in the alliance's time zone and as the app writes it
 * (bnd-format.c): 31.03.2026, 23:59 Uhr in German, 31 Mar 2026, 23:59 in English. */
static char *
format_deadline (const char *language,
                 gint64      when)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (TIME_ZONE);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (when);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zone ? zone : g_time_zone_new_utc ());
  g_autofree char *text = bnd_format_date_time (local, bnd_locale_from_language (language));

  if (g_strcmp0 (language, "de") == 0)
    return g_strconcat (text, " Uhr", NULL);
  return g_strdup_printf ("%s (%s)", text, zone ? "Berlin time" : "UTC");
}

/* A day (YYYY-MM-DD) as its reader writes it; as given when it is no such day. */
static char *
format_day (const char *language,
            const char *day)
{
  char *text = bnd_format_iso_date (day, bnd_locale_from_language (language));

  return text ? text : g_strdup (day ? day : "");
}

/* Writing the messages: called between enter_language() and leave_language() */

static void
compose (const Notice  *notice,
         const char    *language,
         const char    *name,
         char         **subject,
         char         **body)
{
  GString *text = g_string_new (NULL);
  g_autofree char *deadline = notice->deadline ? format_deadline (language, notice->deadline) : NULL;
  const char *lead = NULL;
  const char *next = NULL;

  switch (notice->kind)
    {
    case MAIL_ASSESSED:
      if (g_strcmp0 (notice->stage, "long-form-requested") == 0)
        {
          *subject = g_strdup_printf (_("Long form requested: %s"), notice->title);
          lead = _("The first assessment of your project sketch is positive.");
          next = _("Next: please work out the project description in the long form and attach it to the "
                   "dossier in Bündnis.");
        }
      else if (g_strcmp0 (notice->stage, "changes-requested") == 0)
        {
          *subject = g_strdup_printf (_("Changes requested: %s"), notice->title);
          lead = _("The first assessment asks for changes to your project sketch.");
          next = _("Next: please revise the sketch and submit it again; it goes into the same dossier.");
        }
      else
        {
          *subject = g_strdup_printf (_("Not recommended: %s"), notice->title);
          lead = _("The first assessment of your project sketch is negative: the project is not "
                   "recommended, and the dossier is closed.");
          next = _("Next: nothing is required. Please contact the network coordination if you have "
                   "questions.");
        }
      break;
    case MAIL_RATING_OPENED:
      *subject = g_strdup_printf (_("Please rate: %s"), notice->title);
      lead = _("The rating round on the long form is open, and your organisation is asked to rate it.");
      next = _("Next: please rate the long form in Bündnis by the deadline.");
      break;
    case MAIL_VOTE_OPENED:
      *subject = g_strdup_printf (_("Please vote: %s"), notice->title);
      lead = _("The circulation vote of the Lenkungskreis is open, and your organisation is asked to vote.");
      next = _("Next: please cast your organisation’s vote in Bündnis by the deadline.");
      break;
    case MAIL_RATING_REMINDER:
      *subject = g_strdup_printf (ngettext ("Reminder, %d day left to rate: %s",
                                            "Reminder, %d days left to rate: %s", notice->days),
                                  notice->days, notice->title);
      lead = _("Your organisation has not rated the long form yet.");
      next = _("Next: please rate the long form in Bündnis by the deadline.");
      break;
    case MAIL_VOTE_REMINDER:
      *subject = g_strdup_printf (ngettext ("Reminder, %d day left to vote: %s",
                                            "Reminder, %d days left to vote: %s", notice->days),
                                  notice->days, notice->title);
      lead = _("Your organisation has not voted yet.");
      next = _("Next: please cast your organisation’s vote in Bündnis by the deadline.");
      break;
    case MAIL_STATEMENT_REMINDER:
      *subject = g_strdup_printf (ngettext ("Reminder, %d day left for the statement: %s",
                                            "Reminder, %d days left for the statement: %s", notice->days),
                                  notice->days, notice->title);
      lead = _("The Lenkungskreis has not issued its statement on this project yet. It is due by the "
               "deadline below, counted from the receipt of the long form.");
      next = _("Next: please bring the rating round and the vote to the statement in Bündnis by the deadline.");
      break;
    case MAIL_STATEMENT_OVERDUE:
      *subject = g_strdup_printf (_("Statement overdue: %s"), notice->title);
      lead = _("The deadline for the Lenkungskreis’s statement on this project, counted from the receipt "
               "of the long form, has passed, and no statement has been issued yet.");
      next = _("Next: please bring the rating round and the vote to the statement in Bündnis as soon as "
               "possible.");
      break;
    case MAIL_STATEMENT:
      if (g_strcmp0 (notice->stage, "statement") == 0)
        {
          *subject = g_strdup_printf (_("Positive statement: %s"), notice->title);
          lead = _("The Lenkungskreis has issued a positive statement on your project.");
          next = _("Next: the application is filed at NBank; the network coordination will contact you.");
        }
      else
        {
          *subject = g_strdup_printf (_("Not endorsed: %s"), notice->title);
          lead = _("The Lenkungskreis has issued a negative statement on your project; the dossier is closed.");
          next = _("Next: nothing is required. Please contact the network coordination if you have "
                   "questions.");
        }
      break;
    case MAIL_APPROVED:
      *subject = g_strdup_printf (_("Approved by NBank: %s"), notice->title);
      lead = _("NBank has approved the application.");
      next = _("Next: nothing is required in Bündnis.");
      break;
    case MAIL_REJECTED:
      *subject = g_strdup_printf (_("Rejected by NBank: %s"), notice->title);
      lead = _("NBank has rejected the application; the dossier is closed.");
      next = _("Next: nothing is required. Please contact the network coordination if you have "
               "questions.");
      break;
    case MAIL_WITHDRAWN:
      *subject = g_strdup_printf (_("Withdrawn: %s"), notice->title);
      lead = _("The dossier has been withdrawn and is closed.");
      next = _("Next: nothing is required. The network coordination can reopen the dossier if needed.");
      break;
    case MAIL_REOPENED:
      *subject = g_strdup_printf (_("Reopened: %s"), notice->title);
      lead = _("The network coordination has reopened the dossier.");
      next = _("Next: please look at the dossier in Bündnis; it continues at the stage named above.");
      break;
    case MAIL_SESSION_AGENDA:
    default:
      {
        g_autofree char *day = format_day (language, notice->date);

        *subject = g_strdup_printf (_("Lenkungskreis session on %s: agenda"), day);
        lead = NULL;
        next = _("Next: please prepare the dossiers on the agenda in Bündnis.");
      }
      break;
    }

  g_string_append_printf (text, _("Hello %s,"), name);
  g_string_append (text, "\n\n");
  if (notice->kind == MAIL_SESSION_AGENDA)
    {
      g_autofree char *day = format_day (language, notice->date);

      g_string_append_printf (text, _("The Lenkungskreis meets on %s."), day);
      g_string_append (text, "\n");
      if (notice->place && *notice->place)
        {
          g_string_append_printf (text, _("Place: %s"), notice->place);
          g_string_append (text, "\n");
        }
      g_string_append_printf (text, "\n%s\n", _("On the agenda:"));
      for (guint i = 0; notice->titles && notice->titles[i]; i++)
        g_string_append_printf (text, "  %u. %s\n", i + 1, notice->titles[i]);
    }
  else
    {
      g_string_append_printf (text, "%s\n\n", lead);
      g_string_append_printf (text, _("Project: %s"), notice->title);
      g_string_append (text, "\n");
      g_string_append_printf (text, _("Stage: %s"), bnd_stage_get_label (notice->stage));
      g_string_append (text, "\n");
      if (notice->reason && *notice->reason)
        {
          g_string_append_printf (text, _("Reason: %s"), notice->reason);
          g_string_append (text, "\n");
        }
      if (deadline)
        {
          g_string_append_printf (text, _("Deadline: %s"), deadline);
          g_string_append (text, "\n");
        }
    }
  g_string_append_printf (text, "\n%s\n\n-- \n%s\n", next,
                          _("Bündnis sent this message because e-mail notifications are switched on for your "
                            "account. You can switch them off in the app’s preferences."));
  *body = g_string_free (text, FALSE);
}

/* Recipients */

/* What every recipient must be, besides what the notice's query asks: ?9 is the actor. */
#define RECIPIENTS "SELECT name, email, language FROM users WHERE email IS NOT NULL AND email != '' " \
                   "AND mail_enabled = 1 AND disabled = 0 AND role != 'admin' AND name IS DISTINCT FROM ?9 AND "

/* The carrier's organisation: ?1 */
#define TO_CARRIER RECIPIENTS "org = ?1 ORDER BY name"
/* The Lenkungskreis's accounts: a carrier's account at a partner organisation (a Landkreis's
 * project staff) sees its own dossiers only, so it hears nothing of the others'. */
#define IN_LENKUNGSKREIS RECIPIENTS "role IN ('partner', 'coordination') AND "
/* The partner organisations entitled to rate dossier ?2 of the carrier ?1; with NOT_RATED those
 * that have not rated yet. */
#define TO_RATERS IN_LENKUNGSKREIS "org IN (SELECT id FROM orgs WHERE kind != 'carrier' AND id != ?1 AND id NOT IN " \
                  "(SELECT org FROM recusals WHERE dossier = ?2))"
#define NOT_RATED " AND org NOT IN (SELECT org FROM ratings WHERE dossier = ?2)"
/* The organisations entitled to vote on ?2 */
#define TO_VOTERS IN_LENKUNGSKREIS "org IN (SELECT org FROM vote_entitled WHERE dossier = ?2)"
#define NOT_VOTED " AND org NOT IN (SELECT org FROM votes WHERE dossier = ?2)"
/* The network coordination */
#define TO_COORDINATION RECIPIENTS "role = 'coordination' ORDER BY name"
/* Every partner organisation */
#define TO_PARTNERS IN_LENKUNGSKREIS "org IN (SELECT id FROM orgs WHERE kind != 'carrier') ORDER BY name"

static gboolean
enqueue (BndServerDb    *self,
         const Notice   *notice,
         const char     *sql,
         const char     *carrier,
         const char     *actor,
         GError        **error)
{
  g_autoptr(BndDbStmt) stmt = NULL;
  int rc;

  if (!self->mail_enabled)
    return TRUE;
  if (!(stmt = bnd_server_db_prepare (self, sql, error)))
    return FALSE;
  bnd_db_bind_text (stmt, 1, carrier);
  bnd_db_bind_text (stmt, 2, notice->dossier);
  bnd_db_bind_text (stmt, 9, actor);
  while ((rc = bnd_db_step (stmt)) == BND_DB_ROW)
    {
      const char *name = bnd_db_column_text (stmt, 0);
      const char *address = bnd_db_column_text (stmt, 1);
      const char *language = bnd_db_column_text (stmt, 2);
      g_autofree char *subject = NULL;
      g_autofree char *body = NULL;
      locale_t previous;

      previous = enter_language (language);
      compose (notice, language, name, &subject, &body);
      leave_language (previous);
      if (!bnd_server_outbox_add (self, name, address, kind_names[notice->kind], notice->dossier, subject, body,
                                  error))
        return FALSE;
    }
  if (rc != BND_DB_DONE)
    return bnd_server_db_sql_error (self, error);
  return TRUE;
}

static char *
record_title (const BndRecord *record)
{
  g_autoptr(JsonNode) data = json_from_string (record->data, NULL);
  JsonObject *object = data && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;
  const char *title = object ? json_object_get_string_member_with_default (object, "title", "") : "";

  return g_strdup (*title ? title : "–");
}

/**
 * bnd_server_mail_enqueue_step:
 * @actor: who took the step
 * @record: the dossier before the step
 * @target: the stage it reached
 * @reason: (nullable): the reason given, for the carrier to read
 * @deadline: the rating round's deadline, or 0
 *
 * Writes the messages that @step tells: the assessment's result, the decision, the statement, a
 * withdrawal and a reopening to the carrier's organisation, the opening of the rating round to the
 * organisations that rate. Other steps tell nobody. The caller holds the step's transaction.
 */
gboolean
bnd_server_mail_enqueue_step (BndServerDb      *self,
                              const BndUser    *actor,
                              const BndRecord  *record,
                              BndStep           step,
                              const char       *target,
                              const char       *reason,
                              gint64            deadline,
                              GError          **error)
{
  g_autofree char *title = NULL;
  Notice notice = { 0 };
  const char *sql = TO_CARRIER;

  if (record == NULL || g_str_equal (record->stage, "draft") || !self->mail_enabled)
    return TRUE;
  switch (step)
    {
    case BND_STEP_ASSESS:
      notice.kind = MAIL_ASSESSED;
      /* Only a negative result or a request for changes has a reason for the carrier. */
      if (g_strcmp0 (target, "long-form-requested") == 0)
        reason = NULL;
      break;
    case BND_STEP_OPEN_RATING:
      notice.kind = MAIL_RATING_OPENED;
      notice.deadline = deadline;
      sql = TO_RATERS " ORDER BY name";
      reason = NULL;
      break;
    case BND_STEP_ISSUE_STATEMENT:
      notice.kind = MAIL_STATEMENT;
      break;
    case BND_STEP_APPROVE:
      notice.kind = MAIL_APPROVED;
      reason = NULL;
      break;
    case BND_STEP_REJECT:
      notice.kind = MAIL_REJECTED;
      break;
    case BND_STEP_WITHDRAW:
      notice.kind = MAIL_WITHDRAWN;
      break;
    case BND_STEP_REOPEN:
      notice.kind = MAIL_REOPENED;
      break;
    /* The vote's opening tells from bnd_server_db_insert_vote_round(); the others tell nobody. */
    case BND_STEP_RECORD_CONSULTATION:
    case BND_STEP_SUBMIT:
    case BND_STEP_START_ASSESSMENT:
    case BND_STEP_RECEIVE_LONG_FORM:
    case BND_STEP_RATE:
    case BND_STEP_OPEN_VOTE:
    case BND_STEP_VOTE:
    case BND_STEP_FILE_APPLICATION:
    case BND_STEP_ATTACH:
    case BND_STEP_COMMENT:
    case BND_STEP_RECUSE:
    case BND_N_STEPS:
    default:
      return TRUE;
    }
  title = record_title (record);
  notice.dossier = record->uuid;
  notice.title = title;
  notice.stage = target;
  notice.reason = reason;
  return enqueue (self, &notice, sql, record->org, actor->name, error);
}

/**
 * bnd_server_mail_enqueue_vote_opened:
 *
 * Tells the organisations entitled to vote on @record that the vote is open; the caller holds
 * the transaction that wrote vote_entitled.
 */
gboolean
bnd_server_mail_enqueue_vote_opened (BndServerDb      *self,
                                     const BndUser    *actor,
                                     const BndRecord  *record,
                                     gint64            deadline,
                                     GError          **error)
{
  g_autofree char *title = NULL;
  Notice notice = { 0 };

  if (!self->mail_enabled)
    return TRUE;
  title = record_title (record);
  notice.kind = MAIL_VOTE_OPENED;
  notice.dossier = record->uuid;
  notice.title = title;
  notice.stage = "vote";
  notice.deadline = deadline;
  return enqueue (self, &notice, TO_VOTERS " ORDER BY name", record->org, actor->name, error);
}

/**
 * bnd_server_mail_enqueue_session_agenda:
 * @session: the session's id, kept with each message
 * @date: the session's day, YYYY-MM-DD
 * @place: (nullable): where it is held, or how to join it online
 * @titles: (array zero-terminated=1): the titles of the dossiers on its agenda, in order
 *
 * Sends the agenda of a Lenkungskreis session to every user of a partner organisation. The
 * caller holds the transaction that records the session, or none: then this is one of its own.
 */
gboolean
bnd_server_mail_enqueue_session_agenda (BndServerDb        *self,
                                        const char         *session,
                                        const char         *date,
                                        const char         *place,
                                        const char * const *titles,
                                        GError            **error)
{
  Notice notice = { 0 };
  /* A request's reads (bnd_server_db_begin_request()) are no transaction of the caller's. */
  gboolean own = !bnd_server_db_in_transaction (self);

  if (!self->mail_enabled)
    return TRUE;
  notice.kind = MAIL_SESSION_AGENDA;
  notice.dossier = session;
  notice.date = date;
  notice.place = place;
  notice.titles = titles;
  if (own && !bnd_server_db_begin (self, error))
    return FALSE;
  if (!enqueue (self, &notice, TO_PARTNERS, NULL, NULL, error))
    {
      if (own)
        bnd_server_db_rollback (self);
      return FALSE;
    }
  return !own || bnd_server_db_commit (self, error);
}

/* Reminders */

typedef struct
{
  char   *dossier;
  char   *org;
  char   *title;
  char   *stage;
  gint64  opened;    /* for the statement's clock: when the long form was received */
  gint64  deadline;  /* for the statement's clock: when the statement is due */
} Round;

static void
round_free (Round *round)
{
  g_free (round->dossier);
  g_free (round->org);
  g_free (round->title);
  g_free (round->stage);
  g_free (round);
}

static GPtrArray *
open_rounds (BndServerDb  *self,
             const char   *sql,
             gint64        now,
             GError      **error)
{
  g_autoptr(BndDbStmt) stmt = bnd_server_db_prepare (self, sql, error);
  g_autoptr(GPtrArray) rounds = g_ptr_array_new_with_free_func ((GDestroyNotify)round_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  bnd_db_bind_int64 (stmt, 1, now);
  while ((rc = bnd_db_step (stmt)) == BND_DB_ROW)
    {
      Round *round = g_new0 (Round, 1);
      BndRecord record = { .data = (char *)bnd_db_column_text (stmt, 2) };

      round->dossier = g_strdup (bnd_db_column_text (stmt, 0));
      round->org = g_strdup (bnd_db_column_text (stmt, 1));
      round->title = record_title (&record);
      round->opened = bnd_db_column_int64 (stmt, 3);
      round->deadline = bnd_db_column_int64 (stmt, 4);
      round->stage = g_strdup (bnd_db_column_text (stmt, 5));
      g_ptr_array_add (rounds, round);
    }
  if (rc != BND_DB_DONE)
    {
      bnd_server_db_sql_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&rounds);
}

static gboolean
reminder_sent (BndServerDb  *self,
               const char   *dossier,
               const char   *kind,
               gint64        deadline,
               int           days)
{
  g_autoptr(BndDbStmt) stmt =
    bnd_server_db_prepare (self, "SELECT 1 FROM mail_reminders WHERE dossier = ?1 AND round = ?2 "
                                 "AND deadline = ?3 AND days = ?4", NULL);

  if (stmt == NULL)
    return TRUE;
  bnd_db_bind_text (stmt, 1, dossier);
  bnd_db_bind_text (stmt, 2, kind);
  bnd_db_bind_int64 (stmt, 3, deadline);
  bnd_db_bind_int (stmt, 4, days);
  return bnd_db_step (stmt) == BND_DB_ROW;
}

/* Marks the reminder sent; *@claimed tells whether this call marked it. The mark is taken in the
 * transaction that writes the reminder, so of several processes checking the same round at the
 * same moment only one writes it (the others find the mark there and roll back). */
static gboolean
mark_reminder (BndServerDb  *self,
               const char   *dossier,
               const char   *kind,
               gint64        deadline,
               int           days,
               gint64        now,
               gboolean     *claimed,
               GError      **error)
{
  g_autoptr(BndDbStmt) stmt =
    bnd_server_db_prepare (self, "INSERT INTO mail_reminders (dossier, round, deadline, days, sent) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING", error);

  if (stmt == NULL)
    return FALSE;
  bnd_db_bind_text (stmt, 1, dossier);
  bnd_db_bind_text (stmt, 2, kind);
  bnd_db_bind_int64 (stmt, 3, deadline);
  bnd_db_bind_int (stmt, 4, days);
  bnd_db_bind_int64 (stmt, 5, now);
  if (bnd_db_step (stmt) != BND_DB_DONE)
    return bnd_server_db_sql_error (self, error);
  if (claimed != NULL)
    *claimed = bnd_db_changes (stmt) > 0;
  return TRUE;
}

/* The reminder due for @round now: the nearer one when both are (the server was down, or its
 * clock moved), none that was due before the round opened. */
static int
due_reminder (const Round *round,
              gint64       now)
{
  static const int distances[] = { BND_MAIL_REMINDER_LATE, BND_MAIL_REMINDER_EARLY };

  for (guint i = 0; i < G_N_ELEMENTS (distances); i++)
    {
      gint64 at = round->deadline - (gint64)distances[i] * 86400;

      if (now >= at && now < round->deadline && round->opened < at)
        return distances[i];
    }
  return 0;
}

static gboolean
remind (BndServerDb  *self,
        Round        *round,
        MailKind      kind,
        const char   *name,
        const char   *sql,
        gint64        now,
        guint        *n_enqueued,
        GError      **error)
{
  int days = due_reminder (round, now);
  Notice notice = { 0 };
  gboolean claimed = FALSE;

  /* The look outside a transaction spares the write lock once a reminder is out; the mark
   * decides. */
  if (days == 0 || reminder_sent (self, round->dossier, name, round->deadline, days))
    return TRUE;
  notice.kind = kind;
  notice.dossier = round->dossier;
  notice.title = round->title;
  notice.stage = round->stage;
  notice.deadline = round->deadline;
  notice.days = days;
  if (!bnd_server_db_begin (self, error))
    return FALSE;
  if (!mark_reminder (self, round->dossier, name, round->deadline, days, now, &claimed, error))
    goto failed;
  if (!claimed)
    {
      bnd_server_db_rollback (self);
      return TRUE;
    }
  /* The nearer reminder stands for the earlier one, which is not sent after it. */
  if (days == BND_MAIL_REMINDER_LATE &&
      !mark_reminder (self, round->dossier, name, round->deadline, BND_MAIL_REMINDER_EARLY, now, NULL, error))
    goto failed;
  if (!enqueue (self, &notice, sql, round->org, NULL, error))
    goto failed;
  (*n_enqueued)++;
  return bnd_server_db_commit (self, error);

failed:
  bnd_server_db_rollback (self);
  return FALSE;
}

/* The statement's two-week clock (strategy §4.1) */

/* mail_reminders.days of the one notice that the statement is overdue */
#define OVERDUE 0

/* The dossiers whose clock runs (bnd_statement_clock_runs(), the rule the app shows it by): those
 * at a running stage, not closed, with no statement since the long form was last received. As
 * with the app's clock, the two weeks run from the latest receipt; its audit entry's number
 * orders it against the statements. */
static GPtrArray *
statement_clocks (BndServerDb  *self,
                  GError      **error)
{
  g_autoptr(BndDbStmt) stmt =
    bnd_server_db_prepare (self, "SELECT d.uuid, d.org, d.data, r.at, d.stage FROM records AS d JOIN "
                                 "(SELECT dossier, max (at) AS at, max (n) AS n FROM audit "
                                 " WHERE action = 'long-form-received' GROUP BY dossier) AS r ON r.dossier = d.uuid "
                                 "WHERE d.closed_at IS NULL AND NOT EXISTS (SELECT 1 FROM audit AS s "
                                 " WHERE s.dossier = d.uuid AND s.action = 'statement' AND s.n > r.n)", error);
  g_autoptr(GPtrArray) clocks = g_ptr_array_new_with_free_func ((GDestroyNotify)round_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = bnd_db_step (stmt)) == BND_DB_ROW)
    {
      const char *stage = bnd_db_column_text (stmt, 4);
      BndRecord record = { .data = (char *)bnd_db_column_text (stmt, 2) };
      Round *clock;

      if (!bnd_statement_clock_runs (stage))
        continue;
      clock = g_new0 (Round, 1);
      clock->dossier = g_strdup (bnd_db_column_text (stmt, 0));
      clock->org = g_strdup (bnd_db_column_text (stmt, 1));
      clock->title = record_title (&record);
      clock->stage = g_strdup (stage);
      clock->opened = bnd_db_column_int64 (stmt, 3);
      clock->deadline = bnd_statement_due_from (clock->opened);
      g_ptr_array_add (clocks, clock);
    }
  if (rc != BND_DB_DONE)
    {
      bnd_server_db_sql_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&clocks);
}

/* Once the statement's due time has passed, the coordination is told once; the reminders
 * before it are not sent after it (due_reminder()). */
static gboolean
tell_overdue (BndServerDb  *self,
              Round        *clock,
              gint64        now,
              guint        *n_enqueued,
              GError      **error)
{
  Notice notice = { 0 };
  gboolean claimed = FALSE;

  if (now < clock->deadline || reminder_sent (self, clock->dossier, "statement", clock->deadline, OVERDUE))
    return TRUE;
  notice.kind = MAIL_STATEMENT_OVERDUE;
  notice.dossier = clock->dossier;
  notice.title = clock->title;
  notice.stage = clock->stage;
  notice.deadline = clock->deadline;
  if (!bnd_server_db_begin (self, error))
    return FALSE;
  if (!mark_reminder (self, clock->dossier, "statement", clock->deadline, OVERDUE, now, &claimed, error) ||
      (claimed && !enqueue (self, &notice, TO_COORDINATION, clock->org, NULL, error)))
    {
      bnd_server_db_rollback (self);
      return FALSE;
    }
  if (!claimed)
    {
      bnd_server_db_rollback (self);
      return TRUE;
    }
  (*n_enqueued)++;
  return bnd_server_db_commit (self, error);
}

/**
 * bnd_server_mail_send_reminders:
 * @n_enqueued: (out): how many rounds were reminded of
 *
 * Writes the reminders due now by the server's clock: 3 days and 1 day before the deadline of
 * each open rating round and vote, to the organisations that have not rated or voted yet; and
 * 3 days and 1 day before the Lenkungskreis's statement is due (two weeks after the long form
 * arrived, bnd_statement_due_from()), and once when it is overdue, to the network coordination.
 * Each reminder is written with its mark in mail_reminders in one transaction, so none goes out
 * twice.
 */
gboolean
bnd_server_mail_send_reminders (BndServerDb  *self,
                                guint        *n_enqueued,
                                GError      **error)
{
  gint64 now = bnd_server_db_now (self);
  g_autoptr(GPtrArray) ratings = NULL;
  g_autoptr(GPtrArray) votes = NULL;
  g_autoptr(GPtrArray) clocks = NULL;

  *n_enqueued = 0;
  if (!self->mail_enabled)
    return TRUE;
  if (!(ratings = open_rounds (self, "SELECT r.dossier, d.org, d.data, r.opened, r.deadline, d.stage FROM rating_rounds AS r "
                                     "JOIN records AS d ON d.uuid = r.dossier WHERE r.closed IS NULL "
                                     "AND d.stage = 'rating' AND r.deadline > ?1", now, error)) ||
      !(votes = open_rounds (self, "SELECT v.dossier, d.org, d.data, v.opened, v.deadline, d.stage FROM vote_rounds AS v "
                                   "JOIN records AS d ON d.uuid = v.dossier WHERE v.closed IS NULL "
                                   "AND d.stage = 'vote' AND v.deadline > ?1", now, error)) ||
      !(clocks = statement_clocks (self, error)))
    return FALSE;
  for (guint i = 0; i < ratings->len; i++)
    if (!remind (self, g_ptr_array_index (ratings, i), MAIL_RATING_REMINDER, "rating",
                 TO_RATERS NOT_RATED " ORDER BY name", now, n_enqueued, error))
      return FALSE;
  for (guint i = 0; i < votes->len; i++)
    if (!remind (self, g_ptr_array_index (votes, i), MAIL_VOTE_REMINDER, "vote",
                 TO_VOTERS NOT_VOTED " ORDER BY name", now, n_enqueued, error))
      return FALSE;
  for (guint i = 0; i < clocks->len; i++)
    if (!remind (self, g_ptr_array_index (clocks, i), MAIL_STATEMENT_REMINDER, "statement", TO_COORDINATION,
                 now, n_enqueued, error) ||
        !tell_overdue (self, g_ptr_array_index (clocks, i), now, n_enqueued, error))
      return FALSE;
  return TRUE;
}

/**
 * bnd_server_db_set_mail:
 * @enabled: whether events write messages into the outbox
 * @domain: (nullable): the right-hand side of the Message-IDs, such as the sender's domain
 */
void
bnd_server_db_set_mail (BndServerDb *self,
                        gboolean     enabled,
                        const char  *domain)
{
  self->mail_enabled = enabled;
  g_free (self->mail_domain);
  self->mail_domain = g_strdup (domain);
}
