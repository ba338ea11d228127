/* test-dev-server.c: tests for YunDevServer, `yun-dev serve`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real server on 127.0.0.1, port 0, serving an app folder made for each
 * test, with real inotify watches. Ordinary requests go through a
 * SoupSession; requests a client library would normalise (dot segments,
 * encoded slashes) are written byte for byte on a plain socket. The
 * live-reload stream is read as a browser's EventSource would, line by
 * line.
 */

#include "config.h"

#include "yun-dev-server.h"
#include "yun-test-files.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include <string.h>

/* Only a safety net so that a broken server fails the test instead of
 * hanging it; no test measures time. */
#define TIMEOUT_SECONDS 20

#define SECRET "secret outside the app\n"
#define INDEX_HTML "<!doctype html>\n<title>Hi</title>\n<body>\n<p>Hi</p>\n</body>\n</html>\n"
#define UPPER_HTML "<!DOCTYPE html><BODY><p>a</body> in text</p></BODY>\n"
#define BARE_HTML "<p>no body element at all</p>"
#define APP_JS "console.log ('</body>');\n"
#define MANIFEST_JSON "{\"name\": \"Served\", \"start_url\": \"./\"}\n"
#define RELOAD_TAG "<script src=\"/_yun/live-reload.js\"></script>\n"

typedef struct {
  char         *tmp_dir;
  char         *app_dir;
  YunDevServer *server;
  SoupSession  *session;
} Fixture;

typedef struct {
  gboolean  done;
  GError   *error;
  gpointer  result;
} Wait;

typedef struct {
  GDataInputStream *lines;
  GCancellable     *cancellable;
} EventStream;

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

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;

  fixture->tmp_dir = g_dir_make_tmp ("yun-dev-server-test-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->app_dir = g_build_filename (fixture->tmp_dir, "app", NULL);

  yun_test_write_file (fixture->tmp_dir, "secret.txt", SECRET, -1);
  yun_test_write_file (fixture->app_dir, "manifest.json", MANIFEST_JSON, -1);
  yun_test_write_file (fixture->app_dir, "index.html", INDEX_HTML, -1);
  yun_test_write_file (fixture->app_dir, "upper.html", UPPER_HTML, -1);
  yun_test_write_file (fixture->app_dir, "bare.html", BARE_HTML, -1);
  yun_test_write_file (fixture->app_dir, "app.js", APP_JS, -1);
  yun_test_write_file (fixture->app_dir, "sub/page.html", INDEX_HTML, -1);
  yun_test_write_file (fixture->app_dir, ".hidden", SECRET, -1);

  secret = g_build_filename (fixture->tmp_dir, "secret.txt", NULL);
  yun_test_make_symlink (secret, fixture->app_dir, "link-out.txt");
  yun_test_make_symlink (fixture->tmp_dir, fixture->app_dir, "link-dir");
  yun_test_make_symlink ("index.html", fixture->app_dir, "link-in.html");

  fixture->server = yun_dev_server_new (fixture->app_dir, &error);
  g_assert_no_error (error);
  yun_dev_server_listen (fixture->server, 0, &error);
  g_assert_no_error (error);

  fixture->session = soup_session_new ();
  soup_session_set_proxy_resolver (fixture->session, NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  soup_session_abort (fixture->session);
  /* A cancelled event stream lets go of the session from the main loop. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (fixture->session);
  g_assert_finalize_object (fixture->server);

  yun_test_remove_tree (fixture->tmp_dir);
  g_free (fixture->tmp_dir);
  g_free (fixture->app_dir);
}

static void
on_send_and_read_ready (GObject      *source_object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = soup_session_send_and_read_finish (SOUP_SESSION (source_object), result,
                                                    &wait->error);
  wait->done = TRUE;
}

/* Sends @method @path (relative to the server's URL); the body goes to
 * @out_body. */
static SoupMessage *
send_request (Fixture     *fixture,
              const char  *method,
              const char  *path,
              GBytes     **out_body)
{
  g_autofree char *url = g_strconcat (yun_dev_server_get_url (fixture->server), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  Wait wait = { 0 };

  g_assert_nonnull (msg);
  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    on_send_and_read_ready, &wait);
  wait_until (&wait.done);
  g_assert_no_error (wait.error);

  *out_body = wait.result;
  return g_steal_pointer (&msg);
}

static char *
get_text (Fixture    *fixture,
          const char *path,
          guint       expected_status)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SoupMessage) msg = send_request (fixture, "GET", path, &body);

  g_assert_cmpuint (soup_message_get_status (msg), ==, expected_status);
  return g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static void
on_connected (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_socket_client_connect_to_uri_finish (G_SOCKET_CLIENT (source_object),
                                                        result, &wait->error);
  wait->done = TRUE;
}

static void
on_read_all (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source_object), result,
                                                   &wait->error);
  wait->done = TRUE;
}

