/* yun-cloud-portal.c: the web portal /my, where users browse their data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "yun-cloud-portal.h"

#include "yun-cloud-job.h"
#include "yun-cloud-portal-resources.h"

#include <string.h>

/*
 * The portal is a handful of static files (cloud/portal/) compiled into
 * the program as a GResource, so that it needs no folder at run time and
 * cannot be served out of date.  The page itself does everything else
 * through the accounts and sync APIs of the same origin: it signs in with
 * `POST /accounts/session` and reads `/sync/<db>/` with the bearer token.
 *
 * Only the names the resource holds are served, looked up as a single
 * path segment; nothing on disk is ever opened.
 */

#define RESOURCE_PREFIX "/org/yun/cloud/portal/"

static const char *
content_type_of (const char *name)
{
  if (g_str_has_suffix (name, ".html"))
    return "text/html; charset=utf-8";
  if (g_str_has_suffix (name, ".js"))
    return "text/javascript; charset=utf-8";
  if (g_str_has_suffix (name, ".css"))
    return "text/css; charset=utf-8";
  return "application/octet-stream";
}

static gboolean
is_file_name (const char *name)
{
  if (*name == '\0' || *name == '.' || strlen (name) > 64)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '.' && *p != '-')
      return FALSE;
  return TRUE;
}

/**
 * yun_cloud_portal_handle:
 * @msg: a request for %YUN_CLOUD_PORTAL_PATH or below it
 * @path: its path, not decoded
 *
 * Answers a request for the portal's files: `/my` is sent to `/my/`,
 * which is the page, and `/my/<file>` is one of its scripts or styles.
 */
void
yun_cloud_portal_handle (SoupServerMessage *msg,
                         const char        *path)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(GBytes) data = NULL;
  g_autofree char *resource_path = NULL;
  const char *rest;
  const char *name;

  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));
  g_return_if_fail (g_str_has_prefix (path, YUN_CLOUD_PORTAL_PATH));

  rest = path + strlen (YUN_CLOUD_PORTAL_PATH);

  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD) {
    soup_message_headers_replace (headers, "Allow", "GET, HEAD");
    yun_cloud_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                             "The portal's files are only read");
    return;
  }

  if (*rest == '\0') {
    soup_server_message_set_redirect (msg, SOUP_STATUS_MOVED_PERMANENTLY,
                                      YUN_CLOUD_PORTAL_PATH "/");
    return;
  }

  name = rest[1] == '\0' ? "index.html" : rest + 1;
  if (rest[0] != '/' || !is_file_name (name)) {
    yun_cloud_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such file");
    return;
  }

  resource_path = g_strconcat (RESOURCE_PREFIX, name, NULL);
  data = g_resource_lookup_data (yun_cloud_portal_get_resource (), resource_path,
                                 G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (data == NULL) {
    yun_cloud_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such file");
    return;
  }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (headers, "Content-Type", content_type_of (name));
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "X-Frame-Options", "DENY");
  /* The page talks only to its own origin and shows pictures it fetched
   * as blobs. */
  soup_message_headers_replace (headers, "Content-Security-Policy",
                                "default-src 'self'; img-src 'self' blob:; "
                                "object-src 'none'; base-uri 'none'; frame-ancestors 'none'");

  if (method == SOUP_METHOD_HEAD)
    soup_message_headers_set_content_length (headers, g_bytes_get_size (data));
  else if (g_bytes_get_size (data) > 0)
    soup_message_body_append_bytes (soup_server_message_get_response_body (msg), data);
}
