/* bnd-server-pdf-check.c: uploaded PDFs checked by buendnis-pdf-check, out of the server's process
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-pdf-check"

#include "config.h"

#include <glib/gi18n.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "bnd-server-db.h"
#include "bnd-server-pdf-check.h"

/* poppler parses a stranger's file here, and poppler can be made to loop for minutes, to
 * allocate gigabytes or to crash. In the server's own process that stalled every client and could
 * take the server down, so each upload goes to a helper process (src/server/pdf-check) that
 * limits itself and runs under a seccomp filter. The server feeds it the file on stdin, reads its
 * one-line verdict from stdout, and kills it when its time is up; all of it asynchronously on the
 * main loop, which goes on serving everyone else.
 *
 * A client that hangs up does not stop its check: the check ends by its limits anyway, and until
 * then it counts against the few that may run, so that hanging up and sending again cannot start
 * more of them. */

/* "ok 12\n" and the refusals are a few bytes; more than this is not a verdict. */
#define MAX_VERDICT 256
/* What of the helper's stderr (poppler's complaints about the file) goes to the server's log
 * with a refusal; the rest is read and dropped. */
#define MAX_COMPLAINTS 2048

struct _BndServerPdfCheck
{
  GObject  parent_instance;

  guint    timeout_s;
  guint    memory_mib;
  guint    running;
  GQueue   waiting;       /* GTask, oldest first, each holding a reference */
};

G_DEFINE_FINAL_TYPE (BndServerPdfCheck, bnd_server_pdf_check, G_TYPE_OBJECT)

typedef struct
{
  GBytes      *pdf;
  GSubprocess *process;
  GByteArray  *verdict;
  GByteArray  *complaints;
  guint        pending;     /* writing the file, reading stdout and stderr, waiting for the exit */
  guint        timeout_s;
  guint        timeout_id;
  gboolean     timed_out;
} Job;

static void
job_free (Job *job)
{
  g_clear_pointer (&job->pdf, g_bytes_unref);
  g_clear_object (&job->process);
  g_clear_pointer (&job->verdict, g_byte_array_unref);
  g_clear_pointer (&job->complaints, g_byte_array_unref);
  g_clear_handle_id (&job->timeout_id, g_source_remove);
  g_free (job);
}

static void start_job (BndServerPdfCheck *self,
                       GTask             *task);

