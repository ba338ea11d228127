/* yun-cloud-sync-api.c: the CouchDB replication API of yun-cloud, per user
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "yun-cloud-sync-api.h"

#include "yun-cloud-job.h"
#include "yun-doc-store.h"
#include "yun-json.h"
#include "yun-revision.h"

#include <glib/gstdio.h>

#include <errno.h>
#include <string.h>

/**
 * YunCloudSyncApi:
 *
 * The part of CouchDB 3's HTTP API that the replication protocol needs,
 * under `/sync/`, so that PouchDB, CouchDB and the phone's own replicator
 * can sync with yun-cloud:
 *
 * - `GET /sync/`: the welcome, with a `uuid` of the user's own
 * - `GET /sync/_all_dbs`
 * - `GET|HEAD|PUT|DELETE|POST /sync/<db>`
 * - `GET|POST /sync/<db>/_changes`: `feed=normal|longpoll`, `since`,
 *   `limit`, `style=all_docs`, `include_docs`, `conflicts`,
 *   `attachments`, `timeout`, `heartbeat`
 * - `POST /sync/<db>/_revs_diff`, `_bulk_docs`, `_bulk_get`,
 *   `_ensure_full_commit`
 * - `GET|POST /sync/<db>/_all_docs`: `startkey`, `endkey`, `key`, `keys`,
 *   `limit`, `include_docs`
 * - `GET|HEAD|PUT|DELETE /sync/<db>/<doc>`: `rev`, `revs`, `open_revs`
 *   (answered as a JSON array), `attachments`, `atts_since`, `conflicts`,
 *   `deleted_conflicts`, `new_edits`
 * - `GET|HEAD|PUT|DELETE /sync/<db>/<doc>/<attachment>`, raw bodies
 * - `GET|PUT|DELETE /sync/<db>/_local/<id>`
 *
 * Every route but the welcome needs credentials (see #YunCloudAuth), and
 * the databases are always the signed-in user's own: each user has one
 * #YunDocStore file, `<users>/<name>.sqlite`, and a request can only ever
 * open its own user's file.  No path, however encoded, names another.
 *
 * Like CouchDB, a document id with a slash is written with `%2F` in the
 * URL (`_design/` and `_local/` ids may use a plain slash), and an
 * attachment name is the rest of the path after the document id.
 *
 * Request bodies are at most %YUN_CLOUD_SYNC_API_MAX_BODY bytes; JSON
 * bodies must say `Content-Type: application/json` (so that a web page of
 * another origin cannot post one without a CORS preflight) and nest at
 * most as deep as a document may.  Errors are CouchDB's `{"error",
 * "reason"}` with CouchDB's status codes.
 *
 * The store blocks on the disk, so every request runs on a worker thread
 * while its message is paused.  A longpoll `_changes` that finds nothing
 * new waits on the main thread, holding no thread, until a write to the
 * same user's database wakes it or its timeout passes.
 */

typedef enum {
  ROUTE_ROOT,
  ROUTE_ALL_DBS,
  ROUTE_DB,
  ROUTE_CHANGES,
  ROUTE_REVS_DIFF,
  ROUTE_BULK_DOCS,
  ROUTE_BULK_GET,
  ROUTE_ALL_DOCS,
  ROUTE_ENSURE_FULL_COMMIT,
  ROUTE_LOCAL,
  ROUTE_DOC,
  ROUTE_ATTACHMENT,
} Route;

/* The open stores of the users, shared by the workers. */
typedef struct {
  GMutex      mutex;
  char       *users_dir;
  /* user name → YunDocStore */
  GHashTable *stores;
} UserStores;

struct _YunCloudSyncApi {
  GObject     parent_instance;

  YunCloudAuth *auth;
  UserStores   *stores;
  /* The jobs in flight, to cancel in dispose. */
  GHashTable   *jobs;
  /* "user\ndb" → GPtrArray of the longpoll jobs waiting for a change. */
  GHashTable   *waiters;
  /* "user\ndb" → guint64 *, how many writes woke its waiters so far. */
  GHashTable   *generations;
  guint64       generation;
};

G_DEFINE_FINAL_TYPE (YunCloudSyncApi, yun_cloud_sync_api, G_TYPE_OBJECT)

typedef struct {
  YunCloudSyncApi *api;
  YunCloudAuth    *auth;
  UserStores      *stores;
  Route            route;
  char            *db;
  char            *doc_id;
  char            *attachment;

  /* Set by the worker. */
  char            *user;
  gboolean         changed;
  gboolean         no_changes;
  guint            wait_ms;

  /* For a longpoll, on the main thread. */
  char            *key;
  gboolean         key_known;
  guint64          generation;
  gint64           deadline;
  guint            timeout_id;
} SyncRequest;

static void
user_stores_clear (gpointer data)
{
  UserStores *stores = data;

  g_clear_pointer (&stores->stores, g_hash_table_unref);
  g_free (stores->users_dir);
  g_mutex_clear (&stores->mutex);
}

static UserStores *
user_stores_new (const char *users_dir)
{
  UserStores *stores = g_atomic_rc_box_new0 (UserStores);

  g_mutex_init (&stores->mutex);
  stores->users_dir = g_strdup (users_dir);
  stores->stores = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);

  return stores;
}

static void
user_stores_unref (UserStores *stores)
{
  g_atomic_rc_box_release_full (stores, user_stores_clear);
}

/* Runs on a worker thread: the user's store, opened the first time.  The
 * name was checked by the accounts, so it is safe as a file name. */
static YunDocStore *
user_stores_get (UserStores  *stores,
                 const char  *user,
                 GError     **error)
{
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&stores->mutex);
  YunDocStore *store = g_hash_table_lookup (stores->stores, user);
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;

  g_assert (yun_cloud_accounts_validate_name (user, NULL));

  if (store != NULL)
    return g_object_ref (store);

  if (g_mkdir_with_parents (stores->users_dir, 0700) != 0) {
    int saved_errno = errno;

    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                 "Could not create %s: %s", stores->users_dir, g_strerror (saved_errno));
    return NULL;
  }

  file = g_strconcat (user, ".sqlite", NULL);
  path = g_build_filename (stores->users_dir, file, NULL);
  store = yun_doc_store_open (path, error);
  if (store == NULL)
    return NULL;

  g_hash_table_insert (stores->stores, g_strdup (user), store);
  return g_object_ref (store);
}

static void
sync_request_free (SyncRequest *request)
{
  g_clear_handle_id (&request->timeout_id, g_source_remove);
  g_clear_object (&request->auth);
  g_clear_pointer (&request->stores, user_stores_unref);
  g_free (request->db);
  g_free (request->doc_id);
  g_free (request->attachment);
  g_free (request->user);
  g_free (request->key);
  g_free (request);
}

/* Responses. */

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
  g_warning ("A sync request failed: %s", error->message);
  yun_cloud_job_set_error (job, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_error",
                           error->message);
}

static void
set_bad_request (YunCloudJob *job,
                 const char  *format,
                 ...) G_GNUC_PRINTF (2, 3);

static void
set_bad_request (YunCloudJob *job,
                 const char  *format,
                 ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  yun_cloud_job_set_error (job, SOUP_STATUS_BAD_REQUEST, "bad_request", reason);
}

