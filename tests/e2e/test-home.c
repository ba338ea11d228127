/* test-home.c: the home screen of the real shell: every installed app with
 * its icon, search, the dock, moving tiles across a restart, uninstalling
 * from a tile's menu, and pages.
 *
 * The shell reports its tiles over org.yun.Shell1.GetHomeTiles; the
 * screenshot of home is then checked pixel by pixel against the icons the
 * test apps draw (tests/data/webapps/home-*), and kept as home.png in the
 * build folder for the docs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>

#include "yun-e2e.h"
#include "yun-test-files.h"

#define WAIT_SECONDS 60
/* The app the shell opens at start; not installed, so never a tile of
 * the pages. */
#define START_APP "lifecycle"

static YunE2e *e2e;
static char *zip_dir;

static GVariant *
home_tiles (void)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "GetHomeTiles", NULL);

  return g_variant_get_child_value (reply, 0);
}

static const char *
tile_string (GVariant   *tile,
             const char *key)
{
  const char *value = NULL;

  if (!g_variant_lookup (tile, key, "&s", &value))
    return "";
  return value;
}

static int
tile_int (GVariant   *tile,
          const char *key)
{
  gint32 value = -1;

  g_variant_lookup (tile, key, "i", &value);
  return value;
}

static gboolean
tile_bool (GVariant   *tile,
           const char *key)
{
  gboolean value = FALSE;

  g_variant_lookup (tile, key, "b", &value);
  return value;
}

/* The tile of @app_id at @place ("grid", "dock", "cloud", "search"), or
 * with @place %NULL on the pages or in the dock. */
static GVariant *
find_tile (GVariant   *tiles,
           const char *app_id,
           const char *place)
{
  for (gsize i = 0; i < g_variant_n_children (tiles); i++) {
    g_autoptr(GVariant) tile = g_variant_get_child_value (tiles, i);
    const char *where = tile_string (tile, "place");

    if (!g_str_equal (tile_string (tile, "app_id"), app_id))
      continue;
    if (place != NULL ? g_str_equal (where, place)
                      : g_str_equal (where, "grid") || g_str_equal (where, "dock"))
      return g_steal_pointer (&tile);
  }
  return NULL;
}

/* The ids at @place, in order (page by page). */
static char *
ids_at (GVariant   *tiles,
        const char *place)
{
  g_autoptr(GString) ids = g_string_new (NULL);

  for (gsize i = 0; i < g_variant_n_children (tiles); i++) {
    g_autoptr(GVariant) tile = g_variant_get_child_value (tiles, i);

    if (g_str_equal (tile_string (tile, "place"), place)) {
      if (ids->len > 0)
        g_string_append_c (ids, ' ');
      g_string_append (ids, tile_string (tile, "app_id"));
    }
  }
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static char **
installed (void)
{
  g_autoptr(GVariant) reply = yun_e2e_call (e2e, "ListInstalled", NULL);
  char **ids = NULL;

  g_variant_get (reply, "(^as)", &ids);
  return ids;
}

typedef gboolean (*TilesReady) (GVariant *tiles, gconstpointer data);

/* Polls the tiles until @ready says yes; fails the test after a minute. */
static GVariant *
wait_for_tiles (TilesReady     ready,
                gconstpointer  data,
                const char    *what)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  for (;;) {
    g_autoptr(GVariant) tiles = home_tiles ();

    if (ready (tiles, data))
      return g_steal_pointer (&tiles);
    if (g_get_monotonic_time () > deadline) {
      g_autofree char *text = g_variant_print (tiles, FALSE);

      g_error ("waited %d s for %s; the tiles: %s", WAIT_SECONDS, what, text);
    }
    g_usleep (100 * 1000);
  }
}

static gboolean
places_are (GVariant      *tiles,
            gconstpointer  data)
{
  const char * const *expected = data;
  g_autofree char *grid = ids_at (tiles, "grid");
  g_autofree char *dock = ids_at (tiles, "dock");

  return g_str_equal (grid, expected[0]) && g_str_equal (dock, expected[1]);
}

