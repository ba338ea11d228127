/* yun-manifest-icon.h: one entry of a manifest's icons member.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * YunManifestIconPurpose:
 * @YUN_MANIFEST_ICON_PURPOSE_ANY: the icon can be shown as it is
 * @YUN_MANIFEST_ICON_PURPOSE_MASKABLE: the icon has a safe zone and may be
 *   cropped to a shape
 * @YUN_MANIFEST_ICON_PURPOSE_MONOCHROME: only the icon's alpha channel is
 *   meant to be used, tinted by the shell
 *
 * What an icon is meant for; an icon may serve several purposes.
 */
typedef enum {
  YUN_MANIFEST_ICON_PURPOSE_ANY        = 1 << 0,
  YUN_MANIFEST_ICON_PURPOSE_MASKABLE   = 1 << 1,
  YUN_MANIFEST_ICON_PURPOSE_MONOCHROME = 1 << 2,
} YunManifestIconPurpose;

#define YUN_TYPE_MANIFEST_ICON (yun_manifest_icon_get_type ())

typedef struct _YunManifestIcon YunManifestIcon;

GType                   yun_manifest_icon_get_type      (void) G_GNUC_CONST;

YunManifestIcon        *yun_manifest_icon_new           (const char             *src,
                                                         const char             *sizes,
                                                         const char             *mime_type,
                                                         YunManifestIconPurpose  purpose);
YunManifestIcon        *yun_manifest_icon_ref           (YunManifestIcon        *self);
void                    yun_manifest_icon_unref         (YunManifestIcon        *self);

const char             *yun_manifest_icon_get_src       (YunManifestIcon        *self);
const char             *yun_manifest_icon_get_sizes     (YunManifestIcon        *self);
const char             *yun_manifest_icon_get_mime_type (YunManifestIcon        *self);
YunManifestIconPurpose  yun_manifest_icon_get_purpose   (YunManifestIcon        *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (YunManifestIcon, yun_manifest_icon_unref)

G_END_DECLS
