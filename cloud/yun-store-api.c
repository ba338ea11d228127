/* yun-store-api.c: the store catalog's routes, /api/store/
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "yun-store-api.h"

#include "yun-app-id.h"
#include "yun-catalog.h"
#include "yun-cloud-random.h"
#include "yun-cloud-svg.h"
#include "yun-package.h"
#include "yun-store-publish.h"

#include <math.h>
#include <string.h>

/*
 * GET    categories                         the categories, with app counts
 * GET    apps?q=&category=&sort=&limit=&offset=
 *                                           apps by popularity, rating, name
 *                                           or date; with q, a full-text
 *                                           search ranked by relevance
 * GET    apps/ID                            an app: the permissions it asks
 *                                           for with their reasons, size,
 *                                           version, rating, screenshots,
 *                                           manifest and package URLs
 * GET    apps/ID/icon.svg                   its icon (generated apps)
 * GET    apps/ID/screenshots/N.svg          its screenshots
 * GET    apps/ID/package                    a built-in app's zip; the
 *                                           X-Yun-Sha256 header is the hash
 * GET    apps/ID/site/[manifest.json|icon.svg]
 *                                           a generated app, hosted
 * GET    apps/ID/reviews?limit=&offset=     reviews, newest first
 * GET    apps/ID/reviews/mine               the caller's review
 * PUT    apps/ID/reviews/mine               {rating, text}: one per user,
 *                                           editable
 * DELETE apps/ID/reviews/mine               removes it
 */

#define APP_COLUMNS \
  "a.id, a.name, a.developer, a.category, a.summary, a.version, a.size, a.ratings_count," \
  " a.ratings_sum, a.downloads, a.updated, a.builtin, a.icon, a.sha256, a.color, a.accent," \
  " a.screenshots, a.description, a.manifest"

enum {
  COL_ID, COL_NAME, COL_DEVELOPER, COL_CATEGORY, COL_SUMMARY, COL_VERSION, COL_SIZE,
  COL_RATINGS_COUNT, COL_RATINGS_SUM, COL_DOWNLOADS, COL_UPDATED, COL_BUILTIN, COL_ICON,
  COL_SHA256, COL_COLOR, COL_ACCENT, COL_SCREENSHOTS, COL_DESCRIPTION, COL_MANIFEST,
};

/* json_object_set_string_member () for a string the object takes. */
#define json_object_take_string_member(object, name, value) \
  G_STMT_START { \
    char *value_ = (value); \
    json_object_set_string_member ((object), (name), value_); \
    g_free (value_); \
  } G_STMT_END

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? text : "";
}

static void
set_rating (JsonObject *object,
            gint64      count,
            gint64      sum)
{
  json_object_set_int_member (object, "ratings_count", count);
  if (count > 0)
    json_object_set_double_member (object, "rating", round (10.0 * sum / count) / 10.0);
  else
    json_object_set_null_member (object, "rating");
}

static char *
app_url (const char *id,
         const char *rest)
{
  return g_strconcat ("/api/store/apps/", id, rest, NULL);
}

/* The fields of a list item, from a row of APP_COLUMNS. */
static JsonObject *
app_summary (sqlite3_stmt *stmt)
{
  JsonObject *object = json_object_new ();
  const char *id = column_text (stmt, COL_ID);
  gboolean builtin = sqlite3_column_int (stmt, COL_BUILTIN) != 0;
  const char *icon = (const char *) sqlite3_column_text (stmt, COL_ICON);
  g_autofree char *updated = yun_cloud_api_iso_time (sqlite3_column_int64 (stmt, COL_UPDATED));

  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "name", column_text (stmt, COL_NAME));
  json_object_set_string_member (object, "developer", column_text (stmt, COL_DEVELOPER));
  json_object_set_string_member (object, "category", column_text (stmt, COL_CATEGORY));
  json_object_set_string_member (object, "summary", column_text (stmt, COL_SUMMARY));
  json_object_set_string_member (object, "version", column_text (stmt, COL_VERSION));
  json_object_set_int_member (object, "size", sqlite3_column_int64 (stmt, COL_SIZE));
  set_rating (object, sqlite3_column_int64 (stmt, COL_RATINGS_COUNT),
              sqlite3_column_int64 (stmt, COL_RATINGS_SUM));
  json_object_set_int_member (object, "downloads", sqlite3_column_int64 (stmt, COL_DOWNLOADS));
  json_object_set_string_member (object, "updated", updated);
  json_object_set_boolean_member (object, "builtin", builtin);
  json_object_set_string_member (object, "color", column_text (stmt, COL_COLOR));
  if (icon != NULL)
    json_object_set_string_member (object, "icon_url", icon);
  else
    json_object_take_string_member (object, "icon_url", app_url (id, "/icon.svg"));

  return object;
}

