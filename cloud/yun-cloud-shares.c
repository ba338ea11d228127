/* yun-cloud-shares.c: read-only links to one document, and copies into a
 * friend's account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "yun-cloud-shares.h"

#include "yun-cloud-accounts.h"
#include "yun-cloud-job.h"
#include "yun-doc-store.h"
#include "yun-json.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include <errno.h>
#include <string.h>
#include <sys/random.h>

/**
 * YunCloudShares:
 *
 * Sharing one document of a user's personal data (a note, a contact, a
 * message, a call or a photo):
 *
 * - `POST /accounts/shares` `{"db", "id"}`: a read-only link; 201 with
 *   `{"ok", "id", "token", "url", "db", "doc_id", "created"}`
 * - `POST /accounts/shares` `{"db", "id", "to"}`: a copy of the document,
 *   with a new id and no history, into the user @to's database of the same
 *   name; 201 with `{"ok", "to", "db", "id"}`.  A name that is not a user
 *   is a 404 that says nothing more.
 * - `POST /accounts/shares` `{"content": {"title", "text", "url"}}`, from
 *   the standard navigator.share(): what a page shares rather than an item
 *   of the phone's.  Without "to" the content becomes a document of the
 *   sharer's cloud-only database "shared" (phones do not sync it) and gets
 *   a link exactly as above; with "to" it becomes a new note in the
 *   friend's notes.  Each member is optional but one must be there;
 *   strings only, bounded, the URL absolute http or https.  Bad content is
 *   a 400 and writes nothing.
 * - `GET /accounts/shares`: the caller's links, newest first, as
 *   `{"items": [{"id", "db", "doc_id", "created", "revoked"}]}`
 * - `DELETE /accounts/shares/<token or id>`: revokes one of the caller's
 *   links; another user's is a 404, like one that does not exist
 * - `GET /s/<token>`: an HTML page with the document's fields and nothing
 *   else; `GET /s/<token>/image` its picture (a photo's "image", a
 *   contact's "photo")
 *
 * The links are kept in `<data>/shares.sqlite`.  A token is 256 random
 * bits; only its SHA-256 is stored, so the file does not open the links
 * it lists.  Each link also has a public random `id` to list and revoke it
 * by, since the token cannot be shown again.  A wrong token, a revoked
 * link and a document deleted since all give the same 404.
 *
 * Documents are read from the users' stores (`<data>/users/<name>.sqlite`),
 * opened here by a connection of our own: SQLite in WAL mode lets it read
 * and write beside the sync API's.  Whether a friend exists is read from
 * the accounts database (`<data>/accounts.sqlite`), opened read-only.
 *
 * The API routes share /accounts' limits (JSON bodies up to
 * %YUN_CLOUD_AUTH_MAX_BODY); all disk work runs on worker threads.
 */

#define SCHEMA \
  "PRAGMA journal_mode = WAL;" \
  "CREATE TABLE IF NOT EXISTS shares (" \
  "  id TEXT PRIMARY KEY," \
  "  token_hash TEXT NOT NULL UNIQUE," \
  "  owner TEXT NOT NULL," \
  "  db TEXT NOT NULL," \
  "  doc_id TEXT NOT NULL," \
  "  created INTEGER NOT NULL," \
  "  revoked INTEGER);" \
  "CREATE INDEX IF NOT EXISTS shares_by_owner ON shares (owner, created);"

/* Where the content of a link made from navigator.share() is kept, and
 * its bounds in characters: together well under the routes' body limit
 * even in four-byte characters. */
#define CONTENT_DB "shared"
#define CONTENT_MAX_TITLE 1000
#define CONTENT_MAX_TEXT 10000
#define CONTENT_MAX_URL 2048

/* The public id of a link: 16 random bytes in hex. */
#define SHARE_ID_BYTES 16
#define TOKEN_LENGTH 43
#define NOT_FOUND_REASON "Nothing is shared at this address"

/* The databases whose documents can be shared, and which attachment of
 * theirs is the picture of /s/<token>/image. */
static const struct {
  const char *db;
  const char *image;
} shareable[] = {
  { "notes", NULL },
  { "contacts", "photo" },
  { "messages", NULL },
  { "calls", NULL },
  { "photos", "image" },
};

struct _YunCloudShares {
  GObject       parent_instance;

  YunCloudAuth *auth;
  char         *accounts_path;
  char         *users_dir;

  /* Guards the connection and the stores below: workers share them. */
  GMutex        mutex;
  sqlite3      *db;
  /* user name → YunDocStore */
  GHashTable   *stores;

  /* The jobs in flight, to cancel in dispose. */
  GHashTable   *jobs;
};

G_DEFINE_FINAL_TYPE (YunCloudShares, yun_cloud_shares, G_TYPE_OBJECT)

typedef enum {
  ROUTE_SHARES,
  ROUTE_SHARE,
  ROUTE_PAGE,
  ROUTE_IMAGE,
} Route;

typedef struct {
  YunCloudShares *shares;
  Route           route;
  /* The token or id of ROUTE_SHARE, ROUTE_PAGE and ROUTE_IMAGE. */
  char           *key;
  /* Scheme, host and port the client used, for the links' URLs. */
  char           *base_url;
} SharesRequest;

static void
shares_request_free (SharesRequest *request)
{
  g_clear_object (&request->shares);
  g_free (request->key);
  g_free (request->base_url);
  g_free (request);
}

static const char *
image_of_db (const char *db)
{
  for (guint i = 0; i < G_N_ELEMENTS (shareable); i++)
    if (strcmp (shareable[i].db, db) == 0)
      return shareable[i].image;
  return NULL;
}

static gboolean
is_shareable_db (const char *db)
{
  for (guint i = 0; i < G_N_ELEMENTS (shareable); i++)
    if (strcmp (shareable[i].db, db) == 0)
      return TRUE;
  return FALSE;
}

static void
random_bytes (guint8 *buffer,
              gsize   length)
{
  gsize done = 0;

  while (done < length) {
    gssize n = getrandom (buffer + done, length - done, 0);

    /* getrandom () only fails before the kernel's pool is ready or on a
     * signal; a guessable token would be worse than waiting. */
    if (n < 0 && errno != EINTR)
      g_error ("Could not get random bytes: %s", g_strerror (errno));
    if (n > 0)
      done += n;
  }
}

/* A new token: base64url without padding. */
static char *
new_token (void)
{
  guint8 bytes[YUN_CLOUD_SHARES_TOKEN_BYTES];
  char *token;

  random_bytes (bytes, sizeof bytes);
  token = g_base64_encode (bytes, sizeof bytes);
  g_strdelimit (token, "+", '-');
  g_strdelimit (token, "/", '_');
  token[strcspn (token, "=")] = '\0';
  return token;
}

