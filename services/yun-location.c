/* yun-location.c: where the phone is, from whichever source provides it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-location.h"

#include "yun-geoclue-location.h"
#include "yun-gpx.h"
#include "yun-simulated-location.h"

#include <math.h>
#include <string.h>

/* A fixed position given without an accuracy is this good, in metres. */
#define DEFAULT_FIXED_ACCURACY 10.0

enum {
  SIGNAL_POSITION_CHANGED,
  SIGNAL_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_QUARK (yun-location-error-quark, yun_location_error)

G_DEFINE_BOXED_TYPE (YunPosition, yun_position, yun_position_copy, yun_position_free)

G_DEFINE_INTERFACE (YunLocation, yun_location, G_TYPE_OBJECT)

static void
yun_location_default_init (YunLocationInterface *iface)
{
  /**
   * YunLocation::position-changed:
   * @self: the source
   * @position: (transfer none): the new position
   *
   * A new position is known.
   */
  signals[SIGNAL_POSITION_CHANGED] =
    g_signal_new ("position-changed", G_TYPE_FROM_INTERFACE (iface),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, YUN_TYPE_POSITION | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * YunLocation::failed:
   * @self: the source
   * @error: (transfer none): a #YunLocationError saying why
   *
   * The source cannot deliver positions; it stays quiet until it is
   * stopped and started again.
   */
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_INTERFACE (iface),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

/**
 * yun_position_copy:
 * @position: a position
 *
 * Returns: (transfer full): a copy of @position
 */
YunPosition *
yun_position_copy (const YunPosition *position)
{
  g_return_val_if_fail (position != NULL, NULL);

  return g_memdup2 (position, sizeof *position);
}

/**
 * yun_position_free:
 * @position: (transfer full) (nullable): a position from yun_position_copy()
 */
void
yun_position_free (YunPosition *position)
{
  g_free (position);
}

/**
 * yun_location_start:
 * @self: a #YunLocation
 *
 * Begins delivering positions through #YunLocation::position-changed.
 */
void
yun_location_start (YunLocation *self)
{
  g_return_if_fail (YUN_IS_LOCATION (self));

  YUN_LOCATION_GET_IFACE (self)->start (self);
}

/**
 * yun_location_stop:
 * @self: a #YunLocation
 *
 * Stops delivering positions and releases what the source held (timers,
 * the GeoClue client).  No signal is emitted after this returns.
 */
void
yun_location_stop (YunLocation *self)
{
  g_return_if_fail (YUN_IS_LOCATION (self));

  YUN_LOCATION_GET_IFACE (self)->stop (self);
}

/**
 * yun_location_emit_position:
 * @self: a #YunLocation
 * @position: the new position
 *
 * For implementations: emits #YunLocation::position-changed.
 */
void
yun_location_emit_position (YunLocation       *self,
                            const YunPosition *position)
{
  g_return_if_fail (YUN_IS_LOCATION (self));
  g_return_if_fail (position != NULL);

  g_signal_emit (self, signals[SIGNAL_POSITION_CHANGED], 0, position);
}

/**
 * yun_location_emit_failed:
 * @self: a #YunLocation
 * @error: why, a #YunLocationError
 *
 * For implementations: emits #YunLocation::failed.
 */
void
yun_location_emit_failed (YunLocation  *self,
                          const GError *error)
{
  g_return_if_fail (YUN_IS_LOCATION (self));
  g_return_if_fail (error != NULL);

  g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
}

/* A number in a spec, all of @text and finite. */
static gboolean
spec_number (const char *text,
             double     *value)
{
  char *end = NULL;

  *value = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && isfinite (*value);
}

static YunLocation *
new_fixed (const char  *arguments,
           GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (arguments, ",", 0);
  guint n = g_strv_length (parts);
  double latitude, longitude, accuracy = DEFAULT_FIXED_ACCURACY;

  if (n < 2 || n > 3 ||
      !spec_number (parts[0], &latitude) || fabs (latitude) > 90 ||
      !spec_number (parts[1], &longitude) || fabs (longitude) > 180 ||
      (n == 3 && (!spec_number (parts[2], &accuracy) || accuracy < 0))) {
    g_set_error (error, YUN_LOCATION_ERROR, YUN_LOCATION_ERROR_INVALID,
                 "a fixed location is fixed:LATITUDE,LONGITUDE[,ACCURACY] with "
                 "latitude -90 to 90, longitude -180 to 180 and accuracy in metres");
    return NULL;
  }
  return YUN_LOCATION (yun_simulated_location_new_fixed (latitude, longitude, accuracy));
}

static YunLocation *
new_track (const char  *arguments,
           GError     **error)
{
  g_autofree char *path = g_strdup (arguments);
  char *at = strrchr (path, '@');
  double speed = 1.0;
  g_autoptr(YunGpx) track = NULL;

  /* An @ followed by something that is not a number belongs to the path. */
  if (at != NULL && spec_number (at + 1, &speed)) {
    *at = '\0';
    if (speed < YUN_SIMULATED_LOCATION_MIN_SPEED || speed > YUN_SIMULATED_LOCATION_MAX_SPEED) {
      g_set_error (error, YUN_LOCATION_ERROR, YUN_LOCATION_ERROR_INVALID,
                   "a GPX replay speed is from %g to %g",
                   YUN_SIMULATED_LOCATION_MIN_SPEED, YUN_SIMULATED_LOCATION_MAX_SPEED);
      return NULL;
    }
  } else {
    speed = 1.0;
  }
  if (path[0] == '\0') {
    g_set_error (error, YUN_LOCATION_ERROR, YUN_LOCATION_ERROR_INVALID,
                 "a GPX location is gpx:PATH[@SPEED]");
    return NULL;
  }
  track = yun_gpx_load (path, error);
  if (track == NULL) {
    g_prefix_error (error, "%s: ", path);
    return NULL;
  }
  return YUN_LOCATION (yun_simulated_location_new_for_track (track, speed));
}

/**
 * yun_location_new_for_spec:
 * @spec: (nullable): which source: %NULL, "" or "geoclue" for the system's,
 *   "fixed:LATITUDE,LONGITUDE[,ACCURACY]" for one position (accuracy in
 *   metres, 10 when not given), or "gpx:PATH[@SPEED]" to replay a GPX file
 *   SPEED times faster than it was recorded (1 when not given)
 * @desktop_id: the program's desktop file name without ".desktop", which
 *   GeoClue asks for and shows to the user
 * @error: where a #YunLocationError, #YunGpxError or #GIOErrorEnum goes
 *
 * Picks the source of positions.  The shell passes the value of the
 * YUN_LOCATION environment variable or of its developer settings.  A GPX
 * file is read here, synchronously: call this at start-up.
 *
 * Whether GeoClue is there is only known once started: its absence then
 * comes as #YunLocation::failed with %YUN_LOCATION_ERROR_UNAVAILABLE.
 *
 * Returns: (transfer full) (nullable): the source, or %NULL with @error set
 */
YunLocation *
yun_location_new_for_spec (const char  *spec,
                           const char  *desktop_id,
                           GError     **error)
{
  g_return_val_if_fail (desktop_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (spec == NULL || spec[0] == '\0' || strcmp (spec, "geoclue") == 0)
    return YUN_LOCATION (yun_geoclue_location_new (NULL, desktop_id));
  if (g_str_has_prefix (spec, "fixed:"))
    return new_fixed (spec + strlen ("fixed:"), error);
  if (g_str_has_prefix (spec, "gpx:"))
    return new_track (spec + strlen ("gpx:"), error);

  g_set_error (error, YUN_LOCATION_ERROR, YUN_LOCATION_ERROR_INVALID,
               "a location is geoclue, fixed:LATITUDE,LONGITUDE[,ACCURACY] or "
               "gpx:PATH[@SPEED]");
  return NULL;
}
