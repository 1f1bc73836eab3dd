/* test-mail-compose.c: the session agenda's messages, and what a message looks like on the wire
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>

#include "bnd-i18n.h"
#include "bnd-server-db.h"
#include "bnd-server-mail.h"
#include "bnd-server-mailer.h"
#include "bnd-server-outbox.h"

/* The agenda goes to every user of a partner organisation with an address and e-mail on, in each
 * one's language, and to nobody of a carrier; test-mail.py covers the rest against a real server. */
static void
test_session_agenda (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bnd-mail-XXXXXX", &error);
  g_autoptr(GPtrArray) rows = NULL;
  const char *titles[] = { "Welcome & Stay", "Pflege 2030", NULL };
  BndServerDb *db;
  guint german = 0, english = 0;

  g_assert_no_error (error);
  db = bnd_server_db_open (dir, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (bnd_server_db_add_org (db, "ihk-lw", "IHK Lüneburg-Wolfsburg", "chamber", &error));
  g_assert_true (bnd_server_db_add_org (db, "lk-celle", "Landkreis Celle", "district", &error));
  g_assert_true (bnd_server_db_add_org (db, "traeger", "Träger Nord", "carrier", &error));
  g_assert_true (bnd_server_db_add_user (db, "clara", "ihk-lw", BND_ROLE_COORDINATION, "test", &error));
  g_assert_true (bnd_server_db_add_user (db, "celia", "lk-celle", BND_ROLE_PARTNER, "test", &error));
  g_assert_true (bnd_server_db_add_user (db, "quiet", "lk-celle", BND_ROLE_PARTNER, "test", &error));
  g_assert_true (bnd_server_db_add_user (db, "nomail", "lk-celle", BND_ROLE_PARTNER, "test", &error));
  g_assert_true (bnd_server_db_add_user (db, "tina", "traeger", BND_ROLE_CARRIER, "test", &error));
  g_assert_true (bnd_server_db_set_mail_settings (db, "clara", "clara@example.org", "de", -1, "test", &error));
  g_assert_true (bnd_server_db_set_mail_settings (db, "celia", "celia@example.org", "en", -1, "test", &error));
  g_assert_true (bnd_server_db_set_mail_settings (db, "quiet", "quiet@example.org", "de", 0, "test", &error));
  g_assert_true (bnd_server_db_set_mail_settings (db, "tina", "tina@example.org", "de", -1, "test", &error));
  g_assert_no_error (error);

  /* Off: nothing is written. */
  g_assert_true (bnd_server_mail_enqueue_session_agenda (db, "s1", "2026-03-05", "IHK, Lüneburg", titles, &error));
  rows = bnd_server_outbox_list (db, TRUE, &error);
  g_assert_cmpuint (rows->len, ==, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);

  bnd_server_db_set_mail (db, TRUE, "example.org");
  g_assert_true (bnd_server_mail_enqueue_session_agenda (db, "s1", "2026-03-05", "IHK, Lüneburg", titles, &error));
  g_assert_no_error (error);
  rows = bnd_server_outbox_list (db, TRUE, &error);
  g_assert_cmpuint (rows->len, ==, 2);
  for (guint i = 0; i < rows->len; i++)
    {
      BndOutboxRow *row = g_ptr_array_index (rows, i);

      g_assert_cmpstr (row->kind, ==, "session-agenda");
      g_assert_cmpstr (row->dossier, ==, "s1");
      g_assert_cmpstr (row->state, ==, "pending");
      g_assert_true (g_str_has_suffix (row->message_id, "@example.org>"));
      g_assert_nonnull (strstr (row->body, "1. Welcome & Stay"));
      g_assert_nonnull (strstr (row->body, "2. Pflege 2030"));
      if (g_str_equal (row->address, "clara@example.org"))
        {
          german++;
          g_assert_cmpstr (row->subject, ==, "Sitzung des Lenkungskreises am 05.03.2026: Tagesordnung");
          g_assert_nonnull (strstr (row->body, "Ort: IHK, Lüneburg"));
        }
      else
        {
          english++;
          g_assert_cmpstr (row->address, ==, "celia@example.org");
          g_assert_cmpstr (row->subject, ==, "Lenkungskreis session on 5 Mar 2026: agenda");
          g_assert_nonnull (strstr (row->body, "Place: IHK, Lüneburg"));
        }
    }
  g_assert_cmpuint (german, ==, 1);
  g_assert_cmpuint (english, ==, 1);
  bnd_server_db_free (db);
}

/* CRLF lines, the subject in RFC 2047 words where it is not ASCII, the body in base64 lines of
 * at most 76 characters, and the headers a mail client and a test read. */
static void
test_message (void)
{
  g_autoptr(GBytes) message = bnd_mailer_build_message ("Bündnis <buendnis@example.org>", "anna@example.org",
                                                        "Änderungen erbeten: Welcome & Stay – eine lange Zeile",
                                                        "Hallo anna,\n\nBitte überarbeiten.\n", "<x@example.org>",
                                                        "assessment", "d1", 0);
  g_autofree char *text = g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message));
  g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);
  gboolean in_body = FALSE;

  g_assert_true (g_str_has_prefix (text, "Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"));
  g_assert_nonnull (strstr (text, "\r\nFrom: =?UTF-8?B?"));
  g_assert_nonnull (strstr (text, "<buendnis@example.org>\r\n"));
  g_assert_nonnull (strstr (text, "\r\nSubject: =?UTF-8?B?"));
  g_assert_nonnull (strstr (text, "\r\nMessage-ID: <x@example.org>\r\n"));
  g_assert_nonnull (strstr (text, "\r\nX-Buendnis-Notification: assessment\r\nX-Buendnis-Dossier: d1\r\n"));
  g_assert_null (strstr (text, "Änderungen"));
  for (guint i = 0; lines[i]; i++)
    {
      g_assert_null (strchr (lines[i], '\n'));
      g_assert_cmpuint (strlen (lines[i]), <=, 78);
      if (in_body && *lines[i])
        {
          gsize length = 0;
          guchar *decoded = g_base64_decode (lines[i], &length);

          g_assert_cmpuint (length, >, 0);
          g_free (decoded);
        }
      if (*lines[i] == 0)
        in_body = TRUE;
    }
}

static void
test_addresses (void)
{
  g_assert_true (bnd_mail_address_is_valid ("anna@lk-heidekreis.de"));
  g_assert_true (bnd_mail_address_is_valid ("a.b+c@example.org"));
  g_assert_false (bnd_mail_address_is_valid ("anna@heidekreis"));
  g_assert_false (bnd_mail_address_is_valid ("anna@@example.org"));
  g_assert_false (bnd_mail_address_is_valid ("@example.org"));
  g_assert_false (bnd_mail_address_is_valid ("anna example@example.org"));
  g_assert_false (bnd_mail_address_is_valid ("anna@example.org>\r\nRCPT TO:<x@y.z"));
  g_assert_false (bnd_mail_address_is_valid ("anna@example..org"));
  g_assert_false (bnd_mail_address_is_valid (""));
}

int
main (int   argc,
      char *argv[])
{
  bnd_i18n_init ();
  setlocale (LC_MESSAGES, "C");
  bnd_server_mail_init_languages ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mail/session-agenda", test_session_agenda);
  g_test_add_func ("/mail/message", test_message);
  g_test_add_func ("/mail/addresses", test_addresses);
  return g_test_run ();
}
