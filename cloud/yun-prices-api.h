/* yun-prices-api.h: the price comparison back end's routes, /api/prices/
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "yun-cloud-api.h"

G_BEGIN_DECLS

/* How many price alerts one user may hold. */
#define YUN_PRICES_API_MAX_ALERTS 100
/* The longest history asked for, in days. */
#define YUN_PRICES_API_MAX_DAYS   365

void yun_prices_api_handle (YunCloudApiContext  *context,
                            SoupServerMessage   *msg,
                            char               **segments,
                            GHashTable          *query);

G_END_DECLS
