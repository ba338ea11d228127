/* yun-web-files.c: serving a web app's files from its folder, safely.
 *
 * The headless half of every server of app files: yun-cloud's `/apps/`
 * route and the shell's `app://` scheme. A request's path comes from a web
 * page, so nothing in it is trusted:
 *  - yun_web_files_split_path() decodes each segment itself, after the path
 *    was split on real slashes, so that an encoded slash, backslash or dot
 *    can never reach the file system as one; it refuses rather than repairs
 *    anything odd, since no app needs it;
 *  - yun_web_files_open_async() walks the decoded components one by one
 *    with lstat (), refusing symbolic links at every step, and only hands
 *    out regular files (or a folder, when asked) below the root.
 * HTTP itself (status codes, headers, routing) stays with the servers; the
 * error codes here tell them which status to answer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-web-files.h"

#include <string.h>

#define DEFAULT_CONTENT_TYPE "application/octet-stream"

G_DEFINE_QUARK (yun-web-files-error-quark, yun_web_files_error)

static const struct {
  const char *extension;
  const char *content_type;
} content_types[] = {
  { "html", "text/html; charset=utf-8" },
  { "js", "text/javascript; charset=utf-8" },
  { "mjs", "text/javascript; charset=utf-8" },
  { "css", "text/css; charset=utf-8" },
  { "json", "application/json" },
  { "webmanifest", "application/manifest+json" },
  { "svg", "image/svg+xml" },
  { "png", "image/png" },
  { "jpg", "image/jpeg" },
  { "jpeg", "image/jpeg" },
  { "webp", "image/webp" },
  { "ico", "image/vnd.microsoft.icon" },
  { "txt", "text/plain; charset=utf-8" },
  { "wasm", "application/wasm" },
  { "woff2", "font/woff2" },
};

typedef struct {
  char            *root;
  GStrv            components;
  YunWebFilesMode  mode;
  goffset          offset;
  goffset          max_size;
} OpenJob;

typedef struct {
  goffset       size;
  GBytes       *contents;
  GInputStream *stream;
} OpenResult;

static void
open_job_free (OpenJob *job)
{
  g_free (job->root);
  g_strfreev (job->components);
  g_free (job);
}

static void
open_result_free (OpenResult *opened)
{
  g_clear_pointer (&opened->contents, g_bytes_unref);
  g_clear_object (&opened->stream);
  g_free (opened);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpenResult, open_result_free)

/* Decodes one percent-encoded path segment into @out_segment, or fails
 * with BAD_ENCODING for an encoding that cannot name a file (a broken
 * escape, NUL, invalid UTF-8) or FORBIDDEN_NAME for a segment that is
 * never served: empty, hidden (which covers `.` and `..`), holding a slash
 * or backslash once decoded, or too long for a file name.
 *
 * An HTTP server's URI parser (GLib's, under libsoup) may already have
 * decoded %2e and removed dot segments, as RFC 3986 normalisation asks;
 * the dot check here is then the second line of defence, not the first. */
