/* yun-shell-window.c: the phone's screen: status bar and the open app.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-shell-window.h"

struct _YunShellWindow
{
  GtkApplicationWindow parent_instance;

  GtkWidget *title_label;
  GtkWidget *clock_label;
  GtkWidget *stack;
  GtkWidget *message_title;
  GtkWidget *message_detail;
  YunPermissionSheet *sheet;
  YunContactPickerSheet *contact_picker;
  YunShareSheet *share_sheet;
  YunPermissionsPage *permissions_page;
  YunHomePage *home_page;
  YunAppSwitcher *switcher;
  YunRunningApps *running;
  YunNotificationCenter *notifications;
  YunNotificationsPage *notifications_page;
  GtkWidget *bell;
  GtkWidget *bell_count;
  /* Apps whose home tile shows a notification count. */
  GHashTable *badged;
  GtkWidget *location_icon;
  GtkWidget *offline_icon;
  GtkWidget *sync_icon;
  char *sync_state;
  GtkWidget *camera_icon;
  YunViewfinder *viewfinder;
  /* The app shown last: the one Back and the title bar are about. */
  YunAppView *app_view;
  guint clock_id;
};

G_DEFINE_FINAL_TYPE (YunShellWindow, yun_shell_window, GTK_TYPE_APPLICATION_WINDOW)

static void
update_clock (YunShellWindow *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *text = g_date_time_format (now, "%H:%M");

  gtk_label_set_text (GTK_LABEL (self->clock_label), text);
}

static gboolean on_clock_tick (gpointer user_data);

/* Wakes up once a minute, just after the minute turns. */
static void
schedule_clock (YunShellWindow *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  self->clock_id = g_timeout_add_seconds (60 - g_date_time_get_second (now), on_clock_tick, self);
}

static gboolean
on_clock_tick (gpointer user_data)
{
  YunShellWindow *self = YUN_SHELL_WINDOW (user_data);

  update_clock (self);
  schedule_clock (self);
  return G_SOURCE_REMOVE;
}

static void
yun_shell_window_dispose (GObject *object)
{
  YunShellWindow *self = YUN_SHELL_WINDOW (object);

  g_clear_handle_id (&self->clock_id, g_source_remove);
  self->app_view = NULL;
  if (self->running != NULL)
    g_signal_handlers_disconnect_by_data (self->running, self);
  g_clear_object (&self->running);
  if (self->notifications != NULL)
    g_signal_handlers_disconnect_by_data (self->notifications, self);
  g_clear_object (&self->notifications);

  g_clear_pointer (&self->sync_state, g_free);
  g_clear_pointer (&self->badged, g_hash_table_unref);

  G_OBJECT_CLASS (yun_shell_window_parent_class)->dispose (object);
}

static void
yun_shell_window_class_init (YunShellWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = yun_shell_window_dispose;
}

