/* test-app-installer.c: installing, updating and uninstalling packaged and
 * hosted apps into a temporary profile.
 *
 * Hosted apps come from a real SoupServer on 127.0.0.1, port 0, whose
 * files each test sets; packages are packed from temporary folders with
 * yun_package_pack_directory().
 *
 * The crash tests run this same program again as a child
 * (`test-app-installer --crash-child MODE PROFILE ID ...`) that installs
 * or uninstalls with YUN_INSTALLER_CRASH_AFTER=N, so that it SIGKILLs
 * itself at the N-th step that changes the disk, for N = 1, 2, ... until
 * an install completes; others are SIGKILLed by this process after a
 * random delay.  After each kill the profile is reopened and must hold the
 * complete old state or the complete new one, its database intact.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-app-installer.h"
#include "yun-app-registry.h"
#include "yun-app-registry-private.h"
#include "yun-package.h"
#include "yun-test-files.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sqlite3.h>

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#define TIMEOUT_SECONDS 20
#define ID "hello"

/* The minimum number of kills each crash test makes. */
#define MIN_CRASHES 20

typedef struct {
  char *content_type;
  GBytes *body;
  guint status;
} Route;

typedef struct {
  char *root;
  char *profile;
  char *apps;
  SoupServer *server;
  char *base_url;
  GHashTable *routes;
  SoupSession *session;
  YunAppRegistry *registry;
  YunAppInstaller *installer;
  guint n_packages;
} Fixture;

/* A package and what it holds. */
typedef struct {
  GBytes *zip;
  char *sha256;
  char *path;
  const char * const *files;
} Package;

/* The program itself, run again for the crash tests. */
static char *self_path;

/* Whether this process has a mount namespace of its own, where the
 * disk-full test may mount a small tmpfs; see main(). */
static gboolean private_mounts;

static const char * const package_v1[] = {
  "manifest.json", "{\"name\": \"Hello\", \"start_url\": \"index.html\", \"version\": \"1.0\"}",
  "index.html", "<!doctype html><title>Hello 1</title>",
  "js/app.js", "console.log ('one');",
  "js/old.js", "console.log ('only in one');",
  NULL
};

static const char * const package_v2[] = {
  "manifest.json", "{\"name\": \"Hello 2\", \"start_url\": \"index.html\", \"version\": \"2.0\"}",
  "index.html", "<!doctype html><title>Hello 2</title>",
  "js/app.js", "console.log ('two');",
  "css/app.css", "body { color: black; }",
  NULL
};

static const char * const package_no_version[] = {
  "manifest.json", "{\"name\": \"Hello\", \"start_url\": \"index.html\"}",
  "index.html", "<!doctype html><title>Hello</title>",
  NULL
};

#define HOSTED_MANIFEST_1 \
  "{\"name\": \"Hosted\", \"start_url\": \"index.html\", \"icons\": [" \
  "{\"src\": \"icon.png\", \"sizes\": \"48x48\", \"type\": \"image/png\"}," \
  "{\"src\": \"icon.svg\", \"sizes\": \"any\"}," \
  "{\"src\": \"icon.png\", \"sizes\": \"96x96\", \"purpose\": \"maskable\"}]}"
#define HOSTED_MANIFEST_2 \
  "{\"name\": \"Hosted 2\", \"start_url\": \"index.html?v=2\", \"icons\": [" \
  "{\"src\": \"icon2.png\", \"sizes\": \"48x48\"}]}"
#define HOSTED_PAGE_1 "<!doctype html><title>Hosted 1</title>"
#define HOSTED_PAGE_2 "<!doctype html><title>Hosted 2</title>"
#define ICON_PNG "\x89PNG\r\n\x1a\n one"
#define ICON_SVG "<svg xmlns='http://www.w3.org/2000/svg'/>"
#define ICON2_PNG "\x89PNG\r\n\x1a\n two"

static void
route_free (Route *route)
{
  g_free (route->content_type);
  g_bytes_unref (route->body);
  g_free (route);
}

static void
serve_bytes (Fixture    *fixture,
             const char *path,
             const char *content_type,
             GBytes     *body,
             guint       status)
{
  Route *route = g_new0 (Route, 1);

  route->content_type = g_strdup (content_type);
  route->body = g_bytes_ref (body);
  route->status = status;
  g_hash_table_replace (fixture->routes, g_strdup (path), route);
}

static void
serve (Fixture    *fixture,
       const char *path,
       const char *content_type,
       const char *body)
{
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  serve_bytes (fixture, path, content_type, bytes, SOUP_STATUS_OK);
}

static void
on_request (SoupServer        *server,
            SoupServerMessage *message,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Fixture *fixture = user_data;
  Route *route = g_hash_table_lookup (fixture->routes, path);
  gsize length;
  const char *data;

  if (route == NULL) {
    soup_server_message_set_status (message, SOUP_STATUS_NOT_FOUND, NULL);
    return;
  }

  data = g_bytes_get_data (route->body, &length);
  soup_server_message_set_status (message, route->status, NULL);
  soup_server_message_set_response (message, route->content_type, SOUP_MEMORY_COPY, data,
                                    length);
}

/* The hosted app, version 1 or 2, at /hosted/. */
static void
serve_hosted (Fixture *fixture,
              int      version)
{
  serve (fixture, "/hosted/manifest.json", "application/manifest+json",
         version == 1 ? HOSTED_MANIFEST_1 : HOSTED_MANIFEST_2);
  serve (fixture, "/hosted/index.html", "text/html; charset=utf-8",
         version == 1 ? HOSTED_PAGE_1 : HOSTED_PAGE_2);
  serve (fixture, "/hosted/icon.png", "image/png", ICON_PNG);
  serve (fixture, "/hosted/icon.svg", "image/svg+xml", ICON_SVG);
  serve (fixture, "/hosted/icon2.png", "image/png", ICON2_PNG);
}

static char *
url_for (Fixture    *fixture,
         const char *path)
{
  return g_strconcat (fixture->base_url, path, NULL);
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

static void
open_profile (Fixture *fixture)
{
  fixture->registry = open_registry (fixture);
  fixture->installer = yun_app_installer_new (fixture->registry, fixture->session);
}

/* A task run in a thread drops its reference to its source object in that
 * thread, possibly just after its callback ran here. */
static void
await_last_reference (gpointer object)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_SECONDS * G_USEC_PER_SEC;

  while (g_atomic_int_get (&G_OBJECT (object)->ref_count) > 1 &&
         g_get_monotonic_time () < deadline)
    g_usleep (1000);
}

static void
close_profile (Fixture *fixture)
{
  await_last_reference (fixture->installer);
  g_assert_finalize_object (fixture->installer);
  fixture->installer = NULL;
  g_assert_finalize_object (fixture->registry);
  fixture->registry = NULL;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;

  fixture->root = g_dir_make_tmp ("yun-app-installer-XXXXXX", NULL);
  g_assert_nonnull (fixture->root);
  fixture->profile = g_build_filename (fixture->root, "profile", NULL);
  fixture->apps = g_build_filename (fixture->profile, "apps", NULL);

  fixture->routes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) route_free);
  fixture->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->server, NULL, on_request, fixture, NULL);
  soup_server_listen_local (fixture->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (fixture->server);
  fixture->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));

  fixture->session = soup_session_new ();
  open_profile (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->registry != NULL)
    close_profile (fixture);
  g_clear_object (&fixture->session);
  soup_server_disconnect (fixture->server);
  g_assert_finalize_object (fixture->server);
  g_hash_table_unref (fixture->routes);
  yun_test_remove_tree (fixture->root);
  g_free (fixture->base_url);
  g_free (fixture->apps);
  g_free (fixture->profile);
  g_free (fixture->root);
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