static gboolean
decode_segment (const char  *raw,
                char       **out_segment,
                GError     **error)
{
  g_autoptr(GString) decoded = g_string_new (NULL);

  g_assert (raw != NULL);
  g_assert (out_segment != NULL);

  for (const char *p = raw; *p != '\0'; p++) {
    int value;

    if (*p != '%') {
      g_string_append_c (decoded, *p);
      continue;
    }

    /* If p[1] is the terminating NUL the test fails there, so p[2] is
     * never read past the end. */
    if (!g_ascii_isxdigit (p[1]) || !g_ascii_isxdigit (p[2])) {
      g_set_error_literal (error, YUN_WEB_FILES_ERROR, YUN_WEB_FILES_ERROR_BAD_ENCODING,
                           "A path segment holds a broken percent escape");
      return FALSE;
    }

    value = g_ascii_xdigit_value (p[1]) * 16 + g_ascii_xdigit_value (p[2]);
    if (value == 0) {
      g_set_error_literal (error, YUN_WEB_FILES_ERROR, YUN_WEB_FILES_ERROR_BAD_ENCODING,
                           "A path segment holds an encoded NUL");
      return FALSE;
    }

    g_string_append_c (decoded, (char) value);
    p += 2;
  }

  /* g_utf8_validate () also refuses overlong forms such as %c0%af, an
   * old way of smuggling a slash past a check like the one below. */
  if (!g_utf8_validate (decoded->str, decoded->len, NULL)) {
    g_set_error_literal (error, YUN_WEB_FILES_ERROR, YUN_WEB_FILES_ERROR_BAD_ENCODING,
                         "A path segment is not UTF-8 once decoded");
    return FALSE;
  }

  if (decoded->len == 0 ||
      decoded->str[0] == '.' ||
      strchr (decoded->str, '/') != NULL ||
      strchr (decoded->str, '\\') != NULL) {
    g_set_error (error, YUN_WEB_FILES_ERROR, YUN_WEB_FILES_ERROR_FORBIDDEN_NAME,
                 "“%s” is empty, hidden, or holds a slash or a backslash", decoded->str);
    return FALSE;
  }

  if (decoded->len > YUN_WEB_FILES_MAX_SEGMENT_LENGTH) {
    g_set_error (error, YUN_WEB_FILES_ERROR, YUN_WEB_FILES_ERROR_FORBIDDEN_NAME,
                 "A path segment is longer than %d bytes", YUN_WEB_FILES_MAX_SEGMENT_LENGTH);
    return FALSE;
  }

  *out_segment = g_string_free (g_steal_pointer (&decoded), FALSE);
  return TRUE;
}

/**
 * yun_web_files_split_path:
 * @raw_path: the path of a request below the served folder, still
 *   percent-encoded, without a leading slash, query or fragment: for
 *   `app://hello/img/a%20b.png`, `img/a%20b.png`
 * @components: (out) (transfer full): return location for the decoded
 *   components, never empty
 * @error: return location for a #GError
 *
 * Splits @raw_path on its slashes and decodes each segment. A path that
 * names a folder, an empty one or one ending in a slash, names the
 * folder's `index.html`, which becomes the last component.
 *
 * The segments are checked one after the other, and the first one that is
 * wrong decides the error.
 *
 * Returns: %TRUE with @components set; %FALSE with @error set to
 *   %YUN_WEB_FILES_ERROR_BAD_ENCODING or %YUN_WEB_FILES_ERROR_FORBIDDEN_NAME
 */
