/* yun-cloud-server.c: the embedded HTTP server of yun-cloud
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "yun-cloud-server.h"

#include "yun-app-id.h"
#include "yun-cloud-accounts.h"
#include "yun-cloud-apps.h"
#include "yun-cloud-auth.h"
#include "yun-cloud-cors.h"
#include "yun-cloud-job.h"
#include "yun-cloud-sync-api.h"
#include "yun-cloud-portal.h"
#include "yun-cloud-shares.h"
#include "yun-web-files.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include <errno.h>
#include <string.h>

/**
 * YunCloudServer:
 *
 * The HTTP server of yun-cloud.
 *
 * For now it hosts the built-in web apps: `/apps/<id>/<path>` serves
 * `<webapps>/<id>/<path>` and `/apps/` lists the apps that have a
 * `manifest.json`. Paths are decoded and checked by yun_web_files_split_path ()
 * rather than by libsoup, so that an encoded slash or dot can never name a
 * file outside the app's folder, and looked up by yun_web_files_open_async (),
 * which never follows a symbolic link.
 *
 * Files are looked up and read in a worker thread while the message is
 * paused, so a slow disk or a big file never stalls the main loop.
 */

/* Files are read into memory whole, so a bigger one is refused rather than
 * letting a single request pin that much memory. */
#define MAX_FILE_SIZE ((goffset) 64 * 1024 * 1024)

#define APPS_PATH "/apps"
#define APPS_PREFIX APPS_PATH "/"
#define SYNC_PATH "/sync"
#define ACCOUNTS_PATH "/accounts"
/* Set on a message whose chunked body grew past its route's limit. */
#define TOO_LARGE_KEY "yun-cloud-too-large"

enum {
  PROP_0,
  PROP_WEBAPPS_DIR,
  PROP_DATA_DIR,
  PROP_URL,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

struct _YunCloudServer {
  GObject     parent_instance;

  char       *webapps_dir;
  char       *data_dir;
  char       *url;
  SoupServer *server;
  /* The PendingRequests in flight, to cancel in dispose. */
  GHashTable *pending;

  /* Accounts and the CouchDB sync API, under /accounts and /sync. */
  YunCloudAccounts *accounts;
  YunCloudAuth     *auth;
  YunCloudSyncApi  *sync_api;
  /* Share links under /accounts/shares and /s. */
  YunCloudShares   *shares;
  YunCloudCors     *cors;

  /* The cloud apps' back ends, under /api. */
  YunCloudApps     *apps;
};

static void yun_cloud_server_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (YunCloudServer, yun_cloud_server, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      yun_cloud_server_initable_iface_init))

G_DEFINE_QUARK (yun-cloud-server-error-quark, yun_cloud_server_error)

/* A request whose answer needs the disk. The message stays paused while a
 * worker thread looks at the files. The client going away or the server
 * being disposed cancels it; after that neither the message nor the server
 * may be touched again.
 *
 * The worker's GTask has no source object on purpose (see
 * yun_web_files_open_async ()): the server must neither be finalized on a
 * worker thread nor outlive its owner because a file was still being read. */
typedef struct {
  YunCloudServer    *self;
  SoupServerMessage *msg;
  GCancellable      *cancellable;
  gulong             disconnected_id;
  const char        *content_type;
  char              *location;
} PendingRequest;

static void
on_message_disconnected (SoupServerMessage *msg,
                         gpointer           user_data)
{
  GCancellable *cancellable = G_CANCELLABLE (user_data);

  g_debug ("Client went away, dropping its request for %s",
           g_uri_get_path (soup_server_message_get_uri (msg)));
  g_cancellable_cancel (cancellable);
}

static PendingRequest *
pending_request_new (YunCloudServer    *self,
                     SoupServerMessage *msg)
{
  PendingRequest *request = g_new0 (PendingRequest, 1);

  request->self = self;
  request->msg = g_object_ref (msg);
  request->cancellable = g_cancellable_new ();
  request->disconnected_id = g_signal_connect (msg, "disconnected",
                                               G_CALLBACK (on_message_disconnected),
                                               request->cancellable);
  soup_server_message_pause (msg);
  g_hash_table_add (self->pending, request);

  return request;
}

