/* yun-gpx.h: GPX 1.0/1.1 tracks, routes and waypoints, read strictly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define YUN_GPX_ERROR (yun_gpx_error_quark ())

/**
 * YunGpxError:
 * @YUN_GPX_ERROR_MALFORMED: the text is not well-formed XML (or not UTF-8)
 * @YUN_GPX_ERROR_INVALID: the XML is not a usable GPX document: the root is
 *   not `<gpx>`, a point has a missing or out-of-range `lat`/`lon`, an
 *   unreadable `<ele>` or `<time>`, or there are no points at all
 * @YUN_GPX_ERROR_TOO_LARGE: the input is over %YUN_GPX_MAX_BYTES, holds more
 *   than %YUN_GPX_MAX_POINTS points, or nests deeper than
 *   %YUN_GPX_MAX_DEPTH elements
 *
 * What was wrong with a GPX document.  Every message names the line (and
 * column) where the problem was found, except for an oversize input.
 */
typedef enum {
  YUN_GPX_ERROR_MALFORMED,
  YUN_GPX_ERROR_INVALID,
  YUN_GPX_ERROR_TOO_LARGE,
} YunGpxError;

/* The biggest document read, in bytes. */
#define YUN_GPX_MAX_BYTES (16 * 1024 * 1024)
/* The most points of one kind (track, route or waypoint) read. */
#define YUN_GPX_MAX_POINTS 100000
/* The deepest element nesting accepted. */
#define YUN_GPX_MAX_DEPTH 32

/**
 * YunGpxPoint:
 * @latitude: degrees, -90 to 90 (WGS 84)
 * @longitude: degrees, -180 to 180
 * @elevation: metres above sea level from `<ele>`, or NAN when absent
 * @time_ms: milliseconds since the Unix epoch from `<time>`; meaningful
 *   only when @has_time
 * @has_time: whether the point has a `<time>`
 *
 * One `<trkpt>`, `<rtept>` or `<wpt>`.
 */
typedef struct {
  double   latitude;
  double   longitude;
  double   elevation;
  gint64   time_ms;
  gboolean has_time;
} YunGpxPoint;

/**
 * YunGpx:
 *
 * The points of a GPX document, in document order: the track points of
 * all its tracks and segments if it has any, else its route points, else
 * its waypoints.  Other elements (names, extensions, metadata) are read
 * past and ignored.  Entities other than XML's five are not expanded, so
 * entity bombs cannot grow the input.
 */
#define YUN_TYPE_GPX (yun_gpx_get_type ())
G_DECLARE_FINAL_TYPE (YunGpx, yun_gpx, YUN, GPX, GObject)

GQuark             yun_gpx_error_quark  (void);

YunGpx            *yun_gpx_parse        (const char  *data,
                                         gsize        length,
                                         GError     **error);
YunGpx            *yun_gpx_load         (const char  *path,
                                         GError     **error);

guint              yun_gpx_get_n_points (YunGpx      *self);
const YunGpxPoint *yun_gpx_get_point    (YunGpx      *self,
                                         guint        index);

G_END_DECLS
