/* yun-icon-loader.c: an installed app's icon, at the size it is shown.
 *
 * A manifest lists icons with their sizes, types and purposes.  The home
 * screen wants one square of a given size in device pixels (its size in
 * CSS pixels times the display's scale), so the icons are ranked: those
 * that can be shown as they are before maskable ones, never monochrome
 * ones (the home screen shows colour); scalable ("any") ones and those at
 * least as big as wanted before smaller ones, and among those the closest
 * in size.  Candidates are then tried in that order until one decodes.
 *
 * Where the bytes come from depends on the icon's URL:
 *  - data: URLs carry them;
 *  - app://<id>/... (a packaged app) is read from the installed package
 *    folder with yun-web-files' rules, so a path cannot leave it;
 *  - http(s) URLs come from the offline copy the installer kept, and only
 *    when it has none from the network, with the shell's SoupSession.
 * Decoding is gdk-pixbuf's (PNG, JPEG, GIF, SVG through librsvg's loader
 * ...), straight at the wanted size so that an SVG is drawn sharp, in a
 * worker thread; images of more than YUN_ICON_LOADER_MAX_PIXELS are
 * refused before their pixels are decoded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-icon-loader.h"

#include "yun-json.h"
#include "yun-web-files.h"

#include <string.h>

/* The offline copy's index is small: one entry per file kept. */
#define MAX_INDEX_BYTES (256 * 1024)
/* Bytes handed to the decoder at a time, so that an image found too big
 * in its header is dropped before its pixels are read. */
#define DECODE_CHUNK 4096

G_DEFINE_QUARK (yun-icon-loader-error-quark, yun_icon_loader_error)

typedef struct {
  YunManifestIcon *icon;
  guint index;
  /* 0: fits (scalable, or at least as big as wanted); 1: size unknown;
   * 2: smaller than wanted. */
  int size_class;
  gboolean maskable_only;
  /* How far the size is from the one wanted, in pixels. */
  int distance;
} Candidate;

static gboolean
can_decode (const char *mime_type)
{
  static GHashTable *known = NULL;
  g_autofree char *lower = NULL;

  /* gdk-pixbuf's loaders do not change while the shell runs. */
  if (g_once_init_enter (&known)) {
    GHashTable *types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    GSList *formats = gdk_pixbuf_get_formats ();

    for (GSList *l = formats; l != NULL; l = l->next) {
      g_auto(GStrv) mime_types = gdk_pixbuf_format_get_mime_types (l->data);

      for (guint i = 0; mime_types != NULL && mime_types[i] != NULL; i++)
        g_hash_table_add (types, g_ascii_strdown (mime_types[i], -1));
    }
    g_slist_free (formats);
    g_once_init_leave (&known, types);
  }

  /* An icon without a type may still be one; trying tells. */
  if (mime_type == NULL)
    return TRUE;
  lower = g_ascii_strdown (mime_type, -1);
  return g_hash_table_contains (known, lower);
}

/* Fills in how well @icon's sizes suit @pixel_size. */
static void
rate_size (Candidate *candidate,
           int        pixel_size)
{
  const char *sizes = yun_manifest_icon_get_sizes (candidate->icon);
  g_auto(GStrv) entries = NULL;
  int best_fit = G_MAXINT, best_small = 0;

  candidate->size_class = 1;
  candidate->distance = 0;
  if (sizes == NULL)
    return;

  entries = g_strsplit (sizes, " ", -1);
  for (guint i = 0; entries[i] != NULL; i++) {
    guint64 width, height;
    char *end;
    int side;

    if (g_str_equal (entries[i], "any")) {
      best_fit = pixel_size;
      continue;
    }
    width = g_ascii_strtoull (entries[i], &end, 10);
    if (end == entries[i] || *end != 'x')
      continue;
    height = g_ascii_strtoull (end + 1, &end, 10);
    if (*end != '\0' || width == 0 || height == 0)
      continue;

    side = (int) MIN (MIN (width, height), (guint64) G_MAXINT / 2);
    if (side >= pixel_size)
      best_fit = MIN (best_fit, side);
    else
      best_small = MAX (best_small, side);
  }

  if (best_fit != G_MAXINT) {
    candidate->size_class = 0;
    candidate->distance = best_fit - pixel_size;
  } else if (best_small > 0) {
    candidate->size_class = 2;
    candidate->distance = pixel_size - best_small;
  }
}

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *x = a, *y = b;

  if (x->size_class != y->size_class)
    return x->size_class - y->size_class;
  if (x->maskable_only != y->maskable_only)
    return x->maskable_only - y->maskable_only;
  if (x->distance != y->distance)
    return x->distance < y->distance ? -1 : 1;
  return x->index < y->index ? -1 : 1;
}

