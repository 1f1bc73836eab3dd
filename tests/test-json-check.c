/* test-json-check.c: the checks run on untrusted JSON before and after json-glib parses it
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "bnd-json-check.h"

static gboolean
check (const char  *data,
       guint        max_depth,
       GError     **error)
{
  return bnd_json_check_limits (data, strlen (data), max_depth, error);
}

static char *
nested (guint depth)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (text, i % 2 ? "{\"a\": " : "[");
  g_string_append (text, "1");
  for (guint i = depth; i > 0; i--)
    g_string_append (text, (i - 1) % 2 ? "}" : "]");
  return g_string_free (text, FALSE);
}

static void
test_limits_depth (void)
{
  g_autofree char *at_limit = nested (BND_JSON_MAX_DEPTH);
  g_autofree char *over_limit = nested (BND_JSON_MAX_DEPTH + 1);
  g_autofree char *hostile = g_strnfill (200 * 1024, '[');
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (check (at_limit, BND_JSON_MAX_DEPTH, NULL));
  /* what passes really is JSON, so the limit counts what json-glib counts */
  g_assert_true (json_parser_load_from_data (parser, at_limit, -1, NULL));

  g_assert_false (check (over_limit, BND_JSON_MAX_DEPTH, &error));
  g_assert_error (error, BND_JSON_ERROR, BND_JSON_ERROR_TOO_DEEP);
  g_assert_nonnull (strstr (error->message, "nested too deeply"));
  g_clear_error (&error);

  g_assert_false (check (hostile, BND_JSON_MAX_DEPTH, &error));
  g_assert_error (error, BND_JSON_ERROR, BND_JSON_ERROR_TOO_DEEP);
  g_clear_error (&error);

  /* siblings do not add up */
  g_assert_true (check ("[[1], [2], [3], {\"a\": 4}]", 2, NULL));
  g_assert_false (check ("[[[1]]]", 2, NULL));
  g_assert_true (check ("", 0, NULL));
  g_assert_true (check ("1", 0, NULL));
  g_assert_false (check ("[1]", 0, NULL));
}

static void
test_limits_strings (void)
{
  /* brackets inside strings are text */
  g_assert_true (check ("[\"[[[[[{{{{{\"]", 1, NULL));
  g_assert_true (check ("{\"[[[[\": \"{{{{\"}", 1, NULL));
  /* an escaped quote does not end the string … */
  g_assert_true (check ("[\"a\\\"[[[[\"]", 1, NULL));
  /* … but an escaped backslash before the quote does */
  g_assert_false (check ("[\"a\\\\\", [[1]]]", 2, NULL));
  g_assert_true (check ("[\"a\\\\\", [1]]", 2, NULL));
  /* other escapes */
  g_assert_true (check ("[\"\\u005b\\n\\t[\"]", 1, NULL));
  /* an unterminated string is the parser's business, and no read goes past the end */
  g_assert_true (check ("[\"[[[[", 1, NULL));
  g_assert_true (check ("[\"\\", 1, NULL));
  g_assert_true (bnd_json_check_limits ("[[[[", 1, 1, NULL));
  g_assert_false (bnd_json_check_limits ("[[[[", 2, 1, NULL));
}

/* json-glib 1.6 refuses a second value after the first, but leaks what it parsed of it: every
 * POST /login with `"a" {"b": 1}` cost the server memory for good. The check refuses it before
 * json-glib sees it; the sanitizer build's leak checking fails this test without the check. */
static void
test_limits_second_value (void)
{
  static const char *second[] = { "\"a\" {\"b\": 1}", "[1][2]", "1 {\"b\": 1}", "{\"a\": 1}\n{\"b\": 1}",
                                  "true [\"x\"]", "{\"a\": 1}} [2]" };
  static const char *one[] = { "  {\"a\": [1, {\"b\": 2}]}  \n", "[\"{\", \"[\"]", "\xef\xbb\xbf{\"a\": 1}", "\"a\"" };

  for (guint i = 0; i < G_N_ELEMENTS (second); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (check (second[i], BND_JSON_MAX_DEPTH, &error));
      g_assert_error (error, BND_JSON_ERROR, BND_JSON_ERROR_SECOND_VALUE);
      g_assert_nonnull (strstr (error->message, "more than one value"));
    }
  for (guint i = 0; i < G_N_ELEMENTS (one); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      g_assert_true (check (one[i], BND_JSON_MAX_DEPTH, NULL));
      g_assert_true (json_parser_load_from_data (parser, one[i], -1, NULL));
    }
}

/* After the escape of a surrogate outside a pair json-glib's scanner takes the next character
 * (two, if it is a backslash) into the text: before a quote or an escape it reads another
 * document than the check, and leaks on some. The check refuses those. */
static void
test_limits_surrogate_pair (void)
{
  static const char *broken[] = { "[\"\\ud83d\\u0041\"]", "{\"\\uD800\\uD800\": 1}", "\"x\\udbff\\ue000\"",
                                  "[\"\\ud83d\\uMing\"]", "[\"\\ud83d\\u12\"]", "[\"\\udc00\\u0041\"]",
                                  "[\"\\udc00\\udc00\"]", "[\"\\ud83d\\ude00\\udc00\\uM\"]", "[\"\\udc00\"]",
                                  " \"\\ud800\"]\"{\"a\": 1}", "[\"\\ud800\\\"x\"]", "[\"\\ud800" };
  static const char *left[] = { "[\"\\ud83d\\ude00\"]", "[\"\\ud83dx\"]", "[\"\\udc00 und\"]",
                                "[\"\\ud83d\\ude00\\ud83d\\ude00\"]", "[\"\\\\ud83d\\u0041\"]" };

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (check (broken[i], BND_JSON_MAX_DEPTH, &error));
      g_assert_error (error, BND_JSON_ERROR, BND_JSON_ERROR_SURROGATE);
      g_assert_nonnull (strstr (error->message, "surrogate pair"));
    }
  /* a good pair, and lone surrogates that bnd_json_check_strings() finds after parsing */
  for (guint i = 0; i < G_N_ELEMENTS (left); i++)
    g_assert_true (check (left[i], BND_JSON_MAX_DEPTH, NULL));
}

