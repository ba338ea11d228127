/* yun-app-view.c: one running app: its web view, web context and data.
 *
 * Each app gets a web context of its own, so that its web processes are its
 * own and the bridge extension in them knows which app and scope it serves,
 * and a network session of its own under <profile>/apps/<id>/, so cookies,
 * storage and cache never mix between apps.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-app-view.h"

#include "yun-app-scheme-handler.h"
#include "yun-blob-scheme-handler.h"
#include "yun-camera-taker.h"
#include "yun-json.h"
#include "yun-scope.h"
#include "yun-web-permissions.h"

enum {
  SIGNAL_LOAD_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Crashes closer together than this count as "in a row". */
#define CRASH_WINDOW_SECONDS 60
/* After this many crashes in a row the app is closed with an error. */
#define MAX_CRASHES_IN_A_ROW 3
/* How long the "restarted" notice stays. */
#define NOTICE_SECONDS 4

struct _YunAppView
{
  GtkWidget parent_instance;

  char *app_id;
  YunManifest *manifest;
  YunBridge *bridge;
  char *offline_dir;
  GtkWidget *overlay;
  GtkWidget *stack;
  WebKitWebView *web_view;
  GtkWidget *notice;
  GtkWidget *failure;
  GtkWidget *splash;
  GtkCssProvider *splash_css;
  /* Launch marks: YunLaunchMark, in the order they happened. */
  GArray *marks;
  GCancellable *cancellable;
  /* Cancelled when the page is replaced, for work about this page only. */
  GCancellable *page_cancellable;
  guint crashes_in_a_row;
  gint64 last_crash;
  /* Loading a blank page only to start its processes: no marks, no
   * signals. */
  gboolean prewarming;
  guint notice_id;
};

G_DEFINE_FINAL_TYPE (YunAppView, yun_app_view, GTK_TYPE_WIDGET)

static void
on_bridge_reply (char     *reply,
                 gpointer  user_data)
{
  g_autoptr(WebKitUserMessage) message = user_data;

  /* No reply: the app is closing and nobody waits. */
  if (reply == NULL)
    return;
  webkit_user_message_send_reply (message,
                                  webkit_user_message_new ("yun.reply",
                                                           g_variant_new_take_string (reply)));
}

static gboolean
on_user_message_received (WebKitWebView     *web_view,
                          WebKitUserMessage *message,
                          YunAppView        *self)
{
  GVariant *parameters = webkit_user_message_get_parameters (message);
  YunBridgeCaller caller = {
    .app_id = self->app_id,
    .manifest = self->manifest,
    .document_uri = webkit_web_view_get_uri (web_view),
  };
  const char *request = "";
  gsize length = 0;

  if (g_strcmp0 (webkit_user_message_get_name (message), "yun.call") != 0)
    return FALSE;

  /* A parameter that is not a string reaches the decoder as empty text and
   * is answered with its DataError like any other malformed request. */
  if (parameters != NULL && g_variant_is_of_type (parameters, G_VARIANT_TYPE_STRING))
    request = g_variant_get_string (parameters, &length);

  /* Work for this page stops when the page is replaced. */
  yun_bridge_handle (self->bridge, &caller, request, length, self->page_cancellable,
                     on_bridge_reply, g_object_ref (message));
  return TRUE;
}

static void
on_notice_timeout (gpointer user_data)
{
  YunAppView *self = user_data;

  self->notice_id = 0;
  gtk_widget_set_visible (self->notice, FALSE);
}

/* A crashed web process is replaced and the app reloaded, with a notice;
 * the third crash in a row closes the app with an error instead of
 * crashing forever. */
