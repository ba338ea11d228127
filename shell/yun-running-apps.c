/* yun-running-apps.c: the apps the user has open, live or suspended.
 *
 * At most max-live apps keep a web view.  Opening one more suspends the
 * least recently used: the page gets the Page Lifecycle `freeze` event,
 * the shell keeps its snapshot, URL and scroll position, and its web view
 * (with its web process) goes.  Opening it again loads that URL, puts the
 * scroll position back and sends `resume`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-running-apps.h"

#include "yun-json.h"

/* The shell's own script world: the page cannot change what it sees. */
#define SHELL_WORLD "yun-shell"
/* A page that does not answer `freeze` in this time is suspended anyway. */
#define FREEZE_TIMEOUT_MS 1000

enum {
  SIGNAL_VIEW_REMOVED,
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

struct _YunRunningApps
{
  GObject parent_instance;

  guint max_live;
  /* YunRunningApp, the most recently used first. */
  GPtrArray *apps;
};

G_DEFINE_FINAL_TYPE (YunRunningApps, yun_running_apps, G_TYPE_OBJECT)

static void
running_app_free (YunRunningApp *app)
{
  g_cancellable_cancel (app->cancellable);
  g_clear_object (&app->cancellable);
  g_free (app->app_id);
  g_clear_object (&app->manifest);
  g_clear_object (&app->view);
  g_clear_object (&app->snapshot);
  g_free (app->url);
  g_free (app);
}

static void
yun_running_apps_finalize (GObject *object)
{
  YunRunningApps *self = YUN_RUNNING_APPS (object);

  g_ptr_array_unref (self->apps);

  G_OBJECT_CLASS (yun_running_apps_parent_class)->finalize (object);
}

static void
yun_running_apps_class_init (YunRunningAppsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = yun_running_apps_finalize;

  /**
   * YunRunningApps::view-removed:
   * @view: the view that is no longer needed
   *
   * An app's view was let go, because the app was suspended or closed:
   * take it off the screen.
   */
  signals[SIGNAL_VIEW_REMOVED] =
    g_signal_new ("view-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, YUN_TYPE_APP_VIEW);

  /**
   * YunRunningApps::changed:
   *
   * The list, an app's state or a snapshot changed.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
yun_running_apps_init (YunRunningApps *self)
{
  self->apps = g_ptr_array_new_with_free_func ((GDestroyNotify) running_app_free);
}

/**
 * yun_running_apps_new:
 * @max_live: how many apps may keep a web view; at least 1
 *
 * Returns: (transfer full): an empty list of running apps
 */
YunRunningApps *
yun_running_apps_new (guint max_live)
{
  YunRunningApps *self = g_object_new (YUN_TYPE_RUNNING_APPS, NULL);

  self->max_live = MAX (max_live, 1);
  return self;
}

/**
 * yun_running_apps_get_max_live:
 * @self: the running apps
 *
 * Returns: how many apps may keep a web view
 */
guint
yun_running_apps_get_max_live (YunRunningApps *self)
{
  g_return_val_if_fail (YUN_IS_RUNNING_APPS (self), 0);
  return self->max_live;
}

/**
 * yun_running_apps_list:
 * @self: the running apps
 *
 * Returns: (transfer container) (element-type YunRunningApp): the open
 *   apps, the most recently used first
 */
GPtrArray *
yun_running_apps_list (YunRunningApps *self)
{
  GPtrArray *list;

  g_return_val_if_fail (YUN_IS_RUNNING_APPS (self), NULL);

  list = g_ptr_array_new ();
  for (guint i = 0; i < self->apps->len; i++)
    g_ptr_array_add (list, g_ptr_array_index (self->apps, i));
  return list;
}

static guint
index_of (YunRunningApps *self,
          const char     *app_id)
{
  for (guint i = 0; i < self->apps->len; i++) {
    YunRunningApp *app = g_ptr_array_index (self->apps, i);

    if (g_str_equal (app->app_id, app_id))
      return i;
  }
  return G_MAXUINT;
}

/**
 * yun_running_apps_lookup:
 * @self: the running apps
 * @app_id: an app id
 *
 * Returns: (transfer none) (nullable): the app, if it is open
 */
YunRunningApp *
yun_running_apps_lookup (YunRunningApps *self,
                         const char     *app_id)
{
  guint i;

  g_return_val_if_fail (YUN_IS_RUNNING_APPS (self), NULL);
  g_return_val_if_fail (app_id != NULL, NULL);

  i = index_of (self, app_id);
  return i == G_MAXUINT ? NULL : g_ptr_array_index (self->apps, i);
}

/**
 * yun_running_apps_lookup_view:
 * @self: the running apps
 * @view: an app view
 *
 * Returns: (transfer none) (nullable): the open app that @view shows
 */
YunRunningApp *
yun_running_apps_lookup_view (YunRunningApps *self,
                              YunAppView     *view)
{
  g_return_val_if_fail (YUN_IS_RUNNING_APPS (self), NULL);

  for (guint i = 0; i < self->apps->len; i++) {
    YunRunningApp *app = g_ptr_array_index (self->apps, i);

    if (app->view == view)
      return app;
  }
  return NULL;
}

/* Work on one app that may be closed or reopened before it finishes: the
 * callbacks find the app again by id and check it is the same round. */
typedef struct {
  YunRunningApps *self;
  char *app_id;
  GCancellable *cancellable;
  guint timeout_id;
  gboolean timed_out;
} Step;

static Step *
step_new (YunRunningApps *self,
          YunRunningApp  *app)
{
  Step *step = g_new0 (Step, 1);

  step->self = g_object_ref (self);
  step->app_id = g_strdup (app->app_id);
  step->cancellable = g_object_ref (app->cancellable);
  return step;
}

static void
step_free (Step *step)
{
  g_clear_handle_id (&step->timeout_id, g_source_remove);
  g_object_unref (step->self);
  g_free (step->app_id);
  g_object_unref (step->cancellable);
  g_free (step);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Step, step_free)

/* The app the step is about, if it is still in the same round. */
static YunRunningApp *
step_get_app (Step *step)
{
  YunRunningApp *app = yun_running_apps_lookup (step->self, step->app_id);

  if (app == NULL || app->cancellable != step->cancellable ||
      g_cancellable_is_cancelled (step->cancellable))
    return NULL;
  return app;
}

static void
finish_suspension (YunRunningApps *self,
                   YunRunningApp  *app)
{
  g_autoptr(YunAppView) view = g_steal_pointer (&app->view);

  g_free (app->url);
  app->url = g_strdup (webkit_web_view_get_uri (yun_app_view_get_web_view (view)));
  app->state = YUN_RUNNING_APP_SUSPENDED;
  g_debug ("%s: suspended at %s (%g, %g)", app->app_id, app->url, app->scroll_x, app->scroll_y);
  g_signal_emit (self, signals[SIGNAL_VIEW_REMOVED], 0, view);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
on_suspend_snapshot (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Step) step = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  YunRunningApp *app;

  texture = webkit_web_view_get_snapshot_finish (WEBKIT_WEB_VIEW (source), result, &error);
  app = step_get_app (step);
  if (app == NULL)
    return;
  /* A view off the screen may have nothing to show; the snapshot taken
   * when the user left it stays. */
  if (texture != NULL)
    g_set_object (&app->snapshot, texture);
  finish_suspension (step->self, app);
}

static void
take_suspend_snapshot (YunRunningApps *self,
                       YunRunningApp  *app)
{
  webkit_web_view_get_snapshot (yun_app_view_get_web_view (app->view),
                                WEBKIT_SNAPSHOT_REGION_VISIBLE, WEBKIT_SNAPSHOT_OPTIONS_NONE,
                                app->cancellable, on_suspend_snapshot, step_new (self, app));
}

/* The page's answer to `freeze`: its scroll position. */
static void
on_frozen (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Step) step = user_data;
  g_autoptr(JSCValue) value = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) node = NULL;
  YunRunningApp *app;

  value = webkit_web_view_call_async_javascript_function_finish (WEBKIT_WEB_VIEW (source),
                                                                 result, &error);
  /* Too late: the timeout went on without the page. */
  if (step->timed_out)
    return;
  g_clear_handle_id (&step->timeout_id, g_source_remove);
  app = step_get_app (step);
  if (app == NULL)
    return;

  if (value != NULL && jsc_value_is_string (value)) {
    text = jsc_value_to_string (value);
    node = yun_json_parse_bounded (text, strlen (text), 256, 2, NULL);
  }
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node) &&
      json_array_get_length (json_node_get_array (node)) == 2) {
    app->scroll_x = json_array_get_double_element (json_node_get_array (node), 0);
    app->scroll_y = json_array_get_double_element (json_node_get_array (node), 1);
  } else {
    g_debug ("%s: no scroll position at freeze: %s", app->app_id,
             error != NULL ? error->message : "not an answer");
  }
  take_suspend_snapshot (step->self, app);
}

