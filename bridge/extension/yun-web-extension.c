/* yun-web-extension.c: the web-process half of the bridge.
 *
 * A script message handler in the default world is reachable from every
 * frame, cross-origin and srcdoc iframes included, and does not say which
 * frame spoke.  So the bridge does not use one: this extension installs
 * navigator.yun itself, only in the main frame and only while that frame
 * shows a document inside the app's scope, and forwards calls to the UI
 * process as WebKitUserMessages from the page.  Frames never get the
 * native function, so they have nothing to call.
 *
 * The UI process starts one web context per app and tells this extension
 * which app it serves in the initialization data: (app id, scope).
 *
 * A same-origin frame (a plain srcdoc or about:blank one included) has no
 * navigator.yun of its own, but it can still call the top frame's through
 * parent, top or frameElement, and nothing tells send() which realm a
 * call came from.  Removing the frame is not enough either: a function it
 * left behind in the top frame (an event listener, a timer) can still
 * call the bridge.  So from the moment a frame whose document shares the
 * top document's origin gets a window object (before its first script
 * runs), send() refuses every call with a SecurityError, until the top
 * document is replaced.  Sandboxed frames without allow-same-origin have
 * an opaque origin and do not count.  The shell turns WebKit's
 * back-forward cache off, so a document never comes back to a page whose
 * state here belongs to another.
 *
 * Events go the other way: the UI process sends the page a "yun.event"
 * message (namespace, type, detail as JSON), and the dispatch function
 * yun.js returned for the current document delivers it.  A document out
 * of scope has no dispatch function, so it gets nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <webkit/webkit-web-process-extension.h>

#include "yun-bridge-request.h"
#include "yun-scope.h"

#include <string.h>

static char *app_scope;

/* The page's data: the current document's dispatch function from yun.js,
 * the origin of the top document that has the bridge, and the URI of the
 * first same-origin frame that document held, if any. */
#define DISPATCH_KEY "yun-dispatch"
#define ORIGIN_KEY "yun-origin"
#define TAINT_KEY "yun-same-origin-frame"
/* The main frame whose document has the bridge (WebKit deprecates asking
 * the page for it). */
#define FRAME_KEY "yun-frame"

/* The serialized origin of @frame's document, or NULL when it cannot be
 * read (which counts as the top document's origin: the bridge fails
 * closed). */
static char *
frame_origin (WebKitScriptWorld *world,
              WebKitFrame       *frame)
{
  g_autoptr(JSCContext) context = webkit_frame_get_js_context_for_script_world (frame, world);
  g_autoptr(JSCValue) origin = jsc_context_evaluate (context, "self.origin", -1);
  g_autoptr(JSCException) exception = jsc_context_get_exception (context);

  if (exception != NULL || !jsc_value_is_string (origin))
    return NULL;
  return jsc_value_to_string (origin);
}

static void
on_send_ready (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(JSCValue) callback = user_data;
  g_autoptr(WebKitUserMessage) reply = NULL;
  g_autoptr(JSCValue) ignored = NULL;
  const char *text = NULL;
  GVariant *parameters;

  reply = webkit_web_page_send_message_to_view_finish (WEBKIT_WEB_PAGE (source), result, NULL);
  if (reply != NULL) {
    parameters = webkit_user_message_get_parameters (reply);
    if (parameters != NULL && g_variant_is_of_type (parameters, G_VARIANT_TYPE_STRING))
      text = g_variant_get_string (parameters, NULL);
  }

  /* With no reply (the view went away) the callback gets null, which yun.js
   * turns into an InvalidStateError. */
  ignored = jsc_value_function_call (callback, G_TYPE_STRING, text, G_TYPE_NONE);
}

/* navigator.share() needs transient user activation.  yun.js checks it
 * first; this checks again in a script world of the extension's own, where
 * the page cannot have replaced navigator.userActivation.  An engine
 * without the User Activation API cannot tell, and the share sheet still
 * asks the user. */
static gboolean
has_user_activation (WebKitWebPage *page)
{
  static WebKitScriptWorld *world;
  WebKitFrame *frame = g_object_get_data (G_OBJECT (page), FRAME_KEY);
  g_autoptr(JSCContext) context = NULL;
  g_autoptr(JSCValue) active = NULL;

  if (frame == NULL)
    return FALSE;
  if (world == NULL)
    world = webkit_script_world_new ();
  context = webkit_frame_get_js_context_for_script_world (frame, world);
  active = jsc_context_evaluate (context,
                                 "typeof navigator.userActivation !== 'object' || "
                                 "navigator.userActivation.isActive === true", -1);
  return jsc_value_is_boolean (active) && jsc_value_to_boolean (active);
}

