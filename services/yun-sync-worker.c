/* yun-sync-worker.c: the thread that keeps the databases in sync.
 *
 * One cycle pushes then pulls every database.  Between cycles the thread
 * waits in its own main context for whichever comes first: a local
 * database changing (polled), the server reporting a change (one
 * `_changes?feed=longpoll` per database, asynchronous), yun_sync_now(), a
 * change of configuration, or the end of a backoff after a failure.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-sync-private.h"
#include "yun-replicator.h"
#include "yun-sync-endpoint-private.h"

typedef struct {
  char *name;
  YunReplicator *push;
  YunReplicator *pull;
  gint64 pushed_seq;      /* the local sequence the server has; -1: unknown */
  JsonNode *remote_seq;   /* where the last pull ended; NULL: unknown */
} Db;

typedef struct {
  YunSyncShared *shared;
  guint serial;           /* of the configuration in use */
  YunSyncConfig config;
  GPtrArray *dbs;         /* Db */
  guint backoff_ms;       /* the current delay; 0 after a success */
  gboolean auth_refused;
  char *setup_error;      /* the configuration cannot work */
  YunSyncUpdate status;   /* what the owner was told last */
} Worker;

static void
db_free (Db *db)
{
  g_free (db->name);
  g_clear_object (&db->push);
  g_clear_object (&db->pull);
  g_clear_pointer (&db->remote_seq, json_node_unref);
  g_free (db);
}

/* Status. */

static void
post (Worker     *w,
      const char *changed_db)
{
  w->status.changed_db = (char *) changed_db;
  yun_sync_deliver (w->shared, &w->status);
  w->status.changed_db = NULL;
}

static void
set_state (Worker       *w,
           YunSyncState  state)
{
  w->status.state = state;
  post (w, NULL);
}

static guint
count_pending (Worker *w)
{
  guint64 pending = 0;

  for (guint i = 0; i < w->dbs->len; i++) {
    Db *db = g_ptr_array_index (w->dbs, i);
    g_autoptr(JsonObject) info = yun_doc_store_get_db_info (w->shared->store, db->name, NULL);
    gint64 seq = info != NULL ? json_object_get_int_member (info, "update_seq") : 0;

    if (seq > db->pushed_seq)
      pending += seq - MAX (db->pushed_seq, 0);
  }
  return (guint) MIN (pending, G_MAXUINT);
}

/* Whether the pending count moved; posts it when it did. */
static gboolean
update_pending (Worker *w)
{
  guint pending = count_pending (w);

  if (pending == w->status.pending)
    return FALSE;
  w->status.pending = pending;
  post (w, NULL);
  return TRUE;
}

/* Configuration. */

static gboolean
take_config (Worker   *w,
             gboolean *now)
{
  YunSyncShared *shared = w->shared;
  gboolean changed;

  g_mutex_lock (&shared->mutex);
  changed = shared->serial != w->serial;
  if (changed) {
    yun_sync_config_clear (&w->config);
    yun_sync_config_copy (&w->config, &shared->config);
    w->serial = shared->serial;
  }
  *now = shared->now;
  shared->now = FALSE;
  g_mutex_unlock (&shared->mutex);
  return changed;
}

static gboolean
should_stop (Worker *w)
{
  gboolean stopping;

  g_mutex_lock (&w->shared->mutex);
  stopping = w->shared->stopping;
  g_mutex_unlock (&w->shared->mutex);
  return stopping;
}

static gboolean
should_wake (Worker *w)
{
  gboolean wake;

  g_mutex_lock (&w->shared->mutex);
  wake = w->shared->stopping || w->shared->now || w->shared->serial != w->serial;
  g_mutex_unlock (&w->shared->mutex);
  return wake;
}

/* The local side's checkpoint says how far earlier runs pushed, so the
 * pending count is right before the first push, offline too. */
