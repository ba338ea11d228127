/* yun-prices-api.c: the price comparison back end's routes, /api/prices/
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "yun-prices-api.h"

#include "yun-cloud-random.h"
#include "yun-cloud-svg.h"

#include <math.h>
#include <string.h>

/*
 * GET    categories                       the kinds of products
 * GET    products?q=&category=&limit=&offset=
 *                                         products, with a full-text
 *                                         search; each with its best total
 * GET    products/ID                      a product and its best offer
 * GET    products/ID/image.svg            its picture
 * GET    products/ID/offers?limit=&offset=&in_stock=
 *                                         offers, cheapest total (price +
 *                                         shipping) first
 * GET    products/ID/history?days=        the best total of each day
 * GET    alerts?limit=&offset=            the caller's price alerts, each
 *                                         with the current best total and
 *                                         whether it is below the alert
 * PUT    alerts/ID                        {below_fen}: alert when product ID's
 *                                         best total is below this
 * DELETE alerts/ID                        removes it
 *
 * Money is whole fen (hundredths of a yuan) in members named *_fen.
 */

/* The best total of in-stock offers of product ?1, in fen, or NULL. */
#define BEST_TOTAL \
  "(SELECT min (o.price + o.shipping) FROM offers o WHERE o.product = p.id AND o.in_stock)"

#define PRODUCT_COLUMNS \
  "p.id, p.name, p.brand, p.category, p.description, " BEST_TOTAL "," \
  " (SELECT count (*) FROM offers o WHERE o.product = p.id)"

enum {
  COL_ID, COL_NAME, COL_BRAND, COL_CATEGORY, COL_DESCRIPTION, COL_BEST, COL_OFFERS,
};

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? text : "";
}

/* Money goes out as whole fen, "<name>_fen": exact, unlike a double of
 * yuan. */
static void
set_money (JsonObject *object,
           const char *name,
           gint64      fen)
{
  g_autofree char *member = g_strconcat (name, "_fen", NULL);

  json_object_set_int_member (object, member, fen);
}

static JsonObject *
product_summary (sqlite3_stmt *stmt)
{
  JsonObject *object = json_object_new ();
  g_autofree char *image = g_strconcat ("/api/prices/products/", column_text (stmt, COL_ID),
                                        "/image.svg", NULL);

  json_object_set_string_member (object, "id", column_text (stmt, COL_ID));
  json_object_set_string_member (object, "name", column_text (stmt, COL_NAME));
  json_object_set_string_member (object, "brand", column_text (stmt, COL_BRAND));
  json_object_set_string_member (object, "category", column_text (stmt, COL_CATEGORY));
  json_object_set_string_member (object, "currency", "CNY");
  if (sqlite3_column_type (stmt, COL_BEST) == SQLITE_NULL)
    json_object_set_null_member (object, "best_total_fen");
  else
    set_money (object, "best_total", sqlite3_column_int64 (stmt, COL_BEST));
  json_object_set_int_member (object, "offer_count", sqlite3_column_int64 (stmt, COL_OFFERS));
  json_object_set_string_member (object, "image_url", image);
  return object;
}

static sqlite3_stmt *
find_product (sqlite3     *db,
              const char  *id,
              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    yun_cloud_db_prepare (db, "SELECT " PRODUCT_COLUMNS " FROM products p WHERE p.id = ?",
                          error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_steal_pointer (&stmt);
  if (rc != SQLITE_DONE)
    yun_cloud_db_set_error (db, error);
  else
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_NOT_FOUND,
                 "There is no product “%s”", id);
  return NULL;
}

/* Runs @stmt, bound by the caller except for its last two parameters
 * (limit and offset), and adds a page of rows made by @make. */
static gboolean
collect_page (sqlite3_stmt  *stmt,
              int            limit_index,
              guint          limit,
              guint          offset,
              JsonObject  *(*make) (sqlite3_stmt *),
              JsonArray     *items,
              gboolean      *more,
              GError       **error)
{
  int rc;

  sqlite3_bind_int (stmt, limit_index, limit + 1);
  sqlite3_bind_int (stmt, limit_index + 1, offset);
  *more = FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    if (json_array_get_length (items) == limit) {
      *more = TRUE;
      return TRUE;
    }
    json_array_add_object_element (items, make (stmt));
  }
  if (rc != SQLITE_DONE)
    return yun_cloud_db_set_error (sqlite3_db_handle (stmt), error);
  return TRUE;
}

