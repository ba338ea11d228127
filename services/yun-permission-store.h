/* yun-permission-store.h: what the user decided about each app's permissions,
 * and a log of every gated call.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define YUN_PERMISSION_STORE_ERROR (yun_permission_store_error_quark ())

/**
 * YunPermissionStoreError:
 * @YUN_PERMISSION_STORE_ERROR_IO: the database could not be read or written
 */
typedef enum {
  YUN_PERMISSION_STORE_ERROR_IO,
} YunPermissionStoreError;

/**
 * YunPermissionState:
 * @YUN_PERMISSION_STATE_PROMPT: no decision yet: asking shows a prompt
 * @YUN_PERMISSION_STATE_GRANTED: the user allowed it always
 * @YUN_PERMISSION_STATE_DENIED: the user denied it
 */
typedef enum {
  YUN_PERMISSION_STATE_PROMPT,
  YUN_PERMISSION_STATE_GRANTED,
  YUN_PERMISSION_STATE_DENIED,
} YunPermissionState;

/**
 * YunPermissionDecision:
 * @app_id: the app
 * @permission: the permission's name
 * @state: granted or denied
 * @time: when the user decided, in microseconds since the epoch
 */
typedef struct {
  char *app_id;
  char *permission;
  YunPermissionState state;
  gint64 time;
} YunPermissionDecision;

/**
 * YunPermissionAccess:
 * @app_id: the app
 * @method: the bridge method, "contacts.find"
 * @permission: the permission it needed
 * @allowed: whether the call went through
 * @time: when, in microseconds since the epoch
 */
typedef struct {
  char *app_id;
  char *method;
  char *permission;
  gboolean allowed;
  gint64 time;
} YunPermissionAccess;

#define YUN_TYPE_PERMISSION_STORE (yun_permission_store_get_type ())
G_DECLARE_FINAL_TYPE (YunPermissionStore, yun_permission_store, YUN, PERMISSION_STORE, GObject)

GQuark              yun_permission_store_error_quark  (void);
const char         *yun_permission_state_to_string    (YunPermissionState   state);

void                yun_permission_store_open_async   (const char          *path,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
YunPermissionStore *yun_permission_store_open_finish  (GAsyncResult        *result,
                                                       GError             **error);
YunPermissionStore *yun_permission_store_open         (const char          *path,
                                                       GError             **error);

YunPermissionState  yun_permission_store_get          (YunPermissionStore  *self,
                                                       const char          *app_id,
                                                       const char          *permission);
void                yun_permission_store_set          (YunPermissionStore  *self,
                                                       const char          *app_id,
                                                       const char          *permission,
                                                       YunPermissionState   state);
void                yun_permission_store_log_access   (YunPermissionStore  *self,
                                                       const char          *app_id,
                                                       const char          *method,
                                                       const char          *permission,
                                                       gboolean             allowed);
GPtrArray          *yun_permission_store_list_decisions (YunPermissionStore *self);
void                yun_permission_store_list_accesses_async  (YunPermissionStore  *self,
                                                               guint                limit,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
GPtrArray          *yun_permission_store_list_accesses_finish (GAsyncResult        *result,
                                                               GError             **error);
void                yun_permission_store_flush_async  (YunPermissionStore  *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean            yun_permission_store_flush_finish (GAsyncResult        *result,
                                                       GError             **error);

void                yun_permission_decision_free      (YunPermissionDecision *decision);
void                yun_permission_access_free        (YunPermissionAccess   *access);

G_END_DECLS
