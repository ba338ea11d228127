/* test-dev-session.c: `yun-shell --dev URL`, the developer session, driven
 * over its automation methods: the URL bar, emulated location, the log of
 * bridge calls, saving and replaying that log, the permission menus, the
 * device frame, the Web Inspector, and (in a second session, with an app
 * that may use them) the camera source and a contacts fixture.  What the
 * window shows is checked in its screenshots.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <string.h>

#include "yun-e2e.h"

static YunE2e *e2e;

#define WAIT_SECONDS 30

static JsonNode *
eval (const char *app_id,
      const char *script)
{
  g_autoptr(GError) error = NULL;
  JsonNode *value = yun_e2e_eval (e2e, app_id, script, &error);

  g_assert_no_error (error);
  return value;
}

static char *
get_url (void)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "DevGetUrl", NULL);
  char *url = NULL;

  g_variant_get (reply, "(s)", &url);
  return url;
}

static char *
cloud_base (void)
{
  char *base = g_strdup (e2e->cloud_url);

  if (g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';
  return base;
}

/* A JavaScript string literal for @text. */
static char *
js_string (const char *text)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), text);

  return json_to_string (node, FALSE);
}

/* The D-Bus error of a call expected to fail. */
static GError *
call_error (const char *method,
            GVariant   *parameters)
{
  GError *error = NULL;
  g_autoptr(GVariant) reply = g_dbus_proxy_call_sync (e2e->automation, method, parameters,
                                                      G_DBUS_CALL_FLAGS_NONE, 60000, NULL,
                                                      &error);

  g_assert_null (reply);
  g_assert_nonnull (error);
  return error;
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_opens_the_app_at_the_given_url (void)
{
  g_autoptr(JsonNode) ready = NULL;
  g_autofree char *base = cloud_base ();
  g_autofree char *expected = g_strconcat (base, "/apps/perms/", NULL);
  g_autofree char *url = NULL;

  ready = yun_e2e_wait_for (e2e, "perms", "return document.readyState === 'complete' || null;");
  url = get_url ();
  g_assert_cmpstr (url, ==, expected);
}

static void
test_url_bar_navigates (void)
{
  g_autofree char *base = cloud_base ();
  g_autofree char *target = g_strconcat (base, "/apps/perms/?from=url-bar", NULL);
  g_autofree char *quoted = js_string (target);
  g_autofree char *script = NULL;
  g_autoptr(GVariant) navigated = NULL;
  g_autoptr(JsonNode) href = NULL;
  g_autofree char *url = NULL;

  navigated = yun_e2e_call (e2e, "DevNavigate", g_variant_new ("(s)", target));
  script = g_strdup_printf ("return location.href === %s && document.readyState === 'complete'"
                            " ? location.href : null;", quoted);
  href = yun_e2e_wait_for (e2e, "perms", script);
  g_assert_cmpstr (json_node_get_string (href), ==, target);
  url = get_url ();
  g_assert_cmpstr (url, ==, target);
}

static void
test_url_bar_refuses_other_schemes (void)
{
  g_autoptr(GError) error = call_error ("DevNavigate", g_variant_new ("(s)", "javascript:alert(1)"));
  g_autofree char *url = get_url ();

  g_assert_true (strstr (error->message, "javascript") != NULL);
  g_assert_true (strstr (url, "from=url-bar") != NULL);
}

#define FETCH_MANIFEST \
  "try {\n" \
  "  const response = await fetch ('manifest.json?' + Math.random (), { cache: 'no-store' });\n" \
  "  return response.ok ? 'online' : 'status ' + response.status;\n" \
  "} catch (e) {\n" \
  "  return 'failed';\n" \
  "}"

static void
test_offline_cuts_the_app_network (void)
{
  g_autoptr(GVariant) cut = NULL;
  g_autoptr(GVariant) restored = NULL;
  g_autoptr(JsonNode) before = eval ("perms", FETCH_MANIFEST);
  g_autoptr(JsonNode) during = NULL;
  g_autoptr(JsonNode) after = NULL;

  g_assert_cmpstr (json_node_get_string (before), ==, "online");
  cut = yun_e2e_call (e2e, "DevSetOffline", g_variant_new ("(b)", TRUE));
  during = eval ("perms", FETCH_MANIFEST);
  g_assert_cmpstr (json_node_get_string (during), ==, "failed");
  restored = yun_e2e_call (e2e, "DevSetOffline", g_variant_new ("(b)", FALSE));
  after = eval ("perms", FETCH_MANIFEST);
  g_assert_cmpstr (json_node_get_string (after), ==, "online");
}

/* The last entry for api.method in the log, or NULL. */
static JsonObject *
find_last (JsonArray  *log,
           const char *api,
           const char *method)
{
  for (guint i = json_array_get_length (log); i > 0; i--) {
    JsonObject *entry = json_array_get_object_element (log, i - 1);

    if (g_strcmp0 (json_object_get_string_member (entry, "api"), api) == 0 &&
        g_strcmp0 (json_object_get_string_member (entry, "method"), method) == 0)
      return entry;
  }
  return NULL;
}

static void
test_bridge_log_records_a_call (void)
{
  g_autoptr(JsonNode) info = eval ("perms", "return await navigator.yun.device.info ();");
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "DevGetBridgeLog", NULL);
  g_autoptr(JsonNode) log = NULL;
  const char *json;
  JsonObject *entry;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (info));
  g_variant_get (reply, "(&s)", &json);
  log = parse (json);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (log));
  entry = find_last (json_node_get_array (log), "device", "info");
  g_assert_nonnull (entry);
  g_assert_cmpstr (json_object_get_string_member (entry, "app_id"), ==, "perms");
  g_assert_false (json_object_has_member (entry, "error"));
  g_assert_true (json_node_equal (json_object_get_member (entry, "result"), info));
  g_assert_cmpint (json_object_get_int_member (entry, "duration_us"), >=, 0);
}

