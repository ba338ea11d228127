/* yun-sync-endpoint-private.h: what the replicator asks of an endpoint.
 *
 * Every call blocks (disk or network), so it runs in a worker thread.
 * The JSON handed back has been checked: members the replicator reads
 * have the types it expects.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "yun-sync-endpoint.h"

G_BEGIN_DECLS

/* The largest answer read from a server, and the deepest nesting in it:
 * a document may nest YUN_DOC_STORE_MAX_DEPTH deep inside a few levels of
 * protocol envelope. */
#define YUN_SYNC_MAX_RESPONSE (256 * 1024 * 1024)
#define YUN_SYNC_MAX_DEPTH    (YUN_DOC_STORE_MAX_DEPTH + 8)

/* Members that may be missing or of another type: NULL then, where
 * json-glib's own getters would complain. */
static inline JsonArray *
yun_sync_array_member (JsonObject *object,
                       const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static inline JsonObject *
yun_sync_object_member (JsonObject *object,
                        const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* One replication's use of an endpoint: cancellation and traffic. */
typedef struct {
  GCancellable *cancellable;
  guint64       bytes_sent;
  guint64       bytes_received;
} YunSyncCall;

/* The database: exists, or is created when @create. */
gboolean     yun_sync_endpoint_open_db         (YunSyncEndpoint  *self,
                                                gboolean          create,
                                                YunSyncCall      *call,
                                                GError          **error);
/* A stable name for the database, for the replication id: the URL without
 * credentials, or the local database's name and its unique id. */
char        *yun_sync_endpoint_dup_identity    (YunSyncEndpoint  *self,
                                                YunSyncCall      *call,
                                                GError          **error);
/* `_local/<id>`, or NULL without error when there is none. */
JsonObject  *yun_sync_endpoint_get_local       (YunSyncEndpoint  *self,
                                                const char       *id,
                                                YunSyncCall      *call,
                                                GError          **error);
/* Writes a `_local/` document; returns its new `_rev`. */
char        *yun_sync_endpoint_put_local       (YunSyncEndpoint  *self,
                                                JsonObject       *doc,
                                                YunSyncCall      *call,
                                                GError          **error);
/* `_changes?style=all_docs&since=@since&limit=@limit`: {results: [{seq,
 * id, changes: [{rev}]}], last_seq}, every id and rev checked.  @since
 * NULL means from the start. */
JsonObject  *yun_sync_endpoint_changes         (YunSyncEndpoint  *self,
                                                JsonNode         *since,
                                                guint             limit,
                                                YunSyncCall      *call,
                                                GError          **error);
/* `_revs_diff`: {id: {missing: [rev], possible_ancestors?: [rev]}},
 * limited to the ids and revisions asked about. */
JsonObject  *yun_sync_endpoint_revs_diff       (YunSyncEndpoint  *self,
                                                JsonObject       *revs,
                                                YunSyncCall      *call,
                                                GError          **error);
/* The missing revisions of a `_revs_diff` answer, each a document with
 * `_revisions`.  A remote source gives attachments inline as base64,
 * except those the target has (from `possible_ancestors`, as
 * `atts_since`), which are stubs; a local source gives every attachment
 * as a stub, for yun_sync_endpoint_inline_attachments().  Revisions the
 * source no longer has are left out. */
JsonArray   *yun_sync_endpoint_fetch           (YunSyncEndpoint  *self,
                                                JsonObject       *diff,
                                                YunSyncCall      *call,
                                                GError          **error);
/* Replaces the stubs of a revision fetched from a local source with
 * base64 data, except attachments unchanged since generation
 * @ancestor_pos, which the target holds.  Nothing to do for a remote
 * source. */
gboolean     yun_sync_endpoint_inline_attachments (YunSyncEndpoint *self,
                                                JsonObject       *doc,
                                                guint             ancestor_pos,
                                                GError          **error);
/* `_bulk_docs` with `new_edits: false`; @n_failed counts the documents
 * the endpoint refused one by one. */
gboolean     yun_sync_endpoint_write           (YunSyncEndpoint  *self,
                                                JsonArray        *docs,
                                                guint            *n_failed,
                                                YunSyncCall      *call,
                                                GError          **error);

/* The remote side, in yun-sync-endpoint-http.c. */
typedef struct _YunSyncHttp YunSyncHttp;

YunSyncHttp *yun_sync_http_new                 (GUri             *uri,
                                                GError          **error);
void         yun_sync_http_free                (YunSyncHttp      *http);
const char  *yun_sync_http_get_url             (YunSyncHttp      *http);
void         yun_sync_http_set_authorization   (YunSyncHttp      *http,
                                                const char       *value);
void         yun_sync_http_set_timeout         (YunSyncHttp      *http,
                                                guint             seconds);
gboolean     yun_sync_http_open_db             (YunSyncHttp      *http,
                                                gboolean          create,
                                                YunSyncCall      *call,
                                                GError          **error);
JsonObject  *yun_sync_http_get_local           (YunSyncHttp      *http,
                                                const char       *id,
                                                YunSyncCall      *call,
                                                GError          **error);
char        *yun_sync_http_put_local           (YunSyncHttp      *http,
                                                JsonObject       *doc,
                                                YunSyncCall      *call,
                                                GError          **error);
JsonObject  *yun_sync_http_changes             (YunSyncHttp      *http,
                                                JsonNode         *since,
                                                guint             limit,
                                                YunSyncCall      *call,
                                                GError          **error);
JsonObject  *yun_sync_http_revs_diff           (YunSyncHttp      *http,
                                                JsonObject       *revs,
                                                YunSyncCall      *call,
                                                GError          **error);
JsonArray   *yun_sync_http_fetch               (YunSyncHttp      *http,
                                                JsonObject       *diff,
                                                YunSyncCall      *call,
                                                GError          **error);
gboolean     yun_sync_http_write               (YunSyncHttp      *http,
                                                JsonArray        *docs,
                                                guint            *n_failed,
                                                YunSyncCall      *call,
                                                GError          **error);
void         yun_sync_http_wait_changes_async  (YunSyncHttp      *http,
                                                JsonNode         *since,
                                                guint             heartbeat_ms,
                                                GCancellable     *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer          user_data);
gboolean     yun_sync_http_wait_changes_finish (YunSyncHttp      *http,
                                                GAsyncResult     *result,
                                                GError          **error);

/* For YunSync: the remote side's long poll, and the local side's store. */
YunSyncHttp *yun_sync_endpoint_get_http        (YunSyncEndpoint  *self);
YunDocStore *yun_sync_endpoint_get_store       (YunSyncEndpoint  *self);
const char  *yun_sync_endpoint_get_db          (YunSyncEndpoint  *self);

G_END_DECLS
