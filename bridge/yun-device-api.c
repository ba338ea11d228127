/* yun-device-api.c: navigator.yun.device.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-device-api.h"

#include "yun-bridge.h"
#include "yun-device.h"

/* device.info () → {runtime, version, model}. */
static void
device_info (YunBridge             *bridge,
             const YunBridgeCaller *caller,
             YunBridgeRequest      *request,
             YunBridgeCall         *call)
{
  YunDevice *device = yun_bridge_get_device (bridge);
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "runtime");
  json_builder_add_string_value (builder, yun_device_get_runtime (device));
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, yun_device_get_version (device));
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, yun_device_get_model (device));
  json_builder_end_object (builder);

  yun_bridge_call_return_value (call, json_builder_get_root (builder));
}

const YunBridgeMethod yun_device_api[] = {
  { "device", "info", device_info },
  { NULL, NULL, NULL },
};
