/* yun-app-registry-private.h: what YunAppInstaller needs from the registry
 * to put an app's files in place.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "yun-app-registry.h"

G_BEGIN_DECLS

/* The folders of P/apps/<id>/ that hold an app's own files: a packaged
 * app's extracted zip, or a hosted app's offline copy. */
#define YUN_APP_DIR_PACKAGE "package"
#define YUN_APP_DIR_OFFLINE "offline"

const char   *yun_app_source_get_dir_name      (YunAppSource     source);

gboolean      yun_app_registry_claim           (YunAppRegistry  *self,
                                                const char      *id,
                                                GCancellable    *cancellable,
                                                GError         **error);
void          yun_app_registry_release         (YunAppRegistry  *self,
                                                const char      *id);

char         *yun_app_registry_make_staging    (YunAppRegistry  *self,
                                                const char      *id,
                                                GError         **error);
YunAppRecord *yun_app_registry_swap_in         (YunAppRegistry  *self,
                                                const char      *id,
                                                const char      *staged_dir,
                                                YunAppSource     source,
                                                const char      *manifest_url,
                                                const char      *manifest_text,
                                                const char      *version,
                                                GError         **error);

gboolean      yun_app_registry_sync_tree       (const char      *path,
                                                GError         **error);
gboolean      yun_app_registry_remove_tree     (const char      *path,
                                                GError         **error);

void          yun_app_registry_crash_point     (void);

G_END_DECLS
