/* test-location.c: the location sources: fixed, GPX replay, GeoClue.
 *
 * GeoClue is spoken to on a private bus (GTestDBus): absent, and as a
 * stand-in service that answers the GeoClue 2 D-Bus API the way the real
 * one does (it refuses Start before DesktopId is set).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "yun-geoclue-location.h"
#include "yun-location.h"
#include "yun-simulated-location.h"
#include "yun-test-files.h"
#include "yun-test-loop.h"

#define GUARD_SECONDS 20

/* What a source emitted. */
typedef struct {
  GArray *positions;    /* of YunPosition */
  GError *error;
  guint wanted;         /* done once this many positions came */
  gboolean done;
} Seen;

static void
on_position_changed (YunLocation       *location,
                     const YunPosition *position,
                     Seen              *seen)
{
  g_array_append_val (seen->positions, *position);
  if (seen->positions->len >= seen->wanted)
    seen->done = TRUE;
}

static void
on_failed (YunLocation  *location,
           const GError *error,
           Seen         *seen)
{
  g_assert_null (seen->error);
  seen->error = g_error_copy (error);
  seen->done = TRUE;
}

static void
seen_watch (Seen        *seen,
            YunLocation *location,
            guint        wanted)
{
  *seen = (Seen) { .positions = g_array_new (FALSE, FALSE, sizeof (YunPosition)),
                   .wanted = wanted };
  g_signal_connect (location, "position-changed", G_CALLBACK (on_position_changed), seen);
  g_signal_connect (location, "failed", G_CALLBACK (on_failed), seen);
}

/* Starts @location and runs until it gave @wanted positions or failed. */
static void
start_and_wait (Seen        *seen,
                YunLocation *location,
                guint        wanted)
{
  seen_watch (seen, location, wanted);
  yun_location_start (location);
  yun_test_run_until (&seen->done, GUARD_SECONDS);
}

static void
seen_clear (Seen *seen)
{
  g_array_unref (seen->positions);
  g_clear_error (&seen->error);
}

static const YunPosition *
nth (Seen  *seen,
     guint  index)
{
  return &g_array_index (seen->positions, YunPosition, index);
}

static void
on_elapsed (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* Lets the main context run for @ms, so that anything due would show. */
static void
run_for (guint ms)
{
  gboolean elapsed = FALSE;

  g_timeout_add_once (ms, on_elapsed, &elapsed);
  yun_test_run_until (&elapsed, GUARD_SECONDS);
}

static YunGpx *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  YunGpx *gpx = yun_gpx_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  return gpx;
}

static void
test_fixed_delivers_once (void)
{
  g_autoptr(YunSimulatedLocation) fixed = yun_simulated_location_new_fixed (31.23, 121.47, 25);
  gint64 before = g_get_real_time () / 1000;
  Seen seen;

  seen_watch (&seen, YUN_LOCATION (fixed), 1);
  yun_location_start (YUN_LOCATION (fixed));
  /* Never from inside start(). */
  g_assert_cmpuint (seen.positions->len, ==, 0);
  yun_test_run_until (&seen.done, GUARD_SECONDS);

  g_assert_cmpuint (seen.positions->len, ==, 1);
  g_assert_cmpfloat (nth (&seen, 0)->latitude, ==, 31.23);
  g_assert_cmpfloat (nth (&seen, 0)->longitude, ==, 121.47);
  g_assert_cmpfloat (nth (&seen, 0)->accuracy, ==, 25);
  g_assert_cmpfloat (nth (&seen, 0)->speed, ==, 0);
  g_assert_true (isnan (nth (&seen, 0)->altitude));
  g_assert_true (isnan (nth (&seen, 0)->altitude_accuracy));
  g_assert_true (isnan (nth (&seen, 0)->heading));
  g_assert_cmpint (nth (&seen, 0)->timestamp_ms, >=, before);
  g_assert_cmpint (nth (&seen, 0)->timestamp_ms, <=, g_get_real_time () / 1000);

  yun_location_stop (YUN_LOCATION (fixed));
  seen_clear (&seen);
  g_assert_finalize_object (g_steal_pointer (&fixed));
}