static JsonObject *
category_object (sqlite3_stmt *stmt)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "id", column_text (stmt, 0));
  json_object_set_string_member (object, "name", column_text (stmt, 1));
  json_object_set_int_member (object, "count", sqlite3_column_int64 (stmt, 2));
  return object;
}

static gboolean
get_categories (YunCloudJob         *job,
                YunCloudApiRequest  *request,
                GError             **error)
{
  g_autoptr(JsonArray) items = json_array_new ();
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint limit, offset;
  gboolean more = FALSE;
  gboolean ok;
  sqlite3 *db;

  if (!yun_cloud_api_get_paging (job, &limit, &offset, error))
    return FALSE;

  db = yun_cloud_db_lock (request->db);
  ok = (stmt = yun_cloud_db_prepare (db,
                                     "SELECT c.id, c.name, (SELECT count (*) FROM products p"
                                     "                      WHERE p.category = c.id)"
                                     " FROM categories c ORDER BY position LIMIT ? OFFSET ?",
                                     error)) != NULL &&
       collect_page (stmt, 1, limit, offset, category_object, items, &more, error);
  yun_cloud_db_unlock (request->db);

  if (ok)
    yun_cloud_api_set_page (job, items, limit, offset, more);
  return ok;
}

static gboolean
list_products (YunCloudJob         *job,
               YunCloudApiRequest  *request,
               GError             **error)
{
  g_autoptr(JsonArray) items = json_array_new ();
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *match = NULL;
  const char *q, *category;
  guint limit, offset;
  gboolean more = FALSE;
  gboolean ok;
  sqlite3 *db;

  if (!yun_cloud_api_get_paging (job, &limit, &offset, error) ||
      !yun_cloud_api_get_text (job, "q", YUN_CLOUD_API_MAX_QUERY, &q, error) ||
      !yun_cloud_api_get_text (job, "category", 64, &category, error))
    return FALSE;
  if (category != NULL && !yun_cloud_api_is_id (category, 64)) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_BAD_REQUEST,
                 "category must be a category id such as “phones”");
    return FALSE;
  }
  if (q != NULL && (match = yun_cloud_api_fts_query (q)) == NULL) {
    yun_cloud_api_set_page (job, items, limit, offset, FALSE);
    return TRUE;
  }

  db = yun_cloud_db_lock (request->db);
  if (match != NULL)
    stmt = yun_cloud_db_prepare (db,
                                 "SELECT " PRODUCT_COLUMNS " FROM products_fts"
                                 " JOIN products p ON p.n = products_fts.rowid"
                                 " WHERE products_fts MATCH ?1 AND (?2 IS NULL OR p.category = ?2)"
                                 " ORDER BY bm25 (products_fts, 10.0, 5.0, 2.0, 1.0), p.id"
                                 " LIMIT ?3 OFFSET ?4",
                                 error);
  else
    stmt = yun_cloud_db_prepare (db,
                                 "SELECT " PRODUCT_COLUMNS " FROM products p"
                                 " WHERE (?2 IS NULL OR p.category = ?2)"
                                 " ORDER BY p.category, p.name, p.id LIMIT ?3 OFFSET ?4",
                                 error);
  ok = stmt != NULL;
  if (ok) {
    if (match != NULL)
      sqlite3_bind_text (stmt, 1, match, -1, SQLITE_TRANSIENT);
    if (category != NULL)
      sqlite3_bind_text (stmt, 2, category, -1, SQLITE_TRANSIENT);
    ok = collect_page (stmt, 3, limit, offset, product_summary, items, &more, error);
  }
  yun_cloud_db_unlock (request->db);

  if (ok)
    yun_cloud_api_set_page (job, items, limit, offset, more);
  return ok;
}

