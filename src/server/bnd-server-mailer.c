/* bnd-server-mailer.c: the scheduler that writes reminders and sends the outbox through SMTP
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-mailer"

#include "config.h"

#include <curl/curl.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>

#include "bnd-server-db-private.h"
#include "bnd-server-mail.h"
#include "bnd-server-mailer.h"
#include "bnd-server-outbox.h"

/* The scheduler runs on the server's main loop: every `interval` seconds, and at once when an
 * event wrote a message, it writes the reminders that are due (bnd_server_mail_send_reminders())
 * and sends the next message of the outbox. On SQLite everything it reads or writes in the
 * database it does on the main loop, like every handler; only the SMTP conversation runs in a
 * worker thread (GTask), so that a slow or silent mail server never holds up a request. On
 * PostgreSQL, whose calls wait on another machine (bnd-server-worker.c), the whole round runs in
 * that thread, with a connection of the mailer's own. One message is in
 * flight at a time: marked 'sending' before, 'sent' after (bnd-server-outbox.c), so a crash can
 * repeat that one message and no other. The mark is a lease that runs out a minute after the SMTP
 * timeout: every server process on one database sends from the same outbox, and none takes over
 * a message another is still sending. A failure retries after retry-seconds, doubled after
 * each attempt (at most a day), and gives up after max-attempts, keeping the error for
 * `buendnis-server outbox`.
 *
 * libcurl speaks SMTP: CURLUSESSL_ALL makes it insist on STARTTLS (or TLS from the start for
 * smtps://) with the certificate verified, and refuse to send anything in the clear. */

#define MAX_BACKOFF (24 * 3600)

/* How much longer than the SMTP timeout a claim holds: time to write 'sent' after the answer. */
#define LEASE_MARGIN 60

struct _BndMailer
{
  gatomicrefcount  ref;
  BndServerDb     *db;            /* NULL once stopped */
  char            *url;
  char            *user;
  char            *password;
  char            *from;          /* the From header as configured */
  char            *from_address;
  char            *ca_file;
  long             timeout;
  gint64           retry;
  int              attempts;
  guint            tick_id;
  guint            idle_id;
  gboolean         sending;
  gboolean         again;         /* PostgreSQL: asked to run while a round ran */
  BndServerDb     *own;           /* PostgreSQL: the rounds' connection, used in their thread */
};

typedef struct
{
  char   *url;
  char   *user;
  char   *password;
  char   *ca_file;
  char   *from_address;
  char   *to;
  GBytes *message;
  long    timeout;
  gint64  row;
  int     attempts;
  char   *message_id;
} Job;

static BndMailer *
mailer_ref (BndMailer *self)
{
  g_atomic_ref_count_inc (&self->ref);
  return self;
}

static void
mailer_unref (BndMailer *self)
{
  if (!g_atomic_ref_count_dec (&self->ref))
    return;
  g_free (self->url);
  g_free (self->user);
  if (self->password)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  g_free (self->from);
  g_free (self->from_address);
  g_free (self->ca_file);
  g_clear_pointer (&self->own, bnd_server_db_free);
  g_free (self);
}

static void
job_free (Job *job)
{
  g_free (job->url);
  g_free (job->user);
  if (job->password)
    memset (job->password, 0, strlen (job->password));
  g_free (job->password);
  g_free (job->ca_file);
  g_free (job->from_address);
  g_free (job->to);
  g_bytes_unref (job->message);
  g_free (job->message_id);
  g_free (job);
}

/* The message */

static gboolean
is_ascii (const char *text)
{
  for (const char *c = text; *c; c++)
    if ((guchar)*c >= 0x80)
      return FALSE;
  return TRUE;
}

/* A header's text as RFC 2047 encoded words where it is not plain ASCII, each at most 64
 * characters and never splitting a character. */
static void
append_header_text (GString    *out,
                    const char *text)
{
  const char *start = text;

  if (is_ascii (text))
    {
      g_string_append (out, text);
      return;
    }
  while (*start)
    {
      const char *end = start;
      g_autofree char *encoded = NULL;

      while (*end && g_utf8_next_char (end) - start <= 39)
        end = g_utf8_next_char (end);
      if (end == start)
        end = g_utf8_next_char (start);
      encoded = g_base64_encode ((const guchar *)start, end - start);
      if (start != text)
        g_string_append (out, "\r\n ");
      g_string_append_printf (out, "=?UTF-8?B?%s?=", encoded);
      start = end;
    }
}

static const char *days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
static const char *months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/**
 * bnd_mailer_build_message:
 * @from: the From header as configured: an address, or a name and an address in angle brackets
 * @kind: the notification's kind, and @dossier (nullable) the dossier or session it is about: in
 *   headers of their own, for the recipient's filters
 * @created: when the message was written, for its Date
 *
 * Returns: (transfer full): the message as SMTP sends it, with CRLF line ends and the body in
 *   base64, so that no line is too long and no mail server needs 8BITMIME
 */