/* Escapes JSON does not have: json-glib's scanner leaks on some and takes the closing quote into
 * others; the check refuses them all. */
static void
test_limits_escapes (void)
{
  static const char *broken[] = { "[\"\\q\"]", "[\"\\u0\"x\"]", "{\"f \\u0\"\\ud83d\\ucross\": 1}", "[1, \\u0041]",
                                  "{\"a\": \"b\"\\udc00}", "[\"\\x41\"]", "[\"\\u12\"]" };
  static const char *good[] = { "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e4\"]",
                                /* cut off: an unterminated string, the parser's business */
                                "[\"\\u12" };

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (check (broken[i], BND_JSON_MAX_DEPTH, &error));
      g_assert_error (error, BND_JSON_ERROR, BND_JSON_ERROR_ESCAPE);
      g_assert_nonnull (strstr (error->message, "invalid escape"));
    }
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (check (good[i], BND_JSON_MAX_DEPTH, NULL));
  /* every escape of JSON, as json-glib reads it */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();

    g_assert_true (json_parser_load_from_data (parser, good[0], -1, NULL));
  }
}

/* json-glib reads comments and strings in single quotes, which JSON does not have: a quote
 * hidden in either made the scan miss the brackets after it, and the stack overflowed after
 * all (test-server sends such a login). */
static void
test_limits_not_json (void)
{
  static const char *refused[] = { "/*\"*/ [[1]]", "['\"', [[1]]]", "[1 // \"\n, [[2]]]", "[NaN]", "{x: 1}",
                                   "[0x1f]", "# x\n[1]", "[1]\x01" };
  static const char *plain[] = { " \t\r\n[true, false, null, -1.5e+3, 2E-2, {\"a\": \"/*'#\"}]" };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (check (refused[i], 2, &error));
      g_assert_error (error, BND_JSON_ERROR, BND_JSON_ERROR_CHARACTER);
      g_assert_nonnull (strstr (error->message, "not JSON"));
    }
  for (guint i = 0; i < G_N_ELEMENTS (plain); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      g_assert_true (check (plain[i], 2, NULL));
      g_assert_true (json_parser_load_from_data (parser, plain[i], -1, NULL));
    }
}

static gboolean
check_strings (const char  *json,
               GError     **error)
{
  g_autoptr(JsonNode) root = json_from_string (json, NULL);
  BndJsonCheck check = {
    .origin = "test.json",
    .domain = G_IO_ERROR,
    .codes = { G_IO_ERROR_FAILED, G_IO_ERROR_FAILED, G_IO_ERROR_INVALID_DATA },
    .error = error,
  };

  g_assert_nonnull (root);
  return bnd_json_check_strings (&check, root, "$");
}

static void
test_strings (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (check_strings ("{\"a\": [\"x\", {\"b\": \"\\ud83d\\ude00 Ä\"}], \"n\": 1}", NULL));

  g_assert_false (check_strings ("{\"a\": [\"x\", {\"b\": \"ok \\udc00 no\"}]}", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==, "test.json: $.a[1].b: the text contains an invalid character "
                                       "(a lone UTF-16 surrogate)");
  g_clear_error (&error);

  /* a high surrogate followed by something other than its low half */
  g_assert_false (check_strings ("[\"\\ud800x\"]", &error));
  g_assert_nonnull (strstr (error->message, "$[0]: "));
  g_clear_error (&error);

  /* member names too; the path shows the name made valid */
  g_assert_false (check_strings ("{\"k\\udc00y\": 1}", &error));
  g_assert_nonnull (strstr (error->message, "test.json: $.k"));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static void
test_valid_text (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *cut = NULL;
  g_autofree char *dropped = bnd_json_dup_valid_text ("Gr\xc3\xbc\xc3 \xed\xb0\x80\xc3\xbc\xc3");
  g_autofree char *none = bnd_json_dup_valid_text (NULL);
  g_autofree char *same = bnd_json_dup_valid_text ("Größe – „gut“");

  g_assert_cmpstr (dropped, ==, "Grü ü");
  g_assert_cmpstr (none, ==, "");
  g_assert_cmpstr (same, ==, "Größe – „gut“");

  /* what json-glib really says */
  g_assert_false (json_parser_load_from_data (parser, "[\"ääääääääääääääääääääääääääääääää\" 1]",
                                              -1, &error));
  g_assert_false (g_utf8_validate (error->message, -1, NULL));
  cut = bnd_json_dup_valid_text (error->message);
  g_assert_true (g_utf8_validate (cut, -1, NULL));
  g_assert_nonnull (strstr (cut, "ääää"));
  g_assert_nonnull (strstr (cut, "expected character"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-check/limits/depth", test_limits_depth);
  g_test_add_func ("/json-check/limits/strings", test_limits_strings);
  g_test_add_func ("/json-check/limits/second-value", test_limits_second_value);
  g_test_add_func ("/json-check/limits/surrogate-pair", test_limits_surrogate_pair);
  g_test_add_func ("/json-check/limits/escapes", test_limits_escapes);
  g_test_add_func ("/json-check/limits/not-json", test_limits_not_json);
  g_test_add_func ("/json-check/strings", test_strings);
  g_test_add_func ("/json-check/valid-text", test_valid_text);

  return g_test_run ();
}