gboolean
yun_web_files_split_path (const char  *raw_path,
                          GStrv       *components,
                          GError     **error)
{
  g_auto(GStrv) raw_segments = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  guint n_segments;

  g_return_val_if_fail (raw_path != NULL, FALSE);
  g_return_val_if_fail (components != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  builder = g_strv_builder_new ();

  if (raw_path[0] == '\0') {
    g_strv_builder_add (builder, "index.html");
    *components = g_strv_builder_end (builder);
    return TRUE;
  }

  /* One token more than allowed holds the rest of a path that is too deep,
   * so a path of a million slashes costs no more than one of 33. */
  raw_segments = g_strsplit (raw_path, "/", YUN_WEB_FILES_MAX_SEGMENTS + 1);
  n_segments = g_strv_length (raw_segments);
  if (n_segments > YUN_WEB_FILES_MAX_SEGMENTS) {
    g_set_error (error, YUN_WEB_FILES_ERROR, YUN_WEB_FILES_ERROR_FORBIDDEN_NAME,
                 "The path has more than %d segments", YUN_WEB_FILES_MAX_SEGMENTS);
    return FALSE;
  }

  for (guint i = 0; i < n_segments; i++) {
    g_autofree char *segment = NULL;

    if (raw_segments[i][0] == '\0') {
      /* The path is not empty, so an empty last segment follows a slash. */
      if (i + 1 == n_segments) {
        g_strv_builder_add (builder, "index.html");
        break;
      }

      g_set_error_literal (error, YUN_WEB_FILES_ERROR, YUN_WEB_FILES_ERROR_FORBIDDEN_NAME,
                           "The path holds an empty segment");
      return FALSE;
    }

    if (!decode_segment (raw_segments[i], &segment, error))
      return FALSE;

    g_strv_builder_add (builder, segment);
  }

  *components = g_strv_builder_end (builder);
  return TRUE;
}

/**
 * yun_web_files_content_type:
 * @name: a file name
 *
 * Gets the Content-Type to serve a file under, from its extension, compared
 * without case. The table covers what web apps are made of; anything else
 * is `application/octet-stream`, which a browser will not run or render.
 *
 * Returns: (transfer none): a Content-Type, with a charset for text
 */
const char *
yun_web_files_content_type (const char *name)
{
  const char *dot;

  g_return_val_if_fail (name != NULL, DEFAULT_CONTENT_TYPE);

  dot = strrchr (name, '.');
  if (dot == NULL)
    return DEFAULT_CONTENT_TYPE;

  for (size_t i = 0; i < G_N_ELEMENTS (content_types); i++) {
    if (g_ascii_strcasecmp (dot + 1, content_types[i].extension) == 0)
      return content_types[i].content_type;
  }

  return DEFAULT_CONTENT_TYPE;
}

static const char *
skip_whitespace (const char *p)
{
  while (*p == ' ' || *p == '\t')
    p++;

  return p;
}

/* Reads 1*DIGIT at *@p into @value, saturating at G_MAXINT64: a position
 * past the end of any file means the same however large it is. */
static gboolean
parse_position (const char **p,
                goffset     *value)
{
  const char *s = *p;
  goffset n = 0;

  if (!g_ascii_isdigit (*s))
    return FALSE;

  for (; g_ascii_isdigit (*s); s++) {
    int digit = *s - '0';

    if (n > (G_MAXINT64 - digit) / 10)
      n = G_MAXINT64;
    else
      n = n * 10 + digit;
  }

  *p = s;
  *value = n;
  return TRUE;
}

static gboolean
range_ignored (GError     **error,
               const char  *reason)
{
  g_set_error (error, YUN_WEB_FILES_ERROR, YUN_WEB_FILES_ERROR_RANGE_IGNORED,
               "Range header ignored: %s", reason);
  return FALSE;
}

static gboolean
range_not_satisfiable (GError  **error,
                       goffset   size)
{
  g_set_error (error, YUN_WEB_FILES_ERROR, YUN_WEB_FILES_ERROR_RANGE_NOT_SATISFIABLE,
               "The range selects no byte of the %" G_GOFFSET_FORMAT " bytes", size);
  return FALSE;
}

/**
 * yun_web_files_parse_range:
 * @header: the value of a request's Range header
 * @size: the size of the file, in bytes
 * @start: (out): return location for the first byte to send
 * @end: (out): return location for the last byte to send, inclusive, as in
 *   Content-Range
 * @error: return location for a #GError
 *
 * Reads a Range header of a single byte range, as RFC 9110 (section 14)
 * defines them: `bytes=a-b`, `bytes=a-` (from a to the end) or `bytes=-n`
 * (the last n bytes). A last position past the end, or a suffix longer than
 * the file, is cut to the file.
 *
 * Which error means what:
 *  - %YUN_WEB_FILES_ERROR_RANGE_IGNORED: send the whole file with 200, as
 *    if there were no Range header. That is for another unit than bytes
 *    (which RFC 9110 says to ignore), several ranges (which this module
 *    does not serve, and RFC 9110 lets a server ignore), and anything
 *    malformed or invalid, such as `bytes=5-2` or `bytes=abc`. A suffix
 *    range on an empty file is satisfiable by the RFC's rules but selects
 *    nothing a Content-Range could name, so it is ignored too: the whole
 *    empty file is the answer.
 *  - %YUN_WEB_FILES_ERROR_RANGE_NOT_SATISFIABLE: send 416. The range is
 *    valid but starts at or past the end of the file, or is `bytes=-0`.
 *
 * Returns: %TRUE with @start and @end set, where
 *   0 <= @start <= @end < @size; %FALSE with @error set otherwise
 */
gboolean
yun_web_files_parse_range (const char  *header,
                           goffset      size,
                           goffset     *start,
                           goffset     *end,
                           GError     **error)
{
  const char *p;
  goffset first;
  goffset last = G_MAXINT64;

  g_return_val_if_fail (header != NULL, FALSE);
  g_return_val_if_fail (size >= 0, FALSE);
  g_return_val_if_fail (start != NULL, FALSE);
  g_return_val_if_fail (end != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Range units are compared without case; no space before the "=". */
  p = skip_whitespace (header);
  if (g_ascii_strncasecmp (p, "bytes=", strlen ("bytes=")) != 0)
    return range_ignored (error, "not a byte range");

  p = skip_whitespace (p + strlen ("bytes="));
  if (strchr (p, ',') != NULL)
    return range_ignored (error, "several ranges");

  if (*p == '-') {
    goffset suffix;

    p++;
    if (!parse_position (&p, &suffix) || *skip_whitespace (p) != '\0')
      return range_ignored (error, "malformed suffix range");

    if (suffix == 0)
      return range_not_satisfiable (error, size);

    if (size == 0)
      return range_ignored (error, "a suffix of an empty file");

    *start = size - MIN (suffix, size);
    *end = size - 1;
    return TRUE;
  }

  if (!parse_position (&p, &first) || *p != '-')
    return range_ignored (error, "malformed range");

  p++;
  if (g_ascii_isdigit (*p)) {
    parse_position (&p, &last);
    if (last < first)
      return range_ignored (error, "the range ends before it starts");
  }

  if (*skip_whitespace (p) != '\0')
    return range_ignored (error, "malformed range");

  if (first >= size)
    return range_not_satisfiable (error, size);

  *start = first;
  *end = MIN (last, size - 1);
  return TRUE;
}

/* Lookup failures that only mean "there is no such file to serve" become
 * NOT_FOUND; anything else (permissions, I/O, cancellation) stays what it
 * is. Takes @error. */
static void
return_lookup_error (GTask  *task,
                     GError *error)
{
  gboolean not_found = FALSE;

  if (error->domain == G_IO_ERROR) {
    switch (error->code) {
    case G_IO_ERROR_NOT_FOUND:
    case G_IO_ERROR_NOT_DIRECTORY:
    case G_IO_ERROR_IS_DIRECTORY:
    case G_IO_ERROR_NOT_REGULAR_FILE:
    case G_IO_ERROR_TOO_MANY_LINKS:
    case G_IO_ERROR_FILENAME_TOO_LONG:
    case G_IO_ERROR_INVALID_FILENAME:
      not_found = TRUE;
      break;
    default:
      break;
    }
  }

  if (not_found) {
    g_task_return_new_error (task, YUN_WEB_FILES_ERROR, YUN_WEB_FILES_ERROR_NOT_FOUND,
                             "%s", error->message);
    g_error_free (error);
  } else {
    g_task_return_error (task, error);
  }
}

/* Runs in a worker thread: walks @job's components from its root without
 * following any symbolic link, then stats, reads or opens the last one. */
static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OpenJob *job = task_data;
  g_autoptr(GFile) file = g_file_new_for_path (job->root);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(OpenResult) opened = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autofree char *buffer = NULL;
  gsize n_read = 0;
  guint n_components = g_strv_length (job->components);
  GError *error = NULL;

  g_assert (n_components > 0);

  for (guint i = 0; i < n_components; i++) {
    g_autoptr(GFile) child = g_file_get_child (file, job->components[i]);
    gboolean is_last = i + 1 == n_components;
    gboolean want_directory = !is_last || job->mode == YUN_WEB_FILES_MODE_DIRECTORY;
    GFileType type;

    /* Every component is checked, not only the last one: NOFOLLOW only
     * applies to the final name, so a symlinked folder in the middle of
     * the path would otherwise lead anywhere. */
    g_clear_object (&info);
    info = g_file_query_info (child,
                              G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                              G_FILE_ATTRIBUTE_STANDARD_SIZE,
                              G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                              cancellable, &error);
    if (info == NULL) {
      return_lookup_error (task, error);
      return;
    }

    type = g_file_info_get_file_type (info);
    if (type == G_FILE_TYPE_SYMBOLIC_LINK) {
      g_task_return_new_error (task, YUN_WEB_FILES_ERROR, YUN_WEB_FILES_ERROR_NOT_FOUND,
                               "“%s” is a symbolic link", job->components[i]);
      return;
    }

    if (want_directory && type != G_FILE_TYPE_DIRECTORY) {
      g_task_return_new_error (task, YUN_WEB_FILES_ERROR, YUN_WEB_FILES_ERROR_NOT_FOUND,
                               "“%s” is not a folder", job->components[i]);
      return;
    }

    if (!want_directory && type != G_FILE_TYPE_REGULAR) {
      g_task_return_new_error (task, YUN_WEB_FILES_ERROR, YUN_WEB_FILES_ERROR_NOT_FOUND,
                               "“%s” is not a regular file", job->components[i]);
      return;
    }

    g_set_object (&file, child);
  }

  opened = g_new0 (OpenResult, 1);

  if (job->mode == YUN_WEB_FILES_MODE_DIRECTORY) {
    g_task_return_pointer (task, g_steal_pointer (&opened),
                           (GDestroyNotify) open_result_free);
    return;
  }

  opened->size = g_file_info_get_size (info);
  if (opened->size > job->max_size) {
    g_task_return_new_error (task, YUN_WEB_FILES_ERROR, YUN_WEB_FILES_ERROR_TOO_LARGE,
                             "%" G_GOFFSET_FORMAT " bytes is more than the %"
                             G_GOFFSET_FORMAT " bytes served at most",
                             opened->size, job->max_size);
    return;
  }

  if (job->mode == YUN_WEB_FILES_MODE_INFO) {
    g_task_return_pointer (task, g_steal_pointer (&opened),
                           (GDestroyNotify) open_result_free);
    return;
  }

  stream = g_file_read (file, cancellable, &error);
  if (stream == NULL) {
    return_lookup_error (task, error);
    return;
  }

  if (job->mode == YUN_WEB_FILES_MODE_STREAM) {
    if (job->offset > 0 &&
        !g_seekable_seek (G_SEEKABLE (stream), job->offset, G_SEEK_SET, cancellable, &error)) {
      g_task_return_error (task, error);
      return;
    }

    opened->stream = G_INPUT_STREAM (g_steal_pointer (&stream));
    g_task_return_pointer (task, g_steal_pointer (&opened),
                           (GDestroyNotify) open_result_free);
    return;
  }

  /* The size was just checked, so this buffer is bounded; a file that
   * changes meanwhile is served as far as it was read. An empty file has
   * no buffer (g_malloc (0) is NULL), and nothing to read. */
  buffer = g_malloc (opened->size);
  if (opened->size > 0 &&
      !g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, opened->size,
                                &n_read, cancellable, &error)) {
    g_task_return_error (task, error);
    return;
  }

  opened->size = n_read;
  opened->contents = g_bytes_new_take (g_steal_pointer (&buffer), n_read);
  g_task_return_pointer (task, g_steal_pointer (&opened),
                         (GDestroyNotify) open_result_free);
}

