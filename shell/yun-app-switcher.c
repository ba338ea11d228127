/* yun-app-switcher.c: the task switcher: a card per open app.
 *
 * Each card shows the app's last snapshot and name.  Clicking it (or
 * Enter) returns to the app; its close button, Delete, or swiping the
 * card up closes the app.  The cards act through the application's
 * `launch` and `close-app` actions, like every other control of the shell.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-app-switcher.h"

/* How far up a card must be swiped to close its app, in pixels. */
#define SWIPE_CLOSE_DISTANCE 80

struct _YunAppSwitcher
{
  GtkWidget parent_instance;

  GtkWidget *scrolled;
  GtkWidget *flow;
  GtkWidget *empty;
};

G_DEFINE_FINAL_TYPE (YunAppSwitcher, yun_app_switcher, GTK_TYPE_WIDGET)

static void
yun_app_switcher_dispose (GObject *object)
{
  YunAppSwitcher *self = YUN_APP_SWITCHER (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (yun_app_switcher_parent_class)->dispose (object);
}

static void
yun_app_switcher_class_init (YunAppSwitcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = yun_app_switcher_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "yun-app-switcher");
}

static void
yun_app_switcher_init (YunAppSwitcher *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  self->empty = gtk_label_new ("No open apps");
  gtk_widget_add_css_class (self->empty, "dim-label");
  gtk_widget_set_vexpand (self->empty, TRUE);
  gtk_widget_set_parent (self->empty, GTK_WIDGET (self));

  self->flow = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (self->flow), 2);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->flow), 2);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (self->flow), TRUE);
  gtk_widget_set_valign (self->flow, GTK_ALIGN_START);
  self->scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled), self->flow);
  gtk_widget_set_vexpand (self->scrolled, TRUE);
  gtk_widget_set_parent (self->scrolled, GTK_WIDGET (self));
}

/**
 * yun_app_switcher_new:
 *
 * Returns: (transfer floating): an empty task switcher
 */
YunAppSwitcher *
yun_app_switcher_new (void)
{
  return g_object_new (YUN_TYPE_APP_SWITCHER, NULL);
}

static void
on_card_drag_end (GtkGestureDrag *gesture,
                  double          offset_x,
                  double          offset_y,
                  const char     *app_id)
{
  GtkWidget *card = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));

  if (offset_y < -SWIPE_CLOSE_DISTANCE && ABS (offset_x) < ABS (offset_y)) {
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
    gtk_widget_activate_action (card, "app.close-app", "s", app_id);
  }
}

static gboolean
on_card_key_pressed (GtkEventControllerKey *controller,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     const char            *app_id)
{
  GtkWidget *card = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  if (keyval != GDK_KEY_Delete && keyval != GDK_KEY_BackSpace)
    return FALSE;
  gtk_widget_activate_action (card, "app.close-app", "s", app_id);
  return TRUE;
}

static GtkWidget *
build_card (YunRunningApp *app)
{
  const char *name = yun_manifest_get_short_name (app->manifest);
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *open = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *label = gtk_label_new (name);
  GtkWidget *close = gtk_button_new_from_icon_name ("window-close-symbolic");
  g_autofree char *open_tip = g_strdup_printf ("Return to %s", name);
  g_autofree char *close_tip = g_strdup_printf ("Close %s", name);
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();
  char *app_id = g_strdup (app->app_id);

  gtk_widget_add_css_class (overlay, "yun-switcher-card");
  gtk_widget_set_name (overlay, app->app_id);
  gtk_picture_set_paintable (GTK_PICTURE (picture), GDK_PAINTABLE (app->snapshot));
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_COVER);
  gtk_widget_set_size_request (picture, 140, 240);
  gtk_widget_add_css_class (picture, "yun-switcher-thumbnail");
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), picture);
  gtk_box_append (GTK_BOX (box), label);
  gtk_button_set_child (GTK_BUTTON (open), box);
  gtk_widget_add_css_class (open, "flat");
  gtk_widget_set_tooltip_text (open, open_tip);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (open), "app.launch");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (open), "s", app->app_id);

  gtk_widget_set_tooltip_text (close, close_tip);
  gtk_widget_set_halign (close, GTK_ALIGN_END);
  gtk_widget_set_valign (close, GTK_ALIGN_START);
  gtk_widget_add_css_class (close, "circular");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (close), "app.close-app");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (close), "s", app->app_id);

  gtk_overlay_set_child (GTK_OVERLAY (overlay), open);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), close);

  g_object_set_data_full (G_OBJECT (overlay), "app-id", app_id, g_free);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_card_drag_end), app_id);
  gtk_widget_add_controller (overlay, GTK_EVENT_CONTROLLER (drag));
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_card_key_pressed), app_id);
  gtk_widget_add_controller (overlay, keys);

  return overlay;
}

/**
 * yun_app_switcher_refresh:
 * @self: the switcher
 * @apps: the open apps
 *
 * Shows a card for each open app, the most recently used first.
 */
void
yun_app_switcher_refresh (YunAppSwitcher *self,
                          YunRunningApps *apps)
{
  g_autoptr(GPtrArray) list = NULL;
  GtkWidget *child;

  g_return_if_fail (YUN_IS_APP_SWITCHER (self));
  g_return_if_fail (YUN_IS_RUNNING_APPS (apps));

  while ((child = gtk_widget_get_first_child (self->flow)) != NULL)
    gtk_flow_box_remove (GTK_FLOW_BOX (self->flow), child);
  list = yun_running_apps_list (apps);
  for (guint i = 0; i < list->len; i++)
    gtk_flow_box_append (GTK_FLOW_BOX (self->flow), build_card (g_ptr_array_index (list, i)));

  gtk_widget_set_visible (self->empty, list->len == 0);
  gtk_widget_set_visible (self->scrolled, list->len > 0);
}
