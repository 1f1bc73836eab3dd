/* buendnis-server.c: the central server and its administration
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "buendnis-server"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "bnd-i18n.h"
#include "bnd-server.h"
#include "bnd-server-alliances.h"
#include "bnd-server-mail.h"
#include "buendnis-server.h"
#include "bnd-server-audit-key.h"
#include "bnd-server-config.h"
#include "bnd-server-dossier.h"
#include "bnd-server-global-audit.h"
#include "bnd-server-maintenance.h"

/* What GnuTLS (through glib-networking) offers clients: TLS 1.3 and 1.2 only, and in 1.2 only
 * AEAD ciphers with a forward-secret key exchange, as Mozilla's "intermediate" profile. Clients
 * are the app, the CLI and browsers of this decade; none needs TLS 1.0/1.1 or CBC. The README's
 * TLS section names the same choice. */
#define TLS_PRIORITY "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:" \
                     "-CIPHER-ALL:+AES-256-GCM:+AES-128-GCM:+CHACHA20-POLY1305:" \
                     "-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:+DHE-RSA"

G_GNUC_PRINTF (1, 2) static int
usage_error (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("buendnis-server: %s\n", message);
  return 2;
}

static int
failed (const GError *error)
{
  g_printerr ("buendnis-server: %s\n", error->message);
  return 1;
}

static gboolean find_audit_key (const char  *config_path,
                                char       **option,
                                char       **path,
                                GError     **error);
static gboolean use_audit_key  (BndServerDb  *db,
                                const char   *path,
                                const char   *data,
                                GError      **error);

/* For the commands that change accounts: they write the server's audit trail, whose head is
 * signed with the audit key when there is one (--audit-key, [server] audit-key in --config or
 * the default file), as serve does. */
static BndServerDb *
open_for_accounts (const char  *data,
                   const char  *config_path,
                   char       **audit_key,
                   GError     **error)
{
  g_autofree char *key_path = NULL;
  BndServerDb *db;

  if (!find_audit_key (config_path, audit_key, &key_path, error) ||
      !(db = bnd_server_db_open (data, FALSE, error)))
    return NULL;
  if (!use_audit_key (db, key_path, data, error))
    {
      bnd_server_db_free (db);
      return NULL;
    }
  return db;
}

static gboolean
parse (const char     *command,
       const char     *args,
       GOptionEntry   *entries,
       int            *argc,
       char         ***argv,
       int            *status)
{
  g_autofree char *parameter = g_strdup_printf ("%s %s", command, args);
  g_autoptr(GOptionContext) context = g_option_context_new (parameter);
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *status = usage_error ("%s", error->message);
      return FALSE;
    }
  return TRUE;
}

/* What the commands of buendnis-server-accounts.c and -mail.c share with these (buendnis-server.h). */
int
bnd_cli_usage_error (const char *format,
                     ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  return usage_error ("%s", message);
}

int
bnd_cli_failed (const GError *error)
{
  return failed (error);
}

gboolean
bnd_cli_parse (const char     *command,
               const char     *args,
               GOptionEntry   *entries,
               int            *argc,
               char         ***argv,
               int            *status)
{
  return parse (command, args, entries, argc, argv, status);
}

BndServerDb *
bnd_cli_open_for_accounts (const char  *data,
                           const char  *config_path,
                           char       **audit_key,
                           GError     **error)
{
  return open_for_accounts (data, config_path, audit_key, error);
}