static void
set_method_not_allowed (YunCloudJob *job,
                        const char  *allowed)
{
  g_autofree char *reason = g_strdup_printf ("Only %s allowed", allowed);

  yun_cloud_job_set_error (job, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed", reason);
  yun_cloud_job_add_header (job, "Allow", allowed);
}

/* Answers a failure of the store with CouchDB's status and error name. */
static void
set_store_error (YunCloudJob  *job,
                 const GError *error)
{
  if (error->domain == YUN_DOC_STORE_ERROR) {
    switch ((YunDocStoreError) error->code) {
    case YUN_DOC_STORE_ERROR_NOT_FOUND:
      yun_cloud_job_set_error (job, SOUP_STATUS_NOT_FOUND, "not_found", error->message);
      return;
    case YUN_DOC_STORE_ERROR_CONFLICT:
      yun_cloud_job_set_error (job, SOUP_STATUS_CONFLICT, "conflict", error->message);
      return;
    case YUN_DOC_STORE_ERROR_BAD_REQUEST:
      yun_cloud_job_set_error (job, SOUP_STATUS_BAD_REQUEST, "bad_request", error->message);
      return;
    case YUN_DOC_STORE_ERROR_TOO_LARGE:
      yun_cloud_job_set_error (job, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "document_too_large",
                               error->message);
      return;
    case YUN_DOC_STORE_ERROR_EXISTS:
      yun_cloud_job_set_error (job, SOUP_STATUS_PRECONDITION_FAILED, "file_exists",
                               "The database could not be created, the file already exists.");
      return;
    case YUN_DOC_STORE_ERROR_IO:
    case YUN_DOC_STORE_ERROR_CORRUPT:
    default:
      break;
    }
  }

  set_internal_error (job, error);
}

static void
set_ok_id_rev (YunCloudJob *job,
               guint        status,
               const char  *id,
               const char  *rev)
{
  g_autoptr(JsonObject) reply = json_object_new ();
  g_autofree char *etag = g_strdup_printf ("\"%s\"", rev);

  json_object_set_boolean_member (reply, "ok", TRUE);
  json_object_set_string_member (reply, "id", id);
  json_object_set_string_member (reply, "rev", rev);
  yun_cloud_job_set_object (job, status, reply);
  yun_cloud_job_add_header (job, "ETag", etag);
}

static void
set_ok (YunCloudJob *job,
        guint        status)
{
  g_autoptr(JsonObject) reply = json_object_new ();

  json_object_set_boolean_member (reply, "ok", TRUE);
  yun_cloud_job_set_object (job, status, reply);
}

/* Request parsing, on the worker.  Each returns FALSE after setting the
 * job's 4xx answer. */

static gboolean
is_json_type (const char *content_type)
{
  g_autofree char *type = NULL;

  if (content_type == NULL)
    return FALSE;

  type = g_ascii_strdown (content_type, strcspn (content_type, ";"));
  return strcmp (g_strstrip (type), "application/json") == 0;
}

static gboolean
check_json_type (YunCloudJob *job)
{
  if (is_json_type (job->content_type))
    return TRUE;

  yun_cloud_job_set_error (job, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "bad_content_type",
                           "Content-Type must be application/json");
  return FALSE;
}

/* Parses a JSON body that must be an object. */
static JsonNode *
parse_body (YunCloudJob *job)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *data;
  gsize size;

  if (!check_json_type (job))
    return NULL;

  data = g_bytes_get_data (job->body, &size);
  node = yun_json_parse_bounded (data, size, YUN_CLOUD_SYNC_API_MAX_BODY,
                                 YUN_DOC_STORE_MAX_DEPTH + 4, &error);
  if (node == NULL) {
    if (g_error_matches (error, YUN_JSON_ERROR, YUN_JSON_ERROR_TOO_LARGE))
      yun_cloud_job_set_error (job, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                               error->message);
    else
      set_bad_request (job, "The body is not valid JSON: %s", error->message);
    return NULL;
  }

  if (!JSON_NODE_HOLDS_OBJECT (node)) {
    set_bad_request (job, "The body must be a JSON object, not %s", yun_json_type_name (node));
    return NULL;
  }

  return g_steal_pointer (&node);
}

/* Parses a document body with the store's own limits. */
static JsonObject *
parse_doc_body (YunCloudJob *job)
{
  g_autoptr(GError) error = NULL;
  JsonObject *doc;
  const char *data;
  gsize size;

  if (!check_json_type (job))
    return NULL;

  data = g_bytes_get_data (job->body, &size);
  doc = yun_doc_store_parse_doc (data, size, &error);
  if (doc == NULL)
    set_store_error (job, error);

  return doc;
}

static gboolean
query_bool (YunCloudJob *job,
            const char  *name,
            gboolean    *value)
{
  const char *text = yun_cloud_job_get_query (job, name);

  *value = FALSE;
  if (text == NULL || strcmp (text, "false") == 0)
    return TRUE;

  if (strcmp (text, "true") == 0) {
    *value = TRUE;
    return TRUE;
  }

  set_bad_request (job, "Query parameter \"%s\" must be true or false", name);
  return FALSE;
}

/* Parses a non-negative integer parameter; @value keeps its default when
 * the parameter is absent. */
static gboolean
query_uint (YunCloudJob *job,
            const char  *name,
            guint64      max,
            guint64     *value)
{
  const char *text = yun_cloud_job_get_query (job, name);
  guint64 number;

  if (text == NULL)
    return TRUE;

  if (!g_ascii_string_to_unsigned (text, 10, 0, max, &number, NULL)) {
    set_bad_request (job, "Query parameter \"%s\" must be an integer from 0 to %" G_GUINT64_FORMAT,
                     name, max);
    return FALSE;
  }

  *value = number;
  return TRUE;
}

/* Parses a JSON-valued parameter such as startkey="a"; %NULL when absent
 * or, with the answer set, malformed. */
static JsonNode *
query_json (YunCloudJob *job,
            const char  *name,
            gboolean    *ok)
{
  const char *text = yun_cloud_job_get_query (job, name);
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  *ok = TRUE;
  if (text == NULL)
    return NULL;

  node = yun_json_parse_bounded (text, strlen (text), YUN_CLOUD_SYNC_API_MAX_BODY, 4, &error);
  if (node == NULL) {
    set_bad_request (job, "Query parameter \"%s\" must be JSON: %s", name, error->message);
    *ok = FALSE;
  }

  return node;
}

static gboolean
query_json_string (YunCloudJob  *job,
                   const char   *name,
                   char        **value)
{
  g_autoptr(JsonNode) node = NULL;
  gboolean ok;

  node = query_json (job, name, &ok);
  if (!ok)
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING) {
    set_bad_request (job, "Query parameter \"%s\" must be a JSON string such as \"abc\"", name);
    return FALSE;
  }

  g_free (*value);
  *value = g_strdup (json_node_get_string (node));
  return TRUE;
}

/* Checks that @node is an array of strings; %NULL-terminated copy. */
static GStrv
string_array (JsonNode *node)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++) {
    JsonNode *element = json_array_get_element (array, i);

    if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
      return NULL;
    g_strv_builder_add (builder, json_node_get_string (element));
  }

  return g_strv_builder_end (builder);
}

/* The revision a write is based on: ?rev=, else If-Match. */
static const char *
requested_rev (YunCloudJob *job)
{
  const char *rev = yun_cloud_job_get_query (job, "rev");

  if (rev != NULL)
    return rev;

  return job->if_match;
}

static char *
unquote_etag (const char *value)
{
  gsize length;

  if (value == NULL)
    return NULL;

  length = strlen (value);
  if (length >= 2 && value[0] == '"' && value[length - 1] == '"')
    return g_strndup (value + 1, length - 2);

  return g_strdup (value);
}

/* Turns inline attachments that the client has already, by `atts_since`,
 * back into stubs: those added at or before the newest revision in
 * @atts_since that is an ancestor of @doc.  @doc holds `_revisions`. */
static void
apply_atts_since (JsonObject         *doc,
                  const char * const *atts_since,
                  gboolean            keep_revisions)
{
  JsonObject *revisions = NULL;
  JsonObject *attachments = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;
  guint known = 0;

  if (json_object_has_member (doc, "_revisions"))
    revisions = json_object_get_object_member (doc, "_revisions");
  if (json_object_has_member (doc, "_attachments"))
    attachments = json_object_get_object_member (doc, "_attachments");

  if (revisions != NULL && attachments != NULL && atts_since != NULL) {
    gint64 start = json_object_get_int_member (revisions, "start");
    JsonArray *ids = json_object_get_array_member (revisions, "ids");

    for (guint i = 0; atts_since[i] != NULL; i++) {
      guint pos;
      const char *hash;

      if (!yun_revision_parse (atts_since[i], &pos, &hash) || pos > start ||
          start - pos >= json_array_get_length (ids))
        continue;
      if (strcmp (json_array_get_string_element (ids, start - pos), hash) == 0)
        known = MAX (known, pos);
    }

    json_object_iter_init (&iter, attachments);
    while (json_object_iter_next (&iter, &name, &node)) {
      JsonObject *attachment = json_node_get_object (node);

      if (json_object_get_int_member (attachment, "revpos") <= known &&
          json_object_has_member (attachment, "data")) {
        json_object_remove_member (attachment, "data");
        json_object_set_boolean_member (attachment, "stub", TRUE);
      }
    }
  }

  if (!keep_revisions)
    json_object_remove_member (doc, "_revisions");
}

/* Reads atts_since from the query: a JSON array of revisions. */
static gboolean
query_atts_since (YunCloudJob *job,
                  GStrv       *atts_since)
{
  g_autoptr(JsonNode) node = NULL;
  gboolean ok;

  node = query_json (job, "atts_since", &ok);
  if (!ok)
    return FALSE;
  if (node == NULL)
    return TRUE;

  *atts_since = string_array (node);
  if (*atts_since == NULL) {
    set_bad_request (job, "Query parameter \"atts_since\" must be a JSON array of revisions");
    return FALSE;
  }

  return TRUE;
}

/* The routes. */