static void
test_save_and_replay_reproduce_the_calls (void)
{
  g_autofree char *dir = g_dir_make_tmp ("yun-dev-session-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "calls.jsonl", NULL);
  g_autoptr(GVariant) saved = NULL;
  g_autoptr(GVariant) replayed = NULL;
  g_autoptr(JsonNode) report = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  const char *json;
  JsonObject *object;
  JsonArray *calls;
  gboolean saw_info = FALSE;

  saved = yun_e2e_call (e2e, "DevSaveBridgeLog", g_variant_new ("(s)", path));
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (g_strstrip (contents), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, 1);
  for (guint i = 0; lines[i] != NULL; i++) {
    g_autoptr(JsonNode) line = parse (lines[i]);

    g_assert_true (JSON_NODE_HOLDS_OBJECT (line));
  }

  replayed = yun_e2e_call (e2e, "DevReplayBridgeLog", g_variant_new ("(s)", path));
  g_variant_get (replayed, "(&s)", &json);
  report = parse (json);
  object = json_node_get_object (report);
  g_assert_cmpstr (json_object_get_string_member (object, "app_id"), ==, "perms");
  g_assert_cmpint (json_object_get_int_member (object, "total"), ==, g_strv_length (lines));
  calls = json_object_get_array_member (object, "calls");
  for (guint i = 0; i < json_array_get_length (calls); i++) {
    JsonObject *call = json_array_get_object_element (calls, i);

    if (g_str_equal (json_object_get_string_member (call, "api"), "device") &&
        g_str_equal (json_object_get_string_member (call, "method"), "info")) {
      saw_info = TRUE;
      g_assert_true (json_object_get_boolean_member (call, "matched"));
    }
  }
  g_assert_true (saw_info);
  g_assert_cmpint (json_object_get_int_member (object, "matched"), ==,
                   json_object_get_int_member (object, "total"));

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_replay_refuses_a_malformed_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("yun-dev-session-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bad.jsonl", NULL);
  g_autoptr(GError) written = NULL;
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, "{\"api\": \"device\", \"method\": \"info\"}\nnot json\n", -1,
                       &written);
  g_assert_no_error (written);
  error = call_error ("DevReplayBridgeLog", g_variant_new ("(s)", path));
  g_assert_true (strstr (error->message, "line 1") != NULL);

  g_unlink (path);
  g_rmdir (dir);
}

