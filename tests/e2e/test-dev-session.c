/* test-dev-session.c: `yun-shell --dev URL`, the developer session, driven
 * over its automation methods: the URL bar, emulated location, the log of
 * bridge calls, and saving and replaying that log.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "yun-e2e.h"

static YunE2e *e2e;

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
  gint64 deadline;
  JsonObject *coords;

  set = yun_e2e_call (e2e, "DevSetLocation", g_variant_new ("(dd)", 31.2304, 121.4737));
  started = yun_e2e_wait_for (e2e, "perms",
                              "if (document.readyState !== 'complete') return null;\n"
                              ASK_POSITION
                              "return true;");
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (!prompt_is_open ()) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (50 * 1000);
  }
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

  /* The test app "perms" declares location, which the page asks for. */
  webapps = g_test_build_filename (G_TEST_DIST, "data", "webapps", NULL);
  e2e = yun_e2e_start_with_args (webapps, "perms", args);
  status = g_test_run ();
  yun_e2e_stop (e2e);

  return status;
}
