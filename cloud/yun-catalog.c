/* yun-catalog.c: the store catalog's database and its built-in apps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "yun-catalog.h"

#include "yun-app-id.h"
#include "yun-catalog-generator.h"
#include "yun-manifest.h"
#include "yun-package.h"

#include <json-glib/json-glib.h>

#include <errno.h>
#include <string.h>

/* Only used to resolve a built-in manifest's relative URLs while checking
 * it; nothing is ever fetched from it. */
#define CHECK_ORIGIN "http://yun-cloud.invalid"

typedef struct {
  guint32 seed;
  guint n_apps;
} FillData;

static gboolean
fill (sqlite3  *db,
      gpointer  user_data,
      GError  **error)
{
  FillData *data = user_data;

  return yun_catalog_generator_fill (db, data->seed, data->n_apps, error);
}

typedef struct {
  char *webapps_dir;
  char *packages_dir;
} ReadyData;

static void
ready_data_free (ReadyData *data)
{
  g_free (data->webapps_dir);
  g_free (data->packages_dir);
  g_free (data);
}

static gboolean
on_ready (YunCloudDb  *db,
          gpointer     user_data,
          GError     **error)
{
  ReadyData *data = user_data;

  return yun_catalog_import_builtins (db, data->webapps_dir, data->packages_dir, error);
}

/**
 * yun_catalog_new:
 * @path: (type filename): the catalog's database file
 * @seed: the generator's seed, used only if the file is new
 * @n_apps: how many apps to generate if the file is new
 * @webapps_dir: (type filename): the built-in apps, packed into
 *   @packages_dir and listed when the catalog is first opened
 * @packages_dir: (type filename): where their packages go
 *
 * Returns: (transfer full): the catalog, opened (and generated, the first
 *   time) by yun_cloud_db_ensure_open ()
 */
YunCloudDb *
yun_catalog_new (const char *path,
                 guint32     seed,
                 guint       n_apps,
                 const char *webapps_dir,
                 const char *packages_dir)
{
  FillData *fill_data = g_new0 (FillData, 1);
  ReadyData *ready_data = g_new0 (ReadyData, 1);
  YunCloudDb *db;

  fill_data->seed = seed;
  fill_data->n_apps = n_apps;
  ready_data->webapps_dir = g_strdup (webapps_dir);
  ready_data->packages_dir = g_strdup (packages_dir);

  db = yun_cloud_db_new (path, yun_catalog_schema, fill, fill_data, g_free);
  yun_cloud_db_set_ready_func (db, on_ready, ready_data, (GDestroyNotify) ready_data_free);
  return db;
}

/**
 * yun_catalog_open:
 * @path: (type filename): the catalog's database file
 * @seed: the generator's seed, used only if the file is new
 * @n_apps: how many apps to generate if the file is new
 * @error: return location for a #GError
 *
 * Opens the catalog, generating its apps the first time.
 *
 * Returns: (transfer full) (nullable): the catalog's database
 */
YunCloudDb *
yun_catalog_open (const char  *path,
                  guint32      seed,
                  guint        n_apps,
                  GError     **error)
{
  FillData data = { seed, n_apps };

  return yun_cloud_db_open (path, yun_catalog_schema, fill, &data, error);
}

/* Returns: (transfer full): where the package of built-in app @app_id is */
char *
yun_catalog_package_path (const char *packages_dir,
                          const char *app_id)
{
  g_autofree char *name = g_strconcat (app_id, ".zip", NULL);

  return g_build_filename (packages_dir, name, NULL);
}

static const char *
object_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The icon URL of a built-in app: its manifest's first icon when that is a
 * plain relative path, served from the app's folder. */
static char *
builtin_icon (const char *id,
              JsonObject *manifest)
{
  JsonNode *icons = json_object_get_member (manifest, "icons");
  JsonArray *array;
  const char *src;

  if (icons == NULL || !JSON_NODE_HOLDS_ARRAY (icons))
    return NULL;
  array = json_node_get_array (icons);
  if (json_array_get_length (array) == 0 ||
      !JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, 0)))
    return NULL;
  src = object_string (json_array_get_object_element (array, 0), "src");
  if (src == NULL || strchr (src, ':') != NULL || src[0] == '/' || strstr (src, "..") != NULL)
    return NULL;
  if (g_str_has_prefix (src, "./"))
    src += 2;
  return g_strconcat ("/apps/", id, "/", src, NULL);
}

