/* yun-dev.c: the app developer's tool — make a new app, serve a folder
 * with live reload, pack a folder into a package, and validate a folder or
 * a package the way the shell will when installing.
 *
 * Exit codes: 0 when all is well, 1 when the input is not a valid package
 * (or cannot be read or written), 2 when the command line is wrong.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-app-id.h"
#include "yun-dev-resources.h"
#include <json-glib/json-glib.h>

#include "yun-dev-publish.h"
#include "yun-dev-server.h"
#include "yun-package.h"

#include <glib/gstdio.h>
#include <glib-unix.h>

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#define EXIT_OK      0
#define EXIT_INVALID 1
#define EXIT_USAGE   2

static const char usage[] =
  "Usage:\n"
  "  yun-dev new ID [DIR]\n"
  "  yun-dev serve DIR [--port N]\n"
  "  yun-dev pack DIR -o FILE.zip [--id ID]\n"
  "  yun-dev validate DIR|FILE.zip|URL [--id ID]\n"
  "  yun-dev publish DIR|FILE.zip --cloud URL --user NAME [--id ID]\n"
  "\n"
  "Commands:\n"
  "  new       Make a new app in DIR (default: ./ID): manifest.json, index.html,\n"
  "            an ES module app.js that uses navigator.yun, style.css and\n"
  "            yun.d.ts.  DIR must not exist or be empty.\n"
  "  serve     Serve the app in DIR on http://127.0.0.1:N/ (the URL is the\n"
  "            first line printed) until Ctrl+C, with live reload: pages\n"
  "            reload when a file in DIR changes.  The manifest is checked\n"
  "            first, and again whenever it changes.  /_yun/yun-shim.js is\n"
  "            the browser shim that emulates navigator.yun in any browser.\n"
  "  pack      Pack the app in DIR (manifest.json at its top) into a package.\n"
  "            The zip is deterministic: entries sorted by path, fixed\n"
  "            timestamps and modes.  It is validated before it is written,\n"
  "            and FILE.zip is only written when it is valid.\n"
  "  validate  Check a package, or the package DIR would make, as the shell\n"
  "            does when it installs one: safe entry names, only files and\n"
  "            folders, no duplicates, size and compression limits, sizes\n"
  "            and CRCs that match the data, and a valid manifest.json.\n"
  "            Given the http(s) URL of a hosted app's manifest, fetch it and\n"
  "            check it as the shell does when it installs the app, and check\n"
  "            that its start_url answers with an HTML page.\n"
  "  publish   Validate the package (packing DIR first) and publish it to the\n"
  "            store of the yun-cloud at URL as the developer NAME, whose\n"
  "            password is read from $YUN_DEV_PASSWORD.  The app id is --id,\n"
  "            else the folder's name; the version shown is the manifest's\n"
  "            \"version\" member when there is one.  The first developer to\n"
  "            publish an id owns it.\n"
  "\n"
  "Options:\n"
  "  -o, --output FILE  where pack writes the package\n"
  "  --port N           the port serve listens on (default 8000; 0 for any\n"
  "                     free one)\n"
  "  --id ID            the app id the manifest is checked under; relative\n"
  "                     URLs resolve against app://ID/manifest.json\n"
  "                     (default: yun-dev)\n"
  "  --cloud URL        the yun-cloud publish sends to\n"
  "  --user NAME        the developer's account on that cloud\n"
  "  -h, --help         show this help\n"
  "\n"
  "Not checked yet: whether start_url, the icons and other URLs in the\n"
  "manifest point at files that exist in the package.  That comes later.\n"
  "\n"
  "Exit status: 0 valid, 1 invalid or unreadable, 2 wrong usage.\n";

static int
fail_usage (const char *message)
{
  g_printerr ("yun-dev: %s\nTry \"yun-dev --help\".\n", message);
  return EXIT_USAGE;
}

static int
fail (const char *what,
      GError     *error)
{
  g_printerr ("yun-dev: %s: %s\n", what, error->message);
  return EXIT_INVALID;
}

static void
print_summary (YunPackage *package,
               GBytes     *zip)
{
  YunManifest *manifest = yun_package_get_manifest (package);
  const char * const *permissions = yun_manifest_get_permission_names (manifest);
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, zip);

  g_print ("name:        %s\n", yun_manifest_get_name (manifest));
  g_print ("id:          %s\n", yun_manifest_get_id (manifest));
  g_print ("start_url:   %s\n", yun_manifest_get_start_url (manifest));
  g_print ("files:       %u (%" G_GUINT64_FORMAT " bytes inflated, %" G_GSIZE_FORMAT
           " in the zip)\n", g_strv_length ((char **) yun_package_get_paths (package)),
           yun_package_get_size (package), g_bytes_get_size (zip));
  g_print ("sha256:      %s\n", sha256);
  for (int i = 0; permissions[i] != NULL; i++) {
    YunManifestAccess access;
    const char *reason;

    yun_manifest_get_permission (manifest, permissions[i], &access, &reason);
    g_print ("permission:  %s (%s): %s\n", permissions[i],
             access == YUN_MANIFEST_ACCESS_READ ? "read" : "readwrite", reason);
  }
}

static const char * const template_files[] = {
  "manifest.json", "index.html", "app.js", "style.css", "yun.d.ts", NULL
};

/* Writes a new app named @id into @dir from the built-in template. */
static int
command_new (const char *id,
             const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) existing = NULL;

  if (!yun_app_id_is_valid (id))
    return fail_usage ("the app id must be 1 to 64 of a-z, 0-9, '.', '_' and '-', "
                       "starting with a letter or digit");

  existing = g_dir_open (dir, 0, NULL);
  if (existing != NULL && g_dir_read_name (existing) != NULL) {
    g_printerr ("yun-dev: %s exists and is not empty; choose another folder\n", dir);
    return EXIT_INVALID;
  }
  if (g_mkdir_with_parents (dir, 0755) != 0) {
    g_printerr ("yun-dev: cannot make %s: %s\n", dir, g_strerror (errno));
    return EXIT_INVALID;
  }

  for (guint i = 0; template_files[i] != NULL; i++) {
    g_autofree char *resource = g_strconcat ("/org/yun/dev/template/", template_files[i], NULL);
    g_autoptr(GBytes) bytes = g_resource_lookup_data (yun_dev_get_resource (), resource,
                                                      G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
    g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    g_auto(GStrv) parts = g_strsplit (text, "@NAME@", -1);
    g_autofree char *filled = g_strjoinv (id, parts);
    g_autofree char *path = g_build_filename (dir, template_files[i], NULL);

    if (!g_file_set_contents (path, filled, -1, &error))
      return fail (path, g_steal_pointer (&error));
  }

  g_print ("Made the app %s in %s.  Next:\n"
           "  yun-dev serve %s\n"
           "  yun-dev validate %s\n"
           "  yun-dev pack %s -o %s.zip\n", id, dir, dir, dir, dir, id);
  return EXIT_OK;
}

