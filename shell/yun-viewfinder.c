/* yun-viewfinder.c: the full-screen camera an app asked for.
 *
 * Covers the screen between the status bar and the navigation bar: the
 * name of the app that asks, the live picture, and three buttons — cancel,
 * the shutter, and switch camera (insensitive with one camera).  It only
 * shows: whoever opened it (YunCameraTaker) feeds it frames and hears its
 * buttons through the "shutter", "switch-camera" and "cancel" signals.
 * The buttons, the keyboard (Escape cancels) and the automation interface
 * all go through the same viewfinder.* actions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-viewfinder.h"

enum {
  SIGNAL_SHUTTER,
  SIGNAL_SWITCH_CAMERA,
  SIGNAL_CANCEL,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Used before the viewfinder has been laid out: a phone's portrait screen. */
#define FALLBACK_WIDTH 360
#define FALLBACK_HEIGHT 640

struct _YunViewfinder
{
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkWidget *title;
  GtkWidget *picture;
  GtkWidget *status;
  GtkWidget *shutter;
  char *app_name;
  gboolean open;
  gboolean busy;
  gboolean can_switch;
  guint frame_count;
};

G_DEFINE_FINAL_TYPE (YunViewfinder, yun_viewfinder, GTK_TYPE_WIDGET)

static const struct {
  const char *name;
  const char *action;
  guint signal;
} buttons[] = {
  { "shutter", "viewfinder.shutter", SIGNAL_SHUTTER },
  { "switch", "viewfinder.switch", SIGNAL_SWITCH_CAMERA },
  { "cancel", "viewfinder.cancel", SIGNAL_CANCEL },
};

static void
update_actions (YunViewfinder *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "viewfinder.shutter", self->open && !self->busy);
  gtk_widget_action_set_enabled (widget, "viewfinder.switch",
                                 self->open && !self->busy && self->can_switch);
  gtk_widget_action_set_enabled (widget, "viewfinder.cancel", self->open);
}

static void
on_button_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  YunViewfinder *self = YUN_VIEWFINDER (widget);

  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++) {
    if (g_str_equal (action_name, buttons[i].action))
      yun_viewfinder_press (self, buttons[i].name, NULL);
  }
}