static GVariant *
wait_for_places (const char *grid,
                 const char *dock)
{
  const char *expected[] = { grid, dock };
  g_autofree char *what = g_strdup_printf ("grid “%s” and dock “%s”", grid, dock);

  return wait_for_tiles (places_are, expected, what);
}

static void
install_hosted (const char *app_id,
                const char *folder)
{
  g_autofree char *manifest_url = g_strdup_printf ("%sapps/%s/manifest.json", e2e->cloud_url,
                                                   folder);
  g_autoptr(GVariant) done = yun_e2e_call (e2e, "Install",
                                           g_variant_new ("(ss)", app_id, manifest_url));
}

static void
install_packaged (const char *app_id,
                  const char *folder)
{
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "data", "webapps", folder, NULL);
  g_autofree char *zip = g_strdup_printf ("%s/%s.zip", zip_dir, folder);
  g_autoptr(GSubprocess) yun_dev = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) done = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *sha256 = NULL;
  gsize length;

  yun_dev = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, g_getenv ("YUN_DEV_BIN"),
                              "pack", source, "-o", zip, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (yun_dev, NULL, &error));
  g_assert_true (g_file_get_contents (zip, &contents, &length, NULL));
  sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
  done = yun_e2e_call (e2e, "InstallPackage", g_variant_new ("(sss)", app_id, zip, sha256));
}

static void
menu_item (const char *app_id,
           const char *label)
{
  g_autoptr(GVariant) done = yun_e2e_call (e2e, "ActivateHomeMenuItem",
                                           g_variant_new ("(ss)", app_id, label));
}

/* Every installed app has a tile whose icon has settled (loaded, or
 * failed with a reason), on screen. */
static gboolean
all_icons_settled (GVariant      *tiles,
                   gconstpointer  data)
{
  g_auto(GStrv) ids = installed ();

  for (guint i = 0; ids[i] != NULL; i++) {
    g_autoptr(GVariant) tile = find_tile (tiles, ids[i], NULL);
    double width = 0;

    /* On screen, and laid out. */
    if (tile == NULL || !tile_bool (tile, "mapped") ||
        !g_variant_lookup (tile, "width", "d", &width) || width <= 0)
      return FALSE;
    if (!tile_bool (tile, "icon_loaded") && *tile_string (tile, "icon_error") == '\0')
      return FALSE;
  }
  return TRUE;
}

typedef struct {
  guint8 red, green, blue;
} Rgb;

/* The screenshot's pixel at a fraction of the tile's icon. */
static Rgb
icon_pixel (GdkPixbuf *screenshot,
            GVariant  *tile,
            double     fx,
            double     fy)
{
  double x = 0, y = 0, width = 0, height = 0;
  int px, py;
  const guint8 *pixel;

  g_assert_true (g_variant_lookup (tile, "x", "d", &x));
  g_assert_true (g_variant_lookup (tile, "y", "d", &y));
  g_assert_true (g_variant_lookup (tile, "width", "d", &width));
  g_assert_true (g_variant_lookup (tile, "height", "d", &height));
  px = (int) (x + width * fx);
  py = (int) (y + height * fy);
  g_assert_cmpint (px, >=, 0);
  g_assert_cmpint (py, >=, 0);
  g_assert_cmpint (px, <, gdk_pixbuf_get_width (screenshot));
  g_assert_cmpint (py, <, gdk_pixbuf_get_height (screenshot));

  pixel = gdk_pixbuf_read_pixels (screenshot) + py * gdk_pixbuf_get_rowstride (screenshot) +
          px * gdk_pixbuf_get_n_channels (screenshot);
  return (Rgb) { pixel[0], pixel[1], pixel[2] };
}

static void
assert_color (Rgb         seen,
              guint8      red,
              guint8      green,
              guint8      blue,
              const char *what)
{
  if (ABS (seen.red - red) > 12 || ABS (seen.green - green) > 12 || ABS (seen.blue - blue) > 12)
    g_error ("%s: the screenshot shows #%02x%02x%02x, expected #%02x%02x%02x", what,
             seen.red, seen.green, seen.blue, red, green, blue);
}

