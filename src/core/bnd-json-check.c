/* bnd-json-check.c
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-json-check"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "bnd-json-check.h"

/* Reading a JSON document whose every member is checked: each helper reports a missing member,
 * a wrong type or a bad value as "FILE: $.json.path: problem" in the caller's error domain. */

G_DEFINE_QUARK (bnd-json-error-quark, bnd_json_error)

/* The code unit of a \uXXXX escape at @text (which has @left bytes), or -1. */
static int
escaped_unit (const char *text,
              gsize       left)
{
  int unit = 0;

  if (left < 6 || text[0] != '\\' || text[1] != 'u')
    return -1;
  for (guint i = 2; i < 6; i++)
    {
      if (!g_ascii_isxdigit (text[i]))
        return -1;
      unit = unit * 16 + g_ascii_xdigit_value (text[i]);
    }
  return unit;
}

static gboolean
invalid_escape (gsize    at,
                GError **error)
{
  g_set_error (error, BND_JSON_ERROR, BND_JSON_ERROR_ESCAPE,
               /* Translators: %zu is a position in the file */
               _("The data has an invalid escape sequence (at byte %zu)."), (size_t)at);
  return FALSE;
}

/**
 * bnd_json_check_limits:
 * @data: JSON text, not necessarily valid
 * @length: its length in bytes
 * @max_depth: the deepest nesting of arrays and objects allowed
 * @error: return location for a #BND_JSON_ERROR
 *
 * json-glib recurses once per level of nesting, so a file of nothing but `[` overflows the stack
 * before it reports anything. Call this on untrusted data before json-glib sees it. The scan is
 * linear and skips strings (brackets inside them do not count); everything else about the data
 * is left to the parser.
 *
 * It also refuses what json-glib 1.6 refuses too but leaks memory on, so that a server that
 * parses bodies from anyone does not grow without end: an array or object after the document's
 * first value (`"a" {…}`, `[1] [2]`); the escape of a surrogate outside a pair right before a
 * quote or another escape (`"\ud83d\u0041"`, `"\udc00"`), where json-glib takes the quote or
 * the escape into the text; and any escape JSON does not have (`\x`, `\u12"`). Other lone
 * surrogates are left to bnd_json_check_strings(), which names where they are.
 *
 * Outside strings only what JSON has there may stand. json-glib also reads comments and strings
 * in single quotes: this scan would read those differently and miss the brackets they hide.
 *
 * Returns: %FALSE with @error set if the data nests deeper than @max_depth, has a second value,
 *   a broken surrogate pair, an invalid escape or a character JSON does not have there
 */