static void
on_web_process_terminated (WebKitWebView                     *web_view,
                           WebKitWebProcessTerminationReason  reason,
                           YunAppView                        *self)
{
  gint64 now = g_get_monotonic_time ();
  g_autofree char *text = NULL;
  const char *why = reason == WEBKIT_WEB_PROCESS_EXCEEDED_MEMORY_LIMIT ? "ran out of memory"
                                                                       : "stopped unexpectedly";

  if (self->last_crash != 0 && now - self->last_crash < CRASH_WINDOW_SECONDS * G_USEC_PER_SEC)
    self->crashes_in_a_row++;
  else
    self->crashes_in_a_row = 1;
  self->last_crash = now;
  g_message ("%s: the web process %s (%u in a row)", self->app_id, why, self->crashes_in_a_row);

  if (self->crashes_in_a_row >= MAX_CRASHES_IN_A_ROW) {
    text = g_strdup_printf ("“%s” %s %u times in a row and was closed.",
                            yun_manifest_get_name (self->manifest), why, self->crashes_in_a_row);
    gtk_label_set_text (GTK_LABEL (self->failure), text);
    gtk_stack_set_visible_child (GTK_STACK (self->stack), self->failure);
    g_clear_handle_id (&self->notice_id, g_source_remove);
    gtk_widget_set_visible (self->notice, FALSE);
    return;
  }

  text = g_strdup_printf ("“%s” %s and was restarted.", yun_manifest_get_name (self->manifest), why);
  gtk_label_set_text (GTK_LABEL (self->notice), text);
  gtk_widget_set_visible (self->notice, TRUE);
  g_clear_handle_id (&self->notice_id, g_source_remove);
  self->notice_id = g_timeout_add_once (NOTICE_SECONDS * 1000, on_notice_timeout, self);
  webkit_web_view_reload (web_view);
}

static void
mark_at (YunAppView *self,
         const char *name,
         gint64      time)
{
  YunLaunchMark mark = { g_intern_string (name), time };

  g_array_append_val (self->marks, mark);
}

static void
mark (YunAppView *self,
      const char *name)
{
  mark_at (self, name, g_get_real_time ());
}

static gboolean
has_mark (YunAppView *self,
          const char *name)
{
  for (guint i = 0; i < self->marks->len; i++) {
    if (g_str_equal (g_array_index (self->marks, YunLaunchMark, i).name, name))
      return TRUE;
  }
  return FALSE;
}

static void
on_splash_painted (GdkFrameClock *clock,
                   YunAppView    *self)
{
  g_signal_handlers_disconnect_by_func (clock, on_splash_painted, self);
  if (!has_mark (self, "splash"))
    mark (self, "splash");
}

/* The page's own Paint Timing entry says when it first painted content;
 * a page may paint after its load event, so wait a little for it. */
static const char first_paint_script[] =
  "for (let i = 0; i < 100; i++) {"
  "  const paints = performance.getEntriesByType ('paint');"
  "  const first = paints.find (p => p.name === 'first-contentful-paint') || paints[0];"
  "  if (first)"
  "    return performance.timeOrigin + first.startTime;"
  "  await new Promise (r => setTimeout (r, 50));"
  "}"
  "return null;";

static void
on_first_paint_ready (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(YunAppView) self = user_data;
  g_autoptr(JSCValue) value = NULL;

  value = webkit_web_view_call_async_javascript_function_finish (WEBKIT_WEB_VIEW (source), result,
                                                                 NULL);
  if (value != NULL && jsc_value_is_number (value) && !has_mark (self, "first-paint")) {
    /* Milliseconds since the epoch, to the microsecond clock of the others. */
    mark_at (self, "first-paint", (gint64) (jsc_value_to_double (value) * 1000));
  }
  g_signal_emit (self, signals[SIGNAL_LOAD_FINISHED], 0);
}

static void
on_load_changed (WebKitWebView   *web_view,
                 WebKitLoadEvent  event,
                 YunAppView      *self)
{
  if (self->prewarming)
    return;
  if (event == WEBKIT_LOAD_COMMITTED) {
    /* Scripts sent to the old page may never answer once it is gone. */
    g_cancellable_cancel (self->page_cancellable);
    g_set_object (&self->page_cancellable, g_cancellable_new ());
    if (!has_mark (self, "committed"))
      mark (self, "committed");
    /* The page replaces the splash as soon as it has a document. */
    if (gtk_stack_get_visible_child (GTK_STACK (self->stack)) == self->splash)
      gtk_stack_set_visible_child (GTK_STACK (self->stack), GTK_WIDGET (self->web_view));
  } else if (event == WEBKIT_LOAD_FINISHED) {
    if (has_mark (self, "load-finished")) {
      g_signal_emit (self, signals[SIGNAL_LOAD_FINISHED], 0);
      return;
    }
    mark (self, "load-finished");
    webkit_web_view_call_async_javascript_function (web_view, first_paint_script, -1, NULL,
                                                    "yun-shell", NULL, self->cancellable,
                                                    on_first_paint_ready, g_object_ref (self));
  }
}