static int
cmd_init (int    argc,
          char **argv)
{
  g_autofree char *data = NULL;
  g_autofree char *database = NULL;
  GOptionEntry entries[] = {
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data, N_("The server's data folder"), N_("DIR") },
    { "database", 0, 0, G_OPTION_ARG_STRING, &database,
      N_("Keep the data in this PostgreSQL database instead of server.db in the folder"), N_("URI") },
    { NULL }
  };
  g_autoptr(BndStrategy) strategy = NULL;
  g_autoptr(GError) error = NULL;
  BndServerDb *db;
  int status = 0;

  if (!parse ("init", "--data DIR [--database postgresql://…]", entries, &argc, &argv, &status))
    return status;
  if (data == NULL)
    return usage_error ("%s", _("init needs --data DIR"));
  /* The folder names its database before it is opened: every later command finds it there. A
   * folder with a database of its own already is not pointed elsewhere. */
  if (database != NULL)
    {
      g_autofree char *named = bnd_server_db_read_url (data);

      if ((named == NULL && bnd_server_db_exists (data, NULL)) || (named != NULL && g_strcmp0 (named, database) != 0))
        return usage_error (_("%s has a database of its own already; init --database needs a new data folder"),
                            data);
      if (!bnd_server_db_set_url (data, database, &error))
        return failed (error);
    }
  if (!(strategy = bnd_strategy_new_default (&error)) || !(db = bnd_server_db_open (data, TRUE, &error)))
    return failed (error);

  /* The partners of the strategy become the first organisations. */
  if (!bnd_server_alliance_add_partners (db, strategy, &error))
    {
      bnd_server_db_free (db);
      return failed (error);
    }
  bnd_server_db_free (db);
  g_print (_("Created the server database in %s with %u partner organisations\n"), data,
           bnd_strategy_get_partners (strategy)->len);
  return 0;
}

