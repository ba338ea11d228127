/* yun-runtime-api.c: methods on navigator.yun itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-runtime-api.h"

#include "yun-bridge.h"
#include "yun-bridge-schema.h"

/* capabilities () → {runtime, version, methods}: the methods straight from
 * the schema the bridge enforces, so the list cannot claim what the
 * runtime does not check. */
static void
runtime_capabilities (YunBridge             *bridge,
                      const YunBridgeCaller *caller,
                      YunBridgeRequest      *request,
                      YunBridgeCall         *call)
{
  g_autoptr(GPtrArray) methods = yun_bridge_schema_get_methods (yun_bridge_schema_get_default ());
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "runtime");
  json_builder_add_string_value (builder, YUN_RUNTIME_NAME);
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, YUN_VERSION);
  json_builder_set_member_name (builder, "methods");
  json_builder_begin_array (builder);
  for (guint i = 0; i < methods->len; i++) {
    const YunBridgeSchemaMethod *method = g_ptr_array_index (methods, i);
    g_autofree char *name = method->root ? g_strdup (method->method)
                                         : g_strconcat (method->api, ".", method->method, NULL);

    json_builder_add_string_value (builder, name);
  }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  yun_bridge_call_return_value (call, json_builder_get_root (builder));
}

/* echo ({data}) → {data}: the schema has checked @data already. */
static void
runtime_echo (YunBridge             *bridge,
              const YunBridgeCaller *caller,
              YunBridgeRequest      *request,
              YunBridgeCall         *call)
{
  JsonNode *result = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (result, json_object_ref (request->args));
  yun_bridge_call_return_value (call, result);
}

const YunBridgeMethod yun_runtime_api[] = {
  { "runtime", "capabilities", runtime_capabilities },
  { "runtime", "echo", runtime_echo },
  { NULL, NULL, NULL },
};
