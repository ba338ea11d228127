/* yun-simulated-location.c: a fixed position or a replayed GPX track.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-simulated-location.h"

#include <math.h>

/* The mean radius of the Earth, in metres (IUGG). */
#define EARTH_RADIUS 6371008.8

struct _YunSimulatedLocation
{
  GObject parent_instance;

  YunPosition fixed;    /* when there is no track */
  YunGpx *track;
  double speed;

  gboolean running;
  guint next;           /* the track point to emit next */
  GSource *timer;
  GMainContext *context;
};

static void yun_simulated_location_location_init (YunLocationInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (YunSimulatedLocation, yun_simulated_location, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (YUN_TYPE_LOCATION,
                                                      yun_simulated_location_location_init))

static double
radians (double degrees)
{
  return degrees * G_PI / 180.0;
}

/* The great-circle distance (haversine) in metres, and the initial bearing
 * in degrees clockwise from north, from @a to @b. */
static double
distance_and_bearing (const YunGpxPoint *a,
                      const YunGpxPoint *b,
                      double            *bearing)
{
  double phi1 = radians (a->latitude), phi2 = radians (b->latitude);
  double dphi = phi2 - phi1;
  double dlambda = radians (b->longitude - a->longitude);
  double h = sin (dphi / 2) * sin (dphi / 2) +
             cos (phi1) * cos (phi2) * sin (dlambda / 2) * sin (dlambda / 2);
  double y = sin (dlambda) * cos (phi2);
  double x = cos (phi1) * sin (phi2) - sin (phi1) * cos (phi2) * cos (dlambda);

  *bearing = fmod (atan2 (y, x) * 180.0 / G_PI + 360.0, 360.0);
  return 2 * EARTH_RADIUS * asin (MIN (1.0, sqrt (h)));
}

static void
track_position (YunSimulatedLocation *self,
                guint                 index,
                YunPosition          *position)
{
  const YunGpxPoint *point = yun_gpx_get_point (self->track, index);

  *position = (YunPosition) {
    .latitude = point->latitude,
    .longitude = point->longitude,
    .accuracy = YUN_SIMULATED_LOCATION_TRACK_ACCURACY,
    .altitude = point->elevation,
    .altitude_accuracy = NAN,
    .heading = NAN,
    .speed = NAN,
  };
  if (index > 0) {
    const YunGpxPoint *previous = yun_gpx_get_point (self->track, index - 1);
    double bearing;
    double distance = distance_and_bearing (previous, point, &bearing);

    if (previous->has_time && point->has_time && point->time_ms > previous->time_ms)
      position->speed = distance / ((point->time_ms - previous->time_ms) / 1000.0);
    /* Standing still has no heading (W3C). */
    if (distance > 0 && position->speed != 0)
      position->heading = bearing;
  }
}

static gboolean on_timer (gpointer user_data);

static void
schedule (YunSimulatedLocation *self,
          guint                 delay_ms)
{
  g_assert (self->timer == NULL);

  self->timer = delay_ms == 0 ? g_idle_source_new () : g_timeout_source_new (delay_ms);
  g_source_set_callback (self->timer, on_timer, self, NULL);
  g_source_set_name (self->timer, "[yun] simulated location");
  g_source_attach (self->timer, self->context);
}

static void
clear_timer (YunSimulatedLocation *self)
{
  if (self->timer != NULL)
    g_source_destroy (self->timer);
  g_clear_pointer (&self->timer, g_source_unref);
}

static gboolean
on_timer (gpointer user_data)
{
  g_autoptr(YunSimulatedLocation) self = g_object_ref (user_data);
  YunPosition position;

  /* A handler may stop (or restart) this source: the next point is
   * scheduled before it runs. */
  g_clear_pointer (&self->timer, g_source_unref);
  if (self->track != NULL) {
    guint index = self->next++;

    track_position (self, index, &position);
    if (self->next < yun_gpx_get_n_points (self->track))
      schedule (self, yun_simulated_location_get_delay_ms (self, self->next));
  } else {
    position = self->fixed;
  }
  position.timestamp_ms = g_get_real_time () / 1000;
  yun_location_emit_position (YUN_LOCATION (self), &position);
  return G_SOURCE_REMOVE;
}

static void
yun_simulated_location_start (YunLocation *location)
{
  YunSimulatedLocation *self = YUN_SIMULATED_LOCATION (location);

  if (self->running)
    return;
  self->running = TRUE;
  self->next = 0;
  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  schedule (self, 0);
}

static void
yun_simulated_location_stop (YunLocation *location)
{
  YunSimulatedLocation *self = YUN_SIMULATED_LOCATION (location);

  self->running = FALSE;
  clear_timer (self);
}

static void
yun_simulated_location_location_init (YunLocationInterface *iface)
{
  iface->start = yun_simulated_location_start;
  iface->stop = yun_simulated_location_stop;
}

static void
yun_simulated_location_dispose (GObject *object)
{
  YunSimulatedLocation *self = YUN_SIMULATED_LOCATION (object);

  clear_timer (self);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->track);

  G_OBJECT_CLASS (yun_simulated_location_parent_class)->dispose (object);
}

