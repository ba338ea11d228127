/* test-cloud-prices-api.c: the price comparison API on a real yun-cloud
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real YunCloudServer on 127.0.0.1 with real SQLite files in a temporary
 * folder, driven over real HTTP.
 */

#include "config.h"

#include "yun-prices-api.h"
#include "yun-test-cloud-api.h"

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

/* The first phone of a search, as a product object the caller owns. */
static JsonObject *
first_phone (Fixture *fixture)
{
  g_autoptr(YunTestResponse) response = get (fixture, "api/prices/products?q=phone&limit=5");
  JsonArray *items = yun_test_page_items (response);

  g_assert_cmpuint (json_array_get_length (items), >, 0);
  return json_object_ref (json_array_get_object_element (items, 0));
}

static void
test_search_finds_category (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(YunTestResponse) response = get (fixture, "api/prices/products?q=phones&limit=100");
  JsonArray *items = yun_test_page_items (response);

  g_assert_cmpuint (json_array_get_length (items), >, 5);
  for (guint i = 0; i < json_array_get_length (items); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, i),
                                                    "category"), ==, "phones");
}

/* Offers come cheapest total first, the total is price plus shipping,
 * and the product's best total is the first offer in stock. */
static void
test_offers_sorted_by_total (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(JsonObject) product = first_phone (fixture);
  const char *id = json_object_get_string_member (product, "id");
  g_autofree char *path = g_strconcat ("api/prices/products/", id, "/offers?limit=100", NULL);
  g_autoptr(YunTestResponse) response = get (fixture, path);
  JsonArray *items = yun_test_page_items (response);
  gint64 last = 0;
  gboolean in_stock_part = TRUE;

  g_assert_cmpuint (json_array_get_length (items), ==,
                    json_object_get_int_member (product, "offer_count"));
  for (guint i = 0; i < json_array_get_length (items); i++) {
    JsonObject *offer = json_array_get_object_element (items, i);
    gint64 total = json_object_get_int_member (offer, "total_fen");
    gboolean in_stock = json_object_get_boolean_member (offer, "in_stock");

    g_assert_cmpint (total, ==, json_object_get_int_member (offer, "price_fen") +
                                json_object_get_int_member (offer, "shipping_fen"));
    if (i == 0)
      g_assert_cmpint (total, ==, json_object_get_int_member (product, "best_total_fen"));
    /* In-stock offers first, each part by total. */
    if (!in_stock && in_stock_part) {
      in_stock_part = FALSE;
      last = 0;
    }
    g_assert_true (in_stock || !in_stock_part);
    g_assert_cmpint (total, >=, last);
    last = total;
  }
}

static void
test_history_days (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(JsonObject) product = first_phone (fixture);
  const char *id = json_object_get_string_member (product, "id");
  g_autofree char *path = g_strconcat ("api/prices/products/", id, "/history?days=30", NULL);
  g_autoptr(YunTestResponse) response = get (fixture, path);
  JsonObject *history = yun_test_response_object (response, 200);
  JsonArray *items = json_object_get_array_member (history, "items");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  GDate previous;

  g_assert_cmpuint (json_array_get_length (items), ==, 30);
  g_date_clear (&previous, 1);
  for (guint i = 0; i < 30; i++) {
    JsonObject *point = json_array_get_object_element (items, i);
    GDate date;

    g_date_clear (&date, 1);
    g_date_set_parse (&date, json_object_get_string_member (point, "date"));
    g_assert_true (g_date_valid (&date));
    if (i > 0)
      g_assert_cmpint (g_date_days_between (&previous, &date), ==, 1);
    previous = date;
    g_assert_cmpint (json_object_get_int_member (point, "best_fen"), >=,
                     json_object_get_int_member (history, "lowest_fen"));
  }
  /* The last day is the generation day, which is today in this test. */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 29), "date"),
                   ==, today);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items, 29), "best_fen"),
                   ==, json_object_get_int_member (product, "best_total_fen"));
}

