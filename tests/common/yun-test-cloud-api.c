/* yun-test-cloud-api.c: a real yun-cloud in the test process, and HTTP
 * requests to its JSON APIs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-test-cloud-api.h"

#include "yun-test-files.h"
#include "yun-test-loop.h"

#include <sqlite3.h>
#include <string.h>

#define TIMEOUT_SECONDS 60

/**
 * yun_test_cloud_new:
 * @webapps_dir: (nullable): the web apps folder; %NULL for
 *   $YUN_WEBAPPS_DIR, the project's own apps
 *
 * Starts yun-cloud on a fresh data folder.
 */
YunTestCloud *
yun_test_cloud_new (const char *webapps_dir)
{
  YunTestCloud *cloud = g_new0 (YunTestCloud, 1);
  g_autoptr(GError) error = NULL;

  cloud->tmp_dir = g_dir_make_tmp ("yun-cloud-api-XXXXXX", &error);
  g_assert_no_error (error);
  cloud->data_dir = g_build_filename (cloud->tmp_dir, "data", NULL);
  if (webapps_dir == NULL)
    webapps_dir = g_getenv ("YUN_WEBAPPS_DIR");
  g_assert_nonnull (webapps_dir);

  cloud->server = yun_cloud_server_new (webapps_dir, cloud->data_dir, &error);
  g_assert_no_error (error);
  yun_cloud_server_listen (cloud->server, "127.0.0.1", 0, &error);
  g_assert_no_error (error);
  cloud->url = yun_cloud_server_get_url (cloud->server);

  /* Loopback only: never ask the desktop's proxy settings. */
  cloud->session = soup_session_new ();
  soup_session_set_proxy_resolver (cloud->session, NULL);

  return cloud;
}

void
yun_test_cloud_free (YunTestCloud *cloud)
{
  soup_session_abort (cloud->session);
  g_assert_finalize_object (cloud->session);
  g_assert_finalize_object (cloud->server);
  yun_test_remove_tree (cloud->tmp_dir);
  g_free (cloud->data_dir);
  g_free (cloud->tmp_dir);
  g_free (cloud);
}

void
yun_test_response_free (YunTestResponse *response)
{
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->json, json_node_unref);
  g_free (response);
}

typedef struct {
  gboolean done;
  GBytes *body;
  GError *error;
} SendData;

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  SendData *data = user_data;

  data->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &data->error);
  data->done = TRUE;
}

static YunTestResponse *
finish_response (guint               status,
                 SoupMessageHeaders *headers,
                 GBytes             *body)
{
  YunTestResponse *response = g_new0 (YunTestResponse, 1);
  const char *type = headers != NULL ? soup_message_headers_get_content_type (headers, NULL)
                                     : NULL;

  response->status = status;
  response->headers = headers != NULL ? soup_message_headers_ref (headers) : NULL;
  response->body = g_bytes_ref (body);
  if (type != NULL && g_str_equal (type, "application/json")) {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) error = NULL;
    gsize size;
    const char *data = g_bytes_get_data (body, &size);

    json_parser_load_from_data (parser, data, size, &error);
    g_assert_no_error (error);
    response->json = json_node_ref (json_parser_get_root (parser));
  }
  return response;
}

/**
 * yun_test_cloud_request:
 * @cloud: the cloud
 * @method: the HTTP method
 * @path: below the base URL, such as "api/store/apps"
 * @user: (nullable): the stand-in user header's value
 * @content_type: (nullable): the body's type
 * @body: (nullable): the body
 * @length: its length, or -1 for a string
 *
 * Sends a request and runs the main context until the answer came.
 */
YunTestResponse *
yun_test_cloud_request (YunTestCloud *cloud,
                        const char   *method,
                        const char   *path,
                        const char   *user,
                        const char   *content_type,
                        const void   *body,
                        gssize        length)
{
  g_autofree char *url = g_strconcat (cloud->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  SendData data = { 0 };
  YunTestResponse *response;

  g_assert_nonnull (msg);
  if (user != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Yun-User", user);
  if (body != NULL) {
    g_autoptr(GBytes) bytes = g_bytes_new (body, length >= 0 ? (gsize) length
                                                             : strlen (body));

    soup_message_set_request_body_from_bytes (msg, content_type, bytes);
  }

  soup_session_send_and_read_async (cloud->session, msg, G_PRIORITY_DEFAULT, NULL, on_sent,
                                    &data);
  yun_test_run_until (&data.done, TIMEOUT_SECONDS);
  g_assert_no_error (data.error);

  response = finish_response (soup_message_get_status (msg),
                              soup_message_get_response_headers (msg), data.body);
  g_bytes_unref (data.body);
  return response;
}

YunTestResponse *
yun_test_cloud_get (YunTestCloud *cloud,
                    const char   *path)
{
  return yun_test_cloud_request (cloud, "GET", path, NULL, NULL, NULL, 0);
}

YunTestResponse *
yun_test_cloud_send_json (YunTestCloud *cloud,
                          const char   *method,
                          const char   *path,
                          const char   *user,
                          const char   *json)
{
  return yun_test_cloud_request (cloud, method, path, user, "application/json", json, -1);
}

typedef struct {
  gboolean done;
  GString *answer;
  GError *error;
  GSocketConnection *connection;
  char buffer[4096];
  const char *request;
} RawData;

static void on_raw_read (GObject *source, GAsyncResult *result, gpointer user_data);

/* Whether @answer holds a whole response with a Content-Length: a server
 * that refused a body it has not read may keep the connection open. */
static gboolean
answer_is_complete (GString *answer)
{
  const char *end = strstr (answer->str, "\r\n\r\n");
  g_autofree char *head = NULL;
  const char *length;

  if (end == NULL)
    return FALSE;
  head = g_ascii_strdown (answer->str, end - answer->str);
  length = strstr (head, "\r\ncontent-length:");
  if (length == NULL)
    return FALSE;
  return (gsize) (answer->str + answer->len - (end + 4)) >=
         g_ascii_strtoull (length + strlen ("\r\ncontent-length:"), NULL, 10);
}

static void
read_more (RawData *data)
{
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (data->connection));

  g_input_stream_read_async (input, data->buffer, sizeof data->buffer, G_PRIORITY_DEFAULT, NULL,
                             on_raw_read, data);
}

static void
on_raw_read (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  RawData *data = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &data->error);

  if (n <= 0) {
    /* A reset after the answer is how a server drops a client that sent
     * too much: what was answered counts. */
    g_clear_error (&data->error);
    data->done = TRUE;
    return;
  }
  g_string_append_len (data->answer, data->buffer, n);
  if (answer_is_complete (data->answer)) {
    data->done = TRUE;
    return;
  }
  read_more (data);
}

