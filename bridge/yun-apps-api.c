/* yun-apps-api.c: navigator.yun.apps, the store's hold on installed apps.
 *
 * The methods call the "installer" service (a YunAppInstaller on the
 * profile's registry).  The gate lets only the store through: "apps" is a
 * reserved permission (see yun_permission_gate_reserve()).
 *
 * A hosted app is installed from its manifest URL by the installer.  A
 * packaged app's zip is first downloaded here, in a worker thread, with
 * the installer's SoupSession into a file of the profile's downloads/
 * folder, its SHA-256 computed on the way; a hash other than the one the
 * store gave is refused before anything is unpacked, and the installer
 * checks it once more as it installs.  Progress goes to the calling page
 * as apps "progress" events through the "apps-host" service, which also
 * closes an app before it is uninstalled and refreshes the home screen
 * afterwards.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-apps-api.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "yun-app-id.h"
#include "yun-app-installer.h"
#include "yun-apps-host.h"
#include "yun-bridge.h"
#include "yun-package.h"

#define DOWNLOAD_CHUNK (64 * 1024)
/* The download is this much of the whole packaged install. */
#define DOWNLOAD_SHARE 0.5

typedef struct {
  YunBridge *bridge;
  YunBridgeCall *call;
  YunAppInstaller *installer;
  YunAppsHost *host;
  char *caller_id;
  char *id;
  char *manifest_url;
  char *package_url;
  char *sha256;
  char *path;
  gboolean update;
  /* The last fraction sent, so that progress never goes down. */
  double fraction;
  /* Where the installer's own fractions start, after a download. */
  double base;
} Install;

static void
install_free (Install *install)
{
  if (install->path != NULL)
    g_unlink (install->path);
  g_object_unref (install->bridge);
  g_object_unref (install->installer);
  g_clear_object (&install->host);
  g_free (install->caller_id);
  g_free (install->id);
  g_free (install->manifest_url);
  g_free (install->package_url);
  g_free (install->sha256);
  g_free (install->path);
  g_free (install);
}

static void
send_progress (Install    *install,
               const char *phase,
               double      fraction)
{
  install->fraction = MAX (install->fraction, CLAMP (fraction, 0.0, 1.0));
  if (install->host != NULL)
    yun_apps_host_send_progress (install->host, install->caller_id, install->id, phase,
                                 install->fraction);
}

static GError *
bridge_error (int         code,
              const char *method,
              const char *message)
{
  return g_error_new (YUN_BRIDGE_ERROR, code, "apps.%s: %s", method, message);
}

/* Whether a message from the disk or SQLite says the disk is full. */
static gboolean
is_disk_full (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
    return TRUE;
  return strstr (error->message, g_strerror (ENOSPC)) != NULL ||
         strstr (error->message, "database or disk is full") != NULL;
}

/* The installer's and the download's errors as the page sees them. */
static GError *
to_bridge_error (const char   *method,
                 const GError *error)
{
  int code = YUN_BRIDGE_ERROR_INVALID_STATE;

  if (error->domain == YUN_BRIDGE_ERROR)
    return g_error_copy (error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return bridge_error (YUN_BRIDGE_ERROR_ABORT, method, "the page went away");
  if (is_disk_full (error))
    return bridge_error (YUN_BRIDGE_ERROR_QUOTA_EXCEEDED, method, error->message);

  if (error->domain == YUN_APP_INSTALLER_ERROR) {
    switch ((YunAppInstallerError) error->code) {
    case YUN_APP_INSTALLER_ERROR_NETWORK:
      code = YUN_BRIDGE_ERROR_NETWORK;
      break;
    case YUN_APP_INSTALLER_ERROR_BAD_ID:
    case YUN_APP_INSTALLER_ERROR_INVALID_MANIFEST:
    case YUN_APP_INSTALLER_ERROR_INVALID_RESOURCE:
    case YUN_APP_INSTALLER_ERROR_INVALID_PACKAGE:
    case YUN_APP_INSTALLER_ERROR_CHECKSUM:
      code = YUN_BRIDGE_ERROR_DATA;
      break;
    case YUN_APP_INSTALLER_ERROR_NOT_INSTALLED:
      code = YUN_BRIDGE_ERROR_NOT_FOUND;
      break;
    case YUN_APP_INSTALLER_ERROR_NO_SPACE:
      code = YUN_BRIDGE_ERROR_QUOTA_EXCEEDED;
      break;
    case YUN_APP_INSTALLER_ERROR_DISK:
    default:
      code = YUN_BRIDGE_ERROR_INVALID_STATE;
      break;
    }
  } else if (error->domain == G_RESOLVER_ERROR || error->domain == SOUP_SESSION_ERROR ||
             error->domain == G_TLS_ERROR ||
             g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
             g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
             g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
             g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) ||
             g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
             g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE)) {
    code = YUN_BRIDGE_ERROR_NETWORK;
  }

  return bridge_error (code, method, error->message);
}

