/* yun-dev-window.c: the developer session's browser-like window.
 *
 * `yun-shell --dev URL|DIR` opens this window instead of the phone's.  It
 * holds the phone's own screen (status bar, app, prompts, navigation bar,
 * moved out of the phone window, which stays unshown) in a frame sized by
 * a device preset, so the app runs exactly as on the phone: same YunAppView,
 * same bridge, same permission prompts.  Around it: back, forward, reload,
 * a URL bar, the device presets with rotation and scale, the Web
 * Inspector, the emulation panel and the log of bridge calls.
 *
 * Which app a URL is: the manifest.json next to it (the URL's folder),
 * fetched like any hosted app's; the app id is that folder's name.  A DIR
 * is served by `yun-dev serve DIR` (a child process, live reload included)
 * and then opened by the URL it prints.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-dev-window.h"

#include "yun-app-id.h"
#include "yun-manifest.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

static const YunDevicePreset presets[] = {
  { "Phone 360×760", 360, 760 },
  { "Phone 393×852", 393, 852 },
  { "Phone 412×915", 412, 915 },
  { "Tablet 768×1024", 768, 1024 },
};

struct _YunDevWindow
{
  GtkApplicationWindow parent_instance;

  YunAppView *view;
  YunBridge *bridge;
  GtkWidget *screen;
  GtkWidget *fixed;
  GtkWidget *url_entry;
  GtkWidget *preset;
  GtkWidget *rotate;
  GtkWidget *scale;
  GtkWidget *inspector;
  /* What the current app's inspector did last: opened, attached, closed. */
  gboolean inspector_open;
  gboolean inspector_attached;
  YunEmulationPanel *emulation;
  YunBridgeLog *log;
  /* `yun-dev serve DIR` for --dev DIR */
  GSubprocess *server;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (YunDevWindow, yun_dev_window, GTK_TYPE_APPLICATION_WINDOW)

static WebKitWebView *
current_web_view (YunDevWindow *self)
{
  return self->view != NULL ? yun_app_view_get_web_view (self->view) : NULL;
}

static void
update_url (YunDevWindow *self)
{
  WebKitWebView *web_view = current_web_view (self);
  const char *uri = web_view != NULL ? webkit_web_view_get_uri (web_view) : NULL;

  /* Not while the developer types. */
  if (gtk_widget_has_focus (self->url_entry) ||
      gtk_widget_has_focus (gtk_widget_get_first_child (self->url_entry)))
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->url_entry), uri != NULL ? uri : "");
}

static void
on_uri_changed (WebKitWebView *web_view,
                GParamSpec    *pspec,
                YunDevWindow  *self)
{
  if (web_view == current_web_view (self))
    update_url (self);
}

static void
on_back_clicked (GtkButton    *button,
                 YunDevWindow *self)
{
  if (current_web_view (self) != NULL)
    webkit_web_view_go_back (current_web_view (self));
}

static void
on_forward_clicked (GtkButton    *button,
                    YunDevWindow *self)
{
  if (current_web_view (self) != NULL)
    webkit_web_view_go_forward (current_web_view (self));
}

static void
on_reload_clicked (GtkButton    *button,
                   YunDevWindow *self)
{
  if (current_web_view (self) != NULL)
    webkit_web_view_reload (current_web_view (self));
}

static void
on_inspector_toggled (GtkToggleButton *button,
                      GParamSpec      *pspec,
                      YunDevWindow    *self)
{
  WebKitWebInspector *inspector;

  if (current_web_view (self) == NULL)
    return;
  inspector = webkit_web_view_get_inspector (current_web_view (self));
  if (gtk_toggle_button_get_active (button))
    webkit_web_inspector_show (inspector);
  else if (self->inspector_open)
    webkit_web_inspector_close (inspector);
}

/* The inspector's own signals say where it went; WebKit still does the
 * work (FALSE: not handled here). */
static gboolean
on_inspector_open_window (WebKitWebInspector *inspector,
                          YunDevWindow       *self)
{
  self->inspector_open = TRUE;
  self->inspector_attached = FALSE;
  return FALSE;
}

static gboolean
on_inspector_attach (WebKitWebInspector *inspector,
                     YunDevWindow       *self)
{
  self->inspector_open = TRUE;
  self->inspector_attached = TRUE;
  return FALSE;
}

static gboolean
on_inspector_detach (WebKitWebInspector *inspector,
                     YunDevWindow       *self)
{
  self->inspector_attached = FALSE;
  return FALSE;
}

static void
on_inspector_closed (WebKitWebInspector *inspector,
                     YunDevWindow       *self)
{
  self->inspector_open = FALSE;
  self->inspector_attached = FALSE;
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->inspector), FALSE);
}

static void
follow_inspector (YunDevWindow  *self,
                  WebKitWebView *web_view)
{
  WebKitWebInspector *inspector = webkit_web_view_get_inspector (web_view);

  self->inspector_open = FALSE;
  self->inspector_attached = FALSE;
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->inspector), FALSE);
  g_signal_connect (inspector, "open-window", G_CALLBACK (on_inspector_open_window), self);
  g_signal_connect (inspector, "attach", G_CALLBACK (on_inspector_attach), self);
  g_signal_connect (inspector, "detach", G_CALLBACK (on_inspector_detach), self);
  g_signal_connect (inspector, "closed", G_CALLBACK (on_inspector_closed), self);
}

static void
forget_web_view (YunDevWindow  *self,
                 WebKitWebView *web_view)
{
  g_signal_handlers_disconnect_by_data (web_view, self);
  g_signal_handlers_disconnect_by_data (webkit_web_view_get_inspector (web_view), self);
}

static void
on_url_activated (GtkEntry     *entry,
                  YunDevWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  /* A bare host gets http://, as in a browser's location bar. */
  if (g_uri_peek_scheme (url) == NULL) {
    char *with_scheme = g_strconcat ("http://", url, NULL);

    g_free (url);
    url = with_scheme;
  }
  if (!yun_dev_window_navigate (self, url, &error))
    gtk_widget_error_bell (GTK_WIDGET (entry));
  gtk_widget_grab_focus (GTK_WIDGET (self->screen));
}

static void
apply_preset (YunDevWindow *self)
{
  guint index = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->preset));
  gboolean rotated = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->rotate));
  int scale = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->scale)) == 1 ? 2 : 1;

  yun_dev_window_set_preset (self, index, rotated, scale);
}

static void
on_preset_changed (GObject      *object,
                   GParamSpec   *pspec,
                   YunDevWindow *self)
{
  apply_preset (self);
}

static void
on_camera_source_changed (YunEmulationPanel *panel,
                          const char        *source,
                          YunDevWindow      *self)
{
  /* The application listens too and replaces the camera. */
  g_debug ("camera source: %s", source);
}

static gboolean
get_caller (YunBridgeCaller *caller,
            gpointer         user_data)
{
  YunDevWindow *self = user_data;

  if (self->view == NULL)
    return FALSE;
  caller->app_id = yun_app_view_get_app_id (self->view);
  caller->manifest = yun_app_view_get_manifest (self->view);
  caller->document_uri = webkit_web_view_get_uri (current_web_view (self));
  return caller->document_uri != NULL;
}

static GtkWidget *
icon_button (const char *icon,
             const char *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  return button;
}

static void
yun_dev_window_dispose (GObject *object)
{
  YunDevWindow *self = YUN_DEV_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->view != NULL)
    forget_web_view (self, yun_app_view_get_web_view (self->view));
  g_clear_object (&self->view);
  g_clear_object (&self->bridge);
  if (self->server != NULL)
    g_subprocess_send_signal (self->server, SIGTERM);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (yun_dev_window_parent_class)->dispose (object);
}

static void
yun_dev_window_class_init (YunDevWindowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = yun_dev_window_dispose;
}

static void
yun_dev_window_init (YunDevWindow *self)
{
  GtkWidget *header = gtk_header_bar_new ();
  GtkWidget *paned = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *frame_scroll = gtk_scrolled_window_new ();
  GtkWidget *button;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  self->cancellable = g_cancellable_new ();

  button = icon_button ("go-previous-symbolic", "Back");
  g_signal_connect (button, "clicked", G_CALLBACK (on_back_clicked), self);
  gtk_header_bar_pack_start (GTK_HEADER_BAR (header), button);
  button = icon_button ("go-next-symbolic", "Forward");
  g_signal_connect (button, "clicked", G_CALLBACK (on_forward_clicked), self);
  gtk_header_bar_pack_start (GTK_HEADER_BAR (header), button);
  button = icon_button ("view-refresh-symbolic", "Reload");
  g_signal_connect (button, "clicked", G_CALLBACK (on_reload_clicked), self);
  gtk_header_bar_pack_start (GTK_HEADER_BAR (header), button);

  self->url_entry = gtk_entry_new ();
  gtk_entry_set_input_purpose (GTK_ENTRY (self->url_entry), GTK_INPUT_PURPOSE_URL);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->url_entry), "App URL");
  gtk_widget_set_hexpand (self->url_entry, TRUE);
  gtk_widget_set_size_request (self->url_entry, 420, -1);
  g_signal_connect (self->url_entry, "activate", G_CALLBACK (on_url_activated), self);
  gtk_header_bar_set_title_widget (GTK_HEADER_BAR (header), self->url_entry);

  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    gtk_string_list_append (names, presets[i].name);
  self->preset = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL);
  gtk_widget_set_tooltip_text (self->preset, "Device");
  g_signal_connect (self->preset, "notify::selected", G_CALLBACK (on_preset_changed), self);
  self->rotate = gtk_toggle_button_new ();
  gtk_button_set_icon_name (GTK_BUTTON (self->rotate), "object-rotate-right-symbolic");
  gtk_widget_set_tooltip_text (self->rotate, "Rotate");
  g_signal_connect (self->rotate, "notify::active", G_CALLBACK (on_preset_changed), self);
  self->scale = gtk_drop_down_new_from_strings ((const char * const []) { "1×", "2×", NULL });
  gtk_widget_set_tooltip_text (self->scale, "Scale");
  g_signal_connect (self->scale, "notify::selected", G_CALLBACK (on_preset_changed), self);
  self->inspector = gtk_toggle_button_new ();
  gtk_button_set_icon_name (GTK_BUTTON (self->inspector), "system-search-symbolic");
  gtk_widget_set_tooltip_text (self->inspector, "Web Inspector");
  g_signal_connect (self->inspector, "notify::active", G_CALLBACK (on_inspector_toggled), self);
  gtk_header_bar_pack_end (GTK_HEADER_BAR (header), self->inspector);
  gtk_header_bar_pack_end (GTK_HEADER_BAR (header), self->scale);
  gtk_header_bar_pack_end (GTK_HEADER_BAR (header), self->rotate);
  gtk_header_bar_pack_end (GTK_HEADER_BAR (header), self->preset);
  gtk_window_set_titlebar (GTK_WINDOW (self), header);

  self->log = yun_bridge_log_new ();
  yun_bridge_log_set_caller_func (self->log, get_caller, self);
  gtk_widget_set_margin_start (GTK_WIDGET (self->log), 6);
  gtk_widget_set_margin_end (GTK_WIDGET (self->log), 6);

  self->fixed = gtk_fixed_new ();
  gtk_widget_set_halign (self->fixed, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (self->fixed, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->fixed, "view");
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (frame_scroll), self->fixed);
  gtk_widget_set_hexpand (frame_scroll, TRUE);
  gtk_widget_set_vexpand (frame_scroll, TRUE);

  gtk_box_append (GTK_BOX (paned), frame_scroll);
  gtk_box_append (GTK_BOX (paned), gtk_separator_new (GTK_ORIENTATION_VERTICAL));
  gtk_box_append (GTK_BOX (paned), GTK_WIDGET (self->log));
  gtk_window_set_child (GTK_WINDOW (self), paned);
  gtk_window_set_default_size (GTK_WINDOW (self), 1280, 900);
  gtk_window_set_title (GTK_WINDOW (self), YUN_RUNTIME_NAME " developer session");
}

/**
 * yun_dev_window_new:
 * @application: the shell application
 * @screen: the phone's screen, taken out of its window; shown in the
 *   device frame
 * @hub: the geolocation hub the emulation panel drives
 *
 * Returns: (transfer floating): the developer session's window
 */
YunDevWindow *
yun_dev_window_new (GtkApplication    *application,
                    GtkWidget         *screen,
                    YunGeolocationHub *hub)
{
  YunDevWindow *self;
  GtkWidget *paned;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (GTK_IS_WIDGET (screen) && gtk_widget_get_parent (screen) == NULL, NULL);
  g_return_val_if_fail (YUN_IS_GEOLOCATION_HUB (hub), NULL);

  self = g_object_new (YUN_TYPE_DEV_WINDOW, "application", application, NULL);
  self->screen = screen;
  gtk_fixed_put (GTK_FIXED (self->fixed), screen, 0, 0);
  self->emulation = yun_emulation_panel_new (hub);
  g_signal_connect (self->emulation, "camera-source-changed",
                    G_CALLBACK (on_camera_source_changed), self);
  paned = gtk_window_get_child (GTK_WINDOW (self));
  gtk_box_prepend (GTK_BOX (paned), gtk_separator_new (GTK_ORIENTATION_VERTICAL));
  gtk_box_prepend (GTK_BOX (paned), GTK_WIDGET (self->emulation));
  apply_preset (self);
  return self;
}

