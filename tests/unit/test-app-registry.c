/* test-app-registry.c: the app registry's rows, schema and folders, on real
 * SQLite files in a temporary profile.
 *
 * Interrupted installs are built here by hand, in the shapes the journal
 * protocol described in yun-app-registry.c can leave them; the installer's
 * tests kill real installs at every step.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-app-registry.h"
#include "yun-app-registry-private.h"
#include "yun-test-files.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include <string.h>

#define TIMEOUT_SECONDS 10
#define MANIFEST_URL "https://example.com/hello/manifest.json"
#define MANIFEST "{\"name\": \"Hello\", \"start_url\": \"index.html\"}"
#define MANIFEST_2 "{\"name\": \"Hello 2\", \"start_url\": \"index.html\"}"

typedef struct {
  char *profile;
  char *apps;
  char *database;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->profile = g_dir_make_tmp ("yun-app-registry-XXXXXX", NULL);
  g_assert_nonnull (fixture->profile);
  fixture->apps = g_build_filename (fixture->profile, "apps", NULL);
  fixture->database = g_build_filename (fixture->profile, "registry.sqlite", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  yun_test_remove_tree (fixture->profile);
  g_free (fixture->database);
  g_free (fixture->apps);
  g_free (fixture->profile);
}

static gboolean
on_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_for (GAsyncResult **result)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add_seconds (TIMEOUT_SECONDS, on_timeout, &timed_out);

  while (*result == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout_id);
}

static void
on_ready (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static YunAppRegistry *
open_registry (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  YunAppRegistry *registry = yun_app_registry_open (fixture->profile, &error);

  g_assert_no_error (error);
  g_assert_nonnull (registry);
  return registry;
}

static char *
read_file (const char *dir,
           const char *relative_path)
{
  g_autofree char *path = g_build_filename (dir, relative_path, NULL);
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  return contents;
}

static gboolean
exists (const char *dir,
        const char *relative_path)
{
  g_autofree char *path = g_build_filename (dir, relative_path, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* The names in a folder, sorted, separated by spaces. */
static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static char *
list_sorted (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static char *
query_text (Fixture    *fixture,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *statement = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_open_v2 (fixture->database, &db, SQLITE_OPEN_READWRITE, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &statement, NULL), ==, SQLITE_OK);
  if (sqlite3_step (statement) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (statement, 0));
  sqlite3_finalize (statement);
  sqlite3_close (db);
  return text;
}

