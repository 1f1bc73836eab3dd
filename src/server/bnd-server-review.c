/* bnd-server-review.c: the /dossiers calls, by which the alliance reviews a submission
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-review"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "bnd-server-attachments.h"
#include "bnd-server-body.h"
#include "bnd-server-discussion.h"
#include "bnd-server-pdf-check.h"
#include "bnd-server-dossier.h"
#include "bnd-server-private.h"
#include "bnd-server-procedure.h"
#include "bnd-server-rating.h"
#include "bnd-server-statement.h"
#include "bnd-server-vote.h"

/* GET /dossiers/UUID/vote: the round; choices only once it has closed, except the caller's own
 * organisation's, so that nothing can be read off the answer before the close. */
void
_bnd_server_handle_get_vote (BndServer         *self,
                             SoupServerMessage *msg,
                             const BndUser     *user,
                             const char        *uuid)
{
  g_autoptr(BndVoteRound) round = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint yes = 0, no = 0, abstain = 0;
  gboolean quorum;

  if (!(round = bnd_server_db_get_vote (_bnd_server_db (self), user, uuid, &error)))
    return _bnd_server_send_error (msg, error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "question");
  json_builder_add_string_value (builder, round->question);
  json_builder_set_member_name (builder, "opened");
  json_builder_add_int_value (builder, round->opened);
  json_builder_set_member_name (builder, "deadline");
  json_builder_add_int_value (builder, round->deadline);
  json_builder_set_member_name (builder, "closed");
  json_builder_add_boolean_value (builder, round->closed);
  json_builder_set_member_name (builder, "entitled");
  json_builder_add_int_value (builder, round->entitled->len);
  json_builder_set_member_name (builder, "voted");
  json_builder_add_int_value (builder, round->n_voted);
  json_builder_set_member_name (builder, "own_org");
  json_builder_add_string_value (builder, user->org);
  json_builder_set_member_name (builder, "recused");
  json_builder_begin_array (builder);
  for (guint i = 0; round->recused[i]; i++)
    json_builder_add_string_value (builder, round->recused[i]);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "ballots");
  json_builder_begin_array (builder);
  for (guint i = 0; i < round->entitled->len; i++)
    {
      BndBallot *ballot = g_ptr_array_index (round->entitled, i);

      yes += g_strcmp0 (ballot->choice, "yes") == 0;
      no += g_strcmp0 (ballot->choice, "no") == 0;
      abstain += g_strcmp0 (ballot->choice, "abstain") == 0;
      if (!round->closed && !g_str_equal (ballot->org, user->org))
        continue;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "org");
      json_builder_add_string_value (builder, ballot->org);
      json_builder_set_member_name (builder, "choice");
      if (ballot->choice)
        json_builder_add_string_value (builder, ballot->choice);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "comment");
      json_builder_add_string_value (builder, ballot->comment ? ballot->comment : "");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  quorum = bnd_vote_round_has_quorum (round);
  if (round->closed)
    {
      json_builder_set_member_name (builder, "result");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "yes");
      json_builder_add_int_value (builder, yes);
      json_builder_set_member_name (builder, "no");
      json_builder_add_int_value (builder, no);
      json_builder_set_member_name (builder, "abstain");
      json_builder_add_int_value (builder, abstain);
      json_builder_set_member_name (builder, "quorum");
      json_builder_add_boolean_value (builder, quorum);
      json_builder_set_member_name (builder, "adopted");
      json_builder_add_boolean_value (builder, quorum && yes > no);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  _bnd_server_send_json (msg, SOUP_STATUS_OK, json_builder_get_root (builder));
}

/* PUT /dossiers/UUID/vote {"choice": "yes" | "no" | "abstain", "comment"?} */
void
_bnd_server_handle_cast_vote (BndServer         *self,
                              SoupServerMessage *msg,
                              const BndUser     *user,
                              const char        *uuid)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *body;
  const char *choice;
  const char *comment = "";

  if (!(body = _bnd_server_parse_body (msg, &root)))
    return;
  if (!bnd_server_body_read_string (body, "choice", FALSE, &choice, &error) ||
      !bnd_server_body_read_string (body, "comment", TRUE, &comment, &error))
    return _bnd_server_send_error (msg, error);
  if (!bnd_server_db_cast_vote (_bnd_server_db (self), user, uuid, choice, comment, &error))
    return _bnd_server_send_error (msg, error);
  _bnd_server_handle_get_vote (self, msg, user, uuid);
}

