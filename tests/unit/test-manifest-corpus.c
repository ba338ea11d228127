/* test-manifest-corpus.c: every manifest in tests/data/manifests/ against
 * the table in expected.json.
 *
 * The table maps a file name to what processing it must give:
 *   {"valid": true, <member>: <value>, ...}  the manifest is valid, and each
 *       listed member has that value (null: the getter returns NULL).
 *       Members: name, short_name, start_url, scope, display, id,
 *       theme_color, background_color, description, min_runtime,
 *       categories (array), icons (array of {src, sizes, type, purpose},
 *       purpose as space-separated names), permissions (object of
 *       name → {access, reason}, compared whole).
 *   {"error": "<prefix>"}  processing fails with YUN_MANIFEST_ERROR_INVALID
 *       and a message that starts with the prefix.
 * Either may give "manifest_url" (default
 * https://apps.example/hello/manifest.json).  A key the test does not know
 * fails, so that a typo cannot turn a check off; and so does a file in the
 * folder that the table does not list, or an entry without its file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "yun-manifest.h"

#define DEFAULT_MANIFEST_URL "https://apps.example/hello/manifest.json"

static const char * const string_getters[] = {
  "name", "short_name", "start_url", "scope", "display", "id", "theme_color",
  "background_color", "description", "min_runtime", NULL
};

static JsonObject *table;

static char *
corpus_dir (void)
{
  return g_test_build_filename (G_TEST_DIST, "data", "manifests", NULL);
}

static const char *
get_string_member (YunManifest *manifest,
                   const char  *member)
{
  if (g_str_equal (member, "name"))
    return yun_manifest_get_name (manifest);
  if (g_str_equal (member, "short_name"))
    return yun_manifest_get_short_name (manifest);
  if (g_str_equal (member, "start_url"))
    return yun_manifest_get_start_url (manifest);
  if (g_str_equal (member, "scope"))
    return yun_manifest_get_scope (manifest);
  if (g_str_equal (member, "display"))
    return yun_manifest_get_display (manifest);
  if (g_str_equal (member, "id"))
    return yun_manifest_get_id (manifest);
  if (g_str_equal (member, "theme_color"))
    return yun_manifest_get_theme_color (manifest);
  if (g_str_equal (member, "background_color"))
    return yun_manifest_get_background_color (manifest);
  if (g_str_equal (member, "description"))
    return yun_manifest_get_description (manifest);
  if (g_str_equal (member, "min_runtime"))
    return yun_manifest_get_min_runtime (manifest);
  g_assert_not_reached ();
}

static const char *
nullable_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_NULL (node) ? NULL : json_node_get_string (node);
}

static char *
purpose_text (YunManifestIconPurpose purpose)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;

  if (purpose & YUN_MANIFEST_ICON_PURPOSE_ANY)
    g_strv_builder_add (names, "any");
  if (purpose & YUN_MANIFEST_ICON_PURPOSE_MASKABLE)
    g_strv_builder_add (names, "maskable");
  if (purpose & YUN_MANIFEST_ICON_PURPOSE_MONOCHROME)
    g_strv_builder_add (names, "monochrome");
  strv = g_strv_builder_end (names);
  return g_strjoinv (" ", strv);
}

static void
check_icons (YunManifest *manifest,
             JsonArray   *expected)
{
  GPtrArray *icons = yun_manifest_get_icons (manifest);

  g_assert_cmpuint (icons->len, ==, json_array_get_length (expected));
  for (guint i = 0; i < icons->len; i++) {
    YunManifestIcon *icon = g_ptr_array_index (icons, i);
    JsonObject *want = json_array_get_object_element (expected, i);
    g_autofree char *purpose = purpose_text (yun_manifest_icon_get_purpose (icon));

    g_assert_cmpstr (yun_manifest_icon_get_src (icon), ==,
                     json_object_get_string_member (want, "src"));
    if (json_object_has_member (want, "sizes"))
      g_assert_cmpstr (yun_manifest_icon_get_sizes (icon), ==,
                       nullable_string (json_object_get_member (want, "sizes")));
    if (json_object_has_member (want, "type"))
      g_assert_cmpstr (yun_manifest_icon_get_mime_type (icon), ==,
                       nullable_string (json_object_get_member (want, "type")));
    if (json_object_has_member (want, "purpose"))
      g_assert_cmpstr (purpose, ==, json_object_get_string_member (want, "purpose"));
  }
}

static void
check_categories (YunManifest *manifest,
                  JsonArray   *expected)
{
  const char * const *categories = yun_manifest_get_categories (manifest);

  g_assert_cmpuint (g_strv_length ((char **) categories), ==, json_array_get_length (expected));
  for (guint i = 0; categories[i] != NULL; i++)
    g_assert_cmpstr (categories[i], ==, json_array_get_string_element (expected, i));
}

static void
check_permissions (YunManifest *manifest,
                   JsonObject  *expected)
{
  const char * const *names = yun_manifest_get_permission_names (manifest);

  g_assert_cmpuint (g_strv_length ((char **) names), ==, json_object_get_size (expected));
  for (guint i = 0; names[i] != NULL; i++) {
    JsonObject *want;
    YunManifestAccess access;
    const char *reason;

    g_assert_true (json_object_has_member (expected, names[i]));
    want = json_object_get_object_member (expected, names[i]);
    g_assert_true (yun_manifest_get_permission (manifest, names[i], &access, &reason));
    g_assert_cmpstr (access == YUN_MANIFEST_ACCESS_READ ? "read" : "readwrite", ==,
                     json_object_get_string_member (want, "access"));
    g_assert_cmpstr (reason, ==, json_object_get_string_member (want, "reason"));
  }

  /* Names not declared are not found. */
  g_assert_false (yun_manifest_get_permission (manifest, "not-declared", NULL, NULL));
}

