/* yun-emulation-panel.h: the developer session's emulated phone: location,
 * camera, contacts, network and the current app's permissions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>
#include <webkit/webkit.h>

#include "yun-bridge.h"
#include "yun-geolocation-hub.h"

G_BEGIN_DECLS

#define YUN_TYPE_EMULATION_PANEL (yun_emulation_panel_get_type ())
G_DECLARE_FINAL_TYPE (YunEmulationPanel, yun_emulation_panel, YUN, EMULATION_PANEL, GtkWidget)

YunEmulationPanel *yun_emulation_panel_new          (YunGeolocationHub  *hub);
void               yun_emulation_panel_set_bridge   (YunEmulationPanel  *self,
                                                     YunBridge          *bridge);
void               yun_emulation_panel_set_app      (YunEmulationPanel  *self,
                                                     const char         *app_id,
                                                     YunManifest        *manifest,
                                                     WebKitWebView      *web_view);
gboolean           yun_emulation_panel_set_location (YunEmulationPanel  *self,
                                                     const char         *spec,
                                                     GError            **error);
gboolean           yun_emulation_panel_get_offline  (YunEmulationPanel  *self);
void               yun_emulation_panel_set_offline  (YunEmulationPanel  *self,
                                                     gboolean            offline);
gboolean           yun_emulation_panel_set_camera_source (YunEmulationPanel  *self,
                                                          const char         *source,
                                                          GError            **error);
void               yun_emulation_panel_import_contacts_async  (YunEmulationPanel   *self,
                                                               const char          *path,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
JsonObject        *yun_emulation_panel_import_contacts_finish (YunEmulationPanel   *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);
gboolean           yun_emulation_panel_set_permission (YunEmulationPanel  *self,
                                                       const char         *permission,
                                                       const char         *state,
                                                       GError            **error);

G_END_DECLS
