/* test-bridge.c: dispatching bridge calls and shaping replies.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "yun-bridge.h"

#define SCOPE "http://127.0.0.1:8080/apps/hello/"

#define MANIFEST "{\"name\": \"Hello\", \"yun\": {\"permissions\": {\"contacts\": " \
                 "{\"access\": \"read\", \"reason\": \"To greet your friends\"}}}}"

typedef struct {
  char *tmp_dir;
  char *store_path;
  YunManifest *manifest;
  YunBridge *bridge;
  char *reply;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char *model_files[] = { "/nonexistent/model", NULL };
  g_autoptr(YunDevice) device = yun_device_new_for_sources (model_files);
  g_autoptr(YunPermissionStore) store = NULL;
  g_autoptr(YunPermissionGate) gate = NULL;
  g_autoptr(GError) error = NULL;

  fixture->tmp_dir = g_dir_make_tmp ("yun-bridge-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store_path = g_build_filename (fixture->tmp_dir, "permissions.sqlite", NULL);
  store = yun_permission_store_open (fixture->store_path, &error);
  g_assert_no_error (error);
  gate = yun_permission_gate_new (store);
  fixture->manifest = yun_manifest_new_from_data (MANIFEST, strlen (MANIFEST),
                                                  SCOPE "manifest.json", &error);
  g_assert_no_error (error);
  fixture->bridge = yun_bridge_new (device, gate);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (fixture->store_path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (fixture->store_path, "-shm", NULL);

  g_free (fixture->reply);
  g_assert_finalize_object (fixture->bridge);
  g_assert_finalize_object (fixture->manifest);
  g_unlink (fixture->store_path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (fixture->tmp_dir);
  g_free (fixture->store_path);
  g_free (fixture->tmp_dir);
}

static void
on_reply (char     *reply,
          gpointer  user_data)
{
  Fixture *fixture = user_data;

  g_assert_nonnull (reply);
  fixture->reply = reply;
}

/* Sends @request as if from @document_uri in the hello app and returns the
 * reply's root object. */
static JsonObject *
call (Fixture    *fixture,
      const char *document_uri,
      const char *request)
{
  YunBridgeCaller caller = { "hello", fixture->manifest, document_uri };
  g_autoptr(JsonNode) root = NULL;

  g_clear_pointer (&fixture->reply, g_free);
  yun_bridge_handle (fixture->bridge, &caller, request, strlen (request), NULL,
                         on_reply, fixture);
  while (fixture->reply == NULL)
    g_main_context_iteration (NULL, TRUE);

  root = json_from_string (fixture->reply, NULL);
  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

static void
assert_error (JsonObject *reply,
              const char *name,
              const char *needle)
{
  JsonObject *error;

  g_assert_false (json_object_has_member (reply, "result"));
  error = json_object_get_object_member (reply, "error");
  g_assert_nonnull (error);
  g_assert_cmpstr (json_object_get_string_member (error, "name"), ==, name);
  if (strstr (json_object_get_string_member (error, "message"), needle) == NULL)
    g_error ("message \"%s\" does not mention \"%s\"",
             json_object_get_string_member (error, "message"), needle);
}

static void
test_device_info (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(JsonObject) reply = call (fixture, SCOPE "index.html",
                                      "{\"id\": 3, \"api\": \"device\", \"method\": \"info\", "
                                      "\"args\": {}}");
  JsonObject *result;

  g_assert_cmpint (json_object_get_int_member (reply, "id"), ==, 3);
  g_assert_false (json_object_has_member (reply, "error"));
  result = json_object_get_object_member (reply, "result");
  g_assert_cmpstr (json_object_get_string_member (result, "runtime"), ==, "Yun");
  g_assert_cmpstr (json_object_get_string_member (result, "version"), ==, YUN_VERSION);
  g_assert_cmpstr (json_object_get_string_member (result, "model"), ==, "Unknown device");
}

static void
test_echo_returns_its_data (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(JsonObject) reply = call (fixture, SCOPE,
                                      "{\"id\": 7, \"api\": \"runtime\", \"method\": \"echo\", "
                                      "\"args\": {\"data\": \"\u4e91 \\ud83d\\ude00 \\\" \\\\\"}}");
  JsonObject *result = json_object_get_object_member (reply, "result");

  g_assert_false (json_object_has_member (reply, "error"));
  g_assert_cmpstr (json_object_get_string_member (result, "data"), ==, "\u4e91 \U0001F600 \" \\");
}

static void
test_echo_refuses_data_over_its_limit (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autoptr(GString) request = g_string_new ("{\"id\": 8, \"api\": \"runtime\", "
                                             "\"method\": \"echo\", \"args\": {\"data\": \"");
  g_autoptr(JsonObject) reply = NULL;

  for (guint i = 0; i < 1000001; i++)
    g_string_append_c (request, 'x');
  g_string_append (request, "\"}}");
  reply = call (fixture, SCOPE, request->str);
  assert_error (reply, "DataError", "echo: args.data: longer than 1000000 characters");
}

static void
test_echo_needs_data (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(JsonObject) reply = call (fixture, SCOPE,
                                      "{\"id\": 9, \"api\": \"runtime\", \"method\": \"echo\", "
                                      "\"args\": {}}");

  assert_error (reply, "DataError", "echo: args.data: missing");
}

static void
test_unknown_method (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) reply = call (fixture, SCOPE,
                                      "{\"id\": 4, \"api\": \"device\", \"method\": \"reboot\", "
                                      "\"args\": {}}");

  g_assert_cmpint (json_object_get_int_member (reply, "id"), ==, 4);
  assert_error (reply, "NotSupportedError", "navigator.yun.device.reboot");
}

