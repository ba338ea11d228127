/* yun-cloud-db.c: one SQLite database of yun-cloud's app back ends
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "yun-cloud-db.h"

/**
 * YunCloudDb:
 *
 * One SQLite file under yun-cloud's data folder (the store catalog, the
 * places, the prices, the deals), with the lock that makes its one
 * connection usable from the worker threads that answer requests.
 *
 * The file is opened when first needed (yun_cloud_db_ensure_open (), on
 * the worker thread of the first request), not when the cloud starts: a
 * cloud whose apps nobody uses pays nothing for them.  A new file is
 * created with its schema and filled by its generator in one transaction,
 * so a half-generated database never exists: a crash while generating
 * leaves an empty file that the next attempt fills again.
 */

/* A worker waits this long for another process holding the file. */
#define BUSY_TIMEOUT_MS 5000

struct _YunCloudDb {
  GObject              parent_instance;

  char                *path;
  char                *schema;
  YunCloudDbFillFunc   fill;
  gpointer             fill_data;
  GDestroyNotify       fill_data_free;
  YunCloudDbReadyFunc  ready;
  gpointer             ready_data;
  GDestroyNotify       ready_data_free;

  /* Held while opening, so that two first requests open once. */
  GMutex               open_mutex;
  gboolean             is_open;

  sqlite3             *db;
  GMutex               mutex;
};

G_DEFINE_FINAL_TYPE (YunCloudDb, yun_cloud_db, G_TYPE_OBJECT)

G_DEFINE_QUARK (yun-cloud-db-error-quark, yun_cloud_db_error)

static void
yun_cloud_db_finalize (GObject *object)
{
  YunCloudDb *self = YUN_CLOUD_DB (object);

  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->schema, g_free);
  if (self->fill_data_free != NULL)
    self->fill_data_free (self->fill_data);
  if (self->ready_data_free != NULL)
    self->ready_data_free (self->ready_data);
  g_mutex_clear (&self->mutex);
  g_mutex_clear (&self->open_mutex);

  G_OBJECT_CLASS (yun_cloud_db_parent_class)->finalize (object);
}

static void
yun_cloud_db_class_init (YunCloudDbClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = yun_cloud_db_finalize;
}

static void
yun_cloud_db_init (YunCloudDb *self)
{
  g_mutex_init (&self->mutex);
  g_mutex_init (&self->open_mutex);
}

/**
 * yun_cloud_db_set_error:
 * @db: a connection whose last call failed
 * @error: return location for a #GError
 *
 * Sets @error to %YUN_CLOUD_DB_ERROR_IO with SQLite's message.
 *
 * Returns: %FALSE, for `return yun_cloud_db_set_error (...)`
 */
gboolean
yun_cloud_db_set_error (sqlite3  *db,
                        GError  **error)
{
  g_set_error (error, YUN_CLOUD_DB_ERROR, YUN_CLOUD_DB_ERROR_IO,
               "Database error: %s", sqlite3_errmsg (db));
  return FALSE;
}

/**
 * yun_cloud_db_exec:
 * @db: a connection
 * @sql: one or more statements without results
 * @error: return location for a #GError
 *
 * Returns: %TRUE if every statement ran
 */
gboolean
yun_cloud_db_exec (sqlite3     *db,
                   const char  *sql,
                   GError     **error)
{
  g_autofree char *message = NULL;
  char *sqlite_message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &sqlite_message) == SQLITE_OK)
    return TRUE;

  message = g_strdup (sqlite_message != NULL ? sqlite_message : sqlite3_errmsg (db));
  sqlite3_free (sqlite_message);
  g_set_error (error, YUN_CLOUD_DB_ERROR, YUN_CLOUD_DB_ERROR_IO, "Database error: %s", message);
  return FALSE;
}

/**
 * yun_cloud_db_prepare:
 * @db: a connection
 * @sql: one statement
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the statement, or %NULL with @error
 *   set
 */
sqlite3_stmt *
yun_cloud_db_prepare (sqlite3     *db,
                      const char  *sql,
                      GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK) {
    yun_cloud_db_set_error (db, error);
    return NULL;
  }
  return stmt;
}

