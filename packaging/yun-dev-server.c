/* yun-dev-server.c: `yun-dev serve`, an app folder on loopback with live
 * reload.
 *
 * A SoupServer on 127.0.0.1 serves the app's folder at its root, through
 * services/yun-web-files like yun-cloud and the shell's app:// scheme: each
 * path segment decoded and checked, no hidden names, no symbolic link at
 * any step, nothing outside the folder. Files are read in a worker thread
 * while the request waits, paused.
 *
 * Live reload: GFileMonitors watch the folder and its subfolders (inotify
 * watches one folder at a time, so each subfolder gets its own monitor,
 * and folders made later are added as they appear). Changes are gathered
 * for a moment, since an editor's save is several events, and then every
 * page connected to the EventSource at /_yun/live-reload gets one `reload`
 * event. HTML pages are served with a <script> that opens that EventSource;
 * it is added only here, never to the files themselves, so a package made
 * with `yun-dev pack` never holds it.
 *
 * Beside the app, /_yun/ also serves the browser shim (yun-shim.js) and the
 * schema it builds navigator.yun from (yun-api.json).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-dev-server.h"

#include "yun-dev-resources.h"
#include "yun-web-files.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include <string.h>

/* Nothing in an app folder a developer serves is bigger than this. */
#define MAX_FILE_SIZE (64 * 1024 * 1024)
/* How long to wait after the last change before the pages reload: an
 * editor's save is a burst of events, and a page should reload once. */
#define RELOAD_DELAY_MS 150
/* A folder tree deeper or bigger than this is not an app; stop watching
 * there rather than exhaust inotify's watches. */
#define MAX_WATCHED_FOLDERS 4096
/* A paused stream does not notice that its page went away until it writes
 * again, so each one gets a comment line this often. */
#define KEEPALIVE_SECONDS 15

#define LIVE_RELOAD_TAG "<script src=\"/_yun/live-reload.js\"></script>\n"

enum {
  SIGNAL_FILES_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

struct _YunDevServer {
  GObject     parent_instance;

  char       *root;
  GFile      *root_file;
  char       *url;
  char       *instance;
  SoupServer *server;

  /* Folder path → its GFileMonitor. */
  GHashTable *monitors;
  /* Relative path → Change, for what changed since the last reload. */
  GHashTable *changed;
  guint       reload_id;
  guint       keepalive_id;

  /* The SoupServerMessages of connected live-reload EventSources. */
  GPtrArray  *clients;
  /* The PendingRequests in flight, to cancel in dispose. */
  GHashTable *pending;
};

G_DEFINE_FINAL_TYPE (YunDevServer, yun_dev_server, G_TYPE_OBJECT)

/* How a path changed since the last reload. A file that appeared and went
 * again in that time, like the temporary file of a save that writes a copy
 * and renames it into place, changed nothing. */
typedef enum {
  CHANGE_APPEARED = 1,
  CHANGE_CHANGED,
} Change;

G_DEFINE_QUARK (yun-dev-server-error-quark, yun_dev_server_error)

/* What /_yun/ serves besides the live-reload stream. */
static const struct {
  const char *name;
  const char *resource;
  const char *content_type;
} own_files[] = {
  { "live-reload.js", "/org/yun/dev/serve/live-reload.js", "text/javascript; charset=utf-8" },
  { "yun-shim.js", "/org/yun/dev/serve/yun-shim.js", "text/javascript; charset=utf-8" },
  { "yun-api.json", "/org/yun/dev/serve/yun-api.json", "application/json" },
};

/* A request waiting for a file. The client going away or the server being
 * disposed cancels it; after that neither may be touched. As in
 * yun-cloud-server.c, the worker's task has no source object. */
typedef struct {
  YunDevServer      *self;
  SoupServerMessage *msg;
  GCancellable      *cancellable;
  gulong             disconnected_id;
  const char        *content_type;
  gboolean           is_html;
} PendingRequest;

static void watch_tree (YunDevServer *self,
                        GFile        *folder,
                        guint         depth);

static void
on_message_disconnected (SoupServerMessage *msg,
                         gpointer           user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static PendingRequest *
pending_request_new (YunDevServer      *self,
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
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_server_message_set_response (msg, "text/plain; charset=utf-8",
                                    SOUP_MEMORY_COPY, text, strlen (text));
}

/* Answers with @contents. A developer's server never lets the browser keep
 * a copy: the file may change at any moment. */
static void
respond_bytes (SoupServerMessage *msg,
               const char        *content_type,
               GBytes            *contents)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (headers, "Content-Type", content_type);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  /* libsoup refuses an empty chunk; an empty file's body is empty as is.
   * For HEAD, libsoup sends the headers, with the length, and no body. */
  if (g_bytes_get_size (contents) > 0)
    soup_message_body_append_bytes (soup_server_message_get_response_body (msg), contents);
  else
    soup_message_headers_set_content_length (headers, 0);
}

/* @html with the live-reload script before its last </body>, or at its
 * end when it has none. Compared without case, as HTML tags are. */
static GBytes *
add_live_reload (GBytes *html)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (html, &length);
  static const char end_tag[] = "</body";
  gsize tag_length = strlen (end_tag);
  gsize at = length;
  GByteArray *result;