/* Writes "GET @target HTTP/1.0" with @target exactly as given, and returns
 * the whole answer: HTTP/1.0, so the server closes the connection. */
static char *
get_raw (Fixture    *fixture,
         const char *target)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GString) answer = g_string_new (NULL);
  g_autofree char *request = g_strdup_printf ("GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", target);
  Wait wait = { 0 };
  g_autoptr(GError) error = NULL;

  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_connect_to_uri_async (client, yun_dev_server_get_url (fixture->server), 80,
                                        NULL, on_connected, &wait);
  wait_until (&wait.done);
  g_assert_no_error (wait.error);
  connection = wait.result;

  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);

  for (;;) {
    g_autoptr(GBytes) bytes = NULL;

    wait = (Wait) { 0 };
    g_input_stream_read_bytes_async (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                     4096, G_PRIORITY_DEFAULT, NULL, on_read_all, &wait);
    wait_until (&wait.done);
    g_assert_no_error (wait.error);
    bytes = wait.result;
    if (g_bytes_get_size (bytes) == 0)
      break;
    g_string_append_len (answer, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  }

  return g_string_free (g_steal_pointer (&answer), FALSE);
}

static void
assert_raw_refused (Fixture    *fixture,
                    const char *target)
{
  g_autofree char *answer = get_raw (fixture, target);

  g_test_message ("GET %s → %.12s", target, answer);
  g_assert_true (g_str_has_prefix (answer, "HTTP/1.0 404 ") ||
                 g_str_has_prefix (answer, "HTTP/1.0 400 ") ||
                 g_str_has_prefix (answer, "HTTP/1.1 404 ") ||
                 g_str_has_prefix (answer, "HTTP/1.1 400 "));
  g_assert_null (strstr (answer, "secret"));
  g_assert_null (strstr (answer, "<title>"));
}

static void
test_url_is_loopback (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_assert_true (g_regex_match_simple ("^http://127\\.0\\.0\\.1:[1-9][0-9]*/$",
                                       yun_dev_server_get_url (fixture->server), 0, 0));
}

static void
test_html_script_before_body_end (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  g_autofree char *page = get_text (fixture, "", SOUP_STATUS_OK);
  g_autofree char *expected = NULL;
  g_autofree char *sub = get_text (fixture, "sub/page.html", SOUP_STATUS_OK);

  expected = g_strconcat ("<!doctype html>\n<title>Hi</title>\n<body>\n<p>Hi</p>\n",
                          RELOAD_TAG, "</body>\n</html>\n", NULL);
  g_assert_cmpstr (page, ==, expected);
  g_assert_cmpstr (sub, ==, expected);
}

static void
test_html_script_before_last_body_end_any_case (Fixture       *fixture,
                                                gconstpointer  user_data)
{
  g_autofree char *page = get_text (fixture, "upper.html", SOUP_STATUS_OK);

  g_assert_cmpstr (page, ==,
                   "<!DOCTYPE html><BODY><p>a</body> in text</p>" RELOAD_TAG "</BODY>\n");
}

static void
test_html_script_appended_without_body (Fixture       *fixture,
                                        gconstpointer  user_data)
{
  g_autofree char *page = get_text (fixture, "bare.html", SOUP_STATUS_OK);

  g_assert_cmpstr (page, ==, BARE_HTML RELOAD_TAG);
}

static void
test_files_other_than_html_unchanged (Fixture       *fixture,
                                      gconstpointer  user_data)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SoupMessage) msg = send_request (fixture, "GET", "app.js", &body);
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);

  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), APP_JS, strlen (APP_JS));
  g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, "text/javascript");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Cache-Control"), ==, "no-store");
}

static void
test_files_missing_not_found (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autofree char *text = get_text (fixture, "nothing.html", SOUP_STATUS_NOT_FOUND);

  g_assert_null (strstr (text, "live-reload"));
}

