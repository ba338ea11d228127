/* yun-catalog-generator.h: the store catalog's generated apps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* The seed and size of the catalog yun-cloud generates at first start. */
#define YUN_CATALOG_GENERATOR_SEED     20111028
#define YUN_CATALOG_GENERATOR_APPS     500
/* Generated dates are before this one (2026-01-01T00:00:00Z), not before
 * "now", so that the same seed gives the same catalog on any day. */
#define YUN_CATALOG_GENERATOR_EPOCH    G_GINT64_CONSTANT (1767225600)

extern const char yun_catalog_schema[];

gboolean  yun_catalog_generator_fill   (sqlite3  *db,
                                        guint32   seed,
                                        guint     n_apps,
                                        GError  **error);
char     *yun_catalog_generator_digest (sqlite3  *db,
                                        GError  **error);

G_END_DECLS