static void
run_root (YunCloudJob *job,
          SyncRequest *request)
{
  g_autoptr(JsonObject) reply = json_object_new ();
  g_autoptr(JsonObject) vendor = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *user = NULL;
  g_autofree char *uuid = NULL;
  const char *server_uuid = yun_cloud_accounts_get_uuid (yun_cloud_auth_get_accounts (request->auth));

  if (job->method != SOUP_METHOD_GET && job->method != SOUP_METHOD_HEAD) {
    set_method_not_allowed (job, "GET, HEAD");
    return;
  }

  /* Credentials are optional here, but wrong ones are still refused. A
   * signed-in user gets a uuid of their own, so that replication
   * checkpoints of two users never share an id. */
  if (job->authorization != NULL) {
    user = yun_cloud_auth_authenticate (request->auth, job->authorization, &error);
    if (user == NULL) {
      if (error->domain == YUN_CLOUD_AUTH_ERROR)
        set_unauthorized (job, error->message);
      else
        set_internal_error (job, error);
      return;
    }
    g_autofree char *seed = g_strconcat (server_uuid, "\n", user, NULL);

    uuid = g_compute_checksum_for_string (G_CHECKSUM_SHA256, seed, -1);
    uuid[32] = '\0';
  } else {
    uuid = g_strdup (server_uuid);
  }

  json_object_set_string_member (vendor, "name", "yun-cloud");
  json_object_set_string_member (vendor, "version", YUN_VERSION);
  json_object_set_string_member (reply, "couchdb", "Welcome");
  json_object_set_string_member (reply, "version", YUN_CLOUD_SYNC_API_COUCHDB_VERSION);
  json_object_set_string_member (reply, "uuid", uuid);
  json_object_set_array_member (reply, "features", json_array_new ());
  json_object_set_object_member (reply, "vendor", g_steal_pointer (&vendor));
  yun_cloud_job_set_object (job, SOUP_STATUS_OK, reply);
}

static void
run_all_dbs (YunCloudJob *job,
             SyncRequest *request,
             YunDocStore *store)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (job->method != SOUP_METHOD_GET && job->method != SOUP_METHOD_HEAD) {
    set_method_not_allowed (job, "GET, HEAD");
    return;
  }

  names = yun_doc_store_list_dbs (store, &error);
  if (names == NULL) {
    set_store_error (job, error);
    return;
  }

  node = json_node_init_array (json_node_alloc (), json_array_new ());
  for (guint i = 0; names[i] != NULL; i++)
    json_array_add_string_element (json_node_get_array (node), names[i]);
  yun_cloud_job_set_json (job, SOUP_STATUS_OK, node);
}

static void
run_db (YunCloudJob *job,
        SyncRequest *request,
        YunDocStore *store)
{
  g_autoptr(GError) error = NULL;

  if (job->method == SOUP_METHOD_GET || job->method == SOUP_METHOD_HEAD) {
    g_autoptr(JsonObject) info = yun_doc_store_get_db_info (store, request->db, &error);

    if (info == NULL) {
      set_store_error (job, error);
      return;
    }
    json_object_set_string_member (info, "instance_start_time", "0");
    json_object_set_int_member (info, "purge_seq", 0);
    json_object_set_boolean_member (info, "compact_running", FALSE);
    yun_cloud_job_set_object (job, SOUP_STATUS_OK, info);
  } else if (job->method == SOUP_METHOD_PUT) {
    if (!yun_doc_store_create_db (store, request->db, &error)) {
      set_store_error (job, error);
      return;
    }
    set_ok (job, SOUP_STATUS_CREATED);
  } else if (job->method == SOUP_METHOD_DELETE) {
    if (!yun_doc_store_delete_db (store, request->db, &error)) {
      set_store_error (job, error);
      return;
    }
    request->changed = TRUE;
    set_ok (job, SOUP_STATUS_OK);
  } else if (job->method == SOUP_METHOD_POST) {
    g_autoptr(JsonObject) doc = parse_doc_body (job);
    g_autofree char *id = NULL;
    g_autofree char *rev = NULL;

    if (doc == NULL)
      return;
    rev = yun_doc_store_put (store, request->db, doc, &id, &error);
    if (rev == NULL) {
      set_store_error (job, error);
      return;
    }
    request->changed = TRUE;
    set_ok_id_rev (job, SOUP_STATUS_CREATED, id, rev);
  } else {
    set_method_not_allowed (job, "GET, HEAD, PUT, DELETE, POST");
  }
}

/* Parses `since`: a sequence number, "now", or CouchDB 2's "N-opaque". */
static gboolean
parse_since (YunCloudJob *job,
             YunDocStore *store,
             const char  *db,
             gint64      *since)
{
  const char *text = yun_cloud_job_get_query (job, "since");
  g_autofree char *number = NULL;
  guint64 value;

  *since = 0;
  if (text == NULL)
    return TRUE;

  if (strcmp (text, "now") == 0) {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonObject) info = yun_doc_store_get_db_info (store, db, &error);

    if (info == NULL) {
      set_store_error (job, error);
      return FALSE;
    }
    *since = json_object_get_int_member (info, "update_seq");
    return TRUE;
  }

  /* A quoted sequence ("5") or one with an opaque part (5-g1AAA) is read
   * by its number. */
  if (text[0] == '"')
    text++;
  number = g_strndup (text, strspn (text, "0123456789"));
  if (*number == '\0' || !g_ascii_string_to_unsigned (number, 10, 0, G_MAXINT64, &value, NULL)) {
    set_bad_request (job, "Query parameter \"since\" must be a sequence number or \"now\"");
    return FALSE;
  }

  *since = (gint64) value;
  return TRUE;
}

static void
run_changes (YunCloudJob *job,
             SyncRequest *request,
             YunDocStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) feed = NULL;
  const char *feed_type = yun_cloud_job_get_query (job, "feed");
  const char *style_text = yun_cloud_job_get_query (job, "style");
  YunDocStoreChangesStyle style = YUN_DOC_STORE_CHANGES_MAIN_ONLY;
  gboolean longpoll = FALSE;
  gboolean include_docs;
  gboolean conflicts;
  gboolean attachments;
  gboolean descending;
  guint64 limit = G_MAXUINT64;
  guint64 timeout = G_MAXUINT64;
  guint64 heartbeat = G_MAXUINT64;
  gint64 since;

  if (job->method != SOUP_METHOD_GET && job->method != SOUP_METHOD_POST) {
    set_method_not_allowed (job, "GET, POST");
    return;
  }

  if (feed_type != NULL && strcmp (feed_type, "longpoll") == 0) {
    longpoll = TRUE;
  } else if (feed_type != NULL && strcmp (feed_type, "normal") != 0) {
    set_bad_request (job, "feed=%s is not supported; use normal or longpoll",
                     g_utf8_validate (feed_type, -1, NULL) ? feed_type : "?");
    return;
  }

  if (style_text != NULL && strcmp (style_text, "all_docs") == 0) {
    style = YUN_DOC_STORE_CHANGES_ALL_DOCS;
  } else if (style_text != NULL && strcmp (style_text, "main_only") != 0) {
    set_bad_request (job, "Query parameter \"style\" must be main_only or all_docs");
    return;
  }

  if (yun_cloud_job_get_query (job, "filter") != NULL) {
    set_bad_request (job, "Filtered changes feeds are not supported");
    return;
  }

  if (!query_bool (job, "include_docs", &include_docs) ||
      !query_bool (job, "conflicts", &conflicts) ||
      !query_bool (job, "attachments", &attachments) ||
      !query_bool (job, "descending", &descending) ||
      !query_uint (job, "limit", G_MAXUINT, &limit) ||
      !query_uint (job, "timeout", G_MAXUINT, &timeout) ||
      !query_uint (job, "heartbeat", G_MAXUINT, &heartbeat) ||
      !parse_since (job, store, request->db, &since))
    return;

  if (descending) {
    set_bad_request (job, "Descending changes feeds are not supported");
    return;
  }

  /* limit=0 lists nothing; the store reads 0 as no limit. */
  feed = yun_doc_store_changes (store, request->db, since, limit == 0 ? 1 : (guint) MIN (limit, G_MAXUINT),
                                style, &error);
  if (feed == NULL) {
    set_store_error (job, error);
    return;
  }
  if (limit == 0) {
    json_object_set_array_member (feed, "results", json_array_new ());
    json_object_set_int_member (feed, "last_seq", since);
  }

  if (include_docs) {
    JsonArray *results = json_object_get_array_member (feed, "results");
    YunDocStoreGetFlags flags = YUN_DOC_STORE_GET_NONE;

    if (conflicts)
      flags |= YUN_DOC_STORE_GET_CONFLICTS;
    if (attachments)
      flags |= YUN_DOC_STORE_GET_ATTACHMENTS;

    for (guint i = 0; i < json_array_get_length (results); i++) {
      JsonObject *row = json_array_get_object_element (results, i);
      JsonArray *changes = json_object_get_array_member (row, "changes");
      const char *rev = json_object_get_string_member (json_array_get_object_element (changes, 0),
                                                       "rev");
      g_autoptr(GError) doc_error = NULL;
      JsonObject *doc;

      doc = yun_doc_store_get (store, request->db, json_object_get_string_member (row, "id"),
                               rev, flags, &doc_error);
      if (doc == NULL) {
        /* Changed again since the feed was read: the next feed has it. */
        if (g_error_matches (doc_error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_NOT_FOUND))
          continue;
        set_store_error (job, doc_error);
        return;
      }
      json_object_set_object_member (row, "doc", doc);
    }
  }

  json_object_set_int_member (feed, "pending", 0);

  if (longpoll && json_array_get_length (json_object_get_array_member (feed, "results")) == 0) {
    /* Without heartbeats, a longpoll ends at its timeout or, failing that,
     * at its heartbeat interval, when the client would have heard from us
     * anyway; never later than YUN_CLOUD_SYNC_API_MAX_LONGPOLL_MS. */
    guint64 wait = timeout != G_MAXUINT64 ? timeout
                 : heartbeat != G_MAXUINT64 ? heartbeat
                 : YUN_CLOUD_SYNC_API_MAX_LONGPOLL_MS;

    request->no_changes = TRUE;
    request->wait_ms = (guint) MIN (wait, YUN_CLOUD_SYNC_API_MAX_LONGPOLL_MS);
  }

  yun_cloud_job_set_object (job, SOUP_STATUS_OK, feed);
}

