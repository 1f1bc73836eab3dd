/* bnd-keyring.c: the sign-in token in the desktop keyring, through libsecret loaded at first use
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-keyring"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "bnd-keyring.h"
#include "bnd-module.h"

/* The app and buendnis-cli keep a profile's token in the Secret Service under the same schema,
 * keyed by the server's address and the profile's path, so that either finds what the other
 * stored.
 *
 * libsecret is loaded with the first keyring call rather than linked: linked, it maps and
 * relocates itself and libgcrypt at every start of the app (whose first frame needs no token:
 * the lookup comes after) and of every buendnis-cli command. The soname is Debian 12's
 * (libsecret-1-0).
 *
 * The sanitizer build links it and calls it directly (BND_SECRET_LINKED, see src/core/meson.build),
 * as it does libsoup: with them loaded late, clang 14's LeakSanitizer sometimes crashed when it
 * stopped the world at the exit of buendnis-cli's syncs. */
#define SECRET_SONAME "libsecret-1.so.0"

#define SECRET_FUNCTIONS(X) \
  X (secret_password_storev_sync) \
  X (secret_password_lookupv_sync) \
  X (secret_password_clearv_sync) \
  X (secret_password_storev) \
  X (secret_password_lookupv) \
  X (secret_password_lookup_finish) \
  X (secret_password_clearv)

#define SECRET_SLOT(name) __typeof__ (name) *p_##name;
static struct
{
  SECRET_FUNCTIONS (SECRET_SLOT)
} secret;
#undef SECRET_SLOT

#ifdef BND_SECRET_LINKED
#define SECRET_LINKED(name) secret.p_##name = name;
static const char *
ensure_secret_module (void)
{
  static gsize filled = 0;

  if (g_once_init_enter (&filled))
    {
      SECRET_FUNCTIONS (SECRET_LINKED)
      g_once_init_leave (&filled, 1);
    }
  return NULL;
}
#undef SECRET_LINKED
#else
#define SECRET_SYMBOL(name) { #name, (gpointer *)&secret.p_##name },
static const BndModuleSymbol secret_symbols[] = { SECRET_FUNCTIONS (SECRET_SYMBOL) };
#undef SECRET_SYMBOL

static BndModule secret_module = { SECRET_SONAME, secret_symbols, G_N_ELEMENTS (secret_symbols) };

static const char *
ensure_secret_module (void)
{
  return bnd_module_ensure (&secret_module);
}
#endif

static const SecretSchema token_schema = {
  "de.fachkraefteallianz_non.Buendnis.Token", SECRET_SCHEMA_NONE,
  {
    { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "profile", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

#define TOKEN_LABEL "Bündnis"

static gboolean
ensure_secret (GError **error)
{
  const char *why = ensure_secret_module ();

  if (why != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("The keyring cannot be used: %s"), why);
      return FALSE;
    }
  return TRUE;
}

/* The attributes that find a profile's token. The values are copies: libsecret's asynchronous
 * calls keep the table, and a caller may free its strings at once (signing out does). */
static GHashTable *
token_attributes (const char *server,
                  const char *profile)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, (gpointer)"server", g_strdup (server));
  g_hash_table_insert (attributes, (gpointer)"profile", g_strdup (profile));
  return attributes;
}

/**
 * bnd_keyring_store_sync:
 * @server: the server's address the token is for
 * @profile: the profile's path
 *
 * Keeps @token in the keyring, replacing what was there for @server and @profile. Blocks.
 */
gboolean
bnd_keyring_store_sync (const char  *server,
                        const char  *profile,
                        const char  *token,
                        GError     **error)
{
  g_autoptr(GHashTable) attributes = NULL;

  if (!ensure_secret (error))
    return FALSE;
  attributes = token_attributes (server, profile);
  return secret.p_secret_password_storev_sync (&token_schema, attributes, SECRET_COLLECTION_DEFAULT,
                                               TOKEN_LABEL, token, NULL, error);
}

/**
 * bnd_keyring_lookup_sync:
 *
 * Blocks.
 *
 * Returns: (transfer full) (nullable): the token, or %NULL: with @error set if the keyring
 *   failed, without if it holds none
 */
char *
bnd_keyring_lookup_sync (const char  *server,
                         const char  *profile,
                         GError     **error)
{
  g_autoptr(GHashTable) attributes = NULL;

  if (!ensure_secret (error))
    return NULL;
  attributes = token_attributes (server, profile);
  return secret.p_secret_password_lookupv_sync (&token_schema, attributes, NULL, error);
}

/**
 * bnd_keyring_clear_sync:
 *
 * Forgets the token for @server and @profile, if the keyring can. Blocks.
 */
void
bnd_keyring_clear_sync (const char *server,
                        const char *profile)
{
  g_autoptr(GHashTable) attributes = NULL;

  if (!ensure_secret (NULL))
    return;
  attributes = token_attributes (server, profile);
  secret.p_secret_password_clearv_sync (&token_schema, attributes, NULL, NULL);
}

/**
 * bnd_keyring_store:
 *
 * Keeps @token in the keyring in the background, if it can; without a keyring the caller keeps
 * the token in memory for this session only.
 */
void
bnd_keyring_store (const char *server,
                   const char *profile,
                   const char *token)
{
  g_autoptr(GHashTable) attributes = NULL;

  if (!ensure_secret (NULL))
    return;
  attributes = token_attributes (server, profile);
  secret.p_secret_password_storev (&token_schema, attributes, SECRET_COLLECTION_DEFAULT, TOKEN_LABEL, token,
                                   NULL, NULL, NULL);
}

/**
 * bnd_keyring_lookup:
 *
 * Looks the token up in the background; @callback gets it from bnd_keyring_lookup_finish().
 */
void
bnd_keyring_lookup (const char          *server,
                    const char          *profile,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GError *error = NULL;

  if (!ensure_secret (&error))
    {
      g_autoptr(GTask) task = g_task_new (NULL, NULL, callback, user_data);

      g_task_set_source_tag (task, bnd_keyring_lookup);
      g_task_return_error (task, error);
      return;
    }
  attributes = token_attributes (server, profile);
  secret.p_secret_password_lookupv (&token_schema, attributes, NULL, callback, user_data);
}

/**
 * bnd_keyring_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the token, or %NULL: with @error set if the keyring
 *   failed, without if it holds none
 */
char *
bnd_keyring_lookup_finish (GAsyncResult  *result,
                           GError       **error)
{
  if (G_IS_TASK (result) && g_task_get_source_tag (G_TASK (result)) == bnd_keyring_lookup)
    return g_task_propagate_pointer (G_TASK (result), error);
  return secret.p_secret_password_lookup_finish (result, error);
}

/**
 * bnd_keyring_clear:
 *
 * Forgets the token for @server and @profile in the background, if the keyring can.
 */
void
bnd_keyring_clear (const char *server,
                   const char *profile)
{
  g_autoptr(GHashTable) attributes = NULL;

  if (!ensure_secret (NULL))
    return;
  attributes = token_attributes (server, profile);
  secret.p_secret_password_clearv (&token_schema, attributes, NULL, NULL, NULL);
}