/* Five points; the recorded gaps are 10 s, 20 s, 0 s (same time) and
 * then untimed. */
static const char track_gpx[] =
  "<gpx><trk><trkseg>"
  "<trkpt lat=\"10.000\" lon=\"20\"><time>2024-01-01T00:00:00Z</time></trkpt>"
  "<trkpt lat=\"10.001\" lon=\"20\"><time>2024-01-01T00:00:10Z</time></trkpt>"
  "<trkpt lat=\"10.001\" lon=\"20.001\"><ele>12</ele><time>2024-01-01T00:00:30Z</time></trkpt>"
  "<trkpt lat=\"10.001\" lon=\"20.001\"><time>2024-01-01T00:00:30Z</time></trkpt>"
  "<trkpt lat=\"10.000\" lon=\"20.001\"/>"
  "</trkseg></trk></gpx>";

static void
test_track_spacing_scaled_by_speed (void)
{
  g_autoptr(YunGpx) gpx = parse (track_gpx);
  g_autoptr(YunSimulatedLocation) slow = yun_simulated_location_new_for_track (gpx, 1);
  g_autoptr(YunSimulatedLocation) fast = yun_simulated_location_new_for_track (gpx, 4);

  g_assert_cmpuint (yun_simulated_location_get_delay_ms (slow, 1), ==, 10000);
  g_assert_cmpuint (yun_simulated_location_get_delay_ms (slow, 2), ==, 20000);
  g_assert_cmpuint (yun_simulated_location_get_delay_ms (slow, 3), ==, 0);
  g_assert_cmpuint (yun_simulated_location_get_delay_ms (slow, 4),
                    ==, YUN_SIMULATED_LOCATION_UNTIMED_INTERVAL_MS);
  g_assert_cmpuint (yun_simulated_location_get_delay_ms (fast, 1), ==, 2500);
  g_assert_cmpuint (yun_simulated_location_get_delay_ms (fast, 2), ==, 5000);
  g_assert_cmpuint (yun_simulated_location_get_delay_ms (fast, 4),
                    ==, YUN_SIMULATED_LOCATION_UNTIMED_INTERVAL_MS / 4);
}

static void
test_track_arrives_in_order (void)
{
  g_autoptr(YunGpx) gpx = parse (track_gpx);
  /* 30 s of track in 3 ms, and the untimed step in 0.1 ms. */
  g_autoptr(YunSimulatedLocation) replay = yun_simulated_location_new_for_track (gpx, 10000);
  Seen seen;

  start_and_wait (&seen, YUN_LOCATION (replay), 5);
  g_assert_null (seen.error);
  g_assert_cmpuint (seen.positions->len, ==, 5);
  for (guint i = 0; i < 5; i++) {
    const YunGpxPoint *point = yun_gpx_get_point (gpx, i);

    g_assert_cmpfloat (nth (&seen, i)->latitude, ==, point->latitude);
    g_assert_cmpfloat (nth (&seen, i)->longitude, ==, point->longitude);
    g_assert_cmpfloat (nth (&seen, i)->accuracy, ==, YUN_SIMULATED_LOCATION_TRACK_ACCURACY);
    if (i > 0)
      g_assert_cmpint (nth (&seen, i)->timestamp_ms, >=, nth (&seen, i - 1)->timestamp_ms);
  }
  g_assert_cmpfloat (nth (&seen, 2)->altitude, ==, 12);
  g_assert_true (isnan (nth (&seen, 1)->altitude));

  /* Nothing after the last point. */
  run_for (50);
  g_assert_cmpuint (seen.positions->len, ==, 5);
  seen_clear (&seen);
  yun_location_stop (YUN_LOCATION (replay));
  g_assert_finalize_object (g_steal_pointer (&replay));
}