/* The native side of yun.js's send(): @api is the request's namespace, as
 * yun.js wrote it into @request.  Returns NULL when the request left for
 * the UI process, or why it was refused here: a DOMException name, a
 * newline, and the message. */
static char *
send_request (const char *api,
              const char *request,
              JSCValue   *callback,
              gpointer    user_data)
{
  GWeakRef *page_ref = user_data;
  g_autoptr(WebKitWebPage) page = g_weak_ref_get (page_ref);
  const char *frame_uri;
  WebKitUserMessage *message;

  if (page == NULL)
    return g_strdup ("InvalidStateError\nthe page is closing");
  if (request == NULL || !jsc_value_is_function (callback))
    return g_strdup ("DataError\nbad call to the bridge");

  frame_uri = g_object_get_data (G_OBJECT (page), TAINT_KEY);
  if (frame_uri != NULL)
    return g_strdup_printf ("SecurityError\nnavigator.yun is off in this document: it held a "
                            "same-origin frame (%s), which could call it; give frames "
                            "sandbox=\"allow-scripts\" without allow-same-origin, or use "
                            "another origin", frame_uri);

  /* The UI process checks the size again; this only saves copying a huge
   * string across processes to have it refused there. */
  if (strlen (request) > YUN_BRIDGE_MAX_REQUEST_BYTES)
    return g_strdup_printf ("DataError\nthe request is over the limit of %d bytes",
                            YUN_BRIDGE_MAX_REQUEST_BYTES);
  if (!g_utf8_validate (request, -1, NULL))
    return g_strdup ("DataError\nthe request is not valid Unicode text");
  if (g_strcmp0 (api, "webShare") == 0 && !has_user_activation (page))
    return g_strdup ("NotAllowedError\nneeds a user gesture, such as a tap");

  message = webkit_user_message_new ("yun.call", g_variant_new_string (request));
  webkit_web_page_send_message_to_view (page, message, NULL, on_send_ready,
                                        g_object_ref (callback));
  return NULL;
}

static void
free_page_ref (gpointer data)
{
  GWeakRef *page_ref = data;

  g_weak_ref_clear (page_ref);
  g_free (page_ref);
}

