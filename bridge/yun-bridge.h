/* yun-bridge.h: decodes, checks and dispatches calls from app pages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "yun-bridge-error.h"
#include "yun-bridge-method.h"
#include "yun-device.h"

G_BEGIN_DECLS

/**
 * YunBridgeCaller:
 * @app_id: the installed app the calling web view belongs to
 * @scope: that app's scope URL
 * @document_uri: the URL of the document the call came from, as the UI
 *   process knows it (the web view's URI), never as the page claims it
 *
 * Who is calling.  Every field comes from the UI process's own records.
 */
typedef struct {
  const char *app_id;
  const char *scope;
  const char *document_uri;
} YunBridgeCaller;

#define YUN_TYPE_BRIDGE (yun_bridge_get_type ())
G_DECLARE_FINAL_TYPE (YunBridge, yun_bridge, YUN, BRIDGE, GObject)

YunBridge *yun_bridge_new        (YunDevice              *device);
YunDevice *yun_bridge_get_device (YunBridge              *self);
void       yun_bridge_call_async (YunBridge              *self,
                                  const YunBridgeCaller  *caller,
                                  const char             *data,
                                  gsize                   length,
                                  GCancellable           *cancellable,
                                  GAsyncReadyCallback     callback,
                                  gpointer                user_data);
char      *yun_bridge_call_finish (YunBridge             *self,
                                   GAsyncResult          *result,
                                   GError               **error);

G_END_DECLS
