/* yun-share-api.h: navigator.yun.share() and unshare().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "yun-bridge-method.h"

G_BEGIN_DECLS

extern const YunBridgeMethod yun_share_api[];

G_END_DECLS
