/* yun-local-api.c: the local reviews back end's routes, /api/local/
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "yun-local-api.h"

#include "yun-cloud-random.h"
#include "yun-cloud-svg.h"
#include "yun-local-generator.h"

#include <errno.h>
#include <math.h>
#include <string.h>

/*
 * GET    categories                          the kinds of places
 * GET    places?lat=&lon=&radius=&category=&sort=&limit=&offset=
 *                                            places within radius metres
 *                                            (default 5000) of a position
 *                                            (default: the city centre),
 *                                            nearest or best first
 * GET    places/ID                           a place, with its photos
 * GET    places/ID/photos/N.svg              its generated photos
 * GET    places/ID/reviews?limit=&offset=    its reviews, newest first
 * GET    places/ID/reviews/mine              the caller's review
 * PUT    places/ID/reviews/mine              {rating, text, photo}: one per
 *                                            user and place, editable
 * DELETE places/ID/reviews/mine              removes it
 * POST   photos                              an image (JPEG, PNG, WebP or
 *                                            GIF) as the body; answers its
 *                                            id for a review's photo
 * GET    photos/ID                           an uploaded photo
 */

#define PLACE_COLUMNS \
  "id, name, category, district, address, lat, lon, price_level, cost, photos," \
  " ratings_count, ratings_sum, phone, hours, description"

enum {
  COL_ID, COL_NAME, COL_CATEGORY, COL_DISTRICT, COL_ADDRESS, COL_LAT, COL_LON,
  COL_PRICE_LEVEL, COL_COST, COL_PHOTOS, COL_RATINGS_COUNT, COL_RATINGS_SUM, COL_PHONE,
  COL_HOURS, COL_DESCRIPTION,
};

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? text : "";
}

static void
take_string (JsonObject *object,
             const char *name,
             char       *value)
{
  json_object_set_string_member (object, name, value);
  g_free (value);
}

/**
 * yun_local_api_distance:
 *
 * Returns: the great-circle distance between two positions, in metres
 */
double
yun_local_api_distance (double lat1,
                        double lon1,
                        double lat2,
                        double lon2)
{
  const double earth_radius = 6371008.8;
  double phi1 = lat1 * G_PI / 180, phi2 = lat2 * G_PI / 180;
  double dphi = (lat2 - lat1) * G_PI / 180, dlambda = (lon2 - lon1) * G_PI / 180;
  double a = sin (dphi / 2) * sin (dphi / 2) +
             cos (phi1) * cos (phi2) * sin (dlambda / 2) * sin (dlambda / 2);

  return 2 * earth_radius * atan2 (sqrt (a), sqrt (1 - a));
}

static JsonObject *
place_summary (sqlite3_stmt *stmt)
{
  JsonObject *object = json_object_new ();
  const char *id = column_text (stmt, COL_ID);
  gint64 count = sqlite3_column_int64 (stmt, COL_RATINGS_COUNT);

  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "name", column_text (stmt, COL_NAME));
  json_object_set_string_member (object, "category", column_text (stmt, COL_CATEGORY));
  json_object_set_string_member (object, "district", column_text (stmt, COL_DISTRICT));
  json_object_set_string_member (object, "address", column_text (stmt, COL_ADDRESS));
  json_object_set_double_member (object, "lat", sqlite3_column_double (stmt, COL_LAT));
  json_object_set_double_member (object, "lon", sqlite3_column_double (stmt, COL_LON));
  json_object_set_int_member (object, "price_level", sqlite3_column_int (stmt, COL_PRICE_LEVEL));
  json_object_set_int_member (object, "cost", sqlite3_column_int (stmt, COL_COST));
  json_object_set_int_member (object, "ratings_count", count);
  if (count > 0)
    json_object_set_double_member (object, "rating",
                                   round (10.0 * sqlite3_column_int64 (stmt, COL_RATINGS_SUM) /
                                          count) / 10.0);
  else
    json_object_set_null_member (object, "rating");
  take_string (object, "photo_url", g_strconcat ("/api/local/places/", id, "/photos/1.svg", NULL));
  return object;
}

