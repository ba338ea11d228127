/* yun-manifest.c: a processed W3C Web App Manifest.
 *
 * The processing follows the W3C Web App Manifest with one deliberate
 * difference that DESIGN.md asks for: a member of the wrong type, or a
 * value the specification would silently drop (an icon without a src, a
 * colour CSS cannot read, an id on another origin), is an error that names
 * the member's path, not a silent default, because an app whose manifest is
 * wrong should fail to install where its developer can see why.  Members
 * nobody knows are ignored, so manifests written for browsers still work.
 *
 * Every error message starts with the path of the member that is wrong,
 * such as "icons[2].sizes" or "yun.permissions.contacts.access", then a
 * colon; tests/data/manifests/ holds a corpus that pins them down.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-manifest.h"

#include "yun-css-color.h"
#include "yun-json.h"
#include "yun-scope.h"

#include <string.h>

#define MAX_DEPTH 32

typedef struct
{
  YunManifestAccess access;
  char *reason;
} Permission;

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
  char *id;
  GPtrArray *icons;
  GStrv categories;
  char *min_runtime;
  GHashTable *permissions;
  GStrv permission_names;
};

G_DEFINE_FINAL_TYPE (YunManifest, yun_manifest, G_TYPE_OBJECT)

G_DEFINE_QUARK (yun-manifest-error-quark, yun_manifest_error)

static const char * const display_modes[] = {
  "fullscreen", "standalone", "minimal-ui", "browser", NULL
};

/* What an app may ask for in yun.permissions; the bridge's methods name
 * these.  Kept in the order the app developer guide lists them. */
static const char * const known_permissions[] = {
  "contacts", "camera", "photos", "location", "notes", "messages", "calls", "sync", "share",
  "notifications", "apps", NULL
};

static void
permission_free (Permission *permission)
{
  g_free (permission->reason);
  g_free (permission);
}

static gboolean set_invalid (GError     **error,
                             const char  *path,
                             const char  *format,
                             ...) G_GNUC_PRINTF (3, 4);

/* Sets a YUN_MANIFEST_ERROR_INVALID whose message is "PATH: DETAIL", so that
 * every message starts with the member that is wrong. */
static gboolean
set_invalid (GError     **error,
             const char  *path,
             const char  *format,
             ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, YUN_MANIFEST_ERROR, YUN_MANIFEST_ERROR_INVALID, "%s: %s", path, detail);
  return FALSE;
}

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

/* Reads an optional string member of @object, stripped of white space;
 * @path names it in errors.  Leaves *out alone when the member is absent. */
static gboolean
read_string_at (JsonObject  *object,
                const char  *member,
                const char  *path,
                char       **out,
                GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return TRUE;

  if (!node_is_string (node))
    return set_invalid (error, path, "expected a string, got %s", yun_json_type_name (node));

  *out = g_strstrip (g_strdup (json_node_get_string (node)));
  return TRUE;
}

static gboolean
read_string (JsonObject  *root,
             const char  *member,
             char       **out,
             GError     **error)
{
  return read_string_at (root, member, member, out, error);
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
    set_invalid (error, member, "\"%s\" is not a URL: %s", value, local_error->message);
    return NULL;
  }
  if (scheme != NULL && (host == NULL || *host == '\0')) {
    set_invalid (error, member, "\"%s\" is not a web address with a host", value);
    return NULL;
  }

  resolved = g_uri_resolve_relative (base, value, G_URI_FLAGS_ENCODED, &local_error);
  if (resolved == NULL) {
    set_invalid (error, member, "\"%s\" is not a URL: %s", value, local_error->message);
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

/* "scheme://host[:port]/" of an absolute URL the manifest already resolved. */
static char *
origin_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);

  g_assert (uri != NULL);
  return g_uri_join (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), NULL,
                     g_uri_get_host (uri), g_uri_get_port (uri), "/", NULL, NULL);
}

/* In an encoded URL a '#' can only start the fragment. */
static void
remove_fragment (char *url)
{
  char *hash = strchr (url, '#');

  if (hash != NULL)
    *hash = '\0';
}