/* Reads and checks the manifest of the app in @dir, as served at
 * @manifest_url. */
static YunManifest *
load_manifest (const char  *dir,
               const char  *manifest_url,
               GError     **error)
{
  g_autofree char *path = g_build_filename (dir, "manifest.json", NULL);
  g_autoptr(GMappedFile) file = NULL;

  /* The server would not serve it, so the app would have no manifest. */
  if (g_file_test (path, G_FILE_TEST_IS_SYMLINK)) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                 "%s is a symbolic link; an app's files must be real files", path);
    return NULL;
  }

  file = g_mapped_file_new (path, FALSE, error);
  if (file == NULL)
    return NULL;

  return yun_manifest_new_from_data (g_mapped_file_get_contents (file),
                                     g_mapped_file_get_length (file), manifest_url, error);
}

typedef struct {
  const char *dir;
  char       *manifest_url;
} Serve;

static void
on_files_changed (YunDevServer *server,
                  char        **paths,
                  gpointer      user_data)
{
  Serve *serve = user_data;
  g_autofree char *joined = g_strjoinv (", ", paths);

  g_printerr ("Changed: %s; %u page(s) told to reload\n", joined,
              yun_dev_server_get_n_clients (server));

  if (g_strv_contains ((const char * const *) paths, "manifest.json")) {
    g_autoptr(GError) error = NULL;
    g_autoptr(YunManifest) manifest = load_manifest (serve->dir, serve->manifest_url, &error);

    if (manifest == NULL)
      g_printerr ("yun-dev: manifest.json is no longer valid: %s\n", error->message);
    else
      g_printerr ("manifest.json is valid\n");
  }
}

static gboolean
on_stop_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

