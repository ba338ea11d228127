/* yun-bridge-error.c: the errors a bridge call can reject with.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-bridge-error.h"

#include <gio/gio.h>

G_DEFINE_QUARK (yun-bridge-error-quark, yun_bridge_error)

static const char * const names[] = {
  [YUN_BRIDGE_ERROR_NOT_ALLOWED] = "NotAllowedError",
  [YUN_BRIDGE_ERROR_NOT_FOUND] = "NotFoundError",
  [YUN_BRIDGE_ERROR_DATA] = "DataError",
  [YUN_BRIDGE_ERROR_INVALID_STATE] = "InvalidStateError",
  [YUN_BRIDGE_ERROR_QUOTA_EXCEEDED] = "QuotaExceededError",
  [YUN_BRIDGE_ERROR_NETWORK] = "NetworkError",
  [YUN_BRIDGE_ERROR_ABORT] = "AbortError",
  [YUN_BRIDGE_ERROR_NOT_SUPPORTED] = "NotSupportedError",
};

/**
 * yun_bridge_error_name:
 * @error: any error a bridge method returned
 *
 * Maps an error to the DOMException name the page sees.  Errors from other
 * domains are the runtime's own failures, which the page can only treat as
 * "not now": they map to `InvalidStateError`, and cancellation to
 * `AbortError`.
 *
 * Returns: (transfer none): a DOMException name
 */
const char *
yun_bridge_error_name (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == YUN_BRIDGE_ERROR && error->code >= 0 &&
      error->code < (int) G_N_ELEMENTS (names))
    return names[error->code];

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return names[YUN_BRIDGE_ERROR_ABORT];

  return names[YUN_BRIDGE_ERROR_INVALID_STATE];
}
