/* yun-running-apps.h: the apps the user has open, live or suspended.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "yun-app-view.h"

G_BEGIN_DECLS

/* How many apps keep a web view unless the shell is told otherwise. */
#define YUN_RUNNING_APPS_DEFAULT_MAX_LIVE 4

/**
 * YunRunningAppState:
 * @YUN_RUNNING_APP_LIVE: the app has a web view and a web process
 * @YUN_RUNNING_APP_SUSPENDING: it was told to freeze and is being put away
 * @YUN_RUNNING_APP_SUSPENDED: only its snapshot, URL and scroll position
 *   are kept; opening it again restores them
 */
typedef enum {
  YUN_RUNNING_APP_LIVE,
  YUN_RUNNING_APP_SUSPENDING,
  YUN_RUNNING_APP_SUSPENDED,
} YunRunningAppState;

/**
 * YunRunningApp:
 * @app_id: the app's id
 * @manifest: its manifest
 * @state: live, suspending or suspended
 * @view: (nullable): its view while live or suspending
 * @snapshot: (nullable): what it last showed, for the task switcher
 * @url: (nullable): where it was when suspended
 * @scroll_x: its horizontal scroll position when suspended
 * @scroll_y: its vertical scroll position when suspended
 *
 * One open app.  Read-only for callers.
 */
typedef struct {
  char *app_id;
  YunManifest *manifest;
  YunRunningAppState state;
  YunAppView *view;
  GdkTexture *snapshot;
  char *url;
  double scroll_x;
  double scroll_y;
  /*< private >*/
  GCancellable *cancellable;
  gboolean restoring;
} YunRunningApp;

#define YUN_TYPE_RUNNING_APPS (yun_running_apps_get_type ())
G_DECLARE_FINAL_TYPE (YunRunningApps, yun_running_apps, YUN, RUNNING_APPS, GObject)

YunRunningApps *yun_running_apps_new          (guint           max_live);
guint           yun_running_apps_get_max_live (YunRunningApps *self);
GPtrArray      *yun_running_apps_list         (YunRunningApps *self);
YunRunningApp  *yun_running_apps_lookup       (YunRunningApps *self,
                                               const char     *app_id);
YunRunningApp  *yun_running_apps_lookup_view  (YunRunningApps *self,
                                               YunAppView     *view);
void            yun_running_apps_add          (YunRunningApps *self,
                                               YunAppView     *view,
                                               gboolean        restoring);
void            yun_running_apps_touch        (YunRunningApps *self,
                                               const char     *app_id);
void            yun_running_apps_remove       (YunRunningApps *self,
                                               const char     *app_id);
void            yun_running_apps_update_snapshot (YunRunningApps *self,
                                                  const char     *app_id);
const char     *yun_running_app_state_to_string  (YunRunningAppState state);

G_END_DECLS