  for (gsize i = length; data != NULL && i >= tag_length; i--) {
    if (g_ascii_strncasecmp (data + i - tag_length, end_tag, tag_length) == 0) {
      at = i - tag_length;
      break;
    }
  }

  result = g_byte_array_sized_new (length + strlen (LIVE_RELOAD_TAG));
  if (at > 0)
    g_byte_array_append (result, (const guint8 *) data, at);
  g_byte_array_append (result, (const guint8 *) LIVE_RELOAD_TAG, strlen (LIVE_RELOAD_TAG));
  if (length > at)
    g_byte_array_append (result, (const guint8 *) data + at, length - at);

  return g_byte_array_free_to_bytes (result);
}

static void
on_open_ready (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PendingRequest) request = user_data;
  g_autoptr(GBytes) contents = NULL;
  g_autoptr(GError) error = NULL;

  if (!yun_web_files_open_finish (result, NULL, &contents, NULL, &error)) {
    if (g_cancellable_is_cancelled (request->cancellable))
      return;
    if (g_error_matches (error, YUN_WEB_FILES_ERROR, YUN_WEB_FILES_ERROR_NOT_FOUND)) {
      respond_text (request->msg, SOUP_STATUS_NOT_FOUND, "Not found\n");
    } else {
      /* The developer is watching this terminal: say what went wrong. */
      g_message ("Could not serve %s: %s",
                 g_uri_get_path (soup_server_message_get_uri (request->msg)), error->message);
      respond_text (request->msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "Cannot read this file\n");
    }
    soup_server_message_unpause (request->msg);
    return;
  }

  if (g_cancellable_is_cancelled (request->cancellable))
    return;

  if (request->is_html) {
    g_autoptr(GBytes) page = add_live_reload (contents);

    respond_bytes (request->msg, request->content_type, page);
  } else {
    respond_bytes (request->msg, request->content_type, contents);
  }
  soup_server_message_unpause (request->msg);
}

static void
serve_file (YunDevServer      *self,
            SoupServerMessage *msg,
            const char        *raw_path)
{
  g_auto(GStrv) components = NULL;
  g_autoptr(GError) error = NULL;
  PendingRequest *request;
  const char *name;

  if (!yun_web_files_split_path (raw_path, &components, &error)) {
    if (g_error_matches (error, YUN_WEB_FILES_ERROR, YUN_WEB_FILES_ERROR_BAD_ENCODING))
      respond_text (msg, SOUP_STATUS_BAD_REQUEST, "Bad request\n");
    else
      respond_text (msg, SOUP_STATUS_NOT_FOUND, "Not found\n");
    return;
  }

  name = components[g_strv_length (components) - 1];
  request = pending_request_new (self, msg);
  request->content_type = yun_web_files_content_type (name);
  request->is_html = g_str_has_prefix (request->content_type, "text/html");
  /* HEAD reads the file too: an HTML page's length includes the script. */
  yun_web_files_open_async (self->root, (const char * const *) components,
                            YUN_WEB_FILES_MODE_CONTENTS, 0, MAX_FILE_SIZE,
                            request->cancellable, on_open_ready, request);
}

