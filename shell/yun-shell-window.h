/* yun-shell-window.h: the phone's screen: status bar and the open app.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "yun-app-switcher.h"
#include "yun-app-view.h"
#include "yun-contact-picker-sheet.h"
#include "yun-share-sheet.h"
#include "yun-permission-sheet.h"
#include "yun-home-page.h"
#include "yun-notifications-page.h"
#include "yun-permissions-page.h"
#include "yun-running-apps.h"
#include "yun-viewfinder.h"

G_BEGIN_DECLS

#define YUN_TYPE_SHELL_WINDOW (yun_shell_window_get_type ())
G_DECLARE_FINAL_TYPE (YunShellWindow, yun_shell_window, YUN, SHELL_WINDOW, GtkApplicationWindow)

YunShellWindow *yun_shell_window_new            (GtkApplication  *application,
                                                 int              width,
                                                 int              height,
                                                 guint            max_live);
YunRunningApps *yun_shell_window_get_running_apps (YunShellWindow *self);
void            yun_shell_window_show_switcher  (YunShellWindow  *self);
YunNotificationCenter *yun_shell_window_get_notification_center (YunShellWindow *self);
void            yun_shell_window_show_notifications (YunShellWindow *self);
void            yun_shell_window_set_indicator  (YunShellWindow  *self,
                                                 const char      *name,
                                                 gboolean         on);
GStrv           yun_shell_window_get_indicators (YunShellWindow  *self);
void            yun_shell_window_set_sync_state (YunShellWindow  *self,
                                                 const char      *state);
void            yun_shell_window_show_app       (YunShellWindow  *self,
                                                 YunAppView      *view);
void            yun_shell_window_show_message   (YunShellWindow  *self,
                                                 const char      *title,
                                                 const char      *detail);
YunAppView     *yun_shell_window_get_app_view   (YunShellWindow  *self);
YunPermissionSheet *yun_shell_window_get_permission_sheet (YunShellWindow *self);
YunContactPickerSheet *yun_shell_window_get_contact_picker (YunShellWindow *self);
YunShareSheet         *yun_shell_window_get_share_sheet    (YunShellWindow *self);
YunViewfinder  *yun_shell_window_get_viewfinder    (YunShellWindow     *self);
void            yun_shell_window_show_permissions (YunShellWindow     *self,
                                                   YunPermissionStore *store);
void            yun_shell_window_show_current_app (YunShellWindow     *self);
void            yun_shell_window_show_home        (YunShellWindow     *self);
void            yun_shell_window_close_app        (YunShellWindow     *self,
                                                   const char         *app_id);
YunHomePage    *yun_shell_window_get_home_page    (YunShellWindow     *self);
YunPermissionsPage *yun_shell_window_get_permissions_page (YunShellWindow *self);
const char     *yun_shell_window_get_visible_page (YunShellWindow     *self);

G_END_DECLS
