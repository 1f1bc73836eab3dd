/* bnd-sync-url.c: which server addresses a password may go to
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-sync-url"

#include "config.h"

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "bnd-sync-url.h"

/**
 * bnd_sync_url_may_carry_password:
 * @url: a server address as the user typed it
 *
 * Whether a password and tokens may go to @url: over https:// to any host, over plain http://
 * only to this computer (localhost, 127.0.0.0/8, ::1). The host is the one libsoup would connect
 * to, parsed with the same flags, so `http://127.0.0.1@example.org/` (user info "127.0.0.1",
 * host example.org) is refused. An address with user info is refused whatever its host: we never
 * use it (the user name is asked for apart), and it exists in such addresses to make one host
 * look like another (`https://buendnis.example.org@elsewhere.example/`). The CLI and the app
 * both ask here.
 *
 * Returns: %TRUE when @url may be used to sign in
 */
gboolean
bnd_sync_url_may_carry_password (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *scheme, *host;

  g_return_val_if_fail (url != NULL, FALSE);

  if (!(uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL)))
    return FALSE;
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0' || g_uri_get_userinfo (uri) != NULL)
    return FALSE;
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (scheme, "http") != 0)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  /* An address literal only: a name is resolved elsewhere, and could point anywhere. */
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}
