/* yun-test-pouchdb.c: a real pouchdb-server, in memory, on loopback.
 *
 * It comes from npm (tests/interop/package.json); when node or the package
 * is missing, yun_test_pouchdb_start() fails with G_IO_ERROR_NOT_FOUND and
 * the test skips.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-test-pouchdb.h"
#include "yun-test-files.h"

#include <libsoup/soup.h>

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

struct _YunTestPouchdb {
  GSubprocess *process;
  char *dir;
  char *url;
};

static guint
free_port (GError **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         error);
  if (socket == NULL || !g_socket_bind (socket, address, TRUE, error))
    return 0;
  bound = g_socket_get_local_address (socket, error);
  if (bound == NULL)
    return 0;
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* A test that crashes or is killed takes its server along. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/**
 * yun_test_http_json:
 * @method: the HTTP method
 * @url: the URL
 * @body: (nullable): a JSON body
 * @status: (out) (optional): the answer's status
 *
 * A blocking request for tests, straight to a server (never to a server
 * running in this thread's main context).
 *
 * Returns: (transfer full) (nullable): the answer parsed, or %NULL when it
 *   is not JSON or the request failed
 */
JsonNode *
yun_test_http_json (const char *method,
                    const char *url,
                    const char *body,
                    guint      *status)
{
  return yun_test_http_json_as (method, url, NULL, body, status);
}

/**
 * yun_test_http_json_as:
 * @method: the HTTP method
 * @url: the URL
 * @authorization: (nullable): the Authorization header to send
 * @body: (nullable): a JSON body
 * @status: (out) (optional): the answer's status
 *
 * yun_test_http_json() with credentials.
 *
 * Returns: (transfer full) (nullable): the answer parsed, or %NULL when it
 *   is not JSON or the request failed
 */
JsonNode *
yun_test_http_json_as (const char *method,
                       const char *url,
                       const char *authorization,
                       const char *body,
                       guint      *status)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  SoupMessageHeaders *headers;

  g_assert_nonnull (msg);
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (authorization != NULL)
    soup_message_headers_replace (headers, "Authorization", authorization);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/json",
                                              g_bytes_new (body, strlen (body)));
  answer = soup_session_send_and_read (session, msg, NULL, NULL);
  if (status != NULL)
    *status = soup_message_get_status (msg);
  if (answer == NULL ||
      !json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                   g_bytes_get_size (answer), NULL))
    return NULL;
  return json_parser_steal_root (parser);
}

static gboolean
is_up (const char *url)
{
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;

  node = yun_test_http_json ("GET", url, NULL, &status);
  return node != NULL && status == SOUP_STATUS_OK;
}

/**
 * yun_test_pouchdb_start:
 * @error: return location for an error; G_IO_ERROR_NOT_FOUND when node or
 *   pouchdb-server is not installed
 *
 * Starts pouchdb-server with `--in-memory` on a free port of 127.0.0.1 and
 * waits until it answers.
 *
 * Returns: (transfer full): the server, or %NULL with @error set
 */
YunTestPouchdb *
yun_test_pouchdb_start (GError **error)
{
  g_autoptr(YunTestPouchdb) server = g_new0 (YunTestPouchdb, 1);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *node = g_find_program_in_path ("node");
  g_autofree char *script = NULL;
  g_autofree char *port_text = NULL;
  guint port;

  if (g_getenv ("YUN_POUCHDB_SERVER") != NULL)
    script = g_strdup (g_getenv ("YUN_POUCHDB_SERVER"));
  else
    script = g_test_build_filename (G_TEST_DIST, "interop", "node_modules", "pouchdb-server",
                                    "bin", "pouchdb-server", NULL);
  if (node == NULL || !g_file_test (script, G_FILE_TEST_EXISTS)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 "pouchdb-server is not installed (%s); run: npm ci --ignore-scripts "
                 "--prefix tests/interop", node == NULL ? "no node" : script);
    return NULL;
  }

  port = free_port (error);
  if (port == 0)
    return NULL;
  port_text = g_strdup_printf ("%u", port);
  server->url = g_strdup_printf ("http://127.0.0.1:%u/", port);
  server->dir = g_dir_make_tmp ("yun-pouchdb-XXXXXX", error);
  if (server->dir == NULL)
    return NULL;

  /* It writes config.json and log.txt into its working directory. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_cwd (launcher, server->dir);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server->process = g_subprocess_launcher_spawn (launcher, error, node, script, "--in-memory",
                                                 "--host", "127.0.0.1", "--port", port_text,
                                                 "--no-stdout-logs", NULL);
  if (server->process == NULL)
    return NULL;

  for (int i = 0; i < 600; i++) {
    if (is_up (server->url))
      return g_steal_pointer (&server);
    if (g_subprocess_get_identifier (server->process) == NULL)
      break;
    g_usleep (50 * 1000);
  }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "pouchdb-server did not start on %s",
               server->url);
  return NULL;
}

/**
 * yun_test_pouchdb_get_url:
 * @server: a running server
 *
 * Returns: the server's root URL, ending in a slash
 */
const char *
yun_test_pouchdb_get_url (YunTestPouchdb *server)
{
  return server->url;
}

/**
 * yun_test_pouchdb_stop:
 * @server: (nullable): a server
 *
 * Stops the server and removes its working directory.
 */
void
yun_test_pouchdb_stop (YunTestPouchdb *server)
{
  if (server == NULL)
    return;
  if (server->process != NULL) {
    g_subprocess_send_signal (server->process, SIGTERM);
    g_subprocess_wait (server->process, NULL, NULL);
    g_object_unref (server->process);
  }
  if (server->dir != NULL)
    yun_test_remove_tree (server->dir);
  g_free (server->dir);
  g_free (server->url);
  g_free (server);
}
