/* yun-bridge.c: decodes, checks and dispatches calls from app pages.
 *
 * A call arrives as JSON text from the web process together with who sent
 * it, as the UI process knows it.  In order: the document must be within
 * its app's scope; the envelope must decode; the method must be declared in
 * the schema; its arguments must match their declaration; its permission
 * must pass the gate.  Only then does a handler run.  Every call gets
 * exactly one reply, also JSON: {"id", "result"} or
 * {"id", "error": {"name", "message"}}, where name is the DOMException name
 * the page's Promise rejects with.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-bridge.h"

#include "yun-apps-api.h"
#include "yun-bridge-schema.h"
#include "yun-calls-api.h"
#include "yun-camera-api.h"
#include "yun-contact-picker-api.h"
#include "yun-contacts-api.h"
#include "yun-device-api.h"
#include "yun-messages-api.h"
#include "yun-notes-api.h"
#include "yun-photos-api.h"
#include "yun-permissions-api.h"
#include "yun-runtime-api.h"
#include "yun-share-api.h"
#include "yun-web-share-api.h"
#include "yun-sync-api.h"
#include "yun-scope.h"

struct _YunBridge
{
  GObject parent_instance;

  YunDevice *device;
  YunPermissionGate *gate;
  YunDocStore *personal;
  /* name → GObject: the services the namespaces call (contacts, …) */
  GHashTable *services;
  YunBlobGrants *blobs;
};

G_DEFINE_FINAL_TYPE (YunBridge, yun_bridge, G_TYPE_OBJECT)

