/* yun-app-installer.c: installs, updates and uninstalls apps.
 *
 * An install gathers everything the app needs into a staging folder of
 * the profile first, P/apps/.staging-<id>-XXXXXX/: a packaged app's zip is
 * validated whole and extracted there, a hosted app's manifest, start page
 * and icons are downloaded there within their limits.  Only when every
 * file is written and synced does the registry swap them in and record the
 * app (yun_app_registry_swap_in() says how that survives a crash), so a
 * failure at any earlier point leaves nothing behind but the staging
 * folder, which is removed.  An update is an install over an installed
 * app, with the same rules: until the row is written, the old version is
 * the one installed.
 *
 * Operations on one app run one after another; operations on different
 * apps run side by side.  The blocking functions may be called from any
 * thread but the main one; the _async variants run them in a worker
 * thread.  Downloads use the caller's #SoupSession from that thread, which
 * libsoup allows since 3.2.
 *
 * For tests only: with YUN_INSTALLER_CRASH_AFTER=N in the environment the
 * process SIGKILLs itself at the N-th step that changes the disk (each file
 * written, each rename, the row's commit, each file removed); see
 * yun_app_registry_crash_point().  tests/unit/test-app-installer.c uses it
 * to check that a killed install leaves the old version or the new one,
 * never a mix.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-app-installer.h"

#include "yun-app-registry-private.h"
#include "yun-json.h"
#include "yun-manifest.h"
#include "yun-package.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define INDEX_NAME "index.json"
#define READ_CHUNK (64 * 1024)
#define MAX_VERSION_LENGTH 128

enum {
  PROP_0,
  PROP_REGISTRY,
  PROP_SESSION,
  N_PROPS
};

typedef enum {
  JOB_HOSTED,
  JOB_PACKAGE,
  JOB_UNINSTALL,
} JobKind;

/* One operation, with what it reports progress to. */
typedef struct {
  JobKind kind;
  char *id;
  char *manifest_url;
  GBytes *zip;
  char *path;
  char *sha256;
  YunAppInstallerProgressFunc progress;
  gpointer progress_data;
  /* Where progress is reported, for async operations; %NULL to report in
   * the calling thread. */
  GMainContext *context;
  double fraction;
} Job;

typedef struct {
  YunAppInstallerProgressFunc progress;
  gpointer progress_data;
  char *phase;
  double fraction;
} Report;

/* A file a hosted app's offline copy keeps. */
typedef struct {
  const char *url;
  gboolean is_start_page;
} Resource;

struct _YunAppInstaller
{
  GObject parent_instance;

  YunAppRegistry *registry;
  SoupSession *session;
};

G_DEFINE_FINAL_TYPE (YunAppInstaller, yun_app_installer, G_TYPE_OBJECT)

G_DEFINE_QUARK (yun-app-installer-error-quark, yun_app_installer_error)

static GParamSpec *properties[N_PROPS];

static Job *
job_new (JobKind                      kind,
         const char                  *id,
         YunAppInstallerProgressFunc  progress,
         gpointer                     progress_data)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->id = g_strdup (id);
  job->progress = progress;
  job->progress_data = progress_data;
  return job;
}

static void
job_free (Job *job)
{
  g_free (job->id);
  g_free (job->manifest_url);
  g_clear_pointer (&job->zip, g_bytes_unref);
  g_free (job->path);
  g_free (job->sha256);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

static void
report_free (Report *report)
{
  g_free (report->phase);
  g_free (report);
}

static gboolean
report_in_context (gpointer user_data)
{
  Report *report = user_data;

  report->progress (report->phase, report->fraction, report->progress_data);
  return G_SOURCE_REMOVE;
}

static void
report (Job        *job,
        const char *phase,
        double      fraction)
{
  Report *message;

  job->fraction = MAX (job->fraction, CLAMP (fraction, 0.0, 1.0));
  if (job->progress == NULL)
    return;

  if (job->context == NULL) {
    job->progress (phase, job->fraction, job->progress_data);
    return;
  }

  /* Queued before the task returns, so every report reaches the caller
   * before the completion callback does. */
  message = g_new0 (Report, 1);
  message->progress = job->progress;
  message->progress_data = job->progress_data;
  message->phase = g_strdup (phase);
  message->fraction = job->fraction;
  g_main_context_invoke_full (job->context, G_PRIORITY_DEFAULT, report_in_context, message,
                              (GDestroyNotify) report_free);
}

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *what,
                 const char  *path)
{
  int code = saved_errno == ENOSPC || saved_errno == EDQUOT ? YUN_APP_INSTALLER_ERROR_NO_SPACE :
             YUN_APP_INSTALLER_ERROR_DISK;

  g_set_error (error, YUN_APP_INSTALLER_ERROR, code,
               "could not %s %s: %s", what, path, g_strerror (saved_errno));
  return FALSE;
}

/* Whether a registry's or a package's error about the disk says it is
 * full: they carry the system's reason (or SQLite's) in their message. */
static gboolean
says_no_space (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE) ||
         strstr (error->message, g_strerror (ENOSPC)) != NULL ||
         strstr (error->message, g_strerror (EDQUOT)) != NULL ||
         strstr (error->message, "database or disk is full") != NULL;
}

