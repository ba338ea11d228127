/* yun-manifest-icon.c: one entry of a manifest's icons member.
 *
 * An icon is a small immutable value shared by reference between the
 * manifest and whoever shows it, so it is a reference-counted boxed type
 * rather than a GObject.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-manifest-icon.h"

struct _YunManifestIcon
{
  char *src;
  char *sizes;
  char *mime_type;
  YunManifestIconPurpose purpose;
};

G_DEFINE_BOXED_TYPE (YunManifestIcon, yun_manifest_icon,
                     yun_manifest_icon_ref, yun_manifest_icon_unref)

static void
yun_manifest_icon_clear (YunManifestIcon *self)
{
  g_free (self->src);
  g_free (self->sizes);
  g_free (self->mime_type);
}

/**
 * yun_manifest_icon_new:
 * @src: the icon's absolute URL
 * @sizes: (nullable): "any" or a space-separated list like "48x48 96x96"
 * @mime_type: (nullable): the icon's MIME type, such as "image/png"
 * @purpose: what the icon is meant for; not empty
 *
 * Makes an icon from values the manifest has already checked.
 *
 * Returns: (transfer full): a new icon
 */
YunManifestIcon *
yun_manifest_icon_new (const char             *src,
                       const char             *sizes,
                       const char             *mime_type,
                       YunManifestIconPurpose  purpose)
{
  YunManifestIcon *self;

  g_return_val_if_fail (src != NULL, NULL);
  g_return_val_if_fail (purpose != 0, NULL);

  self = g_atomic_rc_box_new0 (YunManifestIcon);
  self->src = g_strdup (src);
  self->sizes = g_strdup (sizes);
  self->mime_type = g_strdup (mime_type);
  self->purpose = purpose;

  return self;
}

/**
 * yun_manifest_icon_ref:
 * @self: an icon
 *
 * Returns: (transfer full): @self with one more reference
 */
YunManifestIcon *
yun_manifest_icon_ref (YunManifestIcon *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_atomic_rc_box_acquire (self);
}

/**
 * yun_manifest_icon_unref:
 * @self: (transfer full): an icon
 *
 * Drops a reference; the last one frees the icon.
 */
void
yun_manifest_icon_unref (YunManifestIcon *self)
{
  g_return_if_fail (self != NULL);
  g_atomic_rc_box_release_full (self, (GDestroyNotify) yun_manifest_icon_clear);
}

/**
 * yun_manifest_icon_get_src:
 * @self: an icon
 *
 * Returns: (transfer none): the absolute URL, resolved against the manifest's
 */
const char *
yun_manifest_icon_get_src (YunManifestIcon *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->src;
}

/**
 * yun_manifest_icon_get_sizes:
 * @self: an icon
 *
 * Returns: (transfer none) (nullable): "any" or sizes like "48x48 96x96",
 *   in lower case and separated by single spaces; %NULL when the manifest
 *   does not say
 */
const char *
yun_manifest_icon_get_sizes (YunManifestIcon *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->sizes;
}

/**
 * yun_manifest_icon_get_mime_type:
 * @self: an icon
 *
 * Returns: (transfer none) (nullable): the MIME type the manifest gives
 *   (the manifest's `type` member)
 */
const char *
yun_manifest_icon_get_mime_type (YunManifestIcon *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->mime_type;
}

/**
 * yun_manifest_icon_get_purpose:
 * @self: an icon
 *
 * Returns: what the icon is meant for; %YUN_MANIFEST_ICON_PURPOSE_ANY when
 *   the manifest does not say
 */
YunManifestIconPurpose
yun_manifest_icon_get_purpose (YunManifestIcon *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->purpose;
}
