/* test-cloud-store-api.c: the store catalog's API on a real yun-cloud
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real YunCloudServer on 127.0.0.1 with real SQLite files in a temporary
 * folder and the project's own web apps, driven over real HTTP.  The
 * catalog generator is also run on its own to check it is deterministic.
 */

#include "config.h"

#include "yun-catalog-generator.h"
#include "yun-catalog.h"
#include "yun-cloud-api.h"
#include "yun-manifest.h"
#include "yun-package.h"
#include "yun-test-cloud-api.h"
#include "yun-test-files.h"

#include <string.h>

typedef struct {
  YunTestCloud *cloud;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  fixture->cloud = yun_test_cloud_new (NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_clear_pointer (&fixture->cloud, yun_test_cloud_free);
}

static YunTestResponse *
get (Fixture    *fixture,
     const char *path)
{
  return yun_test_cloud_get (fixture->cloud, path);
}

static JsonObject *
app_detail (Fixture    *fixture,
            const char *id)
{
  g_autofree char *path = g_strconcat ("api/store/apps/", id, NULL);
  g_autoptr(YunTestResponse) response = get (fixture, path);

  return json_object_ref (yun_test_response_object (response, SOUP_STATUS_OK));
}

/* The id of the first generated app of the default listing. */
static char *
first_generated_app (Fixture *fixture)
{
  g_autoptr(YunTestResponse) response = get (fixture, "api/store/apps?limit=100");
  JsonArray *items = yun_test_page_items (response);

  for (guint i = 0; i < json_array_get_length (items); i++) {
    JsonObject *app = json_array_get_object_element (items, i);

    if (!json_object_get_boolean_member (app, "builtin"))
      return g_strdup (json_object_get_string_member (app, "id"));
  }
  g_assert_not_reached ();
}

static void
test_categories_count_every_app (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  g_autoptr(YunTestResponse) categories = get (fixture, "api/store/categories?limit=100");
  g_autoptr(YunTestResponse) apps = get (fixture, "api/store/apps?limit=1");
  JsonArray *items = yun_test_page_items (categories);
  gint64 sum = 0;

  g_assert_cmpuint (json_array_get_length (items), >=, 10);
  for (guint i = 0; i < json_array_get_length (items); i++) {
    JsonObject *category = json_array_get_object_element (items, i);

    g_assert_cmpstr (json_object_get_string_member (category, "name"), !=, "");
    sum += json_object_get_int_member (category, "count");
  }
  g_assert_cmpint (sum, ==, json_object_get_int_member (yun_test_response_object (apps, 200),
                                                        "total"));
  /* At least the generated apps and the built-in ones. */
  g_assert_cmpint (sum, >=, YUN_CATALOG_GENERATOR_APPS + 4);
}

static void
test_apps_paged_without_overlap (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  g_autoptr(YunTestResponse) first = get (fixture, "api/store/apps?limit=7");
  g_autoptr(YunTestResponse) second = get (fixture, "api/store/apps?limit=7&offset=7");
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *a = yun_test_page_items (first);
  JsonArray *b = yun_test_page_items (second);

  g_assert_cmpuint (json_array_get_length (a), ==, 7);
  g_assert_cmpuint (json_array_get_length (b), ==, 7);
  g_assert_cmpint (json_object_get_int_member (yun_test_response_object (first, 200),
                                               "next_offset"), ==, 7);
  for (guint i = 0; i < 7; i++) {
    g_hash_table_add (seen, (gpointer) json_object_get_string_member (
                              json_array_get_object_element (a, i), "id"));
    g_hash_table_add (seen, (gpointer) json_object_get_string_member (
                              json_array_get_object_element (b, i), "id"));
  }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 14);
}

static void
test_apps_last_page (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(YunTestResponse) all = get (fixture, "api/store/apps?limit=1&category=games");
  gint64 total = json_object_get_int_member (yun_test_response_object (all, 200), "total");
  g_autofree char *path = g_strdup_printf ("api/store/apps?category=games&limit=5&offset=%"
                                           G_GINT64_FORMAT, total - 2);
  g_autoptr(YunTestResponse) last = get (fixture, path);
  JsonObject *page = yun_test_response_object (last, 200);

  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "items")), ==, 2);
  g_assert_true (json_object_get_null_member (page, "next_offset"));
}

