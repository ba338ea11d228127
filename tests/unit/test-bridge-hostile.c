/* test-bridge-hostile.c: hostile and malformed calls, none accepted.
 *
 * Two groups: the library in tests/data/bridge/hostile-calls.json, one
 * test per call with the DOMException name it must be refused with; and,
 * for every method the schema declares, calls built from its declaration
 * (an extra member, each argument of the wrong type, a missing required
 * one, oversize, too deep, invalid UTF-8), so a new method is covered the
 * day it is declared.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "yun-bridge.h"
#include "yun-bridge-schema.h"

#define SCOPE "http://127.0.0.1:8080/apps/hostile/"
#define MANIFEST "{\"name\": \"Hostile\", \"yun\": {\"permissions\": {\"contacts\": " \
                 "{\"access\": \"read\", \"reason\": \"To be attacked\"}}}}"

static YunBridge *bridge;
static YunManifest *manifest;

static void
on_reply (char     *text,
          gpointer  user_data)
{
  char **reply = user_data;

  *reply = text;
  g_assert_nonnull (*reply);
}

static char *
call (const char *data,
      gsize       length)
{
  YunBridgeCaller caller = { "hostile", manifest, SCOPE "index.html" };
  char *reply = NULL;

  yun_bridge_handle (bridge, &caller, data, length, NULL, on_reply, &reply);
  while (reply == NULL)
    g_main_context_iteration (NULL, TRUE);
  return reply;
}

/* Sends the bytes and checks the reply refuses them with @expected. */
static void
assert_refused (const char *data,
                gsize       length,
                const char *expected)
{
  g_autofree char *reply = call (data, length);
  g_autoptr(JsonNode) root = json_from_string (reply, NULL);
  JsonObject *object;
  JsonObject *error;

  g_assert_true (g_utf8_validate (reply, -1, NULL));
  g_assert_nonnull (root);
  object = json_node_get_object (root);
  if (json_object_has_member (object, "result"))
    g_error ("accepted: %.200s", data);
  error = json_object_get_object_member (object, "error");
  g_assert_cmpstr (json_object_get_string_member (error, "name"), ==, expected);
  g_assert_cmpuint (strlen (json_object_get_string_member (error, "message")), >, 0);
}

static GString *
envelope_start (const char *api,
                const char *method)
{
  GString *text = g_string_new (NULL);

  g_string_printf (text, "{\"id\": 1, \"api\": \"%s\", \"method\": \"%s\", \"args\": ", api, method);
  return text;
}

static void
assert_args_refused (const YunBridgeSchemaMethod *method,
                     const char                  *args)
{
  g_autoptr(GString) text = envelope_start (method->api, method->method);

  g_string_append_printf (text, "%s}", args);
  assert_refused (text->str, text->len, "DataError");
}

static void
test_library_call (gconstpointer data)
{
  JsonObject *entry = (JsonObject *) data;
  const char *expected = json_object_get_string_member (entry, "expect");
  JsonNode *request = json_object_get_member (entry, "request");
  g_autoptr(GString) text = NULL;
  JsonObject *recipe;
  const char *kind;

  if (JSON_NODE_HOLDS_VALUE (request)) {
    const char *literal = json_node_get_string (request);

    assert_refused (literal, strlen (literal), expected);
    return;
  }

  recipe = json_node_get_object (request);
  kind = json_object_get_string_member (recipe, "generate");
  text = envelope_start ("device", "info");

  if (g_str_equal (kind, "deep")) {
    gint64 depth = json_object_get_int_member (recipe, "depth");

    g_string_append (text, "{\"x\": ");
    for (gint64 i = 0; i < depth; i++)
      g_string_append_c (text, '[');
    for (gint64 i = 0; i < depth; i++)
      g_string_append_c (text, ']');
    g_string_append (text, "}}");
  } else if (g_str_equal (kind, "large")) {
    gint64 bytes = json_object_get_int_member (recipe, "bytes");

    g_string_append (text, "{\"x\": \"");
    while ((gint64) text->len < bytes - 3)
      g_string_append_c (text, 'a');
    g_string_append (text, "\"}}");
  } else if (g_str_equal (kind, "bytes")) {
    const char *hex = json_object_get_string_member (recipe, "hex");

    g_string_append (text, "{\"x\": \"");
    for (gsize i = 0; hex[i] != '\0' && hex[i + 1] != '\0'; i += 2)
      g_string_append_c (text, (char) (g_ascii_xdigit_value (hex[i]) * 16 +
                                       g_ascii_xdigit_value (hex[i + 1])));
    g_string_append (text, "\"}}");
  } else {
    g_error ("unknown recipe %s", kind);
  }

  assert_refused (text->str, text->len, expected);
}