static void
run_revs_diff (YunCloudJob *job,
               SyncRequest *request,
               YunDocStore *store)
{
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonObject) diff = NULL;
  g_autoptr(GError) error = NULL;

  if (job->method != SOUP_METHOD_POST) {
    set_method_not_allowed (job, "POST");
    return;
  }

  body = parse_body (job);
  if (body == NULL)
    return;

  diff = yun_doc_store_revs_diff (store, request->db, json_node_get_object (body), &error);
  if (diff == NULL) {
    set_store_error (job, error);
    return;
  }

  yun_cloud_job_set_object (job, SOUP_STATUS_OK, diff);
}

static void
run_bulk_docs (YunCloudJob *job,
               SyncRequest *request,
               YunDocStore *store)
{
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonArray) rows = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  JsonNode *docs;
  JsonNode *new_edits;

  if (job->method != SOUP_METHOD_POST) {
    set_method_not_allowed (job, "POST");
    return;
  }

  body = parse_body (job);
  if (body == NULL)
    return;

  object = json_node_get_object (body);
  docs = json_object_get_member (object, "docs");
  if (docs == NULL || !JSON_NODE_HOLDS_ARRAY (docs)) {
    set_bad_request (job, "docs: expected an array of documents, got %s",
                     docs != NULL ? yun_json_type_name (docs) : "nothing");
    return;
  }

  new_edits = json_object_get_member (object, "new_edits");
  if (new_edits != NULL && (!JSON_NODE_HOLDS_VALUE (new_edits) ||
                            json_node_get_value_type (new_edits) != G_TYPE_BOOLEAN)) {
    set_bad_request (job, "new_edits: expected true or false, got %s",
                     yun_json_type_name (new_edits));
    return;
  }

  rows = yun_doc_store_bulk_docs (store, request->db, json_node_get_array (docs),
                                  new_edits == NULL || json_node_get_boolean (new_edits), &error);
  if (rows == NULL) {
    set_store_error (job, error);
    return;
  }

  for (guint i = 0; i < json_array_get_length (rows); i++) {
    if (json_object_has_member (json_array_get_object_element (rows, i), "rev"))
      request->changed = TRUE;
  }

  reply = json_node_init_array (json_node_alloc (), rows);
  yun_cloud_job_set_json (job, SOUP_STATUS_CREATED, reply);
}

static JsonObject *
bulk_get_error (const char   *id,
                const char   *rev,
                const char   *error,
                const char   *reason)
{
  g_autoptr(JsonObject) row = json_object_new ();
  g_autoptr(JsonObject) detail = json_object_new ();

  if (id != NULL)
    json_object_set_string_member (detail, "id", id);
  else
    json_object_set_null_member (detail, "id");
  if (rev != NULL)
    json_object_set_string_member (detail, "rev", rev);
  else
    json_object_set_null_member (detail, "rev");
  json_object_set_string_member (detail, "error", error);
  json_object_set_string_member (detail, "reason", reason);
  json_object_set_object_member (row, "error", g_steal_pointer (&detail));

  return g_steal_pointer (&row);
}

/* One entry of a _bulk_get; FALSE when the store itself failed. */
static gboolean
bulk_get_one (YunCloudJob          *job,
              SyncRequest          *request,
              YunDocStore          *store,
              JsonNode             *node,
              guint                 index,
              YunDocStoreGetFlags   flags,
              gboolean              revs,
              JsonArray            *results)
{
  g_autoptr(JsonObject) result = json_object_new ();
  g_autoptr(JsonArray) docs = json_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) atts_since = NULL;
  g_autofree char *reason = NULL;
  JsonObject *entry;
  JsonNode *id_node;
  JsonNode *rev_node;
  JsonNode *since_node;
  const char *id = NULL;
  const char *rev = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node)) {
    reason = g_strdup_printf ("docs[%u]: expected an object, got %s", index,
                              yun_json_type_name (node));
    goto bad;
  }

  entry = json_node_get_object (node);
  id_node = json_object_get_member (entry, "id");
  rev_node = json_object_get_member (entry, "rev");
  since_node = json_object_get_member (entry, "atts_since");

  if (id_node == NULL || !JSON_NODE_HOLDS_VALUE (id_node) ||
      json_node_get_value_type (id_node) != G_TYPE_STRING) {
    reason = g_strdup_printf ("docs[%u].id: expected a string", index);
    goto bad;
  }
  id = json_node_get_string (id_node);

  if (rev_node != NULL) {
    if (!JSON_NODE_HOLDS_VALUE (rev_node) || json_node_get_value_type (rev_node) != G_TYPE_STRING) {
      reason = g_strdup_printf ("docs[%u].rev: expected a string", index);
      goto bad;
    }
    rev = json_node_get_string (rev_node);
  }

  if (since_node != NULL && !JSON_NODE_HOLDS_NULL (since_node)) {
    atts_since = string_array (since_node);
    if (atts_since == NULL) {
      reason = g_strdup_printf ("docs[%u].atts_since: expected an array of revisions", index);
      goto bad;
    }
  }

  if (atts_since != NULL)
    flags |= YUN_DOC_STORE_GET_REVISIONS;

  if (rev != NULL) {
    const char *wanted[] = { rev, NULL };
    g_autoptr(JsonArray) rows = yun_doc_store_get_open_revs (store, request->db, id, wanted,
                                                             flags, &error);

    if (rows == NULL)
      goto store_error;

    for (guint i = 0; i < json_array_get_length (rows); i++) {
      JsonObject *row = json_array_get_object_element (rows, i);

      if (json_object_has_member (row, "ok")) {
        apply_atts_since (json_object_get_object_member (row, "ok"),
                          (const char * const *) atts_since, revs);
        json_array_add_object_element (docs, json_object_ref (row));
      } else {
        json_array_add_object_element (docs, bulk_get_error (id, rev, "not_found", "missing"));
      }
    }
  } else {
    JsonObject *doc = yun_doc_store_get (store, request->db, id, NULL, flags, &error);

    if (doc == NULL)
      goto store_error;

    apply_atts_since (doc, (const char * const *) atts_since, revs);
    {
      g_autoptr(JsonObject) row = json_object_new ();

      json_object_set_object_member (row, "ok", doc);
      json_array_add_object_element (docs, g_steal_pointer (&row));
    }
  }

  json_object_set_string_member (result, "id", id);
  json_object_set_array_member (result, "docs", g_steal_pointer (&docs));
  json_array_add_object_element (results, g_steal_pointer (&result));
  return TRUE;

store_error:
  if (error->domain == YUN_DOC_STORE_ERROR &&
      (error->code == YUN_DOC_STORE_ERROR_NOT_FOUND || error->code == YUN_DOC_STORE_ERROR_BAD_REQUEST)) {
    json_array_add_object_element (docs, bulk_get_error (id, rev,
                                                         error->code == YUN_DOC_STORE_ERROR_NOT_FOUND
                                                         ? "not_found" : "bad_request",
                                                         error->message));
    json_object_set_string_member (result, "id", id);
    json_object_set_array_member (result, "docs", g_steal_pointer (&docs));
    json_array_add_object_element (results, g_steal_pointer (&result));
    return TRUE;
  }
  set_store_error (job, error);
  return FALSE;

bad:
  json_array_add_object_element (docs, bulk_get_error (id, rev, "bad_request", reason));
  if (id != NULL)
    json_object_set_string_member (result, "id", id);
  else
    json_object_set_null_member (result, "id");
  json_object_set_array_member (result, "docs", g_steal_pointer (&docs));
  json_array_add_object_element (results, g_steal_pointer (&result));
  return TRUE;
}