static void
pending_request_free (PendingRequest *request)
{
  if (request->self != NULL)
    g_hash_table_remove (request->self->pending, request);

  g_clear_signal_handler (&request->disconnected_id, request->msg);
  g_clear_object (&request->msg);
  g_clear_object (&request->cancellable);
  g_free (request->location);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PendingRequest, pending_request_free)

static void
respond_text (SoupServerMessage *msg,
              guint              status,
              const char        *text)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_server_message_set_response (msg, "text/plain; charset=utf-8",
                                    SOUP_MEMORY_COPY, text, strlen (text));
}

/* Whether the first segment of @rest decodes to a name that is not an app
 * id. */
static gboolean
starts_with_other_name (const char *rest)
{
  g_autofree char *raw_id = g_strndup (rest, strcspn (rest, "/"));
  g_auto(GStrv) id = NULL;

  return yun_web_files_split_path (raw_id, &id, NULL) && !yun_app_id_is_valid (id[0]);
}

/* Answers a path below /apps/, @rest, that yun_web_files_split_path ()
 * refused: a bad encoding is a 400 and anything else a 404, except that
 * under a name that is not an app id nothing is found, however the rest
 * of the path is encoded. */
static void
respond_path_error (SoupServerMessage *msg,
                    const char        *rest,
                    const GError      *error)
{
  if (g_error_matches (error, YUN_WEB_FILES_ERROR, YUN_WEB_FILES_ERROR_BAD_ENCODING) &&
      !starts_with_other_name (rest))
    respond_text (msg, SOUP_STATUS_BAD_REQUEST, "Bad request\n");
  else
    respond_text (msg, SOUP_STATUS_NOT_FOUND, "Not found\n");
}

static void
respond_open_error (SoupServerMessage *msg,
                    const GError      *error)
{
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));

  if (g_error_matches (error, YUN_WEB_FILES_ERROR, YUN_WEB_FILES_ERROR_NOT_FOUND)) {
    g_debug ("Not serving %s: %s", path, error->message);
    respond_text (msg, SOUP_STATUS_NOT_FOUND, "Not found\n");
  } else if (g_error_matches (error, YUN_WEB_FILES_ERROR, YUN_WEB_FILES_ERROR_TOO_LARGE)) {
    g_message ("Not serving %s: %s", path, error->message);
    respond_text (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "File too large to serve\n");
  } else {
    /* Unreadable files are a problem with the installation, not with the
     * request, so the operator hears about it. */
    g_warning ("Could not serve %s: %s", path, error->message);
    respond_text (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "Internal server error\n");
  }
}

/* Answers with a file's @contents, or for HEAD (no @contents) with only
 * the @size it would have. */
static void
respond_file (SoupServerMessage *msg,
              const char        *content_type,
              goffset            size,
              GBytes            *contents)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (headers, "Content-Type", content_type);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");

  if (contents != NULL) {
    /* libsoup refuses an empty chunk; an empty file's body is empty as is. */
    if (g_bytes_get_size (contents) > 0)
      soup_message_body_append_bytes (soup_server_message_get_response_body (msg), contents);
  } else {
    /* HEAD: there is no body to count, so say how long it would be. */
    soup_message_headers_set_content_length (headers, size);
  }
}

static int
compare_app_ids (gconstpointer a,
                 gconstpointer b)
{
  const char * const *id_a = a;
  const char * const *id_b = b;

  return strcmp (*id_a, *id_b);
}

/* Runs in a worker thread: the sorted ids of the folders under the web apps
 * folder that are real folders (not symlinks), have a valid id for a name
 * and hold a regular manifest.json. */