static void
on_raw_written (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  RawData *data = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL);
  read_more (data);
}

static void
on_raw_connected (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  RawData *data = user_data;
  GOutputStream *output;

  data->connection = g_socket_client_connect_to_uri_finish (G_SOCKET_CLIENT (source), result,
                                                            &data->error);
  if (data->connection == NULL) {
    data->done = TRUE;
    return;
  }
  output = g_io_stream_get_output_stream (G_IO_STREAM (data->connection));
  g_output_stream_write_all_async (output, data->request, strlen (data->request),
                                   G_PRIORITY_DEFAULT, NULL, on_raw_written, data);
}

/**
 * yun_test_cloud_request_raw:
 * @cloud: the cloud
 * @request: a whole HTTP request, as bytes on the wire
 *
 * Sends @request over a new connection and reads until the server closes
 * it, for requests an HTTP client would not send.  Only the status line
 * and the body of the answer are parsed.
 */
YunTestResponse *
yun_test_cloud_request_raw (YunTestCloud *cloud,
                            const char   *request)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  RawData data = { 0 };
  YunTestResponse *response = g_new0 (YunTestResponse, 1);
  const char *body;

  data.answer = g_string_new (NULL);
  data.request = request;
  g_socket_client_connect_to_uri_async (client, cloud->url, 80, NULL, on_raw_connected, &data);
  yun_test_run_until (&data.done, TIMEOUT_SECONDS);
  g_assert_no_error (data.error);
  g_clear_object (&data.connection);

  g_assert_true (g_str_has_prefix (data.answer->str, "HTTP/1.1 "));
  response->status = (guint) g_ascii_strtoull (data.answer->str + 9, NULL, 10);
  body = strstr (data.answer->str, "\r\n\r\n");
  response->body = g_bytes_new (body != NULL ? body + 4 : "",
                                body != NULL ? strlen (body + 4) : 0);
  if (body != NULL && body[4] == '{') {
    g_autoptr(JsonParser) parser = json_parser_new ();

    if (json_parser_load_from_data (parser, body + 4, -1, NULL))
      response->json = json_node_ref (json_parser_get_root (parser));
  }
  g_string_free (data.answer, TRUE);
  return response;
}

/* Asserts @response has @status and a JSON object body; returns it. */
JsonObject *
yun_test_response_object (YunTestResponse *response,
                          guint            status)
{
  if (response->status != status)
    g_error ("expected HTTP %u, got %u: %.*s", status, response->status,
             (int) MIN (g_bytes_get_size (response->body), 400),
             (const char *) g_bytes_get_data (response->body, NULL));
  g_assert_nonnull (response->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (response->json));
  return json_node_get_object (response->json);
}

/**
 * yun_test_response_assert_error:
 * @response: an answer
 * @status: the HTTP status it must have
 * @error: (nullable): the `error` member it must have
 *
 * Asserts the answer is an error: @status, and a JSON body with a string
 * `error` and a non-empty `reason`.
 */
void
yun_test_response_assert_error (YunTestResponse *response,
                                guint            status,
                                const char      *error)
{
  JsonObject *object = yun_test_response_object (response, status);

  g_assert_true (json_object_has_member (object, "error"));
  g_assert_true (json_object_has_member (object, "reason"));
  if (error != NULL)
    g_assert_cmpstr (json_object_get_string_member (object, "error"), ==, error);
  g_assert_cmpuint (strlen (json_object_get_string_member (object, "reason")), >, 0);
}

/* The `items` of a 200 page. */
JsonArray *
yun_test_page_items (YunTestResponse *response)
{
  JsonObject *object = yun_test_response_object (response, SOUP_STATUS_OK);

  g_assert_true (json_object_has_member (object, "items"));
  g_assert_true (json_object_has_member (object, "next_offset"));
  return json_object_get_array_member (object, "items");
}

/**
 * yun_test_cloud_count:
 * @cloud: the cloud
 * @db: a database of its data folder, such as "groupbuy.db"
 * @sql: a query whose first column of its first row is a number
 *
 * Reads the database file itself, behind the API's back.
 */
guint
yun_test_cloud_count (YunTestCloud *cloud,
                      const char   *db,
                      const char   *sql)
{
  g_autofree char *path = g_build_filename (cloud->data_dir, db, NULL);
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;
  guint count;

  g_assert_cmpint (sqlite3_open_v2 (path, &handle, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (handle);
  return count;
}