static gboolean
prompt_is_open (void)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "GetPrompt", NULL);
  gboolean open;

  g_variant_get (reply, "(b&s&s&s&s)", &open, NULL, NULL, NULL, NULL);
  return open;
}

static void
wait_for_prompt (void)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  while (!prompt_is_open ()) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (50 * 1000);
  }
}

#define ASK_POSITION \
  "window.position = new Promise ((resolve) => navigator.geolocation.getCurrentPosition (" \
  "  (p) => resolve ({ latitude: p.coords.latitude, longitude: p.coords.longitude })," \
  "  (e) => resolve ({ code: e.code }), { maximumAge: 0 }));\n"

static void
test_emulated_location_reaches_the_page (void)
{
  g_autoptr(GVariant) set = NULL;
  g_autoptr(GVariant) moved = NULL;
  g_autoptr(GVariant) answered = NULL;
  g_autoptr(JsonNode) started = NULL;
  g_autoptr(JsonNode) position = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonNode) moved_position = NULL;
  JsonObject *coords;

  set = yun_e2e_call (e2e, "DevSetLocation", g_variant_new ("(dd)", 31.2304, 121.4737));
  started = yun_e2e_wait_for (e2e, "perms",
                              "if (document.readyState !== 'complete') return null;\n"
                              ASK_POSITION
                              "return true;");
  wait_for_prompt ();
  answered = yun_e2e_call (e2e, "AnswerPrompt", g_variant_new ("(s)", "always"));
  position = eval ("perms", "return await window.position;");
  coords = json_node_get_object (position);
  g_assert_false (json_object_has_member (coords, "code"));
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (coords, "latitude"), 31.2304, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (coords, "longitude"), 121.4737, 1e-9);

  /* A new position reaches the page without a restart. */
  moved = yun_e2e_call (e2e, "DevSetLocation", g_variant_new ("(dd)", 39.9042, 116.4074));
  again = eval ("perms", ASK_POSITION "return true;");
  moved_position = eval ("perms", "return await window.position;");
  coords = json_node_get_object (moved_position);
  g_assert_false (json_object_has_member (coords, "code"));
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (coords, "latitude"), 39.9042, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (coords, "longitude"), 116.4074, 1e-9);
}

static void
test_emulated_location_refuses_bad_coordinates (void)
{
  g_autoptr(GError) error = call_error ("DevSetLocation", g_variant_new ("(dd)", 91.0, 0.0));

  g_assert_nonnull (error->message);
}

/* What navigator.yun.permissions.query says of @permission. */
static char *
query_permission (const char *app_id,
                  const char *permission)
{
  g_autofree char *script = g_strdup_printf (
    "return await navigator.yun.permissions.query ({ name: '%s' });", permission);
  g_autoptr(JsonNode) state = eval (app_id, script);

  return g_strdup (json_node_get_string (state));
}

#define FIND_CONTACTS \
  "try { return { found: (await navigator.yun.contacts.find ({})).length }; }" \
  " catch (e) { return { error: e.name }; }"

/* The panel's menu for contacts: each state is what the page is told and
 * what the gated call does. */
