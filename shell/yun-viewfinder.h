/* yun-viewfinder.h: the full-screen camera an app asked for.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define YUN_TYPE_VIEWFINDER (yun_viewfinder_get_type ())
G_DECLARE_FINAL_TYPE (YunViewfinder, yun_viewfinder, YUN, VIEWFINDER, GtkWidget)

YunViewfinder *yun_viewfinder_new              (void);
void           yun_viewfinder_open             (YunViewfinder  *self,
                                                const char     *app_name);
void           yun_viewfinder_close            (YunViewfinder  *self);
gboolean       yun_viewfinder_is_open          (YunViewfinder  *self);
const char    *yun_viewfinder_get_app_name     (YunViewfinder  *self);
void           yun_viewfinder_show_frame       (YunViewfinder  *self,
                                                GBytes         *pixels,
                                                int             width,
                                                int             height,
                                                int             stride);
guint          yun_viewfinder_get_frame_count  (YunViewfinder  *self);
void           yun_viewfinder_set_status       (YunViewfinder  *self,
                                                const char     *status);
void           yun_viewfinder_set_can_switch   (YunViewfinder  *self,
                                                gboolean        can_switch);
void           yun_viewfinder_set_busy         (YunViewfinder  *self,
                                                gboolean        busy);
void           yun_viewfinder_get_preview_size (YunViewfinder  *self,
                                                int            *width,
                                                int            *height);
gboolean       yun_viewfinder_press            (YunViewfinder  *self,
                                                const char     *button,
                                                GError        **error);

G_END_DECLS
