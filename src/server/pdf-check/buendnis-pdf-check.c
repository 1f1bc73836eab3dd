/* buendnis-pdf-check.c: whether an uploaded PDF opens, checked in a process of its own
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* buendnis-server runs this helper for every uploaded PDF, with the file on stdin, so that
 * poppler never parses a stranger's file inside the server: a file that makes poppler loop, eat
 * memory or crash costs this process, not the server and its other clients.
 *
 *   buendnis-pdf-check [--cpu SECONDS] [--memory MIB] [--size BYTES] < FILE
 *
 * In this order, so that poppler meets the file only once nothing else is left to it:
 *   1. limits (setrlimit): CPU time, address space (--memory MiB on top of the file itself), no
 *      files written, few descriptors, no new processes, no core dump;
 *   2. read the whole file from stdin;
 *   3. open a small PDF of its own, so that poppler and GLib do once what they do on first use
 *      (poppler's global parameters read the encodings in /usr/share/poppler);
 *   4. a seccomp filter (libseccomp): from here on the process may only compute, allocate
 *      memory, write to stdout and stderr and exit; any other system call kills it with SIGSYS;
 *   5. poppler opens the file from memory and loads every page object. Nothing is rendered, so
 *      no font is looked up.
 *
 * The verdict is one line on stdout, for the server and not for people:
 *   ok PAGES | not-pdf | encrypted | damaged | no-pages
 * with exit status 0 for "ok", 1 for a refusal and 2 for a usage or set-up error. A helper
 * killed by a signal (its limits, the filter, a crash, the server's clock) says nothing: the
 * server refuses the file then as well. stdout and stderr must be pipes or a terminal: with
 * RLIMIT_FSIZE at 0, a write into a regular file kills the helper with SIGXFSZ.
 *
 * --check-sandbox skips the file and tries to open /etc/passwd under the filter: the process
 * must die of SIGSYS. tests/test-pdf-check.py runs it to see the real filter at work. */

#define G_LOG_DOMAIN "buendnis-pdf-check"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poppler.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

/* Without options: what the server's defaults give (bnd-server-config.h). */
#define DEFAULT_CPU_S       30
#define DEFAULT_MEMORY_MIB  512
#define MAX_FILE_SIZE       (256 * 1024 * 1024)  /* BND_MAX_ATTACHMENT_BOUND */

/* Descriptors: stdin, stdout, stderr and the few that poppler's start-up (step 3) opens for a
 * moment to read its data directory. */
#define MAX_FILES           16

/* Lines of poppler's complaints about a file written to stderr. */
#define MAX_COMPLAINTS      20

typedef enum
{
  EXIT_OK = 0,
  EXIT_REFUSED = 1,
  EXIT_USAGE = 2,
  EXIT_SANDBOX_FAILED = 3,
} ExitStatus;

/* One line with write(2): stdio would look at the descriptor first (fstat), which the filter
 * does not allow. */
static void
say (const char *line)
{
  size_t length = strlen (line);

  while (length > 0)
    {
      ssize_t written = write (STDOUT_FILENO, line, length);

      if (written < 0 && errno == EINTR)
        continue;
      if (written <= 0)
        return;
      line += written;
      length -= written;
    }
}

static int
refuse (const char *verdict)
{
  say (verdict);
  say ("\n");
  return EXIT_REFUSED;
}

G_GNUC_PRINTF (1, 2) static int
usage (const char *format,
       ...)
{
  va_list args;

  va_start (args, format);
  fputs ("buendnis-pdf-check: ", stderr);
  vfprintf (stderr, format, args);
  fputs ("\n", stderr);
  va_end (args);
  return EXIT_USAGE;
}

static gboolean
limit (int    resource,
       rlim_t soft,
       rlim_t hard)
{
  struct rlimit value = { .rlim_cur = soft, .rlim_max = hard };

  return setrlimit (resource, &value) == 0;
}

static gboolean
set_limits (guint64 cpu_s,
            guint64 memory_mib,
            guint64 size)
{
  /* SIGXCPU at the soft limit, SIGKILL a second later should it be caught. */
  return limit (RLIMIT_CPU, cpu_s, cpu_s + 1) &&
         limit (RLIMIT_AS, memory_mib * 1024 * 1024 + size, memory_mib * 1024 * 1024 + size) &&
         limit (RLIMIT_FSIZE, 0, 0) &&
         limit (RLIMIT_NOFILE, MAX_FILES, MAX_FILES) &&
         limit (RLIMIT_NPROC, 0, 0) &&
         limit (RLIMIT_CORE, 0, 0) &&
         limit (RLIMIT_MEMLOCK, 0, 0) &&
         /* No core dump with the file in it, and no ptrace by other processes of this user. */
         prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) == 0 &&
         /* A check outlives no server: it ends with it. (Should the server end before this
          * line, the helper still ends by its CPU limit, or at the latest when it writes its
          * verdict into the closed pipe.) */
         prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) == 0;
}

