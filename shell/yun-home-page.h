/* yun-home-page.h: the home screen's grid of apps.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <libsoup/soup.h>

#include "yun-app-registry.h"

G_BEGIN_DECLS

#define YUN_TYPE_HOME_PAGE (yun_home_page_get_type ())
G_DECLARE_FINAL_TYPE (YunHomePage, yun_home_page, YUN, HOME_PAGE, GtkWidget)

YunHomePage *yun_home_page_new  (void);
void         yun_home_page_show_installed (YunHomePage *self,
                                           GPtrArray   *records);
void         yun_home_page_load (YunHomePage *self,
                                 SoupSession *session,
                                 const char  *cloud_url);

G_END_DECLS