static gint64
read_pushed_seq (Worker *w,
                 Db     *db)
{
  g_autofree char *id = yun_replicator_dup_replication_id (db->push, NULL);
  g_autofree char *doc_id = NULL;
  g_autoptr(JsonObject) checkpoint = NULL;
  JsonNode *seq;

  if (id == NULL)
    return -1;
  doc_id = g_strconcat ("_local/", id, NULL);
  checkpoint = yun_doc_store_get_local (w->shared->store, db->name, doc_id, NULL);
  seq = checkpoint != NULL ? json_object_get_member (checkpoint, "source_last_seq") : NULL;
  if (seq == NULL || !JSON_NODE_HOLDS_VALUE (seq) ||
      json_node_get_value_type (seq) != G_TYPE_INT64)
    return -1;
  return json_node_get_int (seq);
}

static YunSyncEndpoint *
new_remote (Worker      *w,
            const char  *name,
            GError     **error)
{
  g_autofree char *escaped = g_uri_escape_string (name, NULL, FALSE);
  g_autofree char *url = g_strconcat (w->config.base_url, escaped, NULL);
  YunSyncEndpoint *remote = yun_sync_endpoint_new_remote (url, error);

  if (remote == NULL)
    return NULL;
  yun_sync_endpoint_set_timeout (remote, w->config.timeout_s);
  if (w->config.token != NULL)
    yun_sync_endpoint_set_bearer_token (remote, w->config.token);
  else if (w->config.user != NULL)
    yun_sync_endpoint_set_basic_auth (remote, w->config.user, w->config.password);
  return remote;
}

/* Endpoints and replicators for the configuration in use.  The remote
 * endpoints' HTTP sessions are made here, in the thread that uses them. */
static void
rebuild (Worker *w)
{
  g_clear_pointer (&w->dbs, g_ptr_array_unref);
  g_clear_pointer (&w->setup_error, g_free);
  w->dbs = g_ptr_array_new_with_free_func ((GDestroyNotify) db_free);
  w->backoff_ms = 0;
  w->auth_refused = FALSE;

  for (guint i = 0; i < w->config.dbs->len; i++) {
    const char *name = g_ptr_array_index (w->config.dbs, i);
    g_autoptr(GError) error = NULL;
    g_autoptr(YunSyncEndpoint) local = yun_sync_endpoint_new_local (w->shared->store, name);
    g_autoptr(YunSyncEndpoint) remote = NULL;
    Db *db;

    if (!yun_doc_store_create_db (w->shared->store, name, &error) &&
        !g_error_matches (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_EXISTS)) {
      w->setup_error = g_strdup (error->message);
      return;
    }
    g_clear_error (&error);

    db = g_new0 (Db, 1);
    db->name = g_strdup (name);
    db->pushed_seq = -1;
    g_ptr_array_add (w->dbs, db);
    if (w->config.base_url == NULL)
      continue;

    remote = new_remote (w, name, &error);
    if (remote == NULL) {
      w->setup_error = g_strdup (error->message);
      return;
    }
    db->push = yun_replicator_new (local, remote);
    db->pull = yun_replicator_new (remote, local);
    yun_replicator_set_create_target (db->push, TRUE);
    yun_replicator_set_batch_size (db->push, w->config.batch_size);
    yun_replicator_set_batch_size (db->pull, w->config.batch_size);
    db->pushed_seq = read_pushed_seq (w, db);
  }
}

/* One cycle. */

static gboolean
sync_db (Worker  *w,
         Db      *db,
         GError **error)
{
  g_autoptr(YunReplicationStats) pushed = NULL;
  g_autoptr(YunReplicationStats) pulled = NULL;

  pushed = yun_replicator_run (db->push, w->shared->cancellable, error);
  if (pushed == NULL)
    return FALSE;
  db->pushed_seq = g_ascii_strtoll (pushed->last_seq, NULL, 10);
  update_pending (w);

  pulled = yun_replicator_run (db->pull, w->shared->cancellable, error);
  if (pulled == NULL)
    return FALSE;
  g_clear_pointer (&db->remote_seq, json_node_unref);
  db->remote_seq = json_from_string (pulled->last_seq, NULL);
  if (pulled->docs_written > 0)
    post (w, db->name);
  return TRUE;
}

