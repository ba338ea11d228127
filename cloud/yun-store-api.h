/* yun-store-api.h: the store catalog's routes, /api/store/
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "yun-cloud-api.h"

G_BEGIN_DECLS

/* The longest review text, in characters. */
#define YUN_STORE_API_MAX_REVIEW 2000

void yun_store_api_handle (YunCloudApiContext  *context,
                           SoupServerMessage   *msg,
                           char               **segments,
                           GHashTable          *query);

G_END_DECLS
