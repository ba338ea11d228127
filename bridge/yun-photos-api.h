/* yun-photos-api.h: navigator.yun.photos.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "yun-bridge-method.h"
#include "yun-personal-api.h"

G_BEGIN_DECLS

extern const YunBridgeMethod yun_photos_api[];

JsonNode *yun_photos_api_with_url (YunPersonalJob *job,
                                   JsonObject     *photo);

G_END_DECLS