/* The first frame of a launch: the manifest's background colour and the
 * app's name, shown until the page has a document. */
static GtkWidget *
build_splash (YunAppView *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  const char *name = yun_manifest_get_name (self->manifest);
  g_autofree char *initial = g_utf8_strup (name, g_utf8_next_char (name) - name);
  GtkWidget *badge = gtk_label_new (initial);
  GtkWidget *label = gtk_label_new (name);
  const char *background = yun_manifest_get_background_color (self->manifest);
  const char *theme = yun_manifest_get_theme_color (self->manifest);
  g_autofree char *css = g_strdup_printf (
    ".yun-splash { background-color: %s; }\n"
    ".yun-splash .yun-app-badge { background-color: %s; }",
    background != NULL ? background : "#ffffff", theme != NULL ? theme : "#1c6e8c");

  gtk_widget_add_css_class (box, "yun-splash");
  gtk_widget_add_css_class (badge, "yun-app-badge");
  gtk_widget_set_valign (box, GTK_ALIGN_FILL);
  gtk_widget_set_vexpand (badge, TRUE);
  gtk_widget_set_valign (badge, GTK_ALIGN_END);
  gtk_widget_set_halign (badge, GTK_ALIGN_CENTER);
  gtk_widget_set_vexpand (label, TRUE);
  gtk_widget_set_valign (label, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (box), badge);
  gtk_box_append (GTK_BOX (box), label);

  /* The colours were checked as CSS colours when the manifest was read. */
  self->splash_css = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (self->splash_css, css, -1);
  gtk_style_context_add_provider (gtk_widget_get_style_context (box),
                                  GTK_STYLE_PROVIDER (self->splash_css),
                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
  gtk_style_context_add_provider (gtk_widget_get_style_context (badge),
                                  GTK_STYLE_PROVIDER (self->splash_css),
                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
  return box;
}

/* The installer kept an offline copy of a hosted app's start page: with the
 * network down, the app opens from it, at its own URL, so it keeps its
 * bridge and can show what it cached. */
static gboolean
load_offline_copy (YunAppView *self,
                   const char *uri)
{
  g_autofree char *index_path = g_build_filename (self->offline_dir, "index.json", NULL);
  g_autofree char *index_text = NULL;
  g_autofree char *page_path = NULL;
  g_autofree char *page = NULL;
  g_autoptr(JsonNode) index = NULL;
  gsize length = 0;
  JsonObject *entry;

  /* Both files are small and local, and only read when the network has
   * already failed. */
  if (!g_file_get_contents (index_path, &index_text, &length, NULL))
    return FALSE;
  index = yun_json_parse_bounded (index_text, length, 1024 * 1024, 8, NULL);
  if (index == NULL || !JSON_NODE_HOLDS_OBJECT (index) ||
      !json_object_has_member (json_node_get_object (index), uri))
    return FALSE;
  entry = json_object_get_object_member (json_node_get_object (index), uri);
  if (entry == NULL || !json_object_has_member (entry, "file"))
    return FALSE;

  page_path = g_build_filename (self->offline_dir,
                                json_object_get_string_member (entry, "file"), NULL);
  if (!g_file_get_contents (page_path, &page, NULL, NULL))
    return FALSE;

  g_message ("%s: the network failed; opening the offline copy of %s", self->app_id, uri);
  webkit_web_view_load_html (self->web_view, page, uri);
  return TRUE;
}

static gboolean
on_load_failed (WebKitWebView   *web_view,
                WebKitLoadEvent  event,
                const char      *failing_uri,
                GError          *error,
                YunAppView      *self)
{
  if (g_error_matches (error, WEBKIT_NETWORK_ERROR, WEBKIT_NETWORK_ERROR_CANCELLED))
    return FALSE;
  return self->offline_dir != NULL && load_offline_copy (self, failing_uri);
}

/* The standard Permissions API answers from the same gate as
 * navigator.yun.permissions.query, for the permissions both know. */
static gboolean
on_query_permission_state (WebKitWebView              *web_view,
                           WebKitPermissionStateQuery *query,
                           YunAppView                 *self)
{
  const char *permission = yun_web_permissions_from_web_name (
    webkit_permission_state_query_get_name (query));
  YunPermissionState state = YUN_PERMISSION_STATE_DENIED;

  if (permission != NULL)
    state = yun_permission_gate_query (yun_bridge_get_gate (self->bridge), self->app_id,
                                       self->manifest, permission);

  webkit_permission_state_query_finish (query,
                                        state == YUN_PERMISSION_STATE_GRANTED ? WEBKIT_PERMISSION_STATE_GRANTED :
                                        state == YUN_PERMISSION_STATE_PROMPT ? WEBKIT_PERMISSION_STATE_PROMPT :
                                        WEBKIT_PERMISSION_STATE_DENIED);
  return TRUE;
}

static gboolean
on_permission_request (WebKitWebView           *web_view,
                       WebKitPermissionRequest *request,
                       YunAppView              *self)
{
  yun_web_permissions_handle (request, yun_bridge_get_gate (self->bridge), self->app_id,
                              self->manifest, self->page_cancellable);
  return TRUE;
}

/* Popups would be web views without an app; until the shell has a browser
 * view for them, they are refused rather than opened with no owner. */
static GtkWidget *
on_create (WebKitWebView          *web_view,
           WebKitNavigationAction *action,
           YunAppView             *self)
{
  g_debug ("%s: refused a new window for %s", self->app_id,
           webkit_uri_request_get_uri (webkit_navigation_action_get_request (action)));
  return NULL;
}

/* A file input: images come from the shell's camera; the phone has no
 * file dialog for anything else. */
static gboolean
on_run_file_chooser (WebKitWebView            *web_view,
                     WebKitFileChooserRequest *request,
                     YunAppView               *self)
{
  gpointer taker = yun_bridge_get_service (self->bridge, "picture-taker");
  WebKitWebsiteDataManager *data = webkit_network_session_get_website_data_manager (
    webkit_web_view_get_network_session (web_view));

  if (!YUN_IS_CAMERA_TAKER (taker)) {
    webkit_file_chooser_request_cancel (request);
    return TRUE;
  }
  yun_camera_taker_run_file_chooser (taker, request, yun_bridge_get_gate (self->bridge),
                                     self->app_id, self->manifest,
                                     webkit_website_data_manager_get_base_cache_directory (data),
                                     self->page_cancellable);
  return TRUE;
}

static WebKitWebView *
create_web_view (YunAppView *self,
                 const char *profile_dir)
{
  g_autoptr(WebKitWebContext) context = NULL;
  g_autoptr(WebKitNetworkSession) session = NULL;
  g_autoptr(WebKitSettings) settings = NULL;
  g_autofree char *data_dir = g_build_filename (profile_dir, "apps", self->app_id, "data", NULL);
  g_autofree char *cache_dir = g_build_filename (profile_dir, "apps", self->app_id, "cache", NULL);
  const char *scope = yun_manifest_get_scope (self->manifest);

  context = webkit_web_context_new ();
  /* The extension's folder must be visible inside WebKit's sandbox before
   * any web view of this context exists, or it never loads. */
  webkit_web_context_set_web_process_extensions_directory (context, yun_app_view_get_extension_dir ());
  webkit_web_context_add_path_to_sandbox (context, yun_app_view_get_extension_dir (), TRUE);
  webkit_web_context_set_web_process_extensions_initialization_user_data (
    context, g_variant_new ("(ss)", self->app_id, scope));

  session = webkit_network_session_new (data_dir, cache_dir);
  yun_blob_scheme_handler_register (context, self->app_id, scope, self->bridge);
  yun_web_permissions_seed (context, yun_bridge_get_gate (self->bridge), self->app_id,
                            self->manifest);

  /* A packaged app is served from its installed folder under app://ID/. */
  if (g_str_has_prefix (yun_manifest_get_manifest_url (self->manifest), "app:")) {
    g_autofree char *package_dir = g_build_filename (profile_dir, "apps", self->app_id, "package",
                                                     NULL);

    yun_app_scheme_handler_register (context, self->app_id, package_dir);
  }

  /* No back-forward cache: a document brought back from it would keep a
   * bridge whose web-process state (its origin, whether a same-origin
   * frame ever ran in it, its event dispatch) belongs to the document
   * that replaced it.  Back reloads the page instead. */
  settings = webkit_settings_new_with_settings ("enable-page-cache", FALSE, NULL);
  return g_object_new (WEBKIT_TYPE_WEB_VIEW,
                       "web-context", context,
                       "network-session", session,
                       "settings", settings,
                       NULL);
}

static void
yun_app_view_dispose (GObject *object)
{
  YunAppView *self = YUN_APP_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->page_cancellable);
  g_clear_object (&self->page_cancellable);
  g_clear_handle_id (&self->notice_id, g_source_remove);
  g_clear_pointer (&self->overlay, gtk_widget_unparent);
  self->web_view = NULL;
  g_clear_object (&self->splash_css);
  g_clear_object (&self->bridge);
  g_clear_object (&self->manifest);

  G_OBJECT_CLASS (yun_app_view_parent_class)->dispose (object);
}

static void
yun_app_view_finalize (GObject *object)
{
  YunAppView *self = YUN_APP_VIEW (object);

  g_free (self->app_id);
  g_free (self->offline_dir);
  g_array_unref (self->marks);

  G_OBJECT_CLASS (yun_app_view_parent_class)->finalize (object);
}

static void
yun_app_view_class_init (YunAppViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = yun_app_view_dispose;
  object_class->finalize = yun_app_view_finalize;

  /**
   * YunAppView::load-finished:
   *
   * The app's page finished loading.
   */
  signals[SIGNAL_LOAD_FINISHED] =
    g_signal_new ("load-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "yun-app-view");
}

static void
yun_app_view_init (YunAppView *self)
{
  self->cancellable = g_cancellable_new ();
  self->page_cancellable = g_cancellable_new ();
  self->marks = g_array_new (FALSE, FALSE, sizeof (YunLaunchMark));
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
}

/**
 * yun_app_view_new:
 * @app_id: the app's id
 * @manifest: the app's processed manifest
 * @profile_dir: the user's profile folder; the app's web data goes under
 *   apps/@app_id/ in it
 * @bridge: the bridge that answers this app's navigator.yun calls
 *
 * Returns: (transfer floating): a view for the app, not yet loading
 */
YunAppView *
yun_app_view_new (const char  *app_id,
                  YunManifest *manifest,
                  const char  *profile_dir,
                  YunBridge   *bridge)
{
  YunAppView *self;

  g_return_val_if_fail (app_id != NULL, NULL);
  g_return_val_if_fail (YUN_IS_MANIFEST (manifest), NULL);
  g_return_val_if_fail (profile_dir != NULL, NULL);
  g_return_val_if_fail (YUN_IS_BRIDGE (bridge), NULL);

  self = g_object_new (YUN_TYPE_APP_VIEW, NULL);
  self->app_id = g_strdup (app_id);
  self->manifest = g_object_ref (manifest);
  self->bridge = g_object_ref (bridge);
  self->offline_dir = g_build_filename (profile_dir, "apps", app_id, "offline", NULL);
  self->web_view = create_web_view (self, profile_dir);
  gtk_widget_set_vexpand (GTK_WIDGET (self->web_view), TRUE);
  self->failure = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->failure), TRUE);
  gtk_widget_add_css_class (self->failure, "yun-app-failure");
  self->splash = build_splash (self);
  self->stack = gtk_stack_new ();
  gtk_stack_add_child (GTK_STACK (self->stack), self->splash);
  gtk_stack_add_child (GTK_STACK (self->stack), GTK_WIDGET (self->web_view));
  gtk_stack_add_child (GTK_STACK (self->stack), self->failure);
  self->notice = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->notice), TRUE);
  gtk_widget_add_css_class (self->notice, "yun-app-notice");
  gtk_widget_set_valign (self->notice, GTK_ALIGN_START);
  gtk_widget_set_visible (self->notice, FALSE);
  self->overlay = gtk_overlay_new ();
  gtk_overlay_set_child (GTK_OVERLAY (self->overlay), self->stack);
  gtk_overlay_add_overlay (GTK_OVERLAY (self->overlay), self->notice);
  gtk_widget_set_parent (self->overlay, GTK_WIDGET (self));

  g_signal_connect_object (self->web_view, "user-message-received",
                           G_CALLBACK (on_user_message_received), self, 0);
  g_signal_connect_object (self->web_view, "load-changed",
                           G_CALLBACK (on_load_changed), self, 0);
  g_signal_connect_object (self->web_view, "create",
                           G_CALLBACK (on_create), self, 0);
  g_signal_connect_object (self->web_view, "run-file-chooser",
                           G_CALLBACK (on_run_file_chooser), self, 0);
  g_signal_connect_object (self->web_view, "permission-request",
                           G_CALLBACK (on_permission_request), self, 0);
  g_signal_connect_object (self->web_view, "query-permission-state",
                           G_CALLBACK (on_query_permission_state), self, 0);
  g_signal_connect_object (self->web_view, "web-process-terminated",
                           G_CALLBACK (on_web_process_terminated), self, 0);
  g_signal_connect_object (self->web_view, "load-failed",
                           G_CALLBACK (on_load_failed), self, 0);

  return self;
}