/* Registry errors as the installer's own. */
static void
propagate_registry_error (GError **error,
                          GError  *registry_error)
{
  YunAppInstallerError code;

  if (registry_error->domain != YUN_APP_REGISTRY_ERROR) {
    g_propagate_error (error, registry_error);
    return;
  }

  switch (registry_error->code) {
  case YUN_APP_REGISTRY_ERROR_BAD_ID:
    code = YUN_APP_INSTALLER_ERROR_BAD_ID;
    break;
  case YUN_APP_REGISTRY_ERROR_INVALID_MANIFEST:
    code = YUN_APP_INSTALLER_ERROR_INVALID_MANIFEST;
    break;
  case YUN_APP_REGISTRY_ERROR_NOT_INSTALLED:
    code = YUN_APP_INSTALLER_ERROR_NOT_INSTALLED;
    break;
  case YUN_APP_REGISTRY_ERROR_IO:
  case YUN_APP_REGISTRY_ERROR_CORRUPT:
  case YUN_APP_REGISTRY_ERROR_EXISTS:
  default:
    code = says_no_space (registry_error) ? YUN_APP_INSTALLER_ERROR_NO_SPACE :
           YUN_APP_INSTALLER_ERROR_DISK;
    break;
  }

  g_set_error_literal (error, YUN_APP_INSTALLER_ERROR, code, registry_error->message);
  g_error_free (registry_error);
}

/* Package errors as the installer's own. */
static void
propagate_package_error (GError **error,
                         GError  *package_error)
{
  if (g_error_matches (package_error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    g_propagate_error (error, package_error);
    return;
  }

  if (g_error_matches (package_error, YUN_PACKAGE_ERROR, YUN_PACKAGE_ERROR_CHECKSUM))
    g_set_error_literal (error, YUN_APP_INSTALLER_ERROR, YUN_APP_INSTALLER_ERROR_CHECKSUM,
                         package_error->message);
  else if (package_error->domain == YUN_PACKAGE_ERROR)
    g_set_error (error, YUN_APP_INSTALLER_ERROR, YUN_APP_INSTALLER_ERROR_INVALID_PACKAGE,
                 "invalid package: %s", package_error->message);
  else
    g_set_error_literal (error, YUN_APP_INSTALLER_ERROR,
                         says_no_space (package_error) ? YUN_APP_INSTALLER_ERROR_NO_SPACE :
                         YUN_APP_INSTALLER_ERROR_DISK, package_error->message);
  g_error_free (package_error);
}

static gboolean
check_id (const char  *id,
          GError     **error)
{
  if (yun_app_id_is_valid (id))
    return TRUE;

  g_set_error (error, YUN_APP_INSTALLER_ERROR, YUN_APP_INSTALLER_ERROR_BAD_ID,
               "\"%s\" is not an app id: it must be 1 to %d of a-z, 0-9, '.', '_' and '-', "
               "starting with a letter or a digit", id, YUN_APP_ID_MAX_LENGTH);
  return FALSE;
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

/* Creates @path, which must not exist, with @data, and syncs it. */
static gboolean
write_new_file (const char  *path,
                GBytes      *data,
                GError     **error)
{
  gsize length;
  const guint8 *bytes = g_bytes_get_data (data, &length);
  int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);

  if (fd < 0)
    return set_errno_error (error, errno, "create", path);

  while (length > 0) {
    gssize written = write (fd, bytes, length);

    if (written < 0 && errno == EINTR)
      continue;
    if (written < 0) {
      int saved_errno = errno;

      close (fd);
      return set_errno_error (error, saved_errno, "write", path);
    }
    bytes += written;
    length -= written;
  }

  if (fsync (fd) != 0) {
    int saved_errno = errno;

    close (fd);
    return set_errno_error (error, saved_errno, "write", path);
  }
  if (close (fd) != 0)
    return set_errno_error (error, errno, "write", path);
  return TRUE;
}

/* Downloads @url, at most @max_size bytes of it.  @what names the file in
 * messages ("the manifest"); @too_large_code is the error when it is
 * bigger.  The media type comes back lower case in @media_type, with the
 * charset, when there is one, in @charset. */
static GBytes *
fetch (YunAppInstaller  *self,
       const char       *url,
       const char       *what,
       gsize             max_size,
       int               too_large_code,
       char            **media_type,
       char            **charset,
       char            **final_url,
       GCancellable     *cancellable,
       GError          **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GByteArray) body = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GHashTable) params = NULL;
  SoupMessageHeaders *headers;
  const char *type;
  goffset declared;
  guint status;

  if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
                      g_strcmp0 (g_uri_get_scheme (uri), "https") != 0)) {
    g_set_error (error, YUN_APP_INSTALLER_ERROR, YUN_APP_INSTALLER_ERROR_NETWORK,
                 "could not download %s %s: not an http or https URL", what, url);
    return NULL;
  }

  message = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  stream = soup_session_send (self->session, message, cancellable, &local_error);
  if (stream == NULL) {
    if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      g_propagate_error (error, g_steal_pointer (&local_error));
    else
      g_set_error (error, YUN_APP_INSTALLER_ERROR, YUN_APP_INSTALLER_ERROR_NETWORK,
                   "could not download %s %s: %s", what, url, local_error->message);
    return NULL;
  }

  status = soup_message_get_status (message);
  if (status != SOUP_STATUS_OK) {
    g_set_error (error, YUN_APP_INSTALLER_ERROR, YUN_APP_INSTALLER_ERROR_NETWORK,
                 "could not download %s %s: HTTP %u %s", what, url, status,
                 soup_message_get_reason_phrase (message));
    return NULL;
  }

  headers = soup_message_get_response_headers (message);
  declared = soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH ?
             soup_message_headers_get_content_length (headers) : 0;
  if (declared > (goffset) max_size)
    goto too_large;

  body = g_byte_array_new ();
  for (;;) {
    guint8 buffer[READ_CHUNK];
    gssize n_read = g_input_stream_read (stream, buffer, sizeof buffer, cancellable,
                                         &local_error);

    if (n_read < 0) {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, YUN_APP_INSTALLER_ERROR, YUN_APP_INSTALLER_ERROR_NETWORK,
                     "could not download %s %s: %s", what, url, local_error->message);
      return NULL;
    }
    if (n_read == 0)
      break;
    /* Counted as it arrives, after content decoding, so that neither a
     * lying header nor a compressed bomb gets past the limit. */
    if (body->len + (gsize) n_read > max_size)
      goto too_large;
    g_byte_array_append (body, buffer, n_read);
  }
  g_input_stream_close (stream, NULL, NULL);

  type = soup_message_headers_get_content_type (headers, &params);
  if (media_type != NULL)
    *media_type = type != NULL ? g_ascii_strdown (type, -1) : NULL;
  if (charset != NULL)
    *charset = params != NULL ? g_strdup (g_hash_table_lookup (params, "charset")) : NULL;
  if (final_url != NULL)
    *final_url = g_uri_to_string (soup_message_get_uri (message));

  return g_byte_array_free_to_bytes (g_steal_pointer (&body));