static void
test_track_heading_and_speed (void)
{
  g_autoptr(YunGpx) gpx = parse (track_gpx);
  g_autoptr(YunSimulatedLocation) replay = yun_simulated_location_new_for_track (gpx, 10000);
  Seen seen;

  start_and_wait (&seen, YUN_LOCATION (replay), 5);

  /* The first point has nothing to compare with. */
  g_assert_true (isnan (nth (&seen, 0)->heading));
  g_assert_true (isnan (nth (&seen, 0)->speed));
  /* 0.001° of latitude north is 111.2 m, in 10 s. */
  g_assert_cmpfloat_with_epsilon (nth (&seen, 1)->heading, 0, 0.01);
  g_assert_cmpfloat_with_epsilon (nth (&seen, 1)->speed, 11.12, 0.01);
  /* 0.001° of longitude east at 10° north is 109.5 m, in 20 s. */
  g_assert_cmpfloat_with_epsilon (nth (&seen, 2)->heading, 90, 0.01);
  g_assert_cmpfloat_with_epsilon (nth (&seen, 2)->speed, 5.475, 0.01);
  /* Standing still: no heading; no time passed: no speed. */
  g_assert_true (isnan (nth (&seen, 3)->heading));
  g_assert_true (isnan (nth (&seen, 3)->speed));
  /* Untimed: a heading (south) but no speed. */
  g_assert_cmpfloat_with_epsilon (nth (&seen, 4)->heading, 180, 0.01);
  g_assert_true (isnan (nth (&seen, 4)->speed));

  seen_clear (&seen);
}

static void
test_track_stop_and_restart (void)
{
  g_autoptr(YunGpx) gpx = parse (track_gpx);
  /* The first gap is 10 s here: the stop comes well before it. */
  g_autoptr(YunSimulatedLocation) replay = yun_simulated_location_new_for_track (gpx, 1);
  Seen seen;

  start_and_wait (&seen, YUN_LOCATION (replay), 1);
  yun_location_stop (YUN_LOCATION (replay));
  run_for (20);
  g_assert_cmpuint (seen.positions->len, ==, 1);

  /* Starting again replays from the first point. */
  seen.done = FALSE;
  seen.wanted = 2;
  yun_location_start (YUN_LOCATION (replay));
  yun_test_run_until (&seen.done, GUARD_SECONDS);
  g_assert_cmpuint (seen.positions->len, ==, 2);
  g_assert_cmpfloat (nth (&seen, 1)->latitude, ==, nth (&seen, 0)->latitude);
  g_assert_cmpfloat (nth (&seen, 1)->longitude, ==, nth (&seen, 0)->longitude);

  yun_location_stop (YUN_LOCATION (replay));
  seen_clear (&seen);
  g_assert_finalize_object (g_steal_pointer (&replay));
}

static YunLocation *
from_spec (const char *spec)
{
  g_autoptr(GError) error = NULL;
  YunLocation *location = yun_location_new_for_spec (spec, "org.yun.Test", &error);

  g_assert_no_error (error);
  g_assert_nonnull (location);
  return location;
}

static YunPosition
first_position (YunLocation *location)
{
  YunPosition position;
  Seen seen;

  start_and_wait (&seen, location, 1);
  g_assert_no_error (seen.error);
  position = *nth (&seen, 0);
  yun_location_stop (location);
  g_signal_handlers_disconnect_by_data (location, &seen);
  seen_clear (&seen);
  return position;
}

