/* yun-permission-store.c: what the user decided about each app's permissions,
 * and a log of every gated call.
 *
 * Decisions are few and read on every gated call, so they live in memory
 * and are read without I/O.  Every write (a decision, an access) goes to
 * SQLite on one worker thread, in order, so the GTK main thread never waits
 * for the disk; yun_permission_store_flush_async() says when all writes
 * made so far are durable.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-permission-store.h"

#include <sqlite3.h>

/* The access log keeps this many of the newest entries. */
#define MAX_ACCESSES 10000

typedef enum {
  JOB_SET,
  JOB_LOG,
  JOB_LIST_ACCESSES,
  JOB_FLUSH,
} JobKind;

typedef struct {
  JobKind kind;
  char *app_id;
  char *name;
  char *permission;
  int value;
  gint64 time;
  guint limit;
  GTask *task;
} Job;

struct _YunPermissionStore
{
  GObject parent_instance;

  sqlite3 *db;
  /* "app\npermission" → YunPermissionDecision; main thread only. */
  GHashTable *decisions;
  GThreadPool *writer;
  /* The first write that failed since the last flush; writer thread only. */
  GError *write_error;
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (YunPermissionStore, yun_permission_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (yun-permission-store-error-quark, yun_permission_store_error)

static const char schema_sql[] =
  "PRAGMA journal_mode = WAL;"
  "PRAGMA synchronous = FULL;"
  "CREATE TABLE IF NOT EXISTS decisions ("
  "  app_id TEXT NOT NULL, permission TEXT NOT NULL, state INTEGER NOT NULL,"
  "  time INTEGER NOT NULL, PRIMARY KEY (app_id, permission));"
  "CREATE TABLE IF NOT EXISTS accesses ("
  "  id INTEGER PRIMARY KEY, app_id TEXT NOT NULL, method TEXT NOT NULL,"
  "  permission TEXT NOT NULL, allowed INTEGER NOT NULL, time INTEGER NOT NULL);"
  "PRAGMA user_version = 1;";

static char *
decision_key (const char *app_id,
              const char *permission)
{
  return g_strconcat (app_id, "\n", permission, NULL);
}

static gboolean
set_sqlite_error (sqlite3     *db,
                  const char  *doing,
                  GError     **error)
{
  g_set_error (error, YUN_PERMISSION_STORE_ERROR, YUN_PERMISSION_STORE_ERROR_IO,
               "%s: %s", doing, db != NULL ? sqlite3_errmsg (db) : "out of memory");
  return FALSE;
}

static void
job_free (Job *job)
{
  g_free (job->app_id);
  g_free (job->name);
  g_free (job->permission);
  g_clear_object (&job->task);
  g_free (job);
}

static gboolean
run_set (sqlite3  *db,
         Job      *job,
         GError  **error)
{
  sqlite3_stmt *statement = NULL;
  int rc;

  if (job->value == YUN_PERMISSION_STATE_PROMPT)
    rc = sqlite3_prepare_v2 (db, "DELETE FROM decisions WHERE app_id = ?1 AND permission = ?2",
                             -1, &statement, NULL);
  else
    rc = sqlite3_prepare_v2 (db, "INSERT OR REPLACE INTO decisions VALUES (?1, ?2, ?3, ?4)",
                             -1, &statement, NULL);
  if (rc != SQLITE_OK)
    return set_sqlite_error (db, "saving a decision", error);

  sqlite3_bind_text (statement, 1, job->app_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (statement, 2, job->permission, -1, SQLITE_STATIC);
  if (job->value != YUN_PERMISSION_STATE_PROMPT) {
    sqlite3_bind_int (statement, 3, job->value);
    sqlite3_bind_int64 (statement, 4, job->time);
  }
  rc = sqlite3_step (statement);
  sqlite3_finalize (statement);

  return rc == SQLITE_DONE || set_sqlite_error (db, "saving a decision", error);
}

static gboolean
run_log (sqlite3  *db,
         Job      *job,
         GError  **error)
{
  sqlite3_stmt *statement = NULL;
  sqlite3_int64 id;
  int rc;

  rc = sqlite3_prepare_v2 (db, "INSERT INTO accesses (app_id, method, permission, allowed, time) "
                           "VALUES (?1, ?2, ?3, ?4, ?5)", -1, &statement, NULL);
  if (rc != SQLITE_OK)
    return set_sqlite_error (db, "logging an access", error);

  sqlite3_bind_text (statement, 1, job->app_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (statement, 2, job->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (statement, 3, job->permission, -1, SQLITE_STATIC);
  sqlite3_bind_int (statement, 4, job->value);
  sqlite3_bind_int64 (statement, 5, job->time);
  rc = sqlite3_step (statement);
  sqlite3_finalize (statement);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (db, "logging an access", error);

  /* Trim the log now and then rather than on every insert. */
  id = sqlite3_last_insert_rowid (db);
  if (id % 100 == 0) {
    g_autofree char *sql = g_strdup_printf ("DELETE FROM accesses WHERE id <= %" G_GINT64_FORMAT,
                                            (gint64) id - MAX_ACCESSES);

    if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
      return set_sqlite_error (db, "trimming the access log", error);
  }

  return TRUE;
}

static GPtrArray *
run_list_accesses (sqlite3  *db,
                   guint     limit,
                   GError  **error)
{
  g_autoptr(GPtrArray) accesses = g_ptr_array_new_with_free_func ((GDestroyNotify) yun_permission_access_free);
  sqlite3_stmt *statement = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "SELECT app_id, method, permission, allowed, time FROM accesses "
                           "ORDER BY id DESC LIMIT ?1", -1, &statement, NULL);
  if (rc != SQLITE_OK) {
    set_sqlite_error (db, "reading the access log", error);
    return NULL;
  }

  sqlite3_bind_int (statement, 1, (int) MIN (limit, G_MAXINT));
  while ((rc = sqlite3_step (statement)) == SQLITE_ROW) {
    YunPermissionAccess *access = g_new0 (YunPermissionAccess, 1);

    access->app_id = g_strdup ((const char *) sqlite3_column_text (statement, 0));
    access->method = g_strdup ((const char *) sqlite3_column_text (statement, 1));
    access->permission = g_strdup ((const char *) sqlite3_column_text (statement, 2));
    access->allowed = sqlite3_column_int (statement, 3) != 0;
    access->time = sqlite3_column_int64 (statement, 4);
    g_ptr_array_add (accesses, access);
  }
  sqlite3_finalize (statement);

  if (rc != SQLITE_DONE) {
    set_sqlite_error (db, "reading the access log", error);
    return NULL;
  }

  return g_steal_pointer (&accesses);
}

/* The writer thread: runs jobs one at a time, in the order they came. */
static void
run_job (gpointer data,
         gpointer user_data)
{
  Job *job = data;
  YunPermissionStore *self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *accesses;

  switch (job->kind) {
  case JOB_SET:
    if (!run_set (self->db, job, &error) && self->write_error == NULL)
      self->write_error = g_steal_pointer (&error);
    break;
  case JOB_LOG:
    if (!run_log (self->db, job, &error) && self->write_error == NULL)
      self->write_error = g_steal_pointer (&error);
    break;
  case JOB_LIST_ACCESSES:
    accesses = run_list_accesses (self->db, job->limit, &error);
    if (accesses == NULL)
      g_task_return_error (job->task, g_steal_pointer (&error));
    else
      g_task_return_pointer (job->task, accesses, (GDestroyNotify) g_ptr_array_unref);
    break;
  case JOB_FLUSH:
    if (self->write_error != NULL)
      g_task_return_error (job->task, g_steal_pointer (&self->write_error));
    else
      g_task_return_boolean (job->task, TRUE);
    break;
  default:
    g_assert_not_reached ();
  }

  job_free (job);
}

static gboolean
load_decisions (YunPermissionStore  *self,
                GError             **error)
{
  sqlite3_stmt *statement = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, "SELECT app_id, permission, state, time FROM decisions",
                           -1, &statement, NULL);
  if (rc != SQLITE_OK)
    return set_sqlite_error (self->db, "reading decisions", error);

  while ((rc = sqlite3_step (statement)) == SQLITE_ROW) {
    YunPermissionDecision *decision = g_new0 (YunPermissionDecision, 1);

    decision->app_id = g_strdup ((const char *) sqlite3_column_text (statement, 0));
    decision->permission = g_strdup ((const char *) sqlite3_column_text (statement, 1));
    decision->state = CLAMP (sqlite3_column_int (statement, 2), YUN_PERMISSION_STATE_PROMPT,
                             YUN_PERMISSION_STATE_DENIED);
    decision->time = sqlite3_column_int64 (statement, 3);
    g_hash_table_insert (self->decisions, decision_key (decision->app_id, decision->permission),
                         decision);
  }
  sqlite3_finalize (statement);

  return rc == SQLITE_DONE || set_sqlite_error (self->db, "reading decisions", error);
}

static void
queue (YunPermissionStore *self,
       Job                *job)
{
  g_thread_pool_push (self->writer, job, NULL);
}

static void
yun_permission_store_dispose (GObject *object)
{
  YunPermissionStore *self = YUN_PERMISSION_STORE (object);

  /* Waits for queued writes: a decision the user made is not dropped. */
  if (self->writer != NULL) {
    g_thread_pool_free (self->writer, FALSE, TRUE);
    self->writer = NULL;
  }

  G_OBJECT_CLASS (yun_permission_store_parent_class)->dispose (object);
}

static void
yun_permission_store_finalize (GObject *object)
{
  YunPermissionStore *self = YUN_PERMISSION_STORE (object);

  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_pointer (&self->decisions, g_hash_table_unref);
  g_clear_error (&self->write_error);

  G_OBJECT_CLASS (yun_permission_store_parent_class)->finalize (object);
}

static void
yun_permission_store_class_init (YunPermissionStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = yun_permission_store_dispose;
  object_class->finalize = yun_permission_store_finalize;

  /**
   * YunPermissionStore::changed:
   * @app_id: the app
   * @permission: the permission
   * @state: its state now, a #YunPermissionState
   *
   * A decision was recorded or forgotten, in the thread that called
   * yun_permission_store_set().
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_INT);
}

static void
yun_permission_store_init (YunPermissionStore *self)
{
  self->decisions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) yun_permission_decision_free);
}

/**
 * yun_permission_store_open:
 * @path: the SQLite file; created when missing
 * @error: return location for a #YunPermissionStoreError
 *
 * Opens the store and reads every decision into memory.  This blocks on
 * the disk: the shell uses yun_permission_store_open_async().
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
YunPermissionStore *
yun_permission_store_open (const char  *path,
                           GError     **error)
{
  g_autoptr(YunPermissionStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (YUN_TYPE_PERMISSION_STORE, NULL);
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                       SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
      sqlite3_exec (self->db, schema_sql, NULL, NULL, NULL) != SQLITE_OK) {
    g_autofree char *doing = g_strdup_printf ("opening %s", path);

    set_sqlite_error (self->db, doing, error);
    return NULL;
  }

  if (!load_decisions (self, error))
    return NULL;

  self->writer = g_thread_pool_new (run_job, self, 1, TRUE, NULL);
  return g_steal_pointer (&self);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  YunPermissionStore *store = yun_permission_store_open (task_data, &error);

  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

/**
 * yun_permission_store_open_async:
 * @path: the SQLite file; created when missing
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the store is open
 * @user_data: data for @callback
 *
 * Opens the store on a worker thread.
 */
void
yun_permission_store_open_async (const char          *path,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, yun_permission_store_open_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, open_thread);
}

/**
 * yun_permission_store_open_finish:
 * @result: the result given to the callback
 * @error: return location for a #YunPermissionStoreError
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
YunPermissionStore *
yun_permission_store_open_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * yun_permission_state_to_string:
 * @state: a state
 *
 * Returns: (transfer none): "prompt", "granted" or "denied", the names of
 *   the Permissions API
 */
const char *
yun_permission_state_to_string (YunPermissionState state)
{
  switch (state) {
  case YUN_PERMISSION_STATE_GRANTED:
    return "granted";
  case YUN_PERMISSION_STATE_DENIED:
    return "denied";
  case YUN_PERMISSION_STATE_PROMPT:
  default:
    return "prompt";
  }
}

/**
 * yun_permission_store_get:
 * @self: the store
 * @app_id: an app
 * @permission: a permission's name
 *
 * Reads from memory; never blocks.
 *
 * Returns: the user's standing decision, or %YUN_PERMISSION_STATE_PROMPT
 */
YunPermissionState
yun_permission_store_get (YunPermissionStore *self,
                          const char         *app_id,
                          const char         *permission)
{
  g_autofree char *key = NULL;
  YunPermissionDecision *decision;

  g_return_val_if_fail (YUN_IS_PERMISSION_STORE (self), YUN_PERMISSION_STATE_DENIED);
  g_return_val_if_fail (app_id != NULL && permission != NULL, YUN_PERMISSION_STATE_DENIED);

  key = decision_key (app_id, permission);
  decision = g_hash_table_lookup (self->decisions, key);
  return decision != NULL ? decision->state : YUN_PERMISSION_STATE_PROMPT;
}

/**
 * yun_permission_store_set:
 * @self: the store
 * @app_id: an app
 * @permission: a permission's name
 * @state: the decision; %YUN_PERMISSION_STATE_PROMPT forgets it (revoke)
 *
 * Records a decision.  It holds at once; it is written to disk in the
 * background (see yun_permission_store_flush_async()).
 */
void
yun_permission_store_set (YunPermissionStore *self,
                          const char         *app_id,
                          const char         *permission,
                          YunPermissionState  state)
{
  Job *job;

  g_return_if_fail (YUN_IS_PERMISSION_STORE (self));
  g_return_if_fail (app_id != NULL && permission != NULL);

  job = g_new0 (Job, 1);
  job->kind = JOB_SET;
  job->app_id = g_strdup (app_id);
  job->permission = g_strdup (permission);
  job->value = state;
  job->time = g_get_real_time ();

  if (state == YUN_PERMISSION_STATE_PROMPT) {
    g_autofree char *key = decision_key (app_id, permission);

    g_hash_table_remove (self->decisions, key);
  } else {
    YunPermissionDecision *decision = g_new0 (YunPermissionDecision, 1);

    decision->app_id = g_strdup (app_id);
    decision->permission = g_strdup (permission);
    decision->state = state;
    decision->time = job->time;
    g_hash_table_replace (self->decisions, decision_key (app_id, permission), decision);
  }

  queue (self, job);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, app_id, permission, (int) state);
}

/**
 * yun_permission_store_log_access:
 * @self: the store
 * @app_id: the calling app
 * @method: the bridge method, "contacts.find"
 * @permission: the permission the method needed
 * @allowed: whether the call went through
 *
 * Appends to the access log, in the background.
 */
void
yun_permission_store_log_access (YunPermissionStore *self,
                                 const char         *app_id,
                                 const char         *method,
                                 const char         *permission,
                                 gboolean            allowed)
{
  Job *job;

  g_return_if_fail (YUN_IS_PERMISSION_STORE (self));

  job = g_new0 (Job, 1);
  job->kind = JOB_LOG;
  job->app_id = g_strdup (app_id);
  job->name = g_strdup (method);
  job->permission = g_strdup (permission);
  job->value = allowed;
  job->time = g_get_real_time ();
  queue (self, job);
}

static int
compare_decisions (gconstpointer a,
                   gconstpointer b)
{
  const YunPermissionDecision *x = *(YunPermissionDecision * const *) a;
  const YunPermissionDecision *y = *(YunPermissionDecision * const *) b;
  int by_app = g_strcmp0 (x->app_id, y->app_id);

  return by_app != 0 ? by_app : g_strcmp0 (x->permission, y->permission);
}

/**
 * yun_permission_store_list_decisions:
 * @self: the store
 *
 * Returns: (transfer container) (element-type YunPermissionDecision): every
 *   standing decision, by app and permission; the elements belong to the
 *   store and are valid until it next changes
 */
GPtrArray *
yun_permission_store_list_decisions (YunPermissionStore *self)
{
  GPtrArray *decisions;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (YUN_IS_PERMISSION_STORE (self), NULL);

  decisions = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, self->decisions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (decisions, value);
  g_ptr_array_sort (decisions, compare_decisions);
  return decisions;
}

static void
push_task (YunPermissionStore  *self,
           JobKind              kind,
           guint                limit,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data,
           gpointer             source_tag)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->limit = limit;
  /* No source object: the task is finished on the writer thread, and a
   * reference held there must not decide when the store is finalized.
   * Disposing the store waits for the writer anyway. */
  job->task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, source_tag);
  queue (self, job);
}