static gboolean
on_signal_cb (gpointer user_data)
{
  /* systemd shows the unit as deactivating while the open requests end. */
  sd_notify (0, "STOPPING=1");
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* The file named with --config, else the default file when there is one, else the defaults. */
static BndServerConfig *
load_config (const char  *path,
             GError     **error)
{
  if (path == NULL && g_file_test (bnd_server_config_default_path (), G_FILE_TEST_EXISTS))
    path = bnd_server_config_default_path ();
  return bnd_server_config_load (path, error);
}

/* The audit key file to use: --audit-key, else audit-key in [server] of the configuration, else
 * the default file when it exists; NULL for none. */
static gboolean
find_audit_key (const char  *config_path,
                char       **option,
                char       **path,
                GError     **error)
{
  g_autoptr(BndServerConfig) config = NULL;

  if (*option == NULL && !(config = load_config (config_path, error)))
    return FALSE;
  *path = g_strdup (bnd_server_audit_key_resolve (*option ? *option : config->audit_key));
  return TRUE;
}

/* Signs the heads from now on with the key in @path, when there is one. */
static gboolean
use_audit_key (BndServerDb  *db,
               const char   *path,
               const char   *data,
               GError      **error)
{
  guchar key[BND_AUDIT_KEY_BYTES];

  if (path == NULL)
    return TRUE;
  if (!bnd_server_audit_key_load (path, data, key, error))
    return FALSE;
  bnd_server_db_set_audit_key (db, key);
  sodium_memzero (key, sizeof key);
  return TRUE;
}

/* Prints one line per broken audit chain, or how many entries hold, and whether the heads'
 * signatures were checked; for audit-verify and after a restore. Exit 0 when every chain holds,
 * 1 when any entry was altered or is missing or a head's signature does not match. */
static int
verify_audit (const char *data,
              const char *key_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  BndServerDb *db;
  guint n_checked = 0;

  if (!(db = bnd_server_db_open (data, FALSE, &error)))
    return failed (error);
  if (!use_audit_key (db, key_path, data, &error))
    {
      bnd_server_db_free (db);
      return failed (error);
    }

  problems = bnd_server_db_verify_audit (db, &n_checked);
  for (guint i = 0; i < problems->len; i++)
    g_print ("%s\n", (const char *)g_ptr_array_index (problems, i));
  if (problems->len == 0)
    g_print (g_dngettext (GETTEXT_PACKAGE, "The audit trail holds: %u entry checked\n",
                          "The audit trail holds: %u entries checked\n", n_checked), n_checked);
  if (key_path == NULL)
    g_print ("%s\n", _("The chain heads are unsigned and were not checked: without the audit key "
                        "(--audit-key FILE, or audit-key in [server]) a chain rewritten with new "
                        "hashes and head cannot be told from the original"));
  else if (problems->len == 0)
    g_print (_("Every chain head carries the signature of the audit key %s\n"), key_path);
  bnd_server_db_free (db);
  return problems->len == 0 ? 0 : 1;
}

/* Exit 0 when every chain holds, 1 when any entry was altered or is missing. */
static int
cmd_audit_verify (int    argc,
                  char **argv)
{
  g_autofree char *data = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *option = NULL;
  g_autofree char *key_path = NULL;
  GOptionEntry entries[] = {
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data, N_("The server's data folder"), N_("DIR") },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path, N_("The configuration file"), N_("FILE") },
    { "audit-key", 0, 0, G_OPTION_ARG_FILENAME, &option, N_("The key that signs the chain heads"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!parse ("audit-verify", "--data DIR [--audit-key FILE]", entries, &argc, &argv, &status))
    return status;
  if (data == NULL || argc != 1)
    return usage_error ("%s", _("audit-verify needs --data DIR"));
  if (!find_audit_key (config_path, &option, &key_path, &error))
    return failed (error);
  return verify_audit (data, key_path);
}

/* Someone typed the names in an audit entry: control and format characters (escapes, bidi
 * overrides) and invalid UTF-8 are shown as \uNNNN and \xNN rather than sent to the terminal. */
static char *
printable (const char *text)
{
  const char *end = text + strlen (text);
  GString *out = g_string_sized_new (end - text);

  while (text < end)
    {
      gunichar c = g_utf8_get_char_validated (text, end - text);

      if (c == (gunichar)-1 || c == (gunichar)-2)
        {
          g_string_append_printf (out, "\\x%02x", (guchar)*text++);
          continue;
        }
      if (g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT)
        g_string_append_printf (out, "\\u%04X", c);
      else
        g_string_append_len (out, text, g_utf8_next_char (text) - text);
      text = g_utf8_next_char (text);
    }
  return g_string_free (out, FALSE);
}

/* The server's own audit trail (sign-ins of the coordination and administrators, account
 * changes), or a dossier's with --dossier: one line per entry, or JSON lines with --json. The
 * chains are checked by audit-verify, not here. */
static int
cmd_audit_log (int    argc,
               char **argv)
{
  g_autofree char *data = NULL;
  g_autofree char *dossier = NULL;
  gboolean as_json = FALSE;
  GOptionEntry entries[] = {
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data, N_("The server's data folder"), N_("DIR") },
    { "dossier", 0, 0, G_OPTION_ARG_STRING, &dossier, N_("A dossier's trail instead of the server's"), N_("UUID") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("One JSON object per line"), NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) entries_found = NULL;
  g_autoptr(GError) error = NULL;
  BndServerDb *db;
  int status = 0;

  if (!parse ("audit-log", "--data DIR [--dossier UUID] [--json]", entries, &argc, &argv, &status))
    return status;
  if (data == NULL || argc != 1)
    return usage_error ("%s", _("audit-log needs --data DIR"));
  if (!(db = bnd_server_db_open (data, FALSE, &error)))
    return failed (error);

  entries_found = dossier ? bnd_server_db_audit (db, dossier) : bnd_server_db_global_audit (db);
  for (guint i = 0; i < entries_found->len; i++)
    {
      const BndAuditEntry *entry = g_ptr_array_index (entries_found, i);
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (entry->at);
      g_autofree char *when = at ? g_date_time_format_iso8601 (at) : g_strdup ("?");

      if (as_json)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();
          g_autoptr(JsonGenerator) generator = json_generator_new ();
          g_autoptr(JsonNode) detail = json_from_string (entry->detail, NULL);
          g_autoptr(JsonNode) node = NULL;
          g_autofree char *line = NULL;

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "n");
          json_builder_add_int_value (builder, entry->n);
          json_builder_set_member_name (builder, "at");
          json_builder_add_string_value (builder, when);
          json_builder_set_member_name (builder, "actor");
          json_builder_add_string_value (builder, entry->actor);
          json_builder_set_member_name (builder, "action");
          json_builder_add_string_value (builder, entry->action);
          json_builder_set_member_name (builder, "detail");
          json_builder_add_value (builder, detail ? g_steal_pointer (&detail) : json_node_new (JSON_NODE_NULL));
          json_builder_end_object (builder);
          node = json_builder_get_root (builder);
          json_generator_set_root (generator, node);
          line = json_generator_to_data (generator, NULL);
          g_print ("%s\n", line);
        }
      else
        {
          g_autofree char *actor = printable (entry->actor);
          g_autofree char *detail = printable (entry->detail);

          g_print ("%" G_GINT64_FORMAT "  %s  %s  %s  %s\n", entry->n, when, actor, entry->action, detail);
        }
    }
  bnd_server_db_free (db);
  return 0;
}

