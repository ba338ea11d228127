/* yun-shell-application.c: the yun-shell process.
 *
 * Owns the services and the bridge, opens apps from the cloud by id, and
 * with automation on exports org.yun.Shell1 so that tests and tools can
 * drive the real shell.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-shell-application.h"

#include <libsoup/soup.h>

#include "yun-app-installer.h"
#include "yun-app-view.h"
#include "yun-apps-host.h"
#include "yun-bridge.h"
#include "yun-camera-taker.h"
#include "yun-shell-dbus.h"
#include "yun-shell-resources.h"
#include "yun-shell-window.h"
#include "yun-app-id.h"
#include "yun-calls.h"
#include "yun-contacts.h"
#include "yun-geolocation-hub.h"
#include "yun-sync-account.h"
#include "yun-warm-pool.h"
#include "yun-messages.h"
#include "yun-personal-search.h"
#include "yun-photos.h"
#include "yun-home-automation.h"
#include "yun-dev-window.h"
#include "yun-window-screenshot.h"

/* How long --screenshot waits for the app before it shoots anyway. */
#define SCREENSHOT_TIMEOUT_SECONDS 60
/* Settle time after the page's second animation frame, for web fonts and
 * the bridge's first replies to reach the screen. */
#define SCREENSHOT_SETTLE_MS 400

struct _YunShellApplication
{
  GtkApplication parent_instance;

  YunShellOptions options;
  YunDevice *device;
  YunBridge *bridge;
  YunPermissionGate *gate;
  YunAppRegistry *registry;
  YunAppInstaller *installer;
  YunGeolocationHub *geolocation;
  YunWarmPool *warm_pool;
  YunSync *sync;
  YunSyncAccount *account;
  guint refill_id;
  /* Takes pictures for apps; made with the bridge. */
  YunCameraTaker *camera;
  /* Tells the shell what navigator.yun.apps does; made with the bridge. */
  YunAppsHost *apps_host;
  /* The app to open once the permission store is open. */
  char *waiting_app_id;
  SoupSession *session;
  YunShellWindow *window;
  /* --dev: the developer session's window, showing the phone's screen */
  YunDevWindow *dev_window;
  /* --dev: where the developer's app opens, once */
  char *dev_start_url;
  /* --dev: the camera source chosen while the camera was in use */
  char *dev_camera_source;
  YunShell1 *automation;
  GDBusMethodInvocation *pending_launch;
  GCancellable *cancellable;
  guint screenshot_timeout_id;
  /* When the window first reached the screen, from g_get_real_time(). */
  gint64 first_frame_time;
  gboolean screenshot_started;
  int status;
};

G_DEFINE_FINAL_TYPE (YunShellApplication, yun_shell_application, GTK_TYPE_APPLICATION)

static void
finish_pending_launch (YunShellApplication *self,
                       const GError        *error)
{
  GDBusMethodInvocation *invocation = g_steal_pointer (&self->pending_launch);

  if (invocation == NULL)
    return;
  if (error != NULL)
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_FAILED,
                                           "%s", error->message);
  else
    yun_shell1_complete_launch (self->automation, invocation);
}

/* The window on screen: the developer session's when there is one. */
static GtkWidget *
screenshot_window (YunShellApplication *self)
{
  return self->dev_window != NULL ? GTK_WIDGET (self->dev_window) : GTK_WIDGET (self->window);
}

static void
on_screenshot_saved (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  YunShellApplication *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!yun_window_screenshot_save_finish (GTK_WIDGET (source), result, &error)) {
    g_printerr ("yun-shell: could not save the screenshot: %s\n", error->message);
    self->status = 1;
  } else {
    g_print ("yun-shell: screenshot saved to %s\n", self->options.screenshot_path);
  }

  g_application_quit (G_APPLICATION (self));
  g_application_release (G_APPLICATION (self));
}

static void
on_screenshot_settled (gpointer user_data)
{
  YunShellApplication *self = user_data;

  yun_window_screenshot_save_async (screenshot_window (self), self->options.screenshot_path,
                                    NULL, on_screenshot_saved, self);
}

static void
start_screenshot (YunShellApplication *self)
{
  if (self->options.screenshot_path == NULL || self->screenshot_started)
    return;

  self->screenshot_started = TRUE;
  g_clear_handle_id (&self->screenshot_timeout_id, g_source_remove);
  g_application_hold (G_APPLICATION (self));
  g_timeout_add_once (SCREENSHOT_SETTLE_MS, on_screenshot_settled, self);
}

static void
on_frames_drawn (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  YunShellApplication *self = user_data;
  g_autoptr(JSCValue) value = NULL;

  value = webkit_web_view_evaluate_javascript_finish (WEBKIT_WEB_VIEW (source), result, NULL);
  start_screenshot (self);
  g_application_release (G_APPLICATION (self));
}

static gboolean
on_screenshot_timeout (gpointer user_data)
{
  YunShellApplication *self = user_data;

  self->screenshot_timeout_id = 0;
  g_printerr ("yun-shell: the app did not finish loading in %d s; taking the screenshot anyway\n",
              SCREENSHOT_TIMEOUT_SECONDS);
  self->status = 1;
  start_screenshot (self);
  return G_SOURCE_REMOVE;
}

static void
on_app_load_finished (YunAppView          *view,
                      YunShellApplication *self)
{
  finish_pending_launch (self, NULL);

  if (self->options.screenshot_path != NULL && !self->screenshot_started) {
    /* Two animation frames: the page has painted what its load produced. */
    g_application_hold (G_APPLICATION (self));
    webkit_web_view_call_async_javascript_function (
      yun_app_view_get_web_view (view),
      "await new Promise (r => requestAnimationFrame (() => requestAnimationFrame (r)));",
      -1, NULL, NULL, NULL, self->cancellable, on_frames_drawn, self);
  }
}

typedef struct {
  YunShellApplication *self;
  char *app_id;
  gint64 tap_time;
} Launch;

static void
show_installed (YunShellApplication *self)
{
  g_autoptr(GPtrArray) records = yun_app_registry_list (self->registry);

  yun_home_page_show_installed (yun_shell_window_get_home_page (self->window), records);
}

/* A page's Notification goes to the shell's list, not to the desktop's. */
static gboolean
on_show_notification (WebKitWebView      *web_view,
                      WebKitNotification *notification,
                      YunAppView         *view)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (view));

  if (!YUN_IS_SHELL_WINDOW (root))
    return TRUE;
  yun_notification_center_add (yun_shell_window_get_notification_center (YUN_SHELL_WINDOW (root)),
                               yun_app_view_get_app_id (view),
                               yun_manifest_get_short_name (yun_app_view_get_manifest (view)),
                               notification);
  return TRUE;
}

/* The app expected next: the most recently used suspended one, else the
 * first installed app that is not open. */
static void
refill_pool (gpointer user_data)
{
  YunShellApplication *self = user_data;
  YunRunningApps *running = yun_shell_window_get_running_apps (self->window);
  g_autoptr(GPtrArray) open = yun_running_apps_list (running);
  g_autoptr(GPtrArray) records = NULL;

  self->refill_id = 0;
  if (self->bridge == NULL)
    return;
  for (guint i = 0; i < open->len; i++) {
    YunRunningApp *app = g_ptr_array_index (open, i);

    if (app->state == YUN_RUNNING_APP_SUSPENDED) {
      yun_warm_pool_fill (self->warm_pool, app->app_id, app->manifest,
                          self->options.profile_dir, self->bridge);
      return;
    }
  }
  records = self->registry != NULL ? yun_app_registry_list (self->registry) : NULL;
  for (guint i = 0; records != NULL && i < records->len; i++) {
    YunAppRecord *record = g_ptr_array_index (records, i);

    if (yun_running_apps_lookup (running, record->id) == NULL) {
      yun_warm_pool_fill (self->warm_pool, record->id, record->manifest,
                          self->options.profile_dir, self->bridge);
      return;
    }
  }
}

/* After the screen settles, not during a launch. */
#define REFILL_DELAY_MS 1500

static void
schedule_refill (YunShellApplication *self)
{
  g_clear_handle_id (&self->refill_id, g_source_remove);
  self->refill_id = g_timeout_add_once (REFILL_DELAY_MS, refill_pool, self);
}

static void
on_running_changed (YunRunningApps      *running,
                    YunShellApplication *self)
{
  schedule_refill (self);
}

/* Opens a new view of the app: at its start URL, or where it was when it
 * was suspended. */
static void
open_app (YunShellApplication *self,
          const char          *app_id,
          YunManifest         *manifest,
          gint64               tap_time)
{
  YunRunningApps *running = yun_shell_window_get_running_apps (self->window);
  YunRunningApp *suspended = yun_running_apps_lookup (running, app_id);
  g_autofree char *url = NULL;
  YunAppView *view;

  if (suspended != NULL && suspended->state == YUN_RUNNING_APP_SUSPENDED)
    url = g_strdup (suspended->url);
  if (url == NULL && self->dev_start_url != NULL)
    url = g_steal_pointer (&self->dev_start_url);
  view = yun_warm_pool_take (self->warm_pool, app_id, manifest);
  if (view == NULL)
    view = yun_app_view_new (app_id, manifest, self->options.profile_dir, self->bridge);
  g_signal_connect_object (view, "load-finished", G_CALLBACK (on_app_load_finished), self, 0);
  g_signal_connect_object (yun_app_view_get_web_view (view), "show-notification",
                           G_CALLBACK (on_show_notification), view, 0);
  yun_geolocation_hub_attach (self->geolocation,
                              webkit_web_view_get_context (yun_app_view_get_web_view (view)));
  yun_running_apps_add (running, view, url != NULL);
  yun_shell_window_show_app (self->window, view);
  if (self->dev_window != NULL)
    yun_dev_window_set_app_view (self->dev_window, view);
  yun_app_view_start (view, tap_time, url);
}