gboolean
bnd_json_check_limits (const char  *data,
                       gsize        length,
                       guint        max_depth,
                       GError     **error)
{
  guint depth = 0;
  gboolean seen_value = FALSE;   /* anything but white space at the top level so far */

  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  /* A byte order mark is not a value. */
  for (gsize i = length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0; i < length; i++)
    {
      if (depth == 0 && (data[i] == '[' || data[i] == '{') && seen_value)
        {
          g_set_error (error, BND_JSON_ERROR, BND_JSON_ERROR_SECOND_VALUE,
                       /* Translators: %zu is a position in the file */
                       _("The data holds more than one value (a second one at byte %zu)."),
                       (size_t)i);
          return FALSE;
        }
      if (depth == 0 && !g_ascii_isspace (data[i]))
        seen_value = TRUE;

      switch (data[i])
        {
        case '"':
          /* Skip to the closing quote; an escape hides the character after the backslash. */
          for (i++; i < length && data[i] != '"'; i++)
            {
              int unit = escaped_unit (data + i, length - i);
              gboolean surrogate = unit >= 0xd800 && unit <= 0xdfff;
              int next = surrogate ? escaped_unit (data + i + 6, length - i - 6) : -1;

              if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff)
                {
                  i += 11;   /* a pair: on to its last digit */
                  continue;
                }
              /* After a surrogate outside a pair json-glib takes the next character, and the
               * one after it too when the first is a backslash: a closing quote or an escape
               * there would end up inside the text, and json-glib read another document than
               * this scan does (and leak on it). */
              if (surrogate && (i + 6 >= length || data[i + 6] == '"' || data[i + 6] == '\\'))
                {
                  g_set_error (error, BND_JSON_ERROR, BND_JSON_ERROR_SURROGATE,
                               /* Translators: %zu is a position in the file */
                               _("The data has a broken UTF-16 surrogate pair (at byte %zu)."),
                               (size_t)i);
                  return FALSE;
                }
              if (data[i] == '\\' && i + 1 < length)
                {
                  /* Only JSON's escapes: json-glib's scanner leaks on others, and may take the
                   * closing quote into one, so that it would see another document than this
                   * scan. A backslash at the end is an unterminated string, the parser's. */
                  if (!strchr ("\"\\/bfnrtu", data[i + 1]) || data[i + 1] == 0 ||
                      (data[i + 1] == 'u' && unit < 0 && length - i >= 6))
                    return invalid_escape (i, error);
                  i++;
                }
            }
          break;

        case '\\':
          /* outside a string */
          return invalid_escape (i, error);

        /* What JSON has outside strings, besides the brackets below: white space, separators,
         * numbers, true, false and null. */
        case ' ': case '\t': case '\n': case '\r': case ',': case ':':
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8':
        case '9': case '-': case '+': case '.': case 'e': case 'E':
        case 't': case 'r': case 'u': case 'f': case 'a': case 'l': case 's': case 'n':
          break;

        case '[':
        case '{':
          if (++depth > max_depth)
            {
              g_set_error (error, BND_JSON_ERROR, BND_JSON_ERROR_TOO_DEEP,
                           /* Translators: %u is a number of levels, %zu a position in the file */
                           _("The data is nested too deeply (more than %u levels, at byte %zu)."),
                           max_depth, (size_t)i);
              return FALSE;
            }
          break;

        case ']':
        case '}':
          /* Unbalanced closing brackets are the parser's business. */
          if (depth > 0)
            depth--;
          break;

        default:
          /* json-glib's scanner reads more than JSON: comments, strings in single quotes.
           * What it reads differently from this scan could hide brackets from it, so that a
           * comment holding a quote, then 200,000 brackets, overflowed the stack after all. */
          g_set_error (error, BND_JSON_ERROR, BND_JSON_ERROR_CHARACTER,
                       /* Translators: %zu is a position in the file */
                       _("The data is not JSON: a comment, a quote ' or another character "
                         "JSON does not have there (at byte %zu)."), (size_t)i);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
check_text (BndJsonCheck *check,
            const char   *text,
            const char   *path)
{
  if (g_utf8_validate (text, -1, NULL))
    return TRUE;
  /* json-glib turns an escaped lone surrogate such as \udc00 into bytes that are not UTF-8 */
  bnd_json_check_fail (check, check->codes[BND_JSON_INVALID], path,
                       _("the text contains an invalid character (a lone UTF-16 surrogate)"));
  return FALSE;
}

/**
 * bnd_json_check_strings:
 * @check: where to report
 * @node: a parsed document, nested no deeper than #BND_JSON_MAX_DEPTH
 * @path: the JSON path of @node, usually "$"
 *
 * Checks that every string and member name in @node is valid UTF-8, which json-glib does not
 * guarantee for escapes of lone surrogates.
 *
 * Returns: %FALSE with the error naming the JSON path of the first bad string
 */
gboolean
bnd_json_check_strings (BndJsonCheck *check,
                        JsonNode     *node,
                        const char   *path)
{
  if (node == NULL)
    return TRUE;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        {
          g_autofree char *member_path = NULL;

          if (!g_utf8_validate (name, -1, NULL))
            {
              g_autofree char *shown = g_utf8_make_valid (name, -1);
              member_path = g_strdup_printf ("%s.%s", path, shown);
              return check_text (check, name, member_path);
            }
          member_path = g_strdup_printf ("%s.%s", path, name);
          if (!bnd_json_check_strings (check, member, member_path))
            return FALSE;
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *item_path = g_strdup_printf ("%s[%u]", path, i);

          if (!bnd_json_check_strings (check, json_array_get_element (array, i), item_path))
            return FALSE;
        }
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return check_text (check, json_node_get_string (node), path);

  return TRUE;
}

/**
 * bnd_json_dup_valid_text:
 * @text: (nullable): a message that may not be valid UTF-8
 *
 * json-glib's parse errors quote the offending token cut to a fixed number of bytes, often in
 * the middle of a character (`unexpected string constant "ääää\xc3"`), and a server's message
 * may hold what a lone surrogate decoded to. Such a message must not reach a terminal, a JSON
 * answer or a widget: this drops every byte that does not belong to a whole UTF-8 character.
 *
 * Returns: (transfer full): valid UTF-8
 */
char *
bnd_json_dup_valid_text (const char *text)
{
  GString *valid;
  const char *end;

  if (text == NULL)
    return g_strdup ("");

  valid = g_string_new (NULL);
  while (!g_utf8_validate (text, -1, &end))
    {
      g_string_append_len (valid, text, end - text);
      text = end + 1;              /* skip one byte of the broken sequence */
    }
  g_string_append (valid, text);
  return g_string_free (valid, FALSE);
}

gpointer
bnd_json_check_fail (BndJsonCheck *check,
                     int          code,
                     const char   *path,
                     const char   *format,
                     ...)
{
  g_autofree char *problem = NULL;
  va_list args;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: the first %s is a file name, the second a place in it such as
   * $.goals[2].title, the third the problem. */
  g_set_error (check->error, check->domain, code, _("%s: %s: %s"), check->origin, path, problem);
  return NULL;
}

JsonNode *
bnd_json_get_member (BndJsonCheck *check,
                     JsonObject   *object,
                     const char   *path,
                     const char   *name,
                     gboolean     required)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL && required)
    {
      g_autofree char *member_path = g_strdup_printf ("%s.%s", path, name);
      bnd_json_check_fail (check, check->codes[BND_JSON_MISSING], member_path, _("required member is missing"));
    }
  return node;
}