/* Serves @dir on 127.0.0.1:@port until SIGINT or SIGTERM. */
static int
command_serve (const char *dir,
               guint16     port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunDevServer) server = NULL;
  g_autoptr(YunManifest) manifest = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  Serve serve = { dir, NULL };
  const char *url;
  guint int_id, term_id;

  server = yun_dev_server_new (dir, &error);
  if (server == NULL)
    return fail ("serve", error);

  if (!yun_dev_server_listen (server, port, &error)) {
    g_printerr ("yun-dev: cannot listen on 127.0.0.1 port %u: %s\n", port, error->message);
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
      g_printerr ("Choose another port with --port N, or --port 0 for any free one.\n");
    return EXIT_INVALID;
  }

  url = yun_dev_server_get_url (server);
  serve.manifest_url = g_strconcat (url, "manifest.json", NULL);
  manifest = load_manifest (dir, serve.manifest_url, &error);
  if (manifest == NULL) {
    g_printerr ("yun-dev: %s is not a valid app: %s\n", dir, error->message);
    g_free (serve.manifest_url);
    return EXIT_INVALID;
  }

  /* The URL comes first and alone on its line, for scripts to read. */
  g_print ("%s\n", url);
  g_print ("Serving \"%s\" from %s; pages reload when its files change.\n"
           "In a browser without navigator.yun, %s_yun/yun-shim.js emulates it.\n"
           "Press Ctrl+C to stop.\n",
           yun_manifest_get_name (manifest), yun_dev_server_get_root (server), url);
  fflush (stdout);

  g_signal_connect (server, "files-changed", G_CALLBACK (on_files_changed), &serve);
  loop = g_main_loop_new (NULL, FALSE);
  int_id = g_unix_signal_add (SIGINT, on_stop_signal, loop);
  term_id = g_unix_signal_add (SIGTERM, on_stop_signal, loop);
  g_main_loop_run (loop);
  g_source_remove (int_id);
  g_source_remove (term_id);

  g_signal_handlers_disconnect_by_data (server, &serve);
  g_free (serve.manifest_url);
  return EXIT_OK;
}

/* Packs @dir in memory and validates the result. */
static YunPackage *
pack_and_validate (const char  *dir,
                   const char  *manifest_url,
                   GBytes     **zip,
                   GError     **error)
{
  g_autoptr(GBytes) bytes = yun_package_pack_directory (dir, NULL, error);
  YunPackage *package;

  if (bytes == NULL)
    return NULL;
  package = yun_package_new_from_bytes (bytes, manifest_url, NULL, error);
  if (package != NULL)
    *zip = g_steal_pointer (&bytes);
  return package;
}

static int
command_pack (const char *dir,
              const char *output,
              const char *manifest_url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) zip = NULL;
  g_autoptr(YunPackage) package = NULL;
  gsize length;
  const char *data;

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    return fail_usage ("pack needs a folder");

  package = pack_and_validate (dir, manifest_url, &zip, &error);
  if (package == NULL)
    return fail (dir, error);

  /* Written whole or not at all: g_file_set_contents() renames a
   * temporary file into place. */
  data = g_bytes_get_data (zip, &length);
  if (!g_file_set_contents (output, data, length, &error))
    return fail (output, error);

  g_print ("packed %s into %s\n", dir, output);
  print_summary (package, zip);
  return EXIT_OK;
}

typedef struct {
  GMainLoop *loop;
  YunManifest *manifest;
  GBytes *start_page;
  SoupMessage *start_message;
  GError *error;
} Fetch;

static void
on_start_page_ready (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Fetch *fetch = user_data;

  fetch->start_page = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                         &fetch->error);
  g_main_loop_quit (fetch->loop);
}

static void
on_manifest_ready (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Fetch *fetch = user_data;

  fetch->manifest = yun_manifest_fetch_finish (result, &fetch->error);
  if (fetch->manifest == NULL) {
    g_main_loop_quit (fetch->loop);
    return;
  }

  fetch->start_message = soup_message_new (SOUP_METHOD_GET,
                                           yun_manifest_get_start_url (fetch->manifest));
  soup_session_send_and_read_async (SOUP_SESSION (source), fetch->start_message,
                                    G_PRIORITY_DEFAULT, NULL, on_start_page_ready, fetch);
}