static gboolean
check_color (const char  *member,
             const char  *value,
             GError     **error)
{
  if (value == NULL || yun_css_color_is_valid (value))
    return TRUE;
  return set_invalid (error, member, "expected a CSS color, got \"%s\"", value);
}

/* The id member, as the specification processes it: resolved against the
 * origin of start_url (not start_url itself, so "foo" and "/foo" are the
 * same id), without its fragment, and start_url when absent or empty.  An id
 * on another origin is an error here rather than silently replaced. */
static gboolean
process_id (YunManifest  *self,
            JsonObject   *root,
            GError      **error)
{
  g_autofree char *id = NULL;
  g_autofree char *origin = NULL;

  if (!read_string (root, "id", &id, error))
    return FALSE;

  if (id == NULL || *id == '\0') {
    self->id = g_strdup (self->start_url);
    remove_fragment (self->id);
    return TRUE;
  }

  origin = origin_of (self->start_url);
  self->id = resolve_url (origin, "id", id, error);
  if (self->id == NULL)
    return FALSE;
  if (!yun_scope_same_origin (self->id, self->start_url))
    return set_invalid (error, "id", "\"%s\" does not have the origin of start_url \"%s\"",
                        self->id, self->start_url);

  remove_fragment (self->id);
  return TRUE;
}

/* "any" or unique "WxH" tokens, as the HTML sizes attribute allows them:
 * decimal integers without a leading zero.  Returns the normalised list. */
static char *
parse_sizes (const char  *path,
             const char  *value,
             GError     **error)
{
  g_auto(GStrv) tokens = g_strsplit_set (value, " \t\n\f\r", -1);
  g_autoptr(GPtrArray) sizes = g_ptr_array_new_with_free_func (g_free);

  for (int i = 0; tokens[i] != NULL; i++) {
    g_autofree char *token = g_ascii_strdown (tokens[i], -1);
    const char *x;
    gboolean ok;

    if (*token == '\0')
      continue;

    x = strchr (token, 'x');
    if (g_str_equal (token, "any")) {
      ok = TRUE;
    } else {
      gsize width_digits = x != NULL ? (gsize) (x - token) : 0;
      gsize height_digits = x != NULL ? strlen (x + 1) : 0;

      ok = width_digits > 0 && height_digits > 0 && width_digits <= 6 && height_digits <= 6 &&
           token[0] != '0' && x[1] != '0' &&
           strspn (token, "0123456789") == width_digits &&
           strspn (x + 1, "0123456789") == height_digits;
    }
    if (!ok) {
      set_invalid (error, path, "expected \"any\" or sizes like \"48x48 96x96\", got \"%s\"",
                   value);
      return NULL;
    }

    for (guint j = 0; j < sizes->len; j++) {
      if (g_str_equal (g_ptr_array_index (sizes, j), token)) {
        set_invalid (error, path, "\"%s\" is listed twice", token);
        return NULL;
      }
    }
    g_ptr_array_add (sizes, g_steal_pointer (&token));
  }

  if (sizes->len == 0) {
    set_invalid (error, path, "expected \"any\" or sizes like \"48x48 96x96\", got \"%s\"",
                 value);
    return NULL;
  }

  g_ptr_array_add (sizes, NULL);
  return g_strjoinv (" ", (char **) sizes->pdata);
}

/* RFC 9110 token characters, which make up both halves of a MIME type. */
static gboolean
is_token (const char *start,
          gsize       length)
{
  static const char *extra = "!#$%&'*+-.^_`|~";

  if (length == 0)
    return FALSE;
  for (gsize i = 0; i < length; i++) {
    if (!g_ascii_isalnum (start[i]) && strchr (extra, start[i]) == NULL)
      return FALSE;
  }
  return TRUE;
}

static gboolean
check_mime_type (const char  *path,
                 const char  *value,
                 GError     **error)
{
  const char *semicolon = strchr (value, ';');
  gsize essence = semicolon != NULL ? (gsize) (semicolon - value) : strlen (value);
  const char *slash = memchr (value, '/', essence);

  while (essence > 0 && g_ascii_isspace (value[essence - 1]))
    essence--;

  if (slash == NULL || !is_token (value, slash - value) ||
      !is_token (slash + 1, essence - (slash - value) - 1))
    return set_invalid (error, path, "expected a MIME type like \"image/png\", got \"%s\"",
                        value);
  return TRUE;
}

