/* bnd-server-config.c: /etc/buendnis/server.conf and what is wrong with it
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-config"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gnutls/gnutls.h>
#include <string.h>
#include <unistd.h>

#include "bnd-server-attachments.h"
#include "bnd-server-audit-key.h"
#include "bnd-server-config.h"
#include "bnd-server-db.h"
#include "bnd-server-pdf-check.h"

/* The configuration is read once at start. Whatever is wrong in it becomes one sentence that
 * names the key and what to do, so that `check-config` can list every problem at once instead
 * of the server stopping at the first one; a typo in a key name is a problem too, because a
 * silently ignored "trusted-proxy" or "isecure" is worse than a refusal. */

typedef struct
{
  const char *name;
  gint64      min;
  gint64      max;
} Bound;

static const Bound bounds[] = {
  { "max-json-body",   64 * 1024,       64 * 1024 * 1024 },
  { "max-pdf-body",    1024 * 1024,     BND_MAX_ATTACHMENT_BOUND },
  { "max-attachment",  1024 * 1024,     BND_MAX_ATTACHMENT_BOUND },
  /* Under 64 MiB poppler and its libraries do not even start; a check longer than ten minutes
   * is a client waiting for nothing. */
  { "pdf-check-timeout", 1,             600 },
  { "pdf-check-memory", 64,             16 * 1024 },
  { "max-connections", 2,               100000 },
  { "idle-timeout",    1,               3600 },
  { "header-timeout",  1,               600 },
  { "body-timeout",    1,               3600 },
  { "body-min-rate",   1,               1024 * 1024 * 1024 },
  { "keep",            1,               1000 },
  { "smtp-timeout",    1,               3600 },
  { "retry-seconds",   1,               86400 },
  { "max-attempts",    1,               100 },
  { "interval",        1,               3600 },
};

static const char *server_keys[] = {
  "listen", "data", "tls-cert", "tls-key", "insecure", "public-url", "trusted-proxies",
  "max-json-body", "max-pdf-body", "max-attachment", "audit-key", "pdf-check-timeout",
  "pdf-check-memory", "max-connections", "idle-timeout", "header-timeout", "body-timeout",
  "body-min-rate", NULL,
};

static const char *backup_keys[] = { "directory", "keep", NULL };

static const char *mail_keys[] = {
  "enabled", "smtp-url", "smtp-user", "smtp-password", "smtp-password-file", "smtp-from", "smtp-ca-file",
  "smtp-timeout", "retry-seconds", "max-attempts", "interval", NULL,
};

const char *
bnd_server_config_default_path (void)
{
  return SERVER_CONFIG_PATH;
}

G_GNUC_PRINTF (2, 3) static void
add_problem (GPtrArray  *problems,
             const char *format,
             ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (problems, g_strdup_vprintf (format, args));
  va_end (args);
}

static void
read_string (GKeyFile    *file,
             const char  *group,
             const char  *key,
             char       **field)
{
  g_autofree char *value = g_key_file_get_string (file, group, key, NULL);

  /* An empty value means the default, as if the line were commented out. */
  if (value != NULL && *g_strstrip (value) != 0)
    {
      g_free (*field);
      *field = g_steal_pointer (&value);
    }
}

static void
read_number (BndServerConfig *config,
             GKeyFile        *file,
             const char      *group,
             const char      *key,
             gint64          *field)
{
  g_autofree char *value = g_key_file_get_string (file, group, key, NULL);
  gint64 number;

  if (value == NULL || *g_strstrip (value) == 0)
    return;
  if (!g_ascii_string_to_signed (value, 10, G_MININT64, G_MAXINT64, &number, NULL))
    /* Translators: the first %s is a key of the configuration file, such as max-json-body */
    add_problem (config->load_problems, _("%s in [%s] is “%s”, not a whole number: write it in "
                                          "digits, without a unit"),
                 key, group, value);
  else
    *field = number;
}

