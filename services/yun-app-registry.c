/* yun-app-registry.c: the installed apps of a profile, and their folders.
 *
 * A profile folder P holds the registry database, P/registry.sqlite, and
 * one folder per app, P/apps/<id>/, with the app's own files in `package/`
 * (a packaged app) or `offline/` (a hosted app's offline copy) beside the
 * web view's `data/` and `cache/`, which the shell creates.  The row in the
 * database and the folder must always agree, even when the process is
 * killed half-way through an install, so files are put in place with a
 * small journal:
 *
 *  1. the installer writes the new files into P/apps/.staging-<id>-XXXXXX/
 *     and syncs them;
 *  2. P/apps/<id>/.install.json records a fresh random token, the folder
 *     about to arrive and the folders there now; it is written to a
 *     temporary file, synced and renamed, so it exists whole or not at all;
 *  3. the folders there now are renamed aside to `.old-<name>`, the new one
 *     is renamed in, and the folder is synced;
 *  4. the row, carrying the token, is written in one SQLite transaction:
 *     this is the moment the new version exists;
 *  5. the `.old-*` folders and the journal are removed.
 *
 * After a crash, settling a folder compares its journal's token with the
 * row's: equal means step 4 happened, so only step 5 is left to finish;
 * different (or no row) means it did not, so the new folder is removed and
 * the old ones are renamed back.  Every step of settling can itself be
 * interrupted and run again.  Opening the registry settles every folder
 * and removes staging folders and folders that have no row
 * (yun_app_registry_collect_garbage()).
 *
 * Uninstalling deletes the row first, then renames the folder to
 * P/apps/.trash-<id>-XXXXXX and removes it; whatever a crash leaves is
 * garbage that the next collection removes.
 *
 * The database is small and read whole at open: yun_app_registry_get() and
 * yun_app_registry_list() read memory and never block.  Writes block on the
 * disk; the installer makes them in a worker thread.  Every method may be
 * called from any thread.  Only one process may use a profile at a time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-app-registry.h"
#include "yun-app-registry-private.h"

#include "yun-json.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DATABASE_NAME "registry.sqlite"
#define APPS_DIR_NAME "apps"
#define JOURNAL_NAME ".install.json"
#define JOURNAL_TMP_NAME ".install.json.tmp"
#define ASIDE_PREFIX ".old-"
#define STAGING_PREFIX ".staging-"
#define TRASH_PREFIX ".trash-"
#define JOURNAL_MAX_BYTES 4096

/* How long a write waits for another connection to the database (only
 * tests open one) before giving up. */
#define BUSY_TIMEOUT_MS 1000

/* How often a thread waiting for an app that is busy checks whether it
 * was cancelled. */
#define CLAIM_POLL_US (100 * G_TIME_SPAN_MILLISECOND)

typedef enum {
  PUT_INSTALL,
  PUT_UPDATE,
  PUT_ANY,
} PutMode;

struct _YunAppRegistry
{
  GObject parent_instance;

  char *profile_dir;
  char *apps_dir;

  /* Guards db; held for whole transactions. */
  GMutex db_lock;
  sqlite3 *db;

  /* Guards records and busy; never held while waiting for the disk, so the
   * main thread can read records at any time. */
  GMutex state_lock;
  GCond busy_changed;
  /* id → YunAppRecord */
  GHashTable *records;
  /* The ids an install, an uninstall or a collection is working on. */
  GHashTable *busy;
};

G_DEFINE_FINAL_TYPE (YunAppRegistry, yun_app_registry, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (YunAppRecord, yun_app_record, yun_app_record_copy, yun_app_record_free)

G_DEFINE_QUARK (yun-app-registry-error-quark, yun_app_registry_error)

/* Each entry upgrades the schema by one version; user_version counts the
 * entries applied.  Entries are only ever appended. */
static const char * const migrations[] = {
  "CREATE TABLE apps ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  origin TEXT NOT NULL,"
  "  manifest_url TEXT NOT NULL,"
  "  manifest TEXT NOT NULL,"
  "  version TEXT NOT NULL,"
  "  source TEXT NOT NULL CHECK (source IN ('hosted', 'packaged')),"
  "  installed_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  install_token TEXT NOT NULL);",
};

static const char * const content_dirs[] = { YUN_APP_DIR_PACKAGE, YUN_APP_DIR_OFFLINE, NULL };

static gboolean
set_sqlite_error (sqlite3     *db,
                  const char  *doing,
                  GError     **error)
{
  int code = db != NULL ? sqlite3_errcode (db) : SQLITE_NOMEM;

  g_set_error (error, YUN_APP_REGISTRY_ERROR,
               code == SQLITE_CORRUPT || code == SQLITE_NOTADB ?
               YUN_APP_REGISTRY_ERROR_CORRUPT : YUN_APP_REGISTRY_ERROR_IO,
               "%s: %s", doing, db != NULL ? sqlite3_errmsg (db) : "out of memory");
  return FALSE;
}

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *what,
                 const char  *path)
{
  g_set_error (error, YUN_APP_REGISTRY_ERROR, YUN_APP_REGISTRY_ERROR_IO,
               "could not %s %s: %s", what, path, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
path_exists (const char *path)
{
  GStatBuf info;

  return g_lstat (path, &info) == 0;
}

static gboolean
sync_path (const char  *path,
           gboolean     is_dir,
           GError     **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | (is_dir ? O_DIRECTORY : 0), 0);

  if (fd < 0)
    return set_errno_error (error, errno, "open", path);
  if (fsync (fd) != 0) {
    int saved_errno = errno;

    close (fd);
    return set_errno_error (error, saved_errno, "sync", path);
  }
  close (fd);
  return TRUE;
}

static gboolean
rename_path (const char  *from,
             const char  *to,
             GError     **error)
{
  if (g_rename (from, to) != 0) {
    g_autofree char *what = g_strdup_printf ("move %s to", from);

    return set_errno_error (error, errno, what, to);
  }
  return TRUE;
}

/* Writes a small file and syncs it, replacing what was there. */
static gboolean
write_synced (const char  *path,
              const char  *data,
              gsize        length,
              GError     **error)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);

  if (fd < 0)
    return set_errno_error (error, errno, "create", path);

  while (length > 0) {
    gssize written = write (fd, data, length);

    if (written < 0 && errno == EINTR)
      continue;
    if (written < 0) {
      int saved_errno = errno;

      close (fd);
      return set_errno_error (error, saved_errno, "write", path);
    }
    data += written;
    length -= written;
  }

  if (fsync (fd) != 0) {
    int saved_errno = errno;

    close (fd);
    return set_errno_error (error, saved_errno, "write", path);
  }
  if (close (fd) != 0)
    return set_errno_error (error, errno, "write", path);
  return TRUE;
}