/* Reads stdin to its end: exactly @size bytes when known (the server says how many it sends),
 * at most MAX_FILE_SIZE in any case. */
static GBytes *
read_input (guint64 size)
{
  guint64 most = size > 0 ? size : MAX_FILE_SIZE;
  g_autoptr(GByteArray) data = g_byte_array_sized_new (size > 0 ? size : 1024 * 1024);
  char buffer[64 * 1024];

  for (;;)
    {
      ssize_t got = read (STDIN_FILENO, buffer, sizeof buffer);

      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0 || data->len + got > most)
        return NULL;
      if (got == 0)
        break;
      g_byte_array_append (data, (guint8 *)buffer, got);
    }
  if (size > 0 && data->len != size)
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

/* A one-page PDF with a correct cross-reference table, built at run time so that its offsets
 * are right. */
static GBytes *
small_pdf (void)
{
  static const char *objects[] = {
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
  };
  GString *pdf = g_string_new ("%PDF-1.4\n");
  gsize offsets[G_N_ELEMENTS (objects)];
  gsize xref;

  for (guint i = 0; i < G_N_ELEMENTS (objects); i++)
    {
      offsets[i] = pdf->len;
      g_string_append_printf (pdf, "%u 0 obj\n%s\nendobj\n", i + 1, objects[i]);
    }
  xref = pdf->len;
  g_string_append_printf (pdf, "xref\n0 %u\n0000000000 65535 f \n", (guint)G_N_ELEMENTS (objects) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (objects); i++)
    g_string_append_printf (pdf, "%010" G_GSIZE_FORMAT " 00000 n \n", offsets[i]);
  g_string_append_printf (pdf, "trailer\n<< /Size %u /Root 1 0 R >>\nstartxref\n%" G_GSIZE_FORMAT "\n%%%%EOF\n",
                          (guint)G_N_ELEMENTS (objects) + 1, xref);
  return g_string_free_to_bytes (pdf);
}

/* What poppler and GLib do once per process happens here, before the filter. poppler-glib
 * keeps its global parameters only while a document is open, and reads them anew for the next
 * one: the small document stays open until the process ends. */
static PopplerDocument *
warm_up (void)
{
  g_autoptr(GBytes) pdf = small_pdf ();
  PopplerDocument *document = poppler_document_new_from_bytes (pdf, NULL, NULL);
  PopplerPage *page = document ? poppler_document_get_page (document, 0) : NULL;

  if (page == NULL)
    g_clear_object (&document);
  /* poppler-glib 22.12 has no g_autoptr for its types. */
  g_clear_object (&page);
  return document;
}

/* GLib's default log writer asks whether stderr is a terminal or the journal; this one only
 * writes, which the filter allows. A broken file makes poppler complain once per object: the
 * first complaints tell what is wrong, the rest would only fill the log. */
static GLogWriterOutput
write_log (GLogLevelFlags   log_level,
           const GLogField *fields,
           gsize            n_fields,
           gpointer         user_data)
{
  static guint n_written;

  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0 && n_written++ <= MAX_COMPLAINTS)
      {
        const char *message = n_written <= MAX_COMPLAINTS ? fields[i].value : "(more complaints left out)";

        (void)!write (STDERR_FILENO, message, strlen (message));
        (void)!write (STDERR_FILENO, "\n", 1);
      }
  return G_LOG_WRITER_HANDLED;
}

static gboolean
allow (scmp_filter_ctx  filter,
       const char      *name)
{
  int number = seccomp_syscall_resolve_name (name);

  /* A name this architecture does not have (an old or a 32-bit one) is nothing to allow. */
  return number == __NR_SCMP_ERROR || seccomp_rule_add (filter, SCMP_ACT_ALLOW, number, 0) == 0;
}

/* Everything poppler needs to parse a document that is in memory already, found with strace on
 * real PDFs (manuals, sketches, PDFs with object and cross-reference streams, encryption,
 * broken cross-references): memory, locks, the time, and its errors on stderr. abort() (what
 * poppler and GLib do when memory runs out) needs getpid, gettid, rt_sigprocmask and tgkill at
 * itself, so that such a death shows as SIGABRT, not as SIGSYS. No open, no socket, no exec,
 * no fork. */