static void
check_keys (BndServerConfig *config,
            GKeyFile        *file)
{
  g_auto(GStrv) groups = g_key_file_get_groups (file, NULL);

  for (guint i = 0; groups[i]; i++)
    {
      const char * const *known = g_str_equal (groups[i], "server") ? server_keys
                                  : g_str_equal (groups[i], "backup") ? backup_keys
                                  : g_str_equal (groups[i], "mail") ? mail_keys : NULL;
      g_auto(GStrv) keys = NULL;

      if (known == NULL)
        {
          add_problem (config->load_problems,
                       _("The group [%s] is unknown: the configuration has only [server], "
                         "[mail] and [backup]"), groups[i]);
          continue;
        }
      keys = g_key_file_get_keys (file, groups[i], NULL, NULL);
      for (guint k = 0; keys && keys[k]; k++)
        if (!g_strv_contains (known, keys[k]))
          {
            g_autofree char *list = g_strjoinv (", ", (GStrv)known);

            /* Translators: the first %s is a key, the second a group, the third a list of keys */
            add_problem (config->load_problems, _("The key “%s” in [%s] is unknown; correct it "
                                                  "to one of %s"),
                         keys[k], groups[i], list);
          }
    }
}

/**
 * bnd_server_config_load:
 * @path: (nullable): the file to read, or %NULL for the built-in defaults
 *
 * Reads the configuration. Only a file that cannot be read or parsed at all is an error: unknown
 * keys and values of the wrong type are kept as problems for bnd_server_config_check().
 */
BndServerConfig *
bnd_server_config_load (const char  *path,
                        GError     **error)
{
  g_autoptr(BndServerConfig) config = g_new0 (BndServerConfig, 1);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;

  config->listen = g_strdup (BND_SERVER_DEFAULT_LISTEN);
  config->data = g_strdup (BND_SERVER_DEFAULT_DATA);
  config->trusted_proxies = g_new0 (char *, 1);
  config->max_json_body = BND_SERVER_DEFAULT_MAX_JSON_BODY;
  config->max_pdf_body = BND_SERVER_DEFAULT_MAX_PDF_BODY;
  config->max_attachment = BND_MAX_ATTACHMENT;
  config->pdf_check_timeout = BND_SERVER_DEFAULT_PDF_CHECK_TIMEOUT;
  config->pdf_check_memory = BND_SERVER_DEFAULT_PDF_CHECK_MEMORY;
  config->max_connections = BND_SERVER_DEFAULT_MAX_CONNECTIONS;
  config->idle_timeout = BND_SERVER_DEFAULT_IDLE_TIMEOUT;
  config->header_timeout = BND_SERVER_DEFAULT_HEADER_TIMEOUT;
  config->body_timeout = BND_SERVER_DEFAULT_BODY_TIMEOUT;
  config->body_min_rate = BND_SERVER_DEFAULT_BODY_MIN_RATE;
  config->smtp_timeout = BND_SERVER_DEFAULT_SMTP_TIMEOUT;
  config->mail_retry = BND_SERVER_DEFAULT_MAIL_RETRY;
  config->mail_attempts = BND_SERVER_DEFAULT_MAIL_ATTEMPTS;
  config->mail_interval = BND_SERVER_DEFAULT_MAIL_INTERVAL;
  config->backup_directory = g_strdup (BND_SERVER_DEFAULT_BACKUP_DIR);
  config->backup_keep = BND_SERVER_DEFAULT_BACKUP_KEEP;
  config->load_problems = g_ptr_array_new_with_free_func (g_free);

  if (path == NULL)
    return g_steal_pointer (&config);

  config->path = g_strdup (path);
  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &local_error))
    {
      /* Translators: the first %s is a file name, the second the reason */
      g_set_error (error, local_error->domain, local_error->code, _("Cannot read the "
                                                                    "configuration %s: %s"),
                   path, local_error->message);
      return NULL;
    }

  check_keys (config, file);

  read_string (file, "server", "listen", &config->listen);
  read_string (file, "server", "data", &config->data);
  read_string (file, "server", "tls-cert", &config->tls_cert);
  read_string (file, "server", "tls-key", &config->tls_key);
  read_string (file, "server", "public-url", &config->public_url);
  read_string (file, "server", "audit-key", &config->audit_key);
  read_number (config, file, "server", "max-json-body", &config->max_json_body);
  read_number (config, file, "server", "max-pdf-body", &config->max_pdf_body);
  read_number (config, file, "server", "max-attachment", &config->max_attachment);
  read_number (config, file, "server", "pdf-check-timeout", &config->pdf_check_timeout);
  read_number (config, file, "server", "pdf-check-memory", &config->pdf_check_memory);
  read_number (config, file, "server", "max-connections", &config->max_connections);
  read_number (config, file, "server", "idle-timeout", &config->idle_timeout);
  read_number (config, file, "server", "header-timeout", &config->header_timeout);
  read_number (config, file, "server", "body-timeout", &config->body_timeout);
  read_number (config, file, "server", "body-min-rate", &config->body_min_rate);
  read_string (file, "mail", "smtp-url", &config->smtp_url);
  read_string (file, "mail", "smtp-user", &config->smtp_user);
  read_string (file, "mail", "smtp-password", &config->smtp_password);
  read_string (file, "mail", "smtp-password-file", &config->smtp_password_file);
  read_string (file, "mail", "smtp-from", &config->smtp_from);
  read_string (file, "mail", "smtp-ca-file", &config->smtp_ca_file);
  read_number (config, file, "mail", "smtp-timeout", &config->smtp_timeout);
  read_number (config, file, "mail", "retry-seconds", &config->mail_retry);
  read_number (config, file, "mail", "max-attempts", &config->mail_attempts);
  read_number (config, file, "mail", "interval", &config->mail_interval);
  read_string (file, "backup", "directory", &config->backup_directory);
  read_number (config, file, "backup", "keep", &config->backup_keep);

  if (g_key_file_has_key (file, "server", "insecure", NULL))
    {
      g_autoptr(GError) bool_error = NULL;
      gboolean insecure = g_key_file_get_boolean (file, "server", "insecure", &bool_error);

      if (bool_error != NULL)
        add_problem (config->load_problems, "%s", _("insecure in [server] must be true or false"));
      else
        config->insecure = insecure;
    }

  if (g_key_file_has_key (file, "mail", "enabled", NULL))
    {
      g_autoptr(GError) bool_error = NULL;
      gboolean enabled = g_key_file_get_boolean (file, "mail", "enabled", &bool_error);

      if (bool_error != NULL)
        add_problem (config->load_problems, "%s", _("enabled in [mail] must be true or false"));
      else
        config->mail_enabled = enabled;
    }

  if (g_key_file_has_key (file, "server", "trusted-proxies", NULL))
    {
      g_autofree char *value = g_key_file_get_string (file, "server", "trusted-proxies", NULL);
      /* Spaces and commas as well as GKeyFile's semicolons: all three are natural in a list. */
      g_auto(GStrv) proxies = g_strsplit_set (value ? value : "", ";, \t", -1);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      for (guint i = 0; proxies[i]; i++)
        if (*g_strstrip (proxies[i]) != 0)
          g_strv_builder_add (builder, proxies[i]);
      g_strfreev (config->trusted_proxies);
      config->trusted_proxies = g_strv_builder_end (builder);
    }

  return g_steal_pointer (&config);
}