static sqlite3_stmt *
find_place (sqlite3     *db,
            const char  *id,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    yun_cloud_db_prepare (db, "SELECT " PLACE_COLUMNS " FROM places WHERE id = ?", error);
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
                 "There is no place “%s”", id);
  return NULL;
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
                                     "SELECT c.id, c.name, (SELECT count (*) FROM places p"
                                     "                      WHERE p.category = c.id)"
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

typedef struct {
  JsonObject *place;
  double distance;
  double rating;
} Found;

static int
compare_by_distance (gconstpointer a,
                     gconstpointer b)
{
  const Found *fa = a, *fb = b;

  if (fa->distance != fb->distance)
    return fa->distance < fb->distance ? -1 : 1;
  return strcmp (json_object_get_string_member (fa->place, "id"),
                 json_object_get_string_member (fb->place, "id"));
}

static int
compare_by_rating (gconstpointer a,
                   gconstpointer b)
{
  const Found *fa = a, *fb = b;

  if (fa->rating != fb->rating)
    return fa->rating > fb->rating ? -1 : 1;
  return compare_by_distance (a, b);
}

static void
found_clear (Found *found)
{
  g_clear_pointer (&found->place, json_object_unref);
}

static gboolean
list_places (YunCloudJob         *job,
             YunCloudApiRequest  *request,
             GError             **error)
{
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (Found));
  g_autoptr(JsonArray) items = json_array_new ();
  g_autoptr(JsonObject) page = NULL;
  g_autoptr(JsonObject) origin = json_object_new ();
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *lat_text = yun_cloud_job_get_query (job, "lat");
  const char *lon_text = yun_cloud_job_get_query (job, "lon");
  const char *category, *sort;
  double lat = YUN_LOCAL_DEFAULT_LAT, lon = YUN_LOCAL_DEFAULT_LON;
  double dlat, dlon;
  gint64 radius;
  guint limit, offset;
  gboolean ok;
  sqlite3 *db;
  int rc;

  g_array_set_clear_func (found, (GDestroyNotify) found_clear);

  if (!yun_cloud_api_get_paging (job, &limit, &offset, error) ||
      !yun_cloud_api_query_int (job, "radius", 1, YUN_LOCAL_API_MAX_RADIUS, 5000, &radius, error) ||
      !yun_cloud_api_get_text (job, "category", 64, &category, error) ||
      !yun_cloud_api_get_text (job, "sort", 16, &sort, error))
    return FALSE;

  if ((lat_text == NULL) != (lon_text == NULL)) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_BAD_REQUEST,
                 "Give both lat and lon, or neither for the city centre");
    return FALSE;
  }
  if (lat_text != NULL &&
      (!yun_cloud_api_parse_double (lat_text, "lat", -90, 90, &lat, error) ||
       !yun_cloud_api_parse_double (lon_text, "lon", -180, 180, &lon, error)))
    return FALSE;
  if (category != NULL && !yun_cloud_api_is_id (category, 64)) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_BAD_REQUEST,
                 "category must be a category id such as “restaurants”");
    return FALSE;
  }
  if (sort != NULL && !g_str_equal (sort, "distance") && !g_str_equal (sort, "rating")) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_BAD_REQUEST,
                 "sort must be distance or rating");
    return FALSE;
  }

  /* A box around the circle narrows the scan; the exact distance decides.
   * Near the poles the box spans every longitude. */
  dlat = radius / 111000.0;
  dlon = fabs (cos (lat * G_PI / 180)) > 0.01 ? MIN (180.0, dlat / fabs (cos (lat * G_PI / 180)))
                                               : 180.0;

  db = yun_cloud_db_lock (request->db);
  ok = (stmt = yun_cloud_db_prepare (db,
                                     "SELECT " PLACE_COLUMNS " FROM places"
                                     " WHERE lat BETWEEN ?1 AND ?2"
                                     " AND (?5 >= 180.0 OR lon BETWEEN ?3 AND ?4)"
                                     " AND (?6 IS NULL OR category = ?6)",
                                     error)) != NULL;
  if (ok) {
    sqlite3_bind_double (stmt, 1, lat - dlat);
    sqlite3_bind_double (stmt, 2, lat + dlat);
    sqlite3_bind_double (stmt, 3, lon - dlon);
    sqlite3_bind_double (stmt, 4, lon + dlon);
    sqlite3_bind_double (stmt, 5, dlon);
    if (category != NULL)
      sqlite3_bind_text (stmt, 6, category, -1, SQLITE_TRANSIENT);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
      Found entry;
      double distance = yun_local_api_distance (lat, lon, sqlite3_column_double (stmt, COL_LAT),
                                                sqlite3_column_double (stmt, COL_LON));
      gint64 count = sqlite3_column_int64 (stmt, COL_RATINGS_COUNT);

      if (distance > radius)
        continue;
      entry.place = place_summary (stmt);
      entry.distance = distance;
      entry.rating = count > 0 ? (double) sqlite3_column_int64 (stmt, COL_RATINGS_SUM) / count : 0;
      json_object_set_int_member (entry.place, "distance_m", (gint64) lround (distance));
      g_array_append_val (found, entry);
    }
    if (rc != SQLITE_DONE)
      ok = yun_cloud_db_set_error (db, error);
  }
  yun_cloud_db_unlock (request->db);

  if (!ok)
    return FALSE;

  g_array_sort (found, sort != NULL && g_str_equal (sort, "rating") ? compare_by_rating
                                                                   : compare_by_distance);
  for (guint i = offset; i < found->len && i < offset + limit; i++)
    json_array_add_object_element (items,
                                   json_object_ref (g_array_index (found, Found, i).place));

  page = yun_cloud_api_new_page (items, limit, offset, offset + limit < found->len);
  json_object_set_int_member (page, "total", found->len);
  json_object_set_double_member (origin, "lat", lat);
  json_object_set_double_member (origin, "lon", lon);
  json_object_set_boolean_member (origin, "default", lat_text == NULL);
  json_object_set_int_member (origin, "radius_m", radius);
  json_object_set_object_member (page, "origin", g_steal_pointer (&origin));
  yun_cloud_job_set_object (job, SOUP_STATUS_OK, page);
  return TRUE;
}

