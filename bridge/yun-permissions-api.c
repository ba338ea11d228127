/* yun-permissions-api.c: navigator.yun.permissions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-permissions-api.h"

#include "yun-bridge.h"

static void
return_state (YunBridgeCall      *call,
              YunPermissionState  state)
{
  yun_bridge_call_return_value (call, json_node_init_string (json_node_alloc (),
                                                             yun_permission_state_to_string (state)));
}

/* permissions.query ({name}) → "granted" | "denied" | "prompt". */
static void
permissions_query (YunBridge             *bridge,
                   const YunBridgeCaller *caller,
                   YunBridgeRequest      *request,
                   YunBridgeCall         *call)
{
  const char *name = json_object_get_string_member (request->args, "name");

  return_state (call, yun_permission_gate_query (yun_bridge_get_gate (bridge), caller->app_id,
                                                 caller->manifest, name));
}

static void
on_request_checked (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  YunBridgeCall *call = user_data;

  /* "Allow once" grants this call without a standing decision, so the
   * state to report comes from the answer, not from the store. */
  return_state (call, yun_permission_gate_check_finish (YUN_PERMISSION_GATE (source), result, NULL)
                      ? YUN_PERMISSION_STATE_GRANTED : YUN_PERMISSION_STATE_DENIED);
}

/* permissions.request ({name}): asks when undecided; an undeclared
 * permission is a NotAllowedError, never a question. */
static void
permissions_request (YunBridge             *bridge,
                     const YunBridgeCaller *caller,
                     YunBridgeRequest      *request,
                     YunBridgeCall         *call)
{
  YunPermissionGate *gate = yun_bridge_get_gate (bridge);
  const char *name = json_object_get_string_member (request->args, "name");

  if (!yun_manifest_get_permission (caller->manifest, name, NULL, NULL)) {
    yun_bridge_call_return_error (call, g_error_new (YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_NOT_ALLOWED,
                                                     "permissions.request: the app's manifest "
                                                     "does not declare the \"%s\" permission",
                                                     name));
    return;
  }

  yun_permission_gate_check_async (gate, caller->app_id, caller->manifest, name, "read",
                                   "permissions.request", yun_bridge_call_get_cancellable (call),
                                   on_request_checked, call);
}

const YunBridgeMethod yun_permissions_api[] = {
  { "permissions", "query", permissions_query },
  { "permissions", "request", permissions_request },
  { NULL, NULL, NULL },
};
