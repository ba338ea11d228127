/* yun-camera-taker.c: takes pictures for apps with the shell's viewfinder.
 *
 * The shell's YunPictureTaker: camera.takePicture() and image file
 * inputs come here.  One app at a time gets the viewfinder; the camera
 * runs only while it is open.  A session ends in one of three ways, each
 * closing the viewfinder and stopping the camera (its pipeline released):
 * the shutter (the JPEG goes to the caller), cancel (the user, Back or
 * Home, or the caller's cancellable when the page goes; the call fails
 * with G_IO_ERROR_CANCELLED), or the camera failing.
 *
 * The cameras are looked for once, on a worker thread, the first time one
 * is wanted: "auto" asks GStreamer's device providers, which can take a
 * moment.  Switch camera cycles through the sources found.  YunCamera
 * chooses by kind of source (PipeWire, libcamera, V4L2), so with "auto"
 * the cycle is the kind it picked and the other kinds installed; one that
 * does not start is dropped from the cycle.  The test source has nothing
 * to switch to.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-camera-taker.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "yun-camera.h"

enum {
  PROP_0,
  PROP_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The hardware sources "auto" chooses from, in its order. */
static const char * const hardware_sources[] = { "pipewire", "libcamera", "v4l2" };

/* Pictures handed to file inputs are kept this long in the app's cache,
 * long enough for the page to read or upload them. */
#define CHOSEN_FILE_LIFETIME_SECONDS (24 * 60 * 60)

struct _YunCameraTaker
{
  GObject parent_instance;

  YunViewfinder *viewfinder;
  char *source;
  /* Of YunCamera, the one in use at current; NULL until looked for. */
  GPtrArray *cameras;
  guint current;
  gboolean probing;
  gboolean running;
  gboolean active;
  /* The shutter was pressed before the camera had started. */
  gboolean shutter_pending;
  GCancellable *cancellable;

  /* The open session: the caller's task and what it asked for. */
  GTask *task;
  GCancellable *task_cancellable;
  gulong cancelled_id;
  YunCameraCaptureOptions options;
  /* Cancelled when the session ends, for its capture. */
  GCancellable *capture;
  gulong frame_id;
  gulong failed_id;
  GArray *marks;
  /* Where positions come from, and the one this session's picture has. */
  YunGeolocationHub *hub;
  YunPosition *position;
};