static gboolean
sync_all (Worker  *w,
          GError **error)
{
  for (guint i = 0; i < w->dbs->len; i++) {
    if (!sync_db (w, g_ptr_array_index (w->dbs, i), error))
      return FALSE;
  }
  return TRUE;
}

/* Waiting. */

typedef struct {
  Worker *worker;
  GCancellable *cancellable;
  gboolean woken;
  gboolean watch;         /* wake on changes, local or remote */
  guint longpolls;        /* in flight */
  GSource *retry;         /* after a long poll failed */
} Wait;

typedef struct {
  Wait *wait;
  Db *db;
} LongPoll;

static void start_longpoll (Wait *wait,
                            Db   *db);

static gboolean
on_wait_over (gpointer user_data)
{
  Wait *wait = user_data;

  wait->woken = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
on_poll_local (gpointer user_data)
{
  Wait *wait = user_data;

  update_pending (wait->worker);
  /* Unsent changes, made while the last cycle ran or since: sync. */
  if (wait->watch && wait->worker->status.pending > 0)
    wait->woken = TRUE;
  return G_SOURCE_CONTINUE;
}

static void
on_longpoll_ready (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  LongPoll *poll = user_data;
  Wait *wait = poll->wait;
  YunSyncHttp *http = yun_sync_endpoint_get_http (yun_replicator_get_source (poll->db->pull));
  g_autoptr(GError) error = NULL;
  gboolean changed;

  wait->longpolls--;
  changed = yun_sync_http_wait_changes_finish (http, result, &error);
  if (changed) {
    wait->woken = TRUE;
  } else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || wait->woken) {
    /* The wait is over anyway. */
  } else if (error != NULL) {
    /* The next cycle finds out what is wrong, but not at once: a server
     * that fails long polls only would keep the engine spinning. */
    g_debug ("waiting for changes of %s: %s", poll->db->name, error->message);
    if (wait->retry == NULL) {
      wait->retry = g_timeout_source_new (wait->worker->config.backoff_ms);
      g_source_set_callback (wait->retry, on_wait_over, wait, NULL);
      g_source_attach (wait->retry, g_main_context_get_thread_default ());
    }
  } else {
    start_longpoll (wait, poll->db);
  }
  g_free (poll);
}

static void
start_longpoll (Wait *wait,
                Db   *db)
{
  Worker *w = wait->worker;
  LongPoll *poll = g_new0 (LongPoll, 1);
  YunSyncHttp *http = yun_sync_endpoint_get_http (yun_replicator_get_source (db->pull));
  /* Heartbeats come well within the connection's timeout. */
  guint heartbeat_ms = MIN (w->config.heartbeat_ms, w->config.timeout_s * 1000 / 2);

  poll->wait = wait;
  poll->db = db;
  wait->longpolls++;
  yun_sync_http_wait_changes_async (http, db->remote_seq, MAX (heartbeat_ms, 100),
                                    wait->cancellable, on_longpoll_ready, poll);
}

/* Waits up to @timeout_ms (forever when negative) or until woken; with
 * @watch, changes on either side wake it too. */
