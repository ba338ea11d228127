/* yun-local-generator.h: places around the default city, with reviews
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define YUN_LOCAL_GENERATOR_SEED   1999
#define YUN_LOCAL_GENERATOR_PLACES 420

/* The default city, Hangzhou: where the seed's phone was made, and where
 * "places near me" starts without a position.  The east shore of the
 * West Lake. */
#define YUN_LOCAL_DEFAULT_CITY "Hangzhou"
#define YUN_LOCAL_DEFAULT_LAT  30.2590
#define YUN_LOCAL_DEFAULT_LON  120.1650

extern const char yun_local_schema[];

gboolean yun_local_generator_fill (sqlite3   *db,
                                   gpointer   user_data,
                                   GError   **error);

G_END_DECLS
