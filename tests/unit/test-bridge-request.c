/* test-bridge-request.c: the bridge's request decoder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "yun-bridge-error.h"
#include "yun-bridge-request.h"

static YunBridgeRequest *
parse (const char  *text,
       GError     **error)
{
  return yun_bridge_request_parse (text, strlen (text), error);
}

/* Parses @text, expects a DataError whose message contains @needle. */
static void
assert_refused (const char *text,
                const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunBridgeRequest) request = parse (text, &error);

  g_assert_null (request);
  g_assert_error (error, YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_DATA);
  if (strstr (error->message, needle) == NULL)
    g_error ("message \"%s\" does not mention \"%s\"", error->message, needle);
}

static void
test_valid (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunBridgeRequest) request = NULL;

  request = parse ("{\"id\": 7, \"api\": \"device\", \"method\": \"info\", \"args\": {\"a\": [1]}}",
                   &error);
  g_assert_no_error (error);
  g_assert_nonnull (request);
  g_assert_cmpint (request->id, ==, 7);
  g_assert_cmpstr (request->api, ==, "device");
  g_assert_cmpstr (request->method, ==, "info");
  g_assert_true (json_object_has_member (request->args, "a"));
}

static void
test_largest_id (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunBridgeRequest) request = NULL;

  request = parse ("{\"id\": 9007199254740991, \"api\": \"a\", \"method\": \"b\", \"args\": {}}",
                   &error);
  g_assert_no_error (error);
  g_assert_cmpint (request->id, ==, G_GINT64_CONSTANT (9007199254740991));
}

static void
test_malformed_json (void)
{
  assert_refused ("{\"id\": 1, \"api\": ", "not JSON");
  assert_refused ("", "not JSON");
  assert_refused ("{\"id\": 1} trailing", "not JSON");
}

static void
test_not_an_object (void)
{
  assert_refused ("[1, 2, 3]", "expected an object, got array");
  assert_refused ("\"device.info\"", "expected an object, got string");
  assert_refused ("null", "expected an object, got null");
}

static void
test_wrong_types (void)
{
  assert_refused ("{\"id\": \"1\", \"api\": \"device\", \"method\": \"info\", \"args\": {}}",
                  "request.id: expected a number, got string");
  assert_refused ("{\"id\": 1, \"api\": 5, \"method\": \"info\", \"args\": {}}",
                  "request.api: expected a string, got number");
  assert_refused ("{\"id\": 1, \"api\": \"device\", \"method\": null, \"args\": {}}",
                  "request.method: expected a string, got null");
  assert_refused ("{\"id\": 1, \"api\": \"device\", \"method\": \"info\", \"args\": []}",
                  "request.args: expected an object, got array");
  assert_refused ("{\"id\": true, \"api\": \"device\", \"method\": \"info\", \"args\": {}}",
                  "request.id: expected a number, got boolean");
}

static void
test_missing_members (void)
{
  assert_refused ("{\"api\": \"device\", \"method\": \"info\", \"args\": {}}", "request.id: missing");
  assert_refused ("{\"id\": 1, \"method\": \"info\", \"args\": {}}", "request.api: missing");
  assert_refused ("{\"id\": 1, \"api\": \"device\", \"args\": {}}", "request.method: missing");
  assert_refused ("{\"id\": 1, \"api\": \"device\", \"method\": \"info\"}", "request.args: missing");
}

static void
test_unexpected_member (void)
{
  /* A page naming an app cannot make the runtime believe it. */
  assert_refused ("{\"id\": 1, \"api\": \"device\", \"method\": \"info\", \"args\": {}, "
                  "\"app\": \"store\"}", "unexpected member \"app\"");
}

static void
test_bad_ids (void)
{
  assert_refused ("{\"id\": -1, \"api\": \"a\", \"method\": \"b\", \"args\": {}}", "integer");
  assert_refused ("{\"id\": 1.5, \"api\": \"a\", \"method\": \"b\", \"args\": {}}", "integer");
  assert_refused ("{\"id\": 9007199254740992, \"api\": \"a\", \"method\": \"b\", \"args\": {}}",
                  "integer");
  assert_refused ("{\"id\": 1e300, \"api\": \"a\", \"method\": \"b\", \"args\": {}}", "integer");
}

static void
test_bad_names (void)
{
  const char *names[] = {
    "\"\"", "\"Device\"", "\"1device\"", "\"dev-ice\"", "\"dev ice\"", "\"__proto__\"",
    "\"constructor.prototype\"", "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"", "\"d\\u00e9vice\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
    g_autofree char *api = g_strdup_printf ("{\"id\": 1, \"api\": %s, \"method\": \"info\", "
                                            "\"args\": {}}", names[i]);
    g_autofree char *method = g_strdup_printf ("{\"id\": 1, \"api\": \"device\", \"method\": %s, "
                                               "\"args\": {}}", names[i]);

    assert_refused (api, "request.api: expected a name");
    assert_refused (method, "request.method: expected a name");
  }
}

static void
test_oversize (void)
{
  g_autoptr(GString) text = g_string_new ("{\"id\": 1, \"api\": \"a\", \"method\": \"b\", "
                                          "\"args\": {\"s\": \"");
  g_autoptr(GError) error = NULL;
  g_autoptr(YunBridgeRequest) request = NULL;

  while (text->len <= YUN_BRIDGE_MAX_REQUEST_BYTES)
    g_string_append (text, "xxxxxxxxxxxxxxxx");
  g_string_append (text, "\"}}");

  request = yun_bridge_request_parse (text->str, text->len, &error);
  g_assert_null (request);
  g_assert_error (error, YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_DATA);
  g_assert_nonnull (strstr (error->message, "over the limit"));
}

