/* yun-camera-api.h: navigator.yun.camera.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "yun-bridge-method.h"

G_BEGIN_DECLS

extern const YunBridgeMethod yun_camera_api[];

G_END_DECLS
