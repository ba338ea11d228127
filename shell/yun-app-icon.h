/* yun-app-icon.h: an app's icon on the home screen, or its letter.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define YUN_TYPE_APP_ICON (yun_app_icon_get_type ())
G_DECLARE_FINAL_TYPE (YunAppIcon, yun_app_icon, YUN, APP_ICON, GtkWidget)

GtkWidget  *yun_app_icon_new         (int            size);
void        yun_app_icon_set_letter  (YunAppIcon    *self,
                                      const char    *name,
                                      const GdkRGBA *color);
void        yun_app_icon_set_texture (YunAppIcon    *self,
                                      GdkTexture    *texture,
                                      gboolean       maskable);
GdkTexture *yun_app_icon_get_texture (YunAppIcon    *self);
int         yun_app_icon_get_size    (YunAppIcon    *self);

G_END_DECLS
