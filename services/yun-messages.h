/* yun-messages.h: text messages, on the personal document store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "yun-personal-data.h"
#include "yun-personal-index.h"

G_BEGIN_DECLS

/* Limits of a message, in bytes of UTF-8 or in entries. */
#define YUN_MESSAGES_MAX_ADDRESS    256        /* thread, from, each of to */
#define YUN_MESSAGES_MAX_RECIPIENTS 100
#define YUN_MESSAGES_MAX_BODY       (256 * 1024)

/**
 * YunMessages:
 *
 * Messages: documents of the "messages" database of the personal store.
 *
 * |[
 * {"id", "rev", "thread": "+34600123456", "from": "+34600123456",
 *  "to": ["me"], "body": "See you at 8", "time": 1700000000000,
 *  "read": false}
 * ]|
 *
 * "thread" and "from" are required; "to" defaults to [], "body" to
 * absent, "time" (milliseconds) to now and "read" to false.  Anything
 * else, or a field of the wrong type or over its limit, is refused with
 * %YUN_PERSONAL_DATA_ERROR_INVALID naming the field (`message.to[3]:`).
 *
 * Calls are synchronous and thread-safe; they block on disk.
 */
#define YUN_TYPE_MESSAGES (yun_messages_get_type ())
G_DECLARE_FINAL_TYPE (YunMessages, yun_messages, YUN, MESSAGES, GObject)

YunMessages *yun_messages_new              (YunPersonalIndex  *index,
                                            GError           **error);

JsonObject  *yun_messages_save             (YunMessages       *self,
                                            JsonObject        *message,
                                            GError           **error);
JsonObject  *yun_messages_get              (YunMessages       *self,
                                            const char        *id,
                                            GError           **error);
gboolean     yun_messages_remove           (YunMessages       *self,
                                            const char        *id,
                                            const char        *rev,
                                            GError           **error);
JsonArray   *yun_messages_list             (YunMessages       *self,
                                            const char        *thread,
                                            gint64             before,
                                            guint              limit,
                                            GError           **error);
JsonArray   *yun_messages_list_threads     (YunMessages       *self,
                                            guint              limit,
                                            GError           **error);
JsonObject  *yun_messages_mark_read        (YunMessages       *self,
                                            const char        *id,
                                            GError           **error);
guint        yun_messages_mark_thread_read (YunMessages       *self,
                                            const char        *thread,
                                            GError           **error);

G_END_DECLS
