/* yun-app-switcher.h: the task switcher: a card per open app.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "yun-running-apps.h"

G_BEGIN_DECLS

#define YUN_TYPE_APP_SWITCHER (yun_app_switcher_get_type ())
G_DECLARE_FINAL_TYPE (YunAppSwitcher, yun_app_switcher, YUN, APP_SWITCHER, GtkWidget)

YunAppSwitcher *yun_app_switcher_new     (void);
void            yun_app_switcher_refresh (YunAppSwitcher *self,
                                          YunRunningApps *apps);

G_END_DECLS
