/* yun-permission-gate.h: decides, in C, whether an app may use a permission.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "yun-manifest.h"
#include "yun-permission-prompter.h"
#include "yun-permission-store.h"

G_BEGIN_DECLS

#define YUN_TYPE_PERMISSION_GATE (yun_permission_gate_get_type ())
G_DECLARE_FINAL_TYPE (YunPermissionGate, yun_permission_gate, YUN, PERMISSION_GATE, GObject)

YunPermissionGate  *yun_permission_gate_new          (YunPermissionStore    *store);
YunPermissionStore *yun_permission_gate_get_store    (YunPermissionGate     *self);
void                yun_permission_gate_set_prompter (YunPermissionGate     *self,
                                                      YunPermissionPrompter *prompter);
void                yun_permission_gate_reserve      (YunPermissionGate     *self,
                                                      const char            *permission,
                                                      const char            *app_id,
                                                      const char            *manifest_url);
YunPermissionState  yun_permission_gate_query        (YunPermissionGate     *self,
                                                      const char            *app_id,
                                                      YunManifest           *manifest,
                                                      const char            *permission);
void                yun_permission_gate_check_async  (YunPermissionGate     *self,
                                                      const char            *app_id,
                                                      YunManifest           *manifest,
                                                      const char            *permission,
                                                      const char            *access,
                                                      const char            *method,
                                                      GCancellable          *cancellable,
                                                      GAsyncReadyCallback    callback,
                                                      gpointer               user_data);
gboolean            yun_permission_gate_check_finish (YunPermissionGate     *self,
                                                      GAsyncResult          *result,
                                                      GError               **error);

G_END_DECLS