static char *
photo_url (const char *photo)
{
  return g_strconcat ("/api/local/photos/", photo, NULL);
}

static gboolean
get_place (YunCloudJob         *job,
           YunCloudApiRequest  *request,
           GError             **error)
{
  const char *id = request->segments[1];
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonArray) photos = json_array_new ();
  sqlite3 *db;

  db = yun_cloud_db_lock (request->db);
  stmt = find_place (db, id, error);
  if (stmt != NULL) {
    g_autoptr(sqlite3_stmt) category =
      yun_cloud_db_prepare (db, "SELECT name FROM categories WHERE id = ?", NULL);
    g_autoptr(sqlite3_stmt) uploaded =
      yun_cloud_db_prepare (db,
                            "SELECT photo FROM reviews WHERE place = ?"
                            " AND photo IS NOT NULL ORDER BY updated DESC, user LIMIT 12",
                            NULL);

    object = place_summary (stmt);
    json_object_set_string_member (object, "phone", column_text (stmt, COL_PHONE));
    json_object_set_string_member (object, "hours", column_text (stmt, COL_HOURS));
    json_object_set_string_member (object, "description", column_text (stmt, COL_DESCRIPTION));

    /* The place's own photos, then the newest photos of its reviews. */
    for (int i = 1; i <= sqlite3_column_int (stmt, COL_PHOTOS); i++) {
      g_autofree char *url = g_strdup_printf ("/api/local/places/%s/photos/%d.svg", id, i);

      json_array_add_string_element (photos, url);
    }
    if (uploaded != NULL) {
      sqlite3_bind_text (uploaded, 1, id, -1, SQLITE_TRANSIENT);
      while (sqlite3_step (uploaded) == SQLITE_ROW) {
        g_autofree char *url = photo_url (column_text (uploaded, 0));

        json_array_add_string_element (photos, url);
      }
    }
    if (category != NULL) {
      sqlite3_bind_text (category, 1, column_text (stmt, COL_CATEGORY), -1, SQLITE_TRANSIENT);
      if (sqlite3_step (category) == SQLITE_ROW)
        json_object_set_string_member (object, "category_name", column_text (category, 0));
    }
  }
  yun_cloud_db_unlock (request->db);

  if (stmt == NULL)
    return FALSE;
  json_object_set_array_member (object, "photos", g_steal_pointer (&photos));
  yun_cloud_job_set_object (job, SOUP_STATUS_OK, object);
  return TRUE;
}