static void
test_apps_bad_paging (Fixture       *fixture,
                      gconstpointer  user_data)
{
  static const char * const queries[] = {
    "limit=0", "limit=101", "limit=-1", "limit=abc", "limit=1e3", "limit=", "limit=%20%31",
    "offset=-1", "offset=10001", "offset=99999999999999999999", "offset=0x10", "sort=random",
    "category=Games!", "q=%ff%fe", "q=a%01b",
  };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++) {
    g_autofree char *path = g_strconcat ("api/store/apps?", queries[i], NULL);
    g_autoptr(YunTestResponse) response = get (fixture, path);

    g_test_message ("%s", queries[i]);
    yun_test_response_assert_error (response, SOUP_STATUS_BAD_REQUEST, "bad_request");
  }
}

static void
test_apps_by_category (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(YunTestResponse) response = get (fixture, "api/store/apps?category=finance&limit=50");
  g_autoptr(YunTestResponse) missing = get (fixture, "api/store/apps?category=no-such-thing");
  JsonArray *items = yun_test_page_items (response);

  g_assert_cmpuint (json_array_get_length (items), >, 0);
  for (guint i = 0; i < json_array_get_length (items); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, i),
                                                    "category"), ==, "finance");
  yun_test_response_assert_error (missing, SOUP_STATUS_NOT_FOUND, "not_found");
}

static void
test_apps_sorted_by_name (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(YunTestResponse) response = get (fixture, "api/store/apps?sort=name&limit=100");
  JsonArray *items = yun_test_page_items (response);

  for (guint i = 1; i < json_array_get_length (items); i++) {
    const char *a = json_object_get_string_member (json_array_get_object_element (items, i - 1),
                                                   "name");
    const char *b = json_object_get_string_member (json_array_get_object_element (items, i),
                                                   "name");

    g_assert_cmpint (g_ascii_strcasecmp (a, b), <=, 0);
  }
}

static void
test_search_finds_by_name (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autofree char *id = first_generated_app (fixture);
  g_autoptr(JsonObject) app = app_detail (fixture, id);
  g_autofree char *escaped = g_uri_escape_string (json_object_get_string_member (app, "name"),
                                                  NULL, FALSE);
  g_autofree char *path = g_strconcat ("api/store/apps?q=", escaped, NULL);
  g_autoptr(YunTestResponse) response = get (fixture, path);
  JsonArray *items = yun_test_page_items (response);
  gboolean found = FALSE;

  /* The name's words are in every result; the app itself is among them. */
  for (guint i = 0; i < json_array_get_length (items); i++)
    found |= g_str_equal (json_object_get_string_member (json_array_get_object_element (items, i),
                                                         "id"), id);
  g_assert_true (found);
}

static void
test_search_by_prefix (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(YunTestResponse) response = get (fixture, "api/store/apps?q=ledg&limit=100");
  JsonArray *items = yun_test_page_items (response);

  g_assert_cmpuint (json_array_get_length (items), >, 0);
  for (guint i = 0; i < json_array_get_length (items); i++) {
    JsonObject *app = json_array_get_object_element (items, i);
    g_autofree char *text = g_ascii_strdown (json_object_get_string_member (app, "name"), -1);
    g_autofree char *summary = g_ascii_strdown (json_object_get_string_member (app, "summary"), -1);

    /* Matched in the name or the summary, or in the description. */
    if (strstr (text, "ledg") == NULL && strstr (summary, "ledg") == NULL)
      g_test_message ("%s matched elsewhere", json_object_get_string_member (app, "id"));
  }
  g_assert_nonnull (strstr (json_object_get_string_member (json_array_get_object_element (items, 0),
                                                           "name"), "Ledger"));
}

static void
test_search_finds_builtin (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(YunTestResponse) response = get (fixture, "api/store/apps?q=group%20buying");
  JsonArray *items = yun_test_page_items (response);
  gboolean found = FALSE;

  for (guint i = 0; i < json_array_get_length (items); i++) {
    JsonObject *app = json_array_get_object_element (items, i);

    if (g_str_equal (json_object_get_string_member (app, "id"), "groupbuy")) {
      found = TRUE;
      g_assert_true (json_object_get_boolean_member (app, "builtin"));
    }
  }
  g_assert_true (found);
}

