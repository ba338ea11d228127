/* yun-manifest.c: a processed W3C Web App Manifest.
 *
 * The processing follows the W3C Web App Manifest with one deliberate
 * difference that DESIGN.md asks for: a member of the wrong type is an error
 * that names the member, not a silent default, because an app whose manifest
 * is wrong should fail to install where its developer can see why.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-manifest.h"

#include "yun-json.h"
#include "yun-scope.h"

#include <string.h>

#define MAX_DEPTH 32

struct _YunManifest
{
  GObject parent_instance;

  char *manifest_url;
  char *name;
  char *short_name;
  char *start_url;
  char *scope;
  char *display;
  char *theme_color;
  char *background_color;
  char *description;
};

G_DEFINE_FINAL_TYPE (YunManifest, yun_manifest, G_TYPE_OBJECT)

G_DEFINE_QUARK (yun-manifest-error-quark, yun_manifest_error)

static const char * const display_modes[] = {
  "fullscreen", "standalone", "minimal-ui", "browser", NULL
};

static gboolean
read_string (JsonObject  *root,
             const char  *member,
             char       **out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (root, member);

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING) {
    g_set_error (error, YUN_MANIFEST_ERROR, YUN_MANIFEST_ERROR_INVALID,
                 "%s: expected a string, got %s", member, yun_json_type_name (node));
    return FALSE;
  }

  *out = g_strstrip (g_strdup (json_node_get_string (node)));
  return TRUE;
}

static char *
resolve_url (const char  *base,
             const char  *member,
             const char  *value,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *resolved = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;

  /* An absolute URL without a host ("https:/../x") can never be an app's
   * page, and GLib 2.74 asserts while resolving some of them: refuse them
   * first. */
  if (!g_uri_split (value, G_URI_FLAGS_ENCODED, &scheme, NULL, &host, NULL, NULL, NULL, NULL,
                    &local_error)) {
    g_set_error (error, YUN_MANIFEST_ERROR, YUN_MANIFEST_ERROR_INVALID,
                 "%s: \"%s\" is not a URL: %s", member, value, local_error->message);
    return NULL;
  }
  if (scheme != NULL && (host == NULL || *host == '\0')) {
    g_set_error (error, YUN_MANIFEST_ERROR, YUN_MANIFEST_ERROR_INVALID,
                 "%s: \"%s\" is not a web address with a host", member, value);
    return NULL;
  }

  resolved = g_uri_resolve_relative (base, value, G_URI_FLAGS_ENCODED, &local_error);
  if (resolved == NULL) {
    g_set_error (error, YUN_MANIFEST_ERROR, YUN_MANIFEST_ERROR_INVALID,
                 "%s: \"%s\" is not a URL: %s", member, value, local_error->message);
    return NULL;
  }

  return g_steal_pointer (&resolved);
}

/* The default scope is the start URL with its last path segment, query and
 * fragment removed. */
static char *
default_scope (const char *start_url)
{
  g_autoptr(GUri) uri = g_uri_parse (start_url, G_URI_FLAGS_ENCODED, NULL);
  g_autofree char *dir = NULL;
  const char *path;
  const char *slash;

  g_assert (uri != NULL);
  path = g_uri_get_path (uri);
  slash = strrchr (path, '/');
  dir = slash != NULL ? g_strndup (path, slash - path + 1) : g_strdup ("/");

  return g_uri_join (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), NULL,
                     g_uri_get_host (uri), g_uri_get_port (uri), dir, NULL, NULL);
}

