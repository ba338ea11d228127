/* yun-location.h: where the phone is, from whichever source provides it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define YUN_LOCATION_ERROR (yun_location_error_quark ())

/**
 * YunLocationError:
 * @YUN_LOCATION_ERROR_UNAVAILABLE: no position can be had: the source is
 *   absent or failed (the W3C's POSITION_UNAVAILABLE)
 * @YUN_LOCATION_ERROR_DENIED: the system refused to locate this program
 *   (the W3C's PERMISSION_DENIED)
 * @YUN_LOCATION_ERROR_INVALID: a location spec given to
 *   yun_location_new_for_spec() is not understood; the message says why
 *
 * Why there is no position.
 */
typedef enum {
  YUN_LOCATION_ERROR_UNAVAILABLE,
  YUN_LOCATION_ERROR_DENIED,
  YUN_LOCATION_ERROR_INVALID,
} YunLocationError;

/**
 * YunPosition:
 * @latitude: degrees, -90 to 90 (WGS 84)
 * @longitude: degrees, -180 to 180
 * @accuracy: metres, the radius of 95% confidence around the position
 * @altitude: metres above the WGS 84 ellipsoid, or NAN when unknown
 * @altitude_accuracy: metres, or NAN when unknown
 * @heading: degrees clockwise from true north, 0 to 360, or NAN when
 *   unknown or when @speed is 0
 * @speed: metres per second, or NAN when unknown
 * @timestamp_ms: when the position was acquired, milliseconds since the
 *   Unix epoch
 *
 * One position, shaped like the W3C GeolocationPosition: the members that
 * are nullable there (altitude, altitudeAccuracy, heading, speed) are NAN
 * here when they have no value.
 */
typedef struct {
  double latitude;
  double longitude;
  double accuracy;
  double altitude;
  double altitude_accuracy;
  double heading;
  double speed;
  gint64 timestamp_ms;
} YunPosition;

#define YUN_TYPE_POSITION (yun_position_get_type ())
GType        yun_position_get_type (void) G_GNUC_CONST;
YunPosition *yun_position_copy     (const YunPosition *position);
void         yun_position_free     (YunPosition       *position);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (YunPosition, yun_position_free)

/**
 * YunLocation:
 *
 * A source of positions: the system's (GeoClue) or a simulated one.
 *
 * After yun_location_start() it emits #YunLocation::position-changed with
 * each new position, or #YunLocation::failed once when it cannot deliver
 * any (more), until yun_location_stop().  Signals are emitted on the
 * thread-default main context of the thread that called
 * yun_location_start(), never from inside yun_location_start() itself, so
 * handlers may be connected just after it.
 */
#define YUN_TYPE_LOCATION (yun_location_get_type ())
G_DECLARE_INTERFACE (YunLocation, yun_location, YUN, LOCATION, GObject)

/**
 * YunLocationInterface:
 * @start: begins delivering positions; a no-op when already started
 * @stop: stops delivering; a no-op when stopped
 *
 * What a source of positions implements.
 */
struct _YunLocationInterface
{
  GTypeInterface parent_iface;

  void (*start) (YunLocation *self);
  void (*stop)  (YunLocation *self);
};

GQuark       yun_location_error_quark    (void);

void         yun_location_start          (YunLocation       *self);
void         yun_location_stop           (YunLocation       *self);

YunLocation *yun_location_new_for_spec   (const char        *spec,
                                          const char        *desktop_id,
                                          GError           **error);

/* For implementations. */
void         yun_location_emit_position  (YunLocation       *self,
                                          const YunPosition *position);
void         yun_location_emit_failed    (YunLocation       *self,
                                          const GError      *error);

G_END_DECLS
