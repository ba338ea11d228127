/* test-manifest.c: processing Web App Manifests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "yun-css-color.h"
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
    g_string_append_c (text, '[');
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

static void
test_min_runtime_against_this_version (void)
{
  g_auto(GStrv) version = g_strsplit (YUN_VERSION, ".", 3);
  guint major = (guint) g_ascii_strtoull (version[0], NULL, 10);
  guint minor = (guint) g_ascii_strtoull (version[1], NULL, 10);
  g_autofree char *same = g_strdup_printf ("{\"name\": \"A\", \"yun\": "
                                           "{\"min_runtime\": \"%u.%u\"}}", major, minor);
  g_autofree char *next_minor = g_strdup_printf ("{\"name\": \"A\", \"yun\": "
                                                 "{\"min_runtime\": \"%u.%u\"}}",
                                                 major, minor + 1);
  g_autofree char *needed = g_strdup_printf ("yun.min_runtime: this app needs %s %u.%u or "
                                             "newer; this is %s %s", YUN_RUNTIME_NAME,
                                             major, minor + 1, YUN_RUNTIME_NAME, YUN_VERSION);
  g_autofree char *current = g_strdup_printf ("%u.%u", major, minor);
  g_autoptr(GError) error = NULL;
  g_autoptr(YunManifest) manifest = process (same, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (yun_manifest_get_min_runtime (manifest), ==, current);
  assert_invalid (next_minor, needed);
}

static void
test_permissions (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunManifest) manifest = NULL;
  const char * const *names;
  YunManifestAccess access = YUN_MANIFEST_ACCESS_READWRITE;
  const char *reason = NULL;

  manifest = process ("{\"name\": \"A\", \"yun\": {\"permissions\": {"
                      "\"sync\": {\"access\": \"readwrite\", \"reason\": \"To sync.\"}, "
                      "\"contacts\": {\"access\": \"read\", \"reason\": \" To pick. \"}}}}",
                      &error);
  g_assert_no_error (error);

  names = yun_manifest_get_permission_names (manifest);
  g_assert_cmpuint (g_strv_length ((char **) names), ==, 2);
  g_assert_cmpstr (names[0], ==, "contacts");
  g_assert_cmpstr (names[1], ==, "sync");

  g_assert_true (yun_manifest_get_permission (manifest, "contacts", &access, &reason));
  g_assert_cmpint (access, ==, YUN_MANIFEST_ACCESS_READ);
  g_assert_cmpstr (reason, ==, "To pick.");
  g_assert_true (yun_manifest_get_permission (manifest, "sync", &access, NULL));
  g_assert_cmpint (access, ==, YUN_MANIFEST_ACCESS_READWRITE);
  g_assert_false (yun_manifest_get_permission (manifest, "camera", &access, &reason));

  g_assert_true (yun_manifest_is_known_permission ("notifications"));
  g_assert_false (yun_manifest_is_known_permission ("Contacts"));
  g_assert_false (yun_manifest_is_known_permission (""));
}

static void
test_icons_outlive_manifest (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunManifest) manifest = NULL;
  g_autoptr(YunManifestIcon) icon = NULL;

  manifest = process ("{\"name\": \"A\", \"icons\": [{\"src\": \"i.png\", "
                      "\"sizes\": \"16x16\", \"type\": \"image/png\", "
                      "\"purpose\": \"monochrome\"}]}", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (yun_manifest_get_icons (manifest)->len, ==, 1);

  icon = yun_manifest_icon_ref (g_ptr_array_index (yun_manifest_get_icons (manifest), 0));
  g_assert_finalize_object (g_steal_pointer (&manifest));
  g_assert_cmpstr (yun_manifest_icon_get_src (icon), ==, "http://127.0.0.1:8080/apps/hello/i.png");
  g_assert_cmpstr (yun_manifest_icon_get_sizes (icon), ==, "16x16");
  g_assert_cmpstr (yun_manifest_icon_get_mime_type (icon), ==, "image/png");
  g_assert_cmpint (yun_manifest_icon_get_purpose (icon), ==, YUN_MANIFEST_ICON_PURPOSE_MONOCHROME);
}

static void
test_css_colors (void)
{
  const char * const valid[] = {
    "#fff", "#FFFF", "#a1b2c3", "#a1b2c3d4", "red", "LightGoldenRodYellow", "transparent",
    "rgb(0,0,0)", "rgba(255, 255, 255, 0.5)", "rgb(0 0 0)", "rgb(0 0 0 / 10%)",
    "rgb(1e2 +5 .5)", "rgb(none 0 0)", "rgba(10%, 20%, 30%, 1)", "hsl(120deg, 50%, 50%)",
    "hsl(2rad 50% 50%)", "hsla(100grad 50% 50% / 0.3)", "hsl(none 50 50)", NULL
  };
  const char * const invalid[] = {
    "", "#", "#ff", "#fffff", "#1234567", "redd", "currentcolor", "inherit", "rgb()",
    "rgb(0,0)", "rgb(0,0,0,0,0)", "rgb(0 0 0 0)", "rgb(0, 0 0)", "rgb(0% 0 0 /)",
    "rgb(none, 0, 0)", "rgb(10deg 0 0)", "rgb (0 0 0)", "rgb(0 0 0", "hsl(10%, 50%, 50%)",
    "hsl(10, 50%, 50)", "hsl(10 50% 50% / 1deg)", "cmyk(0 0 0 0)", "rgb(1e 0 0)",
    "rgb(.e1 0 0)", NULL
  };

  for (int i = 0; valid[i] != NULL; i++) {
    if (!yun_css_color_is_valid (valid[i]))
      g_error ("\"%s\" should be a CSS color", valid[i]);
  }
  for (int i = 0; invalid[i] != NULL; i++) {
    if (yun_css_color_is_valid (invalid[i]))
      g_error ("\"%s\" should not be a CSS color", invalid[i]);
  }
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

  g_test_add_func ("/yun/services/manifest/min-runtime-against-this-version",
                   test_min_runtime_against_this_version);
  g_test_add_func ("/yun/services/manifest/permissions", test_permissions);
  g_test_add_func ("/yun/services/manifest/icons-outlive-manifest", test_icons_outlive_manifest);
  g_test_add_func ("/yun/services/manifest/css-colors", test_css_colors);

  return g_test_run ();
}