static GtkWidget *
build_status_bar (YunShellWindow *self)
{
  GtkWidget *bar = gtk_center_box_new ();
  GtkWidget *settings = gtk_button_new_from_icon_name ("emblem-system-symbolic");
  GtkWidget *end = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);
  GtkWidget *bell_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);

  gtk_widget_add_css_class (bar, "yun-status-bar");
  self->title_label = gtk_label_new (NULL);
  gtk_label_set_ellipsize (GTK_LABEL (self->title_label), PANGO_ELLIPSIZE_END);
  self->clock_label = gtk_label_new (NULL);
  gtk_center_box_set_start_widget (GTK_CENTER_BOX (bar), self->clock_label);
  gtk_center_box_set_center_widget (GTK_CENTER_BOX (bar), self->title_label);
  gtk_widget_set_tooltip_text (settings, "Settings: cloud account and permissions");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (settings), "app.show-permissions");
  gtk_widget_add_css_class (settings, "flat");

  /* The bell shows only while notifications wait, with their number. */
  self->bell = gtk_button_new ();
  self->bell_count = gtk_label_new (NULL);
  gtk_box_append (GTK_BOX (bell_box), gtk_image_new_from_icon_name ("preferences-system-notifications-symbolic"));
  gtk_box_append (GTK_BOX (bell_box), self->bell_count);
  gtk_button_set_child (GTK_BUTTON (self->bell), bell_box);
  gtk_widget_set_tooltip_text (self->bell, "Notifications");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->bell), "app.notifications");
  gtk_widget_add_css_class (self->bell, "flat");
  gtk_widget_set_visible (self->bell, FALSE);

  self->location_icon = gtk_image_new_from_icon_name ("find-location-symbolic");
  gtk_widget_set_tooltip_text (self->location_icon, "An app is using your location");
  gtk_widget_set_visible (self->location_icon, FALSE);
  gtk_box_append (GTK_BOX (end), self->location_icon);
  self->offline_icon = gtk_image_new_from_icon_name ("network-offline-symbolic");
  gtk_widget_set_tooltip_text (self->offline_icon, "No network");
  gtk_widget_set_visible (self->offline_icon, FALSE);
  gtk_box_append (GTK_BOX (end), self->offline_icon);
  self->sync_icon = gtk_image_new ();
  gtk_widget_set_visible (self->sync_icon, FALSE);
  gtk_box_append (GTK_BOX (end), self->sync_icon);
  self->camera_icon = gtk_image_new_from_icon_name ("camera-web-symbolic");
  gtk_widget_set_tooltip_text (self->camera_icon, "An app is using the camera");
  gtk_widget_set_visible (self->camera_icon, FALSE);
  gtk_box_append (GTK_BOX (end), self->camera_icon);
  gtk_box_append (GTK_BOX (end), self->bell);
  gtk_box_append (GTK_BOX (end), settings);
  gtk_center_box_set_end_widget (GTK_CENTER_BOX (bar), end);

  return bar;
}

static GtkWidget *
nav_button (const char *icon,
            const char *tooltip,
            const char *action)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_hexpand (button, TRUE);
  return button;
}

static GtkWidget *
build_nav_bar (void)
{
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  gtk_widget_add_css_class (bar, "yun-nav-bar");
  gtk_box_append (GTK_BOX (bar), nav_button ("go-previous-symbolic", "Back", "app.back"));
  gtk_box_append (GTK_BOX (bar), nav_button ("go-home-symbolic", "Home", "app.home"));
  gtk_box_append (GTK_BOX (bar), nav_button ("view-grid-symbolic", "Open apps", "app.switcher"));
  return bar;
}

static GtkWidget *
build_message_page (YunShellWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  gtk_widget_add_css_class (box, "yun-message");
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  self->message_title = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->message_title, "title-2");
  self->message_detail = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->message_detail), TRUE);
  gtk_label_set_justify (GTK_LABEL (self->message_detail), GTK_JUSTIFY_CENTER);
  gtk_label_set_selectable (GTK_LABEL (self->message_detail), TRUE);
  gtk_box_append (GTK_BOX (box), self->message_title);
  gtk_box_append (GTK_BOX (box), self->message_detail);

  return box;
}

static void
yun_shell_window_init (YunShellWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *overlay = gtk_overlay_new ();

  self->stack = gtk_stack_new ();
  gtk_widget_set_vexpand (self->stack, TRUE);
  gtk_stack_add_named (GTK_STACK (self->stack), build_message_page (self), "message");
  self->home_page = yun_home_page_new ();
  gtk_stack_add_named (GTK_STACK (self->stack), GTK_WIDGET (self->home_page), "home");
  self->permissions_page = yun_permissions_page_new ();
  gtk_stack_add_named (GTK_STACK (self->stack), GTK_WIDGET (self->permissions_page), "permissions");
  self->notifications_page = yun_notifications_page_new ();
  gtk_stack_add_named (GTK_STACK (self->stack), GTK_WIDGET (self->notifications_page),
                       "notifications");
  self->switcher = yun_app_switcher_new ();
  gtk_stack_add_named (GTK_STACK (self->stack), GTK_WIDGET (self->switcher), "switcher");
  self->sheet = yun_permission_sheet_new ();
  gtk_overlay_set_child (GTK_OVERLAY (overlay), self->stack);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), GTK_WIDGET (self->sheet));
  self->contact_picker = yun_contact_picker_sheet_new ();
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), GTK_WIDGET (self->contact_picker));
  self->share_sheet = yun_share_sheet_new ();
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), GTK_WIDGET (self->share_sheet));
  /* The camera covers the app and any sheet; the status bar stays, to
   * show that the camera is on. */
  self->viewfinder = yun_viewfinder_new ();
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), GTK_WIDGET (self->viewfinder));

  gtk_box_append (GTK_BOX (box), build_status_bar (self));
  gtk_box_append (GTK_BOX (box), overlay);
  gtk_box_append (GTK_BOX (box), build_nav_bar ());
  gtk_window_set_child (GTK_WINDOW (self), box);
  gtk_window_set_title (GTK_WINDOW (self), YUN_RUNTIME_NAME);

  update_clock (self);
  schedule_clock (self);
}

