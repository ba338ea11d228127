/* yun-catalog.h: the store catalog's database and its built-in apps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "yun-cloud-db.h"

G_BEGIN_DECLS

/* The developer named on the apps of webapps/. */
#define YUN_CATALOG_BUILTIN_DEVELOPER "The Yun project"

YunCloudDb *yun_catalog_new              (const char  *path,
                                          guint32      seed,
                                          guint        n_apps,
                                          const char  *webapps_dir,
                                          const char  *packages_dir);
YunCloudDb *yun_catalog_open             (const char  *path,
                                          guint32      seed,
                                          guint        n_apps,
                                          GError     **error);
gboolean    yun_catalog_import_builtins  (YunCloudDb  *db,
                                          const char  *webapps_dir,
                                          const char  *packages_dir,
                                          GError     **error);
char       *yun_catalog_package_path     (const char  *packages_dir,
                                          const char  *app_id);

G_END_DECLS
