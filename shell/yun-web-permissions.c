/* yun-web-permissions.c: WebKit's permission requests, answered by the gate.
 *
 * The standard web APIs that need a permission (geolocation, notifications,
 * the camera through getUserMedia) ask WebKit, and WebKit asks the shell.
 * They go through the same gate as navigator.yun: a permission the manifest
 * does not declare is refused without a prompt, a declared one is asked
 * once and remembered as the user says, and every request is logged.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-web-permissions.h"

static const struct {
  const char *web_name;
  const char *yun_name;
} names[] = {
  { "geolocation", "location" },
  { "camera", "camera" },
  { "notifications", "notifications" },
};

/**
 * yun_web_permissions_from_web_name:
 * @web_name: a Permissions API name, such as "geolocation"
 *
 * Returns: (nullable): the Yun permission behind it, such as "location",
 *   or %NULL when apps cannot have it
 */
const char *
yun_web_permissions_from_web_name (const char *web_name)
{
  for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
    if (g_strcmp0 (web_name, names[i].web_name) == 0)
      return names[i].yun_name;
  }
  return NULL;
}

/* The Yun permission a WebKit request is for, and the method name the
 * access log shows; %NULL for requests apps never get. */
static const char *
permission_for_request (WebKitPermissionRequest  *request,
                        const char              **method)
{
  if (WEBKIT_IS_GEOLOCATION_PERMISSION_REQUEST (request)) {
    *method = "navigator.geolocation";
    return "location";
  }
  if (WEBKIT_IS_NOTIFICATION_PERMISSION_REQUEST (request)) {
    *method = "Notification.requestPermission";
    return "notifications";
  }
  if (WEBKIT_IS_USER_MEDIA_PERMISSION_REQUEST (request)) {
    WebKitUserMediaPermissionRequest *media = WEBKIT_USER_MEDIA_PERMISSION_REQUEST (request);

    /* The camera alone: there is no microphone permission, and screen
     * capture is not for apps. */
    *method = "navigator.mediaDevices.getUserMedia";
    if (webkit_user_media_permission_is_for_video_device (media) &&
        !webkit_user_media_permission_is_for_audio_device (media) &&
        !webkit_user_media_permission_is_for_display_device (media))
      return "camera";
  }
  return NULL;
}

static void
on_checked (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(WebKitPermissionRequest) request = user_data;
  g_autoptr(GError) error = NULL;

  if (yun_permission_gate_check_finish (YUN_PERMISSION_GATE (source), result, &error)) {
    webkit_permission_request_allow (request);
  } else {
    g_debug ("permission refused: %s", error->message);
    webkit_permission_request_deny (request);
  }
}

/**
 * yun_web_permissions_handle:
 * @request: what a page asked WebKit for
 * @gate: the permission gate
 * @app_id: the app whose page asked
 * @manifest: the app's manifest
 * @cancellable: (nullable): cancelled when the page goes
 *
 * Answers @request through the gate: allowed only when the manifest
 * declares the permission and the user allows it.  Anything else a page
 * may ask WebKit for is denied.
 */
void
yun_web_permissions_handle (WebKitPermissionRequest *request,
                            YunPermissionGate       *gate,
                            const char              *app_id,
                            YunManifest             *manifest,
                            GCancellable            *cancellable)
{
  const char *method = NULL;
  const char *permission;

  g_return_if_fail (WEBKIT_IS_PERMISSION_REQUEST (request));
  g_return_if_fail (YUN_IS_PERMISSION_GATE (gate));

  permission = permission_for_request (request, &method);
  if (permission == NULL) {
    webkit_permission_request_deny (request);
    return;
  }
  yun_permission_gate_check_async (gate, app_id, manifest, permission, "read", method,
                                   cancellable, on_checked, g_object_ref (request));
}

/**
 * yun_web_permissions_seed:
 * @context: a new app's web context, before it has a web view
 * @gate: the permission gate
 * @app_id: the app
 * @manifest: its manifest
 *
 * Tells WebKit what the user already decided about notifications for the
 * app's origin, so that `Notification.permission` says so from the start.
 */
void
yun_web_permissions_seed (WebKitWebContext  *context,
                          YunPermissionGate *gate,
                          const char        *app_id,
                          YunManifest       *manifest)
{
  YunPermissionState state;
  g_autoptr(WebKitSecurityOrigin) origin = NULL;
  GList origins = { 0, };

  g_return_if_fail (WEBKIT_IS_WEB_CONTEXT (context));

  state = yun_permission_gate_query (gate, app_id, manifest, "notifications");
  if (state == YUN_PERMISSION_STATE_PROMPT)
    return;
  origin = webkit_security_origin_new_for_uri (yun_manifest_get_start_url (manifest));
  origins.data = origin;
  webkit_web_context_initialize_notification_permissions (
    context,
    state == YUN_PERMISSION_STATE_GRANTED ? &origins : NULL,
    state == YUN_PERMISSION_STATE_DENIED ? &origins : NULL);
}
