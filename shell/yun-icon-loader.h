/* yun-icon-loader.h: an installed app's icon, at the size it is shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <libsoup/soup.h>

#include "yun-manifest-icon.h"

G_BEGIN_DECLS

#define YUN_ICON_LOADER_ERROR (yun_icon_loader_error_quark ())

/**
 * YunIconLoaderError:
 * @YUN_ICON_LOADER_ERROR_NO_ICON: the manifest has no icon the shell can
 *   show (none at all, only monochrome ones, or only types it cannot
 *   decode)
 * @YUN_ICON_LOADER_ERROR_FAILED: every candidate failed to load or decode;
 *   the message gives the last reason
 *
 * Why an app has no icon to show; the home screen then shows its letter.
 */
typedef enum {
  YUN_ICON_LOADER_ERROR_NO_ICON,
  YUN_ICON_LOADER_ERROR_FAILED,
} YunIconLoaderError;

/* The installer keeps no icon bigger than this either. */
#define YUN_ICON_LOADER_MAX_BYTES (1024 * 1024)
/* Decoding is refused above this many pixels before scaling: a small file
 * must not make a huge image. */
#define YUN_ICON_LOADER_MAX_PIXELS (4096 * 4096)

GQuark      yun_icon_loader_error_quark (void);

GPtrArray  *yun_icon_loader_rank        (GPtrArray            *icons,
                                         int                   pixel_size);

void        yun_icon_loader_load_async  (SoupSession          *session,
                                         const char           *app_id,
                                         const char           *app_dir,
                                         GPtrArray            *icons,
                                         int                   pixel_size,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
GdkTexture *yun_icon_loader_load_finish (GAsyncResult         *result,
                                         YunManifestIcon     **icon,
                                         GError              **error);

G_END_DECLS
