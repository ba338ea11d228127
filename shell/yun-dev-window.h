/* yun-dev-window.h: the developer session's browser-like window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <libsoup/soup.h>

#include "yun-app-view.h"
#include "yun-bridge-log.h"
#include "yun-emulation-panel.h"
#include "yun-geolocation-hub.h"
#include "yun-shell-dbus.h"

G_BEGIN_DECLS

/**
 * YunDevicePreset:
 * @name: what the drop-down shows
 * @width: CSS pixels wide, upright
 * @height: CSS pixels high, upright
 */
typedef struct {
  const char *name;
  int width;
  int height;
} YunDevicePreset;

#define YUN_TYPE_DEV_WINDOW (yun_dev_window_get_type ())
G_DECLARE_FINAL_TYPE (YunDevWindow, yun_dev_window, YUN, DEV_WINDOW, GtkApplicationWindow)

YunDevWindow      *yun_dev_window_new              (GtkApplication      *application,
                                                    GtkWidget           *screen,
                                                    YunGeolocationHub   *hub);
void               yun_dev_window_set_bridge       (YunDevWindow        *self,
                                                    YunBridge           *bridge);
void               yun_dev_window_set_app_view     (YunDevWindow        *self,
                                                    YunAppView          *view);
YunAppView        *yun_dev_window_get_app_view     (YunDevWindow        *self);
gboolean           yun_dev_window_navigate         (YunDevWindow        *self,
                                                    const char          *url,
                                                    GError             **error);
YunEmulationPanel *yun_dev_window_get_emulation_panel (YunDevWindow     *self);
YunBridgeLog      *yun_dev_window_get_bridge_log   (YunDevWindow        *self);
void               yun_dev_window_set_preset       (YunDevWindow        *self,
                                                    guint                preset,
                                                    gboolean             rotated,
                                                    int                  scale);
const YunDevicePreset *yun_dev_window_get_presets  (guint               *n_presets);
void               yun_dev_window_connect_automation (YunDevWindow      *self,
                                                      YunShell1         *automation);

void               yun_dev_window_find_app_async   (YunDevWindow        *self,
                                                    SoupSession         *session,
                                                    const char          *target,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
YunManifest       *yun_dev_window_find_app_finish  (YunDevWindow        *self,
                                                    GAsyncResult        *result,
                                                    char               **app_id,
                                                    char               **url,
                                                    GError             **error);

G_END_DECLS