static void
test_spec_picks_source (void)
{
  g_autofree char *dir = g_dir_make_tmp ("yun-location-XXXXXX", NULL);
  g_autofree char *gpx_spec = g_strdup_printf ("gpx:%s/a@b.gpx@50", dir);
  g_autofree char *at_path = g_strdup_printf ("gpx:%s/a@b.gpx", dir);
  g_autoptr(YunLocation) fixed = from_spec ("fixed:-33.86,151.21");
  g_autoptr(YunLocation) fixed_accuracy = from_spec ("fixed:1.5,-2.5,150");
  g_autoptr(YunLocation) track = NULL;
  g_autoptr(YunLocation) track_at = NULL;
  g_autoptr(YunLocation) system = from_spec (NULL);
  g_autoptr(YunLocation) system_named = from_spec ("geoclue");
  YunPosition position;

  position = first_position (fixed);
  g_assert_cmpfloat (position.latitude, ==, -33.86);
  g_assert_cmpfloat (position.longitude, ==, 151.21);
  g_assert_cmpfloat (position.accuracy, ==, 10);
  position = first_position (fixed_accuracy);
  g_assert_cmpfloat (position.accuracy, ==, 150);

  /* An @ in the path stays in the path; the last @NUMBER is the speed. */
  yun_test_write_file (dir, "a@b.gpx", track_gpx, -1);
  track = from_spec (gpx_spec);
  g_assert_true (YUN_IS_SIMULATED_LOCATION (track));
  g_assert_cmpuint (yun_simulated_location_get_delay_ms (YUN_SIMULATED_LOCATION (track), 1),
                    ==, 200);
  track_at = from_spec (at_path);
  g_assert_cmpuint (yun_simulated_location_get_delay_ms (YUN_SIMULATED_LOCATION (track_at), 1),
                    ==, 10000);
  position = first_position (track);
  g_assert_cmpfloat (position.latitude, ==, 10);

  g_assert_true (YUN_IS_GEOCLUE_LOCATION (system));
  g_assert_true (YUN_IS_GEOCLUE_LOCATION (system_named));
  yun_test_remove_tree (dir);
}

static void
test_spec_bad (void)
{
  static const struct {
    const char *spec;
    GQuark (*domain) (void);
    int code;
  } bad[] = {
    { "fixed:", yun_location_error_quark, YUN_LOCATION_ERROR_INVALID },
    { "fixed:1", yun_location_error_quark, YUN_LOCATION_ERROR_INVALID },
    { "fixed:91,0", yun_location_error_quark, YUN_LOCATION_ERROR_INVALID },
    { "fixed:0,-180.1", yun_location_error_quark, YUN_LOCATION_ERROR_INVALID },
    { "fixed:1,2,-1", yun_location_error_quark, YUN_LOCATION_ERROR_INVALID },
    { "fixed:1,2,3,4", yun_location_error_quark, YUN_LOCATION_ERROR_INVALID },
    { "fixed:a,b", yun_location_error_quark, YUN_LOCATION_ERROR_INVALID },
    { "fixed:nan,1", yun_location_error_quark, YUN_LOCATION_ERROR_INVALID },
    { "gpx:", yun_location_error_quark, YUN_LOCATION_ERROR_INVALID },
    { "gpx:@2", yun_location_error_quark, YUN_LOCATION_ERROR_INVALID },
    { "gpx:/nonexistent/walk.gpx@0", yun_location_error_quark, YUN_LOCATION_ERROR_INVALID },
    { "gpx:/nonexistent/walk.gpx@1e9", yun_location_error_quark, YUN_LOCATION_ERROR_INVALID },
    { "gpx:/nonexistent/walk.gpx", g_io_error_quark, G_IO_ERROR_NOT_FOUND },
    { "gps:/dev/ttyUSB0", yun_location_error_quark, YUN_LOCATION_ERROR_INVALID },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(YunLocation) location = yun_location_new_for_spec (bad[i].spec, "org.yun.Test", &error);

    g_test_message ("%s", bad[i].spec);
    g_assert_null (location);
    g_assert_error (error, bad[i].domain (), bad[i].code);
  }
}

static void
test_spec_bad_gpx_names_file_and_line (void)
{
  g_autofree char *dir = g_dir_make_tmp ("yun-location-XXXXXX", NULL);
  g_autofree char *spec = g_strdup_printf ("gpx:%s/bad.gpx", dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(YunLocation) location = NULL;

  yun_test_write_file (dir, "bad.gpx", "<gpx>\n<wpt lat=\"100\" lon=\"0\"/>\n</gpx>\n", -1);
  location = yun_location_new_for_spec (spec, "org.yun.Test", &error);
  g_assert_null (location);
  g_assert_error (error, YUN_GPX_ERROR, YUN_GPX_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "bad.gpx"));
  g_assert_nonnull (strstr (error->message, "line 2"));
  yun_test_remove_tree (dir);
}