void
bnd_server_config_free (BndServerConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->path);
  g_free (config->listen);
  g_free (config->data);
  g_free (config->tls_cert);
  g_free (config->tls_key);
  g_free (config->public_url);
  g_free (config->audit_key);
  g_strfreev (config->trusted_proxies);
  g_free (config->smtp_url);
  g_free (config->smtp_user);
  g_free (config->smtp_password);
  g_free (config->smtp_password_file);
  g_free (config->smtp_from);
  g_free (config->smtp_ca_file);
  g_free (config->backup_directory);
  g_clear_pointer (&config->load_problems, g_ptr_array_unref);
  g_free (config);
}

/**
 * bnd_server_config_parse_listen:
 * @listen: ADDR:PORT, an IPv6 address in brackets ([::1]:8080)
 * @host: (out) (optional): the address
 * @port: (out) (optional): the port, 0 for any free one
 *
 * Returns: whether @listen is a numeric address with a port
 */
gboolean
bnd_server_config_parse_listen (const char  *listen,
                                char       **host,
                                guint       *port)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *name = NULL;
  const char *colon;
  guint64 number;

  if (listen[0] == '[')
    {
      const char *end = strstr (listen, "]:");

      if (end == NULL)
        return FALSE;
      name = g_strndup (listen + 1, end - listen - 1);
      colon = end + 1;
    }
  else
    {
      if (!(colon = strrchr (listen, ':')))
        return FALSE;
      name = g_strndup (listen, colon - listen);
    }
  if (!(address = g_inet_address_new_from_string (name)) ||
      !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &number, NULL))
    return FALSE;
  /* IPv4 after a bracket or IPv6 without one is ambiguous with the port: refuse both. */
  if ((listen[0] == '[') != (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6))
    return FALSE;
  if (host)
    *host = g_steal_pointer (&name);
  if (port)
    *port = number;
  return TRUE;
}