/* FTS5's own syntax in a query is text, never an error of the engine. */
static void
test_search_syntax_is_text (Fixture       *fixture,
                            gconstpointer  user_data)
{
  static const char * const queries[] = {
    "%22", "NEAR(", "a%20OR%20b*", "*", ")", "name:ledger", "-ledger", "%5E", "AND", "NOT%20NOT",
    "%E4%BA%91", "%F0%9F%98%80", "''", "\\", "%22ledger%22*%22",
  };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++) {
    g_autofree char *path = g_strconcat ("api/store/apps?q=", queries[i], NULL);
    g_autoptr(YunTestResponse) response = get (fixture, path);

    g_test_message ("q=%s", queries[i]);
    yun_test_page_items (response);
  }
}

static void
test_search_too_long (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autofree char *q = g_strnfill (YUN_CLOUD_API_MAX_QUERY + 1, 'a');
  g_autofree char *path = g_strconcat ("api/store/apps?q=", q, NULL);
  g_autoptr(YunTestResponse) response = get (fixture, path);

  yun_test_response_assert_error (response, SOUP_STATUS_BAD_REQUEST, "bad_request");
}

/* An app that asks for permissions lists each with the manifest's reason:
 * the manifest the store serves says the same. */
static void
test_detail_permissions_match_manifest (Fixture       *fixture,
                                        gconstpointer  user_data)
{
  g_autoptr(YunTestResponse) list = get (fixture, "api/store/apps?limit=100&sort=name");
  JsonArray *items = yun_test_page_items (list);
  guint checked = 0;

  for (guint i = 0; i < json_array_get_length (items) && checked < 5; i++) {
    const char *id = json_object_get_string_member (json_array_get_object_element (items, i),
                                                    "id");
    g_autoptr(JsonObject) app = app_detail (fixture, id);
    JsonArray *permissions = json_object_get_array_member (app, "permissions");
    const char *manifest_url = json_object_get_string_member (app, "manifest_url");
    g_autoptr(YunTestResponse) manifest_response = get (fixture, manifest_url + 1);
    g_autofree char *absolute = g_strconcat (fixture->cloud->url, manifest_url + 1, NULL);
    g_autoptr(YunManifest) manifest = NULL;
    g_autoptr(GError) error = NULL;
    gsize size;
    const char *data;

    if (json_array_get_length (permissions) == 0)
      continue;

    g_assert_cmpuint (manifest_response->status, ==, 200);
    data = g_bytes_get_data (manifest_response->body, &size);
    manifest = yun_manifest_new_from_data (data, size, absolute, &error);
    g_assert_no_error (error);

    g_assert_cmpuint (json_array_get_length (permissions), ==,
                      g_strv_length ((char **) yun_manifest_get_permission_names (manifest)));
    for (guint p = 0; p < json_array_get_length (permissions); p++) {
      JsonObject *permission = json_array_get_object_element (permissions, p);
      const char *reason = NULL;
      YunManifestAccess access;

      g_assert_true (yun_manifest_get_permission (manifest,
                                                  json_object_get_string_member (permission, "name"),
                                                  &access, &reason));
      g_assert_cmpstr (json_object_get_string_member (permission, "reason"), ==, reason);
      g_assert_cmpstr (json_object_get_string_member (permission, "access"), ==,
                       access == YUN_MANIFEST_ACCESS_READ ? "read" : "readwrite");
    }
    g_assert_cmpint (json_object_get_int_member (app, "size"), >, 0);
    g_assert_cmpstr (json_object_get_string_member (app, "version"), !=, "");
    checked++;
  }
  g_assert_cmpuint (checked, >, 0);
}

static void
test_detail_not_found (Fixture       *fixture,
                       gconstpointer  user_data)
{
  static const char * const paths[] = {
    "api/store/apps/no-such-app", "api/store/apps/UPPER", "api/store/apps/a%2Fb",
    "api/store/apps/..", "api/store/apps/.hidden", "api/store/nothing", "api/nothing",
    "api/store", "api/store/apps/x/y/z/w/v/u/t/s/r/q", "api/store/apps/hello/screenshots/0.svg",
    "api/store/apps/hello/screenshots/99.svg", "api/store/apps/hello/screenshots/1.png",
    "api/store/apps/hello/site/", "api/store/apps/hello/reviews/theirs",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++) {
    g_autoptr(YunTestResponse) response = get (fixture, paths[i]);

    g_test_message ("%s", paths[i]);
    yun_test_response_assert_error (response, SOUP_STATUS_NOT_FOUND, "not_found");
  }
}

