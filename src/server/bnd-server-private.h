/* bnd-server-private.h: what the files of the HTTP API share
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bnd-server.h"
#include "bnd-server-audit-key.h"
#include "bnd-server-listener.h"
#include "bnd-server-login-queue.h"
#include "bnd-server-mailer.h"
#include "bnd-server-pdf-check.h"

G_BEGIN_DECLS

struct _BndServer
{
  GObject          parent_instance;

  SoupServer      *soup;
  BndServerListener *listener;
  BndServerDb     *db;
  GThreadPool     *workers;         /* (nullable): on PostgreSQL, the threads of its database work */
  GAsyncQueue     *idle_dbs;        /* and their connections (bnd-server-worker.c) */
  GThreadPool     *aside;           /* (nullable): the health check's thread */
  BndServerDb     *aside_db;        /* (nullable): and its connection */
  gboolean         health_asked;    /* a health check waits for the database (main context) */
  gboolean         expiring;        /* the expiry's run is under way (main context) */
  BndServerDb     *mail_db;         /* (nullable): a tenant's mailer's connection, opened with it */
  BndStrategy     *strategy;
  BndLoginQueue   *logins;          /* the password checks, waiting and running */
  guint            expire_id;       /* the cleanup timer */
  BndServerPdfCheck *pdf_check;     /* uploaded PDFs, checked out of process */
  BndMailer       *mailer;          /* (nullable): the outbox's sender, when e-mail is on */
  GString         *access_log;      /* lines not written yet (log_request()) */
  guint            access_log_flush_id;

  /* Several alliances (bnd-server-tenants.c). The service's server answers for its first
   * alliance at /api/v1 and hands /a/SLUG/… to the server of alliance SLUG, opened on its first
   * request; such a tenant shares the front's listener, sign-in queue, PDF checker and limits. */
  BndServer       *front;           /* (nullable) (unowned): for a tenant, the service's server */
  int              tenant_lock;     /* a tenant's server.lock, held shared; it owns its db too */
  GHashTable      *tenants;         /* (nullable): slug → Tenant, on the front */
  char            *data;            /* the service's data folder, when it serves alliances */
  const BndServerConfig *config;    /* (unowned): for the tenants' mailers */
  guchar           audit_key[BND_AUDIT_KEY_BYTES];
  gboolean         has_audit_key;

  /* From the configuration */
  gint64           max_json_body;
  gint64           max_pdf_body;
  gint64           max_attachment;
  GPtrArray       *trusted_proxies; /* GInetAddressMask */
};

/* bnd-server.c: answers, request bodies, the client */
void        _bnd_server_send_json      (SoupServerMessage  *msg,
                                        guint               status,
                                        JsonNode           *node);
void        _bnd_server_send_file      (BndServer          *self,
                                        SoupServerMessage  *msg,
                                        BndServerFile      *file);
void        _bnd_server_send_error     (SoupServerMessage  *msg,
                                        const GError       *error);
void        _bnd_server_refuse         (SoupServerMessage  *msg,
                                        BndServerError      code,
                                        const char         *msgid,
                                        ...) G_GNUC_NULL_TERMINATED;
void        _bnd_server_fail           (SoupServerMessage  *msg,
                                        BndServerError      code,
                                        const char         *format,
                                        ...) G_GNUC_PRINTF (3, 4);
JsonNode   *_bnd_server_record_to_json (const BndRecord    *record,
                                        gboolean            with_data);
JsonNode   *_bnd_server_dossier_to_json (BndServer         *self,
                                        const BndUser      *user,
                                        const BndRecord    *record);
/* What the access log reads from each message (object data under these quarks): the user's
 * name, and for a sign-in the count of password checks served before it plus one. */
GQuark      _bnd_server_user_quark         (void);
GQuark      _bnd_server_checks_ahead_quark (void);

const char *_bnd_server_client_address (BndServer          *self,
                                        SoupServerMessage  *msg);
JsonObject *_bnd_server_parse_body     (SoupServerMessage  *msg,
                                        JsonNode          **root);
const char *_bnd_server_string_member  (JsonObject         *object,
                                        const char         *name);