static void
test_files_traversal_refused (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autofree char *served = get_raw (fixture, "/app.js");

  /* The raw client works, so the refusals below mean something. */
  g_assert_true (g_str_has_prefix (served, "HTTP/1.0 200 ") ||
                 g_str_has_prefix (served, "HTTP/1.1 200 "));

  assert_raw_refused (fixture, "/../secret.txt");
  assert_raw_refused (fixture, "/sub/../../secret.txt");
  assert_raw_refused (fixture, "/%2e%2e/secret.txt");
  assert_raw_refused (fixture, "/%2E%2e/%2e%2E/secret.txt");
  assert_raw_refused (fixture, "/%2e%2e%2fsecret.txt");
  assert_raw_refused (fixture, "/sub%2f..%2f..%2fsecret.txt");
  assert_raw_refused (fixture, "/..%5csecret.txt");
  assert_raw_refused (fixture, "/.hidden");
  assert_raw_refused (fixture, "/%2ehidden");
  assert_raw_refused (fixture, "/index.html%00.js");
  assert_raw_refused (fixture, "/_yun/../secret.txt");
}

static void
test_files_symlinks_refused (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autofree char *out = get_text (fixture, "link-out.txt", SOUP_STATUS_NOT_FOUND);
  g_autofree char *dir = get_text (fixture, "link-dir/secret.txt", SOUP_STATUS_NOT_FOUND);
  g_autofree char *in = get_text (fixture, "link-in.html", SOUP_STATUS_NOT_FOUND);

  g_assert_null (strstr (out, "secret"));
  g_assert_null (strstr (dir, "secret"));
  g_assert_null (strstr (in, "<title>"));
}

static void
test_methods_other_than_get_refused (Fixture       *fixture,
                                     gconstpointer  user_data)
{
  const char *methods[] = { "POST", "PUT", "DELETE", "OPTIONS" };

  for (gsize i = 0; i < G_N_ELEMENTS (methods); i++) {
    g_autoptr(GBytes) body = NULL;
    g_autoptr(SoupMessage) msg = send_request (fixture, methods[i], "index.html", &body);

    g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
    g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                   "Allow"), ==, "GET, HEAD");
  }
}

static void
test_own_files_served (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autofree char *shim = get_text (fixture, "_yun/yun-shim.js", SOUP_STATUS_OK);
  g_autofree char *script = get_text (fixture, "_yun/live-reload.js", SOUP_STATUS_OK);
  g_autofree char *schema = get_text (fixture, "_yun/yun-api.json", SOUP_STATUS_OK);
  g_autofree char *other = get_text (fixture, "_yun/nothing.js", SOUP_STATUS_NOT_FOUND);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (strstr (shim, "navigator"));
  g_assert_cmpstr (other, ==, "Not found\n");
  g_assert_nonnull (strstr (script, "EventSource"));
  json_parser_load_from_data (parser, schema, -1, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_has_member (json_node_get_object (json_parser_get_root (parser)),
                                         "namespaces"));
}

static void
test_new_refuses_missing_folder (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunDevServer) server = yun_dev_server_new ("/nonexistent/app", &error);

  g_assert_error (error, YUN_DEV_SERVER_ERROR, YUN_DEV_SERVER_ERROR_NOT_A_FOLDER);
  g_assert_null (server);
}

static void
test_listen_port_in_use (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = g_uri_parse (yun_dev_server_get_url (fixture->server), G_URI_FLAGS_NONE, NULL);
  g_autoptr(YunDevServer) other = yun_dev_server_new (fixture->app_dir, &error);

  g_assert_no_error (error);
  g_assert_false (yun_dev_server_listen (other, g_uri_get_port (uri), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
  g_assert_null (yun_dev_server_get_url (other));
}

static void
on_stream_sent (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = soup_session_send_finish (SOUP_SESSION (source_object), result, &wait->error);
  wait->done = TRUE;
}

static void
event_stream_open (Fixture     *fixture,
                   EventStream *stream)
{
  g_autofree char *url = g_strconcat (yun_dev_server_get_url (fixture->server),
                                      "_yun/live-reload", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GInputStream) body = NULL;
  Wait wait = { 0 };

  stream->cancellable = g_cancellable_new ();
  soup_session_send_async (fixture->session, msg, G_PRIORITY_DEFAULT, stream->cancellable,
                           on_stream_sent, &wait);
  wait_until (&wait.done);
  g_assert_no_error (wait.error);
  body = wait.result;

  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                          NULL), ==, "text/event-stream");
  stream->lines = g_data_input_stream_new (body);
  g_data_input_stream_set_newline_type (stream->lines, G_DATA_STREAM_NEWLINE_TYPE_LF);
}