/* Checks a hosted app at its manifest URL, as the installer would. */
static int
command_validate_url (const char *url)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 30, NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Fetch fetch = { loop, NULL, NULL, NULL, NULL };
  g_autoptr(YunManifest) manifest = NULL;
  g_autoptr(GBytes) page = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  const char *type;
  const char * const *permissions;

  yun_manifest_fetch_async (session, url, NULL, on_manifest_ready, &fetch);
  g_main_loop_run (loop);
  manifest = fetch.manifest;
  page = fetch.start_page;
  message = fetch.start_message;
  error = fetch.error;

  if (manifest == NULL)
    return fail (url, g_steal_pointer (&error));
  if (page == NULL) {
    g_printerr ("yun-dev: %s: start_url %s cannot be fetched: %s\n", url,
                yun_manifest_get_start_url (manifest), error->message);
    return EXIT_INVALID;
  }
  type = soup_message_headers_get_content_type (soup_message_get_response_headers (message), NULL);
  if (soup_message_get_status (message) != SOUP_STATUS_OK || g_strcmp0 (type, "text/html") != 0) {
    g_printerr ("yun-dev: %s: start_url %s answered HTTP %u with %s, not an HTML page\n", url,
                yun_manifest_get_start_url (manifest), soup_message_get_status (message),
                type != NULL ? type : "no content type");
    return EXIT_INVALID;
  }

  g_print ("%s is a valid hosted app\n", url);
  g_print ("  name:      %s\n", yun_manifest_get_name (manifest));
  g_print ("  start_url: %s\n", yun_manifest_get_start_url (manifest));
  g_print ("  scope:     %s\n", yun_manifest_get_scope (manifest));
  permissions = yun_manifest_get_permission_names (manifest);
  for (guint i = 0; permissions != NULL && permissions[i] != NULL; i++)
    g_print ("  permission: %s\n", permissions[i]);
  return EXIT_OK;
}

static int
command_validate (const char *path,
                  const char *manifest_url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) zip = NULL;
  g_autoptr(YunPackage) package = NULL;

  if (g_file_test (path, G_FILE_TEST_IS_DIR)) {
    package = pack_and_validate (path, manifest_url, &zip, &error);
  } else {
    g_autoptr(GMappedFile) file = g_mapped_file_new (path, FALSE, &error);

    if (file != NULL) {
      zip = g_mapped_file_get_bytes (file);
      package = yun_package_new_from_bytes (zip, manifest_url, NULL, &error);
    }
  }

  if (package == NULL)
    return fail (path, error);

  g_print ("%s is a valid package\n", path);
  print_summary (package, zip);
  return EXIT_OK;
}

/* The manifest's own "version" member, if the folder's manifest has one. */
static char *
manifest_version (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "manifest.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_file (parser, path, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return g_strdup (json_object_get_string_member_with_default (json_node_get_object (root),
                                                               "version", NULL));
}

