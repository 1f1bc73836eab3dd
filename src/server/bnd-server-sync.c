/* bnd-server-sync.c: what clients sync: the changes feed, sketches, their submission
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-sync"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "bnd-pdf-renderer.h"
#include "bnd-server-body.h"
#include "bnd-server-db-private.h"
#include "bnd-server-private.h"
#include "bnd-server-procedure.h"
#include "bnd-server-submissions.h"
#include "bnd-sketch.h"

#define CHANGES_PAGE    200

/* @text as a JSON string */
static void
append_string (GString    *out,
               const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      else if ((guchar)*p < 0x20)
        g_string_append_printf (out, "\\u%04x", (guchar)*p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* @number in decimal: printf would cost as much as the rest of an idle poll's answer. */
static void
append_int64 (GString *out,
              gint64   number)
{
  char digits[24];
  guint i = sizeof digits;
  guint64 rest = number < 0 ? -(guint64)number : (guint64)number;

  do
    digits[--i] = '0' + rest % 10;
  while ((rest /= 10) > 0);
  if (number < 0)
    digits[--i] = '-';
  g_string_append_len (out, digits + i, sizeof digits - i);
}

/* What _bnd_server_record_to_json() makes of a record with its data, written straight out: the
 * stored data is the JSON the server wrote itself (bnd_sketch_to_data()), and a first sync
 * would otherwise parse and write again every sketch of the organisation. */
static void
append_record (GString         *out,
               const BndRecord *record)
{
  const char *data = record->data ? record->data : "";

  while (g_ascii_isspace (*data))
    data++;
  g_string_append (out, "{\"uuid\":");
  append_string (out, record->uuid);
  g_string_append_printf (out, ",\"revision\":%" G_GINT64_FORMAT ",\"seq\":%" G_GINT64_FORMAT ",\"stage\":",
                          record->revision, record->seq);
  append_string (out, record->stage);
  g_string_append (out, ",\"org\":");
  append_string (out, record->org);
  g_string_append (out, ",\"data\":");
  /* Only an object, as it was stored; anything else would have been null before */
  g_string_append (out, *data == '{' ? data : "null");
  g_string_append_c (out, '}');
}

void
_bnd_server_handle_changes (BndServer         *self,
                            SoupServerMessage *msg,
                            const BndUser     *user,
                            GHashTable        *query)
{
  const char *since_text = query ? g_hash_table_lookup (query, "since") : NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  GString *out;
  guint64 since = 0;
  gint64 last_seq;
  gboolean more;
  gsize length;

  if (since_text != NULL && !g_ascii_string_to_unsigned (since_text, 10, 0, G_MAXINT64, &since, NULL))
    {
      _bnd_server_fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s",
                        _("“since” must be a sequence number"));
      return;
    }

  changes = bnd_server_db_changes (_bnd_server_db (self), user, since, CHANGES_PAGE, &last_seq);
  more = changes->len == CHANGES_PAGE;
  out = g_string_sized_new (256 + changes->len * 6000);
  g_string_append (out, "{\"changes\":[");
  /* A draft is no dossier yet: its procedure (submit it) goes without saying, and reading the
   * facts of thousands of drafts would slow the first sync of a profile several times over. */
  for (guint i = 0; i < changes->len; i++)
    {
      BndRecord *record = g_ptr_array_index (changes, i);

      if (i > 0)
        g_string_append_c (out, ',');
      if (g_str_equal (record->stage, "draft"))
        append_record (out, record);
      else
        {
          g_autoptr(JsonNode) node = _bnd_server_dossier_to_json (self, user, record);
          g_autofree char *text = NULL;

          if (generator == NULL)
            generator = json_generator_new ();
          json_generator_set_root (generator, node);
          text = json_generator_to_data (generator, NULL);
          g_string_append (out, text);
        }
    }
  g_string_append (out, "],\"last_seq\":");
  append_int64 (out, last_seq);
  g_string_append (out, more ? ",\"more\":true" : ",\"more\":false");
  /* How many are still to come, for a client's progress; an idle poll (no more) pays nothing. */
  if (more)
    {
      gint64 remaining = bnd_server_db_count_changes (_bnd_server_db (self), user, last_seq);

      if (remaining >= 0)
        g_string_append_printf (out, ",\"remaining\":%" G_GINT64_FORMAT, remaining);
    }
  g_string_append_c (out, '}');

  length = out->len;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, g_string_free (out, FALSE), length);
}

