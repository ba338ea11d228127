/* test-icon-loader.c: choosing and loading an app's icon for the home
 * screen, from data: URLs, a package folder, the offline copy and a real
 * HTTP server on loopback.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-icon-loader.h"
#include "yun-test-files.h"

#include <string.h>

typedef struct {
  char *dir;
  char *app_dir;
  SoupServer *server;
  char *base;
  SoupSession *session;
  guint requests;
} Fixture;

static GBytes *
make_png (int    size,
          guint32 rgba)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, size, size);
  char *buffer = NULL;
  gsize length = 0;

  gdk_pixbuf_fill (pixbuf, rgba);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, "png", NULL, NULL));
  return g_bytes_new_take (buffer, length);
}

static const char svg_icon[] =
  "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10' viewBox='0 0 10 10'>"
  "<rect width='10' height='10' fill='#00ff00'/></svg>";

static void
on_request (SoupServer        *server,
            SoupServerMessage *message,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Fixture *fixture = user_data;

  fixture->requests++;
  if (g_str_equal (path, "/icon-64.png")) {
    g_autoptr(GBytes) png = make_png (64, 0xff0000ff);

    soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
    soup_server_message_set_response (message, "image/png", SOUP_MEMORY_COPY,
                                      g_bytes_get_data (png, NULL), g_bytes_get_size (png));
  } else if (g_str_equal (path, "/huge.png")) {
    g_autofree char *body = g_malloc0 (YUN_ICON_LOADER_MAX_BYTES + 10);

    soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
    soup_server_message_set_response (message, "image/png", SOUP_MEMORY_COPY, body,
                                      YUN_ICON_LOADER_MAX_BYTES + 10);
  } else {
    soup_server_message_set_status (message, SOUP_STATUS_NOT_FOUND, NULL);
  }
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;
  g_autofree char *package = NULL;
  g_autofree char *offline = NULL;

  fixture->dir = g_dir_make_tmp ("yun-icon-loader-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->app_dir = g_build_filename (fixture->dir, "apps", "iconic", NULL);
  package = g_build_filename (fixture->app_dir, "package", "img", NULL);
  offline = g_build_filename (fixture->app_dir, "offline", NULL);
  g_assert_cmpint (g_mkdir_with_parents (package, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (offline, 0755), ==, 0);

  fixture->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->server, NULL, on_request, fixture, NULL);
  g_assert_true (soup_server_listen_local (fixture->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY,
                                           &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (fixture->server);
  fixture->base = g_uri_to_string (uris->data);
  fixture->session = soup_session_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->session);
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  yun_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->app_dir);
  g_free (fixture->base);
}

static void
write_file (const char *dir,
            const char *name,
            GBytes     *bytes)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL),
                                      g_bytes_get_size (bytes), NULL));
}

typedef struct {
  gboolean done;
  GdkTexture *texture;
  YunManifestIcon *icon;
  GError *error;
} Result;

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Result *loaded = user_data;

  loaded->texture = yun_icon_loader_load_finish (result, &loaded->icon, &loaded->error);
  loaded->done = TRUE;
}

/* Loads the best of @icons for @pixel_size and waits for it. */
static Result
load (Fixture   *fixture,
      GPtrArray *icons,
      int        pixel_size,
      gboolean   with_session)
{
  Result result = { 0 };

  yun_icon_loader_load_async (with_session ? fixture->session : NULL, "iconic", fixture->app_dir,
                              icons, pixel_size, NULL, on_loaded, &result);
  while (!result.done)
    g_main_context_iteration (NULL, TRUE);
  return result;
}

static void
result_clear (Result *result)
{
  g_clear_object (&result->texture);
  g_clear_pointer (&result->icon, yun_manifest_icon_unref);
  g_clear_error (&result->error);
}

static GPtrArray *
icons_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) yun_manifest_icon_unref);
}

static void
add_icon (GPtrArray              *icons,
          const char             *src,
          const char             *sizes,
          const char             *type,
          YunManifestIconPurpose  purpose)
{
  g_ptr_array_add (icons, yun_manifest_icon_new (src, sizes, type, purpose));
}

