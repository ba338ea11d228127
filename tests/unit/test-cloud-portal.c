/* test-cloud-portal.c: tests for the files of yun-cloud's web portal /my
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real YunCloudServer on 127.0.0.1, port 0, driven over real HTTP by a
 * SoupSession.  What the page does in a browser is tested by
 * tests/web/portal.test.mjs.
 */

#include "config.h"

#include "yun-test-files.h"
#include "yun-test-loop.h"
#include "yun-cloud-server.h"

#include <libsoup/soup.h>

#include <string.h>

#define TIMEOUT_SECONDS 30

typedef struct {
  char           *tmp_dir;
  YunCloudServer *server;
  SoupSession    *session;
} Fixture;

typedef struct {
  gboolean      done;
  GError       *error;
  GBytes       *body;
} SendData;

static void
on_send_ready (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  SendData *data = user_data;

  data->body = soup_session_send_and_read_finish (SOUP_SESSION (source_object), result,
                                                  &data->error);
  data->done = TRUE;
}

/* Sends @method @path without following redirects; returns the status,
 * the message for its headers and the body. */
static guint
send_request (Fixture      *fixture,
              const char   *method,
              const char   *path,
              SoupMessage **out_msg,
              char        **out_body)
{
  g_autofree char *url = g_strconcat (yun_cloud_server_get_url (fixture->server), path, NULL);
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  SendData data = { 0 };

  g_assert_nonnull (uri);
  msg = soup_message_new_from_uri (method, uri);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    on_send_ready, &data);
  yun_test_run_until (&data.done, TIMEOUT_SECONDS);
  g_assert_no_error (data.error);

  if (out_body != NULL)
    *out_body = g_strndup (g_bytes_get_data (data.body, NULL), g_bytes_get_size (data.body));
  g_bytes_unref (data.body);
  if (out_msg != NULL)
    *out_msg = g_object_ref (msg);
  return soup_message_get_status (msg);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *webapps = NULL;
  g_autofree char *data_dir = NULL;

  fixture->tmp_dir = g_dir_make_tmp ("yun-portal-test-XXXXXX", &error);
  g_assert_no_error (error);
  webapps = g_build_filename (fixture->tmp_dir, "webapps", NULL);
  data_dir = g_build_filename (fixture->tmp_dir, "data", NULL);
  g_assert_cmpint (g_mkdir_with_parents (webapps, 0700), ==, 0);
  /* A file beside the data that no path of the portal may reach. */
  yun_test_write_file (fixture->tmp_dir, "secret.js", "secret", -1);

  fixture->server = yun_cloud_server_new (webapps, data_dir, &error);
  g_assert_no_error (error);
  yun_cloud_server_listen (fixture->server, "127.0.0.1", 0, &error);
  g_assert_no_error (error);

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
}

static void
test_serves_page (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *body = NULL;
  SoupMessageHeaders *headers;

  g_assert_cmpuint (send_request (fixture, "GET", "my/", &msg, &body), ==, SOUP_STATUS_OK);
  headers = soup_message_get_response_headers (msg);
  g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, "text/html");
  g_assert_nonnull (soup_message_headers_get_one (headers, "Content-Security-Policy"));
  g_assert_nonnull (strstr (body, "<script type=\"module\" src=\"portal.js\">"));
  g_assert_nonnull (strstr (body, "id=\"sign-in-form\""));
}

static void
test_serves_modules (Fixture       *fixture,
                     gconstpointer  user_data)
{
  const char *files[] = { "portal.js", "api.js", "views.js", "portal.css" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++) {
    g_autofree char *path = g_strconcat ("my/", files[i], NULL);
    g_autoptr(SoupMessage) msg = NULL;
    g_autofree char *body = NULL;
    const char *type;

    g_assert_cmpuint (send_request (fixture, "GET", path, &msg, &body), ==, SOUP_STATUS_OK);
    type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);
    g_assert_cmpstr (type, ==, g_str_has_suffix (files[i], ".css") ? "text/css" : "text/javascript");
    g_assert_cmpuint (strlen (body), >, 0);
  }
}

static void
test_redirects_bare_path (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(SoupMessage) msg = NULL;
  const char *location;

  g_assert_cmpuint (send_request (fixture, "GET", "my", &msg, NULL), ==,
                    SOUP_STATUS_MOVED_PERMANENTLY);
  location = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
  /* libsoup makes the location absolute. */
  g_assert_nonnull (location);
  g_assert_true (g_str_has_suffix (location, "/my/"));
  g_assert_true (g_str_has_prefix (location, yun_cloud_server_get_url (fixture->server)));
}

static void
test_refuses_other_paths (Fixture       *fixture,
                          gconstpointer  user_data)
{
  const char *paths[] = { "my/missing.js", "my/..%2Fsecret.js", "my/%2e%2e%2Fsecret.js",
                          "my/.hidden", "my/sub/portal.js", "my/PORTAL.JS", "my/portal.js%00",
                          "myself", "my/yun-cloud-portal.gresource.xml" };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++) {
    g_autofree char *body = NULL;

    g_test_message ("GET %s", paths[i]);
    g_assert_cmpuint (send_request (fixture, "GET", paths[i], NULL, &body), ==,
                      SOUP_STATUS_NOT_FOUND);
    g_assert_null (strstr (body, "secret"));
  }
}

static void
test_refuses_writes (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(SoupMessage) msg = NULL;

  g_assert_cmpuint (send_request (fixture, "DELETE", "my/portal.js", &msg, NULL), ==,
                    SOUP_STATUS_METHOD_NOT_ALLOWED);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                 "Allow"), ==, "GET, HEAD");
  g_assert_cmpuint (send_request (fixture, "HEAD", "my/", NULL, NULL), ==, SOUP_STATUS_OK);
}

static void
add_test (const char *name,
          void      (*test) (Fixture *, gconstpointer))
{
  g_autofree char *path = g_strconcat ("/yun/cloud/portal/", name, NULL);

  g_test_add (path, Fixture, NULL, fixture_setup, test, fixture_teardown);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  add_test ("serves-page", test_serves_page);
  add_test ("serves-modules", test_serves_modules);
  add_test ("redirects-bare-path", test_redirects_bare_path);
  add_test ("refuses-other-paths", test_refuses_other_paths);
  add_test ("refuses-writes", test_refuses_writes);

  return g_test_run ();
}
