/* fuzz-server-body.c: the JSON request bodies of the server, read as its handlers read them
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-fuzz"

#include "config.h"

#include <string.h>

#include "bnd-server-body.h"
#include "bnd-server-db.h"
#include "bnd-server-discussion.h"
#include "bnd-server-rating.h"
#include "bnd-server-vote.h"
#include "fuzz-common.h"

/* The input is one request body, unauthenticated data as anyone on the network can send it.
 * It goes through every reader a handler uses (src/server/bnd-server-body.c) and, where the
 * reader accepts it, through the check the database code makes before it stores anything. A
 * failure is a BND_SERVER_ERROR with a readable message (the client gets it as JSON); what is
 * accepted is valid UTF-8 down to every string, since it is stored and sent to others. */

static BndStrategy *strategy;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;

  fuzz_init ();
  if (!(strategy = bnd_strategy_new_default (&error)))
    fuzz_fail ("the default strategy does not load: %s", error->message);
  return 0;
}

/* A refusal names the server's error domain: a GError of another domain would reach the
 * client as an internal error. */
static void
check_refusal (const char   *what,
               gboolean      ok,
               const GError *error)
{
  fuzz_check_result (what, ok, error);
  if (!ok && error->domain != BND_SERVER_ERROR)
    fuzz_fail ("%s failed in the domain %s, not the server's", what, g_quark_to_string (error->domain));
}

static void
check_stored (const char *what,
              const char *text,
              gsize       max)
{
  fuzz_check_utf8 (what, text);
  if (strlen (text) > max)
    fuzz_fail ("%s of %zu bytes was accepted; at most %zu may be", what, strlen (text), max);
}

static void
check_sketch (const uint8_t *data,
              size_t         size)
{
  g_autoptr(BndSketch) sketch = NULL;
  g_autoptr(BndSketch) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  gsize length;

  sketch = bnd_server_body_read_sketch ((const char *)data, size, strategy, &error);
  check_refusal ("bnd_server_body_read_sketch", sketch != NULL, error);
  if (sketch == NULL)
    return;
  /* As PUT /sketches/UUID stores it, and as every client reads it back. */
  stored = bnd_sketch_to_data (sketch, &length);
  fuzz_check_utf8 ("the stored sketch", stored);
  if (!(again = bnd_sketch_new_from_data (stored, length, "record", strategy, &error)))
    fuzz_fail ("a stored sketch does not load: %s", error->message);
}

static void
check_object (JsonObject *body)
{
  const BndReview *review = bnd_strategy_get_review (strategy);
  const char *text = NULL;
  const char *comment = "";
  const char *question = NULL;
  const char *stage = NULL;
  JsonObject *scores = NULL;
  g_auto(GStrv) recused = NULL;
  gint64 deadline = 0;
  gboolean ok;

  /* POST /dossiers/UUID/comments {"text"} */
  {
    g_autoptr(GError) error = NULL;

    ok = bnd_server_body_read_string (body, "text", FALSE, &text, &error);
    check_refusal ("reading a comment", ok, error);
    if (ok)
      {
        ok = bnd_server_check_comment (text, &error);
        check_refusal ("bnd_server_check_comment", ok, error);
        if (ok)
          check_stored ("a comment", text, 4000);
      }
  }

  /* PUT /dossiers/UUID/vote {"choice", "comment"?} */
  {
    g_autoptr(GError) error = NULL;
    const char *choice = NULL;

    comment = "";
    ok = bnd_server_body_read_string (body, "choice", FALSE, &choice, &error) &&
         bnd_server_body_read_string (body, "comment", TRUE, &comment, &error);
    check_refusal ("reading a ballot", ok, error);
    if (ok)
      {
        ok = bnd_server_check_ballot (choice, comment, &error);
        check_refusal ("bnd_server_check_ballot", ok, error);
        if (ok)
          check_stored ("a ballot's comment", comment, 1000);
      }
  }

  /* POST /dossiers/UUID/vote {"question", "deadline"?, "recused"?} */
  {
    g_autoptr(GError) error = NULL;

    ok = bnd_server_body_read_opening (body, review->vote_days, g_get_real_time () / G_USEC_PER_SEC, &question, &deadline, &recused, &error);
    check_refusal ("bnd_server_body_read_opening", ok, error);
    if (ok)
      {
        for (guint i = 0; recused[i]; i++)
          fuzz_check_utf8 ("a recused organisation", recused[i]);
        ok = bnd_server_check_question (question, &error);
        check_refusal ("bnd_server_check_question", ok, error);
        if (ok)
          check_stored ("a vote's question", question, 1000);
      }
  }

  /* POST /dossiers/UUID/ratings {"scores", "comment"?} */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *stored = NULL;

    ok = bnd_server_body_read_rating (body, &scores, &comment, &error);
    check_refusal ("bnd_server_body_read_rating", ok, error);
    if (ok)
      {
        stored = bnd_server_check_rating (review, scores, comment, &error);
        check_refusal ("bnd_server_check_rating", stored != NULL, error);
        if (stored != NULL)
          {
            g_autoptr(JsonNode) reread = json_from_string (stored, NULL);

            check_stored ("a rating's comment", comment, 2000);
            if (reread == NULL || !JSON_NODE_HOLDS_OBJECT (reread) ||
                json_object_get_size (json_node_get_object (reread)) != review->criteria->len)
              fuzz_fail ("the stored scores are not one number per criterion: %s", stored);
          }
      }
  }

  /* PUT /dossiers/UUID/assessment {"outcome", …} */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *stored = bnd_server_check_assessment (body, &error);

    check_refusal ("bnd_server_check_assessment", stored != NULL, error);
    if (stored != NULL)
      {
        g_autoptr(JsonNode) reread = json_from_string (stored, NULL);

        fuzz_check_utf8 ("a stored assessment", stored);
        if (reread == NULL || !JSON_NODE_HOLDS_OBJECT (reread))
          fuzz_fail ("the stored assessment is not a JSON object: %s", stored);
      }
  }

  /* POST /dossiers/UUID/stage {"stage", "comment"?, "amount"?, "date"?}; the whole body goes
   * into the audit trail. */
  {
    g_autoptr(GError) error = NULL;

    ok = bnd_server_body_read_stage (body, &stage, &error);
    check_refusal ("bnd_server_body_read_stage", ok, error);
    if (ok)
      fuzz_check_utf8 ("a stage", stage);
  }

  /* POST /login {"user", "password"}, POST /dossiers/UUID/recusals {"org"} */
  {
    g_autoptr(GError) error = NULL;
    const char *user = NULL;

    ok = bnd_server_body_read_string (body, "user", FALSE, &user, &error);
    check_refusal ("reading a user name", ok, error);
    if (ok)
      fuzz_check_utf8 ("a user name", user);
  }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *body;

  body = bnd_server_body_parse ((const char *)data, size, &root, &error);
  check_refusal ("bnd_server_body_parse", body != NULL, error);
  if (body != NULL)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autofree char *detail = NULL;

      check_object (body);
      /* What the audit trail keeps of a body: valid UTF-8, like every string in it. */
      json_generator_set_root (generator, root);
      detail = json_generator_to_data (generator, NULL);
      fuzz_check_utf8 ("a body written back as JSON", detail);
    }
  check_sketch (data, size);
  return 0;
}