static void
test_shows_every_installed_app_with_its_icon (void)
{
  g_autoptr(GVariant) tiles = NULL;
  g_autoptr(GVariant) shown = NULL;
  g_autoptr(GVariant) poppy = NULL;
  g_autoptr(GVariant) fern = NULL;
  g_autoptr(GVariant) bluebell = NULL;
  g_autoptr(GVariant) plum = NULL;
  g_autoptr(GVariant) jotter = NULL;
  g_autoptr(GVariant) shot = NULL;
  g_autoptr(GdkPixbuf) screenshot = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, "home.png", NULL);
  int pixel_size;

  install_hosted ("home-poppy", "home-poppy");
  install_hosted ("home-fern", "home-fern");
  install_hosted ("home-plum", "home-plum");
  install_packaged ("home-bluebell", "home-bluebell");
  install_hosted ("jotter", "jotter");
  install_hosted ("perms", "perms");
  yun_e2e_activate_action (e2e, "home", NULL);

  tiles = wait_for_tiles (all_icons_settled, NULL, "every installed app's icon");

  /* One tile each on the pages or in the dock, and no other. */
  ids = installed ();
  g_assert_cmpuint (g_strv_length (ids), ==, 6);
  for (guint i = 0; ids[i] != NULL; i++) {
    g_autoptr(GVariant) tile = find_tile (tiles, ids[i], NULL);

    g_assert_nonnull (tile);
  }
  {
    g_autofree char *grid = ids_at (tiles, "grid");
    g_autofree char *dock = ids_at (tiles, "dock");

    /* The dock holds the first four installed, the pages the rest. */
    g_assert_cmpstr (dock, ==, "home-poppy home-fern home-plum home-bluebell");
    g_assert_cmpstr (grid, ==, "jotter perms");
  }

  /* Where the tiles are in what the screenshot shows. */
  shot = yun_e2e_call (e2e, "Screenshot", g_variant_new ("(s)", path));
  shown = home_tiles ();
  poppy = find_tile (shown, "home-poppy", NULL);
  fern = find_tile (shown, "home-fern", NULL);
  bluebell = find_tile (shown, "home-bluebell", NULL);
  plum = find_tile (shown, "home-plum", NULL);
  jotter = find_tile (shown, "jotter", NULL);

  /* The 192 px PNG is the best for a 56 px icon, not the 48 px one. */
  pixel_size = tile_int (poppy, "icon_pixel_size");
  g_assert_cmpint (pixel_size, >=, 56);
  g_assert_cmpint (pixel_size % 56, ==, 0);
  g_assert_true (tile_bool (poppy, "icon_loaded"));
  g_assert_true (g_str_has_suffix (tile_string (poppy, "icon_src"), "/icon-192.png"));
  g_assert_cmpint (tile_int (poppy, "icon_width"), ==, pixel_size);
  g_assert_cmpint (tile_int (poppy, "icon_height"), ==, pixel_size);
  /* The SVG is drawn at the size shown. */
  g_assert_true (tile_bool (fern, "icon_loaded"));
  g_assert_true (g_str_has_suffix (tile_string (fern, "icon_src"), "/icon.svg"));
  g_assert_cmpint (tile_int (fern, "icon_width"), ==, pixel_size);
  /* The packaged app's icon comes from its package. */
  g_assert_true (tile_bool (bluebell, "icon_loaded"));
  g_assert_cmpstr (tile_string (bluebell, "icon_src"), ==, "app://home-bluebell/icon.png");
  /* A broken icon, and no icon at all, show the letter. */
  g_assert_false (tile_bool (plum, "icon_loaded"));
  g_assert_cmpstr (tile_string (plum, "icon_error"), !=, "");
  g_assert_false (tile_bool (jotter, "icon_loaded"));

  /* What the screen shows: each icon where the shell says it is. */
  screenshot = gdk_pixbuf_new_from_file (path, &error);
  g_assert_no_error (error);
  assert_color (icon_pixel (screenshot, poppy, 0.5, 0.5), 214, 40, 40, "Poppy's red icon");
  assert_color (icon_pixel (screenshot, fern, 0.25, 0.5), 0x2e, 0x7d, 0x32, "Fern's green icon");
  assert_color (icon_pixel (screenshot, bluebell, 0.5, 0.5), 30, 80, 220, "Bluebell's blue icon");
  /* Above the letter, the theme colour; the shell's own without one. */
  assert_color (icon_pixel (screenshot, plum, 0.5, 0.1), 0x6a, 0x1b, 0x9a, "Plum's letter badge");
  assert_color (icon_pixel (screenshot, jotter, 0.5, 0.1), 0x1c, 0x6e, 0x8c, "Jotter's letter badge");
  g_test_message ("home screen saved to %s", path);
}