static gboolean
parse_purpose (const char              *path,
               const char              *value,
               YunManifestIconPurpose  *purpose,
               GError                 **error)
{
  g_auto(GStrv) tokens = g_strsplit_set (value, " \t\n\f\r", -1);

  *purpose = 0;
  for (int i = 0; tokens[i] != NULL; i++) {
    if (*tokens[i] == '\0')
      continue;
    if (g_ascii_strcasecmp (tokens[i], "any") == 0)
      *purpose |= YUN_MANIFEST_ICON_PURPOSE_ANY;
    else if (g_ascii_strcasecmp (tokens[i], "maskable") == 0)
      *purpose |= YUN_MANIFEST_ICON_PURPOSE_MASKABLE;
    else if (g_ascii_strcasecmp (tokens[i], "monochrome") == 0)
      *purpose |= YUN_MANIFEST_ICON_PURPOSE_MONOCHROME;
    else
      return set_invalid (error, path,
                          "expected \"any\", \"maskable\" or \"monochrome\", got \"%s\"",
                          tokens[i]);
  }

  if (*purpose == 0)
    return set_invalid (error, path,
                        "expected \"any\", \"maskable\" or \"monochrome\", got \"%s\"", value);
  return TRUE;
}

static YunManifestIcon *
process_icon (YunManifest  *self,
              JsonNode     *node,
              guint         index,
              GError      **error)
{
  g_autofree char *path = g_strdup_printf ("icons[%u]", index);
  g_autofree char *src_path = g_strconcat (path, ".src", NULL);
  g_autofree char *sizes_path = g_strconcat (path, ".sizes", NULL);
  g_autofree char *type_path = g_strconcat (path, ".type", NULL);
  g_autofree char *purpose_path = g_strconcat (path, ".purpose", NULL);
  g_autofree char *src = NULL;
  g_autofree char *resolved = NULL;
  g_autofree char *sizes = NULL;
  g_autofree char *normal_sizes = NULL;
  g_autofree char *mime_type = NULL;
  g_autofree char *purpose_text = NULL;
  YunManifestIconPurpose purpose = YUN_MANIFEST_ICON_PURPOSE_ANY;
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node)) {
    set_invalid (error, path, "expected an object, got %s", yun_json_type_name (node));
    return NULL;
  }
  object = json_node_get_object (node);

  if (!read_string_at (object, "src", src_path, &src, error) ||
      !read_string_at (object, "sizes", sizes_path, &sizes, error) ||
      !read_string_at (object, "type", type_path, &mime_type, error) ||
      !read_string_at (object, "purpose", purpose_path, &purpose_text, error))
    return NULL;

  if (src == NULL || *src == '\0') {
    set_invalid (error, src_path, "an icon needs the URL of its image");
    return NULL;
  }
  resolved = resolve_url (self->manifest_url, src_path, src, error);
  if (resolved == NULL)
    return NULL;

  if (sizes != NULL) {
    normal_sizes = parse_sizes (sizes_path, sizes, error);
    if (normal_sizes == NULL)
      return NULL;
  }
  if (mime_type != NULL && !check_mime_type (type_path, mime_type, error))
    return NULL;
  if (purpose_text != NULL && !parse_purpose (purpose_path, purpose_text, &purpose, error))
    return NULL;

  return yun_manifest_icon_new (resolved, normal_sizes, mime_type, purpose);
}

static gboolean
process_icons (YunManifest  *self,
               JsonObject   *root,
               GError      **error)
{
  JsonNode *node = json_object_get_member (root, "icons");
  JsonArray *array;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return set_invalid (error, "icons", "expected an array, got %s", yun_json_type_name (node));

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++) {
    YunManifestIcon *icon = process_icon (self, json_array_get_element (array, i), i, error);

    if (icon == NULL)
      return FALSE;
    g_ptr_array_add (self->icons, icon);
  }

  return TRUE;
}

