/* test-cloud-server.c: tests for YunCloudServer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real server on 127.0.0.1, port 0, serving a web apps folder made for
 * each test. Well-formed requests go through a SoupSession; requests that a
 * client library would normalise or refuse to send (dot segments, encoded
 * slashes, NUL) are written byte for byte on a plain socket.
 */

#include "config.h"

#include "yun-test-files.h"
#include "yun-cloud-server.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TIMEOUT_SECONDS 10

#define SECRET_OUTSIDE "secret outside the web apps folder\n"
#define SECRET_WEBAPPS "secret in the web apps folder, in no app\n"
#define SECRET_HIDDEN "secret in a hidden file of the app\n"
#define INDEX_HTML \
  "<!doctype html>\n<title>Hello</title>\n<script type=module src=app.js></script>\n"
#define APP_JS "console.log ('hello');\n"
#define MANIFEST_JSON "{\"name\": \"Hello\", \"start_url\": \"index.html\"}\n"
#define FILE_CSS "body { color: black; }\n"
#define OTHER_INDEX_HTML "<!doctype html>\n<title>Not to be served</title>\n"

typedef struct {
  char           *tmp_dir;
  char           *webapps_dir;
  char           *data_dir;
  YunCloudServer *server;
  SoupSession    *session;
} Fixture;

typedef struct {
  guint               status;
  SoupMessageHeaders *headers;
  char               *body;
  gsize               body_length;
} RawResponse;

typedef struct {
  gboolean            done;
  GError             *error;
  GBytes             *request;
  GSocketConnection  *connection;
  GByteArray         *received;
  guint8              buffer[4096];
} RawExchange;

typedef struct {
  gboolean  done;
  GError   *error;
  GBytes   *body;
} SendData;

static void
raw_response_free (RawResponse *response)
{
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_free (response->body);
  g_free (response);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RawResponse, raw_response_free)

static gboolean
on_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

static void
wait_until (gboolean *done)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add_seconds (TIMEOUT_SECONDS, on_timeout, &timed_out);

  while (!*done && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (timed_out);
  g_source_remove (timeout_id);
}

