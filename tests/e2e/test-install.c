/* test-install.c: installing, opening offline and uninstalling apps in the
 * real shell.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "yun-e2e.h"
#include "yun-test-files.h"

static YunE2e *e2e;
static char *zip_dir;

static char **
installed (void)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "ListInstalled", NULL);
  char **ids = NULL;

  g_variant_get (reply, "(^as)", &ids);
  return ids;
}

/* Packs tests/data/webapps/perms with yun-dev and returns the zip's path
 * and SHA-256. */
static char *
pack (char **sha256)
{
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "data", "webapps", "perms", NULL);
  g_autofree char *zip = g_build_filename (zip_dir, "perms.zip", NULL);
  g_autoptr(GSubprocess) yun_dev = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  yun_dev = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, g_getenv ("YUN_DEV_BIN"), "pack",
                              source, "-o", zip, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (yun_dev, NULL, &error));
  g_assert_true (g_file_get_contents (zip, &contents, &length, NULL));
  *sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
  return g_steal_pointer (&zip);
}

static void
test_bad_checksum_installs_nothing (void)
{
  g_autofree char *sha256 = NULL;
  g_autofree char *zip = pack (&sha256);
  g_auto(GStrv) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_proxy_call_sync (e2e->automation, "InstallPackage",
                                  g_variant_new ("(sss)", "pkgperms", zip,
                                                 "0000000000000000000000000000000000000000000000000000000000000000"),
                                  G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_null (reply);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "SHA-256"));
  ids = installed ();
  g_assert_false (g_strv_contains ((const char * const *) ids, "pkgperms"));
}

static void
test_packaged_app_installs_and_opens_from_app_scheme (void)
{
  g_autofree char *sha256 = NULL;
  g_autofree char *zip = pack (&sha256);
  g_auto(GStrv) ids = NULL;
  g_autoptr(GVariant) done = NULL;
  g_autoptr(GVariant) launched = NULL;
  g_autoptr(JsonNode) page = NULL;
  JsonObject *object;

  done = yun_e2e_call (e2e, "InstallPackage", g_variant_new ("(sss)", "pkgperms", zip, sha256));
  ids = installed ();
  g_assert_true (g_strv_contains ((const char * const *) ids, "pkgperms"));

  launched = yun_e2e_call (e2e, "Launch", g_variant_new ("(s)", "pkgperms"));
  page = yun_e2e_wait_for (e2e, "pkgperms",
                           "return document.readyState === 'complete' ?"
                           "  { href: location.href, title: document.title,"
                           "    runtime: (await navigator.yun.device.info ()).runtime } : null;");
  object = json_node_get_object (page);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "href"), "app://pkgperms/"));
  g_assert_cmpstr (json_object_get_string_member (object, "title"), ==, "Permission Test");
  g_assert_cmpstr (json_object_get_string_member (object, "runtime"), ==, "Yun");
}

static void
run_yun_dev (const char * const *argv)
{
  g_autoptr(GSubprocess) yun_dev = NULL;
  g_autoptr(GError) error = NULL;

  yun_dev = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (yun_dev, NULL, &error));
}

static void
test_scaffolded_app_runs_in_the_shell (void)
{
  g_autofree char *dir = g_build_filename (zip_dir, "scaffold", NULL);
  g_autofree char *zip = g_build_filename (zip_dir, "scaffold.zip", NULL);
  const char *yun_dev = g_getenv ("YUN_DEV_BIN");
  const char *new_argv[] = { yun_dev, "new", "scaffold", dir, NULL };
  const char *pack_argv[] = { yun_dev, "pack", dir, "-o", zip, NULL };
  g_autofree char *contents = NULL;
  g_autofree char *sha256 = NULL;
  g_autoptr(GVariant) done = NULL;
  g_autoptr(GVariant) launched = NULL;
  g_autoptr(JsonNode) status = NULL;
  gsize length;

  run_yun_dev (new_argv);
  run_yun_dev (pack_argv);
  g_assert_true (g_file_get_contents (zip, &contents, &length, NULL));
  sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);

  done = yun_e2e_call (e2e, "InstallPackage", g_variant_new ("(sss)", "scaffold", zip, sha256));
  launched = yun_e2e_call (e2e, "Launch", g_variant_new ("(s)", "scaffold"));
  /* The template's module ran under the packaged apps' strict policy and
   * reached the bridge. */
  status = yun_e2e_wait_for (e2e, "scaffold",
                             "const s = document.getElementById ('status');"
                             "return s && s.textContent.startsWith ('Running on') ? s.textContent : null;");
  g_assert_true (g_str_has_prefix (json_node_get_string (status), "Running on Yun "));
}

/* A request to the cloud: its status and body. */
static GBytes *
cloud_request (const char *method,
               const char *path,
               const char *json,
               guint      *status)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (e2e->cloud_url, path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  GBytes *body;

  if (json != NULL) {
    g_autoptr(GBytes) request = g_bytes_new (json, strlen (json));

    soup_message_set_request_body_from_bytes (message, "application/json", request);
  }
  body = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (message);
  return body;
}

/* The whole path a developer takes: new, publish to the store of a
 * yun-cloud, and the phone installs the store's package and runs it. */