static void yun_camera_taker_picture_taker_init (YunPictureTakerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (YunCameraTaker, yun_camera_taker, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (YUN_TYPE_PICTURE_TAKER,
                                                      yun_camera_taker_picture_taker_init))

static void
add_mark (YunCameraTaker *self,
          const char     *name)
{
  YunCameraMark mark = { g_intern_static_string (name), g_get_real_time () };

  g_array_append_val (self->marks, mark);
}

static gboolean
has_mark (YunCameraTaker *self,
          const char     *name)
{
  for (guint i = 0; i < self->marks->len; i++) {
    if (g_str_equal (g_array_index (self->marks, YunCameraMark, i).name, name))
      return TRUE;
  }
  return FALSE;
}

static void
set_active (YunCameraTaker *self,
            gboolean        active)
{
  if (self->active == active)
    return;
  self->active = active;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

static YunCamera *
current_camera (YunCameraTaker *self)
{
  if (self->cameras == NULL || self->cameras->len == 0)
    return NULL;
  return g_ptr_array_index (self->cameras, self->current);
}

/* Stops the camera in use, if it runs: the pipeline goes with it. */
static void
stop_camera (YunCameraTaker *self)
{
  YunCamera *camera = current_camera (self);

  if (camera == NULL)
    return;
  g_clear_signal_handler (&self->frame_id, camera);
  g_clear_signal_handler (&self->failed_id, camera);
  if (self->running)
    yun_camera_stop (camera);
  self->running = FALSE;
}

/* Ends the open session with @picture, or with @error. */
static void
finish (YunCameraTaker *self,
        GBytes         *picture,
        GError         *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  g_assert (task != NULL);
  if (self->task_cancellable != NULL)
    g_cancellable_disconnect (self->task_cancellable, self->cancelled_id);
  self->cancelled_id = 0;
  g_clear_object (&self->task_cancellable);
  g_cancellable_cancel (self->capture);
  g_clear_object (&self->capture);
  self->shutter_pending = FALSE;

  stop_camera (self);
  yun_viewfinder_close (self->viewfinder);
  add_mark (self, "closed");
  set_active (self, FALSE);

  if (error != NULL) {
    g_task_return_error (task, error);
  } else {
    g_task_set_task_data (task, g_steal_pointer (&self->position), (GDestroyNotify) yun_position_free);
    g_task_return_pointer (task, g_bytes_ref (picture), (GDestroyNotify) g_bytes_unref);
  }
  g_clear_pointer (&self->position, yun_position_free);
}

static void
on_frame (YunCamera      *camera,
          GBytes         *pixels,
          int             width,
          int             height,
          int             stride,
          YunCameraTaker *self)
{
  if (!has_mark (self, "first-frame"))
    add_mark (self, "first-frame");
  yun_viewfinder_show_frame (self->viewfinder, pixels, width, height, stride);
}

static void
on_camera_failed (YunCamera      *camera,
                  const GError   *error,
                  YunCameraTaker *self)
{
  /* The camera has released its pipeline already. */
  self->running = FALSE;
  if (self->task != NULL)
    finish (self, NULL, g_error_new (YUN_CAMERA_ERROR, YUN_CAMERA_ERROR_UNAVAILABLE,
                                     "the camera stopped: %s", error->message));
}

static void start_capture (YunCameraTaker *self);

/* Starts the camera at current, or the next one that starts; a camera that
 * cannot start leaves the cycle.  Ends the session when none starts. */
static void
start_camera (YunCameraTaker *self)
{
  g_autoptr(GError) error = NULL;
  int width, height;

  yun_viewfinder_get_preview_size (self->viewfinder, &width, &height);
  while (self->cameras->len > 0) {
    YunCamera *camera = current_camera (self);

    g_clear_error (&error);
    self->frame_id = g_signal_connect (camera, "frame", G_CALLBACK (on_frame), self);
    self->failed_id = g_signal_connect (camera, "failed", G_CALLBACK (on_camera_failed), self);
    if (yun_camera_start (camera, width, height, &error)) {
      self->running = TRUE;
      yun_viewfinder_set_can_switch (self->viewfinder, self->cameras->len > 1);
      add_mark (self, "camera-ready");
      if (self->shutter_pending)
        start_capture (self);
      return;
    }

    g_message ("the %s camera does not start: %s", yun_camera_get_source (camera),
               error->message);
    g_clear_signal_handler (&self->frame_id, camera);
    g_clear_signal_handler (&self->failed_id, camera);
    yun_camera_stop (camera);
    g_ptr_array_remove_index (self->cameras, self->current);
    if (self->current >= self->cameras->len)
      self->current = 0;
    yun_viewfinder_set_status (self->viewfinder, "That camera is not available");
  }

  /* None left: look again next time, a camera may come back. */
  g_clear_pointer (&self->cameras, g_ptr_array_unref);
  finish (self, NULL, g_error_new (YUN_CAMERA_ERROR, YUN_CAMERA_ERROR_UNAVAILABLE,
                                   "no camera works: %s", error->message));
}

static void
probe_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  const char *source = task_data;
  g_autoptr(GPtrArray) cameras = g_ptr_array_new_with_free_func (g_object_unref);
  GError *error = NULL;
  YunCamera *first;

  /* A camera made here delivers to the default main context, the shell's:
   * worker threads have no context of their own. */
  first = yun_camera_new (source, &error);
  if (first == NULL) {
    g_task_return_error (task, error);
    return;
  }
  g_ptr_array_add (cameras, first);

  if (g_strcmp0 (source, "auto") == 0 && !g_str_equal (yun_camera_get_source (first), "test")) {
    for (guint i = 0; i < G_N_ELEMENTS (hardware_sources); i++) {
      YunCamera *other;

      if (g_str_equal (hardware_sources[i], yun_camera_get_source (first)))
        continue;
      other = yun_camera_new (hardware_sources[i], NULL);
      if (other != NULL)
        g_ptr_array_add (cameras, other);
    }
  }
  g_task_return_pointer (task, g_steal_pointer (&cameras), (GDestroyNotify) g_ptr_array_unref);
}

static void
on_probed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  YunCameraTaker *self = YUN_CAMERA_TAKER (source);
  g_autoptr(GPtrArray) cameras = NULL;
  g_autoptr(GError) error = NULL;

  cameras = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->probing = FALSE;
  if (cameras != NULL) {
    self->cameras = g_steal_pointer (&cameras);
    self->current = 0;
  }

  /* The session that waited may have ended meanwhile. */
  if (self->task == NULL)
    return;
  if (self->cameras == NULL)
    finish (self, NULL, g_steal_pointer (&error));
  else
    start_camera (self);
}

