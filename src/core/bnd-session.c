/* bnd-session.c: Lenkungskreis sessions: what an item's outcome is called and which step of the
 * procedure it takes, and a session's date as the reader says it
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-session"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "bnd-pdf-layout.h"
#include "bnd-session.h"

/* Strategy §4.1: the Lenkungskreis meets "mindestens dreimal jährlich" to discuss and decide on
 * projects. For each dossier on a session's agenda the coordination records what came of it:
 * it was discussed, or the session opened its rating round, or its circulation vote. The last
 * two are steps of the procedure (bnd-procedure.c); the server takes them through the same
 * rules as any other call, so an outcome never records what the dossier's stage did not allow. */

static const struct { const char *name; const char *label; int step; } outcomes[] = {
  { "discussed", N_("Discussed"), -1 },
  { "rating-opened", N_("Rating round opened"), BND_STEP_OPEN_RATING },
  { "vote-opened", N_("Circulation vote opened"), BND_STEP_OPEN_VOTE },
};

gboolean
bnd_session_outcome_is_known (const char *outcome)
{
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    if (g_strcmp0 (outcome, outcomes[i].name) == 0)
      return TRUE;
  return FALSE;
}

/**
 * bnd_session_outcome_nth:
 *
 * Returns: (nullable): the outcomes' names in order from 0, %NULL past the last
 */
const char *
bnd_session_outcome_nth (guint n)
{
  return n < G_N_ELEMENTS (outcomes) ? outcomes[n].name : NULL;
}

/**
 * bnd_session_outcome_label:
 *
 * Returns: the outcome as the documents and the app say it, translated; "" for none
 */
const char *
bnd_session_outcome_label (const char *outcome)
{
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    if (g_strcmp0 (outcome, outcomes[i].name) == 0)
      return _(outcomes[i].label);
  return outcome ? outcome : "";
}

/**
 * bnd_session_outcome_step:
 *
 * Returns: whether recording @outcome takes a step of the procedure, and which in @step
 */
gboolean
bnd_session_outcome_step (const char *outcome,
                          BndStep    *step)
{
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    if (g_strcmp0 (outcome, outcomes[i].name) == 0 && outcomes[i].step >= 0)
      {
        *step = outcomes[i].step;
        return TRUE;
      }
  return FALSE;
}

/**
 * bnd_session_format_date:
 * @iso_date: YYYY-MM-DD
 *
 * Returns: (transfer full): the day in the reader's language, "Thursday, 12 March 2026" or
 *   "Donnerstag, 12. März 2026", from the catalogue rather than the C library's locale, so that
 *   LANGUAGE alone decides it as it does every other word; @iso_date itself when it is no day
 */
char *
bnd_session_format_date (const char *iso_date)
{
  static const char *weekdays[] = { N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"),
                                    N_("Friday"), N_("Saturday"), N_("Sunday") };
  static const char *months[] = { N_("January"), N_("February"), N_("March"), N_("April"), N_("May"),
                                  N_("June"), N_("July"), N_("August"), N_("September"), N_("October"),
                                  N_("November"), N_("December") };
  g_autofree char *iso = iso_date && strlen (iso_date) == 10 ? g_strconcat (iso_date, "T12:00:00Z", NULL) : NULL;
  g_autoptr(GDateTime) day = iso ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;

  if (day == NULL)
    return g_strdup (iso_date ? iso_date : "");
  /* Translators: a session's day: weekday, day of the month, month, year, as in
   * "Thursday, 12 March 2026"; reorder with %1$s … %4$d */
  return g_strdup_printf (_("%1$s, %2$d %3$s %4$d"),
                          _(weekdays[g_date_time_get_day_of_week (day) - 1]),
                          g_date_time_get_day_of_month (day),
                          _(months[g_date_time_get_month (day) - 1]),
                          g_date_time_get_year (day));
}

/**
 * bnd_session_check_time:
 *
 * Returns: whether @text is a time of day as the API keeps it, HH:MM
 */
gboolean
bnd_session_check_time (const char *text)
{
  return text != NULL && strlen (text) == 5 && g_ascii_isdigit (text[0]) && g_ascii_isdigit (text[1]) &&
         text[2] == ':' && g_ascii_isdigit (text[3]) && g_ascii_isdigit (text[4]) &&
         (text[0] - '0') * 10 + (text[1] - '0') < 24 && text[3] < '6';
}

/**
 * bnd_session_describe_when:
 * @session: a session as the API gives it
 *
 * Returns: (transfer full): its day and time, "Thursday, 12 March 2026, 14:00"
 */
char *
bnd_session_describe_when (JsonObject *session)
{
  g_autofree char *date = bnd_session_format_date (json_object_get_string_member_with_default (session, "date", ""));
  const char *time = json_object_get_string_member_with_default (session, "time", NULL);

  if (time == NULL || *time == '\0')
    return g_steal_pointer (&date);
  /* Translators: a session's day and time of day, as in "Thursday, 12 March 2026, 14:00" */
  return g_strdup_printf (C_("session day and time", "%s, %s"), date, time);
}