static void
run_bulk_get (YunCloudJob *job,
              SyncRequest *request,
              YunDocStore *store)
{
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonObject) info = NULL;
  g_autoptr(JsonObject) reply = json_object_new ();
  g_autoptr(JsonArray) results = json_array_new ();
  g_autoptr(GError) error = NULL;
  YunDocStoreGetFlags flags = YUN_DOC_STORE_GET_NONE;
  gboolean revs;
  gboolean attachments;
  gboolean latest;
  JsonNode *docs;
  JsonArray *array;

  if (job->method != SOUP_METHOD_POST) {
    set_method_not_allowed (job, "POST");
    return;
  }

  /* latest=true asks for the newest leaf when a revision was superseded;
   * the rows then say "missing", and the replicator asks again. */
  if (!query_bool (job, "revs", &revs) || !query_bool (job, "attachments", &attachments) ||
      !query_bool (job, "latest", &latest))
    return;

  body = parse_body (job);
  if (body == NULL)
    return;

  docs = json_object_get_member (json_node_get_object (body), "docs");
  if (docs == NULL || !JSON_NODE_HOLDS_ARRAY (docs)) {
    set_bad_request (job, "docs: expected an array of {id, rev}, got %s",
                     docs != NULL ? yun_json_type_name (docs) : "nothing");
    return;
  }

  /* A missing database is one 404, not a "missing" per document. */
  info = yun_doc_store_get_db_info (store, request->db, &error);
  if (info == NULL) {
    set_store_error (job, error);
    return;
  }

  if (revs)
    flags |= YUN_DOC_STORE_GET_REVISIONS;
  if (attachments)
    flags |= YUN_DOC_STORE_GET_ATTACHMENTS;

  array = json_node_get_array (docs);
  for (guint i = 0; i < json_array_get_length (array); i++) {
    if (!bulk_get_one (job, request, store, json_array_get_element (array, i), i, flags, revs,
                       results))
      return;
  }

  json_object_set_array_member (reply, "results", g_steal_pointer (&results));
  yun_cloud_job_set_object (job, SOUP_STATUS_OK, reply);
}

/* With attachments=true or conflicts=true, _all_docs gives each document
 * as GET would; the store's listing has plain bodies, so read them again. */
static gboolean
enrich_all_docs (YunCloudJob          *job,
                 SyncRequest          *request,
                 YunDocStore          *store,
                 JsonArray            *rows,
                 YunDocStoreGetFlags   flags)
{
  if (flags == YUN_DOC_STORE_GET_NONE)
    return TRUE;

  for (guint i = 0; i < json_array_get_length (rows); i++) {
    JsonObject *row = json_array_get_object_element (rows, i);
    g_autoptr(GError) error = NULL;
    JsonObject *value;
    JsonObject *doc;

    if (!json_object_has_member (row, "doc") || json_object_get_null_member (row, "doc") ||
        !json_object_has_member (row, "value"))
      continue;

    value = json_object_get_object_member (row, "value");
    doc = yun_doc_store_get (store, request->db, json_object_get_string_member (row, "id"),
                             json_object_get_string_member (value, "rev"), flags, &error);
    if (doc == NULL) {
      set_store_error (job, error);
      return FALSE;
    }
    json_object_set_object_member (row, "doc", doc);
  }

  return TRUE;
}

/* One row of _all_docs?keys=..., as CouchDB gives it. */
static gboolean
all_docs_key_row (YunCloudJob *job,
                  SyncRequest *request,
                  YunDocStore *store,
                  JsonNode    *key,
                  gboolean     include_docs,
                  JsonArray   *rows)
{
  g_autoptr(JsonObject) row = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = NULL;
  const char *id;

  json_object_set_member (row, "key", json_node_copy (key));

  if (!JSON_NODE_HOLDS_VALUE (key) || json_node_get_value_type (key) != G_TYPE_STRING) {
    json_object_set_string_member (row, "error", "not_found");
    json_array_add_object_element (rows, g_steal_pointer (&row));
    return TRUE;
  }
  id = json_node_get_string (key);

  doc = yun_doc_store_get (store, request->db, id, NULL, YUN_DOC_STORE_GET_NONE, &error);
  if (doc != NULL) {
    g_autoptr(JsonObject) value = json_object_new ();

    json_object_set_string_member (row, "id", id);
    json_object_set_string_member (value, "rev", json_object_get_string_member (doc, "_rev"));
    json_object_set_object_member (row, "value", g_steal_pointer (&value));
    if (include_docs)
      json_object_set_object_member (row, "doc", g_steal_pointer (&doc));
  } else if (g_error_matches (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_NOT_FOUND) ||
             g_error_matches (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST)) {
    g_autoptr(JsonArray) leaves = NULL;
    g_autoptr(GError) leaves_error = NULL;

    /* A deleted document is listed with its tombstone. */
    if (error->code == YUN_DOC_STORE_ERROR_NOT_FOUND)
      leaves = yun_doc_store_get_open_revs (store, request->db, id, NULL,
                                            YUN_DOC_STORE_GET_NONE, &leaves_error);
    if (leaves != NULL && json_array_get_length (leaves) > 0) {
      JsonObject *winner = json_object_get_object_member (json_array_get_object_element (leaves, 0),
                                                          "ok");
      g_autoptr(JsonObject) value = json_object_new ();

      json_object_set_string_member (row, "id", id);
      json_object_set_string_member (value, "rev", json_object_get_string_member (winner, "_rev"));
      json_object_set_boolean_member (value, "deleted", TRUE);
      json_object_set_object_member (row, "value", g_steal_pointer (&value));
      if (include_docs)
        json_object_set_null_member (row, "doc");
    } else {
      json_object_set_string_member (row, "error", "not_found");
    }
  } else {
    set_store_error (job, error);
    return FALSE;
  }

  json_array_add_object_element (rows, g_steal_pointer (&row));
  return TRUE;
}

static void
run_all_docs (YunCloudJob *job,
              SyncRequest *request,
              YunDocStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) keys_query = NULL;
  g_autoptr(JsonNode) key_query = NULL;
  g_autofree char *start_key = NULL;
  g_autofree char *end_key = NULL;
  JsonNode *keys = NULL;
  YunDocStoreGetFlags flags = YUN_DOC_STORE_GET_NONE;
  gboolean include_docs;
  gboolean attachments;
  gboolean conflicts;
  gboolean descending;
  gboolean ok;
  guint64 limit = 0;
  guint64 skip = 0;
  const char *inclusive_end = yun_cloud_job_get_query (job, "inclusive_end");

  if (job->method != SOUP_METHOD_GET && job->method != SOUP_METHOD_HEAD &&
      job->method != SOUP_METHOD_POST) {
    set_method_not_allowed (job, "GET, HEAD, POST");
    return;
  }

  if (!query_bool (job, "include_docs", &include_docs) ||
      !query_bool (job, "attachments", &attachments) ||
      !query_bool (job, "conflicts", &conflicts) ||
      !query_bool (job, "descending", &descending) ||
      !query_uint (job, "limit", G_MAXUINT, &limit) ||
      !query_uint (job, "skip", G_MAXUINT, &skip) ||
      !query_json_string (job, "startkey", &start_key) ||
      !query_json_string (job, "start_key", &start_key) ||
      !query_json_string (job, "endkey", &end_key) ||
      !query_json_string (job, "end_key", &end_key))
    return;

  if (descending || skip > 0 || (inclusive_end != NULL && strcmp (inclusive_end, "true") != 0)) {
    set_bad_request (job, "descending, skip and inclusive_end=false are not supported");
    return;
  }

  if (include_docs && attachments)
    flags |= YUN_DOC_STORE_GET_ATTACHMENTS;
  if (include_docs && conflicts)
    flags |= YUN_DOC_STORE_GET_CONFLICTS;

  keys_query = query_json (job, "keys", &ok);
  if (!ok)
    return;
  key_query = query_json (job, "key", &ok);
  if (!ok)
    return;

  if (job->method == SOUP_METHOD_POST) {
    body = parse_body (job);
    if (body == NULL)
      return;
    keys = json_object_get_member (json_node_get_object (body), "keys");
  }
  if (keys == NULL)
    keys = keys_query;
  if (keys == NULL && key_query != NULL) {
    JsonArray *single = json_array_new ();

    json_array_add_element (single, json_node_copy (key_query));
    keys_query = json_node_init_array (json_node_alloc (), single);
    json_array_unref (single);
    g_clear_pointer (&key_query, json_node_unref);
    keys = keys_query;
  }

  if (keys != NULL) {
    g_autoptr(JsonObject) info = NULL;
    g_autoptr(JsonObject) reply = json_object_new ();
    g_autoptr(JsonArray) rows = json_array_new ();
    JsonArray *array;

    if (!JSON_NODE_HOLDS_ARRAY (keys)) {
      set_bad_request (job, "keys: expected an array of document ids, got %s",
                       yun_json_type_name (keys));
      return;
    }

    info = yun_doc_store_get_db_info (store, request->db, &error);
    if (info == NULL) {
      set_store_error (job, error);
      return;
    }

    array = json_node_get_array (keys);
    for (guint i = 0; i < json_array_get_length (array); i++) {
      if (limit > 0 && json_array_get_length (rows) >= limit)
        break;
      if (!all_docs_key_row (job, request, store, json_array_get_element (array, i), include_docs,
                             rows))
        return;
    }
    if (!enrich_all_docs (job, request, store, rows, flags))
      return;

    json_object_set_int_member (reply, "total_rows", json_object_get_int_member (info, "doc_count"));
    json_object_set_int_member (reply, "offset", 0);
    json_object_set_array_member (reply, "rows", g_steal_pointer (&rows));
    yun_cloud_job_set_object (job, SOUP_STATUS_OK, reply);
    return;
  }

  {
    g_autoptr(JsonObject) reply = NULL;

    if (yun_cloud_job_get_query (job, "limit") != NULL && limit == 0) {
      /* limit=0 gives the totals only; the store reads 0 as no limit. */
      reply = yun_doc_store_all_docs (store, request->db, start_key, end_key, 1, FALSE, &error);
      if (reply != NULL)
        json_object_set_array_member (reply, "rows", json_array_new ());
    } else {
      reply = yun_doc_store_all_docs (store, request->db, start_key, end_key, (guint) limit,
                                      include_docs, &error);
    }
    if (reply == NULL) {
      set_store_error (job, error);
      return;
    }
    if (!enrich_all_docs (job, request, store, json_object_get_array_member (reply, "rows"), flags))
      return;
    yun_cloud_job_set_object (job, SOUP_STATUS_OK, reply);
  }
}

