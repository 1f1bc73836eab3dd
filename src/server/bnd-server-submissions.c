/* bnd-server-submissions.c: every submission of a dossier, and what changed between two
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-submissions"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bnd-format.h"
#include "bnd-server-db-private.h"
#include "bnd-server-procedure.h"
#include "bnd-server-submissions.h"
#include "bnd-sketch.h"
#include "bnd-api-error.h"
#include "bnd-text-diff.h"

/* A sketch sent back for changes is revised and submitted again into the same dossier: each
 * submission is kept, numbered from 1, with the PDF as submitted, its SHA-256 and the sketch it
 * was rendered from, so that the partners see what changed between two. */

/**
 * bnd_server_db_submit:
 * @revision: the revision @pdf was rendered from
 * @pdf: the PDF the server rendered from the stored revision, byte for byte
 * @preview_differs: whether the client's own render of it had other bytes, which the audit
 *   trail notes
 *
 * Records the submission as the dossier's next one and moves it to "submitted", if the rules
 * allow the carrier to submit now: a first submission without a consultation starts one, marked
 * incomplete, which the coordination completes. The rules, the revision and the submission's
 * number are read inside the write transaction: another server process on the same database
 * cannot slip a write in between, so what is stored is what was rendered.
 */
gboolean
bnd_server_db_submit (BndServerDb    *self,
                      const BndUser  *user,
                      const char     *uuid,
                      gint64          revision,
                      GBytes         *pdf,
                      const char     *sha256,
                      gboolean        preview_differs,
                      BndRecord     **record,
                      GError        **error)
{
  g_autoptr(BndServerFacts) facts = NULL;
  g_autoptr(BndDbStmt) insert = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *detail = NULL;
  gboolean consulted;
  gint64 n;

  if (!bnd_server_db_begin (self, error))
    return FALSE;
  if (!(facts = bnd_server_db_check_step (self, user, uuid, BND_STEP_SUBMIT, NULL, error)))
    goto failed;
  if (facts->record->revision != revision)
    {
      g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, facts->record->revision);
      g_autofree char *rendered = g_strdup_printf ("%" G_GINT64_FORMAT, revision);

      /* Translators: both %s are numbers */
      bnd_api_error_set (error, BND_SERVER_ERROR_PRECONDITION,
                         N_("The sketch changed on the server (revision %s, not %s)"), now, rendered, NULL);
      goto failed;
    }
  /* The check runs before the PDF is rendered and again here: only a carrier of the dossier's
   * own organisation gets this far, a draft of another one being a 404 already. */
  consulted = bnd_server_db_count (self, "SELECT count (*) FROM consultations WHERE dossier = ?1", uuid) > 0;
  n = bnd_server_db_count (self, "SELECT count (*) FROM submissions WHERE uuid = ?1", uuid) + 1;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sha256");
  json_builder_add_string_value (builder, sha256);
  json_builder_set_member_name (builder, "n");
  json_builder_add_int_value (builder, n);
  if (!consulted)
    {
      json_builder_set_member_name (builder, "consultation");
      json_builder_add_string_value (builder, "incomplete");
    }
  if (preview_differs)
    {
      json_builder_set_member_name (builder, "preview_differs");
      json_builder_add_boolean_value (builder, TRUE);
    }
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  json_generator_set_root (generator, node);
  detail = json_generator_to_data (generator, NULL);

  if (!(insert = bnd_server_db_prepare (self, "INSERT INTO submissions (uuid, n, pdf, sha256, submitted_by, "
                                              "submitted, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error)))
    goto failed;
  bnd_db_bind_text (insert, 1, uuid);
  bnd_db_bind_int64 (insert, 2, n);
  bnd_db_bind_bytes (insert, 3, pdf);
  bnd_db_bind_text (insert, 4, sha256);
  bnd_db_bind_text (insert, 5, user->name);
  bnd_db_bind_int64 (insert, 6, g_get_real_time () / G_USEC_PER_SEC);
  bnd_db_bind_text (insert, 7, facts->record->data);
  if (bnd_db_step (insert) != BND_DB_DONE)
    {
      bnd_server_db_sql_error (self, error);
      goto failed;
    }
  if ((!consulted && !bnd_server_db_write_consultation (self, user, uuid, NULL, NULL, NULL, error)) ||
      !bnd_server_db_move_dossier (self, user, facts->record, "submitted", error) ||
      !bnd_server_db_append_audit (self, uuid, user->name, "submitted", detail, error) ||
      !bnd_server_db_commit (self, error))
    goto failed;
  if (record)
    *record = bnd_server_db_get_record (self, uuid);
  return TRUE;

failed:
  bnd_server_db_rollback (self);
  return FALSE;
}

/**
 * bnd_server_db_get_submission:
 * @n: the submission's number, or 0 for the latest
 *
 * Returns: whether there is such a submission; then its PDF and who submitted it
 */
gboolean
bnd_server_db_get_submission (BndServerDb    *self,
                              const char     *uuid,
                              gint64          n,
                              BndServerFile **pdf,
                              char          **submitted_by)
{
  /* The n-th, or with 0 the latest; both with ?2, as every statement binds all it is given. */
  const char *where = "uuid = ?1 AND (n = ?2 OR ?2 = 0) ORDER BY n DESC LIMIT 1";
  g_autofree char *sql = g_strdup_printf ("SELECT submitted_by FROM submissions WHERE %s", where);
  g_autoptr(BndDbStmt) stmt = bnd_server_db_prepare (self, sql, NULL);

  if (stmt == NULL)
    return FALSE;
  bnd_db_bind_text (stmt, 1, uuid);
  bnd_db_bind_int64 (stmt, 2, n);
  if (bnd_db_step (stmt) != BND_DB_ROW ||
      !(*pdf = bnd_server_db_find_file (self, "submissions", where, uuid, n)))
    return FALSE;
  *submitted_by = g_strdup (bnd_db_column_text (stmt, 0));
  return TRUE;
}

/**
 * bnd_server_db_get_submitted_data:
 *
 * Returns: (transfer full) (nullable): the sketch of the dossier's latest submission
 */
char *
bnd_server_db_get_submitted_data (BndServerDb *self,
                                  const char  *uuid)
{
  g_autoptr(BndDbStmt) stmt =
    bnd_server_db_prepare (self, "SELECT data FROM submissions WHERE uuid = ?1 ORDER BY n DESC LIMIT 1", NULL);

  if (stmt == NULL)
    return NULL;
  bnd_db_bind_text (stmt, 1, uuid);
  return bnd_db_step (stmt) == BND_DB_ROW ? g_strdup (bnd_db_column_text (stmt, 0)) : NULL;
}

gint64
bnd_server_db_count_submissions (BndServerDb *self,
                                 const char  *uuid)
{
  return bnd_server_db_count (self, "SELECT count (*) FROM submissions WHERE uuid = ?1", uuid);
}

/**
 * bnd_server_db_list_submissions:
 *
 * Returns: (transfer full): {"submissions": [{n, sha256, size, submitted_by, submitted}, …]},
 *   oldest first, or %NULL with a 404 error when @user may not see the dossier
 */
JsonNode *
bnd_server_db_list_submissions (BndServerDb    *self,
                                const BndUser  *user,
                                const char     *uuid,
                                GError        **error)
{
  g_autoptr(BndRecord) record = NULL;
  g_autoptr(BndDbStmt) stmt = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (!(record = bnd_server_db_get_dossier (self, user, uuid, error)) ||
      !(stmt = bnd_server_db_prepare (self, "SELECT n, sha256, length (pdf), submitted_by, submitted "
                                            "FROM submissions WHERE uuid = ?1 ORDER BY n", error)))
    return NULL;
  bnd_db_bind_text (stmt, 1, uuid);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "submissions");
  json_builder_begin_array (builder);
  while (bnd_db_step (stmt) == BND_DB_ROW)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "n");
      json_builder_add_int_value (builder, bnd_db_column_int64 (stmt, 0));
      json_builder_set_member_name (builder, "sha256");
      json_builder_add_string_value (builder, bnd_db_column_text (stmt, 1));
      json_builder_set_member_name (builder, "size");
      json_builder_add_int_value (builder, bnd_db_column_int64 (stmt, 2));
      json_builder_set_member_name (builder, "submitted_by");
      json_builder_add_string_value (builder, bnd_db_column_text (stmt, 3));
      json_builder_set_member_name (builder, "submitted");
      json_builder_add_int_value (builder, bnd_db_column_int64 (stmt, 4));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* The sketch of submission @n, or NULL when there is none. */
static BndSketch *
load_submitted (BndServerDb  *self,
                const char   *uuid,
                gint64        n,
                BndStrategy  *strategy,
                GError      **error)
{
  g_autoptr(BndDbStmt) stmt =
    bnd_server_db_prepare (self, "SELECT data FROM submissions WHERE uuid = ?1 AND n = ?2", error);
  const char *data;

  if (stmt == NULL)
    return NULL;
  bnd_db_bind_text (stmt, 1, uuid);
  bnd_db_bind_int64 (stmt, 2, n);
  if (bnd_db_step (stmt) != BND_DB_ROW)
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_NOT_FOUND, "%s", _("No such submission"));
      return NULL;
    }
  data = bnd_db_column_text (stmt, 0);
  return bnd_sketch_new_from_data (data, strlen (data), "submission", strategy, error);
}

