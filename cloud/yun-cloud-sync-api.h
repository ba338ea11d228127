/* yun-cloud-sync-api.h: the CouchDB replication API of yun-cloud, per user
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "yun-cloud-auth.h"

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The largest request body under /sync/, such as a _bulk_docs batch or an
 * attachment: 64 MiB. */
#define YUN_CLOUD_SYNC_API_MAX_BODY ((goffset) 64 * 1024 * 1024)
/* The longest a longpoll _changes request waits, in milliseconds. */
#define YUN_CLOUD_SYNC_API_MAX_LONGPOLL_MS 60000
/* The CouchDB version yun-cloud answers like. */
#define YUN_CLOUD_SYNC_API_COUCHDB_VERSION "3.3.3"

#define YUN_TYPE_CLOUD_SYNC_API (yun_cloud_sync_api_get_type ())

G_DECLARE_FINAL_TYPE (YunCloudSyncApi, yun_cloud_sync_api, YUN, CLOUD_SYNC_API, GObject)

YunCloudSyncApi *yun_cloud_sync_api_new    (YunCloudAuth       *auth,
                                            const char         *users_dir);
void             yun_cloud_sync_api_handle (YunCloudSyncApi    *self,
                                            SoupServerMessage  *msg,
                                            const char         *path,
                                            GHashTable         *query);

G_END_DECLS