static void
test_path_too_long (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autofree char *id = g_strnfill (600, 'a');
  g_autofree char *path = g_strconcat ("api/store/apps/", id, NULL);
  g_autoptr(YunTestResponse) response = get (fixture, path);

  yun_test_response_assert_error (response, SOUP_STATUS_NOT_FOUND, "not_found");
}

/* Checks @bytes is a well-formed SVG document. */
static void
assert_svg (YunTestResponse *response)
{
  g_autoptr(GMarkupParseContext) context = NULL;
  static const GMarkupParser parser = { 0 };
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (response->body, &size);

  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (response->headers, NULL), ==,
                   "image/svg+xml");
  g_assert_true (g_str_has_prefix (data, "<svg"));
  context = g_markup_parse_context_new (&parser, 0, NULL, NULL);
  g_markup_parse_context_parse (context, data, size, &error);
  g_assert_no_error (error);
  g_markup_parse_context_end_parse (context, &error);
  g_assert_no_error (error);
}

static void
test_detail_pictures_are_svg (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autofree char *id = first_generated_app (fixture);
  g_autoptr(JsonObject) app = app_detail (fixture, id);
  JsonArray *screenshots = json_object_get_array_member (app, "screenshots");
  g_autoptr(YunTestResponse) icon = get (fixture, json_object_get_string_member (app, "icon_url") + 1);

  assert_svg (icon);
  g_assert_cmpuint (json_array_get_length (screenshots), >=, 2);
  for (guint i = 0; i < json_array_get_length (screenshots); i++) {
    g_autoptr(YunTestResponse) shot = get (fixture, json_array_get_string_element (screenshots, i) + 1);

    assert_svg (shot);
  }
}

/* A built-in app's package is the zip of its folder: its hash is the one
 * the catalog lists, and the project's own validator accepts it. */
static void
test_package_matches_sha256 (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(JsonObject) app = app_detail (fixture, "store");
  const char *sha256 = json_object_get_string_member (app, "sha256");
  g_autoptr(YunTestResponse) package = get (fixture, json_object_get_string_member (app,
                                                                                    "package_url") + 1);
  g_autofree char *actual = NULL;
  g_autofree char *manifest_url = g_strconcat (fixture->cloud->url, "apps/store/manifest.json", NULL);
  g_autoptr(YunPackage) parsed = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (json_object_get_boolean_member (app, "builtin"));
  g_assert_cmpuint (package->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (package->headers, NULL), ==,
                   "application/zip");
  actual = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, package->body);
  g_assert_cmpstr (actual, ==, sha256);
  g_assert_cmpstr (soup_message_headers_get_one (package->headers, "X-Yun-Sha256"), ==, sha256);
  g_assert_cmpint (json_object_get_int_member (app, "size"), ==, g_bytes_get_size (package->body));

  parsed = yun_package_new_from_bytes (package->body, manifest_url, sha256, &error);
  g_assert_no_error (error);
  g_assert_true (yun_manifest_get_permission (yun_package_get_manifest (parsed), "apps", NULL,
                                              NULL));
}

static void
test_package_of_generated_app_missing (Fixture       *fixture,
                                       gconstpointer  user_data)
{
  g_autofree char *id = first_generated_app (fixture);
  g_autofree char *path = g_strconcat ("api/store/apps/", id, "/package", NULL);
  g_autoptr(YunTestResponse) response = get (fixture, path);
  g_autoptr(JsonObject) app = app_detail (fixture, id);

  yun_test_response_assert_error (response, SOUP_STATUS_NOT_FOUND, "not_found");
  g_assert_true (json_object_get_null_member (app, "package_url"));
  g_assert_true (json_object_get_null_member (app, "sha256"));
}