/* The runs of @text that bnd_text_diff_changed_words() marks, as strings. */
static void
add_runs (JsonBuilder *builder,
          const char  *name,
          const char  *text,
          const char  *other)
{
  g_autoptr(GArray) changes = bnd_text_diff_changed_words (text, other);

  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < changes->len; i++)
    {
      BndTextChange *change = &g_array_index (changes, BndTextChange, i);
      g_autofree char *run = g_strndup (text + change->start, change->end - change->start);

      json_builder_add_string_value (builder, run);
    }
  json_builder_end_array (builder);
}

static void
add_text_change (JsonBuilder *builder,
                 const char  *field,
                 const char  *label,
                 const char  *old_text,
                 const char  *new_text)
{
  if (g_strcmp0 (old_text, new_text) == 0)
    return;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "field");
  json_builder_add_string_value (builder, field);
  json_builder_set_member_name (builder, "label");
  json_builder_add_string_value (builder, label);
  json_builder_set_member_name (builder, "old");
  json_builder_add_string_value (builder, old_text);
  json_builder_set_member_name (builder, "new");
  json_builder_add_string_value (builder, new_text);
  add_runs (builder, "removed", old_text, new_text);
  add_runs (builder, "added", new_text, old_text);
  json_builder_end_object (builder);
}

