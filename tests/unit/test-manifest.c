/* test-manifest.c: processing Web App Manifests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "yun-manifest.h"

#define URL "http://127.0.0.1:8080/apps/hello/manifest.json"

static YunManifest *
process (const char  *text,
         GError     **error)
{
  return yun_manifest_new_from_data (text, strlen (text), URL, error);
}

static void
assert_invalid (const char *text,
                const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunManifest) manifest = process (text, &error);

  g_assert_null (manifest);
  g_assert_error (error, YUN_MANIFEST_ERROR, YUN_MANIFEST_ERROR_INVALID);
  if (strstr (error->message, needle) == NULL)
    g_error ("message \"%s\" does not mention \"%s\"", error->message, needle);
}

static void
test_defaults (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunManifest) manifest = process ("{\"name\": \" Hello \"}", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (yun_manifest_get_name (manifest), ==, "Hello");
  g_assert_cmpstr (yun_manifest_get_short_name (manifest), ==, "Hello");
  g_assert_cmpstr (yun_manifest_get_start_url (manifest), ==, "http://127.0.0.1:8080/apps/hello/");
  g_assert_cmpstr (yun_manifest_get_scope (manifest), ==, "http://127.0.0.1:8080/apps/hello/");
  g_assert_cmpstr (yun_manifest_get_display (manifest), ==, "standalone");
  g_assert_null (yun_manifest_get_theme_color (manifest));
  g_assert_cmpstr (yun_manifest_get_manifest_url (manifest), ==, URL);
}

static void
test_relative_urls_resolve_against_manifest (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunManifest) manifest = NULL;

  manifest = process ("{\"short_name\": \"Hi\", \"start_url\": \"app/index.html?src=home\", "
                      "\"scope\": \"app/\", \"display\": \"fullscreen\", "
                      "\"theme_color\": \"#123456\", \"unknown\": [1, {}]}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (yun_manifest_get_start_url (manifest), ==,
                   "http://127.0.0.1:8080/apps/hello/app/index.html?src=home");
  g_assert_cmpstr (yun_manifest_get_scope (manifest), ==, "http://127.0.0.1:8080/apps/hello/app/");
  g_assert_cmpstr (yun_manifest_get_name (manifest), ==, "Hi");
  g_assert_cmpstr (yun_manifest_get_display (manifest), ==, "fullscreen");
  g_assert_cmpstr (yun_manifest_get_theme_color (manifest), ==, "#123456");
}

static void
test_default_scope_is_start_url_folder (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunManifest) manifest = NULL;

  manifest = process ("{\"name\": \"A\", \"start_url\": \"/apps/hello/sub/start.html#x\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (yun_manifest_get_scope (manifest), ==, "http://127.0.0.1:8080/apps/hello/sub/");
}

static void
test_wrong_types_name_the_member (void)
{
  assert_invalid ("{\"name\": 3}", "name: expected a string, got number");
  assert_invalid ("{\"name\": \"A\", \"short_name\": []}", "short_name: expected a string, got array");
  assert_invalid ("{\"name\": \"A\", \"start_url\": {}}", "start_url: expected a string, got object");
  assert_invalid ("{\"name\": \"A\", \"scope\": true}", "scope: expected a string, got boolean");
  assert_invalid ("{\"name\": \"A\", \"display\": null}", "display: expected a string, got null");
  assert_invalid ("{\"name\": \"A\", \"theme_color\": 1}", "theme_color: expected a string");
}

static void
test_needs_a_name (void)
{
  assert_invalid ("{}", "name: an app needs a non-empty name or short_name");
  assert_invalid ("{\"name\": \"  \", \"short_name\": \"\"}", "name: an app needs");
}

static void
test_bad_display (void)
{
  assert_invalid ("{\"name\": \"A\", \"display\": \"kiosk\"}", "display: expected");
}

static void
test_start_url_must_share_origin (void)
{
  assert_invalid ("{\"name\": \"A\", \"start_url\": \"https://evil.example/\"}",
                  "start_url: \"https://evil.example/\" does not have the manifest's origin");
  assert_invalid ("{\"name\": \"A\", \"start_url\": \"data:text/html,hi\"}", "start_url:");
  /* Found by fuzz-manifest: GLib asserts while resolving this one. */
  assert_invalid ("{\"name\": \"A\", \"start_url\": \"https:/..//ev@l/\"}",
                  "start_url: \"https:/..//ev@l/\" is not a web address with a host");
}

static void
test_start_url_must_be_in_scope (void)
{
  assert_invalid ("{\"name\": \"A\", \"start_url\": \"/other/\", \"scope\": \"./\"}",
                  "scope: start_url");
  assert_invalid ("{\"name\": \"A\", \"scope\": \"https://evil.example/\"}", "scope: start_url");
}

static void
test_not_json (void)
{
  assert_invalid ("name: hello", "manifest: not JSON");
  assert_invalid ("[\"name\"]", "manifest: expected an object, got array");
  assert_invalid ("{\"name\": \"\xff\"}", "UTF-8");
}

static void
test_oversize (void)
{
  g_autoptr(GString) text = g_string_new ("{\"name\": \"A\", \"description\": \"");
  g_autoptr(GError) error = NULL;
  g_autoptr(YunManifest) manifest = NULL;

  while (text->len <= YUN_MANIFEST_MAX_BYTES)
    g_string_append (text, "0123456789abcdef");
  g_string_append (text, "\"}");

  manifest = yun_manifest_new_from_data (text->str, text->len, URL, &error);
  g_assert_null (manifest);
  g_assert_error (error, YUN_MANIFEST_ERROR, YUN_MANIFEST_ERROR_INVALID);
}

static void
test_deep_nesting (void)
{
  g_autoptr(GString) text = g_string_new ("{\"name\": \"A\", \"x\": ");

  for (int i = 0; i < 100000; i++)
    g_string_append_c (text, '{');
  assert_invalid (text->str, "deeper than");
}

static void
test_relative_manifest_url_is_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunManifest) manifest = NULL;

  manifest = yun_manifest_new_from_data ("{\"name\": \"A\"}", 13, "manifest.json", &error);
  g_assert_null (manifest);
  g_assert_error (error, YUN_MANIFEST_ERROR, YUN_MANIFEST_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/yun/services/manifest/defaults", test_defaults);
  g_test_add_func ("/yun/services/manifest/relative-urls-resolve-against-manifest",
                   test_relative_urls_resolve_against_manifest);
  g_test_add_func ("/yun/services/manifest/default-scope-is-start-url-folder",
                   test_default_scope_is_start_url_folder);
  g_test_add_func ("/yun/services/manifest/wrong-types-name-the-member",
                   test_wrong_types_name_the_member);
  g_test_add_func ("/yun/services/manifest/needs-a-name", test_needs_a_name);
  g_test_add_func ("/yun/services/manifest/bad-display", test_bad_display);
  g_test_add_func ("/yun/services/manifest/start-url-must-share-origin",
                   test_start_url_must_share_origin);
  g_test_add_func ("/yun/services/manifest/start-url-must-be-in-scope",
                   test_start_url_must_be_in_scope);
  g_test_add_func ("/yun/services/manifest/not-json", test_not_json);
  g_test_add_func ("/yun/services/manifest/oversize", test_oversize);
  g_test_add_func ("/yun/services/manifest/deep-nesting", test_deep_nesting);
  g_test_add_func ("/yun/services/manifest/relative-manifest-url-is-refused",
                   test_relative_manifest_url_is_refused);

  return g_test_run ();
}
