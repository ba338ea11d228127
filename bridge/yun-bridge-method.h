/* yun-bridge-method.h: the shape of a namespace's handler table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "yun-bridge-request.h"
#include "yun-manifest.h"

G_BEGIN_DECLS

typedef struct _YunBridge YunBridge;
typedef struct _YunBridgeCall YunBridgeCall;

/**
 * YunBridgeCaller:
 * @app_id: the installed app the calling web view belongs to
 * @manifest: that app's manifest: its scope and declared permissions
 * @document_uri: the URL of the document the call came from, as the UI
 *   process knows it (the web view's URI), never as the page claims it
 *
 * Who is calling.  Every field comes from the UI process's own records.
 */
typedef struct {
  const char *app_id;
  YunManifest *manifest;
  const char *document_uri;
} YunBridgeCaller;

/**
 * YunBridgeHandler:
 * @bridge: the bridge that dispatched the call
 * @caller: who calls; valid until the call is answered
 * @request: the decoded request; its arguments are already validated
 *   against the schema and its permission granted
 * @call: answer it exactly once, now or later, with
 *   yun_bridge_call_return_value() or yun_bridge_call_return_error()
 *
 * Carries out one bridge method.
 */
typedef void (*YunBridgeHandler) (YunBridge             *bridge,
                                  const YunBridgeCaller *caller,
                                  YunBridgeRequest      *request,
                                  YunBridgeCall         *call);

void          yun_bridge_call_return_value    (YunBridgeCall *call,
                                               JsonNode      *value);
void          yun_bridge_call_return_error    (YunBridgeCall *call,
                                               GError        *error);
GCancellable *yun_bridge_call_get_cancellable (YunBridgeCall *call);

/**
 * YunBridgeMethod:
 * @api: the namespace, as in navigator.yun.<api>
 * @method: the method's name
 * @handler: what runs it
 *
 * One row of a namespace's table; a table ends with a row of %NULL.
 * Arguments and permissions are declared in schema/yun-api.json, not here.
 */
typedef struct {
  const char *api;
  const char *method;
  YunBridgeHandler handler;
} YunBridgeMethod;

G_END_DECLS
