/* yun-bridge-schema.h: the declaration of every bridge method.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define YUN_BRIDGE_SCHEMA_ERROR (yun_bridge_schema_error_quark ())

/**
 * YunBridgeSchemaError:
 * @YUN_BRIDGE_SCHEMA_ERROR_INVALID: the schema itself is malformed
 */
typedef enum {
  YUN_BRIDGE_SCHEMA_ERROR_INVALID,
} YunBridgeSchemaError;

/**
 * YunBridgeSchemaMethod:
 * @api: the namespace on the wire, "device" for navigator.yun.device
 * @method: the method's name
 * @root: whether the method sits on navigator.yun itself
 * @permission: (nullable): the permission the method needs
 * @access: (nullable): "read" or "readwrite", with @permission
 *
 * One declared method.
 */
typedef struct {
  char *api;
  char *method;
  gboolean root;
  char *permission;
  char *access;
  /* < private > */
  JsonObject *args;
} YunBridgeSchemaMethod;

#define YUN_TYPE_BRIDGE_SCHEMA (yun_bridge_schema_get_type ())
G_DECLARE_FINAL_TYPE (YunBridgeSchema, yun_bridge_schema, YUN, BRIDGE_SCHEMA, GObject)

GQuark                       yun_bridge_schema_error_quark (void);

YunBridgeSchema             *yun_bridge_schema_get_default (void);
YunBridgeSchema             *yun_bridge_schema_new_from_data (const char       *data,
                                                              gsize             length,
                                                              GError          **error);
const YunBridgeSchemaMethod *yun_bridge_schema_lookup      (YunBridgeSchema  *self,
                                                            const char       *api,
                                                            const char       *method);
GPtrArray                   *yun_bridge_schema_get_methods (YunBridgeSchema  *self);
gboolean                     yun_bridge_schema_validate_args (YunBridgeSchema             *self,
                                                              const YunBridgeSchemaMethod *method,
                                                              JsonObject                  *args,
                                                              GError                     **error);

G_END_DECLS
