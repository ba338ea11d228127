/* yun-apps-host.c: the shell's side of navigator.yun.apps.
 *
 * The bridge core has no widgets, yet installing an app changes what the
 * shell shows: the caller's page hears how the install goes, an app being
 * removed is closed first, and the home screen shows what is installed.
 * The apps namespace tells this object; the shell connects to its signals
 * and gives it to the bridge as the "apps-host" service.  Without one the
 * namespace still works, it just tells nobody.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-apps-host.h"

enum {
  PROGRESS,
  CLOSING,
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

struct _YunAppsHost
{
  GObject parent_instance;
};

G_DEFINE_FINAL_TYPE (YunAppsHost, yun_apps_host, G_TYPE_OBJECT)

static void
yun_apps_host_class_init (YunAppsHostClass *klass)
{
  /**
   * YunAppsHost::progress:
   * @host: the host
   * @caller_id: the app whose page asked for the install
   * @detail: the event's detail, `{id, phase, fraction}`
   *
   * An install or update is going on: the caller's live page should get
   * an apps "progress" event with @detail.
   */
  signals[PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 2,
                                    G_TYPE_STRING, JSON_TYPE_NODE);

  /**
   * YunAppsHost::closing:
   * @host: the host
   * @app_id: the app about to be uninstalled
   *
   * Its files and data are about to go: close its views now.
   */
  signals[CLOSING] = g_signal_new ("closing", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * YunAppsHost::changed:
   * @host: the host
   * @app_id: the app that was installed, updated or uninstalled
   * @installed: %TRUE when it is installed now, %FALSE when it was
   *   uninstalled
   *
   * The installed apps changed.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 2,
                                   G_TYPE_STRING, G_TYPE_BOOLEAN);
}

static void
yun_apps_host_init (YunAppsHost *self)
{
}

/**
 * yun_apps_host_new:
 *
 * Returns: (transfer full): a host nobody listens to yet
 */
YunAppsHost *
yun_apps_host_new (void)
{
  return g_object_new (YUN_TYPE_APPS_HOST, NULL);
}

/**
 * yun_apps_host_send_progress:
 * @self: a host
 * @caller_id: the app that asked for the install
 * @app_id: the app being installed
 * @phase: "download", "verify", "install" or "done"
 * @fraction: how much is done, 0 to 1
 *
 * Emits #YunAppsHost::progress.
 */
void
yun_apps_host_send_progress (YunAppsHost *self,
                             const char  *caller_id,
                             const char  *app_id,
                             const char  *phase,
                             double       fraction)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) detail = NULL;

  g_return_if_fail (YUN_IS_APPS_HOST (self));
  g_return_if_fail (caller_id != NULL && app_id != NULL && phase != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, app_id);
  json_builder_set_member_name (builder, "phase");
  json_builder_add_string_value (builder, phase);
  json_builder_set_member_name (builder, "fraction");
  json_builder_add_double_value (builder, CLAMP (fraction, 0.0, 1.0));
  json_builder_end_object (builder);
  detail = json_builder_get_root (builder);
  g_signal_emit (self, signals[PROGRESS], 0, caller_id, detail);
}

/**
 * yun_apps_host_closing:
 * @self: a host
 * @app_id: the app about to be uninstalled
 *
 * Emits #YunAppsHost::closing.
 */
void
yun_apps_host_closing (YunAppsHost *self,
                       const char  *app_id)
{
  g_return_if_fail (YUN_IS_APPS_HOST (self));
  g_return_if_fail (app_id != NULL);

  g_signal_emit (self, signals[CLOSING], 0, app_id);
}

/**
 * yun_apps_host_changed:
 * @self: a host
 * @app_id: the app that changed
 * @installed: whether it is installed now
 *
 * Emits #YunAppsHost::changed.
 */
void
yun_apps_host_changed (YunAppsHost *self,
                       const char  *app_id,
                       gboolean     installed)
{
  g_return_if_fail (YUN_IS_APPS_HOST (self));
  g_return_if_fail (app_id != NULL);

  g_signal_emit (self, signals[CHANGED], 0, app_id, installed);
}