static JsonObject *
offer_object (sqlite3_stmt *stmt)
{
  JsonObject *object = json_object_new ();
  g_autofree char *updated = yun_cloud_api_iso_time (sqlite3_column_int64 (stmt, 7));

  json_object_set_string_member (object, "merchant", column_text (stmt, 0));
  json_object_set_string_member (object, "merchant_name", column_text (stmt, 1));
  json_object_set_string_member (object, "city", column_text (stmt, 2));
  json_object_set_double_member (object, "merchant_rating", sqlite3_column_double (stmt, 3));
  set_money (object, "price", sqlite3_column_int64 (stmt, 4));
  set_money (object, "shipping", sqlite3_column_int64 (stmt, 5));
  set_money (object, "total", sqlite3_column_int64 (stmt, 4) + sqlite3_column_int64 (stmt, 5));
  json_object_set_boolean_member (object, "in_stock", sqlite3_column_int (stmt, 6) != 0);
  json_object_set_string_member (object, "updated", updated);
  return object;
}

#define OFFERS_QUERY \
  "SELECT m.id, m.name, m.city, m.rating, o.price, o.shipping, o.in_stock, o.updated" \
  " FROM offers o JOIN merchants m ON m.id = o.merchant" \
  " WHERE o.product = ?1 AND (?2 = 0 OR o.in_stock)" \
  " ORDER BY o.in_stock DESC, o.price + o.shipping, m.rating DESC, m.id"

/* The last @days daily best totals of @product (fewer if the history is
 * shorter), oldest first, with the date of the first one. */
static GArray *
read_history (sqlite3     *db,
              const char  *product,
              gint64       days,
              GDate       *first,
              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    yun_cloud_db_prepare (db, "SELECT first, bests FROM history WHERE product = ?", error);
  g_autoptr(GArray) bests = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *array;
  guint length, skip;
  int rc;

  g_date_clear (first, 1);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, product, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return g_steal_pointer (&bests);
  if (rc != SQLITE_ROW) {
    yun_cloud_db_set_error (db, error);
    return NULL;
  }

  /* The generator wrote both; a row that does not parse is an empty
   * history rather than a failed request. */
  g_date_set_parse (first, column_text (stmt, 0));
  if (!g_date_valid (first) ||
      !json_parser_load_from_data (parser, column_text (stmt, 1), -1, NULL) ||
      !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    return g_steal_pointer (&bests);

  array = json_node_get_array (json_parser_get_root (parser));
  length = json_array_get_length (array);
  skip = length > days ? length - days : 0;
  g_date_add_days (first, skip);
  for (guint i = skip; i < length; i++) {
    gint64 best = json_array_get_int_element (array, i);

    g_array_append_val (bests, best);
  }
  return g_steal_pointer (&bests);
}

static gboolean
get_product (YunCloudJob         *job,
             YunCloudApiRequest  *request,
             GError             **error)
{
  const char *id = request->segments[1];
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonObject) object = NULL;
  sqlite3 *db;

  db = yun_cloud_db_lock (request->db);
  stmt = find_product (db, id, error);
  if (stmt != NULL) {
    g_autoptr(sqlite3_stmt) best = yun_cloud_db_prepare (db, OFFERS_QUERY " LIMIT 1", NULL);
    g_autoptr(GArray) bests = NULL;
    GDate first;

    object = product_summary (stmt);
    json_object_set_string_member (object, "description", column_text (stmt, COL_DESCRIPTION));
    if (best != NULL) {
      sqlite3_bind_text (best, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (best, 2, 1);
      if (sqlite3_step (best) == SQLITE_ROW)
        json_object_set_object_member (object, "best_offer", offer_object (best));
    }
    bests = read_history (db, id, 90, &first, NULL);
    if (bests != NULL && bests->len > 0) {
      gint64 lowest = G_MAXINT64, highest = 0;

      for (guint i = 0; i < bests->len; i++) {
        lowest = MIN (lowest, g_array_index (bests, gint64, i));
        highest = MAX (highest, g_array_index (bests, gint64, i));
      }
      set_money (object, "lowest_90d", lowest);
      set_money (object, "highest_90d", highest);
    }
  }
  yun_cloud_db_unlock (request->db);

  if (stmt == NULL)
    return FALSE;
  yun_cloud_job_set_object (job, SOUP_STATUS_OK, object);
  return TRUE;
}

static gboolean
get_image (YunCloudJob         *job,
           YunCloudApiRequest  *request,
           GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GBytes) svg = NULL;
  g_autofree char *brand = NULL;
  sqlite3 *db;

  db = yun_cloud_db_lock (request->db);
  stmt = find_product (db, request->segments[1], error);
  if (stmt != NULL)
    brand = g_strdup (column_text (stmt, COL_BRAND));
  yun_cloud_db_unlock (request->db);

  if (stmt == NULL)
    return FALSE;
  svg = yun_cloud_svg_photo (brand, yun_cloud_random_hash (request->segments[1], 7));
  yun_cloud_job_set_bytes (job, SOUP_STATUS_OK, "image/svg+xml", svg);
  yun_cloud_job_add_header (job, "Cache-Control", "max-age=86400");
  return TRUE;
}

static gboolean
list_offers (YunCloudJob         *job,
             YunCloudApiRequest  *request,
             GError             **error)
{
  g_autoptr(JsonArray) items = json_array_new ();
  g_autoptr(sqlite3_stmt) product = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint limit, offset;
  gint64 in_stock;
  gboolean more = FALSE;
  gboolean ok;
  sqlite3 *db;

  if (!yun_cloud_api_get_paging (job, &limit, &offset, error) ||
      !yun_cloud_api_query_int (job, "in_stock", 0, 1, 0, &in_stock, error))
    return FALSE;

  db = yun_cloud_db_lock (request->db);
  ok = (product = find_product (db, request->segments[1], error)) != NULL &&
       (stmt = yun_cloud_db_prepare (db, OFFERS_QUERY " LIMIT ?3 OFFSET ?4", error)) != NULL;
  if (ok) {
    sqlite3_bind_text (stmt, 1, request->segments[1], -1, SQLITE_TRANSIENT);
    sqlite3_bind_int (stmt, 2, (int) in_stock);
    ok = collect_page (stmt, 3, limit, offset, offer_object, items, &more, error);
  }
  yun_cloud_db_unlock (request->db);

  if (ok)
    yun_cloud_api_set_page (job, items, limit, offset, more);
  return ok;
}

static gboolean
get_history (YunCloudJob         *job,
             YunCloudApiRequest  *request,
             GError             **error)
{
  g_autoptr(JsonArray) items = json_array_new ();
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(sqlite3_stmt) product = NULL;
  g_autoptr(GArray) bests = NULL;
  gint64 days;
  gint64 lowest = G_MAXINT64, highest = 0;
  GDate date;
  sqlite3 *db;

  if (!yun_cloud_api_query_int (job, "days", 1, YUN_PRICES_API_MAX_DAYS, 90, &days, error))
    return FALSE;

  db = yun_cloud_db_lock (request->db);
  product = find_product (db, request->segments[1], error);
  if (product != NULL)
    bests = read_history (db, request->segments[1], days, &date, error);
  yun_cloud_db_unlock (request->db);

  if (bests == NULL)
    return FALSE;

  for (guint i = 0; i < bests->len; i++) {
    JsonObject *point = json_object_new ();
    gint64 best = g_array_index (bests, gint64, i);
    char text[16];

    g_date_strftime (text, sizeof text, "%Y-%m-%d", &date);
    json_object_set_string_member (point, "date", text);
    set_money (point, "best", best);
    json_array_add_object_element (items, point);
    lowest = MIN (lowest, best);
    highest = MAX (highest, best);
    g_date_add_days (&date, 1);
  }

  json_object_set_string_member (object, "product", request->segments[1]);
  json_object_set_string_member (object, "currency", "CNY");
  json_object_set_int_member (object, "days", days);
  json_object_set_array_member (object, "items", g_steal_pointer (&items));
  if (highest > 0) {
    set_money (object, "lowest", lowest);
    set_money (object, "highest", highest);
  }
  yun_cloud_job_set_object (job, SOUP_STATUS_OK, object);
  return TRUE;
}

static JsonObject *
alert_object (sqlite3_stmt *stmt)
{
  JsonObject *object = json_object_new ();
  gint64 below = sqlite3_column_int64 (stmt, 2);
  g_autofree char *created = yun_cloud_api_iso_time (sqlite3_column_int64 (stmt, 4));

  json_object_set_string_member (object, "product", column_text (stmt, 0));
  json_object_set_string_member (object, "name", column_text (stmt, 1));
  set_money (object, "below", below);
  if (sqlite3_column_type (stmt, 3) == SQLITE_NULL) {
    json_object_set_null_member (object, "best_total_fen");
    json_object_set_boolean_member (object, "triggered", FALSE);
  } else {
    set_money (object, "best_total", sqlite3_column_int64 (stmt, 3));
    json_object_set_boolean_member (object, "triggered", sqlite3_column_int64 (stmt, 3) < below);
  }
  json_object_set_string_member (object, "created", created);
  return object;
}

#define ALERT_QUERY \
  "SELECT a.product, p.name, a.below, " BEST_TOTAL ", a.created" \
  " FROM alerts a JOIN products p ON p.id = a.product WHERE a.user = ?1"

static gboolean
list_alerts (YunCloudJob         *job,
             YunCloudApiRequest  *request,
             GError             **error)
{
  g_autofree char *user = yun_cloud_api_get_user (job, request, error);
  g_autoptr(JsonArray) items = json_array_new ();
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint limit, offset;
  gboolean more = FALSE;
  gboolean ok;
  sqlite3 *db;

  if (user == NULL || !yun_cloud_api_get_paging (job, &limit, &offset, error))
    return FALSE;

  db = yun_cloud_db_lock (request->db);
  ok = (stmt = yun_cloud_db_prepare (db, ALERT_QUERY " ORDER BY a.created DESC, a.product"
                                         " LIMIT ?2 OFFSET ?3", error)) != NULL;
  if (ok) {
    sqlite3_bind_text (stmt, 1, user, -1, SQLITE_TRANSIENT);
    ok = collect_page (stmt, 2, limit, offset, alert_object, items, &more, error);
  }
  yun_cloud_db_unlock (request->db);

  if (ok)
    yun_cloud_api_set_page (job, items, limit, offset, more);
  return ok;
}

