/* yun-doc-store.h: the local JSON document store, CouchDB-compatible.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define YUN_DOC_STORE_ERROR (yun_doc_store_error_quark ())

/**
 * YunDocStoreError:
 * @YUN_DOC_STORE_ERROR_NOT_FOUND: no such database, document, revision or
 *   attachment (CouchDB's 404)
 * @YUN_DOC_STORE_ERROR_CONFLICT: the edit is not based on a current
 *   revision of the document (CouchDB's 409)
 * @YUN_DOC_STORE_ERROR_BAD_REQUEST: a document, id, name or argument is
 *   malformed; the message names what (CouchDB's 400)
 * @YUN_DOC_STORE_ERROR_TOO_LARGE: a document body is over
 *   %YUN_DOC_STORE_MAX_BODY bytes of JSON (CouchDB's 413)
 * @YUN_DOC_STORE_ERROR_EXISTS: the database already exists (CouchDB's 412)
 * @YUN_DOC_STORE_ERROR_IO: SQLite or the file system failed; the message
 *   carries SQLite's or the system's own
 * @YUN_DOC_STORE_ERROR_CORRUPT: the store's files are damaged, or were
 *   written by a newer version of Yun
 *
 * What went wrong with a document store operation.  Every operation that
 * fails changes nothing.
 */
typedef enum {
  YUN_DOC_STORE_ERROR_NOT_FOUND,
  YUN_DOC_STORE_ERROR_CONFLICT,
  YUN_DOC_STORE_ERROR_BAD_REQUEST,
  YUN_DOC_STORE_ERROR_TOO_LARGE,
  YUN_DOC_STORE_ERROR_EXISTS,
  YUN_DOC_STORE_ERROR_IO,
  YUN_DOC_STORE_ERROR_CORRUPT,
} YunDocStoreError;

/**
 * YunDocStoreGetFlags:
 * @YUN_DOC_STORE_GET_NONE: just the document
 * @YUN_DOC_STORE_GET_CONFLICTS: add `_conflicts`, the other leaf
 *   revisions that are not deleted, winner order
 * @YUN_DOC_STORE_GET_DELETED_CONFLICTS: add `_deleted_conflicts`, the
 *   other leaf revisions that are tombstones
 * @YUN_DOC_STORE_GET_REVISIONS: add `_revisions` {start, ids}, the
 *   revision's known ancestry, newest first
 * @YUN_DOC_STORE_GET_ATTACHMENTS: give attachments inline as base64
 *   `data` instead of stubs
 *
 * What yun_doc_store_get() and yun_doc_store_get_open_revs() add to a
 * document, like CouchDB's query options of the same names.
 */
typedef enum {
  YUN_DOC_STORE_GET_NONE              = 0,
  YUN_DOC_STORE_GET_CONFLICTS         = 1 << 0,
  YUN_DOC_STORE_GET_DELETED_CONFLICTS = 1 << 1,
  YUN_DOC_STORE_GET_REVISIONS         = 1 << 2,
  YUN_DOC_STORE_GET_ATTACHMENTS       = 1 << 3,
} YunDocStoreGetFlags;

/**
 * YunDocStoreChangesStyle:
 * @YUN_DOC_STORE_CHANGES_MAIN_ONLY: each row lists the winning revision
 * @YUN_DOC_STORE_CHANGES_ALL_DOCS: each row lists every leaf revision,
 *   the winner first
 *
 * CouchDB's `style` option of `_changes`.
 */
typedef enum {
  YUN_DOC_STORE_CHANGES_MAIN_ONLY,
  YUN_DOC_STORE_CHANGES_ALL_DOCS,
} YunDocStoreChangesStyle;

/* The longest document body accepted, as compact JSON without its
 * attachments' data. */
#define YUN_DOC_STORE_MAX_BODY (8 * 1024 * 1024)
/* The longest document id, in bytes of UTF-8. */
#define YUN_DOC_STORE_MAX_ID 512
/* The deepest nesting of objects and arrays in a document. */
#define YUN_DOC_STORE_MAX_DEPTH 128
/* How many generations of each branch of a revision tree are remembered,
 * CouchDB's default `_revs_limit`. */
#define YUN_DOC_STORE_DEFAULT_REVS_LIMIT 1000

/**
 * YunDocStore:
 *
 * A durable store of JSON documents with CouchDB revisions, in one SQLite
 * file with any number of named databases, ready to replicate with CouchDB
 * and PouchDB peers.
 *
 * All calls are synchronous and thread-safe: a mutex serializes them.
 * They block on disk, and every write waits until its data is synced, so
 * call them from a worker thread (a #GTask), never from the GTK main
 * thread.
 */
#define YUN_TYPE_DOC_STORE (yun_doc_store_get_type ())
G_DECLARE_FINAL_TYPE (YunDocStore, yun_doc_store, YUN, DOC_STORE, GObject)

GQuark        yun_doc_store_error_quark       (void);

YunDocStore  *yun_doc_store_open              (const char               *path,
                                               GError                  **error);
const char   *yun_doc_store_get_path          (YunDocStore              *self);
gboolean      yun_doc_store_check_integrity   (YunDocStore              *self,
                                               GError                  **error);