GBytes *
bnd_mailer_build_message (const char *from,
                          const char *to,
                          const char *subject,
                          const char *body,
                          const char *message_id,
                          const char *kind,
                          const char *dossier,
                          gint64      created)
{
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (created);
  g_auto(GStrv) lines = g_strsplit (body, "\n", -1);
  g_autofree char *crlf = g_strjoinv ("\r\n", lines);
  g_autofree char *encoded = g_base64_encode ((const guchar *)crlf, strlen (crlf));
  GString *out = g_string_new (NULL);
  const char *open = strchr (from, '<');
  gsize length;

  g_string_append_printf (out, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n",
                          days[g_date_time_get_day_of_week (date) - 1], g_date_time_get_day_of_month (date),
                          months[g_date_time_get_month (date) - 1], g_date_time_get_year (date),
                          g_date_time_get_hour (date), g_date_time_get_minute (date),
                          g_date_time_get_second (date));
  g_string_append (out, "From: ");
  if (open != NULL && open != from)
    {
      g_autofree char *name = g_strstrip (g_strndup (from, open - from));

      if (is_ascii (name))
        {
          g_auto(GStrv) parts = g_strsplit (name, "\"", -1);
          g_autofree char *plain = g_strjoinv ("", parts);

          g_string_append_printf (out, "\"%s\" ", plain);
        }
      else
        {
          append_header_text (out, name);
          g_string_append_c (out, ' ');
        }
      g_string_append (out, open);
    }
  else
    g_string_append (out, from);
  g_string_append_printf (out, "\r\nTo: %s\r\nSubject: ", to);
  append_header_text (out, subject);
  g_string_append_printf (out, "\r\nMessage-ID: %s\r\n", message_id);
  g_string_append (out, "MIME-Version: 1.0\r\n"
                        "Content-Type: text/plain; charset=UTF-8\r\n"
                        "Content-Transfer-Encoding: base64\r\n"
                        "Auto-Submitted: auto-generated\r\n");
  g_string_append_printf (out, "X-Buendnis-Notification: %s\r\n", kind);
  if (dossier != NULL)
    g_string_append_printf (out, "X-Buendnis-Dossier: %s\r\n", dossier);
  g_string_append (out, "\r\n");
  length = strlen (encoded);
  for (gsize i = 0; i < length; i += 76)
    {
      g_string_append_len (out, encoded + i, MIN (76, length - i));
      g_string_append (out, "\r\n");
    }
  return g_string_free_to_bytes (out);
}

/* The worker thread: one SMTP conversation */

typedef struct
{
  const guchar *data;
  gsize         length;
  gsize         offset;
} Upload;

static size_t
read_cb (char   *buffer,
         size_t  size,
         size_t  count,
         void   *data)
{
  Upload *upload = data;
  size_t n = MIN (size * count, upload->length - upload->offset);

  memcpy (buffer, upload->data + upload->offset, n);
  upload->offset += n;
  return n;
}

static gboolean
send_job (Job     *job,
          GError **error)
{
  CURL *curl = curl_easy_init ();
  struct curl_slist *recipients = NULL;
  g_autofree char *mail_from = g_strdup_printf ("<%s>", job->from_address);
  g_autofree char *rcpt = g_strdup_printf ("<%s>", job->to);
  char problem[CURL_ERROR_SIZE] = "";
  Upload upload = { 0 };
  CURLcode rc;

  if (curl == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", "curl_easy_init failed");
      return FALSE;
    }
  upload.data = g_bytes_get_data (job->message, &upload.length);
  recipients = curl_slist_append (recipients, rcpt);
  curl_easy_setopt (curl, CURLOPT_URL, job->url);
  curl_easy_setopt (curl, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (job->ca_file)
    curl_easy_setopt (curl, CURLOPT_CAINFO, job->ca_file);
  if (job->user)
    curl_easy_setopt (curl, CURLOPT_USERNAME, job->user);
  if (job->password)
    curl_easy_setopt (curl, CURLOPT_PASSWORD, job->password);
  curl_easy_setopt (curl, CURLOPT_MAIL_FROM, mail_from);
  curl_easy_setopt (curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt (curl, CURLOPT_READFUNCTION, read_cb);
  curl_easy_setopt (curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt (curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt (curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)upload.length);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT, MIN (job->timeout, 30L));
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, job->timeout);
  curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, problem);
  rc = curl_easy_perform (curl);
  curl_slist_free_all (recipients);
  curl_easy_cleanup (curl);
  if (rc == CURLE_OK)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", *problem ? problem : curl_easy_strerror (rc));
  return FALSE;
}