static void
run_ensure_full_commit (YunCloudJob *job,
                        SyncRequest *request,
                        YunDocStore *store)
{
  g_autoptr(JsonObject) reply = json_object_new ();
  g_autoptr(JsonObject) info = NULL;
  g_autoptr(GError) error = NULL;

  if (job->method != SOUP_METHOD_POST) {
    set_method_not_allowed (job, "POST");
    return;
  }

  /* Every write is synced before it is answered; there is nothing to do
   * but say so, for the database that exists. */
  info = yun_doc_store_get_db_info (store, request->db, &error);
  if (info == NULL) {
    set_store_error (job, error);
    return;
  }

  json_object_set_boolean_member (reply, "ok", TRUE);
  json_object_set_string_member (reply, "instance_start_time", "0");
  yun_cloud_job_set_object (job, SOUP_STATUS_CREATED, reply);
}

/* Checks the body's _id against the URL's and sets it when missing. */
static gboolean
check_body_id (YunCloudJob *job,
               JsonObject  *doc,
               const char  *id)
{
  JsonNode *node = json_object_get_member (doc, "_id");

  if (node == NULL) {
    json_object_set_string_member (doc, "_id", id);
    return TRUE;
  }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
      strcmp (json_node_get_string (node), id) != 0) {
    set_bad_request (job, "Document id in the body must match the URL");
    return FALSE;
  }

  return TRUE;
}

/* Takes the revision from ?rev= or If-Match into the body, unless the body
 * has one; they must agree. */
static gboolean
merge_rev (YunCloudJob *job,
           JsonObject  *doc)
{
  g_autofree char *rev = unquote_etag (requested_rev (job));
  JsonNode *node = json_object_get_member (doc, "_rev");

  if (rev == NULL)
    return TRUE;

  if (node == NULL) {
    json_object_set_string_member (doc, "_rev", rev);
    return TRUE;
  }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
      strcmp (json_node_get_string (node), rev) != 0) {
    set_bad_request (job, "Document rev from request body and query string have different values");
    return FALSE;
  }

  return TRUE;
}

static void
run_local (YunCloudJob *job,
           SyncRequest *request,
           YunDocStore *store)
{
  g_autoptr(GError) error = NULL;

  if (job->method == SOUP_METHOD_GET || job->method == SOUP_METHOD_HEAD) {
    g_autoptr(JsonObject) doc = yun_doc_store_get_local (store, request->db, request->doc_id,
                                                         &error);

    if (doc == NULL) {
      set_store_error (job, error);
      return;
    }
    yun_cloud_job_set_object (job, SOUP_STATUS_OK, doc);
  } else if (job->method == SOUP_METHOD_PUT) {
    g_autoptr(JsonObject) doc = parse_doc_body (job);
    g_autofree char *rev = NULL;

    if (doc == NULL || !check_body_id (job, doc, request->doc_id) || !merge_rev (job, doc))
      return;
    rev = yun_doc_store_put_local (store, request->db, doc, &error);
    if (rev == NULL) {
      set_store_error (job, error);
      return;
    }
    set_ok_id_rev (job, SOUP_STATUS_CREATED, request->doc_id, rev);
  } else if (job->method == SOUP_METHOD_DELETE) {
    g_autofree char *rev = unquote_etag (requested_rev (job));

    if (!yun_doc_store_delete_local (store, request->db, request->doc_id, rev, &error)) {
      set_store_error (job, error);
      return;
    }
    set_ok_id_rev (job, SOUP_STATUS_OK, request->doc_id, "0-0");
  } else {
    set_method_not_allowed (job, "GET, HEAD, PUT, DELETE");
  }
}

static void
get_doc (YunCloudJob *job,
         SyncRequest *request,
         YunDocStore *store)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) atts_since = NULL;
  g_autoptr(JsonNode) open_revs = NULL;
  YunDocStoreGetFlags flags = YUN_DOC_STORE_GET_NONE;
  gboolean revs;
  gboolean attachments;
  gboolean conflicts;
  gboolean deleted_conflicts;
  gboolean meta;
  gboolean latest;
  gboolean revs_info;
  gboolean ok;

  if (!query_bool (job, "revs", &revs) || !query_bool (job, "attachments", &attachments) ||
      !query_bool (job, "conflicts", &conflicts) ||
      !query_bool (job, "deleted_conflicts", &deleted_conflicts) ||
      !query_bool (job, "meta", &meta) || !query_bool (job, "latest", &latest) ||
      !query_bool (job, "revs_info", &revs_info) || !query_atts_since (job, &atts_since))
    return;

  if (revs_info) {
    set_bad_request (job, "revs_info is not supported; use revs=true");
    return;
  }

  if (revs || atts_since != NULL)
    flags |= YUN_DOC_STORE_GET_REVISIONS;
  if (attachments || atts_since != NULL)
    flags |= YUN_DOC_STORE_GET_ATTACHMENTS;
  if (conflicts || meta)
    flags |= YUN_DOC_STORE_GET_CONFLICTS;
  if (deleted_conflicts || meta)
    flags |= YUN_DOC_STORE_GET_DELETED_CONFLICTS;

  if (yun_cloud_job_get_query (job, "open_revs") != NULL) {
    const char *text = yun_cloud_job_get_query (job, "open_revs");
    g_auto(GStrv) wanted = NULL;
    g_autoptr(JsonArray) rows = NULL;
    g_autoptr(JsonNode) reply = NULL;

    if (strcmp (text, "all") != 0) {
      open_revs = query_json (job, "open_revs", &ok);
      if (!ok)
        return;
      wanted = string_array (open_revs);
      if (wanted == NULL) {
        set_bad_request (job, "open_revs must be \"all\" or a JSON array of revisions");
        return;
      }
    }

    rows = yun_doc_store_get_open_revs (store, request->db, request->doc_id,
                                        (const char * const *) wanted, flags, &error);
    if (rows == NULL) {
      set_store_error (job, error);
      return;
    }
    for (guint i = 0; i < json_array_get_length (rows); i++) {
      JsonObject *row = json_array_get_object_element (rows, i);

      if (json_object_has_member (row, "ok"))
        apply_atts_since (json_object_get_object_member (row, "ok"),
                          (const char * const *) atts_since, revs);
    }
    reply = json_node_init_array (json_node_alloc (), rows);
    yun_cloud_job_set_json (job, SOUP_STATUS_OK, reply);
    return;
  }

  {
    g_autofree char *rev = g_strdup (yun_cloud_job_get_query (job, "rev"));
    g_autoptr(JsonObject) doc = yun_doc_store_get (store, request->db, request->doc_id, rev,
                                                   flags, &error);
    g_autofree char *etag = NULL;

    if (doc == NULL) {
      set_store_error (job, error);
      return;
    }
    apply_atts_since (doc, (const char * const *) atts_since, revs);
    etag = g_strdup_printf ("\"%s\"", json_object_get_string_member (doc, "_rev"));
    yun_cloud_job_set_object (job, SOUP_STATUS_OK, doc);
    yun_cloud_job_add_header (job, "ETag", etag);
  }
}