static gboolean
app_exists (sqlite3    *db,
            const char *id,
            GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = yun_cloud_db_prepare (db, "SELECT 1 FROM apps WHERE id = ?",
                                                       error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    return yun_cloud_db_set_error (db, error);
  g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_NOT_FOUND,
               "There is no app “%s” in the store", id);
  return FALSE;
}

/* Runs @sql, a query of APP_COLUMNS with the app id as ?1, and steps to
 * its row; a missing app is a 404. */
static sqlite3_stmt *
find_app (sqlite3     *db,
          const char  *id,
          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    yun_cloud_db_prepare (db, "SELECT " APP_COLUMNS " FROM apps a WHERE a.id = ?1", error);
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
                 "There is no app “%s” in the store", id);
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
  sqlite3 *db;
  gboolean more = FALSE;
  gboolean ok;
  int rc;

  if (!yun_cloud_api_get_paging (job, &limit, &offset, error))
    return FALSE;

  db = yun_cloud_db_lock (request->db);
  stmt = yun_cloud_db_prepare (db,
                               "SELECT c.id, c.name, (SELECT count (*) FROM apps a"
                               "                      WHERE a.category = c.id)"
                               " FROM categories c ORDER BY c.position LIMIT ? OFFSET ?",
                               error);
  ok = stmt != NULL;
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

  if (!ok)
    return FALSE;

  yun_cloud_api_set_page (job, items, limit, offset, more);
  return TRUE;
}

static const struct {
  const char *name;
  const char *order;
} sorts[] = {
  { "popular", "a.downloads DESC, a.id" },
  { "rating", "(a.ratings_sum * 1.0 / max (a.ratings_count, 1)) DESC, a.ratings_count DESC, a.id" },
  { "name", "a.name COLLATE NOCASE, a.id" },
  { "updated", "a.updated DESC, a.id" },
};

static gboolean
category_exists (sqlite3     *db,
                 const char  *category,
                 GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = yun_cloud_db_prepare (db, "SELECT 1 FROM categories WHERE id = ?",
                                                       error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, category, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return TRUE;
  g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_NOT_FOUND,
               "There is no category “%s”", category);
  return FALSE;
}