static int
command_publish (const char *input,
                 const char *id,
                 const char *cloud,
                 const char *user)
{
  const char *password = g_getenv ("YUN_DEV_PASSWORD");
  g_autofree char *base = NULL;
  g_autofree char *folder_id = NULL;
  g_autofree char *manifest_url = NULL;
  g_autofree char *version = NULL;
  g_autofree char *answer = NULL;
  g_autoptr(GBytes) zip = NULL;
  g_autoptr(YunPackage) package = NULL;
  g_autoptr(GError) error = NULL;

  if (input == NULL)
    return fail_usage ("publish needs a folder or a zip");
  if (cloud == NULL || user == NULL)
    return fail_usage ("publish needs --cloud URL and --user NAME");
  if (password == NULL || *password == '\0')
    return fail_usage ("publish reads the developer's password from $YUN_DEV_PASSWORD");
  if (!g_str_has_prefix (cloud, "http://") && !g_str_has_prefix (cloud, "https://"))
    return fail_usage ("--cloud needs an http or https URL");
  base = g_str_has_suffix (cloud, "/") ? g_strdup (cloud) : g_strconcat (cloud, "/", NULL);

  if (id == NULL) {
    g_autofree char *name = g_path_get_basename (input);

    folder_id = g_file_test (input, G_FILE_TEST_IS_DIR) ? g_steal_pointer (&name) : NULL;
    id = folder_id;
  }
  if (id == NULL || !yun_app_id_is_valid (id))
    return fail_usage ("publish needs a valid app id: --id ID, or a folder named as one");

  manifest_url = g_strdup_printf ("app://%s/manifest.json", id);
  if (g_file_test (input, G_FILE_TEST_IS_DIR)) {
    package = pack_and_validate (input, manifest_url, &zip, &error);
    version = manifest_version (input);
  } else {
    g_autofree char *contents = NULL;
    gsize length;

    if (g_file_get_contents (input, &contents, &length, &error)) {
      zip = g_bytes_new_take (g_steal_pointer (&contents), length);
      package = yun_package_new_from_bytes (zip, manifest_url, NULL, &error);
    }
  }
  if (package == NULL)
    return fail (input, error);

  if (!yun_dev_publish (zip, id, version, base, user, password, &answer, &error))
    return fail ("publish", error);
  g_print ("published %s to %s\n%s\n", id, base, answer);
  return EXIT_OK;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *manifest_url = NULL;
  const char *command = NULL;
  const char *input = NULL;
  const char *folder = NULL;
  const char *output = NULL;
  const char *id = NULL;
  const char *cloud = NULL;
  const char *user = NULL;
  guint64 port = 8000;
  gboolean port_given = FALSE;

  setlocale (LC_ALL, "");

  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];

    if (g_str_equal (arg, "-h") || g_str_equal (arg, "--help")) {
      g_print ("%s", usage);
      return EXIT_OK;
    } else if (g_str_equal (arg, "-o") || g_str_equal (arg, "--output")) {
      if (++i == argc)
        return fail_usage ("-o needs a file name");
      output = argv[i];
    } else if (g_str_equal (arg, "--port")) {
      if (++i == argc || !g_ascii_string_to_unsigned (argv[i], 10, 0, G_MAXUINT16, &port, NULL))
        return fail_usage ("--port needs a port number from 0 to 65535");
      port_given = TRUE;
    } else if (g_str_equal (arg, "--cloud")) {
      if (++i == argc)
        return fail_usage ("--cloud needs the cloud's URL");
      cloud = argv[i];
    } else if (g_str_equal (arg, "--user")) {
      if (++i == argc)
        return fail_usage ("--user needs a name");
      user = argv[i];
    } else if (g_str_equal (arg, "--id")) {
      if (++i == argc)
        return fail_usage ("--id needs an app id");
      id = argv[i];
    } else if (arg[0] == '-' && arg[1] != '\0') {
      g_autofree char *message = g_strdup_printf ("unknown option %s", arg);

      return fail_usage (message);
    } else if (command == NULL) {
      command = arg;
    } else if (input == NULL) {
      input = arg;
    } else if (g_str_equal (command, "new") && folder == NULL) {
      folder = arg;
    } else {
      return fail_usage ("too many arguments");
    }
  }

  if (command == NULL)
    return fail_usage ("no command; use new, serve, pack or validate");
  if (port_given && !g_str_equal (command, "serve"))
    return fail_usage ("--port is for serve");
  if (g_str_equal (command, "serve")) {
    if (input == NULL)
      return fail_usage ("serve needs a folder");
    return command_serve (input, (guint16) port);
  }
  if (g_str_equal (command, "new")) {
    if (input == NULL)
      return fail_usage ("new needs an app id");
    return command_new (input, folder != NULL ? folder : input);
  }
  if ((cloud != NULL || user != NULL) && !g_str_equal (command, "publish"))
    return fail_usage ("--cloud and --user are for publish");
  if (g_str_equal (command, "publish"))
    return command_publish (input, id, cloud, user);
  if (id == NULL)
    id = "yun-dev";
  if (!g_str_equal (command, "pack") && !g_str_equal (command, "validate")) {
    g_autofree char *message = g_strdup_printf ("unknown command \"%s\"", command);

    return fail_usage (message);
  }
  if (input == NULL)
    return fail_usage (g_str_equal (command, "pack") ? "pack needs a folder"
                                                     : "validate needs a folder or a zip");

  manifest_url = g_strdup_printf ("app://%s/manifest.json", id);
  if (!g_uri_is_valid (manifest_url, G_URI_FLAGS_NONE, NULL) || strchr (id, '/') != NULL)
    return fail_usage ("--id must be usable as a host name");

  if (g_str_equal (command, "pack")) {
    if (output == NULL)
      return fail_usage ("pack needs -o FILE.zip");
    return command_pack (input, output, manifest_url);
  }

  if (output != NULL)
    return fail_usage ("validate does not write a file; -o is for pack");
  if (g_str_has_prefix (input, "http://") || g_str_has_prefix (input, "https://"))
    return command_validate_url (input);
  return command_validate (input, manifest_url);
}