static void
list_apps_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  const char *webapps_dir = task_data;
  g_autoptr(GFile) root = g_file_new_for_path (webapps_dir);
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;

  enumerator = g_file_enumerate_children (root,
                                          G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                          G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                          G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                          cancellable, &error);
  if (enumerator == NULL) {
    g_task_return_error (task, error);
    return;
  }

  for (;;) {
    GFileInfo *info;
    GFile *child;
    const char *name;
    g_autoptr(GFile) manifest = NULL;
    g_autoptr(GFileInfo) manifest_info = NULL;

    if (!g_file_enumerator_iterate (enumerator, &info, &child, cancellable, &error)) {
      g_task_return_error (task, error);
      return;
    }

    if (info == NULL)
      break;

    name = g_file_info_get_name (info);
    if (g_file_info_get_file_type (info) != G_FILE_TYPE_DIRECTORY ||
        !yun_app_id_is_valid (name))
      continue;

    /* A folder without a readable manifest is not an app; skip it quietly. */
    manifest = g_file_get_child (child, "manifest.json");
    manifest_info = g_file_query_info (manifest, G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                       G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                       cancellable, NULL);
    if (manifest_info != NULL &&
        g_file_info_get_file_type (manifest_info) == G_FILE_TYPE_REGULAR)
      g_ptr_array_add (ids, g_strdup (name));
  }

  g_ptr_array_sort (ids, compare_app_ids);
  g_task_return_pointer (task, g_steal_pointer (&ids), (GDestroyNotify) g_ptr_array_unref);
}

static void
list_apps_async (const char          *webapps_dir,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_assert (webapps_dir != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, list_apps_async);
  g_task_set_task_data (task, g_strdup (webapps_dir), g_free);
  g_task_run_in_thread (task, list_apps_thread);
}

static GPtrArray *
list_apps_finish (GAsyncResult  *result,
                  GError       **error)
{
  g_assert (g_task_is_valid (result, NULL));
  g_assert (g_task_get_source_tag (G_TASK (result)) == list_apps_async);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static char *
build_app_list (YunCloudServer *self,
                GPtrArray      *ids,
                gsize          *out_length)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_assert (self->url != NULL);

  json_builder_begin_array (builder);

  for (guint i = 0; i < ids->len; i++) {
    const char *id = g_ptr_array_index (ids, i);
    g_autofree char *manifest_url = NULL;

    /* App ids only hold [a-z0-9._-], which need no escaping in a URL. */
    manifest_url = g_strconcat (self->url, "apps/", id, "/manifest.json", NULL);

    json_builder_begin_object (builder);
    json_builder_set_member_name (builder, "id");
    json_builder_add_string_value (builder, id);
    json_builder_set_member_name (builder, "manifest_url");
    json_builder_add_string_value (builder, manifest_url);
    json_builder_end_object (builder);
  }

  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, out_length);
}

static void
on_list_apps_ready (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PendingRequest) request = user_data;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  YunCloudServer *self;
  SoupMessageHeaders *headers;
  char *json;
  gsize length;

  ids = list_apps_finish (result, &error);

  /* The client or the server went away: leave both alone. */
  if (g_cancellable_is_cancelled (request->cancellable))
    return;

  self = request->self;

  if (ids == NULL) {
    g_warning ("Could not list the web apps in %s: %s", self->webapps_dir, error->message);
    respond_text (request->msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "Internal server error\n");
    soup_server_message_unpause (request->msg);
    return;
  }

  json = build_app_list (self, ids, &length);
  headers = soup_server_message_get_response_headers (request->msg);
  soup_server_message_set_status (request->msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  soup_server_message_set_response (request->msg, "application/json",
                                    SOUP_MEMORY_TAKE, json, length);
  soup_server_message_unpause (request->msg);
}

/* Answers a request whose files were looked up: with a redirect to the
 * app's folder when the request carries a location, else with the file. */
