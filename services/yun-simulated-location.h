/* yun-simulated-location.h: a fixed position or a replayed GPX track.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "yun-gpx.h"
#include "yun-location.h"

G_BEGIN_DECLS

/* The slowest and fastest a track can be replayed, as a factor of the
 * speed it was recorded at. */
#define YUN_SIMULATED_LOCATION_MIN_SPEED 0.01
#define YUN_SIMULATED_LOCATION_MAX_SPEED 1e6
/* Between two points without times, this many milliseconds pass (divided
 * by the replay speed). */
#define YUN_SIMULATED_LOCATION_UNTIMED_INTERVAL_MS 1000
/* The accuracy, in metres, given to replayed track points. */
#define YUN_SIMULATED_LOCATION_TRACK_ACCURACY 5.0

/**
 * YunSimulatedLocation:
 *
 * A stand-in for the phone's location, for the developer session and
 * tests.
 *
 * A fixed one emits its position once after each start.  A track one
 * emits its first point right after start and each next point when the
 * time between the two points' `<time>`s, divided by the replay speed, has
 * passed (%YUN_SIMULATED_LOCATION_UNTIMED_INTERVAL_MS divided by the speed
 * when either point has no time).  Heading and speed are computed from the
 * previous point (great-circle bearing and distance over the recorded
 * time); the first point has neither.  After the last point it is quiet;
 * starting again replays from the first.  Timestamps are the time each
 * position is emitted.
 */
#define YUN_TYPE_SIMULATED_LOCATION (yun_simulated_location_get_type ())
G_DECLARE_FINAL_TYPE (YunSimulatedLocation, yun_simulated_location, YUN, SIMULATED_LOCATION, GObject)

YunSimulatedLocation *yun_simulated_location_new_fixed     (double  latitude,
                                                            double  longitude,
                                                            double  accuracy);
YunSimulatedLocation *yun_simulated_location_new_for_track (YunGpx *track,
                                                            double  speed);

guint                 yun_simulated_location_get_delay_ms  (YunSimulatedLocation *self,
                                                            guint                 index);

G_END_DECLS