static gboolean
get_place_photo (YunCloudJob         *job,
                 YunCloudApiRequest  *request,
                 GError             **error)
{
  const char *id = request->segments[1];
  const char *file = request->segments[3];
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GBytes) svg = NULL;
  g_autofree char *digits = NULL;
  g_autofree char *caption = NULL;
  guint64 number = 0;
  int count = 0;
  sqlite3 *db;

  if (g_str_has_suffix (file, ".svg"))
    digits = g_strndup (file, strlen (file) - 4);
  if (digits == NULL || !g_ascii_string_to_unsigned (digits, 10, 1, 99, &number, NULL)) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_NOT_FOUND,
                 "A place's photos are called 1.svg, 2.svg and so on");
    return FALSE;
  }

  db = yun_cloud_db_lock (request->db);
  stmt = find_place (db, id, error);
  if (stmt != NULL) {
    caption = g_strdup (column_text (stmt, COL_NAME));
    count = sqlite3_column_int (stmt, COL_PHOTOS);
  }
  yun_cloud_db_unlock (request->db);

  if (stmt == NULL)
    return FALSE;
  if (number > (guint64) count) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_NOT_FOUND,
                 "“%s” has %d photos", id, count);
    return FALSE;
  }

  svg = yun_cloud_svg_photo (caption, yun_cloud_random_hash (id, (guint32) number));
  yun_cloud_job_set_bytes (job, SOUP_STATUS_OK, "image/svg+xml", svg);
  yun_cloud_job_add_header (job, "Cache-Control", "max-age=86400");
  return TRUE;
}

#define REVIEW_COLUMNS "user, rating, text, photo, created, updated"

static JsonObject *
review_object (sqlite3_stmt *stmt)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "user", column_text (stmt, 0));
  json_object_set_int_member (object, "rating", sqlite3_column_int (stmt, 1));
  json_object_set_string_member (object, "text", column_text (stmt, 2));
  if (sqlite3_column_type (stmt, 3) == SQLITE_NULL) {
    json_object_set_null_member (object, "photo");
    json_object_set_null_member (object, "photo_url");
  } else {
    json_object_set_string_member (object, "photo", column_text (stmt, 3));
    take_string (object, "photo_url", photo_url (column_text (stmt, 3)));
  }
  take_string (object, "created", yun_cloud_api_iso_time (sqlite3_column_int64 (stmt, 4)));
  take_string (object, "updated", yun_cloud_api_iso_time (sqlite3_column_int64 (stmt, 5)));
  return object;
}

static gboolean
place_exists (sqlite3     *db,
              const char  *id,
              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = find_place (db, id, error);

  return stmt != NULL;
}

static gboolean
list_reviews (YunCloudJob         *job,
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
  ok = place_exists (db, request->segments[1], error) &&
       (stmt = yun_cloud_db_prepare (db,
                                     "SELECT " REVIEW_COLUMNS " FROM reviews WHERE place = ?"
                                     " ORDER BY updated DESC, user LIMIT ? OFFSET ?",
                                     error)) != NULL;
  if (ok) {
    sqlite3_bind_text (stmt, 1, request->segments[1], -1, SQLITE_TRANSIENT);
    sqlite3_bind_int (stmt, 2, limit + 1);
    sqlite3_bind_int (stmt, 3, offset);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
      if (json_array_get_length (items) == limit) {
        more = TRUE;
        break;
      }
      json_array_add_object_element (items, review_object (stmt));
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      ok = yun_cloud_db_set_error (db, error);
  }
  yun_cloud_db_unlock (request->db);

  if (ok)
    yun_cloud_api_set_page (job, items, limit, offset, more);
  return ok;
}

static JsonObject *
find_review (sqlite3    *db,
             const char *place,
             const char *user,
             int        *rating)
{
  g_autoptr(sqlite3_stmt) stmt =
    yun_cloud_db_prepare (db, "SELECT " REVIEW_COLUMNS " FROM reviews"
                              " WHERE place = ? AND user = ?", NULL);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, place, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, user, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  if (rating != NULL)
    *rating = sqlite3_column_int (stmt, 1);
  return review_object (stmt);
}

