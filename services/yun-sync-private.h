/* yun-sync-private.h: what YunSync shares with its worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "yun-sync.h"

G_BEGIN_DECLS

/* What the owner configured; the worker copies it under the mutex. */
typedef struct {
  char *base_url;       /* ends with a slash; NULL: signed out */
  char *user;
  char *password;
  char *token;
  GPtrArray *dbs;       /* names, char * */
  guint backoff_ms;
  guint max_backoff_ms;
  guint poll_ms;
  guint heartbeat_ms;
  guint timeout_s;
  guint batch_size;
} YunSyncConfig;

void yun_sync_config_copy  (YunSyncConfig       *dest,
                            const YunSyncConfig *src);
void yun_sync_config_clear (YunSyncConfig       *config);

typedef struct {
  gatomicrefcount ref;
  GMutex mutex;
  YunSyncConfig config;   /* under the mutex, as are the next three */
  guint serial;           /* bumped by every change of config */
  gboolean now;           /* yun_sync_now() was called */
  gboolean stopping;
  YunDocStore *store;
  GCancellable *cancellable;      /* cancelled when stopping */
  GMainContext *owner_context;    /* where status is delivered */
  GMainContext *worker_context;
  GWeakRef owner;                 /* the YunSync */
} YunSyncShared;

YunSyncShared *yun_sync_shared_ref   (YunSyncShared *shared);
void           yun_sync_shared_unref (YunSyncShared *shared);

/* A status snapshot, from the worker to the owner. */
typedef struct {
  YunSyncState state;
  gint64 last_sync_time;
  guint pending;
  char *last_error;
  guint retry_ms;         /* the wait before the next try after a failure */
  char *changed_db;       /* a database that pulled changes, or NULL */
} YunSyncUpdate;

void     yun_sync_deliver     (YunSyncShared *shared,
                               YunSyncUpdate *update);

gpointer yun_sync_worker_main (gpointer       shared);

G_END_DECLS