gboolean      yun_doc_store_collect_garbage   (YunDocStore              *self,
                                               guint                    *n_removed,
                                               GError                  **error);

gboolean      yun_doc_store_create_db         (YunDocStore              *self,
                                               const char               *db,
                                               GError                  **error);
gboolean      yun_doc_store_delete_db         (YunDocStore              *self,
                                               const char               *db,
                                               GError                  **error);
char        **yun_doc_store_list_dbs          (YunDocStore              *self,
                                               GError                  **error);
JsonObject   *yun_doc_store_get_db_info       (YunDocStore              *self,
                                               const char               *db,
                                               GError                  **error);
gboolean      yun_doc_store_set_revs_limit    (YunDocStore              *self,
                                               const char               *db,
                                               guint                     revs_limit,
                                               GError                  **error);

JsonObject   *yun_doc_store_parse_doc         (const char               *data,
                                               gsize                     length,
                                               GError                  **error);

char         *yun_doc_store_put               (YunDocStore              *self,
                                               const char               *db,
                                               JsonObject               *doc,
                                               char                    **id,
                                               GError                  **error);
char         *yun_doc_store_put_replicated    (YunDocStore              *self,
                                               const char               *db,
                                               JsonObject               *doc,
                                               GError                  **error);
char         *yun_doc_store_delete            (YunDocStore              *self,
                                               const char               *db,
                                               const char               *id,
                                               const char               *rev,
                                               GError                  **error);
JsonObject   *yun_doc_store_get               (YunDocStore              *self,
                                               const char               *db,
                                               const char               *id,
                                               const char               *rev,
                                               YunDocStoreGetFlags       flags,
                                               GError                  **error);
JsonArray    *yun_doc_store_get_open_revs     (YunDocStore              *self,
                                               const char               *db,
                                               const char               *id,
                                               const char * const       *revs,
                                               YunDocStoreGetFlags       flags,
                                               GError                  **error);
JsonArray    *yun_doc_store_bulk_docs         (YunDocStore              *self,
                                               const char               *db,
                                               JsonArray                *docs,
                                               gboolean                  new_edits,
                                               GError                  **error);
/**
 * YunDocStoreBatch:
 *
 * A transaction over one database that several calls add documents to;
 * see yun_doc_store_batch_begin().
 */
typedef struct _YunDocStoreBatch YunDocStoreBatch;

YunDocStoreBatch *yun_doc_store_batch_begin   (YunDocStore              *self,
                                               const char               *db,
                                               gint64                   *update_seq,
                                               GError                  **error);
JsonArray    *yun_doc_store_batch_write       (YunDocStoreBatch         *batch,
                                               JsonArray                *docs,
                                               gboolean                  new_edits,
                                               GError                  **error);
gboolean      yun_doc_store_batch_commit      (YunDocStoreBatch         *batch,
                                               gint64                   *update_seq,
                                               GError                  **error);
void          yun_doc_store_batch_abort       (YunDocStoreBatch         *batch);

JsonObject   *yun_doc_store_all_docs          (YunDocStore              *self,
                                               const char               *db,
                                               const char               *start_key,
                                               const char               *end_key,
                                               guint                     limit,
                                               gboolean                  include_docs,
                                               GError                  **error);
JsonObject   *yun_doc_store_changes           (YunDocStore              *self,
                                               const char               *db,
                                               gint64                    since,
                                               guint                     limit,
                                               YunDocStoreChangesStyle   style,
                                               GError                  **error);
JsonObject   *yun_doc_store_revs_diff         (YunDocStore              *self,
                                               const char               *db,
                                               JsonObject               *revs,
                                               GError                  **error);

JsonObject   *yun_doc_store_get_local         (YunDocStore              *self,
                                               const char               *db,
                                               const char               *id,
                                               GError                  **error);
char         *yun_doc_store_put_local         (YunDocStore              *self,
                                               const char               *db,
                                               JsonObject               *doc,
                                               GError                  **error);
gboolean      yun_doc_store_delete_local      (YunDocStore              *self,
                                               const char               *db,
                                               const char               *id,
                                               const char               *rev,
                                               GError                  **error);

char         *yun_doc_store_put_attachment    (YunDocStore              *self,
                                               const char               *db,
                                               const char               *id,
                                               const char               *rev,
                                               const char               *name,
                                               const char               *content_type,
                                               GBytes                   *data,
                                               GError                  **error);
char         *yun_doc_store_put_attachment_from_stream (YunDocStore     *self,
                                               const char               *db,
                                               const char               *id,
                                               const char               *rev,
                                               const char               *name,
                                               const char               *content_type,
                                               GInputStream             *stream,
                                               GCancellable             *cancellable,
                                               GError                  **error);
GBytes       *yun_doc_store_get_attachment    (YunDocStore              *self,
                                               const char               *db,
                                               const char               *id,
                                               const char               *rev,
                                               const char               *name,
                                               char                    **content_type,
                                               GError                  **error);
GInputStream *yun_doc_store_open_attachment   (YunDocStore              *self,
                                               const char               *db,
                                               const char               *id,
                                               const char               *rev,
                                               const char               *name,
                                               char                    **content_type,
                                               gint64                   *length,
                                               GError                  **error);

G_END_DECLS
