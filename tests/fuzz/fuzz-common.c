/* fuzz-common.c: the invariants every target checks, and the set-up they share
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-fuzz"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"

/* Input that makes our code, or a library we call, log a warning or a critical (a
 * g_return_if_fail that fires, pango refusing a text) is a bug like a crash: every log at those
 * levels aborts. With abort() rather than GLib's own fatal logs, which raise SIGTRAP: libFuzzer
 * keeps the input for SIGABRT only. */
G_GNUC_NORETURN static void
abort_on_log (const char *domain,
              const char *message)
{
  fprintf (stderr, "%s: %s\n", domain ? domain : "(no domain)", message);
  fuzz_fail ("a warning or a critical was logged");
}

static void
on_log_cb (const char     *domain,
           GLogLevelFlags  level,
           const char     *message,
           gpointer        user_data)
{
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort_on_log (domain, message);
}

static GLogWriterOutput
on_log_write_cb (GLogLevelFlags   level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
      domain = fields[i].value;
    else if (g_str_equal (fields[i].key, "MESSAGE"))
      message = fields[i].value;
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort_on_log (domain, message ? message : "");
  return G_LOG_WRITER_HANDLED;
}

void
fuzz_init (void)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_log_set_default_handler (on_log_cb, NULL);
  g_log_set_writer_func (on_log_write_cb, NULL, NULL);
}

void
fuzz_fail (const char *format,
           ...)
{
  va_list args;

  va_start (args, format);
  fputs ("invariant violated: ", stderr);
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
  abort ();
}

void
fuzz_check_utf8 (const char *what,
                 const char *text)
{
  if (text == NULL)
    fuzz_fail ("%s is NULL", what);
  if (!g_utf8_validate (text, -1, NULL))
    fuzz_fail ("%s is not valid UTF-8", what);
}

/* A call either succeeded without an error, or failed with one whose message is valid UTF-8 and
 * not empty: never FALSE or NULL without a reason the user can read. */
void
fuzz_check_result (const char   *what,
                   gboolean      ok,
                   const GError *error)
{
  if (ok && error != NULL)
    fuzz_fail ("%s succeeded but set an error: %s", what, error->message);
  if (ok)
    return;
  if (error == NULL)
    fuzz_fail ("%s failed without setting an error", what);
  if (error->message == NULL || *error->message == 0)
    fuzz_fail ("%s failed with an empty message", what);
  if (!g_utf8_validate (error->message, -1, NULL))
    fuzz_fail ("%s failed with a message that is not valid UTF-8", what);
}

/* A file of the source tree, which the meson test passes as FUZZ_SOURCE_DIR; without it (a
 * fuzzer started by hand from the build directory) the path as compiled in. */
char *
fuzz_read_file (const char *name,
                gsize      *length)
{
  const char *top = g_getenv ("FUZZ_SOURCE_DIR");
  g_autofree char *path = g_build_filename (top ? top : FUZZ_SOURCE_ROOT, name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, length, &error))
    fuzz_fail ("cannot read %s: %s", path, error->message);
  return contents;
}

/* The input cut at NUL bytes into at most @max_parts pieces (the last one takes the rest), each
 * a NUL-terminated copy. */
GPtrArray *
fuzz_split (const uint8_t *data,
            size_t         size,
            guint          max_parts)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);
  size_t start = 0;

  for (size_t i = 0; i <= size && parts->len + 1 < max_parts; i++)
    if (i == size || data[i] == 0)
      {
        g_ptr_array_add (parts, g_strndup ((const char *)data + start, i - start));
        start = i + 1;
      }
  if (start <= size && parts->len < max_parts)
    g_ptr_array_add (parts, g_strndup ((const char *)data + start, size - start));
  return parts;
}