static gboolean
enter_sandbox (void)
{
  static const char *allowed[] = {
    "brk", "munmap", "mremap", "madvise", "futex", "clock_gettime",
    "rt_sigreturn", "rt_sigprocmask", "getpid", "gettid", "exit", "exit_group",
  };
  scmp_filter_ctx filter;
  gboolean done = TRUE;
  pid_t self = getpid ();

  if (!(filter = seccomp_init (SCMP_ACT_KILL_PROCESS)))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
    done &= allow (filter, allowed[i]);

  done &= seccomp_rule_add (filter, SCMP_ACT_ALLOW, SCMP_SYS (tgkill), 2,
                            SCMP_A0 (SCMP_CMP_EQ, self), SCMP_A1 (SCMP_CMP_EQ, self)) == 0;
  /* Memory, but never executable: no code that was not there before the filter. */
  done &= seccomp_rule_add (filter, SCMP_ACT_ALLOW, SCMP_SYS (mmap), 1,
                            SCMP_A2 (SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) == 0;
  done &= seccomp_rule_add (filter, SCMP_ACT_ALLOW, SCMP_SYS (mprotect), 1,
                            SCMP_A2 (SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) == 0;
  /* Writing the verdict and poppler's complaints, to the descriptors the server gave. */
  done &= seccomp_rule_add (filter, SCMP_ACT_ALLOW, SCMP_SYS (write), 1,
                            SCMP_A0 (SCMP_CMP_EQ, STDOUT_FILENO)) == 0;
  done &= seccomp_rule_add (filter, SCMP_ACT_ALLOW, SCMP_SYS (write), 1,
                            SCMP_A0 (SCMP_CMP_EQ, STDERR_FILENO)) == 0;

  /* Without no_new_privs a process without CAP_SYS_ADMIN may not load a filter. */
  done = done && prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 && seccomp_load (filter) == 0;
  seccomp_release (filter);
  return done;
}

/* The process ends right after: what poppler allocated is left to the exit. */
static int
check (GBytes *pdf)
{
  PopplerDocument *document;
  g_autoptr(GError) error = NULL;
  char line[64];
  int n_pages;

  if (g_bytes_get_size (pdf) < 5 || memcmp (g_bytes_get_data (pdf, NULL), "%PDF-", 5) != 0)
    return refuse ("not-pdf");
  if (!(document = poppler_document_new_from_bytes (pdf, NULL, &error)))
    return refuse (g_error_matches (error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED) ? "encrypted" : "damaged");
  if ((n_pages = poppler_document_get_n_pages (document)) < 1)
    return refuse ("no-pages");
  /* The count comes from the page tree's root; every page must really be there. */
  for (int i = 0; i < n_pages; i++)
    {
      PopplerPage *page = poppler_document_get_page (document, i);

      if (page == NULL)
        return refuse ("damaged");
      g_object_unref (page);
    }
  g_snprintf (line, sizeof line, "ok %d\n", n_pages);
  say (line);
  return EXIT_OK;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GObject) warm = NULL;
  guint64 cpu_s = DEFAULT_CPU_S;
  guint64 memory_mib = DEFAULT_MEMORY_MIB;
  guint64 size = 0;
  gboolean check_sandbox = FALSE;

  for (int i = 1; i < argc; i++)
    {
      guint64 *number = g_str_equal (argv[i], "--cpu") ? &cpu_s
                        : g_str_equal (argv[i], "--memory") ? &memory_mib
                        : g_str_equal (argv[i], "--size") ? &size : NULL;

      if (g_str_equal (argv[i], "--check-sandbox"))
        check_sandbox = TRUE;
      else if (number == NULL)
        return usage ("unknown argument %s; usage: buendnis-pdf-check [--cpu SECONDS] "
                      "[--memory MIB] [--size BYTES] [--check-sandbox] < FILE", argv[i]);
      else if (i + 1 == argc ||
               !g_ascii_string_to_unsigned (argv[++i], 10, 1, number == &size ? MAX_FILE_SIZE : 1 << 20,
                                            number, NULL))
        return usage ("%s needs a whole number above 0", argv[i - 1]);
    }

  if (!set_limits (cpu_s, memory_mib, size))
    return usage ("cannot set the limits: %s", g_strerror (errno));
  if (!check_sandbox && !(pdf = read_input (size)))
    return usage ("stdin: not the %" G_GUINT64_FORMAT " bytes announced, or more than any upload may have",
                  size);
  g_log_set_writer_func (write_log, NULL, NULL);
  if (!(warm = (GObject *)warm_up ()))
    return usage ("poppler does not open a PDF of its own");
  if (!enter_sandbox ())
    return usage ("cannot enter the sandbox: %s", g_strerror (errno));

  if (check_sandbox)
    {
      /* The filter kills the process here; getting past this line means there is none. */
      int fd = open ("/etc/passwd", O_RDONLY);

      say (fd >= 0 ? "sandbox-open\n" : "sandbox-refused\n");
      return EXIT_SANDBOX_FAILED;
    }
  return check (pdf);
}