enum {
  CALL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Every namespace's handler table; one line per namespace. */
static const YunBridgeMethod * const namespaces[] = {
  yun_runtime_api,
  yun_device_api,
  yun_notes_api,
  yun_permissions_api,
  yun_contacts_api,
  yun_messages_api,
  yun_calls_api,
  yun_photos_api,
  yun_camera_api,
  yun_contact_picker_api,
  yun_sync_api,
  yun_share_api,
  yun_web_share_api,
  yun_apps_api,
};

/* One call in flight, from the moment it decoded until it is answered:
 * what its handler may read, and where the reply goes. */
struct _YunBridgeCall
{
  YunBridge *bridge;
  char *app_id;
  YunManifest *manifest;
  char *document_uri;
  YunBridgeRequest *request;
  const YunBridgeMethod *handler;
  GCancellable *cancellable;
  YunBridgeReplyFunc reply_func;
  gpointer user_data;
};

static void
call_free (YunBridgeCall *call)
{
  g_object_unref (call->bridge);
  g_free (call->app_id);
  g_clear_object (&call->manifest);
  g_free (call->document_uri);
  g_clear_pointer (&call->request, yun_bridge_request_free);
  g_clear_object (&call->cancellable);
  g_free (call);
}

static const YunBridgeMethod *
find_handler (const char *api,
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

/* The schema and the handler tables must name the same methods; a
 * mismatch is a bug in this file or in schema/yun-api.json. */
static void
check_tables (void)
{
  YunBridgeSchema *schema = yun_bridge_schema_get_default ();
  g_autoptr(GPtrArray) declared = yun_bridge_schema_get_methods (schema);

  for (guint i = 0; i < declared->len; i++) {
    const YunBridgeSchemaMethod *method = g_ptr_array_index (declared, i);

    if (find_handler (method->api, method->method) == NULL)
      g_critical ("%s.%s is declared in the schema but has no handler",
                  method->api, method->method);
  }

  for (guint i = 0; i < G_N_ELEMENTS (namespaces); i++) {
    for (const YunBridgeMethod *m = namespaces[i]; m->api != NULL; m++) {
      if (yun_bridge_schema_lookup (schema, m->api, m->method) == NULL)
        g_critical ("%s.%s has a handler but is not declared in the schema", m->api, m->method);
    }
  }
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

/* Replies before a call could be made: the reply goes out at once. */
static void
reply_early (YunBridgeReplyFunc  reply_func,
             gpointer            user_data,
             gint64              id,
             const GError       *error)
{
  reply_func (build_reply (id, NULL, error), user_data);
}

/* Answers @call and frees it; a call cancelled before its answer gets a
 * %NULL reply, since the page that asked has gone. */
static void
call_reply (YunBridgeCall *call,
            JsonNode      *value,
            const GError  *error)
{
  if (g_cancellable_is_cancelled (call->cancellable))
    call->reply_func (NULL, call->user_data);
  else
    call->reply_func (build_reply (call->request->id, value, error), call->user_data);
  call_free (call);
}

/**
 * yun_bridge_call_return_value:
 * @call: a call being handled
 * @value: (transfer full): the result
 *
 * Answers @call with a result.  @call is gone afterwards.
 */
void
yun_bridge_call_return_value (YunBridgeCall *call,
                              JsonNode      *value)
{
  g_autoptr(JsonNode) owned = value;

  g_return_if_fail (call != NULL);
  call_reply (call, owned, NULL);
}

/**
 * yun_bridge_call_return_error:
 * @call: a call being handled
 * @error: (transfer full): why it failed, usually a #YunBridgeError
 *
 * Answers @call with an error.  @call is gone afterwards.
 */
void
yun_bridge_call_return_error (YunBridgeCall *call,
                              GError        *error)
{
  g_autoptr(GError) owned = error;

  g_return_if_fail (call != NULL && error != NULL);
  call_reply (call, NULL, owned);
}

/**
 * yun_bridge_call_get_cancellable:
 * @call: a call being handled
 *
 * Returns: (transfer none): cancelled when the page that asked goes away
 */
GCancellable *
yun_bridge_call_get_cancellable (YunBridgeCall *call)
{
  g_return_val_if_fail (call != NULL, NULL);
  return call->cancellable;
}

static void
run_handler (YunBridgeCall *call)
{
  YunBridgeCaller caller = {
    .app_id = call->app_id,
    .manifest = call->manifest,
    .document_uri = call->document_uri,
  };

  call->handler->handler (call->bridge, &caller, call->request, call);
}

static void
on_permission_checked (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  YunBridgeCall *call = user_data;
  GError *error = NULL;

  if (!yun_permission_gate_check_finish (YUN_PERMISSION_GATE (source), result, &error))
    yun_bridge_call_return_error (call, error);
  else
    run_handler (call);
}

/* A call someone watches (the developer session's log): what the page
 * sent, when, and where the reply goes after the watchers saw it. */
typedef struct {
  YunBridge *bridge;
  char *app_id;
  char *request;
  gint64 start;
  YunBridgeReplyFunc reply_func;
  gpointer user_data;
} Observed;

static void
on_observed_reply (char     *reply,
                   gpointer  user_data)
{
  Observed *observed = user_data;

  g_signal_emit (observed->bridge, signals[CALL_FINISHED], 0, observed->app_id, observed->request,
                 reply, g_get_monotonic_time () - observed->start);
  observed->reply_func (reply, observed->user_data);
  g_object_unref (observed->bridge);
  g_free (observed->app_id);
  g_free (observed->request);
  g_free (observed);
}

static void
yun_bridge_dispose (GObject *object)
{
  YunBridge *self = YUN_BRIDGE (object);

  g_clear_object (&self->device);
  g_clear_object (&self->gate);
  g_clear_object (&self->personal);
  g_clear_pointer (&self->services, g_hash_table_unref);
  g_clear_object (&self->blobs);

  G_OBJECT_CLASS (yun_bridge_parent_class)->dispose (object);
}

static void
yun_bridge_class_init (YunBridgeClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = yun_bridge_dispose;
  check_tables ();

  /**
   * YunBridge::call-finished:
   * @bridge: the bridge
   * @app_id: the app that called
   * @request: the JSON text the page sent
   * @reply: (nullable): the JSON reply, or %NULL when the page went away
   *   before the answer
   * @duration_us: from the call's arrival to its reply, in microseconds
   *
   * Emitted for every call once it is answered, just before the reply
   * goes to the page.  Calls cost nothing extra while nobody listens.
   */
  signals[CALL_FINISHED] =
    g_signal_new ("call-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_INT64);
}

static void
yun_bridge_init (YunBridge *self)
{
  self->services = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->blobs = yun_blob_grants_new ();
}

/**
 * yun_bridge_new:
 * @device: the device service device.* answers from
 * @gate: the permission gate every gated method passes
 *
 * Returns: (transfer full): a new bridge
 */
YunBridge *
yun_bridge_new (YunDevice         *device,
                YunPermissionGate *gate)
{
  YunBridge *self;

  g_return_val_if_fail (YUN_IS_DEVICE (device), NULL);
  g_return_val_if_fail (YUN_IS_PERMISSION_GATE (gate), NULL);

  self = g_object_new (YUN_TYPE_BRIDGE, NULL);
  self->device = g_object_ref (device);
  self->gate = g_object_ref (gate);

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
 * yun_bridge_get_gate:
 * @self: a bridge
 *
 * Returns: (transfer none): the permission gate
 */
YunPermissionGate *
yun_bridge_get_gate (YunBridge *self)
{
  g_return_val_if_fail (YUN_IS_BRIDGE (self), NULL);
  return self->gate;
}

/**
 * yun_bridge_set_personal_store:
 * @self: a bridge
 * @store: (nullable): the user's document store of personal data
 *
 * Gives the bridge the store that notes.* and the other personal-data
 * namespaces read and write; without one they answer InvalidStateError.
 */
void
yun_bridge_set_personal_store (YunBridge   *self,
                               YunDocStore *store)
{
  g_return_if_fail (YUN_IS_BRIDGE (self));
  g_return_if_fail (store == NULL || YUN_IS_DOC_STORE (store));

  g_set_object (&self->personal, store);
}

/**
 * yun_bridge_get_personal_store:
 * @self: a bridge
 *
 * Returns: (transfer none) (nullable): the store of personal data
 */
YunDocStore *
yun_bridge_get_personal_store (YunBridge *self)
{
  g_return_val_if_fail (YUN_IS_BRIDGE (self), NULL);
  return self->personal;
}

/**
 * yun_bridge_set_service:
 * @self: a bridge
 * @name: the service's name: "contacts", "messages", "calls", "photos",
 *   "camera"
 * @service: (nullable): the service; %NULL takes it away
 *
 * Gives the bridge a service a namespace calls.  A namespace whose
 * service is missing answers InvalidStateError.
 */
void
yun_bridge_set_service (YunBridge  *self,
                        const char *name,
                        gpointer    service)
{
  g_return_if_fail (YUN_IS_BRIDGE (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (service == NULL || G_IS_OBJECT (service));

  if (service == NULL)
    g_hash_table_remove (self->services, name);
  else
    g_hash_table_replace (self->services, g_strdup (name), g_object_ref (service));
}

/**
 * yun_bridge_get_service:
 * @self: a bridge
 * @name: a service's name
 *
 * Returns: (transfer none) (nullable): the service
 */
gpointer
yun_bridge_get_service (YunBridge  *self,
                        const char *name)
{
  g_return_val_if_fail (YUN_IS_BRIDGE (self), NULL);
  return g_hash_table_lookup (self->services, name);
}

/**
 * yun_bridge_get_blob_grants:
 * @self: a bridge
 *
 * Returns: (transfer none): the URLs of binary results each app was given
 */
YunBlobGrants *
yun_bridge_get_blob_grants (YunBridge *self)
{
  g_return_val_if_fail (YUN_IS_BRIDGE (self), NULL);
  return self->blobs;
}

/**
 * yun_bridge_handle:
 * @self: a bridge
 * @caller: who is calling, from the UI process's own records; copied
 * @data: (array length=length): the JSON text the page sent
 * @length: length of @data in bytes
 * @cancellable: (nullable): cancelled when the page goes away
 * @reply_func: receives the reply, exactly once
 * @user_data: data for @reply_func
 *
 * Handles one call.  Every failure becomes an error reply.  Methods that
 * can answer at once do, before this function returns: a bridge call is on
 * the path of every page's round trip, so it does not wait for another
 * main-loop iteration it does not need.
 */
void
yun_bridge_handle (YunBridge             *self,
                   const YunBridgeCaller *caller,
                   const char            *data,
                   gsize                  length,
                   GCancellable          *cancellable,
                   YunBridgeReplyFunc     reply_func,
                   gpointer               user_data)
{
  YunBridgeSchema *schema = yun_bridge_schema_get_default ();
  g_autoptr(GError) error = NULL;
  const YunBridgeSchemaMethod *declared;
  const YunBridgeMethod *handler;
  YunBridgeRequest *request;
  YunBridgeCall *call;

  g_return_if_fail (YUN_IS_BRIDGE (self));
  g_return_if_fail (caller != NULL && caller->app_id != NULL && YUN_IS_MANIFEST (caller->manifest));
  g_return_if_fail (data != NULL || length == 0);
  g_return_if_fail (reply_func != NULL);

  if (G_UNLIKELY (g_signal_has_handler_pending (self, signals[CALL_FINISHED], 0, FALSE))) {
    Observed *observed = g_new0 (Observed, 1);

    observed->bridge = g_object_ref (self);
    observed->app_id = g_strdup (caller->app_id);
    observed->request = g_strndup (data != NULL ? data : "", length);
    observed->start = g_get_monotonic_time ();
    observed->reply_func = reply_func;
    observed->user_data = user_data;
    reply_func = on_observed_reply;
    user_data = observed;
  }

  if (!yun_scope_contains (yun_manifest_get_scope (caller->manifest), caller->document_uri)) {
    g_set_error (&error, YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_NOT_ALLOWED,
                 "this document is outside the scope of app \"%s\"", caller->app_id);
    reply_early (reply_func, user_data, -1, error);
    return;
  }

  request = yun_bridge_request_parse (data, length, &error);
  if (request == NULL) {
    reply_early (reply_func, user_data, -1, error);
    return;
  }

  declared = yun_bridge_schema_lookup (schema, request->api, request->method);
  handler = find_handler (request->api, request->method);
  if (declared == NULL || handler == NULL) {
    g_set_error (&error, YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_NOT_SUPPORTED,
                 "navigator.yun.%s.%s is not a method of this runtime",
                 request->api, request->method);
    reply_early (reply_func, user_data, request->id, error);
    yun_bridge_request_free (request);
    return;
  }

  if (!yun_bridge_schema_validate_args (schema, declared, request->args, &error)) {
    reply_early (reply_func, user_data, request->id, error);
    yun_bridge_request_free (request);
    return;
  }

  call = g_new0 (YunBridgeCall, 1);
  call->bridge = g_object_ref (self);
  call->app_id = g_strdup (caller->app_id);
  call->manifest = g_object_ref (caller->manifest);
  call->document_uri = g_strdup (caller->document_uri);
  call->request = request;
  call->handler = handler;
  call->cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  call->reply_func = reply_func;
  call->user_data = user_data;

  if (declared->permission != NULL) {
    g_autofree char *name = g_strconcat (declared->api, ".", declared->method, NULL);

    yun_permission_gate_check_async (self->gate, call->app_id, call->manifest,
                                     declared->permission, declared->access, name,
                                     call->cancellable, on_permission_checked, call);
    return;
  }

  run_handler (call);
}
