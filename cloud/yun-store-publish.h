/* yun-store-publish.h: developers publish packaged apps to the store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "yun-cloud-api.h"

G_BEGIN_DECLS

/* The catalog's `builtin` column: where an app's files come from. */
enum {
  YUN_STORE_APP_GENERATED = 0,
  YUN_STORE_APP_BUILTIN = 1,
  YUN_STORE_APP_PUBLISHED = 2,
};

/* The largest package a developer may publish. */
#define YUN_STORE_PUBLISH_MAX_PACKAGE (8 * 1024 * 1024)

gboolean yun_store_publish_package (YunCloudJob         *job,
                                    YunCloudApiRequest  *request,
                                    GError             **error);

G_END_DECLS