void
_bnd_server_handle_get_sketch (BndServer         *self,
                               SoupServerMessage *msg,
                               const BndUser     *user,
                               const char        *uuid)
{
  g_autoptr(BndRecord) record = bnd_server_db_get_record (_bnd_server_db (self), uuid);
  g_autoptr(JsonNode) node = NULL;

  if (record == NULL || !bnd_server_db_can_see (user, record))
    {
      _bnd_server_fail (msg, BND_SERVER_ERROR_NOT_FOUND, "%s", _("No such sketch"));
      return;
    }
  node = _bnd_server_dossier_to_json (self, user, record);
  _bnd_server_send_json (msg, SOUP_STATUS_OK, g_steal_pointer (&node));
}

void
_bnd_server_handle_put_sketch (BndServer         *self,
                               SoupServerMessage *msg,
                               const BndUser     *user,
                               const char        *uuid)
{
  BndServerDb *db = _bnd_server_db (self);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *if_match = soup_message_headers_get_one (headers, "If-Match");
  const char *key = soup_message_headers_get_one (headers, "Idempotency-Key");
  g_autofree char *replay = NULL;
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(BndRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *stored = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *scoped_key = NULL;
  guint64 base;
  int status;

  /* "If-Match: 3" or "If-Match: \"3\"": the revision the client edited, 0 for a new sketch */
  plain = g_strdup (if_match ? if_match : "");
  g_strdelimit (plain, "\"", ' ');
  g_strstrip (plain);
  if (!g_ascii_string_to_unsigned (plain, 10, 0, G_MAXINT64, &base, NULL))
    {
      _bnd_server_fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s",
                        _("Writes need If-Match with the base revision (0 for new)"));
      return;
    }

  if (key != NULL && (strlen (key) == 0 || strlen (key) > 100))
    {
      _bnd_server_fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s",
                        _("The Idempotency-Key must have 1 to 100 characters"));
      return;
    }
  if (body->length > self->max_json_body)
    {
      _bnd_server_fail (msg, BND_SERVER_ERROR_TOO_LARGE, "%s", _("The request body is too large"));
      return;
    }
  if (!(sketch = bnd_server_body_read_sketch (body->data, body->length, self->strategy, &error)))
    {
      _bnd_server_send_error (msg, error);
      return;
    }
  if (!g_str_equal (bnd_sketch_get_uuid (sketch), uuid))
    {
      _bnd_server_fail (msg, BND_SERVER_ERROR_INVALID, "%s",
                        _("The sketch's uuid differs from the address"));
      return;
    }
  stored = bnd_sketch_to_data (sketch, NULL);

  /* The key's look-up, the write and the key's answer in one write transaction: a retry through
   * another server process at the same moment waits for it, then finds the answer. */
  if (!bnd_server_db_begin (db, &error))
    {
      _bnd_server_send_error (msg, error);
      return;
    }
  /* A retry of a write that was done: the same answer again, nothing written twice. A key
   * counts for one sketch: the same key for another sketch is another request. */
  scoped_key = key ? g_strdup_printf ("%s:%s", uuid, key) : NULL;
  if (scoped_key != NULL && (replay = bnd_server_db_get_idempotent (db, user->name, scoped_key, &status)))
    {
      bnd_server_db_rollback (db);
      soup_server_message_set_status (msg, status, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, replay, strlen (replay));
      return;
    }
  if (!(record = bnd_server_db_put_record (db, user, uuid, base, stored, &error)))
    {
      bnd_server_db_rollback (db);
      _bnd_server_send_error (msg, error);
      return;
    }
  node = _bnd_server_record_to_json (record, FALSE);
  json_generator_set_root (generator, node);
  answer = json_generator_to_data (generator, NULL);
  if ((scoped_key != NULL &&
       !bnd_server_db_put_idempotent (db, user->name, scoped_key, SOUP_STATUS_OK, answer, &error)) ||
      !bnd_server_db_commit (db, &error))
    {
      bnd_server_db_rollback (db);
      _bnd_server_send_error (msg, error);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, answer, strlen (answer));
}

/* A submission while the server renders its PDF: the request waits, paused, and the main loop
 * goes on serving everyone else (a render takes tens of milliseconds, a long sketch more). */
typedef struct
{
  BndServer         *self;
  SoupServerMessage *msg;
  BndUser           *user;       /* a copy: the request's own is gone when the render ends */
  char              *uuid;
  gint64             revision;   /* the one rendered */
  BndSketch         *sketch;
  BndStrategy       *strategy;
  BndPageBudget      budget;
  GBytes            *rendered;   /* the server's render, or NULL and render_error */
  GError            *render_error;
} Submit;