static void
wait_for (Worker   *w,
          gint64    timeout_ms,
          gboolean  watch)
{
  GMainContext *context = w->shared->worker_context;
  Wait wait = { .worker = w, .watch = watch };
  g_autoptr(GSource) poll = g_timeout_source_new (w->config.poll_ms);
  g_autoptr(GSource) deadline = NULL;

  wait.cancellable = g_cancellable_new ();
  g_source_set_callback (poll, on_poll_local, &wait, NULL);
  g_source_attach (poll, context);
  if (timeout_ms >= 0) {
    deadline = g_timeout_source_new (timeout_ms);
    g_source_set_callback (deadline, on_wait_over, &wait, NULL);
    g_source_attach (deadline, context);
  }
  for (guint i = 0; watch && i < w->dbs->len; i++) {
    Db *db = g_ptr_array_index (w->dbs, i);

    if (db->pull != NULL && db->remote_seq != NULL)
      start_longpoll (&wait, db);
  }

  while (!wait.woken && !should_wake (w))
    g_main_context_iteration (context, TRUE);

  g_cancellable_cancel (wait.cancellable);
  g_source_destroy (poll);
  if (deadline != NULL)
    g_source_destroy (deadline);
  while (wait.longpolls > 0)
    g_main_context_iteration (context, TRUE);
  if (wait.retry != NULL) {
    g_source_destroy (wait.retry);
    g_source_unref (wait.retry);
  }
  g_object_unref (wait.cancellable);
}

/* The loop. */

static void
fail (Worker *w,
      GError *error)
{
  YunSyncState state;

  if (g_error_matches (error, YUN_REPLICATOR_ERROR, YUN_REPLICATOR_ERROR_NETWORK))
    state = YUN_SYNC_STATE_OFFLINE;
  else if (g_error_matches (error, YUN_REPLICATOR_ERROR, YUN_REPLICATOR_ERROR_UNAUTHORIZED))
    state = YUN_SYNC_STATE_SIGNED_OUT;
  else
    state = YUN_SYNC_STATE_ERROR;

  w->auth_refused = state == YUN_SYNC_STATE_SIGNED_OUT;
  w->backoff_ms = w->backoff_ms == 0 ? w->config.backoff_ms
                                     : MIN (w->backoff_ms * 2, w->config.max_backoff_ms);
  g_free (w->status.last_error);
  w->status.last_error = g_strdup (error->message);
  w->status.retry_ms = w->auth_refused ? 0 : w->backoff_ms;
  set_state (w, state);
  g_debug ("sync failed, next try in %u ms: %s", w->backoff_ms, error->message);
}

static void
cycle (Worker   *w,
       gboolean  now)
{
  g_autoptr(GError) error = NULL;

  if (w->config.base_url == NULL || w->setup_error != NULL) {
    g_free (w->status.last_error);
    w->status.last_error = g_strdup (w->setup_error);
    set_state (w, w->config.base_url == NULL ? YUN_SYNC_STATE_SIGNED_OUT
                                             : YUN_SYNC_STATE_ERROR);
    update_pending (w);
    wait_for (w, -1, FALSE);
    return;
  }
  if (w->auth_refused && !now) {
    wait_for (w, -1, FALSE);
    return;
  }

  w->status.retry_ms = 0;
  set_state (w, YUN_SYNC_STATE_SYNCING);
  if (!sync_all (w, &error)) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      return;
    fail (w, error);
    wait_for (w, w->auth_refused ? -1 : (gint64) w->backoff_ms, FALSE);
    return;
  }

  w->backoff_ms = 0;
  w->auth_refused = FALSE;
  w->status.last_sync_time = g_get_real_time ();
  w->status.pending = count_pending (w);
  set_state (w, YUN_SYNC_STATE_IDLE);
  wait_for (w, -1, TRUE);
}

gpointer
yun_sync_worker_main (gpointer data)
{
  Worker w = { .shared = data, .serial = G_MAXUINT };

  g_main_context_push_thread_default (w.shared->worker_context);
  w.dbs = g_ptr_array_new_with_free_func ((GDestroyNotify) db_free);
  w.status.state = YUN_SYNC_STATE_SIGNED_OUT;

  while (!should_stop (&w)) {
    gboolean now = FALSE;

    if (take_config (&w, &now))
      rebuild (&w);
    cycle (&w, now);
  }

  g_clear_pointer (&w.dbs, g_ptr_array_unref);
  yun_sync_config_clear (&w.config);
  g_free (w.setup_error);
  g_free (w.status.last_error);
  g_main_context_pop_thread_default (w.shared->worker_context);
  yun_sync_shared_unref (w.shared);
  return NULL;
}
