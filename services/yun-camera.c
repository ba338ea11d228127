/* yun-camera.c: the phone's camera: a viewfinder and JPEG stills.
 *
 * The pipeline, built on start and destroyed on stop:
 *
 *   source ! capsfilter ! tee
 *     tee. ! queue ! videorate ! videoconvert ! videoscale ! capsfilter ! appsink  (viewfinder)
 *     tee. ! queue ! appsink                                                    (stills)
 *
 * The viewfinder branch is limited to YUN_CAMERA_MAX_FPS and scaled to fit
 * the requested size once the source's size is known (a probe on the
 * tee's caps).  Both appsinks keep only the newest frame.  Their streaming
 * threads hand frames to the main context through a Mailbox that holds one
 * frame, so a slow main loop sees fewer frames, never a backlog.  A still
 * is the first frame after the request, copied, and encoded on a worker
 * thread by yun-camera-still.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-camera.h"

#include "yun-camera-private.h"

#include <gst/app/app.h>
#include <gst/video/video.h>

/* A capture fails when its source gives no frame for this long. */
#define FRAME_TIMEOUT_SECONDS 10
/* The viewfinder's size until yun_camera_start() says otherwise. */
#define DEFAULT_VIEWFINDER_WIDTH 320
#define DEFAULT_VIEWFINDER_HEIGHT 240

enum {
  SIGNAL_FRAME,
  SIGNAL_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The newest frame from a streaming thread, waiting for the main context. */
typedef struct {
  GMutex lock;
  gboolean open;        /* whether frames are wanted at all */
  GstSample *sample;
  GSource *idle;        /* delivers the sample; NULL when none is due */
  GSourceFunc deliver;  /* called with the camera */
  gpointer camera;
} Mailbox;

/* One capture waiting for a frame, then being encoded. */
typedef struct {
  YunCameraCaptureOptions options;
  YunPosition position;
  GstSample *sample;
  GSource *cancelled;
  GSource *timeout;
  int width;
  int height;
} Capture;

struct _YunCamera
{
  GObject parent_instance;

  GMainContext *context;
  guint source;         /* see yun-camera-source.c */
  char *argument;       /* the test pattern or the image file; NULL: none */
  GstDevice *device;    /* NULL: the element's default device */

