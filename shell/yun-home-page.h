/* yun-home-page.h: the home screen: pages of apps, a dock and search.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <libsoup/soup.h>

#include "yun-app-registry.h"
#include "yun-home-search.h"

G_BEGIN_DECLS

/* Apps per row and rows per page of the installed apps' grid. */
#define YUN_HOME_PAGE_COLUMNS 4
#define YUN_HOME_PAGE_ROWS    5
/* The side of an app's icon, in CSS pixels. */
#define YUN_HOME_PAGE_ICON_SIZE 56

#define YUN_TYPE_HOME_PAGE (yun_home_page_get_type ())
G_DECLARE_FINAL_TYPE (YunHomePage, yun_home_page, YUN, HOME_PAGE, GtkWidget)

YunHomePage *yun_home_page_new  (void);
void         yun_home_page_set_registry (YunHomePage    *self,
                                         YunAppRegistry *registry);
void         yun_home_page_show_installed (YunHomePage *self,
                                           GPtrArray   *records);
void         yun_home_page_load (YunHomePage *self,
                                 SoupSession *session,
                                 const char  *cloud_url);
void         yun_home_page_set_badge (YunHomePage *self,
                                      const char  *app_id,
                                      guint        count);
void         yun_home_page_add_search_provider (YunHomePage           *self,
                                                YunHomeSearchProvider *provider);
void         yun_home_page_set_search_text (YunHomePage *self,
                                            const char  *text);

GVariant    *yun_home_page_describe_tiles (YunHomePage *self);
gboolean     yun_home_page_activate_menu_item (YunHomePage  *self,
                                               const char   *app_id,
                                               const char   *label,
                                               GError      **error);
gboolean     yun_home_page_move_focus (YunHomePage      *self,
                                       GtkDirectionType  direction);

G_END_DECLS