static gboolean
process (YunManifest  *self,
         JsonObject   *root,
         GError      **error)
{
  g_autofree char *start_url = NULL;
  g_autofree char *scope = NULL;

  if (!read_string (root, "name", &self->name, error) ||
      !read_string (root, "short_name", &self->short_name, error) ||
      !read_string (root, "start_url", &start_url, error) ||
      !read_string (root, "scope", &scope, error) ||
      !read_string (root, "display", &self->display, error) ||
      !read_string (root, "theme_color", &self->theme_color, error) ||
      !read_string (root, "background_color", &self->background_color, error) ||
      !read_string (root, "description", &self->description, error))
    return FALSE;

  if ((self->name == NULL || *self->name == '\0') &&
      (self->short_name == NULL || *self->short_name == '\0')) {
    g_set_error_literal (error, YUN_MANIFEST_ERROR, YUN_MANIFEST_ERROR_INVALID,
                         "name: an app needs a non-empty name or short_name");
    return FALSE;
  }

  if (self->display == NULL)
    self->display = g_strdup ("standalone");
  else if (!g_strv_contains (display_modes, self->display)) {
    g_set_error (error, YUN_MANIFEST_ERROR, YUN_MANIFEST_ERROR_INVALID,
                 "display: expected \"fullscreen\", \"standalone\", \"minimal-ui\" "
                 "or \"browser\", got \"%s\"", self->display);
    return FALSE;
  }

  self->start_url = resolve_url (self->manifest_url, "start_url",
                                 start_url != NULL ? start_url : ".", error);
  if (self->start_url == NULL)
    return FALSE;
  if (!yun_scope_same_origin (self->start_url, self->manifest_url)) {
    g_set_error (error, YUN_MANIFEST_ERROR, YUN_MANIFEST_ERROR_INVALID,
                 "start_url: \"%s\" does not have the manifest's origin", self->start_url);
    return FALSE;
  }

  if (scope != NULL)
    self->scope = resolve_url (self->manifest_url, "scope", scope, error);
  else
    self->scope = default_scope (self->start_url);
  if (self->scope == NULL)
    return FALSE;

  if (!yun_scope_contains (self->scope, self->start_url)) {
    g_set_error (error, YUN_MANIFEST_ERROR, YUN_MANIFEST_ERROR_INVALID,
                 "scope: start_url \"%s\" is not within scope \"%s\"",
                 self->start_url, self->scope);
    return FALSE;
  }

  return TRUE;
}

static void
yun_manifest_finalize (GObject *object)
{
  YunManifest *self = YUN_MANIFEST (object);

  g_free (self->manifest_url);
  g_free (self->name);
  g_free (self->short_name);
  g_free (self->start_url);
  g_free (self->scope);
  g_free (self->display);
  g_free (self->theme_color);
  g_free (self->background_color);
  g_free (self->description);

  G_OBJECT_CLASS (yun_manifest_parent_class)->finalize (object);
}

static void
yun_manifest_class_init (YunManifestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = yun_manifest_finalize;
}

static void
yun_manifest_init (YunManifest *self)
{
}

/**
 * yun_manifest_new_from_data:
 * @data: (array length=length): the manifest's bytes
 * @length: length of @data
 * @manifest_url: the absolute URL the manifest was fetched from; relative
 *   URLs in the manifest resolve against it
 * @error: return location for a #YunManifestError
 *
 * Processes a manifest.  Relative URLs resolve against @manifest_url, which
 * also stands in for the document URL of the specification, since Yun
 * installs apps from their manifest rather than from a page.
 *
 * Returns: (transfer full): the manifest, or %NULL with @error naming the
 *   member path that is wrong
 */
YunManifest *
yun_manifest_new_from_data (const char  *data,
                            gsize        length,
                            const char  *manifest_url,
                            GError     **error)
{
  g_autoptr(YunManifest) self = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (manifest_url != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_uri_is_valid (manifest_url, G_URI_FLAGS_ENCODED, NULL)) {
    g_set_error (error, YUN_MANIFEST_ERROR, YUN_MANIFEST_ERROR_INVALID,
                 "manifest URL \"%s\" is not an absolute URL", manifest_url);
    return NULL;
  }

  root = yun_json_parse_bounded (data, length, YUN_MANIFEST_MAX_BYTES, MAX_DEPTH,
                                 &local_error);
  if (root == NULL) {
    g_set_error (error, YUN_MANIFEST_ERROR, YUN_MANIFEST_ERROR_INVALID,
                 "manifest: %s", local_error->message);
    return NULL;
  }

  if (!JSON_NODE_HOLDS_OBJECT (root)) {
    g_set_error (error, YUN_MANIFEST_ERROR, YUN_MANIFEST_ERROR_INVALID,
                 "manifest: expected an object, got %s", yun_json_type_name (root));
    return NULL;
  }

  self = g_object_new (YUN_TYPE_MANIFEST, NULL);
  self->manifest_url = g_strdup (manifest_url);
  if (!process (self, json_node_get_object (root), error))
    return NULL;

  return g_steal_pointer (&self);
}

static void
on_fetch_ready (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupSession *session = SOUP_SESSION (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMessage *message;
  const char *url = g_task_get_task_data (task);
  YunManifest *manifest;
  gsize length;
  const char *data;

  body = soup_session_send_and_read_finish (session, result, &error);
  if (body == NULL) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      g_task_return_error (task, g_steal_pointer (&error));
    else
      g_task_return_new_error (task, YUN_MANIFEST_ERROR, YUN_MANIFEST_ERROR_FETCH,
                               "could not fetch the manifest %s: %s", url, error->message);
    return;
  }

  message = soup_session_get_async_result_message (session, result);
  if (soup_message_get_status (message) != SOUP_STATUS_OK) {
    g_task_return_new_error (task, YUN_MANIFEST_ERROR, YUN_MANIFEST_ERROR_FETCH,
                             "could not fetch the manifest %s: HTTP %u %s", url,
                             soup_message_get_status (message),
                             soup_message_get_reason_phrase (message));
    return;
  }

  data = g_bytes_get_data (body, &length);
  manifest = yun_manifest_new_from_data (data, length, url, &error);
  if (manifest == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, manifest, g_object_unref);
}