too_large:
  g_set_error (error, YUN_APP_INSTALLER_ERROR, too_large_code,
               "%s %s is larger than %" G_GSIZE_FORMAT " bytes", what, url, max_size);
  return NULL;
}

/* A charset parameter as a content type may carry it: a token, nothing
 * that could smuggle another parameter in. */
static gboolean
is_charset_token (const char *charset)
{
  if (charset == NULL || *charset == '\0' || strlen (charset) > 40)
    return FALSE;
  for (const char *p = charset; *p != '\0'; p++) {
    if (!g_ascii_isalnum (*p) && strchr ("-_.:+", *p) == NULL)
      return FALSE;
  }
  return TRUE;
}

/* Downloads one file of the offline copy into @folder, under the SHA-256
 * of its URL, and adds it to @index. */
static gboolean
fetch_resource (YunAppInstaller  *self,
                const Resource   *resource,
                const char       *folder,
                JsonBuilder      *index,
                GCancellable     *cancellable,
                GError          **error)
{
  const char *what = resource->is_start_page ? "the start page" : "the icon";
  g_autofree char *media_type = NULL;
  g_autofree char *charset = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GBytes) data = NULL;
  gboolean acceptable;

  data = fetch (self, resource->url, what,
                resource->is_start_page ? YUN_APP_INSTALLER_MAX_START_PAGE_SIZE :
                YUN_APP_INSTALLER_MAX_ICON_SIZE,
                YUN_APP_INSTALLER_ERROR_INVALID_RESOURCE, &media_type, &charset, NULL,
                cancellable, error);
  if (data == NULL)
    return FALSE;

  if (resource->is_start_page)
    acceptable = g_strcmp0 (media_type, "text/html") == 0;
  else
    acceptable = media_type != NULL && g_str_has_prefix (media_type, "image/") &&
                 media_type[strlen ("image/")] != '\0';
  if (!acceptable) {
    g_set_error (error, YUN_APP_INSTALLER_ERROR, YUN_APP_INSTALLER_ERROR_INVALID_RESOURCE,
                 "%s %s is %s, not %s", what, resource->url,
                 media_type != NULL ? media_type : "of no type",
                 resource->is_start_page ? "text/html" : "an image");
    return FALSE;
  }

  content_type = is_charset_token (charset) ?
                 g_strdup_printf ("%s; charset=%s", media_type, charset) :
                 g_strdup (media_type);

  name = g_compute_checksum_for_string (G_CHECKSUM_SHA256, resource->url, -1);
  path = g_build_filename (folder, name, NULL);
  if (!write_new_file (path, data, error))
    return FALSE;
  yun_app_registry_crash_point ();

  json_builder_set_member_name (index, resource->url);
  json_builder_begin_object (index);
  json_builder_set_member_name (index, "file");
  json_builder_add_string_value (index, name);
  json_builder_set_member_name (index, "content_type");
  json_builder_add_string_value (index, content_type);
  json_builder_end_object (index);
  return TRUE;
}