/* What the helper said, as the upload's answer. */
static void
return_verdict (GTask *task,
                Job   *job)
{
  g_autofree char *verdict = NULL;
  guint64 n_pages;

  /* An empty array's data is NULL, and so would be its g_strndup(). */
  verdict = job->verdict->len > 0 ? g_strndup ((const char *)job->verdict->data, job->verdict->len) : g_strdup ("");
  g_strchomp (verdict);
  if (job->timed_out)
    {
      g_message ("PDF check: stopped after %u s", job->timeout_s);
      g_task_return_new_error (task, BND_SERVER_ERROR, BND_SERVER_ERROR_PDF_CHECK,
                               /* Translators: %u is a number of seconds */
                               _("Checking the PDF took longer than %u seconds, so it was refused. "
                                 "Save it again from the program that made it (for example with "
                                 "“Print to PDF”) and upload it again"), job->timeout_s);
    }
  else if (g_subprocess_get_if_signaled (job->process))
    {
      /* SIGXCPU or SIGKILL at its CPU limit, SIGABRT when its memory ran out, SIGSYS for a
       * system call outside its filter, SIGSEGV for a crash in poppler. */
      g_message ("PDF check: killed by signal %d (%s)", g_subprocess_get_term_sig (job->process),
                 g_strsignal (g_subprocess_get_term_sig (job->process)));
      g_task_return_new_error (task, BND_SERVER_ERROR, BND_SERVER_ERROR_PDF_CHECK, "%s",
                               _("The PDF could not be checked: the check ran out of memory or "
                                 "time, or failed on the file, so it was refused. Save it again "
                                 "from the program that made it (for example with “Print to "
                                 "PDF”) and upload it again"));
    }
  else if (g_subprocess_get_exit_status (job->process) == 0 && g_str_has_prefix (verdict, "ok ") &&
           g_ascii_string_to_unsigned (verdict + 3, 10, 1, G_MAXINT, &n_pages, NULL))
    g_task_return_int (task, n_pages);
  else if (g_subprocess_get_exit_status (job->process) == 1 && g_str_equal (verdict, "not-pdf"))
    g_task_return_new_error (task, BND_SERVER_ERROR, BND_SERVER_ERROR_INVALID, "%s",
                             _("The file is not a PDF"));
  else if (g_subprocess_get_exit_status (job->process) == 1 && g_str_equal (verdict, "encrypted"))
    g_task_return_new_error (task, BND_SERVER_ERROR, BND_SERVER_ERROR_INVALID, "%s",
                             _("The PDF is protected by a password; save it without one and "
                               "upload it again"));
  else if (g_subprocess_get_exit_status (job->process) == 1 && g_str_equal (verdict, "no-pages"))
    g_task_return_new_error (task, BND_SERVER_ERROR, BND_SERVER_ERROR_INVALID, "%s",
                             _("The PDF has no pages"));
  else if (g_subprocess_get_exit_status (job->process) == 1 && g_str_equal (verdict, "damaged"))
    g_task_return_new_error (task, BND_SERVER_ERROR, BND_SERVER_ERROR_INVALID, "%s",
                             _("The PDF is damaged and cannot be read"));
  else
    {
      g_autofree char *said = g_strescape (verdict, NULL);

      /* Its own complaint is in the log, from log_complaints(). */
      g_warning ("PDF check %s ended with status %d and said “%s”", bnd_server_pdf_check_get_helper (),
                 g_subprocess_get_exit_status (job->process), said);
      g_task_return_new_error (task, BND_SERVER_ERROR, BND_SERVER_ERROR_INTERNAL, "%s",
                               _("The server could not check the PDF"));
    }
}

/* The helper's stderr, for the administrator to see why a file was refused: escaped into one
 * line, since parts of it may come from the file. */
static void
log_complaints (Job *job)
{
  g_autofree char *text = NULL;
  g_autofree char *escaped = NULL;

  if (job->complaints->len == 0)
    return;
  text = g_strndup ((const char *)job->complaints->data, job->complaints->len);
  escaped = g_strescape (g_strchomp (text), NULL);
  g_message ("PDF check said: %s%s", escaped, job->complaints->len >= MAX_COMPLAINTS ? " […]" : "");
}

static void
start_waiting (BndServerPdfCheck *self)
{
  while (self->running < BND_PDF_CHECK_MAX_RUNNING && !g_queue_is_empty (&self->waiting))
    {
      g_autoptr(GTask) task = g_queue_pop_head (&self->waiting);

      start_job (self, task);
    }
}

/* Takes over the reference of one of the job's four steps; after the last, the helper has exited. */
static void
step_done (GTask *task)
{
  g_autoptr(GTask) owned = task;
  BndServerPdfCheck *self = g_task_get_source_object (task);
  Job *job = g_task_get_task_data (task);

  (void)owned;   /* only released, when this returns (clang warns of it otherwise) */

  if (--job->pending > 0)
    return;
  g_clear_handle_id (&job->timeout_id, g_source_remove);
  self->running--;
  if (job->timed_out || g_subprocess_get_if_signaled (job->process) ||
      g_subprocess_get_exit_status (job->process) != 0)
    log_complaints (job);
  return_verdict (task, job);
  start_waiting (self);
}

/* Callbacks */

static gboolean
on_timeout_cb (gpointer user_data)
{
  Job *job = g_task_get_task_data (user_data);

  job->timeout_id = 0;
  job->timed_out = TRUE;
  g_subprocess_force_exit (job->process);
  return G_SOURCE_REMOVE;
}