static void
on_open_ready (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PendingRequest) request = user_data;
  g_autoptr(GBytes) contents = NULL;
  g_autoptr(GError) error = NULL;
  goffset size = 0;
  gboolean found;

  found = yun_web_files_open_finish (result, &size, &contents, NULL, &error);

  if (g_cancellable_is_cancelled (request->cancellable))
    return;

  if (!found)
    respond_open_error (request->msg, error);
  else if (request->location != NULL)
    soup_server_message_set_redirect (request->msg, SOUP_STATUS_MOVED_PERMANENTLY,
                                      request->location);
  else
    respond_file (request->msg, request->content_type, size, contents);

  soup_server_message_unpause (request->msg);
}

static void
handle_apps (YunCloudServer    *self,
             SoupServerMessage *msg,
             const char        *rest)
{
  g_auto(GStrv) components = NULL;
  g_autoptr(GError) error = NULL;
  PendingRequest *request;
  YunWebFilesMode mode;

  if (*rest == '\0') {
    request = pending_request_new (self, msg);
    list_apps_async (self->webapps_dir, request->cancellable, on_list_apps_ready, request);
    return;
  }

  /* The first component is the app id, the others the path in its folder. */
  if (!yun_web_files_split_path (rest, &components, &error)) {
    respond_path_error (msg, rest, error);
    return;
  }

  if (!yun_app_id_is_valid (components[0])) {
    respond_text (msg, SOUP_STATUS_NOT_FOUND, "Not found\n");
    return;
  }

  request = pending_request_new (self, msg);

  if (components[1] == NULL) {
    /* An app id with no slash after it. Only redirect to an app that
     * exists, so that a typo or a path that libsoup normalised (say
     * /apps/hello/../secret) ends in a 404 rather than a redirect to one.
     * The id is a valid app id, so it is safe in a header as is. */
    request->location = g_strconcat (APPS_PREFIX, components[0], "/", NULL);
    yun_web_files_open_async (self->webapps_dir, (const char * const *) components,
                              YUN_WEB_FILES_MODE_DIRECTORY, 0, MAX_FILE_SIZE,
                              request->cancellable, on_open_ready, request);
    return;
  }

  if (soup_server_message_get_method (msg) == SOUP_METHOD_HEAD)
    mode = YUN_WEB_FILES_MODE_INFO;
  else
    mode = YUN_WEB_FILES_MODE_CONTENTS;

  request->content_type =
    yun_web_files_content_type (components[g_strv_length (components) - 1]);
  yun_web_files_open_async (self->webapps_dir, (const char * const *) components,
                            mode, 0, MAX_FILE_SIZE,
                            request->cancellable, on_open_ready, request);
}

/* Whether @path is @prefix or below it. */
static gboolean
path_is_under (const char *path,
               const char *prefix)
{
  gsize length = strlen (prefix);

  return strncmp (path, prefix, length) == 0 && (path[length] == '\0' || path[length] == '/');
}

/* The largest body a route accepts, or -1 for routes that take none of
 * ours. */
static goffset
max_body_for_path (const char *path)
{
  if (path_is_under (path, SYNC_PATH))
    return YUN_CLOUD_SYNC_API_MAX_BODY;
  if (path_is_under (path, ACCOUNTS_PATH))
    return YUN_CLOUD_AUTH_MAX_BODY;
  /* The shared pages and the portal take no body. */
  if (path_is_under (path, YUN_CLOUD_SHARES_PAGE_PATH) ||
      path_is_under (path, YUN_CLOUD_PORTAL_PATH))
    return 0;
  return -1;
}