static gboolean
is_category (sqlite3    *db,
             const char *id)
{
  g_autoptr(sqlite3_stmt) stmt = yun_cloud_db_prepare (db, "SELECT 1 FROM categories WHERE id = ?",
                                                       NULL);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

typedef struct {
  char *id;
  char *manifest_text;
  JsonObject *manifest;
  YunManifest *checked;
  char *sha256;
  gsize size;
} Builtin;

static void
builtin_free (Builtin *builtin)
{
  g_free (builtin->id);
  g_free (builtin->manifest_text);
  g_clear_pointer (&builtin->manifest, json_object_unref);
  g_clear_object (&builtin->checked);
  g_free (builtin->sha256);
  g_free (builtin);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Builtin, builtin_free)

/* Reads, checks and packs the app in @dir, writing its package.  An app
 * that is not valid is skipped with a warning rather than failing the
 * whole start: the others are still worth serving. */
static Builtin *
pack_builtin (const char  *webapps_dir,
              const char  *id,
              const char  *packages_dir,
              GError     **error)
{
  g_autoptr(Builtin) builtin = g_new0 (Builtin, 1);
  g_autofree char *dir = g_build_filename (webapps_dir, id, NULL);
  g_autofree char *manifest_path = g_build_filename (dir, "manifest.json", NULL);
  g_autofree char *manifest_url = g_strconcat (CHECK_ORIGIN "/apps/", id, "/manifest.json", NULL);
  g_autofree char *package_path = yun_catalog_package_path (packages_dir, id);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) zip = NULL;
  gsize length;

  builtin->id = g_strdup (id);

  if (!g_file_get_contents (manifest_path, &builtin->manifest_text, &length, error))
    return NULL;
  builtin->checked = yun_manifest_new_from_data (builtin->manifest_text, length, manifest_url,
                                                 error);
  if (builtin->checked == NULL || !json_parser_load_from_data (parser, builtin->manifest_text,
                                                               length, error))
    return NULL;
  builtin->manifest = json_object_ref (json_node_get_object (json_parser_get_root (parser)));

  zip = yun_package_pack_directory (dir, NULL, error);
  if (zip == NULL)
    return NULL;
  builtin->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, zip);
  builtin->size = g_bytes_get_size (zip);

  if (!g_file_set_contents (package_path, g_bytes_get_data (zip, NULL), builtin->size, error))
    return NULL;

  return g_steal_pointer (&builtin);
}

