/* yun-sync-account.h: the phone's account on yun-cloud, for sync.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "yun-sync.h"

G_BEGIN_DECLS

#define YUN_TYPE_SYNC_ACCOUNT (yun_sync_account_get_type ())
G_DECLARE_FINAL_TYPE (YunSyncAccount, yun_sync_account, YUN, SYNC_ACCOUNT, GObject)

YunSyncAccount *yun_sync_account_new            (YunSync              *sync,
                                                 SoupSession          *session,
                                                 const char           *cloud_url,
                                                 const char           *profile_dir);
void            yun_sync_account_restore        (YunSyncAccount       *self);
void            yun_sync_account_sign_in_async  (YunSyncAccount       *self,
                                                 const char           *name,
                                                 const char           *password,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
void            yun_sync_account_sign_in_to_async (YunSyncAccount     *self,
                                                 const char           *cloud_url,
                                                 const char           *name,
                                                 const char           *password,
                                                 gboolean              create,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean        yun_sync_account_sign_in_finish (YunSyncAccount       *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
void            yun_sync_account_sign_out       (YunSyncAccount       *self);
const char     *yun_sync_account_get_name       (YunSyncAccount       *self);
const char     *yun_sync_account_get_cloud_url  (YunSyncAccount       *self);
void            yun_sync_account_share_async    (YunSyncAccount       *self,
                                                 const char           *db,
                                                 const char           *id,
                                                 const char           *to,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
void            yun_sync_account_share_content_async (YunSyncAccount  *self,
                                                 const char           *title,
                                                 const char           *text,
                                                 const char           *url,
                                                 const char           *to,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
void            yun_sync_account_revoke_share_async (YunSyncAccount   *self,
                                                 const char           *token,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
JsonObject     *yun_sync_account_request_finish (YunSyncAccount       *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

G_END_DECLS