static void
respond_too_large (SoupServerMessage *msg)
{
  /* The rest of the body is read and dropped; the connection then closes
   * rather than carrying on after a client that would not stop. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Connection", "close");
  yun_cloud_respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                           "The request body is larger than this route accepts");
}

static void
on_request_chunk (SoupServerMessage *msg,
                  GBytes            *chunk,
                  gpointer           user_data)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  goffset max_body = GPOINTER_TO_SIZE (user_data);

  if (body->length > max_body && g_object_get_data (G_OBJECT (msg), TOO_LARGE_KEY) == NULL) {
    g_object_set_data (G_OBJECT (msg), TOO_LARGE_KEY, GINT_TO_POINTER (TRUE));
    soup_message_body_set_accumulate (body, FALSE);
  }
}

/* Runs once the headers are read, before the body: answers CORS
 * preflights, adds CORS headers, and refuses bodies over the route's
 * limit without keeping them. */
static void
on_early_request (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  YunCloudServer *self = YUN_CLOUD_SERVER (user_data);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  goffset max_body = max_body_for_path (path);

  /* libsoup closes such a connection after the answer without saying so,
   * and a client that pools connections (Node's, since version 19) then
   * sends its next request into the closing socket.  Say it. */
  if (soup_message_headers_header_contains (headers, "Connection", "close"))
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "Connection", "close");

  if (max_body < 0)
    return;

  if (yun_cloud_cors_preflight (self->cors, msg))
    return;
  yun_cloud_cors_decorate (self->cors, msg);

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > max_body) {
    soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
    respond_too_large (msg);
    return;
  }

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED)
    g_signal_connect (msg, "got-chunk", G_CALLBACK (on_request_chunk),
                      GSIZE_TO_POINTER ((gsize) max_body));
}

static void
on_server_request (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  YunCloudServer *self = YUN_CLOUD_SERVER (user_data);
  const char *method = soup_server_message_get_method (msg);

  if (max_body_for_path (path) >= 0 && g_object_get_data (G_OBJECT (msg), TOO_LARGE_KEY) != NULL) {
    respond_too_large (msg);
    return;
  }

  if (path_is_under (path, SYNC_PATH)) {
    yun_cloud_sync_api_handle (self->sync_api, msg, path, query);
    return;
  }

  if (path_is_under (path, YUN_CLOUD_SHARES_API_PATH)) {
    yun_cloud_shares_handle_api (self->shares, msg, path, query);
    return;
  }

  if (path_is_under (path, YUN_CLOUD_SHARES_PAGE_PATH)) {
    yun_cloud_shares_handle_page (self->shares, msg, path, query);
    return;
  }

  if (path_is_under (path, YUN_CLOUD_PORTAL_PATH)) {
    yun_cloud_portal_handle (msg, path);
    return;
  }

  if (path_is_under (path, ACCOUNTS_PATH)) {
    yun_cloud_auth_handle (self->auth, msg, path, query);
    return;
  }

  if (!g_str_equal (path, APPS_PATH) && !g_str_has_prefix (path, APPS_PREFIX)) {
    respond_text (msg, SOUP_STATUS_NOT_FOUND, "Not found\n");
    return;
  }

  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD) {
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "Allow", "GET, HEAD");
    respond_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method not allowed\n");
    return;
  }

  if (g_str_equal (path, APPS_PATH)) {
    soup_server_message_set_redirect (msg, SOUP_STATUS_MOVED_PERMANENTLY, APPS_PREFIX);
    return;
  }

  handle_apps (self, msg, path + strlen (APPS_PREFIX));
}

static void
yun_cloud_server_get_property (GObject    *object,
                               guint       property_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  YunCloudServer *self = YUN_CLOUD_SERVER (object);

  switch (property_id) {
  case PROP_WEBAPPS_DIR:
    g_value_set_string (value, self->webapps_dir);
    break;
  case PROP_DATA_DIR:
    g_value_set_string (value, self->data_dir);
    break;
  case PROP_URL:
    g_value_set_string (value, self->url);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, property_id, pspec);
  }
}

static void
yun_cloud_server_set_property (GObject      *object,
                               guint         property_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  YunCloudServer *self = YUN_CLOUD_SERVER (object);

  switch (property_id) {
  case PROP_WEBAPPS_DIR:
    g_assert (self->webapps_dir == NULL);
    self->webapps_dir = g_value_dup_string (value);
    break;
  case PROP_DATA_DIR:
    g_assert (self->data_dir == NULL);
    self->data_dir = g_value_dup_string (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, property_id, pspec);
  }
}