/* bnd-server.c: the API of one alliance, at @path below its prefix; and the expiry timer */
void        _bnd_server_handle_api     (BndServer         *self,
                                        SoupServerMessage *msg,
                                        const char        *path,
                                        GHashTable        *query);
void        _bnd_server_start_expiry   (BndServer         *self);

/* bnd-server-worker.c: the database work of requests, off the main context on PostgreSQL */
typedef void (*BndServerWork) (BndServer         *self,
                               SoupServerMessage *msg,
                               gpointer           data);

void         _bnd_server_run           (BndServer         *self,
                                        SoupServerMessage *msg,
                                        BndServerWork      work,
                                        BndServerWork      then,
                                        gpointer           data,
                                        GDestroyNotify     destroy);
void         _bnd_server_run_aside     (BndServer         *self,
                                        SoupServerMessage *msg,
                                        BndServerWork      work,
                                        BndServerWork      then,
                                        gpointer           data,
                                        GDestroyNotify     destroy);
void         _bnd_server_then          (BndServer         *self,
                                        SoupServerMessage *msg,
                                        BndServerWork      then,
                                        gpointer           data,
                                        GDestroyNotify     destroy);
void         _bnd_server_resume        (BndServer         *self,
                                        SoupServerMessage *msg,
                                        gpointer           data);
BndServerDb *_bnd_server_db            (BndServer         *self);
void         _bnd_server_workers_start (BndServer         *self);
void         _bnd_server_workers_stop  (BndServer         *self);

/* bnd-server-tenants.c: /a/SLUG/…, GET /strategy */
BndServer  *_bnd_server_for_path       (BndServer         *self,
                                        const char        *path,
                                        const char       **rest,
                                        gboolean          *opening);
void        _bnd_server_handle_alliance (SoupServer       *server,
                                        SoupServerMessage *msg,
                                        const char        *path,
                                        GHashTable        *query,
                                        gpointer           user_data);
void        _bnd_server_handle_strategy (BndServer        *self,
                                        SoupServerMessage *msg);
void        _bnd_server_tenants_free   (BndServer         *self);

/* bnd-server-auth.c: POST /login and /logout, GET and PATCH /me */
void _bnd_server_handle_login  (BndServer         *self,
                                SoupServerMessage *msg);
void _bnd_server_handle_logout (BndServer         *self,
                                SoupServerMessage *msg,
                                const BndUser     *user);
void _bnd_server_handle_me     (BndServer         *self,
                                SoupServerMessage *msg,
                                const BndUser     *user);
void _bnd_server_handle_patch_me (BndServer       *self,
                                SoupServerMessage *msg,
                                const BndUser     *user);
BndLoginQueue *_bnd_server_login_queue_new (BndServer *self);

/* bnd-server-sync.c: GET /changes, /sketches/UUID[/submit | /pdf] */
void _bnd_server_handle_changes    (BndServer         *self,
                                    SoupServerMessage *msg,
                                    const BndUser     *user,
                                    GHashTable        *query);
void _bnd_server_handle_get_sketch (BndServer         *self,
                                    SoupServerMessage *msg,
                                    const BndUser     *user,
                                    const char        *uuid);
void _bnd_server_handle_put_sketch (BndServer         *self,
                                    SoupServerMessage *msg,
                                    const BndUser     *user,
                                    const char        *uuid);
void _bnd_server_handle_submit     (BndServer         *self,
                                    SoupServerMessage *msg,
                                    const BndUser     *user,
                                    const char        *uuid);
void _bnd_server_handle_get_pdf    (BndServer         *self,
                                    SoupServerMessage *msg,
                                    const BndUser     *user,
                                    const char        *uuid);

/* bnd-server-review.c: /dossiers/UUID/… */
void _bnd_server_handle_get_vote         (BndServer         *self,
                                          SoupServerMessage *msg,
                                          const BndUser     *user,
                                          const char        *uuid);
void _bnd_server_handle_cast_vote        (BndServer         *self,
                                          SoupServerMessage *msg,
                                          const BndUser     *user,
                                          const char        *uuid);