static void
test_bad_inputs (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(JsonObject) product = first_phone (fixture);
  const char *id = json_object_get_string_member (product, "id");
  static const char * const queries[] = {
    "products?limit=0", "products?category=Phones!", "products?q=%ff",
    "products/ID/history?days=0", "products/ID/history?days=366", "products/ID/history?days=ten",
    "products/ID/offers?in_stock=2", "products/ID/offers?offset=10001",
  };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++) {
    g_auto(GStrv) parts = g_strsplit (queries[i], "ID", 2);
    g_autofree char *query = g_strjoinv (id, parts);
    g_autofree char *path = g_strconcat ("api/prices/", query, NULL);
    g_autoptr(YunTestResponse) response = get (fixture, path);

    g_test_message ("%s", path);
    yun_test_response_assert_error (response, SOUP_STATUS_BAD_REQUEST, "bad_request");
  }
}

static void
test_not_found (Fixture       *fixture,
                gconstpointer  user_data)
{
  static const char * const paths[] = {
    "api/prices/products/no-such-product", "api/prices/products/no-such-product/offers",
    "api/prices/products/no-such-product/history", "api/prices/products/x/image.png",
    "api/prices/merchants",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++) {
    g_autoptr(YunTestResponse) response = get (fixture, paths[i]);

    yun_test_response_assert_error (response, SOUP_STATUS_NOT_FOUND, "not_found");
  }
}

static JsonArray *
alerts_of (Fixture         *fixture,
           const char      *user,
           YunTestResponse **keep)
{
  *keep = yun_test_cloud_request (fixture->cloud, "GET", "api/prices/alerts?limit=100", user,
                                  NULL, NULL, 0);
  return yun_test_page_items (*keep);
}

/* Alerts are the user's own; one fires when the best total is below it. */
static void
test_alerts_per_user (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(JsonObject) product = first_phone (fixture);
  const char *id = json_object_get_string_member (product, "id");
  gint64 best = json_object_get_int_member (product, "best_total_fen");
  g_autofree char *path = g_strconcat ("api/prices/alerts/", id, NULL);
  g_autofree char *above = g_strdup_printf ("{\"below_fen\": %" G_GINT64_FORMAT "}", best + 1);
  g_autofree char *at = g_strdup_printf ("{\"below_fen\": %" G_GINT64_FORMAT "}", best);
  g_autoptr(YunTestResponse) created = yun_test_cloud_send_json (fixture->cloud, "PUT", path,
                                                                 "alice", above);
  g_autoptr(YunTestResponse) changed = NULL;
  g_autoptr(YunTestResponse) removed = NULL;
  g_autoptr(YunTestResponse) alice_list = NULL;
  g_autoptr(YunTestResponse) bob_list = NULL;
  g_autoptr(YunTestResponse) after = NULL;
  JsonArray *alice_alerts;

  g_assert_true (json_object_get_boolean_member (yun_test_response_object (created, 201),
                                                 "triggered"));
  changed = yun_test_cloud_send_json (fixture->cloud, "PUT", path, "alice", at);
  /* Not below when equal. */
  g_assert_false (json_object_get_boolean_member (yun_test_response_object (changed, 200),
                                                  "triggered"));

  alice_alerts = alerts_of (fixture, "alice", &alice_list);
  g_assert_cmpuint (json_array_get_length (alice_alerts), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (alice_alerts, 0),
                                               "below_fen"), ==, best);
  g_assert_cmpuint (json_array_get_length (alerts_of (fixture, "bob", &bob_list)), ==, 0);

  removed = yun_test_cloud_request (fixture->cloud, "DELETE", path, "alice", NULL, NULL, 0);
  g_assert_true (json_object_get_boolean_member (yun_test_response_object (removed, 200),
                                                 "deleted"));
  g_assert_cmpuint (json_array_get_length (alerts_of (fixture, "alice", &after)), ==, 0);
}