/* An attachment while its PDF is being checked: the request waits, paused. */
typedef struct
{
  BndServer         *self;
  SoupServerMessage *msg;
  BndUser           *user;
  char              *uuid;
  char              *kind;
  char              *name;
  GBytes            *pdf;
} Upload;

static void
upload_free (Upload *upload)
{
  g_object_unref (upload->self);
  g_object_unref (upload->msg);
  bnd_user_free (upload->user);
  g_free (upload->uuid);
  g_free (upload->kind);
  g_free (upload->name);
  g_bytes_unref (upload->pdf);
  g_free (upload);
}


static void
refuse_upload (SoupServerMessage *msg,
               const GError      *error)
{
  if (g_error_matches (error, BND_SERVER_ERROR, BND_SERVER_ERROR_BUSY))
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "60");
  _bnd_server_send_error (msg, error);
}

/* The dossier may have moved on while the file was checked: bnd_server_db_add_attachment()
 * asks again. */
static void
store_attachment (BndServer         *self,
                  SoupServerMessage *msg,
                  gpointer           data)
{
  Upload *upload = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gint64 id;

  if (!(id = bnd_server_db_add_attachment (_bnd_server_db (self), upload->user, upload->uuid, upload->kind,
                                           upload->name, upload->pdf, &error)))
    return refuse_upload (msg, error);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, id);
  json_builder_end_object (builder);
  _bnd_server_send_json (msg, SOUP_STATUS_OK, json_builder_get_root (builder));
}

static void
on_attachment_checked_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  Upload *upload = user_data;
  g_autoptr(GError) error = NULL;

  if (!bnd_server_pdf_check_run_finish (BND_SERVER_PDF_CHECK (object), result, NULL, &error))
    {
      refuse_upload (upload->msg, error);
      soup_server_message_unpause (upload->msg);
      upload_free (upload);
      return;
    }
  _bnd_server_run (upload->self, upload->msg, store_attachment, _bnd_server_resume, upload, (GDestroyNotify)upload_free);
}

/* On the main context, where the checker lives. */
static void
check_attachment (BndServer         *self,
                  SoupServerMessage *msg,
                  gpointer           data)
{
  soup_server_message_pause (msg);
  bnd_server_pdf_check_run_async (self->pdf_check, ((Upload *)data)->pdf, on_attachment_checked_cb, data);
}

/* POST /dossiers/UUID/attachments?kind=K&name=N with the PDF as the body. Whether poppler opens
 * the file is asked of a helper process (bnd-server-pdf-check.c), meanwhile the server serves
 * others; who may attach and whether the file looks like a PDF at all is settled before. */
void
_bnd_server_handle_add_attachment (BndServer         *self,
                                   SoupServerMessage *msg,
                                   const BndUser     *user,
                                   const char        *uuid,
                                   GHashTable        *query)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *kind = query ? g_hash_table_lookup (query, "kind") : NULL;
  const char *name = query ? g_hash_table_lookup (query, "name") : NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  Upload *upload;

  if (kind == NULL || name == NULL || !g_utf8_validate (name, -1, NULL))
    return _bnd_server_fail (msg, BND_SERVER_ERROR_BAD_REQUEST, "%s",
                             _("Name the attachment with ?kind=…&name=…"));
  if (body->length > self->max_attachment)
    {
      g_autofree char *megabytes = g_strdup_printf ("%d", (int)(self->max_attachment / (1024 * 1024)));

      return _bnd_server_refuse (msg, BND_SERVER_ERROR_TOO_LARGE, N_("An attachment may have at most %s MB"),
                                 megabytes, NULL);
    }
  pdf = soup_message_body_flatten (body);
  if (!bnd_server_db_may_attach (_bnd_server_db (self), user, uuid, kind, name, g_bytes_get_size (pdf), &error) ||
      !bnd_attachment_check_frame (pdf, &error))
    return _bnd_server_send_error (msg, error);

  upload = g_new0 (Upload, 1);
  upload->self = g_object_ref (self);
  upload->msg = g_object_ref (msg);
  upload->user = g_new0 (BndUser, 1);
  upload->user->name = g_strdup (user->name);
  upload->user->org = g_strdup (user->org);
  upload->user->role = user->role;
  upload->uuid = g_strdup (uuid);
  upload->kind = g_strdup (kind);
  upload->name = g_strdup (name);
  upload->pdf = g_steal_pointer (&pdf);
  _bnd_server_then (self, msg, check_attachment, upload, NULL);
}