/**
 * yun_dev_window_get_presets:
 * @n_presets: (out): how many there are
 *
 * Returns: (transfer none) (array length=n_presets): the device presets
 */
const YunDevicePreset *
yun_dev_window_get_presets (guint *n_presets)
{
  *n_presets = G_N_ELEMENTS (presets);
  return presets;
}

/**
 * yun_dev_window_set_preset:
 * @self: the window
 * @preset: an index into yun_dev_window_get_presets()
 * @rotated: landscape instead of portrait
 * @scale: 1 or 2: how many screen pixels a CSS pixel takes
 *
 * Sizes the device frame the phone's screen sits in.
 */
void
yun_dev_window_set_preset (YunDevWindow *self,
                           guint         preset,
                           gboolean      rotated,
                           int           scale)
{
  int width, height;
  g_autoptr(GskTransform) transform = NULL;

  g_return_if_fail (YUN_IS_DEV_WINDOW (self));
  g_return_if_fail (preset < G_N_ELEMENTS (presets));
  g_return_if_fail (scale == 1 || scale == 2);

  width = rotated ? presets[preset].height : presets[preset].width;
  height = rotated ? presets[preset].width : presets[preset].height;
  if (self->screen == NULL)
    return;
  gtk_widget_set_size_request (self->screen, width, height);
  transform = gsk_transform_scale (NULL, scale, scale);
  gtk_fixed_set_child_transform (GTK_FIXED (self->fixed), self->screen, transform);
  gtk_widget_set_size_request (self->fixed, width * scale, height * scale);
  if (gtk_drop_down_get_selected (GTK_DROP_DOWN (self->preset)) != preset)
    gtk_drop_down_set_selected (GTK_DROP_DOWN (self->preset), preset);
}

/**
 * yun_dev_window_set_bridge:
 * @self: the window
 * @bridge: the bridge, once the shell made it
 *
 * The log starts recording and the emulation panel reaches the services.
 */
void
yun_dev_window_set_bridge (YunDevWindow *self,
                           YunBridge    *bridge)
{
  g_return_if_fail (YUN_IS_DEV_WINDOW (self));
  g_return_if_fail (YUN_IS_BRIDGE (bridge));

  g_set_object (&self->bridge, bridge);
  yun_bridge_log_set_bridge (self->log, bridge);
  yun_emulation_panel_set_bridge (self->emulation, bridge);
}

/**
 * yun_dev_window_set_app_view:
 * @self: the window
 * @view: the app now on the screen
 *
 * The URL bar, the inspector and the emulation panel follow this app.
 */
void
yun_dev_window_set_app_view (YunDevWindow *self,
                             YunAppView   *view)
{
  WebKitWebView *web_view;

  g_return_if_fail (YUN_IS_DEV_WINDOW (self));
  g_return_if_fail (YUN_IS_APP_VIEW (view));

  if (self->view == view)
    return;
  if (self->view != NULL)
    forget_web_view (self, yun_app_view_get_web_view (self->view));
  g_set_object (&self->view, view);
  web_view = yun_app_view_get_web_view (view);
  webkit_settings_set_enable_developer_extras (webkit_web_view_get_settings (web_view), TRUE);
  g_signal_connect (web_view, "notify::uri", G_CALLBACK (on_uri_changed), self);
  follow_inspector (self, web_view);
  yun_emulation_panel_set_app (self->emulation, yun_app_view_get_app_id (view),
                               yun_app_view_get_manifest (view), web_view);
  update_url (self);
}

/**
 * yun_dev_window_get_app_view:
 * @self: the window
 *
 * Returns: (transfer none) (nullable): the app on the screen
 */
YunAppView *
yun_dev_window_get_app_view (YunDevWindow *self)
{
  g_return_val_if_fail (YUN_IS_DEV_WINDOW (self), NULL);
  return self->view;
}

