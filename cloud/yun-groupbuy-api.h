/* yun-groupbuy-api.h: the group-buying back end's routes, /api/groupbuy/
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "yun-cloud-api.h"

G_BEGIN_DECLS

void yun_groupbuy_api_handle (YunCloudApiContext  *context,
                              SoupServerMessage   *msg,
                              char               **segments,
                              GHashTable          *query);

G_END_DECLS
