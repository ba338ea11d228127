/* yun-groupbuy-generator.h: group-buying deals
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define YUN_GROUPBUY_GENERATOR_SEED  2010
#define YUN_GROUPBUY_GENERATOR_DEALS 72

extern const char yun_groupbuy_schema[];

gboolean yun_groupbuy_generator_fill (sqlite3   *db,
                                      gpointer   user_data,
                                      GError   **error);

G_END_DECLS
