/* main.c: the yun-cloud program
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "yun-cloud-server.h"

#include <glib-unix.h>

#include <locale.h>
#include <signal.h>
#include <stdio.h>

static gboolean
on_quit_signal (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_main_loop_quit (loop);

  return G_SOURCE_CONTINUE;
}

static const char *
default_webapps_dir (void)
{
  const char *dir = g_getenv ("YUN_WEBAPPS_DIR");

  if (dir != NULL && *dir != '\0')
    return dir;

  return YUN_WEBAPPS_DIR;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(YunCloudServer) server = NULL;
  g_autoptr(YunCloudCors) cors = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *webapps_dir = NULL;
  g_autofree char *cors_origins = NULL;
  g_autofree char *cors_methods = NULL;
  g_autofree char *cors_headers = NULL;
  gboolean cors_credentials = FALSE;
  int cors_max_age = YUN_CLOUD_CORS_DEFAULT_MAX_AGE;
  gint64 token_lifetime = YUN_CLOUD_ACCOUNTS_DEFAULT_TOKEN_LIFETIME;
  gboolean version = FALSE;
  int port = -1;
  guint sigint_id;
  guint sigterm_id;
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port,
      "TCP port to listen on; 0 picks a free one", "PORT" },
    { "host", 0, 0, G_OPTION_ARG_STRING, &host,
      "Numeric address to listen on (default: 127.0.0.1)", "ADDRESS" },
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir,
      "Folder for the cloud's data, created if missing", "DIR" },
    { "webapps", 0, 0, G_OPTION_ARG_FILENAME, &webapps_dir,
      "Folder of the hosted web apps (default: $YUN_WEBAPPS_DIR, else "
      YUN_WEBAPPS_DIR ")", "DIR" },
    { "token-lifetime", 0, 0, G_OPTION_ARG_INT64, &token_lifetime,
      "How long sign-in tokens stay valid, in seconds (default: 30 days)", "SECONDS" },
    { "cors-origins", 0, 0, G_OPTION_ARG_STRING, &cors_origins,
      "Turn on CORS for /sync and /accounts: comma-separated origins that may "
      "call them from a browser, or * for all (default: off)", "URL,URL" },
    { "cors-credentials", 0, 0, G_OPTION_ARG_NONE, &cors_credentials,
      "Let those origins send credentials (CouchDB's [cors] credentials)", NULL },
    { "cors-methods", 0, 0, G_OPTION_ARG_STRING, &cors_methods,
      "Methods they may use (default: " YUN_CLOUD_CORS_DEFAULT_METHODS ")", "LIST" },
    { "cors-headers", 0, 0, G_OPTION_ARG_STRING, &cors_headers,
      "Request headers they may send (default: CouchDB's list)", "LIST" },
    { "cors-max-age", 0, 0, G_OPTION_ARG_INT, &cors_max_age,
      "How long browsers may cache a preflight answer, in seconds (default: 600)", "SECONDS" },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version,
      "Print the version and exit", NULL },
    G_OPTION_ENTRY_NULL
  };

  setlocale (LC_ALL, "");

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                "Serve the Yun cloud: hosted web apps under /apps/, accounts "
                                "under /accounts and CouchDB-compatible sync under /sync/. "
                                "The first line printed is the base URL.");
  g_option_context_add_main_entries (context, entries, NULL);

  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("yun-cloud: %s\n", error->message);
    return 1;
  }

  if (version) {
    g_print ("yun-cloud %s\n", YUN_VERSION);
    return 0;
  }

  if (argc > 1) {
    g_printerr ("yun-cloud: unexpected argument “%s”\n", argv[1]);
    return 1;
  }

  if (port < 0 || port > G_MAXUINT16) {
    g_printerr ("yun-cloud: %s\n",
                port == -1 ? "--port is required (0 picks a free port)"
                           : "--port must be between 0 and 65535");
    return 1;
  }

  if (data_dir == NULL) {
    g_printerr ("yun-cloud: --data is required\n");
    return 1;
  }

  if (host == NULL)
    host = g_strdup ("127.0.0.1");

  if (webapps_dir == NULL)
    webapps_dir = g_strdup (default_webapps_dir ());

  if (token_lifetime <= 0) {
    g_printerr ("yun-cloud: --token-lifetime must be a positive number of seconds\n");
    return 1;
  }

  if (cors_max_age < 0) {
    g_printerr ("yun-cloud: --cors-max-age must not be negative\n");
    return 1;
  }

  if (cors_origins == NULL && (cors_credentials || cors_methods != NULL || cors_headers != NULL)) {
    g_printerr ("yun-cloud: the --cors options need --cors-origins\n");
    return 1;
  }

  if (cors_origins != NULL) {
    cors = yun_cloud_cors_new (cors_origins, cors_methods, cors_headers, cors_credentials,
                               (guint) cors_max_age, &error);
    if (cors == NULL) {
      g_printerr ("yun-cloud: %s\n", error->message);
      return 1;
    }
  }

  server = yun_cloud_server_new (webapps_dir, data_dir, &error);
  if (server == NULL) {
    g_printerr ("yun-cloud: %s\n", error->message);
    return 1;
  }

  yun_cloud_server_set_cors (server, g_steal_pointer (&cors));
  yun_cloud_accounts_set_token_lifetime (yun_cloud_server_get_accounts (server), token_lifetime);

  /* Handle the signals before printing the URL: whoever reads it may stop
   * us right away, and that must still be a clean exit. */
  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, on_quit_signal, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, on_quit_signal, loop);

  if (!yun_cloud_server_listen (server, host, port, &error)) {
    g_printerr ("yun-cloud: %s\n", error->message);
    g_source_remove (sigint_id);
    g_source_remove (sigterm_id);
    return 1;
  }

  /* Whoever started us (tests, the dev session) reads this line to learn
   * the port, so it goes out before anything else and at once. */
  printf ("%s\n", yun_cloud_server_get_url (server));
  fflush (stdout);

  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  return 0;
}
