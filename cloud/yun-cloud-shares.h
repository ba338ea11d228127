/* yun-cloud-shares.h: read-only links to one document, and copies into a
 * friend's account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "yun-cloud-auth.h"

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The path of the share routes under /accounts, and of the shared pages. */
#define YUN_CLOUD_SHARES_API_PATH "/accounts/shares"
#define YUN_CLOUD_SHARES_PAGE_PATH "/s"
/* Random bytes in a share token: 256 bits, 43 characters of base64url. */
#define YUN_CLOUD_SHARES_TOKEN_BYTES 32
/* The most shares one user may hold, revoked ones included. */
#define YUN_CLOUD_SHARES_MAX_PER_USER 10000

#define YUN_TYPE_CLOUD_SHARES (yun_cloud_shares_get_type ())

G_DECLARE_FINAL_TYPE (YunCloudShares, yun_cloud_shares, YUN, CLOUD_SHARES, GObject)

YunCloudShares *yun_cloud_shares_new         (YunCloudAuth       *auth,
                                              const char         *data_dir,
                                              GError            **error);
void            yun_cloud_shares_handle_api  (YunCloudShares     *self,
                                              SoupServerMessage  *msg,
                                              const char         *path,
                                              GHashTable         *query);
void            yun_cloud_shares_handle_page (YunCloudShares     *self,
                                              SoupServerMessage  *msg,
                                              const char         *path,
                                              GHashTable         *query);

G_END_DECLS