static void
test_permission_menu_grants_denies_and_resets (void)
{
  g_autoptr(GVariant) granted = NULL;
  g_autoptr(GVariant) denied = NULL;
  g_autoptr(GVariant) reset = NULL;
  g_autoptr(GVariant) answered = NULL;
  g_autoptr(JsonNode) found = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(JsonNode) asked = NULL;
  g_autoptr(JsonNode) after_prompt = NULL;
  g_autoptr(GError) unknown = NULL;
  g_autofree char *state = NULL;

  granted = yun_e2e_call (e2e, "DevSetPermission", g_variant_new ("(ss)", "contacts", "granted"));
  state = query_permission ("perms", "contacts");
  g_assert_cmpstr (state, ==, "granted");
  found = eval ("perms", FIND_CONTACTS);
  g_assert_true (json_object_has_member (json_node_get_object (found), "found"));
  g_assert_false (prompt_is_open ());

  denied = yun_e2e_call (e2e, "DevSetPermission", g_variant_new ("(ss)", "contacts", "denied"));
  g_free (state);
  state = query_permission ("perms", "contacts");
  g_assert_cmpstr (state, ==, "denied");
  refused = eval ("perms", FIND_CONTACTS);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (refused), "error"), ==,
                   "NotAllowedError");
  g_assert_false (prompt_is_open ());

  /* Reset: the app is asked again, and the user's answer counts. */
  reset = yun_e2e_call (e2e, "DevSetPermission", g_variant_new ("(ss)", "contacts", "reset"));
  g_free (state);
  state = query_permission ("perms", "contacts");
  g_assert_cmpstr (state, ==, "prompt");
  asked = eval ("perms", "window.asked = (async () => { " FIND_CONTACTS " }) (); return true;");
  wait_for_prompt ();
  answered = yun_e2e_call (e2e, "AnswerPrompt", g_variant_new ("(s)", "deny"));
  after_prompt = eval ("perms", "return await window.asked;");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (after_prompt), "error"),
                   ==, "NotAllowedError");

  /* The menu lists only what the app declares. */
  unknown = call_error ("DevSetPermission", g_variant_new ("(ss)", "camera", "granted"));
  g_assert_nonnull (strstr (unknown->message, "camera"));
}

#define PAGE_SIZE \
  "return [window.innerWidth, window.innerHeight, window.devicePixelRatio];"

/* Waits until the page is @width CSS pixels wide; its size and pixel ratio. */
static JsonArray *
wait_for_page_width (int width)
{
  g_autofree char *script = g_strdup_printf (
    "if (window.innerWidth !== %d) return null;\n" PAGE_SIZE, width);
  g_autoptr(JsonNode) size = yun_e2e_wait_for (e2e, "perms", script);

  return json_array_ref (json_node_get_array (size));
}

static void
set_device (guint     preset,
            gboolean  rotated,
            guint     scale,
            int      *width,
            int      *height)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "DevSetDevice",
                                            g_variant_new ("(ubu)", preset, rotated, scale));

  g_variant_get (reply, "(ii)", width, height);
}

/* The page is as wide as the preset, and as high less the phone's status
 * and navigation bars, which stay the same when rotated. */
static void
test_device_preset_sizes_the_page (void)
{
  g_autoptr(JsonArray) portrait = NULL;
  g_autoptr(JsonArray) rotated = NULL;
  g_autoptr(JsonArray) scaled = NULL;
  int width, height, bars;

  set_device (1, FALSE, 1, &width, &height);
  g_assert_cmpint (width, ==, 393);
  g_assert_cmpint (height, ==, 852);
  portrait = wait_for_page_width (393);
  bars = height - json_array_get_int_element (portrait, 1);
  g_assert_cmpint (bars, >, 0);
  g_assert_cmpint (bars, <, 200);

  set_device (1, TRUE, 1, &width, &height);
  g_assert_cmpint (width, ==, 852);
  g_assert_cmpint (height, ==, 393);
  rotated = wait_for_page_width (852);
  g_assert_cmpint (json_array_get_int_element (rotated, 1), ==, 393 - bars);

  /* Scale is a zoom of the frame on the desktop's screen: the page keeps
   * its CSS size and pixel ratio (see test_screenshot_shows_the_frame). */
  set_device (0, FALSE, 2, &width, &height);
  scaled = wait_for_page_width (360);
  g_assert_cmpint (json_array_get_int_element (scaled, 1), ==, 760 - bars);
  g_assert_cmpfloat (json_array_get_double_element (scaled, 2), ==,
                     json_array_get_double_element (portrait, 2));
  set_device (0, FALSE, 1, &width, &height);
  g_assert_cmpint (width, ==, 360);
}

static GdkPixbuf *
screenshot (void)
{
  g_autofree char *path = g_build_filename (e2e->tmp_dir, "dev-window.png", NULL);
  g_autoptr(GVariant) saved = yun_e2e_call (e2e, "Screenshot", g_variant_new ("(s)", path));
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf = gdk_pixbuf_new_from_file (path, &error);

  g_assert_no_error (error);
  g_unlink (path);
  return pixbuf;
}

typedef gboolean (*PixelTest) (const guint8 *rgb);