/* GET /dossiers/UUID/attachments */
void
_bnd_server_handle_list_attachments (BndServer         *self,
                                     SoupServerMessage *msg,
                                     const BndUser     *user,
                                     const char        *uuid)
{
  g_autoptr(GPtrArray) attachments = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (!(attachments = bnd_server_db_list_attachments (_bnd_server_db (self), user, uuid, &error)))
    return _bnd_server_send_error (msg, error);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "attachments");
  json_builder_begin_array (builder);
  for (guint i = 0; i < attachments->len; i++)
    {
      BndAttachment *attachment = g_ptr_array_index (attachments, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, attachment->id);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, attachment->kind);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, attachment->name);
      json_builder_set_member_name (builder, "size");
      json_builder_add_int_value (builder, attachment->size);
      json_builder_set_member_name (builder, "sha256");
      json_builder_add_string_value (builder, attachment->sha256);
      json_builder_set_member_name (builder, "uploaded_by");
      json_builder_add_string_value (builder, attachment->uploaded_by);
      json_builder_set_member_name (builder, "uploaded");
      json_builder_add_int_value (builder, attachment->uploaded);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  _bnd_server_send_json (msg, SOUP_STATUS_OK, json_builder_get_root (builder));
}

/* GET /dossiers/UUID/attachments/ID */
void
_bnd_server_handle_get_attachment (BndServer         *self,
                                   SoupServerMessage *msg,
                                   const BndUser     *user,
                                   const char        *uuid,
                                   const char        *id_text)
{
  BndServerFile *pdf;
  g_autoptr(GError) error = NULL;
  guint64 id = 0;

  if (!g_ascii_string_to_unsigned (id_text, 10, 1, G_MAXINT64, &id, NULL))
    return _bnd_server_fail (msg, BND_SERVER_ERROR_NOT_FOUND, "%s", _("No such attachment"));
  if (!(pdf = bnd_server_db_get_attachment (_bnd_server_db (self), user, uuid, (gint64)id, &error)))
    return _bnd_server_send_error (msg, error);
  _bnd_server_send_file (self, msg, pdf);
}

/* GET /dossiers/UUID/ratings: the own organisation's rating during the round; afterwards all of
 * them and, per criterion, the mean, lowest and highest score. "own_org" tells a client which
 * rating is its own; "rated" of "entitled" organisations have rated, by "deadline". */