/**
 * yun_dev_window_navigate:
 * @self: the window
 * @url: an http, https or app URL
 * @error: where a bad URL or the lack of an app is reported
 *
 * Loads @url in the current app's view, as the URL bar does.  A page
 * outside the app's scope loads without the bridge, as on the phone.
 *
 * Returns: %TRUE when the load started
 */
gboolean
yun_dev_window_navigate (YunDevWindow  *self,
                         const char    *url,
                         GError       **error)
{
  g_autofree char *scheme = NULL;

  g_return_val_if_fail (YUN_IS_DEV_WINDOW (self), FALSE);
  g_return_val_if_fail (url != NULL, FALSE);

  if (!g_uri_is_valid (url, G_URI_FLAGS_NONE, NULL)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "“%s” is not a URL", url);
    return FALSE;
  }
  scheme = g_uri_parse_scheme (url);
  if (!g_strv_contains ((const char * const []) { "http", "https", "app", NULL }, scheme)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 "only http, https and app URLs open in the developer session, not “%s:”",
                 scheme);
    return FALSE;
  }
  if (self->view == NULL) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                         "no app is open yet");
    return FALSE;
  }
  webkit_web_view_load_uri (current_web_view (self), url);
  gtk_editable_set_text (GTK_EDITABLE (self->url_entry), url);
  return TRUE;
}

/**
 * yun_dev_window_get_emulation_panel:
 * @self: the window
 *
 * Returns: (transfer none): the emulation panel
 */
YunEmulationPanel *
yun_dev_window_get_emulation_panel (YunDevWindow *self)
{
  g_return_val_if_fail (YUN_IS_DEV_WINDOW (self), NULL);
  return self->emulation;
}

/**
 * yun_dev_window_get_bridge_log:
 * @self: the window
 *
 * Returns: (transfer none): the log of bridge calls
 */
YunBridgeLog *
yun_dev_window_get_bridge_log (YunDevWindow *self)
{
  g_return_val_if_fail (YUN_IS_DEV_WINDOW (self), NULL);
  return self->log;
}

/* Automation: org.yun.Shell1's Dev* methods. */

