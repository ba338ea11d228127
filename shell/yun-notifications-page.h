/* yun-notifications-page.h: the list of notifications.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "yun-notification-center.h"

G_BEGIN_DECLS

#define YUN_TYPE_NOTIFICATIONS_PAGE (yun_notifications_page_get_type ())
G_DECLARE_FINAL_TYPE (YunNotificationsPage, yun_notifications_page, YUN, NOTIFICATIONS_PAGE, GtkWidget)

YunNotificationsPage *yun_notifications_page_new     (void);
void                  yun_notifications_page_refresh (YunNotificationsPage  *self,
                                                      YunNotificationCenter *center);

G_END_DECLS