static char *
make_id (char   c,
         size_t length)
{
  char *id = g_malloc (length + 1);

  memset (id, c, length);
  id[length] = '\0';

  return id;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *secret_path = NULL;
  g_autofree char *hello_path = NULL;
  g_autofree char *longest_id = NULL;
  g_autofree char *too_long_id = NULL;
  g_autofree char *path = NULL;
  const char *webapps;

  fixture->tmp_dir = g_dir_make_tmp ("yun-cloud-test-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->webapps_dir = g_build_filename (fixture->tmp_dir, "webapps", NULL);
  fixture->data_dir = g_build_filename (fixture->tmp_dir, "data", NULL);
  webapps = fixture->webapps_dir;

  /* Secrets at two levels: next to the web apps folder, and inside it but
   * in no app. */
  yun_test_write_file (fixture->tmp_dir, "secret.txt", SECRET_OUTSIDE, -1);
  yun_test_write_file (webapps, "secret.txt", SECRET_WEBAPPS, -1);

  yun_test_write_file (webapps, "hello/manifest.json", MANIFEST_JSON, -1);
  yun_test_write_file (webapps, "hello/index.html", INDEX_HTML, -1);
  yun_test_write_file (webapps, "hello/app.js", APP_JS, -1);
  yun_test_write_file (webapps, "hello/sub/dir/file.css", FILE_CSS, -1);
  yun_test_write_file (webapps, "hello/data.bin", "\x01\x02\x03", -1);
  yun_test_write_file (webapps, "hello/.hidden", SECRET_HIDDEN, -1);
  /* A real file whose name holds a backslash: only a request that treats
   * "%5c" or "\" as an ordinary character could reach it. */
  yun_test_write_file (webapps, "hello/back\\slash.txt", SECRET_HIDDEN, -1);

  secret_path = g_build_filename (fixture->tmp_dir, "secret.txt", NULL);
  yun_test_make_symlink (secret_path, webapps, "hello/link-out.txt");
  yun_test_make_symlink (fixture->tmp_dir, webapps, "hello/link-dir");
  yun_test_make_symlink ("index.html", webapps, "hello/link-in.html");

  /* More apps for the listing, created out of order. */
  yun_test_write_file (webapps, "zeta/manifest.json", "{}", -1);
  yun_test_write_file (webapps, "alpha/manifest.json", "{}", -1);
  yun_test_write_file (webapps, "beta/manifest.json", "{}", -1);
  yun_test_write_file (webapps, "no-manifest/index.html", OTHER_INDEX_HTML, -1);

  /* Folders that exist but whose names are not valid app ids, so only the
   * id check keeps them from being served or listed. */
  yun_test_write_file (webapps, "Hello/manifest.json", "{}", -1);
  yun_test_write_file (webapps, "Hello/index.html", OTHER_INDEX_HTML, -1);
  yun_test_write_file (webapps, ".hidden/manifest.json", "{}", -1);
  yun_test_write_file (webapps, ".hidden/index.html", OTHER_INDEX_HTML, -1);
  too_long_id = make_id ('a', 65);
  path = g_build_filename (too_long_id, "manifest.json", NULL);
  yun_test_write_file (webapps, path, "{}", -1);
  g_clear_pointer (&path, g_free);
  path = g_build_filename (too_long_id, "index.html", NULL);
  yun_test_write_file (webapps, path, OTHER_INDEX_HTML, -1);
  g_clear_pointer (&path, g_free);

  /* The longest valid id, with no manifest so the listing stays short. */
  longest_id = make_id ('b', 64);
  path = g_build_filename (longest_id, "index.html", NULL);
  yun_test_write_file (webapps, path, INDEX_HTML, -1);

  hello_path = g_build_filename (webapps, "hello", NULL);
  yun_test_make_symlink (hello_path, webapps, "linked");

  fixture->server = yun_cloud_server_new (fixture->webapps_dir, fixture->data_dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->server);

  yun_cloud_server_listen (fixture->server, "127.0.0.1", 0, &error);
  g_assert_no_error (error);

  /* Loopback only: never ask the desktop's proxy settings. */
  fixture->session = soup_session_new ();
  soup_session_set_proxy_resolver (fixture->session, NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  soup_session_abort (fixture->session);
  g_assert_finalize_object (fixture->session);
  g_assert_finalize_object (fixture->server);

  yun_test_remove_tree (fixture->tmp_dir);

  g_free (fixture->tmp_dir);
  g_free (fixture->webapps_dir);
  g_free (fixture->data_dir);
}

static void
on_send_and_read_ready (GObject      *source_object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  SendData *data = user_data;

  data->body = soup_session_send_and_read_finish (SOUP_SESSION (source_object), result,
                                                  &data->error);
  data->done = TRUE;
}

/* Sends @method @path (relative to the server's URL) without following
 * redirects, and returns the message; the body goes to @out_body. */
static SoupMessage *
send_request (Fixture     *fixture,
              const char  *method,
              const char  *path,
              GBytes     **out_body)
{
  g_autofree char *url = g_strconcat (yun_cloud_server_get_url (fixture->server), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  SendData data = { 0 };

  g_assert_nonnull (msg);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);

  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    on_send_and_read_ready, &data);
  wait_until (&data.done);
  g_assert_no_error (data.error);

  *out_body = data.body;
  return g_steal_pointer (&msg);
}

static void
assert_body (GBytes     *body,
             const char *expected)
{
  gsize length;
  const char *data = g_bytes_get_data (body, &length);

  g_assert_cmpmem (data, length, expected, strlen (expected));
}

static void
on_raw_read_ready (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  RawExchange *exchange = user_data;
  gssize n_read;

  n_read = g_input_stream_read_finish (G_INPUT_STREAM (source_object), result,
                                       &exchange->error);
  if (n_read <= 0) {
    exchange->done = TRUE;
    return;
  }

  g_byte_array_append (exchange->received, exchange->buffer, n_read);
  g_input_stream_read_async (G_INPUT_STREAM (source_object),
                             exchange->buffer, sizeof exchange->buffer,
                             G_PRIORITY_DEFAULT, NULL, on_raw_read_ready, exchange);
}

static void
on_raw_write_ready (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  RawExchange *exchange = user_data;
  GInputStream *input;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source_object), result, NULL,
                                         &exchange->error)) {
    exchange->done = TRUE;
    return;
  }

  input = g_io_stream_get_input_stream (G_IO_STREAM (exchange->connection));
  g_input_stream_read_async (input, exchange->buffer, sizeof exchange->buffer,
                             G_PRIORITY_DEFAULT, NULL, on_raw_read_ready, exchange);
}

static void
on_raw_connect_ready (GObject      *source_object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  RawExchange *exchange = user_data;
  GOutputStream *output;
  gsize length;
  const void *data;

  exchange->connection = g_socket_client_connect_to_uri_finish (G_SOCKET_CLIENT (source_object),
                                                                result, &exchange->error);
  if (exchange->connection == NULL) {
    exchange->done = TRUE;
    return;
  }

  data = g_bytes_get_data (exchange->request, &length);
  output = g_io_stream_get_output_stream (G_IO_STREAM (exchange->connection));
  g_output_stream_write_all_async (output, data, length, G_PRIORITY_DEFAULT, NULL,
                                   on_raw_write_ready, exchange);
}