static void
test_rank_prefers_fitting_then_any_then_closest (void)
{
  g_autoptr(GPtrArray) icons = icons_new ();
  g_autoptr(GPtrArray) ranked = NULL;
  static const char * const expected[] = {
    "https://a/vector.svg", "https://a/exact.png", "https://a/96.png", "https://a/192.png",
    "https://a/mask-64.png", "https://a/unsized.png", "https://a/48.png",
  };

  add_icon (icons, "https://a/48.png", "48x48", "image/png", YUN_MANIFEST_ICON_PURPOSE_ANY);
  add_icon (icons, "https://a/192.png", "192x192", "image/png", YUN_MANIFEST_ICON_PURPOSE_ANY);
  add_icon (icons, "https://a/mono.png", "56x56", "image/png",
            YUN_MANIFEST_ICON_PURPOSE_MONOCHROME);
  add_icon (icons, "https://a/mask-64.png", "64x64", "image/png",
            YUN_MANIFEST_ICON_PURPOSE_MASKABLE);
  add_icon (icons, "https://a/unsized.png", NULL, "image/png", YUN_MANIFEST_ICON_PURPOSE_ANY);
  add_icon (icons, "https://a/96.png", "32x32 96x96", "image/png", YUN_MANIFEST_ICON_PURPOSE_ANY);
  add_icon (icons, "https://a/weird.xyz", "56x56", "image/x-no-such-format",
            YUN_MANIFEST_ICON_PURPOSE_ANY);
  add_icon (icons, "https://a/vector.svg", "any", "image/svg+xml", YUN_MANIFEST_ICON_PURPOSE_ANY);
  add_icon (icons, "https://a/exact.png", "56x56", "image/png", YUN_MANIFEST_ICON_PURPOSE_ANY);

  ranked = yun_icon_loader_rank (icons, 56);
  g_assert_cmpuint (ranked->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < ranked->len; i++)
    g_assert_cmpstr (yun_manifest_icon_get_src (g_ptr_array_index (ranked, i)), ==, expected[i]);
}

static void
test_rank_ignores_malformed_sizes (void)
{
  g_autoptr(GPtrArray) icons = icons_new ();
  g_autoptr(GPtrArray) ranked = NULL;

  add_icon (icons, "https://a/bad.png", "x 0x0 12 99999999999999999999x3", "image/png",
            YUN_MANIFEST_ICON_PURPOSE_ANY);
  add_icon (icons, "https://a/good.png", "64x64", "image/png", YUN_MANIFEST_ICON_PURPOSE_ANY);
  ranked = yun_icon_loader_rank (icons, 56);
  g_assert_cmpuint (ranked->len, ==, 2);
  g_assert_cmpstr (yun_manifest_icon_get_src (g_ptr_array_index (ranked, 0)), ==,
                   "https://a/good.png");
}

static void
test_loads_data_url_at_pixel_size (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GBytes) png = make_png (128, 0x0000ffff);
  g_autofree char *base64 = g_base64_encode (g_bytes_get_data (png, NULL), g_bytes_get_size (png));
  g_autofree char *url = g_strconcat ("data:image/png;base64,", base64, NULL);
  g_autoptr(GPtrArray) icons = icons_new ();
  Result result;

  add_icon (icons, url, "128x128", "image/png", YUN_MANIFEST_ICON_PURPOSE_ANY);
  result = load (fixture, icons, 112, FALSE);
  g_assert_no_error (result.error);
  g_assert_cmpint (gdk_texture_get_width (result.texture), ==, 112);
  g_assert_cmpint (gdk_texture_get_height (result.texture), ==, 112);
  result_clear (&result);
}

static void
test_draws_svg_at_pixel_size (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *base64 = g_base64_encode ((const guchar *) svg_icon, strlen (svg_icon));
  g_autofree char *url = g_strconcat ("data:image/svg+xml;base64,", base64, NULL);
  g_autoptr(GPtrArray) icons = icons_new ();
  Result result;

  add_icon (icons, url, "any", "image/svg+xml", YUN_MANIFEST_ICON_PURPOSE_ANY);
  result = load (fixture, icons, 168, FALSE);
  g_assert_no_error (result.error);
  g_assert_cmpint (gdk_texture_get_width (result.texture), ==, 168);
  result_clear (&result);
}