static void
submit_free (Submit *submit)
{
  g_object_unref (submit->self);
  g_object_unref (submit->msg);
  bnd_user_free (submit->user);
  g_free (submit->uuid);
  g_object_unref (submit->sketch);
  g_object_unref (submit->strategy);
  bnd_page_budget_clear (&submit->budget);
  g_clear_pointer (&submit->rendered, g_bytes_unref);
  g_clear_error (&submit->render_error);
  g_free (submit);
}

/* The test hook BUENDNIS_SERVER_RENDER_DELAY_MS (README): a slow render, to see that the server
 * answers others meanwhile. */
static guint
render_delay_ms (void)
{
  static gsize delay;

  if (g_once_init_enter (&delay))
    {
      const char *text = g_getenv ("BUENDNIS_SERVER_RENDER_DELAY_MS");
      guint64 ms = 0;

      if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, 60000, &ms, NULL))
        ms = 0;
      g_once_init_leave (&delay, ms + 1);
    }
  return delay - 1;
}

/* On a worker thread: the sketch and the strategy are the task's alone, or only read. */
static void
render_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Submit *submit = task_data;
  GError *error = NULL;
  GBytes *rendered;

  if (render_delay_ms () > 0)
    g_usleep (render_delay_ms () * 1000);
  if (!(rendered = bnd_pdf_render (submit->sketch, submit->strategy, &submit->budget, &error)))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, rendered, (GDestroyNotify)g_bytes_unref);
}

/* Back on the main loop with the server's render: the rest of the submission, as before the
 * render went to a thread. */
static void
finish_submit (BndServer         *self,
               SoupServerMessage *msg,
               gpointer           data)
{
  Submit *submit = data;
  GBytes *rendered = submit->rendered;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(BndRecord) submitted = NULL;
  g_autoptr(GBytes) upload = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *sha256 = NULL;
  gboolean differs;

  if (rendered == NULL)
    return _bnd_server_fail (msg, BND_SERVER_ERROR_INTERNAL, "%s", submit->render_error->message);
  if (submit->budget.n_pages > submit->budget.page_limit)
    {
      g_autofree char *pages = g_strdup_printf ("%u", submit->budget.n_pages);
      g_autofree char *limit = g_strdup_printf ("%u", submit->budget.page_limit);

      /* Translators: both %s are numbers */
      return _bnd_server_refuse (msg, BND_SERVER_ERROR_INVALID, N_("The sketch has %s pages; at most %s are allowed"),
                                 pages, limit, NULL);
    }
  upload = g_bytes_new_static (body->data, body->length);
  differs = !g_bytes_equal (upload, rendered);
  if (differs)
    g_message ("The PDF %s submitted for %s differs from the server's render; the server's is kept",
               submit->user->name, submit->uuid);

  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, rendered);
  /* The main loop went on while the PDF was rendered: a write may have come in meanwhile, and
   * what is submitted is what was rendered, which bnd_server_db_submit() checks (a 412). */
  if (!bnd_server_db_submit (_bnd_server_db (self), submit->user, submit->uuid, submit->revision, rendered, sha256,
                             differs, &submitted, &error))
    return _bnd_server_send_error (msg, error);

  node = _bnd_server_record_to_json (submitted, FALSE);
  json_object_set_string_member (json_node_get_object (node), "sha256", sha256);
  json_object_set_boolean_member (json_node_get_object (node), "preview_differs", differs);
  _bnd_server_send_json (msg, SOUP_STATUS_OK, g_steal_pointer (&node));
}

static void
on_rendered_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Submit *submit = user_data;

  submit->rendered = g_task_propagate_pointer (G_TASK (result), &submit->render_error);
  _bnd_server_run (submit->self, submit->msg, finish_submit, _bnd_server_resume, submit, (GDestroyNotify)submit_free);
}

/* On the main context: the render goes to a thread, and the message waits for it. */
static void
start_render (BndServer         *self,
              SoupServerMessage *msg,
              gpointer           data)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, on_rendered_cb, data);

  g_task_set_task_data (task, data, NULL);
  soup_server_message_pause (msg);
  g_task_run_in_thread (task, render_in_thread);
}

