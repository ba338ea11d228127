/* yun-bridge-log.h: the developer session's live log of bridge calls.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "yun-bridge.h"

G_BEGIN_DECLS

#define YUN_TYPE_BRIDGE_LOG (yun_bridge_log_get_type ())
G_DECLARE_FINAL_TYPE (YunBridgeLog, yun_bridge_log, YUN, BRIDGE_LOG, GtkWidget)

/**
 * YunBridgeLogCallerFunc:
 * @caller: (out caller-allocates): filled with the current app's caller
 * @user_data: data given to yun_bridge_log_set_caller_func()
 *
 * Says as whom the log's Replay button replays calls.
 *
 * Returns: %FALSE when no app is open
 */
typedef gboolean (*YunBridgeLogCallerFunc) (YunBridgeCaller *caller,
                                            gpointer         user_data);

YunBridgeLog *yun_bridge_log_new          (void);
void          yun_bridge_log_set_bridge   (YunBridgeLog           *self,
                                           YunBridge              *bridge);
void          yun_bridge_log_set_caller_func (YunBridgeLog        *self,
                                              YunBridgeLogCallerFunc func,
                                              gpointer             user_data);
guint         yun_bridge_log_get_length   (YunBridgeLog           *self);
char         *yun_bridge_log_to_json      (YunBridgeLog           *self);
char         *yun_bridge_log_to_json_lines (YunBridgeLog          *self);
void          yun_bridge_log_clear        (YunBridgeLog           *self);
void          yun_bridge_log_save_async   (YunBridgeLog           *self,
                                           const char             *path,
                                           GCancellable           *cancellable,
                                           GAsyncReadyCallback     callback,
                                           gpointer                user_data);
gboolean      yun_bridge_log_save_finish  (YunBridgeLog           *self,
                                           GAsyncResult           *result,
                                           GError                **error);
void          yun_bridge_log_replay_async (YunBridgeLog           *self,
                                           const char             *path,
                                           const YunBridgeCaller  *caller,
                                           GCancellable           *cancellable,
                                           GAsyncReadyCallback     callback,
                                           gpointer                user_data);
char         *yun_bridge_log_replay_finish (YunBridgeLog          *self,
                                            GAsyncResult          *result,
                                            GError               **error);

G_END_DECLS
