/* bnd-server-proxy.c: which client a request comes from, behind trusted reverse proxies
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-proxy"

#include "config.h"

#include <string.h>

#include "bnd-server-proxy.h"

/* An IPv4 peer of a socket that also takes IPv6 shows up as ::ffff:a.b.c.d; one address should
 * have one spelling in the proxy list, the throttling table and the log. */
static GInetAddress *
unmap_address (GInetAddress *address)
{
  const guint8 *bytes = g_inet_address_to_bytes (address);
  static const guint8 mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6 &&
      memcmp (bytes, mapped, sizeof mapped) == 0)
    return g_inet_address_new_from_bytes (bytes + 12, G_SOCKET_FAMILY_IPV4);
  return g_object_ref (address);
}

static gboolean
is_trusted_proxy (GPtrArray    *trusted_proxies,
                  GInetAddress *address)
{
  for (guint i = 0; i < trusted_proxies->len; i++)
    {
      GInetAddressMask *mask = g_ptr_array_index (trusted_proxies, i);

      if (g_inet_address_mask_get_family (mask) == g_inet_address_get_family (address) &&
          g_inet_address_mask_matches (mask, address))
        return TRUE;
    }
  return FALSE;
}

/* Behind a reverse proxy the TCP peer is the proxy, and every client would share its sign-in
 * throttle. So when the peer is a trusted proxy, the client is the right-most address of
 * X-Forwarded-For that is not a trusted proxy itself: each proxy appends the address it got the
 * request from, and only the entries our own proxies appended can be believed. From any other
 * peer the header is the client's own word and is ignored. An entry that is not an address
 * stops the walk at the last proxy that was trusted.
 *
 * @trusted_proxies holds #GInetAddressMask. Returns: (transfer full): the client's address
 */
char *
bnd_server_proxy_find_client (GPtrArray         *trusted_proxies,
                              SoupServerMessage *msg)
{
  GSocketAddress *peer = soup_server_message_get_remote_address (msg);
  g_autoptr(GInetAddress) client = NULL;
  g_auto(GStrv) hops = NULL;
  const char *header;

  if (!G_IS_INET_SOCKET_ADDRESS (peer))
    {
      const char *host = soup_server_message_get_remote_host (msg);

      return g_strdup (host ? host : "unknown");
    }
  client = unmap_address (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (peer)));
  if (trusted_proxies->len == 0 || !is_trusted_proxy (trusted_proxies, client))
    return g_inet_address_to_string (client);

  header = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                          "X-Forwarded-For");
  hops = g_strsplit (header ? header : "", ",", -1);
  for (guint i = g_strv_length (hops); i > 0; i--)
    {
      g_autoptr(GInetAddress) hop = g_inet_address_new_from_string (g_strstrip (hops[i - 1]));

      if (hop == NULL)
        break;
      g_clear_object (&client);
      client = unmap_address (hop);
      if (!is_trusted_proxy (trusted_proxies, client))
        break;
    }
  return g_inet_address_to_string (client);
}
