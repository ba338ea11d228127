/* test-hello.c: the hello app in the real shell, from the real cloud.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-e2e.h"

#include <string.h>

static YunE2e *e2e;

/* The page's results, once device.info has settled and both frames have
 * reported. */
static JsonObject *
hello_results (void)
{
  g_autoptr(JsonNode) node = NULL;

  node = yun_e2e_wait_for (e2e, "hello",
                           "const r = window.yunHello;"
                           "return r && (r.info || r.error) && r.frames['cross-origin'] &&"
                           "       r.frames.srcdoc ? r : null;");
  return json_object_ref (json_node_get_object (node));
}

static void
test_device_info_resolves (void)
{
  g_autoptr(JsonObject) results = hello_results ();
  JsonObject *info;

  g_assert_true (json_object_get_null_member (results, "error"));
  info = json_object_get_object_member (results, "info");
  g_assert_nonnull (info);
  g_assert_cmpstr (json_object_get_string_member (info, "runtime"), ==, "Yun");
  g_assert_cmpstr (json_object_get_string_member (info, "version"), ==, YUN_VERSION);
  g_assert_cmpuint (strlen (json_object_get_string_member (info, "model")), >, 0);
}

static void
test_frames_get_no_bridge (void)
{
  g_autoptr(JsonObject) results = hello_results ();
  JsonObject *frames = json_object_get_object_member (results, "frames");
  JsonObject *cross = json_object_get_object_member (frames, "cross-origin");
  JsonObject *srcdoc = json_object_get_object_member (frames, "srcdoc");

  /* The cross-origin frame really is on the other origin... */
  g_assert_true (g_str_has_prefix (json_object_get_string_member (cross, "origin"),
                                   "http://localhost:"));
  /* ...and neither frame has navigator.yun, though the top frame has. */
  g_assert_false (json_object_get_boolean_member (cross, "hasYun"));
  g_assert_false (json_object_get_boolean_member (srcdoc, "hasYun"));
}

static gint64
mark_time (GVariant   *marks,
           const char *wanted)
{
  GVariantIter iter;
  const char *name;
  gint64 time;

  g_variant_iter_init (&iter, marks);
  while (g_variant_iter_next (&iter, "(&sx)", &name, &time)) {
    if (g_str_equal (name, wanted))
      return time;
  }
  return -1;
}

static void
test_launch_marks_are_recorded (void)
{
  g_autoptr(JsonObject) results = hello_results ();
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "GetLaunchMarks", g_variant_new ("(s)", "hello"));
  g_autoptr(GVariant) marks = g_variant_get_child_value (reply, 0);
  gint64 tap = mark_time (marks, "tap");
  gint64 committed = mark_time (marks, "committed");
  gint64 finished = mark_time (marks, "load-finished");
  gint64 first_paint = mark_time (marks, "first-paint");
  const char *first_name;

  g_variant_get_child (marks, 0, "(&sx)", &first_name, NULL);
  g_assert_cmpstr (first_name, ==, "tap");
  g_assert_cmpint (tap, >, 0);
  g_assert_cmpint (committed, >=, tap);
  g_assert_cmpint (finished, >=, committed);
  /* The page's own clock: after the tap, and not long after loading. */
  g_assert_cmpint (first_paint, >=, tap);
  g_assert_cmpint (first_paint, <=, finished + 10 * G_USEC_PER_SEC);
}

static void
test_out_of_scope_page_has_no_bridge (void)
{
  g_autofree char *leave = NULL;
  g_autofree char *back = NULL;
  g_autoptr(JsonNode) outside = NULL;
  g_autoptr(JsonNode) inside = NULL;

  /* The same cloud under another name is another origin, out of scope. */
  /* Navigate after the script has returned, so its reply is not lost with
   * the page. */
  leave = g_strdup_printf ("const to = '%s'.replace ('127.0.0.1', 'localhost') + "
                           "'apps/hello/frame.html?frame=top';"
                           "setTimeout (() => { location.href = to; }, 0); return true;",
                           e2e->cloud_url);
  g_autoptr(JsonNode) left = yun_e2e_eval (e2e, "hello", leave, NULL);
  outside = yun_e2e_wait_for (e2e, "hello",
                              "return location.hostname === 'localhost' && "
                              "document.readyState === 'complete' ? { yun: 'yun' in navigator } : null;");
  g_assert_false (json_object_get_boolean_member (json_node_get_object (outside), "yun"));

  /* Coming back into scope brings the bridge back: the check is live. */
  back = g_strdup_printf ("setTimeout (() => { location.href = '%sapps/hello/'; }, 0); return true;",
                          e2e->cloud_url);
  g_autoptr(JsonNode) returned = yun_e2e_eval (e2e, "hello", back, NULL);
  inside = yun_e2e_wait_for (e2e, "hello",
                             "return location.hostname === '127.0.0.1' && "
                             "document.readyState === 'complete' ? { yun: 'yun' in navigator } : null;");
  g_assert_true (json_object_get_boolean_member (json_node_get_object (inside), "yun"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/yun/e2e/hello/device-info-resolves", test_device_info_resolves);
  g_test_add_func ("/yun/e2e/hello/frames-get-no-bridge", test_frames_get_no_bridge);
  g_test_add_func ("/yun/e2e/hello/launch-marks-are-recorded", test_launch_marks_are_recorded);
  g_test_add_func ("/yun/e2e/hello/out-of-scope-page-has-no-bridge",
                   test_out_of_scope_page_has_no_bridge);

  e2e = yun_e2e_start (g_getenv ("YUN_WEBAPPS_DIR"), "hello");
  status = g_test_run ();
  yun_e2e_stop (e2e);

  return status;
}
