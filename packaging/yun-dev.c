/* yun-dev.c: the app developer's tool — pack a folder into a package, and
 * validate a folder or a package the way the shell will when installing.
 *
 * Exit codes: 0 when all is well, 1 when the input is not a valid package
 * (or cannot be read or written), 2 when the command line is wrong.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-app-id.h"
#include "yun-package.h"

#include <glib/gstdio.h>

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#define EXIT_OK      0
#define EXIT_INVALID 1
#define EXIT_USAGE   2

static const char usage[] =
  "Usage:\n"
  "  yun-dev new ID [DIR]\n"
  "  yun-dev pack DIR -o FILE.zip [--id ID]\n"
  "  yun-dev validate DIR|FILE.zip|URL [--id ID]\n"
  "\n"
  "Commands:\n"
  "  new       Make a new app in DIR (default: ./ID): manifest.json, index.html,\n"
  "            an ES module app.js that uses navigator.yun, style.css and\n"
  "            yun.d.ts.  DIR must not exist or be empty.\n"
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
  "\n"
  "Options:\n"
  "  -o, --output FILE  where pack writes the package\n"
  "  --id ID            the app id the manifest is checked under; relative\n"
  "                     URLs resolve against app://ID/manifest.json\n"
  "                     (default: yun-dev)\n"
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
    g_autoptr(GBytes) bytes = g_resources_lookup_data (resource, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
    g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    g_auto(GStrv) parts = g_strsplit (text, "@NAME@", -1);
    g_autofree char *filled = g_strjoinv (id, parts);
    g_autofree char *path = g_build_filename (dir, template_files[i], NULL);

    if (!g_file_set_contents (path, filled, -1, &error))
      return fail (path, g_steal_pointer (&error));
  }

  g_print ("Made the app %s in %s.  Next:\n"
           "  yun-dev validate %s\n"
           "  yun-dev pack %s -o %s.zip\n", id, dir, dir, dir, id);
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

int
main (int   argc,
      char *argv[])
{
  g_autofree char *manifest_url = NULL;
  const char *command = NULL;
  const char *input = NULL;
  const char *folder = NULL;
  const char *output = NULL;
  const char *id = "yun-dev";

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
    return fail_usage ("no command; use new, pack or validate");
  if (g_str_equal (command, "new")) {
    if (input == NULL)
      return fail_usage ("new needs an app id");
    return command_new (input, folder != NULL ? folder : input);
  }
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
