/* yun-sync.c: keeps local databases in sync with a server; the object the
 * shell and the bridge see.  The replication itself runs in the worker
 * thread of yun-sync-worker.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-sync.h"
#include "yun-sync-private.h"
#include "yun-replicator.h"

enum {
  PROP_0,
  PROP_STATE,
  PROP_LAST_SYNC_TIME,
  PROP_PENDING,
  PROP_LAST_ERROR,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

struct _YunSync {
  GObject parent_instance;

  YunSyncShared *shared;
  GThread *thread;
  GNetworkMonitor *monitor;
  gulong network_changed_id;

  YunSyncState state;
  gint64 last_sync_time;
  guint pending;
  char *last_error;
  guint retry_ms;
};

G_DEFINE_FINAL_TYPE (YunSync, yun_sync, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (YunSyncState, yun_sync_state,
  G_DEFINE_ENUM_VALUE (YUN_SYNC_STATE_SIGNED_OUT, "signed-out"),
  G_DEFINE_ENUM_VALUE (YUN_SYNC_STATE_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (YUN_SYNC_STATE_SYNCING, "syncing"),
  G_DEFINE_ENUM_VALUE (YUN_SYNC_STATE_OFFLINE, "offline"),
  G_DEFINE_ENUM_VALUE (YUN_SYNC_STATE_ERROR, "error"))

/**
 * yun_sync_state_to_string:
 * @state: a #YunSyncState
 *
 * Returns: the state's name: "signed-out", "idle", "syncing", "offline"
 *   or "error"
 */
const char *
yun_sync_state_to_string (YunSyncState state)
{
  static const char *const names[] = { "signed-out", "idle", "syncing", "offline", "error" };

  g_return_val_if_fail (state <= YUN_SYNC_STATE_ERROR, NULL);

  return names[state];
}

/* Shared state. */

void
yun_sync_config_copy (YunSyncConfig       *dest,
                      const YunSyncConfig *src)
{
  *dest = *src;
  dest->base_url = g_strdup (src->base_url);
  dest->user = g_strdup (src->user);
  dest->password = g_strdup (src->password);
  dest->token = g_strdup (src->token);
  dest->dbs = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < src->dbs->len; i++)
    g_ptr_array_add (dest->dbs, g_strdup (g_ptr_array_index (src->dbs, i)));
}

void
yun_sync_config_clear (YunSyncConfig *config)
{
  g_clear_pointer (&config->base_url, g_free);
  g_clear_pointer (&config->user, g_free);
  g_clear_pointer (&config->password, g_free);
  g_clear_pointer (&config->token, g_free);
  g_clear_pointer (&config->dbs, g_ptr_array_unref);
}

YunSyncShared *
yun_sync_shared_ref (YunSyncShared *shared)
{
  g_atomic_ref_count_inc (&shared->ref);
  return shared;
}

void
yun_sync_shared_unref (YunSyncShared *shared)
{
  if (!g_atomic_ref_count_dec (&shared->ref))
    return;
  yun_sync_config_clear (&shared->config);
  g_mutex_clear (&shared->mutex);
  g_object_unref (shared->store);
  g_object_unref (shared->cancellable);
  g_main_context_unref (shared->owner_context);
  g_main_context_unref (shared->worker_context);
  g_weak_ref_clear (&shared->owner);
  g_free (shared);
}

static void
wake_worker (YunSync *self)
{
  g_main_context_wakeup (self->shared->worker_context);
}

/* The configuration, locked for a change... */
static YunSyncConfig *
lock_config (YunSync *self)
{
  g_mutex_lock (&self->shared->mutex);
  return &self->shared->config;
}

/* ...which the worker picks up when woken. */
static void
unlock_config (YunSync *self)
{
  self->shared->serial++;
  g_mutex_unlock (&self->shared->mutex);
  wake_worker (self);
}

/* Delivery of status, in the owner's main context. */

typedef struct {
  YunSyncShared *shared;
  YunSyncUpdate update;
} Delivery;