static JsonNode *
record_to_json (const YunAppRecord *record)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, record->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, yun_manifest_get_name (record->manifest));
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, record->version);
  json_builder_set_member_name (builder, "manifestUrl");
  json_builder_add_string_value (builder, record->manifest_url);
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, yun_app_source_to_string (record->source));
  json_builder_set_member_name (builder, "installed");
  json_builder_add_int_value (builder, record->installed_at / 1000);
  json_builder_set_member_name (builder, "updated");
  json_builder_add_int_value (builder, record->updated_at / 1000);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static YunAppInstaller *
get_installer (YunBridge     *bridge,
               YunBridgeCall *call,
               const char    *method)
{
  YunAppInstaller *installer = yun_bridge_get_service (bridge, "installer");

  if (installer == NULL)
    yun_bridge_call_return_error (call, bridge_error (YUN_BRIDGE_ERROR_INVALID_STATE, method,
                                                      "the installed apps are not open yet"));
  return installer;
}

static void
apps_list (YunBridge             *bridge,
           const YunBridgeCaller *caller,
           YunBridgeRequest      *request,
           YunBridgeCall         *call)
{
  YunAppInstaller *installer = get_installer (bridge, call, "list");
  g_autoptr(GPtrArray) records = NULL;
  JsonArray *array;

  if (installer == NULL)
    return;
  records = yun_app_registry_list (yun_app_installer_get_registry (installer));
  array = json_array_sized_new (records->len);
  for (guint i = 0; i < records->len; i++)
    json_array_add_element (array, record_to_json (g_ptr_array_index (records, i)));
  yun_bridge_call_return_value (call, json_node_init_array (json_node_alloc (), array));
  json_array_unref (array);
}

static void
apps_get (YunBridge             *bridge,
          const YunBridgeCaller *caller,
          YunBridgeRequest      *request,
          YunBridgeCall         *call)
{
  YunAppInstaller *installer = get_installer (bridge, call, "get");
  const char *id = json_object_get_string_member (request->args, "id");
  g_autoptr(YunAppRecord) record = NULL;
  g_autofree char *message = NULL;

  if (installer == NULL)
    return;
  if (yun_app_id_is_valid (id))
    record = yun_app_registry_get (yun_app_installer_get_registry (installer), id);
  if (record == NULL) {
    message = g_strdup_printf ("no app \"%s\" is installed", id);
    yun_bridge_call_return_error (call, bridge_error (YUN_BRIDGE_ERROR_NOT_FOUND, "get", message));
    return;
  }
  yun_bridge_call_return_value (call, record_to_json (record));
}

/* The installer's phases as the page's: download, verify, install, done. */
static const char *
page_phase (const char *phase)
{
  if (g_str_equal (phase, "fetching"))
    return "download";
  if (g_str_equal (phase, "verifying"))
    return "verify";
  if (g_str_equal (phase, "done"))
    return "done";
  return "install";
}

static void
on_installer_progress (const char *phase,
                       double      fraction,
                       gpointer    user_data)
{
  Install *install = user_data;

  send_progress (install, page_phase (phase),
                 install->base + (1.0 - install->base) * fraction);
}

static const char *
method_name (Install *install)
{
  return install->update ? "update" : "install";
}

static void
on_installed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Install *install = user_data;
  g_autoptr(YunAppRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  if (g_task_get_source_tag (G_TASK (result)) == yun_app_installer_install_hosted_async)
    record = yun_app_installer_install_hosted_finish (YUN_APP_INSTALLER (source), result, &error);
  else
    record = yun_app_installer_install_package_finish (YUN_APP_INSTALLER (source), result, &error);

  if (record == NULL) {
    yun_bridge_call_return_error (install->call, to_bridge_error (method_name (install), error));
  } else {
    send_progress (install, "done", 1.0);
    if (install->host != NULL)
      yun_apps_host_changed (install->host, record->id, TRUE);
    yun_bridge_call_return_value (install->call, record_to_json (record));
  }
  install_free (install);
}