/**
 * yun_cloud_db_step_done:
 * @stmt: a statement that returns no rows
 * @error: return location for a #GError
 *
 * Runs @stmt to completion and resets it for another use.
 *
 * Returns: %TRUE if it ran
 */
gboolean
yun_cloud_db_step_done (sqlite3_stmt  *stmt,
                        GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
    yun_cloud_db_set_error (sqlite3_db_handle (stmt), error);
    sqlite3_reset (stmt);
    return FALSE;
  }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return TRUE;
}

/* Whether the schema's marker table holds the "filled" mark. */
static gboolean
is_filled (sqlite3 *db)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT value FROM yun_meta WHERE key = 'filled'", -1,
                          &stmt, NULL) != SQLITE_OK)
    return FALSE;
  return sqlite3_step (stmt) == SQLITE_ROW;
}

/**
 * yun_cloud_db_new:
 * @path: (type filename): the database file, created when first opened
 * @schema: `CREATE TABLE IF NOT EXISTS` statements
 * @fill: (nullable): fills a new database
 * @fill_data: for @fill
 * @fill_data_free: (nullable): frees @fill_data with the database
 *
 * Makes a database that opens when first needed.  A table `yun_meta (key,
 * value)` is added to every schema to remember that it was filled.
 *
 * Returns: (transfer full): the database, not open yet
 */
YunCloudDb *
yun_cloud_db_new (const char         *path,
                  const char         *schema,
                  YunCloudDbFillFunc  fill,
                  gpointer            fill_data,
                  GDestroyNotify      fill_data_free)
{
  YunCloudDb *self;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (schema != NULL, NULL);

  self = g_object_new (YUN_TYPE_CLOUD_DB, NULL);
  self->path = g_strdup (path);
  self->schema = g_strdup (schema);
  self->fill = fill;
  self->fill_data = fill_data;
  self->fill_data_free = fill_data_free;
  return self;
}

/**
 * yun_cloud_db_set_ready_func:
 * @self: a database not open yet
 * @ready: (nullable): what to do once it is open, such as refreshing rows
 *   that come from outside the database
 * @ready_data: for @ready
 * @ready_data_free: (nullable): frees @ready_data with the database
 */
void
yun_cloud_db_set_ready_func (YunCloudDb          *self,
                             YunCloudDbReadyFunc  ready,
                             gpointer             ready_data,
                             GDestroyNotify       ready_data_free)
{
  g_return_if_fail (YUN_IS_CLOUD_DB (self));
  g_return_if_fail (!self->is_open);

  if (self->ready_data_free != NULL)
    self->ready_data_free (self->ready_data);
  self->ready = ready;
  self->ready_data = ready_data;
  self->ready_data_free = ready_data_free;
}

static gboolean
open_file (YunCloudDb  *self,
           GError     **error)
{
  if (sqlite3_open_v2 (self->path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                       NULL) != SQLITE_OK) {
    g_set_error (error, YUN_CLOUD_DB_ERROR, YUN_CLOUD_DB_ERROR_IO,
                 "Could not open %s: %s", self->path,
                 self->db != NULL ? sqlite3_errmsg (self->db) : "out of memory");
    g_clear_pointer (&self->db, sqlite3_close);
    return FALSE;
  }
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  if (!yun_cloud_db_exec (self->db,
                          "PRAGMA journal_mode = WAL;"
                          "PRAGMA synchronous = NORMAL;"
                          "PRAGMA foreign_keys = ON;",
                          error))
    return FALSE;

  if (is_filled (self->db))
    return TRUE;

  /* Generators may write a row before the one it refers to; the keys are
   * checked when the transaction commits. */
  if (!yun_cloud_db_exec (self->db, "BEGIN IMMEDIATE; PRAGMA defer_foreign_keys = ON;", error))
    return FALSE;

  if (!yun_cloud_db_exec (self->db,
                          "CREATE TABLE IF NOT EXISTS yun_meta ("
                          "  key TEXT PRIMARY KEY, value TEXT NOT NULL)",
                          error) ||
      !yun_cloud_db_exec (self->db, self->schema, error) ||
      (self->fill != NULL && !self->fill (self->db, self->fill_data, error)) ||
      !yun_cloud_db_exec (self->db,
                          "INSERT OR REPLACE INTO yun_meta VALUES ('filled', '1');"
                          "COMMIT",
                          error)) {
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
    g_prefix_error (error, "Could not create %s: ", self->path);
    return FALSE;
  }

  return TRUE;
}