static gboolean
list_apps (YunCloudJob         *job,
           YunCloudApiRequest  *request,
           GError             **error)
{
  g_autoptr(JsonArray) items = json_array_new ();
  g_autoptr(JsonObject) page = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) sql = g_string_new ("SELECT " APP_COLUMNS);
  g_autofree char *match = NULL;
  const char *q, *category, *sort;
  const char *order = NULL;
  guint limit, offset;
  gboolean more = FALSE;
  gboolean ok = TRUE;
  gint64 total = -1;
  sqlite3 *db;
  int rc;

  if (!yun_cloud_api_get_paging (job, &limit, &offset, error) ||
      !yun_cloud_api_get_text (job, "q", YUN_CLOUD_API_MAX_QUERY, &q, error) ||
      !yun_cloud_api_get_text (job, "category", 64, &category, error) ||
      !yun_cloud_api_get_text (job, "sort", 16, &sort, error))
    return FALSE;

  if (category != NULL && !yun_cloud_api_is_id (category, 64)) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_BAD_REQUEST,
                 "category must be a category id such as “games”");
    return FALSE;
  }
  for (guint i = 0; sort != NULL && i < G_N_ELEMENTS (sorts); i++) {
    if (g_str_equal (sort, sorts[i].name))
      order = sorts[i].order;
  }
  if (sort != NULL && order == NULL) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_BAD_REQUEST,
                 "sort must be popular, rating, name or updated");
    return FALSE;
  }

  /* A q with no word in it ("!!!") searches for nothing rather than
   * listing everything. */
  if (q != NULL) {
    match = yun_cloud_api_fts_query (q);
    if (match == NULL) {
      yun_cloud_api_set_page (job, items, limit, offset, FALSE);
      return TRUE;
    }
    g_string_append (sql, " FROM apps_fts JOIN apps a ON a.n = apps_fts.rowid"
                          " WHERE apps_fts MATCH ?1 AND (?2 IS NULL OR a.category = ?2)"
                          " ORDER BY ");
    g_string_append (sql, order != NULL ? order
                                         : "bm25 (apps_fts, 10.0, 3.0, 2.0, 1.0, 1.0), a.id");
  } else {
    g_string_append (sql, " FROM apps a WHERE (?2 IS NULL OR a.category = ?2) ORDER BY ");
    g_string_append (sql, order != NULL ? order : sorts[0].order);
  }
  g_string_append (sql, " LIMIT ?3 OFFSET ?4");

  db = yun_cloud_db_lock (request->db);
  if (category != NULL)
    ok = category_exists (db, category, error);
  if (ok)
    stmt = yun_cloud_db_prepare (db, sql->str, error);
  ok = ok && stmt != NULL;
  if (ok) {
    if (match != NULL)
      sqlite3_bind_text (stmt, 1, match, -1, SQLITE_TRANSIENT);
    if (category != NULL)
      sqlite3_bind_text (stmt, 2, category, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int (stmt, 3, limit + 1);
    sqlite3_bind_int (stmt, 4, offset);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
      if (json_array_get_length (items) == limit) {
        more = TRUE;
        break;
      }
      json_array_add_object_element (items, app_summary (stmt));
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      ok = yun_cloud_db_set_error (db, error);
  }
  /* Counting is cheap without a search, and lets a list say "1 of 37". */
  if (ok && match == NULL) {
    g_autoptr(sqlite3_stmt) count =
      yun_cloud_db_prepare (db, "SELECT count (*) FROM apps WHERE (?1 IS NULL OR category = ?1)",
                            error);

    ok = count != NULL;
    if (ok) {
      if (category != NULL)
        sqlite3_bind_text (count, 1, category, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (count) == SQLITE_ROW)
        total = sqlite3_column_int64 (count, 0);
    }
  }
  yun_cloud_db_unlock (request->db);

  if (!ok)
    return FALSE;

  page = yun_cloud_api_new_page (items, limit, offset, more);
  if (total >= 0)
    json_object_set_int_member (page, "total", total);
  yun_cloud_job_set_object (job, SOUP_STATUS_OK, page);
  return TRUE;
}

/* The permissions a manifest's `yun` member asks for, with reasons. */
static JsonArray *
manifest_permissions (const char *manifest,
                      char      **min_runtime)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *permissions = json_array_new ();
  JsonNode *root;
  JsonObject *yun;
  JsonNode *node;

  *min_runtime = NULL;
  if (!json_parser_load_from_data (parser, manifest, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (root = json_parser_get_root (parser)) ||
      (node = json_object_get_member (json_node_get_object (root), "yun")) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (node))
    return permissions;

  yun = json_node_get_object (node);
  if (json_object_has_member (yun, "min_runtime") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (yun, "min_runtime")))
    *min_runtime = g_strdup (json_object_get_string_member (yun, "min_runtime"));

  node = json_object_get_member (yun, "permissions");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node)) {
    JsonObject *declared = json_node_get_object (node);
    g_autoptr(GList) names = json_object_get_members (declared);

    for (GList *l = names; l != NULL; l = l->next) {
      JsonNode *entry = json_object_get_member (declared, l->data);
      JsonObject *out;
      JsonObject *in;

      if (!JSON_NODE_HOLDS_OBJECT (entry))
        continue;
      in = json_node_get_object (entry);
      out = json_object_new ();
      json_object_set_string_member (out, "name", l->data);
      json_object_set_string_member (out, "access",
                                     json_object_get_string_member_with_default (in, "access",
                                                                                 "read"));
      json_object_set_string_member (out, "reason",
                                     json_object_get_string_member_with_default (in, "reason",
                                                                                 ""));
      json_array_add_object_element (permissions, out);
    }
  }
  return permissions;
}