static void
yun_cloud_server_dispose (GObject *object)
{
  YunCloudServer *self = YUN_CLOUD_SERVER (object);
  GHashTableIter iter;
  PendingRequest *request;

  /* Cancel first: the callbacks of requests still in flight then leave the
   * server alone, and they no longer remove themselves from the table. */
  if (self->pending != NULL) {
    g_hash_table_iter_init (&iter, self->pending);
    while (g_hash_table_iter_next (&iter, (gpointer *) &request, NULL)) {
      g_cancellable_cancel (request->cancellable);
      request->self = NULL;
    }
  }
  g_clear_pointer (&self->pending, g_hash_table_unref);

  /* Their jobs in flight hold references; disposing cancels them. */
  if (self->apps != NULL)
    g_object_run_dispose (G_OBJECT (self->apps));
  g_clear_object (&self->apps);
  if (self->sync_api != NULL)
    g_object_run_dispose (G_OBJECT (self->sync_api));
  g_clear_object (&self->sync_api);
  if (self->shares != NULL)
    g_object_run_dispose (G_OBJECT (self->shares));
  g_clear_object (&self->shares);
  if (self->auth != NULL)
    g_object_run_dispose (G_OBJECT (self->auth));
  g_clear_object (&self->auth);
  g_clear_object (&self->accounts);

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (yun_cloud_server_parent_class)->dispose (object);
}

static void
yun_cloud_server_finalize (GObject *object)
{
  YunCloudServer *self = YUN_CLOUD_SERVER (object);

  g_clear_pointer (&self->webapps_dir, g_free);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->cors, yun_cloud_cors_free);

  G_OBJECT_CLASS (yun_cloud_server_parent_class)->finalize (object);
}

/* Opens the accounts (data/accounts.sqlite) and sets up the sync API on
 * the users' document stores (data/users/<name>.sqlite).  Opening one
 * small SQLite file at start-up is the only disk work on the main thread. */
static gboolean
init_sync (YunCloudServer  *self,
           GError         **error)
{
  g_autofree char *accounts_path = g_build_filename (self->data_dir, "accounts.sqlite", NULL);
  g_autofree char *users_dir = g_build_filename (self->data_dir, "users", NULL);
  g_autoptr(GError) local_error = NULL;

  self->accounts = yun_cloud_accounts_open (accounts_path, &local_error);
  if (self->accounts == NULL) {
    g_set_error (error, YUN_CLOUD_SERVER_ERROR, YUN_CLOUD_SERVER_ERROR_DATA_DIR,
                 "Could not open the accounts: %s", local_error->message);
    return FALSE;
  }

  self->auth = yun_cloud_auth_new (self->accounts);
  self->sync_api = yun_cloud_sync_api_new (self->auth, users_dir);
  self->shares = yun_cloud_shares_new (self->auth, self->data_dir, &local_error);
  if (self->shares == NULL) {
    g_set_error (error, YUN_CLOUD_SERVER_ERROR, YUN_CLOUD_SERVER_ERROR_DATA_DIR,
                 "Could not open the shares: %s", local_error->message);
    return FALSE;
  }

  return TRUE;
}