/* The package download, in a worker thread: what it needs and reports. */
typedef struct {
  SoupSession *session;
  char *url;
  /* The profile's downloads/ folder, and the file made in it. */
  char *dir;
  char *path;
  GMainContext *context;
  Install *install;
} Download;

static void
download_free (Download *download)
{
  g_object_unref (download->session);
  g_free (download->url);
  g_free (download->dir);
  g_free (download->path);
  g_main_context_unref (download->context);
  g_free (download);
}

typedef struct {
  Install *install;
  double fraction;
} DownloadReport;

static gboolean
report_download (gpointer user_data)
{
  DownloadReport *report = user_data;

  send_progress (report->install, "download", report->fraction * DOWNLOAD_SHARE);
  return G_SOURCE_REMOVE;
}

/* A file in the profile's downloads/ folder, on the disk the app will be
 * installed on, so that a full disk shows up as early as it can. */
static char *
make_download_path (const char  *dir,
                    GError     **error)
{
  char *path;
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0) {
    int saved = errno;

    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                 "could not create %s: %s", dir, g_strerror (saved));
    return NULL;
  }
  path = g_build_filename (dir, "package-XXXXXX.zip", NULL);
  fd = g_mkstemp_full (path, O_RDWR, 0600);
  if (fd < 0) {
    int saved = errno;

    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                 "could not create a file in %s: %s", dir, g_strerror (saved));
    g_free (path);
    return NULL;
  }
  close (fd);
  /* The download creates it anew, so that it never follows a link. */
  g_unlink (path);
  return path;
}

static void
download_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Download *download = task_data;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = g_malloc (DOWNLOAD_CHUNK);
  GError *error = NULL;
  goffset expected;
  goffset received = 0;
  guint status;

  message = soup_message_new (SOUP_METHOD_GET, download->url);
  if (message == NULL) {
    g_task_return_new_error (task, YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_DATA,
                             "\"%s\" is not a URL", download->url);
    return;
  }
  body = soup_session_send (download->session, message, cancellable, &error);
  if (body == NULL) {
    g_task_return_error (task, error);
    return;
  }
  status = soup_message_get_status (message);
  if (status != SOUP_STATUS_OK) {
    g_task_return_new_error (task, YUN_APP_INSTALLER_ERROR, YUN_APP_INSTALLER_ERROR_NETWORK,
                             "could not download %s: HTTP %u %s", download->url, status,
                             soup_message_get_reason_phrase (message));
    return;
  }
  expected = soup_message_headers_get_content_length (
    soup_message_get_response_headers (message));
  if (expected > YUN_PACKAGE_MAX_ZIP_SIZE) {
    g_task_return_new_error (task, YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_DATA,
                             "the package is larger than %d bytes", YUN_PACKAGE_MAX_ZIP_SIZE);
    return;
  }

  download->path = make_download_path (download->dir, &error);
  if (download->path == NULL) {
    g_task_return_error (task, error);
    return;
  }
  file = g_file_new_for_path (download->path);
  out = g_file_create (file, G_FILE_CREATE_PRIVATE, cancellable, &error);
  if (out == NULL) {
    g_task_return_error (task, error);
    return;
  }

  for (;;) {
    gssize n = g_input_stream_read (body, buffer, DOWNLOAD_CHUNK, cancellable, &error);
    DownloadReport *report;

    if (n < 0) {
      g_task_return_error (task, error);
      return;
    }
    if (n == 0)
      break;
    received += n;
    if (received > YUN_PACKAGE_MAX_ZIP_SIZE) {
      g_task_return_new_error (task, YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_DATA,
                               "the package is larger than %d bytes", YUN_PACKAGE_MAX_ZIP_SIZE);
      return;
    }
    g_checksum_update (checksum, buffer, n);
    if (!g_output_stream_write_all (G_OUTPUT_STREAM (out), buffer, n, NULL, cancellable,
                                    &error)) {
      g_task_return_error (task, error);
      return;
    }
    if (expected > 0) {
      report = g_new0 (DownloadReport, 1);
      report->install = download->install;
      report->fraction = MIN (1.0, (double) received / (double) expected);
      g_main_context_invoke_full (download->context, G_PRIORITY_DEFAULT, report_download, report,
                                  g_free);
    }
  }
  if (!g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, &error)) {
    g_task_return_error (task, error);
    return;
  }
  if (expected >= 0 && received != expected) {
    g_task_return_new_error (task, YUN_APP_INSTALLER_ERROR, YUN_APP_INSTALLER_ERROR_NETWORK,
                             "the download of %s stopped after %" G_GOFFSET_FORMAT " of %"
                             G_GOFFSET_FORMAT " bytes", download->url, received, expected);
    return;
  }
  g_task_return_pointer (task, g_strdup (g_checksum_get_string (checksum)), g_free);
}