static gboolean
on_freeze_timeout (gpointer user_data)
{
  Step *step = user_data;
  YunRunningApp *app = step_get_app (step);

  step->timeout_id = 0;
  step->timed_out = TRUE;
  if (app != NULL) {
    g_debug ("%s: did not answer freeze in %d ms", app->app_id, FREEZE_TIMEOUT_MS);
    take_suspend_snapshot (step->self, app);
  }
  return G_SOURCE_REMOVE;
}

static void
suspend (YunRunningApps *self,
         YunRunningApp  *app)
{
  Step *step;

  g_cancellable_cancel (app->cancellable);
  g_set_object (&app->cancellable, g_cancellable_new ());
  g_object_unref (app->cancellable);
  app->state = YUN_RUNNING_APP_SUSPENDING;
  app->restoring = FALSE;

  /* Whichever of the page's answer and the timeout comes first takes the
   * snapshot; a late answer is dropped.  The answer's callback owns the
   * step. */
  step = step_new (self, app);
  step->timeout_id = g_timeout_add (FREEZE_TIMEOUT_MS, on_freeze_timeout, step);
  webkit_web_view_call_async_javascript_function (
    yun_app_view_get_web_view (app->view),
    "document.dispatchEvent (new Event ('freeze'));\n"
    "return JSON.stringify ([window.scrollX, window.scrollY]);",
    -1, NULL, SHELL_WORLD, NULL, step->cancellable, on_frozen, step);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/* Keeps at most max_live apps live: the least recently used go first.
 * The most recent app is never suspended. */
static void
enforce_limit (YunRunningApps *self)
{
  guint live = 0;

  for (guint i = 0; i < self->apps->len; i++) {
    YunRunningApp *app = g_ptr_array_index (self->apps, i);

    if (app->state != YUN_RUNNING_APP_LIVE)
      continue;
    if (++live > self->max_live)
      suspend (self, app);
  }
}

static void
move_to_front (YunRunningApps *self,
               guint           i)
{
  gpointer app = g_ptr_array_steal_index (self->apps, i);

  g_ptr_array_insert (self->apps, 0, app);
}

static void
on_restored (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Step) step = user_data;
  g_autoptr(JSCValue) value = NULL;
  g_autoptr(GError) error = NULL;

  value = webkit_web_view_call_async_javascript_function_finish (WEBKIT_WEB_VIEW (source),
                                                                 result, &error);
  if (value == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("%s: could not resume: %s", step->app_id, error->message);
}

static void
on_load_finished (YunAppView     *view,
                  YunRunningApps *self)
{
  YunRunningApp *app = yun_running_apps_lookup_view (self, view);
  g_autoptr(GVariant) position = NULL;
  GVariantDict arguments;

  if (app == NULL || !app->restoring)
    return;

  app->restoring = FALSE;
  g_variant_dict_init (&arguments, NULL);
  g_variant_dict_insert (&arguments, "x", "d", app->scroll_x);
  g_variant_dict_insert (&arguments, "y", "d", app->scroll_y);
  position = g_variant_ref_sink (g_variant_dict_end (&arguments));
  webkit_web_view_call_async_javascript_function (
    yun_app_view_get_web_view (view),
    "window.scrollTo (x, y);\n"
    "document.dispatchEvent (new Event ('resume'));",
    -1, position, SHELL_WORLD, NULL, app->cancellable, on_restored, step_new (self, app));
}

/**
 * yun_running_apps_add:
 * @self: the running apps
 * @view: a new view of an app, about to load
 * @restoring: whether @view reopens a suspended app at its saved URL; its
 *   scroll position is put back and `resume` sent once it has loaded
 *
 * Makes @view's app the most recent one, live, and suspends the least
 * recently used apps beyond the limit.
 */
void
yun_running_apps_add (YunRunningApps *self,
                      YunAppView     *view,
                      gboolean        restoring)
{
  const char *app_id;
  YunRunningApp *app;
  guint i;

  g_return_if_fail (YUN_IS_RUNNING_APPS (self));
  g_return_if_fail (YUN_IS_APP_VIEW (view));

  app_id = yun_app_view_get_app_id (view);
  i = index_of (self, app_id);
  if (i == G_MAXUINT) {
    app = g_new0 (YunRunningApp, 1);
    app->app_id = g_strdup (app_id);
    g_ptr_array_insert (self->apps, 0, app);
  } else {
    app = g_ptr_array_index (self->apps, i);
    move_to_front (self, i);
    if (app->view != NULL && app->view != view) {
      g_autoptr(YunAppView) old = g_steal_pointer (&app->view);

      g_signal_emit (self, signals[SIGNAL_VIEW_REMOVED], 0, old);
    }
  }

  g_cancellable_cancel (app->cancellable);
  g_set_object (&app->cancellable, g_cancellable_new ());
  g_object_unref (app->cancellable);
  g_set_object (&app->manifest, yun_app_view_get_manifest (view));
  if (app->view != view) {
    g_clear_object (&app->view);
    app->view = g_object_ref_sink (view);
  }
  app->state = YUN_RUNNING_APP_LIVE;
  app->restoring = restoring;
  g_signal_connect_object (view, "load-finished", G_CALLBACK (on_load_finished), self, 0);

  enforce_limit (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/**
 * yun_running_apps_touch:
 * @self: the running apps
 * @app_id: an open, live app
 *
 * Makes the app the most recently used, as when the user returns to it.
 */
void
yun_running_apps_touch (YunRunningApps *self,
                        const char     *app_id)
{
  guint i;

  g_return_if_fail (YUN_IS_RUNNING_APPS (self));

  i = index_of (self, app_id);
  if (i != G_MAXUINT && i != 0) {
    move_to_front (self, i);
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  }
}

/**
 * yun_running_apps_remove:
 * @self: the running apps
 * @app_id: an app id
 *
 * Closes the app, live or suspended, forgetting its state.
 */
void
yun_running_apps_remove (YunRunningApps *self,
                         const char     *app_id)
{
  YunRunningApp *app;
  guint i;

  g_return_if_fail (YUN_IS_RUNNING_APPS (self));

  i = index_of (self, app_id);
  if (i == G_MAXUINT)
    return;
  app = g_ptr_array_steal_index (self->apps, i);
  g_cancellable_cancel (app->cancellable);
  if (app->view != NULL)
    g_signal_emit (self, signals[SIGNAL_VIEW_REMOVED], 0, app->view);
  running_app_free (app);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
on_snapshot (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Step) step = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  YunRunningApp *app;

  texture = webkit_web_view_get_snapshot_finish (WEBKIT_WEB_VIEW (source), result, NULL);
  app = step_get_app (step);
  if (app == NULL || texture == NULL)
    return;
  g_set_object (&app->snapshot, texture);
  g_signal_emit (step->self, signals[SIGNAL_CHANGED], 0);
}

/**
 * yun_running_apps_update_snapshot:
 * @self: the running apps
 * @app_id: an open app
 *
 * Takes a new snapshot of a live app for the task switcher; ::changed
 * follows when it is ready.
 */
void
yun_running_apps_update_snapshot (YunRunningApps *self,
                                  const char     *app_id)
{
  YunRunningApp *app;

  g_return_if_fail (YUN_IS_RUNNING_APPS (self));

  app = yun_running_apps_lookup (self, app_id);
  if (app == NULL || app->state != YUN_RUNNING_APP_LIVE)
    return;
  webkit_web_view_get_snapshot (yun_app_view_get_web_view (app->view),
                                WEBKIT_SNAPSHOT_REGION_VISIBLE, WEBKIT_SNAPSHOT_OPTIONS_NONE,
                                app->cancellable, on_snapshot, step_new (self, app));
}

/**
 * yun_running_app_state_to_string:
 * @state: a state
 *
 * Returns: "live", "suspending" or "suspended"
 */
const char *
yun_running_app_state_to_string (YunRunningAppState state)
{
  switch (state) {
  case YUN_RUNNING_APP_LIVE:
    return "live";
  case YUN_RUNNING_APP_SUSPENDING:
    return "suspending";
  case YUN_RUNNING_APP_SUSPENDED:
  default:
    return "suspended";
  }
}