static void
delivery_free (Delivery *delivery)
{
  yun_sync_shared_unref (delivery->shared);
  g_free (delivery->update.last_error);
  g_free (delivery->update.changed_db);
  g_free (delivery);
}

static gboolean
deliver_in_owner (gpointer user_data)
{
  Delivery *delivery = user_data;
  YunSyncUpdate *update = &delivery->update;
  g_autoptr(YunSync) self = g_weak_ref_get (&delivery->shared->owner);

  if (self == NULL)
    return G_SOURCE_REMOVE;

  g_object_freeze_notify (G_OBJECT (self));
  self->retry_ms = update->retry_ms;
  if (self->state != update->state) {
    self->state = update->state;
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  }
  if (self->last_sync_time != update->last_sync_time) {
    self->last_sync_time = update->last_sync_time;
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC_TIME]);
  }
  if (self->pending != update->pending) {
    self->pending = update->pending;
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
  }
  if (g_strcmp0 (self->last_error, update->last_error) != 0) {
    g_free (self->last_error);
    self->last_error = g_strdup (update->last_error);
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
  }
  g_object_thaw_notify (G_OBJECT (self));

  if (update->changed_db != NULL)
    g_signal_emit (self, signals[CHANGED], g_quark_from_string (update->changed_db),
                   update->changed_db);
  return G_SOURCE_REMOVE;
}

void
yun_sync_deliver (YunSyncShared *shared,
                  YunSyncUpdate *update)
{
  Delivery *delivery = g_new0 (Delivery, 1);

  delivery->shared = yun_sync_shared_ref (shared);
  delivery->update = *update;
  delivery->update.last_error = g_strdup (update->last_error);
  delivery->update.changed_db = g_strdup (update->changed_db);
  g_main_context_invoke_full (shared->owner_context, G_PRIORITY_DEFAULT, deliver_in_owner,
                              delivery, (GDestroyNotify) delivery_free);
}

/* The object. */

static void
on_network_changed (GNetworkMonitor *monitor,
                    gboolean         available,
                    YunSync         *self)
{
  /* Back from offline: try at once instead of at the end of the backoff. */
  if (available && (self->state == YUN_SYNC_STATE_OFFLINE || self->state == YUN_SYNC_STATE_ERROR))
    yun_sync_now (self);
}

