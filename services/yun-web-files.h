/* yun-web-files.h: serving a web app's files from its folder, safely.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define YUN_WEB_FILES_ERROR (yun_web_files_error_quark ())

/**
 * YunWebFilesError:
 * @YUN_WEB_FILES_ERROR_BAD_ENCODING: the path cannot name a file at all: a
 *   broken percent escape, an encoded NUL, or bytes that are not UTF-8 once
 *   decoded. An HTTP server answers 400 Bad Request.
 * @YUN_WEB_FILES_ERROR_FORBIDDEN_NAME: the path is well encoded but names
 *   nothing that is ever served: an empty segment, a hidden one (which
 *   covers `.` and `..`), one holding a slash or a backslash once decoded,
 *   one longer than %YUN_WEB_FILES_MAX_SEGMENT_LENGTH bytes, or more than
 *   %YUN_WEB_FILES_MAX_SEGMENTS segments. Answer 404 Not Found.
 * @YUN_WEB_FILES_ERROR_NOT_FOUND: there is no such file, a component is a
 *   symbolic link, or the last one is not of the kind asked for (a regular
 *   file, or a folder). Answer 404 Not Found.
 * @YUN_WEB_FILES_ERROR_TOO_LARGE: the file is larger than the caller's
 *   limit. It exists, so this is not a 404; cloud answers 500.
 * @YUN_WEB_FILES_ERROR_RANGE_IGNORED: the Range header is not one this
 *   module serves: another unit, several ranges, a malformed or invalid
 *   range. Answer as if there were no Range header: 200 with the whole file.
 * @YUN_WEB_FILES_ERROR_RANGE_NOT_SATISFIABLE: the range is well formed but
 *   selects no byte of the file. Answer 416 Range Not Satisfiable, with a
 *   Content-Range header that gives the file's size after `bytes *` and a
 *   slash.
 *
 * Why a request for a web app's file is refused. Failures to read a file
 * that exists (permissions, I/O errors) are #GIOError errors instead: they
 * are a problem with the installation, not with the request.
 */
typedef enum {
  YUN_WEB_FILES_ERROR_BAD_ENCODING,
  YUN_WEB_FILES_ERROR_FORBIDDEN_NAME,
  YUN_WEB_FILES_ERROR_NOT_FOUND,
  YUN_WEB_FILES_ERROR_TOO_LARGE,
  YUN_WEB_FILES_ERROR_RANGE_IGNORED,
  YUN_WEB_FILES_ERROR_RANGE_NOT_SATISFIABLE,
} YunWebFilesError;

/**
 * YunWebFilesMode:
 * @YUN_WEB_FILES_MODE_INFO: look the file up and report its size only, as
 *   an answer to HEAD needs
 * @YUN_WEB_FILES_MODE_CONTENTS: read the whole file into memory
 * @YUN_WEB_FILES_MODE_STREAM: open the file and return a stream positioned
 *   at the offset asked for, as an answer to a range request needs
 * @YUN_WEB_FILES_MODE_DIRECTORY: check that the path names a folder
 *
 * What [func@web_files_open_async] does once it has found the file.
 */
typedef enum {
  YUN_WEB_FILES_MODE_INFO,
  YUN_WEB_FILES_MODE_CONTENTS,
  YUN_WEB_FILES_MODE_STREAM,
  YUN_WEB_FILES_MODE_DIRECTORY,
} YunWebFilesMode;

/* No web app needs a deeper path, and each segment costs one lstat (). */
#define YUN_WEB_FILES_MAX_SEGMENTS 32
/* NAME_MAX on Linux file systems, in bytes once decoded. */
#define YUN_WEB_FILES_MAX_SEGMENT_LENGTH 255

GQuark      yun_web_files_error_quark       (void);

gboolean    yun_web_files_split_path        (const char           *raw_path,
                                             GStrv                *components,
                                             GError              **error);
const char *yun_web_files_content_type      (const char           *name);
gboolean    yun_web_files_parse_range       (const char           *header,
                                             goffset               size,
                                             goffset              *start,
                                             goffset              *end,
                                             GError              **error);

void        yun_web_files_open_async        (const char           *root,
                                             const char * const   *components,
                                             YunWebFilesMode       mode,
                                             goffset               offset,
                                             goffset               max_size,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean    yun_web_files_open_finish       (GAsyncResult         *result,
                                             goffset              *size,
                                             GBytes              **contents,
                                             GInputStream        **stream,
                                             GError              **error);

G_END_DECLS