static void
test_published_app_installs_from_the_store (void)
{
  g_autofree char *dir = g_build_filename (zip_dir, "published", NULL);
  g_autofree char *zip = g_build_filename (zip_dir, "from-store.zip", NULL);
  const char *yun_dev = g_getenv ("YUN_DEV_BIN");
  const char *new_argv[] = { yun_dev, "new", "published", dir, NULL };
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GSubprocess) publish = NULL;
  g_autoptr(GBytes) registered = NULL;
  g_autoptr(GBytes) detail = NULL;
  g_autoptr(GBytes) package = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GVariant) done = NULL;
  g_autoptr(GVariant) launched = NULL;
  g_autoptr(JsonNode) status_text = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;
  JsonObject *app;
  guint status = 0;

  registered = cloud_request (SOUP_METHOD_POST, "accounts",
                              "{\"name\": \"maker\", \"password\": \"long enough\"}", &status);
  g_assert_cmpuint (status, ==, 201);
  run_yun_dev (new_argv);
  g_subprocess_launcher_setenv (launcher, "YUN_DEV_PASSWORD", "long enough", TRUE);
  publish = g_subprocess_launcher_spawn (launcher, &error, yun_dev, "publish", dir,
                                         "--cloud", e2e->cloud_url, "--user", "maker", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (publish, NULL, &error));

  detail = cloud_request (SOUP_METHOD_GET, "api/store/apps/published", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (detail, NULL),
                                             g_bytes_get_size (detail), NULL));
  app = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (app, "developer"), ==, "maker");
  package = cloud_request (SOUP_METHOD_GET, "api/store/apps/published/package", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (g_file_set_contents (zip, g_bytes_get_data (package, NULL),
                                      g_bytes_get_size (package), NULL));
  sha256 = g_strdup (json_object_get_string_member (app, "sha256"));

  done = yun_e2e_call (e2e, "InstallPackage", g_variant_new ("(sss)", "published", zip, sha256));
  launched = yun_e2e_call (e2e, "Launch", g_variant_new ("(s)", "published"));
  status_text = yun_e2e_wait_for (e2e, "published",
                                  "const s = document.getElementById ('status');"
                                  "return s && s.textContent.startsWith ('Running on') ? s.textContent : null;");
  g_assert_true (g_str_has_prefix (json_node_get_string (status_text), "Running on Yun "));
}

static void
test_uninstall_removes_app_and_data (void)
{
  g_auto(GStrv) ids = NULL;
  g_autoptr(GVariant) done = NULL;

  done = yun_e2e_call (e2e, "Uninstall", g_variant_new ("(s)", "pkgperms"));
  ids = installed ();
  g_assert_false (g_strv_contains ((const char * const *) ids, "pkgperms"));
}

static void
test_hosted_app_opens_offline (void)
{
  g_autofree char *manifest_url = g_strconcat (e2e->cloud_url, "apps/hello/manifest.json", NULL);
  g_autoptr(GVariant) done = NULL;
  g_autoptr(GVariant) launched = NULL;
  g_autoptr(JsonNode) page = NULL;
  g_auto(GStrv) ids = NULL;
  JsonObject *object;

  done = yun_e2e_call (e2e, "Install", g_variant_new ("(ss)", "hello", manifest_url));
  ids = installed ();
  g_assert_true (g_strv_contains ((const char * const *) ids, "hello"));

  /* No cloud, no network: the app opens from its offline copy, at its own
   * URL, with its bridge. */
  yun_e2e_stop_cloud (e2e);
  launched = yun_e2e_call (e2e, "Launch", g_variant_new ("(s)", "hello"));
  page = yun_e2e_wait_for (e2e, "hello",
                           "return document.title === 'Hello Yun' && document.readyState === 'complete' ?"
                           "  { href: location.href,"
                           "    runtime: (await navigator.yun.device.info ()).runtime } : null;");
  object = json_node_get_object (page);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (object, "href"), "/apps/hello/"));
  g_assert_cmpstr (json_object_get_string_member (object, "runtime"), ==, "Yun");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *webapps = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/yun/e2e/install/bad-checksum-installs-nothing",
                   test_bad_checksum_installs_nothing);
  g_test_add_func ("/yun/e2e/install/packaged-app-installs-and-opens-from-app-scheme",
                   test_packaged_app_installs_and_opens_from_app_scheme);
  g_test_add_func ("/yun/e2e/install/scaffolded-app-runs-in-the-shell",
                   test_scaffolded_app_runs_in_the_shell);
  g_test_add_func ("/yun/e2e/install/published-app-installs-from-the-store",
                   test_published_app_installs_from_the_store);
  g_test_add_func ("/yun/e2e/install/uninstall-removes-app-and-data",
                   test_uninstall_removes_app_and_data);
  /* Last: it stops the cloud. */
  g_test_add_func ("/yun/e2e/install/hosted-app-opens-offline", test_hosted_app_opens_offline);

  zip_dir = g_dir_make_tmp ("yun-zip-XXXXXX", NULL);
  e2e = yun_e2e_start (g_getenv ("YUN_WEBAPPS_DIR"), "hello");
  status = g_test_run ();
  yun_e2e_stop (e2e);
  yun_test_remove_tree (zip_dir);
  g_free (zip_dir);

  return status;
}