static void
launch_free (Launch *launch)
{
  g_application_release (G_APPLICATION (launch->self));
  g_object_unref (launch->self);
  g_free (launch->app_id);
  g_free (launch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Launch, launch_free)

static void
on_manifest_ready (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Launch) launch = user_data;
  YunShellApplication *self = launch->self;
  const char *app_id = launch->app_id;
  g_autoptr(YunManifest) manifest = NULL;
  g_autoptr(GError) error = NULL;

  manifest = yun_manifest_fetch_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (manifest == NULL) {
    g_autofree char *title = g_strdup_printf ("Could not open “%s”", app_id);

    g_printerr ("yun-shell: %s: %s\n", app_id, error->message);
    yun_shell_window_show_message (self->window, title, error->message);
    self->status = 1;
    finish_pending_launch (self, error);
    start_screenshot (self);
    return;
  }

  open_app (self, app_id, manifest, launch->tap_time);
}

static void
launch_app (YunShellApplication *self,
            const char          *app_id)
{
  g_autofree char *relative = NULL;
  g_autofree char *manifest_url = NULL;
  g_autofree char *opening = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(YunAppRecord) record = NULL;
  YunRunningApp *running;
  Launch *launch;

  if (self->bridge == NULL) {
    g_free (self->waiting_app_id);
    self->waiting_app_id = g_strdup (app_id);
    return;
  }

  /* A live app comes back as it was; a suspended one is reopened where
   * it was, with the manifest it ran with. */
  running = yun_running_apps_lookup (yun_shell_window_get_running_apps (self->window), app_id);
  if (running != NULL && running->view != NULL) {
    yun_shell_window_show_app (self->window, running->view);
    if (self->dev_window != NULL)
      yun_dev_window_set_app_view (self->dev_window, running->view);
    finish_pending_launch (self, NULL);
    return;
  }
  if (running != NULL) {
    open_app (self, app_id, running->manifest, g_get_real_time ());
    return;
  }

  if (!yun_app_id_is_valid (app_id)) {
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 "“%s” is not an app id (lower-case letters, digits, '.', '_' and '-')",
                 app_id);
    yun_shell_window_show_message (self->window, "No such app", error->message);
    finish_pending_launch (self, error);
    return;
  }

  /* An installed app opens from its own record, with no network needed;
   * others are looked up in the cloud's catalogue. */
  record = yun_app_registry_get (self->registry, app_id);
  if (record != NULL) {
    open_app (self, app_id, record->manifest, g_get_real_time ());
    return;
  }

  relative = g_strdup_printf ("apps/%s/manifest.json", app_id);
  manifest_url = g_uri_resolve_relative (self->options.cloud_url, relative,
                                         G_URI_FLAGS_NONE, &error);
  if (manifest_url == NULL) {
    yun_shell_window_show_message (self->window, "The cloud's address is wrong", error->message);
    finish_pending_launch (self, error);
    return;
  }

  opening = g_strdup_printf ("Opening %s…", app_id);
  yun_shell_window_show_message (self->window, opening, manifest_url);
  launch = g_new0 (Launch, 1);
  launch->self = g_object_ref (self);
  launch->app_id = g_strdup (app_id);
  launch->tap_time = g_get_real_time ();
  g_application_hold (G_APPLICATION (self));
  yun_manifest_fetch_async (self->session, manifest_url, self->cancellable,
                            on_manifest_ready, launch);
}

static gboolean
on_handle_launch (YunShell1             *automation,
                  GDBusMethodInvocation *invocation,
                  const char            *app_id,
                  YunShellApplication   *self)
{
  if (self->pending_launch != NULL)
    g_dbus_method_invocation_return_error (g_steal_pointer (&self->pending_launch),
                                           G_DBUS_ERROR, G_DBUS_ERROR_FAILED,
                                           "another launch replaced this one");
  self->pending_launch = g_object_ref (invocation);
  launch_app (self, app_id);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* An automation call that waits for the installer. */
typedef struct {
  YunShellApplication *self;
  GDBusMethodInvocation *invocation;
  char *app_id;
} Pending;

static Pending *
pending_new (YunShellApplication   *self,
             GDBusMethodInvocation *invocation,
             const char            *app_id)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->self = g_object_ref (self);
  pending->invocation = invocation != NULL ? g_object_ref (invocation) : NULL;
  pending->app_id = g_strdup (app_id);
  return pending;
}

static void
pending_free (Pending *pending)
{
  g_object_unref (pending->self);
  g_clear_object (&pending->invocation);
  g_free (pending->app_id);
  g_free (pending);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pending, pending_free)

static void
on_installed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Pending) pending = user_data;
  GDBusMethodInvocation *invocation = pending->invocation;
  g_autoptr(YunAppRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  if (g_task_get_source_tag (G_TASK (result)) == yun_app_installer_install_hosted_async)
    record = yun_app_installer_install_hosted_finish (YUN_APP_INSTALLER (source), result, &error);
  else
    record = yun_app_installer_install_package_finish (YUN_APP_INSTALLER (source), result, &error);

  if (record == NULL) {
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_FAILED,
                                           "%s", error->message);
    return;
  }
  show_installed (pending->self);
  g_dbus_method_invocation_return_value (invocation, NULL);
}

/* The registry opens in the background at start; until then nothing can
 * be installed. */
static gboolean
check_ready (YunShellApplication   *self,
             GDBusMethodInvocation *invocation)
{
  if (self->installer != NULL)
    return TRUE;
  g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_FAILED,
                                         "the shell is still starting");
  return FALSE;
}

static gboolean
on_handle_install (YunShell1             *automation,
                   GDBusMethodInvocation *invocation,
                   const char            *app_id,
                   const char            *manifest_url,
                   YunShellApplication   *self)
{
  if (!check_ready (self, invocation))
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  yun_app_installer_install_hosted_async (self->installer, app_id, manifest_url, self->cancellable,
                                          NULL, NULL, on_installed,
                                          pending_new (self, invocation, app_id));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_install_package (YunShell1             *automation,
                           GDBusMethodInvocation *invocation,
                           const char            *app_id,
                           const char            *path,
                           const char            *sha256,
                           YunShellApplication   *self)
{
  if (!check_ready (self, invocation))
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  yun_app_installer_install_package_async (self->installer, app_id, NULL, path, sha256,
                                           self->cancellable, NULL, NULL, on_installed,
                                           pending_new (self, invocation, app_id));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_uninstalled (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Pending) data = user_data;
  YunShellApplication *self = data->self;
  g_autoptr(GError) error = NULL;

  if (!yun_app_installer_uninstall_finish (YUN_APP_INSTALLER (source), result, &error)) {
    /* Without an invocation, app.uninstall (a tile's menu) asked. */
    if (data->invocation == NULL)
      g_printerr ("yun-shell: cannot uninstall %s: %s\n", data->app_id, error->message);
    else
      g_dbus_method_invocation_return_error (data->invocation, G_DBUS_ERROR, G_DBUS_ERROR_FAILED,
                                             "%s", error->message);
  } else {
    YunPermissionStore *store = yun_permission_gate_get_store (self->gate);
    g_autoptr(GPtrArray) decisions = yun_permission_store_list_decisions (store);
    g_autoptr(GPtrArray) forget = g_ptr_array_new_with_free_func (g_free);

    /* A reinstalled app starts with no decisions. */
    for (guint i = 0; i < decisions->len; i++) {
      YunPermissionDecision *decision = g_ptr_array_index (decisions, i);

      if (g_str_equal (decision->app_id, data->app_id))
        g_ptr_array_add (forget, g_strdup (decision->permission));
    }
    for (guint i = 0; i < forget->len; i++)
      yun_permission_store_set (store, data->app_id, g_ptr_array_index (forget, i),
                                YUN_PERMISSION_STATE_PROMPT);
    show_installed (self);
    if (data->invocation != NULL)
      g_dbus_method_invocation_return_value (data->invocation, NULL);
  }
}

/* app.uninstall, from the home screen's tile menu. */
static void
on_uninstall_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  YunShellApplication *self = user_data;
  const char *app_id = g_variant_get_string (parameter, NULL);

  if (self->installer == NULL)
    return;
  yun_shell_window_close_app (self->window, app_id);
  yun_warm_pool_drop (self->warm_pool, app_id);
  yun_app_installer_uninstall_async (self->installer, app_id, self->cancellable, NULL, NULL,
                                     on_uninstalled, pending_new (self, NULL, app_id));
}