static void
test_alerts_bad (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(JsonObject) product = first_phone (fixture);
  g_autofree char *path = g_strconcat ("api/prices/alerts/",
                                       json_object_get_string_member (product, "id"), NULL);
  static const char * const bodies[] = {
    "{}", "{\"below_fen\": 0}", "{\"below_fen\": -5}", "{\"below_fen\": 1.5}",
    "{\"below_fen\": \"100\"}", "{\"below_fen\": 1e300}", "{\"below\": 100}", "[]", "x",
  };
  g_autoptr(YunTestResponse) unknown = yun_test_cloud_send_json (fixture->cloud, "PUT",
                                                                 "api/prices/alerts/no-such-product",
                                                                 "alice", "{\"below_fen\": 100}");
  g_autoptr(YunTestResponse) nobody = yun_test_cloud_send_json (fixture->cloud, "PUT", path, NULL,
                                                                "{\"below_fen\": 100}");
  g_autoptr(YunTestResponse) list = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++) {
    g_autoptr(YunTestResponse) response = yun_test_cloud_send_json (fixture->cloud, "PUT", path,
                                                                    "alice", bodies[i]);

    g_test_message ("%s", bodies[i]);
    yun_test_response_assert_error (response, SOUP_STATUS_BAD_REQUEST, "bad_request");
  }
  yun_test_response_assert_error (unknown, SOUP_STATUS_NOT_FOUND, "not_found");
  yun_test_response_assert_error (nobody, SOUP_STATUS_UNAUTHORIZED, "unauthorized");
  g_assert_cmpuint (json_array_get_length (alerts_of (fixture, "alice", &list)), ==, 0);
}

/* A user holds at most YUN_PRICES_API_MAX_ALERTS alerts; changing one of
 * them is still allowed at the limit. */
static void
test_alerts_limited (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(YunTestResponse) list = get (fixture, "api/prices/products?limit=100");
  g_autoptr(YunTestResponse) more = get (fixture, "api/prices/products?limit=100&offset=100");
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  JsonArray *a = yun_test_page_items (list);
  JsonArray *b = yun_test_page_items (more);

  for (guint i = 0; i < json_array_get_length (a); i++)
    g_ptr_array_add (ids, (gpointer) json_object_get_string_member (json_array_get_object_element (a, i), "id"));
  for (guint i = 0; i < json_array_get_length (b); i++)
    g_ptr_array_add (ids, (gpointer) json_object_get_string_member (json_array_get_object_element (b, i), "id"));
  g_assert_cmpuint (ids->len, >, YUN_PRICES_API_MAX_ALERTS);

  for (guint i = 0; i <= YUN_PRICES_API_MAX_ALERTS; i++) {
    g_autofree char *path = g_strconcat ("api/prices/alerts/", (char *) ids->pdata[i], NULL);
    g_autoptr(YunTestResponse) response = yun_test_cloud_send_json (fixture->cloud, "PUT", path,
                                                                    "alice", "{\"below_fen\": 100}");

    if (i < YUN_PRICES_API_MAX_ALERTS)
      yun_test_response_object (response, 201);
    else
      yun_test_response_assert_error (response, 429, "too_many");
  }
  {
    g_autofree char *path = g_strconcat ("api/prices/alerts/", (char *) ids->pdata[0], NULL);
    g_autoptr(YunTestResponse) response = yun_test_cloud_send_json (fixture->cloud, "PUT", path,
                                                                    "alice", "{\"below_fen\": 200}");

    yun_test_response_object (response, 200);
  }
  g_assert_cmpuint (yun_test_cloud_count (fixture->cloud, "prices.db",
                                          "SELECT count (*) FROM alerts WHERE user = 'alice'"),
                    ==, YUN_PRICES_API_MAX_ALERTS);
}

static void
add_test (const char *name,
          void      (*test) (Fixture *, gconstpointer))
{
  g_autofree char *path = g_strconcat ("/yun/cloud/prices-api/", name, NULL);

  g_test_add (path, Fixture, NULL, fixture_setup, test, fixture_teardown);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  add_test ("search/finds-category", test_search_finds_category);
  add_test ("offers/sorted-by-total", test_offers_sorted_by_total);
  add_test ("history/days", test_history_days);
  add_test ("bad-inputs", test_bad_inputs);
  add_test ("not-found", test_not_found);
  add_test ("alerts/per-user", test_alerts_per_user);
  add_test ("alerts/bad", test_alerts_bad);
  add_test ("alerts/limited", test_alerts_limited);

  return g_test_run ();
}
