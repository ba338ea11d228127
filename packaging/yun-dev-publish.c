/* yun-dev-publish.c: `yun-dev publish`, a package into a yun-cloud store.
 *
 * Signs in as the developer (POST <cloud>/accounts/session, the password
 * sent once), then PUTs the zip to <cloud>/api/store/apps/ID/package with
 * the bearer token.  The store checks the package as the phone does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-dev-publish.h"

#include <libsoup/soup.h>

#include "yun-json.h"

#define MAX_ANSWER (64 * 1024)

/* Sends @message and returns its body as text, or %NULL with @error set
 * (with the server's own reason when it refused). */
static char *
send (SoupSession  *session,
      SoupMessage  *message,
      GError      **error)
{
  g_autoptr(GBytes) body = soup_session_send_and_read (session, message, NULL, error);
  g_autoptr(JsonNode) root = NULL;
  guint status = soup_message_get_status (message);
  gsize length;
  const char *data;

  if (body == NULL)
    return NULL;
  data = g_bytes_get_data (body, &length);
  if (length > MAX_ANSWER) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the cloud's answer is too long");
    return NULL;
  }
  if (!SOUP_STATUS_IS_SUCCESSFUL (status)) {
    const char *reason = NULL;

    root = yun_json_parse_bounded (data, length, MAX_ANSWER, 8, NULL);
    if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
      reason = json_object_get_string_member_with_default (json_node_get_object (root), "reason",
                                                           NULL);
    g_set_error (error, G_IO_ERROR,
                 status == SOUP_STATUS_UNAUTHORIZED ? G_IO_ERROR_PERMISSION_DENIED
                                                    : G_IO_ERROR_FAILED,
                 "the cloud answered %u %s: %s", status,
                 soup_message_get_reason_phrase (message),
                 reason != NULL ? reason : "no reason given");
    return NULL;
  }
  return g_strndup (data, length);
}

static char *
sign_in (SoupSession  *session,
         const char   *cloud_url,
         const char   *user,
         const char   *password,
         GError      **error)
{
  g_autofree char *url = g_strconcat (cloud_url, "accounts/session", NULL);
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_POST, url);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *token = NULL;

  if (message == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s is not a URL", url);
    return NULL;
  }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, user);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  request = json_builder_get_root (builder);
  body = json_to_string (request, FALSE);
  bytes = g_bytes_new (body, strlen (body));
  soup_message_set_request_body_from_bytes (message, "application/json", bytes);

  text = send (session, message, error);
  if (text == NULL)
    return NULL;
  root = yun_json_parse_bounded (text, strlen (text), MAX_ANSWER, 8, error);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    token = json_object_get_string_member_with_default (json_node_get_object (root), "token", NULL);
  if (token == NULL) {
    g_clear_error (error);
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the cloud gave no token");
    return NULL;
  }
  return g_strdup (token);
}

/**
 * yun_dev_publish:
 * @zip: a valid package
 * @id: the app's id in the store
 * @version: (nullable): the version to show
 * @cloud_url: yun-cloud's base URL, ending in a slash
 * @user: the developer's account
 * @password: its password
 * @answer: (out): the store's answer, JSON
 * @error: return location for an error
 *
 * Returns: %TRUE when the store took the package
 */
gboolean
yun_dev_publish (GBytes      *zip,
                 const char  *id,
                 const char  *version,
                 const char  *cloud_url,
                 const char  *user,
                 const char  *password,
                 char       **answer,
                 GError     **error)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *token = sign_in (session, cloud_url, user, password, error);
  g_autofree char *escaped = NULL;
  g_autofree char *url = NULL;
  g_autofree char *bearer = NULL;
  g_autoptr(SoupMessage) message = NULL;

  if (token == NULL)
    return FALSE;
  escaped = version != NULL ? g_uri_escape_string (version, NULL, FALSE) : NULL;
  url = g_strdup_printf ("%sapi/store/apps/%s/package%s%s", cloud_url, id,
                         escaped != NULL ? "?version=" : "", escaped != NULL ? escaped : "");
  message = soup_message_new (SOUP_METHOD_PUT, url);
  if (message == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s is not a URL", url);
    return FALSE;
  }
  bearer = g_strconcat ("Bearer ", token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                bearer);
  soup_message_set_request_body_from_bytes (message, "application/zip", zip);
  *answer = send (session, message, error);
  return *answer != NULL;
}
