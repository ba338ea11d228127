/* yun-personal-index.h: secondary indexes over the personal document store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "yun-doc-store.h"

G_BEGIN_DECLS

/**
 * YunPersonalIndexOrder:
 * @YUN_PERSONAL_INDEX_ORDER_NAME: by display name, A to Z (Unicode case
 *   and accents folded), then in the order they were indexed
 * @YUN_PERSONAL_INDEX_ORDER_RECENT: most recently updated first
 *
 * How contacts found are ranked.
 */
typedef enum {
  YUN_PERSONAL_INDEX_ORDER_NAME,
  YUN_PERSONAL_INDEX_ORDER_RECENT,
} YunPersonalIndexOrder;

/* The databases of the personal store that are indexed. */
#define YUN_PERSONAL_DB_CONTACTS "contacts"
#define YUN_PERSONAL_DB_NOTES    "notes"
#define YUN_PERSONAL_DB_MESSAGES "messages"
#define YUN_PERSONAL_DB_CALLS    "calls"
#define YUN_PERSONAL_DB_PHOTOS   "photos"

/* A number query needs this many digits. */
#define YUN_PERSONAL_INDEX_MIN_DIGITS 3
/* The longest query text looked at; the rest is ignored. */
#define YUN_PERSONAL_INDEX_MAX_QUERY 256

/**
 * YunPersonalIndex:
 *
 * Indexes derived from the personal #YunDocStore, kept in a SQLite file of
 * their own: contacts by name word, e-mail and number suffix; notes by
 * their words (FTS5); messages by thread and time; calls by time; photos
 * by time taken.
 *
 * The index follows each database's changes feed from the sequence it
 * last indexed, so whatever enters the store (a write by an app, a vCard
 * import, a replication) is indexed on the next catch-up, which every
 * query does first and which costs one small read when nothing changed.
 * Only each document's winning revision is indexed; deleted documents
 * leave the index.  The file can be deleted at any time: it is rebuilt
 * from the store.
 *
 * Calls are synchronous and thread-safe; they block on disk.
 */
#define YUN_TYPE_PERSONAL_INDEX (yun_personal_index_get_type ())
G_DECLARE_FINAL_TYPE (YunPersonalIndex, yun_personal_index, YUN, PERSONAL_INDEX, GObject)

YunPersonalIndex *yun_personal_index_open           (YunDocStore            *store,
                                                     const char             *path,
                                                     GError                **error);
YunDocStore      *yun_personal_index_get_store      (YunPersonalIndex       *self);

gboolean          yun_personal_index_catch_up       (YunPersonalIndex       *self,
                                                     const char             *db,
                                                     GError                **error);
gboolean          yun_personal_index_catch_up_with_docs (YunPersonalIndex   *self,
                                                     const char             *db,
                                                     JsonArray              *written,
                                                     GError                **error);
gboolean          yun_personal_index_rebuild        (YunPersonalIndex       *self,
                                                     GError                **error);

/**
 * YunPersonalIndexBatch:
 *
 * Documents of a #YunDocStoreBatch being indexed as they are written; see
 * yun_personal_index_batch_begin().
 */
typedef struct _YunPersonalIndexBatch YunPersonalIndexBatch;

YunPersonalIndexBatch *yun_personal_index_batch_begin (YunPersonalIndex *self,
                                                     const char             *db,
                                                     GError                **error);
gboolean          yun_personal_index_batch_add      (YunPersonalIndexBatch  *batch,
                                                     JsonArray              *docs,
                                                     GError                **error);
gboolean          yun_personal_index_batch_commit   (YunPersonalIndexBatch  *batch,
                                                     gint64                  seq_before,
                                                     gint64                  seq_after,
                                                     GError                **error);
void              yun_personal_index_batch_abort    (YunPersonalIndexBatch  *batch);

GPtrArray        *yun_personal_index_find_contacts  (YunPersonalIndex       *self,
                                                     const char             *query,
                                                     YunPersonalIndexOrder   order,
                                                     guint                   limit,
                                                     GError                **error);
GPtrArray        *yun_personal_index_search_notes   (YunPersonalIndex       *self,
                                                     const char             *query,
                                                     guint                   limit,
                                                     GError                **error);
GPtrArray        *yun_personal_index_list           (YunPersonalIndex       *self,
                                                     const char             *db,
                                                     const char             *thread,
                                                     gint64                  before,
                                                     guint                   limit,
                                                     GError                **error);
JsonArray        *yun_personal_index_list_threads   (YunPersonalIndex       *self,
                                                     guint                   limit,
                                                     GError                **error);
GPtrArray        *yun_personal_index_list_unread    (YunPersonalIndex       *self,
                                                     const char             *thread,
                                                     GError                **error);

G_END_DECLS
