/* yun-share-api.c: navigator.yun.share() and unshare().
 *
 * An app shares one of the phone's items (a note, a contact, a message, a
 * call, a photo) through the user's cloud account (the "account" service,
 * YunSyncAccount): the cloud makes a revocable read-only link, or puts a
 * copy into a friend's account.  The app must hold the "share" permission
 * and be allowed to read that kind of item: sharing is a way of reading.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-share-api.h"

#include "yun-bridge.h"
#include "yun-sync.h"
#include "yun-sync-account.h"

typedef struct {
  YunBridge *bridge;
  YunBridgeCall *call;
  char *to;
} Sharing;

static void
sharing_free (Sharing *sharing)
{
  g_object_unref (sharing->bridge);
  g_free (sharing->to);
  g_free (sharing);
}

static GError *
page_error (const char   *method,
            const GError *error)
{
  int code = YUN_BRIDGE_ERROR_NETWORK;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    code = YUN_BRIDGE_ERROR_NOT_FOUND;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    code = YUN_BRIDGE_ERROR_INVALID_STATE;
  return g_error_new (YUN_BRIDGE_ERROR, code, "%s: %s", method, error->message);
}

static void
on_shared (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Sharing *sharing = user_data;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) shared = json_object_new ();
  g_autoptr(GError) error = NULL;

  answer = yun_sync_account_request_finish (YUN_SYNC_ACCOUNT (source), result, &error);
  if (answer == NULL) {
    YunSync *sync = yun_bridge_get_service (sharing->bridge, "sync");

    /* Not on the cloud yet: it may not have synced; nudge sync. */
    if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) && sync != NULL)
      yun_sync_now (sync);
    yun_bridge_call_return_error (sharing->call, page_error ("share", error));
    sharing_free (sharing);
    return;
  }

  if (sharing->to != NULL) {
    json_object_set_string_member (shared, "copiedTo", sharing->to);
  } else {
    json_object_set_string_member (shared, "url",
                                   json_object_get_string_member_with_default (answer, "url", ""));
    json_object_set_string_member (shared, "link",
                                   json_object_get_string_member_with_default (answer, "id", ""));
  }
  yun_bridge_call_return_value (sharing->call,
                                json_node_init_object (json_node_alloc (), shared));
  sharing_free (sharing);
}

static void
runtime_share (YunBridge             *bridge,
               const YunBridgeCaller *caller,
               YunBridgeRequest      *request,
               YunBridgeCall         *call)
{
  YunSyncAccount *account = yun_bridge_get_service (bridge, "account");
  const char *db = json_object_get_string_member (request->args, "db");
  Sharing *sharing;

  /* Sharing an item is reading it: only what the app may read. */
  if (yun_permission_gate_query (yun_bridge_get_gate (bridge), caller->app_id, caller->manifest,
                                 db) != YUN_PERMISSION_STATE_GRANTED) {
    yun_bridge_call_return_error (call, g_error_new (YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_NOT_ALLOWED,
                                                     "share: the app may not read %s", db));
    return;
  }
  if (account == NULL) {
    yun_bridge_call_return_error (call, g_error_new_literal (YUN_BRIDGE_ERROR,
                                                             YUN_BRIDGE_ERROR_INVALID_STATE,
                                                             "share: the phone has no cloud account"));
    return;
  }

  sharing = g_new0 (Sharing, 1);
  sharing->bridge = g_object_ref (bridge);
  sharing->call = call;
  sharing->to = g_strdup (json_object_get_string_member_with_default (request->args, "to", NULL));
  yun_sync_account_share_async (account, db, json_object_get_string_member (request->args, "id"),
                                sharing->to, yun_bridge_call_get_cancellable (call), on_shared,
                                sharing);
}

static void
on_unshared (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  YunBridgeCall *call = user_data;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;

  answer = yun_sync_account_request_finish (YUN_SYNC_ACCOUNT (source), result, &error);
  if (answer == NULL)
    yun_bridge_call_return_error (call, page_error ("unshare", error));
  else
    yun_bridge_call_return_value (call, json_node_init_boolean (json_node_alloc (), TRUE));
}

static void
runtime_unshare (YunBridge             *bridge,
                 const YunBridgeCaller *caller,
                 YunBridgeRequest      *request,
                 YunBridgeCall         *call)
{
  YunSyncAccount *account = yun_bridge_get_service (bridge, "account");

  if (account == NULL) {
    yun_bridge_call_return_error (call, g_error_new_literal (YUN_BRIDGE_ERROR,
                                                             YUN_BRIDGE_ERROR_INVALID_STATE,
                                                             "unshare: the phone has no cloud account"));
    return;
  }
  yun_sync_account_revoke_share_async (account, json_object_get_string_member (request->args, "link"),
                                       yun_bridge_call_get_cancellable (call), on_unshared, call);
}

const YunBridgeMethod yun_share_api[] = {
  { "runtime", "share", runtime_share },
  { "runtime", "unshare", runtime_unshare },
  { NULL, NULL, NULL },
};
