/* yun-prices-generator.h: products, merchants' offers and price history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define YUN_PRICES_GENERATOR_SEED     618
#define YUN_PRICES_GENERATOR_PRODUCTS 320
/* Days of price history kept for each product. */
#define YUN_PRICES_GENERATOR_DAYS     180

extern const char yun_prices_schema[];

gboolean yun_prices_generator_fill (sqlite3   *db,
                                    gpointer   user_data,
                                    GError   **error);

G_END_DECLS