static void
test_loads_package_file (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (fixture->app_dir, "package", "img", NULL);
  g_autoptr(GBytes) png = make_png (64, 0x00ff00ff);
  g_autoptr(GPtrArray) icons = icons_new ();
  Result result;

  write_file (folder, "icon.png", png);
  add_icon (icons, "app://iconic/img/icon.png", "64x64", "image/png",
            YUN_MANIFEST_ICON_PURPOSE_ANY);
  result = load (fixture, icons, 56, FALSE);
  g_assert_no_error (result.error);
  g_assert_cmpint (gdk_texture_get_width (result.texture), ==, 56);
  g_assert_cmpstr (yun_manifest_icon_get_src (result.icon), ==, "app://iconic/img/icon.png");
  result_clear (&result);
}

static void
test_refuses_other_apps_and_escapes (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(GBytes) png = make_png (64, 0x00ff00ff);
  g_autoptr(GPtrArray) icons = icons_new ();
  Result result;

  /* A file beside the package folder, which no icon URL may reach. */
  write_file (fixture->app_dir, "secret.png", png);
  add_icon (icons, "app://iconic/%2e%2e/secret.png", "64x64", "image/png",
            YUN_MANIFEST_ICON_PURPOSE_ANY);
  add_icon (icons, "app://iconic/..%2fsecret.png", "64x64", "image/png",
            YUN_MANIFEST_ICON_PURPOSE_ANY);
  add_icon (icons, "app://other/img/icon.png", "64x64", "image/png",
            YUN_MANIFEST_ICON_PURPOSE_ANY);
  add_icon (icons, "file:///etc/passwd", "64x64", "image/png", YUN_MANIFEST_ICON_PURPOSE_ANY);
  result = load (fixture, icons, 56, FALSE);
  g_assert_null (result.texture);
  g_assert_error (result.error, YUN_ICON_LOADER_ERROR, YUN_ICON_LOADER_ERROR_FAILED);
  result_clear (&result);
}

static void
test_prefers_offline_copy (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (fixture->app_dir, "offline", NULL);
  g_autofree char *url = g_strconcat (fixture->base, "kept.png", NULL);
  g_autofree char *name = g_compute_checksum_for_string (G_CHECKSUM_SHA256, url, -1);
  g_autofree char *index = g_strdup_printf ("{\"%s\": {\"file\": \"%s\", "
                                            "\"content_type\": \"image/png\"}}", url, name);
  g_autoptr(GBytes) index_bytes = g_bytes_new (index, strlen (index));
  g_autoptr(GBytes) png = make_png (48, 0x00ff00ff);
  g_autoptr(GPtrArray) icons = icons_new ();
  Result result;

  write_file (folder, name, png);
  write_file (folder, "index.json", index_bytes);
  add_icon (icons, url, "48x48", "image/png", YUN_MANIFEST_ICON_PURPOSE_ANY);
  /* The server has no kept.png: only the offline copy can answer. */
  result = load (fixture, icons, 48, TRUE);
  g_assert_no_error (result.error);
  g_assert_cmpint (gdk_texture_get_width (result.texture), ==, 48);
  g_assert_cmpuint (fixture->requests, ==, 0);
  result_clear (&result);
}

static void
test_downloads_when_not_kept (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *url = g_strconcat (fixture->base, "icon-64.png", NULL);
  g_autoptr(GPtrArray) icons = icons_new ();
  Result result;

  add_icon (icons, url, "64x64", "image/png", YUN_MANIFEST_ICON_PURPOSE_ANY);
  result = load (fixture, icons, 32, TRUE);
  g_assert_no_error (result.error);
  g_assert_cmpint (gdk_texture_get_width (result.texture), ==, 32);
  g_assert_cmpuint (fixture->requests, ==, 1);
  result_clear (&result);

  /* Without a session, nothing is downloaded. */
  result = load (fixture, icons, 32, FALSE);
  g_assert_error (result.error, YUN_ICON_LOADER_ERROR, YUN_ICON_LOADER_ERROR_FAILED);
  g_assert_cmpuint (fixture->requests, ==, 1);
  result_clear (&result);
}