/**
 * yun_icon_loader_rank:
 * @icons: (element-type YunManifestIcon): a manifest's icons
 * @pixel_size: the side of the square the icon fills, in device pixels
 *
 * Orders the icons the shell can show from the best for @pixel_size to the
 * worst, leaving out those it cannot show.
 *
 * Returns: (transfer container) (element-type YunManifestIcon): the
 *   candidates, best first; empty when there is none
 */
GPtrArray *
yun_icon_loader_rank (GPtrArray *icons,
                      int        pixel_size)
{
  g_autoptr(GArray) candidates = g_array_new (FALSE, TRUE, sizeof (Candidate));
  GPtrArray *ranked;

  g_return_val_if_fail (icons != NULL, NULL);
  g_return_val_if_fail (pixel_size > 0, NULL);

  for (guint i = 0; i < icons->len; i++) {
    YunManifestIcon *icon = g_ptr_array_index (icons, i);
    YunManifestIconPurpose purpose = yun_manifest_icon_get_purpose (icon);
    Candidate candidate = { .icon = icon, .index = i };

    if ((purpose & (YUN_MANIFEST_ICON_PURPOSE_ANY | YUN_MANIFEST_ICON_PURPOSE_MASKABLE)) == 0)
      continue;
    if (!can_decode (yun_manifest_icon_get_mime_type (icon)))
      continue;
    candidate.maskable_only = (purpose & YUN_MANIFEST_ICON_PURPOSE_ANY) == 0;
    rate_size (&candidate, pixel_size);
    g_array_append_val (candidates, candidate);
  }

  g_array_sort (candidates, compare_candidates);
  ranked = g_ptr_array_new_full (candidates->len, (GDestroyNotify) yun_manifest_icon_unref);
  for (guint i = 0; i < candidates->len; i++)
    g_ptr_array_add (ranked, yun_manifest_icon_ref (g_array_index (candidates, Candidate, i).icon));
  return ranked;
}

/* One load: the candidates left to try and why the last one failed. */
typedef struct {
  SoupSession *session;
  char *app_id;
  char *app_dir;
  GPtrArray *candidates;
  guint next;
  int pixel_size;
  GError *last_error;
} Load;

static void
load_free (Load *load)
{
  g_clear_object (&load->session);
  g_free (load->app_id);
  g_free (load->app_dir);
  g_ptr_array_unref (load->candidates);
  g_clear_error (&load->last_error);
  g_free (load);
}

/* What a worker thread hands back: the image and the icon it came from. */
typedef struct {
  GdkPixbuf *pixbuf;
  YunManifestIcon *icon;
} Loaded;

static void
loaded_free (Loaded *loaded)
{
  g_clear_object (&loaded->pixbuf);
  g_clear_pointer (&loaded->icon, yun_manifest_icon_unref);
  g_free (loaded);
}

/* One candidate's work in a worker thread: its bytes (when they are not
 * read already) and decoding them. */
typedef struct {
  SoupSession *session;
  char *app_dir;
  char *src;
  GBytes *bytes;
  YunManifestIcon *icon;
  int pixel_size;
} Decode;

