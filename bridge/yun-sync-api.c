/* yun-sync-api.c: navigator.yun.sync, on the YunSync engine.
 *
 * Both methods only read the engine's state or nudge it, so they answer
 * at once on the main thread.  The "change" event is sent by the shell,
 * to the apps that may read the database that changed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-sync-api.h"

#include "yun-bridge.h"
#include "yun-sync.h"

static YunSync *
get_sync (YunBridge     *bridge,
          YunBridgeCall *call)
{
  YunSync *sync = yun_bridge_get_service (bridge, "sync");

  if (sync == NULL)
    yun_bridge_call_return_error (call, g_error_new_literal (YUN_BRIDGE_ERROR,
                                                             YUN_BRIDGE_ERROR_INVALID_STATE,
                                                             "sync: the phone's data is not open"));
  return sync;
}

static void
sync_status (YunBridge             *bridge,
             const YunBridgeCaller *caller,
             YunBridgeRequest      *request,
             YunBridgeCall         *call)
{
  YunSync *sync = get_sync (bridge, call);
  JsonObject *status;
  JsonNode *node;

  if (sync == NULL)
    return;
  status = yun_sync_dup_status (sync);
  node = json_node_init_object (json_node_alloc (), status);
  json_object_unref (status);
  yun_bridge_call_return_value (call, node);
}

static void
sync_now (YunBridge             *bridge,
          const YunBridgeCaller *caller,
          YunBridgeRequest      *request,
          YunBridgeCall         *call)
{
  YunSync *sync = get_sync (bridge, call);
  gboolean signed_in;

  if (sync == NULL)
    return;
  signed_in = yun_sync_get_state (sync) != YUN_SYNC_STATE_SIGNED_OUT;
  if (signed_in)
    yun_sync_now (sync);
  yun_bridge_call_return_value (call, json_node_init_boolean (json_node_alloc (), signed_in));
}

const YunBridgeMethod yun_sync_api[] = {
  { "sync", "status", sync_status },
  { "sync", "now", sync_now },
  { NULL, NULL, NULL },
};