/* A generated app is a real hosted app: a valid manifest and a page. */
static void
test_generated_app_is_hosted (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autofree char *id = first_generated_app (fixture);
  g_autoptr(JsonObject) app = app_detail (fixture, id);
  const char *manifest_path = json_object_get_string_member (app, "manifest_url") + 1;
  g_autoptr(YunTestResponse) manifest_response = get (fixture, manifest_path);
  g_autofree char *manifest_url = g_strconcat (fixture->cloud->url, manifest_path, NULL);
  g_autoptr(YunManifest) manifest = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) start = NULL;
  g_autoptr(YunTestResponse) page = NULL;
  gsize size;
  const char *data = g_bytes_get_data (manifest_response->body, &size);

  manifest = yun_manifest_new_from_data (data, size, manifest_url, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (yun_manifest_get_name (manifest), ==, json_object_get_string_member (app, "name"));

  start = g_uri_parse (yun_manifest_get_start_url (manifest), G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  page = get (fixture, g_uri_get_path (start) + 1);
  g_assert_cmpuint (page->status, ==, 200);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (page->body, NULL), g_bytes_get_size (page->body),
                                  "<title>"));
}

static gint64
ratings_count (Fixture    *fixture,
               const char *id)
{
  g_autoptr(JsonObject) app = app_detail (fixture, id);

  return json_object_get_int_member (app, "ratings_count");
}

static guint
reviews_by (Fixture    *fixture,
            const char *id,
            const char *user)
{
  g_autofree char *path = g_strconcat ("api/store/apps/", id, "/reviews?limit=100", NULL);
  g_autoptr(YunTestResponse) response = get (fixture, path);
  JsonArray *items = yun_test_page_items (response);
  guint count = 0;

  for (guint i = 0; i < json_array_get_length (items); i++)
    count += g_str_equal (json_object_get_string_member (json_array_get_object_element (items, i),
                                                         "user"), user);
  return count;
}

static void
test_review_one_per_user_editable (Fixture       *fixture,
                                   gconstpointer  user_data)
{
  g_autofree char *id = first_generated_app (fixture);
  g_autofree char *path = g_strconcat ("api/store/apps/", id, "/reviews/mine", NULL);
  gint64 before = ratings_count (fixture, id);
  g_autoptr(YunTestResponse) created = NULL;
  g_autoptr(YunTestResponse) edited = NULL;
  g_autoptr(YunTestResponse) mine = NULL;
  g_autoptr(YunTestResponse) deleted = NULL;
  g_autoptr(YunTestResponse) gone = NULL;

  created = yun_test_cloud_send_json (fixture->cloud, "PUT", path, "alice",
                                      "{\"rating\": 5, \"text\": \"Great \\u4e91 app\"}");
  g_assert_cmpint (json_object_get_int_member (yun_test_response_object (created, 201), "rating"),
                   ==, 5);
  g_assert_cmpint (ratings_count (fixture, id), ==, before + 1);

  edited = yun_test_cloud_send_json (fixture->cloud, "PUT", path, "alice",
                                     "{\"rating\": 2, \"text\": \"Changed my mind\"}");
  yun_test_response_object (edited, 200);
  g_assert_cmpint (ratings_count (fixture, id), ==, before + 1);
  g_assert_cmpuint (reviews_by (fixture, id, "alice"), ==, 1);

  mine = yun_test_cloud_request (fixture->cloud, "GET", path, "alice", NULL, NULL, 0);
  g_assert_cmpstr (json_object_get_string_member (yun_test_response_object (mine, 200), "text"), ==,
                   "Changed my mind");

  deleted = yun_test_cloud_request (fixture->cloud, "DELETE", path, "alice", NULL, NULL, 0);
  g_assert_true (json_object_get_boolean_member (yun_test_response_object (deleted, 200),
                                                 "deleted"));
  g_assert_cmpint (ratings_count (fixture, id), ==, before);
  g_assert_cmpuint (reviews_by (fixture, id, "alice"), ==, 0);

  gone = yun_test_cloud_request (fixture->cloud, "GET", path, "alice", NULL, NULL, 0);
  yun_test_response_assert_error (gone, SOUP_STATUS_NOT_FOUND, "not_found");
}

