/* test-app-scheme.c: app://<id>/ in a real web view, in this process.
 *
 * A packaged app is laid out on disk as the installer lays it out, opened
 * in a YunAppView, and its page fetches what a hostile or careless app
 * would: files that are not there, paths that try to leave the folder, a
 * symbolic link out, another app's files, ranges.  The page also checks
 * that inline script and eval are refused.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "yun-app-view.h"
#include "yun-test-files.h"

static const char index_html[] =
  "<!doctype html><html><head><meta charset=utf-8><title>pkg</title>"
  "<script>window.inlineRan = true;</script>"
  "<script type=module src=app.js></script></head><body>pkg</body></html>";

static const char app_js[] =
  "window.moduleRan = true;\n"
  "async function probe (url, init) {\n"
  "  try {\n"
  "    const r = await fetch (url, init);\n"
  "    return { status: r.status, type: r.headers.get ('content-type'),\n"
  "             csp: r.headers.get ('content-security-policy'),\n"
  "             range: r.headers.get ('content-range'), body: await r.text () };\n"
  "  } catch (e) { return { failed: String (e) }; }\n"
  "}\n"
  "let evalRan = false;\n"
  "try { eval ('evalRan = true'); } catch (e) {}\n"
  "window.results = {\n"
  "  evalRan,\n"
  "  info: await navigator.yun.device.info (),\n"
  "  js: await probe ('app://pkg/app.js'),\n"
  "  css: await probe ('app://pkg/sub/style.css'),\n"
  "  missing: await probe ('app://pkg/nope.js'),\n"
  "  dotdot: await probe ('app://pkg/sub/%2e%2e/%2e%2e/secret.txt'),\n"
  "  slash: await probe ('app://pkg/sub%2fstyle.css'),\n"
  "  nul: await probe ('app://pkg/app.js%00.png'),\n"
  "  link: await probe ('app://pkg/link.txt'),\n"
  "  hidden: await probe ('app://pkg/.secret'),\n"
  "  other: await probe ('app://pkgx/index.html'),\n"
  "  range: await probe ('app://pkg/media.bin', { headers: { Range: 'bytes=10-19' } }),\n"
  "  badRange: await probe ('app://pkg/media.bin', { headers: { Range: 'bytes=5000-6000' } }),\n"
  "};\n";

static char *profile;
static WebKitWebView *web_view;

static void
on_eval_ready (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  char **json = user_data;
  g_autoptr(JSCValue) value = NULL;
  g_autoptr(GError) error = NULL;

  value = webkit_web_view_call_async_javascript_function_finish (WEBKIT_WEB_VIEW (source), result,
                                                                 &error);
  *json = value != NULL && jsc_value_is_string (value) ? jsc_value_to_string (value) : g_strdup ("");
}

/* The page's results, once its module has finished. */
static JsonObject *
results (void)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  for (;;) {
    g_autofree char *json = NULL;
    g_autoptr(JsonNode) node = NULL;

    webkit_web_view_call_async_javascript_function (web_view,
                                                    "return JSON.stringify ({ r: window.results ?? null,"
                                                    "  inline: window.inlineRan ?? false,"
                                                    "  module: window.moduleRan ?? false });",
                                                    -1, NULL, NULL, NULL, NULL, on_eval_ready, &json);
    while (json == NULL)
      g_main_context_iteration (NULL, TRUE);
    node = json_from_string (json, NULL);
    if (node != NULL && !json_object_get_null_member (json_node_get_object (node), "r"))
      return json_object_ref (json_node_get_object (node));
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (50 * 1000);
    while (g_main_context_iteration (NULL, FALSE));
  }
}

static JsonObject *
probe (const char *name)
{
  g_autoptr(JsonObject) all = results ();

  return json_object_ref (json_object_get_object_member (json_object_get_object_member (all, "r"),
                                                         name));
}

static void
test_serves_files_with_types_and_policy (void)
{
  g_autoptr(JsonObject) all = results ();
  g_autoptr(JsonObject) js = probe ("js");
  g_autoptr(JsonObject) css = probe ("css");

  g_assert_true (json_object_get_boolean_member (all, "module"));
  g_assert_cmpint (json_object_get_int_member (js, "status"), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (js, "type"), ==, "text/javascript; charset=utf-8");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (js, "csp"), "default-src 'self'"));
  g_assert_cmpint (json_object_get_int_member (css, "status"), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (css, "body"), ==, "body { color: red }");
}

static void
test_bridge_exists_in_the_packaged_app (void)
{
  g_autoptr(JsonObject) all = results ();
  JsonObject *info = json_object_get_object_member (json_object_get_object_member (all, "r"), "info");

  g_assert_cmpstr (json_object_get_string_member (info, "runtime"), ==, "Yun");
}