/**
 * yun_app_view_get_extension_dir:
 *
 * Where the bridge's web-process extension is: $YUN_EXTENSION_DIR when set
 * (tests and uninstalled builds), else where meson installed it.
 *
 * Returns: (transfer none): a folder
 */
const char *
yun_app_view_get_extension_dir (void)
{
  const char *dir = g_getenv ("YUN_EXTENSION_DIR");

  return dir != NULL && *dir != '\0' ? dir : YUN_EXTENSION_DIR;
}

/**
 * yun_app_view_start:
 * @self: an app view
 * @tap_time: when the user asked for the app, from g_get_real_time()
 * @url: (nullable): where to open the app, a URL in its scope such as the
 *   one it showed when it was suspended; %NULL for its start URL
 *
 * Shows the splash and loads the app, recording launch marks:
 * tap, splash (its first painted frame), committed, load-finished and
 * first-paint (the page's first contentful paint).
 */
void
yun_app_view_start (YunAppView *self,
                    gint64      tap_time,
                    const char *url)
{
  GdkFrameClock *clock;

  g_return_if_fail (YUN_IS_APP_VIEW (self));

  g_array_set_size (self->marks, 0);
  mark_at (self, "tap", tap_time);
  if (self->prewarming) {
    /* Its web process is already up: the launch skips starting it. */
    self->prewarming = FALSE;
    mark_at (self, "prewarmed", tap_time);
  }
  gtk_stack_set_visible_child (GTK_STACK (self->stack), self->splash);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  if (clock != NULL)
    g_signal_connect_object (clock, "after-paint", G_CALLBACK (on_splash_painted), self, 0);
  /* Only the app's own pages: anything else opens at the start. */
  if (url == NULL || !yun_scope_contains (yun_manifest_get_scope (self->manifest), url))
    url = yun_manifest_get_start_url (self->manifest);
  webkit_web_view_load_uri (self->web_view, url);
}

