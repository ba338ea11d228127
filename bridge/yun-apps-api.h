/* yun-apps-api.h: navigator.yun.apps, the store's hold on installed apps.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "yun-bridge-method.h"

G_BEGIN_DECLS

extern const YunBridgeMethod yun_apps_api[];

G_END_DECLS