static void
serve_own_file (SoupServerMessage *msg,
                const char        *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (own_files); i++) {
    g_autoptr(GBytes) bytes = NULL;

    if (!g_str_equal (name, own_files[i].name))
      continue;

    bytes = g_resource_lookup_data (yun_dev_get_resource (), own_files[i].resource,
                                    G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
    g_assert (bytes != NULL);
    respond_bytes (msg, own_files[i].content_type, bytes);
    return;
  }

  respond_text (msg, SOUP_STATUS_NOT_FOUND, "Not found\n");
}

static void
on_client_gone (SoupServerMessage *msg,
                gpointer           user_data)
{
  YunDevServer *self = YUN_DEV_SERVER (user_data);

  g_signal_handlers_disconnect_by_data (msg, self);
  g_ptr_array_remove (self->clients, msg);
}

static void
send_text (SoupServerMessage *msg,
           const char        *text)
{
  soup_message_body_append (soup_server_message_get_response_body (msg),
                            SOUP_MEMORY_COPY, text, strlen (text));
  soup_server_message_unpause (msg);
}

static gboolean
on_keepalive (gpointer user_data)
{
  YunDevServer *self = YUN_DEV_SERVER (user_data);
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);

  /* Writing may find a page gone, which removes it from the array. */
  for (guint i = 0; i < self->clients->len; i++)
    g_ptr_array_add (clients, g_object_ref (g_ptr_array_index (self->clients, i)));
  for (guint i = 0; i < clients->len; i++)
    send_text (g_ptr_array_index (clients, i), ": keep-alive\n\n");

  return G_SOURCE_CONTINUE;
}

static void
send_event (SoupServerMessage *msg,
            const char        *event,
            const char        *data)
{
  /* @data is one line: an id, or JSON from a generator, which escapes
   * line breaks. */
  g_autofree char *frame = g_strdup_printf ("event: %s\ndata: %s\n\n", event, data);
  gsize length = strlen (frame);

  soup_message_body_append (soup_server_message_get_response_body (msg),
                            SOUP_MEMORY_TAKE, g_steal_pointer (&frame), length);
  soup_server_message_unpause (msg);
}

/* Starts a text/event-stream that stays open: chunks are appended as
 * changes happen. The first event says which run of the server this is, so
 * that a page that reconnects to a restarted server reloads too. */
static void
start_event_stream (YunDevServer      *self,
                    SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  static const char retry[] = "retry: 1000\n\n";

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (headers, "Content-Type", "text/event-stream");
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  if (soup_server_message_get_method (msg) == SOUP_METHOD_HEAD)
    return;

  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_body_set_accumulate (body, FALSE);
  soup_message_body_append (body, SOUP_MEMORY_STATIC, retry, strlen (retry));
  send_event (msg, "hello", self->instance);

  g_ptr_array_add (self->clients, g_object_ref (msg));
  g_signal_connect (msg, "finished", G_CALLBACK (on_client_gone), self);
  g_signal_connect (msg, "disconnected", G_CALLBACK (on_client_gone), self);
}

static void
on_server_request (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  YunDevServer *self = YUN_DEV_SERVER (user_data);
  const char *method = soup_server_message_get_method (msg);

  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD) {
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "Allow", "GET, HEAD");
    respond_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Only GET and HEAD are served\n");
    return;
  }

  if (path == NULL || path[0] != '/') {
    respond_text (msg, SOUP_STATUS_NOT_FOUND, "Not found\n");
    return;
  }

  if (g_str_equal (path, YUN_DEV_SERVER_LIVE_RELOAD_PATH))
    start_event_stream (self, msg);
  else if (g_str_has_prefix (path, YUN_DEV_SERVER_PREFIX))
    serve_own_file (msg, path + strlen (YUN_DEV_SERVER_PREFIX));
  else
    serve_file (self, msg, path + 1);
}

/* Whether a change to @relative (a path below the root) is not the app's:
 * hidden files and folders (editors' swap files, .git), backups ending in
 * a tilde, and node_modules. */