/**
 * yun_app_registry_crash_point: (skip)
 *
 * For tests only: when the environment variable YUN_INSTALLER_CRASH_AFTER
 * is N > 0, the process kills itself with SIGKILL at the N-th call.  The
 * installer and the registry call this after every step that changes the
 * disk, so a test can stop an install at each point and check that what
 * is left is the complete old state or the complete new one.  Without the
 * variable this does nothing.
 */
void
yun_app_registry_crash_point (void)
{
  static gsize initialized = 0;
  static int remaining = 0;

  if (g_once_init_enter (&initialized)) {
    const char *value = g_getenv ("YUN_INSTALLER_CRASH_AFTER");

    remaining = value != NULL ? MAX (atoi (value), 0) : 0;
    g_once_init_leave (&initialized, 1);
  }

  if (g_atomic_int_get (&remaining) > 0 && g_atomic_int_dec_and_test (&remaining))
    kill (getpid (), SIGKILL);
}

/**
 * yun_app_registry_sync_tree: (skip)
 * @path: a file or folder
 * @error: return location for a %YUN_APP_REGISTRY_ERROR_IO error
 *
 * Syncs every file and folder under @path, and @path itself, so that they
 * survive a crash once renamed into place.  Symbolic links are not
 * followed.  This blocks on the disk.
 *
 * Returns: %TRUE when everything reached the disk
 */
gboolean
yun_app_registry_sync_tree (const char  *path,
                            GError     **error)
{
  g_autoptr(GDir) dir = NULL;
  GStatBuf info;
  const char *name;

  if (g_lstat (path, &info) != 0)
    return set_errno_error (error, errno, "read", path);
  if (S_ISLNK (info.st_mode))
    return TRUE;
  if (!S_ISDIR (info.st_mode))
    return sync_path (path, FALSE, error);

  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    return set_errno_error (error, errno, "read", path);
  while ((name = g_dir_read_name (dir)) != NULL) {
    g_autofree char *child = g_build_filename (path, name, NULL);

    if (!yun_app_registry_sync_tree (child, error))
      return FALSE;
  }
  return sync_path (path, TRUE, error);
}

/**
 * yun_app_registry_remove_tree: (skip)
 * @path: a file or folder that need not exist
 * @error: return location for a %YUN_APP_REGISTRY_ERROR_IO error
 *
 * Removes @path and everything under it, never following a symbolic link.
 * This blocks on the disk.
 *
 * Returns: %TRUE when @path is gone
 */
gboolean
yun_app_registry_remove_tree (const char  *path,
                              GError     **error)
{
  GStatBuf info;

  if (g_lstat (path, &info) != 0) {
    if (errno == ENOENT)
      return TRUE;
    return set_errno_error (error, errno, "read", path);
  }

  if (S_ISDIR (info.st_mode)) {
    g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
    const char *name;

    if (dir == NULL)
      return set_errno_error (error, errno, "read", path);
    while ((name = g_dir_read_name (dir)) != NULL) {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (!yun_app_registry_remove_tree (child, error))
        return FALSE;
    }
    if (g_rmdir (path) != 0 && errno != ENOENT)
      return set_errno_error (error, errno, "remove", path);
  } else if (g_unlink (path) != 0 && errno != ENOENT) {
    return set_errno_error (error, errno, "remove", path);
  }

  yun_app_registry_crash_point ();
  return TRUE;
}

/* "scheme://host[:port]", the origin of an absolute URL as the web writes
 * it: lower case, without the scheme's default port. */
static char *
origin_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  g_autofree char *host = NULL;
  const char *scheme;
  int port;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;

  scheme = g_uri_get_scheme (uri);
  port = g_uri_get_port (uri);
  if ((g_str_equal (scheme, "http") && port == 80) ||
      (g_str_equal (scheme, "https") && port == 443))
    port = -1;
  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  return g_uri_join (G_URI_FLAGS_ENCODED, scheme, NULL, host, port, "", NULL, NULL);
}

static YunAppRecord *
record_new (const char    *id,
            YunAppSource   source,
            const char    *manifest_url,
            const char    *manifest_text,
            const char    *version,
            gint64         installed_at,
            gint64         updated_at,
            GError       **error)
{
  g_autoptr(YunAppRecord) record = g_new0 (YunAppRecord, 1);
  g_autoptr(GError) local_error = NULL;

  record->manifest = yun_manifest_new_from_data (manifest_text, strlen (manifest_text),
                                                 manifest_url, &local_error);
  if (record->manifest == NULL) {
    g_set_error (error, YUN_APP_REGISTRY_ERROR, YUN_APP_REGISTRY_ERROR_INVALID_MANIFEST,
                 "%s", local_error->message);
    return NULL;
  }

  record->origin = origin_of (yun_manifest_get_start_url (record->manifest));
  if (record->origin == NULL) {
    g_set_error (error, YUN_APP_REGISTRY_ERROR, YUN_APP_REGISTRY_ERROR_INVALID_MANIFEST,
                 "start_url: \"%s\" has no origin", yun_manifest_get_start_url (record->manifest));
    return NULL;
  }

  record->id = g_strdup (id);
  record->manifest_url = g_strdup (manifest_url);
  record->manifest_text = g_strdup (manifest_text);
  record->version = g_strdup (version);
  record->source = source;
  record->installed_at = installed_at;
  record->updated_at = updated_at;
  return g_steal_pointer (&record);
}

static gboolean
check_id (const char  *id,
          GError     **error)
{
  if (yun_app_id_is_valid (id))
    return TRUE;

  g_set_error (error, YUN_APP_REGISTRY_ERROR, YUN_APP_REGISTRY_ERROR_BAD_ID,
               "\"%s\" is not an app id: it must be 1 to %d of a-z, 0-9, '.', '_' and '-', "
               "starting with a letter or a digit", id, YUN_APP_ID_MAX_LENGTH);
  return FALSE;
}

static char *
app_dir (YunAppRegistry *self,
         const char     *id)
{
  return g_build_filename (self->apps_dir, id, NULL);
}

/* Takes the id out of ".staging-<id>-XXXXXX" or ".trash-<id>-XXXXXX". */
static char *
id_of_temporary (const char *name,
                 const char *prefix)
{
  gsize length = strlen (name);
  gsize prefix_length = strlen (prefix);
  g_autofree char *id = NULL;

  if (length < prefix_length + 8 || name[length - 7] != '-')
    return NULL;
  id = g_strndup (name + prefix_length, length - prefix_length - 7);
  return yun_app_id_is_valid (id) ? g_steal_pointer (&id) : NULL;
}

static gboolean
exec_sql (YunAppRegistry  *self,
          const char      *sql,
          const char      *doing,
          GError         **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return set_sqlite_error (self->db, doing, error);
  return TRUE;
}