/* Writes @length bytes of @request as they are and reads the response
 * until the server closes the connection. */
static RawResponse *
send_raw_bytes (Fixture    *fixture,
                const char *request,
                gsize       length)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(RawResponse) response = g_new0 (RawResponse, 1);
  RawExchange exchange = { 0 };
  const char *received;
  const char *header_end;
  SoupHTTPVersion version;

  exchange.request = g_bytes_new (request, length);
  exchange.received = g_byte_array_new ();
  g_socket_client_set_enable_proxy (client, FALSE);

  g_socket_client_connect_to_uri_async (client, yun_cloud_server_get_url (fixture->server), 80,
                                        NULL, on_raw_connect_ready, &exchange);
  wait_until (&exchange.done);
  g_assert_no_error (exchange.error);

  g_byte_array_append (exchange.received, (const guint8 *) "", 1);
  received = (const char *) exchange.received->data;
  header_end = strstr (received, "\r\n\r\n");
  g_assert_nonnull (header_end);

  response->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_assert_true (soup_headers_parse_response (received, header_end + 4 - received,
                                              response->headers, &version,
                                              &response->status, NULL));
  response->body_length = exchange.received->len - 1 - (header_end + 4 - received);
  response->body = g_strndup (header_end + 4, response->body_length);

  g_bytes_unref (exchange.request);
  g_byte_array_unref (exchange.received);
  g_clear_object (&exchange.connection);

  return g_steal_pointer (&response);
}

/* Sends "@method @target HTTP/1.1" with @target exactly as given. */
static RawResponse *
send_raw (Fixture    *fixture,
          const char *method,
          const char *target)
{
  g_autofree char *request = NULL;

  request = g_strdup_printf ("%s %s HTTP/1.1\r\n"
                             "Host: 127.0.0.1\r\n"
                             "Connection: close\r\n"
                             "\r\n",
                             method, target);

  return send_raw_bytes (fixture, request, strlen (request));
}

/* Asserts that GET @target answers @status and none of the files that must
 * not be reached. */
static void
assert_raw_refused (Fixture    *fixture,
                    const char *target,
                    guint       status)
{
  g_autoptr(RawResponse) response = send_raw (fixture, "GET", target);

  g_test_message ("GET %s → %u", target, response->status);
  g_assert_cmpuint (response->status, ==, status);
  g_assert_null (strstr (response->body, "secret"));
  g_assert_null (strstr (response->body, "<title>"));
  g_assert_null (strstr (response->body, "body {"));
}

static void
test_url_format (Fixture       *fixture,
                 gconstpointer  user_data)
{
  const char *url = yun_cloud_server_get_url (fixture->server);
  g_autofree char *property = NULL;

  g_assert_true (g_regex_match_simple ("^http://127\\.0\\.0\\.1:[1-9][0-9]*/$", url, 0, 0));

  g_object_get (fixture->server, "url", &property, NULL);
  g_assert_cmpstr (property, ==, url);
}