void
_bnd_server_handle_get_ratings (BndServer         *self,
                                SoupServerMessage *msg,
                                const BndUser     *user,
                                const char        *uuid)
{
  GPtrArray *criteria = bnd_strategy_get_review (self->strategy)->criteria;
  g_autoptr(GPtrArray) ratings = NULL;
  g_autoptr(BndServerFacts) facts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean closed;

  if (!(ratings = bnd_server_db_list_ratings (_bnd_server_db (self), user, uuid, &closed, &error)) ||
      !(facts = bnd_server_db_get_facts (_bnd_server_db (self), user, uuid, FALSE, &error)))
    return _bnd_server_send_error (msg, error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "closed");
  json_builder_add_boolean_value (builder, closed);
  json_builder_set_member_name (builder, "rated");
  json_builder_add_int_value (builder, facts->facts.n_rated);
  json_builder_set_member_name (builder, "entitled");
  json_builder_add_int_value (builder, facts->facts.n_entitled);
  json_builder_set_member_name (builder, "opened");
  json_builder_add_int_value (builder, facts->rating_opened);
  json_builder_set_member_name (builder, "deadline");
  json_builder_add_int_value (builder, facts->rating_deadline);
  json_builder_set_member_name (builder, "own_org");
  json_builder_add_string_value (builder, user->org);
  json_builder_set_member_name (builder, "criteria");
  json_builder_begin_array (builder);
  for (guint c = 0; c < criteria->len; c++)
    json_builder_add_string_value (builder, ((const BndRatingCriterion *)g_ptr_array_index (criteria, c))->id);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "ratings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < ratings->len; i++)
    {
      BndRating *rating = g_ptr_array_index (ratings, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "org");
      json_builder_add_string_value (builder, rating->org);
      json_builder_set_member_name (builder, "scores");
      json_builder_add_value (builder, json_from_string (rating->scores, NULL));
      json_builder_set_member_name (builder, "comment");
      json_builder_add_string_value (builder, rating->comment);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (closed)
    {
      json_builder_set_member_name (builder, "summary");
      json_builder_begin_object (builder);
      for (guint c = 0; c < criteria->len; c++)
        {
          const char *id = ((const BndRatingCriterion *)g_ptr_array_index (criteria, c))->id;
          gint64 sum = 0, low = G_MAXINT64, high = 0;
          guint n = 0;

          for (guint i = 0; i < ratings->len; i++)
            {
              g_autoptr(JsonNode) scores = json_from_string (((BndRating *)g_ptr_array_index (ratings, i))->scores, NULL);
              JsonObject *object = scores && JSON_NODE_HOLDS_OBJECT (scores) ? json_node_get_object (scores) : NULL;
              gint64 score;

              /* A rating given under an earlier pack may lack a criterion. */
              if (object == NULL || !json_object_has_member (object, id))
                continue;
              score = json_object_get_int_member (object, id);
              n++;
              sum += score;
              low = MIN (low, score);
              high = MAX (high, score);
            }
          json_builder_set_member_name (builder, id);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "n");
          json_builder_add_int_value (builder, n);
          if (n > 0)
            {
              json_builder_set_member_name (builder, "mean");
              json_builder_add_double_value (builder, (double)sum / n);
              json_builder_set_member_name (builder, "min");
              json_builder_add_int_value (builder, low);
              json_builder_set_member_name (builder, "max");
              json_builder_add_int_value (builder, high);
            }
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  _bnd_server_send_json (msg, SOUP_STATUS_OK, json_builder_get_root (builder));
}

/* PUT /dossiers/UUID/rating {"scores": {criterion: 1…5, …}, "comment"?} */
void
_bnd_server_handle_rate (BndServer         *self,
                         SoupServerMessage *msg,
                         const BndUser     *user,
                         const char        *uuid)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *body;
  JsonObject *scores;
  const char *comment;

  if (!(body = _bnd_server_parse_body (msg, &root)))
    return;
  if (!bnd_server_body_read_rating (body, &scores, &comment, &error))
    return _bnd_server_send_error (msg, error);
  if (!bnd_server_db_rate (_bnd_server_db (self), user, uuid, bnd_strategy_get_review (self->strategy),
                           scores, comment, &error))
    return _bnd_server_send_error (msg, error);
  _bnd_server_handle_get_ratings (self, msg, user, uuid);
}

/* POST /dossiers/UUID/recusals {"org"} */
void
_bnd_server_handle_recuse (BndServer         *self,
                           SoupServerMessage *msg,
                           const BndUser     *user,
                           const char        *uuid)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *body;
  const char *org;

  if (!(body = _bnd_server_parse_body (msg, &root)))
    return;
  if (!bnd_server_body_read_string (body, "org", FALSE, &org, &error))
    return _bnd_server_send_error (msg, error);
  if (!bnd_server_db_recuse (_bnd_server_db (self), user, uuid, org, &error))
    return _bnd_server_send_error (msg, error);
  _bnd_server_send_json (msg, SOUP_STATUS_OK, json_from_string ("{}", NULL));
}