/* The longest run of pixels passing @test in a row of @pixbuf, and how
 * many pass in all. */
static int
count_pixels (GdkPixbuf *pixbuf,
              PixelTest  test,
              int       *longest_run)
{
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  int count = 0;

  *longest_run = 0;
  for (int y = 0; y < gdk_pixbuf_get_height (pixbuf); y++) {
    int run = 0;

    for (int x = 0; x < gdk_pixbuf_get_width (pixbuf); x++) {
      if (test (pixels + y * stride + x * channels)) {
        count++;
        run++;
        *longest_run = MAX (*longest_run, run);
      } else {
        run = 0;
      }
    }
  }
  return count;
}

static gboolean
is_magenta (const guint8 *p)
{
  return p[0] > 220 && p[1] < 40 && p[2] > 220;
}

#define PAINT_MAGENTA \
  "document.body.dataset.before = document.body.style.background;\n" \
  "document.documentElement.style.background = document.body.style.background = '#ff00ff';\n" \
  "await new Promise ((r) => requestAnimationFrame (() => requestAnimationFrame (r)));\n" \
  "return true;"

/* Screenshots until the magenta page is from @least to @most screen
 * pixels wide (what the web process paints arrives on its own time); the
 * widest run seen. */
static int
wait_for_magenta_width (int least,
                        int most)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  int run = 0;

  for (;;) {
    g_autoptr(GdkPixbuf) shot = screenshot ();

    count_pixels (shot, is_magenta, &run);
    if ((run >= least && run <= most) || g_get_monotonic_time () > deadline)
      return run;
    g_usleep (100 * 1000);
  }
}

/* Screenshot shoots the developer session's window (the phone's own stays
 * unshown), and the device frame's scale shows in it. */
static void
test_screenshot_shows_the_frame (void)
{
  g_autoptr(JsonNode) painted = eval ("perms", PAINT_MAGENTA);
  g_autoptr(GdkPixbuf) shot = screenshot ();
  g_autoptr(JsonNode) restored = NULL;
  int width, height, plain, zoomed;

  /* The developer session's window: wider than any phone preset, with its
   * panels around the frame. */
  g_assert_cmpint (gdk_pixbuf_get_width (shot), >, 768);
  /* 360 CSS pixels, less the page's overlay scroll bar. */
  plain = wait_for_magenta_width (352, 360);
  g_assert_cmpint (plain, >=, 352);
  g_assert_cmpint (plain, <=, 360);

  /* Twice as wide at 2×, unless the window's middle is narrower. */
  set_device (0, FALSE, 2, &width, &height);
  zoomed = wait_for_magenta_width (plain * 3 / 2, plain * 2);
  g_assert_cmpint (zoomed, >=, plain * 3 / 2);
  g_assert_cmpint (zoomed, <=, plain * 2);
  set_device (0, FALSE, 1, &width, &height);
  g_assert_cmpint (wait_for_magenta_width (plain, plain), ==, plain);
  restored = eval ("perms", "document.documentElement.style.background ="
                            " document.body.style.background = ''; return true;");
}

static void
get_inspector (gboolean *open,
               gboolean *attached,
               gboolean *shown)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "DevGetInspector", NULL);

  g_variant_get (reply, "(bbb)", open, attached, shown);
}

/* Waits until the inspector is @open and, when open, on screen. */
static void
wait_for_inspector (gboolean open)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  for (;;) {
    gboolean is_open, attached, shown;

    get_inspector (&is_open, &attached, &shown);
    if (is_open == open && shown == open)
      return;
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (100 * 1000);
  }
}

static void
test_inspector_opens_and_closes (void)
{
  g_autoptr(GVariant) shown = NULL;
  g_autoptr(GVariant) hidden = NULL;
  gboolean open, attached, on_screen;

  get_inspector (&open, &attached, &on_screen);
  g_assert_false (open);

  shown = yun_e2e_call (e2e, "DevSetInspector", g_variant_new ("(b)", TRUE));
  wait_for_inspector (TRUE);
  get_inspector (&open, &attached, &on_screen);
  g_assert_true (open);
  g_assert_true (on_screen);

  hidden = yun_e2e_call (e2e, "DevSetInspector", g_variant_new ("(b)", FALSE));
  wait_for_inspector (FALSE);
}