/* Categories are lower-cased, as the specification asks, so that the store
 * can compare them. */
static gboolean
process_categories (YunManifest  *self,
                    JsonObject   *root,
                    GError      **error)
{
  JsonNode *node = json_object_get_member (root, "categories");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (node != NULL && !JSON_NODE_HOLDS_ARRAY (node))
    return set_invalid (error, "categories", "expected an array of strings, got %s",
                        yun_json_type_name (node));

  array = node != NULL ? json_node_get_array (node) : NULL;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++) {
    JsonNode *element = json_array_get_element (array, i);
    g_autofree char *path = g_strdup_printf ("categories[%u]", i);
    g_autofree char *category = NULL;

    if (!node_is_string (element))
      return set_invalid (error, path, "expected a string, got %s",
                          yun_json_type_name (element));

    category = g_ascii_strdown (json_node_get_string (element), -1);
    g_strstrip (category);
    if (*category == '\0')
      return set_invalid (error, path, "expected a category, got an empty string");
    g_strv_builder_add (builder, category);
  }

  self->categories = g_strv_builder_end (builder);
  return TRUE;
}

/* "<major>.<minor>" with up to four digits each; FALSE for anything else. */
static gboolean
parse_version (const char *text,
               guint      *major,
               guint      *minor)
{
  gsize major_digits = strspn (text, "0123456789");
  gsize minor_digits;

  if (major_digits == 0 || major_digits > 4 || text[major_digits] != '.')
    return FALSE;
  minor_digits = strspn (text + major_digits + 1, "0123456789");
  if (minor_digits == 0 || minor_digits > 4 || text[major_digits + 1 + minor_digits] != '\0')
    return FALSE;

  *major = (guint) g_ascii_strtoull (text, NULL, 10);
  *minor = (guint) g_ascii_strtoull (text + major_digits + 1, NULL, 10);
  return TRUE;
}

static gboolean
process_min_runtime (YunManifest  *self,
                     JsonObject   *yun,
                     GError      **error)
{
  guint major, minor, our_major = 0, our_minor = 0;
  g_auto(GStrv) ours = g_strsplit (YUN_VERSION, ".", 3);

  if (!read_string_at (yun, "min_runtime", "yun.min_runtime", &self->min_runtime, error))
    return FALSE;
  if (self->min_runtime == NULL)
    return TRUE;

  if (!parse_version (self->min_runtime, &major, &minor))
    return set_invalid (error, "yun.min_runtime",
                        "expected a version like \"1.0\", got \"%s\"", self->min_runtime);

  if (ours[0] != NULL && ours[1] != NULL) {
    our_major = (guint) g_ascii_strtoull (ours[0], NULL, 10);
    our_minor = (guint) g_ascii_strtoull (ours[1], NULL, 10);
  }
  if (major > our_major || (major == our_major && minor > our_minor))
    return set_invalid (error, "yun.min_runtime",
                        "this app needs %s %u.%u or newer; this is %s %s",
                        YUN_RUNTIME_NAME, major, minor, YUN_RUNTIME_NAME, YUN_VERSION);

  return TRUE;
}