static void
exec_sql (Fixture    *fixture,
          const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (fixture->database, &db, SQLITE_OPEN_READWRITE, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
test_open_creates_schema (Fixture       *fixture,
                          gconstpointer  data)
{
  YunAppRegistry *registry = open_registry (fixture);
  g_autoptr(GPtrArray) records = yun_app_registry_list (registry);
  g_autofree char *version = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *app_dir = NULL;

  g_assert_cmpuint (records->len, ==, 0);
  g_assert_cmpstr (yun_app_registry_get_profile_dir (registry), ==, fixture->profile);
  app_dir = yun_app_registry_dup_app_dir (registry, "hello");
  g_assert_true (g_str_has_prefix (app_dir, fixture->apps));
  g_assert_true (g_str_has_suffix (app_dir, "/hello"));
  g_assert_null (yun_app_registry_dup_app_dir (registry, "../hello"));
  g_assert_finalize_object (registry);

  g_assert_true (g_file_test (fixture->database, G_FILE_TEST_IS_REGULAR));
  version = query_text (fixture, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, "1");
  mode = query_text (fixture, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
}

static void
test_rows_round_trip (Fixture       *fixture,
                      gconstpointer  data)
{
  YunAppRegistry *registry = open_registry (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(YunAppRecord) record = NULL;
  g_autoptr(YunAppRecord) updated = NULL;
  g_autoptr(YunAppRecord) got = NULL;
  g_autoptr(GPtrArray) records = NULL;
  gint64 before = g_get_real_time ();

  record = yun_app_registry_install (registry, "hello", YUN_APP_SOURCE_HOSTED, MANIFEST_URL,
                                     MANIFEST, "v1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (record->id, ==, "hello");
  g_assert_cmpstr (record->origin, ==, "https://example.com");
  g_assert_cmpstr (record->manifest_url, ==, MANIFEST_URL);
  g_assert_cmpstr (record->manifest_text, ==, MANIFEST);
  g_assert_cmpstr (yun_manifest_get_name (record->manifest), ==, "Hello");
  g_assert_cmpstr (yun_manifest_get_start_url (record->manifest), ==,
                   "https://example.com/hello/index.html");
  g_assert_cmpstr (record->version, ==, "v1");
  g_assert_cmpint (record->source, ==, YUN_APP_SOURCE_HOSTED);
  g_assert_cmpint (record->installed_at, >=, before);
  g_assert_cmpint (record->updated_at, ==, record->installed_at);

  got = yun_app_registry_install (registry, "packed", YUN_APP_SOURCE_PACKAGED,
                                  "app://packed/manifest.json", MANIFEST, "1.0", &error);
  g_assert_no_error (error);
  g_clear_pointer (&got, yun_app_record_free);

  /* Records are copies. */
  g_free (record->version);
  record->version = g_strdup ("changed");
  got = yun_app_registry_get (registry, "hello");
  g_assert_cmpstr (got->version, ==, "v1");
  g_clear_pointer (&got, yun_app_record_free);

  g_usleep (2000);
  updated = yun_app_registry_update (registry, "hello", YUN_APP_SOURCE_HOSTED, MANIFEST_URL,
                                     MANIFEST_2, "v2", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (updated->version, ==, "v2");
  g_assert_cmpstr (yun_manifest_get_name (updated->manifest), ==, "Hello 2");
  g_assert_cmpint (updated->installed_at, ==, record->installed_at);
  g_assert_cmpint (updated->updated_at, >, record->installed_at);
  g_assert_finalize_object (registry);

  /* Everything is read back, and the manifest processed again. */
  registry = open_registry (fixture);
  records = yun_app_registry_list (registry);
  g_assert_cmpuint (records->len, ==, 2);
  got = yun_app_record_copy (g_ptr_array_index (records, 0));
  g_assert_cmpstr (got->id, ==, "hello");
  g_assert_cmpstr (got->version, ==, "v2");
  g_assert_cmpstr (got->manifest_text, ==, MANIFEST_2);
  g_assert_cmpstr (yun_manifest_get_name (got->manifest), ==, "Hello 2");
  g_assert_cmpint (got->installed_at, ==, updated->installed_at);
  g_assert_cmpint (got->updated_at, ==, updated->updated_at);
  g_clear_pointer (&got, yun_app_record_free);

  got = yun_app_record_copy (g_ptr_array_index (records, 1));
  g_assert_cmpstr (got->id, ==, "packed");
  g_assert_cmpstr (got->origin, ==, "app://packed");
  g_assert_cmpint (got->source, ==, YUN_APP_SOURCE_PACKAGED);
  g_assert_cmpstr (yun_manifest_get_start_url (got->manifest), ==, "app://packed/index.html");
  g_clear_pointer (&got, yun_app_record_free);
  g_clear_pointer (&records, g_ptr_array_unref);

  g_assert_true (yun_app_registry_uninstall (registry, "hello", &error));
  g_assert_no_error (error);
  g_assert_null (yun_app_registry_get (registry, "hello"));
  g_assert_finalize_object (registry);

  registry = open_registry (fixture);
  g_assert_null (yun_app_registry_get (registry, "hello"));
  got = yun_app_registry_get (registry, "packed");
  g_assert_nonnull (got);
  g_assert_finalize_object (registry);
}

static void
test_refusals_change_nothing (Fixture       *fixture,
                              gconstpointer  data)
{
  YunAppRegistry *registry = open_registry (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(YunAppRecord) record = NULL;
  g_autoptr(GPtrArray) records = NULL;
  const char *bad_ids[] = { "", "Hello", "-hello", ".hello", "..", "a/b", "a b", "hé",
                            /* 65 characters */
                            "a2345678901234567890123456789012345678901234567890123456789012345" };

  for (guint i = 0; i < G_N_ELEMENTS (bad_ids); i++) {
    g_assert_false (yun_app_id_is_valid (bad_ids[i]));
    record = yun_app_registry_install (registry, bad_ids[i], YUN_APP_SOURCE_HOSTED, MANIFEST_URL,
                                       MANIFEST, "v1", &error);
    g_assert_error (error, YUN_APP_REGISTRY_ERROR, YUN_APP_REGISTRY_ERROR_BAD_ID);
    g_assert_null (record);
    g_clear_error (&error);
  }
  g_assert_true (yun_app_id_is_valid ("a"));
  g_assert_true (yun_app_id_is_valid ("0.a_b-c"));
  /* 64 characters */
  g_assert_true (yun_app_id_is_valid ("a23456789012345678901234567890123456789"
                                      "0123456789012345678901234"));

  record = yun_app_registry_install (registry, "hello", YUN_APP_SOURCE_HOSTED, MANIFEST_URL,
                                     "{\"name\": 3}", "v1", &error);
  g_assert_error (error, YUN_APP_REGISTRY_ERROR, YUN_APP_REGISTRY_ERROR_INVALID_MANIFEST);
  g_assert_nonnull (strstr (error->message, "name"));
  g_clear_error (&error);

  record = yun_app_registry_update (registry, "hello", YUN_APP_SOURCE_HOSTED, MANIFEST_URL,
                                    MANIFEST, "v1", &error);
  g_assert_error (error, YUN_APP_REGISTRY_ERROR, YUN_APP_REGISTRY_ERROR_NOT_INSTALLED);
  g_clear_error (&error);

  g_assert_false (yun_app_registry_uninstall (registry, "hello", &error));
  g_assert_error (error, YUN_APP_REGISTRY_ERROR, YUN_APP_REGISTRY_ERROR_NOT_INSTALLED);
  g_clear_error (&error);

  record = yun_app_registry_install (registry, "hello", YUN_APP_SOURCE_HOSTED, MANIFEST_URL,
                                     MANIFEST, "v1", &error);
  g_assert_no_error (error);
  g_clear_pointer (&record, yun_app_record_free);

  record = yun_app_registry_install (registry, "hello", YUN_APP_SOURCE_HOSTED, MANIFEST_URL,
                                     MANIFEST_2, "v2", &error);
  g_assert_error (error, YUN_APP_REGISTRY_ERROR, YUN_APP_REGISTRY_ERROR_EXISTS);
  g_clear_error (&error);

  /* An update to a manifest that does not process keeps the old row. */
  record = yun_app_registry_update (registry, "hello", YUN_APP_SOURCE_HOSTED, MANIFEST_URL,
                                    "[]", "v2", &error);
  g_assert_error (error, YUN_APP_REGISTRY_ERROR, YUN_APP_REGISTRY_ERROR_INVALID_MANIFEST);
  g_clear_error (&error);
  g_assert_finalize_object (registry);

  registry = open_registry (fixture);
  records = yun_app_registry_list (registry);
  g_assert_cmpuint (records->len, ==, 1);
  record = yun_app_record_copy (g_ptr_array_index (records, 0));
  g_assert_cmpstr (record->version, ==, "v1");
  g_assert_cmpstr (record->manifest_text, ==, MANIFEST);
  g_assert_finalize_object (registry);
}

static void
test_newer_schema_is_refused (Fixture       *fixture,
                              gconstpointer  data)
{
  YunAppRegistry *registry = open_registry (fixture);
  g_autoptr(GError) error = NULL;

  g_assert_finalize_object (registry);
  exec_sql (fixture, "PRAGMA user_version = 99");

  registry = yun_app_registry_open (fixture->profile, &error);
  g_assert_error (error, YUN_APP_REGISTRY_ERROR, YUN_APP_REGISTRY_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "newer"));
  g_assert_null (registry);
}

static void
test_not_a_database_is_refused (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  YunAppRegistry *registry;

  yun_test_write_file (fixture->profile, "registry.sqlite",
              "this is not a database, but it is long enough to look like a header at least", -1);
  registry = yun_app_registry_open (fixture->profile, &error);
  g_assert_error (error, YUN_APP_REGISTRY_ERROR, YUN_APP_REGISTRY_ERROR_CORRUPT);
  g_assert_null (registry);
}

static void
test_open_async (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  YunAppRegistry *registry;

  yun_app_registry_open_async (fixture->profile, NULL, on_ready, &result);
  wait_for (&result);
  registry = yun_app_registry_open_finish (result, &error);
  g_assert_no_error (error);
  g_assert_true (YUN_IS_APP_REGISTRY (registry));
  g_clear_object (&result);
  g_assert_finalize_object (registry);
}

static void
test_uninstall_removes_folder (Fixture       *fixture,
                               gconstpointer  data)
{
  YunAppRegistry *registry = open_registry (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(YunAppRecord) record = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *left = NULL;

  record = yun_app_registry_install (registry, "hello", YUN_APP_SOURCE_HOSTED, MANIFEST_URL,
                                     MANIFEST, "v1", &error);
  g_assert_no_error (error);
  dir = yun_app_registry_dup_app_dir (registry, "hello");
  yun_test_write_file (dir, "offline/index.json", "{}", -1);
  yun_test_write_file (dir, "data/localstorage/x", "secret", -1);
  yun_test_write_file (dir, "cache/y", "cached", -1);

  g_assert_true (yun_app_registry_uninstall (registry, "hello", &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  left = list_sorted (fixture->apps);
  g_assert_cmpstr (left, ==, "");
  g_assert_finalize_object (registry);
}

static void
test_garbage_is_collected_at_open (Fixture       *fixture,
                                   gconstpointer  data)
{
  YunAppRegistry *registry = open_registry (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(YunAppRecord) record = NULL;
  g_autofree char *left = NULL;

  record = yun_app_registry_install (registry, "kept", YUN_APP_SOURCE_HOSTED, MANIFEST_URL,
                                     MANIFEST, "v1", &error);
  g_assert_no_error (error);
  g_assert_finalize_object (registry);

  /* What crashes leave: a folder whose row is gone, staging and trash
   * folders; and things the registry does not know, which stay. */
  yun_test_write_file (fixture->apps, "kept/offline/index.json", "{}", -1);
  yun_test_write_file (fixture->apps, "kept/data/x", "kept data", -1);
  yun_test_write_file (fixture->apps, "gone/package/manifest.json", MANIFEST, -1);
  yun_test_write_file (fixture->apps, "gone/data/x", "secret of an uninstalled app", -1);
  yun_test_write_file (fixture->apps, ".staging-kept-AbC123/offline/file", "half a download", -1);
  yun_test_write_file (fixture->apps, ".trash-gone-XyZ789/data/x", "half removed", -1);
  yun_test_write_file (fixture->apps, "README", "not ours", -1);
  yun_test_write_file (fixture->apps, "Upper/x", "not an id", -1);

  registry = open_registry (fixture);
  left = list_sorted (fixture->apps);
  g_assert_cmpstr (left, ==, "README Upper kept");
  g_assert_true (exists (fixture->apps, "kept/offline/index.json"));
  g_assert_true (exists (fixture->apps, "kept/data/x"));
  g_assert_finalize_object (registry);
}

static void
test_collection_spares_busy_apps (Fixture       *fixture,
                                  gconstpointer  data)
{
  YunAppRegistry *registry = open_registry (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *staging = NULL;
  g_autofree char *left = NULL;

  g_assert_true (yun_app_registry_claim (registry, "busy", NULL, &error));
  g_assert_no_error (error);
  staging = yun_app_registry_make_staging (registry, "busy", &error);
  g_assert_no_error (error);
  yun_test_write_file (staging, "offline/file", "downloading", -1);
  yun_test_write_file (fixture->apps, "busy/data/x", "being installed", -1);

  g_assert_true (yun_app_registry_collect_garbage (registry, &error));
  g_assert_no_error (error);
  g_assert_true (exists (staging, "offline/file"));
  g_assert_true (exists (fixture->apps, "busy/data/x"));

  yun_app_registry_release (registry, "busy");
  g_assert_true (yun_app_registry_collect_garbage (registry, &error));
  g_assert_no_error (error);
  left = list_sorted (fixture->apps);
  g_assert_cmpstr (left, ==, "");
  g_assert_finalize_object (registry);
}

static void
test_collect_garbage_async (Fixture       *fixture,
                            gconstpointer  data)
{
  YunAppRegistry *registry = open_registry (fixture);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  yun_test_write_file (fixture->apps, "gone/data/x", "secret", -1);
  yun_app_registry_collect_garbage_async (registry, NULL, on_ready, &result);
  wait_for (&result);
  g_assert_true (yun_app_registry_collect_garbage_finish (registry, result, &error));
  g_assert_no_error (error);
  g_assert_false (exists (fixture->apps, "gone"));
  g_clear_object (&result);
  g_assert_finalize_object (registry);
}

static void
write_journal (Fixture    *fixture,
               const char *id,
               const char *token,
               const char *content,
               const char *previous)
{
  g_autofree char *dir = g_build_filename (fixture->apps, id, NULL);
  g_autofree char *text = g_strdup_printf ("{\"token\": \"%s\", \"content\": \"%s\", "
                                           "\"previous\": [%s]}", token, content, previous);

  yun_test_write_file (dir, ".install.json", text, -1);
}

static char *
row_token (Fixture    *fixture,
           const char *id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT install_token FROM apps WHERE id = '%s'", id);

  return query_text (fixture, sql);
}

/* Killed after the old package was set aside and the new one renamed in,
 * before the row: the old version comes back. */
static void
test_interrupted_update_rolls_back (Fixture       *fixture,
                                    gconstpointer  data)
{
  YunAppRegistry *registry = open_registry (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(YunAppRecord) record = NULL;
  g_autofree char *dir = g_build_filename (fixture->apps, "hello", NULL);
  g_autofree char *left = NULL;
  g_autofree char *contents = NULL;

  record = yun_app_registry_install (registry, "hello", YUN_APP_SOURCE_PACKAGED,
                                     "app://hello/manifest.json", MANIFEST, "1", &error);
  g_assert_no_error (error);
  g_assert_finalize_object (registry);

  yun_test_write_file (dir, ".old-package/index.html", "old", -1);
  yun_test_write_file (dir, "package/index.html", "new", -1);
  yun_test_write_file (dir, "data/x", "data", -1);
  write_journal (fixture, "hello", "not-the-row", "package", "\"package\"");

  registry = open_registry (fixture);
  left = list_sorted (dir);
  g_assert_cmpstr (left, ==, "data package");
  contents = read_file (dir, "package/index.html");
  g_assert_cmpstr (contents, ==, "old");
  g_clear_pointer (&contents, g_free);
  g_assert_finalize_object (registry);

  /* Killed before anything was set aside: nothing to undo. */
  write_journal (fixture, "hello", "not-the-row", "package", "\"package\"");
  registry = open_registry (fixture);
  contents = read_file (dir, "package/index.html");
  g_assert_cmpstr (contents, ==, "old");
  g_assert_false (exists (dir, ".install.json"));
  g_assert_finalize_object (registry);
}

/* Killed after the row was written: the new version stays, and what was
 * set aside goes. */
static void
test_interrupted_update_completes (Fixture       *fixture,
                                   gconstpointer  data)
{
  YunAppRegistry *registry = open_registry (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(YunAppRecord) record = NULL;
  g_autofree char *dir = g_build_filename (fixture->apps, "hello", NULL);
  g_autofree char *token = NULL;
  g_autofree char *left = NULL;
  g_autofree char *contents = NULL;

  record = yun_app_registry_install (registry, "hello", YUN_APP_SOURCE_PACKAGED,
                                     "app://hello/manifest.json", MANIFEST, "2", &error);
  g_assert_no_error (error);
  g_assert_finalize_object (registry);
  token = row_token (fixture, "hello");
  g_assert_nonnull (token);

  /* A hosted app became a packaged one. */
  yun_test_write_file (dir, ".old-offline/index.json", "{}", -1);
  yun_test_write_file (dir, "package/index.html", "new", -1);
  yun_test_write_file (dir, ".install.json.tmp", "{\"tok", -1);
  write_journal (fixture, "hello", token, "package", "\"offline\"");

  registry = open_registry (fixture);
  left = list_sorted (dir);
  g_assert_cmpstr (left, ==, "package");
  contents = read_file (dir, "package/index.html");
  g_assert_cmpstr (contents, ==, "new");
  g_assert_finalize_object (registry);
}

/* Killed during a first install, before its row: nothing is left. */
static void
test_interrupted_first_install_vanishes (Fixture       *fixture,
                                         gconstpointer  data)
{
  YunAppRegistry *registry;
  g_autofree char *left = NULL;

  yun_test_write_file (fixture->apps, "hello/package/index.html", "new", -1);
  write_journal (fixture, "hello", "never-committed", "package", "");
  yun_test_write_file (fixture->apps, ".staging-hello-q1w2e3/manifest.json", MANIFEST, -1);

  registry = open_registry (fixture);
  left = list_sorted (fixture->apps);
  g_assert_cmpstr (left, ==, "");
  g_assert_finalize_object (registry);
}

static void
test_damaged_journal_is_left_alone (Fixture       *fixture,
                                    gconstpointer  data)
{
  YunAppRegistry *registry = open_registry (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(YunAppRecord) record = NULL;
  g_autofree char *dir = g_build_filename (fixture->apps, "hello", NULL);

  record = yun_app_registry_install (registry, "hello", YUN_APP_SOURCE_PACKAGED,
                                     "app://hello/manifest.json", MANIFEST, "1", &error);
  g_assert_no_error (error);
  yun_test_write_file (dir, "package/index.html", "old", -1);
  yun_test_write_file (dir, ".old-package/index.html", "older", -1);
  yun_test_write_file (dir, ".install.json", "{\"token\": 1}", -1);

  /* Neither version can be told from the other, so nothing is removed. */
  g_assert_false (yun_app_registry_collect_garbage (registry, &error));
  g_assert_error (error, YUN_APP_REGISTRY_ERROR, YUN_APP_REGISTRY_ERROR_CORRUPT);
  g_assert_true (exists (dir, "package/index.html"));
  g_assert_true (exists (dir, ".old-package/index.html"));
  g_assert_finalize_object (registry);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/yun/services/app-registry/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)

  ADD ("open-creates-schema", test_open_creates_schema);
  ADD ("rows-round-trip", test_rows_round_trip);
  ADD ("refusals-change-nothing", test_refusals_change_nothing);
  ADD ("newer-schema-is-refused", test_newer_schema_is_refused);
  ADD ("not-a-database-is-refused", test_not_a_database_is_refused);
  ADD ("open-async", test_open_async);
  ADD ("uninstall-removes-folder", test_uninstall_removes_folder);
  ADD ("garbage-is-collected-at-open", test_garbage_is_collected_at_open);
  ADD ("collection-spares-busy-apps", test_collection_spares_busy_apps);
  ADD ("collect-garbage-async", test_collect_garbage_async);
  ADD ("interrupted-update-rolls-back", test_interrupted_update_rolls_back);
  ADD ("interrupted-update-completes", test_interrupted_update_completes);
  ADD ("interrupted-first-install-vanishes", test_interrupted_first_install_vanishes);
  ADD ("damaged-journal-is-left-alone", test_damaged_journal_is_left_alone);

#undef ADD

  return g_test_run ();
}