static gboolean
on_cancelled_idle (gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  YunCameraTaker *self = g_task_get_source_object (task);

  if (self->task == task)
    finish (self, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                             "the page that asked went away"));
  return G_SOURCE_REMOVE;
}

static void
on_cancelled (GCancellable *cancellable,
              GTask        *task)
{
  /* Inside g_cancellable_cancel(), maybe on another thread, the handler
   * cannot be disconnected: end the session from the main loop. */
  g_idle_add (on_cancelled_idle, g_object_ref (task));
}

typedef struct {
  YunCameraTaker *self;
  GTask *task;
} Capture;

static void
on_captured (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Capture *capture = user_data;
  YunCameraTaker *self = capture->self;
  g_autoptr(GBytes) picture = NULL;
  g_autoptr(GError) error = NULL;

  picture = yun_camera_capture_finish (YUN_CAMERA (source), result, NULL, NULL, &error);
  /* Only for the session that pressed the shutter, if it is still open. */
  if (self->task == capture->task) {
    add_mark (self, "captured");
    finish (self, picture, g_steal_pointer (&error));
  }
  g_object_unref (capture->task);
  g_object_unref (capture->self);
  g_free (capture);
}

static void
start_capture (YunCameraTaker *self)
{
  Capture *capture = g_new0 (Capture, 1);

  self->shutter_pending = FALSE;
  capture->self = g_object_ref (self);
  capture->task = g_object_ref (self->task);
  yun_camera_capture_async (current_camera (self), &self->options, self->capture, on_captured,
                            capture);
}

static void
on_shutter (YunViewfinder  *viewfinder,
            YunCameraTaker *self)
{
  if (self->task == NULL)
    return;
  add_mark (self, "shutter");
  yun_viewfinder_set_busy (self->viewfinder, TRUE);
  /* A quick finger: the picture is taken as soon as the camera runs. */
  if (self->running)
    start_capture (self);
  else
    self->shutter_pending = TRUE;
}

static void
on_switch_camera (YunViewfinder  *viewfinder,
                  YunCameraTaker *self)
{
  if (self->task == NULL || self->cameras == NULL || self->cameras->len < 2)
    return;
  stop_camera (self);
  self->current = (self->current + 1) % self->cameras->len;
  yun_viewfinder_set_status (self->viewfinder, NULL);
  start_camera (self);
}

static void
on_cancel (YunViewfinder  *viewfinder,
           YunCameraTaker *self)
{
  if (self->task != NULL)
    finish (self, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                             "the user cancelled"));
}

