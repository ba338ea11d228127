/* yun-window-screenshot.h: what a window shows, saved as a PNG file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void     yun_window_screenshot_save_async  (GtkWidget            *window,
                                            const char           *path,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean yun_window_screenshot_save_finish (GtkWidget            *window,
                                            GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS
