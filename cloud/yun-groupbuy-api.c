/* yun-groupbuy-api.c: the group-buying back end's routes, /api/groupbuy/
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "yun-groupbuy-api.h"

#include "yun-cloud-random.h"
#include "yun-cloud-svg.h"

#include <string.h>

/*
 * GET    categories                     the kinds of deals
 * GET    deals?state=open|ended|all&category=&limit=&offset=
 *                                       deals, the soonest to end first;
 *                                       with the server's clock for the
 *                                       countdowns
 * GET    deals/ID                       a deal; `mine` says whether the
 *                                       caller (if named) joined it
 * GET    deals/ID/image.svg             its picture
 * PUT    deals/ID/buyers/mine           join: atomic and idempotent; 409
 *                                       when sold out, 410 when ended
 * DELETE deals/ID/buyers/mine           leave: atomic and idempotent
 *
 * A deal unlocks (goes ahead) when its buyers reach its threshold before
 * its deadline; it never sells more places than its stock.
 */

#define DEAL_COLUMNS \
  "d.id, d.title, d.merchant, d.category, d.description, d.price, d.original, d.threshold," \
  " d.stock, d.joined, d.deadline, d.unlocked_at"

enum {
  COL_ID, COL_TITLE, COL_MERCHANT, COL_CATEGORY, COL_DESCRIPTION, COL_PRICE, COL_ORIGINAL,
  COL_THRESHOLD, COL_STOCK, COL_JOINED, COL_DEADLINE, COL_UNLOCKED_AT,
};

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? text : "";
}

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static JsonObject *
deal_object (sqlite3_stmt *stmt,
             gint64        now)
{
  JsonObject *object = json_object_new ();
  const char *id = column_text (stmt, COL_ID);
  gint64 price = sqlite3_column_int64 (stmt, COL_PRICE);
  gint64 original = sqlite3_column_int64 (stmt, COL_ORIGINAL);
  gint64 threshold = sqlite3_column_int64 (stmt, COL_THRESHOLD);
  gint64 stock = sqlite3_column_int64 (stmt, COL_STOCK);
  gint64 joined = sqlite3_column_int64 (stmt, COL_JOINED);
  gint64 deadline = sqlite3_column_int64 (stmt, COL_DEADLINE);
  g_autofree char *deadline_text = yun_cloud_api_iso_time (deadline);
  g_autofree char *image = g_strconcat ("/api/groupbuy/deals/", id, "/image.svg", NULL);

  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "title", column_text (stmt, COL_TITLE));
  json_object_set_string_member (object, "merchant", column_text (stmt, COL_MERCHANT));
  json_object_set_string_member (object, "category", column_text (stmt, COL_CATEGORY));
  json_object_set_string_member (object, "description", column_text (stmt, COL_DESCRIPTION));
  json_object_set_string_member (object, "currency", "CNY");
  /* Money is whole fen: exact, unlike a double of yuan. */
  json_object_set_int_member (object, "price_fen", price);
  json_object_set_int_member (object, "original_price_fen", original);
  json_object_set_int_member (object, "discount_percent",
                              original > 0 ? 100 - (price * 100 + original / 2) / original : 0);
  json_object_set_int_member (object, "threshold", threshold);
  json_object_set_int_member (object, "stock", stock);
  json_object_set_int_member (object, "joined", joined);
  json_object_set_int_member (object, "remaining", stock - joined);
  json_object_set_string_member (object, "deadline", deadline_text);
  json_object_set_int_member (object, "deadline_ms", deadline * 1000);
  json_object_set_int_member (object, "seconds_left", MAX (0, deadline - now));
  json_object_set_boolean_member (object, "ended", deadline <= now);
  json_object_set_boolean_member (object, "unlocked", joined >= threshold);
  json_object_set_boolean_member (object, "sold_out", joined >= stock);
  if (sqlite3_column_type (stmt, COL_UNLOCKED_AT) == SQLITE_NULL) {
    json_object_set_null_member (object, "unlocked_at");
  } else {
    g_autofree char *unlocked_at =
      yun_cloud_api_iso_time (sqlite3_column_int64 (stmt, COL_UNLOCKED_AT));

    json_object_set_string_member (object, "unlocked_at", unlocked_at);
  }
  json_object_set_string_member (object, "image_url", image);
  return object;
}

static sqlite3_stmt *
find_deal (sqlite3     *db,
           const char  *id,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    yun_cloud_db_prepare (db, "SELECT " DEAL_COLUMNS " FROM deals d WHERE d.id = ?", error);
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
                 "There is no deal “%s”", id);
  return NULL;
}

static gboolean
is_buyer (sqlite3    *db,
          const char *deal,
          const char *user)
{
  g_autoptr(sqlite3_stmt) stmt =
    yun_cloud_db_prepare (db, "SELECT 1 FROM buyers WHERE deal = ? AND user = ?", NULL);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, deal, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, user, -1, SQLITE_TRANSIENT);
  return sqlite3_step (stmt) == SQLITE_ROW;
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
  int rc;

  if (!yun_cloud_api_get_paging (job, &limit, &offset, error))
    return FALSE;

  db = yun_cloud_db_lock (request->db);
  ok = (stmt = yun_cloud_db_prepare (db,
                                     "SELECT c.id, c.name, (SELECT count (*) FROM deals d"
                                     "                      WHERE d.category = c.id)"
                                     " FROM categories c ORDER BY position LIMIT ? OFFSET ?",
                                     error)) != NULL;
  if (ok) {
    sqlite3_bind_int (stmt, 1, limit + 1);
    sqlite3_bind_int (stmt, 2, offset);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
      JsonObject *object;

      if (json_array_get_length (items) == limit) {
        more = TRUE;
        break;
      }
      object = json_object_new ();
      json_object_set_string_member (object, "id", column_text (stmt, 0));
      json_object_set_string_member (object, "name", column_text (stmt, 1));
      json_object_set_int_member (object, "count", sqlite3_column_int64 (stmt, 2));
      json_array_add_object_element (items, object);
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      ok = yun_cloud_db_set_error (db, error);
  }
  yun_cloud_db_unlock (request->db);

  if (ok)
    yun_cloud_api_set_page (job, items, limit, offset, more);
  return ok;
}

/* The optional caller of a read: a bad or missing name is no error,
 * the answer just does not say what the caller joined. */
static char *
optional_user (YunCloudJob        *job,
               YunCloudApiRequest *request)
{
  if (job->authorization == NULL && request->user_header == NULL)
    return NULL;
  return yun_cloud_api_get_user (job, request, NULL);
}

static gboolean
list_deals (YunCloudJob         *job,
            YunCloudApiRequest  *request,
            GError             **error)
{
  g_autoptr(JsonArray) items = json_array_new ();
  g_autoptr(JsonObject) page = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *user = optional_user (job, request);
  const char *state, *category;
  guint limit, offset;
  gboolean more = FALSE;
  gint64 now = now_seconds ();
  int state_code = 0;
  gboolean ok;
  sqlite3 *db;
  int rc;

  if (!yun_cloud_api_get_paging (job, &limit, &offset, error) ||
      !yun_cloud_api_get_text (job, "state", 16, &state, error) ||
      !yun_cloud_api_get_text (job, "category", 64, &category, error))
    return FALSE;
  if (state == NULL || g_str_equal (state, "open"))
    state_code = 0;
  else if (g_str_equal (state, "ended"))
    state_code = 1;
  else if (g_str_equal (state, "all"))
    state_code = 2;
  else {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_BAD_REQUEST,
                 "state must be open, ended or all");
    return FALSE;
  }
  if (category != NULL && !yun_cloud_api_is_id (category, 64)) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_BAD_REQUEST,
                 "category must be a category id such as “food”");
    return FALSE;
  }

  db = yun_cloud_db_lock (request->db);
  ok = (stmt = yun_cloud_db_prepare (db,
                                     "SELECT " DEAL_COLUMNS " FROM deals d"
                                     " WHERE (?1 = 2 OR (?1 = 0) = (d.deadline > ?2))"
                                     " AND (?3 IS NULL OR d.category = ?3)"
                                     " ORDER BY d.deadline <= ?2, abs (d.deadline - ?2), d.id"
                                     " LIMIT ?4 OFFSET ?5",
                                     error)) != NULL;
  if (ok) {
    sqlite3_bind_int (stmt, 1, state_code);
    sqlite3_bind_int64 (stmt, 2, now);
    if (category != NULL)
      sqlite3_bind_text (stmt, 3, category, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int (stmt, 4, limit + 1);
    sqlite3_bind_int (stmt, 5, offset);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
      JsonObject *deal;

      if (json_array_get_length (items) == limit) {
        more = TRUE;
        break;
      }
      deal = deal_object (stmt, now);
      if (user != NULL)
        json_object_set_boolean_member (deal, "mine", is_buyer (db, column_text (stmt, COL_ID),
                                                                user));
      json_array_add_object_element (items, deal);
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      ok = yun_cloud_db_set_error (db, error);
  }
  yun_cloud_db_unlock (request->db);

  if (!ok)
    return FALSE;
  page = yun_cloud_api_new_page (items, limit, offset, more);
  json_object_set_int_member (page, "server_time_ms", now * 1000);
  yun_cloud_job_set_object (job, SOUP_STATUS_OK, page);
  return TRUE;
}

static gboolean
get_deal (YunCloudJob         *job,
          YunCloudApiRequest  *request,
          GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *user = optional_user (job, request);
  gint64 now = now_seconds ();
  sqlite3 *db;

  db = yun_cloud_db_lock (request->db);
  stmt = find_deal (db, request->segments[1], error);
  if (stmt != NULL) {
    object = deal_object (stmt, now);
    if (user != NULL)
      json_object_set_boolean_member (object, "mine", is_buyer (db, request->segments[1], user));
  }
  yun_cloud_db_unlock (request->db);

  if (stmt == NULL)
    return FALSE;
  json_object_set_int_member (object, "server_time_ms", now * 1000);
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
  g_autofree char *merchant = NULL;
  sqlite3 *db;

  db = yun_cloud_db_lock (request->db);
  stmt = find_deal (db, request->segments[1], error);
  if (stmt != NULL)
    merchant = g_strdup (column_text (stmt, COL_MERCHANT));
  yun_cloud_db_unlock (request->db);

  if (stmt == NULL)
    return FALSE;
  svg = yun_cloud_svg_photo (merchant, yun_cloud_random_hash (request->segments[1], 3));
  yun_cloud_job_set_bytes (job, SOUP_STATUS_OK, "image/svg+xml", svg);
  yun_cloud_job_add_header (job, "Cache-Control", "max-age=86400");
  return TRUE;
}

/* Joins (@join) or leaves @deal for @user in one transaction.  Joining
 * twice, or leaving a deal one is not in, changes nothing and succeeds:
 * @changed says whether anything happened. */
static gboolean
join_or_leave (sqlite3     *db,
               const char  *deal,
               const char  *user,
               gboolean     join,
               gint64       now,
               gboolean    *changed,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) buyer = NULL;
  g_autoptr(sqlite3_stmt) count = NULL;
  gint64 stock, joined, deadline;

  *changed = FALSE;
  /* IMMEDIATE takes the write lock now: the check of the stock and the
   * insert see the same state, even with other processes on the file. */
  if (!yun_cloud_db_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;

  stmt = find_deal (db, deal, error);
  if (stmt == NULL)
    goto fail;
  stock = sqlite3_column_int64 (stmt, COL_STOCK);
  joined = sqlite3_column_int64 (stmt, COL_JOINED);
  deadline = sqlite3_column_int64 (stmt, COL_DEADLINE);

  if (deadline <= now) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_GONE,
                 "The deal ended; it can no longer be joined or left");
    goto fail;
  }

  if (join) {
    if (is_buyer (db, deal, user))
      goto done;
    if (joined >= stock) {
      g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_CONFLICT,
                   "The deal is sold out");
      goto fail;
    }
    buyer = yun_cloud_db_prepare (db, "INSERT INTO buyers VALUES (?1, ?2, ?3)", error);
    count = yun_cloud_db_prepare (db,
                                  "UPDATE deals SET joined = joined + 1,"
                                  " unlocked_at = CASE WHEN unlocked_at IS NULL"
                                  "   AND joined + 1 >= threshold THEN ?2 ELSE unlocked_at END"
                                  " WHERE id = ?1",
                                  error);
  } else {
    if (!is_buyer (db, deal, user))
      goto done;
    buyer = yun_cloud_db_prepare (db, "DELETE FROM buyers WHERE deal = ?1 AND user = ?2", error);
    count = yun_cloud_db_prepare (db, "UPDATE deals SET joined = joined - 1 WHERE id = ?1",
                                  error);
  }
  if (buyer == NULL || count == NULL)
    goto fail;

  sqlite3_bind_text (buyer, 1, deal, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (buyer, 2, user, -1, SQLITE_TRANSIENT);
  if (join)
    sqlite3_bind_int64 (buyer, 3, now);
  sqlite3_bind_text (count, 1, deal, -1, SQLITE_TRANSIENT);
  if (join)
    sqlite3_bind_int64 (count, 2, now);
  if (!yun_cloud_db_step_done (buyer, error) || !yun_cloud_db_step_done (count, error))
    goto fail;
  *changed = TRUE;

done:
  if (!yun_cloud_db_exec (db, "COMMIT", error))
    goto fail;
  return TRUE;

fail:
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  *changed = FALSE;
  return FALSE;
}

static gboolean
join_or_leave_deal (YunCloudJob         *job,
                    YunCloudApiRequest  *request,
                    GError             **error)
{
  const char *deal = request->segments[1];
  gboolean join = job->method == SOUP_METHOD_PUT;
  g_autofree char *user = yun_cloud_api_get_user (job, request, error);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonObject) object = NULL;
  gint64 now = now_seconds ();
  gboolean changed = FALSE;
  gboolean ok;
  sqlite3 *db;

  if (user == NULL)
    return FALSE;

  db = yun_cloud_db_lock (request->db);
  ok = join_or_leave (db, deal, user, join, now, &changed, error);
  if (ok && (stmt = find_deal (db, deal, error)) != NULL) {
    object = deal_object (stmt, now);
    json_object_set_boolean_member (object, "mine", join);
    json_object_set_boolean_member (object, "changed", changed);
  }
  yun_cloud_db_unlock (request->db);

  if (object == NULL)
    return FALSE;
  json_object_set_int_member (object, "server_time_ms", now * 1000);
  yun_cloud_job_set_object (job, join && changed ? SOUP_STATUS_CREATED : SOUP_STATUS_OK, object);
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
  if (n == 1 && g_str_equal (s[0], "deals"))
    return yun_cloud_api_check_method (msg, get, error) ? list_deals : NULL;

  if (n >= 2 && g_str_equal (s[0], "deals") && yun_cloud_api_is_id (s[1], 64)) {
    if (n == 2)
      return yun_cloud_api_check_method (msg, get, error) ? get_deal : NULL;
    if (n == 3 && g_str_equal (s[2], "image.svg"))
      return yun_cloud_api_check_method (msg, get, error) ? get_image : NULL;
    if (n == 4 && g_str_equal (s[2], "buyers") && g_str_equal (s[3], "mine"))
      return yun_cloud_api_check_method (msg, "PUT, DELETE", error) ? join_or_leave_deal : NULL;
  }

  g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_NOT_FOUND,
               "No such group-buying route");
  return NULL;
}

/**
 * yun_groupbuy_api_handle:
 * @context: the group-buying back end
 * @msg: a request below /api/groupbuy/
 * @segments: (transfer full): its path below /api/groupbuy/
 * @query: (nullable): its query
 *
 * Answers @msg, from a worker thread unless it is refused at once.
 */
void
yun_groupbuy_api_handle (YunCloudApiContext  *context,
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
