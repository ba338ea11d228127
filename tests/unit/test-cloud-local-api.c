/* test-cloud-local-api.c: the local reviews API on a real yun-cloud
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real YunCloudServer on 127.0.0.1 with real SQLite files in a temporary
 * folder, driven over real HTTP.
 */

#include "config.h"

#include "yun-cloud-api.h"
#include "yun-local-api.h"
#include "yun-local-generator.h"
#include "yun-test-cloud-api.h"

#include <math.h>
#include <string.h>

/* Broken Bridge, one of the generated sights, at its position. */
#define BRIDGE_LAT 30.2590
#define BRIDGE_LON 120.1515

/* The smallest PNG: one transparent pixel. */
static const guint8 tiny_png[] = {
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
  0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
  0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
  0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
  0x42, 0x60, 0x82,
};

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

static YunTestResponse *
near_bridge (Fixture    *fixture,
             const char *extra)
{
  g_autofree char *path = g_strdup_printf ("api/local/places?lat=%.4f&lon=%.4f%s", BRIDGE_LAT,
                                           BRIDGE_LON, extra);

  return get (fixture, path);
}

static void
test_places_nearest_first (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(YunTestResponse) response = near_bridge (fixture, "&radius=3000&limit=100");
  JsonArray *items = yun_test_page_items (response);
  JsonObject *page = yun_test_response_object (response, 200);
  gint64 last = 0;

  g_assert_cmpuint (json_array_get_length (items), >, 10);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "name"),
                   ==, "Broken Bridge");
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (page, "origin"),
                                                  "default"));

  for (guint i = 0; i < json_array_get_length (items); i++) {
    JsonObject *place = json_array_get_object_element (items, i);
    gint64 distance = json_object_get_int_member (place, "distance_m");
    double expected = yun_local_api_distance (BRIDGE_LAT, BRIDGE_LON,
                                              json_object_get_double_member (place, "lat"),
                                              json_object_get_double_member (place, "lon"));

    g_assert_cmpint (distance, >=, last);
    g_assert_cmpint (distance, <=, 3000);
    g_assert_cmpfloat (fabs (distance - expected), <=, 1.0);
    g_assert_true (json_object_has_member (place, "category"));
    g_assert_true (json_object_has_member (place, "rating"));
    last = distance;
  }
}

/* The distance function against a known one: Broken Bridge to Leifeng
 * Pagoda is about 3.2 km. */
static void
test_distance_known (void)
{
  double d = yun_local_api_distance (30.2590, 120.1515, 30.2310, 120.1485);

  g_assert_cmpfloat (d, >, 3000);
  g_assert_cmpfloat (d, <, 3300);
  g_assert_cmpfloat (yun_local_api_distance (1, 2, 1, 2), ==, 0);
}

static void
test_places_default_origin (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(YunTestResponse) response = get (fixture, "api/local/places");
  JsonObject *origin = json_object_get_object_member (yun_test_response_object (response, 200),
                                                      "origin");

  g_assert_true (json_object_get_boolean_member (origin, "default"));
  g_assert_cmpfloat (json_object_get_double_member (origin, "lat"), ==, YUN_LOCAL_DEFAULT_LAT);
  g_assert_cmpuint (json_array_get_length (yun_test_page_items (response)), ==,
                    YUN_CLOUD_API_DEFAULT_LIMIT);
}

static void
test_places_far_away_empty (Fixture       *fixture,
                            gconstpointer  user_data)
{
  /* Antarctica, and the pole itself, where every longitude is near. */
  g_autoptr(YunTestResponse) south = get (fixture, "api/local/places?lat=-75&lon=0");
  g_autoptr(YunTestResponse) pole = get (fixture, "api/local/places?lat=90&lon=180&radius=50000");

  g_assert_cmpuint (json_array_get_length (yun_test_page_items (south)), ==, 0);
  g_assert_cmpuint (json_array_get_length (yun_test_page_items (pole)), ==, 0);
}

static void
test_places_bad_inputs (Fixture       *fixture,
                        gconstpointer  user_data)
{
  static const char * const queries[] = {
    "lat=91&lon=0", "lat=0&lon=181", "lat=abc&lon=0", "lat=30", "lon=120", "lat=NaN&lon=0",
    "lat=inf&lon=0", "lat=1e400&lon=0", "lat=0x1e&lon=0", "lat=&lon=", "radius=0",
    "radius=50001", "radius=-5", "category=Bad!", "sort=price", "limit=101", "offset=-1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++) {
    g_autofree char *path = g_strconcat ("api/local/places?", queries[i], NULL);
    g_autoptr(YunTestResponse) response = get (fixture, path);

    g_test_message ("%s", queries[i]);
    yun_test_response_assert_error (response, SOUP_STATUS_BAD_REQUEST, "bad_request");
  }
}