static char *
new_share_id (void)
{
  guint8 bytes[SHARE_ID_BYTES];
  GString *id = g_string_sized_new (SHARE_ID_BYTES * 2);

  random_bytes (bytes, sizeof bytes);
  for (guint i = 0; i < sizeof bytes; i++)
    g_string_append_printf (id, "%02x", bytes[i]);
  return g_string_free (id, FALSE);
}

/* Whether @text can be a token: anything else is not looked up at all. */
static gboolean
is_token (const char *text)
{
  if (strlen (text) != TOKEN_LENGTH)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

static gboolean
is_share_id (const char *text)
{
  if (strlen (text) != SHARE_ID_BYTES * 2)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

static char *
hash_token (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

static char *
format_time (gint64 seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (seconds);

  return time != NULL ? g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("");
}

static void
set_sqlite_error (GError     **error,
                  sqlite3     *db,
                  const char  *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", what, sqlite3_errmsg (db));
}

/* Runs on a worker thread, under the mutex: the user's store. */
static YunDocStore *
get_store_locked (YunCloudShares  *self,
                  const char      *user,
                  gboolean         create,
                  GError         **error)
{
  YunDocStore *store = g_hash_table_lookup (self->stores, user);
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;

  g_assert (yun_cloud_accounts_validate_name (user, NULL));

  if (store != NULL)
    return g_object_ref (store);

  file = g_strconcat (user, ".sqlite", NULL);
  path = g_build_filename (self->users_dir, file, NULL);

  /* A user who never synced has no store: nothing of theirs to share. */
  if (!create && !g_file_test (path, G_FILE_TEST_EXISTS)) {
    g_set_error_literal (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_NOT_FOUND,
                         "No such document");
    return NULL;
  }

  if (g_mkdir_with_parents (self->users_dir, 0700) != 0) {
    int saved_errno = errno;

    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                 "Could not create %s: %s", self->users_dir, g_strerror (saved_errno));
    return NULL;
  }

  store = yun_doc_store_open (path, error);
  if (store == NULL)
    return NULL;

  g_hash_table_insert (self->stores, g_strdup (user), store);
  return g_object_ref (store);
}

static YunDocStore *
get_store (YunCloudShares  *self,
           const char      *user,
           gboolean         create,
           GError         **error)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);

  return get_store_locked (self, user, create, error);
}

/* Whether @name is a user, read from the accounts database. */
static gboolean
user_exists (YunCloudShares  *self,
             const char      *name,
             gboolean        *exists,
             GError         **error)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;
  int rc;

  *exists = FALSE;
  if (!yun_cloud_accounts_validate_name (name, NULL))
    return TRUE;

  rc = sqlite3_open_v2 (self->accounts_path, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc != SQLITE_OK) {
    set_sqlite_error (error, db, "Could not open the accounts");
    goto out;
  }
  sqlite3_busy_timeout (db, 5000);

  if (sqlite3_prepare_v2 (db, "SELECT 1 FROM users WHERE name = ?", -1, &stmt, NULL) != SQLITE_OK) {
    set_sqlite_error (error, db, "Could not read the accounts");
    goto out;
  }
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    set_sqlite_error (error, db, "Could not read the accounts");
    goto out;
  }
  *exists = rc == SQLITE_ROW;
  ok = TRUE;

out:
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return ok;
}

/* Answers. */

static void
set_unauthorized (YunCloudJob *job,
                  const char  *reason)
{
  yun_cloud_job_set_error (job, SOUP_STATUS_UNAUTHORIZED, "unauthorized", reason);
  yun_cloud_job_add_header (job, "WWW-Authenticate", YUN_CLOUD_AUTH_CHALLENGE);
}

static void
set_internal_error (YunCloudJob  *job,
                    const GError *error)
{
  g_warning ("Shares failed: %s", error->message);
  yun_cloud_job_set_error (job, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_error",
                           "The server failed; try again later");
}

static void
set_not_found (YunCloudJob *job,
               const char  *reason)
{
  yun_cloud_job_set_error (job, SOUP_STATUS_NOT_FOUND, "not_found", reason);
}

static void
set_bad_request (YunCloudJob *job,
                 const char  *reason)
{
  yun_cloud_job_set_error (job, SOUP_STATUS_BAD_REQUEST, "bad_request", reason);
}

static void
set_method_not_allowed (YunCloudJob *job,
                        const char  *allowed)
{
  yun_cloud_job_set_error (job, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                           "This route does not take that method");
  yun_cloud_job_add_header (job, "Allow", allowed);
}

/* A document of a store that could not be read: a missing one is a 404
 * and the store failing a 500. */
static void
set_store_error (YunCloudJob  *job,
                 const GError *error)
{
  if (g_error_matches (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_NOT_FOUND) ||
      g_error_matches (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST))
    set_not_found (job, "No such document");
  else
    set_internal_error (job, error);
}

/* Who is calling; answers 401 or 500 itself when nobody. */
static char *
authenticate (YunCloudJob    *job,
              YunCloudShares *self)
{
  g_autoptr(GError) error = NULL;
  char *name = yun_cloud_auth_authenticate (self->auth, job->authorization, &error);

  if (name == NULL && error->domain == YUN_CLOUD_AUTH_ERROR)
    set_unauthorized (job, error->message);
  else if (name == NULL)
    set_internal_error (job, error);
  return name;
}

static gboolean
is_json_type (const char *content_type)
{
  g_autofree char *type = NULL;

  if (content_type == NULL)
    return FALSE;

  type = g_ascii_strdown (content_type, strcspn (content_type, ";"));
  return strcmp (g_strstrip (type), "application/json") == 0;
}

/* Reads a member that must be a string if present. */
static gboolean
read_string (YunCloudJob  *job,
             JsonObject   *object,
             const char   *name,
             gboolean      required,
             const char  **value)
{
  JsonNode *member = json_object_get_member (object, name);
  g_autofree char *reason = NULL;

  *value = NULL;
  if (member == NULL && !required)
    return TRUE;

  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) ||
      json_node_get_value_type (member) != G_TYPE_STRING) {
    reason = g_strdup_printf ("%s: expected a string, got %s", name,
                              member != NULL ? yun_json_type_name (member) : "nothing");
    set_bad_request (job, reason);
    return FALSE;
  }

  *value = json_node_get_string (member);
  return TRUE;
}

