/* yun-blob-scheme-handler.c: yun-blob: URLs, the binary results an app
 * was given.
 *
 * Registered on each app's own web context with that app's id, so a URL
 * only loads in the app it was granted to (see yun-blob-grants.c).  The
 * image is streamed from the photo library, never copied through the
 * bridge.  Anything not granted is a 404, the same as a token that never
 * existed.  A yun-blob: URL is another origin than the app's pages, so
 * for fetch() to read it, the answer allows the app's own origin, and
 * only that, by CORS.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-blob-scheme-handler.h"

#include "yun-photos.h"
#include "yun-scope.h"

typedef struct {
  char *app_id;
  char *scope;
  YunBridge *bridge;
} Handler;

static void
handler_free (gpointer data)
{
  Handler *handler = data;

  g_free (handler->app_id);
  g_free (handler->scope);
  g_object_unref (handler->bridge);
  g_free (handler);
}

typedef struct {
  GInputStream *stream;
  char *content_type;
  gint64 length;
} Opened;

static void
opened_free (Opened *opened)
{
  g_clear_object (&opened->stream);
  g_free (opened->content_type);
  g_free (opened);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  YunPhotos *photos = g_object_get_data (G_OBJECT (task), "photos");
  Opened *opened = g_new0 (Opened, 1);
  GError *error = NULL;

  opened->stream = yun_photos_open_image (photos, task_data, &opened->content_type,
                                          &opened->length, &error);
  if (opened->stream == NULL) {
    opened_free (opened);
    g_task_return_error (task, error);
  } else {
    g_task_return_pointer (task, opened, (GDestroyNotify) opened_free);
  }
}

static void
not_found (WebKitURISchemeRequest *request)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                                 "no such item for this app");

  webkit_uri_scheme_request_finish_error (request, error);
}

static void
on_opened (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(WebKitURISchemeRequest) request = user_data;
  Opened *opened = g_task_propagate_pointer (G_TASK (result), NULL);
  const char *origin = g_object_get_data (G_OBJECT (result), "origin");
  g_autoptr(WebKitURISchemeResponse) response = NULL;
  SoupMessageHeaders *headers;

  if (opened == NULL) {
    not_found (request);
    return;
  }
  response = webkit_uri_scheme_response_new (opened->stream, opened->length);
  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  soup_message_headers_replace (headers, "Content-Type", opened->content_type);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Vary", "Origin");
  if (origin != NULL)
    soup_message_headers_replace (headers, "Access-Control-Allow-Origin", origin);
  webkit_uri_scheme_response_set_content_type (response, opened->content_type);
  webkit_uri_scheme_response_set_http_headers (response, headers);
  webkit_uri_scheme_request_finish_with_response (request, response);
  opened_free (opened);
}

static void
on_request (WebKitURISchemeRequest *request,
            gpointer                user_data)
{
  Handler *handler = user_data;
  g_autofree char *kind = NULL;
  g_autofree char *id = NULL;
  YunPhotos *photos = yun_bridge_get_service (handler->bridge, "photos");
  g_autoptr(GTask) task = NULL;
  const char *origin;

  id = yun_blob_grants_lookup (yun_bridge_get_blob_grants (handler->bridge), handler->app_id,
                               webkit_uri_scheme_request_get_uri (request), &kind);
  if (id == NULL || photos == NULL || !g_str_equal (kind, "photo")) {
    not_found (request);
    return;
  }

  task = g_task_new (NULL, NULL, on_opened, g_object_ref (request));
  g_task_set_source_tag (task, on_request);
  g_task_set_task_data (task, g_steal_pointer (&id), g_free);
  g_object_set_data_full (G_OBJECT (task), "photos", g_object_ref (photos), g_object_unref);
  /* Only the app's own pages may read the answer. */
  origin = soup_message_headers_get_one (webkit_uri_scheme_request_get_http_headers (request),
                                         "Origin");
  if (origin != NULL && yun_scope_same_origin (origin, handler->scope))
    g_object_set_data_full (G_OBJECT (task), "origin", g_strdup (origin), g_free);
  g_task_run_in_thread (task, open_thread);
}

/**
 * yun_blob_scheme_handler_register:
 * @context: an app's own web context
 * @app_id: the app
 * @scope: the app's scope, whose origin may read the URLs with fetch()
 * @bridge: the bridge that grants the app its URLs
 *
 * Serves the app the yun-blob: URLs granted to it.
 */
void
yun_blob_scheme_handler_register (WebKitWebContext *context,
                                  const char       *app_id,
                                  const char       *scope,
                                  YunBridge        *bridge)
{
  Handler *handler = g_new0 (Handler, 1);
  WebKitSecurityManager *security;

  handler->app_id = g_strdup (app_id);
  handler->scope = g_strdup (scope);
  handler->bridge = g_object_ref (bridge);
  webkit_web_context_register_uri_scheme (context, YUN_BLOB_SCHEME, on_request, handler,
                                          handler_free);
  security = webkit_web_context_get_security_manager (context);
  webkit_security_manager_register_uri_scheme_as_secure (security, YUN_BLOB_SCHEME);
  webkit_security_manager_register_uri_scheme_as_cors_enabled (security, YUN_BLOB_SCHEME);
}