static void
test_places_by_category_and_rating (Fixture       *fixture,
                                    gconstpointer  user_data)
{
  g_autoptr(YunTestResponse) response = near_bridge (fixture, "&category=teahouses&sort=rating"
                                                              "&radius=20000&limit=100");
  JsonArray *items = yun_test_page_items (response);
  double last = 6;

  g_assert_cmpuint (json_array_get_length (items), >, 0);
  for (guint i = 0; i < json_array_get_length (items); i++) {
    JsonObject *place = json_array_get_object_element (items, i);
    double rating = json_object_get_double_member (place, "rating");

    g_assert_cmpstr (json_object_get_string_member (place, "category"), ==, "teahouses");
    g_assert_cmpfloat (rating, <=, last + 0.05);
    last = rating;
  }
}

static void
test_places_paging (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(YunTestResponse) first = near_bridge (fixture, "&limit=5");
  gint64 total = json_object_get_int_member (yun_test_response_object (first, 200), "total");
  g_autofree char *beyond = g_strdup_printf ("&limit=5&offset=%" G_GINT64_FORMAT, total);
  g_autoptr(YunTestResponse) last = near_bridge (fixture, beyond);

  g_assert_cmpint (json_object_get_int_member (yun_test_response_object (first, 200),
                                               "next_offset"), ==, 5);
  g_assert_cmpuint (json_array_get_length (yun_test_page_items (last)), ==, 0);
  g_assert_true (json_object_get_null_member (yun_test_response_object (last, 200), "next_offset"));
}

static void
test_place_detail_photos (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(YunTestResponse) response = get (fixture, "api/local/places/hz-0001");
  JsonObject *place = yun_test_response_object (response, 200);
  JsonArray *photos = json_object_get_array_member (place, "photos");

  g_assert_cmpstr (json_object_get_string_member (place, "name"), ==, "Broken Bridge");
  g_assert_cmpuint (json_array_get_length (photos), >=, 1);
  for (guint i = 0; i < json_array_get_length (photos); i++) {
    g_autoptr(YunTestResponse) photo = get (fixture, json_array_get_string_element (photos, i) + 1);

    g_assert_cmpuint (photo->status, ==, 200);
    g_assert_cmpstr (soup_message_headers_get_content_type (photo->headers, NULL), ==,
                     "image/svg+xml");
  }
}

static void
test_not_found (Fixture       *fixture,
                gconstpointer  user_data)
{
  static const char * const paths[] = {
    "api/local/places/hz-9999", "api/local/places/HZ-0001", "api/local/places/hz-0001/photos/0.svg",
    "api/local/places/hz-0001/photos/100.svg", "api/local/places/hz-0001/photos/x",
    "api/local/photos/abc", "api/local/photos/0000000000000000000000000000000000000000000000000000000000000000",
    "api/local/nothing", "api/local/places/hz-9999/reviews",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++) {
    g_autoptr(YunTestResponse) response = get (fixture, paths[i]);

    g_test_message ("%s", paths[i]);
    yun_test_response_assert_error (response, SOUP_STATUS_NOT_FOUND, "not_found");
  }
}

static char *
upload_photo (Fixture    *fixture,
              const char *user)
{
  g_autoptr(YunTestResponse) response =
    yun_test_cloud_request (fixture->cloud, "POST", "api/local/photos", user, "image/png",
                            tiny_png, sizeof tiny_png);
  JsonObject *object = yun_test_response_object (response, 201);
  g_autofree char *expected = g_compute_checksum_for_data (G_CHECKSUM_SHA256, tiny_png,
                                                           sizeof tiny_png);

  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, expected);
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "image/png");
  return g_strdup (expected);
}

static guint
reviews_by (Fixture    *fixture,
            const char *place,
            const char *user)
{
  g_autofree char *path = g_strconcat ("api/local/places/", place, "/reviews?limit=100", NULL);
  g_autoptr(YunTestResponse) response = get (fixture, path);
  JsonArray *items = yun_test_page_items (response);
  guint count = 0;

  for (guint i = 0; i < json_array_get_length (items); i++)
    count += g_str_equal (json_object_get_string_member (json_array_get_object_element (items, i),
                                                         "user"), user);
  return count;
}