static void
decode_free (Decode *decode)
{
  g_clear_object (&decode->session);
  g_free (decode->app_dir);
  g_free (decode->src);
  g_clear_pointer (&decode->bytes, g_bytes_unref);
  g_clear_pointer (&decode->icon, yun_manifest_icon_unref);
  g_free (decode);
}

typedef struct {
  int pixel_size;
  gboolean too_large;
} Sizing;

static void
on_size_prepared (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  Sizing *sizing = user_data;
  double scale;

  if (width <= 0 || height <= 0 || (gint64) width * height > YUN_ICON_LOADER_MAX_PIXELS) {
    sizing->too_large = TRUE;
    gdk_pixbuf_loader_set_size (loader, 1, 1);
    return;
  }

  /* Fit in the square, keeping the shape. */
  scale = MIN ((double) sizing->pixel_size / width, (double) sizing->pixel_size / height);
  gdk_pixbuf_loader_set_size (loader, MAX (1, (int) (width * scale + 0.5)),
                              MAX (1, (int) (height * scale + 0.5)));
}

static GdkPixbuf *
decode_image (GBytes      *bytes,
              int          pixel_size,
              GError     **error)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  Sizing sizing = { .pixel_size = pixel_size };
  const guint8 *data;
  gsize length;
  GdkPixbuf *pixbuf;

  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), &sizing);
  data = g_bytes_get_data (bytes, &length);
  for (gsize offset = 0; offset < length; offset += DECODE_CHUNK) {
    if (!gdk_pixbuf_loader_write (loader, data + offset, MIN (DECODE_CHUNK, length - offset),
                                  error)) {
      gdk_pixbuf_loader_close (loader, NULL);
      return NULL;
    }
    if (sizing.too_large)
      break;
  }

  if (sizing.too_large) {
    gdk_pixbuf_loader_close (loader, NULL);
    g_set_error (error, YUN_ICON_LOADER_ERROR, YUN_ICON_LOADER_ERROR_FAILED,
                 "the image has more than %d pixels", YUN_ICON_LOADER_MAX_PIXELS);
    return NULL;
  }
  if (!gdk_pixbuf_loader_close (loader, error))
    return NULL;

  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL) {
    g_set_error (error, YUN_ICON_LOADER_ERROR, YUN_ICON_LOADER_ERROR_FAILED,
                 "the file holds no image");
    return NULL;
  }
  return g_object_ref (pixbuf);
}

/* A file name the installer wrote: the hex SHA-256 of the URL. */
static gboolean
is_offline_name (const char *name)
{
  if (strlen (name) != 64)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++) {
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  }
  return TRUE;
}

static GBytes *
read_small_file (const char  *path,
                 gsize        max_size,
                 GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = NULL;
  char *contents;
  gsize length;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, error);
  if (info == NULL)
    return NULL;
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR ||
      g_file_info_get_size (info) > (goffset) max_size) {
    g_set_error (error, YUN_ICON_LOADER_ERROR, YUN_ICON_LOADER_ERROR_FAILED,
                 "%s is not a file of at most %" G_GSIZE_FORMAT " bytes", path, max_size);
    return NULL;
  }
  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  return g_bytes_new_take (contents, length);
}

/* The installer's offline copy of @src, if it kept one; %NULL without an
 * error when it did not. */