  GstElement *pipeline;
  GstElement *tee;
  GstElement *viewfinder_filter;
  GSource *bus_watch;
  Mailbox viewfinder;
  Mailbox still;
  gboolean viewfinder_on;
  int viewfinder_width;  /* atomic: the tee's probe reads them */
  int viewfinder_height;
  GQueue waiting;       /* of GTask, captures waiting for a frame */
};

G_DEFINE_FINAL_TYPE (YunCamera, yun_camera, G_TYPE_OBJECT)

G_DEFINE_QUARK (yun-camera-error-quark, yun_camera_error)

static void
mailbox_init (Mailbox     *box,
              GSourceFunc  deliver,
              gpointer     camera)
{
  g_mutex_init (&box->lock);
  box->deliver = deliver;
  box->camera = camera;
}

/* Main thread: stops deliveries and drops what was waiting. */
static void
mailbox_close (Mailbox *box)
{
  g_mutex_lock (&box->lock);
  box->open = FALSE;
  if (box->idle != NULL)
    g_source_destroy (box->idle);
  g_clear_pointer (&box->idle, g_source_unref);
  g_clear_pointer (&box->sample, gst_sample_unref);
  g_mutex_unlock (&box->lock);
}

static void
mailbox_open (Mailbox *box)
{
  g_mutex_lock (&box->lock);
  box->open = TRUE;
  g_mutex_unlock (&box->lock);
}

/* Main thread, from the delivery callback: the newest sample, if any. */
static GstSample *
mailbox_take (Mailbox *box)
{
  GstSample *sample;

  g_mutex_lock (&box->lock);
  g_clear_pointer (&box->idle, g_source_unref);
  sample = g_steal_pointer (&box->sample);
  g_mutex_unlock (&box->lock);
  return sample;
}

/* Streaming thread. */
static GstFlowReturn
on_new_sample (GstAppSink *sink,
               gpointer    user_data)
{
  Mailbox *box = user_data;
  YunCamera *self = box->camera;
  GstSample *sample = gst_app_sink_pull_sample (sink);

  g_mutex_lock (&box->lock);
  if (box->open && sample != NULL) {
    g_clear_pointer (&box->sample, gst_sample_unref);
    box->sample = g_steal_pointer (&sample);
    if (box->idle == NULL) {
      box->idle = g_idle_source_new ();
      g_source_set_callback (box->idle, box->deliver, box->camera, NULL);
      g_source_set_name (box->idle, "[yun] camera frame");
      g_source_attach (box->idle, self->context);
    }
  }
  g_mutex_unlock (&box->lock);
  g_clear_pointer (&sample, gst_sample_unref);
  return GST_FLOW_OK;
}

static void
set_viewfinder_caps (YunCamera *self,
                     GstCaps   *source_caps)
{
  g_autoptr(GstCaps) caps = NULL;
  GstVideoInfo info;
  int width, height;

  if (!gst_video_info_from_caps (&info, source_caps) || info.width <= 0 || info.height <= 0)
    return;
  yun_camera_fit_size (info.width, info.height,
                       g_atomic_int_get (&self->viewfinder_width),
                       g_atomic_int_get (&self->viewfinder_height),
                       &width, &height);
  caps = gst_caps_new_simple ("video/x-raw",
                              "format", G_TYPE_STRING, "RGBA",
                              "width", G_TYPE_INT, width,
                              "height", G_TYPE_INT, height,
                              "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1,
                              NULL);
  g_object_set (self->viewfinder_filter, "caps", caps, NULL);
}

/* Streaming thread: the source's size is known before the viewfinder
 * branch negotiates, so the branch's size can follow it. */
static GstPadProbeReturn
on_tee_event (GstPad          *pad,
              GstPadProbeInfo *info,
              gpointer         user_data)
{
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  GstCaps *caps = NULL;

  if (GST_EVENT_TYPE (event) == GST_EVENT_CAPS) {
    gst_event_parse_caps (event, &caps);
    set_viewfinder_caps (user_data, caps);
  }
  return GST_PAD_PROBE_OK;
}

static void
release_pipeline (YunCamera *self)
{
  if (self->pipeline == NULL)
    return;
  /* This joins the streaming threads: nothing posts after it. */
  gst_element_set_state (self->pipeline, GST_STATE_NULL);
  g_source_destroy (self->bus_watch);
  g_clear_pointer (&self->bus_watch, g_source_unref);
  mailbox_close (&self->viewfinder);
  mailbox_close (&self->still);
  self->tee = NULL;
  self->viewfinder_filter = NULL;
  gst_clear_object (&self->pipeline);
}

static void
capture_free (Capture *capture)
{
  g_assert (capture->cancelled == NULL && capture->timeout == NULL);
  g_clear_pointer (&capture->sample, gst_sample_unref);
  g_free (capture);
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

/* Takes @task out of the waiting captures, and stops the pipeline when
 * it was started only for captures and none is left. */
static void
stop_waiting (YunCamera *self,
              GTask     *task)
{
  Capture *capture = g_task_get_task_data (task);

  clear_source (&capture->cancelled);
  clear_source (&capture->timeout);
  g_queue_remove (&self->waiting, task);
  if (self->waiting.length > 0)
    return;
  mailbox_close (&self->still);
  if (!self->viewfinder_on)
    release_pipeline (self);
}

/* Ends every waiting capture with a copy of @error. */
static void
fail_waiting (YunCamera    *self,
              const GError *error)
{
  GTask *task;

  while ((task = g_queue_peek_head (&self->waiting)) != NULL) {
    stop_waiting (self, task);
    g_task_return_error (task, g_error_copy (error));
    g_object_unref (task);
  }
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  YunCamera *self = user_data;
  g_autoptr(GError) cause = NULL;
  g_autoptr(GError) error = NULL;

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    gst_message_parse_error (message, &cause, NULL);
  else if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_EOS)
    return G_SOURCE_CONTINUE;

  error = g_error_new (YUN_CAMERA_ERROR, YUN_CAMERA_ERROR_UNAVAILABLE,
                       "the %s camera stopped: %s", yun_camera_source_name (self->source),
                       cause != NULL ? cause->message : "the source ended");
  g_object_ref (self);
  self->viewfinder_on = FALSE;
  fail_waiting (self, error);
  /* Destroys this watch; returning afterwards is allowed. */
  release_pipeline (self);
  g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

static void
frame_free (GstVideoFrame *frame)
{
  gst_video_frame_unmap (frame);
  g_free (frame);
}

static gboolean
on_viewfinder_sample (gpointer user_data)
{
  YunCamera *self = user_data;
  g_autoptr(GstSample) sample = mailbox_take (&self->viewfinder);
  GstVideoFrame *frame = g_new0 (GstVideoFrame, 1);
  g_autoptr(GBytes) pixels = NULL;
  GstVideoInfo info;

  if (sample == NULL || !self->viewfinder_on ||
      !gst_video_info_from_caps (&info, gst_sample_get_caps (sample)) ||
      !gst_video_frame_map (frame, &info, gst_sample_get_buffer (sample), GST_MAP_READ)) {
    g_free (frame);
    return G_SOURCE_REMOVE;
  }
  /* The pixels are the mapped buffer, not a copy; the GBytes keeps it. */
  pixels = g_bytes_new_with_free_func (GST_VIDEO_FRAME_PLANE_DATA (frame, 0),
                                       GST_VIDEO_FRAME_PLANE_STRIDE (frame, 0) *
                                       GST_VIDEO_FRAME_HEIGHT (frame),
                                       (GDestroyNotify) frame_free, frame);
  g_signal_emit (self, signals[SIGNAL_FRAME], 0, pixels,
                 GST_VIDEO_FRAME_WIDTH (frame), GST_VIDEO_FRAME_HEIGHT (frame),
                 GST_VIDEO_FRAME_PLANE_STRIDE (frame, 0));
  return G_SOURCE_REMOVE;
}

static void
encode_in_thread (GTask        *encode,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Capture *capture = task_data;
  GError *error = NULL;
  GBytes *jpeg;

  if (g_task_return_error_if_cancelled (encode))
    return;
  jpeg = yun_camera_encode_still (capture->sample, &capture->options,
                                  &capture->width, &capture->height, &error);
  if (jpeg == NULL)
    g_task_return_error (encode, error);
  else
    g_task_return_pointer (encode, jpeg, (GDestroyNotify) g_bytes_unref);
}

static void
on_encoded (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GBytes *jpeg = g_task_propagate_pointer (G_TASK (result), &error);

  if (jpeg == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, jpeg, (GDestroyNotify) g_bytes_unref);
}

/* Encodes on a worker thread.  The worker's task has no source object and
 * the capture's task stays on this thread, so the camera is never
 * finalized on the worker (a thread's task may be let go of there). */
static void
encode (GTask *task)
{
  g_autoptr(GTask) encode = g_task_new (NULL, g_task_get_cancellable (task), on_encoded, task);

  g_task_set_source_tag (encode, encode_in_thread);
  g_task_set_task_data (encode, g_task_get_task_data (task), NULL);
  g_task_run_in_thread (encode, encode_in_thread);
}

/* The source's buffer may belong to a device's pool, which stopping the
 * pipeline frees: the photo is made from a copy. */
static GstSample *
copy_sample (GstSample *sample)
{
  g_autoptr(GstBuffer) buffer = gst_buffer_copy_deep (gst_sample_get_buffer (sample));

  return gst_sample_new (buffer, gst_sample_get_caps (sample), NULL, NULL);
}

static gboolean
on_still_sample (gpointer user_data)
{
  g_autoptr(YunCamera) self = g_object_ref (user_data);
  g_autoptr(GstSample) sample = mailbox_take (&self->still);
  g_autoptr(GstSample) copy = NULL;
  GTask *task;

  if (sample == NULL || gst_sample_get_buffer (sample) == NULL)
    return G_SOURCE_REMOVE;
  copy = copy_sample (sample);
  while ((task = g_queue_peek_head (&self->waiting)) != NULL) {
    Capture *capture = g_task_get_task_data (task);

    stop_waiting (self, task);
    capture->sample = gst_sample_ref (copy);
    /* The waiting queue's reference goes to the encoding. */
    encode (task);
  }
  return G_SOURCE_REMOVE;
}

static gboolean
on_capture_cancelled (GCancellable *cancellable,
                      gpointer      user_data)
{
  GTask *task = user_data;

  stop_waiting (g_task_get_source_object (task), task);
  g_task_return_error_if_cancelled (task);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static gboolean
on_capture_timeout (gpointer user_data)
{
  GTask *task = user_data;
  YunCamera *self = g_task_get_source_object (task);

  stop_waiting (self, task);
  g_task_return_new_error (task, YUN_CAMERA_ERROR, YUN_CAMERA_ERROR_FAILED,
                           "the %s camera gave no picture in %d seconds",
                           yun_camera_source_name (self->source), FRAME_TIMEOUT_SECONDS);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static void
setup_sink (GstElement *sink,
            Mailbox    *box)
{
  GstAppSinkCallbacks callbacks = { .new_sample = on_new_sample };

  g_object_set (sink, "sync", FALSE, "max-buffers", 1, "drop", TRUE,
                "enable-last-sample", FALSE, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, box, NULL);
}

static gboolean
build_pipeline (YunCamera  *self,
                GError    **error)
{
  g_autoptr(GstElement) pipeline = gst_pipeline_new ("yun-camera");
  g_autoptr(GstCaps) source_caps = yun_camera_source_caps (self->source);
  g_autoptr(GstCaps) viewfinder_caps = gst_caps_new_simple ("video/x-raw", "format",
                                                            G_TYPE_STRING, "RGBA", NULL);
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstPad) tee_pad = NULL;
  GstElement *source, *source_filter, *tee, *queue, *rate, *convert, *scale, *filter, *sink;
  GstElement *still_queue, *still_sink;

  if ((source = yun_camera_source_make (self->source, self->device, self->argument, error)) == NULL)
    return FALSE;
  gst_bin_add (GST_BIN (pipeline), source);
  if ((source_filter = yun_camera_add_element (pipeline, "capsfilter", error)) == NULL ||
      (tee = yun_camera_add_element (pipeline, "tee", error)) == NULL ||
      (queue = yun_camera_add_element (pipeline, "queue", error)) == NULL ||
      (rate = yun_camera_add_element (pipeline, "videorate", error)) == NULL ||
      (convert = yun_camera_add_element (pipeline, "videoconvert", error)) == NULL ||
      (scale = yun_camera_add_element (pipeline, "videoscale", error)) == NULL ||
      (filter = yun_camera_add_element (pipeline, "capsfilter", error)) == NULL ||
      (sink = yun_camera_add_element (pipeline, "appsink", error)) == NULL ||
      (still_queue = yun_camera_add_element (pipeline, "queue", error)) == NULL ||
      (still_sink = yun_camera_add_element (pipeline, "appsink", error)) == NULL)
    return FALSE;
  if (!gst_element_link_many (source, source_filter, tee, NULL) ||
      !gst_element_link_many (tee, queue, rate, convert, scale, filter, sink, NULL) ||
      !gst_element_link_many (tee, still_queue, still_sink, NULL)) {
    g_set_error (error, YUN_CAMERA_ERROR, YUN_CAMERA_ERROR_UNAVAILABLE,
                 "the %s camera's elements do not fit together", yun_camera_source_name (self->source));
    return FALSE;
  }

  g_object_set (source_filter, "caps", source_caps, NULL);
  /* Each branch drops old frames rather than queueing them. */
  g_object_set (queue, "max-size-buffers", 2, "max-size-bytes", 0, "max-size-time", 0, NULL);
  gst_util_set_object_arg (G_OBJECT (queue), "leaky", "downstream");
  g_object_set (still_queue, "max-size-buffers", 2, "max-size-bytes", 0, "max-size-time", 0, NULL);
  gst_util_set_object_arg (G_OBJECT (still_queue), "leaky", "downstream");
  g_object_set (rate, "max-rate", YUN_CAMERA_MAX_FPS, "drop-only", TRUE, NULL);
  g_object_set (filter, "caps", viewfinder_caps, NULL);
  setup_sink (sink, &self->viewfinder);
  setup_sink (still_sink, &self->still);

  tee_pad = gst_element_get_static_pad (tee, "sink");
  gst_pad_add_probe (tee_pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, on_tee_event, self, NULL);
  bus = gst_element_get_bus (pipeline);
  self->bus_watch = gst_bus_create_watch (bus);
  g_source_set_callback (self->bus_watch, G_SOURCE_FUNC (on_bus_message), self, NULL);
  g_source_attach (self->bus_watch, self->context);

  self->tee = tee;
  self->viewfinder_filter = filter;
  self->pipeline = g_steal_pointer (&pipeline);
  return TRUE;
}

static gboolean
ensure_running (YunCamera  *self,
                GError    **error)
{
  if (self->pipeline != NULL)
    return TRUE;
  if (!build_pipeline (self, error))
    return FALSE;
  /* Opening a device is quick, but it is I/O on this thread: a camera
   * that hangs here hangs the caller. */
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    g_autofree char *what = g_strdup_printf ("the %s camera did not start",
                                             yun_camera_source_name (self->source));

    yun_camera_error_from_bus (self->pipeline, YUN_CAMERA_ERROR_UNAVAILABLE, what, error);
    release_pipeline (self);
    return FALSE;
  }
  return TRUE;
}

static void
yun_camera_dispose (GObject *object)
{
  YunCamera *self = YUN_CAMERA (object);

  /* Waiting captures hold the camera: none is left here. */
  g_assert (self->waiting.length == 0);
  self->viewfinder_on = FALSE;
  release_pipeline (self);
  gst_clear_object (&self->device);

  G_OBJECT_CLASS (yun_camera_parent_class)->dispose (object);
}

static void
yun_camera_finalize (GObject *object)
{
  YunCamera *self = YUN_CAMERA (object);

  g_mutex_clear (&self->viewfinder.lock);
  g_mutex_clear (&self->still.lock);
  g_main_context_unref (self->context);
  g_free (self->argument);

  G_OBJECT_CLASS (yun_camera_parent_class)->finalize (object);
}

static void
yun_camera_class_init (YunCameraClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = yun_camera_dispose;
  object_class->finalize = yun_camera_finalize;

  /**
   * YunCamera::frame:
   * @self: the camera
   * @pixels: (transfer none): the frame, RGBA with 8 bits a channel and
   *   opaque alpha (GDK_MEMORY_R8G8B8A8); keep a reference to hold it
   * @width: in pixels
   * @height: in pixels
   * @stride: bytes from one row to the next
   *
   * A viewfinder frame, at most %YUN_CAMERA_MAX_FPS a second, scaled to
   * fit the size given to yun_camera_start() with the source's aspect
   * ratio (never scaled up).
   */
  signals[SIGNAL_FRAME] =
    g_signal_new ("frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_BYTES, G_TYPE_INT, G_TYPE_INT, G_TYPE_INT);

  /**
   * YunCamera::failed:
   * @self: the camera
   * @error: (transfer none): a %YUN_CAMERA_ERROR_UNAVAILABLE saying why
   *
   * The source failed or ended while running (a device unplugged, taken by
   * another program); the pipeline has been released.
   */
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
yun_camera_init (YunCamera *self)
{
  mailbox_init (&self->viewfinder, on_viewfinder_sample, self);
  mailbox_init (&self->still, on_still_sample, self);
  g_queue_init (&self->waiting);
  self->viewfinder_width = DEFAULT_VIEWFINDER_WIDTH;
  self->viewfinder_height = DEFAULT_VIEWFINDER_HEIGHT;
}

/**
 * yun_camera_new:
 * @source: (nullable): "auto" (or %NULL), "pipewire", "libcamera", "v4l2",
 *   "test", "test:PATTERN" (one of videotestsrc's patterns: "ball",
 *   "red" ...) or "image:PATH" (a still picture, shown as a live camera)
 * @error: where a #YunCameraError goes
 *
 * Picks the camera's source; nothing runs until yun_camera_start() or
 * yun_camera_capture_async().  A named source must have its GStreamer
 * element installed; whether its device works shows when it starts.
 * Picking asks the system's device providers, which can take a moment.
 *
 * Returns: (transfer full) (nullable): the camera, or %NULL with @error set
 */
YunCamera *
yun_camera_new (const char  *source,
                GError     **error)
{
  YunCamera *self;
  g_autoptr(GError) init_error = NULL;
  g_autoptr(GstDevice) device = NULL;
  g_autofree char *argument = NULL;
  guint index;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!gst_init_check (NULL, NULL, &init_error)) {
    g_set_error (error, YUN_CAMERA_ERROR, YUN_CAMERA_ERROR_UNAVAILABLE,
                 "GStreamer did not start: %s", init_error->message);
    return NULL;
  }
  if (!yun_camera_source_pick (source, &index, &argument, &device, error))
    return NULL;

  self = g_object_new (YUN_TYPE_CAMERA, NULL);
  self->source = index;
  self->argument = g_steal_pointer (&argument);
  self->device = g_steal_pointer (&device);
  self->context = g_main_context_ref_thread_default ();
  return self;
}

/**
 * yun_camera_get_source:
 * @self: a #YunCamera
 *
 * Returns: the source in use: "pipewire", "libcamera", "v4l2" or "test"
 */
const char *
yun_camera_get_source (YunCamera *self)
{
  g_return_val_if_fail (YUN_IS_CAMERA (self), NULL);

  return yun_camera_source_name (self->source);
}

/**
 * yun_camera_start:
 * @self: a #YunCamera
 * @viewfinder_width: the viewfinder's width in pixels, 1 to %YUN_CAMERA_MAX_SIZE
 * @viewfinder_height: its height
 * @error: where a #YunCameraError goes
 *
 * Starts the source (if a capture has not already) and the viewfinder's
 * #YunCamera::frame signals.  Calling it again changes the viewfinder's
 * size.  A device that fails later emits #YunCamera::failed.
 *
 * Returns: whether the source started
 */
gboolean
yun_camera_start (YunCamera  *self,
                  int         viewfinder_width,
                  int         viewfinder_height,
                  GError    **error)
{
  g_autoptr(GstPad) tee_pad = NULL;
  g_autoptr(GstCaps) caps = NULL;

  g_return_val_if_fail (YUN_IS_CAMERA (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (viewfinder_width < 1 || viewfinder_width > YUN_CAMERA_MAX_SIZE ||
      viewfinder_height < 1 || viewfinder_height > YUN_CAMERA_MAX_SIZE) {
    g_set_error (error, YUN_CAMERA_ERROR, YUN_CAMERA_ERROR_INVALID,
                 "the viewfinder must be from 1×1 to %d×%d pixels",
                 YUN_CAMERA_MAX_SIZE, YUN_CAMERA_MAX_SIZE);
    return FALSE;
  }
  g_atomic_int_set (&self->viewfinder_width, viewfinder_width);
  g_atomic_int_set (&self->viewfinder_height, viewfinder_height);
  if (!ensure_running (self, error))
    return FALSE;
  /* Already negotiated: the probe will not see the caps again. */
  tee_pad = gst_element_get_static_pad (self->tee, "sink");
  caps = gst_pad_get_current_caps (tee_pad);
  if (caps != NULL)
    set_viewfinder_caps (self, caps);
  self->viewfinder_on = TRUE;
  mailbox_open (&self->viewfinder);
  return TRUE;
}

/**
 * yun_camera_stop:
 * @self: a #YunCamera
 *
 * Stops the viewfinder and the source: the pipeline goes to NULL and is
 * released with the device.  Captures still waiting for a frame end with
 * %G_IO_ERROR_CANCELLED.
 */
void
yun_camera_stop (YunCamera *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (YUN_IS_CAMERA (self));

  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "the camera was stopped");
  self->viewfinder_on = FALSE;
  fail_waiting (self, error);
  release_pipeline (self);
}

/**
 * yun_camera_capture_async:
 * @self: a #YunCamera
 * @options: how to take the photo; copied
 * @cancellable: (nullable): cancels the capture and, when the source was
 *   started for it, stops the source
 * @callback: called on the camera's main context when the photo is ready
 * @user_data: for @callback
 *
 * Takes the next frame from the source (starting the source for it when
 * the viewfinder is not running, and stopping it afterwards) and encodes
 * it as a JPEG on a worker thread.  Bad @options fail with
 * %YUN_CAMERA_ERROR_INVALID.
 */
void
yun_camera_capture_async (YunCamera                     *self,
                          const YunCameraCaptureOptions *options,
                          GCancellable                  *cancellable,
                          GAsyncReadyCallback            callback,
                          gpointer                       user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Capture *capture;

  g_return_if_fail (YUN_IS_CAMERA (self));
  g_return_if_fail (options != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, yun_camera_capture_async);
  if (!yun_camera_capture_options_check (options, &error) || !ensure_running (self, &error)) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }

  capture = g_new0 (Capture, 1);
  capture->options = *options;
  if (options->position != NULL) {
    capture->position = *options->position;
    capture->options.position = &capture->position;
  }
  g_task_set_task_data (task, capture, (GDestroyNotify) capture_free);
  if (cancellable != NULL) {
    capture->cancelled = g_cancellable_source_new (cancellable);
    g_source_set_callback (capture->cancelled, G_SOURCE_FUNC (on_capture_cancelled), task, NULL);
    g_source_attach (capture->cancelled, self->context);
  }
  capture->timeout = g_timeout_source_new_seconds (FRAME_TIMEOUT_SECONDS);
  g_source_set_callback (capture->timeout, on_capture_timeout, task, NULL);
  g_source_attach (capture->timeout, self->context);

  g_queue_push_tail (&self->waiting, g_steal_pointer (&task));
  mailbox_open (&self->still);
}

/**
 * yun_camera_capture_finish:
 * @self: a #YunCamera
 * @result: what the callback got
 * @width: (out) (optional): the photo's width in pixels
 * @height: (out) (optional): its height
 * @error: where a #YunCameraError or %G_IO_ERROR_CANCELLED goes
 *
 * Returns: (transfer full) (nullable): the photo as JPEG (JFIF with EXIF),
 *   or %NULL with @error set
 */
GBytes *
yun_camera_capture_finish (YunCamera     *self,
                           GAsyncResult  *result,
                           int           *width,
                           int           *height,
                           GError       **error)
{
  GBytes *jpeg;
  Capture *capture;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == yun_camera_capture_async, NULL);

  jpeg = g_task_propagate_pointer (G_TASK (result), error);
  capture = g_task_get_task_data (G_TASK (result));
  if (width != NULL)
    *width = jpeg != NULL ? capture->width : 0;
  if (height != NULL)
    *height = jpeg != NULL ? capture->height : 0;
  return jpeg;
}

GstElement *
yun_camera_get_pipeline (YunCamera *self)
{
  return self->pipeline;
}
