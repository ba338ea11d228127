/* yun-account-page.h: the cloud account section of Settings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "yun-sync-account.h"

G_BEGIN_DECLS

#define YUN_TYPE_ACCOUNT_PAGE (yun_account_page_get_type ())
G_DECLARE_FINAL_TYPE (YunAccountPage, yun_account_page, YUN, ACCOUNT_PAGE, GtkWidget)

YunAccountPage *yun_account_page_new         (void);
void            yun_account_page_set_account (YunAccountPage *self,
                                              YunSyncAccount *account,
                                              YunSync        *sync);
GtkWidget      *yun_account_page_lookup      (YunAccountPage *self,
                                              const char     *name);

G_END_DECLS