static void
check_bound (GPtrArray  *problems,
             const char *group,
             const char *key,
             gint64      value)
{
  for (guint i = 0; i < G_N_ELEMENTS (bounds); i++)
    if (g_str_equal (bounds[i].name, key) && (value < bounds[i].min || value > bounds[i].max))
      {
        g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);
        g_autofree char *min = g_strdup_printf ("%" G_GINT64_FORMAT, bounds[i].min);
        g_autofree char *max = g_strdup_printf ("%" G_GINT64_FORMAT, bounds[i].max);

        /* Translators: a key, its group, its value, and the range it must be in */
        add_problem (problems, _("%s in [%s] is %s; set it from %s to %s"),
                     key, group, text, min, max);
      }
}

static gboolean
is_readable_file (const char *path)
{
  return g_file_test (path, G_FILE_TEST_IS_REGULAR) && access (path, R_OK) == 0;
}

/* GLib loads a certificate and an unrelated key without complaint, and the server would only fail
 * at the first handshake; GnuTLS compares the two as it loads them. */
static gboolean
key_matches (const char *cert,
             const char *key)
{
  gnutls_certificate_credentials_t credentials;
  int status;

  if (gnutls_certificate_allocate_credentials (&credentials) < 0)
    return TRUE;
  status = gnutls_certificate_set_x509_key_file (credentials, cert, key, GNUTLS_X509_FMT_PEM);
  gnutls_certificate_free_credentials (credentials);
  return status != GNUTLS_E_CERTIFICATE_KEY_MISMATCH;
}

static void
check_tls (const BndServerConfig *config,
           GPtrArray             *problems)
{
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;

  if (config->tls_cert && !config->tls_key)
    add_problem (problems, "%s", _("tls-cert is set without tls-key: set tls-key to the "
                                   "certificate's private key"));
  if (config->tls_key && !config->tls_cert)
    add_problem (problems, "%s", _("tls-key is set without tls-cert: set tls-cert to the "
                                   "certificate"));
  if (config->tls_cert && !is_readable_file (config->tls_cert))
    /* Translators: %s is a file name */
    add_problem (problems, _("tls-cert: %s is missing or unreadable; give a readable PEM "
                             "certificate"),
                 config->tls_cert);
  if (config->tls_key && !is_readable_file (config->tls_key))
    add_problem (problems, _("tls-key: %s is missing or unreadable; give a readable PEM private "
                             "key"),
                 config->tls_key);
  if (!config->tls_cert || !config->tls_key || !is_readable_file (config->tls_cert) ||
      !is_readable_file (config->tls_key))
    return;

  if (!(certificate = g_tls_certificate_new_from_files (config->tls_cert, config->tls_key, &error)))
    /* Translators: the first two %s are file names, the third the reason */
    add_problem (problems, _("tls-cert %s and tls-key %s do not make a certificate with its key "
                             "(%s); give the certificate and the private key that belongs to it"),
                 config->tls_cert, config->tls_key, error->message);
  else if (!key_matches (config->tls_cert, config->tls_key))
    add_problem (problems, _("tls-key %s is not the private key of the certificate %s; give the "
                             "key that belongs to tls-cert"), config->tls_key, config->tls_cert);
}

static void
check_listen (const BndServerConfig *config,
              GPtrArray             *problems)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *host = NULL;

  if (!bnd_server_config_parse_listen (config->listen, &host, NULL))
    {
      /* Translators: %s is the value of listen */
      add_problem (problems, _("listen is “%s”: give a numeric address and a port from 0 to 65535, "
                               "such as 127.0.0.1:8080 or [::1]:8080"), config->listen);
      return;
    }
  address = g_inet_address_new_from_string (host);
  if (!config->tls_cert && !config->insecure && !g_inet_address_get_is_loopback (address))
    add_problem (problems, _("listen is %s, not loopback, but without TLS: set tls-cert and "
                             "tls-key, or insecure=true (--insecure) when a reverse proxy in front "
                             "of it does TLS"),
                 config->listen);
}

