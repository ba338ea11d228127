/* yun-apps-host.h: the shell's side of navigator.yun.apps.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define YUN_TYPE_APPS_HOST (yun_apps_host_get_type ())
G_DECLARE_FINAL_TYPE (YunAppsHost, yun_apps_host, YUN, APPS_HOST, GObject)

YunAppsHost *yun_apps_host_new           (void);
void         yun_apps_host_send_progress (YunAppsHost *self,
                                          const char  *caller_id,
                                          const char  *app_id,
                                          const char  *phase,
                                          double       fraction);
void         yun_apps_host_closing       (YunAppsHost *self,
                                          const char  *app_id);
void         yun_apps_host_changed       (YunAppsHost *self,
                                          const char  *app_id,
                                          gboolean     installed);

G_END_DECLS