static GBytes *
read_offline_copy (const char  *app_dir,
                   const char  *src,
                   GError     **error)
{
  g_autofree char *folder = g_build_filename (app_dir, "offline", NULL);
  g_autofree char *index_path = g_build_filename (folder, "index.json", NULL);
  g_autofree char *path = NULL;
  g_autoptr(GBytes) index = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *entry;
  JsonObject *object;
  const char *name;
  const char *data;
  gsize length;

  index = read_small_file (index_path, MAX_INDEX_BYTES, &local_error);
  if (index == NULL)
    return NULL;

  data = g_bytes_get_data (index, &length);
  root = yun_json_parse_bounded (data, length, MAX_INDEX_BYTES, 4, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  entry = json_object_get_member (json_node_get_object (root), src);
  if (entry == NULL || !JSON_NODE_HOLDS_OBJECT (entry))
    return NULL;
  object = json_node_get_object (entry);
  name = json_object_get_string_member_with_default (object, "file", NULL);
  if (name == NULL || !is_offline_name (name))
    return NULL;

  path = g_build_filename (folder, name, NULL);
  return read_small_file (path, YUN_ICON_LOADER_MAX_BYTES, error);
}

static GBytes *
download (SoupSession   *session,
          const char    *src,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, src);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  guint8 chunk[16 * 1024];

  if (message == NULL) {
    g_set_error (error, YUN_ICON_LOADER_ERROR, YUN_ICON_LOADER_ERROR_FAILED,
                 "%s is not a URL", src);
    return NULL;
  }

  /* libsoup 3.2 lets a worker thread use the session synchronously. */
  stream = soup_session_send (session, message, cancellable, error);
  if (stream == NULL)
    return NULL;
  if (soup_message_get_status (message) != SOUP_STATUS_OK) {
    g_set_error (error, YUN_ICON_LOADER_ERROR, YUN_ICON_LOADER_ERROR_FAILED,
                 "%s: HTTP %u", src, soup_message_get_status (message));
    return NULL;
  }

  for (;;) {
    gssize n = g_input_stream_read (stream, chunk, sizeof chunk, cancellable, error);

    if (n < 0)
      return NULL;
    if (n == 0)
      break;
    if (buffer->len + (gsize) n > YUN_ICON_LOADER_MAX_BYTES) {
      g_set_error (error, YUN_ICON_LOADER_ERROR, YUN_ICON_LOADER_ERROR_FAILED,
                   "%s is larger than %d bytes", src, YUN_ICON_LOADER_MAX_BYTES);
      return NULL;
    }
    g_byte_array_append (buffer, chunk, n);
  }
  return g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
}

static void
decode_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Decode *decode = task_data;
  g_autoptr(GBytes) bytes = decode->bytes != NULL ? g_bytes_ref (decode->bytes) : NULL;
  GError *error = NULL;
  Loaded *loaded;
  GdkPixbuf *pixbuf;

  if (bytes == NULL && g_str_has_prefix (decode->src, "data:")) {
    bytes = soup_uri_decode_data_uri (decode->src, NULL);
    if (bytes == NULL) {
      g_task_return_new_error (task, YUN_ICON_LOADER_ERROR, YUN_ICON_LOADER_ERROR_FAILED,
                               "the data: URL does not decode");
      return;
    }
  }
  if (bytes == NULL && decode->app_dir != NULL) {
    bytes = read_offline_copy (decode->app_dir, decode->src, &error);
    if (error != NULL) {
      g_task_return_error (task, error);
      return;
    }
  }
  if (bytes == NULL) {
    if (decode->session == NULL) {
      g_task_return_new_error (task, YUN_ICON_LOADER_ERROR, YUN_ICON_LOADER_ERROR_FAILED,
                               "%s is not kept offline and there is no network session",
                               decode->src);
      return;
    }
    bytes = download (decode->session, decode->src, cancellable, &error);
    if (bytes == NULL) {
      g_task_return_error (task, error);
      return;
    }
  }
  if (g_bytes_get_size (bytes) > YUN_ICON_LOADER_MAX_BYTES) {
    g_task_return_new_error (task, YUN_ICON_LOADER_ERROR, YUN_ICON_LOADER_ERROR_FAILED,
                             "the icon is larger than %d bytes", YUN_ICON_LOADER_MAX_BYTES);
    return;
  }

  pixbuf = decode_image (bytes, decode->pixel_size, &error);
  if (pixbuf == NULL) {
    g_prefix_error (&error, "%s: ", decode->src);
    g_task_return_error (task, error);
    return;
  }

  loaded = g_new0 (Loaded, 1);
  loaded->pixbuf = pixbuf;
  loaded->icon = yun_manifest_icon_ref (decode->icon);
  g_task_return_pointer (task, loaded, (GDestroyNotify) loaded_free);
}