static void
test_url_before_listen (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(YunCloudServer) server = NULL;
  g_autoptr(GError) error = NULL;

  server = yun_cloud_server_new (fixture->webapps_dir, fixture->data_dir, &error);
  g_assert_no_error (error);

  g_assert_null (yun_cloud_server_get_url (server));

  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_listen_port_in_use (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(YunCloudServer) server = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;

  uri = g_uri_parse (yun_cloud_server_get_url (fixture->server), G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);

  server = yun_cloud_server_new (fixture->webapps_dir, fixture->data_dir, &error);
  g_assert_no_error (error);

  g_assert_false (yun_cloud_server_listen (server, "127.0.0.1", g_uri_get_port (uri), &error));
  g_assert_error (error, YUN_CLOUD_SERVER_ERROR, YUN_CLOUD_SERVER_ERROR_ADDRESS_IN_USE);
  g_assert_null (yun_cloud_server_get_url (server));

  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_listen_invalid_host (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(YunCloudServer) server = NULL;
  g_autoptr(GError) error = NULL;

  server = yun_cloud_server_new (fixture->webapps_dir, fixture->data_dir, &error);
  g_assert_no_error (error);

  g_assert_false (yun_cloud_server_listen (server, "not an address", 0, &error));
  g_assert_error (error, YUN_CLOUD_SERVER_ERROR, YUN_CLOUD_SERVER_ERROR_INVALID_ADDRESS);

  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_missing_webapps_dir (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(YunCloudServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename (fixture->tmp_dir, "missing", NULL);

  server = yun_cloud_server_new (missing, fixture->data_dir, &error);
  g_assert_error (error, YUN_CLOUD_SERVER_ERROR, YUN_CLOUD_SERVER_ERROR_WEBAPPS_DIR);
  g_assert_null (server);
}

static void
test_data_dir_created (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(YunCloudServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = g_build_filename (fixture->tmp_dir, "new", "data", NULL);
  GStatBuf st;

  server = yun_cloud_server_new (fixture->webapps_dir, data_dir, &error);
  g_assert_no_error (error);

  g_assert_cmpint (g_stat (data_dir, &st), ==, 0);
  g_assert_true (S_ISDIR (st.st_mode));
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  g_assert_finalize_object (g_steal_pointer (&server));
}

static void
test_data_dir_not_a_folder (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(YunCloudServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = g_build_filename (fixture->tmp_dir, "secret.txt", NULL);

  server = yun_cloud_server_new (fixture->webapps_dir, data_dir, &error);
  g_assert_error (error, YUN_CLOUD_SERVER_ERROR, YUN_CLOUD_SERVER_ERROR_DATA_DIR);
  g_assert_null (server);
}

static void
test_index (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMessageHeaders *headers;

  msg = send_request (fixture, "GET", "apps/hello/", &body);
  headers = soup_message_get_response_headers (msg);

  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Content-Type"), ==,
                   "text/html; charset=utf-8");
  assert_body (body, INDEX_HTML);
}

static void
test_file_headers (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMessageHeaders *headers;

  msg = send_request (fixture, "GET", "apps/hello/index.html", &body);
  headers = soup_message_get_response_headers (msg);

  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "X-Content-Type-Options"), ==,
                   "nosniff");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Cache-Control"), ==, "no-cache");
  assert_body (body, INDEX_HTML);
}

static void
test_js_mime (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;

  msg = send_request (fixture, "GET", "apps/hello/app.js", &body);

  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                 "Content-Type"),
                   ==, "text/javascript; charset=utf-8");
  assert_body (body, APP_JS);
}

static void
test_manifest (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *manifest;
  gsize length;
  const char *data;

  msg = send_request (fixture, "GET", "apps/hello/manifest.json", &body);

  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                 "Content-Type"),
                   ==, "application/json");

  data = g_bytes_get_data (body, &length);
  json_parser_load_from_data (parser, data, length, &error);
  g_assert_no_error (error);
  manifest = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (manifest, "name"), ==, "Hello");
}

static void
test_nested_file (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;

  msg = send_request (fixture, "GET", "apps/hello/sub/dir/file.css", &body);

  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                 "Content-Type"),
                   ==, "text/css; charset=utf-8");
  assert_body (body, FILE_CSS);
}

static void
test_unknown_extension (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;

  msg = send_request (fixture, "GET", "apps/hello/data.bin", &body);

  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                 "Content-Type"),
                   ==, "application/octet-stream");
  assert_body (body, "\x01\x02\x03");
}

static void
test_query_ignored (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;

  msg = send_request (fixture, "GET", "apps/hello/app.js?v=2", &body);

  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  assert_body (body, APP_JS);
}

/* Requests @path and expects a permanent redirect to @target, both
 * relative to the server's URL. */
static void
assert_redirect (Fixture    *fixture,
                 const char *path,
                 const char *target)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *expected = NULL;

  msg = send_request (fixture, "GET", path, &body);

  expected = g_strconcat (yun_cloud_server_get_url (fixture->server), target, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_MOVED_PERMANENTLY);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                 "Location"),
                   ==, expected);
}

static void
test_redirect_missing_slash (Fixture       *fixture,
                             gconstpointer  user_data)
{
  assert_redirect (fixture, "apps/hello", "apps/hello/");
}

static void
test_redirect_missing_app (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;

  msg = send_request (fixture, "GET", "apps/nothing", &body);

  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_NOT_FOUND);
  g_assert_null (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                               "Location"));
}

static void
test_redirect_apps (Fixture       *fixture,
                    gconstpointer  user_data)
{
  assert_redirect (fixture, "apps", "apps/");
}

static void
test_missing_file (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;

  msg = send_request (fixture, "GET", "apps/hello/nope.js", &body);

  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_NOT_FOUND);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                 "Content-Type"),
                   ==, "text/plain; charset=utf-8");
  assert_body (body, "Not found\n");
}