void _bnd_server_handle_add_attachment   (BndServer         *self,
                                          SoupServerMessage *msg,
                                          const BndUser     *user,
                                          const char        *uuid,
                                          GHashTable        *query);
void _bnd_server_handle_list_attachments (BndServer         *self,
                                          SoupServerMessage *msg,
                                          const BndUser     *user,
                                          const char        *uuid);
void _bnd_server_handle_get_attachment   (BndServer         *self,
                                          SoupServerMessage *msg,
                                          const BndUser     *user,
                                          const char        *uuid,
                                          const char        *id_text);
void _bnd_server_handle_get_ratings      (BndServer         *self,
                                          SoupServerMessage *msg,
                                          const BndUser     *user,
                                          const char        *uuid);
void _bnd_server_handle_rate             (BndServer         *self,
                                          SoupServerMessage *msg,
                                          const BndUser     *user,
                                          const char        *uuid);
void _bnd_server_handle_recuse           (BndServer         *self,
                                          SoupServerMessage *msg,
                                          const BndUser     *user,
                                          const char        *uuid);
void _bnd_server_handle_statement        (BndServer         *self,
                                          SoupServerMessage *msg,
                                          const BndUser     *user,
                                          const char        *uuid,
                                          gboolean           issue);
void _bnd_server_handle_assessment       (BndServer         *self,
                                          SoupServerMessage *msg,
                                          const BndUser     *user,
                                          const char        *uuid,
                                          gboolean           record);
void _bnd_server_handle_comments         (BndServer         *self,
                                          SoupServerMessage *msg,
                                          const BndUser     *user,
                                          const char        *uuid,
                                          gboolean           post);
void _bnd_server_handle_audit            (BndServer         *self,
                                          SoupServerMessage *msg,
                                          const BndUser     *user,
                                          const char        *uuid);

/* bnd-server-steps.c: /dossiers/UUID[/steps[/STEP] | /stage | /consultation | /submissions[/N]],
 * and the steps of the older calls */
void _bnd_server_handle_dossier          (BndServer         *self,
                                          SoupServerMessage *msg,
                                          const BndUser     *user,
                                          const char        *uuid);
void _bnd_server_handle_steps            (BndServer         *self,
                                          SoupServerMessage *msg,
                                          const BndUser     *user,
                                          const char        *uuid);
void _bnd_server_handle_take_step        (BndServer         *self,
                                          SoupServerMessage *msg,
                                          const BndUser     *user,
                                          const char        *uuid,
                                          const char        *name,
                                          GHashTable        *query);
void _bnd_server_handle_move_stage       (BndServer         *self,
                                          SoupServerMessage *msg,
                                          const BndUser     *user,
                                          const char        *uuid);
void _bnd_server_handle_record_assessment (BndServer        *self,
                                          SoupServerMessage *msg,
                                          const BndUser     *user,
                                          const char        *uuid);
void _bnd_server_handle_issue_statement  (BndServer         *self,
                                          SoupServerMessage *msg,
                                          const BndUser     *user,
                                          const char        *uuid);
void _bnd_server_handle_open_vote        (BndServer         *self,
                                          SoupServerMessage *msg,
                                          const BndUser     *user,
                                          const char        *uuid);
void _bnd_server_handle_consultation     (BndServer         *self,
                                          SoupServerMessage *msg,
                                          const BndUser     *user,
                                          const char        *uuid,
                                          gboolean           record);
void _bnd_server_handle_submissions      (BndServer         *self,
                                          SoupServerMessage *msg,
                                          const BndUser     *user,
                                          const char        *uuid);
void _bnd_server_handle_submission       (BndServer         *self,
                                          SoupServerMessage *msg,
                                          const BndUser     *user,
                                          const char        *uuid,
                                          const char        *which,
                                          GHashTable        *query);

/* bnd-server-sessions.c: /sessions[/UUID[/items[/DOSSIER] | /held]] */
void _bnd_server_handle_sessions         (BndServer          *self,
                                          SoupServerMessage  *msg,
                                          const BndUser      *user,
                                          const char * const *parts);

G_END_DECLS