static void
on_view_removed (YunRunningApps *running,
                 YunAppView     *view,
                 YunShellWindow *self)
{
  gboolean shown = gtk_stack_get_visible_child (GTK_STACK (self->stack)) == GTK_WIDGET (view);

  if (self->app_view == view)
    self->app_view = NULL;
  if (shown)
    yun_shell_window_show_home (self);
  if (gtk_widget_get_parent (GTK_WIDGET (view)) == self->stack)
    gtk_stack_remove (GTK_STACK (self->stack), GTK_WIDGET (view));
}

static void
on_running_changed (YunRunningApps *running,
                    YunShellWindow *self)
{
  if (g_strcmp0 (yun_shell_window_get_visible_page (self), "switcher") == 0)
    yun_app_switcher_refresh (self->switcher, self->running);
}

static void
on_notifications_changed (YunNotificationCenter *center,
                          YunShellWindow        *self)
{
  g_autoptr(GPtrArray) entries = yun_notification_center_list (center);
  g_autofree char *count = g_strdup_printf ("%u", entries->len);
  g_autoptr(GHashTable) badged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer app_id;

  /* Each app's tile shows how many of its notifications wait. */
  for (guint i = 0; i < entries->len; i++) {
    YunNotificationEntry *entry = g_ptr_array_index (entries, i);

    if (!g_hash_table_contains (badged, entry->app_id)) {
      g_hash_table_add (badged, g_strdup (entry->app_id));
      yun_home_page_set_badge (self->home_page, entry->app_id,
                               yun_notification_center_count_for_app (center, entry->app_id));
    }
  }
  g_hash_table_iter_init (&iter, self->badged);
  while (g_hash_table_iter_next (&iter, &app_id, NULL)) {
    if (!g_hash_table_contains (badged, app_id))
      yun_home_page_set_badge (self->home_page, app_id, 0);
  }
  g_hash_table_unref (self->badged);
  self->badged = g_steal_pointer (&badged);

  gtk_label_set_text (GTK_LABEL (self->bell_count), count);
  gtk_widget_set_visible (self->bell, entries->len > 0);
  if (g_strcmp0 (yun_shell_window_get_visible_page (self), "notifications") == 0)
    yun_notifications_page_refresh (self->notifications_page, center);
}

/**
 * yun_shell_window_new:
 * @application: the shell application
 * @width: the screen's width in pixels
 * @height: the screen's height in pixels
 * @max_live: how many apps keep a web view before the least recently used
 *   is suspended
 *
 * Returns: (transfer floating): the shell's window
 */
YunShellWindow *
yun_shell_window_new (GtkApplication *application,
                      int             width,
                      int             height,
                      guint           max_live)
{
  YunShellWindow *self = g_object_new (YUN_TYPE_SHELL_WINDOW,
                                       "application", application,
                                       "default-width", width,
                                       "default-height", height,
                                       NULL);

  self->running = yun_running_apps_new (max_live);
  g_signal_connect (self->running, "view-removed", G_CALLBACK (on_view_removed), self);
  g_signal_connect (self->running, "changed", G_CALLBACK (on_running_changed), self);
  self->notifications = yun_notification_center_new ();
  self->badged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_signal_connect (self->notifications, "changed", G_CALLBACK (on_notifications_changed), self);
  return self;
}