static void
install_api (WebKitScriptWorld *world,
             WebKitWebPage     *page,
             WebKitFrame       *frame)
{
  g_autoptr(JSCContext) context = webkit_frame_get_js_context_for_script_world (frame, world);
  g_autoptr(GBytes) source = NULL;
  g_autoptr(GBytes) schema = NULL;
  g_autoptr(JSCValue) factory = NULL;
  g_autoptr(JSCValue) send = NULL;
  g_autoptr(JSCValue) installed = NULL;
  g_autoptr(JSCException) exception = NULL;
  g_autofree char *schema_text = NULL;
  GWeakRef *page_ref;
  const char *code;
  gsize length;

  source = g_resources_lookup_data ("/org/yun/bridge/yun.js", G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  schema = g_resources_lookup_data ("/org/yun/bridge/yun-api.json", G_RESOURCE_LOOKUP_FLAGS_NONE,
                                    NULL);
  g_assert (source != NULL && schema != NULL);
  code = g_bytes_get_data (source, &length);
  schema_text = g_strndup (g_bytes_get_data (schema, NULL), g_bytes_get_size (schema));

  factory = jsc_context_evaluate_with_source_uri (context, code, (gssize) length,
                                                  "yun://bridge/yun.js", 1);
  page_ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (page_ref, page);
  send = jsc_value_new_function (context, NULL, G_CALLBACK (send_request),
                                 page_ref, free_page_ref,
                                 G_TYPE_STRING, 3, G_TYPE_STRING, G_TYPE_STRING,
                                 JSC_TYPE_VALUE);
  installed = jsc_value_function_call (factory, JSC_TYPE_VALUE, send, G_TYPE_STRING, schema_text,
                                       G_TYPE_NONE);

  exception = jsc_context_get_exception (context);
  if (exception != NULL)
    g_warning ("navigator.yun could not be installed: %s", jsc_exception_get_message (exception));
  else if (jsc_value_is_function (installed))
    g_object_set_data_full (G_OBJECT (page), DISPATCH_KEY, g_object_ref (installed),
                            g_object_unref);
}

/* A frame's window object exists: if its document shares the top
 * document's origin, the bridge is off for the rest of that document. */
static void
on_child_frame_cleared (WebKitScriptWorld *world,
                        WebKitWebPage     *page,
                        WebKitFrame       *frame)
{
  const char *top_origin = g_object_get_data (G_OBJECT (page), ORIGIN_KEY);
  g_autofree char *origin = NULL;

  if (top_origin == NULL || g_object_get_data (G_OBJECT (page), TAINT_KEY) != NULL)
    return;
  origin = frame_origin (world, frame);
  if (origin != NULL && !g_str_equal (origin, top_origin))
    return;
  g_object_set_data_full (G_OBJECT (page), TAINT_KEY, g_strdup (webkit_frame_get_uri (frame)),
                          g_free);
}

static void
on_window_object_cleared (WebKitScriptWorld *world,
                          WebKitWebPage     *page,
                          WebKitFrame       *frame,
                          gpointer           user_data)
{
  g_autofree char *top_origin = NULL;

  if (!webkit_frame_is_main_frame (frame)) {
    on_child_frame_cleared (world, page, frame);
    return;
  }
  /* A new document: the old one's events and frames end here. */
  g_object_set_data (G_OBJECT (page), DISPATCH_KEY, NULL);
  g_object_set_data (G_OBJECT (page), ORIGIN_KEY, NULL);
  g_object_set_data (G_OBJECT (page), TAINT_KEY, NULL);
  g_object_set_data (G_OBJECT (page), FRAME_KEY, NULL);
  if (!yun_scope_contains (app_scope, webkit_frame_get_uri (frame)))
    return;

  /* Read before any of the page's scripts can replace self.origin. */
  top_origin = frame_origin (world, frame);
  if (top_origin == NULL) {
    g_warning ("cannot read the origin of %s; no bridge", webkit_frame_get_uri (frame));
    return;
  }
  g_object_set_data_full (G_OBJECT (page), ORIGIN_KEY, g_steal_pointer (&top_origin), g_free);
  g_object_set_data_full (G_OBJECT (page), FRAME_KEY, g_object_ref (frame), g_object_unref);
  install_api (world, page, frame);
}

static gboolean
on_page_message (WebKitWebPage     *page,
                 WebKitUserMessage *message,
                 gpointer           user_data)
{
  GVariant *parameters = webkit_user_message_get_parameters (message);
  JSCValue *dispatch = g_object_get_data (G_OBJECT (page), DISPATCH_KEY);
  g_autoptr(JSCValue) ignored = NULL;
  const char *api, *type, *detail;

  if (g_strcmp0 (webkit_user_message_get_name (message), "yun.event") != 0)
    return FALSE;
  if (dispatch == NULL || parameters == NULL ||
      !g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(sss)")))
    return TRUE;

  g_variant_get (parameters, "(&s&s&s)", &api, &type, &detail);
  ignored = jsc_value_function_call (dispatch, G_TYPE_STRING, api, G_TYPE_STRING, type,
                                     G_TYPE_STRING, detail, G_TYPE_NONE);
  return TRUE;
}

static void
on_page_created (WebKitWebProcessExtension *extension,
                 WebKitWebPage             *page,
                 gpointer                   user_data)
{
  g_signal_connect (page, "user-message-received", G_CALLBACK (on_page_message), NULL);
}

G_MODULE_EXPORT void webkit_web_process_extension_initialize_with_user_data (WebKitWebProcessExtension *extension,
                                                                             const GVariant            *user_data);

G_MODULE_EXPORT void
webkit_web_process_extension_initialize_with_user_data (WebKitWebProcessExtension *extension,
                                                        const GVariant            *user_data)
{
  const char *app_id = NULL;

  if (user_data == NULL || !g_variant_is_of_type ((GVariant *) user_data, G_VARIANT_TYPE ("(ss)"))) {
    g_warning ("yun web-process extension started without (app id, scope); no bridge");
    return;
  }

  g_variant_get ((GVariant *) user_data, "(&ss)", &app_id, &app_scope);
  g_debug ("bridge for app %s, scope %s", app_id, app_scope);

  g_signal_connect (webkit_script_world_get_default (), "window-object-cleared",
                    G_CALLBACK (on_window_object_cleared), NULL);
  g_signal_connect (extension, "page-created", G_CALLBACK (on_page_created), NULL);
}