static void
on_progress (const char *phase,
             double      fraction,
             gpointer    user_data)
{
  GPtrArray *reports = user_data;

  g_ptr_array_add (reports, g_strdup_printf ("%s %.2f", phase, fraction));
}

static YunAppRecord *
install_package_with (YunAppInstaller  *installer,
                      const char       *id,
                      Package          *package,
                      GPtrArray        *reports,
                      GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  yun_app_installer_install_package_async (installer, id, package->zip, NULL, package->sha256,
                                           NULL, reports != NULL ? on_progress : NULL, reports,
                                           on_ready, &result);
  wait_for (&result);
  return yun_app_installer_install_package_finish (installer, result, error);
}

static YunAppRecord *
install_package (Fixture  *fixture,
                 Package  *package,
                 GError  **error)
{
  return install_package_with (fixture->installer, ID, package, NULL, error);
}

static YunAppRecord *
install_hosted_with (YunAppInstaller  *installer,
                     const char       *url,
                     GCancellable     *cancellable,
                     GPtrArray        *reports,
                     GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  yun_app_installer_install_hosted_async (installer, ID, url, cancellable,
                                          reports != NULL ? on_progress : NULL, reports,
                                          on_ready, &result);
  wait_for (&result);
  return yun_app_installer_install_hosted_finish (installer, result, error);
}

static YunAppRecord *
install_hosted (Fixture     *fixture,
                const char  *path,
                GError     **error)
{
  g_autofree char *url = url_for (fixture, path);

  return install_hosted_with (fixture->installer, url, NULL, NULL, error);
}

static gboolean
uninstall (Fixture     *fixture,
           const char  *id,
           GPtrArray   *reports,
           GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  yun_app_installer_uninstall_async (fixture->installer, id, NULL,
                                     reports != NULL ? on_progress : NULL, reports, on_ready,
                                     &result);
  wait_for (&result);
  return yun_app_installer_uninstall_finish (fixture->installer, result, error);
}

static Package *
make_package (Fixture            *fixture,
              const char * const *files)
{
  g_autofree char *name = g_strdup_printf ("package-%u", fixture->n_packages++);
  g_autofree char *dir = g_build_filename (fixture->root, name, NULL);
  g_autofree char *zip_name = g_strconcat (name, ".zip", NULL);
  g_autoptr(GError) error = NULL;
  Package *package = g_new0 (Package, 1);
  gsize length;
  const char *data;

  for (guint i = 0; files[i] != NULL; i += 2)
    yun_test_write_file (dir, files[i], files[i + 1], -1);
  package->zip = yun_package_pack_directory (dir, NULL, &error);
  g_assert_no_error (error);
  package->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, package->zip);
  package->files = files;

  package->path = g_build_filename (fixture->root, zip_name, NULL);
  data = g_bytes_get_data (package->zip, &length);
  yun_test_write_file (fixture->root, zip_name, data, length);
  yun_test_remove_tree (dir);
  return package;
}

static void
package_free (Package *package)
{
  g_bytes_unref (package->zip);
  g_free (package->sha256);
  g_free (package->path);
  g_free (package);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Package, package_free)

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The names in a folder, sorted, separated by spaces; "" when it is empty
 * or missing. */
static char *
list_dir (const char *dir)
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

static void
collect_files (const char *top,
               const char *relative,
               GPtrArray  *paths)
{
  g_autofree char *dir = g_build_filename (top, relative, NULL);
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL) {
    g_autofree char *child = *relative != '\0' ? g_strconcat (relative, "/", name, NULL) :
                             g_strdup (name);
    g_autofree char *path = g_build_filename (top, child, NULL);

    if (g_file_test (path, G_FILE_TEST_IS_DIR))
      collect_files (top, child, paths);
    else
      g_ptr_array_add (paths, g_steal_pointer (&child));
  }
}

/* The folder holds exactly @files, with their contents. */
static gboolean
tree_matches (const char         *dir,
              const char * const *files)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  guint n_files = 0;

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    return FALSE;
  collect_files (dir, "", paths);
  for (guint i = 0; files[i] != NULL; i += 2) {
    g_autofree char *path = g_build_filename (dir, files[i], NULL);
    g_autofree char *contents = NULL;

    if (!g_file_get_contents (path, &contents, NULL, NULL) ||
        !g_str_equal (contents, files[i + 1]))
      return FALSE;
    n_files++;
  }
  return paths->len == n_files;
}

static void
assert_nothing_installed (Fixture *fixture)
{
  g_autoptr(GPtrArray) records = yun_app_registry_list (fixture->registry);
  g_autofree char *left = list_dir (fixture->apps);

  g_assert_cmpuint (records->len, ==, 0);
  g_assert_cmpstr (left, ==, "");

  /* Not in the database either. */
  close_profile (fixture);
  open_profile (fixture);
  g_clear_pointer (&records, g_ptr_array_unref);
  records = yun_app_registry_list (fixture->registry);
  g_assert_cmpuint (records->len, ==, 0);
}

/* After a refusal: P/apps holds the app's folder when it was installed
 * before, and nothing else: no staging folder, no half-made app. */
static void
assert_nothing_left (Fixture *fixture)
{
  g_autoptr(YunAppRecord) record = yun_app_registry_get (fixture->registry, ID);
  g_autofree char *left = list_dir (fixture->apps);

  g_assert_cmpstr (left, ==, record != NULL ? ID : "");
}

/* @id is installed from @package, and nothing else is in P/apps. */
static void
assert_package_installed (Fixture    *fixture,
                          const char *version,
                          Package    *package)
{
  g_autoptr(YunAppRecord) record = yun_app_registry_get (fixture->registry, ID);
  g_autofree char *dir = g_build_filename (fixture->apps, ID, "package", NULL);
  g_autofree char *left = list_dir (fixture->apps);

  g_assert_nonnull (record);
  g_assert_cmpstr (record->version, ==, version);
  g_assert_cmpint (record->source, ==, YUN_APP_SOURCE_PACKAGED);
  g_assert_true (tree_matches (dir, package->files));
  g_assert_cmpstr (left, ==, ID);
}

static void
assert_progress (GPtrArray          *reports,
                 const char * const *phases)
{
  double last = 0;
  guint next = 0;

  g_assert_cmpuint (reports->len, >, 0);
  for (guint i = 0; i < reports->len; i++) {
    const char *report = g_ptr_array_index (reports, i);
    const char *space = strchr (report, ' ');
    g_autofree char *phase = g_strndup (report, space - report);
    double fraction = g_ascii_strtod (space + 1, NULL);

    g_assert_cmpfloat (fraction, >=, last);
    last = fraction;
    /* Each phase appears, in order; a phase may report several times. */
    if (phases[next] != NULL && g_str_equal (phase, phases[next]))
      next++;
    else
      g_assert_cmpstr (phase, ==, phases[next - 1]);
  }
  g_assert_null (phases[next]);
  g_assert_cmpstr (g_ptr_array_index (reports, reports->len - 1), ==, "done 1.00");
}

