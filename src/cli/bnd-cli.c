/* bnd-cli.c: what the commands of buendnis-cli share: errors, options, the store, the sign-in
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bnd-keyring.h"
#include "bnd-procedure.h"
#include "bnd-sync.h"

#include "bnd-cli.h"

/* Whether @c must not reach a terminal as it is: C0 and C1 controls and DEL (escape sequences,
 * BEL, a CR that overwrites the line), the line and paragraph separators, and the bidirectional
 * overrides and isolates that reorder what is shown. */
static gboolean
is_unsafe (gunichar c,
           gboolean multiline)
{
  if (multiline && (c == '\n' || c == '\t'))
    return FALSE;
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 ||
         (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/**
 * bnd_cli_escape:
 * @text: (nullable): text from a sketch, a store or a server
 * @multiline: whether line breaks and tabs are meant (a section's text)
 *
 * Shows what is unsafe on a terminal (see is_unsafe()) as `\xNN` for a byte below 0x80 and
 * `\uNNNN` for a character above, and each byte of invalid UTF-8 as `\xNN`.
 *
 * Returns: (transfer full): the text to print
 */
char *
bnd_cli_escape (const char *text,
                gboolean    multiline)
{
  GString *out;
  const char *end;

  if (text == NULL)
    return g_strdup ("");
  out = g_string_sized_new (strlen (text));
  end = text + strlen (text);
  while (text < end)
    {
      gunichar c = g_utf8_get_char_validated (text, end - text);

      if (c == (gunichar)-1 || c == (gunichar)-2)
        {
          g_string_append_printf (out, "\\x%02x", (guchar)*text);
          text++;
          continue;
        }
      if (!is_unsafe (c, multiline))
        g_string_append_len (out, text, g_utf8_next_char (text) - text);
      else if (c < 0x80)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_printf (out, "\\u%04X", c);
      text = g_utf8_next_char (text);
    }
  return g_string_free (out, FALSE);
}

/* The escaped copies live until buendnis-cli exits, so that they can be printf's arguments in
 * place; one run prints little. */
static GPtrArray *shown;

static const char *
keep (char *escaped)
{
  if (shown == NULL)
    shown = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (shown, escaped);
  return escaped;
}

/* bnd_cli_escape() of a one-line value: a title, a name, a message. */
const char *
bnd_cli_safe (const char *text)
{
  return keep (bnd_cli_escape (text, FALSE));
}

/* bnd_cli_escape() of a text body, keeping its line breaks. */
const char *
bnd_cli_safe_text (const char *text)
{
  return keep (bnd_cli_escape (text, TRUE));
}

int
bnd_cli_bad_input (const char *format,
                   ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* One line, so that scripts can show it as it is. */
  g_strdelimit (message, "\n", ' ');
  g_printerr ("buendnis-cli: %s\n", bnd_cli_safe (message));
  return EXIT_BAD_INPUT;
}

int
bnd_cli_failed (const GError *error)
{
  g_autofree char *message = g_strdup (error->message);

  /* Often a server's words: one line, and nothing that steers the terminal. */
  g_strdelimit (message, "\n", ' ');
  g_printerr ("buendnis-cli: %s\n", bnd_cli_safe (message));
  return EXIT_FAILED;
}

gboolean
bnd_cli_open_strategy (BndCli  *cli,
                       GError **error)
{
  g_autofree char *directory = NULL;

  if (cli->strategy != NULL)
    return TRUE;

  directory = cli->profile ? g_strdup (cli->profile) : bnd_store_default_directory ();
  cli->strategy = bnd_sync_load_strategy (cli->strategy_path, directory, error);
  return cli->strategy != NULL;
}

gboolean
bnd_cli_open_store (BndCli  *cli,
                    GError **error)
{
  g_autofree char *directory = NULL;

  if (cli->store != NULL)
    return TRUE;
  if (!bnd_cli_open_strategy (cli, error))
    return FALSE;

  directory = cli->profile ? g_strdup (cli->profile) : bnd_store_default_directory ();
  cli->store = bnd_store_new (directory, error);
  return cli->store != NULL;
}

/* Parses a command's options; --help prints them and ends with success. */
gboolean
bnd_cli_parse_options (const char    *name,
                       const char    *args,
                       const char    *summary,
                       GOptionEntry  *entries,
                       int           *argc,
                       char        ***argv,
                       int           *status)
{
  g_autofree char *parameter = g_strdup_printf ("%s %s", name, args);
  g_autoptr(GOptionContext) context = g_option_context_new (parameter);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *status = bnd_cli_bad_input ("%s", error->message);
      return FALSE;
    }
  return TRUE;
}

BndSketch *
bnd_cli_load_sketch (BndCli      *cli,
                     const char  *id,
                     int         *status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;
  BndSketch *sketch;

  if (!bnd_cli_open_store (cli, &error))
    {
      *status = bnd_cli_failed (error);
      return NULL;
    }
  if (!(uuid = bnd_store_resolve_id (cli->store, id, &error)))
    {
      *status = g_error_matches (error, BND_STORE_ERROR, BND_STORE_ERROR_NOT_FOUND)
                ? bnd_cli_bad_input ("%s", error->message) : bnd_cli_failed (error);
      return NULL;
    }
  if (!(sketch = bnd_store_load (cli->store, uuid, cli->strategy, &error)))
    *status = bnd_cli_failed (error);
  return sketch;
}

/* bnd_cli_load_sketch() for a command that changes the sketch: one that was submitted stays as
 * the server keeps it (bnd_procedure_may_edit_sketch()), so a change is bad input, not an edit
 * that every later sync would see refused. */
BndSketch *
bnd_cli_load_editable_sketch (BndCli      *cli,
                              const char  *id,
                              int         *status)
{
  g_autoptr(BndSketch) sketch = bnd_cli_load_sketch (cli, id, status);
  g_autoptr(GError) error = NULL;

  if (sketch == NULL)
    return NULL;
  if (!bnd_procedure_may_edit_sketch (bnd_sketch_get_stage (sketch), &error))
    {
      /* Translators: the first %s is a sketch's title, the second why it cannot change */
      *status = bnd_cli_bad_input (_("“%s” cannot be changed: %s"), bnd_sketch_get_title (sketch), error->message);
      return NULL;
    }
  return g_steal_pointer (&sketch);
}

void
bnd_cli_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

/* Sign-in: the token goes to the desktop keyring, or to a file where there is none. */

char *
bnd_cli_read_token (BndCli  *cli,
                    char   **url,
                    GError **error)
{
  g_autofree char *token_file = NULL;
  char *token = NULL;

  if (!bnd_cli_open_store (cli, error))
    return NULL;
  *url = bnd_store_get_meta (cli->store, "server_url");
  if (*url == NULL)
    {
      g_set_error (error, BND_SYNC_ERROR, BND_SYNC_ERROR_NOT_SIGNED_IN, "%s",
                   _("not signed in; use “buendnis-cli login URL --user NAME” first"));
      return NULL;
    }

  if ((token_file = bnd_store_get_meta (cli->store, "token_file")))
    {
      if (!g_file_get_contents (token_file, &token, NULL, error))
        return NULL;
      return g_strstrip (token);
    }

  token = bnd_keyring_lookup_sync (*url, bnd_store_get_path (cli->store), error);
  if (token == NULL && error && *error == NULL)
    g_set_error (error, BND_SYNC_ERROR, BND_SYNC_ERROR_NOT_SIGNED_IN, "%s", _("no token in the keyring; sign in again"));
  return token;
}

/**
 * bnd_cli_call:
 * @body: (nullable): a builder whose root is the request's JSON body
 * @status: (out): the exit status when the call failed
 *
 * Calls @method @path of the API (below /api/v1) as the signed-in account; a failure, such as a
 * refusal in the user's language, is printed.
 *
 * Returns: (transfer full) (nullable): the answer
 */
JsonNode *
bnd_cli_call (BndCli      *cli,
              const char  *method,
              const char  *path,
              JsonBuilder *body,
              int         *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = body ? json_builder_get_root (body) : NULL;
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  JsonNode *answer;

  if (!(token = bnd_cli_read_token (cli, &url, &error)) ||
      !(answer = bnd_sync_call (url, token, method, path, root, &error)))
    {
      *status = bnd_cli_failed (error);
      return NULL;
    }
  return answer;
}

/* Adds the member @name to an object being built, unless @value is %NULL. */
void
bnd_cli_add_string (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

/* A dossier's id from the command line: a whole UUID as it is (the profile need not have synced
 * it), or the start of the id of a sketch in the profile. */
char *
bnd_cli_resolve_dossier (BndCli      *cli,
                         const char  *id,
                         int         *status)
{
  g_autoptr(GError) error = NULL;
  char *uuid;

  if (!bnd_cli_open_store (cli, &error))
    {
      *status = bnd_cli_failed (error);
      return NULL;
    }
  if (g_uuid_string_is_valid (id))
    return g_ascii_strdown (id, -1);
  if (!(uuid = bnd_store_resolve_id (cli->store, id, &error)))
    *status = g_error_matches (error, BND_STORE_ERROR, BND_STORE_ERROR_NOT_FOUND)
              ? bnd_cli_bad_input ("%s", error->message) : bnd_cli_failed (error);
  return uuid;
}

/* The strategy pack's rating criteria, by id; none if the pack cannot be read. */
GStrv
bnd_cli_dup_criterion_ids (BndCli *cli)
{
  g_autoptr(GError) error = NULL;

  if (!bnd_cli_open_strategy (cli, &error))
    return g_new0 (char *, 1);
  return bnd_strategy_dup_criterion_ids (cli->strategy);
}

/* "strategic-goals 4, feasibility 3, …" in the order of the criteria. */
char *
bnd_cli_format_scores (JsonObject         *scores,
                       const char * const *criteria)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; scores && criteria[i]; i++)
    if (json_object_has_member (scores, criteria[i]))
      g_string_append_printf (text, "%s%s %" G_GINT64_FORMAT, text->len ? ", " : "", criteria[i],
                              json_object_get_int_member (scores, criteria[i]));
  return g_string_free (text, FALSE);
}