static void
test_review_needs_user (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(YunTestResponse) nobody =
    yun_test_cloud_send_json (fixture->cloud, "PUT", "api/store/apps/hello/reviews/mine", NULL,
                              "{\"rating\": 5}");
  g_autoptr(YunTestResponse) hostile =
    yun_test_cloud_send_json (fixture->cloud, "PUT", "api/store/apps/hello/reviews/mine",
                              "Alice; DROP TABLE", "{\"rating\": 5}");
  g_autoptr(YunTestResponse) bad_token =
    yun_test_cloud_request_raw (fixture->cloud,
                                "PUT /api/store/apps/hello/reviews/mine HTTP/1.1\r\n"
                                "Host: 127.0.0.1\r\nAuthorization: Bearer nonsense\r\n"
                                "Content-Type: application/json\r\nContent-Length: 13\r\n"
                                "Connection: close\r\n\r\n{\"rating\": 5}");

  yun_test_response_assert_error (nobody, SOUP_STATUS_UNAUTHORIZED, "unauthorized");
  yun_test_response_assert_error (hostile, SOUP_STATUS_BAD_REQUEST, "bad_request");
  yun_test_response_assert_error (bad_token, SOUP_STATUS_UNAUTHORIZED, "unauthorized");
  g_assert_cmpint (ratings_count (fixture, "hello"), ==, 0);
}

/* A signed-in user of the accounts API is the review's author. */
static void
test_review_by_signed_in_user (Fixture       *fixture,
                               gconstpointer  user_data)
{
  YunCloudAccounts *accounts = yun_cloud_server_get_accounts (fixture->cloud->server);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *request = NULL;
  g_autoptr(YunTestResponse) response = NULL;

  yun_cloud_accounts_register (accounts, "carol", "correct horse battery", &error);
  g_assert_no_error (error);
  token = yun_cloud_accounts_sign_in (accounts, "carol", "correct horse battery", NULL, &error);
  g_assert_no_error (error);

  /* The stand-in header is ignored when there are credentials. */
  request = g_strdup_printf ("PUT /api/store/apps/hello/reviews/mine HTTP/1.1\r\n"
                             "Host: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                             "X-Yun-User: mallory\r\n"
                             "Content-Type: application/json\r\nContent-Length: 13\r\n"
                             "Connection: close\r\n\r\n{\"rating\": 4}", token);
  response = yun_test_cloud_request_raw (fixture->cloud, request);
  g_assert_cmpstr (json_object_get_string_member (yun_test_response_object (response, 201), "user"),
                   ==, "carol");
  g_assert_cmpuint (reviews_by (fixture, "hello", "carol"), ==, 1);
  g_assert_cmpuint (reviews_by (fixture, "hello", "mallory"), ==, 0);
}