static void
take_async (YunPictureTaker         *taker,
            const YunPictureRequest *request,
            GCancellable            *cancellable,
            GAsyncReadyCallback      callback,
            gpointer                 user_data)
{
  YunCameraTaker *self = YUN_CAMERA_TAKER (taker);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  YunCameraCaptureOptions options = YUN_CAMERA_CAPTURE_OPTIONS_INIT;
  g_autoptr(GError) error = NULL;

  g_task_set_source_tag (task, take_async);
  if (self->task != NULL) {
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY,
                             "the camera is already open for “%s”",
                             yun_viewfinder_get_app_name (self->viewfinder));
    return;
  }
  if (g_task_return_error_if_cancelled (task))
    return;
  options.max_width = request->max_width;
  options.max_height = request->max_height;
  options.quality = request->quality;
  /* GPS in the EXIF only for an app allowed to know, and only a position
   * the phone already has: the camera does not wait for a fix. */
  g_clear_pointer (&self->position, yun_position_free);
  if (request->with_location && self->hub != NULL &&
      yun_geolocation_hub_get_last_position (self->hub) != NULL)
    self->position = yun_position_copy (yun_geolocation_hub_get_last_position (self->hub));
  options.position = self->position;
  if (!yun_camera_capture_options_check (&options, &error)) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }

  self->options = options;
  self->task = g_steal_pointer (&task);
  self->capture = g_cancellable_new ();
  g_array_set_size (self->marks, 0);
  add_mark (self, "open");
  set_active (self, TRUE);
  yun_viewfinder_open (self->viewfinder, request->app_name != NULL ? request->app_name
                                                                    : request->app_id);
  yun_viewfinder_set_can_switch (self->viewfinder, FALSE);
  if (cancellable != NULL) {
    self->task_cancellable = g_object_ref (cancellable);
    /* The task outlives the connection: finish() disconnects first. */
    self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), self->task,
                                                NULL);
  }

  if (self->cameras != NULL) {
    start_camera (self);
  } else if (!self->probing) {
    g_autoptr(GTask) probe = g_task_new (self, self->cancellable, on_probed, NULL);

    self->probing = TRUE;
    g_task_set_source_tag (probe, probe_thread);
    g_task_set_task_data (probe, g_strdup (self->source), g_free);
    g_task_run_in_thread (probe, probe_thread);
  }
}

static GBytes *
take_finish (YunPictureTaker  *taker,
             GAsyncResult     *result,
             YunPosition     **position,
             GError          **error)
{
  YunPosition *where;

  g_return_val_if_fail (g_task_is_valid (result, taker), NULL);
  where = g_task_get_task_data (G_TASK (result));
  *position = where != NULL ? yun_position_copy (where) : NULL;
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * yun_camera_taker_set_location_source:
 * @self: the camera
 * @hub: (nullable): where the phone's position comes from
 *
 * Pictures for apps allowed to know the position carry the last position
 * @hub had, in their EXIF and in the photo library.
 */
void
yun_camera_taker_set_location_source (YunCameraTaker    *self,
                                      YunGeolocationHub *hub)
{
  g_return_if_fail (YUN_IS_CAMERA_TAKER (self));
  g_set_object (&self->hub, hub);
}

static void
yun_camera_taker_picture_taker_init (YunPictureTakerInterface *iface)
{
  iface->take_async = take_async;
  iface->take_finish = take_finish;
}

static void
yun_camera_taker_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  YunCameraTaker *self = YUN_CAMERA_TAKER (object);

  switch (prop_id) {
  case PROP_ACTIVE:
    g_value_set_boolean (value, self->active);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
yun_camera_taker_dispose (GObject *object)
{
  YunCameraTaker *self = YUN_CAMERA_TAKER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->task != NULL)
    finish (self, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                             "the shell closed"));
  stop_camera (self);
  if (self->viewfinder != NULL)
    g_signal_handlers_disconnect_by_data (self->viewfinder, self);
  g_clear_object (&self->viewfinder);
  g_clear_pointer (&self->cameras, g_ptr_array_unref);
  g_clear_object (&self->hub);
  g_clear_pointer (&self->position, yun_position_free);

  G_OBJECT_CLASS (yun_camera_taker_parent_class)->dispose (object);
}