static void
check_data (const BndServerConfig *config,
            GPtrArray             *problems)
{
  g_autofree char *db = g_build_filename (config->data, "server.db", NULL);
  g_autofree char *url = bnd_server_db_read_url (config->data);

  if (!g_file_test (config->data, G_FILE_TEST_IS_DIR))
    /* Translators: both %s are the data directory */
    add_problem (problems, _("data: the directory %s does not exist; run buendnis-server init "
                             "--data %s"),
                 config->data, config->data);
  else if (access (config->data, W_OK | X_OK) != 0)
    add_problem (problems, _("data: the directory %s is not writable for this user; give the "
                             "server's user write access to it"), config->data);
  else if (url == NULL && !g_file_test (db, G_FILE_TEST_IS_REGULAR))
    add_problem (problems, _("data: %s holds no server.db; run buendnis-server init --data %s"),
                 config->data, config->data);
}

static void
check_public_url (const BndServerConfig *config,
                  GPtrArray             *problems)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *shown = NULL;
  gboolean has_control = FALSE;
  const char *scheme;

  if (config->public_url == NULL)
    return;
  /* GUri takes a line break (GKeyFile makes one of "\n"), which would add a line of its own to
   * the sd_notify message that shows the address, and to this very problem report. */
  for (const char *c = config->public_url; *c; c++)
    has_control |= g_ascii_iscntrl (*c) || *c == ' ';
  uri = g_uri_parse (config->public_url, G_URI_FLAGS_NONE, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  if (has_control || uri == NULL ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == 0)
    {
      shown = has_control ? g_strescape (config->public_url, NULL) : g_strdup (config->public_url);
      /* Translators: %s is the value of public-url */
      add_problem (problems, _("public-url is “%s”: give an absolute http or https address, "
                               "such as https://buendnis.example.org"), shown);
    }
}

static void
check_proxies (const BndServerConfig *config,
               GPtrArray             *problems)
{
  for (guint i = 0; config->trusted_proxies[i]; i++)
    {
      const char *proxy = config->trusted_proxies[i];
      g_autoptr(GInetAddressMask) mask = g_inet_address_mask_new_from_string (proxy, NULL);

      if (mask == NULL)
        /* Translators: %s is one entry of trusted-proxies */
        add_problem (problems, _("trusted-proxies: “%s” is not a numeric address; list the "
                                 "proxies' addresses (such as 127.0.0.1 or 10.0.0.0/8), separated "
                                 "by spaces"), proxy);
    }
}

/* A key named but unusable is a problem; no key at all is not (the heads go unsigned). */
static void
check_audit_key (const BndServerConfig *config,
                 GPtrArray             *problems)
{
  const char *path = bnd_server_audit_key_resolve (config->audit_key);
  char *problem = path ? bnd_server_audit_key_problem (path, config->data) : NULL;

  if (problem != NULL)
    g_ptr_array_add (problems, problem);
}

/* Without its helper the server would refuse every attachment with an internal error. */
static void
check_pdf_check (GPtrArray *problems)
{
  const char *helper = bnd_server_pdf_check_get_helper ();

  if (!g_file_test (helper, G_FILE_TEST_IS_REGULAR) || access (helper, X_OK) != 0)
    /* Translators: %s is the path of a program */
    add_problem (problems, _("The PDF check %s is missing or not executable: uploaded PDFs "
                             "cannot be checked; install buendnis-server again"), helper);
}

/**
 * bnd_server_config_mail_address:
 * @from: smtp-from: an address, or a name and an address in angle brackets
 *
 * Returns: (transfer full) (nullable): the address alone, or %NULL when @from has none
 */
char *
bnd_server_config_mail_address (const char *from)
{
  const char *open = from ? strchr (from, '<') : NULL;
  const char *close = open ? strchr (open, '>') : NULL;
  g_autofree char *address = NULL;

  if (from == NULL)
    return NULL;
  if (open != NULL && (close == NULL || close[1] != 0))
    return NULL;
  address = open ? g_strndup (open + 1, close - open - 1) : g_strstrip (g_strdup (from));
  return bnd_mail_address_is_valid (address) ? g_steal_pointer (&address) : NULL;
}

