/* bnd-server-throttle.h
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bnd-server-db.h"

G_BEGIN_DECLS

/* The order in which waiting password checks run (bnd-server-login-queue.c): all of a better
 * class before any of a worse one. */
typedef enum
{
  BND_LOGIN_CLASS_CLEAN,     /* no recent failure from the address, or its account's own address */
  BND_LOGIN_CLASS_FAILED,    /* the address failed recently */
  BND_LOGIN_CLASS_SUSPECT,   /* the address failed for this very account, which is under attack */
  BND_N_LOGIN_CLASSES
} BndLoginClass;

/* What the database knows about one typed user name and one address. */
typedef struct
{
  gint64   address_failures;      /* of the address in its current window */
  gint64   address_window_end;
  gint64   address_last_failed;   /* 0: never, or forgotten */
  gint64   pair_failures;         /* of the name from the address */
  gint64   pair_blocked_until;
  gint64   account_failures;      /* of the name from anywhere, in its window */
  gboolean known;                 /* the account signed in from the address before */
} BndThrottleState;

char     *bnd_throttle_normalize_user       (const char             *typed);
char     *bnd_throttle_address_bucket       (const char             *address);
gint64    bnd_throttle_decide               (const BndThrottleState *state,
                                             gint64                  now,
                                             guint                   in_flight,
                                             BndLoginClass          *klass);
gboolean  bnd_server_db_throttle_read       (BndServerDb            *db,
                                             const char             *user,
                                             const char             *address,
                                             gint64                  now,
                                             BndThrottleState       *state,
                                             GError                **error);
gboolean  bnd_server_db_login_failed        (BndServerDb            *db,
                                             const char             *user,
                                             const char             *address,
                                             const BndRole          *role,
                                             gint64                  now,
                                             GError                **error);
char     *bnd_server_db_login_succeeded     (BndServerDb            *db,
                                             const char             *user,
                                             const char             *address,
                                             BndRole                 role,
                                             gint64                  now,
                                             GError                **error);
gboolean  bnd_server_db_throttle_expire     (BndServerDb            *db,
                                             gint64                  now,
                                             GError                **error);

G_END_DECLS