/* The shared document, or %NULL with the answer set.  Only documents of
 * the shareable databases, never a _local or _design one. */
static JsonObject *
read_doc (YunCloudJob         *job,
          YunCloudShares      *self,
          const char          *owner,
          const char          *db,
          const char          *id,
          YunDocStoreGetFlags  flags)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunDocStore) store = NULL;
  JsonObject *doc;

  if ((!is_shareable_db (db) && strcmp (db, CONTENT_DB) != 0) || *id == '\0' || *id == '_' ||
      strlen (id) > YUN_DOC_STORE_MAX_ID || !g_utf8_validate (id, -1, NULL)) {
    set_not_found (job, "No such document");
    return NULL;
  }

  store = get_store (self, owner, FALSE, &error);
  if (store == NULL) {
    set_store_error (job, error);
    return NULL;
  }

  doc = yun_doc_store_get (store, db, id, NULL, flags, &error);
  if (doc == NULL) {
    set_store_error (job, error);
    return NULL;
  }
  if (json_object_get_boolean_member_with_default (doc, "_deleted", FALSE)) {
    json_object_unref (doc);
    set_not_found (job, "No such document");
    return NULL;
  }
  return doc;
}

/* A copy of @doc without its id, revision or history: only the body and
 * the attachments' data. */
static JsonObject *
copy_body (JsonObject *doc)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, doc);
  while (json_object_iter_next (&iter, &name, &value)) {
    if (strcmp (name, "_attachments") == 0 && JSON_NODE_HOLDS_OBJECT (value)) {
      JsonObject *attachments = json_object_new ();
      JsonObjectIter att_iter;
      const char *att_name;
      JsonNode *att;

      json_object_iter_init (&att_iter, json_node_get_object (value));
      while (json_object_iter_next (&att_iter, &att_name, &att)) {
        JsonObject *source;
        JsonObject *target;

        if (!JSON_NODE_HOLDS_OBJECT (att))
          continue;
        source = json_node_get_object (att);
        if (!json_object_has_member (source, "data"))
          continue;
        target = json_object_new ();
        json_object_set_string_member (target, "content_type",
                                       json_object_get_string_member_with_default (
                                         source, "content_type", "application/octet-stream"));
        json_object_set_member (target, "data",
                                json_node_copy (json_object_get_member (source, "data")));
        json_object_set_object_member (attachments, att_name, target);
      }
      json_object_set_object_member (copy, "_attachments", attachments);
    } else if (name[0] != '_') {
      json_object_set_member (copy, name, json_node_copy (value));
    }
  }
  return copy;
}

/* Whether @to can receive a copy from @owner; else answers 404 or 400. */
static gboolean
check_friend (YunCloudJob    *job,
              YunCloudShares *self,
              const char     *owner,
              const char     *to)
{
  g_autoptr(GError) error = NULL;
  gboolean exists;

  if (!user_exists (self, to, &exists, &error)) {
    set_internal_error (job, error);
    return FALSE;
  }
  if (!exists) {
    set_not_found (job, "No such user");
    return FALSE;
  }
  if (strcmp (to, owner) == 0) {
    set_bad_request (job, "to: the document is already yours");
    return FALSE;
  }
  return TRUE;
}

/* Puts @doc into @user's database @db under a fresh random id, so that
 * nothing ties it to where it came from.  Returns the id, with its
 * revision in @rev, or %NULL with the answer set. */
static char *
put_new_doc (YunCloudJob     *job,
             YunCloudShares  *self,
             const char      *user,
             const char      *db,
             JsonObject      *doc,
             char           **rev)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunDocStore) store = NULL;
  g_autofree char *new_id = new_share_id ();

  json_object_set_string_member (doc, "_id", new_id);

  store = get_store (self, user, TRUE, &error);
  if (store == NULL) {
    set_internal_error (job, error);
    return NULL;
  }

  if (!yun_doc_store_create_db (store, db, &error)) {
    if (!g_error_matches (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_EXISTS)) {
      set_internal_error (job, error);
      return NULL;
    }
    g_clear_error (&error);
  }

  *rev = yun_doc_store_put (store, db, doc, NULL, &error);
  if (*rev == NULL) {
    if (error->domain == YUN_DOC_STORE_ERROR &&
        error->code == YUN_DOC_STORE_ERROR_TOO_LARGE)
      yun_cloud_job_set_error (job, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                               "The document is too large to copy");
    else
      set_internal_error (job, error);
    return NULL;
  }
  return g_steal_pointer (&new_id);
}

/* Puts @copy into @to's database @db and answers 201. */
static void
put_copy (YunCloudJob    *job,
          YunCloudShares *self,
          const char     *to,
          const char     *db,
          JsonObject     *copy)
{
  g_autoptr(JsonObject) reply = NULL;
  g_autofree char *rev = NULL;
  g_autofree char *new_id = put_new_doc (job, self, to, db, copy, &rev);

  if (new_id == NULL)
    return;

  reply = json_object_new ();
  json_object_set_boolean_member (reply, "ok", TRUE);
  json_object_set_string_member (reply, "to", to);
  json_object_set_string_member (reply, "db", db);
  json_object_set_string_member (reply, "id", new_id);
  yun_cloud_job_set_object (job, SOUP_STATUS_CREATED, reply);
}

static void
run_copy (YunCloudJob    *job,
          YunCloudShares *self,
          const char     *owner,
          const char     *db,
          const char     *id,
          const char     *to)
{
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(JsonObject) copy = NULL;

  if (!check_friend (job, self, owner, to))
    return;

  doc = read_doc (job, self, owner, db, id, YUN_DOC_STORE_GET_ATTACHMENTS);
  if (doc == NULL)
    return;

  copy = copy_body (doc);
  put_copy (job, self, to, db, copy);
}