static void
rollback (YunAppRegistry *self)
{
  /* Fails harmlessly when SQLite already rolled back on its own. */
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

/* The install token of @id's row, or %NULL in @token when there is none. */
static gboolean
read_token (YunAppRegistry  *self,
            const char      *id,
            char           **token,
            GError         **error)
{
  sqlite3_stmt *statement = NULL;
  gboolean ok = TRUE;
  int rc;

  *token = NULL;
  g_mutex_lock (&self->db_lock);
  rc = sqlite3_prepare_v2 (self->db, "SELECT install_token FROM apps WHERE id = ?1", -1,
                           &statement, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_bind_text (statement, 1, id, -1, SQLITE_STATIC);
    rc = sqlite3_step (statement);
    if (rc == SQLITE_ROW)
      *token = g_strdup ((const char *) sqlite3_column_text (statement, 0));
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    ok = set_sqlite_error (self->db, "reading the registry", error);
  sqlite3_finalize (statement);
  g_mutex_unlock (&self->db_lock);

  return ok;
}

static void
cache_put (YunAppRegistry *self,
           YunAppRecord   *record)
{
  g_mutex_lock (&self->state_lock);
  g_hash_table_replace (self->records, g_strdup (record->id), yun_app_record_copy (record));
  g_mutex_unlock (&self->state_lock);
}

static void
cache_remove (YunAppRegistry *self,
              const char     *id)
{
  g_mutex_lock (&self->state_lock);
  g_hash_table_remove (self->records, id);
  g_mutex_unlock (&self->state_lock);
}

/* Writes @id's row in one transaction; a new row gets installed_at now, an
 * existing one keeps it. */
static YunAppRecord *
put_row (YunAppRegistry  *self,
         PutMode          mode,
         const char      *id,
         YunAppSource     source,
         const char      *manifest_url,
         const char      *manifest_text,
         const char      *version,
         const char      *token,
         GError         **error)
{
  g_autoptr(YunAppRecord) record = NULL;
  sqlite3_stmt *statement = NULL;
  gint64 now = g_get_real_time ();
  gint64 installed_at = now;
  gboolean exists = FALSE;
  int rc;

  if (!check_id (id, error))
    return NULL;
  record = record_new (id, source, manifest_url, manifest_text, version, now, now, error);
  if (record == NULL)
    return NULL;

  g_mutex_lock (&self->db_lock);
  if (!exec_sql (self, "BEGIN IMMEDIATE", "writing the registry", error))
    goto out;

  rc = sqlite3_prepare_v2 (self->db, "SELECT installed_at FROM apps WHERE id = ?1", -1,
                           &statement, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_bind_text (statement, 1, id, -1, SQLITE_STATIC);
    rc = sqlite3_step (statement);
    if (rc == SQLITE_ROW) {
      exists = TRUE;
      installed_at = sqlite3_column_int64 (statement, 0);
    }
  }
  g_clear_pointer (&statement, sqlite3_finalize);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    set_sqlite_error (self->db, "reading the registry", error);
    goto fail;
  }

  if (exists && mode == PUT_INSTALL) {
    g_set_error (error, YUN_APP_REGISTRY_ERROR, YUN_APP_REGISTRY_ERROR_EXISTS,
                 "the app %s is already installed", id);
    goto fail;
  }
  if (!exists && mode == PUT_UPDATE) {
    g_set_error (error, YUN_APP_REGISTRY_ERROR, YUN_APP_REGISTRY_ERROR_NOT_INSTALLED,
                 "the app %s is not installed", id);
    goto fail;
  }
  record->installed_at = installed_at;

  rc = sqlite3_prepare_v2 (self->db, "INSERT OR REPLACE INTO apps (id, origin, manifest_url, "
                           "manifest, version, source, installed_at, updated_at, install_token) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", -1, &statement, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_bind_text (statement, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text (statement, 2, record->origin, -1, SQLITE_STATIC);
    sqlite3_bind_text (statement, 3, manifest_url, -1, SQLITE_STATIC);
    sqlite3_bind_text (statement, 4, manifest_text, -1, SQLITE_STATIC);
    sqlite3_bind_text (statement, 5, version, -1, SQLITE_STATIC);
    sqlite3_bind_text (statement, 6, yun_app_source_to_string (source), -1, SQLITE_STATIC);
    sqlite3_bind_int64 (statement, 7, installed_at);
    sqlite3_bind_int64 (statement, 8, now);
    sqlite3_bind_text (statement, 9, token, -1, SQLITE_STATIC);
    rc = sqlite3_step (statement);
  }
  g_clear_pointer (&statement, sqlite3_finalize);
  if (rc != SQLITE_DONE) {
    set_sqlite_error (self->db, "writing the registry", error);
    goto fail;
  }

  if (!exec_sql (self, "COMMIT", "writing the registry", error))
    goto fail;

  g_mutex_unlock (&self->db_lock);
  cache_put (self, record);
  return g_steal_pointer (&record);

fail:
  rollback (self);
out:
  g_mutex_unlock (&self->db_lock);
  return NULL;
}

/* Deletes @id's row; fails with NOT_INSTALLED when there is none. */
static gboolean
delete_row (YunAppRegistry  *self,
            const char      *id,
            GError         **error)
{
  sqlite3_stmt *statement = NULL;
  gboolean ok = FALSE;
  int rc;

  g_mutex_lock (&self->db_lock);
  if (!exec_sql (self, "BEGIN IMMEDIATE", "writing the registry", error))
    goto out;

  rc = sqlite3_prepare_v2 (self->db, "DELETE FROM apps WHERE id = ?1", -1, &statement, NULL);
  if (rc == SQLITE_OK) {
    sqlite3_bind_text (statement, 1, id, -1, SQLITE_STATIC);
    rc = sqlite3_step (statement);
  }
  g_clear_pointer (&statement, sqlite3_finalize);
  if (rc != SQLITE_DONE) {
    set_sqlite_error (self->db, "writing the registry", error);
    rollback (self);
    goto out;
  }

  if (sqlite3_changes (self->db) == 0) {
    g_set_error (error, YUN_APP_REGISTRY_ERROR, YUN_APP_REGISTRY_ERROR_NOT_INSTALLED,
                 "the app %s is not installed", id);
    rollback (self);
    goto out;
  }

  if (!exec_sql (self, "COMMIT", "writing the registry", error)) {
    rollback (self);
    goto out;
  }
  ok = TRUE;

out:
  g_mutex_unlock (&self->db_lock);
  if (ok)
    cache_remove (self, id);
  return ok;
}

static gboolean
try_claim (YunAppRegistry *self,
           const char     *id)
{
  gboolean claimed = FALSE;

  g_mutex_lock (&self->state_lock);
  if (!g_hash_table_contains (self->busy, id)) {
    g_hash_table_add (self->busy, g_strdup (id));
    claimed = TRUE;
  }
  g_mutex_unlock (&self->state_lock);
  return claimed;
}

static gboolean
write_journal (const char          *dir,
               const char          *token,
               const char          *content,
               const char * const  *previous,
               GError             **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *tmp_path = g_build_filename (dir, JOURNAL_TMP_NAME, NULL);
  g_autofree char *path = g_build_filename (dir, JOURNAL_NAME, NULL);
  gsize length;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, content);
  json_builder_set_member_name (builder, "previous");
  json_builder_begin_array (builder);
  for (guint i = 0; previous[i] != NULL; i++)
    json_builder_add_string_value (builder, previous[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);

  return write_synced (tmp_path, text, length, error) &&
         rename_path (tmp_path, path, error) &&
         sync_path (dir, TRUE, error);
}

typedef struct {
  char *token;
  char *content;
  GStrv previous;
} Journal;

static void
journal_clear (Journal *journal)
{
  g_clear_pointer (&journal->token, g_free);
  g_clear_pointer (&journal->content, g_free);
  g_clear_pointer (&journal->previous, g_strfreev);
}

static gboolean
is_content_dir (const char *name)
{
  return g_strv_contains (content_dirs, name);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Journal, journal_clear)

/* Reads P/apps/<id>/.install.json; @found is FALSE when there is none. */
static gboolean
read_journal (const char  *dir,
              Journal     *journal,
              gboolean    *found,
              GError     **error)
{
  g_autofree char *path = g_build_filename (dir, JOURNAL_NAME, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GStrvBuilder) previous = g_strv_builder_new ();
  JsonObject *object;
  JsonNode *node;
  const char *token, *content;
  gsize length;

  *found = FALSE;
  if (!g_file_get_contents (path, &text, &length, &local_error)) {
    if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
      return TRUE;
    g_set_error (error, YUN_APP_REGISTRY_ERROR, YUN_APP_REGISTRY_ERROR_IO, "%s",
                 local_error->message);
    return FALSE;
  }

  root = yun_json_parse_bounded (text, length, JOURNAL_MAX_BYTES, 4, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    goto corrupt;
  object = json_node_get_object (root);
  token = json_object_get_string_member_with_default (object, "token", NULL);
  content = json_object_get_string_member_with_default (object, "content", NULL);
  node = json_object_get_member (object, "previous");
  if (token == NULL || content == NULL || !is_content_dir (content) || node == NULL ||
      !JSON_NODE_HOLDS_ARRAY (node))
    goto corrupt;

  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++) {
    JsonNode *element = json_array_get_element (json_node_get_array (node), i);

    if (!JSON_NODE_HOLDS_VALUE (element) ||
        json_node_get_value_type (element) != G_TYPE_STRING ||
        !is_content_dir (json_node_get_string (element)))
      goto corrupt;
    g_strv_builder_add (previous, json_node_get_string (element));
  }

  journal->token = g_strdup (token);
  journal->content = g_strdup (content);
  journal->previous = g_strv_builder_end (previous);
  *found = TRUE;
  return TRUE;

corrupt:
  g_set_error (error, YUN_APP_REGISTRY_ERROR, YUN_APP_REGISTRY_ERROR_CORRUPT,
               "the install journal %s is damaged", path);
  return FALSE;
}

/* Brings an app's folder in line with its row after an install that did
 * not finish: @row_token is the token of the row as it is on disk, %NULL
 * when there is no row.  Safe to run at any time on a folder nobody else
 * is working on, and to run again after it was interrupted. */
static gboolean
settle (const char  *dir,
        const char  *row_token,
        GError     **error)
{
  g_autofree char *journal_path = g_build_filename (dir, JOURNAL_NAME, NULL);
  g_autofree char *tmp_path = g_build_filename (dir, JOURNAL_TMP_NAME, NULL);
  g_auto(Journal) journal = { 0 };
  gboolean found, committed;

  if (!path_exists (dir))
    return TRUE;

  /* A journal still being written was never acted on. */
  if (g_unlink (tmp_path) != 0 && errno != ENOENT)
    return set_errno_error (error, errno, "remove", tmp_path);
  if (!read_journal (dir, &journal, &found, error))
    return FALSE;

  /* Without a journal there is nothing to undo; folders set aside can only
   * be left from a clean-up that removed the journal first, which never
   * happens, but they are ours and unused either way. */
  committed = !found || (row_token != NULL && g_str_equal (row_token, journal.token));

  for (guint i = 0; content_dirs[i] != NULL; i++) {
    g_autofree char *current = g_build_filename (dir, content_dirs[i], NULL);
    g_autofree char *aside_name = g_strconcat (ASIDE_PREFIX, content_dirs[i], NULL);
    g_autofree char *aside = g_build_filename (dir, aside_name, NULL);

    if (committed) {
      if (!yun_app_registry_remove_tree (aside, error))
        return FALSE;
    } else if (path_exists (aside)) {
      /* The old folder was set aside, so whatever has its name is new. */
      if (!yun_app_registry_remove_tree (current, error) ||
          !rename_path (aside, current, error))
        return FALSE;
      yun_app_registry_crash_point ();
    } else if (g_str_equal (content_dirs[i], journal.content) &&
               !g_strv_contains ((const char * const *) journal.previous, content_dirs[i])) {
      /* A folder the app did not have before can only be the new one. */
      if (!yun_app_registry_remove_tree (current, error))
        return FALSE;
    }
  }

  if (!found)
    return TRUE;
  if (!sync_path (dir, TRUE, error))
    return FALSE;
  if (g_unlink (journal_path) != 0 && errno != ENOENT)
    return set_errno_error (error, errno, "remove", journal_path);
  yun_app_registry_crash_point ();
  return sync_path (dir, TRUE, error);
}

/* Removes P/apps/<id>/ whole: renamed away first, so that the id's folder
 * is gone at once, then deleted. */
static gboolean
remove_app_dir (YunAppRegistry  *self,
                const char      *id,
                GError         **error)
{
  g_autofree char *dir = app_dir (self, id);
  g_autofree char *template = NULL;
  g_autofree char *trash = NULL;

  if (!path_exists (dir))
    return TRUE;

  /* rename() replaces an empty folder, so a fresh one makes a unique
   * name that nothing else can take. */
  template = g_strdup_printf (TRASH_PREFIX "%s-XXXXXX", id);
  trash = g_build_filename (self->apps_dir, template, NULL);
  if (g_mkdtemp_full (trash, 0700) == NULL)
    return set_errno_error (error, errno, "create a folder in", self->apps_dir);
  if (!rename_path (dir, trash, error)) {
    g_rmdir (trash);
    return FALSE;
  }
  yun_app_registry_crash_point ();

  return sync_path (self->apps_dir, TRUE, error) &&
         yun_app_registry_remove_tree (trash, error);
}

/* After a failed install: puts back what the row says, best effort; what
 * fails here is finished by the next collection. */
static void
undo_swap (YunAppRegistry *self,
           const char     *id)
{
  g_autofree char *dir = app_dir (self, id);
  g_autofree char *token = NULL;

  if (!read_token (self, id, &token, NULL) || !settle (dir, token, NULL))
    return;
  if (token == NULL)
    remove_app_dir (self, id, NULL);
}

static gboolean
migrate (YunAppRegistry  *self,
         GError         **error)
{
  sqlite3_stmt *statement = NULL;
  int version = -1;
  const int latest = G_N_ELEMENTS (migrations);

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &statement, NULL) == SQLITE_OK &&
      sqlite3_step (statement) == SQLITE_ROW)
    version = sqlite3_column_int (statement, 0);
  sqlite3_finalize (statement);
  if (version < 0)
    return set_sqlite_error (self->db, "reading the registry's version", error);

  if (version > latest) {
    g_set_error (error, YUN_APP_REGISTRY_ERROR, YUN_APP_REGISTRY_ERROR_CORRUPT,
                 "the registry was written by a newer version of Yun (schema %d; this one "
                 "knows up to %d)", version, latest);
    return FALSE;
  }
  if (version == latest)
    return TRUE;

  if (!exec_sql (self, "BEGIN IMMEDIATE", "upgrading the registry", error))
    return FALSE;
  for (int i = version; i < latest; i++) {
    if (!exec_sql (self, migrations[i], "upgrading the registry", error)) {
      rollback (self);
      return FALSE;
    }
  }
  {
    g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d", latest);

    if (!exec_sql (self, sql, "upgrading the registry", error) ||
        !exec_sql (self, "COMMIT", "upgrading the registry", error)) {
      rollback (self);
      return FALSE;
    }
  }
  return TRUE;
}

