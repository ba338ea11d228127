/* yun-camera-taker.h: takes pictures for apps with the shell's viewfinder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <webkit/webkit.h>

#include "yun-geolocation-hub.h"
#include "yun-permission-gate.h"
#include "yun-picture-taker.h"
#include "yun-viewfinder.h"

G_BEGIN_DECLS

/**
 * YunCameraMark:
 * @name: "open", "camera-ready", "first-frame", "shutter", "captured" or
 *   "closed"
 * @time: when, from g_get_real_time()
 *
 * A moment of the last viewfinder session.
 */
typedef struct {
  const char *name;
  gint64 time;
} YunCameraMark;

#define YUN_TYPE_CAMERA_TAKER (yun_camera_taker_get_type ())
G_DECLARE_FINAL_TYPE (YunCameraTaker, yun_camera_taker, YUN, CAMERA_TAKER, GObject)

void            yun_camera_taker_set_location_source (YunCameraTaker       *self,
                                                     YunGeolocationHub    *hub);
YunCameraTaker *yun_camera_taker_new              (YunViewfinder            *viewfinder,
                                                   const char               *source);
gboolean        yun_camera_taker_get_active       (YunCameraTaker           *self);
const char     *yun_camera_taker_get_source       (YunCameraTaker           *self);
YunViewfinder  *yun_camera_taker_get_viewfinder   (YunCameraTaker           *self);
GArray         *yun_camera_taker_get_marks        (YunCameraTaker           *self);
gboolean        yun_camera_taker_cancel           (YunCameraTaker           *self);
void            yun_camera_taker_run_file_chooser (YunCameraTaker           *self,
                                                   WebKitFileChooserRequest *request,
                                                   YunPermissionGate        *gate,
                                                   const char               *app_id,
                                                   YunManifest              *manifest,
                                                   const char               *cache_dir,
                                                   GCancellable             *cancellable);

G_END_DECLS