static gboolean
on_handle_dev_navigate (YunShell1             *automation,
                        GDBusMethodInvocation *invocation,
                        const char            *url,
                        YunDevWindow          *self)
{
  g_autoptr(GError) error = NULL;

  if (!yun_dev_window_navigate (self, url, &error))
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                           "%s", error->message);
  else
    yun_shell1_complete_dev_navigate (automation, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_dev_get_url (YunShell1             *automation,
                       GDBusMethodInvocation *invocation,
                       YunDevWindow          *self)
{
  WebKitWebView *web_view = current_web_view (self);
  const char *uri = web_view != NULL ? webkit_web_view_get_uri (web_view) : NULL;

  yun_shell1_complete_dev_get_url (automation, invocation, uri != NULL ? uri : "");
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_dev_set_location (YunShell1             *automation,
                            GDBusMethodInvocation *invocation,
                            double                 latitude,
                            double                 longitude,
                            YunDevWindow          *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *spec = NULL;
  char lat[G_ASCII_DTOSTR_BUF_SIZE];
  char lon[G_ASCII_DTOSTR_BUF_SIZE];

  if (!(latitude >= -90 && latitude <= 90 && longitude >= -180 && longitude <= 180)) {
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                           "a position wants a latitude from -90 to 90 and a "
                                           "longitude from -180 to 180");
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  }
  spec = g_strdup_printf ("fixed:%s,%s", g_ascii_dtostr (lat, sizeof lat, latitude),
                          g_ascii_dtostr (lon, sizeof lon, longitude));
  if (!yun_emulation_panel_set_location (self->emulation, spec, &error))
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                           "%s", error->message);
  else
    yun_shell1_complete_dev_set_location (automation, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_dev_set_offline (YunShell1             *automation,
                           GDBusMethodInvocation *invocation,
                           gboolean               offline,
                           YunDevWindow          *self)
{
  yun_emulation_panel_set_offline (self->emulation, offline);
  yun_shell1_complete_dev_set_offline (automation, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_dev_get_bridge_log (YunShell1             *automation,
                              GDBusMethodInvocation *invocation,
                              YunDevWindow          *self)
{
  g_autofree char *json = yun_bridge_log_to_json (self->log);

  yun_shell1_complete_dev_get_bridge_log (automation, invocation, json);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_log_saved (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  g_autoptr(GError) error = NULL;

  if (!yun_bridge_log_save_finish (YUN_BRIDGE_LOG (source), result, &error))
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_FAILED,
                                           "%s", error->message);
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static gboolean
on_handle_dev_save_bridge_log (YunShell1             *automation,
                               GDBusMethodInvocation *invocation,
                               const char            *path,
                               YunDevWindow          *self)
{
  yun_bridge_log_save_async (self->log, path, self->cancellable, on_log_saved,
                             g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_log_replayed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *report = yun_bridge_log_replay_finish (YUN_BRIDGE_LOG (source), result, &error);

  if (report == NULL)
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_FAILED,
                                           "%s", error->message);
  else
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(s)", report));
}

static gboolean
on_handle_dev_replay_bridge_log (YunShell1             *automation,
                                 GDBusMethodInvocation *invocation,
                                 const char            *path,
                                 YunDevWindow          *self)
{
  YunBridgeCaller caller = { NULL, NULL, NULL };

  if (!get_caller (&caller, self)) {
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_FAILED,
                                           "no app is open to replay the calls as");
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  }
  yun_bridge_log_replay_async (self->log, path, &caller, self->cancellable, on_log_replayed,
                               g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_dev_set_camera_source (YunShell1             *automation,
                                 GDBusMethodInvocation *invocation,
                                 const char            *source,
                                 YunDevWindow          *self)
{
  g_autoptr(GError) error = NULL;

  if (!yun_emulation_panel_set_camera_source (self->emulation, source, &error))
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                           "%s", error->message);
  else
    yun_shell1_complete_dev_set_camera_source (automation, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_contacts_imported (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) summary = yun_emulation_panel_import_contacts_finish (
    YUN_EMULATION_PANEL (source), result, &error);

  if (summary == NULL)
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_FAILED,
                                           "%s", error->message);
  else
    g_dbus_method_invocation_return_value (
      invocation, g_variant_new ("(u)", (guint) json_object_get_int_member (summary, "imported")));
}

static gboolean
on_handle_dev_import_contacts (YunShell1             *automation,
                               GDBusMethodInvocation *invocation,
                               const char            *path,
                               YunDevWindow          *self)
{
  yun_emulation_panel_import_contacts_async (self->emulation, path, self->cancellable,
                                             on_contacts_imported, g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_dev_set_permission (YunShell1             *automation,
                              GDBusMethodInvocation *invocation,
                              const char            *permission,
                              const char            *state,
                              YunDevWindow          *self)
{
  g_autoptr(GError) error = NULL;

  if (!yun_emulation_panel_set_permission (self->emulation, permission, state, &error))
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                           "%s", error->message);
  else
    yun_shell1_complete_dev_set_permission (automation, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_dev_set_device (YunShell1             *automation,
                          GDBusMethodInvocation *invocation,
                          guint                  preset,
                          gboolean               rotated,
                          guint                  scale,
                          YunDevWindow          *self)
{
  if (preset >= G_N_ELEMENTS (presets) || (scale != 1 && scale != 2)) {
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                           "there are %u presets and the scales 1 and 2",
                                           (guint) G_N_ELEMENTS (presets));
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  }
  /* The menus and the button, as the developer would; each applies. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->preset), preset);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->rotate), rotated);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->scale), scale == 2 ? 1 : 0);
  yun_shell1_complete_dev_set_device (automation, invocation,
                                      rotated ? presets[preset].height : presets[preset].width,
                                      rotated ? presets[preset].width : presets[preset].height);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_dev_set_inspector (YunShell1             *automation,
                             GDBusMethodInvocation *invocation,
                             gboolean               shown,
                             YunDevWindow          *self)
{
  if (current_web_view (self) == NULL) {
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_FAILED,
                                           "no app is open to inspect");
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  }
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->inspector), shown);
  yun_shell1_complete_dev_set_inspector (automation, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_dev_get_inspector (YunShell1             *automation,
                             GDBusMethodInvocation *invocation,
                             YunDevWindow          *self)
{
  WebKitWebView *web_view = current_web_view (self);
  WebKitWebInspector *inspector = web_view != NULL ? webkit_web_view_get_inspector (web_view)
                                                   : NULL;
  GtkWidget *inspector_view = inspector != NULL
                              ? GTK_WIDGET (webkit_web_inspector_get_web_view (inspector)) : NULL;
  gboolean open = self->inspector_open && inspector_view != NULL;

  yun_shell1_complete_dev_get_inspector (automation, invocation, open,
                                         open && self->inspector_attached,
                                         open && gtk_widget_get_mapped (inspector_view));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/**
 * yun_dev_window_connect_automation:
 * @self: the window
 * @automation: the shell's exported automation interface
 *
 * Answers the Dev* methods of org.yun.Shell1 from this window.
 */
void
yun_dev_window_connect_automation (YunDevWindow *self,
                                   YunShell1    *automation)
{
  g_return_if_fail (YUN_IS_DEV_WINDOW (self));
  g_return_if_fail (YUN_IS_SHELL1 (automation));

  g_signal_connect_object (automation, "handle-dev-navigate",
                           G_CALLBACK (on_handle_dev_navigate), self, 0);
  g_signal_connect_object (automation, "handle-dev-get-url",
                           G_CALLBACK (on_handle_dev_get_url), self, 0);
  g_signal_connect_object (automation, "handle-dev-set-location",
                           G_CALLBACK (on_handle_dev_set_location), self, 0);
  g_signal_connect_object (automation, "handle-dev-set-offline",
                           G_CALLBACK (on_handle_dev_set_offline), self, 0);
  g_signal_connect_object (automation, "handle-dev-get-bridge-log",
                           G_CALLBACK (on_handle_dev_get_bridge_log), self, 0);
  g_signal_connect_object (automation, "handle-dev-save-bridge-log",
                           G_CALLBACK (on_handle_dev_save_bridge_log), self, 0);
  g_signal_connect_object (automation, "handle-dev-replay-bridge-log",
                           G_CALLBACK (on_handle_dev_replay_bridge_log), self, 0);
  g_signal_connect_object (automation, "handle-dev-set-camera-source",
                           G_CALLBACK (on_handle_dev_set_camera_source), self, 0);
  g_signal_connect_object (automation, "handle-dev-import-contacts",
                           G_CALLBACK (on_handle_dev_import_contacts), self, 0);
  g_signal_connect_object (automation, "handle-dev-set-permission",
                           G_CALLBACK (on_handle_dev_set_permission), self, 0);
  g_signal_connect_object (automation, "handle-dev-set-device",
                           G_CALLBACK (on_handle_dev_set_device), self, 0);
  g_signal_connect_object (automation, "handle-dev-set-inspector",
                           G_CALLBACK (on_handle_dev_set_inspector), self, 0);
  g_signal_connect_object (automation, "handle-dev-get-inspector",
                           G_CALLBACK (on_handle_dev_get_inspector), self, 0);
}

/* Finding the app a URL or a folder is. */

typedef struct {
  char *app_id;
  char *url;
  SoupSession *session;
} FindApp;

static void
find_app_free (FindApp *find)
{
  g_free (find->app_id);
  g_free (find->url);
  g_clear_object (&find->session);
  g_free (find);
}

/* The app id for a URL: its folder's name, made a valid id. */
static char *
app_id_for_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *path = NULL;
  g_autofree char *folder = NULL;
  char *slash;

  if (uri == NULL)
    return g_strdup ("dev-app");
  path = g_strdup (g_uri_get_path (uri));
  slash = strrchr (path, '/');
  if (slash != NULL)
    *slash = '\0';
  folder = g_path_get_basename (*path != '\0' ? path : "/");
  for (char *c = folder; *c != '\0'; c++) {
    *c = g_ascii_tolower (*c);
    if (!g_ascii_isalnum (*c) && *c != '.' && *c != '_' && *c != '-')
      *c = '-';
  }
  if (!yun_app_id_is_valid (folder))
    return g_strdup ("dev-app");
  return g_steal_pointer (&folder);
}

static void
on_dev_manifest_ready (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  YunManifest *manifest = yun_manifest_fetch_finish (result, &error);

  if (manifest == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, manifest, g_object_unref);
}

static void
fetch_manifest (GTask *task)
{
  FindApp *find = g_task_get_task_data (task);
  g_autofree char *manifest_url = NULL;
  GError *error = NULL;

  manifest_url = g_uri_resolve_relative (find->url, "manifest.json", G_URI_FLAGS_NONE, &error);
  if (manifest_url == NULL) {
    g_task_return_error (task, error);
    g_object_unref (task);
    return;
  }
  find->app_id = app_id_for_url (manifest_url);
  yun_manifest_fetch_async (find->session, manifest_url, g_task_get_cancellable (task),
                            on_dev_manifest_ready, task);
}

static char *
find_yun_dev (void)
{
  const char *env = g_getenv ("YUN_DEV_BIN");
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = exe != NULL ? g_path_get_dirname (exe) : NULL;
  char *path;

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  if (dir != NULL) {
    path = g_build_filename (dir, "yun-dev", NULL);
    if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
      return path;
    g_free (path);
    /* Run from the build tree. */
    path = g_build_filename (dir, "..", "packaging", "yun-dev", NULL);
    if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
      return path;
    g_free (path);
  }
  return g_find_program_in_path ("yun-dev");
}

/* The server goes with the shell, even when the shell is killed. */
static void
die_with_shell (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
on_server_line (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FindApp *find = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source),
                                                                   result, NULL, &error);

  if (line == NULL) {
    if (error == NULL)
      error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                   "yun-dev serve stopped before it gave its URL "
                                   "(see its message above)");
    g_task_return_error (task, error);
    return;
  }
  if (!g_str_has_prefix (line, "http://")) {
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                             "yun-dev serve said “%s” instead of its URL", line);
    return;
  }
  find->url = g_steal_pointer (&line);
  fetch_manifest (g_steal_pointer (&task));
}

/**
 * yun_dev_window_find_app_async:
 * @self: the window
 * @session: the session to fetch the manifest with
 * @target: an http(s) URL of a page of the app, or a folder holding an
 *   app's manifest.json (served with `yun-dev serve`, which the window
 *   keeps running)
 * @cancellable: (nullable): stops the search
 * @callback: called with the app
 * @user_data: data for @callback
 *
 * Finds which app @target is: the manifest.json in the URL's folder.
 */
void
yun_dev_window_find_app_async (YunDevWindow        *self,
                               SoupSession         *session,
                               const char          *target,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  FindApp *find;

  g_return_if_fail (YUN_IS_DEV_WINDOW (self));
  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (target != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, yun_dev_window_find_app_async);
  find = g_new0 (FindApp, 1);
  find->session = g_object_ref (session);
  g_task_set_task_data (task, find, (GDestroyNotify) find_app_free);

  if (g_str_has_prefix (target, "http://") || g_str_has_prefix (target, "https://")) {
    find->url = g_strdup (target);
    fetch_manifest (g_steal_pointer (&task));
    return;
  }

  if (g_file_test (target, G_FILE_TEST_IS_DIR)) {
    g_autofree char *yun_dev = find_yun_dev ();
    g_autoptr(GSubprocessLauncher) launcher = NULL;
    g_autoptr(GDataInputStream) lines = NULL;
    GError *error = NULL;

    if (yun_dev == NULL) {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               "cannot find yun-dev to serve %s; install it or set YUN_DEV_BIN",
                               target);
      return;
    }
    if (self->server != NULL) {
      g_subprocess_send_signal (self->server, SIGTERM);
      g_clear_object (&self->server);
    }
    launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
    g_subprocess_launcher_set_child_setup (launcher, die_with_shell, NULL, NULL);
    self->server = g_subprocess_launcher_spawn (launcher, &error, yun_dev, "serve", target,
                                                "--port", "0", NULL);
    if (self->server == NULL) {
      g_task_return_error (task, error);
      return;
    }
    lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->server));
    g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, cancellable, on_server_line,
                                         g_steal_pointer (&task));
    return;
  }

  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "“%s” is neither an http(s) URL nor a folder", target);
}

/**
 * yun_dev_window_find_app_finish:
 * @self: the window
 * @result: the result given to the callback
 * @app_id: (out) (transfer full): the app's id: its folder's name
 * @url: (out) (transfer full): the page to open
 * @error: where a missing or invalid manifest is reported
 *
 * Returns: (transfer full) (nullable): the app's manifest
 */
YunManifest *
yun_dev_window_find_app_finish (YunDevWindow  *self,
                                GAsyncResult  *result,
                                char         **app_id,
                                char         **url,
                                GError       **error)
{
  FindApp *find;
  YunManifest *manifest;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  manifest = g_task_propagate_pointer (G_TASK (result), error);
  if (manifest == NULL)
    return NULL;
  find = g_task_get_task_data (G_TASK (result));
  *app_id = g_strdup (find->app_id);
  *url = g_strdup (find->url);
  return manifest;
}
