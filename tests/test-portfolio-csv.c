/* test-portfolio-csv.c: the portfolio as CSV, for spreadsheets and scripts
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include "bnd-portfolio-csv.h"

#define HEADER "uuid,title,org,stage,funding_object,requested,approved\n"

static JsonNode *
parse (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_header_only (void)
{
  g_autoptr(JsonNode) empty = parse ("{\"dossiers\": []}");
  g_autoptr(JsonNode) missing = parse ("{\"requested\": 0}");
  g_autoptr(JsonNode) array = parse ("[]");
  g_autofree char *from_empty = bnd_portfolio_to_csv (empty);
  g_autofree char *from_missing = bnd_portfolio_to_csv (missing);
  g_autofree char *from_array = bnd_portfolio_to_csv (array);
  g_autofree char *from_null = bnd_portfolio_to_csv (NULL);

  g_assert_cmpstr (from_empty, ==, HEADER);
  g_assert_cmpstr (from_missing, ==, HEADER);
  g_assert_cmpstr (from_array, ==, HEADER);
  g_assert_cmpstr (from_null, ==, HEADER);
}

/* A field with a comma, a quote or a line break is quoted, its quotes doubled; others are not. */
static void
test_quoting (void)
{
  g_autoptr(JsonNode) portfolio = parse (
    "{\"dossiers\": ["
    " {\"uuid\": \"a\", \"title\": \"Welcome & Stay: Heidekreis, Celle und Uelzen\", \"org\": \"lk-heidekreis\","
    "  \"stage\": \"vote\", \"funding_object\": 1, \"requested\": 186000, \"approved\": 0},"
    " {\"uuid\": \"b\", \"title\": \"Das \\\"Pflege-Campus\\\"-Modell\", \"org\": \"hwk\","
    "  \"stage\": \"rating\", \"funding_object\": 2, \"requested\": 1234.5, \"approved\": 99.999},"
    " {\"uuid\": \"c\", \"title\": \"Zeile eins\\nZeile zwei\", \"org\": \"a\\r\\nb\","
    "  \"stage\": \"submitted\", \"funding_object\": 3, \"requested\": 0, \"approved\": 0},"
    " {\"uuid\": \"d\", \"title\": \"Nur \\\"Anf\\u00fchrung\\\"\", \"stage\": \"approved\"}"
    "]}");
  g_autofree char *csv = bnd_portfolio_to_csv (portfolio);

  g_assert_cmpstr (csv, ==,
                   HEADER
                   "a,\"Welcome & Stay: Heidekreis, Celle und Uelzen\",lk-heidekreis,vote,1,186000.00,0.00\n"
                   "b,\"Das \"\"Pflege-Campus\"\"-Modell\",hwk,rating,2,1234.50,100.00\n"
                   "c,\"Zeile eins\nZeile zwei\",\"a\r\nb\",submitted,3,0.00,0.00\n"
                   "d,\"Nur \"\"Anführung\"\"\",,approved,0,0.00,0.00\n");
}

/* Machine-readable whatever the locale: a dot as the decimal separator, no digit grouping. */
static void
test_locale (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "portfolio.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);

  /* Where a German locale is installed it would write "186.000,00"; the CSV must not. */
  setlocale (LC_ALL, "de_DE.UTF-8");
  csv = bnd_portfolio_to_csv (json_parser_get_root (parser));
  setlocale (LC_ALL, "C");

  lines = g_strsplit (csv, "\n", -1);
  /* The header, seven dossiers and the empty rest after the last line's end */
  g_assert_cmpuint (g_strv_length (lines), ==, 9);
  g_assert_cmpstr (lines[0], ==, "uuid,title,org,stage,funding_object,requested,approved");
  g_assert_cmpstr (lines[1], ==,
                   "00000000-0000-4000-8000-000000000000,Pflegeperspektiven Heidekreis,lk-heidekreis,approved,1,"
                   "186000.00,120000.00");
  g_assert_cmpstr (lines[8], ==, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/portfolio-csv/header-only", test_header_only);
  g_test_add_func ("/portfolio-csv/quoting", test_quoting);
  g_test_add_func ("/portfolio-csv/locale", test_locale);

  return g_test_run ();
}
