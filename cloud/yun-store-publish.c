/* yun-store-publish.c: developers publish packaged apps to the store.
 *
 * PUT /api/store/apps/ID/package with a zip (application/zip) and a
 * signed-in developer (Bearer or Basic; the X-Yun-User stand-in is not
 * enough to publish).  The package is checked as the phone checks it
 * (yun_package_new_from_bytes: zip-slip, bombs, the manifest), kept under
 * the store's files with its SHA-256, and listed in the catalog as the
 * developer's.  The first developer to publish an id owns it: anyone
 * else, and any built-in app's id, is refused.  ?version= names the
 * version shown (digits and dots; default 1.0.0).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-store-publish.h"

#include <glib/gstdio.h>

#include "yun-catalog.h"
#include "yun-package.h"

#define MAX_VERSION 32

/* The catalog keeps a manifest's text: the parts the store shows. */
static char *
catalog_manifest (YunManifest *manifest)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  const char * const *names = yun_manifest_get_permission_names (manifest);
  const char * const *categories = yun_manifest_get_categories (manifest);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, yun_manifest_get_name (manifest));
  json_builder_set_member_name (builder, "short_name");
  json_builder_add_string_value (builder, yun_manifest_get_short_name (manifest));
  json_builder_set_member_name (builder, "categories");
  json_builder_begin_array (builder);
  for (guint i = 0; categories != NULL && categories[i] != NULL; i++)
    json_builder_add_string_value (builder, categories[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "yun");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "permissions");
  json_builder_begin_object (builder);
  for (guint i = 0; names != NULL && names[i] != NULL; i++) {
    YunManifestAccess access;
    const char *reason = NULL;

    yun_manifest_get_permission (manifest, names[i], &access, &reason);
    json_builder_set_member_name (builder, names[i]);
    json_builder_begin_object (builder);
    json_builder_set_member_name (builder, "access");
    json_builder_add_string_value (builder, access == YUN_MANIFEST_ACCESS_READWRITE ? "readwrite"
                                                                                      : "read");
    json_builder_set_member_name (builder, "reason");
    json_builder_add_string_value (builder, reason != NULL ? reason : "");
    json_builder_end_object (builder);
  }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static gboolean
is_version (const char *text)
{
  gsize length = strlen (text);

  if (length == 0 || length > MAX_VERSION || !g_ascii_isdigit (text[0]))
    return FALSE;
  for (const char *c = text; *c != '\0'; c++) {
    if (!g_ascii_isdigit (*c) && *c != '.')
      return FALSE;
  }
  return TRUE;
}

/* Refuses ids that are built in or another developer's. */
static gboolean
check_owner (sqlite3     *db,
             const char  *id,
             const char  *developer,
             gboolean    *existed,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = yun_cloud_db_prepare (db, "SELECT developer, builtin FROM apps"
                                                           " WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  *existed = sqlite3_step (stmt) == SQLITE_ROW;
  if (*existed && (sqlite3_column_int (stmt, 1) != YUN_STORE_APP_PUBLISHED ||
                   g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), developer) != 0)) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_CONFLICT,
                 "“%s” is already in the store and is not yours to publish", id);
    return FALSE;
  }
  return TRUE;
}

static gboolean
write_entry (sqlite3     *db,
             const char  *id,
             const char  *developer,
             YunManifest *manifest,
             const char  *version,
             gsize        size,
             const char  *sha256,
             GError     **error)
{
  g_autofree char *text = catalog_manifest (manifest);
  const char *description = yun_manifest_get_description (manifest);
  const char *color = yun_manifest_get_theme_color (manifest);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = yun_cloud_db_prepare (db,
                               "INSERT INTO apps (id, name, developer, category, summary,"
                               "  description, version, size, manifest, color, accent,"
                               "  screenshots, ratings_count, ratings_sum, downloads, updated,"
                               "  builtin, icon, sha256)"
                               " VALUES (?1, ?2, ?3, 'utilities', ?4, ?4, ?5, ?6, ?7, ?8, ?8, 0,"
                               "         0, 0, 0, strftime ('%s', 'now'), ?9, NULL, ?10)"
                               " ON CONFLICT (id) DO UPDATE SET"
                               "  name = excluded.name, summary = excluded.summary,"
                               "  description = excluded.description, version = excluded.version,"
                               "  size = excluded.size, manifest = excluded.manifest,"
                               "  color = excluded.color, accent = excluded.accent,"
                               "  updated = excluded.updated, sha256 = excluded.sha256",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, yun_manifest_get_name (manifest), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, developer, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, description != NULL ? description : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, version, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, size);
  sqlite3_bind_text (stmt, 7, text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, color != NULL ? color : "#1c6e8c", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 9, YUN_STORE_APP_PUBLISHED);
  sqlite3_bind_text (stmt, 10, sha256, -1, SQLITE_TRANSIENT);
  return yun_cloud_db_step_done (stmt, error);
}

