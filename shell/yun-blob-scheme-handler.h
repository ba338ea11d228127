/* yun-blob-scheme-handler.h: yun-blob: URLs, the binary results an app
 * was given.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <webkit/webkit.h>

#include "yun-bridge.h"

G_BEGIN_DECLS

void yun_blob_scheme_handler_register (WebKitWebContext *context,
                                       const char       *app_id,
                                       const char       *scope,
                                       YunBridge        *bridge);

G_END_DECLS