static gint64
count_shares_locked (YunCloudShares  *self,
                     const char      *owner,
                     GError         **error)
{
  sqlite3_stmt *stmt = NULL;
  gint64 count = -1;

  if (sqlite3_prepare_v2 (self->db, "SELECT count(*) FROM shares WHERE owner = ?", -1, &stmt,
                          NULL) != SQLITE_OK) {
    set_sqlite_error (error, self->db, "Could not count the shares");
    return -1;
  }
  sqlite3_bind_text (stmt, 1, owner, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    set_sqlite_error (error, self->db, "Could not count the shares");
  sqlite3_finalize (stmt);
  return count;
}

static gboolean
run_create_link (YunCloudJob    *job,
                 SharesRequest  *request,
                 const char     *owner,
                 const char     *db,
                 const char     *id)
{
  YunCloudShares *self = request->shares;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *token = new_token ();
  g_autofree char *token_hash = hash_token (token);
  g_autofree char *share_id = new_share_id ();
  g_autofree char *url = NULL;
  g_autofree char *created_text = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 created = g_get_real_time () / G_USEC_PER_SEC;
  gint64 count;
  int rc;

  doc = read_doc (job, self, owner, db, id, YUN_DOC_STORE_GET_NONE);
  if (doc == NULL)
    return FALSE;

  locker = g_mutex_locker_new (&self->mutex);

  count = count_shares_locked (self, owner, &error);
  if (count < 0) {
    set_internal_error (job, error);
    return FALSE;
  }
  if (count >= YUN_CLOUD_SHARES_MAX_PER_USER) {
    yun_cloud_job_set_error (job, 429, "too_many",
                             "You have too many shares; revoke some first");
    return FALSE;
  }

  if (sqlite3_prepare_v2 (self->db,
                          "INSERT INTO shares (id, token_hash, owner, db, doc_id, created) "
                          "VALUES (?, ?, ?, ?, ?, ?)", -1, &stmt, NULL) != SQLITE_OK) {
    set_sqlite_error (&error, self->db, "Could not store the share");
    set_internal_error (job, error);
    return FALSE;
  }
  sqlite3_bind_text (stmt, 1, share_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, token_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, owner, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, db, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, created);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    set_sqlite_error (&error, self->db, "Could not store the share");
  sqlite3_finalize (stmt);
  g_clear_pointer (&locker, g_mutex_locker_free);
  if (rc != SQLITE_DONE) {
    set_internal_error (job, error);
    return FALSE;
  }

  url = g_strconcat (request->base_url, YUN_CLOUD_SHARES_PAGE_PATH "/", token, NULL);
  created_text = format_time (created);

  reply = json_object_new ();
  json_object_set_boolean_member (reply, "ok", TRUE);
  json_object_set_string_member (reply, "id", share_id);
  json_object_set_string_member (reply, "token", token);
  json_object_set_string_member (reply, "url", url);
  json_object_set_string_member (reply, "db", db);
  json_object_set_string_member (reply, "doc_id", id);
  json_object_set_string_member (reply, "created", created_text);
  yun_cloud_job_set_object (job, SOUP_STATUS_CREATED, reply);
  return TRUE;
}

/* Reads one member of "content": absent, or a string of at most @max
 * characters. */
static gboolean
read_content_string (YunCloudJob  *job,
                     JsonObject   *content,
                     const char   *name,
                     glong         max,
                     const char  **value)
{
  g_autofree char *path = g_strconcat ("content.", name, NULL);
  g_autofree char *reason = NULL;

  if (!read_string (job, content, name, FALSE, value))
    return FALSE;
  if (*value != NULL && g_utf8_strlen (*value, -1) > max) {
    reason = g_strdup_printf ("%s: longer than %ld characters", path, max);
    set_bad_request (job, reason);
    return FALSE;
  }
  return TRUE;
}

/* The document that stands for what a page shared, {type, title, text,
 * url, created}, or %NULL with a 400 set. */
static JsonObject *
read_content (YunCloudJob *job,
              JsonNode    *node)
{
  g_autoptr(JsonObject) doc = json_object_new ();
  JsonObject *content;
  JsonObjectIter iter;
  const char *name;
  const char *title, *text, *url;
  g_autofree char *normalized = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node)) {
    set_bad_request (job, "content: expected an object with title, text or url");
    return NULL;
  }
  content = json_node_get_object (node);
  json_object_iter_init (&iter, content);
  while (json_object_iter_next (&iter, &name, NULL)) {
    if (strcmp (name, "title") != 0 && strcmp (name, "text") != 0 && strcmp (name, "url") != 0) {
      g_autofree char *reason = g_strdup_printf ("content: unknown member %s", name);

      set_bad_request (job, reason);
      return NULL;
    }
  }
  if (!read_content_string (job, content, "title", CONTENT_MAX_TITLE, &title) ||
      !read_content_string (job, content, "text", CONTENT_MAX_TEXT, &text) ||
      !read_content_string (job, content, "url", CONTENT_MAX_URL, &url))
    return NULL;
  if ((title == NULL || *title == '\0') && (text == NULL || *text == '\0') &&
      (url == NULL || *url == '\0')) {
    set_bad_request (job, "content: nothing to share; give a title, a text or a url");
    return NULL;
  }
  if (url != NULL && *url != '\0') {
    g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

    if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
        (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
         g_strcmp0 (g_uri_get_scheme (uri), "https") != 0)) {
      set_bad_request (job, "content.url: expected an absolute http or https URL");
      return NULL;
    }
    /* With the scheme in lower case, as the page checks it. */
    normalized = g_uri_to_string (uri);
  }

  json_object_set_string_member (doc, "type", "shared");
  json_object_set_string_member (doc, "title", title != NULL ? title : "");
  json_object_set_string_member (doc, "text", text != NULL ? text : "");
  json_object_set_string_member (doc, "url", normalized != NULL ? normalized : "");
  json_object_set_int_member (doc, "created", g_get_real_time () / 1000);
  return g_steal_pointer (&doc);
}

/* Content for a friend: a note as the phone's notes keep them, the URL
 * after the text. */
static JsonObject *
note_of_content (JsonObject *content)
{
  JsonObject *note = json_object_new ();
  const char *text = json_object_get_string_member (content, "text");
  const char *url = json_object_get_string_member (content, "url");
  g_autofree char *body = g_strjoin (*text != '\0' && *url != '\0' ? "\n\n" : "", text, url, NULL);

  json_object_set_string_member (note, "type", "note");
  json_object_set_string_member (note, "title", json_object_get_string_member (content, "title"));
  json_object_set_string_member (note, "body", body);
  json_object_set_array_member (note, "tags", json_array_new ());
  json_object_set_double_member (note, "updated", (double) (g_get_real_time () / 1000));
  return note;
}

/* navigator.share()'s content: a link to a document of its own, or a
 * note for a friend. */