static void
test_falls_back_to_next_candidate (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autofree char *broken = g_build_filename (fixture->app_dir, "package", "img", NULL);
  g_autofree char *missing = g_strconcat (fixture->base, "missing.png", NULL);
  g_autofree char *huge = g_strconcat (fixture->base, "huge.png", NULL);
  g_autofree char *good = g_strconcat (fixture->base, "icon-64.png", NULL);
  g_autoptr(GBytes) garbage = g_bytes_new_static ("not a png", 9);
  g_autoptr(GPtrArray) icons = icons_new ();
  Result result;

  write_file (broken, "broken.png", garbage);
  /* Best first: each fails its own way; the smallest one loads. */
  add_icon (icons, "app://iconic/img/broken.png", "512x512", "image/png",
            YUN_MANIFEST_ICON_PURPOSE_ANY);
  add_icon (icons, missing, "256x256", "image/png", YUN_MANIFEST_ICON_PURPOSE_ANY);
  add_icon (icons, huge, "128x128", "image/png", YUN_MANIFEST_ICON_PURPOSE_ANY);
  add_icon (icons, good, "16x16", "image/png", YUN_MANIFEST_ICON_PURPOSE_ANY);
  result = load (fixture, icons, 56, TRUE);
  g_assert_no_error (result.error);
  g_assert_cmpstr (yun_manifest_icon_get_src (result.icon), ==, good);
  result_clear (&result);
}

static void
test_refuses_huge_image (Fixture       *fixture,
                         gconstpointer  data)
{
  /* A PNG header that claims 30000 × 30000 pixels. */
  static const guint8 header[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
    0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0x75, 0x30, 0, 0, 0x75, 0x30, 8, 6, 0, 0, 0,
    0xd5, 0x5f, 0x3a, 0x38,
  };
  g_autofree char *base64 = g_base64_encode (header, sizeof header);
  g_autofree char *url = g_strconcat ("data:image/png;base64,", base64, NULL);
  g_autoptr(GPtrArray) icons = icons_new ();
  Result result;

  add_icon (icons, url, "512x512", "image/png", YUN_MANIFEST_ICON_PURPOSE_ANY);
  result = load (fixture, icons, 56, FALSE);
  g_assert_null (result.texture);
  g_assert_error (result.error, YUN_ICON_LOADER_ERROR, YUN_ICON_LOADER_ERROR_FAILED);
  result_clear (&result);
}

static void
test_no_icon_to_show (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) icons = icons_new ();
  Result result;

  result = load (fixture, icons, 56, TRUE);
  g_assert_error (result.error, YUN_ICON_LOADER_ERROR, YUN_ICON_LOADER_ERROR_NO_ICON);
  result_clear (&result);

  add_icon (icons, "https://a/mono.png", "56x56", "image/png",
            YUN_MANIFEST_ICON_PURPOSE_MONOCHROME);
  result = load (fixture, icons, 56, TRUE);
  g_assert_error (result.error, YUN_ICON_LOADER_ERROR, YUN_ICON_LOADER_ERROR_NO_ICON);
  result_clear (&result);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/yun/shell/icon-loader/rank-prefers-fitting-then-any-then-closest",
                   test_rank_prefers_fitting_then_any_then_closest);
  g_test_add_func ("/yun/shell/icon-loader/rank-ignores-malformed-sizes",
                   test_rank_ignores_malformed_sizes);
#define ADD(path, func) \
  g_test_add ("/yun/shell/icon-loader/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("loads-data-url-at-pixel-size", test_loads_data_url_at_pixel_size);
  ADD ("draws-svg-at-pixel-size", test_draws_svg_at_pixel_size);
  ADD ("loads-package-file", test_loads_package_file);
  ADD ("refuses-other-apps-and-escapes", test_refuses_other_apps_and_escapes);
  ADD ("prefers-offline-copy", test_prefers_offline_copy);
  ADD ("downloads-when-not-kept", test_downloads_when_not_kept);
  ADD ("falls-back-to-next-candidate", test_falls_back_to_next_candidate);
  ADD ("refuses-huge-image", test_refuses_huge_image);
  ADD ("no-icon-to-show", test_no_icon_to_show);
#undef ADD

  return g_test_run ();
}
