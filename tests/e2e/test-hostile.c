/* test-hostile.c: the bridge in the real shell against a page that attacks it.
 *
 * The hostile app replaces JSON, Promise, Reflect, Function.prototype and
 * Object.prototype members and window.webkit before it uses the bridge,
 * then records what it got in <html data-results>.  The test reads that
 * from a script world of its own, which the page's replacements cannot
 * reach.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "yun-e2e.h"

static YunE2e *e2e;

/* The page's results once it says it is done, read from the automation's
 * own world; with @taint, those of a document loaded with ?taint=TAINT. */
static JsonObject *
results_of (const char *taint)
{
  g_autofree char *script = g_strdup_printf (
    "const r = document.documentElement.dataset.results;"
    "return r && JSON.parse (r).done && JSON.parse (r).taint === %s%s%s ? r : null;",
    taint != NULL ? "'" : "", taint != NULL ? taint : "undefined", taint != NULL ? "'" : "");
  g_autoptr(JsonNode) text = NULL;
  g_autoptr(JsonNode) parsed = NULL;

  text = yun_e2e_wait_for_isolated (e2e, "hostile", script);
  parsed = json_from_string (json_node_get_string (text), NULL);
  g_assert_nonnull (parsed);
  return json_object_ref (json_node_get_object (parsed));
}

static JsonObject *
results (void)
{
  return results_of (NULL);
}

static void
test_bridge_survives_replaced_globals (void)
{
  g_autoptr(JsonObject) r = results ();
  JsonObject *info = json_object_get_object_member (r, "info");
  JsonObject *resolved;

  g_assert_false (json_object_has_member (info, "rejected"));
  resolved = json_object_get_object_member (info, "resolved");
  g_assert_cmpstr (json_object_get_string_member (resolved, "runtime"), ==, "Yun");
  g_assert_cmpstr (json_object_get_string_member (resolved, "version"), ==, YUN_VERSION);
}

static void
test_naming_another_app_changes_nothing (void)
{
  g_autoptr(JsonObject) r = results ();
  JsonObject *other = json_object_get_object_member (r, "otherApp");

  g_assert_cmpstr (json_object_get_string_member (other, "rejected"), ==,
                   "DataError: device.info: args: unexpected member \"app\"");
}

static void
test_capabilities_list_the_schema (void)
{
  g_autoptr(JsonObject) r = results ();
  JsonObject *capabilities = json_object_get_object_member (
    json_object_get_object_member (r, "capabilities"), "resolved");
  JsonArray *methods = json_object_get_array_member (capabilities, "methods");
  gboolean has_info = FALSE;

  g_assert_cmpstr (json_object_get_string_member (capabilities, "version"), ==, YUN_VERSION);
  for (guint i = 0; i < json_array_get_length (methods); i++)
    has_info |= g_str_equal (json_array_get_string_element (methods, i), "device.info");
  g_assert_true (has_info);
}

static const char *const SAME_ORIGIN_REFUSAL =
  "SecurityError: device.info: navigator.yun is off in this document: it held a same-origin frame";

/* What the frame @id answered, and what the top frame's own call gave while
 * the frame was there. */
static void
frame_outcome (JsonObject  *r,
               const char  *id,
               const char **reach,
               const char **top)
{
  JsonObject *frame = json_object_get_object_member (r, id);
  JsonObject *top_outcome = json_object_get_object_member (frame, "top");

  g_assert_false (json_object_get_boolean_member (frame, "hasYun"));
  *reach = json_object_get_string_member (frame, "reach");
  *top = json_object_has_member (top_outcome, "rejected")
           ? json_object_get_string_member (top_outcome, "rejected") : "resolved";
}

static void
test_cross_origin_frame_cannot_reach_the_bridge (void)
{
  g_autoptr(JsonObject) r = results ();
  const char *reach, *top;

  frame_outcome (r, "cross-origin", &reach, &top);
  g_assert_cmpstr (reach, ==, "unreachable: SecurityError");
  g_assert_cmpstr (top, ==, "resolved");
}

/* WebKit refuses to navigate a top frame to data: from script, so a data:
 * document is only ever a frame, with an opaque origin. */