static void
run_share_content (YunCloudJob   *job,
                   SharesRequest *request,
                   const char    *owner,
                   JsonNode      *node,
                   const char    *to)
{
  YunCloudShares *self = request->shares;
  g_autoptr(JsonObject) content = read_content (job, node);
  g_autoptr(YunDocStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *rev = NULL;
  g_autofree char *deleted = NULL;

  if (content == NULL)
    return;

  if (to != NULL) {
    g_autoptr(JsonObject) note = note_of_content (content);

    if (check_friend (job, self, owner, to))
      put_copy (job, self, to, "notes", note);
    return;
  }

  id = put_new_doc (job, self, owner, CONTENT_DB, content, &rev);
  if (id == NULL || run_create_link (job, request, owner, CONTENT_DB, id))
    return;

  /* No link (too many, or the links' file failed): nobody can see the
   * content, so it goes. */
  store = get_store (self, owner, FALSE, &error);
  if (store != NULL)
    deleted = yun_doc_store_delete (store, CONTENT_DB, id, rev, &error);
  if (deleted == NULL)
    g_warning ("Could not remove shared content %s: %s", id, error->message);
}

static void
run_create (YunCloudJob   *job,
            SharesRequest *request,
            const char    *owner)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  const char *data;
  gsize size;
  const char *db;
  const char *id;
  const char *to;

  if (!is_json_type (job->content_type)) {
    yun_cloud_job_set_error (job, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "bad_content_type",
                             "Content-Type must be application/json");
    return;
  }

  data = g_bytes_get_data (job->body, &size);
  node = yun_json_parse_bounded (data, size, YUN_CLOUD_AUTH_MAX_BODY, 8, &error);
  if (node == NULL) {
    set_bad_request (job, error->message);
    return;
  }
  if (!JSON_NODE_HOLDS_OBJECT (node)) {
    set_bad_request (job, "The body must be a JSON object with db and id");
    return;
  }

  object = json_node_get_object (node);
  if (json_object_has_member (object, "content")) {
    if (json_object_has_member (object, "db") || json_object_has_member (object, "id")) {
      set_bad_request (job, "content: give either content or db and id, not both");
      return;
    }
    if (!read_string (job, object, "to", FALSE, &to))
      return;
    run_share_content (job, request, owner, json_object_get_member (object, "content"), to);
    return;
  }
  if (!read_string (job, object, "db", TRUE, &db) ||
      !read_string (job, object, "id", TRUE, &id) ||
      !read_string (job, object, "to", FALSE, &to))
    return;

  if (!is_shareable_db (db)) {
    set_bad_request (job, "db: only notes, contacts, messages, calls and photos can be shared");
    return;
  }

  if (to != NULL)
    run_copy (job, request->shares, owner, db, id, to);
  else
    run_create_link (job, request, owner, db, id);
}

static void
run_list (YunCloudJob    *job,
          YunCloudShares *self,
          const char     *owner)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = json_object_new ();
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  JsonArray *items = json_array_new ();
  sqlite3_stmt *stmt = NULL;
  int rc;

  json_object_set_array_member (reply, "items", items);

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT id, db, doc_id, created, revoked FROM shares "
                          "WHERE owner = ? ORDER BY created DESC, rowid DESC", -1, &stmt,
                          NULL) != SQLITE_OK) {
    set_sqlite_error (&error, self->db, "Could not list the shares");
    set_internal_error (job, error);
    return;
  }
  sqlite3_bind_text (stmt, 1, owner, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    JsonObject *item = json_object_new ();
    g_autofree char *created = format_time (sqlite3_column_int64 (stmt, 3));

    json_object_set_string_member (item, "id", (const char *) sqlite3_column_text (stmt, 0));
    json_object_set_string_member (item, "db", (const char *) sqlite3_column_text (stmt, 1));
    json_object_set_string_member (item, "doc_id", (const char *) sqlite3_column_text (stmt, 2));
    json_object_set_string_member (item, "created", created);
    json_object_set_boolean_member (item, "revoked", sqlite3_column_type (stmt, 4) != SQLITE_NULL);
    json_array_add_object_element (items, item);
  }
  if (rc != SQLITE_DONE)
    set_sqlite_error (&error, self->db, "Could not list the shares");
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    set_internal_error (job, error);
  else
    yun_cloud_job_set_object (job, SOUP_STATUS_OK, reply);
}

static void
run_revoke (YunCloudJob    *job,
            YunCloudShares *self,
            const char     *owner,
            const char     *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *token_hash = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;
  int found;

  if (is_token (key))
    token_hash = hash_token (key);
  else if (!is_share_id (key)) {
    set_not_found (job, "No such share");
    return;
  }

  locker = g_mutex_locker_new (&self->mutex);
  /* A link already revoked stays revoked as it was; asking again is fine. */
  if (sqlite3_prepare_v2 (self->db,
                          "UPDATE shares SET revoked = coalesce (revoked, ?) "
                          "WHERE owner = ? AND (token_hash = ? OR id = ?)", -1, &stmt,
                          NULL) != SQLITE_OK) {
    set_sqlite_error (&error, self->db, "Could not revoke the share");
    set_internal_error (job, error);
    return;
  }
  sqlite3_bind_int64 (stmt, 1, g_get_real_time () / G_USEC_PER_SEC);
  sqlite3_bind_text (stmt, 2, owner, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, token_hash != NULL ? token_hash : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, token_hash != NULL ? "" : key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    set_sqlite_error (&error, self->db, "Could not revoke the share");
  found = sqlite3_changes (self->db);
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE) {
    set_internal_error (job, error);
    return;
  }
  /* Someone else's share is answered like one that does not exist. */
  if (found == 0) {
    set_not_found (job, "No such share");
    return;
  }

  reply = json_object_new ();
  json_object_set_boolean_member (reply, "ok", TRUE);
  yun_cloud_job_set_object (job, SOUP_STATUS_OK, reply);
}

static void
api_thread (YunCloudJob  *job,
            gpointer      data,
            GCancellable *cancellable)
{
  SharesRequest *request = data;
  g_autofree char *owner = NULL;

  /* The method first: a wrong one needs no password check. */
  if (request->route == ROUTE_SHARES && job->method != SOUP_METHOD_GET &&
      job->method != SOUP_METHOD_POST) {
    set_method_not_allowed (job, "GET, POST");
    return;
  }
  if (request->route == ROUTE_SHARE && job->method != SOUP_METHOD_DELETE) {
    set_method_not_allowed (job, "DELETE");
    return;
  }

  owner = authenticate (job, request->shares);
  if (owner == NULL)
    return;

  if (request->route == ROUTE_SHARE)
    run_revoke (job, request->shares, owner, request->key);
  else if (job->method == SOUP_METHOD_POST)
    run_create (job, request, owner);
  else
    run_list (job, request->shares, owner);
}

/* The shared page. */