static gboolean
load_records (YunAppRegistry  *self,
              GError         **error)
{
  sqlite3_stmt *statement = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, "SELECT id, manifest_url, manifest, version, source, "
                           "installed_at, updated_at FROM apps", -1, &statement, NULL);
  if (rc != SQLITE_OK)
    return set_sqlite_error (self->db, "reading the registry", error);

  while ((rc = sqlite3_step (statement)) == SQLITE_ROW) {
    const char *id = (const char *) sqlite3_column_text (statement, 0);
    const char *source = (const char *) sqlite3_column_text (statement, 4);
    g_autoptr(GError) local_error = NULL;
    YunAppRecord *record;

    record = record_new (id,
                         g_strcmp0 (source, "packaged") == 0 ? YUN_APP_SOURCE_PACKAGED :
                         YUN_APP_SOURCE_HOSTED,
                         (const char *) sqlite3_column_text (statement, 1),
                         (const char *) sqlite3_column_text (statement, 2),
                         (const char *) sqlite3_column_text (statement, 3),
                         sqlite3_column_int64 (statement, 5),
                         sqlite3_column_int64 (statement, 6),
                         &local_error);
    /* A manifest that processed when it was installed and no longer does
     * means this version of Yun reads manifests differently; the app stays
     * registered, so that updating or uninstalling it still works, but it
     * cannot be listed or run. */
    if (record == NULL) {
      g_warning ("The installed app %s is not usable: %s", id, local_error->message);
      continue;
    }
    g_hash_table_replace (self->records, g_strdup (id), record);
  }
  sqlite3_finalize (statement);

  return rc == SQLITE_DONE || set_sqlite_error (self->db, "reading the registry", error);
}

