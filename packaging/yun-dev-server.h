/* yun-dev-server.h: `yun-dev serve`, an app folder on loopback with live
 * reload.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define YUN_DEV_SERVER_ERROR (yun_dev_server_error_quark ())

/**
 * YunDevServerError:
 * @YUN_DEV_SERVER_ERROR_NOT_A_FOLDER: the app folder is missing, or is not
 *   a folder
 *
 * Why a #YunDevServer could not start. Failures to listen are #GIOError
 * errors, such as %G_IO_ERROR_ADDRESS_IN_USE.
 */
typedef enum {
  YUN_DEV_SERVER_ERROR_NOT_A_FOLDER,
} YunDevServerError;

/* Where the server answers for itself; an app's own `_yun` folder is hidden
 * behind it. */
#define YUN_DEV_SERVER_PREFIX "/_yun/"
#define YUN_DEV_SERVER_LIVE_RELOAD_PATH "/_yun/live-reload"

#define YUN_TYPE_DEV_SERVER (yun_dev_server_get_type ())
G_DECLARE_FINAL_TYPE (YunDevServer, yun_dev_server, YUN, DEV_SERVER, GObject)

GQuark        yun_dev_server_error_quark    (void);

YunDevServer *yun_dev_server_new            (const char    *root,
                                             GError       **error);
gboolean      yun_dev_server_listen         (YunDevServer  *self,
                                             guint16        port,
                                             GError       **error);
const char   *yun_dev_server_get_url        (YunDevServer  *self);
const char   *yun_dev_server_get_root       (YunDevServer  *self);
guint         yun_dev_server_get_n_clients  (YunDevServer  *self);

G_END_DECLS
