/* yun-sync-endpoint.h: one side of a replication, a local database or a
 * remote one that speaks the CouchDB replication protocol.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "yun-doc-store.h"

G_BEGIN_DECLS

/* How long a remote endpoint waits on a silent server, in seconds. */
#define YUN_SYNC_ENDPOINT_DEFAULT_TIMEOUT 60

/**
 * YunSyncEndpoint:
 *
 * Where a replication reads or writes: a database of the local
 * #YunDocStore, or a database on a CouchDB-compatible server (Apache
 * CouchDB, PouchDB Server, yun-cloud) given by its URL.
 *
 * Configure a remote endpoint (credentials, timeout) right after creating
 * it, before any replication uses it; from then on it may be used from
 * worker threads.
 */
#define YUN_TYPE_SYNC_ENDPOINT (yun_sync_endpoint_get_type ())
G_DECLARE_FINAL_TYPE (YunSyncEndpoint, yun_sync_endpoint, YUN, SYNC_ENDPOINT, GObject)

YunSyncEndpoint *yun_sync_endpoint_new_local        (YunDocStore      *store,
                                                     const char       *db);
YunSyncEndpoint *yun_sync_endpoint_new_remote       (const char       *url,
                                                     GError          **error);
void             yun_sync_endpoint_set_basic_auth   (YunSyncEndpoint  *self,
                                                     const char       *user,
                                                     const char       *password);
void             yun_sync_endpoint_set_bearer_token (YunSyncEndpoint  *self,
                                                     const char       *token);
void             yun_sync_endpoint_set_timeout      (YunSyncEndpoint  *self,
                                                     guint             seconds);
gboolean         yun_sync_endpoint_is_remote        (YunSyncEndpoint  *self);
const char      *yun_sync_endpoint_get_description  (YunSyncEndpoint  *self);

G_END_DECLS