static void
yun_app_registry_finalize (GObject *object)
{
  YunAppRegistry *self = YUN_APP_REGISTRY (object);

  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_pointer (&self->records, g_hash_table_unref);
  g_clear_pointer (&self->busy, g_hash_table_unref);
  g_clear_pointer (&self->profile_dir, g_free);
  g_clear_pointer (&self->apps_dir, g_free);
  g_mutex_clear (&self->db_lock);
  g_mutex_clear (&self->state_lock);
  g_cond_clear (&self->busy_changed);

  G_OBJECT_CLASS (yun_app_registry_parent_class)->finalize (object);
}

static void
yun_app_registry_class_init (YunAppRegistryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = yun_app_registry_finalize;
}

static void
yun_app_registry_init (YunAppRegistry *self)
{
  g_mutex_init (&self->db_lock);
  g_mutex_init (&self->state_lock);
  g_cond_init (&self->busy_changed);
  self->records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) yun_app_record_free);
  self->busy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * yun_app_source_to_string:
 * @source: a source
 *
 * Returns: (transfer none): "hosted" or "packaged", as the registry stores
 *   it
 */
const char *
yun_app_source_to_string (YunAppSource source)
{
  return source == YUN_APP_SOURCE_PACKAGED ? "packaged" : "hosted";
}

/**
 * yun_app_source_get_dir_name: (skip)
 * @source: a source
 *
 * Returns: (transfer none): the folder of P/apps/<id>/ that holds the
 *   files of an app from @source
 */
const char *
yun_app_source_get_dir_name (YunAppSource source)
{
  return source == YUN_APP_SOURCE_PACKAGED ? YUN_APP_DIR_PACKAGE : YUN_APP_DIR_OFFLINE;
}

/**
 * yun_app_registry_open:
 * @profile_dir: the profile folder; created when missing
 * @error: return location for a #YunAppRegistryError
 *
 * Opens P/registry.sqlite, creating or upgrading it, finishes or undoes
 * whatever an interrupted install or uninstall left in P/apps/ (see
 * yun_app_registry_collect_garbage()), and reads every row into memory.
 * This blocks on the disk: the shell uses yun_app_registry_open_async().
 *
 * Returns: (transfer full): the registry, or %NULL with @error set
 */