/**
 * yun_web_files_open_async:
 * @root: (type filename): the folder the components are looked up in; it
 *   is trusted, and may itself be a symbolic link
 * @components: (array zero-terminated=1): the decoded path below @root, at
 *   least one component, as from [func@web_files_split_path]
 * @mode: what to do with the file once found
 * @offset: with %YUN_WEB_FILES_MODE_STREAM, where the stream starts; 0
 *   otherwise
 * @max_size: the largest file served, in bytes; with
 *   %YUN_WEB_FILES_MODE_CONTENTS it bounds the memory one read takes
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the file was looked up
 * @user_data: data for @callback
 *
 * Looks @components up under @root and, as @mode asks, gets the file's size,
 * reads it or opens it, in a worker thread so that a slow disk never stalls
 * the caller's main loop.
 *
 * Every component is checked with lstat (): none may be a symbolic link,
 * all but the last must be folders, and the last must be a regular file
 * (or a folder with %YUN_WEB_FILES_MODE_DIRECTORY).
 *
 * For a range request, open with the range's start as @offset. A suffix
 * range (`bytes=-n`) needs the size before the offset is known: open at 0
 * and seek the stream, which is a #GSeekable, once
 * [func@web_files_parse_range] has given the start; a seek on a local file
 * does not wait for the disk. An offset past the end gives a stream that
 * reads nothing.
 *
 * The task has no source object, on purpose: GTask drops its last
 * reference on whichever thread finishes last, so an object passed as the
 * source could be finalized on the worker thread, or be kept alive after
 * its owner let it go because a file was still being read. A caller that
 * needs its object back keeps it in @user_data along with @cancellable,
 * and checks the cancellable before touching it.
 */