static gboolean
on_handle_uninstall (YunShell1             *automation,
                     GDBusMethodInvocation *invocation,
                     const char            *app_id,
                     YunShellApplication   *self)
{
  if (!check_ready (self, invocation))
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  /* The app's files and data are about to go: close it first. */
  yun_shell_window_close_app (self->window, app_id);
  yun_warm_pool_drop (self->warm_pool, app_id);

  yun_app_installer_uninstall_async (self->installer, app_id, self->cancellable, NULL, NULL,
                                     on_uninstalled, pending_new (self, invocation, app_id));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_list_installed (YunShell1             *automation,
                          GDBusMethodInvocation *invocation,
                          YunShellApplication   *self)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  if (!check_ready (self, invocation))
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  records = yun_app_registry_list (self->registry);

  for (guint i = 0; i < records->len; i++)
    g_ptr_array_add (ids, ((YunAppRecord *) g_ptr_array_index (records, i))->id);
  g_ptr_array_add (ids, NULL);
  yun_shell1_complete_list_installed (automation, invocation, (const char * const *) ids->pdata);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_list_apps (YunShell1             *automation,
                     GDBusMethodInvocation *invocation,
                     YunShellApplication   *self)
{
  g_autoptr(GPtrArray) apps = yun_running_apps_list (yun_shell_window_get_running_apps (self->window));
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  for (guint i = 0; i < apps->len; i++)
    g_ptr_array_add (ids, ((YunRunningApp *) g_ptr_array_index (apps, i))->app_id);
  g_ptr_array_add (ids, NULL);
  yun_shell1_complete_list_apps (automation, invocation, (const char * const *) ids->pdata);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_get_shell_marks (YunShell1             *automation,
                           GDBusMethodInvocation *invocation,
                           YunShellApplication   *self)
{
  g_autoptr(GVariantBuilder) marks = g_variant_builder_new (G_VARIANT_TYPE ("a(sx)"));

  g_variant_builder_add (marks, "(sx)", "start", self->options.start_time);
  if (self->first_frame_time != 0)
    g_variant_builder_add (marks, "(sx)", "first-frame", self->first_frame_time);
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(a(sx))", marks));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_list_notifications (YunShell1             *automation,
                              GDBusMethodInvocation *invocation,
                              YunShellApplication   *self)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GVariantBuilder) list = g_variant_builder_new (G_VARIANT_TYPE ("a(usssx)"));

  entries = yun_notification_center_list (yun_shell_window_get_notification_center (self->window));
  for (guint i = 0; i < entries->len; i++) {
    YunNotificationEntry *entry = g_ptr_array_index (entries, i);

    g_variant_builder_add (list, "(usssx)", entry->id, entry->app_id, entry->title, entry->body,
                           entry->time);
  }
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(a(usssx))", list));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_get_contact_picker (YunShell1             *automation,
                              GDBusMethodInvocation *invocation,
                              YunShellApplication   *self)
{
  g_autofree char *app_name = NULL;
  g_auto(GStrv) properties = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GVariantBuilder) entries = g_variant_builder_new (G_VARIANT_TYPE ("a(ss)"));
  const char * const none[] = { NULL };
  gboolean multiple = FALSE;
  gboolean open;

  open = yun_contact_picker_sheet_get_state (yun_shell_window_get_contact_picker (self->window),
                                             &app_name, &properties, &multiple, &rows);
  for (guint i = 0; open && i + 1 < rows->len; i += 2)
    g_variant_builder_add (entries, "(ss)", g_ptr_array_index (rows, i),
                           g_ptr_array_index (rows, i + 1));
  g_dbus_method_invocation_return_value (invocation,
                                         g_variant_new ("(bs^asba(ss))", open,
                                                        open ? app_name : "",
                                                        open ? (const char * const *) properties : none,
                                                        multiple, entries));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_answer_contact_picker (YunShell1             *automation,
                                 GDBusMethodInvocation *invocation,
                                 const char * const    *ids,
                                 YunShellApplication   *self)
{
  g_autoptr(GError) error = NULL;

  if (!yun_contact_picker_sheet_answer (yun_shell_window_get_contact_picker (self->window), ids,
                                        &error))
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_FAILED,
                                           "%s", error->message);
  else
    yun_shell1_complete_answer_contact_picker (automation, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_get_share_sheet (YunShell1             *automation,
                           GDBusMethodInvocation *invocation,
                           YunShellApplication   *self)
{
  const char *app_name, *title, *text, *url, *message;
  const char *state = yun_share_sheet_get_state (yun_shell_window_get_share_sheet (self->window),
                                                 &app_name, &title, &text, &url, &message);

  yun_shell1_complete_get_share_sheet (automation, invocation, state, app_name, title, text, url,
                                       message);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_answer_share_sheet (YunShell1             *automation,
                              GDBusMethodInvocation *invocation,
                              const char            *choice,
                              const char            *friend_name,
                              YunShellApplication   *self)
{
  g_autoptr(GError) error = NULL;

  if (!yun_share_sheet_answer (yun_shell_window_get_share_sheet (self->window), choice,
                               friend_name, &error))
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_FAILED,
                                           "%s", error->message);
  else
    yun_shell1_complete_answer_share_sheet (automation, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_get_camera (YunShell1             *automation,
                      GDBusMethodInvocation *invocation,
                      YunShellApplication   *self)
{
  YunViewfinder *viewfinder = yun_shell_window_get_viewfinder (self->window);
  gboolean open = yun_viewfinder_is_open (viewfinder);
  const char *source = self->camera != NULL ? yun_camera_taker_get_source (self->camera)
                                            : self->options.camera_source;

  yun_shell1_complete_get_camera (automation, invocation, open,
                                  open ? yun_viewfinder_get_app_name (viewfinder) : "",
                                  source != NULL ? source : "auto");
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_get_camera_marks (YunShell1             *automation,
                            GDBusMethodInvocation *invocation,
                            YunShellApplication   *self)
{
  g_autoptr(GVariantBuilder) marks = g_variant_builder_new (G_VARIANT_TYPE ("a(sx)"));
  GArray *camera_marks = self->camera != NULL ? yun_camera_taker_get_marks (self->camera) : NULL;

  for (guint i = 0; camera_marks != NULL && i < camera_marks->len; i++) {
    YunCameraMark *mark = &g_array_index (camera_marks, YunCameraMark, i);

    g_variant_builder_add (marks, "(sx)", mark->name, mark->time);
  }
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(a(sx))", marks));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* Shutter and CancelCamera press the viewfinder's own buttons. */
static void
press_viewfinder (YunShellApplication   *self,
                  GDBusMethodInvocation *invocation,
                  const char            *button)
{
  g_autoptr(GError) error = NULL;

  if (!yun_viewfinder_press (yun_shell_window_get_viewfinder (self->window), button, &error))
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_FAILED,
                                           "%s", error->message);
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static gboolean
on_handle_shutter (YunShell1             *automation,
                   GDBusMethodInvocation *invocation,
                   YunShellApplication   *self)
{
  press_viewfinder (self, invocation, "shutter");
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_cancel_camera (YunShell1             *automation,
                         GDBusMethodInvocation *invocation,
                         YunShellApplication   *self)
{
  press_viewfinder (self, invocation, "cancel");
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_get_indicators (YunShell1             *automation,
                          GDBusMethodInvocation *invocation,
                          YunShellApplication   *self)
{
  g_auto(GStrv) names = yun_shell_window_get_indicators (self->window);

  yun_shell1_complete_get_indicators (automation, invocation, (const char * const *) names);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_get_warm_app (YunShell1             *automation,
                        GDBusMethodInvocation *invocation,
                        YunShellApplication   *self)
{
  const char *app_id = yun_warm_pool_get_app_id (self->warm_pool);

  yun_shell1_complete_get_warm_app (automation, invocation, app_id != NULL ? app_id : "");
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_signed_in (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  g_autoptr(GError) error = NULL;

  if (!yun_sync_account_sign_in_finish (YUN_SYNC_ACCOUNT (source), result, &error))
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_FAILED,
                                           "%s", error->message);
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static gboolean
on_handle_sync_sign_in (YunShell1             *automation,
                        GDBusMethodInvocation *invocation,
                        const char            *name,
                        const char            *password,
                        YunShellApplication   *self)
{
  if (self->account == NULL) {
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_FAILED,
                                           "the phone's data is not open yet");
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  }
  yun_sync_account_sign_in_async (self->account, name, password, self->cancellable, on_signed_in,
                                  g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_sync_sign_out (YunShell1             *automation,
                         GDBusMethodInvocation *invocation,
                         YunShellApplication   *self)
{
  if (self->account != NULL)
    yun_sync_account_sign_out (self->account);
  yun_shell1_complete_sync_sign_out (automation, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_get_sync_status (YunShell1             *automation,
                           GDBusMethodInvocation *invocation,
                           YunShellApplication   *self)
{
  g_autoptr(JsonObject) status = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  if (self->sync == NULL) {
    yun_shell1_complete_get_sync_status (automation, invocation, "null");
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  }
  status = yun_sync_dup_status (self->sync);
  node = json_node_init_object (json_node_alloc (), status);
  text = json_to_string (node, FALSE);
  yun_shell1_complete_get_sync_status (automation, invocation, text);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* A widget of Settings' cloud account section, or %NULL with the call
 * answered. */
static GtkWidget *
lookup_settings_widget (YunShellApplication   *self,
                        GDBusMethodInvocation *invocation,
                        const char            *name)
{
  YunPermissionsPage *settings = yun_shell_window_get_permissions_page (self->window);
  GtkWidget *widget = yun_account_page_lookup (yun_permissions_page_get_account_page (settings),
                                               name);

  if (widget == NULL)
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                           "Settings has no widget named \"%s\"", name);
  return widget;
}

static gboolean
on_handle_settings_fill (YunShell1             *automation,
                         GDBusMethodInvocation *invocation,
                         const char            *name,
                         const char            *text,
                         YunShellApplication   *self)
{
  GtkWidget *widget = lookup_settings_widget (self, invocation, name);

  if (widget == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  if (!GTK_IS_EDITABLE (widget) || !gtk_widget_get_mapped (widget) ||
      !gtk_widget_is_sensitive (widget)) {
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_FAILED,
                                           "\"%s\" is not an entry on screen that takes text",
                                           name);
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  }
  gtk_editable_set_text (GTK_EDITABLE (widget), text);
  yun_shell1_complete_settings_fill (automation, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
release_invocation (gpointer  invocation,
                    GClosure *closure)
{
  g_object_unref (invocation);
}

static void
on_settings_button_clicked (GtkButton             *button,
                            GDBusMethodInvocation *invocation)
{
  g_dbus_method_invocation_return_value (g_object_ref (invocation), NULL);
  g_signal_handlers_disconnect_by_func (button, on_settings_button_clicked, invocation);
}

static gboolean
on_handle_settings_press (YunShell1             *automation,
                          GDBusMethodInvocation *invocation,
                          const char            *name,
                          YunShellApplication   *self)
{
  GtkWidget *widget = lookup_settings_widget (self, invocation, name);

  if (widget == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  if (!GTK_IS_BUTTON (widget) || !gtk_widget_get_mapped (widget) ||
      !gtk_widget_is_sensitive (widget)) {
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_FAILED,
                                           "\"%s\" is not a button on screen that can be pressed",
                                           name);
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  }
  /* A button shows itself pressed before it emits "clicked"; the call
   * returns once it has, so that what the press started has begun. */
  g_signal_connect_data (widget, "clicked", G_CALLBACK (on_settings_button_clicked),
                         g_object_ref (invocation), release_invocation, G_CONNECT_AFTER);
  gtk_widget_activate (widget);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_get_settings_text (YunShell1             *automation,
                             GDBusMethodInvocation *invocation,
                             const char            *name,
                             YunShellApplication   *self)
{
  GtkWidget *widget = lookup_settings_widget (self, invocation, name);
  const char *text = "";

  if (widget == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;
  if (GTK_IS_LABEL (widget))
    text = gtk_label_get_text (GTK_LABEL (widget));
  else if (GTK_IS_EDITABLE (widget))
    text = gtk_editable_get_text (GTK_EDITABLE (widget));
  else if (GTK_IS_BUTTON (widget))
    text = gtk_button_get_label (GTK_BUTTON (widget));
  yun_shell1_complete_get_settings_text (automation, invocation, gtk_widget_get_mapped (widget),
                                         text != NULL ? text : "");
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_get_screen (YunShell1             *automation,
                      GDBusMethodInvocation *invocation,
                      YunShellApplication   *self)
{
  const char *page = yun_shell_window_get_visible_page (self->window);
  YunAppView *view = yun_shell_window_get_app_view (self->window);

  yun_shell1_complete_get_screen (automation, invocation, page,
                                  g_strcmp0 (page, "app") == 0 && view != NULL
                                    ? yun_app_view_get_app_id (view) : "");
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_get_app_state (YunShell1             *automation,
                         GDBusMethodInvocation *invocation,
                         const char            *app_id,
                         YunShellApplication   *self)
{
  YunRunningApp *app = yun_running_apps_lookup (yun_shell_window_get_running_apps (self->window),
                                                app_id);

  yun_shell1_complete_get_app_state (automation, invocation,
                                     app != NULL ? yun_running_app_state_to_string (app->state)
                                                 : "closed",
                                     app != NULL && app->url != NULL ? app->url : "");
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_eval_ready (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  g_autoptr(JSCValue) value = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  value = webkit_web_view_call_async_javascript_function_finish (WEBKIT_WEB_VIEW (source),
                                                                 result, &error);
  if (value == NULL) {
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_FAILED,
                                           "script failed: %s", error->message);
    return;
  }

  json = jsc_value_is_string (value) ? jsc_value_to_string (value) : NULL;
  g_dbus_method_invocation_return_value (invocation,
                                         g_variant_new ("(s)", json != NULL ? json : "null"));
}

/* The live app with @app_id, or %NULL after answering @invocation with an
 * error. */
static YunAppView *
find_open_app (YunShellApplication   *self,
               GDBusMethodInvocation *invocation,
               const char            *app_id)
{
  YunRunningApp *app = yun_running_apps_lookup (yun_shell_window_get_running_apps (self->window),
                                                app_id);

  if (app == NULL || app->state != YUN_RUNNING_APP_LIVE) {
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                           "app “%s” is not open and live", app_id);
    return NULL;
  }
  return app->view;
}

/* The automation interface's own script world, for EvalIsolated. */
#define AUTOMATION_WORLD "yun-automation"

static void
eval_in_app (YunShellApplication   *self,
             GDBusMethodInvocation *invocation,
             const char            *app_id,
             const char            *script,
             const char            *world)
{
  YunAppView *view = find_open_app (self, invocation, app_id);
  g_autofree char *body = NULL;

  if (view == NULL)
    return;

  /* WebKit hands back only simple values; serialising in the page lets
   * tools read any JSON-able value. */
  body = g_strdup_printf ("return JSON.stringify (await (async () => {\n%s\n}) ());", script);
  webkit_web_view_call_async_javascript_function (yun_app_view_get_web_view (view), body, -1,
                                                  NULL, world, NULL,
                                                  yun_app_view_get_page_cancellable (view),
                                                  on_eval_ready, g_object_ref (invocation));
}

static gboolean
on_handle_eval (YunShell1             *automation,
                GDBusMethodInvocation *invocation,
                const char            *app_id,
                const char            *script,
                YunShellApplication   *self)
{
  eval_in_app (self, invocation, app_id, script, NULL);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_eval_isolated (YunShell1             *automation,
                         GDBusMethodInvocation *invocation,
                         const char            *app_id,
                         const char            *script,
                         YunShellApplication   *self)
{
  eval_in_app (self, invocation, app_id, script, AUTOMATION_WORLD);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_automation_screenshot_saved (GObject      *source,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  g_autoptr(GError) error = NULL;

  if (!yun_window_screenshot_save_finish (GTK_WIDGET (source), result, &error))
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_FAILED,
                                           "%s", error->message);
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static gboolean
on_handle_screenshot (YunShell1             *automation,
                      GDBusMethodInvocation *invocation,
                      const char            *path,
                      YunShellApplication   *self)
{
  yun_window_screenshot_save_async (screenshot_window (self), path, self->cancellable,
                                    on_automation_screenshot_saved, g_object_ref (invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_crash_app (YunShell1             *automation,
                     GDBusMethodInvocation *invocation,
                     const char            *app_id,
                     YunShellApplication   *self)
{
  YunAppView *view = find_open_app (self, invocation, app_id);

  if (view != NULL) {
    webkit_web_view_terminate_web_process (yun_app_view_get_web_view (view));
    yun_shell1_complete_crash_app (automation, invocation);
  }
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_get_app_health (YunShell1             *automation,
                          GDBusMethodInvocation *invocation,
                          const char            *app_id,
                          YunShellApplication   *self)
{
  YunAppView *view = find_open_app (self, invocation, app_id);
  const char *notice = NULL;
  guint crashes = 0;
  gboolean running;

  if (view != NULL) {
    running = yun_app_view_get_health (view, &crashes, &notice);
    yun_shell1_complete_get_app_health (automation, invocation, running, crashes,
                                        notice != NULL ? notice : "");
  }
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_get_launch_marks (YunShell1             *automation,
                            GDBusMethodInvocation *invocation,
                            const char            *app_id,
                            YunShellApplication   *self)
{
  YunAppView *view = find_open_app (self, invocation, app_id);
  g_autoptr(GVariantBuilder) marks = NULL;
  GArray *launch_marks;

  if (view == NULL)
    return G_DBUS_METHOD_INVOCATION_HANDLED;

  marks = g_variant_builder_new (G_VARIANT_TYPE ("a(sx)"));
  launch_marks = yun_app_view_get_launch_marks (view);
  for (guint i = 0; i < launch_marks->len; i++) {
    YunLaunchMark *mark = &g_array_index (launch_marks, YunLaunchMark, i);

    g_variant_builder_add (marks, "(sx)", mark->name, mark->time);
  }
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(a(sx))", marks));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_get_prompt (YunShell1             *automation,
                      GDBusMethodInvocation *invocation,
                      YunShellApplication   *self)
{
  YunPermissionSheet *sheet = yun_shell_window_get_permission_sheet (self->window);
  g_autofree char *app_name = NULL;
  g_autofree char *permission = NULL;
  g_autofree char *access = NULL;
  g_autofree char *reason = NULL;
  gboolean open;

  open = yun_permission_sheet_get_question (sheet, &app_name, &permission, &access, &reason);
  yun_shell1_complete_get_prompt (automation, invocation, open,
                                  open ? app_name : "", open ? permission : "",
                                  open ? access : "", open ? reason : "");
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_handle_answer_prompt (YunShell1             *automation,
                         GDBusMethodInvocation *invocation,
                         const char            *answer,
                         YunShellApplication   *self)
{
  g_autoptr(GError) error = NULL;

  if (!yun_permission_sheet_answer (yun_shell_window_get_permission_sheet (self->window),
                                    answer, &error))
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_FAILED,
                                           "%s", error->message);
  else
    yun_shell1_complete_answer_prompt (automation, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
yun_shell_application_dbus_register (GApplication     *application,
                                     GDBusConnection  *connection,
                                     const char       *object_path,
                                     GError          **error)
{
  YunShellApplication *self = YUN_SHELL_APPLICATION (application);

  if (!G_APPLICATION_CLASS (yun_shell_application_parent_class)->dbus_register (application,
                                                                                connection,
                                                                                object_path,
                                                                                error))
    return FALSE;

  if (!self->options.automation)
    return TRUE;

  self->automation = yun_shell1_skeleton_new ();
  g_signal_connect_object (self->automation, "handle-launch",
                           G_CALLBACK (on_handle_launch), self, 0);
  g_signal_connect_object (self->automation, "handle-list-apps",
                           G_CALLBACK (on_handle_list_apps), self, 0);
  g_signal_connect_object (self->automation, "handle-eval",
                           G_CALLBACK (on_handle_eval), self, 0);
  g_signal_connect_object (self->automation, "handle-eval-isolated",
                           G_CALLBACK (on_handle_eval_isolated), self, 0);
  g_signal_connect_object (self->automation, "handle-screenshot",
                           G_CALLBACK (on_handle_screenshot), self, 0);
  g_signal_connect_object (self->automation, "handle-install",
                           G_CALLBACK (on_handle_install), self, 0);
  g_signal_connect_object (self->automation, "handle-install-package",
                           G_CALLBACK (on_handle_install_package), self, 0);
  g_signal_connect_object (self->automation, "handle-uninstall",
                           G_CALLBACK (on_handle_uninstall), self, 0);
  g_signal_connect_object (self->automation, "handle-list-installed",
                           G_CALLBACK (on_handle_list_installed), self, 0);
  g_signal_connect_object (self->automation, "handle-crash-app",
                           G_CALLBACK (on_handle_crash_app), self, 0);
  g_signal_connect_object (self->automation, "handle-get-app-health",
                           G_CALLBACK (on_handle_get_app_health), self, 0);
  g_signal_connect_object (self->automation, "handle-get-shell-marks",
                           G_CALLBACK (on_handle_get_shell_marks), self, 0);
  g_signal_connect_object (self->automation, "handle-list-notifications",
                           G_CALLBACK (on_handle_list_notifications), self, 0);
  g_signal_connect_object (self->automation, "handle-get-contact-picker",
                           G_CALLBACK (on_handle_get_contact_picker), self, 0);
  g_signal_connect_object (self->automation, "handle-answer-contact-picker",
                           G_CALLBACK (on_handle_answer_contact_picker), self, 0);
  g_signal_connect_object (self->automation, "handle-get-share-sheet",
                           G_CALLBACK (on_handle_get_share_sheet), self, 0);
  g_signal_connect_object (self->automation, "handle-answer-share-sheet",
                           G_CALLBACK (on_handle_answer_share_sheet), self, 0);
  g_signal_connect_object (self->automation, "handle-get-indicators",
                           G_CALLBACK (on_handle_get_indicators), self, 0);
  g_signal_connect_object (self->automation, "handle-get-warm-app",
                           G_CALLBACK (on_handle_get_warm_app), self, 0);
  g_signal_connect_object (self->automation, "handle-sync-sign-in",
                           G_CALLBACK (on_handle_sync_sign_in), self, 0);
  g_signal_connect_object (self->automation, "handle-sync-sign-out",
                           G_CALLBACK (on_handle_sync_sign_out), self, 0);
  g_signal_connect_object (self->automation, "handle-get-sync-status",
                           G_CALLBACK (on_handle_get_sync_status), self, 0);
  g_signal_connect_object (self->automation, "handle-settings-fill",
                           G_CALLBACK (on_handle_settings_fill), self, 0);
  g_signal_connect_object (self->automation, "handle-settings-press",
                           G_CALLBACK (on_handle_settings_press), self, 0);
  g_signal_connect_object (self->automation, "handle-get-settings-text",
                           G_CALLBACK (on_handle_get_settings_text), self, 0);
  g_signal_connect_object (self->automation, "handle-get-screen",
                           G_CALLBACK (on_handle_get_screen), self, 0);
  g_signal_connect_object (self->automation, "handle-get-app-state",
                           G_CALLBACK (on_handle_get_app_state), self, 0);
  g_signal_connect_object (self->automation, "handle-get-launch-marks",
                           G_CALLBACK (on_handle_get_launch_marks), self, 0);
  g_signal_connect_object (self->automation, "handle-get-prompt",
                           G_CALLBACK (on_handle_get_prompt), self, 0);
  g_signal_connect_object (self->automation, "handle-answer-prompt",
                           G_CALLBACK (on_handle_answer_prompt), self, 0);
  g_signal_connect_object (self->automation, "handle-get-camera",
                           G_CALLBACK (on_handle_get_camera), self, 0);
  g_signal_connect_object (self->automation, "handle-get-camera-marks",
                           G_CALLBACK (on_handle_get_camera_marks), self, 0);
  g_signal_connect_object (self->automation, "handle-shutter",
                           G_CALLBACK (on_handle_shutter), self, 0);
  g_signal_connect_object (self->automation, "handle-cancel-camera",
                           G_CALLBACK (on_handle_cancel_camera), self, 0);

  return g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->automation),
                                           connection, "/org/yun/Shell", error);
}

static void
yun_shell_application_dbus_unregister (GApplication    *application,
                                       GDBusConnection *connection,
                                       const char      *object_path)
{
  YunShellApplication *self = YUN_SHELL_APPLICATION (application);

  if (self->automation != NULL)
    g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->automation));

  G_APPLICATION_CLASS (yun_shell_application_parent_class)->dbus_unregister (application,
                                                                             connection,
                                                                             object_path);
}

static void
on_show_permissions_activated (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  YunShellApplication *self = user_data;

  if (self->gate != NULL)
    yun_shell_window_show_permissions (self->window, yun_permission_gate_get_store (self->gate));
}

static void
on_show_app_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  YunShellApplication *self = user_data;

  yun_shell_window_show_current_app (self->window);
}

/* Revoking forgets the decision: the app is asked again next time. */
static void
on_revoke_permission_activated (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  YunShellApplication *self = user_data;
  YunPermissionStore *store;
  const char *app_id;
  const char *permission;

  if (self->gate == NULL)
    return;
  store = yun_permission_gate_get_store (self->gate);
  g_variant_get (parameter, "(&s&s)", &app_id, &permission);
  yun_permission_store_set (store, app_id, permission, YUN_PERMISSION_STATE_PROMPT);
  yun_shell_window_show_permissions (self->window, store);
}

static void
on_launch_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  YunShellApplication *self = user_data;

  launch_app (self, g_variant_get_string (parameter, NULL));
}

static void
on_close_app_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  YunShellApplication *self = user_data;

  yun_shell_window_close_app (self->window, g_variant_get_string (parameter, NULL));
}

/* Leaving the app closes its camera: the call that opened it is cancelled. */
static gboolean
close_camera (YunShellApplication *self)
{
  return self->camera != NULL && yun_camera_taker_cancel (self->camera);
}

static void
on_notifications_activated (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  YunShellApplication *self = user_data;

  yun_permission_sheet_dismiss (yun_shell_window_get_permission_sheet (self->window));
  close_camera (self);
  yun_shell_window_show_notifications (self->window);
}

/* Tapping a notification tells its page and opens its app. */
static void
on_open_notification_activated (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  YunShellApplication *self = user_data;
  g_autofree char *app_id = NULL;

  app_id = yun_notification_center_activate (yun_shell_window_get_notification_center (self->window),
                                             g_variant_get_uint32 (parameter));
  if (app_id != NULL)
    launch_app (self, app_id);
}

static void
on_dismiss_notification_activated (GSimpleAction *action,
                                   GVariant      *parameter,
                                   gpointer       user_data)
{
  YunShellApplication *self = user_data;

  yun_notification_center_dismiss (yun_shell_window_get_notification_center (self->window),
                                   g_variant_get_uint32 (parameter));
}

static void
on_switcher_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  YunShellApplication *self = user_data;

  yun_permission_sheet_dismiss (yun_shell_window_get_permission_sheet (self->window));
  close_camera (self);
  yun_shell_window_show_switcher (self->window);
}

/* Home leaves the app running behind the home screen and dismisses an
 * open permission question: the call that asked is refused, and since the
 * user walked away rather than answered, nothing is remembered. */
static void
on_home_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  YunShellApplication *self = user_data;

  yun_permission_sheet_dismiss (yun_shell_window_get_permission_sheet (self->window));
  close_camera (self);
  yun_shell_window_show_home (self->window);
}

/* Back: the app's history first, then home. */
static void
on_back_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  YunShellApplication *self = user_data;
  YunAppView *view = yun_shell_window_get_app_view (self->window);
  const char *page = yun_shell_window_get_visible_page (self->window);

  /* Back from the camera goes back to the app, without a picture. */
  if (close_camera (self))
    return;
  if (view != NULL && g_strcmp0 (page, "permissions") == 0) {
    yun_shell_window_show_current_app (self->window);
  } else if (view != NULL && g_strcmp0 (page, "app") == 0 &&
             webkit_web_view_can_go_back (yun_app_view_get_web_view (view))) {
    webkit_web_view_go_back (yun_app_view_get_web_view (view));
  } else {
    on_home_activated (action, parameter, self);
  }
}

static const GActionEntry actions[] = {
  { .name = "launch", .activate = on_launch_activated, .parameter_type = "s" },
  { .name = "home", .activate = on_home_activated },
  { .name = "back", .activate = on_back_activated },
  { .name = "show-permissions", .activate = on_show_permissions_activated },
  { .name = "show-app", .activate = on_show_app_activated },
  { .name = "close-app", .activate = on_close_app_activated, .parameter_type = "s" },
  { .name = "uninstall", .activate = on_uninstall_activated, .parameter_type = "s" },
  { .name = "switcher", .activate = on_switcher_activated },
  { .name = "notifications", .activate = on_notifications_activated },
  { .name = "open-notification", .activate = on_open_notification_activated,
    .parameter_type = "u" },
  { .name = "dismiss-notification", .activate = on_dismiss_notification_activated,
    .parameter_type = "u" },
  { .name = "revoke-permission", .activate = on_revoke_permission_activated,
    .parameter_type = "(ss)" },
};

/* Keys for the navigation bar's buttons, for keyboards. */
static const struct {
  const char *action;
  const char * const keys[2];
} accels[] = {
  { "app.back", { "<Alt>Left", NULL } },
  { "app.home", { "<Alt>Home", NULL } },
  { "app.switcher", { "<Alt>Tab", NULL } },
};

/* The user's personal data: one document store, with a database per
 * kind, its indexes, and the services the bridge's namespaces call. */
typedef struct {
  YunDocStore *store;
  YunPersonalIndex *index;
  /* service name → GObject */
  GHashTable *services;
} Personal;

static void
personal_free (Personal *personal)
{
  g_clear_object (&personal->store);
  g_clear_object (&personal->index);
  g_clear_pointer (&personal->services, g_hash_table_unref);
  g_free (personal);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Personal, personal_free)

static gboolean
open_personal (Personal    *personal,
               const char  *profile_dir,
               GError     **error)
{
  static const char * const databases[] = {
    YUN_PERSONAL_DB_NOTES, YUN_PERSONAL_DB_CONTACTS, YUN_PERSONAL_DB_MESSAGES,
    YUN_PERSONAL_DB_CALLS, YUN_PERSONAL_DB_PHOTOS, NULL
  };
  g_autofree char *store_path = g_build_filename (profile_dir, "personal.sqlite", NULL);
  g_autofree char *index_path = g_build_filename (profile_dir, "personal-index.sqlite", NULL);
  GObject *service;

  personal->store = yun_doc_store_open (store_path, error);
  if (personal->store == NULL)
    return FALSE;
  for (guint i = 0; databases[i] != NULL; i++) {
    g_autoptr(GError) local = NULL;

    if (!yun_doc_store_create_db (personal->store, databases[i], &local) &&
        !g_error_matches (local, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_EXISTS)) {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  }
  personal->index = yun_personal_index_open (personal->store, index_path, error);
  if (personal->index == NULL)
    return FALSE;

  personal->services = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  if ((service = G_OBJECT (yun_contacts_new (personal->index, error))) == NULL)
    return FALSE;
  g_hash_table_insert (personal->services, "contacts", service);
  if ((service = G_OBJECT (yun_messages_new (personal->index, error))) == NULL)
    return FALSE;
  g_hash_table_insert (personal->services, "messages", service);
  if ((service = G_OBJECT (yun_calls_new (personal->index, error))) == NULL)
    return FALSE;
  g_hash_table_insert (personal->services, "calls", service);
  if ((service = G_OBJECT (yun_photos_new (personal->index, error))) == NULL)
    return FALSE;
  g_hash_table_insert (personal->services, "photos", service);
  return TRUE;
}

static void
open_personal_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  g_autoptr(Personal) personal = g_new0 (Personal, 1);
  GError *error = NULL;

  if (!open_personal (personal, task_data, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&personal), (GDestroyNotify) personal_free);
}

static void
on_sync_state (YunSync             *sync,
               GParamSpec          *pspec,
               YunShellApplication *self)
{
  YunSyncState state = yun_sync_get_state (sync);

  yun_shell_window_set_sync_state (self->window, state == YUN_SYNC_STATE_SIGNED_OUT ? NULL
                                                 : yun_sync_state_to_string (state));
}

/* Changes from the cloud: each live app that may read that database
 * hears of it, and no other. */
static void
on_sync_changed (YunSync             *sync,
                 const char          *db,
                 YunShellApplication *self)
{
  g_autoptr(GPtrArray) apps = yun_running_apps_list (yun_shell_window_get_running_apps (self->window));
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) detail = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "db");
  json_builder_add_string_value (builder, db);
  json_builder_end_object (builder);
  detail = json_builder_get_root (builder);

  for (guint i = 0; i < apps->len; i++) {
    YunRunningApp *app = g_ptr_array_index (apps, i);

    if (app->state == YUN_RUNNING_APP_LIVE &&
        yun_permission_gate_query (self->gate, app->app_id, app->manifest, db) ==
          YUN_PERMISSION_STATE_GRANTED)
      yun_app_view_send_event (app->view, "sync", "change", detail);
  }
}

/* The personal databases sync with the cloud once the user signs in. */
static void
start_sync (YunShellApplication *self,
            YunDocStore         *store)
{
  static const char * const databases[] = {
    YUN_PERSONAL_DB_NOTES, YUN_PERSONAL_DB_CONTACTS, YUN_PERSONAL_DB_MESSAGES,
    YUN_PERSONAL_DB_CALLS, YUN_PERSONAL_DB_PHOTOS,
  };

  self->sync = yun_sync_new (store);
  for (guint i = 0; i < G_N_ELEMENTS (databases); i++)
    yun_sync_add_db (self->sync, databases[i]);
  g_signal_connect_object (self->sync, "notify::state", G_CALLBACK (on_sync_state), self, 0);
  g_signal_connect_object (self->sync, "changed", G_CALLBACK (on_sync_changed), self, 0);
  yun_bridge_set_service (self->bridge, "sync", self->sync);
  self->account = yun_sync_account_new (self->sync, self->session, self->options.cloud_url,
                                        self->options.profile_dir);
  yun_bridge_set_service (self->bridge, "account", self->account);
  yun_account_page_set_account (yun_permissions_page_get_account_page (
                                  yun_shell_window_get_permissions_page (self->window)),
                                self->account, self->sync);
  if (self->options.sync_url != NULL) {
    g_autoptr(GError) error = NULL;

    /* A server of the user's own, such as an Apache CouchDB cluster. */
    if (self->options.sync_user != NULL)
      yun_sync_set_basic_auth (self->sync, self->options.sync_user,
                               g_getenv ("YUN_SYNC_PASSWORD") != NULL ? g_getenv ("YUN_SYNC_PASSWORD")
                                                                       : "");
    if (!yun_sync_set_remote (self->sync, self->options.sync_url, &error))
      g_printerr ("yun-shell: --sync-url: %s\n", error->message);
  } else {
    yun_sync_account_restore (self->account);
  }
}

/* Home's search finds contacts and notes too. */
static void
add_personal_search (YunShellApplication *self,
                     Personal            *personal)
{
  YunHomePage *home = yun_shell_window_get_home_page (self->window);
  g_autoptr(YunPersonalSearch) contacts = NULL;
  g_autoptr(YunPersonalSearch) notes = NULL;

  contacts = yun_personal_search_new_for_contacts (g_hash_table_lookup (personal->services,
                                                                        "contacts"));
  notes = yun_personal_search_new_for_notes (personal->index);
  yun_home_page_add_search_provider (home, YUN_HOME_SEARCH_PROVIDER (contacts));
  yun_home_page_add_search_provider (home, YUN_HOME_SEARCH_PROVIDER (notes));
}

static void on_camera_active (YunCameraTaker      *camera,
                              GParamSpec          *pspec,
                              YunShellApplication *self);

/* --dev: the emulation panel's camera source, from the next picture on. */
static void
replace_camera (YunShellApplication *self)
{
  g_autofree char *source = g_steal_pointer (&self->dev_camera_source);

  if (self->camera != NULL)
    g_signal_handlers_disconnect_by_data (self->camera, self);
  g_clear_object (&self->camera);
  self->camera = yun_camera_taker_new (yun_shell_window_get_viewfinder (self->window), source);
  yun_camera_taker_set_location_source (self->camera, self->geolocation);
  g_signal_connect_object (self->camera, "notify::active", G_CALLBACK (on_camera_active), self, 0);
  yun_bridge_set_service (self->bridge, "picture-taker", self->camera);
}

static void
on_camera_active (YunCameraTaker      *camera,
                  GParamSpec          *pspec,
                  YunShellApplication *self)
{
  gboolean active = yun_camera_taker_get_active (camera);

  if (self->window != NULL)
    yun_shell_window_set_indicator (self->window, "camera", active);
  if (!active && self->dev_camera_source != NULL)
    replace_camera (self);
}

/* navigator.yun.apps (the store): progress to the page that asked. */
static void
on_apps_progress (YunAppsHost         *host,
                  const char          *caller_id,
                  JsonNode            *detail,
                  YunShellApplication *self)
{
  YunRunningApp *app;

  if (self->window == NULL)
    return;
  app = yun_running_apps_lookup (yun_shell_window_get_running_apps (self->window), caller_id);
  if (app != NULL && app->state == YUN_RUNNING_APP_LIVE)
    yun_app_view_send_event (app->view, "apps", "progress", detail);
}

/* An app the store uninstalls closes first, as with the tile's menu. */
static void
on_apps_closing (YunAppsHost         *host,
                 const char          *app_id,
                 YunShellApplication *self)
{
  if (self->window != NULL)
    yun_shell_window_close_app (self->window, app_id);
  yun_warm_pool_drop (self->warm_pool, app_id);
}

static void
on_apps_changed (YunAppsHost         *host,
                 const char          *app_id,
                 gboolean             installed,
                 YunShellApplication *self)
{
  /* A reinstalled app starts with no decisions. */
  if (!installed) {
    YunPermissionStore *store = yun_permission_gate_get_store (self->gate);
    g_autoptr(GPtrArray) decisions = yun_permission_store_list_decisions (store);
    g_autoptr(GPtrArray) forget = g_ptr_array_new_with_free_func (g_free);

    for (guint i = 0; i < decisions->len; i++) {
      YunPermissionDecision *decision = g_ptr_array_index (decisions, i);

      if (g_str_equal (decision->app_id, app_id))
        g_ptr_array_add (forget, g_strdup (decision->permission));
    }
    for (guint i = 0; i < forget->len; i++)
      yun_permission_store_set (store, app_id, g_ptr_array_index (forget, i),
                                YUN_PERMISSION_STATE_PROMPT);
  }
  if (self->window != NULL)
    show_installed (self);
}

static void
on_dev_app_found (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(YunShellApplication) self = user_data;
  g_autoptr(YunManifest) manifest = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *app_id = NULL;
  g_autofree char *url = NULL;

  g_application_release (G_APPLICATION (self));
  manifest = yun_dev_window_find_app_finish (YUN_DEV_WINDOW (source), result, &app_id, &url,
                                             &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (manifest == NULL) {
    g_printerr ("yun-shell: cannot open %s: %s\n", self->options.dev_target, error->message);
    yun_shell_window_show_message (self->window, "Could not open the app", error->message);
    self->status = 1;
    return;
  }
  g_free (self->dev_start_url);
  self->dev_start_url = g_steal_pointer (&url);
  open_app (self, app_id, manifest, g_get_real_time ());
}

static void
on_dev_camera_source_changed (YunEmulationPanel   *panel,
                              const char          *source,
                              YunShellApplication *self)
{
  if (self->bridge == NULL)
    return;
  /* The camera in use keeps its source until the picture is taken. */
  g_free (self->dev_camera_source);
  self->dev_camera_source = g_strdup (source);
  if (self->camera == NULL || !yun_camera_taker_get_active (self->camera))
    replace_camera (self);
}

/* --dev: the bridge is there; open the developer's app. */
static void
start_dev_session (YunShellApplication *self)
{
  yun_dev_window_set_bridge (self->dev_window, self->bridge);
  g_signal_connect_object (yun_dev_window_get_emulation_panel (self->dev_window),
                           "camera-source-changed", G_CALLBACK (on_dev_camera_source_changed),
                           self, 0);
  if (self->options.dev_target == NULL)
    return;
  g_application_hold (G_APPLICATION (self));
  yun_dev_window_find_app_async (self->dev_window, self->session, self->options.dev_target,
                                 self->cancellable, on_dev_app_found, g_object_ref (self));
}

static void
on_personal_ready (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(YunShellApplication) self = user_data;
  g_autoptr(Personal) personal = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *app_id = NULL;

  g_application_release (G_APPLICATION (self));
  personal = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->bridge = yun_bridge_new (self->device, self->gate);
  /* Without personal data apps still run; those calls say why they fail. */
  if (personal != NULL) {
    GHashTableIter iter;
    gpointer name, service;

    yun_bridge_set_personal_store (self->bridge, personal->store);
    g_hash_table_iter_init (&iter, personal->services);
    while (g_hash_table_iter_next (&iter, &name, &service))
      yun_bridge_set_service (self->bridge, name, service);
    yun_contact_picker_sheet_set_contacts (yun_shell_window_get_contact_picker (self->window),
                                           g_hash_table_lookup (personal->services, "contacts"));
    yun_bridge_set_service (self->bridge, "contact-chooser",
                            yun_shell_window_get_contact_picker (self->window));
    add_personal_search (self, personal);
    start_sync (self, personal->store);
  } else {
    g_printerr ("yun-shell: cannot open personal data: %s\n", error->message);
  }
  /* The camera needs no personal data; only keeping photos does. */
  self->camera = yun_camera_taker_new (yun_shell_window_get_viewfinder (self->window),
                                       self->options.camera_source);
  yun_camera_taker_set_location_source (self->camera, self->geolocation);
  g_signal_connect_object (self->camera, "notify::active", G_CALLBACK (on_camera_active), self, 0);
  yun_bridge_set_service (self->bridge, "picture-taker", self->camera);
  /* navigator.share(): the sheet is the user's consent. */
  yun_bridge_set_service (self->bridge, "share-sheet",
                          yun_shell_window_get_share_sheet (self->window));
  /* navigator.yun.apps: the gate lets only the store use it. */
  yun_bridge_set_service (self->bridge, "installer", self->installer);
  self->apps_host = yun_apps_host_new ();
  g_signal_connect_object (self->apps_host, "progress", G_CALLBACK (on_apps_progress), self, 0);
  g_signal_connect_object (self->apps_host, "closing", G_CALLBACK (on_apps_closing), self, 0);
  g_signal_connect_object (self->apps_host, "changed", G_CALLBACK (on_apps_changed), self, 0);
  yun_bridge_set_service (self->bridge, "apps-host", self->apps_host);
  if (self->dev_window != NULL)
    start_dev_session (self);

  app_id = g_steal_pointer (&self->waiting_app_id);
  if (app_id != NULL)
    launch_app (self, app_id);
}

/* The built-in apps a new profile starts with. */
static const char * const default_apps[] = { "contacts", "notes", "gallery", NULL };

static void
on_default_app_installed (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(Pending) pending = user_data;
  g_autoptr(YunAppRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  record = yun_app_installer_install_hosted_finish (YUN_APP_INSTALLER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (record == NULL) {
    g_printerr ("yun-shell: cannot install the built-in app %s: %s\n", pending->app_id,
                error->message);
    return;
  }
  show_installed (pending->self);
}

/* A profile with no app installed gets the built-in apps from the cloud,
 * as the Install method would install them; when the cloud cannot be
 * reached the next start tries again.  YUN_NO_DEFAULT_APPS (any value)
 * leaves the profile empty, for tests. */
static void
install_default_apps (YunShellApplication *self)
{
  g_autoptr(GPtrArray) records = yun_app_registry_list (self->registry);
  const char *skip = g_getenv ("YUN_NO_DEFAULT_APPS");

  if (records->len > 0 || (skip != NULL && *skip != '\0'))
    return;
  for (guint i = 0; default_apps[i] != NULL; i++) {
    g_autofree char *relative = g_strdup_printf ("apps/%s/manifest.json", default_apps[i]);
    g_autofree char *manifest_url = g_uri_resolve_relative (self->options.cloud_url, relative,
                                                            G_URI_FLAGS_NONE, NULL);

    if (manifest_url == NULL)
      return;
    yun_app_installer_install_hosted_async (self->installer, default_apps[i], manifest_url,
                                            self->cancellable, NULL, NULL,
                                            on_default_app_installed,
                                            pending_new (self, NULL, default_apps[i]));
  }
}

static void
on_registry_ready (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(YunShellApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;

  g_application_release (G_APPLICATION (self));
  self->registry = yun_app_registry_open_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (self->registry == NULL) {
    g_printerr ("yun-shell: %s\n", error->message);
    yun_shell_window_show_message (self->window, "Cannot read the installed apps", error->message);
    self->status = 1;
    finish_pending_launch (self, error);
    start_screenshot (self);
    return;
  }

  self->installer = yun_app_installer_new (self->registry, self->session);
  yun_home_page_set_registry (yun_shell_window_get_home_page (self->window), self->registry);
  show_installed (self);
  install_default_apps (self);

  task = g_task_new (NULL, self->cancellable, on_personal_ready, g_object_ref (self));
  g_task_set_source_tag (task, open_personal_thread);
  g_task_set_task_data (task, g_strdup (self->options.profile_dir), g_free);
  g_application_hold (G_APPLICATION (self));
  g_task_run_in_thread (task, open_personal_thread);
}

/* A decision changed: the app's live page hears of it. */
static void
on_decision_changed (YunPermissionStore  *store,
                     const char          *app_id,
                     const char          *permission,
                     int                  state,
                     YunShellApplication *self)
{
  YunRunningApp *app;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) detail = NULL;

  if (self->window == NULL)
    return;
  app = yun_running_apps_lookup (yun_shell_window_get_running_apps (self->window), app_id);
  if (app == NULL || app->state != YUN_RUNNING_APP_LIVE)
    return;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, permission);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, yun_permission_state_to_string (state));
  json_builder_end_object (builder);
  detail = json_builder_get_root (builder);
  yun_app_view_send_event (app->view, "permissions", "change", detail);
}

/* The store is the app "store" served by the shell's own cloud: only it
 * may hold the "apps" permission, whatever other manifests declare. */
static void
reserve_store (YunShellApplication *self)
{
  g_autofree char *manifest_url = g_uri_resolve_relative (self->options.cloud_url,
                                                          "apps/store/manifest.json",
                                                          G_URI_FLAGS_NONE, NULL);

  if (manifest_url != NULL)
    yun_permission_gate_reserve (self->gate, "apps", "store", manifest_url);
}

static void
on_permission_store_ready (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(YunShellApplication) self = user_data;
  g_autoptr(YunPermissionStore) store = NULL;
  g_autoptr(GError) error = NULL;

  g_application_release (G_APPLICATION (self));
  store = yun_permission_store_open_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (store == NULL) {
    g_printerr ("yun-shell: %s\n", error->message);
    yun_shell_window_show_message (self->window, "Cannot read your permission settings",
                                   error->message);
    self->status = 1;
    finish_pending_launch (self, error);
    start_screenshot (self);
    return;
  }

  self->gate = yun_permission_gate_new (store);
  reserve_store (self);
  g_signal_connect_object (store, "changed", G_CALLBACK (on_decision_changed), self, 0);
  yun_permission_gate_set_prompter (self->gate, YUN_PERMISSION_PROMPTER (
                                      yun_shell_window_get_permission_sheet (self->window)));

  g_application_hold (G_APPLICATION (self));
  yun_app_registry_open_async (self->options.profile_dir, self->cancellable, on_registry_ready,
                               g_object_ref (self));
}

static void
on_location_active (YunGeolocationHub   *hub,
                    GParamSpec          *pspec,
                    YunShellApplication *self)
{
  if (self->window != NULL)
    yun_shell_window_set_indicator (self->window, "location",
                                    yun_geolocation_hub_get_active (hub));
}

/* The status bar says when the phone has no network. */
static void
on_network_changed (GNetworkMonitor     *monitor,
                    GParamSpec          *pspec,
                    YunShellApplication *self)
{
  if (self->window != NULL)
    yun_shell_window_set_indicator (self->window, "offline",
                                    !g_network_monitor_get_network_available (monitor));
}

static void
yun_shell_application_startup (GApplication *application)
{
  YunShellApplication *self = YUN_SHELL_APPLICATION (application);
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  g_autofree char *permissions = NULL;

  G_APPLICATION_CLASS (yun_shell_application_parent_class)->startup (application);

  yun_shell_register_resource ();
  g_action_map_add_action_entries (G_ACTION_MAP (application), actions, G_N_ELEMENTS (actions),
                                   application);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (application), accels[i].action,
                                           accels[i].keys);
  gtk_css_provider_load_from_resource (css, "/org/yun/shell/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  self->device = yun_device_new ();
  self->geolocation = yun_geolocation_hub_new (self->options.location_spec);
  self->warm_pool = yun_warm_pool_new ();
  g_signal_connect_object (self->geolocation, "notify::active",
                           G_CALLBACK (on_location_active), self, 0);
  self->session = soup_session_new ();

  permissions = g_build_filename (self->options.profile_dir, "permissions.sqlite", NULL);
  g_application_hold (application);
  yun_permission_store_open_async (permissions, self->cancellable, on_permission_store_ready,
                                   g_object_ref (self));
}

static void
on_first_frame (GdkFrameClock       *clock,
                YunShellApplication *self)
{
  g_signal_handlers_disconnect_by_func (clock, on_first_frame, self);
  self->first_frame_time = g_get_real_time ();
}

static void
yun_shell_application_activate (GApplication *application)
{
  YunShellApplication *self = YUN_SHELL_APPLICATION (application);

  if (self->window != NULL) {
    gtk_window_present (GTK_WINDOW (self->window));
    return;
  }

  self->window = yun_shell_window_new (GTK_APPLICATION (self), self->options.width,
                                       self->options.height, self->options.max_live_apps);
  if (self->options.dev) {
    /* The developer session shows the phone's screen in its own window;
     * the phone's window stays, unshown, for what it owns. */
    g_autoptr(GtkWidget) screen = g_object_ref (gtk_window_get_child (GTK_WINDOW (self->window)));

    gtk_window_set_child (GTK_WINDOW (self->window), NULL);
    self->dev_window = yun_dev_window_new (GTK_APPLICATION (self), screen, self->geolocation);
    if (self->automation != NULL)
      yun_dev_window_connect_automation (self->dev_window, self->automation);
    gtk_window_present (GTK_WINDOW (self->dev_window));
    g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (self->dev_window)), "after-paint",
                      G_CALLBACK (on_first_frame), self);
  } else {
    gtk_window_present (GTK_WINDOW (self->window));
    g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (self->window)), "after-paint",
                      G_CALLBACK (on_first_frame), self);
  }
  g_signal_connect_object (yun_shell_window_get_running_apps (self->window), "changed",
                           G_CALLBACK (on_running_changed), self, 0);
  g_signal_connect_object (g_network_monitor_get_default (), "notify::network-available",
                           G_CALLBACK (on_network_changed), self, 0);
  on_network_changed (g_network_monitor_get_default (), NULL, self);

  if (self->options.screenshot_path != NULL)
    self->screenshot_timeout_id = g_timeout_add_seconds (SCREENSHOT_TIMEOUT_SECONDS,
                                                         on_screenshot_timeout, self);

  yun_home_page_load (yun_shell_window_get_home_page (self->window), self->session,
                      self->options.cloud_url);
  if (self->automation != NULL)
    yun_home_automation_connect (self->automation, yun_shell_window_get_home_page (self->window));
  if (self->options.app_id != NULL) {
    launch_app (self, self->options.app_id);
  } else {
    yun_shell_window_show_home (self->window);
    start_screenshot (self);
  }
}

static void
yun_shell_application_dispose (GObject *object)
{
  YunShellApplication *self = YUN_SHELL_APPLICATION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->screenshot_timeout_id, g_source_remove);
  g_clear_object (&self->pending_launch);
  g_clear_object (&self->automation);
  g_clear_object (&self->session);
  g_clear_object (&self->bridge);
  g_clear_object (&self->installer);
  g_clear_object (&self->registry);
  g_clear_object (&self->gate);
  g_clear_object (&self->device);
  g_clear_object (&self->geolocation);
  g_clear_handle_id (&self->refill_id, g_source_remove);
  g_clear_object (&self->warm_pool);
  g_clear_object (&self->account);
  g_clear_object (&self->sync);
  g_clear_object (&self->camera);
  g_clear_object (&self->apps_host);

  G_OBJECT_CLASS (yun_shell_application_parent_class)->dispose (object);
}

static void
yun_shell_application_finalize (GObject *object)
{
  YunShellApplication *self = YUN_SHELL_APPLICATION (object);

  g_free (self->options.cloud_url);
  g_free (self->options.profile_dir);
  g_free (self->options.app_id);
  g_free (self->options.screenshot_path);
  g_free (self->options.location_spec);
  g_free (self->options.sync_url);
  g_free (self->options.sync_user);
  g_free (self->options.camera_source);
  g_free (self->options.dev_target);
  g_free (self->dev_start_url);
  g_free (self->dev_camera_source);
  g_free (self->waiting_app_id);

  G_OBJECT_CLASS (yun_shell_application_parent_class)->finalize (object);
}

static void
yun_shell_application_class_init (YunShellApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = yun_shell_application_dispose;
  object_class->finalize = yun_shell_application_finalize;
  application_class->startup = yun_shell_application_startup;
  application_class->activate = yun_shell_application_activate;
  application_class->dbus_register = yun_shell_application_dbus_register;
  application_class->dbus_unregister = yun_shell_application_dbus_unregister;
}

static void
yun_shell_application_init (YunShellApplication *self)
{
  self->cancellable = g_cancellable_new ();
}

/**
 * yun_shell_application_new:
 * @options: how to start; copied
 *
 * Returns: (transfer full): the shell application
 */
YunShellApplication *
yun_shell_application_new (const YunShellOptions *options)
{
  YunShellApplication *self;

  g_return_val_if_fail (options != NULL && options->cloud_url != NULL, NULL);
  g_return_val_if_fail (options->profile_dir != NULL, NULL);

  self = g_object_new (YUN_TYPE_SHELL_APPLICATION,
                       "application-id", "org.yun.Shell",
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
  self->options = *options;
  self->options.cloud_url = g_strdup (options->cloud_url);
  self->options.profile_dir = g_strdup (options->profile_dir);
  self->options.app_id = g_strdup (options->app_id);
  self->options.screenshot_path = g_strdup (options->screenshot_path);
  self->options.location_spec = g_strdup (options->location_spec);
  self->options.sync_url = g_strdup (options->sync_url);
  self->options.sync_user = g_strdup (options->sync_user);
  self->options.camera_source = g_strdup (options->camera_source);
  self->options.dev_target = g_strdup (options->dev_target);

  return self;
}

/**
 * yun_shell_application_get_status:
 * @self: the shell application
 *
 * Returns: the exit status: 0, or 1 when the app given at start could not
 *   be opened or the screenshot could not be taken
 */
int
yun_shell_application_get_status (YunShellApplication *self)
{
  g_return_val_if_fail (YUN_IS_SHELL_APPLICATION (self), 1);
  return self->status;
}
