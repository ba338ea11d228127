/* yun-cloud-server.h: the embedded HTTP server of yun-cloud
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "yun-cloud-accounts.h"
#include "yun-cloud-auth.h"
#include "yun-cloud-cors.h"

#include <gio/gio.h>

G_BEGIN_DECLS

#define YUN_CLOUD_SERVER_ERROR (yun_cloud_server_error_quark ())

/**
 * YunCloudServerError:
 * @YUN_CLOUD_SERVER_ERROR_WEBAPPS_DIR: the web apps folder is missing or is
 *   not a folder
 * @YUN_CLOUD_SERVER_ERROR_DATA_DIR: the data folder could not be created
 * @YUN_CLOUD_SERVER_ERROR_INVALID_ADDRESS: the host is not a numeric IPv4 or
 *   IPv6 address
 * @YUN_CLOUD_SERVER_ERROR_ADDRESS_IN_USE: another socket already listens on
 *   the address and port
 * @YUN_CLOUD_SERVER_ERROR_LISTEN: listening failed for another reason
 *
 * Errors returned by [class@CloudServer].
 */
typedef enum {
  YUN_CLOUD_SERVER_ERROR_WEBAPPS_DIR,
  YUN_CLOUD_SERVER_ERROR_DATA_DIR,
  YUN_CLOUD_SERVER_ERROR_INVALID_ADDRESS,
  YUN_CLOUD_SERVER_ERROR_ADDRESS_IN_USE,
  YUN_CLOUD_SERVER_ERROR_LISTEN,
} YunCloudServerError;

GQuark yun_cloud_server_error_quark (void);

#define YUN_TYPE_CLOUD_SERVER (yun_cloud_server_get_type ())

G_DECLARE_FINAL_TYPE (YunCloudServer, yun_cloud_server, YUN, CLOUD_SERVER, GObject)

YunCloudServer *yun_cloud_server_new     (const char      *webapps_dir,
                                          const char      *data_dir,
                                          GError         **error);
gboolean        yun_cloud_server_listen  (YunCloudServer  *self,
                                          const char      *host,
                                          guint            port,
                                          GError         **error);
const char     *yun_cloud_server_get_url (YunCloudServer  *self);

void              yun_cloud_server_set_cors     (YunCloudServer *self,
                                                 YunCloudCors   *cors);
YunCloudAccounts *yun_cloud_server_get_accounts (YunCloudServer *self);
YunCloudAuth     *yun_cloud_server_get_auth     (YunCloudServer *self);

G_END_DECLS
