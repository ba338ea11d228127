/* test-geolocation.c: the standard navigator.geolocation in the real shell,
 * fed by the simulated location source replaying a GPX track.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "yun-e2e.h"

static YunE2e *e2e;

/* The track's points, in order (tests/data/location/west-lake.gpx). */
static const double track[][2] = {
  { 30.2570, 120.1430 }, { 30.2550, 120.1425 }, { 30.2530, 120.1420 },
  { 30.2510, 120.1415 }, { 30.2490, 120.1410 },
};

static JsonNode *
eval (const char *app_id,
      const char *script)
{
  g_autoptr(GError) error = NULL;
  JsonNode *value = yun_e2e_eval (e2e, app_id, script, &error);

  g_assert_no_error (error);
  return value;
}

static gboolean
prompt_is_open (char **reason)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "GetPrompt", NULL);
  gboolean open;

  g_variant_get (reply, "(b&s&s&ss)", &open, NULL, NULL, NULL, reason);
  return open;
}

static gboolean
indicator_shown (const char *name)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "GetIndicators", NULL);
  g_autofree const char **names = NULL;

  g_variant_get (reply, "(^a&s)", &names);
  return g_strv_contains (names, name);
}

static void
wait_for_indicator (const char *name,
                    gboolean    shown)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (indicator_shown (name) != shown) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (50 * 1000);
  }
}

static void
test_undeclared_app_is_denied_without_a_prompt (void)
{
  g_autoptr(JsonNode) code = NULL;
  g_autofree char *reason = NULL;

  code = yun_e2e_wait_for (e2e, "jotter",
                           "if (document.readyState !== 'complete') return null;\n"
                           "return await new Promise ((resolve) => navigator.geolocation.getCurrentPosition ("
                           "  () => resolve ('position'), (e) => resolve (e.code)));");
  g_assert_cmpint (json_node_get_int (code), ==, 1);   /* PERMISSION_DENIED */
  g_assert_false (prompt_is_open (&reason));
}

static void
test_declared_app_is_asked_then_gets_the_track_start (void)
{
  g_autoptr(GVariant) launched = yun_e2e_call (e2e, "Launch", g_variant_new ("(s)", "perms"));
  g_autoptr(GVariant) answered = NULL;
  g_autoptr(JsonNode) started = NULL;
  g_autoptr(JsonNode) position = NULL;
  g_autofree char *reason = NULL;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  JsonObject *coords;

  started = yun_e2e_wait_for (e2e, "perms",
                              "if (document.readyState !== 'complete') return null;\n"
                              "window.first = new Promise ((resolve) => navigator.geolocation.getCurrentPosition ("
                              "  (p) => resolve ({ latitude: p.coords.latitude, longitude: p.coords.longitude,"
                              "                    accuracy: p.coords.accuracy, timestamp: p.timestamp }),"
                              "  (e) => resolve ({ code: e.code })));\n"
                              "return true;");
  while (!prompt_is_open (&reason)) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_clear_pointer (&reason, g_free);
    g_usleep (50 * 1000);
  }
  g_assert_cmpstr (reason, ==, "To find places near you");
  answered = yun_e2e_call (e2e, "AnswerPrompt", g_variant_new ("(s)", "always"));

  position = eval ("perms", "return await window.first;");
  coords = json_node_get_object (position);
  g_assert_false (json_object_has_member (coords, "code"));
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (coords, "latitude"), track[0][0], 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (coords, "longitude"), track[0][1], 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (coords, "accuracy"), 5.0, 1e-9);
  g_assert_cmpfloat (json_object_get_double_member (coords, "timestamp"), >, 0);
}

static void
test_watch_gets_the_track_in_order (void)
{
  g_autoptr(JsonNode) started = NULL;
  g_autoptr(JsonNode) seen = NULL;
  JsonArray *positions;

  /* The source restarts when the first watcher comes, from the top. */
  started = eval ("perms",
                  "window.seen = [];\n"
                  "window.watch = navigator.geolocation.watchPosition ("
                  "  (p) => seen.push ([p.coords.latitude, p.coords.longitude, p.coords.speed]),"
                  "  (e) => seen.push ([e.code]));\n"
                  "return true;");
  wait_for_indicator ("location", TRUE);
  seen = yun_e2e_wait_for (e2e, "perms",
                           "const last = seen.length ? seen[seen.length - 1] : null;\n"
                           "return last && last[0] === 30.249 ? seen : null;");
  positions = json_node_get_array (seen);

  /* Each point once, in the track's order, from wherever the replay was
   * when the watch began. */
  for (guint i = 0, t = 0; i < json_array_get_length (positions); i++) {
    JsonArray *p = json_array_get_array_element (positions, i);
    double latitude = json_array_get_double_element (p, 0);

    while (t < G_N_ELEMENTS (track) && track[t][0] != latitude)
      t++;
    g_assert_cmpuint (t, <, G_N_ELEMENTS (track));
    g_assert_cmpfloat_with_epsilon (json_array_get_double_element (p, 1), track[t][1], 1e-9);
    t++;
  }
  g_assert_cmpuint (json_array_get_length (positions), >=, 2);
}