static void
yun_viewfinder_dispose (GObject *object)
{
  YunViewfinder *self = YUN_VIEWFINDER (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (yun_viewfinder_parent_class)->dispose (object);
}

static void
yun_viewfinder_finalize (GObject *object)
{
  YunViewfinder *self = YUN_VIEWFINDER (object);

  g_free (self->app_name);

  G_OBJECT_CLASS (yun_viewfinder_parent_class)->finalize (object);
}

static void
yun_viewfinder_class_init (YunViewfinderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = yun_viewfinder_dispose;
  object_class->finalize = yun_viewfinder_finalize;

  /**
   * YunViewfinder::shutter:
   *
   * The user pressed the shutter.
   */
  signals[SIGNAL_SHUTTER] =
    g_signal_new ("shutter", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * YunViewfinder::switch-camera:
   *
   * The user asked for the next camera.
   */
  signals[SIGNAL_SWITCH_CAMERA] =
    g_signal_new ("switch-camera", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * YunViewfinder::cancel:
   *
   * The user closed the viewfinder without a picture.
   */
  signals[SIGNAL_CANCEL] =
    g_signal_new ("cancel", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    gtk_widget_class_install_action (widget_class, buttons[i].action, NULL, on_button_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "viewfinder.cancel", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "yun-viewfinder");
}

static GtkWidget *
icon_button (const char *icon,
             const char *tooltip,
             const char *action,
             const char *css_class)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_widget_add_css_class (button, css_class);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  return button;
}

static void
yun_viewfinder_init (YunViewfinder *self)
{
  GtkWidget *controls = gtk_center_box_new ();

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_add_css_class (self->box, "yun-viewfinder");
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->title = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->title), TRUE);
  gtk_label_set_justify (GTK_LABEL (self->title), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (self->title, "title");

  /* The frames are scaled to the screen by the camera already; the picture
   * only letterboxes them, never crops what the photo will hold. */
  self->picture = gtk_picture_new ();
  gtk_picture_set_content_fit (GTK_PICTURE (self->picture), GTK_CONTENT_FIT_CONTAIN);
  gtk_picture_set_can_shrink (GTK_PICTURE (self->picture), TRUE);
  gtk_widget_set_vexpand (self->picture, TRUE);
  gtk_widget_add_css_class (self->picture, "preview");

  self->status = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->status, "status");

  self->shutter = icon_button ("camera-photo-symbolic", "Take the picture", "viewfinder.shutter",
                               "shutter");
  gtk_center_box_set_start_widget (GTK_CENTER_BOX (controls),
                                   icon_button ("window-close-symbolic", "Cancel",
                                                "viewfinder.cancel", "cancel"));
  gtk_center_box_set_center_widget (GTK_CENTER_BOX (controls), self->shutter);
  gtk_center_box_set_end_widget (GTK_CENTER_BOX (controls),
                                 icon_button ("camera-switch-symbolic", "Switch camera",
                                              "viewfinder.switch", "switch"));
  gtk_widget_add_css_class (controls, "controls");

  gtk_box_append (GTK_BOX (self->box), self->title);
  gtk_box_append (GTK_BOX (self->box), self->picture);
  gtk_box_append (GTK_BOX (self->box), self->status);
  gtk_box_append (GTK_BOX (self->box), controls);

  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  update_actions (self);
}

/**
 * yun_viewfinder_new:
 *
 * Returns: (transfer floating): a closed viewfinder
 */
YunViewfinder *
yun_viewfinder_new (void)
{
  return g_object_new (YUN_TYPE_VIEWFINDER, NULL);
}

/**
 * yun_viewfinder_open:
 * @self: the viewfinder
 * @app_name: the name of the app that asks for a picture
 *
 * Shows the viewfinder, empty until the first frame comes.
 */
void
yun_viewfinder_open (YunViewfinder *self,
                     const char    *app_name)
{
  g_autofree char *title = NULL;

  g_return_if_fail (YUN_IS_VIEWFINDER (self));
  g_return_if_fail (app_name != NULL);

  g_free (self->app_name);
  self->app_name = g_strdup (app_name);
  title = g_strdup_printf ("“%s” wants a picture", app_name);
  gtk_label_set_text (GTK_LABEL (self->title), title);
  gtk_label_set_text (GTK_LABEL (self->status), "Starting the camera…");
  gtk_picture_set_paintable (GTK_PICTURE (self->picture), NULL);
  self->frame_count = 0;
  self->open = TRUE;
  self->busy = FALSE;
  update_actions (self);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  gtk_widget_grab_focus (self->shutter);
}

/**
 * yun_viewfinder_close:
 * @self: the viewfinder
 *
 * Hides the viewfinder and lets go of the last frame.
 */
void
yun_viewfinder_close (YunViewfinder *self)
{
  g_return_if_fail (YUN_IS_VIEWFINDER (self));

  self->open = FALSE;
  self->busy = FALSE;
  g_clear_pointer (&self->app_name, g_free);
  gtk_picture_set_paintable (GTK_PICTURE (self->picture), NULL);
  update_actions (self);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

/**
 * yun_viewfinder_is_open:
 * @self: the viewfinder
 *
 * Returns: whether it is open
 */
gboolean
yun_viewfinder_is_open (YunViewfinder *self)
{
  g_return_val_if_fail (YUN_IS_VIEWFINDER (self), FALSE);
  return self->open;
}

/**
 * yun_viewfinder_get_app_name:
 * @self: the viewfinder
 *
 * Returns: (nullable): the name of the app it is open for
 */
const char *
yun_viewfinder_get_app_name (YunViewfinder *self)
{
  g_return_val_if_fail (YUN_IS_VIEWFINDER (self), NULL);
  return self->app_name;
}

/**
 * yun_viewfinder_show_frame:
 * @self: the viewfinder
 * @pixels: the frame, RGBA with 8 bits a channel; referenced, not copied
 * @width: in pixels
 * @height: in pixels
 * @stride: bytes from one row to the next
 *
 * Shows a frame from the camera.  Ignored while closed.
 */
void
yun_viewfinder_show_frame (YunViewfinder *self,
                           GBytes        *pixels,
                           int            width,
                           int            height,
                           int            stride)
{
  g_autoptr(GdkTexture) texture = NULL;

  g_return_if_fail (YUN_IS_VIEWFINDER (self));
  g_return_if_fail (pixels != NULL);

  if (!self->open || width < 1 || height < 1 || stride < width * 4 ||
      g_bytes_get_size (pixels) < (gsize) stride * (gsize) (height - 1) + (gsize) width * 4)
    return;

  texture = gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, pixels, stride);
  gtk_picture_set_paintable (GTK_PICTURE (self->picture), GDK_PAINTABLE (texture));
  if (self->frame_count++ == 0 && !self->busy)
    gtk_label_set_text (GTK_LABEL (self->status), "");
}

/**
 * yun_viewfinder_get_frame_count:
 * @self: the viewfinder
 *
 * Returns: how many frames it showed since it was opened
 */
guint
yun_viewfinder_get_frame_count (YunViewfinder *self)
{
  g_return_val_if_fail (YUN_IS_VIEWFINDER (self), 0);
  return self->frame_count;
}

/**
 * yun_viewfinder_set_status:
 * @self: the viewfinder
 * @status: (nullable): a short line under the picture, such as why the
 *   camera could not switch; %NULL clears it
 */
void
yun_viewfinder_set_status (YunViewfinder *self,
                           const char    *status)
{
  g_return_if_fail (YUN_IS_VIEWFINDER (self));

  gtk_label_set_text (GTK_LABEL (self->status), status != NULL ? status : "");
}

/**
 * yun_viewfinder_set_can_switch:
 * @self: the viewfinder
 * @can_switch: whether there is another camera to switch to
 */
void
yun_viewfinder_set_can_switch (YunViewfinder *self,
                               gboolean       can_switch)
{
  g_return_if_fail (YUN_IS_VIEWFINDER (self));

  self->can_switch = can_switch;
  update_actions (self);
}

/**
 * yun_viewfinder_set_busy:
 * @self: the viewfinder
 * @busy: whether the picture is being taken; the shutter and the switch
 *   wait meanwhile, cancel still works
 */
void
yun_viewfinder_set_busy (YunViewfinder *self,
                         gboolean       busy)
{
  g_return_if_fail (YUN_IS_VIEWFINDER (self));

  self->busy = busy;
  if (busy)
    gtk_label_set_text (GTK_LABEL (self->status), "Taking the picture…");
  update_actions (self);
}

/**
 * yun_viewfinder_get_preview_size:
 * @self: the viewfinder
 * @width: (out): the largest frame width worth sending, in device pixels
 * @height: (out): the largest frame height
 *
 * The size of the screen area the viewfinder covers, also before it is
 * shown, so the camera scales its frames to what can be seen.
 */
void
yun_viewfinder_get_preview_size (YunViewfinder *self,
                                 int           *width,
                                 int           *height)
{
  GtkWidget *area;
  int scale;

  g_return_if_fail (YUN_IS_VIEWFINDER (self));
  g_return_if_fail (width != NULL && height != NULL);

  /* Hidden, the viewfinder has no size; the overlay it covers has. */
  area = gtk_widget_get_parent (GTK_WIDGET (self));
  if (area == NULL || gtk_widget_get_width (area) <= 0)
    area = GTK_WIDGET (self);
  scale = gtk_widget_get_scale_factor (area);
  *width = gtk_widget_get_width (area) * scale;
  *height = gtk_widget_get_height (area) * scale;
  if (*width <= 0 || *height <= 0) {
    *width = FALLBACK_WIDTH * scale;
    *height = FALLBACK_HEIGHT * scale;
  }
}

/**
 * yun_viewfinder_press:
 * @self: the viewfinder
 * @button: "shutter", "switch" or "cancel"
 * @error: return location for an error
 *
 * Presses a button, as the user does.
 *
 * Returns: %TRUE when the button was there to press
 */
gboolean
yun_viewfinder_press (YunViewfinder  *self,
                      const char     *button,
                      GError        **error)
{
  g_return_val_if_fail (YUN_IS_VIEWFINDER (self), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++) {
    if (g_strcmp0 (button, buttons[i].name) != 0)
      continue;
    if (!self->open) {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "the camera is not open");
      return FALSE;
    }
    if (self->busy && buttons[i].signal != SIGNAL_CANCEL) {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY, "the picture is being taken");
      return FALSE;
    }
    if (buttons[i].signal == SIGNAL_SWITCH_CAMERA && !self->can_switch) {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "there is no other camera to switch to");
      return FALSE;
    }
    g_signal_emit (self, signals[buttons[i].signal], 0);
    return TRUE;
  }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "“%s” is not a button: use shutter, switch or cancel", button);
  return FALSE;
}
