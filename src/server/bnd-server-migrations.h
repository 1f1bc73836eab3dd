/* bnd-server-migrations.h: the server database's schema versions
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <libpq-fe.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define BND_SERVER_SCHEMA_ERROR (bnd_server_schema_error_quark ())

typedef enum
{
  BND_SERVER_SCHEMA_ERROR_OLDER,     /* needs `buendnis-server migrate` */
  BND_SERVER_SCHEMA_ERROR_NEWER,     /* made by a newer buendnis-server */
  BND_SERVER_SCHEMA_ERROR_FAILED,    /* a step failed and was rolled back */
} BndServerSchemaError;

GQuark   bnd_server_schema_error_quark (void);
int      bnd_server_schema_latest      (void);
gboolean bnd_server_schema_get_version (sqlite3     *db,
                                        int         *version,
                                        GError     **error);
gboolean bnd_server_schema_check       (sqlite3     *db,
                                        const char  *directory,
                                        GError     **error);
gboolean bnd_server_schema_check_version (const char *directory,
                                        int          version,
                                        GError     **error);
gboolean bnd_server_schema_migrate     (sqlite3     *db,
                                        const char  *directory,
                                        int         *from,
                                        int         *to,
                                        GError     **error);
gboolean bnd_server_schema_find_foreign (sqlite3     *db,
                                         char       **name,
                                         GError     **error);

/* bnd-server-migrations-pg.c */
gboolean bnd_server_pg_schema_get_version (PGconn     *conn,
                                           int        *version,
                                           GError    **error);
gboolean bnd_server_pg_schema_migrate     (PGconn     *conn,
                                           const char *where,
                                           int        *from,
                                           int        *to,
                                           GError    **error);

G_END_DECLS