static void
event_stream_close (EventStream *stream)
{
  g_cancellable_cancel (stream->cancellable);
  g_clear_object (&stream->lines);
  g_clear_object (&stream->cancellable);
}

static void
on_line_read (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source_object),
                                                            result, NULL, &wait->error);
  wait->done = TRUE;
}

/* Reads the next event as an EventSource would: lines up to a blank one;
 * comments and the retry field are skipped. */
static void
event_stream_next (EventStream  *stream,
                   char        **event,
                   char        **data)
{
  *event = NULL;
  *data = NULL;

  for (;;) {
    g_autofree char *line = NULL;
    Wait wait = { 0 };

    g_data_input_stream_read_line_async (stream->lines, G_PRIORITY_DEFAULT, stream->cancellable,
                                         on_line_read, &wait);
    wait_until (&wait.done);
    g_assert_no_error (wait.error);
    line = wait.result;
    g_assert_nonnull (line);

    if (line[0] == '\0' && *event != NULL)
      return;
    if (g_str_has_prefix (line, "event: "))
      *event = g_strdup (line + strlen ("event: "));
    else if (g_str_has_prefix (line, "data: "))
      *data = g_strdup (line + strlen ("data: "));
  }
}

/* Reads events until a reload one, and returns its paths. */
static GStrv
event_stream_next_reload (EventStream *stream)
{
  for (;;) {
    g_autofree char *event = NULL;
    g_autofree char *data = NULL;
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
    g_autoptr(GError) error = NULL;
    JsonArray *paths;

    event_stream_next (stream, &event, &data);
    if (!g_str_equal (event, "reload"))
      continue;

    json_parser_load_from_data (parser, data, -1, &error);
    g_assert_no_error (error);
    paths = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                          "paths");
    for (guint i = 0; i < json_array_get_length (paths); i++)
      g_strv_builder_add (builder, json_array_get_string_element (paths, i));
    return g_strv_builder_end (builder);
  }
}

/* Opens the stream and reads its first event, which says the server is
 * ready to send more. */
static void
event_stream_open_ready (Fixture     *fixture,
                         EventStream *stream)
{
  g_autofree char *event = NULL;
  g_autofree char *data = NULL;

  event_stream_open (fixture, stream);
  event_stream_next (stream, &event, &data);
  g_assert_cmpstr (event, ==, "hello");
  g_assert_true (g_uuid_string_is_valid (data));
  g_assert_cmpuint (yun_dev_server_get_n_clients (fixture->server), ==, 1);
}

static void
test_live_reload_on_change (Fixture       *fixture,
                            gconstpointer  user_data)
{
  EventStream stream = { 0 };
  g_auto(GStrv) paths = NULL;

  event_stream_open_ready (fixture, &stream);
  yun_test_write_file (fixture->app_dir, "app.js", "console.log ('changed');\n", -1);
  paths = event_stream_next_reload (&stream);

  g_assert_true (g_strv_contains ((const char * const *) paths, "app.js"));
  event_stream_close (&stream);
}

static void
test_live_reload_in_new_subfolder (Fixture       *fixture,
                                   gconstpointer  user_data)
{
  EventStream stream = { 0 };
  g_autofree char *deeper = g_build_filename (fixture->app_dir, "new", "deeper", NULL);

  event_stream_open_ready (fixture, &stream);
  g_assert_cmpint (g_mkdir_with_parents (deeper, 0755), ==, 0);

  /* Making the folders is a change too; the file written in the folder
   * made after the server started must be seen, whichever event it comes
   * in. Writing again after each reload covers a file written before the
   * new folder was watched. */
  for (;;) {
    g_auto(GStrv) paths = NULL;

    yun_test_write_file (deeper, "file.css", "p { color: red; }\n", -1);
    paths = event_stream_next_reload (&stream);
    if (g_strv_contains ((const char * const *) paths, "new/deeper/file.css"))
      break;
  }
  event_stream_close (&stream);
}

