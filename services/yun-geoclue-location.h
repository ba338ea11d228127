/* yun-geoclue-location.h: the system's location, from GeoClue 2 over D-Bus.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "yun-location.h"

G_BEGIN_DECLS

/**
 * YunGeoclueLocation:
 *
 * Positions from the GeoClue 2 service (org.freedesktop.GeoClue2), spoken
 * to directly over D-Bus, so libgeoclue is not needed.  Starting asks
 * GeoClue's manager for a client, names the program (DesktopId), asks for
 * the exact accuracy level and starts the client; each LocationUpdated
 * then becomes a #YunLocation::position-changed.
 *
 * When there is no system bus, GeoClue is not installed, or it goes away,
 * #YunLocation::failed says %YUN_LOCATION_ERROR_UNAVAILABLE; when GeoClue
 * (or its agent) refuses this program, %YUN_LOCATION_ERROR_DENIED.
 */
#define YUN_TYPE_GEOCLUE_LOCATION (yun_geoclue_location_get_type ())
G_DECLARE_FINAL_TYPE (YunGeoclueLocation, yun_geoclue_location, YUN, GEOCLUE_LOCATION, GObject)

YunGeoclueLocation *yun_geoclue_location_new (GDBusConnection *connection,
                                              const char      *desktop_id);

G_END_DECLS