static void
test_unknown_namespace (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(JsonObject) reply = call (fixture, SCOPE,
                                      "{\"id\": 5, \"api\": \"toString\", \"method\": \"info\", "
                                      "\"args\": {}}");

  assert_error (reply, "NotSupportedError", "navigator.yun.toString.info");
}

static void
test_extra_argument (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) reply = call (fixture, SCOPE,
                                      "{\"id\": 6, \"api\": \"device\", \"method\": \"info\", "
                                      "\"args\": {\"verbose\": true}}");

  assert_error (reply, "DataError", "device.info: args: unexpected member \"verbose\"");
}

static void
test_malformed_request (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(JsonObject) reply = call (fixture, SCOPE, "{\"id\": 1,");

  g_assert_true (json_object_get_null_member (reply, "id"));
  assert_error (reply, "DataError", "not JSON");
}

static void
test_document_outside_scope (Fixture       *fixture,
                             gconstpointer  data)
{
  const char *outside[] = {
    "http://127.0.0.1:8080/apps/other/",
    "http://localhost:8080/apps/hello/",
    "http://127.0.0.1:8081/apps/hello/",
    "https://127.0.0.1:8080/apps/hello/",
    "about:blank",
    "data:text/html,<p>hi",
    "blob:http://127.0.0.1:8080/0d9c",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (outside); i++) {
    g_autoptr(JsonObject) reply = call (fixture, outside[i],
                                        "{\"id\": 1, \"api\": \"device\", \"method\": \"info\", "
                                        "\"args\": {}}");

    assert_error (reply, "NotAllowedError", "outside the scope of app \"hello\"");
  }
}

static void
test_reply_is_valid_json_for_hostile_names (Fixture       *fixture,
                                            gconstpointer  data)
{
  /* The method name echoes into the message: it must come out as JSON
   * text, not as markup or a broken string. */
  g_autoptr(JsonObject) reply = call (fixture, SCOPE,
                                      "{\"id\": 2, \"api\": \"device\", \"method\": \"x\\\"y\", "
                                      "\"args\": {}}");

  assert_error (reply, "DataError", "request.method: expected a name");
}

static void
test_reply_to_broken_escape_is_unicode (Fixture       *fixture,
                                        gconstpointer  data)
{
  /* Found by fuzz-bridge-request: json-glib quotes the broken string in
   * its message, with bytes that are not UTF-8. */
  g_autoptr(JsonObject) reply = call (fixture, SCOPE,
                                      "{\"id\": 1, \"api\": \"a\", \"method\": \"b\", "
                                      "\"args\": {\"s\": \"\\ud83dd\\ude00\"}}");

  g_assert_true (g_utf8_validate (fixture->reply, -1, NULL));
  assert_error (reply, "DataError", "not JSON");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/yun/bridge/dispatch/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("device-info", test_device_info);
  ADD ("echo-returns-its-data", test_echo_returns_its_data);
  ADD ("echo-refuses-data-over-its-limit", test_echo_refuses_data_over_its_limit);
  ADD ("echo-needs-data", test_echo_needs_data);
  ADD ("unknown-method", test_unknown_method);
  ADD ("unknown-namespace", test_unknown_namespace);
  ADD ("extra-argument", test_extra_argument);
  ADD ("malformed-request", test_malformed_request);
  ADD ("document-outside-scope", test_document_outside_scope);
  ADD ("reply-is-valid-json-for-hostile-names", test_reply_is_valid_json_for_hostile_names);
  ADD ("reply-to-broken-escape-is-unicode", test_reply_to_broken_escape_is_unicode);

#undef ADD

  return g_test_run ();
}
