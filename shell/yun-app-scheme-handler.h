/* yun-app-scheme-handler.h: serves app://<id>/ from a packaged app's folder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <webkit/webkit.h>

G_BEGIN_DECLS

/* The policy every packaged app's documents get unless they are stricter:
 * no inline script, no eval, no plugins. */
#define YUN_APP_SCHEME_CSP \
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " \
  "img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self' http: https:; " \
  "object-src 'none'; base-uri 'none'; form-action 'self'"

void yun_app_scheme_handler_register (WebKitWebContext *context,
                                      const char       *app_id,
                                      const char       *root);

G_END_DECLS
