/* yun-sync-api.h: navigator.yun.sync.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "yun-bridge-method.h"

G_BEGIN_DECLS

extern const YunBridgeMethod yun_sync_api[];

G_END_DECLS