static void try_next (GTask *task);

static void
on_decoded (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Load *load = g_task_get_task_data (task);
  GError *error = NULL;
  Loaded *loaded;

  loaded = g_task_propagate_pointer (G_TASK (result), &error);
  if (loaded != NULL) {
    g_task_return_pointer (task, loaded, (GDestroyNotify) loaded_free);
    return;
  }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    g_task_return_error (task, error);
    return;
  }
  g_clear_error (&load->last_error);
  load->last_error = error;
  try_next (g_steal_pointer (&task));
}

static void
start_decode (GTask           *task,
              YunManifestIcon *icon,
              GBytes          *bytes)
{
  Load *load = g_task_get_task_data (task);
  g_autoptr(GTask) worker = g_task_new (NULL, g_task_get_cancellable (task), on_decoded, task);
  Decode *decode = g_new0 (Decode, 1);

  decode->session = load->session != NULL ? g_object_ref (load->session) : NULL;
  decode->app_dir = g_strdup (load->app_dir);
  decode->src = g_strdup (yun_manifest_icon_get_src (icon));
  decode->bytes = bytes != NULL ? g_bytes_ref (bytes) : NULL;
  decode->icon = yun_manifest_icon_ref (icon);
  decode->pixel_size = load->pixel_size;
  g_task_set_source_tag (worker, start_decode);
  g_task_set_task_data (worker, decode, (GDestroyNotify) decode_free);
  g_task_run_in_thread (worker, decode_thread);
}

typedef struct {
  GTask *task;
  YunManifestIcon *icon;
} PackageRead;

static void
on_package_file_read (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autofree PackageRead *read = user_data;
  g_autoptr(GTask) task = read->task;
  g_autoptr(YunManifestIcon) icon = read->icon;
  Load *load = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  if (!yun_web_files_open_finish (result, NULL, &bytes, NULL, &error)) {
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
      g_task_return_error (task, error);
      return;
    }
    g_prefix_error (&error, "%s: ", yun_manifest_icon_get_src (icon));
    g_clear_error (&load->last_error);
    load->last_error = error;
    try_next (g_steal_pointer (&task));
    return;
  }
  start_decode (g_steal_pointer (&task), icon, bytes);
}

/* A packaged app's icon: a file of its package, found by yun-web-files'
 * rules so that no path leads out of the folder. */
static gboolean
read_package_file (GTask           *task,
                   YunManifestIcon *icon,
                   GError         **error)
{
  Load *load = g_task_get_task_data (task);
  const char *src = yun_manifest_icon_get_src (icon);
  g_autoptr(GUri) uri = g_uri_parse (src, G_URI_FLAGS_ENCODED, error);
  g_autofree char *root = NULL;
  g_auto(GStrv) components = NULL;
  const char *path;
  PackageRead *read;

  if (uri == NULL)
    return FALSE;
  if (load->app_dir == NULL || g_strcmp0 (g_uri_get_host (uri), load->app_id) != 0) {
    g_set_error (error, YUN_ICON_LOADER_ERROR, YUN_ICON_LOADER_ERROR_FAILED,
                 "%s is not a file of this app's package", src);
    return FALSE;
  }
  path = g_uri_get_path (uri);
  if (*path == '/')
    path++;
  if (!yun_web_files_split_path (path, &components, error))
    return FALSE;

  root = g_build_filename (load->app_dir, "package", NULL);
  read = g_new0 (PackageRead, 1);
  read->task = task;
  read->icon = yun_manifest_icon_ref (icon);
  yun_web_files_open_async (root, (const char * const *) components, YUN_WEB_FILES_MODE_CONTENTS,
                            0, YUN_ICON_LOADER_MAX_BYTES, g_task_get_cancellable (task),
                            on_package_file_read, read);
  return TRUE;
}

