/* yun-geolocation-hub.h: one location source behind every app's
 * navigator.geolocation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <webkit/webkit.h>

#include "yun-location.h"

G_BEGIN_DECLS

#define YUN_TYPE_GEOLOCATION_HUB (yun_geolocation_hub_get_type ())
G_DECLARE_FINAL_TYPE (YunGeolocationHub, yun_geolocation_hub, YUN, GEOLOCATION_HUB, GObject)

YunGeolocationHub *yun_geolocation_hub_new        (const char        *spec);
void               yun_geolocation_hub_attach     (YunGeolocationHub *self,
                                                   WebKitWebContext  *context);
gboolean           yun_geolocation_hub_get_active (YunGeolocationHub *self);
const YunPosition *yun_geolocation_hub_get_last_position (YunGeolocationHub *self);
void               yun_geolocation_hub_set_spec   (YunGeolocationHub *self,
                                                   const char        *spec);

G_END_DECLS