/* The second session: the people app may use the camera and contacts. */

static void
test_people_session_opens (void)
{
  const char * const args[] = { "--dev", "@CLOUD@/apps/people/", NULL };
  g_autofree char *webapps = g_test_build_filename (G_TEST_DIST, "data", "webapps", NULL);
  g_autofree char *display = g_strdup (e2e->display);
  g_autoptr(JsonNode) ready = NULL;

  /* The private bus the first session ran on took DISPLAY away. */
  yun_e2e_stop (e2e);
  g_setenv ("DISPLAY", display, TRUE);
  e2e = yun_e2e_start_with_args (webapps, "people", args);
  ready = yun_e2e_wait_for (e2e, "people",
                            "return document.readyState === 'complete' && window.attempt"
                            " ? true : null;");
}

static gboolean
is_red (const guint8 *p)
{
  return p[0] > 200 && p[1] < 50 && p[2] < 50;
}

static gboolean
is_blue (const guint8 *p)
{
  return p[0] < 50 && p[1] < 50 && p[2] > 200;
}

static gboolean
is_green (const guint8 *p)
{
  return p[0] < 50 && p[1] > 150 && p[2] < 50;
}

static gboolean
camera_is_open (char **source)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "GetCamera", NULL);
  gboolean open;

  g_variant_get (reply, "(bss)", &open, NULL, source);
  return open;
}

/* Takes a picture with the panel's camera source and shows it over the
 * whole page; the share of the window's pixels that pass @test. */
static double
picture_share (const char *source,
               PixelTest   test)
{
  g_autoptr(GVariant) chosen = yun_e2e_call (e2e, "DevSetCameraSource",
                                             g_variant_new ("(s)", source));
  g_autoptr(GVariant) shutter = NULL;
  g_autoptr(JsonNode) started = NULL;
  g_autoptr(JsonNode) photo = NULL;
  g_autoptr(JsonNode) shown = NULL;
  g_autoptr(JsonNode) removed = NULL;
  g_autoptr(GdkPixbuf) shot = NULL;
  g_autofree char *in_use = NULL;
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  int run;

  started = eval ("people", "window.photo = attempt (() => navigator.yun.camera.takePicture"
                            " ({ maxWidth: 320, maxHeight: 240 })); return true;");
  while (!camera_is_open (&in_use)) {
    g_clear_pointer (&in_use, g_free);
    g_assert_false (prompt_is_open ());
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (50 * 1000);
  }
  /* The source, or its kind once the camera started ("test", "image"). */
  g_assert_true (g_str_has_prefix (source, in_use));
  /* The viewfinder's first frame, then the shutter. */
  while (!yun_e2e_has_camera_mark (e2e, "first-frame")) {
    g_clear_pointer (&in_use, g_free);
    if (!camera_is_open (&in_use)) {
      g_autoptr(JsonNode) failed = eval ("people", "return await window.photo;");
      g_autofree char *text = json_to_string (failed, FALSE);

      g_error ("the viewfinder closed before its first frame: %s", text);
    }
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (50 * 1000);
  }
  shutter = yun_e2e_call (e2e, "Shutter", NULL);
  photo = eval ("people", "const r = await window.photo;\n"
                          "if (r.error) throw new Error (r.error + ': ' + r.message);\n"
                          "return r.value.url;");
  g_clear_pointer (&in_use, g_free);
  while (camera_is_open (&in_use)) {
    g_clear_pointer (&in_use, g_free);
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (50 * 1000);
  }

  {
    g_autofree char *url = js_string (json_node_get_string (photo));
    g_autofree char *script = g_strdup_printf (
      "const image = new Image ();\n"
      "image.id = 'shown-photo';\n"
      "image.style = 'position: fixed; inset: 0; width: 100vw; height: 100vh; z-index: 9999;';\n"
      "image.src = %s;\n"
      "await image.decode ();\n"
      "document.body.append (image);\n"
      "await new Promise ((r) => requestAnimationFrame (() => requestAnimationFrame (r)));\n"
      "return true;", url);

    shown = eval ("people", script);
  }
  /* What the web process paints reaches the window on its own time. */
  for (;;) {
    double share;

    g_clear_object (&shot);
    shot = screenshot ();
    share = (double) count_pixels (shot, test, &run) /
            (gdk_pixbuf_get_width (shot) * gdk_pixbuf_get_height (shot));
    if (share > 0.08 || g_get_monotonic_time () > deadline) {
      removed = eval ("people", "document.getElementById ('shown-photo').remove (); return true;");
      return share;
    }
    g_usleep (100 * 1000);
  }
}