/* Tries the next candidate; takes @task. */
static void
try_next (GTask *task)
{
  Load *load = g_task_get_task_data (task);

  while (load->next < load->candidates->len) {
    YunManifestIcon *icon = g_ptr_array_index (load->candidates, load->next++);
    const char *src = yun_manifest_icon_get_src (icon);
    g_autofree char *scheme = g_uri_parse_scheme (src);
    GError *error = NULL;

    if (g_strcmp0 (scheme, "app") == 0) {
      if (read_package_file (task, icon, &error))
        return;
      g_clear_error (&load->last_error);
      load->last_error = error;
      continue;
    }
    if (g_strcmp0 (scheme, "data") == 0 || g_strcmp0 (scheme, "http") == 0 ||
        g_strcmp0 (scheme, "https") == 0) {
      start_decode (task, icon, NULL);
      return;
    }
    g_clear_error (&load->last_error);
    g_set_error (&load->last_error, YUN_ICON_LOADER_ERROR, YUN_ICON_LOADER_ERROR_FAILED,
                 "%s: the shell loads no icons from %s: URLs", src, scheme);
  }

  if (load->candidates->len == 0)
    g_task_return_new_error (task, YUN_ICON_LOADER_ERROR, YUN_ICON_LOADER_ERROR_NO_ICON,
                             "the manifest has no icon the shell can show");
  else
    g_task_return_new_error (task, YUN_ICON_LOADER_ERROR, YUN_ICON_LOADER_ERROR_FAILED,
                             "no icon loaded: %s", load->last_error->message);
  g_object_unref (task);
}

/**
 * yun_icon_loader_load_async:
 * @session: (nullable): the session to download with, or %NULL to use
 *   only what is on disk
 * @app_id: the app the icons are of
 * @app_dir: (nullable): its folder, P/apps/@app_id, with `package/` or
 *   `offline/`; %NULL for an app that is not installed
 * @icons: (element-type YunManifestIcon): its manifest's icons
 * @pixel_size: the side of the square the icon fills, in device pixels
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the icon
 * @user_data: data for @callback
 *
 * Loads the best of the icons for @pixel_size, falling back to the next
 * best when one fails, without blocking the main thread.
 */
void
yun_icon_loader_load_async (SoupSession         *session,
                            const char          *app_id,
                            const char          *app_dir,
                            GPtrArray           *icons,
                            int                  pixel_size,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  Load *load;

  g_return_if_fail (session == NULL || SOUP_IS_SESSION (session));
  g_return_if_fail (app_id != NULL);
  g_return_if_fail (icons != NULL);
  g_return_if_fail (pixel_size > 0);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, yun_icon_loader_load_async);
  load = g_new0 (Load, 1);
  load->session = session != NULL ? g_object_ref (session) : NULL;
  load->app_id = g_strdup (app_id);
  load->app_dir = g_strdup (app_dir);
  load->candidates = yun_icon_loader_rank (icons, pixel_size);
  load->pixel_size = pixel_size;
  g_task_set_task_data (task, load, (GDestroyNotify) load_free);
  try_next (task);
}

/**
 * yun_icon_loader_load_finish:
 * @result: the result given to the callback
 * @icon: (out) (optional) (transfer full): the icon that loaded
 * @error: return location for a #YunIconLoaderError or a
 *   %G_IO_ERROR_CANCELLED
 *
 * Returns: (transfer full): the icon's image, fitted in the square asked
 *   for, or %NULL with @error set
 */
GdkTexture *
yun_icon_loader_load_finish (GAsyncResult     *result,
                             YunManifestIcon **icon,
                             GError          **error)
{
  Loaded *loaded;
  GdkTexture *texture;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  loaded = g_task_propagate_pointer (G_TASK (result), error);
  if (loaded == NULL)
    return NULL;

  texture = gdk_texture_new_for_pixbuf (loaded->pixbuf);
  if (icon != NULL)
    *icon = yun_manifest_icon_ref (loaded->icon);
  loaded_free (loaded);
  return texture;
}