static gboolean
process_permission (YunManifest  *self,
                    const char   *name,
                    JsonNode     *node,
                    GError      **error)
{
  g_autofree char *path = g_strconcat ("yun.permissions.", name, NULL);
  g_autofree char *access_path = g_strconcat (path, ".access", NULL);
  g_autofree char *reason_path = g_strconcat (path, ".reason", NULL);
  g_autofree char *access = NULL;
  g_autofree char *reason = NULL;
  Permission *permission;
  JsonObject *object;
  glong length;

  if (!g_strv_contains (known_permissions, name)) {
    g_autofree char *known = g_strjoinv (", ", (char **) known_permissions);

    return set_invalid (error, path, "unknown permission; expected one of %s", known);
  }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return set_invalid (error, path, "expected an object with access and reason, got %s",
                        yun_json_type_name (node));
  object = json_node_get_object (node);

  if (!read_string_at (object, "access", access_path, &access, error) ||
      !read_string_at (object, "reason", reason_path, &reason, error))
    return FALSE;

  if (access == NULL)
    return set_invalid (error, access_path, "missing; expected \"read\" or \"readwrite\"");
  if (!g_str_equal (access, "read") && !g_str_equal (access, "readwrite"))
    return set_invalid (error, access_path, "expected \"read\" or \"readwrite\", got \"%s\"",
                        access);

  if (reason == NULL)
    return set_invalid (error, reason_path,
                        "missing; say why the app needs this, the user will read it");
  if (*reason == '\0')
    return set_invalid (error, reason_path,
                        "empty; say why the app needs this, the user will read it");
  length = g_utf8_strlen (reason, -1);
  if (length > YUN_MANIFEST_MAX_REASON_LENGTH)
    return set_invalid (error, reason_path, "%ld characters long; at most %d are allowed",
                        length, YUN_MANIFEST_MAX_REASON_LENGTH);

  permission = g_new0 (Permission, 1);
  permission->access = g_str_equal (access, "read") ? YUN_MANIFEST_ACCESS_READ
                                                     : YUN_MANIFEST_ACCESS_READWRITE;
  permission->reason = g_steal_pointer (&reason);
  g_hash_table_replace (self->permissions, g_strdup (name), permission);

  return TRUE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The yun member: permissions with their reasons, and the runtime the app
 * needs.  Unknown members inside it are ignored like anywhere else, but an
 * unknown permission name is an error, because an app that asks for
 * something this runtime cannot grant would not work. */
static gboolean
process_yun (YunManifest  *self,
             JsonObject   *root,
             GError      **error)
{
  JsonNode *node = json_object_get_member (root, "yun");
  JsonNode *permissions_node;
  JsonObject *yun;
  g_autoptr(GList) names = NULL;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return set_invalid (error, "yun", "expected an object, got %s", yun_json_type_name (node));
  yun = json_node_get_object (node);

  permissions_node = json_object_get_member (yun, "permissions");
  if (permissions_node != NULL) {
    JsonObject *permissions;

    if (!JSON_NODE_HOLDS_OBJECT (permissions_node))
      return set_invalid (error, "yun.permissions", "expected an object, got %s",
                          yun_json_type_name (permissions_node));

    permissions = json_node_get_object (permissions_node);
    names = json_object_get_members (permissions);
    for (GList *l = names; l != NULL; l = l->next) {
      if (!process_permission (self, l->data, json_object_get_member (permissions, l->data),
                               error))
        return FALSE;
    }
  }

  return process_min_runtime (self, yun, error);
}

static void
collect_permission_names (YunManifest *self)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->permissions);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (sorted, key);
  g_ptr_array_sort (sorted, compare_strings);
  g_ptr_array_add (sorted, NULL);
  self->permission_names = g_strdupv ((char **) sorted->pdata);
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
      (self->short_name == NULL || *self->short_name == '\0'))
    return set_invalid (error, "name", "an app needs a non-empty name or short_name");

  if (self->display == NULL)
    self->display = g_strdup ("standalone");
  else if (!g_strv_contains (display_modes, self->display))
    return set_invalid (error, "display",
                        "expected \"fullscreen\", \"standalone\", \"minimal-ui\" "
                        "or \"browser\", got \"%s\"", self->display);

  self->start_url = resolve_url (self->manifest_url, "start_url",
                                 start_url != NULL ? start_url : ".", error);
  if (self->start_url == NULL)
    return FALSE;
  if (!yun_scope_same_origin (self->start_url, self->manifest_url))
    return set_invalid (error, "start_url", "\"%s\" does not have the manifest's origin",
                        self->start_url);

  if (scope != NULL)
    self->scope = resolve_url (self->manifest_url, "scope", scope, error);
  else
    self->scope = default_scope (self->start_url);
  if (self->scope == NULL)
    return FALSE;

  if (!yun_scope_contains (self->scope, self->start_url))
    return set_invalid (error, "scope", "start_url \"%s\" is not within scope \"%s\"",
                        self->start_url, self->scope);

  if (!process_id (self, root, error) ||
      !check_color ("theme_color", self->theme_color, error) ||
      !check_color ("background_color", self->background_color, error) ||
      !process_icons (self, root, error) ||
      !process_categories (self, root, error) ||
      !process_yun (self, root, error))
    return FALSE;

  collect_permission_names (self);
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
  g_free (self->id);
  g_ptr_array_unref (self->icons);
  g_strfreev (self->categories);
  g_free (self->min_runtime);
  g_hash_table_unref (self->permissions);
  g_strfreev (self->permission_names);

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
  self->icons = g_ptr_array_new_with_free_func ((GDestroyNotify) yun_manifest_icon_unref);
  self->permissions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) permission_free);
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