static const char * const wrong_values[] = {
  "null", "true", "0", "-1.5", "\"\"", "\"x\"", "[]", "{}", "[[[[1]]]]",
};

static void
test_schema_method (gconstpointer data)
{
  const YunBridgeSchemaMethod *method = data;
  YunBridgeSchema *schema = yun_bridge_schema_get_default ();
  g_autoptr(GString) deep = g_string_new ("{\"__extra\": ");
  g_autoptr(GString) large = g_string_new ("{\"__extra\": \"");
  JsonObjectIter iter;
  const char *name;
  JsonNode *spec;

  /* A member the declaration does not list. */
  assert_args_refused (method, "{\"__proto__\": {\"admin\": true}}");
  assert_args_refused (method, "{\"app\": \"store\"}");

  /* Each declared argument with values of the wrong type, and missing. */
  json_object_iter_init (&iter, method->args);
  while (json_object_iter_next (&iter, &name, &spec)) {
    for (guint i = 0; i < G_N_ELEMENTS (wrong_values); i++) {
      g_autofree char *args = g_strdup_printf ("{\"%s\": %s}", name, wrong_values[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) parsed = json_from_string (args, NULL);

      /* Values that happen to be valid for this argument are not hostile. */
      if (yun_bridge_schema_validate_args (schema, method, json_node_get_object (parsed), &error))
        continue;
      assert_args_refused (method, args);
    }
    if (json_object_get_boolean_member_with_default (json_node_get_object (spec), "required", FALSE))
      assert_args_refused (method, "{}");
  }

  /* Too deep, too large, not UTF-8. */
  for (int i = 0; i < 70; i++)
    g_string_append_c (deep, '[');
  for (int i = 0; i < 70; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  assert_args_refused (method, deep->str);

  while (large->len < 1024 * 1024 + 16)
    g_string_append (large, "0123456789abcdef");
  g_string_append (large, "\"}");
  assert_args_refused (method, large->str);

  assert_args_refused (method, "{\"__extra\": \"\xc3\x28\"}");
  assert_args_refused (method, "{\"__extra\": \"\xed\xa0\x80\"}");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *path = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(YunDevice) device = NULL;
  g_autoptr(YunPermissionStore) store = NULL;
  g_autoptr(YunPermissionGate) gate = NULL;
  g_autoptr(GPtrArray) methods = NULL;
  const char *model_files[] = { NULL };
  JsonArray *calls;
  int status;

  g_test_init (&argc, &argv, NULL);

  device = yun_device_new_for_sources (model_files);
  store = yun_permission_store_open (":memory:", &error);
  g_assert_no_error (error);
  gate = yun_permission_gate_new (store);
  bridge = yun_bridge_new (device, gate);
  manifest = yun_manifest_new_from_data (MANIFEST, strlen (MANIFEST), SCOPE "manifest.json", &error);
  g_assert_no_error (error);

  path = g_test_build_filename (G_TEST_DIST, "data", "bridge", "hostile-calls.json", NULL);
  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  calls = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "calls");
  /* The library promises at least 200 calls. */
  g_assert_cmpuint (json_array_get_length (calls), >=, 200);

  for (guint i = 0; i < json_array_get_length (calls); i++) {
    g_autofree char *test_path = g_strdup_printf ("/yun/bridge/hostile/library/%03u", i);

    g_test_add_data_func (test_path, json_array_get_object_element (calls, i), test_library_call);
  }

  methods = yun_bridge_schema_get_methods (yun_bridge_schema_get_default ());
  for (guint i = 0; i < methods->len; i++) {
    const YunBridgeSchemaMethod *method = g_ptr_array_index (methods, i);
    g_autofree char *test_path = g_strdup_printf ("/yun/bridge/hostile/schema/%s.%s",
                                                  method->api, method->method);

    g_test_add_data_func (test_path, method, test_schema_method);
  }

  status = g_test_run ();
  g_clear_object (&manifest);
  g_clear_object (&bridge);
  return status;
}
