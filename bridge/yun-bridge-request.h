/* yun-bridge-request.h: one decoded call from a page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The largest request accepted, in bytes of JSON text. */
#define YUN_BRIDGE_MAX_REQUEST_BYTES (1024 * 1024)
/* The deepest nesting of arrays and objects accepted in a request. */
#define YUN_BRIDGE_MAX_DEPTH 64
/* The largest id a page may use: every such integer is exact in a double. */
#define YUN_BRIDGE_MAX_ID ((gint64) 9007199254740991)

/**
 * YunBridgeRequest:
 * @id: the page's number for the call, echoed in the reply
 * @api: the namespace, "device" for navigator.yun.device
 * @method: the method in that namespace
 * @args: the named arguments
 *
 * A request whose envelope is well formed.  Whether @api and @method exist
 * and whether @args suit them is the dispatcher's question.
 */
typedef struct {
  gint64 id;
  char *api;
  char *method;
  JsonObject *args;
} YunBridgeRequest;

YunBridgeRequest *yun_bridge_request_parse (const char        *data,
                                            gsize              length,
                                            GError           **error);
void              yun_bridge_request_free  (YunBridgeRequest  *request);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (YunBridgeRequest, yun_bridge_request_free)

G_END_DECLS