/* A new key in a file that must not exist yet: mode 0640, for root and the server's group. */
static int
cmd_audit_key (int    argc,
               char **argv)
{
  g_autofree char *create = NULL;
  GOptionEntry entries[] = {
    { "create", 0, 0, G_OPTION_ARG_FILENAME, &create, N_("Create a new key in this file"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!parse ("audit-key", "--create FILE", entries, &argc, &argv, &status))
    return status;
  if (create == NULL || argc != 1)
    return usage_error ("%s", _("audit-key needs --create FILE"));
  if (!bnd_server_audit_key_create (create, &error))
    return failed (error);
  g_print (_("Created the audit key %s; keep it outside the data folder and back it up "
             "separately\n"), create);
  return 0;
}

/* Signs the heads written without a key, once every chain is checked: after the key was
 * created for an existing database. Exit 0 when every head is signed and holds. */
static int
cmd_audit_sign (int    argc,
                char **argv)
{
  g_autofree char *data = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *option = NULL;
  g_autofree char *key_path = NULL;
  GOptionEntry entries[] = {
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data, N_("The server's data folder"), N_("DIR") },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path, N_("The configuration file"), N_("FILE") },
    { "audit-key", 0, 0, G_OPTION_ARG_FILENAME, &option, N_("The key that signs the chain heads"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  BndServerDb *db;
  guint n_checked = 0;
  guint n_signed = 0;
  int status = 0;

  if (!parse ("audit-sign", "--data DIR [--audit-key FILE]", entries, &argc, &argv, &status))
    return status;
  if (data == NULL || argc != 1)
    return usage_error ("%s", _("audit-sign needs --data DIR"));
  if (!find_audit_key (config_path, &option, &key_path, &error))
    return failed (error);
  if (key_path == NULL)
    return usage_error ("%s", _("audit-sign needs the audit key: --audit-key FILE, or audit-key "
                                "in [server]"));
  if (!(db = bnd_server_db_open (data, FALSE, &error)))
    return failed (error);

  /* The chains first, without the key: an unsigned head is what this is for. */
  problems = bnd_server_db_verify_audit (db, &n_checked);
  if (problems->len == 0 &&
      (!use_audit_key (db, key_path, data, &error) || !bnd_server_db_sign_audit_heads (db, &n_signed, &error)))
    {
      bnd_server_db_free (db);
      return failed (error);
    }
  if (problems->len == 0)
    {
      g_clear_pointer (&problems, g_ptr_array_unref);
      problems = bnd_server_db_verify_audit (db, &n_checked);
    }
  for (guint i = 0; i < problems->len; i++)
    g_print ("%s\n", (const char *)g_ptr_array_index (problems, i));
  if (problems->len == 0)
    g_print (g_dngettext (GETTEXT_PACKAGE, "Signed %u chain head; the audit trail holds\n",
                          "Signed %u chain heads; the audit trail holds\n", n_signed), n_signed);
  else
    g_printerr ("buendnis-server: %s\n", _("The audit trail does not hold; no head was signed"));
  bnd_server_db_free (db);
  return problems->len == 0 ? 0 : 1;
}

/* Exit 0 when the configuration is fine, 1 with one line per problem otherwise. */
static int
cmd_check_config (int    argc,
                  char **argv)
{
  g_autofree char *path = NULL;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &path, N_("The configuration file"), N_("FILE") },
    { NULL }
  };
  g_autoptr(BndServerConfig) config = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!parse ("check-config", "[--config FILE]", entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return usage_error ("%s", _("check-config takes no arguments but --config FILE"));
  if (!(config = load_config (path, &error)))
    return failed (error);

  problems = bnd_server_config_check (config);
  for (guint i = 0; i < problems->len; i++)
    g_print ("%s\n", (const char *)g_ptr_array_index (problems, i));
  if (problems->len == 0 && config->path)
    g_print (_("The configuration %s is fine\n"), config->path);
  else if (problems->len == 0)
    g_print ("%s\n", _("There is no configuration file, and the defaults are fine"));
  return problems->len == 0 ? 0 : 1;
}

/* A command-line option, when given, replaces the file's value. */
static void
override (char **field,
          char **option)
{
  if (*option != NULL)
    {
      g_free (*field);
      *field = g_steal_pointer (option);
    }
}

/* Upgrading, backing up and restoring; the work is in bnd-server-maintenance.c. */

static gboolean
migrate_folder (const char  *data,
                GError     **error)
{
  int from = 0, to = 0;

  if (!bnd_server_maintenance_migrate (data, &from, &to, error))
    return FALSE;
  if (from == to)
    g_print (_("The database in %s is already at schema %d\n"), data, to);
  else
    g_print (_("Upgraded %s from schema %d to %d\n"), data, from, to);
  return TRUE;
}

static int
cmd_migrate (int    argc,
             char **argv)
{
  g_autofree char *data = NULL;
  GOptionEntry entries[] = {
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data, N_("The server's data folder"), N_("DIR") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) slugs = NULL;
  int status = 0;

  if (!parse ("migrate", "--data DIR", entries, &argc, &argv, &status))
    return status;
  if (data == NULL || argc != 1)
    return usage_error ("%s", _("migrate needs --data DIR"));
  if (!migrate_folder (data, &error))
    return failed (error);
  /* The alliances the service serves besides its first one, each a folder of its own. */
  slugs = bnd_server_alliance_list (data);
  for (guint i = 0; i < slugs->len; i++)
    {
      g_autofree char *folder = bnd_server_alliance_folder (data, g_ptr_array_index (slugs, i));

      if (!migrate_folder (folder, &error))
        return failed (error);
    }
  return 0;
}

/* `backup --config FILE` (or the default file, when there is one) names the data folder in
 * [server] data, and the destination and retention in [backup] directory and keep. Options given
 * on the command line win over it; @directory is NULL when a destination was given. A problem in
 * the file is printed, and leaves @error unset: a keep of 4294967297 must not prune as keep=1. */
static gboolean
read_backup_config (const char  *file,
                    char       **data,
                    char       **directory,
                    int         *keep,
                    GError     **error)
{
  g_autoptr(BndServerConfig) config = load_config (file, error);
  g_autoptr(GPtrArray) problems = NULL;

  if (config == NULL)
    return FALSE;
  problems = bnd_server_config_check_backup (config);
  for (guint i = 0; i < problems->len; i++)
    g_printerr ("buendnis-server: %s\n", (const char *)g_ptr_array_index (problems, i));
  if (problems->len > 0)
    return FALSE;
  if (*data == NULL)
    *data = g_strdup (config->data);
  if (directory != NULL && *directory == NULL)
    *directory = g_strdup (config->backup_directory);
  if (*keep < 0)
    *keep = (int)config->backup_keep;
  return TRUE;
}

static int
cmd_backup (int    argc,
            char **argv)
{
  g_autofree char *data = NULL;
  g_autofree char *config = NULL;
  g_autofree char *destination = NULL;
  int keep = -1;
  GOptionEntry entries[] = {
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data, N_("The server's data folder"), N_("DIR") },
    { "keep", 'k', 0, G_OPTION_ARG_INT, &keep, N_("In a folder, keep only the newest N backups"), N_("N") },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config, N_("Read the data folder and the backup settings from FILE"),
      N_("FILE") },
    { NULL }
  };
  g_autoptr(GPtrArray) removed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *written = NULL;
  g_autofree char *size = NULL;
  GStatBuf info;
  int status = 0;

  if (!parse ("backup", "--data DIR [--keep N] [--config FILE] DEST", entries, &argc, &argv, &status))
    return status;
  if (argc > 2)
    return usage_error ("%s", _("backup takes one destination, a file or a folder"));
  if (argc == 2)
    destination = g_strdup (argv[1]);
  if (config == NULL && g_file_test (bnd_server_config_default_path (), G_FILE_TEST_EXISTS))
    config = g_strdup (bnd_server_config_default_path ());
  if (config && destination == NULL)
    {
      if (!read_backup_config (config, &data, &destination, &keep, &error))
        return error ? failed (error) : 2;
      /* The setting names a folder: a missing one must not become a file of that name. */
      if (destination && g_mkdir_with_parents (destination, 0700) != 0)
        {
          int saved_errno = errno;
          g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s: %s", destination,
                       g_strerror (saved_errno));
          return failed (error);
        }
    }
  else if (config && !read_backup_config (config, &data, NULL, &keep, &error))
    return error ? failed (error) : 2;
  if (data == NULL || destination == NULL)
    return usage_error ("%s", _("backup needs --data DIR and a destination (or both in --config FILE)"));
  if (keep == 0 || keep < -1)
    return usage_error ("%s", _("--keep needs at least 1"));

  if (!(written = bnd_server_maintenance_backup (data, destination, MAX (keep, 0), removed, &error)))
    return failed (error);
  size = g_stat (written, &info) == 0 ? g_format_size (info.st_size) : g_strdup ("?");
  /* Translators: the first %s is a file, the second its size, such as “1.2 MB” */
  g_print (_("Wrote %s (%s), checked\n"), written, size);
  for (guint i = 0; i < removed->len; i++)
    g_print (_("Removed the older backup %s\n"), (const char *)g_ptr_array_index (removed, i));
  return 0;
}