static void
test_data_frame_cannot_reach_the_bridge (void)
{
  g_autoptr(JsonObject) r = results ();
  const char *reach, *top;

  frame_outcome (r, "data", &reach, &top);
  g_assert_cmpstr (reach, ==, "unreachable: SecurityError");
  g_assert_cmpstr (top, ==, "resolved");
}

static void
test_sandboxed_srcdoc_frame_cannot_reach_the_bridge (void)
{
  g_autoptr(JsonObject) r = results ();
  const char *reach, *top;

  frame_outcome (r, "sandboxed-srcdoc", &reach, &top);
  g_assert_cmpstr (reach, ==, "unreachable: SecurityError");
  g_assert_cmpstr (top, ==, "resolved");
}

/* Loads the page again with ?taint=@id: it adds the frame @id, whose
 * document has the page's own origin and so can read
 * parent.navigator.yun, then removes it.  Every call is refused from the
 * moment the frame exists, the top frame's own too, and stays refused for
 * the rest of the document: after the frame is gone, and from a listener
 * the frame left behind. */
static void
check_same_origin_frame_turns_the_bridge_off (const char *id)
{
  g_autofree char *go = g_strdup_printf ("setTimeout (() => { location.search = '?taint=%s'; }, 0);"
                                         "return true;", id);
  g_autoptr(JsonNode) started = yun_e2e_wait_for_isolated (e2e, "hostile", go);
  g_autoptr(JsonObject) r = results_of (id);
  JsonObject *after = json_object_get_object_member (r, "afterRemoval");
  const char *reach, *top;

  frame_outcome (r, id, &reach, &top);
  g_assert_true (g_str_has_prefix (reach, "rejected: "));
  g_assert_true (g_str_has_prefix (reach + strlen ("rejected: "), SAME_ORIGIN_REFUSAL));
  g_assert_true (g_str_has_prefix (top, SAME_ORIGIN_REFUSAL));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (after, "rejected"),
                                   SAME_ORIGIN_REFUSAL));
}

static void
test_same_origin_frame_turns_the_bridge_off (void)
{
  g_autoptr(JsonObject) r = NULL;

  check_same_origin_frame_turns_the_bridge_off ("same-origin");
  r = results_of ("same-origin");
  g_assert_cmpstr (json_object_get_string_member (r, "late"), ==, "rejected: SecurityError");
}

static void
test_srcdoc_frame_turns_the_bridge_off (void)
{
  check_same_origin_frame_turns_the_bridge_off ("srcdoc");
}

static void
test_written_blank_frame_turns_the_bridge_off (void)
{
  check_same_origin_frame_turns_the_bridge_off ("blank");
}

/* A new document starts with the bridge on again. */
static void
test_next_document_has_the_bridge_again (void)
{
  g_autoptr(JsonNode) started = NULL;
  g_autoptr(JsonObject) r = NULL;
  JsonObject *info;

  started = yun_e2e_wait_for_isolated (e2e, "hostile",
                                       "setTimeout (() => { location.search = ''; }, 0);"
                                       "return true;");
  r = results ();
  info = json_object_get_object_member (r, "info");
  g_assert_false (json_object_has_member (info, "rejected"));
}

static void
test_popups_are_refused (void)
{
  g_autoptr(JsonObject) r = results ();
  g_autoptr(GVariant) apps = NULL;
  g_autofree const char **ids = NULL;

  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (r, "popup"),
                                                  "opened"));
  apps = yun_e2e_call (e2e, "ListApps", NULL);
  g_variant_get (apps, "(^a&s)", &ids);
  g_assert_cmpuint (g_strv_length ((char **) ids), ==, 1);
}