static void
test_camera_source_reaches_the_picture (void)
{
  g_autoptr(GVariant) granted = yun_e2e_call (e2e, "DevSetPermission",
                                              g_variant_new ("(ss)", "camera", "granted"));
  g_autofree char *path = g_build_filename (e2e->tmp_dir, "fixture.png", NULL);
  g_autoptr(GdkPixbuf) green = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 48);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) unknown = NULL;
  g_autofree char *image = g_strconcat ("image:", path, NULL);

  /* Granted in the panel: the camera opens without a question. */
  g_assert_cmpfloat (picture_share ("test:red", is_red), >, 0.08);
  g_assert_cmpfloat (picture_share ("test:blue", is_blue), >, 0.08);

  gdk_pixbuf_fill (green, 0x00c800ff);
  gdk_pixbuf_save (green, path, "png", &error, NULL);
  g_assert_no_error (error);
  g_assert_cmpfloat (picture_share (image, is_green), >, 0.08);

  unknown = call_error ("DevSetCameraSource", g_variant_new ("(s)", "test:no-such-pattern"));
  g_assert_nonnull (strstr (unknown->message, "no-such-pattern"));
  g_unlink (path);
}

static const char fixture_vcards[] =
  "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Fixture Alder\r\nN:Alder;Fixture;;;\r\n"
  "TEL;TYPE=CELL:+44 20 7946 0001\r\nEND:VCARD\r\n"
  "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Fixture Birch\r\nN:Birch;Fixture;;;\r\n"
  "TEL;TYPE=CELL:+44 20 7946 0002\r\nEND:VCARD\r\n";