/* start_url's document first, then each icon once. */
static GPtrArray *
list_resources (YunManifest  *manifest,
                GError      **error)
{
  g_autoptr(GPtrArray) resources = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *icons = yun_manifest_get_icons (manifest);
  Resource *start_page = g_new0 (Resource, 1);
  guint n_icons = 0;

  start_page->url = yun_manifest_get_start_url (manifest);
  start_page->is_start_page = TRUE;
  g_ptr_array_add (resources, start_page);
  g_hash_table_add (seen, (gpointer) start_page->url);

  for (guint i = 0; i < icons->len; i++) {
    const char *src = yun_manifest_icon_get_src (g_ptr_array_index (icons, i));
    Resource *icon;

    /* A data: icon is its own offline copy. */
    if (g_str_has_prefix (src, "data:") || g_hash_table_contains (seen, src))
      continue;
    if (++n_icons > YUN_APP_INSTALLER_MAX_ICONS) {
      g_set_error (error, YUN_APP_INSTALLER_ERROR, YUN_APP_INSTALLER_ERROR_INVALID_MANIFEST,
                   "icons: more than %d different icons", YUN_APP_INSTALLER_MAX_ICONS);
      return NULL;
    }

    icon = g_new0 (Resource, 1);
    icon->url = src;
    g_ptr_array_add (resources, icon);
    g_hash_table_add (seen, (gpointer) src);
  }

  return g_steal_pointer (&resources);
}

static gboolean
write_index (const char   *folder,
             JsonBuilder  *index,
             GError      **error)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (index);
  g_autofree char *path = g_build_filename (folder, INDEX_NAME, NULL);
  g_autoptr(GBytes) bytes = NULL;
  char *text;
  gsize length;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &length);
  bytes = g_bytes_new_take (text, length);

  if (!write_new_file (path, bytes, error))
    return FALSE;
  yun_app_registry_crash_point ();
  return TRUE;
}

static gboolean
sync_staging (const char  *staging,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!yun_app_registry_sync_tree (staging, &local_error)) {
    propagate_registry_error (error, g_steal_pointer (&local_error));
    return FALSE;
  }
  return TRUE;
}

static void
remove_staging (const char *staging)
{
  /* Best effort: a staging folder left behind is removed by the next
   * collection. */
  if (staging != NULL)
    yun_app_registry_remove_tree (staging, NULL);
}

static YunAppRecord *
swap_in (YunAppInstaller  *self,
         Job              *job,
         const char       *staged_dir,
         YunAppSource      source,
         const char       *manifest_url,
         const char       *manifest_text,
         const char       *version,
         GCancellable     *cancellable,
         GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  YunAppRecord *record;

  /* The last moment to stop; from here on the install completes. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  report (job, "installing", 0.9);
  record = yun_app_registry_swap_in (self->registry, job->id, staged_dir, source, manifest_url,
                                     manifest_text, version, &local_error);
  if (record == NULL)
    propagate_registry_error (error, g_steal_pointer (&local_error));
  return record;
}

static YunAppRecord *
install_hosted (YunAppInstaller  *self,
                Job              *job,
                const char       *staging,
                GCancellable     *cancellable,
                GError          **error)
{
  g_autoptr(GBytes) manifest_data = NULL;
  g_autoptr(YunManifest) manifest = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) resources = NULL;
  g_autoptr(JsonBuilder) index = json_builder_new ();
  g_autofree char *manifest_url = NULL;
  g_autofree char *manifest_text = NULL;
  g_autofree char *version = NULL;
  g_autofree char *offline = NULL;
  const char *data;
  gsize length;

  report (job, "fetching", 0.0);
  manifest_data = fetch (self, job->manifest_url, "the manifest", YUN_MANIFEST_MAX_BYTES,
                         YUN_APP_INSTALLER_ERROR_INVALID_MANIFEST, NULL, NULL, &manifest_url,
                         cancellable, error);
  if (manifest_data == NULL)
    return NULL;

  data = g_bytes_get_data (manifest_data, &length);
  manifest = yun_manifest_new_from_data (data != NULL ? data : "", length, manifest_url,
                                         &local_error);
  if (manifest == NULL) {
    g_set_error_literal (error, YUN_APP_INSTALLER_ERROR, YUN_APP_INSTALLER_ERROR_INVALID_MANIFEST,
                         local_error->message);
    return NULL;
  }
  /* It processed, so it is UTF-8 without NUL bytes. */
  manifest_text = g_strndup (data, length);
  report (job, "fetching", 0.1);

  resources = list_resources (manifest, error);
  if (resources == NULL)
    return NULL;

  offline = g_build_filename (staging, YUN_APP_DIR_OFFLINE, NULL);
  if (g_mkdir (offline, 0755) != 0) {
    set_errno_error (error, errno, "create", offline);
    return NULL;
  }

  json_builder_begin_object (index);
  for (guint i = 0; i < resources->len; i++) {
    if (!fetch_resource (self, g_ptr_array_index (resources, i), offline, index, cancellable,
                         error))
      return NULL;
    report (job, "fetching", 0.1 + 0.75 * (i + 1) / resources->len);
  }
  json_builder_end_object (index);

  if (!write_index (offline, index, error) || !sync_staging (staging, error))
    return NULL;

  version = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guint8 *) data, length);
  return swap_in (self, job, offline, YUN_APP_SOURCE_HOSTED, manifest_url, manifest_text,
                  version, cancellable, error);
}

/* The manifest's own `version` member, when it has one; %NULL with @error
 * unset when it has none. */