/**
 * yun_app_view_prewarm:
 * @self: an app view, not started
 *
 * Starts the view's web process (and its network process) with a blank
 * page, so that yun_app_view_start() later skips that work.  The launch
 * then records a "prewarmed" mark.
 */
void
yun_app_view_prewarm (YunAppView *self)
{
  g_return_if_fail (YUN_IS_APP_VIEW (self));
  g_return_if_fail (self->marks->len == 0);

  self->prewarming = TRUE;
  webkit_web_view_load_html (self->web_view, "<!doctype html>", "about:blank");
}

/**
 * yun_app_view_get_page_cancellable:
 * @self: an app view
 *
 * Returns: (transfer none): cancelled when the current page is replaced by
 *   another one, or the view goes
 */
GCancellable *
yun_app_view_get_page_cancellable (YunAppView *self)
{
  g_return_val_if_fail (YUN_IS_APP_VIEW (self), NULL);
  return self->page_cancellable;
}

/**
 * yun_app_view_get_launch_marks:
 * @self: an app view
 *
 * Returns: (transfer none) (element-type YunLaunchMark): the marks of the
 *   last launch, in the order they happened
 */
GArray *
yun_app_view_get_launch_marks (YunAppView *self)
{
  g_return_val_if_fail (YUN_IS_APP_VIEW (self), NULL);
  return self->marks;
}

