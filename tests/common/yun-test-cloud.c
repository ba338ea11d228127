/* yun-test-cloud.c: the real yun-cloud binary ($YUN_CLOUD_BIN) on loopback.
 *
 * The binary comes from the build: meson passes its path in
 * $YUN_CLOUD_BIN.  Without it yun_test_cloud_start() fails with
 * G_IO_ERROR_NOT_FOUND and the test skips.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-test-cloud.h"
#include "yun-test-files.h"
#include "yun-test-pouchdb.h"

#include <libsoup/soup.h>

#include <signal.h>
#include <sys/prctl.h>

struct _YunTestCloud {
  GSubprocess *process;
  char *dir;          /* the data and the (empty) web apps folders */
  char *data_dir;
  char *webapps_dir;
  guint port;         /* 0 until it first listened */
  char *url;          /* ending in a slash */
  char *token;
};

/* A test that crashes or is killed takes its server along. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* Starts yun-cloud on cloud->port (0: a free one) and reads the URL it
 * prints first.  Just after a kill the port may still be taken for a
 * moment, so a start that fails is tried again. */
static gboolean
spawn (YunTestCloud  *cloud,
       GError       **error)
{
  const char *bin = g_getenv ("YUN_CLOUD_BIN");
  g_autofree char *port = g_strdup_printf ("%u", cloud->port);

  if (bin == NULL) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                         "YUN_CLOUD_BIN is not set: run through meson test");
    return FALSE;
  }
  for (guint attempt = 0; attempt < 100; attempt++) {
    g_autoptr(GSubprocessLauncher) launcher = NULL;
    g_autoptr(GDataInputStream) out = NULL;
    g_autofree char *line = NULL;
    g_autoptr(GUri) uri = NULL;

    launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
    g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
    cloud->process = g_subprocess_launcher_spawn (launcher, error, bin, "--port", port, "--data",
                                                  cloud->data_dir, "--webapps",
                                                  cloud->webapps_dir, NULL);
    if (cloud->process == NULL)
      return FALSE;
    out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (cloud->process));
    line = g_data_input_stream_read_line (out, NULL, NULL, NULL);
    if (line == NULL) {
      g_subprocess_wait (cloud->process, NULL, NULL);
      g_clear_object (&cloud->process);
      g_usleep (100 * 1000);
      continue;
    }
    uri = g_uri_parse (line, G_URI_FLAGS_NONE, error);
    if (uri == NULL)
      return FALSE;
    g_assert_true (cloud->port == 0 || (guint) g_uri_get_port (uri) == cloud->port);
    cloud->port = g_uri_get_port (uri);
    g_free (cloud->url);
    cloud->url = g_steal_pointer (&line);
    return TRUE;
  }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "yun-cloud did not start on port %u",
               cloud->port);
  return FALSE;
}

