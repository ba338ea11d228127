/* main.c: yun-shell, the phone's home screen and app runtime.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gtk/gtk.h>
#include <errno.h>

#include "yun-app-view.h"
#include "yun-running-apps.h"
#include "yun-shell-application.h"

static gboolean
parse_size (const char *text,
            int        *width,
            int        *height)
{
  guint64 w, h;
  char *end;

  if (text == NULL)
    return TRUE;

  w = g_ascii_strtoull (text, &end, 10);
  if (end == text || (*end != 'x' && *end != 'X'))
    return FALSE;
  text = end + 1;
  h = g_ascii_strtoull (text, &end, 10);
  if (end == text || *end != '\0' || w < 200 || h < 200 || w > 8192 || h > 8192)
    return FALSE;

  *width = (int) w;
  *height = (int) h;
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cloud_url = NULL;
  g_autofree char *profile_dir = NULL;
  g_autofree char *app_id = NULL;
  g_autofree char *size = NULL;
  g_autofree char *screenshot = NULL;
  g_autofree char *cloud_with_slash = NULL;
  g_autofree char *extension = NULL;
  g_autofree char *location = NULL;
  g_autofree char *sync_url = NULL;
  g_autofree char *sync_user = NULL;
  g_autofree char *camera = NULL;
  g_autofree char *dev_target = NULL;
  gboolean automation = FALSE;
  gboolean dev = FALSE;
  gboolean version = FALSE;
  int max_live = YUN_RUNNING_APPS_DEFAULT_MAX_LIVE;
  gint64 start_time = g_get_real_time ();
  const GOptionEntry entries[] = {
    { "cloud", 0, 0, G_OPTION_ARG_STRING, &cloud_url,
      "Base URL of yun-cloud (default: $YUN_CLOUD_URL)", "URL" },
    { "profile", 0, 0, G_OPTION_ARG_FILENAME, &profile_dir,
      "Profile folder for app data (default: ~/.local/share/yun)", "DIR" },
    { "app", 0, 0, G_OPTION_ARG_STRING, &app_id, "Open this app at start", "ID" },
    { "size", 0, 0, G_OPTION_ARG_STRING, &size,
      "Screen size in pixels (default: 360x760)", "WxH" },
    { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, &screenshot,
      "Once the app has loaded, save the screen to a PNG file and quit", "FILE" },
    { "max-live-apps", 0, 0, G_OPTION_ARG_INT, &max_live,
      "Apps kept running before the least recently used is suspended (default: 4)", "N" },
    { "location", 0, 0, G_OPTION_ARG_STRING, &location,
      "Where positions come from: geoclue (the default), fixed:LAT,LON[,ACCURACY] or "
      "gpx:FILE[@SPEED] (default: $YUN_LOCATION)", "SOURCE" },
    { "camera", 0, 0, G_OPTION_ARG_STRING, &camera,
      "The camera: auto (the default), pipewire, libcamera, v4l2 or test (moving colour bars)",
      "SOURCE" },
    { "sync-url", 0, 0, G_OPTION_ARG_STRING, &sync_url,
      "Sync with this CouchDB-protocol server (such as Apache CouchDB) instead of yun-cloud's "
      "account; the databases are URL/notes, URL/contacts, …", "URL" },
    { "sync-user", 0, 0, G_OPTION_ARG_STRING, &sync_user,
      "The user for --sync-url, with HTTP Basic; the password comes from $YUN_SYNC_PASSWORD",
      "NAME" },
    { "automation", 0, 0, G_OPTION_ARG_NONE, &automation,
      "Export org.yun.Shell1 on the session bus for tests and tools", NULL },
    { "dev", 0, 0, G_OPTION_ARG_NONE, &dev,
      "Developer session: a desktop window with URL bar, device presets, Web Inspector, "
      "emulation and a log of bridge calls; give the app's URL or folder after the options "
      "(or --app ID for the cloud's app)", NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and quit", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- the Yun phone shell");
  g_autoptr(GError) error = NULL;
  g_autoptr(YunShellApplication) application = NULL;
  YunShellOptions options = { .width = 360, .height = 760 };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("yun-shell: %s\nTry yun-shell --help.\n", error->message);
    return 2;
  }

  if (version) {
    g_print ("yun-shell %s\n", YUN_VERSION);
    return 0;
  }

  if (argc > 2 || (argc == 2 && !dev)) {
    g_printerr ("yun-shell: only --dev takes an argument (the app's URL or folder)\n"
                "Try yun-shell --help.\n");
    return 2;
  }
  if (argc == 2)
    dev_target = g_strdup (argv[1]);

  if (!parse_size (size, &options.width, &options.height)) {
    g_printerr ("yun-shell: --size wants WIDTHxHEIGHT between 200 and 8192, like 360x760\n");
    return 2;
  }

  if (max_live < 1 || max_live > 64) {
    g_printerr ("yun-shell: --max-live-apps wants a number from 1 to 64\n");
    return 2;
  }

  if (camera != NULL && !g_strv_contains ((const char * const []) { "auto", "pipewire", "libcamera",
                                                                   "v4l2", "test", NULL },
                                          camera)) {
    g_printerr ("yun-shell: --camera wants auto, pipewire, libcamera, v4l2 or test\n");
    return 2;
  }

  if (cloud_url == NULL)
    cloud_url = g_strdup (g_getenv ("YUN_CLOUD_URL"));
  if (cloud_url == NULL || !g_uri_is_valid (cloud_url, G_URI_FLAGS_NONE, NULL)) {
    g_printerr ("yun-shell: give the cloud's address with --cloud URL "
                "(yun-cloud prints it when it starts)\n");
    return 2;
  }
  cloud_with_slash = g_str_has_suffix (cloud_url, "/") ? g_strdup (cloud_url)
                                                        : g_strconcat (cloud_url, "/", NULL);

  if (profile_dir == NULL)
    profile_dir = g_build_filename (g_get_user_data_dir (), "yun", NULL);
  if (g_mkdir_with_parents (profile_dir, 0700) != 0) {
    g_printerr ("yun-shell: cannot create the profile folder %s: %s\n",
                profile_dir, g_strerror (errno));
    return 1;
  }

  extension = g_build_filename (yun_app_view_get_extension_dir (),
                               "libyunwebextension." G_MODULE_SUFFIX, NULL);
  if (!g_file_test (extension, G_FILE_TEST_IS_REGULAR)) {
    g_printerr ("yun-shell: the bridge's web-process extension is not at %s; "
                "install Yun, or point YUN_EXTENSION_DIR at the build's bridge/ folder\n",
                extension);
    return 1;
  }

  if (!gtk_init_check ()) {
    g_printerr ("yun-shell: no display to open a window on (neither WAYLAND_DISPLAY nor "
                "DISPLAY works).\n"
                "Without a screen, take a picture of the shell under Xvfb instead:\n"
                "  xvfb-run -a dbus-run-session -- yun-shell --cloud %s --app %s "
                "--screenshot yun.png\n", cloud_with_slash, app_id != NULL ? app_id : "hello");
    return 3;
  }

  options.cloud_url = cloud_with_slash;
  options.profile_dir = profile_dir;
  options.app_id = app_id;
  options.screenshot_path = screenshot;
  options.automation = automation;
  options.max_live_apps = (guint) max_live;
  options.start_time = start_time;
  options.location_spec = location != NULL ? location : (char *) g_getenv ("YUN_LOCATION");
  options.sync_url = sync_url;
  options.sync_user = sync_user;
  options.camera_source = camera;
  options.dev = dev;
  if (dev) {
    /* --dev --app ID is the cloud's app ID; the session opens it by URL. */
    if (dev_target == NULL && app_id != NULL)
      dev_target = g_strdup_printf ("%sapps/%s/", cloud_with_slash, app_id);
    options.dev_target = dev_target;
    options.app_id = NULL;
  }

  application = yun_shell_application_new (&options);
  if (g_application_run (G_APPLICATION (application), 1, argv) != 0)
    return 1;

  return yun_shell_application_get_status (application);
}
