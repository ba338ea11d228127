/* test-gpx.c: reading GPX tracks, routes and waypoints, strictly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "yun-gpx.h"
#include "yun-test-files.h"

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
             "<gpx version=\"1.1\" creator=\"test\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n"

static YunGpx *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  YunGpx *gpx = yun_gpx_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (gpx);
  return gpx;
}

/* The text fails with @code, and the message contains @fragment (the
 * line, usually). */
static void
assert_fails (const char *text,
              gssize      length,
              int         code,
              const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunGpx) gpx = yun_gpx_parse (text, length < 0 ? strlen (text) : (gsize) length,
                                         &error);

  g_assert_null (gpx);
  g_assert_error (error, YUN_GPX_ERROR, code);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (strstr (error->message, fragment) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, fragment);
}

static void
test_track_points_in_order (void)
{
  g_autoptr(YunGpx) gpx = parse_ok (
    HEAD
    "<metadata><time>2001-01-01T00:00:00Z</time></metadata>\n"
    "<trk><name>walk</name><trkseg>\n"
    "  <trkpt lat=\"48.85\" lon=\"2.35\"><ele>35.5</ele><time>2024-05-01T10:00:00Z</time></trkpt>\n"
    "  <trkpt lat=\"48.86\" lon=\"2.36\"><time>2024-05-01T10:00:10.250Z</time>\n"
    "    <extensions><time>1999-01-01T00:00:00Z</time></extensions></trkpt>\n"
    "</trkseg><trkseg>\n"
    "  <trkpt lon=\"-2.5\" lat=\"-48.5\"/>\n"
    "</trkseg></trk></gpx>\n");
  const YunGpxPoint *p;

  g_assert_cmpuint (yun_gpx_get_n_points (gpx), ==, 3);
  p = yun_gpx_get_point (gpx, 0);
  g_assert_cmpfloat (p->latitude, ==, 48.85);
  g_assert_cmpfloat (p->longitude, ==, 2.35);
  g_assert_cmpfloat (p->elevation, ==, 35.5);
  g_assert_true (p->has_time);
  g_assert_cmpint (p->time_ms, ==, G_GINT64_CONSTANT (1714557600000));
  p = yun_gpx_get_point (gpx, 1);
  g_assert_true (isnan (p->elevation));
  /* The point's own time, not the one in its extensions. */
  g_assert_cmpint (p->time_ms, ==, G_GINT64_CONSTANT (1714557610250));
  p = yun_gpx_get_point (gpx, 2);
  g_assert_cmpfloat (p->latitude, ==, -48.5);
  g_assert_cmpfloat (p->longitude, ==, -2.5);
  g_assert_false (p->has_time);
}

static void
test_track_before_route_before_waypoints (void)
{
  g_autoptr(YunGpx) all = parse_ok (HEAD
                                    "<wpt lat=\"1\" lon=\"1\"/>"
                                    "<rte><rtept lat=\"2\" lon=\"2\"/></rte>"
                                    "<trk><trkseg><trkpt lat=\"3\" lon=\"3\"/></trkseg></trk>"
                                    "</gpx>");
  g_autoptr(YunGpx) route = parse_ok (HEAD
                                      "<wpt lat=\"1\" lon=\"1\"/>"
                                      "<rte><rtept lat=\"2\" lon=\"2\"/><rtept lat=\"4\" lon=\"4\"/></rte>"
                                      "</gpx>");
  g_autoptr(YunGpx) waypoints = parse_ok (HEAD "<wpt lat=\"1\" lon=\"1\"/><wpt lat=\"5\" lon=\"5\"/></gpx>");

  g_assert_cmpuint (yun_gpx_get_n_points (all), ==, 1);
  g_assert_cmpfloat (yun_gpx_get_point (all, 0)->latitude, ==, 3);
  g_assert_cmpuint (yun_gpx_get_n_points (route), ==, 2);
  g_assert_cmpfloat (yun_gpx_get_point (route, 1)->latitude, ==, 4);
  g_assert_cmpuint (yun_gpx_get_n_points (waypoints), ==, 2);
  g_assert_cmpfloat (yun_gpx_get_point (waypoints, 1)->longitude, ==, 5);
}

static void
test_prefixed_names (void)
{
  g_autoptr(YunGpx) gpx = parse_ok (
    "<g:gpx xmlns:g=\"http://www.topografix.com/GPX/1/1\"><g:trk><g:trkseg>"
    "<g:trkpt lat=\"10\" lon=\"20\"><g:ele>-3</g:ele></g:trkpt>"
    "</g:trkseg></g:trk></g:gpx>");

  g_assert_cmpuint (yun_gpx_get_n_points (gpx), ==, 1);
  g_assert_cmpfloat (yun_gpx_get_point (gpx, 0)->elevation, ==, -3);
}