/**
 * yun_manifest_get_id:
 * @self: a manifest
 *
 * The app's identity as the specification defines it: the id member
 * resolved against the origin of start_url, or start_url itself; never with
 * a fragment.
 *
 * Returns: (transfer none): the absolute id URL
 */
const char *
yun_manifest_get_id (YunManifest *self)
{
  g_return_val_if_fail (YUN_IS_MANIFEST (self), NULL);
  return self->id;
}

/**
 * yun_manifest_get_icons:
 * @self: a manifest
 *
 * Returns: (transfer none) (element-type YunManifestIcon): the icons in the
 *   manifest's order, their src resolved against the manifest URL; empty
 *   when there are none
 */
GPtrArray *
yun_manifest_get_icons (YunManifest *self)
{
  g_return_val_if_fail (YUN_IS_MANIFEST (self), NULL);
  return self->icons;
}

/**
 * yun_manifest_get_categories:
 * @self: a manifest
 *
 * Returns: (transfer none) (array zero-terminated=1): the categories in
 *   lower case, in the manifest's order; empty when there are none
 */
const char * const *
yun_manifest_get_categories (YunManifest *self)
{
  g_return_val_if_fail (YUN_IS_MANIFEST (self), NULL);
  return (const char * const *) self->categories;
}

/**
 * yun_manifest_get_min_runtime:
 * @self: a manifest
 *
 * Returns: (transfer none) (nullable): the "major.minor" runtime version the
 *   app needs, as written in yun.min_runtime
 */
const char *
yun_manifest_get_min_runtime (YunManifest *self)
{
  g_return_val_if_fail (YUN_IS_MANIFEST (self), NULL);
  return self->min_runtime;
}

/**
 * yun_manifest_get_permission_names:
 * @self: a manifest
 *
 * Returns: (transfer none) (array zero-terminated=1): the names of the
 *   permissions yun.permissions declares, sorted; empty when none
 */
const char * const *
yun_manifest_get_permission_names (YunManifest *self)
{
  g_return_val_if_fail (YUN_IS_MANIFEST (self), NULL);
  return (const char * const *) self->permission_names;
}

/**
 * yun_manifest_get_permission:
 * @self: a manifest
 * @name: a permission name, such as "contacts"
 * @access: (out) (optional): how much access the manifest asks for
 * @reason: (out) (optional) (transfer none): why, in the developer's words
 *
 * Looks up a permission the manifest declares.  A permission that is not
 * declared is never prompted for: the bridge refuses it outright.
 *
 * Returns: %TRUE when the manifest declares @name
 */
gboolean
yun_manifest_get_permission (YunManifest        *self,
                             const char         *name,
                             YunManifestAccess  *access,
                             const char        **reason)
{
  Permission *permission;

  g_return_val_if_fail (YUN_IS_MANIFEST (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  permission = g_hash_table_lookup (self->permissions, name);
  if (permission == NULL)
    return FALSE;

  if (access != NULL)
    *access = permission->access;
  if (reason != NULL)
    *reason = permission->reason;
  return TRUE;
}

/**
 * yun_manifest_is_known_permission:
 * @name: a permission name
 *
 * Whether @name is one of the permissions a manifest may declare: contacts,
 * camera, photos, location, notes, messages, calls, sync, share,
 * notifications or apps.
 *
 * Returns: %TRUE for a known permission
 */
gboolean
yun_manifest_is_known_permission (const char *name)
{
  g_return_val_if_fail (name != NULL, FALSE);
  return g_strv_contains (known_permissions, name);
}