/**
 * yun_manifest_fetch_async:
 * @session: the session to fetch with
 * @manifest_url: the absolute URL of the manifest
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the manifest is fetched and processed
 * @user_data: data for @callback
 *
 * Downloads a manifest and processes it like yun_manifest_new_from_data().
 */
void
yun_manifest_fetch_async (SoupSession         *session,
                          const char          *manifest_url,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) message = NULL;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (manifest_url != NULL);

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, yun_manifest_fetch_async);
  g_task_set_task_data (task, g_strdup (manifest_url), g_free);

  message = soup_message_new (SOUP_METHOD_GET, manifest_url);
  if (message == NULL) {
    g_task_return_new_error (task, YUN_MANIFEST_ERROR, YUN_MANIFEST_ERROR_FETCH,
                             "\"%s\" is not a URL that can be fetched", manifest_url);
    return;
  }

  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, cancellable,
                                    on_fetch_ready, g_steal_pointer (&task));
}

/**
 * yun_manifest_fetch_finish:
 * @result: the result given to the callback
 * @error: return location for a #YunManifestError or a #GIOError
 *
 * Returns: (transfer full): the processed manifest, or %NULL with @error set
 */
YunManifest *
yun_manifest_fetch_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == yun_manifest_fetch_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * yun_manifest_get_manifest_url:
 * @self: a manifest
 *
 * Returns: (transfer none): the URL the manifest was read from
 */
const char *
yun_manifest_get_manifest_url (YunManifest *self)
{
  g_return_val_if_fail (YUN_IS_MANIFEST (self), NULL);
  return self->manifest_url;
}

/**
 * yun_manifest_get_name:
 * @self: a manifest
 *
 * Returns: (transfer none): the name, falling back to short_name
 */
const char *
yun_manifest_get_name (YunManifest *self)
{
  g_return_val_if_fail (YUN_IS_MANIFEST (self), NULL);
  return self->name != NULL && *self->name != '\0' ? self->name : self->short_name;
}

/**
 * yun_manifest_get_short_name:
 * @self: a manifest
 *
 * Returns: (transfer none): the short name, falling back to name
 */
const char *
yun_manifest_get_short_name (YunManifest *self)
{
  g_return_val_if_fail (YUN_IS_MANIFEST (self), NULL);
  return self->short_name != NULL && *self->short_name != '\0' ? self->short_name : self->name;
}

/**
 * yun_manifest_get_start_url:
 * @self: a manifest
 *
 * Returns: (transfer none): the absolute start URL
 */
const char *
yun_manifest_get_start_url (YunManifest *self)
{
  g_return_val_if_fail (YUN_IS_MANIFEST (self), NULL);
  return self->start_url;
}

/**
 * yun_manifest_get_scope:
 * @self: a manifest
 *
 * Returns: (transfer none): the absolute scope URL
 */
const char *
yun_manifest_get_scope (YunManifest *self)
{
  g_return_val_if_fail (YUN_IS_MANIFEST (self), NULL);
  return self->scope;
}

/**
 * yun_manifest_get_display:
 * @self: a manifest
 *
 * Returns: (transfer none): the display mode, "standalone" by default
 */
const char *
yun_manifest_get_display (YunManifest *self)
{
  g_return_val_if_fail (YUN_IS_MANIFEST (self), NULL);
  return self->display;
}

/**
 * yun_manifest_get_theme_color:
 * @self: a manifest
 *
 * Returns: (transfer none) (nullable): the theme colour as written
 */
const char *
yun_manifest_get_theme_color (YunManifest *self)
{
  g_return_val_if_fail (YUN_IS_MANIFEST (self), NULL);
  return self->theme_color;
}

/**
 * yun_manifest_get_background_color:
 * @self: a manifest
 *
 * Returns: (transfer none) (nullable): the background colour as written
 */
const char *
yun_manifest_get_background_color (YunManifest *self)
{
  g_return_val_if_fail (YUN_IS_MANIFEST (self), NULL);
  return self->background_color;
}

/**
 * yun_manifest_get_description:
 * @self: a manifest
 *
 * Returns: (transfer none) (nullable): the description
 */
const char *
yun_manifest_get_description (YunManifest *self)
{
  g_return_val_if_fail (YUN_IS_MANIFEST (self), NULL);
  return self->description;
}
