/* yun-bridge.h: decodes, checks and dispatches calls from app pages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "yun-bridge-error.h"
#include "yun-bridge-method.h"
#include "yun-device.h"
#include "yun-permission-gate.h"

G_BEGIN_DECLS

#define YUN_TYPE_BRIDGE (yun_bridge_get_type ())
G_DECLARE_FINAL_TYPE (YunBridge, yun_bridge, YUN, BRIDGE, GObject)

YunBridge         *yun_bridge_new        (YunDevice              *device,
                                          YunPermissionGate      *gate);
YunDevice         *yun_bridge_get_device (YunBridge              *self);
YunPermissionGate *yun_bridge_get_gate   (YunBridge              *self);
void               yun_bridge_call_async (YunBridge              *self,
                                          const YunBridgeCaller  *caller,
                                          const char             *data,
                                          gsize                   length,
                                          GCancellable           *cancellable,
                                          GAsyncReadyCallback     callback,
                                          gpointer                user_data);
char              *yun_bridge_call_finish (YunBridge             *self,
                                           GAsyncResult          *result,
                                           GError               **error);

G_END_DECLS