static void
test_just_under_the_limit (void)
{
  g_autoptr(GString) text = g_string_new ("{\"id\": 1, \"api\": \"a\", \"method\": \"b\", "
                                          "\"args\": {\"s\": \"");
  g_autoptr(GError) error = NULL;
  g_autoptr(YunBridgeRequest) request = NULL;

  while (text->len < YUN_BRIDGE_MAX_REQUEST_BYTES - 3)
    g_string_append_c (text, 'x');
  g_string_append (text, "\"}}");
  g_assert_cmpuint (text->len, ==, YUN_BRIDGE_MAX_REQUEST_BYTES);

  request = yun_bridge_request_parse (text->str, text->len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (request);
}

static void
test_too_deep (void)
{
  g_autoptr(GString) text = g_string_new ("{\"id\": 1, \"api\": \"a\", \"method\": \"b\", \"args\": {\"x\": ");

  /* A megabyte of brackets would crash a recursive parser; the decoder
   * must refuse it before parsing. */
  for (int i = 0; i < 500000; i++)
    g_string_append_c (text, '[');
  assert_refused (text->str, "deeper than");
}

/* A request whose args.x nests @levels arrays deep, after a string full of
 * brackets and an escaped quote that must count as text; the envelope and
 * args add two levels. */
static char *
nested_request (int levels)
{
  GString *text = g_string_new ("{\"id\": 1, \"api\": \"a\", \"method\": \"b\", "
                                "\"args\": {\"s\": \"[[[[\\\"{{{{\", \"x\": ");

  for (int i = 0; i < levels; i++)
    g_string_append_c (text, '[');
  for (int i = 0; i < levels; i++)
    g_string_append_c (text, ']');
  g_string_append (text, "}}");

  return g_string_free (text, FALSE);
}

static void
test_depth_limit_counts_only_structure (void)
{
  g_autofree char *deepest = nested_request (YUN_BRIDGE_MAX_DEPTH - 2);
  g_autofree char *too_deep = nested_request (YUN_BRIDGE_MAX_DEPTH - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(YunBridgeRequest) request = NULL;

  request = parse (deepest, &error);
  g_assert_no_error (error);
  g_assert_nonnull (request);

  assert_refused (too_deep, "deeper than");
}

static void
test_invalid_utf8 (void)
{
  assert_refused ("{\"id\": 1, \"api\": \"a\", \"method\": \"b\", \"args\": {\"s\": \"\xc3\x28\"}}",
                  "UTF-8");
  assert_refused ("{\"id\": 1, \"api\": \"a\", \"method\": \"b\", \"args\": {\"s\": \"\xed\xa0\x80\"}}",
                  "UTF-8");
}

static void
test_embedded_nul (void)
{
  const char text[] = "{\"id\": 1, \"api\": \"a\", \"method\": \"b\", \"args\": {}}\0{\"x\": 1}";
  g_autoptr(GError) error = NULL;
  g_autoptr(YunBridgeRequest) request = NULL;

  request = yun_bridge_request_parse (text, sizeof text - 1, &error);
  g_assert_null (request);
  g_assert_error (error, YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_DATA);
}

static void
test_unicode_edge_cases (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunBridgeRequest) request = NULL;
  const char *odd_escapes[] = { "\\ud800", "\\udc00\\ud800", "\\u0000", "\\uffff", "\\ufeff" };
  JsonNode *s;

  /* Non-BMP characters and escaped ones survive; a lone surrogate escape is
   * the parser's to refuse or replace, but never a crash. */
  request = parse ("{\"id\": 1, \"api\": \"a\", \"method\": \"b\", "
                   "\"args\": {\"s\": \"\xf0\x9f\x98\x80 \\ud83d\\ude00\"}}", &error);
  g_assert_no_error (error);
  s = json_object_get_member (request->args, "s");
  g_assert_true (g_str_has_prefix (json_node_get_string (s), "\xf0\x9f\x98\x80 \xf0\x9f\x98\x80"));

  for (guint i = 0; i < G_N_ELEMENTS (odd_escapes); i++) {
    g_autofree char *text = g_strdup_printf ("{\"id\": 1, \"api\": \"a\", \"method\": \"b\", "
                                             "\"args\": {\"s\": \"%s\"}}", odd_escapes[i]);
    g_autoptr(YunBridgeRequest) odd = NULL;

    g_clear_error (&error);
    odd = parse (text, &error);
    g_assert_true ((odd == NULL) == (error != NULL));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/yun/bridge/request/valid", test_valid);
  g_test_add_func ("/yun/bridge/request/largest-id", test_largest_id);
  g_test_add_func ("/yun/bridge/request/malformed-json", test_malformed_json);
  g_test_add_func ("/yun/bridge/request/not-an-object", test_not_an_object);
  g_test_add_func ("/yun/bridge/request/wrong-types", test_wrong_types);
  g_test_add_func ("/yun/bridge/request/missing-members", test_missing_members);
  g_test_add_func ("/yun/bridge/request/unexpected-member", test_unexpected_member);
  g_test_add_func ("/yun/bridge/request/bad-ids", test_bad_ids);
  g_test_add_func ("/yun/bridge/request/bad-names", test_bad_names);
  g_test_add_func ("/yun/bridge/request/oversize", test_oversize);
  g_test_add_func ("/yun/bridge/request/just-under-the-limit", test_just_under_the_limit);
  g_test_add_func ("/yun/bridge/request/too-deep", test_too_deep);
  g_test_add_func ("/yun/bridge/request/depth-limit-counts-only-structure",
                   test_depth_limit_counts_only_structure);
  g_test_add_func ("/yun/bridge/request/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/yun/bridge/request/embedded-nul", test_embedded_nul);
  g_test_add_func ("/yun/bridge/request/unicode-edge-cases", test_unicode_edge_cases);

  return g_test_run ();
}
