/* yun-dev-publish.h: `yun-dev publish`, a package into a yun-cloud store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean yun_dev_publish (GBytes      *zip,
                          const char  *id,
                          const char  *version,
                          const char  *cloud_url,
                          const char  *user,
                          const char  *password,
                          char       **answer,
                          GError     **error);

G_END_DECLS