static void
send_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  if (send_job (data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* The scheduler, on the main loop */

static void run (BndMailer *self);

static gboolean
on_idle_cb (gpointer data)
{
  BndMailer *self = data;

  self->idle_id = 0;
  run (self);
  return G_SOURCE_REMOVE;
}

static void
kick (BndMailer *self)
{
  if (self->idle_id == 0 && self->db != NULL)
    self->idle_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, on_idle_cb, mailer_ref (self),
                                     (GDestroyNotify)mailer_unref);
}

static void
on_outbox_written (gpointer data)
{
  kick (data);
}

/* Marks the message sent, or when to try again. */
static void
record_outcome (BndMailer    *self,
                BndServerDb  *db,
                Job          *job,
                const GError *error)
{
  g_autoptr(GError) db_error = NULL;

  if (error == NULL)
    {
      g_debug ("sent %s to %s", job->message_id, job->to);
      if (!bnd_server_outbox_sent (db, job->row, bnd_server_db_now (db), &db_error))
        g_warning ("Marking message %s as sent failed: %s", job->message_id, db_error->message);
    }
  else
    {
      gboolean give_up = job->attempts >= self->attempts;
      gint64 wait = self->retry;

      for (int i = 1; i < job->attempts && wait < MAX_BACKOFF; i++)
        wait *= 2;
      wait = MIN (wait, MAX_BACKOFF);
      if (give_up)
        g_warning ("Gave up sending message %s to %s after %d attempts: %s", job->message_id, job->to,
                   job->attempts, error->message);
      else
        g_message ("Sending message %s to %s failed (attempt %d), trying again in %" G_GINT64_FORMAT " s: %s",
                   job->message_id, job->to, job->attempts, wait, error->message);
      if (!bnd_server_outbox_failed (db, job->row, job->attempts, error->message,
                                     bnd_server_db_now (db) + wait, give_up, &db_error))
        g_warning ("Recording the failure of message %s failed: %s", job->message_id, db_error->message);
    }
}

static void
on_sent_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  BndMailer *self = data;
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (self->db == NULL)
    {
      /* Stopped while the message was in flight: it stays 'sending', and is sent again first
       * once its lease has run out, by the next start or by another process. */
      mailer_unref (self);
      return;
    }
  g_task_propagate_boolean (G_TASK (result), &error);
  record_outcome (self, self->db, job, error);
  self->sending = FALSE;
  kick (self);
  mailer_unref (self);
}

/* The next message of the outbox, claimed for @self, as a job; %NULL for none. */
static Job *
claim_next (BndMailer   *self,
            BndServerDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BndOutboxRow) row = NULL;
  gint64 now = bnd_server_db_now (db);
  Job *job;

  if (!(row = bnd_server_outbox_claim (db, now, now + self->timeout + LEASE_MARGIN, &error)))
    {
      if (error != NULL)
        g_warning ("Reading the outbox failed: %s", error->message);
      return NULL;
    }
  job = g_new0 (Job, 1);
  job->url = g_strdup (self->url);
  job->user = g_strdup (self->user);
  job->password = g_strdup (self->password);
  job->ca_file = g_strdup (self->ca_file);
  job->from_address = g_strdup (self->from_address);
  job->to = g_strdup (row->address);
  job->timeout = self->timeout;
  job->row = row->id;
  job->attempts = row->attempts;
  job->message_id = g_strdup (row->message_id);
  job->message = bnd_mailer_build_message (self->from, row->address, row->subject, row->body, row->message_id,
                                           row->kind, row->dossier, row->created);
  return job;
}

static void
send_next (BndMailer *self)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  if (self->sending || self->db == NULL || !(job = claim_next (self, self->db)))
    return;
  self->sending = TRUE;
  task = g_task_new (NULL, NULL, on_sent_cb, mailer_ref (self));
  g_task_set_source_tag (task, send_next);
  g_task_set_task_data (task, job, (GDestroyNotify)job_free);
  g_task_run_in_thread (task, send_thread);
}

static void
write_reminders (BndServerDb *db)
{
  g_autoptr(GError) error = NULL;
  guint n = 0;

  if (!bnd_server_mail_send_reminders (db, &n, &error))
    g_warning ("Writing the reminders failed: %s", error->message);
  else if (n > 0)
    g_debug ("wrote the reminders of %u rounds", n);
}

/* PostgreSQL: a whole round in the thread, with the mailer's connection. Returns whether it sent
 * a message (or tried to), so that the next one follows at once. */