static gboolean
upsert_builtin (sqlite3  *db,
                Builtin  *builtin,
                GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *icon = builtin_icon (builtin->id, builtin->manifest);
  const char *description = yun_manifest_get_description (builtin->checked);
  const char *version = object_string (builtin->manifest, "version");
  const char *color = yun_manifest_get_theme_color (builtin->checked);
  const char * const *manifest_categories = yun_manifest_get_categories (builtin->checked);
  const char *category = "utilities";

  for (guint i = 0; manifest_categories != NULL && manifest_categories[i] != NULL; i++) {
    if (is_category (db, manifest_categories[i])) {
      category = manifest_categories[i];
      break;
    }
  }

  stmt = yun_cloud_db_prepare (db,
                               "INSERT INTO apps (id, name, developer, category, summary,"
                               "  description, version, size, manifest, color, accent,"
                               "  screenshots, ratings_count, ratings_sum, downloads, updated,"
                               "  builtin, icon, sha256)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, ?7, ?8, ?9, ?9, 3, 0, 0, 0,"
                               "         strftime ('%s', 'now'), 1, ?10, ?11)"
                               " ON CONFLICT (id) DO UPDATE SET"
                               "  name = excluded.name, developer = excluded.developer,"
                               "  category = excluded.category, summary = excluded.summary,"
                               "  description = excluded.description,"
                               "  version = excluded.version, size = excluded.size,"
                               "  manifest = excluded.manifest, color = excluded.color,"
                               "  accent = excluded.accent, icon = excluded.icon, builtin = 1,"
                               "  updated = CASE WHEN sha256 IS excluded.sha256 THEN updated"
                               "            ELSE excluded.updated END,"
                               "  sha256 = excluded.sha256",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, builtin->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, yun_manifest_get_name (builtin->checked), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, YUN_CATALOG_BUILTIN_DEVELOPER, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, category, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, description != NULL ? description : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, version != NULL ? version : "1.0.0", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 7, builtin->size);
  sqlite3_bind_text (stmt, 8, builtin->manifest_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, color != NULL ? color : "#1c6e8c", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 10, icon, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 11, builtin->sha256, -1, SQLITE_TRANSIENT);

  return yun_cloud_db_step_done (stmt, error);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The sorted names of the app folders under @webapps_dir. */
static GPtrArray *
list_app_folders (const char  *webapps_dir,
                  GError     **error)
{
  g_autoptr(GDir) dir = g_dir_open (webapps_dir, 0, error);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    return NULL;

  while ((name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *path = g_build_filename (webapps_dir, name, "manifest.json", NULL);

    if (yun_app_id_is_valid (name) && g_file_test (path, G_FILE_TEST_IS_REGULAR))
      g_ptr_array_add (ids, g_strdup (name));
  }
  g_ptr_array_sort (ids, compare_names);
  return g_steal_pointer (&ids);
}

/**
 * yun_catalog_import_builtins:
 * @db: the catalog
 * @webapps_dir: (type filename): the web apps folder
 * @packages_dir: (type filename): where to write their packages
 * @error: return location for a #GError
 *
 * Packs every app of @webapps_dir with the project's own packer, writes
 * the packages and makes each a catalog entry with the package's SHA-256;
 * entries of built-in apps no longer there are removed.  An app that does
 * not validate is left out with a warning.
 *
 * Returns: %TRUE on success
 */
gboolean
yun_catalog_import_builtins (YunCloudDb  *db,
                             const char  *webapps_dir,
                             const char  *packages_dir,
                             GError     **error)
{
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) builtins = g_ptr_array_new_with_free_func ((GDestroyNotify) builtin_free);
  sqlite3 *handle;
  gboolean ok;

  g_return_val_if_fail (YUN_IS_CLOUD_DB (db), FALSE);

  if (g_mkdir_with_parents (packages_dir, 0700) != 0) {
    int saved_errno = errno;

    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                 "Could not create %s: %s", packages_dir, g_strerror (saved_errno));
    return FALSE;
  }

  ids = list_app_folders (webapps_dir, error);
  if (ids == NULL)
    return FALSE;

  /* Pack outside the lock: it is the slow part. */
  for (guint i = 0; i < ids->len; i++) {
    g_autoptr(GError) local_error = NULL;
    Builtin *builtin = pack_builtin (webapps_dir, g_ptr_array_index (ids, i), packages_dir,
                                     &local_error);

    if (builtin == NULL)
      g_message ("Leaving the web app %s out of the store: %s",
                 (const char *) g_ptr_array_index (ids, i), local_error->message);
    else
      g_ptr_array_add (builtins, builtin);
  }

  handle = yun_cloud_db_lock (db);
  ok = yun_cloud_db_exec (handle, "BEGIN IMMEDIATE;"
                                  "UPDATE apps SET builtin = 2 WHERE builtin = 1;", error);
  for (guint i = 0; ok && i < builtins->len; i++)
    ok = upsert_builtin (handle, g_ptr_array_index (builtins, i), error);
  ok = ok && yun_cloud_db_exec (handle, "DELETE FROM apps WHERE builtin = 2; COMMIT;", error);
  if (!ok)
    sqlite3_exec (handle, "ROLLBACK", NULL, NULL, NULL);
  yun_cloud_db_unlock (db);

  return ok;
}