static char *
german_day (const char *iso)
{
  char *day = bnd_format_iso_date (iso, BND_LOCALE_GERMAN);

  return day ? day : g_strdup (iso ? iso : "");
}

static char *
german_duration (BndSketch *sketch)
{
  g_autofree char *start = german_day (bnd_sketch_get_start (sketch));
  g_autofree char *end = german_day (bnd_sketch_get_end (sketch));

  return g_strdup_printf ("%s – %s", start, end);
}

static char *
german_costs (BndSketch *sketch)
{
  g_autofree char *total = bnd_format_money (bnd_sketch_get_cost_total (sketch), BND_LOCALE_GERMAN);
  g_autofree char *requested = bnd_format_money (bnd_sketch_get_requested (sketch), BND_LOCALE_GERMAN);

  return g_strdup_printf ("%s / %s", total, requested);
}

/**
 * bnd_server_db_diff_submissions:
 * @from: a submission's number; 0 for the one before @to
 * @to: a submission's number; 0 for the latest
 *
 * What changed from one submission's sketch to another's: per text field (the title, the
 * organisation, each section of the pack's template, the duration, the sums), the old and the
 * new text with the words removed and added.
 *
 * Returns: (transfer full): {"from", "to", "changes": [{field, label, old, new, removed, added}]}
 */
JsonNode *
bnd_server_db_diff_submissions (BndServerDb    *self,
                                const BndUser  *user,
                                const char     *uuid,
                                gint64          from,
                                gint64          to,
                                BndStrategy    *strategy,
                                GError        **error)
{
  GPtrArray *sections = bnd_strategy_get_template_sections (strategy);
  g_autoptr(BndRecord) record = NULL;
  g_autoptr(BndSketch) old = NULL;
  g_autoptr(BndSketch) new = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *old_duration = NULL;
  g_autofree char *new_duration = NULL;
  g_autofree char *old_costs = NULL;
  g_autofree char *new_costs = NULL;
  g_autofree char *old_object = NULL;
  g_autofree char *new_object = NULL;

  if (!(record = bnd_server_db_get_dossier (self, user, uuid, error)))
    return NULL;
  if (to <= 0)
    to = bnd_server_db_count (self, "SELECT count (*) FROM submissions WHERE uuid = ?1", uuid);
  if (from <= 0)
    from = to - 1;
  if (from < 1 || to < 1 || from == to)
    {
      g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_NOT_FOUND, "%s",
                   _("A difference needs two submissions of the dossier"));
      return NULL;
    }
  if (!(old = load_submitted (self, uuid, from, strategy, error)) ||
      !(new = load_submitted (self, uuid, to, strategy, error)))
    {
      if (error && *error && (*error)->domain != BND_SERVER_ERROR)
        {
          g_autoptr(GError) local = g_steal_pointer (error);
          g_set_error (error, BND_SERVER_ERROR, BND_SERVER_ERROR_INTERNAL, "%s", local->message);
        }
      return NULL;
    }

  /* Written as the German sketch writes them: "01.01.2027 – 31.12.2028", "310.000,00 € / …". */
  old_duration = german_duration (old);
  new_duration = german_duration (new);
  old_costs = german_costs (old);
  new_costs = german_costs (new);
  old_object = g_strdup_printf ("%d", bnd_sketch_get_funding_object (old));
  new_object = g_strdup_printf ("%d", bnd_sketch_get_funding_object (new));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "from");
  json_builder_add_int_value (builder, from);
  json_builder_set_member_name (builder, "to");
  json_builder_add_int_value (builder, to);
  json_builder_set_member_name (builder, "changes");
  json_builder_begin_array (builder);
  /* Labels in the pack's language, like the sketch itself. */
  add_text_change (builder, "title", "Titel", bnd_sketch_get_title (old), bnd_sketch_get_title (new));
  add_text_change (builder, "carrier", "Projektträger", bnd_sketch_get_carrier (old),
                   bnd_sketch_get_carrier (new));
  add_text_change (builder, "funding_object", "Fördergegenstand", old_object, new_object);
  add_text_change (builder, "duration", "Laufzeit", old_duration, new_duration);
  add_text_change (builder, "costs", "Gesamtkosten / Förderbetrag", old_costs, new_costs);
  for (guint i = 0; i < sections->len; i++)
    {
      const BndTemplateSection *section = g_ptr_array_index (sections, i);
      g_autofree char *field = g_strconcat ("section:", section->id, NULL);

      add_text_change (builder, field, section->title, bnd_sketch_get_section (old, section->id),
                       bnd_sketch_get_section (new, section->id));
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