static void
test_inline_script_and_eval_are_refused (void)
{
  g_autoptr(JsonObject) all = results ();

  g_assert_false (json_object_get_boolean_member (all, "inline"));
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (all, "r"),
                                                  "evalRan"));
}

static void
assert_refused (const char *name)
{
  g_autoptr(JsonObject) result = probe (name);

  /* Refused either by the handler (4xx) or before it (a failed fetch);
   * never a 2xx with contents. */
  if (json_object_has_member (result, "status"))
    g_assert_cmpint (json_object_get_int_member (result, "status"), >=, 400);
  else
    g_assert_true (json_object_has_member (result, "failed"));
}

static void
test_no_way_out_of_the_folder (void)
{
  g_autoptr(JsonObject) missing = probe ("missing");

  g_assert_cmpint (json_object_get_int_member (missing, "status"), ==, 404);
  assert_refused ("dotdot");
  assert_refused ("slash");
  assert_refused ("nul");
  assert_refused ("link");
  assert_refused ("hidden");
}

static void
test_other_app_ids_are_not_served (void)
{
  assert_refused ("other");
}

static void
test_ranges (void)
{
  g_autoptr(JsonObject) range = probe ("range");
  g_autoptr(JsonObject) bad = probe ("badRange");

  g_assert_cmpint (json_object_get_int_member (range, "status"), ==, 206);
  g_assert_cmpstr (json_object_get_string_member (range, "range"), ==, "bytes 10-19/1000");
  g_assert_cmpstr (json_object_get_string_member (range, "body"), ==, "klmnopqrst");
  g_assert_cmpint (json_object_get_int_member (bad, "status"), ==, 416);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *package = NULL;
  g_autofree char *outside = NULL;
  g_autofree char *link = NULL;
  g_autoptr(YunManifest) manifest = NULL;
  g_autoptr(YunPermissionStore) store = NULL;
  g_autoptr(YunPermissionGate) gate = NULL;
  g_autoptr(YunDevice) device = NULL;
  g_autoptr(YunBridge) bridge = NULL;
  g_autoptr(GString) media = g_string_new (NULL);
  const char *model_files[] = { NULL };
  const char manifest_json[] = "{\"name\": \"Packaged\", \"start_url\": \"index.html\"}";
  GtkWidget *window;
  YunAppView *view;
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    g_error ("this test needs a display: run it under xvfb-run -a");

  profile = g_dir_make_tmp ("yun-app-scheme-XXXXXX", &error);
  g_assert_no_error (error);
  package = g_build_filename (profile, "apps", "pkg", "package", NULL);
  yun_test_write_file (package, "manifest.json", manifest_json, -1);
  yun_test_write_file (package, "index.html", index_html, -1);
  yun_test_write_file (package, "app.js", app_js, -1);
  yun_test_write_file (package, "sub/style.css", "body { color: red }", -1);
  yun_test_write_file (package, ".secret", "hidden", -1);
  for (int i = 0; i < 1000; i++)
    g_string_append_c (media, 'a' + i % 26);
  yun_test_write_file (package, "media.bin", media->str, media->len);
  yun_test_write_file (profile, "secret.txt", "outside", -1);
  outside = g_build_filename (profile, "secret.txt", NULL);
  link = g_build_filename (package, "link.txt", NULL);
  g_assert_cmpint (symlink (outside, link), ==, 0);

  manifest = yun_manifest_new_from_data (manifest_json, strlen (manifest_json),
                                         "app://pkg/manifest.json", &error);
  g_assert_no_error (error);
  store = yun_permission_store_open (":memory:", &error);
  g_assert_no_error (error);
  gate = yun_permission_gate_new (store);
  device = yun_device_new_for_sources (model_files);
  bridge = yun_bridge_new (device, gate);

  view = yun_app_view_new ("pkg", manifest, profile, bridge);
  web_view = yun_app_view_get_web_view (view);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 760);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  yun_app_view_start (view, g_get_real_time (), NULL);

  g_test_add_func ("/yun/e2e/app-scheme/serves-files-with-types-and-policy",
                   test_serves_files_with_types_and_policy);
  g_test_add_func ("/yun/e2e/app-scheme/bridge-exists-in-the-packaged-app",
                   test_bridge_exists_in_the_packaged_app);
  g_test_add_func ("/yun/e2e/app-scheme/inline-script-and-eval-are-refused",
                   test_inline_script_and_eval_are_refused);
  g_test_add_func ("/yun/e2e/app-scheme/no-way-out-of-the-folder", test_no_way_out_of_the_folder);
  g_test_add_func ("/yun/e2e/app-scheme/other-app-ids-are-not-served",
                   test_other_app_ids_are_not_served);
  g_test_add_func ("/yun/e2e/app-scheme/ranges", test_ranges);

  status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  yun_test_remove_tree (profile);
  return status;
}
