/* yun-bridge-request.c: one decoded call from a page.
 *
 * The wire format is one JSON object, {"id", "api", "method", "args"}, and
 * nothing else: a member the runtime does not know is an error, so that a
 * page cannot smuggle in fields (an app id, say) that a later version might
 * start to read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-bridge-request.h"

#include "yun-bridge-error.h"
#include "yun-json.h"

#include <string.h>

#define MAX_NAME_LENGTH 32

static const char * const envelope_members[] = { "id", "api", "method", "args", NULL };

/* api and method names are JavaScript identifiers in lower camel case. */
static gboolean
is_valid_name (const char *name)
{
  gsize length = strlen (name);

  if (length == 0 || length > MAX_NAME_LENGTH || !g_ascii_islower (name[0]))
    return FALSE;

  for (gsize i = 1; i < length; i++) {
    if (!g_ascii_isalnum (name[i]))
      return FALSE;
  }

  return TRUE;
}

static gboolean
read_name (JsonObject  *envelope,
           const char  *member,
           char       **out,
           GError     **error)
{
  JsonNode *node = json_object_get_member (envelope, member);

  if (node == NULL) {
    g_set_error (error, YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_DATA,
                 "request.%s: missing", member);
    return FALSE;
  }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING) {
    g_set_error (error, YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_DATA,
                 "request.%s: expected a string, got %s", member, yun_json_type_name (node));
    return FALSE;
  }

  if (!is_valid_name (json_node_get_string (node))) {
    g_set_error (error, YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_DATA,
                 "request.%s: expected a name like \"info\" (a-z, then a-z, A-Z, 0-9; "
                 "at most %d characters)", member, MAX_NAME_LENGTH);
    return FALSE;
  }

  *out = json_node_dup_string (node);
  return TRUE;
}

static gboolean
read_id (JsonObject  *envelope,
         gint64      *out,
         GError     **error)
{
  JsonNode *node = json_object_get_member (envelope, "id");
  double value;

  if (node == NULL) {
    g_set_error_literal (error, YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_DATA,
                         "request.id: missing");
    return FALSE;
  }

  if (!JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_INT64 &&
       json_node_get_value_type (node) != G_TYPE_DOUBLE)) {
    g_set_error (error, YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_DATA,
                 "request.id: expected a number, got %s", yun_json_type_name (node));
    return FALSE;
  }

  /* JSON numbers from JavaScript are doubles; an id is an exact integer. */
  value = json_node_get_double (node);
  if (value < 0 || value > (double) YUN_BRIDGE_MAX_ID || value != (double) (gint64) value) {
    g_set_error_literal (error, YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_DATA,
                         "request.id: expected an integer from 0 to 2^53-1");
    return FALSE;
  }

  *out = (gint64) value;
  return TRUE;
}

/**
 * yun_bridge_request_parse:
 * @data: (array length=length): the JSON text a page sent
 * @length: length of @data in bytes
 * @error: return location for a #YunBridgeError
 *
 * Decodes the envelope of a bridge call.  Everything a page can send is
 * checked here before any service sees it: size, encoding, nesting, the
 * envelope's members and their types.
 *
 * Returns: (transfer full): the request, or %NULL with @error set to
 *   %YUN_BRIDGE_ERROR_DATA and a message saying what was wrong
 */
YunBridgeRequest *
yun_bridge_request_parse (const char  *data,
                          gsize        length,
                          GError     **error)
{
  g_autoptr(YunBridgeRequest) request = g_new0 (YunBridgeRequest, 1);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *envelope;
  JsonNode *args;
  JsonObjectIter iter;
  const char *member;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = yun_json_parse_bounded (data, length, YUN_BRIDGE_MAX_REQUEST_BYTES,
                                 YUN_BRIDGE_MAX_DEPTH, &local_error);
  if (root == NULL) {
    g_set_error (error, YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_DATA,
                 "request: %s", local_error->message);
    return NULL;
  }

  if (!JSON_NODE_HOLDS_OBJECT (root)) {
    g_set_error (error, YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_DATA,
                 "request: expected an object, got %s", yun_json_type_name (root));
    return NULL;
  }

  envelope = json_node_get_object (root);
  json_object_iter_init (&iter, envelope);
  while (json_object_iter_next (&iter, &member, NULL)) {
    if (!g_strv_contains (envelope_members, member)) {
      g_set_error (error, YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_DATA,
                   "request: unexpected member \"%s\"", member);
      return NULL;
    }
  }

  if (!read_id (envelope, &request->id, error) ||
      !read_name (envelope, "api", &request->api, error) ||
      !read_name (envelope, "method", &request->method, error))
    return NULL;

  args = json_object_get_member (envelope, "args");
  if (args == NULL) {
    g_set_error_literal (error, YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_DATA,
                         "request.args: missing");
    return NULL;
  }
  if (!JSON_NODE_HOLDS_OBJECT (args)) {
    g_set_error (error, YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_DATA,
                 "request.args: expected an object, got %s", yun_json_type_name (args));
    return NULL;
  }
  request->args = json_object_ref (json_node_get_object (args));

  return g_steal_pointer (&request);
}

/**
 * yun_bridge_request_free:
 * @request: (transfer full) (nullable): a request
 *
 * Frees a request.
 */
void
yun_bridge_request_free (YunBridgeRequest *request)
{
  if (request == NULL)
    return;

  g_free (request->api);
  g_free (request->method);
  g_clear_pointer (&request->args, json_object_unref);
  g_free (request);
}