static void
yun_camera_taker_finalize (GObject *object)
{
  YunCameraTaker *self = YUN_CAMERA_TAKER (object);

  g_free (self->source);
  g_array_unref (self->marks);

  G_OBJECT_CLASS (yun_camera_taker_parent_class)->finalize (object);
}

static void
yun_camera_taker_class_init (YunCameraTakerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = yun_camera_taker_get_property;
  object_class->dispose = yun_camera_taker_dispose;
  object_class->finalize = yun_camera_taker_finalize;

  /**
   * YunCameraTaker:active:
   *
   * Whether the viewfinder is open and the camera in use, for the status
   * bar's indicator.
   */
  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
yun_camera_taker_init (YunCameraTaker *self)
{
  self->cancellable = g_cancellable_new ();
  self->marks = g_array_new (FALSE, FALSE, sizeof (YunCameraMark));
}

/**
 * yun_camera_taker_new:
 * @viewfinder: the shell's viewfinder, which the taker opens and closes
 * @source: (nullable): the camera source, as yun_camera_new() takes it:
 *   "auto" (the default), "pipewire", "libcamera", "v4l2" or "test"
 *
 * Returns: (transfer full): a picture taker; no camera runs until an app
 *   asks
 */
YunCameraTaker *
yun_camera_taker_new (YunViewfinder *viewfinder,
                      const char    *source)
{
  YunCameraTaker *self;

  g_return_val_if_fail (YUN_IS_VIEWFINDER (viewfinder), NULL);

  self = g_object_new (YUN_TYPE_CAMERA_TAKER, NULL);
  self->viewfinder = g_object_ref (viewfinder);
  self->source = g_strdup (source != NULL ? source : "auto");
  g_signal_connect (viewfinder, "shutter", G_CALLBACK (on_shutter), self);
  g_signal_connect (viewfinder, "switch-camera", G_CALLBACK (on_switch_camera), self);
  g_signal_connect (viewfinder, "cancel", G_CALLBACK (on_cancel), self);
  return self;
}

/**
 * yun_camera_taker_get_active:
 * @self: the taker
 *
 * Returns: whether the viewfinder is open
 */
gboolean
yun_camera_taker_get_active (YunCameraTaker *self)
{
  g_return_val_if_fail (YUN_IS_CAMERA_TAKER (self), FALSE);
  return self->active;
}

/**
 * yun_camera_taker_get_source:
 * @self: the taker
 *
 * Returns: the source of the camera in use or used last ("test",
 *   "v4l2" ...), or the one asked for while none has been looked for
 */
const char *
yun_camera_taker_get_source (YunCameraTaker *self)
{
  YunCamera *camera;

  g_return_val_if_fail (YUN_IS_CAMERA_TAKER (self), NULL);

  camera = current_camera (self);
  return camera != NULL ? yun_camera_get_source (camera) : self->source;
}

/**
 * yun_camera_taker_get_viewfinder:
 * @self: the taker
 *
 * Returns: (transfer none): its viewfinder
 */
YunViewfinder *
yun_camera_taker_get_viewfinder (YunCameraTaker *self)
{
  g_return_val_if_fail (YUN_IS_CAMERA_TAKER (self), NULL);
  return self->viewfinder;
}

/**
 * yun_camera_taker_get_marks:
 * @self: the taker
 *
 * Returns: (transfer none) (element-type YunCameraMark): the moments of
 *   the last session, in order
 */
GArray *
yun_camera_taker_get_marks (YunCameraTaker *self)
{
  g_return_val_if_fail (YUN_IS_CAMERA_TAKER (self), NULL);
  return self->marks;
}

/**
 * yun_camera_taker_cancel:
 * @self: the taker
 *
 * Closes the viewfinder as its cancel button does, as when the user
 * leaves the app.
 *
 * Returns: %TRUE when it was open
 */
gboolean
yun_camera_taker_cancel (YunCameraTaker *self)
{
  g_return_val_if_fail (YUN_IS_CAMERA_TAKER (self), FALSE);

  return self->task != NULL && yun_viewfinder_press (self->viewfinder, "cancel", NULL);
}

/* A page's image file input, answered with a picture from the viewfinder. */
typedef struct {
  YunCameraTaker *self;
  WebKitFileChooserRequest *request;
  char *app_id;
  char *app_name;
  char *cache_dir;
  GCancellable *cancellable;
} Chooser;

static void
chooser_free (Chooser *chooser)
{
  g_object_unref (chooser->self);
  g_object_unref (chooser->request);
  g_free (chooser->app_id);
  g_free (chooser->app_name);
  g_free (chooser->cache_dir);
  g_clear_object (&chooser->cancellable);
  g_free (chooser);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Chooser, chooser_free)

/* Whether a file input asks for images and nothing else: WebKitGTK does
 * not tell whether it has the capture attribute, so every image-only
 * input gets the camera (a phone has no file dialog to offer instead). */
static gboolean
accepts_only_images (WebKitFileChooserRequest *request)
{
  const char * const *types = webkit_file_chooser_request_get_mime_types (request);

  if (types == NULL || types[0] == NULL)
    return FALSE;
  for (guint i = 0; types[i] != NULL; i++) {
    if (!g_str_has_prefix (types[i], "image/"))
      return FALSE;
  }
  return TRUE;
}

/* Removes the pictures handed to file inputs a while ago. */
static void
remove_old_files (const char *dir)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *name;

  while (folder != NULL && (name = g_dir_read_name (folder)) != NULL) {
    g_autofree char *path = g_build_filename (dir, name, NULL);
    GStatBuf info;

    if (g_str_has_prefix (name, "IMG-") && g_str_has_suffix (name, ".jpg") &&
        g_stat (path, &info) == 0 && now - info.st_mtime > CHOSEN_FILE_LIFETIME_SECONDS)
      g_unlink (path);
  }
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Chooser *chooser = task_data;
  GBytes *picture = g_object_get_data (G_OBJECT (task), "picture");
  g_autofree char *dir = g_build_filename (chooser->cache_dir, "camera", NULL);
  g_autofree char *path = g_build_filename (dir, "IMG-XXXXXX.jpg", NULL);
  gsize size;
  const char *data = g_bytes_get_data (picture, &size);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0) {
    int saved = errno;

    g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                             "cannot make %s: %s", dir, g_strerror (saved));
    return;
  }
  remove_old_files (dir);
  fd = g_mkstemp_full (path, O_WRONLY, 0600);
  if (fd < 0) {
    int saved = errno;

    g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                             "cannot make a file in %s: %s", dir, g_strerror (saved));
    return;
  }
  while (size > 0) {
    gssize written = write (fd, data, size);

    if (written < 0 && errno == EINTR)
      continue;
    if (written <= 0) {
      int saved = errno;

      close (fd);
      g_unlink (path);
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               "cannot write %s: %s", path, g_strerror (saved));
      return;
    }
    data += written;
    size -= (gsize) written;
  }
  if (close (fd) != 0) {
    int saved = errno;

    g_unlink (path);
    g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                             "cannot write %s: %s", path, g_strerror (saved));
    return;
  }
  g_task_return_pointer (task, g_steal_pointer (&path), g_free);
}