/* Only when e-mail is on: then the mail server and the sender must be usable. */
static void
check_mail (const BndServerConfig *config,
            GPtrArray             *problems)
{
  g_autofree char *from = NULL;

  if (!config->mail_enabled)
    return;
  if (config->smtp_url == NULL ||
      (!g_str_has_prefix (config->smtp_url, "smtp://") && !g_str_has_prefix (config->smtp_url, "smtps://")) ||
      !g_uri_is_valid (config->smtp_url, G_URI_FLAGS_NONE, NULL))
    add_problem (problems, "%s", _("smtp-url in [mail] must be the mail server's address, such as "
                                   "smtp://mail.example.org:587 (STARTTLS) or smtps://mail.example.org"));
  if (!(from = bnd_server_config_mail_address (config->smtp_from)))
    add_problem (problems, "%s", _("smtp-from in [mail] must be the sender's address, such as "
                                   "Bündnis <buendnis@example.org>"));
  if (config->smtp_password && config->smtp_password_file)
    add_problem (problems, "%s", _("smtp-password and smtp-password-file in [mail] are both set; "
                                   "keep one"));
  if (config->smtp_password_file && !is_readable_file (config->smtp_password_file))
    /* Translators: %s is a file name */
    add_problem (problems, _("smtp-password-file in [mail]: %s is missing or unreadable"),
                 config->smtp_password_file);
  if (config->smtp_ca_file && !is_readable_file (config->smtp_ca_file))
    add_problem (problems, _("smtp-ca-file in [mail]: %s is missing or unreadable; give a readable "
                             "PEM file of certificates"), config->smtp_ca_file);
  check_bound (problems, "mail", "smtp-timeout", config->smtp_timeout);
  check_bound (problems, "mail", "retry-seconds", config->mail_retry);
  check_bound (problems, "mail", "max-attempts", config->mail_attempts);
  check_bound (problems, "mail", "interval", config->mail_interval);
}

static void
check_backup (const BndServerConfig *config,
              GPtrArray             *problems)
{
  if (!g_path_is_absolute (config->backup_directory))
    /* Translators: %s is a directory */
    add_problem (problems, _("directory in [backup] is “%s”: give an absolute path"),
                 config->backup_directory);
  else if (g_file_test (config->backup_directory, G_FILE_TEST_EXISTS) &&
           (!g_file_test (config->backup_directory, G_FILE_TEST_IS_DIR) ||
            access (config->backup_directory, W_OK | X_OK) != 0))
    add_problem (problems, _("directory in [backup]: %s is not a writable directory; give the "
                             "server's user write access to it"), config->backup_directory);
}

/**
 * bnd_server_config_check_backup:
 *
 * What bnd_server_config_check() finds wrong in the file and in [backup]: for `backup`, which
 * neither listens nor needs the TLS files, but must not prune by a number it misread.
 *
 * Returns: (transfer full) (element-type utf8): one translated sentence per problem
 */
GPtrArray *
bnd_server_config_check_backup (const BndServerConfig *config)
{
  GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < config->load_problems->len; i++)
    g_ptr_array_add (problems, g_strdup (g_ptr_array_index (config->load_problems, i)));
  check_backup (config, problems);
  check_bound (problems, "backup", "keep", config->backup_keep);
  return problems;
}

/**
 * bnd_server_config_check:
 *
 * Returns: (transfer full) (element-type utf8): one translated sentence per problem, empty when
 *   the configuration is fine
 */
GPtrArray *
bnd_server_config_check (const BndServerConfig *config)
{
  GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < config->load_problems->len; i++)
    g_ptr_array_add (problems, g_strdup (g_ptr_array_index (config->load_problems, i)));

  check_listen (config, problems);
  check_tls (config, problems);
  check_data (config, problems);
  check_public_url (config, problems);
  check_proxies (config, problems);
  check_audit_key (config, problems);
  check_bound (problems, "server", "max-json-body", config->max_json_body);
  check_bound (problems, "server", "max-pdf-body", config->max_pdf_body);
  check_bound (problems, "server", "max-attachment", config->max_attachment);
  check_bound (problems, "server", "pdf-check-timeout", config->pdf_check_timeout);
  check_bound (problems, "server", "pdf-check-memory", config->pdf_check_memory);
  check_pdf_check (problems);
  check_bound (problems, "server", "max-connections", config->max_connections);
  check_bound (problems, "server", "idle-timeout", config->idle_timeout);
  check_bound (problems, "server", "header-timeout", config->header_timeout);
  check_bound (problems, "server", "body-timeout", config->body_timeout);
  check_bound (problems, "server", "body-min-rate", config->body_min_rate);
  check_mail (config, problems);
  check_backup (config, problems);
  check_bound (problems, "backup", "keep", config->backup_keep);
  return problems;
}