static void
on_downloaded (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Install *install = user_data;
  Download *download = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *message = NULL;

  /* Whatever happened, the file goes when the install is over. */
  install->path = g_steal_pointer (&download->path);

  if (sha256 == NULL) {
    yun_bridge_call_return_error (install->call, to_bridge_error (method_name (install), error));
    install_free (install);
    return;
  }

  send_progress (install, "verify", DOWNLOAD_SHARE);
  if (g_ascii_strcasecmp (sha256, install->sha256) != 0) {
    message = g_strdup_printf ("the package's SHA-256 is %s, not %s as the store lists it: "
                               "it was damaged or replaced; nothing was installed",
                               sha256, install->sha256);
    yun_bridge_call_return_error (install->call,
                                  bridge_error (YUN_BRIDGE_ERROR_DATA, method_name (install),
                                                message));
    install_free (install);
    return;
  }

  install->base = DOWNLOAD_SHARE;
  yun_app_installer_install_package_async (install->installer, install->id, NULL, install->path,
                                           install->sha256,
                                           yun_bridge_call_get_cancellable (install->call),
                                           on_installer_progress, install, on_installed, install);
}

static gboolean
is_web_url (const char *text)
{
  g_autoptr(GUri) uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  const char *scheme;

  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return FALSE;
  scheme = g_uri_get_scheme (uri);
  return g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0;
}

static gboolean
is_sha256 (const char *text)
{
  if (strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++) {
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  }
  return TRUE;
}

static void
start_install (YunBridge             *bridge,
               const YunBridgeCaller *caller,
               YunBridgeRequest      *request,
               YunBridgeCall         *call,
               gboolean               update)
{
  const char *method = update ? "update" : "install";
  YunAppInstaller *installer = get_installer (bridge, call, method);
  const char *id = json_object_get_string_member (request->args, "id");
  const char *manifest_url = json_object_get_string_member (request->args, "manifestUrl");
  const char *package_url = json_object_get_string_member_with_default (request->args,
                                                                       "packageUrl", NULL);
  const char *sha256 = json_object_get_string_member_with_default (request->args, "sha256", NULL);
  g_autoptr(YunAppRecord) installed = NULL;
  g_autoptr(GTask) task = NULL;
  g_autofree char *message = NULL;
  Install *install;
  Download *download;

  if (installer == NULL)
    return;

  if (!yun_app_id_is_valid (id))
    message = g_strdup_printf ("\"%s\" is not an app id: 1 to %d of a-z, 0-9, '.', '_' and '-'",
                               id, YUN_APP_ID_MAX_LENGTH);
  else if (!is_web_url (manifest_url))
    message = g_strdup ("manifestUrl must be an http or https URL");
  else if (package_url != NULL && !is_web_url (package_url))
    message = g_strdup ("packageUrl must be an http or https URL");
  else if (package_url != NULL && sha256 == NULL)
    message = g_strdup ("a packaged app needs the sha256 of its zip");
  else if (sha256 != NULL && !is_sha256 (sha256))
    message = g_strdup ("sha256 must be a SHA-256 in hex");
  if (message != NULL) {
    yun_bridge_call_return_error (call, bridge_error (YUN_BRIDGE_ERROR_DATA, method, message));
    return;
  }

  installed = yun_app_registry_get (yun_app_installer_get_registry (installer), id);
  if (update && installed == NULL) {
    message = g_strdup_printf ("no app \"%s\" is installed", id);
    yun_bridge_call_return_error (call, bridge_error (YUN_BRIDGE_ERROR_NOT_FOUND, method, message));
    return;
  }
  if (!update && installed != NULL) {
    message = g_strdup_printf ("\"%s\" is already installed; update it instead", id);
    yun_bridge_call_return_error (call, bridge_error (YUN_BRIDGE_ERROR_INVALID_STATE, method,
                                                      message));
    return;
  }

  install = g_new0 (Install, 1);
  install->bridge = g_object_ref (bridge);
  install->call = call;
  install->installer = g_object_ref (installer);
  install->host = yun_bridge_get_service (bridge, "apps-host");
  if (install->host != NULL)
    g_object_ref (install->host);
  install->caller_id = g_strdup (caller->app_id);
  install->id = g_strdup (id);
  install->manifest_url = g_strdup (manifest_url);
  install->package_url = g_strdup (package_url);
  install->sha256 = g_strdup (sha256);
  install->update = update;

  send_progress (install, "download", 0.0);
  if (package_url == NULL) {
    yun_app_installer_install_hosted_async (installer, id, manifest_url,
                                            yun_bridge_call_get_cancellable (call),
                                            on_installer_progress, install, on_installed, install);
    return;
  }

  download = g_new0 (Download, 1);
  download->session = g_object_ref (yun_app_installer_get_session (installer));
  download->url = g_strdup (package_url);
  download->dir = g_build_filename (yun_app_registry_get_profile_dir (
                                      yun_app_installer_get_registry (installer)),
                                    "downloads", NULL);
  download->context = g_main_context_ref_thread_default ();
  download->install = install;
  task = g_task_new (NULL, yun_bridge_call_get_cancellable (call), on_downloaded, install);
  g_task_set_source_tag (task, start_install);
  g_task_set_task_data (task, download, (GDestroyNotify) download_free);
  g_task_run_in_thread (task, download_thread);
}