static void
on_written_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  /* A helper that died early (its limits, a refusal after the header) closed the pipe: the
   * error is expected and its exit tells the rest. */
  g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);
  g_output_stream_close (G_OUTPUT_STREAM (object), NULL, NULL);
  step_done (user_data);
}

static void
on_read_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Job *job = g_task_get_task_data (user_data);
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, NULL);

  if (chunk != NULL && g_bytes_get_size (chunk) > 0 && job->verdict->len <= MAX_VERDICT)
    {
      g_byte_array_append (job->verdict, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
      g_input_stream_read_bytes_async (G_INPUT_STREAM (object), MAX_VERDICT, G_PRIORITY_DEFAULT, NULL,
                                       on_read_cb, user_data);
      return;
    }
  step_done (user_data);
}

/* Read to the end so that the helper never waits on a full pipe; only the start is kept. */
static void
on_stderr_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Job *job = g_task_get_task_data (user_data);
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, NULL);
  gsize size = chunk ? g_bytes_get_size (chunk) : 0;

  if (size > 0)
    {
      g_byte_array_append (job->complaints, g_bytes_get_data (chunk, NULL),
                           MIN (size, MAX_COMPLAINTS - MIN (job->complaints->len, MAX_COMPLAINTS)));
      g_input_stream_read_bytes_async (G_INPUT_STREAM (object), 4096, G_PRIORITY_DEFAULT, NULL,
                                       on_stderr_read_cb, user_data);
      return;
    }
  step_done (user_data);
}

static void
on_exited_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  step_done (user_data);
}

static void
start_job (BndServerPdfCheck *self,
           GTask             *task)
{
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char cpu[24], memory[24], size[24];

  /* The CPU limit is a second over the clock's, so that a busy helper normally meets the clock
   * first and its refusal says so; the CPU limit catches what the clock might miss. */
  g_snprintf (cpu, sizeof cpu, "%u", self->timeout_s + 1);
  g_snprintf (memory, sizeof memory, "%u", self->memory_mib);
  g_snprintf (size, sizeof size, "%" G_GSIZE_FORMAT, g_bytes_get_size (job->pdf));
  /* GSubprocess closes every other descriptor in the child: the helper sees neither the
   * database nor a client's socket. Its stderr is a pipe too, not the server's: a server whose
   * stderr is a file would have the helper killed by its own RLIMIT_FSIZE of 0 at poppler's
   * first complaint. */
  job->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                   G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                                   bnd_server_pdf_check_get_helper (), "--cpu", cpu, "--memory", memory,
                                   "--size", size, NULL);
  if (job->process == NULL)
    {
      g_warning ("cannot start the PDF check: %s", error->message);
      g_task_return_new_error (task, BND_SERVER_ERROR, BND_SERVER_ERROR_INTERNAL, "%s",
                               _("The server could not check the PDF"));
      return;
    }

  self->running++;
  job->pending = 4;
  job->timeout_s = self->timeout_s;
  job->timeout_id = g_timeout_add_seconds (self->timeout_s, on_timeout_cb, task);
  g_output_stream_write_all_async (g_subprocess_get_stdin_pipe (job->process),
                                   g_bytes_get_data (job->pdf, NULL), g_bytes_get_size (job->pdf),
                                   G_PRIORITY_DEFAULT, NULL, on_written_cb, g_object_ref (task));
  g_input_stream_read_bytes_async (g_subprocess_get_stdout_pipe (job->process), MAX_VERDICT,
                                   G_PRIORITY_DEFAULT, NULL, on_read_cb, g_object_ref (task));
  g_input_stream_read_bytes_async (g_subprocess_get_stderr_pipe (job->process), 4096,
                                   G_PRIORITY_DEFAULT, NULL, on_stderr_read_cb, g_object_ref (task));
  g_subprocess_wait_async (job->process, NULL, on_exited_cb, g_object_ref (task));
}

static void
bnd_server_pdf_check_dispose (GObject *object)
{
  BndServerPdfCheck *self = (BndServerPdfCheck *)object;

  /* Only at exit: the running ones hold their own references. */
  g_queue_clear_full (&self->waiting, g_object_unref);

  G_OBJECT_CLASS (bnd_server_pdf_check_parent_class)->dispose (object);
}