static void
on_chosen_file_written (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  Chooser *chooser = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_task_propagate_pointer (G_TASK (result), &error);

  if (path == NULL) {
    g_message ("%s: the picture for a file input was not kept: %s", chooser->app_id,
               error->message);
    webkit_file_chooser_request_cancel (chooser->request);
    return;
  }
  webkit_file_chooser_request_select_files (chooser->request,
                                            (const char * const []) { path, NULL });
}

static void
on_picture_for_chooser (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(Chooser) chooser = user_data;
  g_autoptr(GBytes) picture = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;

  picture = yun_picture_taker_take_finish (YUN_PICTURE_TAKER (source), result, NULL, &error);
  if (picture == NULL) {
    if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      g_message ("%s: no picture for a file input: %s", chooser->app_id, error->message);
    webkit_file_chooser_request_cancel (chooser->request);
    return;
  }

  /* Written off the main thread; the page reads it from the app's own
   * cache, which its network process can see. */
  task = g_task_new (NULL, NULL, on_chosen_file_written, NULL);
  g_task_set_source_tag (task, on_picture_for_chooser);
  g_object_set_data_full (G_OBJECT (task), "picture", g_steal_pointer (&picture),
                          (GDestroyNotify) g_bytes_unref);
  g_task_set_task_data (task, g_steal_pointer (&chooser), (GDestroyNotify) chooser_free);
  g_task_run_in_thread (task, write_thread);
}