static gboolean
is_ignored (const char *relative)
{
  g_auto(GStrv) parts = g_strsplit (relative, G_DIR_SEPARATOR_S, -1);

  for (guint i = 0; parts[i] != NULL; i++) {
    if (parts[i][0] == '.' || g_str_has_suffix (parts[i], "~") ||
        g_str_equal (parts[i], "node_modules"))
      return TRUE;
  }

  return FALSE;
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
on_reload_timeout (gpointer user_data)
{
  YunDevServer *self = YUN_DEV_SERVER (user_data);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GPtrArray) clients = NULL;
  GHashTableIter iter;
  gpointer key;

  self->reload_id = 0;

  g_hash_table_iter_init (&iter, self->changed);
  while (g_hash_table_iter_next (&iter, &key, NULL)) {
    g_ptr_array_add (paths, key);
    g_hash_table_iter_steal (&iter);
  }
  if (paths->len == 0)
    return G_SOURCE_REMOVE;
  g_ptr_array_sort (paths, compare_paths);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "paths");
  json_builder_begin_array (builder);
  for (guint i = 0; i < paths->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (paths, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, NULL);

  /* A page that reloads closes its stream, which removes it from the
   * array: walk a copy. */
  clients = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->clients->len; i++)
    g_ptr_array_add (clients, g_object_ref (g_ptr_array_index (self->clients, i)));
  for (guint i = 0; i < clients->len; i++)
    send_event (g_ptr_array_index (clients, i), "reload", data);

  g_ptr_array_add (paths, NULL);
  g_signal_emit (self, signals[SIGNAL_FILES_CHANGED], 0, (char **) paths->pdata);

  return G_SOURCE_REMOVE;
}

/* Stops watching @path and every folder below it. */
static void
unwatch_tree (YunDevServer *self,
              const char   *path)
{
  g_autofree char *prefix = g_strconcat (path, G_DIR_SEPARATOR_S, NULL);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->monitors);
  while (g_hash_table_iter_next (&iter, &key, NULL)) {
    if (g_str_equal (key, path) || g_str_has_prefix (key, prefix))
      g_hash_table_iter_remove (&iter);
  }
}

static void
on_monitor_changed (GFileMonitor      *monitor,
                    GFile             *file,
                    GFile             *other_file,
                    GFileMonitorEvent  event,
                    gpointer           user_data)
{
  YunDevServer *self = YUN_DEV_SERVER (user_data);
  GFile *files[2] = { file, NULL };

  switch (event) {
  case G_FILE_MONITOR_EVENT_CHANGED:
  case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
  case G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED:
  case G_FILE_MONITOR_EVENT_CREATED:
  case G_FILE_MONITOR_EVENT_DELETED:
  case G_FILE_MONITOR_EVENT_MOVED_IN:
  case G_FILE_MONITOR_EVENT_MOVED_OUT:
    break;
  case G_FILE_MONITOR_EVENT_RENAMED:
    files[1] = other_file;
    break;
  case G_FILE_MONITOR_EVENT_PRE_UNMOUNT:
  case G_FILE_MONITOR_EVENT_UNMOUNTED:
  case G_FILE_MONITOR_EVENT_MOVED:
  default:
    return;
  }

  for (guint i = 0; i < G_N_ELEMENTS (files) && files[i] != NULL; i++) {
    g_autofree char *relative = g_file_get_relative_path (self->root_file, files[i]);
    g_autofree char *path = g_file_get_path (files[i]);
    gboolean appeared = event == G_FILE_MONITOR_EVENT_CREATED ||
                        event == G_FILE_MONITOR_EVENT_MOVED_IN ||
                        (event == G_FILE_MONITOR_EVENT_RENAMED && i == 1);
    gboolean went = event == G_FILE_MONITOR_EVENT_DELETED ||
                    event == G_FILE_MONITOR_EVENT_MOVED_OUT ||
                    (event == G_FILE_MONITOR_EVENT_RENAMED && i == 0);

    if (relative == NULL || path == NULL || is_ignored (relative))
      continue;

    if (went) {
      unwatch_tree (self, path);
    } else if (appeared &&
               g_file_query_file_type (files[i], G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL) ==
               G_FILE_TYPE_DIRECTORY) {
      /* A folder made (or moved in) after the start: watch it, and count
       * what it already holds as changed by reloading once. */
      g_auto(GStrv) parts = g_strsplit (relative, G_DIR_SEPARATOR_S, -1);

      watch_tree (self, files[i], g_strv_length (parts));
    }

    if (appeared && !g_hash_table_contains (self->changed, relative))
      g_hash_table_insert (self->changed, g_steal_pointer (&relative),
                           GINT_TO_POINTER (CHANGE_APPEARED));
    else if (went && g_hash_table_lookup (self->changed, relative) == GINT_TO_POINTER (CHANGE_APPEARED))
      g_hash_table_remove (self->changed, relative);
    else if (went || !g_hash_table_contains (self->changed, relative))
      g_hash_table_insert (self->changed, g_steal_pointer (&relative),
                           GINT_TO_POINTER (CHANGE_CHANGED));
  }

  g_clear_handle_id (&self->reload_id, g_source_remove);
  self->reload_id = g_timeout_add (RELOAD_DELAY_MS, on_reload_timeout, self);
}