/* The official sketch is the PDF the server renders from the stored revision. The client sends
 * its own render of that revision and, unless it is older than this server, "If-Match" with the
 * revision it rendered: a sketch that changed on the server since is refused, so that nobody
 * submits what they have not seen. A render that differs in its bytes only is no refusal: a
 * renderer change alters the bytes, and a laptop one version behind the server must still be
 * able to submit. The server stores its own render and answers whether the client's differed,
 * so that the app can say that the official PDF is not byte for byte its preview. */
void
_bnd_server_handle_submit (BndServer         *self,
                           SoupServerMessage *msg,
                           const BndUser     *user,
                           const char        *uuid)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *if_match = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                       "If-Match");
  g_autoptr(BndServerFacts) facts = NULL;
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(GPtrArray) issues = NULL;
  g_autoptr(GError) error = NULL;
  Submit *submit;

  if (body->length > self->max_pdf_body)
    {
      _bnd_server_fail (msg, BND_SERVER_ERROR_TOO_LARGE, "%s", _("The PDF is too large"));
      return;
    }
  if (body->length < 5 || memcmp (body->data, "%PDF-", 5) != 0)
    {
      _bnd_server_fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s", _("The body is not a PDF"));
      return;
    }
  /* Who may submit, and when, before any rendering work is done for them: a draft, a dossier
   * its consultation started, and a sketch sent back for changes. */
  if (!(facts = bnd_server_db_check_step (_bnd_server_db (self), user, uuid, BND_STEP_SUBMIT, NULL, &error)))
    {
      if (g_error_matches (error, BND_SERVER_ERROR, BND_SERVER_ERROR_NOT_FOUND))
        return _bnd_server_fail (msg, BND_SERVER_ERROR_NOT_FOUND, "%s", _("No such sketch"));
      return _bnd_server_send_error (msg, error);
    }
  if (if_match != NULL)
    {
      g_autofree char *plain = g_strstrip (g_strdelimit (g_strdup (if_match), "\"", ' '));
      g_autofree char *revision = g_strdup_printf ("%" G_GINT64_FORMAT, facts->record->revision);
      guint64 rendered_revision;

      if (!g_ascii_string_to_unsigned (plain, 10, 0, G_MAXINT64, &rendered_revision, NULL))
        return _bnd_server_fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s",
                                 _("If-Match must be the revision the PDF was rendered from"));
      if ((gint64)rendered_revision != facts->record->revision)
        return _bnd_server_refuse (msg, BND_SERVER_ERROR_PRECONDITION,
                                   N_("The sketch changed on the server (revision %s, not %s)"),
                                   revision, plain, NULL);
    }
  if (!(sketch = bnd_sketch_new_from_data (facts->record->data, strlen (facts->record->data), "record",
                                           self->strategy, &error)))
    {
      _bnd_server_send_error (msg, error);
      return;
    }

  issues = bnd_sketch_validate (sketch, self->strategy);
  if (issues->len > 0)
    {
      /* The first thing missing is one of our messages, which the client translates. */
      _bnd_server_refuse (msg, BND_SERVER_ERROR_INVALID, N_("The sketch is not complete: %s"),
                          ((BndSketchIssue *)g_ptr_array_index (issues, 0))->message, NULL);
      return;
    }

  submit = g_new0 (Submit, 1);
  submit->self = g_object_ref (self);
  submit->msg = g_object_ref (msg);
  submit->user = g_new0 (BndUser, 1);
  submit->user->name = g_strdup (user->name);
  submit->user->org = g_strdup (user->org);
  submit->user->role = user->role;
  submit->uuid = g_strdup (uuid);
  submit->revision = facts->record->revision;
  submit->sketch = g_steal_pointer (&sketch);
  submit->strategy = g_object_ref (self->strategy);
  _bnd_server_then (self, msg, start_render, submit, NULL);
}

void
_bnd_server_handle_get_pdf (BndServer         *self,
                            SoupServerMessage *msg,
                            const BndUser     *user,
                            const char        *uuid)
{
  g_autoptr(BndRecord) record = bnd_server_db_get_record (_bnd_server_db (self), uuid);
  BndServerFile *pdf = NULL;
  g_autofree char *by = NULL;

  if (record == NULL || !bnd_server_db_can_see (user, record) ||
      !bnd_server_db_get_submission (_bnd_server_db (self), uuid, 0, &pdf, &by))
    {
      _bnd_server_fail (msg, BND_SERVER_ERROR_NOT_FOUND, "%s",
                        _("No submitted PDF for this sketch"));
      return;
    }
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "X-Buendnis-SHA256", pdf->sha256);
  _bnd_server_send_file (self, msg, pdf);
}
