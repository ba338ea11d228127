/* yun-bridge.c: decodes, checks and dispatches calls from app pages.
 *
 * A call arrives as JSON text from the web process together with who sent
 * it, as the UI process knows it.  Every call gets exactly one reply, also
 * JSON: {"id", "result"} or {"id", "error": {"name", "message"}}, where name
 * is the DOMException name the page's Promise rejects with.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-bridge.h"

#include "yun-device-api.h"
#include "yun-scope.h"

struct _YunBridge
{
  GObject parent_instance;

  YunDevice *device;
};

G_DEFINE_FINAL_TYPE (YunBridge, yun_bridge, G_TYPE_OBJECT)

/* Every namespace's table; one line per namespace. */
static const YunBridgeMethod * const namespaces[] = {
  yun_device_api,
};

static const YunBridgeMethod *
find_method (const char *api,
             const char *method)
{
  for (guint i = 0; i < G_N_ELEMENTS (namespaces); i++) {
    for (const YunBridgeMethod *m = namespaces[i]; m->api != NULL; m++) {
      if (g_str_equal (m->api, api) && g_str_equal (m->method, method))
        return m;
    }
  }

  return NULL;
}

static char *
build_reply (gint64        id,
             JsonNode     *result,
             const GError *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  if (id >= 0)
    json_builder_add_int_value (builder, id);
  else
    json_builder_add_null_value (builder);

  if (error != NULL) {
    /* Messages may quote what the page sent, and the reply must be text
     * the web process can take as a string. */
    g_autofree char *message = g_utf8_make_valid (error->message, -1);

    json_builder_set_member_name (builder, "error");
    json_builder_begin_object (builder);
    json_builder_set_member_name (builder, "name");
    json_builder_add_string_value (builder, yun_bridge_error_name (error));
    json_builder_set_member_name (builder, "message");
    json_builder_add_string_value (builder, message);
    json_builder_end_object (builder);
  } else {
    json_builder_set_member_name (builder, "result");
    if (result != NULL)
      json_builder_add_value (builder, json_node_ref (result));
    else
      json_builder_add_null_value (builder);
  }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* No current method takes arguments; those that will are validated against
 * their table row here, before the handler runs. */
static gboolean
check_args (const YunBridgeMethod  *method,
            YunBridgeRequest       *request,
            GError                **error)
{
  JsonObjectIter iter;
  const char *name;

  json_object_iter_init (&iter, request->args);
  if (json_object_iter_next (&iter, &name, NULL)) {
    g_set_error (error, YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_DATA,
                 "%s.%s: unexpected argument \"%s\"", method->api, method->method, name);
    return FALSE;
  }

  return TRUE;
}

static void
on_method_ready (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  YunBridgeRequest *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) value = NULL;

  value = g_task_propagate_pointer (G_TASK (result), &error);
  g_task_return_pointer (task, build_reply (request->id, value, error), g_free);
}

static void
yun_bridge_dispose (GObject *object)
{
  YunBridge *self = YUN_BRIDGE (object);

  g_clear_object (&self->device);

  G_OBJECT_CLASS (yun_bridge_parent_class)->dispose (object);
}

static void
yun_bridge_class_init (YunBridgeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = yun_bridge_dispose;
}

static void
yun_bridge_init (YunBridge *self)
{
}

/**
 * yun_bridge_new:
 * @device: the device service device.* answers from
 *
 * Returns: (transfer full): a new bridge
 */
YunBridge *
yun_bridge_new (YunDevice *device)
{
  YunBridge *self;

  g_return_val_if_fail (YUN_IS_DEVICE (device), NULL);

  self = g_object_new (YUN_TYPE_BRIDGE, NULL);
  self->device = g_object_ref (device);

  return self;
}

/**
 * yun_bridge_get_device:
 * @self: a bridge
 *
 * Returns: (transfer none): the device service
 */
YunDevice *
yun_bridge_get_device (YunBridge *self)
{
  g_return_val_if_fail (YUN_IS_BRIDGE (self), NULL);
  return self->device;
}

/**
 * yun_bridge_call_async:
 * @self: a bridge
 * @caller: who is calling, from the UI process's own records
 * @data: (array length=length): the JSON text the page sent
 * @length: length of @data in bytes
 * @cancellable: (nullable): cancels the call, for example when the page goes
 * @callback: called with the reply
 * @user_data: data for @callback
 *
 * Handles one call.  The caller's document must be within its app's scope;
 * the request is decoded and its method and arguments checked before any
 * service runs.  Every failure becomes an error reply, not a #GError.
 */
void
yun_bridge_call_async (YunBridge             *self,
                       const YunBridgeCaller *caller,
                       const char            *data,
                       gsize                  length,
                       GCancellable          *cancellable,
                       GAsyncReadyCallback    callback,
                       gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) method_task = NULL;
  g_autoptr(YunBridgeRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  const YunBridgeMethod *method;

  g_return_if_fail (YUN_IS_BRIDGE (self));
  g_return_if_fail (caller != NULL && caller->app_id != NULL);
  g_return_if_fail (data != NULL || length == 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, yun_bridge_call_async);

  if (!yun_scope_contains (caller->scope, caller->document_uri)) {
    g_set_error (&error, YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_NOT_ALLOWED,
                 "this document is outside the scope of app \"%s\"", caller->app_id);
    g_task_return_pointer (task, build_reply (-1, NULL, error), g_free);
    return;
  }

  request = yun_bridge_request_parse (data, length, &error);
  if (request == NULL) {
    g_task_return_pointer (task, build_reply (-1, NULL, error), g_free);
    return;
  }

  method = find_method (request->api, request->method);
  if (method == NULL) {
    g_set_error (&error, YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_NOT_SUPPORTED,
                 "navigator.yun.%s.%s is not a method of this runtime",
                 request->api, request->method);
    g_task_return_pointer (task, build_reply (request->id, NULL, error), g_free);
    return;
  }

  if (!check_args (method, request, &error)) {
    g_task_return_pointer (task, build_reply (request->id, NULL, error), g_free);
    return;
  }

  method_task = g_task_new (self, cancellable, on_method_ready, g_object_ref (task));
  g_task_set_source_tag (method_task, method->handler);
  g_task_set_task_data (task, g_steal_pointer (&request),
                        (GDestroyNotify) yun_bridge_request_free);
  method->handler (self, caller->app_id, g_task_get_task_data (task), method_task);
}

/**
 * yun_bridge_call_finish:
 * @self: a bridge
 * @result: the result given to the callback
 * @error: return location for an error; only cancellation sets it
 *
 * Returns: (transfer full): the JSON reply to send to the page
 */
char *
yun_bridge_call_finish (YunBridge     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (YUN_IS_BRIDGE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