/**
 * yun_permission_store_list_accesses_async:
 * @self: the store
 * @limit: the most entries to return
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the entries
 * @user_data: data for @callback
 *
 * Reads the newest entries of the access log, after every write queued
 * before this call.
 */
void
yun_permission_store_list_accesses_async (YunPermissionStore  *self,
                                          guint                limit,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_return_if_fail (YUN_IS_PERMISSION_STORE (self));
  push_task (self, JOB_LIST_ACCESSES, limit, cancellable, callback, user_data,
             yun_permission_store_list_accesses_async);
}

/**
 * yun_permission_store_list_accesses_finish:
 * @result: the result given to the callback
 * @error: return location for a #YunPermissionStoreError
 *
 * Returns: (transfer full) (element-type YunPermissionAccess): the newest
 *   entries first, or %NULL with @error set
 */
GPtrArray *
yun_permission_store_list_accesses_finish (GAsyncResult        *result,
                                           GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        yun_permission_store_list_accesses_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * yun_permission_store_flush_async:
 * @self: the store
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once every write queued before this call is on disk
 * @user_data: data for @callback
 *
 * Waits for the background writes.
 */
void
yun_permission_store_flush_async (YunPermissionStore  *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (YUN_IS_PERMISSION_STORE (self));
  push_task (self, JOB_FLUSH, 0, cancellable, callback, user_data,
             yun_permission_store_flush_async);
}

/**
 * yun_permission_store_flush_finish:
 * @result: the result given to the callback
 * @error: return location for the first write that failed since the last
 *   flush
 *
 * Returns: %TRUE when every write reached the disk
 */
gboolean
yun_permission_store_flush_finish (GAsyncResult        *result,
                                   GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        yun_permission_store_flush_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * yun_permission_decision_free:
 * @decision: (transfer full): a decision
 */
void
yun_permission_decision_free (YunPermissionDecision *decision)
{
  g_free (decision->app_id);
  g_free (decision->permission);
  g_free (decision);
}

/**
 * yun_permission_access_free:
 * @access: (transfer full): a log entry
 */
void
yun_permission_access_free (YunPermissionAccess *access)
{
  g_free (access->app_id);
  g_free (access->method);
  g_free (access->permission);
  g_free (access);
}