void
yun_web_files_open_async (const char          *root,
                          const char * const  *components,
                          YunWebFilesMode      mode,
                          goffset              offset,
                          goffset              max_size,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpenJob *job;

  g_return_if_fail (root != NULL);
  g_return_if_fail (components != NULL && components[0] != NULL);
  g_return_if_fail (mode <= YUN_WEB_FILES_MODE_DIRECTORY);
  g_return_if_fail (offset == 0 || (offset > 0 && mode == YUN_WEB_FILES_MODE_STREAM));
  g_return_if_fail (max_size >= 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (OpenJob, 1);
  job->root = g_strdup (root);
  job->components = g_strdupv ((char **) components);
  job->mode = mode;
  job->offset = offset;
  job->max_size = max_size;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, yun_web_files_open_async);
  g_task_set_task_data (task, job, (GDestroyNotify) open_job_free);
  g_task_run_in_thread (task, open_thread);
}

/**
 * yun_web_files_open_finish:
 * @result: the #GAsyncResult given to the callback
 * @size: (out) (optional): return location for the file's size in bytes:
 *   with %YUN_WEB_FILES_MODE_CONTENTS, the number of bytes read; 0 for a
 *   folder
 * @contents: (out) (optional) (nullable) (transfer full): return location
 *   for the whole file with %YUN_WEB_FILES_MODE_CONTENTS, %NULL otherwise
 * @stream: (out) (optional) (nullable) (transfer full): return location for
 *   a stream positioned at the offset asked for, with
 *   %YUN_WEB_FILES_MODE_STREAM; %NULL otherwise
 * @error: return location for a #GError
 *
 * Finishes [func@web_files_open_async].
 *
 * Returns: %TRUE on success; %FALSE with @error set to
 *   %YUN_WEB_FILES_ERROR_NOT_FOUND, %YUN_WEB_FILES_ERROR_TOO_LARGE, or a
 *   #GIOError when the file exists but could not be read or the lookup was
 *   cancelled
 */
gboolean
yun_web_files_open_finish (GAsyncResult  *result,
                           goffset       *size,
                           GBytes       **contents,
                           GInputStream **stream,
                           GError       **error)
{
  g_autoptr(OpenResult) opened = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == yun_web_files_open_async,
                        FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  opened = g_task_propagate_pointer (G_TASK (result), error);
  if (opened == NULL)
    return FALSE;

  if (size != NULL)
    *size = opened->size;
  if (contents != NULL)
    *contents = g_steal_pointer (&opened->contents);
  if (stream != NULL)
    *stream = g_steal_pointer (&opened->stream);

  return TRUE;
}