static void
test_unknown_route (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;

  msg = send_request (fixture, "GET", "appsx/hello/index.html", &body);

  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_NOT_FOUND);
  assert_body (body, "Not found\n");
}

static void
test_directory_not_served (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(SoupMessage) slash_msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) slash_body = NULL;

  msg = send_request (fixture, "GET", "apps/hello/sub", &body);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_NOT_FOUND);

  /* With a slash it means sub/index.html, which does not exist. */
  slash_msg = send_request (fixture, "GET", "apps/hello/sub/", &slash_body);
  g_assert_cmpuint (soup_message_get_status (slash_msg), ==, SOUP_STATUS_NOT_FOUND);
}

static void
test_listing (Fixture       *fixture,
              gconstpointer  user_data)
{
  const char *expected_ids[] = { "alpha", "beta", "hello", "zeta" };
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *base = yun_cloud_server_get_url (fixture->server);
  JsonNode *root;
  JsonArray *apps;
  gsize length;
  const char *data;

  msg = send_request (fixture, "GET", "apps/", &body);

  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                 "Content-Type"),
                   ==, "application/json");

  data = g_bytes_get_data (body, &length);
  json_parser_load_from_data (parser, data, length, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  apps = json_node_get_array (root);

  g_assert_cmpuint (json_array_get_length (apps), ==, G_N_ELEMENTS (expected_ids));

  for (guint i = 0; i < G_N_ELEMENTS (expected_ids); i++) {
    JsonObject *app = json_array_get_object_element (apps, i);
    g_autofree char *manifest_url = NULL;

    manifest_url = g_strconcat (base, "apps/", expected_ids[i], "/manifest.json", NULL);
    g_assert_cmpuint (json_object_get_size (app), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (app, "id"), ==, expected_ids[i]);
    g_assert_cmpstr (json_object_get_string_member (app, "manifest_url"), ==, manifest_url);
  }
}

static void
test_post_not_allowed (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;

  msg = send_request (fixture, "POST", "apps/hello/index.html", &body);

  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                 "Allow"),
                   ==, "GET, HEAD");
}

static void
test_head (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autoptr(RawResponse) response = NULL;

  /* On a raw socket, to see that no body bytes follow the headers. */
  response = send_raw (fixture, "HEAD", "/apps/hello/app.js");

  g_assert_cmpuint (response->status, ==, SOUP_STATUS_OK);
  g_assert_cmpint (soup_message_headers_get_content_length (response->headers), ==,
                   strlen (APP_JS));
  g_assert_cmpstr (soup_message_headers_get_one (response->headers, "Content-Type"), ==,
                   "text/javascript; charset=utf-8");
  g_assert_cmpstr (soup_message_headers_get_one (response->headers, "X-Content-Type-Options"),
                   ==, "nosniff");
  g_assert_cmpuint (response->body_length, ==, 0);
}