static gint64
ratings_count (Fixture    *fixture,
               const char *place)
{
  g_autofree char *path = g_strconcat ("api/local/places/", place, NULL);
  g_autoptr(YunTestResponse) response = get (fixture, path);

  return json_object_get_int_member (yun_test_response_object (response, 200), "ratings_count");
}

/* A review with a photo: the photo is stored, shown on the place, and the
 * review is one per user, edited in place. */
static void
test_review_with_photo (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autofree char *photo = upload_photo (fixture, "alice");
  g_autofree char *body = g_strdup_printf ("{\"rating\": 4, \"text\": \"Misty morning\","
                                           " \"photo\": \"%s\"}", photo);
  g_autofree char *photo_path = g_strconcat ("api/local/photos/", photo, NULL);
  gint64 before = ratings_count (fixture, "hz-0002");
  g_autoptr(YunTestResponse) created = yun_test_cloud_send_json (fixture->cloud, "PUT",
                                                                 "api/local/places/hz-0002/reviews/mine",
                                                                 "alice", body);
  g_autoptr(YunTestResponse) edited = NULL;
  g_autoptr(YunTestResponse) place = NULL;
  g_autoptr(YunTestResponse) image = get (fixture, photo_path);
  JsonArray *photos;
  gboolean shown = FALSE;

  g_assert_cmpstr (json_object_get_string_member (yun_test_response_object (created, 201), "photo"),
                   ==, photo);
  g_assert_cmpint (ratings_count (fixture, "hz-0002"), ==, before + 1);

  g_assert_cmpuint (image->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (image->headers, NULL), ==, "image/png");
  g_assert_cmpmem (g_bytes_get_data (image->body, NULL), g_bytes_get_size (image->body), tiny_png,
                   sizeof tiny_png);

  edited = yun_test_cloud_send_json (fixture->cloud, "PUT", "api/local/places/hz-0002/reviews/mine",
                                     "alice", "{\"rating\": 5, \"text\": \"Even better at dusk\"}");
  g_assert_true (json_object_get_null_member (yun_test_response_object (edited, 200), "photo"));
  g_assert_cmpint (ratings_count (fixture, "hz-0002"), ==, before + 1);
  g_assert_cmpuint (reviews_by (fixture, "hz-0002", "alice"), ==, 1);

  /* Back with the photo, which the place then shows. */
  g_clear_pointer (&edited, yun_test_response_free);
  edited = yun_test_cloud_send_json (fixture->cloud, "PUT", "api/local/places/hz-0002/reviews/mine",
                                     "alice", body);
  yun_test_response_object (edited, 200);
  place = get (fixture, "api/local/places/hz-0002");
  photos = json_object_get_array_member (yun_test_response_object (place, 200), "photos");
  for (guint i = 0; i < json_array_get_length (photos); i++)
    shown |= g_str_has_suffix (json_array_get_string_element (photos, i), photo);
  g_assert_true (shown);
}

static void
test_review_photo_must_be_yours (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  g_autofree char *photo = upload_photo (fixture, "alice");
  g_autofree char *body = g_strdup_printf ("{\"rating\": 4, \"photo\": \"%s\"}", photo);
  g_autoptr(YunTestResponse) theirs = yun_test_cloud_send_json (fixture->cloud, "PUT",
                                                                "api/local/places/hz-0003/reviews/mine",
                                                                "bob", body);
  g_autoptr(YunTestResponse) made_up =
    yun_test_cloud_send_json (fixture->cloud, "PUT", "api/local/places/hz-0003/reviews/mine",
                              "bob", "{\"rating\": 4, \"photo\": \"../../etc/passwd\"}");

  yun_test_response_assert_error (theirs, SOUP_STATUS_BAD_REQUEST, "bad_request");
  yun_test_response_assert_error (made_up, SOUP_STATUS_BAD_REQUEST, "bad_request");
  g_assert_cmpuint (reviews_by (fixture, "hz-0003", "bob"), ==, 0);
}