static void
test_package_install (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(Package) package = make_package (fixture, package_v1);
  g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func (g_free);
  const char * const phases[] = { "verifying", "extracting", "installing", "done", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(YunAppRecord) record = NULL;
  g_autoptr(YunAppRecord) got = NULL;
  g_autofree char *app_dir = g_build_filename (fixture->apps, ID, NULL);
  g_autofree char *left = NULL;

  record = install_package_with (fixture->installer, ID, package, reports, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (record->id, ==, ID);
  g_assert_cmpstr (record->origin, ==, "app://" ID);
  g_assert_cmpstr (record->manifest_url, ==, "app://" ID "/manifest.json");
  g_assert_cmpstr (record->manifest_text, ==, package_v1[1]);
  g_assert_cmpstr (yun_manifest_get_start_url (record->manifest), ==, "app://" ID "/index.html");
  g_assert_cmpstr (record->version, ==, "1.0");
  g_assert_cmpint (record->source, ==, YUN_APP_SOURCE_PACKAGED);
  assert_progress (reports, phases);

  assert_package_installed (fixture, "1.0", package);
  left = list_dir (app_dir);
  g_assert_cmpstr (left, ==, "package");

  /* Recorded on disk, not just in memory. */
  close_profile (fixture);
  open_profile (fixture);
  got = yun_app_registry_get (fixture->registry, ID);
  g_assert_cmpstr (got->version, ==, "1.0");
  g_assert_cmpint (got->installed_at, ==, record->installed_at);
  assert_package_installed (fixture, "1.0", package);
}

static void
test_package_version_is_sha256 (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(Package) package = make_package (fixture, package_no_version);
  g_autoptr(GError) error = NULL;
  g_autoptr(YunAppRecord) record = NULL;
  g_autofree char *lower = g_strdup (package->sha256);

  /* The expected checksum may be in either case; the version is lower. */
  g_free (package->sha256);
  package->sha256 = g_ascii_strup (lower, -1);
  record = install_package (fixture, package, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (record->version, ==, lower);
}

static void
test_package_file_install (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(Package) package = make_package (fixture, package_v1);
  g_autoptr(GError) error = NULL;
  g_autoptr(YunAppRecord) record = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *missing = g_build_filename (fixture->root, "missing.zip", NULL);

  /* The blocking variant, which needs no main loop for a package. */
  record = yun_app_installer_install_package_file (fixture->installer, ID, missing,
                                                   package->sha256, NULL, NULL, NULL, &error);
  g_assert_error (error, YUN_APP_INSTALLER_ERROR, YUN_APP_INSTALLER_ERROR_DISK);
  g_assert_nonnull (strstr (error->message, g_strerror (ENOENT)));
  g_assert_null (record);
  g_clear_error (&error);

  record = yun_app_installer_install_package_file (fixture->installer, ID, package->path,
                                                   package->sha256, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&record, yun_app_record_free);
  assert_package_installed (fixture, "1.0", package);

  yun_app_installer_install_package_async (fixture->installer, "other", NULL, package->path,
                                           package->sha256, NULL, NULL, NULL, on_ready,
                                           &result);
  wait_for (&result);
  record = yun_app_installer_install_package_finish (fixture->installer, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (record->origin, ==, "app://other");
}

static void
assert_refused (Fixture     *fixture,
                const char  *id,
                Package     *package,
                const char  *sha256,
                int          code,
                const char  *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunAppRecord) record = NULL;
  g_autofree char *saved = g_strdup (package->sha256);

  g_free (package->sha256);
  package->sha256 = g_strdup (sha256 != NULL ? sha256 : saved);
  record = install_package_with (fixture->installer, id, package, NULL, &error);
  g_assert_error (error, YUN_APP_INSTALLER_ERROR, code);
  if (message != NULL && strstr (error->message, message) == NULL)
    g_error ("\"%s\" does not say \"%s\"", error->message, message);
  g_assert_null (record);
  assert_nothing_left (fixture);
  g_free (package->sha256);
  package->sha256 = g_steal_pointer (&saved);
}

static void
test_package_refusals (Fixture       *fixture,
                       gconstpointer  data)
{
  const char * const no_manifest[] = { "index.html", "<!doctype html>", NULL };
  const char * const bad_manifest[] = { "manifest.json", "{\"name\": 3}", NULL };
  const char * const bad_version[] = {
    "manifest.json", "{\"name\": \"Hello\", \"version\": 2}", NULL
  };
  g_autoptr(Package) good = make_package (fixture, package_v1);
  g_autoptr(Package) missing = make_package (fixture, no_manifest);
  g_autoptr(Package) invalid = make_package (fixture, bad_manifest);
  g_autoptr(Package) versioned = make_package (fixture, bad_version);
  g_autoptr(Package) not_zip = g_new0 (Package, 1);

  not_zip->zip = g_bytes_new_static ("not a zip", 9);
  not_zip->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, not_zip->zip);

  assert_refused (fixture, ID, good,
                  "00000000000000000000000000000000"
                  "00000000000000000000000000000000",
                  YUN_APP_INSTALLER_ERROR_CHECKSUM, "SHA-256");
  assert_refused (fixture, ID, good, "not hex", YUN_APP_INSTALLER_ERROR_CHECKSUM, "not hex");
  assert_refused (fixture, "Bad/Id", good, NULL, YUN_APP_INSTALLER_ERROR_BAD_ID, "Bad/Id");
  assert_refused (fixture, "..", good, NULL, YUN_APP_INSTALLER_ERROR_BAD_ID, NULL);
  assert_refused (fixture, ID, not_zip, NULL, YUN_APP_INSTALLER_ERROR_INVALID_PACKAGE,
                  "invalid package: ");
  assert_refused (fixture, ID, missing, NULL, YUN_APP_INSTALLER_ERROR_INVALID_PACKAGE,
                  "no manifest.json");
  assert_refused (fixture, ID, invalid, NULL, YUN_APP_INSTALLER_ERROR_INVALID_PACKAGE, "name");
  assert_refused (fixture, ID, versioned, NULL, YUN_APP_INSTALLER_ERROR_INVALID_MANIFEST,
                  "version: expected a string");
  assert_nothing_installed (fixture);
}

static void
test_package_update (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(Package) v1 = make_package (fixture, package_v1);
  g_autoptr(Package) v2 = make_package (fixture, package_v2);
  g_autoptr(GError) error = NULL;
  g_autoptr(YunAppRecord) first = NULL;
  g_autoptr(YunAppRecord) second = NULL;
  g_autofree char *app_dir = g_build_filename (fixture->apps, ID, NULL);
  g_autofree char *left = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *kept_path = g_build_filename (app_dir, "data", "localstorage", NULL);

  first = install_package (fixture, v1, &error);
  g_assert_no_error (error);
  /* The shell's web data, which updates keep. */
  yun_test_write_file (app_dir, "data/localstorage", "kept", -1);
  yun_test_write_file (app_dir, "cache/x", "kept", -1);

  g_usleep (2000);
  second = install_package (fixture, v2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (second->version, ==, "2.0");
  g_assert_cmpstr (yun_manifest_get_name (second->manifest), ==, "Hello 2");
  g_assert_cmpint (second->installed_at, ==, first->installed_at);
  g_assert_cmpint (second->updated_at, >, first->updated_at);

  assert_package_installed (fixture, "2.0", v2);
  left = list_dir (app_dir);
  g_assert_cmpstr (left, ==, "cache data package");
  g_assert_true (g_file_get_contents (kept_path, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, "kept");
}

/* Holds the database's write lock from another connection, so that the
 * registry's commit fails after the new files were swapped in. */
static sqlite3 *
lock_database (Fixture *fixture)
{
  g_autofree char *path = g_build_filename (fixture->profile, "registry.sqlite", NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  return db;
}

static void
unlock_database (sqlite3 *db)
{
  g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* Makes the registry's writes fail at once, like a full disk would, until
 * called again with @refuse FALSE. */
static void
refuse_writes (Fixture  *fixture,
               gboolean  refuse)
{
  g_autofree char *path = g_build_filename (fixture->profile, "registry.sqlite", NULL);
  sqlite3 *db = NULL;
  const char *sql = refuse ?
    "CREATE TRIGGER refuse_writes BEFORE INSERT ON apps "
    "BEGIN SELECT RAISE (ABORT, 'writes refused by the test'); END" :
    "DROP TRIGGER refuse_writes";

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
test_failed_update_keeps_old (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(Package) v1 = make_package (fixture, package_v1);
  g_autoptr(Package) v2 = make_package (fixture, package_v2);
  g_autoptr(GError) error = NULL;
  g_autoptr(YunAppRecord) record = NULL;
  g_autofree char *app_dir = g_build_filename (fixture->apps, ID, NULL);
  g_autofree char *left = NULL;
  sqlite3 *db;

  record = install_package (fixture, v1, &error);
  g_assert_no_error (error);
  g_clear_pointer (&record, yun_app_record_free);
  yun_test_write_file (app_dir, "data/localstorage", "kept", -1);

  assert_refused (fixture, ID, v2,
                  "11111111111111111111111111111111"
                  "11111111111111111111111111111111",
                  YUN_APP_INSTALLER_ERROR_CHECKSUM, NULL);
  assert_package_installed (fixture, "1.0", v1);

  /* The registry cannot commit: the files already swapped in go back. */
  db = lock_database (fixture);
  record = install_package (fixture, v2, &error);
  unlock_database (db);
  g_assert_error (error, YUN_APP_INSTALLER_ERROR, YUN_APP_INSTALLER_ERROR_DISK);
  g_assert_nonnull (strstr (error->message, "locked"));
  g_assert_null (record);
  g_clear_error (&error);

  assert_package_installed (fixture, "1.0", v1);
  left = list_dir (app_dir);
  g_assert_cmpstr (left, ==, "data package");
  close_profile (fixture);
  open_profile (fixture);
  assert_package_installed (fixture, "1.0", v1);

  /* A failed first install leaves nothing. */
  refuse_writes (fixture, TRUE);
  record = install_package_with (fixture->installer, "other", v2, NULL, &error);
  refuse_writes (fixture, FALSE);
  g_assert_error (error, YUN_APP_INSTALLER_ERROR, YUN_APP_INSTALLER_ERROR_DISK);
  g_assert_nonnull (strstr (error->message, "refused by the test"));
  g_assert_null (record);
  assert_package_installed (fixture, "1.0", v1);
}

static void
test_disk_error (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(Package) package = make_package (fixture, package_v1);
  g_autoptr(GError) error = NULL;
  g_autoptr(YunAppRecord) record = NULL;

  /* Where the apps folder should be, a file. */
  yun_test_write_file (fixture->profile, "apps", "in the way", -1);
  record = install_package (fixture, package, &error);
  g_assert_error (error, YUN_APP_INSTALLER_ERROR, YUN_APP_INSTALLER_ERROR_DISK);
  g_assert_nonnull (strstr (error->message, g_strerror (ENOTDIR)));
  g_assert_null (record);
  g_assert_null (yun_app_registry_get (fixture->registry, ID));
}

/* @length bytes of text that deflate cannot shrink much: base64 of random
 * bytes, so that a package holding it passes the zip-bomb ratio. */
static char *
random_text (gsize length)
{
  g_autofree guint32 *words = g_new (guint32, length / 4 + 1);
  char *text;

  for (gsize i = 0; i < length / 4 + 1; i++)
    words[i] = g_random_int ();
  text = g_base64_encode ((const guint8 *) words, (length / 4 + 1) * 4);
  text[length] = '\0';
  return text;
}

/* A real full disk: the profile on a tmpfs of 512 KiB, where a package or a
 * hosted start page of 1 MiB does not fit.  Each install fails with
 * NO_SPACE and leaves nothing: no staging folder, no row, the app
 * installed before untouched. */
static void
test_disk_full (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(Package) v1 = make_package (fixture, package_v1);
  g_autoptr(Package) big = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(YunAppRecord) record = NULL;
  g_autoptr(GBytes) page = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *text = random_text (1024 * 1024);
  g_autofree char *url = url_for (fixture, "/hosted/manifest.json");
  const char *files[] = {
    "manifest.json", "{\"name\": \"Big\", \"start_url\": \"index.html\", \"version\": \"9\"}",
    "index.html", "<!doctype html><title>Big</title>",
    "data.txt", text,
    NULL
  };

  if (!private_mounts) {
    g_test_skip ("no mount namespace of its own (needs CAP_SYS_ADMIN) to mount a small tmpfs");
    return;
  }
  close_profile (fixture);
  yun_test_mount_tmpfs (fixture->profile, 512);
  open_profile (fixture);

  record = install_package (fixture, v1, &error);
  g_assert_no_error (error);
  g_clear_pointer (&record, yun_app_record_free);

  /* An update too large for the disk. */
  big = make_package (fixture, files);
  record = install_package (fixture, big, &error);
  g_assert_error (error, YUN_APP_INSTALLER_ERROR, YUN_APP_INSTALLER_ERROR_NO_SPACE);
  g_assert_nonnull (strstr (error->message, g_strerror (ENOSPC)));
  g_assert_null (record);
  g_clear_error (&error);
  assert_package_installed (fixture, "1.0", v1);

  /* The same app moving to a hosted version whose start page does not fit. */
  serve_hosted (fixture, 1);
  page = g_bytes_new (text, strlen (text));
  serve_bytes (fixture, "/hosted/index.html", "text/html", page, SOUP_STATUS_OK);
  record = install_hosted_with (fixture->installer, url, NULL, NULL, &error);
  g_assert_error (error, YUN_APP_INSTALLER_ERROR, YUN_APP_INSTALLER_ERROR_NO_SPACE);
  g_assert_null (record);
  g_clear_error (&error);

  /* The registry still has the one app, also after reopening it. */
  close_profile (fixture);
  open_profile (fixture);
  records = yun_app_registry_list (fixture->registry);
  g_assert_cmpuint (records->len, ==, 1);
  assert_package_installed (fixture, "1.0", v1);

  close_profile (fixture);
  g_assert_cmpint (umount2 (fixture->profile, MNT_DETACH), ==, 0);
  open_profile (fixture);
}

static void
test_uninstall (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(Package) package = make_package (fixture, package_v1);
  g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func (g_free);
  const char * const phases[] = { "removing", "done", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(YunAppRecord) record = NULL;
  g_autofree char *app_dir = g_build_filename (fixture->apps, ID, NULL);

  record = install_package (fixture, package, &error);
  g_assert_no_error (error);
  yun_test_write_file (app_dir, "data/localstorage", "secret", -1);
  yun_test_write_file (app_dir, "cache/x", "cached", -1);

  g_assert_true (uninstall (fixture, ID, reports, &error));
  g_assert_no_error (error);
  assert_progress (reports, phases);
  assert_nothing_installed (fixture);

  g_assert_false (uninstall (fixture, ID, NULL, &error));
  g_assert_error (error, YUN_APP_INSTALLER_ERROR, YUN_APP_INSTALLER_ERROR_NOT_INSTALLED);
  g_clear_error (&error);

  g_assert_false (uninstall (fixture, "../" ID, NULL, &error));
  g_assert_error (error, YUN_APP_INSTALLER_ERROR, YUN_APP_INSTALLER_ERROR_BAD_ID);
}

static void
test_cancelled (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(Package) package = make_package (fixture, package_v1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(YunAppRecord) record = NULL;
  g_autofree char *url = url_for (fixture, "/hosted/manifest.json");

  g_cancellable_cancel (cancellable);
  yun_app_installer_install_package_async (fixture->installer, ID, package->zip, NULL,
                                           package->sha256, cancellable, NULL, NULL, on_ready,
                                           &result);
  wait_for (&result);
  record = yun_app_installer_install_package_finish (fixture->installer, result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (record);
  g_clear_error (&error);
  g_clear_object (&result);

  serve_hosted (fixture, 1);
  record = install_hosted_with (fixture->installer, url, cancellable, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (record);
  assert_nothing_installed (fixture);
}

/* Two installs of one app at once run one after the other. */
static void
test_concurrent_installs (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(Package) v1 = make_package (fixture, package_v1);
  g_autoptr(Package) v2 = make_package (fixture, package_v2);
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(YunAppRecord) record1 = NULL;
  g_autoptr(YunAppRecord) record2 = NULL;
  g_autoptr(YunAppRecord) record = NULL;

  for (int round = 0; round < 5; round++) {
    yun_app_installer_install_package_async (fixture->installer, ID, v1->zip, NULL, v1->sha256,
                                             NULL, NULL, NULL, on_ready, &first);
    yun_app_installer_install_package_async (fixture->installer, ID, v2->zip, NULL, v2->sha256,
                                             NULL, NULL, NULL, on_ready, &second);
    wait_for (&first);
    wait_for (&second);
    record1 = yun_app_installer_install_package_finish (fixture->installer, first, &error);
    g_assert_no_error (error);
    record2 = yun_app_installer_install_package_finish (fixture->installer, second, &error);
    g_assert_no_error (error);

    record = yun_app_registry_get (fixture->registry, ID);
    if (g_str_equal (record->version, "1.0"))
      assert_package_installed (fixture, "1.0", v1);
    else
      assert_package_installed (fixture, "2.0", v2);

    g_clear_object (&first);
    g_clear_object (&second);
    g_clear_pointer (&record1, yun_app_record_free);
    g_clear_pointer (&record2, yun_app_record_free);
    g_clear_pointer (&record, yun_app_record_free);
  }
}

/* The offline copy holds exactly start_url's document and the icons of
 * hosted @version. */
static gboolean
offline_matches (Fixture *fixture,
                 int      version)
{
  g_autofree char *dir = g_build_filename (fixture->apps, ID, "offline", NULL);
  g_autofree char *index_path = g_build_filename (dir, "index.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *start_url = NULL;
  g_autofree char *icon_png = url_for (fixture, "/hosted/icon.png");
  g_autofree char *icon_svg = url_for (fixture, "/hosted/icon.svg");
  g_autofree char *icon2_png = url_for (fixture, "/hosted/icon2.png");
  struct {
    const char *url;
    const char *content_type;
    const char *body;
  } expected_1[] = {
    { NULL, "text/html; charset=utf-8", HOSTED_PAGE_1 },
    { icon_png, "image/png", ICON_PNG },
    { icon_svg, "image/svg+xml", ICON_SVG },
  }, expected_2[] = {
    { NULL, "text/html; charset=utf-8", HOSTED_PAGE_2 },
    { icon2_png, "image/png", ICON2_PNG },
  }, *expected = version == 1 ? expected_1 : expected_2;
  guint n_expected = version == 1 ? G_N_ELEMENTS (expected_1) : G_N_ELEMENTS (expected_2);
  JsonObject *index;

  if (!json_parser_load_from_file (parser, index_path, NULL))
    return FALSE;
  index = json_node_get_object (json_parser_get_root (parser));
  if (json_object_get_size (index) != n_expected)
    return FALSE;

  start_url = url_for (fixture, version == 1 ? "/hosted/index.html" : "/hosted/index.html?v=2");
  expected[0].url = start_url;
  for (guint i = 0; i < n_expected; i++) {
    JsonObject *entry;
    g_autofree char *path = NULL;
    g_autofree char *contents = NULL;
    g_autofree char *name = g_compute_checksum_for_string (G_CHECKSUM_SHA256, expected[i].url,
                                                           -1);

    if (!json_object_has_member (index, expected[i].url))
      return FALSE;
    entry = json_object_get_object_member (index, expected[i].url);
    if (g_strcmp0 (json_object_get_string_member (entry, "file"), name) != 0 ||
        g_strcmp0 (json_object_get_string_member (entry, "content_type"),
                   expected[i].content_type) != 0)
      return FALSE;
    path = g_build_filename (dir, name, NULL);
    if (!g_file_get_contents (path, &contents, NULL, NULL) ||
        !g_str_equal (contents, expected[i].body))
      return FALSE;
  }

  collect_files (dir, "", files);
  return files->len == n_expected + 1;
}

static void
assert_hosted_installed (Fixture *fixture,
                         int      version)
{
  g_autoptr(YunAppRecord) record = yun_app_registry_get (fixture->registry, ID);
  g_autofree char *sha256 = NULL;
  g_autofree char *left = list_dir (fixture->apps);
  const char *manifest = version == 1 ? HOSTED_MANIFEST_1 : HOSTED_MANIFEST_2;

  g_assert_nonnull (record);
  sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, manifest, -1);
  g_assert_cmpstr (record->version, ==, sha256);
  g_assert_cmpstr (record->manifest_text, ==, manifest);
  g_assert_cmpint (record->source, ==, YUN_APP_SOURCE_HOSTED);
  g_assert_true (offline_matches (fixture, version));
  g_assert_cmpstr (left, ==, ID);
}

static void
test_hosted_install (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func (g_free);
  const char * const phases[] = { "fetching", "installing", "done", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(YunAppRecord) record = NULL;
  g_autofree char *url = url_for (fixture, "/hosted/manifest.json");
  g_autofree char *app_dir = g_build_filename (fixture->apps, ID, NULL);
  g_autofree char *left = NULL;

  serve_hosted (fixture, 1);
  record = install_hosted_with (fixture->installer, url, NULL, reports, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (record->origin, ==, fixture->base_url);
  g_assert_cmpstr (record->manifest_url, ==, url);
  g_assert_cmpstr (yun_manifest_get_name (record->manifest), ==, "Hosted");
  assert_progress (reports, phases);
  assert_hosted_installed (fixture, 1);
  left = list_dir (app_dir);
  g_assert_cmpstr (left, ==, "offline");

  close_profile (fixture);
  open_profile (fixture);
  assert_hosted_installed (fixture, 1);
}

static void
assert_hosted_refused (Fixture    *fixture,
                       const char *url,
                       int         code,
                       const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunAppRecord) record = NULL;

  record = install_hosted_with (fixture->installer, url, NULL, NULL, &error);
  g_assert_error (error, YUN_APP_INSTALLER_ERROR, code);
  if (strstr (error->message, message) == NULL)
    g_error ("\"%s\" does not say \"%s\"", error->message, message);
  g_assert_null (record);
  assert_nothing_left (fixture);
}

/* A port on 127.0.0.1 where nothing listens. */
static int
closed_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
test_hosted_failures (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *url = url_for (fixture, "/hosted/manifest.json");
  g_autofree char *missing = url_for (fixture, "/missing/manifest.json");
  g_autofree char *down = g_strdup_printf ("http://127.0.0.1:%d/manifest.json", closed_port ());
  g_autofree char *far_icon = g_strdup_printf ("{\"name\": \"Far\", \"start_url\": \"index.html\", "
                                               "\"icons\": [{\"src\": "
                                               "\"http://127.0.0.1:%d/icon.png\"}]}",
                                               closed_port ());
  g_autofree char *big = g_malloc0 (YUN_APP_INSTALLER_MAX_ICON_SIZE + 1);
  g_autofree char *huge_manifest = g_malloc0 (YUN_MANIFEST_MAX_BYTES + 2);
  g_autoptr(GBytes) big_icon = NULL;
  g_autoptr(GBytes) huge = NULL;

  assert_hosted_refused (fixture, missing, YUN_APP_INSTALLER_ERROR_NETWORK, "HTTP 404");
  assert_hosted_refused (fixture, down, YUN_APP_INSTALLER_ERROR_NETWORK, down);
  assert_hosted_refused (fixture, "file:///etc/passwd", YUN_APP_INSTALLER_ERROR_NETWORK,
                         "not an http");

  serve_hosted (fixture, 1);
  serve (fixture, "/hosted/manifest.json", "application/json", "{\"name\": 3}");
  assert_hosted_refused (fixture, url, YUN_APP_INSTALLER_ERROR_INVALID_MANIFEST, "name");

  serve (fixture, "/hosted/manifest.json", "application/json", "not json");
  assert_hosted_refused (fixture, url, YUN_APP_INSTALLER_ERROR_INVALID_MANIFEST, "manifest");

  memset (huge_manifest, ' ', YUN_MANIFEST_MAX_BYTES + 1);
  huge_manifest[0] = '{';
  huge_manifest[YUN_MANIFEST_MAX_BYTES] = '}';
  serve (fixture, "/hosted/manifest.json", "application/json", huge_manifest);
  assert_hosted_refused (fixture, url, YUN_APP_INSTALLER_ERROR_INVALID_MANIFEST, "larger than");

  serve_hosted (fixture, 1);
  big_icon = g_bytes_new (big, YUN_APP_INSTALLER_MAX_ICON_SIZE + 1);
  serve_bytes (fixture, "/hosted/icon.svg", "image/svg+xml", big_icon, SOUP_STATUS_OK);
  assert_hosted_refused (fixture, url, YUN_APP_INSTALLER_ERROR_INVALID_RESOURCE, "larger than");

  serve_hosted (fixture, 1);
  serve (fixture, "/hosted/icon.png", "text/html", "<!doctype html>");
  assert_hosted_refused (fixture, url, YUN_APP_INSTALLER_ERROR_INVALID_RESOURCE, "not an image");

  serve_hosted (fixture, 1);
  g_hash_table_remove (fixture->routes, "/hosted/icon.svg");
  assert_hosted_refused (fixture, url, YUN_APP_INSTALLER_ERROR_NETWORK, "HTTP 404");

  serve_hosted (fixture, 1);
  serve (fixture, "/hosted/index.html", "text/plain", "hello");
  assert_hosted_refused (fixture, url, YUN_APP_INSTALLER_ERROR_INVALID_RESOURCE,
                         "is text/plain, not text/html");

  serve_hosted (fixture, 1);
  huge = g_bytes_new (big, 0);
  serve_bytes (fixture, "/hosted/index.html", "text/html", huge, SOUP_STATUS_INTERNAL_SERVER_ERROR);
  assert_hosted_refused (fixture, url, YUN_APP_INSTALLER_ERROR_NETWORK, "HTTP 500");

  /* The network goes down between the manifest and an icon. */
  serve_hosted (fixture, 1);
  serve (fixture, "/hosted/manifest.json", "application/json", far_icon);
  assert_hosted_refused (fixture, url, YUN_APP_INSTALLER_ERROR_NETWORK, "could not download");

  assert_nothing_installed (fixture);
}

static void
test_hosted_update (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunAppRecord) record = NULL;
  g_autofree char *big = g_malloc0 (YUN_APP_INSTALLER_MAX_ICON_SIZE + 1);
  g_autoptr(GBytes) big_icon = g_bytes_new (big, YUN_APP_INSTALLER_MAX_ICON_SIZE + 1);
  g_autofree char *app_dir = g_build_filename (fixture->apps, ID, NULL);
  g_autofree char *left = NULL;

  serve_hosted (fixture, 1);
  record = install_hosted (fixture, "/hosted/manifest.json", &error);
  g_assert_no_error (error);
  g_clear_pointer (&record, yun_app_record_free);
  yun_test_write_file (app_dir, "data/localstorage", "kept", -1);

  /* Version 2 with an icon too big: version 1 stays. */
  serve_hosted (fixture, 2);
  serve_bytes (fixture, "/hosted/icon2.png", "image/png", big_icon, SOUP_STATUS_OK);
  record = install_hosted (fixture, "/hosted/manifest.json", &error);
  g_assert_error (error, YUN_APP_INSTALLER_ERROR, YUN_APP_INSTALLER_ERROR_INVALID_RESOURCE);
  g_clear_error (&error);
  assert_hosted_installed (fixture, 1);

  /* Version 2 that cannot be recorded: version 1 stays. */
  serve_hosted (fixture, 2);
  refuse_writes (fixture, TRUE);
  record = install_hosted (fixture, "/hosted/manifest.json", &error);
  refuse_writes (fixture, FALSE);
  g_assert_error (error, YUN_APP_INSTALLER_ERROR, YUN_APP_INSTALLER_ERROR_DISK);
  g_clear_error (&error);
  assert_hosted_installed (fixture, 1);

  record = install_hosted (fixture, "/hosted/manifest.json", &error);
  g_assert_no_error (error);
  assert_hosted_installed (fixture, 2);
  left = list_dir (app_dir);
  g_assert_cmpstr (left, ==, "data offline");
}

static void
test_hosted_becomes_packaged (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(Package) package = make_package (fixture, package_v1);
  g_autoptr(GError) error = NULL;
  g_autoptr(YunAppRecord) record = NULL;
  g_autofree char *app_dir = g_build_filename (fixture->apps, ID, NULL);
  g_autofree char *left = NULL;

  serve_hosted (fixture, 1);
  record = install_hosted (fixture, "/hosted/manifest.json", &error);
  g_assert_no_error (error);
  g_clear_pointer (&record, yun_app_record_free);

  record = install_package (fixture, package, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (record->origin, ==, "app://" ID);
  assert_package_installed (fixture, "1.0", package);
  left = list_dir (app_dir);
  g_assert_cmpstr (left, ==, "package");
  g_clear_pointer (&record, yun_app_record_free);
  g_clear_pointer (&left, g_free);

  record = install_hosted (fixture, "/hosted/manifest.json", &error);
  g_assert_no_error (error);
  assert_hosted_installed (fixture, 1);
  left = list_dir (app_dir);
  g_assert_cmpstr (left, ==, "offline");
}

/* The crash tests. */

typedef enum {
  STATE_NONE,
  STATE_PACKAGE_1,
  STATE_PACKAGE_2,
  STATE_HOSTED_1,
  STATE_HOSTED_2,
} State;

typedef struct {
  /* What the profile holds before the child runs. */
  State before;
  /* What the child makes of it. */
  State after;
  /* The child's arguments after the profile and the id. */
  const char *mode;
  const char *argument;
  const char *sha256;
  /* Whether to kill the child after a random delay rather than let it
   * kill itself. */
  gboolean random;
} Scenario;

static void
set_up_state (Fixture *fixture,
              State    state,
              Package *v1,
              Package *v2)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunAppRecord) record = NULL;
  g_autofree char *app_dir = g_build_filename (fixture->apps, ID, NULL);

  yun_test_remove_tree (fixture->profile);
  open_profile (fixture);
  if (state == STATE_PACKAGE_1 || state == STATE_PACKAGE_2) {
    record = install_package (fixture, state == STATE_PACKAGE_1 ? v1 : v2, &error);
  } else if (state == STATE_HOSTED_1 || state == STATE_HOSTED_2) {
    serve_hosted (fixture, state == STATE_HOSTED_1 ? 1 : 2);
    record = install_hosted (fixture, "/hosted/manifest.json", &error);
  }
  g_assert_no_error (error);
  if (state != STATE_NONE)
    yun_test_write_file (app_dir, "data/localstorage", "kept", -1);
  close_profile (fixture);
}

/* Reopens the profile after the child ended and tells which complete state
 * it holds; fails when it is anything else.  The shell's data/ folder is
 * there when the app was installed before the child ran. */
static State
check_state (Fixture  *fixture,
             Package  *v1,
             Package  *v2,
             gboolean  with_data)
{
  g_autofree char *database = g_build_filename (fixture->profile, "registry.sqlite", NULL);
  g_autofree char *app_dir = g_build_filename (fixture->apps, ID, NULL);
  g_autofree char *package_dir = g_build_filename (app_dir, "package", NULL);
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *left = NULL;
  g_autofree char *app_left = NULL;
  g_autofree char *hosted_1 = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                                             HOSTED_MANIFEST_1, -1);
  YunAppRecord *record;
  sqlite3 *db = NULL;
  sqlite3_stmt *statement = NULL;
  State state;

  open_profile (fixture);

  g_assert_cmpint (sqlite3_open_v2 (database, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &statement, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (statement), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (statement, 0), ==, "ok");
  sqlite3_finalize (statement);
  sqlite3_close (db);

  records = yun_app_registry_list (fixture->registry);
  left = list_dir (fixture->apps);
  if (records->len == 0) {
    g_assert_cmpstr (left, ==, "");
    close_profile (fixture);
    return STATE_NONE;
  }

  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpstr (left, ==, ID);
  record = g_ptr_array_index (records, 0);
  app_left = list_dir (app_dir);

  if (record->source == YUN_APP_SOURCE_PACKAGED) {
    state = g_str_equal (record->version, "1.0") ? STATE_PACKAGE_1 : STATE_PACKAGE_2;
    g_assert_cmpstr (record->version, ==, state == STATE_PACKAGE_1 ? "1.0" : "2.0");
    g_assert_true (tree_matches (package_dir, state == STATE_PACKAGE_1 ? v1->files : v2->files));
    g_assert_cmpstr (app_left, ==, with_data ? "data package" : "package");
  } else {
    state = g_str_equal (record->version, hosted_1) ? STATE_HOSTED_1 : STATE_HOSTED_2;
    g_assert_true (offline_matches (fixture, state == STATE_HOSTED_1 ? 1 : 2));
    g_assert_cmpstr (app_left, ==, with_data ? "data offline" : "offline");
  }

  g_clear_pointer (&records, g_ptr_array_unref);
  close_profile (fixture);
  return state;
}

static gboolean
on_kill (gpointer user_data)
{
  g_subprocess_send_signal (user_data, SIGKILL);
  return G_SOURCE_REMOVE;
}

/* Runs the child once; returns TRUE when it completed, FALSE when it was
 * killed. */
static gboolean
run_child (Fixture        *fixture,
           const Scenario *scenario,
           guint           crash_after,
           gint64          kill_after_us,
           gint64         *duration_us)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *crash = g_strdup_printf ("%u", crash_after);
  g_autofree char *url = NULL;
  const char *argument = scenario->argument;
  guint kill_id = 0;
  gint64 start;

  if (g_str_equal (scenario->mode, "hosted"))
    argument = url = url_for (fixture, scenario->argument);
  if (crash_after > 0)
    g_subprocess_launcher_setenv (launcher, "YUN_INSTALLER_CRASH_AFTER", crash, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "YUN_INSTALLER_CRASH_AFTER");

  start = g_get_monotonic_time ();
  child = g_subprocess_launcher_spawn (launcher, &error, self_path, "--crash-child",
                                       scenario->mode, fixture->profile, ID, argument,
                                       scenario->sha256, NULL);
  g_assert_no_error (error);
  if (kill_after_us >= 0)
    kill_id = g_timeout_add_full (G_PRIORITY_HIGH, kill_after_us / 1000, on_kill,
                                  g_object_ref (child), g_object_unref);

  g_subprocess_wait_async (child, NULL, on_ready, &result);
  wait_for (&result);
  g_subprocess_wait_finish (child, result, &error);
  g_assert_no_error (error);
  if (duration_us != NULL)
    *duration_us = g_get_monotonic_time () - start;
  if (kill_id != 0 && g_main_context_find_source_by_id (NULL, kill_id) != NULL)
    g_source_remove (kill_id);

  if (g_subprocess_get_if_exited (child)) {
    g_assert_cmpint (g_subprocess_get_exit_status (child), ==, 0);
    return TRUE;
  }
  g_assert_true (g_subprocess_get_if_signaled (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);
  return FALSE;
}

static guint
run_scenario (Fixture        *fixture,
              const Scenario *scenario,
              Package        *v1,
              Package        *v2)
{
  guint n_crashes = 0;
  guint n_old = 0, n_new = 0;
  gint64 duration = 0;

  close_profile (fixture);

  if (scenario->random) {
    /* How long a whole run takes, to kill within it. */
    set_up_state (fixture, scenario->before, v1, v2);
    g_assert_true (run_child (fixture, scenario, 0, -1, &duration));
  }

  for (guint n = 1; ; n++) {
    gboolean completed;
    gint64 took = 0;
    State state;

    set_up_state (fixture, scenario->before, v1, v2);
    if (g_str_equal (scenario->mode, "hosted"))
      serve_hosted (fixture, scenario->after == STATE_HOSTED_1 ? 1 : 2);

    /* Most of a run is the child starting; kills land in its later part.
     * A run that was quicker than the kill tells how long runs take now. */
    if (scenario->random) {
      completed = run_child (fixture, scenario, 0,
                             g_test_rand_int_range (duration / 4, duration + 1), &took);
      if (completed)
        duration = MIN (duration, took);
    } else {
      completed = run_child (fixture, scenario, n, -1, NULL);
    }

    state = check_state (fixture, v1, v2, scenario->before != STATE_NONE);
    if (completed) {
      g_assert_cmpint (state, ==, scenario->after);
    } else {
      n_crashes++;
      g_assert_true (state == scenario->before || state == scenario->after);
      if (state == scenario->before)
        n_old++;
      else
        n_new++;
    }

    if (scenario->random ? n_crashes >= MIN_CRASHES + 5 : completed)
      break;
    g_assert_cmpuint (n, <, 500);
  }

  g_test_message ("%s %s: %u kills, %u left the old state, %u the new one",
                  scenario->random ? "random" : "stepwise", scenario->mode, n_crashes, n_old,
                  n_new);
  /* Stepwise, points before the row and after it both happen; an
   * uninstall's first point is after its row is gone. */
  if (!scenario->random && !g_str_equal (scenario->mode, "uninstall")) {
    g_assert_cmpuint (n_old, >, 0);
    g_assert_cmpuint (n_new, >, 0);
  }

  open_profile (fixture);
  return n_crashes;
}

static void
test_crash_package_update (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(Package) v1 = make_package (fixture, package_v1);
  g_autoptr(Package) v2 = make_package (fixture, package_v2);
  Scenario update = { STATE_PACKAGE_1, STATE_PACKAGE_2, "package", v2->path, v2->sha256, FALSE };
  Scenario install = { STATE_NONE, STATE_PACKAGE_2, "package", v2->path, v2->sha256, FALSE };
  Scenario remove = { STATE_PACKAGE_1, STATE_NONE, "uninstall", "", "", FALSE };
  guint n_crashes = 0;

  n_crashes += run_scenario (fixture, &update, v1, v2);
  n_crashes += run_scenario (fixture, &install, v1, v2);
  n_crashes += run_scenario (fixture, &remove, v1, v2);
  g_assert_cmpuint (n_crashes, >=, MIN_CRASHES);
}

static void
test_crash_hosted_update (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(Package) v1 = make_package (fixture, package_v1);
  g_autoptr(Package) v2 = make_package (fixture, package_v2);
  Scenario update = { STATE_HOSTED_1, STATE_HOSTED_2, "hosted", "/hosted/manifest.json", "",
                      FALSE };
  Scenario to_package = { STATE_HOSTED_1, STATE_PACKAGE_2, "package", v2->path, v2->sha256,
                          FALSE };

  g_assert_cmpuint (run_scenario (fixture, &update, v1, v2) +
                    run_scenario (fixture, &to_package, v1, v2), >=, MIN_CRASHES);
}

static void
test_crash_at_random (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(Package) v1 = make_package (fixture, package_v1);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(Package) v2 = NULL;
  Scenario update = { STATE_PACKAGE_1, STATE_PACKAGE_2, "package", NULL, NULL, TRUE };

  /* A bigger version 2, so that kills land inside the extraction too. */
  for (guint i = 0; package_v2[i] != NULL; i++)
    g_ptr_array_add (files, g_strdup (package_v2[i]));
  for (guint i = 0; i < 100; i++) {
    g_ptr_array_add (files, g_strdup_printf ("assets/%03u.txt", i));
    g_ptr_array_add (files, g_strdup_printf ("asset %u", i));
  }
  g_ptr_array_add (files, NULL);
  v2 = make_package (fixture, (const char * const *) files->pdata);
  update.argument = v2->path;
  update.sha256 = v2->sha256;

  g_assert_cmpuint (run_scenario (fixture, &update, v1, v2), >=, MIN_CRASHES);
}

/* The child: one install or uninstall, killed or not. */
static int
crash_child (int   argc,
             char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunAppRegistry) registry = NULL;
  g_autoptr(YunAppInstaller) installer = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(YunAppRecord) record = NULL;
  const char *mode, *profile, *id;

  if (argc < 7) {
    g_printerr ("usage: %s --crash-child MODE PROFILE ID ARGUMENT SHA256\n", argv[0]);
    return 2;
  }
  mode = argv[2];
  profile = argv[3];
  id = argv[4];

  registry = yun_app_registry_open (profile, &error);
  if (registry == NULL)
    goto fail;
  session = soup_session_new ();
  installer = yun_app_installer_new (registry, session);

  if (g_str_equal (mode, "package")) {
    record = yun_app_installer_install_package_file (installer, id, argv[5], argv[6], NULL,
                                                     NULL, NULL, &error);
    if (record == NULL)
      goto fail;
  } else if (g_str_equal (mode, "hosted")) {
    record = yun_app_installer_install_hosted (installer, id, argv[5], NULL, NULL, NULL, &error);
    if (record == NULL)
      goto fail;
  } else if (!yun_app_installer_uninstall (installer, id, NULL, NULL, NULL, &error)) {
    goto fail;
  }
  return 0;

fail:
  g_printerr ("%s\n", error->message);
  return 1;
}

int
main (int   argc,
      char *argv[])
{
  if (argc > 1 && g_str_equal (argv[1], "--crash-child"))
    return crash_child (argc, argv);

  self_path = g_file_read_link ("/proc/self/exe", NULL);
  if (self_path == NULL)
    self_path = g_canonicalize_filename (argv[0], NULL);

  /* While the process has one thread; without the privilege the disk-full
   * test is skipped. */
  private_mounts = yun_test_enter_private_mounts ();

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/yun/services/app-installer/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)

  ADD ("package-install", test_package_install);
  ADD ("package-version-is-sha256", test_package_version_is_sha256);
  ADD ("package-file-install", test_package_file_install);
  ADD ("package-refusals", test_package_refusals);
  ADD ("package-update", test_package_update);
  ADD ("failed-update-keeps-old", test_failed_update_keeps_old);
  ADD ("disk-error", test_disk_error);
  ADD ("disk-full", test_disk_full);
  ADD ("uninstall", test_uninstall);
  ADD ("cancelled", test_cancelled);
  ADD ("concurrent-installs", test_concurrent_installs);
  ADD ("hosted-install", test_hosted_install);
  ADD ("hosted-failures", test_hosted_failures);
  ADD ("hosted-update", test_hosted_update);
  ADD ("hosted-becomes-packaged", test_hosted_becomes_packaged);
  ADD ("crash/package", test_crash_package_update);
  ADD ("crash/hosted", test_crash_hosted_update);
  ADD ("crash/random", test_crash_at_random);

#undef ADD

  return g_test_run ();
}