static gboolean
search_shows (GVariant      *tiles,
              gconstpointer  data)
{
  g_autofree char *found = ids_at (tiles, "search");

  return g_str_equal (found, data);
}

static void
search (const char *text)
{
  g_autoptr(GVariant) done = yun_e2e_call (e2e, "SetHomeSearch", g_variant_new ("(s)", text));
}

static void
test_search_filters_apps_by_name (void)
{
  g_autoptr(GVariant) tiles = NULL;
  g_autoptr(GVariant) life = NULL;

  /* "plu" is in Plum's name only; case does not matter. */
  search ("PLU");
  g_variant_unref (wait_for_tiles (search_shows, "home-plum", "Plum alone"));
  search ("ern");
  g_variant_unref (wait_for_tiles (search_shows, "home-fern", "Fern alone"));
  /* The cloud's apps that are not installed are found too. */
  search ("lifecycle");
  tiles = wait_for_tiles (search_shows, "lifecycle", "the cloud's Lifecycle probe");
  life = find_tile (tiles, "lifecycle", "search");
  g_assert_false (tile_bool (life, "installed"));
  search ("no app is called this");
  g_variant_unref (wait_for_tiles (search_shows, "", "no match"));

  /* Cleared, the pages are back. */
  search ("");
  g_clear_pointer (&tiles, g_variant_unref);
  tiles = wait_for_places ("jotter perms", "home-poppy home-fern home-plum home-bluebell");
  {
    g_autoptr(GVariant) jotter = find_tile (tiles, "jotter", "grid");

    g_assert_true (tile_bool (jotter, "mapped"));
  }
}

static void
test_dock_add_and_remove (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  /* A full dock offers no place. */
  reply = g_dbus_proxy_call_sync (e2e->automation, "ActivateHomeMenuItem",
                                  g_variant_new ("(ss)", "jotter", "Move to dock"),
                                  G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_null (reply);
  g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS);

  menu_item ("home-fern", "Remove from dock");
  g_variant_unref (wait_for_places ("jotter perms home-fern",
                                    "home-poppy home-plum home-bluebell"));
  menu_item ("jotter", "Move to dock");
  g_variant_unref (wait_for_places ("perms home-fern",
                                    "home-poppy home-plum home-bluebell jotter"));
}

/* The saved layout's grid, as the file in the profile says. */
static char *
saved_grid (void)
{
  g_autofree char *path = g_build_filename (e2e->tmp_dir, "profile", "home-layout.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) ids = g_string_new (NULL);
  JsonNode *root;
  JsonArray *grid;

  if (!json_parser_load_from_file (parser, path, NULL))
    return g_strdup ("");
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      !json_object_has_member (json_node_get_object (root), "grid"))
    return g_strdup ("");
  grid = json_object_get_array_member (json_node_get_object (root), "grid");
  for (guint i = 0; i < json_array_get_length (grid); i++) {
    if (ids->len > 0)
      g_string_append_c (ids, ' ');
    g_string_append (ids, json_array_get_string_element (grid, i));
  }
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static void
test_moved_tile_stays_after_restart (void)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  menu_item ("home-fern", "Move left");
  g_variant_unref (wait_for_places ("home-fern perms", "home-poppy home-plum home-bluebell jotter"));
  menu_item ("jotter", "Move left");
  g_variant_unref (wait_for_places ("home-fern perms", "home-poppy home-plum jotter home-bluebell"));

  /* The write is in the background; a restart before it ends would test
   * nothing. */
  for (;;) {
    g_autofree char *grid = saved_grid ();

    if (g_str_equal (grid, "home-fern perms"))
      break;
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (50 * 1000);
  }
  g_usleep (200 * 1000);

  yun_e2e_restart_shell (e2e, START_APP);
  g_variant_unref (wait_for_places ("home-fern perms", "home-poppy home-plum jotter home-bluebell"));
}

