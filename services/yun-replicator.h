/* yun-replicator.h: one run of the CouchDB replication protocol.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "yun-sync-endpoint.h"

G_BEGIN_DECLS

#define YUN_REPLICATOR_ERROR (yun_replicator_error_quark ())

/**
 * YunReplicatorError:
 * @YUN_REPLICATOR_ERROR_NETWORK: the server could not be reached, cut the
 *   connection or did not answer in time; try again later
 * @YUN_REPLICATOR_ERROR_UNAUTHORIZED: the server refused the credentials
 *   (HTTP 401 or 403); sign in again
 * @YUN_REPLICATOR_ERROR_NOT_FOUND: the remote database does not exist
 * @YUN_REPLICATOR_ERROR_CONFLICT: the server answered 409 where no
 *   conflict can be resolved by retrying at once
 * @YUN_REPLICATOR_ERROR_SERVER: the server failed (HTTP 5xx) or answered
 *   with a status the protocol does not expect
 * @YUN_REPLICATOR_ERROR_PROTOCOL: the server's answer is not what the
 *   protocol says: not JSON, truncated JSON, or the wrong shape
 * @YUN_REPLICATOR_ERROR_INVALID: a URL or an argument is not usable
 *
 * Why a replication stopped.  Failures of the local store keep their
 * #YunDocStoreError; cancellation is %G_IO_ERROR_CANCELLED.  A run that
 * stops keeps everything up to its last checkpoint, and the next run
 * resumes from there.
 */
typedef enum {
  YUN_REPLICATOR_ERROR_NETWORK,
  YUN_REPLICATOR_ERROR_UNAUTHORIZED,
  YUN_REPLICATOR_ERROR_NOT_FOUND,
  YUN_REPLICATOR_ERROR_CONFLICT,
  YUN_REPLICATOR_ERROR_SERVER,
  YUN_REPLICATOR_ERROR_PROTOCOL,
  YUN_REPLICATOR_ERROR_INVALID,
} YunReplicatorError;

/* Changes handled per batch unless set otherwise. */
#define YUN_REPLICATOR_DEFAULT_BATCH_SIZE 500
/* How many past sessions a checkpoint remembers, as CouchDB does. */
#define YUN_REPLICATOR_MAX_HISTORY 50

/**
 * YunReplicationStats:
 * @replication_id: the id of the checkpoints, `_local/<replication_id>`
 * @session_id: this run's id, recorded in the checkpoints
 * @start_seq: the source sequence the run started after, as JSON text
 *   ("0" when from the start)
 * @last_seq: the source sequence checkpointed last, as JSON text
 * @n_batches: how many batches of changes were read
 * @missing_checked: revisions asked about with `_revs_diff`
 * @missing_found: revisions the target lacked
 * @docs_read: revisions fetched from the source
 * @docs_written: revisions the target accepted
 * @doc_write_failures: revisions the target refused one by one
 * @bytes_sent: bytes sent to servers (headers and bodies)
 * @bytes_received: bytes received from servers (headers and bodies, as
 *   they came over the wire)
 *
 * What one replication run did.
 */
typedef struct {
  char *replication_id;
  char *session_id;
  char *start_seq;
  char *last_seq;
  guint n_batches;
  guint64 missing_checked;
  guint64 missing_found;
  guint64 docs_read;
  guint64 docs_written;
  guint64 doc_write_failures;
  guint64 bytes_sent;
  guint64 bytes_received;
} YunReplicationStats;

#define YUN_TYPE_REPLICATION_STATS (yun_replication_stats_get_type ())
GType                yun_replication_stats_get_type (void);
YunReplicationStats *yun_replication_stats_copy     (const YunReplicationStats *stats);
void                 yun_replication_stats_free     (YunReplicationStats       *stats);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (YunReplicationStats, yun_replication_stats_free)

/**
 * YunReplicator:
 *
 * Replicates one database into another once, as the CouchDB replication
 * protocol says: from the checkpoint both sides agree on, in batches of
 * changes, writing each missing revision with `new_edits=false` (so
 * conflicts are kept and both sides pick the same winner), and a
 * checkpoint on both sides after each batch.
 */
#define YUN_TYPE_REPLICATOR (yun_replicator_get_type ())
G_DECLARE_FINAL_TYPE (YunReplicator, yun_replicator, YUN, REPLICATOR, GObject)

GQuark               yun_replicator_error_quark     (void);

YunReplicator       *yun_replicator_new             (YunSyncEndpoint      *source,
                                                     YunSyncEndpoint      *target);
void                 yun_replicator_set_batch_size  (YunReplicator        *self,
                                                     guint                 batch_size);
void                 yun_replicator_set_create_target (YunReplicator      *self,
                                                     gboolean              create_target);
YunSyncEndpoint     *yun_replicator_get_source      (YunReplicator        *self);
YunSyncEndpoint     *yun_replicator_get_target      (YunReplicator        *self);

char                *yun_replicator_dup_replication_id (YunReplicator    *self,
                                                     GError              **error);

YunReplicationStats *yun_replicator_run             (YunReplicator        *self,
                                                     GCancellable         *cancellable,
                                                     GError              **error);
void                 yun_replicator_run_async       (YunReplicator        *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
YunReplicationStats *yun_replicator_run_finish      (YunReplicator        *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

G_END_DECLS