/**
 * yun_app_view_get_health:
 * @self: an app view
 * @crashes_in_a_row: (out) (optional): crashes of its web process in a row
 * @notice: (out) (optional) (transfer none): the notice shown, or %NULL
 *
 * Returns: %TRUE while the app runs, %FALSE once it was closed for
 *   crashing too often
 */
gboolean
yun_app_view_get_health (YunAppView  *self,
                         guint       *crashes_in_a_row,
                         const char **notice)
{
  g_return_val_if_fail (YUN_IS_APP_VIEW (self), FALSE);

  if (crashes_in_a_row != NULL)
    *crashes_in_a_row = self->crashes_in_a_row;
  if (notice != NULL)
    *notice = gtk_widget_get_visible (self->notice) ? gtk_label_get_text (GTK_LABEL (self->notice))
                                                    : NULL;
  return gtk_stack_get_visible_child (GTK_STACK (self->stack)) == GTK_WIDGET (self->web_view);
}

/**
 * yun_app_view_send_event:
 * @self: an app view
 * @api: the navigator.yun namespace, such as "permissions"
 * @type: the event's type, as the schema lists it
 * @detail: the event's detail
 *
 * Delivers an event to this app's current page, and no other: listeners
 * of navigator.yun.@api get a CustomEvent with @detail.
 */