static char *
read_manifest_version (const char  *manifest_text,
                       GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonNode *node;
  const char *version;

  root = yun_json_parse_bounded (manifest_text, strlen (manifest_text), YUN_MANIFEST_MAX_BYTES,
                                 64, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  node = json_object_get_member (json_node_get_object (root), "version");
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING) {
    g_set_error (error, YUN_APP_INSTALLER_ERROR, YUN_APP_INSTALLER_ERROR_INVALID_MANIFEST,
                 "version: expected a string, got %s", yun_json_type_name (node));
    return NULL;
  }

  version = json_node_get_string (node);
  if (*version == '\0' || strlen (version) > MAX_VERSION_LENGTH) {
    g_set_error (error, YUN_APP_INSTALLER_ERROR, YUN_APP_INSTALLER_ERROR_INVALID_MANIFEST,
                 "version: expected 1 to %d characters", MAX_VERSION_LENGTH);
    return NULL;
  }
  return g_strdup (version);
}

static YunAppRecord *
install_package (YunAppInstaller  *self,
                 Job              *job,
                 const char       *staging,
                 YunPackage       *package,
                 GCancellable     *cancellable,
                 GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *package_dir = g_build_filename (staging, YUN_APP_DIR_PACKAGE, NULL);
  g_autofree char *manifest_path = g_build_filename (package_dir, "manifest.json", NULL);
  g_autofree char *manifest_url = g_strdup_printf ("app://%s/manifest.json", job->id);
  g_autofree char *manifest_text = NULL;
  g_autofree char *version = NULL;

  report (job, "extracting", 0.2);
  if (!yun_package_extract (package, package_dir, cancellable, &local_error)) {
    propagate_package_error (error, g_steal_pointer (&local_error));
    return NULL;
  }
  yun_app_registry_crash_point ();
  if (!sync_staging (staging, error))
    return NULL;
  report (job, "extracting", 0.8);

  /* The registry keeps the manifest's text; the package only validated
   * it, so it is read back from what was extracted. */
  if (!g_file_get_contents (manifest_path, &manifest_text, NULL, &local_error)) {
    g_set_error_literal (error, YUN_APP_INSTALLER_ERROR, YUN_APP_INSTALLER_ERROR_DISK,
                         local_error->message);
    return NULL;
  }

  version = read_manifest_version (manifest_text, &local_error);
  if (local_error != NULL) {
    g_propagate_error (error, g_steal_pointer (&local_error));
    return NULL;
  }
  if (version == NULL)
    version = g_ascii_strdown (job->sha256, -1);

  return swap_in (self, job, package_dir, YUN_APP_SOURCE_PACKAGED, manifest_url, manifest_text,
                  version, cancellable, error);
}

/* Validates the whole zip, in memory, before anything touches the disk. */
static YunPackage *
open_package (Job           *job,
              GError       **error)
{
  g_autofree char *manifest_url = g_strdup_printf ("app://%s/manifest.json", job->id);
  g_autoptr(GError) local_error = NULL;
  YunPackage *package;

  if (!is_sha256 (job->sha256)) {
    g_set_error (error, YUN_APP_INSTALLER_ERROR, YUN_APP_INSTALLER_ERROR_CHECKSUM,
                 "\"%s\" is not a SHA-256 in hex", job->sha256);
    return NULL;
  }

  if (job->zip != NULL)
    package = yun_package_new_from_bytes (job->zip, manifest_url, job->sha256, &local_error);
  else
    package = yun_package_new_from_file (job->path, manifest_url, job->sha256, &local_error);
  if (package == NULL)
    propagate_package_error (error, g_steal_pointer (&local_error));
  return package;
}

static YunAppRecord *
run_install (YunAppInstaller  *self,
             Job              *job,
             GCancellable     *cancellable,
             GError          **error)
{
  g_autoptr(YunPackage) package = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *staging = NULL;
  YunAppRecord *record = NULL;

  if (!check_id (job->id, error))
    return NULL;

  if (job->kind == JOB_PACKAGE) {
    report (job, "verifying", 0.0);
    package = open_package (job, error);
    if (package == NULL)
      return NULL;
  }

  if (!yun_app_registry_claim (self->registry, job->id, cancellable, error))
    return NULL;

  staging = yun_app_registry_make_staging (self->registry, job->id, &local_error);
  if (staging == NULL)
    propagate_registry_error (error, g_steal_pointer (&local_error));
  else if (job->kind == JOB_PACKAGE)
    record = install_package (self, job, staging, package, cancellable, error);
  else
    record = install_hosted (self, job, staging, cancellable, error);

  remove_staging (staging);
  yun_app_registry_release (self->registry, job->id);

  if (record != NULL)
    report (job, "done", 1.0);
  return record;
}

static gboolean
run_uninstall (YunAppInstaller  *self,
               Job              *job,
               GCancellable     *cancellable,
               GError          **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!check_id (job->id, error) || g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  report (job, "removing", 0.0);
  if (!yun_app_registry_uninstall (self->registry, job->id, &local_error)) {
    propagate_registry_error (error, g_steal_pointer (&local_error));
    return FALSE;
  }
  report (job, "done", 1.0);
  return TRUE;
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  YunAppInstaller *self = source_object;
  Job *job = task_data;
  GError *error = NULL;

  if (job->kind == JOB_UNINSTALL) {
    if (run_uninstall (self, job, cancellable, &error))
      g_task_return_boolean (task, TRUE);
    else
      g_task_return_error (task, error);
  } else {
    YunAppRecord *record = run_install (self, job, cancellable, &error);

    if (record != NULL)
      g_task_return_pointer (task, record, (GDestroyNotify) yun_app_record_free);
    else
      g_task_return_error (task, error);
  }
}