static void
append_escaped (GString    *html,
                const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  g_autofree char *escaped = g_markup_escape_text (valid, -1);

  g_string_append (html, escaped);
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* A field as a row of the page's table: text as text, numbers as
 * numbers, arrays of strings or of {"value"} as a list. */
static void
append_field (GString    *html,
              const char *label,
              const char *value)
{
  if (value == NULL || *value == '\0')
    return;
  g_string_append (html, "<tr><th scope=\"row\">");
  append_escaped (html, label);
  g_string_append (html, "</th><td>");
  append_escaped (html, value);
  g_string_append (html, "</td></tr>\n");
}

static char *
time_member (JsonObject *object,
             const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autoptr(GDateTime) time = NULL;
  gint64 ms;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    ms = json_node_get_int (node);
  else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    ms = (gint64) json_node_get_double (node);
  else if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  else
    return NULL;

  time = g_date_time_new_from_unix_utc (ms / 1000);
  return time != NULL ? g_date_time_format (time, "%Y-%m-%d %H:%M UTC") : NULL;
}

static char *
number_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return g_strdup_printf ("%g", json_node_get_double (node));
  return NULL;
}

/* "a, b, c" from an array of strings or of objects with a "value". */
static char *
list_member (JsonObject *object,
             const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autoptr(GString) text = g_string_new (NULL);
  JsonArray *array;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonNode *element = json_array_get_element (array, i);
    const char *value = NULL;

    if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
      value = json_node_get_string (element);
    else if (JSON_NODE_HOLDS_OBJECT (element))
      value = string_member (json_node_get_object (element), "value");
    if (value == NULL)
      continue;
    if (text->len > 0)
      g_string_append (text, ", ");
    g_string_append (text, value);
  }
  return text->len > 0 ? g_strdup (text->str) : NULL;
}

static char *
contact_name (JsonObject *doc)
{
  JsonNode *node = json_object_get_member (doc, "name");
  JsonObject *name;
  const char *formatted;

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return list_member (doc, "name");

  name = json_node_get_object (node);
  formatted = string_member (name, "formatted");
  if (formatted != NULL && *formatted != '\0')
    return g_strdup (formatted);
  return g_strstrip (g_strjoin (" ",
                                string_member (name, "given") ? string_member (name, "given") : "",
                                string_member (name, "family") ? string_member (name, "family") : "",
                                NULL));
}

static gboolean
has_attachment (JsonObject *doc,
                const char *name)
{
  JsonNode *node = json_object_get_member (doc, "_attachments");

  return name != NULL && node != NULL && JSON_NODE_HOLDS_OBJECT (node) &&
         json_object_has_member (json_node_get_object (node), name);
}

/* What a page shared: its text, and its URL as a link that tells the
 * target nothing of where it came from.  The URL was checked to be http
 * or https when it was shared; it is checked again, since the page must
 * never hold a javascript: link. */
static void
append_content (GString    *html,
                JsonObject *doc)
{
  const char *text = string_member (doc, "text");
  const char *url = string_member (doc, "url");

  if (text != NULL && *text != '\0') {
    g_string_append (html, "<div class=\"body\">");
    append_escaped (html, text);
    g_string_append (html, "</div>\n");
  }
  if (url != NULL && (g_str_has_prefix (url, "http://") || g_str_has_prefix (url, "https://"))) {
    g_string_append (html, "<p><a rel=\"nofollow noopener noreferrer\" href=\"");
    append_escaped (html, url);
    g_string_append (html, "\">");
    append_escaped (html, url);
    g_string_append (html, "</a></p>\n");
  }
}

static GBytes *
render_page (const char *db,
             JsonObject *doc,
             const char *token)
{
  g_autoptr(GString) html = g_string_new (NULL);
  g_autofree char *heading = NULL;
  const char *kind;
  const char *image = image_of_db (db);

  if (strcmp (db, "notes") == 0) {
    kind = "Note";
    heading = g_strdup (string_member (doc, "title"));
  } else if (strcmp (db, "contacts") == 0) {
    kind = "Contact";
    heading = contact_name (doc);
  } else if (strcmp (db, "messages") == 0) {
    kind = "Message";
  } else if (strcmp (db, "calls") == 0) {
    kind = "Call";
  } else if (strcmp (db, CONTENT_DB) == 0) {
    kind = "Shared";
    heading = g_strdup (string_member (doc, "title"));
  } else {
    kind = "Photo";
  }
  if (heading == NULL || *heading == '\0') {
    g_free (heading);
    heading = g_strdup (kind);
  }

  g_string_append (html,
                   "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<meta name=\"referrer\" content=\"no-referrer\">\n<title>");
  append_escaped (html, heading);
  g_string_append (html, " — shared with Yun</title>\n<style>\n"
                   ":root { --fg: #1d2330; --bg: #f6f7f9; --card: #fff; --muted: #5b6472; }\n"
                   "body { font: 16px/1.5 system-ui, sans-serif; color: var(--fg); "
                   "background: var(--bg); margin: 0; padding: 1rem; }\n"
                   "main { max-width: 40rem; margin: 0 auto; background: var(--card); "
                   "border-radius: 12px; padding: 1.25rem; box-shadow: 0 1px 4px #0002; }\n"
                   ".kind { color: var(--muted); text-transform: uppercase; font-size: .8rem; "
                   "letter-spacing: .05em; margin: 0; }\n"
                   "h1 { margin: .25rem 0 1rem; font-size: 1.5rem; overflow-wrap: anywhere; }\n"
                   ".body { white-space: pre-wrap; overflow-wrap: anywhere; }\n"
                   "table { border-collapse: collapse; margin-top: 1rem; }\n"
                   "th { text-align: left; color: var(--muted); font-weight: normal; "
                   "padding: .2rem 1rem .2rem 0; vertical-align: top; }\n"
                   "td { overflow-wrap: anywhere; }\n"
                   "img { max-width: 100%; height: auto; border-radius: 8px; }\n"
                   "</style></head>\n<body><main>\n<p class=\"kind\">");
  append_escaped (html, kind);
  g_string_append (html, "</p>\n<h1>");
  append_escaped (html, heading);
  g_string_append (html, "</h1>\n");

  if (image != NULL && has_attachment (doc, image)) {
    /* The token is base64url, safe in a URL and in an attribute. */
    g_string_append_printf (html, "<p><img src=\"" YUN_CLOUD_SHARES_PAGE_PATH "/%s/image\" "
                            "alt=\"%s\"></p>\n", token, kind);
  }

  if (strcmp (db, CONTENT_DB) == 0) {
    append_content (html, doc);
    g_string_append (html, "</main></body></html>\n");
    return g_string_free_to_bytes (g_steal_pointer (&html));
  }

  if (strcmp (db, "notes") == 0 || strcmp (db, "messages") == 0) {
    const char *body = string_member (doc, "body");

    if (body != NULL) {
      g_string_append (html, "<div class=\"body\">");
      append_escaped (html, body);
      g_string_append (html, "</div>\n");
    }
  }

  g_string_append (html, "<table>\n");
  if (strcmp (db, "notes") == 0) {
    g_autofree char *tags = list_member (doc, "tags");
    g_autofree char *updated = time_member (doc, "updated");

    append_field (html, "Tags", tags);
    append_field (html, "Updated", updated);
  } else if (strcmp (db, "contacts") == 0) {
    g_autofree char *tel = list_member (doc, "tel");
    g_autofree char *email = list_member (doc, "email");

    append_field (html, "Phone", tel);
    append_field (html, "E-mail", email);
    append_field (html, "Organisation", string_member (doc, "org"));
    append_field (html, "Title", string_member (doc, "title"));
    append_field (html, "Birthday", string_member (doc, "bday"));
    append_field (html, "Note", string_member (doc, "note"));
  } else if (strcmp (db, "messages") == 0) {
    g_autofree char *to = list_member (doc, "to");
    g_autofree char *time = time_member (doc, "time");

    append_field (html, "From", string_member (doc, "from"));
    append_field (html, "To", to);
    append_field (html, "Time", time);
  } else if (strcmp (db, "calls") == 0) {
    g_autofree char *duration = number_member (doc, "duration");
    g_autofree char *time = time_member (doc, "time");
    g_autofree char *seconds = duration != NULL ? g_strconcat (duration, " s", NULL) : NULL;

    append_field (html, "Number", string_member (doc, "number"));
    append_field (html, "Direction", string_member (doc, "direction"));
    append_field (html, "Duration", seconds);
    append_field (html, "Time", time);
  } else {
    g_autofree char *taken = time_member (doc, "taken");
    g_autofree char *width = number_member (doc, "width");
    g_autofree char *height = number_member (doc, "height");
    g_autofree char *size = width != NULL && height != NULL
                            ? g_strconcat (width, " × ", height, NULL) : NULL;

    append_field (html, "Taken", taken);
    append_field (html, "Size", size);
  }
  g_string_append (html, "</table>\n</main></body></html>\n");

  return g_string_free_to_bytes (g_steal_pointer (&html));
}

