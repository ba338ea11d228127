/* yun-bridge.h: decodes, checks and dispatches calls from app pages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "yun-blob-grants.h"
#include "yun-bridge-error.h"
#include "yun-bridge-method.h"
#include "yun-device.h"
#include "yun-doc-store.h"
#include "yun-permission-gate.h"

G_BEGIN_DECLS

#define YUN_TYPE_BRIDGE (yun_bridge_get_type ())
G_DECLARE_FINAL_TYPE (YunBridge, yun_bridge, YUN, BRIDGE, GObject)

/**
 * YunBridgeReplyFunc:
 * @reply: (transfer full) (nullable): the JSON reply for the page, or %NULL
 *   when the call was cancelled before it was answered
 * @user_data: the data given to yun_bridge_handle()
 *
 * Receives the one reply to a call.
 */
typedef void (*YunBridgeReplyFunc) (char     *reply,
                                    gpointer  user_data);

YunBridge         *yun_bridge_new        (YunDevice              *device,
                                          YunPermissionGate      *gate);
YunDevice         *yun_bridge_get_device (YunBridge              *self);
YunPermissionGate *yun_bridge_get_gate   (YunBridge              *self);
void               yun_bridge_set_personal_store (YunBridge       *self,
                                                  YunDocStore     *store);
YunDocStore       *yun_bridge_get_personal_store (YunBridge       *self);
void               yun_bridge_set_service (YunBridge             *self,
                                           const char            *name,
                                           gpointer               service);
gpointer           yun_bridge_get_service (YunBridge             *self,
                                           const char            *name);
YunBlobGrants     *yun_bridge_get_blob_grants (YunBridge         *self);
void               yun_bridge_handle     (YunBridge              *self,
                                          const YunBridgeCaller  *caller,
                                          const char             *data,
                                          gsize                   length,
                                          GCancellable           *cancellable,
                                          YunBridgeReplyFunc      reply_func,
                                          gpointer                user_data);

G_END_DECLS