static void
apps_install (YunBridge             *bridge,
              const YunBridgeCaller *caller,
              YunBridgeRequest      *request,
              YunBridgeCall         *call)
{
  start_install (bridge, caller, request, call, FALSE);
}

static void
apps_update (YunBridge             *bridge,
             const YunBridgeCaller *caller,
             YunBridgeRequest      *request,
             YunBridgeCall         *call)
{
  start_install (bridge, caller, request, call, TRUE);
}

typedef struct {
  YunBridgeCall *call;
  YunAppsHost *host;
  char *id;
} Uninstall;

static void
on_uninstalled (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Uninstall *uninstall = user_data;
  g_autoptr(GError) error = NULL;

  if (!yun_app_installer_uninstall_finish (YUN_APP_INSTALLER (source), result, &error)) {
    yun_bridge_call_return_error (uninstall->call, to_bridge_error ("uninstall", error));
  } else {
    if (uninstall->host != NULL)
      yun_apps_host_changed (uninstall->host, uninstall->id, FALSE);
    yun_bridge_call_return_value (uninstall->call, json_node_init_boolean (json_node_alloc (), TRUE));
  }
  g_clear_object (&uninstall->host);
  g_free (uninstall->id);
  g_free (uninstall);
}

static void
apps_uninstall (YunBridge             *bridge,
                const YunBridgeCaller *caller,
                YunBridgeRequest      *request,
                YunBridgeCall         *call)
{
  YunAppInstaller *installer = get_installer (bridge, call, "uninstall");
  const char *id = json_object_get_string_member (request->args, "id");
  g_autoptr(YunAppRecord) installed = NULL;
  g_autofree char *message = NULL;
  Uninstall *uninstall;

  if (installer == NULL)
    return;
  if (g_str_equal (id, caller->app_id)) {
    yun_bridge_call_return_error (call, bridge_error (YUN_BRIDGE_ERROR_NOT_ALLOWED, "uninstall",
                                                      "the store cannot uninstall itself"));
    return;
  }
  if (yun_app_id_is_valid (id))
    installed = yun_app_registry_get (yun_app_installer_get_registry (installer), id);
  if (installed == NULL) {
    message = g_strdup_printf ("no app \"%s\" is installed", id);
    yun_bridge_call_return_error (call, bridge_error (YUN_BRIDGE_ERROR_NOT_FOUND, "uninstall",
                                                      message));
    return;
  }

  uninstall = g_new0 (Uninstall, 1);
  uninstall->call = call;
  uninstall->host = yun_bridge_get_service (bridge, "apps-host");
  if (uninstall->host != NULL) {
    g_object_ref (uninstall->host);
    /* Its files and data are about to go: close it first. */
    yun_apps_host_closing (uninstall->host, id);
  }
  uninstall->id = g_strdup (id);
  yun_app_installer_uninstall_async (installer, id, yun_bridge_call_get_cancellable (call), NULL,
                                     NULL, on_uninstalled, uninstall);
}

const YunBridgeMethod yun_apps_api[] = {
  { "apps", "list", apps_list },
  { "apps", "get", apps_get },
  { "apps", "install", apps_install },
  { "apps", "update", apps_update },
  { "apps", "uninstall", apps_uninstall },
  { NULL, NULL, NULL },
};