static gboolean
uninstalled_plum (GVariant      *tiles,
                  gconstpointer  data)
{
  g_autoptr(GVariant) installed_tile = find_tile (tiles, "home-plum", NULL);
  g_autoptr(GVariant) cloud_tile = find_tile (tiles, "home-plum", "cloud");

  return installed_tile == NULL && cloud_tile != NULL;
}

static void
test_uninstall_from_menu_removes_tile (void)
{
  g_auto(GStrv) ids = NULL;
  g_autoptr(GVariant) tiles = NULL;

  menu_item ("home-plum", "Uninstall");
  /* Gone from the dock; the cloud offers it again. */
  tiles = wait_for_tiles (uninstalled_plum, NULL, "Plum to leave the dock");
  ids = installed ();
  g_assert_false (g_strv_contains ((const char * const *) ids, "home-plum"));
  g_clear_pointer (&tiles, g_variant_unref);
  tiles = wait_for_places ("home-fern perms", "home-poppy jotter home-bluebell");
}

static gboolean
has_second_page (GVariant      *tiles,
                 gconstpointer  data)
{
  g_autoptr(GVariant) last = find_tile (tiles, "page-20", "grid");

  return last != NULL;
}

static void
test_apps_beyond_a_page_go_to_the_next (void)
{
  g_autoptr(GVariant) tiles = NULL;
  int on_first = 0, on_second = 0;

  /* Two on the pages already; twenty more make 22, one page and two. */
  for (int i = 1; i <= 20; i++) {
    g_autofree char *id = g_strdup_printf ("page-%02d", i);

    install_hosted (id, "home-fern");
  }
  tiles = wait_for_tiles (has_second_page, NULL, "the twentieth extra app");

  for (gsize i = 0; i < g_variant_n_children (tiles); i++) {
    g_autoptr(GVariant) tile = g_variant_get_child_value (tiles, i);

    if (!g_str_equal (tile_string (tile, "place"), "grid"))
      continue;
    if (tile_int (tile, "page") == 0)
      on_first++;
    else if (tile_int (tile, "page") == 1)
      on_second++;
    else
      g_error ("a tile on page %d", tile_int (tile, "page"));
  }
  g_assert_cmpint (on_first, ==, 20);
  g_assert_cmpint (on_second, ==, 2);
  {
    g_autoptr(GVariant) last = find_tile (tiles, "page-20", "grid");

    g_assert_cmpint (tile_int (last, "page"), ==, 1);
    g_assert_cmpint (tile_int (last, "position"), ==, 1);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *webapps = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  /* In order: each goes on from where the one before left the home
   * screen. */
  g_test_add_func ("/yun/e2e/home/shows-every-installed-app-with-its-icon",
                   test_shows_every_installed_app_with_its_icon);
  g_test_add_func ("/yun/e2e/home/search-filters-apps-by-name", test_search_filters_apps_by_name);
  g_test_add_func ("/yun/e2e/home/dock-add-and-remove", test_dock_add_and_remove);
  g_test_add_func ("/yun/e2e/home/moved-tile-stays-after-restart",
                   test_moved_tile_stays_after_restart);
  g_test_add_func ("/yun/e2e/home/uninstall-from-menu-removes-tile",
                   test_uninstall_from_menu_removes_tile);
  g_test_add_func ("/yun/e2e/home/apps-beyond-a-page-go-to-the-next",
                   test_apps_beyond_a_page_go_to_the_next);

  zip_dir = g_dir_make_tmp ("yun-home-XXXXXX", NULL);
  webapps = g_test_build_filename (G_TEST_DIST, "data", "webapps", NULL);
  e2e = yun_e2e_start (webapps, START_APP);
  status = g_test_run ();
  yun_e2e_stop (e2e);
  yun_test_remove_tree (zip_dir);
  g_free (zip_dir);

  return status;
}