static GError *
start_expecting_failure (YunLocation *location)
{
  GError *error;
  Seen seen;

  start_and_wait (&seen, location, 1);
  g_assert_cmpuint (seen.positions->len, ==, 0);
  error = g_steal_pointer (&seen.error);
  g_signal_handlers_disconnect_by_data (location, &seen);
  seen_clear (&seen);
  return error;
}

static void
test_geoclue_without_system_bus (void)
{
  g_autoptr(YunGeoclueLocation) geoclue = yun_geoclue_location_new (NULL, "org.yun.Test");
  g_autoptr(GError) error = start_expecting_failure (YUN_LOCATION (geoclue));

  g_assert_error (error, YUN_LOCATION_ERROR, YUN_LOCATION_ERROR_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "GeoClue"));
  yun_location_stop (YUN_LOCATION (geoclue));
  g_assert_finalize_object (g_steal_pointer (&geoclue));
}

/* A private bus; the stand-in service, when used, has its own
 * connection to it. */
typedef struct {
  GTestDBus *bus;
  GDBusConnection *client;
  GDBusConnection *service;
  GString *calls;       /* what the stand-in was asked, in order */
  char *desktop_id;
  gboolean deny;
  gboolean deleted;
} Bus;

static void
bus_set_up (Bus           *bus,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  bus->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus->bus);
  bus->client = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (bus->bus),
                                                        G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                        G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                        NULL, NULL, &error);
  g_assert_no_error (error);
  bus->calls = g_string_new (NULL);
}

static void
bus_tear_down (Bus           *bus,
               gconstpointer  data)
{
  if (bus->service != NULL)
    g_dbus_connection_close_sync (bus->service, NULL, NULL);
  g_clear_object (&bus->service);
  g_dbus_connection_close_sync (bus->client, NULL, NULL);
  g_clear_object (&bus->client);
  g_test_dbus_down (bus->bus);
  g_clear_object (&bus->bus);
  g_string_free (bus->calls, TRUE);
  g_free (bus->desktop_id);
}

static const char stand_in_xml[] =
  "<node>"
  " <interface name='org.freedesktop.GeoClue2.Manager'>"
  "  <method name='GetClient'><arg name='client' type='o' direction='out'/></method>"
  "  <method name='DeleteClient'><arg name='client' type='o' direction='in'/></method>"
  " </interface>"
  " <interface name='org.freedesktop.GeoClue2.Client'>"
  "  <property name='DesktopId' type='s' access='readwrite'/>"
  "  <property name='RequestedAccuracyLevel' type='u' access='readwrite'/>"
  "  <method name='Start'/>"
  "  <method name='Stop'/>"
  "  <signal name='LocationUpdated'><arg type='o'/><arg type='o'/></signal>"
  " </interface>"
  " <interface name='org.freedesktop.GeoClue2.Location'>"
  "  <property name='Latitude' type='d' access='read'/>"
  "  <property name='Longitude' type='d' access='read'/>"
  "  <property name='Accuracy' type='d' access='read'/>"
  "  <property name='Altitude' type='d' access='read'/>"
  "  <property name='Speed' type='d' access='read'/>"
  "  <property name='Heading' type='d' access='read'/>"
  "  <property name='Timestamp' type='(tt)' access='read'/>"
  " </interface>"
  "</node>";

#define CLIENT_PATH "/org/freedesktop/GeoClue2/Client/1"
#define LOCATION_PATH "/org/freedesktop/GeoClue2/Client/1/Location/0"