/**
 * yun_store_publish_package:
 * @job: the request, from a worker thread
 * @request: its data; segments[1] is the app id
 * @error: return location for a #YunCloudApiError
 *
 * Publishes the package in the request's body.
 *
 * Returns: %TRUE with the answer set on @job
 */
gboolean
yun_store_publish_package (YunCloudJob         *job,
                           YunCloudApiRequest  *request,
                           GError             **error)
{
  const char *id = request->segments[1];
  const char *version = g_hash_table_lookup (job->query, "version");
  g_autofree char *developer = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *path = NULL;
  g_autofree char *staging = NULL;
  g_autofree char *manifest_url = NULL;
  g_autofree char *package_url = g_strconcat ("/api/store/apps/", id, "/package", NULL);
  g_autoptr(YunPackage) package = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonObject) answer = json_object_new ();
  gboolean existed = FALSE;
  gboolean ok;
  gsize size = g_bytes_get_size (job->body);
  sqlite3 *db;

  if (job->authorization == NULL) {
    g_set_error_literal (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_UNAUTHORIZED,
                         "Publishing needs a signed-in developer: send Authorization");
    return FALSE;
  }
  developer = yun_cloud_api_get_user (job, request, error);
  if (developer == NULL)
    return FALSE;
  if (version == NULL)
    version = "1.0.0";
  if (!is_version (version)) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_BAD_REQUEST,
                 "version must be digits and dots, at most %d characters", MAX_VERSION);
    return FALSE;
  }
  if (job->content_type == NULL || !g_str_has_prefix (job->content_type, "application/zip")) {
    g_set_error_literal (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_UNSUPPORTED_MEDIA_TYPE,
                         "Send the package as application/zip");
    return FALSE;
  }
  if (size == 0 || size > YUN_STORE_PUBLISH_MAX_PACKAGE) {
    g_set_error (error, YUN_CLOUD_API_ERROR,
                 size == 0 ? YUN_CLOUD_API_ERROR_BAD_REQUEST : YUN_CLOUD_API_ERROR_TOO_LARGE,
                 "A package is 1 byte to %d bytes", YUN_STORE_PUBLISH_MAX_PACKAGE);
    return FALSE;
  }

  manifest_url = g_strconcat ("app://", id, "/manifest.json", NULL);
  package = yun_package_new_from_bytes (job->body, manifest_url, NULL, &local_error);
  if (package == NULL) {
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_BAD_REQUEST,
                 "The package is not a valid Yun app: %s", local_error->message);
    return FALSE;
  }
  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, job->body);

  db = yun_cloud_db_lock (request->db);
  ok = check_owner (db, id, developer, &existed, error);
  if (ok) {
    /* The file first, then the entry that points at it. */
    path = yun_catalog_package_path (request->files_dir, id);
    staging = g_strconcat (path, ".new", NULL);
    ok = g_file_set_contents (staging, g_bytes_get_data (job->body, NULL), size, error) &&
         g_rename (staging, path) == 0;
    if (!ok && (error == NULL || *error == NULL))
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "Could not keep the package");
    ok = ok && write_entry (db, id, developer, yun_package_get_manifest (package), version, size,
                            sha256, error);
  }
  yun_cloud_db_unlock (request->db);
  if (!ok)
    return FALSE;

  json_object_set_string_member (answer, "id", id);
  json_object_set_string_member (answer, "developer", developer);
  json_object_set_string_member (answer, "version", version);
  json_object_set_string_member (answer, "sha256", sha256);
  json_object_set_int_member (answer, "size", size);
  json_object_set_string_member (answer, "package_url", package_url);
  yun_cloud_job_set_object (job, existed ? SOUP_STATUS_OK : SOUP_STATUS_CREATED, answer);
  return TRUE;
}
