/* yun-personal-api.h: what the personal-data namespaces share: their work
 * runs in a worker thread on one service, and service errors become the
 * DOMExceptions pages can act on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "yun-bridge.h"

G_BEGIN_DECLS

/**
 * YunPersonalJob:
 * @service: the service the namespace calls
 * @args: the call's validated arguments
 * @app_id: the calling app
 * @blobs: the bridge's grants, for URLs of binary results
 *
 * One call's work, as a #YunPersonalWork sees it.
 */
typedef struct {
  gpointer service;
  JsonObject *args;
  char *app_id;
  YunBlobGrants *blobs;
} YunPersonalJob;

typedef JsonNode *(*YunPersonalWork) (YunPersonalJob  *job,
                                      GError         **error);

/* Defines a bridge handler @name that runs @work on the service
 * @service_name. */
#define YUN_PERSONAL_API_HANDLER(name, service_name, work) \
  static void \
  name (YunBridge             *bridge, \
        const YunBridgeCaller *caller, \
        YunBridgeRequest      *request, \
        YunBridgeCall         *call) \
  { \
    yun_personal_api_run (bridge, caller, request, call, service_name, work); \
  }

void      yun_personal_api_run           (YunBridge             *bridge,
                                          const YunBridgeCaller *caller,
                                          YunBridgeRequest      *request,
                                          YunBridgeCall         *call,
                                          const char            *service_name,
                                          YunPersonalWork        work);
JsonNode *yun_personal_api_object_node   (JsonObject            *object);
JsonNode *yun_personal_api_array_node    (JsonArray             *array);
JsonNode *yun_personal_api_boolean_node  (gboolean               value);
gint64    yun_personal_api_get_time      (JsonObject            *args,
                                          const char            *name);

G_END_DECLS
