/* yun-cloud-svg.h: pictures drawn for generated data: icons, screenshots,
 * photos
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

GBytes *yun_cloud_svg_icon       (const char *name,
                                  const char *color,
                                  const char *accent,
                                  guint32     hash);
GBytes *yun_cloud_svg_screenshot (const char *title,
                                  const char *color,
                                  const char *accent,
                                  guint32     hash);
GBytes *yun_cloud_svg_photo      (const char *caption,
                                  guint32     hash);

G_END_DECLS