static void
test_contacts_fixture_reaches_the_page (void)
{
  g_autofree char *path = g_build_filename (e2e->tmp_dir, "fixture.vcf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) imported = NULL;
  g_autoptr(GVariant) granted = NULL;
  g_autoptr(GVariant) picker = NULL;
  g_autoptr(GVariant) answered = NULL;
  g_autoptr(GVariantIter) rows = NULL;
  g_autoptr(JsonNode) found = NULL;
  g_autoptr(JsonNode) started = NULL;
  g_autoptr(JsonNode) picked = NULL;
  g_autoptr(GError) missing = NULL;
  const char *ids[3] = { NULL, NULL, NULL };
  const char *id, *label;
  guint count = 0, n = 0;
  JsonArray *contacts;

  g_file_set_contents (path, fixture_vcards, -1, &error);
  g_assert_no_error (error);
  imported = yun_e2e_call (e2e, "DevImportContacts", g_variant_new ("(s)", path));
  g_variant_get (imported, "(u)", &count);
  g_assert_cmpuint (count, ==, 2);

  granted = yun_e2e_call (e2e, "DevSetPermission", g_variant_new ("(ss)", "contacts", "granted"));
  found = eval ("people", "const r = await attempt (() => navigator.yun.contacts.find"
                          " ({ query: 'Fixture' }));\n"
                          "if (r.error) throw new Error (r.error);\n"
                          "return r.value.map ((c) => c.name.formatted).sort ();");
  contacts = json_node_get_array (found);
  g_assert_cmpuint (json_array_get_length (contacts), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (contacts, 0), ==, "Fixture Alder");
  g_assert_cmpstr (json_array_get_string_element (contacts, 1), ==, "Fixture Birch");

  /* The standard Contact Picker lists them; the page gets those picked. */
  started = eval ("people", "window.picked = attempt (() => navigator.contacts.select"
                            " (['name', 'tel'], { multiple: true })); return true;");
  picker = yun_e2e_wait_for_contact_picker (e2e);
  g_variant_get (picker, "(b&s^a&sba(ss))", NULL, NULL, NULL, NULL, &rows);
  while (g_variant_iter_next (rows, "(&s&s)", &id, &label)) {
    if (g_str_has_prefix (label, "Fixture ") && n < 2)
      ids[n++] = id;
  }
  g_assert_cmpuint (n, ==, 2);
  answered = yun_e2e_call (e2e, "AnswerContactPicker", g_variant_new ("(^as)", ids));
  g_clear_pointer (&found, json_node_unref);
  picked = eval ("people", "const r = await window.picked;\n"
                           "if (r.error) throw new Error (r.error);\n"
                           "return r.value.map ((c) => c.name[0] + ' ' + c.tel[0]).sort ();");
  contacts = json_node_get_array (picked);
  g_assert_cmpuint (json_array_get_length (contacts), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (contacts, 0), ==,
                   "Fixture Alder +44 20 7946 0001");
  g_assert_cmpstr (json_array_get_string_element (contacts, 1), ==,
                   "Fixture Birch +44 20 7946 0002");

  g_unlink (path);
  missing = call_error ("DevImportContacts", g_variant_new ("(s)", path));
  g_assert_nonnull (missing->message);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *webapps = NULL;
  const char * const args[] = { "--dev", "@CLOUD@/apps/perms/", NULL };
  int status;

  g_test_init (&argc, &argv, NULL);

  /* In order: each test starts where the one before left the session. */
  g_test_add_func ("/yun/e2e/dev-session/opens-the-app-at-the-given-url",
                   test_opens_the_app_at_the_given_url);
  g_test_add_func ("/yun/e2e/dev-session/url-bar-navigates", test_url_bar_navigates);
  g_test_add_func ("/yun/e2e/dev-session/url-bar-refuses-other-schemes",
                   test_url_bar_refuses_other_schemes);
  g_test_add_func ("/yun/e2e/dev-session/offline-cuts-the-app-network",
                   test_offline_cuts_the_app_network);
  g_test_add_func ("/yun/e2e/dev-session/bridge-log-records-a-call",
                   test_bridge_log_records_a_call);
  g_test_add_func ("/yun/e2e/dev-session/save-and-replay-reproduce-the-calls",
                   test_save_and_replay_reproduce_the_calls);
  g_test_add_func ("/yun/e2e/dev-session/replay-refuses-a-malformed-file",
                   test_replay_refuses_a_malformed_file);
  g_test_add_func ("/yun/e2e/dev-session/emulated-location-reaches-the-page",
                   test_emulated_location_reaches_the_page);
  g_test_add_func ("/yun/e2e/dev-session/emulated-location-refuses-bad-coordinates",
                   test_emulated_location_refuses_bad_coordinates);
  g_test_add_func ("/yun/e2e/dev-session/permission-menu-grants-denies-and-resets",
                   test_permission_menu_grants_denies_and_resets);
  g_test_add_func ("/yun/e2e/dev-session/device-preset-sizes-the-page",
                   test_device_preset_sizes_the_page);
  g_test_add_func ("/yun/e2e/dev-session/screenshot-shows-the-frame",
                   test_screenshot_shows_the_frame);
  g_test_add_func ("/yun/e2e/dev-session/inspector-opens-and-closes",
                   test_inspector_opens_and_closes);
  /* A second session, on the people app. */
  g_test_add_func ("/yun/e2e/dev-session/people/opens", test_people_session_opens);
  g_test_add_func ("/yun/e2e/dev-session/people/camera-source-reaches-the-picture",
                   test_camera_source_reaches_the_picture);
  g_test_add_func ("/yun/e2e/dev-session/people/contacts-fixture-reaches-the-page",
                   test_contacts_fixture_reaches_the_page);

  /* The test app "perms" declares location, which the page asks for. */
  webapps = g_test_build_filename (G_TEST_DIST, "data", "webapps", NULL);
  e2e = yun_e2e_start_with_args (webapps, "perms", args);
  status = g_test_run ();
  yun_e2e_stop (e2e);

  return status;
}
