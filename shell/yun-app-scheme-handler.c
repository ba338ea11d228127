/* yun-app-scheme-handler.c: serves app://<id>/ from a packaged app's folder.
 *
 * Each app has a web context of its own, so the handler registered on it
 * serves exactly one app: a request for another host (another app, or a
 * look-alike of this one) is a 404, as is any path that is not a plain
 * file inside the folder.  Decoding and lookup are the shared, tested
 * rules of yun-web-files, which never follow a symbolic link.  Documents
 * get a strict Content-Security-Policy; media get range requests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-app-scheme-handler.h"

#include "yun-app-id.h"
#include "yun-web-files.h"

/* Packages hold at most 50 MiB in all, so no file is bigger. */
#define MAX_FILE_SIZE ((goffset) 64 * 1024 * 1024)
/* A range is read into memory; media players ask for far less. */
#define MAX_RANGE_SIZE ((goffset) 16 * 1024 * 1024)

typedef struct {
  char *app_id;
  char *root;
} Handler;

typedef struct {
  WebKitURISchemeRequest *request;
  char *content_type;
  char *range;
  goffset start;
  goffset end;
  goffset size;
  GInputStream *stream;
  GBytes *contents;
} Serving;

static void
handler_free (gpointer data)
{
  Handler *handler = data;

  g_free (handler->app_id);
  g_free (handler->root);
  g_free (handler);
}

static void
serving_free (Serving *serving)
{
  g_object_unref (serving->request);
  g_free (serving->content_type);
  g_free (serving->range);
  g_clear_object (&serving->stream);
  g_clear_pointer (&serving->contents, g_bytes_unref);
  g_free (serving);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Serving, serving_free)

static SoupMessageHeaders *
new_headers (void)
{
  SoupMessageHeaders *headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);

  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Content-Security-Policy", YUN_APP_SCHEME_CSP);
  soup_message_headers_replace (headers, "Accept-Ranges", "bytes");
  return headers;
}

static void
finish (WebKitURISchemeRequest *request,
        guint                   status,
        GInputStream           *stream,
        gint64                  length,
        const char             *content_type,
        SoupMessageHeaders     *headers)
{
  g_autoptr(WebKitURISchemeResponse) response = webkit_uri_scheme_response_new (stream, length);

  /* The MIME type alone is not a header pages can read; send both. */
  soup_message_headers_replace (headers, "Content-Type", content_type);

  webkit_uri_scheme_response_set_status (response, status, NULL);
  webkit_uri_scheme_response_set_content_type (response, content_type);
  webkit_uri_scheme_response_set_http_headers (response, headers);
  webkit_uri_scheme_request_finish_with_response (request, response);
}

static void
finish_text (WebKitURISchemeRequest *request,
             guint                   status,
             const char             *text)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (g_strdup (text), -1, g_free);

  finish (request, status, stream, strlen (text), "text/plain; charset=utf-8", new_headers ());
}

static void
on_range_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Serving) serving = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autofree char *content_range = NULL;
  SoupMessageHeaders *headers;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (bytes == NULL) {
    finish_text (serving->request, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
    return;
  }

  headers = new_headers ();
  content_range = g_strdup_printf ("bytes %" G_GOFFSET_FORMAT "-%" G_GOFFSET_FORMAT "/%"
                                   G_GOFFSET_FORMAT, serving->start,
                                   serving->start + (goffset) g_bytes_get_size (bytes) - 1,
                                   serving->size);
  soup_message_headers_replace (headers, "Content-Range", content_range);
  stream = g_memory_input_stream_new_from_bytes (bytes);
  finish (serving->request, SOUP_STATUS_PARTIAL_CONTENT, stream, g_bytes_get_size (bytes),
          serving->content_type, headers);
}