gboolean
bnd_json_get_string (BndJsonCheck *check,
                     JsonObject   *object,
                     const char   *path,
                     const char   *name,
                     gboolean     required,
                     const char   **out)
{
  JsonNode *node = bnd_json_get_member (check, object, path, name, required);
  const char *value;

  *out = NULL;
  if (node == NULL)
    return !required;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_autofree char *member_path = g_strdup_printf ("%s.%s", path, name);
      bnd_json_check_fail (check, check->codes[BND_JSON_TYPE], member_path, _("expected a string"));
      return FALSE;
    }

  value = json_node_get_string (node);
  if (value == NULL || value[strspn (value, " \t\n")] == 0)
    {
      g_autofree char *member_path = g_strdup_printf ("%s.%s", path, name);
      bnd_json_check_fail (check, check->codes[BND_JSON_INVALID], member_path, _("must not be empty"));
      return FALSE;
    }

  *out = value;
  return TRUE;
}

gboolean
bnd_json_get_number (BndJsonCheck *check,
                     JsonObject   *object,
                     const char   *path,
                     const char   *name,
                     double       min,
                     double       max,
                     double       *out)
{
  JsonNode *node = bnd_json_get_member (check, object, path, name, TRUE);
  g_autofree char *member_path = NULL;
  GType type;

  if (node == NULL)
    return FALSE;

  member_path = g_strdup_printf ("%s.%s", path, name);
  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    {
      bnd_json_check_fail (check, check->codes[BND_JSON_TYPE], member_path, _("expected a number"));
      return FALSE;
    }

  *out = json_node_get_double (node);
  if (!isfinite (*out) || *out < min || *out > max)
    {
      bnd_json_check_fail (check, check->codes[BND_JSON_INVALID], member_path,
            _("%g is out of range (%g to %g)"), *out, min, max);
      return FALSE;
    }
  return TRUE;
}