static gboolean
get_app (YunCloudJob         *job,
         YunCloudApiRequest  *request,
         GError             **error)
{
  const char *id = request->segments[1];
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonArray) screenshots = json_array_new ();
  g_autofree char *min_runtime = NULL;
  g_autofree char *category_name = NULL;
  sqlite3 *db;
  int kind;
  int n_screenshots;

  db = yun_cloud_db_lock (request->db);
  stmt = find_app (db, id, error);
  if (stmt != NULL) {
    g_autoptr(sqlite3_stmt) category =
      yun_cloud_db_prepare (db, "SELECT name FROM categories WHERE id = ?", NULL);

    if (category != NULL) {
      sqlite3_bind_text (category, 1, column_text (stmt, COL_CATEGORY), -1, SQLITE_TRANSIENT);
      if (sqlite3_step (category) == SQLITE_ROW)
        category_name = g_strdup (column_text (category, 0));
    }
    object = app_summary (stmt);
    kind = sqlite3_column_int (stmt, COL_BUILTIN);
    n_screenshots = sqlite3_column_int (stmt, COL_SCREENSHOTS);
    json_object_set_string_member (object, "description", column_text (stmt, COL_DESCRIPTION));
    json_object_set_array_member (object, "permissions",
                                  manifest_permissions (column_text (stmt, COL_MANIFEST),
                                                        &min_runtime));
    if (kind == YUN_STORE_APP_BUILTIN) {
      json_object_take_string_member (object, "manifest_url",
                                      g_strconcat ("/apps/", id, "/manifest.json", NULL));
      json_object_take_string_member (object, "package_url", app_url (id, "/package"));
      json_object_set_string_member (object, "sha256", column_text (stmt, COL_SHA256));
    } else if (kind == YUN_STORE_APP_PUBLISHED) {
      /* A developer's package: installed from the zip, not hosted. */
      json_object_set_null_member (object, "manifest_url");
      json_object_take_string_member (object, "package_url", app_url (id, "/package"));
      json_object_set_string_member (object, "sha256", column_text (stmt, COL_SHA256));
    } else {
      json_object_take_string_member (object, "manifest_url",
                                      app_url (id, "/site/manifest.json"));
      json_object_set_null_member (object, "package_url");
      json_object_set_null_member (object, "sha256");
    }
  }
  yun_cloud_db_unlock (request->db);

  if (stmt == NULL)
    return FALSE;

  for (int i = 1; i <= n_screenshots; i++) {
    g_autofree char *rest = g_strdup_printf ("/screenshots/%d.svg", i);

    g_autofree char *url = app_url (id, rest);

    json_array_add_string_element (screenshots, url);
  }
  json_object_set_array_member (object, "screenshots", g_steal_pointer (&screenshots));
  json_object_set_string_member (object, "category_name",
                                 category_name != NULL ? category_name : "");
  json_object_set_string_member (object, "min_runtime",
                                 min_runtime != NULL ? min_runtime : "0.1");

  yun_cloud_job_set_object (job, SOUP_STATUS_OK, object);
  return TRUE;
}

/* Screenshot numbers are 1 to the app's count, and the file name is
 * exactly "N.svg". */
static gboolean
parse_screenshot_name (const char *name,
                       gint64     *number)
{
  g_autofree char *digits = NULL;

  if (!g_str_has_suffix (name, ".svg"))
    return FALSE;
  digits = g_strndup (name, strlen (name) - 4);
  return g_ascii_string_to_unsigned (digits, 10, 1, 9, (guint64 *) number, NULL);
}

static gboolean
get_picture (YunCloudJob         *job,
             YunCloudApiRequest  *request,
             GError             **error)
{
  const char *id = request->segments[1];
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GBytes) svg = NULL;
  g_autofree char *name = NULL;
  g_autofree char *color = NULL;
  g_autofree char *accent = NULL;
  gboolean screenshot = g_str_equal (request->segments[2], "screenshots");
  gint64 number = 0;
  int count = 0;
  sqlite3 *db;

  if (screenshot && !parse_screenshot_name (request->segments[3], &number)) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_NOT_FOUND,
                 "Screenshots are called 1.svg, 2.svg and so on");
    return FALSE;
  }

  db = yun_cloud_db_lock (request->db);
  stmt = find_app (db, id, error);
  if (stmt != NULL) {
    name = g_strdup (column_text (stmt, COL_NAME));
    color = g_strdup (column_text (stmt, COL_COLOR));
    accent = g_strdup (column_text (stmt, COL_ACCENT));
    count = sqlite3_column_int (stmt, COL_SCREENSHOTS);
  }
  yun_cloud_db_unlock (request->db);

  if (stmt == NULL)
    return FALSE;

  if (screenshot) {
    if (number > count) {
      g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_NOT_FOUND,
                   "“%s” has %d screenshots", id, count);
      return FALSE;
    }
    svg = yun_cloud_svg_screenshot (name, color, accent,
                                    yun_cloud_random_hash (id, (guint32) number));
  } else {
    svg = yun_cloud_svg_icon (name, color, accent, yun_cloud_random_hash (id, 0));
  }

  yun_cloud_job_set_bytes (job, SOUP_STATUS_OK, "image/svg+xml", svg);
  /* Pictures are a function of the id: let clients keep them a day. */
  yun_cloud_job_add_header (job, "Cache-Control", "max-age=86400");
  return TRUE;
}

