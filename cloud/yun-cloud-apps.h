/* yun-cloud-apps.h: the back ends of the cloud apps (store, local,
 * prices, group buying) under /api/
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "yun-cloud-api.h"

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define YUN_TYPE_CLOUD_APPS (yun_cloud_apps_get_type ())

G_DECLARE_FINAL_TYPE (YunCloudApps, yun_cloud_apps, YUN, CLOUD_APPS, GObject)

YunCloudApps *yun_cloud_apps_new               (const char           *data_dir,
                                                const char           *webapps_dir,
                                                GError              **error);
void          yun_cloud_apps_attach            (YunCloudApps         *self,
                                                SoupServer           *server);
void          yun_cloud_apps_set_identify_func (YunCloudApps         *self,
                                                GObject              *identifier,
                                                YunCloudIdentifyFunc  identify);

G_END_DECLS