/* The share of @token if it stands, else %NULL with the 404 set. */
static gboolean
lookup_share (YunCloudJob     *job,
              YunCloudShares  *self,
              const char      *token,
              char           **owner,
              char           **db,
              char           **doc_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *token_hash = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (!is_token (token)) {
    set_not_found (job, NOT_FOUND_REASON);
    return FALSE;
  }

  token_hash = hash_token (token);
  locker = g_mutex_locker_new (&self->mutex);
  if (sqlite3_prepare_v2 (self->db,
                          "SELECT owner, db, doc_id FROM shares "
                          "WHERE token_hash = ? AND revoked IS NULL", -1, &stmt,
                          NULL) != SQLITE_OK) {
    set_sqlite_error (&error, self->db, "Could not read the shares");
    set_internal_error (job, error);
    return FALSE;
  }
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW) {
    *owner = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    *db = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    *doc_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  } else if (rc == SQLITE_DONE) {
    set_not_found (job, NOT_FOUND_REASON);
  } else {
    set_sqlite_error (&error, self->db, "Could not read the shares");
    set_internal_error (job, error);
  }
  sqlite3_finalize (stmt);
  return rc == SQLITE_ROW;
}

static gboolean
is_image_type (const char *type)
{
  static const char * const types[] = { "image/jpeg", "image/png", "image/gif", "image/webp" };

  for (guint i = 0; type != NULL && i < G_N_ELEMENTS (types); i++)
    if (g_ascii_strcasecmp (type, types[i]) == 0)
      return TRUE;
  return FALSE;
}

static void
page_thread (YunCloudJob  *job,
             gpointer      data,
             GCancellable *cancellable)
{
  SharesRequest *request = data;
  YunCloudShares *self = request->shares;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *db = NULL;
  g_autofree char *doc_id = NULL;

  /* Whatever the answer, nobody keeps it: a revoked link must be gone. */
  yun_cloud_job_add_header (job, "Cache-Control", "no-store");
  yun_cloud_job_add_header (job, "Referrer-Policy", "no-referrer");
  yun_cloud_job_add_header (job, "X-Robots-Tag", "noindex");

  if (job->method != SOUP_METHOD_GET && job->method != SOUP_METHOD_HEAD) {
    set_method_not_allowed (job, "GET, HEAD");
    return;
  }

  if (!lookup_share (job, self, request->key, &owner, &db, &doc_id))
    return;

  doc = read_doc (job, self, owner, db, doc_id, YUN_DOC_STORE_GET_NONE);
  if (doc == NULL) {
    /* A document deleted since is answered like a revoked link. */
    if (job->status == SOUP_STATUS_NOT_FOUND)
      set_not_found (job, NOT_FOUND_REASON);
    return;
  }

  if (request->route == ROUTE_PAGE) {
    g_autoptr(GBytes) page = render_page (db, doc, request->key);

    yun_cloud_job_set_bytes (job, SOUP_STATUS_OK, "text/html; charset=utf-8", page);
    yun_cloud_job_add_header (job, "Content-Security-Policy",
                              "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
                              "frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    yun_cloud_job_add_header (job, "X-Frame-Options", "DENY");
  } else {
    const char *image = image_of_db (db);
    g_autoptr(YunDocStore) store = NULL;
    g_autoptr(GBytes) bytes = NULL;
    g_autofree char *content_type = NULL;

    if (image == NULL || !has_attachment (doc, image)) {
      set_not_found (job, NOT_FOUND_REASON);
      return;
    }
    store = get_store (self, owner, FALSE, &error);
    if (store != NULL)
      bytes = yun_doc_store_get_attachment (store, db, doc_id, NULL, image, &content_type,
                                            &error);
    if (bytes == NULL) {
      set_store_error (job, error);
      if (job->status == SOUP_STATUS_NOT_FOUND)
        set_not_found (job, NOT_FOUND_REASON);
      return;
    }
    /* Only pictures: anything else could be a page of another type. */
    if (!is_image_type (content_type)) {
      set_not_found (job, NOT_FOUND_REASON);
      return;
    }
    yun_cloud_job_set_bytes (job, SOUP_STATUS_OK, content_type, bytes);
    yun_cloud_job_add_header (job, "Content-Security-Policy", "default-src 'none'; sandbox");
  }
}

/* Scheme, host and port of the request, such as "http://127.0.0.1:8080". */
static char *
base_url_of (SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);
  g_autofree char *url = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL,
                                     g_uri_get_host (uri), g_uri_get_port (uri), "", NULL, NULL);

  return g_steal_pointer (&url);
}

