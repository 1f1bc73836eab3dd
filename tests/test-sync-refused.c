/* test-sync-refused.c: one record the server refuses does not block the others, against a real
 * buendnis-server on loopback (issue 12, acceptance 3)
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "bnd-refusal.h"
#include "bnd-sync.h"
#include "bnd-test-server.h"
#include "bnd-test-util.h"

/* Two profiles of one carrier organisation, anna's and ben's. Fifty times, with fresh ids: anna
 * writes a sketch, ben syncs it, anna submits it; ben, who has not synced since, edits it (it is
 * still a draft in his profile) and writes three new drafts. His sync must deliver the three
 * whatever order the ids fall in, keep the submitted one with the server's reason, and report
 * success. Before the fix the push stopped at the refused sketch, so a draft whose id sorted after
 * it never arrived (and the sync failed). */

#define ROUNDS      50
#define N_DRAFTS    3
#define SUBMITTED   "The sketch has been submitted and cannot change"

typedef struct
{
  BndTestServer  server;
  char          *url;
  char          *work;
  BndStrategy   *strategy;
  BndStore      *anna;
  BndStore      *ben;
  char          *anna_token;
  char          *ben_token;
} Fixture;

static BndStore *
profile_new (Fixture    *fixture,
             const char *user)
{
  g_autofree char *directory = g_build_filename (fixture->work, user, NULL);
  g_autoptr(GError) error = NULL;
  BndStore *store = bnd_store_new (directory, &error);

  g_assert_no_error (error);
  /* What signing in writes (buendnis-cli login, the app's preferences) */
  g_assert_true (bnd_store_set_meta (store, "server_url", fixture->url, NULL));
  g_assert_true (bnd_store_set_meta (store, "server_user", user, NULL));
  return store;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->work = g_dir_make_tmp ("bnd-sync-refused-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->server.data = g_build_filename (fixture->work, "server", NULL);
  bnd_test_server_admin (NULL, "init", "--data", fixture->server.data, NULL);
  bnd_test_server_add_user (fixture->server.data, "anna", "lk-heidekreis", "carrier");
  bnd_test_server_add_user (fixture->server.data, "ben", "lk-heidekreis", "carrier");
  bnd_test_server_serve (&fixture->server, 0);
  fixture->url = g_strdup_printf ("http://127.0.0.1:%u", fixture->server.port);
  fixture->anna_token = bnd_sync_login (fixture->url, "anna", BND_TEST_PASSWORD, &error);
  g_assert_no_error (error);
  fixture->ben_token = bnd_sync_login (fixture->url, "ben", BND_TEST_PASSWORD, &error);
  g_assert_no_error (error);
  fixture->strategy = bnd_test_load_strategy ();
  fixture->anna = profile_new (fixture, "anna");
  fixture->ben = profile_new (fixture, "ben");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", fixture->work);

  g_clear_object (&fixture->anna);
  g_clear_object (&fixture->ben);
  g_clear_object (&fixture->strategy);
  bnd_test_server_stop (&fixture->server);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  g_free (fixture->server.data);
  g_free (fixture->url);
  g_free (fixture->work);
  g_free (fixture->anna_token);
  g_free (fixture->ben_token);
}

/* The status of GET /sketches/UUID, as anna (who sees her organisation's drafts) */
static guint
server_status (Fixture    *fixture,
               const char *uuid)
{
  g_autofree char *path = g_strdup_printf ("/sketches/%s", uuid);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  guint status = 0;

  body = bnd_sync_fetch (NULL, fixture->url, fixture->anna_token, path, &status, &error);
  g_assert_no_error (error);
  return status;
}

static void
sync_ok (BndStore      *store,
         Fixture       *fixture,
         const char    *token,
         BndSyncReport *report)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bnd_sync_run (store, fixture->strategy, fixture->url, token, NULL, report, &error));
  g_assert_no_error (error);
}

static BndSketch *
new_sketch (const char *title)
{
  BndSketch *sketch = bnd_sketch_new ();

  bnd_sketch_set_title (sketch, title);
  bnd_sketch_set_section (sketch, "need", "Fachkräfte fehlen.");
  return sketch;
}