static gboolean
get_my_review (YunCloudJob         *job,
               YunCloudApiRequest  *request,
               GError             **error)
{
  g_autofree char *user = yun_cloud_api_get_user (job, request, error);
  g_autoptr(JsonObject) object = NULL;
  gboolean ok;
  sqlite3 *db;

  if (user == NULL)
    return FALSE;

  db = yun_cloud_db_lock (request->db);
  ok = place_exists (db, request->segments[1], error);
  if (ok)
    object = find_review (db, request->segments[1], user, NULL);
  yun_cloud_db_unlock (request->db);

  if (!ok)
    return FALSE;
  if (object == NULL) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_NOT_FOUND,
                 "You have not reviewed this place");
    return FALSE;
  }
  yun_cloud_job_set_object (job, SOUP_STATUS_OK, object);
  return TRUE;
}

/* Whether @photo was uploaded by @user. */
static gboolean
check_photo (sqlite3     *db,
             const char  *photo,
             const char  *user,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    yun_cloud_db_prepare (db, "SELECT 1 FROM photos WHERE id = ? AND user = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, photo, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, user, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return TRUE;
  g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_BAD_REQUEST,
               "photo must be the id of a photo you uploaded to /api/local/photos");
  return FALSE;
}

/* Writes (@rating > 0) or removes @user's review and keeps the place's
 * rating in step, in one transaction. */