static void
test_points_outside_their_parent_ignored (void)
{
  /* A trkpt must sit in a trkseg; one elsewhere (here in extensions) is
   * not a track point. */
  g_autoptr(YunGpx) gpx = parse_ok (HEAD
                                    "<extensions><trkpt lat=\"1\" lon=\"1\"/></extensions>"
                                    "<wpt lat=\"7\" lon=\"8\"/></gpx>");

  g_assert_cmpuint (yun_gpx_get_n_points (gpx), ==, 1);
  g_assert_cmpfloat (yun_gpx_get_point (gpx, 0)->latitude, ==, 7);
}

static void
test_malformed_xml_names_line (void)
{
  assert_fails (HEAD "<trk><trkseg>\n<trkpt lat=\"1\" lon=\"1\">\n</trkseg></trk></gpx>",
                -1, YUN_GPX_ERROR_MALFORMED, "line 5");
  assert_fails ("", 0, YUN_GPX_ERROR_MALFORMED, "");
  assert_fails ("not xml at all", -1, YUN_GPX_ERROR_MALFORMED, "line 1");
  assert_fails (HEAD "\n\n<wpt lat=\"1\" lon=\"1\" lat=\"2\"/></gpx>", -1,
                YUN_GPX_ERROR_MALFORMED, "line 5");
}

static void
test_coordinates_checked (void)
{
  static const char *bad[] = {
    "<wpt lon=\"1\"/>",
    "<wpt lat=\"1\"/>",
    "<wpt lat=\"90.0001\" lon=\"1\"/>",
    "<wpt lat=\"-91\" lon=\"1\"/>",
    "<wpt lat=\"1\" lon=\"180.5\"/>",
    "<wpt lat=\"1\" lon=\"-181\"/>",
    "<wpt lat=\"nan\" lon=\"1\"/>",
    "<wpt lat=\"inf\" lon=\"1\"/>",
    "<wpt lat=\"0x10\" lon=\"1\"/>",
    "<wpt lat=\"12abc\" lon=\"1\"/>",
    "<wpt lat=\"\" lon=\"1\"/>",
    "<wpt lat=\"1\" lon=\"1\"><ele>high</ele></wpt>",
    "<wpt lat=\"1\" lon=\"1\"><ele>1e300</ele></wpt>",
    "<wpt lat=\"1\" lon=\"1\"><time>yesterday</time></wpt>",
    "<wpt lat=\"1\" lon=\"1\"><time>2024-13-01T00:00:00Z</time></wpt>",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_autofree char *text = g_strconcat (HEAD, "<wpt lat=\"0\" lon=\"0\"/>\n\n", bad[i], "</gpx>", NULL);

    g_test_message ("%s", bad[i]);
    assert_fails (text, -1, YUN_GPX_ERROR_INVALID, "line 5");
  }
}

static void
test_not_gpx_or_empty (void)
{
  assert_fails ("<kml><wpt lat=\"1\" lon=\"1\"/></kml>", -1, YUN_GPX_ERROR_INVALID, "line 1");
  assert_fails (HEAD "<trk><name>empty</name></trk>\n</gpx>\n", -1,
                YUN_GPX_ERROR_INVALID, "line 4");
}

static void
test_long_field_refused (void)
{
  g_autofree char *digits = g_strnfill (100, '1');
  g_autofree char *text = g_strdup_printf (HEAD "<wpt lat=\"1\" lon=\"1\"><ele>%s</ele></wpt></gpx>",
                                           digits);

  assert_fails (text, -1, YUN_GPX_ERROR_INVALID, "line 3");
}

static void
test_too_many_points (void)
{
  GString *text = g_string_new (HEAD "<trk><trkseg>\n");

  for (guint i = 0; i <= YUN_GPX_MAX_POINTS; i++)
    g_string_append (text, "<trkpt lat=\"1\" lon=\"2\"/>\n");
  g_string_append (text, "</trkseg></trk></gpx>");
  assert_fails (text->str, text->len, YUN_GPX_ERROR_TOO_LARGE, "100000");
  g_string_free (text, TRUE);
}

static void
test_too_large (void)
{
  gsize length = YUN_GPX_MAX_BYTES + 1;
  g_autofree char *text = g_malloc (length);

  memset (text, ' ', length);
  memcpy (text, HEAD, strlen (HEAD));
  assert_fails (text, length, YUN_GPX_ERROR_TOO_LARGE, "bytes");
}