static void
on_stand_in_call (GDBusConnection       *connection,
                  const char            *sender,
                  const char            *path,
                  const char            *interface,
                  const char            *method,
                  GVariant              *parameters,
                  GDBusMethodInvocation *invocation,
                  gpointer               user_data)
{
  Bus *bus = user_data;

  g_string_append_printf (bus->calls, "%s;", method);
  if (g_str_equal (method, "GetClient")) {
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", CLIENT_PATH));
  } else if (g_str_equal (method, "Start") && (bus->deny || bus->desktop_id == NULL)) {
    g_dbus_method_invocation_return_dbus_error (invocation, "org.freedesktop.DBus.Error.AccessDenied",
                                                "'org.yun.Test' disallowed, no agent");
  } else if (g_str_equal (method, "Start")) {
    g_dbus_method_invocation_return_value (invocation, NULL);
    g_dbus_connection_emit_signal (connection, NULL, CLIENT_PATH,
                                   "org.freedesktop.GeoClue2.Client", "LocationUpdated",
                                   g_variant_new ("(oo)", "/", LOCATION_PATH), NULL);
  } else {
    bus->deleted |= g_str_equal (method, "DeleteClient");
    g_dbus_method_invocation_return_value (invocation, NULL);
  }
}

static GVariant *
on_stand_in_get (GDBusConnection  *connection,
                 const char       *sender,
                 const char       *path,
                 const char       *interface,
                 const char       *name,
                 GError          **error,
                 gpointer          user_data)
{
  if (g_str_equal (name, "Latitude"))
    return g_variant_new_double (39.9042);
  if (g_str_equal (name, "Longitude"))
    return g_variant_new_double (116.4074);
  if (g_str_equal (name, "Accuracy"))
    return g_variant_new_double (30);
  if (g_str_equal (name, "Altitude"))
    return g_variant_new_double (-G_MAXDOUBLE);
  if (g_str_equal (name, "Speed"))
    return g_variant_new_double (1.5);
  if (g_str_equal (name, "Heading"))
    return g_variant_new_double (-1);
  if (g_str_equal (name, "Timestamp"))
    return g_variant_new ("(tt)", (guint64) 1700000000, (guint64) 250000);
  return g_variant_new_string ("");
}

static gboolean
on_stand_in_set (GDBusConnection  *connection,
                 const char       *sender,
                 const char       *path,
                 const char       *interface,
                 const char       *name,
                 GVariant         *value,
                 GError          **error,
                 gpointer          user_data)
{
  Bus *bus = user_data;
  g_autofree char *text = g_variant_print (value, FALSE);

  g_string_append_printf (bus->calls, "%s=%s;", name, text);
  if (g_str_equal (name, "DesktopId")) {
    g_free (bus->desktop_id);
    bus->desktop_id = g_variant_dup_string (value, NULL);
  }
  return TRUE;
}

