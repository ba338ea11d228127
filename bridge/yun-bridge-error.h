/* yun-bridge-error.h: the errors a bridge call can reject with.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define YUN_BRIDGE_ERROR (yun_bridge_error_quark ())

/**
 * YunBridgeError:
 * @YUN_BRIDGE_ERROR_NOT_ALLOWED: the app may not do this (`NotAllowedError`)
 * @YUN_BRIDGE_ERROR_NOT_FOUND: the thing asked for does not exist (`NotFoundError`)
 * @YUN_BRIDGE_ERROR_DATA: the request or its arguments are wrong (`DataError`)
 * @YUN_BRIDGE_ERROR_INVALID_STATE: not now (`InvalidStateError`)
 * @YUN_BRIDGE_ERROR_QUOTA_EXCEEDED: out of space (`QuotaExceededError`)
 * @YUN_BRIDGE_ERROR_NETWORK: the network failed (`NetworkError`)
 * @YUN_BRIDGE_ERROR_ABORT: the user or the page cancelled (`AbortError`)
 * @YUN_BRIDGE_ERROR_NOT_SUPPORTED: no such method here (`NotSupportedError`)
 *
 * Each code is the DOMException name the page's Promise rejects with.
 */
typedef enum {
  YUN_BRIDGE_ERROR_NOT_ALLOWED,
  YUN_BRIDGE_ERROR_NOT_FOUND,
  YUN_BRIDGE_ERROR_DATA,
  YUN_BRIDGE_ERROR_INVALID_STATE,
  YUN_BRIDGE_ERROR_QUOTA_EXCEEDED,
  YUN_BRIDGE_ERROR_NETWORK,
  YUN_BRIDGE_ERROR_ABORT,
  YUN_BRIDGE_ERROR_NOT_SUPPORTED,
} YunBridgeError;

GQuark      yun_bridge_error_quark (void);
const char *yun_bridge_error_name  (const GError *error);

G_END_DECLS
