/* yun-manifest.h: a processed W3C Web App Manifest.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "yun-manifest-icon.h"

G_BEGIN_DECLS

#define YUN_MANIFEST_ERROR (yun_manifest_error_quark ())

/**
 * YunManifestError:
 * @YUN_MANIFEST_ERROR_INVALID: the manifest is not acceptable; the message
 *   names the member path that is wrong
 * @YUN_MANIFEST_ERROR_FETCH: the manifest could not be downloaded
 */
typedef enum {
  YUN_MANIFEST_ERROR_INVALID,
  YUN_MANIFEST_ERROR_FETCH,
} YunManifestError;

/**
 * YunManifestAccess:
 * @YUN_MANIFEST_ACCESS_READ: the app only reads what the permission guards
 * @YUN_MANIFEST_ACCESS_READWRITE: the app also changes it
 *
 * How much of a permission an app's manifest asks for.
 */
typedef enum {
  YUN_MANIFEST_ACCESS_READ,
  YUN_MANIFEST_ACCESS_READWRITE,
} YunManifestAccess;

/* Manifests are small; anything bigger is not one. */
#define YUN_MANIFEST_MAX_BYTES (256 * 1024)

/* The reason a manifest gives for a permission is shown in the prompt; it
 * has to fit there.  Counted in characters, not bytes. */
#define YUN_MANIFEST_MAX_REASON_LENGTH 500

#define YUN_TYPE_MANIFEST (yun_manifest_get_type ())
G_DECLARE_FINAL_TYPE (YunManifest, yun_manifest, YUN, MANIFEST, GObject)

GQuark       yun_manifest_error_quark       (void);

YunManifest *yun_manifest_new_from_data     (const char          *data,
                                             gsize                length,
                                             const char          *manifest_url,
                                             GError             **error);
void         yun_manifest_fetch_async       (SoupSession         *session,
                                             const char          *manifest_url,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
YunManifest *yun_manifest_fetch_finish      (GAsyncResult        *result,
                                             GError             **error);

const char  *yun_manifest_get_manifest_url  (YunManifest         *self);
const char  *yun_manifest_get_name          (YunManifest         *self);
const char  *yun_manifest_get_short_name    (YunManifest         *self);
const char  *yun_manifest_get_start_url     (YunManifest         *self);
const char  *yun_manifest_get_scope         (YunManifest         *self);
const char  *yun_manifest_get_display       (YunManifest         *self);
const char  *yun_manifest_get_theme_color   (YunManifest         *self);
const char  *yun_manifest_get_background_color (YunManifest      *self);
const char  *yun_manifest_get_description   (YunManifest         *self);
const char  *yun_manifest_get_id            (YunManifest         *self);
GPtrArray   *yun_manifest_get_icons         (YunManifest         *self);
const char * const *yun_manifest_get_categories (YunManifest     *self);
const char  *yun_manifest_get_min_runtime   (YunManifest         *self);
const char * const *yun_manifest_get_permission_names (YunManifest *self);
gboolean     yun_manifest_get_permission    (YunManifest         *self,
                                             const char          *name,
                                             YunManifestAccess   *access,
                                             const char         **reason);

gboolean     yun_manifest_is_known_permission (const char        *name);

G_END_DECLS
