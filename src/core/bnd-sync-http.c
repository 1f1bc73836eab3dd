/* bnd-sync-http.c: one request to buendnis-server, through libsoup loaded at first use
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-sync-http"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "bnd-module.h"
#include "bnd-sync-private.h"

/* libsoup is loaded with the first request rather than linked: linked, it maps and relocates
 * itself and what it needs (GSSAPI and Kerberos, brotli, nghttp2, libpsl, libidn2: a dozen
 * libraries) at every start of the app and of every buendnis-cli command, most of which never
 * talk to a server; that was over a millisecond of each (tests/bench/run.sh). The soname is
 * Debian 12's (libsoup-3.0-0); the sync tests fail if it is wrong. The server links libsoup: it
 * is its HTTP server.
 *
 * The sanitizer build links it too and calls it directly (BND_SOUP_LINKED, see
 * src/core/meson.build): loaded late, libsoup made clang 14's LeakSanitizer crash when it stopped
 * the world at the exit of buendnis-cli's sync commands. */
#define SOUP_SONAME "libsoup-3.0.so.0"

/* The few functions used; the macros below keep the calls reading as libsoup's own. */
#define SOUP_FUNCTIONS(X) \
  X (soup_session_get_type) \
  X (soup_session_send_and_read) \
  X (soup_message_new) \
  X (soup_message_get_request_headers) \
  X (soup_message_headers_replace) \
  X (soup_message_set_request_body_from_bytes) \
  X (soup_message_get_status)

#define SOUP_SLOT(name) __typeof__ (name) *p_##name;
static struct
{
  SOUP_FUNCTIONS (SOUP_SLOT)
} soup;
#undef SOUP_SLOT

#ifdef BND_SOUP_LINKED
#define SOUP_LINKED(name) soup.p_##name = name;
static const char *
ensure_soup (void)
{
  static gsize filled = 0;

  if (g_once_init_enter (&filled))
    {
      SOUP_FUNCTIONS (SOUP_LINKED)
      g_once_init_leave (&filled, 1);
    }
  return NULL;
}
#undef SOUP_LINKED
#else
#define SOUP_SYMBOL(name) { #name, (gpointer *)&soup.p_##name },
static const BndModuleSymbol soup_symbols[] = { SOUP_FUNCTIONS (SOUP_SYMBOL) };
#undef SOUP_SYMBOL

static BndModule soup_module = { SOUP_SONAME, soup_symbols, G_N_ELEMENTS (soup_symbols) };

/* Once per process, from any thread (the app syncs on a worker). */
static const char *
ensure_soup (void)
{
  return bnd_module_ensure (&soup_module);
}
#endif

#define soup_session_get_type soup.p_soup_session_get_type
#define soup_session_send_and_read soup.p_soup_session_send_and_read
#define soup_message_new soup.p_soup_message_new
#define soup_message_get_request_headers soup.p_soup_message_get_request_headers
#define soup_message_headers_replace soup.p_soup_message_headers_replace
#define soup_message_set_request_body_from_bytes soup.p_soup_message_set_request_body_from_bytes
#define soup_message_get_status soup.p_soup_message_get_status

/**
 * bnd_sync_session_new:
 *
 * A session for several calls in a row, so that they share one connection.
 *
 * Returns: (transfer full) (nullable): the session, or %NULL if libsoup could not be loaded;
 *   a request through a %NULL session fails with that reason
 */
SoupSession *
bnd_sync_session_new (void)
{
  if (ensure_soup () != NULL)
    return NULL;
  return g_object_new (soup_session_get_type (),
                       "timeout", 30,
                       "user-agent", "Bündnis/" PACKAGE_VERSION,
                       NULL);
}

static char *
api_url (const char *url,
         const char *path)
{
  return g_strconcat (url, g_str_has_suffix (url, "/") ? "" : "/", "api/v1", path, NULL);
}

/* One request; the status in @status, the body as returned. A network failure is OFFLINE. */
GBytes *
_bnd_sync_send_request (BndSyncClient  *client,
                        const char     *method,
                        const char     *path,
                        const char     *content_type,
                        GBytes         *body,
                        GHashTable     *headers,
                        guint          *status,
                        GError        **error)
{
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *why;
  GBytes *answer;

  /* Not OFFLINE: waiting for the network would not help, and what is queued would wait for ever */
  if ((why = ensure_soup ()) != NULL || client->session == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("The server could not be reached: %s"),
                   why ? why : SOUP_SONAME);
      return NULL;
    }

  url = api_url (client->url, path);
  if (!(message = soup_message_new (method, url)))
    {
      g_set_error (error, BND_SYNC_ERROR, BND_SYNC_ERROR_REFUSED, _("“%s” is not a server address"), client->url);
      return NULL;
    }
  if (client->token)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", client->token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", bearer);
    }
  if (headers)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, headers);
      while (g_hash_table_iter_next (&iter, &key, &value))
        soup_message_headers_replace (soup_message_get_request_headers (message), key, value);
    }
  if (body)
    soup_message_set_request_body_from_bytes (message, content_type, body);

  if (!(answer = soup_session_send_and_read (client->session, message, NULL, &local_error)))
    {
      g_set_error (error, BND_SYNC_ERROR, BND_SYNC_ERROR_OFFLINE, _("The server could not be reached: %s"),
                   local_error->message);
      return NULL;
    }
  *status = soup_message_get_status (message);
  return answer;
}