/**
 * yun_shell_window_get_running_apps:
 * @self: the window
 *
 * Returns: (transfer none): the open apps
 */
YunRunningApps *
yun_shell_window_get_running_apps (YunShellWindow *self)
{
  g_return_val_if_fail (YUN_IS_SHELL_WINDOW (self), NULL);
  return self->running;
}

/**
 * yun_shell_window_get_notification_center:
 * @self: the window
 *
 * Returns: (transfer none): the notifications apps have shown
 */
YunNotificationCenter *
yun_shell_window_get_notification_center (YunShellWindow *self)
{
  g_return_val_if_fail (YUN_IS_SHELL_WINDOW (self), NULL);
  return self->notifications;
}

/**
 * yun_shell_window_set_indicator:
 * @self: the window
 * @name: "location" or "camera"
 * @on: whether to show it
 *
 * Shows or hides a status bar indicator of a device in use.
 */
void
yun_shell_window_set_indicator (YunShellWindow *self,
                                const char     *name,
                                gboolean        on)
{
  g_return_if_fail (YUN_IS_SHELL_WINDOW (self));

  if (g_strcmp0 (name, "location") == 0)
    gtk_widget_set_visible (self->location_icon, on);
  else if (g_strcmp0 (name, "offline") == 0)
    gtk_widget_set_visible (self->offline_icon, on);
  else if (g_strcmp0 (name, "camera") == 0)
    gtk_widget_set_visible (self->camera_icon, on);
}

/**
 * yun_shell_window_set_sync_state:
 * @self: the window
 * @state: (nullable): the sync engine's state ("idle", "syncing",
 *   "offline", "error"), or %NULL when signed out
 *
 * Shows sync's state in the status bar.
 */
void
yun_shell_window_set_sync_state (YunShellWindow *self,
                                 const char     *state)
{
  static const struct {
    const char *state;
    const char *icon;
    const char *tip;
  } looks[] = {
    { "idle", "emblem-ok-symbolic", "Your data is in sync with your cloud" },
    { "syncing", "emblem-synchronizing-symbolic", "Syncing with your cloud" },
    { "offline", "network-offline-symbolic", "Your cloud cannot be reached; changes wait" },
    { "error", "dialog-warning-symbolic", "Sync failed; it will try again" },
  };

  g_return_if_fail (YUN_IS_SHELL_WINDOW (self));

  g_free (self->sync_state);
  self->sync_state = g_strdup (state);
  gtk_widget_set_visible (self->sync_icon, state != NULL);
  for (guint i = 0; state != NULL && i < G_N_ELEMENTS (looks); i++) {
    if (g_str_equal (looks[i].state, state)) {
      gtk_image_set_from_icon_name (GTK_IMAGE (self->sync_icon), looks[i].icon);
      gtk_widget_set_tooltip_text (self->sync_icon, looks[i].tip);
    }
  }
}

/**
 * yun_shell_window_get_indicators:
 * @self: the window
 *
 * Returns: (transfer full): the names of the indicators shown
 */
GStrv
yun_shell_window_get_indicators (YunShellWindow *self)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  g_return_val_if_fail (YUN_IS_SHELL_WINDOW (self), NULL);

  if (gtk_widget_get_visible (self->location_icon))
    g_strv_builder_add (names, "location");
  if (gtk_widget_get_visible (self->offline_icon))
    g_strv_builder_add (names, "offline");
  if (gtk_widget_get_visible (self->camera_icon))
    g_strv_builder_add (names, "camera");
  if (gtk_widget_get_visible (self->bell))
    g_strv_builder_add (names, "notifications");
  if (self->sync_state != NULL) {
    g_autofree char *sync = g_strconcat ("sync:", self->sync_state, NULL);

    g_strv_builder_add (names, sync);
  }
  return g_strv_builder_end (names);
}

/* Before the screen changes away from an app, keep what it showed for the
 * task switcher. */
