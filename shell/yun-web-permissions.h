/* yun-web-permissions.h: WebKit's permission requests, answered by the gate.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <webkit/webkit.h>

#include "yun-permission-gate.h"

G_BEGIN_DECLS

const char *yun_web_permissions_from_web_name (const char              *web_name);
void        yun_web_permissions_handle        (WebKitPermissionRequest *request,
                                               YunPermissionGate       *gate,
                                               const char              *app_id,
                                               YunManifest             *manifest,
                                               GCancellable            *cancellable);
void        yun_web_permissions_seed          (WebKitWebContext        *context,
                                               YunPermissionGate       *gate,
                                               const char              *app_id,
                                               YunManifest             *manifest);

G_END_DECLS