static void
round_thread (GTask        *task,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  BndMailer *self = data;
  g_autoptr(GError) error = NULL;
  Job *job;

  write_reminders (self->own);
  if (!(job = claim_next (self, self->own)))
    return g_task_return_boolean (task, FALSE);
  send_job (job, &error);
  record_outcome (self, self->own, job, error);
  job_free (job);
  g_task_return_boolean (task, TRUE);
}

static void
on_round_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  BndMailer *self = data;

  self->sending = FALSE;
  /* Another message may wait: the round sent one, or a message was written meanwhile. */
  if (g_task_propagate_boolean (G_TASK (result), NULL) || self->again)
    kick (self);
  self->again = FALSE;
  mailer_unref (self);
}

static void
run (BndMailer *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->db == NULL)
    return;
  if (self->own == NULL)
    {
      write_reminders (self->db);
      send_next (self);
      return;
    }
  if (self->sending)
    {
      self->again = TRUE;
      return;
    }
  self->sending = TRUE;
  task = g_task_new (NULL, NULL, on_round_cb, mailer_ref (self));
  g_task_set_source_tag (task, run);
  g_task_set_task_data (task, self, NULL);
  g_task_run_in_thread (task, round_thread);
}

static gboolean
on_tick_cb (gpointer data)
{
  run (data);
  return G_SOURCE_CONTINUE;
}

static char *
read_password_file (const char  *path,
                    GError     **error)
{
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  contents[strcspn (contents, "\r\n")] = 0;
  return g_steal_pointer (&contents);
}

/**
 * bnd_mailer_start:
 * @own: (transfer full) (nullable): on PostgreSQL, the connection for the mailer's rounds, opened
 *   off the main context; %NULL to open it here (when the server starts)
 *
 * Starts sending the outbox of @db as [mail] in @config says, and lets @db write messages. With
 * e-mail off it returns %NULL and @db writes none.
 *
 * Returns: (transfer full) (nullable): the mailer, or %NULL when e-mail is off or on an error
 */
BndMailer *
bnd_mailer_start (BndServerDb           *db,
                  BndServerDb           *own,
                  const BndServerConfig *config,
                  GError               **error)
{
  g_autoptr(BndServerDb) own_db = own;
  BndMailer *self;
  g_autofree char *password = NULL;
  g_autofree char *address = NULL;
  static gsize curl_ready = 0;

  if (!config->mail_enabled)
    {
      bnd_server_db_set_mail (db, FALSE, NULL);
      return NULL;
    }
  if (!(address = bnd_server_config_mail_address (config->smtp_from)) || config->smtp_url == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s",
                   _("E-mail is enabled, but smtp-url or smtp-from in [mail] is missing or wrong; run "
                     "buendnis-server check-config"));
      return NULL;
    }
  if (config->smtp_password_file && !(password = read_password_file (config->smtp_password_file, error)))
    return NULL;
  if (g_once_init_enter (&curl_ready))
    {
      curl_global_init (CURL_GLOBAL_DEFAULT);
      g_once_init_leave (&curl_ready, 1);
    }

  self = g_new0 (BndMailer, 1);
  g_atomic_ref_count_init (&self->ref);
  self->db = db;
  self->url = g_strdup (config->smtp_url);
  self->user = g_strdup (config->smtp_user);
  self->password = password ? g_steal_pointer (&password) : g_strdup (config->smtp_password);
  self->from = g_strdup (config->smtp_from);
  self->ca_file = g_strdup (config->smtp_ca_file);
  self->timeout = config->smtp_timeout;
  self->retry = config->mail_retry;
  self->attempts = config->mail_attempts;
  bnd_server_db_set_mail (db, TRUE, strchr (address, '@') + 1);
  if (bnd_server_db_is_remote (db))
    {
      self->own = own_db ? g_steal_pointer (&own_db) : bnd_server_db_open_sibling (db);
      bnd_server_db_set_mail (self->own, TRUE, strchr (address, '@') + 1);
    }
  self->from_address = g_steal_pointer (&address);
  db->outbox_written = on_outbox_written;
  db->outbox_written_data = self;
  self->tick_id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, config->mail_interval, on_tick_cb,
                                              mailer_ref (self), (GDestroyNotify)mailer_unref);
  /* What a stop left in the outbox goes out now, not at the first tick. */
  kick (self);
  return self;
}

/**
 * bnd_mailer_stop:
 *
 * Stops the scheduler and frees @mailer. A message in flight stays marked 'sending' and is sent
 * again by the next start.
 */
void
bnd_mailer_stop (BndMailer *self)
{
  if (self == NULL)
    return;
  if (self->db != NULL)
    {
      self->db->outbox_written = NULL;
      self->db->outbox_written_data = NULL;
      bnd_server_db_set_mail (self->db, FALSE, NULL);
    }
  self->db = NULL;
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->idle_id, g_source_remove);
  mailer_unref (self);
}