static void
leave_app (YunShellWindow *self)
{
  GtkWidget *visible = gtk_stack_get_visible_child (GTK_STACK (self->stack));

  if (YUN_IS_APP_VIEW (visible))
    yun_running_apps_update_snapshot (self->running,
                                      yun_app_view_get_app_id (YUN_APP_VIEW (visible)));
}

static void
show_title (YunShellWindow *self,
            const char     *title)
{
  gtk_label_set_text (GTK_LABEL (self->title_label), title);
}

/**
 * yun_shell_window_show_app:
 * @self: the window
 * @view: (transfer floating): an open app's view, new or already on the
 *   screen's stack
 *
 * Shows the app.  Other live apps stay open behind it.
 */
void
yun_shell_window_show_app (YunShellWindow *self,
                           YunAppView     *view)
{
  g_return_if_fail (YUN_IS_SHELL_WINDOW (self));
  g_return_if_fail (YUN_IS_APP_VIEW (view));

  if (gtk_stack_get_visible_child (GTK_STACK (self->stack)) != GTK_WIDGET (view))
    leave_app (self);
  if (gtk_widget_get_parent (GTK_WIDGET (view)) == NULL) {
    g_autofree char *name = g_strconcat ("app:", yun_app_view_get_app_id (view), NULL);

    gtk_stack_add_named (GTK_STACK (self->stack), GTK_WIDGET (view), name);
  }

  self->app_view = view;
  yun_running_apps_touch (self->running, yun_app_view_get_app_id (view));
  gtk_stack_set_visible_child (GTK_STACK (self->stack), GTK_WIDGET (view));
  show_title (self, yun_manifest_get_short_name (yun_app_view_get_manifest (view)));
}

/**
 * yun_shell_window_close_app:
 * @self: the window
 * @app_id: an open app
 *
 * Closes the app, live or suspended; if it was on the screen, the home
 * screen shows.
 */
void
yun_shell_window_close_app (YunShellWindow *self,
                            const char     *app_id)
{
  g_return_if_fail (YUN_IS_SHELL_WINDOW (self));

  yun_running_apps_remove (self->running, app_id);
}

/**
 * yun_shell_window_show_notifications:
 * @self: the window
 *
 * Shows the list of notifications.
 */
void
yun_shell_window_show_notifications (YunShellWindow *self)
{
  g_return_if_fail (YUN_IS_SHELL_WINDOW (self));

  leave_app (self);
  yun_notifications_page_refresh (self->notifications_page, self->notifications);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "notifications");
  show_title (self, "Notifications");
}

/**
 * yun_shell_window_show_switcher:
 * @self: the window
 *
 * Shows the task switcher with a card for each open app.
 */
void
yun_shell_window_show_switcher (YunShellWindow *self)
{
  g_autoptr(GPtrArray) apps = NULL;

  g_return_if_fail (YUN_IS_SHELL_WINDOW (self));

  leave_app (self);
  /* Live apps get fresh thumbnails; the cards update as they come. */
  apps = yun_running_apps_list (self->running);
  for (guint i = 0; i < apps->len; i++)
    yun_running_apps_update_snapshot (self->running,
                                      ((YunRunningApp *) g_ptr_array_index (apps, i))->app_id);
  yun_app_switcher_refresh (self->switcher, self->running);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "switcher");
  show_title (self, "Open apps");
}

/**
 * yun_shell_window_show_message:
 * @self: the window
 * @title: a short title
 * @detail: (nullable): what happened and what to do
 *
 * Shows a full-screen message, such as "Opening hello…" or why an app
 * could not open.
 */
void
yun_shell_window_show_message (YunShellWindow *self,
                               const char     *title,
                               const char     *detail)
{
  g_return_if_fail (YUN_IS_SHELL_WINDOW (self));

  gtk_label_set_text (GTK_LABEL (self->message_title), title);
  gtk_label_set_text (GTK_LABEL (self->message_detail), detail != NULL ? detail : "");
  leave_app (self);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "message");
}

/**
 * yun_shell_window_show_permissions:
 * @self: the window
 * @store: the decisions and the access log to show
 *
 * Shows the permission centre over the open app.
 */