/* Watches @folder and, as far as the limits allow, every folder below it
 * that is not ignored, without following symbolic links. */
static void
watch_tree (YunDevServer *self,
            GFile        *folder,
            guint         depth)
{
  g_autofree char *path = g_file_get_path (folder);
  g_autoptr(GFileMonitor) monitor = NULL;
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GError) error = NULL;

  if (path == NULL || g_hash_table_contains (self->monitors, path))
    return;

  if (depth > YUN_WEB_FILES_MAX_SEGMENTS ||
      g_hash_table_size (self->monitors) >= MAX_WATCHED_FOLDERS) {
    g_message ("Not watching %s: the app has too many or too deep folders", path);
    return;
  }

  monitor = g_file_monitor_directory (folder, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
  if (monitor == NULL) {
    g_message ("Cannot watch %s for changes: %s", path, error->message);
    return;
  }
  g_signal_connect (monitor, "changed", G_CALLBACK (on_monitor_changed), self);
  g_hash_table_insert (self->monitors, g_strdup (path), g_steal_pointer (&monitor));

  enumerator = g_file_enumerate_children (folder,
                                          G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                          G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                          G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                          NULL, &error);
  if (enumerator == NULL) {
    g_message ("Cannot list %s: %s", path, error->message);
    return;
  }

  for (;;) {
    GFileInfo *info;
    GFile *child;
    const char *name;

    if (!g_file_enumerator_iterate (enumerator, &info, &child, NULL, &error)) {
      g_message ("Cannot list %s: %s", path, error->message);
      return;
    }
    if (info == NULL)
      break;

    name = g_file_info_get_name (info);
    if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY && !is_ignored (name))
      watch_tree (self, child, depth + 1);
  }
}

static void
yun_dev_server_dispose (GObject *object)
{
  YunDevServer *self = YUN_DEV_SERVER (object);

  if (self->pending != NULL) {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, self->pending);
    while (g_hash_table_iter_next (&iter, &key, NULL)) {
      PendingRequest *request = key;

      g_cancellable_cancel (request->cancellable);
      request->self = NULL;
    }
  }
  g_clear_pointer (&self->pending, g_hash_table_unref);

  g_clear_handle_id (&self->reload_id, g_source_remove);
  g_clear_handle_id (&self->keepalive_id, g_source_remove);
  g_clear_pointer (&self->monitors, g_hash_table_unref);

  if (self->clients != NULL) {
    for (guint i = 0; i < self->clients->len; i++) {
      SoupServerMessage *msg = g_ptr_array_index (self->clients, i);

      g_signal_handlers_disconnect_by_data (msg, self);
      soup_message_body_complete (soup_server_message_get_response_body (msg));
      soup_server_message_unpause (msg);
    }
  }
  g_clear_pointer (&self->clients, g_ptr_array_unref);

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (yun_dev_server_parent_class)->dispose (object);
}

static void
yun_dev_server_finalize (GObject *object)
{
  YunDevServer *self = YUN_DEV_SERVER (object);

  g_clear_pointer (&self->changed, g_hash_table_unref);
  g_clear_object (&self->root_file);
  g_free (self->root);
  g_free (self->url);
  g_free (self->instance);

  G_OBJECT_CLASS (yun_dev_server_parent_class)->finalize (object);
}

