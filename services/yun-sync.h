/* yun-sync.h: keeps local databases in sync with a server, both ways,
 * continuously while it can be reached.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "yun-doc-store.h"

G_BEGIN_DECLS

/**
 * YunSyncState:
 * @YUN_SYNC_STATE_SIGNED_OUT: no server or no valid credentials: nothing
 *   syncs until yun_sync_set_remote() or new credentials
 * @YUN_SYNC_STATE_IDLE: everything is in sync; waiting for changes
 * @YUN_SYNC_STATE_SYNCING: replicating now
 * @YUN_SYNC_STATE_OFFLINE: the server cannot be reached; retrying later
 * @YUN_SYNC_STATE_ERROR: the server failed or answered wrongly; retrying
 *   later
 *
 * What the sync engine is doing, for the status bar and
 * `navigator.yun.sync.status()`.
 */
typedef enum {
  YUN_SYNC_STATE_SIGNED_OUT,
  YUN_SYNC_STATE_IDLE,
  YUN_SYNC_STATE_SYNCING,
  YUN_SYNC_STATE_OFFLINE,
  YUN_SYNC_STATE_ERROR,
} YunSyncState;

#define YUN_TYPE_SYNC_STATE (yun_sync_state_get_type ())
GType       yun_sync_state_get_type  (void);
const char *yun_sync_state_to_string (YunSyncState state);

/* Retry delays after a failure: doubling from the first to the cap. */
#define YUN_SYNC_DEFAULT_BACKOFF_MS     1000
#define YUN_SYNC_DEFAULT_MAX_BACKOFF_MS (5 * 60 * 1000)
/* How often the local databases are checked for changes, and how often
 * the server sends a heartbeat while a long poll waits for a change. */
#define YUN_SYNC_DEFAULT_POLL_MS        1000
#define YUN_SYNC_DEFAULT_HEARTBEAT_MS    25000

/**
 * YunSync:
 *
 * Keeps a set of databases of a #YunDocStore replicated with the
 * databases of the same names under a server's base URL (yun-cloud's
 * `/sync/`, or any CouchDB-compatible server), pushing and then pulling,
 * again whenever a local database changes or the server reports a change
 * (`_changes?feed=longpoll`), and backing off exponentially while the
 * server cannot be reached or fails.
 *
 * The work runs in a thread of its own; the properties change and the
 * signals are emitted in the main context that was the thread default when
 * the object was created.
 */
#define YUN_TYPE_SYNC (yun_sync_get_type ())
G_DECLARE_FINAL_TYPE (YunSync, yun_sync, YUN, SYNC, GObject)

YunSync      *yun_sync_new                 (YunDocStore  *store);
void          yun_sync_add_db              (YunSync      *self,
                                            const char   *db);
gboolean      yun_sync_set_remote          (YunSync      *self,
                                            const char   *base_url,
                                            GError      **error);
void          yun_sync_set_basic_auth      (YunSync      *self,
                                            const char   *user,
                                            const char   *password);
void          yun_sync_set_bearer_token    (YunSync      *self,
                                            const char   *token);
void          yun_sync_sign_out            (YunSync      *self);
void          yun_sync_set_backoff         (YunSync      *self,
                                            guint         initial_ms,
                                            guint         max_ms);
void          yun_sync_set_intervals       (YunSync      *self,
                                            guint         poll_ms,
                                            guint         heartbeat_ms);
void          yun_sync_set_timeout         (YunSync      *self,
                                            guint         seconds);
void          yun_sync_set_batch_size      (YunSync      *self,
                                            guint         batch_size);
void          yun_sync_now                 (YunSync      *self);

YunSyncState  yun_sync_get_state           (YunSync      *self);
gint64        yun_sync_get_last_sync_time  (YunSync      *self);
guint         yun_sync_get_pending         (YunSync      *self);
const char   *yun_sync_get_last_error      (YunSync      *self);
guint         yun_sync_get_retry_delay     (YunSync      *self);
JsonObject   *yun_sync_dup_status          (YunSync      *self);

G_END_DECLS
