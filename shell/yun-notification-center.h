/* yun-notification-center.h: the notifications apps have shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <webkit/webkit.h>

G_BEGIN_DECLS

/**
 * YunNotificationEntry:
 * @id: the shell's id for it, unique while the shell runs
 * @app_id: the app that showed it
 * @app_name: the app's name
 * @title: its title
 * @body: its text
 * @time: when it was shown, from g_get_real_time()
 *
 * One notification.  Read-only for callers.
 */
typedef struct {
  guint id;
  char *app_id;
  char *app_name;
  char *title;
  char *body;
  gint64 time;
  /*< private >*/
  WebKitNotification *notification;
} YunNotificationEntry;

/* The most notifications kept; older ones go first. */
#define YUN_NOTIFICATION_CENTER_MAX 100

#define YUN_TYPE_NOTIFICATION_CENTER (yun_notification_center_get_type ())
G_DECLARE_FINAL_TYPE (YunNotificationCenter, yun_notification_center, YUN, NOTIFICATION_CENTER, GObject)

YunNotificationCenter *yun_notification_center_new      (void);
guint      yun_notification_center_add          (YunNotificationCenter *self,
                                                 const char            *app_id,
                                                 const char            *app_name,
                                                 WebKitNotification    *notification);
GPtrArray *yun_notification_center_list         (YunNotificationCenter *self);
guint      yun_notification_center_count_for_app (YunNotificationCenter *self,
                                                  const char            *app_id);
char      *yun_notification_center_activate     (YunNotificationCenter *self,
                                                 guint                  id);
void       yun_notification_center_dismiss      (YunNotificationCenter *self,
                                                 guint                  id);

G_END_DECLS