static gboolean
get_package (YunCloudJob         *job,
             YunCloudApiRequest  *request,
             GError             **error)
{
  const char *id = request->segments[1];
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *disposition = NULL;
  g_autoptr(GBytes) zip = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean builtin = FALSE;
  gsize length;
  sqlite3 *db;

  db = yun_cloud_db_lock (request->db);
  stmt = find_app (db, id, error);
  if (stmt != NULL) {
    /* Built-in and published apps have a package; generated ones none. */
    builtin = sqlite3_column_int (stmt, COL_BUILTIN) != YUN_STORE_APP_GENERATED;
    sha256 = g_strdup (column_text (stmt, COL_SHA256));
  }
  yun_cloud_db_unlock (request->db);

  if (stmt == NULL)
    return FALSE;
  if (!builtin) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_NOT_FOUND,
                 "“%s” is a hosted app without a package; install it from its manifest", id);
    return FALSE;
  }

  path = yun_catalog_package_path (request->files_dir, id);
  if (!g_file_get_contents (path, &contents, &length, &local_error)) {
    g_set_error (error, G_FILE_ERROR, local_error->code, "Could not read the package of %s: %s",
                 id, local_error->message);
    return FALSE;
  }
  zip = g_bytes_new_take (g_steal_pointer (&contents), length);

  disposition = g_strdup_printf ("attachment; filename=\"%s.zip\"", id);
  yun_cloud_job_set_bytes (job, SOUP_STATUS_OK, "application/zip", zip);
  yun_cloud_job_add_header (job, "X-Yun-Sha256", sha256);
  yun_cloud_job_add_header (job, "Content-Disposition", disposition);
  return TRUE;
}

/* The hosted page of a generated app: its manifest, icon and a start page
 * that says what it is. */
static gboolean
get_site (YunCloudJob         *job,
          YunCloudApiRequest  *request,
          GError             **error)
{
  const char *id = request->segments[1];
  const char *file = request->segments[3] != NULL ? request->segments[3] : "";
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GBytes) bytes = NULL;
  sqlite3 *db;

  if (!g_str_equal (file, "") && !g_str_equal (file, "manifest.json") &&
      !g_str_equal (file, "icon.svg")) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_NOT_FOUND,
                 "A generated app has only its start page, manifest.json and icon.svg");
    return FALSE;
  }

  db = yun_cloud_db_lock (request->db);
  stmt = find_app (db, id, error);
  if (stmt != NULL && sqlite3_column_int (stmt, COL_BUILTIN) != 0) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_NOT_FOUND,
                 "“%s” is a built-in app, served at /apps/%s/", id, id);
    g_clear_pointer (&stmt, sqlite3_finalize);
  }
  if (stmt != NULL) {
    if (g_str_equal (file, "manifest.json")) {
      bytes = g_bytes_new (column_text (stmt, COL_MANIFEST),
                           strlen (column_text (stmt, COL_MANIFEST)));
      yun_cloud_job_set_bytes (job, SOUP_STATUS_OK, "application/manifest+json", bytes);
    } else if (g_str_equal (file, "icon.svg")) {
      bytes = yun_cloud_svg_icon (column_text (stmt, COL_NAME), column_text (stmt, COL_COLOR),
                                  column_text (stmt, COL_ACCENT), yun_cloud_random_hash (id, 0));
      yun_cloud_job_set_bytes (job, SOUP_STATUS_OK, "image/svg+xml", bytes);
    } else {
      g_autofree char *name = g_markup_escape_text (column_text (stmt, COL_NAME), -1);
      g_autofree char *description = g_markup_escape_text (column_text (stmt, COL_DESCRIPTION),
                                                           -1);
      g_autofree char *color = g_markup_escape_text (column_text (stmt, COL_COLOR), -1);
      g_autofree char *page = NULL;

      page = g_strdup_printf ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                              "<meta name=\"viewport\" content=\"width=device-width\">"
                              "<title>%s</title><link rel=\"manifest\" href=\"manifest.json\">"
                              "<style>body{font:16px/1.5 sans-serif;margin:0}"
                              "header{background:%s;color:#fff;padding:16px}"
                              "main{padding:16px}</style></head>"
                              "<body><header><h1>%s</h1></header><main><p>%s</p>"
                              "<p><small>A sample app of the Yun store catalog.</small></p>"
                              "</main></body></html>\n",
                              name, color, name, description);
      bytes = g_bytes_new_take (page, strlen (page));
      page = NULL;
      yun_cloud_job_set_bytes (job, SOUP_STATUS_OK, "text/html; charset=utf-8", bytes);
    }
  }
  yun_cloud_db_unlock (request->db);

  return stmt != NULL;
}