static void
serve_range (Serving *serving)
{
  g_autoptr(GError) error = NULL;

  if (!yun_web_files_parse_range (serving->range, serving->size, &serving->start, &serving->end,
                                  &error)) {
    if (g_error_matches (error, YUN_WEB_FILES_ERROR, YUN_WEB_FILES_ERROR_RANGE_NOT_SATISFIABLE)) {
      g_autofree char *content_range = g_strdup_printf ("bytes */%" G_GOFFSET_FORMAT, serving->size);
      g_autoptr(GInputStream) empty = g_memory_input_stream_new ();
      SoupMessageHeaders *headers = new_headers ();

      soup_message_headers_replace (headers, "Content-Range", content_range);
      finish (serving->request, SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE, empty, 0,
              serving->content_type, headers);
      serving_free (serving);
      return;
    }
    /* A range header the file's server may ignore: send the whole file. */
    finish (serving->request, SOUP_STATUS_OK, serving->stream, serving->size,
            serving->content_type, new_headers ());
    serving_free (serving);
    return;
  }

  if (!g_seekable_seek (G_SEEKABLE (serving->stream), serving->start, G_SEEK_SET, NULL, &error)) {
    finish_text (serving->request, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
    serving_free (serving);
    return;
  }

  g_input_stream_read_bytes_async (serving->stream,
                                   MIN (serving->end - serving->start + 1, MAX_RANGE_SIZE),
                                   G_PRIORITY_DEFAULT, NULL, on_range_read, serving);
}

static void
on_file_opened (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Serving *serving = user_data;
  g_autoptr(GError) error = NULL;

  if (!yun_web_files_open_finish (result, &serving->size, NULL, &serving->stream, &error)) {
    if (error->domain == YUN_WEB_FILES_ERROR || error->domain == G_IO_ERROR)
      finish_text (serving->request, SOUP_STATUS_NOT_FOUND, "Not found\n");
    else
      finish_text (serving->request, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
    serving_free (serving);
    return;
  }

  if (serving->range != NULL) {
    serve_range (serving);
    return;
  }

  finish (serving->request, SOUP_STATUS_OK, serving->stream, serving->size, serving->content_type,
          new_headers ());
  serving_free (serving);
}

static void
on_request (WebKitURISchemeRequest *request,
            gpointer                user_data)
{
  Handler *handler = user_data;
  g_autoptr(GUri) uri = NULL;
  g_auto(GStrv) components = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *request_headers;
  const char *path;
  Serving *serving;
  guint n;

  uri = g_uri_parse (webkit_uri_scheme_request_get_uri (request), G_URI_FLAGS_ENCODED, NULL);
  /* One app per context: its own id and nothing that merely looks like it. */
  if (uri == NULL || g_strcmp0 (g_uri_get_host (uri), handler->app_id) != 0 ||
      g_uri_get_userinfo (uri) != NULL || g_uri_get_port (uri) != -1) {
    finish_text (request, SOUP_STATUS_NOT_FOUND, "Not found\n");
    return;
  }

  path = g_uri_get_path (uri);
  if (*path == '/')
    path++;
  if (!yun_web_files_split_path (path, &components, &error)) {
    finish_text (request,
                 g_error_matches (error, YUN_WEB_FILES_ERROR, YUN_WEB_FILES_ERROR_BAD_ENCODING)
                 ? SOUP_STATUS_BAD_REQUEST : SOUP_STATUS_NOT_FOUND,
                 g_error_matches (error, YUN_WEB_FILES_ERROR, YUN_WEB_FILES_ERROR_BAD_ENCODING)
                 ? "Bad request\n" : "Not found\n");
    return;
  }

  n = g_strv_length (components);
  serving = g_new0 (Serving, 1);
  serving->request = g_object_ref (request);
  serving->content_type = g_strdup (yun_web_files_content_type (components[n - 1]));
  request_headers = webkit_uri_scheme_request_get_http_headers (request);
  if (request_headers != NULL)
    serving->range = g_strdup (soup_message_headers_get_one (request_headers, "Range"));

  yun_web_files_open_async (handler->root, (const char * const *) components,
                            YUN_WEB_FILES_MODE_STREAM, 0, MAX_FILE_SIZE, NULL,
                            on_file_opened, serving);
}

/**
 * yun_app_scheme_handler_register:
 * @context: the app's own web context
 * @app_id: the app
 * @root: the folder its files are in
 *
 * Makes @context serve app://@app_id/ from @root, as a secure,
 * CORS-enabled scheme so that ES modules and fetch() work between the
 * app's own files.
 */
void
yun_app_scheme_handler_register (WebKitWebContext *context,
                                 const char       *app_id,
                                 const char       *root)
{
  Handler *handler;
  WebKitSecurityManager *security;

  g_return_if_fail (WEBKIT_IS_WEB_CONTEXT (context));
  g_return_if_fail (yun_app_id_is_valid (app_id));
  g_return_if_fail (root != NULL);

  handler = g_new0 (Handler, 1);
  handler->app_id = g_strdup (app_id);
  handler->root = g_strdup (root);
  webkit_web_context_register_uri_scheme (context, "app", on_request, handler, handler_free);

  security = webkit_web_context_get_security_manager (context);
  webkit_security_manager_register_uri_scheme_as_secure (security, "app");
  webkit_security_manager_register_uri_scheme_as_cors_enabled (security, "app");
}