static void
test_live_reload_ignores_hidden_files (Fixture       *fixture,
                                       gconstpointer  user_data)
{
  EventStream stream = { 0 };

  event_stream_open_ready (fixture, &stream);
  yun_test_write_file (fixture->app_dir, ".app.js.swp", "swap", -1);
  yun_test_write_file (fixture->app_dir, ".git/index", "git", -1);
  yun_test_write_file (fixture->app_dir, "app.js~", "backup", -1);
  yun_test_write_file (fixture->app_dir, "style.css", "p {}\n", -1);

  /* Every reload up to the one for style.css names no ignored file. */
  for (;;) {
    g_auto(GStrv) paths = event_stream_next_reload (&stream);

    for (guint i = 0; paths[i] != NULL; i++)
      g_assert_cmpstr (paths[i], ==, "style.css");
    if (g_strv_contains ((const char * const *) paths, "style.css"))
      break;
  }
  event_stream_close (&stream);
}

static void
on_files_changed (YunDevServer  *server,
                  char         **paths,
                  gpointer       user_data)
{
  gboolean *changed = user_data;

  *changed = g_strv_contains ((const char * const *) paths, "index.html");
}

static void
test_live_reload_signal_without_pages (Fixture       *fixture,
                                       gconstpointer  user_data)
{
  gboolean changed = FALSE;
  gulong id = g_signal_connect (fixture->server, "files-changed",
                                G_CALLBACK (on_files_changed), &changed);

  yun_test_write_file (fixture->app_dir, "index.html", INDEX_HTML "<!-- -->", -1);
  wait_until (&changed);
  g_assert_cmpuint (yun_dev_server_get_n_clients (fixture->server), ==, 0);
  g_signal_handler_disconnect (fixture->server, id);
}

static void
on_any_change (YunDevServer  *server,
               char         **paths,
               gpointer       user_data)
{
  gboolean *changed = user_data;

  *changed = TRUE;
}

static void
test_live_reload_client_leaves (Fixture       *fixture,
                                gconstpointer  user_data)
{
  EventStream stream = { 0 };
  gboolean changed = FALSE;
  gulong id;

  event_stream_open_ready (fixture, &stream);
  event_stream_close (&stream);
  soup_session_abort (fixture->session);

  /* A paused stream learns that its page went when it next writes: the
   * first write after the close may still be taken by the kernel, so
   * change files until the server has let go of the page. */
  id = g_signal_connect (fixture->server, "files-changed", G_CALLBACK (on_any_change), &changed);
  for (guint i = 0; yun_dev_server_get_n_clients (fixture->server) > 0; i++) {
    g_autofree char *text = g_strdup_printf ("/* %u */\n", i);

    g_assert_cmpuint (i, <, 100);
    changed = FALSE;
    yun_test_write_file (fixture->app_dir, "app.js", text, -1);
    wait_until (&changed);
    /* Let the failed write reach the server's callbacks. */
    while (g_main_context_iteration (NULL, FALSE))
      ;
  }
  g_signal_handler_disconnect (fixture->server, id);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/yun/packaging/dev-server/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("url/is-loopback", test_url_is_loopback);
  ADD ("html/script-before-body-end", test_html_script_before_body_end);
  ADD ("html/script-before-last-body-end-any-case", test_html_script_before_last_body_end_any_case);
  ADD ("html/script-appended-without-body", test_html_script_appended_without_body);
  ADD ("files/other-than-html-unchanged", test_files_other_than_html_unchanged);
  ADD ("files/missing-not-found", test_files_missing_not_found);
  ADD ("files/traversal-refused", test_files_traversal_refused);
  ADD ("files/symlinks-refused", test_files_symlinks_refused);
  ADD ("methods/other-than-get-refused", test_methods_other_than_get_refused);
  ADD ("own-files/served", test_own_files_served);
  ADD ("listen/port-in-use", test_listen_port_in_use);
  ADD ("live-reload/on-change", test_live_reload_on_change);
  ADD ("live-reload/in-new-subfolder", test_live_reload_in_new_subfolder);
  ADD ("live-reload/ignores-hidden-files", test_live_reload_ignores_hidden_files);
  ADD ("live-reload/signal-without-pages", test_live_reload_signal_without_pages);
  ADD ("live-reload/client-leaves", test_live_reload_client_leaves);
  g_test_add_func ("/yun/packaging/dev-server/new/refuses-missing-folder",
                   test_new_refuses_missing_folder);

#undef ADD

  return g_test_run ();
}
