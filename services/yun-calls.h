/* yun-calls.h: the call history, on the personal document store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "yun-personal-data.h"
#include "yun-personal-index.h"

G_BEGIN_DECLS

/* The longest number, in bytes, and the longest call, in seconds. */
#define YUN_CALLS_MAX_NUMBER   64
#define YUN_CALLS_MAX_DURATION (7 * 24 * 60 * 60)

/**
 * YunCalls:
 *
 * Calls made, received and missed: documents of the "calls" database of
 * the personal store.
 *
 * |[
 * {"id", "rev", "number": "+34 600 123 456", "direction": "in",
 *  "duration": 95, "time": 1700000000000}
 * ]|
 *
 * "number" and "direction" ("in", "out" or "missed") are required;
 * "duration" (whole seconds) defaults to absent and "time" (milliseconds)
 * to now.  Anything else is refused with %YUN_PERSONAL_DATA_ERROR_INVALID
 * naming the field (`call.direction:`).
 *
 * Calls are synchronous and thread-safe; they block on disk.
 */
#define YUN_TYPE_CALLS (yun_calls_get_type ())
G_DECLARE_FINAL_TYPE (YunCalls, yun_calls, YUN, CALLS, GObject)

YunCalls   *yun_calls_new    (YunPersonalIndex  *index,
                              GError           **error);

JsonObject *yun_calls_save   (YunCalls          *self,
                              JsonObject        *call,
                              GError           **error);
JsonObject *yun_calls_get    (YunCalls          *self,
                              const char        *id,
                              GError           **error);
gboolean    yun_calls_remove (YunCalls          *self,
                              const char        *id,
                              const char        *rev,
                              GError           **error);
JsonArray  *yun_calls_list   (YunCalls          *self,
                              gint64             before,
                              guint              limit,
                              GError           **error);

G_END_DECLS
