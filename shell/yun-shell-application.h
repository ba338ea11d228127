/* yun-shell-application.h: the yun-shell process.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/**
 * YunShellOptions:
 * @cloud_url: the base URL of yun-cloud, ending in a slash
 * @profile_dir: the user's profile folder
 * @app_id: (nullable): the app to open at start
 * @width: the screen's width
 * @height: the screen's height
 * @screenshot_path: (nullable): write a PNG of the screen once the app has
 *   loaded, then quit
 * @automation: export org.yun.Shell1 on the session bus
 * @max_live_apps: how many apps keep a web view before the least recently
 *   used is suspended
 * @start_time: when the process started, from g_get_real_time()
 * @location_spec: (nullable): the location source, as
 *   yun_location_new_for_spec() reads it; %NULL for the system's
 * @camera_source: (nullable): the camera source, as yun_camera_new()
 *   takes it ("auto", "test" ...); %NULL for "auto"
 * @dev: open the developer session's window instead of the phone's
 * @dev_target: (nullable): with @dev, the URL or folder of the app to open
 */
typedef struct {
  char *cloud_url;
  char *profile_dir;
  char *app_id;
  int width;
  int height;
  char *screenshot_path;
  gboolean automation;
  guint max_live_apps;
  gint64 start_time;
  char *location_spec;
  char *camera_source;
  char *sync_url;
  char *sync_user;
  gboolean dev;
  char *dev_target;
} YunShellOptions;

#define YUN_TYPE_SHELL_APPLICATION (yun_shell_application_get_type ())
G_DECLARE_FINAL_TYPE (YunShellApplication, yun_shell_application, YUN, SHELL_APPLICATION, GtkApplication)

YunShellApplication *yun_shell_application_new         (const YunShellOptions *options);
int                  yun_shell_application_get_status  (YunShellApplication   *self);

G_END_DECLS
