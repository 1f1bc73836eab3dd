/* bnd-server-config.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Today's limits are the defaults; the bounds keep a typo from making the server hold a gigabyte
 * per request in memory (SoupServer reads a whole body before a handler sees it). */
#define BND_SERVER_DEFAULT_LISTEN          "127.0.0.1:8080"
#define BND_SERVER_DEFAULT_DATA            "/var/lib/buendnis"
#define BND_SERVER_DEFAULT_BACKUP_DIR      "/var/lib/buendnis/backups"
#define BND_SERVER_DEFAULT_BACKUP_KEEP     14
#define BND_SERVER_DEFAULT_MAX_JSON_BODY   (1024 * 1024)
#define BND_SERVER_DEFAULT_MAX_PDF_BODY    (8 * 1024 * 1024)
/* An uploaded PDF's check in buendnis-pdf-check: parsing a sound 20 MB PDF takes well under a
 * second and some 50 MiB besides the file; these leave room for large honest files. */
#define BND_SERVER_DEFAULT_PDF_CHECK_TIMEOUT 30
#define BND_SERVER_DEFAULT_PDF_CHECK_MEMORY  512
/* Below systemd's default descriptor limit of 1,024 with room to spare; the unit raises that
 * limit to 4,096 anyway. Timeouts in seconds, the minimum rate in bytes per second. */
#define BND_SERVER_DEFAULT_MAX_CONNECTIONS 1000
#define BND_SERVER_DEFAULT_IDLE_TIMEOUT    60
#define BND_SERVER_DEFAULT_HEADER_TIMEOUT  20
#define BND_SERVER_DEFAULT_BODY_TIMEOUT    60
#define BND_SERVER_DEFAULT_BODY_MIN_RATE   1024
/* A mail server that has not taken a message in a minute is not going to; a first retry after a
 * minute, doubled each time, makes ten attempts span some eight hours; reminders are due by the
 * day, so a look a minute is plenty. */
#define BND_SERVER_DEFAULT_SMTP_TIMEOUT    60
#define BND_SERVER_DEFAULT_MAIL_RETRY      60
#define BND_SERVER_DEFAULT_MAIL_ATTEMPTS   10
#define BND_SERVER_DEFAULT_MAIL_INTERVAL   60

typedef struct
{
  char     *path;              /* the file read, or NULL for the built-in defaults */

  /* [server] */
  char     *listen;            /* ADDR:PORT */
  char     *data;
  char     *tls_cert;          /* (nullable) */
  char     *tls_key;           /* (nullable) */
  gboolean  insecure;
  char     *public_url;        /* (nullable) */
  GStrv     trusted_proxies;   /* numeric addresses or networks (ADDR/BITS); never NULL */
  gint64    max_json_body;
  gint64    max_pdf_body;
  gint64    max_attachment;
  gint64    pdf_check_timeout; /* seconds */
  gint64    pdf_check_memory;  /* MiB, on top of the file */
  char     *audit_key;         /* (nullable): as written; see bnd_server_audit_key_resolve() */
  gint64    max_connections;
  gint64    idle_timeout;      /* seconds */
  gint64    header_timeout;    /* seconds */
  gint64    body_timeout;      /* seconds */
  gint64    body_min_rate;     /* bytes per second */

  /* [mail] */
  gboolean  mail_enabled;
  char     *smtp_url;          /* smtp://HOST:PORT, always with STARTTLS; or smtps:// */
  char     *smtp_user;         /* (nullable) */
  char     *smtp_password;     /* (nullable) */
  char     *smtp_password_file; /* (nullable) */
  char     *smtp_from;         /* ADDRESS or NAME <ADDRESS> */
  char     *smtp_ca_file;      /* (nullable): the CAs to trust instead of the system's */
  gint64    smtp_timeout;      /* seconds for one message */
  gint64    mail_retry;        /* seconds before the first retry; doubled after each */
  gint64    mail_attempts;     /* attempts before a message is given up */
  gint64    mail_interval;     /* seconds between the scheduler's looks */

  /* [backup] */
  char     *backup_directory;
  gint64    backup_keep;

  /* What reading the file found already: unknown keys, values of the wrong type. */
  GPtrArray *load_problems;
} BndServerConfig;

const char      *bnd_server_config_default_path (void);
char            *bnd_server_config_mail_address (const char             *from);
BndServerConfig *bnd_server_config_load         (const char             *path,
                                                 GError                **error);
GPtrArray       *bnd_server_config_check        (const BndServerConfig  *config);
GPtrArray       *bnd_server_config_check_backup (const BndServerConfig  *config);
void             bnd_server_config_free         (BndServerConfig        *config);

gboolean         bnd_server_config_parse_listen (const char             *listen,
                                                 char                  **host,
                                                 guint                  *port);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BndServerConfig, bnd_server_config_free)

G_END_DECLS