static void
test_file (gconstpointer data)
{
  const char *file = data;
  JsonObject *expected = json_object_get_object_member (table, file);
  const char *manifest_url = json_object_get_string_member_with_default (expected,
                                                                         "manifest_url",
                                                                         DEFAULT_MANIFEST_URL);
  g_autofree char *dir = corpus_dir ();
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(YunManifest) manifest = NULL;
  gsize length;
  g_autoptr(GList) members = json_object_get_members (expected);

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  manifest = yun_manifest_new_from_data (contents, length, manifest_url, &error);

  if (json_object_has_member (expected, "error")) {
    const char *prefix = json_object_get_string_member (expected, "error");

    g_assert_null (manifest);
    g_assert_error (error, YUN_MANIFEST_ERROR, YUN_MANIFEST_ERROR_INVALID);
    if (!g_str_has_prefix (error->message, prefix))
      g_error ("%s: message \"%s\" does not start with \"%s\"", file, error->message, prefix);
    g_assert_cmpuint (json_object_get_size (expected), ==,
                      1 + json_object_has_member (expected, "manifest_url"));
    return;
  }

  if (error != NULL)
    g_error ("%s: expected valid, got \"%s\"", file, error->message);
  g_assert_true (json_object_get_boolean_member (expected, "valid"));

  for (GList *l = members; l != NULL; l = l->next) {
    const char *member = l->data;
    JsonNode *want = json_object_get_member (expected, member);

    if (g_str_equal (member, "valid") || g_str_equal (member, "manifest_url"))
      continue;
    if (g_strv_contains (string_getters, member))
      g_assert_cmpstr (get_string_member (manifest, member), ==, nullable_string (want));
    else if (g_str_equal (member, "icons"))
      check_icons (manifest, json_node_get_array (want));
    else if (g_str_equal (member, "categories"))
      check_categories (manifest, json_node_get_array (want));
    else if (g_str_equal (member, "permissions"))
      check_permissions (manifest, json_node_get_object (want));
    else
      g_error ("%s: expected.json names an unknown member \"%s\"", file, member);
  }
}

/* Every file in the folder has an entry, and every entry a file. */
static void
test_every_file_is_listed (void)
{
  g_autofree char *dir_path = corpus_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, &error);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GList) entries = json_object_get_members (table);
  const char *name;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL) {
    if (g_str_equal (name, "expected.json"))
      continue;
    if (!json_object_has_member (table, name))
      g_error ("%s is in %s but not in expected.json", name, dir_path);
    g_hash_table_add (seen, g_strdup (name));
  }

  for (GList *l = entries; l != NULL; l = l->next) {
    if (!g_hash_table_contains (seen, l->data))
      g_error ("expected.json lists %s, which is not in %s", (char *) l->data, dir_path);
  }

  /* The corpus is meant to be broad. */
  g_assert_cmpuint (g_hash_table_size (seen), >=, 40);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *table_path = NULL;
  g_autoptr(GList) files = NULL;

  g_test_init (&argc, &argv, NULL);

  dir = corpus_dir ();
  table_path = g_build_filename (dir, "expected.json", NULL);
  json_parser_load_from_file (parser, table_path, &error);
  g_assert_no_error (error);
  table = json_node_get_object (json_parser_get_root (parser));

  g_test_add_func ("/yun/services/manifest-corpus/every-file-is-listed",
                   test_every_file_is_listed);

  files = json_object_get_members (table);
  for (GList *l = files; l != NULL; l = l->next) {
    g_autofree char *test_path = g_strdup_printf ("/yun/services/manifest-corpus/%s",
                                                  (char *) l->data);

    g_test_add_data_func (test_path, l->data, test_file);
  }

  return g_test_run ();
}