static void
test_review_bad_bodies (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autofree char *long_text = g_strnfill (2001, 'x');
  g_autofree char *too_long = g_strdup_printf ("{\"rating\": 3, \"text\": \"%s\"}", long_text);
  g_autofree char *huge = NULL;
  g_autofree char *deep = NULL;
  const char *bodies[] = {
    "", "not json", "[]", "null", "5", "{}", "{\"rating\": 0}", "{\"rating\": 6}",
    "{\"rating\": 3.5}", "{\"rating\": \"5\"}", "{\"rating\": null}", "{\"rating\": 1e308}",
    "{\"rating\": 3, \"text\": 7}", "{\"rating\": 3, \"text\": \"a\\u0000b\"}",
    "{\"rating\": 3, \"text\": \"bell\\u0007\"}", "{\"rating\": 3", too_long, NULL, NULL,
  };
  GString *nested = g_string_new ("{\"rating\": 3, \"x\": ");

  for (int i = 0; i < 64; i++)
    g_string_append_c (nested, '[');
  for (int i = 0; i < 64; i++)
    g_string_append_c (nested, ']');
  g_string_append_c (nested, '}');
  deep = g_string_free (nested, FALSE);
  bodies[G_N_ELEMENTS (bodies) - 2] = deep;

  for (guint i = 0; bodies[i] != NULL; i++) {
    g_autoptr(YunTestResponse) response =
      yun_test_cloud_send_json (fixture->cloud, "PUT", "api/store/apps/hello/reviews/mine",
                                "alice", bodies[i]);

    g_test_message ("body %u", i);
    yun_test_response_assert_error (response, SOUP_STATUS_BAD_REQUEST, "bad_request");
  }

  /* Too large for a JSON body, small enough to be read. */
  huge = g_strnfill (YUN_CLOUD_API_MAX_JSON_BODY + 1, ' ');
  {
    g_autoptr(YunTestResponse) response =
      yun_test_cloud_send_json (fixture->cloud, "PUT", "api/store/apps/hello/reviews/mine",
                                "alice", huge);
    g_autoptr(YunTestResponse) wrong_type =
      yun_test_cloud_request (fixture->cloud, "PUT", "api/store/apps/hello/reviews/mine", "alice",
                              "image/png", "{\"rating\": 5}", -1);

    yun_test_response_assert_error (response, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large");
    yun_test_response_assert_error (wrong_type, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
                                    "unsupported_media_type");
  }

  g_assert_cmpint (ratings_count (fixture, "hello"), ==, 0);
  g_assert_cmpuint (reviews_by (fixture, "hello", "alice"), ==, 0);
}

/* A body larger than any route takes is refused from its headers and
 * dropped as it comes, never kept; one of unknown length is refused. */
static void
test_body_refused_before_reading (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  gsize size = YUN_CLOUD_API_MAX_BODY + 1;
  g_autofree char *body = g_malloc (size);
  g_autoptr(YunTestResponse) huge = NULL;
  g_autoptr(YunTestResponse) chunked = NULL;

  memset (body, ' ', size);
  body[0] = '{';
  huge = yun_test_cloud_request (fixture->cloud, "PUT", "api/store/apps/hello/reviews/mine",
                                 "alice", "application/json", body, size);
  chunked = yun_test_cloud_request_raw (fixture->cloud,
                                        "PUT /api/store/apps/hello/reviews/mine HTTP/1.1\r\n"
                                        "Host: 127.0.0.1\r\nX-Yun-User: alice\r\n"
                                        "Content-Type: application/json\r\n"
                                        "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                                        "d\r\n{\"rating\": 5}\r\n0\r\n\r\n");

  yun_test_response_assert_error (huge, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large");
  yun_test_response_assert_error (chunked, SOUP_STATUS_LENGTH_REQUIRED, NULL);
  g_assert_cmpuint (reviews_by (fixture, "hello", "alice"), ==, 0);
}

static void
test_method_not_allowed (Fixture       *fixture,
                         gconstpointer  user_data)
{
  static const char * const requests[][2] = {
    { "POST", "api/store/apps" }, { "DELETE", "api/store/categories" },
    { "PUT", "api/store/apps/hello" }, { "POST", "api/store/apps/hello/reviews/mine" },
    { "PATCH", "api/store/apps/hello/package" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (requests); i++) {
    g_autoptr(YunTestResponse) response =
      yun_test_cloud_request (fixture->cloud, requests[i][0], requests[i][1], "alice",
                              "application/json", "{}", -1);

    yun_test_response_assert_error (response, SOUP_STATUS_METHOD_NOT_ALLOWED,
                                    "method_not_allowed");
    g_assert_nonnull (soup_message_headers_get_one (response->headers, "Allow"));
  }
}

/* The same seed and size make the same catalog, byte for byte; another
 * seed makes another. */
static void
test_generator_deterministic (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("yun-catalog-XXXXXX", &error);
  g_autofree char *path_a = g_build_filename (dir, "a.db", NULL);
  g_autofree char *path_b = g_build_filename (dir, "b.db", NULL);
  g_autofree char *path_c = g_build_filename (dir, "c.db", NULL);
  g_autoptr(YunCloudDb) a = yun_catalog_open (path_a, 42, 300, &error);
  g_autoptr(YunCloudDb) b = yun_catalog_open (path_b, 42, 300, &error);
  g_autoptr(YunCloudDb) c = yun_catalog_open (path_c, 43, 300, &error);
  g_autofree char *digest_a = NULL;
  g_autofree char *digest_b = NULL;
  g_autofree char *digest_c = NULL;

  g_assert_no_error (error);
  digest_a = yun_catalog_generator_digest (yun_cloud_db_lock (a), &error);
  yun_cloud_db_unlock (a);
  digest_b = yun_catalog_generator_digest (yun_cloud_db_lock (b), &error);
  yun_cloud_db_unlock (b);
  digest_c = yun_catalog_generator_digest (yun_cloud_db_lock (c), &error);
  yun_cloud_db_unlock (c);
  g_assert_no_error (error);

  g_assert_cmpstr (digest_a, ==, digest_b);
  g_assert_cmpstr (digest_a, !=, digest_c);

  g_clear_object (&a);
  g_clear_object (&b);
  g_clear_object (&c);
  yun_test_remove_tree (dir);
}

/* Every generated app has a valid id, a unique one, and a manifest the
 * runtime accepts. */
static void
test_generator_valid_apps (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("yun-catalog-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "catalog.db", NULL);
  g_autoptr(YunCloudDb) db = yun_catalog_open (path, YUN_CATALOG_GENERATOR_SEED,
                                               YUN_CATALOG_GENERATOR_APPS, &error);
  sqlite3 *handle;
  sqlite3_stmt *stmt = NULL;
  guint count = 0;

  g_assert_no_error (error);
  handle = yun_cloud_db_lock (db);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, "SELECT id, manifest FROM apps", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW) {
    const char *id = (const char *) sqlite3_column_text (stmt, 0);
    const char *text = (const char *) sqlite3_column_text (stmt, 1);
    g_autofree char *url = g_strconcat ("http://127.0.0.1/api/store/apps/", id,
                                        "/site/manifest.json", NULL);
    g_autoptr(YunManifest) manifest = yun_manifest_new_from_data (text, strlen (text), url, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_strv_length ((char **) yun_manifest_get_categories (manifest)), ==, 1);
    g_assert_true (yun_cloud_api_is_id (id, 64));
    count++;
  }
  sqlite3_finalize (stmt);
  yun_cloud_db_unlock (db);

  /* The id is the primary key's UNIQUE column: count equals distinct. */
  g_assert_cmpuint (count, ==, YUN_CATALOG_GENERATOR_APPS);

  g_clear_object (&db);
  yun_test_remove_tree (dir);
}

static void
add_test (const char *name,
          void      (*test) (Fixture *, gconstpointer))
{
  g_autofree char *path = g_strconcat ("/yun/cloud/store-api/", name, NULL);

  g_test_add (path, Fixture, NULL, fixture_setup, test, fixture_teardown);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  add_test ("categories/count-every-app", test_categories_count_every_app);
  add_test ("apps/paged-without-overlap", test_apps_paged_without_overlap);
  add_test ("apps/last-page", test_apps_last_page);
  add_test ("apps/bad-paging", test_apps_bad_paging);
  add_test ("apps/by-category", test_apps_by_category);
  add_test ("apps/sorted-by-name", test_apps_sorted_by_name);
  add_test ("search/finds-by-name", test_search_finds_by_name);
  add_test ("search/by-prefix", test_search_by_prefix);
  add_test ("search/finds-builtin", test_search_finds_builtin);
  add_test ("search/syntax-is-text", test_search_syntax_is_text);
  add_test ("search/too-long", test_search_too_long);
  add_test ("detail/permissions-match-manifest", test_detail_permissions_match_manifest);
  add_test ("detail/not-found", test_detail_not_found);
  add_test ("detail/path-too-long", test_path_too_long);
  add_test ("detail/pictures-are-svg", test_detail_pictures_are_svg);
  add_test ("package/matches-sha256", test_package_matches_sha256);
  add_test ("package/generated-app-has-none", test_package_of_generated_app_missing);
  add_test ("site/generated-app-is-hosted", test_generated_app_is_hosted);
  add_test ("reviews/one-per-user-editable", test_review_one_per_user_editable);
  add_test ("reviews/need-user", test_review_needs_user);
  add_test ("reviews/by-signed-in-user", test_review_by_signed_in_user);
  add_test ("reviews/bad-bodies", test_review_bad_bodies);
  add_test ("body/refused-before-reading", test_body_refused_before_reading);
  add_test ("method-not-allowed", test_method_not_allowed);
  g_test_add_func ("/yun/cloud/store-api/generator/deterministic", test_generator_deterministic);
  g_test_add_func ("/yun/cloud/store-api/generator/valid-apps", test_generator_valid_apps);

  return g_test_run ();
}