static void
test_too_deep (void)
{
  GString *text = g_string_new (HEAD);

  for (guint i = 0; i < YUN_GPX_MAX_DEPTH; i++)
    g_string_append (text, "<extensions>");
  assert_fails (text->str, text->len, YUN_GPX_ERROR_TOO_LARGE, "line 3");
  g_string_free (text, TRUE);
}

static void
test_hostile_bytes (void)
{
  /* Entities are not expanded: a bomb is just an unknown entity. */
  assert_fails ("<?xml version=\"1.0\"?>\n"
                "<!DOCTYPE gpx [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>\n"
                "<gpx><wpt lat=\"1\" lon=\"1\"><name>&b;</name></wpt></gpx>",
                -1, YUN_GPX_ERROR_MALFORMED, "line 3");
  assert_fails (HEAD "<wpt lat=\"1\" lon=\"1\"><name>\xff\xfe</name></wpt></gpx>", -1,
                YUN_GPX_ERROR_MALFORMED, "");
  assert_fails (HEAD "<wpt lat=\"1\" lon=\"1\"/>\0</gpx>", strlen (HEAD) + 30,
                YUN_GPX_ERROR_MALFORMED, "");
}

static void
test_error_message_bounded (void)
{
  g_autofree char *name = g_strnfill (100000, 'x');
  g_autofree char *text = g_strdup_printf (HEAD "<wpt lat=\"1\" lon=\"1\"><name>&%s;</name></wpt></gpx>",
                                           name);
  g_autoptr(GError) error = NULL;
  g_autoptr(YunGpx) gpx = yun_gpx_parse (text, strlen (text), &error);

  /* GMarkup quotes the unknown entity; the message keeps a short start. */
  g_assert_null (gpx);
  g_assert_error (error, YUN_GPX_ERROR, YUN_GPX_ERROR_MALFORMED);
  g_assert_cmpuint (strlen (error->message), <, 512);
  g_assert_nonnull (strstr (error->message, "line 3"));
}

static void
test_load_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("yun-gpx-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "walk.gpx", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.gpx", NULL);
  g_autofree char *big_path = g_build_filename (dir, "big.gpx", NULL);
  g_autofree char *big = g_strnfill (YUN_GPX_MAX_BYTES + 10, ' ');
  g_autoptr(YunGpx) gpx = NULL;
  g_autoptr(YunGpx) none = NULL;

  yun_test_write_file (dir, "walk.gpx", HEAD "<wpt lat=\"3\" lon=\"4\"/></gpx>", -1);
  gpx = yun_gpx_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (yun_gpx_get_n_points (gpx), ==, 1);

  none = yun_gpx_load (missing, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  yun_test_write_file (dir, "big.gpx", big, -1);
  none = yun_gpx_load (big_path, &error);
  g_assert_null (none);
  g_assert_error (error, YUN_GPX_ERROR, YUN_GPX_ERROR_TOO_LARGE);

  yun_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/yun/services/gpx/track/points-in-order", test_track_points_in_order);
  g_test_add_func ("/yun/services/gpx/track/before-route-before-waypoints",
                   test_track_before_route_before_waypoints);
  g_test_add_func ("/yun/services/gpx/track/prefixed-names", test_prefixed_names);
  g_test_add_func ("/yun/services/gpx/track/points-outside-their-parent-ignored",
                   test_points_outside_their_parent_ignored);
  g_test_add_func ("/yun/services/gpx/malformed/xml-names-line", test_malformed_xml_names_line);
  g_test_add_func ("/yun/services/gpx/malformed/coordinates-checked", test_coordinates_checked);
  g_test_add_func ("/yun/services/gpx/malformed/not-gpx-or-empty", test_not_gpx_or_empty);
  g_test_add_func ("/yun/services/gpx/malformed/long-field-refused", test_long_field_refused);
  g_test_add_func ("/yun/services/gpx/hostile/too-many-points", test_too_many_points);
  g_test_add_func ("/yun/services/gpx/hostile/too-large", test_too_large);
  g_test_add_func ("/yun/services/gpx/hostile/too-deep", test_too_deep);
  g_test_add_func ("/yun/services/gpx/hostile/bytes", test_hostile_bytes);
  g_test_add_func ("/yun/services/gpx/hostile/error-message-bounded", test_error_message_bounded);
  g_test_add_func ("/yun/services/gpx/load/file", test_load_file);

  return g_test_run ();
}