static void
yun_dev_server_class_init (YunDevServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = yun_dev_server_dispose;
  object_class->finalize = yun_dev_server_finalize;

  /**
   * YunDevServer::files-changed:
   * @self: the server
   * @paths: (array zero-terminated=1): the changed paths, relative to the
   *   root, sorted
   *
   * Emitted once the files stopped changing for a moment, after the
   * connected pages were told to reload.
   */
  signals[SIGNAL_FILES_CHANGED] =
    g_signal_new ("files-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRV);
}

static void
yun_dev_server_init (YunDevServer *self)
{
  self->monitors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->clients = g_ptr_array_new_with_free_func (g_object_unref);
  self->pending = g_hash_table_new (NULL, NULL);
  self->instance = g_uuid_string_random ();
}

/**
 * yun_dev_server_new:
 * @root: (type filename): the app's folder; it is trusted, and may itself
 *   be a symbolic link
 * @error: return location for a %YUN_DEV_SERVER_ERROR_NOT_A_FOLDER error
 *
 * Makes a server for the app in @root and starts watching its files. It
 * answers once [method@DevServer.listen] succeeded.
 *
 * Returns: (transfer full): the server, or %NULL with @error set
 */
YunDevServer *
yun_dev_server_new (const char  *root,
                    GError     **error)
{
  g_autoptr(YunDevServer) self = NULL;

  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_test (root, G_FILE_TEST_IS_DIR)) {
    g_set_error (error, YUN_DEV_SERVER_ERROR, YUN_DEV_SERVER_ERROR_NOT_A_FOLDER,
                 "%s is not a folder", root);
    return NULL;
  }

  self = g_object_new (YUN_TYPE_DEV_SERVER, NULL);
  self->root = g_canonicalize_filename (root, NULL);
  self->root_file = g_file_new_for_path (self->root);
  self->server = soup_server_new ("server-header", "yun-dev ", NULL);
  soup_server_add_handler (self->server, NULL, on_server_request, self, NULL);
  watch_tree (self, self->root_file, 0);

  return g_steal_pointer (&self);
}

/**
 * yun_dev_server_listen:
 * @self: a server
 * @port: the TCP port, or 0 for any free one
 * @error: return location for a #GIOError
 *
 * Starts answering on 127.0.0.1 only: what a developer serves is not for
 * the network.
 *
 * Returns: %TRUE when listening; %FALSE with @error set
 */
gboolean
yun_dev_server_listen (YunDevServer  *self,
                       guint16        port,
                       GError       **error)
{
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  GSList *uris;

  g_return_val_if_fail (YUN_IS_DEV_SERVER (self), FALSE);
  g_return_val_if_fail (self->url == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, port);
  if (!soup_server_listen (self->server, address, 0, error))
    return FALSE;

  uris = soup_server_get_uris (self->server);
  g_assert (uris != NULL);
  self->url = g_strdup_printf ("http://127.0.0.1:%d/", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  self->keepalive_id = g_timeout_add_seconds (KEEPALIVE_SECONDS, on_keepalive, self);

  return TRUE;
}

/**
 * yun_dev_server_get_url:
 * @self: a server
 *
 * Returns: (nullable): the server's URL, ending in a slash, once it listens
 */
const char *
yun_dev_server_get_url (YunDevServer *self)
{
  g_return_val_if_fail (YUN_IS_DEV_SERVER (self), NULL);

  return self->url;
}

/**
 * yun_dev_server_get_root:
 * @self: a server
 *
 * Returns: (type filename): the app's folder, as an absolute path
 */
const char *
yun_dev_server_get_root (YunDevServer *self)
{
  g_return_val_if_fail (YUN_IS_DEV_SERVER (self), NULL);

  return self->root;
}

/**
 * yun_dev_server_get_n_clients:
 * @self: a server
 *
 * Returns: how many pages are connected for live reload
 */
guint
yun_dev_server_get_n_clients (YunDevServer *self)
{
  g_return_val_if_fail (YUN_IS_DEV_SERVER (self), 0);

  return self->clients->len;
}