static void
test_one_refused (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(BndSketch) reference = bnd_test_load_reference (fixture->strategy);
  g_autoptr(GPtrArray) refused_ids = g_ptr_array_new_with_free_func (g_free);
  guint drafts_after = 0;

  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autoptr(BndSketch) submitted = bnd_sketch_copy (reference);
      g_autoptr(BndSketch) stale = NULL;
      g_autoptr(BndSyncState) state = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *sha256 = NULL;
      g_autofree char *reason = NULL;
      g_autofree char *title = g_strdup_printf ("Eingereicht %u", round);
      char *drafts[N_DRAFTS];
      BndSyncReport report;

      /* anna writes and submits; ben has the draft from before the submission */
      bnd_sketch_set_uuid (submitted, uuid);
      bnd_sketch_set_title (submitted, title);
      g_assert_true (bnd_store_save (fixture->anna, submitted, &error));
      sync_ok (fixture->anna, fixture, fixture->anna_token, &report);
      sync_ok (fixture->ben, fixture, fixture->ben_token, &report);
      g_assert_true (bnd_sync_submit (fixture->anna, fixture->strategy, fixture->url, fixture->anna_token, uuid,
                                      &sha256, NULL, &error));
      g_assert_no_error (error);

      /* ben edits his copy, still a draft in his profile, and writes three new sketches */
      stale = bnd_store_load (fixture->ben, uuid, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (bnd_sketch_get_stage (stale), ==, "draft");
      bnd_sketch_set_section (stale, "need", "Noch eine Änderung nach der Einreichung.");
      g_assert_true (bnd_store_save (fixture->ben, stale, &error));
      for (guint i = 0; i < N_DRAFTS; i++)
        {
          g_autofree char *draft_title = g_strdup_printf ("Entwurf %u.%u", round, i);
          g_autoptr(BndSketch) draft = new_sketch (draft_title);

          drafts[i] = g_strdup (bnd_sketch_get_uuid (draft));
          drafts_after += strcmp (drafts[i], uuid) > 0;
          g_assert_true (bnd_store_save (fixture->ben, draft, &error));
        }

      /* The sync succeeds: the three arrive, the submitted one is refused and says why. */
      sync_ok (fixture->ben, fixture, fixture->ben_token, &report);
      g_assert_cmpuint (report.pushed, ==, N_DRAFTS);
      g_assert_cmpuint (report.refused, ==, 1);
      for (guint i = 0; i < N_DRAFTS; i++)
        {
          g_assert_cmpuint (server_status (fixture, drafts[i]), ==, 200);
          g_free (drafts[i]);
        }
      state = bnd_store_get_sync_state (fixture->ben, uuid, &error);
      g_assert_no_error (error);
      reason = bnd_refusal_describe (state->refused);
      g_assert_cmpstr (reason, ==, SUBMITTED);
      g_assert_true (state->dirty);
      g_assert_null (state->pending_key);
      g_ptr_array_add (refused_ids, g_strdup (uuid));
    }
  /* Fresh ids fell on both sides of the refused one: the order the push goes in was tried. */
  g_assert_cmpuint (drafts_after, >, 0);
  g_assert_cmpuint (drafts_after, <, ROUNDS * N_DRAFTS);

  /* The refused ones wait for ben's decision; they are not sent again, and nothing else fails. */
  {
    g_autoptr(GPtrArray) listed = bnd_store_list_unsynced (fixture->ben, BND_UNSYNCED_REFUSED, NULL);
    BndSyncReport report;

    g_assert_cmpuint (listed->len, ==, ROUNDS);
    sync_ok (fixture->ben, fixture, fixture->ben_token, &report);
    g_assert_cmpuint (report.pushed, ==, 0);
    g_assert_cmpuint (report.refused, ==, 0);
  }
}