static void
on_chooser_allowed (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Chooser) chooser = user_data;
  g_autoptr(GError) error = NULL;
  YunPictureRequest request = {
    .app_id = chooser->app_id,
    .app_name = chooser->app_name,
    .max_width = 0,
    .max_height = 0,
    .quality = 0.92,
  };
  YunPictureTaker *taker = YUN_PICTURE_TAKER (chooser->self);
  GCancellable *cancellable = chooser->cancellable;

  if (!yun_permission_gate_check_finish (YUN_PERMISSION_GATE (source), result, &error)) {
    g_debug ("%s: no camera for a file input: %s", chooser->app_id, error->message);
    webkit_file_chooser_request_cancel (chooser->request);
    return;
  }
  /* The chooser moves to the callback: everything is read from it first. */
  yun_picture_taker_take_async (taker, &request, cancellable, on_picture_for_chooser,
                                g_steal_pointer (&chooser));
}

/**
 * yun_camera_taker_run_file_chooser:
 * @self: the taker
 * @request: a page's file input, from WebKitWebView::run-file-chooser
 * @gate: the permission gate
 * @app_id: the app whose page asks
 * @manifest: its manifest
 * @cache_dir: the app's own cache folder; the picture is written under it
 * @cancellable: (nullable): cancelled when the page goes
 *
 * Answers a file input.  One that accepts only images opens the
 * viewfinder, once the app may use the camera (the manifest declares it
 * and the user allows it), and gets the picture as a JPEG file.  Any other
 * file input is cancelled: the phone has no file dialog.
 */
void
yun_camera_taker_run_file_chooser (YunCameraTaker           *self,
                                   WebKitFileChooserRequest *request,
                                   YunPermissionGate        *gate,
                                   const char               *app_id,
                                   YunManifest              *manifest,
                                   const char               *cache_dir,
                                   GCancellable             *cancellable)
{
  Chooser *chooser;

  g_return_if_fail (YUN_IS_CAMERA_TAKER (self));
  g_return_if_fail (WEBKIT_IS_FILE_CHOOSER_REQUEST (request));
  g_return_if_fail (YUN_IS_PERMISSION_GATE (gate));
  g_return_if_fail (app_id != NULL && YUN_IS_MANIFEST (manifest) && cache_dir != NULL);

  if (!accepts_only_images (request)) {
    g_debug ("%s: a file input that is not for images was cancelled", app_id);
    webkit_file_chooser_request_cancel (request);
    return;
  }

  chooser = g_new0 (Chooser, 1);
  chooser->self = g_object_ref (self);
  chooser->request = g_object_ref (request);
  chooser->app_id = g_strdup (app_id);
  chooser->app_name = g_strdup (yun_manifest_get_short_name (manifest));
  chooser->cache_dir = g_strdup (cache_dir);
  chooser->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  yun_permission_gate_check_async (gate, app_id, manifest, "camera", "read",
                                   "<input type=file accept=image/*>", cancellable,
                                   on_chooser_allowed, chooser);
}