/* Verifies a request's credentials for the cloud apps' back ends. */
static char *
identify_with_auth (GObject     *identifier,
                    const char  *authorization,
                    GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *name = yun_cloud_auth_authenticate (YUN_CLOUD_AUTH (identifier), authorization,
                                            &local_error);

  if (name == NULL && local_error->domain == YUN_CLOUD_AUTH_ERROR)
    g_set_error (error, YUN_CLOUD_API_ERROR, YUN_CLOUD_API_ERROR_UNAUTHORIZED,
                 "%s", local_error->message);
  else if (name == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return name;
}

/* Opens the cloud apps' back ends (data/<app>.db), generating their data
 * the first time, and packs the built-in apps for the store. */
static gboolean
init_apps (YunCloudServer  *self,
           GError         **error)
{
  self->apps = yun_cloud_apps_new (self->data_dir, self->webapps_dir, error);
  if (self->apps == NULL)
    return FALSE;

  yun_cloud_apps_set_identify_func (self->apps, G_OBJECT (self->auth), identify_with_auth);
  yun_cloud_apps_attach (self->apps, self->server);
  return TRUE;
}

static gboolean
yun_cloud_server_initable_init (GInitable     *initable,
                                GCancellable  *cancellable,
                                GError       **error)
{
  YunCloudServer *self = YUN_CLOUD_SERVER (initable);

  if (self->webapps_dir == NULL || !g_file_test (self->webapps_dir, G_FILE_TEST_IS_DIR)) {
    g_set_error (error, YUN_CLOUD_SERVER_ERROR, YUN_CLOUD_SERVER_ERROR_WEBAPPS_DIR,
                 "The web apps folder %s does not exist or is not a folder",
                 self->webapps_dir ? self->webapps_dir : "(none)");
    return FALSE;
  }

  /* The data folder will hold the cloud's databases (accounts, store,
   * synced documents). Nothing is stored there yet, but it is created now,
   * private to the user, so that a bad --data fails at start-up. */
  if (self->data_dir == NULL || g_mkdir_with_parents (self->data_dir, 0700) != 0) {
    int saved_errno = self->data_dir ? errno : EINVAL;

    g_set_error (error, YUN_CLOUD_SERVER_ERROR, YUN_CLOUD_SERVER_ERROR_DATA_DIR,
                 "Could not create the data folder %s: %s",
                 self->data_dir ? self->data_dir : "(none)", g_strerror (saved_errno));
    return FALSE;
  }

  if (!init_sync (self, error) || !init_apps (self, error))
    return FALSE;

  return TRUE;
}

static void
yun_cloud_server_initable_iface_init (GInitableIface *iface)
{
  iface->init = yun_cloud_server_initable_init;
}

static void
yun_cloud_server_class_init (YunCloudServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = yun_cloud_server_get_property;
  object_class->set_property = yun_cloud_server_set_property;
  object_class->dispose = yun_cloud_server_dispose;
  object_class->finalize = yun_cloud_server_finalize;

  /**
   * YunCloudServer:webapps-dir:
   *
   * The folder holding one sub-folder per hosted web app.
   */
  props[PROP_WEBAPPS_DIR] =
    g_param_spec_string ("webapps-dir", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * YunCloudServer:data-dir:
   *
   * The folder for the cloud's own data, created if missing.
   */
  props[PROP_DATA_DIR] =
    g_param_spec_string ("data-dir", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * YunCloudServer:url:
   *
   * The base URL, with a trailing slash, once the server listens.
   */
  props[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
yun_cloud_server_init (YunCloudServer *self)
{
  self->pending = g_hash_table_new (NULL, NULL);

  /* raw-paths: libsoup would otherwise decode the path before we see it,
   * and "%2f" would become a "/" indistinguishable from a real one. */
  self->server = soup_server_new ("server-header", "yun-cloud/" YUN_VERSION,
                                  "raw-paths", TRUE,
                                  NULL);
  soup_server_add_early_handler (self->server, NULL, on_early_request, self, NULL);
  soup_server_add_handler (self->server, NULL, on_server_request, self, NULL);
}

/**
 * yun_cloud_server_new:
 * @webapps_dir: (type filename): the folder holding the hosted web apps,
 *   one sub-folder per app
 * @data_dir: (type filename): the folder for the cloud's data, created
 *   (private to the user) if missing
 * @error: return location for a #GError
 *
 * Creates a server. It does not listen until [method@CloudServer.listen].
 *
 * Returns: (transfer full) (nullable): a new server, or %NULL with @error
 *   set if @webapps_dir is not a folder or @data_dir cannot be created
 */
YunCloudServer *
yun_cloud_server_new (const char  *webapps_dir,
                      const char  *data_dir,
                      GError     **error)
{
  g_return_val_if_fail (webapps_dir != NULL, NULL);
  g_return_val_if_fail (data_dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (YUN_TYPE_CLOUD_SERVER, NULL, error,
                         "webapps-dir", webapps_dir,
                         "data-dir", data_dir,
                         NULL);
}

/**
 * yun_cloud_server_listen:
 * @self: a #YunCloudServer
 * @host: a numeric IPv4 or IPv6 address, such as `127.0.0.1`
 * @port: the TCP port, or 0 to pick a free one
 * @error: return location for a #GError
 *
 * Starts listening on @host and @port. Call it once; the address is then
 * available from [method@CloudServer.get_url].
 *
 * Returns: %TRUE on success; %FALSE with @error set to
 *   %YUN_CLOUD_SERVER_ERROR_INVALID_ADDRESS,
 *   %YUN_CLOUD_SERVER_ERROR_ADDRESS_IN_USE or
 *   %YUN_CLOUD_SERVER_ERROR_LISTEN otherwise
 */
gboolean
yun_cloud_server_listen (YunCloudServer  *self,
                         const char      *host,
                         guint            port,
                         GError         **error)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GError) local_error = NULL;
  GSList *uris;

  g_return_val_if_fail (YUN_IS_CLOUD_SERVER (self), FALSE);
  g_return_val_if_fail (host != NULL, FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);
  g_return_val_if_fail (self->url == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  address = g_inet_address_new_from_string (host);
  if (address == NULL) {
    g_set_error (error, YUN_CLOUD_SERVER_ERROR, YUN_CLOUD_SERVER_ERROR_INVALID_ADDRESS,
                 "“%s” is not a numeric IP address such as 127.0.0.1", host);
    return FALSE;
  }

  socket_address = g_inet_socket_address_new (address, port);
  if (!soup_server_listen (self->server, socket_address, 0, &local_error)) {
    int code = YUN_CLOUD_SERVER_ERROR_LISTEN;

    if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
      code = YUN_CLOUD_SERVER_ERROR_ADDRESS_IN_USE;

    g_set_error (error, YUN_CLOUD_SERVER_ERROR, code,
                 "Could not listen on %s port %u: %s", host, port, local_error->message);
    return FALSE;
  }

  /* soup_server_get_uris () reports the port actually bound, which is the
   * only way to learn it after asking for port 0. */
  uris = soup_server_get_uris (self->server);
  g_assert (uris != NULL);
  self->url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_URL]);

  return TRUE;
}

/**
 * yun_cloud_server_get_url:
 * @self: a #YunCloudServer
 *
 * Gets the base URL the server listens on, such as
 * `http://127.0.0.1:41234/`, always with a trailing slash.
 *
 * Returns: (nullable): the base URL, or %NULL before
 *   [method@CloudServer.listen] succeeded
 */
const char *
yun_cloud_server_get_url (YunCloudServer *self)
{
  g_return_val_if_fail (YUN_IS_CLOUD_SERVER (self), NULL);

  return self->url;
}

/**
 * yun_cloud_server_set_cors:
 * @self: a #YunCloudServer
 * @cors: (transfer full) (nullable): which origins may call the sync and
 *   account APIs from a browser; %NULL (the default) for none
 *
 * Configures CORS, like CouchDB's `[cors]` section.
 */
void
yun_cloud_server_set_cors (YunCloudServer *self,
                           YunCloudCors   *cors)
{
  g_return_if_fail (YUN_IS_CLOUD_SERVER (self));

  g_clear_pointer (&self->cors, yun_cloud_cors_free);
  self->cors = cors;
}

/**
 * yun_cloud_server_get_accounts:
 * @self: a #YunCloudServer
 *
 * Returns: (transfer none): the cloud's accounts
 */
YunCloudAccounts *
yun_cloud_server_get_accounts (YunCloudServer *self)
{
  g_return_val_if_fail (YUN_IS_CLOUD_SERVER (self), NULL);

  return self->accounts;
}

/**
 * yun_cloud_server_get_auth:
 * @self: a #YunCloudServer
 *
 * Returns: (transfer none): what authenticates requests, for other APIs
 *   of the cloud that need to know the user
 */
YunCloudAuth *
yun_cloud_server_get_auth (YunCloudServer *self)
{
  g_return_val_if_fail (YUN_IS_CLOUD_SERVER (self), NULL);

  return self->auth;
}
