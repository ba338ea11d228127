/* yun-cloud-apps.c: the back ends of the cloud apps under /api/
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "yun-cloud-apps.h"

#include "yun-catalog-generator.h"
#include "yun-catalog.h"
#include "yun-groupbuy-api.h"
#include "yun-groupbuy-generator.h"
#include "yun-local-api.h"
#include "yun-local-generator.h"
#include "yun-prices-api.h"
#include "yun-prices-generator.h"
#include "yun-store-api.h"

#include <errno.h>
#include <string.h>

/**
 * YunCloudApps:
 *
 * The back ends of the cloud apps: `/api/store/`, `/api/local/`,
 * `/api/prices/` and `/api/groupbuy/`.  Each has its own SQLite file in
 * the data folder, generated with a fixed seed the first time it is
 * needed (not at start-up: a cloud whose apps nobody uses pays nothing
 * for them), and its
 * routes in its own file (yun-store-api.c and so on).
 *
 * Requests are answered on worker threads (see #YunCloudJob) while their
 * messages are paused.  Bodies are bounded before they are read: a
 * request announcing more than %YUN_CLOUD_API_MAX_BODY bytes, or not
 * announcing its length, is refused from its headers.
 */

#define API_PREFIX "/api/"
/* Paths are short; a longer one is not one of ours. */
#define MAX_PATH 512
#define MAX_SEGMENTS 8

typedef void (*HandleFunc) (YunCloudApiContext  *context,
                            SoupServerMessage   *msg,
                            char               **segments,
                            GHashTable          *query);

typedef struct {
  const char *name;
  HandleFunc handle;
} Backend;

static const Backend backends[] = {
  { "store", yun_store_api_handle },
  { "local", yun_local_api_handle },
  { "prices", yun_prices_api_handle },
  { "groupbuy", yun_groupbuy_api_handle },
};

struct _YunCloudApps {
  GObject             parent_instance;

  GHashTable         *jobs;
  YunCloudApiContext  contexts[G_N_ELEMENTS (backends)];
  SoupServer         *server;
};

G_DEFINE_FINAL_TYPE (YunCloudApps, yun_cloud_apps, G_TYPE_OBJECT)

static void
on_api_request (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  YunCloudApps *self = YUN_CLOUD_APPS (user_data);
  g_auto(GStrv) segments = NULL;
  const char *rest;

  if (!g_str_has_prefix (path, API_PREFIX) || strlen (path) > MAX_PATH) {
    yun_cloud_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such API");
    return;
  }
  rest = path + strlen (API_PREFIX);

  /* The server keeps paths raw: an id is never percent-encoded, so any
   * escape, and anything outside the characters of ids and file names, is
   * simply not a route. */
  if (strspn (rest, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/") !=
      strlen (rest)) {
    yun_cloud_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found",
                             "No such route: the path holds characters no route has");
    return;
  }

  segments = g_strsplit (rest, "/", MAX_SEGMENTS + 2);
  if (g_strv_length (segments) > MAX_SEGMENTS + 1) {
    yun_cloud_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such route");
    return;
  }
  for (guint i = 0; segments[i] != NULL; i++) {
    if (g_str_equal (segments[i], "..") || g_str_equal (segments[i], ".")) {
      yun_cloud_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such route");
      return;
    }
  }

  for (guint i = 0; i < G_N_ELEMENTS (backends); i++) {
    if (g_str_equal (segments[0], backends[i].name)) {
      /* The back end takes the path below its name. */
      char **below = g_strdupv (segments + 1);

      backends[i].handle (&self->contexts[i], msg, below, query);
      return;
    }
  }

  yun_cloud_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such API");
}

/* Refuses a body too large, or of unknown length, before it is read. */
static void
on_api_early (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);

  /* libsoup closes such a connection after the answer without saying so;
   * say it, for clients that pool connections. */
  if (soup_message_headers_header_contains (headers, "Connection", "close"))
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "Connection", "close");

  /* libsoup still reads a refused body before answering: it is dropped as
   * it comes rather than kept, and the connection closes after. */
  if (encoding == SOUP_ENCODING_CHUNKED || encoding == SOUP_ENCODING_EOF) {
    soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "Connection", "close");
    yun_cloud_respond_error (msg, SOUP_STATUS_LENGTH_REQUIRED, "length_required",
                             "Send the body with a Content-Length");
    return;
  }
  if (encoding == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > YUN_CLOUD_API_MAX_BODY) {
    g_autofree char *reason = g_strdup_printf ("The body is larger than %d bytes",
                                               YUN_CLOUD_API_MAX_BODY);

    soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "Connection", "close");
    yun_cloud_respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large", reason);
  }
}

static void
yun_cloud_apps_dispose (GObject *object)
{
  YunCloudApps *self = YUN_CLOUD_APPS (object);

  if (self->server != NULL) {
    soup_server_remove_handler (self->server, "/api");
    g_clear_object (&self->server);
  }

  /* Jobs still in flight are never answered and forget us. */
  if (self->jobs != NULL) {
    GHashTableIter iter;
    YunCloudJob *job;

    g_hash_table_iter_init (&iter, self->jobs);
    while (g_hash_table_iter_next (&iter, (gpointer *) &job, NULL))
      yun_cloud_job_cancel (job);
    g_hash_table_remove_all (self->jobs);
  }

  for (guint i = 0; i < G_N_ELEMENTS (backends); i++) {
    g_clear_object (&self->contexts[i].db);
    g_clear_object (&self->contexts[i].identifier);
    g_clear_pointer (&self->contexts[i].files_dir, g_free);
  }

  G_OBJECT_CLASS (yun_cloud_apps_parent_class)->dispose (object);
}

static void
yun_cloud_apps_finalize (GObject *object)
{
  YunCloudApps *self = YUN_CLOUD_APPS (object);

  g_clear_pointer (&self->jobs, g_hash_table_unref);

  G_OBJECT_CLASS (yun_cloud_apps_parent_class)->finalize (object);
}

static void
yun_cloud_apps_class_init (YunCloudAppsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = yun_cloud_apps_dispose;
  object_class->finalize = yun_cloud_apps_finalize;
}

static void
yun_cloud_apps_init (YunCloudApps *self)
{
  self->jobs = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (backends); i++)
    self->contexts[i].jobs = self->jobs;
}

static YunCloudDb *
new_backend (const char *name,
             const char *path,
             const char *webapps_dir,
             const char *files_dir)
{
  if (g_str_equal (name, "store"))
    return yun_catalog_new (path, YUN_CATALOG_GENERATOR_SEED, YUN_CATALOG_GENERATOR_APPS,
                            webapps_dir, files_dir);
  if (g_str_equal (name, "local"))
    return yun_cloud_db_new (path, yun_local_schema, yun_local_generator_fill, NULL, NULL);
  if (g_str_equal (name, "prices"))
    return yun_cloud_db_new (path, yun_prices_schema, yun_prices_generator_fill, NULL, NULL);
  return yun_cloud_db_new (path, yun_groupbuy_schema, yun_groupbuy_generator_fill, NULL, NULL);
}

/**
 * yun_cloud_apps_new:
 * @data_dir: (type filename): the cloud's data folder; each back end gets
 *   `<name>.db` and a folder `<name>/` for its files
 * @webapps_dir: (type filename): the web apps folder, whose apps the store
 *   lists with packages built from it
 * @error: return location for a #GError
 *
 * Makes the back ends.  Each opens its database when first asked, on a
 * worker thread, generating it the first time; the store packs the
 * built-in apps then.  Only the folders are made now.
 *
 * Returns: (transfer full) (nullable): the back ends, or %NULL with @error
 */
YunCloudApps *
yun_cloud_apps_new (const char  *data_dir,
                    const char  *webapps_dir,
                    GError     **error)
{
  g_autoptr(YunCloudApps) self = NULL;

  g_return_val_if_fail (data_dir != NULL, NULL);
  g_return_val_if_fail (webapps_dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (YUN_TYPE_CLOUD_APPS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (backends); i++) {
    YunCloudApiContext *context = &self->contexts[i];
    g_autofree char *file = g_strconcat (backends[i].name, ".db", NULL);
    g_autofree char *path = g_build_filename (data_dir, file, NULL);

    context->files_dir = g_build_filename (data_dir, backends[i].name, NULL);
    if (g_mkdir_with_parents (context->files_dir, 0700) != 0) {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Could not create %s: %s", context->files_dir, g_strerror (saved_errno));
      return NULL;
    }
    context->db = new_backend (backends[i].name, path, webapps_dir, context->files_dir);
  }

  return g_steal_pointer (&self);
}

/**
 * yun_cloud_apps_attach:
 * @self: the back ends
 * @server: the server to answer `/api/` on
 *
 * Adds the `/api/` routes to @server.
 */
void
yun_cloud_apps_attach (YunCloudApps *self,
                       SoupServer   *server)
{
  g_return_if_fail (YUN_IS_CLOUD_APPS (self));
  g_return_if_fail (SOUP_IS_SERVER (server));
  g_return_if_fail (self->server == NULL);

  self->server = g_object_ref (server);
  soup_server_add_early_handler (server, "/api", on_api_early, self, NULL);
  soup_server_add_handler (server, "/api", on_api_request, self, NULL);
}

/**
 * yun_cloud_apps_set_identify_func:
 * @self: the back ends
 * @identifier: (nullable): passed to @identify
 * @identify: (nullable): verifies an `Authorization` header on a worker
 *   thread
 *
 * Lets the back ends know signed-in users.  Until this is called, only
 * the %YUN_CLOUD_API_USER_HEADER stand-in names a user.
 */
void
yun_cloud_apps_set_identify_func (YunCloudApps         *self,
                                  GObject              *identifier,
                                  YunCloudIdentifyFunc  identify)
{
  g_return_if_fail (YUN_IS_CLOUD_APPS (self));

  for (guint i = 0; i < G_N_ELEMENTS (backends); i++) {
    g_set_object (&self->contexts[i].identifier, identifier);
    self->contexts[i].identify = identify;
  }
}