gboolean
bnd_json_get_int (BndJsonCheck *check,
                  JsonObject   *object,
                  const char   *path,
                  const char   *name,
                  int          min,
                  int          max,
                  int          *out)
{
  JsonNode *node = bnd_json_get_member (check, object, path, name, TRUE);
  gint64 value;

  if (node == NULL)
    return FALSE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_autofree char *member_path = g_strdup_printf ("%s.%s", path, name);
      bnd_json_check_fail (check, check->codes[BND_JSON_TYPE], member_path, _("expected a whole number"));
      return FALSE;
    }

  value = json_node_get_int (node);
  if (value < min || value > max)
    {
      g_autofree char *member_path = g_strdup_printf ("%s.%s", path, name);
      bnd_json_check_fail (check, check->codes[BND_JSON_INVALID], member_path,
            _("%lld is out of range (%d to %d)"), (long long)value, min, max);
      return FALSE;
    }

  *out = (int)value;
  return TRUE;
}

gboolean
bnd_json_get_boolean (BndJsonCheck *check,
                      JsonObject   *object,
                      const char   *path,
                      const char   *name,
                      gboolean     *out)
{
  JsonNode *node = bnd_json_get_member (check, object, path, name, TRUE);

  if (node == NULL)
    return FALSE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_autofree char *member_path = g_strdup_printf ("%s.%s", path, name);
      bnd_json_check_fail (check, check->codes[BND_JSON_TYPE], member_path, _("expected true or false"));
      return FALSE;
    }

  *out = json_node_get_boolean (node);
  return TRUE;
}

JsonObject *
bnd_json_get_object (BndJsonCheck *check,
                     JsonObject   *object,
                     const char   *path,
                     const char   *name)
{
  JsonNode *node = bnd_json_get_member (check, object, path, name, TRUE);

  if (node == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *member_path = g_strdup_printf ("%s.%s", path, name);
      return bnd_json_check_fail (check, check->codes[BND_JSON_TYPE], member_path, _("expected an object"));
    }
  return json_node_get_object (node);
}

JsonArray *
bnd_json_get_array (BndJsonCheck *check,
                    JsonObject   *object,
                    const char   *path,
                    const char   *name,
                    gboolean     required,
                    gboolean     non_empty)
{
  JsonNode *node = bnd_json_get_member (check, object, path, name, required);
  g_autofree char *member_path = NULL;
  JsonArray *array;

  if (node == NULL)
    return NULL;

  member_path = g_strdup_printf ("%s.%s", path, name);
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return bnd_json_check_fail (check, check->codes[BND_JSON_TYPE], member_path, _("expected a list"));

  array = json_node_get_array (node);
  if (non_empty && json_array_get_length (array) == 0)
    return bnd_json_check_fail (check, check->codes[BND_JSON_INVALID], member_path, _("the list must not be empty"));

  return array;
}

/* A list of strings, such as a goal's measures. */
GPtrArray *
bnd_json_get_string_list (BndJsonCheck *check,
                          JsonObject   *object,
                          const char   *path,
                          const char   *name,
                          gboolean     required)
{
  g_autoptr(GPtrArray) strings = g_ptr_array_new ();
  JsonArray *array;

  if (!required && !json_object_has_member (object, name))
    return g_steal_pointer (&strings);

  if (!(array = bnd_json_get_array (check, object, path, name, required, required)))
    return NULL;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      const char *value = NULL;

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        value = json_node_get_string (node);

      if (value == NULL || value[strspn (value, " \t\n")] == 0)
        {
          g_autofree char *item_path = g_strdup_printf ("%s.%s[%u]", path, name, i);
          return bnd_json_check_fail (check, check->codes[value ? BND_JSON_INVALID : BND_JSON_TYPE],
                       item_path, _("expected a non-empty string"));
        }
      g_ptr_array_add (strings, (gpointer)value);
    }

  return g_steal_pointer (&strings);
}

/* For reading what a server answered, where a missing or mistyped member is simply absent. */
JsonObject *
bnd_json_as_object (JsonNode *node)
{
  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
bnd_json_array_of (JsonObject *object,
                   const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}