void
yun_app_view_send_event (YunAppView *self,
                         const char *api,
                         const char *type,
                         JsonNode   *detail)
{
  g_autofree char *text = NULL;

  g_return_if_fail (YUN_IS_APP_VIEW (self));

  text = json_to_string (detail, FALSE);
  webkit_web_view_send_message_to_page (self->web_view,
                                        webkit_user_message_new ("yun.event",
                                                                 g_variant_new ("(sss)", api, type,
                                                                                text)),
                                        NULL, NULL, NULL);
}

/**
 * yun_app_view_get_app_id:
 * @self: an app view
 *
 * Returns: (transfer none): the app's id
 */
const char *
yun_app_view_get_app_id (YunAppView *self)
{
  g_return_val_if_fail (YUN_IS_APP_VIEW (self), NULL);
  return self->app_id;
}

/**
 * yun_app_view_get_manifest:
 * @self: an app view
 *
 * Returns: (transfer none): the app's manifest
 */
YunManifest *
yun_app_view_get_manifest (YunAppView *self)
{
  g_return_val_if_fail (YUN_IS_APP_VIEW (self), NULL);
  return self->manifest;
}

/**
 * yun_app_view_get_web_view:
 * @self: an app view
 *
 * Returns: (transfer none): the app's web view
 */
WebKitWebView *
yun_app_view_get_web_view (YunAppView *self)
{
  g_return_val_if_fail (YUN_IS_APP_VIEW (self), NULL);
  return self->web_view;
}