static void
run_doc (YunCloudJob *job,
         SyncRequest *request,
         YunDocStore *store)
{
  g_autoptr(GError) error = NULL;

  if (job->method == SOUP_METHOD_GET || job->method == SOUP_METHOD_HEAD) {
    get_doc (job, request, store);
  } else if (job->method == SOUP_METHOD_PUT) {
    g_autoptr(JsonObject) doc = parse_doc_body (job);
    g_autofree char *rev = NULL;
    const char *new_edits = yun_cloud_job_get_query (job, "new_edits");

    if (doc == NULL || !check_body_id (job, doc, request->doc_id) || !merge_rev (job, doc))
      return;

    if (new_edits != NULL && strcmp (new_edits, "false") == 0)
      rev = yun_doc_store_put_replicated (store, request->db, doc, &error);
    else if (new_edits == NULL || strcmp (new_edits, "true") == 0)
      rev = yun_doc_store_put (store, request->db, doc, NULL, &error);
    else {
      set_bad_request (job, "Query parameter \"new_edits\" must be true or false");
      return;
    }
    if (rev == NULL) {
      set_store_error (job, error);
      return;
    }
    request->changed = TRUE;
    set_ok_id_rev (job, SOUP_STATUS_CREATED, request->doc_id, rev);
  } else if (job->method == SOUP_METHOD_DELETE) {
    g_autofree char *rev = unquote_etag (requested_rev (job));
    g_autofree char *new_rev = NULL;

    new_rev = yun_doc_store_delete (store, request->db, request->doc_id, rev, &error);
    if (new_rev == NULL) {
      set_store_error (job, error);
      return;
    }
    request->changed = TRUE;
    set_ok_id_rev (job, SOUP_STATUS_OK, request->doc_id, new_rev);
  } else {
    set_method_not_allowed (job, "GET, HEAD, PUT, DELETE");
  }
}

static void
delete_attachment (YunCloudJob *job,
                   SyncRequest *request,
                   YunDocStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rev = unquote_etag (requested_rev (job));
  g_autoptr(JsonObject) doc = NULL;
  g_autofree char *new_rev = NULL;
  JsonObject *attachments = NULL;

  if (rev == NULL) {
    yun_cloud_job_set_error (job, SOUP_STATUS_CONFLICT, "conflict",
                             "Document update conflict: deleting an attachment needs the "
                             "document's current revision");
    return;
  }

  doc = yun_doc_store_get (store, request->db, request->doc_id, rev, YUN_DOC_STORE_GET_NONE,
                           &error);
  if (doc == NULL) {
    set_store_error (job, error);
    return;
  }

  if (json_object_has_member (doc, "_attachments"))
    attachments = json_object_get_object_member (doc, "_attachments");
  if (attachments == NULL || !json_object_has_member (attachments, request->attachment)) {
    yun_cloud_job_set_error (job, SOUP_STATUS_NOT_FOUND, "not_found",
                             "Document is missing attachment");
    return;
  }

  json_object_remove_member (attachments, request->attachment);
  if (json_object_get_size (attachments) == 0)
    json_object_remove_member (doc, "_attachments");

  new_rev = yun_doc_store_put (store, request->db, doc, NULL, &error);
  if (new_rev == NULL) {
    set_store_error (job, error);
    return;
  }
  request->changed = TRUE;
  set_ok_id_rev (job, SOUP_STATUS_OK, request->doc_id, new_rev);
}

static void
run_attachment (YunCloudJob *job,
                SyncRequest *request,
                YunDocStore *store)
{
  g_autoptr(GError) error = NULL;

  if (job->method == SOUP_METHOD_GET || job->method == SOUP_METHOD_HEAD) {
    g_autofree char *content_type = NULL;
    g_autoptr(GBytes) data = NULL;

    data = yun_doc_store_get_attachment (store, request->db, request->doc_id,
                                         yun_cloud_job_get_query (job, "rev"),
                                         request->attachment, &content_type, &error);
    if (data == NULL) {
      set_store_error (job, error);
      return;
    }
    yun_cloud_job_set_bytes (job, SOUP_STATUS_OK, content_type, data);
  } else if (job->method == SOUP_METHOD_PUT) {
    g_autofree char *rev = unquote_etag (requested_rev (job));
    g_autofree char *new_rev = NULL;
    const char *content_type = job->content_type;

    if (content_type == NULL || *content_type == '\0')
      content_type = "application/octet-stream";

    new_rev = yun_doc_store_put_attachment (store, request->db, request->doc_id, rev,
                                            request->attachment, content_type, job->body, &error);
    if (new_rev == NULL) {
      set_store_error (job, error);
      return;
    }
    request->changed = TRUE;
    set_ok_id_rev (job, SOUP_STATUS_CREATED, request->doc_id, new_rev);
  } else if (job->method == SOUP_METHOD_DELETE) {
    delete_attachment (job, request, store);
  } else {
    set_method_not_allowed (job, "GET, HEAD, PUT, DELETE");
  }
}

/* Runs on a worker thread. */
static void
sync_thread (YunCloudJob  *job,
             gpointer      data,
             GCancellable *cancellable)
{
  SyncRequest *request = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(YunDocStore) store = NULL;

  if (request->route == ROUTE_ROOT) {
    run_root (job, request);
    return;
  }

  /* A longpoll that woke up knows its user already. */
  if (request->user == NULL) {
    request->user = yun_cloud_auth_authenticate (request->auth, job->authorization, &error);
    if (request->user == NULL) {
      if (error->domain == YUN_CLOUD_AUTH_ERROR)
        set_unauthorized (job, error->message);
      else
        set_internal_error (job, error);
      return;
    }
  }

  store = user_stores_get (request->stores, request->user, &error);
  if (store == NULL) {
    set_internal_error (job, error);
    return;
  }

  switch (request->route) {
  case ROUTE_ALL_DBS:
    run_all_dbs (job, request, store);
    break;
  case ROUTE_DB:
    run_db (job, request, store);
    break;
  case ROUTE_CHANGES:
    run_changes (job, request, store);
    break;
  case ROUTE_REVS_DIFF:
    run_revs_diff (job, request, store);
    break;
  case ROUTE_BULK_DOCS:
    run_bulk_docs (job, request, store);
    break;
  case ROUTE_BULK_GET:
    run_bulk_get (job, request, store);
    break;
  case ROUTE_ALL_DOCS:
    run_all_docs (job, request, store);
    break;
  case ROUTE_ENSURE_FULL_COMMIT:
    run_ensure_full_commit (job, request, store);
    break;
  case ROUTE_LOCAL:
    run_local (job, request, store);
    break;
  case ROUTE_DOC:
    run_doc (job, request, store);
    break;
  case ROUTE_ATTACHMENT:
    run_attachment (job, request, store);
    break;
  case ROUTE_ROOT:
  default:
    g_assert_not_reached ();
  }
}

/* Longpoll, on the main thread. */

static void on_sync_done (YunCloudJob *job,
                          gpointer     user_data);

static char *
waiter_key (const char *user,
            const char *db)
{
  return g_strconcat (user, "\n", db, NULL);
}

static guint64
key_generation (YunCloudSyncApi *self,
                const char      *key)
{
  guint64 *generation = g_hash_table_lookup (self->generations, key);

  return generation != NULL ? *generation : 0;
}

static void
dispatch (YunCloudSyncApi *self,
          YunCloudJob     *job)
{
  SyncRequest *request = yun_cloud_job_get_data (job);

  /* What a later change is measured against: a first run does not know
   * its user yet, so it compares with every write. */
  request->key_known = request->key != NULL;
  request->generation = request->key_known ? key_generation (self, request->key)
                                           : self->generation;
  yun_cloud_job_run (job, sync_thread, on_sync_done, self);
}

static void
remove_waiter (YunCloudSyncApi *self,
               YunCloudJob     *job)
{
  SyncRequest *request = yun_cloud_job_get_data (job);
  GPtrArray *waiting = g_hash_table_lookup (self->waiters, request->key);

  if (waiting == NULL)
    return;

  g_ptr_array_remove_fast (waiting, job);
  if (waiting->len == 0)
    g_hash_table_remove (self->waiters, request->key);
}

static gboolean
on_longpoll_timeout (gpointer user_data)
{
  YunCloudJob *job = user_data;
  SyncRequest *request = yun_cloud_job_get_data (job);

  request->timeout_id = 0;
  remove_waiter (request->api, job);

  /* The reply is the empty feed the last run found. */
  if (yun_cloud_job_is_cancelled (job))
    yun_cloud_job_free (job);
  else
    yun_cloud_job_respond (job);

  return G_SOURCE_REMOVE;
}

static void
notify_change (YunCloudSyncApi *self,
               const char      *user,
               const char      *db)
{
  g_autofree char *key = waiter_key (user, db);
  g_autofree char *stolen_key = NULL;
  g_autoptr(GPtrArray) waiting = NULL;
  guint64 *generation = g_hash_table_lookup (self->generations, key);

  self->generation++;
  if (generation == NULL) {
    generation = g_new0 (guint64, 1);
    g_hash_table_insert (self->generations, g_strdup (key), generation);
  }
  (*generation)++;

  if (!g_hash_table_steal_extended (self->waiters, key, (gpointer *) &stolen_key,
                                   (gpointer *) &waiting))
    return;

  for (guint i = 0; i < waiting->len; i++) {
    YunCloudJob *job = g_ptr_array_index (waiting, i);
    SyncRequest *request = yun_cloud_job_get_data (job);

    g_clear_handle_id (&request->timeout_id, g_source_remove);
    if (yun_cloud_job_is_cancelled (job))
      yun_cloud_job_free (job);
    else
      dispatch (self, job);
  }
}