static void
test_clear_watch_turns_the_indicator_off (void)
{
  g_autoptr(JsonNode) cleared = NULL;

  cleared = eval ("perms", "navigator.geolocation.clearWatch (window.watch); return true;");
  wait_for_indicator ("location", FALSE);
}

static void
test_maximum_age_answers_from_the_last_position (void)
{
  g_autoptr(JsonNode) cached = NULL;

  /* A position is known from the watch: a call that accepts an old one
   * gets it at once, even with no time to wait for a new one. */
  cached = eval ("perms",
                 "return await new Promise ((resolve) => navigator.geolocation.getCurrentPosition ("
                 "  (p) => resolve (p.coords.latitude), (e) => resolve ('error ' + e.code),"
                 "  { maximumAge: 600000, timeout: 0 }));");
  g_assert_true (JSON_NODE_HOLDS_VALUE (cached));
  g_assert_cmpint (json_node_get_value_type (cached), ==, G_TYPE_DOUBLE);
}

static void
test_no_time_to_wait_is_a_timeout (void)
{
  g_autoptr(JsonNode) code = NULL;

  code = eval ("perms",
               "return await new Promise ((resolve) => navigator.geolocation.getCurrentPosition ("
               "  () => resolve ('position'), (e) => resolve (e.code), { maximumAge: 0, timeout: 0 }));");
  g_assert_cmpint (json_node_get_int (code), ==, 3);   /* TIMEOUT */
}

static void
test_no_source_is_position_unavailable (void)
{
  const char *args[] = { "--location", "gpx:/nonexistent/track.gpx", NULL };
  g_autofree char *webapps = g_test_build_filename (G_TEST_DIST, "data", "webapps", NULL);
  g_autoptr(JsonNode) code = NULL;
  g_autofree char *display = g_strdup (e2e->display);

  /* A shell whose location source cannot start.  (The private bus the
   * first one ran on took DISPLAY away; give it back.) */
  yun_e2e_stop (e2e);
  g_setenv ("DISPLAY", display, TRUE);
  e2e = yun_e2e_start_with_args (webapps, "perms", args);
  code = yun_e2e_wait_for (e2e, "perms",
                           "if (!location.pathname.endsWith ('/perms/') ||\n"
                           "    document.readyState !== 'complete') return null;\n"
                           "window.asked = window.asked || new Promise ((resolve) =>"
                           "  navigator.geolocation.getCurrentPosition ("
                           "    () => resolve ('position'), (e) => resolve (e.code)));\n"
                           "return true;");
  {
    gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
    g_autofree char *reason = NULL;

    while (!prompt_is_open (&reason)) {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_clear_pointer (&reason, g_free);
      g_usleep (50 * 1000);
    }
    g_autoptr(GVariant) answered = yun_e2e_call (e2e, "AnswerPrompt", g_variant_new ("(s)", "once"));
  }
  g_clear_pointer (&code, json_node_unref);
  code = eval ("perms", "return await window.asked;");
  g_assert_cmpint (json_node_get_int (code), ==, 2);   /* POSITION_UNAVAILABLE */
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *webapps = NULL;
  g_autofree char *gpx = NULL;
  g_autofree char *spec = NULL;
  const char *args[3] = { "--location", NULL, NULL };
  int status;

  g_test_init (&argc, &argv, NULL);

  /* In order: each test starts where the one before left the shell. */
  g_test_add_func ("/yun/e2e/geolocation/undeclared-app-is-denied-without-a-prompt",
                   test_undeclared_app_is_denied_without_a_prompt);
  g_test_add_func ("/yun/e2e/geolocation/declared-app-is-asked-then-gets-the-track-start",
                   test_declared_app_is_asked_then_gets_the_track_start);
  g_test_add_func ("/yun/e2e/geolocation/watch-gets-the-track-in-order",
                   test_watch_gets_the_track_in_order);
  g_test_add_func ("/yun/e2e/geolocation/clear-watch-turns-the-indicator-off",
                   test_clear_watch_turns_the_indicator_off);
  g_test_add_func ("/yun/e2e/geolocation/maximum-age-answers-from-the-last-position",
                   test_maximum_age_answers_from_the_last_position);
  g_test_add_func ("/yun/e2e/geolocation/no-time-to-wait-is-a-timeout",
                   test_no_time_to_wait_is_a_timeout);
  /* Last: it restarts the shell. */
  g_test_add_func ("/yun/e2e/geolocation/no-source-is-position-unavailable",
                   test_no_source_is_position_unavailable);

  webapps = g_test_build_filename (G_TEST_DIST, "data", "webapps", NULL);
  gpx = g_test_build_filename (G_TEST_DIST, "data", "location", "west-lake.gpx", NULL);
  /* Ten seconds between points, replayed 20 times as fast. */
  spec = g_strdup_printf ("gpx:%s@20", gpx);
  args[1] = spec;
  e2e = yun_e2e_start_with_args (webapps, "jotter", args);
  status = g_test_run ();
  yun_e2e_stop (e2e);

  return status;
}