static void
bnd_server_pdf_check_class_init (BndServerPdfCheckClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = bnd_server_pdf_check_dispose;

  /* Writing to the pipe of a helper that has just died must be an error to ignore, not a
   * signal that ends the server. (GSocket ignores SIGPIPE as well; this does not rely on it.) */
  signal (SIGPIPE, SIG_IGN);
}

static void
bnd_server_pdf_check_init (BndServerPdfCheck *self)
{
  self->timeout_s = 30;
  self->memory_mib = 512;
  g_queue_init (&self->waiting);
}

/**
 * bnd_server_pdf_check_get_helper:
 *
 * The helper program: `$BUENDNIS_PDF_CHECK` when set (the tests run the one just built), else the
 * one installed in libexecdir/buendnis.
 */
const char *
bnd_server_pdf_check_get_helper (void)
{
  const char *helper = g_getenv ("BUENDNIS_PDF_CHECK");

  return helper != NULL && *helper != 0 ? helper : PDF_CHECK_PATH;
}

BndServerPdfCheck *
bnd_server_pdf_check_new (void)
{
  return g_object_new (BND_TYPE_SERVER_PDF_CHECK, NULL);
}

/**
 * bnd_server_pdf_check_set_limits:
 * @timeout_s: wall-clock seconds a check may take
 * @memory_mib: address space the helper may use besides the file, in MiB
 */
void
bnd_server_pdf_check_set_limits (BndServerPdfCheck *self,
                                 guint              timeout_s,
                                 guint              memory_mib)
{
  g_return_if_fail (BND_IS_SERVER_PDF_CHECK (self));
  g_return_if_fail (timeout_s > 0 && memory_mib > 0);

  self->timeout_s = timeout_s;
  self->memory_mib = memory_mib;
}

/**
 * bnd_server_pdf_check_run_async:
 * @pdf: the uploaded file
 *
 * Checks @pdf in the helper: it opens in poppler with at least one page, within the limits. Runs
 * at once when fewer than %BND_PDF_CHECK_MAX_RUNNING checks run, waits for a turn when fewer
 * than %BND_PDF_CHECK_MAX_WAITING wait, and fails with %BND_SERVER_ERROR_BUSY otherwise.
 */
void
bnd_server_pdf_check_run_async (BndServerPdfCheck   *self,
                                GBytes              *pdf,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (BND_IS_SERVER_PDF_CHECK (self));
  g_return_if_fail (pdf != NULL);

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, bnd_server_pdf_check_run_async);
  job = g_new0 (Job, 1);
  job->pdf = g_bytes_ref (pdf);
  job->verdict = g_byte_array_new ();
  job->complaints = g_byte_array_new ();
  g_task_set_task_data (task, job, (GDestroyNotify)job_free);

  if (self->running < BND_PDF_CHECK_MAX_RUNNING)
    start_job (self, task);
  else if (g_queue_get_length (&self->waiting) < BND_PDF_CHECK_MAX_WAITING)
    g_queue_push_tail (&self->waiting, g_steal_pointer (&task));
  else
    g_task_return_new_error (task, BND_SERVER_ERROR, BND_SERVER_ERROR_BUSY, "%s",
                             _("The server is checking many uploaded PDFs at the moment; try "
                               "again in a minute"));
}

/**
 * bnd_server_pdf_check_run_finish:
 * @n_pages: (out) (optional): the PDF's pages
 *
 * Returns: whether the PDF is fine; else @error says why, in words for the uploader
 */
gboolean
bnd_server_pdf_check_run_finish (BndServerPdfCheck  *self,
                                 GAsyncResult       *result,
                                 guint              *n_pages,
                                 GError            **error)
{
  gssize pages;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if ((pages = g_task_propagate_int (G_TASK (result), error)) < 0)
    return FALSE;
  if (n_pages)
    *n_pages = pages;
  return TRUE;
}