static void
test_photo_bad_uploads (Fixture       *fixture,
                        gconstpointer  user_data)
{
  gsize big = YUN_LOCAL_API_MAX_PHOTO + 1;
  g_autofree guint8 *large = g_malloc0 (big);
  g_autoptr(YunTestResponse) text = yun_test_cloud_request (fixture->cloud, "POST", "api/local/photos",
                                                            "alice", "image/png", "<svg/>", -1);
  g_autoptr(YunTestResponse) empty = yun_test_cloud_request (fixture->cloud, "POST",
                                                             "api/local/photos", "alice",
                                                             "image/png", "", 0);
  g_autoptr(YunTestResponse) nobody = yun_test_cloud_request (fixture->cloud, "POST",
                                                              "api/local/photos", NULL,
                                                              "image/png", tiny_png,
                                                              sizeof tiny_png);
  g_autoptr(YunTestResponse) too_large = NULL;

  memcpy (large, tiny_png, sizeof tiny_png);
  too_large = yun_test_cloud_request (fixture->cloud, "POST", "api/local/photos", "alice",
                                      "image/png", large, big);

  yun_test_response_assert_error (text, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, NULL);
  yun_test_response_assert_error (empty, SOUP_STATUS_BAD_REQUEST, "bad_request");
  yun_test_response_assert_error (nobody, SOUP_STATUS_UNAUTHORIZED, "unauthorized");
  yun_test_response_assert_error (too_large, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large");
  g_assert_cmpuint (yun_test_cloud_count (fixture->cloud, "local.db",
                                          "SELECT count (*) FROM photos"), ==, 0);
}

static void
test_review_bad_bodies (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autofree char *long_text = g_strnfill (YUN_LOCAL_API_MAX_REVIEW + 1, 'x');
  g_autofree char *too_long = g_strdup_printf ("{\"rating\": 3, \"text\": \"%s\"}", long_text);
  const char *bodies[] = {
    "", "{", "[1]", "{\"rating\": 0}", "{\"rating\": 2.5}", "{\"rating\": true}",
    "{\"rating\": 3, \"photo\": 12}", "{\"rating\": 3, \"text\": [\"a\"]}",
    "{\"text\": \"no rating\"}", too_long,
  };
  gint64 before = ratings_count (fixture, "hz-0004");

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++) {
    g_autoptr(YunTestResponse) response =
      yun_test_cloud_send_json (fixture->cloud, "PUT", "api/local/places/hz-0004/reviews/mine",
                                "alice", bodies[i]);

    g_test_message ("body %u", i);
    yun_test_response_assert_error (response, SOUP_STATUS_BAD_REQUEST, "bad_request");
  }
  g_assert_cmpint (ratings_count (fixture, "hz-0004"), ==, before);
  g_assert_cmpuint (reviews_by (fixture, "hz-0004", "alice"), ==, 0);
}

static void
test_review_delete_idempotent (Fixture       *fixture,
                               gconstpointer  user_data)
{
  gint64 before = ratings_count (fixture, "hz-0005");
  g_autoptr(YunTestResponse) created =
    yun_test_cloud_send_json (fixture->cloud, "PUT", "api/local/places/hz-0005/reviews/mine",
                              "alice", "{\"rating\": 1}");
  g_autoptr(YunTestResponse) first = yun_test_cloud_request (fixture->cloud, "DELETE",
                                                             "api/local/places/hz-0005/reviews/mine",
                                                             "alice", NULL, NULL, 0);
  g_autoptr(YunTestResponse) second = yun_test_cloud_request (fixture->cloud, "DELETE",
                                                              "api/local/places/hz-0005/reviews/mine",
                                                              "alice", NULL, NULL, 0);

  yun_test_response_object (created, 201);
  g_assert_true (json_object_get_boolean_member (yun_test_response_object (first, 200), "deleted"));
  g_assert_false (json_object_get_boolean_member (yun_test_response_object (second, 200), "deleted"));
  g_assert_cmpint (ratings_count (fixture, "hz-0005"), ==, before);
}

static void
add_test (const char *name,
          void      (*test) (Fixture *, gconstpointer))
{
  g_autofree char *path = g_strconcat ("/yun/cloud/local-api/", name, NULL);

  g_test_add (path, Fixture, NULL, fixture_setup, test, fixture_teardown);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  add_test ("places/nearest-first", test_places_nearest_first);
  add_test ("places/default-origin", test_places_default_origin);
  add_test ("places/far-away-empty", test_places_far_away_empty);
  add_test ("places/bad-inputs", test_places_bad_inputs);
  add_test ("places/by-category-and-rating", test_places_by_category_and_rating);
  add_test ("places/paging", test_places_paging);
  add_test ("place/detail-photos", test_place_detail_photos);
  add_test ("not-found", test_not_found);
  add_test ("reviews/with-photo", test_review_with_photo);
  add_test ("reviews/photo-must-be-yours", test_review_photo_must_be_yours);
  add_test ("reviews/bad-bodies", test_review_bad_bodies);
  add_test ("reviews/delete-idempotent", test_review_delete_idempotent);
  add_test ("photos/bad-uploads", test_photo_bad_uploads);
  g_test_add_func ("/yun/cloud/local-api/distance/known", test_distance_known);

  return g_test_run ();
}