static JsonObject *
post_account (YunTestCloud *cloud,
              const char   *path,
              const char   *body,
              guint         expected)
{
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;

  node = yun_test_cloud_request (cloud, "POST", path, body, &status);
  g_assert_cmpuint (status, ==, expected);
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

/**
 * yun_test_cloud_start:
 * @error: return location for an error; G_IO_ERROR_NOT_FOUND when
 *   $YUN_CLOUD_BIN is not set
 *
 * Starts yun-cloud on a free port of 127.0.0.1 with its data in a new
 * temporary folder, registers %YUN_TEST_CLOUD_USER and signs it in.
 *
 * Returns: (transfer full): the server, or %NULL with @error set
 */
YunTestCloud *
yun_test_cloud_start (GError **error)
{
  g_autoptr(YunTestCloud) cloud = g_new0 (YunTestCloud, 1);
  g_autoptr(JsonObject) registered = NULL;
  g_autoptr(JsonObject) signed_in = NULL;
  const char *body = "{\"name\": \"" YUN_TEST_CLOUD_USER "\", "
                     "\"password\": \"" YUN_TEST_CLOUD_PASSWORD "\"}";

  cloud->dir = g_dir_make_tmp ("yun-test-cloud-XXXXXX", error);
  if (cloud->dir == NULL)
    return NULL;
  cloud->data_dir = g_build_filename (cloud->dir, "cloud", NULL);
  cloud->webapps_dir = g_build_filename (cloud->dir, "webapps", NULL);
  g_assert_cmpint (g_mkdir_with_parents (cloud->webapps_dir, 0700), ==, 0);
  if (!spawn (cloud, error))
    return NULL;

  registered = post_account (cloud, "accounts", body, SOUP_STATUS_CREATED);
  signed_in = post_account (cloud, "accounts/session", body, SOUP_STATUS_CREATED);
  cloud->token = g_strdup (json_object_get_string_member_with_default (signed_in, "token",
                                                                       NULL));
  g_assert_nonnull (cloud->token);
  return g_steal_pointer (&cloud);
}

/**
 * yun_test_cloud_get_url:
 * @cloud: a server
 *
 * Returns: its root URL, ending in a slash; the same after a restart
 */
const char *
yun_test_cloud_get_url (YunTestCloud *cloud)
{
  return cloud->url;
}

/**
 * yun_test_cloud_get_token:
 * @cloud: a server
 *
 * Returns: the bearer token of %YUN_TEST_CLOUD_USER
 */
const char *
yun_test_cloud_get_token (YunTestCloud *cloud)
{
  return cloud->token;
}

/**
 * yun_test_cloud_request:
 * @cloud: a server
 * @method: the HTTP method
 * @path: the path after the root URL, without a leading slash
 * @body: (nullable): a JSON body
 * @status: (out) (optional): the answer's status
 *
 * A blocking request as %YUN_TEST_CLOUD_USER (once signed in).
 *
 * Returns: (transfer full) (nullable): the answer parsed, or %NULL when it
 *   is not JSON or the request failed
 */
JsonNode *
yun_test_cloud_request (YunTestCloud *cloud,
                        const char   *method,
                        const char   *path,
                        const char   *body,
                        guint        *status)
{
  g_autofree char *url = g_strconcat (cloud->url, path, NULL);
  g_autofree char *authorization = NULL;

  if (cloud->token != NULL)
    authorization = g_strconcat ("Bearer ", cloud->token, NULL);
  return yun_test_http_json_as (method, url, authorization, body, status);
}

/**
 * yun_test_cloud_kill:
 * @cloud: a running server
 *
 * Kills the server with SIGKILL, as a crash or a power cut would, and
 * waits until it is gone.
 */
void
yun_test_cloud_kill (YunTestCloud *cloud)
{
  g_assert_nonnull (cloud->process);
  g_subprocess_force_exit (cloud->process);
  g_subprocess_wait (cloud->process, NULL, NULL);
  g_assert_true (g_subprocess_get_if_signaled (cloud->process));
  g_assert_cmpint (g_subprocess_get_term_sig (cloud->process), ==, SIGKILL);
  g_clear_object (&cloud->process);
}

/**
 * yun_test_cloud_restart:
 * @cloud: a killed server
 *
 * Starts the server again on the same port and the same data folder.
 */
void
yun_test_cloud_restart (YunTestCloud *cloud)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (cloud->process);
  spawn (cloud, &error);
  g_assert_no_error (error);
}

/**
 * yun_test_cloud_stop:
 * @cloud: (nullable): a server
 *
 * Stops the server, if it runs, and removes its data.
 */
void
yun_test_cloud_stop (YunTestCloud *cloud)
{
  if (cloud == NULL)
    return;
  if (cloud->process != NULL) {
    g_subprocess_send_signal (cloud->process, SIGTERM);
    g_subprocess_wait (cloud->process, NULL, NULL);
    g_object_unref (cloud->process);
  }
  if (cloud->dir != NULL)
    yun_test_remove_tree (cloud->dir);
  g_free (cloud->dir);
  g_free (cloud->data_dir);
  g_free (cloud->webapps_dir);
  g_free (cloud->url);
  g_free (cloud->token);
  g_free (cloud);
}