static void
stand_in_up (Bus *bus)
{
  static const GDBusInterfaceVTable vtable = {
    .method_call = on_stand_in_call,
    .get_property = on_stand_in_get,
    .set_property = on_stand_in_set,
  };
  g_autoptr(GDBusNodeInfo) node = g_dbus_node_info_new_for_xml (stand_in_xml, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  static const char *paths[] = { "/org/freedesktop/GeoClue2/Manager", CLIENT_PATH, LOCATION_PATH };

  bus->service = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (bus->bus),
                                                         G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                         G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                         NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++) {
    g_dbus_connection_register_object (bus->service, paths[i], node->interfaces[i],
                                       &vtable, bus, NULL, &error);
    g_assert_no_error (error);
  }
  reply = g_dbus_connection_call_sync (bus->service, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.GeoClue2", 0u),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

static void
test_geoclue_service_absent (Bus           *bus,
                             gconstpointer  data)
{
  g_autoptr(YunGeoclueLocation) geoclue = yun_geoclue_location_new (bus->client, "org.yun.Test");
  g_autoptr(GError) error = start_expecting_failure (YUN_LOCATION (geoclue));

  g_assert_error (error, YUN_LOCATION_ERROR, YUN_LOCATION_ERROR_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "GeoClue is not available"));
  g_assert_finalize_object (g_steal_pointer (&geoclue));
}

static void
test_geoclue_stand_in_delivers (Bus           *bus,
                                gconstpointer  data)
{
  g_autoptr(YunGeoclueLocation) geoclue = yun_geoclue_location_new (bus->client, "org.yun.Test");
  const YunPosition *position;
  Seen seen;

  stand_in_up (bus);
  start_and_wait (&seen, YUN_LOCATION (geoclue), 1);
  g_assert_no_error (seen.error);

  position = nth (&seen, 0);
  g_assert_cmpfloat (position->latitude, ==, 39.9042);
  g_assert_cmpfloat (position->longitude, ==, 116.4074);
  g_assert_cmpfloat (position->accuracy, ==, 30);
  g_assert_cmpfloat (position->speed, ==, 1.5);
  /* GeoClue's "unknown" altitude and heading are null (NAN) here. */
  g_assert_true (isnan (position->altitude));
  g_assert_true (isnan (position->heading));
  g_assert_cmpint (position->timestamp_ms, ==, G_GINT64_CONSTANT (1700000000250));

  yun_location_stop (YUN_LOCATION (geoclue));
  yun_test_run_until (&bus->deleted, GUARD_SECONDS);
  g_assert_cmpstr (bus->calls->str, ==,
                   "GetClient;DesktopId='org.yun.Test';RequestedAccuracyLevel=8;Start;"
                   "Stop;DeleteClient;");
  seen_clear (&seen);
  g_assert_finalize_object (g_steal_pointer (&geoclue));
}

static void
test_geoclue_denied (Bus           *bus,
                     gconstpointer  data)
{
  g_autoptr(YunGeoclueLocation) geoclue = yun_geoclue_location_new (bus->client, "org.yun.Test");
  g_autoptr(GError) error = NULL;

  stand_in_up (bus);
  bus->deny = TRUE;
  error = start_expecting_failure (YUN_LOCATION (geoclue));
  g_assert_error (error, YUN_LOCATION_ERROR, YUN_LOCATION_ERROR_DENIED);
  g_assert_nonnull (strstr (error->message, "disallowed"));
  g_assert_finalize_object (g_steal_pointer (&geoclue));
}

int
main (int   argc,
      char *argv[])
{
  /* GeoClue's system bus, here: one that is not there. */
  g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/yun-test/system_bus_socket", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/yun/services/location/fixed/delivers-once", test_fixed_delivers_once);
  g_test_add_func ("/yun/services/location/track/spacing-scaled-by-speed",
                   test_track_spacing_scaled_by_speed);
  g_test_add_func ("/yun/services/location/track/arrives-in-order", test_track_arrives_in_order);
  g_test_add_func ("/yun/services/location/track/heading-and-speed", test_track_heading_and_speed);
  g_test_add_func ("/yun/services/location/track/stop-and-restart", test_track_stop_and_restart);
  g_test_add_func ("/yun/services/location/spec/picks-source", test_spec_picks_source);
  g_test_add_func ("/yun/services/location/spec/bad", test_spec_bad);
  g_test_add_func ("/yun/services/location/spec/bad-gpx-names-file-and-line",
                   test_spec_bad_gpx_names_file_and_line);
  g_test_add_func ("/yun/services/location/geoclue/without-system-bus",
                   test_geoclue_without_system_bus);
  g_test_add ("/yun/services/location/geoclue/service-absent", Bus, NULL,
              bus_set_up, test_geoclue_service_absent, bus_tear_down);
  g_test_add ("/yun/services/location/geoclue/stand-in-delivers", Bus, NULL,
              bus_set_up, test_geoclue_stand_in_delivers, bus_tear_down);
  g_test_add ("/yun/services/location/geoclue/denied", Bus, NULL,
              bus_set_up, test_geoclue_denied, bus_tear_down);

  return g_test_run ();
}
