/* yun-bridge-method.h: the shape of a namespace's handler table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "yun-bridge-request.h"

G_BEGIN_DECLS

typedef struct _YunBridge YunBridge;

/**
 * YunBridgeHandler:
 * @bridge: the bridge that dispatched the call
 * @app_id: the calling app, known from the web view that sent the call
 * @request: the decoded request; its arguments are already validated
 * @task: (transfer none): return a #JsonNode result on it
 *   (g_task_return_pointer() with json_node_unref()) or a #YunBridgeError;
 *   a handler that finishes later takes its own reference
 *
 * Carries out one bridge method.
 */
typedef void (*YunBridgeHandler) (YunBridge        *bridge,
                                  const char       *app_id,
                                  YunBridgeRequest *request,
                                  GTask            *task);

/**
 * YunBridgeMethod:
 * @api: the namespace, as in navigator.yun.<api>
 * @method: the method's name
 * @handler: what runs it
 *
 * One row of a namespace's table; a table ends with a row of %NULL.
 * Methods that take arguments will list them here, so that they are
 * validated before @handler runs; none of the current ones takes any.
 */
typedef struct {
  const char *api;
  const char *method;
  YunBridgeHandler handler;
} YunBridgeMethod;

G_END_DECLS