static void
test_raw_get_served (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(RawResponse) response = NULL;

  /* The raw client itself works, so the refusals below mean something. */
  response = send_raw (fixture, "GET", "/apps/hello/sub/dir/file.css");

  g_assert_cmpuint (response->status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (response->body, ==, FILE_CSS);
}

static void
test_traversal_dot_dot (Fixture       *fixture,
                        gconstpointer  user_data)
{
  assert_raw_refused (fixture, "/apps/hello/../secret.txt", SOUP_STATUS_NOT_FOUND);
  assert_raw_refused (fixture, "/apps/hello/../../secret.txt", SOUP_STATUS_NOT_FOUND);
  assert_raw_refused (fixture, "/apps/hello/sub/../../../secret.txt", SOUP_STATUS_NOT_FOUND);
}

static void
test_traversal_encoded_dot_dot (Fixture       *fixture,
                                gconstpointer  user_data)
{
  assert_raw_refused (fixture, "/apps/hello/%2e%2e/secret.txt", SOUP_STATUS_NOT_FOUND);
  assert_raw_refused (fixture, "/apps/hello/%2e%2e/%2e%2e/secret.txt", SOUP_STATUS_NOT_FOUND);
  assert_raw_refused (fixture, "/apps/hello/sub/%2e%2e/%2e%2e/%2e%2e/secret.txt",
                      SOUP_STATUS_NOT_FOUND);
}

static void
test_traversal_mixed_case (Fixture       *fixture,
                           gconstpointer  user_data)
{
  assert_raw_refused (fixture, "/apps/hello/%2E%2e/secret.txt", SOUP_STATUS_NOT_FOUND);
  assert_raw_refused (fixture, "/apps/hello/%2E%2e/%2e%2E/secret.txt", SOUP_STATUS_NOT_FOUND);
  assert_raw_refused (fixture, "/apps/hello/.%2E/secret.txt", SOUP_STATUS_NOT_FOUND);
}

/* GLib's URI parser, which libsoup uses on every request, decodes %2e and
 * then removes dot segments (RFC 3986, 5.2.4 and 6.2.2) before the server
 * sees the path. A dot segment that stays inside the app therefore names
 * the same file as the path without it; the ones that climb out are the
 * traversal tests. This pins that layer's behaviour: should it change,
 * the server's own check turns these into 404s, and this test says so. */
static void
test_dot_segments_resolved (Fixture       *fixture,
                            gconstpointer  user_data)
{
  const char *targets[] = {
    "/apps/hello/%2e/index.html",
    "/apps/hello/sub/%2e%2e/index.html",
    "/apps/hello/sub/dir/%2E%2e/../index.html",
  };

  for (size_t i = 0; i < G_N_ELEMENTS (targets); i++) {
    g_autoptr(RawResponse) response = send_raw (fixture, "GET", targets[i]);

    g_test_message ("GET %s → %u", targets[i], response->status);
    g_assert_cmpuint (response->status, ==, SOUP_STATUS_OK);
    g_assert_cmpstr (response->body, ==, INDEX_HTML);
  }
}

static void
test_traversal_encoded_slash (Fixture       *fixture,
                              gconstpointer  user_data)
{
  assert_raw_refused (fixture, "/apps/hello/sub%2fdir%2ffile.css", SOUP_STATUS_NOT_FOUND);
  assert_raw_refused (fixture, "/apps/hello/sub%2Fdir%2Ffile.css", SOUP_STATUS_NOT_FOUND);
  assert_raw_refused (fixture, "/apps/hello%2findex.html", SOUP_STATUS_NOT_FOUND);
  assert_raw_refused (fixture, "/apps/hello/%2e%2e%2fsecret.txt", SOUP_STATUS_NOT_FOUND);
}

static void
test_traversal_encoded_backslash (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  assert_raw_refused (fixture, "/apps/hello/back%5cslash.txt", SOUP_STATUS_NOT_FOUND);
  assert_raw_refused (fixture, "/apps/hello/back%5Cslash.txt", SOUP_STATUS_NOT_FOUND);
  assert_raw_refused (fixture, "/apps/hello/%2e%2e%5csecret.txt", SOUP_STATUS_NOT_FOUND);
}

static void
test_traversal_backslash (Fixture       *fixture,
                          gconstpointer  user_data)
{
  assert_raw_refused (fixture, "/apps/hello/back\\slash.txt", SOUP_STATUS_NOT_FOUND);
  assert_raw_refused (fixture, "/apps/hello/..\\secret.txt", SOUP_STATUS_NOT_FOUND);
}

static void
test_traversal_encoded_nul (Fixture       *fixture,
                            gconstpointer  user_data)
{
  assert_raw_refused (fixture, "/apps/hello/index.html%00.js", SOUP_STATUS_BAD_REQUEST);
  assert_raw_refused (fixture, "/apps/hello/%00", SOUP_STATUS_BAD_REQUEST);
}

static void
test_traversal_raw_nul (Fixture       *fixture,
                        gconstpointer  user_data)
{
  static const char request[] = "GET /apps/hello/index.html\0.js HTTP/1.1\r\n"
                                "Host: 127.0.0.1\r\n"
                                "Connection: close\r\n"
                                "\r\n";
  g_autoptr(RawResponse) response = NULL;

  response = send_raw_bytes (fixture, request, sizeof request - 1);

  g_assert_cmpuint (response->status, ==, SOUP_STATUS_BAD_REQUEST);
  g_assert_null (strstr (response->body, "<title>"));
}

static void
test_bad_encoding (Fixture       *fixture,
                   gconstpointer  user_data)
{
  assert_raw_refused (fixture, "/apps/hello/index.html%zz", SOUP_STATUS_BAD_REQUEST);
  assert_raw_refused (fixture, "/apps/hello/index.html%4", SOUP_STATUS_BAD_REQUEST);
  assert_raw_refused (fixture, "/apps/hello/index.html%", SOUP_STATUS_BAD_REQUEST);
  /* Decodes to bytes that are not UTF-8. */
  assert_raw_refused (fixture, "/apps/hello/%ff%fe.html", SOUP_STATUS_BAD_REQUEST);
}

static void
test_empty_segment (Fixture       *fixture,
                    gconstpointer  user_data)
{
  assert_raw_refused (fixture, "/apps/hello//index.html", SOUP_STATUS_NOT_FOUND);
  assert_raw_refused (fixture, "/apps/hello/sub//dir/file.css", SOUP_STATUS_NOT_FOUND);
  assert_raw_refused (fixture, "/apps//hello/index.html", SOUP_STATUS_NOT_FOUND);
}

static void
test_symlink_out (Fixture       *fixture,
                  gconstpointer  user_data)
{
  assert_raw_refused (fixture, "/apps/hello/link-out.txt", SOUP_STATUS_NOT_FOUND);
}

static void
test_symlink_dir_out (Fixture       *fixture,
                      gconstpointer  user_data)
{
  assert_raw_refused (fixture, "/apps/hello/link-dir/secret.txt", SOUP_STATUS_NOT_FOUND);
  assert_raw_refused (fixture, "/apps/hello/link-dir/webapps/hello/index.html",
                      SOUP_STATUS_NOT_FOUND);
}

static void
test_symlink_inside (Fixture       *fixture,
                     gconstpointer  user_data)
{
  /* Even a link that stays in the app is refused: links are not followed. */
  assert_raw_refused (fixture, "/apps/hello/link-in.html", SOUP_STATUS_NOT_FOUND);
}

static void
test_symlink_app (Fixture       *fixture,
                  gconstpointer  user_data)
{
  assert_raw_refused (fixture, "/apps/linked/index.html", SOUP_STATUS_NOT_FOUND);
  assert_raw_refused (fixture, "/apps/linked/", SOUP_STATUS_NOT_FOUND);
  assert_raw_refused (fixture, "/apps/linked", SOUP_STATUS_NOT_FOUND);
}

static void
test_hidden_file (Fixture       *fixture,
                  gconstpointer  user_data)
{
  assert_raw_refused (fixture, "/apps/hello/.hidden", SOUP_STATUS_NOT_FOUND);
  assert_raw_refused (fixture, "/apps/hello/%2ehidden", SOUP_STATUS_NOT_FOUND);
}

static void
test_app_id_uppercase (Fixture       *fixture,
                       gconstpointer  user_data)
{
  assert_raw_refused (fixture, "/apps/Hello/index.html", SOUP_STATUS_NOT_FOUND);
  assert_raw_refused (fixture, "/apps/Hello", SOUP_STATUS_NOT_FOUND);
}

static void
test_app_id_dot_dot (Fixture       *fixture,
                     gconstpointer  user_data)
{
  assert_raw_refused (fixture, "/apps/../secret.txt", SOUP_STATUS_NOT_FOUND);
  assert_raw_refused (fixture, "/apps/%2e%2e/secret.txt", SOUP_STATUS_NOT_FOUND);
  assert_raw_refused (fixture, "/apps/%2e%2e/%2e%2e/secret.txt", SOUP_STATUS_NOT_FOUND);
  assert_raw_refused (fixture, "/apps/%2e%2e", SOUP_STATUS_NOT_FOUND);
}

static void
test_app_id_hidden (Fixture       *fixture,
                    gconstpointer  user_data)
{
  assert_raw_refused (fixture, "/apps/.hidden/index.html", SOUP_STATUS_NOT_FOUND);
  assert_raw_refused (fixture, "/apps/%2ehidden/index.html", SOUP_STATUS_NOT_FOUND);
}

static void
test_app_id_too_long (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autofree char *id = make_id ('a', 65);
  g_autofree char *target = g_strconcat ("/apps/", id, "/index.html", NULL);

  assert_raw_refused (fixture, target, SOUP_STATUS_NOT_FOUND);
}

static void
test_app_id_longest (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autofree char *id = make_id ('b', 64);
  g_autofree char *path = g_strconcat ("apps/", id, "/index.html", NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;

  msg = send_request (fixture, "GET", path, &body);

  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  assert_body (body, INDEX_HTML);
}

static void
test_file_too_large (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autofree char *path = g_build_filename (fixture->webapps_dir, "hello", "big.bin", NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  int fd;

  /* Sparse: one byte over the limit without writing 64 MiB. */
  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) 64 * 1024 * 1024 + 1), ==, 0);
  g_assert_cmpint (close (fd), ==, 0);

  g_test_expect_message ("yun-cloud", G_LOG_LEVEL_MESSAGE, "Not serving*big.bin*");
  msg = send_request (fixture, "GET", "apps/hello/big.bin", &body);
  g_test_assert_expected_messages ();

  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_INTERNAL_SERVER_ERROR);
  assert_body (body, "File too large to serve\n");
}