static gboolean
write_review (sqlite3     *db,
              const char  *place,
              const char  *user,
              int          rating,
              const char  *text,
              const char  *photo,
              gboolean    *existed,
              GError     **error)
{
  g_autoptr(JsonObject) old = NULL;
  g_autoptr(sqlite3_stmt) write = NULL;
  g_autoptr(sqlite3_stmt) totals = NULL;
  int old_rating = 0;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (!yun_cloud_db_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;

  old = find_review (db, place, user, &old_rating);
  *existed = old != NULL;

  if (rating > 0)
    write = yun_cloud_db_prepare (db,
                                  "INSERT INTO reviews VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)"
                                  " ON CONFLICT (place, user) DO UPDATE SET"
                                  "  rating = excluded.rating, text = excluded.text,"
                                  "  photo = excluded.photo, updated = excluded.updated",
                                  error);
  else
    write = yun_cloud_db_prepare (db, "DELETE FROM reviews WHERE place = ?1 AND user = ?2",
                                  error);
  totals = yun_cloud_db_prepare (db,
                                 "UPDATE places SET ratings_count = ratings_count + ?2,"
                                 " ratings_sum = ratings_sum + ?3 WHERE id = ?1",
                                 error);
  if (write == NULL || totals == NULL)
    goto fail;

  sqlite3_bind_text (write, 1, place, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (write, 2, user, -1, SQLITE_TRANSIENT);
  if (rating > 0) {
    sqlite3_bind_int (write, 3, rating);
    sqlite3_bind_text (write, 4, text, -1, SQLITE_TRANSIENT);
    if (photo != NULL)
      sqlite3_bind_text (write, 5, photo, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (write, 6, now);
  }
  sqlite3_bind_text (totals, 1, place, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (totals, 2, (rating > 0 ? 1 : 0) - (*existed ? 1 : 0));
  sqlite3_bind_int (totals, 3, rating - old_rating);

  if (!yun_cloud_db_step_done (write, error) || !yun_cloud_db_step_done (totals, error) ||
      !yun_cloud_db_exec (db, "COMMIT", error))
    goto fail;
  return TRUE;

fail:
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

static gboolean
put_my_review (YunCloudJob         *job,
               YunCloudApiRequest  *request,
               GError             **error)
{
  const char *place = request->segments[1];
  g_autofree char *user = yun_cloud_api_get_user (job, request, error);
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) object = NULL;
  const char *text = NULL;
  const char *photo = NULL;
  gint64 rating = 0;
  gboolean existed = FALSE;
  gboolean ok;
  sqlite3 *db;

  if (user == NULL)
    return FALSE;
  body = yun_cloud_api_read_object (job, error);
  if (body == NULL ||
      !yun_cloud_api_member_int (body, "rating", TRUE, 1, 5, &rating, error) ||
      !yun_cloud_api_member_text (body, "text", YUN_LOCAL_API_MAX_REVIEW, &text, error) ||
      !yun_cloud_api_member_text (body, "photo", 64, &photo, error))
    return FALSE;

  db = yun_cloud_db_lock (request->db);
  ok = place_exists (db, place, error) &&
       (photo == NULL || check_photo (db, photo, user, error)) &&
       write_review (db, place, user, rating, text != NULL ? text : "", photo, &existed, error);
  if (ok)
    object = find_review (db, place, user, NULL);
  yun_cloud_db_unlock (request->db);

  if (!ok)
    return FALSE;
  yun_cloud_job_set_object (job, existed ? SOUP_STATUS_OK : SOUP_STATUS_CREATED, object);
  return TRUE;
}

static gboolean
delete_my_review (YunCloudJob         *job,
                  YunCloudApiRequest  *request,
                  GError             **error)
{
  g_autofree char *user = yun_cloud_api_get_user (job, request, error);
  g_autoptr(JsonObject) object = json_object_new ();
  gboolean existed = FALSE;
  gboolean ok;
  sqlite3 *db;

  if (user == NULL)
    return FALSE;

  db = yun_cloud_db_lock (request->db);
  ok = place_exists (db, request->segments[1], error) &&
       write_review (db, request->segments[1], user, 0, NULL, NULL, &existed, error);
  yun_cloud_db_unlock (request->db);

  if (!ok)
    return FALSE;
  json_object_set_boolean_member (object, "deleted", existed);
  yun_cloud_job_set_object (job, SOUP_STATUS_OK, object);
  return TRUE;
}

/* The image type @data really is, whatever its Content-Type says. */
static const char *
sniff_image (const guint8 *data,
             gsize         size)
{
  if (size >= 3 && memcmp (data, "\xff\xd8\xff", 3) == 0)
    return "image/jpeg";
  if (size >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "image/png";
  if (size >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return "image/webp";
  if (size >= 6 && (memcmp (data, "GIF87a", 6) == 0 || memcmp (data, "GIF89a", 6) == 0))
    return "image/gif";
  return NULL;
}

static char *
photo_path (const char *files_dir,
            const char *id)
{
  return g_build_filename (files_dir, "photos", id, NULL);
}

static gboolean
post_photo (YunCloudJob         *job,
            YunCloudApiRequest  *request,
            GError             **error)
{
  g_autofree char *user = yun_cloud_api_get_user (job, request, error);
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(sqlite3_stmt) count = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  gsize size;
  const guint8 *data = g_bytes_get_data (job->body, &size);
  const char *type;
  gboolean ok;
  sqlite3 *db;

  if (user == NULL)
    return FALSE;
  if (size == 0) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_BAD_REQUEST,
                 "The body is empty; send the image itself");
    return FALSE;
  }
  if (size > YUN_LOCAL_API_MAX_PHOTO) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_TOO_LARGE,
                 "A photo may be at most %d bytes", YUN_LOCAL_API_MAX_PHOTO);
    return FALSE;
  }
  type = sniff_image (data, size);
  if (type == NULL) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_UNSUPPORTED_MEDIA_TYPE,
                 "The body is not a JPEG, PNG, WebP or GIF image");
    return FALSE;
  }

  id = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, size);
  dir = g_build_filename (request->files_dir, "photos", NULL);
  path = photo_path (request->files_dir, id);

  db = yun_cloud_db_lock (request->db);
  ok = (count = yun_cloud_db_prepare (db, "SELECT count (*) FROM photos WHERE user = ?",
                                      error)) != NULL;
  if (ok) {
    sqlite3_bind_text (count, 1, user, -1, SQLITE_TRANSIENT);
    if (sqlite3_step (count) == SQLITE_ROW &&
        sqlite3_column_int (count, 0) >= YUN_LOCAL_API_MAX_PHOTOS_PER_USER) {
      g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_TOO_MANY,
                   "You have uploaded %d photos, as many as one may",
                   YUN_LOCAL_API_MAX_PHOTOS_PER_USER);
      ok = FALSE;
    }
  }
  /* The file first: a row always names a file that is there.  Photos are
   * named by their hash, so writing one twice writes the same bytes. */
  if (ok && g_mkdir_with_parents (dir, 0700) != 0) {
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
                 "Could not create %s", dir);
    ok = FALSE;
  }
  ok = ok && g_file_set_contents (path, (const char *) data, size, error);
  ok = ok && (insert = yun_cloud_db_prepare (db,
                                             "INSERT INTO photos VALUES (?, ?, ?, ?, ?)"
                                             " ON CONFLICT (id) DO NOTHING",
                                             error)) != NULL;
  if (ok) {
    sqlite3_bind_text (insert, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (insert, 2, type, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (insert, 3, size);
    sqlite3_bind_text (insert, 4, user, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (insert, 5, g_get_real_time () / G_USEC_PER_SEC);
    ok = yun_cloud_db_step_done (insert, error);
  }
  yun_cloud_db_unlock (request->db);

  if (!ok)
    return FALSE;

  json_object_set_string_member (object, "id", id);
  take_string (object, "url", photo_url (id));
  json_object_set_string_member (object, "type", type);
  json_object_set_int_member (object, "size", size);
  yun_cloud_job_set_object (job, SOUP_STATUS_CREATED, object);
  return TRUE;
}

static gboolean
is_photo_id (const char *text)
{
  if (strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++) {
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  }
  return TRUE;
}

static gboolean
get_photo (YunCloudJob         *job,
           YunCloudApiRequest  *request,
           GError             **error)
{
  const char *id = request->segments[1];
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *type = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize length;
  sqlite3 *db;

  if (!is_photo_id (id)) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_NOT_FOUND,
                 "Photo ids are 64 hexadecimal digits");
    return FALSE;
  }

  db = yun_cloud_db_lock (request->db);
  stmt = yun_cloud_db_prepare (db, "SELECT type FROM photos WHERE id = ?", error);
  if (stmt != NULL) {
    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
    if (sqlite3_step (stmt) == SQLITE_ROW)
      type = g_strdup (column_text (stmt, 0));
  }
  yun_cloud_db_unlock (request->db);

  if (stmt == NULL)
    return FALSE;
  if (type == NULL) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_NOT_FOUND, "No such photo");
    return FALSE;
  }

  path = photo_path (request->files_dir, id);
  if (!g_file_get_contents (path, &contents, &length, error))
    return FALSE;
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  yun_cloud_job_set_bytes (job, SOUP_STATUS_OK, type, bytes);
  /* A photo's id is its hash: it never changes. */
  yun_cloud_job_add_header (job, "Cache-Control", "max-age=31536000, immutable");
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
  if (n == 1 && g_str_equal (s[0], "places"))
    return yun_cloud_api_check_method (msg, get, error) ? list_places : NULL;
  if (n == 1 && g_str_equal (s[0], "photos"))
    return yun_cloud_api_check_method (msg, "POST", error) ? post_photo : NULL;
  if (n == 2 && g_str_equal (s[0], "photos"))
    return yun_cloud_api_check_method (msg, get, error) ? get_photo : NULL;

  if (n >= 2 && g_str_equal (s[0], "places") && yun_cloud_api_is_id (s[1], 64)) {
    if (n == 2)
      return yun_cloud_api_check_method (msg, get, error) ? get_place : NULL;
    if (n == 4 && g_str_equal (s[2], "photos"))
      return yun_cloud_api_check_method (msg, get, error) ? get_place_photo : NULL;
    if (n == 3 && g_str_equal (s[2], "reviews"))
      return yun_cloud_api_check_method (msg, get, error) ? list_reviews : NULL;
    if (n == 4 && g_str_equal (s[2], "reviews") && g_str_equal (s[3], "mine")) {
      const char *method = soup_server_message_get_method (msg);

      if (!yun_cloud_api_check_method (msg, "GET, HEAD, PUT, DELETE", error))
        return NULL;
      if (method == SOUP_METHOD_PUT)
        return put_my_review;
      if (method == SOUP_METHOD_DELETE)
        return delete_my_review;
      return get_my_review;
    }
  }

  g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_NOT_FOUND, "No such local route");
  return NULL;
}

/**
 * yun_local_api_handle:
 * @context: the local back end
 * @msg: a request below /api/local/
 * @segments: (transfer full): its path below /api/local/
 * @query: (nullable): its query
 *
 * Answers @msg, from a worker thread unless it is refused at once.
 */
void
yun_local_api_handle (YunCloudApiContext  *context,
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