/* The way out: the server's version back, or ben's own as a new draft that then arrives. */
static void
test_way_out (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(BndSketch) reference = bnd_test_load_reference (fixture->strategy);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  char *uuids[2];
  g_autofree char *draft = NULL;
  BndSyncReport report;

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(BndSketch) sketch = bnd_sketch_copy (reference);
      g_autoptr(BndSketch) stale = NULL;
      g_autofree char *sha256 = NULL;

      uuids[i] = g_uuid_string_random ();
      bnd_sketch_set_uuid (sketch, uuids[i]);
      g_assert_true (bnd_store_save (fixture->anna, sketch, &error));
      sync_ok (fixture->anna, fixture, fixture->anna_token, &report);
      sync_ok (fixture->ben, fixture, fixture->ben_token, &report);
      g_assert_true (bnd_sync_submit (fixture->anna, fixture->strategy, fixture->url, fixture->anna_token, uuids[i],
                                      &sha256, NULL, &error));
      stale = bnd_store_load (fixture->ben, uuids[i], NULL, &error);
      bnd_sketch_set_section (stale, "need", "Bens Fassung");
      g_assert_true (bnd_store_save (fixture->ben, stale, &error));
    }
  sync_ok (fixture->ben, fixture, fixture->ben_token, &report);
  {
    g_autoptr(GPtrArray) listed = bnd_store_list_unsynced (fixture->ben, BND_UNSYNCED_REFUSED, NULL);

    g_assert_cmpuint (listed->len, ==, 2);
  }

  /* The server's version: submitted, unedited, nothing to push; ben's text in the history */
  g_assert_true (bnd_refusal_take_server (fixture->ben, uuids[0], &error));
  g_assert_no_error (error);
  {
    g_autoptr(BndSketch) taken = bnd_store_load (fixture->ben, uuids[0], NULL, &error);
    g_autoptr(BndSyncState) state = bnd_store_get_sync_state (fixture->ben, uuids[0], &error);
    g_autoptr(BndSketch) kept = NULL;

    g_assert_cmpstr (bnd_sketch_get_stage (taken), ==, "submitted");
    g_assert_cmpstr (bnd_sketch_get_section (taken, "need"), ==, bnd_sketch_get_section (reference, "need"));
    g_assert_false (state->dirty);
    g_assert_null (state->refused);
    versions = bnd_store_list_versions (fixture->ben, uuids[0], &error);
    g_assert_cmpuint (versions->len, >, 0);
    g_assert_cmpstr (((BndVersion *)g_ptr_array_index (versions, versions->len - 1))->reason, ==, "refused");
    kept = bnd_store_load_version (fixture->ben, ((BndVersion *)g_ptr_array_index (versions, versions->len - 1))->id,
                                   &error);
    g_assert_cmpstr (bnd_sketch_get_section (kept, "need"), ==, "Bens Fassung");
  }

  /* Ben's version as a new draft, which the next sync delivers */
  draft = bnd_refusal_keep_as_draft (fixture->ben, uuids[1], &error);
  g_assert_no_error (error);
  g_assert_nonnull (draft);
  g_assert_cmpstr (draft, !=, uuids[1]);
  {
    g_autoptr(BndSketch) copy = bnd_store_load (fixture->ben, draft, NULL, &error);

    g_assert_cmpstr (bnd_sketch_get_stage (copy), ==, "draft");
    g_assert_cmpstr (bnd_sketch_get_section (copy, "need"), ==, "Bens Fassung");
  }
  g_assert_cmpuint (server_status (fixture, draft), ==, 404);
  sync_ok (fixture->ben, fixture, fixture->ben_token, &report);
  g_assert_cmpuint (report.pushed, ==, 1);
  g_assert_cmpuint (report.refused, ==, 0);
  g_assert_cmpuint (server_status (fixture, draft), ==, 200);
  {
    g_autoptr(GPtrArray) listed = bnd_store_list_unsynced (fixture->ben, BND_UNSYNCED_REFUSED, NULL);
    g_autoptr(GPtrArray) waiting = bnd_store_list_unsynced (fixture->ben, BND_UNSYNCED_TO_PUSH, NULL);

    g_assert_cmpuint (listed->len, ==, 0);
    g_assert_cmpuint (waiting->len, ==, 0);
  }

  /* Only a refused sketch has a way out to take */
  g_assert_false (bnd_refusal_take_server (fixture->ben, uuids[0], &error));
  g_assert_error (error, BND_REFUSAL_ERROR, BND_REFUSAL_ERROR_NOT_REFUSED);
  g_free (uuids[0]);
  g_free (uuids[1]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sync-refused/one-refused-three-arrive", Fixture, NULL, fixture_set_up, test_one_refused,
              fixture_tear_down);
  g_test_add ("/sync-refused/way-out", Fixture, NULL, fixture_set_up, test_way_out, fixture_tear_down);

  return g_test_run ();
}