static void
start_job (YunCloudShares    *self,
           SoupServerMessage *msg,
           GHashTable        *query,
           Route              route,
           const char        *key,
           YunCloudJobFunc    func)
{
  SharesRequest *request = g_new0 (SharesRequest, 1);
  YunCloudJob *job;

  request->shares = g_object_ref (self);
  request->route = route;
  request->key = g_strdup (key);
  request->base_url = base_url_of (msg);

  job = yun_cloud_job_new (msg, query, self->jobs);
  yun_cloud_job_set_data (job, request, (GDestroyNotify) shares_request_free);
  yun_cloud_job_run (job, func, NULL, NULL);
}

/**
 * yun_cloud_shares_handle_api:
 * @self: a #YunCloudShares
 * @msg: a request for %YUN_CLOUD_SHARES_API_PATH or below it
 * @path: its path, not decoded
 * @query: (nullable) (element-type utf8 utf8): its query
 *
 * Answers a share route of the accounts API on a worker thread.
 */
void
yun_cloud_shares_handle_api (YunCloudShares    *self,
                             SoupServerMessage *msg,
                             const char        *path,
                             GHashTable        *query)
{
  const char *rest;

  g_return_if_fail (YUN_IS_CLOUD_SHARES (self));
  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));
  g_return_if_fail (g_str_has_prefix (path, YUN_CLOUD_SHARES_API_PATH));

  rest = path + strlen (YUN_CLOUD_SHARES_API_PATH);
  if (*rest == '\0' || strcmp (rest, "/") == 0) {
    start_job (self, msg, query, ROUTE_SHARES, NULL, api_thread);
  } else if (rest[0] == '/' && strchr (rest + 1, '/') == NULL) {
    /* Tokens and ids need no decoding: a %-escape is simply not one. */
    start_job (self, msg, query, ROUTE_SHARE, rest + 1, api_thread);
  } else {
    yun_cloud_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such share");
  }
}

/**
 * yun_cloud_shares_handle_page:
 * @self: a #YunCloudShares
 * @msg: a request for %YUN_CLOUD_SHARES_PAGE_PATH or below it
 * @path: its path, not decoded
 * @query: (nullable) (element-type utf8 utf8): its query
 *
 * Answers `/s/<token>` and `/s/<token>/image` on a worker thread.
 */
void
yun_cloud_shares_handle_page (YunCloudShares    *self,
                              SoupServerMessage *msg,
                              const char        *path,
                              GHashTable        *query)
{
  g_auto(GStrv) parts = NULL;
  const char *rest;
  guint n;

  g_return_if_fail (YUN_IS_CLOUD_SHARES (self));
  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));
  g_return_if_fail (g_str_has_prefix (path, YUN_CLOUD_SHARES_PAGE_PATH));

  rest = path + strlen (YUN_CLOUD_SHARES_PAGE_PATH);
  if (rest[0] == '/')
    parts = g_strsplit (rest + 1, "/", 3);
  n = parts != NULL ? g_strv_length (parts) : 0;

  if (n == 1 && *parts[0] != '\0') {
    start_job (self, msg, query, ROUTE_PAGE, parts[0], page_thread);
  } else if (n == 2 && strcmp (parts[1], "image") == 0) {
    start_job (self, msg, query, ROUTE_IMAGE, parts[0], page_thread);
  } else {
    yun_cloud_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", NOT_FOUND_REASON);
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "Cache-Control", "no-store");
  }
}

static void
yun_cloud_shares_dispose (GObject *object)
{
  YunCloudShares *self = YUN_CLOUD_SHARES (object);

  /* Cancel first: jobs still running then leave the registry alone. */
  if (self->jobs != NULL)
    yun_cloud_job_cancel_all (self->jobs);
  g_clear_pointer (&self->jobs, g_hash_table_unref);

  G_OBJECT_CLASS (yun_cloud_shares_parent_class)->dispose (object);
}

static void
yun_cloud_shares_finalize (GObject *object)
{
  YunCloudShares *self = YUN_CLOUD_SHARES (object);

  g_clear_object (&self->auth);
  g_clear_pointer (&self->stores, g_hash_table_unref);
  g_clear_pointer (&self->db, sqlite3_close);
  g_free (self->accounts_path);
  g_free (self->users_dir);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (yun_cloud_shares_parent_class)->finalize (object);
}

static void
yun_cloud_shares_class_init (YunCloudSharesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = yun_cloud_shares_dispose;
  object_class->finalize = yun_cloud_shares_finalize;
}

static void
yun_cloud_shares_init (YunCloudShares *self)
{
  g_mutex_init (&self->mutex);
  self->jobs = g_hash_table_new (NULL, NULL);
  self->stores = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

/**
 * yun_cloud_shares_new:
 * @auth: what authenticates the API's requests
 * @data_dir: (type filename): the cloud's data folder, holding
 *   `accounts.sqlite` and `users/`; `shares.sqlite` is made there
 * @error: return location for a #GError
 *
 * Opens the shares.  Opening one small SQLite file is the only disk work
 * done on the calling thread.
 *
 * Returns: (transfer full) (nullable): the shares, or %NULL with @error
 *   set if their database cannot be opened
 */
YunCloudShares *
yun_cloud_shares_new (YunCloudAuth  *auth,
                      const char    *data_dir,
                      GError       **error)
{
  g_autoptr(YunCloudShares) self = NULL;
  g_autofree char *path = NULL;
  char *message = NULL;

  g_return_val_if_fail (YUN_IS_CLOUD_AUTH (auth), NULL);
  g_return_val_if_fail (data_dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (YUN_TYPE_CLOUD_SHARES, NULL);
  self->auth = g_object_ref (auth);
  self->accounts_path = g_build_filename (data_dir, "accounts.sqlite", NULL);
  self->users_dir = g_build_filename (data_dir, "users", NULL);
  path = g_build_filename (data_dir, "shares.sqlite", NULL);

  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
      SQLITE_OK) {
    set_sqlite_error (error, self->db, "Could not open the shares");
    return NULL;
  }
  sqlite3_busy_timeout (self->db, 5000);
  if (sqlite3_exec (self->db, SCHEMA, NULL, NULL, &message) != SQLITE_OK) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Could not set up %s: %s", path,
                 message);
    sqlite3_free (message);
    return NULL;
  }

  return g_steal_pointer (&self);
}