static JsonObject *
review_object (sqlite3_stmt *stmt)
{
  JsonObject *object = json_object_new ();
  g_autofree char *created = yun_cloud_api_iso_time (sqlite3_column_int64 (stmt, 3));
  g_autofree char *updated = yun_cloud_api_iso_time (sqlite3_column_int64 (stmt, 4));

  json_object_set_string_member (object, "user", column_text (stmt, 0));
  json_object_set_int_member (object, "rating", sqlite3_column_int (stmt, 1));
  json_object_set_string_member (object, "text", column_text (stmt, 2));
  json_object_set_string_member (object, "created", created);
  json_object_set_string_member (object, "updated", updated);
  return object;
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
  ok = app_exists (db, request->segments[1], error);
  if (ok)
    ok = (stmt = yun_cloud_db_prepare (db,
                                       "SELECT user, rating, text, created, updated FROM reviews"
                                       " WHERE app = ? ORDER BY updated DESC, user"
                                       " LIMIT ? OFFSET ?",
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

/* Finds @user's review of @app into @rating; FALSE without one. */
static gboolean
find_review (sqlite3       *db,
             const char    *app,
             const char    *user,
             sqlite3_stmt **out)
{
  g_autoptr(sqlite3_stmt) stmt =
    yun_cloud_db_prepare (db, "SELECT user, rating, text, created, updated FROM reviews"
                              " WHERE app = ? AND user = ?", NULL);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, app, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, user, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  *out = g_steal_pointer (&stmt);
  return TRUE;
}

static gboolean
get_my_review (YunCloudJob         *job,
               YunCloudApiRequest  *request,
               GError             **error)
{
  g_autofree char *user = yun_cloud_api_get_user (job, request, error);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonObject) object = NULL;
  gboolean ok;
  sqlite3 *db;

  if (user == NULL)
    return FALSE;

  db = yun_cloud_db_lock (request->db);
  ok = app_exists (db, request->segments[1], error);
  if (ok && find_review (db, request->segments[1], user, &stmt))
    object = review_object (stmt);
  yun_cloud_db_unlock (request->db);

  if (!ok)
    return FALSE;
  if (object == NULL) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_NOT_FOUND,
                 "You have not reviewed this app");
    return FALSE;
  }
  yun_cloud_job_set_object (job, SOUP_STATUS_OK, object);
  return TRUE;
}

/* Writes or removes (@rating 0) @user's review and keeps the app's rating
 * in step, in one transaction. */