/* POST /dossiers/UUID/statement: issue the statement from the closed vote.
 * GET: the statement's PDF. */
void
_bnd_server_handle_statement (BndServer         *self,
                              SoupServerMessage *msg,
                              const BndUser     *user,
                              const char        *uuid,
                              gboolean           issue)
{
  g_autoptr(GError) error = NULL;
  BndServerFile *pdf = NULL;

  if (issue)
    return _bnd_server_handle_issue_statement (self, msg, user, uuid);

  if (!(pdf = bnd_server_db_get_statement (_bnd_server_db (self), user, uuid, &error)))
    return _bnd_server_send_error (msg, error);
  _bnd_server_send_file (self, msg, pdf);
}

/* GET or PUT /dossiers/UUID/assessment */
void
_bnd_server_handle_assessment (BndServer         *self,
                               SoupServerMessage *msg,
                               const BndUser     *user,
                               const char        *uuid,
                               gboolean           record)
{
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *assessment = NULL;

  if (record)
    return _bnd_server_handle_record_assessment (self, msg, user, uuid);
  assessment = bnd_server_db_get_assessment (_bnd_server_db (self), user, uuid, &error);
  if (assessment == NULL)
    return _bnd_server_send_error (msg, error);
  answer = json_from_string (assessment, NULL);
  _bnd_server_send_json (msg, SOUP_STATUS_OK, g_steal_pointer (&answer));
}

/* GET or POST /dossiers/UUID/comments */
void
_bnd_server_handle_comments (BndServer         *self,
                             SoupServerMessage *msg,
                             const BndUser     *user,
                             const char        *uuid,
                             gboolean           post)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *list;
  JsonObject *body;
  const char *text;

  if (post)
    {
      if (!(body = _bnd_server_parse_body (msg, &root)))
        return;
      if (!bnd_server_body_read_string (body, "text", FALSE, &text, &error))
        return _bnd_server_send_error (msg, error);
      if (!bnd_server_db_add_comment (_bnd_server_db (self), user, uuid, text, &error))
        return _bnd_server_send_error (msg, error);
    }
  if (!(list = bnd_server_db_list_comments (_bnd_server_db (self), user, uuid, &error)))
    return _bnd_server_send_error (msg, error);
  _bnd_server_send_json (msg, SOUP_STATUS_OK, list);
}

/* GET /dossiers/UUID/audit: the trail, for whoever may see the dossier. */
void
_bnd_server_handle_audit (BndServer         *self,
                          SoupServerMessage *msg,
                          const BndUser     *user,
                          const char        *uuid)
{
  g_autoptr(BndRecord) record = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;

  if (!(record = bnd_server_db_get_dossier (_bnd_server_db (self), user, uuid, &error)))
    return _bnd_server_send_error (msg, error);

  entries = bnd_server_db_audit (_bnd_server_db (self), uuid);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  for (guint i = 0; i < entries->len; i++)
    {
      BndAuditEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(JsonNode) detail = json_from_string (entry->detail, NULL);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "n");
      json_builder_add_int_value (builder, entry->n);
      json_builder_set_member_name (builder, "at");
      json_builder_add_int_value (builder, entry->at);
      json_builder_set_member_name (builder, "actor");
      json_builder_add_string_value (builder, entry->actor);
      json_builder_set_member_name (builder, "action");
      json_builder_add_string_value (builder, entry->action);
      json_builder_set_member_name (builder, "detail");
      json_builder_add_value (builder, detail ? g_steal_pointer (&detail) : json_node_new (JSON_NODE_NULL));
      /* The detail exactly as hashed, and the chain, so that a client can check it too. */
      json_builder_set_member_name (builder, "detail_text");
      json_builder_add_string_value (builder, entry->detail);
      json_builder_set_member_name (builder, "prev");
      json_builder_add_string_value (builder, entry->prev);
      json_builder_set_member_name (builder, "hash");
      json_builder_add_string_value (builder, entry->hash);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  _bnd_server_send_json (msg, SOUP_STATUS_OK, json_builder_get_root (builder));
}