YunAppRegistry *
yun_app_registry_open (const char  *profile_dir,
                       GError     **error)
{
  g_autoptr(YunAppRegistry) self = NULL;
  g_autoptr(GError) garbage_error = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (profile_dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (YUN_TYPE_APP_REGISTRY, NULL);
  self->profile_dir = g_strdup (profile_dir);
  self->apps_dir = g_build_filename (profile_dir, APPS_DIR_NAME, NULL);

  if (g_mkdir_with_parents (profile_dir, 0700) != 0) {
    set_errno_error (error, errno, "create", profile_dir);
    return NULL;
  }

  path = g_build_filename (profile_dir, DATABASE_NAME, NULL);
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                       SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
    g_autofree char *doing = g_strdup_printf ("opening %s", path);

    set_sqlite_error (self->db, doing, error);
    return NULL;
  }
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  if (!exec_sql (self, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;",
                 "opening the registry", error) ||
      !migrate (self, error))
    return NULL;

  /* A folder that cannot be tidied now is tried again at the next
   * collection; it does not keep the other apps from starting. */
  if (!yun_app_registry_collect_garbage (self, &garbage_error))
    g_warning ("Could not tidy %s: %s", self->apps_dir, garbage_error->message);

  if (!load_records (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  YunAppRegistry *registry = yun_app_registry_open (task_data, &error);

  if (registry == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, registry, g_object_unref);
}

/**
 * yun_app_registry_open_async:
 * @profile_dir: the profile folder; created when missing
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the registry is open
 * @user_data: data for @callback
 *
 * Opens the registry like yun_app_registry_open() in a worker thread.
 */
void
yun_app_registry_open_async (const char          *profile_dir,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (profile_dir != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, yun_app_registry_open_async);
  g_task_set_task_data (task, g_strdup (profile_dir), g_free);
  g_task_run_in_thread (task, open_thread);
}

/**
 * yun_app_registry_open_finish:
 * @result: the result given to the callback
 * @error: return location for a #YunAppRegistryError
 *
 * Returns: (transfer full): the registry, or %NULL with @error set
 */
YunAppRegistry *
yun_app_registry_open_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == yun_app_registry_open_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * yun_app_registry_get_profile_dir:
 * @self: the registry
 *
 * Returns: (transfer none): the profile folder the registry was opened on
 */
const char *
yun_app_registry_get_profile_dir (YunAppRegistry *self)
{
  g_return_val_if_fail (YUN_IS_APP_REGISTRY (self), NULL);
  return self->profile_dir;
}

/**
 * yun_app_registry_dup_app_dir:
 * @self: the registry
 * @id: an app id
 *
 * The folder that holds everything of the app: `package/` or `offline/`,
 * and the web view's `data/` and `cache/`.
 *
 * Returns: (transfer full) (nullable): P/apps/@id, or %NULL when @id is not
 *   a valid app id
 */
char *
yun_app_registry_dup_app_dir (YunAppRegistry *self,
                              const char     *id)
{
  g_return_val_if_fail (YUN_IS_APP_REGISTRY (self), NULL);

  return yun_app_id_is_valid (id) ? app_dir (self, id) : NULL;
}

/**
 * yun_app_registry_get:
 * @self: the registry
 * @id: an app id
 *
 * Reads from memory; never blocks.
 *
 * Returns: (transfer full) (nullable): a copy of the app's record, or
 *   %NULL when no app has that id
 */
YunAppRecord *
yun_app_registry_get (YunAppRegistry *self,
                      const char     *id)
{
  YunAppRecord *record;

  g_return_val_if_fail (YUN_IS_APP_REGISTRY (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  g_mutex_lock (&self->state_lock);
  record = g_hash_table_lookup (self->records, id);
  record = record != NULL ? yun_app_record_copy (record) : NULL;
  g_mutex_unlock (&self->state_lock);

  return record;
}

static int
compare_records (gconstpointer a,
                 gconstpointer b)
{
  const YunAppRecord *x = *(YunAppRecord * const *) a;
  const YunAppRecord *y = *(YunAppRecord * const *) b;

  return strcmp (x->id, y->id);
}

/**
 * yun_app_registry_list:
 * @self: the registry
 *
 * Reads from memory; never blocks.
 *
 * Returns: (transfer full) (element-type YunAppRecord): copies of every
 *   installed app's record, by id
 */
GPtrArray *
yun_app_registry_list (YunAppRegistry *self)
{
  GPtrArray *records;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (YUN_IS_APP_REGISTRY (self), NULL);

  records = g_ptr_array_new_with_free_func ((GDestroyNotify) yun_app_record_free);
  g_mutex_lock (&self->state_lock);
  g_hash_table_iter_init (&iter, self->records);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (records, yun_app_record_copy (value));
  g_mutex_unlock (&self->state_lock);

  g_ptr_array_sort (records, compare_records);
  return records;
}

/**
 * yun_app_registry_install:
 * @self: the registry
 * @id: the new app's id
 * @source: hosted or packaged
 * @manifest_url: the URL the manifest stands for
 * @manifest_text: the manifest; it must process against @manifest_url
 * @version: the version to record
 * @error: return location for a #YunAppRegistryError
 *
 * Records a new app in one transaction.  This writes the row only: the
 * app's files are the installer's (see yun_app_installer_install_package()).
 * This blocks on the disk.
 *
 * Returns: (transfer full): the new record, or %NULL with @error set,
 *   %YUN_APP_REGISTRY_ERROR_EXISTS when the id is taken
 */
YunAppRecord *
yun_app_registry_install (YunAppRegistry  *self,
                          const char      *id,
                          YunAppSource     source,
                          const char      *manifest_url,
                          const char      *manifest_text,
                          const char      *version,
                          GError         **error)
{
  g_autofree char *token = g_uuid_string_random ();

  g_return_val_if_fail (YUN_IS_APP_REGISTRY (self), NULL);
  g_return_val_if_fail (id != NULL && manifest_url != NULL, NULL);
  g_return_val_if_fail (manifest_text != NULL && version != NULL, NULL);

  return put_row (self, PUT_INSTALL, id, source, manifest_url, manifest_text, version, token,
                  error);
}

/**
 * yun_app_registry_update:
 * @self: the registry
 * @id: an installed app's id
 * @source: hosted or packaged
 * @manifest_url: the URL the manifest stands for
 * @manifest_text: the manifest; it must process against @manifest_url
 * @version: the version to record
 * @error: return location for a #YunAppRegistryError
 *
 * Replaces an app's row in one transaction, keeping its install time.
 * Like yun_app_registry_install(), this writes the row only, and blocks on
 * the disk.
 *
 * Returns: (transfer full): the new record, or %NULL with @error set,
 *   %YUN_APP_REGISTRY_ERROR_NOT_INSTALLED when there is no such app
 */
YunAppRecord *
yun_app_registry_update (YunAppRegistry  *self,
                         const char      *id,
                         YunAppSource     source,
                         const char      *manifest_url,
                         const char      *manifest_text,
                         const char      *version,
                         GError         **error)
{
  g_autofree char *token = g_uuid_string_random ();

  g_return_val_if_fail (YUN_IS_APP_REGISTRY (self), NULL);
  g_return_val_if_fail (id != NULL && manifest_url != NULL, NULL);
  g_return_val_if_fail (manifest_text != NULL && version != NULL, NULL);

  return put_row (self, PUT_UPDATE, id, source, manifest_url, manifest_text, version, token,
                  error);
}

/**
 * yun_app_registry_uninstall:
 * @self: the registry
 * @id: an installed app's id
 * @error: return location for a #YunAppRegistryError
 *
 * Deletes the app's row in one transaction, then its whole folder,
 * P/apps/@id/, web data and cache included.  A crash between the two
 * leaves a folder without a row, which the next collection removes.
 *
 * The registry does not hold permission decisions: the caller forgets
 * them, with yun_permission_store_set (store, id, permission,
 * %YUN_PERMISSION_STATE_PROMPT) for each of the app's decisions.  This
 * blocks on the disk; see yun_app_installer_uninstall_async().
 *
 * Returns: %TRUE when the app is no longer installed; %FALSE with @error
 *   set, %YUN_APP_REGISTRY_ERROR_NOT_INSTALLED when there was no such app
 */
gboolean
yun_app_registry_uninstall (YunAppRegistry  *self,
                            const char      *id,
                            GError         **error)
{
  g_autoptr(GError) folder_error = NULL;

  g_return_val_if_fail (YUN_IS_APP_REGISTRY (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_id (id, error))
    return FALSE;

  yun_app_registry_claim (self, id, NULL, NULL);
  if (!delete_row (self, id, error)) {
    yun_app_registry_release (self, id);
    return FALSE;
  }
  yun_app_registry_crash_point ();

  /* The app is gone once its row is; a folder that cannot be removed now
   * is garbage the next collection removes. */
  if (!remove_app_dir (self, id, &folder_error))
    g_warning ("Could not remove the folder of %s: %s", id, folder_error->message);
  yun_app_registry_release (self, id);

  return TRUE;
}

/**
 * yun_app_registry_collect_garbage:
 * @self: the registry
 * @error: return location for the first %YUN_APP_REGISTRY_ERROR_IO error
 *
 * Tidies P/apps/: settles each app folder whose install was interrupted
 * (finishing it when its row was written, undoing it otherwise), removes
 * app folders that have no row, and staging and trash folders left behind.
 * Apps an install or uninstall is working on are left alone, as are files
 * the registry does not know.  Opening the registry does this; the shell
 * need not call it otherwise.  This blocks on the disk.
 *
 * Returns: %TRUE when everything was tidied; otherwise as much as could be
 *   was, and @error says what was not
 */
gboolean
yun_app_registry_collect_garbage (YunAppRegistry  *self,
                                  GError         **error)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) first_error = NULL;
  const char *name;

  g_return_val_if_fail (YUN_IS_APP_REGISTRY (self), FALSE);

  dir = g_dir_open (self->apps_dir, 0, NULL);
  if (dir == NULL)
    return errno == ENOENT || set_errno_error (error, errno, "read", self->apps_dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_clear_pointer (&dir, g_dir_close);

  for (guint i = 0; i < names->len; i++) {
    const char *prefix = NULL;
    g_autofree char *path = NULL;
    g_autofree char *id = NULL;
    g_autofree char *token = NULL;
    g_autoptr(GError) local_error = NULL;
    GStatBuf info;

    name = g_ptr_array_index (names, i);
    path = g_build_filename (self->apps_dir, name, NULL);
    if (g_str_has_prefix (name, STAGING_PREFIX))
      prefix = STAGING_PREFIX;
    else if (g_str_has_prefix (name, TRASH_PREFIX))
      prefix = TRASH_PREFIX;

    if (prefix != NULL) {
      id = id_of_temporary (name, prefix);
      if (id != NULL && !try_claim (self, id))
        continue;
      yun_app_registry_remove_tree (path, &local_error);
    } else if (yun_app_id_is_valid (name) && g_lstat (path, &info) == 0 &&
               S_ISDIR (info.st_mode)) {
      id = g_strdup (name);
      if (!try_claim (self, id))
        continue;
      if (read_token (self, id, &token, &local_error) && settle (path, token, &local_error) &&
          token == NULL)
        remove_app_dir (self, id, &local_error);
    }

    if (id != NULL)
      yun_app_registry_release (self, id);
    if (local_error != NULL && first_error == NULL)
      first_error = g_steal_pointer (&local_error);
  }

  if (first_error != NULL) {
    g_propagate_error (error, g_steal_pointer (&first_error));
    return FALSE;
  }
  return TRUE;
}

static void
collect_garbage_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GError *error = NULL;

  if (yun_app_registry_collect_garbage (source_object, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * yun_app_registry_collect_garbage_async:
 * @self: the registry
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the collection is done
 * @user_data: data for @callback
 *
 * Runs yun_app_registry_collect_garbage() in a worker thread.
 */
void
yun_app_registry_collect_garbage_async (YunAppRegistry      *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (YUN_IS_APP_REGISTRY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, yun_app_registry_collect_garbage_async);
  g_task_run_in_thread (task, collect_garbage_thread);
}

/**
 * yun_app_registry_collect_garbage_finish:
 * @self: the registry
 * @result: the result given to the callback
 * @error: return location for a #YunAppRegistryError
 *
 * Returns: %TRUE when everything was tidied
 */
gboolean
yun_app_registry_collect_garbage_finish (YunAppRegistry  *self,
                                         GAsyncResult    *result,
                                         GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        yun_app_registry_collect_garbage_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * yun_app_registry_claim: (skip)
 * @self: the registry
 * @id: an app id
 * @cancellable: (nullable): stops the wait
 * @error: return location for %G_IO_ERROR_CANCELLED
 *
 * Marks @id as being worked on, waiting while another thread works on it:
 * installs, updates and uninstalls of one app run one after another, and a
 * collection leaves the app's folders alone.  Every successful claim is
 * followed by yun_app_registry_release().
 *
 * Returns: %TRUE when the caller holds the claim
 */
gboolean
yun_app_registry_claim (YunAppRegistry  *self,
                        const char      *id,
                        GCancellable    *cancellable,
                        GError         **error)
{
  g_return_val_if_fail (YUN_IS_APP_REGISTRY (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  g_mutex_lock (&self->state_lock);
  while (g_hash_table_contains (self->busy, id)) {
    if (g_cancellable_set_error_if_cancelled (cancellable, error)) {
      g_mutex_unlock (&self->state_lock);
      return FALSE;
    }
    g_cond_wait_until (&self->busy_changed, &self->state_lock,
                       g_get_monotonic_time () + CLAIM_POLL_US);
  }
  g_hash_table_add (self->busy, g_strdup (id));
  g_mutex_unlock (&self->state_lock);
  return TRUE;
}

/**
 * yun_app_registry_release: (skip)
 * @self: the registry
 * @id: an app id claimed with yun_app_registry_claim()
 *
 * Ends a claim.
 */
void
yun_app_registry_release (YunAppRegistry *self,
                          const char     *id)
{
  g_return_if_fail (YUN_IS_APP_REGISTRY (self));

  g_mutex_lock (&self->state_lock);
  g_hash_table_remove (self->busy, id);
  g_cond_broadcast (&self->busy_changed);
  g_mutex_unlock (&self->state_lock);
}

/**
 * yun_app_registry_make_staging: (skip)
 * @self: the registry
 * @id: the app about to be installed, claimed by the caller
 * @error: return location for a %YUN_APP_REGISTRY_ERROR_IO error
 *
 * Creates an empty folder P/apps/.staging-<id>-XXXXXX for the new files.
 * The caller removes it when done; collections remove those left behind.
 *
 * Returns: (transfer full): the folder's path, or %NULL with @error set
 */
char *
yun_app_registry_make_staging (YunAppRegistry  *self,
                               const char      *id,
                               GError         **error)
{
  g_autofree char *template = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (YUN_IS_APP_REGISTRY (self), NULL);
  g_return_val_if_fail (yun_app_id_is_valid (id), NULL);

  if (g_mkdir_with_parents (self->apps_dir, 0700) != 0) {
    set_errno_error (error, errno, "create", self->apps_dir);
    return NULL;
  }

  template = g_strdup_printf (STAGING_PREFIX "%s-XXXXXX", id);
  path = g_build_filename (self->apps_dir, template, NULL);
  if (g_mkdtemp_full (path, 0700) == NULL) {
    set_errno_error (error, errno, "create a folder in", self->apps_dir);
    return NULL;
  }
  return g_steal_pointer (&path);
}

/**
 * yun_app_registry_swap_in: (skip)
 * @self: the registry
 * @id: the app, claimed by the caller
 * @staged_dir: a folder on the same file system, its files synced, that
 *   becomes P/apps/<id>/package or P/apps/<id>/offline as @source says
 * @source: hosted or packaged
 * @manifest_url: the URL the manifest stands for
 * @manifest_text: the manifest
 * @version: the version to record
 * @error: return location for a #YunAppRegistryError
 *
 * Puts the new files in place of the app's current ones and records the
 * row, as the comment at the top of this file describes: when this returns
 * the app is wholly the new version, or, on failure, wholly what it was
 * before (or absent, for a first install).  This blocks on the disk.
 *
 * Returns: (transfer full): the new row, or %NULL with @error set
 */
YunAppRecord *
yun_app_registry_swap_in (YunAppRegistry  *self,
                          const char      *id,
                          const char      *staged_dir,
                          YunAppSource     source,
                          const char      *manifest_url,
                          const char      *manifest_text,
                          const char      *version,
                          GError         **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *old_token = NULL;
  g_autofree char *token = NULL;
  g_autofree char *destination = NULL;
  g_autofree char *staged_parent = NULL;
  g_autoptr(GPtrArray) previous = g_ptr_array_new ();
  g_autoptr(GError) cleanup_error = NULL;
  g_autoptr(YunAppRecord) record = NULL;
  const char *content = yun_app_source_get_dir_name (source);

  g_return_val_if_fail (YUN_IS_APP_REGISTRY (self), NULL);
  g_return_val_if_fail (staged_dir != NULL, NULL);
  g_return_val_if_fail (manifest_url != NULL && manifest_text != NULL && version != NULL, NULL);

  if (!check_id (id, error))
    return NULL;

  dir = app_dir (self, id);
  if (!read_token (self, id, &old_token, error) || !settle (dir, old_token, error))
    return NULL;

  /* A folder without a row is what an interrupted uninstall left behind;
   * its web data must not reach the new app. */
  if (old_token == NULL && !remove_app_dir (self, id, error))
    return NULL;
  if (g_mkdir (dir, 0700) != 0 && errno != EEXIST) {
    set_errno_error (error, errno, "create", dir);
    return NULL;
  }
  if (!sync_path (self->apps_dir, TRUE, error))
    goto fail;

  for (guint i = 0; content_dirs[i] != NULL; i++) {
    g_autofree char *path = g_build_filename (dir, content_dirs[i], NULL);

    if (path_exists (path))
      g_ptr_array_add (previous, (gpointer) content_dirs[i]);
  }
  g_ptr_array_add (previous, NULL);

  token = g_uuid_string_random ();
  if (!write_journal (dir, token, content, (const char * const *) previous->pdata, error))
    goto fail;
  yun_app_registry_crash_point ();

  for (guint i = 0; i + 1 < previous->len; i++) {
    const char *name = g_ptr_array_index (previous, i);
    g_autofree char *path = g_build_filename (dir, name, NULL);
    g_autofree char *aside_name = g_strconcat (ASIDE_PREFIX, name, NULL);
    g_autofree char *aside = g_build_filename (dir, aside_name, NULL);

    if (!rename_path (path, aside, error))
      goto fail;
    yun_app_registry_crash_point ();
  }

  destination = g_build_filename (dir, content, NULL);
  if (!rename_path (staged_dir, destination, error))
    goto fail;
  yun_app_registry_crash_point ();

  staged_parent = g_path_get_dirname (staged_dir);
  if (!sync_path (dir, TRUE, error) || !sync_path (staged_parent, TRUE, error))
    goto fail;

  record = put_row (self, PUT_ANY, id, source, manifest_url, manifest_text, version, token, error);
  if (record == NULL)
    goto fail;
  yun_app_registry_crash_point ();

  /* The new version is in; what is left is tidying up, which the next
   * collection finishes should it fail now. */
  if (!settle (dir, token, &cleanup_error))
    g_warning ("Could not remove the previous files of %s: %s", id, cleanup_error->message);

  return g_steal_pointer (&record);

fail:
  undo_swap (self, id);
  return NULL;
}

/**
 * yun_app_record_copy:
 * @record: a record
 *
 * Returns: (transfer full): a copy of @record
 */
YunAppRecord *
yun_app_record_copy (const YunAppRecord *record)
{
  YunAppRecord *copy;

  g_return_val_if_fail (record != NULL, NULL);

  copy = g_new0 (YunAppRecord, 1);
  copy->id = g_strdup (record->id);
  copy->origin = g_strdup (record->origin);
  copy->manifest_url = g_strdup (record->manifest_url);
  copy->manifest_text = g_strdup (record->manifest_text);
  copy->manifest = record->manifest != NULL ? g_object_ref (record->manifest) : NULL;
  copy->version = g_strdup (record->version);
  copy->source = record->source;
  copy->installed_at = record->installed_at;
  copy->updated_at = record->updated_at;
  return copy;
}

/**
 * yun_app_record_free:
 * @record: (transfer full): a record
 */
void
yun_app_record_free (YunAppRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->id);
  g_free (record->origin);
  g_free (record->manifest_url);
  g_free (record->manifest_text);
  g_clear_object (&record->manifest);
  g_free (record->version);
  g_free (record);
}