static void
yun_simulated_location_class_init (YunSimulatedLocationClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = yun_simulated_location_dispose;
}

static void
yun_simulated_location_init (YunSimulatedLocation *self)
{
}

/**
 * yun_simulated_location_new_fixed:
 * @latitude: degrees, -90 to 90
 * @longitude: degrees, -180 to 180
 * @accuracy: metres, at least 0
 *
 * Returns: (transfer full): a source that is always at one place, standing
 *   still, at an unknown altitude
 */
YunSimulatedLocation *
yun_simulated_location_new_fixed (double latitude,
                                  double longitude,
                                  double accuracy)
{
  YunSimulatedLocation *self;

  g_return_val_if_fail (fabs (latitude) <= 90, NULL);
  g_return_val_if_fail (fabs (longitude) <= 180, NULL);
  g_return_val_if_fail (accuracy >= 0 && isfinite (accuracy), NULL);

  self = g_object_new (YUN_TYPE_SIMULATED_LOCATION, NULL);
  self->fixed = (YunPosition) {
    .latitude = latitude,
    .longitude = longitude,
    .accuracy = accuracy,
    .altitude = NAN,
    .altitude_accuracy = NAN,
    .heading = NAN,
    .speed = 0,
  };
  return self;
}

/**
 * yun_simulated_location_new_for_track:
 * @track: the points to replay
 * @speed: how many times faster than recorded, from
 *   %YUN_SIMULATED_LOCATION_MIN_SPEED to %YUN_SIMULATED_LOCATION_MAX_SPEED
 *
 * Returns: (transfer full): a source that replays @track
 */
YunSimulatedLocation *
yun_simulated_location_new_for_track (YunGpx *track,
                                      double  speed)
{
  YunSimulatedLocation *self;

  g_return_val_if_fail (YUN_IS_GPX (track), NULL);
  g_return_val_if_fail (speed >= YUN_SIMULATED_LOCATION_MIN_SPEED &&
                        speed <= YUN_SIMULATED_LOCATION_MAX_SPEED, NULL);

  self = g_object_new (YUN_TYPE_SIMULATED_LOCATION, NULL);
  self->track = g_object_ref (track);
  self->speed = speed;
  return self;
}

/**
 * yun_simulated_location_get_delay_ms:
 * @self: a track source
 * @index: a point of the track, from 1
 *
 * How long after point @index - 1 the replay emits point @index: the
 * recorded time between them (or
 * %YUN_SIMULATED_LOCATION_UNTIMED_INTERVAL_MS) divided by the speed, and
 * 0 when the recorded times go backwards.
 *
 * Returns: milliseconds
 */
guint
yun_simulated_location_get_delay_ms (YunSimulatedLocation *self,
                                     guint                 index)
{
  const YunGpxPoint *previous, *point;
  double recorded_ms = YUN_SIMULATED_LOCATION_UNTIMED_INTERVAL_MS;

  g_return_val_if_fail (YUN_IS_SIMULATED_LOCATION (self), 0);
  g_return_val_if_fail (self->track != NULL, 0);
  g_return_val_if_fail (index >= 1 && index < yun_gpx_get_n_points (self->track), 0);

  previous = yun_gpx_get_point (self->track, index - 1);
  point = yun_gpx_get_point (self->track, index);
  if (previous->has_time && point->has_time)
    recorded_ms = MAX (0, point->time_ms - previous->time_ms);
  return (guint) MIN (round (recorded_ms / self->speed), (double) G_MAXUINT);
}
