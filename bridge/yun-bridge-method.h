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
 * @caller: who calls; valid until @task returns
 * @request: the decoded request; its arguments are already validated
 *   against the schema and its permission granted
 * @task: (transfer none): return a #JsonNode result on it
 *   (g_task_return_pointer() with json_node_unref()) or a #YunBridgeError;
 *   a handler that finishes later takes its own reference
 *
 * Carries out one bridge method.
 */
typedef void (*YunBridgeHandler) (YunBridge             *bridge,
                                  const YunBridgeCaller *caller,
                                  YunBridgeRequest      *request,
                                  GTask                 *task);

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
