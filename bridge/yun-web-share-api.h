/* yun-web-share-api.h: the standard Web Share API, navigator.share().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "yun-bridge-method.h"

G_BEGIN_DECLS

extern const YunBridgeMethod yun_web_share_api[];

G_END_DECLS