static void
test_blob_document_has_no_bridge (void)
{
  g_autoptr(JsonNode) started = NULL;
  g_autoptr(JsonNode) loaded = NULL;
  g_autoptr(JsonNode) blob = NULL;

  /* Made and opened from the automation's own world, where Blob and URL
   * are untouched; the blob: document then belongs to the top frame. */
  started = yun_e2e_wait_for_isolated (e2e, "hostile",
                                       "const url = URL.createObjectURL (new Blob (['<p>blob</p>'],"
                                       "                                 { type: 'text/html' }));"
                                       "setTimeout (() => { location.href = url; }, 0);"
                                       "return true;");
  /* Wait from the isolated world: until the navigation lands, the main
   * world is still the hostile page, whose JSON.stringify lies. */
  loaded = yun_e2e_wait_for_isolated (e2e, "hostile",
                                      "return location.protocol === 'blob:' &&"
                                      "  document.readyState === 'complete' ? true : null;");
  blob = yun_e2e_wait_for (e2e, "hostile", "return { yun: 'yun' in navigator };");
  g_assert_false (json_object_get_boolean_member (json_node_get_object (blob), "yun"));
}

/* Navigates the top frame to @url from the automation's own world and
 * says whether the page that loaded there has navigator.yun. */
static gboolean
top_document_has_bridge (const char *url,
                         const char *protocol)
{
  g_autofree char *go = g_strdup_printf ("setTimeout (() => { location.href = '%s'; }, 0);"
                                         "return true;", url);
  g_autofree char *landed = g_strdup_printf ("return location.protocol === '%s' &&"
                                             "  document.readyState === 'complete' ? true : null;",
                                             protocol);
  g_autoptr(JsonNode) started = NULL;
  g_autoptr(JsonNode) loaded = NULL;
  g_autoptr(JsonNode) has = NULL;

  started = yun_e2e_wait_for_isolated (e2e, "hostile", go);
  loaded = yun_e2e_wait_for_isolated (e2e, "hostile", landed);
  has = yun_e2e_wait_for (e2e, "hostile", "return { yun: 'yun' in navigator };");
  return json_object_get_boolean_member (json_node_get_object (has), "yun");
}

static void
test_about_blank_document_has_no_bridge (void)
{
  g_assert_false (top_document_has_bridge ("about:blank", "about:"));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *webapps = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/yun/e2e/hostile/bridge-survives-replaced-globals",
                   test_bridge_survives_replaced_globals);
  g_test_add_func ("/yun/e2e/hostile/naming-another-app-changes-nothing",
                   test_naming_another_app_changes_nothing);
  g_test_add_func ("/yun/e2e/hostile/capabilities-list-the-schema",
                   test_capabilities_list_the_schema);
  g_test_add_func ("/yun/e2e/hostile/cross-origin-frame-cannot-reach-the-bridge",
                   test_cross_origin_frame_cannot_reach_the_bridge);
  g_test_add_func ("/yun/e2e/hostile/data-frame-cannot-reach-the-bridge",
                   test_data_frame_cannot_reach_the_bridge);
  g_test_add_func ("/yun/e2e/hostile/sandboxed-srcdoc-frame-cannot-reach-the-bridge",
                   test_sandboxed_srcdoc_frame_cannot_reach_the_bridge);
  g_test_add_func ("/yun/e2e/hostile/popups-are-refused", test_popups_are_refused);
  /* These load the page again, with one frame each. */
  g_test_add_func ("/yun/e2e/hostile/same-origin-frame-turns-the-bridge-off",
                   test_same_origin_frame_turns_the_bridge_off);
  g_test_add_func ("/yun/e2e/hostile/srcdoc-frame-turns-the-bridge-off",
                   test_srcdoc_frame_turns_the_bridge_off);
  g_test_add_func ("/yun/e2e/hostile/written-blank-frame-turns-the-bridge-off",
                   test_written_blank_frame_turns_the_bridge_off);
  g_test_add_func ("/yun/e2e/hostile/next-document-has-the-bridge-again",
                   test_next_document_has_the_bridge_again);
  /* Last: it navigates the app away from its page. */
  g_test_add_func ("/yun/e2e/hostile/blob-document-has-no-bridge",
                   test_blob_document_has_no_bridge);
  g_test_add_func ("/yun/e2e/hostile/about-blank-document-has-no-bridge",
                   test_about_blank_document_has_no_bridge);

  webapps = g_test_build_filename (G_TEST_DIST, "data", "webapps", NULL);
  e2e = yun_e2e_start (webapps, "hostile");
  status = g_test_run ();
  yun_e2e_stop (e2e);

  return status;
}
