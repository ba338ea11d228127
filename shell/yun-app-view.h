/* yun-app-view.h: one running app: its web view, web context and data.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <webkit/webkit.h>

#include "yun-bridge.h"
#include "yun-manifest.h"

G_BEGIN_DECLS

/**
 * YunLaunchMark:
 * @name: "tap", "splash", "committed", "load-finished" or "first-paint"
 * @time: when, in microseconds since the epoch
 */
typedef struct {
  const char *name;
  gint64 time;
} YunLaunchMark;

#define YUN_TYPE_APP_VIEW (yun_app_view_get_type ())
G_DECLARE_FINAL_TYPE (YunAppView, yun_app_view, YUN, APP_VIEW, GtkWidget)

YunAppView    *yun_app_view_new          (const char  *app_id,
                                          YunManifest *manifest,
                                          const char  *profile_dir,
                                          YunBridge   *bridge);
const char    *yun_app_view_get_app_id   (YunAppView  *self);
YunManifest   *yun_app_view_get_manifest (YunAppView  *self);
WebKitWebView *yun_app_view_get_web_view (YunAppView  *self);
void           yun_app_view_start        (YunAppView  *self,
                                          gint64       tap_time,
                                          const char  *url);
GArray        *yun_app_view_get_launch_marks (YunAppView *self);
void           yun_app_view_prewarm      (YunAppView  *self);
GCancellable  *yun_app_view_get_page_cancellable (YunAppView *self);
gboolean       yun_app_view_get_health   (YunAppView  *self,
                                          guint       *crashes_in_a_row,
                                          const char **notice);

void           yun_app_view_send_event   (YunAppView  *self,
                                          const char  *api,
                                          const char  *type,
                                          JsonNode    *detail);

const char    *yun_app_view_get_extension_dir (void);

G_END_DECLS