static void
run_async (YunAppInstaller     *self,
           Job                 *job,
           gpointer             source_tag,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  job->context = g_main_context_ref_thread_default ();
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, job_thread);
}

static void
yun_app_installer_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  YunAppInstaller *self = YUN_APP_INSTALLER (object);

  switch (prop_id) {
  case PROP_REGISTRY:
    g_value_set_object (value, self->registry);
    break;
  case PROP_SESSION:
    g_value_set_object (value, self->session);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
yun_app_installer_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  YunAppInstaller *self = YUN_APP_INSTALLER (object);

  switch (prop_id) {
  case PROP_REGISTRY:
    self->registry = g_value_dup_object (value);
    break;
  case PROP_SESSION:
    self->session = g_value_dup_object (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
yun_app_installer_dispose (GObject *object)
{
  YunAppInstaller *self = YUN_APP_INSTALLER (object);

  g_clear_object (&self->registry);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (yun_app_installer_parent_class)->dispose (object);
}

static void
yun_app_installer_class_init (YunAppInstallerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = yun_app_installer_get_property;
  object_class->set_property = yun_app_installer_set_property;
  object_class->dispose = yun_app_installer_dispose;

  /**
   * YunAppInstaller:registry:
   *
   * The registry apps are installed into.
   */
  properties[PROP_REGISTRY] =
    g_param_spec_object ("registry", NULL, NULL, YUN_TYPE_APP_REGISTRY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * YunAppInstaller:session:
   *
   * The session hosted apps are downloaded with, or %NULL when the
   * installer only installs packages.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SOUP_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
yun_app_installer_init (YunAppInstaller *self)
{
}

/**
 * yun_app_installer_new:
 * @registry: the registry to install into
 * @session: (nullable): the session to download hosted apps with; %NULL
 *   when only packages are installed
 *
 * Returns: (transfer full): a new installer
 */
YunAppInstaller *
yun_app_installer_new (YunAppRegistry *registry,
                       SoupSession    *session)
{
  g_return_val_if_fail (YUN_IS_APP_REGISTRY (registry), NULL);
  g_return_val_if_fail (session == NULL || SOUP_IS_SESSION (session), NULL);

  return g_object_new (YUN_TYPE_APP_INSTALLER, "registry", registry, "session", session, NULL);
}

/**
 * yun_app_installer_get_registry:
 * @self: an installer
 *
 * Returns: (transfer none): the registry apps are installed into
 */
YunAppRegistry *
yun_app_installer_get_registry (YunAppInstaller *self)
{
  g_return_val_if_fail (YUN_IS_APP_INSTALLER (self), NULL);
  return self->registry;
}

/**
 * yun_app_installer_get_session:
 * @self: an installer
 *
 * Returns: (transfer none) (nullable): the session hosted apps are
 *   downloaded with
 */
SoupSession *
yun_app_installer_get_session (YunAppInstaller *self)
{
  g_return_val_if_fail (YUN_IS_APP_INSTALLER (self), NULL);
  return self->session;
}

/**
 * yun_app_installer_install_hosted:
 * @self: an installer with a session
 * @id: the app's id; an installed app with this id is updated
 * @manifest_url: the http or https URL of the app's manifest
 * @cancellable: (nullable): a #GCancellable; it has no effect once the
 *   files are being put in place
 * @progress: (nullable) (scope call): called as the install goes, in this
 *   thread
 * @progress_data: data for @progress
 * @error: return location for a #YunAppInstallerError
 *
 * Installs or updates a hosted app: downloads and validates its manifest,
 * then start_url's document (at most
 * %YUN_APP_INSTALLER_MAX_START_PAGE_SIZE bytes of text/html) and each icon
 * (at most %YUN_APP_INSTALLER_MAX_ICON_SIZE bytes of an image type) into
 * P/apps/@id/offline/, under the SHA-256 of their URL, with `index.json`
 * mapping each URL to {"file", "content_type"}.  The recorded version is
 * the SHA-256 of the manifest.
 *
 * This blocks on the network and the disk: use
 * yun_app_installer_install_hosted_async() from the main thread.  It must
 * not be called from the thread that runs the server it downloads from.
 *
 * Returns: (transfer full): the installed app's record, or %NULL with
 *   @error set, in which case nothing changed
 */
YunAppRecord *
yun_app_installer_install_hosted (YunAppInstaller              *self,
                                  const char                   *id,
                                  const char                   *manifest_url,
                                  GCancellable                 *cancellable,
                                  YunAppInstallerProgressFunc   progress,
                                  gpointer                      progress_data,
                                  GError                      **error)
{
  g_autoptr(Job) job = NULL;

  g_return_val_if_fail (YUN_IS_APP_INSTALLER (self), NULL);
  g_return_val_if_fail (self->session != NULL, NULL);
  g_return_val_if_fail (id != NULL && manifest_url != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  job = job_new (JOB_HOSTED, id, progress, progress_data);
  job->manifest_url = g_strdup (manifest_url);
  return run_install (self, job, cancellable, error);
}

/**
 * yun_app_installer_install_hosted_async:
 * @self: an installer with a session
 * @id: the app's id; an installed app with this id is updated
 * @manifest_url: the http or https URL of the app's manifest
 * @cancellable: (nullable): a #GCancellable; it has no effect once the
 *   files are being put in place
 * @progress: (nullable) (scope notified): called as the install goes, in
 *   the thread-default main context of this call, always before @callback
 * @progress_data: data for @progress; it must stay valid until @callback
 * @callback: called when the app is installed or the install failed
 * @user_data: data for @callback
 *
 * Runs yun_app_installer_install_hosted() in a worker thread.
 */
void
yun_app_installer_install_hosted_async (YunAppInstaller              *self,
                                        const char                   *id,
                                        const char                   *manifest_url,
                                        GCancellable                 *cancellable,
                                        YunAppInstallerProgressFunc   progress,
                                        gpointer                      progress_data,
                                        GAsyncReadyCallback           callback,
                                        gpointer                      user_data)
{
  Job *job;

  g_return_if_fail (YUN_IS_APP_INSTALLER (self));
  g_return_if_fail (self->session != NULL);
  g_return_if_fail (id != NULL && manifest_url != NULL);

  job = job_new (JOB_HOSTED, id, progress, progress_data);
  job->manifest_url = g_strdup (manifest_url);
  run_async (self, job, yun_app_installer_install_hosted_async, cancellable, callback,
             user_data);
}

/**
 * yun_app_installer_install_hosted_finish:
 * @self: an installer
 * @result: the result given to the callback
 * @error: return location for a #YunAppInstallerError
 *
 * Returns: (transfer full): the installed app's record, or %NULL with
 *   @error set, in which case nothing changed
 */
YunAppRecord *
yun_app_installer_install_hosted_finish (YunAppInstaller  *self,
                                         GAsyncResult     *result,
                                         GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        yun_app_installer_install_hosted_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * yun_app_installer_install_package:
 * @self: an installer
 * @id: the app's id; an installed app with this id is updated
 * @zip: the package
 * @sha256: the SHA-256 the package must have, in hex, as the store
 *   catalog lists it
 * @cancellable: (nullable): a #GCancellable; it has no effect once the
 *   files are being put in place
 * @progress: (nullable) (scope call): called as the install goes, in this
 *   thread
 * @progress_data: data for @progress
 * @error: return location for a #YunAppInstallerError
 *
 * Installs or updates a packaged app: validates the whole zip (see
 * #YunPackage), extracts it into P/apps/@id/package/ and records it with
 * the manifest URL `app://<id>/manifest.json`.  The recorded version is the
 * manifest's `version` member when it has one, else @sha256.
 *
 * This blocks on the disk: use yun_app_installer_install_package_async()
 * from the main thread.
 *
 * Returns: (transfer full): the installed app's record, or %NULL with
 *   @error set, in which case nothing changed
 */
YunAppRecord *
yun_app_installer_install_package (YunAppInstaller              *self,
                                   const char                   *id,
                                   GBytes                       *zip,
                                   const char                   *sha256,
                                   GCancellable                 *cancellable,
                                   YunAppInstallerProgressFunc   progress,
                                   gpointer                      progress_data,
                                   GError                      **error)
{
  g_autoptr(Job) job = NULL;

  g_return_val_if_fail (YUN_IS_APP_INSTALLER (self), NULL);
  g_return_val_if_fail (id != NULL && zip != NULL && sha256 != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  job = job_new (JOB_PACKAGE, id, progress, progress_data);
  job->zip = g_bytes_ref (zip);
  job->sha256 = g_strdup (sha256);
  return run_install (self, job, cancellable, error);
}

/**
 * yun_app_installer_install_package_file:
 * @self: an installer
 * @id: the app's id; an installed app with this id is updated
 * @path: the package's file
 * @sha256: the SHA-256 the package must have, in hex
 * @cancellable: (nullable): a #GCancellable
 * @progress: (nullable) (scope call): called as the install goes, in this
 *   thread
 * @progress_data: data for @progress
 * @error: return location for a #YunAppInstallerError
 *
 * Like yun_app_installer_install_package() with the zip read from @path.
 * This blocks on the disk.
 *
 * Returns: (transfer full): the installed app's record, or %NULL with
 *   @error set, in which case nothing changed
 */
YunAppRecord *
yun_app_installer_install_package_file (YunAppInstaller              *self,
                                        const char                   *id,
                                        const char                   *path,
                                        const char                   *sha256,
                                        GCancellable                 *cancellable,
                                        YunAppInstallerProgressFunc   progress,
                                        gpointer                      progress_data,
                                        GError                      **error)
{
  g_autoptr(Job) job = NULL;

  g_return_val_if_fail (YUN_IS_APP_INSTALLER (self), NULL);
  g_return_val_if_fail (id != NULL && path != NULL && sha256 != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  job = job_new (JOB_PACKAGE, id, progress, progress_data);
  job->path = g_strdup (path);
  job->sha256 = g_strdup (sha256);
  return run_install (self, job, cancellable, error);
}

/**
 * yun_app_installer_install_package_async:
 * @self: an installer
 * @id: the app's id; an installed app with this id is updated
 * @zip: (nullable): the package in memory, or %NULL to read @path
 * @path: (nullable): the package's file, when @zip is %NULL
 * @sha256: the SHA-256 the package must have, in hex
 * @cancellable: (nullable): a #GCancellable; it has no effect once the
 *   files are being put in place
 * @progress: (nullable) (scope notified): called as the install goes, in
 *   the thread-default main context of this call, always before @callback
 * @progress_data: data for @progress; it must stay valid until @callback
 * @callback: called when the app is installed or the install failed
 * @user_data: data for @callback
 *
 * Runs yun_app_installer_install_package() or
 * yun_app_installer_install_package_file() in a worker thread.  Exactly
 * one of @zip and @path is given.
 */
void
yun_app_installer_install_package_async (YunAppInstaller              *self,
                                         const char                   *id,
                                         GBytes                       *zip,
                                         const char                   *path,
                                         const char                   *sha256,
                                         GCancellable                 *cancellable,
                                         YunAppInstallerProgressFunc   progress,
                                         gpointer                      progress_data,
                                         GAsyncReadyCallback           callback,
                                         gpointer                      user_data)
{
  Job *job;

  g_return_if_fail (YUN_IS_APP_INSTALLER (self));
  g_return_if_fail (id != NULL && sha256 != NULL);
  g_return_if_fail ((zip == NULL) != (path == NULL));

  job = job_new (JOB_PACKAGE, id, progress, progress_data);
  job->zip = zip != NULL ? g_bytes_ref (zip) : NULL;
  job->path = g_strdup (path);
  job->sha256 = g_strdup (sha256);
  run_async (self, job, yun_app_installer_install_package_async, cancellable, callback,
             user_data);
}

/**
 * yun_app_installer_install_package_finish:
 * @self: an installer
 * @result: the result given to the callback
 * @error: return location for a #YunAppInstallerError
 *
 * Returns: (transfer full): the installed app's record, or %NULL with
 *   @error set, in which case nothing changed
 */
YunAppRecord *
yun_app_installer_install_package_finish (YunAppInstaller  *self,
                                          GAsyncResult     *result,
                                          GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        yun_app_installer_install_package_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * yun_app_installer_uninstall:
 * @self: an installer
 * @id: an installed app's id
 * @cancellable: (nullable): a #GCancellable; it only has effect before the
 *   uninstall starts
 * @progress: (nullable) (scope call): called as the uninstall goes, in
 *   this thread
 * @progress_data: data for @progress
 * @error: return location for a #YunAppInstallerError
 *
 * Removes the app's row, then its whole folder, web data and cache
 * included (see yun_app_registry_uninstall()).  The caller forgets the
 * app's permission decisions.  This blocks on the disk: use
 * yun_app_installer_uninstall_async() from the main thread.
 *
 * Returns: %TRUE when the app is no longer installed;
 *   %YUN_APP_INSTALLER_ERROR_NOT_INSTALLED when it was not
 */
gboolean
yun_app_installer_uninstall (YunAppInstaller              *self,
                             const char                   *id,
                             GCancellable                 *cancellable,
                             YunAppInstallerProgressFunc   progress,
                             gpointer                      progress_data,
                             GError                      **error)
{
  g_autoptr(Job) job = NULL;

  g_return_val_if_fail (YUN_IS_APP_INSTALLER (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  job = job_new (JOB_UNINSTALL, id, progress, progress_data);
  return run_uninstall (self, job, cancellable, error);
}

/**
 * yun_app_installer_uninstall_async:
 * @self: an installer
 * @id: an installed app's id
 * @cancellable: (nullable): a #GCancellable; it only has effect before the
 *   uninstall starts
 * @progress: (nullable) (scope notified): called as the uninstall goes, in
 *   the thread-default main context of this call, always before @callback
 * @progress_data: data for @progress; it must stay valid until @callback
 * @callback: called when the app is uninstalled or the uninstall failed
 * @user_data: data for @callback
 *
 * Runs yun_app_installer_uninstall() in a worker thread.
 */
void
yun_app_installer_uninstall_async (YunAppInstaller              *self,
                                   const char                   *id,
                                   GCancellable                 *cancellable,
                                   YunAppInstallerProgressFunc   progress,
                                   gpointer                      progress_data,
                                   GAsyncReadyCallback           callback,
                                   gpointer                      user_data)
{
  g_return_if_fail (YUN_IS_APP_INSTALLER (self));
  g_return_if_fail (id != NULL);

  run_async (self, job_new (JOB_UNINSTALL, id, progress, progress_data),
             yun_app_installer_uninstall_async, cancellable, callback, user_data);
}

/**
 * yun_app_installer_uninstall_finish:
 * @self: an installer
 * @result: the result given to the callback
 * @error: return location for a #YunAppInstallerError
 *
 * Returns: %TRUE when the app is no longer installed
 */
gboolean
yun_app_installer_uninstall_finish (YunAppInstaller  *self,
                                    GAsyncResult     *result,
                                    GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        yun_app_installer_uninstall_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