static int
cmd_restore (int    argc,
             char **argv)
{
  g_autofree char *data = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *option = NULL;
  g_autofree char *key_path = NULL;
  GOptionEntry entries[] = {
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data, N_("The new data folder, which must be empty"), N_("DIR") },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path, N_("The configuration file"), N_("FILE") },
    { "audit-key", 0, 0, G_OPTION_ARG_FILENAME, &option, N_("The key that signs the chain heads"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  int from = 0, to = 0;
  int status = 0;

  if (!parse ("restore", "--data DIR SOURCE", entries, &argc, &argv, &status))
    return status;
  if (data == NULL || argc != 2)
    return usage_error ("%s", _("restore needs --data DIR and the backup file"));
  if (!find_audit_key (config_path, &option, &key_path, &error))
    return failed (error);
  if (!bnd_server_maintenance_restore (argv[1], data, &from, &to, &error))
    return failed (error);
  g_print (_("Restored %s into %s\n"), argv[1], data);
  if (from != to)
    g_print (_("Upgraded %s from schema %d to %d\n"), data, from, to);

  return verify_audit (data, key_path);
}

static int
cmd_serve (int    argc,
           char **argv)
{
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *audit_key = NULL;
  gboolean insecure = FALSE;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &path, N_("The configuration file"), N_("FILE") },
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data, N_("The server's data folder"), N_("DIR") },
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen, N_("Address and port, port 0 for any free one"), N_("ADDR:PORT") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &cert, N_("TLS certificate (PEM)"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &key, N_("TLS private key (PEM)"), N_("FILE") },
    { "insecure", 0, 0, G_OPTION_ARG_NONE, &insecure, N_("Allow plain HTTP on addresses other than loopback"), NULL },
    { "audit-key", 0, 0, G_OPTION_ARG_FILENAME, &audit_key, N_("The key that signs the chain heads"), N_("FILE") },
    { NULL }
  };
  g_autoptr(BndServerConfig) config = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(BndStrategy) strategy = NULL;
  g_autoptr(BndServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL;
  g_autofree char *ready = NULL;
  guchar key_bytes[BND_AUDIT_KEY_BYTES];
  const char *key_path;
  BndServerDb *db;
  guint port = 0;
  int status = 0;
  int lock;

  if (!parse ("serve", "[--config FILE] [--data DIR] [--listen ADDR:PORT]", entries, &argc, &argv,
              &status))
    return status;
  if (!(config = load_config (path, &error)))
    return failed (error);

  /* The access log is one line per request on stdout; under systemd stdout is the journal's
   * socket, not a terminal, and without this the lines would wait in a 4 KiB buffer. */
  setvbuf (stdout, NULL, _IOLBF, 0);

  /* The command line wins over the file. */
  override (&config->data, &data);
  override (&config->listen, &listen);
  override (&config->tls_cert, &cert);
  override (&config->tls_key, &key);
  override (&config->audit_key, &audit_key);
  config->insecure |= insecure;

  /* A configuration with a problem is refused as a whole: half a configuration (a typo in
   * trusted-proxies, say) would run with a different meaning than the administrator wrote. */
  problems = bnd_server_config_check (config);
  for (guint i = 0; i < problems->len; i++)
    g_printerr ("buendnis-server: %s\n", (const char *)g_ptr_array_index (problems, i));
  if (problems->len > 0)
    return 2;

  bnd_server_config_parse_listen (config->listen, &host, &port);
  inet = g_inet_address_new_from_string (host);
  address = g_inet_socket_address_new (inet, port);
  if (config->tls_cert &&
      !(certificate = g_tls_certificate_new_from_files (config->tls_cert, config->tls_key, &error)))
    return failed (error);
  /* Held until the server exits: no migrate changes the schema under it (see
   * bnd_server_maintenance_lock). */
  if ((lock = bnd_server_maintenance_lock (config->data, FALSE, &error)) < 0)
    return failed (error);
  if (!(strategy = bnd_server_alliance_load_strategy (config->data, FALSE, &error)) ||
      !(db = bnd_server_db_open (config->data, FALSE, &error)))
    return failed (error);
  if (!bnd_server_db_hold_serving_lock (db, config->data, &error))
    {
      bnd_server_db_free (db);
      return failed (error);
    }
  key_path = bnd_server_audit_key_resolve (config->audit_key);
  if (key_path != NULL && !bnd_server_audit_key_load (key_path, config->data, key_bytes, &error))
    {
      bnd_server_db_free (db);
      return failed (error);
    }
  if (key_path != NULL)
    bnd_server_db_set_audit_key (db, key_bytes);
  if (!bnd_server_db_has_audit_key (db))
    g_printerr ("buendnis-server: %s\n", _("No audit key is configured: the audit trail's chain heads "
                                           "are not signed (see buendnis-server audit-key)"));

  /* Before READY=1: a stop that follows it at once must find the handlers in place. */
  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_signal_cb, loop);
  g_unix_signal_add (SIGTERM, on_signal_cb, loop);

  /* From here on the API answers with untranslated messages, whatever the administrator's
   * language: each client looks them up in its own catalogue and shows them in its user's
   * language (bnd_api_error_message()). */
  setlocale (LC_MESSAGES, "C");
  bnd_server_mail_init_languages ();

  server = bnd_server_new (db, strategy, certificate);
  bnd_server_set_config (server, config);
  bnd_server_serve_alliances (server, config->data, config, key_path ? key_bytes : NULL);
  sodium_memzero (key_bytes, sizeof key_bytes);
  if (!bnd_server_start_mail (server, config, &error))
    {
      g_clear_object (&server);
      bnd_server_db_free (db);
      return failed (error);
    }
  if (!bnd_server_listen (server, G_INET_SOCKET_ADDRESS (address), &port, &error))
    {
      bnd_server_db_free (db);
      return failed (error);
    }

  /* Tests and scripts read the port from this first line. */
  g_print ("listening on port %u\n", port);
  fflush (stdout);

  /* Only now may systemd start what depends on us; outside systemd this does nothing. */
  ready = g_strdup_printf (strchr (host, ':') ? "READY=1\nSTATUS=Listening on %s://[%s]:%u%s%s"
                                              : "READY=1\nSTATUS=Listening on %s://%s:%u%s%s",
                           certificate ? "https" : "http", host, port,
                           config->public_url ? ", public address " : "",
                           config->public_url ? config->public_url : "");
  sd_notify (0, ready);

  g_main_loop_run (loop);
  /* Requests whose database work is under way on a worker get their answers first. */
  bnd_server_stop_listening (server);
  bnd_server_finish_works ();

  /* The access log's last lines, whoever still holds the server */
  bnd_server_flush_log (server);
  g_clear_object (&server);
  bnd_server_db_free (db);
  close (lock);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  static const struct { const char *name; int (*func) (int, char **); const char *summary; } commands[] = {
    { "init", cmd_init, N_("Create the database with the strategy's partner organisations") },
    { "add-alliance", bnd_cmd_add_alliance, N_("Add an alliance to the service, with its strategy pack and coordinator") },
    { "alliances", bnd_cmd_alliances, N_("List the alliances the service serves besides its first") },
    { "add-org", bnd_cmd_add_org, N_("Add an organisation, such as an external carrier") },
    { "add-user", bnd_cmd_add_user, N_("Add a user to an organisation with a role") },
    { "set-password", bnd_cmd_set_password, N_("Set a user's password, read from standard input") },
    { "revoke-tokens", bnd_cmd_revoke_tokens, N_("End every sign-in of a user") },
    { "disable-user", bnd_cmd_disable_user, N_("Refuse a user's sign-in and every token at once") },
    { "enable-user", bnd_cmd_enable_user, N_("Let a disabled user sign in again") },
    { "set-role", bnd_cmd_set_role, N_("Give a user another role") },
    { "set-mail", bnd_cmd_set_mail, N_("Set a user's e-mail address, language and notifications") },
    { "outbox", bnd_cmd_outbox, N_("List the e-mail waiting to be sent, and what failed") },
    { "clock", bnd_cmd_clock, N_("Show or set the server's clock for deadlines and reminders") },
    { "serve", cmd_serve, N_("Serve the API") },
    { "check-config", cmd_check_config, N_("Check the configuration file and name what to fix") },
    { "audit-log", cmd_audit_log, N_("List the server's audit trail of sign-ins and account changes") },
    { "audit-verify", cmd_audit_verify, N_("Check that no audit entry was altered or removed") },
    { "audit-key", cmd_audit_key, N_("Create the key that signs the audit trail's chain heads") },
    { "audit-sign", cmd_audit_sign, N_("Sign the chain heads written before there was a key") },
    { "migrate", cmd_migrate, N_("Upgrade the database to this version's schema") },
    { "backup", cmd_backup, N_("Copy the database while the server runs") },
    { "restore", cmd_restore, N_("Restore a backup into a new data folder") },
    { "copy", bnd_cmd_copy, N_("Move a folder's database into PostgreSQL") },
  };

  bnd_i18n_init ();

  /* glib-networking reads it once, when the first TLS object is made; an administrator's own
   * setting wins. */
  g_setenv ("G_TLS_GNUTLS_PRIORITY", TLS_PRIORITY, FALSE);

  if (sodium_init () < 0)
    {
      g_printerr ("buendnis-server: libsodium could not be initialised\n");
      return 1;
    }

  if (argc >= 2)
    for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
      if (g_str_equal (argv[1], commands[i].name))
        return commands[i].func (argc - 1, argv + 1);

  g_print ("%s\n\n", _("Usage: buendnis-server COMMAND [OPTIONS…]"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_print ("  %-14s %s\n", commands[i].name, _(commands[i].summary));
  return argc >= 2 && !g_str_equal (argv[1], "--help") ? 2 : 0;
}