static gboolean
put_alert (YunCloudJob         *job,
           YunCloudApiRequest  *request,
           GError             **error)
{
  const char *product_id = request->segments[1];
  g_autofree char *user = yun_cloud_api_get_user (job, request, error);
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(sqlite3_stmt) product = NULL;
  g_autoptr(sqlite3_stmt) count = NULL;
  g_autoptr(sqlite3_stmt) write = NULL;
  g_autoptr(sqlite3_stmt) read = NULL;
  g_autoptr(JsonObject) object = NULL;
  gboolean existed = FALSE;
  gint64 below;
  gboolean ok;
  sqlite3 *db;

  if (user == NULL)
    return FALSE;
  body = yun_cloud_api_read_object (job, error);
  if (body == NULL ||
      !yun_cloud_api_member_int (body, "below_fen", TRUE, 1, G_GINT64_CONSTANT (100000000000),
                                 &below, error))
    return FALSE;

  db = yun_cloud_db_lock (request->db);
  ok = (product = find_product (db, product_id, error)) != NULL &&
       yun_cloud_db_exec (db, "BEGIN IMMEDIATE", error);
  if (ok) {
    ok = (count = yun_cloud_db_prepare (db, "SELECT count (*), sum (product = ?2) FROM alerts"
                                            " WHERE user = ?1", error)) != NULL &&
         (write = yun_cloud_db_prepare (db, "INSERT INTO alerts VALUES (?1, ?2, ?3, ?4)"
                                            " ON CONFLICT (user, product) DO UPDATE SET"
                                            " below = excluded.below", error)) != NULL;
    if (ok) {
      sqlite3_bind_text (count, 1, user, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (count, 2, product_id, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (count) == SQLITE_ROW) {
        existed = sqlite3_column_int (count, 1) > 0;
        if (!existed && sqlite3_column_int (count, 0) >= YUN_PRICES_API_MAX_ALERTS) {
          g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_TOO_MANY,
                       "You have %d price alerts, as many as one may; remove one first",
                       YUN_PRICES_API_MAX_ALERTS);
          ok = FALSE;
        }
      }
    }
    if (ok) {
      sqlite3_bind_text (write, 1, user, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (write, 2, product_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (write, 3, below);
      sqlite3_bind_int64 (write, 4, g_get_real_time () / G_USEC_PER_SEC);
      ok = yun_cloud_db_step_done (write, error) && yun_cloud_db_exec (db, "COMMIT", error);
    }
    if (!ok)
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  }
  if (ok && (read = yun_cloud_db_prepare (db, ALERT_QUERY " AND a.product = ?2", error)) != NULL) {
    sqlite3_bind_text (read, 1, user, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (read, 2, product_id, -1, SQLITE_TRANSIENT);
    if (sqlite3_step (read) == SQLITE_ROW)
      object = alert_object (read);
  }
  yun_cloud_db_unlock (request->db);

  if (!ok || object == NULL)
    return FALSE;
  yun_cloud_job_set_object (job, existed ? SOUP_STATUS_OK : SOUP_STATUS_CREATED, object);
  return TRUE;
}

static gboolean
delete_alert (YunCloudJob         *job,
              YunCloudApiRequest  *request,
              GError             **error)
{
  g_autofree char *user = yun_cloud_api_get_user (job, request, error);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonObject) object = json_object_new ();
  gboolean ok;
  int changes = 0;
  sqlite3 *db;

  if (user == NULL)
    return FALSE;

  db = yun_cloud_db_lock (request->db);
  ok = (stmt = yun_cloud_db_prepare (db, "DELETE FROM alerts WHERE user = ? AND product = ?",
                                     error)) != NULL;
  if (ok) {
    sqlite3_bind_text (stmt, 1, user, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 2, request->segments[1], -1, SQLITE_TRANSIENT);
    ok = yun_cloud_db_step_done (stmt, error);
    changes = sqlite3_changes (db);
  }
  yun_cloud_db_unlock (request->db);

  if (!ok)
    return FALSE;
  json_object_set_boolean_member (object, "deleted", changes > 0);
  yun_cloud_job_set_object (job, SOUP_STATUS_OK, object);
  return TRUE;
}

static YunCloudApiFunc
route (SoupServerMessage  *msg,
       char              **s,
       GError            **error)
{
  guint n = g_strv_length (s);
  const char *get = "GET, HEAD";

  if (n == 1 && g_str_equal (s[0], "categories"))
    return yun_cloud_api_check_method (msg, get, error) ? get_categories : NULL;
  if (n == 1 && g_str_equal (s[0], "products"))
    return yun_cloud_api_check_method (msg, get, error) ? list_products : NULL;
  if (n == 1 && g_str_equal (s[0], "alerts"))
    return yun_cloud_api_check_method (msg, get, error) ? list_alerts : NULL;

  if (n == 2 && g_str_equal (s[0], "alerts") && yun_cloud_api_is_id (s[1], 128)) {
    if (!yun_cloud_api_check_method (msg, "PUT, DELETE", error))
      return NULL;
    return soup_server_message_get_method (msg) == SOUP_METHOD_PUT ? put_alert : delete_alert;
  }

  if (n >= 2 && g_str_equal (s[0], "products") && yun_cloud_api_is_id (s[1], 128)) {
    if (n == 2)
      return yun_cloud_api_check_method (msg, get, error) ? get_product : NULL;
    if (n == 3 && g_str_equal (s[2], "image.svg"))
      return yun_cloud_api_check_method (msg, get, error) ? get_image : NULL;
    if (n == 3 && g_str_equal (s[2], "offers"))
      return yun_cloud_api_check_method (msg, get, error) ? list_offers : NULL;
    if (n == 3 && g_str_equal (s[2], "history"))
      return yun_cloud_api_check_method (msg, get, error) ? get_history : NULL;
  }

  g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_NOT_FOUND, "No such prices route");
  return NULL;
}

/**
 * yun_prices_api_handle:
 * @context: the prices back end
 * @msg: a request below /api/prices/
 * @segments: (transfer full): its path below /api/prices/
 * @query: (nullable): its query
 *
 * Answers @msg, from a worker thread unless it is refused at once.
 */
void
yun_prices_api_handle (YunCloudApiContext  *context,
                       SoupServerMessage   *msg,
                       char               **segments,
                       GHashTable          *query)
{
  g_autoptr(GError) error = NULL;
  YunCloudApiFunc func = route (msg, segments, &error);

  if (func == NULL) {
    yun_cloud_api_respond_gerror (msg, error);
    g_strfreev (segments);
    return;
  }
  yun_cloud_api_run (context, msg, query, segments, func);
}
