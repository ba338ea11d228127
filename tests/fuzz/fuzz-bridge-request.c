/* fuzz-bridge-request.c: libFuzzer target for the bridge's request decoder
 * and dispatcher, the first code that reads what a page sends.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>

#include "yun-bridge.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
on_reply (char     *text,
          gpointer  user_data)
{
  char **reply = user_data;

  *reply = text;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static YunBridge *bridge;
  static YunManifest *manifest;
  YunBridgeCaller caller = { "fuzz", NULL, "http://127.0.0.1/apps/fuzz/index.html" };
  g_autoptr(YunBridgeRequest) request = NULL;
  g_autoptr(JsonNode) reply_root = NULL;
  g_autofree char *reply = NULL;

  if (bridge == NULL) {
    const char *model_files[] = { NULL };
    g_autoptr(YunDevice) device = yun_device_new_for_sources (model_files);
    g_autoptr(YunPermissionStore) store = yun_permission_store_open (":memory:", NULL);
    g_autoptr(YunPermissionGate) gate = yun_permission_gate_new (store);
    static const char text[] = "{\"name\": \"Fuzz\", \"yun\": {\"permissions\": "
                               "{\"contacts\": {\"access\": \"read\", \"reason\": \"r\"}}}}";

    manifest = yun_manifest_new_from_data (text, sizeof text - 1,
                                           "http://127.0.0.1/apps/fuzz/manifest.json", NULL);
    bridge = yun_bridge_new (device, gate);
    /* Permission questions have nobody to answer them here; the gate
     * refuses them, which is a reply like any other. */
  }

  caller.manifest = manifest;

  /* The decoder alone: either a request or an error, never both. */
  request = yun_bridge_request_parse ((const char *) data, size, NULL);
  if (request != NULL)
    g_assert (request->api != NULL && request->method != NULL && request->args != NULL);

  /* The whole call: always exactly one reply, and it is valid JSON. */
  yun_bridge_handle (bridge, &caller, (const char *) data, size, NULL, on_reply, &reply);
  while (reply == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert (g_utf8_validate (reply, -1, NULL));
  reply_root = json_from_string (reply, NULL);
  g_assert (reply_root != NULL && JSON_NODE_HOLDS_OBJECT (reply_root));

  return 0;
}