static void
on_closed_ready (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  gboolean *done = user_data;

  g_io_stream_close_finish (G_IO_STREAM (source_object), result, NULL);
  *done = TRUE;
}

static void
on_hangup_connect_ready (GObject      *source_object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  static const char request[] = "GET /apps/hello/index.html HTTP/1.1\r\n"
                                "Host: 127.0.0.1\r\n"
                                "\r\n";
  GOutputStream *output;

  connection = g_socket_client_connect_to_uri_finish (G_SOCKET_CLIENT (source_object),
                                                      result, &error);
  g_assert_no_error (error);

  output = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_output_stream_write_all (output, request, sizeof request - 1, NULL, NULL, &error);
  g_assert_no_error (error);

  g_io_stream_close_async (G_IO_STREAM (connection), G_PRIORITY_DEFAULT, NULL,
                           on_closed_ready, user_data);
}

static void
test_client_gone (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  gboolean closed = FALSE;

  g_socket_client_set_enable_proxy (client, FALSE);

  /* A client that hangs up before its answer is ready must not take the
   * server down (nor trip a critical, fatal in tests); the next request
   * is still served. */
  g_socket_client_connect_to_uri_async (client, yun_cloud_server_get_url (fixture->server), 80,
                                        NULL, on_hangup_connect_ready, &closed);
  wait_until (&closed);

  msg = send_request (fixture, "GET", "apps/hello/app.js", &body);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  assert_body (body, APP_JS);
}