void
yun_shell_window_show_permissions (YunShellWindow     *self,
                                   YunPermissionStore *store)
{
  g_return_if_fail (YUN_IS_SHELL_WINDOW (self));

  yun_permissions_page_refresh (self->permissions_page, store);
  leave_app (self);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "permissions");
  show_title (self, "Permissions");
}

/**
 * yun_shell_window_show_current_app:
 * @self: the window
 *
 * Goes back to the open app, if there is one.
 */
void
yun_shell_window_show_current_app (YunShellWindow *self)
{
  g_return_if_fail (YUN_IS_SHELL_WINDOW (self));

  if (self->app_view != NULL)
    yun_shell_window_show_app (self, self->app_view);
}

/**
 * yun_shell_window_show_home:
 * @self: the window
 *
 * Shows the home screen; the open app stays open behind it.
 */
void
yun_shell_window_show_home (YunShellWindow *self)
{
  g_return_if_fail (YUN_IS_SHELL_WINDOW (self));

  leave_app (self);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "home");
  show_title (self, "");
}

/**
 * yun_shell_window_get_home_page:
 * @self: the window
 *
 * Returns: (transfer none): the home screen
 */
YunHomePage *
yun_shell_window_get_home_page (YunShellWindow *self)
{
  g_return_val_if_fail (YUN_IS_SHELL_WINDOW (self), NULL);
  return self->home_page;
}

/**
 * yun_shell_window_get_permissions_page:
 * @self: the window
 *
 * Returns: (transfer none): Settings: the cloud account and permissions
 */
YunPermissionsPage *
yun_shell_window_get_permissions_page (YunShellWindow *self)
{
  g_return_val_if_fail (YUN_IS_SHELL_WINDOW (self), NULL);
  return self->permissions_page;
}

/**
 * yun_shell_window_get_visible_page:
 * @self: the window
 *
 * Returns: (transfer none): "home", "app", "switcher", "notifications",
 *   "permissions" or "message"
 */
const char *
yun_shell_window_get_visible_page (YunShellWindow *self)
{
  g_return_val_if_fail (YUN_IS_SHELL_WINDOW (self), NULL);

  if (YUN_IS_APP_VIEW (gtk_stack_get_visible_child (GTK_STACK (self->stack))))
    return "app";
  return gtk_stack_get_visible_child_name (GTK_STACK (self->stack));
}

/**
 * yun_shell_window_get_permission_sheet:
 * @self: the window
 *
 * Returns: (transfer none): the permission prompt
 */
YunPermissionSheet *
yun_shell_window_get_permission_sheet (YunShellWindow *self)
{
  g_return_val_if_fail (YUN_IS_SHELL_WINDOW (self), NULL);
  return self->sheet;
}

/**
 * yun_shell_window_get_contact_picker:
 * @self: the window
 *
 * Returns: (transfer none): the Contact Picker
 */
YunContactPickerSheet *
yun_shell_window_get_contact_picker (YunShellWindow *self)
{
  g_return_val_if_fail (YUN_IS_SHELL_WINDOW (self), NULL);
  return self->contact_picker;
}

/**
 * yun_shell_window_get_share_sheet:
 * @self: the window
 *
 * Returns: (transfer none): the share sheet of navigator.share()
 */
YunShareSheet *
yun_shell_window_get_share_sheet (YunShellWindow *self)
{
  g_return_val_if_fail (YUN_IS_SHELL_WINDOW (self), NULL);
  return self->share_sheet;
}

/**
 * yun_shell_window_get_viewfinder:
 * @self: the window
 *
 * Returns: (transfer none): the camera's viewfinder
 */
YunViewfinder *
yun_shell_window_get_viewfinder (YunShellWindow *self)
{
  g_return_val_if_fail (YUN_IS_SHELL_WINDOW (self), NULL);
  return self->viewfinder;
}

/**
 * yun_shell_window_get_app_view:
 * @self: the window
 *
 * Returns: (transfer none) (nullable): the app shown last, if it is
 *   still live
 */
YunAppView *
yun_shell_window_get_app_view (YunShellWindow *self)
{
  g_return_val_if_fail (YUN_IS_SHELL_WINDOW (self), NULL);
  return self->app_view;
}