static void
yun_sync_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  YunSync *self = YUN_SYNC (object);

  switch (prop_id) {
  case PROP_STATE:
    g_value_set_enum (value, self->state);
    break;
  case PROP_LAST_SYNC_TIME:
    g_value_set_int64 (value, self->last_sync_time);
    break;
  case PROP_PENDING:
    g_value_set_uint (value, self->pending);
    break;
  case PROP_LAST_ERROR:
    g_value_set_string (value, self->last_error);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
yun_sync_dispose (GObject *object)
{
  YunSync *self = YUN_SYNC (object);

  if (self->thread != NULL) {
    g_mutex_lock (&self->shared->mutex);
    self->shared->stopping = TRUE;
    g_mutex_unlock (&self->shared->mutex);
    g_cancellable_cancel (self->shared->cancellable);
    wake_worker (self);
    /* The worker's calls are cancellable; this waits for the one going
     * on to notice. */
    g_thread_join (g_steal_pointer (&self->thread));
  }
  g_clear_signal_handler (&self->network_changed_id, self->monitor);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (yun_sync_parent_class)->dispose (object);
}

static void
yun_sync_finalize (GObject *object)
{
  YunSync *self = YUN_SYNC (object);

  g_clear_pointer (&self->shared, yun_sync_shared_unref);
  g_free (self->last_error);

  G_OBJECT_CLASS (yun_sync_parent_class)->finalize (object);
}

static void
yun_sync_class_init (YunSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = yun_sync_get_property;
  object_class->dispose = yun_sync_dispose;
  object_class->finalize = yun_sync_finalize;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, YUN_TYPE_SYNC_STATE, YUN_SYNC_STATE_SIGNED_OUT,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Microseconds since the epoch of the end of the last complete sync; 0
   * before the first. */
  properties[PROP_LAST_SYNC_TIME] =
    g_param_spec_int64 ("last-sync-time", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Local changes not yet sent to the server. */
  properties[PROP_PENDING] =
    g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * YunSync::changed:
   * @self: the #YunSync
   * @db: the database
   *
   * Changes from the server were written into @db.  The signal's detail
   * is the database's name: `changed::notes`.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
yun_sync_init (YunSync *self)
{
  self->state = YUN_SYNC_STATE_SIGNED_OUT;
}

/**
 * yun_sync_new:
 * @store: the local document store
 *
 * Creates a sync engine, signed out, with no databases.  Its status is
 * delivered in the thread-default main context of the caller.
 *
 * Returns: (transfer full): the engine
 */
YunSync *
yun_sync_new (YunDocStore *store)
{
  YunSync *self;
  YunSyncShared *shared;

  g_return_val_if_fail (YUN_IS_DOC_STORE (store), NULL);

  self = g_object_new (YUN_TYPE_SYNC, NULL);
  shared = g_new0 (YunSyncShared, 1);
  g_atomic_ref_count_init (&shared->ref);
  g_mutex_init (&shared->mutex);
  shared->config.dbs = g_ptr_array_new_with_free_func (g_free);
  shared->config.backoff_ms = YUN_SYNC_DEFAULT_BACKOFF_MS;
  shared->config.max_backoff_ms = YUN_SYNC_DEFAULT_MAX_BACKOFF_MS;
  shared->config.poll_ms = YUN_SYNC_DEFAULT_POLL_MS;
  shared->config.heartbeat_ms = YUN_SYNC_DEFAULT_HEARTBEAT_MS;
  shared->config.timeout_s = YUN_SYNC_ENDPOINT_DEFAULT_TIMEOUT;
  shared->config.batch_size = YUN_REPLICATOR_DEFAULT_BATCH_SIZE;
  shared->store = g_object_ref (store);
  shared->cancellable = g_cancellable_new ();
  shared->owner_context = g_main_context_ref_thread_default ();
  shared->worker_context = g_main_context_new ();
  g_weak_ref_init (&shared->owner, self);
  self->shared = shared;

  self->thread = g_thread_new ("yun-sync", yun_sync_worker_main, yun_sync_shared_ref (shared));

  self->monitor = g_object_ref (g_network_monitor_get_default ());
  self->network_changed_id = g_signal_connect (self->monitor, "network-changed",
                                               G_CALLBACK (on_network_changed), self);
  return self;
}

/**
 * yun_sync_add_db:
 * @self: a #YunSync
 * @db: a database name; created locally and on the server when missing
 *
 * Keeps @db in sync from now on.
 */
void
yun_sync_add_db (YunSync    *self,
                 const char *db)
{
  YunSyncConfig *config;

  g_return_if_fail (YUN_IS_SYNC (self));
  g_return_if_fail (db != NULL);

  config = lock_config (self);
  if (!g_ptr_array_find_with_equal_func (config->dbs, db, g_str_equal, NULL))
    g_ptr_array_add (config->dbs, g_strdup (db));
  unlock_config (self);
}

/**
 * yun_sync_set_remote:
 * @self: a #YunSync
 * @base_url: (nullable): the URL under which the server has the
 *   databases, `https://cloud.example/sync/`; %NULL to sign out
 * @error: return location for a %YUN_REPLICATOR_ERROR_INVALID error
 *
 * Points the engine at a server and starts syncing.
 *
 * Returns: %TRUE, or %FALSE with @error set when @base_url is not an http
 *   or https URL
 */
gboolean
yun_sync_set_remote (YunSync     *self,
                     const char  *base_url,
                     GError     **error)
{
  YunSyncConfig *config;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (YUN_IS_SYNC (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (base_url != NULL) {
    uri = g_uri_parse (base_url, G_URI_FLAGS_ENCODED, NULL);
    if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0' ||
        (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
         g_strcmp0 (g_uri_get_scheme (uri), "https") != 0) ||
        g_uri_get_query (uri) != NULL || g_uri_get_userinfo (uri) != NULL) {
      g_set_error (error, YUN_REPLICATOR_ERROR, YUN_REPLICATOR_ERROR_INVALID,
                   "\"%s\" is not an http or https URL without credentials or query",
                   base_url);
      return FALSE;
    }
    normalized = g_str_has_suffix (base_url, "/") ? g_strdup (base_url)
                                                  : g_strconcat (base_url, "/", NULL);
  }

  config = lock_config (self);
  g_free (config->base_url);
  config->base_url = g_steal_pointer (&normalized);
  unlock_config (self);
  return TRUE;
}

/**
 * yun_sync_set_basic_auth:
 * @self: a #YunSync
 * @user: the user name
 * @password: the password
 *
 * Signs in with HTTP Basic credentials.
 */
void
yun_sync_set_basic_auth (YunSync    *self,
                         const char *user,
                         const char *password)
{
  YunSyncConfig *config;

  g_return_if_fail (YUN_IS_SYNC (self));
  g_return_if_fail (user != NULL && password != NULL);

  config = lock_config (self);
  g_free (config->user);
  g_free (config->password);
  g_clear_pointer (&config->token, g_free);
  config->user = g_strdup (user);
  config->password = g_strdup (password);
  unlock_config (self);
}

/**
 * yun_sync_set_bearer_token:
 * @self: a #YunSync
 * @token: the token
 *
 * Signs in with a bearer token.
 */
void
yun_sync_set_bearer_token (YunSync    *self,
                           const char *token)
{
  YunSyncConfig *config;

  g_return_if_fail (YUN_IS_SYNC (self));
  g_return_if_fail (token != NULL);

  config = lock_config (self);
  g_clear_pointer (&config->user, g_free);
  g_clear_pointer (&config->password, g_free);
  g_free (config->token);
  config->token = g_strdup (token);
  unlock_config (self);
}

/**
 * yun_sync_sign_out:
 * @self: a #YunSync
 *
 * Forgets the server and the credentials and stops syncing.  The local
 * data stays.
 */
void
yun_sync_sign_out (YunSync *self)
{
  YunSyncConfig *config;

  g_return_if_fail (YUN_IS_SYNC (self));

  config = lock_config (self);
  g_clear_pointer (&config->base_url, g_free);
  g_clear_pointer (&config->user, g_free);
  g_clear_pointer (&config->password, g_free);
  g_clear_pointer (&config->token, g_free);
  unlock_config (self);
}

/**
 * yun_sync_set_backoff:
 * @self: a #YunSync
 * @initial_ms: the delay before the first retry
 * @max_ms: the longest delay, which doubling stops at
 */
void
yun_sync_set_backoff (YunSync *self,
                      guint    initial_ms,
                      guint    max_ms)
{
  YunSyncConfig *config;

  g_return_if_fail (YUN_IS_SYNC (self));
  g_return_if_fail (initial_ms > 0 && max_ms >= initial_ms);

  config = lock_config (self);
  config->backoff_ms = initial_ms;
  config->max_backoff_ms = max_ms;
  unlock_config (self);
}

/**
 * yun_sync_set_intervals:
 * @self: a #YunSync
 * @poll_ms: how often the local databases are checked for changes
 * @heartbeat_ms: how often the server shows that a long poll is alive
 */
void
yun_sync_set_intervals (YunSync *self,
                        guint    poll_ms,
                        guint    heartbeat_ms)
{
  YunSyncConfig *config;

  g_return_if_fail (YUN_IS_SYNC (self));
  g_return_if_fail (poll_ms > 0 && heartbeat_ms > 0);

  config = lock_config (self);
  config->poll_ms = poll_ms;
  config->heartbeat_ms = heartbeat_ms;
  unlock_config (self);
}

/**
 * yun_sync_set_timeout:
 * @self: a #YunSync
 * @seconds: how long to wait on a silent server
 */
void
yun_sync_set_timeout (YunSync *self,
                      guint    seconds)
{
  YunSyncConfig *config;

  g_return_if_fail (YUN_IS_SYNC (self));
  g_return_if_fail (seconds > 0);

  config = lock_config (self);
  config->timeout_s = seconds;
  unlock_config (self);
}

/**
 * yun_sync_set_batch_size:
 * @self: a #YunSync
 * @batch_size: changes per batch (and per checkpoint)
 */
void
yun_sync_set_batch_size (YunSync *self,
                         guint    batch_size)
{
  YunSyncConfig *config;

  g_return_if_fail (YUN_IS_SYNC (self));
  g_return_if_fail (batch_size > 0);

  config = lock_config (self);
  config->batch_size = batch_size;
  unlock_config (self);
}

/**
 * yun_sync_now:
 * @self: a #YunSync
 *
 * Syncs at once: ends a wait or a backoff, and retries after a refusal of
 * the credentials.  When a sync is going on, another follows it.
 */
void
yun_sync_now (YunSync *self)
{
  g_return_if_fail (YUN_IS_SYNC (self));

  g_mutex_lock (&self->shared->mutex);
  self->shared->now = TRUE;
  g_mutex_unlock (&self->shared->mutex);
  wake_worker (self);
}

/**
 * yun_sync_get_state:
 * @self: a #YunSync
 *
 * Returns: what the engine is doing
 */
YunSyncState
yun_sync_get_state (YunSync *self)
{
  g_return_val_if_fail (YUN_IS_SYNC (self), YUN_SYNC_STATE_SIGNED_OUT);

  return self->state;
}

/**
 * yun_sync_get_last_sync_time:
 * @self: a #YunSync
 *
 * Returns: when the last complete sync ended, in microseconds since the
 *   epoch; 0 before the first
 */
gint64
yun_sync_get_last_sync_time (YunSync *self)
{
  g_return_val_if_fail (YUN_IS_SYNC (self), 0);

  return self->last_sync_time;
}

/**
 * yun_sync_get_pending:
 * @self: a #YunSync
 *
 * Returns: how many local changes have not reached the server yet
 */
guint
yun_sync_get_pending (YunSync *self)
{
  g_return_val_if_fail (YUN_IS_SYNC (self), 0);

  return self->pending;
}

/**
 * yun_sync_get_last_error:
 * @self: a #YunSync
 *
 * Returns: (nullable): the message of the last failure, which stays after
 *   later successes
 */
const char *
yun_sync_get_last_error (YunSync *self)
{
  g_return_val_if_fail (YUN_IS_SYNC (self), NULL);

  return self->last_error;
}

/**
 * yun_sync_get_retry_delay:
 * @self: a #YunSync
 *
 * After a failed sync, how long it waits before trying again: the backoff,
 * which doubles with each failure in a row up to the maximum.
 *
 * Returns: the wait in milliseconds; 0 while not waiting after a failure,
 *   or when only yun_sync_now() or signing in again will retry
 */
guint
yun_sync_get_retry_delay (YunSync *self)
{
  g_return_val_if_fail (YUN_IS_SYNC (self), 0);
  return self->retry_ms;
}

/**
 * yun_sync_dup_status:
 * @self: a #YunSync
 *
 * The status as `navigator.yun.sync.status()` gives it: `{"state":
 * "idle", "lastSync": <ms since the epoch or null>, "pending": 0,
 * "error": <message or null>}`; the error only in the offline, error and
 * signed-out states.
 *
 * Returns: (transfer full): the status
 */
JsonObject *
yun_sync_dup_status (YunSync *self)
{
  JsonObject *status;
  gboolean failing;

  g_return_val_if_fail (YUN_IS_SYNC (self), NULL);

  status = json_object_new ();
  failing = self->state == YUN_SYNC_STATE_OFFLINE || self->state == YUN_SYNC_STATE_ERROR ||
            self->state == YUN_SYNC_STATE_SIGNED_OUT;
  json_object_set_string_member (status, "state", yun_sync_state_to_string (self->state));
  if (self->last_sync_time > 0)
    json_object_set_int_member (status, "lastSync", self->last_sync_time / 1000);
  else
    json_object_set_null_member (status, "lastSync");
  json_object_set_int_member (status, "pending", self->pending);
  if (failing && self->last_error != NULL)
    json_object_set_string_member (status, "error", self->last_error);
  else
    json_object_set_null_member (status, "error");
  return status;
}