/**
 * yun_cloud_db_ensure_open:
 * @self: a #YunCloudDb
 * @error: return location for a #GError
 *
 * Opens the database in WAL mode unless it is open already; the first
 * time the file exists, creates the schema and fills it in the same
 * transaction; then runs the ready function.  Blocks on the disk: call it
 * from a worker thread.  Safe from several threads at once.
 *
 * Returns: %TRUE if the database is open
 */
gboolean
yun_cloud_db_ensure_open (YunCloudDb  *self,
                          GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gint64 start = g_get_monotonic_time ();

  g_return_val_if_fail (YUN_IS_CLOUD_DB (self), FALSE);

  locker = g_mutex_locker_new (&self->open_mutex);
  if (self->is_open)
    return TRUE;

  g_mutex_lock (&self->mutex);
  if (!open_file (self, error)) {
    g_clear_pointer (&self->db, sqlite3_close);
    g_mutex_unlock (&self->mutex);
    return FALSE;
  }
  g_mutex_unlock (&self->mutex);

  if (self->ready != NULL && !self->ready (self, self->ready_data, error)) {
    g_mutex_lock (&self->mutex);
    g_clear_pointer (&self->db, sqlite3_close);
    g_mutex_unlock (&self->mutex);
    return FALSE;
  }

  self->is_open = TRUE;
  g_debug ("Opened %s in %.1f ms", self->path, (g_get_monotonic_time () - start) / 1000.0);
  return TRUE;
}

/**
 * yun_cloud_db_open:
 * @path: (type filename): the database file, created if missing
 * @schema: `CREATE TABLE IF NOT EXISTS` statements
 * @fill: (scope call) (nullable): fills a new database
 * @fill_data: for @fill
 * @error: return location for a #GError
 *
 * yun_cloud_db_new () and yun_cloud_db_ensure_open () at once.
 *
 * Returns: (transfer full) (nullable): the open database, or %NULL with
 *   @error set
 */
YunCloudDb *
yun_cloud_db_open (const char          *path,
                   const char          *schema,
                   YunCloudDbFillFunc   fill,
                   gpointer             fill_data,
                   GError             **error)
{
  g_autoptr(YunCloudDb) self = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = yun_cloud_db_new (path, schema, fill, fill_data, NULL);
  if (!yun_cloud_db_ensure_open (self, error))
    return NULL;
  /* The fill data was the caller's, for the call only. */
  self->fill = NULL;
  self->fill_data = NULL;
  return g_steal_pointer (&self);
}

const char *
yun_cloud_db_get_path (YunCloudDb *self)
{
  g_return_val_if_fail (YUN_IS_CLOUD_DB (self), NULL);

  return self->path;
}

/**
 * yun_cloud_db_lock:
 * @self: a #YunCloudDb
 *
 * Takes the database for the calling thread until yun_cloud_db_unlock ().
 * Everything that must be atomic (a transaction, a read of several
 * statements) happens between the two.  The database must be open (see
 * yun_cloud_db_ensure_open ()).
 *
 * Returns: (transfer none): the connection
 */
sqlite3 *
yun_cloud_db_lock (YunCloudDb *self)
{
  g_return_val_if_fail (YUN_IS_CLOUD_DB (self), NULL);

  g_mutex_lock (&self->mutex);
  g_assert (self->db != NULL);
  return self->db;
}

void
yun_cloud_db_unlock (YunCloudDb *self)
{
  g_return_if_fail (YUN_IS_CLOUD_DB (self));

  g_mutex_unlock (&self->mutex);
}
