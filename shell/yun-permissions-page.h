/* yun-permissions-page.h: the permission centre.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "yun-account-page.h"
#include "yun-permission-store.h"

G_BEGIN_DECLS

#define YUN_TYPE_PERMISSIONS_PAGE (yun_permissions_page_get_type ())
G_DECLARE_FINAL_TYPE (YunPermissionsPage, yun_permissions_page, YUN, PERMISSIONS_PAGE, GtkWidget)

YunPermissionsPage *yun_permissions_page_new     (void);
void                yun_permissions_page_refresh (YunPermissionsPage *self,
                                                  YunPermissionStore *store);
YunAccountPage     *yun_permissions_page_get_account_page (YunPermissionsPage *self);

G_END_DECLS