static void
on_sync_done (YunCloudJob *job,
              gpointer     user_data)
{
  YunCloudSyncApi *self = YUN_CLOUD_SYNC_API (user_data);
  SyncRequest *request = yun_cloud_job_get_data (job);
  gint64 now = g_get_monotonic_time ();
  gboolean stale;
  GPtrArray *waiting;

  if (request->changed) {
    request->changed = FALSE;
    notify_change (self, request->user, request->db);
  }

  if (!request->no_changes) {
    yun_cloud_job_respond (job);
    return;
  }

  request->no_changes = FALSE;
  if (request->key == NULL) {
    request->key = waiter_key (request->user, request->db);
    request->deadline = now + (gint64) request->wait_ms * 1000;
  }

  if (now >= request->deadline) {
    yun_cloud_job_respond (job);
    return;
  }

  /* A write that finished while the feed was read may not be in it: look
   * again rather than wait for a change that already happened. */
  stale = request->key_known ? key_generation (self, request->key) != request->generation
                             : self->generation != request->generation;
  if (stale) {
    dispatch (self, job);
    return;
  }

  waiting = g_hash_table_lookup (self->waiters, request->key);
  if (waiting == NULL) {
    waiting = g_ptr_array_new ();
    g_hash_table_insert (self->waiters, g_strdup (request->key), waiting);
  }
  g_ptr_array_add (waiting, job);
  request->timeout_id = g_timeout_add ((guint) ((request->deadline - now + 999) / 1000),
                                       on_longpoll_timeout, job);
}

/* Routing, on the main thread. */

static char *
unescape (const char *start,
          const char *end)
{
  char *text = g_uri_unescape_segment (start, end, NULL);

  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    g_clear_pointer (&text, g_free);

  return text;
}

/* Splits a path under /sync into its route, database, document and
 * attachment; FALSE if an escape is malformed. */
static gboolean
parse_path (const char  *path,
            SyncRequest *request)
{
  const char *rest = path + strlen ("/sync");
  const char *db_end;
  const char *first_end;
  g_autofree char *first = NULL;
  static const struct {
    const char *name;
    Route       route;
  } special[] = {
    { "_changes", ROUTE_CHANGES },
    { "_revs_diff", ROUTE_REVS_DIFF },
    { "_bulk_docs", ROUTE_BULK_DOCS },
    { "_bulk_get", ROUTE_BULK_GET },
    { "_all_docs", ROUTE_ALL_DOCS },
    { "_ensure_full_commit", ROUTE_ENSURE_FULL_COMMIT },
  };

  if (*rest == '\0' || strcmp (rest, "/") == 0) {
    request->route = ROUTE_ROOT;
    return TRUE;
  }

  g_assert (*rest == '/');
  rest++;

  db_end = strchr (rest, '/');
  request->db = unescape (rest, db_end);
  if (request->db == NULL)
    return FALSE;

  if (db_end == NULL || db_end[1] == '\0') {
    request->route = strcmp (request->db, "_all_dbs") == 0 ? ROUTE_ALL_DBS : ROUTE_DB;
    return TRUE;
  }

  rest = db_end + 1;
  first_end = strchr (rest, '/');
  first = unescape (rest, first_end);
  if (first == NULL)
    return FALSE;

  if (first_end == NULL || first_end[1] == '\0') {
    for (guint i = 0; i < G_N_ELEMENTS (special); i++) {
      if (strcmp (first, special[i].name) == 0) {
        request->route = special[i].route;
        return TRUE;
      }
    }
    request->route = g_str_has_prefix (first, "_local/") ? ROUTE_LOCAL : ROUTE_DOC;
    request->doc_id = g_steal_pointer (&first);
    return TRUE;
  }

  rest = first_end + 1;

  /* _local/<id> and _design/<name> may have a plain slash. */
  if (strcmp (first, "_local") == 0) {
    g_autofree char *id = unescape (rest, NULL);

    if (id == NULL)
      return FALSE;
    request->route = ROUTE_LOCAL;
    request->doc_id = g_strconcat ("_local/", id, NULL);
    return TRUE;
  }

  if (strcmp (first, "_design") == 0) {
    const char *name_end = strchr (rest, '/');
    g_autofree char *name = unescape (rest, name_end);

    if (name == NULL)
      return FALSE;
    request->doc_id = g_strconcat ("_design/", name, NULL);
    if (name_end == NULL || name_end[1] == '\0') {
      request->route = ROUTE_DOC;
      return TRUE;
    }
    rest = name_end + 1;
  } else {
    request->doc_id = g_steal_pointer (&first);
  }

  request->attachment = unescape (rest, NULL);
  if (request->attachment == NULL)
    return FALSE;
  request->route = ROUTE_ATTACHMENT;
  return TRUE;
}

/**
 * yun_cloud_sync_api_handle:
 * @self: a #YunCloudSyncApi
 * @msg: a request for `/sync` or a path under `/sync/`
 * @path: its path, not decoded
 * @query: (nullable) (element-type utf8 utf8): its query
 *
 * Answers a sync route; the work happens on a worker thread while @msg is
 * paused.
 */
void
yun_cloud_sync_api_handle (YunCloudSyncApi   *self,
                           SoupServerMessage *msg,
                           const char        *path,
                           GHashTable        *query)
{
  SyncRequest *request;
  YunCloudJob *job;

  g_return_if_fail (YUN_IS_CLOUD_SYNC_API (self));
  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));
  g_return_if_fail (g_str_has_prefix (path, "/sync"));

  /* No route takes OPTIONS; a CORS preflight from an allowed origin was
   * answered before this. */
  if (soup_server_message_get_method (msg) == SOUP_METHOD_OPTIONS) {
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                  "GET, HEAD, POST, PUT, DELETE");
    yun_cloud_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                             "OPTIONS is only answered to CORS preflights from allowed origins");
    return;
  }

  request = g_new0 (SyncRequest, 1);
  request->api = self;
  request->auth = g_object_ref (self->auth);
  request->stores = g_atomic_rc_box_acquire (self->stores);

  if (!parse_path (path, request)) {
    sync_request_free (request);
    yun_cloud_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                             "The path has a malformed %-escape or one that is not UTF-8");
    return;
  }

  job = yun_cloud_job_new (msg, query, self->jobs);
  yun_cloud_job_set_data (job, request, (GDestroyNotify) sync_request_free);
  dispatch (self, job);
}

static void
yun_cloud_sync_api_dispose (GObject *object)
{
  YunCloudSyncApi *self = YUN_CLOUD_SYNC_API (object);

  /* Waiting longpolls belong to us: free them.  Running jobs are freed by
   * their callbacks, which see them cancelled and leave us alone. */
  if (self->waiters != NULL) {
    GHashTableIter iter;
    GPtrArray *waiting;

    g_hash_table_iter_init (&iter, self->waiters);
    while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &waiting)) {
      /* Freeing takes each out of the set of jobs in flight too. */
      for (guint i = 0; i < waiting->len; i++)
        yun_cloud_job_free (g_ptr_array_index (waiting, i));
    }
  }
  g_clear_pointer (&self->waiters, g_hash_table_unref);

  if (self->jobs != NULL)
    yun_cloud_job_cancel_all (self->jobs);
  g_clear_pointer (&self->jobs, g_hash_table_unref);

  G_OBJECT_CLASS (yun_cloud_sync_api_parent_class)->dispose (object);
}

static void
yun_cloud_sync_api_finalize (GObject *object)
{
  YunCloudSyncApi *self = YUN_CLOUD_SYNC_API (object);

  g_clear_object (&self->auth);
  g_clear_pointer (&self->stores, user_stores_unref);
  g_clear_pointer (&self->generations, g_hash_table_unref);

  G_OBJECT_CLASS (yun_cloud_sync_api_parent_class)->finalize (object);
}

static void
yun_cloud_sync_api_class_init (YunCloudSyncApiClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = yun_cloud_sync_api_dispose;
  object_class->finalize = yun_cloud_sync_api_finalize;
}

static void
yun_cloud_sync_api_init (YunCloudSyncApi *self)
{
  self->jobs = g_hash_table_new (NULL, NULL);
  self->waiters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
  self->generations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * yun_cloud_sync_api_new:
 * @auth: how requests are authenticated
 * @users_dir: (type filename): the folder of the users' document stores,
 *   created when the first one is opened
 *
 * Returns: (transfer full): a new #YunCloudSyncApi
 */
YunCloudSyncApi *
yun_cloud_sync_api_new (YunCloudAuth *auth,
                        const char   *users_dir)
{
  YunCloudSyncApi *self;

  g_return_val_if_fail (YUN_IS_CLOUD_AUTH (auth), NULL);
  g_return_val_if_fail (users_dir != NULL, NULL);

  self = g_object_new (YUN_TYPE_CLOUD_SYNC_API, NULL);
  self->auth = g_object_ref (auth);
  self->stores = user_stores_new (users_dir);

  return self;
}