static gboolean
write_review (sqlite3     *db,
              const char  *app,
              const char  *user,
              int          rating,
              const char  *text,
              gboolean    *existed,
              GError     **error)
{
  g_autoptr(sqlite3_stmt) old = NULL;
  g_autoptr(sqlite3_stmt) write = NULL;
  g_autoptr(sqlite3_stmt) totals = NULL;
  int old_rating = 0;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (!yun_cloud_db_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;

  *existed = find_review (db, app, user, &old);
  if (*existed)
    old_rating = sqlite3_column_int (old, 1);

  if (rating > 0)
    write = yun_cloud_db_prepare (db,
                                  "INSERT INTO reviews VALUES (?1, ?2, ?3, ?4, ?5, ?5)"
                                  " ON CONFLICT (app, user) DO UPDATE SET"
                                  "  rating = excluded.rating, text = excluded.text,"
                                  "  updated = excluded.updated",
                                  error);
  else
    write = yun_cloud_db_prepare (db, "DELETE FROM reviews WHERE app = ?1 AND user = ?2", error);
  totals = yun_cloud_db_prepare (db,
                                 "UPDATE apps SET ratings_count = ratings_count + ?2,"
                                 " ratings_sum = ratings_sum + ?3 WHERE id = ?1",
                                 error);
  if (write == NULL || totals == NULL)
    goto fail;

  sqlite3_bind_text (write, 1, app, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (write, 2, user, -1, SQLITE_TRANSIENT);
  if (rating > 0) {
    sqlite3_bind_int (write, 3, rating);
    sqlite3_bind_text (write, 4, text, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (write, 5, now);
  }
  sqlite3_bind_text (totals, 1, app, -1, SQLITE_TRANSIENT);
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
  const char *app = request->segments[1];
  g_autofree char *user = yun_cloud_api_get_user (job, request, error);
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonObject) object = NULL;
  const char *text = NULL;
  gint64 rating = 0;
  gboolean existed = FALSE;
  gboolean ok;
  sqlite3 *db;

  if (user == NULL)
    return FALSE;
  body = yun_cloud_api_read_object (job, error);
  if (body == NULL ||
      !yun_cloud_api_member_int (body, "rating", TRUE, 1, 5, &rating, error) ||
      !yun_cloud_api_member_text (body, "text", YUN_STORE_API_MAX_REVIEW, &text, error))
    return FALSE;

  db = yun_cloud_db_lock (request->db);
  ok = app_exists (db, app, error) &&
       write_review (db, app, user, rating, text != NULL ? text : "", &existed, error);
  if (ok && find_review (db, app, user, &stmt))
    object = review_object (stmt);
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
  const char *app = request->segments[1];
  g_autofree char *user = yun_cloud_api_get_user (job, request, error);
  g_autoptr(JsonObject) object = json_object_new ();
  gboolean existed = FALSE;
  gboolean ok;
  sqlite3 *db;

  if (user == NULL)
    return FALSE;

  db = yun_cloud_db_lock (request->db);
  ok = app_exists (db, app, error) && write_review (db, app, user, 0, NULL, &existed, error);
  yun_cloud_db_unlock (request->db);

  if (!ok)
    return FALSE;
  /* Deleting what is not there succeeds: the user wanted it gone. */
  json_object_set_boolean_member (object, "deleted", existed);
  yun_cloud_job_set_object (job, SOUP_STATUS_OK, object);
  return TRUE;
}

/* Picks the worker for a path and method, or says why there is none. */
static YunCloudApiFunc
route (SoupServerMessage  *msg,
       char              **s,
       GError            **error)
{
  guint n = g_strv_length (s);
  const char *get = "GET, HEAD";

  if (n == 1 && g_str_equal (s[0], "categories"))
    return yun_cloud_api_check_method (msg, get, error) ? get_categories : NULL;
  if (n == 1 && g_str_equal (s[0], "apps"))
    return yun_cloud_api_check_method (msg, get, error) ? list_apps : NULL;

  if (n >= 2 && g_str_equal (s[0], "apps") && yun_app_id_is_valid (s[1])) {
    if (n == 2)
      return yun_cloud_api_check_method (msg, get, error) ? get_app : NULL;
    if (n == 3 && g_str_equal (s[2], "icon.svg"))
      return yun_cloud_api_check_method (msg, get, error) ? get_picture : NULL;
    if (n == 4 && g_str_equal (s[2], "screenshots"))
      return yun_cloud_api_check_method (msg, get, error) ? get_picture : NULL;
    if (n == 3 && g_str_equal (s[2], "package")) {
      if (!yun_cloud_api_check_method (msg, "GET, HEAD, PUT", error))
        return NULL;
      return soup_server_message_get_method (msg) == SOUP_METHOD_PUT ? yun_store_publish_package
                                                                       : get_package;
    }
    if (n == 4 && g_str_equal (s[2], "site"))
      return yun_cloud_api_check_method (msg, get, error) ? get_site : NULL;
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

  g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_NOT_FOUND,
               "No such store route");
  return NULL;
}

/**
 * yun_store_api_handle:
 * @context: the store's back end
 * @msg: a request below /api/store/
 * @segments: (transfer full): its path below /api/store/, split at slashes
 * @query: (nullable): its query
 *
 * Answers @msg, from a worker thread unless it is refused at once.
 */
void
yun_store_api_handle (YunCloudApiContext  *context,
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
