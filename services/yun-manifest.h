/* yun-manifest.h: a processed W3C Web App Manifest.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

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

/* Manifests are small; anything bigger is not one. */
#define YUN_MANIFEST_MAX_BYTES (256 * 1024)

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

G_END_DECLS
