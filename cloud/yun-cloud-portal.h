/* yun-cloud-portal.h: the web portal /my, where users browse their data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define YUN_CLOUD_PORTAL_PATH "/my"

void yun_cloud_portal_handle (SoupServerMessage *msg,
                              const char        *path);

G_END_DECLS