static void
add_test (const char *name,
          void (*test) (Fixture *, gconstpointer))
{
  g_autofree char *path = g_strconcat ("/yun/cloud/server/", name, NULL);

  g_test_add (path, Fixture, NULL, fixture_setup, test, fixture_teardown);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  add_test ("url-format", test_url_format);
  add_test ("url-before-listen", test_url_before_listen);
  add_test ("listen-port-in-use", test_listen_port_in_use);
  add_test ("listen-invalid-host", test_listen_invalid_host);
  add_test ("missing-webapps-dir", test_missing_webapps_dir);
  add_test ("data-dir-created", test_data_dir_created);
  add_test ("data-dir-not-a-folder", test_data_dir_not_a_folder);
  add_test ("index", test_index);
  add_test ("file-headers", test_file_headers);
  add_test ("js-mime", test_js_mime);
  add_test ("manifest", test_manifest);
  add_test ("nested-file", test_nested_file);
  add_test ("unknown-extension", test_unknown_extension);
  add_test ("query-ignored", test_query_ignored);
  add_test ("redirect-missing-slash", test_redirect_missing_slash);
  add_test ("redirect-missing-app", test_redirect_missing_app);
  add_test ("redirect-apps", test_redirect_apps);
  add_test ("missing-file", test_missing_file);
  add_test ("unknown-route", test_unknown_route);
  add_test ("directory-not-served", test_directory_not_served);
  add_test ("listing", test_listing);
  add_test ("post-not-allowed", test_post_not_allowed);
  add_test ("head", test_head);
  add_test ("raw-get-served", test_raw_get_served);
  add_test ("traversal-dot-dot", test_traversal_dot_dot);
  add_test ("traversal-encoded-dot-dot", test_traversal_encoded_dot_dot);
  add_test ("traversal-mixed-case", test_traversal_mixed_case);
  add_test ("dot-segments-resolved", test_dot_segments_resolved);
  add_test ("traversal-encoded-slash", test_traversal_encoded_slash);
  add_test ("traversal-encoded-backslash", test_traversal_encoded_backslash);
  add_test ("traversal-backslash", test_traversal_backslash);
  add_test ("traversal-encoded-nul", test_traversal_encoded_nul);
  add_test ("traversal-raw-nul", test_traversal_raw_nul);
  add_test ("bad-encoding", test_bad_encoding);
  add_test ("empty-segment", test_empty_segment);
  add_test ("symlink-out", test_symlink_out);
  add_test ("symlink-dir-out", test_symlink_dir_out);
  add_test ("symlink-inside", test_symlink_inside);
  add_test ("symlink-app", test_symlink_app);
  add_test ("hidden-file", test_hidden_file);
  add_test ("app-id-uppercase", test_app_id_uppercase);
  add_test ("app-id-dot-dot", test_app_id_dot_dot);
  add_test ("app-id-hidden", test_app_id_hidden);
  add_test ("app-id-too-long", test_app_id_too_long);
  add_test ("app-id-longest", test_app_id_longest);
  add_test ("file-too-large", test_file_too_large);
  add_test ("client-gone", test_client_gone);

  return g_test_run ();
}
