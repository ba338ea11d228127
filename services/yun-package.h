/* yun-package.h: packaged apps, a zip with manifest.json at its root.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "yun-manifest.h"

G_BEGIN_DECLS

#define YUN_PACKAGE_ERROR (yun_package_error_quark ())

/**
 * YunPackageError:
 * @YUN_PACKAGE_ERROR_NOT_ZIP: the file is not a zip archive at all
 * @YUN_PACKAGE_ERROR_CORRUPT: the zip's records contradict each other: a
 *   size or checksum that does not match the data, headers that disagree,
 *   entries that overlap or leave unexplained bytes
 * @YUN_PACKAGE_ERROR_UNSUPPORTED: the zip uses something a package may not:
 *   encryption, zip64, several disks, a compression method other than
 *   stored or deflate
 * @YUN_PACKAGE_ERROR_BAD_NAME: an entry's name is not a safe relative path:
 *   empty, absolute, with a ".." or "." segment, a backslash, a NUL or
 *   control character, not UTF-8, or too long
 * @YUN_PACKAGE_ERROR_NOT_REGULAR: an entry is a symbolic link, a device or
 *   anything else that is neither a file nor a folder
 * @YUN_PACKAGE_ERROR_DUPLICATE: two entries name the same path, also when
 *   compared without case and after Unicode normalisation, or one path is
 *   both a file and a folder
 * @YUN_PACKAGE_ERROR_NO_MANIFEST: there is no manifest.json file at the root
 * @YUN_PACKAGE_ERROR_INVALID_MANIFEST: manifest.json is not a valid manifest;
 *   the message names the member that is wrong
 * @YUN_PACKAGE_ERROR_TOO_LARGE: more than %YUN_PACKAGE_MAX_ENTRIES entries,
 *   more than %YUN_PACKAGE_MAX_SIZE bytes once inflated, or a zip file
 *   larger than %YUN_PACKAGE_MAX_ZIP_SIZE
 * @YUN_PACKAGE_ERROR_TOO_COMPRESSED: an entry inflates to more than
 *   %YUN_PACKAGE_MAX_RATIO times its compressed size, as zip bombs do
 * @YUN_PACKAGE_ERROR_CHECKSUM: the zip's SHA-256 is not the one the caller
 *   expected; the download is damaged or not the one the store listed
 *
 * Why a package was refused.  Failures to read or write files are
 * #GIOError errors instead.
 */
typedef enum {
  YUN_PACKAGE_ERROR_NOT_ZIP,
  YUN_PACKAGE_ERROR_CORRUPT,
  YUN_PACKAGE_ERROR_UNSUPPORTED,
  YUN_PACKAGE_ERROR_BAD_NAME,
  YUN_PACKAGE_ERROR_NOT_REGULAR,
  YUN_PACKAGE_ERROR_DUPLICATE,
  YUN_PACKAGE_ERROR_NO_MANIFEST,
  YUN_PACKAGE_ERROR_INVALID_MANIFEST,
  YUN_PACKAGE_ERROR_TOO_LARGE,
  YUN_PACKAGE_ERROR_TOO_COMPRESSED,
  YUN_PACKAGE_ERROR_CHECKSUM,
} YunPackageError;

/* Limits on what a package may hold. */
#define YUN_PACKAGE_MAX_ENTRIES      10000
#define YUN_PACKAGE_MAX_SIZE         (50 * 1024 * 1024)
#define YUN_PACKAGE_MAX_ZIP_SIZE     (64 * 1024 * 1024)
#define YUN_PACKAGE_MAX_RATIO        100
#define YUN_PACKAGE_MAX_NAME_LENGTH  1024
#define YUN_PACKAGE_MAX_SEGMENT_LENGTH 255

#define YUN_TYPE_PACKAGE (yun_package_get_type ())
G_DECLARE_FINAL_TYPE (YunPackage, yun_package, YUN, PACKAGE, GObject)

GQuark              yun_package_error_quark    (void);

YunPackage         *yun_package_new_from_bytes (GBytes               *zip,
                                                const char           *manifest_url,
                                                const char           *sha256,
                                                GError              **error);
YunPackage         *yun_package_new_from_file  (const char           *path,
                                                const char           *manifest_url,
                                                const char           *sha256,
                                                GError              **error);

YunManifest        *yun_package_get_manifest   (YunPackage           *self);
const char * const *yun_package_get_paths      (YunPackage           *self);
guint64             yun_package_get_size       (YunPackage           *self);

gboolean            yun_package_extract        (YunPackage           *self,
                                                const char           *destination,
                                                GCancellable         *cancellable,
                                                GError              **error);
void                yun_package_extract_async  (YunPackage           *self,
                                                const char           *destination,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean            yun_package_extract_finish (YunPackage           *self,
                                                GAsyncResult         *result,
                                                GError              **error);

GBytes             *yun_package_pack_directory (const char           *directory,
                                                GCancellable         *cancellable,
                                                GError              **error);

G_END_DECLS
